"""The store-week simulation against independent truth: Erlang A's closed form, Ciw (a second implementation of the
same model, tests/ciw_week.py), and hand-computed roster arithmetic."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.cli_flags import EXIT_OK, EXIT_UNAVAILABLE
from planner.errors import InputRejected
from planner.queueing import erlang_a, required_staff
from planner.settings import ServiceTargets, Settings, SimulationRules
from planner.simulation import (SimulationResult, SimulationSchema, StoreWeek, roster_from_hourly, roster_from_shifts,
                                simulate_week)
from planner.simulation.checked_staffing import check_staffing
from planner.simulation.engine import HourlyCounts, run_replications
from planner.simulation.roster import MINUTES_PER_WEEK
from planner.simulation.week import HOURS_PER_WEEK
from ciw_week import agreement_table, simulate_week_ciw

EXPONENTIAL = SimulationRules(service_distribution="exponential", replications=50)
TARGETS = ServiceTargets()


def store_week(help_per_hour, assisted_minutes, *, self_service_per_hour=0.0, touch_minutes=0.0,
               targets: ServiceTargets = TARGETS) -> StoreWeek:
    """A week from per-hour arrays (or one value for every hour); intervals equal to the estimates."""
    def week(value) -> np.ndarray:
        return np.broadcast_to(np.asarray(value, dtype=float), (HOURS_PER_WEEK,)).copy()

    help_, service = week(help_per_hour), week(assisted_minutes)
    self_, touch = week(self_service_per_hour), week(touch_minutes)
    return StoreWeek("T", help_ > 0, help_, help_, help_, self_, self_, self_, service, touch, targets, 0, None, 0.9)


def roster_by_hour(staff_per_hour) -> np.ndarray:
    staff = np.broadcast_to(np.asarray(staff_per_hour, dtype=np.int64), (HOURS_PER_WEEK,))
    return np.repeat(staff, 60)


def test_stationary_floor_matches_erlang_a():
    """M/M/n+M all week long: pooled service level, abandonment and mean wait inside the 99.9% interval of Erlang A
    (the first two hours left out as warm-up)."""
    week = store_week(30.0, 6.0)
    result = simulate_week(week, roster_by_hour(4), EXPONENTIAL, replications=40, seed=3)
    truth = erlang_a(30.0, 6.0, 4, patience_minutes=TARGETS.patience_minutes,
                     target_wait_seconds=TARGETS.target_wait_seconds)
    steady = slice(2, HOURS_PER_WEEK)
    for measure, expected, top in (
        ("service_level", truth.service_level_all_arrivals, result.counts.served_within_target),
        ("abandon_share", truth.prob_abandon, result.counts.abandoned),
        ("mean_wait_seconds", truth.mean_wait_all_seconds, 60 * result.counts.wait_minutes),
    ):
        per_week = top[:, steady].sum(axis=1) / result.counts.help_seekers[:, steady].sum(axis=1)
        half = 3.3 * per_week.std(ddof=1) / np.sqrt(per_week.size)
        assert abs(per_week.mean() - float(expected)) <= half, (measure, per_week.mean(), float(expected), half)
    busy = result.counts.busy_staff_minutes[:, steady].sum() / (60 * 4 * (HOURS_PER_WEEK - 2) * 40)
    assert busy == pytest.approx(float(truth.occupancy), abs=0.01)


def test_peak_carries_over_into_a_quiet_hour_that_the_hourly_formula_misses():
    """A peak (40 help-seekers an hour, 30-minute services) on 20 staff, then a quiet hour (4 an hour) on 4 staff,
    where Erlang A of the hour on its own promises 90%: the peak's customers still hold the staff, so the quiet
    hour's help-seekers meet a queue (simulated: 20% served within the target, 72% give up)."""
    help_ = np.zeros(HOURS_PER_WEEK)
    help_[10], help_[11] = 40.0, 4.0
    staff = np.zeros(HOURS_PER_WEEK, dtype=np.int64)
    staff[10], staff[11:14] = 20, 4
    formula = erlang_a(4.0, 30.0, 4, patience_minutes=TARGETS.patience_minutes,
                       target_wait_seconds=TARGETS.target_wait_seconds)
    assert formula.service_level_all_arrivals > 0.85
    result = simulate_week(store_week(help_, 30.0), roster_by_hour(staff), EXPONENTIAL, replications=400, seed=5)
    mean, low, high = result.mean_interval("service_level", 0.99)
    promised = float(formula.service_level_all_arrivals)
    assert high[11] < promised - 0.2, (mean[11], promised)


