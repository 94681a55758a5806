"""Sign-in in the app (streamlit's AppTest): single-user mode says so and needs no account; with the planner's own
accounts nothing but the sign-in page shows until a right password, the pages follow the role, the session carries
the user's scope and ends after the configured minutes; the Admin and Audit pages do what they say.

The browser tests (tests/test_browser.py) sign in through a real browser, with accounts and with OpenID Connect."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import pandas as pd
from streamlit.testing.v1 import AppTest

from app_pages import admin, signin, state, tables
from planner import accounts, storage
from planner.access.resume import NotResumed
from planner.access.scope import Scope
from planner.accounts import Session
from planner.settings import DATABASE_URL_ENV, SIGN_IN_ENV, Settings, SignInRules
from planner.surfaces.signin import SIGNED_OUT_ELSEWHERE, SIGNING_YOU_IN

from conftest import ROOT

APP = str(ROOT / "app.py")
TIMEOUT_SECONDS = 90
PASSWORD = "correct horse battery staple"
ROOT_SCOPE = Scope.everything("root")


@pytest.fixture
def chain(sample_url, monkeypatch):
    """The sample in a fresh database, with a store manager of S01 (ana, with her e-mail) and an admin (pia), both
    with passwords."""
    url = sample_url
    engine = storage.connect(Settings(database_url=url))
    from planner.access.users import User

    accounts.add_user(engine, ROOT_SCOPE, User("ana", "store_manager", stores=frozenset({"S01"}),
                                               email="ana@chain.example"))
    accounts.add_user(engine, ROOT_SCOPE, User("pia", "admin"))
    for name in ("ana", "pia"):
        accounts.set_password(engine, ROOT_SCOPE, name, PASSWORD, SignInRules())
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    yield engine
    engine.dispose()


class _Tab:
    """The browser tab's memory of its sign-in (`signin._tab_memory`), which AppTest has no browser to run: it answers
    when asked, at once, holding `held` ("" for nothing), or not yet (`held` None), as a tab does while its answer
    is on the way."""

    def __init__(self) -> None:
        self.held: str | None = ""
        self.asked = 0

    def __call__(self, *, key: str, data: dict, **options):
        self.asked += bool(data.get("ask"))
        return type("Answer", (), {"held": self.held if data.get("ask") else None})()


@pytest.fixture(autouse=True)
def tab(monkeypatch) -> _Tab:
    answering = _Tab()
    monkeypatch.setattr(signin, "_tab_memory", answering)
    return answering


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).run()


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key=state.SIGN_IN_NAME).input(name)
    at.text_input(key=state.SIGN_IN_PASSWORD).input(password)
    return at.button[0].click().run()


def _signed_in_as(chain, monkeypatch, role: str) -> AppTest:
    """The app with sign-in on, signed in as "lee" of `role` (a regional lead of North, a store manager of S01)."""
    from planner.access.users import User

    accounts.add_user(chain, ROOT_SCOPE, User("lee", role, regions=frozenset({"North"}) if role == "regional_lead"
                                              else frozenset(), stores=frozenset({"S01"}) if role == "store_manager"
                                              else frozenset()))
    accounts.set_password(chain, ROOT_SCOPE, "lee", PASSWORD, SignInRules())
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    return _sign_in(_app(), "lee", PASSWORD)


def _navigation(at: AppTest) -> list[str]:
    """The pages the router offers (their titles), as AppTest recorded them from `st.navigation`."""
    registered = at._registered_pages.values()
    return [info["page_name"] for info in registered if info.get("script_path") and info["page_name"]]


def test_local_mode_needs_no_account_and_says_it_is_single_user(chain, monkeypatch):
    monkeypatch.delenv(SIGN_IN_ENV, raising=False)
    at = _app()
    assert not at.exception and not at.error
    assert any(c.value.startswith("Single-user mode: no sign-in.") for c in at.sidebar.caption)
    assert at.session_state[state.SCOPE_KEY].role == "admin"
    assert {"Upload", "Compare stores", "Schedule", "Settings", "Audit", "Users"} <= set(_navigation(at))


def test_accounts_show_only_the_sign_in_page_until_a_right_password(chain, monkeypatch):
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    at = _app()
    assert at.title[0].value == "Sign in" and _navigation(at) == []
    _sign_in(at, "ana", "not the password")
    assert [e.value for e in at.error] == [accounts.WRONG]
    assert state.SCOPE_KEY not in at.session_state
    _sign_in(at, "ana", PASSWORD)
    assert not at.exception and not at.error
    assert at.session_state[state.SCOPE_KEY] == Scope("ana", "store_manager", stores=frozenset({"S01"}))
    # no Compare, Audit, Users; Settings to read (the pages point to it for the targets)
    assert _navigation(at) == ["Upload", "Observations", "My store", "Schedule", "Plans", "Roster", "Settings"]
    at.switch_page("app_pages/settings.py").run()
    assert not at.exception and any(box.value.startswith("Only planners change") for box in at.info)
    assert "Signed in as ana (store manager)" in [c.value for c in at.sidebar.caption]


class _AddressMadeToWait:
    """A throttle under which every address waits three minutes (`signin._address_throttle` in its place)."""

    def wait_for(self, address: str | None) -> timedelta:
        return timedelta(minutes=3)

    def failed(self, address: str | None) -> None:
        raise AssertionError("a throttled address is refused before any password is checked")


@pytest.mark.parametrize("refusal, said", [
    ("wrong password", accounts.WRONG),
    ("account locked", "too many wrong passwords: this account is locked for 15 more minutes"),
    ("address throttled", "too many failed sign-ins from your network address: try again in 3 minutes"),
])
def test_a_refused_sign_in_empties_the_password_field_and_keeps_the_name(chain, monkeypatch, refusal, said):
    """The walk: after a refused sign-in the page's HTML still held the typed password in the password field (the
    form kept the widget's value), for anyone at the screen or the browser's page cache to read. The field is empty
    after every refusal, the name stays as login forms keep it, and the refusal is said."""
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    typed = "not the password" if refusal == "wrong password" else PASSWORD
    if refusal == "account locked":
        for _ in range(SignInRules().max_failed_attempts):
            with pytest.raises(accounts.SignInRefused):
                accounts.sign_in(chain, "pia", "a guess", SignInRules())
    if refusal == "address throttled":
        monkeypatch.setattr(signin, "_address_throttle", lambda chosen: _AddressMadeToWait())
    at = _sign_in(_app(), "pia", typed)
    assert not at.exception
    assert [e.value for e in at.error] == [tables.as_text(said)]
    assert at.text_input(key=state.SIGN_IN_PASSWORD).value == ""
    assert at.text_input(key=state.SIGN_IN_NAME).value == "pia"
    assert state.SCOPE_KEY not in at.session_state


def test_a_right_password_is_not_kept_in_the_session(chain, monkeypatch):
    """Signed in, the session holds the person's scope and sign-in, never the password they typed."""
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    at = _sign_in(_app(), "pia", PASSWORD)
    assert at.session_state[state.SCOPE_KEY].user == "pia"
    kept = [key for key in at.session_state if at.session_state[key] == PASSWORD]
    assert kept == [] and at.session_state[state.SIGN_IN_PASSWORD] == ""


