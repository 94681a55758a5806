"""Simulate a dated plan: its shifts on its dates against its own demand and targets for those dates.

Public: `simulate_dated`, `dated_shifts_from_csv`, `is_dated_shifts_file`, `roster_from_dated_shifts`,
`dated_frame`. A dated plan's shifts are filed under the date of the opening they work in, their times minutes after
that date's midnight (past 1,440 after midnight: `planner.plans.schema.PlanShiftSchema`); its demand holds only the
hours open on each date, customers scaled by the date's demand factor (`DatedDemandSchema`). The week is simulated
as a cycle from Monday 00:00, as the plan is made: a Sunday opening past midnight lands on that week's Monday morning.
The plan's shifts CSV (`plan_shifts.csv`: store_id, iso_week, date, day, start, end, break_start, staff, a time past
the date's midnight as "00:00+1") reads back into the same frame, every bad cell named.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from planner.calendar import opening_key
from planner.errors import InputProblem, InputRejected
from planner.schemas import MAX_STAFF_ON_DUTY
from planner.settings import Settings
from planner.simulation.roster import (
    MINUTES_PER_DAY, MINUTES_PER_WEEK, clock_parts, missing_columns, whole_number,
)
from planner.simulation.simulate import SimulationResult, simulate_week
from planner.simulation.week import StoreWeek

DATED_SHIFT_COLUMNS = ("store_id", "iso_week", "date", "start", "end", "break_start", "staff")
"""The columns of a plan's shifts CSV the simulation reads (its `day` is the date's, said for people)."""
FRAME_COLUMNS = ("store_id", "iso_week", "date", "start_minute", "end_minute", "break_start_minute", "staff")
"""`PlanShiftSchema`'s columns (not imported: the plans package sits above the simulation)."""
_NOT_SIMULATED = "nothing was simulated"
_BLANK = ("", "nan", "<NA>", "None")


def simulate_dated(demand: pd.DataFrame, stores: pd.DataFrame, store_id: str, settings: Settings,
                   shifts: pd.DataFrame, monday: date, *, demand_scale: float = 1.0, replications: int | None = None,
                   progress: Callable[[int, int], None] | None = None) -> SimulationResult:
    """`replications` simulated weeks of `store_id` under its dated `shifts` (`FRAME_COLUMNS`) of the week starting
    `monday`, its customers drawn from the plan's dated `demand` (hours open on each date, the date's demand factor
    applied; times `demand_scale`), its targets from `stores` (its row, the plan's targets in its target columns)."""
    week = StoreWeek.from_demand(demand[demand["store_id"].astype(str) == store_id], stores, store_id, settings,
                                 demand_scale)
    roster = roster_from_dated_shifts(shifts[shifts["store_id"].astype(str) == store_id], monday,
                                      break_minutes=settings.shifts.break_minutes)
    return simulate_week(week, roster, settings.simulation, replications=replications, progress=progress)


def roster_from_dated_shifts(shifts: pd.DataFrame, monday: date, *, break_minutes: int) -> np.ndarray:
    """Staff on the floor per minute of the week starting `monday` from dated shifts (`FRAME_COLUMNS`): a shift
    from its date's midnight plus its start minute, its break of `break_minutes` taken out, wrapping past Sunday."""
    roster = np.zeros(MINUTES_PER_WEEK, dtype=np.int64)
    day_of_week = (pd.to_datetime(shifts["date"]) - pd.Timestamp(monday)).dt.days.to_numpy()
    for day, row in zip(day_of_week, shifts.itertuples(index=False), strict=True):
        first = int(day) * MINUTES_PER_DAY + int(row.start_minute)
        on_floor = np.arange(first, int(day) * MINUTES_PER_DAY + int(row.end_minute))
        if not pd.isna(row.break_start_minute):
            break_first = int(day) * MINUTES_PER_DAY + int(row.break_start_minute)
            on_floor = on_floor[(on_floor < break_first) | (on_floor >= break_first + break_minutes)]
        np.add.at(roster, on_floor % MINUTES_PER_WEEK, int(row.staff))
    return roster


def is_dated_shifts_file(frame: pd.DataFrame) -> bool:
    """A plan's shifts CSV (dated) rather than a schedule's (weekday): it has a `date` and an `iso_week`."""
    return {"date", "iso_week"} <= set(frame.columns)


