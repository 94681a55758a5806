"""Accounts and sign-in: who a person is, and the `Scope` they work in.

- Administration (`add_user`, `set_role`, `disable_user`, `set_password`): each needs a scope that may manage users.
- Passwords (own accounts): hashed with argon2id (argon2-cffi's defaults, RFC 9106's second recommended option);
  `max_failed_attempts` wrong ones in a row lock the account for `lockout_minutes`. A wrong name and a wrong password
  get the same answer, and cost the same time, so the sign-in page does not tell which names exist. The app also
  counts failed sign-ins per network address (`planner.access.throttle`), which stops one address trying many names.
- Sessions (`Session`): a signed-in scope that ends `session_minutes` after sign-in.
- OpenID Connect (`scope_from_identity`): the provider's e-mail and groups claims -> a scope (see `OidcMapping`).
- Configuration (`sign_in_config`): the mode and any overrides from the environment or the app's secrets file.

Passwords and hashes never leave this module and the users table: no message, log line or audit entry holds one.
"""

from __future__ import annotations

import os
import secrets as random_tokens
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cache
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine

from planner.access.ids import split_ids
from planner.access.scope import ADMIN, MANAGE_USERS, PLANNER, REGIONAL_LEAD, ROLES, STORE_MANAGER, Scope
from planner.access.throttle import AddressThrottle
from planner.access.users import NoSuchUser, User, check_name
from planner.errors import PlannerError
from planner.settings import SIGN_IN_ENV, SIGN_IN_MODES, SignInRules
from planner.storage import users_store
from planner.words import agreeing, counted, first_named, nearest

SECRETS_SECTION = "planner"
"""The secrets file's table for the planner: `[planner]` sign_in, session_minutes, ...; `[planner.oidc]` the mapping."""
WRONG = "wrong user name or password"
SIGN_IN_ID_BYTES = 16
"""Random bytes in a sign-in's id (`Session.sign_in_id`, 128 bits), held only by the server."""
KNOWN_NAMED = 12
"""Most stores (or regions) of the store file an unknown one's message names, the rest counted ("and 3 more")."""

_HASHER = PasswordHasher()


class SignInRefused(PlannerError):
    """A sign-in that did not succeed: the message is fit to show on the sign-in page."""


# --- administration ------------------------------------------------------------------------------------------------


def add_user(engine: Engine, by: Scope, user: User) -> User:
    """Add `user`; a planner or an admin covers every store, so any stores or regions given are not kept."""
    by.require(MANAGE_USERS)
    if user.role in (PLANNER, ADMIN):
        user = replace(user, stores=frozenset(), regions=frozenset())
    _known_where(engine, user.stores, user.regions)
    return users_store.add_user(engine, user)


def set_role(engine: Engine, by: Scope, name: str, role: str, stores: frozenset[str] | None = None,
             regions: frozenset[str] | None = None) -> User:
    by.require(MANAGE_USERS)
    if role != ADMIN:
        if name == by.user:
            raise PlannerError(f"you cannot make yourself a {role.replace('_', ' ')}: you would lose the user "
                               "administration; ask another admin")
        _keep_an_admin(engine, name, "make them a " + role.replace("_", " "))
    _known_where(engine, stores or frozenset(), regions or frozenset())
    return users_store.set_role(engine, name, role, stores, regions)


def _keep_an_admin(engine: Engine, name: str, change: str) -> None:
    """Refuse a change that would leave no enabled admin account: nobody could then manage users in the app."""
    admins = [u.name for u in users_store.list_users(engine) if u.role == ADMIN and not u.disabled]
    if admins == [name]:
        raise PlannerError(f"{name} is the only admin: make another user an admin before you {change}")


def _known_where(engine: Engine, stores: frozenset[str], regions: frozenset[str]) -> None:
    """A store or region the store file does not hold is a typing slip that would give its user nothing to see:
    refused, once the database holds stores (before, accounts may be set up ahead of the store file)."""
    if not stores and not regions:
        return
    from planner.storage import load_stores

    held = load_stores(engine)
    if held.empty:
        return
    for what, given, known in (("store", stores, set(held["store_id"].astype(str))),
                               ("region", regions, set(held["region"].astype(str)))):
        unknown = sorted(given - known)
        if unknown:
            meant = [(item, nearest(item, sorted(known))) for item in unknown]
            meant = [f"{near!r}" + (f" for {item!r}" if len(unknown) > 1 else "") for item, near in meant if near]
            hint = f" (did you mean {', '.join(meant)}?)" if meant else ""
            raise PlannerError(f"{agreeing(len(unknown), what)} {', '.join(map(repr, unknown))} "
                               f"{agreeing(len(unknown), 'is', 'are')} not in the store file{hint}: the {what}s there "
                               f"are {first_named(sorted(known), KNOWN_NAMED)}")


def list_users(engine: Engine, by: Scope) -> list[User]:
    """Every user, by name: their names, e-mails and the stores they cover are the administration's to read."""
    by.require(MANAGE_USERS)
    return users_store.list_users(engine)


