"""Command-line flag values, checked as argparse parses them: each check says what a sensible value is (argparse
adds the flag's name), and the parser turns every such error into one line and exit code 1. Also what every command
module shares below the entry (`planner.cli`): the exit codes, `BadInput`, how the user called the planner, and the
flags several commands take (--week, --by, a plan id, the service targets, a rule's help)."""

from __future__ import annotations

import argparse
import ast
import difflib
import math
import os
import re
import sys
from datetime import date
from pathlib import Path

from planner.errors import PlannerError
from planner.masking import mask_written_secrets
from planner.settings import STORE_TARGETS, RosterRules, ServiceTargets, Settings, ShiftRules, field_info

EXIT_OK, EXIT_INPUT, EXIT_UNAVAILABLE = 0, 1, 2
"""Done; bad input (a file with errors, a flag value that makes no sense); something unavailable (the database, a
file that cannot be read, a Dask scheduler)."""
EXIT_STOPPED = 130
"""Stopped by Ctrl-C (128 + SIGINT, as a shell reports it)."""
EXIT_READER_GONE = 141
"""The reader of the output stopped early (`| head`): 128 + SIGPIPE, as a shell reports a program it ended. Not 0:
what the command would have done after its output (saving a roster it printed first) was not done."""
TOP_LEVEL_FLAGS = {"--database-url": "URL", "--as": "NAME"}
"""The flags given before the command, each with its metavar: after it, a command refuses them saying so."""
PROG = "planner" if Path(sys.argv[0]).name == "planner" else "python -m planner"
"""How the user called it: the `planner` command or `python -m planner`."""


class BadInput(PlannerError):
    """Something the user gave (a file's content, a combination of flags) that no run can use: exit 1."""


