"""Build the roster's CP-SAT model from the rules, solve it level by level, and hand back the roster.

Lexicographic, as the CP-SAT primer and Timefold do it: first the cost level (wages, and the dearly paid uncovered
staff, keyholder gaps and contract shortfalls), where the bound is tight: the shift optimiser's least paid hours and
the contract minima bound every roster's cost (`paid_hours_bound`, `contract_minimum_bound`). Then, with the cost
held at the best found (within `cost_tolerance_share`), fairness and preferences, whose terms (a maximum, a distance)
left the bound of one weighted sum loose. Each level's gap and proof are reported on their own (`result.Level`).

The cost level starts from a roster that keeps every hard rule (`greedy`'s first pass, or a re-plan's published
roster) and improves it a few days at a time (a large-neighbourhood search, `LevelModel.improve`) over the spans of
the shift optimiser's least-cost shifts and the start's (a small model); a model over every span takes the rest of
the level's time only if that roster is not within `relative_gap_limit` of the bound. The greedy roster, all its
passes, is the answer if no search improved on the start in time. The method before the levels, one weighted sum over
the optimiser's spans (`solve_shifts_then_people`), is kept for the benchmark's comparison (bench/bench_roster.py).
The search itself (the model per level, the time handed out, the neighbourhoods, the solver's parameters from
`RosterRules`, set in one place) is `search`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from ortools.sat.python import cp_model

from planner.fits import remembered
from planner.roster import measures as m
from planner.roster.check import check_roster
from planner.roster.greedy import PASSES, greedy_roster
from planner.roster.instance import RosterInstance
from planner.roster.measures import UNITS_PER_CURRENCY
from planner.roster.report import make_roster
from planner.roster.result import (
    FEASIBLE, INFEASIBLE, NO_ROSTER_FOUND, NOTHING_REQUIRED, OPTIMAL, Assignment, Level, Roster,
)
from planner.roster.rules import COST, FAIRNESS, RULES
from planner.roster.search import WEIGHTED, Clock, Found, LevelModel, SearchProgress
from planner.roster.status import wall_limit_reached
from planner.roster.variables import span_of
from planner.settings import RosterRules
from planner.shifts.solve import EVERY_REQUIRED_HOUR, ShiftSolution, least_paid_staff_hours, solve_shifts


SEARCHES_KEPT = 8
"""Searches `solve_roster` keeps (`planner.fits`): a page asking again for a store-week it rostered, or a test for
the sample's, gets the roster at once. A roster of a 44-person store and its frames is a few hundred kB."""


def repeats(roster: Roster) -> bool:
    """Whether the search that made `roster` gives the same roster again from the same instance and rules: one
    worker (several share what they find in the order they find it, which the machine's load decides) stopped by
    its deterministic budget, not by the wall clock (`status.wall_limit_reached`)."""
    return roster.rules.workers == 1 and not wall_limit_reached(roster.rules, roster.solve_seconds)


def told_done(roster: Roster, arguments: dict) -> None:
    """A kept roster (or re-plan's) handed back: its `progress` is told once that the search is over (a bar is filled, a log says
    the search started), with the roster's least cost; no search ran, so no seconds and no fairer rosters."""
    progress = arguments.get("progress")
    if progress is not None:
        cost = roster.levels[0].objective if roster.levels else None
        progress(SearchProgress(1.0, 0.0, cost, 0))


@remembered(most=SEARCHES_KEPT, unread=("progress",), keeps=repeats, handed=told_done)
def solve_roster(instance: RosterInstance, rules: RosterRules,
                 progress: Callable[[SearchProgress], None] | None = None) -> Roster:
    """Named shifts covering the requirement at least wage cost within the labour rules (`rules.RULES`);
    `progress`: told how far the search is as it goes (`search.Clock`). The same instance and rules (by content)
    give the same roster, kept for the last `SEARCHES_KEPT` searches that `repeats`."""
    return solve_with(instance, rules, RULES, progress=progress)


