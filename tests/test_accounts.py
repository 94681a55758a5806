"""Users, roles, passwords and the audit trail: the users table gives each person their scope; the command line
administers users and runs any command as one (`--as`); own accounts throttle wrong passwords; every write leaves an
audit entry saying who, when and what, inside the write's own transaction."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from planner import accounts, storage
from planner.access.actor import acting_as
from planner.access.scope import ADMIN, PLANNER, REGIONAL_LEAD, STORE_MANAGER, OutsideScope, Scope
from planner.access.resume import GRACE_SECONDS, NotResumed, ResumeTickets
from planner.access.throttle import AddressThrottle
from planner.access.users import NoSuchUser, User
from planner.cli import main
from planner.errors import PlannerError
from planner.intake import import_files
from planner.settings import ImportRules, SignInRules
from planner.storage import users_store
from planner.storage.audit import audit_trail
from planner.storage.tables import users

from conftest import DATA

ROOT = Scope.everything("root")
RULES = SignInRules(max_failed_attempts=3, lockout_minutes=10)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def people(engine):
    accounts.add_user(engine, ROOT, User("ana", STORE_MANAGER, stores=frozenset({"S01"}), email="ana@chain.example"))
    accounts.add_user(engine, ROOT, User("leo", REGIONAL_LEAD, regions=frozenset({"North"})))
    accounts.add_user(engine, ROOT, User("pia", PLANNER))
    accounts.set_password(engine, ROOT, "ana", PASSWORD, RULES)
    return engine


def test_a_user_becomes_the_scope_of_their_role_stores_and_regions(people):
    assert accounts.user_scope(people, "ana") == Scope("ana", STORE_MANAGER, stores=frozenset({"S01"}))
    assert accounts.user_scope(people, "leo") == Scope("leo", REGIONAL_LEAD, regions=frozenset({"North"}))
    accounts.set_role(people, ROOT, "ana", REGIONAL_LEAD, regions=frozenset({"South"}))  # her store S01 goes
    assert accounts.user_scope(people, "ana") == Scope("ana", REGIONAL_LEAD, regions=frozenset({"South"}))
    accounts.set_role(people, ROOT, "ana", STORE_MANAGER, stores=frozenset({"S02"}))  # and the region South
    assert accounts.user_scope(people, "ana") == Scope("ana", STORE_MANAGER, stores=frozenset({"S02"}))
    accounts.set_role(people, ROOT, "ana", REGIONAL_LEAD)  # neither given: the cover is kept
    assert accounts.user_scope(people, "ana") == Scope("ana", REGIONAL_LEAD, stores=frozenset({"S02"}))
    accounts.set_role(people, ROOT, "ana", PLANNER, stores=frozenset({"S02"}))  # every store: no list kept
    assert accounts.user_scope(people, "ana") == Scope("ana", PLANNER)
    with pytest.raises(PlannerError, match="store manager of no store"):  # nothing to come back to
        accounts.set_role(people, ROOT, "ana", STORE_MANAGER)
    accounts.disable_user(people, ROOT, "leo")
    with pytest.raises(NoSuchUser):
        accounts.user_scope(people, "leo")
    with pytest.raises(NoSuchUser):
        accounts.user_scope(people, "nobody")


def test_only_an_admin_manages_users_and_a_manager_needs_stores(people):
    pia = accounts.user_scope(people, "pia")
    with pytest.raises(OutsideScope, match="may not manage users"):
        accounts.add_user(people, pia, User("eve", ADMIN))
    with pytest.raises(OutsideScope):
        accounts.set_password(people, pia, "ana", "another long password", RULES)
    accounts.set_password(people, accounts.user_scope(people, "ana"), "ana", "ana's own new password", RULES)
    with pytest.raises(PlannerError, match="store manager of no store"):
        User("eve", STORE_MANAGER)
    with pytest.raises(PlannerError, match="already a user"):
        accounts.add_user(people, ROOT, User("ana", PLANNER))
    with pytest.raises(PlannerError, match="e-mail"):
        accounts.add_user(people, ROOT, User("ann", PLANNER, email="ANA@chain.example"))


def test_passwords_are_stored_as_argon2_hashes_only(people):
    with people.connect() as connection:
        stored = connection.execute(select(users.c.password_hash).where(users.c.name == "ana")).scalar()
    assert PASSWORD not in stored and stored.startswith("$argon2id$")
    assert PasswordHasher().verify(stored, PASSWORD)  # the library itself, not our wrapper, accepts it
    with pytest.raises(PlannerError, match="at least 12"):
        accounts.set_password(people, ROOT, "ana", "short", RULES)


def test_wrong_passwords_lock_the_account_and_a_right_one_then_waits(people, monkeypatch):
    assert accounts.sign_in(people, "ana", PASSWORD, RULES).scope.stores == frozenset({"S01"})
    for _ in range(RULES.max_failed_attempts - 1):
        with pytest.raises(accounts.SignInRefused, match=accounts.WRONG):
            accounts.sign_in(people, "ana", "guess", RULES)
    with pytest.raises(accounts.SignInRefused, match="locked for 10 minutes"):
        accounts.sign_in(people, "ana", "guess", RULES)
    with pytest.raises(accounts.SignInRefused, match="locked"):
        accounts.sign_in(people, "ana", PASSWORD, RULES)  # the right password too, while locked
    # ten minutes later (the lock's end moved into the past) the right password works and the count starts again
    with people.begin() as connection:
        connection.execute(users.update().values(locked_until=datetime.now(UTC) - timedelta(seconds=1)))
    assert accounts.sign_in(people, "ana", PASSWORD, RULES).scope.user == "ana"
    assert users_store.load_user(people, "ana").failed_attempts == 0


@pytest.mark.parametrize(("seconds_left", "says"), [(30, "1 more minute"), (10 * 60, "10 more minutes")])
def test_the_lock_counts_its_minutes_in_words_that_agree(people, seconds_left, says):
    """The refusal read "locked for 1 more minute(s)"."""
    with people.begin() as connection:
        connection.execute(users.update().values(locked_until=datetime.now(UTC) + timedelta(seconds=seconds_left)))
    with pytest.raises(accounts.SignInRefused) as refused:
        accounts.sign_in(people, "ana", PASSWORD, RULES)
    assert str(refused.value) == f"too many wrong passwords: this account is locked for {says}"


@pytest.mark.parametrize(("window_minutes", "says"), [(1, "1 minute"), (10, "10 minutes")])
def test_an_address_made_to_wait_is_told_its_minutes_in_words_that_agree(people, window_minutes, says):
    """The refusal read "try again in 1 minute(s)"."""
    chosen = SignInRules(max_failed_attempts=3, max_failed_per_address=1, address_window_minutes=window_minutes)
    throttle = accounts.address_throttle(chosen)
    with pytest.raises(accounts.SignInRefused, match=accounts.WRONG):
        accounts.sign_in(people, "bob", PASSWORD, chosen, address="10.0.0.9", throttle=throttle)
    with pytest.raises(accounts.SignInRefused) as refused:
        accounts.sign_in(people, "ana", PASSWORD, chosen, address="10.0.0.9", throttle=throttle)
    assert str(refused.value) == f"too many failed sign-ins from your network address: try again in {says}"


def test_an_unknown_name_and_a_wrong_password_read_the_same(people):
    answers = set()
    for name, password in (("nobody", PASSWORD), ("ana", "wrong"), ("pia", PASSWORD)):  # pia has no password
        with pytest.raises(accounts.SignInRefused) as refused:
            accounts.sign_in(people, name, password, RULES)
        answers.add(str(refused.value))
    assert answers == {accounts.WRONG}


def test_one_address_trying_many_names_is_made_to_wait_and_others_are_not(people):
    chosen = SignInRules(max_failed_attempts=3, max_failed_per_address=4, address_window_minutes=10)
    throttle = accounts.address_throttle(chosen)
    for name in ("bob", "cat", "dan", "eve"):  # a spray: one guess per name, no account ever locks
        with pytest.raises(accounts.SignInRefused, match=accounts.WRONG):
            accounts.sign_in(people, name, PASSWORD, chosen, address="10.0.0.9", throttle=throttle)
    with pytest.raises(accounts.SignInRefused, match="from your network address: try again in 10 minute"):
        accounts.sign_in(people, "ana", PASSWORD, chosen, address="10.0.0.9", throttle=throttle)  # right, yet refused
    assert users_store.load_user(people, "ana").failed_attempts == 0  # refused before any password was checked
    assert accounts.sign_in(people, "ana", PASSWORD, chosen, address="10.0.0.7", throttle=throttle).scope.user == "ana"


def test_an_address_may_try_again_once_its_oldest_failure_leaves_the_window():
    throttle = AddressThrottle(max_failures=3, window=timedelta(minutes=15), max_addresses=2)
    start = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    for minute in (0, 5, 10):
        assert throttle.wait_for("a", start + timedelta(minutes=minute)) is None
        throttle.failed("a", start + timedelta(minutes=minute))
    assert throttle.wait_for("a", start + timedelta(minutes=11)) == timedelta(minutes=4)  # until 9:15
    assert throttle.wait_for("a", start + timedelta(minutes=15)) is None  # the 9:00 failure left the window
    assert throttle.wait_for(None) is None  # an unknown address is not counted (the per-account lock still is)
    throttle.failed("b", start)
    throttle.failed("c", start)  # a third address: the oldest ("a") is forgotten, memory stays bounded
    assert throttle.wait_for("a", start + timedelta(minutes=11)) is None


def test_a_session_ends_after_the_configured_minutes():
    session = accounts.session_for(ROOT, SignInRules(session_minutes=30), datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    assert not session.expired(datetime(2026, 12, 1, 9, 29, 59, tzinfo=UTC))
    assert session.expired(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))


def test_a_resume_ticket_is_spent_once_renewed_and_ends_with_its_session():
    """A tab Streamlit starts over (a reload, a connection lost past its disconnectedSessionTTL) signs in again with
    the ticket it holds: once (the next ticket replaces it), never after the session's end or a sign-out, and the
    server holds no token, only its hash."""
    tickets = ResumeTickets(max_tickets=2)
    start = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    session = accounts.session_for(ROOT, SignInRules(session_minutes=30), start)
    token = tickets.issue(session.sign_in_id, session, session.expires_at, start)
    assert len(token) >= 43 and token not in repr(vars(tickets))
    held, renewed = tickets.redeem(token, start + timedelta(minutes=20))
    assert held == session and held.expires_at == start + timedelta(minutes=30)  # the old end: not lengthened
    # spent: a copy used later resumes nothing, and is told so (the sign-in has not ended); while the next token is
    # unused, nothing says another tab holds the sign-in (the tab may have lost it); once it is used, one does
    assert tickets.redeem(token, start + timedelta(minutes=21)) is NotResumed.LAPSED
    held, renewed = tickets.redeem(renewed, start + timedelta(minutes=22))
    assert tickets.redeem(token, start + timedelta(minutes=23)) is NotResumed.SPENT
    assert tickets.redeem(renewed, start + timedelta(minutes=30)) is NotResumed.ENDED  # the session's end
    another = tickets.issue(session.sign_in_id, session, session.expires_at, start)
    tickets.revoke(session.sign_in_id)  # signed out
    assert tickets.redeem(another, start) is NotResumed.ENDED
    assert tickets.redeem("", start) is NotResumed.ENDED and tickets.redeem("not a token", start) is NotResumed.ENDED
    first, second, third = (tickets.issue(session.sign_in_id, session, session.expires_at, start) for _ in range(3))
    assert len(tickets) == 2 and tickets.redeem(first, start) is NotResumed.ENDED  # bounded: the oldest forgotten
    assert isinstance(tickets.redeem(third, start), tuple)


def test_a_spent_ticket_resumes_for_a_grace_period_until_the_ticket_it_was_exchanged_for_is_used():
    """Three reloads 1.5 s apart signed a regional lead out a minute after signing in: each start-over spent the tab's
    ticket and handed it the next, and a reload before the next one reached the tab presented the spent one. It
    resumes for `GRACE_SECONDS` now, until the tab uses the one it was handed (so it holds it); a stolen or copied old
    ticket still resumes nothing after that, and a sign-out or the session's end still ends every ticket."""
    tickets = ResumeTickets()
    start = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    session = accounts.session_for(ROOT, SignInRules(session_minutes=480), start)
    grace, second = timedelta(seconds=GRACE_SECONDS), timedelta(seconds=1)
    first = tickets.issue(session.sign_in_id, session, session.expires_at, start)
    at = [start + timedelta(minutes=1, seconds=1.5 * reload) for reload in range(3)]
    at.append(at[0] + grace + second)  # past the grace of the first use, within that of the last
    handed = [tickets.redeem(first, moment) for moment in at]  # quick reloads, each before the tab kept the next
    assert [resumed.held for resumed in handed] == [session] * 4 and len({resumed.token for resumed in handed}) == 4
    # the grace is over, none handed for it used: the token resumes no more, not said used by another tab (the tab
    # may have lost the one it was handed), then or later
    assert [tickets.redeem(first, at[-1] + grace + n * second) for n in (0, 1)] == [NotResumed.LAPSED] * 2
    # the tab kept the one handed last and uses it: the first, and the others handed for it, resume nothing from then
    # on, within their grace too; the one used resumes for its own grace
    tickets = ResumeTickets()
    first = tickets.issue(session.sign_in_id, session, session.expires_at, start)
    handed = [tickets.redeem(first, moment).token for moment in at[:3]]
    assert isinstance(tickets.redeem(handed[-1], at[2] + second), tuple)
    assert [tickets.redeem(token, at[2] + second) for token in (first, *handed[:2])] == [NotResumed.SPENT] * 3
    assert isinstance(tickets.redeem(handed[-1], at[2] + 2 * second), tuple)  # a quick reload again
    tickets.revoke(session.sign_in_id)  # signed out: every ticket ends, the spent ones too, in those words
    assert [tickets.redeem(token, at[2]) for token in (first, *handed)] == [NotResumed.ENDED] * 4


