"""The typed plan: built for a dated week of the sample chain with a store calendar, checked against the calendar
(closed dates have no requirement and no shift), against a plan without it (a demand factor scales customers), by
recomputing coverage from the dated shifts, through its JSON document and back, and through its fingerprint."""

from __future__ import annotations

import contextlib
import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from planner import pipeline, storage
from planner.cli import main
from planner.io import read_table, validate_observations, validate_stores
from planner.io.calendar import validate_calendar
from planner.io.stores import opening_week
from planner.plans import Plan, PlanRequest, input_fingerprint, request_from_json, store_week_fingerprints
from planner.plans.export import clock, shifts_table
from planner.settings import ImportRules, Settings

from conftest import DATA

STORES = ("S01", "S02")
CALENDAR_CSV = ("store_id,date,closed,hours,demand_factor,note\n"
                ",2026-12-08,yes,,,holiday\n"
                "S01,2026-12-08,no,,1.5,sale instead\n"
                "S02,2026-12-10,,12:00-22:00,,late opening\n")


@pytest.fixture(scope="module")
def frames():
    stores = validate_stores(read_table((DATA / "stores.csv").read_bytes(), "stores.csv")).frame
    observations = validate_observations(read_table((DATA / "observations.csv").read_bytes(), "observations.csv"),
                                         opening_week(stores), ImportRules()).frame
    calendar = validate_calendar(read_table(CALENDAR_CSV.encode(), "calendar.csv"), stores["store_id"]).frame
    return observations, stores, calendar


@pytest.fixture(scope="module")
def plans(frames):
    observations, stores, calendar = frames
    request = PlanRequest(weeks=("2026-W50",), store_ids=STORES)
    with_calendar = pipeline.make_plan_from_frames(observations, stores, request, calendar=calendar, parallel=False)
    without = pipeline.make_plan_from_frames(observations, stores, request, parallel=False)
    return with_calendar, without


LATE_S03 = ("07:00-24:00,07:00-24:00,09:00-18:00", "07:00-03:00,07:00-05:00,09:00-18:00")
"""S03's Friday and Saturday as the sample has them, and open until 03:00 and 05:00."""


@pytest.fixture(scope="module")
def late_plan(frames):
    """S03 open Friday 07:00-03:00 and Saturday 07:00-05:00, with shifts of 4 or 5 hours only: Saturday's last hour
    (04:00-05:00) is then covered by a shift that starts after midnight (00:00 or 01:00)."""
    observations = frames[0]
    usual = (DATA / "stores.csv").read_text()
    assert usual.count(LATE_S03[0]) == 1
    stores = validate_stores(read_table(usual.replace(*LATE_S03).encode(), "stores.csv")).frame
    settings = Settings().with_shift_rules(shift_lengths_hours=(4, 5))
    return pipeline.make_plan_from_frames(observations, stores, PlanRequest(
        weeks=("2026-W50",), store_ids=("S03",), settings=settings), parallel=False)


def test_every_frame_of_the_plan_passes_its_schema(plans, frames):
    plan, _ = plans
    plan.validate()
    assert plan.store_ids == STORES
    # a schedule is short only where the requirement is beyond what the store allows: S02's counts put its patience
    # under 2 minutes, and its Saturday evening then needs more than its max_staff of 12
    status = plan.schedules.set_index("store_id")["status"]
    under = plan.coverage[plan.coverage["under"] > 0]
    max_staff = frames[1].set_index("store_id")["max_staff"].astype(float)
    assert set(status) <= {"optimal", "short"} and status["S01"] == "optimal"
    assert set(under["store_id"]) == set(status[status == "short"].index)
    assert (under["required_staff"] > under["store_id"].map(max_staff)).all()
    assert (under["scheduled_staff"] == under["store_id"].map(max_staff)).all()


def test_a_closed_date_has_no_requirement_and_no_shift(plans):
    plan, _ = plans
    tuesday = pd.Timestamp("2026-12-08")
    assert not ((plan.staffing["store_id"] == "S02") & (plan.staffing["date"] == tuesday)).any()
    assert not ((plan.shifts["store_id"] == "S02") & (plan.shifts["date"] == tuesday)).any()
    assert ((plan.staffing["store_id"] == "S01") & (plan.staffing["date"] == tuesday)).sum() == 10


def test_changed_hours_are_the_hours_staffed_that_date(plans):
    plan, _ = plans
    thursday = plan.staffing[(plan.staffing["store_id"] == "S02") & (plan.staffing["date"] == "2026-12-10")]
    assert sorted(thursday["hour"]) == list(range(12, 22))
    shifts = plan.shifts[(plan.shifts["store_id"] == "S02") & (plan.shifts["date"] == "2026-12-10")]
    assert shifts["start_minute"].min() >= 12 * 60 and shifts["end_minute"].max() <= 22 * 60