def test_shift_change_mid_queue_finishes_customers_and_never_exceeds_the_roster():
    """A floor flooded with patient customers and near-constant 20-minute services: 3 staff until 02:10, 1 until
    04:10, then 3 again. Leaving staff finish their customers (02:00-03:00 holds ~100 busy minutes: 3 x 20 until
    ~02:20, then 1; an interruption would give 80); once they are done no more than the roster serve (<= 60
    busy minutes an hour on 1 person); arriving staff start at once (04:00-05:00: 60 + 2 x 50 = 160)."""
    targets = replace(TARGETS, patience_minutes=10_000.0)
    help_ = np.zeros(HOURS_PER_WEEK)
    help_[0:6] = 600.0
    roster = np.zeros(MINUTES_PER_WEEK, dtype=np.int64)
    roster[0:130], roster[130:250], roster[250:360] = 3, 1, 3
    rules = SimulationRules(service_distribution="lognormal", service_cv=1e-4, replications=20)
    result = simulate_week(store_week(help_, 20.0, targets=targets), roster, rules, replications=20, seed=2)
    busy = result.counts.busy_staff_minutes
    assert np.all(np.abs(busy[:, 2] - 100.0) < 1.0), busy[:, 2]
    assert np.all(busy[:, 3] <= 60.0 + 1e-9)
    assert np.all(np.abs(busy[:, 4] - 160.0) < 1.0), busy[:, 4]
    assert np.all((busy[:, 0] > 177.0) & (busy[:, 0] <= 180.0))  # 3 busy from the first arrivals on


def test_same_seed_same_weeks_and_a_replication_does_not_depend_on_how_many_run():
    week = store_week(20.0, 5.0, self_service_per_hour=30.0, touch_minutes=0.3)
    rules = replace(EXPONENTIAL, day_to_day_variation=False)
    first = simulate_week(week, roster_by_hour(3), rules, replications=6, seed=11)
    again = simulate_week(week, roster_by_hour(3), rules, replications=6, seed=11)
    fewer = simulate_week(week, roster_by_hour(3), rules, replications=3, seed=11)
    other = simulate_week(week, roster_by_hour(3), rules, replications=6, seed=12)
    calls = []
    batched = simulate_week(week, roster_by_hour(3), rules, replications=120, seed=11,
                            progress=lambda done, total: calls.append((done, total)))
    assert calls == [(50, 120), (100, 120), (120, 120)]
    np.testing.assert_array_equal(batched.counts.abandoned[:6], first.counts.abandoned)
    for name in ("help_seekers", "served_within_target", "abandoned", "wait_minutes", "busy_staff_minutes"):
        np.testing.assert_array_equal(getattr(first.counts, name), getattr(again.counts, name))
        np.testing.assert_array_equal(getattr(first.counts, name)[:3], getattr(fewer.counts, name))
    assert not np.array_equal(first.counts.help_seekers, other.counts.help_seekers)


def test_agrees_with_ciw_on_a_day_with_breaks_and_mid_hour_changes():
    """Lognormal services, touches in the same queue, a break and a mid-hour shift change: per-hour service level
    and abandonment inside the 95% interval of the difference from Ciw in at least 90% of the hour x measure cells."""
    help_ = np.zeros(HOURS_PER_WEEK)
    help_[10:20] = [10, 20, 30, 40, 30, 25, 35, 40, 20, 10]
    self_service = np.where(help_ > 0, 30.0, 0.0)
    week = store_week(help_, 8.0, self_service_per_hour=self_service, touch_minutes=0.3)
    staff = np.zeros(HOURS_PER_WEEK, dtype=np.int64)
    staff[10:20] = [3, 5, 6, 7, 6, 5, 6, 7, 4, 3]
    roster = roster_by_hour(staff)
    roster[12 * 60 + 20 : 12 * 60 + 50] -= 1
    roster[15 * 60 + 30 : 16 * 60 + 10] -= 2
    rules = SimulationRules()
    ours = simulate_week(week, roster, rules, replications=1000, seed=1)
    ciw_counts = simulate_week_ciw(week, roster, rules, replications=40, seed=2, hours=slice(0, 24))
    table = agreement_table(ours, ciw_counts, np.arange(10, 20))
    assert table["agree"].mean() >= 0.9, table


def test_frame_validates_and_marks_hours_at_risk():
    """25 help-seekers an hour of 6 minutes (2.5 Erlangs): 3 staff miss the targets (Erlang A: 65% within 60 s),
    6 staff meet them in almost every week (98%; with 5, 93%, a single week's hour misses in ~20% of weeks)."""
    clock = np.arange(HOURS_PER_WEEK) % 24
    week = store_week(np.where(clock >= 9, 25.0, 0.0), 6.0)
    staff = np.where(clock >= 16, 3, np.where(clock >= 9, 6, 0))
    frame = simulate_week(week, roster_by_hour(staff), EXPONENTIAL, replications=60).frame()
    SimulationSchema.validate(frame)
    assert len(frame) == 7 * 15
    assert (frame["service_level_low"] <= frame["service_level"]).all()
    assert (frame["service_level"] <= frame["service_level_high"]).all()
    assert (frame["at_risk"] == (frame["staff"] == 3)).all()
    assert (frame["meets_target"] == (frame["staff"] == 6)).all()


