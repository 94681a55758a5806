"""The Roster page's door to the planner: a cached roster solve per store, week, settings and database revision;
the published roster read back; re-plans and publishing; the downloads' bytes. No roster logic lives here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from app_pages import data, state, tables
from planner import clock, storage
from planner.calendar import IsoWeek
from planner.errors import PlannerError
from planner.intake import sha256_of
from planner.io.employees import empty_absences
from planner.roster import Absence, Replan
from planner.roster.paid_hours import paid_beyond_required
from planner.roster.search import SearchProgress
from planner.roster_export import (
    calendar_refusal, ics_file_name, person_ics, roster_csv, roster_grid, roster_grid_csv, roster_totals, roster_xlsx,
)
from planner.rostering import documents, publishing, replans, shift_diffs, standing, store_week
from planner.settings import SIMULATION_RULES_IN_PLAN_DIGESTS
from planner.rostering.follow import FollowBasis, changed_since, follow_basis, follow_note, follow_replan, follow_run
from planner.surfaces.roster import FOLLOW_REPLAN_BUTTON, calendar_out_of_date, follow_replaced, paid_beyond_said
from planner.surfaces.work import rostering as rostering_words
from planner.storage.versioned import PUBLISHED
from planner.targets import resolve_time_zones
from planner.weeks import nearest_week

WEEKS_AHEAD = 8
"""Weeks the page offers after the current one."""


@dataclass(frozen=True)
class ReplanRun:
    store_id: str
    iso_week: str
    absence: Absence | None
    """None: a re-plan to follow the plan in force (`follow`), no one absent."""
    result: Replan
    basis: FollowBasis | None = None
    """What a re-plan to follow the plan in force was made against (the published plan and roster), read as it was
    made: publishing it is refused once either was replaced, which may be long after, from another tab."""


def week_choices(today: dt.date, shown: str | None = None) -> list[str]:
    """This ISO week and the next `WEEKS_AHEAD`, as text; first, `shown` (the week the page shows) when it has ended
    since it was chosen: the page stays on it, its publishing refused with the reason, rather than moving to this
    week under the person (and searching a roster for it) once the date passes the week's Sunday."""
    weeks = [str(IsoWeek.of(today + dt.timedelta(days=7 * n))) for n in range(WEEKS_AHEAD + 1)]
    if shown is None or shown in weeks:
        return weeks
    try:
        ended = IsoWeek.parse(shown) < IsoWeek.of(today)
    except ValueError:
        return weeks
    return [shown, *weeks] if ended else weeks


def opening_week(store_id: str, today: dt.date, may_publish: bool) -> str:
    """The week the page opens on for the store: for a role that publishes, the week after this one (the week
    rostered next); for one that may not, the first week with a published roster of this week and the `WEEKS_AHEAD`
    after it that the page offers (`nearest_week`), else this week: a store manager opened on next week, searched for
    90 s a draft she cannot publish, and found her store's roster of this week only by changing the week. Not a week
    over: last week's roster, where this week had none, hid that none was published for this week."""
    if may_publish:
        return week_choices(today)[1]
    return nearest_week(today, published_weeks(store_id), WEEKS_AHEAD) or week_choices(today)[0]


def published_weeks(store_id: str) -> list[str]:
    """The weeks the store has a published roster of: a listing without documents of its published rosters only (not
    every draft and superseded roster of every week), read each time (a roster published here, in another tab or on
    the command line changes no import's revision)."""
    listed = storage.list_rosters(data.engine(data.database_url()), store_id, scope=state.current_scope(),
                                  status=PUBLISHED)
    return sorted(set(listed["iso_week"].astype(str)))


