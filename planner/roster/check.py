"""A solver-free checker: recompute every roster rule, the floor, and the cost from a list of assignments.

It shares with the model only the instance, the prices and targets of `measures`, and the shift optimiser's own
checker of a shift's shape (lengths, start grid, opening hours, breaks); every labour rule is recomputed here from
the shifts' times (a shift's hours as the store's zone counts them, `RosterInstance.paid_hours`), so a roster that
passes is right whatever the model got wrong. Every roster in the tests goes
through it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from planner.roster import measures as m
from planner.roster.instance import RosterInstance
from planner.roster.result import Assignment
from planner.settings import RosterRules
from planner.shifts.check import check_schedule, over_max_staff
from planner.shifts.instance import SLOTS_PER_WEEK, open_slot_mask
from planner.shifts.solve import ScheduledShift
from planner.words import counted, number_text


@dataclass(frozen=True)
class PersonFigures:
    employee_id: str
    shifts: int
    paid_hours: float
    week_min_hours: float
    """The contract's minimum for this week: less each day of absence (a full paid day) and the hours at other
    stores (`measures.effective_contract_min`); what `below_contract_min_hours` is measured against."""
    below_contract_min_hours: float
    fair_share_hours: float
    evening_shifts: int
    weekend_shifts: int
    closing_shifts: int
    broken_preferences: tuple[str, ...]
    """What each broken preference is, e.g. 'Sat 10:00-18:30 on a preferred day off'."""


@dataclass(frozen=True)
class RosterCheck:
    violations: tuple[tuple[str, str], ...]
    """(rule name, what broke it) for every broken hard rule; empty for a valid roster."""
    on_floor: np.ndarray
    keyholders_on_floor: np.ndarray
    under: np.ndarray
    """Staff missing per slot."""
    keyholder_gap: np.ndarray
    """Per slot, True where the store is open and no keyholder is on the floor (when the rules ask for one)."""
    people: dict[str, PersonFigures]
    cost: float
    """In currency: wages plus every penalty, as the model's objectives count them (both levels)."""
    wage_cost: float
    fairness_cost: float
    """In currency: the part of `cost` from fairness and preferences (the second level); the rest is the cost level
    (wages, uncovered staff, keyholder gaps, contract shortfalls)."""

    @property
    def level_costs(self) -> dict[str, float]:
        """Per objective level (`rules.LEVELS`), its part of `cost`."""
        return {m.COST: self.cost - self.fairness_cost, m.FAIRNESS: self.fairness_cost}

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def broken_rules(self) -> set[str]:
        return {rule for rule, _ in self.violations}


def check_roster(instance: RosterInstance, rules: RosterRules, assignments: tuple[Assignment, ...] | list
                 ) -> RosterCheck:
    violations: list[tuple[str, str]] = []
    by_person: dict[str, list] = defaultdict(list)
    known = {e.employee_id for e in instance.employees}
    for a in assignments:
        if a.employee_id not in known:
            violations.append(("employees", f"{a.employee_id} may not work in {instance.store_id}"))
        else:
            by_person[a.employee_id].append(a.shift)
    shape = check_schedule(replace(instance.as_shift_instance(), max_staff=None), instance.shift_rules,
                           [ScheduledShift(a.shift, 1) for a in assignments])
    violations += [("shift_shape", text) for text in shape.violations]
    over = over_max_staff(shape.on_floor, instance.max_staff, instance.opening)
    violations += [("max_staff", text) for text in over]
    keyholders = np.zeros(SLOTS_PER_WEEK, dtype=np.int64)
    for a in assignments:
        if a.employee_id in known and instance.employee(a.employee_id).is_keyholder:
            keyholders[a.shift.slots()] += 1
    on_floor = shape.on_floor
    under = np.maximum(instance.required - on_floor, 0)
    gap = open_slot_mask(instance.opening) & (keyholders == 0) if rules.keyholder_cover else np.zeros(
        SLOTS_PER_WEEK, dtype=bool)
    people = {}
    share = m.fair_share_hours(instance, rules)
    units = 0
    wage_units = 0
    fairness_units = 0
    for person in instance.employees:
        shifts = sorted(by_person[person.employee_id], key=lambda c: c.weekday * m.MINUTES_PER_DAY + c.start_minute)
        violations += [(rule, f"{person.name} ({person.employee_id}): {text}")
                       for rule, text in _person_violations(instance, rules, person, shifts)]
        paid = sum(instance.paid_hours(c) for c in shifts)
        minimum = m.effective_contract_min(instance, person, rules)
        short_half_hours = max(0, int(np.ceil(minimum * m.HALF_HOURS_PER_HOUR - 1e-9)) - round(paid * 2))
        broken = _broken_preferences(instance, person, shifts)
        people[person.employee_id] = PersonFigures(
            person.employee_id, len(shifts), paid, minimum, short_half_hours / m.HALF_HOURS_PER_HOUR,
            share[person.employee_id],
            sum(m.is_evening(c.end_minute, rules) for c in shifts), sum(c.weekday in m.WEEKEND for c in shifts),
            sum(m.is_closing(instance, c.weekday, c.end_minute) for c in shifts), broken)
        wage_units += m.wage_cents(instance, person) * round(paid * m.HALF_HOURS_PER_HOUR)
        units += short_half_hours * m.contract_short_cost(instance)
        fairness_units += len(broken) * m.preference_cost(instance, person, rules)
        fairness_units += abs(round(paid * 2) - round(share[person.employee_id] * 2)) * m.share_cost(
            instance, person, rules)
    for counts in ("evening_shifts", "weekend_shifts", "closing_shifts"):
        fairness_units += max([getattr(f, counts) for f in people.values()], default=0) * m.fairness_cost(
            instance, rules)
    units += fairness_units + wage_units + int(under.sum()) * m.uncovered_cost(instance) + int(gap.sum()) * m.keyholder_gap_cost(
        instance)
    return RosterCheck(tuple(violations), on_floor, keyholders, under, gap, people, units / m.UNITS_PER_CURRENCY,
                       wage_units / m.UNITS_PER_CURRENCY, fairness_units / m.UNITS_PER_CURRENCY)


