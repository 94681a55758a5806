"""Command-line interface for batch work: validate and import files, list stores, export observations.

Every command exits 0 on success, 1 when input files have errors, and 2 when the database is busy or a file cannot
be opened; messages are plain sentences, never tracebacks.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tqdm import tqdm

from planner import coverage, storage
from planner.errors import DatabaseBusy, InputProblem, InputRejected, PlannerError
from planner.export import observations_csv
from planner.intake import check_files, import_files
from planner.settings import PROJECT_ROOT, Settings

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