def test_a_sign_out_ends_the_sign_in_in_a_copied_tab_too():
    """A browser that duplicates a tab (or reopens a closed one) copies its session storage, ticket and all: the copy
    redeemed T1 and got T2, and the first tab's sign-out revoked only its own ticket (T1, spent by then), so the copy
    stayed signed in, and kept resuming, until the session's end. Before the tickets a copied tab had to sign in."""
    tickets = ResumeTickets()
    start = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    session = accounts.session_for(ROOT, SignInRules(session_minutes=480), start)
    other = accounts.session_for(ROOT, SignInRules(session_minutes=480), start)  # the same person, signed in again
    assert other.sign_in_id != session.sign_in_id  # a new id with each sign-in
    first = tickets.issue(session.sign_in_id, session, session.expires_at, start)  # the tab signs in: T1
    kept = tickets.issue(other.sign_in_id, other, other.expires_at, start)
    held, copy_ticket = tickets.redeem(first, start + timedelta(minutes=5))  # the copy: T1 -> T2
    assert held.sign_in_id == session.sign_in_id and tickets.live(session.sign_in_id, start + timedelta(minutes=5))
    tickets.revoke(held.sign_in_id)  # sign-out in the first tab: its session holds the same sign-in
    later = start + timedelta(minutes=6)
    assert not tickets.live(session.sign_in_id, later)  # the copy's next run signs it out
    assert tickets.redeem(copy_ticket, later) is NotResumed.ENDED  # nor does its ticket resume it
    assert tickets.live(other.sign_in_id, later) and isinstance(tickets.redeem(kept, later), tuple)  # another stands
    assert not tickets.live(other.sign_in_id, other.expires_at)  # ended with its session
    assert not tickets.live("never issued", later)


