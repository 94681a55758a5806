"""The date and the moment the planner takes as now: a plan's or roster's week is over once its Sunday is before
`today()`, the stored calendar rows an import is checked against are those of weeks not over by it, and the plans,
rosters, publications and settings changes are stamped by `now()`, so that a stamp and the date it is compared with
(a re-plan's today may not precede its roster's publication; a plan is judged by the settings in force when it was
made) read one clock.

`PLANNER_TODAY` (environment, YYYY-MM-DD) sets the date: `today()` is that date and `now()` that date at the
machine's time of day, so stamps advance within a day. Across the machine's midnight they do not keep their order
(an app left running stamps 00:10 on the pinned date, earlier than 23:50 the night before), nor against stamps made
without the pin or under another: set it only for a database used under it alone, as training, demos and the tests
(whose dated weeks must stay ahead of today whenever they run, in every process they start) do. A value that is
no such date is `BadToday`, a sentence naming the variable; it is never taken as unset.

Left on the machine's clock, on purpose: the moments that guard access (a sign-in session's end, a lockout, the
sign-in throttle: `planner.accounts`, `planner.access.throttle`, `planner.storage.users_store`, the app's sign-in),
which a variable set for a demo must not stretch or cut short; the audit trail's own stamps (`planner.storage.audit`,
the uploads it records beside them, and the Audit page's default dates, which read them), a record of when things
really happened; a calendar export's DTSTAMP, whose SEQUENCE must rise with every export a phone receives; and the
stored patience estimates' `made_at`, which nothing compares. How far a count's date may lie from today is
`planner.io.observations.today`'s, the machine's.

The standard library and `planner.weeks` (itself of the standard library only), so that any module may ask it,
however low. Callers read it as `clock.today()` and `clock.now()`, never importing the names, so that a test's pin of
either holds in every module that asks."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from planner.weeks import DATE_YEARS, parse_date

TODAY_ENV = "PLANNER_TODAY"
"""The environment variable that sets the date the planner takes as today."""


class BadToday(Exception):
    """`PLANNER_TODAY` holds something that is not a date written YYYY-MM-DD: one sentence, fit to show as it is.
    Not a ValueError, which a caller reading a value of its own may catch and take for that value's fault."""


def today() -> date:
    """`PLANNER_TODAY`'s date, else the machine's: what a week is over by when a command names none
    (`roster replan --today` does)."""
    pinned = _pinned()
    return date.today() if pinned is None else pinned


def now() -> datetime:
    """The moment, in UTC: on `PLANNER_TODAY`'s date (at the machine's time of day where it is, so that the moment's
    date there is `today()`), else the machine's."""
    moment = datetime.now(UTC)
    pinned = _pinned()
    if pinned is None:
        return moment
    # the local time of day, not UTC's: a roster's publication is dated where the machine is
    # (`planner.rostering.replans.require_published_by`), and 23:30 UTC is the next day east of Greenwich
    return datetime.combine(pinned, moment.astimezone().time()).astimezone(UTC)


def check() -> None:
    """`BadToday` now, when `PLANNER_TODAY` cannot be read: the command line and the app ask before anything else,
    so that a slip in it stops every command the same way, not only those that happen to ask the date."""
    _pinned()


def _pinned() -> date | None:
    text = os.environ.get(TODAY_ENV, "")
    if not text.strip():  # set empty (`PLANNER_TODAY= make run`): the machine's date, as unset
        return None
    low, high = DATE_YEARS
    try:
        pinned = parse_date(text.strip())
    except ValueError:
        pinned = None
    if pinned is None or not low <= pinned.year <= high:
        raise BadToday(f"{TODAY_ENV} is {text!r}, not a date written YYYY-MM-DD from {low} to {high} (e.g. "
                       f"2026-12-01): correct it, or unset it to take the machine's date")
    return pinned
