"""Re-plans of published rosters after absences: which published rosters an absence hits, the re-plan itself (nothing
saved), the run that publishing it saves, and the refusals (not yet published, or published after the re-plan's
today).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
from sqlalchemy import Engine

from planner import storage
from planner.access.scope import EVERYTHING, PUBLISH, Scope, publish_hint
from planner.calendar import IsoWeek
from planner.errors import InvalidRequest
from planner.roster import Absence, Replan, replan
from planner.roster.result import business_dates
from planner.roster.search import SearchProgress
from planner.rostering.documents import SavedRoster, require_store, roster_from_document, saved_roster
from planner.rostering.store_week import RosterRun, roster_instance
from planner.settings import Settings
from planner.storage.versioned import PUBLISHED


def replan_run(engine: Engine, result: Replan, store_id: str, iso_week: str) -> RosterRun:
    """A re-plan as the run that publishing saves: its requirement is the one of the published roster it re-planned,
    so its source names that roster, whose own source `requirement_since` follows back to the plan."""
    stored = storage.published_roster(engine, store_id, str(IsoWeek.parse(iso_week)))
    named = "" if stored is None else f" {stored.roster_id}"
    return RosterRun(result.roster, str(IsoWeek.parse(iso_week)), f"the re-plan of the published roster{named}")


def replan_published(engine: Engine, settings: Settings, store_id: str, iso_week: str,
                     absences: tuple[Absence, ...], today: dt.date, scope: Scope = EVERYTHING,
                     progress: Callable[[SearchProgress], None] | None = None) -> Replan:
    """Re-plan the published roster of the store and week for new `absences` (the stored ones still hold), changing
    as few shifts as the rules allow; nothing is saved. `progress`: as `make_roster`'s."""
    require_store(engine, store_id, scope)
    stored = require_published_by(engine, store_id, iso_week, today, scope)
    instance, _ = roster_instance(engine, settings, store_id, iso_week, scope=scope)
    before = roster_from_document(stored.document, instance, settings)
    return replan(before.instance.with_changes(absences=absences), before, settings.roster, today, progress)


def require_published_by(engine: Engine, store_id: str, iso_week: str, today: dt.date,
                         scope: Scope = EVERYTHING) -> storage.StoredRoster:
    """The roster published for the store and week, if it was published on or before `today` (its date where this
    machine is), else `InvalidRequest` saying what to do, as `scope`'s role may (`publish_hint`). A re-plan changes what people were told, counting the notice
    of each change from `today`: `roster replan --today` a week before the roster was published re-planned it, with
    premiums for changes to shifts nobody had been told of."""
    stored = storage.published_roster(engine, store_id, str(IsoWeek.parse(iso_week)))
    if stored is None:
        raise InvalidRequest(f"no roster is published for {store_id} in {iso_week}: "
                             + publish_hint(scope, f"roster --store {store_id} --week {iso_week}"))
    moment = stored.published_at
    published_on = (moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)).astimezone().date()
    if today < published_on:
        raise InvalidRequest(
            f"the roster of {store_id} {iso_week} is not published on {today}, the re-plan's today: roster "
            f"{stored.roster_id} was published on {published_on}. Re-plan it from that day on (--today {published_on} "
            f"or later), or plan the week afresh (roster --store {store_id} --week {iso_week}); nothing was "
            "re-planned or stored")
    return stored


def affected_rosters(engine: Engine, absences: tuple[Absence, ...], store_id: str | None = None,
                     iso_week: str | None = None, scope: Scope = EVERYTHING) -> list[tuple[str, str]]:
    """(store_id, iso_week) of the published rosters where an absent person has a shift on a day of their absence,
    narrowed to `store_id` and `iso_week` when given, and to the stores `scope` covers."""
    listed = _listed_for(engine, absences, store_id, iso_week, scope)
    listed = listed[listed["status"] == PUBLISHED]
    return [(row.store_id, row.iso_week) for row in listed.itertuples(index=False)
            if _hit(saved_roster(storage.published_roster(engine, row.store_id, row.iso_week)), absences)]


