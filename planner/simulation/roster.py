"""Staff on the floor per minute of the week, from shifts (the export format) or from a staff-per-hour table.

Public: `roster_from_shifts`, `roster_from_hourly`, `read_shifts_csv` (`read_shifts_file`), `roster_changes`. A roster is an int array
of `MINUTES_PER_WEEK` values, minute 0 = Monday 00:00; the week wraps (a shift from Sunday 22:00 covers Monday's
first hours). Shifts: `store_id, weekday, start, end, break_start, staff` (weekday 0 = Monday, times "HH:MM" on
that weekday's clock, "HH:MM+1" after its midnight as `schedule` writes a shift of an opening past midnight, e.g.
Saturday's "00:00+1"-"05:00+1"; an end at or before the start without "+1" runs past midnight, as older files
wrote it; a blank break_start = no break); the break lasts `ShiftRules.break_minutes`.
"""

from __future__ import annotations

import math
import re
import numpy as np
import pandas as pd

from planner.errors import InputProblem, InputRejected
from planner.schemas import MAX_STAFF_ON_DUTY
from planner.words import first_named

MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
SHIFT_COLUMNS = ("store_id", "weekday", "start", "end", "break_start", "staff")
_NOT_SIMULATED = "nothing was simulated"
_STORES_NAMED = 5  # a file of other stores names this many of them, then counts the rest
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?:\+(\d))?$")


def read_shifts_csv(content: bytes, file_name: str) -> pd.DataFrame:
    """A shifts file's bytes (CSV with any separator, or XLSX, as every file the planner reads) as text columns,
    indexed by spreadsheet row; `roster_from_shifts` checks it. `InputRejected` for a file that cannot be read as a
    table. The bytes come from the one reader of the command line's files (`planner.cli_io.read_files`), so a folder
    or a missing file is said there as for every other command, with its fix."""
    return read_shifts_file(content, file_name)[0]


def read_shifts_file(content: bytes, file_name: str) -> tuple[pd.DataFrame, tuple[InputProblem, ...]]:
    """`read_shifts_csv`'s frame and what reading it noticed (warnings: a workbook's sheets after the first, not
    read), for a caller that says them."""
    from planner.io.reading import read_table

    try:
        table = read_table(content, file_name)  # named as given: sch1/shifts.csv, not shifts.csv
    except InputRejected as rejected:
        raise InputRejected(rejected.problems, _NOT_SIMULATED) from rejected
    table.frame.attrs["file"] = file_name
    return table.frame, table.problems


def missing_columns(file: str, missing: list[str], fix: str) -> InputRejected:
    """The columns a shifts file lacks, as one problem with its fix said once (a spreadsheet of something else lacked
    six, and said the same fix six times)."""
    if len(missing) == 1:  # "shifts.csv: staff: column missing."
        return InputRejected([InputProblem(file, None, missing[0], "", "column missing", fix)], _NOT_SIMULATED)
    return InputRejected([InputProblem(file, None, None, "", f"columns missing: {', '.join(missing)}", fix)],
                         _NOT_SIMULATED)


