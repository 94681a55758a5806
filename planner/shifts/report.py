"""What a schedule means, for people: its status in words, shifts and coverage tables, totals, and one sentence per
shortfall or conflict. A result without a schedule (infeasible, timed out, nothing to schedule) has empty tables and
no totals, only its statement.

Coverage is counted per half hour; the hourly tables show, per clock hour, the requirement, the fewest staff on the
floor in either half (a break shows), and the staff-hours under and over the requirement in that hour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.calendar import opening_days, rows_by_opening
from planner.hours import day_clock, end_clock, hour_label
from planner.shifts.candidates import coverage_matrix, enumerate_candidates
from planner.shifts.check import CheckResult, check_schedule
from planner.shifts.instance import (
    SLOT_MINUTES, SLOTS_PER_WEEK, ShiftInstance, open_slot_mask, opening_runs, opening_week, run_text,
)
from planner.shifts.solve import (
    EVERY_REQUIRED_HOUR, FEASIBLE, INFEASIBLE, NO_SCHEDULE, NO_SOLUTION, NOTHING_REQUIRED, OPTIMAL, ShiftSolution,
)
from planner.surfaces.fixes import ASK_FOR_MIN_STAFF_COVER, MORE_SOLVER_TIME
from planner.words import agreeing, counted, first_named, number_text

SHIFT_COLUMNS = ["store_id", "weekday", "start", "end", "break_start", "staff"]
COVERAGE_COLUMNS = ["store_id", "weekday", "hour", "required_staff", "scheduled_staff", "under", "over"]
MAX_RANGES = 6
"""Time ranges named in one sentence; the rest are counted ("and 4 more")."""

# What a report's status says (`ShiftReport.status`; the solver's own outcome is `ShiftSolution.status`):
SHORT_BY_BUDGET = "short_by_budget"
"""Proven best spread of a shortfall that the budget forces (no schedule within the budget covers more)."""
SHORT = "short"
"""Proven best, but the shift rules (max_staff, lengths, opening hours) leave hours short."""
NO_RECOMMENDATION = "no_recommendation"
"""No open hour has a recommendation (no counts) and min_staff cover was not asked for: nothing scheduled."""
STATUSES = (OPTIMAL, SHORT_BY_BUDGET, SHORT, FEASIBLE, NO_SOLUTION, INFEASIBLE, NO_RECOMMENDATION, NOTHING_REQUIRED)
OPTIMAL_TEXT = "optimal, proven best, every required hour covered"
"""The optimal status in words: beside "short of the requirement because of ..." the bare solver word read as code.
Written as "feasible, within 2% of the best possible" is: after "S01: " a second colon read as a list in a list."""

# Why a schedule has no shift where staff are required, as `explain` says it (`ShiftReport.no_shift_cause`; "" where
# it has a shift or nothing is required): `planner.surfaces.fixes.NO_SHIFT_FIXES` says what to do for each.
TIME_LIMIT = "time_limit"
"""The wall clock's time limit came before any schedule."""
WORK_UNITS = "work_units"
"""The solver's deterministic limit (work units) came before any schedule, and before the time limit."""
BUDGET_BELOW_FULL_COVER = "budget_below_full_cover"
"""Full cover: every schedule covering every required hour pays more than the weekly budget."""
BUDGET_BELOW_MIN_STAFF = "budget_below_min_staff"
"""Soft cover: every schedule keeping min_staff on the floor in every open hour pays more than the weekly budget."""
MAX_STAFF = "max_staff"
"""Full cover: an hour needs more staff than the store's max_staff, or shifts covering every hour overlap above it."""
HARD_RULES = "hard_rules"
"""No schedule within the rules, for another hard rule (no allowed shift reaches an hour, or the rules conflict)."""
FLOOR_ABOVE_MAX_STAFF = "floor_above_max_staff"
"""Soft cover: no schedule of whole shifts keeps min_staff (at most max_staff) on the floor in every open hour
without more than max_staff on the floor somewhere (a minimum at or above the maximum, shifts that do not tile the
opening hours): coverage is soft already, so only the minimum, the shift lengths or max_staff help."""
NO_WHOLE_SHIFT = "no_whole_shift"
"""Soft cover: the best schedule has no shift, as the budget leaves no room for whole shifts."""
SHIFT_RULES = "shift_rules"
"""Soft cover: the best schedule has no shift, as no allowed shift fits where staff are required."""
NO_SHIFT_CAUSES = (TIME_LIMIT, WORK_UNITS, BUDGET_BELOW_FULL_COVER, BUDGET_BELOW_MIN_STAFF, MAX_STAFF, HARD_RULES,
                   FLOOR_ABOVE_MAX_STAFF, NO_WHOLE_SHIFT, SHIFT_RULES)


