"""Lists and counts in the words of a message: the first few named, the rest counted ("S01, S02, S03 and 4 more");
a number with the noun that agrees with it ("1 keyholder", "2 keyholders").

Stdlib only, so every layer (files, storage, shifts, rosters, pages) says a long list the same way.

The rule for counts: a noun after a number is singular for exactly 1 and plural otherwise ("1 staff-hour",
"2 staff-hours", "1 work unit", "0 stores"), and a verb after a count agrees with it ("1 staff-hour is", "2 are").
"staff" is the same for one and many ("1 staff", "3 staff", as in "a store of 20 staff"), so it takes no plural
ending, but its verb still agrees. Unit symbols (h, s, min) never change ("1 h", "2 h"); write the verb after them
with `agreeing`, or name the unit in full with `counted`.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Sequence


SENTENCE_ENDS = (".", "?", "!")


def ended(sentence: str) -> str:
    """`sentence` ended as a sentence, for another (a fix) to follow: a full stop added unless it ends in one
    already, or in a question or exclamation mark ("... did you mean 'Europe/London'? Fix it", never "...?. Fix
    it"). A closing bracket takes the full stop after it: "(did you mean 'Europe/London'?)." ends the sentence."""
    text = sentence.rstrip()
    return text if text.endswith(SENTENCE_ENDS) else f"{text}."


IN_CURRENCY = "in the currency of the store file's wages"
"""The unit of every sum of money the planner shows (wage costs, a re-plan's premium pay): wages per hour come from
the store file (a person's own wage in the employee file is in the same money), and neither file nor the README names
a currency (no column holds one), so every page and the command line say whose it is in these words ("Costs in the
currency of the store file's wages."). "The store file's currency" named a currency no store file holds."""


MONEY_SPEC = ",.2f"
"""How every sum of money is written, on pages and on the command line: two decimals and thousands separators
("8,551.20", "9,770.00"): wages read "8,551.2" in one table, "9,770" above it and "8,551.20" on the command line.
Every money format below is built from it; `format(amount, MONEY_SPEC)` for a table that pads its cells."""
MONEY_FORMAT = f"{{:{MONEY_SPEC}}}"
"""`MONEY_SPEC` as a format string (a table's column format)."""
SIGNED_MONEY_FORMAT = f"{{:+{MONEY_SPEC}}}"
"""`MONEY_FORMAT` with its sign, for a difference of money (a wage gap: "+2,164.50")."""
MONEY_COLUMN_FORMAT = f"%{MONEY_SPEC}"
"""`MONEY_FORMAT` as `st.column_config.NumberColumn` takes it (printf, "," for thousands)."""
NOT_KNOWN = "–"
"""How a number that is not known is written (a table's empty cell, a sum of money that is NaN)."""


def money(amount: float | None, *, signed: bool = False) -> str:
    """`amount`, a sum of money (`IN_CURRENCY`), as every surface writes it: "8,551.20" (`MONEY_SPEC`), with its
    sign when `signed` ("+2,164.50"). Less than half a cent either side of nothing is "0.00", never "-0.00"; a
    missing or NaN amount is `NOT_KNOWN`."""
    if amount is None or math.isnan(amount):
        return NOT_KNOWN
    nearest_cent = round(float(amount), 2) + 0.0  # -0.0 + 0.0 is 0.0: a sign that rounds to nothing goes
    return format(nearest_cent, f"+{MONEY_SPEC}" if signed else MONEY_SPEC)


STORE_ID_SHOWN_MAX_CHARS, STORE_ID_SHOWN_TAIL_CHARS = 24, 8
"""The most characters of a store id a label shows (`store_id_shown`), and how many of them are its end: a
60-character id filled the Roster page's store picker at 1024 px, and the name after it never showed."""


RIGHT_TO_LEFT_LABEL_MAX_CHARS, RIGHT_TO_LEFT_NAME_LEAST_CHARS = 40, 12
"""The most characters of a store's label whose name reads right to left (Hebrew, Arabic), the name cut at its end
to fit, and the fewest of the name kept: laid out after "S04 – ", such a name starts at the right edge, where the
Roster page's half-width store picker (40 characters at 1024 px) cut a longer label, so the name lost its start."""
ISOLATE_START, ISOLATE_END = "\u2068", "\u2069"
"""Unicode's first-strong isolate and its end: a right-to-left name between them lays out as one piece, its "…" where
it ends when read right to left, and nothing of it trades places with the id and dash before it."""


def store_label(store_id: str, name: str | None, whole: bool = False) -> str:
    """How a store is labelled wherever one is picked or named beside its figures: "S01 – Berlin Mitte", as the
    store file names it ("S01 Berlin Mitte" read as another spelling of the same store); a store without a name
    (empty, blank or missing) is "S01", no dash after it. On a page a very long id is cut (`store_id_shown`), and a
    name read right to left is isolated and cut at its end to fit `RIGHT_TO_LEFT_LABEL_MAX_CHARS`; `whole`, as a
    file names it, keeps the id and the name as the store file gives them."""
    named = name.strip() if isinstance(name, str) else ""
    if whole:
        return f"{store_id} – {named}" if named else str(store_id)
    shown = store_id_shown(store_id)
    if not named:
        return shown
    if _reads_right_to_left(named):
        room = max(RIGHT_TO_LEFT_LABEL_MAX_CHARS - len(shown) - len(" – "), RIGHT_TO_LEFT_NAME_LEAST_CHARS)
        if len(named) > room:
            named = named[:room - 1].rstrip() + "…"
        named = f"{ISOLATE_START}{named}{ISOLATE_END}"
    return f"{shown} – {named}"


def store_id_shown(store_id: str) -> str:
    """`store_id` as a label beside a name shows it: whole up to `STORE_ID_SHOWN_MAX_CHARS`, else its start and its
    end with "…" between ("S01-BERLIN-MITT…-0000001"), the end kept as ids sharing a prefix differ there. Labels
    only: files and the database keep the id whole."""
    text = str(store_id)
    if len(text) <= STORE_ID_SHOWN_MAX_CHARS:
        return text
    head = STORE_ID_SHOWN_MAX_CHARS - STORE_ID_SHOWN_TAIL_CHARS - 1
    return f"{text[:head]}…{text[-STORE_ID_SHOWN_TAIL_CHARS:]}"


def _reads_right_to_left(text: str) -> bool:
    """Whether `text`'s first letter of a strong direction is right to left (Hebrew, Arabic), as an isolate judges."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def first_named(items: Sequence[str], at_most: int) -> str:
    """`items` joined by ", ", at most `at_most` of them named and the rest counted: "a, b and 3 more"; "" for none.

    The count is a plain whole number ("and 1234 more"), as every caller wrote it before this helper."""
    if at_most < 1:
        raise ValueError(f"at_most must name at least 1 item, got {at_most}")
    named = ", ".join(items[:at_most])
    more = len(items) - at_most
    return f"{named} and {more} more" if more > 0 else named


def listed(items: Sequence[str]) -> str:
    """Every one of `items` named, the last after "and": "a, b and c", "a and b", "a"; "" for none. For a list the
    sentence names in full; `first_named` counts the rest of a long one."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def counted(number: float, singular: str, plural: str | None = None) -> str:
    """`number` and the noun that agrees with it: "1 keyholder", "2 keyholders", "0 days", "1 person", "3 people".

    `plural` defaults to `singular` + "s". Numbers are written with thousands separators, whole ones in full
    ("1,234 rows"), others as `:g` writes them ("1.5 staff-hours", "1,234.5 staff-hours"); only exactly 1 takes the
    singular ("1.5 hours", as English says it)."""
    return f"{number_text(number)} {agreeing(number, singular, plural)}"


def number_text(number: float) -> str:
    """A number as `counted` writes it, with thousands separators: whole in full ("1,234"), under 1,000 as `:g` writes
    it ("77.5", "0.125"), from 1,000 to two decimals without trailing zeros ("1,234.5", "1,234,567.25"; `:,g` keeps six
    digits and wrote 123456.5 as "123,456" and 1234567.5 as "1.23457e+06")."""
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:g}" if abs(number) < 1000 else f"{number:,.2f}".rstrip("0").rstrip(".")


