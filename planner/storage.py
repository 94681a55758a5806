"""The database: stores, observations and uploads, with SQLAlchemy 2 Core.

Any SQLAlchemy URL works; nothing here is SQLite-only. The upsert uses the dialect's own `INSERT ... ON CONFLICT DO
UPDATE` on SQLite and PostgreSQL and a portable delete-then-insert elsewhere. One import is one transaction: a
rejected file never reaches this module, and a failure part-way rolls everything back. On SQLite, writers take the
write lock at the start of the transaction (`BEGIN IMMEDIATE`) and wait up to the busy timeout, so two importing
processes queue instead of failing; if the wait runs out the import raises `DatabaseBusy` and changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column, Date, DateTime, Engine, Float, ForeignKey, Integer, MetaData, PrimaryKeyConstraint, SmallInteger, String,
    Table, create_engine, delete, event, exc, func, insert, select, tuple_,
)
from sqlalchemy.engine import Connection

from planner.errors import DatabaseBusy
from planner.hours import WEEKDAYS
from planner.schemas import (
    FILE_NAME_MAX_CHARS, OBSERVATION_KEY, OPENING_HOURS_MAX_CHARS, STORE_GROUP_MAX_CHARS, STORE_ID_MAX_CHARS,
    STORE_NAME_MAX_CHARS, ObservationSchema as O, StoreSchema as S,
)
from planner.settings import Settings

metadata = MetaData()

uploads = Table(
    "uploads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_name", String(FILE_NAME_MAX_CHARS), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("rows_added", Integer, nullable=False),
    Column("rows_replaced", Integer, nullable=False),
    Column("rows_unchanged", Integer, nullable=False),
)

stores = Table(
    "stores",
    metadata,
    Column(S.store_id, String(STORE_ID_MAX_CHARS), primary_key=True),
    Column(S.name, String(STORE_NAME_MAX_CHARS), nullable=False),
    Column(S.region, String(STORE_GROUP_MAX_CHARS), nullable=False),
    Column(S.format, String(STORE_GROUP_MAX_CHARS), nullable=False),
    *(Column(day, String(OPENING_HOURS_MAX_CHARS), nullable=False) for day in WEEKDAYS),
    Column(S.wage_per_hour, Float, nullable=False),
    Column(S.min_staff, Integer, nullable=False),
    Column(S.max_staff, Integer, nullable=False),
    Column(S.target_service_level, Float),
    Column(S.target_wait_seconds, Float),
    Column(S.patience_minutes, Float),
    Column(S.max_abandon_share, Float),
    Column("upload_id", ForeignKey("uploads.id")),
)

observations = Table(
    "observations",
    metadata,
    Column(O.store_id, String(STORE_ID_MAX_CHARS), ForeignKey("stores.store_id"), nullable=False),
    Column(O.date, Date, nullable=False),
    Column(O.hour, SmallInteger, nullable=False),
    Column(O.visitors, Integer, nullable=False),
    Column(O.assisted, Integer, nullable=False),
    Column(O.self_service, Integer, nullable=False),
    Column(O.assisted_minutes, Float, nullable=False),
    Column(O.self_service_minutes, Float, nullable=False),
    Column(O.staff_on_duty, Integer),
    Column("upload_id", ForeignKey("uploads.id")),
    PrimaryKeyConstraint(*OBSERVATION_KEY),
)

STORE_COLUMNS = [c.name for c in stores.columns if c.name != "upload_id"]
OBSERVATION_COLUMNS = [c.name for c in observations.columns if c.name != "upload_id"]


@dataclass(frozen=True)
class ImportSummary:
    file_name: str
    kind: str
    rows_added: int
    rows_replaced: int
    rows_unchanged: int
    imported_before: datetime | None = None
    """When the same file (by sha256) was imported before, if it was."""

    @property
    def changed(self) -> bool:
        return bool(self.rows_added or self.rows_replaced)

    def __str__(self) -> str:
        if not self.changed:
            before = f" (the same file was imported {self.imported_before:%Y-%m-%d %H:%M} UTC)" if self.imported_before else ""
            return f"{self.file_name}: nothing changed, all {self.rows_unchanged} rows are already stored{before}"
        return (
            f"{self.file_name}: {self.rows_added} rows added, {self.rows_replaced} replaced, "
            f"{self.rows_unchanged} unchanged"
        )


def connect(settings: Settings | None = None, url: str | None = None) -> Engine:
    """An engine for `url` (default: the settings' database), with the tables created if missing."""
    settings = settings or Settings()
    url = url or settings.resolved_database_url()
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": settings.database_busy_timeout_seconds})
        _take_write_lock_at_begin(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    with _busy_as_error():
        metadata.create_all(engine)
    return engine


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def save(
    engine: Engine,
    store_frame: pd.DataFrame | None = None,
    store_file: tuple[str, str] | None = None,
    observation_frames: list[tuple[pd.DataFrame, str, str]] = (),
) -> list[ImportSummary]:
    """Store validated frames in ONE transaction. `store_file` is (file name, sha256); each observation entry is
    (validated frame, file name, sha256). Rows with the same key as stored ones replace them."""
    summaries = []
    with _busy_as_error(), engine.begin() as connection:
        if store_frame is not None:
            name, digest = store_file
            summaries.append(_upsert(connection, stores, _store_rows(store_frame), [S.store_id], name, "stores", digest))
        for frame, name, digest in observation_frames:
            rows = _observation_rows(frame)
            summaries.append(_upsert(connection, observations, rows, OBSERVATION_KEY, name, "observations", digest))
    return summaries


def load_stores(engine: Engine) -> pd.DataFrame:
    with _busy_as_error(), engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(select(*(stores.c[c] for c in STORE_COLUMNS))).all(), columns=STORE_COLUMNS)
    return _typed_stores(frame)


def load_observations(engine: Engine, store_ids: list[str] | None = None) -> pd.DataFrame:
    """Observations (`ObservationSchema`), ordered by store, date and hour; all stores unless `store_ids` given."""
    query = select(*(observations.c[c] for c in OBSERVATION_COLUMNS)).order_by(*(observations.c[c] for c in OBSERVATION_KEY))
    if store_ids is not None:
        query = query.where(observations.c[O.store_id].in_(store_ids))
    with _busy_as_error(), engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).all(), columns=OBSERVATION_COLUMNS)
    return _typed_observations(frame)


