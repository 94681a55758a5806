"""Patience estimates kept in the database (`planner.stored_patience`): the same estimates the counts give when made
on the spot, read back while a format's counts, store rows and the settings are unchanged, made again for a format
whose inputs changed (and only for it)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from planner import storage, stored_patience as stored_module
from planner.hours import WEEKDAYS
from planner.settings import Settings
from planner.stored_patience import stored_patience
from planner.targets import patience_from_counts, resolve_targets
from test_patience import ON, counted_days, stores

STORES = stores(("A", "x"), ("B", "x"), ("C", "y"))


@pytest.fixture
def engine(any_database_url):
    """SQLite, and PostgreSQL where the tests have one (its JSON has no NaN)."""
    engine = storage.connect(Settings(database_url=any_database_url))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def counts() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.concat([counted_days("A", 3.0, 10.0, 28, rng), counted_days("B", 3.0, 10.0, 28, rng),
                      counted_days("C", 8.0, 10.0, 28, rng)], ignore_index=True)


def _fields(estimates) -> dict:
    """Each store's estimate as comparable values; a store without counts (and so without an estimate: NaN) is left
    out, as `resolve_targets` reads it as no estimate at all."""
    return {k: tuple(np.nan_to_num(np.array([getattr(e, f) for f in ("patience_minutes", "low_minutes",
                                                                     "high_minutes")], dtype=float), nan=-1.0))
            + (e.informative, e.basis, e.stores_pooled, e.format_name) for k, e in estimates.items()
            if not np.isnan(e.patience_minutes) or e.stores_pooled or not np.isnan(e.high_minutes)}


def _counting_calls(monkeypatch) -> list[list[str]]:
    """The stores of each format `stored_patience` makes estimates for (reading kept ones makes none)."""
    calls: list[list[str]] = []

    def counted(observations, stores_frame, settings, calendar=None):
        calls.append(sorted(stores_frame["store_id"].astype(str)))
        return patience_from_counts(observations, stores_frame, settings, calendar)

    monkeypatch.setattr(stored_module, "patience_from_counts", counted)
    return calls


def test_kept_estimates_are_the_ones_made_on_the_spot_and_are_read_back_not_made_again(engine, counts, monkeypatch):
    on_the_spot = patience_from_counts(counts, STORES, ON)
    assert any(e.informative for e in on_the_spot.values())
    calls = _counting_calls(monkeypatch)
    first = stored_patience(engine, counts, STORES, ON, calendar=None)
    assert _fields(first) == _fields(on_the_spot)
    assert sorted(calls) == [["A", "B"], ["C"]]  # one estimate per format
    second = stored_patience(engine, counts, STORES, ON, calendar=None)
    assert _fields(second) == _fields(on_the_spot) and len(calls) == 2  # read back: nothing made again
    assert len(storage.load_patience(engine, _digests(engine))) == 2  # one row per format


def test_new_counts_remake_their_format_and_a_setting_the_estimate_uses_every_format(engine, counts, monkeypatch):
    stored_patience(engine, counts, STORES, ON, calendar=None)
    calls = _counting_calls(monkeypatch)
    extra = counted_days("C", 8.0, 10.0, 1, np.random.default_rng(1)).assign(date=pd.Timestamp("2026-03-02"))
    more = pd.concat([counts, extra], ignore_index=True)
    assert _fields(stored_patience(engine, more, STORES, ON, calendar=None)) == _fields(
        patience_from_counts(more, STORES, ON))
    assert calls == [["C"]]
    assert len(_digests(engine)) == 2  # the format's older estimates replaced, not piled up
    other_target = replace(ON, targets=replace(ON.targets, target_wait_seconds=30.0))
    stored_patience(engine, more, STORES, other_target, calendar=None)
    assert calls == [["C"]]  # a setting the estimate is not made with changes nothing
    wider = replace(ON, demand=replace(ON.demand, interval_level=0.8))
    stored_patience(engine, more, STORES, wider, calendar=None)
    assert sorted(calls[1:]) == [["A", "B"], ["C"]]


def test_a_store_row_change_remakes_its_format_only_where_the_estimate_reads_it(engine, counts, monkeypatch):
    """A wage or a name is not what an estimate is made from: nothing is made again (on a chain of 1,000 stores,
    making them takes two minutes). A store's service-time CV is: its format's estimates are made again."""
    before = STORES.assign(name=["Store A", "Store B", "Store C"], wage_per_hour=20.0)
    stored_patience(engine, counts, before, ON, calendar=None)
    calls = _counting_calls(monkeypatch)
    renamed = before.assign(name=before["name"] + " (new)", wage_per_hour=21.0)
    assert _fields(stored_patience(engine, counts, renamed, ON, calendar=None)) == _fields(
        patience_from_counts(counts, STORES, ON))
    assert calls == []
    slower = before.assign(service_cv=np.where(STORES["store_id"] == "C", 0.5, np.nan))
    slower["service_cv"] = slower["service_cv"].astype("Float64")
    assert _fields(stored_patience(engine, counts, slower, ON, calendar=None)) == _fields(
        patience_from_counts(counts, slower, ON))
    assert calls == [["C"]]


def test_opening_hours_and_the_calendar_remake_a_format_only_where_they_open_a_counted_hour_for_part_of_it(
        engine, counts, monkeypatch):
    """The estimate reads each counted hour as the part of it its store was open on its date. Hours that leave every
    counted hour whole (10:00-20:00, then 09:00-21:00) make nothing again; a 10:30 opening of C makes its counted
    10:00 half an hour, and its format's estimates are made again, as made on the spot; a calendar row closing A at
    18:30 on a counted date makes that date's 18:00 half an hour, and A's format's are."""
    whole = STORES.assign(**dict.fromkeys(WEEKDAYS, "10:00-20:00"))
    stored_patience(engine, counts, whole, ON, calendar=None)
    calls = _counting_calls(monkeypatch)
    stored_patience(engine, counts, whole.assign(**dict.fromkeys(WEEKDAYS, "09:00-21:00")), ON, calendar=None)
    assert calls == []
    later = whole.assign(**{day: np.where(whole["store_id"] == "C", "10:30-20:00", "10:00-20:00")
                            for day in WEEKDAYS})
    assert _fields(stored_patience(engine, counts, later, ON, calendar=None)) == _fields(
        patience_from_counts(counts, later, ON))
    assert calls == [["C"]]
    calendar = pd.DataFrame({"store_id": ["A"], "date": pd.to_datetime(["2026-01-07"]), "closed": [False],
                             "hours": ["10:00-18:30"], "demand_factor": [1.0], "note": [""]})
    assert _fields(stored_patience(engine, counts, later, ON, calendar=calendar)) == _fields(
        patience_from_counts(counts, later, ON, calendar))
    assert calls == [["C"], ["A", "B"]]


