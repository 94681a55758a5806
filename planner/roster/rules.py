"""The labour rules, one class each. A rule may say which spans a person can work at all (`allows`: the variable
container creates no variable for the others), and `build` adds its constraints and returns its objective terms as
(coefficient, variable) pairs (a term whose variable is None is a constant). `sentence` is what the rule asks, in
the words the checker and the tests use. A soft rule's `level` says which objective its terms join: the cost (wages,
uncovered staff, keyholder gaps, contract shortfalls) is minimised first; fairness and preferences after, with the
cost held at the best found (see `solve`). A rule without a `level` (the hard ones, which return no terms) is COST.

Table of contents (hard rules, then soft ones):
    Availability       only inside the person's windows of that weekday
    Absences           no shift on a day of leave or sickness
    MaxHoursPerDay     paid hours of a shift within the person's (else the rules') daily maximum
    OneShiftPerDay     at most one shift a day
    NoOverlap          a shift ends before the person's next one starts
    MinRest            min_rest_hours between shifts (also after the last shift before the week)
    MaxDaysInARow      at most max_days_in_a_row working days in a row, counting the days worked before the week
    DaysOff            at least min_full_days_off_per_week days without a shift
    MaxHoursPerWeek    paid hours within max_hours_per_week
    ContractMax        paid hours within the contract's maximum
    MaxStaff           no more than the store's max_staff on the floor in any half hour
    ContractMin        paid hours up to the contract's minimum (less absences); a shortfall is slack, dearly paid
    KeyholderCover     a keyholder on the floor from opening to closing; a gap is slack, dearer than uncovered staff
    Coverage           required staff in every half hour; uncovered staff cost more than any shift
    WageCost           every paid hour at the person's wage
    Preferences        preferred days off and early / late shifts; each broken one costs a share of a wage hour
    Fairness           the most evening, weekend and closing shifts anyone works, kept low (spread evenly)
    ContractShare      paid hours near each person's fair share (required hours in proportion to contracts)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from ortools.sat.python import cp_model

from planner.roster import measures as m
from planner.roster.instance import RosterInstance
from planner.roster.people import Employee
from planner.roster.variables import RosterVariables, Span, open_slots
from planner.settings import RosterRules
from planner.shifts.instance import slot_labels
from planner.hours import WEEKDAY_NAMES

Terms = list[tuple[int, cp_model.IntVar | None]]
COST, FAIRNESS, LEVELS = m.COST, m.FAIRNESS, m.LEVELS
LinearExpr = cp_model.LinearExpr


class Availability:
    name = "availability"
    sentence = "works only inside the availability windows of that weekday"

    def allows(self, instance: RosterInstance, rules: RosterRules, e: Employee, span: Span) -> bool:
        return any(w.holds(span.start_minute, span.end_minute) for w in e.availability[span.weekday])

    def build(self, instance, rules, model, v) -> Terms:
        return []


class Absences:
    name = "absences"
    sentence = "works no shift on a day of absence"

    def allows(self, instance: RosterInstance, rules: RosterRules, e: Employee, span: Span) -> bool:
        return instance.absent(e.employee_id, span.weekday) is None

    def build(self, instance, rules, model, v) -> Terms:
        return []


class MaxHoursPerDay:
    name = "max_hours_per_day"
    sentence = "works at most the daily maximum of paid hours"

    def allows(self, instance: RosterInstance, rules: RosterRules, e: Employee, span: Span) -> bool:
        return span.paid_hours <= m.max_hours_per_day(e, rules) + 1e-9

    def build(self, instance, rules, model, v) -> Terms:
        return []


class OneShiftPerDay:
    name = "one_shift_per_day"
    sentence = "works at most one shift a day"

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables) -> Terms:
        for (p, day), _ in v.works.items():
            takes = [x for _, x in v.day_takes(p, day)]
            model.add(LinearExpr.sum(takes) <= rules.max_shifts_per_day).with_name(
                f"{self.name}[{instance.employees[p].employee_id} {WEEKDAY_NAMES[day]}]")
        return []


class NoOverlap:
    name = "no_overlap"
    sentence = "starts a shift only after the previous one ended"
    gap_minutes: Callable[[RosterRules], int] = staticmethod(lambda rules: 0)
    by_elapsed_time = False
    """Whether the gap is measured in time that passed (`RosterInstance.elapsed_minutes`, which counts a change of
    the clocks between the shifts) rather than on the clock."""

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables) -> Terms:
        gap = self.gap_minutes(rules)
        at = instance.elapsed_minute if self.by_elapsed_time else (lambda minute: minute)
        for p, person in enumerate(instance.employees):
            for day in range(7):
                for later in range(day + 1, 7):
                    first, second = v.day_takes(p, day), v.day_takes(p, later)
                    if not first or not second:
                        continue
                    latest_end = max(at(v.spans[s].week_end_minute) for s, _ in first)
                    earliest_start = min(at(v.spans[s].week_start_minute) for s, _ in second)
                    if earliest_start - latest_end >= gap:
                        continue  # no pair of these days can break the rule
                    model.add(_starts(v, second, at) >= _ends(v, first, at) + gap).with_name(
                        f"{self.name}[{person.employee_id} {WEEKDAY_NAMES[day]}-{WEEKDAY_NAMES[later]}]"
                    ).only_enforce_if([v.works[(p, day)], v.works[(p, later)]])
            before = instance.last_end_before_minute.get(person.employee_id)
            if before is not None:
                for day in range(7):
                    takes = v.day_takes(p, day)
                    if takes and min(at(v.spans[s].week_start_minute) for s, _ in takes) - at(before) < gap:
                        model.add(_starts(v, takes, at) >= at(before) + gap).only_enforce_if(v.works[(p, day)])
        return []


class MinRest(NoOverlap):
    name = "min_rest"
    sentence = "rests at least min_rest_hours between shifts, in time that passed (a change of the clocks counts)"
    gap_minutes = staticmethod(lambda rules: round(rules.min_rest_hours * 60))
    by_elapsed_time = True


class MaxDaysInARow:
    name = "max_days_in_a_row"
    sentence = "works at most max_days_in_a_row days in a row, counting the days worked before the week"

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables) -> Terms:
        limit = rules.max_days_in_a_row
        for p, person in enumerate(instance.employees):
            works = [1 if day in person.days_elsewhere else v.works.get((p, day), 0) for day in range(7)]
            before = min(instance.days_worked_before.get(person.employee_id, 0), limit)
            # A window of limit + 1 days may hold at most `limit` working days; windows reaching back before the
            # week count the days already worked there.
            for first in range(-before, 7 - limit):
                days = [works[d] for d in range(max(0, first), first + limit + 1) if d < 7]
                already = max(0, -first)
                model.add(LinearExpr.sum(days) <= limit - already).with_name(
                    f"{self.name}[{person.employee_id} from day {first}]")
        return []


class DaysOff:
    name = "days_off"
    sentence = "has at least min_full_days_off_per_week days without a shift"

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables) -> Terms:
        for p, person in enumerate(instance.employees):
            works = [v.works[(p, day)] for day in range(7) if (p, day) in v.works]
            most = 7 - rules.min_full_days_off_per_week - len(person.days_elsewhere)  # a day elsewhere is no day off
            if len(works) > most:
                model.add(LinearExpr.sum(works) <= most).with_name(f"{self.name}[{person.employee_id}]")
        return []


class MaxHoursPerWeek:
    name = "max_hours_per_week"
    sentence = "works at most max_hours_per_week paid hours"

    def limit(self, e: Employee, rules: RosterRules) -> float:
        return e.hours_left(rules.max_hours_per_week)

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables) -> Terms:
        for p, person in enumerate(instance.employees):
            half_hours = int(np.floor(self.limit(person, rules) * m.HALF_HOURS_PER_HOUR + 1e-9))
            model.add(v.paid_half_hours(p) <= half_hours).with_name(f"{self.name}[{person.employee_id}]")
        return []


class ContractMax(MaxHoursPerWeek):
    name = "contract_max"
    sentence = "works at most the contract's maximum hours"

    def limit(self, e: Employee, rules: RosterRules) -> float:
        return e.hours_left(e.contract_hours_max)


class MaxStaff:
    name = "max_staff"
    sentence = "has no more than the store's max_staff on the floor in any half hour"

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables) -> Terms:
        if instance.max_staff is not None:  # every half hour a shift reaches, duty before opening included
            # Every slot with a term: a term is a span's count of people on one break placement, so a few terms
            # can hold more people than max_staff (counting terms skipped the slot: 17 on a floor of 16).
            labels = slot_labels(instance.opening)
            for slot in (slot for slot, terms in enumerate(v.floor_terms) if terms):
                model.add(v.on_floor(slot) <= instance.max_staff).with_name(f"{self.name}[{labels[slot]}]")
        return []


class ContractMin:
    name = "contract_min"
    sentence = "works at least the contract's minimum hours, less days of absence"

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables) -> Terms:
        terms: Terms = []
        cost = m.contract_short_cost(instance)
        for p, person in enumerate(instance.employees):
            need = int(np.ceil(m.effective_contract_min(instance, person, rules) * m.HALF_HOURS_PER_HOUR - 1e-9))
            if need == 0:
                continue
            short = model.new_int_var(0, need, f"below_contract_min[{person.employee_id}]")
            model.add(v.paid_half_hours(p) + short >= need).with_name(f"{self.name}[{person.employee_id}]")
            terms.append((cost, short))
        return terms


class KeyholderCover:
    name = "keyholder_cover"
    sentence = "has a keyholder on the floor from opening to closing"

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables) -> Terms:
        if not rules.keyholder_cover:
            return []
        cost = m.keyholder_gap_cost(instance)
        terms: Terms = []
        labels = slot_labels(instance.opening)
        for slot in open_slots(instance):
            gap = model.new_bool_var(f"no_keyholder[{instance.store_id} {labels[slot]}]")
            model.add(v.keyholders_on_floor(slot) + gap >= 1).with_name(f"{self.name}[{labels[slot]}]")
            terms.append((cost, gap))
        return terms


class Coverage:
    name = "coverage"
    sentence = "has the required staff on the floor in every half hour"

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables) -> Terms:
        cost = m.uncovered_cost(instance)
        terms: Terms = []
        labels = slot_labels(instance.opening)
        for slot in np.flatnonzero(instance.required):
            need = int(instance.required[slot])
            under = model.new_int_var(0, need, f"under[{instance.store_id} {labels[slot]}]")
            model.add(v.on_floor(slot) + under >= need).with_name(f"{self.name}[{labels[slot]}]")
            terms.append((cost, under))
        return terms


class WageCost:
    name = "wage_cost"
    sentence = "pays every paid hour at the person's wage"

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables) -> Terms:
        return [(m.wage_cents(instance, instance.employees[p]) * v.spans[s].paid_half_hours, x)
                for (p, s), x in v.take.items()]


class Preferences:
    level = FAIRNESS
    name = "preferences"
    sentence = "keeps preferred days off and early or late shifts where it can"

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables) -> Terms:
        terms: Terms = []
        for (p, s), x in v.take.items():
            person, span = instance.employees[p], v.spans[s]
            broken = (span.weekday in person.preferred_days_off) + m.breaks_time_preference(
                instance, person, span.weekday, span.start_minute, span.end_minute)
            if broken:
                terms.append((broken * m.preference_cost(instance, person, rules), x))
        return terms


class Fairness:
    level = FAIRNESS
    name = "fairness"
    sentence = "spreads evening, weekend and closing shifts evenly"

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables) -> Terms:
        kinds = {
            "evening": lambda span: m.is_evening(span.end_minute, rules),
            "weekend": lambda span: span.weekday in m.WEEKEND,
            "closing": lambda span: m.is_closing(instance, span.weekday, span.end_minute),
        }
        terms: Terms = []
        for kind, applies in kinds.items():
            most = model.new_int_var(0, 7, f"most_{kind}_shifts[{instance.store_id}]")
            every = []
            for p, person in enumerate(instance.employees):
                count = [x for s, x in v.person_takes(p) if applies(v.spans[s])]
                every += count
                if count:
                    model.add(LinearExpr.sum(count) <= most).with_name(f"{kind}[{person.employee_id}]")
            if every:  # the most is at least the mean: redundant, but it lifts the LP bound
                model.add(len(instance.employees) * most >= LinearExpr.sum(every))
            terms.append((m.fairness_cost(instance, rules), most))
        return terms


class ContractShare:
    level = FAIRNESS
    name = "contract_share"
    sentence = "gives everyone hours near their fair share of the requirement"

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables) -> Terms:
        share = m.fair_share_hours(instance, rules)
        terms: Terms = []
        for p, person in enumerate(instance.employees):
            target = round(share[person.employee_id] * m.HALF_HOURS_PER_HOUR)
            away = model.new_int_var(0, 7 * 48, f"away_from_fair_share[{person.employee_id}]")
            model.add(away >= v.paid_half_hours(p) - target)
            model.add(away >= target - v.paid_half_hours(p))
            terms.append((m.share_cost(instance, person, rules), away))
        return terms


def level_of(rule) -> str:
    return getattr(rule, "level", COST)


def _starts(v: RosterVariables, takes, at: Callable[[int], int]) -> cp_model.LinearExprT:
    return LinearExpr.weighted_sum([x for _, x in takes], [at(v.spans[s].week_start_minute) for s, _ in takes])


def _ends(v: RosterVariables, takes, at: Callable[[int], int]) -> cp_model.LinearExprT:
    return LinearExpr.weighted_sum([x for _, x in takes], [at(v.spans[s].week_end_minute) for s, _ in takes])


HARD_RULES = (Availability(), Absences(), MaxHoursPerDay(), OneShiftPerDay(), NoOverlap(), MinRest(),
              MaxDaysInARow(), DaysOff(), MaxHoursPerWeek(), ContractMax(), MaxStaff())
SOFT_RULES = (ContractMin(), KeyholderCover(), Coverage(), WageCost(), Preferences(), Fairness(), ContractShare())
RULES = HARD_RULES + SOFT_RULES
