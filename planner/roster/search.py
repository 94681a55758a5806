"""The search behind `solve`: one CP-SAT model of a store-week with an objective per level (`LevelModel`), the
time limits handed out between the levels (`Clock`, which also tells a progress bar how far the search is:
`SearchProgress`), the fairness level's large-neighbourhood search, and the solver's parameters, set on
`solver.parameters` in one place (`solver_for`).
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from planner.roster.instance import RosterInstance
from planner.roster.result import Assignment
from planner.roster import measures as m
from planner.roster.measures import UNITS_PER_CURRENCY
from planner.roster.rules import COST, FAIRNESS, LEVELS, level_of
from planner.roster.variables import KEYHOLDERS, OTHERS, create_variables, span_of
from planner.settings import RosterRules
from planner.shifts.instance import SLOTS_PER_WEEK, open_slot_mask
from planner.shifts.stoppable import solve_stoppable

NEIGHBOURHOOD_UNITS_LEAST = 0.05
"""Deterministic time each neighbourhood is charged at least: building and presolving one takes about 0.05 s of one
core on the benchmark store, which the solver's own count leaves out (a neighbourhood presolve solves counts 0), so
without it the loop would run to the wall-clock limit."""
WEIGHTED = "weighted"
"""Both levels' objectives as one sum (the method before the levels, for the benchmark's comparison)."""
UNITS_PER_SECOND_GUESS = 0.8
"""Deterministic units a solve is taken to spend per second of wall time until one has ended (then its own rate):
8 units took about 10 s of one core on the benchmark store (`RosterRules.deterministic_time_limit`). Only a progress
bar reads it, between a solve's start and its end, and never past that solve's units."""


@dataclass(frozen=True)
class SearchProgress:
    """How far a roster's search is, for a progress bar (`Clock(progress=...)`)."""

    share_done: float
    """Of the search's budget, from 0 to 1: the larger of the deterministic limit's share spent (a solve running is
    counted at the rate of those before it, at most its own units) and the wall-clock limit's share elapsed, since
    the search stops at whichever comes first. A search may end before 1: proven best, or nothing left to search."""
    seconds: float
    best_cost: float | None
    """The least cost level (currency: wages and the dearly paid cover terms) of a roster found so far; None: none
    found yet."""
    fairer: int
    """Rosters found fairer (or meeting more wishes) than the one before at that cost, on the fairness level."""


@dataclass(frozen=True)
class Found:
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