def disable_user(engine: Engine, by: Scope, name: str, disabled: bool = True) -> User:
    by.require(MANAGE_USERS)
    if disabled and name == by.user:
        raise PlannerError("you cannot disable yourself: ask another admin")
    if disabled:
        _keep_an_admin(engine, name, "disable them")
    return users_store.set_disabled(engine, name, disabled)


def set_password(engine: Engine, by: Scope, name: str, password: str, rules: SignInRules) -> User:
    """Set `name`'s password (an admin for anyone; anyone for themselves)."""
    if name != by.user:
        by.require(MANAGE_USERS)
    if any("\ud800" <= character <= "\udfff" for character in password):  # undecodable bytes, surrogate-escaped
        raise PlannerError("the password is not UTF-8 text (it came from a file or terminal in another encoding): "
                           "type it again, or save the file as UTF-8")
    if len(password) < rules.password_min_chars:
        raise PlannerError(f"the password is {len(password)} characters long: use at least {rules.password_min_chars}")
    if password.strip() != password or not password.isprintable():
        raise PlannerError("the password starts or ends with a space or holds a control character: type another")
    return users_store.set_password_hash(engine, check_name(name), _HASHER.hash(password))


def user_scope(engine: Engine, name: str) -> Scope:
    """The scope of the enabled user `name` (the CLI's `--as`); `NoSuchUser` for an unknown or disabled name."""
    user = users_store.load_user(engine, name)
    if user is None:
        raise NoSuchUser(f"no enabled user {name!r}: `users list` shows the users")
    return user.scope()