def _person_violations(instance: RosterInstance, rules: RosterRules, person, shifts) -> list[tuple[str, str]]:
    found = []
    for c in shifts:
        label = c.label()
        if not any(w.holds(c.start_minute, c.end_minute) for w in person.availability[c.weekday]):
            found.append(("availability", f"{label} is outside the availability windows"))
        absence = instance.absent(person.employee_id, c.weekday)
        if absence is not None:
            found.append(("absences", f"{label} falls on an absence ({absence.reason or 'leave'})"))
        paid = instance.paid_hours(c)
        if paid > m.max_hours_per_day(person, rules) + 1e-9:
            found.append(("max_hours_per_day", f"{label} pays {number_text(paid)} h, above the daily "
                                               f"{number_text(m.max_hours_per_day(person, rules))} h"))
    days = [c.weekday for c in shifts]
    for day in sorted(set(days)):
        if days.count(day) > rules.max_shifts_per_day:
            found.append(("one_shift_per_day", f"{days.count(day)} shifts on weekday {day}"))
    ends = [(c.weekday * m.MINUTES_PER_DAY + c.start_minute, c.weekday * m.MINUTES_PER_DAY + c.end_minute, c.label())
            for c in shifts]
    before = instance.last_end_before_minute.get(person.employee_id)
    if before is not None:
        ends.insert(0, (before, before, "the last shift before the week"))
    for (_, end, first), (start, _, second) in zip(ends, ends[1:]):
        if start < end:
            found.append(("no_overlap", f"{second} starts before {first} ends"))
        elif instance.elapsed_minutes(end, start) < rules.min_rest_hours * 60:
            rest_hours = instance.elapsed_minutes(end, start) / 60
            found.append(("min_rest", f"{number_text(rest_hours)} h between {first} and {second}, below "
                                      f"{number_text(rules.min_rest_hours)} h"))
    working = set(days) | person.days_elsewhere  # a day worked in another store is no day off
    run, longest = instance.days_worked_before.get(person.employee_id, 0), 0
    for day in range(7):
        run = run + 1 if day in working else 0
        longest = max(longest, run)
    if longest > rules.max_days_in_a_row:
        found.append(("max_days_in_a_row", f"{longest} days in a row, above {rules.max_days_in_a_row}"))
    if 7 - len(working) < rules.min_full_days_off_per_week:
        found.append(("days_off", f"{counted(7 - len(working), 'day')} off, below {rules.min_full_days_off_per_week}"))
    paid = sum(instance.paid_hours(c) for c in shifts)
    elsewhere = f" with {number_text(person.hours_elsewhere)} h elsewhere" if person.hours_elsewhere else ""
    if paid > person.hours_left(rules.max_hours_per_week) + 1e-9:
        found.append(("max_hours_per_week", f"{number_text(paid)} h{elsewhere}, above "
                                            f"{number_text(rules.max_hours_per_week)} h a week"))
    if paid > person.hours_left(person.contract_hours_max) + 1e-9:
        found.append(("contract_max", f"{number_text(paid)} h{elsewhere}, above the contract's "
                                      f"{number_text(person.contract_hours_max)} h"))
    return found


def _broken_preferences(instance: RosterInstance, person, shifts) -> tuple[str, ...]:
    broken = []
    for c in shifts:
        if c.weekday in person.preferred_days_off:
            broken.append(f"{c.label()} on a preferred day off")
        if m.breaks_time_preference(instance, person, c.weekday, c.start_minute, c.end_minute):
            broken.append(f"{c.label()}, though {person.prefers} shifts are preferred")
    return tuple(broken)