def test_day_to_day_variation_widens_the_spread_of_arrivals():
    week = store_week(40.0, 5.0)
    week = replace(week, help_per_hour_low=np.full(HOURS_PER_WEEK, 20.0),
                   help_per_hour_high=np.full(HOURS_PER_WEEK, 80.0))
    plain = simulate_week(week, roster_by_hour(5), EXPONENTIAL, replications=200)
    varied = simulate_week(week, roster_by_hour(5), replace(EXPONENTIAL, day_to_day_variation=True), replications=200)
    day = slice(0, 24)
    plain_days, varied_days = plain.counts.help_seekers[:, day].sum(1), varied.counts.help_seekers[:, day].sum(1)
    assert plain_days.var() == pytest.approx(40.0 * 24, rel=0.3)  # Poisson: variance = mean
    assert varied_days.var() > 5 * plain_days.var()
    assert varied_days.mean() == pytest.approx(40.0 * 24, rel=0.05)


def test_roster_from_shifts_counts_breaks_and_nights():
    shifts = pd.DataFrame({
        "store_id": ["S1", "S1", "S2"], "weekday": ["0", "6", "0"], "start": ["09:00", "22:00", "09:00"],
        "end": ["17:00", "02:00", "10:00"], "break_start": ["12:00", "", ""], "staff": ["2", "1", "5"],
    })
    roster = roster_from_shifts(shifts, "S1", break_minutes=30)
    assert roster[9 * 60] == 2 and roster[12 * 60 + 10] == 0 and roster[12 * 60 + 30] == 2 and roster[17 * 60] == 0
    assert roster[6 * 1440 + 23 * 60] == 1 and roster[60] == 1 and roster[2 * 60] == 0  # Sunday night into Monday
    hourly = roster_from_hourly(pd.DataFrame({"weekday": [0], "hour": [9], "staff": [3]}), "staff")
    assert hourly[9 * 60 : 10 * 60].tolist() == [3] * 60 and hourly.sum() == 180


@pytest.mark.parametrize(("stores", "named"), [
    (["S02", "S03"], "(the file's stores: S02, S03)"),
    ([f"S0{n}" for n in range(2, 9)], "(the file's stores: S02, S03, S04, S05, S06 and 2 more)"),  # dropped before
])
def test_a_shifts_file_of_other_stores_names_them_and_counts_the_rest(stores, named):
    shifts = pd.DataFrame({"store_id": stores, "weekday": "0", "start": "09:00", "end": "17:00", "break_start": "",
                           "staff": "1"})
    with pytest.raises(InputRejected) as caught:
        roster_from_shifts(shifts, "S01", break_minutes=30)
    (problem,) = caught.value.problems
    assert problem.message == f"no shift of store S01 {named}"


def test_a_bad_shifts_file_names_row_column_and_fix():
    shifts = pd.DataFrame({
        "store_id": ["S1", "S1", "S1"], "weekday": ["0", "8", "1"], "start": ["9h", "09:00", "10:00"],
        "end": ["17:00", "17:00", "10:00"], "break_start": ["", "", ""], "staff": ["1", "1", "3"],
    })
    shifts.attrs["file"] = "shifts.csv"
    with pytest.raises(InputRejected) as caught:
        roster_from_shifts(shifts, "S1", break_minutes=30)
    text = [str(p) for p in caught.value.problems]
    assert text == ["shifts.csv:2: start: '9h' is not understood. Write a clock time HH:MM (HH:MM+1 after midnight).",
                    "shifts.csv:3: weekday: '8' is not understood. Write a whole number 0-6 (0 = Monday).",
                    # read as 3 staff for 24 hours before
                    "shifts.csv:4: end: the shift starts and ends at the same time. Write the time the shift ends "
                    "(one past midnight ends the next day)."]


def test_a_shift_after_midnight_reads_alike_under_its_opening_and_by_the_clock():
    """`schedule` writes Saturday night's shift under Saturday as 00:00+1-05:00+1 (a late opening's hours are the
    opening's day's): it puts staff on the floor in the same minutes as the older Sunday 00:00-05:00 did, and a
    22:00-02:00+1 shift as 22:00-02:00."""
    def floor(*rows):
        shifts = pd.DataFrame(rows, columns=["store_id", "weekday", "start", "end", "break_start", "staff"])
        return roster_from_shifts(shifts, "S1", break_minutes=30)

    saturday, sunday = floor(("S1", "5", "00:00+1", "05:00+1", "", "2")), floor(("S1", "6", "00:00", "05:00", "", "2"))
    np.testing.assert_array_equal(saturday, sunday)
    assert saturday.sum() == 2 * 5 * 60
    np.testing.assert_array_equal(floor(("S1", "4", "22:00", "02:00+1", "23:00", "1")),
                                  floor(("S1", "4", "22:00", "02:00", "23:00", "1")))
    np.testing.assert_array_equal(floor(("S1", "5", "20:00", "02:00+1", "00:00+1", "1")),
                                  floor(("S1", "5", "20:00", "02:00", "00:00", "1")))


