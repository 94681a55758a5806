"""Audit: who imported, planned, published, re-planned and changed the settings or the users, and when; for planners
and admins, filtered by store and by date (UTC).

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from app_pages import data, state, tables, widgets

ALL_STORES = "All stores"
DEFAULT_DAYS = 30  # the trail opens on the last 30 days
SHOWN = {
    "at": ("When (UTC)", None),
    "actor": ("Who", None),
    "action": ("What", None),
    "summary": ("Details", None),
    "stores": ("Stores", None),
}


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
    trail = data.audit_trail(None if store == ALL_STORES else store, since, until)
    if trail.empty:
        st.info("Nothing recorded for that store and those dates.")
        return
    trail = trail.assign(at=trail["at"].dt.strftime("%Y-%m-%d %H:%M")).reset_index(drop=True)
    st.caption("Pick a row to read its details in full below the table.")
    picked = widgets.labelled_table(trail, SHOWN, width="stretch", on_select="rerun", selection_mode="single-row",
                                    key=state.AUDIT_ROW,
                                    column_config={"summary": st.column_config.TextColumn("Details", width="large")})
    rows = picked.selection.rows if picked is not None else []
    if rows:  # a sentence longer than its cell (a settings change, a role) read "user ana: regional lead, stores S0…"
        entry = trail.iloc[rows[0]]
        st.info(tables.as_text(f"{entry['at']} UTC, {entry['actor']}, {entry['action']}: {entry['summary']}"),
                icon=":material/info:")


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
