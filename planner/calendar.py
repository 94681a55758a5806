"""Dated weeks: ISO weeks (Monday first; `IsoWeek` lives in `planner.weeks`), and a store calendar's exceptions applied
to one week.

The demand model gives a profile per weekday x clock hour; a plan is for real dates. Weekday 0 of ISO week
2026-W50 is Monday 7 December 2026, and so on to Sunday. A store calendar (`CalendarSchema`, see
`planner.io.calendar`) changes single dates: closed, other opening hours, or a demand factor (1.4 on Black Friday). A
chain-wide row (store_id `*`) holds for every store without a row of its own for that date.

Business days: a store's opening on a date is that date's business day, hours past midnight included (an opening
of 18:00-02:00 on Saturday runs into Sunday's clock hours 0 and 1 and belongs to Saturday), as in
`planner.hours`. A date's demand factor scales the customers of its business day. The week is planned as a cycle, as
the weekday profiles are (Sunday night's hours past midnight are clock hours of weekday 0), but a dated hour keeps
the date it really falls on (`hour_dates`): Sunday night's hours fall on the next week's Monday, not this one's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
import datetime

import numpy as np
import pandas as pd

from planner.hours import (
    CLOSED, DAY_NAMES, MINUTES_PER_DAY, WEEKDAY_NAMES, WEEKDAYS, OpeningHours, OpeningOverlap, day_clock, hour_label,
    opening_overlaps, overlap_fix, overlap_message, parse_opening_hours,
)
from planner.schemas import CHAIN_WIDE, CalendarSchema as C, DemandSchema as D, StoreSchema as S
from planner.surfaces.fixes import IMPORT_A_CORRECTED_STORE_CALENDAR
from planner.weeks import DAYS_PER_WEEK, IsoWeek
from planner.words import ended

HOURS_PER_DAY = 24
RATE_COLUMNS = (D.visitors_per_hour, D.assisted_per_hour, D.assisted_per_hour_low, D.assisted_per_hour_high,
                D.self_service_per_hour, D.self_service_per_hour_low, D.self_service_per_hour_high,
                D.observed_assisted_per_hour)
"""Customers per hour: what a demand factor scales (minutes per customer stay as they are)."""
EXCEPTION_COLUMNS = [C.store_id, "date", "weekday", C.closed, C.hours, C.demand_factor, C.note, "source"]


def week_exceptions(calendar: pd.DataFrame | None, store_ids: Iterable[str], week: IsoWeek) -> pd.DataFrame:
    """The calendar's exceptions for `store_ids` in `week` (`EXCEPTION_COLUMNS`), one row per store and date that
    has one: the store's own row, else the chain-wide row; `source` says which ("store" or "chain")."""
    return date_exceptions(calendar, store_ids, week.dates())


def date_exceptions(calendar: pd.DataFrame | None, store_ids: Iterable[str], dates: Iterable) -> pd.DataFrame:
    """The calendar's exceptions for `store_ids` on `dates` (`EXCEPTION_COLUMNS`), by the one precedence rule: per
    store and date, the store's own row, else the chain-wide row (a row of its own that changes only the demand
    factor keeps the usual hours, also on a date the chain closes); `source` says which ("store" or "chain")."""
    ids = [str(store) for store in store_ids]
    if calendar is None or calendar.empty or not ids:
        return pd.DataFrame(columns=EXCEPTION_COLUMNS)
    days = pd.to_datetime(pd.Series(list(dates), dtype=object))
    rows = calendar[calendar[C.date].isin(days)]
    own = rows[rows[C.store_id].isin(ids)].assign(source="store")
    chain = rows[rows[C.store_id] == CHAIN_WIDE]
    spread = chain.drop(columns=[C.store_id]).merge(pd.DataFrame({C.store_id: ids}), how="cross").assign(source="chain")
    both = pd.concat([own, spread], ignore_index=True)
    both = both.sort_values("source", key=lambda s: s.map({"store": 0, "chain": 1}), kind="stable")
    chosen = both.drop_duplicates([C.store_id, C.date], keep="first").rename(columns={C.date: "date"})
    chosen["weekday"] = chosen["date"].dt.day_of_week.astype("int64")
    return chosen.sort_values([C.store_id, "date"], ignore_index=True)[EXCEPTION_COLUMNS]


