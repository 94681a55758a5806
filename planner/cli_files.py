"""The command line's file commands: `validate` (check files, import nothing), `import` (store them, all or
nothing), `stores`, `export-observations` and `load-sample`; and `import_calendar`, which `plan --calendar` stores
a store calendar with. Each imports what it needs when it runs, so `validate` does not wait for the database layer."""

from __future__ import annotations

import os
import shlex
import sys
import traceback
from pathlib import Path

from planner.access.scope import CHANGE_STORES, OutsideScope, Scope
from planner.cli_flags import EXIT_INPUT, EXIT_OK, EXIT_UNAVAILABLE, PROG, BadInput, csv_file
from planner.cli_io import (
    DEBUG_ENV, as_said_here, once_each, print_problems, progress_bar, read_each, read_files, say_put_out_of_date,
    write_text,
)
from planner.cli_users import scope_of
from planner.errors import InputProblem, InputRejected, not_listed_count, problems_counted
from planner.settings import PROJECT_ROOT, Settings
from planner.surfaces.fixes import FileCommand
from planner.words import counted

SAMPLE_DIR = PROJECT_ROOT / "data"
SAMPLE_STORES = SAMPLE_DIR / "stores.csv"
SAMPLE_OBSERVATIONS = SAMPLE_DIR / "observations.csv"
SAMPLE_EMPLOYEES = SAMPLE_DIR / "employees.csv"
SAMPLE_ABSENCES = SAMPLE_DIR / "absences.csv"
PLAN_WITH_CALENDAR = FileCommand("plan with", f"{PROG} plan --calendar FILE ...",
                                 f"{PROG} plan --calendar FILE ..., once for each")
"""What reads `plan --calendar`'s file again, as its fixes name it: the plan (`import` stores a calendar, plans
nothing)."""


def add_validate(commands) -> None:
    validate = commands.add_parser("validate", help="check observation, store, employee and absence files; import "
                                   "nothing")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE",
                          help="CSV or XLSX files: counts, store file, calendar, employees, absences (recognised by "
                               "their columns)")
    validate.add_argument("--stores", type=Path, metavar="stores.csv", help="store file to check store ids against",
                          twice="the store ids are checked against one store file (name the others as FILEs)")
    validate.add_argument("--format", choices=["text", "json"], default="text",
                          help="text: a line per problem, rows alike in one (default); json: every problem of "
                               "every row, for a program")
    # checked with the default settings, not the chain's (`planner.cli._settings`); a database not there yet is
    # checked against as an empty one, and not created
    validate.set_defaults(command=_validate, default_settings=True, database_optional=True)


def add_import(commands) -> None:
    load = commands.add_parser("import", help="validate and store files (all or nothing): counts, and employee and "
                               "absence files (recognised by their columns)")
    load.add_argument("files", nargs="*", type=Path, metavar="FILE",
                      help="CSV or XLSX files: counts, employees, absences, a store file or a calendar (recognised by "
                           "their columns)")
    load.add_argument("--stores", type=Path, metavar="stores.csv",
                      help="store file to import first, in the same transaction",
                      twice="more than one store file in one import (import one at a time)")
    load.add_argument("--calendar", type=Path, metavar="FILE", help="store calendar to validate and store with the "
                      "other files (its rows replace stored ones of the same store and date)",
                      twice="--calendar takes one store calendar (import one at a time)")
    load.set_defaults(command=_import, creates_database=True)


def add_stores(commands) -> None:
    listing = commands.add_parser("stores", help="list stores and how much of their opening hours was observed")
    listing.set_defaults(command=_stores)


def add_export(commands) -> None:
    export = commands.add_parser("export-observations", help="write stored observations to a CSV file")
    export.add_argument("--store", action="append", dest="stores", metavar="S", help="store id (repeatable)")
    export.add_argument("--out", type=csv_file, required=True, metavar="FILE.csv",
                        help="the CSV file to write, in the upload's format (- for standard output)")
    export.set_defaults(command=_export)


