"""Plans, the chain's settings and the store calendar: three new tables, nothing existing changed.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PUBLISHED = sa.text("status = 'published'")


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("plan_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("iso_week", sa.String(8), nullable=False),
        sa.Column("store_id", sa.String(64), sa.ForeignKey("stores.store_id"), nullable=False),
        sa.Column("fingerprint", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("published_by", sa.String(200)),
        sa.Column("document", sa.Text, nullable=False),
        sa.CheckConstraint("status IN ('draft', 'published', 'superseded')", name="ck_plans_status"),
    )
    op.create_index("ix_plans_store_week_status", "plans", ["store_id", "iso_week", "status"])
    op.create_index("uq_plans_one_published", "plans", ["store_id", "iso_week"], unique=True,
                    sqlite_where=PUBLISHED, postgresql_where=PUBLISHED)
    op.create_table(
        "chain_settings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("note", sa.String(500)),
    )
    op.create_table(
        "calendar_exceptions",
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False),
        sa.Column("opens", sa.String(16)),
        sa.Column("closes", sa.String(16)),
        sa.Column("demand_factor", sa.Float),
        sa.Column("note", sa.String(500)),
        sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id")),
        sa.PrimaryKeyConstraint("store_id", "date"),
    )


def downgrade() -> None:
    op.drop_table("calendar_exceptions")
    op.drop_table("chain_settings")
    op.drop_index("uq_plans_one_published", table_name="plans")
    op.drop_index("ix_plans_store_week_status", table_name="plans")
    op.drop_table("plans")