def test_a_sign_in_forgotten_to_keep_the_bound_reads_as_ended():
    """The server holds at most `max_tickets` sign-ins: the oldest one forgotten is signed out, never kept signed in
    past a sign-out it can no longer see."""
    tickets = ResumeTickets(max_tickets=2)
    start = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    sessions = [accounts.session_for(ROOT, SignInRules(), start) for _ in range(3)]
    for session in sessions:
        tickets.issue(session.sign_in_id, session, session.expires_at, start)
    assert [tickets.live(session.sign_in_id, start) for session in sessions] == [False, True, True]


def test_sign_in_mode_from_the_environment_over_the_secrets_file():
    secrets = {"planner": {"sign_in": "accounts", "session_minutes": 60}}
    assert accounts.sign_in_config({}, secrets) == SignInRules(mode="accounts", session_minutes=60)
    assert accounts.sign_in_config({"PLANNER_SIGN_IN": "OIDC"}, secrets).mode == "oidc"
    assert accounts.sign_in_config({}, None) == SignInRules()
    with pytest.raises(PlannerError, match="local, accounts, oidc"):
        accounts.sign_in_config({"PLANNER_SIGN_IN": "ldap"}, None)


@pytest.mark.parametrize("claims, expected", [
    ({"email": "ana@chain.example"}, Scope("ana", STORE_MANAGER, stores=frozenset({"S01"}))),
    ({"email": "x@chain.example", "groups": ["store-S02", "store-S03"]},
     Scope("x@chain.example", STORE_MANAGER, stores=frozenset({"S02", "S03"}))),
    ({"email": "x@chain.example", "groups": ["store-S02", "leads-north"]},
     Scope("x@chain.example", REGIONAL_LEAD, regions=frozenset({"North"}))),
    ({"email": "x@chain.example", "groups": ["staff", "planners", "store-S02"]}, Scope("x@chain.example", PLANNER)),
])
def test_an_identity_maps_to_a_user_by_email_else_by_groups(people, claims, expected):
    mapping = accounts.OidcMapping(groups={"store-S02": "store_manager:S02", "store-S03": "store_manager:S03",
                                           "leads-north": "regional_lead:North", "planners": "planner"})
    assert accounts.scope_from_identity(people, claims, mapping) == expected


