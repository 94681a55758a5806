"""Writing validated frames: one transaction per import, every row an upsert, counts taken under the write lock.

The upsert is the dialect's own `INSERT ... ON CONFLICT DO UPDATE` on SQLite and PostgreSQL and a portable
delete-then-insert elsewhere. A rejected file never reaches this module, and a failure part-way rolls everything
back. Writers run one at a time (`engine.take_write_lock`), so added / replaced / unchanged are exact even when
several processes import the same keys at once. Stored rows are compared with the new ones a chunk at a time, so an
unchanged re-import costs about what the first import cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Table, delete, func, insert, select, tuple_
from sqlalchemy.engine import Connection

from planner.access.scope import CHANGE_STORES, EVERYTHING, UPLOAD, OutsideScope, Scope
from planner.schemas import OBSERVATION_KEY, ObservationSchema as O, StoreSchema as S
from planner.storage import audit
from planner.storage.engine import database_errors, take_write_lock, url_of
from planner.storage.scoped import check_store_ids, check_store_rows
from planner.storage.read import read_chunks
from planner.store_rows import changed_cells
from planner.storage.tables import (
    CALENDAR_KEY, OBSERVATION_COLUMNS, STORE_COLUMNS, employees, observations, stores, typed, uploads,
)
from planner.words import counted

WRITE_BATCH_ROWS = 50_000
"""Rows handed to the driver at a time: bounds the Python objects alive during a write."""


@dataclass(frozen=True)
class ImportSummary:
    file_name: str
    kind: str
    rows_added: int
    rows_replaced: int
    rows_unchanged: int
    imported_before: datetime | None = None
    """When the same file (by sha256) was imported before, if it was."""
    warnings: tuple = ()
    """The file's warnings (`planner.errors.InputProblem`), imported as they are: what the check said of it."""
    rows_superseded: int = 0
    """Rows not imported because a later file of the same import has their key (that file's row is imported and
    counted there): neither added, replaced nor unchanged."""

    @property
    def changed(self) -> bool:
        return bool(self.rows_added or self.rows_replaced)

    def __str__(self) -> str:
        if not self.changed and not self.rows_superseded:
            before = f" (the same file was imported {self.imported_before:%Y-%m-%d %H:%M} UTC)" if self.imported_before else ""
            stored = f"all {counted(self.rows_unchanged, 'row')} are" if self.rows_unchanged != 1 else "its row is"
            return f"{self.file_name}: nothing changed, {stored} already stored{before}"
        return f"{self.file_name}: " + _counts(self.rows_added, self.rows_replaced, self.rows_unchanged,
                                                 self.rows_superseded)


def save(
    engine: Engine,
    store_frame: pd.DataFrame | None = None,
    store_file: tuple[str, str] | None = None,
    observation_frames: list[tuple[pd.DataFrame, str, str]] = (),
    employee_file: tuple[pd.DataFrame, str, str] | None = None,
    absence_files: list[tuple[pd.DataFrame, str, str]] = (),
    scope: Scope = EVERYTHING,
    calendar_files: list[tuple[pd.DataFrame, str, str]] = (),
) -> list[ImportSummary]:
    """Store validated frames in ONE transaction. `store_file` is (file name, sha256); each observation, employee,
    absence and calendar entry is (validated frame, file name, sha256; a calendar's rows as the database keeps them,
    `planner.io.calendar.calendar_rows`). Rows with the same key as stored ones replace them. A
    row of a store `scope` does not cover (as stored or as written) refuses the whole import (`OutsideScope`)."""
    scope.require(UPLOAD)
    summaries = []
    with database_errors(url_of(engine)), engine.begin() as connection:
        take_write_lock(connection)
        if store_frame is not None:
            name, digest = store_file
            rows = typed(stores, store_frame[STORE_COLUMNS].reset_index(drop=True))
            check_store_rows(connection, scope, zip(rows[S.store_id], rows[S.region], strict=True), name)
            if not scope.may(CHANGE_STORES):
                _check_rows_as_stored(connection, scope, rows, name)
            summaries.append(upsert_file(connection, stores, rows, [S.store_id], name, "stores", digest))
        superseded = superseded_rows([frame for frame, _, _ in observation_frames], OBSERVATION_KEY)
        for (frame, name, digest), later in zip(observation_frames, superseded, strict=True):
            rows = typed(observations, frame[OBSERVATION_COLUMNS].reset_index(drop=True))
            check_store_ids(connection, scope, rows[O.store_id].unique(), name)
            summaries.append(upsert_file(connection, observations, rows, OBSERVATION_KEY, name, "observations",
                                         digest, later))
        if employee_file is not None or absence_files:
            from planner.storage.people_store import upsert_people  # it builds on this module's upsert

            summaries += upsert_people(connection, employee_file, list(absence_files), scope)
        if calendar_files:
            from planner.storage.calendar_store import write_calendar  # it builds on this module's upsert

            later = superseded_rows([frame for frame, _, _ in calendar_files], CALENDAR_KEY)
            summaries += [write_calendar(connection, frame, name, digest, scope, superseded)
                          for (frame, name, digest), superseded in zip(calendar_files, later, strict=True)]
    return summaries


