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
from planner.surfaces import plan_on_command_line

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
    assert moves_text(moves) == ("Mon 14 Dec 11:00-14:00 +1, 15:00 -1, 17:00 +2, 19:00 +1, 21:00 none now "
                                 "(was 3)")
    assert moves_text(moves, at_most=2) == "Mon 14 Dec 11:00-14:00 +1, 15:00 -1; and 3 more hours"