def roster_key(store_id: str, iso_week: str) -> tuple:
    """What `make` keeps a roster of the store-week by: the database, its revision, `store_week.inputs_key` (the
    week's published plan id and the published rosters its people depend on, read from the listings), the chain's
    settings, the store, the week and the scope. Read once a run and handed to `is_kept` and `make`: a store
    manager's run read the listings twice, to ask whether the draft was kept and again to take it."""
    url, chain, scope = data.database_url(), data.chain_settings(), state.current_scope()
    inputs = store_week.inputs_key(data.engine(url), store_id, iso_week, scope)
    return url, data.revision(url), inputs, chain, store_id, iso_week, scope


def is_kept(key: tuple) -> bool:
    """Whether `make` holds a roster of the store-week of `key` (`roster_key`) made at today's inputs and settings:
    shown with no search."""
    return key in _rosters()


def monday(iso_week: str) -> dt.date:
    try:
        return IsoWeek.parse(iso_week).monday
    except ValueError as error:
        raise PlannerError(str(error)) from error


def has_people(store_id: str) -> bool:
    """Whether anyone may work in the store (home store or also_stores)."""
    url = data.database_url()
    return _people_count(url, data.revision(url), store_id) > 0


def published(store_id: str, iso_week: str) -> documents.SavedRoster | None:
    return documents.published(data.engine(data.database_url()), store_id, iso_week, state.current_scope())


shown_source = standing.shown_source


def requirement_since(saved: documents.SavedRoster, replaced: str) -> tuple[str, bool]:
    """What replaced the requirement the published roster followed, as `roster --show` finds it, in the page's words
    (""), and whether its plan is out of date, to be re-planned on the Plans page (`standing.requirement_warning`).
    A replaced plan (`replaced`, `plan_replaced`'s answer) is followed by the page's least-change re-plan (`follow`),
    or a new draft."""
    if replaced:
        return follow_replaced(replaced, f"{FOLLOW_REPLAN_BUTTON}, below", publishing.PAGE_NEW_DRAFT), False
    return standing.requirement_warning(data.engine(data.database_url()), data.chain_settings(), saved,
                                         state.current_scope(), where=standing.ROSTER_PAGE)


def requirement_now(saved: documents.SavedRoster) -> standing.RequirementNow | None:
    """The published roster measured against the week's requirement in force, where the plan it was made from was
    replaced (`standing.requirement_now`), judged with the chain's saved settings; None where it was not."""
    return standing.requirement_now(data.engine(data.database_url()), data.chain_settings(), saved,
                                     state.current_scope())


def shift_changes(shifts: pd.DataFrame, store_id: str, iso_week: str) -> shift_diffs.ShiftChanges | None:
    """What publishing a roster of `shifts` would change of the one published for the store-week
    (`shift_diffs.shift_changes`); None where none is published."""
    return shift_diffs.shift_changes(data.engine(data.database_url()), store_id, iso_week, shifts,
                                   state.current_scope())


def zone_since(saved: documents.SavedRoster) -> str:
    """Whether the store's time zone changed since the published roster was made, in the CLI's words (`roster
    --show`, `standing.zone_since`), judged with the chain's saved settings as `rules_since` is; ""."""
    return standing.zone_since(data.engine(data.database_url()), data.chain_settings(), saved)


def rules_since(saved: documents.SavedRoster) -> str:
    """Which of the chain's saved roster rules changed since the published roster was made, in the CLI's words
    (`roster --show`); "". Not the session's unsaved rules: the page said "the roster rules changed" of a roster
    `roster --show` called current."""
    return standing.rules_since(data.chain_settings(), saved)


def unsaved_changes() -> str:
    """What this session's unsaved settings change of the chain's saved ones ("Most paid hours a week (hours) 48 ->
    44"), "" when there are none: the page says that it rosters with the chain's all the same. Not how a simulation
    runs and reads (`SIMULATION_RULES_IN_PLAN_DIGESTS`), which no roster is made with."""
    chain = data.chain_settings()
    simulation = {name: getattr(chain.simulation, name) for name in SIMULATION_RULES_IN_PLAN_DIGESTS}
    return storage.changes_between(chain, data.settings().with_simulation_rules(**simulation))


