"""The model fits a process keeps (`planner.fits`): handed back only for arguments of equal content, as copies."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import planner.demand as demand_module
from planner import fits
from planner.demand import estimate_demand, pooled
from planner.demand.patience import estimate_patience
from planner.intake import check_files
from planner.settings import ImportRules, Settings


@pytest.fixture
def counted():
    """A function that counts its calls, remembered."""
    calls = []

    @fits.remembered
    def fit(frame: pd.DataFrame, settings: Settings, scale: float = 1.0) -> pd.DataFrame:
        calls.append(1)
        return frame.assign(fitted=frame["x"] * scale)

    fits.forget()
    yield fit, calls
    fits.forget()


def test_equal_content_is_fitted_once_and_any_change_fits_again(counted):
    fit, calls = counted
    frame = pd.DataFrame({"store_id": ["S01", "S02"], "x": [1.0, 2.0]})
    first = fit(frame, Settings())
    again = fit(frame.copy(), Settings())  # another object, the same content
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, again)
    # the same counts in a copy of the database, under another URL: no model reads the URL, so the fit is kept
    fit(frame, Settings(database_url="sqlite:////elsewhere/planner.db", database_busy_timeout_seconds=5.0))
    assert len(calls) == 1
    changed = frame.copy()
    changed.loc[1, "x"] = 2.5
    fit(changed, Settings())
    settings = Settings()
    fit(frame, dataclasses.replace(settings, demand=dataclasses.replace(settings.demand, interval_level=0.8)))
    fit(frame, Settings(), scale=2.0)
    fit(frame[["x", "store_id"]], Settings())  # the columns in another order
    fit(frame.set_axis([5, 6]), Settings())  # another index
    assert len(calls) == 6


def test_a_kept_fit_is_a_copy_the_caller_may_change(counted):
    fit, calls = counted
    frame = pd.DataFrame({"store_id": ["S01"], "x": [1.0]})
    for _ in range(2):  # the fit made, then the one kept
        handed = fit(frame, Settings())
        assert handed["fitted"].tolist() == [1.0]
        handed.loc[0, "fitted"] = 99.0
    assert fit(frame, Settings())["fitted"].tolist() == [1.0] and len(calls) == 1


def test_cells_pandas_hashes_alike_are_told_apart_by_their_kind(counted):
    fit, calls = counted
    fit(pd.DataFrame({"store_id": ["1"], "x": [1.0]}), Settings())
    fit(pd.DataFrame({"store_id": [1], "x": [1.0]}).astype({"store_id": object}), Settings())
    assert len(calls) == 2


def test_frames_and_settings_that_differ_only_where_a_repr_or_hash_would_not_tell_are_told_apart(counted):
    fit, calls = counted
    mixed = pd.DataFrame({"store_id": ["1", 1], "x": [1.0, 2.0]})
    fit(mixed, Settings())
    fit(mixed.assign(store_id=pd.Series([1, "1"], dtype=object)), Settings())  # the same kinds, in other cells
    ordered = pd.DataFrame({"store_id": pd.Categorical(["a", "b"], categories=["a", "b"]), "x": [1.0, 2.0]})
    fit(ordered, Settings())
    fit(ordered.assign(store_id=pd.Categorical(["a", "b"], categories=["b", "a"])), Settings())
    assert len(calls) == 4

    @dataclasses.dataclass(frozen=True)
    class Rules:
        level: float
        hidden: float = dataclasses.field(default=1.0, repr=False)

    frame = pd.DataFrame({"store_id": ["S01"], "x": [1.0]})
    fit(frame, Settings(), scale=1.0)
    fit(frame, Rules(1.0))
    fit(frame, Rules(1.0, hidden=2.0))  # a field its repr leaves out
    assert len(calls) == 7


def test_an_argument_whose_content_cannot_be_told_is_fitted_each_time(counted):
    fit, calls = counted
    frame = pd.DataFrame({"store_id": ["S01"], "x": [1.0]})
    fit(frame, Settings(), scale=np.float64(1.0))  # a numpy scalar: a float, keyed
    unkeyed = type("Unkeyed", (), {"__mul__": lambda self, other: other, "__rmul__": lambda self, other: other})()
    fit(frame, Settings(), scale=unkeyed)
    fit(frame, Settings(), scale=unkeyed)
    assert len(calls) == 3


def test_only_the_last_few_are_kept(counted):
    fit, calls = counted
    frames = [pd.DataFrame({"store_id": ["S01"], "x": [float(i)]}) for i in range(fits.KEPT + 1)]
    for frame in frames:
        fit(frame, Settings())
    fit(frames[-1], Settings())
    assert len(calls) == fits.KEPT + 1
    fit(frames[0], Settings())  # the oldest was let go
    assert len(calls) == fits.KEPT + 2


def _sample(sample_files):
    """The sample chain's counts and stores, validated as an upload reads them."""
    checked = {file.kind: file.frame for file in check_files(sample_files, None, ImportRules())}
    return checked["observations"], checked["stores"]


