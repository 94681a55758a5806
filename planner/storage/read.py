"""Reading stored rows into typed frames, a chunk at a time, so memory stays close to the size of the frame itself
(never a Python tuple for every row at once)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd
from sqlalchemy import Engine, Select, func, select
from sqlalchemy.engine import Connection

from planner.schemas import OBSERVATION_KEY, ObservationSchema as O
from planner.storage.engine import database_errors, url_of
from planner.storage.tables import (
    OBSERVATION_COLUMNS, STORE_COLUMNS, observations, stores, typed_observations, typed_stores, uploads,
)

CHUNK_ROWS = 100_000
"""Rows fetched and typed at a time while reading."""


def load_stores(engine: Engine) -> pd.DataFrame:
    with database_errors(url_of(engine)), engine.connect() as connection:
        return read_frame(connection, select(*(stores.c[c] for c in STORE_COLUMNS)), STORE_COLUMNS, typed_stores)


def load_observations(engine: Engine, store_ids: list[str] | None = None) -> pd.DataFrame:
    """Observations (`ObservationSchema`), ordered by store, date and hour; all stores unless `store_ids` given."""
    query = select(*(observations.c[c] for c in OBSERVATION_COLUMNS)).order_by(*(observations.c[c] for c in OBSERVATION_KEY))
    if store_ids is not None:
        query = query.where(observations.c[O.store_id].in_(list(store_ids)))
    with database_errors(url_of(engine)), engine.connect() as connection:
        return read_frame(connection, query, OBSERVATION_COLUMNS, typed_observations)


def load_uploads(engine: Engine) -> pd.DataFrame:
    with database_errors(url_of(engine)), engine.connect() as connection:
        result = connection.execute(select(uploads).order_by(uploads.c.id))
        return pd.DataFrame(result.all(), columns=list(result.keys()))


def count_rows(engine: Engine) -> dict[str, int]:
    with database_errors(url_of(engine)), engine.connect() as connection:
        return {t.name: connection.execute(select(func.count()).select_from(t)).scalar_one() for t in (stores, observations)}


def read_frame(
    connection: Connection, query: Select, columns: list[str], typer: Callable[[pd.DataFrame], pd.DataFrame]
) -> pd.DataFrame:
    """All rows of `query` as one typed frame, built from typed chunks of `CHUNK_ROWS`."""
    parts = list(read_chunks(connection, query, columns, typer))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0] if parts else typer(
        pd.DataFrame(columns=columns)
    )


def read_chunks(
    connection: Connection, query: Select, columns: list[str], typer: Callable[[pd.DataFrame], pd.DataFrame]
) -> Iterator[pd.DataFrame]:
    """The rows of `query` as typed frames of at most `CHUNK_ROWS` rows (a server-side cursor where the driver has
    one), so only one chunk of driver rows is alive at a time."""
    result = connection.execute(query, execution_options={"stream_results": True, "yield_per": CHUNK_ROWS})
    for chunk in result.partitions():
        yield typer(pd.DataFrame(dict(zip(columns, zip(*chunk, strict=True), strict=True))))
