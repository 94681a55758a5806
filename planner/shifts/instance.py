"""A store-week to schedule: required staff per half-hour slot, when shifts may run, and the store's limits.

Time is counted in half-hour slots from Monday 00:00: slot s is weekday s // 48 at (s % 48) * 30 minutes. The week
wraps (a shift from Sunday 22:00 runs into Monday's first slots), so stores open past midnight schedule naturally.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner import staff_hours
from planner.calendar import opening_labels, opening_minutes
from planner.hours import (
    DAY_NAMES, SLOT_MINUTES, WEEKDAY_NAMES, WEEKDAYS, OpeningHours, day_clock, end_clock, parse_opening_hours,
)
from planner.schemas import MAX_STAFF_ON_DUTY

SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY
HOUR_COLUMNS = [f"h{h:02d}" for h in range(24)]


@dataclass(frozen=True, eq=False)
class ShiftInstance:
    store_id: str
    required: np.ndarray
    """Required staff per slot (int, length SLOTS_PER_WEEK); min_staff is already folded in where it applies."""
    opening: tuple[tuple[int, int] | None, ...]
    """Per weekday, the open span in minutes from that day's midnight (close may pass 1,440), or None (closed)."""
    wage_per_hour: float = 1.0
    max_staff: int | None = None
    min_staff: int = 0
    budget_staff_hours: float | None = None
    floor: np.ndarray | None = None
    """Staff that must be on the floor per slot whatever the budget (min_staff in open slots with a requirement);
    None: no floor."""
    no_recommendation: np.ndarray | None = None
    """Open slots without a recommendation (never counted), left unscheduled unless min_staff cover was asked for;
    None: none."""

    def __post_init__(self) -> None:
        if self.required.shape != (SLOTS_PER_WEEK,) or (self.required < 0).any():
            raise ValueError(f"{self.store_id}: required must hold {SLOTS_PER_WEEK} non-negative slot values")
        if self.floor is None:
            object.__setattr__(self, "floor", np.zeros(SLOTS_PER_WEEK, dtype=np.int64))
        if self.no_recommendation is None:
            object.__setattr__(self, "no_recommendation", np.zeros(SLOTS_PER_WEEK, dtype=bool))
        if self.floor.shape != (SLOTS_PER_WEEK,) or (self.floor > self.required).any():
            raise ValueError(f"{self.store_id}: floor must hold {SLOTS_PER_WEEK} slot values, none above required")

    @property
    def required_staff_hours(self) -> float:
        """The lower bound on paid staff-hours: every required staff-half-hour covered, nothing more."""
        return float(self.required.sum()) * SLOT_MINUTES / 60

    @property
    def floor_staff_hours(self) -> float:
        """The lower bound on paid staff-hours of any schedule that keeps the floor (min_staff)."""
        return float(self.floor.sum()) * SLOT_MINUTES / 60


def from_hourly(
    store_id: str,
    required_by_day_hour: np.ndarray,
    opening: tuple[tuple[int, int] | None, ...] | None = None,
    *,
    wage_per_hour: float = 1.0,
    min_staff: int = 0,
    max_staff: int | None = None,
    budget_staff_hours: float | None = None,
    min_staff_cover: bool = False,
) -> ShiftInstance:
    """From a 7 x 24 table of required staff per clock hour (weekday 0 = Monday; NaN = no recommendation). Without
    `opening`, a day is open from its first to the end of its last hour with a requirement (how the benchmark tables
    are read). min_staff is a floor in every open hour with a recommendation, and, with `min_staff_cover`, in the
    open hours without one too; open hours without a recommendation are otherwise left at 0."""
    values = np.asarray(required_by_day_hour, dtype=float)
    table = np.nan_to_num(values).astype(np.int64)
    if opening is None:
        opening = tuple(_span_of_need(table[day]) for day in range(7))
    halves = 60 // SLOT_MINUTES
    required = np.repeat(table.reshape(-1), halves)
    open_slots = open_slot_mask(opening)
    # an hour the store is open for part of (opening 09:30, closing 20:30) needs its staff in its open slots only:
    # its closed half was required too, and every such week reported "Mon 09:00-09:30 needs 5 staff but no allowed
    # shift fits there" while the doors were shut
    partly_open = np.repeat(open_slots.reshape(-1, halves).any(axis=1), halves)
    required = np.where(partly_open & ~open_slots, 0, required)
    unknown = open_slots & np.repeat(np.isnan(values).reshape(-1), halves)
    floor = np.where(open_slots, floor_staff(~unknown, min_staff, min_staff_cover), 0)
    required = np.maximum(required, floor)
    return ShiftInstance(store_id, required, tuple(opening), wage_per_hour, max_staff, min_staff, budget_staff_hours,
                         floor, unknown)


