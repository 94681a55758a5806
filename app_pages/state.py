"""Session-state and widget keys, named in one place so pages and tests agree on them.

A widget's key holds its value only while its page is shown (streamlit forgets the keys of widgets that were not
drawn in a run); what must outlive a page, the session's settings and the last schedule, sits under plain keys.
"""

import streamlit as st

from planner.access.scope import EVERYTHING, Scope
from planner.settings import STORE_TARGETS

# --- kept for the whole session ------------------------------------------------------------------------------------
SCOPE_KEY = "session.scope"
"""The signed-in user's `planner.access.Scope`, set by `app.py` on every run (`signin.session_scope`); absent: every
store, as for one person on their own machine. Read it through `current_scope()`."""
SETTINGS = "session.settings"
"""The session's unsaved `planner.settings.Settings` (absent: the chain's saved settings, else the defaults); read it
through `data.settings()`."""
LAST_SCHEDULE = "session.last_schedule"
"""The last schedule run on the Schedule page (`data.ScheduleRun`); My store draws its scheduled staff."""
SESSION = "session.sign_in"
"""An own-account sign-in (`planner.accounts.Session`: scope and when it ends)."""
SIGN_IN_TICKET = "session.sign_in_ticket"
"""The token the browser tab holds for this sign-in (`planner.access.resume`), spent and renewed at each resume."""

# --- Sign-in -------------------------------------------------------------------------------------------------------
SIGN_IN_FORM = "signin.form"
SIGN_IN_NAME = "signin.name"
SIGN_IN_PASSWORD = "signin.password"
"""The password field, emptied as the form is sent (`signin._take_password`): no page shows a password typed."""
SIGN_IN_TYPED = "signin.typed"
"""The password the form was sent with, for the one run that checks it (`signin.sign_in_page` takes it out)."""
SIGN_IN_OIDC = "signin.oidc"
SIGN_IN_NOTE = "signin.note"
"""Why the sign-in page shows again (a session that ended), shown once."""
PAGE_NOT_YOURS = "signin.page_not_yours"
"""Why the address just opened shows the Upload page: its page is for other roles (`signin.page_not_yours`), said
once, above Upload."""
SIGN_OUT = "signin.sign_out"
SIGN_IN_TAB = "signin.tab"
"""The tab's memory of its sign-in (`signin._tab_memory`): keeps the ticket, forgets it, says what it holds; its
key is this with the session's `SIGN_IN_TAB_NONCE` after it."""
SIGN_IN_TAB_NONCE = "session.sign_in_tab_nonce"
SIGN_IN_TAB_ASKED = "signin.tab_asked"
"""Set once this session has asked the tab for a ticket: a new session asks once, then shows the form alone."""
SIGN_IN_TAB_FORGET = "signin.tab_forget"
"""Set when a sign-in ended (signed out, expired, disabled): the sign-in page has the tab drop its ticket."""

# --- Upload --------------------------------------------------------------------------------------------------------
UPLOADED_FILES = "upload.files"
"""The file uploader on the Upload page (its value is the list of uploaded files)."""
IMPORT_BUTTON = "upload.import"
UPLOAD_DROPPED = "upload.dropped"
"""(file name, sha256) of the uploads the user dropped from this import (the uploader keeps its own list)."""
UPLOAD_UNDROP = "upload.undrop"


def drop_button(file_name: str) -> str:
    """The key of the button that drops one uploaded file from the import."""
    return f"upload.drop.{file_name}"


# --- Observations --------------------------------------------------------------------------------------------------
SELECTED_STORE = "observations.store"
"""The store picked on the Observations page."""
OBSERVATIONS_DOWNLOAD = "observations.download_stores"

# --- My store ------------------------------------------------------------------------------------------------------
MY_STORE = "mystore.store"
MY_WEEKDAY = "mystore.weekday"
"""0 = Monday."""
WHATIF = {name: f"mystore.whatif.{name}" for name in STORE_TARGETS}
"""What-if controls, by the service target each one forces for the store."""
WHATIF_RESET = "mystore.whatif.reset"
MY_STORE_DOWNLOAD = "mystore.download"
"""The full recommendation CSV (every column) for planners."""
MY_STORE_MANAGER_DOWNLOAD = "mystore.download_manager"
"""The store manager's CSV: day, hour, staff, range, service in %, why."""