def _fits_made(monkeypatch) -> list[int]:
    """A list that gains an item each time the chain's demand is fitted (`count_chain` run), not handed back kept."""
    made: list[int] = []
    real = demand_module.count_chain
    monkeypatch.setattr(demand_module, "count_chain", lambda *args: made.append(1) or real(*args))
    return made


def test_the_demand_fit_and_patience_handed_back_are_those_made_afresh(sample_files, monkeypatch):
    observations, stores = _sample(sample_files)
    settings = Settings()
    fitted = []
    real = pooled.pooled_rates
    monkeypatch.setattr(pooled, "pooled_rates", lambda *args: fitted.append(1) or real(*args))
    monkeypatch.setattr(demand_module, "pooled_rates", pooled.pooled_rates)  # as the fit calls it
    kept = estimate_demand(observations, stores, settings)
    fits_made = len(fitted)
    handed_back = estimate_demand(observations.copy(), stores.copy(), settings)
    assert fits_made > 0 and len(fitted) == fits_made  # handed back, not fitted again
    pd.testing.assert_frame_equal(kept, handed_back)
    monkeypatch.undo()
    pd.testing.assert_frame_equal(estimate_demand(observations, stores, settings), kept)  # made afresh: the same
    patience = estimate_patience(observations, stores, settings.demand)
    assert estimate_patience(observations.copy(), stores, settings.demand) == patience
    # a part of the model replaced (as a test does): the fit is made again, with it
    monkeypatch.setattr(pooled, "_pearson_dispersion", lambda y, mu, parameters: 4.0)
    wider = estimate_demand(observations, stores, settings)
    assert (wider["assisted_per_hour_high"] - wider["assisted_per_hour_low"]).sum() > \
        (kept["assisted_per_hour_high"] - kept["assisted_per_hour_low"]).sum()
    monkeypatch.undo()
    pd.testing.assert_frame_equal(estimate_demand(observations, stores, settings), kept)


def test_no_kept_fit_reads_the_clock_so_a_test_that_sets_it_keeps_the_fits(sample_files, monkeypatch):
    """tests/conftest.py's monkeypatch keeps the fits when a test sets `planner.clock` (`READ_BY_NO_FIT`): that holds
    only while the fits never read it."""
    from planner import clock

    observations, stores = _sample(sample_files)
    settings = Settings()

    def stopped(*args, **kwargs):
        raise AssertionError("a kept fit read the clock")

    monkeypatch.setattr(clock, "today", stopped)
    monkeypatch.setattr(clock, "now", stopped)
    fits.forget()  # made afresh below, under the stopped clock
    assert not estimate_demand(observations, stores, settings).empty
    assert estimate_patience(observations, stores, settings.demand) is not None
    with pytest.raises(AssertionError, match="read the clock"):  # the stopped clock does stop a reader
        clock.today()


def test_a_roster_or_shift_rule_changed_keeps_the_demand_fit_and_a_demand_setting_changed_fits_again(
        sample_files, monkeypatch):
    """The roster page and command plan a week's requirement under the chain's roster rules, the plans under its
    shift rules: the counts are fitted once for them all, and again only for a setting the fit reads."""
    observations, stores = _sample(sample_files)
    counted = _fits_made(monkeypatch)
    settings = Settings()
    kept = estimate_demand(observations, stores, settings)
    for other in (settings.with_roster_rules(notice_days=7, max_hours_per_week=40.0, deterministic_time_limit=0.5),
                  settings.with_shift_rules(min_staff_cover=True, hard_coverage=True),
                  settings.with_simulation_rules(replications=settings.simulation.replications + 1),
                  settings.with_targets(target_service_level=0.95)):  # the stores' own targets are in `stores`
        pd.testing.assert_frame_equal(estimate_demand(observations, stores, other), kept)
    assert len(counted) == 1
    estimate_demand(observations, stores, dataclasses.replace(
        settings, demand=dataclasses.replace(settings.demand, interval_level=0.8)))
    estimate_demand(observations, stores, settings.with_targets(patience_minutes=settings.targets.patience_minutes + 2))
    assert len(counted) == 3


