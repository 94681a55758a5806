"""The pandera model of `planner.staffing.schema.StaffingSchema`: each column's type and bounds and the table's
named checks; what each column means is written there.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from planner.schemas import CONFIDENCE_LEVELS
from planner.staffing.schema import MISSING


class StaffingSchema(pa.DataFrameModel):
    """The types and checks of `planner.staffing.schema.StaffingSchema` (its columns, their meaning)."""

    store_id: Series[str]
    weekday: Series[int] = pa.Field(ge=0, le=6)
    hour: Series[int] = pa.Field(ge=0, le=23)
    assisted_per_hour: Series[float] = pa.Field(ge=0, nullable=True)
    self_service_per_hour: Series[float] = pa.Field(ge=0, nullable=True)
    assisted_minutes_mean: Series[float] = pa.Field(gt=0, nullable=True)
    touch_minutes_mean: Series[float] = pa.Field(ge=0, nullable=True)
    offered_load_erlangs: Series[float] = pa.Field(ge=0, nullable=True)
    required_staff: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    required_staff_low: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    required_staff_high: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    expected_service_level: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    expected_abandon_share: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    expected_wait_seconds: Series[float] = pa.Field(ge=0, nullable=True)
    utilisation: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    confidence: Series[str] = pa.Field(isin=list(CONFIDENCE_LEVELS))
    current_staff: Series[float] = pa.Field(ge=0, nullable=True)
    lost_customers_per_hour_at_current: Series[float] = pa.Field(ge=0, nullable=True)
    safety_staff: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    chance_targets_met: Series[float] = pa.Field(ge=0, le=1, nullable=True)
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
