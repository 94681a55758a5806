"""Command-line interface for batch work: validate and import files, list stores, export observations, recommend
staff per hour, and schedule shifts.

Every command exits 0 on success, 1 when input files have errors, and 2 when the database is busy or a file cannot
be opened; messages are plain sentences, never tracebacks.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from tqdm import tqdm

from planner import coverage, storage
from planner.errors import DatabaseBusy, InputProblem, InputRejected, PlannerError
from planner.export import (
    observations_csv, recommendation_csv, schedule_summary_text, staff_grid_text, write_schedule,
)
from planner.intake import check_files, import_files
from planner.demand import estimate_demand
from planner.pipeline import recommend, schedule, schedule_requirements, select_stores
from planner.shifts import read_requirements
from planner.settings import PROJECT_ROOT, Settings
from planner.staffing.advice import next_counts

SAMPLE_DIR = PROJECT_ROOT / "data"
SAMPLE_STORES = SAMPLE_DIR / "stores.csv"
SAMPLE_OBSERVATIONS = SAMPLE_DIR / "observations.csv"
EXIT_OK, EXIT_INPUT, EXIT_UNAVAILABLE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings(database_url=args.database_url)
    try:
        return args.command(args, settings)
    except InputRejected as rejected:
        _print_problems(rejected.problems)
        print(f"{rejected}", file=sys.stderr)
        return EXIT_INPUT
    except (DatabaseBusy, PlannerError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m planner", description=__doc__.splitlines()[0])
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
    load.set_defaults(command=_import)

    listing = commands.add_parser("stores", help="list stores and how much of their opening hours was observed")
    listing.set_defaults(command=_stores)

    export = commands.add_parser("export-observations", help="write stored observations to a CSV file")
    export.add_argument("--store", action="append", dest="stores", metavar="S", help="store id (repeatable)")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.set_defaults(command=_export)

    recommend = commands.add_parser("recommend", help="recommended staff per store, weekday (0 = Monday) and hour")
    recommend.add_argument("--store", action="append", dest="stores", metavar="S", help="store id (repeatable)")
    recommend.add_argument("--all", action="store_true", help="every store (the default when no --store is given)")
    recommend.add_argument("--out", type=Path, metavar="FILE.csv", help="write every column to a CSV file")
    targets = Settings().targets
    for flag, kind, unit in _TARGET_FLAGS:
        recommend.add_argument(f"--{flag.replace('_', '-')}", dest=flag, type=kind, metavar=unit,
                               help=f"for every store (default {getattr(targets, flag)}, or the store file's value)")
    recommend.set_defaults(command=_recommend)

    plan = commands.add_parser("schedule", help="shifts covering the recommended staff at least wage cost")
    plan.add_argument("--store", action="append", dest="stores", metavar="S", help="store id (repeatable)")
    plan.add_argument("--all", action="store_true", help="every store (the default when no --store is given)")
    plan.add_argument("--requirements", type=Path, metavar="FILE",
                      help="schedule this table ([store,] day, day_name, h00..h23) instead of the recommendations")
    plan.add_argument("--out-dir", type=Path, metavar="DIR", help="write shifts.csv, coverage.csv, summary.csv here")
    plan.add_argument("--shift-lengths", type=_lengths, metavar="4,6,8", help="allowed shift lengths in hours")
    plan.add_argument("--start-step", type=int, choices=[30, 60], help="shifts start every 30 or 60 minutes")
    plan.add_argument("--no-breaks", action="store_true", help="no unpaid break in long shifts")
    plan.add_argument("--duty-before", type=int, metavar="MINUTES", help="duty allowed before opening")
    plan.add_argument("--duty-after", type=int, metavar="MINUTES", help="duty allowed after closing")
    plan.add_argument("--budget", type=float, metavar="HOURS", help="weekly paid staff-hours per store")
    plan.add_argument("--hard-coverage", action="store_true", help="cover every required hour or report why not")
    plan.add_argument("--time-limit", type=float, metavar="SECONDS", help="per store")
    plan.add_argument("--serial", action="store_true", help="solve stores one after another, without Dask")
    plan.add_argument("--scheduler", metavar="ADDRESS", help="use this Dask scheduler instead of a local cluster")
    plan.set_defaults(command=_schedule)

    advice = commands.add_parser("next-counts", help="the 2-hour windows where one more count helps the plan most")
    advice.add_argument("--store", required=True, metavar="S", help="store id")
    advice.add_argument("--windows", type=int, default=3, metavar="N", help="how many windows (default 3)")
    advice.set_defaults(command=_next_counts)

    sample = commands.add_parser("load-sample", help="import the bundled sample stores and observations")
    sample.add_argument("--if-empty", action="store_true", help="only when the database has no stores yet")
    sample.set_defaults(command=_load_sample)
    return parser


def _validate(args, settings: Settings) -> int:
    files = _read(([args.stores] if args.stores else []) + args.files)
    known, note = None, ""
    if args.stores is None:
        known = storage.load_stores(storage.connect(settings))
        if known.empty:
            known = check_files(_read([SAMPLE_STORES]), None, settings.import_rules)[0].frame
            note = f"store ids checked against {SAMPLE_STORES.relative_to(PROJECT_ROOT)} (the database has no stores yet)"
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
    if not args.files and not args.stores:
        print("error: name at least one FILE or --stores FILE to import", file=sys.stderr)
        return EXIT_INPUT
    engine = storage.connect(settings)
    files = _read(([args.stores] if args.stores else []) + args.files)
    for summary in import_files(engine, files, settings.import_rules):
        print(summary)
    return EXIT_OK


def _stores(args, settings: Settings) -> int:
    engine = storage.connect(settings)
    stores = storage.load_stores(engine)
    if stores.empty:
        print("no stores yet: import a store file (python -m planner import --stores stores.csv FILE)")
        return EXIT_OK
    table = coverage.store_coverage(storage.load_observations(engine), stores)
    print(f"{'store':8} {'name':34} {'region':8} {'hours':>6}  {'dates':23} {'cells observed':>16}")
    for row in table.itertuples():
        dates = f"{row.first_date:%Y-%m-%d}..{row.last_date:%Y-%m-%d}" if row.observed_hours else "-"
        share = f"{row.observed_cells:.0f}/{row.open_cells:.0f} {row.observed_share:4.0%}"
        print(f"{row.store_id:8} {row.name[:34]:34} {row.region[:8]:8} {row.observed_hours:6d}  {dates:23} {share:>16}")
    return EXIT_OK


def _export(args, settings: Settings) -> int:
    frame = storage.load_observations(storage.connect(settings), args.stores)
    args.out.write_text(observations_csv(frame), encoding="utf-8")
    print(f"{len(frame)} rows written to {args.out}")
    return EXIT_OK


_TARGET_FLAGS = [
    ("target_service_level", float, "SHARE"),
    ("target_wait_seconds", float, "SECONDS"),
    ("patience_minutes", float, "MINUTES"),
    ("max_abandon_share", float, "SHARE"),
    ("min_staff", int, "STAFF"),
]


def _recommend(args, settings: Settings) -> int:
    forced = {flag: getattr(args, flag) for flag, *_ in _TARGET_FLAGS if getattr(args, flag) is not None}
    try:
        settings = settings.with_targets(**forced)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    engine = storage.connect(settings)
    with tqdm(total=None, desc="stores", unit="store", file=sys.stderr, disable=None) as bar:
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        table = recommend(engine, settings, None if args.all else args.stores, forced_targets=forced, progress=progress)
    if args.out:
        args.out.write_text(recommendation_csv(table), encoding="utf-8")
        print(f"{len(table)} store-hours written to {args.out}")
    else:
        print(staff_grid_text(table))
    return EXIT_OK


def _next_counts(args, settings: Settings) -> int:
    engine = storage.connect(settings)
    stores = storage.load_stores(engine)
    select_stores(stores, [args.store])  # a clear error for an unknown store
    demand = estimate_demand(storage.load_observations(engine, stores["store_id"].tolist()), stores, settings)
    advice = next_counts(demand, stores, settings, args.store, max(args.windows, 1))
    print("\n".join(a.sentence for a in advice) or f"{args.store} has no counts yet: count any two hours to start.")
    return EXIT_OK


def _lengths(text: str) -> tuple[int, ...]:
    try:
        lengths = tuple(sorted({int(part) for part in text.split(",")}))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of whole hours such as 4,6,8") from None
    if not lengths or min(lengths) <= 0 or max(lengths) > 24:
        raise argparse.ArgumentTypeError(f"'{text}': lengths must be whole hours between 1 and 24")
    return lengths


def _schedule(args, settings: Settings) -> int:
    changes = {
        "shift_lengths_hours": args.shift_lengths,
        "start_step_minutes": args.start_step,
        "duty_before_opening_minutes": args.duty_before,
        "duty_after_closing_minutes": args.duty_after,
        "weekly_budget_staff_hours": args.budget,
        "time_limit_seconds": args.time_limit,
        "hard_coverage": True if args.hard_coverage else None,
        "break_for_shifts_over_hours": 24.0 if args.no_breaks else None,
    }
    settings = settings.with_shift_rules(**{k: v for k, v in changes.items() if v is not None})
    with tqdm(total=None, desc="stores", unit="store", file=sys.stderr, disable=None) as bar:
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        options = {"parallel": not args.serial, "scheduler": args.scheduler, "progress": progress}
        if args.requirements:
            tables = read_requirements(pd.read_csv(args.requirements), store_id=args.requirements.stem)
            reports = schedule_requirements(tables, settings, **options)
        else:
            reports = schedule(storage.connect(settings), settings, None if args.all else args.stores, **options)
    summary = pd.DataFrame([r.totals for r in reports])
    print(schedule_summary_text(summary))
    for r in reports:
        for sentence in r.explanations:
            print(f"{r.solution.instance.store_id}: {sentence}")
    if args.out_dir:
        written = write_schedule(reports, summary, args.out_dir)
        print("written: " + ", ".join(str(path) for path in written))
    return EXIT_OK


def _load_sample(args, settings: Settings) -> int:
    engine = storage.connect(settings)
    if args.if_empty and storage.count_rows(engine)["stores"]:
        return EXIT_OK
    for summary in import_files(engine, _read([SAMPLE_STORES, SAMPLE_OBSERVATIONS]), settings.import_rules):
        print(summary)
    return EXIT_OK


def _read(paths: list[Path]) -> list[tuple[str, bytes]]:
    files = []
    for path in tqdm(paths, desc="reading", unit="file", disable=len(paths) < 5, file=sys.stderr):
        try:
            shown = path.resolve().relative_to(PROJECT_ROOT) if path.resolve().is_relative_to(PROJECT_ROOT) else path
            files.append((str(shown), path.read_bytes()))
        except OSError as error:
            raise PlannerError(f"cannot read {path}: {error.strerror}") from error
    return files


def _print_problems(problems: tuple[InputProblem, ...] | list[InputProblem]) -> None:
    for problem in problems:
        print(problem)