class _Unread:
    """A part of the settings the demand fit must not read."""

    def __init__(self, name: str, **values):
        self._name, self._values = name, values

    def __getattr__(self, field: str):
        if field.startswith("_") or field not in self._values:
            raise AssertionError(f"the demand fit read {self._name}.{field}")
        return self._values[field]


def test_the_demand_fit_reads_no_setting_but_those_its_fits_are_kept_by(sample_files):
    """`read_by_the_fit` names what a demand fit is kept by: the fit made from settings holding those alone (every
    other part one that stops a reader) is the fit of the whole settings."""
    observations, stores = _sample(sample_files)
    settings = Settings()
    rules, patience = demand_module.read_by_the_fit(settings)
    bare = dataclasses.replace(settings, **{
        field.name: _Unread(field.name) for field in dataclasses.fields(Settings) if field.name != "demand"})
    bare = dataclasses.replace(bare, demand=rules, targets=_Unread("targets", patience_minutes=patience))
    fits.forget()
    pd.testing.assert_frame_equal(estimate_demand.__wrapped__(observations, stores, bare),
                                  estimate_demand(observations, stores, settings))
    with pytest.raises(AssertionError, match="read targets.target_service_level"):  # it does stop a reader
        bare.targets.target_service_level


def test_stores_that_differ_only_in_targets_the_fit_does_not_read_are_fitted_once(sample_files, monkeypatch):
    """A saved plan made again at the settings before a change and after it (the Settings page's note on what a save
    moves) fits the same counts under stores whose wait, service level, share who may give up and fewest staff
    differ: the fit does not read them, and is made once. The truth: the fit made afresh from stores holding
    other values there is the kept one; a patience changed fits again."""
    from planner.targets import stores_with_targets

    observations, stores = _sample(sample_files)
    settings = Settings()
    targeted = stores_with_targets(stores, settings)
    other = targeted.assign(target_wait_seconds=7.0, target_service_level=0.5, max_abandon_share=0.3,
                            min_staff=pd.array([2] * len(targeted), dtype="Int64"))
    assert set(demand_module.UNREAD_TARGETS) == {"target_wait_seconds", "target_service_level", "max_abandon_share",
                                                 "min_staff"}
    counted = _fits_made(monkeypatch)
    fits.forget()
    kept = estimate_demand(observations, targeted, settings)
    pd.testing.assert_frame_equal(estimate_demand(observations, other, settings), kept)
    assert len(counted) == 1
    pd.testing.assert_frame_equal(estimate_demand.__wrapped__(observations, other, settings), kept)
    estimate_demand(observations, targeted.assign(patience_minutes=targeted["patience_minutes"] + 2), settings)
    assert len(counted) == 3
    fits.forget()


def _calendar(*rows: tuple[str, str, bool, str | None, float]) -> pd.DataFrame:
    """A store calendar as `planner.pipeline.counted_calendar` reads it from the database: (store_id, date, closed,
    hours, demand_factor) per row."""
    return pd.DataFrame({"store_id": [row[0] for row in rows], "date": pd.to_datetime([row[1] for row in rows]),
                         "closed": [row[2] for row in rows], "hours": pd.Series([row[3] for row in rows], dtype=object),
                         "demand_factor": [row[4] for row in rows], "note": "imported"})


def test_a_calendar_row_of_a_date_no_count_was_taken_on_keeps_the_demand_fit_and_one_of_a_counted_date_fits_again(
        sample_files, monkeypatch):
    """The fit reads of the store calendar only the rows its counts are read under: each counted date's (closed,
    changed hours, a sale's factor) and the evening before one where that evening runs past midnight into it. A
    calendar import of dates to come changes none of them, and refitted the chain on the next command (a second of
    a roster command's two and a half). The truth: the fit handed back is the one made afresh from the whole
    calendar; a row of a counted date, or of the evening before one that runs into it, fits again."""
    observations, stores = _sample(sample_files)
    settings = Settings()
    made = _fits_made(monkeypatch)
    base = _calendar(("S01", "2026-12-08", False, None, 1.5))
    kept = estimate_demand(observations, stores, settings, calendar=base)
    to_come = pd.concat([base, _calendar(("S07", "2027-02-10", True, None, 1.0),
                                         ("*", "2027-03-01", False, "08:00-23:00", 2.0))], ignore_index=True)
    handed = estimate_demand(observations, stores, settings, calendar=to_come)
    assert len(made) == 1
    pd.testing.assert_frame_equal(handed, kept)
    pd.testing.assert_frame_equal(estimate_demand.__wrapped__(observations, stores, settings, calendar=to_come), kept)
    pd.testing.assert_frame_equal(estimate_demand(observations, stores, settings, calendar=None), kept)  # none read
    before_uncounted = _calendar(("S01", "2026-09-05", False, "09:00-02:00", 1.0))  # runs into 09-06, not counted
    pd.testing.assert_frame_equal(estimate_demand(observations, stores, settings, calendar=pd.concat(
        [to_come, before_uncounted], ignore_index=True)), kept)
    assert len(made) == 2  # the fit made afresh above
    sale = pd.concat([to_come, _calendar(("S07", "2026-09-12", False, None, 1.5))], ignore_index=True)
    on_sale = estimate_demand(observations, stores, settings, calendar=sale)
    assert len(made) == 3
    assert not on_sale.equals(kept)  # the sale's counts stand for 1.5 usual days
    for counted_row in (_calendar(("S07", "2026-09-14", True, None, 1.0)),  # closed: its empty hours left out
                        _calendar(("*", "2026-09-15", False, "10:00-16:00", 1.0)),
                        _calendar(("S01", "2026-09-06", False, "09:00-02:00", 1.0))):  # runs into a counted date
        estimate_demand(observations, stores, settings, calendar=pd.concat([to_come, counted_row], ignore_index=True))
    assert len(made) == 6


