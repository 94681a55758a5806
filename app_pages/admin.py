"""Admin: the planner's users, their role and their stores or regions; add a user, change a role, disable or enable
a user, and set a password (for sign-in with the planner's own accounts). For admins only; every change is in the
audit trail.

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import data, signin, state, tables, widgets
from planner.access.scope import REGIONAL_LEAD, ROLES, STORE_MANAGER
from planner.access.users import User
from planner.schemas import StoreSchema as S
from planner.surfaces import users as words

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
        table = _table(people)
        widgets.labelled_table(table, SHOWN, width="stretch", column_config=tables.user_column_config(
            table, {column: label for column, (label, _) in SHOWN.items()}))
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
    added_text = st.session_state.pop(state.ADMIN_ADDED, None)
    # not cleared on submit: a refused form keeps what was typed, to mend the one missing field; once a user is
    # added, the next round's form is a new one, empty (the browser kept a form's values when only its state went)
    key = lambda name: state.admin_round(name, st.session_state.get(state.ADMIN_ROUND, 0))  # noqa: E731
    with st.form(key(state.ADMIN_ADD_FORM)):
        left, right = st.columns(2)
        name = left.text_input("User name", key=key(state.ADMIN_NAME), max_chars=200)
        role = right.selectbox("Role", ROLES, key=key(state.ADMIN_ROLE), format_func=_role_text)
        stores = left.multiselect("Stores (store managers)", store_ids, key=key(state.ADMIN_STORES))
        chosen_regions = right.multiselect("Regions (regional leads)", regions, key=key(state.ADMIN_REGIONS))
        email = st.text_input("E-mail (as the chain's identity provider gives it; optional)",
                              key=key(state.ADMIN_EMAIL))
        if st.form_submit_button("Add user"):
            with data.errors_shown():
                added = data.add_user(User(name=name.strip(), role=role, stores=frozenset(stores),
                                           regions=frozenset(chosen_regions), email=email.strip() or None))
                state.next_admin_round()
                st.session_state[state.ADMIN_ADDED] = tables.as_text(words.added(
                    added.name, _role_text(added.role), added.covers_text(), signin.rules().mode, added.email))
                st.session_state[state.ADMIN_CHANGE_USER] = added.name  # the next step is theirs (a password)
                st.rerun()
    if added_text:
        st.success(added_text)


def _change_form(people: list[User], store_ids: list[str], regions: list[str]) -> None:
    st.subheader("Change a user")
    names = [u.name for u in people]
    if st.session_state.get(state.ADMIN_CHANGE_USER) not in (None, *names):  # gone since (another admin's change)
        st.session_state.pop(state.ADMIN_CHANGE_USER)
    # nobody chosen at first: the box stood on the admin herself, with Disable beside her name
    name = st.selectbox("User", names, key=state.ADMIN_CHANGE_USER, index=None, placeholder=words.CHOOSE_USER)
    if name is None:
        return
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
                kept, dropped = _stores_kept(user, role, frozenset(stores), frozenset(chosen_regions))
                changed = data.set_role(user.name, role, kept, frozenset(chosen_regions))
                st.session_state[state.ADMIN_CHANGED] = tables.as_text(
                    f"{changed.name} is now a {_role_text(changed.role)}: {changed.covers_text()}."
                    + (f" Their stores as a store manager ({', '.join(sorted(dropped))}) were dropped: a regional "
                       "lead sees the stores of their regions; name stores again to add them." if dropped else ""))
                st.rerun()
    changed_text = st.session_state.pop(state.ADMIN_CHANGED, None)
    if changed_text:
        st.success(changed_text)
    left, right = st.columns(2)
    if left.button("Enable again" if user.disabled else "Disable", key=state.ADMIN_SWITCH):
        with data.errors_shown():
            switched = data.switch_user(user.name, not user.disabled)
            st.session_state[state.ADMIN_CHANGED] = tables.as_text(
                f"{switched.name} is disabled: they cannot sign in." if switched.disabled
                else f"{switched.name} is enabled again: {_role_text(switched.role)}, {switched.covers_text()}.")
            st.rerun()
    # a form of the user's own, emptied when sent: a password typed for one user stayed in the field, and Set
    # password gave it to the next user picked
    field = state.admin_round(state.admin_change(state.ADMIN_PASSWORD, user), st.session_state.get(state.ADMIN_ROUND, 0))
    set_text = st.session_state.pop(state.ADMIN_PASSWORD_SET, None)
    with right.form(state.admin_change(state.ADMIN_PASSWORD_FORM, user), border=False):
        password = st.text_input("New password", type="password", key=field)
        if st.form_submit_button(words.SET_PASSWORD):
            with data.errors_shown():
                data.set_password(user.name, password)
                state.next_admin_round()  # a new, empty field once the password is set
                st.session_state[state.ADMIN_PASSWORD_SET] = tables.as_text(f"Password of {user.name} set.")
                st.rerun()
    if set_text:
        right.success(set_text)


def _stores_kept(user: User, role: str, stores: frozenset[str], regions: frozenset[str]
                 ) -> tuple[frozenset[str], frozenset[str]]:
    """The stores to save, and those dropped: a store manager made a regional lead of some regions leaves the stores
    they managed behind when the form still shows them as they were (kept, the lead saw those stores outside their
    regions without a word)."""
    if user.role == STORE_MANAGER and role == REGIONAL_LEAD and regions and stores == user.stores:
        return frozenset(), stores
    return stores, frozenset()


def _role_text(role: str) -> str:
    return role.replace("_", " ")


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
