"""The chain's settings, kept in the database: one row per change (who, when, why, and every setting as JSON), the
latest in force. Pages, the CLI and the pipeline plan with them when there are any, else with the defaults.

    save_settings(engine, settings, changed_by, note)   -> the change's id
    load_settings(engine)                               -> the settings in force as a dict, or None
    chain_settings_of(engine, base) / chain_settings(base)  -> a `Settings` (base's connection kept)
    settings_history(engine)                            -> one row per change, with what it changed in words
    chain_settings_changes(engine)                      -> (when, the settings from then on) per change, oldest first
    changes_between(before, after)                      -> what differs, in the history's words
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, insert, select

from planner import clock
from planner.access.scope import EDIT_SETTINGS, EVERYTHING, Scope
from planner.errors import PlannerError
from planner.settings import FieldInfo, Settings, field_info, settings_from_dict, settings_to_dict, value_text
from planner.storage import audit
from planner.storage.engine import connect, database_errors, take_write_lock, url_of
from planner.storage.tables import NOTE_MAX_CHARS, PERSON_MAX_CHARS, chain_settings as table
from planner.storage.versioned import utc
from planner.words import ended

HISTORY_COLUMNS = ["id", "changed_at", "changed_by", "note", "changes"]


def save_settings(engine: Engine, settings: Settings | Mapping[str, object], changed_by: str, note: str = "",
                  scope: Scope = EVERYTHING) -> int:
    """Make `settings` (a `Settings`, or a dict as `settings_to_dict` writes it) the chain's settings. A dict is
    checked first (`settings_from_dict`): nothing invalid is stored. Only a role that may edit settings may
    (`OutsideScope`). Returns the change's id."""
    scope.require(EDIT_SETTINGS)
    chosen = settings if isinstance(settings, Settings) else _checked(settings, "these settings")
    changed_by, note = _text(changed_by, "changed_by", PERSON_MAX_CHARS), _text(note or "", "note", NOTE_MAX_CHARS)
    if not changed_by:
        raise PlannerError("say who changes the settings (changed_by is empty)")
    row = {"changed_at": clock.now(), "changed_by": changed_by, "settings": settings_to_dict(chosen),
           "note": note or None}
    with database_errors(url_of(engine)), engine.begin() as connection:
        take_write_lock(connection)
        before = connection.execute(select(table.c.settings).order_by(table.c.id.desc()).limit(1)).scalar()
        change = connection.execute(insert(table).values(**row)).inserted_primary_key[0]
        changes = _changes(before or _defaults_as_stored(), json.loads(json.dumps(row["settings"])))
        audit.record(connection, audit.SETTINGS, f"chain settings change {change}: {changes}"
                     + (f" (why: {note})" if note else ""), by=changed_by, details={"change_id": change})
        return change


def load_settings(engine: Engine) -> dict[str, object] | None:
    """The chain's settings in force (the latest change) as stored, or None when nobody has saved any."""
    with database_errors(url_of(engine)), engine.connect() as connection:
        return connection.execute(select(table.c.settings).order_by(table.c.id.desc()).limit(1)).scalar()


def chain_settings_of(engine: Engine, base: Settings | None = None) -> Settings:
    """The chain's settings as a `Settings`, on top of `base` (its database connection is kept); `base` (default:
    the defaults) when none are saved. Settings the planner cannot use raise `PlannerError` saying what to do."""
    base = base or Settings()
    values = load_settings(engine)
    return base if values is None else _checked(values, "the chain's settings saved in the database", base)


def chain_settings(base: Settings | None = None) -> Settings:
    """`chain_settings_of` on the database `base` names (the CLI's loader)."""
    base = base or Settings()
    engine = connect(base)
    try:
        return chain_settings_of(engine, base)
    finally:
        engine.dispose()


def settings_history(engine: Engine) -> pd.DataFrame:
    """Every change, newest first: id, changed_at (UTC), changed_by, note and `changes` (what differs from the change
    before, or from the defaults for the first: "Target service level (share) 80% -> 95%"; "no change" if none)."""
    with database_errors(url_of(engine)), engine.connect() as connection:
        rows = connection.execute(select(table).order_by(table.c.id)).all()
    history, before = [], _defaults_as_stored()
    for row in rows:
        history.append((row.id, row.changed_at, row.changed_by, row.note or "", _changes(before, row.settings)))
        before = row.settings
    frame = pd.DataFrame(history[::-1], columns=HISTORY_COLUMNS)
    frame["changed_at"] = pd.to_datetime(frame["changed_at"], utc=True)  # SQLite gives UTC without its zone
    return frame