def superseded_rows(frames: list[pd.DataFrame], key: list[str]) -> list[np.ndarray]:
    """Per frame of one import, in order, which rows a later frame's row of the same key supersedes (a boolean per
    row): files are imported in order, so the later file's row is the one kept, and counted, and the earlier is not."""
    result, later = [], None
    for frame in reversed(frames):
        keys = _key_index(frame.reset_index(drop=True), key)
        result.append(np.zeros(len(keys), dtype=bool) if later is None else keys.isin(later))
        later = keys if later is None else later.append(keys).unique()
    return result[::-1]


# --- helpers -------------------------------------------------------------------------------------------------------


def _check_rows_as_stored(connection: Connection, scope: Scope, rows: pd.DataFrame, name: str) -> None:
    """Refuse (`OutsideScope`) store rows that are not as stored, or of stores not stored, from a `scope` that may
    not change the chain's store file; its rows as they are may be written again (an upload of the chain's file)."""
    query = select(*(stores.c[column] for column in STORE_COLUMNS)).where(
        stores.c.store_id.in_(sorted(set(rows[S.store_id].astype(str)))))
    stored = pd.DataFrame(connection.execute(query).all(), columns=STORE_COLUMNS)
    changed, new = changed_cells(rows, stored)
    if changed or new:
        said = [f"{cell.store_id}'s {cell.column} {cell.stored or '(empty)'} → {cell.written or '(empty)'}"
                for cell in changed] + [f"{store_id} is not stored" for _, store_id in new]
        raise OutsideScope(f"{name}: the store file is the chain's, which only a planner may change ({scope.user}, "
                           f"{scope.role.replace('_', ' ')}): {'; '.join(said)}; nothing was written")



def upsert_file(
    connection: Connection, table: Table, rows: pd.DataFrame, key: list[str], name: str, kind: str, digest: str,
    superseded: np.ndarray | None = None,
) -> ImportSummary:
    """Store `rows` but those `superseded` (a boolean per row: a later file of the same import has its key), count
    them and record the import in the audit trail."""
    skipped = np.zeros(len(rows), dtype=bool) if superseded is None else np.asarray(superseded, dtype=bool)
    found, same = _compare_with_stored(connection, table, rows, key)
    found_kept = found & ~skipped
    added, replaced = int((~found & ~skipped).sum()), int((found_kept & ~same).sum())
    unchanged, dropped = int((found_kept & same).sum()), int(skipped.sum())
    _record_import(connection, rows, name, kind, digest, added, replaced, unchanged, dropped)
    if not (added or replaced):
        before = connection.execute(
            select(func.min(uploads.c.uploaded_at)).where(uploads.c.sha256 == digest, uploads.c.kind == kind)
        ).scalar_one()
        return ImportSummary(name, kind, 0, 0, unchanged, before, rows_superseded=dropped)
    upload_id = connection.execute(
        insert(uploads).values(
            file_name=name, kind=kind, sha256=digest, uploaded_at=datetime.now(UTC),
            rows_added=added, rows_replaced=replaced, rows_unchanged=unchanged,
        )
    ).inserted_primary_key[0]
    changed = rows.loc[~(found & same) & ~skipped].assign(upload_id=upload_id)
    _write(connection, table, changed, key, replace=bool(replaced))
    return ImportSummary(name, kind, added, replaced, unchanged, rows_superseded=dropped)


def _counts(added: int, replaced: int, unchanged: int, superseded: int) -> str:
    """The counts as the summary and its audit entry say them ("superseded" only where a row was), with thousands
    separators as every other count is said ("1,686 rows added", not "1686")."""
    said = f"{counted(added, 'row')} added, {replaced:,} replaced, {unchanged:,} unchanged"
    return said + (f", {superseded:,} superseded by a later file of the import" if superseded else "")


