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
    pooled_moved_part(3, True, counts_changed(plan.store_ids, plan.pooled_counts, pooled_counts_today(engine)))

Each plan keeps the digest of each store's counts too (`Plan.pooled_counts`), so the part names the stores whose
counts changed since (`counts_changed`): "other stores' counts" did not say whose, and a planner could not tell an
import's doing from another's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import NamedTuple
from urllib.parse import quote, unquote

import pandas as pd
from sqlalchemy import Engine

from planner import storage
from planner.digest import settings_digest
from planner.errors import DatabaseBusy, PlannerError
from planner.hours import day_clock, end_clock
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


COUNTS_OF = " | new counts of "
"""Where a `pooled_moved_part` goes on to the stores whose counts changed, each id percent-quoted (`quote`) and
parted by a space, then "+N" for N more outside the reader's scope: an `OUT_OF_DATE` value is parted at ", ", and a
store id may hold anything."""


def pooled_moved_part(hours: int, known: bool, stores: Iterable[str] = (), others: int = 0) -> str:
    """The `OUT_OF_DATE` part for a plan whose staff moved in `hours` hours; `known`: the plan kept the digest of
    the chain's counts it was made from, so what moved them is other stores' counts; `stores`: whose counts changed
    since, of the stores the reader's scope covers, and `others`: how many more, outside it, are counted, never
    named (`counts_changed`; none where the plan kept no digest of each store's)."""
    part = f"{OTHER_STORES_MOVE if known else MADE_NOW_MOVES} {counted(hours, 'hour')}"
    said = [quote(store, safe="") for store in stores] + ([f"+{others}"] if others else [])
    return part + COUNTS_OF + " ".join(said) if said else part


def moved_by(part: str) -> tuple[str, tuple[str, ...], int]:
    """(a `pooled_moved_part` without its stores, the stores it names, how many more it counts): (part, (), 0) for a
    part that names none."""
    bare, _, said = part.partition(COUNTS_OF)
    tokens = [token for token in said.split(" ") if token]
    others = sum(int(token[1:]) for token in tokens if token.startswith("+"))  # a quoted id holds "%2B", not "+"
    return bare, tuple(unquote(token) for token in tokens if not token.startswith("+")), others


def counts_changed(own: Iterable[str], made: Mapping[str, str] | None, today: Mapping[str, str]) -> tuple[str, ...]:
    """The stores other than a plan's `own` whose counts differ from those it was made from (`made`: its
    `Plan.pooled_counts`; `today`: `pipeline.pooled_counts_today`), those with counts only now too, in the order of
    their ids; () for a plan that kept no digest of each store's counts (`made` None: made before plans kept them).
    A store with counts then and none now (no longer usable) is not one with new counts: it is not named."""
    if made is None:
        return ()
    own = set(own)
    return tuple(sorted(store for store in today if store not in own and made.get(store) != today[store]))


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


MAX_NAMED = 6
"""Runs of moved hours a sentence names before it counts the rest."""


class MovedHour(NamedTuple):
    """One store-date-hour whose recommended staff a plan made now requires otherwise (`moved_hours`): `made` and
    `again` are the staff before and now, None for an hour without a recommendation."""

    date: pd.Timestamp
    hour: int
    made: float | None
    again: float | None


def moved_hours(made: pd.DataFrame, again: pd.DataFrame) -> list[MovedHour]:
    """The store-date-hours of either requirement (`DatedStaffingSchema` rows, of one store) whose recommended
    staff differ (an hour without a recommendation in both is alike; an hour in one only differs), in time order:
    where only a count fits, its length."""
    both = pd.concat([_required(made).rename("made"), _required(again).rename("again")], axis=1)
    alike = (both["made"] == both["again"]).fillna(False) | (both["made"].isna() & both["again"].isna())
    moved = both[~alike.astype(bool)].sort_index(level=["date", "hour"])
    return [MovedHour(date, int(hour), None if pd.isna(before) else float(before),
                      None if pd.isna(now) else float(now))
            for (_, date, hour), before, now in zip(moved.index, moved["made"], moved["again"], strict=True)]


def staff_moves(engine: Engine, plan: Plan, calendar: pd.DataFrame | None) -> list[MovedHour]:
    """The hours a plan made now from today's counts requires other staff in than the one-store, one-week `plan`
    (its own request, with the store `calendar`): what `pooled_moves` counts, for one plan a page shows. [] where
    the store-week cannot be made now (its own inputs say why)."""
    try:
        again = remade_staffing(engine, plan.request, calendar)
    except PlannerError:
        return []
    return moved_hours(plan.staffing, again[again["store_id"].astype(str) == plan.store_ids[0]])


def moves_text(moves: list[MovedHour], at_most: int = MAX_NAMED) -> str:
    """The hours of `moves` in words, runs of one date's consecutive hours that moved alike said once, each date
    once: "Mon 14 Dec 10:00-11:00 -1, 18:00-20:00 +1; Sat 19 Dec 07:00-08:00 2 (none before), 23:00-24:00 none now
    (was 2)": a single hour from its start to its end as a run is ("10:00 -1" did not say it was one hour); the
    first `at_most` runs named, the hours of the rest counted ("; and 12 more hours")."""
    runs: list[list[MovedHour]] = []
    for move in moves:
        last = runs[-1][-1] if runs else None
        if last is not None and last.date == move.date and last.hour + 1 == move.hour and \
                _change(last) == _change(move):
            runs[-1].append(move)
        else:
            runs.append([move])
    days: dict[pd.Timestamp, list[str]] = {}
    for run in runs[:at_most]:  # a date named once, before its runs
        days.setdefault(run[0].date, []).append(
            f"{day_clock(run[0].hour * 60)}-{end_clock((run[-1].hour + 1) * 60)} {_change(run[0])}")
    more = sum(len(run) for run in runs[at_most:])
    return "; ".join(f"{day:%a} {day.day} {day:%b} {', '.join(said)}" for day, said in days.items()) + \
        (f"; and {counted(more, 'more hour')}" if more else "")


def _change(move: MovedHour) -> str:
    if move.made is None:
        return f"{move.again:g} (none before)"
    if move.again is None:
        return f"none now (was {move.made:g})"
    return f"{move.again - move.made:+g}"


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
    return {plan_id: len(moved_hours(plan.staffing, by_store.get(plan.store_ids[0], again.iloc[0:0])))
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
