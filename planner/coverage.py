"""What the observations cover: per store, which weekday x opening-hour cells were counted, and summaries per cell.

Weekday 0 = Monday; hour = the clock hour starting then. An hour after midnight belongs to the calendar day it falls
on (a Friday opening until 01:00 has its last hour on Saturday, hour 0).

Per-store coverage needs only which hours of which dates were counted, one row per store and date (`counted_days`:
observed_hours and hour_mask, bit h set when hour h was counted), which the database can also return directly
(`planner.storage.load_counted_days`), so a chain of thousands of stores never loads every counted hour for it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.calendar import business_week_rows
from planner.hours import MINUTES_PER_DAY, WEEKDAY_NAMES, WEEKDAYS, end_clock, hour_label, parse_opening_hours
from planner.schemas import ObservationSchema as O, StoreSchema as S
from planner.storage.tables import COUNTED_DAY_COLUMNS

HOURS = range(24)
HOURS_NOT_OBSERVED = "hours never observed"


def open_matrix(store_frame: pd.DataFrame) -> tuple[list[str], np.ndarray]:
    """Store ids, and per store x weekday x clock hour whether the store is open at some time in that hour
    (`planner.hours.is_open_during_hour` for every cell at once): a bool array of shape (stores, 7, 24)."""
    texts = store_frame[list(WEEKDAYS)].astype(str).to_numpy()
    unique, codes = np.unique(texts, return_inverse=True)  # a chain shares a few opening hours: parse each once
    parsed = [parse_opening_hours(text) for text in unique]
    spans = np.array([(d.open_minute, d.close_minute) if d else (0, 0) for d in parsed], dtype=np.int64)
    minutes = spans.reshape(-1, 2)[codes.reshape(texts.shape)]  # (stores, 7, 2); a closed day is (0, 0)
    opens, closes = minutes[..., 0:1], minutes[..., 1:2]  # (stores, 7, 1)
    start = np.arange(24) * 60  # (24,)
    today = (start < closes) & (start + 60 > opens)
    yesterday_close = np.roll(closes, 1, axis=1)  # Monday's "yesterday" is Sunday
    tail = start + MINUTES_PER_DAY < yesterday_close
    return store_frame[S.store_id].tolist(), today | tail


def opening_cells(store_frame: pd.DataFrame) -> pd.DataFrame:
    """One row per store x weekday x clock hour in which the store is open: store_id, weekday, hour."""
    ids, is_open = open_matrix(store_frame)
    store, weekday, hour = np.nonzero(is_open)
    return pd.DataFrame({S.store_id: pd.Series(np.array(ids, dtype=object)[store], dtype=str),
                         "weekday": weekday, O.hour: hour})


def counted_days(observations: pd.DataFrame) -> pd.DataFrame:
    """`COUNTED_DAY_COLUMNS` from observation rows (what `planner.storage.load_counted_days` returns from SQL)."""
    days = observations.assign(hour_bit=np.left_shift(1, observations[O.hour].to_numpy(dtype=np.int64)))
    grouped = days.groupby([O.store_id, O.date], sort=True).agg(
        observed_hours=(O.hour, "size"), hour_mask=("hour_bit", "sum"))
    return grouped.reset_index()[COUNTED_DAY_COLUMNS]


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


def unobserved_hours(cells: pd.DataFrame, store_frame: pd.DataFrame, store_id: str) -> pd.DataFrame:
    """One row per opening (weekday) of `store_id` with open hours never observed, from `cell_summary`'s `cells`:
    weekday (its name) and `HOURS_NOT_OBSERVED`, runs of hours as the store opens (`planner.calendar.opening_key`),
    e.g. "10:00–12:00, 22:00–02:00+1": Sunday 18:00-02:00's night is Sunday's, not "Mon 00:00–02:00"."""
    gaps = cells[(cells[S.store_id] == store_id) & cells["open"] & (cells["observed_hours"] == 0)]
    opened = business_week_rows(gaps[[S.store_id, "weekday", O.hour]], store_frame)
    rows = [(WEEKDAY_NAMES[weekday], ", ".join(_hour_runs(day[O.hour])))
            for weekday, day in opened.sort_values(["weekday", O.hour]).groupby("weekday")]
    return pd.DataFrame(rows, columns=["weekday", HOURS_NOT_OBSERVED])


def store_coverage(observations: pd.DataFrame, store_frame: pd.DataFrame) -> pd.DataFrame:
    """Per store: observed_hours, first_date, last_date, open_cells (weekday x opening hour), observed_cells, and
    observed_share = observed_cells / open_cells."""
    return store_coverage_of_days(counted_days(observations), store_frame)


def store_coverage_of_days(days: pd.DataFrame, store_frame: pd.DataFrame) -> pd.DataFrame:
    """`store_coverage` from counted days (`COUNTED_DAY_COLUMNS`), with no observation row needed."""
    ids, is_open = open_matrix(store_frame)
    position = pd.Index(ids).get_indexer(days[O.store_id])
    known = position >= 0  # counts of a store the store file no longer lists do not make it a row
    weekday = pd.DatetimeIndex(days[O.date]).day_of_week.to_numpy()[known]
    masks = days["hour_mask"].to_numpy(dtype=np.int64)[known]
    # a cell (store, weekday, hour) is observed when any of that store's dates on that weekday counted the hour
    cell_masks = np.zeros(len(ids) * 7, dtype=np.int64)
    np.bitwise_or.at(cell_masks, position[known] * 7 + weekday, masks)
    counted = ((cell_masks[:, None] >> np.arange(24)) & 1).astype(bool).reshape(is_open.shape)
    open_cells = is_open.sum(axis=(1, 2))
    observed_cells = (is_open & counted).sum(axis=(1, 2))
    per_day = days.groupby(O.store_id).agg(
        observed_hours=("observed_hours", "sum"), first_date=(O.date, "min"), last_date=(O.date, "max"))
    table = store_frame[[S.store_id, S.name, S.region, S.format]].set_index(S.store_id)
    cells = pd.DataFrame({"open_cells": open_cells, "observed_cells": observed_cells}, index=ids)
    table = table.join(cells).join(per_day)
    table["observed_hours"] = table["observed_hours"].fillna(0).astype(int)
    table["observed_share"] = table["observed_cells"] / table["open_cells"]
    return table.reset_index()


def _hour_runs(hours) -> list[str]:
    """Runs of consecutive hours of an opening (24 and up past its midnight) as "start–end": [10, 11, 15, 24] ->
    ["10:00–12:00", "15:00–16:00", "00:00+1–01:00+1"]; a run ending at midnight ends at "24:00"."""
    runs: list[list[int]] = []
    for hour in sorted(int(h) for h in hours):
        if runs and hour == runs[-1][-1] + 1:
            runs[-1].append(hour)
        else:
            runs.append([hour])
    return [f"{hour_label(run[0])}–{end_clock(60 * (run[-1] + 1))}" for run in runs]
