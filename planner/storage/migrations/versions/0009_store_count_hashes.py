"""The row hashes of each store's counts as the chain's pooled digest hashes them (`store_count_hashes`), kept with
the store's count of rows and newest upload, so the digest after an import loads only the counts the import wrote
(on a chain of 1,000 stores, loading every count took about 1.5 s of the list that followed each import). A cache:
empty at first, filled by the first digest.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

STORE_ID_MAX_CHARS = 64


def upgrade() -> None:
    op.create_table(
        "store_count_hashes",
        sa.Column("store_id", sa.String(STORE_ID_MAX_CHARS), primary_key=True),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("last_upload", sa.Integer),
        sa.Column("row_hashes", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("store_count_hashes")