def test_the_sign_in_form_asks_the_browser_for_the_saved_password_not_a_new_one(chain, monkeypatch):
    """The walk: the sign-in form's password field was marked autocomplete="new-password" (Streamlit's default for a
    password field), so a browser offered to make up a new password instead of filling the saved one; the name
    field is the account's "username" for the password manager to pair with it."""
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    at = _app()
    assert at.text_input(key=state.SIGN_IN_NAME).proto.autocomplete == "username"
    assert at.text_input(key=state.SIGN_IN_PASSWORD).proto.autocomplete == "current-password"


def test_a_user_disabled_or_moved_while_signed_in_is_so_at_the_next_page_run(chain, monkeypatch):
    """An admin disabled ana while she was signed in, and she went on importing (recorded after "user ana
    disabled"); a new store list waited for her next sign-in."""
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    at = _sign_in(_app(), "ana", PASSWORD)
    assert at.session_state[state.SCOPE_KEY].stores == frozenset({"S01"})
    accounts.set_role(chain, ROOT_SCOPE, "ana", "store_manager", stores=frozenset({"S02"}))
    at.run()
    assert at.session_state[state.SCOPE_KEY] == Scope("ana", "store_manager", stores=frozenset({"S02"}))
    _, copy_ticket = signin._tickets().redeem(at.session_state[state.SIGN_IN_TICKET])  # a copy of the tab resumed
    accounts.disable_user(chain, ROOT_SCOPE, "ana")
    at.run()
    assert at.title[0].value == "Sign in" and _navigation(at) == []
    assert any(box.value == "Your account was disabled: ask an admin." for box in at.info)
    assert signin._tickets().redeem(copy_ticket) is NotResumed.ENDED  # the sign-in ended, in every tab holding it