def test_a_demand_factor_scales_that_dates_customers_only(plans):
    plan, usual = plans
    key = ["store_id", "date", "hour"]
    rates = plan.demand.set_index(key)["assisted_per_hour"].astype(float)
    base = usual.demand.set_index(key)["assisted_per_hour"].astype(float)
    tuesday = rates.xs(("S01", pd.Timestamp("2026-12-08")), level=["store_id", "date"])
    base_tuesday = base.xs(("S01", pd.Timestamp("2026-12-08")), level=["store_id", "date"])
    np.testing.assert_allclose(tuesday.to_numpy(), 1.5 * base_tuesday.to_numpy(), rtol=1e-9)
    monday = pd.Timestamp("2026-12-07")
    np.testing.assert_allclose(rates.xs(("S01", monday), level=["store_id", "date"]).to_numpy(),
                               base.xs(("S01", monday), level=["store_id", "date"]).to_numpy(), rtol=1e-9)
    more = plan.staffing.set_index(key)["required_staff"].xs(("S01", pd.Timestamp("2026-12-08")),
                                                             level=["store_id", "date"])
    assert (more.to_numpy() >= usual.staffing.set_index(key)["required_staff"]
            .xs(("S01", pd.Timestamp("2026-12-08")), level=["store_id", "date"]).to_numpy()).all()


@pytest.mark.parametrize("which", ["calendar", "open after midnight"])
def test_coverage_recomputed_from_the_dated_shifts_matches_the_plan(plans, late_plan, which):
    """Coverage is per clock date and hour; a shift is on the date of its opening, its minutes counted from that
    date's midnight (past 1,440 after it): both read as moments, the fewest on the floor in each hour is the plan's."""
    plan = plans[0] if which == "calendar" else late_plan
    minute = pd.Timedelta(minutes=1)
    shifts = plan.shifts.assign(
        start=plan.shifts["date"] + plan.shifts["start_minute"] * minute,
        end=plan.shifts["date"] + plan.shifts["end_minute"] * minute,
        pause=plan.shifts["date"] + plan.shifts["break_start_minute"].astype("Float64").fillna(-1e6) * minute)
    for row in plan.coverage.itertuples():
        theirs = shifts[shifts["store_id"] == row.store_id]
        on_floor = []
        for half in (row.date + pd.Timedelta(hours=row.hour), row.date + pd.Timedelta(hours=row.hour, minutes=30)):
            working = (theirs["start"] <= half) & (theirs["end"] >= half + 30 * minute)
            on_break = (theirs["pause"] > half - 30 * minute) & (theirs["pause"] <= half)
            on_floor.append(int(theirs["staff"][working & ~on_break].sum()))
        assert row.scheduled_staff == min(on_floor), (row.store_id, row.date, row.hour)


def test_the_json_document_round_trips(plans):
    plan, _ = plans
    text = plan.to_json()
    document = json.loads(text)
    assert document["format"] == "planner.plan/1" and document["iso_weeks"] == ["2026-W50"]
    first = document["frames"]["shifts"][0]
    assert isinstance(first["start_minute"], int) and first["date"].count("-") == 2
    back = Plan.from_json(text)
    assert back.to_json() == text
    assert back.request == plan.request and back.fingerprint == plan.fingerprint
    for name in ("shifts", "coverage", "staffing", "demand", "targets", "schedules"):
        left, right = plan.frame(name).reset_index(drop=True), back.frame(name)
        assert list(left.columns) == list(right.columns)
        for column in left.columns:
            if pd.api.types.is_numeric_dtype(left[column]) and not pd.api.types.is_bool_dtype(left[column]):
                # 15 decimals are written: floating noise near 0 (1.8e-15 customers an hour) comes back rounded
                np.testing.assert_allclose(left[column].to_numpy(dtype=float, na_value=np.nan),
                                           right[column].to_numpy(dtype=float, na_value=np.nan), rtol=1e-12,
                                           atol=1e-14)
            else:
                assert left[column].astype(str).tolist() == right[column].astype(str).tolist(), (name, column)
    with pytest.raises(ValueError, match="format"):
        Plan.from_json(json.dumps({**document, "format": "other"}))
    # the request alone, as a list of plans reads it, is the whole document's
    assert request_from_json(text) == back.request == plan.request
    with pytest.raises(ValueError, match="format"):
        request_from_json(json.dumps({**document, "format": "other"}))


def test_a_plan_document_read_again_is_checked_once_and_each_reader_gets_its_own_copy(plans, monkeypatch):
    """A roster, a re-plan and a list of saved plans each read the same published plan back, every frame typed and
    checked against its schema (a tenth of a roster command). The same document is checked once; each reader gets
    frames of its own (one changed leaves the next reader's as written), and another document is read anew."""
    from planner.plans import plan as plan_module

    plan, _ = plans
    text = plan.to_json()
    checked: list[int] = []
    frame = plan_module._frame

    def counting(records, schema):
        checked.append(len(records))
        return frame(records, schema)

    monkeypatch.setattr(plan_module, "_frame", counting)
    first = Plan.from_json(text)
    read = len(checked)
    assert read == len(plan_module.FRAMES)
    first.shifts.loc[:, "paid_hours"] = 0.0
    again = Plan.from_json(text)
    assert len(checked) == read and again.to_json() == text
    other = json.loads(text)
    other["created_at"] = "2026-11-30T08:00:00+00:00"
    assert Plan.from_json(json.dumps(other)).created_at == "2026-11-30T08:00:00+00:00" and len(checked) == 2 * read
    with pytest.raises(ValueError, match="format"):
        Plan.from_json(json.dumps({**other, "format": "other"}))
    with pytest.raises(ValueError, match="format"):  # a refusal is not kept as a plan either
        Plan.from_json(json.dumps({**other, "format": "other"}))


