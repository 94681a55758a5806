"""Command-line interface for batch work: validate and import files, list stores, export observations, recommend
staff per hour, and schedule shifts.

Every command exits 0 on success, 1 for bad input (a file with errors, a flag value that makes no sense) and 2 when
something is unavailable (the database, a file that cannot be opened, a Dask scheduler). Each failure is one line,
never a traceback (`PLANNER_DEBUG=1` shows it). Each command imports what it needs when it runs, so `--help` and
`validate` do not wait for the optimiser, the database layer or Dask to load.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import traceback
from contextlib import contextmanager, nullcontext
from pathlib import Path

from planner.cli_flags import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_UNAVAILABLE,
    OneLineParser,
    lengths,
    number,
    output_file,
    output_folder,
)
from planner.errors import InputProblem, InputRejected, PlannerError, group_problems
from planner.settings import PROJECT_ROOT, STORE_TARGETS, ServiceTargets, Settings, field_info

SAMPLE_DIR = PROJECT_ROOT / "data"
SAMPLE_STORES = SAMPLE_DIR / "stores.csv"
SAMPLE_OBSERVATIONS = SAMPLE_DIR / "observations.csv"
DEBUG_ENV = "PLANNER_DEBUG"
"""Set to 1 to see the traceback behind a one-line error."""
PROG = "planner" if Path(sys.argv[0]).name == "planner" else "python -m planner"
"""How the user called it: the `planner` command or `python -m planner`."""


class BadInput(PlannerError):
    """Something the user gave (a file's content, a combination of flags) that no run can use: exit 1."""


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:  # --help (0) or a flag value `OneLineParser.error` rejected (1)
        return stop.code if isinstance(stop.code, int) else EXIT_INPUT
    try:
        with nullcontext() if args.command is _schedule else _without_unused_extras():
            return args.command(args, _settings(args))
    except InputRejected as rejected:
        _print_problems(rejected.problems)
        print(f"{rejected}", file=sys.stderr)
        return EXIT_INPUT
    except BadInput as error:
        return _fail(error, EXIT_INPUT)
    except (PlannerError, OSError) as error:
        return _fail(error, EXIT_UNAVAILABLE)
    except KeyboardInterrupt:
        print("stopped: nothing more was written", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001  (the last resort: a defect, said in one sentence, not a traceback)
        return _fail(error, EXIT_UNAVAILABLE, unexpected=True)


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
        raise argparse.ArgumentTypeError(f"{error} (give year-W and week number, e.g. 2026-W50)") from None


_TARGET_EXAMPLES = {"target_service_level": "0.8", "target_wait_seconds": "60", "patience_minutes": "5",
                    "max_abandon_share": "0.05", "min_staff": "1"}
_TARGET_METAVARS = {"share": "SHARE", "seconds": "SECONDS", "minutes": "MINUTES", "staff": "STAFF"}


def _target_flag(name: str):
    """The argparse type of a what-if target flag, with the range `ServiceTargets`' field metadata allows."""
    info = field_info(ServiceTargets, name)
    return number(int if info.whole else float, _TARGET_METAVARS[info.unit], low=info.low, high=info.high,
                  low_open=info.low_open, high_open=info.high_open, example=_TARGET_EXAMPLES[name])


_DUTY_MINUTES = number(int, "MINUTES", low=0, high=24 * 60, example="30")
_BUDGET_HOURS = number(float, "HOURS", low=0, low_open=True, example="400")
_TIME_LIMIT_SECONDS = number(float, "SECONDS", low=0, high=24 * 3600, low_open=True, example="20")
_DEMAND_SCALE = number(float, "X", low=0, high=100, low_open=True, example="1.2", noun="a demand factor")
_REPLICATIONS = number(int, "N", low=2, high=1_000_000, example="1000", noun="a whole number of simulated weeks")
_WINDOWS = number(int, "N", low=1, high=50, example="3", noun="a whole number of 2-hour windows")


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: PLANNER_DATABASE_URL or the embedded SQLite)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check observation and store files; import nothing")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument("--stores", type=Path, help="store file to check store ids against")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.set_defaults(command=_validate)

    load = commands.add_parser("import", help="validate and store files (all or nothing)")
    load.add_argument("files", nargs="*", type=Path, metavar="FILE")
    load.add_argument("--stores", type=Path, help="store file to import first, in the same transaction")
    load.add_argument("--calendar", type=Path, metavar="FILE", help="store calendar to validate and store (its rows "
                      "replace stored ones of the same store and date)")
    load.set_defaults(command=_import)

    listing = commands.add_parser("stores", help="list stores and how much of their opening hours was observed")
    listing.set_defaults(command=_stores)

    export = commands.add_parser("export-observations", help="write stored observations to a CSV file")
    export.add_argument("--store", action="append", dest="stores", metavar="S", help="store id (repeatable)")
    export.add_argument("--out", type=output_file, required=True, metavar="FILE")
    export.set_defaults(command=_export)

    recommend = commands.add_parser("recommend", help="recommended staff per store, weekday (0 = Monday) and hour")
    recommend.add_argument("--store", action="append", dest="stores", metavar="S", help="store id (repeatable)")
    recommend.add_argument("--all", action="store_true", help="every store (the default when no --store is given)")
    recommend.add_argument("--out", type=output_file, metavar="FILE.csv", help="write every column to a CSV file")
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
    plan.add_argument("--shift-lengths", type=lengths, metavar="4,6,8", help="allowed shift lengths in hours")
    plan.add_argument("--start-step", type=int, choices=[30, 60], help="shifts start every 30 or 60 minutes")
    plan.add_argument("--no-breaks", action="store_true", help="no unpaid break in long shifts")
    plan.add_argument("--duty-before", type=_DUTY_MINUTES, metavar="MINUTES", help="duty allowed before opening")
    plan.add_argument("--duty-after", type=_DUTY_MINUTES, metavar="MINUTES", help="duty allowed after closing")
    plan.add_argument("--budget", type=_BUDGET_HOURS, metavar="HOURS", help="weekly paid staff-hours per store")
    plan.add_argument("--hard-coverage", action="store_true", help="cover every required hour or report why not")
    plan.add_argument("--min-staff-cover", action="store_true",
                      help="schedule min_staff in open hours without a recommendation (never counted)")
    plan.add_argument("--time-limit", type=_TIME_LIMIT_SECONDS, metavar="SECONDS", help="per store")
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
    _add_by_flag(dated)
    _add_target_flags(dated)
    dated.set_defaults(command=_plan)

    saved = commands.add_parser("plans", help="saved plans: list them, show one")
    kept = saved.add_subparsers(required=True, metavar="list|show")
    listed = kept.add_parser("list", help="saved plans, newest first, and whether their inputs changed since")
    listed.add_argument("--store", metavar="S", help="only this store's plans")
    listed.add_argument("--week", type=_iso_week, metavar="2026-W50", help="only this week's plans")
    listed.set_defaults(command=_plans_list)
    shown = kept.add_parser("show", help="a saved plan's dated shifts and requirement")
    shown.add_argument("plan_id", type=number(int, "ID", low=1, example="3", noun="a plan id"), metavar="ID")
    shown.add_argument("--out-dir", type=output_folder, metavar="DIR",
                       help="write plan.json, plan_shifts.csv, plan_requirement.csv, plan_summary.csv here")
    shown.set_defaults(command=_plans_show)

    simulate = commands.add_parser("simulate", help="simulate a store's week under its plan: service per hour, bands")
    simulate.add_argument("--store", required=True, metavar="S")
    simulate.add_argument("--schedule", type=Path, metavar="shifts.csv", help="shifts to simulate (export format); "
                          "default: the recommended staff per hour")
    simulate.add_argument("--demand-scale", type=_DEMAND_SCALE, default=1.0, metavar="X", help="1.2: 20%% more customers")
    simulate.add_argument("--replications", type=_REPLICATIONS, metavar="N", help="simulated weeks (default in Settings)")
    simulate.add_argument("--check-staffing", action="store_true",
                          help="correct the recommended staff per hour where the simulation misses the targets")
    simulate.set_defaults(command=_simulate)

    advice = commands.add_parser("next-counts", help="the 2-hour windows where one more count helps the plan most")
    advice.add_argument("--store", required=True, metavar="S", help="store id")
    advice.add_argument("--windows", type=_WINDOWS, default=3, metavar="N", help="how many windows (default 3)")
    advice.set_defaults(command=_next_counts)
    review = commands.add_parser("review", help="the published plan of a store and week against the counts since")
    review.add_argument("--store", required=True, metavar="S")
    review.add_argument("--week", required=True, type=_iso_week, metavar="2026-W41", help="ISO week, Monday to Sunday")
    review.set_defaults(command=_review)

    sample = commands.add_parser("load-sample", help="import the bundled sample stores and observations")
    sample.add_argument("--if-empty", action="store_true", help="only when the database has no stores yet")
    sample.set_defaults(command=_load_sample)
    return parser


def _add_target_flags(command: argparse.ArgumentParser) -> None:
    targets = Settings().targets
    for name in STORE_TARGETS:
        kind = _target_flag(name)
        command.add_argument(f"--{name.replace('_', '-')}", dest=name, type=kind, metavar=kind.__name__,
                             help=f"{field_info(ServiceTargets, name).label.lower()}, for every store (default "
                                  f"{getattr(targets, name)}, or the store file's value)")


def _add_by_flag(command: argparse.ArgumentParser) -> None:
    command.add_argument("--by", default=None, metavar="NAME",
                         help="who makes (and publishes) the plan, as the saved plans list it (default: your login)")


def _who(args) -> str:
    import getpass

    try:
        return args.by or getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a user entry)
        return "command line"


