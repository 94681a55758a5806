"""Build the CP-SAT model for a store-week from the rules, solve it, and hand back the shifts.

Days that no shift links (no shift past midnight, no weekly budget) are solved as separate small models, which
CP-SAT proves optimal far faster than one model of the whole week; the answer is the same. The solver's seed,
worker count and limits come from `ShiftRules` and are set on `solver.parameters` in one place (`_solver`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from planner.settings import ShiftRules
from planner.shifts.candidates import Candidate, coverage_matrix, enumerate_candidates
from planner.shifts.instance import SLOTS_PER_DAY, SLOTS_PER_WEEK, ShiftInstance
from planner.shifts.rules import CENTS, HALF_HOURS_PER_HOUR, RULES, ShiftVariables, staff_upper_bounds

OPTIMAL, FEASIBLE, INFEASIBLE = "optimal", "feasible", "infeasible"


@dataclass(frozen=True)
class ScheduledShift:
    candidate: Candidate
    staff: int


@dataclass(frozen=True)
class ShiftSolution:
    instance: ShiftInstance
    rules: ShiftRules
    status: str
    """optimal (proven), feasible (time limit reached with a schedule) or infeasible (hard rules conflict)."""
    shifts: tuple[ScheduledShift, ...]
    objective: float
    """In currency: wages plus penalties (uncovered and surplus staff-hours)."""
    best_bound: float
    solve_seconds: float

    @property
    def relative_gap(self) -> float:
        return 0.0 if self.objective == 0 else abs(self.objective - self.best_bound) / abs(self.objective)


def solve_shifts(instance: ShiftInstance, rules: ShiftRules) -> ShiftSolution:
    started = time.perf_counter()
    candidates = [c for c in enumerate_candidates(instance, rules)]
    cover = coverage_matrix(candidates) if candidates else np.zeros((0, SLOTS_PER_WEEK), dtype=bool)
    useful = staff_upper_bounds(instance, cover) > 0
    candidates = [c for c, keep in zip(candidates, useful, strict=True) if keep]
    cover = cover[useful]
    statuses, shifts, objective, bound = [], [], 0.0, 0.0
    for days in _components(cover, linked=instance.budget_staff_hours is not None):
        slots = np.concatenate([np.arange(d * SLOTS_PER_DAY, (d + 1) * SLOTS_PER_DAY) for d in days])
        rows = np.flatnonzero(cover[:, slots].any(axis=1)) if len(candidates) else np.array([], dtype=int)
        if rows.size == 0 and not instance.required[slots].any():
            continue  # a closed day with nothing required: nothing to decide
        part = _solve_part(instance, rules, [candidates[k] for k in rows], cover[rows], slots)
        statuses.append(part[0])
        shifts += part[1]
        objective += part[2]
        bound += part[3]
    status = INFEASIBLE if INFEASIBLE in statuses else FEASIBLE if FEASIBLE in statuses else OPTIMAL
    if status == INFEASIBLE:
        shifts = []
    ordered = tuple(sorted(shifts, key=lambda s: (s.candidate.weekday, s.candidate.start_minute, s.candidate.length_hours)))
    return ShiftSolution(instance, rules, status, ordered, objective, bound, time.perf_counter() - started)


def _solve_part(instance, rules, candidates, cover, slots) -> tuple[str, list[ScheduledShift], float, float]:
    model = cp_model.CpModel()
    variables = ShiftVariables(candidates, cover, slots)
    variables.staff_max = staff_upper_bounds(instance, cover)
    variables.staff = [
        model.new_int_var(0, int(upper), f"staff[{c.label(instance.store_id)}]")
        for c, upper in zip(candidates, variables.staff_max, strict=True)
    ]
    terms = [term for rule in RULES for term in rule.build(instance, rules, model, variables)]
    constant = sum(coefficient for coefficient, variable in terms if variable is None)
    terms = [(coefficient, variable) for coefficient, variable in terms if variable is not None]
    if terms:
        coefficients, variables_in_objective = zip(*terms, strict=True)
        model.minimize(cp_model.LinearExpr.weighted_sum(list(variables_in_objective), list(coefficients)) + constant)
    solver = _solver(rules)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # INFEASIBLE, or MODEL_INVALID / UNKNOWN (no schedule found in time): no schedule to report
        return INFEASIBLE, [], 0.0, 0.0
    scale = CENTS * HALF_HOURS_PER_HOUR
    shifts = [ScheduledShift(c, int(solver.value(x))) for c, x in zip(candidates, variables.staff, strict=True)
              if solver.value(x) > 0]
    return (
        OPTIMAL if status == cp_model.OPTIMAL else FEASIBLE,
        shifts,
        solver.objective_value / scale,
        solver.best_objective_bound / scale,
    )


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
