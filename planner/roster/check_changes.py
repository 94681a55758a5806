"""A solver-free recount of what a re-plan's changes to the published roster cost: the terms of the re-plan's rule
`replan.Stability`, recomputed from the published shifts and the re-planned ones as `check` recomputes the others.

A re-plan is chosen, and proven least, on its cost level counting these changes (the checker's wages and cover plus
this); said or stored without them, a proven re-plan's cost read below its own bound. Costs are model units
(`measures`: cents x half-hours); days are the week's weekdays, 0 = Monday.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

from planner.roster import measures as m
from planner.roster.instance import RosterInstance
from planner.roster.people import Employee
from planner.roster.result import ADDED, BREAK_MOVED, CANCELLED, LENGTHENED, MOVED, SHORTENED, Assignment
from planner.settings import RosterRules
from planner.shifts.candidates import Candidate, enumerate_candidates

Published = Mapping[tuple[str, int], Candidate]
"""(employee id, weekday) -> the published shift that day."""


def change_cost_units(instance: RosterInstance, rules: RosterRules, published: Published, today: dt.date,
                      kept_days: frozenset[int], assignments: Iterable[Assignment]) -> int:
    """What `assignments` cost as a re-plan of `published` on `today` (model units): on each day not held as
    published (before `today`, or in `kept_days`), a published shift kept as it was costs nothing; one cancelled
    its paid hours, `change_penalty_hours` and, inside the notice window and not for the person's own absence, the
    cancelled shift's premium; one changed its paid hours, the penalty and, inside the window, the premium of its
    kind (`change_kind`: moved, lengthened or shortened), as the change list prices it; a shift added the penalty and, inside the window, the added shift's premium, each at the person's wage;
    and each published break placement fewer than published on a span `break_move_penalty_hours` of the store's
    wage."""
    now = {(a.employee_id, a.shift.weekday): a.shift for a in assignments}
    units = 0
    for person in instance.employees:
        unit = m.wage_hour_cost(instance, person)
        for day in range(7):
            if _held(instance, today, kept_days, day):
                continue
            was, shift = published.get((person.employee_id, day)), now.get((person.employee_id, day))
            inside = (instance.week_start + dt.timedelta(days=day) - today).days < rules.notice_days
            if was is None:
                if shift is not None:
                    units += round((rules.change_penalty_hours + inside * m.premium_hours(rules, ADDED)) * unit)
            elif shift is None:
                own = instance.absent(person.employee_id, day) is not None
                units += round((instance.paid_hours(was) + rules.change_penalty_hours
                                + (inside and not own) * m.premium_hours(rules, CANCELLED)) * unit)
            elif _span(shift) != _span(was):
                units += round((instance.paid_hours(was) + rules.change_penalty_hours
                                + inside * m.premium_hours(rules, change_kind(was, shift))) * unit)
    return units + _breaks_moved(instance, rules, published, today, kept_days, now) * m.break_move_cost(instance, rules)


def change_kind(was: Candidate | None, now: Candidate | None) -> str | None:
    """What became of the published shift `was` (None: none that day) in a roster working `now` that day (None:
    none): `result.ADDED`, `CANCELLED`, `BREAK_MOVED` (the same hours, the break elsewhere), one of `hours_change`'s,
    or None (kept as it was). The kind the change list says and prices, and the model and this recount too."""
    if was is None and now is None:
        return None
    if was is None:
        return ADDED
    if now is None:
        return CANCELLED
    if _span(was) == _span(now):
        return None if was.break_start_minute == now.break_start_minute else BREAK_MOVED
    return hours_change(was, now.start_minute, now.end_minute)


def hours_change(was: Candidate, start_minute: int, end_minute: int) -> str:
    """`result.SHORTENED`, `LENGTHENED` or `MOVED`: the published shift `was` worked instead from `start_minute` to
    `end_minute` of its day (other hours than its own): within its hours, around them, or neither."""
    if was.start_minute <= start_minute and end_minute <= was.end_minute:
        return SHORTENED
    if start_minute <= was.start_minute and was.end_minute <= end_minute:
        return LENGTHENED
    return MOVED


def _breaks_moved(instance: RosterInstance, rules: RosterRules, published: Published, today: dt.date,
                  kept_days: frozenset[int], now: Mapping[tuple[str, int], Candidate]) -> int:
    """Published break placements not kept, counted per group (keyholders, others), span and placement, as the
    model counts them: a person's break may go to another of their group on the same span. Only spans with a
    choice of placement count, and only the placements of people who may still work that span."""
    placements = Counter(_span(c) for c in enumerate_candidates(instance.as_shift_instance(), instance.shift_rules))
    was: Counter = Counter()
    placed: Counter = Counter()
    for person in instance.employees:
        for day in range(7):
            if _held(instance, today, kept_days, day):
                continue
            before, after = published.get((person.employee_id, day)), now.get((person.employee_id, day))
            if before is not None and placements[_span(before)] > 1 and _may_work(instance, rules, person, before):
                was[(person.is_keyholder, _span(before), before.break_start_minute)] += 1
            if after is not None:
                placed[(person.is_keyholder, _span(after), after.break_start_minute)] += 1
    return sum(max(0, count - placed[key]) for key, count in was.items())


def _held(instance: RosterInstance, today: dt.date, kept_days: frozenset[int], day: int) -> bool:
    """Whether a re-plan holds `day` as published: before `today`, or a day the change does not touch."""
    return instance.week_start + dt.timedelta(days=day) < today or day in kept_days


def _may_work(instance: RosterInstance, rules: RosterRules, person: Employee, shift: Candidate) -> bool:
    """Whether the person may still work the span of `shift`: within their availability that weekday, not absent,
    and within their daily maximum of paid hours."""
    return (any(w.holds(shift.start_minute, shift.end_minute) for w in person.availability[shift.weekday])
            and instance.absent(person.employee_id, shift.weekday) is None
            and instance.paid_hours(shift) <= m.max_hours_per_day(person, rules) + 1e-9)


def _span(shift: Candidate) -> tuple[int, int, int]:
    return shift.weekday, shift.start_minute, shift.length_hours