class Clock:
    """Hands out the time limits (wall and deterministic) between the levels' searches, runs each solve, and tells
    a `progress` callback how far the search is (`SearchProgress`)."""

    def __init__(self, rules: RosterRules, progress: Callable[[SearchProgress], None] | None = None,
                 now: Callable[[], float] = time.perf_counter) -> None:
        """`progress`: called with the search's `SearchProgress` as it starts, while a solve runs (a few times a
        second, on the calling thread), as each solve ends, and at each roster found; `now`: the clock read (seconds)."""
        self.rules, self.progress, self.now = rules, progress, now
        self.started, self.used_deterministic = now(), 0.0
        self.solving: tuple[float, float] | None = None  # (started, units) of the solve running
        self.solve_seconds = 0.0  # wall time of the solves ended, for the rate of a solve running
        self.best: dict[str, int] = {}  # each level's least objective found (model units)
        self.fairer, self.shown = 0, 0.0
        self.report()

    def seconds(self) -> float:
        return self.now() - self.started

    def share(self, share: float) -> tuple[float, float]:
        """(seconds, deterministic units) for a search given `share` of the budget: the deterministic units left of
        that share, and every second left of the wall-clock limit. The wall clock is a stop for the whole search,
        never shared: a level given its share of the seconds too was stopped by them on a busy machine long before
        its units were spent (a quarter of 30 s for the first model), so the roster depended on the machine's
        load."""
        return (max(0.05, self.rules.time_limit_seconds - self.seconds()),
                max(1e-3, self.rules.deterministic_time_limit * share - self.used_deterministic))

    def time_left(self, share: float = 1.0) -> bool:
        """Whether both limits (the deterministic one's `share`) leave enough for another neighbourhood."""
        return (self.seconds() < self.rules.time_limit_seconds
                and self.rules.deterministic_time_limit * share - self.used_deterministic > NEIGHBOURHOOD_UNITS_LEAST)

    def used_share(self) -> float:
        """The share used of the deterministic limit, all of it once the wall limit is reached: the wall clock is a
        stop, and sharing the time by it made the roster depend on the machine's load."""
        if self.seconds() >= self.rules.time_limit_seconds:
            return 1.0
        return min(1.0, self.used_deterministic / self.rules.deterministic_time_limit)

    def spend(self, deterministic: float) -> None:
        if self.solving is not None:
            self.solve_seconds += self.now() - self.solving[0]
            self.solving = None
        self.used_deterministic += deterministic
        self.report()

    def solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel, level: str | None = None,
              least: float = 0.0) -> int:
        """`solver` run on `model` (stoppable by Ctrl-C), its deterministic time spent (at least `least`); with a
        `progress`, each roster it finds for `level` (COST, FAIRNESS) is reported as it is found."""
        self.begin(solver.parameters.max_deterministic_time)
        watch = _Found(self, level) if self.progress is not None and level in (COST, FAIRNESS) else None
        outcome = solve_stoppable(solver, model, watch, self.report if self.progress is not None else None)
        self.spend(max(solver.deterministic_time, least))
        return outcome

    def begin(self, units: float) -> None:
        """A solve of at most `units` deterministic units starts: until it ends (`spend`), `share_done` counts it
        at the rate of the solves before it."""
        self.solving = (self.now(), units)

    def found(self, level: str, objective: int) -> None:
        """A roster of `level`'s `objective` found (on the solver's thread): the least cost, or one more fairer."""
        before = self.best.get(level)
        if before is not None and objective >= before:
            return
        self.best[level] = objective
        self.fairer += level == FAIRNESS and before is not None

    def share_done(self) -> float:
        """`SearchProgress.share_done`."""
        units = self.used_deterministic
        if self.solving is not None:
            started, budget = self.solving
            rate = (self.used_deterministic / self.solve_seconds if self.solve_seconds > 0 and self.used_deterministic
                    else UNITS_PER_SECOND_GUESS)
            units += min(budget, (self.now() - started) * rate)
        share = max(self.seconds() / self.rules.time_limit_seconds, units / self.rules.deterministic_time_limit)
        self.shown = min(1.0, max(self.shown, share))  # a solve quicker than its estimate holds the bar, not back
        return self.shown

    def report(self) -> None:
        """Tell `progress` how far the search is (nothing without one)."""
        if self.progress is None:
            return
        cost = self.best.get(COST)
        self.progress(SearchProgress(self.share_done(), self.seconds(),
                                     None if cost is None else cost / UNITS_PER_CURRENCY, self.fairer))


class _Found(cp_model.CpSolverSolutionCallback):
    """Each roster a solve finds, handed to the clock (`Clock.found`) for the progress bar."""

    def __init__(self, clock: Clock, level: str) -> None:
        super().__init__()
        self.clock, self.level = clock, level

    def on_solution_callback(self) -> None:
        self.clock.found(self.level, round(self.objective_value))


