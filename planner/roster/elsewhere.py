"""People who also work in another store (`also_stores`): their shifts there, in the rosters already published for
the same week, keep them off those days here, leave them the rest the labour rules ask before the next day's
shift and after the last, and count against their weekly hours, days off and days in a row. Without this a person
shared by two stores was rostered in both at once.

Times are minutes from the Monday 00:00 the week starts (a shift past midnight ends above its day's 1,440), on the
store's clock. The rest between a shift there and one here is time that passed, as the rest of a roster is
(`RosterInstance.elapsed_minutes`): across a change of the clocks it is an hour more or less than the clock says,
where the store's time zone is known.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pandas as pd

from planner.hours import MINUTES_PER_DAY, day_label
from planner.roster.instance import elapsed_minute
from planner.roster.people import Employee, Window
from planner.roster.result import SHIFT_COLUMNS
from planner.settings import RosterRules
from planner.words import number_text

STORE_ID, EMPLOYEE_ID, _NAME, START, END, _BREAK_START, PAID_HOURS, _CLOCK_CHANGE = SHIFT_COLUMNS


def booked_elsewhere(people: tuple[Employee, ...], shifts: pd.DataFrame, week_start: dt.date,
                     rules: RosterRules, time_zone: str | None = None) -> tuple[tuple[Employee, ...], tuple[str, ...]]:
    """`people` with what their `shifts` elsewhere (rows of other stores' published rosters of the week starting
    `week_start`, `SHIFT_COLUMNS`) leave them, and one sentence per person so kept. A person with no shift elsewhere
    is returned as given. The rest around a shift elsewhere is measured on `time_zone`'s clock (the store's,
    `planner.targets.resolve_time_zones`) as time that passed; None: by the clock."""
    if shifts.empty:
        return people, ()
    monday = pd.Timestamp(week_start)
    rest_minutes = round(rules.min_rest_hours * 60)
    kept, sentences = [], []
    for person in people:
        theirs = shifts[shifts[EMPLOYEE_ID] == person.employee_id]
        if theirs.empty:
            kept.append(person)
            continue
        windows = [list(day) for day in person.availability]
        busy_days = set()
        for start, end in zip(theirs[START], theirs[END], strict=True):
            start_minute = round((pd.Timestamp(start) - monday) / pd.Timedelta(minutes=1))
            end_minute = round((pd.Timestamp(end) - monday) / pd.Timedelta(minutes=1))
            day = start_minute // MINUTES_PER_DAY
            if 0 <= day < 7:
                busy_days.add(day)
                windows[day] = []
            # a shift here on another day must end `rest_minutes` before this one starts, or start as long after
            busy_from, busy_until = _rested(start_minute, end_minute, rest_minutes,
                                            lambda minute: elapsed_minute(time_zone, week_start, minute))
            for other in range(7):
                if other != day:
                    windows[other] = _clipped(windows[other], other * MINUTES_PER_DAY, busy_from, busy_until)
        hours = float(theirs[PAID_HOURS].sum())
        kept.append(dataclasses.replace(person, availability=tuple(tuple(day) for day in windows),
                                        hours_elsewhere=person.hours_elsewhere + hours,
                                        days_elsewhere=person.days_elsewhere | frozenset(busy_days)))
        left_hours = kept[-1].weekly_limit(rules.max_hours_per_week)
        days = ", ".join(day_label(week_start + dt.timedelta(days=d)) for d in sorted(busy_days))
        stores = ", ".join(sorted(set(theirs[STORE_ID].astype(str))))
        sentences.append(f"{person.name} ({person.employee_id}) works {number_text(hours)} h at {stores} this week "
                         f"({days}, its published roster): kept off those days here, with {number_text(left_hours)} h "
                         "left of the week")
    return tuple(kept), tuple(sentences)


def _rested(start_minute: int, end_minute: int, rest_minutes: int,
            passed: Callable[[int], int]) -> tuple[int, int]:
    """The latest week minute a shift here may end by and the earliest it may start from, on the clock, around a
    shift elsewhere from `start_minute` to `end_minute` with `rest_minutes` of time that passed (`passed`: a week
    minute's elapsed minute, never falling as the clock runs) between them."""
    # a change of the clocks moves either bound by at most its hours; a day's search leaves room for any zone's
    latest = _bisect(start_minute - rest_minutes - MINUTES_PER_DAY, start_minute + 1,
                     lambda minute: passed(start_minute) - passed(minute) < rest_minutes)
    earliest = _bisect(end_minute, end_minute + rest_minutes + MINUTES_PER_DAY,
                       lambda minute: passed(minute) - passed(end_minute) >= rest_minutes)
    return latest - 1, earliest


def _bisect(low: int, high: int, holds: Callable[[int], bool]) -> int:
    """The first minute of [`low`, `high`] where `holds` (false, then true, as minutes rise), else `high`."""
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if holds(middle) else (middle + 1, high)
    return low


def _clipped(windows: list[Window], midnight_minute: int, busy_from_minute: int,
             busy_until_minute: int) -> list[Window]:
    """The parts of a day's `windows` (minutes after that day's midnight, `midnight_minute` of the week) outside the
    week's minutes [`busy_from_minute`, `busy_until_minute`)."""
    out = []
    for window in windows:
        start, end = midnight_minute + window.start_minute, midnight_minute + window.end_minute
        for first, last in ((start, min(end, busy_from_minute)), (max(start, busy_until_minute), end)):
            if first < last:
                out.append(Window(first - midnight_minute, last - midnight_minute))
    return out
