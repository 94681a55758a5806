"""Settings: the service targets, shift rules, roster rules, simulation settings and the chain's time zone in force,
with their units and defaults, editable, and saved as the chain's settings.

Edits apply to this session at once (held under `state.SETTINGS`; every page reads them through `data.settings()`);
"Save" makes them the chain's settings, kept in the database with who changed what and when, so every session, the
CLI and a restart plan with them. A store file's own targets still win for that store.

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from app_pages import data, state, tables
from planner import compare, targets
from planner.access.scope import EDIT_SETTINGS, Scope
from planner.targets import target_info
from planner.errors import PlannerError
from planner.calendar import hour_names
from planner.schemas import StoreSchema as S
from planner.editable_settings import EDITABLE, editable, in_force, with_values
from planner.settings import ChainRules, RosterRules, Settings, ShiftRules, SimulationRules, field_info, value_text
from planner.replan_moves import shifts_may_change
from planner.settings_change import SavedSettings
from planner.storage.tables import NOTE_MAX_CHARS
from planner.surfaces.plans import saved_plan_named
from planner.surfaces.settings_page import (
    NO_PLAN_CHANGES_WITH_THE_ZONE, SETTINGS_PLANS_LINK, SETTINGS_REPLAN_LINK, SETTINGS_UNCHECKED_LINK,
    SETTINGS_WHICH_PLANS, UNSAVED_APPLY_WHERE, saved_settings_out_of_date, settings_plans_unchecked,
)
from planner.words import counted, ended, first_named
from planner.zones import is_time_zone, meant_said, taken_time_zones

PLANS_PAGE = "app_pages/plans.py"  # where the plans a save put out of date are re-planned


@dataclass(frozen=True)
class Field:
    label: str
    unit: str
    meaning: str
    kind: str
    """How it is edited: share (percent slider), number, whole, optional (number or empty), lengths, step, switch,
    zone (a time zone picked from the list, or none)."""
    low: float = 0.0
    high: float = 100.0
    step: float = 1.0
    shown: str = "%g"
    """printf format of a number input."""




def _target(name: str, kind: str, low: float, high: float, step: float, shown: str = "%g") -> Field:
    """A service target's field: its words from the settings' metadata, how it is edited (and the slider's span)
    from here."""
    info = target_info(name)
    return Field(info.label, info.unit, info.meaning, kind, low, high, step, shown)


def _rule(name: str, kind: str, step: float = 1.0, shown: str = "%g", owner: type = ShiftRules) -> Field:
    """A shift (roster, simulation) rule's field: its words and allowed range from `ShiftRules`' (`RosterRules`',
    `SimulationRules`') metadata, how it is edited from here."""
    info = field_info(owner, name)
    return Field(info.label, info.unit, info.meaning, kind, info.low, info.high, step, shown)


def _roster_rule(name: str, kind: str, step: float = 1.0, shown: str = "%g") -> Field:
    return _rule(name, kind, step, shown, owner=RosterRules)


def _simulation_rule(name: str, kind: str, step: float = 1.0, shown: str = "%g",
                     span: tuple[float, float] | None = None) -> Field:
    """A simulation setting's field; `span`: a slider's ends where its range's own are excluded (a share strictly
    between 0 and 1: a slider at 0% would offer a value the settings refuse)."""
    field = _rule(name, kind, step, shown, owner=SimulationRules)
    return field if span is None else Field(field.label, field.unit, field.meaning, kind, *span, step, shown)


TARGETS = {
    "target_service_level": _target("target_service_level", "share", 0.5, 0.99, 0.01),
    "target_wait_seconds": _target("target_wait_seconds", "number", 0, 600, 5, "%.0f"),
    "patience_minutes": _target("patience_minutes", "number", 0.5, 60, 0.5, "%.1f"),
    "max_abandon_share": _target("max_abandon_share", "share", 0.01, 0.5, 0.01),
    "max_occupancy": _target("max_occupancy", "optional", 0.05, 1.0, 0.05, "%.2f"),
    "min_staff": _target("min_staff", "whole", 0, 50, 1),
}
SHIFT_RULES = {
    "shift_lengths_hours": _rule("shift_lengths_hours", "lengths"),
    "start_step_minutes": _rule("start_step_minutes", "step"),
    "duty_before_opening_minutes": _rule("duty_before_opening_minutes", "whole", 15),
    "duty_after_closing_minutes": _rule("duty_after_closing_minutes", "whole", 15),
    "break_minutes": _rule("break_minutes", "whole", 30),
    "break_for_shifts_over_hours": _rule("break_for_shifts_over_hours", "number", 0.5, "%.1f"),
    "break_window_before_midpoint_minutes": _rule("break_window_before_midpoint_minutes", "whole", 30),
    "break_window_after_midpoint_minutes": _rule("break_window_after_midpoint_minutes", "whole", 30),
    "weekly_budget_staff_hours": _rule("weekly_budget_staff_hours", "optional", 10, "%.0f"),
    "hard_coverage": _rule("hard_coverage", "switch"),
    "min_staff_cover": _rule("min_staff_cover", "switch"),
    "surplus_penalty_share_of_wage": _rule("surplus_penalty_share_of_wage", "number", 0.01, "%.2f"),
    "time_limit_seconds": _rule("time_limit_seconds", "number", 1, "%.0f"),
}
ROSTER_LIMITS = {
    "min_rest_hours": _roster_rule("min_rest_hours", "number", 0.5, "%.1f"),
    "max_days_in_a_row": _roster_rule("max_days_in_a_row", "whole"),
    "min_full_days_off_per_week": _roster_rule("min_full_days_off_per_week", "whole"),
    "max_hours_per_day": _roster_rule("max_hours_per_day", "number", 0.5, "%.1f"),
    "max_hours_per_week": _roster_rule("max_hours_per_week", "number", 1, "%.1f"),
    "keyholder_cover": _roster_rule("keyholder_cover", "switch"),
    "time_limit_seconds": _roster_rule("time_limit_seconds", "number", 1, "%.0f"),
}
ROSTER_CHANGES = {
    "notice_days": _roster_rule("notice_days", "whole"),
    "premium_hours_added_shift": _roster_rule("premium_hours_added_shift", "number", 0.5, "%.1f"),
    "premium_hours_moved_shift": _roster_rule("premium_hours_moved_shift", "number", 0.5, "%.1f"),
    "premium_hours_shortened_shift": _roster_rule("premium_hours_shortened_shift", "number", 0.5, "%.1f"),
    "premium_hours_cancelled_shift": _roster_rule("premium_hours_cancelled_shift", "number", 0.5, "%.1f"),
    "change_penalty_hours": _roster_rule("change_penalty_hours", "number", 0.5, "%.1f"),
    "keep_untouched_days": _roster_rule("keep_untouched_days", "switch"),
    "preference_penalty_share_of_wage": _roster_rule("preference_penalty_share_of_wage", "number", 0.05, "%.2f"),
    "fairness_penalty_share_of_wage": _roster_rule("fairness_penalty_share_of_wage", "number", 0.05, "%.2f"),
}
ROSTER_RULES = ROSTER_LIMITS | ROSTER_CHANGES
# the roster rules in two columns (what a roster keeps to; what a change to a published one costs)
SIMULATION = {
    "replications": _simulation_rule("replications", "whole", 50),
    "band_level": _simulation_rule("band_level", "share", 0.01, span=(0.5, 0.99)),
    "at_risk_week_share": _simulation_rule("at_risk_week_share", "share", 0.01, span=(0.01, 0.99)),
    "service_cv": _simulation_rule("service_cv", "number", 0.1, "%.2f"),
    "day_to_day_variation": _simulation_rule("day_to_day_variation", "switch"),
}
CHAIN = {"time_zone": _rule("time_zone", "zone", owner=ChainRules)}
# which settings the page edits, and in which order, is `planner.editable_settings`' (the command line's `settings`
# shows and sets the same); how each is edited (the widget, its step and a slider's span) is the page's alone
PARTS = (("targets", TARGETS, state.SETTING_INPUTS), ("shifts", SHIFT_RULES, state.SETTING_INPUTS),
         ("roster", ROSTER_RULES, state.ROSTER_RULE_INPUTS), ("simulation", SIMULATION, state.SIMULATION_INPUTS),
         ("chain", CHAIN, state.CHAIN_INPUTS))
# (the `Settings` part each group of inputs edits, its fields, their session-state keys by field name): a name alone
# does not say its part, as the roster rules have a time_limit_seconds too


def render_page() -> None:
    st.title("Settings")
    scope = state.current_scope()
    st.write("The targets and rules every page plans with. A store file's own targets (service level, wait, "
             "patience, most who may give up, fewest staff) still win for that store." + (
                 " Changes apply to this session at once; save them to make them the chain's settings, which every "
                 "session and the command line plan with, also after a restart." if scope.may(EDIT_SETTINGS) else ""))
    just_saved = st.session_state.pop(state.SETTINGS_SAVED, None)  # said under the Save button, where it was pressed
    if not scope.may(EDIT_SETTINGS):
        _read_only(data.settings())
        return
    saved, refused = data.chain_settings_usable()
    if refused:
        st.error(f"{ended(str(refused))} Until then this page starts from the defaults: change what you need and save.")
    current = data.settings(saved or Settings())
    if refused:  # the session plans with what this page shows, here and on the other pages, until saved
        data.set_settings(current)
    _seed(current)
    stores = data.stores(scope)
    planned, left_out = data.plannable_stores(scope)
    own = targets.not_the_setting(data.resolved_targets(scope))
    targets_column, shifts_column = st.columns(2)
    with targets_column:
        st.subheader("Service targets")
        for reason in left_out.values():  # said once; the notes below count the stores planned, and name these
            st.warning(f"Left out: {tables.as_text(reason)}", icon=":material/block:")
        for name, field in TARGETS.items():
            _input("targets", name, field)
            _override_note(own.get(name, {}), len(planned), list(left_out))
    with shifts_column:
        st.subheader("Shift rules")
        for name, field in SHIFT_RULES.items():
            _input("shifts", name, field)
    _roster_inputs()
    _simulation_inputs()
    _chain_inputs()
    try:
        chosen = _edited(current)
    except PlannerError as error:
        st.error(f"{ended(str(error))} The settings in force are unchanged.")
        chosen = current
    if chosen != current:
        data.set_settings(chosen)
    with targets_column:
        _occupancy_flag(chosen, stores, scope)
    _save_controls(chosen, scope, saved, just_saved)
    st.subheader("In force")
    _in_force_table(chosen)
    _history()


def _roster_inputs() -> None:
    """The roster rules, below the two columns: in a third column they left the page three narrow columns at 1024 px."""
    st.subheader("Roster rules")
    st.caption("What every roster and re-plan keeps to (the Roster page and the command line's roster), and what a "
               "change to a published roster costs.")
    limits_column, changes_column = st.columns(2)
    with limits_column:
        for name, field in ROSTER_LIMITS.items():
            _input("roster", name, field)
    with changes_column:
        for name, field in ROSTER_CHANGES.items():
            _input("roster", name, field)


def _simulation_inputs() -> None:
    """The simulation settings, below the roster rules, in two columns as they are."""
    st.subheader("Simulation")
    st.caption("How a simulation runs and how its figures read, on the Schedule and Plans pages and in the command "
               "line's simulate: how many weeks are simulated, the band around each figure, when an hour is at risk. "
               "A store file's own spread of service times (its service_cv column) wins for that store.")
    names = list(SIMULATION)
    half = (len(names) + 1) // 2
    for column, part in zip(st.columns(2), (names[:half], names[half:]), strict=True):
        with column:
            for name in part:
                _input("simulation", name, SIMULATION[name])


def _chain_inputs() -> None:
    """The chain's time zone, last: what calendar files say and rosters count a change of the clocks by, not what
    plans are made with."""
    st.subheader("Time zone")
    # what the zone does is the field's own help (`ChainRules.time_zone`), written once
    st.caption(f"{CHAIN['time_zone'].meaning} {NO_PLAN_CHANGES_WITH_THE_ZONE}")
    zone_column, _ = st.columns(2)
    with zone_column:
        _input("chain", "time_zone", CHAIN["time_zone"])
        zone = st.session_state.get(state.CHAIN_INPUTS["time_zone"])
        if zone is not None and not is_time_zone(zone):  # saved before a tzdata update dropped it: kept until changed
            st.warning(f"The time zone '{tables.as_text(zone)}' is not one this machine's time-zone database "
                       f"knows{tables.as_text(meant_said(zone))}: no calendar (.ics) is written until you pick a "
                       "known one here and save it.", icon=":material/warning:")


def _read_only(chosen: Settings) -> None:
    """The settings in force and their history, for a role that may not change them."""
    st.info("Only planners change the chain's settings: these are the ones every page plans with.",
            icon=":material/lock:")
    st.subheader("In force")
    _in_force_table(chosen)
    _history()


def _save_controls(chosen: Settings, scope: Scope, saved: Settings | None,
                   just_saved: SavedSettings | None = None) -> None:
    """Save (with a note) or undo the session's changes; back to the defaults. `saved` None: the chain's saved
    settings cannot be used, so saving is what puts them right. `just_saved`: the save of the run before, said under
    the buttons with the plans it put out of date: the page stays scrolled to them after a save, and "Saved" at the
    page's top was out of sight while the words here read "Nothing changed yet"."""
    unsaved = saved is None or chosen != saved
    if unsaved:
        st.info(f"These settings differ from the chain's saved settings. {UNSAVED_APPLY_WHERE}", icon=":material/edit:")
        st.text_input("Why the change (saved with it)", key=state.SETTINGS_NOTE, max_chars=NOTE_MAX_CHARS,
                      placeholder="e.g. Christmas trading: a higher service level")
    # greyed out without a word, Save and Undo read as broken: the reason is their help and a caption under them
    unchanged = None if unsaved else "Nothing changed yet: change a setting above first."
    save_column, undo_column, reset_column = st.columns(3)
    with save_column:
        st.button("Save as the chain's settings", key=state.SETTINGS_SAVE, on_click=_save, args=(chosen, scope),
                  disabled=not unsaved, type="primary", icon=":material/save:", help=unchanged)
    with undo_column:
        st.button("Undo unsaved changes", key=state.SETTINGS_UNDO, on_click=_undo, disabled=not unsaved,
                  icon=":material/undo:", help=unchanged)
    with reset_column:
        st.button("Back to the defaults", key=state.SETTINGS_RESET, on_click=_reset, icon=":material/restart_alt:")
    if just_saved is not None and not unsaved:
        st.success("Saved as the chain's settings.", icon=":material/check:")
        _out_of_date_note(just_saved, scope)
    elif not unsaved:
        st.caption("Nothing changed yet: these are the chain's saved settings. Change a setting above to save or "
                   f"undo it. {UNSAVED_APPLY_WHERE}")


HISTORY_SHOWN = 20  # changes listed on the page, newest first (a static table grows with every row)


def _history() -> None:
    st.subheader("Changes")
    history = data.settings_history()
    if history.empty:
        st.caption("Nobody has saved the chain's settings yet: the defaults are in force.")
        return
    if len(history) > HISTORY_SHOWN:
        st.caption(f"The {HISTORY_SHOWN} latest of {len(history)} changes.")
        history = history.head(HISTORY_SHOWN)
    shown = pd.DataFrame({
        "when (UTC)": history["changed_at"].dt.strftime("%Y-%m-%d %H:%M"),
        "who": history["changed_by"].map(tables.as_text), "what changed": history["changes"],
        "note": history["note"].map(tables.as_text),
    })
    st.table(shown, hide_index=True)  # a static table wraps a long note (a dataframe's cells cut it at 1024 px)


def _override_note(own: dict[str, list[str]], stores: int, left_out: list[str]) -> None:
    """Under a target: the stores planned (`stores` of them) that do not plan with this value (the store file sets
    their own, or their patience is estimated from their counts), and how many do; the stores `left_out` of every
    plan (their stored rows cannot be planned) are named, not counted: counted, a refused store read as planned with
    the value here."""
    from_file, estimated = own.get(targets.STORE_FILE, []), own.get(targets.ESTIMATED, [])
    parts = []
    if from_file:
        parts.append(f"the store file sets its own for {len(from_file)} of {stores} stores")
    if estimated:
        parts.append(f"{len(estimated)} plan with one estimated from their counts ({_names(estimated)})")
    if not parts:
        return
    others = stores - len(from_file) - len(estimated)
    left = "" if not left_out else (f" {_names(left_out)} {'is' if len(left_out) == 1 else 'are'} left out: "
                                    f"{'it cannot' if len(left_out) == 1 else 'they cannot'} be planned (above).")
    if len(from_file) == stores:
        st.caption(f":material/info: The store file sets this for every store ({stores} of {stores}): the value "
                   f"here is not used.{left}")
        return
    tail = "the value here is not used" if others <= 0 else f"the value here applies to the other {others}"
    said = "; ".join(parts)
    st.caption(f":material/info: {said[0].upper()}{said[1:]}: {tail}.{left}")


def _names(store_ids: list[str]) -> str:
    return first_named([tables.as_text(store) for store in store_ids], NAMES_SHOWN)


NAMES_SHOWN = 5  # stores named in a note; more are counted


def _occupancy_flag(chosen: Settings, stores: pd.DataFrame, scope: Scope) -> None:
    """Say where the occupancy ceiling asks for more staff than a store's max_staff allows."""
    ceiling = chosen.targets.max_occupancy
    if ceiling is None or stores.empty:
        return
    pushed = compare.occupancy_over_max_staff(data.recommendation(chosen, scope),
                                              data.recommendation(chosen.with_targets(max_occupancy=None), scope),
                                              stores)
    if pushed.empty:
        return
    first = pushed.iloc[0]
    when = hour_names(pushed.head(1), stores)[0]  # Sunday 18:00-02:00's Monday 00:00 is "Sun 00:00+1"
    st.warning(
        f"The occupancy ceiling of {ceiling:.0%} asks for more staff than the store's maximum (the store file's "
        f"most staff on the floor) in {counted(len(pushed), 'open hour')} of "
        f"{counted(pushed[S.store_id].nunique(), 'store')}, e.g. "
        f"{tables.as_text(first[S.store_id])} {when}: "
        f"{int(first['required_staff'])} staff, maximum {int(first[S.max_staff])}. The recommendations keep the "
        "higher number and say so; a schedule cannot put more than the store's maximum on the floor.",
        icon=":material/warning:")


def _seed(current: Settings) -> None:
    """Start every input at the session's value (streamlit forgets an input's key when its page is left)."""
    for part, name, _, key in _inputs():
        if key not in st.session_state:
            value = _value(current, part, name)
            st.session_state[key] = list(value) if isinstance(value, tuple) else value


def _inputs() -> list[tuple[str, str, Field, str]]:
    """(part of `Settings`, field name, field, session-state key) of every input, in the page's order: every
    setting a planner sets (`planner.editable_settings.EDITABLE`), each edited as its field here says."""
    how = {part: (fields, keys) for part, fields, keys in PARTS}
    return [(setting.part, setting.name, how[setting.part][0][setting.name], how[setting.part][1][setting.name])
            for setting in EDITABLE]


def _input(part: str, name: str, field: Field) -> None:
    key = next(keys[name] for named, _, keys in PARTS if named == part)
    # a toggle says on/off itself; a ratio (the spread of service times) has no unit to say
    label = field.label if field.kind == "switch" or not field.unit else f"{field.label} ({field.unit})"
    default = _value(Settings(), part, name)
    helptext = f"{field.meaning[0].upper()}{field.meaning[1:].rstrip('.')}. Default: {value_text(default, field.unit)}."
    low, high = _span(field, st.session_state.get(key))
    if field.kind == "share":
        st.slider(label, low, high, step=field.step, format="percent", key=key, help=helptext)
    elif field.kind == "number":
        st.number_input(label, float(low), high, step=float(field.step), format=field.shown, key=key,
                        help=helptext)
    elif field.kind == "whole":
        st.number_input(label, int(low), None if high is None else int(high), step=int(field.step), key=key,
                        help=helptext)
    elif field.kind == "optional":
        st.number_input(label, float(low), high, step=float(field.step), format=field.shown, key=key,
                        help=helptext, placeholder="none")
    elif field.kind == "lengths":
        st.multiselect(label, list(range(int(field.low), int(high) + 1)), key=key, help=helptext)
    elif field.kind == "step":
        st.radio(label, [60, 30], horizontal=True, key=key, help=helptext)
    elif field.kind == "zone":  # picked from the list, typed to filter it: a name no calendar knows cannot be chosen
        # but one saved before a tzdata update dropped it is listed, so that the page keeps it until it is changed
        # ("EST", saved before abbreviations fixed at one offset were refused, is listed as it is, as known)
        held = st.session_state.get(key)
        listed = sorted(taken_time_zones())
        kept = [held] if isinstance(held, str) and held not in listed else []
        unknown = [zone for zone in kept if not is_time_zone(zone)]
        st.selectbox(label, [None, *kept, *listed], key=key, help=helptext,
                     format_func=lambda zone: "none (times as written, in no time zone)" if zone is None else
                     f"{zone} (not known on this machine)" if zone in unknown else zone)
    else:
        st.toggle(label, key=key, help=helptext)


def _span(field: Field, value: object) -> tuple[float, float | None]:
    """The ends of a number's input (None: no upper end): the field's, widened to hold `value`, the one in force. A
    slider spans less than the setting's range (a service level from 50%, where 1% is allowed), and `settings set` on
    the command line takes the whole range: streamlit refused a value outside the input's ends, and the page
    failed."""
    low, high = field.low, None if math.isinf(field.high) else float(field.high)
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high = min(low, value), None if high is None else max(high, value)
    return low, high


def _edited(current: Settings) -> Settings:
    """`current` with the inputs' values, checked as `settings set` checks them (`RefusedSetting`, a
    `PlannerError`, in the page's words)."""
    values = {f"{part}.{name}": st.session_state[key] for part, name, _, key in _inputs()}
    values["shifts.shift_lengths_hours"] = tuple(sorted(int(n) for n in values["shifts.shift_lengths_hours"]))
    return with_values(current, values)


def _in_force_table(chosen: Settings) -> None:
    """The settings in force beside their defaults, as a static table: its meanings wrap onto more lines (a
    dataframe's cells cut them at 1024 px)."""
    st.table(in_force(chosen)[["setting", "in force", "default", "unit", "meaning"]].set_index("setting"))


def _value(chosen: Settings, part: str, name: str):
    """The value of setting `name` of `chosen`'s `part` ("targets", "shifts", "roster", "simulation", "chain")."""
    return editable(f"{part}.{name}").value(chosen)


def _save(chosen: Settings, scope: Scope) -> None:
    with data.errors_shown():
        saved = data.save_chain_settings(chosen, scope, st.session_state.get(state.SETTINGS_NOTE, ""))
        st.session_state[state.SETTINGS_NOTE] = ""
        st.session_state[state.SETTINGS_SAVED] = saved


def _out_of_date_note(saved: SavedSettings, scope: Scope) -> None:
    """The saved plans the save put out of date (those `settings set` names), each named as the Upload page names
    those an import put out of date (`saved_plan_named`); nothing where it put none out of date."""
    if saved.plans_unchecked:
        st.info(settings_plans_unchecked(tables.as_text(saved.plans_unchecked)), icon=":material/info:")
        st.page_link(PLANS_PAGE, label=SETTINGS_PLANS_LINK, icon=":material/help:")  # where it says so
        return
    stale = saved.out_of_date
    if not stale:
        return
    # what THIS change moves (the staff at the settings before and after it, on today's counts), apart from what had
    # moved before it: after an upload, the staff the new counts moved were counted as the change's
    moves = data.settings_change_moves(saved, scope)
    shifts = saved.before is not None and saved.after is not None and shifts_may_change(saved.before, saved.after)
    named = {plan.plan_id: tables.as_text(saved_plan_named(plan)) for plan in stale}
    # a plan missing from `moves` could not be re-planned now (its store cannot be planned)
    unchecked = [plan for plan in stale if plan.plan_id not in moves]
    moved = [plan for plan in stale if plan.plan_id in moves and moves[plan.plan_id].hours]
    already = [plan for plan in stale if plan.plan_id in moves and moves[plan.plan_id].earlier]
    kept = [plan for plan in stale if plan.plan_id in moves and plan not in moved and plan not in already]
    may_change, in_name_only = (kept, []) if shifts else ([], kept)
    said, listing = saved_settings_out_of_date(
        [(named[plan.plan_id], moves[plan.plan_id].hours) for plan in moved],
        [(named[plan.plan_id], moves[plan.plan_id].replan.hours, moves[plan.plan_id].earlier) for plan in already],
        [named[plan.plan_id] for plan in in_name_only], [named[plan.plan_id] for plan in unchecked],
        [named[plan.plan_id] for plan in may_change])
    st.warning(said, icon=":material/update:")
    if listing:
        with st.expander(SETTINGS_WHICH_PLANS, expanded=True):
            st.markdown(listing)
    to_replan = moved + may_change + already
    if to_replan:  # on the first to re-plan, as the Upload page's link opens on the first it names
        st.page_link(PLANS_PAGE, label=SETTINGS_REPLAN_LINK, icon=":material/update:",
                     query_params={state.PLANS_OPEN: str(to_replan[0].plan_id)})
    elif unchecked:  # the note says the Plans page says why: with nothing to re-plan, it still leads there
        st.page_link(PLANS_PAGE, label=SETTINGS_UNCHECKED_LINK, icon=":material/help:",
                     query_params={state.PLANS_OPEN: str(unchecked[0].plan_id)})


def _undo() -> None:
    data.set_settings(None)
    _forget_inputs()


def _reset() -> None:
    data.set_settings(Settings())
    _forget_inputs()


def _forget_inputs() -> None:
    """The inputs start again from the session's settings (`_seed`)."""
    for *_, key in _inputs():
        st.session_state.pop(key, None)


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
