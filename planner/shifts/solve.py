"""Build the CP-SAT model for a store-week from the rules, solve it, and hand back the shifts.

Days that no shift links (no shift past midnight, no weekly budget) are solved as separate small models, which
CP-SAT proves optimal far faster than one model of the whole week; the answer is the same. The solver's seed,
worker count and limits come from `ShiftRules` and are set on `solver.parameters` in one place (`_solver`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from planner.settings import ShiftRules
from planner.shifts.candidates import Candidate, coverage_matrix, enumerate_candidates
from planner.shifts.instance import SLOTS_PER_DAY, SLOTS_PER_WEEK, ShiftInstance
from planner.shifts.rules import (
    CENTS, HALF_HOURS_PER_HOUR, LEAST_PAID_RULES, RULES, ShiftVariables, staff_upper_bounds,
)
from planner.shifts.stoppable import solve_stoppable

OPTIMAL, FEASIBLE, INFEASIBLE = "optimal", "feasible", "infeasible"
NO_SOLUTION = "no_schedule_found"
"""The time limit came before any schedule: nothing is known about feasibility."""
NOTHING_REQUIRED = "nothing_required"
"""No staff required in any slot: nothing to decide (e.g. a store with no recommendation)."""
NO_SCHEDULE = (INFEASIBLE, NO_SOLUTION, NOTHING_REQUIRED)
"""Outcomes without a schedule: reports show a statement, never shifts, coverage or totals."""
EVERY_REQUIRED_HOUR, MIN_STAFF_EVERYWHERE = "every required hour", "min_staff in every open hour"
"""What a `LeastPaid` covers."""


@dataclass(frozen=True)
class ScheduledShift:
    candidate: Candidate
    staff: int


@dataclass(frozen=True)
class LeastPaid:
    """The fewest paid staff-hours any schedule needs to put `covers` on the floor, within every rule but the budget.
    `staff_hours` is a proven lower bound; `reached` says a schedule with exactly that many exists."""

    covers: str
    """EVERY_REQUIRED_HOUR or MIN_STAFF_EVERYWHERE (where a shift reaches, up to max_staff)."""
    staff_hours: float
    reached: bool
    covered_staff_hours: float = float("nan")
    """The staff-hours of the requirement it covers: below the instance's required_staff_hours by what no schedule
    can cover (above max_staff, or where no shift reaches) under soft coverage."""


@dataclass(frozen=True)
class MaxStaffNeeded:
    """The least max_staff that lets the hard rules give a schedule, where the store's own forbids every one."""

    least: int
    proven: bool
    """True: every lower max_staff was proven infeasible; False: a search below `least` hit the time limit first, so
    a lower one may do."""
    on_floor: tuple[int, ...]
    """Staff on the floor per week slot in the cheapest schedule found with max_staff `least`."""


@dataclass(frozen=True)
class ShiftSolution:
    instance: ShiftInstance
    rules: ShiftRules
    status: str
    """optimal (proven), feasible (a schedule, not proven best, when the time limit came), no_schedule_found (the
    time limit came first), infeasible (the hard rules conflict) or nothing_required."""
    shifts: tuple[ScheduledShift, ...]
    objective: float
    """In currency: wages plus penalties (uncovered and surplus staff-hours)."""
    best_bound: float
    solve_seconds: float
    budget_ran_out: bool = False
    """no_schedule_found because the deterministic limit (`rules.deterministic_time_limit`, work units) ended a
    search before the wall clock's time limit (`rules.time_limit_seconds`) did."""
    least_paid: LeastPaid | None = None
    """With a budget that left the schedule short or infeasible: what meeting the need would take (None: not asked,
    or the rules alone forbid it)."""
    max_staff_needed: MaxStaffNeeded | None = None
    """When the hard rules are infeasible and the store's max_staff alone forbids every schedule: the least max_staff
    that gives one, and that schedule's staff on the floor; else None."""

    @property
    def relative_gap(self) -> float:
        return 0.0 if self.objective == 0 else abs(self.objective - self.best_bound) / abs(self.objective)


@dataclass(frozen=True)
class _Part:
    status: str
    shifts: list[ScheduledShift]
    objective: float
    bound: float
    uncovered: int
    """Staff-half-hours left uncovered (soft coverage)."""
    budget_ran_out: bool = False
    """No schedule: the deterministic limit, not the wall clock, stopped the search."""