def _record_import(connection: Connection, rows: pd.DataFrame, name: str, kind: str, digest: str, added: int,
                   replaced: int, unchanged: int, superseded: int = 0) -> None:
    """The import's audit entry, an import that changed nothing included (who sent the same file again)."""
    counts = {"rows_added": added, "rows_replaced": replaced, "rows_unchanged": unchanged}
    if superseded:
        counts["rows_superseded"] = superseded
    summary = f"{name} ({kind}, sha256 {digest[:12]}): {_counts(added, replaced, unchanged, superseded)}"
    if S.store_id in rows:
        stores = rows[S.store_id].astype(str).unique().tolist()
    elif "employee_id" in rows:  # an absence file names people: its entry is found under their home stores
        people = rows["employee_id"].astype(str).unique().tolist()
        stores = list(connection.execute(select(employees.c.store_id).where(employees.c.employee_id.in_(people))
                                         .distinct()).scalars())
    else:
        stores = []
    audit.record(connection, audit.IMPORT, summary, stores=stores,
                 details={"file_name": name, "kind": kind, "sha256": digest, **counts})


def _compare_with_stored(connection: Connection, table: Table, rows: pd.DataFrame, key: list[str]):
    """Per row of `rows` (boolean arrays): is its key stored already (found), and are all its values the same (same)?

    Stored rows are read a chunk at a time and matched by key to the new rows (indexed once), so memory holds the
    new rows and one chunk, never a merge of both, and time grows with the rows, not with rows x chunks."""
    found = np.zeros(len(rows), dtype=bool)
    same = np.zeros(len(rows), dtype=bool)
    if rows.empty:
        return found, same
    values = [c for c in rows.columns if c not in key]
    new_keys = _key_index(rows, key)
    if not new_keys.is_unique:  # validation rejects such a file; storing it would make the counts meaningless
        raise ValueError(f"rows to store repeat a key ({', '.join(key)}): validate them before saving")
    for stored in _stored_rows(connection, table, rows, key):
        at_rows = new_keys.get_indexer(_key_index(stored, key))
        at_stored = np.flatnonzero(at_rows >= 0)
        at_rows = at_rows[at_stored]
        if not len(at_rows):
            continue
        found[at_rows] = True
        equal = np.ones(len(at_rows), dtype=bool)
        for column in values:
            new = rows[column].iloc[at_rows].reset_index(drop=True)
            old = stored[column].iloc[at_stored].reset_index(drop=True)
            equal &= ((new == old).fillna(False) | (new.isna() & old.isna())).to_numpy(dtype=bool)
        same[at_rows] = equal
    return found, same


def _key_index(frame: pd.DataFrame, key: list[str]) -> pd.Index:
    return pd.Index(frame[key[0]]) if len(key) == 1 else pd.MultiIndex.from_frame(frame[key])


def _stored_rows(connection: Connection, table: Table, rows: pd.DataFrame, key: list[str]):
    """Chunks of the stored rows that may share a key with `rows`, narrowed by the first key column and, for dated
    rows, the date range (one indexed range scan rather than one query per key)."""
    columns = [c.name for c in table.columns if c.name != "upload_id"]
    query = select(*(table.c[c] for c in columns)).where(table.c[key[0]].in_(rows[key[0]].unique().tolist()))
    if O.date in key:
        query = query.where(table.c[O.date].between(rows[O.date].min().date(), rows[O.date].max().date()))
    return read_chunks(connection, query, columns, lambda frame: typed(table, frame))


def _write(connection: Connection, table: Table, rows: pd.DataFrame, key: list[str], *, replace: bool) -> None:
    """Every write is an upsert: even a row counted as new must not fail if its key appeared meanwhile."""
    dialect = connection.dialect.name
    if dialect in ("sqlite", "postgresql"):
        statement = _dialect_insert(dialect)(table)
        updates = {c: statement.excluded[c] for c in rows.columns if c not in key}
        statement = statement.on_conflict_do_update(index_elements=key, set_=updates)
    else:  # portable fallback: remove the rows being replaced, then insert everything
        statement = insert(table)
        if replace:
            for start in range(0, len(rows), WRITE_BATCH_ROWS):
                batch = rows[key].iloc[start:start + WRITE_BATCH_ROWS]
                keys = list(zip(*_driver_values(connection, table, batch).values(), strict=True))
                connection.execute(delete(table).where(tuple_(*(table.c[k] for k in key)).in_(keys)))
    for start in range(0, len(rows), WRITE_BATCH_ROWS):
        _executemany(connection, statement, rows.iloc[start:start + WRITE_BATCH_ROWS])


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
