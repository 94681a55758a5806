"""Build the roster's CP-SAT model from the rules, solve it level by level, and hand back the roster.

Lexicographic, as the CP-SAT primer and Timefold do it: first the cost level (wages, and the dearly paid uncovered
staff, keyholder gaps and contract shortfalls), where the bound is tight: the shift optimiser's least paid hours and
the contract minima bound every roster's cost (`paid_hours_bound`, `contract_minimum_bound`). Then, with the cost
held at the best found (within `cost_tolerance_share`), fairness and preferences, whose terms (a maximum, a distance)
left the bound of one weighted sum loose. Each level's gap and proof are reported on their own (`result.Level`).

The cost level searches first over the spans of the shift optimiser's least-cost shifts (a small model that lands at
or near the least paid hours within a unit or two of deterministic time); a model over every span takes the rest of
the level's time only if that roster is not within `relative_gap_limit` of the bound. A greedy roster that keeps
every hard rule (`greedy`) is the answer if no search found one. The method before the levels, one weighted sum over
the optimiser's spans (`solve_shifts_then_people`), is kept for the benchmark's comparison (bench/bench_roster.py).
The solver's seed, workers and limits come from `RosterRules` and are set on `solver.parameters` in one place
(`_solver`).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from planner.roster.check import check_roster
from planner.roster.greedy import greedy_roster
from planner.roster.instance import RosterInstance
from planner.roster import measures as m
from planner.roster.measures import UNITS_PER_CURRENCY
from planner.roster.report import make_roster
from planner.roster.result import (
    FEASIBLE, INFEASIBLE, NO_ROSTER_FOUND, NOTHING_REQUIRED, OPTIMAL, Assignment, Level, Roster,
)
from planner.roster.rules import COST, FAIRNESS, LEVELS, RULES, level_of
from planner.roster.variables import KEYHOLDERS, OTHERS, create_variables, span_of
from planner.settings import RosterRules
from planner.shifts.solve import EVERY_REQUIRED_HOUR, least_paid_staff_hours, solve_shifts

NEIGHBOURHOOD_UNITS_LEAST = 0.05
"""Deterministic time each neighbourhood is charged at least: building and presolving one takes about 0.05 s of one
core on the benchmark store, which the solver's own count leaves out (a neighbourhood presolve solves counts 0), so
without it the loop would run to the wall-clock limit."""
WEIGHTED = "weighted"
"""Both levels' objectives as one sum (the method before the levels, for the benchmark's comparison)."""


def solve_roster(instance: RosterInstance, rules: RosterRules) -> Roster:
    """Named shifts covering the requirement at least wage cost within the labour rules (`rules.RULES`)."""
    return solve_with(instance, rules, RULES)


def solve_shifts_then_people(instance: RosterInstance, rules: RosterRules) -> Roster:
    """The method before the levels, kept for the benchmark's comparison: people on the spans of the shift
    optimiser's least-cost shifts (people ignored), as many on one as the rules and contracts want (the repair
    step), minimising wages and every penalty as one weighted sum. Its bound holds for those spans only, so its gap
    is not one against every roster."""
    clock = _Clock(rules)
    found = _Model(instance, rules, RULES, _optimiser_spans(instance), clock).minimise(WEIGHTED, 1.0)
    if found.objective is None:
        status = INFEASIBLE if found.outcome == cp_model.INFEASIBLE else NO_ROSTER_FOUND
        return make_roster(instance, rules, status, (), 0.0, 0.0, clock.seconds())
    status = OPTIMAL if found.objective <= found.bound else FEASIBLE
    return make_roster(instance, rules, status, found.assignments, found.objective / UNITS_PER_CURRENCY,
                       found.bound / UNITS_PER_CURRENCY, clock.seconds())


def solve_with(instance: RosterInstance, rules: RosterRules, rule_set, start: tuple[Assignment, ...] | None = None
               ) -> Roster:
    """The roster under `rule_set` (the re-plan adds its stability rule; tests leave one out), solved level by level
    (`measures.LEVELS`): first the cost (wages and the dearly paid cover terms), then, with the cost held at the best
    found (within `rules.cost_tolerance_share`), fairness and preferences. `start` (default: the greedy roster) is the
    answer when the time limit ends the search before it found a roster."""
    clock = _Clock(rules)
    if not instance.required.any() and not any(e.contract_hours_min for e in instance.employees):
        return make_roster(instance, rules, NOTHING_REQUIRED, (), 0.0, 0.0, clock.seconds())
    # The cost level's bounds that need no search, valid for every roster.
    bound = max(paid_hours_bound(instance), contract_minimum_bound(instance, rules)) * UNITS_PER_CURRENCY
    keep = None
    if rules.optimiser_spans_share > 0:
        keep = _optimiser_spans(instance).union(*(rule.spans() for rule in rule_set if hasattr(rule, "spans")))
    # No hint for the cost level: a hinted start (the greedy roster, or the re-plan's published one) held the search
    # at the hint on the benchmark store (729.5 instead of 570.5 in 1.5 units).
    model = _Model(instance, rules, rule_set, keep, clock)
    found = model.minimise(COST, rules.cost_level_share * (rules.optimiser_spans_share if keep else 1.0))
    if model.full and found.outcome == cp_model.INFEASIBLE:
        return make_roster(instance, rules, INFEASIBLE, (), 0.0, 0.0, clock.seconds())
    if model.full:
        bound = max(bound, found.bound)
    elif rules.optimiser_spans_share < 1 and (found.objective is None
                                              or found.objective > bound * (1 + rules.relative_gap_limit) + 1e-6):
        # The optimiser's spans were not enough (or no time): every span, from the roster found, for the rest of
        # the cost level's time; its bound holds for every roster.
        wider_model = _Model(instance, rules, rule_set, None, clock)
        if found.objective is not None:
            wider_model.hint(found.takes, COST)
        wider = wider_model.minimise(COST, rules.cost_level_share)
        if wider.outcome == cp_model.INFEASIBLE:
            return make_roster(instance, rules, INFEASIBLE, (), 0.0, 0.0, clock.seconds())
        bound = max(bound, wider.bound)
        if wider.objective is not None and (found.objective is None or wider.objective < found.objective):
            model, found = wider_model, wider  # else fairness is searched where the roster was found
    start = greedy_roster(instance, rules) if start is None and found.objective is None else start
    if found.objective is None and start:
        # Nothing found in the level's time (store 34 of the benchmark's 50, over the optimiser's spans): the rest of
        # the time searches from the start roster, hinted as far as the model's spans hold it.
        model.hint(_takes(instance, start), COST)
        found = model.minimise(COST, 1.0)
        bound = max(bound, found.bound) if model.full else bound
        if found.objective is not None and check_roster(instance, rules, start).ok and found.objective > round(
                check_roster(instance, rules, start).level_costs[COST] * UNITS_PER_CURRENCY):
            found = replace(found, objective=None)  # the start itself is the better roster
    cost_seconds = clock.seconds()
    if found.objective is None:  # the time limit came first: the start roster, said as such
        return _start_roster(instance, rules, start, bound / UNITS_PER_CURRENCY, cost_seconds)
    cap = int(found.objective * (1 + rules.cost_tolerance_share))
    used = clock.used_share()  # what the cost level left goes to fairness, mostly to its neighbourhoods
    fair = model.minimise(FAIRNESS, used + (1.0 - used) * (1.0 - rules.fairness_neighbourhood_share),
                          takes=found.takes, cap=cap)
    if fair.objective is not None and fair.objective > fair.bound:
        fair = model.improve(FAIRNESS, fair)
    assignments = fair.assignments if fair.objective is not None else found.assignments
    check = check_roster(instance, rules, assignments)
    # From the roster's own cost: the fairness level may have found one of a lower cost than the cap.
    cost_proven = round(check.level_costs[COST] * UNITS_PER_CURRENCY) <= bound
    fairness_proven = (fair.objective is not None and fair.objective <= fair.bound + 1e-6 and model.full
                       and cost_proven and cap == found.objective)
    levels = (
        Level(COST, check.level_costs[COST], bound / UNITS_PER_CURRENCY, cost_proven, cost_seconds),
        Level(FAIRNESS, check.level_costs[FAIRNESS], fair.bound / UNITS_PER_CURRENCY if fair.objective is not None
              else 0.0, fairness_proven, clock.seconds() - cost_seconds),
    )
    status = OPTIMAL if cost_proven and fairness_proven else FEASIBLE
    return make_roster(instance, rules, status, assignments, check.cost, bound / UNITS_PER_CURRENCY,
                       clock.seconds(), levels=levels)


def _takes(instance: RosterInstance, assignments) -> frozenset[tuple[int, tuple[int, int, int]]]:
    index = {e.employee_id: p for p, e in enumerate(instance.employees)}
    return frozenset((index[a.employee_id], span_of(a.shift)) for a in assignments if a.employee_id in index)


def _start_roster(instance, rules, start, bound, seconds) -> Roster:
    if not start or not check_roster(instance, rules, start).ok:
        return make_roster(instance, rules, NO_ROSTER_FOUND, (), 0.0, bound, seconds)
    check = check_roster(instance, rules, start)
    levels = (Level(COST, check.level_costs[COST], min(bound, check.level_costs[COST]), False, seconds),
              Level(FAIRNESS, check.level_costs[FAIRNESS], 0.0, False, 0.0))
    return make_roster(instance, rules, FEASIBLE, start, check.cost, min(bound, check.cost), seconds,
                       note="the time limit came before the solver's own roster: this is the quick one it "
                            "started from", levels=levels)


@dataclass(frozen=True)
class _Found:
    outcome: int
    """CP-SAT's status."""
    objective: int | None
    """The level's objective in model units (`measures.UNITS_PER_CURRENCY` a currency unit); None: no roster."""
    bound: int
    """The solver's bound on the level (for a model over every span, valid for every roster)."""
    takes: frozenset[tuple[int, tuple[int, int, int]]] = frozenset()
    """(person index, span) worked: the roster in a form any model of the same store-week can take as a hint."""
    assignments: tuple[Assignment, ...] = ()
    values: tuple[int, ...] = ()
    """Every variable's value, by index: a complete hint for the same model."""


