"""The staffing planner's command line: import and check counts, recommend staff per hour, schedule shifts, make
and publish dated plans, roster people, simulate and review them; administer users and read the audit trail.

`--as NAME` before the command runs it with that user's scope (`args.scope`) and records its changes as theirs;
without it the command runs as the local install's admin under the operating system's login name.

Every command exits 0 on success, 1 for bad input (a file with errors, a flag value that makes no sense) and 2 when
something is unavailable (the database, a file that cannot be opened, a Dask scheduler). Each failure is one line,
never a traceback (`PLANNER_DEBUG=1` shows it). Each command imports what it needs when it runs, so `--help` and
`validate` do not wait for the optimiser, the database layer or Dask to load.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from contextlib import contextmanager, nullcontext, redirect_stdout, suppress
from pathlib import Path

from planner.access.actor import acting_as
from planner.cli_users import add_commands as add_user_commands, scope_of_args
from planner.cli_flags import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_READER_GONE,
    EXIT_STOPPED,
    EXIT_UNAVAILABLE,
    Once,
    OneLineParser,
    StandardOutput,
    csv_file,
    lengths,
    number,
    output_folder,
    person,
    setting_flag,
    user_name,
)
from planner.access.scope import EVERYTHING, PUBLISH, OutsideScope, Scope
from planner.errors import (
    InputProblem, InputRejected, InvalidRequest, PlannerError, UnknownRecord, UnknownStore, group_problems,
    problems_counted,
)
from planner.settings import PROJECT_ROOT, STORE_TARGETS, RosterRules, ServiceTargets, Settings, ShiftRules, field_info

SAMPLE_DIR = PROJECT_ROOT / "data"
SAMPLE_STORES = SAMPLE_DIR / "stores.csv"
SAMPLE_OBSERVATIONS = SAMPLE_DIR / "observations.csv"
SAMPLE_EMPLOYEES = SAMPLE_DIR / "employees.csv"
SAMPLE_ABSENCES = SAMPLE_DIR / "absences.csv"
PLAN_ID_MAX = 2**31 - 1
"""The largest id the plans table's INTEGER column holds (`planner.schemas.INTEGER_MAX`, not imported: start-up)."""
DEBUG_ENV = "PLANNER_DEBUG"
"""Set to 1 to see the traceback behind a one-line error."""
NOTE_CHARS = 500
"""Most characters of a saved roster's note (the database column's size)."""
ADVICE_RANKINGS = ("reach", "model", "doubt", "safety")
"""`next-counts --ranking` choices, the default first: `planner.staffing.advice.RANKINGS` (not imported here, so the
command line starts without scipy)."""
PROG = "planner" if Path(sys.argv[0]).name == "planner" else "python -m planner"
"""How the user called it: the `planner` command or `python -m planner`."""


class BadInput(PlannerError):
    """Something the user gave (a file's content, a combination of flags) that no run can use: exit 1."""


STOPPED = ("stopped: nothing more was written; what had finished before stays (each import, plan or roster is saved "
           "whole or not at all)")
"""What Ctrl-C says: a stop just after an import was stored left it stored, which "nothing more" alone hid."""


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:  # --help (0) or a flag value `OneLineParser.error` rejected (1)
        return stop.code if isinstance(stop.code, int) else EXIT_INPUT
    except KeyboardInterrupt:  # Ctrl-C while a flag is read (`--week` imports the calendar): nothing was started
        print("stopped: nothing was done", file=sys.stderr)
        return EXIT_STOPPED
    try:
        with nullcontext() if args.command is _schedule else _without_unused_extras():
            settings = _settings(args)
            args.scope = scope_of_args(args, settings)
            # `--out -`: standard output is the CSV's alone; what the command says meanwhile goes to standard error
            csv_out = isinstance(getattr(args, "out", None), StandardOutput)
            with acting_as(args.scope.user), redirect_stdout(sys.stderr) if csv_out else nullcontext():
                code = args.command(args, settings)
                sys.stdout.flush()  # here, where a reader that stopped early is caught, not at exit
                return code
    except InputRejected as rejected:
        _print_problems(rejected.problems)
        print(f"{rejected}", file=sys.stderr)
        return EXIT_INPUT
    # a refusal is the request's fault, like bad input
    except (BadInput, InvalidRequest, OutsideScope, UnknownStore, UnknownRecord) as error:
        return _fail(error, EXIT_INPUT)
    except BrokenPipeError:  # the reader stopped early (`| head`): no message, the exit code says it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
        return EXIT_READER_GONE
    except (PlannerError, OSError) as error:
        return _fail(error, EXIT_UNAVAILABLE)
    except KeyboardInterrupt:
        print(STOPPED, file=sys.stderr)
        return EXIT_STOPPED
    except Exception as error:  # noqa: BLE001  (the last resort: a defect, said in one sentence, not a traceback)
        if _interrupted(error):  # Ctrl-C inside a class being made (an import) comes wrapped in a RuntimeError
            print(STOPPED, file=sys.stderr)
            return EXIT_STOPPED
        return _fail(error, EXIT_UNAVAILABLE, unexpected=True)


