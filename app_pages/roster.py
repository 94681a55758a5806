"""Roster: who works which shift in a store's week. The grid of people x days, each person's hours against their
contract, the hours left uncovered with their reasons, a re-plan after someone falls ill (the changes and their
premiums before anything is published), and the downloads (CSV, workbook, a calendar per person).

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import data, roster_data, state, tables, widgets
from planner import clock
from planner.access.scope import EDIT_SETTINGS, PUBLISH
from planner.away_codes import away_codes, away_key
from planner.errors import PlannerError
from planner.hours import day_label
from planner.roster.report import shown_findings
from planner.roster_export import FLOATING_TIMES, FLOATING_TIMES_ASK_A_PLANNER, calendar_people, clock_change_notes, person_labels, short_changes
from planner.rostering import store_week
from planner.rostering.publishing import PAGE_NEW_DRAFT, PAGE_NEW_SEARCH, PAGE_PUBLISH_AS_IS, stale_sentence
from planner.rostering.replans import SAVED_DRAFTS
from planner.rostering.standing import ROSTER_PAGE, stale_source
from planner.surfaces.roster import (
    CALENDARS_WITH_PUBLISHING, DRAFT_ASKED_BUTTON, FOLLOW_REPLAN_BUTTON, NEW_REPLAN, PAID_HOURS_HELP, PLAN_LINK,
    REPLAN_LINK, REPLANNING,
    covered_against, figure_against, files_follow, follow_not_publishable, follow_replan_said,
    measured_against, not_measured_now, nothing_published, publish_replaces, published_roster, replan_next_step,
    replan_changes_help, replan_not_published, send_calendars_again, shortfall_now, verdict, week_help,
)
from planner.surfaces.work import duration
from planner.words import IN_CURRENCY, agreeing, counted, money, number_text

HOURS = "hours"
PAID_HOURS, UNCOVERED = "Paid hours", "Uncovered staff-hours"  # `roster_data.totals`' labels
PLANS_PAGE = "app_pages/plans.py"  # where an out-of-date plan is re-planned
SETTINGS_PAGE = "app_pages/settings.py"  # where the roster rules are set (read-only for a role that may not edit)
NO_DRAFT = 0  # the Show box's choice of no saved draft (roster ids start at 1): the published roster, or a new draft
NEW_SEARCH = PAGE_NEW_SEARCH  # the Show box's NO_DRAFT where no roster is published
NOTHING_PUBLISHED = 0  # the published roster a new search chosen over saved drafts was chosen beside (roster ids: 1..)
# A roster table's people: wide enough for "Yara K. (S05-E02)" (cut, two twins read alike), and kept in view while
# the days scroll past on a phone. At 1024 px the grid and the hours against contract fit beside it: 664 px and 664 px
# of the 674 (the grid needed 834 px, the hours 893).
PERSON_COLUMN = st.column_config.TextColumn("Person", width=128, pinned=True)
DAY_PX, PAID_PX = 68, 60
CONTRACT = "contract_hours"
PEOPLE_SHOWN = {  # what a planner acts on (the shortfall) first: at 1024 px the table was cut after the minimum
    "name": ("Person", None), "below_contract_min_hours": ("Short h", "{:.1f}"), "paid_hours": ("Paid h", "{:.1f}"),
    "week_min_hours": ("Min h this week", "{:g}"), CONTRACT: ("Contract h", None), "shifts": ("Shifts", None),
    "broken_preferences": ("Wishes unmet", None),  # "Wishes" of 0s and 1s read as jargon
}
PEOPLE_CONFIG = {  # column -> (width, help)
    "below_contract_min_hours": (64, "hours below this week's minimum (Min h this week)"),
    "paid_hours": (64, None),
    # why a person's minimum this week can be below their contract's: a contract minimum of 32 h beside "0 below the
    # minimum" read as a mistake when a sick week had lowered it
    "week_min_hours": (112, ("this week's minimum hours: the contract's minimum less each day away (a full paid day "
                             "at the person's daily maximum) and the hours worked at other stores; the roster gives "
                             "at least this where it can")),
    CONTRACT: (92, "the contract's minimum–maximum hours a week; each on its own in the workbook's People sheet"),
    "shifts": (60, None),
    "broken_preferences": (96, "wishes not met: how many, each in a sentence under the table"),
}
CHANGES_SHOWN = {  # the premium and the notice window before the shift times: at 1024 px they were off-screen
    "name": ("Person", None), "day": ("Day", day_label), "kind": ("Change", None),
    "premium_hours": ("Premium h", "{:g}"), "inside_notice": ("Late", None), "before": ("Before", None),
    "after": ("After", None), "before_today": ("Past", None),
}
# The changes at 1024 px: 660 px of the 674 (they needed 868, "Before today" behind a sideways scroll): short headers,
# their full words in the help, and shifts written short as in the grid (`planner.roster_export.short_changes`).
CHANGES_WIDTHS = {"day": 76, "kind": 92, "premium_hours": 80, "inside_notice": 60, "before": 88, "after": 88,
                  "before_today": 48}  # column -> width; the help (`replan_changes_help`) says the short header in full


def render_page() -> None:
    st.title("Roster")
    scope = state.current_scope()
    names = widgets.store_names_or_upload_hint(scope)
    if names is None:
        return
    store_column, week_column = st.columns(2)
    today = clock.today()
    store_id = widgets.remembered(store_column.selectbox, "Store", list(names), key=state.ROSTER_STORE,
                                  default=next(iter(names)), format_func=widgets.store_label(names))
    may_publish = scope.may(PUBLISH)
    # a planner opens on the week rostered next; a role that reads rosters, on the first published from this week
    opening = roster_data.opening_week(store_id, today, may_publish)
    weeks = roster_data.week_choices(today, st.session_state.get(state.ROSTER_WEEK, opening))
    iso_week = widgets.remembered(week_column.selectbox, "ISO week", weeks, key=state.ROSTER_WEEK, default=opening,
                                  help=week_help(may_publish, roster_data.WEEKS_AHEAD))
    with _body(store_id, iso_week):
        _store_week(store_id, iso_week)


def _body(store_id: str, iso_week: str):
    """The container the store-week's roster is drawn in: in the other of two slots once the store or week changes,
    so the roster before is gone at once. A new store's roster took 40 s under the old store's people and shifts,
    faded but read as the new store's: a container drawn where one stood keeps its children until the run ends,
    while the slot it leaves is emptied as the run starts. The same store-week keeps its slot (its widgets as
    they were), but for a new draft asked for beside its published roster ("Make a new draft"): the published
    roster, "every required hour is covered", stayed drawn, faded, for the 20-50 s of the new search."""
    wanted = st.session_state.get(state.ROSTER_DRAFT_WANTED)
    week = (store_id, iso_week, wanted is not None and tuple(wanted[:2]) == (store_id, iso_week))
    drawn = st.session_state.get(state.ROSTER_BODY_OF)
    slot = drawn[1] if drawn and drawn[0] == week else 1 - drawn[1] if drawn else 0
    st.session_state[state.ROSTER_BODY_OF] = (week, slot)
    slots = (st.empty(), st.empty())
    return slots[slot].container()


def _store_week(store_id: str, iso_week: str) -> None:
    """Everything under the store and week chosen: its roster (published, a saved draft or a new one), publishing
    and re-planning it."""
    if not roster_data.has_people(store_id):
        st.info("No employees for this store yet: upload the employee file (and any absences) first.")
        st.page_link(widgets.UPLOAD_PAGE, label="Upload", icon=":material/upload_file:")
        return
    # made, re-planned and published with the chain's saved settings, as `roster` makes them: the session's unsaved
    # ones were used without a word, and rosters then called current against them (`roster --show` judges them
    # against the chain's)
    widgets.unsaved_settings_note(roster_data.unsaved_changes(), "Rosters made, re-planned and published here",
                                  "roster", "roster")
    saved = roster_data.published(store_id, iso_week)
    week = (store_id, iso_week)
    wanted = _draft_wanted(store_id, iso_week, NOTHING_PUBLISHED if saved is None else saved.roster_id)
    # read once a run, where a draft may be shown: whether it is kept, and to take it
    key = roster_data.roster_key(store_id, iso_week) if saved is None or wanted else None
    # a draft made here, shown with no search
    kept = key is not None and roster_data.is_kept(key)
    if saved is not None and wanted and not kept:
        # the new draft asked for beside the published roster is gone (the data changed since): the published
        # roster, not a search nobody asked for this time
        st.session_state.pop(state.ROSTER_DRAFT_WANTED)
        wanted = False
    new_draft = saved is None or wanted
    drafts = roster_data.saved_drafts(store_id, iso_week)
    draft = _saved_drafts(drafts, store_id, iso_week,
                          NEW_SEARCH if saved is None else "a new draft" if new_draft else
                          f"the published roster {saved.roster_id}", published=saved is not None)
    if draft is not None:
        _saved_draft(draft, store_id, iso_week, None if saved is None else saved.roster_id)
        return
    if not new_draft:
        note = f"; {saved.note}" if saved.note else ""
        st.success(f"Published roster {saved.roster_id} (requirement: "
                   f"{tables.as_text(roster_data.shown_source(saved) + note)})",
                   icon=":material/publish:")
        sent = st.session_state.get(state.ROSTER_SEND_AGAIN)
        if sent is not None and sent[:3] == (store_id, iso_week, saved.roster_id):
            st.info(tables.as_text(sent[3]), icon=":material/forward_to_inbox:")
        # read once a run: every question below is of this plan
        plan_id = roster_data.published_plan_id(store_id, iso_week)
        replaced = roster_data.plan_replaced(saved, plan_id)  # the warning, the follow box, the calendars' mark
        since, replan = roster_data.requirement_since(saved, replaced)  # what `roster --show` finds of the roster
        for said, link in ((since, replan), (roster_data.rules_since(saved), False),
                           (roster_data.zone_since(saved), False)):
            if said:
                st.warning(tables.as_text(said[0].upper() + said[1:] + "."), icon=":material/update:")
            if link:  # where to re-plan, as beside a draft's out-of-date plan
                _replan_link(plan_id)
        now, not_measured = _requirement_now(saved)
        if not_measured:
            st.info(tables.as_text(not_measured_now(not_measured)), icon=":material/help:")
        if now is not None:  # its own figures below are of the plan it was made from
            shortfall = shortfall_now(now.now, now.uncovered_staff_hours, now.short)
            said = "\n\n".join([tables.as_text(shortfall.lead), "\n".join(
                f"- {tables.as_text(stretch)}" for stretch in shortfall.stretches)]).strip()
            if now.short:
                st.warning(said, icon=":material/group_off:")
            else:
                st.info(said, icon=":material/groups:")
        if replaced:  # the next step the warning names: least change, then publish
            _follow(saved, store_id, iso_week, plan_id)
        _roster_views(saved, iso_week, published=True, now=now, replaced=replaced)
        button_column, bar_column = st.columns([1, 2], vertical_alignment="center")
        pressed = button_column.button(
            PAGE_NEW_DRAFT, key=state.ROSTER_REMAKE,
            help="Roster the week again, e.g. after new people or a new plan; the published roster stays until "
                 f"{_who_publishes()} the draft.")
        where = bar_column.empty()  # drawn on every run: the bar of the search, beside the button pressed
        if pressed:
            # made here, its bar where the planner looks (drawn at the top of the page, it filled out of sight
            # under a greyed page); the next run draws the draft, kept, at once
            roster_data.make(store_id, iso_week, where)
            st.session_state[state.ROSTER_DRAFT_WANTED] = (store_id, iso_week, saved.roster_id)
            st.rerun()
        _replan(saved, store_id, iso_week)
        return
    # a search of a minute or more only when asked for: the button below, or a new search just chosen in the Show
    # box of saved drafts (57-96 s a store ran as the page opened or the store changed)
    asked = st.session_state.pop(state.ROSTER_DRAFT_ASKED_FOR, None) == week
    if not kept and not asked:
        _draft_asked(store_id, iso_week, key, drafts_saved=bool(drafts))
        return
    run = roster_data.make(store_id, iso_week, key=key)
    source, stale = stale_source(run)
    st.info(f"Draft, not published (requirement: {tables.as_text(source)}).", icon=":material/edit_note:")
    if stale:  # what to do first, not an aside in the requirement's brackets
        st.warning(f"{tables.as_text(source[:1].upper() + source[1:])} is out of date: {tables.as_text(stale)}. "
                   f"{replan_next_step(state.current_scope().may(PUBLISH))}.", icon=":material/update:")
        _replan_link(roster_data.published_plan_id(store_id, iso_week))
    _roster_views(run.roster, iso_week, published=False)
    if run.roster.shifts.empty:
        return
    # a quick roster, or one leaving hours short, is published only when asked for as it is (`roster --publish`
    # refuses it without --publish-anyway)
    caution = roster_data.publish_caution(run)
    changes = _replaces(run.roster.shifts, store_id, iso_week) if saved is not None else None
    pressed, _ = _publish_controls(
        "Publish this roster", iso_week, caution, "The roster is incomplete as said above",
        f"the roster of {tables.as_text(store_id)} for {iso_week}", state.ROSTER_PUBLISH,
        state.roster_publish_anyway(store_id, iso_week))
    if pressed:
        roster_id = roster_data.publish(run)
        _sent_again(changes, store_id, iso_week, roster_id)
        st.session_state.pop(state.ROSTER_DRAFT_WANTED, None)
        st.session_state.pop(state.roster_publish_anyway(store_id, iso_week), None)
        st.toast(f"Published roster {roster_id}")
        st.rerun()


def _draft_wanted(store_id: str, iso_week: str, published_id: int) -> bool:
    """Whether the planner asked for a new draft of the store-week beside its published roster `published_id` (0:
    none: a new search chosen over its saved drafts, `_chose_anew`). Not a choice made beside another published
    roster, or none: a new search chosen over the saved drafts, the week then published on the command line, showed
    the new draft as one to publish over the roster just published, and that roster nowhere."""
    return st.session_state.get(state.ROSTER_DRAFT_WANTED) == (store_id, iso_week, published_id)


def _draft_asked(store_id: str, iso_week: str, key: tuple, *, drafts_saved: bool) -> None:
    """A store-week with no roster to show (none published, no saved draft chosen, none made here): that none is made
    yet, who publishes, and a draft behind a button that says how long its search takes (it began as the page
    opened or the store changed: 57-96 s a store for a planner, 90 s for a store manager who could not publish it).
    `key`: the run's `roster_data.roster_key` of the store-week; `drafts_saved`: a new search was chosen over the
    week's saved drafts."""
    limit = duration(data.chain_settings().roster.time_limit_seconds)
    st.info(tables.as_text(nothing_published(store_id, iso_week, limit, may_publish=state.current_scope().may(PUBLISH),
                                             drafts_saved=drafts_saved)), icon=":material/event_note:")
    button_column, bar_column = st.columns([1, 2], vertical_alignment="center")
    if button_column.button(DRAFT_ASKED_BUTTON, key=state.ROSTER_DRAFT_ASKED):
        # its bar beside the button, as Make a new draft's; kept, so drawn at once
        roster_data.make(store_id, iso_week, bar_column.empty(), key=key)
        st.rerun()


