"""People who also work in another store (`also_stores`): their shifts there, in the rosters already published for
the same week, keep them off those days here, leave them the rest the labour rules ask before the next day's
shift and after the last, and count against their weekly hours. Without this a person shared by two stores was
rostered in both at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from planner.roster.people import Employee, Window
from planner.settings import RosterRules

MINUTES_PER_DAY = 24 * 60


def booked_elsewhere(people: tuple[Employee, ...], shifts: pd.DataFrame, week_start: dt.date,
                     rules: RosterRules) -> tuple[tuple[Employee, ...], tuple[str, ...]]:
    """`people` with what their `shifts` elsewhere (`store_id`, `employee_id`, `start`, `end`, `paid_hours` of
    other stores' published rosters of the week starting `week_start`) leave them, and one sentence per person so
    kept. A person with no shift elsewhere is returned as given."""
    if shifts.empty:
        return people, ()
    monday = pd.Timestamp(week_start)
    kept, sentences = [], []
    for person in people:
        theirs = shifts[shifts["employee_id"] == person.employee_id]
        if theirs.empty:
            kept.append(person)
            continue
        windows = [list(day) for day in person.availability]
        rest = round(rules.min_rest_hours * 60)
        busy_days = set()
        for shift in theirs.itertuples(index=False):
            start = round((pd.Timestamp(shift.start) - monday) / pd.Timedelta(minutes=1))
            end = round((pd.Timestamp(shift.end) - monday) / pd.Timedelta(minutes=1))
            day = start // MINUTES_PER_DAY
            if 0 <= day < 7:
                busy_days.add(day)
                windows[day] = []
            # minutes of the week: a shift here on another day must end `rest` before this starts, or start after
            for other in range(7):
                if other == day:
                    continue
                midnight = other * MINUTES_PER_DAY
                windows[other] = _clipped(windows[other], midnight, start - rest, end + rest)
        hours = float(theirs["paid_hours"].sum())
        kept.append(dataclasses.replace(person, availability=tuple(tuple(day) for day in windows),
                                        hours_elsewhere=person.hours_elsewhere + hours))
        most = kept[-1].weekly_limit(rules.max_hours_per_week)
        days = ", ".join(f"{week_start + dt.timedelta(days=d):%a %-d %b}" for d in sorted(busy_days))
        stores = ", ".join(sorted(set(theirs["store_id"].astype(str))))
        sentences.append(f"{person.name} ({person.employee_id}) works {hours:g} h at {stores} this week ({days}, "
                         f"its published roster): kept off those days here, with {most:g} h left of the week")
    return tuple(kept), tuple(sentences)


def _clipped(windows: list[Window], midnight: int, busy_from: int, busy_until: int) -> list[Window]:
    """The parts of a day's `windows` (minutes after that day's `midnight`) outside the week's minutes
    [`busy_from`, `busy_until`)."""
    out = []
    for window in windows:
        start, end = midnight + window.start_minute, midnight + window.end_minute
        for first, last in ((start, min(end, busy_from)), (max(start, busy_until), end)):
            if first < last:
                out.append(Window(first - midnight, last - midnight))
    return out
