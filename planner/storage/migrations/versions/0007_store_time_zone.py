"""Stores get an optional `time_zone` (the IANA time zone the store's clock keeps, which its calendar files state;
NULL: the chain's setting). Existing stores get NULL: their calendars stay as they were, in floating local time,
until a time zone is set for the chain or the store.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TIME_ZONE_CHARS = 64


def upgrade() -> None:
    op.add_column("stores", sa.Column("time_zone", sa.String(TIME_ZONE_CHARS)))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN, also on SQLite (3.35 on): a batch copy would drop the stores table, which the
    # observations' and plans' foreign keys refuse
    op.drop_column("stores", "time_zone")