def test_a_session_ends_after_the_configured_minutes(chain, monkeypatch):
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    at = _sign_in(_app(), "pia", PASSWORD)
    assert at.session_state[state.SCOPE_KEY].user == "pia"
    session: Session = at.session_state[state.SESSION]
    assert session.expires_at - session.signed_in_at == timedelta(minutes=SignInRules().session_minutes)
    at.session_state[state.SESSION] = replace(session, signed_in_at=session.signed_in_at - timedelta(days=1),
                                              expires_at=datetime.now(UTC) - timedelta(seconds=1))
    ticket = at.session_state[state.SIGN_IN_TICKET]  # what the tab holds to resume the sign-in after a reload
    at.run()
    assert at.title[0].value == "Sign in" and _navigation(at) == []
    assert at.info[0].value.startswith("Your session ended after 480 minutes")
    assert signin._tickets().redeem(ticket) is NotResumed.ENDED  # the tab's ticket ended with the session


def test_signing_out_revokes_the_tabs_ticket(chain, monkeypatch):
    """A tab keeps a ticket to stay signed in across a reload or a lost connection: a sign-out leaves it nothing."""
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    at = _sign_in(_app(), "pia", PASSWORD)
    ticket = at.session_state[state.SIGN_IN_TICKET]
    at.sidebar.button(key=state.SIGN_OUT).click().run()
    assert at.title[0].value == "Sign in" and state.SIGN_IN_TICKET not in at.session_state
    assert signin._tickets().redeem(ticket) is NotResumed.ENDED


def test_signing_out_in_one_tab_signs_out_a_copy_of_it_at_its_next_run(chain, monkeypatch):
    """A duplicated (or reopened) tab copies the first tab's ticket and resumes the sign-in with it; a sign-out in the
    first tab revoked only the first tab's own, spent ticket, so the copy stayed signed in until the session's end."""
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    first = _sign_in(_app(), "pia", PASSWORD)
    redeemed = signin._tickets().redeem(first.session_state[state.SIGN_IN_TICKET])  # what the copy's start-over does
    assert isinstance(redeemed, tuple)
    copy = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    copy.session_state[state.SESSION], copy.session_state[state.SIGN_IN_TICKET] = redeemed
    copy.run()
    assert copy.session_state[state.SCOPE_KEY].user == "pia" and "Upload" in _navigation(copy)
    copy_ticket = copy.session_state[state.SIGN_IN_TICKET]
    first.sidebar.button(key=state.SIGN_OUT).click().run()
    assert first.title[0].value == "Sign in"
    copy.run()
    assert not copy.exception and copy.title[0].value == "Sign in" and _navigation(copy) == []
    assert [box.value for box in copy.info] == [SIGNED_OUT_ELSEWHERE]
    assert signin._tickets().redeem(copy_ticket) is NotResumed.ENDED


def test_the_admin_page_asks_for_a_user_name_in_words_when_the_field_is_empty(chain, monkeypatch):
    """Add user with the name left empty said "'' is not a user name"."""
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    at = _sign_in(_app(), "pia", PASSWORD)
    at.switch_page("app_pages/admin.py").run()
    at.text_input(key=state.admin_round(state.ADMIN_NAME, 0)).input("   ")
    at.button[0].click().run()  # the add form's submit button comes first
    assert not at.exception
    assert [box.value for box in at.error] == [tables.as_text(
        "a user name is needed: use letters, digits and . _ @ - (at most 200 characters), starting with a letter or "
        "digit")]
    assert list(at.dataframe[0].value["User"]) == ["ana", "pia"]  # nobody added


CONTENT_PX_AT_1024 = 674


def _assert_fits_1024(table) -> None:
    """Every column of the Users table has a width, and they add up to no more than the content's width at 1024 px:
    sized by their text, they needed 1014 px of 674 (the e-mail, state and password behind a sideways scroll)."""
    columns = json.loads(table.proto.columns)
    widths = [columns[label].get("width") for label in table.value.columns]
    assert None not in widths and sum(widths) <= CONTENT_PX_AT_1024, widths


