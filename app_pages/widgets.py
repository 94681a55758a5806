"""Small pieces of page shared by several pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import streamlit as st

from app_pages import data, state, tables
from planner.access.scope import ADMIN, EDIT_SETTINGS, PLANNER, REGIONAL_LEAD, STORE_MANAGER, Scope
from planner.schemas import StoreSchema as S
from planner.shifts import OPTIMAL_TEXT
from planner.shifts.solve import OPTIMAL
from planner.words import IN_CURRENCY, MONEY_COLUMN_FORMAT, NOT_KNOWN
from planner.words import store_label as words_store_label

UPLOAD_PAGE = "app_pages/upload.py"
SETTINGS_PAGE = "app_pages/settings.py"
LANDING_PAGES = {STORE_MANAGER: "app_pages/my_store.py", REGIONAL_LEAD: "app_pages/compare.py",
                 PLANNER: "app_pages/plans.py", ADMIN: "app_pages/plans.py"}
"""The page each role's work starts from, served at the app's root: every role landed on Upload."""
FOR_PLANNERS = "Publishing is for planners"
"""Why the Plans and Roster pages' publish buttons are disabled for a role that may not publish: said beside them
("Publishing is for planners: ask one to publish plan 3."), not in their hover only, where a greyed-out button
read as broken."""


def store_names_or_upload_hint(scope: Scope) -> dict[str, str] | None:
    """store_id -> name of every stored store `scope` covers (what every store picker lists); with none, a pointer
    to Upload and None."""
    stores = data.stores(scope)
    if stores.empty:
        st.info("No stores yet: upload the store file and some counts first." if scope.all_stores else
                f"None of your stores is in the database yet ({tables.as_text(scope.described())}): upload the "
                "store file and some counts first.")
        st.page_link(UPLOAD_PAGE, label="Upload", icon=":material/upload_file:")
        return None
    return dict(zip(stores[S.store_id], stores[S.name], strict=True))


def store_label(names: Mapping[str, str]) -> Callable[[str], str]:
    """How every store picker labels a store of `names` (`store_names_or_upload_hint`): `planner.words.store_label`,
    "S01 – Berlin Mitte"."""
    return lambda store: words_store_label(store, names.get(store))


def unsaved_settings_note(unsaved: str, made_here: str, command: str, verb: str) -> None:
    """That what a page makes (`made_here`: "Rosters made, re-planned and published here") follows the chain's saved
    settings, as `command` does on the command line, while the session has unsaved changes (`unsaved`, in the words
    of the settings' history; nothing is said without any): they are left out. How to save them is said only to a
    role that may, with a link to the Settings page (a store manager was told to save what only planners may)."""
    if not unsaved:
        return
    may_save = state.current_scope().may(EDIT_SETTINGS)
    how = f"Save them on the Settings page to {verb} with them." if may_save else \
        "Only planners change the chain's settings."
    st.info(f"This session's settings are not saved as the chain's ({tables.as_text(unsaved)}). {made_here} follow "
            f"the chain's saved settings, as `{command}` on the command line does: these changes are left out. {how}",
            icon=":material/tune:")
    if may_save:
        st.page_link(SETTINGS_PAGE, label="Settings: save or undo this session's changes", icon=":material/tune:")


def dataframe(frame: pd.DataFrame, formats: Mapping[str, str | Callable] | None = None,
              marks: Mapping[str, tuple[np.ndarray, str]] | None = None, **options):
    """`st.dataframe` of a frame whose text reads as written (`=S13`, `@Mention`) while its toolbar download is safe
    to open in a spreadsheet (`tables.as_written_on_screen`: such a cell's value is escaped, its display is not),
    with the display `formats` (column -> format string, or a function of the value) applied, `marks` after the
    values of some rows, and "–" for a value not known. Every page shows its tables through here. Returns what
    `st.dataframe` does (the selection, with `on_select`)."""
    shown = tables.as_written_on_screen(frame, formats, na_rep=NOT_KNOWN, marks=marks)
    return st.dataframe(shown, **{"hide_index": True, "placeholder": NOT_KNOWN, **options})


def labelled_table(frame: pd.DataFrame, shown: Mapping[str, tuple[str, str | Callable | None]], **options):
    """`dataframe` of the columns of `shown` (column -> (label, display format, a function of the value, or None)),
    in its order, handed over as `tables.as_shown` makes them: under their labels, each number rounded as its format
    shows it, so that the toolbar's CSV download (which writes the frame handed over, not its display) reads as the
    table does. A `column_config` given in `options` is keyed by column, as `shown` is (a width, help); a label in it
    must be the one `shown` gives, else the header and the download's would differ."""
    labels = {column: label for column, (label, _) in shown.items()}
    config = {}
    for column, setting in options.pop("column_config", {}).items():
        named = setting if isinstance(setting, str) else setting.get("label")
        if named not in (None, labels[column]):
            raise ValueError(f"the column {column!r} is shown as {labels[column]!r}, not {named!r}")
        if not isinstance(setting, str):
            config[labels[column]] = setting
    return dataframe(tables.as_shown(frame, shown), formats={label: text for label, text in shown.values() if text},
                     column_config=config, **options)


def schedule_summary(summary: pd.DataFrame, held_for: str = "") -> None:
    """The optimiser's result per store (and week): status in a word, paid, required, above and uncovered
    staff-hours and wage cost (`planner.shifts` summary or a plan's `schedules`), and under it each status in full
    and the time the optimiser took. Short headers, their meaning in the help, and widths adding up to 658 px: under
    the long ones, with the status sentence in its cell, the table needed 1109 px of the 674 at 1024 px. The store
    and status are as wide as their text allows (`tables.summary_fitted_widths`): a long store id was cut at 64 px.
    `held_for`: what the statuses hold for, where the plan is out of date (`surfaces.plans.HELD_AS_MADE`)."""
    config = st.column_config
    # a plan saved before the optimal status was said in words keeps the solver's bare word in its document
    # and one saved before it was written with a comma keeps "optimal: proven best, ..."
    summary = summary.assign(status_text=summary["status_text"].replace(
        {OPTIMAL: OPTIMAL_TEXT, "optimal: proven best, every required hour covered": OPTIMAL_TEXT}))
    summary = summary.assign(status_short=tables.short_statuses(summary))
    fitted = tables.summary_fitted_widths(summary, {"store_id": "Store", "status_short": "Status"})
    dataframe(
        summary,
        column_order=["store_id", "status_short", "paid_staff_hours", "required_staff_hours", "excess_staff_hours",
                      "uncovered_staff_hours", "wage_cost"],
        column_config={
            "store_id": config.TextColumn("Store", width=fitted["store_id"],
                                          help="the store; cut when long: in full under the table"),
            "status_short": config.TextColumn(
                "Status", width=fitted["status_short"],
                help="in full under the table. optimal: proven best, every required hour covered; short: budget: "
                     "the best spread of what the budget cannot pay for (proven); short: hours left short by the "
                     "store's maximum staff or the shift rules (proven best); feasible: within x% of the best "
                     "possible, the time limit came before the proof; no schedule: the time limit came first; "
                     "infeasible: the hard rules conflict; no counts: no recommendation for its hours, nothing "
                     "scheduled; nothing needed: nothing required"),
            "paid_staff_hours": config.NumberColumn("Paid (h)", width=76, format="%.1f", help="paid staff-hours"),
            "required_staff_hours": config.NumberColumn(
                "Required (h)", width=96, format="%.0f",
                help="required staff-hours: the whole requirement, what the recommendation asks for, with any hours "
                     "that max_staff or the shift rules leave uncoverable (the sentences say how many); a schedule "
                     "covering it all pays at least this (a budget can pay less and leave hours short)"),
            "excess_staff_hours": config.NumberColumn(
                "Above (h)", width=80, format="%.1f", help="staff-hours on the floor above the requirement"),
            "uncovered_staff_hours": config.NumberColumn(
                "Short (h)", width=78, format="%.1f", help="uncovered staff-hours: the requirement not covered"),
            "wage_cost": config.NumberColumn("Wage cost", width=88, format=MONEY_COLUMN_FORMAT,
                                             help=f"the paid staff-hours at the wage per hour, {IN_CURRENCY}"),
        },
    )
    st.caption("Status in full" + (held_for + ". " if held_for else ": ") + "; ".join(f"{', '.join(tables.as_text(store) for store in stores)}: "
                                              f"{tables.as_text(text)}"
                                              for stores, text in tables.status_sentences(summary)) + ". "
               + tables.solve_time_sentence(summary) + f" Costs {IN_CURRENCY}.")


def remembered(widget: Callable, label: str, options: list | None = None, *, key: str, default,
               within: tuple[float, float] | None = None, **kwargs):
    """`widget(label, options, key=key, **kwargs)` (`st.selectbox`, a column's `multiselect`, ...; `options` left
    out for a widget without them, such as `st.text_input` or `st.toggle`), started at what it held when the user
    last left its page, else at `default`; returns its value. Streamlit forgets a widget's state once a run does not
    draw it, so going to another page and back put the Roster's store back on the first one and the Plans' stores
    back on all. A kept value no longer among `options` (another user's stores) is dropped; a list keeps the items
    still there; without `options` any value is kept, but one outside `within` (the lowest and highest a slider or
    number input allows now: a new store file can lower a store's maximum staff) is dropped, as a slider given one
    stops the page."""
    if key not in st.session_state:
        kept = st.session_state.get(KEPT_PREFIX + key)
        if options is None:
            if within is not None and kept is not None and not within[0] <= kept <= within[1]:
                kept = None
        elif isinstance(kept, list):
            kept = [item for item in kept if item in options] or None
        elif kept is not None and kept not in options:
            kept = None
        st.session_state[key] = kept if kept is not None else default
    value = widget(label, key=key, **kwargs) if options is None else widget(label, options, key=key, **kwargs)
    if key in st.session_state:
        st.session_state[KEPT_PREFIX + key] = st.session_state[key]
    return value


KEPT_PREFIX = "kept."
"""Session keys of widget values kept across pages (`remembered`): not widget keys, so Streamlit keeps them."""