def test_a_row_closing_the_day_before_a_counted_date_fits_again_though_that_evening_ends_before_midnight(
        sample_files):
    """A row that changes the opening of the day before a counted date (closed, other hours) is read by the fit even
    where that evening ends before midnight: the counted date's hours are then read under the store's week with that
    day changed (`planner.staff_hours.dated_open_share`), which gives no share to an hour the date's usual opening
    does not hold, and an hour of no customers there is left out as shut. The case: a Sunday before a counted Monday
    closed, the estimation's Monday wider than the usual one, with hours of no customers counted in the part only
    the wider one holds. The truth: the fit handed back is the one made afresh from that calendar, and the chain's
    pooled digest tells the calendars apart."""
    from planner.digest import pooled_digest

    observations, stores = _sample(sample_files)
    settings = Settings()
    evening = observations[(observations["store_id"] == "S01") & (observations["date"] == "2026-09-07")].iloc[[0, 0]]
    evening = evening.assign(hour=[20, 21], visitors=0, assisted=0, self_service=0, assisted_minutes=0.0,
                             self_service_minutes=0.0)
    observations = pd.concat([observations, evening], ignore_index=True)
    wider = stores.copy()
    wider.loc[wider["store_id"] == "S01", "mon"] = "10:00-22:00"
    assert stores.loc[stores["store_id"] == "S01", "sun"].item() == "12:00-18:00"  # ends before midnight
    base = _calendar(("S07", "2027-02-10", True, None, 1.0))  # a date to come: no count is read under it
    sunday_closed = pd.concat([base, _calendar(("S01", "2026-09-06", True, None, 1.0))], ignore_index=True)
    fits.forget()
    kept = estimate_demand(observations, wider, settings, counted_under=stores, calendar=base)
    afresh = estimate_demand.__wrapped__(observations, wider, settings, counted_under=stores, calendar=sunday_closed)
    assert not afresh.equals(kept)  # the case does move the fit
    pd.testing.assert_frame_equal(
        estimate_demand(observations, wider, settings, counted_under=stores, calendar=sunday_closed), afresh)
    assert pooled_digest(observations, stores, sunday_closed) != pooled_digest(observations, stores, base)
    fits.forget()


def test_a_calendar_row_the_counts_are_not_read_under_keeps_the_fit_whether_or_not_its_date_is_near_a_count(
        sample_files, monkeypatch):
    """A row of the day before a counted date that changes only the demand factor, where that evening (the usual
    Sunday 12:00-18:00) does not run into the counted date, is read by no count (`counted_date_factors` reads the
    evening before's factor only for hours it holds), as a row of a date to come is not: both keep the fit, made
    once. The truth: the fit handed back is the one made afresh from that calendar."""
    observations, stores = _sample(sample_files)
    settings = Settings()
    made = _fits_made(monkeypatch)
    base = _calendar(("S07", "2027-02-10", True, None, 1.0))
    sunday_sale = pd.concat([base, _calendar(("S01", "2026-09-06", False, None, 1.5))], ignore_index=True)
    fits.forget()
    kept = estimate_demand(observations, stores, settings, calendar=base)
    pd.testing.assert_frame_equal(estimate_demand(observations, stores, settings, calendar=sunday_sale), kept)
    assert len(made) == 1
    pd.testing.assert_frame_equal(estimate_demand.__wrapped__(observations, stores, settings, calendar=sunday_sale),
                                  kept)
    fits.forget()