# --- own accounts --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """A signed-in person's scope, when the session ends, and the sign-in's id: random, new with each sign-in, kept
    when the session is resumed in a tab Streamlit started over or in a copy of the tab (see
    `planner.access.resume`), so that a sign-out ends the sign-in in every tab that holds it."""

    scope: Scope
    signed_in_at: datetime
    expires_at: datetime
    sign_in_id: str = field(default_factory=lambda: random_tokens.token_hex(SIGN_IN_ID_BYTES))

    def expired(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) >= self.expires_at


def session_for(scope: Scope, rules: SignInRules, signed_in_at: datetime | None = None) -> Session:
    start = signed_in_at or datetime.now(UTC)
    return Session(scope, start, start + timedelta(minutes=rules.session_minutes))


def sign_in(engine: Engine, name: str, password: str, rules: SignInRules, address: str | None = None,
            throttle: AddressThrottle | None = None) -> Session:
    """Check `name` and `password` against the users table; a `Session` or `SignInRefused` (wrong name or password,
    a locked account, a disabled user: said without telling which names exist). With a `throttle`, a failed sign-in
    counts against the network `address` too, and an address over its limit is refused before any password is
    checked."""
    wait = throttle.wait_for(address) if throttle is not None else None
    if wait is not None:
        minutes = max(1, round(wait.total_seconds() / 60))
        raise SignInRefused("too many failed sign-ins from your network address: try again in "
                            f"{counted(minutes, 'minute')}")
    try:
        return _checked_sign_in(engine, name, password, rules)
    except SignInRefused:
        if throttle is not None:
            throttle.failed(address)
        raise


def address_throttle(rules: SignInRules) -> AddressThrottle:
    """The per-address count of failed sign-ins that `rules` ask for (one per server process)."""
    return AddressThrottle(rules.max_failed_per_address, timedelta(minutes=rules.address_window_minutes))


def _checked_sign_in(engine: Engine, name: str, password: str, rules: SignInRules) -> Session:
    user = users_store.load_user(engine, name) if name and len(name) <= 200 else None
    stored = users_store.password_hash_of(engine, name) if user is not None else None
    if user is not None and user.locked_until is not None and user.locked_until > datetime.now(UTC):
        minutes = max(1, round((user.locked_until - datetime.now(UTC)).total_seconds() / 60))
        raise SignInRefused(f"too many wrong passwords: this account is locked for {counted(minutes, 'more minute')}")
    try:
        _HASHER.verify(stored or _dummy_hash(), password)
        right = stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        right = False
    if right and user.disabled:
        raise SignInRefused(WRONG)
    if not right:
        if user is not None and stored is not None:
            locked = users_store.failed_sign_in(engine, name, rules.max_failed_attempts,
                                                timedelta(minutes=rules.lockout_minutes))
            if locked:
                raise SignInRefused(f"too many wrong passwords: this account is locked for "
                                    f"{rules.lockout_minutes:g} minutes")
        raise SignInRefused(WRONG)
    users_store.signed_in(engine, name)
    if _HASHER.check_needs_rehash(stored):  # the library's parameters grew stronger since it was hashed
        users_store.set_password_hash(engine, name, _HASHER.hash(password))
    return session_for(user.scope(), rules)


# --- OpenID Connect ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OidcMapping:
    """How an identity from the chain's provider becomes a scope, in this order:

    1. a user in the users table whose e-mail is the identity's `email` claim: that user (role, stores, regions);
       a disabled one is refused;
    2. else the identity's groups (the `groups_claim` claim, a list) through `groups`: group name -> "role" or
       "role:ID,ID" (stores for a store manager, regions for a regional lead), e.g. "store_manager:S01",
       "regional_lead:North", "planner". Several groups: the strongest role, with the stores and regions of every
       group of that role;
    3. else the sign-in is refused (an admin adds the person, or a group).

    From the secrets file: `[planner.oidc] groups_claim = "groups"` and `[planner.oidc.groups] "planners" = "planner"`.
    """

    groups: Mapping[str, str] = field(default_factory=dict)
    groups_claim: str = "groups"

    def __post_init__(self) -> None:
        for group, target in self.groups.items():
            _role_target(group, target)  # a bad line is a sentence at start, not at someone's sign-in


def scope_from_identity(engine: Engine, claims: Mapping[str, object], mapping: OidcMapping) -> Scope:
    """The scope of the identity `claims` (as `st.user` holds them) under `mapping`; `SignInRefused` if none."""
    email = str(claims.get("email") or "").strip()
    if not email or claims.get("email_verified") is False:
        raise SignInRefused("the identity provider gave no verified e-mail address: ask whoever runs sign-in")
    user = users_store.user_by_email(engine, email)
    if user is not None:
        if user.disabled:
            raise SignInRefused(f"{email} may not use the planner (the user is disabled): ask an admin")
        return user.scope()
    groups = claims.get(mapping.groups_claim) or []
    groups = [groups] if isinstance(groups, str) else [str(g) for g in groups]
    granted = [_role_target(g, mapping.groups[g]) for g in groups if g in mapping.groups]
    if not granted:
        raise SignInRefused(f"{email} has no role in the planner: ask an admin to add you as a user")
    role = max((r for r, _ in granted), key=ROLES.index)
    ids = frozenset(i for r, found in granted if r == role for i in found)
    return Scope(user=email, role=role, stores=ids if role == STORE_MANAGER else frozenset(),
                 regions=ids if role == REGIONAL_LEAD else frozenset())


def oidc_mapping(secrets: Mapping[str, object] | None) -> OidcMapping:
    section = _section(_section(secrets, SECRETS_SECTION), "oidc")
    return OidcMapping(groups=dict(_section(section, "groups")),
                       groups_claim=str(section.get("groups_claim", OidcMapping.groups_claim)))


# --- configuration -------------------------------------------------------------------------------------------------


def sign_in_config(environ: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None,
                   base: SignInRules | None = None) -> SignInRules:
    """The deployment's `SignInRules`: `base` (default: the defaults) with what the secrets file's `[planner]` table
    sets, and the mode from `PLANNER_SIGN_IN` above all. A bad value is one sentence naming where it came from."""
    environ = os.environ if environ is None else environ
    section = _section(secrets, SECRETS_SECTION)
    chosen = {}
    for item in fields(SignInRules):
        key = "sign_in" if item.name == "mode" else item.name
        if key in section:
            chosen[item.name] = section[key]
    if environ.get(SIGN_IN_ENV):
        chosen["mode"] = environ[SIGN_IN_ENV].strip().lower()
    try:
        return replace(base or SignInRules(), **chosen)
    except (TypeError, ValueError) as error:
        raise PlannerError(f"the sign-in configuration ({SIGN_IN_ENV} or the secrets file's [{SECRETS_SECTION}] "
                           f"table) cannot be used: {error}; the modes are {', '.join(SIGN_IN_MODES)}") from error


# --- helpers -------------------------------------------------------------------------------------------------------


@cache
def _dummy_hash() -> str:
    """Checked against when the name is unknown, so an unknown name takes as long as a wrong password (made on first
    use: a hash costs argon2's 64 MiB and tens of milliseconds, not worth paying at import)."""
    return _HASHER.hash("a password nobody has")


def _role_target(group: str, target: str) -> tuple[str, frozenset[str]]:
    role, _, ids = str(target).partition(":")
    role = role.strip()
    found = frozenset(split_ids(ids))  # as `users add --stores` reads a list (`planner.access.ids`)
    if role not in ROLES or (role in (STORE_MANAGER, REGIONAL_LEAD)) != bool(found):
        raise PlannerError(
            f"the OIDC group {group!r} maps to {target!r}: write {PLANNER!r}, {ADMIN!r}, 'store_manager:S01,S02' "
            "or 'regional_lead:North'")
    return role, found


def _section(values: Mapping[str, object] | None, name: str) -> Mapping[str, object]:
    found = (values or {}).get(name) if values is not None else None
    return found if isinstance(found, Mapping) else {}


__all__ = ["OidcMapping", "Session", "SignInRefused", "add_user", "disable_user", "oidc_mapping", "scope_from_identity",
           "session_for", "set_password", "set_role", "sign_in", "sign_in_config", "user_scope"]
