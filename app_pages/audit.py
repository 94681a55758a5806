"""Audit: who imported, planned, published, re-planned and changed the settings or the users, and when; for planners
and admins, filtered by store, by date (UTC) and by kind of change (sign-ins left out until asked for).

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from app_pages import data, state, tables, widgets
from planner.storage import audit
from planner.surfaces.audit import AUDIT_INCLUDE_SIGN_INS, AUDIT_KINDS, AUDIT_NO_KIND_PICKED, sign_ins_left_out

ALL_STORES = "All stores"
DEFAULT_DAYS = 30  # the trail opens on the last 30 days
SHOWN = {
    "at": ("When (UTC)", None),
    "actor": ("Who", None),
    "action": ("What", None),
    "stores_short": ("Stores", None),
    "summary": ("Details", None),
}
FILE_COLUMNS = {"at": "When (UTC)", "actor": "Who", "action": "What", "stores": "Stores", "summary": "Details"}
# Widths adding up to 640 px beside the row picker's 34 of the 674 at 1024 px: with the details 400 px wide and every
# store listed ("S01, S02, … S09"), the trail needed 912 px. The details come last, cut where they must, and are read
# in full by picking the row; every store is listed there too, and in the CSV.
WIDTHS = {"at": 124, "actor": 72, "action": 72, "stores_short": 76, "summary": 296}
# The stores are as wide as their text out of the room they share with the details, which become no narrower than
# this: at 76 px the grid cut "S00-BERLIN-MITT…-0000001" (a long id as the labels cut it) to its first nine. It leaves
# the widest stores a cell holds (24 characters and " +999") their width; the details are read in full by picking
# the row.
DETAILS_LEAST_PX = 136
HELP = {"actor": "who made the change: the signed-in person, or the name a command ran as",
        "stores_short": "the stores the change touched: the first and how many more (S01 +8); every one when the row "
                        "is picked, and in the CSV",
        "summary": "in full when the row is picked"}


def render_page() -> None:
    st.title("Audit trail")
    st.caption("Every import (file, sha256, rows added and replaced), plan, publish, re-plan, settings change and "
               "user change, with who made it and when.")
    stores = data.stores(state.current_scope())
    choices = [ALL_STORES, *sorted(stores["store_id"].astype(str))] if not stores.empty else [ALL_STORES]
    today = datetime.now(UTC).date()
    left, middle, right = st.columns(3)
    store = left.selectbox("Store", choices, key=state.AUDIT_STORE)
    since = middle.date_input("From", value=today - timedelta(days=DEFAULT_DAYS), key=state.AUDIT_SINCE)
    until = right.date_input("To", value=today, key=state.AUDIT_UNTIL)
    if since > until:  # "Nothing recorded" would read as a quiet fortnight
        st.warning(f"From ({since:%d %b %Y}) is after To ({until:%d %b %Y}): no day lies between them.",
                   icon=":material/event_busy:")
        return
    store_id = None if store == ALL_STORES else store
    recorded = data.audit_kinds(store_id, since, until)
    if not recorded:
        st.info("Nothing recorded for that store and those dates.")
        return
    kinds = _kinds_picked(recorded)
    if not kinds:
        st.info(AUDIT_NO_KIND_PICKED)
        return
    trail = data.audit_trail(store_id, since, until, kinds)
    trail = trail.assign(at=trail["at"].dt.strftime("%Y-%m-%d %H:%M")).reset_index(drop=True)
    st.caption("Pick a row to read its details in full below the table.")
    shown = trail.assign(stores_short=[tables.stores_short(stores) for stores in trail["stores"]])
    room = WIDTHS["stores_short"] + WIDTHS["summary"]
    stores_px = min(max(WIDTHS["stores_short"], tables.text_px(shown["stores_short"])), room - DETAILS_LEAST_PX)
    widths = {**WIDTHS, "stores_short": stores_px, "summary": room - stores_px}
    picked = widgets.labelled_table(
        shown, SHOWN, width="stretch", on_select="rerun", selection_mode="single-row", key=state.AUDIT_ROW,
        column_config={column: st.column_config.Column(SHOWN[column][0], width=width, help=HELP.get(column))
                       for column, width in widths.items()})
    st.download_button(
        "Audit trail, every store (CSV)", data=tables.csv_text(trail[list(FILE_COLUMNS)].rename(columns=FILE_COLUMNS)),
        file_name="audit_trail.csv", mime="text/csv", key=state.AUDIT_DOWNLOAD, on_click="ignore",
        icon=":material/download:", help="The entries listed, each with every store it touched and its details.")
    rows = picked.selection.rows if picked is not None else []
    if rows:  # a sentence longer than its cell (a settings change, a role) read "user ana: regional lead, stores S0…"
        entry = trail.iloc[rows[0]]
        touched = f" (stores {entry['stores']})" if entry["stores"] else ""
        st.info(tables.as_text(f"{entry['at']} UTC, {entry['actor']}, {entry['action']}: {entry['summary']}"
                               f"{touched}"), icon=":material/info:")


def _kinds_picked(recorded: dict[str, int]) -> list[str]:
    """The kinds of change to list, picked of those `recorded` (with their counts); sign-ins left out until asked
    for, saying how many."""
    left_out = st.session_state.setdefault(state.AUDIT_LEFT_OUT, audit.LEFT_OUT_AT_FIRST)
    st.session_state[state.AUDIT_KINDS] = audit.kinds_shown(recorded, left_out)
    kinds = st.multiselect(AUDIT_KINDS, list(recorded), key=state.AUDIT_KINDS, on_change=_kinds_changed,
                           args=(list(recorded),))
    if audit.SIGN_IN in recorded and audit.SIGN_IN not in kinds:
        said, include = st.columns([3, 1], vertical_alignment="center")
        said.caption(sign_ins_left_out(recorded[audit.SIGN_IN]))
        include.button(AUDIT_INCLUDE_SIGN_INS, key=state.AUDIT_WITH_SIGN_INS, on_click=_include_sign_ins,
                       icon=":material/login:")
    return kinds


def _kinds_changed(offered: list[str]) -> None:
    st.session_state[state.AUDIT_LEFT_OUT] = audit.left_out_after(
        offered, st.session_state[state.AUDIT_KINDS], st.session_state[state.AUDIT_LEFT_OUT])


def _include_sign_ins() -> None:
    st.session_state[state.AUDIT_LEFT_OUT] = st.session_state[state.AUDIT_LEFT_OUT] - {audit.SIGN_IN}


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
