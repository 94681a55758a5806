"""What the roster's rules measure and what each unit costs: shared by the model (`rules`) and the solver-free
checker (`check`), which otherwise recompute everything on their own.

Objective units, as in `planner.shifts`: cents x half-hours, so a wage of w per hour costs 100 w per paid half hour
and a cost of c in currency is c x 200; every coefficient is a whole number.
"""

from __future__ import annotations

from planner.roster.instance import RosterInstance
from planner.roster.people import PREFER_EARLY, PREFER_LATE, Employee
from planner.roster.result import ADDED, BREAK_MOVED, CANCELLED, LENGTHENED, MOVED, SHORTENED
from planner.settings import RosterRules

CENTS = 100
HALF_HOURS_PER_HOUR = 2
UNITS_PER_CURRENCY = CENTS * HALF_HOURS_PER_HOUR
MINUTES_PER_DAY = 24 * 60
WEEKEND = (5, 6)
COST, FAIRNESS = "cost", "fairness"
LEVELS = (COST, FAIRNESS)
"""The objectives in the order they are minimised (lexicographically): the cost (wages, uncovered staff, keyholder
gaps, contract shortfalls), then fairness and preferences at that cost."""


def wage_cents(instance: RosterInstance, employee: Employee) -> int:
    return max(1, round(instance.wage_of(employee) * CENTS))


def uncovered_cost(instance: RosterInstance) -> int:
    """Per uncovered staff-half-hour: more than the dearest shift that could cover it, so covering always pays (the
    longest shift paid the hour the clocks give back too, on a night they go back)."""
    dearest = max([wage_cents(instance, e) for e in instance.employees] or [round(instance.wage_per_hour * CENTS)])
    gained = max((0.0, *instance.clock_changes_hours))
    longest = round((max(instance.shift_rules.shift_lengths_hours) + gained) * HALF_HOURS_PER_HOUR)
    return max(1, dearest) * (longest + 1)


def keyholder_gap_cost(instance: RosterInstance) -> int:
    """Per open half hour without a keyholder on the floor: dearer than an uncovered staff-half-hour."""
    return 2 * uncovered_cost(instance)


def contract_short_cost(instance: RosterInstance) -> int:
    """Per half hour below a contract's minimum: as dear as an uncovered one, so contracts are kept where possible."""
    return uncovered_cost(instance)


def preference_cost(instance: RosterInstance, employee: Employee, rules: RosterRules) -> int:
    return round(rules.preference_penalty_share_of_wage * wage_cents(instance, employee) * HALF_HOURS_PER_HOUR)


def fairness_cost(instance: RosterInstance, rules: RosterRules) -> int:
    """Per shift of the most evening (weekend, closing) shifts anyone works, at the store's wage."""
    return round(rules.fairness_penalty_share_of_wage * instance.wage_per_hour * UNITS_PER_CURRENCY)


def share_cost(instance: RosterInstance, employee: Employee, rules: RosterRules) -> int:
    """Per half hour between a person's paid hours and fair share."""
    return round(rules.fairness_penalty_share_of_wage * wage_cents(instance, employee))


def wage_hour_cost(instance: RosterInstance, employee: Employee) -> int:
    """One hour of this person's wage in objective units (cents x half-hours): their wage in whole cents per hour
    (`wage_cents`, at least 1) x 2, i.e. the wage x `UNITS_PER_CURRENCY`, so 12.50 an hour is 2,500 units. A
    re-plan's change of their shifts costs this per hour it is charged (the published shift's paid hours where it is
    cancelled or changed, `change_penalty_hours`, and inside the notice window the premium of its kind), the sum
    rounded to a whole unit."""
    return wage_cents(instance, employee) * HALF_HOURS_PER_HOUR


def break_move_cost(instance: RosterInstance, rules: RosterRules) -> int:
    """Per published break placement a re-plan moves, in objective units (cents x half-hours):
    `break_move_penalty_hours` x the store's wage in cents per hour (at least 1 cent) x 2, rounded to a whole unit;
    at the default 0.25 hours and a wage of 12.50 an hour, 625 units, a quarter of an hour's wage. The store's wage
    (`instance.wage_per_hour`), not a person's: the model counts placements per span and group (keyholders,
    others), not per person."""
    return round(rules.break_move_penalty_hours * max(1, round(instance.wage_per_hour * CENTS)) * HALF_HOURS_PER_HOUR)


def premium_hours(rules: RosterRules, kind: str) -> float:
    """Hours of pay a change of `kind` (`result.ADDED`, ...) earns inside the notice window."""
    return {
        ADDED: rules.premium_hours_added_shift, MOVED: rules.premium_hours_moved_shift,
        LENGTHENED: rules.premium_hours_moved_shift, SHORTENED: rules.premium_hours_shortened_shift,
        CANCELLED: rules.premium_hours_cancelled_shift, BREAK_MOVED: 0.0,
    }[kind]


def effective_contract_min(instance: RosterInstance, employee: Employee, rules: RosterRules) -> float:
    """The contract's minimum hours less the days of absence, each counted as a full day (the person's daily
    maximum): leave and sick days are paid, so a week with an absence asks no extra shift elsewhere to make up."""
    absent = sum(instance.absent(employee.employee_id, day) is not None for day in range(7))
    return max(0.0, employee.contract_hours_min - employee.hours_elsewhere - absent * max_hours_per_day(employee, rules))


def fair_share_hours(instance: RosterInstance, rules: RosterRules) -> dict[str, float]:
    """Per person, the hours that spread the required staff-hours in proportion to contracts' maxima, kept within
    each contract (the target of the `ContractShare` fairness rule)."""
    total_max = sum(e.hours_left(e.contract_hours_max) for e in instance.employees)
    ratio = instance.required_staff_hours / total_max if total_max else 0.0
    return {e.employee_id: min(e.hours_left(e.contract_hours_max), max(effective_contract_min(instance, e, rules),
                                                                       e.hours_left(e.contract_hours_max) * ratio))
            for e in instance.employees}


def max_hours_per_day(employee: Employee, rules: RosterRules) -> float:
    return rules.max_hours_per_day if employee.max_hours_per_day is None else employee.max_hours_per_day


def is_evening(end_minute: int, rules: RosterRules) -> bool:
    return end_minute > rules.evening_from_minute


def is_closing(instance: RosterInstance, weekday: int, end_minute: int) -> bool:
    span = instance.opening[weekday]
    return span is not None and end_minute >= span[1]


def breaks_time_preference(instance: RosterInstance, employee: Employee, weekday: int, start_minute: int,
                           end_minute: int) -> bool:
    """An early person on a shift starting in the second half of the day's opening, or a late person on one ending
    in its first half."""
    span = instance.opening[weekday]
    if span is None or employee.prefers is None:
        return False
    middle = (span[0] + span[1]) / 2
    return start_minute >= middle if employee.prefers == PREFER_EARLY else (
        employee.prefers == PREFER_LATE and end_minute <= middle)
