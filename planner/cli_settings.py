"""The command line's chain settings, as the app's Settings page shows and saves them: `settings show` (every
setting a planner sets, its value, unit and default, and whether it differs), `settings set NAME=VALUE ...` (checked
as the page checks them, saved whole or not at all, as the page's Save saves them: with a history entry and an audit
entry, by a role that may edit settings) and `settings history` (the page's *Changes*).

    planner settings show [--json]
    planner settings set weekly_budget_staff_hours=400 target_service_level=85% [--note "Christmas trading"]
    planner settings history
"""

from __future__ import annotations

import json
import math
import sys
from typing import TYPE_CHECKING

from planner.cli_flags import EXIT_OK, PROG, BadInput, percent_meant, written_as
from planner.settings import Settings
from planner.words import ended

if TYPE_CHECKING:  # the command's start-up loads no storage or pipeline (test_layers)
    from planner.settings_change import SavedSettings

NONE_WORDS = ("none", "")
"""What an optional setting (the weekly budget, the occupancy ceiling) takes for none, as `settings show` writes it."""
NONE_MEANS = {"targets.max_occupancy": "no occupancy ceiling", "shifts.weekly_budget_staff_hours": "no weekly budget",
              "chain.time_zone": "no time zone"}
"""What none is, for each optional setting, where `settings set` says one is already none."""
SWITCH_WORDS = {"on": True, "off": False, "true": True, "false": False, "yes": True, "no": False}
"""What a switch takes: `settings show` writes on and off."""


def add_settings(commands) -> None:
    settings = commands.add_parser("settings", help="the chain's settings, as the app's Settings page: show them, "
                                   "set some, their history")
    kept = settings.add_subparsers(required=True, metavar="show|set|history")
    shown = kept.add_parser("show", help="every setting a planner sets: in force, default, unit, whether it differs")
    shown.add_argument("--json", action="store_true", help="as JSON: each setting's name, value, default, unit, "
                       "meaning, allowed range and whether it differs from its default")
    shown.set_defaults(command=_show, default_settings=True)
    changed = kept.add_parser("set", help="change settings and save them as the chain's (all of them or none), as "
                              "the Settings page's Save does: needs a role that may edit settings")
    changed.add_argument("pairs", nargs="+", metavar="NAME=VALUE",
                         help="a setting as `settings show` names it (shifts.weekly_budget_staff_hours, or "
                              "weekly_budget_staff_hours where the name is the only one), and its value as it shows "
                              "it: 400, 85%% or 0.85, 4,6,8, on/off, none, a time zone such as Europe/London")
    changed.add_argument("--note", default="", metavar="TEXT", help="why the change, saved with it (the history and "
                         "the audit trail show it)")
    changed.set_defaults(command=_set, default_settings=True, creates_database=True)
    history = kept.add_parser("history", help="every change of the chain's settings, newest first: when, who, what "
                              "changed, why")
    history.set_defaults(command=_history, default_settings=True)


# --- commands ----------------------------------------------------------------------------------------------------

def _show(args, settings: Settings) -> int:
    from planner import storage
    from planner.editable_settings import EDITABLE, GROUPS, in_force
    from planner.words import agreeing

    engine = storage.connect(settings)
    chain = storage.chain_settings_of(engine, settings)  # saved ones it cannot use: one line, exit 2, what to do
    last = storage.settings_history(engine).head(1)
    table = in_force(chain)
    if args.json:
        defaults = Settings()
        print(json.dumps({
            "saved": None if last.empty else {"change_id": int(last["id"].iloc[0]),
                                              "changed_at": last["changed_at"].iloc[0].isoformat(),
                                              "changed_by": last["changed_by"].iloc[0],
                                              "note": last["note"].iloc[0]},
            "settings": [{"name": setting.path, "label": setting.info.label, "value": _plain(setting.value(chain)),
                          "default": _plain(setting.value(defaults)), "unit": setting.info.unit,
                          "meaning": setting.info.meaning, "allowed": setting.info.allowed(),
                          "differs": bool(row.differs)}
                         for setting, row in zip(EDITABLE, table.itertuples(index=False), strict=True)],
        }, indent=2))
        return EXIT_OK
    width = max(len(name) for name in table["name"])
    value_width = max(len(text) for text in [*table["in force"], *table["default"], "in force"])
    print(f"{'setting':{width}}  {'in force':{value_width}}  {'default':{value_width}}  {'unit':22}  differs")
    for heading, part, _ in GROUPS:
        print(f"{heading}:")
        rows = table[table["name"].str.startswith(f"{part}.")]
        for name, value, default, unit, differs in zip(rows["name"], rows["in force"], rows["default"], rows["unit"],
                                                       rows["differs"], strict=True):
            print(f"{name:{width}}  {value:{value_width}}  {default:{value_width}}  {unit or '-':22}  "
                  f"{'yes' if differs else ''}".rstrip())
    differ = int(table["differs"].sum())
    saved = ("nobody has saved the chain's settings yet: the defaults are in force" if last.empty else
             f"saved by {last['changed_by'].iloc[0]} on {last['changed_at'].iloc[0]:%Y-%m-%d %H:%M} (UTC)")
    print(f"{differ} of {len(table)} settings {agreeing(differ, 'differs', 'differ')} from the defaults; {saved}.")
    print(f"`{PROG} settings set NAME=VALUE ...` changes them; `--json` gives each one's meaning and range.")
    return EXIT_OK