# --- Compare stores ------------------------------------------------------------------------------------------------
COMPARE_REGIONS = "compare.regions"
COMPARE_WEEKDAY = "compare.weekday"
"""A weekday 0-6, or "week" for the week's mean."""
COMPARE_PER_VISITORS = "compare.per_visitors"
COMPARE_MEASURES = "compare.measures"
"""Which group of weekly measures the store and region tables show (a key of `app_pages.compare.MEASURES`)."""
COMPARE_STORES_DOWNLOAD = "compare.stores_download"
COMPARE_REGIONS_DOWNLOAD = "compare.regions_download"
"""The store and region tables with every measure (CSV): on screen each shows one group of them."""

# --- Schedule ------------------------------------------------------------------------------------------------------
SCHEDULE_STORES = "schedule.stores"
SCHEDULE_LENGTHS = "schedule.shift_lengths"
SCHEDULE_BREAKS = "schedule.breaks"
SCHEDULE_BUDGET = "schedule.budget"
SCHEDULE_HARD = "schedule.hard_coverage"
SCHEDULE_MIN_STAFF_COVER = "schedule.min_staff_cover"
SCHEDULE_RUN = "schedule.run"
SCHEDULE_VIEW_STORE = "schedule.view_store"
SCHEDULE_VIEW_WEEKDAY = "schedule.view_weekday"
"""A weekday 0-6."""
SCHEDULE_DOWNLOAD_SCOPE = "schedule.download_scope"
SHIFTS_DOWNLOAD = "schedule.download_shifts"
COVERAGE_DOWNLOAD = "schedule.download_coverage"

# --- Settings ------------------------------------------------------------------------------------------------------
SETTING_INPUTS = {
    name: f"settings.{name}"
    for name in (
        "target_service_level", "target_wait_seconds", "patience_minutes", "max_abandon_share", "max_occupancy",
        "min_staff", "shift_lengths_hours", "start_step_minutes", "duty_before_opening_minutes",
        "duty_after_closing_minutes", "break_minutes", "break_for_shifts_over_hours",
        "break_window_before_midpoint_minutes", "break_window_after_midpoint_minutes", "weekly_budget_staff_hours",
        "hard_coverage", "min_staff_cover", "surplus_penalty_share_of_wage", "time_limit_seconds",
    )
}
"""The Settings page's inputs, by the `ServiceTargets` or `ShiftRules` field each one edits."""
ROSTER_RULE_INPUTS = {
    name: f"settings.roster.{name}"
    for name in (
        "min_rest_hours", "max_days_in_a_row", "min_full_days_off_per_week", "max_hours_per_day",
        "max_hours_per_week", "keyholder_cover", "time_limit_seconds", "notice_days", "premium_hours_added_shift",
        "premium_hours_moved_shift", "premium_hours_shortened_shift", "premium_hours_cancelled_shift",
        "preference_penalty_share_of_wage", "fairness_penalty_share_of_wage", "change_penalty_hours",
        "keep_untouched_days",
    )
}
"""The Settings page's inputs of the roster rules, by the `RosterRules` field each one edits (a name of their own:
`time_limit_seconds` is a shift rule's name too)."""
SIMULATION_INPUTS = {
    name: f"settings.simulation.{name}"
    for name in ("replications", "band_level", "at_risk_week_share", "day_to_day_variation", "service_cv")
}
"""The Settings page's inputs of the simulation settings, by the `SimulationRules` field each one edits."""
CHAIN_INPUTS = {"time_zone": "settings.chain.time_zone"}
"""The Settings page's input of the chain's time zone (`ChainRules`)."""
SETTINGS_RESET = "settings.reset"
"""Back to the defaults (unsaved until saved)."""
SETTINGS_UNDO = "settings.undo"
"""Drop the unsaved changes: back to the chain's saved settings."""
SETTINGS_NOTE = "settings.note"
"""Why the settings change (saved with it)."""
SETTINGS_SAVE = "settings.save"
SETTINGS_SAVED = "settings.saved"
"""Set for one run after a save to what it did (`planner.settings_change.SavedSettings`), to say so and name the
saved plans it put out of date."""

