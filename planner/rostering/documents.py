"""A roster as saved in the database: the JSON document `roster` and the pages save, read back as a `SavedRoster`
(what pages and exports show without solving again) or as the `Roster` a re-plan starts from; the roster published
for a store-week, read back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace

import pandas as pd
from sqlalchemy import Engine

from planner import storage
from planner.access.scope import EVERYTHING, Scope
from planner.calendar import IsoWeek
from planner.errors import PlannerError
from planner.pipeline import select_stores
from planner.roster import Assignment, Roster, RosterInstance
from planner.roster import status as roster_status
from planner.roster.report import business_date
from planner.roster.result import BUSINESS_DATE, CLOCK_CHANGE_HOURS, HOUR_COLUMNS, PEOPLE_COLUMNS, SHIFT_COLUMNS, Level
from planner.settings import RosterRules, Settings
from planner.shifts.candidates import Candidate
from planner.storage.versioned import PUBLISHED, SUPERSEDED

DOCUMENT_VERSION = 1


_MOMENTS = ("start", "end", "break_start")


@dataclass(frozen=True)
class SavedRoster:
    """A roster read back from the database: what pages and exports show, without solving again."""

    roster_id: int
    store_id: str
    iso_week: str
    status: str
    status_sentence: str
    shifts: pd.DataFrame
    people: pd.DataFrame
    hours: pd.DataFrame
    sentences: tuple[str, ...]
    requirement_source: str
    note: str | None
    roster_rules: dict | None = None
    """The roster rules it was made with (`RosterRules` as a dict); None for a roster saved before they were kept."""
    time_zone: str | None = None
    """The store's time zone it was made under, whose clock its shifts' times keep (None: none, floating times)."""
    time_zone_kept: bool = False
    """Whether its document kept `time_zone`: a roster saved before it was kept says nothing of a zone's change."""


def published(engine: Engine, store_id: str, iso_week: str, scope: Scope = EVERYTHING) -> SavedRoster | None:
    """The roster published for the store and week, read back, or None."""
    require_store(engine, store_id, scope)
    stored = storage.published_roster(engine, store_id, str(IsoWeek.parse(iso_week)))
    return None if stored is None else saved_roster(stored)


def ever_published(engine: Engine, store_id: str, iso_week: str) -> pd.DataFrame:
    """The listing rows (`storage.list_rosters`, no documents) of the rosters once published for the store and week,
    oldest first: the one published now and those it replaced, not the week's drafts."""
    week = str(IsoWeek.parse(iso_week))
    return pd.concat([storage.list_rosters(engine, store_id, week, status=status) for status in (SUPERSEDED, PUBLISHED)]
                     ).sort_values("roster_id", ignore_index=True)


def zones_made_under(zones: Mapping[str, str | None], *saved: SavedRoster) -> dict[str, str | None]:
    """`zones` (store_id -> IANA name or None, `resolve_time_zones`: the zones in force now) with each store of a
    `saved` roster on the zone that roster was made under, where its document kept one: its shifts are clock times on
    that zone, so its calendars state it and a shift read elsewhere is read on it (a 09:00 made on Berlin's clock
    stays 09:00 Berlin after the store moved to London's). A roster made with no zone, or saved before its zone was
    kept, is read on the zone now (a zone set since names its clock times: `zone_since`). A roster just made, not
    read back, is on the zone now and needs none of this."""
    return {**zones, **{roster.store_id: roster.time_zone for roster in saved
                        if roster.time_zone_kept and roster.time_zone is not None}}


def rule_value(value: object) -> object:
    """A rule's value as saved in a document (JSON: a tuple as a list) as the settings hold it."""
    return tuple(value) if isinstance(value, list) else value


def require_store(engine: Engine, store_id: str, scope: Scope) -> None:
    """An unknown store (`UnknownStore`, naming only stores in scope) unless `scope` covers `store_id`."""
    if not scope.all_stores:
        select_stores(storage.load_stores(engine, scope), [store_id], scope)


def roster_document(roster: Roster, requirement_source: str = "") -> str:
    """The roster as the JSON text saved in the database: its assignments (to re-plan from) and its frames (to show
    without solving again)."""
    return json.dumps({
        "version": DOCUMENT_VERSION,
        "store_id": roster.instance.store_id,
        "week_start": roster.instance.week_start.isoformat(),
        "time_zone": roster.instance.time_zone,
        "status": roster.status,
        "status_sentence": roster.status_sentence,
        "requirement_source": requirement_source,
        "objective": roster.objective, "best_bound": roster.best_bound, "solve_seconds": roster.solve_seconds,
        "assignments": [{"employee_id": a.employee_id, **_candidate(a.shift)} for a in roster.assignments],
        "shifts": _records(roster.shifts[SHIFT_COLUMNS]),
        "people": _records(roster.people),
        "hours": _records(roster.hours),
        "sentences": list(roster.sentences),
        "roster_rules": asdict(roster.rules),
        "quick": roster.quick,
        "levels": [asdict(level) for level in roster.levels],
    }, ensure_ascii=False)