def add_load_sample(commands) -> None:
    sample = commands.add_parser("load-sample", help="import the bundled sample stores, observations, employees and "
                                 "absences")
    sample.add_argument("--if-empty", action="store_true", help="only when the database has no stores yet")
    sample.set_defaults(command=_load_sample, creates_database=True)


# --- commands ----------------------------------------------------------------------------------------------------

def _validate(args, settings: Settings) -> int:
    import json

    from planner.intake import STORES, UNKNOWN, calendar_that_matters, check_files

    args.files = [path for path in once_each([args.stores, *args.files])[1:] if path is not None]
    paths = ([args.stores] if args.stores else []) + args.files
    # a path that cannot be read is that file's problem, said in its place, and the other files are checked: the
    # text report stopped at the first such path, saying nothing of the files after it
    read = read_each(paths)
    unreadable = {position: problem for position, problem in enumerate(read) if isinstance(problem, InputProblem)}
    files = [file for file in read if not isinstance(file, InputProblem)]
    known, note, people, scope, known_in, calendar = None, "", None, scope_of(args), "the database", None
    counts_calendar = counted_days = None
    stand_in = None  # the sample's stores, for an empty database (`check_files`' stand_in_stores)
    against = ""  # the stores besides the batch's store files the ids are checked against, as the note names them
    # an unreadable --stores file leaves the store ids unchecked (errors, exit 2), not checked against the database
    store_file = None if 0 in unreadable else args.stores
    if args.stores is not None and store_file is None:
        note = f"store ids not checked: the store file {args.stores} cannot be read"
    if args.stores is None:
        from planner import storage
        from planner.storage.engine import missing_sqlite_file

        # no database yet: checked against an empty one in memory (`validate` reads; it creates no file)
        missing = missing_sqlite_file(settings.resolved_database_url())
        engine = storage.connect(settings, "sqlite://" if missing else None)
        known = storage.load_stores(engine, scope)
        people = storage.load_employees(engine, scope=scope)["employee_id"]  # what an absence file may name
        calendar = calendar_that_matters(engine, scope)  # what a store or calendar file's hours may not overlap
        counts_calendar = storage.load_calendar(engine, scope=scope)  # the hours of the counted dates it changes
        counted_days = storage.load_counted_days(engine, scope)  # stored counts a calendar file's rows may close
        if known.empty and scope.all_stores:  # the sample's stores stand in, unless a FILE is a store file
            sample = SAMPLE_STORES.relative_to(PROJECT_ROOT)
            stand_in = (check_files(read_files([SAMPLE_STORES]), None, settings.import_rules)[0].frame, str(sample))
            against = f"{sample} (the database has no stores yet)"
        else:  # the README: validate says which stores it checked against, these too
            yours = "" if scope.all_stores else " you may use"
            against = f"the database's {counted(len(known), 'store')}{yours}"
    named_as = {files[0][0]: STORES} if store_file is not None else None  # as import reads it
    stored = None  # what a store file of a role that may not change it is checked against, as import checks it
    if store_file is not None and not scope.may(CHANGE_STORES):
        from planner import storage
        from planner.storage.engine import missing_sqlite_file

        missing = missing_sqlite_file(settings.resolved_database_url())  # `validate` creates no database file
        stored = storage.load_stores(storage.connect(settings, "sqlite://" if missing else None), scope)
    checked = check_files(files, known, settings.import_rules, known_employee_ids=people, scope=scope,
                          known_stores_in=known_in, known_calendar=calendar, stand_in_stores=stand_in, kinds=named_as,
                          counts_calendar=counts_calendar, counted_days=counted_days, stored_stores=stored)
    if against:  # a store file among the FILEs adds its stores (said "the database's 9 stores" alone, as if not)
        # a store file not read (its stores on another sheet) adds none: the ids were checked against `against`
        named = [report.file_name for report in checked if report.kind == STORES and not report.unread]
        if named and stand_in is not None:  # an empty database: the store file is all the ids are checked against
            note = f"store ids checked against {', '.join(named)} (the database has no stores yet)"
        else:
            note = f"store ids checked against {', '.join(named) + ' and ' if named else ''}{against}"
    # a workbook not read whose other sheet holds another kind's rows is refused as the wrong file, as `import
    # --stores` refuses it: moving that sheet first (its error's fix) would not make it the store file
    if store_file is not None and checked[0].unread and checked[0].kind != UNKNOWN:
        _require_store_file(store_file, checked[0].kind, "validate")
    if store_file is not None and not checked[0].errors:  # a file that cannot be read says so below
        _require_store_file(store_file, checked[0].kind, "validate")
        note = f"store ids checked against {store_file}"
    elif store_file is not None and checked[0].unread:  # as for a path that cannot be read
        note = f"store ids not checked: the store file {store_file} cannot be read"
    elif store_file is not None and checked[0].kind == STORES and len(paths) > 1:
        # its stores are known by the ids its rows name, but none by its opening hours
        note = (f"store ids checked against {store_file}; the other files' rows were not checked against its "
                "opening hours, since it has errors (fix them and check again)")
    reports = iter(checked)  # (file, kind, rows, problems) in the order given, an unreadable path where it was named
    per_path = []
    for position in range(len(paths)):
        if position in unreadable:
            per_path.append((unreadable[position].file, None, 0, (unreadable[position],)))
        else:
            report = next(reports)
            # JSON's null for a kind not known, as for a path that cannot be read
            kind = None if report.kind == UNKNOWN else report.kind
            per_path.append((report.file_name, kind, report.rows_read, report.problems))
    problems = [p for *_, said in per_path for p in said]
    errors = sum(p.severity == "error" for p in problems)
    if args.format == "json":
        print(json.dumps({"files": [
            {"file": name, "kind": kind, "rows": rows, "problems": [p.as_dict() for p in as_said_here(said)]}
            for name, kind, rows, said in per_path
        ], "errors": _total(problems, "error"), "warnings": _total(problems, "warning")}, indent=2))
    else:
        print_problems(problems)
        if note:
            print(f"note: {note}")
        files = counted(len(paths), "file")
        print(f"{problems_counted(problems, 'error')}, {problems_counted(problems, 'warning')} in {files}"
              + ("" if errors else ": ready to import"))
    if unreadable:
        return EXIT_UNAVAILABLE  # what was named is not there to check (it ended the command, exit 2)
    return EXIT_INPUT if errors else EXIT_OK


