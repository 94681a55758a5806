"""The columns of every frame that crosses a module boundary; column names come from these classes.

`ObservationSchema.visitors` is the string "visitors": code refers to columns through the schema, never through
scattered literals. Each class's types and named checks are the pandera model of the same name in
`planner.schema_models` (`ObservationSchema.validate(frame)`), loaded on first use (`Columns`); the validation report
maps each check's name to a plain-words message.
Units: counts are customers (or staff) in the observed hour; `*_minutes` are staff minutes in that hour.
"""

from __future__ import annotations

import importlib
from typing import ClassVar

import numpy as np
import pandas as pd

from planner.hours import WEEKDAYS
from planner.weeks import DATE_YEARS as DATE_YEARS  # re-exported: the years every date column may have

MINUTES_PER_HOUR = 60

# What the database's columns hold: `planner.storage` sizes its tables from these, and validation checks every value
# against them, so a file SQLite accepts is a file PostgreSQL accepts.
STORE_ID_MAX_CHARS = 64
STORE_NAME_MAX_CHARS = 200
STORE_GROUP_MAX_CHARS = 100
"""Region and format."""
TIME_ZONE_MAX_CHARS = 64
"""A store's time zone: an IANA name, the longest of which (America/Argentina/ComodRivadavia) has 32 characters."""
OPENING_HOURS_MAX_CHARS = 16
FILE_NAME_MAX_CHARS = 255
INTEGER_MAX = 2**31 - 1
"""The largest value of an SQL INTEGER column (32-bit), the type of every count and staff limit."""

# What one hour's count can hold: beyond these a value is a typing slip, not a busy hour. Let in, one such count
# stretches the chain's pooled hour curves toward it (46 million visitors in one hour of one store overflowed every
# store's estimate), so validation stops it as an error.
MAX_CUSTOMERS_PER_HOUR = 10_000
"""Most visitors (and so assisted or self-service customers) one hour's count may hold: about three a second through
the door all hour, more than a store's busiest hour brings and more than a person counting by hand can tally."""
MAX_STAFF_ON_DUTY = 1_000
"""Most staff on the floor in one counted hour."""
MAX_STAFF_MINUTES_PER_HOUR = MINUTES_PER_HOUR * MAX_STAFF_ON_DUTY
"""Most staff minutes (assisted or self-service) one counted hour may hold: every one of `MAX_STAFF_ON_DUTY` staff
busy all hour."""


class Columns:
    """A frame's columns: each annotated attribute of a subclass holds its own name (`ObservationSchema.visitors ==
    "visitors"`; the annotation marks a column's name, not its type), and `columns()` lists them in order. The types and checks are the pandera model of the same name
    in the module `_models` (`validate`, `to_schema`), imported on first use: a command that only reads names never
    loads pandera (a quarter of a second of every cold start; `bench/bench_recommend.py`)."""

    _models: ClassVar[str] = "planner.schema_models"

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls.__dict__.get("__annotations__", {}):
            setattr(cls, name, name)

    @classmethod
    def columns(cls) -> list[str]:
        """The column names in order, a parent's first."""
        names: dict[str, None] = {}
        for klass in reversed(cls.__mro__):
            if klass is Columns or not issubclass(klass, Columns):
                continue
            names.update(dict.fromkeys(klass.__dict__.get("__annotations__", {})))
        return list(names)

    @classmethod
    def model(cls) -> type:
        """The pandera model of this frame (`pandera.pandas.DataFrameModel`)."""
        return getattr(importlib.import_module(cls._models), cls.__name__)

    @classmethod
    def validate(cls, frame: pd.DataFrame, **options) -> pd.DataFrame:
        """`frame` checked against the model (pandera's `validate`, its options passed on)."""
        return cls.model().validate(frame, **options)

    @classmethod
    def to_schema(cls):
        """The model's `pandera.pandas.DataFrameSchema`."""
        return cls.model().to_schema()



class ObservationSchema(Columns):
    """One row per store per observed clock hour, as counted on the floor."""

    store_id: str
    date: str
    hour: str
    visitors: str
    assisted: str
    self_service: str
    assisted_minutes: str
    self_service_minutes: str
    staff_on_duty: str


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


class StoreSchema(Columns):
    """One row per store: who it is, when it opens, what staff cost, and any overrides of the service targets."""

    store_id: str
    name: str
    region: str
    format: str
    mon: str
    tue: str
    wed: str
    thu: str
    fri: str
    sat: str
    sun: str
    wage_per_hour: str
    min_staff: str
    max_staff: str
    target_service_level: str
    target_wait_seconds: str
    patience_minutes: str
    max_abandon_share: str
    service_cv: str
    """Coefficient of variation (sd / mean) of the store's service times in the simulation; blank: the setting
    `SimulationRules.service_cv`."""
    time_zone: str
    """The IANA time zone the store's clock keeps ("Europe/London"), which its calendar files state; blank: the
    setting `ChainRules.time_zone`. Text or None; no plan reads it, a roster pays a night across a change of the
    clocks by it."""


