"""What the observations cover: per store, which weekday x opening-hour cells were counted, and summaries per cell.

Weekday 0 = Monday; hour = the clock hour starting then. An hour after midnight belongs to the calendar day it falls
on (a Friday opening until 01:00 has its last hour on Saturday, hour 0).
"""

from __future__ import annotations

import pandas as pd

from planner.hours import WEEKDAY_NAMES, is_open_during_hour
from planner.io.stores import opening_week
from planner.schemas import ObservationSchema as O, StoreSchema as S

HOURS = range(24)


def opening_cells(store_frame: pd.DataFrame) -> pd.DataFrame:
    """One row per store x weekday x clock hour in which the store is open: store_id, weekday, hour."""
    rows = [
        (store, weekday, hour)
        for store, week in opening_week(store_frame).items()
        for weekday in range(7)
        for hour in HOURS
        if is_open_during_hour(week, weekday, hour)
    ]
    return pd.DataFrame(rows, columns=[S.store_id, "weekday", O.hour])


def cell_summary(observations: pd.DataFrame, store_frame: pd.DataFrame) -> pd.DataFrame:
    """Per store x weekday x hour (open cells and any observed cell): observed_hours, visitors_per_hour (mean),
    assisted_share (assisted / visitors over all observed hours), open (bool)."""
    obs = observations.assign(weekday=observations[O.date].dt.day_of_week)
    grouped = obs.groupby([O.store_id, "weekday", O.hour]).agg(
        observed_hours=(O.visitors, "size"),
        visitors=(O.visitors, "sum"),
        assisted=(O.assisted, "sum"),
    )
    cells = opening_cells(store_frame).assign(open=True).set_index([S.store_id, "weekday", O.hour])
    summary = cells.join(grouped, how="outer").reset_index()
    summary["open"] = summary["open"].fillna(False).astype(bool)
    summary["observed_hours"] = summary["observed_hours"].fillna(0).astype(int)
    hours = summary["observed_hours"].where(summary["observed_hours"] > 0)
    summary["visitors_per_hour"] = summary["visitors"].astype(float) / hours
    summary["assisted_share"] = summary["assisted"].astype(float) / summary["visitors"].astype(float).where(
        summary["visitors"] > 0
    )
    summary["weekday_name"] = summary["weekday"].map(dict(enumerate(WEEKDAY_NAMES)))
    return summary.drop(columns=["visitors", "assisted"])


def store_coverage(observations: pd.DataFrame, store_frame: pd.DataFrame) -> pd.DataFrame:
    """Per store: observed_hours, first_date, last_date, open_cells (weekday x opening hour), observed_cells, and
    observed_share = observed_cells / open_cells."""
    cells = cell_summary(observations, store_frame)
    open_cells = cells[cells["open"]]
    per_store = open_cells.groupby(S.store_id).agg(
        open_cells=("open", "size"), observed_cells=("observed_hours", lambda n: int((n > 0).sum()))
    )
    dates = observations.groupby(O.store_id).agg(
        observed_hours=(O.hour, "size"), first_date=(O.date, "min"), last_date=(O.date, "max")
    )
    table = store_frame[[S.store_id, S.name, S.region, S.format]].set_index(S.store_id).join(per_store).join(dates)
    table["observed_hours"] = table["observed_hours"].fillna(0).astype(int)
    table["observed_share"] = table["observed_cells"] / table["open_cells"]
    return table.reset_index()