def _replaces(shifts, store_id: str, iso_week: str):
    """Say, above a publish button, which published roster publishing `shifts` replaces and whose shifts change;
    returns those changes (`shift_diffs.ShiftChanges`), or None where no roster is published."""
    changes = roster_data.shift_changes(shifts, store_id, iso_week)
    if changes is not None:
        st.info(tables.as_text(publish_replaces(
            changes.replaces, changes.people, changes.shifts, changes.breaks_moved)), icon=":material/swap_horiz:")
    return changes


def _sent_again(changes, store_id: str, iso_week: str, roster_id: int) -> None:
    """Keep, for the published roster `roster_id`, whose calendars to send again: the people whose shifts `changes`
    (None: it replaced no published roster, nothing to say)."""
    if changes is None:
        st.session_state.pop(state.ROSTER_SEND_AGAIN, None)
        return
    words = send_calendars_again(roster_id, changes.replaces, changes.people)
    st.session_state[state.ROSTER_SEND_AGAIN] = (store_id, iso_week, roster_id, words)


def _requirement_now(saved) -> tuple:
    """`roster_data.requirement_now` of the published roster `saved` and "", kept per database, revision, the
    store-week's published plan and rosters (`store_week.inputs_key`), roster and chain settings: each rerun of the
    page fitted the week's requirement again. Where the planner cannot measure it, (None, why): the roster still
    shows, where the error took its place."""
    url, chain, scope = data.database_url(), data.chain_settings(), state.current_scope()
    try:
        inputs = store_week.inputs_key(data.engine(url), saved.store_id, saved.iso_week, scope)
        return _measured_now(url, data.revision(url), inputs, chain, saved.store_id, saved.iso_week, saved.roster_id,
                             scope, saved), ""
    except PlannerError as error:
        return None, str(error)