def solve_shifts_then_people(instance: RosterInstance, rules: RosterRules) -> Roster:
    """The method before the levels, kept for the benchmark's comparison: people on the spans of the shift
    optimiser's least-cost shifts (people ignored), as many on one as the rules and contracts want (the repair
    step), minimising wages and every penalty as one weighted sum. Its bound holds for those spans only, so its gap
    is not one against every roster."""
    clock = Clock(rules)
    keep = _optimiser_spans(solve_shifts(instance.as_shift_instance(), instance.shift_rules))
    found = LevelModel(instance, rules, RULES, keep, clock).minimise(WEIGHTED, 1.0)
    if found.objective is None:
        status = INFEASIBLE if found.outcome == cp_model.INFEASIBLE else NO_ROSTER_FOUND
        return make_roster(instance, rules, status, (), 0.0, 0.0, clock.seconds())
    status = OPTIMAL if found.objective <= found.bound else FEASIBLE
    return make_roster(instance, rules, status, found.assignments, found.objective / UNITS_PER_CURRENCY,
                       found.bound / UNITS_PER_CURRENCY, clock.seconds())


def solve_with(instance: RosterInstance, rules: RosterRules, rule_set, start: tuple[Assignment, ...] | None = None,
               replan: bool = False, progress: Callable[[SearchProgress], None] | None = None) -> Roster:
    """The roster under `rule_set` (the re-plan adds its stability rule; tests leave one out), solved level by level
    (`measures.LEVELS`): first the cost (wages and the dearly paid cover terms), then, with the cost held at the best
    found (within `rules.cost_tolerance_share`), fairness and preferences. `start` (default: the greedy roster) is
    where the cost level's search starts, and the answer when the time limit ends it before it improved on the
    start. `replan`: the rule set keeps a published
    roster (the status sentence says what its cost counts). `progress`: as `solve_roster`'s."""
    clock = Clock(rules, progress)
    if not instance.required.any() and not any(e.contract_hours_min for e in instance.employees):
        return make_roster(instance, rules, NOTHING_REQUIRED, (), 0.0, 0.0, clock.seconds(), replan=replan)
    # The cost level's bounds that need no search, valid for every roster.
    bound = max(paid_hours_bound(instance), contract_minimum_bound(instance, rules)) * UNITS_PER_CURRENCY
    optimiser = solve_shifts(instance.as_shift_instance(), instance.shift_rules)
    # The search starts from a roster that keeps every hard rule: the re-plan's published one, or a greedy one (its
    # first pass: the search refines it, and the quick roster, all passes, is made only if it is the answer).
    begin = greedy_roster(instance, rules, optimiser, PASSES[:1]) if start is None else start
    keep = None
    if rules.optimiser_spans_share > 0:
        keep = _optimiser_spans(optimiser).union(*(rule.spans() for rule in rule_set if hasattr(rule, "spans")),
                                                 (span for _, span in _takes(instance, begin)))
    model = LevelModel(instance, rules, rule_set, keep, clock)
    found = _least_cost(model, begin, bound, rules.cost_level_share * (rules.optimiser_spans_share if keep else 1.0))
    if model.full and found.outcome == cp_model.INFEASIBLE:
        return make_roster(instance, rules, INFEASIBLE, (), 0.0, 0.0, clock.seconds(), replan=replan)
    if model.full:
        bound = max(bound, found.bound)
    elif rules.optimiser_spans_share < 1 and (found.objective is None
                                              or found.objective > bound * (1 + rules.relative_gap_limit) + 1e-6):
        # The optimiser's spans were not enough (or no time): every span, from the roster found, for the rest of
        # the cost level's time; its bound holds for every roster.
        wider_model = LevelModel(instance, rules, rule_set, None, clock)
        if found.objective is not None:
            wider_model.hint(found.takes, COST)
        wider = wider_model.minimise(COST, rules.cost_level_share)
        if wider.outcome == cp_model.INFEASIBLE:
            return make_roster(instance, rules, INFEASIBLE, (), 0.0, 0.0, clock.seconds(), replan=replan)
        bound = max(bound, wider.bound)
        if wider.objective is not None and (found.objective is None or wider.objective < found.objective):
            model, found = wider_model, wider  # else fairness is searched where the roster was found
    cost_seconds = clock.seconds()
    if found.objective is None:  # the time limit came first: the start roster, said as such
        quick = greedy_roster(instance, rules, optimiser) if start is None else start
        return _start_roster(instance, rules, quick, bound / UNITS_PER_CURRENCY, cost_seconds, replan,
                             _outside_check(instance, rules, rule_set, quick))
    cap = int(found.objective * (1 + rules.cost_tolerance_share))
    used = clock.used_share()  # what the cost level left goes to fairness, mostly to its neighbourhoods
    fair = model.minimise(FAIRNESS, used + (1.0 - used) * (1.0 - rules.fairness_neighbourhood_share),
                          takes=found.takes, cap=cap)
    if fair.objective is not None and fair.objective > fair.bound:
        fair = model.improve(FAIRNESS, fair)
    assignments = fair.assignments if fair.objective is not None else found.assignments
    check = check_roster(instance, rules, assignments)
    # From the roster's own cost, the same quantity as the bound: the checker's cost level and, in a re-plan, the
    # changes to the published roster (compared without them, a re-plan read as proven below its own bound). The
    # fairness level may have found a roster of a lower cost than the cap.
    changes = _outside_check(instance, rules, rule_set, assignments)
    reached = round(check.level_costs[COST] * UNITS_PER_CURRENCY) + changes
    cost_proven = reached <= bound
    fairness_proven = (fair.objective is not None and fair.objective <= fair.bound + 1e-6 and model.full
                       and cost_proven and cap == found.objective)
    levels = (
        Level(COST, reached / UNITS_PER_CURRENCY, bound / UNITS_PER_CURRENCY, cost_proven, cost_seconds,
              changes / UNITS_PER_CURRENCY),
        Level(FAIRNESS, check.level_costs[FAIRNESS], fair.bound / UNITS_PER_CURRENCY if fair.objective is not None
              else 0.0, fairness_proven, clock.seconds() - cost_seconds),
    )
    status = OPTIMAL if cost_proven and fairness_proven else FEASIBLE
    return make_roster(instance, rules, status, assignments, check.cost + changes / UNITS_PER_CURRENCY,
                       bound / UNITS_PER_CURRENCY, clock.seconds(), levels=levels, replan=replan)