@dataclass(frozen=True)
class ShiftReport:
    solution: ShiftSolution
    check: CheckResult
    shifts: pd.DataFrame
    coverage: pd.DataFrame
    explanations: tuple[str, ...]
    status: str
    """One of `STATUSES`: optimal only when proven and every required hour is covered."""
    status_text: str
    """The status in words, e.g. "feasible, within 3.2% of the best possible"."""
    no_shift_cause: str = ""
    """One of `NO_SHIFT_CAUSES` where the schedule has no shift and staff are required (the cause `explanations`
    say), else ""."""

    @property
    def has_schedule(self) -> bool:
        return self.solution.status not in NO_SCHEDULE

    @property
    def totals(self) -> dict[str, float | str]:
        """One row of totals; the schedule's figures are NaN when there is no schedule (nothing to add up)."""
        lower = self.solution.instance.required_staff_hours
        least = self.solution.least_paid
        figures = {
            "paid_staff_hours": self.check.paid_staff_hours,
            "wage_cost": round(self.check.wage_cost, 2),
            # the staff-hours on the floor above the need: paid less the covered need (paid - required went below
            # 0 where hours were short: -301 beside 301 uncovered)
            "excess_staff_hours": self.check.paid_staff_hours - (lower - self.check.under_staff_hours),
            "uncovered_staff_hours": self.check.under_staff_hours,
            "objective": round(self.solution.objective, 2),
            "relative_gap": self.solution.relative_gap,
        }
        if not self.has_schedule:
            figures = dict.fromkeys(figures, float("nan"))
        return {
            "store_id": self.solution.instance.store_id,
            "status": self.status,
            "status_text": self.status_text,
            "paid_staff_hours": figures["paid_staff_hours"],
            "wage_cost": figures["wage_cost"],
            "required_staff_hours": lower,
            "least_paid_staff_hours": least.staff_hours if least is not None else float("nan"),
            # the figure is the least only when a schedule paying it was found; else the search stopped first and it
            # is a lower bound ("at least", as the budget sentence says it); None where there is no figure
            "least_paid_proven": least.reached if least is not None else None,
            "excess_staff_hours": figures["excess_staff_hours"],
            "uncovered_staff_hours": figures["uncovered_staff_hours"],
            "objective": figures["objective"],
            "best_bound": round(self.solution.best_bound, 2),
            "relative_gap": figures["relative_gap"],
            "solve_seconds": self.solution.solve_seconds,
            "no_shift_cause": self.no_shift_cause or None,
        }


def report(solution: ShiftSolution) -> ShiftReport:
    check = check_schedule(solution.instance, solution.rules, solution.shifts)
    status, text = status_of(solution, check)
    return ShiftReport(solution, check, shifts_frame(solution), coverage_frame(solution, check),
                       tuple(explain(solution, check)), status, text, no_shift_cause(solution))


def no_shift_cause(solution: ShiftSolution) -> str:
    """Why `solution` has no shift where staff are required (`NO_SHIFT_CAUSES`), decided as `explain` decides what
    to say: the limit that stopped the search; with no schedule within the rules, the budget first (its sentence is
    the only one), then, with soft cover, the floor against max_staff, then the store's max_staff, then any other
    hard rule; with an empty schedule, the budget, else
    the time limit before the proof, else the shift rules. "" where it has a shift or nothing is required."""
    instance = solution.instance
    if solution.shifts or not instance.required.any():
        return ""
    if solution.status == NO_SOLUTION:
        return WORK_UNITS if solution.budget_ran_out else TIME_LIMIT
    if solution.status == INFEASIBLE:
        if _budget_forced(solution):
            return BUDGET_BELOW_FULL_COVER if solution.least_paid.covers == EVERY_REQUIRED_HOUR else \
                BUDGET_BELOW_MIN_STAFF
        if not solution.rules.hard_coverage:  # the floor and max_staff are the hard rules left: full cover is off
            return FLOOR_ABOVE_MAX_STAFF
        too_many = instance.max_staff is not None and bool((instance.required > instance.max_staff).any())
        return MAX_STAFF if too_many or solution.max_staff_needed is not None else HARD_RULES
    if _budget_forced(solution):
        return NO_WHOLE_SHIFT
    return TIME_LIMIT if solution.status == FEASIBLE else SHIFT_RULES