def test_a_plan_less_a_store_week_is_the_others_parts_exactly_and_nothing_of_it(plans):
    """What a publish keeps of a plan some store-weeks of which are left out (`Plan.without`): each store-week left
    is saved as the very document it is of the whole plan, and no frame holds a row of the one left out."""
    plan, _ = plans
    gone, *kept = plan.store_ids
    part = plan.without([(gone, "2026-W50")])
    assert part.store_ids == tuple(kept) and part.request.store_ids == tuple(kept)
    assert [row["store_id"] for row in part.index_rows()] == kept
    for name in ("targets", "exceptions", "demand", "staffing", "shifts", "coverage", "schedules", "explanations",
                 "inputs"):
        assert gone not in set(part.frame(name)["store_id"]), name
    for store in kept:
        assert part.for_store_week(store, "2026-W50").to_json() == plan.for_store_week(store, "2026-W50").to_json()
    assert plan.without([]) is plan


def test_a_plan_without_calendar_exceptions_reads_back(plans):
    _, without = plans
    assert without.exceptions.empty
    back = Plan.from_json(without.to_json())
    assert back.exceptions.empty and back.to_json() == without.to_json()


def test_the_fingerprint_changes_with_every_input_and_only_then(frames, plans):
    observations, stores, calendar = frames
    plan, _ = plans
    ids = list(STORES)
    observed = observations[observations["store_id"].isin(ids)]
    chosen = stores[stores["store_id"].isin(ids)].reset_index(drop=True)
    same = input_fingerprint(observed.sample(frac=1, random_state=1), chosen, plan.exceptions, Settings())
    assert same == plan.fingerprint
    changed = observed.copy()
    changed.iloc[0, changed.columns.get_loc("visitors")] += 1
    assert input_fingerprint(changed, chosen, plan.exceptions, Settings()).changed(plan.fingerprint) == \
        ("observations",)
    assert input_fingerprint(observed, chosen, plan.exceptions, Settings().with_targets(min_staff=2)) \
        .changed(plan.fingerprint) == ("settings",)
    assert input_fingerprint(observed, chosen, plan.exceptions.iloc[1:], Settings()).changed(plan.fingerprint) == \
        ("calendar",)
    assert input_fingerprint(observed, chosen.assign(wage_per_hour=99.0), plan.exceptions, Settings()) \
        .changed(plan.fingerprint) == ("stores",)


@pytest.mark.parametrize(("minute", "text"), [(600, "10:00"), (1440, "00:00+1"), (1560, "02:00+1"), (None, "")])
def test_shift_times_become_clock_times_only_when_shown(minute, text):
    assert clock(minute) == text


def test_the_plan_command_writes_dated_shifts(tmp_path, plans, sample_url):
    database = sample_url
    calendar = tmp_path / "calendar.csv"
    calendar.write_text(CALENDAR_CSV)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--database-url", database, "plan", "--week", "2026-W50", "--store", "S01", "--store", "S02",
                     "--calendar", str(calendar), "--out-dir", str(tmp_path / "out")])
    assert code == 0, err.getvalue()
    assert "S02 Tue 2026-12-08: closed (holiday) [chain calendar]" in out.getvalue()
    shifts = pd.read_csv(tmp_path / "out" / "plan_shifts.csv", dtype=str, keep_default_na=False)
    plan, _ = plans
    expected = shifts_table(plan).astype(str).reset_index(drop=True)
    pd.testing.assert_frame_equal(shifts, expected)
    assert shifts["start"].str.fullmatch(r"\d\d:\d\d").all()
    assert Plan.from_json((tmp_path / "out" / "plan.json").read_text()).store_ids == STORES


@pytest.mark.parametrize(("args", "flag"), [(["--week", "2026-W60"], "--week"), (["--week", "soon"], "--week"),
                                            (["--week", "2026-W50", "--min-staff", "-1"], "--min-staff")])
def test_a_bad_plan_flag_is_one_line_naming_it(args, flag):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main(["plan", *args]) == 1
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and flag in lines[0]


def test_a_calendar_with_errors_is_rejected_with_rows(tmp_path, sample_url):
    database = sample_url
    calendar = tmp_path / "calendar.csv"
    calendar.write_text("store_id,date,closed\nS77,2026-12-08,yes\n")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--database-url", database, "plan", "--week", "2026-W50", "--calendar", str(calendar)])
    assert code == 1
    assert "calendar.csv:2: store_id: store 'S77' is not in the database" in out.getvalue() + err.getvalue()
    # what the errors stopped is the plan: "nothing was imported" named an import that was never asked for
    assert err.getvalue().strip().splitlines()[-1] == "1 error on 1 row found; nothing was planned"