def per_hour_recommendation(week: StoreWeek) -> pd.DataFrame:
    """What a per-hour Erlang A staffing recommends for the week's open hours (the StaffingSchema columns used)."""
    hours = np.flatnonzero(week.open_hours)
    lam, service = week.help_per_hour[hours], week.assisted_minutes[hours]
    t = week.targets
    staff = required_staff(lam, service, target_service_level=t.target_service_level,
                           target_wait_seconds=t.target_wait_seconds, patience_minutes=t.patience_minutes,
                           max_abandon_share=t.max_abandon_share, min_staff=week.min_staff)
    expected = erlang_a(lam, service, staff, patience_minutes=t.patience_minutes,
                        target_wait_seconds=t.target_wait_seconds).service_level_all_arrivals
    return pd.DataFrame({"store_id": week.store_id, "weekday": hours // 24, "hour": hours % 24,
                         "required_staff": pd.array(staff, dtype="Int64"), "expected_service_level": expected})


def peaked_days() -> np.ndarray:
    day = np.zeros(24)
    day[9:19] = [8, 14, 30, 44, 20, 8, 12, 36, 24, 6]
    return np.tile(day, 7)


def test_checked_staffing_meets_more_hours_than_the_per_hour_one_on_a_simulated_store():
    """Long (20-minute), long-tailed (CV 1.5) services after peaks: on fresh draws (another seed) the checked staffing
    meets the target in at least as many hours as the per-hour one, in most of them, for a few staff-hours more."""
    settings = Settings(simulation=SimulationRules(service_cv=1.5, replications=200))
    week = replace(store_week(peaked_days(), 20.0), min_staff=1)
    recommendation = per_hour_recommendation(week)
    checked = check_staffing(recommendation, week, settings)
    assert checked.finished and checked.corrected_hours > 0
    fresh = {name: simulate_week(week, result.roster, settings.simulation, replications=400, seed=99)
             for name, result in (("before", checked.before), ("after", checked.after))}
    share = {name: result.meets_target()[week.open_hours].mean() for name, result in fresh.items()}
    assert share["after"] >= max(share["before"], 0.9), share
    staff_hours = checked.hours[["recommended_staff", "checked_staff"]].sum()
    assert staff_hours["checked_staff"] <= 1.15 * staff_hours["recommended_staff"]
    assert any("busier hour before" in sentence for sentence in checked.corrections)


def test_checked_staffing_says_when_max_staff_stops_it():
    """30 help-seekers an hour of 10 minutes (5 Erlangs) on the 4 staff a store's max_staff allows: no correction
    is possible, and each such hour says so."""
    settings = Settings(simulation=SimulationRules(replications=50))
    week = replace(store_week(np.where(np.arange(HOURS_PER_WEEK) % 24 == 12, 30.0, 0.0), 10.0), max_staff=4)
    recommendation = per_hour_recommendation(week).assign(required_staff=pd.array([4] * 7, dtype="Int64"))
    checked = check_staffing(recommendation, week, settings)
    assert (checked.hours["checked_staff"] == 4).all()
    assert len([s for s in checked.corrections if "misses the target at max_staff 4" in s]) == 7


def test_simulate_command_prints_hours_at_risk_and_a_scaled_what_if(sample_url, capsys):
    from planner.cli import main

    url = sample_url
    assert main(["--database-url", url, "simulate", "--store", "S02", "--replications", "40"]) == 0
    plain = capsys.readouterr().out
    assert main(["--database-url", url, "simulate", "--store", "S02", "--replications", "40",
                 "--demand-scale", "1.5"]) == 0
    scaled = capsys.readouterr().out

    def lost(text: str) -> float:
        return float(text.strip().splitlines()[-1].split(":")[1].split("(")[0])

    assert "Mon 10:00" in plain and "hours at risk" in plain
    assert lost(scaled) > 2 * lost(plain)


def test_the_simulated_plan_is_the_recommendation_the_store_is_shown(sample_url):
    """A store's simulation (the command line's and the Schedule page's) staffs and serves the store as its
    recommendation reads it: demand pooled over the chain, patience from the kept estimates. Estimated from the
    store's own counts alone, S04's simulated staff differed from its recommendation in 11 of its 66 hours."""
    from planner import pipeline, storage

    settings = Settings()
    engine = storage.connect(settings, sample_url)
    shown = pipeline.recommend(engine, settings, ["S04"])
    simulated = pipeline.simulate_store(engine, settings, "S04", replications=2).frame()
    both = shown.merge(simulated, on=["store_id", "weekday", "hour"], how="outer", validate="1:1")
    assert len(both) == len(shown) == 66
    np.testing.assert_array_equal(both["staff"].to_numpy(float), both["required_staff"].to_numpy(float))