def status_of(solution: ShiftSolution, check: CheckResult) -> tuple[str, str]:
    """(status, in words): a solver result says exactly what it is, never more."""
    instance = solution.instance
    if solution.status == NOTHING_REQUIRED:
        if instance.no_recommendation.any():
            return NO_RECOMMENDATION, "no recommendation for its hours: nothing scheduled"
        return NOTHING_REQUIRED, "nothing required: nothing scheduled"
    if solution.status == NO_SOLUTION:
        return NO_SOLUTION, f"no schedule found in {_seconds(solution.solve_seconds)} s ({_limit(solution)})"
    if solution.status == INFEASIBLE:
        return INFEASIBLE, "infeasible within the budget" if _budget_forced(solution) else "infeasible"
    short = check.under.any()
    if solution.status == FEASIBLE:
        gap = f"feasible, within {_percent(solution.relative_gap)} of the best possible"
        return FEASIBLE, gap + ("; short of the requirement" if short else "")
    if not short:
        return OPTIMAL, OPTIMAL_TEXT
    capped = (check.under > 0) & (instance.required > instance.max_staff) if instance.max_staff is not None else \
        np.zeros_like(check.under, dtype=bool)
    if _budget_forced(solution):  # each other cause named as it is (the maximum staff was called "the shift rules")
        uncoverable = (check.under > 0) & (instance.required > 0) & ~_coverable(solution)
        causes = ["the budget"] + ["the store's maximum staff"] * bool(capped.any()) + \
            ["the shift rules"] * bool((uncoverable & ~capped).any())
        if len(causes) == 1:
            return SHORT_BY_BUDGET, "short of the requirement because of the budget"
        return SHORT, "short of the requirement because of " + ", ".join(causes[:-1]) + " and " + causes[-1]
    if not ((check.under > 0) & ~capped).any():  # every short half hour needs more than the floor takes
        return SHORT, "short of the requirement because of the store's maximum staff"
    if capped.any():
        return SHORT, "short of the requirement because of the store's maximum staff and the shift rules"
    return SHORT, "short of the requirement because of the shift rules"


def shifts_frame(solution: ShiftSolution) -> pd.DataFrame:
    """One row per shift pattern, under the weekday of the opening it works in, its times that weekday's clock times
    and "+1" past its midnight: Saturday 07:00-05:00's 00:00-05:00 is Saturday's "00:00+1"-"05:00+1", as the
    requirement keyed as the store opens (`planner.calendar.business_week_rows`) files those hours, and as a plan's
    shifts are dated (it read Sunday 00:00-05:00, on a day whose own opening starts at 09:00). A start before the
    opening day's midnight (duty before a 00:00 opening) is the day before's. An end at that midnight is "24:00"
    (`planner.hours.end_clock`), as a roster's files and an opening of 18:00-24:00 write it, not "00:00+1"."""
    rows = []
    for s in solution.shifts:
        weekday, start, end, brk = s.candidate.opening_times()
        rows.append((solution.instance.store_id, weekday, day_clock(start), end_clock(end),
                     day_clock(brk) if brk is not None else "", s.staff))
    return pd.DataFrame(rows, columns=SHIFT_COLUMNS)


def coverage_frame(solution: ShiftSolution, check: CheckResult) -> pd.DataFrame:
    """Per open hour, required against scheduled staff; empty when there is no schedule (nothing is covered, and a
    table of every hour "uncovered" would look like a schedule)."""
    if solution.status in NO_SCHEDULE:
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    halves = 60 // SLOT_MINUTES
    required = solution.instance.required.reshape(7, 24, halves)
    on_floor = check.on_floor.reshape(7, 24, halves)
    # an hour open for half of it (opening 09:30) is scheduled as its open half is: the closed half's empty floor
    # read "required 5, scheduled 0, under 0"
    open_slots = open_slot_mask(solution.instance.opening).reshape(7, 24, halves)
    partly_open = open_slots.any(axis=2, keepdims=True) & ~open_slots.all(axis=2, keepdims=True)
    scheduled = np.where(partly_open & ~open_slots, on_floor.max(axis=2, keepdims=True), on_floor).min(axis=2)
    under = check.under.reshape(7, 24, halves).sum(axis=2) / halves
    over = check.over.reshape(7, 24, halves).sum(axis=2) / halves
    keep = (required.max(axis=2) > 0) | (on_floor.max(axis=2) > 0)
    weekday, hour = np.nonzero(keep)
    return pd.DataFrame({
        "store_id": solution.instance.store_id,
        "weekday": weekday,
        "hour": hour,
        "required_staff": required.max(axis=2)[keep],
        "scheduled_staff": scheduled[keep],
        "under": under[keep],
        "over": over[keep],
    }, columns=COVERAGE_COLUMNS)


