"""Plans keep their schedule's result beside the document: its status code, uncovered staff-hours and wage cost, so
the saved-plans list and its CSV say what each plan came to (optimal, short 12 staff-hours, unproven; its cost)
without opening a document.

Existing plans get theirs from their documents' schedule row (`frames.schedules`); a document without one keeps
NULLs, and the list says nothing of its result.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

STATUS_CHARS = 32
FIGURES = ("uncovered_staff_hours", "wage_cost")
BATCH_ROWS = 200


def upgrade() -> None:
    op.add_column("plans", sa.Column("schedule_status", sa.String(STATUS_CHARS)))
    for name in FIGURES:
        op.add_column("plans", sa.Column(name, sa.Float))
    _backfill(op.get_bind())


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN, also on SQLite (3.35 on): a batch copy would drop the plans table, which the
    # rosters' foreign keys refuse
    for name in reversed(FIGURES):
        op.drop_column("plans", name)
    op.drop_column("plans", "schedule_status")


def _backfill(connection) -> None:
    """Each plan's result from its own document, a batch of rows at a time (documents are large)."""
    plans = sa.table("plans", sa.column("plan_id", sa.Integer), sa.column("document", sa.Text),
                     sa.column("schedule_status", sa.String), *(sa.column(name, sa.Float) for name in FIGURES))
    last = 0
    while True:
        rows = connection.execute(sa.select(plans.c.plan_id, plans.c.document).where(plans.c.plan_id > last)
                                  .order_by(plans.c.plan_id).limit(BATCH_ROWS)).all()
        if not rows:
            return
        for plan_id, document in rows:
            result = _result(document)
            if result:
                connection.execute(sa.update(plans).where(plans.c.plan_id == plan_id).values(**result))
        last = rows[-1][0]


def _result(document: str) -> dict[str, object]:
    """The schedule row's status and figures (as `planner.storage.plans.result_summary` reads them, written out here:
    a revision keeps what it did whatever the package becomes)."""
    try:
        (row,) = json.loads(document)["frames"]["schedules"]
        status = row.get("status")
        figures = {name: float(row[name]) for name in FIGURES
                   if isinstance(row.get(name), (int, float)) and not isinstance(row[name], bool)}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}
    return {**({"schedule_status": status} if isinstance(status, str) else {}), **figures}