def changed_openings(calendar: pd.DataFrame | None, store_ids: Iterable[str], dates: Iterable) -> dict:
    """(store_id, date as a `pd.Timestamp`) -> the opening the calendar gives that date ("closed", or its changed
    "HH:MM-HH:MM"), for each store of `store_ids` and date of `dates` where it changes the store's opening, by the
    precedence rule of `date_exceptions`. A date it does not change (no row, or a demand factor alone) is not a key."""
    exceptions = date_exceptions(calendar, store_ids, dates)
    closed = exceptions[C.closed].astype(bool).to_numpy()
    hours = exceptions[C.hours].to_numpy(dtype=object)
    return {(str(store), pd.Timestamp(day)): CLOSED if shut else str(text)
            for store, day, shut, text in zip(exceptions[C.store_id], exceptions["date"], closed, hours, strict=True)
            if shut or isinstance(text, str)}


def counted_date_factors(calendar: pd.DataFrame | None, usual: pd.DataFrame, store, dates, hour) -> np.ndarray:
    """Per counted hour (`store`: its store's position in `usual`, a store file's rows; `dates`: the date it falls on;
    `hour`: its clock hour), the demand factor the `calendar` gives its business day (a sale's 1.5), by the
    precedence rule of `date_exceptions`; 1 where it gives none. A plan staffs such a day for the usual rate times
    the factor (`dated_demand`, each hour under the business day it belongs to: `business_day_of`), so a count
    taken on one holds the usual rate times it. An hour past midnight belongs to the evening before when that
    evening's opening runs into it and the date's own opening does not hold it (`opening_days`' rule), each
    opening as the calendar gives it where it changes that date (`changed_openings`), else the store's usual one:
    Saturday 01:00 of a Friday 18:00-02:00 reads Friday's factor. An hour no opening holds reads its own date's."""
    store, hour = np.asarray(store, dtype=np.int64), np.asarray(hour, dtype=np.int64)
    factors = np.ones(len(store))
    if calendar is None or calendar.empty or not len(store):
        return factors
    ids = usual[S.store_id].astype(str).to_numpy()
    days = pd.DatetimeIndex(pd.to_datetime(pd.Series(dates, dtype=object)).to_numpy()).normalize()
    counted = days.unique()
    asked = counted.union(counted - pd.Timedelta(days=1))
    exceptions = date_exceptions(calendar, ids[np.unique(store)], asked)
    exceptions = exceptions[exceptions[C.demand_factor].astype(float) != 1.0]
    if exceptions.empty:
        return factors
    position = {store_id: i for i, store_id in enumerate(ids)}
    day_number = days.values.astype("datetime64[D]").astype(np.int64)
    span = int(day_number.max() - day_number.min()) + 2  # the counted dates and each evening before
    first = int(day_number.min()) - 1
    code = store * span + (day_number - first)  # one number per store and date
    factor_code = (np.array([position[str(s)] for s in exceptions[C.store_id]], dtype=np.int64) * span
                   + pd.DatetimeIndex(exceptions["date"]).values.astype("datetime64[D]").astype(np.int64) - first)
    order = np.argsort(factor_code)
    factor_code, factor_value = factor_code[order], exceptions[C.demand_factor].astype(float).to_numpy()[order]

    def factor_at(codes: np.ndarray) -> np.ndarray:
        found = np.minimum(np.searchsorted(factor_code, codes), factor_code.size - 1)
        return np.where(factor_code[found] == codes, factor_value[found], 1.0)

    own, before = factor_at(code), factor_at(code - 1)
    factors = own
    differs = np.flatnonzero(own != before)
    if not differs.size or not set(WEEKDAYS) <= set(usual.columns):
        return factors
    changed = changed_openings(calendar, ids[np.unique(store[differs])], asked)
    weeks = usual[list(WEEKDAYS)].astype(str).to_numpy()
    pairs, first_of, pair = np.unique(code[differs], return_index=True, return_inverse=True)
    tails = np.stack([_evening_before_holds(weeks[store[differs[i]]], changed, ids[store[differs[i]]],
                                            days[differs[i]]) for i in first_of.tolist()])
    evening = tails[pair.ravel(), hour[differs]]
    factors[differs[evening]] = before[differs[evening]]
    return factors


