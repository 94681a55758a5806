"""Following a replaced plan with the least change: the published roster of a week whose plan another has replaced
(or withdrawn), re-planned against the requirement in force now, keeping as many published shifts as the rules allow
and pricing each change inside the notice window (`planner.roster.replan`), as a re-plan after an absence is. A fresh
roster of the week (`store_week.make_roster`) moved nearly everyone's shifts a week ahead, with no premium said."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.engine import Engine

from planner import storage
from planner.access.scope import EVERYTHING, Scope
from planner.calendar import IsoWeek
from planner.errors import InvalidRequest
from planner.roster.result import Replan
from planner.roster.search import SearchProgress
from planner.rostering import documents, replans, standing, store_week
from planner.settings import Settings


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


def follow_run(engine: Engine, settings: Settings, result: Replan, store_id: str, iso_week: str,
               scope: Scope = EVERYTHING) -> store_week.RosterRun:
    """A re-plan to follow the requirement in force as the run publishing saves: its requirement is that one (the
    plan published now, as a fresh roster's is), not the roster it re-planned, whose plan was replaced: saved as
    "the re-plan of the published roster 5" it would be followed back to that plan and read out of date again."""
    _, source = store_week.roster_instance(engine, settings, store_id, iso_week, scope=scope)
    return store_week.RosterRun(result.roster, str(IsoWeek.parse(iso_week)), source)


def follow_note(engine: Engine, store_id: str, iso_week: str) -> str:
    """What a published re-plan to follow the plan in force answers, as the roster's history shows it: "re-plan of
    roster 5 to follow the published plan 12"."""
    stored = storage.published_roster(engine, store_id, str(IsoWeek.parse(iso_week)))
    plan = storage.published_plan(engine, store_id, str(IsoWeek.parse(iso_week)))
    of = "" if stored is None else f" of roster {stored.roster_id}"
    follows = "the week's recommended staff" if plan is None else f"the published plan {plan.plan_id}"
    return f"re-plan{of} to follow {follows}"


def nothing_to_follow(roster_id: int, store_id: str, iso_week: str) -> str:
    return (f"the published roster {roster_id} of {store_id} {iso_week} follows the plan in force: nothing to "
            "re-plan (an absence file re-plans it for an absence)")
