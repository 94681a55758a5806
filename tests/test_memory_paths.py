"""The paths that keep a 2-million-row import and recommend within memory give what the plain paths give: the
duplicate search against pandas' own, reading in small chunks against one read, the CSV parsed from its bytes
against the same rows without what stands above the header, and the opening-hours lookup in steps against one step."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner import storage
from planner.intake import check_files
from planner.io import observations as observation_checks
from planner.io.reading import read_table
from planner.schemas import repeated_rows
from planner.settings import ImportRules, Settings
from planner.storage import read


def test_repeated_rows_say_what_pandas_duplicated_says_on_complete_rows():
    rng = np.random.default_rng(17)
    for _ in range(60):
        n = int(rng.integers(0, 40))
        frame = pd.DataFrame({
            "store_id": pd.Series(rng.choice(["S01", "S02", None], n), dtype=str),
            "date": pd.to_datetime(pd.Series(rng.choice(["2026-09-07", "2026-09-08", None], n))),
            "hour": pd.array(rng.choice([9, 10, None], n), dtype="Int64"),
        })
        key = list(frame.columns)
        expected = (frame.duplicated(keep=False) & frame.notna().all(axis=1)).to_numpy()
        np.testing.assert_array_equal(repeated_rows(frame, key), expected)


def test_observations_read_in_small_chunks_equal_one_read(sample_url, monkeypatch):
    engine = storage.connect(Settings(database_url=sample_url))
    whole = storage.load_observations(engine)
    monkeypatch.setattr(read, "CHUNK_ROWS", 400)  # several chunks, the last one short
    chunked = storage.load_observations(engine)
    assert len(whole) > 3 * 400
    pd.testing.assert_frame_equal(chunked, whole, check_exact=True)


def test_csv_read_from_its_bytes_skips_a_bom_and_blank_lines_above_the_header(sample_files):
    (_, content), = [f for f in sample_files if f[0] == "observations.csv"]
    plain = read_table(content, "observations.csv")
    padded = read_table(b"\xef\xbb\xbf \t\r\n,;,\n" + content, "observations.csv")
    assert padded.frame.index[0] == plain.frame.index[0] + 2  # spreadsheet rows: two more lines above
    pd.testing.assert_frame_equal(padded.frame.reset_index(drop=True), plain.frame.reset_index(drop=True))


@pytest.mark.parametrize("rows_per_step", [7, 250])
def test_opening_hours_looked_up_in_steps_warn_as_in_one_step(sample_files, monkeypatch, rows_per_step):
    (_, stores), (_, counts) = sample_files
    # counts moved by a day: many hours fall when the store is closed, and each is a warning
    moved = counts.replace(b"2026-", b"2025-")
    one_step = check_files([("stores.csv", stores), ("observations.csv", moved)], None, ImportRules())
    monkeypatch.setattr(observation_checks, "_LOOKUP_ROWS", rows_per_step)
    in_steps = check_files([("stores.csv", stores), ("observations.csv", moved)], None, ImportRules())
    warned = [p for p in one_step[1].problems if "was observed" in p.message]
    assert warned
    assert in_steps[1].problems == one_step[1].problems
