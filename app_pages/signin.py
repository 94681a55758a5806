"""Who is using the app: the sign-in gate `app.py` runs before any page, and the sign-in page itself.

The mode is the deployment's (`PLANNER_SIGN_IN`, else `[planner] sign_in` in the secrets file; see the README):
- local: no sign-in; the app says it is in single-user mode and works with every store as the server's OS user;
- accounts: name and password from the planner's database (`planner.accounts.sign_in`); the session ends
  `session_minutes` after sign-in, or at a sign-out in any tab that holds the sign-in. The tab keeps a one-time
  ticket in its session storage (`planner.access.resume`), so that a tab Streamlit starts over (a reload, or a
  connection lost for longer than `server.disconnectedSessionTTL`: a laptop asleep) stays signed in until the
  session's end; it signed people out with no word. Closing the tab does not end the sign-in: a tab the browser
  duplicates or reopens copies the ticket, and is signed out with the others;
- oidc: the chain's identity provider through Streamlit's `st.login` (the provider's settings under `[auth]` in the
  secrets file); its e-mail or groups give the scope (`planner.accounts.OidcMapping`), and the session ends
  `session_minutes` after the provider signed the person in.

Nothing here shows a password, a hash or a secret: a refused sign-in is one of `planner.accounts`' sentences.
"""

from __future__ import annotations

import os
import secrets as random_tokens
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import streamlit as st

from app_pages import data, state, tables, widgets
from planner import accounts
from planner.access.actor import os_user
from planner.access.resume import NotResumed, ResumeTickets
from planner.access.scope import ADMIN, MANAGE_USERS, PLANNER, Scope, page_for_roles
from planner.access.users import NoSuchUser
from planner.access.throttle import AddressThrottle
from planner.errors import PlannerError
from planner.settings import SignInRules
from planner.storage import users_store
from planner.surfaces import navigation as navigation_words, users as users_words
from planner.surfaces.signin import (
    LOCAL_NOTE, NOT_RESUMED, SIGNED_OUT_ELSEWHERE, SIGNING_YOU_IN, TICKET_LAPSED, USED_IN_ANOTHER_TAB,
)

ADMIN_PAGE = "app_pages/admin.py"

SEE_THE_DATABASE = (PLANNER, ADMIN)
"""The roles whose sidebar says which database the app works on (`database_note`)."""
TAB_MEMORY_JS = """
export default function ({ data, setTriggerValue }) {
  const key = "planner.sign_in";
  if (data && data.keep) { window.sessionStorage.setItem(key, data.keep); }
  if (data && data.forget) { window.sessionStorage.removeItem(key); }
  if (data && data.ask) { setTriggerValue("held", window.sessionStorage.getItem(key) || ""); }
}
"""
"""The tab's memory of its sign-in: session storage, which lasts as long as the tab (a reload included) and is the
tab's own. It keeps the ticket it is given, forgets it when told, and says what it holds when asked."""
_tab_memory = st.components.v2.component("planner_sign_in_tab", js=TAB_MEMORY_JS)
NO_AUTH_SECTION = ("the sign-in mode is oidc, but the [auth] settings are missing from .streamlit/secrets.toml: add "
                   "the [auth] table the README shows (redirect_uri, cookie_secret, client_id, client_secret, "
                   "server_metadata_url), or set PLANNER_SIGN_IN to accounts or local")


def rules() -> SignInRules:
    """The deployment's sign-in rules (environment over the secrets file over the defaults)."""
    return accounts.sign_in_config(os.environ, secrets())


def secrets() -> Mapping[str, object]:
    """The secrets file as plain values ({} when there is none)."""
    return st.secrets.to_dict() if st.secrets.load_if_toml_exists() else {}


def session_scope(chosen: SignInRules) -> Scope | None:
    """The signed-in person's scope, or None when nobody is signed in (then `sign_in_page` runs instead)."""
    if chosen.mode == "local":
        return Scope.everything(user=os_user())
    if chosen.mode == "accounts":
        session = st.session_state.get(state.SESSION)
        if not isinstance(session, accounts.Session):
            return None
        if session.expired():
            _signed_out(f"Your session ended after {chosen.session_minutes:g} minutes: sign in again.")
            return None
        # the account as it is now, on every page run: a user disabled while signed in kept working (an import
        # was recorded after "user ana disabled"), and a new role or store list waited for the next sign-in
        try:
            now = accounts.user_scope(data.engine(data.database_url()), session.scope.user)
        except NoSuchUser:
            _signed_out("Your account was disabled: ask an admin.")
            return None
        # a sign-out in another tab holding this sign-in (a duplicated or restored tab copies the tab's ticket) ends
        # it here too: the copy stayed signed in, and resumed, until the session's end
        if not _tickets().live(session.sign_in_id):
            _signed_out(SIGNED_OUT_ELSEWHERE)
            return None
        if now != session.scope:
            st.session_state[state.SESSION] = replace(session, scope=now)
        return now
    return _oidc_scope(chosen)