def ordinal(number: int) -> str:
    """`number` as a place in English: "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st"."""
    ending = "th" if number % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{ending}"


def agreeing(number: float, singular: str, plural: str | None = None) -> str:
    """The words of `counted` without the number, for a sentence that writes the number its own way: `singular` for
    exactly 1, else `plural` (default `singular` + "s")."""
    return singular if number == 1 else plural if plural is not None else f"{singular}s"


def nearest(value: str, choices, *, misspelt: bool = True) -> str | None:
    """The one of `choices` that `value` most likely is, misspelt ("S2" for "S02"), typed in another case ("s01") or
    in full-width characters ("S0１", which difflib alone read as near 'S09' as 'S01'), or None. `misspelt=False`:
    only another case or width of one of `choices` (a store manager's "S02", another store's id, is no slip for their
    own "S01")."""
    folded = {_folded(choice): choice for choice in reversed(list(choices))}  # the first of equal foldings wins
    typed = _folded(value)
    if not misspelt:
        return folded.get(typed)
    same_number = [name for name in folded if _numbered(name) == _numbered(typed) is not None]
    if len(same_number) == 1:  # "S1" is S01, though difflib scores S10 alike
        return folded[same_number[0]]
    near = difflib.get_close_matches(typed, list(folded), n=1)
    return folded[near[0]] if near else None


MARKUP = re.compile(r"<[^<>]*>|&#?\w+;")
"""An HTML tag or character reference in a cell ("<b>", "&nbsp;"): markup, which no id holds."""


def disguised(value: str, choices) -> str | None:
    """The one of `choices` that `value`, not one of them, is once its markup (`MARKUP`) and every character that is
    neither a letter nor a digit are dropped and case and width folded: 'S06' for "<b>S06</b>", "**S06**" or "S06.";
    None where none is, more than one is (an id's own "-" may tell two stores apart), or `value` differs from it in
    case or width alone ("s06": `nearest(..., misspelt=False)` names that slip)."""
    if value in choices or nearest(value, choices, misspelt=False) is not None:
        return None
    bare = _bare(MARKUP.sub("", value))
    meant = [choice for choice in choices if bare and _bare(choice) == bare]
    return meant[0] if len(meant) == 1 else None


def _bare(text: str) -> str:
    return "".join(character for character in _folded(text) if character.isalnum())


def _numbered(text: str) -> tuple[str, int] | None:
    """("s", 1) for "s01" and "s1": letters, then a number written with or without leading zeros; None for other
    text."""
    letters = text.rstrip("0123456789")
    digits = text[len(letters):]
    return (letters, int(digits)) if digits and letters and not letters[-1].isdigit() else None


def _folded(text) -> str:
    """`text` as its reader sees it: compatibility characters as their plain forms (NFKC), case folded."""
    return unicodedata.normalize("NFKC", str(text)).casefold()
