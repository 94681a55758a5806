"""pandera models of the frames in `planner.schemas`: each column's type and bounds, and the named checks the
validation report turns into plain words. A class here has the name of its columns' class there, whose `validate`
and `to_schema` load this module on first use; what each column means is written there.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from planner.access.ids import id_problem
from planner.schemas import (
    CONFIDENCE_LEVELS, MAX_CUSTOMERS_PER_HOUR, MAX_DEMAND_FACTOR, MAX_STAFF_MINUTES_PER_HOUR, MAX_STAFF_ON_DUTY,
    MINUTES_PER_HOUR, repeated_rows,
)
from planner.settings import EMPLOYEE_NUMBERS, FieldInfo, store_column_info


def _allowed(column: str, nullable: bool = False):
    """A store file number column's range check, `in_range` (the report's name for it), from the range its setting
    allows (`store_column_info`): the file, the flags and the settings share one set of limits."""
    return _in_range(store_column_info(column), nullable)


def _in_range(info: FieldInfo, nullable: bool = False):
    return pa.Field(in_range={"min_value": info.low, "max_value": info.high, "include_min": not info.low_open,
                              "include_max": not info.high_open}, nullable=nullable)


class ObservationSchema(pa.DataFrameModel):
    """The types and checks of `planner.schemas.ObservationSchema` (its columns, their meaning)."""

    store_id: Series[str]
    date: Series[pa.DateTime]
    hour: Series[pd.Int64Dtype] = pa.Field(ge=0, le=23)
    visitors: Series[pd.Int64Dtype] = pa.Field(ge=0, le=MAX_CUSTOMERS_PER_HOUR)
    assisted: Series[pd.Int64Dtype] = pa.Field(ge=0, le=MAX_CUSTOMERS_PER_HOUR)
    self_service: Series[pd.Int64Dtype] = pa.Field(ge=0, le=MAX_CUSTOMERS_PER_HOUR)
    assisted_minutes: Series[pd.Float64Dtype] = pa.Field(ge=0, le=MAX_STAFF_MINUTES_PER_HOUR)
    self_service_minutes: Series[pd.Float64Dtype] = pa.Field(ge=0, le=MAX_STAFF_MINUTES_PER_HOUR)
    staff_on_duty: Series[pd.Int64Dtype] = pa.Field(ge=0, le=MAX_STAFF_ON_DUTY, nullable=True)

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


class StoreSchema(pa.DataFrameModel):
    """The types and checks of `planner.schemas.StoreSchema` (its columns, their meaning)."""

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
    wage_per_hour: Series[pd.Float64Dtype] = _allowed("wage_per_hour")
    min_staff: Series[pd.Int64Dtype] = _allowed("min_staff")
    max_staff: Series[pd.Int64Dtype] = _allowed("max_staff")
    target_service_level: Series[pd.Float64Dtype] = _allowed("target_service_level", nullable=True)
    target_wait_seconds: Series[pd.Float64Dtype] = _allowed("target_wait_seconds", nullable=True)
    patience_minutes: Series[pd.Float64Dtype] = _allowed("patience_minutes", nullable=True)
    max_abandon_share: Series[pd.Float64Dtype] = _allowed("max_abandon_share", nullable=True)
    service_cv: Series[pd.Float64Dtype] = _allowed("service_cv", nullable=True)
    time_zone: Series[str] | None = pa.Field(nullable=True)
    """Optional: a frame made without it (a test's, a what-if's) still validates; the store file's check
    (`planner.io.stores`) says which names it takes."""

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

    @pa.dataframe_check(name="store_id_in_a_list")
    def store_id_in_a_list(cls, df: pd.DataFrame) -> Series[bool]:
        """A list of stores can name the id (`planner.access.ids`): any text without a separator."""
        return _holds(df[cls.store_id].map(lambda text: pd.isna(text) or id_problem(str(text)) is None,
                                           na_action=None))


class CalendarSchema(pa.DataFrameModel):
    """The types and checks of `planner.schemas.CalendarSchema` (its columns, their meaning)."""

    store_id: Series[str]
    date: Series[pa.DateTime]
    closed: Series[bool]
    hours: Series[str] = pa.Field(nullable=True)
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


class EmployeeSchema(pa.DataFrameModel):
    """The types and checks of `planner.schemas.EmployeeSchema` (its columns, their meaning)."""

    employee_id: Series[str]
    name: Series[str]
    store_id: Series[str]
    also_stores: Series[str]
    skills: Series[str]
    contract_hours_min: Series[float] = _in_range(EMPLOYEE_NUMBERS["contract_hours_min"])
    contract_hours_max: Series[float] = _in_range(EMPLOYEE_NUMBERS["contract_hours_max"])
    max_hours_per_day: Series[pd.Float64Dtype] = _in_range(EMPLOYEE_NUMBERS["max_hours_per_day"], nullable=True)
    wage_per_hour: Series[pd.Float64Dtype] = _in_range(EMPLOYEE_NUMBERS["wage_per_hour"], nullable=True)
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
    """The types and checks of `planner.schemas.AbsenceSchema` (its columns, their meaning)."""

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


class DemandSchema(pa.DataFrameModel):
    """The types and checks of `planner.schemas.DemandSchema` (its columns, their meaning)."""

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
    current_staff: Series[float] = pa.Field(ge=0, nullable=True)
    lost_customers_per_hour_at_current: Series[float] = pa.Field(ge=0, nullable=True)
    borrowed_from: Series[str]

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
