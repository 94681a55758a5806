"""What a schedule means, for people: shifts and coverage tables, totals, and one sentence per shortfall or conflict.

Coverage is counted per half hour; the hourly tables show, per clock hour, the requirement, the fewest staff on the
floor in either half (a break shows), and the staff-hours under and over the requirement in that hour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.shifts.candidates import coverage_matrix, enumerate_candidates
from planner.shifts.check import CheckResult, check_schedule
from planner.shifts.instance import SLOT_MINUTES, SLOTS_PER_DAY, SLOTS_PER_WEEK, clock, slot_label
from planner.shifts.solve import INFEASIBLE, OPTIMAL, ShiftSolution

SHIFT_COLUMNS = ["store_id", "weekday", "start", "end", "break_start", "staff"]
COVERAGE_COLUMNS = ["store_id", "weekday", "hour", "required_staff", "scheduled_staff", "under", "over"]


@dataclass(frozen=True)
class ShiftReport:
    solution: ShiftSolution
    check: CheckResult
    shifts: pd.DataFrame
    coverage: pd.DataFrame
    explanations: tuple[str, ...]

    @property
    def totals(self) -> dict[str, float | str]:
        lower = self.solution.instance.required_staff_hours
        return {
            "store_id": self.solution.instance.store_id,
            "status": self.solution.status,
            "paid_staff_hours": self.check.paid_staff_hours,
            "wage_cost": round(self.check.wage_cost, 2),
            "required_staff_hours": lower,
            "excess_staff_hours": self.check.paid_staff_hours - lower,
            "uncovered_staff_hours": self.check.under_staff_hours,
            "objective": round(self.solution.objective, 2),
            "best_bound": round(self.solution.best_bound, 2),
            "relative_gap": self.solution.relative_gap,
            "solve_seconds": self.solution.solve_seconds,
        }


def report(solution: ShiftSolution) -> ShiftReport:
    check = check_schedule(solution.instance, solution.rules, solution.shifts)
    return ShiftReport(solution, check, shifts_frame(solution), coverage_frame(solution, check),
                       tuple(explain(solution, check)))


def shifts_frame(solution: ShiftSolution) -> pd.DataFrame:
    rows = [
        (solution.instance.store_id, s.candidate.start_weekday, clock(s.candidate.start_minute),
         clock(s.candidate.end_minute),
         clock(s.candidate.break_start_minute) if s.candidate.break_start_minute is not None else "", s.staff)
        for s in solution.shifts
    ]
    return pd.DataFrame(rows, columns=SHIFT_COLUMNS)


def coverage_frame(solution: ShiftSolution, check: CheckResult) -> pd.DataFrame:
    halves = 60 // SLOT_MINUTES
    required = solution.instance.required.reshape(7, 24, halves)
    on_floor = check.on_floor.reshape(7, 24, halves)
    under = check.under.reshape(7, 24, halves).sum(axis=2) / halves
    over = check.over.reshape(7, 24, halves).sum(axis=2) / halves
    keep = (required.max(axis=2) > 0) | (on_floor.max(axis=2) > 0)
    weekday, hour = np.nonzero(keep)
    return pd.DataFrame({
        "store_id": solution.instance.store_id,
        "weekday": weekday,
        "hour": hour,
        "required_staff": required.max(axis=2)[keep],
        "scheduled_staff": on_floor.min(axis=2)[keep],
        "under": under[keep],
        "over": over[keep],
    }, columns=COVERAGE_COLUMNS)


def explain(solution: ShiftSolution, check: CheckResult) -> list[str]:
    """One plain sentence per cause of a shortfall or of infeasibility; empty when everything is covered."""
    instance, rules = solution.instance, solution.rules
    sentences = []
    short = check.under > 0 if solution.status != INFEASIBLE else instance.required > 0
    explained = np.zeros(SLOTS_PER_WEEK, dtype=bool)
    if instance.max_staff is not None:
        too_many = instance.required > instance.max_staff
        for first, last in _runs(too_many):
            need = int(instance.required[first : last + 1].max())
            sentences.append(f"{_span(first, last)} needs {need} staff but max_staff is {instance.max_staff}")
        explained |= too_many
    coverable = coverage_matrix(enumerate_candidates(instance, rules)).any(axis=0) if instance.required.any() else \
        np.zeros(SLOTS_PER_WEEK, dtype=bool)
    unreachable = (instance.required > 0) & ~coverable
    for first, last in _runs(unreachable):
        sentences.append(
            f"{_span(first, last)} needs {int(instance.required[first : last + 1].max())} staff but no allowed shift "
            f"fits there (shifts of {_hours(rules.shift_lengths_hours)} inside the opening hours)"
        )
    explained |= unreachable
    if instance.budget_staff_hours is not None:
        left = short & ~explained
        needed = instance.required_staff_hours
        if needed > instance.budget_staff_hours or left.any():
            gap = needed - instance.budget_staff_hours
            where = ", ".join(_span(f, l) for f, l in _runs(left)[:6]) or "none yet"
            sentences.append(
                f"the budget of {instance.budget_staff_hours:g} h is {max(gap, 0):g} h below the {needed:g} h needed"
                f" at the least: uncovered {where}"
                if gap > 0 else
                f"the budget of {instance.budget_staff_hours:g} h does not leave room for whole shifts that cover "
                f"{where} (the requirement alone is {needed:g} h)"
            )
            explained |= left
    rest = short & ~explained
    if rest.any() and solution.status != INFEASIBLE:
        where = ", ".join(_span(f, l) for f, l in _runs(rest)[:6])
        if solution.status == OPTIMAL:
            limits = f"shifts of {_hours(rules.shift_lengths_hours)}"
            if rules.break_for_shifts_over_hours < max(rules.shift_lengths_hours):
                limits += f", a {rules.break_minutes}-minute break in shifts over {rules.break_for_shifts_over_hours:g} h"
            if instance.max_staff is not None:
                limits += f" and max_staff {instance.max_staff}"
            sentences.append(f"uncovered {where}: no schedule within the rules covers them ({limits})")
        else:
            sentences.append(f"uncovered {where}: the solver reached its time limit before covering them")
    if solution.status == INFEASIBLE and not sentences:
        sentences.append("no schedule satisfies every hard rule at once (coverage, max_staff and the budget)")
    return sentences


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive True slots within a day, as (first, last) slot pairs."""
    runs, start = [], None
    for slot in range(SLOTS_PER_WEEK + 1):
        on = slot < SLOTS_PER_WEEK and mask[slot] and (start is None or slot % SLOTS_PER_DAY != 0)
        if on and start is None:
            start = slot
        elif not on and start is not None:
            runs.append((start, slot - 1))
            start = slot if slot < SLOTS_PER_WEEK and mask[slot] else None
    return runs


def _span(first: int, last: int) -> str:
    end_minutes = ((last % SLOTS_PER_DAY) + 1) * SLOT_MINUTES
    return f"{slot_label(first)}-{'24:00' if end_minutes == 24 * 60 else clock(end_minutes)}"


def _hours(lengths: tuple[int, ...]) -> str:
    """'4-9 h' for a run of whole hours, else '4, 6 or 8 h'."""
    values = sorted(set(lengths))
    if len(values) > 2 and values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}-{values[-1]} h"
    return (", ".join(str(v) for v in values[:-1]) + " or " if len(values) > 1 else "") + f"{values[-1]} h"
