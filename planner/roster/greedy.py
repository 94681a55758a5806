"""A quick roster without the solver: what is left when a busy machine's time limit ends the search before it found
any roster.

Greedy, in three passes, every hard rule kept (the store's max_staff too: no shift that would put more on the floor
in a half hour is taken), so the result passes the checker:
1. people on the shift optimiser's least-cost shifts for the same requirement (people ignored), with their breaks:
   those shifts cover every hour a plan covers within max_staff, breaks staggered. The shifts fewest people may
   work are staffed first, each by the person free for it who is furthest below their contract minimum, then with
   the most hours left (a keyholder where the shift closes a keyholder gap, else someone else);
2. what people left uncovered: of every person and every shift the rules still allow them, the pair that covers the
   most required staff-half-hours still uncovered (a keyholder's open half hours without a keyholder count double),
   the break where the fewest staff are still missing;
3. people below their contract minimum get more shifts where the rules allow.
It is not meant to be cheap, only valid and covering what the people allow. Counting each still-uncovered half hour
alone, every 10:00-19:00 shift of the sample's S07 took its break at 13:30 (leaving it short each day), and long
shifts filled the 17:00-19:00 floor to max_staff, so that no shift could reach 19:00-21:00 with 26 people free.
"""

from __future__ import annotations

import numpy as np

from planner.roster import measures as m
from planner.roster.check import check_roster
from planner.roster.instance import RosterInstance
from planner.roster.result import Assignment
from planner.roster.rules import HARD_RULES
from planner.roster.variables import Span, enumerate_spans, open_slots, span_of
from planner.settings import RosterRules
from planner.shifts.instance import SLOTS_PER_WEEK
from planner.shifts.solve import solve_shifts


PASSES = (("scarcest first", True), ("scarcest first", False), ("in the week's order", True),
          ("in the week's order", False))
"""The first pass's variants, each tried, the roster leaving the fewest staff-hours uncovered kept: the optimiser's
shifts each time the one fewest people are still free for, or in the week's order; and each given to the person
whose hours left stay usable for another shift (not 2 h of a 24 h contract, too few for any shift), or to whoever is
furthest below their minimum. No one variant won on every sample store (S07 was 7 staff-hours short with the first,
as short as its plan, and 63 with the second; S02 2 with the third and 29 with the second), and a pass takes a
fraction of a second."""


def greedy_roster(instance: RosterInstance, rules: RosterRules) -> tuple[Assignment, ...]:
    """The quick roster: of `PASSES`, the one leaving the fewest staff-hours uncovered, then the fewest hours without a
    keyholder, then the lowest cost (the checker's)."""
    spans = enumerate_spans(instance)
    if not spans:
        return ()
    week = _Week(instance, rules, spans)
    best = None
    for scarcest, usable in PASSES:
        roster = week.roster(scarcest == PASSES[0][0], usable)
        check = check_roster(instance, rules, roster)
        if not check.ok:  # kept by construction; never a roster that breaks a rule
            continue
        score = (int(check.under.sum()), int(check.keyholder_gap.sum()), check.cost)
        if best is None or score < best[0]:
            best = (score, roster)
    return best[1] if best is not None else ()