def _import(args, settings: Settings) -> int:
    if not args.files and not args.stores and not args.calendar:
        raise BadInput("name at least one FILE, --stores FILE or --calendar FILE to import")
    from planner import storage
    from planner.intake import CALENDAR, STORES, WrongKind, import_files

    # a file named twice was read twice, each row warned of as replaced by its own copy
    args.stores, args.calendar, *files = once_each([args.stores, args.calendar, *args.files])
    args.files = [path for path in files if path is not None]
    engine = storage.connect(settings)
    # the calendar is one more file of the batch, checked with the others before anything is written: imported
    # after them in a transaction of its own, a bad calendar was rejected once the other files were stored ("nothing
    # was imported")
    named = [(args.stores, STORES)] if args.stores else []
    named += [(path, None) for path in args.files] + ([(args.calendar, CALENDAR)] if args.calendar else [])
    files = read_files([path for path, _ in named])
    # as validate: a file of another kind under --stores (--calendar) was imported as what it is
    kinds = {name: kind for (name, _), (_, kind) in zip(files, named, strict=True) if kind is not None}
    as_made = plans_as_made_before(engine, scope_of(args))
    try:
        summaries = import_files(engine, files, settings.import_rules, scope_of(args), kinds=kinds or None)
    except WrongKind as wrong:
        if wrong.expected == STORES:
            _require_store_file(args.stores, wrong.kind)
        _require_calendar_file(args.calendar, wrong.kind)
        raise
    for summary in summaries:
        print(summary)
        print_problems(summary.warnings)  # imported as they are, but said (a later file replacing rows, ...)
    if args.files or args.stores or args.calendar:
        # counts, stores or the calendar changed: a calendar changes the part of a counted hour the store was open
        # on its date, which the kept estimates are made from (`planner.stored_patience`), so they are made now, not
        # by the next plan (minutes on a large chain)
        _keep_patience(engine, settings)
    say_out_of_date(engine, as_made, scope_of(args))
    return EXIT_OK


