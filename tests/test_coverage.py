"""Coverage per store: the vectorised opening matrix agrees with `is_open_during_hour` cell by cell, and per-store
coverage from the database's counted days agrees with a plain count over the observation rows."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from planner import coverage, storage
from planner.hours import is_open_during_hour
from planner.intake import check_files, import_files
from planner.io.stores import opening_week
from planner.settings import ImportRules

LATE = "L1,Late,East,bar,closed,18:00-02:00,18:00-02:00,10:00-10:30,18:00-24:00,18:00-03:30,12:00-01:00,15,1,5\n"


def _stores(sample_files, extra: str = LATE) -> pd.DataFrame:
    files = [("stores.csv", sample_files[0][1] + extra.encode())]
    (checked,) = check_files(files, None, ImportRules())
    assert not [p for p in checked.problems if p.severity == "error"], checked.problems
    return checked.frame


def test_the_opening_matrix_agrees_with_the_scalar_rule_in_every_cell(sample_files):
    stores = _stores(sample_files)
    ids, is_open = coverage.open_matrix(stores)
    weeks = opening_week(stores)
    expected = np.array([[[is_open_during_hour(weeks[s], d, h) for h in range(24)] for d in range(7)] for s in ids])
    assert ids == stores["store_id"].tolist() and "L1" in ids
    np.testing.assert_array_equal(is_open, expected)
    # the late store is closed on Monday but open in its first hour, the tail of Sunday 12:00-01:00
    late = is_open[ids.index("L1")]
    assert late[0, 0] and not late[0, 1]  # Sunday 12:00-01:00 spills into Monday's first hour only
    assert late[6, 0] and late[6, 3] and not late[6, 4]  # Saturday 18:00-03:30 spills into Sunday 00:00-03:59


def test_store_coverage_from_the_database_matches_a_count_over_the_rows(engine, sample_files):
    import_files(engine, sample_files, ImportRules())
    stores = storage.load_stores(engine)
    observations = storage.load_observations(engine)
    table = coverage.store_coverage_of_days(storage.load_counted_days(engine), stores).set_index("store_id")
    pd.testing.assert_frame_equal(coverage.store_coverage(observations, stores).set_index("store_id"), table)

    ids, is_open = coverage.open_matrix(stores)
    for store in ids:  # the plain count: distinct (weekday, hour) of its rows that fall in an open cell
        rows = observations[observations["store_id"] == store]
        seen = set(zip(rows["date"].dt.day_of_week, rows["hour"], strict=True))
        open_cells = {(d, h) for d in range(7) for h in range(24) if is_open[ids.index(store), d, h]}
        assert table.loc[store, "open_cells"] == len(open_cells)
        assert table.loc[store, "observed_cells"] == len(seen & open_cells)
        assert table.loc[store, "observed_hours"] == len(rows)
        if len(rows):
            assert table.loc[store, "first_date"] == rows["date"].min()
            assert table.loc[store, "last_date"] == rows["date"].max()
    assert (table["observed_hours"] > 0).any() and (table["observed_share"] < 1).any()


def test_counted_days_from_sql_equal_those_from_the_rows(engine, sample_files):
    import_files(engine, sample_files, ImportRules())
    from_sql = storage.load_counted_days(engine)
    from_rows = coverage.counted_days(storage.load_observations(engine))
    pd.testing.assert_frame_equal(from_sql, from_rows, check_dtype=False)
    assert (from_sql["hour_mask"] > 0).all() and from_sql["observed_hours"].sum() == 1686


@pytest.mark.parametrize("chunk_rows", [7, 100_000])
def test_reading_in_chunks_returns_every_row_once_in_order(engine, sample_files, monkeypatch, chunk_rows):
    import_files(engine, sample_files, ImportRules())
    monkeypatch.setattr(storage.read, "CHUNK_ROWS", chunk_rows)
    frame = storage.load_observations(engine)
    raw = pd.read_csv(io.BytesIO(sample_files[1][1]))
    assert len(frame) == len(raw) == 1686
    assert not frame.duplicated(["store_id", "date", "hour"]).any()
    assert frame[["store_id", "date", "hour"]].equals(
        frame[["store_id", "date", "hour"]].sort_values(["store_id", "date", "hour"], ignore_index=True))
    assert frame["visitors"].sum() == raw["visitors"].sum()


def test_hours_never_observed_name_a_night_by_the_opening_it_closes():
    """A store open Friday and Sunday 18:00-02:00, counted once on a Sunday at 19:00: the Observations page's hours
    never observed list each night under its own opening ("Sun ... 00:00+1–02:00+1"), not as Saturday's and
    Monday's 00:00–02:00 by the clock, and a run over midnight is one run."""
    store = pd.DataFrame([{"store_id": "N1", "mon": "closed", "tue": "closed", "wed": "closed", "thu": "closed",
                           "fri": "18:00-02:00", "sat": "closed", "sun": "18:00-02:00"}])
    counted = pd.DataFrame({"store_id": ["N1"], "date": pd.to_datetime(["2026-12-13"]), "hour": [19],
                            "visitors": [10], "assisted": [4]})
    gaps = coverage.unobserved_hours(coverage.cell_summary(counted, store), store, "N1")
    assert gaps.to_dict("records") == [
        {"weekday": "Fri", coverage.HOURS_NOT_OBSERVED: "18:00–02:00+1"},
        {"weekday": "Sun", coverage.HOURS_NOT_OBSERVED: "18:00–19:00, 20:00–02:00+1"},
    ]