def load_uploads(engine: Engine) -> pd.DataFrame:
    with _busy_as_error(), engine.connect() as connection:
        result = connection.execute(select(uploads).order_by(uploads.c.id))
        return pd.DataFrame(result.all(), columns=list(result.keys()))


def count_rows(engine: Engine) -> dict[str, int]:
    with _busy_as_error(), engine.connect() as connection:
        return {t.name: connection.execute(select(func.count()).select_from(t)).scalar_one() for t in (stores, observations)}


# --- helpers -------------------------------------------------------------------------------------------------------


def _upsert(connection: Connection, table: Table, rows: pd.DataFrame, key: list[str], name: str, kind: str, digest: str):
    found, same = _compare_with_stored(connection, table, rows, key)
    added, replaced, unchanged = int((~found).sum()), int((found & ~same).sum()), int((found & same).sum())
    if not (added or replaced):
        before = connection.execute(
            select(func.min(uploads.c.uploaded_at)).where(uploads.c.sha256 == digest, uploads.c.kind == kind)
        ).scalar_one()
        return ImportSummary(name, kind, 0, 0, unchanged, before)
    upload_id = connection.execute(
        insert(uploads).values(
            file_name=name, kind=kind, sha256=digest, uploaded_at=datetime.now(UTC),
            rows_added=added, rows_replaced=replaced, rows_unchanged=unchanged,
        )
    ).inserted_primary_key[0]
    changed = rows.loc[~(found & same).to_numpy()].assign(upload_id=upload_id)
    _write(connection, table, changed, key, replace=bool(replaced))
    return ImportSummary(name, kind, added, replaced, unchanged)


def _compare_with_stored(connection: Connection, table: Table, rows: pd.DataFrame, key: list[str]):
    """Per row of `rows`: is its key stored already (found), and are all its values the same (same)?"""
    existing = _existing_rows(connection, table, rows, key)
    if existing.empty:
        nothing = pd.Series(False, index=rows.index)
        return nothing, nothing
    merged = rows.merge(existing, on=key, how="left", suffixes=("", "__old"), indicator=True)
    same = pd.Series(True, index=merged.index)
    for column in (c for c in rows.columns if c not in key):
        new, old = merged[column], merged[f"{column}__old"]
        same &= (new == old).fillna(False).astype(bool) | (new.isna() & old.isna())
    return merged["_merge"] == "both", same


