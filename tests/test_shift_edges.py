"""A store opening or closing off the shift start grid (09:30-20:30 with whole-hour starts, a close at 21:15) gets
staff at that edge. Shifts of every start step could not reach the half hours there: with the default rules no one
worked 09:30-10:00 or 20:00-20:30 of S01's weekdays, and a close at 21:15 was never staffed after 21:00, though the
requirement is per half hour and a half hour the store is open for part of needs its staff.

Truth is the solver-free checker (`check_schedule`) and, for a store whose hours lie on the grid, a copy of the
enumeration as it was before, whose candidates every existing schedule, benchmark optimum and roster was built from.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.settings import ShiftRules
from planner.shifts import check_schedule, from_hourly, report, solve_shifts
from planner.shifts.candidates import Candidate, _break_starts, enumerate_candidates
from planner.shifts.instance import from_store
from planner.shifts.solve import ScheduledShift

DATA = Path(__file__).resolve().parents[1] / "data"
WEEKDAYS = range(6)  # Monday to Saturday open 09:30-20:30, as S01 in the defect
SLOTS_PER_DAY = 48


def minute(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def slot(weekday: int, clock: str) -> int:
    return weekday * SLOTS_PER_DAY + minute(clock) // 30


def old_enumeration(instance, rules: ShiftRules) -> list[Candidate]:
    """The candidates as they were: starts on multiples of the step from the earliest start rounded up, no end past
    the latest (neither rounded to its half hour)."""
    candidates = []
    for weekday, span in enumerate(instance.opening):
        if span is None:
            continue
        earliest = span[0] - rules.duty_before_opening_minutes
        latest = span[1] + rules.duty_after_closing_minutes
        first_start = -(-earliest // rules.start_step_minutes) * rules.start_step_minutes
        for start in range(first_start, latest, rules.start_step_minutes):
            for length in sorted(set(rules.shift_lengths_hours)):
                if start + length * 60 > latest:
                    continue
                for break_start in _break_starts(start, length, rules):
                    candidates.append(Candidate(weekday, start, length, break_start, rules.break_minutes))
    return candidates


def test_a_store_open_0930_to_2030_is_staffed_at_both_edges_with_the_default_rules():
    table = np.zeros((7, 24), dtype=int)
    table[list(WEEKDAYS), 9:21] = 5
    opening = tuple((minute("09:30"), minute("20:30")) if day in WEEKDAYS else None for day in range(7))
    instance = from_hourly("S01", table, opening, wage_per_hour=19.5, min_staff=2)
    rules = ShiftRules()
    solution = solve_shifts(instance, rules)
    check = check_schedule(instance, rules, solution.shifts)
    assert check.ok, check.violations
    edges = [slot(day, clock) for day in WEEKDAYS for clock in ("09:30", "20:00")]
    assert instance.required[edges].tolist() == [5] * len(edges)
    assert check.on_floor[edges].min() >= 5
    assert check.under[edges].sum() == 0
    assert not any("no allowed shift fits" in s for s in report(solution).explanations)


@pytest.mark.parametrize("rules", [ShiftRules(), ShiftRules(start_step_minutes=30)], ids=["step60", "step30"])
def test_a_store_closing_at_2115_is_staffed_until_its_close(rules):
    """The 21:00 half hour of a 21:15 close needs its staff: a shift may end at 21:30, the end of that half hour."""
    table = np.zeros((7, 24), dtype=int)
    table[0, 10:22] = 3
    opening = ((minute("10:00"), minute("21:15")),) + (None,) * 6
    instance = from_hourly("S09", table, opening, min_staff=1)
    solution = solve_shifts(instance, rules)
    check = check_schedule(instance, rules, solution.shifts)
    assert check.ok, check.violations
    assert instance.required[slot(0, "21:00")] == 3
    assert check.on_floor[slot(0, "21:00")] >= 3 and check.under.sum() == 0
    assert max(s.candidate.end_minute for s in solution.shifts) == minute("21:30")
    assert report(solution).explanations == ()


def test_the_checker_takes_starts_at_an_off_grid_opening_and_ends_at_an_off_grid_closing_only():
    opening = ((minute("09:30"), minute("20:30")),) + (None,) * 6
    instance = from_hourly("S01", np.zeros((7, 24), dtype=int), opening)
    rules = ShiftRules(shift_lengths_hours=(4,))

    def violations(start: str) -> tuple[str, ...]:
        shift = ScheduledShift(Candidate(0, minute(start), 4, None, rules.break_minutes), 1)
        return check_schedule(instance, rules, [shift]).violations

    assert violations("09:30") == () and violations("16:30") == () and violations("10:00") == ()
    assert violations("10:30") == ("S01 Mon 10:30-14:30: starts off the 60-minute grid, neither at the opening nor "
                                   "ending at the closing",)


WHOLE_HOUR_RULES = [
    ShiftRules(), ShiftRules(start_step_minutes=30), ShiftRules(shift_lengths_hours=(4, 6, 8)),
    ShiftRules(duty_before_opening_minutes=60, duty_after_closing_minutes=120),
    ShiftRules(start_step_minutes=30, duty_before_opening_minutes=30, duty_after_closing_minutes=90),
]


def _rules_id(rules: ShiftRules) -> str:
    return (f"step{rules.start_step_minutes}-duty{rules.duty_before_opening_minutes}-"
            f"{rules.duty_after_closing_minutes}-lengths{len(rules.shift_lengths_hours)}")


@pytest.mark.parametrize("rules", WHOLE_HOUR_RULES, ids=_rules_id)
def test_a_store_on_the_grid_keeps_exactly_its_old_candidates(rules):
    """Every sample store (10:00-20:00, 07:00-24:00, 10:00-01:00 past midnight, closed days) and the same shift rules:
    the same candidates in the same order, so no schedule, optimum or roster built from them changes."""
    stores = pd.read_csv(DATA / "stores.csv")
    for _, store in stores.iterrows():
        instance = from_store(store, np.ones((7, 24)))
        assert enumerate_candidates(instance, rules) == old_enumeration(instance, rules), store["store_id"]