@st.cache_data(show_spinner=False, max_entries=32)
def _measured_now(url: str, revision: int, inputs: tuple, chain, store_id: str, iso_week: str, roster_id: int, scope,
                  _saved):
    """The key of `_requirement_now`'s measure (`_saved`, the roster `roster_id`, is read, not hashed)."""
    return roster_data.requirement_now(_saved)


def _replan_link(plan_id: int) -> None:
    """The Plans page, where the warning above sends a planner to re-plan; the plan, for a role that may not publish:
    opened on the week's published plan `plan_id` (0: none, the page's own first)."""
    label = REPLAN_LINK if state.current_scope().may(PUBLISH) else PLAN_LINK
    st.page_link(PLANS_PAGE, label=label, icon=":material/event_available:",
                 query_params={state.PLANS_OPEN: str(plan_id)} if plan_id else None)


def _saved_drafts(drafts, store_id: str, iso_week: str, otherwise: str, *, published: bool):
    """The store-week's saved drafts (made with `roster` and not published), newest first, each with when and by
    whom it was made, whether it is stale and its status; returns the one chosen to be shown, else None (the page
    goes on to `otherwise`). Shown first: beside a `published` roster, that roster (or the new draft asked for);
    without one, the newest draft, not a new search (a week rostered on the command line was rostered again on
    opening), until the planner chooses `otherwise`, a new search: kept for the store-week (`ROSTER_DRAFT_WANTED`)
    through reruns and other pages, until a draft is chosen again or one is published."""
    if not drafts:
        return None
    by_id = {draft.roster.roster_id: draft for draft in drafts}
    week = (store_id, iso_week)
    shown = st.session_state.get(state.ROSTER_SAVED_DRAFT)
    # another store-week's choice (the box stays drawn when the store or week changes), a draft published since, or
    # none yet (the box's key is forgotten on other pages): this store-week's first choice
    if st.session_state.get(state.ROSTER_SAVED_DRAFT_OF) != week or shown not in (NO_DRAFT, *by_id):
        anew = published or _draft_wanted(store_id, iso_week, NOTHING_PUBLISHED)
        st.session_state[state.ROSTER_SAVED_DRAFT] = NO_DRAFT if anew else drafts[0].roster.roster_id
    st.session_state[state.ROSTER_SAVED_DRAFT_OF] = week
    with st.container(border=True):
        # named as the words sending a planner here name it, whatever the count ("Saved draft" over one draft)
        newest = ", newest first" if len(drafts) > 1 else ""
        # a role that may not publish reads who does: "Show one to read it and publish it" sat above a disabled button
        how = "Show one to read it and publish it" if state.current_scope().may(PUBLISH) else \
            "Show one to read it. A planner publishes one"
        st.markdown(f"**{SAVED_DRAFTS}** of {tables.as_text(store_id)} for {iso_week}: {counted(len(drafts), 'draft')} "
                    f"made with `roster` on the command line{newest}. {how} exactly as it was saved, with no new "
                    "search, as `rosters publish ID` does.")
        st.markdown("\n".join(
            f"- **Roster {draft.roster.roster_id}**, made {draft.created_at:%Y-%m-%d %H:%M} UTC by "
            f"{tables.as_text(draft.created_by)}; "
            + (f"stale: {tables.as_text(', and '.join(draft.stale))}" if draft.stale else "not stale")
            + f". {tables.as_text(draft.roster.status_sentence)}" for draft in drafts))
        chosen = st.selectbox("Show", [NO_DRAFT, *by_id], key=state.ROSTER_SAVED_DRAFT,
                              format_func=lambda n: otherwise if n == NO_DRAFT else f"saved draft {n}",
                              help=f"A saved draft to read and publish as it was saved; else {otherwise}.",
                              on_change=None if published else _chose_anew, args=(week,))
    return by_id.get(chosen)


