"""People who also work in another store (`also_stores`): their shifts there, in the rosters already published for
the same week, keep them off those days here, leave them the rest the labour rules ask before the next day's
shift and after the last, and count against their weekly hours, days off and days in a row. Without this a person
shared by two stores was rostered in both at once.

Times are minutes from the Monday 00:00 the week starts (a shift past midnight ends above its day's 1,440), on the
store's clock. The rest between a shift there and one here is time that passed, as the rest of a roster is
(`RosterInstance.elapsed_minutes`): across a change of the clocks it is an hour more or less than the clock says,
where the store's time zone is known. A shift there is on its own store's clock: where the two stores keep
different zones (Europe/London, Europe/Berlin) its 22:00 is 23:00 here, and the rest after it is counted from then.

A day worked is the day a shift starts on, as a shift here counts for its day: the days off, days in a row and one
shift a day of the labour rules (`RosterRules`) count one set of days per person, this roster's, so a shift elsewhere
takes the day its start falls on by this store's clock. Berlin's Tuesday 00:30 is Monday 23:30 in London: to a
London roster that night is Monday's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping

import pandas as pd

from planner.hours import MINUTES_PER_DAY, day_label
from planner.roster.instance import clock_of, elapsed_minute, utc_moment
from planner.roster.people import Employee, Window
from planner.roster.result import SHIFT_COLUMNS
from planner.settings import RosterRules
from planner.words import number_text

STORE_ID, EMPLOYEE_ID, _NAME, START, END, _BREAK_START, PAID_HOURS, _CLOCK_CHANGE = SHIFT_COLUMNS


def booked_elsewhere(people: tuple[Employee, ...], shifts: pd.DataFrame, week_start: dt.date,
                     rules: RosterRules, time_zone: str | None = None,
                     store_zones: Mapping[str, str | None] | None = None,
                     ) -> tuple[tuple[Employee, ...], tuple[str, ...]]:
    """`people` with what their `shifts` elsewhere (rows of other stores' published rosters of the week starting
    `week_start`, `SHIFT_COLUMNS`) leave them, and one sentence per person so kept. A person with no shift elsewhere
    is returned as given. The rest around a shift elsewhere is measured on `time_zone`'s clock (the store's,
    `planner.targets.resolve_time_zones`) as time that passed; None: by the clock. Each shift is read on its own
    store's clock, that store's zone in `store_zones` (store_id -> zone, `resolve_time_zones`' answer); a store not
    there, or either zone unknown, is read on this store's clock. The day it keeps them off here is the day its start
    falls on by this store's clock (`_day_here`); one that falls in the week before or after by this clock (Monday
    00:30 in Berlin is Sunday 23:30 in London) keeps the day of its own roster: only the week's rosters are read, so
    the neighbouring week's roster would not see it, and the day and its hours stay counted in this week."""
    if shifts.empty:
        return people, ()
    monday = pd.Timestamp(week_start)
    rest_minutes = round(rules.min_rest_hours * 60)
    zones = dict(store_zones or {})

    def passed(minute: int) -> int:
        return elapsed_minute(time_zone, week_start, minute)

    kept, sentences = [], []
    for person in people:
        theirs = shifts[shifts[EMPLOYEE_ID] == person.employee_id]
        if theirs.empty:
            kept.append(person)
            continue
        windows = [list(day) for day in person.availability]
        busy_days = set()
        for store, start, end in zip(theirs[STORE_ID], theirs[START], theirs[END], strict=True):
            there = zones.get(str(store), time_zone)
            day = _day_here(start, there, time_zone, monday)
            if not 0 <= day < 7:  # another week here: its own roster's day, in this week
                day = _day_here(start, None, None, monday)
            if 0 <= day < 7:
                busy_days.add(day)
                windows[day] = []
            # a shift here on another day must end `rest_minutes` before this one starts, or start as long after
            busy_from, busy_until = _rested(_passed_at(start, there, time_zone, week_start, passed),
                                            _passed_at(end, there, time_zone, week_start, passed),
                                            rest_minutes, passed)
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


def _day_here(moment, there: str | None, here: str | None, monday: pd.Timestamp) -> int:
    """The day of the week (0: Monday, outside 0-6: another week) `moment` (naive, on the clock of `there`, the zone
    of the store it was worked in) falls on by this store's clock (`here`): the day a shift starting then is a day
    worked here. Read as it is where either zone is unknown or they are one."""
    clock = pd.Timestamp(moment)
    if there != here and there is not None and here is not None:
        moment_utc = utc_moment(clock.to_pydatetime(), there)
        clock_here = None if moment_utc is None else clock_of(moment_utc, here)
        if clock_here is not None:
            clock = pd.Timestamp(clock_here)
    return (clock.normalize() - monday).days


def _passed_at(moment, there: str | None, here: str | None, week_start: dt.date,
               passed: Callable[[int], int]) -> int:
    """The minutes that pass from this store's Monday 00:00 to `moment` (naive, on the clock of `there`, the zone of
    the store it was worked in): through UTC where both zones are known, else `moment` read on this store's clock
    (`passed` of its week minute)."""
    clock = pd.Timestamp(moment).to_pydatetime()
    monday = dt.datetime.combine(week_start, dt.time())
    if there != here and there is not None and here is not None:
        moments = utc_moment(clock, there), utc_moment(monday, here)
        if None not in moments:
            return round((moments[0] - moments[1]).total_seconds() / 60)
    return passed(round((clock - monday).total_seconds() / 60))


def _rested(start_passed: int, end_passed: int, rest_minutes: int,
            passed: Callable[[int], int]) -> tuple[int, int]:
    """The latest week minute a shift here may end by and the earliest it may start from, on this store's clock,
    around a shift elsewhere that starts `start_passed` and ends `end_passed` minutes after this store's Monday 00:00
    as time passes, with `rest_minutes` of time that passed (`passed`: a week minute's elapsed minute on this
    store's clock, never falling as the clock runs) between them."""
    # the clock here differs from the time that passed by a change of the clocks, or from a shift's own clock by the
    # zones' offsets: a day's search either side leaves room for any
    latest = _bisect(start_passed - rest_minutes - MINUTES_PER_DAY, start_passed + MINUTES_PER_DAY,
                     lambda minute: start_passed - passed(minute) < rest_minutes)
    earliest = _bisect(end_passed - MINUTES_PER_DAY, end_passed + rest_minutes + MINUTES_PER_DAY,
                       lambda minute: passed(minute) - end_passed >= rest_minutes)
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