def test_a_demand_factor_remakes_a_format_only_where_it_is_of_a_counted_date(engine, counts, monkeypatch):
    """The estimate reads a counted hour at its date's load (a sale's factor). A factor of a date no store counted
    makes nothing again; a factor of a date A counted makes A's format's estimates again, as made on the spot: kept
    under the digest of the counts without it, the estimates read A's sale as a usual day."""
    stored_patience(engine, counts, STORES, ON, calendar=None)
    calls = _counting_calls(monkeypatch)
    elsewhere = pd.DataFrame({"store_id": ["A"], "date": pd.to_datetime(["2026-06-05"]), "closed": [False],
                              "hours": [None], "demand_factor": [1.5], "note": ["sale"]})
    stored_patience(engine, counts, STORES, ON, calendar=elsewhere)
    assert calls == []
    sale = elsewhere.assign(date=pd.to_datetime(["2026-01-07"]))
    assert _fields(stored_patience(engine, counts, STORES, ON, calendar=sale)) == _fields(
        patience_from_counts(counts, STORES, ON, sale))
    assert calls == [["A", "B"]]


def test_nothing_is_made_or_kept_when_the_estimate_is_off_or_every_store_gives_its_patience(engine, counts,
                                                                                          monkeypatch):
    calls = _counting_calls(monkeypatch)
    off = replace(ON, demand=replace(ON.demand, estimate_patience=False))
    assert stored_patience(engine, counts, STORES, off, calendar=None) == {}
    own = STORES.assign(patience_minutes=pd.array([4.0, 4.0, 4.0], dtype="Float64"))
    assert stored_patience(engine, counts, own, ON, calendar=None) == {}
    assert calls == [] and _digests(engine) == []


def test_an_estimate_without_an_end_comes_back_as_it_was_kept(engine, counts):
    """An interval end beyond the range tried is NaN: kept as JSON null (PostgreSQL's JSON has no NaN), read as NaN."""
    few = counts[counts["store_id"] == "C"].head(20)  # a few hours of one store: no estimate tells
    made = patience_from_counts(few, STORES, ON)
    assert np.isfinite(made["C"].patience_minutes) and not made["C"].informative
    assert np.isnan(made["C"].low_minutes) or np.isnan(made["C"].high_minutes)
    stored_patience(engine, few, STORES, ON, calendar=None)
    again = stored_patience(engine, few, STORES, ON, calendar=None)
    assert "C" in _fields(again) and _fields(again) == _fields(made)


