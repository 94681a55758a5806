"""The audit trail: who imported, planned, published, re-planned, changed the settings or the users, and when.

Every write path records its entry inside its own transaction (`record`), so an entry exists exactly when the
change was committed. Who acts is said once per command or page run (`planner.access.actor.acting_as`); an
entry made outside any `acting_as` names the operating system's user. A write that names its author itself (a plan's `created_by`, the
settings' `changed_by`) is recorded under that name.

    with acting_as("ana"):                      # the CLI's --as name, the app's signed-in user
        storage.save(engine, ...)               # -> an "import" entry: file, sha256, rows added/replaced, stores
    audit_trail(engine, store_id="S01", since=date(2026, 12, 1))   # newest first
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.engine import Connection

from planner.access.actor import actor
from planner.storage.engine import database_errors, url_of
from planner.storage.tables import AUDIT_SUMMARY_MAX_CHARS, PERSON_MAX_CHARS, audit, audit_stores

IMPORT, PLAN, ROSTER, PUBLISH, REPLAN, SETTINGS, USERS, SIGN_IN = (
    "import", "plan", "roster", "publish", "re-plan", "settings", "users", "sign-in")
ACTIONS = (IMPORT, PLAN, ROSTER, PUBLISH, REPLAN, SETTINGS, USERS, SIGN_IN)
"""What an entry records. A roster made was recorded as a "plan" until `ROSTER` (its summary "roster N made for ..."
says what it was): those entries are kept as they were, and read as they are."""
__all__ = ["ACTIONS", "LEFT_OUT_AT_FIRST", "TRAIL_COLUMNS", "audit_trail", "kinds_recorded", "kinds_shown",
           "left_out_after", "record"]
TRAIL_COLUMNS = ["id", "at", "actor", "action", "stores", "summary"]
"""`audit_trail`'s columns: `at` in UTC, `stores` the touched store ids joined by ", " ("" for none)."""
TRAIL_MAX_ROWS = 5000
"""The most entries one look at the trail returns (newest first): narrow by store or date to see older ones."""
LEFT_OUT_AT_FIRST = frozenset({SIGN_IN})
"""The kinds the trail opens without: one entry per sign-in buried the publishing and settings changes looked for."""

def record(connection: Connection, action: str, summary: str, *, stores: Iterable[str] = (),
           details: Mapping[str, object] | None = None, by: str | None = None) -> int:
    """Add one entry in the caller's transaction; returns its id. `stores`: the store ids the change touched."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: one of {', '.join(ACTIONS)}")
    who = (by or actor())[:PERSON_MAX_CHARS]
    entry = connection.execute(insert(audit).values(
        at=datetime.now(UTC), actor=who, action=action, summary=summary[:AUDIT_SUMMARY_MAX_CHARS],
        details=dict(details or {}),
    )).inserted_primary_key[0]
    touched = sorted({str(s) for s in stores})
    if touched:
        connection.execute(insert(audit_stores), [{"audit_id": entry, "store_id": s} for s in touched])
    return entry


def as_is_words(as_is: str) -> str:
    """What a publish entry's summary adds for a draft published as it is (`--publish-anyway`, the pages' tick):
    "; published as it is: out of date: the counts changed since it was made"; "" otherwise."""
    return f"; published as it is: {as_is}" if as_is else ""


def as_is_details(as_is: str) -> dict[str, str]:
    """The details a publish entry keeps of a draft published as it is (`as_is_words`): why it was a draft."""
    return {"published_as_is": as_is} if as_is else {}


def audit_trail(engine: Engine, store_id: str | None = None, since: date | None = None, until: date | None = None,
                actions: Iterable[str] | None = None) -> pd.DataFrame:
    """Entries newest first (`TRAIL_COLUMNS`, at most `TRAIL_MAX_ROWS`): all, or those touching `store_id`, made
    on or after `since` and on or before `until` (UTC dates), of the given `actions`."""
    query = _within(select(audit.c.id, audit.c.at, audit.c.actor, audit.c.action, audit.c.summary).order_by(
        audit.c.id.desc()).limit(TRAIL_MAX_ROWS), store_id, since, until)
    if actions is not None:
        query = query.where(audit.c.action.in_(list(actions)))
    with database_errors(url_of(engine)), engine.connect() as connection:
        rows = connection.execute(query).all()
        ids = [row.id for row in rows]
        touched: dict[int, list[str]] = {}
        for start in range(0, len(ids), 1000):  # bounded IN lists
            chunk = select(audit_stores.c.audit_id, audit_stores.c.store_id).where(
                audit_stores.c.audit_id.in_(ids[start:start + 1000])).order_by(audit_stores.c.store_id)
            for entry, store in connection.execute(chunk):
                touched.setdefault(entry, []).append(store)
    frame = pd.DataFrame(
        [(r.id, r.at, r.actor, r.action, ", ".join(touched.get(r.id, [])), r.summary) for r in rows],
        columns=TRAIL_COLUMNS)
    frame["at"] = pd.to_datetime(frame["at"], utc=True)  # SQLite gives UTC without its zone
    return frame


def kinds_recorded(engine: Engine, store_id: str | None = None, since: date | None = None,
                   until: date | None = None) -> dict[str, int]:
    """How many entries of each kind (`ACTIONS`, in that order; kinds with none left out) `audit_trail` finds for
    the same store and dates, every kind together."""
    query = _within(select(audit.c.action, func.count()).group_by(audit.c.action), store_id, since, until)
    with database_errors(url_of(engine)), engine.connect() as connection:
        counts = dict(connection.execute(query).all())
    return {action: counts[action] for action in ACTIONS if counts.get(action)}


def kinds_shown(recorded: Iterable[str], left_out: Iterable[str]) -> list[str]:
    """The kinds of `recorded` (in its order) the trail shows: all but those `left_out`."""
    return [kind for kind in recorded if kind not in set(left_out)]


def left_out_after(offered: Iterable[str], picked: Iterable[str], left_out: Iterable[str]) -> frozenset[str]:
    """The kinds left out once `picked` is chosen of `offered`: a kind not offered (none of it for the store and
    dates looked at) stays as it was, so a choice outlasts a look at a store without those kinds."""
    offered = set(offered)
    return frozenset((set(left_out) - offered) | (offered - set(picked)))


def _within(query, store_id: str | None, since: date | None, until: date | None):
    """`query` narrowed to the entries touching `store_id`, made on or after `since` and on or before `until`."""
    if store_id is not None:
        query = query.where(audit.c.id.in_(select(audit_stores.c.audit_id).where(audit_stores.c.store_id == store_id)))
    if since is not None:
        query = query.where(audit.c.at >= datetime.combine(since, time(), UTC))
    if until is not None and until < date.max:  # the last day there is bounds nothing
        query = query.where(audit.c.at < datetime.combine(until + timedelta(days=1), time(), UTC))
    return query
