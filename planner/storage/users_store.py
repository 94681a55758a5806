"""The users table: add, list, change role and stores, disable, set a password hash, and count failed sign-ins.
Every change is one transaction under the writers' lock with its audit entry (never the password or its hash).

    add_user(engine, User(...)); load_user(engine, name) -> User | None; list_users(engine) -> [User]
    set_role(engine, name, role, stores=None, regions=None); set_disabled(engine, name, True)
    set_password_hash(engine, name, hash); password_hash_of(engine, name)
    failed_sign_in(engine, name, max_attempts, lockout) / signed_in(engine, name)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.engine import Connection

from planner.access.scope import ADMIN, PLANNER
from planner.access.users import NoSuchUser, User, check_name, check_role
from planner.errors import PlannerError
from planner.storage import audit
from planner.storage.engine import database_errors, take_write_lock, url_of
from planner.storage.tables import users


def add_user(engine: Engine, user: User) -> User:
    """Store a new user (no password yet). A name or e-mail already taken is refused with a sentence."""
    with database_errors(url_of(engine)), engine.begin() as connection:
        take_write_lock(connection)
        if _row(connection, user.name) is not None:
            raise PlannerError(f"there is already a user {user.name!r}: change their role instead (Users page: Change "
                               "a user; command line: users set-role)")
        if user.email and connection.execute(select(users.c.name).where(
                func.lower(users.c.email) == user.email.lower())).first() is not None:
            raise PlannerError(f"another user has the e-mail {user.email}: one address, one user")
        connection.execute(insert(users).values(
            name=user.name, email=user.email, role=user.role, stores=sorted(user.stores),
            regions=sorted(user.regions), disabled=False, password_hash=None, failed_attempts=0, locked_until=None,
            created_at=datetime.now(UTC)))
        audit.record(connection, audit.USERS, f"user {user.name} added: {_described(user)}", stores=user.stores,
                     details={"user": user.name, "role": user.role})
        return _user(_row(connection, user.name))


def load_user(engine: Engine, name: str) -> User | None:
    """The user called `name` (disabled ones too), or None."""
    with database_errors(url_of(engine)), engine.connect() as connection:
        row = _row(connection, name)
    return None if row is None else _user(row)


def user_by_email(engine: Engine, email: str) -> User | None:
    """The user whose e-mail is `email` (case ignored), or None."""
    with database_errors(url_of(engine)), engine.connect() as connection:
        row = connection.execute(select(users).where(func.lower(users.c.email) == email.lower())).first()
    return None if row is None else _user(row)


def list_users(engine: Engine) -> list[User]:
    """Every user, by name."""
    with database_errors(url_of(engine)), engine.connect() as connection:
        return [_user(row) for row in connection.execute(select(users).order_by(users.c.name))]


def set_role(engine: Engine, name: str, role: str, stores: frozenset[str] | None = None,
             regions: frozenset[str] | None = None) -> User:
    """Give `name` the role `role`. Stores or regions given replace both of the old ones (stores given alone leave
    no region behind: a manager moved from a region to one store sees that store only); neither given keeps them.
    A planner or an admin covers every store, so keeps neither (a later move back names its stores anew)."""
    check_role(role)

    def change(connection: Connection, before: User) -> tuple[dict, str]:
        if role in (PLANNER, ADMIN):
            covers = (frozenset(), frozenset())
        elif stores is None and regions is None:
            covers = (before.stores, before.regions)
        else:
            covers = (stores or frozenset(), regions or frozenset())
        after = User(name=before.name, role=role, email=before.email, stores=covers[0],
                     regions=covers[1])  # checks a manager has stores
        values = {"role": role, "stores": sorted(after.stores), "regions": sorted(after.regions)}
        if (role, after.stores, after.regions) == (before.role, before.stores, before.regions):
            return values, None  # a form saved as it was ("store manager, store S01 -> store manager, store S01")
        return values, f"user {name}: {_described(before)} -> {_described(after)}"

    return _change(engine, name, change)


def set_disabled(engine: Engine, name: str, disabled: bool = True) -> User:
    """Disable `name` (no sign-in, no `--as`; the audit trail keeps the name) or enable them again. A user already
    so is left as they are, with no audit entry (a second `users disable` recorded a second "user ana disabled"); an
    enabled user locked out by wrong passwords is enabled, that is unlocked, all the same."""

    def change(_connection: Connection, before: User) -> tuple[dict, str | None]:
        values = {"disabled": disabled, "failed_attempts": 0, "locked_until": None}
        unchanged = before.disabled == disabled and (disabled or (before.failed_attempts == 0
                                                                  and before.locked_until is None))
        return values, None if unchanged else f"user {name} {'disabled' if disabled else 'enabled again'}"

    return _change(engine, name, change)


def set_password_hash(engine: Engine, name: str, password_hash: str) -> User:
    """Store `name`'s new password hash (and unlock the account). The audit entry says that, never the hash."""
    return _change(engine, name, lambda _c, _u: (
        {"password_hash": password_hash, "failed_attempts": 0, "locked_until": None},
        f"password of {name} set"))


