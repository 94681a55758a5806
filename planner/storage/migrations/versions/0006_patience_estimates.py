"""Patience estimates made from the counts are kept (one row per store format, keyed by the digest of the counts,
store file rows and settings they were made from), so a plan reads them instead of simulating again: one new
table, nothing existing changed.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patience_estimates",
        sa.Column("inputs_digest", sa.String(64), primary_key=True),
        sa.Column("format", sa.String(100), nullable=False),
        sa.Column("estimates", sa.JSON, nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_patience_estimates_format", "patience_estimates", ["format"])


def downgrade() -> None:
    op.drop_index("ix_patience_estimates_format", table_name="patience_estimates")
    op.drop_table("patience_estimates")