def make(store_id: str, iso_week: str, where=None, key: tuple | None = None) -> store_week.RosterRun:
    """The roster solved for the store and week at the chain's saved settings, as `roster` makes it: a draft the page
    publishes, so not at the session's unsaved ones, which no saved roster records (kept, the last `ROSTERS_KEPT`,
    until anything is imported, the chain's settings change, or a plan for the week, or a roster of a store its
    people also work in, is published). While the solver searches, a bar fills over the roster's time limit, named
    with the store, the week and that limit; it is gone once the roster is found. Kept, not `st.cache_data`: the bar
    is drawn outside the search, which a cached function would replay. The bar is drawn in `where` (a placeholder
    beside the button pressed), else where the page stands. `key`: the run's `roster_key` of the store-week, where
    the page read it already; else it is read here."""
    key = roster_key(store_id, iso_week) if key is None else key
    url, _, _, chain, _, _, scope = key
    kept = _rosters()
    if key not in kept:
        words = rostering_words(tables.as_text(store_id), iso_week, chain.roster.time_limit_seconds)
        bar = (st if where is None else where).progress(0.0, text=words)
        shown = [0.0]

        def progress(search: SearchProgress) -> None:  # a few times a second: redrawn each whole hundredth
            share = round(min(1.0, search.share_done), 2)
            if share > shown[-1]:
                shown.append(share)
                bar.progress(share, text=words)

        try:
            made = store_week.make_roster(data.engine(url), chain, store_id, iso_week, scope, progress)
        finally:
            bar.empty()
        return data.kept_as(kept, key, made, ROSTERS_KEPT)
    return kept[key]


ROSTERS_KEPT = 32
"""Rosters `make` keeps, for every session: the newest."""


@st.cache_resource(show_spinner=False)
def _rosters() -> dict:
    """Rosters made by `make`, oldest first, by `roster_key` (database, its revision, `store_week.inputs_key`, chain
    settings, store, week, scope)."""
    return {}


def publish_caution(run: store_week.RosterRun) -> str:
    """"" when the draft may be published as it is; else what is incomplete and what would do better
    (`publishing.publish_caution`), for the page to ask for a confirmation."""
    return publishing.publish_caution(run.roster)


def week_over(iso_week: str) -> str:
    """Why a roster of the week is not published, in the words `roster --publish` refuses it with; "" for a week
    not over (`publishing.week_over`: the same decision, by the same date)."""
    return publishing.week_over(iso_week)


def publish(run: store_week.RosterRun) -> int:
    """Save and publish the roster; the week after is rostered again from it (rest and days in a row carry over)."""
    try:
        scope = state.current_scope()
        return publishing.save_roster_run(data.engine(data.database_url()), run, data.who(scope), publish=True,
                                         scope=scope)
    finally:
        _rosters().clear()


def saved_drafts(store_id: str, iso_week: str) -> list[publishing.SavedDraft]:
    """The store-week's saved drafts, newest first, each with why it is stale (judged against the chain's saved
    settings, as `rosters publish ID` judges it)."""
    return publishing.saved_drafts(data.engine(data.database_url()), data.chain_settings(), store_id, iso_week,
                                  state.current_scope())


def draft_caution(roster_id: int) -> str:
    """"" when the saved draft may be published as it is, stale aside; else what is incomplete in it and what would
    do better (`publishing.draft_publish_caution`, as `rosters publish ID` refuses it)."""
    return publishing.draft_publish_caution(data.engine(data.database_url()), data.chain_settings(), roster_id,
                                           state.current_scope())


def publish_draft(roster_id: int, anyway: bool) -> int:
    """Publish the saved draft as it was saved (`publishing.publish_saved_roster`: no new search, and its refusals);
    the roster published before is kept as superseded. `anyway`: the planner confirmed publishing it stale or
    incomplete."""
    scope = state.current_scope()
    try:
        return publishing.publish_saved_roster(data.engine(data.database_url()), data.chain_settings(), roster_id,
                                              data.who(scope), anyway=anyway, scope=scope,
                                              where=standing.ROSTER_PAGE).roster_id
    finally:
        _rosters().clear()


