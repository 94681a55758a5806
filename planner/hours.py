"""Opening hours: `HH:MM-HH:MM` or `closed` per weekday; a close of 24:00 or past midnight (e.g. 18:00-02:00) is allowed.

Times are minutes after midnight of the opening day, so a close past midnight is above 1,440.
Weekday 0 = Monday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from planner.words import counted

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MINUTES_PER_DAY = 24 * 60
SLOT_MINUTES = 30
"""The half hours a schedule is planned in (`planner.shifts`): an opening holds every half hour it is open in for a
minute or more, so a store opening at 09:15 is planned from 09:00 (`planner.staff_hours.open_slots`)."""
CLOSED = "closed"
_PATTERN = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class OpeningHours:
    open_minute: int
    close_minute: int
    """Minutes after midnight of the opening day; above 1,440 when the store closes after midnight."""

    def __str__(self) -> str:
        return f"{_clock(self.open_minute)}-{_clock(self.close_minute)}"

    def open_hours(self) -> list[int]:
        """Clock hours (0-23, on the opening day or, past 24, the next day as h-24) during which the store is open."""
        first = self.open_minute // 60
        last = (self.close_minute - 1) // 60
        return list(range(first, last + 1))


def hour_label(hour: int) -> str:
    """A clock hour as a day view shows it: "09:00"; an hour after midnight of the evening before, numbered 24 and
    up (`planner.calendar.business_day_rows`), "00:00+1"."""
    return f"{int(hour) % 24:02d}:00" + ("+1" if int(hour) >= 24 else "")


def day_clock(minute: int) -> str:
    """Minutes after a day's midnight as that day's clock time: "09:30"; past its midnight with "+1" (or "+2"),
    "02:00+1", as a shift or hour of an opening that runs past midnight is written under the opening's day."""
    days, rest = divmod(int(minute), MINUTES_PER_DAY)
    return f"{rest // 60:02d}:{rest % 60:02d}" + (f"+{days}" if days else "")


def end_clock(minute: int) -> str:
    """The end of a span after a day's midnight (`day_clock`), but that midnight itself "24:00", as an opening of
    18:00-24:00 is written: "Sun 20:00-24:00", not "Sun 20:00-00:00+1" (nor "-00:00", read as its start)."""
    return "24:00" if int(minute) == MINUTES_PER_DAY else day_clock(minute)