@pytest.mark.parametrize("args", [
    ["--week", "2026-W50", "--store", "S99"],  # planning fails: an unknown store
    ["--week", "2026-W50", "--store", "S01", "--min-staff", "500"],  # planning fails: a what-if the store refuses
    ["--week", "2026-W40", "--store", "S01", "--publish"],  # planned, then refused: the week is over
])
def test_a_plan_that_fails_keeps_no_calendar_and_one_that_succeeds_stores_it_as_planned(tmp_path, sample_url, args):
    """`plan --calendar FILE` stored the calendar first: a plan that then failed, or was refused, left it stored
    though the command failed. The file is checked first, planned with, and stored with the plan or not at all."""
    calendar = tmp_path / "calendar.csv"
    calendar.write_text("store_id,date,closed,note\nS01,2026-12-10,yes,stocktake\n")
    engine = storage.connect(Settings(database_url=sample_url))
    before = storage.load_calendar(engine)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--database-url", sample_url, "plan", *args, "--calendar", str(calendar)])
    assert code == 1 and "error: " in err.getvalue(), err.getvalue()
    pd.testing.assert_frame_equal(storage.load_calendar(engine), before)
    assert storage.list_plans(engine).empty and "calendar.csv" not in out.getvalue()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # the same file with a plan that succeeds
        code = main(["--database-url", sample_url, "plan", "--week", "2026-W50", "--store", "S01", "--calendar",
                     str(calendar)])
    assert code == 0, err.getvalue()
    assert "S01 Thu 2026-12-10: closed (stocktake)" in out.getvalue()
    assert "calendar.csv: 1 row added, 0 replaced, 0 unchanged" in out.getvalue()
    stored = storage.load_calendar(engine)
    assert list(stored["date"]) == [pd.Timestamp("2026-12-10")] and list(stored["note"]) == ["stocktake"]
    listed = io.StringIO()
    with contextlib.redirect_stdout(listed):
        assert main(["--database-url", sample_url, "plans", "list"]) == 0
    (row,) = listed.getvalue().splitlines()[1:]
    assert row.endswith(" as made")  # the calendar it was planned with is the one stored


def test_hours_past_midnight_are_planned_on_the_date_they_close(frames):
    observations, stores, _ = frames
    late = validate_calendar(read_table(b"store_id,date,hours\nS01,2026-12-12,10:00-01:00\n", "late.csv"),
                             stores["store_id"]).frame
    plan = pipeline.make_plan_from_frames(observations, stores, PlanRequest(weeks=("2026-W50",), store_ids=("S01",)),
                                          calendar=late, parallel=False)
    after_midnight = plan.demand[(plan.demand["date"] == "2026-12-13") & (plan.demand["hour"] == 0)]
    assert list(after_midnight["business_date"]) == [pd.Timestamp("2026-12-12")]
    saturday = plan.staffing[plan.staffing["date"] == "2026-12-12"]
    assert sorted(saturday["hour"]) == list(range(10, 24))
    sunday = plan.staffing[plan.staffing["date"] == "2026-12-13"]
    assert sorted(sunday["hour"]) == [0, *range(12, 18)]  # Saturday's last hour, then Sunday's own 12:00-18:00


def test_each_store_week_has_its_own_fingerprint(frames, plans):
    observations, stores, _ = frames
    plan, _ = plans
    rows = plan.index_rows()
    assert [(r["store_id"], r["iso_week"]) for r in rows] == [("S01", "2026-W50"), ("S02", "2026-W50")]
    assert all(r["created_at"] == plan.created_at and len(r["fingerprint"]) == 16 for r in rows)
    # one more count for S02 changes S02's fingerprint only
    extra = observations[observations["store_id"] == "S02"].head(1).assign(visitors=pd.array([999], dtype="Int64"))
    ids = list(STORES)
    chosen = stores[stores["store_id"].isin(ids)].reset_index(drop=True)
    again = store_week_fingerprints(observations[observations["store_id"].isin(ids)], chosen, plan.exceptions,
                                    Settings(), {}, ["2026-W50"]).set_index("store_id")["digest"]
    changed = store_week_fingerprints(pd.concat([observations[observations["store_id"].isin(ids)], extra]), chosen,
                                      plan.exceptions, Settings(), {}, ["2026-W50"]).set_index("store_id")["digest"]
    assert again.to_dict() == {r["store_id"]: r["fingerprint"] for r in rows}
    assert changed["S01"] == again["S01"] and changed["S02"] != again["S02"]


def test_a_plan_pools_demand_over_the_chain_as_the_recommendation_does(frames, plans):
    """A plan for two stores estimates their demand with every store's counts (the pooled model borrows a sparse
    store's profile from the chain), so its staff per hour are those `recommend` gives the same stores."""
    observations, stores, _ = frames
    _, without = plans
    recommended = pipeline.recommend_from_frames(observations, stores, Settings(), store_ids=list(STORES))
    planned = without.staffing.groupby(["store_id", "weekday", "hour"])["required_staff"].first()
    expected = recommended.set_index(["store_id", "weekday", "hour"])["required_staff"]
    both = pd.concat([planned.rename("plan"), expected.rename("recommend")], axis=1, join="inner")
    assert len(both) > 100 and both["plan"].astype("Float64").equals(both["recommend"].astype("Float64"))


