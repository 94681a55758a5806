"""Lists in the words of a message: the first few named, the rest counted ("S01, S02, S03 and 4 more").

Stdlib only, so every layer (files, storage, shifts, rosters, pages) says a long list the same way.
"""

from __future__ import annotations

from collections.abc import Sequence


def first_named(items: Sequence[str], at_most: int) -> str:
    """`items` joined by ", ", at most `at_most` of them named and the rest counted: "a, b and 3 more"; "" for none.

    The count is a plain whole number ("and 1234 more"), as every caller wrote it before this helper."""
    if at_most < 1:
        raise ValueError(f"at_most must name at least 1 item, got {at_most}")
    named = ", ".join(items[:at_most])
    more = len(items) - at_most
    return f"{named} and {more} more" if more > 0 else named
