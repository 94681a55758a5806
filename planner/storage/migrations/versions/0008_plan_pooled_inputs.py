"""Plans keep the digest of the chain's counts the pooled demand model read (`pooled_digest`, beside their input
summary), and what making a plan again from today's counts found (`plan_pooled_checks`: the hours its staff moved),
so a list tells a plan that other stores' counts moved from one they did not, without making it again each time;
and the chain's digest at each revision of its uploads (`pooled_digests`), so a list does not hash every count.

Existing plans get their digest from their documents, which hold none before this revision: NULL. Such a plan is
made again once when listed, and what that found kept.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

DIGEST_CHARS = 64


def upgrade() -> None:
    op.add_column("plans", sa.Column("pooled_digest", sa.String(DIGEST_CHARS)))
    op.create_table(
        "plan_pooled_checks",
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.plan_id"), primary_key=True),
        sa.Column("pooled_digest", sa.String(DIGEST_CHARS), nullable=False),
        sa.Column("hours_moved", sa.Integer, nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "pooled_digests",
        sa.Column("revision", sa.String(DIGEST_CHARS), primary_key=True),
        sa.Column("pooled_digest", sa.String(DIGEST_CHARS), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pooled_digests")
    op.drop_table("plan_pooled_checks")
    # ALTER TABLE ... DROP COLUMN, also on SQLite (3.35 on): a batch copy would drop the plans table, which the
    # rosters' foreign keys refuse
    op.drop_column("plans", "pooled_digest")