def test_a_simulation_given_the_chains_demand_does_not_estimate_it_again(sample_url, monkeypatch):
    """The Schedule page simulates from the pooled demand it holds in its cache: the same weeks as estimating the
    chain's demand for the simulation, without estimating it (on a large chain, seconds per simulation)."""
    from planner import pipeline, storage
    from planner.stored_patience import stored_patience

    settings = Settings()
    engine = storage.connect(settings, sample_url)
    observations, stores = storage.load_observations(engine), storage.load_stores(engine)
    patience = stored_patience(engine, observations, stores, settings, calendar=None)
    held = pipeline.demand_from_frames(observations, stores, settings, patience=patience)
    estimated = pipeline.simulate_store(engine, settings, "S04", replications=2).frame()

    def not_again(*args, **kwargs):
        raise AssertionError("the chain's demand was estimated again")

    monkeypatch.setattr(pipeline, "estimate_demand", not_again)
    given = pipeline.simulate_store_from_frames(observations, stores, settings, "S04", patience=patience,
                                                demand=held, replications=2).frame()
    pd.testing.assert_frame_equal(given, estimated)
    with pytest.raises(AssertionError, match="estimated again"):
        pipeline.simulate_store_from_frames(observations, stores, settings, "S04", patience=patience,
                                            replications=2)


def test_simulate_command_names_the_bad_cell_of_a_shifts_file(sample_url, tmp_path, capsys):
    from planner.cli import main

    url = sample_url
    shifts = tmp_path / "shifts.csv"
    shifts.write_text("store_id,weekday,start,end,break_start,staff\nS02,0,10:00,18:00,13:00,2\nS02,1,10:00,18:00,,x\n")
    capsys.readouterr()
    assert main(["--database-url", url, "simulate", "--store", "S02", "--schedule", str(shifts),
                 "--replications", "10"]) == 1
    out = capsys.readouterr()
    assert out.out == ""  # a refused file's problems are said on standard error, with the refusal
    assert "shifts.csv:3: staff: 'x' is not understood. Write a whole number of staff from 0 to 1,000." in out.err
    assert out.err.strip().endswith("1 error on 1 row found; nothing was simulated") and "Traceback" not in out.out + out.err


@pytest.mark.parametrize(("content", "code", "says"), [
    (b"", 1, "shifts.csv: the file is empty"),  # EmptyDataError, as a defect, before
    (b"store_id,weekday,start,end,break_start,staff\n", 1, "has a header but no rows"),  # 0 staff all week before
    (b"store_id,weekday,start,end,break_start,staff\nS02,0,10:00,18:00,,nan\n", 1, "'nan' is not understood"),
    (b"store_id,weekday,start,end,break_start,staff\nS02,0,10:00,18:00,,1e999\n", 1, "'1e999' is not understood"),
    (b"store_id,weekday,start,end,break_start,staff\nS02,0,10:00,18:00,,99999999999\n", 1, "from 0 to 1,000"),
    (b"store_id,weekday,start,end,break_start,staff\nS01,0,10:00,18:00,,2\n", 1,
     "no shift of store S02 (the file's stores: S01)"),  # simulated with no staff before
    (None, 2, "cannot read"),
])
def test_a_shifts_file_the_simulation_cannot_use_is_said_in_words(sample_url, tmp_path, capsys, content, code, says):
    from planner.cli import main

    shifts = tmp_path / "shifts.csv"
    if content is not None:
        shifts.write_bytes(content)
    capsys.readouterr()
    assert main(["--database-url", sample_url, "simulate", "--store", "S02", "--schedule", str(shifts),
                 "--replications", "2"]) == code
    out = capsys.readouterr()
    said = out.out + out.err
    assert says in said and "unexpected" not in said and "Traceback" not in said


def test_a_file_of_other_columns_says_which_are_missing_and_the_fix_once(sample_url, tmp_path, capsys):
    """`simulate --schedule excel.csv` with a file of other columns printed six "column missing" lines, each
    repeating the same fix. One line names the missing columns; the fix is said once. A plan's dated shifts file
    missing columns reads alike."""
    from planner.cli import main
    from planner.errors import InputRejected
    from planner.simulation.dated import dated_shifts_from_csv

    (wrong := tmp_path / "excel.csv").write_text("name,hours\nAnn,8\n")
    capsys.readouterr()
    assert main(["--database-url", sample_url, "simulate", "--store", "S02", "--schedule", str(wrong)]) == 1
    out = capsys.readouterr()
    assert out.out == "" and out.err.splitlines()[:-1] == [
        f"{wrong}: columns missing: store_id, weekday, start, end, break_start, staff. Give the shifts.csv that "
        "`schedule --out-dir` writes (store_id, weekday, start, end, break_start, staff); a plan's or a roster's "
        "shifts file has other columns."]
    table = pd.DataFrame({"store_id": ["S02"], "iso_week": ["2026-W50"], "day": ["Mon"], "start": ["09:00"],
                          "end": ["17:00"], "break_start": [""]})
    table.attrs["file"] = "plan_shifts.csv"
    with pytest.raises(InputRejected) as refused:
        dated_shifts_from_csv(table, "S02", "2026-W50", [])
    (problem,) = refused.value.problems
    assert (problem.column, problem.message) == (None, "columns missing: date, staff")


