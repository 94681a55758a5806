"""pandera models for every frame that crosses a module boundary; column names come from these classes.

`ObservationSchema.visitors` is the string "visitors": code refers to columns through the schema, never through
scattered literals. Checks are named: the validation report maps each check's name to a plain-words message.
Units: counts are customers (or staff) in the observed hour; `*_minutes` are staff minutes in that hour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from planner.hours import WEEKDAYS

MINUTES_PER_HOUR = 60

# What the database's columns hold: `planner.storage` sizes its tables from these, and validation checks every value
# against them, so a file SQLite accepts is a file PostgreSQL accepts.
STORE_ID_MAX_CHARS = 64
STORE_NAME_MAX_CHARS = 200
STORE_GROUP_MAX_CHARS = 100
"""Region and format."""
OPENING_HOURS_MAX_CHARS = 16
FILE_NAME_MAX_CHARS = 255
INTEGER_MAX = 2**31 - 1
"""The largest value of an SQL INTEGER column (32-bit), the type of every count and staff limit."""


class ObservationSchema(pa.DataFrameModel):
    """One row per store per observed clock hour, as counted on the floor."""

    store_id: Series[str]
    date: Series[pa.DateTime]
    hour: Series[pd.Int64Dtype] = pa.Field(ge=0, le=23)
    visitors: Series[pd.Int64Dtype] = pa.Field(ge=0)
    assisted: Series[pd.Int64Dtype] = pa.Field(ge=0)
    self_service: Series[pd.Int64Dtype] = pa.Field(ge=0)
    assisted_minutes: Series[pd.Float64Dtype] = pa.Field(ge=0)
    self_service_minutes: Series[pd.Float64Dtype] = pa.Field(ge=0)
    staff_on_duty: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)

    class Config:
        strict = "filter"
        ordered = False

    @pa.dataframe_check(name="customers_within_visitors")
    def customers_within_visitors(cls, df: pd.DataFrame) -> Series[bool]:
        return _holds(df[cls.assisted] + df[cls.self_service] <= df[cls.visitors])

    @pa.dataframe_check(name="minutes_within_staff_time")
    def minutes_within_staff_time(cls, df: pd.DataFrame) -> Series[bool]:
        minutes = df[cls.assisted_minutes] + df[cls.self_service_minutes]
        return _holds(minutes <= MINUTES_PER_HOUR * df[cls.staff_on_duty])

    @pa.dataframe_check(name="assisted_minutes_need_assisted")
    def assisted_minutes_need_assisted(cls, df: pd.DataFrame) -> Series[bool]:
        return _holds(~((df[cls.assisted_minutes] > 0) & (df[cls.assisted] == 0)))

    @pa.dataframe_check(name="touch_minutes_need_self_service")
    def touch_minutes_need_self_service(cls, df: pd.DataFrame) -> Series[bool]:
        return _holds(~((df[cls.self_service_minutes] > 0) & (df[cls.self_service] == 0)))

    @pa.dataframe_check(name="one_row_per_store_hour")
    def one_row_per_store_hour(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series(~repeated_rows(df, [cls.store_id, cls.date, cls.hour]), index=df.index)


OBSERVATION_KEY = [ObservationSchema.store_id, ObservationSchema.date, ObservationSchema.hour]
OBSERVATION_COUNTS = [
    ObservationSchema.hour,
    ObservationSchema.visitors,
    ObservationSchema.assisted,
    ObservationSchema.self_service,
    ObservationSchema.staff_on_duty,
]
OBSERVATION_MINUTES = [ObservationSchema.assisted_minutes, ObservationSchema.self_service_minutes]
OBSERVATION_OPTIONAL = [ObservationSchema.staff_on_duty]


class StoreSchema(pa.DataFrameModel):
    """One row per store: who it is, when it opens, what staff cost, and any overrides of the service targets."""

    store_id: Series[str]
    name: Series[str]
    region: Series[str]
    format: Series[str]
    mon: Series[str]
    tue: Series[str]
    wed: Series[str]
    thu: Series[str]
    fri: Series[str]
    sat: Series[str]
    sun: Series[str]
    wage_per_hour: Series[pd.Float64Dtype] = pa.Field(gt=0)
    min_staff: Series[pd.Int64Dtype] = pa.Field(ge=0)
    max_staff: Series[pd.Int64Dtype] = pa.Field(ge=1)
    target_service_level: Series[pd.Float64Dtype] = pa.Field(gt=0, lt=1, nullable=True)
    target_wait_seconds: Series[pd.Float64Dtype] = pa.Field(ge=0, nullable=True)
    patience_minutes: Series[pd.Float64Dtype] = pa.Field(gt=0, nullable=True)
    max_abandon_share: Series[pd.Float64Dtype] = pa.Field(gt=0, lt=1, nullable=True)
    service_cv: Series[pd.Float64Dtype] = pa.Field(gt=0, nullable=True)
    """Coefficient of variation (sd / mean) of the store's service times in the simulation; blank: the setting
    `SimulationRules.service_cv`."""

    class Config:
        strict = "filter"
        ordered = False

    @pa.dataframe_check(name="min_staff_within_max_staff")
    def min_staff_within_max_staff(cls, df: pd.DataFrame) -> Series[bool]:
        return _holds(df[cls.min_staff] <= df[cls.max_staff])

    @pa.dataframe_check(name="one_row_per_store")
    def one_row_per_store(cls, df: pd.DataFrame) -> Series[bool]:
        ids = df[cls.store_id]
        return ~(ids.duplicated(keep=False) & ids.notna())


STORE_TEXT = [StoreSchema.store_id, StoreSchema.name, StoreSchema.region, StoreSchema.format]
TEXT_MAX_CHARS = {
    StoreSchema.store_id: STORE_ID_MAX_CHARS,
    StoreSchema.name: STORE_NAME_MAX_CHARS,
    StoreSchema.region: STORE_GROUP_MAX_CHARS,
    StoreSchema.format: STORE_GROUP_MAX_CHARS,
}
"""Most characters each text column of the store and observation files may hold (the database column's size)."""
STORE_HOURS = list(WEEKDAYS)
STORE_COUNTS = [StoreSchema.min_staff, StoreSchema.max_staff]
STORE_NUMBERS = [
    StoreSchema.wage_per_hour,
    StoreSchema.target_service_level,
    StoreSchema.target_wait_seconds,
    StoreSchema.patience_minutes,
    StoreSchema.max_abandon_share,
    StoreSchema.service_cv,
]
STORE_OPTIONAL = [
    StoreSchema.target_service_level,
    StoreSchema.target_wait_seconds,
    StoreSchema.patience_minutes,
    StoreSchema.max_abandon_share,
    StoreSchema.service_cv,
]
STORE_ADDED_LATER = [StoreSchema.service_cv]
"""Optional store columns added after plans were first saved: a plan's store digest leaves them out while blank, so
plans made before they existed stay as made."""


CHAIN_WIDE = "*"
"""The store_id of a store calendar row that applies to every store without its own row for that date."""
MAX_DEMAND_FACTOR = 20.0
"""The largest demand factor a store calendar may give a date (20 x the usual day)."""
NOTE_MAX_CHARS = 200


class CalendarSchema(pa.DataFrameModel):
    """Store calendar exceptions, one row per store (or `CHAIN_WIDE`) and date: closed, changed opening hours (the
    business day's, `HH:MM-HH:MM`, a close past midnight belonging to that date) and a demand factor scaling that
    business day's customers (1 = as usual)."""

    store_id: Series[str]
    date: Series[pa.DateTime]
    closed: Series[bool]
    hours: Series[str] = pa.Field(nullable=True)
    """Changed opening hours; None keeps the store file's hours for that weekday."""
    demand_factor: Series[float] = pa.Field(gt=0, le=MAX_DEMAND_FACTOR)
    note: Series[str]

    class Config:
        strict = "filter"
        ordered = False

    @pa.dataframe_check(name="one_row_per_store_date")
    def one_row_per_store_date(cls, df: pd.DataFrame) -> Series[bool]:
        key = df[[cls.store_id, cls.date]]
        return ~(key.duplicated(keep=False) & key.notna().all(axis=1))

    @pa.dataframe_check(name="closed_has_no_hours")
    def closed_has_no_hours(cls, df: pd.DataFrame) -> Series[bool]:
        return _holds(~(df[cls.closed].astype("boolean") & df[cls.hours].notna()))


EMPLOYEE_ID_MAX_CHARS = 64
PERSON_NAME_MAX_CHARS = 200
LIST_MAX_CHARS = 500
"""A list cell of the employee file (`also_stores`, `skills`), items separated by `;` or `,`."""
AVAILABILITY_MAX_CHARS = 100
"""One weekday's availability: up to about eight windows such as `09:00-13:00;17:00-21:00`."""
DAYS_LIST_MAX_CHARS = 40
ABSENCE_REASON_MAX_CHARS = 200
PREFERENCES = ("early", "late")
"""What `prefers` may say: `planner.roster.people`'s PREFER_EARLY and PREFER_LATE (a test checks they agree), written
here so that checking an employee file does not load the roster package."""


class EmployeeSchema(pa.DataFrameModel):
    """One row per employee (`planner.io.employees`), normalised: lists as `a;b` text (empty: none), availability
    per weekday as `HH:MM-HH:MM;...` (a window ending at or before its start runs past midnight), `off`, or empty
    for any time. Hours are per week unless the name says per day; `None` hours and wage take the defaults (the
    labour rules' daily maximum, the home store's wage)."""

    employee_id: Series[str]
    name: Series[str]
    store_id: Series[str]
    also_stores: Series[str]
    skills: Series[str]
    contract_hours_min: Series[float] = pa.Field(ge=0)
    contract_hours_max: Series[float] = pa.Field(gt=0)
    max_hours_per_day: Series[pd.Float64Dtype] = pa.Field(gt=0, le=24, nullable=True)
    wage_per_hour: Series[pd.Float64Dtype] = pa.Field(gt=0, nullable=True)
    mon: Series[str]
    tue: Series[str]
    wed: Series[str]
    thu: Series[str]
    fri: Series[str]
    sat: Series[str]
    sun: Series[str]
    preferred_days_off: Series[str]
    prefers: Series[str]

    class Config:
        strict = "filter"
        ordered = False

    @pa.dataframe_check(name="one_row_per_employee")
    def one_row_per_employee(cls, df: pd.DataFrame) -> Series[bool]:
        ids = df[cls.employee_id]
        return ~(ids.duplicated(keep=False) & ids.notna())

    @pa.dataframe_check(name="contract_min_within_max")
    def contract_min_within_max(cls, df: pd.DataFrame) -> Series[bool]:
        return _holds(df[cls.contract_hours_min] <= df[cls.contract_hours_max])


class AbsenceSchema(pa.DataFrameModel):
    """One row per absence: the person works no shift starting on a date from `first_day` to `last_day`."""

    employee_id: Series[str]
    first_day: Series[pa.DateTime]
    last_day: Series[pa.DateTime]
    reason: Series[str]

    class Config:
        strict = "filter"
        ordered = False

    @pa.dataframe_check(name="ends_on_or_after_start")
    def ends_on_or_after_start(cls, df: pd.DataFrame) -> Series[bool]:
        return _holds(df[cls.first_day] <= df[cls.last_day])

    @pa.dataframe_check(name="one_row_per_employee_day")
    def one_row_per_employee_day(cls, df: pd.DataFrame) -> Series[bool]:
        key = df[[cls.employee_id, cls.first_day]]
        return ~(key.duplicated(keep=False) & key.notna().all(axis=1))


CONFIDENCE_LEVELS = ("high", "low", "missing")


class DemandSchema(pa.DataFrameModel):
    """Demand per store x weekday (0 = Monday) x clock hour, for every hour the store is open (`planner.demand`).

    Rates are customers per hour; minutes are staff minutes per customer. `*_low`/`*_high` bound a 90% interval
    (the level is `DemandRules.interval_level`). `assisted_per_hour` counts everyone who WANTED help, including those
    who gave up waiting and were tallied as self-service (the censoring correction); `self_service_per_hour` has
    them taken out again. A `missing` cell has NA estimates, never 0.
    """

    store_id: Series[str]
    weekday: Series[int] = pa.Field(ge=0, le=6)
    hour: Series[int] = pa.Field(ge=0, le=23)
    observed_hours: Series[int] = pa.Field(ge=0)
    confidence: Series[str] = pa.Field(isin=list(CONFIDENCE_LEVELS))
    visitors_per_hour: Series[float] = pa.Field(ge=0, nullable=True)
    assisted_per_hour: Series[float] = pa.Field(ge=0, nullable=True)
    assisted_per_hour_low: Series[float] = pa.Field(ge=0, nullable=True)
    assisted_per_hour_high: Series[float] = pa.Field(ge=0, nullable=True)
    self_service_per_hour: Series[float] = pa.Field(ge=0, nullable=True)
    self_service_per_hour_low: Series[float] = pa.Field(ge=0, nullable=True)
    self_service_per_hour_high: Series[float] = pa.Field(ge=0, nullable=True)
    assisted_minutes_mean: Series[float] = pa.Field(gt=0, nullable=True)
    assisted_minutes_low: Series[float] = pa.Field(gt=0, nullable=True)
    assisted_minutes_high: Series[float] = pa.Field(gt=0, nullable=True)
    touch_minutes_mean: Series[float] = pa.Field(ge=0, nullable=True)
    touch_minutes_low: Series[float] = pa.Field(ge=0, nullable=True)
    touch_minutes_high: Series[float] = pa.Field(ge=0, nullable=True)
    observed_assisted_per_hour: Series[float] = pa.Field(ge=0, nullable=True)
    """Help-seekers actually served per hour, as counted (before the censoring correction)."""
    current_staff: Series[float] = pa.Field(ge=0, nullable=True)
    """Mean staff_on_duty in the observed hours; NA when the counts never gave it."""
    lost_customers_per_hour_at_current: Series[float] = pa.Field(ge=0, nullable=True)
    """Help-seekers per hour estimated to give up waiting at the current staff; NA without staff_on_duty."""
    borrowed_from: Series[str]
    """Where the hour's profile comes from: "own counts", or the stores it was borrowed from ("3 fashion stores",
    "the chain's 8 stores"); for a missing cell, why there is no estimate."""

    class Config:
        strict = True
        ordered = False

    @pa.dataframe_check(name="intervals_hold_their_estimate")
    def intervals_hold_their_estimate(cls, df: pd.DataFrame) -> Series[bool]:
        ok = pd.Series(True, index=df.index)
        for mean, low, high in (
            (cls.assisted_per_hour, cls.assisted_per_hour_low, cls.assisted_per_hour_high),
            (cls.self_service_per_hour, cls.self_service_per_hour_low, cls.self_service_per_hour_high),
            (cls.assisted_minutes_mean, cls.assisted_minutes_low, cls.assisted_minutes_high),
            (cls.touch_minutes_mean, cls.touch_minutes_low, cls.touch_minutes_high),
        ):
            ok &= _holds((df[low] <= df[mean] + 1e-9) & (df[mean] <= df[high] + 1e-9))
        return ok

    @pa.dataframe_check(name="missing_means_no_estimate")
    def missing_means_no_estimate(cls, df: pd.DataFrame) -> Series[bool]:
        missing = df[cls.confidence] == "missing"
        return ~missing | df[cls.assisted_per_hour].isna()


def _holds(condition: pd.Series) -> pd.Series:
    """A rule holds where it is true, and where a cell it needs is missing (that cell is reported on its own)."""
    return condition.astype("boolean").fillna(True).astype(bool)


def repeated_rows(frame: pd.DataFrame, key: list[str]) -> np.ndarray:
    """Per row of `frame`: does another row have the same values in every column of `key`, all of them present?
    (What `frame[key].duplicated(keep=False)` on the complete rows says.) One integer per row and a sort, so that
    millions of rows cost a few arrays of them, not a hash table per column."""
    combined = np.zeros(len(frame), dtype=np.int64)
    complete = np.ones(len(frame), dtype=bool)
    size = 1
    for column in key:
        codes, uniques = pd.factorize(frame[column])
        if size * (len(uniques) + 1) >= 2**62:  # renumber the combination so far before it could overflow
            combined, seen = pd.factorize(combined)
            size = len(seen)
        complete &= codes >= 0
        codes += 1  # a missing value (code -1) becomes 0, no present value's code
        combined *= len(uniques) + 1
        combined += codes
        size *= len(uniques) + 1
        del codes
    rows = np.arange(len(frame)) if complete.all() else np.flatnonzero(complete)
    order = rows[np.argsort(combined[rows], kind="stable")]
    ordered = combined[order]
    del combined
    same = ordered[1:] == ordered[:-1]
    repeated = np.zeros(len(frame), dtype=bool)
    repeated[order[1:][same]] = True
    repeated[order[:-1][same]] = True
    return repeated

