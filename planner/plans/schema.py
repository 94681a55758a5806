"""pandera models of a plan's frames. Dated frames extend the weekday frames they come from with `iso_week`
("2026-W50") and `date`: the calendar date of the hour, or for a shift the date whose opening it works in (as
`business_date` files an hour after midnight under the evening before). Times stay numbers: a shift's start, end and
break are minutes after midnight of its `date` (past 1,440 is after midnight: Saturday's 00:00-05:00 of a Saturday
07:00-05:00 opening is Saturday's 1,440-1,740).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from planner.schema_models import DemandSchema, _holds
from planner.shifts import NO_SHIFT_CAUSES, STATUSES
from planner.staffing.schema_models import StaffingSchema
from planner.targets import ESTIMATED, PATIENCE_NOTE, SETTING, SOURCE_SUFFIX, STORE_FILE, TARGET_NAMES, WHAT_IF

MINUTES_PER_DAY = 24 * 60


class DatedDemandSchema(DemandSchema):
    """Demand for the plan's dates: only hours open that date, customers scaled by the date's demand factor."""

    iso_week: Series[str]
    date: Series[pa.DateTime]
    business_date: Series[pa.DateTime]
    """The date whose opening the hour belongs to (an hour after midnight belongs to the evening before)."""
    demand_factor: Series[float] = pa.Field(gt=0)
    open_share: Series[float] = pa.Field(gt=0, le=1, nullable=True)
    """The share of the hour the doors are open that date, to the minute (0.5 for the 09:00 of an opening at 09:30:
    `planner.staff_hours.open_share`): the rates are customers per open hour, so the hour expects its rate times
    this many; missing in plans saved before plans kept it, whose hours count whole."""


class DatedStaffingSchema(StaffingSchema):
    """The requirement for the plan's dates: recommended staff per store, date and clock hour."""

    iso_week: Series[str]
    date: Series[pa.DateTime]
    open_minutes: Series[pd.Int64Dtype] = pa.Field(ge=1, le=60, nullable=True)
    """The minutes of the hour the store is open that date, in the schedule's half hours (30 for the 09:00 of an
    opening at 09:30: `planner.staff_hours`), by which the hour's staff count in the plan's staff-hours; missing in
    plans saved before plans kept it, whose hours count whole."""


class PlanShiftSchema(pa.DataFrameModel):
    """One row per shift pattern and date: `staff` people work it. `date` is the date of the opening it works in; a
    start after that date's midnight (up to a day later) is a shift of the opening's hours after midnight."""

    store_id: Series[str]
    iso_week: Series[str]
    date: Series[pa.DateTime]
    start_minute: Series[int] = pa.Field(ge=0, lt=2 * MINUTES_PER_DAY)
    end_minute: Series[int] = pa.Field(gt=0, le=3 * MINUTES_PER_DAY)
    break_start_minute: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    staff: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check(name="ends_after_it_starts")
    def ends_after_it_starts(cls, df: pd.DataFrame) -> Series[bool]:
        return df[cls.end_minute] > df[cls.start_minute]

    @pa.dataframe_check(name="break_inside_the_shift")
    def break_inside_the_shift(cls, df: pd.DataFrame) -> Series[bool]:
        brk = df[cls.break_start_minute]
        return _holds((brk > df[cls.start_minute]) & (brk < df[cls.end_minute]))


class PlanCoverageSchema(pa.DataFrameModel):
    """Per store, date and clock hour with a requirement or staff: required against scheduled staff (the fewest on
    the floor in the hour, breaks taken out); `under`/`over` in staff-hours."""

    store_id: Series[str]
    iso_week: Series[str]
    date: Series[pa.DateTime]
    weekday: Series[int] = pa.Field(ge=0, le=6)
    hour: Series[int] = pa.Field(ge=0, le=23)
    required_staff: Series[int] = pa.Field(ge=0)
    scheduled_staff: Series[int] = pa.Field(ge=0)
    under: Series[float] = pa.Field(ge=0)
    over: Series[float] = pa.Field(ge=0)

    class Config:
        strict = True
        ordered = True