class _Clock:
    """Hands out the time limits (wall and deterministic) between the levels' searches."""

    def __init__(self, rules: RosterRules) -> None:
        self.rules, self.started, self.used_deterministic = rules, time.perf_counter(), 0.0

    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def share(self, share: float) -> tuple[float, float]:
        """(seconds, deterministic units) left of `share` of the limits."""
        return (max(0.05, self.rules.time_limit_seconds * share - self.seconds()),
                max(1e-3, self.rules.deterministic_time_limit * share - self.used_deterministic))

    def time_left(self) -> bool:
        """Whether both limits leave enough for another neighbourhood."""
        return (self.seconds() < self.rules.time_limit_seconds
                and self.rules.deterministic_time_limit - self.used_deterministic > NEIGHBOURHOOD_UNITS_LEAST)

    def used_share(self) -> float:
        """The larger share used of the two limits."""
        return min(1.0, max(self.seconds() / self.rules.time_limit_seconds,
                            self.used_deterministic / self.rules.deterministic_time_limit))

    def spend(self, deterministic: float) -> None:
        self.used_deterministic += deterministic


class _Model:
    """One CP-SAT model of the store-week (over every span, or those in `keep`) with one objective per level."""

    def __init__(self, instance: RosterInstance, rules: RosterRules, rule_set, keep, clock: _Clock) -> None:
        self.instance, self.rules, self.full, self.clock = instance, rules, keep is None, clock
        self.model = cp_model.CpModel()
        self.v = create_variables(instance, rules, self.model, rule_set, keep)
        terms = {level: [] for level in LEVELS}
        for rule in rule_set:
            terms[level_of(rule)] += rule.build(instance, rules, self.model, self.v)
        self.objective = {level: _expression(level_terms) for level, level_terms in terms.items()}

    def minimise(self, level: str, share: float, *, takes=None, cap: int | None = None) -> _Found:
        """Search `level`'s objective (WEIGHTED: both levels' sum) within what is left of `share` of the time
        limits; with `cap`, the cost level held at or below it, and the roster `takes` (which keeps the cap) as the
        hint."""
        if cap is not None:
            self.model.add(self.objective[COST] <= cap).with_name("cost_held_at_the_best_found")
            self.hint(takes, level)
        self.model.minimize(sum(self.objective.values()) if level == WEIGHTED else self.objective[level])
        solver = _solver(self.rules, *self.clock.share(share),
                         gap_limit=self.rules.relative_gap_limit if level == COST else 0.0)
        outcome = solver.solve(self.model)
        self.clock.spend(solver.deterministic_time)
        if outcome == cp_model.MODEL_INVALID:
            raise RuntimeError(f"{self.instance.store_id}: the roster model is invalid")
        bound = round(solver.best_objective_bound)
        if outcome not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return _Found(outcome, None, bound)
        return self._found(solver, outcome, bound)

    def improve(self, level: str, found: _Found) -> _Found:
        """Large-neighbourhood search in one thread, for the rest of the time: again and again, hold the roster as it
        is on all but `fairness_neighbourhood_days` days drawn at random (seeded), search those days' shifts and
        people for a better `level` (the cost cap still holds), and keep any better roster. A single CP-SAT worker
        does no such search of its own: on the benchmark store it stayed at its start's fairness."""
        rng = np.random.default_rng(self.rules.seed)
        days_with_shifts = sorted({span.weekday for span in self.v.spans})
        free = min(self.rules.fairness_neighbourhood_days, len(days_with_shifts))
        settled: set[frozenset[int]] = set()  # neighbourhoods proven to hold nothing better since the last gain
        while (found.objective > found.bound and self.clock.time_left()
               and len(settled) < math.comb(len(days_with_shifts), free)):
            days = set(rng.choice(days_with_shifts, size=free, replace=False).tolist())
            trial = self.model.clone()
            variables = trial.proto.variables
            for (p, s), x in self.v.take.items():  # held as it is: the domain shrunk to the value, in place
                if self.v.spans[s].weekday not in days:
                    variables[x.index].domain[0] = variables[x.index].domain[1] = found.values[x.index]
            _hint_all(trial, found.values)
            seconds, units = self.clock.share(1.0)
            solver = _solver(self.rules, seconds, min(units, self.rules.fairness_neighbourhood_units), gap_limit=0.0)
            outcome = solver.solve(trial)
            self.clock.spend(max(solver.deterministic_time, NEIGHBOURHOOD_UNITS_LEAST))
            if outcome in (cp_model.OPTIMAL, cp_model.FEASIBLE) and round(solver.objective_value) < found.objective:
                found = replace(self._found(solver, outcome, found.bound), bound=found.bound)
                settled.clear()
            elif outcome == cp_model.OPTIMAL:  # a local optimum for these days: once every choice is, stop
                settled.add(frozenset(days))
        return found

    def _found(self, solver: cp_model.CpSolver, outcome, bound: int) -> _Found:
        takes = frozenset((p, span_of(self.v.spans[s])) for (p, s), x in self.v.take.items()
                          if solver.boolean_value(x))
        values = tuple(solver.response_proto.solution)
        return _Found(outcome, round(solver.objective_value), bound, takes, _assignments(self.instance, self.v, solver),
                      values)

    def hint(self, takes, level: str) -> None:
        """Hint every variable from the roster `takes`: its break placements and measures (the most evening shifts,
        the distance from fair shares, ...) found by a quick solve with those shifts fixed, so the hint is complete
        and tight (a hint of the shifts alone left the search without a roster, and loose measures held it at
        the hint's fairness)."""
        index = {(p, span_of(self.v.spans[s])): x for (p, s), x in self.v.take.items()}
        trial = self.model.clone()
        for key, x in index.items():
            trial.add(trial.get_bool_var_from_proto_index(x.index) == int(key in takes))
        trial.minimize(self.objective[level])  # the clone holds the same variables, by index
        solver = _solver(self.rules, *self.clock.share(1.0), gap_limit=0.0)
        found = solver.solve(trial)
        self.clock.spend(solver.deterministic_time)
        if found not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return
        _hint_all(self.model, solver.response_proto.solution)