def replan(store_id: str, iso_week: str, employee_id: str, first: dt.date, last: dt.date,
           reason: str) -> ReplanRun | None:
    """Re-plan the published roster for a new absence (nothing saved) with the chain's saved roster rules, as
    `roster replan` does: publishing it makes it the roster people are told; kept for the session. None, and no
    re-plan kept, when the absent person has no published shift on the days away: "nothing to re-plan", as
    `roster replan` says (the page re-planned, said "0 shifts change", and published a copy of the roster)."""
    try:
        absence = Absence(employee_id, first, last, reason)
    except ValueError as error:
        raise PlannerError(str(error)) from error
    engine, scope = data.engine(data.database_url()), state.current_scope()
    if not replans.affected_rosters(engine, (absence,), store_id, iso_week, scope):
        st.session_state.pop(state.ROSTER_LAST_REPLAN, None)
        return None
    result = replans.replan_published(engine, data.chain_settings(), store_id, iso_week, (absence,),
                                        clock.today(), scope)
    run = ReplanRun(store_id, iso_week, absence, result)
    st.session_state[state.ROSTER_LAST_REPLAN] = run
    return run


def published_plan_id(store_id: str, iso_week: str) -> int:
    """The id of the plan published for the store-week (0: none), from the plans' listing: beside a published roster,
    read once a run, the answer `plan_replaced` and `kept_follow` are given."""
    return store_week.published_plan_id(data.engine(data.database_url()), store_id, iso_week)


def plan_replaced(saved: documents.SavedRoster, plan_id: int) -> str:
    """What replaced the plan the published roster `saved` was made from (`standing.plan_replaced`), the store-week's
    published plan being `plan_id` (`published_plan_id`); "" where it is still in force. Kept per roster and
    published plan (`_plan_replaced`)."""
    url = data.database_url()
    return _plan_replaced(url, data.revision(url), saved.roster_id, plan_id, saved)


def follow(store_id: str, iso_week: str) -> ReplanRun:
    """Re-plan the published roster to follow the requirement in force, with the fewest changes
    (`follow.follow_replan`, as `roster replan --store S --week W` does; nothing saved), kept for the session."""
    engine, chain, scope = data.engine(data.database_url()), data.chain_settings(), state.current_scope()
    basis = follow_basis(engine, chain, store_id, iso_week, scope)  # before the search: what it is fitted to
    result = follow_replan(engine, chain, store_id, iso_week, clock.today(), scope)
    run = ReplanRun(store_id, iso_week, None, result, basis)
    st.session_state[state.ROSTER_LAST_FOLLOW] = run
    return run


def kept_follow(store_id: str, iso_week: str, plan_id: int) -> tuple[ReplanRun | None, str]:
    """The re-plan to follow the plan in force kept for the store-week, and why it can no longer be published ("plan 3
    was published since this re-plan was made: re-plan again", `changed_since`, the week's published plan being
    `plan_id`): (None, why) where another plan or roster was published since it was made, so that none fitted to a
    replaced plan is shown to publish; (None, "") where none is kept."""
    run = _kept_follow(store_id, iso_week)
    if run is None or run.basis is None:
        return run, ""
    outdated = changed_since(data.engine(data.database_url()), run.basis, store_id, iso_week, plan_id)
    return (None, outdated) if outdated else (run, "")


def _kept_follow(store_id: str, iso_week: str) -> ReplanRun | None:
    run = st.session_state.get(state.ROSTER_LAST_FOLLOW)
    return run if isinstance(run, ReplanRun) and (run.store_id, run.iso_week) == (store_id, iso_week) else None


def last_replan(store_id: str, iso_week: str) -> ReplanRun | None:
    run = st.session_state.get(state.ROSTER_LAST_REPLAN)
    return run if isinstance(run, ReplanRun) and (run.store_id, run.iso_week) == (store_id, iso_week) else None