def dated_shifts_from_csv(table: pd.DataFrame, store_id: str, iso_week: str, week_dates: list[date]) -> pd.DataFrame:
    """`store_id`'s rows for `iso_week` of a plan's shifts CSV read as text (`read_shifts_csv`, indexed by
    spreadsheet row) as dated shifts (`FRAME_COLUMNS`). Rows of other stores are left out; `InputRejected` naming
    every bad cell (a date outside the week, a time that is not HH:MM or HH:MM+1, an end not after the start, a break
    outside the shift), or none of the store's rows."""
    file = table.attrs.get("file", "shifts")
    missing = [c for c in DATED_SHIFT_COLUMNS if c not in table.columns]
    if missing:
        raise missing_columns(file, missing, "Give the plan_shifts.csv that `plans show ID --out-dir DIR` writes "
                              "(store_id, iso_week, date, day, start, end, break_start, staff).")
    mine = table[table["store_id"].astype(str).str.strip() == store_id]
    if mine.empty:
        raise InputRejected([InputProblem(file, None, "store_id", "", f"no shift of store {store_id}",
                                          f"Give the shifts of {store_id}, the plan's store")], _NOT_SIMULATED)
    dates = {day.isoformat(): day for day in week_dates}
    rows, problems = [], []
    default_rows = isinstance(table.index, pd.RangeIndex) and table.index.start == 0
    for position, row in zip(mine.index, mine.itertuples(index=False), strict=True):
        line = position + 2 if default_rows else position
        bad = []
        week_text, day_text = str(row.iso_week).strip(), str(row.date).strip()
        if week_text != iso_week:
            bad.append(("iso_week", row.iso_week, f"the plan is of {iso_week}", f"Give the shifts of {iso_week}."))
        elif day_text not in dates:
            bad.append(("date", row.date, f"not a date of {iso_week}",
                        f"Write a date from {week_dates[0]} to {week_dates[-1]} as YYYY-MM-DD."))
        start, end = _dated_minute(row.start), _dated_minute(row.end)
        blank_break = str(row.break_start).strip() in _BLANK
        brk = None if blank_break else _dated_minute(row.break_start)
        staff = whole_number(row.staff, 0, MAX_STAFF_ON_DUTY)
        for column, value, ok in (("start", row.start, start is not None), ("end", row.end, end is not None),
                                  ("break_start", row.break_start, blank_break or brk is not None)):
            if not ok:
                bad.append((column, value, f"'{value}' is not understood",
                            "Write a clock time HH:MM, with +1 for a time after the date's midnight (01:00+1)."))
        if staff is None:
            bad.append(("staff", row.staff, f"'{row.staff}' is not understood",
                        f"Write a whole number of staff from 0 to {MAX_STAFF_ON_DUTY:,}."))
        if start is not None and end is not None and end <= start:
            bad.append(("end", row.end, "the shift ends before it starts",
                        "Write an end after the start: one past the date's midnight with +1 (02:00+1)."))
        elif start is not None and end is not None and brk is not None and not start <= brk < end:
            bad.append(("break_start", row.break_start, "break outside its shift", "Move the break inside start-end."))
        problems += [InputProblem(file, line, column, str(value), message, fix)
                     for column, value, message, fix in bad]
        if not bad and staff:
            rows.append((store_id, iso_week, pd.Timestamp(dates[day_text]), start, end, brk, staff))
    if problems:
        raise InputRejected(problems, _NOT_SIMULATED)
    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
    return frame.astype({"start_minute": "int64", "end_minute": "int64", "break_start_minute": "Int64",
                         "staff": "int64", "date": "datetime64[ns]"})


def dated_frame(result: SimulationResult, demand: pd.DataFrame) -> pd.DataFrame:
    """The simulation's per-hour frame (`SimulationSchema`) keyed as the plan's days: each open hour under the
    weekday of the date whose opening it belongs to (`business_date`), an hour after midnight numbered 24, 25, ...
    (`planner.hours.hour_label` writes "00:00+1"); hours the plan has no demand for keep their clock keys."""
    frame = result.frame()
    rows = demand[demand["store_id"].astype(str) == result.week.store_id]
    clock_day = pd.to_datetime(rows["date"]).dt.day_of_week.to_numpy()
    weekday, hour = opening_key(clock_day, rows["hour"].to_numpy(dtype=int),
                                pd.to_datetime(rows["business_date"]).dt.day_of_week.to_numpy())
    owner = {(int(d), int(h)): (int(w), int(k)) for d, h, w, k in zip(clock_day, rows["hour"], weekday, hour,
                                                                          strict=True)}
    keys = [owner.get((int(d), int(h)), (int(d), int(h))) for d, h in zip(frame["weekday"], frame["hour"],
                                                                            strict=True)]
    keyed = frame.assign(weekday=[k[0] for k in keys], hour=[k[1] for k in keys])
    return keyed.sort_values(["weekday", "hour"], kind="stable").reset_index(drop=True)


def _dated_minute(value) -> int | None:
    """"HH:MM" or "HH:MM+1" (+2) as minutes after the date's midnight (24:00 is its end, 1,440); None when it is not
    one."""
    parts = clock_parts(value)
    if parts is None or parts[2] > 2:
        return None
    hours, minutes, days = parts
    return days * MINUTES_PER_DAY + hours * 60 + minutes