def _outside_check(instance: RosterInstance, rules: RosterRules, rule_set, assignments) -> int:
    """The cost (model units) of `assignments` under the rules of `rule_set` the roster checker does not know (a
    re-plan's `Stability`), each recounting its own terms without the solver (`cost`); 0 for a roster's own rules."""
    return sum(rule.cost(instance, rules, assignments) for rule in rule_set if hasattr(rule, "cost"))


def _least_cost(model: LevelModel, start: tuple[Assignment, ...], bound: float, share: float) -> Found:
    """The cost level within `share` of the time limits: over every span, CP-SAT's own search first (its bound holds
    for every roster, and a small model is proven least); then, or over the optimiser's spans at once, a
    large-neighbourhood search (`LevelModel.improve`) from the better of its roster and `start`, until the roster is
    within `relative_gap_limit` of `bound` (model units; every roster's) or the share is spent. One CP-SAT worker
    searching the optimiser's spans from scratch left one store in five of the benchmark's 50 at 1.5 units 1-26%
    above the bound (none found in time for one, whose greedy start was the answer); refining a roster that keeps
    every rule reaches within 1% for all but a few, at fewer units (bench/bench_roster.py)."""
    rules = model.rules
    found = model.minimise(COST, share) if model.full else Found(cp_model.UNKNOWN, None, 0)
    if found.outcome in (cp_model.OPTIMAL, cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        return found
    bound = max(bound, found.bound) if model.full else bound
    begin = model.fixed(_takes(model.instance, start), COST)
    if begin is None or (found.objective is not None and found.objective <= begin.objective):
        begin = found
    if begin.objective is None:
        return found
    begin = replace(begin, bound=int(np.floor(bound)))
    model.clock.found(COST, begin.objective)
    better = model.improve(COST, begin, share, rules.relative_gap_limit)
    if better is begin and found.objective is None and not model.clock.time_left(share):
        return found  # the time ended before any search improved on the start: the start, said as such
    return better


def _takes(instance: RosterInstance, assignments) -> frozenset[tuple[int, tuple[int, int, int]]]:
    index = {e.employee_id: p for p, e in enumerate(instance.employees)}
    return frozenset((index[a.employee_id], span_of(a.shift)) for a in assignments if a.employee_id in index)


def _start_roster(instance, rules, start, bound, seconds, replan: bool = False, changes: int = 0) -> Roster:
    """The quick roster `start` (its cost level counting `changes`, model units, as `solve_with`'s does), or no
    roster when it breaks a rule."""
    if not start or not check_roster(instance, rules, start).ok:
        return make_roster(instance, rules, NO_ROSTER_FOUND, (), 0.0, bound, seconds, replan=replan)
    check = check_roster(instance, rules, start)
    cost = check.level_costs[COST] + changes / UNITS_PER_CURRENCY
    levels = (Level(COST, cost, min(bound, cost), False, seconds, changes / UNITS_PER_CURRENCY),
              Level(FAIRNESS, check.level_costs[FAIRNESS], 0.0, False, 0.0))
    return make_roster(instance, rules, FEASIBLE, start, check.cost + changes / UNITS_PER_CURRENCY, min(bound, cost),
                       seconds, quick=True, levels=levels, replan=replan)


def paid_hours_bound(instance: RosterInstance) -> float:
    """A lower bound on any roster's cost (currency) that needs no search: the least paid hours that cover every
    required half hour (the shift optimiser, people ignored) at the lowest wage. A roster leaving staff uncovered is
    no cheaper, since an uncovered staff-half-hour costs more than a shift covering it at the highest wage, and every
    other term of the cost is 0 or more. 0 when some required half hour no shift can reach. The shift optimiser
    counts by the clock: in a week whose clocks go forward, each person may work a shift an hour shorter than its
    clock, so that hour is taken off for everyone."""
    if not instance.required.any():
        return 0.0
    least = least_paid_staff_hours(instance.as_shift_instance(), instance.shift_rules, instance.required,
                                   EVERY_REQUIRED_HOUR)
    if least is None:
        return 0.0
    wages = [instance.wage_of(e) for e in instance.employees] or [instance.wage_per_hour]
    lost = -sum(min(0.0, change) for change in instance.clock_changes_hours) * len(instance.employees)
    return max(0.0, least.staff_hours - lost) * min(wages)


def contract_minimum_bound(instance: RosterInstance, rules: RosterRules) -> float:
    """A lower bound on any roster's cost level (currency): every person's contract minimum (less absences) at their
    wage, since an hour short of it costs more than an hour's wage. Above the least paid hours where contracts ask
    for more hours than the requirement (on 1 of the benchmark's first 10 stores)."""
    return float(sum(np.ceil(m.effective_contract_min(instance, e, rules) * m.HALF_HOURS_PER_HOUR - 1e-9)
                     * m.wage_cents(instance, e) for e in instance.employees)) / UNITS_PER_CURRENCY


def _optimiser_spans(solution: ShiftSolution) -> set[tuple[int, int, int]]:
    """The spans of the shift optimiser's least-cost shifts for the same requirement (no people, `solution`): a small
    model over them finds a good roster quickly, which then starts the search of the full model."""
    return {span_of(shift.candidate) for shift in solution.shifts}