def day_label(day: date) -> str:
    """A date as people read it in a roster's header: "Mon 7 Dec" (weekday, day of the month, month), the same in
    every locale; machines get the ISO date beside it where a file has a column for one."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"


def parse_opening_hours(text: str) -> OpeningHours | None:
    """`'09:30-21:00'` -> OpeningHours; `'closed'` -> None. Raises ValueError with a readable reason."""
    cleaned = text.strip().lower()
    if cleaned == CLOSED:
        return None
    match = _PATTERN.match(cleaned)
    if not match:
        raise ValueError("is not opening hours like 09:00-21:00 or 'closed'")
    open_h, open_m, close_h, close_m = (int(g) for g in match.groups())
    if (max(open_h, close_h) > 24 or max(open_m, close_m) > 59 or (open_h == 24 and open_m)
            or (close_h == 24 and close_m)):
        raise ValueError("has a time that does not exist (hours 00-24, minutes 00-59)")
    open_minute, close_minute = open_h * 60 + open_m, close_h * 60 + close_m
    if close_minute == open_minute:  # read as 24 hours before; the same slip is refused in the employee file
        raise ValueError("opens and closes at the same time (write 00:00-24:00 for a day open round the clock)")
    if open_h == 24:
        raise ValueError("opens at 24:00, the end of the day (write 00:00 for midnight)")
    if close_minute < open_minute:  # closes after midnight
        close_minute += MINUTES_PER_DAY
    return OpeningHours(open_minute, close_minute)


def is_open_during_hour(week: tuple[OpeningHours | None, ...], weekday: int, hour: int) -> bool:
    """Whether the store is open at some time in the clock hour starting at `hour` on `weekday`."""
    start, end = hour * 60, hour * 60 + 60
    today, yesterday = week[weekday], week[(weekday - 1) % 7]
    if today is not None and start < today.close_minute and end > today.open_minute:
        return True
    # the tail of yesterday's opening that runs past midnight
    return yesterday is not None and start + MINUTES_PER_DAY < yesterday.close_minute


def open_part_of_hours(week: tuple[OpeningHours | None, ...]) -> list[list[tuple[int, int]]]:
    """Per weekday and clock hour (7 x 24), the part of the hour the doors are open, to the minute, as (first open
    minute after the hour starts, minutes open): (30, 30) for the 09:00 of an opening at 09:30, (0, 30) for the
    20:00 of a close at 20:30, (0, 60) for an hour open whole, (0, 0) where closed; an opening past midnight holds
    the next day's first hours (Sunday's, Monday's). Customers come in these minutes only, so a count of such an
    hour holds that part of an hour's customers (a schedule plans whole half hours: `planner.staff_hours`)."""
    first, last = [60] * (7 * 24), [0] * (7 * 24)
    for day, hours in enumerate(week):
        if hours is None:
            continue
        start = day * MINUTES_PER_DAY + hours.open_minute
        end = day * MINUTES_PER_DAY + hours.close_minute
        for hour in range(start // 60, -(-end // 60)):
            cell = hour % (7 * 24)
            first[cell] = min(first[cell], max(start - hour * 60, 0))
            last[cell] = max(last[cell], min(end - hour * 60, 60))
    return [[(first[d * 24 + h], last[d * 24 + h] - first[d * 24 + h]) if last[d * 24 + h] else (0, 0)
             for h in range(24)] for d in range(7)]


@dataclass(frozen=True)
class OpeningOverlap:
    """Weekday `day`'s opening runs past midnight into weekday `next_day`'s opening (Sunday's into Monday's: the week
    is planned as a cycle). Times are minutes after `next_day`'s midnight."""

    day: int
    next_day: int
    runs_until_minute: int
    """When `day`'s opening ends, on `next_day`."""
    next_open_minute: int
    next_close_minute: int

    @property
    def overlap_minutes(self) -> int:
        """Minutes both openings hold, each of which the plan could file under one day only."""
        return min(self.runs_until_minute, self.next_close_minute) - self.next_open_minute


def opening_overlaps(week: tuple[OpeningHours | None, ...]) -> list[OpeningOverlap]:
    """Each weekday (0 = Monday) of `week` whose opening past midnight runs into the next weekday's opening, in
    weekday order. An opening that ends as the next one starts (18:00-06:00, then 06:00-...) touches it and is not
    here. The hours after midnight are the opening day's (`close_minute` above 1,440), as everywhere."""
    found = []
    for day, hours in enumerate(week):
        next_day = (day + 1) % len(week)
        following = week[next_day]
        if hours is None or following is None:
            continue
        runs_until = hours.close_minute - MINUTES_PER_DAY
        if runs_until > following.open_minute:
            found.append(OpeningOverlap(day, next_day, runs_until, following.open_minute, following.close_minute))
    return found


def overlap_message(overlap: OpeningOverlap, day: str, following: str, hours: str, next_hours: str) -> str:
    """ "Saturday's opening (sat 18:00-06:00) runs to 06:00 on Sunday, but Sunday opens at 00:00 (sun 00:00-24:00):
    the two overlap by 6 hours": `day` and `following` name the two days, `hours` and `next_hours` their openings as
    the reader finds them."""
    return (f"{day}'s opening ({hours}) runs to {day_clock(overlap.runs_until_minute)} on {following}, but "
            f"{following} opens at {day_clock(overlap.next_open_minute)} ({next_hours}): the two overlap by "
            f"{_duration(overlap.overlap_minutes)}")


def overlap_fix(overlap: OpeningOverlap, day: str, following: str) -> str:
    """End the first opening as the next opens, or start the next as the first ends (where it is still open then;
    else it lies within the first, and closing it keeps every hour)."""
    end = end_clock(overlap.next_open_minute or MINUTES_PER_DAY)  # Sunday from 00:00: Saturday ends at 24:00
    if overlap.next_close_minute > overlap.runs_until_minute:
        return f"End {day} at {end} or open {following} at {day_clock(overlap.runs_until_minute)}."
    return f"End {day} at {end} or make {following} closed."


def _duration(minutes: int) -> str:
    """ "6 hours", "4.5 hours"; "20 minutes" where hours would need more than one decimal."""
    return counted(minutes / 60, "hour") if minutes % 30 == 0 else counted(minutes, "minute")


def _clock(minute: int) -> str:
    if minute != MINUTES_PER_DAY:  # a close at midnight reads 24:00, later ones as next-day clock times
        minute %= MINUTES_PER_DAY
    return f"{minute // 60:02d}:{minute % 60:02d}"
