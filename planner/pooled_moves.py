"""Whether other stores' counts moved what a saved plan requires: the hours in which a plan made now from today's
inputs requires other staff than the plan does.

A store's hours are partly borrowed from the other stores of its format and the chain (the pooled demand model,
`planner.demand`), so a plan whose own counts, store row, calendar and settings are unchanged may still require
other staff when made again. Saying so of every plan whenever any store's counts change would cry wolf (a chain
imports every day, and most imports move no plan by a person in any hour); saying nothing let a plan read "as made"
that was not. So the plan keeps the digest of the chain's counts it was made from (`Plan.pooled_inputs`,
`planner.digest.pooled_digest`); where today's differs, the plan's requirement is made again (no shifts: a fit of
the chain per week and settings, shared by every plan checked at once) and compared hour by hour. What that found is
kept per plan and today's digest (`storage.save_pooled_checks`), so a list made again reads it instead of fitting.

    moved = pooled_moves(engine, [(plan_id, plan), ...], calendar)   # {plan_id: hours moved} for those checked
    pooled_moved_part(3, known=True)   # "other stores' counts move its staff in 3 hours"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import pandas as pd
from sqlalchemy import Engine

from planner import storage
from planner.digest import settings_digest
from planner.errors import DatabaseBusy, PlannerError
from planner.pipeline import pooled_inputs_digest, remade_staffing
from planner.plans import Plan
from planner.words import counted

OTHER_STORES_MOVE = "other stores' counts move its staff in"
"""The part of a plan's `OUT_OF_DATE` (`planner.saved_plans`) when only the chain's counts it borrows from changed
and a plan made now requires other staff: "other stores' counts move its staff in 3 hours"."""
MADE_NOW_MOVES = "a plan made now requires other staff in"
"""The same for a plan saved before plans kept the digest of the chain's counts (`Plan.pooled_inputs` None): made
again, it requires other staff in some hours, and what moved them (other stores' counts, or the model of an earlier
release) cannot be told: "a plan made now requires other staff in 3 hours"."""
MOVED_PARTS = (OTHER_STORES_MOVE, MADE_NOW_MOVES)

REQUIREMENT_KEY = ["store_id", "date", "hour"]


def pooled_moved_part(hours: int, known: bool) -> str:
    """The `OUT_OF_DATE` part for a plan whose staff moved in `hours` hours; `known`: the plan kept the digest of
    the chain's counts it was made from, so what moved them is other stores' counts."""
    return f"{OTHER_STORES_MOVE if known else MADE_NOW_MOVES} {counted(hours, 'hour')}"


def pooled_moves(engine: Engine, plans: Iterable[tuple[int | None, Plan]],
                 calendar: Callable[[], pd.DataFrame | None], today: str | None = None) -> dict[int | None, int]:
    """plan_id -> in how many hours a plan made now requires other staff than the plan (0: none), for those of
    `plans` (each (plan_id or None for a plan not saved, its one-store, one-week document)) whose digest of the
    chain's counts is not `today`'s (default: `pooled_inputs_digest(engine)`); the others are left out (as made). A
    plan is made again with its own request (settings, what-if values, min_staff cover) and the store calendar
    `calendar()` gives, read only when something is made again: the caller has checked that the plan's own inputs
    are today's. Saved plans checked before against `today`'s digest are not made again; those made again are kept.
    A store-week that cannot be made now (a store no longer usable) is left out: its own inputs say why."""
    plans = list(plans)
    if not plans:
        return {}
    today = today or pooled_inputs_digest(engine)
    to_check = [(plan_id, plan) for plan_id, plan in plans if plan.pooled_inputs != today]
    found: dict[int | None, int] = storage.pooled_checks(
        engine, [plan_id for plan_id, _ in to_check if plan_id is not None], today)
    groups: dict[tuple[str, str], list[tuple[int | None, Plan]]] = {}
    for plan_id, plan in to_check:
        if plan_id is None or plan_id not in found:
            groups.setdefault(_request_key(plan), []).append((plan_id, plan))
    made: dict[int | None, int] = {}
    read_calendar = _once(calendar)
    for group in groups.values():
        made |= _made_again(engine, group, read_calendar)
    try:
        storage.save_pooled_checks(engine, {plan_id: hours for plan_id, hours in made.items() if plan_id is not None},
                                   today)
    except DatabaseBusy:  # a cache: an import holding the database keeps it from being written, not the list
        pass
    return found | made


def moved_hours(made: pd.DataFrame, again: pd.DataFrame) -> int:
    """In how many of the store-date-hours of either requirement (`DatedStaffingSchema` rows) the recommended staff
    differ (an hour without a recommendation in both is alike; an hour in one only differs)."""
    both = pd.concat([_required(made).rename("made"), _required(again).rename("again")], axis=1)
    alike = (both["made"] == both["again"]).fillna(False) | (both["made"].isna() & both["again"].isna())
    return int((~alike).sum())


def _made_again(engine: Engine, group: list[tuple[int | None, Plan]],
                calendar: Callable[[], pd.DataFrame | None]) -> dict[int | None, int]:
    """The plans of one week and request made again at once (one fit of the chain), each compared with its own."""
    first = group[0][1]
    stores = tuple(dict.fromkeys(store for _, plan in group for store in plan.store_ids))
    try:
        again = remade_staffing(engine, replace(first.request, store_ids=stores), calendar())
    except PlannerError:  # a store that cannot be planned now: its own store row or calendar changed, and say so
        return {}
    by_store = dict(tuple(again.groupby("store_id", sort=False)))
    return {plan_id: moved_hours(plan.staffing, by_store.get(plan.store_ids[0], again.iloc[0:0]))
            for plan_id, plan in group}


def _request_key(plan: Plan) -> tuple[str, str]:
    """Plans alike in this are made again in one fit: the same week, and settings, what-if values and min_staff
    cover that digest alike."""
    request = plan.request
    return (request.weeks[0], settings_digest(request.settings, request.what_if_values(), request.min_staff_cover))


def _required(staffing: pd.DataFrame) -> pd.Series:
    keyed = staffing.assign(date=pd.to_datetime(staffing["date"]), store_id=staffing["store_id"].astype(str))
    return keyed.set_index(REQUIREMENT_KEY)["required_staff"].astype("Float64")


def _once(read: Callable[[], pd.DataFrame | None]) -> Callable[[], pd.DataFrame | None]:
    kept: list[pd.DataFrame | None] = []

    def value() -> pd.DataFrame | None:
        if not kept:
            kept.append(read())
        return kept[0]
    return value