def _set(args, settings: Settings) -> int:
    from planner import storage
    from planner.access.scope import EDIT_SETTINGS
    from planner.editable_settings import RefusedSetting, with_values
    from planner.errors import PlannerError
    from planner.settings_change import save_chain_settings
    from planner.storage.tables import NOTE_MAX_CHARS

    args.scope.require(EDIT_SETTINGS)  # said first: a role that may not is told so, not that its value is wrong
    note = " ".join(args.note.split())
    if len(note) > NOTE_MAX_CHARS:  # before the settings are read and checked, as the page's box holds no more
        raise BadInput(f"--note is {len(note)} characters long: shorten it to {NOTE_MAX_CHARS} at most")
    values, typed = _parsed(args.pairs)
    engine = storage.connect(settings)
    try:
        current = storage.chain_settings_of(engine, settings)
    except PlannerError as refused:  # as the Settings page: start from the defaults, and saving puts them right
        print(f"note: {ended(str(refused))} Until they are saved again this starts from the defaults: every setting not given "
              "here is saved at its default", file=sys.stderr)
        current, refused_saved = settings, True
    else:
        refused_saved = False
    try:
        chosen = with_values(current, values)
    except RefusedSetting as refused:
        if refused.setting is None:
            raise BadInput(_nothing_saved([str(refused)])) from None
        raise BadInput(_nothing_saved([f"{typed[refused.setting.path]}: {refused}; allowed: "
                                       f"{_allowed(refused.setting)}"])) from None
    said = storage.changes_between(current, chosen)
    if not said and not refused_saved:  # saved settings that cannot be used are replaced, even by the defaults
        print("nothing changed: " + ", ".join(f"{path} is already {_already(path, value, typed[path])}"
                                              for path, value in values.items()) + "; nothing was saved")
        return EXIT_OK
    saved = save_chain_settings(engine, chosen, args.scope.user, note, args.scope, before=current)
    print(f"saved as the chain's settings (change {saved.change_id}): "
          f"{said or 'the defaults, in place of the saved settings that could not be used'}")
    _say_out_of_date(engine, saved, args.scope)
    return EXIT_OK


def _history(args, settings: Settings) -> int:
    from planner import storage

    history = storage.settings_history(storage.connect(settings))
    if history.empty:
        print("nobody has saved the chain's settings yet: the defaults are in force")
        return EXIT_OK
    print(f"{'change':>6} {'when (UTC)':16} {'who':16} what changed (why)")
    for row in history.itertuples(index=False):
        note = f" (why: {' '.join(row.note.split())})" if row.note else ""
        print(f"{row.id:>6} {row.changed_at:%Y-%m-%d %H:%M} {str(row.changed_by)[:16]:16} {row.changes}{note}")
    return EXIT_OK


# --- helpers -------------------------------------------------------------------------------------------------------

def _parsed(pairs: list[str]) -> tuple[dict[str, object], dict[str, str]]:
    """The values of `pairs` ("NAME=VALUE") by setting path, and each pair as typed by path; `BadInput` naming every
    pair that names no setting, has no value, or a value of the wrong kind or outside its range: all of them or
    none."""
    values, typed, problems = {}, {}, []
    for pair in pairs:
        name, equals, text = pair.partition("=")
        if not equals:
            problems.append(f"'{pair}' has no value: write NAME=VALUE, e.g. weekly_budget_staff_hours=400")
            continue
        try:
            setting = _setting_named(name.strip())
            value = _value(setting, text.strip())
        except BadInput as problem:
            problems.append(f"{pair}: {problem}")
            continue
        if setting.path in values:
            problems.append(f"{setting.path} is given twice ({typed[setting.path]}, {pair}): give it once")
            continue
        values[setting.path], typed[setting.path] = value, pair
    if problems:
        raise BadInput(_nothing_saved(problems))
    return values, typed


def _nothing_saved(problems: list[str]) -> str:
    return (f"nothing was saved (the settings are saved all together or not at all): {ended('; '.join(problems))} Fix "
            f"{'it' if len(problems) == 1 else 'them'} and run the command again (`{PROG} settings show` lists every "
            "setting and its value, `--json` its range)")


