"""What a roster changes of the one published for its store-week: whose shifts change, by kind (`shift_changes`), and
the shifts once published that it drops (`withdrawn_shifts`), which calendars send as cancelled. Shifts are matched
by their calendar event's key (`day_keys`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from planner import storage
from planner.access.scope import EVERYTHING, Scope
from planner.calendar import IsoWeek
from planner.roster.check_changes import change_kind
from planner.roster.result import (
    ADDED, BREAK_MOVED, BUSINESS_DATE, CANCELLED, LENGTHENED, MOVED, SHIFT_COLUMNS, SHORTENED, business_dates,
)
from planner.rostering.documents import ever_published, require_store, saved_roster
from planner.shifts.candidates import Candidate


@dataclass(frozen=True)
class ShiftChanges:
    """What publishing a roster over the one published for its store-week changes (`shift_changes`): whose shifts
    change, so that they are told and sent their calendars again."""

    replaces: int
    """The published roster it replaces."""
    people: tuple[tuple[str, str], ...]
    """(employee_id, name) of each person with a shift added, cancelled or changed, or a break moved, in the order of
    the shifts of the roster published, then of the new one's."""
    shifts: tuple[tuple[str, int], ...]
    """(kind, shifts) for each kind of change to a shift's hours `check_changes.change_kind` names (added, cancelled,
    moved, shortened, lengthened), in that order, kinds with none left out."""
    breaks_moved: int
    """Shifts kept at their hours with the break at another time (`BREAK_MOVED`)."""


SHIFT_CHANGE_ORDER = (ADDED, CANCELLED, MOVED, SHORTENED, LENGTHENED)
"""The order `ShiftChanges.shifts` counts the kinds in: what appears, what goes, then what changes."""


def shift_changes(engine: Engine, store_id: str, iso_week: str, shifts: pd.DataFrame,
                  scope: Scope = EVERYTHING) -> ShiftChanges | None:
    """What publishing a roster of `shifts` for the store-week would change of the roster published there (None where
    none is): `changed_shifts` between the two. Publishing over a published roster said nothing of whose shifts it
    changed."""
    require_store(engine, store_id, scope)
    stored = storage.published_roster(engine, store_id, str(IsoWeek.parse(iso_week)))
    if stored is None:
        return None
    return changed_shifts(stored.roster_id, saved_roster(stored).shifts, shifts)


def changed_shifts(replaces: int, before: pd.DataFrame, after: pd.DataFrame) -> ShiftChanges:
    """What the shifts `after` change of the published roster `replaces`' shifts `before`. Shifts are matched by
    their calendar event's key (`day_keys`), as `withdrawn_from` matches them, and each change is of the kind a
    re-plan's change list says (`check_changes.change_kind`): a shift moved, shortened or lengthened, or only its
    break moved, where this counted every one of them "moved"."""
    was, now = _shifts_by_day(before), _shifts_by_day(after)
    names = {**dict(zip(before["employee_id"].astype(str), before["name"].astype(str), strict=True)),
             **dict(zip(after["employee_id"].astype(str), after["name"].astype(str), strict=True))}
    kinds = {key: change_kind(was.get(key), now.get(key)) for key in {**was, **now}}
    changed = {person for (_, person, _), kind in kinds.items() if kind is not None}
    counts = {kind: sum(1 for k in kinds.values() if k == kind) for kind in (*SHIFT_CHANGE_ORDER, BREAK_MOVED)}
    return ShiftChanges(replaces, tuple((person, name) for person, name in names.items() if person in changed),
                        tuple((kind, counts[kind]) for kind in SHIFT_CHANGE_ORDER if counts[kind]),
                        counts[BREAK_MOVED])


def day_keys(shifts: pd.DataFrame) -> list[tuple[str, str, pd.Timestamp]]:
    """Per shift of `shifts`, the key of its calendar event (`planner.roster_export.event_uid`): (store_id,
    employee_id, the date of the opening it works in, `business_dates`), one shift a day. Whatever matches a roster's
    shifts with another's matches them by it (`withdrawn_from`, `changed_shifts`): by the clock's date, Sunday's
    00:00+1 moved to Sunday 18:00 read as withdrawn."""
    return list(zip(shifts["store_id"].astype(str), shifts["employee_id"].astype(str), business_dates(shifts),
                    strict=True))


def _shifts_by_day(shifts: pd.DataFrame) -> dict[tuple[str, str, pd.Timestamp], Candidate]:
    """`day_keys` -> the day's shift as a `Candidate` timed from midnight of its opening's date (what
    `change_kind` compares: its span and its break), from the clock times a roster's shifts frame holds."""
    days = {}
    for key, start, end, pause in zip(day_keys(shifts), pd.to_datetime(shifts["start"]), pd.to_datetime(shifts["end"]),
                                      pd.to_datetime(shifts["break_start"]), strict=True):
        day = key[2]
        days[key] = Candidate(day.weekday(), _minutes(start - day), _minutes(end - start) // 60,
                              None if pd.isna(pause) else _minutes(pause - day), 0)
    return days


def _minutes(span: pd.Timedelta) -> int:
    return int(span / pd.Timedelta(minutes=1))


def withdrawn_shifts(engine: Engine, store_id: str, iso_week: str, shifts: pd.DataFrame,
                     scope: Scope = EVERYTHING) -> pd.DataFrame:
    """The shifts once published for the store and week that `shifts` no longer hold (`withdrawn_from` the
    rosters published there; drafts never published are not counted). A calendar export sends them as cancelled,
    so that a phone that imported an earlier export drops them."""
    require_store(engine, store_id, scope)
    return withdrawn_from([saved_roster(storage.load_roster(engine, int(roster_id))).shifts
                           for roster_id in ever_published(engine, store_id, iso_week)["roster_id"]], shifts)


def withdrawn_from(earlier: list[pd.DataFrame], shifts: pd.DataFrame) -> pd.DataFrame:
    """The shifts (`SHIFT_COLUMNS` and `BUSINESS_DATE`) of the `earlier` rosters, oldest first, that `shifts` no
    longer hold: for each person and opening date (a calendar event's key, `planner.roster_export.event_uid`) that
    some earlier roster gave a shift and `shifts` give none, the latest such shift. Matched by the date of the opening
    a shift works in (`business_dates`), not the clock's: Sunday's 00:00+1 moved to Sunday 18:00 is not withdrawn."""
    columns = [*SHIFT_COLUMNS, BUSINESS_DATE]
    if not earlier:
        return pd.DataFrame(columns=columns)
    every = pd.concat(earlier, ignore_index=True)
    every = every.assign(**{BUSINESS_DATE: business_dates(every)})
    latest = every[~pd.Series(day_keys(every)).duplicated(keep="last").to_numpy()]
    kept = set(day_keys(shifts))
    return latest[[key not in kept for key in day_keys(latest)]][columns].reset_index(drop=True)

