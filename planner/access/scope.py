"""A user's scope: the role and the stores or regions it covers, as one immutable value.

The scope is passed to the planner's functions that read or write store data; storage filters by it and refuses a
write outside it (`OutsideScope`). Pages and the CLI only pass it on: nothing is filtered in the UI alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planner.words import agreeing

STORE_MANAGER, REGIONAL_LEAD, PLANNER, ADMIN = "store_manager", "regional_lead", "planner", "admin"
ROLES = (STORE_MANAGER, REGIONAL_LEAD, PLANNER, ADMIN)

UPLOAD, COMPARE, PLAN, PUBLISH, EDIT_SETTINGS, MANAGE_USERS, READ_AUDIT, CHANGE_STORES = (
    "upload", "compare", "plan", "publish", "edit settings", "manage users", "read the audit trail",
    "change the chain's store file")
_ALLOWED = {
    STORE_MANAGER: {UPLOAD, PLAN},
    REGIONAL_LEAD: {UPLOAD, PLAN, COMPARE},
    PLANNER: {UPLOAD, PLAN, COMPARE, PUBLISH, EDIT_SETTINGS, READ_AUDIT, CHANGE_STORES},
    ADMIN: {UPLOAD, PLAN, COMPARE, PUBLISH, EDIT_SETTINGS, MANAGE_USERS, READ_AUDIT, CHANGE_STORES},
}
"""What each role may do, within its stores. A store's row of the store file (hours, wage, staff limits, region) is
the chain's and moves every plan of the store: a store manager or regional lead may upload it only as stored
(`planner.store_rows`). Reading a store's counts, recommendations, plans and rosters needs only
that the store is in scope."""


class OutsideScope(PermissionError):
    """A read or write of stores, or an action, that the user's scope does not cover. The message names what was
    refused and never lists stores outside the scope."""


@dataclass(frozen=True)
class Scope:
    user: str
    role: str
    stores: frozenset[str] = frozenset()
    """Store ids this user covers (store managers; leads may have some too)."""
    regions: frozenset[str] = frozenset()
    """Regions this user covers: every store whose `region` is one of them (regional leads)."""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, got {self.role!r}")

    @classmethod
    def everything(cls, user: str = "local") -> Scope:
        """The single-user scope of a local install: every store, every action."""
        return cls(user=user, role=ADMIN)

    @property
    def all_stores(self) -> bool:
        return self.role in (PLANNER, ADMIN)

    def covers(self, store_id: str, region: str | None = None) -> bool:
        """Whether the store (with its region, when known) is in scope."""
        return self.all_stores or store_id in self.stores or (region is not None and region in self.regions)

    def may(self, action: str) -> bool:
        return action in _ALLOWED[self.role]

    def require(self, action: str) -> None:
        """Raise `OutsideScope` unless the role may do `action`."""
        if not self.may(action):
            raise OutsideScope(f"{self.user} ({self.role.replace('_', ' ')}) may not {action}")

    def stores_in_scope(self, stores: Iterable[tuple[str, str | None]]) -> list[str]:
        """The store ids, of (store_id, region) pairs, that this scope covers, in the order given."""
        return [store_id for store_id, region in stores if self.covers(store_id, region)]

    def require_stores(self, wanted: Iterable[str], visible: Iterable[str], what: str = "see") -> None:
        """Raise `OutsideScope` unless every store id of `wanted` is among `visible` (the stores this scope covers).
        The message names only the ids asked for (the caller's own words), never the stores that exist elsewhere."""
        shown = set(visible)
        refused = [store_id for store_id in dict.fromkeys(wanted) if store_id not in shown]
        if refused:
            raise OutsideScope(f"{self.user} ({self.role.replace('_', ' ')}) may not {what} "
                               f"{agreeing(len(refused), 'store')} {', '.join(refused)}: {self.described()}")

    def described(self) -> str:
        """What the scope covers, in words: "every store", or its own stores and regions (never other stores)."""
        if self.all_stores:
            return "every store"
        parts = ([f"{agreeing(len(self.stores), 'store')} {', '.join(sorted(self.stores))}"] if self.stores else []) + (
            [f"{agreeing(len(self.regions), 'region')} {', '.join(sorted(self.regions))}"] if self.regions else [])
        return "covers " + (" and ".join(parts) if parts else "no store")


def page_for_roles(page: str, action: str, role: str) -> str:
    """Why `role` does not see `page`, a page for the roles that may `action`, each named from what it may do:
    "Audit is for planners and admins; you are signed in as a regional lead." An address of the page opened the
    Upload page without a word."""
    allowed = [f"{name.replace('_', ' ')}s" for name in ROLES if action in _ALLOWED[name]]
    listed = allowed[0] if len(allowed) == 1 else f"{', '.join(allowed[:-1])} and {allowed[-1]}"
    signed_in = role.replace("_", " ")
    article = "an" if signed_in[0] in "aeiou" else "a"
    return f"{page} is for {listed}; you are signed in as {article} {signed_in}."


def publish_hint(scope: Scope, making: str, *, drafted: bool = False, publishing: Sequence[str] = (),
                 drafts: int | None = None) -> str:
    """How a store-week's plan or roster gets published, for `scope`'s role: `making --publish` for a role that may
    publish; else a planner's (a store manager or regional lead may make drafts only, and is told so, not shown a flag
    that refuses them). `making`: the command that makes one, without `--publish`. `drafted`: a draft was just saved,
    so making one is not advised again. `publishing`: the commands that publish the drafts just saved, one each
    (`plans publish 1`), named instead of `making --publish`, which would solve again and leave the drafts behind;
    `drafts`: how many drafts they publish (default one each: `plans publish 1 2 3` is one command for three)."""
    role = scope.role.replace("_", " ")
    if publishing:
        named = " and ".join(f"`{command}`" for command in publishing)
        them = "it" if (drafts or len(publishing)) == 1 else "them"
        if scope.may(PUBLISH):
            return f"{named} {'publishes' if len(publishing) == 1 else 'publish'} {them}"
        return f"ask a planner to publish {them} ({named}): a {role} may not publish"
    if scope.may(PUBLISH):
        return f"`{making} --publish` makes and publishes {'a new one' if drafted else 'one'}"
    advice = f"ask a planner to publish one (`{making} --publish`): a {role} may not publish"
    return advice if drafted else f"`{making}` makes a draft to look at; {advice}"


EVERYTHING = Scope.everything()
"""The default of every function that takes a scope: local single-user use, every store and every action."""
