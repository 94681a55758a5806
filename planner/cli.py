"""The staffing planner's command line: import and check counts, recommend staff per hour, schedule shifts, make
and publish dated plans, roster people, simulate and review them; see and change the chain's settings; administer
users and read the audit trail.

`--as NAME` before the command runs it with that user's scope (`args.scope`) and records its changes as theirs;
without it the command runs as the local install's admin under the operating system's login name.

Every command exits 0 on success, 1 for bad input (a file with errors, a flag value that makes no sense) and 2 when
something is unavailable (the database, a file that cannot be opened, a Dask scheduler). Each failure is one line,
never a traceback (`PLANNER_DEBUG=1` shows it). Each command imports what it needs when it runs, so `--help` and
`validate` do not wait for the optimiser, the database layer or Dask to load.

This module is the entry: the parser, the dispatch and the one-line errors. The commands live beside it, a family a
module, each adding its own sub-commands: `cli_files` (validate, import, stores, export-observations, load-sample),
`cli_staffing` (recommend, schedule, next-counts), `cli_plans` (plan, plans, review), `cli_simulate`, `cli_roster`
(roster, roster replan), `cli_rosters` (rosters list|publish), `cli_settings` (settings show|set|history) and
`cli_users` (users, audit, `--as`); `cli_flags`
and `cli_io` hold what they share.
They never import this module.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from contextlib import contextmanager, nullcontext, redirect_stdout

from planner import cli_files, cli_plans, cli_roster, cli_rosters, cli_settings, cli_simulate, cli_staffing, clock
from planner.access.actor import acting_as
from planner.access.scope import OutsideScope
from planner.cli_flags import (
    EXIT_INPUT,
    EXIT_READER_GONE,
    EXIT_STOPPED,
    EXIT_UNAVAILABLE,
    PROG,
    BadInput,
    OneLineParser,
    StandardOutput,
    database_url_flag,
    user_name,
)
from planner.cli_io import DEBUG_ENV, print_problems
from planner.cli_users import add_commands as add_user_commands, scope_of_args, store_file_fix
from planner.errors import (
    DatabaseUnavailable, InputRejected, InvalidRequest, NoStoresYet, PlannerError, UnknownRecord, UnknownStore,
)
from planner.settings import DATABASE_URL_ENV, Settings
from planner.surfaces.fixes import IMPORT

__all__ = ["main", "mask_passwords"]
"""What scripts and tests read here: `main` (its exit codes are `planner.cli_flags`', which scripts read there)."""


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
        clock.check()  # a slip in PLANNER_TODAY stops every command alike, not only those that ask the date
        with nullcontext() if getattr(args, "uses_dask", False) else _without_unused_extras():
            settings = _settings(args)
            args.scope = scope_of_args(args, settings)
            # `--out -`: standard output is the CSV's alone; what the command says meanwhile goes to standard error
            csv_out = isinstance(getattr(args, "out", None), StandardOutput)
            with acting_as(args.scope.user), redirect_stdout(sys.stderr) if csv_out else nullcontext():
                code = args.command(args, settings)
                sys.stdout.flush()  # here, where a reader that stopped early is caught, not at exit
                return code
    except InputRejected as rejected:  # a command that reads its file itself names itself in the fixes
        # its problems with its summary, on standard error: the output piped on holds none of a file it refused
        print_problems(rejected.problems, getattr(args, "file_command", IMPORT), stream=sys.stderr)
        print(f"{rejected}", file=sys.stderr)
        return EXIT_INPUT
    # a refusal is the request's fault, like bad input
    except (BadInput, InvalidRequest, OutsideScope, UnknownStore, UnknownRecord, clock.BadToday) as error:
        return _fail(error, EXIT_INPUT)
    except NoStoresYet:  # said with where the database is: the command line knows
        return _fail(NoStoresYet(_database_named(args)), EXIT_UNAVAILABLE)
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
    files only and use the defaults, and `settings` reads the saved ones itself (saved ones it cannot use are what
    `settings set` puts right). Only a command that saves something new (`creates_database`: import, load-sample,
    users add, settings set, plan, roster) may create a SQLite file that is not there yet (one that changes a saved
    plan, roster or user has nothing to change there), and `validate` (`database_optional`) checks against one that
    is not there as an empty one; any other command refuses it (`_refuse_a_missing_database`)."""
    settings = Settings(database_url=args.database_url)
    if getattr(args, "requirements", None):
        return settings
    writes = getattr(args, "creates_database", False) and not getattr(args, "show", False)  # `roster --show` reads
    if not (writes or getattr(args, "database_optional", False)):
        _refuse_a_missing_database(args, settings)
    if getattr(args, "default_settings", False):
        return settings
    from planner.storage.settings_store import chain_settings
    return chain_settings(settings)


def _database_named(args) -> str:
    from planner.storage.engine import database_named

    return database_named(Settings(database_url=args.database_url).resolved_database_url())


def _refuse_a_missing_database(args, settings: Settings) -> None:
    """Connecting makes a missing SQLite file: a command that only reads left a new, empty database behind and said
    the store asked for was unknown. Said instead: where the database was looked for, and how to start one."""
    from planner.storage.engine import CHECK_URL, missing_sqlite_file

    missing = missing_sqlite_file(settings.resolved_database_url())
    if missing is None:
        return
    given = args.database_url or os.environ.get(DATABASE_URL_ENV)
    default = "" if given else f" (the default, as {DATABASE_URL_ENV} is not set)"
    raise DatabaseUnavailable(
        f"there is no database at {missing}{default}: start one with `{PROG} load-sample` (the sample chain) or by "
        f"importing a store file and its counts (`{PROG} import --stores STORES.csv COUNTS.csv`), or {CHECK_URL}")


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
    message = store_file_fix(message)  # a store that cannot be planned, refused by name: `import --stores`
    print(f"error: {mask_passwords(' '.join(message.split()))}", file=sys.stderr)
    return code


def mask_passwords(text: str) -> str:
    """`text` with every password form masked (`user:***@host`, `password=***`, and the configured database URL's
    password wherever it appears). Imported here, on the failure path only, so start-up stays light."""
    from planner.settings import Settings
    from planner.storage.secrets import mask_secrets

    return mask_secrets(text, Settings().resolved_database_url())


_ELSEWHERE = {
    "demand": "the demand per store, weekday and hour (customers and minutes each) is in `recommend --out FILE.csv`",
    "export": "`export-observations --out FILE.csv` writes the stored counts; recommend, schedule, plan, plans show "
              "and roster write theirs with --out or --out-dir",
}
"""Commands a planner may look for that are no command, and where what they would do is."""


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog=PROG, description=" ".join(__doc__.split("\n\n")[0].split()), elsewhere=_ELSEWHERE)
    parser.add_argument("--database-url", type=database_url_flag,
                        help="SQLAlchemy URL (default: PLANNER_DATABASE_URL or the embedded SQLite)")
    parser.add_argument("--as", dest="as_user", metavar="NAME", type=user_name,
                        help="run the command with this user's scope (role, stores, regions), recorded as theirs")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    # in the order --help lists them
    for add in (cli_files.add_validate, cli_files.add_import, cli_files.add_stores, cli_files.add_export,
                cli_staffing.add_recommend, cli_staffing.add_schedule, cli_plans.add_plan, cli_plans.add_plans,
                cli_simulate.add_simulate, cli_staffing.add_next_counts, cli_plans.add_review, cli_roster.add_roster,
                cli_rosters.add_rosters, cli_settings.add_settings, add_user_commands, cli_files.add_load_sample):
        add(commands)
    return parser


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