def publish_replan(run: ReplanRun) -> int:
    """Store the absence (later rosters keep it too) and publish the re-planned roster; the one before is kept as
    superseded."""
    engine, scope = data.engine(data.database_url()), state.current_scope()
    if run.absence is None:  # to follow the plan in force: saved as following it, not the plan it replaced
        # refused (nothing saved) once another plan or roster was published since the re-plan was made
        followed = follow_run(engine, run.result, run.basis, run.store_id, run.iso_week)
        try:
            roster_id = publishing.save_roster_run(engine, followed, data.who(scope), publish=True,
                                                   note=follow_note(run.basis), scope=scope)
        finally:
            data.clear_loaders()
            _rosters().clear()
        st.session_state.pop(state.ROSTER_LAST_FOLLOW, None)
        return roster_id
    frame = empty_absences()
    frame.loc[0] = [run.absence.employee_id, pd.Timestamp(run.absence.first_day), pd.Timestamp(run.absence.last_day),
                    run.absence.reason]
    publishing.refuse_week_over(run.iso_week)  # before the absence is stored, as `roster replan --publish` refuses
    try:
        storage.save_people(engine, None, [(frame, "Roster page", sha256_of(repr(run.absence).encode()))], scope)
        roster_id = publishing.save_roster_run(
            engine, replans.replan_run(engine, run.result, run.store_id, run.iso_week), data.who(scope),
            publish=True, note=replan_note(run), scope=scope)
    finally:
        data.clear_loaders()
        _rosters().clear()
    st.session_state.pop(state.ROSTER_LAST_REPLAN, None)
    return roster_id


def replan_note(run) -> str:
    """What a published re-plan answers, as the roster's history shows it: the person by name and id, the days and
    the reason ("re-plan: Ida H. (S05-E03) away 2026-12-08 to 2026-12-09, sick"; it named the id alone, no reason)."""
    absence = run.absence
    names = {e.employee_id: e.name for e in run.result.roster.instance.employees}
    person = absence.employee_id
    who = f"{names[person]} ({person})" if person in names else person
    days = (f"{absence.first_day}" if absence.last_day == absence.first_day
            else f"{absence.first_day} to {absence.last_day}")
    return f"re-plan: {who} away {days}" + (f", {absence.reason}" if absence.reason else "")


def grid(shifts: pd.DataFrame, iso_week: str, people: pd.DataFrame, away: dict | None = None,
         short: bool = False, codes: dict | None = None) -> pd.DataFrame:
    return roster_grid(shifts, monday(iso_week), people, away, short, codes)


def away_days(roster, iso_week: str) -> dict[tuple[str, dt.date], str]:
    """(employee_id, date) -> the reason, for every absence day in the week of the roster's people: the roster's own
    absences when it was just made (a re-plan's new one among them), else the stored ones (`store_week.away_days`)."""
    instance = getattr(roster, "instance", None)
    return store_week.away_days(data.engine(data.database_url()), list(roster.people["employee_id"].astype(str)),
                               monday(iso_week), state.current_scope(),
                               None if instance is None else instance.absences)


def downloads(shifts: pd.DataFrame, iso_week: str, people: pd.DataFrame, hours: pd.DataFrame,
              away: dict[tuple[str, dt.date], str] | None = None) -> dict[str, Callable[[], bytes]]:
    """The roster CSV, the grid CSV and the workbook (titled with the store, as the store pickers name it, and the
    week); the grids say the days `away` (`away_days`), as the page's grid does. Each is built when its button is
    pressed (`st.download_button` calls it then, on a thread of its own, so what it needs of the session is read
    now): the page built all three, the workbook the dearest, on every rerun."""
    names = _store_names()
    first_day = monday(iso_week)
    return {
        "csv": lambda: roster_csv(shifts).encode(),
        "grid": lambda: roster_grid_csv(roster_grid(shifts, first_day, people, away)).encode(),
        "xlsx": lambda: roster_xlsx(shifts, first_day, people, hours, away, names),
    }