def solve_shifts(instance: ShiftInstance, rules: ShiftRules) -> ShiftSolution:
    """The cheapest schedule within the rules. A budget that leaves it short (or, with hard coverage or min_staff,
    infeasible) is answered with `least_paid`: a second solve without the budget, for the honest sentence."""
    started = time.perf_counter()
    solution, uncovered, coverable = _solve(instance, rules, RULES)
    least = None
    if instance.budget_staff_hours is not None and (solution.status == INFEASIBLE or uncovered):
        if rules.hard_coverage:
            least = least_paid_staff_hours(instance, rules, instance.required, EVERY_REQUIRED_HOUR)
        else:  # what soft coverage asks where a shift reaches: min_staff alone if even that failed, else everything
            need = instance.floor if solution.status == INFEASIBLE else instance.required
            need = np.where(coverable, need, 0)
            need = need if instance.max_staff is None else np.minimum(need, instance.max_staff)
            covers = MIN_STAFF_EVERYWHERE if solution.status == INFEASIBLE else EVERY_REQUIRED_HOUR
            least = least_paid_staff_hours(instance, rules, need, covers)
    crowded = _least_max_staff(instance, rules) if solution.status == INFEASIBLE else None
    return replace(solution, least_paid=least, max_staff_needed=crowded,
                   solve_seconds=time.perf_counter() - started)


def _least_max_staff(instance: ShiftInstance, rules: ShiftRules) -> MaxStaffNeeded | None:
    """The least max_staff that gives `instance` a schedule, when one without any max_staff exists (so max_staff is
    what made the rules infeasible) and no required hour alone needs more than max_staff (the report names those
    hours already); else None. Only for an infeasible store-week: a solve without the limit, whose most staff on the
    floor at once is a max_staff that works, then a bisection between the store's max_staff (infeasible) and it,
    since a higher max_staff only allows more. The cheapest schedule without the limit may stack more staff than
    needed (4 where 3 would do), so its peak alone overstated the fix."""
    if instance.max_staff is None or (instance.required > instance.max_staff).any():
        return None
    relaxed, _, _ = _solve(replace(instance, max_staff=None), rules, RULES)
    if relaxed.status not in (OPTIMAL, FEASIBLE):
        return None
    best, on_floor, proven = None, _on_floor(relaxed), True
    low, high = instance.max_staff + 1, int(max(on_floor))  # low..high holds the least; high works
    while low < high:
        middle = (low + high) // 2
        tried, _, _ = _solve(replace(instance, max_staff=middle), rules, RULES)
        if tried.status in (OPTIMAL, FEASIBLE):
            high, best = middle, tried
        else:
            proven = proven and tried.status == INFEASIBLE  # a time limit proves nothing about `middle`
            low = middle + 1
    return MaxStaffNeeded(high, proven, _on_floor(best) if best is not None else on_floor)


def _on_floor(solution: ShiftSolution) -> tuple[int, ...]:
    on_floor = np.zeros(SLOTS_PER_WEEK, dtype=np.int64)
    for shift in solution.shifts:
        on_floor[shift.candidate.slots()] += shift.staff
    return tuple(int(staff) for staff in on_floor)


def least_paid_staff_hours(instance: ShiftInstance, rules: ShiftRules, required: np.ndarray, covers: str
                           ) -> LeastPaid | None:
    """The fewest paid staff-hours that put `required` on the floor in every slot under the rules but without the
    budget (a solve minimising paid hours); None when the rules alone allow no such schedule."""
    target = replace(instance, required=np.asarray(required, dtype=np.int64), floor=None, budget_staff_hours=None,
                     wage_per_hour=1.0)
    solution, _, _ = _solve(target, replace(rules, hard_coverage=True), LEAST_PAID_RULES)
    lowest = max(target.required_staff_hours, solution.best_bound)  # the objective is paid hours at a wage of 1
    if solution.status == INFEASIBLE:
        return None
    if solution.status == OPTIMAL:
        return LeastPaid(covers, solution.objective, True, target.required_staff_hours)
    return LeastPaid(covers, float(np.ceil(lowest * HALF_HOURS_PER_HOUR - 1e-9) / HALF_HOURS_PER_HOUR), False,
                     target.required_staff_hours)


