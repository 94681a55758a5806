"""The store-week to roster, read from the database (its requirement, people, absences, the week before and the
shifts its people work elsewhere), and the roster solved for it (nothing is saved here).

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
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from planner import storage
from planner.access.scope import EVERYTHING, Scope
from planner.calendar import IsoWeek, dated_stores, week_exceptions
from planner.errors import InvalidRequest
from planner.io.employees import absences_of, employees_of
from planner.pipeline import requirement_tables, select_stores, week_requirement
from planner.roster import Absence, Roster, RosterInstance, from_store, solve_roster
from planner.roster.elsewhere import booked_elsewhere
from planner.roster.result import SHIFT_COLUMNS
from planner.roster.search import SearchProgress
from planner.rostering.documents import SavedRoster, read_document, require_store, saved_roster, zones_made_under
from planner.schemas import StoreSchema as S
from planner.settings import Settings
from planner.storage.versioned import PUBLISHED
from planner.surfaces.fixes import IMPORT_COMMAND
from planner.surfaces.roster import RECOMMENDED_REQUIREMENT
from planner.targets import resolve_time_zones

MINUTES_PER_DAY = 24 * 60


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
    require_store(engine, store_id, scope)
    people = employees_of(storage.load_employees(engine, [store_id]))
    # the listings' ids only: the documents (a plan's or roster's whole tables) are not read on every page run
    plan = published_plan_id(engine, store_id, str(week))
    before = published_roster_id(engine, store_id, str(IsoWeek.of(week.monday - dt.timedelta(days=7))))
    this_week = storage.list_rosters(engine, iso_week=str(week), status=PUBLISHED)  # one a store at most
    published = dict(zip(this_week["store_id"], this_week["roster_id"].astype(int), strict=True))
    return plan, before, *(published.get(other, 0) for other in _other_stores(people, store_id))


def published_plan_id(engine: Engine, store_id: str, iso_week: str) -> int:
    """The id of the plan published for the store-week (0: none), from the plans' listing, not their documents: what
    a page keys a cached answer on that changes only when a plan of the week is published."""
    listing = storage.list_plans(engine, store_id, str(IsoWeek.parse(iso_week)))
    published = listing.loc[listing["status"] == PUBLISHED, "plan_id"]  # one at most
    return int(published.iloc[0]) if len(published) else 0


def published_roster_id(engine: Engine, store_id: str, iso_week: str) -> int:
    """The id of the roster published for the store-week (0: none), from the rosters' listing, not their documents."""
    listing = storage.list_rosters(engine, store_id, str(IsoWeek.parse(iso_week)), status=PUBLISHED)
    return int(listing["roster_id"].iloc[0]) if len(listing) else 0


def make_roster(engine: Engine, settings: Settings, store_id: str, iso_week: str,
                scope: Scope = EVERYTHING, progress: Callable[[SearchProgress], None] | None = None) -> RosterRun:
    """Solve the roster of `store_id` for `iso_week` (nothing is saved); `progress` is told how far the search is,
    first once the store-week is read, as the search starts (`search.Clock`)."""
    instance, source, out_of_date = _store_week(engine, settings, store_id, iso_week, (), scope)
    return RosterRun(solve_roster(instance, settings.roster, progress), str(IsoWeek.parse(iso_week)), source,
                     out_of_date)


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


STALE_WHEN_ROSTERED = ": re-plan the week, then roster again"
"""How a roster's requirement source ends when its plan was already out of date as it was rostered (", out of date:
the calendar changed since it was made: re-plan ...")."""


def out_of_date_clause(reason: str) -> str:
    """How a requirement source says, after its plan, why the plan was out of date as it was rostered."""
    return f", out of date: {reason}{STALE_WHEN_ROSTERED}"


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
        stale = plan_changed(engine, stored, plan, None, scope)  # `settings` may be a session's: not the chain's
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


def plan_changed(engine: Engine, stored, plan, chain: Settings | None, scope: Scope) -> str:
    """What changed since the published `plan` (saved as `stored`) was made ("the calendar", ...), "" if nothing did
    or its week is over (a plan of a past week stays as made). Judged against the `chain`'s settings (None: those
    saved in the database), as `plans list` and the Plans page judge it, never a session's unsaved ones."""
    from planner.saved_plans import out_of_date_of, week_is_over

    return "" if week_is_over(stored.iso_week) else out_of_date_of(engine, plan, chain, scope,
                                                                   made_at=stored.created_at, plan_id=stored.plan_id)


def _plan_exceptions(plan, store_id: str, week: IsoWeek) -> pd.DataFrame:
    applied = plan.exceptions
    return applied[(applied[S.store_id] == store_id) & (applied["iso_week"].astype(str) == str(week))]


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
    for row in read_document(stored.document)["assignments"]:
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


def no_employees(store_id: str) -> str:
    """Why `store_id` cannot be rostered before its people are imported, and what to do: what `make_roster` refuses
    with, and what `roster --show` says instead of naming `roster --publish`, which would refuse."""
    command = IMPORT_COMMAND.replace("FILE", "EMPLOYEES.csv")
    return (f"{store_id} has no employees yet: import an employee file first ({command}, or the Upload page; "
            "columns: see the README, 'Employee file')")