class _Week:
    """What every pass shares: the spans and their break placements (a row each, `cover` its half hours), who may
    work which span, and the optimiser's shifts as rows."""

    def __init__(self, instance: RosterInstance, rules: RosterRules, spans: list[Span]) -> None:
        self.instance, self.rules, self.spans = instance, rules, spans
        self.pairs = [(s, o) for s, span in enumerate(spans) for o in range(len(span.options))]
        self.cover = np.zeros((len(self.pairs), SLOTS_PER_WEEK), dtype=np.int64)
        for row, (s, o) in enumerate(self.pairs):
            self.cover[row, spans[s].options[o].slots()] = 1
        self.paid = np.array([spans[s].paid_half_hours for s, _ in self.pairs])
        self.shortest = int(self.paid.min())
        allows = [rule.allows for rule in HARD_RULES if hasattr(rule, "allows")]
        self.allowed = {(p, s) for p, person in enumerate(instance.employees) for s, span in enumerate(spans)
                        if all(allowed(instance, rules, person, span) for allowed in allows)}
        row_of = {(span_of(spans[s]), spans[s].options[o].break_start_minute): row
                  for row, (s, o) in enumerate(self.pairs)}
        self.planned = sorted(row_of[key] for key in _optimiser_shifts(instance) if key in row_of)

    def roster(self, scarcest: bool, usable: bool) -> tuple[Assignment, ...]:
        instance, spans, pairs, cover, paid = self.instance, self.spans, self.pairs, self.cover, self.paid
        need = instance.required.astype(np.int64).copy()
        keyholder_need = np.zeros(SLOTS_PER_WEEK, dtype=np.int64)
        if self.rules.keyholder_cover:
            keyholder_need[open_slots(instance)] = 1
        state = [_Person(instance, self.rules, person) for person in instance.employees]
        # the store's max_staff: what the floor still takes each half hour; no row that would pass it is taken
        room = np.full(SLOTS_PER_WEEK, np.iinfo(np.int64).max if instance.max_staff is None else instance.max_staff)
        chosen: list[Assignment] = []

        def take(p: int, row: int) -> None:
            nonlocal need, room, keyholder_need
            s, o = pairs[row]
            need = np.maximum(need - cover[row], 0)
            room = room - cover[row]
            if instance.employees[p].is_keyholder:
                keyholder_need = keyholder_need * (1 - cover[row])
            state[p].take(spans[s])
            chosen.append(Assignment(instance.employees[p].employee_id, spans[s].options[o]))

        # 1. the optimiser's shifts, with their staggered breaks
        planned = list(self.planned)
        free = {row: {p for p in range(len(state)) if (p, pairs[row][0]) in self.allowed
                      and state[p].can_take(spans[pairs[row][0]])} for row in set(planned)}
        while planned:
            row = min(planned, key=lambda row: (len(free[row]), row)) if scarcest else planned[0]
            planned.remove(row)
            s = pairs[row][0]
            if not free[row] or not (cover[row] <= room).all():
                continue
            closes_gap = bool(cover[row] @ keyholder_need)

            def suits(p: int) -> tuple:
                left = state[p].hours_left() - spans[s].paid_half_hours
                fits_again = left == 0 or left >= self.shortest
                keyholder = instance.employees[p].is_keyholder == closes_gap
                if usable:
                    return fits_again, keyholder, state[p].below_minimum() > 0, state[p].hours_left(), -p
                return keyholder, state[p].below_minimum(), state[p].hours_left(), -p

            p = max(free[row], key=suits)
            take(p, row)
            for other in set(planned):  # who is free for each shift left, for the scarcest's choice
                if p in free[other] and not state[p].can_take(spans[pairs[other][0]]):
                    free[other].discard(p)
        # 2. what is still uncovered, pair by pair
        while True:
            fits = (cover <= room).all(axis=1)
            gain = np.where(fits, cover @ (need > 0), 0)
            gains = {False: gain, True: gain + 2 * (cover @ keyholder_need)}
            # Most gain first; for the same gain, the break where the fewest are still missing (`cover @ need`: a
            # break that leaves a still-short half hour uncovered covers less of it), then fewer paid half hours.
            missing = cover @ need
            orders = {kind: np.lexsort((paid, -missing, -values)) for kind, values in gains.items()}
            best = None
            for p, person in enumerate(instance.employees):
                values = gains[person.is_keyholder]
                for row in orders[person.is_keyholder]:
                    if values[row] <= 0:
                        break
                    s = pairs[row][0]
                    if (p, s) in self.allowed and state[p].can_take(spans[s]):
                        score = (int(values[row]), int(missing[row]), state[p].below_minimum(), -int(paid[row]))
                        if best is None or score > best[0]:
                            best = (score, p, row)
                        break
            if best is None:
                break
            take(best[1], best[2])
        # 3. the repair: contract minima, each shift's break where the most are still missing
        first_row: dict[int, int] = {}
        for row, (s, _) in enumerate(pairs):
            first_row.setdefault(s, row)
        for p in range(len(state)):
            for s in sorted(range(len(spans)), key=lambda s: -spans[s].paid_half_hours):
                if state[p].below_minimum() <= 0:
                    break
                if (p, s) in self.allowed and state[p].can_take(spans[s]):
                    rows = [row for row in range(first_row[s], first_row[s] + len(spans[s].options))
                            if (cover[row] <= room).all()]
                    if rows:
                        take(p, max(rows, key=lambda row: (int(cover[row] @ need), -row)))
        return tuple(chosen)


class _Person:
    def __init__(self, instance: RosterInstance, rules: RosterRules, person) -> None:
        self.instance, self.rules, self.person = instance, rules, person
        self.days: set[int] = set()
        self.times: list[tuple[int, int]] = []
        before = instance.last_end_before_minute.get(person.employee_id)
        if before is not None:
            self.times.append((before, before))
        self.paid_half_hours = 0
        self.limit = int(np.floor(person.weekly_limit(rules.max_hours_per_week) * 2 + 1e-9))
        self.minimum = int(np.ceil(m.effective_contract_min(instance, person, rules) * 2 - 1e-9))

    def hours_left(self) -> int:
        return self.limit - self.paid_half_hours

    def below_minimum(self) -> int:
        return self.minimum - self.paid_half_hours

    def can_take(self, span: Span) -> bool:
        rules = self.rules
        if span.weekday in self.days or self.paid_half_hours + span.paid_half_hours > self.limit:
            return False
        days = self.days | {span.weekday} | self.person.days_elsewhere
        if 7 - len(days) < rules.min_full_days_off_per_week:
            return False
        run, longest = self.instance.days_worked_before.get(self.person.employee_id, 0), 0
        for day in range(7):
            run = run + 1 if day in days else 0
            longest = max(longest, run) if day in days else longest
        if longest > rules.max_days_in_a_row:
            return False
        rest = rules.min_rest_hours * 60
        start, end = span.week_start_minute, span.week_end_minute
        return all(start - other_end >= rest or other_start - end >= rest for other_start, other_end in self.times)

    def take(self, span: Span) -> None:
        self.days.add(span.weekday)
        self.times.append((span.week_start_minute, span.week_end_minute))
        self.paid_half_hours += span.paid_half_hours


def _optimiser_shifts(instance: RosterInstance) -> list[tuple[tuple[int, int, int], int | None]]:
    """(span, break start) of each of the shift optimiser's least-cost shifts for the requirement, once per staff."""
    solution = solve_shifts(instance.as_shift_instance(), instance.shift_rules)
    return [(span_of(shift.candidate), shift.candidate.break_start_minute) for shift in solution.shifts
            for _ in range(shift.staff)]
