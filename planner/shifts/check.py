"""A solver-free checker: recompute coverage, cost and every rule from a list of shifts.

It shares no code with the model beyond the instance and the shift definitions, so a schedule that passes it is
right whatever the model got wrong. Every schedule in the tests goes through it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.settings import ShiftRules
from planner.shifts.instance import SLOT_MINUTES, SLOTS_PER_DAY, SLOTS_PER_WEEK, ShiftInstance, slot_labels
from planner.shifts.solve import ScheduledShift
from planner.surfaces.my_store import ABOVE_MAX
from planner.words import agreeing, counted, number_text


@dataclass(frozen=True)
class CheckResult:
    on_floor: np.ndarray
    """Staff on the floor per week slot (breaks excluded)."""
    under: np.ndarray
    over: np.ndarray
    paid_staff_hours: float
    wage_cost: float
    violations: tuple[str, ...]
    """Broken hard rules, in words; empty for a valid schedule."""
    below_floor: np.ndarray
    """Per week slot, staff missing to reach the instance's floor (min_staff): 0 unless the rules made it unreachable
    (no shift fits, or max_staff is below it), which the report explains."""

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def under_staff_hours(self) -> float:
        return float(self.under.sum()) * SLOT_MINUTES / 60

    @property
    def over_staff_hours(self) -> float:
        return float(self.over.sum()) * SLOT_MINUTES / 60


def check_schedule(instance: ShiftInstance, rules: ShiftRules, shifts: tuple[ScheduledShift, ...] | list) -> CheckResult:
    on_floor = np.zeros(SLOTS_PER_WEEK, dtype=np.int64)
    paid = 0.0
    violations = []
    lengths = set(rules.shift_lengths_hours)
    for shift in shifts:
        c = shift.candidate
        name = c.label(instance.store_id)
        if shift.staff <= 0:
            violations.append(f"{name}: staff {shift.staff} is not a positive whole number")
        if c.length_hours not in lengths:
            violations.append(f"{name}: length {c.length_hours} h is not allowed ({sorted(lengths)})")
        violations += _start_rule(instance, rules, c, name)
        violations += _inside_opening(instance, rules, c, name)
        violations += _break_rule(rules, c, name)
        first = c.weekday * SLOTS_PER_DAY + c.start_minute // SLOT_MINUTES
        floor = np.ones(c.length_hours * 60 // SLOT_MINUTES, dtype=bool)
        if c.break_start_minute is not None:
            offset = (c.break_start_minute - c.start_minute) // SLOT_MINUTES
            floor[offset : offset + c.break_minutes // SLOT_MINUTES] = False
        on_floor[(first + np.flatnonzero(floor)) % SLOTS_PER_WEEK] += shift.staff
        unpaid = c.break_minutes if c.break_start_minute is not None else 0
        paid += shift.staff * (c.length_hours * 60 - unpaid) / 60
    under = np.maximum(instance.required - on_floor, 0)
    over = np.maximum(on_floor - instance.required, 0)
    violations += over_max_staff(on_floor, instance.max_staff, instance.opening)
    if instance.budget_staff_hours is not None and paid > instance.budget_staff_hours + 1e-9:
        violations.append(f"{counted(paid, 'paid staff-hour')} {agreeing(paid, 'exceeds', 'exceed')} the budget of "
                          f"{number_text(instance.budget_staff_hours)}")
    if rules.hard_coverage and under.any():
        violations.append(f"{int(under.sum())} required staff-half-hours uncovered under hard coverage")
    below_floor = np.maximum(instance.floor - on_floor, 0)
    return CheckResult(on_floor, under, over, paid, paid * instance.wage_per_hour, tuple(violations), below_floor)


def _start_rule(instance: ShiftInstance, rules: ShiftRules, c, name: str) -> list[str]:
    """A shift starts on the step's grid, or, off it, at the day's earliest start or so as to end at its latest end
    (an opening at 09:30 with whole-hour starts: the only way to staff 09:30-10:00)."""
    step = rules.start_step_minutes
    if c.start_minute % step == 0:
        return []
    window = _window(instance, rules, c.weekday)
    if window is not None and c.start_minute in (window[0], window[1] - c.length_hours * 60):
        return []
    return [f"{name}: starts off the {step}-minute grid, neither at the opening nor ending at the closing"]


def _window(instance: ShiftInstance, rules: ShiftRules, weekday: int) -> tuple[int, int] | None:
    """The day's earliest start and latest end: the opening span widened by the duty minutes, out to the half-hour
    slots holding its ends (a close at 21:15 ends shifts at 21:30, its slot needing staff)."""
    span = instance.opening[weekday]
    if span is None:
        return None
    earliest = span[0] - rules.duty_before_opening_minutes
    latest = span[1] + rules.duty_after_closing_minutes
    return earliest - earliest % SLOT_MINUTES, latest + (-latest) % SLOT_MINUTES


def _inside_opening(instance: ShiftInstance, rules: ShiftRules, c, name: str) -> list[str]:
    window = _window(instance, rules, c.weekday)
    if window is None:
        return [f"{name}: the store is closed that day"]
    earliest, latest = window
    if c.start_minute < earliest or c.start_minute + c.length_hours * 60 > latest:
        return [f"{name}: outside the opening hours (with duty before/after)"]
    return []


def _break_rule(rules: ShiftRules, c, name: str) -> list[str]:
    needs_break = c.length_hours > rules.break_for_shifts_over_hours
    if needs_break != (c.break_start_minute is not None):
        return [f"{name}: {'needs' if needs_break else 'must not have'} a break"]
    if not needs_break:
        return []
    if c.break_minutes != rules.break_minutes:
        return [f"{name}: a {c.break_minutes}-minute break, the rules say {rules.break_minutes} minutes"]
    midpoint = c.start_minute + c.length_hours * 30
    low = midpoint - rules.break_window_before_midpoint_minutes
    high = midpoint + rules.break_window_after_midpoint_minutes
    if not low <= c.break_start_minute <= high or c.break_start_minute % SLOT_MINUTES:
        return [f"{name}: break outside its window around the midpoint"]
    return []


def over_max_staff(on_floor: np.ndarray, max_staff: int | None, opening: tuple[tuple[int, int] | None, ...]
                   ) -> list[str]:
    """A sentence per half hour with more people on the floor than the store's `max_staff` (None: no limit), the
    half hour as the store's `opening` files it ("Sun 00:00+1" after midnight of Sunday's opening)."""
    if max_staff is None:
        return []
    over = np.flatnonzero(on_floor > max_staff)
    return [f"{label}: {on_floor[slot]} on the floor, {ABOVE_MAX} of {max_staff}"
            for slot, label in zip(over, slot_labels(opening, over), strict=True)]