def _solve(instance: ShiftInstance, rules: ShiftRules, rule_set) -> tuple[ShiftSolution, int, np.ndarray]:
    """The solution, the staff-half-hours it leaves uncovered, and which slots some allowed shift reaches."""
    started = time.perf_counter()
    candidates = [c for c in enumerate_candidates(instance, rules)]
    cover = coverage_matrix(candidates) if candidates else np.zeros((0, SLOTS_PER_WEEK), dtype=bool)
    coverable = cover.any(axis=0)
    useful = staff_upper_bounds(instance, cover) > 0
    candidates = [c for c, keep in zip(candidates, useful, strict=True) if keep]
    cover = cover[useful]
    parts = []
    if instance.required.any():
        for days in _components(cover, linked=instance.budget_staff_hours is not None):
            slots = np.concatenate([np.arange(d * SLOTS_PER_DAY, (d + 1) * SLOTS_PER_DAY) for d in days])
            rows = np.flatnonzero(cover[:, slots].any(axis=1)) if len(candidates) else np.array([], dtype=int)
            if rows.size == 0 and not instance.required[slots].any():
                continue  # a closed day with nothing required: nothing to decide
            parts.append(_solve_part(instance, rules, rule_set, [candidates[k] for k in rows], cover[rows], slots))
    statuses = {part.status for part in parts}
    status = next((s for s in (INFEASIBLE, NO_SOLUTION, FEASIBLE, OPTIMAL) if s in statuses), NOTHING_REQUIRED)
    shifts = [] if status in NO_SCHEDULE else [shift for part in parts for shift in part.shifts]
    ordered = tuple(sorted(shifts, key=lambda s: (s.candidate.weekday, s.candidate.start_minute, s.candidate.length_hours)))
    solution = ShiftSolution(instance, rules, status, ordered, sum(p.objective for p in parts),
                             sum(p.bound for p in parts), time.perf_counter() - started,
                             any(p.budget_ran_out for p in parts if p.status == NO_SOLUTION))
    return solution, sum(p.uncovered for p in parts), coverable


def _solve_part(instance, rules, rule_set, candidates, cover, slots) -> _Part:
    model = cp_model.CpModel()
    variables = ShiftVariables(candidates, cover, slots)
    variables.staff_max = staff_upper_bounds(instance, cover)
    variables.staff = [
        model.new_int_var(0, int(upper), f"staff[{c.label(instance.store_id)}]")
        for c, upper in zip(candidates, variables.staff_max, strict=True)
    ]
    terms = [term for rule in rule_set for term in rule.build(instance, rules, model, variables)]
    constant = sum(coefficient for coefficient, variable in terms if variable is None)
    terms = [(coefficient, variable) for coefficient, variable in terms if variable is not None]
    if terms:
        coefficients, variables_in_objective = zip(*terms, strict=True)
        model.minimize(cp_model.LinearExpr.weighted_sum(list(variables_in_objective), list(coefficients)) + constant)
    solver = _solver(rules)
    status = solve_stoppable(solver, model)
    scale = CENTS * HALF_HOURS_PER_HOUR
    if status == cp_model.INFEASIBLE:
        return _Part(INFEASIBLE, [], 0.0, 0.0, 0)
    if status == cp_model.UNKNOWN:  # the time limit came before any schedule
        return _Part(NO_SOLUTION, [], 0.0, solver.best_objective_bound / scale if terms else 0.0, 0,
                     solver.response_proto.deterministic_time >= rules.deterministic_time_limit)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"{instance.store_id}: the shift model is invalid ({solver.status_name(status)})")
    shifts = [ScheduledShift(c, int(solver.value(x))) for c, x in zip(candidates, variables.staff, strict=True)
              if solver.value(x) > 0]
    uncovered = sum(int(solver.value(x)) for segments in variables.under.values() for x in segments)
    return _Part(OPTIMAL if status == cp_model.OPTIMAL else FEASIBLE, shifts, solver.objective_value / scale,
                 solver.best_objective_bound / scale, uncovered)


def _solver(rules: ShiftRules) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = rules.workers
    solver.parameters.random_seed = rules.seed
    solver.parameters.max_time_in_seconds = rules.time_limit_seconds
    solver.parameters.max_deterministic_time = rules.deterministic_time_limit
    # Measured on the 50-store benchmark (bench/bench_shifts.py): these are small covering problems whose LP
    # relaxation is nearly integral, so branching on the LP solution finds the optimum about 3x sooner, and
    # presolve and core-based search only add time. The optimum is the same either way.
    solver.parameters.search_branching = solver.parameters.LP_SEARCH
    solver.parameters.cp_model_presolve = False
    solver.parameters.optimize_with_core = False
    return solver


def _components(cover: np.ndarray, *, linked: bool) -> list[list[int]]:
    """Groups of weekdays that shifts tie together (a shift past midnight links two days); all 7 if `linked`."""
    if linked:
        return [list(range(7))]
    parent = list(range(7))

    def root(day: int) -> int:
        while parent[day] != day:
            parent[day] = parent[parent[day]]
            day = parent[day]
        return day

    days_touched = np.add.reduceat(cover, np.arange(0, SLOTS_PER_WEEK, SLOTS_PER_DAY), axis=1) > 0
    for days in {tuple(np.flatnonzero(row)) for row in days_touched if row.sum() > 1}:
        for day in days[1:]:
            parent[root(int(day))] = root(int(days[0]))
    groups: dict[int, list[int]] = {}
    for day in range(7):
        groups.setdefault(root(day), []).append(day)
    return list(groups.values())
