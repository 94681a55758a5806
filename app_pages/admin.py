"""Admin: the planner's users, their role and their stores or regions; add a user, change a role, disable or enable
a user, and set a password (for sign-in with the planner's own accounts). For admins only; every change is in the
audit trail.

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import data, state, tables, widgets
from planner.access.scope import ROLES
from planner.access.users import User
from planner.schemas import StoreSchema as S

SHOWN = {
    "name": ("User", None),
    "role": ("Role", None),
    "covers": ("Stores or regions", None),
    "email": ("E-mail", None),
    "state": ("State", None),
    "password": ("Password", None),
}


def render_page() -> None:
    st.title("Users")
    people = data.users()
    if people:
        widgets.labelled_table(_table(people), SHOWN, width="stretch")
    else:
        st.info("No users yet. Until sign-in is configured the app runs in single-user mode.")
    stores = data.stores(state.current_scope())
    store_ids = sorted(stores[S.store_id].astype(str)) if not stores.empty else []
    regions = sorted(set(stores[S.region].astype(str))) if not stores.empty else []
    _add_form(store_ids, regions)
    if people:
        _change_form(people, store_ids, regions)


def _table(people: list[User]) -> pd.DataFrame:
    return pd.DataFrame({
        "name": [u.name for u in people],
        "role": [u.role.replace("_", " ") for u in people],
        "covers": [u.covers_text() or "–" for u in people],
        "email": [u.email or "–" for u in people],
        "state": ["disabled" if u.disabled else "locked" if u.locked_until else "enabled" for u in people],
        "password": ["set" if u.has_password else "–" for u in people],
    })


def _add_form(store_ids: list[str], regions: list[str]) -> None:
    st.subheader("Add a user")
    with st.form(state.ADMIN_ADD_FORM, clear_on_submit=True):
        left, right = st.columns(2)
        name = left.text_input("User name", key=state.ADMIN_NAME, max_chars=200)
        role = right.selectbox("Role", ROLES, key=state.ADMIN_ROLE, format_func=_role_text)
        stores = left.multiselect("Stores (store managers)", store_ids, key=state.ADMIN_STORES)
        chosen_regions = right.multiselect("Regions (regional leads)", regions, key=state.ADMIN_REGIONS)
        email = st.text_input("E-mail (as the chain's identity provider gives it; optional)", key=state.ADMIN_EMAIL)
        if st.form_submit_button("Add user"):
            with data.errors_shown():
                added = data.add_user(User(name=name.strip(), role=role, stores=frozenset(stores),
                                           regions=frozenset(chosen_regions), email=email.strip() or None))
                st.success(tables.as_text(f"Added {added.name}: {_role_text(added.role)}, {added.covers_text()}."))


def _change_form(people: list[User], store_ids: list[str], regions: list[str]) -> None:
    st.subheader("Change a user")
    names = [u.name for u in people]
    name = st.selectbox("User", names, key=state.ADMIN_CHANGE_USER)
    user = people[names.index(name)]
    # keyed by the user: with one key for all, the form kept the user picked before (their role and stores), and
    # Save wrote them onto the user picked now
    with st.form(state.admin_change(state.ADMIN_CHANGE_FORM, user)):
        left, right = st.columns(2)
        role = left.selectbox("Role", ROLES, index=ROLES.index(user.role), format_func=_role_text,
                              key=state.admin_change(state.ADMIN_CHANGE_ROLE, user))
        stores = left.multiselect("Stores", sorted(set(store_ids) | user.stores), default=sorted(user.stores),
                                  key=state.admin_change(state.ADMIN_CHANGE_STORES, user))
        chosen_regions = right.multiselect("Regions", sorted(set(regions) | user.regions), default=sorted(user.regions),
                                           key=state.admin_change(state.ADMIN_CHANGE_REGIONS, user))
        if st.form_submit_button("Save role"):
            with data.errors_shown():
                data.set_role(user.name, role, frozenset(stores), frozenset(chosen_regions))
                st.rerun()
    left, right = st.columns(2)
    if left.button("Enable again" if user.disabled else "Disable", key=state.ADMIN_SWITCH):
        with data.errors_shown():
            data.switch_user(user.name, not user.disabled)
            st.rerun()
    password = right.text_input("New password", type="password", key=state.ADMIN_PASSWORD)
    if right.button("Set password", key=state.ADMIN_SET_PASSWORD):
        with data.errors_shown():
            data.set_password(user.name, password)
            st.success(tables.as_text(f"Password of {user.name} set."))


def _role_text(role: str) -> str:
    return role.replace("_", " ")


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
