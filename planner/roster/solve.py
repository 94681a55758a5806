"""Build the roster's CP-SAT model from the rules, solve it, and hand back the roster.

One model assigns people to shifts directly (rather than first choosing shifts, then people): the labour rules,
contracts and keyholder cover shape which shifts are worth having, and a shift chosen without them often has no one
to work it. bench/bench_roster.py measures the model against the shift optimiser's least paid hours. The solver's
seed, workers and limits come from `RosterRules` and are set on `solver.parameters` in one place (`_solver`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import replace

from ortools.sat.python import cp_model

from planner.roster.instance import RosterInstance
from planner.roster.measures import UNITS_PER_CURRENCY
from planner.roster.report import make_roster
from planner.roster.result import (
    FEASIBLE, INFEASIBLE, NO_ROSTER_FOUND, NOTHING_REQUIRED, OPTIMAL, Assignment, Roster,
)
from planner.roster.rules import RULES
from planner.roster.variables import KEYHOLDERS, OTHERS, create_variables, span_of
from planner.settings import RosterRules
from planner.shifts.solve import solve_shifts


def solve_roster(instance: RosterInstance, rules: RosterRules) -> Roster:
    """Named shifts covering the requirement at least wage cost within the labour rules (`rules.RULES`)."""
    return solve_with(instance, rules, RULES)


def solve_with(instance: RosterInstance, rules: RosterRules, rule_set) -> Roster:
    """The roster under `rule_set` (the re-plan adds its stability rule; tests leave one out)."""
    started = time.perf_counter()
    if not instance.required.any() and not any(e.contract_hours_min for e in instance.employees):
        return make_roster(instance, rules, NOTHING_REQUIRED, (), 0.0, 0.0, time.perf_counter() - started)
    found = None
    if rules.warm_start_share > 0:
        quick = replace(rules, time_limit_seconds=rules.time_limit_seconds * rules.warm_start_share,
                        deterministic_time_limit=rules.deterministic_time_limit * rules.warm_start_share)
        keep = _optimiser_spans(instance).union(*(rule.spans() for rule in rule_set if hasattr(rule, "spans")))
        found = _solve_model(instance, quick, rule_set, keep, None)
    left = 1 - rules.warm_start_share if found is not None else 1.0
    full = replace(rules, time_limit_seconds=rules.time_limit_seconds * left,
                   deterministic_time_limit=rules.deterministic_time_limit * left)
    outcome, objective, bound, assignments = _solve_model(instance, full, rule_set, None, found)
    seconds = time.perf_counter() - started
    if outcome == cp_model.INFEASIBLE:
        return make_roster(instance, rules, INFEASIBLE, (), 0.0, 0.0, seconds)
    if outcome == cp_model.UNKNOWN:
        if found is None or found[0] == cp_model.UNKNOWN:
            return make_roster(instance, rules, NO_ROSTER_FOUND, (), 0.0, bound, seconds)
        outcome, objective, assignments = cp_model.FEASIBLE, found[1], found[3]
    if found is not None and found[0] in (cp_model.OPTIMAL, cp_model.FEASIBLE) and found[1] < objective:
        objective, assignments = found[1], found[3]  # the smaller model's roster is a roster of the full one too
    # CP-SAT says OPTIMAL once the gap limit is reached too; only a closed gap is a proof.
    status = OPTIMAL if objective <= bound + 1e-6 else FEASIBLE
    return make_roster(instance, rules, status, assignments, objective, bound, seconds)


def _solve_model(instance, rules, rule_set, keep, hint):
    """(CP-SAT outcome, objective, best bound, assignments) of the model over the spans in `keep` (None: all),
    started from `hint` (an earlier answer) where given."""
    model = cp_model.CpModel()
    v = create_variables(instance, rules, model, rule_set, keep)
    terms = [term for rule in rule_set for term in rule.build(instance, rules, model, v)]
    constant = sum(coefficient for coefficient, variable in terms if variable is None)
    terms = [(coefficient, variable) for coefficient, variable in terms if variable is not None]
    if terms:
        coefficients, variables = zip(*terms, strict=True)
        model.minimize(cp_model.LinearExpr.weighted_sum(list(variables), list(coefficients)) + constant)
    if hint is not None and hint[3]:
        taken = {(a.employee_id, span_of(a.shift)) for a in hint[3]}
        for (p, s), x in v.take.items():
            span = v.spans[s]
            model.add_hint(x, (instance.employees[p].employee_id, (span.weekday, span.start_minute,
                                                                   span.length_hours)) in taken)
    solver = _solver(rules)
    outcome = solver.solve(model)
    if outcome in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return (outcome, solver.objective_value / UNITS_PER_CURRENCY, solver.best_objective_bound / UNITS_PER_CURRENCY,
                _assignments(instance, v, solver))
    if outcome == cp_model.MODEL_INVALID:
        raise RuntimeError(f"{instance.store_id}: the roster model is invalid ({solver.status_name(outcome)})")
    return outcome, 0.0, solver.best_objective_bound / UNITS_PER_CURRENCY if terms else 0.0, ()


def _optimiser_spans(instance: RosterInstance) -> set[tuple[int, int, int]]:
    """The spans of the shift optimiser's least-cost shifts for the same requirement (no people): a small model over
    them finds a good roster quickly, which then starts the search of the full model."""
    solution = solve_shifts(instance.as_shift_instance(), instance.shift_rules)
    return {span_of(shift.candidate) for shift in solution.shifts}


def _assignments(instance: RosterInstance, v, solver: cp_model.CpSolver) -> tuple[Assignment, ...]:
    """People on spans, each handed one of the span's break placements as the model counted them per group."""
    on_span: dict[tuple[str, int], list[str]] = defaultdict(list)
    for (p, s), x in v.take.items():
        if solver.boolean_value(x):
            person = instance.employees[p]
            on_span[(KEYHOLDERS if person.is_keyholder else OTHERS, s)].append(person.employee_id)
    assignments = []
    for (group, s), people in sorted(on_span.items()):
        span = v.spans[s]
        placements = [option for o, option in enumerate(span.options)
                      for _ in range(int(solver.value(v.breaks[(group, s, o)])))]
        assignments += [Assignment(employee_id, shift) for employee_id, shift in zip(people, placements, strict=True)]
    return tuple(sorted(assignments, key=lambda a: (a.shift.weekday, a.shift.start_minute, a.employee_id)))


def _solver(rules: RosterRules) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = rules.workers
    solver.parameters.random_seed = rules.seed
    solver.parameters.max_time_in_seconds = rules.time_limit_seconds
    solver.parameters.max_deterministic_time = rules.deterministic_time_limit
    solver.parameters.relative_gap_limit = rules.relative_gap_limit
    # Measured on the benchmark store (bench/bench_roster.py): branching on the LP solution of a fuller
    # linearisation finds rosters within a few per cent where the default search is still 50-100% away.
    solver.parameters.linearization_level = 2
    solver.parameters.search_branching = solver.parameters.LP_SEARCH
    return solver