COUNTED_ROW_COLUMNS = [C.store_id, "date", C.closed, C.hours, C.demand_factor]
"""What the demand model reads of a calendar row a count is read under (`counted_date_rows`)."""


def counted_date_rows(calendar: pd.DataFrame | None, usual: pd.DataFrame, counted: pd.DataFrame) -> pd.DataFrame:
    """The rows of the store `calendar` the counts of `counted` (store_id and date of each count) are read under by
    the demand model and the patience estimate (`counted_date_factors`, `planner.staff_hours.dated_open_share`): per
    store and date, the row in force (`date_exceptions`' precedence) where it changes something (closed, hours, or a
    demand factor other than 1), for each counted date, and for the day before one where the row changes that
    day's opening (closed, other hours), past midnight or not, or sets a factor alone and the store's usual hours
    (`usual`: store file rows) run that evening past midnight into the counted date. `COUNTED_ROW_COLUMNS` (hours
    '' where unchanged), sorted by store and date: what a plan's fingerprint holds of the calendar besides its own
    week's exceptions (`planner.digest.calendar_digest`)."""
    empty = pd.DataFrame({C.store_id: pd.Series(dtype=object), "date": pd.Series(dtype="datetime64[ns]"),
                          C.closed: pd.Series(dtype=bool), C.hours: pd.Series(dtype=object),
                          C.demand_factor: pd.Series(dtype=float)})
    if calendar is None or calendar.empty or counted.empty:
        return empty
    dates = pd.DatetimeIndex(pd.to_datetime(counted["date"])).normalize()
    days = dates.unique()
    asked = days.union(days - pd.Timedelta(days=1))
    if not pd.DatetimeIndex(pd.to_datetime(calendar[C.date])).normalize().isin(asked).any():
        return empty  # a calendar of dates no count was taken on (the dates to come): the common case, read at once
    keys = pd.DataFrame({C.store_id: counted[C.store_id].astype(str).to_numpy(), "date": dates}).drop_duplicates()
    found = date_exceptions(calendar, keys[C.store_id].unique(), asked)
    closed, hours = found[C.closed].astype(bool), found[C.hours].where(found[C.hours].notna(), None)
    opening = closed.to_numpy() | hours.notna().to_numpy()  # closed, or other hours
    changes = opening | (found[C.demand_factor].astype(float) != 1.0).to_numpy()
    found, opening = found[changes], opening[changes]
    if found.empty:
        return empty
    counted_pairs = pd.MultiIndex.from_frame(keys)
    own = pd.MultiIndex.from_arrays([found[C.store_id], found["date"]]).isin(counted_pairs)
    before = pd.MultiIndex.from_arrays([found[C.store_id], found["date"] + pd.Timedelta(days=1)]).isin(counted_pairs)
    weeks = ({} if not set(WEEKDAYS) <= set(usual.columns) else
             dict(zip(usual[S.store_id].astype(str), usual[list(WEEKDAYS)].astype(str).to_numpy().tolist())))
    # the counted date's hours are read under the week with the day before's opening changed (`dated_open_share`),
    # past midnight or not: an hour of no customers its usual opening does not hold is then left out as shut
    evening = [bool(runs) and (bool(other) or (store in weeks and _past_midnight(weeks[store][day.weekday()])))
               for runs, store, day, other in zip(before, found[C.store_id], found["date"], opening, strict=True)]
    read = found[own | np.array(evening, dtype=bool)]
    if read.empty:  # as the other ways out give it (a date column of another unit would key another fit)
        return empty
    return pd.DataFrame({
        C.store_id: read[C.store_id].astype(str).to_numpy(dtype=object),
        "date": pd.DatetimeIndex(read["date"]).normalize(),
        C.closed: read[C.closed].astype(bool).to_numpy(),
        C.hours: [text if isinstance(text, str) else "" for text in read[C.hours]],
        C.demand_factor: read[C.demand_factor].astype(float).to_numpy(),
    }).sort_values([C.store_id, "date"], ignore_index=True)


