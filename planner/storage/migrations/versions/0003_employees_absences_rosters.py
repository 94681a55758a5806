"""Employees, absences and rosters: three new tables, nothing existing changed.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PUBLISHED = sa.text("status = 'published'")


def upgrade() -> None:
    op.create_table(
        "employees",
        sa.Column("employee_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("store_id", sa.String(64), sa.ForeignKey("stores.store_id"), nullable=False),
        sa.Column("also_stores", sa.String(500), nullable=False),
        sa.Column("skills", sa.String(500), nullable=False),
        sa.Column("contract_hours_min", sa.Float, nullable=False),
        sa.Column("contract_hours_max", sa.Float, nullable=False),
        sa.Column("max_hours_per_day", sa.Float),
        sa.Column("wage_per_hour", sa.Float),
        *(sa.Column(day, sa.String(100), nullable=False) for day in WEEKDAYS),
        sa.Column("preferred_days_off", sa.String(40), nullable=False),
        sa.Column("prefers", sa.String(8), nullable=False),
        sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id")),
    )
    op.create_index("ix_employees_store", "employees", ["store_id"])
    op.create_table(
        "absences",
        sa.Column("employee_id", sa.String(64), sa.ForeignKey("employees.employee_id"), nullable=False),
        sa.Column("first_day", sa.Date, nullable=False),
        sa.Column("last_day", sa.Date, nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id")),
        sa.PrimaryKeyConstraint("employee_id", "first_day"),
    )
    op.create_table(
        "rosters",
        sa.Column("roster_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("iso_week", sa.String(8), nullable=False),
        sa.Column("store_id", sa.String(64), sa.ForeignKey("stores.store_id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("published_by", sa.String(200)),
        sa.Column("note", sa.String(500)),
        sa.Column("document", sa.Text, nullable=False),
        sa.CheckConstraint("status IN ('draft', 'published', 'superseded')", name="ck_rosters_status"),
    )
    op.create_index("ix_rosters_store_week_status", "rosters", ["store_id", "iso_week", "status"])
    op.create_index("uq_rosters_one_published", "rosters", ["store_id", "iso_week"], unique=True,
                    sqlite_where=PUBLISHED, postgresql_where=PUBLISHED)


def downgrade() -> None:
    op.drop_index("uq_rosters_one_published", table_name="rosters")
    op.drop_index("ix_rosters_store_week_status", table_name="rosters")
    op.drop_table("rosters")
    op.drop_table("absences")
    op.drop_index("ix_employees_store", table_name="employees")
    op.drop_table("employees")
