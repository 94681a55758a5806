"""A user of the planner as the users table keeps them, and the `Scope` a user works in.

    user = User(name="ana", role=STORE_MANAGER, stores=frozenset({"S01"}))
    user.scope()                  # Scope(user="ana", role="store_manager", stores={"S01"})
    parse_ids("S01, S02")         # ("S01", "S02"): how the CLI and the Admin page read a list of stores or regions

A disabled user has no scope: `scope()` raises `NoSuchUser`, the same error as a name nobody has, so neither the
command line nor the sign-in page tells an outsider which names exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from planner.access.ids import id_problem, split_ids
from planner.access.scope import PLANNER, REGIONAL_LEAD, ROLES, STORE_MANAGER, Scope
from planner.errors import PlannerError

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,199}")
"""A user name: letters, digits and . _ @ - (so it reads the same in a shell, a log line and a table), at most 200."""
NAME_RULE = "use letters, digits and . _ @ - (at most 200 characters), starting with a letter or digit"
"""What a user name (`NAME`) may hold, in words, for a message refusing one."""
EMAIL = re.compile(r"[^@\s<>()\[\],;:\"'`\\]+@[^@\s<>()\[\],;:\"'`\\]+\.[^@\s<>()\[\],;:\"'`\\]+")
"""An e-mail address as identity providers give them: one @, a dot after it, no spaces, quotes or markup."""


class NoSuchUser(PlannerError):
    """A name (or e-mail) no enabled user has."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    stores: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    email: str | None = None
    disabled: bool = False
    has_password: bool = False
    failed_attempts: int = 0
    locked_until: datetime | None = None
    created_at: datetime | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        check_name(self.name)
        check_role(self.role)
        if self.email is not None and not EMAIL.fullmatch(self.email):
            raise PlannerError(f"{self.email!r} is not an e-mail address: write it as name@example.com")
        if self.role == STORE_MANAGER and not self.stores:
            raise PlannerError(f"{self.name} is a store manager of no store: give the stores they manage")
        if self.role == REGIONAL_LEAD and not (self.regions or self.stores):
            raise PlannerError(f"{self.name} is a regional lead of no region: give the regions they lead")

    def scope(self) -> Scope:
        """What this user may see and do; `NoSuchUser` when the user is disabled."""
        if self.disabled:
            raise NoSuchUser(f"no enabled user {self.name!r}: `users list` shows the users")
        return Scope(user=self.name, role=self.role, stores=self.stores, regions=self.regions)

    def covers_text(self) -> str:
        """Its stores and regions in words: "all stores", "stores S01, S02", "region North"."""
        if self.role in (PLANNER, "admin"):
            return "all stores"
        parts = []
        if self.stores:
            parts.append(("store " if len(self.stores) == 1 else "stores ") + ", ".join(sorted(self.stores)))
        if self.regions:
            parts.append(("region " if len(self.regions) == 1 else "regions ") + ", ".join(sorted(self.regions)))
        return "; ".join(parts)


def check_name(name: str) -> str:
    if isinstance(name, str) and not name.strip():  # an empty field: '' is not a name a person would recognise
        raise PlannerError(f"a user name is needed: {NAME_RULE}")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise PlannerError(f"{name!r} is not a user name: {NAME_RULE}")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise PlannerError(f"{role!r} is not a role: give one of {', '.join(ROLES)}")
    return role


def parse_ids(text: str | None, what: str = "store") -> frozenset[str]:
    """"S01, S02" -> {"S01", "S02"} (commas between, or semicolons); each id any text a list can hold
    (`planner.access.ids`: the store file's rule), so an id from a chain's own systems is named as it is written.
    Whether the store file holds it is `planner.accounts`'s to say."""
    parts = split_ids(text)
    for part in parts:
        problem = id_problem(part, what)
        if problem:
            raise PlannerError(f"{problem}: write {what} ids separated by commas, e.g. S01,S02")
    return frozenset(parts)
