"""`SimulationSchema`: what a simulated store-week did to customers, one row per weekday x hour.

Every measure has a mean over all simulated weeks (customers pooled: the long-run figure a target is about), the
median week's figure `*_median`, and a band, `*_low` to `*_high`, holding the middle `SimulationRules.band_level` of
the weeks (how one week may turn out). The median lies inside the band; the pooled mean need not: a few much worse
weeks pull it below a band of 100%-100% (`planner.simulation.wording` says so wherever the figures are shown).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

MEASURES = ("service_level", "abandon_share", "mean_wait_seconds", "utilisation", "customers_lost")


class SimulationSchema(pa.DataFrameModel):
    """Customers are counted in the hour they arrived; NA where no help-seeker ever arrived in that hour."""

    store_id: Series[str]
    weekday: Series[int] = pa.Field(ge=0, le=6)
    hour: Series[int] = pa.Field(ge=0, le=23)
    staff: Series[float] = pa.Field(ge=0)
    """Mean staff on the floor in the hour (a 30-minute break shows as half a person)."""
    help_seekers_per_hour: Series[float] = pa.Field(ge=0)
    service_level: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    """Share of all help-seekers served within the target wait (those who gave up fail)."""
    service_level_median: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    service_level_low: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    service_level_high: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    abandon_share: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    abandon_share_median: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    abandon_share_low: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    abandon_share_high: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    mean_wait_seconds: Series[float] = pa.Field(ge=0, nullable=True)
    """Mean wait of all help-seekers, until served or until they gave up."""
    mean_wait_seconds_median: Series[float] = pa.Field(ge=0, nullable=True)
    mean_wait_seconds_low: Series[float] = pa.Field(ge=0, nullable=True)
    mean_wait_seconds_high: Series[float] = pa.Field(ge=0, nullable=True)
    utilisation: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    """Staff-minutes spent serving (touches included) over staff-minutes on the floor; NA without staff."""
    utilisation_median: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    utilisation_low: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    utilisation_high: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    customers_lost: Series[float] = pa.Field(ge=0)
    """Help-seekers who gave up waiting, per week in this hour."""
    customers_lost_median: Series[float] = pa.Field(ge=0)
    customers_lost_low: Series[float] = pa.Field(ge=0)
    customers_lost_high: Series[float] = pa.Field(ge=0)
    target_service_level: Series[float] = pa.Field(gt=0, lt=1)
    max_abandon_share: Series[float] = pa.Field(gt=0, lt=1)
    meets_target: Series[bool]
    """The mean service level reaches the target and the mean abandon share stays within its limit."""
    missed_week_share: Series[float] = pa.Field(ge=0, le=1)
    """The share of the simulated weeks in which the hour missed its targets (service level or abandon share)."""
    at_risk: Series[bool]
    """The hour misses its targets in more than `SimulationRules.at_risk_week_share` of the simulated weeks, or on
    average."""

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check(name="median_inside_the_band")
    def median_inside_the_band(cls, df: pd.DataFrame) -> Series[bool]:
        inside = [df[f"{m}_median"].between(df[f"{m}_low"], df[f"{m}_high"]) | df[f"{m}_median"].isna()
                  for m in MEASURES]
        return pd.concat(inside, axis=1).all(axis=1)