def _what_if(args) -> dict[str, float | int]:
    """The target flags given, as what-if values for every store."""
    return {name: getattr(args, name) for name in STORE_TARGETS if getattr(args, name) is not None}


# --- commands ----------------------------------------------------------------------------------------------------

def _validate(args, settings: Settings) -> int:
    import json

    from planner.intake import check_files

    files = _read(([args.stores] if args.stores else []) + args.files)
    known, note = None, ""
    if args.stores is None:
        from planner import storage

        known = storage.load_stores(storage.connect(settings))
        if known.empty:
            known = check_files(_read([SAMPLE_STORES]), None, settings.import_rules)[0].frame
            sample = SAMPLE_STORES.relative_to(PROJECT_ROOT)
            note = f"store ids checked against {sample} (the database has no stores yet)"
    checked = check_files(files, known, settings.import_rules)
    problems = [p for c in checked for p in c.problems]
    errors = sum(p.severity == "error" for p in problems)
    if args.format == "json":
        print(json.dumps({"files": [
            {"file": c.file_name, "kind": c.kind, "rows": len(c.frame), "problems": [p.as_dict() for p in c.problems]}
            for c in checked
        ], "errors": errors, "warnings": len(problems) - errors}, indent=2))
    else:
        _print_problems(problems)
        if note:
            print(f"note: {note}")
        print(f"{errors} error(s), {len(problems) - errors} warning(s) in {len(checked)} file(s)"
              + ("" if errors else ": ready to import"))
    return EXIT_INPUT if errors else EXIT_OK