def _chose_anew(week: tuple[str, str]) -> None:
    """Keep the planner's choice between a saved draft and a new search for the store-week `week` that has no
    published roster: the Show box's own key is forgotten once the page is left, and the page would open on the
    newest draft again."""
    if st.session_state.get(state.ROSTER_SAVED_DRAFT) == NO_DRAFT:
        st.session_state[state.ROSTER_DRAFT_WANTED] = (*week, NOTHING_PUBLISHED)
        st.session_state[state.ROSTER_DRAFT_ASKED_FOR] = week  # searched on the run this choice starts
    elif _draft_wanted(*week, NOTHING_PUBLISHED):
        st.session_state.pop(state.ROSTER_DRAFT_WANTED)


def _saved_draft(draft, store_id: str, iso_week: str, published_id: int | None) -> None:
    """A saved draft as it was saved, and publishing it so, refused as `rosters publish ID` refuses it: a role that
    may not publish, a week that is over, and, unless confirmed, a stale or incomplete draft."""
    saved = draft.roster
    roster_id = saved.roster_id
    note = f"; {saved.note}" if saved.note else ""
    may_publish = state.current_scope().may(PUBLISH)  # else the ways on are a planner's
    kept = "" if published_id is None else \
        f" The published roster {published_id} stays until {_who_publishes()} this one."
    st.info(f"Saved draft {roster_id}, not published (requirement: "
            f"{tables.as_text(roster_data.shown_source(saved) + note)}).{kept}", icon=":material/edit_note:")
    _roster_views(saved, iso_week, published=False, status_said=True)  # in its line of the saved drafts
    caution = roster_data.draft_caution(roster_id)
    if draft.stale:  # with the page's ways on, as a refusal of it says them here (the command line's are its own)
        caution = stale_sentence(draft.stale, store_id, iso_week, caution, where=ROSTER_PAGE,
                                 published=published_id is not None, may_publish=may_publish)
    changes = _replaces(saved.shifts, store_id, iso_week) if published_id is not None else None
    pressed, anyway = _publish_controls(
        "Publish this draft", iso_week, caution, "The draft is stale or incomplete as said above",
        f"draft {roster_id} of {tables.as_text(store_id)} for {iso_week}", state.ROSTER_SAVED_PUBLISH,
        state.roster_saved_publish_anyway(roster_id))
    if pressed:
        done = roster_data.publish_draft(roster_id, anyway=anyway)
        _sent_again(changes, store_id, iso_week, done)
        for key in (state.ROSTER_SAVED_DRAFT, state.roster_saved_publish_anyway(roster_id),
                    state.ROSTER_DRAFT_WANTED):
            st.session_state.pop(key, None)
        st.toast(f"Published roster {done}" + ("" if published_id is None else
                                                f"; roster {published_id} is kept as superseded"))
        st.rerun()