class LevelModel:
    """One CP-SAT model of the store-week (over every span, or those in `keep`) with one objective per level."""

    def __init__(self, instance: RosterInstance, rules: RosterRules, rule_set, keep, clock: Clock) -> None:
        self.instance, self.rules, self.full, self.clock = instance, rules, keep is None, clock
        self.model = cp_model.CpModel()
        self.v = create_variables(instance, rules, self.model, rule_set, keep)
        terms = {level: [] for level in LEVELS}
        for rule in rule_set:
            terms[level_of(rule)] += rule.build(instance, rules, self.model, self.v)
        self.objective = {level: expression(level_terms) for level, level_terms in terms.items()}

    def minimise(self, level: str, share: float, *, takes=None, cap: int | None = None) -> Found:
        """Search `level`'s objective (WEIGHTED: both levels' sum) within what is left of `share` of the time
        limits; with `cap`, the cost level held at or below it, and the roster `takes` (which keeps the cap) as the
        hint."""
        hinted = None
        if cap is not None:
            self.model.add(self.objective[COST] <= cap).with_name("cost_held_at_the_best_found")
            hinted = self.hint(takes, level)
        self.model.minimize(sum(self.objective.values()) if level == WEIGHTED else self.objective[level])
        solver = solver_for(self.rules, *self.clock.share(share),
                         gap_limit=self.rules.relative_gap_limit if level == COST else 0.0)
        outcome = self.clock.solve(solver, self.model, level)
        if outcome == cp_model.MODEL_INVALID:
            raise RuntimeError(f"{self.instance.store_id}: the roster model is invalid")
        bound = round(solver.best_objective_bound)
        if outcome not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # The hint is a roster within the cap: where the units ran out in presolve (0.12 units on the
            # benchmark store), it is where the neighbourhoods start.
            return Found(outcome, None, bound) if hinted is None else hinted
        return self._found(solver, outcome, bound)

    def improve(self, level: str, found: Found, share: float = 1.0, gap_limit: float = 0.0) -> Found:
        """Large-neighbourhood search in one thread, within what is left of `share` of the time limits: again and
        again, hold the roster as it is on all but `fairness_neighbourhood_days` days, search those days' shifts and
        people for a better `level` (on the fairness level the cost cap still holds), and keep any better roster.
        The days are drawn at random (seeded) among the choices not yet searched in vain since the last gain; on the
        cost level, a day that costs more beyond the requirement (`_day_excess`) more often. Stops once the roster is
        within `gap_limit` of `found.bound`, or every choice of days is searched in vain. A single CP-SAT worker does
        no such search of its own: on the benchmark store it stayed at its start's fairness, and one store in five of
        the benchmark's 50 ended its cost level 1-26% above the bound (bench/bench_roster.py)."""
        rng = np.random.default_rng(self.rules.seed)
        days_with_shifts = sorted({span.weekday for span in self.v.spans})
        choices = list(itertools.combinations(days_with_shifts,
                                              min(self.rules.fairness_neighbourhood_days, len(days_with_shifts))))
        settled: set[tuple[int, ...]] = set()  # choices of days proven to hold nothing better since the last gain
        self.model.minimize(self.objective[level])
        excess = self._day_excess(found) if level == COST else None
        while (found.objective - found.bound > gap_limit * found.objective and len(settled) < len(choices)
               and self.clock.time_left(share)):
            unsearched = [days for days in choices if days not in settled]
            if excess is not None:
                weights = np.array([sum(excess[day] for day in days) for days in unsearched])
                days = unsearched[int(rng.choice(len(unsearched), p=weights / weights.sum()))]
            else:
                days = unsearched[int(rng.integers(len(unsearched)))]
            trial = self.model.clone()
            variables = trial.proto.variables
            for (p, s), x in self.v.take.items():  # held as it is: the domain shrunk to the value, in place
                if self.v.spans[s].weekday not in days:
                    variables[x.index].domain[0] = variables[x.index].domain[1] = found.values[x.index]
            hint_all(trial, found.values)
            seconds, units = self.clock.share(share)
            solver = solver_for(self.rules, seconds, min(units, self.rules.fairness_neighbourhood_units), gap_limit=0.0,
                                neighbourhood=True)
            outcome = self.clock.solve(solver, trial, level, least=NEIGHBOURHOOD_UNITS_LEAST)
            if outcome in (cp_model.OPTIMAL, cp_model.FEASIBLE) and round(solver.objective_value) < found.objective:
                found = replace(self._found(solver, outcome, found.bound), bound=found.bound)
                settled.clear()
                excess = self._day_excess(found) if level == COST else None
            elif outcome == cp_model.OPTIMAL:  # nothing better on these days: once every choice is, stop
                settled.add(days)
        return found

    def _day_excess(self, found: Found) -> np.ndarray:
        """Per weekday of the week's slots (model units): staff on the floor beyond the requirement at the store's
        wage, uncovered staff and keyholder gaps at their cost, and a floor of the mean, so that every day is
        drawn now and then (a contract's shortfall belongs to no day)."""
        instance = self.instance
        floor = np.zeros(SLOTS_PER_WEEK, dtype=np.int64)
        keys = np.zeros(SLOTS_PER_WEEK, dtype=np.int64)
        keyholders = {e.employee_id for e in instance.employees if e.is_keyholder}
        for a in found.assignments:
            slots = a.shift.slots()
            floor[slots] += 1
            keys[slots] += a.employee_id in keyholders
        per_slot = (np.maximum(floor - instance.required, 0) * round(instance.wage_per_hour * m.CENTS)
                    + np.maximum(instance.required - floor, 0) * m.uncovered_cost(instance))
        if self.rules.keyholder_cover:
            per_slot += (open_slot_mask(instance.opening) & (keys == 0)) * m.keyholder_gap_cost(instance)
        per_day = per_slot.reshape(7, -1).sum(axis=1).astype(float)
        return per_day + per_day.mean() + 1.0

    def _found(self, solver: cp_model.CpSolver, outcome, bound: int) -> Found:
        takes = frozenset((p, span_of(self.v.spans[s])) for (p, s), x in self.v.take.items()
                          if solver.boolean_value(x))
        values = tuple(solver.response_proto.solution)
        return Found(outcome, round(solver.objective_value), bound, takes, assignments_of(self.instance, self.v, solver),
                      values)

    def hint(self, takes, level: str) -> Found | None:
        """Hint every variable from the roster `takes`: its break placements and measures (the most evening shifts,
        the distance from fair shares, ...) found by a quick solve with those shifts fixed, so the hint is complete
        and tight (a hint of the shifts alone left the search without a roster, and loose measures held it at
        the hint's fairness). The roster hinted (`fixed`), or None."""
        found = self.fixed(takes, level)
        if found is not None:
            hint_all(self.model, found.values)
        return found

    def fixed(self, takes, level: str) -> Found | None:
        """The roster `takes` as this model holds it (the people and spans it has of those), its break placements
        and measures the best for `level` (a quick solve with those shifts fixed), its bound 0 (nothing known); None
        if the model cannot hold it. Not reported as a roster found: the start of a search."""
        index = {(p, span_of(self.v.spans[s])): x for (p, s), x in self.v.take.items()}
        trial = self.model.clone()
        for key, x in index.items():
            trial.add(trial.get_bool_var_from_proto_index(x.index) == int(key in takes))
        trial.minimize(self.objective[level])  # the clone holds the same variables, by index
        solver = solver_for(self.rules, *self.clock.share(1.0), gap_limit=0.0)
        outcome = self.clock.solve(solver, trial)
        if outcome not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return self._found(solver, cp_model.FEASIBLE, 0)  # its bound holds for those shifts only: none said


