"""Plans kept in the database: a made plan saved as one document per store and ISO week, published, listed with
whether today's inputs still match what each was made from, and the stored store calendar in the form plans read.

    ids = save_made_plan(engine, plan, by)       # one draft per store and week of `plan`
    make_and_publish(engine, request, by)        # make the plan with the stored calendar, save and publish it
    publish_plans(engine, ids, by)               # each becomes THE plan of its store and week
    plans_with_status(engine, settings)          # list_plans' rows with `out_of_date`: what changed since, in words
    stored_calendar(engine) / store_calendar(engine, frame, file_name, content)
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from planner import storage
from planner.access.scope import EVERYTHING, PUBLISH, Scope
from planner.intake import sha256_of
from planner.pipeline import make_plan
from planner.calendar import IsoWeek, week_exceptions
from planner.plans import Plan, PlanRequest, store_week_fingerprints
from planner.schemas import CalendarSchema as C
from planner.settings import Settings
from planner.storage.revision import WHAT_CHANGED

OUT_OF_DATE = "out_of_date"
"""The column `plans_with_status` adds: "" when today's inputs are those the plan was made from, else what changed
("the counts, the calendar")."""
_PARTS = ("observations", "stores", "calendar", "settings")


def save_made_plan(engine: Engine, plan: Plan, by: str, scope: Scope = EVERYTHING) -> list[int]:
    """Save `plan` as drafts, one per store and week (each that store-week's own document); returns their ids in
    the order of `plan.index_rows()`. A store outside `scope` is refused (`OutsideScope`)."""
    ids = []
    for row in plan.index_rows():
        part = plan.for_store_week(row["store_id"], row["iso_week"])
        ids.append(storage.save_plan(engine, row["store_id"], row["iso_week"], row["fingerprint"], part.to_json(), by,
                                      scope))
    return ids


def publish_plans(engine: Engine, plan_ids: list[int], by: str, scope: Scope = EVERYTHING) -> list[storage.StoredPlan]:
    """Publish each saved plan; the plan published before for its store and week becomes superseded. Only roles
    that may publish, for stores in `scope` (`OutsideScope`)."""
    return [storage.publish_plan(engine, plan_id, by, scope) for plan_id in plan_ids]


def make_and_publish(engine: Engine, request: PlanRequest, by: str, *, progress=None,
                     scope: Scope = EVERYTHING) -> list[storage.StoredPlan]:
    """Make the plan for `request` with the stored calendar (one store after another), save it and publish it."""
    scope.require(PUBLISH)  # before the work, not after it
    plan = make_plan(engine, request, calendar=stored_calendar(engine, scope), parallel=False, progress=progress,
                     scope=scope)
    return publish_plans(engine, save_made_plan(engine, plan, by, scope), by, scope)


def plans_with_status(engine: Engine, settings: Settings, store_id: str | None = None,
                      iso_week: str | None = None, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """`storage.list_plans` (of the stores `scope` covers) with `OUT_OF_DATE`: each plan's fingerprint against the
    one today's counts, store file, stored calendar and `settings` (the chain's settings in force, with the plan's
    own what-if values) give."""
    listed = storage.list_plans(engine, store_id, iso_week, scope)
    if listed.empty:
        return listed.assign(**{OUT_OF_DATE: pd.Series(dtype=str)})
    stores = storage.load_stores(engine, scope)
    calendar = stored_calendar(engine, scope)
    observations = storage.load_observations(engine, sorted(set(listed["store_id"])), scope)
    changed = []
    for row in listed.itertuples(index=False):
        made = Plan.from_json(storage.load_plan(engine, row.plan_id, scope).document)
        changed.append(_changed_since(made, observations, stores, calendar, settings))
    return listed.assign(**{OUT_OF_DATE: changed})


def out_of_date_of(engine: Engine, plan: Plan, settings: Settings, scope: Scope = EVERYTHING) -> str:
    """What changed since the one-store, one-week `plan` was made ("" when nothing did)."""
    (store,) = plan.store_ids
    return _changed_since(plan, storage.load_observations(engine, [store], scope), storage.load_stores(engine, scope),
                          stored_calendar(engine, scope), settings)


def stored_calendar(engine: Engine, scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """The stored calendar exceptions of the stores `scope` covers and the chain-wide ones, as `CalendarSchema` rows
    (hours as 'HH:MM-HH:MM'); None when there are none."""
    rows = storage.load_calendar(engine, scope=scope)
    if rows.empty:
        return None
    hours = [None if closed or opens is None else f"{opens}-{closes}"
             for closed, opens, closes in zip(rows["closed"].fillna(False), rows["opens"], rows["closes"])]
    return C.validate(pd.DataFrame({
        C.store_id: rows["store_id"].astype(str), C.date: rows["date"],
        C.closed: rows["closed"].fillna(False).astype(bool), C.hours: pd.Series(hours, dtype=object),
        C.demand_factor: rows["demand_factor"].fillna(1.0).astype(float), C.note: rows["note"].fillna("").astype(str),
    }))


def store_calendar(engine: Engine, frame: pd.DataFrame, file_name: str, content: bytes,
                   scope: Scope = EVERYTHING) -> storage.ImportSummary:
    """Store a validated calendar (`CalendarSchema`, as `planner.io.calendar.validate_calendar` gives it); rows of
    stores outside `scope` refuse it (`OutsideScope`)."""
    opens_closes = frame[C.hours].map(lambda text: text.split("-", 1) if isinstance(text, str) else [None, None])
    rows = pd.DataFrame({
        "store_id": frame[C.store_id], "date": frame[C.date], "closed": frame[C.closed],
        "opens": [pair[0] for pair in opens_closes], "closes": [pair[1] for pair in opens_closes],
        "demand_factor": frame[C.demand_factor], "note": frame[C.note].where(frame[C.note] != "", None),
    })
    return storage.save_calendar(engine, rows, file_name, sha256_of(content), scope)


def _changed_since(plan: Plan, observations: pd.DataFrame, stores: pd.DataFrame, calendar: pd.DataFrame | None,
                   settings: Settings) -> str:
    """What differs between a one-store, one-week plan's fingerprint and today's, in words."""
    (store,), (week,) = plan.store_ids, plan.request.weeks
    row = stores[stores["store_id"].astype(str) == store].reset_index(drop=True)
    if row.empty:
        return WHAT_CHANGED["stores"] + " (the store is gone)"
    exceptions = week_exceptions(calendar, [store], IsoWeek.parse(week)).assign(iso_week=week)
    own = observations[observations["store_id"] == store]
    today = store_week_fingerprints(own, row, exceptions, settings, plan.request.what_if_values(), [week]).iloc[0]
    made = plan.fingerprint
    if today["digest"] == made.digest:
        return ""
    return ", ".join(WHAT_CHANGED[name] for name in _PARTS if today[name] != getattr(made, name))