def _who_publishes() -> str:
    """Who publishes a roster, as the page says "... stays until you publish": "you publish", or for a role that may
    not publish "a planner publishes" (a store manager read "until you publish" in a hover)."""
    return "you publish" if state.current_scope().may(PUBLISH) else "a planner publishes"


def _publish_controls(label: str, iso_week: str, caution: str, why_confirm: str, what: str, key: str,
                      anyway_key: str) -> tuple[bool, bool]:
    """The publish button of a roster, refused as `roster --publish` and `rosters publish ID` refuse it, each reason
    said beside it: a week that is over (nobody may publish it), a role that may not publish (ask a planner to
    publish `what`), and, until 'Publish it as it is' is ticked, the `caution` (a stale, quick or incomplete roster).
    Returns (pressed, published as it is despite a caution)."""
    scope = state.current_scope()
    over = roster_data.week_over(iso_week)
    confirmed = True
    if caution:
        st.warning(tables.as_text(caution), icon=":material/warning:")
        confirmed = st.checkbox(PAGE_PUBLISH_AS_IS, key=anyway_key, disabled=not scope.may(PUBLISH) or bool(over),
                                help=f"{why_confirm}; tick to publish it all the same.")
    not_yours = "" if scope.may(PUBLISH) else f"{widgets.FOR_PLANNERS}: ask one to publish {what}."
    button_column, why_column = st.columns([1, 3], vertical_alignment="center")
    if over:  # nobody may publish it: asking a planner would not help
        why_column.caption(f"Cannot be published: {tables.as_text(over)}.")
    elif not_yours:
        why_column.caption(not_yours)
    pressed = button_column.button(label, type="primary", key=key,
                                   disabled=bool(not_yours) or not confirmed or bool(over),
                                   help=over or not_yours or (None if confirmed else
                                                              f"Tick '{PAGE_PUBLISH_AS_IS}' first."))
    return pressed, bool(caution) and confirmed


