"""A re-plan's cost level is the quantity its bound and proof are of: the checker's wages and cover plus each change
to the published roster at its penalty. It compared the wages alone with a bound of wages and changes, so a re-plan
of the benchmark's kind read "proven" least with its cost level (565) below its own bound (580.5), and its status
never said that the cost proven least counts the changes. Expected costs are worked out here from the change list
and the roster rules' prices, not from the code that prices changes for the model."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from planner.roster import Absence, Employee, Window, from_hourly, generate_employees, replan, solve_roster
from planner.roster.check import check_roster
from planner.roster.generate import generated_requirement
from planner.roster.greedy import greedy_roster
from planner.roster.report import make_roster
from planner.roster.result import FEASIBLE, OPTIMAL
from planner.settings import RosterRules, ShiftRules
from planner.shifts import solve_shifts

MONDAY = dt.date(2026, 12, 7)
SHAPE = ShiftRules(shift_lengths_hours=(8,), break_for_shifts_over_hours=8)
RULES = RosterRules(time_limit_seconds=5, optimiser_spans_share=0.0, relative_gap_limit=0.0)


def changes_cost(result, rules: RosterRules, sick: str) -> float:
    """Each change of `result` at its price (currency): a cancelled or changed shift its published paid hours, the
    change penalty and, inside the notice window, its premium (none for the sick person's own shift; any change of a
    shift's hours the moved shift's); an added shift the penalty and premium; a moved break its penalty at the
    store's wage."""
    instance = result.roster.instance
    total = 0.0
    for c in result.changes:
        wage = instance.wage_of(instance.employee(c.employee_id))
        if c.kind == "added":
            total += (rules.change_penalty_hours + c.inside_notice * rules.premium_hours_added_shift) * wage
        elif c.kind == "cancelled":
            premium = rules.premium_hours_cancelled_shift if c.inside_notice and c.employee_id != sick else 0.0
            total += (c.was.paid_hours + rules.change_penalty_hours + premium) * wage
        elif c.kind == "break moved":
            total += rules.break_move_penalty_hours * instance.wage_per_hour
        else:
            total += (c.was.paid_hours + rules.change_penalty_hours
                      + c.inside_notice * rules.premium_hours_moved_shift) * wage
    return total


def test_a_proven_replan_states_its_cost_with_the_changes_its_bound_counts():
    """A is published on Monday 9-17 (the only shift: 8 h, no break) and falls ill; B takes the shift. Proven best: wages 8 h of B's, changes A's 8 h
    cancelled plus the penalty (no premium: their own absence) and B's added shift's penalty and premium."""
    every_day = ((Window(0, 24 * 60),),) * 7
    people = [Employee(p, f"Person {p}", "S", skills=frozenset({"keyholder"}), contract_hours_min=0,
                       contract_hours_max=40, availability=every_day) for p in "AB"]
    table = np.zeros((7, 24))
    table[0, 9:17] = 1
    published = solve_roster(from_hourly("S", table, MONDAY, people, shift_rules=SHAPE), RULES)
    (worked,) = published.assignments
    other = next(p for p in "AB" if p != worked.employee_id)
    changed = published.instance.with_changes(absences=[Absence(worked.employee_id, MONDAY, MONDAY, "sick")])
    result = replan(changed, published, RULES, MONDAY - dt.timedelta(days=1))
    wage = changed.wage_of(changed.employee(other))
    wages = 8 * wage
    changes = ((worked.shift.paid_hours + RULES.change_penalty_hours) * changed.wage_of(changed.employee(worked.employee_id))
               + (RULES.change_penalty_hours + RULES.premium_hours_added_shift) * wage)
    assert [(c.employee_id, c.kind) for c in result.changes] == [(worked.employee_id, "cancelled"), (other, "added")]
    assert changes == pytest.approx(changes_cost(result, RULES, worked.employee_id))
    cost = result.roster.levels[0]
    assert result.roster.status == OPTIMAL and cost.proven
    assert cost.objective == pytest.approx(wages + changes) and cost.changes == pytest.approx(changes)
    assert cost.bound == pytest.approx(cost.objective)  # proven: the bound of the same quantity, not above it
    assert result.roster.best_bound <= result.roster.objective + 1e-9
    said = result.roster.status_sentence
    assert said.startswith("Proven best re-plan: the least cost the rules allow counting each change to the published "
                           f"roster at its penalty: wages {wages:,.2f} + changes {changes:,.2f}"), said


def test_a_replan_above_its_bound_once_its_changes_are_counted_is_not_said_proven():
    """The benchmark's store 2 (seeded week and people), published as the greedy roster, re-planned after the longest
    Wednesday shift's person falls ill, 2 units of search: wages and cover 615 are below the bound 660, wages, cover
    and changes above it. It read "proven the least possible"."""
    instance = from_hourly("S002", generated_requirement(2), MONDAY, generate_employees("S002", 25, 2),
                           shift_rules=ShiftRules())
    rules = RosterRules(deterministic_time_limit=2.0, time_limit_seconds=60)
    start = greedy_roster(instance, rules, solve_shifts(instance.as_shift_instance(), instance.shift_rules))
    published = make_roster(instance, rules, FEASIBLE, start, 0.0, 0.0, 0.0)
    sick = max(published.assignments, key=lambda a: (a.shift.weekday == 2, a.shift.paid_hours))
    day = MONDAY + dt.timedelta(days=sick.shift.weekday)
    changed = instance.with_changes(absences=[Absence(sick.employee_id, day, day, "sick")])
    result = replan(changed, published, rules, day - dt.timedelta(days=1))
    check = check_roster(changed, rules, result.roster.assignments)
    cost, changes = result.roster.levels[0], changes_cost(result, rules, sick.employee_id)
    assert cost.objective == pytest.approx(check.level_costs["cost"] + changes)
    assert cost.changes == pytest.approx(changes)
    assert check.level_costs["cost"] <= cost.bound < cost.objective  # the premise: proven only without the changes
    assert not cost.proven and result.roster.status != OPTIMAL
    said = result.roster.status_sentence
    assert "proven" not in said and "may not be the best possible" in said, said
    assert (f"counting each change to the published roster at its penalty (wages {check.wage_cost:,.2f} + changes "
            f"{changes:,.2f}) is within") in said, said
    assert not any("proven" in sentence for sentence in result.roster.sentences), result.roster.sentences