def test_the_users_table_widens_a_long_name_within_1024_px():
    labels = {column: label for column, (label, _) in admin.SHOWN.items()}
    short = pd.DataFrame({"name": ["ana"], "role": ["store manager"], "covers": ["store S01"],
                          "email": ["–"], "state": ["enabled"], "password": ["set"]})
    long = short.assign(name="alexandra.konstantinopoulou", email="alexandra.konstantinopoulou@chain.example",
                        covers="stores S-BERLIN-MITTE-00001, S01, S02, S03, S04")
    usual, wide = (tables.user_column_config(table, labels) for table in (short, long))
    assert sum(setting["width"] for setting in usual.values()) == sum(
        setting["width"] for setting in wide.values()) <= CONTENT_PX_AT_1024
    assert wide["name"]["width"] > usual["name"]["width"] >= tables.USER_FITTED["name"]


def test_the_admin_page_adds_a_user_and_changes_a_role_and_the_audit_page_shows_it(chain, monkeypatch):
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    at = _sign_in(_app(), "pia", PASSWORD)
    at.switch_page("app_pages/admin.py").run()
    users = at.dataframe[0].value  # as the table reads, and as its toolbar downloads it
    assert list(users.columns) == ["User", "Role", "Stores or regions", "E-mail", "State", "Password"]
    _assert_fits_1024(at.dataframe[0])
    assert list(users["User"]) == ["ana", "pia"]
    first = lambda key: state.admin_round(key, 0)  # noqa: E731  (the add form before any user is added)
    at.text_input(key=first(state.ADMIN_NAME)).input("leo")
    at.selectbox(key=first(state.ADMIN_ROLE)).set_value("regional_lead")
    at.button[0].click().run()  # the add form's submit button comes first
    assert "regional lead of no region" in at.error[0].value
    assert at.text_input(key=first(state.ADMIN_NAME)).value == "leo"  # a refused form keeps what was typed
    at.multiselect(key=first(state.ADMIN_REGIONS)).set_value(["North"])
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert accounts.user_scope(chain, "leo") == Scope("leo", "regional_lead", regions=frozenset({"North"}))
    # a new, empty form once added (the browser kept the old one's values when only their state was dropped)
    assert at.text_input(key=state.admin_round(state.ADMIN_NAME, 1)).value == ""
    assert at.success[0].value.startswith("Added leo")
    # the change form starts from the picked user's own role and stores: it kept the user picked before, and Save
    # wrote leo's role onto ana
    at.run()

    def role_shown(name: str) -> str:
        return at.selectbox(key=state.admin_change(state.ADMIN_CHANGE_ROLE, storage.users_store.load_user(chain, name))).value

    at.selectbox(key=state.ADMIN_CHANGE_USER).set_value("leo").run()
    assert role_shown("leo") == "regional_lead"
    at.selectbox(key=state.ADMIN_CHANGE_USER).set_value("ana").run()
    assert role_shown("ana") == "store_manager"
    # another admin gives ana a second store while this form is open: the form shows it (Save put the old list back)
    accounts.set_role(chain, ROOT_SCOPE, "ana", "store_manager", stores=frozenset({"S01", "S02"}))
    at.run()
    stores_key = state.admin_change(state.ADMIN_CHANGE_STORES, storage.users_store.load_user(chain, "ana"))
    assert at.multiselect(key=stores_key).value == ["S01", "S02"]
    next(button for button in at.button if button.label == "Save role").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert accounts.user_scope(chain, "ana") == Scope("ana", "store_manager", stores=frozenset({"S01", "S02"}))
    assert at.success[0].value == tables.as_text("ana is now a store manager: stores S01, S02.")  # it said nothing
    # a password typed for ana and set is not in the field once leo is picked (Set password then gave it to him)
    ana = storage.users_store.load_user(chain, "ana")
    password = lambda user, round_: state.admin_round(state.admin_change(state.ADMIN_PASSWORD, user), round_)  # noqa: E731
    at.text_input(key=password(ana, 1)).input("a password for ana alone")
    next(button for button in at.button if button.label == "Set password").click().run()
    assert at.success[0].value.startswith("Password of ana set")
    assert at.text_input(key=password(ana, 2)).value == ""  # a new, empty field
    at.selectbox(key=state.ADMIN_CHANGE_USER).set_value("leo").run()
    leo = storage.users_store.load_user(chain, "leo")
    assert at.text_input(key=password(leo, 2)).value == ""
    at.selectbox(key=state.ADMIN_CHANGE_USER).set_value("ana").run()
    at.button(key=state.ADMIN_SWITCH).click().run()
    assert storage.users_store.load_user(chain, "ana").disabled
    assert at.success[0].value == tables.as_text("ana is disabled: they cannot sign in.")
    at.switch_page("app_pages/audit.py").run()
    trail = at.dataframe[0].value  # as the table reads, and as its toolbar downloads it
    assert not at.exception and not at.error
    assert list(trail.columns) == ["When (UTC)", "Who", "What", "Stores", "Details"]
    assert list(trail["Who"][:4]) == ["pia", "pia", "root", "pia"]  # the other admin's change between
    assert list(trail["Details"][:4]) == ["user ana disabled", "password of ana set",
                                          "user ana: store manager, store S01 -> store manager, stores S01, S02",
                                          "user leo added: regional lead, region North"]
    at.selectbox(key=state.AUDIT_STORE).set_value("S03").run()
    assert set(at.dataframe[0].value["What"]) == {"import"}  # only the sample's imports touched S03
    at.date_input(key=state.AUDIT_SINCE).set_value(date.today() + timedelta(days=2)).run()  # after To: said so
    assert any("is after To" in box.value for box in at.warning) and not at.dataframe