def _roster_views(roster, iso_week: str, *, published: bool, status_said: bool = False, now=None,
                  replaced: str = "") -> None:
    """Status (unless `status_said` above, as a saved draft's is in its line of the saved drafts: it was said twice),
    grid, hours against contract, uncovered hours and wishes in sentences, downloads (the people's calendars only of
    a `published` roster, marked where its plan was `replaced`). `now` (`standing.RequirementNow`): the week's
    requirement is no longer the one the roster was made for, so its figures, its "None" and its downloads say which
    one they follow."""
    if not status_said:  # a published roster's verdict names it: a re-plan's stands beside it
        st.write(tables.as_text(verdict(published_roster(roster.roster_id), roster.status_sentence) if published
                                else roster.status_sentence))
    totals = roster_data.totals(roster.shifts, roster.hours)
    if now is not None:  # each figure names its plan: "Uncovered 0.0" read against "41.5 uncovered" in force
        totals = {(label if label == PAID_HOURS else figure_against(label, now.made_for, "made from")): value
                  for label, value in totals.items()}
        totals[figure_against(UNCOVERED, now.now, "in force")] = now.uncovered_staff_hours
    for column, (label, value) in zip(st.columns(len(totals)), totals.items(), strict=True):
        column.metric(label, f"{value:,.1f}", help=PAID_HOURS_HELP if label == PAID_HOURS else None)
    if now is not None:
        st.caption(tables.as_text(measured_against(now.made_for)))
    beyond = roster_data.paid_beyond(roster)  # 579 paid against 501 required read as a mistake, no reason given
    if beyond:
        st.caption(tables.as_text(beyond))
    if roster.shifts.empty:
        st.warning("No shifts: see the reasons below.")
    else:
        _grid_only(roster, iso_week)
        st.subheader("Hours against contract")
        people = roster.people.assign(  # twins told apart, as in the grid
            name=person_labels(roster.people["name"], roster.people["employee_id"]),
            **{CONTRACT: tables.hours_ranges(roster.people["contract_hours_min"], roster.people["contract_hours_max"])})
        # every person whole, not 10 of 26 in a scroll of its own
        widgets.labelled_table(people, PEOPLE_SHOWN, width="stretch", height=tables.whole_rows_height(len(people)),
                               column_config={"name": PERSON_COLUMN, **{
                                   column: st.column_config.Column(PEOPLE_SHOWN[column][0], width=width, help=help)
                                   for column, (width, help) in PEOPLE_CONFIG.items()}})
    st.subheader("Uncovered hours and wishes not met")
    if roster.sentences:
        _findings(roster.sentences)
    else:
        st.caption(tables.as_text(covered_against(None if now is None else now.made_for)))
    if not roster.shifts.empty:
        _downloads(roster, iso_week, published, now, replaced)


def _findings(sentences) -> None:
    """The roster's sentences as a list, each caveat said once as a sentence before the list of those it names
    (`shown_findings`, as `roster` prints them)."""
    for group in shown_findings(sentences):
        if group.lead:
            st.markdown(tables.as_text(group.lead))
        st.markdown("\n".join(f"- {tables.as_text(said)}" for said in group.said))


def _downloads(roster, iso_week: str, published: bool, now=None, replaced: str = "") -> None:
    files = roster_data.downloads(roster.shifts, iso_week, roster.people, roster.hours,
                                  roster_data.away_days(roster, iso_week))
    store = str(roster.shifts["store_id"].iloc[0])
    csv_column, grid_column, book_column = st.columns(3)
    csv_column.download_button("Shifts (CSV)", files["csv"], f"roster_{store}_{iso_week}.csv", "text/csv",
                               key=state.ROSTER_DOWNLOADS["csv"], on_click="ignore")
    grid_column.download_button("Grid (CSV)", files["grid"], f"roster_grid_{store}_{iso_week}.csv", "text/csv",
                                key=state.ROSTER_DOWNLOADS["grid"], on_click="ignore")
    book_column.download_button("Workbook (XLSX)", files["xlsx"], f"roster_{store}_{iso_week}.xlsx",
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                key=state.ROSTER_DOWNLOADS["xlsx"], on_click="ignore")
    if now is not None:  # the calendars below too: a person importing one is given the replaced plan's shifts
        st.caption(tables.as_text(files_follow(now.made_for, now.now, state.current_scope().may(PUBLISH))))
    if not published:  # as `roster --out-dir`: a person importing a draft's events is given shifts nobody published
        st.caption(CALENDARS_WITH_PUBLISHING)
        return
    refused = roster_data.calendar_refused(roster)
    if refused:  # the other downloads stand; a calendar would name a zone nobody's phone could read
        st.error(tables.as_text(refused), icon=":material/event_busy:")
        return
    gone = roster_data.withdrawn(roster.shifts, store, iso_week)
    people = calendar_people(roster.shifts, gone)
    person_column, calendar_column = st.columns(2, vertical_alignment="bottom")
    person = person_column.selectbox("Calendar of", list(people), format_func=lambda e: f"{people[e]} ({e})",
                                     key=state.ROSTER_CALENDAR_PERSON,
                                     help="Shifts an earlier published roster of the week gave and this one does "
                                          "not are in the calendar as cancelled, so a phone that imported the "
                                          "earlier calendar drops them." if not gone.empty else None)
    note = roster_data.calendar_note(replaced)  # each event says so where its plan was replaced, as the line above
    calendar_column.download_button("Calendar (.ics)", roster_data.calendar(roster, person, gone, note),
                                    roster_data.calendar_file_name(person, iso_week), "text/calendar",
                                    key=state.ROSTER_DOWNLOADS["ics"], on_click="ignore")
    zone = roster_data.time_zone(roster)
    floating = FLOATING_TIMES if state.current_scope().may(EDIT_SETTINGS) else FLOATING_TIMES_ASK_A_PLANNER
    st.caption(floating if zone is None else f"Times are the store's local time, in its time zone "
                                                   f"{tables.as_text(zone)}.")