def test_a_shifts_file_with_semicolons_simulates_as_its_csv_does(sample_url, tmp_path):
    from planner.simulation import read_shifts_csv, roster_from_shifts

    rows = ["store_id,weekday,start,end,break_start,staff", "S02,0,10:00,18:00,13:00,2", "S02,6,22:00,02:00,,1"]
    (tmp_path / "comma.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "semicolon.csv").write_text("\n".join(row.replace(",", ";") for row in rows) + "\n")
    comma, semicolon = (roster_from_shifts(read_shifts_csv((tmp_path / name).read_bytes(), name), "S02",
                                           break_minutes=30)
                        for name in ("comma.csv", "semicolon.csv"))
    assert (comma == semicolon).all() and comma.sum() == 2 * (8 * 60 - 30) + 4 * 60


def test_the_schedule_page_simulates_the_shifts_and_a_what_if(sample_url, monkeypatch):
    """A planner makes S01's schedule, presses Simulate: a chart of Monday's service and giving up with bands
    against the targets, the hours at risk and the week's customers lost; 50% more customers lose more."""
    from streamlit.testing.v1 import AppTest

    from app_pages import simulation_view, state
    from planner.settings import DATABASE_URL_ENV

    url = sample_url
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    app = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60).run()
    app.switch_page("app_pages/schedule.py").run()
    app.button(key=state.SCHEDULE_RUN).click().run()
    app.button(key=simulation_view.RUN).click().run()
    assert not app.exception and not app.error

    def shown() -> tuple[dict, float]:
        figure = json.loads(app.get("plotly_chart")[-1].proto.spec)
        lost = next(m.value for m in app.markdown if m.value.startswith("Customers giving up a week"))
        return figure, float(lost.split("**")[1])

    figure, lost = shown()
    assert figure["layout"]["title"]["text"] == "S01, Mon"
    names = {trace.get("name") for trace in figure["data"]}
    share = Settings().simulation.at_risk_week_share  # the ✖'s legend states its rule
    assert {"all weeks pooled", "middle 90% of weeks", "target / limit",
            f"hour at risk: misses the targets in more than {share:.0%} of the weeks, or on all weeks pooled"} <= names
    app.number_input(key=simulation_view.SCALE).set_value(1.5).run()
    app.button(key=simulation_view.RUN).click().run()
    figure, lost_more = shown()
    assert figure["layout"]["title"]["text"] == "S01, Mon, 150% of the counted customers"
    assert lost_more > 1.5 * lost
    # the same shifts simulated again: from the session's results (a cached call replaying the progress bar failed)
    app.button(key=simulation_view.RUN).click().run()
    assert not app.exception and not app.error and shown()[1] == lost_more
    # a new schedule: the simulation of the old one is not shown as if it were this one's
    app.number_input(key=state.SCHEDULE_BUDGET).set_value(200.0).run()
    app.button(key=state.SCHEDULE_RUN).click().run()
    assert not app.exception and not any(m.value.startswith("Customers giving up a week") for m in app.markdown)
    assert any(box.value.startswith("Press **Simulate**") for box in app.info)


def test_the_schedule_pages_simulation_ends_a_late_saturday_with_its_own_hour_after_midnight(sample_url, monkeypatch):
    """S07 opens Saturday 10:00-01:00 (data/stores.csv): the page's Saturday ends with "00:00+1", the hour the CLI
    prints as "Sat 00:00+1", both from `SimulationResult.frame_by_opening` (the page re-keyed the clock's frame
    itself)."""
    from streamlit.testing.v1 import AppTest

    from app_pages import simulation_view, state
    from planner.settings import DATABASE_URL_ENV

    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=90).run()
    app.switch_page("app_pages/schedule.py").run()
    app.multiselect(key=state.SCHEDULE_STORES).set_value(["S07"]).run()
    app.button(key=state.SCHEDULE_RUN).click().run()
    app.segmented_control(key=state.SCHEDULE_VIEW_WEEKDAY).set_value(5).run()
    app.button(key=simulation_view.RUN).click().run()
    assert not app.exception and not app.error
    figure = json.loads(app.get("plotly_chart")[-1].proto.spec)
    assert figure["layout"]["title"]["text"] == "S07, Sat"
    hours = next(trace for trace in figure["data"] if trace.get("name") == "all weeks pooled")["x"]
    assert hours[0] == "10:00" and hours[-1] == "00:00+1" and "00:00" not in hours