def test_hours_after_midnight_are_told_with_the_evening_they_close(frames):
    """S07 opens Friday 10:00-01:00; with Saturday closed, the text said Friday had 14 open hours and the closed
    Saturday 1, with 4 staff-hours required: the hour after midnight was told on its clock date."""
    from planner.plans.export import plan_text, with_business_dates

    observations, stores, _ = frames
    closed = validate_calendar(read_table(b"store_id,date,closed,hours,demand_factor,note\nS07,2026-12-12,yes,,,\n",
                                          "calendar.csv"), stores["store_id"]).frame
    plan = pipeline.make_plan_from_frames(observations, stores, PlanRequest(weeks=("2026-W50",), store_ids=("S07",)),
                                          calendar=closed, parallel=False)
    friday, saturday = pd.Timestamp("2026-12-11"), pd.Timestamp("2026-12-12")
    rows = with_business_dates(plan)
    tail = rows[(rows["date"] == saturday) & (rows["hour"] == 0)]
    assert len(tail) == 1 and tail["business_date"].iloc[0] == friday  # staffed: it closes Friday's opening
    text = plan_text(plan)
    assert "S07 Fri 2026-12-11: 15 open hours" in text  # 10:00 to 01:00
    assert not [line for line in text.splitlines() if line.startswith("S07 Sat 2026-12-12:")]
    from planner.plans.export import one_day

    _, coverage = one_day(plan, "S07", friday.date())  # the Plans page's day: Friday ends with its 00:00+1
    assert coverage["hour"].tolist() == list(range(10, 25)) and set(coverage["weekday"]) == {4}
    assert one_day(plan, "S07", saturday.date())[1].empty
    from planner.plans.export import requirement_table

    required = requirement_table(plan)  # plan_requirement.csv files the hour under Friday too, as "00:00+1"
    friday_rows = required[(required["store_id"] == "S07") & (required["date"] == "2026-12-11")]
    assert len(friday_rows) == 15 and friday_rows["hour"].iloc[-1] == "00:00+1" and set(friday_rows["day"]) == {"Fri"}
    assert required[required["date"] == "2026-12-12"].empty
    from planner.charts import shift_gantt_figure

    sunday, _ = one_day(plan, "S07", pd.Timestamp("2026-12-13").date())  # 12:00-18:00: no shift has a break
    assert len(sunday) and sunday["break_start"].isna().all()
    shift_gantt_figure(sunday, _, "S07", 6, 30)  # the Plans page's Sunday crashed here (Int64 column, "" fill)


def _moment(date: str, clock_text: str) -> pd.Timestamp:
    """A CSV's date and clock time ("00:00+1": the next day's midnight) as one moment."""
    time, _, later = clock_text.partition("+")
    return pd.Timestamp(date) + pd.Timedelta(days=int(later or 0)) + pd.Timedelta(f"{time}:00")


def test_a_shift_after_midnight_is_filed_with_the_requirement_hours_it_covers(late_plan):
    """S03's Saturday 00:00-05:00 was filed under Sunday (`00:00-05:00`) while plan_requirement.csv files those hours
    under Saturday as 00:00+1: Sunday read as paid 23 h against its own 18 h, Saturday's night as uncovered. Read
    from the two CSVs alone, every hour a shift works is an hour the requirement files under the shift's date."""
    from planner.plans.export import plan_text, requirement_table

    plan = late_plan
    required = requirement_table(plan)
    filed = {(row.store_id, row.date, _moment(row.date, row.hour)) for row in required.itertuples()}
    shifts = shifts_table(plan)
    for row in shifts.itertuples():
        start, end = _moment(row.date, row.start), _moment(row.date, row.end)
        hours = pd.date_range(start.floor("h"), end - pd.Timedelta(minutes=1), freq="h")
        assert len(hours) and all((row.store_id, row.date, hour) in filed for hour in hours), row
    saturday = shifts[shifts["date"] == "2026-12-12"]
    after_midnight = saturday[saturday["start"].str.endswith("+1")]
    assert len(after_midnight) and set(after_midnight["day"]) == {"Sat"}  # 00:00+1-05:00+1 or 01:00+1-05:00+1
    assert set(after_midnight["end"]) == {"05:00+1"}
    sunday = shifts[shifts["date"] == "2026-12-13"]
    assert sunday["start"].min() == "09:00" and not sunday["start"].str.contains(r"\+").any()
    # the printed plan lists it with Saturday, and each date's shifts are paid for its own hours only
    lines = {line.split(":", 1)[0]: line for line in plan_text(plan).splitlines() if line.startswith("S03 ")}
    first = after_midnight.iloc[0]
    assert f"{first['start']}-{first['end']} x{first['staff']}" in lines["S03 Sat 2026-12-12"]
    assert "+1" not in lines["S03 Sun 2026-12-13"].split("shifts: ", 1)[1]


def test_the_plans_page_day_draws_a_shift_after_midnight_after_the_evening(late_plan):
    """The Plans page's Saturday: the 00:00+1 shift is Saturday's, drawn from Sunday 00:00 of the chart's week (it
    was Sunday's, drawn from Sunday's 00:00 before its 09:00 opening)."""
    from planner.charts import WEEK_START, shift_gantt_figure
    from planner.plans.export import one_day

    shifts, coverage = one_day(late_plan, "S03", pd.Timestamp("2026-12-12").date())
    assert shifts["start"].str.endswith("+1").any() and coverage["hour"].max() == 28  # 04:00+1, its last hour
    figure = shift_gantt_figure(shifts, coverage, "S03", 5, 30)
    bars = next(trace for trace in figure.data if trace.name == "on shift")
    starts = [pd.Timestamp(base) for base in bars.base]
    ends = [start + pd.Timedelta(milliseconds=length) for start, length in zip(starts, bars.x, strict=True)]
    saturday = WEEK_START + pd.Timedelta(days=5)
    assert min(starts) == saturday + pd.Timedelta(hours=7) and max(ends) == saturday + pd.Timedelta(hours=29)
    assert starts == sorted(starts)  # "00:00+1" is the day's last start, not its first
    sunday, _ = one_day(late_plan, "S03", pd.Timestamp("2026-12-13").date())
    assert sunday["start"].min() == "09:00"