def _follow(saved, store_id: str, iso_week: str, plan_id: int) -> None:
    """The published roster's plan was replaced (by `plan_id`, 0: withdrawn): re-plan it to follow the plan in force
    with the fewest changes, each with its premium as after an absence, and publish on request ("Make a new draft",
    below, rosters it afresh)."""
    with st.container(border=True):
        st.markdown(follow_replan_said(_who_publishes()))
        if st.button(FOLLOW_REPLAN_BUTTON, key=state.ROSTER_FOLLOW_RUN):
            with st.spinner(REPLANNING):
                roster_data.follow(store_id, iso_week)
            # read again: another may have been published meanwhile
            plan_id = roster_data.published_plan_id(store_id, iso_week)
    # outside the box: its border's padding cut the changes' last column and the grid's paid hours at 1024 px
    run, outdated = roster_data.kept_follow(store_id, iso_week, plan_id)
    if outdated:  # the re-plan kept was fitted to a plan, or re-planned a roster, since replaced: not shown to publish
        st.warning(follow_not_publishable(tables.as_text(outdated)), icon=":material/update:")
    if run is not None:
        _replan_result(run, saved, store_id, iso_week, state.ROSTER_FOLLOW_PUBLISH)


def _replan(saved, store_id: str, iso_week: str) -> None:
    """Someone cannot work: re-plan with the fewest changes, show them with their premiums, publish on request."""
    st.subheader("Re-plan after an absence")
    rules = data.chain_settings().roster  # those `roster_data.replan` re-plans with
    st.caption(f"Changes as few published shifts as the rules allow. A change for a day less than "
               f"{counted(rules.notice_days, 'day')} ahead earns the person a premium: "
               f"{number_text(rules.premium_hours_cancelled_shift)} h of pay for a cancelled shift, "
               f"{number_text(rules.premium_hours_added_shift)} h for an added one, "
               f"{number_text(rules.premium_hours_moved_shift)} h for a moved or lengthened one and "
               f"{number_text(rules.premium_hours_shortened_shift)} h for a shortened one (the chain's roster rules, "
               "set on the Settings page); a break moved within the same hours is listed and earns none, nor does "
               "the absent person's own shift. Days before today stay as they were worked" + (
                   ", and so do the days the absence does not touch (keep untouched days as published: on)"
                   if rules.keep_untouched_days else "") + f". Nothing is published until {_who_publishes()} the "
               "re-plan.")
    st.page_link(SETTINGS_PAGE, label="Roster rules: notice, premiums and limits on the Settings page",
                 icon=":material/tune:")
    people = dict(zip(saved.people["employee_id"], saved.people["name"], strict=True))
    start = roster_data.monday(iso_week)
    with st.form("roster.replan.form", border=False):
        person_column, days_column, reason_column = st.columns([2, 2, 2])
        person = person_column.selectbox("Who", list(people), format_func=lambda e: f"{people[e]} ({e})",
                                         key=state.ROSTER_REPLAN_PERSON)
        days = days_column.date_input("Days away", value=(start, start), min_value=start,
                                      max_value=start + dt.timedelta(days=6), key=state.ROSTER_REPLAN_DAYS)
        reason = reason_column.text_input("Reason", value="sick", key=state.ROSTER_REPLAN_REASON)
        asked = st.form_submit_button("Re-plan", key=state.ROSTER_REPLAN_RUN)
    if asked:
        first, last = (days[0], days[-1]) if isinstance(days, tuple) and days else (days, days)
        with st.spinner(REPLANNING):
            made = roster_data.replan(store_id, iso_week, person, first, last, reason.strip() or "absent")
        if made is None:  # in the words of `roster replan`
            st.info(f"{tables.as_text(people[person])} ({tables.as_text(person)}) has no published shift on those "
                    "days: nothing to re-plan, the published roster stays as it is. The absence is not stored: an "
                    "absence file uploaded on the Upload page stores it, so that later rosters keep it.",
                    icon=":material/event_available:")
            return
    run = roster_data.last_replan(store_id, iso_week)
    if run is not None:
        _replan_result(run, saved, store_id, iso_week, state.ROSTER_REPLAN_PUBLISH)


