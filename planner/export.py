"""Frames to CSV with documented columns. Cells that a spreadsheet would run as a formula are escaped."""

from __future__ import annotations

import pandas as pd

from planner.schemas import ObservationSchema as O
from planner.storage import OBSERVATION_COLUMNS

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def observations_csv(frame: pd.DataFrame) -> str:
    """Observations in the upload format (so an export can be imported again): one row per store and hour."""
    out = frame[OBSERVATION_COLUMNS].copy()
    out[O.date] = out[O.date].dt.strftime("%Y-%m-%d")
    return escape_formulas(out).to_csv(index=False, lineterminator="\n")


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells starting with = + - @ with a quote, so spreadsheets show them instead of running them."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            text = out[column].astype(str)
            risky = text.str.startswith(_FORMULA_STARTS) & out[column].notna()
            out[column] = text.where(~risky, "'" + text).where(out[column].notna())
    return out