def test_a_store_manager_made_a_regional_lead_leaves_the_stores_they_managed_behind(chain, monkeypatch):
    """The change form still shows a manager's stores when the role is set to regional lead: saved with a region,
    they were kept, and the lead saw those stores outside the region without a word."""
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    at = _sign_in(_app(), "pia", PASSWORD)
    at.switch_page("app_pages/admin.py").run()
    at.selectbox(key=state.ADMIN_CHANGE_USER).set_value("ana").run()
    ana = storage.users_store.load_user(chain, "ana")
    at.selectbox(key=state.admin_change(state.ADMIN_CHANGE_ROLE, ana)).set_value("regional_lead")
    at.multiselect(key=state.admin_change(state.ADMIN_CHANGE_REGIONS, ana)).set_value(["South"])
    next(button for button in at.button if button.label == "Save role").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert accounts.user_scope(chain, "ana") == Scope("ana", "regional_lead", regions=frozenset({"South"}))
    assert at.success[0].value.startswith(tables.as_text(
        "ana is now a regional lead: region South. Their stores as a store manager (S01) were dropped"))


@pytest.mark.parametrize("page, refusal", [("admin.py", "may not manage users"),
                                           ("audit.py", "may not read the audit trail")])
def test_a_store_manager_cannot_open_admin_or_audit(chain, monkeypatch, page, refusal):
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    at = _sign_in(_app(), "ana", PASSWORD)
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not routed for a manager
        at.switch_page(f"app_pages/{page}")
    alone = AppTest.from_file(str(ROOT / "app_pages" / page), default_timeout=TIMEOUT_SECONDS)
    alone.session_state[state.SCOPE_KEY] = accounts.user_scope(chain, "ana")
    alone.run()  # the page's own data calls refuse, whatever the router does
    assert not alone.exception and not alone.dataframe
    assert [e.value for e in alone.error] == [tables.as_text(f"ana (store manager) {refusal}")]


def test_accounts_with_nobody_yet_say_how_to_add_the_first_admin(tmp_path, monkeypatch):
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    at = _app()
    assert not at.exception and at.warning[0].value.startswith("Nobody has an account yet.")


def test_a_bad_sign_in_mode_is_one_sentence(chain, monkeypatch):
    monkeypatch.setenv(SIGN_IN_ENV, "ldap")
    at = _app()
    assert not at.exception
    assert "the modes are local, accounts, oidc" in at.error[0].value


def test_sign_in_rules_come_from_the_secrets_file_under_the_environment(monkeypatch):
    monkeypatch.setattr(signin, "secrets", lambda: {"planner": {"sign_in": "accounts", "max_failed_attempts": 3}})
    monkeypatch.delenv(SIGN_IN_ENV, raising=False)
    assert signin.rules() == SignInRules(mode="accounts", max_failed_attempts=3)
    monkeypatch.setenv(SIGN_IN_ENV, "local")
    assert signin.rules().mode == "local"