class PlanScheduleSchema(pa.DataFrameModel):
    """One row per store and week: the optimiser's status, said as what it is, and the schedule's totals (NaN
    without a schedule)."""

    store_id: Series[str]
    iso_week: Series[str]
    status: Series[str] = pa.Field(isin=list(STATUSES))
    status_text: Series[str]
    paid_staff_hours: Series[float] = pa.Field(nullable=True)
    wage_cost: Series[float] = pa.Field(nullable=True)
    required_staff_hours: Series[float]
    least_paid_staff_hours: Series[float] = pa.Field(nullable=True)
    least_paid_proven: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    """Whether least_paid_staff_hours is proven the least (else only a lower bound); blank without a figure, and in
    a plan saved before it was kept."""
    excess_staff_hours: Series[float] = pa.Field(nullable=True)
    uncovered_staff_hours: Series[float] = pa.Field(nullable=True)
    objective: Series[float] = pa.Field(nullable=True)
    best_bound: Series[float] = pa.Field(nullable=True)
    relative_gap: Series[float] = pa.Field(nullable=True)
    solve_seconds: Series[float] = pa.Field(ge=0)
    no_shift_cause: Series[pd.StringDtype] = pa.Field(nullable=True, isin=list(NO_SHIFT_CAUSES))
    """Why the schedule has no shift where staff are required (`planner.shifts.report.NO_SHIFT_CAUSES`); blank where
    it has one or nothing is required, and in a plan saved before it was kept."""

    class Config:
        strict = True
        ordered = True


class PlanExplanationSchema(pa.DataFrameModel):
    store_id: Series[str]
    iso_week: Series[str]
    sentence: Series[str]

    class Config:
        strict = True
        ordered = True


class PlanExceptionSchema(pa.DataFrameModel):
    """The store calendar's exceptions the plan applied, per store and date (`planner.calendar.week_exceptions`)."""

    store_id: Series[str]
    date: Series[pa.DateTime]
    weekday: Series[int] = pa.Field(ge=0, le=6)
    closed: Series[bool]
    hours: Series[str] = pa.Field(nullable=True)
    demand_factor: Series[float] = pa.Field(gt=0)
    note: Series[str]
    source: Series[str] = pa.Field(isin=["store", "chain"])
    iso_week: Series[str]

    class Config:
        strict = True
        ordered = True


class PlanInputsSchema(pa.DataFrameModel):
    """The fingerprint of each store and week's inputs (`planner.plans.fingerprint.store_week_fingerprints`)."""

    store_id: Series[str]
    iso_week: Series[str]
    digest: Series[str]
    observation_rows: Series[int] = pa.Field(ge=0)
    last_observed_date: Series[str] = pa.Field(nullable=True)
    observations: Series[str]
    stores: Series[str]
    calendar: Series[str]
    settings: Series[str]

    class Config:
        strict = True
        ordered = True


TARGETS_SCHEMA = pa.DataFrameSchema(
    {"store_id": pa.Column(str),
     **{name: pa.Column(int if name == "min_staff" else float) for name in TARGET_NAMES},
     **{name + SOURCE_SUFFIX: pa.Column(str, pa.Check.isin([SETTING, STORE_FILE, WHAT_IF, ESTIMATED]))
        for name in TARGET_NAMES},
     PATIENCE_NOTE: pa.Column(str, required=False),  # plans saved before the note existed lack it
     "max_staff": pa.Column("Int64", nullable=True, required=False)},  # NA: no maximum, or saved before it was kept
    strict=True,
)
"""`planner.targets.resolve_targets`'s table: each store's targets and where each came from, and the store's
max_staff the plan was made with (plan_requirement.csv's likely range stops there, as My store's does)."""
