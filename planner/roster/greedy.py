"""A quick roster without the solver: where the cost level's search starts (its first pass: the search refines it),
and what is left when a busy machine's time limit ends the search before it improved on that start.

Greedy, in four passes, every hard rule kept (the store's max_staff too: no shift that would put more on the floor
in a half hour is taken), so the result passes the checker:
1. people on the shift optimiser's least-cost shifts for the same requirement (people ignored), with their breaks:
   those shifts cover every hour a plan covers within max_staff, breaks staggered. The shifts fewest people may
   work are staffed first, each by the person free for it who is furthest below their contract minimum, then with
   the most hours left (a keyholder where the shift closes a keyholder gap, else someone else);
2. what people left uncovered: of every person and every shift the rules still allow them, the pair that covers the
   most required staff-half-hours still uncovered (a keyholder's open half hours without a keyholder count double),
   the break where the fewest staff are still missing;
3. shifts moved within their person's day (most often lengthened, the break elsewhere) wherever that leaves fewer
   staff-half-hours uncovered: it reaches people whose days off are used up (the sample's S07 was left 2 short on
   a Wednesday evening, every person with hours left already on the floor that day);
4. people below their contract minimum get more shifts where the rules allow.
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
from planner.shifts.solve import ShiftSolution, solve_shifts


PASSES = (("scarcest first", True), ("scarcest first", False), ("in the week's order", True),
          ("in the week's order", False))
"""The first pass's variants, each tried, the roster leaving the fewest staff-hours uncovered kept: the optimiser's
shifts each time the one fewest people are still free for, or in the week's order; and each given to the person
whose hours left stay usable for another shift (not 2 h of a 24 h contract, too few for any shift), or to whoever is
furthest below their minimum. No one variant won on every sample store (S07 was 7 staff-hours short with the first,
as short as its plan, and 63 with the second; S02 2 with the third and 29 with the second), and a pass takes a
fraction of a second."""


def greedy_roster(instance: RosterInstance, rules: RosterRules, optimiser: ShiftSolution | None = None,
                  passes: tuple[tuple[str, bool], ...] = PASSES) -> tuple[Assignment, ...]:
    """The quick roster: of `passes`, the one leaving the fewest staff-hours uncovered, then the fewest hours without a
    keyholder, then the lowest cost (the checker's). `optimiser`: the shift optimiser's solution for the same
    requirement, if at hand (else solved here)."""
    spans = enumerate_spans(instance)
    if not spans:
        return ()
    if optimiser is None:
        optimiser = solve_shifts(instance.as_shift_instance(), instance.shift_rules)
    week = _Week(instance, rules, spans, optimiser)
    best = None
    for scarcest, usable in passes:
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

    def __init__(self, instance: RosterInstance, rules: RosterRules, spans: list[Span], optimiser: ShiftSolution) -> None:
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
        planned = [(span_of(shift.candidate), shift.candidate.break_start_minute) for shift in optimiser.shifts
                   for _ in range(shift.staff)]  # (span, break start) of each of the optimiser's shifts, per staff
        self.planned = sorted(row_of[key] for key in planned if key in row_of)

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
        # 3. shifts lengthened: a person already on the floor that day works on into what is still uncovered
        self._lengthen(chosen, state, need, room, keyholder_need)
        # 4. the repair: contract minima, each shift's break where the most are still missing
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

    def _lengthen(self, chosen: list[Assignment], state: list[_Person], need: np.ndarray, room: np.ndarray,
                  keyholder_need: np.ndarray) -> None:
        """Move a chosen shift to another of the same person on the same day (most often a longer one, its break
        elsewhere) where that leaves fewer staff-half-hours uncovered (a keyholder's open half hour without a
        keyholder counting double), most gain first, until none gains. No new day is worked, so it reaches
        people whose days off are used up. `need`, `room` and `keyholder_need` are updated in place."""
        instance, spans, pairs, cover = self.instance, self.spans, self.pairs, self.cover
        row_of = {(span_of(spans[s]), spans[s].options[o]): row for row, (s, o) in enumerate(pairs)}
        person_of = {person.employee_id: p for p, person in enumerate(instance.employees)}
        keyholder = np.array([person.is_keyholder for person in instance.employees])
        day_rows: dict[int, list[int]] = {}
        for row, (s, _) in enumerate(pairs):
            day_rows.setdefault(spans[s].weekday, []).append(row)
        # per weekday: its rows, the half hours they can cover (a night's shift runs into the next day), and their
        # cover of just those half hours: a move on one day changes nothing elsewhere
        days = {}
        for day, rows in day_rows.items():
            slots = np.flatnonzero(cover[rows].any(axis=0))
            days[day] = (np.array(rows), slots, cover[np.ix_(rows, slots)])
        required = instance.required.astype(np.int64)
        limit = np.iinfo(np.int64).max if instance.max_staff is None else instance.max_staff
        open_for_keys = np.zeros(SLOTS_PER_WEEK, dtype=bool)  # the half hours that want a keyholder
        if self.rules.keyholder_cover:
            open_for_keys[open_slots(instance)] = True

        def shortfall(floor: np.ndarray, keys: np.ndarray, slots: np.ndarray) -> np.ndarray:
            return (np.maximum(required[slots] - floor, 0).sum(axis=-1)
                    + 2 * ((keys == 0) & open_for_keys[slots]).sum(axis=-1))

        def floors(taken: list[int], people: list[int]) -> tuple[np.ndarray, np.ndarray]:
            return cover[taken].sum(axis=0), cover[[row for row, p in zip(taken, people, strict=True)
                                                    if keyholder[p]]].sum(axis=0)

        people = [person_of[a.employee_id] for a in chosen]
        taken = [row_of[(span_of(a.shift), a.shift)] for a in chosen]
        while chosen:
            floor, keys = floors(taken, people)
            short = (required > floor) | ((keys == 0) & open_for_keys)
            best = None
            for index, (p, old) in enumerate(zip(people, taken, strict=True)):
                rows, slots, day_cover = days[spans[pairs[old][0]].weekday]
                if not short[slots].any():
                    continue
                now = shortfall(floor[slots], keys[slots], slots)
                after = floor[slots] - cover[old, slots] + day_cover
                after_keys = keys[slots] - cover[old, slots] + day_cover if keyholder[p] else keys[slots]
                gain = np.where((after <= limit).all(axis=1), now - shortfall(after, after_keys, slots), 0)
                for at in np.argsort(-gain, kind="stable"):
                    if gain[at] <= 0 or (best is not None and gain[at] <= best[0]):
                        break
                    row = int(rows[at])
                    s = pairs[row][0]
                    if (p, s) in self.allowed and state[p].can_swap(spans[pairs[old][0]], spans[s]):
                        best = (int(gain[at]), index, row)
                        break
            if best is None:
                break
            _, index, row = best
            p, old = people[index], taken[index]
            state[p].swap(spans[pairs[old][0]], spans[pairs[row][0]])
            s, o = pairs[row]
            chosen[index], taken[index] = Assignment(instance.employees[p].employee_id, spans[s].options[o]), row
        if chosen:
            floor, keys = floors(taken, people)
            need[:] = np.maximum(required - floor, 0)
            room[:] = limit - floor
            keyholder_need[:] = ((keys == 0) & open_for_keys).astype(np.int64)


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
        passed = self.instance.elapsed_minutes  # rest is time that passed: a change of the clocks counts
        return all(passed(other_end, start) >= rest or passed(end, other_start) >= rest
                   for other_start, other_end in self.times)

    def take(self, span: Span) -> None:
        self.days.add(span.weekday)
        self.times.append((span.week_start_minute, span.week_end_minute))
        self.paid_half_hours += span.paid_half_hours

    def release(self, span: Span) -> None:
        self.days.discard(span.weekday)
        self.times.remove((span.week_start_minute, span.week_end_minute))
        self.paid_half_hours -= span.paid_half_hours

    def can_swap(self, old: Span, new: Span) -> bool:
        """Whether `new` may replace `old`, a span this person works, every rule kept."""
        self.release(old)
        allowed = self.can_take(new)
        self.take(old)
        return allowed

    def swap(self, old: Span, new: Span) -> None:
        self.release(old)
        self.take(new)