# --- OpenID Connect, with the identity as st.user holds it after the provider's redirect -------------------------
# (the whole redirect through a real provider runs in tests/test_browser.py)


def _oidc_app(claims: dict, monkeypatch) -> AppTest:
    monkeypatch.setenv(SIGN_IN_ENV, "oidc")
    monkeypatch.setattr(signin, "secrets", lambda: {"planner": {
        "session_minutes": 60, "oidc": {"groups": {"leads-north": "regional_lead:North"}}}})
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.user = {"is_logged_in": True, **claims}
    return at.run()


@pytest.mark.parametrize("claims, scope", [
    ({"email": "ANA@chain.example"}, Scope("ana", "store_manager", stores=frozenset({"S01"}))),  # the users table
    ({"email": "lou@chain.example", "groups": ["staff", "leads-north"]},
     Scope("lou@chain.example", "regional_lead", regions=frozenset({"North"}))),
])
def test_an_identity_from_the_provider_signs_in_with_its_scope(chain, monkeypatch, claims, scope):
    at = _oidc_app({**claims, "iat": datetime.now(UTC).timestamp()}, monkeypatch)
    assert not at.exception and not at.error
    assert at.session_state[state.SCOPE_KEY] == scope


def test_an_identity_without_a_role_sees_no_page_and_an_old_one_is_signed_out(chain, monkeypatch):
    at = _oidc_app({"email": "eve@chain.example", "groups": ["staff"], "iat": datetime.now(UTC).timestamp()},
                   monkeypatch)
    assert not at.exception and _navigation(at) == []
    assert "has no role in the planner" in at.error[0].value
    signed_in_long_ago = (datetime.now(UTC) - timedelta(minutes=61)).timestamp()
    at = _oidc_app({"email": "lou@chain.example", "groups": ["leads-north"], "iat": signed_in_long_ago}, monkeypatch)
    assert not at.exception and _navigation(at) == []
    assert at.title[0].value == "Sign in"
    assert at.info[0].value == "Your session ended after 60 minutes: sign in again."


def test_oidc_without_the_auth_section_says_so_in_one_sentence(chain, monkeypatch):
    monkeypatch.setenv(SIGN_IN_ENV, "oidc")
    monkeypatch.setattr(signin, "secrets", lambda: {})
    at = _app()  # no [auth] section: Streamlit's st.user has no is_logged_in
    assert not at.exception
    message = re.sub(r"\\(.)", r"\1", at.error[0].value)  # as a reader sees it: tables.as_text's escapes out
    assert message == signin.NO_AUTH_SECTION
    assert "[auth] settings are missing from .streamlit/secrets.toml" in message
    assert "AttributeError" not in message and _navigation(at) == []


@pytest.mark.parametrize("role, address, said, landing", [
    ("regional_lead", "audit", "Audit is for planners and admins; you are signed in as a regional lead.",
     "Compare stores"),
    ("store_manager", "compare", "Compare stores is for regional leads, planners and admins; you are signed in as a "
                                 "store manager.", "My store"),
    ("planner", "admin", "Users is for admins; you are signed in as a planner.", "Plans"),
])
def test_the_address_of_a_page_for_other_roles_opens_ones_own_saying_whose_it_is(chain, monkeypatch, role, address,
                                                                                  said, landing):
    """A regional lead opening /audit (a bookmark, a link from a planner) signed in and landed on another page with no
    word of why. The page named and who it is for come from what each role may do (`planner.access.scope`); the page
    opened is the role's own, where it lands."""
    at = _signed_in_as(chain, monkeypatch, role)
    assert not at.exception and not at.error
    assert not [box for box in at.info if "you are signed in as" in box.value]  # nothing said on landing
    # the address as the browser asks for it: the page registered at that url path (a stand-in, no file of its own)
    (at._page_hash,) = [key for key, info in at._registered_pages.items() if info.get("url_pathname") == address]
    at.run()
    assert not at.exception and not at.error
    assert at.title[0].value == landing
    assert [box.value for box in at.info if "you are signed in as" in box.value] == [said]
    assert address not in [info["url_pathname"] for info in at._registered_pages.values()
                           if info.get("script_path")]  # the page itself is still not routed for the role
    at._page_hash = ""  # the page it finished on, at the root, as the browser's address now is
    at.run()  # said once
    assert not [box for box in at.info if "you are signed in as" in box.value]