def _import(args, settings: Settings) -> int:
    if not args.files and not args.stores and not args.calendar:
        raise BadInput("name at least one FILE, --stores FILE or --calendar FILE to import")
    from planner import storage
    from planner.intake import import_files

    engine = storage.connect(settings)
    if args.files or args.stores:
        files = _read(([args.stores] if args.stores else []) + args.files)
        for summary in import_files(engine, files, settings.import_rules):
            print(summary)
    if args.calendar:
        print(_import_calendar(engine, args.calendar, settings))
    return EXIT_OK


def _stores(args, settings: Settings) -> int:
    from planner import coverage, storage

    engine = storage.connect(settings)
    stores = storage.load_stores(engine)
    if stores.empty:
        print("no stores yet: import a store file (python -m planner import --stores stores.csv FILE)")
        return EXIT_OK
    table = coverage.store_coverage_of_days(storage.load_counted_days(engine), stores)
    print(f"{'store':8} {'name':34} {'region':8} {'hours':>6}  {'dates':23} {'cells observed':>16}")
    for row in table.itertuples():
        dates = f"{row.first_date:%Y-%m-%d}..{row.last_date:%Y-%m-%d}" if row.observed_hours else "-"
        share = f"{row.observed_cells:.0f}/{row.open_cells:.0f} {row.observed_share:4.0%}"
        print(f"{row.store_id:8} {row.name[:34]:34} {row.region[:8]:8} {row.observed_hours:6d}  {dates:23} {share:>16}")
    return EXIT_OK


def _export(args, settings: Settings) -> int:
    from planner import storage
    from planner.export import observations_csv

    frame = storage.load_observations(storage.connect(settings), args.stores)
    _write_text(args.out, observations_csv(frame))
    print(f"{len(frame)} rows written to {args.out}")
    return EXIT_OK


def _recommend(args, settings: Settings) -> int:
    from planner import storage
    from planner.export import recommendation_csv, staff_grid_text
    from planner.pipeline import recommend

    engine = storage.connect(settings)
    with _progress_bar() as progress:
        table = recommend(engine, settings, None if args.all else args.stores, what_if=_what_if(args),
                          progress=progress)
    if args.out:
        _write_text(args.out, recommendation_csv(table))
        print(f"{len(table)} store-hours written to {args.out}")
    else:
        print(staff_grid_text(table))
    for row in _resolved_targets(engine, settings, table["store_id"].unique(), args).itertuples(index=False):
        print(f"{row.store_id}: patience {row.patience_minutes:.1f} min, {row.patience_minutes_note}")
    return EXIT_OK


