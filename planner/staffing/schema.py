"""`StaffingSchema`: the recommendation table, one row per store x weekday (0 = Monday) x opening hour.

It lives with the stage that makes it (schemas.py holds the frames of the earlier stages). Units as in
`DemandSchema`: customers per hour, staff minutes per customer, loads in Erlangs (staff kept busy), waits in seconds,
shares as fractions.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from planner.schemas import CONFIDENCE_LEVELS

MISSING = "missing"


class StaffingSchema(pa.DataFrameModel):
    """Recommended staff per store-hour, with the service expected at it and a sentence saying why.

    NA in a `missing` cell's estimates and recommendation (never counted, nothing to borrow). The `expected_*`
    columns and `utilisation` are at `required_staff` and at the load it was sized for: the hour's own customers
    plus, for long services, those from earlier hours still being served.
    """

    store_id: Series[str]
    weekday: Series[int] = pa.Field(ge=0, le=6)
    hour: Series[int] = pa.Field(ge=0, le=23)
    assisted_per_hour: Series[float] = pa.Field(ge=0, nullable=True)
    """Help-seekers per hour, those who gave up included."""
    self_service_per_hour: Series[float] = pa.Field(ge=0, nullable=True)
    assisted_minutes_mean: Series[float] = pa.Field(gt=0, nullable=True)
    touch_minutes_mean: Series[float] = pa.Field(ge=0, nullable=True)
    """Staff minutes per self-service customer."""
    offered_load_erlangs: Series[float] = pa.Field(ge=0, nullable=True)
    """Staff the hour's own work keeps busy: help-seekers' and touches' minutes per hour / 60."""
    required_staff: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    required_staff_low: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    """The recommendation at the optimistic end of every demand interval."""
    required_staff_high: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    """The recommendation at the pessimistic end of every demand interval."""
    expected_service_level: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    """Share of all help-seekers approached within the target wait (those who give up fail)."""
    expected_abandon_share: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    expected_wait_seconds: Series[float] = pa.Field(ge=0, nullable=True)
    """Mean wait of all help-seekers, until served or until they give up."""
    utilisation: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    """Busy share of the recommended staff, touches included."""
    confidence: Series[str] = pa.Field(isin=list(CONFIDENCE_LEVELS))
    current_staff: Series[float] = pa.Field(ge=0, nullable=True)
    lost_customers_per_hour_at_current: Series[float] = pa.Field(ge=0, nullable=True)
    safety_staff: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    """Staff added to what the estimated demand alone needs, so that the targets are met with the settings'
    `target_confidence` over what the demand could be (0 in a well-counted hour)."""
    chance_targets_met: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    """Share of plausible demands (the deciles of the demand's spread) under which `required_staff` meets every
    target."""
    explanation: Series[str]

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check(name="band_holds_the_recommendation")
    def band_holds_the_recommendation(cls, df: pd.DataFrame) -> Series[bool]:
        staff = df[cls.required_staff]
        inside = (df[cls.required_staff_low] <= staff) & (staff <= df[cls.required_staff_high])
        return inside.fillna(True).astype(bool)

    @pa.dataframe_check(name="recommendation_unless_missing")
    def recommendation_unless_missing(cls, df: pd.DataFrame) -> Series[bool]:
        return (df[cls.confidence] == MISSING) == df[cls.required_staff].isna()