def _stores(args, settings: Settings) -> int:
    from planner import coverage, storage

    engine, scope = storage.connect(settings), scope_of(args)
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

    engine, scope = storage.connect(settings), scope_of(args)
    if args.stores:  # an id outside the scope is unknown, as in every other command
        select_stores(storage.load_stores(engine, scope), args.stores, scope)
    frame = storage.load_observations(engine, args.stores, scope)
    write_text(args.out, observations_csv(frame))
    print(f"{counted(len(frame), 'row')} written to {args.out}")
    return EXIT_OK


def _load_sample(args, settings: Settings) -> int:
    from planner import storage
    from planner.intake import import_files

    scope = scope_of(args)
    if not scope.all_stores:
        raise OutsideScope(f"the sample holds a whole chain of stores: only a planner may load it ({scope.user}, "
                           f"{scope.role.replace('_', ' ')}, {scope.described()})")
    engine = storage.connect(settings)
    paths = [] if args.if_empty and storage.count_rows(engine)["stores"] else [SAMPLE_STORES, SAMPLE_OBSERVATIONS]
    if paths or _sample_people_fit(storage.load_stores(engine), storage.load_employees(engine)):
        paths += [SAMPLE_EMPLOYEES, SAMPLE_ABSENCES]
    if not paths:
        print("the database already holds stores: nothing loaded (--if-empty)")
        return EXIT_OK
    # the sample's counts and store file imported again over ones imported since put plans made from those out of date
    as_made = plans_as_made_before(engine, scope)
    for summary in import_files(engine, read_files(paths), settings.import_rules, scope):
        print(summary)
    _keep_patience(engine, settings)
    say_out_of_date(engine, as_made, scope)
    return EXIT_OK


def checked_calendar(engine, path: Path, settings: Settings, scope: Scope):
    """Read and check the store calendar file against the stored store ids, as `import` checks it; InputRejected
    with every problem. Its warnings are the caller's to say (`plan` says them with the plan, or with a refusal
    after the file's: `cli_io.WarningsHeld`), their fixes naming the plan (`PLAN_WITH_CALENDAR`, as `plan`'s
    defaults do for its errors). Nothing is stored: `plan --calendar` stores it with its plan."""
    from planner import storage

    from planner.intake import CALENDAR, UNKNOWN, calendar_that_matters, check_files

    ((name, content),) = read_files([path])
    # checked as `import` checks it, so a row of a store the user may not plan for says so (it read as a store
    # missing from the store file) and a row for every store says it is the chain's; and against the stored
    # calendar: a row whose hours overlap a stored one beside it was stored with the plan, and every plan of that
    # week then refused the store
    (checked,) = check_files([(name, content)], storage.load_stores(engine, scope), settings.import_rules, scope=scope,
                             known_calendar=calendar_that_matters(engine, scope), kinds={name: CALENDAR},
                             counts_calendar=storage.load_calendar(engine, scope=scope),
                             counted_days=storage.load_counted_days(engine, scope))
    # an observation file was stored as a calendar of nothing; a workbook not read is of the kind its other sheet
    # holds (moving that sheet first would not make it the calendar), and one of a kind unknown's errors say why
    if checked.kind != UNKNOWN:
        _require_calendar_file(path, checked.kind)
    if checked.errors:
        raise InputRejected(checked.problems, "nothing was planned")  # `plan` imports nothing itself
    return checked


# --- helpers -----------------------------------------------------------------------------------------------------

def _total(problems: list[InputProblem], severity: str) -> int:
    """How many problems of `severity` a report holds: those listed, and those a line past the cap counts ("and 686
    more errors in this column" was counted one)."""
    return sum(not_listed_count(p) or 1 for p in problems if p.severity == severity)