def roster_from_shifts(shifts: pd.DataFrame, store_id: str, *, break_minutes: int) -> np.ndarray:
    """Staff on the floor per minute of the week from `store_id`'s shifts. Raises `InputRejected` naming every bad
    cell (file, spreadsheet row, column, fix); rows of other stores are ignored."""
    file = shifts.attrs.get("file", "shifts")
    missing = [c for c in SHIFT_COLUMNS if c not in shifts.columns]
    if missing:
        raise missing_columns(file, missing, "Give the shifts.csv that `schedule --out-dir` writes (store_id, weekday, "
                              "start, end, break_start, staff); a plan's or a roster's shifts file has other columns.")
    roster = np.zeros(MINUTES_PER_WEEK, dtype=np.int64)
    problems = []
    theirs = shifts["store_id"].astype(str) == store_id
    if not theirs.any():
        held = sorted(shifts["store_id"].astype(str).unique())
        held = first_named(held, _STORES_NAMED) or "none"  # counted, or a file of a whole chain reads as five stores
        raise InputRejected([InputProblem(file, None, "store_id", "", f"no shift of store {store_id} (the file's "
                                          f"stores: {held})", f"Give the shifts of {store_id}, or simulate the store "
                                          "the file is for")], _NOT_SIMULATED)
    default_rows = isinstance(shifts.index, pd.RangeIndex) and shifts.index.start == 0
    for position, row in zip(shifts.index, shifts.itertuples(index=False), strict=True):
        if str(row.store_id) != store_id:
            continue
        spreadsheet_row = position + 2 if default_rows else position  # `read_shifts_csv` indexes by spreadsheet row
        weekday = whole_number(row.weekday, 0, 6)
        staff = whole_number(row.staff, 0, MAX_STAFF_ON_DUTY)
        start, end = _minute(row.start), _minute(row.end)
        brk = None if str(row.break_start).strip() in ("", "nan", "<NA>") else _minute(row.break_start)
        for column, value, ok, fix in (
            ("weekday", row.weekday, weekday is not None, "a whole number 0-6 (0 = Monday)"),
            ("staff", row.staff, staff is not None, f"a whole number of staff from 0 to {MAX_STAFF_ON_DUTY:,}"),
            ("start", row.start, start is not None, "a clock time HH:MM (HH:MM+1 after midnight)"),
            ("end", row.end, end is not None, "a clock time HH:MM (HH:MM+1 after midnight)"),
            ("break_start", row.break_start, brk is not None or str(row.break_start).strip() in ("", "nan", "<NA>"),
             "a clock time HH:MM (HH:MM+1 after midnight), or blank for no break"),
        ):
            if not ok:
                problems.append(InputProblem(file, spreadsheet_row, column, str(value), f"'{value}' is not understood",
                                             f"Write {fix}."))
        if None in (weekday, staff, start, end) or (brk is None and str(row.break_start).strip() not in
                                                    ("", "nan", "<NA>")):
            continue
        if end == start:  # read as 24 hours before; the store and employee files refuse the same slip
            problems.append(InputProblem(file, spreadsheet_row, "end", str(row.end),
                                         "the shift starts and ends at the same time",
                                         "Write the time the shift ends (one past midnight ends the next day)."))
            continue
        end, brk = _after(end, start), None if brk is None else _after(brk, start, at_start=True)
        if end - start > MINUTES_PER_DAY:
            problems.append(InputProblem(file, spreadsheet_row, "end", str(row.end),
                                         "the shift is longer than a day", "Write the time the shift ends."))
            continue
        first = weekday * MINUTES_PER_DAY + start
        length = end - start
        on_floor = np.arange(first, first + length)
        if brk is not None:
            break_first = weekday * MINUTES_PER_DAY + brk
            if not first <= break_first <= first + length - break_minutes:
                problems.append(InputProblem(file, spreadsheet_row, "break_start", str(row.break_start),
                                             "break outside its shift", "move the break inside start-end"))
                continue
            on_floor = on_floor[(on_floor < break_first) | (on_floor >= break_first + break_minutes)]
        np.add.at(roster, on_floor % MINUTES_PER_WEEK, staff)
    if problems:
        raise InputRejected(problems, _NOT_SIMULATED)
    return roster


def roster_from_hourly(table: pd.DataFrame, staff_column: str) -> np.ndarray:
    """Staff per minute from one row per weekday x hour (`weekday`, `hour`, `staff_column`); absent or NA = 0."""
    roster_hours = np.zeros(7 * 24, dtype=np.int64)
    staff = pd.to_numeric(table[staff_column], errors="coerce").fillna(0)
    if (staff < 0).any() or (staff != staff.round()).any():
        raise ValueError(f"{staff_column} must hold whole numbers of staff, 0 or more")
    slots = table["weekday"].to_numpy(int) * 24 + table["hour"].to_numpy(int)
    roster_hours[slots] = staff.to_numpy(int)
    return np.repeat(roster_hours, MINUTES_PER_HOUR)


def roster_changes(roster: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The minutes at which the roster changes (the first is 0) and the staff from each on."""
    starts = np.concatenate([[0], np.flatnonzero(np.diff(roster)) + 1])
    return starts.astype(np.float64), roster[starts].astype(np.int64)


def staff_per_hour(roster: np.ndarray) -> np.ndarray:
    """Mean staff on the floor in each hour of the roster (a break of 30 minutes shows as half a person)."""
    return roster.reshape(-1, MINUTES_PER_HOUR).mean(axis=1)


def whole_number(value, low: int, high: int | None) -> int | None:
    """`value` as a whole number from `low` to `high` (None: no top); None if it is not one."""
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    if not math.isfinite(number) or number != int(number) or number < low or (high is not None and number > high):
        return None
    return int(number)


def _minute(value) -> int | None:
    """A clock time "HH:MM" (or "HH:MM+1", the next day's) as minutes after the row's weekday's midnight; None if
    it is not one."""
    parts = clock_parts(value)
    if parts is None:
        return None
    hours, minutes, later = parts
    return (hours * MINUTES_PER_HOUR + minutes) % MINUTES_PER_DAY + later * MINUTES_PER_DAY


def clock_parts(value) -> tuple[int, int, int] | None:
    """(hours, minutes, days later) of a clock time written "HH:MM" or "HH:MM+1" (24:00 allowed); None if it is not
    one. Shared by the weekday shifts file and a dated plan's (`planner.simulation.dated`)."""
    match = _CLOCK.match(str(value).strip())
    if not match:
        return None
    hours, minutes, later = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        return None
    return hours, minutes, later


def _after(moment: int, start: int, at_start: bool = False) -> int:
    """`moment` (minutes after the weekday's midnight) moved on by whole days until it comes after `start` (or at it,
    `at_start`): a time written without its "+1" past midnight (an end of 02:00 after a start of 22:00)."""
    while moment < start or (moment == start and not at_start):
        moment += MINUTES_PER_DAY
    return moment