def _digests(engine) -> list[str]:
    from sqlalchemy import select

    with engine.connect() as connection:
        return list(connection.execute(select(storage.tables.patience_estimates.c.inputs_digest)).scalars())


def test_an_import_makes_the_estimates_so_a_plan_only_reads_them(sample_url, monkeypatch):
    """`load-sample` keeps one row per store format; `recommend` then makes none (the sample's stores give no patience
    but S04's), and the targets resolved from them are those of estimates made on the spot."""
    from planner import pipeline

    engine = storage.connect(Settings(database_url=sample_url))
    stores_frame = storage.load_stores(engine)
    assert len(_digests(engine)) == stores_frame["format"].nunique()
    calls = _counting_calls(monkeypatch)
    table = pipeline.recommend(engine, Settings())
    assert calls == [] and not table.empty
    observations = storage.load_observations(engine)
    kept = resolve_targets(stores_frame, Settings(), patience=stored_patience(
        engine, observations, stores_frame, Settings(), calendar=pipeline.counted_calendar(engine)))
    made = resolve_targets(stores_frame, Settings(), patience=patience_from_counts(observations, stores_frame,
                                                                                   Settings()))
    pd.testing.assert_frame_equal(kept, made)
    engine.dispose()


def test_a_calendar_import_alone_makes_the_estimates_its_rows_change_so_a_plan_only_reads_them(
        sample_url, monkeypatch, tmp_path, capsys):
    """A calendar row closing S01 at 17:30 on a counted date makes that date's 17:00 half an hour, which the kept
    estimates are made from: `import --calendar` made none, so the next `recommend` made S01's format's again (minutes
    on a large chain). The import makes them; `recommend` only reads."""
    from planner import pipeline
    from planner.cli import main

    calendar = tmp_path / "calendar.csv"
    calendar.write_text("store_id,date,closed,hours,demand_factor,note\nS01,2026-09-08,false,10:00-17:30,1.0,early\n")
    assert main(["--database-url", sample_url, "import", "--calendar", str(calendar)]) == 0
    capsys.readouterr()
    engine = storage.connect(Settings(database_url=sample_url))
    calls = _counting_calls(monkeypatch)
    assert not pipeline.recommend(engine, Settings()).empty
    assert calls == []
    engine.dispose()


def test_the_open_parts_and_loads_of_a_formats_counts_are_read_once_for_the_same_counts_stores_and_calendar(
        engine, counts, monkeypatch):
    """Each plan, roster and list of saved plans digests each format's counts under the calendar (the part of each
    counted hour open, its date's load): read again for every format every time, they were a tenth of a roster
    command. Read once for the chain's counts, store rows and calendar, and again when any of them changes (a
    calendar row of a counted date, an opening hour), with the estimates made again as made on the spot."""
    from planner.demand import patience as patience_module

    read: list[tuple[str, ...]] = []

    def reading(name, function):
        def wrapper(observations, stores_frame, calendar=None):
            read.append((name, *sorted(set(observations["store_id"].astype(str)))))
            return function(observations, stores_frame, calendar)
        return wrapper

    monkeypatch.setattr(stored_module, "open_parts", reading("open", patience_module.open_parts))
    monkeypatch.setattr(stored_module, "date_loads", reading("loads", patience_module.date_loads))
    whole = STORES.assign(**dict.fromkeys(WEEKDAYS, "10:00-20:00"))
    stored_patience(engine, counts, whole, ON, calendar=None)
    assert sorted(set(read)) == [("loads", "A", "B", "C"), ("open", "A", "B", "C")]
    read.clear()
    stored_patience(engine, counts, whole, ON, calendar=None)
    assert read == []
    calendar = pd.DataFrame({"store_id": ["A"], "date": pd.to_datetime(["2026-01-07"]), "closed": [False],
                             "hours": ["10:00-18:30"], "demand_factor": [1.0], "note": [""]})
    assert _fields(stored_patience(engine, counts, whole, ON, calendar=calendar)) == _fields(
        patience_from_counts(counts, whole, ON, calendar))
    assert ("open", "A", "B", "C") in read
    read.clear()
    later = whole.assign(**{day: np.where(whole["store_id"] == "C", "10:30-20:00", "10:00-20:00")
                            for day in WEEKDAYS})
    assert _fields(stored_patience(engine, counts, later, ON, calendar=calendar)) == _fields(
        patience_from_counts(counts, later, ON, calendar))
    assert ("open", "A", "B", "C") in read
