"""Following a replaced plan with the least change: the published roster of a week whose plan another has replaced
(or withdrawn), re-planned against the requirement in force now, keeping as many published shifts as the rules allow
and pricing each change inside the notice window (`planner.roster.replan`), as a re-plan after an absence is. A fresh
roster of the week (`store_week.make_roster`) moved nearly everyone's shifts a week ahead, with no premium said."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from planner.access.scope import EVERYTHING, Scope
from planner.calendar import IsoWeek
from planner.errors import InvalidRequest
from planner.roster.result import Replan
from planner.roster.search import SearchProgress
from planner.rostering import documents, replans, standing, store_week
from planner.settings import Settings
from planner.surfaces.roster import nothing_to_follow


@dataclass(frozen=True)
class FollowBasis:
    """What a re-plan to follow the plan in force was made against, read before its search: publishing it is refused
    once another plan or roster of the week was published since (`changed_since`), where it was saved as following a
    plan it was never fitted to, or superseding a roster it never re-planned."""

    plan_id: int
    """The plan published as the re-plan was made (0: none, the week's recommended staff)."""
    roster_id: int
    """The published roster it re-planned."""
    requirement_source: str
    """Where the requirement it was fitted to came from ("the published plan 12"), as the published roster saves it."""


def follow_basis(engine: Engine, settings: Settings, store_id: str, iso_week: str,
                 scope: Scope = EVERYTHING) -> FollowBasis:
    """The store-week's published plan and roster, and the source of the requirement the re-plan is fitted to."""
    _, source = store_week.roster_instance(engine, settings, store_id, iso_week, scope=scope)
    return FollowBasis(store_week.published_plan_id(engine, store_id, iso_week),
                       store_week.published_roster_id(engine, store_id, iso_week), source)


def follow_replan(engine: Engine, settings: Settings, store_id: str, iso_week: str, today: dt.date,
                  scope: Scope = EVERYTHING, progress: Callable[[SearchProgress], None] | None = None) -> Replan:
    """The store-week's published roster re-planned to follow the requirement in force (nothing saved), every day
    open to change: no absence touches a day, so keeping untouched days (`keep_untouched_days`) would keep them all.
    `InvalidRequest` where no roster is published, or the one published follows the plan in force already."""
    saved = documents.published(engine, store_id, iso_week, scope)
    if saved is not None and not standing.plan_replaced(engine, saved):
        raise InvalidRequest(nothing_to_follow(saved.roster_id, store_id, iso_week))
    return replans.replan_published(engine, settings.with_roster_rules(keep_untouched_days=False), store_id,
                                      iso_week, (), today, scope, progress)


def follow_run(engine: Engine, result: Replan, basis: FollowBasis, store_id: str,
               iso_week: str) -> store_week.RosterRun:
    """A re-plan to follow the requirement in force as the run publishing saves: its requirement is the one it was
    fitted to (`basis`, the plan published as it was made, as a fresh roster's is), not the roster it re-planned,
    whose plan was replaced: saved as "the re-plan of the published roster 5" it would be followed back to that plan
    and read out of date again. `InvalidRequest` where another plan or roster was published since (`changed_since`)."""
    changed = changed_since(engine, basis, store_id, iso_week)
    if changed:
        raise InvalidRequest(changed)
    return store_week.RosterRun(result.roster, str(IsoWeek.parse(iso_week)), basis.requirement_source)


def changed_since(engine: Engine, basis: FollowBasis, store_id: str, iso_week: str, plan_id: int | None = None) -> str:
    """Why a re-plan made against `basis` can no longer be published ("plan 3 was published since this re-plan was
    made: re-plan again"); "" where the store-week's published plan and roster are still those it was made against.
    `plan_id`: the store-week's published plan (0: none) as the caller read it just now (None: read here). Both ids
    come from the listings: a document is not read for its id."""
    if plan_id is None:
        plan_id = store_week.published_plan_id(engine, store_id, iso_week)
    if plan_id != basis.plan_id:
        what = f"plan {plan_id} was published" if plan_id else f"the published plan {basis.plan_id} was withdrawn"
        return f"{what} since this re-plan was made: re-plan again"
    roster_id = store_week.published_roster_id(engine, store_id, iso_week)
    if roster_id != basis.roster_id:
        what = f"roster {roster_id} was published" if roster_id else \
            f"the published roster {basis.roster_id} was withdrawn"
        return f"{what} since this re-plan was made: re-plan again"
    return ""


def follow_note(basis: FollowBasis) -> str:
    """What a published re-plan to follow the plan in force answers, as the roster's history shows it: "re-plan of
    roster 5 to follow the published plan 12"."""
    follows = f"the published plan {basis.plan_id}" if basis.plan_id else "the week's recommended staff"
    return f"re-plan of roster {basis.roster_id} to follow {follows}"