def has_users(engine: Engine) -> bool:
    with database_errors(url_of(engine)), engine.connect() as connection:
        return connection.execute(select(users.c.name).limit(1)).first() is not None


def password_hash_of(engine: Engine, name: str) -> str | None:
    with database_errors(url_of(engine)), engine.connect() as connection:
        return connection.execute(select(users.c.password_hash).where(users.c.name == name)).scalar()


def failed_sign_in(engine: Engine, name: str, max_attempts: int, lockout: timedelta) -> datetime | None:
    """Count a wrong password for `name`; at `max_attempts` in a row the account locks for `lockout`. Returns the
    time the lock ends (None: not locked). Counted under the writers' lock, so parallel guesses all count."""
    with database_errors(url_of(engine)), engine.begin() as connection:
        take_write_lock(connection)
        row = _row(connection, name)
        if row is None:
            return None
        attempts = row.failed_attempts + 1
        locked_until = datetime.now(UTC) + lockout if attempts >= max_attempts else None
        connection.execute(update(users).where(users.c.name == name).values(
            failed_attempts=0 if locked_until else attempts, locked_until=locked_until))
        if locked_until:
            audit.record(connection, audit.SIGN_IN, f"{name} locked until {locked_until:%Y-%m-%d %H:%M} UTC after "
                         f"{attempts} wrong passwords in a row", by=name, details={"user": name})
        return locked_until


def signed_in(engine: Engine, name: str) -> None:
    """A right password: the count of wrong ones starts again."""
    with database_errors(url_of(engine)), engine.begin() as connection:
        take_write_lock(connection)
        connection.execute(update(users).where(users.c.name == name).values(failed_attempts=0, locked_until=None))
        audit.record(connection, audit.SIGN_IN, f"{name} signed in", by=name, details={"user": name})


# --- helpers -------------------------------------------------------------------------------------------------------


def _change(engine: Engine, name: str, change) -> User:
    with database_errors(url_of(engine)), engine.begin() as connection:
        take_write_lock(connection)
        row = _row(connection, check_name(name))
        if row is None:
            raise NoSuchUser(f"there is no user {name!r}: `users list` shows the users")
        before = _user(row)
        values, summary = change(connection, before)
        if summary is None:  # nothing to change: nothing written, nothing in the audit trail
            return before
        connection.execute(update(users).where(users.c.name == name).values(**values))
        touched = before.stores | frozenset(values.get("stores", ()))  # found under the stores it was and is about
        audit.record(connection, audit.USERS, summary, stores=touched, details={"user": name})
        return _user(_row(connection, name))


def _row(connection: Connection, name: str):
    return connection.execute(select(users).where(users.c.name == name)).first()


def _user(row) -> User:
    locked = row.locked_until
    if locked is not None:
        locked = locked.replace(tzinfo=UTC) if locked.tzinfo is None else locked.astimezone(UTC)
    return User(name=row.name, role=row.role, stores=frozenset(row.stores), regions=frozenset(row.regions),
                email=row.email, disabled=row.disabled, has_password=row.password_hash is not None,
                failed_attempts=row.failed_attempts, locked_until=locked, created_at=row.created_at)


def _described(user: User) -> str:
    return f"{user.role.replace('_', ' ')}, {user.covers_text() or 'no stores'}"