def _existing_rows(connection: Connection, table: Table, rows: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Stored rows that may share a key with `rows`, narrowed by the first key column and, for dated rows, the
    date range (one indexed range scan rather than one query per key)."""
    columns = [c.name for c in table.columns if c.name != "upload_id"]
    query = select(*(table.c[c] for c in columns)).where(table.c[key[0]].in_(rows[key[0]].unique().tolist()))
    if O.date in key:
        query = query.where(table.c[O.date].between(rows[O.date].min().date(), rows[O.date].max().date()))
    frame = pd.DataFrame(connection.execute(query).all(), columns=columns)
    return _typed_observations(frame) if table is observations else _typed_stores(frame)


def _write(connection: Connection, table: Table, rows: pd.DataFrame, key: list[str], *, replace: bool) -> None:
    dialect = connection.dialect.name
    if not replace:
        _executemany(connection, insert(table), rows)
    elif dialect in ("sqlite", "postgresql"):
        statement = _dialect_insert(dialect)(table)
        updates = {c: statement.excluded[c] for c in rows.columns if c not in key}
        _executemany(connection, statement.on_conflict_do_update(index_elements=key, set_=updates), rows)
    else:  # portable fallback: remove the rows being replaced, then insert everything
        keys = list(zip(*_driver_values(connection, table, rows[key]).values(), strict=True))
        connection.execute(delete(table).where(tuple_(*(table.c[k] for k in key)).in_(keys)))
        _executemany(connection, insert(table), rows)


def _dialect_insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert


def _executemany(connection: Connection, statement, rows: pd.DataFrame) -> None:
    """Send `rows` through the driver's own executemany, in the statement's parameter order.

    SQLAlchemy's per-row parameter handling costs about 10 us a row; a million-row import cannot afford it. The
    statement is still compiled by SQLAlchemy for this dialect and each value still goes through the column type's
    own bind processor (applied once per distinct value), so what is stored is exactly what `execute` would store.
    """
    if rows.empty:
        return
    compiled = statement.compile(dialect=connection.dialect, column_keys=list(rows.columns))
    values = _driver_values(connection, statement.table, rows)
    if compiled.positional:
        order = [compiled.binds[name].key for name in compiled.positiontup]
        parameters = list(zip(*(values[name] for name in order), strict=True))
    else:
        parameters = [dict(zip(values, row, strict=True)) for row in zip(*values.values(), strict=True)]
    connection.exec_driver_sql(str(compiled), parameters)


def _driver_values(connection: Connection, table: Table, rows: pd.DataFrame) -> dict[str, list]:
    """Per column, plain Python values the driver accepts: None for missing, the type's bind processor applied."""
    dialect = connection.dialect
    columns = {}
    for name in rows.columns:
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        is_date = pd.api.types.is_datetime64_any_dtype(rows[name])
        if processor is None and not is_date:
            columns[name] = rows[name].to_numpy(dtype=object, na_value=None).tolist()
            continue
        codes, uniques = pd.factorize(rows[name], use_na_sentinel=True)
        plain = uniques.to_numpy().astype("datetime64[D]").astype(object) if is_date else list(uniques)
        processed = np.array([processor(v) if processor else v for v in plain] + [None], dtype=object)
        columns[name] = processed[codes].tolist()
    return columns


def _store_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return _typed_stores(frame[STORE_COLUMNS].reset_index(drop=True))


def _observation_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return _typed_observations(frame[OBSERVATION_COLUMNS].reset_index(drop=True))


def _typed_stores(frame: pd.DataFrame) -> pd.DataFrame:
    types = {c: "Float64" for c in (S.wage_per_hour, S.target_service_level, S.target_wait_seconds,
                                     S.patience_minutes, S.max_abandon_share)}
    types |= {S.min_staff: "Int64", S.max_staff: "Int64"}
    types |= {c: str for c in (S.store_id, S.name, S.region, S.format, *WEEKDAYS)}
    return frame.astype(types)


def _typed_observations(frame: pd.DataFrame) -> pd.DataFrame:
    types = {c: "Int64" for c in (O.hour, O.visitors, O.assisted, O.self_service, O.staff_on_duty)}
    types |= {O.assisted_minutes: "Float64", O.self_service_minutes: "Float64", O.store_id: str}
    frame = frame.astype(types)
    frame[O.date] = pd.to_datetime(frame[O.date]).astype("datetime64[ns]")
    return frame


def _take_write_lock_at_begin(engine: Engine) -> None:
    """SQLite: BEGIN IMMEDIATE, so a writer waits for the lock up front instead of failing on upgrade (SQLAlchemy's
    documented pysqlite recipe). Also turns foreign keys on, which SQLite leaves off by default, and write-ahead
    logging on."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        # readers (the app) never wait for a writer (an import), and a writer never waits for readers
        dbapi_connection.execute("PRAGMA journal_mode = WAL")

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class _busy_as_error:
    """Turn a lock wait that ran out into `DatabaseBusy` (the transaction has already been rolled back)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, _traceback) -> bool:
        if isinstance(error, exc.OperationalError) and _is_busy(error):
            raise DatabaseBusy() from error
        return False


def _is_busy(error: exc.OperationalError) -> bool:
    text = str(error.orig).lower()
    return "database is locked" in text or "database is busy" in text or "lock timeout" in text