STORE_TEXT = [StoreSchema.store_id, StoreSchema.name, StoreSchema.region, StoreSchema.format]
TEXT_MAX_CHARS = {
    StoreSchema.store_id: STORE_ID_MAX_CHARS,
    StoreSchema.name: STORE_NAME_MAX_CHARS,
    StoreSchema.region: STORE_GROUP_MAX_CHARS,
    StoreSchema.format: STORE_GROUP_MAX_CHARS,
    StoreSchema.time_zone: TIME_ZONE_MAX_CHARS,
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
STORE_NOT_PLANNED = [StoreSchema.time_zone]
"""Store columns no plan or schedule is made with (calendar files and rosters read the time zone): a plan's store
digest leaves them out whatever they hold, so setting them puts no plan out of date."""


CHAIN_WIDE = "*"
"""The store_id of a store calendar row that applies to every store without its own row for that date."""
MAX_DEMAND_FACTOR = 20.0
"""The largest demand factor a store calendar may give a date (20 x the usual day)."""
NOTE_MAX_CHARS = 200


class CalendarSchema(Columns):
    """Store calendar exceptions, one row per store (or `CHAIN_WIDE`) and date: closed, changed opening hours (the
    business day's, `HH:MM-HH:MM`, a close past midnight belonging to that date) and a demand factor scaling that
    business day's customers (1 = as usual)."""

    store_id: str
    date: str
    closed: str
    hours: str
    """Changed opening hours; None keeps the store file's hours for that weekday."""
    demand_factor: str
    note: str


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


class EmployeeSchema(Columns):
    """One row per employee (`planner.io.employees`), normalised: lists as `a;b` text (empty: none), availability
    per weekday as `HH:MM-HH:MM;...` (a window ending at or before its start runs past midnight), `off`, or empty
    for any time. Hours are per week unless the name says per day; `None` hours and wage take the defaults (the
    labour rules' daily maximum, the home store's wage)."""

    employee_id: str
    name: str
    store_id: str
    also_stores: str
    skills: str
    contract_hours_min: str
    contract_hours_max: str
    max_hours_per_day: str
    wage_per_hour: str
    mon: str
    tue: str
    wed: str
    thu: str
    fri: str
    sat: str
    sun: str
    preferred_days_off: str
    prefers: str


class AbsenceSchema(Columns):
    """One row per absence: the person works no shift of a date's opening from `first_day` to `last_day` (its
    hours past midnight included)."""

    employee_id: str
    first_day: str
    last_day: str
    reason: str


CONFIDENCE_LEVELS = ("high", "low", "missing")


class DemandSchema(Columns):
    """Demand per store x weekday (0 = Monday) x clock hour, for every hour the store is open (`planner.demand`).

    Rates are customers per open hour (an hour open for part of it, the 09:00 of an opening at 09:30, brings its rate
    times that part: `planner.staff_hours.open_share`); minutes are staff minutes per customer. `*_low`/`*_high`
    bound a 90% interval (the level is `DemandRules.interval_level`). `assisted_per_hour` counts everyone who WANTED
    help, including those who gave up waiting and were tallied as self-service (the censoring correction);
    `self_service_per_hour` has them taken out again. A `missing` cell has NA estimates, never 0.
    """

    store_id: str
    weekday: str
    hour: str
    observed_hours: str
    confidence: str
    visitors_per_hour: str
    assisted_per_hour: str
    assisted_per_hour_low: str
    assisted_per_hour_high: str
    self_service_per_hour: str
    self_service_per_hour_low: str
    self_service_per_hour_high: str
    assisted_minutes_mean: str
    assisted_minutes_low: str
    assisted_minutes_high: str
    touch_minutes_mean: str
    touch_minutes_low: str
    touch_minutes_high: str
    observed_assisted_per_hour: str
    """Help-seekers actually served per hour, as counted (before the censoring correction)."""
    current_staff: str
    """Mean staff_on_duty in the observed hours; NA when the counts never gave it."""
    lost_customers_per_hour_at_current: str
    """Help-seekers per hour estimated to give up waiting at the current staff; NA without staff_on_duty."""
    borrowed_from: str
    """Where the hour's profile comes from: "own counts", or the stores it was borrowed from ("3 fashion stores",
    "the chain's 8 stores"); for a missing cell, why there is no estimate."""


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

