"""Reading stored rows into typed frames, a chunk at a time, so memory stays close to the size of the frame itself
(never a Python tuple for every row at once)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Select, func, literal, select
from sqlalchemy.engine import Connection

from planner.access.scope import EVERYTHING, Scope
from planner.memory import release_freed_memory
from planner.schemas import OBSERVATION_KEY, ObservationSchema as O
from planner.storage.engine import database_errors, url_of
from planner.storage.scoped import where_visible
from planner.storage.tables import (
    COUNTED_DAY_COLUMNS, OBSERVATION_COLUMNS, STORE_COLUMNS, observations, stores, typed_observations, typed_stores,
    uploads,
)

CHUNK_ROWS = 100_000
"""Rows fetched and typed at a time while reading."""


def load_stores(engine: Engine, scope: Scope = EVERYTHING, store_ids: list[str] | None = None) -> pd.DataFrame:
    """The stored stores `scope` covers (`STORE_COLUMNS`), in the store file's order: all of them unless `store_ids`
    given (an id outside the scope gives no row)."""
    query = select(*(stores.c[c] for c in STORE_COLUMNS))
    if store_ids is not None:
        query = query.where(stores.c.store_id.in_(list(store_ids)))
    query = where_visible(query, stores.c.store_id, scope)
    with database_errors(url_of(engine)), engine.connect() as connection:
        return read_frame(connection, query, STORE_COLUMNS, typed_stores)


def load_observations(engine: Engine, store_ids: list[str] | None = None, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """Observations (`ObservationSchema`), ordered by store, date and hour, of the stores `scope` covers: all of them
    unless `store_ids` given (an id outside the scope gives no rows)."""
    query = select(*(observations.c[c] for c in OBSERVATION_COLUMNS)).order_by(*(observations.c[c] for c in OBSERVATION_KEY))
    if store_ids is not None:
        query = query.where(observations.c[O.store_id].in_(list(store_ids)))
    query = where_visible(query, observations.c[O.store_id], scope)
    with database_errors(url_of(engine)), engine.connect() as connection:
        return read_frame(connection, query, OBSERVATION_COLUMNS, typed_observations)


def counted_store_ids(engine: Engine, store_ids: list[str], scope: Scope = EVERYTHING) -> set[str]:
    """Those of `store_ids` (in `scope`) with at least one stored count: one look along the observations' key, not
    a reading of the counts."""
    query = where_visible(select(observations.c[O.store_id]).distinct().where(
        observations.c[O.store_id].in_(list(store_ids))), observations.c[O.store_id], scope)
    with database_errors(url_of(engine)), engine.connect() as connection:
        return {str(store) for store in connection.execute(query).scalars()}


def load_uploads(engine: Engine) -> pd.DataFrame:
    with database_errors(url_of(engine)), engine.connect() as connection:
        result = connection.execute(select(uploads).order_by(uploads.c.id))
        return pd.DataFrame(result.all(), columns=list(result.keys()))


def count_rows(engine: Engine) -> dict[str, int]:
    with database_errors(url_of(engine)), engine.connect() as connection:
        return {t.name: connection.execute(select(func.count()).select_from(t)).scalar_one() for t in (stores, observations)}


def load_counted_days(engine: Engine, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """Per store `scope` covers and counted date: observed_hours and hour_mask (bit h set = hour h counted),
    aggregated by the database along its primary key (`COUNTED_DAY_COLUMNS`; what `planner.coverage.counted_days`
    gives from rows)."""
    hour_bit = literal(1).op("<<")(observations.c[O.hour])
    query = (
        select(observations.c[O.store_id], observations.c[O.date], func.count().label("observed_hours"),
               func.sum(hour_bit).label("hour_mask"))
        .group_by(observations.c[O.store_id], observations.c[O.date])
        .order_by(observations.c[O.store_id], observations.c[O.date])
    )
    query = where_visible(query, observations.c[O.store_id], scope)
    with database_errors(url_of(engine)), engine.connect() as connection:
        return read_frame(connection, query, COUNTED_DAY_COLUMNS, _typed_counted_days)


def read_frame(
    connection: Connection, query: Select, columns: list[str], typer: Callable[[pd.DataFrame], pd.DataFrame]
) -> pd.DataFrame:
    """All rows of `query` as one typed frame, built from typed chunks of `CHUNK_ROWS`."""
    parts = list(read_chunks(connection, query, columns, typer))
    if len(parts) <= 1:
        return parts[0] if parts else typer(pd.DataFrame(columns=columns))
    # joined a column at a time, each chunk's column dropped as it is joined: the rows are held once and one column
    # twice, never every chunk beside the whole frame
    joined = {name: pd.concat([part.pop(name) for part in parts], ignore_index=True) for name in list(parts[0].columns)}
    del parts
    release_freed_memory()  # the driver's rows and the chunks
    return pd.DataFrame(joined, copy=False)


def read_chunks(
    connection: Connection, query: Select, columns: list[str], typer: Callable[[pd.DataFrame], pd.DataFrame]
) -> Iterator[pd.DataFrame]:
    """The rows of `query` as typed frames of at most `CHUNK_ROWS` rows, so only one chunk of driver rows is alive at
    a time.

    Rows come straight from the driver's cursor (a server-side one on PostgreSQL), not through SQLAlchemy's row
    objects: at a million rows those cost more than the fetch itself. The statement is compiled by SQLAlchemy for
    this dialect with its values written in as literals, and each chunk is typed by `typer`, which reads the
    driver's raw values (a date as text on SQLite, as a date on PostgreSQL) the same way.
    """
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    driver = connection.connection.driver_connection
    server_side = connection.dialect.driver in ("psycopg", "psycopg2")
    cursor = driver.cursor(name="planner_read") if server_side else driver.cursor()
    try:
        cursor.execute(sql)
        while chunk := cursor.fetchmany(CHUNK_ROWS):
            yield typer(pd.DataFrame(np.array(chunk, dtype=object).reshape(len(chunk), len(columns)), columns=columns))
    finally:
        cursor.close()


def _typed_counted_days(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({O.store_id: str, "observed_hours": "int64", "hour_mask": "int64"})
    frame[O.date] = pd.to_datetime(frame[O.date]).astype("datetime64[ns]")
    return frame