def test_the_plan_text_lists_each_kind_of_shift_of_a_day_once(plans):
    """Shifts that differ only by their break read as the same group twice: "14:00-21:00 x3, 14:00-21:00 x3"."""
    from planner.plans.export import plan_text, shifts_table

    plan, _ = plans
    text = plan_text(plan)
    table = shifts_table(plan)
    for line in (line for line in text.splitlines() if "; shifts: " in line and not line.endswith("-")):
        groups = line.split("; shifts: ", 1)[1].split(", ")
        assert len(groups) == len(set(groups)), line
    first = table.iloc[0]
    breaks = table[table["break_start"].astype(str) != ""]
    assert len(breaks) and f"(break {breaks.iloc[0]['break_start']})" in text
    assert f"{first['start']}-{first['end']}" in text


@pytest.mark.filterwarnings("error::RuntimeWarning")  # a store without counts printed numpy's warning
def test_a_plan_with_no_shift_in_an_open_store_is_not_published_and_min_staff_cover_plans_it(tmp_path, sample_url):
    """S10 has no counts: its plan had no shift in 84 open hours and `plan --publish` published it (a store told to
    staff nobody), while the plan's own advice named `--min-staff-cover`, a flag only `schedule` had."""
    run = _with_new_store_s10(tmp_path, sample_url)
    code, out, err = run("plan", "--week", "2026-W50", "--store", "S10", "--publish")
    assert code == 1 and "no plan was saved or published: the plan of S10 2026-W50" in err, (code, out, err)
    assert "--min-staff-cover" in out  # the plan's own advice names a flag it has
    assert run("plans", "list")[1].count("S10") == 0
    code, out, err = run("plan", "--week", "2026-W50", "--store", "S10", "--min-staff-cover", "--publish")
    assert code == 0, err
    assert "published plan" in out and "shifts: -" not in out


def _with_new_store_s10(tmp_path, sample_url):
    """The sample with S10 imported, a new store with S01's row and no counts; the CLI on it, as (code, out, err)."""
    stores = (DATA / "stores.csv").read_text().splitlines()
    new_store = stores[1].split(",")
    new_store[0], new_store[1] = "S10", "New store"
    (tmp_path / "stores.csv").write_text("\n".join([*stores, ",".join(new_store)]) + "\n")

    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--database-url", sample_url, *argv])
        return code, out.getvalue(), err.getvalue()

    assert run("import", "--stores", str(tmp_path / "stores.csv"))[0] == 0
    return run


def test_a_plans_text_says_the_staff_hours_its_schedule_was_built_to(tmp_path, sample_url):
    """S10 has no counts; planned with `--min-staff-cover` its schedule keeps min_staff (2) on the floor in every open
    hour, but the printed days said "10 open hours, 0 staff-hours required" (the recommendation, which has none).
    Each date's figure is now the schedule's requirement: the plan's own coverage, summed per date."""
    run = _with_new_store_s10(tmp_path, sample_url)
    code, out, err = run("plan", "--week", "2026-W50", "--store", "S10", "--min-staff-cover",
                         "--out-dir", str(tmp_path / "plan"))
    assert code == 0, err
    plan = Plan.from_json((tmp_path / "plan" / "plan.json").read_text(encoding="utf-8"))
    per_date = plan.coverage.groupby("date")["required_staff"].sum()  # S10 (S01's hours) closes by midnight
    assert len(per_date) == 7 and (per_date > 0).all()
    said = {match[0]: int(match[1]) for match in
            re.findall(r"^S10 \w{3} (\d{4}-\d\d-\d\d): \d+ open hours, (\d+) staff-hours required", out, re.M)}
    assert said == {f"{day:%Y-%m-%d}": int(total) for day, total in per_date.items()}
    assert sum(said.values()) == plan.schedules["required_staff_hours"].sum()
    code, out, _ = run("plans", "show", str(int(re.search(r"saved as plan (\d+)", out)[1])))
    assert code == 0 and " 0 staff-hours required" not in out and " 20 staff-hours required" in out
    # plan_requirement.csv said 0 required in every hour the schedule kept min_staff (2) on the floor: its
    # required_staff is now the schedule's requirement, summed per date as the text says it; the recommendation,
    # which has none, is its own column
    required = pd.read_csv(tmp_path / "plan" / "plan_requirement.csv", dtype={"store_id": str})
    assert (required["required_staff"] == 2).all() and required["recommended_staff"].isna().all()
    assert required.groupby("date")["required_staff"].sum().to_dict() == said
    covered = plan.coverage.groupby(["date", "hour"])["required_staff"].sum()
    assert required["required_staff"].sum() == covered.sum() == plan.schedules["required_staff_hours"].sum()