def floor_staff(recommended: np.ndarray, min_staff: int | np.ndarray, min_staff_cover: bool) -> np.ndarray:
    """The staff a schedule keeps on the floor in open hours (or slots), whether each has a recommendation
    (`recommended`): min_staff where it has one, and where it has none only with `min_staff_cover` (else 0). The one
    rule `from_hourly` builds a schedule to and a plan's text reports (`planner.plans.export`)."""
    recommended = np.asarray(recommended, dtype=bool)
    return np.where(recommended | bool(min_staff_cover), min_staff, 0)


def from_store(
    store: pd.Series,
    required_by_day_hour: np.ndarray,
    budget_staff_hours: float | None = None,
    min_staff_cover: bool = False,
) -> ShiftInstance:
    """From a store row (`StoreSchema`) and its 7 x 24 recommended staff (NaN = no recommendation)."""
    week = [parse_opening_hours(store[day]) for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]
    opening = tuple(_span(hours) for hours in week)
    return from_hourly(
        str(store["store_id"]), required_by_day_hour, opening,
        wage_per_hour=float(store["wage_per_hour"]), min_staff=int(store["min_staff"]),
        max_staff=int(store["max_staff"]), budget_staff_hours=budget_staff_hours, min_staff_cover=min_staff_cover,
    )


def read_requirements(frame: pd.DataFrame, store_id: str = "store") -> dict[str, np.ndarray]:
    """Store id -> 7 x 24 array of required staff, from a table in either format:

    - the grid of the benchmarks: `[store,] day, day_name, h00..h23` (a table without a store column is one store,
      named `store_id`);
    - the long table `recommend --out` writes: `store_id, weekday, hour, required_staff` (and any other columns); an
      hour without a recommendation counts as 0.

    Raises ValueError, in words a planner can act on (the spreadsheet row, the column), for a table in neither
    format, with a value that is not a whole number of staff from 0 to `MAX_STAFF_ON_DUTY`, or with an hour (a
    weekday) given twice. A frame indexed 0, 1, ... (as `pd.read_csv` gives) is numbered as a spreadsheet shows it,
    the header being row 1; any other index (`planner.io.read_table`'s) is taken as the spreadsheet's rows."""
    if isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 and frame.index.step == 1:
        frame = frame.set_axis(frame.index + 2)
    if {"weekday", "hour", "required_staff"} <= set(frame.columns):
        return _read_long_requirements(frame, store_id)
    missing = [column for column in ["day", *HOUR_COLUMNS] if column not in frame.columns]
    if missing:
        raise ValueError(f"columns {', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''} are missing: give "
                         "either day, h00..h23 (one row per weekday, optionally a store column) or store_id, "
                         "weekday, hour, required_staff as `recommend --out` writes")
    frame = frame.copy()
    if "store" not in frame:
        frame["store"] = store_id
    problems: list[str] = []  # every bad cell is said at once (the first alone was, one run at a time)
    days = _weekdays(frame["day"], problems)
    staff = np.column_stack([_whole_numbers(frame[column], column, 0, MAX_STAFF_ON_DUTY, problems)
                             for column in HOUR_COLUMNS])
    _raise_all(problems)
    _once_each(frame, [frame["store"].astype(str), pd.Series(days, index=frame.index)], "day")
    tables = {}
    for store in frame["store"].astype(str).unique():
        rows = (frame["store"].astype(str) == store).to_numpy()
        table = np.zeros((7, 24), dtype=np.int64)
        table[days[rows]] = staff[rows]
        tables[store] = table
    return tables