def test_an_identity_without_a_role_or_a_bad_mapping_is_refused(people):
    with pytest.raises(accounts.SignInRefused, match="no role"):
        accounts.scope_from_identity(people, {"email": "x@chain.example", "groups": ["staff"]},
                                     accounts.OidcMapping())
    with pytest.raises(accounts.SignInRefused, match="no verified e-mail"):
        accounts.scope_from_identity(people, {"email": "ana@chain.example", "email_verified": False},
                                     accounts.OidcMapping())
    with pytest.raises(PlannerError, match="maps to 'store_manager'"):
        accounts.OidcMapping(groups={"managers": "store_manager"})  # a manager of which stores?


# --- audit trail ---------------------------------------------------------------------------------------------------


def test_imports_plans_publishing_and_settings_are_recorded_with_who_and_what(engine, sample_files):
    with acting_as("ana"):
        summaries = import_files(engine, sample_files, ImportRules())
    plan_id = storage.save_plan(engine, "S01", "2026-W50", "f" * 64, "{}", "pia")
    storage.publish_plan(engine, plan_id, "pia")
    second = storage.save_plan(engine, "S01", "2026-W50", "f" * 64, "{}", "pia")
    storage.publish_plan(engine, second, "pia")
    from planner.settings import Settings
    storage.save_settings(engine, Settings().with_targets(target_service_level=0.9), "pia", "busier December")

    trail = audit_trail(engine)
    imports = trail[trail["action"] == "import"].iloc[::-1]
    assert list(imports["actor"]) == ["ana", "ana"]
    for (_, row), summary, (name, content) in zip(imports.iterrows(), summaries, sample_files, strict=True):
        import hashlib
        assert f"{name} ({summary.kind}, sha256 {hashlib.sha256(content).hexdigest()[:12]})" in row["summary"]
        assert f"{summary.rows_added:,} rows added, {summary.rows_replaced:,} replaced" in row["summary"]  # 1,686
    stores_in_file = sorted(pd.read_csv(DATA / "stores.csv")["store_id"])
    assert imports.iloc[0]["stores"] == ", ".join(stores_in_file)
    published = trail[trail["action"] == "publish"]
    assert list(published["summary"]) == [f"plan {second} published for S01 2026-W50; plan {plan_id} superseded",
                                          f"plan {plan_id} published for S01 2026-W50"]
    settings_entry = trail[trail["action"] == "settings"].iloc[0]
    assert settings_entry["actor"] == "pia"
    assert "Target service level (share) 80% -> 90%" in settings_entry["summary"]  # the page's words and values
    assert "busier December" in settings_entry["summary"]


