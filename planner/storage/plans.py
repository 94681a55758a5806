"""Saved plans: one JSON document (`Plan.to_json()`) per store and ISO week, with its input fingerprint.

A plan is saved as a draft; publishing it makes it the plan its store works to that week, and the plan published before
(if any) becomes `superseded`, kept as history. Publishing runs in one transaction under the writers' lock, and a
unique index on (store_id, iso_week) over published rows keeps "one published plan per store and week" true
whatever any writer does.

    plan_id = save_plan(engine, store_id, iso_week, fingerprint, document, created_by)
    publish_plan(engine, plan_id, by); published_plan(engine, store_id, iso_week) -> StoredPlan | None
    list_plans(engine, store_id=None, iso_week=None, store_ids=None) -> frame (no documents); load_plan(engine, plan_id)

Beside the document, each row keeps the plan's input summary (`SUMMARY_COLUMNS`: the digests of its counts, store
file row, calendar exceptions and settings, and its what-if values), taken from the document when it is saved, so a
list can tell which plans are out of date without opening a document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.engine import Connection

from planner import clock
from planner.access.scope import EVERYTHING, PLAN, PUBLISH, Scope
from planner.storage import audit
from planner.storage.engine import cache_write, database_errors, take_write_lock, url_of
from planner.storage.scoped import check_store_ids, visible_ids, where_visible
from planner.storage.versioned import (
    DRAFT, PUBLISHED, check_iso_week, checked_document, checked_text, listed, publish_row, record_values,
    require_store, visible_row,
)
from planner.storage.tables import (
    FINGERPRINT_MAX_CHARS, PERSON_MAX_CHARS, PLAN_INPUTS, STORE_ID_MAX_CHARS, plan_pooled_checks, plans, pooled_digests,
)

if TYPE_CHECKING:
    from planner.storage.write import ImportSummary

LIST_COLUMNS = ["plan_id", "store_id", "iso_week", "status", "fingerprint", "created_at", "created_by",
                "published_at", "published_by"]
SUMMARY_COLUMNS = [*(f"{part}_digest" for part in PLAN_INPUTS), "what_if", "pooled_digest"]
"""The input summary `list_plans` gives after `LIST_COLUMNS`: a digest per input (None for a document without a
fingerprint), the what-if values ({} for none) and the digest of the chain's counts the pooled model read (None for a
plan made before plans kept it)."""
RESULT_COLUMNS = ["schedule_status", "uncovered_staff_hours", "wage_cost"]
"""The schedule's result `list_plans` gives last (`result_summary`): its status code, its uncovered staff-hours and
its wage cost (None where the document has no schedule row or a figure is blank)."""


@dataclass(frozen=True)
class StoredPlan:
    """A saved plan: its record and its document (the JSON text it was saved with, for `Plan.from_json`)."""

    plan_id: int
    store_id: str
    iso_week: str
    fingerprint: str
    created_at: datetime
    created_by: str
    status: str
    published_at: datetime | None
    published_by: str | None
    document: str


def save_plan(engine: Engine, store_id: str, iso_week: str, fingerprint: str, document: str, created_by: str,
              scope: Scope = EVERYTHING) -> int:
    """Save a draft plan for `store_id` and `iso_week` ('2026-W50'); returns its plan_id. `OutsideScope` for a store
    `scope` does not cover or a role that may not plan."""
    return save_plans(engine, [(store_id, iso_week, fingerprint, document)], created_by, scope)[0]


def save_plans(engine: Engine, parts: list[tuple[str, str, str, str]], created_by: str, scope: Scope = EVERYTHING,
               *, publish: bool = False) -> list[int]:
    """Save plans, each (store_id, iso_week, fingerprint, document), as drafts or, with `publish`, published (each
    store-week's plan published before becoming superseded), all in ONE transaction: a command stopped or refused
    midway keeps none of them (it had kept some published, the rest drafts). Returns their plan_ids in order."""
    return save_plans_with_calendar(engine, parts, created_by, None, scope, publish=publish)[0]


def save_plans_with_calendar(engine: Engine, parts: list[tuple[str, str, str, str]], created_by: str,
                             calendar: tuple[pd.DataFrame, str, str] | None, scope: Scope = EVERYTHING,
                             *, publish: bool = False) -> tuple[list[int], ImportSummary | None]:
    """`save_plans`, and in the same transaction the store calendar the plans were made with (rows as stored, file
    name, sha256; `calendar_store.write_calendar`), stored first: a plan refused keeps no calendar, and a calendar
    refused no plan. Returns the plan_ids and the calendar's import summary (None without a calendar)."""
    from planner.storage.calendar_store import write_calendar  # it builds on `write`, which this module need not

    scope.require(PUBLISH if publish else PLAN)
    created_at = clock.now()
    rows = [{
        "store_id": checked_text(store_id, "store_id", STORE_ID_MAX_CHARS),
        "iso_week": check_iso_week(iso_week),
        "fingerprint": checked_text(fingerprint, "fingerprint", FINGERPRINT_MAX_CHARS),
        "document": checked_document(document, "plan", "Plan.to_json()"),
        **input_summary(document),
        **result_summary(document),
        "created_by": checked_text(created_by, "created_by", PERSON_MAX_CHARS),
        "created_at": created_at,
        "status": DRAFT,
    } for store_id, iso_week, fingerprint, document in parts]
    ids = []
    with database_errors(url_of(engine)), engine.begin() as connection:
        take_write_lock(connection)
        stored = None if calendar is None else write_calendar(connection, *calendar, scope)
        for row in rows:
            store_id, iso_week = row["store_id"], row["iso_week"]
            require_store(connection, store_id)
            check_store_ids(connection, scope, [store_id], f"plan for {iso_week}")
            plan_id = connection.execute(insert(plans).values(**row)).inserted_primary_key[0]
            audit.record(connection, audit.PLAN, f"plan {plan_id} made for {store_id} {iso_week} (draft)",
                         stores=[store_id], details={"plan_id": plan_id, "iso_week": iso_week}, by=created_by)
            if publish:
                _publish(connection, plan_id, created_by, scope)
            ids.append(plan_id)
    return ids, stored


def publish_plan(engine: Engine, plan_id: int, by: str, scope: Scope = EVERYTHING, *, as_is: str = "") -> StoredPlan:
    """Publish plan `plan_id` for its store and week; the plan published there before becomes superseded. Publishing
    the published plan again changes nothing. Only a role that may publish, for a store in its scope
    (`OutsideScope`). `as_is`: why the plan was published though a check would have kept it a draft ("out of date:
    the counts changed since it was made"), kept in its audit entry. Returns the plan as now stored."""
    scope.require(PUBLISH)
    by = checked_text(by, "by", PERSON_MAX_CHARS)
    with database_errors(url_of(engine)), engine.begin() as connection:
        take_write_lock(connection)
        return _publish(connection, plan_id, by, scope, as_is)


def _publish(connection: Connection, plan_id: int, by: str, scope: Scope, as_is: str = "") -> StoredPlan:
    found = _plan(connection, plan_id, scope)
    if found.status != PUBLISHED:
        before = publish_row(connection, plans, "plan_id", plan_id, found.store_id, found.iso_week, by)
        superseded = "" if before is None else f"; plan {before} superseded"
        audit.record(connection, audit.PUBLISH,
                     f"plan {plan_id} published for {found.store_id} {found.iso_week}{superseded}"
                     + audit.as_is_words(as_is), stores=[found.store_id], by=by,
                     details={"plan_id": plan_id, "iso_week": found.iso_week, "superseded": before,
                              **audit.as_is_details(as_is)})
    return _plan(connection, plan_id, scope)


def load_plan(engine: Engine, plan_id: int, scope: Scope = EVERYTHING) -> StoredPlan:
    """Plan `plan_id` with its document; `UnknownRecord` if there is none or it is of a store `scope` does not cover
    (said alike)."""
    with database_errors(url_of(engine)), engine.connect() as connection:
        return _plan(connection, plan_id, scope)


def published_plan(engine: Engine, store_id: str, iso_week: str, scope: Scope = EVERYTHING) -> StoredPlan | None:
    """The plan published for `store_id` and `iso_week`, or None; `OutsideScope` for a store `scope` does not
    cover."""
    query = select(plans).where(plans.c.store_id == store_id, plans.c.iso_week == check_iso_week(iso_week),
                                plans.c.status == PUBLISHED)
    with database_errors(url_of(engine)), engine.connect() as connection:
        if not scope.all_stores:
            scope.require_stores([store_id], visible_ids(connection, scope))
        row = connection.execute(query).first()
    return None if row is None else _stored(row)


def published_history(engine: Engine, store_id: str, iso_week: str, scope: Scope = EVERYTHING) -> list[StoredPlan]:
    """Every plan ever published for `store_id` and `iso_week` (the one published now and those it superseded),
    in the order published; `OutsideScope` for a store `scope` does not cover."""
    query = select(plans).where(plans.c.store_id == store_id, plans.c.iso_week == check_iso_week(iso_week),
                                plans.c.published_at.is_not(None)).order_by(plans.c.published_at, plans.c.plan_id)
    with database_errors(url_of(engine)), engine.connect() as connection:
        if not scope.all_stores:
            scope.require_stores([store_id], visible_ids(connection, scope))
        return [_stored(row) for row in connection.execute(query)]


def list_plans(engine: Engine, store_id: str | None = None, iso_week: str | None = None,
               scope: Scope = EVERYTHING, *, store_ids: Iterable[str] | None = None,
               plan_id: int | None = None) -> pd.DataFrame:
    """Saved plans (`LIST_COLUMNS`, `SUMMARY_COLUMNS` and `RESULT_COLUMNS`, no documents; times in UTC) of the stores
    `scope` covers,
    newest first: all, or those of `store_id` (or of any of `store_ids`) and/or `iso_week`, or plan `plan_id`'s row
    alone."""
    columns = LIST_COLUMNS + SUMMARY_COLUMNS + RESULT_COLUMNS
    query = where_visible(select(*(plans.c[c] for c in columns)).order_by(plans.c.plan_id.desc()),
                          plans.c.store_id, scope)
    if store_id is not None:
        query = query.where(plans.c.store_id == store_id)
    if store_ids is not None:
        query = query.where(plans.c.store_id.in_(list(store_ids)))
    if iso_week is not None:
        query = query.where(plans.c.iso_week == check_iso_week(iso_week))
    if plan_id is not None:
        query = query.where(plans.c.plan_id == plan_id)
    with database_errors(url_of(engine)), engine.connect() as connection:
        return listed(connection, query, columns)


def input_summary(document: str) -> dict[str, object]:
    """The `SUMMARY_COLUMNS` of a plan document (`Plan.to_json()`): its fingerprint's input digests, its request's
    what-if values and its `pooled_inputs`; the digests are None for a document without them. (Migration 0003 fills the rows saved
    before it the same way.)"""
    values = json.loads(document)
    fingerprint = values.get("fingerprint") if isinstance(values, dict) else None
    request = values.get("request") if isinstance(values, dict) else None
    what_if = request.get("what_if") if isinstance(request, dict) else None
    digests = {f"{part}_digest": str(fingerprint[part]) if isinstance(fingerprint, dict) and part in fingerprint
               else None for part in PLAN_INPUTS}
    pooled = values.get("pooled_inputs") if isinstance(values, dict) else None
    return {**digests, "what_if": dict(what_if) if isinstance(what_if, dict) else {},
            "pooled_digest": pooled if isinstance(pooled, str) else None}


def result_summary(document: str) -> dict[str, object]:
    """The `RESULT_COLUMNS` of a one-store, one-week plan document (`Plan.to_json()`): its schedule row's status,
    uncovered staff-hours and wage cost; None for each where the document has no such row or figure. (Migration 0010
    fills the rows saved before it the same way.)"""
    values = json.loads(document)
    frames = values.get("frames") if isinstance(values, dict) else None
    rows = frames.get("schedules") if isinstance(frames, dict) else None
    row = rows[0] if isinstance(rows, list) and len(rows) == 1 and isinstance(rows[0], dict) else {}
    status = row.get("status")
    return {"schedule_status": status if isinstance(status, str) else None,
            **{name: float(row[name]) if isinstance(row.get(name), (int, float)) and not isinstance(row[name], bool)
               else None for name in ("uncovered_staff_hours", "wage_cost")}}


# --- helpers -------------------------------------------------------------------------------------------------------


def _plan(connection, plan_id: int, scope: Scope) -> StoredPlan:
    return _stored(visible_row(connection, plans, "plan_id", plan_id, scope, "plan"))


def _stored(row) -> StoredPlan:
    return StoredPlan(**record_values(row, StoredPlan.__dataclass_fields__))


def pooled_checks(engine: Engine, plan_ids: Iterable[int], pooled_digest: str) -> dict[int, int]:
    """plan_id -> hours its staff moved, for those of `plan_ids` made again already from the chain's counts of
    `pooled_digest` (`tables.plan_pooled_checks`)."""
    wanted = sorted(set(plan_ids))
    if not wanted:
        return {}
    table = plan_pooled_checks
    with database_errors(url_of(engine)), engine.connect() as connection:
        rows = connection.execute(select(table.c.plan_id, table.c.hours_moved)
                                  .where(table.c.plan_id.in_(wanted), table.c.pooled_digest == pooled_digest)).all()
    return {int(plan_id): int(hours) for plan_id, hours in rows}


def save_pooled_checks(engine: Engine, moved: Mapping[int, int], pooled_digest: str) -> None:
    """Keep what making each plan again from the chain's counts of `pooled_digest` found (plan_id -> hours its staff
    moved), each in place of the plan's earlier check, in one transaction. A cache: a plan checked again finds the
    same."""
    if not moved:
        return
    table = plan_pooled_checks
    now = clock.now()
    with database_errors(url_of(engine)), cache_write(engine) as connection:
        if connection is None:  # another writer holds the database: the next list checks again
            return
        connection.execute(delete(table).where(table.c.plan_id.in_(sorted(moved))))
        connection.execute(insert(table), [{"plan_id": int(plan_id), "pooled_digest": pooled_digest,
                                            "hours_moved": int(hours), "checked_at": now}
                                           for plan_id, hours in moved.items()])


def kept_pooled_digest(engine: Engine, revision: str) -> str | None:
    """The chain's pooled digest kept for `revision` (`tables.pooled_digests`), None if none is kept."""
    table = pooled_digests
    with database_errors(url_of(engine)), engine.connect() as connection:
        return connection.execute(select(table.c.pooled_digest).where(table.c.revision == revision)).scalar()


def keep_pooled_digest(engine: Engine, revision: str, pooled_digest: str) -> None:
    """Keep the chain's pooled digest at `revision` in place of those of earlier revisions (`cache_write`: not when
    another writer holds the database); one kept already (another process was first) is left as it is: the same
    revision gives the same digest."""
    table = pooled_digests
    with database_errors(url_of(engine)), cache_write(engine) as connection:
        if connection is None:
            return
        if connection.execute(select(table.c.revision).where(table.c.revision == revision)).first() is None:
            connection.execute(delete(table).where(table.c.revision != revision))
            connection.execute(insert(table), [{"revision": revision, "pooled_digest": pooled_digest}])
