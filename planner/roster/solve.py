"""Build the roster's CP-SAT model from the rules, solve it, and hand back the roster.

One model assigns people to shift spans directly, in steps within the time limit: a small model over the shift
optimiser's spans finds a good roster quickly, then the full model searches the rest of the time, and the better
roster is kept; a greedy roster that keeps every hard rule (`greedy`) is the answer if neither found one. The
other method, the optimiser's shifts first and people on them after (`solve_shifts_then_people`), is kept for the
benchmark's comparison (bench/bench_roster.py): it lands as close to the bound, but cannot put a shift where the
optimiser put none. The solver's seed, workers and limits come from `RosterRules` and are set on
`solver.parameters` in one place (`_solver`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import replace

from ortools.sat.python import cp_model

from planner.roster.check import check_roster
from planner.roster.greedy import greedy_roster
from planner.roster.instance import RosterInstance
from planner.roster.measures import UNITS_PER_CURRENCY
from planner.roster.report import make_roster
from planner.roster.result import (
    FEASIBLE, INFEASIBLE, NO_ROSTER_FOUND, NOTHING_REQUIRED, OPTIMAL, Assignment, Roster,
)
from planner.roster.rules import RULES
from planner.roster.variables import KEYHOLDERS, OTHERS, create_variables, span_of
from planner.settings import RosterRules
from planner.shifts.solve import EVERY_REQUIRED_HOUR, least_paid_staff_hours, solve_shifts


def solve_roster(instance: RosterInstance, rules: RosterRules) -> Roster:
    """Named shifts covering the requirement at least wage cost within the labour rules (`rules.RULES`)."""
    return solve_with(instance, rules, RULES)


def solve_shifts_then_people(instance: RosterInstance, rules: RosterRules) -> Roster:
    """The other method, kept for the benchmark's comparison: the shift optimiser chooses the shifts (people
    ignored), then people are put on them, as many on one as the rules and contracts want (the repair step)."""
    started = time.perf_counter()
    outcome, objective, bound, assignments = _solve_model(instance, rules, RULES, _optimiser_spans(instance))
    status = {cp_model.OPTIMAL: OPTIMAL, cp_model.FEASIBLE: FEASIBLE, cp_model.INFEASIBLE: INFEASIBLE}.get(
        outcome, NO_ROSTER_FOUND)
    if status == OPTIMAL and objective > bound + 1e-6:
        status = FEASIBLE
    # Its bound holds for its own spans only, so the gap it reports is not one against the full model.
    return make_roster(instance, rules, status, assignments, objective, bound, time.perf_counter() - started)


def solve_with(instance: RosterInstance, rules: RosterRules, rule_set, start: tuple[Assignment, ...] | None = None
               ) -> Roster:
    """The roster under `rule_set` (the re-plan adds its stability rule; tests leave one out): the better of the
    small model's and the full model's; `start` (default: the greedy roster) is the answer when the time limit ends
    both searches before they found a roster."""
    started = time.perf_counter()
    if not instance.required.any() and not any(e.contract_hours_min for e in instance.employees):
        return make_roster(instance, rules, NOTHING_REQUIRED, (), 0.0, 0.0, time.perf_counter() - started)
    best = (cp_model.UNKNOWN, 0.0, 0.0, ())
    bound = 0.0
    if rules.warm_start_share > 0:
        quick = replace(rules, time_limit_seconds=rules.time_limit_seconds * rules.warm_start_share,
                        deterministic_time_limit=rules.deterministic_time_limit * rules.warm_start_share)
        keep = _optimiser_spans(instance).union(*(rule.spans() for rule in rule_set if hasattr(rule, "spans")))
        found = _solve_model(instance, quick, rule_set, keep)
        if found[0] in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = found
    left = 1 - rules.warm_start_share
    full = replace(rules, time_limit_seconds=max(0.1, rules.time_limit_seconds - (time.perf_counter() - started)),
                   deterministic_time_limit=rules.deterministic_time_limit * left)
    found = _solve_model(instance, full, rule_set, None)
    if found[0] == cp_model.INFEASIBLE:
        return make_roster(instance, rules, INFEASIBLE, (), 0.0, 0.0, time.perf_counter() - started)
    bound = max(found[2], paid_hours_bound(instance))
    if found[0] in (cp_model.OPTIMAL, cp_model.FEASIBLE) and (best[0] == cp_model.UNKNOWN or found[1] <= best[1]):
        best = found  # else the smaller model's roster, a roster of the full model too, is the better one
    seconds = time.perf_counter() - started
    if best[0] == cp_model.UNKNOWN:  # the time limit came first: the start roster, said as such
        start = greedy_roster(instance, rules) if start is None else start
        if not start or not check_roster(instance, rules, start).ok:
            return make_roster(instance, rules, NO_ROSTER_FOUND, (), 0.0, bound, seconds)
        cost = check_roster(instance, rules, start).cost
        return make_roster(instance, rules, FEASIBLE, start, cost, min(bound, cost), seconds,
                           note="the time limit came before the solver's own roster: this is the quick one it "
                                "started from")
    # CP-SAT says OPTIMAL once the gap limit is reached too; only a closed gap is a proof.
    status = OPTIMAL if best[1] <= bound + 1e-6 else FEASIBLE
    return make_roster(instance, rules, status, best[3], best[1], bound, seconds)


def _solve_model(instance, rules, rule_set, keep):
    """(CP-SAT outcome, objective, best bound, assignments) of the model over the spans in `keep` (None: all).

    No solution hint is given: on the benchmark store a hint (the greedy roster, or the small model's roster for the
    full one) held the search at the hinted roster (34% above the bound instead of 2-6%)."""
    model = cp_model.CpModel()
    v = create_variables(instance, rules, model, rule_set, keep)
    terms = [term for rule in rule_set for term in rule.build(instance, rules, model, v)]
    constant = sum(coefficient for coefficient, variable in terms if variable is None)
    terms = [(coefficient, variable) for coefficient, variable in terms if variable is not None]
    if terms:
        coefficients, variables = zip(*terms, strict=True)
        model.minimize(cp_model.LinearExpr.weighted_sum(list(variables), list(coefficients)) + constant)
    solver = _solver(rules)
    outcome = solver.solve(model)
    if outcome in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return (outcome, solver.objective_value / UNITS_PER_CURRENCY, solver.best_objective_bound / UNITS_PER_CURRENCY,
                _assignments(instance, v, solver))
    if outcome == cp_model.MODEL_INVALID:
        raise RuntimeError(f"{instance.store_id}: the roster model is invalid ({solver.status_name(outcome)})")
    return outcome, 0.0, solver.best_objective_bound / UNITS_PER_CURRENCY if terms else 0.0, ()


def paid_hours_bound(instance: RosterInstance) -> float:
    """A lower bound on any roster's cost (currency) that needs no search: the least paid hours that cover every
    required half hour (the shift optimiser, people ignored) at the lowest wage. A roster leaving staff uncovered is
    no cheaper, since an uncovered staff-half-hour costs more than a shift covering it at the highest wage, and every
    other term of the cost is 0 or more. 0 when some required half hour no shift can reach."""
    if not instance.required.any():
        return 0.0
    least = least_paid_staff_hours(instance.as_shift_instance(), instance.shift_rules, instance.required,
                                   EVERY_REQUIRED_HOUR)
    if least is None:
        return 0.0
    wages = [instance.wage_of(e) for e in instance.employees] or [instance.wage_per_hour]
    return least.staff_hours * min(wages)


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
    # Probing in presolve took most of a 10 s limit on the benchmark store and bought nothing: without it the
    # roster found in 10 units of deterministic time is 2.5% above the bound instead of 4.6%.
    solver.parameters.cp_model_probing_level = 0
    return solver
