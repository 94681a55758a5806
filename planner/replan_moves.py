"""What re-planning an out-of-date saved plan would change in its requirement: the hours in which a plan of its store
and week made now (today's counts, store file and calendar, at the chain's settings with the plan's own what-if
values and min_staff cover, as `saved_plans.replan` makes it) requires other staff than the plan does.

A plan out of date because its counts or the chain's settings changed said only "make it again", and a planner
re-planned and re-published blind; a target changed from 60 to 40 s moved no hour of four plans, and re-planning them
gave the same shifts. So the page and the Settings page's note after a save say whether, and where, the staff move
before anyone presses Re-plan. The requirement is made without shifts (`pipeline.remade_staffing`), one fit of the
chain for the plans of one week, settings, what-if values and min_staff cover.

    moves = replan_moves(engine, [(1, plan), (2, plan)], chain, calendar)   # {plan_id: RequirementMoves}
    moves[1].hours        # in how many store-date-hours the staff move (0: none)
    moves[1].same_shifts  # none move, and nothing else the shifts are made from changed: re-planning gives them again

What a change of the settings moves is told apart from what re-planning changes: a plan new counts had put out of
date before the change is re-planned with other staff whatever the change does (`settings_change_moves`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import NamedTuple

import pandas as pd
from sqlalchemy import Engine

from planner.errors import PlannerError
from planner.pipeline import remade_staffing, remade_staffings
from planner.plans import Plan, PlanRequest
from planner.pooled_moves import MovedHour, moved_hours, moves_text
from planner.settings import Settings, planning_settings
from planner.storage.revision import WHAT_CHANGED

REQUIREMENT_ONLY = (WHAT_CHANGED["observations"], WHAT_CHANGED["settings"])
"""What may have changed since a plan was made, in `saved_plans.OUT_OF_DATE`'s words, for the plan's shifts to be
made again from nothing but its requirement and the shift settings: a store file row (opening hours, wage, maximum
staff) or a calendar day the shifts read directly, whatever the requirement does."""


class RequirementMoves(NamedTuple):
    """What re-planning a plan would change in its requirement."""

    moves: list[MovedHour]
    """The store-date-hours whose recommended staff a re-plan requires otherwise, in time order."""
    same_shifts: bool
    """No hour moves, and what the plan's shifts are made from besides (the shift settings, min_staff, its store row
    and calendar) is as made: the optimiser, deterministic, is given the same model and makes the same shifts."""

    @property
    def hours(self) -> int:
        return len(self.moves)

    @property
    def text(self) -> str:
        """The moved hours in words (`pooled_moves.moves_text`), "" for none."""
        return moves_text(self.moves)


def replan_request(plan: Plan, chain: Settings) -> PlanRequest:
    """The request a re-plan of the one-store, one-week `plan` is made with: the chain's settings `chain`, the
    plan's own what-if values and min_staff cover."""
    return PlanRequest(weeks=plan.request.weeks, store_ids=plan.store_ids, settings=chain,
                       what_if=plan.request.what_if_values(), min_staff_cover=plan.request.min_staff_cover)


def replan_moves(engine: Engine, plans: Iterable[tuple[int, Plan, str]], chain: Settings,
                 calendar: pd.DataFrame | None) -> dict[int, RequirementMoves]:
    """plan_id -> what re-planning it at the chain's settings `chain` with the store `calendar` changes, for each of
    `plans` ((plan_id, its one-store, one-week document, what changed since it was made: its `OUT_OF_DATE`)). Plans
    alike in week and request are made again in one fit. A plan whose store-week cannot be made now (its store no
    longer usable) is left out: what changed says why."""
    groups: dict[tuple[str, str], list[tuple[int, Plan, str]]] = {}
    for plan_id, plan, changed in plans:
        request = replan_request(plan, chain)
        groups.setdefault((request.weeks[0], repr((request.settings, request.what_if, request.min_staff_cover))),
                          []).append((plan_id, plan, changed))
    found: dict[int, RequirementMoves] = {}
    for group in groups.values():
        first = replan_request(group[0][1], chain)
        stores = tuple(dict.fromkeys(plan.store_ids[0] for _, plan, _ in group))
        try:
            again = remade_staffing(engine, replace(first, store_ids=stores), calendar)
        except PlannerError:  # a store that cannot be planned now: what changed says why
            continue
        by_store = dict(tuple(again.groupby(again["store_id"].astype(str), sort=False)))
        for plan_id, plan, changed in group:
            moves = moved_hours(plan.staffing, by_store.get(plan.store_ids[0], again.iloc[0:0]))
            found[plan_id] = RequirementMoves(moves, not moves and _same_shift_inputs(plan, first.settings, changed))
    return found