def sign_in_page() -> None:
    """The only page shown until someone signs in."""
    chosen = rules()
    typed = st.session_state.pop(state.SIGN_IN_TYPED, "")  # before anything can rerun: never left in the session
    if chosen.mode == "accounts" and not _resume_from_tab(chosen):
        # the tab has not said yet whether it holds a sign-in: a reload showed the form for over a second before the
        # session came back on its own, and people typed their password again
        st.caption(SIGNING_YOU_IN)
        return
    st.title("Sign in")
    note = st.session_state.pop(state.SIGN_IN_NOTE, None)
    if note:
        st.info(note)
    if chosen.mode == "oidc":
        st.write("Sign in with your account at the chain.")
        if st.button("Sign in", key=state.SIGN_IN_OIDC, type="primary"):
            st.login(_oidc_settings().get("provider"))
        return
    if not users_store.has_users(data.engine(data.database_url())):
        st.warning("Nobody has an account yet. On the server: `python -m planner users add NAME --role admin`, then "
                   "`python -m planner users set-password NAME`.")
    with st.form(state.SIGN_IN_FORM):
        # the browser's password manager fills the saved password: Streamlit marks a password field "new-password",
        # which has it offer to make up a new one
        name = st.text_input("User name", key=state.SIGN_IN_NAME, max_chars=200, autocomplete="username")
        st.text_input("Password", type="password", key=state.SIGN_IN_PASSWORD, max_chars=1000,
                      autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary", on_click=_take_password)
    if submitted:
        with data.errors_shown():
            try:
                session = accounts.sign_in(data.engine(data.database_url()), name.strip(), typed, chosen,
                                           address=st.context.ip_address, throttle=_address_throttle(chosen))
            except accounts.SignInRefused as refused:
                st.error(tables.as_text(refused))
            else:
                st.session_state[state.SESSION] = session
                st.session_state[state.SIGN_IN_TICKET] = _tickets().issue(session.sign_in_id, session,
                                                                                 session.expires_at)
                st.rerun()


def _take_password() -> None:
    """The form was sent: its password leaves the field for `state.SIGN_IN_TYPED`, which `sign_in_page` takes in the
    run this starts. The field is drawn empty after every try: a refused sign-in's page held the typed password in
    its HTML (a form keeps its fields' values), and a signed-in session kept it in its state. Only a callback may
    set a drawn widget's value, before the run draws it again; the name stays, as sign-in forms keep it."""
    st.session_state[state.SIGN_IN_TYPED] = st.session_state.get(state.SIGN_IN_PASSWORD, "")
    st.session_state[state.SIGN_IN_PASSWORD] = ""


@st.cache_resource(show_spinner=False)
def _tickets() -> ResumeTickets[accounts.Session]:
    """The tickets of the signed-in tabs, for the whole server process (every session redeems from it)."""
    return ResumeTickets()


@st.cache_resource(show_spinner=False)
def _address_throttle(chosen: SignInRules) -> AddressThrottle:
    """One count of failed sign-ins per address for the whole server process (every session shares it)."""
    return accounts.address_throttle(chosen)


def database_note(scope: Scope) -> None:
    """Where the chain's data is, passwords hidden (`data.database_label`), in the sidebar of those who run the
    planning: planners and admins, and one person on their own machine (single-user mode is an admin's scope). Every
    role read it: a store manager and a regional lead were shown the database's file or server."""
    if scope.role in SEE_THE_DATABASE:
        st.sidebar.caption(f"Database: {tables.as_text(data.database_label())}")


def sidebar(scope: Scope, chosen: SignInRules) -> None:
    """Who is signed in, in which role, and the way out; or the single-user note."""
    if chosen.mode == "local":
        st.sidebar.caption(LOCAL_NOTE.format(user=tables.as_text(scope.user)))
        return
    st.sidebar.caption(f"Signed in as {tables.as_text(scope.user)} ({scope.role.replace('_', ' ')})")
    _alone_note(scope)
    if st.sidebar.button("Sign out", key=state.SIGN_OUT):
        if chosen.mode == "oidc":
            st.logout()
        _signed_out(None)
        st.rerun()
    ticket = st.session_state.get(state.SIGN_IN_TICKET)
    if ticket:  # on every run: a resumed session's tab is handed the next ticket
        with st.sidebar:
            _tab_memory(key=_tab_key(), data={"keep": ticket}, height=0)


def _alone_note(scope: Scope) -> None:
    """Where to add users, for an admin who is the chain's only user: their first page (Plans) said nothing of it."""
    if not scope.may(MANAGE_USERS):
        return
    if [user.name for user in data.users()] == [scope.user]:
        st.sidebar.caption(users_words.ALONE)
        st.sidebar.page_link(ADMIN_PAGE, label=navigation_words.USERS, icon=":material/group:")


def page_not_yours(title: str, action: str) -> Callable[[], None]:
    """The stand-in at the address of a page that the signed-in role may not use (/audit for a regional lead): the
    role's own page (`widgets.LANDING_PAGES`), where the address landed with no word of why, now under the reason
    (`planner.access.scope.page_for_roles`, named from the roles that may `action`)."""
    def stand_in() -> None:
        role = state.current_scope().role
        st.session_state[state.PAGE_NOT_YOURS] = page_for_roles(title, action, role)
        st.switch_page(widgets.LANDING_PAGES[role])

    return stand_in


def page_not_yours_note() -> None:
    """Say once, above the page, why the address opened showed it instead (`page_not_yours`)."""
    said = st.session_state.pop(state.PAGE_NOT_YOURS, None)
    if said:
        st.info(said, icon=":material/lock:")


# --- helpers -------------------------------------------------------------------------------------------------------


def _signed_out(note: str | None) -> None:
    """End the own-account sign-in: none of its tickets resumes anything, every other tab holding it is signed out at
    its next run (`session_scope`), this tab is told to forget its ticket (`_resume_from_tab`), and the sign-in page
    says `note`."""
    st.session_state.pop(state.SIGN_IN_TICKET, None)
    session = st.session_state.pop(state.SESSION, None)
    if isinstance(session, accounts.Session):
        _tickets().revoke(session.sign_in_id)
    st.session_state[state.SIGN_IN_TAB_FORGET] = True
    if note:
        st.session_state[state.SIGN_IN_NOTE] = note


def _resume_from_tab(chosen: SignInRules) -> bool:
    """A session Streamlit started over for a signed-in tab (a reload, a connection lost for longer than its
    disconnectedSessionTTL) signs in again with the tab's ticket, to the session's old end; a ticket that no longer
    stands for a sign-in is said in words, true to why (`NOT_RESUMED`: the sign-in ended; `USED_IN_ANOTHER_TAB`: a
    copy of the tab used the ticket, and the sign-in stands there; `TICKET_LAPSED`: the ticket was used and
    the next never came back, or a copy holds it), and the tab forgets it. Asked once per session:
    the tab answers with a rerun, and a tab holding no ticket (a new one) then shows the form alone. False while the
    tab has not answered: whether a sign-in comes back is not known yet."""
    forget = st.session_state.pop(state.SIGN_IN_TAB_FORGET, False)
    ask = not st.session_state.get(state.SIGN_IN_TAB_ASKED, False)
    if not (forget or ask):
        return True
    held = _tab_memory(key=_tab_key(), data={"forget": forget, "ask": ask}, height=0, on_held_change=_answered).held
    if held is None:  # not asked, or not answered yet
        return not ask
    st.session_state[state.SIGN_IN_TAB_ASKED] = True
    if not held:
        return True
    redeemed = _tickets().redeem(str(held))
    if redeemed in (NotResumed.SPENT, NotResumed.LAPSED):  # the sign-in stands, not in this tab: it has not ended
        st.session_state[state.SIGN_IN_NOTE] = USED_IN_ANOTHER_TAB if redeemed is NotResumed.SPENT else TICKET_LAPSED
        st.session_state[state.SIGN_IN_TAB_FORGET] = True
    elif redeemed is NotResumed.ENDED:
        st.session_state[state.SIGN_IN_NOTE] = NOT_RESUMED.format(minutes=chosen.session_minutes)
        st.session_state[state.SIGN_IN_TAB_FORGET] = True
    else:
        st.session_state[state.SESSION], st.session_state[state.SIGN_IN_TICKET] = redeemed
    st.rerun()


def _tab_key() -> str:
    """The tab memory's key, new with each session: the browser kept the element of the session before (the same key
    and the same question) and did not ask the tab again, so a tab Streamlit started over as its page was running
    stayed on the sign-in form."""
    return f"{state.SIGN_IN_TAB}.{st.session_state.setdefault(state.SIGN_IN_TAB_NONCE, random_tokens.token_hex(8))}"


def _answered() -> None:
    """The tab said what it holds: read by `_resume_from_tab` in the run this starts."""


def _oidc_scope(chosen: SignInRules) -> Scope | None:
    # Streamlit gives st.user an is_logged_in only when the secrets hold an [auth] table; without one, reading it
    # raised AttributeError and the page said only that something went wrong
    if "is_logged_in" not in st.user:
        raise PlannerError(NO_AUTH_SECTION)
    if not st.user.is_logged_in:
        return None
    claims = st.user.to_dict()
    signed_in_at = claims.get("iat")
    if isinstance(signed_in_at, int | float):
        ends = datetime.fromtimestamp(signed_in_at, UTC) + timedelta(minutes=chosen.session_minutes)
        if datetime.now(UTC) >= ends:
            st.session_state[state.SIGN_IN_NOTE] = (f"Your session ended after {chosen.session_minutes:g} minutes: "
                                                    "sign in again.")
            st.logout()
            return None
    try:
        return accounts.scope_from_identity(data.engine(data.database_url()), claims,
                                            accounts.oidc_mapping(secrets()))
    except PlannerError as refused:  # the provider's e-mail is in the sentence: shown as text, never as markdown
        st.error(tables.as_text(refused))
        if st.button("Sign out", key=state.SIGN_OUT):
            st.logout()
        st.stop()


def _oidc_settings() -> Mapping[str, object]:
    planner = secrets().get(accounts.SECRETS_SECTION)
    oidc = planner.get("oidc") if isinstance(planner, Mapping) else None
    return oidc if isinstance(oidc, Mapping) else {}