def saved_roster(stored: storage.StoredRoster) -> SavedRoster:
    document = read_document(stored.document)
    return SavedRoster(
        stored.roster_id, stored.store_id, stored.iso_week, document["status"],
        roster_status.in_todays_words(document["status_sentence"]),  # saved in earlier words, shown in today's
        _saved_shifts(document), _frame(document["people"], PEOPLE_COLUMNS),
        _frame(document["hours"], HOUR_COLUMNS), tuple(document["sentences"]), document.get("requirement_source", ""),
        stored.note, document.get("roster_rules"), document.get("time_zone"), "time_zone" in document)


def roster_from_document(text: str, instance: RosterInstance, settings: Settings, *,
                         as_made: bool = False) -> Roster:
    """A saved roster as the `Roster` record a re-plan starts from, on today's `instance` of its store-week, with
    the chain's roster rules, and the time zone its hours were counted in (none for a roster saved before shifts were
    paid by the zone: by the clock). `as_made`: with the rules it was made with (the chain's for a rule it does not
    keep) and its search's levels and quick flag, as `publish_caution` judges it."""
    document = read_document(text)
    rules, levels, quick = settings.roster, (), False
    # the zone its hours were counted in, re-planned too: a night published at 8 h does not owe 9 after the store's
    # zone became known (none saved: by the clock)
    instance = replace(instance, time_zone=document.get("time_zone"))
    if as_made:
        rules = _rules_made_with(document, settings.roster)
        levels = tuple(Level(**level) for level in document.get("levels", ()))
        quick = bool(document["quick"]) if "quick" in document else bool(QUICK_SENTENCE.search(
            document["status_sentence"]))
    return Roster(instance, rules, document["status"], document["status_sentence"],
                  _assignments(document), _saved_shifts(document), _frame(document["people"], PEOPLE_COLUMNS),
                  _frame(document["hours"], HOUR_COLUMNS), tuple(document["sentences"]),
                  float(document["objective"]), float(document["best_bound"]), float(document["solve_seconds"]),
                  levels, quick)


QUICK_SENTENCE = re.compile(r"\bQuick (roster|re-plan) made in ")
"""How the status sentence of a quick roster reads (`roster.status.status_sentence`): whether a roster saved before
its document kept `quick` was the quick one."""


def _rules_made_with(document: dict, rules: RosterRules) -> RosterRules:
    """The roster rules a saved roster was made with: `rules` with those its document keeps."""
    kept = document.get("roster_rules") or {}
    return replace(rules, **{item.name: rule_value(kept[item.name]) for item in fields(RosterRules)
                             if item.name in kept})


def _candidate(shift: Candidate) -> dict:
    return {"weekday": shift.weekday, "start_minute": shift.start_minute, "length_hours": shift.length_hours,
            "break_start_minute": shift.break_start_minute, "break_minutes": shift.break_minutes}


def _assignments(document: dict) -> tuple[Assignment, ...]:
    return tuple(Assignment(row["employee_id"], Candidate(**{k: v for k, v in row.items() if k != "employee_id"}))
                 for row in document["assignments"])


def _saved_shifts(document: dict) -> pd.DataFrame:
    """The saved shifts with each one's `BUSINESS_DATE`, derived from its assignment (the shift's weekday and minutes
    after that weekday's midnight, saved with every roster), so a roster saved before the grid filed shifts by their
    opening shows Sunday's 00:00+1 under Sunday too. A shift without its assignment keeps its clock date."""
    shifts = _frame(document["shifts"], SHIFT_COLUMNS)
    shifts[CLOCK_CHANGE_HOURS] = shifts[CLOCK_CHANGE_HOURS].astype(float).fillna(0.0)  # saved before: by the clock
    monday = dt.date.fromisoformat(document["week_start"])
    opening_of = {}
    for assignment in _assignments(document):
        shift = assignment.shift
        start = pd.Timestamp(monday) + pd.Timedelta(days=shift.weekday, minutes=shift.start_minute)
        opening_of[(assignment.employee_id, start)] = business_date(monday, shift)
    clock = shifts["start"].dt.normalize()
    found = [opening_of.get((employee, start)) for employee, start in zip(shifts["employee_id"], shifts["start"],
                                                                           strict=True)]
    return shifts.assign(**{BUSINESS_DATE: pd.to_datetime(pd.Series(found, index=shifts.index, dtype=object))
                            .fillna(clock)})


def _records(frame: pd.DataFrame) -> list[dict]:
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = [None if pd.isna(v) else v.isoformat() for v in out[column]]
    return json.loads(out.to_json(orient="records", date_format="iso"))


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    """The saved records as a frame with every one of `columns`; a column added since the roster was saved (the
    people's week_min_hours) is there, not known (NaN)."""
    frame = pd.DataFrame(records, columns=columns if not records else None)
    frame = frame.reindex(columns=[*columns, *(column for column in frame.columns if column not in columns)])
    for column in frame.columns:
        if column in _MOMENTS or (column == "start" and column in HOUR_COLUMNS):
            frame[column] = pd.to_datetime(frame[column])
    return frame


def read_document(text: str) -> dict:
    document = json.loads(text)
    if document.get("version") != DOCUMENT_VERSION:
        raise PlannerError(f"the saved roster is in a format this planner does not read (version "
                           f"{document.get('version')}): make the roster again")
    return document