def _past_midnight(text: object) -> bool:
    """Whether an opening text ('18:00-02:00') runs past its midnight; False for none, closed or unreadable."""
    hours = parse_opening_hours(str(text)) if isinstance(text, str) else None
    return hours is not None and hours.close_minute > MINUTES_PER_DAY


def _evening_before_holds(week: Sequence[str], changed: Mapping, store_id: str, day: pd.Timestamp) -> np.ndarray:
    """Per clock hour of `day`, whether it belongs to the evening before's opening (run past midnight) and not to
    the day's own: each opening `changed`'s (`changed_openings`) where the calendar changes that date, else the
    usual one of `week` (a store's seven opening texts)."""
    held = np.zeros(HOURS_PER_DAY, dtype=bool)
    openings = []
    for date in (day - pd.Timedelta(days=1), day):
        text = changed.get((store_id, pd.Timestamp(date)), week[date.day_of_week])
        openings.append(parse_opening_hours(str(text)))
    evening, own = openings
    if evening is not None:
        held[[hour - HOURS_PER_DAY for hour in evening.open_hours() if hour >= HOURS_PER_DAY]] = True
    if own is not None:
        held[[hour for hour in own.open_hours() if hour < HOURS_PER_DAY]] = False
    return held


def merged_calendar(*calendars: pd.DataFrame | None) -> pd.DataFrame | None:
    """One store calendar (`CalendarSchema` rows) of `calendars` in order, a later row replacing an earlier one of the
    same store and date (the stored rows, then a file's over them: the calendar as the import keeps it); None when
    none holds a row. The one rule every reader of a calendar not stored yet merges by."""
    present = [frame[C.columns()] for frame in calendars if frame is not None and not frame.empty]
    if not present:
        return None
    both = pd.concat(present, ignore_index=True) if len(present) > 1 else present[0]
    return both.drop_duplicates([C.store_id, C.date], keep="last").reset_index(drop=True)


def stored_exceptions(rows: pd.DataFrame) -> pd.DataFrame:
    """The store calendar as the database keeps it (`planner.storage.load_calendar`'s rows: opens and closes apart)
    as `CalendarSchema` rows (hours as 'HH:MM-HH:MM', None where unchanged), unchecked: what the demand model reads
    the counted dates' hours from, without loading the file checks."""
    hours = [None if closed or opens is None else f"{opens}-{closes}"
             for closed, opens, closes in zip(rows["closed"].fillna(False), rows["opens"], rows["closes"])]
    return pd.DataFrame({
        C.store_id: rows["store_id"].astype(str), C.date: rows["date"],
        C.closed: rows["closed"].fillna(False).astype(bool), C.hours: pd.Series(hours, index=rows.index, dtype=object),
        C.demand_factor: rows["demand_factor"].fillna(1.0).astype(float), C.note: rows["note"].fillna("").astype(str),
    })


def dated_stores(stores: pd.DataFrame, exceptions: pd.DataFrame) -> pd.DataFrame:
    """`stores` with the week's opening hours: a closed date reads `closed`, changed hours replace the weekday's."""
    out = stores.copy()
    position = pd.Series(range(len(out)), index=out[S.store_id].astype(str).to_numpy())
    for row in exceptions.itertuples(index=False):
        if row.store_id not in position.index:
            continue
        column = WEEKDAYS[row.weekday]
        text = CLOSED if row.closed else row.hours
        if text is not None and not pd.isna(text):
            out.iloc[position[row.store_id], out.columns.get_loc(column)] = text
    return out