def chain_settings_changes(engine: Engine) -> list[tuple[datetime, Settings | None]]:
    """Every change of the chain's settings, oldest first: (when, in UTC; the settings in force from then on, or None
    where they cannot be used today: a value outside today's range). Before the first, the defaults were in force."""
    with database_errors(url_of(engine)), engine.connect() as connection:
        rows = connection.execute(select(table.c.changed_at, table.c.settings).order_by(table.c.id)).all()
    changes = []
    for row in rows:
        try:
            chosen = _checked(row.settings, "the chain's settings")
        except PlannerError:
            chosen = None
        changes.append((utc(row.changed_at), chosen))
    return changes


def changes_between(before: Settings, after: Settings) -> str:
    """What differs from `before` to `after`, in the words of the history ("Target wait (seconds) 60 -> 20; ..."),
    "" when nothing does."""
    said = _changes(_as_stored(before), _as_stored(after))
    return "" if said == "no change" else said


# --- helpers -------------------------------------------------------------------------------------------------------


def _as_stored(settings: Settings) -> dict[str, object]:
    return json.loads(json.dumps(settings_to_dict(settings)))  # as stored: lists, not tuples



def _defaults_as_stored() -> dict[str, object]:
    return _as_stored(Settings())


def _checked(values: Mapping[str, object], what: str, base: Settings | None = None) -> Settings:
    """`values` as a `Settings`, or `PlannerError` saying what to do. Every value outside its setting's range is
    named first: settings saved before a range existed (a service level of 0.995) would otherwise be planned with,
    or refused by a bare check ("must be above 0") that does not say the range."""
    outside = _outside_ranges(values) if isinstance(values, Mapping) else []
    if outside:
        it = "them within their ranges" if len(outside) > 1 else "it within its range"
        raise PlannerError(f"{what} cannot be used: {'; '.join(outside)}: set {it} on the Settings page and save the "
                           "settings again (on the command line: `settings set NAME=VALUE`)")
    try:
        return settings_from_dict(values, base)
    except ValueError as error:
        raise PlannerError(f"{what} cannot be used: {ended(str(error))} Save the settings again on the Settings page (on the "
                           "command line: `settings set NAME=VALUE`)") from error


def _outside_ranges(values: Mapping[str, object]) -> list[str]:
    """"Patience (targets.patience_minutes) is 0, outside its range (from 0.1 up to 120 minutes)" for each number
    of `values` (as stored) outside its setting's `FieldInfo` range, and for a list of numbers where the setting
    takes one ("... is [40], outside its range", as `FieldInfo.allows_value` refuses (40,): it read "must be
    float"); switches, missing values and values of another wrong kind pass (`settings_from_dict` names the last)."""
    said = []
    for name, value in _flat(values).items():
        info = _info(name)
        items = value if isinstance(value, list | tuple) else [value]
        numbers = all(isinstance(item, int | float) and not isinstance(item, bool) for item in items)
        if info is not None and not info.many and items is value and numbers:
            said.append(f"{info.label} ({name}) is {json.dumps(value)}, outside its range ({info.allowed()})")
            continue
        for item in items:
            if info is None or isinstance(item, bool) or not isinstance(item, int | float):
                continue
            if not info.allows(float(item)):
                shown = f"{item:g}" if isinstance(item, float) else str(item)
                said.append(f"{info.label} ({name}) is {shown}, outside its range ({info.allowed()})")
    return said


def _text(value: str, name: str, limit: int) -> str:
    value = " ".join(str(value).split())
    if len(value) > limit:
        raise PlannerError(f"{name} is {len(value)} characters long: shorten it to {limit} at most")
    return value


def _changes(before: Mapping[str, object], after: Mapping[str, object]) -> str:
    old, new = _flat(before), _flat(after)
    changed = [f"{_label(name)} {_shown(name, old.get(name))} -> {_shown(name, new.get(name))}"
               for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)]
    return "; ".join(changed) or "no change"


def _label(name: str) -> str:
    """A setting's name as the Settings page shows it ("Shift lengths (hours)"), not its path
    ("shifts.shift_lengths_hours"); the path where no label is known."""
    info = _info(name)
    return name if info is None else f"{info.label} ({info.unit})" if info.unit else info.label


def _shown(name: str, value: object) -> str:
    """A value as the Settings page's table shows it (`value_text`): "85%", not 0.85."""
    info = _info(name)
    return value_text(value, "" if info is None else info.unit)


def _info(name: str) -> FieldInfo | None:
    """The `FieldInfo` of the setting at path `name` ("targets.target_service_level"), or None where it has none."""
    section, _, field_name = name.partition(".")
    try:
        return field_info(type(getattr(Settings(), section)), field_name)
    except (AttributeError, KeyError, TypeError):
        return None


def _flat(values: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    flat = {}
    for name, value in values.items():
        if isinstance(value, Mapping):
            flat |= _flat(value, f"{prefix}{name}.")
        else:
            flat[f"{prefix}{name}"] = value
    return flat