_TYPED = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|-?[0-9]+""")
"""A refused choice as argparse writes it, `repr` of the word typed (or of the number a `type=int` made of it)."""


class OneLineParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line naming the flag and the fix, with exit code 1. A flag that takes
    one value is `Once` unless it says otherwise (`action="append"` to take several)."""

    def __init__(self, *args, elsewhere: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # words typed where a choice goes that are no choice, each with where what it names is ("demand": in
        # `recommend --out`)
        self.elsewhere = elsewhere or {}
        self.register("action", None, Once)  # argparse's default, "store", kept the last of a repeated flag
        self._apart: list[tuple[argparse.Action, tuple[argparse.Action, ...]]] = []
        self._choosing: list[argparse.Action] = []  # flags and command words with choices, for `_choice_hinted`

    def add_argument(self, *args, **kwargs) -> argparse.Action:
        """argparse's, keeping a flag with `choices` for `_choice_hinted` (one added to a group keeps argparse's own
        words: none has choices)."""
        action = super().add_argument(*args, **kwargs)
        if action.choices is not None:
            self._choosing.append(action)
        return action

    def add_subparsers(self, **kwargs):
        """argparse's, keeping the command word for `_choice_hinted`."""
        commands = super().add_subparsers(**kwargs)
        self._choosing.append(commands)
        return commands

    def refuse_together(self, first: argparse.Action, *others: argparse.Action) -> None:
        """Refuse `first` given with any of `others`, in the words of argparse's mutually exclusive group ("argument
        --publish-anyway: not allowed with argument --show"), where one group cannot say it: `others` may be given
        together (`roster --publish --publish-anyway`), and one group would refuse that too."""
        self._apart.append((first, others))

    def parse_known_args(self, args=None, namespace=None):
        parsed, rest = super().parse_known_args(args, namespace)
        for first, others in self._apart:
            if _given(parsed, first):
                for other in others:
                    if _given(parsed, other):
                        self.error(f"argument {'/'.join(other.option_strings)}: not allowed with argument "
                                   f"{'/'.join(first.option_strings)}")
        if rest:  # said by the command given, whose help lists the flag meant (the top level's lists commands)
            self.error(self._unrecognized(rest))
        return parsed, rest

    def error(self, message: str) -> None:
        message = self._choice_hinted(message)
        print(f"{self.prog}: error: {mask_written_secrets(message)} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)

    def _choice_hinted(self, message: str) -> str:
        """argparse's refusal of a choice ("argument COMMAND: invalid choice: 'recomend' (choose from ...)") naming the
        choice meant ("did you mean recommend?") or where a word that names no choice leads (`elsewhere`), instead
        of listing every choice (sixteen commands, none of them the one to use); any other message as it is.

        Read from the message, through `error`, argparse's public hook: a `type=` cannot check a command word (the
        command's action converts every word after it too), and argparse's own check of a choice is private."""
        for action in self._choosing:
            refused = str(argparse.ArgumentError(action, "invalid choice: "))  # "argument --role: invalid choice: "
            typed = _TYPED.match(message, len(refused)) if message.startswith(refused) else None
            if typed is None:
                continue
            value, choices = str(ast.literal_eval(typed.group())), [str(choice) for choice in action.choices]
            if value in self.elsewhere:
                hint = f": {self.elsewhere[value]}"
            else:
                near = difflib.get_close_matches(value, choices, n=1)
                hint = f": did you mean {near[0]}?" if near else f" (choose from {', '.join(map(repr, choices))})"
            return f"{refused}{typed.group()}{hint}"
        return message

    def _unrecognized(self, rest: list[str]) -> str:
        """"unrecognized arguments: --stores S01: did you mean --store?", or where a flag of the top level follows the
        command, where it goes instead."""
        message = f"unrecognized arguments: {' '.join(rest)}"
        flags = [word.split("=", 1)[0] for word in rest if word.startswith("--")]
        for flag in flags:
            if flag in TOP_LEVEL_FLAGS:
                return (f"{message}: {flag} goes before the command ({PROG} {flag} {TOP_LEVEL_FLAGS[flag]} COMMAND "
                        "...)")
        near = difflib.get_close_matches(flags[0], list(self._option_string_actions), n=1) if flags else []
        return f"{message}: did you mean {near[0]}?" if near else message


def _given(parsed: argparse.Namespace, action: argparse.Action) -> bool:
    """Whether the flag of `action` was given: its value differs from its default (a flag whose default is
    `argparse.SUPPRESS` is given when it is there at all)."""
    return getattr(parsed, action.dest, action.default) != action.default


def number(kind: type, unit: str, *, low: float, high: float | None = None, low_open: bool = False,
            high_open: bool = False, example: str, noun: str | None = None):
    """An argparse `type=` for a finite number within [low, high] (ends excluded where `*_open`). `unit` is the
    metavar: SHARE, MINUTES, SECONDS, HOURS or STAFF (or any, with the `noun` that says what the number is)."""
    noun = noun or ("a share" if unit == "SHARE" else f"{'a whole' if kind is int else 'a'} number of {unit.lower()}")

    def shown(value: float) -> str:  # 2,147,483,647 and 1,000,000 rather than 2.14748e+09 and 1e+06
        return f"{value:,.0f}" if kind is int or float(value).is_integer() else f"{value:g}"

    if high is None:
        allowed = f"{noun} {'above' if low_open else 'of at least'} {shown(low)}"
    elif low_open and high_open:
        allowed = f"{noun} between {shown(low)} and {shown(high)}, both excluded"
    else:
        allowed = f"{noun} {'above' if low_open else 'from'} {shown(low)} {'up ' if low_open else ''}to {shown(high)}"

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not {noun}{written_as(text, unit)}: give {allowed}, e.g. "
                                             f"{example}") from None
        if not inside(value):
            meant = percent_meant(text, value, inside) if unit == "SHARE" else ""
            raise argparse.ArgumentTypeError(f"'{text}' makes no sense here{meant}: give {allowed}, e.g. {example}")
        return value

    def inside(value: float) -> bool:
        return math.isfinite(value) and (value > low if low_open else value >= low) and (
            high is None or (value < high if high_open else value <= high))

    parse.__name__ = unit  # the metavar, and argparse's name for the type
    return parse


def percent_meant(text: str, value: float, inside) -> str:
    """For a share out of its range: " (write 0.8 for 80%)" where `value` reads as a percentage typed without its
    sign ('80' or '95.5') and that share is `inside` the range; "" otherwise, and below 2 (no guess: '1' is likelier
    all, '1.5' a slip as likely as 1.5%)."""
    return f" (write {value / 100:g} for {text.strip()}%)" if value >= 2 and inside(value / 100) else ""


def written_as(text: str, unit: str) -> str:
    """How a number typed the way a spreadsheet of another locale or a percentage writes it is written here, in
    brackets: " (write 0.8: a decimal point, not a comma)", " (write 0.8 for 80%)"; "" for any other text."""
    stripped = text.strip()
    if unit == "SHARE" and stripped.endswith("%"):
        try:
            return f" (write {float(stripped[:-1].replace(',', '.')) / 100:g} for {stripped})"
        except ValueError:
            return ""
    # "1,000" may be a thousand: no guess
    if stripped.count(",") == 1 and "." not in stripped and len(stripped.split(",")[1]) != 3:
        try:
            return f" (write {float(stripped.replace(',', '.')):g}: a decimal point, not a comma)"
        except ValueError:
            return ""
    return ""


class Once(argparse.Action):
    """A flag that takes one value: given twice (`--store S01 --store S02`, `import --stores a.csv --stores b.csv`)
    it is refused, where argparse kept the last and dropped the first without a word. `twice` says why in the
    flag's own words (else: it takes one value, run the command once for each)."""

    def __init__(self, *args, twice: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.twice = twice

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        if option_string is None:  # a positional argument: argparse gives it its values once
            setattr(namespace, self.dest, values)
            return
        seen = namespace.__dict__.setdefault("_once_given", set())
        if self.dest in seen:
            why = self.twice or f"{option_string} takes one value (run the command once for each)"
            raise argparse.ArgumentError(self, f"given twice: {why}")
        seen.add(self.dest)
        setattr(namespace, self.dest, values)


_METAVARS = {"share": "SHARE", "seconds": "SECONDS", "minutes": "MINUTES", "staff": "STAFF", "hours": "HOURS",
             "staff-hours": "HOURS"}
"""A flag's metavar by the first word of its setting's unit."""


def setting_flag(owner: type, name: str, example: str):
    """The argparse `type=` of a flag that sets `owner`'s field `name` (e.g. `ShiftRules`, "break_minutes"), with
    the range its `FieldInfo` allows."""
    info = field_info(owner, name)
    return number(int if info.whole else float, _METAVARS[info.unit.split()[0]], low=info.low,
                  high=None if math.isinf(info.high) else info.high, low_open=info.low_open,
                  high_open=info.high_open, example=example)


def lengths(text: str) -> tuple[int, ...]:
    """Shift lengths as "4,6,8": whole hours within `ShiftRules.shift_lengths_hours`' range."""
    info = field_info(ShiftRules, "shift_lengths_hours")
    try:
        lengths = tuple(sorted({int(part) for part in text.split(",")}))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of whole hours such as 4,6,8") from None
    if not lengths or not all(info.allows(length) for length in lengths):
        raise argparse.ArgumentTypeError(f"'{text}': each length must be {info.allowed()}, e.g. 4,6,8")
    return lengths


def output_file(text: str) -> Path:
    """A file the command may write: not a folder, in a folder that exists and can be written."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"'{text}' is a folder: give a file name inside it, e.g. {path / 'out.csv'}")
    folder = path.parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"the folder '{folder}' does not exist: create it first or write elsewhere")
    if not os.access(folder, os.W_OK):
        raise argparse.ArgumentTypeError(f"cannot write in the folder '{folder}': pick a folder you can write to")
    return path


SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class StandardOutput:
    """`--out -`: the CSV goes to standard output, as a command-line user expects (it wrote a file named "-").
    Holds the stream standard output was when the flag was read; the command's other lines go to standard error
    meanwhile (`planner.cli.main`), so that the output is the CSV alone."""

    def __init__(self) -> None:
        self.stream = sys.stdout

    def __str__(self) -> str:
        return "standard output"


STANDARD_OUTPUT = "-"
"""What `--out` takes for standard output."""


def csv_file(text: str) -> Path | StandardOutput:
    """`output_file` for a flag that writes CSV text: a spreadsheet's name (rec.xlsx) is refused, since a
    spreadsheet program would refuse to open the CSV written into it; `-` is standard output."""
    if text == STANDARD_OUTPUT:
        return StandardOutput()
    path = output_file(text)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        raise argparse.ArgumentTypeError(f"'{text}': this writes CSV text, which a spreadsheet opens from a .csv "
                                         f"file: name it {path.with_suffix('.csv').name}")
    return path


PERSON_MAX_CHARS = 200
"""The most characters of a name the plans and rosters tables keep (`planner.storage.tables.PERSON_MAX_CHARS`, not
imported here: start-up)."""


def user_name(text: str) -> str:
    """A name for --as: an empty (or blank) one read as no --as at all and ran the command with every store and
    action, where an unknown name is refused."""
    if not text.strip():
        raise argparse.ArgumentTypeError("a user name is needed: give the name of an enabled user (`users list` "
                                         "shows them), or leave --as out")
    return text


def person_making(made: str):
    """The type of --by for a command that makes a `made` ("plan", "roster"): a name checked before the work it
    would label, not after."""
    def person(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"a user name is needed: give who makes the {made}, or leave --by out to "
                                             "act under your login name")
        if len(text) > PERSON_MAX_CHARS or not text.isprintable():
            raise argparse.ArgumentTypeError(f"'{text[:40]}{'…' if len(text) > 40 else ''}' is {len(text)} "
                                             f"characters long or unprintable: give a name of 1 to "
                                             f"{PERSON_MAX_CHARS} characters")
        return text.strip()

    return person


def output_folder(text: str) -> Path:
    """A folder the command may create and write in: not an existing file, below something writable; not `-`, which
    `--out -` reads as standard output (a folder named "-" was created and written)."""
    if text == STANDARD_OUTPUT:
        raise argparse.ArgumentTypeError("'-' is standard output for --out, but this writes several files into a "
                                         "folder: give a folder, e.g. --out-dir out (./- for a folder named \"-\")")
    path = Path(text)
    existing = next((p for p in [path, *path.parents] if p.exists()), Path("."))
    if not existing.is_dir():
        raise argparse.ArgumentTypeError(f"'{existing}' is a file, not a folder: give a folder for the outputs")
    if not os.access(existing, os.W_OK):
        raise argparse.ArgumentTypeError(f"cannot write in '{existing}': pick a folder you can write to")
    return path


# --- flags several commands take -------------------------------------------------------------------------------------

def iso_week_flag(text: str) -> str:
    """An ISO week such as 2026-W50, normalised; checked here so a bad one is one line naming the flag."""
    from planner.weeks import IsoWeek, parse_date

    try:
        return str(IsoWeek.parse(text))
    except ValueError as error:
        try:  # a date where the week goes: the week it is in ("'2026-12-07' is not an ISO week" said less)
            week = IsoWeek.of(parse_date(text))
        except ValueError:
            raise argparse.ArgumentTypeError(str(error)) from None
        first, last = week.dates()[0], week.dates()[-1]
        raise argparse.ArgumentTypeError(
            f"'{text}' is a date, not an ISO week: it is in {week} ({first:%a} {first.day} {first:%b} to {last:%a} "
            f"{last.day} {last:%b %Y})") from None


def database_url_flag(text: str) -> str:
    """--database-url, not blank: an empty one (`--database-url "$UNSET"`) fell back to PLANNER_DATABASE_URL or the
    embedded database without a word, and a chain's files went into another database."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the URL is empty: give one (sqlite:///path/to/file.db or "
                                         "postgresql+psycopg://user@host:5432/database), or leave the flag out for "
                                         "PLANNER_DATABASE_URL or the embedded SQLite")
    return text


def date_flag(text: str) -> date:
    """A calendar date written YYYY-MM-DD (`--today`, `--since`, `--until`); argparse names the flag."""
    from planner.weeks import parse_date

    try:
        return parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2026-12-07") from None


PLAN_ID_MAX = 2**31 - 1
"""The largest id the plans table's INTEGER column holds (`planner.schemas.INTEGER_MAX`, not imported: start-up)."""
PLAN_ID = number(int, "ID", low=1, high=PLAN_ID_MAX, example="3", noun="a plan id")
_TARGET_EXAMPLES = {"target_service_level": "0.8", "target_wait_seconds": "60", "patience_minutes": "5",
                    "max_abandon_share": "0.05", "min_staff": "1"}


def add_target_flags(command: argparse.ArgumentParser) -> None:
    targets = Settings().targets
    for name in STORE_TARGETS:
        kind = setting_flag(ServiceTargets, name, _TARGET_EXAMPLES[name])
        command.add_argument(f"--{name.replace('_', '-')}", dest=name, type=kind, metavar=kind.__name__,
                             help=f"{field_info(ServiceTargets, name).label.lower()}, for every store (default "
                                  f"{getattr(targets, name)}, or the store file's value)")


def rule_help(name: str) -> str:
    """A shift-rule flag's help: its setting's meaning and unit (`ShiftRules`' field metadata) and its default."""
    info, default = field_info(ShiftRules, name), getattr(Settings().shifts, name)
    shown = "none" if default is None else ",".join(map(str, default)) if isinstance(default, tuple) else \
        ("on" if default else "off") if isinstance(default, bool) else f"{default:g}"
    return f"{info.meaning[0].lower()}{info.meaning[1:].rstrip('.')} ({info.unit}; default {shown})"


def roster_rule_help(name: str) -> str:
    """A roster-rule flag's help, as `rule_help` says a shift rule's (`RosterRules`' field metadata)."""
    info, default = field_info(RosterRules, name), getattr(Settings().roster, name)
    shown = ("on" if default else "off") if isinstance(default, bool) else f"{default:g}"
    return f"{info.meaning[0].lower()}{info.meaning[1:].rstrip('.')} ({info.unit}; default {shown}, or the chain's " \
           "setting)"


def add_by_flag(command: argparse.ArgumentParser, made: str = "plan") -> argparse.Action:
    """--by for a command that makes (or publishes) a `made`: "plan" or "roster", as its help and refusals say."""
    return command.add_argument("--by", default=None, metavar="NAME", type=person_making(made),
                                help=f"who makes (and publishes) the {made}, as the saved {made}s list it (default: "
                                     "your login)")


def what_if(args) -> dict[str, float | int]:
    """The target flags given, as what-if values for every store."""
    return {name: getattr(args, name) for name in STORE_TARGETS if getattr(args, name) is not None}
