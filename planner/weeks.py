"""ISO weeks (Monday first), dates as a user writes them (YYYY-MM-DD), and the years a date or a week may have: the
standard library only, so that the command line checks a `--week` or a date flag as it reads it without loading
pandas (`planner.calendar`, which applies a store calendar to a week, re-exports `IsoWeek`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DATE_YEARS = (1900, 2199)
"""The years a date (and an ISO week) may have: pandas' dates end in 1677 and 2262 (a date beyond was stored as
another); a plan for 1899 or 2200 is a typing slip."""
DAYS_PER_WEEK = 7
_WEEK = re.compile(r"^\s*([0-9]{4})-?W([0-9]{1,2})\s*$", re.IGNORECASE)
"""ASCII digits only, as `ISO_DATE`: a Unicode digit class also took Arabic-Indic and full-width digits, which `int`
reads as a week."""
ISO_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
"""A date as every message asks for it, YYYY-MM-DD (ASCII digits): the one pattern the command line's date flags
(`parse_date`) and the files' date columns (`planner.io.checking`) accept."""
_ISO_DATE = re.compile(ISO_DATE)


def parse_date(text: str) -> date:
    """'2026-12-07' -> date(2026, 12, 7); ValueError for anything else. `date.fromisoformat` alone (Python 3.11+)
    also takes 20261207 and 2026-W50-1, which no message of the planner offers and a typing slip may produce: they
    are refused here."""
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        raise ValueError(f"'{text}' is not a date written YYYY-MM-DD")
    return date.fromisoformat(text)


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO 8601 week: Monday to Sunday, week 1 holding the year's first Thursday."""

    year: int
    week: int

    def __post_init__(self) -> None:
        try:
            date.fromisocalendar(self.year, self.week, 1)
        except ValueError:
            raise ValueError(f"{self.year} has no ISO week {self.week} ({_weeks_of(self.year)})") from None
        try:  # 9999-W52 starts in the calendar and ends past its last day
            date.fromisocalendar(self.year, self.week, DAYS_PER_WEEK)
        except (ValueError, OverflowError):
            raise ValueError(f"{self} runs past the last date there is (9999-12-31)") from None

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """'2026-W50' (or '2026W50', any case) -> IsoWeek(2026, 50); ValueError saying what is wrong."""
        match = _WEEK.match(str(text))
        if not match:
            raise ValueError(f"'{text}' is not an ISO week such as 2026-W50")
        year = int(match.group(1))
        if not DATE_YEARS[0] <= year <= DATE_YEARS[1]:
            raise ValueError(f"'{text}' is a week of the year {year}: give a week of the years {DATE_YEARS[0]}-"
                             f"{DATE_YEARS[1]}, such as 2026-W50")
        return cls(year, int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def dates(self) -> tuple[date, ...]:
        """Monday to Sunday: `dates()[weekday]` is the date of that weekday (0 = Monday)."""
        return tuple(self.monday + timedelta(days=day) for day in range(DAYS_PER_WEEK))


def _weeks_of(year: int) -> str:
    """How the weeks of `year` run, as a refused week says it: "2026's weeks run 1 to 53" (its 28 December is always
    in its last week); where the calendar cannot tell (a year past 9999), the rule."""
    try:
        return f"{year}'s weeks run 1 to {date(year, 12, 28).isocalendar().week}"
    except ValueError:
        return "weeks run 1 to 52, or 53 in some years"


def nearest_week(today: date, weeks: Iterable[str], weeks_ahead: int) -> str | None:
    """Of `weeks` (ISO weeks as text), the one nearest to `today`'s week among that week and the `weeks_ahead` after
    it (the weeks a page offers): a week over is not what a person reads a roster for, and one beyond the page's
    choices could not be shown. None for none. Text that is no week is passed over."""
    this = IsoWeek.of(today).monday
    last = this + timedelta(days=DAYS_PER_WEEK * weeks_ahead)
    known = []
    for text in weeks:
        try:
            known.append(IsoWeek.parse(text))
        except ValueError:
            continue
    ahead = [week for week in known if this <= week.monday <= last]
    return str(min(ahead)) if ahead else None
