"""Plans keep a summary of their inputs beside the document: the four input digests of the plan's fingerprint and
its what-if values, so the saved-plans list says whether each plan is out of date without opening its document.
Stores get an optional `service_cv` (the simulation's service-time spread for that store; NULL: the setting).

Existing plans get their summary from their documents (`fingerprint` and `request.what_if`); a document that has
none keeps NULLs, and the list then opens that document as before. Existing stores get NULL (the setting).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DIGESTS = ("observations", "stores", "calendar", "settings")
DIGEST_CHARS = 64
BATCH_ROWS = 200


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        for part in DIGESTS:
            batch.add_column(sa.Column(f"{part}_digest", sa.String(DIGEST_CHARS)))
        batch.add_column(sa.Column("what_if", sa.JSON))
    op.add_column("stores", sa.Column("service_cv", sa.Float))
    _backfill(op.get_bind())


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN, also on SQLite (3.35 on): a batch copy would drop the stores table, which the
    # observations' and plans' foreign keys refuse
    op.drop_column("stores", "service_cv")
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("what_if")
        for part in reversed(DIGESTS):
            batch.drop_column(f"{part}_digest")


def _backfill(connection) -> None:
    """Each plan's summary from its own document, a batch of rows at a time (documents are large)."""
    plans = sa.table("plans", sa.column("plan_id", sa.Integer), sa.column("document", sa.Text),
                     *(sa.column(f"{part}_digest", sa.String) for part in DIGESTS), sa.column("what_if", sa.JSON))
    last = 0
    while True:
        rows = connection.execute(sa.select(plans.c.plan_id, plans.c.document).where(plans.c.plan_id > last)
                                  .order_by(plans.c.plan_id).limit(BATCH_ROWS)).all()
        if not rows:
            return
        for plan_id, document in rows:
            summary = _summary(document)
            if summary:
                connection.execute(sa.update(plans).where(plans.c.plan_id == plan_id).values(**summary))
        last = rows[-1][0]


def _summary(document: str) -> dict[str, object]:
    try:
        values = json.loads(document)
        fingerprint, what_if = values["fingerprint"], values["request"].get("what_if", {})
        return {**{f"{part}_digest": str(fingerprint[part]) for part in DIGESTS}, "what_if": dict(what_if)}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}