def hint_all(model: cp_model.CpModel, values) -> None:
    """Every variable of `model` hinted at `values` (by index), written into the model in bulk."""
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def expression(terms) -> cp_model.LinearExprT:
    constant = sum(coefficient for coefficient, variable in terms if variable is None)
    terms = [(coefficient, variable) for coefficient, variable in terms if variable is not None]
    if not terms:
        return cp_model.LinearExpr.constant(constant)
    coefficients, variables = zip(*terms, strict=True)
    return cp_model.LinearExpr.weighted_sum(list(variables), list(coefficients)) + constant


def assignments_of(instance: RosterInstance, v, solver: cp_model.CpSolver) -> tuple[Assignment, ...]:
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


def solver_for(rules: RosterRules, seconds: float, deterministic: float, *, gap_limit: float,
               neighbourhood: bool = False) -> cp_model.CpSolver:
    """A solver with `rules`' worker count and seed, the time limits given, and the search parameters of a whole
    week's search, or with `neighbourhood` of a few days' (`LevelModel.improve`)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = rules.workers
    solver.parameters.random_seed = rules.seed
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.max_deterministic_time = deterministic
    solver.parameters.relative_gap_limit = gap_limit
    # Measured on the benchmark store (bench/bench_roster.py): branching on the LP solution of a fuller
    # linearisation finds rosters within a few per cent where the default search is still 50-100% away. A few days'
    # neighbourhood, hinted with the roster it improves, is another matter: there the default branching settled
    # (proved nothing better) most neighbourhoods within their units where LP branching ran out of them, and the
    # benchmark's 50 stores at 1 unit each ended nearer their cost bounds and fairer.
    solver.parameters.linearization_level = 2
    if not neighbourhood:
        solver.parameters.search_branching = solver.parameters.LP_SEARCH
    # Probing in presolve took most of a 10 s limit on the benchmark store and bought nothing: without it the
    # roster found in 10 units of deterministic time is 2.5% above the bound instead of 4.6%.
    solver.parameters.cp_model_probing_level = 0
    return solver
