"""A quick roster without the solver: what is left when a busy machine's time limit ends the search before it found
any roster.

Greedy: again and again, of every person and every shift the hard rules still allow them, take the pair that covers
the most required staff-half-hours still uncovered (a keyholder's open half hours without a keyholder count double);
then give people below their contract minimum more shifts where the rules allow. Every hard rule is kept (the
store's max_staff too: no pair that would put more on the floor in a half hour is taken), so the
result passes the checker; it is not meant to be cheap, only valid and reasonable.
"""

from __future__ import annotations

import numpy as np

from planner.roster import measures as m
from planner.roster.instance import RosterInstance
from planner.roster.result import Assignment
from planner.roster.rules import HARD_RULES
from planner.roster.variables import Span, enumerate_spans, open_slots
from planner.settings import RosterRules
from planner.shifts.instance import SLOTS_PER_WEEK


def greedy_roster(instance: RosterInstance, rules: RosterRules) -> tuple[Assignment, ...]:
    spans = enumerate_spans(instance)
    if not spans:
        return ()
    pairs = [(s, o) for s, span in enumerate(spans) for o in range(len(span.options))]
    cover = np.zeros((len(pairs), SLOTS_PER_WEEK), dtype=np.int64)
    for row, (s, o) in enumerate(pairs):
        cover[row, spans[s].options[o].slots()] = 1
    paid = np.array([spans[s].paid_half_hours for s, _ in pairs])
    need = instance.required.astype(np.int64).copy()
    keyholder_need = np.zeros(SLOTS_PER_WEEK, dtype=np.int64)
    if rules.keyholder_cover:
        keyholder_need[open_slots(instance)] = 1
    allows = [rule.allows for rule in HARD_RULES if hasattr(rule, "allows")]
    allowed = {(p, s) for p, person in enumerate(instance.employees) for s, span in enumerate(spans)
               if all(allowed(instance, rules, person, span) for allowed in allows)}
    state = [_Person(instance, rules, person) for person in instance.employees]
    # the store's max_staff: the people on the floor each half hour, and the pairs that would still fit under it
    room = np.full(SLOTS_PER_WEEK, np.iinfo(np.int64).max if instance.max_staff is None else instance.max_staff)
    chosen: list[Assignment] = []
    while True:
        fits = (cover <= room).all(axis=1)
        gain = np.where(fits, cover @ (need > 0), 0)
        gains = {False: gain, True: gain + 2 * (cover @ keyholder_need)}
        # Most gain first; for the same gain, fewer paid half hours.
        orders = {kind: np.lexsort((paid, -values)) for kind, values in gains.items()}
        best = None
        for p, person in enumerate(instance.employees):
            values = gains[person.is_keyholder]
            for row in orders[person.is_keyholder]:
                if values[row] <= 0:
                    break
                s = pairs[row][0]
                if (p, s) in allowed and state[p].can_take(spans[s]):
                    score = (int(values[row]), state[p].below_minimum(), -int(paid[row]))
                    if best is None or score > best[0]:
                        best = (score, p, row)
                    break
        if best is None:
            break
        _, p, row = best
        s, o = pairs[row]
        need = np.maximum(need - cover[row], 0)
        room = room - cover[row]
        if instance.employees[p].is_keyholder:
            keyholder_need = keyholder_need * (1 - cover[row])
        state[p].take(spans[s])
        chosen.append(Assignment(instance.employees[p].employee_id, spans[s].options[o]))
    first_row = {}
    for row, (s, _) in enumerate(pairs):
        first_row.setdefault(s, row)
    for p, person in enumerate(instance.employees):  # the repair: contract minima
        for s in sorted(range(len(spans)), key=lambda s: -spans[s].paid_half_hours):
            if state[p].below_minimum() <= 0:
                break
            if (p, s) in allowed and state[p].can_take(spans[s]):
                rows = [row for row in range(first_row[s], first_row[s] + len(spans[s].options))
                        if (cover[row] <= room).all()]
                if rows:
                    state[p].take(spans[s])
                    room = room - cover[rows[0]]
                    chosen.append(Assignment(person.employee_id, spans[s].options[pairs[rows[0]][1]]))
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