# --- Roster --------------------------------------------------------------------------------------------------------
ROSTER_STORE = "roster.store"
ROSTER_WEEK = "roster.week"
"""An ISO week as text, e.g. 2026-W50."""
ROSTER_PUBLISH = "roster.publish"
ROSTER_PUBLISH_ANYWAY = "roster.publish_anyway"
"""Ticked to publish the new draft as it is (quick or incomplete): the key is `roster_publish_anyway(store, week)`."""
ROSTER_REMAKE = "roster.remake"
"""Make a new draft although a roster is published (e.g. after the people or the requirement changed)."""
ROSTER_DRAFT_WANTED = "roster.draft_wanted"
"""(store_id, iso_week, published roster_id) for which the planner asked for a new draft: beside that published
roster, or, where none is published (0), in place of the newest saved draft the page opens on. A roster published
since (here, in another tab or on the command line) ends the choice: the page shows that roster."""
ROSTER_DRAFT_ASKED = "roster.draft_asked"
"""The button ("Make a draft roster") that searches a draft of a store-week with none to show: the page searches
nothing unasked, for any role."""
ROSTER_DRAFT_ASKED_FOR = "roster.draft_asked_for"
"""(store_id, iso_week) whose new search the Show box of saved drafts just asked for ("a new draft (a new search)"):
searched on the run that follows the choice, once; afterwards the draft is shown while it is kept, else the button
offers it again."""
ROSTER_SEND_AGAIN = "roster.send_again"
"""(store_id, iso_week, roster_id, words) of the roster last published over another on the Roster page: whose
calendars to send again, said above that roster while it stays the published one."""
ROSTER_BODY_OF = "roster.body_of"
"""The store and week whose roster the page drew last, and in which of its two slots (`app_pages.roster`)."""
ROSTER_SAVED_DRAFT = "roster.saved_draft"
"""The saved draft roster (its roster_id) shown for publishing as it was saved; 0: none, the week's roster."""
ROSTER_SAVED_DRAFT_OF = "roster.saved_draft_of"
"""(store_id, iso_week) whose drafts the Show box (`ROSTER_SAVED_DRAFT`) last offered: another's choice is not
carried over to them."""
ROSTER_SAVED_PUBLISH = "roster.saved_draft.publish"
ROSTER_SAVED_PUBLISH_ANYWAY = "roster.saved_draft.publish_anyway"
"""Ticked to publish the saved draft shown as it is (stale or incomplete): the key is
`roster_saved_publish_anyway(roster_id)`."""


def roster_publish_anyway(store_id: str, iso_week: str) -> str:
    """The key of the tick that publishes the new draft of `store_id` and `iso_week` as it is: one per store-week, so
    that a tick given for one week's roster is not carried over to the next one shown (as `plans_publish_anyway`)."""
    return f"{ROSTER_PUBLISH_ANYWAY}.{store_id}.{iso_week}"


def roster_saved_publish_anyway(roster_id: int) -> str:
    """The key of the tick that publishes saved draft `roster_id` as it is: one per draft, so that a tick given for one
    draft is not carried over to the next one Show chooses."""
    return f"{ROSTER_SAVED_PUBLISH_ANYWAY}.{int(roster_id)}"


ROSTER_REPLAN_PERSON = "roster.replan.person"
ROSTER_REPLAN_DAYS = "roster.replan.days"
ROSTER_REPLAN_REASON = "roster.replan.reason"
ROSTER_REPLAN_RUN = "roster.replan.run"
ROSTER_LAST_REPLAN = "session.roster_replan"
"""The last re-plan made on the Roster page (`app_pages.roster_data.ReplanRun`), until published or replaced."""
ROSTER_REPLAN_PUBLISH = "roster.replan.publish"
ROSTER_FOLLOW_RUN = "roster.follow.run"
ROSTER_LAST_FOLLOW = "session.roster_follow"
"""The last re-plan to follow the plan in force made on the Roster page (`app_pages.roster_data.ReplanRun` without an
absence), until published or replaced."""
ROSTER_FOLLOW_PUBLISH = "roster.follow.publish"
ROSTER_CALENDAR_PERSON = "roster.calendar_person"
ROSTER_DOWNLOADS = {name: f"roster.download.{name}" for name in ("csv", "grid", "xlsx", "ics")}
# --- Audit ---------------------------------------------------------------------------------------------------------
AUDIT_STORE = "audit.store"
AUDIT_SINCE = "audit.since"
AUDIT_UNTIL = "audit.until"
AUDIT_KINDS = "audit.kinds"
AUDIT_LEFT_OUT = "session.audit_left_out"
"""The kinds of change the Audit page leaves out (`planner.storage.audit.left_out_after`): not a widget key, so the
choice outlasts a store or dates without those kinds, and a visit to another page."""
AUDIT_WITH_SIGN_INS = "audit.with_sign_ins"
AUDIT_ROW = "audit.row"
AUDIT_DOWNLOAD = "audit.download"

# --- Admin ---------------------------------------------------------------------------------------------------------
ADMIN_ADD_FORM = "admin.add"
ADMIN_NAME = "admin.name"
ADMIN_ROLE = "admin.role"
ADMIN_STORES = "admin.stores"
ADMIN_REGIONS = "admin.regions"
ADMIN_EMAIL = "admin.email"
ADMIN_ROUND = "admin.round"
"""How many users were added and passwords set this session: the add and password forms' keys carry it, so each
success gives a new, empty form (a refused one keeps what was typed)."""


