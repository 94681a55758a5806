"""Store calendar exceptions in the database: per store (or '*' for the whole chain) and date, closed, changed
opening hours, a demand factor and a note. Rows are upserted by (store_id, date), like the counts: a corrected
calendar file replaces the rows it repeats and keeps the others; each import that changes something records an
upload of kind "calendar".

The file itself is validated by `planner.io.calendar`; this module stores and reads its typed frame
(`CALENDAR_COLUMNS`: store_id, date, closed, opens, closes, demand_factor, note).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, select

from planner.access.scope import EVERYTHING, UPLOAD, OutsideScope, Scope
from planner.storage.engine import database_errors, take_write_lock, url_of
from planner.storage.read import read_frame
from planner.storage.scoped import check_store_ids, visible
from planner.storage.tables import ALL_STORES, CALENDAR_COLUMNS, CALENDAR_KEY, calendar_exceptions, typed_calendar
from planner.storage.write import ImportSummary, upsert_file

CALENDAR_KIND = "calendar"


def save_calendar(engine: Engine, frame: pd.DataFrame, file_name: str, sha256: str,
                  scope: Scope = EVERYTHING) -> ImportSummary:
    """Store a validated calendar frame in one transaction; rows with a stored (store_id, date) replace it. Rows of
    stores `scope` does not cover, and chain-wide rows unless it covers every store, refuse it all (`OutsideScope`)."""
    scope.require(UPLOAD)
    with database_errors(url_of(engine)), engine.begin() as connection:
        take_write_lock(connection)
        return write_calendar(connection, frame, file_name, sha256, scope)


def write_calendar(connection: Connection, frame: pd.DataFrame, file_name: str, sha256: str,
                   scope: Scope = EVERYTHING, superseded: np.ndarray | None = None) -> ImportSummary:
    """`save_calendar` inside the caller's transaction (an upload of several files is one transaction); `superseded`
    (a boolean per row): rows a later calendar of the same import has, neither stored nor counted as added."""
    rows = typed_calendar(frame[CALENDAR_COLUMNS].reset_index(drop=True))
    if not scope.all_stores and (rows["store_id"] == ALL_STORES).any():
        raise OutsideScope(f"{file_name}: chain-wide rows (store_id * or empty) apply to every store, and only a "
                           f"planner may set them ({scope.user} {scope.described()}); nothing was written")
    check_store_ids(connection, scope, rows["store_id"].unique(), file_name)
    return upsert_file(connection, calendar_exceptions, rows, CALENDAR_KEY, file_name, CALENDAR_KIND, sha256,
                       superseded)


def load_calendar(engine: Engine, store_ids: list[str] | None = None, scope: Scope = EVERYTHING, *,
                  since: date | None = None) -> pd.DataFrame:
    """Calendar exceptions (`CALENDAR_COLUMNS`) ordered by store and date: all, or those of `store_ids`, together
    with the chain-wide ('*') rows that apply to them; only of the stores `scope` covers; dated `since` or later."""
    query = select(*(calendar_exceptions.c[c] for c in CALENDAR_COLUMNS)).order_by(
        *(calendar_exceptions.c[c] for c in CALENDAR_KEY))
    if since is not None:
        query = query.where(calendar_exceptions.c.date >= since)
    if store_ids is not None:
        query = query.where(calendar_exceptions.c.store_id.in_([*store_ids, ALL_STORES]))
    own = visible(calendar_exceptions.c.store_id, scope)
    if own is not None:
        query = query.where(own | (calendar_exceptions.c.store_id == ALL_STORES))
    with database_errors(url_of(engine)), engine.connect() as connection:
        return read_frame(connection, query, CALENDAR_COLUMNS, typed_calendar)
