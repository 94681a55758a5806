"""Each store's counts as the chain's pooled digest hashes them, kept per store (`tables.store_count_hashes`), and
the look that tells which stores' kept hashes still hold: their count of rows and newest upload.

    states = count_states(engine)                 # store_id -> (rows, newest upload id) of every counted store
    kept = kept_count_hashes(engine, states)      # store_id -> row hashes, of the stores whose state is as kept
    keep_count_hashes(engine, {store_id: (rows, newest upload, row hashes)})
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine, delete, func, insert, select

from planner.schemas import ObservationSchema as O
from planner.storage.engine import cache_write, database_errors, url_of
from planner.storage.tables import observations, store_count_hashes

CountState = tuple[int, int | None]
"""(a store's count of stored rows, the newest upload that added or replaced one of them; None for rows stored
before uploads were recorded on them)."""


def count_states(engine: Engine) -> dict[str, CountState]:
    """store_id -> `CountState` of every store with stored counts: one pass over the counts, no row read out."""
    query = select(observations.c[O.store_id], func.count(), func.max(observations.c.upload_id)).group_by(
        observations.c[O.store_id])
    with database_errors(url_of(engine)), engine.connect() as connection:
        return {str(store): (int(rows), None if last is None else int(last))
                for store, rows, last in connection.execute(query)}


def kept_count_hashes(engine: Engine, states: Mapping[str, CountState]) -> dict[str, bytes]:
    """store_id -> row hashes kept for it, of those of `states` whose kept state is the one given (their counts are
    those hashed)."""
    table = store_count_hashes
    with database_errors(url_of(engine)), engine.connect() as connection:
        rows = connection.execute(select(table.c.store_id, table.c.rows, table.c.last_upload, table.c.row_hashes))
        return {str(store): bytes(hashed) for store, count, last, hashed in rows
                if states.get(str(store)) == (int(count), None if last is None else int(last))}


def keep_count_hashes(engine: Engine, hashed: Mapping[str, tuple[int, int | None, bytes]]) -> None:
    """Keep each store's (count of rows, newest upload, row hashes) in place of what was kept for it, in one
    transaction (`cache_write`: not when another writer holds the database). The caller hashed the counts it read at
    that state, and keeps them only when no upload landed while it read."""
    if not hashed:
        return
    table = store_count_hashes
    with database_errors(url_of(engine)), cache_write(engine) as connection:
        if connection is None:  # a cache: the next digest hashes these stores again
            return
        stores = sorted(hashed)
        for start in range(0, len(stores), 500):
            connection.execute(delete(table).where(table.c.store_id.in_(stores[start:start + 500])))
        connection.execute(insert(table), [{"store_id": store, "rows": int(rows), "last_upload": last,
                                            "row_hashes": bytes(hashes)}
                                           for store, (rows, last, hashes) in hashed.items()])