def _setting_named(name: str):
    """The setting a planner sets named `name`: its path ("shifts.break_minutes"), or its name alone where no other
    part has one of that name; with hyphens for underscores too (`--budget`'s spelling). `BadInput` naming the one
    meant for a slip, and why for a setting no one sets here (the solver's seed)."""
    from planner.editable_settings import EDITABLE
    from planner.settings import settings_to_dict
    from planner.words import nearest

    wanted = name.replace("-", "_").lower()
    by_path = {setting.path: setting for setting in EDITABLE}
    if wanted in by_path:
        return by_path[wanted]
    alone = [setting for setting in EDITABLE if setting.name == wanted]
    if len(alone) == 1:
        return alone[0]
    if alone:
        raise BadInput(f"{len(alone)} settings are named {name}: "
                       + " and ".join(f"{s.path} ({s.info.label})" for s in alone) + ": give the one meant")
    stored = [f"{part}.{field}" for part, values in settings_to_dict(Settings()).items() for field in values]
    if wanted in stored or "." not in wanted and any(path.endswith(f".{wanted}") for path in stored):
        raise BadInput(f"{name} is not one a planner sets: `{PROG} settings set` and the Settings page change those "
                       f"`{PROG} settings show` lists (the solver's and the models' internals stay in "
                       "planner/settings.py)")
    near = nearest(wanted, [*by_path, *(setting.name for setting in EDITABLE)])
    if near is None:  # "budget" for weekly_budget_staff_hours: a word of one setting's name only
        holding = [path for path in by_path if wanted in path.partition(".")[2].split("_")]
        near = holding[0] if len(holding) == 1 else None
    raise BadInput(f"unknown setting {name}{f': did you mean {near}?' if near else ''}")


def _value(setting, text: str) -> object:
    """`text` as a value of `setting`, of its kind and within its range (`FieldInfo`), else `BadInput` saying what
    the setting takes."""
    from typing import get_args, get_origin, get_type_hints

    from planner.editable_settings import PARTS

    kind = get_type_hints(PARTS[setting.part])[setting.name]
    takes = f"{setting.info.label} must be {_allowed(setting)}"
    if kind is bool:
        if text.lower() not in SWITCH_WORDS:
            raise BadInput(f"{takes}, got '{text}'")
        return SWITCH_WORDS[text.lower()]
    if get_origin(kind) is tuple:
        numbers = [_number(part.strip(), setting.info, True, takes) for part in text.split(",") if part.strip()]
        if not numbers:
            raise BadInput(f"{takes}: give at least one, e.g. 4,6,8")
        return tuple(sorted(set(numbers)))
    if type(None) in get_args(kind) and text.lower() in NONE_WORDS:
        return None
    if setting.info.text:  # the time zone: a name, checked as the Settings page's is (`with_values`)
        from planner.zones import meant_said, takes_time_zone

        if not takes_time_zone(text):
            raise BadInput(f"{takes}, got '{text}'{meant_said(text)}")
        return text
    return _number(text, setting.info, int in (kind, *get_args(kind)), takes)


def _number(text: str, info, whole: bool, takes: str) -> float | int:
    """`text` as a number within `info`'s range (a whole one where `whole`): a share also as a percentage ("85%")."""
    percent = info.unit == "share" and text.endswith("%")
    try:
        value = float(text[:-1] if percent else text) / (100 if percent else 1)
    except ValueError:
        raise BadInput(f"'{text}' is not a number{written_as(text, 'SHARE' if info.unit == 'share' else '')}: "
                       f"{takes}") from None
    if not math.isfinite(value) or not info.allows(value) or whole and not value.is_integer():
        meant = percent_meant(text, value, info.allows) if info.unit == "share" and not percent else ""
        raise BadInput(f"{takes}, got {text}{meant}")
    return int(value) if whole else value


def _allowed(setting) -> str:
    """What `setting` takes, in words: its range, and how a share, an optional setting or a switch is written."""
    info, default = setting.info, setting.value(Settings())
    if info.unit == "on/off":
        return "on or off"
    allowed = info.allowed()
    if info.unit == "share":
        example = default if default is not None else 0.85
        allowed += f" (e.g. {example:g} or {example * 100:g}%)"
    return allowed + (", or none" if default is None else "")


def _already(path: str, value: object, pair: str) -> str:
    """The value the setting at `path` already has: as its `pair` typed it ("85%"), and none in words, "none (no time
    zone)" (an empty value is none too, and read "already ;")."""
    if value is not None:
        return pair.partition("=")[2]
    return f"none ({NONE_MEANS[path]})" if path in NONE_MEANS else "none"


def _plain(value: object) -> object:
    """A setting's value as JSON holds it: a list for a tuple."""
    return list(value) if isinstance(value, tuple) else value


def _say_out_of_date(engine, saved: SavedSettings, scope) -> None:
    """Which saved plans the change put out of date (`planner.settings_change.save_chain_settings`: made with the
    settings before it, as `plans list` now says), as `import` names those it puts out of date; nothing where there
    is no saved plan of a week not over."""
    from planner.cli_io import say_put_out_of_date
    from planner.words import counted

    if saved.plans_unchecked:
        print(f"the saved plans could not be checked for settings out of date: {saved.plans_unchecked.rstrip('.')} "
              f"(`{PROG} plans list` says which are)")
        return
    if saved.plans_checked and not saved.out_of_date:
        print(f"this change puts no saved plan out of date ({counted(saved.plans_checked, 'saved plan')} of weeks "
              "not over checked)")
    say_put_out_of_date(engine, saved.out_of_date, scope)