def calendar_overlaps(stores: pd.DataFrame, calendar: pd.DataFrame | None, weeks: Iterable[IsoWeek]) -> dict[str, str]:
    """store_id -> why the store cannot be planned for one of `weeks`, for each store of `stores` whose opening on
    a date of the week, with the `calendar`'s changed hours applied (`dated_stores`), runs past midnight into the
    next date's opening (the week's Sunday into its own Monday: a week is planned as a cycle), where one of the two
    openings is the calendar's: the hours both hold would be planned under one date only, silently. Rows stored
    before the calendar's check refused such hours; a store's usual hours that overlap are `unusable_stores`'."""
    found: dict[str, str] = {}
    for week in dict.fromkeys(weeks):
        exceptions = week_exceptions(calendar, stores[S.store_id].astype(str), week)
        changed = exceptions[~exceptions[C.closed].astype(bool) & exceptions[C.hours].notna()]
        if changed.empty:
            continue
        days = changed.groupby(C.store_id)["weekday"].agg(set)
        dated = dated_stores(stores[stores[S.store_id].astype(str).isin(days.index)], exceptions)
        for row in dated[[S.store_id, *WEEKDAYS]].to_dict("records"):
            store_id = str(row[S.store_id])
            week_hours = tuple(parse_opening_hours(str(row[day])) for day in WEEKDAYS)
            said = [_dated_overlap(overlap, week, row, days[store_id]) for overlap in opening_overlaps(week_hours)
                    if {overlap.day, overlap.next_day} & days[store_id]]
            if said and store_id not in found:
                found[store_id] = (f"{store_id} cannot be planned for {week}: with its calendar, "
                                   f"{ended('; '.join(words for words, _ in said))} {' '.join(fix for _, fix in said)} "
                                   f"{IMPORT_A_CORRECTED_STORE_CALENDAR.app}: it replaces the stored row of the same "
                                   "store and date.")
    return found


def estimation_stores(stores: pd.DataFrame, exceptions: pd.DataFrame) -> pd.DataFrame:
    """`stores` whose weekday hours span both their usual hours and every changed hours of `exceptions`, so that
    demand is estimated for every hour any planned date opens (closed dates change nothing here: the usual
    weekday's counts still shape the profile)."""
    out = stores.copy()
    position = pd.Series(range(len(out)), index=out[S.store_id].astype(str).to_numpy())
    changed = exceptions[~exceptions[C.closed].astype(bool) & exceptions[C.hours].notna()]
    for row in changed.itertuples(index=False):
        if row.store_id not in position.index:
            continue
        cell = (position[row.store_id], out.columns.get_loc(WEEKDAYS[row.weekday]))
        usual, extra = parse_opening_hours(str(out.iloc[cell])), parse_opening_hours(row.hours)
        if extra is None:
            continue
        if usual is not None:
            extra = OpeningHours(min(usual.open_minute, extra.open_minute), max(usual.close_minute, extra.close_minute))
            if extra.close_minute - extra.open_minute >= MINUTES_PER_DAY:
                # a whole day from the opening: 07:00-07:00 would read as opening and closing at once, so the span
                # stops a minute short, which keeps every hour of it (the last one open for its first 59 minutes)
                extra = OpeningHours(extra.open_minute, extra.open_minute + MINUTES_PER_DAY - 1)
        out.iloc[cell] = str(extra)
    return out


