"""The three tables (stores, observations, uploads) and the frame types rows are read into and compared in."""

from __future__ import annotations

from sqlalchemy import (
    Column, Date, DateTime, Float, ForeignKey, Integer, MetaData, PrimaryKeyConstraint, SmallInteger, String, Table,
)

import pandas as pd

from planner.hours import WEEKDAYS
from planner.schemas import (
    FILE_NAME_MAX_CHARS, OBSERVATION_KEY, OPENING_HOURS_MAX_CHARS, STORE_GROUP_MAX_CHARS, STORE_ID_MAX_CHARS,
    STORE_NAME_MAX_CHARS, ObservationSchema as O, StoreSchema as S,
)

metadata = MetaData()

uploads = Table(
    "uploads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_name", String(FILE_NAME_MAX_CHARS), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("rows_added", Integer, nullable=False),
    Column("rows_replaced", Integer, nullable=False),
    Column("rows_unchanged", Integer, nullable=False),
)

stores = Table(
    "stores",
    metadata,
    Column(S.store_id, String(STORE_ID_MAX_CHARS), primary_key=True),
    Column(S.name, String(STORE_NAME_MAX_CHARS), nullable=False),
    Column(S.region, String(STORE_GROUP_MAX_CHARS), nullable=False),
    Column(S.format, String(STORE_GROUP_MAX_CHARS), nullable=False),
    *(Column(day, String(OPENING_HOURS_MAX_CHARS), nullable=False) for day in WEEKDAYS),
    Column(S.wage_per_hour, Float, nullable=False),
    Column(S.min_staff, Integer, nullable=False),
    Column(S.max_staff, Integer, nullable=False),
    Column(S.target_service_level, Float),
    Column(S.target_wait_seconds, Float),
    Column(S.patience_minutes, Float),
    Column(S.max_abandon_share, Float),
    Column("upload_id", ForeignKey("uploads.id")),
)

observations = Table(
    "observations",
    metadata,
    Column(O.store_id, String(STORE_ID_MAX_CHARS), ForeignKey("stores.store_id"), nullable=False),
    Column(O.date, Date, nullable=False),
    Column(O.hour, SmallInteger, nullable=False),
    Column(O.visitors, Integer, nullable=False),
    Column(O.assisted, Integer, nullable=False),
    Column(O.self_service, Integer, nullable=False),
    Column(O.assisted_minutes, Float, nullable=False),
    Column(O.self_service_minutes, Float, nullable=False),
    Column(O.staff_on_duty, Integer),
    Column("upload_id", ForeignKey("uploads.id")),
    PrimaryKeyConstraint(*OBSERVATION_KEY),
)

STORE_COLUMNS = [c.name for c in stores.columns if c.name != "upload_id"]
OBSERVATION_COLUMNS = [c.name for c in observations.columns if c.name != "upload_id"]
COUNTED_DAY_COLUMNS = [O.store_id, O.date, "observed_hours", "hour_mask"]
"""One row per store and counted date: hours counted that day, and which (bit h of hour_mask = hour h)."""


def typed_stores(frame: pd.DataFrame) -> pd.DataFrame:
    types = {c: "Float64" for c in (S.wage_per_hour, S.target_service_level, S.target_wait_seconds,
                                     S.patience_minutes, S.max_abandon_share)}
    types |= {S.min_staff: "Int64", S.max_staff: "Int64"}
    types |= {c: str for c in (S.store_id, S.name, S.region, S.format, *WEEKDAYS)}
    return frame.astype(types)


def typed_observations(frame: pd.DataFrame) -> pd.DataFrame:
    types = {c: "Int64" for c in (O.hour, O.visitors, O.assisted, O.self_service, O.staff_on_duty)}
    types |= {O.assisted_minutes: "Float64", O.self_service_minutes: "Float64", O.store_id: str}
    frame = frame.astype(types)
    frame[O.date] = pd.to_datetime(frame[O.date]).astype("datetime64[ns]")
    return frame


def typed(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    return typed_observations(frame) if table is observations else typed_stores(frame)