def coverage_by_opening(report: ShiftReport) -> pd.DataFrame:
    """`report.coverage` keyed as the store opens: an hour after midnight under the weekday of the opening it closes,
    numbered 24 and up (`planner.hours.hour_label` writes "00:00+1"), as `shifts_frame` files the shifts working it
    and a plan files its hours (Saturday 10:00-01:00's last hour is Saturday's, not "Sun 00:00"), in that order."""
    days = opening_days(opening_week(report.solution.instance.opening))
    return rows_by_opening(report.coverage, days).sort_values(["weekday", "hour"], ignore_index=True)


def coverage_table(keyed: pd.DataFrame) -> pd.DataFrame:
    """coverage.csv (`COVERAGE_COLUMNS`) from reports' `coverage_by_opening`: the hour as the clock hour of the
    opening's day ("18:00"; "00:00+1" past its midnight, as shifts.csv writes its times)."""
    return keyed.assign(hour=[hour_label(hour) for hour in keyed["hour"]])[COVERAGE_COLUMNS]


def explain(solution: ShiftSolution, check: CheckResult) -> list[str]:
    """One plain sentence per cause of a shortfall, of infeasibility or of an empty schedule; empty when everything
    is covered."""
    instance, rules, status = solution.instance, solution.rules, solution.status
    sentences = _unrecommended(instance)
    if status == NO_SOLUTION:
        if solution.budget_ran_out:
            return sentences + [f"no schedule found within the solver's budget of "
                                f"{counted(rules.deterministic_time_limit, 'work unit')} (its deterministic limit; the "
                                f"time limit of {rules.time_limit_seconds:g} s did not come): nothing is scheduled "
                                "(allow the solver more work units)"]
        return sentences + [f"no schedule found within the time limit of {rules.time_limit_seconds:g} s: nothing is "
                            f"scheduled ({MORE_SOLVER_TIME.app})"]
    if status == NOTHING_REQUIRED:
        return sentences
    least = solution.least_paid
    if status == INFEASIBLE and _budget_forced(solution):
        what = "meets every required hour" if least.covers == EVERY_REQUIRED_HOUR else \
            f"keeps min_staff ({instance.min_staff}) on the floor in every open hour"
        return sentences + [f"no schedule {what} within {number_text(instance.budget_staff_hours)} h: one that does "
                            f"pays at least {counted(least.staff_hours, 'staff-hour')}"]
    if status == INFEASIBLE and not rules.hard_coverage and instance.max_staff is not None:
        return sentences + [_floor_above_max(solution)]  # `FLOOR_ABOVE_MAX_STAFF`: full cover's sentences are untrue
    short = check.under > 0 if status != INFEASIBLE else instance.required > 0
    explained = np.zeros(SLOTS_PER_WEEK, dtype=bool)
    if instance.max_staff is not None:
        too_many = instance.required > instance.max_staff
        for run in opening_runs(too_many, instance.opening):
            span = instance.required[run]  # "needs 20" read as every hour of the span: its range
            need = f"{span.max()}" if span.min() == span.max() else f"{span.min()} to {span.max()}"
            sentences.append(f"{run_text(run, instance.opening)} needs {need} staff but the store takes at most "
                             f"{instance.max_staff}")
        explained |= too_many
    unreachable = (instance.required > 0) & ~_coverable(solution)
    # the start step is not named: a shift may start at the opening and end at the closing whatever the step, so
    # only the lengths and the opening hours (with the duty minutes) leave a slot no shift fits
    for run in opening_runs(unreachable, instance.opening):
        sentences.append(
            f"{run_text(run, instance.opening)} needs {int(instance.required[run].max())} staff but no allowed shift "
            f"fits there (shifts of {_hours(rules.shift_lengths_hours)} inside the opening hours)"
        )
    explained |= unreachable
    if status != INFEASIBLE and _budget_forced(solution):
        left = short & ~explained
        # one figure with summary.csv's least_paid_staff_hours: the least paid staff-hours covering what can be
        # covered (it said the whole requirement, 962 h, beside a least paid of 960 h where max_staff left 7 h over),
        # and never "needed" for it: the summary's column of the whole requirement said "needed h" too
        required = instance.required_staff_hours
        covered = least.covered_staff_hours if not np.isnan(least.covered_staff_hours) else required
        cannot = required - covered
        what = "the requirement" if cannot <= 0 else "what can be covered"
        leaves = "" if cannot <= 0 else (f"{number_text(covered)} of the {counted(required, 'required staff-hour')} "
                                         f"can be covered; {_uncoverable_causes(solution)} {number_text(cannot)} "
                                         "uncoverable, said above")
        gap = number_text(least.staff_hours - instance.budget_staff_hours)
        budget, least_paid = number_text(instance.budget_staff_hours), number_text(least.staff_hours)
        # a least pay the search stopped before reaching is a bound: no schedule is known to pay it
        below = (f"is {gap} h below the {least_paid} h that the cheapest schedule covering {what} pays"
                 f"{f' ({leaves})' if leaves else ''}" if least.reached else
                 f"is at least {gap} h below what the cheapest schedule covering {what} pays (at least "
                 f"{least_paid} h: the search stopped before it proved the least"
                 f"{f'; {leaves}' if leaves else ''})")
        sentences.append(
            f"the budget of {budget} h {below}: uncovered {_where(left, instance)}"
            if covered > instance.budget_staff_hours else
            f"the budget of {budget} h does not leave room for whole shifts that cover "
            f"{_where(left, instance)} ({'the requirement alone' if cannot <= 0 else 'what can be covered of it'} is "
            f"{number_text(covered)} h, whole shifts covering it pay at least {least_paid} h"
            f"{f'; {leaves}' if leaves else ''})"
        )
        explained |= left
    rest = short & ~explained
    if rest.any() and status != INFEASIBLE:
        if status == OPTIMAL:
            limits = f"shifts of {_hours(rules.shift_lengths_hours)}"
            if rules.break_for_shifts_over_hours < max(rules.shift_lengths_hours):
                limits += (f", a {rules.break_minutes}-minute break in shifts over "
                           f"{number_text(rules.break_for_shifts_over_hours)} h")
            if instance.max_staff is not None:
                limits += f" and at most {instance.max_staff} staff on the floor"
            if instance.budget_staff_hours is not None:
                limits += f", within the budget of {number_text(instance.budget_staff_hours)} h"
            sentences.append(f"uncovered {_where(rest, instance)}: no schedule within the rules covers them ({limits})")
        else:
            sentences.append(f"uncovered {_where(rest, instance)}: the solver reached its time limit before covering them")
    if status == INFEASIBLE and solution.max_staff_needed is not None:
        sentences.append(_max_staff_forbids(solution))
    if status == INFEASIBLE and len(sentences) == len(_unrecommended(instance)):
        sentences.append("no schedule satisfies every hard rule at once (coverage, min_staff, max_staff and the "
                         "budget)")
    return sentences