def _replan_result(run, saved, store_id: str, iso_week: str, publish_key: str) -> None:
    """A re-plan's changes and their premiums, the grids after and as published, and its publish button."""
    result = run.result
    if not result.found:
        st.error(f"No re-plan: {tables.as_text(result.roster.status_sentence)} The published roster stays as it is.")
        return
    changed = len(result.changes)  # in the words `roster replan` prints
    st.write(f"{counted(changed, 'shift')} {agreeing(changed, 'changes', 'change')} for "
             f"{counted(len(result.people_changed), 'person', 'people')}; premium pay of "
             f"{number_text(result.total_premium_hours)} h (wages of {money(result.total_premium)}, {IN_CURRENCY}).")
    # what the search proved, as `roster --replan` prints it: a quick re-plan (a limit came before the solver's own)
    # stands out, so it is not published unseen
    status = tables.as_text(verdict(NEW_REPLAN, result.roster.status_sentence))  # the published one's is below
    if result.roster.quick:
        st.warning(status, icon=":material/warning:")
    else:
        st.write(status)
    if result.changes:
        changes = short_changes(result)  # people of one name in the roster told apart, as in the grids
        rostered = result.roster.people  # not `people`: the Who box's labels read that name when drawn
        label = dict(zip(rostered["employee_id"],
                         person_labels(rostered["name"], rostered["employee_id"]), strict=True))
        changes = changes.assign(name=changes["employee_id"].map(label).fillna(changes["name"]))
        helps = replan_changes_help(data.chain_settings().roster.notice_days)  # the notice the re-plan counted
        widgets.labelled_table(changes, CHANGES_SHOWN, width="stretch", column_config={
            "name": PERSON_COLUMN, **{column: st.column_config.Column(CHANGES_SHOWN[column][0], width=width,
                                                                     help=helps.get(column))
                                      for column, width in CHANGES_WIDTHS.items()}})
    after, before = st.tabs(["After the re-plan", "As published"])
    away_after, away_before = roster_data.away_days(result.roster, iso_week), roster_data.away_days(saved, iso_week)
    codes = away_codes([*away_after.values(), *away_before.values()])  # one code, one reason, both tabs
    with after:
        _grid_only(result.roster, iso_week, away_after, codes)
        _findings(result.roster.sentences)
    with before:
        _grid_only(saved, iso_week, away_before, codes)
    over = roster_data.week_over(iso_week)  # the same refusal as `roster replan --publish`: said beside the button
    # a re-plan lives in the session that made it: a planner makes it again to publish it
    not_yours = "" if state.current_scope().may(PUBLISH) else \
        f"{widgets.FOR_PLANNERS}: ask one to re-plan the week and publish it (a re-plan is kept in this session only)."
    button_column, why_column = st.columns([1, 3], vertical_alignment="center")
    if over:
        why_column.caption(f"Cannot be published: {tables.as_text(over)}.")
    elif not_yours:
        why_column.caption(not_yours)
    if button_column.button("Publish the re-plan", type="primary", key=publish_key,
                            disabled=bool(not_yours) or bool(over), help=over or not_yours or None):
        changes = roster_data.shift_changes(result.roster.shifts, store_id, iso_week)
        try:
            roster_id = roster_data.publish_replan(run)
        except PlannerError as refused:  # a plan or roster published since the re-plan was made: nothing saved
            st.error(replan_not_published(tables.as_text(str(refused))))
            return
        _sent_again(changes, store_id, iso_week, roster_id)
        st.toast(f"Published roster {roster_id}; the one before is kept as superseded")
        st.rerun()


def _grid_only(roster, iso_week: str, away: dict | None = None, codes: dict | None = None) -> None:
    """People x days (a day away says so with its reason's code, "away (S)", and the key under the grid says "S =
    sick": "away (sick)" was cut in a day's 68 px at 1024 px; people of one name are told apart by their id); the
    last row's hours per day shown as text like the shifts above them; a shift across a change of the clocks said
    in words under the grid. `away` (default: the roster's days away) and
    `codes` (default: their reasons') are given where two grids are shown side by side, one code for one reason."""
    away = roster_data.away_days(roster, iso_week) if away is None else away
    codes = away_codes(away.values()) if codes is None else codes
    grid = roster_data.grid(roster.shifts, iso_week, roster.people, away, short=True, codes=codes)
    grid = grid.assign(name=person_labels(grid["name"], grid["employee_id"])).drop(columns=["employee_id"])
    days = [column for column in grid.columns if column not in ("name", HOURS)]
    day_config = {day: st.column_config.Column(
        day.rsplit(" ", 1)[0], width=DAY_PX,  # "Mon 7"
        help=f"{day}: each shift of the day's opening from–to on the clock (10–14 is 10:00 to 14:00, 9–17:30 is "
             "09:00 to 17:30, 22–2+1 ends at 02:00 after the day's midnight), or away with the reason's code (the "
             "key is under the grid); the Grid CSV writes the times and reasons in full")
        for day in days}
    widgets.dataframe(grid.astype({day: str for day in days}), formats={HOURS: "{:.1f}"}, width="stretch",
                      height=tables.whole_rows_height(len(grid)),  # every person whole, not 10 in a scroll
                      column_config={"name": PERSON_COLUMN, **day_config,
                                     HOURS: st.column_config.Column("Paid h", width=PAID_PX, help="paid hours")})
    key = away_key(away.values(), codes)
    if key:
        st.caption("Away: " + ", ".join(f"{code} = {tables.as_text(reason)}" for code, reason in key) + ".")
    notes = clock_change_notes(roster.shifts)  # a night the clocks change, marked "(+1 h)" in its cell
    if notes:
        st.caption(" ".join(tables.as_text(note) for note in notes))


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
