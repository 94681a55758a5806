"""Rosters from the database: the store-week to roster (its requirement, people, absences and the week before),
solved, saved as a document, published, and re-planned after a change. With `pipeline` and `cli`, a module that
calls every stage; it loads, calls and hands back records, and prints nothing.

The requirement is the store's published plan for that week when there is one (dated: holidays and events
included), else the recommended staff of the week as a plan would require them (the stored calendar's closed
dates and changed hours require nobody, its demand factors scale the demand); the week's opening hours are the
calendar's (the plan's own rows, else the stored calendar's), so a closed date gets no shift and no shortfall. Open
hours without a recommendation (a store never counted) require the store's min_staff when the plan was made with
min_staff cover (its own `--min-staff-cover`, or the chain's setting then), or, without a plan, when the chain's
setting is on: the cover the plan's schedule holds. The min_staff is the one the plan was made with (its what-if
`--min-staff`, else the store file's), so the roster requires what the plan's schedule was built to.
Rest and days-in-a-row carry over from the roster published for the week before.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields, replace

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from planner import storage
from planner.access.scope import EVERYTHING, PLAN, PUBLISH, Scope, publish_hint
from planner.calendar import IsoWeek, dated_stores, week_exceptions
from planner.errors import InvalidRequest, PlannerError
from planner.io.employees import absences_of, employees_of
from planner.pipeline import requirement_tables, select_stores, week_requirement
from planner.roster import Absence, Assignment, Replan, Roster, RosterInstance, from_store, replan, solve_roster
from planner.roster import status as roster_status
from planner.roster.check import check_roster
from planner.roster.check_changes import change_kind
from planner.roster.elsewhere import booked_elsewhere
from planner.roster.report import business_date
from planner.roster.result import (
    ADDED, BREAK_MOVED, BUSINESS_DATE, CANCELLED, CLOCK_CHANGE_HOURS, HOUR_COLUMNS, LENGTHENED, MOVED, PEOPLE_COLUMNS,
    SHIFT_COLUMNS, SHORTENED, Level, business_dates,
)
from planner.roster.search import SearchProgress
from planner.schemas import StoreSchema as S
from planner.settings import RosterRules, Settings, value_text
from planner.storage.versioned import DRAFT, PUBLISHED, refuse_not_draft
from planner.surfaces.fixes import IMPORT_COMMAND
from planner.surfaces.roster import RECOMMENDED_REQUIREMENT, RECOMMENDED_REQUIREMENT_BEFORE, REPLAN_ON_PLANS_PAGE
from planner.targets import resolve_time_zones
from planner.shifts.candidates import Candidate
from planner.words import ended

MINUTES_PER_DAY = 24 * 60
DOCUMENT_VERSION = 1
_MOMENTS = ("start", "end", "break_start")


@dataclass(frozen=True)
class RosterRun:
    """A roster made for a store and week, and where its requirement came from."""

    roster: Roster
    iso_week: str
    requirement_source: str
    """"the published plan 12" or `surfaces.roster.RECOMMENDED_REQUIREMENT`, as saved and printed: with why the plan
    was out of date as it was rostered (`out_of_date_clause`)."""
    plan_out_of_date: str = ""
    """Why the published plan it follows was out of date as it was rostered ("the calendar changed since it was
    made"); "" when it was not, or it follows none."""


@dataclass(frozen=True)
class SavedRoster:
    """A roster read back from the database: what pages and exports show, without solving again."""

    roster_id: int
    store_id: str
    iso_week: str
    status: str
    status_sentence: str
    shifts: pd.DataFrame
    people: pd.DataFrame
    hours: pd.DataFrame
    sentences: tuple[str, ...]
    requirement_source: str
    note: str | None
    roster_rules: dict | None = None
    """The roster rules it was made with (`RosterRules` as a dict); None for a roster saved before they were kept."""
    time_zone: str | None = None
    """The store's time zone it was made under, whose clock its shifts' times keep (None: none, floating times)."""
    time_zone_kept: bool = False
    """Whether its document kept `time_zone`: a roster saved before it was kept says nothing of a zone's change."""


def roster_instance(engine: Engine, settings: Settings, store_id: str, iso_week: str,
                    extra_absences: tuple[Absence, ...] = (), scope: Scope = EVERYTHING) -> tuple[RosterInstance, str]:
    """The store-week to roster and where its requirement came from; `extra_absences` join the stored ones. A store
    `scope` does not cover is an unknown store. The store's time zone (its own, else the chain's) pays a night across
    a change of the clocks its hours worked; without one, shifts are paid by the clock."""
    instance, source, _ = _store_week(engine, settings, store_id, iso_week, extra_absences, scope)
    return instance, source


def _store_week(engine: Engine, settings: Settings, store_id: str, iso_week: str, extra_absences: tuple[Absence, ...],
                scope: Scope) -> tuple[RosterInstance, str, str]:
    """`roster_instance`, and why the published plan it follows is out of date ("" when it is not)."""
    week = IsoWeek.parse(iso_week)
    stores = select_stores(storage.load_stores(engine, scope), [store_id], scope)
    need = _requirement(engine, settings, store_id, week, scope)
    store = dated_stores(stores, need.exceptions).iloc[0]  # the week's own hours: a closed date has no shift
    if need.min_staff is not None:  # the plan's floor (a what-if's), raising max_staff to it as the plan did
        store = store.copy()
        store[S.min_staff] = need.min_staff
        store[S.max_staff] = max(int(store[S.max_staff]), need.min_staff)
    people = employees_of(storage.load_employees(engine, [store_id]))
    if not people:
        raise InvalidRequest(no_employees(store_id))  # missing input the user can import: exit 1, not 2
    time_zone = resolve_time_zones(stores, settings).get(store_id)
    rosters_elsewhere = _published_elsewhere(engine, store_id, week, people)
    shifts_elsewhere = _shifts_elsewhere(rosters_elsewhere, people)
    # each shift elsewhere keeps its own store's clock, whatever this user's scope (its shifts are read so too): the
    # zone its roster was made under, where it kept one, not one its store has moved to since
    zones = (zones_made_under(resolve_time_zones(storage.load_stores(engine), settings), *rosters_elsewhere)
             if not shifts_elsewhere.empty else {})
    people, elsewhere = booked_elsewhere(tuple(people), shifts_elsewhere, week.monday, settings.roster, time_zone,
                                         zones)
    source = "; ".join((need.source, *elsewhere))
    ids = [person.employee_id for person in people]
    days = week.dates()
    absences = absences_of(storage.load_absences(engine, ids, days[0], days[-1]))
    days_before, last_end = _week_before(engine, store_id, week)
    instance = from_store(store, need.table, week.monday, people, (*absences, *extra_absences),
                          shift_rules=settings.shifts, days_worked_before=days_before,
                          last_end_before_minute=last_end, min_staff_cover=need.min_staff_cover,
                          time_zone=time_zone)
    return instance, source, need.out_of_date


def inputs_key(engine: Engine, store_id: str, iso_week: str, scope: Scope = EVERYTHING) -> tuple[int, ...]:
    """What a roster of the store-week is made from besides the imported files: the id (0: none) of the plan
    published for it, of the store's roster published for the week before (rest and days in a row carry over), and
    of each published roster of the week in the other stores its people work in. Publishing any of them changes the
    key, so a cached roster is made again."""
    week = IsoWeek.parse(iso_week)
    _require_store(engine, store_id, scope)
    people = employees_of(storage.load_employees(engine, [store_id]))
    # the listings' ids only: the documents (a plan's or roster's whole tables) are not read on every page run
    plan = published_plan_id(engine, store_id, str(week))
    before = _published_id(storage.list_rosters(engine, store_id, str(IsoWeek.of(week.monday - dt.timedelta(days=7)))),
                           "roster_id")
    this_week = storage.list_rosters(engine, iso_week=str(week))
    others = [_published_id(this_week[this_week["store_id"] == other], "roster_id")
              for other in _other_stores(people, store_id)]
    return plan, before, *others


def published_plan_id(engine: Engine, store_id: str, iso_week: str) -> int:
    """The id of the plan published for the store-week (0: none), from the plans' listing, not their documents: what
    a page keys a cached answer on that changes only when a plan of the week is published."""
    return _published_id(storage.list_plans(engine, store_id, str(IsoWeek.parse(iso_week))), "plan_id")


def make_roster(engine: Engine, settings: Settings, store_id: str, iso_week: str,
                scope: Scope = EVERYTHING, progress: Callable[[SearchProgress], None] | None = None) -> RosterRun:
    """Solve the roster of `store_id` for `iso_week` (nothing is saved); `progress` is told how far the search is,
    first once the store-week is read, as the search starts (`search.Clock`)."""
    instance, source, out_of_date = _store_week(engine, settings, store_id, iso_week, (), scope)
    return RosterRun(solve_roster(instance, settings.roster, progress), str(IsoWeek.parse(iso_week)), source,
                     out_of_date)


def publish_caution(roster: Roster) -> str:
    """"" for a roster that may be published without a second look; else one sentence: what is incomplete (the quick
    roster, required staff-hours uncovered that the store's max_staff would allow) and what would do better. The
    command line refuses `--publish` with it (unless `--publish-anyway`), the Roster page asks for a confirmation."""
    caution = roster_status.publish_caution(roster, check_roster(roster.instance, roster.rules, roster.assignments))
    if not caution:
        return ""
    return f"{ended(caution[0].upper() + caution[1:])} To do better, {roster_status.publish_advice(roster)}."


def save_roster_run(engine: Engine, run: RosterRun, by: str, *, publish: bool = False, note: str = "",
                    scope: Scope = EVERYTHING, on: dt.date | None = None) -> int:
    """Save the roster as a draft (and publish it, for a role that may publish, unless its week is over by `on`:
    `refuse_week_over`); returns its roster_id. A store outside `scope` is refused (`OutsideScope`)."""
    scope.require(PUBLISH if publish else PLAN)
    _require_store(engine, run.roster.instance.store_id, scope)
    if publish:
        refuse_week_over(run.iso_week, on=on)
    roster_id = storage.save_roster(engine, run.roster.instance.store_id, run.iso_week,
                                    roster_document(run.roster, run.requirement_source), by, note)
    if publish:
        storage.publish_roster(engine, roster_id, by)
    return roster_id


COMMAND_LINE, ROSTER_PAGE = "command line", "Roster page"
"""Where a stale draft's refusal is said (`stale_sentence`), so that it names that place's way on."""
PAGE_PUBLISH_AS_IS = "Publish it as it is"
"""The Roster page's tick beside a publish button that publishes a stale or incomplete roster as it is
(`roster --publish-anyway`, `rosters publish ID --publish-anyway`)."""
PAGE_NEW_SEARCH = "a new draft (a new search)"
"""The Roster page's Show choice that rosters a week without a published roster again."""
PAGE_NEW_DRAFT = "Make a new draft"
"""The Roster page's button beside a published roster that rosters its week again."""


def stale_sentence(stale: tuple[str, ...], store_id: str, iso_week: str, caution: str = "", *,
                   where: str = COMMAND_LINE, published: bool = False, may_publish: bool = True) -> str:
    """Why a saved draft is `stale` (`stale_reasons`), with any `caution` (`saved_publish_caution`), and what to do
    instead of publishing it, in the ways of `where` it is said (its caller chooses): on the command line, the
    `roster` command that makes a new roster of the week (`rosters publish ID` adds its --publish-anyway); on the
    Roster page, its own controls: Show's new draft (Show the published roster, then Make a new draft, where a
    roster of the week is `published`) and the tick that publishes the draft as it is. The page said the command
    line's command beside its own button, and "a new draft would follow what changed" without saying how. To a role
    that may not `may_publish`, the page names only Show's new draft: it told a store manager to tick a box and press
    a button it disables for them."""
    said = f"It is stale: {', and '.join(stale)}.{caution and f' {caution}'}"
    if where == COMMAND_LINE:
        return f"{said} Make a new roster of the week (roster --store {store_id} --week {iso_week}) and publish that."
    new = (f"Show the published roster, then {PAGE_NEW_DRAFT}" if published else f"Show: {PAGE_NEW_SEARCH}")
    if not may_publish:
        return f"{said} A new draft of the week ({new}) follows what changed; publishing either is for planners."
    return (f"{said} Make a new draft of the week ({new}) and publish that, or tick '{PAGE_PUBLISH_AS_IS}' to publish "
            "this draft as it is.")


class PublishCaution(InvalidRequest):
    """A saved draft not published because `publish_caution` names what is incomplete in it (`caution`), or because
    it is stale (`stale`: `stale_reasons`'s reasons, the plan it followed replaced, the roster rules or the store's
    time zone changed): published only when asked for as it is (`roster --publish` keeps an incomplete roster as a
    draft alike)."""

    def __init__(self, message: str, caution: str, stale: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.caution = caution
        self.stale = stale


def publish_saved_roster(engine: Engine, settings: Settings, roster_id: int, by: str, *, anyway: bool = False,
                         scope: Scope = EVERYTHING, where: str = COMMAND_LINE) -> storage.StoredRoster:
    """Publish the saved draft roster `roster_id` as it was saved (no new search); the roster published before for
    its store and week becomes superseded. Refused as `roster --publish` refuses, by the same checks: a role that may
    not publish (`OutsideScope`), a week that is over (`refuse_week_over`), a quick or incomplete roster unless
    `anyway` (`PublishCaution`, from `saved_publish_caution`); and a roster that is not a draft (`InvalidRequest`)
    or is not saved in `scope`'s stores (`UnknownRecord`). A stale draft (`stale_reasons`: made before the week's
    published plan, the roster rules or the store's time zone changed) is refused too unless `anyway`
    (`PublishCaution` with its `stale` reasons): a roster made now would follow what changed, and a planner would not
    expect the draft to be published without a word; its words name the ways on of `where` the refusal is said
    (`stale_sentence`). Returns the roster as now stored."""
    scope.require(PUBLISH)
    stored = storage.load_roster(engine, roster_id, scope)
    remake = f"roster --store {stored.store_id} --week {stored.iso_week}"
    refuse_not_draft(stored, "roster", stored.roster_id, remake)
    refuse_week_over(stored.iso_week)
    stale = tuple(stale_reasons(engine, settings, saved_roster(stored)))
    caution = _caution_as_saved(engine, settings, stored, scope, anyway)
    if not anyway:
        refused = f"roster {stored.roster_id} ({stored.store_id} {stored.iso_week}) is not published, it stays a draft."
        if stale:
            published = where != COMMAND_LINE and storage.published_roster(engine, stored.store_id,
                                                                         stored.iso_week) is not None
            raise PublishCaution(f"{refused} " + stale_sentence(stale, stored.store_id, stored.iso_week, caution,
                                                                where=where, published=published), caution, stale)
        if caution:
            raise PublishCaution(f"{refused} {caution}", caution)
    # published as it is: its audit entry says what would have kept it a draft (the entry read as any other's)
    as_is = " ".join(([f"stale: {', and '.join(stale)}."] if stale else []) + ([caution] if caution else []))
    return storage.publish_roster(engine, stored.roster_id, by, as_is=as_is)


@dataclass(frozen=True)
class SavedDraft:
    """A saved draft roster of a store-week, as offered for publishing as it was saved (`publish_saved_roster`)."""

    roster: SavedRoster
    created_at: dt.datetime
    """When it was saved (UTC)."""
    created_by: str
    stale: tuple[str, ...]
    """Why it is stale (`stale_reasons`); () when it is not."""


def saved_drafts(engine: Engine, settings: Settings, store_id: str, iso_week: str,
                 scope: Scope = EVERYTHING) -> list[SavedDraft]:
    """The draft rosters saved for the store and week (by `roster` without --publish, or a page), newest first, each
    read back with whether it is stale against the chain's `settings`, as `publish_saved_roster` judges it. A store
    `scope` does not cover is an unknown store."""
    _require_store(engine, store_id, scope)
    listing = storage.list_rosters(engine, store_id, str(IsoWeek.parse(iso_week)), scope)
    drafts = []
    for row in listing[listing["status"] == DRAFT].itertuples(index=False):
        saved = saved_roster(storage.load_roster(engine, int(row.roster_id), scope))
        drafts.append(SavedDraft(saved, row.created_at, str(row.created_by),
                                 tuple(stale_reasons(engine, settings, saved))))
    return drafts


def _caution_as_saved(engine: Engine, settings: Settings, stored: storage.StoredRoster, scope: Scope,
                      anyway: bool) -> str:
    """`saved_publish_caution` of `stored`; published `anyway`, a store-week that cannot be read now (a store that
    cannot be planned: the check needs its requirement) has none to say, as it was published before it was
    checked."""
    try:
        return saved_publish_caution(engine, settings, stored, scope)
    except PlannerError:
        if not anyway:
            raise
        return ""


def draft_publish_caution(engine: Engine, settings: Settings, roster_id: int, scope: Scope = EVERYTHING) -> str:
    """`saved_publish_caution` of the saved roster `roster_id`: what `publish_saved_roster` refuses it for, stale
    aside, unless asked to publish it as it is."""
    return saved_publish_caution(engine, settings, storage.load_roster(engine, roster_id, scope), scope)


def saved_publish_caution(engine: Engine, settings: Settings, stored: storage.StoredRoster,
                          scope: Scope = EVERYTHING) -> str:
    """`publish_caution` of a saved roster: its assignments checked on its store-week as it stands now (the
    requirement, people and absences a roster made now would be made for), with the rules and search it was made
    with (whether it was the quick roster, its time limit and budget)."""
    instance, _ = roster_instance(engine, settings, stored.store_id, stored.iso_week, scope=scope)
    return publish_caution(roster_from_document(stored.document, instance, settings, as_made=True))


ROSTER_RECORD = ("and its published roster is the record of the shifts people were told; one published now would "
                 "tell them of days already worked")
"""Why a roster of a week that is over is not published (after "2026-W39 (ended Sun 27 Sep 2026) is over, ")."""


def refuse_week_over(iso_week: str, done: str = "published", instead: str | None = None,
                     on: dt.date | None = None) -> None:
    """InvalidRequest when the week has ended by `on` (default: `planner.clock.today()`; a command's --today),
    in the words that refuse publishing a plan of it (a draft may still be made; `instead` says otherwise): the
    published roster is what people were told, and one published now tells them of days already worked."""
    from planner.saved_plans import refuse_weeks_over

    refuse_weeks_over([str(IsoWeek.parse(iso_week))], f"no roster was {done}", ROSTER_RECORD,
                      *([instead] if instead else []), on=on)


def week_over(iso_week: str, on: dt.date | None = None) -> str:
    """Why a roster of the week is not published, as `refuse_week_over` refuses it ("2026-W39 (ended Sun 27 Sep 2026)
    is over, and its published roster is ..."); "" when the week is not over by `on`. The Roster page disables its
    publish buttons by it."""
    from planner.saved_plans import weeks_over

    return weeks_over([str(IsoWeek.parse(iso_week))], ROSTER_RECORD, on)


def published(engine: Engine, store_id: str, iso_week: str, scope: Scope = EVERYTHING) -> SavedRoster | None:
    """The roster published for the store and week, read back, or None."""
    _require_store(engine, store_id, scope)
    stored = storage.published_roster(engine, store_id, str(IsoWeek.parse(iso_week)))
    return None if stored is None else saved_roster(stored)


def away_days(engine: Engine, employee_ids: list[str], week_start: dt.date, scope: Scope = EVERYTHING,
              absences: tuple[Absence, ...] | None = None) -> dict[tuple[str, dt.date], str]:
    """(employee_id, date) -> the reason ("" when none was given) for each day of the week from `week_start` that
    one of `employee_ids` is away: from `absences` when given (a roster just made or re-planned holds its own, a
    re-plan's new one among them, which is stored only when it is published), else the stored ones. The grid files
    write them ("away (sick)") and the grid on the Roster page their codes with a key ("away (S)", "S = sick"), so a
    day away never reads as a day off."""
    last = week_start + dt.timedelta(days=6)
    if absences is None:
        absences = absences_of(storage.load_absences(engine, [str(e) for e in employee_ids], week_start, last, scope))
    wanted = {str(e) for e in employee_ids}
    return {(str(a.employee_id), day): "" if pd.isna(a.reason) else str(a.reason)
            for a in absences if str(a.employee_id) in wanted for day in a.days() if week_start <= day <= last}


PLAN_SOURCE = re.compile(r"the published plan (\d+)")
"""How a roster's requirement source names the published plan it followed (`_requirement` writes it)."""
REPLAN_SOURCE = re.compile(r"the re-plan of the published roster(?: (\d+))?")
"""How a re-plan's requirement source names the roster it re-planned (`replan_run` writes it; a re-plan saved before
the id was written names none: the roster published before it is the one). Saved rosters keep it so; it is shown
as `REPLANNED_FROM` says it."""
REPLANNED_FROM = "as re-planned from published roster {roster_id}"
"""A re-plan's requirement source as `shown_source` shows it, after "requirement: " (the source as saved read
"requirement: the re-plan of the published roster 1")."""
REPLANNED_FROM_UNNAMED = "as re-planned from the roster published before it"
"""The same of a re-plan saved before its source named the roster it re-planned."""


def replan_run(engine: Engine, result: Replan, store_id: str, iso_week: str) -> RosterRun:
    """A re-plan as the run that publishing saves: its requirement is the one of the published roster it re-planned,
    so its source names that roster, whose own source `requirement_since` follows back to the plan."""
    stored = storage.published_roster(engine, store_id, str(IsoWeek.parse(iso_week)))
    named = "" if stored is None else f" {stored.roster_id}"
    return RosterRun(result.roster, str(IsoWeek.parse(iso_week)), f"the re-plan of the published roster{named}")


STALE_WHEN_ROSTERED = ": re-plan the week, then roster again"
"""How a roster's requirement source ends when its plan was already out of date as it was rostered (", out of date:
the calendar changed since it was made: re-plan ...")."""


def out_of_date_clause(reason: str) -> str:
    """How a requirement source says, after its plan, why the plan was out of date as it was rostered."""
    return f", out of date: {reason}{STALE_WHEN_ROSTERED}"


def stale_source(run: RosterRun) -> tuple[str, str]:
    """`run`'s requirement as (what the requirement is, "the published plan 1"; why its plan was out of date as it
    was rostered, "the calendar changed since it was made", else ""): a page shows the second as a warning of its
    own, where it read as an aside in the draft's brackets. From the run's own `plan_out_of_date`, not read back
    from its sentence."""
    if not run.plan_out_of_date:
        return run.requirement_source, ""
    return run.requirement_source.replace(out_of_date_clause(run.plan_out_of_date), "", 1), run.plan_out_of_date


def shown_source(saved: SavedRoster) -> str:
    """`saved`'s requirement source as shown after "requirement: ", beside `requirement_since`, which says what
    stands now: without the "out of date" it was rostered with (a published roster read "the published plan 1, out
    of date: the counts changed since it was made: ...; its plan 1 is out of date: the counts changed since: ...",
    the same twice), and a re-plan's as `REPLANNED_FROM` says it. A saved roster keeps only its sentence, so the
    "out of date" (`out_of_date_clause`) is found in it by its words; a run made in this process carries it apart
    (`RosterRun.plan_out_of_date`, `stale_source`)."""
    source = re.sub(f", out of date: .*?{re.escape(STALE_WHEN_ROSTERED)}", "", saved.requirement_source)
    if source == RECOMMENDED_REQUIREMENT_BEFORE:  # saved before: its brackets sat inside the page's
        return RECOMMENDED_REQUIREMENT
    replanned = REPLAN_SOURCE.fullmatch(source)
    if replanned is None:
        return source
    return REPLANNED_FROM_UNNAMED if replanned.group(1) is None else REPLANNED_FROM.format(roster_id=replanned.group(1))


def requirement_since(engine: Engine, settings: Settings, saved: SavedRoster, scope: Scope = EVERYTHING) -> str:
    """Whether the requirement `saved` was rostered for still stands, in words: "" when the week's published plan is
    the one it was made from (and its inputs have not changed against the chain's `settings`), else what replaced it
    and what to do (a roster shown from the database said nothing when the plan it followed had been superseded). A
    re-plan is followed back to the roster it re-planned, and on to the plan that roster was made from (a re-plan was
    always read as stale)."""
    return requirement_warning(engine, settings, saved, scope)[0]


def requirement_warning(engine: Engine, settings: Settings, saved: SavedRoster, scope: Scope = EVERYTHING, *,
                        where: str = COMMAND_LINE) -> tuple[str, bool]:
    """`requirement_since`'s words as `where` says them, and whether their way on is re-planning the week (the plan
    `saved` follows is out of date, not replaced): the Roster page names the Plans page
    (`surfaces.roster.REPLAN_ON_PLANS_PAGE`) and links it, as beside a draft's out-of-date plan; it read the command
    line's "re-plan the week" naming no place."""
    from planner.plans import Plan
    from planner.saved_plans import out_of_date_sentence

    stored = storage.published_plan(engine, saved.store_id, saved.iso_week)
    replaced = _plan_replaced(engine, saved, stored)
    if replaced:
        return f"{replaced}: roster the week again" + ("" if stored is None else " to follow it"), False
    if stored is None:
        return "", False
    stale = _plan_changed(engine, stored, Plan.from_json(stored.document), settings, scope)
    if not stale:
        return "", False
    why = f"its plan {stored.plan_id} is out of date: {out_of_date_sentence(stale)}"
    if where == ROSTER_PAGE:
        return f"{why}. {REPLAN_ON_PLANS_PAGE}", True
    return f"{why}{STALE_WHEN_ROSTERED}", True


@dataclass(frozen=True)
class RequirementNow:
    """A published roster measured against the requirement a roster made now would follow, where that is not the
    one it was made for (`requirement_now`). Its own figures (`SavedRoster.hours`, its sentences) stay those of
    `made_for`."""

    made_for: str
    """The requirement it was made for and its figures measure: "the published plan 1", or
    `surfaces.roster.RECOMMENDED_REQUIREMENT`."""
    now: str
    """The requirement in force: "the published plan 2", or `surfaces.roster.RECOMMENDED_REQUIREMENT` (its plan
    withdrawn)."""
    replaced: str
    """What replaced `made_for`, as `requirement_since` says it ("made from plan 1, which the published plan 2 has
    replaced")."""
    uncovered_staff_hours: float
    """Against `now`: the staff-hours its shifts leave uncovered."""
    short: tuple[str, ...]
    """Against `now`: each span with staff missing (`findings.uncovered_spans`: "Sat 10:00-18:00: up to 3 staff short
    (20 staff-hours uncovered)")."""


def requirement_now(engine: Engine, settings: Settings, saved: SavedRoster,
                    scope: Scope = EVERYTHING) -> RequirementNow | None:
    """`saved`'s shifts measured against the week's requirement as it stands (`roster_instance`: the plan published
    now, else the recommendation) when the plan it was made from is no longer the week's published plan
    (`_plan_replaced`), by the solver-free checker; None when it still is, and its own figures say it all. A roster
    of plan 1 read "Uncovered staff-hours 0.0" under the words that plan 2 had replaced it, where plan 2 left hours
    short."""
    from planner.roster.findings import uncovered_spans
    from planner.shifts.instance import SLOT_MINUTES

    published_plan = storage.published_plan(engine, saved.store_id, saved.iso_week)
    replaced = _plan_replaced(engine, saved, published_plan)
    if not replaced:
        return None
    instance, _ = roster_instance(engine, settings, saved.store_id, saved.iso_week, scope=scope)
    roster = roster_from_document(storage.load_roster(engine, saved.roster_id, scope).document, instance, settings,
                                  as_made=True)
    check = check_roster(roster.instance, roster.rules, roster.assignments)
    made_from = PLAN_SOURCE.match(_origin_source(engine, saved))
    return RequirementNow(
        RECOMMENDED_REQUIREMENT if made_from is None else f"the published plan {made_from.group(1)}",
        RECOMMENDED_REQUIREMENT if published_plan is None else f"the published plan {published_plan.plan_id}",
        replaced, float(check.under.sum() * SLOT_MINUTES / 60), tuple(uncovered_spans(roster.instance, check.under)))


def plan_replaced(engine: Engine, saved: SavedRoster) -> str:
    """Whether the plan `saved` was made from is still the week's published plan: "" when it is (or neither has one),
    else what replaced it, in words ("made from plan 1, which the published plan 2 has replaced"), as
    `requirement_since` and `RequirementNow.replaced` say it; without measuring anything, for the calendars' mark
    (`surfaces.roster.calendar_out_of_date`)."""
    return _plan_replaced(engine, saved, storage.published_plan(engine, saved.store_id, saved.iso_week))


def rules_since(settings: Settings, saved: SavedRoster) -> str:
    """Which of the chain's roster rules (those a planner sets, `RosterRules`' fields with a label) changed since
    `saved` was made, in words: "the roster rules changed since this roster was made: Most paid hours a week (hours)
    48 -> 44: roster the week again to follow them"; "" when none did, or the roster was saved before its rules were
    kept. The time limit is left out: it stops a slow machine's search and is no rule a roster keeps; so are the
    rules only a re-plan reads (`RULES_OF_REPLANS`: the notice for changes, the premiums, ...), which the published
    roster keeps whatever they say. Plans and schedules never read the roster rules (`settings.planning_settings`),
    so nothing here calls them out of date."""
    changed = _rules_changed(settings, saved)
    if not changed:
        return ""
    return f"the roster rules changed since this roster was made: {'; '.join(changed)}: roster the week again to " \
        "follow them"


def zone_since(engine: Engine, settings: Settings, saved: SavedRoster) -> str:
    """Whether the store's time zone (its own, else the chain's in `settings`: `resolve_time_zones`, as a roster made
    now reads it) is the one `saved` was made under, in words: "the store's time zone changed since this roster was
    made: Europe/Berlin -> Europe/London: roster the week again to follow it"; "" when it is, or the roster was saved
    before its zone was kept. Its shifts are clock times on the zone it was made under, which its calendars state
    (`zones_made_under`): a 09:00 shift made on Berlin's clock is still sent as 09:00 Berlin time, though the store
    now opens on London's."""
    changed = _zone_changed(engine, settings, saved)
    return f"{zone_changed_clause(changed)}: roster the week again to follow it" if changed else ""


def zone_changed_clause(changed: str) -> str:
    """What a change of the store's time zone since a roster was made (`_zone_changed`: "Europe/Berlin ->
    Europe/London") is said as, by `zone_since` and among `stale_reasons`."""
    return f"the store's time zone changed since this roster was made: {changed}"


def zones_made_under(zones: Mapping[str, str | None], *saved: SavedRoster) -> dict[str, str | None]:
    """`zones` (store_id -> IANA name or None, `resolve_time_zones`: the zones in force now) with each store of a
    `saved` roster on the zone that roster was made under, where its document kept one: its shifts are clock times on
    that zone, so its calendars state it and a shift read elsewhere is read on it (a 09:00 made on Berlin's clock
    stays 09:00 Berlin after the store moved to London's). A roster made with no zone, or saved before its zone was
    kept, is read on the zone now (a zone set since names its clock times: `zone_since`). A roster just made, not
    read back, is on the zone now and needs none of this."""
    return {**zones, **{roster.store_id: roster.time_zone for roster in saved
                        if roster.time_zone_kept and roster.time_zone is not None}}


def stale_reasons(engine: Engine, settings: Settings, saved: SavedRoster) -> list[str]:
    """Why `saved` is stale, each in words ([] when it is not): what `requirement_since` and `rules_since` say a
    roster made now would follow instead, without their advice. The plan it followed is no longer the week's
    published plan ("made from plan 1, which the published plan 2 has replaced", withdrawn, or one published
    since it was made without one), or roster rules it keeps changed ("the roster rules changed since it was made:
    Most paid hours a week (hours) 48 -> 40"), or the store's time zone changed since (`zone_changed_clause`: "the
    store's time zone changed since this roster was made: Europe/Berlin -> Europe/London"). A plan whose own inputs changed since does
    not make it stale: a roster made now would follow that same plan (`roster --publish` publishes one, its
    requirement source saying so); re-planning the week is what answers it."""
    replaced = _plan_replaced(engine, saved, storage.published_plan(engine, saved.store_id, saved.iso_week))
    changed = _rules_changed(settings, saved)
    rules = [f"the roster rules changed since it was made: {'; '.join(changed)}"] if changed else []
    zone = _zone_changed(engine, settings, saved)
    zones = [zone_changed_clause(zone)] if zone else []
    return [*([replaced] if replaced else []), *rules, *zones]


RULES_NOT_KEPT = ("time_limit_seconds",)
"""Roster settings a planner sets that no roster keeps (`rules_since` leaves them out)."""

RULES_OF_REPLANS = ("notice_days", "premium_hours_added_shift", "premium_hours_moved_shift",
                    "premium_hours_shortened_shift", "premium_hours_cancelled_shift", "change_penalty_hours",
                    "break_move_penalty_hours", "keep_untouched_days")
"""Roster rules only a re-plan reads (`planner.roster.replan`): what a change within the notice window pays, what a
change costs, which days a re-plan keeps. A published roster keeps them whatever they are, so a change to one is no
reason to roster the week again (`rules_since` leaves them out; the next re-plan follows them)."""


def _rule_value(value: object) -> object:
    """A rule's value as saved in a document (JSON: a tuple as a list) as the settings hold it."""
    return tuple(value) if isinstance(value, list) else value


def _plan_replaced(engine: Engine, saved: SavedRoster, stored: storage.StoredPlan | None) -> str:
    """Whether `stored`, the week's published plan (None: none is), is the plan `saved` was rostered for (a re-plan
    followed back to the roster it re-planned: `_origin_source`): "" when it is (or neither has one), else what
    replaced it, in words."""
    made_from = PLAN_SOURCE.match(_origin_source(engine, saved))
    if stored is None:
        return "" if made_from is None else (f"made from plan {made_from.group(1)}, which is no longer the week's "
                                             "published plan")
    if made_from is None:
        return f"a plan of the week was published since it was made (plan {stored.plan_id})"
    if int(made_from.group(1)) != stored.plan_id:
        return f"made from plan {made_from.group(1)}, which the published plan {stored.plan_id} has replaced"
    return ""


def _zone_changed(engine: Engine, settings: Settings, saved: SavedRoster) -> str:
    """The store's time zone `saved` was made under and the one in force now ("Europe/Berlin -> Europe/London"),
    where both are named and differ; "" otherwise. A roster made with no zone kept the store's local clock times,
    which a zone set since only names (its calendars then state it, as `roster --out-dir` says); a zone taken away
    leaves those clock times floating, as the calendars' note says. Neither moves a shift. Nor is a roster whose
    document kept no zone judged."""
    if not saved.time_zone_kept or saved.time_zone is None:
        return ""
    now = resolve_time_zones(storage.load_stores(engine, store_ids=[saved.store_id]), settings).get(saved.store_id)
    return "" if now in (None, saved.time_zone) else f"{saved.time_zone} -> {now}"


def _rules_changed(settings: Settings, saved: SavedRoster) -> list[str]:
    """Each roster rule `saved` keeps whose value in `settings` differs from the one it was made with ("Most paid
    hours a week (hours) 48 -> 40"), as `rules_since` leaves rules out; [] for a roster saved before its rules
    were kept."""
    if saved.roster_rules is None:
        return []
    changed = []
    for item in fields(RosterRules):
        info = item.metadata.get("info")
        if (info is None or item.name in RULES_NOT_KEPT or item.name in RULES_OF_REPLANS
                or item.name not in saved.roster_rules):
            continue
        made_with = _rule_value(saved.roster_rules[item.name])
        in_force = getattr(settings.roster, item.name)
        if made_with != in_force:
            changed.append(f"{info.label} ({info.unit}) {value_text(made_with, info.unit)} -> "
                           f"{value_text(in_force, info.unit)}")
    return changed


def _origin_source(engine: Engine, saved: SavedRoster) -> str:
    """The requirement source of the roster `saved` descends from: its own, or, for a re-plan, that of the roster it
    re-planned, followed back until a roster that is not a re-plan ("" when the chain is lost)."""
    source, roster_id = saved.requirement_source, saved.roster_id
    while (replanned := REPLAN_SOURCE.match(source)) is not None:
        if replanned.group(1) is not None:
            before = int(replanned.group(1))
        else:  # an older re-plan: the roster published for the week before it was
            listing = storage.list_rosters(engine, saved.store_id, saved.iso_week)
            earlier = listing[(listing["roster_id"] < roster_id) & listing["published_at"].notna()]
            if earlier.empty:
                return ""
            before = int(earlier["roster_id"].max())
        if before >= roster_id:  # ids only grow: a chain that does not is not followed
            return ""
        roster_id, source = before, saved_roster(storage.load_roster(engine, before)).requirement_source
    return source


@dataclass(frozen=True)
class ShiftChanges:
    """What publishing a roster over the one published for its store-week changes (`shift_changes`): whose shifts
    change, so that they are told and sent their calendars again."""

    replaces: int
    """The published roster it replaces."""
    people: tuple[tuple[str, str], ...]
    """(employee_id, name) of each person with a shift added, cancelled or changed, or a break moved, in the order of
    the shifts of the roster published, then of the new one's."""
    shifts: tuple[tuple[str, int], ...]
    """(kind, shifts) for each kind of change to a shift's hours `check_changes.change_kind` names (added, cancelled,
    moved, shortened, lengthened), in that order, kinds with none left out."""
    breaks_moved: int
    """Shifts kept at their hours with the break at another time (`BREAK_MOVED`)."""


SHIFT_CHANGE_ORDER = (ADDED, CANCELLED, MOVED, SHORTENED, LENGTHENED)
"""The order `ShiftChanges.shifts` counts the kinds in: what appears, what goes, then what changes."""


def shift_changes(engine: Engine, store_id: str, iso_week: str, shifts: pd.DataFrame,
                  scope: Scope = EVERYTHING) -> ShiftChanges | None:
    """What publishing a roster of `shifts` for the store-week would change of the roster published there (None where
    none is): `changed_shifts` between the two. Publishing over a published roster said nothing of whose shifts it
    changed."""
    _require_store(engine, store_id, scope)
    stored = storage.published_roster(engine, store_id, str(IsoWeek.parse(iso_week)))
    if stored is None:
        return None
    return changed_shifts(stored.roster_id, saved_roster(stored).shifts, shifts)


def changed_shifts(replaces: int, before: pd.DataFrame, after: pd.DataFrame) -> ShiftChanges:
    """What the shifts `after` change of the published roster `replaces`' shifts `before`. Shifts are matched by
    their calendar event's key (`day_keys`), as `withdrawn_from` matches them, and each change is of the kind a
    re-plan's change list says (`check_changes.change_kind`): a shift moved, shortened or lengthened, or only its
    break moved, where this counted every one of them "moved"."""
    was, now = _shifts_by_day(before), _shifts_by_day(after)
    names = {**dict(zip(before["employee_id"].astype(str), before["name"].astype(str), strict=True)),
             **dict(zip(after["employee_id"].astype(str), after["name"].astype(str), strict=True))}
    kinds = {key: change_kind(was.get(key), now.get(key)) for key in {**was, **now}}
    changed = {person for (_, person, _), kind in kinds.items() if kind is not None}
    counts = {kind: sum(1 for k in kinds.values() if k == kind) for kind in (*SHIFT_CHANGE_ORDER, BREAK_MOVED)}
    return ShiftChanges(replaces, tuple((person, name) for person, name in names.items() if person in changed),
                        tuple((kind, counts[kind]) for kind in SHIFT_CHANGE_ORDER if counts[kind]),
                        counts[BREAK_MOVED])


def day_keys(shifts: pd.DataFrame) -> list[tuple[str, str, pd.Timestamp]]:
    """Per shift of `shifts`, the key of its calendar event (`planner.roster_export.event_uid`): (store_id,
    employee_id, the date of the opening it works in, `business_dates`), one shift a day. Whatever matches a roster's
    shifts with another's matches them by it (`withdrawn_from`, `changed_shifts`): by the clock's date, Sunday's
    00:00+1 moved to Sunday 18:00 read as withdrawn."""
    return list(zip(shifts["store_id"].astype(str), shifts["employee_id"].astype(str), business_dates(shifts),
                    strict=True))


def _shifts_by_day(shifts: pd.DataFrame) -> dict[tuple[str, str, pd.Timestamp], Candidate]:
    """`day_keys` -> the day's shift as a `Candidate` timed from midnight of its opening's date (what
    `change_kind` compares: its span and its break), from the clock times a roster's shifts frame holds."""
    days = {}
    for key, start, end, pause in zip(day_keys(shifts), pd.to_datetime(shifts["start"]), pd.to_datetime(shifts["end"]),
                                      pd.to_datetime(shifts["break_start"]), strict=True):
        day = key[2]
        days[key] = Candidate(day.weekday(), _minutes(start - day), _minutes(end - start) // 60,
                              None if pd.isna(pause) else _minutes(pause - day), 0)
    return days


def _minutes(span: pd.Timedelta) -> int:
    return int(span / pd.Timedelta(minutes=1))


def withdrawn_shifts(engine: Engine, store_id: str, iso_week: str, shifts: pd.DataFrame,
                     scope: Scope = EVERYTHING) -> pd.DataFrame:
    """The shifts once published for the store and week that `shifts` no longer hold (`withdrawn_from` the
    rosters published there; drafts never published are not counted). A calendar export sends them as cancelled,
    so that a phone that imported an earlier export drops them."""
    _require_store(engine, store_id, scope)
    week = str(IsoWeek.parse(iso_week))
    listing = storage.list_rosters(engine, store_id, week)
    sent = listing[listing["published_at"].notna()].sort_values("roster_id")
    return withdrawn_from([saved_roster(storage.load_roster(engine, int(roster_id))).shifts
                           for roster_id in sent["roster_id"]], shifts)


def withdrawn_from(earlier: list[pd.DataFrame], shifts: pd.DataFrame) -> pd.DataFrame:
    """The shifts (`SHIFT_COLUMNS` and `BUSINESS_DATE`) of the `earlier` rosters, oldest first, that `shifts` no
    longer hold: for each person and opening date (a calendar event's key, `planner.roster_export.event_uid`) that
    some earlier roster gave a shift and `shifts` give none, the latest such shift. Matched by the date of the opening
    a shift works in (`business_dates`), not the clock's: Sunday's 00:00+1 moved to Sunday 18:00 is not withdrawn."""
    columns = [*SHIFT_COLUMNS, BUSINESS_DATE]
    if not earlier:
        return pd.DataFrame(columns=columns)
    every = pd.concat(earlier, ignore_index=True)
    every = every.assign(**{BUSINESS_DATE: business_dates(every)})
    latest = every[~pd.Series(day_keys(every)).duplicated(keep="last").to_numpy()]
    kept = set(day_keys(shifts))
    return latest[[key not in kept for key in day_keys(latest)]][columns].reset_index(drop=True)


def replan_published(engine: Engine, settings: Settings, store_id: str, iso_week: str,
                     absences: tuple[Absence, ...], today: dt.date, scope: Scope = EVERYTHING,
                     progress: Callable[[SearchProgress], None] | None = None) -> Replan:
    """Re-plan the published roster of the store and week for new `absences` (the stored ones still hold), changing
    as few shifts as the rules allow; nothing is saved. `progress`: as `make_roster`'s."""
    _require_store(engine, store_id, scope)
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


def _require_store(engine: Engine, store_id: str, scope: Scope) -> None:
    """An unknown store (`UnknownStore`, naming only stores in scope) unless `scope` covers `store_id`."""
    if not scope.all_stores:
        select_stores(storage.load_stores(engine, scope), [store_id], scope)


# --- documents -----------------------------------------------------------------------------------------------------


def roster_document(roster: Roster, requirement_source: str = "") -> str:
    """The roster as the JSON text saved in the database: its assignments (to re-plan from) and its frames (to show
    without solving again)."""
    return json.dumps({
        "version": DOCUMENT_VERSION,
        "store_id": roster.instance.store_id,
        "week_start": roster.instance.week_start.isoformat(),
        "time_zone": roster.instance.time_zone,
        "status": roster.status,
        "status_sentence": roster.status_sentence,
        "requirement_source": requirement_source,
        "objective": roster.objective, "best_bound": roster.best_bound, "solve_seconds": roster.solve_seconds,
        "assignments": [{"employee_id": a.employee_id, **_candidate(a.shift)} for a in roster.assignments],
        "shifts": _records(roster.shifts[SHIFT_COLUMNS]),
        "people": _records(roster.people),
        "hours": _records(roster.hours),
        "sentences": list(roster.sentences),
        "roster_rules": asdict(roster.rules),
        "quick": roster.quick,
        "levels": [asdict(level) for level in roster.levels],
    }, ensure_ascii=False)


def saved_roster(stored: storage.StoredRoster) -> SavedRoster:
    document = _document(stored.document)
    return SavedRoster(
        stored.roster_id, stored.store_id, stored.iso_week, document["status"],
        roster_status.in_todays_words(document["status_sentence"]),  # saved in earlier words, shown in today's
        _saved_shifts(document), _frame(document["people"], PEOPLE_COLUMNS),
        _frame(document["hours"], HOUR_COLUMNS), tuple(document["sentences"]), document.get("requirement_source", ""),
        stored.note, document.get("roster_rules"), document.get("time_zone"), "time_zone" in document)


def roster_from_document(text: str, instance: RosterInstance, settings: Settings, *,
                         as_made: bool = False) -> Roster:
    """A saved roster as the `Roster` record a re-plan starts from, on today's `instance` of its store-week, with
    the chain's roster rules, and the time zone its hours were counted in (none for a roster saved before shifts were
    paid by the zone: by the clock). `as_made`: with the rules it was made with (the chain's for a rule it does not
    keep) and its search's levels and quick flag, as `publish_caution` judges it."""
    document = _document(text)
    rules, levels, quick = settings.roster, (), False
    # the zone its hours were counted in, re-planned too: a night published at 8 h does not owe 9 after the store's
    # zone became known (none saved: by the clock)
    instance = replace(instance, time_zone=document.get("time_zone"))
    if as_made:
        rules = _rules_made_with(document, settings.roster)
        levels = tuple(Level(**level) for level in document.get("levels", ()))
        quick = bool(document["quick"]) if "quick" in document else bool(QUICK_SENTENCE.search(
            document["status_sentence"]))
    return Roster(instance, rules, document["status"], document["status_sentence"],
                  _assignments(document), _saved_shifts(document), _frame(document["people"], PEOPLE_COLUMNS),
                  _frame(document["hours"], HOUR_COLUMNS), tuple(document["sentences"]),
                  float(document["objective"]), float(document["best_bound"]), float(document["solve_seconds"]),
                  levels, quick)


QUICK_SENTENCE = re.compile(r"\bQuick (roster|re-plan) made in ")
"""How the status sentence of a quick roster reads (`roster.status.status_sentence`): whether a roster saved before
its document kept `quick` was the quick one."""


def _rules_made_with(document: dict, rules: RosterRules) -> RosterRules:
    """The roster rules a saved roster was made with: `rules` with those its document keeps."""
    kept = document.get("roster_rules") or {}
    return replace(rules, **{item.name: _rule_value(kept[item.name]) for item in fields(RosterRules)
                             if item.name in kept})


# --- helpers -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _WeekRequirement:
    """What a store-week is rostered for (`_requirement`)."""

    table: np.ndarray
    """7 x 24 required staff (NaN: an open hour without a recommendation)."""
    source: str
    exceptions: pd.DataFrame
    """The calendar's exceptions of the week (closed dates, changed hours)."""
    min_staff_cover: bool
    """Whether the hours without a recommendation require min_staff."""
    min_staff: int | None
    """The min_staff the plan was made with (its what-if, else the store file's); None: the store file's."""
    out_of_date: str = ""
    """Why the published plan is out of date ("" when it is not, or none is published)."""


def _requirement(engine: Engine, settings: Settings, store_id: str, week: IsoWeek,
                 scope: Scope) -> _WeekRequirement:
    """The published plan's requirement for that week, with the exceptions, min_staff cover and min_staff it was
    made with (and, if its inputs changed since, the source says so), else the week's recommendation with the stored
    calendar's (`week_requirement`), the chain's min_staff cover and the store file's min_staff. (A roster of a plan
    made with that cover required nobody in a store never counted, where the plan's schedule kept min_staff on the
    floor; and one of a plan with a what-if min_staff required the store file's.)"""
    from planner.plans import Plan
    from planner.saved_plans import out_of_date_sentence, stored_calendar

    stored = storage.published_plan(engine, store_id, str(week))
    if stored is not None:
        plan = Plan.from_json(stored.document)
        source = f"the published plan {stored.plan_id}"  # read back by PLAN_SOURCE
        stale = _plan_changed(engine, stored, plan, None, scope)  # `settings` may be a session's: not the chain's
        out_of_date = out_of_date_sentence(stale) if stale else ""
        if out_of_date:  # rostered as published, but not without a word (the calendar closed a day since, say)
            source += out_of_date_clause(out_of_date)
        staffing, cover = plan.staffing, plan.request.settings.shifts.min_staff_cover
        targets = plan.targets[plan.targets[S.store_id] == store_id]
        floor = int(targets[S.min_staff].iloc[0]) if not targets.empty else None
        rows = staffing[(staffing[S.store_id] == store_id) & (staffing["iso_week"].astype(str) == str(week))]
        # a plan of a week the calendar closes has no rows: it requires nobody (the recommendation was rostered)
        table = requirement_tables(rows)[store_id] if not rows.empty else np.zeros((7, 24))
        return _WeekRequirement(table, source, _plan_exceptions(plan, store_id, week), cover, floor, out_of_date)
    calendar = stored_calendar(engine, scope)
    return _WeekRequirement(week_requirement(engine, settings, store_id, week, calendar, scope),
                            RECOMMENDED_REQUIREMENT,
                            week_exceptions(calendar, [store_id], week), settings.shifts.min_staff_cover, None)


def _plan_changed(engine: Engine, stored, plan, chain: Settings | None, scope: Scope) -> str:
    """What changed since the published `plan` (saved as `stored`) was made ("the calendar", ...), "" if nothing did
    or its week is over (a plan of a past week stays as made). Judged against the `chain`'s settings (None: those
    saved in the database), as `plans list` and the Plans page judge it, never a session's unsaved ones."""
    from planner.saved_plans import out_of_date_of, week_is_over

    return "" if week_is_over(stored.iso_week) else out_of_date_of(engine, plan, chain, scope,
                                                                   made_at=stored.created_at, plan_id=stored.plan_id)


def _plan_exceptions(plan, store_id: str, week: IsoWeek) -> pd.DataFrame:
    applied = plan.exceptions
    return applied[(applied[S.store_id] == store_id) & (applied["iso_week"].astype(str) == str(week))]


def _published_id(listing: pd.DataFrame, column: str) -> int:
    """The id of the published row of a store-week's listing (at most one is published), or 0."""
    published = listing.loc[listing["status"] == PUBLISHED, column]
    return int(published.iloc[0]) if len(published) else 0


def _other_stores(people, store_id: str) -> list[str]:
    """The other stores `people` may work in (home store or `also_stores`), sorted."""
    return sorted({store for person in people for store in person.stores} - {store_id})


def _published_elsewhere(engine: Engine, store_id: str, week: IsoWeek, people) -> list[SavedRoster]:
    """The rosters published for `week` in the other stores `people` may work in."""
    stored = (storage.published_roster(engine, other, str(week)) for other in _other_stores(people, store_id))
    return [saved_roster(roster) for roster in stored if roster is not None]


def _shifts_elsewhere(rosters: list[SavedRoster], people) -> pd.DataFrame:
    """The shifts of `people` in `rosters` (`_published_elsewhere`)."""
    ids = {person.employee_id for person in people}
    frames = [roster.shifts[roster.shifts["employee_id"].isin(ids)] for roster in rosters]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SHIFT_COLUMNS)


def _week_before(engine: Engine, store_id: str, week: IsoWeek) -> tuple[dict[str, int], dict[str, int]]:
    """From the roster published for the week before: per person, the working days in a row up to its Sunday, and
    the end of their last shift in minutes relative to this week's start (negative)."""
    before = IsoWeek.of(week.monday - dt.timedelta(days=7))
    stored = storage.published_roster(engine, store_id, str(before))
    if stored is None:
        return {}, {}
    worked: dict[str, set[int]] = {}
    last_end: dict[str, int] = {}
    for row in _document(stored.document)["assignments"]:
        person, weekday = row["employee_id"], int(row["weekday"])
        worked.setdefault(person, set()).add(weekday)
        end = weekday * MINUTES_PER_DAY + int(row["start_minute"]) + int(row["length_hours"]) * 60 - 7 * MINUTES_PER_DAY
        last_end[person] = max(last_end.get(person, end), end)
    in_a_row = {}
    for person, days in worked.items():
        count = 0
        while 6 - count in days:
            count += 1
        in_a_row[person] = count
    return in_a_row, last_end


def _candidate(shift: Candidate) -> dict:
    return {"weekday": shift.weekday, "start_minute": shift.start_minute, "length_hours": shift.length_hours,
            "break_start_minute": shift.break_start_minute, "break_minutes": shift.break_minutes}


def _assignments(document: dict) -> tuple[Assignment, ...]:
    return tuple(Assignment(row["employee_id"], Candidate(**{k: v for k, v in row.items() if k != "employee_id"}))
                 for row in document["assignments"])


def _saved_shifts(document: dict) -> pd.DataFrame:
    """The saved shifts with each one's `BUSINESS_DATE`, derived from its assignment (the shift's weekday and minutes
    after that weekday's midnight, saved with every roster), so a roster saved before the grid filed shifts by their
    opening shows Sunday's 00:00+1 under Sunday too. A shift without its assignment keeps its clock date."""
    shifts = _frame(document["shifts"], SHIFT_COLUMNS)
    shifts[CLOCK_CHANGE_HOURS] = shifts[CLOCK_CHANGE_HOURS].astype(float).fillna(0.0)  # saved before: by the clock
    monday = dt.date.fromisoformat(document["week_start"])
    opening_of = {}
    for assignment in _assignments(document):
        shift = assignment.shift
        start = pd.Timestamp(monday) + pd.Timedelta(days=shift.weekday, minutes=shift.start_minute)
        opening_of[(assignment.employee_id, start)] = business_date(monday, shift)
    clock = shifts["start"].dt.normalize()
    found = [opening_of.get((employee, start)) for employee, start in zip(shifts["employee_id"], shifts["start"],
                                                                           strict=True)]
    return shifts.assign(**{BUSINESS_DATE: pd.to_datetime(pd.Series(found, index=shifts.index, dtype=object))
                            .fillna(clock)})


def _records(frame: pd.DataFrame) -> list[dict]:
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = [None if pd.isna(v) else v.isoformat() for v in out[column]]
    return json.loads(out.to_json(orient="records", date_format="iso"))


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    """The saved records as a frame with every one of `columns`; a column added since the roster was saved (the
    people's week_min_hours) is there, not known (NaN)."""
    frame = pd.DataFrame(records, columns=columns if not records else None)
    frame = frame.reindex(columns=[*columns, *(column for column in frame.columns if column not in columns)])
    for column in frame.columns:
        if column in _MOMENTS or (column == "start" and column in HOUR_COLUMNS):
            frame[column] = pd.to_datetime(frame[column])
    return frame


def _document(text: str) -> dict:
    document = json.loads(text)
    if document.get("version") != DOCUMENT_VERSION:
        raise PlannerError(f"the saved roster is in a format this planner does not read (version "
                           f"{document.get('version')}): make the roster again")
    return document


def no_employees(store_id: str) -> str:
    """Why `store_id` cannot be rostered before its people are imported, and what to do: what `make_roster` refuses
    with, and what `roster --show` says instead of naming `roster --publish`, which would refuse."""
    command = IMPORT_COMMAND.replace("FILE", "EMPLOYEES.csv")
    return (f"{store_id} has no employees yet: import an employee file first ({command}, or the Upload page; "
            "columns: see the README, 'Employee file')")