def _read_long_requirements(frame: pd.DataFrame, store_id: str) -> dict[str, np.ndarray]:
    stores = frame["store_id"].astype(str) if "store_id" in frame else pd.Series(store_id, index=frame.index)
    problems: list[str] = []
    weekdays = _whole_numbers(frame["weekday"], "weekday", 0, 6, problems)
    hours = _whole_numbers(frame["hour"], "hour", 0, 23, problems)
    given = frame["required_staff"]
    blank = given.isna() | (given.astype(str).str.strip() == "")  # an hour without a recommendation
    staff = _whole_numbers(given.where(~blank, 0), "required_staff", 0, MAX_STAFF_ON_DUTY, problems)
    _raise_all(problems)
    _once_each(frame, [stores, pd.Series(weekdays, index=frame.index), pd.Series(hours, index=frame.index)],
               "weekday and hour")
    tables = {}
    for store in stores.unique():
        rows = (stores == store).to_numpy()
        table = np.zeros((7, 24), dtype=np.int64)
        table[weekdays[rows], hours[rows]] = staff[rows]
        tables[store] = table
    return tables


def _weekdays(column: pd.Series, problems: list[str]) -> np.ndarray:
    """A grid's day column: 0-6 (0 = Monday) or the day's name ("Mon", "monday", any case); each bad cell added to
    `problems` (read as 0)."""
    names = {name: day for day, (short, full) in enumerate(zip(WEEKDAYS, DAY_NAMES, strict=True))
             for name in (short, full.lower())}
    named = column.astype(str).str.strip().str.lower().map(names)
    if named.notna().all():
        return named.to_numpy(dtype=np.int64)
    found: list[str] = []
    days = _whole_numbers(column.where(named.isna(), named), "day", 0, 6, found)
    problems += [f"{problem}, or a day's name (Mon to Sun)" for problem in found]
    return days


def _whole_numbers(column: pd.Series, name: str, low: int, high: int, problems: list[str]) -> np.ndarray:
    """`column` as whole numbers from `low` to `high`; each cell that is not one is added to `problems` (read as
    `low`), by its row."""
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values != np.round(values)) | (values < low) | (values > high)
    problems += [f"row {column.index[i]}: column {name}: '{column.iloc[i]}' is not a whole number from {low} to "
                 f"{high:,}" for i in np.flatnonzero(bad)]
    return np.where(bad, low, values).astype(np.int64)


_PROBLEMS_SAID = 20
"""Most bad cells a requirements table's error names (then how many more)."""


def _raise_all(problems: list[str]) -> None:
    """A ValueError naming every bad cell, by row, when there is one."""
    if problems:
        row = lambda text: text.split(":")[0].removeprefix("row ")  # noqa: E731
        problems = sorted(problems, key=lambda text: (0, int(row(text))) if row(text).isdigit() else (1, 0))
        more = len(problems) - _PROBLEMS_SAID
        raise ValueError("; ".join(problems[:_PROBLEMS_SAID]) + (f"; and {more} more" if more > 0 else ""))


def _once_each(frame: pd.DataFrame, key: list[pd.Series], what: str) -> None:
    """ValueError naming the first two rows of `frame` that give the same store and `what`."""
    keys = pd.DataFrame({str(i): part.to_numpy() for i, part in enumerate(key)}, index=frame.index)
    repeated = keys.duplicated(keep=False)
    if repeated.any():
        first = keys[repeated].iloc[0]
        rows = keys.index[(keys == first).all(axis=1)][:2]
        raise ValueError(f"rows {rows[0]} and {rows[1]} give the same store and {what}: keep one of them")