def require_no_unpublished_hits(engine: Engine, absences: tuple[Absence, ...], store_id: str | None = None,
                                iso_week: str | None = None, scope: Scope = EVERYTHING,
                                on: dt.date | None = None) -> None:
    """`InvalidRequest` when an absent person has a shift on a day of their absence in the latest draft of a
    store-week that has no published roster: a re-plan changes a published roster only, and `roster replan` said
    "nothing to re-plan" (and, with --publish, stored the absences) of a week whose roster was made but not yet
    published, as if no shift were hit. Narrowed as `affected_rosters`. A role that may not publish is told to ask a
    planner to publish, not to use a flag or button that refuses it; of a week over by `on` (default today), that it
    is over, not to publish it (which is refused)."""
    from planner.saved_plans import ended_weeks

    listed = _listed_for(engine, absences, store_id, iso_week, scope)
    published_weeks = set(zip(*(listed.loc[listed["status"] == PUBLISHED, c] for c in ("store_id", "iso_week")),
                              strict=True))
    drafts = listed[~listed.set_index(["store_id", "iso_week"]).index.isin(published_weeks)]
    latest = drafts.sort_values("roster_id").drop_duplicates(["store_id", "iso_week"], keep="last")
    counts = drafts.groupby(["store_id", "iso_week"]).size()
    for row in latest.sort_values(["store_id", "iso_week"]).itertuples(index=False):
        if not _hit(saved_roster(storage.load_roster(engine, int(row.roster_id))), absences):
            continue
        # of several drafts, the newest, whose shifts were checked: "(draft 4 only)" read as the week's one draft
        several = int(counts[(row.store_id, row.iso_week)])
        only = (f"draft {row.roster_id} only" if several == 1 else
                f"only drafts: draft {row.roster_id}, the newest of {several}")
        ended = ended_weeks([row.iso_week], on)
        if ended:
            raise InvalidRequest(
                f"the roster of {row.store_id} {row.iso_week} is not published ({only}), and "
                f"{ended} is over: a roster of it is neither published nor re-planned now; nothing was re-planned or "
                "stored")
        raise InvalidRequest(
            f"the roster of {row.store_id} {row.iso_week} is not published ({only}), and a "
            f"re-plan changes a published roster: {_publish_first(scope, row)}, or plan "
            f"the week afresh with the absences (import the absence file, then roster --store {row.store_id} --week "
            f"{row.iso_week}); nothing was re-planned or stored")


SAVED_DRAFTS = "Saved drafts"
"""The Roster page's box of a store-week's saved drafts, named so whatever their count: the words that send a
planner there name it so (`_publish_first`)."""


def _publish_first(scope: Scope, draft) -> str:
    """How the week of the latest `draft` (a `storage.list_rosters` row) gets a published roster: that draft itself
    by its id, or a new one."""
    # the Roster page publishes the draft too (it opens on it, under Saved drafts): "Publish this roster on the Roster
    # page" alone read as if the page could only make a new one
    where = (f"rosters publish {draft.roster_id}, or Publish this draft under {SAVED_DRAFTS} on the Roster page, "
             f"publishes draft {draft.roster_id} as it is; Publish this roster on the Roster page (Show: a new draft), "
             f"or roster --store {draft.store_id} --week {draft.iso_week} --publish, makes and publishes a new one")
    if scope.may(PUBLISH):
        return f"publish a roster of the week first ({where})"
    return (f"ask a planner to publish a roster of the week first ({where}): a {scope.role.replace('_', ' ')} may "
            "not publish")


def _listed_for(engine: Engine, absences: tuple[Absence, ...], store_id: str | None, iso_week: str | None,
                scope: Scope) -> pd.DataFrame:
    """The saved rosters (no documents) of the weeks the absences touch, narrowed to `store_id`, `iso_week` and the
    stores `scope` covers, by store and week."""
    weeks = sorted({str(IsoWeek.of(day)) for a in absences for day in a.days()})
    if iso_week is not None:
        weeks = [w for w in weeks if w == str(IsoWeek.parse(iso_week))]
    listed = storage.list_rosters(engine, store_id)
    listed = listed[listed["iso_week"].isin(weeks)
                    & listed["store_id"].isin(set(storage.load_stores(engine, scope)["store_id"]))]
    return listed.sort_values(["store_id", "iso_week"])


def _hit(saved: SavedRoster, absences: tuple[Absence, ...]) -> bool:
    """Whether an absent person has a shift in `saved` on a day of their absence: in the opening of that date, its
    hours past midnight included (`business_dates`), as the roster's model keeps them off it."""
    days = set(zip(saved.shifts["employee_id"], (day.date() for day in business_dates(saved.shifts)), strict=True))
    return any((a.employee_id, day) in days for a in absences for day in a.days())

