"""Saved rosters: one JSON document (`planner.roster.document`) per store and ISO week, kept like plans.

A roster is saved as a draft; publishing it makes it THE roster of its store and week, and the roster published
before (if any) becomes `superseded`, kept as history (a re-plan is published the same way). One transaction under
the writers' lock, and a unique index over published rows, keep "one published roster per store and week" true.

    roster_id = save_roster(engine, store_id, iso_week, document, created_by, note)
    publish_roster(engine, roster_id, by); published_roster(engine, store_id, iso_week) -> StoredRoster | None
    list_rosters(engine, store_id=None, iso_week=None, scope, status=None) -> frame (no documents); load_roster(engine, roster_id, scope)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, insert, select

from planner import clock
from planner.access.scope import EVERYTHING, Scope
from planner.storage import audit
from planner.storage.engine import database_errors, take_write_lock, url_of
from planner.storage.scoped import where_visible
from planner.storage.tables import NOTE_MAX_CHARS, PERSON_MAX_CHARS, STORE_ID_MAX_CHARS, rosters
from planner.storage.versioned import (
    DRAFT, PUBLISHED, SUPERSEDED, check_iso_week, checked_document, checked_text, listed, publish_row, record_values,
    require_store, visible_row,
)

STATUSES = (DRAFT, PUBLISHED, SUPERSEDED)
LIST_COLUMNS = ["roster_id", "store_id", "iso_week", "status", "created_at", "created_by", "published_at",
                "published_by", "note"]


@dataclass(frozen=True)
class StoredRoster:
    """A saved roster: its record and its document (the JSON text it was saved with)."""

    roster_id: int
    store_id: str
    iso_week: str
    created_at: datetime
    created_by: str
    status: str
    published_at: datetime | None
    published_by: str | None
    note: str | None
    document: str


def save_roster(engine: Engine, store_id: str, iso_week: str, document: str, created_by: str,
                note: str = "") -> int:
    """Save a draft roster for `store_id` and `iso_week` ('2026-W50'); returns its roster_id. `note` says why (a
    re-plan: the change it answers)."""
    row = {
        "store_id": checked_text(store_id, "store_id", STORE_ID_MAX_CHARS),
        "iso_week": check_iso_week(iso_week),
        "document": checked_document(document, "roster"),
        "created_by": checked_text(created_by, "created_by", PERSON_MAX_CHARS),
        "created_at": clock.now(),
        "status": DRAFT,
        "note": checked_text(note, "note", NOTE_MAX_CHARS) if note else None,
    }
    with database_errors(url_of(engine)), engine.begin() as connection:
        take_write_lock(connection)
        require_store(connection, store_id)
        roster_id = connection.execute(insert(rosters).values(**row)).inserted_primary_key[0]
        replanned = bool(note) and note.startswith("re-plan")
        audit.record(connection, audit.REPLAN if replanned else audit.ROSTER,
                     f"roster {roster_id} made for {store_id} {iso_week} (draft){f': {note}' if note else ''}",
                     stores=[store_id], by=row["created_by"],
                     details={"roster_id": roster_id, "iso_week": row["iso_week"], "note": note})
        return roster_id


def publish_roster(engine: Engine, roster_id: int, by: str, *, as_is: str = "") -> StoredRoster:
    """Publish roster `roster_id` for its store and week; the roster published there before becomes superseded.
    Publishing the published roster again changes nothing. `as_is`: why the roster was published though a check
    would have kept it a draft (stale, or the quick roster), kept in its audit entry. Returns the roster as now
    stored."""
    by = checked_text(by, "by", PERSON_MAX_CHARS)
    with database_errors(url_of(engine)), engine.begin() as connection:
        take_write_lock(connection)
        found = _roster(connection, roster_id)
        if found.status != PUBLISHED:
            before = publish_row(connection, rosters, "roster_id", roster_id, found.store_id, found.iso_week, by)
            superseded = "" if before is None else f"; roster {before} superseded"
            audit.record(connection, audit.PUBLISH,
                         f"roster {roster_id} published for {found.store_id} {found.iso_week}{superseded}"
                         + (f" ({found.note})" if found.note else "") + audit.as_is_words(as_is),
                         stores=[found.store_id], by=by,
                         details={"roster_id": roster_id, "iso_week": found.iso_week, "superseded": before,
                                  **audit.as_is_details(as_is)})
        return _roster(connection, roster_id)


def load_roster(engine: Engine, roster_id: int, scope: Scope = EVERYTHING) -> StoredRoster:
    """Roster `roster_id` with its document; `UnknownRecord` if there is none or it is of a store `scope` does not
    cover (said alike, as of plans)."""
    with database_errors(url_of(engine)), engine.connect() as connection:
        return _roster(connection, roster_id, scope)


def published_roster(engine: Engine, store_id: str, iso_week: str) -> StoredRoster | None:
    """The roster published for `store_id` and `iso_week`, or None."""
    query = select(rosters).where(rosters.c.store_id == store_id, rosters.c.iso_week == check_iso_week(iso_week),
                                  rosters.c.status == PUBLISHED)
    with database_errors(url_of(engine)), engine.connect() as connection:
        row = connection.execute(query).first()
    return None if row is None else _stored(row)


def list_rosters(engine: Engine, store_id: str | None = None, iso_week: str | None = None,
                 scope: Scope = EVERYTHING, *, status: str | None = None) -> pd.DataFrame:
    """Saved rosters (`LIST_COLUMNS`, no documents; times in UTC) of the stores `scope` covers, newest first: all, or
    those of `store_id` and/or `iso_week` and/or `status` (`DRAFT`, `PUBLISHED` or `SUPERSEDED`)."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"a roster's status is one of {', '.join(STATUSES)}, not {status!r}")
    query = where_visible(select(*(rosters.c[c] for c in LIST_COLUMNS)).order_by(rosters.c.roster_id.desc()),
                          rosters.c.store_id, scope)
    if store_id is not None:
        query = query.where(rosters.c.store_id == store_id)
    if iso_week is not None:
        query = query.where(rosters.c.iso_week == check_iso_week(iso_week))
    if status is not None:
        query = query.where(rosters.c.status == status)
    with database_errors(url_of(engine)), engine.connect() as connection:
        return listed(connection, query, LIST_COLUMNS)


# --- helpers -------------------------------------------------------------------------------------------------------


def _roster(connection, roster_id: int, scope: Scope = EVERYTHING) -> StoredRoster:
    return _stored(visible_row(connection, rosters, "roster_id", roster_id, scope, "roster"))


def _stored(row) -> StoredRoster:
    return StoredRoster(**record_values(row, StoredRoster.__dataclass_fields__))

