"""Shifts that cover the recommended staff per hour at least wage cost (OR-Tools CP-SAT), in the primer's shape:

    instance     a store-week: required staff per half hour, opening spans, wage, limits
    candidates   every shift the rules allow, and the half hours it covers
    rules        one class per rule, each adding its constraints and objective terms to the model
    solve        build, solve (seed, workers and limits from `ShiftRules`), read back the shifts
    check        a solver-free checker of coverage, cost and every rule
    report       tables, totals and one sentence per shortfall or conflict
    batch        many stores, one after another or in parallel with Dask
"""

from planner.shifts.check import CheckResult, check_schedule
from planner.shifts.instance import ShiftInstance, from_hourly, from_store, read_requirements
from planner.shifts.report import (
    COVERAGE_COLUMNS, NO_SHIFT_CAUSES, OPTIMAL_TEXT, SHIFT_COLUMNS, STATUSES, ShiftReport, coverage_by_opening,
    coverage_table, report,
)
from planner.shifts.solve import LeastPaid, ScheduledShift, ShiftSolution, least_paid_staff_hours, solve_shifts

__all__ = [
    "COVERAGE_COLUMNS", "NO_SHIFT_CAUSES", "OPTIMAL_TEXT", "SHIFT_COLUMNS", "STATUSES", "CheckResult", "LeastPaid",
    "ScheduledShift",
    "ShiftInstance", "ShiftReport", "ShiftSolution", "check_schedule", "coverage_by_opening", "coverage_table",
    "from_hourly", "from_store",
    "least_paid_staff_hours", "read_requirements", "report", "solve_shifts",
]