def test_simulate_command_checks_the_staffing_and_says_why(sample_url, capsys):
    from planner.cli import main

    url = sample_url
    assert main(["--database-url", url, "simulate", "--store", "S09", "--replications", "100",
                 "--check-staffing"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    corrected = int(lines[0].split(": ")[1].split(" of ")[0])
    assert lines[0].startswith("S09: ") and "staff-hours" in lines[0]
    changed = [line for line in lines[1:] if ": +" in line or ": -" in line]
    capped = [line for line in lines[1:] if "misses the target at max_staff" in line]
    assert corrected == len(changed) > 0 and len(changed) + len(capped) >= len(lines) - 1
    assert all(line[:3] in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun") for line in lines[1:])


def test_a_stores_own_service_cv_is_simulated_instead_of_the_setting():
    """One salesperson, 6 help-seekers an hour of 6 minutes (load 0.6), nobody giving up: the mean wait is the
    Pollaczek-Khinchine formula's 4.5 (1 + CV^2) minutes, 5.6 at the store's CV 0.5 and 9 at the setting's 1."""
    targets = replace(TARGETS, patience_minutes=1e7)
    rules = SimulationRules(service_distribution="lognormal", service_cv=1.0, replications=30)
    steady = slice(4, HOURS_PER_WEEK)
    waits = {}
    for cv in (None, 0.5):
        week = replace(store_week(6.0, 6.0, targets=targets), service_cv=cv)
        result = simulate_week(week, roster_by_hour(1), rules, seed=5)
        per_week = result.counts.wait_minutes[:, steady].sum(axis=1) / result.counts.help_seekers[:, steady].sum(axis=1)
        waits[cv] = (per_week.mean(), 3.3 * per_week.std(ddof=1) / np.sqrt(per_week.size))
    for cv, (mean, half) in waits.items():
        expected = 0.6 * 6.0 * (1 + (cv or rules.service_cv) ** 2) / (2 * (1 - 0.6))
        assert abs(mean - expected) <= max(half, 0.05 * expected), (cv, mean, expected, half)


def test_a_store_week_takes_the_store_files_service_cv_and_a_blank_takes_the_setting():
    demand = pd.DataFrame({"store_id": ["A", "B"], "weekday": [0, 0], "hour": [10, 10]})
    for column in ("assisted_per_hour", "assisted_per_hour_low", "assisted_per_hour_high", "self_service_per_hour",
                   "self_service_per_hour_low", "self_service_per_hour_high", "assisted_minutes_mean",
                   "touch_minutes_mean"):
        demand[column] = 5.0
    stores = pd.DataFrame({"store_id": ["A", "B"], "min_staff": pd.array([1, 1], dtype="Int64"),
                           "max_staff": pd.array([4, 4], dtype="Int64"),
                           "service_cv": pd.array([1.7, None], dtype="Float64")})
    settings = Settings(simulation=SimulationRules(service_cv=0.6))
    weeks = {store: StoreWeek.from_demand(demand, stores, store, settings) for store in ("A", "B")}
    assert {store: week.service_cv_of(settings.simulation) for store, week in weeks.items()} == {"A": 1.7, "B": 0.6}


def test_a_store_with_no_counts_is_not_simulated_as_losing_no_one(sample_url, tmp_path, capsys):
    """A store added without counts was simulated as 'hours at risk (0): none' and 'customers lost a week: 0'."""
    from conftest import DATA
    from planner import cli

    header, first = (DATA / "stores.csv").read_text(encoding="utf-8").splitlines()[:2]
    new = tmp_path / "new_store.csv"
    new.write_text(f"{header}\nS10,{first.split(',', 1)[1]}\n", encoding="utf-8")
    assert cli.main(["--database-url", sample_url, "import", "--stores", str(new)]) == EXIT_OK
    capsys.readouterr()
    code = cli.main(["--database-url", sample_url, "simulate", "--store", "S10"])
    captured = capsys.readouterr()
    assert code == EXIT_UNAVAILABLE and "hours at risk" not in captured.out
    assert "S10 has no counts yet, so there is no demand to simulate" in captured.err


@pytest.mark.parametrize("service_cv", [0.5, 0.8, 1.5])
def test_erlang_a_holds_for_lognormal_services_of_any_spread_when_customers_give_up_within_minutes(service_cv):
    """The staffing formulas assume exponential services; shop services are closer to lognormal, with a spread a
    store may not know. With patience of minutes that spread hardly matters: in a steady simulated queue (one
    staffing all along, 1,000 hours x 4 runs) Erlang A's service level within 60 s and abandon share are within
    0.02 of what the queue does, at CV 0.5, 0.8 and 1.5 alike and from 1 to 10 Erlangs. (Without abandonment it
    would matter: Erlang C under-states a CV of 0.5's service level by 0.02-0.03 at these loads.) So the staffing
    needs no service-spread setting, and a correction for it moved the plans along the same curve of share met
    against staff-hours (docs/accuracy.md)."""
    hours, runs = 1000, 4
    for service_minutes, load, above, patience in ((8.0, 1.0, 1, 2.0), (12.0, 2.5, 2, 4.0), (12.0, 5.0, 1, 10.0),
                                                   (12.0, 5.0, 2, 4.0), (20.0, 10.0, 3, 10.0)):
        staff, rate = int(load) + above, load * 60.0 / service_minutes
        counts = run_replications(
            np.arange(runs) + 11, np.full((runs, hours), rate), np.zeros((runs, hours)),
            np.full(hours, service_minutes), np.ones(hours), lognormal=True, service_cv=service_cv,
            patience_minutes=patience, target_wait_minutes=1.0, change_minutes=np.array([0.0]),
            change_staff=np.array([staff]))
        steady = slice(5, None)
        arrivals = counts.help_seekers[:, steady].sum()
        formula = erlang_a(rate, service_minutes, staff, patience_minutes=patience, target_wait_seconds=60)
        simulated = (counts.served_within_target[:, steady].sum() / arrivals,
                     counts.abandoned[:, steady].sum() / arrivals)
        assert abs(simulated[0] - float(formula.service_level_all_arrivals)) <= 0.02, (load, staff, simulated)
        assert abs(simulated[1] - float(formula.prob_abandon)) <= 0.02, (load, staff, simulated)


def _rare_bad_week() -> SimulationResult:
    """20 weeks of Monday 10:00 counted by hand: 19 weeks of 2 help-seekers, both served in time; one week of 40, 10
    served in time and 20 giving up. Pooled: 48 of 78 served (62%), 20 of 78 giving up (26%); the weeks' own figures:
    nineteen 100% and one 25%, so the middle 90% is 96%-100% (numpy's linear quantiles) and the median week 100%."""
    weeks, hour = 20, 10
    counts = {name: np.zeros((weeks, HOURS_PER_WEEK)) for name in
              ("help_seekers", "served_within_target", "abandoned", "wait_minutes", "touches", "busy_staff_minutes")}
    counts["help_seekers"][:, hour], counts["served_within_target"][:, hour] = 2, 2
    counts["help_seekers"][0, hour], counts["served_within_target"][0, hour], counts["abandoned"][0, hour] = 40, 10, 20
    counts["busy_staff_minutes"][:, hour] = 30
    week = store_week(np.where(np.arange(HOURS_PER_WEEK) == hour, 5.0, 0.0), 6.0)
    staff = np.where(np.arange(HOURS_PER_WEEK) == hour, 2, 0)
    return SimulationResult(week, roster_by_hour(staff), HourlyCounts(**counts), EXPONENTIAL, 0.0)


def test_a_pooled_figure_outside_its_band_is_said_to_be_the_pooled_figure_and_the_median_is_inside():
    """`simulate` printed "Sat 22:00 2.0 99% ( 100%- 100%)": a mean below its own 5% quantile, as a few much worse
    weeks pull a pooled share below what most weeks see. Each figure is now named: all weeks pooled, then the median
    week and the middle 90% of weeks, which holds the median (the pooled figure lies within the range of all
    weeks, as a weighted mean of the weeks' figures)."""
    from planner.simulation.plan import plan_text
    from planner.simulation.wording import band_name, figures_sentence

    result = _rare_bad_week()
    text = plan_text(result, "a hand-counted week")
    assert figures_sentence(20, 0.9) in text
    assert "all weeks pooled" in text and "median week" in text and "middle 90% of weeks" in text
    assert band_name(0.9) == "middle 90% of weeks"
    header = next(line for line in text.splitlines() if line.lstrip().startswith("pooled (median, middle 90%)"))
    assert header.count("pooled (median, middle 90%)") == 2
    row = next(line for line in text.splitlines() if line.startswith("Mon 10:00"))
    assert " 62% ( 100%,   96%- 100%)" in row and " 26% (   0%, " in row
    frame = result.frame()
    per_week = result.per_week("service_level")[:, 10]
    assert per_week.min() <= frame["service_level"].iloc[0] <= per_week.max()
    assert not frame["service_level_low"].iloc[0] <= frame["service_level"].iloc[0]  # outside the band, as said


def test_every_printed_median_lies_inside_its_printed_band(sample_url, capsys):
    """On a real store's week (S03, 30 weeks): every row's median week, read from the printed text, is inside the
    middle 90% printed beside it, for service level and giving up alike; and the printed pooled figure is the
    frame's."""
    from planner.cli import main

    assert main(["--database-url", sample_url, "simulate", "--store", "S03", "--replications", "30"]) == 0
    text = capsys.readouterr().out
    figures = re.compile(r"(\d+)% \(\s*(\d+)%,\s*(\d+)%-\s*(\d+)%\)")
    rows = [line for line in text.splitlines() if re.match(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:00 ", line)]
    assert len(rows) > 50
    for line in rows:
        found = figures.findall(line)
        assert len(found) == 2, line
        for _, median, low, high in found:
            assert int(low) <= int(median) <= int(high), line