class ChangeMoves(NamedTuple):
    """What a change of the chain's settings moves in a saved plan it put out of date, apart from what moved before
    it: the walk's note after a target wait of 60 -> 45 s counted "Re-planning changes 14" plans whose staff new
    counts had moved, while the new wait moved none."""

    change: list[MovedHour]
    """The store-date-hours whose recommended staff the change moves: made again from today's counts at the settings
    after it against at those before it (each with the plan's own what-if values and min_staff cover)."""
    earlier: tuple[str, ...]
    """What had put the plan out of date before the change (`WHAT_CHANGED`'s words: "the counts", "the store
    file", "the calendar"), () for none: its own inputs changed, or other stores' counts moved its staff (the pooled
    fit), said as "the counts"."""
    replan: RequirementMoves
    """What re-planning it at the settings after the change changes against the plan as made (`replan_moves`)."""

    @property
    def hours(self) -> int:
        """In how many store-date-hours the change moves the staff (0: none)."""
        return len(self.change)


def settings_change_moves(engine: Engine, plans: Iterable[tuple[int, Plan, str]], before: Settings, after: Settings,
                          calendar: pd.DataFrame | None) -> dict[int, ChangeMoves]:
    """plan_id -> what the change of the chain's settings from `before` to `after` moves in each of `plans` ((plan_id,
    its one-store, one-week document, what changed since it was made: its `OUT_OF_DATE` after the change)), on
    today's counts, store file and `calendar`, and what had moved since it was made before it. Plans alike in week
    and request are made again together, the chain's counts fitted once for both settings where the fit reads the
    same of them (a target: `planner.demand.read_of_the_stores`). A plan whose store-week cannot be made now is left
    out."""
    groups: dict[tuple[str, str], list[tuple[int, Plan, str]]] = {}
    for plan_id, plan, changed in plans:
        request = replan_request(plan, after)
        groups.setdefault((request.weeks[0], repr((request.what_if, request.min_staff_cover))), []).append(
            (plan_id, plan, changed))
    found: dict[int, ChangeMoves] = {}
    for group in groups.values():
        stores = tuple(dict.fromkeys(plan.store_ids[0] for _, plan, _ in group))
        then, now = (replace(replan_request(group[0][1], chain), store_ids=stores) for chain in (before, after))
        try:
            was, will = remade_staffings(engine, [then, now], calendar)
        except PlannerError:  # a store that cannot be planned now: what changed says why
            continue
        was_by, will_by = (dict(tuple(frame.groupby(frame["store_id"].astype(str), sort=False)))
                           for frame in (was, will))
        for plan_id, plan, changed in group:
            store = plan.store_ids[0]
            was_store, will_store = was_by.get(store, was.iloc[0:0]), will_by.get(store, will.iloc[0:0])
            replanned = moved_hours(plan.staffing, will_store)
            earlier = [part for part in changed.split(", ") if part and part != WHAT_CHANGED["settings"]]
            if not earlier and moved_hours(plan.staffing, was_store):  # other stores' counts moved its staff
                earlier.append(WHAT_CHANGED["observations"])
            found[plan_id] = ChangeMoves(
                moved_hours(was_store, will_store), tuple(earlier),
                RequirementMoves(replanned, not replanned and _same_shift_inputs(plan, after, changed)))
    return found


def shifts_may_change(before: Settings, after: Settings) -> bool:
    """Whether a change of the chain's settings from `before` to `after` may change a plan's shifts where it moves no
    staff: the shift rules, or the min_staff they read, changed."""
    made, now = planning_settings(before), planning_settings(after)
    return made.shifts != now.shifts or made.targets.min_staff != now.targets.min_staff


def _same_shift_inputs(plan: Plan, settings: Settings, changed: str) -> bool:
    """Whether the shifts of `plan`, made again at `settings`, are made from what they were besides the requirement:
    only its counts or the chain's settings changed, and not the shift settings or the min_staff those read."""
    parts = [part for part in changed.split(", ") if part]
    made, now = planning_settings(plan.request.settings), planning_settings(settings)
    return all(part in REQUIREMENT_ONLY for part in parts) and made.shifts == now.shifts and \
        made.targets.min_staff == now.targets.min_staff