def test_the_trail_filters_by_store_and_date(engine, sample_files):
    import_files(engine, sample_files, ImportRules())
    plan_id = storage.save_plan(engine, "S02", "2026-W50", "f" * 64, "{}", "pia")
    only_s02_plan = audit_trail(engine, store_id="S02", actions=["plan"])
    assert list(only_s02_plan["summary"]) == [f"plan {plan_id} made for S02 2026-W50 (draft)"]
    assert len(audit_trail(engine, store_id="S01")) == 2  # the two imports, not S02's plan
    today = datetime.now(UTC).date()
    assert len(audit_trail(engine, since=today, until=today)) == 3
    assert audit_trail(engine, until=today - timedelta(days=1)).empty
    assert audit_trail(engine, since=today + timedelta(days=1)).empty
    assert len(audit_trail(engine, until=date.max)) == 3  # the last day there is: a traceback before


def test_a_failed_write_leaves_no_audit_entry(engine, sample_files):
    import_files(engine, sample_files, ImportRules())
    before = len(audit_trail(engine))
    with pytest.raises(PlannerError, match="no store"):
        storage.save_plan(engine, "S99", "2026-W50", "f" * 64, "{}", "pia")
    assert len(audit_trail(engine)) == before


def test_user_changes_and_lockouts_are_recorded_without_any_password(people):
    for _ in range(RULES.max_failed_attempts):
        with pytest.raises(accounts.SignInRefused):
            accounts.sign_in(people, "ana", "guess", RULES)
    trail = audit_trail(people)
    text = " ".join(trail["summary"]) + " ".join(trail["actor"])
    assert "user ana added: store manager, store S01" in text and "password of ana set" in text
    assert "ana locked until" in text
    assert PASSWORD not in text and "$argon2" not in text
    about_s01 = audit_trail(people, store_id="S01")  # ana's entries are found under her store
    assert list(about_s01["summary"])[-2:] == ["password of ana set", "user ana added: store manager, store S01"]


# --- command line --------------------------------------------------------------------------------------------------


