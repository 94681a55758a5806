"""A store file and counts whose text is hostile: a store id that is a markdown image, a name full of HTML tags,
markdown and streamlit directives, a region that is a spreadsheet formula. Built from the sample (S01's hours and
counts under the hostile id, S02 as it is), so every page has something to draw."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "data"
IMAGE_URL = "http://127.0.0.1:9/t.png"
HOSTILE_ID = f"![t]({IMAGE_URL})"
HOSTILE_NAME = '<b>Bold</b> <a href="http://127.0.0.1:9/x">link</a> **loud** :red[red] $x$'
FORMULA = "=cmd|' /C calc'!A0"
FORMULA_STARTS = ("=", "+", "-", "@")


def write_hostile_files(folder: Path) -> tuple[Path, Path]:
    """(store file, observation file) in `folder`, ready for `python -m planner import --stores`."""
    stores = pd.read_csv(DATA / "stores.csv", dtype=str, keep_default_na=False)
    hostile = stores[stores["store_id"] == "S01"].assign(store_id=HOSTILE_ID, name=HOSTILE_NAME, region=FORMULA,
                                                        format="<i>fmt</i>")
    stores_file, counts_file = folder / "stores.csv", folder / "counts.csv"
    pd.concat([hostile, stores[stores["store_id"] == "S02"]]).to_csv(stores_file, index=False)
    counts = pd.read_csv(DATA / "observations.csv", dtype=str, keep_default_na=False)
    counts[counts["store_id"] == "S01"].assign(store_id=HOSTILE_ID).to_csv(counts_file, index=False)
    return stores_file, counts_file
