"""What a store id (and a region) is: one rule for the store file's import, the `users` command's --stores and
--regions, and the Users page (which offers the store file's own ids).

A chain's store ids come from its own systems, so any text is one, markup and signs included (`<b>S99</b>`, `HH 01`:
pages and files escape what they show): all that is asked is that a list of stores can name it. Lists separate
their ids by commas or semicolons (`users add --stores S01,S02`, the employee file's `also_stores`, an OIDC group's
`store_manager:S01,S02`), so an id holds neither, nor a line break or other control character, nor is it blank.
How long an id may be is the store file's column's (`planner.schemas.STORE_ID_MAX_CHARS`).
"""

from __future__ import annotations

import re

SEPARATORS = re.compile(r"\s*[,;]\s*")
"""Between the ids of a list, with any spaces around them."""
_UNLISTABLE = re.compile(r"[,;\x00-\x1f\x7f]")


def id_problem(text: str, what: str = "store") -> str | None:
    """Why `text` cannot be a `what` id ("store", "region"), in words; None when it can."""
    if not text.strip():
        return f"a {what} id is needed"
    found = _UNLISTABLE.search(text)
    if found is None:
        return None
    sign = {",": "a comma", ";": "a semicolon"}.get(found.group(), "a line break or other control character")
    return (f"{text!r} holds {sign}, and a {what} id may hold no comma, semicolon or control character: they "
            "separate the ids of a list of stores")


def split_ids(text: str | None) -> list[str]:
    """The ids of a list as written ("S01, S02;HH 01" -> S01, S02, HH 01): commas or semicolons between, the spaces
    around each id left out; none for a blank text."""
    return [part for part in SEPARATORS.split((text or "").strip()) if part]