def calendar_file_name(employee_id: str, iso_week: str) -> str:
    return ics_file_name(employee_id, iso_week)


def totals(shifts: pd.DataFrame, hours: pd.DataFrame) -> dict[str, float]:
    """The week's paid hours and its required and uncovered staff-hours, by label (as `roster` prints them)."""
    return roster_totals(shifts, hours)


def paid_beyond(roster) -> str:
    """Why the roster pays more hours than the required staff-hours it covers (`paid_hours.paid_beyond_required`), in
    a sentence; "" where it pays no more."""
    beyond = paid_beyond_required(roster.people, roster.hours)
    return "" if beyond is None else paid_beyond_said(beyond)


def withdrawn(shifts: pd.DataFrame, store_id: str, iso_week: str) -> pd.DataFrame:
    """The shifts earlier published rosters of the week gave that `shifts` drop (their calendars cancel them)."""
    return shift_diffs.withdrawn_shifts(data.engine(data.database_url()), store_id, iso_week, shifts,
                                      state.current_scope())


def calendar(saved: documents.SavedRoster, employee_id: str, gone: pd.DataFrame,
             note: str = "") -> Callable[[], bytes]:
    """One person's calendar of the published roster `saved`, in the time zone it was made under (`_zones`, as
    `roster --show --out-dir` writes it), each event ending with `note` (`calendar_note`); built when its button is
    pressed, as `downloads` are."""
    names, zones = _store_names(), _zones(saved)
    return lambda: person_ics(saved.shifts, employee_id, names, withdrawn=gone, time_zones=zones, note=note)


def _store_names() -> dict[str, str]:
    """Each store's name by its id, of the stores the session covers."""
    stores = data.stores(state.current_scope())
    return dict(zip(stores["store_id"], stores["name"], strict=True))


def calendar_note(replaced: str) -> str:
    """What each event of a published roster's calendars says where the plan it was made from was replaced
    (`replaced`, `plan_replaced`'s answer; `surfaces.roster.calendar_out_of_date`, as `roster --show --out-dir` writes
    it); "" where it was not."""
    return calendar_out_of_date(replaced) if replaced else ""


@st.cache_data(show_spinner=False, max_entries=32)
def _plan_replaced(url: str, revision: int, roster_id: int, plan_id: int, _saved: documents.SavedRoster) -> str:
    """`standing.plan_replaced` of the published roster `roster_id` (`_saved`, read, not hashed), kept per
    database, revision and the store-week's published plan (`plan_id`, 0: none): a saved roster never changes, so
    only a plan published or withdrawn since, here, in another tab or on the command line, changes the answer. The
    page read the published plan's whole document on every rerun."""
    return standing.plan_replaced(data.engine(url), _saved)


def calendar_refused(saved: documents.SavedRoster) -> str | None:
    """Why the published roster `saved`'s calendars cannot be offered (the time zone they state, `_zones`, is one
    this machine does not know: `calendar_refusal`), or None."""
    return calendar_refusal(saved.store_id, _zones(saved), _store_names(), data.chain_settings().chain.time_zone)


def time_zone(saved: documents.SavedRoster) -> str | None:
    """The time zone the published roster `saved`'s calendars state (`calendar`), or None: floating local times."""
    return _zones(saved).get(saved.store_id)


def _zones(saved: documents.SavedRoster) -> dict[str, str | None]:
    """The stores' time zones (the store file's, else the chain's saved setting) with `saved`'s store on the zone it
    was made under where it kept one (`documents.zones_made_under`)."""
    return documents.zones_made_under(resolve_time_zones(data.stores(state.current_scope()), data.chain_settings()),
                                      saved)


@st.cache_data(show_spinner=False)
def _people_count(url: str, revision: int, store_id: str) -> int:
    return len(storage.load_employees(data.engine(url), [store_id]))
