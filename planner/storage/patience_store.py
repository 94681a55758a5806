"""Patience estimates kept per store format (`tables.patience_estimates`), keyed by the digest of what they were made
from, so a plan reads them instead of simulating again. The rows are plain dicts (one per store of the format, the
fields of `planner.demand.patience.PatienceEstimate`); `planner.stored_patience` makes, keys and reads them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select

from planner.storage.engine import database_errors, take_write_lock, url_of
from planner.storage.tables import patience_estimates


def load_patience(engine: Engine, digests: Iterable[str]) -> dict[str, list[dict]]:
    """The kept estimates of each of `digests` that has any: digest -> its rows."""
    wanted = sorted(set(digests))
    if not wanted:
        return {}
    table = patience_estimates
    with database_errors(url_of(engine)), engine.connect() as connection:
        rows = connection.execute(select(table.c.inputs_digest, table.c.estimates)
                                  .where(table.c.inputs_digest.in_(wanted))).all()
    return {digest: list(estimates) for digest, estimates in rows}


def save_patience(engine: Engine, made: dict[str, tuple[str, list[dict]]]) -> None:
    """Keep `made` (digest -> (format, its rows)) in one transaction, each in place of its format's older
    estimates. A digest another process kept meanwhile is left as it is (the same inputs give the same rows)."""
    if not made:
        return
    table = patience_estimates
    now = datetime.now(UTC)
    with database_errors(url_of(engine)), engine.begin() as connection:
        take_write_lock(connection)
        kept = set(connection.execute(select(table.c.inputs_digest)
                                      .where(table.c.inputs_digest.in_(sorted(made)))).scalars())
        fresh = {digest: value for digest, value in made.items() if digest not in kept}
        if not fresh:
            return
        connection.execute(delete(table).where(table.c.format.in_(sorted({f for f, _ in fresh.values()})))
                           .where(table.c.inputs_digest.not_in(sorted(kept))))
        connection.execute(insert(table), [
            {"inputs_digest": digest, "format": store_format, "estimates": rows, "made_at": now}
            for digest, (store_format, rows) in fresh.items()])