def _max_staff_forbids(solution: ShiftSolution) -> str:
    """Why max_staff alone makes the hard rules infeasible, and the least max_staff that gives a schedule
    (`ShiftSolution.max_staff_needed`), with the hours where that schedule's shifts overlap above the store's."""
    instance, rules, needed = solution.instance, solution.rules, solution.max_staff_needed
    on_floor = np.asarray(needed.on_floor)
    crowded = on_floor > instance.max_staff
    peak = int(on_floor.max())
    staff = f"{peak}" if on_floor[crowded].min() == peak else f"up to {peak}"
    least = ("the least that gives a schedule" if needed.proven else
             "which gives a schedule (a lower one may too: the time limit came before it was ruled out)")
    return (f"max_staff ({instance.max_staff}) makes the requirement impossible: shifts of "
            f"{_hours(rules.shift_lengths_hours)} cannot cover every required hour without more than "
            f"{instance.max_staff} on the floor at once; raise the store's max_staff to {needed.least}, {least} (the "
            f"cheapest schedule with it has {staff} in {_where(crowded, instance)}, where its shifts overlap; store "
            "file, max_staff column), or allow other shift lengths")


def _floor_above_max(solution: ShiftSolution) -> str:
    """Why soft cover has no schedule (`FLOOR_ABOVE_MAX_STAFF`): whole shifts cannot keep min_staff (at most
    max_staff) where it is kept without more than max_staff somewhere, the hours where it stands at max_staff (no two
    shifts may overlap there), and the least max_staff that gives a schedule where it was found. An hour needing more
    than max_staff is no cause: soft cover leaves it short."""
    instance, rules, most = solution.instance, solution.rules, solution.instance.max_staff
    floor = np.minimum(np.where(_coverable(solution), instance.floor, 0), most)  # as the MinStaff rule keeps it
    kept = floor > 0
    full = kept & (floor >= most)
    minimum = f"{instance.min_staff}" + (f", at most the store's max_staff of {most}"
                                         if instance.min_staff > most else "")
    text = (f"shifts of {_hours(rules.shift_lengths_hours)} inside the opening hours cannot keep min_staff ({minimum}) "
            f"on the floor in {_where(kept, instance)} without more than {most} on the floor in some half hour")
    if full.any():
        text += (": min_staff stands at max_staff there, so no two shifts may overlap" if (full == kept).all() else
                 f": min_staff stands at max_staff in {_where(full, instance)}, so no two shifts may overlap there")
    needed = solution.max_staff_needed
    if needed is not None:
        text += (f"; raise the store's max_staff to {needed.least}, " +
                 ("the least that gives a schedule" if needed.proven else
                  "which gives a schedule (a lower one may too: the time limit came before it was ruled out)"))
    return text