def _interrupted(error: BaseException) -> bool:
    """`error` was caused, at some depth, by Ctrl-C."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, KeyboardInterrupt):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _settings(args) -> Settings:
    """The chain's settings saved in the database (else the defaults); `validate` and `schedule --requirements` read
    files only and use the defaults."""
    settings = Settings(database_url=args.database_url)
    if args.command is _validate or getattr(args, "requirements", None):
        return settings
    from planner.storage.settings_store import chain_settings
    return chain_settings(settings)


def _fail(error: BaseException, code: int, *, unexpected: bool = False) -> int:
    if os.environ.get(DEBUG_ENV):
        traceback.print_exc()
    if isinstance(error, OSError) and error.filename and error.strerror:
        message = f"{error.filename}: {error.strerror}"
    else:
        message = str(error) or type(error).__name__
    if unexpected:
        message = (f"unexpected {type(error).__name__} ({message}); nothing more was done. Run again with "
                   f"{DEBUG_ENV}=1 to see where it happened, and report it")
    print(f"error: {mask_passwords(' '.join(message.split()))}", file=sys.stderr)
    return code


def mask_passwords(text: str) -> str:
    """`text` with every password form masked (`user:***@host`, `password=***`, and the configured database URL's
    password wherever it appears). Imported here, on the failure path only, so start-up stays light."""
    from planner.settings import Settings
    from planner.storage.secrets import mask_secrets

    return mask_secrets(text, Settings().resolved_database_url())


def _iso_week(text: str) -> str:
    """An ISO week such as 2026-W50, normalised; checked here so a bad one is one line naming the flag."""
    from planner.calendar import IsoWeek

    try:
        return str(IsoWeek.parse(text))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


_TARGET_EXAMPLES = {"target_service_level": "0.8", "target_wait_seconds": "60", "patience_minutes": "5",
                    "max_abandon_share": "0.05", "min_staff": "1"}
_DUTY_BEFORE_MINUTES = setting_flag(ShiftRules, "duty_before_opening_minutes", "30")
_DUTY_AFTER_MINUTES = setting_flag(ShiftRules, "duty_after_closing_minutes", "30")
_BUDGET_HOURS = setting_flag(ShiftRules, "weekly_budget_staff_hours", "400")
_TIME_LIMIT_SECONDS = setting_flag(ShiftRules, "time_limit_seconds", "20")
_DEMAND_SCALE = number(float, "X", low=0, high=100, low_open=True, example="1.2", noun="a demand factor")
_REPLICATIONS = number(int, "N", low=2, high=1_000_000, example="1000", noun="a whole number of simulated weeks")
_PLAN_ID = number(int, "ID", low=1, high=PLAN_ID_MAX, example="3", noun="a plan id")
_WINDOWS = number(int, "N", low=1, high=50, example="3", noun="a whole number of 2-hour windows")


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog=PROG, description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: PLANNER_DATABASE_URL or the embedded SQLite)")
    parser.add_argument("--as", dest="as_user", metavar="NAME", type=user_name,
                        help="run the command with this user's scope (role, stores, regions), recorded as theirs")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check observation, store, employee and absence files; import "
                                   "nothing")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument("--stores", type=Path, help="store file to check store ids against",
                          twice="the store ids are checked against one store file (name the others as FILEs)")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.set_defaults(command=_validate)

    load = commands.add_parser("import", help="validate and store files (all or nothing): counts, and employee and "
                               "absence files (recognised by their columns)")
    load.add_argument("files", nargs="*", type=Path, metavar="FILE")
    load.add_argument("--stores", type=Path, help="store file to import first, in the same transaction",
                      twice="more than one store file in one import (import one at a time)")
    load.add_argument("--calendar", type=Path, metavar="FILE", help="store calendar to validate and store with the "
                      "other files (its rows replace stored ones of the same store and date)",
                      twice="--calendar takes one store calendar (import one at a time)")
    load.set_defaults(command=_import)

    listing = commands.add_parser("stores", help="list stores and how much of their opening hours was observed")
    listing.set_defaults(command=_stores)

    export = commands.add_parser("export-observations", help="write stored observations to a CSV file")
    export.add_argument("--store", action="append", dest="stores", metavar="S", help="store id (repeatable)")
    export.add_argument("--out", type=csv_file, required=True, metavar="FILE.csv")
    export.set_defaults(command=_export)

    recommend = commands.add_parser("recommend", help="recommended staff per store, weekday (0 = Monday) and hour")
    recommend.add_argument("--store", action="append", dest="stores", metavar="S", help="store id (repeatable)")
    recommend.add_argument("--all", action="store_true", help="every store (the default when no --store is given)")
    recommend.add_argument("--out", type=csv_file, metavar="FILE.csv", help="write every column to a CSV file")
    _add_target_flags(recommend)
    recommend.set_defaults(command=_recommend)

    plan = commands.add_parser("schedule", help="shifts covering the recommended staff at least wage cost")
    plan.add_argument("--store", action="append", dest="stores", metavar="S", help="store id (repeatable)")
    plan.add_argument("--all", action="store_true", help="every store (the default when no --store is given)")
    plan.add_argument("--requirements", type=Path, metavar="FILE",
                      help="schedule this table instead of the recommendations: [store,] day, h00..h23, or the "
                           "store_id, weekday, hour, required_staff table that `recommend --out` writes")
    plan.add_argument("--out-dir", type=output_folder, metavar="DIR",
                      help="write shifts.csv, coverage.csv, summary.csv here")
    plan.add_argument("--shift-lengths", type=lengths, metavar="4,6,8", help=_rule_help("shift_lengths_hours"))
    plan.add_argument("--start-step", type=int, choices=[30, 60], help=_rule_help("start_step_minutes"))
    plan.add_argument("--no-breaks", action="store_true", help="no unpaid break in long shifts")
    plan.add_argument("--duty-before", type=_DUTY_BEFORE_MINUTES, metavar="MINUTES",
                      help=_rule_help("duty_before_opening_minutes"))
    plan.add_argument("--duty-after", type=_DUTY_AFTER_MINUTES, metavar="MINUTES",
                      help=_rule_help("duty_after_closing_minutes"))
    plan.add_argument("--budget", type=_BUDGET_HOURS, metavar="HOURS", help=_rule_help("weekly_budget_staff_hours"))
    plan.add_argument("--hard-coverage", action="store_true", help=_rule_help("hard_coverage"))
    plan.add_argument("--min-staff-cover", action="store_true", help=_rule_help("min_staff_cover"))
    plan.add_argument("--time-limit", type=_TIME_LIMIT_SECONDS, metavar="SECONDS",
                      help=_rule_help("time_limit_seconds"))
    where = plan.add_mutually_exclusive_group()
    where.add_argument("--serial", action="store_true", help="solve stores one after another, without Dask")
    where.add_argument("--parallel", action="store_true",
                       help=f"solve on a local Dask cluster even for fewer than "
                            f"{Settings().shifts.parallel_min_stores} stores (from then on it is the default)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="solve on the Dask cluster of this scheduler")
    plan.set_defaults(command=_schedule)

    dated = commands.add_parser("plan", help="a plan for dated ISO weeks: staff per date and hour, and dated shifts")
    dated.add_argument("--week", action="append", dest="weeks", required=True, type=_iso_week, metavar="2026-W50",
                       help="ISO week, Monday to Sunday (repeatable)")
    dated.add_argument("--store", action="append", dest="stores", metavar="S", help="store id (repeatable; default all)")
    dated.add_argument("--calendar", type=Path, metavar="FILE",
                       help="store calendar (CSV/XLSX) to store first: store_id (blank or * for every store), date, "
                            "closed, hours or opens/closes, demand_factor, note (default: the stored calendar)")
    dated.add_argument("--out-dir", type=output_folder, metavar="DIR",
                       help="write plan.json, plan_shifts.csv, plan_requirement.csv, plan_summary.csv here")
    dated.add_argument("--publish", action="store_true",
                       help="publish the saved plan: it becomes the plan of its stores and week, the one before "
                            "is kept as history")
    dated.add_argument("--min-staff-cover", action="store_true", help=_rule_help("min_staff_cover"))
    _add_by_flag(dated)
    _add_target_flags(dated)
    dated.set_defaults(command=_plan)

    saved = commands.add_parser("plans", help="saved plans: list them, show one, publish a draft")
    kept = saved.add_subparsers(required=True, metavar="list|show|publish")
    listed = kept.add_parser("list", help="saved plans, newest first, and whether their inputs changed since")
    listed.add_argument("--store", metavar="S", help="only this store's plans", action=Once)
    listed.add_argument("--week", type=_iso_week, metavar="2026-W50", help="only this week's plans")
    listed.set_defaults(command=_plans_list)
    shown = kept.add_parser("show", help="a saved plan's dated shifts and requirement")
    shown.add_argument("plan_id", type=_PLAN_ID, metavar="ID")
    shown.add_argument("--out-dir", type=output_folder, metavar="DIR",
                       help="write plan.json, plan_shifts.csv, plan_requirement.csv, plan_summary.csv here")
    shown.set_defaults(command=_plans_show)
    published = kept.add_parser("publish", help="publish a draft plan: it becomes the plan of its store and week, "
                                "the one published before is kept as history")
    published.add_argument("plan_id", type=_PLAN_ID, metavar="ID")
    _add_by_flag(published)
    published.set_defaults(command=_plans_publish)

    simulate = commands.add_parser("simulate", help="simulate a store's week under its plan: service per hour, bands")
    simulate.add_argument("--store", metavar="S", action=Once, help="store id (or --plan)")
    simulate.add_argument("--plan", type=_PLAN_ID, metavar="ID", help="a saved dated plan: its shifts (or --schedule's "
                          "plan_shifts.csv) against its own demand and targets for its dates")
    simulate.add_argument("--schedule", type=Path, metavar="shifts.csv", help="shifts to simulate (schedule's "
                          "shifts.csv, or with --plan a plan's plan_shifts.csv); default: the recommended staff per "
                          "hour, or the plan's shifts")
    simulate.add_argument("--demand-scale", type=_DEMAND_SCALE, default=1.0, metavar="X", help="1.2: 20%% more customers")
    simulate.add_argument("--replications", type=_REPLICATIONS, metavar="N", help="simulated weeks (default in Settings)")
    simulate.add_argument("--check-staffing", action="store_true",
                          help="correct the recommended staff per hour where the simulation misses the targets")
    simulate.set_defaults(command=_simulate)

    advice = commands.add_parser("next-counts", help="the 2-hour windows where one more count helps the plan most")
    advice.add_argument("--store", required=True, metavar="S", help="store id", action=Once)
    advice.add_argument("--windows", type=_WINDOWS, default=3, metavar="N", help="how many windows (default 3)")
    advice.add_argument("--detail", action="store_true", help="after the sentences, a table of each window's figures, "
                        "with the doubt it removes (what the windows are ranked by)")
    advice.add_argument("--ranking", choices=ADVICE_RANKINGS, default=ADVICE_RANKINGS[0],
                        help="how windows are ranked: reach (default) by the doubt a count removes, reckoned store "
                        "by store; model by the narrowing the pooled demand model itself reads from the count, with "
                        "what the store's format and the chain already tell (re-fits the model for the 12 best "
                        "windows: seconds); doubt as reach with other weekdays informed a fifth; safety by the "
                        "safety staff-hours saved")
    advice.set_defaults(command=_next_counts)
    review = commands.add_parser("review", help="the published plan of a store and week against the counts since")
    review.add_argument("--store", required=True, metavar="S", action=Once)
    review.add_argument("--week", required=True, type=_iso_week, metavar="2026-W41", action="append",
                        help="ISO week, Monday to Sunday; repeat it to judge several weeks' plans together")
    review.set_defaults(command=_review)

    rostered = commands.add_parser("roster", help="named shifts for a store's week within contracts, availability "
                                   "and labour rules; `roster replan` after an absence")
    _add_roster_flags(rostered, required=False)
    rostered.add_argument("--show", action="store_true", help="show the published roster instead of making one")
    rostered.add_argument("--publish-anyway", action="store_true",
                          help="publish it even when it is the quick roster or leaves required staff-hours "
                               "uncovered (--publish refuses such a roster and keeps it as a draft)")
    rostered.set_defaults(command=_roster)
    roster_actions = rostered.add_subparsers(metavar="replan")
    again = roster_actions.add_parser("replan", help="re-plan published rosters after absences, changing as few "
                                      "shifts as possible; lists each change and its premium")
    again.add_argument("--absence", type=Path, required=True, metavar="FILE",
                       help="absence file (CSV/XLSX): employee_id, first_day, last_day, reason")
    _add_roster_flags(again, required=False, hidden_default=True)
    again.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                       help="the day of the change, for the notice window (default: today)")
    again.add_argument("--keep-untouched-days", action="store_true",
                       help=_roster_rule_help("keep_untouched_days"))
    again.add_argument("--publish-anyway", action="store_true", default=argparse.SUPPRESS,
                       help="publish it even when it is the quick re-plan (the search stopped before its own; "
                            "--publish refuses it); a re-plan short of staff is published with a warning")
    again.set_defaults(command=_roster_replan)

    add_user_commands(commands)

    sample = commands.add_parser("load-sample", help="import the bundled sample stores, observations, employees and "
                                 "absences")
    sample.add_argument("--if-empty", action="store_true", help="only when the database has no stores yet")
    sample.set_defaults(command=_load_sample)
    return parser


def _add_target_flags(command: argparse.ArgumentParser) -> None:
    targets = Settings().targets
    for name in STORE_TARGETS:
        kind = setting_flag(ServiceTargets, name, _TARGET_EXAMPLES[name])
        command.add_argument(f"--{name.replace('_', '-')}", dest=name, type=kind, metavar=kind.__name__,
                             help=f"{field_info(ServiceTargets, name).label.lower()}, for every store (default "
                                  f"{getattr(targets, name)}, or the store file's value)")


def _add_roster_flags(command: argparse.ArgumentParser, *, required: bool, hidden_default: bool = False) -> None:
    """--store, --week, --out, --out-dir, --publish, --by; `hidden_default`: a flag not given here keeps the value
    given before the subcommand."""
    keep = {"default": argparse.SUPPRESS} if hidden_default else {}
    command.add_argument("--store", metavar="S", required=required, help="store id", **keep)
    command.add_argument("--week", type=_iso_week, metavar="2026-W50", help="ISO week, Monday to Sunday", **keep)
    command.add_argument("--out", type=csv_file, metavar="roster.csv", help="write the shifts as CSV "
                         "(store_id, employee_id, name, start, end, break_start, paid_hours)", **keep)
    command.add_argument("--out-dir", type=output_folder, metavar="DIR", help="write roster.csv, roster_grid.csv, "
                         "roster_schedules.csv, roster.xlsx and one calendar (.ics) per person here (a folder per "
                         "store-week when a re-plan touches several)", **keep)
    command.add_argument("--publish", action="store_true", help="publish it: it becomes the roster of its store "
                         "and week, the one before is kept as history", **keep)
    if not hidden_default:
        _add_by_flag(command)


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write YYYY-MM-DD, e.g. 2026-12-08") from None
def _rule_help(name: str) -> str:
    """A shift-rule flag's help: its setting's meaning and unit (`ShiftRules`' field metadata) and its default."""
    info, default = field_info(ShiftRules, name), getattr(Settings().shifts, name)
    shown = "none" if default is None else ",".join(map(str, default)) if isinstance(default, tuple) else \
        ("on" if default else "off") if isinstance(default, bool) else f"{default:g}"
    return f"{info.meaning[0].lower()}{info.meaning[1:].rstrip('.')} ({info.unit}; default {shown})"


def _roster_rule_help(name: str) -> str:
    """A roster-rule flag's help, as `_rule_help` says a shift rule's (`RosterRules`' field metadata)."""
    info, default = field_info(RosterRules, name), getattr(Settings().roster, name)
    shown = ("on" if default else "off") if isinstance(default, bool) else f"{default:g}"
    return f"{info.meaning[0].lower()}{info.meaning[1:].rstrip('.')} ({info.unit}; default {shown}, or the chain's " \
           "setting)"


def _add_by_flag(command: argparse.ArgumentParser) -> None:
    command.add_argument("--by", default=None, metavar="NAME", type=person,
                         help="who makes (and publishes) the plan, as the saved plans list it (default: your login)")


def _who(args, engine) -> str:
    """Who makes a plan: the `--as` user (who cannot write as anyone else), else `--by`, else the login name. Once
    the chain has users, `--by` names one of them (the audit trail recorded any name given, 'Mallory' included), and
    the command runs with that user's role and stores, as with `--as` (a store manager named by `--by` was recorded
    as publishing another store's plan). Call it before any other check of `_scope(args)`."""
    if args.as_user is not None:
        if args.by and args.by != args.scope.user:
            raise BadInput(f"--by {args.by} differs from --as {args.as_user}: a plan is made by the --as user")
        return args.scope.user
    if args.by:
        from planner import accounts
        from planner.access.users import NoSuchUser
        from planner.storage import users_store

        if users_store.list_users(engine):
            try:
                args.scope = accounts.user_scope(engine, args.by)
            except NoSuchUser:
                raise BadInput(f"--by {args.by}: no enabled user of that name (`{PROG} users list` shows them); "
                               "leave --by out to act under your login name") from None
    return args.by or _scope(args).user


def _scope(args) -> Scope:
    """Whose stores and actions a command runs with: `args.scope` (set by the global `--as NAME`), else every store
    and action, as for one person on their own machine."""
    return getattr(args, "scope", None) or EVERYTHING


def _what_if(args) -> dict[str, float | int]:
    """The target flags given, as what-if values for every store."""
    return {name: getattr(args, name) for name in STORE_TARGETS if getattr(args, name) is not None}


# --- commands ----------------------------------------------------------------------------------------------------

def _validate(args, settings: Settings) -> int:
    import json

    from planner.intake import check_files

    paths = ([args.stores] if args.stores else []) + args.files
    if args.format == "json":  # a path that cannot be read is that file's problem, so the output stays JSON
        read = _read_each(paths)
        unreadable = {position: problem for position, problem in enumerate(read) if isinstance(problem, InputProblem)}
        files = [file for file in read if not isinstance(file, InputProblem)]
    else:
        files, unreadable = _read(paths), {}
    known, note, people, scope, known_in = None, "", None, _scope(args), "the database"
    # an unreadable --stores file leaves the store ids unchecked (errors, exit 2), not checked against the database
    store_file = None if 0 in unreadable else args.stores
    if args.stores is None:
        from planner import storage

        engine = storage.connect(settings)
        known = storage.load_stores(engine, scope)
        people = storage.load_employees(engine, scope=scope)["employee_id"]  # what an absence file may name
        if known.empty and scope.all_stores:
            known = check_files(_read([SAMPLE_STORES]), None, settings.import_rules)[0].frame
            sample = SAMPLE_STORES.relative_to(PROJECT_ROOT)
            note = f"store ids checked against {sample} (the database has no stores yet)"
            known_in = str(sample)
        else:  # the README: validate says which stores it checked against, these too
            yours = "" if scope.all_stores else " you may use"
            note = f"store ids checked against the database's {len(known)} store{'' if len(known) == 1 else 's'}{yours}"
    checked = check_files(files, known, settings.import_rules, known_employee_ids=people, scope=scope,
                          known_stores_in=known_in)
    if store_file is not None and not checked[0].errors:  # a file that cannot be read says so below
        _require_store_file(store_file, checked[0].kind)
        note = f"store ids checked against {store_file}"
    problems = [p for c in checked for p in c.problems] + list(unreadable.values())
    errors = sum(p.severity == "error" for p in problems)
    if args.format == "json":
        reports = iter([{"file": c.file_name, "kind": c.kind, "rows": c.rows_read,
                         "problems": [p.as_dict() for p in c.problems]} for c in checked])
        print(json.dumps({"files": [  # in the order given, an unreadable path where it was named
            {"file": unreadable[i].file, "kind": None, "rows": 0, "problems": [unreadable[i].as_dict()]}
            if i in unreadable else next(reports) for i in range(len(paths))
        ], "errors": errors, "warnings": len(problems) - errors}, indent=2))
        if unreadable:
            return EXIT_UNAVAILABLE  # as the text report's "cannot read" line: what was named is not there to check
    else:
        _print_problems(problems)
        if note:
            print(f"note: {note}")
        files = f"{len(checked)} file{'' if len(checked) == 1 else 's'}"
        print(f"{problems_counted(problems, 'error')}, {problems_counted(problems, 'warning')} in {files}"
              + ("" if errors else ": ready to import"))
    return EXIT_INPUT if errors else EXIT_OK


def _require_store_file(path: Path, kind: str) -> None:
    """--stores names the store file the other files' store ids are checked against: a file of another kind would
    leave them unchecked (`validate` said "ready to import" where `import` then refused)."""
    from planner.intake import STORES

    if kind != STORES:
        raise BadInput(f"{path}: --stores takes the store file (store_id, name, region, format, the week's opening "
                       f"hours, ...), and this reads as a file of {kind}: name it without --stores")


def _require_calendar_file(path: Path, kind: str) -> None:
    """--calendar names the store calendar: a file of another kind was stored as a calendar of nothing."""
    from planner.intake import CALENDAR

    if kind != CALENDAR:
        raise BadInput(f"{path}: --calendar takes the store calendar (store_id, date, closed, hours, demand_factor, "
                       f"note), and this reads as a file of {kind}: name it without --calendar")


def _import(args, settings: Settings) -> int:
    if not args.files and not args.stores and not args.calendar:
        raise BadInput("name at least one FILE, --stores FILE or --calendar FILE to import")
    from planner import storage
    from planner.intake import CALENDAR, STORES, WrongKind, import_files

    engine = storage.connect(settings)
    # the calendar is one more file of the batch, checked with the others before anything is written: imported
    # after them in a transaction of its own, a bad calendar was rejected once the other files were stored ("nothing
    # was imported")
    named = [(args.stores, STORES)] if args.stores else []
    named += [(path, None) for path in args.files] + ([(args.calendar, CALENDAR)] if args.calendar else [])
    files = _read([path for path, _ in named])
    # as validate: a file of another kind under --stores (--calendar) was imported as what it is
    kinds = {name: kind for (name, _), (_, kind) in zip(files, named, strict=True) if kind is not None}
    try:
        summaries = import_files(engine, files, settings.import_rules, _scope(args), kinds=kinds or None)
    except WrongKind as wrong:
        if wrong.expected == STORES:
            _require_store_file(args.stores, wrong.kind)
        _require_calendar_file(args.calendar, wrong.kind)
        raise
    for summary in summaries:
        print(summary)
        _print_problems(summary.warnings)  # imported as they are, but said (a later file replacing rows, ...)
    if args.files or args.stores:  # counts or stores changed; a calendar alone changes no patience estimate
        _keep_patience(engine, settings)
    return EXIT_OK


def _stores(args, settings: Settings) -> int:
    from planner import coverage, storage

    engine, scope = storage.connect(settings), _scope(args)
    stores = storage.load_stores(engine, scope)
    if stores.empty:
        print("no stores yet: import a store file (python -m planner import --stores stores.csv FILE)")
        return EXIT_OK
    table = coverage.store_coverage_of_days(storage.load_counted_days(engine, scope), stores)
    print(f"{'store':8} {'name':34} {'region':8} {'hours':>6}  {'dates':23} {'cells observed':>16}")
    for row in table.itertuples():
        dates = f"{row.first_date:%Y-%m-%d}..{row.last_date:%Y-%m-%d}" if row.observed_hours else "-"
        share = f"{row.observed_cells:.0f}/{row.open_cells:.0f} {row.observed_share:4.0%}"
        print(f"{row.store_id:8} {row.name[:34]:34} {row.region[:8]:8} {row.observed_hours:6d}  {dates:23} {share:>16}")
    return EXIT_OK


def _export(args, settings: Settings) -> int:
    from planner import storage
    from planner.export import observations_csv
    from planner.pipeline import select_stores

    engine, scope = storage.connect(settings), _scope(args)
    if args.stores:  # an id outside the scope is unknown, as in every other command
        select_stores(storage.load_stores(engine, scope), args.stores, scope)
    frame = storage.load_observations(engine, args.stores, scope)
    _write_text(args.out, observations_csv(frame))
    print(f"{len(frame)} rows written to {args.out}")
    return EXIT_OK


def _recommend(args, settings: Settings) -> int:
    from planner import storage
    from planner.calendar import business_week_rows
    from planner.export import recommendation_csv, staff_grid_text
    from planner.pipeline import recommend_with_targets

    engine = storage.connect(settings)
    with _progress_bar("patience estimates made") as patience_progress, _progress_bar() as progress:
        table, targets = recommend_with_targets(engine, settings, None if args.all else args.stores,
                                                what_if=_what_if(args), progress=progress, scope=_scope(args),
                                                patience_progress=patience_progress)
    if args.out:
        _write_text(args.out, recommendation_csv(table))
        print(f"{len(table)} store-hours written to {args.out}")
    else:  # by the store's openings, as My store shows them: Saturday's 00:00+1 in Saturday's row, not Sunday's
        print(staff_grid_text(business_week_rows(table, storage.load_stores(engine, _scope(args)))))
    for row in targets.itertuples(index=False):
        print(f"{row.store_id}: patience {row.patience_minutes:.1f} min, {row.patience_minutes_note}")
    if args.all:  # a store that cannot be planned is left out of every store, and said so, not dropped unseen
        from planner.targets import unusable_stores

        for reason in unusable_stores(storage.load_stores(engine, _scope(args))).values():
            print(f"left out: {reason}", file=sys.stderr)
    return EXIT_OK


def _next_counts(args, settings: Settings) -> int:
    from planner import storage
    from planner.pipeline import count_advice

    with _progress_bar("windows re-fitted", unit="window") as progress:
        advice = count_advice(storage.connect(settings), settings, args.store, args.windows, _scope(args),
                              ranking=args.ranking, progress=progress)
    print("\n".join(a.sentence for a in advice) or f"{args.store} has no counts yet: count any two hours to start.")
    if args.detail and advice:
        from planner.staffing.advice import advice_table_text

        print("\n" + advice_table_text(advice))
    return EXIT_OK


def _schedule(args, settings: Settings) -> int:
    changes = {
        "shift_lengths_hours": args.shift_lengths,
        "start_step_minutes": args.start_step,
        "duty_before_opening_minutes": args.duty_before,
        "duty_after_closing_minutes": args.duty_after,
        "weekly_budget_staff_hours": args.budget,
        "time_limit_seconds": args.time_limit,
        "hard_coverage": True if args.hard_coverage else None,
        "min_staff_cover": True if args.min_staff_cover else None,
        "break_for_shifts_over_hours": 24.0 if args.no_breaks else None,
    }
    try:
        settings = settings.with_shift_rules(**{k: v for k, v in changes.items() if v is not None})
    except ValueError as error:
        raise BadInput(str(error)) from error
    tables = _read_requirements(args.requirements) if args.requirements else None
    if tables is not None and args.stores:  # the table's stores named: those alone (all were scheduled, unsaid)
        missing = [store for store in args.stores if store not in tables]
        if missing:
            raise BadInput(f"{args.requirements} has no requirement for {', '.join(missing)}: its stores are "
                           f"{', '.join(sorted(tables)[:8])}{' ...' if len(tables) > 8 else ''}")
        tables = {store: tables[store] for store in dict.fromkeys(args.stores)}
    import pandas as pd

    from planner.export import schedule_summary_text, write_schedule
    from planner.pipeline import schedule, schedule_requirements
    from planner.shifts.batch import solve_mode

    parallel = False if args.serial else True if args.parallel else None
    with _progress_bar() as progress:
        options = {"parallel": parallel, "scheduler": args.scheduler, "progress": progress}
        if tables is not None:
            reports = schedule_requirements(tables, settings, **options)
        else:
            from planner import storage

            reports = schedule(storage.connect(settings), settings, None if args.all else args.stores,
                               scope=_scope(args), **options)
    summary = pd.DataFrame([r.totals for r in reports])
    if tables is not None:  # a table of staff holds no wages: its cost would be the paid hours at 1 an hour
        summary["wage_cost"] = float("nan")
    print(schedule_summary_text(summary))
    if tables is not None:
        print("cost: - (a requirements table carries no wages, store hours or staff limits: each day is open from "
              "its first to its last required hour; without --requirements the store file's are used)")
    for r in reports:
        for sentence in r.explanations:
            print(f"{r.solution.instance.store_id}: {sentence}")
    print(_where_solved(solve_mode(len(reports), settings.shifts, parallel=parallel, scheduler=args.scheduler),
                        args, settings.shifts.parallel_min_stores))
    if args.out_dir:
        written = write_schedule(reports, summary, args.out_dir)
        print("written: " + ", ".join(str(path) for path in written))
    return EXIT_OK


def _where_solved(mode: str, args, min_stores: int) -> str:
    if mode == "cluster":
        return f"solved on the Dask cluster at {args.scheduler}"
    if mode == "local":
        return f"solved in parallel on a local Dask cluster ({os.cpu_count()} cores)"
    if args.serial or args.parallel:
        return "solved one after another" + (" (--serial)" if args.serial else " (there is only one store)")
    return (f"solved one after another: a local Dask cluster pays only from {min_stores} stores on more than one core"
            " (--parallel starts one anyway)")


def _plan(args, settings: Settings) -> int:
    from planner import storage
    from planner.pipeline import make_plan
    from planner.plans import PlanRequest
    from planner.plans.export import plan_text, write_plan

    from planner.saved_plans import save_made_plan, stored_calendar, week_begun_note

    engine = storage.connect(settings)
    who = _who(args, engine)  # a refused --by, like a refused --publish, is said before the plan is made, not after
    scope = _scope(args)  # the --by user's, where one is named
    if args.publish:
        scope.require(PUBLISH)
    try:  # --min-staff-cover is the plan's own choice, as a what-if is: no change of the chain's settings
        request = PlanRequest(weeks=tuple(args.weeks), store_ids=tuple(args.stores or ()), settings=settings,
                              what_if=_what_if(args), min_staff_cover=args.min_staff_cover)
    except ValueError as error:
        raise BadInput(str(error)) from error
    if args.calendar:
        print(_import_calendar(engine, args.calendar, settings, scope))
    for week in dict.fromkeys(request.weeks):
        begun = week_begun_note(week)
        if begun:
            print(f"note: {begun}", file=sys.stderr)
    with _progress_bar() as progress:
        plan = make_plan(engine, request, calendar=stored_calendar(engine, scope), progress=progress, scope=scope)
    print(plan_text(plan))
    if args.out_dir:
        print("written: " + ", ".join(str(path) for path in write_plan(plan, args.out_dir)))
    ids = save_made_plan(engine, plan, who, scope, publish=args.publish)  # all or none
    print(f"saved as plan(s) {', '.join(map(str, ids))}" + ("" if args.publish else
          f" (draft; `{PROG} plan ... --publish` publishes the plan it makes)"))
    if args.publish:
        for plan_id, row in zip(ids, plan.index_rows(), strict=True):
            print(f"published plan {plan_id}: {row['store_id']} {row['iso_week']}")
    return EXIT_OK


def _import_calendar(engine, path: Path, settings: Settings, scope: Scope):
    """Validate the store calendar file against the stored store ids and store it; InputRejected with every
    problem (nothing stored)."""
    from planner import storage
    from planner.saved_plans import store_calendar

    from planner.intake import check_files

    ((name, content),) = _read([path])
    # checked as `import` checks it, so a row of a store the user may not plan for says so (it read as a store
    # missing from the store file) and a row for every store says it is the chain's
    (checked,) = check_files([(name, content)], storage.load_stores(engine, scope), settings.import_rules, scope=scope)
    unread = checked.rows_read == 0 and checked.errors  # its problems say why
    if not unread:  # an observation file was stored as a calendar of nothing
        _require_calendar_file(path, checked.kind)
    if checked.errors:
        raise InputRejected(checked.problems)
    _print_problems(checked.problems)
    return store_calendar(engine, checked.frame, name, content, scope)


def _plans_list(args, settings: Settings) -> int:
    import pandas as pd

    from planner import storage
    from planner.saved_plans import OUT_OF_DATE, WEEK_OVER, inputs_word, plans_with_status

    engine = storage.connect(settings)
    if args.store:  # a typing slip said "no saved plans", as if the store had none
        _known_store(engine, args)
    table = plans_with_status(engine, settings, args.store, args.week, _scope(args))
    if table.empty:
        print(f"no saved plans{' of that store or week' if args.store or args.week else ''}: make one with "
              f"`{PROG} plan --week 2026-W50`")
        return EXIT_OK
    print(f"{'id':>5} {'store':8} {'week':8} {'status':10} {'created (UTC)':16} {'by':12} "
          f"{'published (UTC)':16} {'by':12} inputs")
    for row in table.itertuples(index=False):
        published = "-" if pd.isna(row.published_at) else f"{row.published_at:%Y-%m-%d %H:%M}"
        published_by = "-" if pd.isna(row.published_by) else str(row.published_by)
        inputs = inputs_word(getattr(row, OUT_OF_DATE), getattr(row, WEEK_OVER))
        print(f"{row.plan_id:>5} {row.store_id:8} {row.iso_week:8} {row.status:10} {row.created_at:%Y-%m-%d %H:%M} "
              f"{row.created_by[:12]:12} {published:16} {published_by[:12]:12} {inputs}")
    return EXIT_OK


def _plans_show(args, settings: Settings) -> int:
    from planner import storage
    from planner.plans import Plan
    from planner.plans.export import plan_text, write_plan
    from planner.saved_plans import out_of_date_of, week_is_over

    engine, scope = storage.connect(settings), _scope(args)
    stored = storage.load_plan(engine, args.plan_id, scope)
    plan = Plan.from_json(stored.document)
    published = f", published {stored.published_at:%Y-%m-%d %H:%M} UTC by {stored.published_by}" \
        if stored.published_at else ""
    print(f"plan {stored.plan_id}: {stored.store_id} {stored.iso_week}, {stored.status}, made "
          f"{stored.created_at:%Y-%m-%d %H:%M} UTC by {stored.created_by}{published}")
    changed = out_of_date_of(engine, plan, settings, scope)
    if week_is_over(stored.iso_week):  # counts of its own dates came in after it: nothing to make again
        print("its week is over: it stays as it was made (`review` judges it against the counts of its dates)")
    else:
        print(f"out of date: {changed} changed since it was made; make it again" if changed
              else "its inputs are as they were when it was made")
    print(plan_text(plan))
    if args.out_dir:
        print("written: " + ", ".join(str(path) for path in write_plan(plan, args.out_dir)))
    return EXIT_OK


def _plans_publish(args, settings: Settings) -> int:
    """The app's Publish for a saved draft: the same checks (`saved_plans.publish_plans`) and role rules."""
    from planner import storage
    from planner.saved_plans import publish_plans

    engine = storage.connect(settings)
    who = _who(args, engine)  # the --by user's role, as `plan --publish` takes it
    scope = _scope(args)
    before = storage.published_plan(engine, *_store_week_of(engine, args.plan_id, scope), scope)
    (done,) = publish_plans(engine, [args.plan_id], who, scope)
    superseded = f"; plan {before.plan_id} is kept as superseded" if before is not None else ""
    print(f"published plan {done.plan_id}: {done.store_id} {done.iso_week}, by {done.published_by}{superseded}")
    return EXIT_OK


def _store_week_of(engine, plan_id: int, scope: Scope) -> tuple[str, str]:
    from planner import storage

    stored = storage.load_plan(engine, plan_id, scope)  # UnknownRecord, in the same words for others' plans
    return stored.store_id, stored.iso_week


def _simulate(args, settings: Settings) -> int:
    from planner import storage
    from planner.pipeline import simulate_store
    from planner.simulation.plan import plan_text
    from planner.simulation.roster import read_shifts_csv

    if args.check_staffing and (args.schedule or args.demand_scale != 1.0):  # they were ignored without a word
        raise BadInput("--check-staffing checks the recommended staff per hour at the estimated demand: it takes "
                       "neither --schedule nor --demand-scale (simulate those without --check-staffing)")
    if args.plan is not None:
        return _simulate_plan(args, settings)
    if not args.store:
        raise BadInput("name the store (--store S01) or a saved plan (--plan ID)")
    # the file is checked before the chain's demand is estimated (seconds), not after
    shifts = read_shifts_csv(args.schedule) if args.schedule else None
    if shifts is not None:
        _check_weekday_shifts(shifts, args, settings)
    engine, scope = storage.connect(settings), _scope(args)
    if args.check_staffing:
        checked = simulate_store(engine, settings, args.store, check=True, scope=scope,
                                 replications=args.replications,
                                 progress=lambda done, most: print(f"simulation {done} (at most {most})",
                                                                   file=sys.stderr))
        print("\n".join([checked.summary(), *checked.corrections]))
        return EXIT_OK
    print(f"simulating {args.store}…", file=sys.stderr)
    with _progress_bar("simulated weeks", "week") as progress:  # seconds of work: a bar on a terminal
        result = simulate_store(engine, settings, args.store, scope=scope, shifts=shifts,
                                demand_scale=args.demand_scale, replications=args.replications, progress=progress)
    plan = f"shifts from {args.schedule.name}" if args.schedule else "recommended staff per hour"
    scale = f", demand x {args.demand_scale:g}" if args.demand_scale != 1.0 else ""
    print(plan_text(result, plan + scale))
    return EXIT_OK


def _check_weekday_shifts(shifts, args, settings: Settings) -> None:
    """A schedule's shifts file checked as the simulation will read it; a plan's dated one sent to --plan."""
    from planner.simulation.dated import is_dated_shifts_file
    from planner.simulation.roster import roster_from_shifts

    if is_dated_shifts_file(shifts):
        from planner import storage

        weeks = sorted(set(shifts["iso_week"].astype(str)))
        listed = storage.list_plans(storage.connect(settings), args.store, weeks[0] if len(weeks) == 1 else None,
                                    _scope(args))
        ids = ", ".join(f"{row.plan_id} ({row.status})" for row in listed.head(5).itertuples(index=False))
        raise BadInput(f"{args.schedule} holds a dated plan's shifts (iso_week, date): simulate them against that "
                       f"plan's own demand with --plan ID (`{PROG} simulate --plan ID --schedule {args.schedule}`)"
                       + (f"; saved plans of {args.store} {', '.join(weeks[:3])}: {ids}" if ids else ""))
    roster_from_shifts(shifts, args.store, break_minutes=settings.shifts.break_minutes)  # InputRejected, every cell


def _simulate_plan(args, settings: Settings) -> int:
    """`simulate --plan ID`: a saved plan's shifts (or --schedule's dated ones) on its dates, against its demand."""
    from planner import storage
    from planner.calendar import IsoWeek
    from planner.pipeline import simulate_saved_plan
    from planner.simulation.dated import dated_frame, dated_shifts_from_csv
    from planner.simulation.plan import plan_text
    from planner.simulation.roster import read_shifts_csv

    if args.check_staffing:
        raise BadInput("--check-staffing corrects the recommended staff per hour: simulate a plan without it")
    engine, scope = storage.connect(settings), _scope(args)
    stored = storage.load_plan(engine, args.plan, scope)  # UnknownRecord before the file is read
    if args.store and args.store != stored.store_id:
        raise BadInput(f"plan {stored.plan_id} is of {stored.store_id}, not {args.store}: leave --store out")
    week = IsoWeek.parse(stored.iso_week)
    shifts = None
    if args.schedule:
        shifts = dated_shifts_from_csv(read_shifts_csv(args.schedule), stored.store_id, stored.iso_week,
                                       list(week.dates()))
    print(f"simulating plan {stored.plan_id}…", file=sys.stderr)
    with _progress_bar("simulated weeks", "week") as progress:
        _, plan, result = simulate_saved_plan(engine, settings, stored.plan_id, scope=scope, shifts=shifts,
                                              demand_scale=args.demand_scale, replications=args.replications,
                                              progress=progress)
    what = f"shifts from {args.schedule.name}" if args.schedule else "its shifts"
    scale = f", demand x {args.demand_scale:g}" if args.demand_scale != 1.0 else ""
    print(plan_text(result, f"plan {stored.plan_id} ({stored.iso_week}, {week.monday:%a %-d %b} to "
                            f"{week.dates()[-1]:%a %-d %b %Y}, {stored.status}), {what} against its own demand and "
                            f"targets for those dates{scale}",
                    # each hour under the date whose opening it closes, the calendar's late Sunday too
                    dated_frame(result, plan.demand)))
    return EXIT_OK


def _review(args, settings: Settings) -> int:
    from planner import storage
    from planner.pipeline import review_published_plans
    from planner.review import review_text

    weeks = list(dict.fromkeys(args.week))
    engine = storage.connect(settings)
    _known_store(engine, args)
    reviewed = review_published_plans(engine, settings, args.store, weeks, _scope(args))
    published = {} if reviewed is None else {stored.iso_week: stored for stored in reviewed[0]}
    for week in weeks:
        if week not in published:
            print(f"no published plan for {args.store} in {week}: publish one first (plan --publish)")
    if reviewed is None:
        return EXIT_OK
    label = ", ".join(f"plan {stored.plan_id} for {stored.iso_week} published {stored.published_at:%Y-%m-%d}"
                      for stored in published.values())
    print(review_text(reviewed[1], args.store, label, {week: stored.plan_id for week, stored in published.items()}))
    return EXIT_OK


def _roster(args, settings: Settings) -> int:
    if not args.store or not args.week:
        raise BadInput("name the store and the week: roster --store S01 --week 2026-W50")
    from planner import rostering, storage

    from planner.roster.result import INFEASIBLE, NO_ROSTER_FOUND

    engine = storage.connect(settings)
    _known_store(engine, args)
    if args.show:
        saved = rostering.published(engine, args.store, args.week, _scope(args))
        if saved is None:
            print(f"no roster is published for {args.store} in {args.week}: make one with "
                  f"`{PROG} roster --store {args.store} --week {args.week} --publish`")
            return EXIT_OK
        from planner.calendar import IsoWeek

        monday = IsoWeek.parse(args.week).monday
        since = [said for said in (rostering.requirement_since(engine, settings, saved, _scope(args)),
                                   rostering.rules_since(settings, saved)) if said]
        _print_roster(saved.shifts, saved.people, saved.hours, saved.sentences, saved.status_sentence,
                      f"Published roster {saved.roster_id}; requirement: {rostering.shown_source(saved)}"
                      + "".join(f"; {said}" for said in since) + ".", monday)
        _write_roster_files(args, saved.shifts, saved.people, saved.hours, engine, monday)
        return EXIT_OK
    who = _who(args, engine)  # refusals before the solver's seconds, not after (its files were written by then)
    args.publish = args.publish or args.publish_anyway
    if args.publish:
        _scope(args).require(PUBLISH)
    print(f"rostering {args.store} {args.week}… (at most {settings.roster.time_limit_seconds:g} s)", file=sys.stderr)
    run = rostering.make_roster(engine, settings, args.store, args.week, _scope(args),
                                searching=lambda: print("searching…", file=sys.stderr, flush=True))
    roster = run.roster
    monday = roster.instance.week_start
    _print_roster(roster.shifts, roster.people, roster.hours, roster.sentences, roster.status_sentence,
                  f"Requirement: {run.requirement_source}.", monday)
    _write_roster_files(args, roster.shifts, roster.people, roster.hours, engine, monday)
    if roster.status in (NO_ROSTER_FOUND, INFEASIBLE):  # said in the status sentence above
        print("nothing saved" + (" or published" if args.publish else ""), file=sys.stderr)
        return EXIT_UNAVAILABLE if roster.status == NO_ROSTER_FOUND else EXIT_INPUT
    if roster.shifts.empty:
        print("no shifts to roster: nothing saved" + (" or published" if args.publish else ""), file=sys.stderr)
        return EXIT_OK
    caution = rostering.publish_caution(roster) if args.publish and not args.publish_anyway else ""
    roster_id = rostering.save_roster_run(engine, run, who, publish=args.publish and not caution, scope=_scope(args))
    if caution:  # a quick or short roster is published only when asked for as it is
        print(f"saved as roster {roster_id}, a draft: not published. {caution} Or add --publish-anyway to publish it "
              "as it is.", file=sys.stderr)
        return EXIT_INPUT
    print(f"saved as roster {roster_id}" + (", published" if args.publish else
          f" (draft; `{PROG} roster ... --publish` publishes the roster it makes)"))
    return EXIT_OK


def _roster_replan(args, settings: Settings) -> int:
    import datetime as dt

    from planner import rostering, storage
    from planner.io import read_table
    from planner.io.employees import absences_of, validate_absences
    from planner.roster.result import INFEASIBLE

    engine = storage.connect(settings)
    who = _who(args, engine)  # refusals before the re-plan's seconds and files, not after (its absences were stored)
    anyway = getattr(args, "publish_anyway", False)
    args.publish = getattr(args, "publish", False) or anyway
    if getattr(args, "publish", False):
        _scope(args).require(PUBLISH)
    if getattr(args, "store", None):
        _known_store(engine, args)
    ((name, content),) = _read([args.absence])
    checked = validate_absences(read_table(content, name, settings.import_rules, every_problem=True),
                                storage.load_employees(engine, scope=_scope(args))["employee_id"],
                                settings.import_rules)
    if not checked.ok:
        raise InputRejected(checked.problems)
    _print_problems(checked.problems)
    absences = absences_of(checked.frame)
    today = args.today or dt.date.today()
    if args.keep_untouched_days:  # for this re-plan, as `schedule --hard-coverage` is for its run
        settings = settings.with_roster_rules(keep_untouched_days=True)
    store_weeks = rostering.affected_rosters(engine, absences, getattr(args, "store", None),
                                             getattr(args, "week", None), _scope(args))
    narrowed = getattr(args, "store", None) or getattr(args, "week", None)
    left_out = [] if store_weeks or not narrowed else rostering.affected_rosters(engine, absences, scope=_scope(args))
    if left_out:  # hits outside --store/--week: said, and the absences are not stored without their re-plan
        hits = ", ".join(f"{store_id} {iso_week}" for store_id, iso_week in left_out)
        raise BadInput(f"the absences hit no published roster of the store or week asked for, but they do hit "
                       f"{hits}: re-plan those (without --store/--week, or naming them); nothing was stored")
    if not store_weeks:
        rostering.require_no_unpublished_hits(engine, absences, getattr(args, "store", None),
                                              getattr(args, "week", None), _scope(args))
        print("no published roster has a shift on those days for those people: nothing to re-plan")
        if getattr(args, "publish", False):  # the absences are facts all the same: later rosters keep them
            print(storage.save_people(engine, None, [(checked.frame, name, _sha256(content))], _scope(args))[0])
        else:
            print("the absences are not stored: add --publish to store them, so that later rosters keep them")
        return EXIT_OK
    for store_id, iso_week in store_weeks:  # every refusal before any re-plan is printed
        rostering.require_published_by(engine, store_id, iso_week, today)
    results = []
    for store_id, iso_week in store_weeks:
        print(f"re-planning {store_id} {iso_week}…", file=sys.stderr)
        result = rostering.replan_published(engine, settings, store_id, iso_week, absences, today, _scope(args))
        print(_replan_text(result, store_id, iso_week))
        results.append((store_id, iso_week, result))
    failed = [result.roster.status for _, _, result in results if not result.found]
    if failed:  # one store-week without a re-plan: nothing is written, stored or published, for any of them
        print("nothing saved or published", file=sys.stderr)
        return EXIT_INPUT if INFEASIBLE in failed else EXIT_UNAVAILABLE
    # the files before anything is stored: a file that cannot be written stops the run with nothing published;
    # several store-weeks each get a folder of their own, so that none overwrites another's
    from planner.roster_export import store_week_folder

    _write_rosters_files(args, [(result.roster.shifts, result.roster.people, result.roster.hours,
                                 result.roster.instance.week_start,
                                 store_week_folder(store_id, iso_week) if len(results) > 1 else "")
                                for store_id, iso_week, result in results], engine)
    cautions = [(store_id, iso_week, rostering.publish_caution(result.roster), result.roster.quick)
                for store_id, iso_week, result in results] if args.publish else []
    quick = [f"{store_id} {iso_week}: {caution}" for store_id, iso_week, caution, is_quick in cautions
             if caution and is_quick]
    if quick and not anyway:  # as `roster --publish` refuses the quick roster; nothing stored or published
        print(f"nothing saved or published: {' '.join(quick)} Or add --publish-anyway to publish it as it is.",
              file=sys.stderr)
        return EXIT_INPUT
    for store_id, iso_week, caution, _ in cautions:  # a re-plan short of staff is still what people must be told
        if caution:
            print(f"warning: {store_id} {iso_week}: {caution}", file=sys.stderr)
    if getattr(args, "publish", False):  # the absences are facts: later rosters keep them too
        print(storage.save_people(engine, None, [(checked.frame, name, _sha256(content))], _scope(args))[0])
        for store_id, iso_week, result in results:
            run = rostering.replan_run(engine, result, store_id, iso_week)  # names the roster re-planned
            roster_id = rostering.save_roster_run(engine, run, who, publish=True,
                                                  note=f"re-plan after {Path(name).name}"[:NOTE_CHARS],
                                                  scope=_scope(args))
            print(f"published roster {roster_id}: {store_id} {iso_week}")
    return EXIT_OK


def _print_roster(shifts, people, hours, sentences, status: str, source: str, monday) -> None:
    """The status sentence, then `source` (a sentence of its own: where the requirement or the roster came from),
    the grid, the week's paid, required and uncovered hours (the Roster page's figures) and the report's
    sentences."""
    from planner.roster_export import roster_grid, roster_grid_text, roster_totals, roster_totals_text

    print(status)
    print(source)
    if not shifts.empty:
        print(roster_grid_text(roster_grid(shifts, monday, people)))
    print(roster_totals_text(roster_totals(shifts, hours)))
    for sentence in sentences:
        print(sentence)


def _known_store(engine, args) -> None:
    """`UnknownStore` (exit 1, naming only stores in scope) unless `--store` is a store the user's scope covers: said
    before any work."""
    from planner import storage
    from planner.pipeline import select_stores

    select_stores(storage.load_stores(engine, _scope(args)), [args.store], _scope(args))


def _replan_text(result, store_id: str, iso_week: str) -> str:
    if not result.found:
        return f"{store_id} {iso_week}: no re-plan. {result.roster.status_sentence}"
    changes = result.changes_frame()
    lines = [f"{store_id} {iso_week}: {len(changes)} shift(s) change for {len(result.people_changed)} person(s), "
             f"premium pay of {result.total_premium_hours:g} h ({result.total_premium:,.2f} in wages)",
             result.roster.status_sentence]  # proven best re-plan, or what stopped it: as `--show` and the page say
    for change in result.changes:
        what = f"{change.before or '-'} -> {change.after or '-'}"
        premium = f", premium {change.premium_hours:g} h" if change.premium_hours else ""
        past = " (before today: as it happened)" if change.before_today else ""
        lines.append(f"  {change.day:%a %Y-%m-%d} {change.name} ({change.employee_id}): {change.kind}, {what}{premium}"
                     f"{past}")
    return "\n".join(lines + list(result.roster.sentences))


def _write_roster_files(args, shifts, people, hours, engine, monday) -> None:
    """One roster's --out and --out-dir files."""
    _write_rosters_files(args, [(shifts, people, hours, monday, "")], engine)


def _write_rosters_files(args, rosters: list[tuple], engine) -> None:
    """The --out and --out-dir files of `rosters` [(shifts, people, hours, monday, folder name)]: each roster's
    files in its own folder when there are several (a roster's folder name is '' when there is one), all written or
    none, then one CSV holding every roster's shifts (written whole or not at all)."""
    import pandas as pd

    from planner import storage
    from planner.files import write_files
    from planner.roster_export import roster_csv, roster_files

    out, folder = getattr(args, "out", None), getattr(args, "out_dir", None)
    written = [roster for roster in rosters if not roster[0].empty]
    if folder and written:
        subs = [roster[4] for roster in written]
        if len(set(subs)) != len(subs):  # two store ids that differ only by a character a folder name cannot hold
            raise BadInput(f"two store-weeks would share a folder in {folder} ({', '.join(subs)}): re-plan them one "
                           "at a time with --store")
        from planner import rostering
        from planner.calendar import IsoWeek

        stores = storage.load_stores(engine)
        names = dict(zip(stores["store_id"], stores["name"], strict=True))
        contents = {}
        for shifts, people, hours, monday, sub in written:  # calendars cancel what earlier publications sent
            withdrawn = rostering.withdrawn_shifts(engine, str(shifts["store_id"].iloc[0]), str(IsoWeek.of(monday)),
                                                   shifts, _scope(args))
            contents |= {f"{sub}/{name}" if sub else name: content
                         for name, content in roster_files(shifts, monday, people, hours, names, withdrawn).items()}
        paths = write_files(folder, contents)
        calendars = sum(path.suffix == ".ics" for path in paths)
        shown = [path for path in paths if path.suffix != ".ics"]
        print("written: " + ", ".join(str(path) for path in shown) + f" and {calendars} calendar(s) (.ics)")
    if out:
        shifts = pd.concat([roster[0] for roster in rosters], ignore_index=True)
        _write_text(out, roster_csv(shifts))
        print(f"{len(shifts)} shifts written to {out}")


def _sha256(content: bytes) -> str:
    from planner.intake import sha256_of

    return sha256_of(content)


def _load_sample(args, settings: Settings) -> int:
    from planner import storage
    from planner.intake import import_files

    scope = _scope(args)
    if not scope.all_stores:
        raise OutsideScope(f"the sample holds a whole chain of stores: only a planner may load it ({scope.user}, "
                           f"{scope.role.replace('_', ' ')}, {scope.described()})")
    engine = storage.connect(settings)
    paths = [] if args.if_empty and storage.count_rows(engine)["stores"] else [SAMPLE_STORES, SAMPLE_OBSERVATIONS]
    if paths or _sample_people_fit(storage.load_stores(engine), storage.load_employees(engine)):
        paths += [SAMPLE_EMPLOYEES, SAMPLE_ABSENCES]
    if not paths:
        print("the database already holds stores: nothing loaded (--if-empty)")
    for summary in import_files(engine, _read(paths), settings.import_rules, scope) if paths else ():
        print(summary)
    if paths:
        _keep_patience(engine, settings)
    return EXIT_OK


def _keep_patience(engine, settings: Settings) -> None:
    """After an import: the patience estimates of the formats whose counts or stores changed, made and kept for the
    plans to read (`planner.pipeline.keep_patience_estimates`)."""
    from planner.pipeline import keep_patience_estimates

    try:
        with _progress_bar("patience estimates made") as progress:
            keep_patience_estimates(engine, settings, progress)
    except Exception as error:  # noqa: BLE001  (the files are stored: an error exit said "nothing more was done")
        if os.environ.get(DEBUG_ENV):
            traceback.print_exc()
        print(f"warning: the files are imported, but the patience estimates could not be made now "
              f"({type(error).__name__}: {error}); the next recommendation or plan makes them, and says why if it "
              f"cannot. Run again with {DEBUG_ENV}=1 to see where it happened", file=sys.stderr)


def _sample_people_fit(stores, employees) -> bool:
    """A database loaded with the sample before people came: it has every sample store and no employees yet."""
    import pandas as pd

    sample_stores = set(pd.read_csv(SAMPLE_STORES, usecols=["store_id"])["store_id"])
    return employees.empty and sample_stores <= set(stores["store_id"])


# --- helpers -----------------------------------------------------------------------------------------------------

def _read(paths: list[Path]) -> list[tuple[str, bytes]]:
    """Each file's (name, bytes); the first that cannot be read ends the command (`PlannerError`, exit 2)."""
    files = []
    for file in _read_each(paths):
        if isinstance(file, InputProblem):
            raise PlannerError(file.message)
        files.append(file)
    return files


def _read_each(paths: list[Path]) -> list[tuple[str, bytes] | InputProblem]:
    """Each file's (name, bytes), or the problem that it cannot be read (a folder, a missing file, no permission)."""
    from tqdm import tqdm

    files: list[tuple[str, bytes] | InputProblem] = []
    for path in tqdm(paths, desc="reading", unit="file", disable=len(paths) < 5, file=sys.stderr):
        shown = path.resolve().relative_to(PROJECT_ROOT) if path.resolve().is_relative_to(PROJECT_ROOT) else path
        try:
            files.append((str(shown), path.read_bytes()))
        except OSError as error:
            files.append(InputProblem(str(shown), None, None, "", f"cannot read {path}: {error.strerror}",
                                      "Name a file (CSV or XLSX) that exists and that you may read, not a folder."))
    return files


def _read_requirements(path: Path) -> dict:
    """Store id -> 7 x 24 required staff from a requirements CSV (see `planner.shifts.read_requirements`)."""
    import pandas as pd

    from planner.shifts import read_requirements

    from planner.io import read_table

    ((name, data),) = _read([path])
    try:  # CSV (any separator or encoding) or XLSX, as every other file
        table = read_table(data, name)
    except InputRejected as rejected:
        unread = rejected.problems[0]
        raise BadInput(f"{path}: not a requirements table ({unread.message}): {unread.fix}") from rejected
    try:
        return read_requirements(table.frame, store_id=path.stem)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:  # EmptyDataError is a ValueError
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "no columns to read"
        raise BadInput(f"{path}: not a requirements table ({first_line})") from error


def _write_text(path: Path | StandardOutput, text: str) -> None:
    """Write `text` to `path` whole or not at all: a failure midway leaves no half-written file behind. A device or
    a link (`/dev/stdout`) is written to as it is, never replaced; `--out -` writes to standard output."""
    from planner.files import not_written

    if isinstance(path, StandardOutput):  # `--out -`
        path.stream.write(text)
        path.stream.flush()
        return
    if path.is_symlink() or (path.exists() and not path.is_file()):
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise not_written(error, path) from error
        return
    part = path.with_name(f".{path.name}.part")
    try:
        part.write_text(text, encoding="utf-8")
        os.replace(part, path)
    except OSError as error:  # said of the file the user named, not of the hidden one written first
        raise not_written(error, path) from error
    finally:
        with suppress(OSError):  # one that could not be made cannot be removed either
            part.unlink(missing_ok=True)


@contextmanager
def _progress_bar(description: str = "stores", unit: str = "store"):
    """A progress callback `(done, total)` drawing a bar on the terminal (nothing when output is not a terminal),
    counting `unit`s; the bar appears at the first call, so work that turns out to be needless draws none."""
    from tqdm import tqdm

    bars = []

    def progress(done: int, total: int) -> None:
        if not bars:
            bars.append(tqdm(total=total, desc=description, unit=unit, file=sys.stderr, disable=None))
        bars[0].total = total
        bars[0].update(done - bars[0].n)

    try:
        yield progress
    finally:
        for bar in bars:
            bar.close()


@contextmanager
def _without_unused_extras():
    """Run a command with Dask's data frames and hypothesis marked as absent. pandera imports them, when they are
    installed, only to learn whether it may validate Dask frames and synthesise test data: that took half of
    `validate`'s run (dask.dataframe and dask.array 0.5-0.8 s, hypothesis 0.3-0.5 s). The planner validates pandas
    frames only and generates no data; of its commands only `schedule` uses Dask (its distributed part)."""
    marked = [name for name in _UNUSED_EXTRAS if name not in sys.modules]
    for name in marked:
        sys.modules[name] = None  # `import name` now raises ImportError, which pandera takes as "not installed"
    try:
        yield
    finally:
        for name in marked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


_UNUSED_EXTRAS = ("dask.dataframe", "hypothesis")


def _print_problems(problems: tuple[InputProblem, ...] | list[InputProblem]) -> None:
    """Identical problems on many rows as one line ("... : 240 rows, 2-241"); `--format json` keeps every row."""
    for group in group_problems(problems):
        print(group)
