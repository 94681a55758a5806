"""The schema of the first release: stores, observations and uploads, exactly as its `metadata.create_all` made
them (lengths written out: this revision must not change when a constant in `planner.schemas` does).

A database that release made has these tables and no alembic_version table: `planner.storage.migrate` recognises
it by `SCHEMA` and stamps it with this revision instead of running it.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import (
    Column, Date, DateTime, Float, ForeignKey, Integer, MetaData, PrimaryKeyConstraint, SmallInteger, String, Table,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SCHEMA = MetaData()

Table(
    "uploads", SCHEMA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_name", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("rows_added", Integer, nullable=False),
    Column("rows_replaced", Integer, nullable=False),
    Column("rows_unchanged", Integer, nullable=False),
)
Table(
    "stores", SCHEMA,
    Column("store_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("region", String(100), nullable=False),
    Column("format", String(100), nullable=False),
    *(Column(day, String(16), nullable=False) for day in WEEKDAYS),
    Column("wage_per_hour", Float, nullable=False),
    Column("min_staff", Integer, nullable=False),
    Column("max_staff", Integer, nullable=False),
    Column("target_service_level", Float),
    Column("target_wait_seconds", Float),
    Column("patience_minutes", Float),
    Column("max_abandon_share", Float),
    Column("upload_id", ForeignKey("uploads.id")),
)
Table(
    "observations", SCHEMA,
    Column("store_id", String(64), ForeignKey("stores.store_id"), nullable=False),
    Column("date", Date, nullable=False),
    Column("hour", SmallInteger, nullable=False),
    Column("visitors", Integer, nullable=False),
    Column("assisted", Integer, nullable=False),
    Column("self_service", Integer, nullable=False),
    Column("assisted_minutes", Float, nullable=False),
    Column("self_service_minutes", Float, nullable=False),
    Column("staff_on_duty", Integer),
    Column("upload_id", ForeignKey("uploads.id")),
    PrimaryKeyConstraint("store_id", "date", "hour"),
)


def upgrade() -> None:
    SCHEMA.create_all(op.get_bind())


def downgrade() -> None:
    SCHEMA.drop_all(op.get_bind())
