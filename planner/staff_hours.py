"""Staff-hours: staff per clock hour times the part of that hour the store is open, summed over the hours; and the
share of each hour customers come in.

An hour the store is open for part of (opening 09:30, closing 20:30) counts the minutes it is open, in the half hours
a schedule is planned in (`planner.hours.SLOT_MINUTES`): the schedule requires staff in those only
(`planner.shifts.from_hourly`), so a plan's total, its day lines and exports, My store's week and Compare's figures
count its 09:00 hour as half an hour, as one rule, and so do their open hours (`hours_open`). Counted whole, a store
open 09:30-20:30 six days a week was said to need 581 staff-hours a week in the plan's day lines and on both pages,
against the 541 its plan required, and to be open 78 hours a week where its plan's days said 72.

Customers come in the minutes the doors are open, to the minute: a rate is customers per open hour, and an hour
brings its rate times the share of it open (`open_share`: 0.5 for that 09:00, 0.75 for the 09:00 of an opening at
09:15, which a schedule staffs from 09:00), which the demand model reads a count against and every count of customers
(a week's, a review's, a simulation's) weighs by.

Units: minutes of a clock hour (0-60); staff-hours are staff x hours. Weekday 0 = Monday; a week from Monday 00:00.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planner.calendar import changed_openings
from planner.hours import (MINUTES_PER_DAY, SLOT_MINUTES, WEEKDAYS, OpeningHours, open_part_of_hours,
                           parse_opening_hours)
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
    return _per_row(frame, stores, open_minutes_by_hour, MINUTES_PER_HOUR).astype(np.int64)


def open_share(frame: pd.DataFrame, stores: pd.DataFrame) -> np.ndarray:
    """Per row of `frame` (as `minutes_open` reads it), the share of its clock hour the doors are open, to the
    minute (`planner.hours.open_part_of_hours`): 0.5 for the 09:00 of an opening at 09:30, 0.75 for that of one at
    09:15; 1 for an hour open whole, of a store not in `stores` or of an hour none of its openings holds. A rate is
    customers per open hour, so the customers an hour brings are its rate times this share."""
    return _per_row(frame, stores, _share_of_hours, 1.0)


def open_share_grid(stores: pd.DataFrame) -> np.ndarray:
    """(stores, 7, 24): `open_share` of every clock hour of every store of `stores`, in its order (0 where closed)."""
    if not set(WEEKDAYS) <= set(stores.columns):
        return np.ones((len(stores), DAYS_PER_WEEK, 24))
    openings = enumerate(stores[list(WEEKDAYS)].astype(str).itertuples(index=False, name=None))
    return _week_tables(openings, len(stores), _share_of_hours, 1.0)


def dated_open_share(usual: pd.DataFrame, store: np.ndarray, dates, hour: np.ndarray,
                     calendar: pd.DataFrame | None) -> np.ndarray:
    """Per counted hour (`store`: its store's position in `usual`; `dates`: the date it falls on; `hour`: its clock
    hour), the share of that clock hour the doors were open on that date where the store `calendar`
    (`CalendarSchema`) changes the date's opening or the evening before's (which may run past midnight into it):
    `_share_of_hours` of the store's usual week (`usual`'s hours) with those two dates' openings as the calendar
    gives them (`planner.calendar.changed_openings`: the store's own row, else the chain-wide one). 1 for the 20:00
    of a late opening until 21:00 where the usual close is 20:30; 0 in an hour the calendar closes. NaN where the
    calendar changes neither date: the usual hours hold."""
    return _dated_parts(usual, store, dates, hour, calendar)[:, 1]


def counted_open_parts(usual: pd.DataFrame, store: np.ndarray, dates, hour: np.ndarray,
                       calendar: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """Per counted hour (as `dated_open_share` takes them), where its open minutes start and how many there are, each
    as a share of the clock hour ((0.5, 0.5) for the 09:00 of an opening at 09:30, (0, 0.5) for the 20:00 of a close
    at 20:30): under its date's hours where the `calendar` changes them and opens the hour (`dated_open_share`), else
    under the usual hours (`usual`, a store file's rows), as the demand model reads a count of customers
    (`planner.demand.count_chain`). An hour neither holds (counted where the hours say closed) is a whole one, (0, 1),
    as `open_share` reads an hour none of a store's openings holds."""
    start, share = np.zeros(len(store)), np.ones(len(store))
    if not len(store) or not set(WEEKDAYS) <= set(usual.columns):
        return start, share
    openings = list(enumerate(usual[list(WEEKDAYS)].astype(str).itertuples(index=False, name=None)))
    weekday, hour = pd.DatetimeIndex(dates).day_of_week.to_numpy(), np.asarray(hour, dtype=np.int64)
    store = np.asarray(store, dtype=np.int64)
    start = _week_tables(openings, len(usual), _start_of_hours, 0.0)[store, weekday, hour]
    share = _week_tables(openings, len(usual), _share_of_hours, 0.0)[store, weekday, hour]
    dated = _dated_parts(usual, store, dates, hour, calendar)
    changed = dated[:, 1] > 0
    start, share = np.where(changed, dated[:, 0], start), np.where(changed, dated[:, 1], share)
    held = share > 0
    return np.where(held, start, 0.0), np.where(held, share, 1.0)


def _dated_parts(usual: pd.DataFrame, store: np.ndarray, dates, hour: np.ndarray,
                 calendar: pd.DataFrame | None) -> np.ndarray:
    """(counted hours, 2): `dated_open_share`'s hours' open part, (start, share) as `counted_open_parts` gives them,
    NaN where the calendar changes neither the date nor the evening before."""
    parts = np.full((len(store), 2), np.nan)
    if calendar is None or calendar.empty or not len(store) or not set(WEEKDAYS) <= set(usual.columns):
        return parts
    ids = usual[S.store_id].astype(str).to_numpy()
    day = _day_numbers(dates)
    counted_days = np.unique(day)
    asked = np.union1d(counted_days, counted_days - 1) - _FIRST_DAY
    changed = changed_openings(calendar, ids[np.unique(store)], pd.DatetimeIndex(asked.astype("datetime64[D]")))
    if not changed:
        return parts
    position = {store_id: i for i, store_id in enumerate(ids)}
    code = np.asarray(store, dtype=np.int64) * _DAY_CODES + day  # one number per store and date
    changed_code = (np.array([position[store_id] for store_id, _ in changed], dtype=np.int64) * _DAY_CODES
                    + _day_numbers([date for _, date in changed]))
    opening_of = dict(zip(changed_code.tolist(), changed.values(), strict=True))
    touched = np.flatnonzero(np.isin(code, changed_code) | np.isin(code - 1, changed_code))
    if not touched.size:
        return parts
    pairs, pair = np.unique(code[touched], return_inverse=True)
    weeks = usual[list(WEEKDAYS)].astype(str).to_numpy()
    tables: dict[tuple[str, ...], np.ndarray] = {}
    rows = np.empty((pairs.size, 24, 2))
    for i, pair_code in enumerate(pairs.tolist()):
        where, day_number = divmod(pair_code, _DAY_CODES)
        weekday = int(pd.Timestamp(np.datetime64(day_number - _FIRST_DAY, "D")).day_of_week)
        week = list(weeks[where])
        for offset in (1, 0):  # the evening before, then the date's own opening
            opening = opening_of.get(pair_code - offset)
            if opening is not None:
                week[(weekday - offset) % DAYS_PER_WEEK] = opening
        key = tuple(week)
        if key not in tables:
            parsed = [parse_opening_hours(text) for text in key]
            tables[key] = np.stack([_start_of_hours(parsed), _share_of_hours(parsed)], axis=-1)
        rows[i] = tables[key][weekday]
    parts[touched] = rows[pair, np.asarray(hour, dtype=np.int64)[touched]]
    return parts


_DAY_CODES, _FIRST_DAY = 1 << 24, 1 << 23
"""A store's and date's code (`dated_open_share`): the store's position x `_DAY_CODES` + the date's number, days
since 1970 + `_FIRST_DAY` (so that every date of the 23,000 years either side of 1970 is a number 0 to `_DAY_CODES`)."""


def _day_numbers(dates) -> np.ndarray:
    """Each date's number in a store's and date's code (`_DAY_CODES`)."""
    days = pd.DatetimeIndex(dates).values.astype("datetime64[D]").astype(np.int64)
    return days + _FIRST_DAY


def _share_of_hours(week: Sequence[OpeningHours | None]) -> np.ndarray:
    """7 x 24: the share of each clock hour the doors are open under `week` (0 where closed)."""
    return np.array(open_part_of_hours(tuple(week)))[..., 1] / MINUTES_PER_HOUR


def _start_of_hours(week: Sequence[OpeningHours | None]) -> np.ndarray:
    """7 x 24: where the open minutes of each clock hour start under `week`, as a share of the hour (0.5 for the
    09:00 of an opening at 09:30; 0 where closed or open from its start)."""
    return np.array(open_part_of_hours(tuple(week)))[..., 0] / MINUTES_PER_HOUR


def _per_row(frame: pd.DataFrame, stores: pd.DataFrame, table_of, whole: float) -> np.ndarray:
    """Per row of `frame` (store_id, weekday, hour), `table_of(week)`'s 7 x 24 value for its store's opening week,
    `whole` (a whole hour's) where the store is unknown or the value 0: one lookup for the chain (a loop over stores
    comparing every row's id took 1.8 s for 1,000 stores' weeks)."""
    values = np.full(len(frame), whole)
    if frame.empty or not set(WEEKDAYS) <= set(stores.columns):
        return values
    # each row's store as a number once, one 7 x 24 table per store (one per distinct opening week), read in one step
    codes, ids = pd.factorize(frame[D.store_id].astype(str))
    position = {store_id: i for i, store_id in enumerate(ids)}
    known = stores[stores[S.store_id].astype(str).isin(position)][[S.store_id, *WEEKDAYS]]
    tables = _week_tables(((position[str(row[0])], tuple(str(text) for text in row[1:]))
                           for row in known.itertuples(index=False)), len(ids), table_of, whole)
    held = tables[codes, frame[D.weekday].to_numpy(dtype=int), frame[D.hour].to_numpy(dtype=int)]
    return np.where(held > 0, held, whole)


def _week_tables(openings, count: int, table_of, whole: float) -> np.ndarray:
    """(count, 7, 24): for each (position, opening week's seven texts) of `openings`, `table_of(parsed week)` at that
    position, worked out once per distinct opening week; `whole` at positions no opening names."""
    tables = np.full((count, DAYS_PER_WEEK, 24), whole)
    weeks: dict[tuple[str, ...], np.ndarray] = {}
    for position, opening in openings:
        if opening not in weeks:
            weeks[opening] = table_of([parse_opening_hours(text) for text in opening])
        tables[position] = weeks[opening]
    return tables


def hours_open(minutes) -> np.ndarray:
    """The hours of each hour the store is open (`minutes` of it, `minutes_open`): 0.5 for the 09:00 of an opening at
    09:30, what each adds to a sum of open hours, as the plan's day lines count them."""
    return np.asarray(minutes, dtype=float) / MINUTES_PER_HOUR


def staff_hours(staff, minutes) -> np.ndarray:
    """Staff per hour (NaN: none known) times the hours of it open (`minutes` of each, `minutes_open`): the
    staff-hours each hour adds to a sum."""
    return np.asarray(staff, dtype=float) * np.asarray(minutes, dtype=float) / MINUTES_PER_HOUR