def business_days(stores: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per store, a 7 x 24 array of the business day (weekday 0-6) each clock hour belongs to under the stores'
    opening hours, -1 where closed. An hour open both as yesterday's tail and as today's opening is today's."""
    return {str(row[S.store_id]): opening_days([parse_opening_hours(row[day]) for day in WEEKDAYS])
            for row in stores[[S.store_id, *WEEKDAYS]].to_dict("records")}


def first_open_weekday(stores: pd.DataFrame, store_id: str, today: datetime.date) -> int:
    """The weekday (0 = Monday) a day view of `store_id` opens on: `today`'s where the store opens that day (by its
    weekday columns in `stores`), else the first after it that it opens; `today`'s for a store never open."""
    opened = set(business_days(stores[stores[S.store_id].astype(str) == str(store_id)])[str(store_id)].ravel().tolist())
    return next((day for step in range(DAYS_PER_WEEK) if (day := (today.weekday() + step) % DAYS_PER_WEEK) in opened),
                today.weekday())


def opening_days(week: Sequence[OpeningHours | None]) -> np.ndarray:
    """A 7 x 24 array of the weekday (0-6) whose opening in `week` (per weekday, None: closed) holds each clock hour,
    -1 where closed: the rule `business_days` applies to a store file's hours, for an opening already read."""
    days = np.full((DAYS_PER_WEEK, HOURS_PER_DAY), -1, dtype=np.int64)
    for tails_first in (True, False):
        for day, hours in enumerate(week):
            if hours is None:
                continue
            for hour in hours.open_hours():
                if (hour >= HOURS_PER_DAY) == tails_first:
                    days[(day + hour // HOURS_PER_DAY) % DAYS_PER_WEEK, hour % HOURS_PER_DAY] = day
    return days


def days_after_opening(clock_weekday, opening_weekday):
    """Days from the opening an hour belongs to to the day it falls on by the clock (weekdays 0-6, scalars or
    arrays): 0 on the opening's own day, 1 after its midnight. Counted round the week, so Sunday's night, on a Monday
    (weekday 0), is 1 day after Sunday, never -6. The one rule every view that files an hour after midnight under
    the evening before ("Fri 00:00+1") keys by, through `opening_key`."""
    return (np.asarray(clock_weekday) - np.asarray(opening_weekday)) % DAYS_PER_WEEK


def opening_key(clock_weekday, time_of_day, opening_weekday, per_day: int = HOURS_PER_DAY):
    """(weekday, time) of a clock time as the store opens: under `opening_weekday`, the weekday whose opening holds
    it (-1: none, when it keeps its clock weekday), its time of day (hours, or minutes with `per_day` 1,440) run on
    past that opening's midnight: Friday 10:00-01:00's Saturday 00:00 is (Friday, 24), which
    `planner.hours.hour_label` writes "00:00+1". Scalars or arrays, returned as arrays."""
    clock_weekday, opening_weekday = np.asarray(clock_weekday), np.asarray(opening_weekday)
    owner = np.where(opening_weekday >= 0, opening_weekday, clock_weekday)
    return owner, np.asarray(time_of_day) + per_day * days_after_opening(clock_weekday, owner)


def opening_minutes(week: Sequence[OpeningHours | None], minute_of_week) -> tuple[np.ndarray, np.ndarray]:
    """Per minute of the week (from Monday 00:00), `opening_key` in minutes under `week`'s openings
    (`opening_days`: the hour it starts in decides): the weekday whose opening holds it and the minute after that
    weekday's midnight (1,440 and up after it)."""
    minute = np.asarray(minute_of_week) % (DAYS_PER_WEEK * MINUTES_PER_DAY)
    owner = opening_days(week).ravel()[minute // 60]
    return opening_key(minute // MINUTES_PER_DAY, minute % MINUTES_PER_DAY, owner, per_day=MINUTES_PER_DAY)


def opening_labels(week: Sequence[OpeningHours | None], minute_of_week) -> list[str]:
    """Per minute of the week, its time as the store opens (`opening_minutes`): "Sat 19:00", or "Sun 00:00+1" for
    Sunday's opening past midnight (Monday 00:00 by the clock), as every view of a plan, schedule or roster says it."""
    owner, minute = opening_minutes(week, np.atleast_1d(minute_of_week))
    return [f"{WEEKDAY_NAMES[day]} {day_clock(time)}" for day, time in zip(owner.tolist(), minute.tolist())]


def business_week_rows(frame: pd.DataFrame, stores: pd.DataFrame) -> pd.DataFrame:
    """`frame` (store_id, weekday, hour, ...: a recommendation, a schedule's coverage, counted cells) keyed as the
    stores open: each hour under the weekday whose opening it belongs to, an hour after midnight numbered 24, 25, ...
    (`planner.hours.hour_label` writes "00:00+1"). Friday 10:00-01:00 is 15 hours of Friday; Saturday's 00:00 is not
    Saturday's. Rows of a store not in `stores`, and hours no opening holds, keep their clock keys."""
    return _keyed(frame, *_owners(frame, stores))


def hour_names(frame: pd.DataFrame, stores: pd.DataFrame) -> list[str]:
    """Per row of `frame` (store_id, weekday, hour: clock keys), the hour as the store opens, keyed as
    `business_week_rows` keys it: "Sat 19:00", or "Sun 00:00+1" for Sunday 18:00-02:00's Monday 00:00, as a message
    naming one hour of a plan says it."""
    keyed = business_week_rows(frame, stores)
    return [f"{WEEKDAY_NAMES[day]} {hour_label(hour)}"
            for day, hour in zip(keyed[D.weekday].tolist(), keyed[D.hour].tolist(), strict=True)]


def business_day_rows(frame: pd.DataFrame, stores: pd.DataFrame, store_id: str, weekday: int) -> pd.DataFrame:
    """`store_id`'s rows of `frame` for its opening on `weekday` (0 = Monday), keyed as `business_week_rows` keys
    them, in hour order: a day view (hours no opening holds are left out; a store not in `stores` keeps its clock
    day)."""
    rows = frame[frame[D.store_id] == store_id]
    owner, clock_day, hour = _owners(rows, stores)
    known = str(store_id) in set(stores[S.store_id].astype(str))
    mine = (owner == weekday) if known else (clock_day == weekday)
    return _keyed(rows[mine], owner[mine], clock_day[mine], hour[mine]).sort_values(D.hour)


def hour_dates(frame: pd.DataFrame, stores: pd.DataFrame, week: IsoWeek) -> tuple[np.ndarray, np.ndarray]:
    """Per row of `frame` (store_id, weekday, hour: clock keys of `week`), the date whose opening holds the hour (its
    business date) and the date it falls on by the clock, as `business_week_rows` keys them: an hour after midnight
    is a day after its opening's date, so Sunday 13 December 2026's 00:00+1 falls on Monday the 14th (next week), not
    on the week's own Monday the 7th its clock weekday 0 names. An hour no opening holds keeps its clock weekday's
    date for both."""
    keyed = business_week_rows(frame, stores)
    dates = np.array(week.dates(), dtype="datetime64[D]")
    business = dates[keyed[D.weekday].to_numpy(dtype=int)]
    clock = business + (keyed[D.hour].to_numpy(dtype=int) // HOURS_PER_DAY).astype("timedelta64[D]")
    return business.astype("datetime64[ns]"), clock.astype("datetime64[ns]")


def rows_by_opening(frame: pd.DataFrame, days: np.ndarray) -> pd.DataFrame:
    """`frame` (weekday, hour: one store's clock keys) keyed as `business_week_rows` keys them, under `days` (7 x 24,
    `opening_days` of the store's week): an hour after midnight under its opening's weekday, numbered 24 and up."""
    clock_day, hour = frame[D.weekday].to_numpy(dtype=int), frame[D.hour].to_numpy(dtype=int)
    return _keyed(frame, days[clock_day, hour], clock_day, hour)


def _keyed(frame: pd.DataFrame, owner: np.ndarray, clock_day: np.ndarray, hour: np.ndarray) -> pd.DataFrame:
    """`frame` under each row's opening weekday (its clock weekday where no opening holds it), hours after midnight
    numbered from 24."""
    weekday, hour = opening_key(clock_day, hour, owner)
    return frame.assign(**{D.weekday: weekday, D.hour: hour})


def _owners(frame: pd.DataFrame, stores: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of `frame`: the weekday whose opening holds its hour (-1: none, or a store not in `stores`), its
    clock weekday and its clock hour."""
    hours_known = set(WEEKDAYS) <= set(stores.columns)  # a frame of store ids alone: clock keys for all
    days = business_days(stores[stores[S.store_id].isin(frame[D.store_id].unique())]) if hours_known else {}
    clock_day, hour = frame[D.weekday].to_numpy(dtype=int), frame[D.hour].to_numpy(dtype=int)
    owner = np.full(len(frame), -1, dtype=np.int64)
    for store_id, table in days.items():
        mine = (frame[D.store_id].astype(str) == store_id).to_numpy()
        owner[mine] = table[clock_day[mine], hour[mine]]
    return owner, clock_day, hour


def dated_demand(demand: pd.DataFrame, week_stores: pd.DataFrame, exceptions: pd.DataFrame) -> pd.DataFrame:
    """The demand profile (`DemandSchema`) for one dated week: only the hours open that week (`week_stores`, from
    `dated_stores`), customers per hour scaled by the demand factor of the business day each hour belongs to. The
    staff then follow the queueing formulas at the scaled rates (not a linear scale of the staff). The customers
    lost at the counted staff are NA where a factor other than 1 applies: they were not counted on such a day."""
    day = business_day_of(week_stores, demand)
    factor = demand_factors(exceptions, demand[D.store_id], day)
    keep = day >= 0
    out = demand[keep].copy()
    factor = factor[keep]
    for column in RATE_COLUMNS:
        if column in out.columns:
            out[column] = out[column].astype("Float64") * factor
    if D.lost_customers_per_hour_at_current in out.columns:
        lost = out[D.lost_customers_per_hour_at_current].astype("Float64")
        out[D.lost_customers_per_hour_at_current] = lost.where(factor == 1.0)
    return out.reset_index(drop=True)


def business_day_of(week_stores: pd.DataFrame, frame: pd.DataFrame) -> np.ndarray:
    """For each row of `frame` (store_id, weekday, hour), the business day's weekday it belongs to (-1: closed)."""
    owner = business_days(week_stores)
    return np.array([owner[str(s)][int(w), int(h)] if str(s) in owner else -1
                     for s, w, h in zip(frame[D.store_id], frame[D.weekday], frame[D.hour])], dtype=np.int64)


def demand_factors(exceptions: pd.DataFrame, store_ids: Iterable[str], days: Iterable[int]) -> np.ndarray:
    """The demand factor of each (store, business weekday) pair under the week's `exceptions` (1 without one)."""
    factors = {(row.store_id, row.weekday): float(row.demand_factor) for row in exceptions.itertuples(index=False)}
    return np.array([factors.get((str(store), int(day)), 1.0) for store, day in zip(store_ids, days)], dtype=float)


def _dated_overlap(overlap: OpeningOverlap, week: IsoWeek, row: Mapping[str, object],
                   changed: set[int]) -> tuple[str, str]:
    """(what overlaps, how to mend it) for `overlap` in `week`'s dated openings `row`, the days the calendar
    changes (`changed`, weekdays) said as the calendar's hours, the others as the store's usual ones."""
    dates = week.dates()
    names = [f"{DAY_NAMES[day]} {dates[day].isoformat()}" for day in (overlap.day, overlap.next_day)]
    hours = [f"{row[WEEKDAYS[day]]} in the calendar" if day in changed else f"its usual {WEEKDAYS[day]} "
             f"{row[WEEKDAYS[day]]}" for day in (overlap.day, overlap.next_day)]
    words = overlap_message(overlap, *names, *hours)
    if overlap.next_day < overlap.day:  # Sunday's night, planned on the hours of the week's own Monday
        words += " (a week is planned as a cycle: its Sunday night lies on its Monday's hours)"
    return words, overlap_fix(overlap, *names)