def _resolved_targets(engine, settings: Settings, store_ids, args):
    from planner import storage
    from planner.pipeline import targets_from_frames

    stores = storage.load_stores(engine)
    return targets_from_frames(storage.load_observations(engine, stores["store_id"].tolist()), stores, settings,
                               _what_if(args), [str(s) for s in store_ids])


def _next_counts(args, settings: Settings) -> int:
    from planner import storage
    from planner.pipeline import demand_from_frames, select_stores
    from planner.staffing.advice import next_counts

    engine = storage.connect(settings)
    stores = storage.load_stores(engine)
    select_stores(stores, [args.store])  # a clear error for an unknown store
    demand = demand_from_frames(storage.load_observations(engine, stores["store_id"].tolist()), stores, settings)
    advice = next_counts(demand, stores, settings, args.store, args.windows)
    print("\n".join(a.sentence for a in advice) or f"{args.store} has no counts yet: count any two hours to start.")
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

            reports = schedule(storage.connect(settings), settings, None if args.all else args.stores, **options)
    summary = pd.DataFrame([r.totals for r in reports])
    print(schedule_summary_text(summary))
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

    from planner.saved_plans import publish_plans, save_made_plan, stored_calendar

    engine = storage.connect(settings)
    try:
        request = PlanRequest(weeks=tuple(args.weeks), store_ids=tuple(args.stores or ()), settings=settings,
                              what_if=_what_if(args))
    except ValueError as error:
        raise BadInput(str(error)) from error
    if args.calendar:
        print(_import_calendar(engine, args.calendar, settings))
    with _progress_bar() as progress:
        plan = make_plan(engine, request, calendar=stored_calendar(engine), progress=progress)
    print(plan_text(plan))
    if args.out_dir:
        print("written: " + ", ".join(str(path) for path in write_plan(plan, args.out_dir)))
    who = _who(args)
    ids = save_made_plan(engine, plan, who)
    print(f"saved as plan(s) {', '.join(map(str, ids))}" + ("" if args.publish else
          f" (draft; `{PROG} plan ... --publish` publishes the plan it makes)"))
    if args.publish:
        for stored in publish_plans(engine, ids, who):
            print(f"published plan {stored.plan_id}: {stored.store_id} {stored.iso_week}")
    return EXIT_OK


def _import_calendar(engine, path: Path, settings: Settings):
    """Validate the store calendar file against the stored store ids and store it; InputRejected with every
    problem (nothing stored)."""
    from planner import storage
    from planner.io import read_table
    from planner.io.calendar import validate_calendar
    from planner.saved_plans import store_calendar

    ((name, content),) = _read([path])
    checked = validate_calendar(read_table(content, name, settings.import_rules),
                                storage.load_stores(engine)["store_id"], settings.import_rules)
    if not checked.ok:
        raise InputRejected(checked.problems)
    _print_problems(checked.problems)
    return store_calendar(engine, checked.frame, name, content)


def _plans_list(args, settings: Settings) -> int:
    import pandas as pd

    from planner import storage
    from planner.saved_plans import OUT_OF_DATE, plans_with_status

    table = plans_with_status(storage.connect(settings), settings, args.store, args.week)
    if table.empty:
        print(f"no saved plans{' of that store or week' if args.store or args.week else ''}: make one with "
              f"`{PROG} plan --week 2026-W50`")
        return EXIT_OK
    print(f"{'id':>5} {'store':8} {'week':8} {'status':10} {'created (UTC)':16} {'by':12} "
          f"{'published (UTC)':16} {'by':12} inputs")
    for row in table.itertuples(index=False):
        published = "-" if pd.isna(row.published_at) else f"{row.published_at:%Y-%m-%d %H:%M}"
        published_by = "-" if pd.isna(row.published_by) else str(row.published_by)
        inputs = f"out of date: {getattr(row, OUT_OF_DATE)} changed since" if getattr(row, OUT_OF_DATE) else \
            "as made"
        print(f"{row.plan_id:>5} {row.store_id:8} {row.iso_week:8} {row.status:10} {row.created_at:%Y-%m-%d %H:%M} "
              f"{row.created_by[:12]:12} {published:16} {published_by[:12]:12} {inputs}")
    return EXIT_OK


