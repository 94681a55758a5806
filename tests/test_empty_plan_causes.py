"""Why a counted store's plan has no shift, and what to do, by its cause: a plan published with full cover left out
every such store as "infeasible" with the fix "a weekly budget that pays for whole shifts, or with soft cover",
where an hour needed more staff than the store's max_staff (its schedule said so), or full cover paid more than the
budget (its schedule said by how much). The hours other stores' counts move a plan's staff in, in words."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import DATA
from planner import pipeline
from planner.io import read_table, validate_observations, validate_stores
from planner.io.stores import opening_week
from planner.plans import PlanRequest
from planner.pooled_moves import MovedHour, moved_hours, moves_text
from planner.saved_plans import empty_store_weeks, publishable_part
from planner.settings import ImportRules, Settings
from planner.surfaces.fixes import plan_on_command_line

FULL_COVER = Settings().with_shift_rules(hard_coverage=True)


@pytest.fixture(scope="module")
def frames():
    stores = validate_stores(read_table((DATA / "stores.csv").read_bytes(), "stores.csv")).frame
    observations = validate_observations(read_table((DATA / "observations.csv").read_bytes(), "observations.csv"),
                                         opening_week(stores), ImportRules()).frame
    return observations, stores


def _plan(frames, settings: Settings, max_staff: int | None = None):
    observations, stores = frames
    if max_staff is not None:
        stores = stores.assign(max_staff=stores["max_staff"].where(stores["store_id"] != "S01", max_staff))
    return pipeline.make_plan_from_frames(observations, stores, PlanRequest(weeks=("2026-W50",), store_ids=(
        "S01", "S08"), settings=settings), parallel=False)


def test_a_plan_left_without_a_shift_by_max_staff_says_so_and_names_max_staff_not_the_budget(frames):
    plan = _plan(frames, FULL_COVER, max_staff=3)
    (week,) = empty_store_weeks(plan)
    required = plan.staffing[plan.staffing["store_id"] == "S01"]["required_staff"].astype(float)
    assert required.max() > 3  # the truth the sentence must carry
    assert week.store_id == "S01" and "needs" in week.why and "the store takes at most 3" in week.why, week
    _, left_out = publishable_part(plan)
    said = left_out["S01"]
    assert f"Its schedule says: {week.why}." in said
    assert "Raise the store's max_staff in its store file (the Upload page)" in said, said
    assert "budget" not in said.split("Its schedule says:")[1], said
    cli = plan_on_command_line(said)  # one decision, in the command line's words
    assert "python -m planner import --stores STORES.csv" in cli and "hard_coverage=off" in cli, cli
    assert "Upload page" not in cli and "Settings page" not in cli, cli


def test_a_plan_full_cover_costs_more_than_the_budget_for_says_what_full_cover_pays(frames):
    plan = _plan(frames, FULL_COVER.with_shift_rules(weekly_budget_staff_hours=300.0))
    (week,) = [week for week in empty_store_weeks(plan) if week.store_id == "S01"]
    least = float(plan.schedules.set_index("store_id").loc["S01", "least_paid_staff_hours"])
    assert least > 300
    assert f"pays at least {least:g} staff-hours" in week.why, week
    assert week.fix.startswith("Plan it again with a weekly budget that pays for full cover"), week
    assert "whole shifts" not in week.fix


def test_the_hours_that_moved_are_named_by_date_and_change_and_the_rest_counted():
    day = pd.Timestamp("2026-12-14")  # a Monday
    made = pd.DataFrame({"store_id": "S01", "date": day, "hour": range(10, 22),
                         "required_staff": pd.array([3] * 12, dtype="Int64")})
    again = made.assign(required_staff=pd.array([3, 4, 4, 4, 3, 2, 3, 5, 3, 4, 3, None], dtype="Int64"))
    moves = moved_hours(made, again)
    assert [move.hour for move in moves] == [11, 12, 13, 15, 17, 19, 21]  # the hours, in time order
    assert moves[0] == MovedHour(day, 11, 3.0, 4.0) and moves[-1] == MovedHour(day, 21, 3.0, None)
    # a single hour reads as a run does, from its start to its end: "15:00 -1" did not say it was one hour
    assert moves_text(moves) == ("Mon 14 Dec 11:00-14:00 +1, 15:00-16:00 -1, 17:00-18:00 +2, 19:00-20:00 +1, "
                                 "21:00-22:00 none now (was 3)")
    assert moves_text(moves, at_most=2) == "Mon 14 Dec 11:00-14:00 +1, 15:00-16:00 -1; and 3 more hours"
    late = [MovedHour(day, 23, 2.0, 3.0)]  # the day's last hour ends at its midnight, written as an opening's end
    assert moves_text(late) == "Mon 14 Dec 23:00-24:00 +1"


def test_every_cause_a_report_decides_has_one_fix_and_a_plan_saved_before_goes_by_its_status(frames):
    """The fix for a plan with no shift was decided again from the plan (its status, budget and max_staff) apart
    from the schedule's own explanation; now the report records the cause it explained as a code, and one table says
    what to do for each. A plan saved before the code was kept reads it back blank and goes by its status."""
    import json

    from planner.plans import Plan
    from planner.shifts import NO_SHIFT_CAUSES
    from planner.surfaces.fixes import NO_SHIFT_FIXES

    assert set(NO_SHIFT_FIXES) == set(NO_SHIFT_CAUSES)
    plan = _plan(frames, FULL_COVER, max_staff=3)
    causes = plan.schedules.set_index("store_id")["no_shift_cause"]
    assert causes["S01"] == "max_staff" and pd.isna(causes["S08"])  # S08 has its shifts
    document = json.loads(plan.to_json())
    for record in document["frames"]["schedules"]:
        del record["no_shift_cause"]
    (week,) = empty_store_weeks(Plan.from_json(json.dumps(document)))
    assert week.fix == NO_SHIFT_FIXES["hard_rules"]  # infeasible, and nothing said which rule: full cover off


def test_a_plan_stopped_by_the_solvers_work_units_is_told_work_units_not_more_time(frames):
    """A plan no schedule was found for in the solver's work units (its deterministic limit came before the time
    limit) was told "allow the solver more time", beside its own sentence saying work units, which a longer time
    limit does not give. (`tests/test_schedule_words.py` has the report decide it of a search the work units
    stopped.)"""
    from dataclasses import replace

    plan = _plan(frames, FULL_COVER, max_staff=3)
    stopped = plan.schedules.assign(status="no_schedule_found", no_shift_cause=pd.array(
        ["work_units" if store == "S01" else None for store in plan.schedules["store_id"]], dtype="string"))
    (week,) = empty_store_weeks(replace(plan, schedules=stopped))
    assert "work units" in week.fix and "more time" not in week.fix, week.fix
    assert "work units" in plan_on_command_line(week.fix)


def test_a_plan_saved_before_causes_were_kept_and_stopped_by_work_units_is_told_work_units(frames):
    """A plan saved before its schedule's cause was kept has only its status to go on: one stopped by the solver's
    work units was told "more time" (the status's cause for a time limit) though its own status text says the work
    units ran out, which more time does not give."""
    from dataclasses import replace

    plan = _plan(frames, FULL_COVER, max_staff=3)
    stopped = plan.schedules.drop(columns="no_shift_cause").assign(
        status="no_schedule_found",
        status_text="no schedule found in 0.4 s (the solver's budget of 20 work units ran out)")
    (week,) = empty_store_weeks(replace(plan, schedules=stopped))
    assert "work units" in week.fix and "more time" not in week.fix, week.fix
    timed_out = stopped.assign(status_text="no schedule found in 10 s (time limit 10 s)")
    (week,) = empty_store_weeks(replace(plan, schedules=timed_out))
    assert "more time" in week.fix, week.fix


def test_a_budget_that_cannot_pay_the_minimum_staff_is_told_so_not_full_cover(frames):
    """Soft cover (the default) within 10 staff-hours a week: no schedule keeps the store's minimum staff on the
    floor in every open hour, as the schedule says. The fix was "a budget that pays for full cover, or with full
    cover off", which it already is; it is now a budget that pays for that minimum, or a lower minimum."""
    plan = _plan(frames, Settings().with_shift_rules(weekly_budget_staff_hours=10.0))
    weeks = {week.store_id: week for week in empty_store_weeks(plan)}
    week = weeks["S01"]
    assert "keeps min_staff" in week.why, week
    assert week.fix.startswith("Plan it again with a weekly budget that pays for the store's minimum staff in every "
                               "open hour, or a lower minimum"), week.fix
    assert "full cover" not in week.fix and "Cover every required hour" not in week.fix
    cli = plan_on_command_line(week.fix)
    assert "weekly_budget_staff_hours=HOURS" in cli and "Settings page" not in cli, cli


def test_soft_cover_whose_minimum_staff_whole_shifts_cannot_keep_under_max_staff_is_not_told_to_turn_full_cover_off(
        frames):
    """Soft cover (the default), shifts of 4 h only and S01's min_staff above its max_staff: the floor (min_staff,
    at most max_staff) cannot be kept in every open hour by whole shifts without more than max_staff somewhere, so
    no schedule keeps the hard rules. The fix was "Raise the store's max_staff ..., or plan it again with "Cover
    every required hour" off", which it already is; it now names what does help: a lower minimum, shift lengths that
    fit, or a higher max_staff."""
    observations, stores = frames
    stores = stores.assign(min_staff=stores["min_staff"].where(stores["store_id"] != "S01", 5),
                           max_staff=stores["max_staff"].where(stores["store_id"] != "S01", 3))
    soft = Settings().with_shift_rules(shift_lengths_hours=(4,))
    assert not soft.shifts.hard_coverage
    plan = pipeline.make_plan_from_frames(observations, stores, PlanRequest(weeks=("2026-W50",), store_ids=("S01",),
                                                                            settings=soft), parallel=False)
    (week,) = empty_store_weeks(plan)
    # and its schedule says so: it said full cover's "needs 6 to 9 staff but the store takes at most 5" (the plan
    # raises max_staff to the minimum), hours soft cover leaves short rather than infeasible
    assert "cannot keep min_staff (5) on the floor" in week.why and "more than 5 on the floor" in week.why, week.why
    assert "takes at most" not in week.why, week.why
    assert "full cover" not in week.fix and "Cover every required hour" not in week.fix, week.fix
    assert all(words in week.fix for words in ("lower minimum", "shift lengths", "max_staff")), week.fix
    cli = plan_on_command_line(week.fix)
    assert "hard_coverage" not in cli and "Settings page" not in cli and "Upload page" not in cli, cli
    assert "min_staff=STAFF" in cli and "shift_lengths_hours=" in cli and "import --stores" in cli, cli


def test_a_soft_cover_budget_too_small_for_a_whole_shift_is_not_told_to_plan_with_soft_cover(frames):
    """Soft cover (the default), S01 with no minimum staff and a budget of 3 staff-hours: no whole shift fits the
    budget, so the best schedule has none. The fix said "a weekly budget that pays for whole shifts, or with soft
    cover", which it already is (a budget below whole shifts under full cover has no schedule at all, and is told
    what full cover pays)."""
    observations, stores = frames
    stores = stores.assign(min_staff=stores["min_staff"].where(stores["store_id"] != "S01", 0))
    soft = Settings().with_shift_rules(weekly_budget_staff_hours=3.0)
    assert not soft.shifts.hard_coverage
    plan = pipeline.make_plan_from_frames(observations, stores, PlanRequest(weeks=("2026-W50",), store_ids=("S01",),
                                                                            settings=soft), parallel=False)
    (week,) = empty_store_weeks(plan)
    assert plan.schedules["no_shift_cause"].tolist() == ["no_whole_shift"]
    assert week.fix.startswith("Plan it again with a weekly budget that pays for whole shifts"), week.fix
    assert "soft cover" not in week.fix and "full cover" not in week.fix, week.fix
    cli = plan_on_command_line(week.fix)
    assert "weekly_budget_staff_hours=HOURS" in cli and "hard_coverage" not in cli, cli