def test_a_week_that_is_over_is_not_published_again(sample_url):
    """A plan of a week that is over, published, replaced the plan Plan vs actual judges by one made from that week's
    own counts (a review of S01's week read 'planned 249 (-11%)' instead of 'planned 205 (+7%)'). Drafts may be
    made; publishing is refused, saving nothing."""
    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--database-url", sample_url, *argv])
        return code, out.getvalue(), err.getvalue()

    code, out, err = run("plan", "--week", "2026-W01", "--store", "S01", "--publish")
    assert code == 1 and "2026-W01 (ended Sun 04 Jan 2026) is over" in err and "no plan was saved" in err
    assert "S01" not in run("plans", "list")[1]
    # refused before the plan is made: it printed the whole plan (seconds of solving) and then refused it
    assert out == "" and "planning" not in err, out
    code, out, _ = run("plan", "--week", "2026-W01", "--store", "S01")
    assert code == 0 and "(draft;" in out


def test_a_plan_whose_save_is_refused_writes_no_files(tmp_path, sample_url):
    """`plan --out-dir DIR` wrote its four files before the plan was saved, so a refused save (here: publishing a
    week that is over) left them in DIR though no plan was kept. The files now come after the save."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--database-url", sample_url, "plan", "--week", "2026-W01", "--store", "S01", "--publish",
                     "--out-dir", str(folder)])
    assert code == 1 and "no plan was saved or published" in err.getvalue() and "written:" not in out.getvalue()
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt"]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # saved: written, as before
        assert main(["--database-url", sample_url, "plan", "--week", "2026-W01", "--store", "S01",
                     "--out-dir", str(folder)]) == 0
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt", "plan.json", "plan_requirement.csv",
                                                             "plan_shifts.csv", "plan_summary.csv"]


def test_a_saved_plan_without_a_shift_is_not_published_later_either(sample_url):
    """Full cover within a budget no schedule meets leaves the plan without a shift; made as a draft, then published
    from the Plans page, it was published (the refusal of `plan --publish` did not hold for a draft)."""
    from planner import storage
    from planner.errors import InvalidRequest
    from planner.saved_plans import make_and_save, publish_plans

    settings = Settings(database_url=sample_url).with_shift_rules(weekly_budget_staff_hours=100.0,
                                                                   hard_coverage=True)
    engine = storage.connect(settings)
    (draft,) = make_and_save(engine, PlanRequest(weeks=("2026-W50",), store_ids=("S01",), settings=settings), "pia")
    assert Plan.from_json(draft.document).shifts.empty
    refused = r"no plan was published: the plan of S01 2026-W50 \(66 open hours; no schedule within the budget can keep every rule\)"
    with pytest.raises(InvalidRequest, match=refused):
        publish_plans(engine, [draft.plan_id], "pia")
    assert storage.load_plan(engine, draft.plan_id).status == "draft"
    engine.dispose()


def test_a_plans_sentences_name_the_date_of_the_hours_they_speak_of(plans):
    """A dated plan's week may differ from the usual one (S01's Tuesday 8 December is a sale at 1.5x), so a sentence
    names the date, not only the weekday: S02's Saturday hour that needs more staff than it takes is Sat 12 Dec."""
    plan, _ = plans
    sentences = plan.explanations["sentence"].tolist()
    assert "Sat 12 Dec 18:00-19:00 needs 14 staff but the store takes at most 12" in sentences, sentences
    assert not any(re.search(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d", s) for s in sentences), sentences


def test_a_sentences_date_is_written_without_a_leading_zero_on_any_platform():
    """The date put into a sentence reads "Mon 7 Dec", as glibc's "%-d" wrote it, from the day's number itself, so
    the same words come out where strftime knows no "%-d" (Windows, musl)."""
    from types import SimpleNamespace

    from planner.calendar import IsoWeek
    from planner.plans.dated import dated_explanations

    report = SimpleNamespace(solution=SimpleNamespace(instance=SimpleNamespace(store_id="S01")),
                             explanations=["Mon 10:00-11:00 needs 3 staff", "Wed 09:00 and Sun 21:00-22:00 are short"])
    frame = dated_explanations([report], IsoWeek.parse("2026-W50"))
    assert frame["sentence"].tolist() == ["Mon 7 Dec 10:00-11:00 needs 3 staff",
                                          "Wed 9 Dec 09:00 and Sun 13 Dec 21:00-22:00 are short"]
    assert frame["iso_week"].tolist() == ["2026-W50", "2026-W50"]


def test_plans_publish_publishes_a_draft_with_the_apps_checks_and_role_rules(capsys, sample_url):
    """The README says a plan is "published later from its draft", but the command line could only publish a plan
    as it made it (`plans` offered list and show): `plans publish ID` is the Plans page's Publish."""
    from planner import storage

    def run(*args: str) -> tuple[int, str]:
        code = main(["--database-url", sample_url, *args])
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    def status(plan_id: int) -> str:
        return storage.load_plan(engine, plan_id).status

    engine = storage.connect(Settings(database_url=sample_url))
    assert run("plan", "--week", "2026-W50", "--store", "S01")[0] == 0
    first = int(storage.list_plans(engine)["plan_id"].max())
    code, out = run("plans", "publish", str(first))
    assert code == 0 and f"published plan {first}: S01 2026-W50" in out and status(first) == "published"
    code, out = run("plans", "publish", str(first))
    assert code == 1 and f"error: plan {first} (S01 2026-W50) is already published" in out

    assert run("plan", "--week", "2026-W50", "--store", "S01")[0] == 0
    second = int(storage.list_plans(engine)["plan_id"].max())
    assert run("users", "add", "ana", "--role", "store_manager", "--stores", "S01")[0] == 0
    assert run("users", "add", "pia", "--role", "planner")[0] == 0
    for refused in (["--as", "ana", "plans", "publish", str(second)], ["plans", "publish", str(second), "--by", "ana"]):
        code, out = run(*refused)
        assert code == 1 and "may not publish" in out and status(second) == "draft", out
    code, out = run("plans", "publish", str(second), "--by", "pia")
    assert code == 0 and f"published plan {second}: S01 2026-W50, by pia; plan {first} is kept as superseded" in out
    assert (status(first), status(second)) == ("superseded", "published")
    code, out = run("plans", "publish", str(first))  # history: publishing it put it back over its replacement
    assert code == 1 and f"plan {first} (S01 2026-W50) is superseded" in out and status(second) == "published"
    code, out = run("plans", "publish", "9999")
    assert code == 1 and "there is no saved plan 9999" in out and "Traceback" not in out
    engine.dispose()


@pytest.mark.parametrize("changed, same", [
    (lambda s: s.with_targets(target_wait_seconds=20), lambda s: s.with_targets(target_wait_seconds=20.0)),
    (lambda s: s.with_targets(min_staff=2), lambda s: s.with_targets(min_staff=2.0)),
    (lambda s: s.with_shift_rules(time_limit_seconds=25), lambda s: s.with_shift_rules(time_limit_seconds=25.0)),
    (lambda s: s.with_shift_rules(weekly_budget_staff_hours=400),
     lambda s: s.with_shift_rules(weekly_budget_staff_hours=400.0)),
])
def test_equal_settings_digest_alike_whether_written_whole_or_with_a_point(changed, same):
    """A setting of 20 and of 20.0 gave two digests: a plan made with one read as made with other settings. Equal
    values digest alike; a different value does not; the default settings keep the digest saved plans hold (the
    JSON of their dict, as it was made before)."""
    from planner.digest import settings_digest, text_digest
    from planner.settings import planning_settings_dict

    assert settings_digest(changed(Settings()), None) == settings_digest(same(Settings()), None)
    assert settings_digest(changed(Settings()), None) != settings_digest(Settings(), None)
    saved = text_digest(json.dumps({"settings": planning_settings_dict(Settings()), "what_if": {}}, sort_keys=True,
                                   default=str))
    assert settings_digest(Settings(), None) == saved


def test_equal_what_if_values_digest_alike():
    from planner.digest import settings_digest

    assert settings_digest(Settings(), {"target_wait_seconds": 30}) == \
        settings_digest(Settings(), {"target_wait_seconds": 30.0})
    assert settings_digest(Settings(), {"min_staff": 3}) == settings_digest(Settings(), {"min_staff": 3.0})
    assert settings_digest(Settings(), {"min_staff": 3}) != settings_digest(Settings(), {"min_staff": 4})


def test_a_plan_s_summary_says_whether_its_least_pay_was_proven_and_one_saved_before_reads_it_as_unknown(frames,
                                                                                                        plans):
    """plan_summary.csv's least_paid_staff_hours, as summary.csv's, is only a lower bound where the search stopped
    before proving it: `least_paid_proven` says which. A plan saved before the column reads back with it blank."""
    observations, stores, _ = frames
    budget = Settings().with_shift_rules(weekly_budget_staff_hours=300.0)
    plan = pipeline.make_plan_from_frames(observations, stores, PlanRequest(
        weeks=("2026-W50",), store_ids=("S01",), settings=budget), parallel=False)
    (row,) = plan.schedules.to_dict("records")
    assert row["least_paid_staff_hours"] > 300 and row["least_paid_proven"] == True  # noqa: E712
    back = Plan.from_json(plan.to_json())
    assert back.schedules["least_paid_proven"].tolist() == [True]

    earlier, _ = plans
    document = json.loads(earlier.to_json())
    for record in document["frames"]["schedules"]:
        del record["least_paid_proven"]
    back = Plan.from_json(json.dumps(document))
    assert back.schedules["least_paid_proven"].isna().all() and len(back.schedules) == len(earlier.schedules)


def test_a_plan_is_proven_cheapest_only_while_every_schedule_is_proven_optimal(plans):
    """The Plans page said a plan's simulated shifts were the cheapest that cover the requirement from the schedules'
    statuses itself; the plan says so (`Plan.proven_cheapest`): not once one store-week's schedule is only feasible."""
    from dataclasses import replace

    from planner.shifts.solve import FEASIBLE, OPTIMAL

    plan, _ = plans
    assert len(plan.schedules) == len(STORES)
    proven = replace(plan, schedules=plan.schedules.assign(status=OPTIMAL))
    unproven = proven.schedules.copy()
    unproven.loc[unproven.index[-1], "status"] = FEASIBLE
    feasible_store, = set(unproven.loc[unproven["status"] == FEASIBLE, "store_id"])
    other_store, = set(STORES) - {feasible_store}
    assert proven.proven_cheapest
    assert not replace(plan, schedules=unproven).proven_cheapest
    # a store-week's own plan, as the Plans page reads it: the other store's schedule is no part of it
    assert replace(plan, schedules=unproven).for_store_week(other_store, "2026-W50").proven_cheapest
    assert not replace(plan, schedules=unproven).for_store_week(feasible_store, "2026-W50").proven_cheapest