def _plans_show(args, settings: Settings) -> int:
    from planner import storage
    from planner.plans import Plan
    from planner.plans.export import plan_text, write_plan
    from planner.saved_plans import out_of_date_of

    engine = storage.connect(settings)
    stored = storage.load_plan(engine, args.plan_id)
    plan = Plan.from_json(stored.document)
    published = f", published {stored.published_at:%Y-%m-%d %H:%M} UTC by {stored.published_by}" \
        if stored.published_at else ""
    print(f"plan {stored.plan_id}: {stored.store_id} {stored.iso_week}, {stored.status}, made "
          f"{stored.created_at:%Y-%m-%d %H:%M} UTC by {stored.created_by}{published}")
    changed = out_of_date_of(engine, plan, settings)
    print(f"out of date: {changed} changed since it was made; make it again" if changed
          else "its inputs are as they were when it was made")
    print(plan_text(plan))
    if args.out_dir:
        print("written: " + ", ".join(str(path) for path in write_plan(plan, args.out_dir)))
    return EXIT_OK


def _simulate(args, settings: Settings) -> int:
    from planner.simulation.plan import check_plan, plan_text, simulate_plan
    from planner.simulation.roster import read_shifts_csv

    from planner import storage

    engine = storage.connect(settings)
    if args.check_staffing:
        checked = check_plan(storage.load_observations(engine, [args.store]), storage.load_stores(engine), args.store,
                             settings, replications=args.replications,
                             progress=lambda done, most: print(f"simulation {done} (at most {most})", file=sys.stderr))
        print("\n".join([checked.summary(), *checked.corrections]))
        return EXIT_OK
    shifts = read_shifts_csv(args.schedule) if args.schedule else None
    print(f"simulating {args.store}…", file=sys.stderr)
    result = simulate_plan(storage.load_observations(engine, [args.store]), storage.load_stores(engine), args.store,
                           settings, shifts=shifts, demand_scale=args.demand_scale, replications=args.replications)
    plan = f"shifts from {args.schedule.name}" if args.schedule else "recommended staff per hour"
    scale = f", demand x {args.demand_scale:g}" if args.demand_scale != 1.0 else ""
    print(plan_text(result, plan + scale))
    return EXIT_OK


def _review(args, settings: Settings) -> int:
    from planner import storage
    from planner.plans import Plan
    from planner.review import review_plan, review_text

    engine = storage.connect(settings)
    stored = storage.published_plan(engine, args.store, args.week)
    if stored is None:
        print(f"no published plan for {args.store} in {args.week}: publish one first (plan --publish)")
        return EXIT_OK
    review = review_plan(Plan.from_json(stored.document), storage.load_observations(engine, [args.store]), settings,
                         store_id=args.store, iso_week=args.week)
    print(review_text(review, args.store, f"plan {stored.plan_id} published {stored.published_at:%Y-%m-%d}"))
    return EXIT_OK


def _load_sample(args, settings: Settings) -> int:
    from planner import storage
    from planner.intake import import_files

    engine = storage.connect(settings)
    if args.if_empty and storage.count_rows(engine)["stores"]:
        return EXIT_OK
    for summary in import_files(engine, _read([SAMPLE_STORES, SAMPLE_OBSERVATIONS]), settings.import_rules):
        print(summary)
    return EXIT_OK


# --- helpers -----------------------------------------------------------------------------------------------------

def _read(paths: list[Path]) -> list[tuple[str, bytes]]:
    from tqdm import tqdm

    files = []
    for path in tqdm(paths, desc="reading", unit="file", disable=len(paths) < 5, file=sys.stderr):
        try:
            shown = path.resolve().relative_to(PROJECT_ROOT) if path.resolve().is_relative_to(PROJECT_ROOT) else path
            files.append((str(shown), path.read_bytes()))
        except OSError as error:
            raise PlannerError(f"cannot read {path}: {error.strerror}") from error
    return files


def _read_requirements(path: Path) -> dict:
    """Store id -> 7 x 24 required staff from a requirements CSV (see `planner.shifts.read_requirements`)."""
    import pandas as pd

    from planner.shifts import read_requirements

    ((_, data),) = _read([path])
    try:
        return read_requirements(pd.read_csv(io.BytesIO(data)), store_id=path.stem)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:  # EmptyDataError is a ValueError
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "no columns to read"
        raise BadInput(f"{path}: not a requirements table ({first_line})") from error


def _write_text(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all: a failure midway leaves no half-written file behind. A device or
    a link (`/dev/stdout`) is written to as it is, never replaced."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        path.write_text(text, encoding="utf-8")
        return
    part = path.with_name(f".{path.name}.part")
    try:
        part.write_text(text, encoding="utf-8")
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


@contextmanager
def _progress_bar():
    """A progress callback `(done, total)` drawing a bar on the terminal (nothing when output is not a terminal)."""
    from tqdm import tqdm

    with tqdm(total=None, desc="stores", unit="store", file=sys.stderr, disable=None) as bar:
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield progress


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
