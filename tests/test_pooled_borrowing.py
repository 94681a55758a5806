"""Where a store's shape over the day comes from, as the README says it: its format's curve, tied to the chain's,
which every counted store shapes; a store alone in its format borrows the chain's. Checked on the pooled model
itself (`planner.demand.pooled`) and on the words its explanation uses (`planner.demand.sources`)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from planner.demand import pooled
from planner.demand.sources import borrowed_from
from planner.settings import DemandRules

from conftest import ROOT

PEAK = 40.0 / 10.0
"""The chain's customers at 15:00 over those at 10:00 (`_curve`)."""


def _curve(hour: np.ndarray) -> np.ndarray:
    """A day rising from 10 customers at 10:00 to 40 at 15:00 and back to 10 at 20:00."""
    return 10.0 + 30.0 * np.clip(1.0 - np.abs(hour - 15) / 5.0, 0.0, None)


def _chain() -> tuple[pooled.CountedHours, np.ndarray, np.ndarray]:
    """Three stores of format 0 counted every open hour for four weeks, and store 3, alone in format 1, counted only
    at 10:00 and 11:00 on four days: what it knows of its afternoon is what it borrows."""
    rng = np.random.default_rng(57)
    rows = [(store, day % 7, hour, day) for store in range(3) for day in range(28) for hour in range(10, 20)]
    rows += [(3, day % 7, hour, 100 + day) for day in range(4) for hour in (10, 11)]
    store, weekday, hour, day = (np.array(column) for column in zip(*rows, strict=True))
    counts = rng.poisson(_curve(hour)).astype(float)
    open_cells = np.zeros((4, 7, 24), bool)
    open_cells[:, :, 10:20] = True
    return pooled.CountedHours(store, weekday, hour, day, counts, np.ones(len(rows))), np.array([0, 0, 0, 1]), \
        open_cells


def test_a_store_alone_in_its_format_borrows_its_afternoon_from_the_chain_and_the_readme_says_so():
    """The README said a store counted for a few hours "borrows the shape of its day from the other counted stores
    of its format": a store alone in its format has none, yet its afternoon is estimated, from the chain's curve
    (its format's curve is tied to the chain's). The store counted at 10:00 and 11:00 only is estimated at 15:00
    near the chain's peak over its 10:00 (a flat curve would read 1), its explanation names the chain's counted
    stores, and the README says both, quoting the explanation as `borrowed_from` writes it."""
    counted, formats, open_cells = _chain()
    rates = pooled.pooled_rates(counted, formats, open_cells, DemandRules())
    alone = rates.mean[3, :5]  # its weekdays Monday to Friday, each counted once or not at all
    ratio = float(np.exp(np.log(alone[:, 15] / alone[:, 10]).mean()))
    assert 0.6 * PEAK < ratio < 1.4 * PEAK, ratio
    stores = pd.DataFrame({"store_id": ["A", "B", "C", "X"], "format": ["fashion"] * 3 + ["outlet"]})
    said = borrowed_from(np.zeros(4), pd.Series(["X", "A", "B", "C"]), stores, np.zeros(4), np.ones(4, bool),
                         DemandRules())  # one cell a store, each mostly borrowed
    assert list(said) == ["the chain's 4 stores"] + ["2 other fashion stores"] * 3
    readme = " ".join(open(ROOT / "README.md", encoding="utf-8").read().split())
    (bullet,) = re.findall(r"\*\*The pooled demand model\*\*.*?(?= - |$)", readme)
    assert "other counted stores of its format" not in bullet, bullet
    assert "a store alone in its format borrows from the chain's curve" in bullet, bullet
    assert "every store borrows from the whole chain in part" in bullet, bullet
    # the explanation quoted as it reads: "the chain's N stores", as for "N other fashion stores"
    assert re.search(r"\"from the chain's \d+ stores\" for a store alone in its format", bullet), bullet
