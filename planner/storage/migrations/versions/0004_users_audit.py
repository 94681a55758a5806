"""Users (role, stores, regions, password hash, failed sign-ins) and the audit trail: three new tables, nothing
existing changed.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("email", sa.String(320), unique=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("stores", sa.JSON, nullable=False),
        sa.Column("regions", sa.JSON, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("password_hash", sa.String(255)),
        sa.Column("failed_attempts", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('store_manager', 'regional_lead', 'planner', 'admin')", name="ck_users_role"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("summary", sa.String(1000), nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
    )
    op.create_index("ix_audit_at", "audit", ["at"])
    op.create_table(
        "audit_stores",
        sa.Column("audit_id", sa.Integer, sa.ForeignKey("audit.id"), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("audit_id", "store_id"),
    )
    op.create_index("ix_audit_stores_store_id", "audit_stores", ["store_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_stores_store_id", table_name="audit_stores")
    op.drop_table("audit_stores")
    op.drop_index("ix_audit_at", table_name="audit")
    op.drop_table("audit")
    op.drop_table("users")