def _require_store_file(path: Path, kind: str, command: str = "import") -> None:
    """--stores names the store file the other files' store ids are checked against: a file of another kind would
    leave them unchecked (`validate` said "ready to import" where `import` then refused)."""
    from planner.intake import STORES

    if kind != STORES:
        again = f"check it without --stores (`{PROG} validate {path}`); " if command == "validate" else ""
        raise BadInput(f"{path}: --stores takes the store file (store_id, name, region, format, the week's opening "
                       f"hours, ...), and this reads as a {_not_the_kind(kind, STORES)}: {again}"
                       f"{_what_reads(kind, path)}")


def _require_calendar_file(path: Path, kind: str) -> None:
    """--calendar names the store calendar: a file of another kind was stored as a calendar of nothing."""
    from planner.intake import CALENDAR

    if kind != CALENDAR:
        raise BadInput(f"{path}: --calendar takes the store calendar (store_id, date, closed, hours, demand_factor, "
                       f"note), and this reads as a {_not_the_kind(kind, CALENDAR)}: {_what_reads(kind, path)}")


def _not_the_kind(kind: str, expected: str) -> str:
    """"file of calendar days, not stores": what a file named by a flag holds, and what the flag takes."""
    from planner.intake import kind_words

    return f"file of {kind_words(kind)}, not {kind_words(expected)}"


def _what_reads(kind: str, path: Path) -> str:
    """The commands that read a file of `kind`, as the fix of a file named under a flag of another kind says them:
    "name it without --calendar" left a plan without its calendar and the file read by nothing."""
    from planner.intake import ABSENCES, CALENDAR, STORES

    file = shlex.quote(str(path))
    if kind == STORES:
        return f"`{PROG} import --stores {file}` imports it"
    if kind == CALENDAR:
        return f"`{PROG} plan --calendar {file} ...` plans with it, `{PROG} import --calendar {file}` imports it"
    if kind == ABSENCES:
        return f"`{PROG} import {file}` imports it, `{PROG} roster replan --absence {file}` re-plans with it"
    return f"`{PROG} import {file}` imports it"


def _keep_patience(engine, settings: Settings) -> None:
    """After an import: the patience estimates of the formats whose counts or stores changed, made and kept for the
    plans to read (`planner.pipeline.keep_patience_estimates`)."""
    from planner.pipeline import keep_patience_estimates

    try:
        with progress_bar("patience estimates made") as progress:
            keep_patience_estimates(engine, settings, progress)
    except Exception as error:  # noqa: BLE001  (the files are stored: an error exit said "nothing more was done")
        if os.environ.get(DEBUG_ENV):
            traceback.print_exc()
        print(f"warning: the files are imported, but the patience estimates could not be made now "
              f"({type(error).__name__}: {error}); the next recommendation or plan makes them, and says why if it "
              f"cannot. Run again with {DEBUG_ENV}=1 to see where it happened", file=sys.stderr)


def plans_as_made_before(engine, scope: Scope) -> frozenset[int]:
    """The saved plans an import (or the calendar `plan --calendar` stores) may put out of date
    (`planner.import_change.plans_as_made`); none where the plans cannot be judged (saved settings that cannot be
    used: `plans list` says why), as on the Upload page."""
    from planner.errors import PlannerError
    from planner.import_change import plans_as_made

    try:
        return plans_as_made(engine, scope)
    except PlannerError:
        return frozenset()


def say_out_of_date(engine, as_made: frozenset[int], scope: Scope) -> None:
    """After an import (`plans_as_made_before` it), the saved plans it put out of date (`say_put_out_of_date`);
    nothing where it put none out of date, or the plans cannot be judged."""
    from planner.errors import PlannerError
    from planner.import_change import put_out_of_date

    try:
        stale = put_out_of_date(engine, as_made, scope)
    except (PlannerError, ValueError):  # a plan's document this release cannot read: the import stands, as said
        return
    say_put_out_of_date(engine, stale, scope)


def _sample_people_fit(stores, employees) -> bool:
    """A database loaded with the sample before people came: it has every sample store and no employees yet."""
    import pandas as pd

    sample_stores = set(pd.read_csv(SAMPLE_STORES, usecols=["store_id"])["store_id"])
    return employees.empty and sample_stores <= set(stores["store_id"])