def _hint_all(model: cp_model.CpModel, values) -> None:
    """Every variable of `model` hinted at `values` (by index), written into the model in bulk."""
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def _expression(terms) -> cp_model.LinearExprT:
    constant = sum(coefficient for coefficient, variable in terms if variable is None)
    terms = [(coefficient, variable) for coefficient, variable in terms if variable is not None]
    if not terms:
        return cp_model.LinearExpr.constant(constant) if hasattr(cp_model.LinearExpr, "constant") else constant
    coefficients, variables = zip(*terms, strict=True)
    return cp_model.LinearExpr.weighted_sum(list(variables), list(coefficients)) + constant


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


def contract_minimum_bound(instance: RosterInstance, rules: RosterRules) -> float:
    """A lower bound on any roster's cost level (currency): every person's contract minimum (less absences) at their
    wage, since an hour short of it costs more than an hour's wage. Above the least paid hours where contracts ask
    for more hours than the requirement (on 1 of the benchmark's first 10 stores)."""
    return float(sum(np.ceil(m.effective_contract_min(instance, e, rules) * m.HALF_HOURS_PER_HOUR - 1e-9)
                     * m.wage_cents(instance, e) for e in instance.employees)) / UNITS_PER_CURRENCY


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


def _solver(rules: RosterRules, seconds: float, deterministic: float, *, gap_limit: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = rules.workers
    solver.parameters.random_seed = rules.seed
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.max_deterministic_time = deterministic
    solver.parameters.relative_gap_limit = gap_limit
    # Measured on the benchmark store (bench/bench_roster.py): branching on the LP solution of a fuller
    # linearisation finds rosters within a few per cent where the default search is still 50-100% away.
    solver.parameters.linearization_level = 2
    solver.parameters.search_branching = solver.parameters.LP_SEARCH
    # Probing in presolve took most of a 10 s limit on the benchmark store and bought nothing: without it the
    # roster found in 10 units of deterministic time is 2.5% above the bound instead of 4.6%.
    solver.parameters.cp_model_probing_level = 0
    return solver
