"""A user's scope in SQL: the stored stores a `Scope` covers, as the clause every read filters by and the check
every write passes.

A store is covered when its id is one of the scope's stores or its stored region one of its regions (planners and
admins cover every store). A write is checked against both the stored region and the one being written, so a store
cannot be moved into a region to take it over.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.engine import Connection

from planner.access.scope import OutsideScope, Scope
from planner.storage.tables import stores
from planner.words import agreeing, first_named

IDS_NAMED = 20
"""Store or employee ids a refused write names; the rest are counted."""


def visible(column: ColumnElement, scope: Scope) -> ColumnElement | None:
    """`column` (a store id) IN the stores `scope` covers; None when it covers every store."""
    if scope.all_stores:
        return None
    covered = select(stores.c.store_id).where(or_(stores.c.store_id.in_(sorted(scope.stores)),
                                                  stores.c.region.in_(sorted(scope.regions))))
    return column.in_(covered)


def where_visible(query: Select, column: ColumnElement, scope: Scope) -> Select:
    """`query` narrowed to the rows whose store `scope` covers."""
    clause = visible(column, scope)
    return query if clause is None else query.where(clause)


def visible_ids(connection: Connection, scope: Scope) -> set[str]:
    """The stored store ids `scope` covers."""
    query = where_visible(select(stores.c.store_id), stores.c.store_id, scope)
    return {str(store_id) for (store_id,) in connection.execute(query)}


def check_store_rows(connection: Connection, scope: Scope, rows: Iterable[tuple[str, str]], what: str) -> None:
    """Refuse (`OutsideScope`) a write of store rows (store_id, region) unless the scope covers each store both as
    stored (if it is) and as written."""
    rows = list(rows)
    if scope.all_stores or not rows:
        return
    ids = sorted({store_id for store_id, _ in rows})
    query = select(stores.c.store_id, stores.c.region).where(stores.c.store_id.in_(ids))
    stored = dict(connection.execute(query).all())
    refused = [store_id for store_id, region in rows if not scope.covers(store_id, region)
               or (store_id in stored and not scope.covers(store_id, stored[store_id]))]
    if refused:
        raise OutsideScope(f"{what}: {agreeing(len(set(refused)), 'store')} {', '.join(dict.fromkeys(refused))} {agreeing(len(set(refused)), 'is', 'are')} not yours to change "
                           f"({scope.user}, {scope.role.replace('_', ' ')}, {scope.described()}); nothing was written")


def check_store_ids(connection: Connection, scope: Scope, store_ids: Iterable[str], what: str) -> None:
    """Refuse (`OutsideScope`) a write of rows of stores (counts, plans, calendar days) the scope does not cover."""
    ids = list(dict.fromkeys(str(s) for s in store_ids))
    if scope.all_stores or not ids:
        return
    covered = visible_ids(connection, scope)
    refused = [store_id for store_id in ids if store_id not in covered]
    if refused:
        raise OutsideScope(f"{what}: rows of {agreeing(len(refused), 'store')} {first_named(refused, IDS_NAMED)}, which are not among your "
                           f"stores ({scope.user}, {scope.role.replace('_', ' ')}, {scope.described()}); nothing was "
                           "written")
