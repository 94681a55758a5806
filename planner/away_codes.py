"""Short codes for the reasons people are away ("S" for sick, "A" for annual leave), for a roster grid whose day
columns are too narrow for the reason itself: at 1024 px a day is 68 px wide and "away (sick)" was cut to
"away (sick". The grid writes "away (S)" and a key under it says what each code stands for; the files write the
reason in full.

Reasons are free text from the absence file, so the codes are made from them: the first letter, else the initials of
the first two words, else the first letter and another of the first word, else the first letter and a number: one
character or two ("away (AL)" is about 56 px) unless more than nine reasons of a week begin alike. Codes are capitals
only ("Sl" beside "SL" is easy to misread in a narrow cell). Grids shown side by side (a re-plan and the roster it
re-plans) take their codes from the reasons of both, so that one code means one reason on either.

Stdlib only.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping


def away_codes(reasons: Iterable[str]) -> dict[str, str]:
    """Each non-blank reason of `reasons`, as written, -> its code ("sick" -> "S"). Reasons that differ only in case
    or spacing ("Sick", "sick ") share one. Codes are handed out in the order of the reasons sorted, so the same
    reasons get the same codes in whatever order the absences come."""
    written = [str(reason) for reason in reasons]
    coded: dict[str, str] = {}
    for key in sorted({_folded(reason) for reason in written} - {""}):
        coded[key] = next(code for code in _candidates(key) if code not in coded.values())
    return {reason: coded[_folded(reason)] for reason in written if _folded(reason)}


def away_key(reasons: Iterable[str], codes: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(code, reason as first written) of each reason of `reasons` once, in the order of the reasons sorted: the key
    under a grid that writes the codes ("A", "annual leave"), ("S", "sick"). `codes` (an `away_codes` of these
    reasons and more, for grids shown side by side) gives the codes; default: `away_codes(reasons)`."""
    written = [str(reason) for reason in reasons]
    codes = away_codes(written) if codes is None else codes
    first: dict[str, str] = {}
    for reason in written:
        if reason in codes:
            first.setdefault(codes[reason], " ".join(reason.split()))
    return sorted(first.items(), key=lambda item: _folded(item[1]))


def _candidates(key: str) -> Iterator[str]:
    """The codes a folded reason may have, the shortest and plainest first."""
    words = [word for word in re.split(r"\W+", key) if word] or [key]
    first = words[0][0].upper()
    yield first
    if len(words) > 1:
        yield first + words[1][0].upper()
    yield from (first + letter for letter in dict.fromkeys(words[0][1:].upper()) if letter.isalnum())
    yield from (f"{first}{number}" for number in itertools.count(2))


def _folded(reason: str) -> str:
    return " ".join(str(reason).split()).casefold()