@pytest.mark.parametrize("role, shown", [("store_manager", False), ("regional_lead", False), ("planner", True),
                                         ("admin", True)])
def test_only_planners_and_admins_read_where_the_database_is(chain, monkeypatch, role, shown):
    """Every role read "Database: SQLite file /srv/planner.db" (or the server's address) in the sidebar: where the
    chain's data lives is for those who run the planning; one person on their own machine reads it too (single-user
    mode, tests/test_app.py)."""
    at = _signed_in_as(chain, monkeypatch, role)
    assert not at.exception and not at.error
    assert any(c.value.startswith("Signed in as lee") for c in at.sidebar.caption)
    said = [c.value for c in at.sidebar.caption if c.value.startswith("Database: ")]
    assert said == (["Database: " + tables.as_text(f"SQLite file {chain.url.database}")] if shown else [])


@pytest.mark.parametrize("role, heading", [("store_manager", "My store"), ("regional_lead", "Compare stores"),
                                           ("planner", "Plans"), ("admin", "Plans")])
def test_each_role_lands_on_its_main_page(chain, monkeypatch, role, heading):
    """The walk: every role landed on Upload counts after signing in. A store manager's work starts from My store,
    a regional lead's from Compare stores, a planner's (and an admin's) from Plans; Upload keeps its own address."""
    at = _signed_in_as(chain, monkeypatch, role)
    assert not at.exception and not at.error
    assert at.title[0].value == heading
    (landing,) = [info for info in at._registered_pages.values() if info.get("url_pathname") == ""]
    assert landing["page_name"] == heading
    assert "upload" in [info["url_pathname"] for info in at._registered_pages.values() if info.get("script_path")]
    assert "Upload" in _navigation(at)
    # the landing page's own address (a bookmark of /plans) opens it too
    address = {"My store": "my_store", "Compare stores": "compare", "Plans": "plans"}[heading]
    (at._page_hash,) = [key for key, info in at._registered_pages.items() if info.get("url_pathname") == address]
    at.run()
    assert not at.exception and at.title[0].value == heading


def test_one_person_on_their_own_machine_lands_on_plans(chain, monkeypatch):
    """Single-user mode is an admin's scope: it lands where a planner does."""
    monkeypatch.delenv(SIGN_IN_ENV, raising=False)
    at = _app()
    assert not at.exception and at.title[0].value == "Plans"


def test_a_reload_shows_no_sign_in_form_until_the_tab_has_said_whether_it_holds_a_sign_in(chain, monkeypatch, tab):
    """The walk: a reload showed the sign-in form for about 1.4 s before the session came back on its own, so people
    typed their password again. Until the tab answers, the page says it is signing in; a tab holding a sign-in then
    opens signed in, and one holding none shows the form."""
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    signed_in = _sign_in(_app(), "pia", PASSWORD)
    ticket = signed_in.session_state[state.SIGN_IN_TICKET]
    tab.held = None  # a reload: a new session, whose tab has not answered yet
    reloaded = _app()
    assert not reloaded.exception and not reloaded.title and _no_form(reloaded)
    assert [caption.value for caption in reloaded.caption] == [SIGNING_YOU_IN]
    tab.held = ticket  # the answer: the tab's ticket
    reloaded.run()
    assert not reloaded.exception and reloaded.session_state[state.SCOPE_KEY].user == "pia"
    assert reloaded.title[0].value == "Plans" and _no_form(reloaded)

    tab.held = None  # a new tab, which holds nothing
    new = _app()
    assert not new.title and _no_form(new) and [c.value for c in new.caption] == [SIGNING_YOU_IN]
    tab.held = ""
    new.run()
    assert new.title[0].value == "Sign in" and new.text_input(key=state.SIGN_IN_NAME)
    assert SIGNING_YOU_IN not in [caption.value for caption in new.caption]
    asked = tab.asked
    _sign_in(new, "pia", "not the password")  # asked once per session
    assert tab.asked == asked and new.title[0].value == "Sign in" and new.error


def _no_form(at: AppTest) -> bool:
    return not [field for field in at.text_input if field.key in (state.SIGN_IN_NAME, state.SIGN_IN_PASSWORD)]


