"""Who acts now, said once per command or page run, so every audit entry under it names them.

    with acting_as("ana"):      # the CLI's --as name, the app's signed-in user
        ...                     # storage writes record "ana"
    actor()                     # "ana"; outside any acting_as: the operating system's user

A context variable, not a global: each app session's script run, thread and task sees only its own.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_ACTOR: ContextVar[str | None] = ContextVar("planner_actor", default=None)


@contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Record every change made inside as made by `name`."""
    token = _ACTOR.set(name)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def actor() -> str:
    """Who acts now: the innermost `acting_as` name, else the operating system's user."""
    return _ACTOR.get() or os_user()


def os_user() -> str:
    """The operating system's login name ("command line" when the process has none, as in some containers)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "command line"