def open_slot_mask(opening: tuple[tuple[int, int] | None, ...]) -> np.ndarray:
    """Per slot of the week, whether the store is open in it (`planner.staff_hours.open_slots`: the rule My store,
    Compare and a plan's day lines count an hour's open minutes by)."""
    return staff_hours.open_slots(opening_week(opening))


def slot_labels(opening: tuple[tuple[int, int] | None, ...], slots=None) -> list[str]:
    """Per slot of the week (`slots`, default every one), the time it starts as the store opens: "Sat 19:00", or
    "Sun 00:00+1" for a slot after midnight of Sunday's opening, Monday 00:00 by the clock
    (`planner.calendar.opening_labels`), as a plan, a schedule's files and its report say it. CP-SAT names, checks
    and sentences use it, so a name in the model is the one the report prints."""
    slots = np.arange(SLOTS_PER_WEEK) if slots is None else np.asarray(slots, dtype=np.int64)
    return opening_labels(opening_week(opening), slots * SLOT_MINUTES)


def opening_runs(mask: np.ndarray, opening: tuple[tuple[int, int] | None, ...]) -> list[np.ndarray]:
    """The slots of `mask` (one per slot of the week) in runs within one opening, in the order the store opens
    (`opening_slots`): Saturday 23:00-01:00 is one run, where the clock splits it at midnight into Saturday's and
    Sunday's, and Sunday's, whose hours after midnight are the week's first slots, wraps round the week. Every
    report that names a span (the schedule's and the roster's) reads its runs here."""
    owner, minute = opening_slots(opening)
    runs: list[list[int]] = []
    for slot in np.lexsort((minute, owner)):
        if not mask[slot]:
            continue
        if runs and owner[runs[-1][-1]] == owner[slot] and minute[runs[-1][-1]] + SLOT_MINUTES == minute[slot]:
            runs[-1].append(int(slot))
        else:
            runs.append([int(slot)])
    return [np.array(run, dtype=np.int64) for run in runs]


def run_text(run: np.ndarray, opening: tuple[tuple[int, int] | None, ...]) -> str:
    """A run of `opening_runs` as the store opens: "Sat 19:00-21:00", or "Sat 23:00-01:00+1" for one into the hours
    after midnight of Saturday's opening, as shifts.csv and a plan write them; "24:00" for an end at the opening
    day's midnight."""
    day, start, end = run_minutes(run, opening)
    return f"{WEEKDAY_NAMES[day]} {day_clock(start)}-{end_clock(end)}"


def run_minutes(run: np.ndarray, opening: tuple[tuple[int, int] | None, ...]) -> tuple[int, int, int]:
    """The weekday whose opening holds a run of `opening_runs`, and its start and end in minutes after that
    weekday's midnight (1,440 and up after it)."""
    owner, minute = opening_slots(opening)
    return int(owner[run[0]]), int(minute[run[0]]), int(minute[run[-1]]) + SLOT_MINUTES


def opening_slots(opening: tuple[tuple[int, int] | None, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Per slot of the week, the weekday whose opening holds it (its clock weekday where none does) and its minute
    after that weekday's midnight (1,440 and up after it): `planner.calendar.opening_minutes`."""
    return opening_minutes(opening_week(opening), np.arange(SLOTS_PER_WEEK) * SLOT_MINUTES)


def opening_week(opening: tuple[tuple[int, int] | None, ...]) -> list[OpeningHours | None]:
    """An instance's `opening` spans as `OpeningHours` (None: closed), as `planner.calendar` reads a week."""
    return [None if span is None else OpeningHours(*span) for span in opening]


def clock(minutes: int) -> str:
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _span(hours: OpeningHours | None) -> tuple[int, int] | None:
    return None if hours is None else (hours.open_minute, hours.close_minute)


def _span_of_need(day: np.ndarray) -> tuple[int, int] | None:
    hours = np.flatnonzero(day > 0)
    return None if hours.size == 0 else (int(hours[0]) * 60, (int(hours[-1]) + 1) * 60)