def _run(capsys, settings, *args, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--database-url", settings.database_url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_users_commands_and_as_run_with_that_users_scope(capsys, settings, monkeypatch):
    run = lambda *args, stdin=None: _run(capsys, settings, *args, stdin=stdin, monkeypatch=monkeypatch)  # noqa: E731
    assert run("users", "add", "ana", "--role", "store_manager", "--stores", "S01,S02", "--email", "a@chain.example")[0] == 0
    assert run("users", "add", "pia", "--role", "planner")[0] == 0
    assert run("users", "set-role", "ana", "regional_lead", "--regions", "North")[0] == 0
    code, out, _ = run("users", "list")
    (line,) = [line for line in out.splitlines() if line.startswith("ana ")]
    assert code == 0 and "regional_lead" in line and line.endswith(" region North")
    assert "S01" not in out  # her stores went with the new role: they were kept, and she saw them as a lead too
    assert run("users", "set-password", "pia", stdin="a long enough password\n")[0] == 0
    code, out, _ = run("users", "list")
    assert [line.split()[3] for line in out.splitlines()[1:]] == ["-", "set"]  # ana has no password, pia has one

    code, _, err = run("--as", "ana", "users", "disable", "pia")
    assert code != 0 and err.strip() == "error: ana (regional lead) may not manage users"
    assert run("users", "disable", "ana")[0] == 0
    code, _, err = run("--as", "ana", "stores")
    assert code == 1 and err.strip() == "error: --as ana: no enabled user 'ana': `users list` shows the users"
    code, _, err = run("--as", "nobody", "stores")
    assert code == 1 and "no enabled user 'nobody'" in err and len(err.strip().splitlines()) == 1

    assert run("--as", "pia", "load-sample")[0] == 0
    code, out, _ = run("--as", "pia", "audit", "--store", "S01")
    imports = [line for line in out.splitlines()[1:] if " import " in line]
    assert code == 0 and len(imports) == 3 and all(" pia " in line for line in imports)  # stores, counts, people
    assert "user ana added" in out  # ana manages S01: her entries are S01's too
    code, out, _ = run("audit", "--since", date.today().isoformat())
    assert "user ana disabled" in out and "password of pia set" in out and "a long enough password" not in out


def test_a_password_is_never_a_flag_and_no_secrets_file_is_in_the_repository(capsys, settings):
    import subprocess

    from conftest import ROOT

    code = main(["--database-url", settings.database_url, "users", "set-password", "ana", "--password", "x" * 20])
    assert code == 1 and "unrecognized arguments: --password" in capsys.readouterr().err
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert not [name for name in tracked.splitlines() if name.endswith("secrets.toml")]
    ignored = subprocess.run(["git", "check-ignore", ".streamlit/secrets.toml"], cwd=ROOT, capture_output=True)
    assert ignored.returncode == 0  # git ignores the app's secrets file


def test_a_store_or_region_the_store_file_does_not_hold_is_refused(engine, settings, sample_files, capsys,
                                                                    monkeypatch):
    """A manager of a store id typed wrong (or a lead of a region) was added and then saw nothing; an empty
    database still takes accounts made ahead of the store file (the `people` fixture's)."""
    import_files(engine, sample_files, ImportRules())
    with pytest.raises(PlannerError, match=r"store 'S1' is not in the store file .did you mean 'S01'.."):
        accounts.add_user(engine, ROOT, User("bob", STORE_MANAGER, stores=frozenset({"S1", "S02"})))
    with pytest.raises(PlannerError, match=r"region 'north' is not in the store file .did you mean 'North'.."):
        accounts.add_user(engine, ROOT, User("lea", REGIONAL_LEAD, regions=frozenset({"north"})))
    assert users_store.load_user(engine, "bob") is None and users_store.load_user(engine, "lea") is None
    accounts.add_user(engine, ROOT, User("bob", STORE_MANAGER, stores=frozenset({"S01", "S02"})))
    with pytest.raises(PlannerError, match="'ZZZ' is not in the store file"):
        accounts.set_role(engine, ROOT, "bob", STORE_MANAGER, frozenset({"ZZZ"}))
    run = lambda *args: _run(capsys, settings, *args, monkeypatch=monkeypatch)  # noqa: E731
    code, _, err = run("users", "add", "zed", "--role", "store_manager", "--stores", "ZZZ")
    assert code == 1 and "store 'ZZZ' is not in the store file" in err
    # "store 'S98', 'S99' is not in the store file (did you mean 'S09'?): the stores there are S01, S02, S03, S04,
    # S05, S06, S07, S08 ...": one verb for two stores, a store meant for one of them unsaid, the ninth cut to "..."
    code, _, err = run("users", "add", "zed", "--role", "store_manager", "--stores", "S98,S99")
    assert code == 1 and err.strip() == ("error: stores 'S98', 'S99' are not in the store file (did you mean 'S09' for "
                                         "'S98', 'S09' for 'S99'?): the stores there are S01, S02, S03, S04, S05, S06, "
                                         "S07, S08, S09")
    code, _, err = run("users", "add", "zed", "--role", "store_manager", "--stores", "S01", "--email", "a@b.c<script>")
    assert code == 1 and "is not an e-mail address" in err


def test_users_take_any_store_id_the_store_file_holds(engine, settings, sample_files, capsys, monkeypatch, tmp_path):
    """`import --stores` took the store id `<b>S99</b>` (ids come from a chain's own systems) and the Users page
    offered it, but `users add --stores '<b>S99</b>'` refused it as "not a store id": the command takes any id the
    store file holds (`planner.schemas.store_id_problem`, the one rule), and an id it does not hold is refused by
    name."""
    import_files(engine, sample_files, ImportRules())
    stores = pd.read_csv(DATA / "stores.csv", dtype=str, keep_default_na=False)
    extra = stores[stores["store_id"] == "S02"].assign(store_id=["<b>S99</b>"])
    extra = pd.concat([extra, extra.assign(store_id="HH 01")])
    extra.to_csv(tmp_path / "more_stores.csv", index=False)
    run = lambda *args: _run(capsys, settings, *args, monkeypatch=monkeypatch)  # noqa: E731
    code, out, err = run("import", "--stores", str(tmp_path / "more_stores.csv"))
    assert code == 0, err
    code, out, err = run("users", "add", "mo", "--role", "store_manager", "--stores", "<b>S99</b>, HH 01")
    assert code == 0, err
    assert users_store.load_user(engine, "mo").stores == frozenset({"<b>S99</b>", "HH 01"})
    code, out, err = run("users", "set-role", "mo", "store_manager", "--stores", "<b>S99</b>")
    assert code == 0 and users_store.load_user(engine, "mo").stores == frozenset({"<b>S99</b>"}), err
    code, _, err = run("users", "add", "zed", "--role", "store_manager", "--stores", "<b>S98</b>")
    assert code == 1 and "store '<b>S98</b>' is not in the store file" in err, err
    assert users_store.load_user(engine, "zed") is None


def test_users_commands_refuse_bad_input_in_one_line(capsys, settings, monkeypatch):
    run = lambda *args, stdin=None: _run(capsys, settings, *args, stdin=stdin, monkeypatch=monkeypatch)  # noqa: E731
    code, _, err = run("users", "add", "ana", "--role", "store_manager")
    assert code == 1 and "store manager of no store" in err
    code, _, err = run("users", "add", "ana", "--role", "cashier")
    assert code == 1 and "invalid choice" in err
    code, _, err = run("users", "add", "<b>ana</b>", "--role", "planner")
    assert code == 1 and "not a user name" in err
    code, _, err = run("users", "add", "", "--role", "planner")
    assert code == 1 and "a user name is needed" in err and "''" not in err
    code, _, err = run("users", "add", "ana", "--role", "store_manager", "--stores", "S01\tS02")
    assert code == 1 and "control character" in err and "store ids separated by commas" in err
    assert run("users", "add", "ana", "--role", "planner")[0] == 0
    code, _, err = run("users", "set-password", "ana", stdin="short\n")
    assert code == 1 and "at least 12" in err and "short" not in err.replace("at least", "")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\xff\xfe\xe9abcdefghijk\n"), "utf-8"))
    code, _, err = run("users", "set-password", "ana")  # said its spaces or control characters were the problem
    assert code == 1 and "the password is not UTF-8 text" in err and "control" not in err
    code, _, err = run("users", "set-password", "nobody", stdin="a long enough password\n")
    assert code == 1 and "no user 'nobody'" in err
    for verb in ("disable", "enable"):  # a name nobody has is the request's fault (it exited 2, "unavailable")
        code, _, err = run("users", verb, "nobody")
        assert code == 1 and "no user 'nobody'" in err
    code, _, err = run("users", "add", "pat", "--role", "planner", "--stores", "S01")  # ignored, yet in the audit
    assert code == 1 and err.strip() == "error: a planner covers every store: leave out --stores and --regions"
    code, _, err = run("users", "add", "pat", "--role", "admin", "--regions", "North")  # "a admin covers"
    assert code == 1 and err.strip() == "error: an admin covers every store: leave out --stores and --regions"


def test_the_user_administration_always_keeps_an_enabled_admin(people):
    """The only admin demoted herself on the Users page without a word (the page vanished; nobody could manage
    users any more); disabling oneself was refused already. Neither oneself nor the last admin loses the role."""
    accounts.add_user(people, ROOT, User("ada", ADMIN))
    ada = accounts.user_scope(people, "ada")
    with pytest.raises(PlannerError, match="you cannot make yourself a planner"):
        accounts.set_role(people, ada, "ada", PLANNER)
    with pytest.raises(PlannerError, match="ada is the only admin"):  # the command line's local admin too
        accounts.set_role(people, ROOT, "ada", PLANNER)
    with pytest.raises(PlannerError, match="ada is the only admin"):
        accounts.disable_user(people, ROOT, "ada")
    assert accounts.user_scope(people, "ada").role == ADMIN
    accounts.set_role(people, ada, "pia", ADMIN)  # a second admin: now either may go
    accounts.set_role(people, ada, "pia", PLANNER)
    accounts.set_role(people, ada, "pia", ADMIN)
    accounts.set_role(people, accounts.user_scope(people, "pia"), "ada", PLANNER)
    assert [u.name for u in accounts.list_users(people, ROOT) if u.role == ADMIN] == ["pia"]


def test_a_refused_plan_or_roster_is_refused_before_the_work_and_writes_no_file(capsys, settings, monkeypatch,
                                                                              tmp_path):
    """`--as ana plan --by pia --out-dir X` printed the whole plan and wrote its four files, then refused the --by;
    `--as ana roster --publish --out-dir X` solved for ten seconds and wrote the roster's files, then refused the
    publishing. Both are refused first now: nothing printed, nothing written, nothing saved."""
    run = lambda *args: _run(capsys, settings, *args)  # noqa: E731
    assert run("load-sample")[0] == 0
    assert run("users", "add", "ana", "--role", "store_manager", "--stores", "S01")[0] == 0
    engine = storage.connect(settings)
    plans_before, rosters_before = len(storage.list_plans(engine)), len(storage.list_rosters(engine))
    for argv, said in ((["plan", "--week", "2026-W51", "--store", "S01", "--by", "pia"], "differs from --as ana"),
                       (["roster", "--store", "S01", "--week", "2026-W51", "--publish"], "may not publish")):
        folder = tmp_path / argv[0]
        code, out, err = run("--as", "ana", *argv, "--out-dir", str(folder))
        assert code == 1 and said in err and out == "" and not folder.exists()
    # once the chain has users, --by names one of them: any name ('Mallory') went into the audit trail
    code, out, err = run("plan", "--week", "2026-W51", "--store", "S01", "--by", "Mallory")
    assert code == 1 and "--by Mallory: no enabled user of that name" in err and out == ""
    assert (len(storage.list_plans(engine)), len(storage.list_rosters(engine))) == (plans_before, rosters_before)
    assert run("plan", "--week", "2026-W51", "--store", "S01", "--by", "ana")[0] == 0
    assert storage.list_plans(engine)["created_by"].iloc[0] == "ana"
    # --by runs with that user's role and stores, as --as does: ana was recorded as publishing S02's plan and roster
    plans_before = len(storage.list_plans(engine))
    for argv, said in ((["plan", "--week", "2026-W51", "--store", "S02", "--publish"], "may not publish"),
                       (["plan", "--week", "2026-W51", "--store", "S02"], "S02"),
                       (["roster", "--store", "S03", "--week", "2026-W51", "--publish"], "may not publish")):
        code, out, err = run(*argv, "--by", "ana")
        assert code == 1 and said in err and out == "", (argv, err)
    assert (len(storage.list_plans(engine)), len(storage.list_rosters(engine))) == (plans_before, rosters_before)
    # plan --calendar checks the file as import does: another store's row is not the manager's (it read as a store
    # missing from the store file, whose fix, a row for every store, a manager may not use)
    calendar = tmp_path / "calendar.csv"
    calendar.write_text("store_id,date,closed,hours,demand_factor,note\nS02,2026-12-24,yes,,,x\n")
    code, out, err = run("--as", "ana", "plan", "--week", "2026-W52", "--store", "S01", "--calendar", str(calendar))
    assert code == 1 and "store 'S02' is not one of your stores" in out + err and "not in the store file" not in out
    # a re-plan refused its publishing after re-planning, writing its files and storing the absences
    absences_before = len(storage.load_absences(engine))
    sick = tmp_path / "sick.csv"
    sick.write_text("employee_id,first_day,last_day,reason\nS01-E04,2026-12-18,,sick\n")
    code, out, err = run("--as", "ana", "roster", "replan", "--absence", str(sick), "--today", "2026-12-17",
                         "--publish", "--out-dir", str(tmp_path / "replan"))
    assert code == 1 and "may not publish" in err and out == "" and not (tmp_path / "replan").exists()
    assert len(storage.load_absences(engine)) == absences_before
    engine.dispose()


def test_the_users_page_says_a_user_added_without_an_e_mail_is_not_found_through_the_identity_provider(people):
    """The Users page told an admin that leo, added with no e-mail, "signs in through the chain's identity provider,
    found by the e-mail given here": the provider's identity finds a user by e-mail alone, so leo signs in only
    through a group, with the group's role. The truth: `scope_from_identity` of leo's identity."""
    from planner.surfaces.users import added

    mapping = accounts.OidcMapping(groups={"planners": "planner"})
    claims = {"email": "leo@chain.example", "groups": ["planners"]}
    assert accounts.scope_from_identity(people, claims, mapping).role == PLANNER  # the group's, not leo's
    said = added("leo", "regional lead", "North", "oidc", None)
    assert "found by the e-mail" not in said and "cannot find leo" in said and "group's role" in said
    assert accounts.scope_from_identity(people, {"email": "ana@chain.example"}, mapping).user == "ana"
    assert "(ana@chain.example)" in added("ana", "store manager", "S01", "oidc", "ana@chain.example")