def _uncoverable_causes(solution: ShiftSolution) -> str:
    """What leaves required staff-hours that no schedule covers, with its verb: "max_staff leaves", "the shift rules
    leave" (no allowed shift reaches them), "max_staff and the shift rules leave"."""
    instance = solution.instance
    reached = _coverable(solution)
    causes = ["max_staff"] * bool(instance.max_staff is not None and
                                  (reached & (instance.required > instance.max_staff)).any())
    causes += ["the shift rules"] * bool(((instance.required > 0) & ~reached).any())
    return f"{' and '.join(causes) or 'the rules'} {agreeing(len(causes), 'leaves', 'leave')}"


def _unrecommended(instance) -> list[str]:
    """Open hours left empty because nothing recommends staff there (never counted) and min_staff cover is off."""
    empty = instance.no_recommendation & (instance.required == 0)
    if not empty.any():
        return []
    return [f"no recommendation (no counts to go on) for {_where(empty, instance)}: nothing scheduled there unless min_staff cover "
            f"is asked for ({ASK_FOR_MIN_STAFF_COVER.app})"]


def _budget_forced(solution: ShiftSolution) -> bool:
    """True when no schedule within the rules meets the need without exceeding the budget (proven by the solve
    without the budget: its lower bound is above the budget)."""
    least, budget = solution.least_paid, solution.instance.budget_staff_hours
    return least is not None and budget is not None and least.staff_hours > budget + 1e-9


def _coverable(solution: ShiftSolution) -> np.ndarray:
    if not solution.instance.required.any():
        return np.zeros(SLOTS_PER_WEEK, dtype=bool)
    return coverage_matrix(enumerate_candidates(solution.instance, solution.rules)).any(axis=0)


def _where(mask: np.ndarray, instance: ShiftInstance) -> str:
    """The time ranges of `mask`, the first `MAX_RANGES` named and the rest counted."""
    spans = [run_text(run, instance.opening) for run in opening_runs(mask, instance.opening)]
    return first_named(spans, MAX_RANGES) or "none"


def _percent(share: float) -> str:
    return f"{share:.1%}" if share >= 0.001 else f"{share:.2%}"


def _seconds(seconds: float) -> str:
    """Two significant figures under 10 s (0.056, 0.23, 3.5): one decimal read 0.056 s as "0.1 s" beside a time
    limit of 0.01 s."""
    return f"{seconds:.0f}" if seconds >= 10 else f"{seconds:.2g}" if seconds >= 1e-3 else "under 0.001"


def _limit(solution: ShiftSolution) -> str:
    """The limit that ended the search without a schedule, as it was set."""
    rules = solution.rules
    if solution.budget_ran_out:
        return f"the solver's budget of {counted(rules.deterministic_time_limit, 'work unit')} ran out"
    return f"time limit {rules.time_limit_seconds:g} s"


def _hours(lengths: tuple[int, ...]) -> str:
    """'4-9 h' for a run of whole hours, else '4, 6 or 8 h'."""
    values = sorted(set(lengths))
    if len(values) > 2 and values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}-{values[-1]} h"
    return (", ".join(str(v) for v in values[:-1]) + " or " if len(values) > 1 else "") + f"{values[-1]} h"