def admin_round(key: str, round_: int) -> str:
    """`key` of the Users page's add or password form in round `round_` (`ADMIN_ROUND`)."""
    return f"{key}.{round_}"


def next_admin_round() -> None:
    st.session_state[ADMIN_ROUND] = st.session_state.get(ADMIN_ROUND, 0) + 1


ADMIN_ADDED = "admin.added"
ADMIN_CHANGED = "admin.changed"
"""The sentence saying who was just added, shown once above the emptied form."""
ADMIN_CHANGE_FORM = "admin.change"
ADMIN_CHANGE_USER = "admin.change_user"
ADMIN_CHANGE_ROLE = "admin.change_role"
ADMIN_CHANGE_STORES = "admin.change_stores"
ADMIN_CHANGE_REGIONS = "admin.change_regions"


def admin_change(key: str, user) -> str:
    """A change-form widget's key for one user (`ADMIN_CHANGE_ROLE` etc.) as stored now (a `User`): each user's
    form starts from their own values, and afresh when another admin changed them (a form left open kept the old
    stores, and Save put them back)."""
    cover = ",".join(sorted(user.stores)) + ";" + ",".join(sorted(user.regions))
    return f"{key}.{user.name}.{user.role}.{cover}"


ADMIN_SWITCH = "admin.switch"
"""Disable the chosen user, or enable them again."""
ADMIN_PASSWORD = "admin.password"
ADMIN_PASSWORD_FORM = "admin.password_form"
ADMIN_PASSWORD_SET = "admin.password_set"
"""The sentence saying whose password was just set, shown once."""
# --- Plans ---------------------------------------------------------------------------------------------------------
PLANS_STORES = "plans.stores"
PLANS_WEEK = "plans.week"
"""The ISO week to plan, as typed ("2026-W50")."""
PLANS_MAKE = "plans.make"
"""Make the plan as drafts."""
PLANS_MAKE_PUBLISH = "plans.make_publish"
"""Make the plan and publish it at once."""
PLANS_VIEW = "plans.view"
"""The saved plan shown (its plan_id)."""
PLANS_OPEN = "plan"
"""The query parameter that opens the Plans page on a saved plan (its plan_id): the Upload page's link to the plans
an import put out of date opens on the first it names."""
PLANS_VIEW_DAY = "plans.view_day"
"""A weekday 0-6 of the shown plan's week."""
PLANS_PUBLISH = "plans.publish"
PLANS_PUBLISH_ANYWAY = "plans.publish_anyway"
"""Ticked to publish the shown draft although it is out of date (`plans publish --publish-anyway`): the key is
`plans_publish_anyway(plan_id)`."""


def plans_publish_anyway(plan_id: int) -> str:
    """The key of the tick that publishes draft `plan_id` out of date: one per plan, so that a tick given for one
    draft is not carried over to the next one shown."""
    return f"{PLANS_PUBLISH_ANYWAY}.{int(plan_id)}"


PLANS_REFUSED = "session.plans.refused"
"""(plan_id, sentence) of a draft that Publish did not publish, as it went out of date after the page listed it:
said in the next run, beside the tick that publishes it as it is."""
PLANS_REPLAN = "plans.replan"
PLANS_REPLAN_PUBLISHED = "plans.replan_published"
"""Re-plan every out-of-date published plan listed, each as a new draft."""
PLANS_SHIFTS_DOWNLOAD = "plans.download_shifts"
PLANS_REQUIREMENT_DOWNLOAD = "plans.download_requirement"
PLANS_LIST_DOWNLOAD = "plans.download_list"
PLANS_SIMULATE = "plans.simulate"
"""Simulate the shown plan on its dates."""
PLANS_SIMULATION = "session.plans.simulation"
"""The last plan simulation shown: (plan_id, frame keyed as the plan's days, lost a week mean, low, high)."""
PLANS_NEXT = "session.plans.next"
"""(plan_id to show, sentence to say, why each store picked was left out) after a make, publish or re-plan: applied
before the page's widgets are drawn."""


def current_scope() -> Scope:
    """The scope every page passes to the planner: the signed-in user's, else every store and action (local use).
    Anything under `SCOPE_KEY` that is not a `Scope` counts as no store at all, never as everything."""
    chosen = st.session_state.get(SCOPE_KEY)
    if chosen is None:
        return EVERYTHING
    return chosen if isinstance(chosen, Scope) else Scope(user="unknown", role="store_manager")
