"""The chain's counts digested from row hashes kept per store (`planner.counts_digest`): the same digest as every
count loaded and hashed at once (what a plan keeps, `make_plan`), whatever the stores' ids and blanks, and after an
import only the counts of the stores it wrote are loaded."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner import pipeline, storage
from planner.cli import main
from planner.cli_flags import EXIT_OK
from planner.counts_digest import _store_hashes
from planner.digest import hashes_digest, observations_digest, pooled_digest
from planner.settings import Settings

from conftest import DATA


def test_the_row_hashes_of_each_stores_counts_joined_in_store_order_digest_as_every_count_at_once(sample_url):
    """Ids that sort otherwise by case, length or accent, blanks among the staff on duty, rows in any order: the
    hashes cut per store and joined in the stores' order give `observations_digest` of the whole, and each store's
    part is the digest of its own counts. A count changed changes it."""
    engine = storage.connect(Settings(database_url=sample_url))
    counts = storage.load_observations(engine)
    engine.dispose()
    renamed = {"S01": "s1", "S02": "S10", "S03": "S9", "S04": "Ö4", "S05": "S05 "}
    counts["store_id"] = counts["store_id"].replace(renamed)
    counts.loc[counts.index % 7 == 0, "staff_on_duty"] = pd.NA
    counts = counts.sample(frac=1, random_state=3)
    columns = sorted(counts.columns)

    parts = _store_hashes(counts)
    assert sorted(parts) == sorted(counts["store_id"].unique())
    joined = hashes_digest(columns, b"".join(parts[store] for store in sorted(parts)))
    assert joined == observations_digest(counts)
    for store, hashed in parts.items():
        assert hashes_digest(columns, hashed) == observations_digest(counts[counts["store_id"] == store])
    changed = counts.copy()
    changed.iloc[0, changed.columns.get_loc("visitors")] += 1
    assert hashes_digest(columns, b"".join(h for _, h in sorted(_store_hashes(changed).items()))) != joined


def test_after_an_import_only_the_counts_of_the_stores_it_wrote_are_loaded_and_the_digest_is_every_counts(
        sample_url, tmp_path, monkeypatch):
    """The chain's pooled digest at each revision equals the one made from every count loaded at once (a plan's), and
    differs from the one before; an import of S07's counts loads S07's alone, a count of S01 replaced by another with
    the staff on duty blank (as many rows as before) loads S01's alone, a store file loads no count."""
    engine = storage.connect(Settings(database_url=sample_url))

    def truth() -> str:
        observations, stores, calendar = pipeline._pooled_chain(engine)
        return pooled_digest(*pipeline.usable_chain(observations, stores), calendar)

    loads: list[list[str] | None] = []
    load = storage.load_observations

    def counted_load(engine, store_ids=None, *args, **kwargs):
        loads.append(None if store_ids is None else sorted(store_ids))
        return load(engine, store_ids, *args, **kwargs)

    def digest() -> str:
        loads.clear()
        with monkeypatch.context() as patched:
            patched.setattr(storage, "load_observations", counted_load)
            return pipeline.pooled_inputs_digest(engine)

    seen = [digest()]
    assert seen[-1] == truth() and len(loads) == 1  # every store's counts, hashed and kept

    counts = pd.read_csv(DATA / "observations.csv")
    s07 = counts[counts["store_id"] == "S07"]
    s07.assign(date=(pd.to_datetime(s07["date"]) + pd.Timedelta(days=14)).dt.strftime("%Y-%m-%d")).to_csv(
        tmp_path / "s07.csv", index=False)
    one = counts[counts["store_id"] == "S01"].head(1).assign(staff_on_duty=np.nan, visitors=lambda rows:
                                                              rows["visitors"] + 1)
    one.to_csv(tmp_path / "one.csv", index=False)
    stores = pd.read_csv(DATA / "stores.csv", dtype=str, keep_default_na=False)
    stores.loc[stores["store_id"] == "S03", "mon"] = "09:00-20:00"
    stores.to_csv(tmp_path / "stores.csv", index=False)
    for argv, loaded in ((["import", str(tmp_path / "s07.csv")], [["S07"]]),
                         (["import", str(tmp_path / "one.csv")], [["S01"]]),
                         (["import", "--stores", str(tmp_path / "stores.csv")], [])):
        assert main(["--database-url", sample_url, *argv]) == EXIT_OK
        seen.append(digest())
        assert loads == loaded, argv
        assert seen[-1] == truth() and seen[-1] != seen[-2], argv
    engine.dispose()