def test_the_audit_trail_opens_without_sign_ins_and_includes_them_in_one_click(chain, monkeypatch):
    """An admin looking for who published or changed the settings scrolled past every sign-in: the trail opens on the
    other kinds of change, says how many sign-ins it leaves out, and takes them back in with one click."""
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    for _ in range(3):  # three sign-ins of ana's, each one entry in the trail
        _sign_in(_app(), "ana", PASSWORD)
    at = _sign_in(_app(), "pia", PASSWORD)
    accounts.set_role(chain, ROOT_SCOPE, "ana", "store_manager", stores=frozenset({"S01", "S02"}))
    at.switch_page("app_pages/audit.py").run()
    assert not at.exception and not at.error
    kinds = at.multiselect(key=state.AUDIT_KINDS)
    assert kinds.options == ["import", "users", "sign-in"]  # the kinds recorded, in the trail's order
    assert kinds.value == ["import", "users"]
    shown = at.dataframe[0].value
    assert "sign-in" not in set(shown["What"]) and {"import", "users"} == set(shown["What"])
    assert any("4 sign-ins left out" in caption.value for caption in at.caption)
    at.button(key=state.AUDIT_WITH_SIGN_INS).click().run()
    assert at.multiselect(key=state.AUDIT_KINDS).value == ["import", "users", "sign-in"]
    everything = at.dataframe[0].value
    assert list(everything["What"]).count("sign-in") == 4 and len(everything) == len(shown) + 4
    assert not any("left out" in caption.value for caption in at.caption)
    at.multiselect(key=state.AUDIT_KINDS).set_value(["users"]).run()  # only the user changes: pia's, then root's
    assert set(at.dataframe[0].value["What"]) == {"users"}
    at.selectbox(key=state.AUDIT_STORE).set_value("S03").run()  # no user change touched S03: the choice is not lost
    assert at.multiselect(key=state.AUDIT_KINDS).options == ["import"]
    at.selectbox(key=state.AUDIT_STORE).set_value("All stores").run()
    assert at.multiselect(key=state.AUDIT_KINDS).value == ["users"]


def test_a_user_added_is_told_the_next_step_and_is_the_one_the_change_form_shows(chain, monkeypatch):
    """"Added paul: planner, all stores." left out that paul cannot sign in until a password is set, and the change
    form below stood on the admin herself, with Disable beside her name."""
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    at = _sign_in(_app(), "pia", PASSWORD)
    at.switch_page("app_pages/admin.py").run()
    assert at.selectbox(key=state.ADMIN_CHANGE_USER).value is None  # nobody chosen: no Disable under the admin
    assert not [button for button in at.button if button.label == "Disable"]
    at.text_input(key=state.admin_round(state.ADMIN_NAME, 0)).input("paul")
    at.selectbox(key=state.admin_round(state.ADMIN_ROLE, 0)).set_value("planner")
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    said = at.success[0].value
    assert said.startswith("Added paul") and "cannot sign in until" in said and "Set password" in said
    assert at.selectbox(key=state.ADMIN_CHANGE_USER).value == "paul"
    paul = storage.users_store.load_user(chain, "paul")
    assert at.text_input(key=state.admin_round(state.admin_change(state.ADMIN_PASSWORD, paul), 1)).value == ""


def test_an_admin_alone_in_the_chain_is_told_where_to_add_users(sample_url, monkeypatch):
    """The admin's first page is Plans: with nobody else in the users table, nothing said where to add them."""
    engine = storage.connect(Settings(database_url=sample_url))
    from planner.access.users import User

    accounts.add_user(engine, ROOT_SCOPE, User("pia", "admin"))
    accounts.set_password(engine, ROOT_SCOPE, "pia", PASSWORD, SignInRules())
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    monkeypatch.setenv(SIGN_IN_ENV, "accounts")
    at = _sign_in(_app(), "pia", PASSWORD)
    assert not at.exception
    pointers = [c.value for c in at.sidebar.caption if "Users" in c.value]
    assert pointers and "add" in pointers[0], [c.value for c in at.sidebar.caption]
    accounts.add_user(engine, ROOT_SCOPE, User("paul", "planner"))
    at.run()
    assert not [c.value for c in at.sidebar.caption if "Users" in c.value]
    engine.dispose()
