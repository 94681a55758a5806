"""What saved plans and saved rosters share: documents kept per store and ISO week as drafts, one of them published.

A document is saved as a `DRAFT`; publishing it makes it THE document of its store and week, and the one published
there before (if any) becomes `SUPERSEDED`, kept as history. `publish_row` does that inside the caller's
transaction (under the writers' lock); a unique index on (store_id, iso_week) over published rows of each table keeps
"one published per store and week" true whatever any writer does.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import Table, select, update

from planner import clock
from planner.access.scope import Scope
from planner.errors import InvalidRequest, PlannerError, UnknownRecord
from planner.schemas import DATE_YEARS
from planner.storage.scoped import visible_ids
from planner.storage.tables import stores

DRAFT, PUBLISHED, SUPERSEDED = "draft", "published", "superseded"
ISO_WEEK = re.compile(r"(?P<year>\d{4})-W(?P<week>\d{2})")
TIME_COLUMNS = ("created_at", "published_at")
"""The record's moments, stored in UTC."""


def check_iso_week(iso_week: str) -> str:
    """`iso_week` if it names a week of the ISO calendar as 'YYYY-Www' (2026-W53 does, 2025-W53 does not)."""
    match = ISO_WEEK.fullmatch(str(iso_week))
    try:
        if match is None or not DATE_YEARS[0] <= int(match["year"]) <= DATE_YEARS[1]:
            raise ValueError
        date.fromisocalendar(int(match["year"]), int(match["week"]), 1)
    except ValueError:
        raise PlannerError(f"{iso_week!r} is not an ISO week: write it as YYYY-Www, e.g. 2026-W50 (years "
                           f"{DATE_YEARS[0]}-{DATE_YEARS[1]}, weeks 01-52, or 53 in long years)") from None
    return str(iso_week)


def checked_text(value: str, name: str, limit: int) -> str:
    """`value` if it is a non-empty text of at most `limit` characters (the column's length)."""
    if not isinstance(value, str) or not value.strip():
        raise PlannerError(f"{name} must be a non-empty text, got {value!r}")
    if len(value) > limit:
        raise PlannerError(f"{name} is {len(value)} characters long: at most {limit} are stored")
    return value


def checked_document(document: str, kind: str, fix: str = "") -> str:
    """`document` if it is JSON text; `kind` names it ('plan', 'roster') and `fix` ends the message."""
    if not isinstance(document, str):
        raise PlannerError(f"a {kind} is saved as its JSON text{fix and f' ({fix})'}, got a "
                           f"{type(document).__name__}")
    try:
        json.loads(document)
    except ValueError as error:
        raise PlannerError(f"the {kind}'s document is not JSON ({error}){fix and f': save {fix}'}") from error
    return document


def require_store(connection, store_id: str) -> None:
    """`PlannerError` unless the store is in the database."""
    if connection.execute(select(stores.c.store_id).where(stores.c.store_id == store_id)).first() is None:
        raise PlannerError(f"there is no store {store_id!r} in the database: import its store file first")


def publish_row(connection, table: Table, key: str, row_id: int, store_id: str, iso_week: str, by: str) -> int | None:
    """Publish row `row_id` (its `key` column) of `table` for its store and week, superseding the row published
    there before; returns that row's id (None if there was none). The caller holds the transaction and the lock."""
    same_week = (table.c.store_id == store_id) & (table.c.iso_week == iso_week)
    before = connection.execute(select(table.c[key]).where(same_week, table.c.status == PUBLISHED)).scalar()
    connection.execute(update(table).where(same_week, table.c.status == PUBLISHED).values(status=SUPERSEDED))
    connection.execute(update(table).where(table.c[key] == row_id)
                       .values(status=PUBLISHED, published_at=clock.now(), published_by=by))
    return before


def visible_row(connection, table: Table, key: str, record_id: int, scope: Scope, noun: str):
    """Row `record_id` (its `key` column) of `table`, a saved plan's or roster's; `UnknownRecord` when there is none
    or it is of a store `scope` does not cover, in the same words either way, so that an id names no other store's
    record ("there is no saved plan 7 of your stores: `plans list` shows the saved plans")."""
    row = connection.execute(select(table).where(table.c[key] == int(record_id))).first()
    if row is None or not (scope.all_stores or row.store_id in visible_ids(connection, scope)):
        yours = "" if scope.all_stores else " of your stores"
        raise UnknownRecord(f"there is no saved {noun} {record_id}{yours}: `{noun}s list` shows the saved {noun}s")
    return row


def refuse_not_draft(stored, noun: str, record_id: int, remake: str) -> None:
    """`InvalidRequest` unless the saved `stored` (a plan's or a roster's record: its store, week, status and who
    published it when) is a draft, which alone is published: publishing the published one again would change
    nothing, and a superseded one is history that a newer one replaced. `noun` names the record ("plan", "roster"
    {record_id}) and `remake` how a new draft of its store and week is made."""
    what = f"{noun} {record_id} ({stored.store_id} {stored.iso_week})"
    if stored.status == PUBLISHED:
        raise InvalidRequest(f"{what} is already published ({stored.published_at:%Y-%m-%d %H:%M} UTC by "
                             f"{stored.published_by}): nothing changed")
    if stored.status != DRAFT:
        raise InvalidRequest(f"{what} is {stored.status}: a newer {noun} of its store and week was published after "
                             f"it, and it is kept as history; make a new draft ({remake}) and publish that")


def record_values(row, fields) -> dict:
    """A stored row's `fields` as a dict, its moments in UTC."""
    values = {name: getattr(row, name) for name in fields}
    for name in TIME_COLUMNS:
        values[name] = utc(values[name])
    return values


def listed(connection, query, columns: list[str]) -> pd.DataFrame:
    """The rows of `query` as a frame of `columns`, the moments as UTC timestamps."""
    frame = pd.DataFrame(connection.execute(query).all(), columns=columns)
    for name in TIME_COLUMNS:
        frame[name] = pd.to_datetime(frame[name], utc=True)
    return frame


def utc(moment: datetime | None) -> datetime | None:
    """SQLite gives the stored UTC time without its zone; PostgreSQL gives it in the session's zone."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
