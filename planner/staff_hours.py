"""Staff-hours: staff per clock hour times the part of that hour the store is open, summed over the hours.

An hour the store is open for part of (opening 09:30, closing 20:30) counts the minutes it is open, in the half hours
a schedule is planned in (`planner.hours.SLOT_MINUTES`): the schedule requires staff in those only
(`planner.shifts.from_hourly`), so a plan's total, its day lines and exports, My store's week and Compare's figures
count its 09:00 hour as half an hour, as one rule, and so do their open hours (`hours_open`). Counted whole, a store
open 09:30-20:30 six days a week was said to need 581 staff-hours a week in the plan's day lines and on both pages,
against the 541 its plan required, and to be open 78 hours a week where its plan's days said 72.

Units: minutes of a clock hour (0-60); staff-hours are staff x hours. Weekday 0 = Monday; a week from Monday 00:00.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planner.hours import MINUTES_PER_DAY, SLOT_MINUTES, WEEKDAYS, OpeningHours, parse_opening_hours
from planner.schemas import DemandSchema as D, StoreSchema as S
from planner.weeks import DAYS_PER_WEEK

MINUTES_PER_HOUR = 60
SLOTS_PER_DAY = MINUTES_PER_DAY // SLOT_MINUTES


def open_slots(week: Sequence[OpeningHours | None]) -> np.ndarray:
    """Per half hour of the week (from Monday 00:00), whether an opening of `week` (per weekday, None: closed) holds
    some minute of it: 09:15-20:45 holds 09:00-21:00. An opening past midnight runs into the next day's slots,
    Sunday's into Monday's (a week is planned as a cycle)."""
    slots = np.zeros(DAYS_PER_WEEK * SLOTS_PER_DAY, dtype=bool)
    for day, hours in enumerate(week):
        if hours is not None:
            first, last = hours.open_minute // SLOT_MINUTES, -(-hours.close_minute // SLOT_MINUTES)
            slots[(day * SLOTS_PER_DAY + np.arange(first, last)) % slots.size] = True
    return slots


def open_minutes_by_hour(week: Sequence[OpeningHours | None]) -> np.ndarray:
    """A 7 x 24 array: per clock weekday and hour, the minutes of it the store is open under `week`, in whole half
    hours (`open_slots`): 30 for the 09:00 and 20:00 of 09:30-20:30, 60 for every hour between, 0 where closed."""
    return open_slots(week).reshape(DAYS_PER_WEEK, 24, -1).sum(axis=2) * SLOT_MINUTES


def minutes_open(frame: pd.DataFrame, stores: pd.DataFrame) -> np.ndarray:
    """Per row of `frame` (store_id, weekday, hour: clock keys, as a recommendation has them), the minutes of that
    hour the store is open under the opening hours of `stores` (`open_minutes_by_hour`). A row of a store not in
    `stores`, or of an hour none of its openings holds, counts its whole hour, as every row did before."""
    minutes = np.full(len(frame), MINUTES_PER_HOUR, dtype=np.int64)
    if frame.empty or not set(WEEKDAYS) <= set(stores.columns):
        return minutes
    # each row's store as a number once, one 7 x 24 table per store (one per distinct opening week), read in one step
    codes, ids = pd.factorize(frame[D.store_id].astype(str))
    tables = np.full((len(ids), DAYS_PER_WEEK, 24), MINUTES_PER_HOUR, dtype=np.int64)
    weeks: dict[tuple[str, ...], np.ndarray] = {}
    position = {store_id: i for i, store_id in enumerate(ids)}
    for row in stores[stores[S.store_id].astype(str).isin(position)][[S.store_id, *WEEKDAYS]].itertuples(index=False):
        opening = tuple(str(text) for text in row[1:])
        if opening not in weeks:
            weeks[opening] = open_minutes_by_hour([parse_opening_hours(text) for text in opening])
        tables[position[str(row[0])]] = weeks[opening]
    held = tables[codes, frame[D.weekday].to_numpy(dtype=int), frame[D.hour].to_numpy(dtype=int)]
    return np.where(held > 0, held, MINUTES_PER_HOUR)


def hours_open(minutes) -> np.ndarray:
    """The hours of each hour the store is open (`minutes` of it, `minutes_open`): 0.5 for the 09:00 of an opening at
    09:30, what each adds to a sum of open hours, as the plan's day lines count them."""
    return np.asarray(minutes, dtype=float) / MINUTES_PER_HOUR


def staff_hours(staff, minutes) -> np.ndarray:
    """Staff per hour (NaN: none known) times the hours of it open (`minutes` of each, `minutes_open`): the
    staff-hours each hour adds to a sum."""
    return np.asarray(staff, dtype=float) * np.asarray(minutes, dtype=float) / MINUTES_PER_HOUR
