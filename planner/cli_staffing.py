"""The command line's weekday staffing commands: `recommend` (staff per store, weekday and hour), `schedule` (shifts
covering it at least wage cost, or covering a requirements table) and `next-counts` (where one more count helps the
plan most). Each imports the pipeline when it runs, so the command line starts without pandas, scipy or Dask."""

from __future__ import annotations

import os
from pathlib import Path

from planner.cli_flags import (
    EXIT_OK, PROG, BadInput, Once, add_target_flags, csv_file, lengths, number, output_folder, rule_help, setting_flag,
    what_if,
)
from planner.cli_io import progress_bar, read_files, warnings_after, write_text
from planner.cli_users import say_left_out, scope_of
from planner.errors import InputRejected
from planner.settings import Settings, ShiftRules
from planner.surfaces.fixes import FileCommand, on_command_line
from planner.words import counted

ADVICE_RANKINGS = ("reach", "model", "doubt", "safety")
"""`next-counts --ranking` choices, the default first: `planner.staffing.advice.RANKINGS` (not imported here, so the
command line starts without scipy)."""
_DUTY_BEFORE_MINUTES = setting_flag(ShiftRules, "duty_before_opening_minutes", "30")
_DUTY_AFTER_MINUTES = setting_flag(ShiftRules, "duty_after_closing_minutes", "30")
_BUDGET_HOURS = setting_flag(ShiftRules, "weekly_budget_staff_hours", "400")
_TIME_LIMIT_SECONDS = setting_flag(ShiftRules, "time_limit_seconds", "20")
_WINDOWS = number(int, "N", low=1, high=50, example="3", noun="a whole number of 2-hour windows")
SCHEDULE_WITH_REQUIREMENTS = FileCommand("schedule with", f"{PROG} schedule --requirements FILE ...",
                                         f"{PROG} schedule --requirements FILE ..., once for each")
"""What reads `schedule --requirements`'s file again, as its fixes name it: the schedule (`import` takes no
requirements table)."""


def add_recommend(commands) -> None:
    recommend = commands.add_parser("recommend", help="recommended staff per store, weekday (0 = Monday) and hour")
    which = recommend.add_mutually_exclusive_group()  # --all with --store planned every store, ignoring --store unsaid
    which.add_argument("--store", action="append", dest="stores", metavar="S", help="store id (repeatable)")
    which.add_argument("--all", action="store_true", help="every store (the default when no --store is given)")
    recommend.add_argument("--out", type=csv_file, metavar="FILE.csv", help="write every column to a CSV file")
    add_target_flags(recommend)
    recommend.set_defaults(command=_recommend)


def add_schedule(commands) -> None:
    plan = commands.add_parser("schedule", help="shifts covering the recommended staff at least wage cost")
    which = plan.add_mutually_exclusive_group()  # --all with --store planned every store, ignoring --store unsaid
    which.add_argument("--store", action="append", dest="stores", metavar="S", help="store id (repeatable)")
    which.add_argument("--all", action="store_true", help="every store (the default when no --store is given)")
    plan.add_argument("--requirements", type=Path, metavar="FILE",
                      help="schedule this table instead of the recommendations: [store,] day, h00..h23, or the "
                           "store_id, weekday, hour, required_staff table that `recommend --out` writes")
    plan.add_argument("--out-dir", type=output_folder, metavar="DIR",
                      help="write shifts.csv, coverage.csv, summary.csv here")
    plan.add_argument("--shift-lengths", type=lengths, metavar="4,6,8", help=rule_help("shift_lengths_hours"))
    plan.add_argument("--start-step", type=int, choices=[30, 60], help=rule_help("start_step_minutes"))
    plan.add_argument("--no-breaks", action="store_true", help="no unpaid break in long shifts")
    plan.add_argument("--duty-before", type=_DUTY_BEFORE_MINUTES, metavar="MINUTES",
                      help=rule_help("duty_before_opening_minutes"))
    plan.add_argument("--duty-after", type=_DUTY_AFTER_MINUTES, metavar="MINUTES",
                      help=rule_help("duty_after_closing_minutes"))
    plan.add_argument("--budget", type=_BUDGET_HOURS, metavar="HOURS", help=rule_help("weekly_budget_staff_hours"))
    plan.add_argument("--hard-coverage", action="store_true", help=rule_help("hard_coverage"))
    plan.add_argument("--min-staff-cover", action="store_true", help=rule_help("min_staff_cover"))
    plan.add_argument("--time-limit", type=_TIME_LIMIT_SECONDS, metavar="SECONDS",
                      help=rule_help("time_limit_seconds"))
    where = plan.add_mutually_exclusive_group()
    where.add_argument("--serial", action="store_true", help="solve stores one after another, without Dask")
    where.add_argument("--parallel", action="store_true",
                       help=f"solve on a local Dask cluster even for fewer than "
                            f"{counted(Settings().shifts.parallel_min_stores, 'store')} (from then on it is the default)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="solve on the Dask cluster of this scheduler")
    plan.set_defaults(command=_schedule, uses_dask=True)  # Dask's extras left loadable (`planner.cli.main`)


def add_next_counts(commands) -> None:
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


# --- commands ----------------------------------------------------------------------------------------------------

def _recommend(args, settings: Settings) -> int:
    from planner import storage
    from planner.calendar import business_week_rows
    from planner.export import recommendation_csv, staff_grid_text
    from planner.pipeline import recommend_with_targets
    from planner.schemas import StoreSchema as S

    engine = storage.connect(settings)
    with progress_bar("patience estimates made") as patience_progress, progress_bar() as progress:
        table, targets = recommend_with_targets(engine, settings, None if args.all else args.stores,
                                                what_if=what_if(args), progress=progress, scope=scope_of(args),
                                                patience_progress=patience_progress)
    if args.out:
        stores = storage.load_stores(engine, scope_of(args))
        write_text(args.out, recommendation_csv(table, dict(zip(stores[S.store_id].astype(str), stores[S.max_staff],
                                                                strict=True))))
        print(f"{counted(len(table), 'store-hour')} written to {args.out}")
    else:  # by the store's openings, as My store shows them: Saturday's 00:00+1 in Saturday's row, not Sunday's
        print(staff_grid_text(business_week_rows(table, storage.load_stores(engine, scope_of(args)))))
    for row in targets.itertuples(index=False):
        print(f"{row.store_id}: patience {row.patience_minutes:.1f} min, {row.patience_minutes_note}")
    if not args.stores:  # every store, by --all or by default: one that cannot be planned is said to be left out
        say_left_out(engine, args)
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
    with progress_bar() as progress:
        options = {"parallel": parallel, "scheduler": args.scheduler, "progress": progress}
        if tables is not None:
            reports = schedule_requirements(tables, settings, **options)
        else:
            from planner import storage

            engine = storage.connect(settings)
            reports = schedule(engine, settings, None if args.all else args.stores, scope=scope_of(args), **options)
    summary = pd.DataFrame([r.totals for r in reports])
    if tables is not None:  # a table of staff holds no wages: its cost would be the paid hours at 1 an hour
        summary["wage_cost"] = float("nan")
    print(schedule_summary_text(summary))
    if tables is not None:
        print("cost: - (a requirements table carries no wages, store hours or staff limits: each day is open from "
              "its first to its last required hour; without --requirements the store file's are used)")
    for r in reports:
        for sentence in r.explanations:
            print(f"{r.solution.instance.store_id}: {on_command_line(sentence)}")
    print(_where_solved(solve_mode(len(reports), settings.shifts, parallel=parallel, scheduler=args.scheduler),
                        args, settings.shifts.parallel_min_stores))
    if tables is None and not args.stores:  # every store's recommendations: as `recommend`, none dropped unseen
        say_left_out(engine, args)
    if args.out_dir:
        written = write_schedule(reports, summary, args.out_dir)
        print("written: " + ", ".join(str(path) for path in written))
    return EXIT_OK


def _next_counts(args, settings: Settings) -> int:
    from planner import storage
    from planner.pipeline import count_advice

    with progress_bar("windows re-fitted", unit="window") as progress:
        advice = count_advice(storage.connect(settings), settings, args.store, args.windows, scope_of(args),
                              ranking=args.ranking, progress=progress)
    from planner.surfaces.my_store import COUNT_NEXT_RANKED

    print("\n".join([COUNT_NEXT_RANKED[args.ranking], *(a.sentence for a in advice)]) if advice
          else f"{args.store} has no counts yet: count any two hours to start.")
    if args.detail and advice:
        from planner.staffing.advice import advice_table_text

        print("\n" + advice_table_text(advice))
    return EXIT_OK


# --- helpers -----------------------------------------------------------------------------------------------------

def _read_requirements(path: Path) -> dict:
    """Store id -> 7 x 24 required staff from a requirements CSV (see `planner.shifts.read_requirements`)."""
    import pandas as pd

    from planner.shifts import read_requirements

    from planner.io import read_table

    ((name, data),) = read_files([path])
    try:  # CSV (any separator or encoding) or XLSX, as every other file
        table = read_table(data, name)
    except InputRejected as rejected:
        unread = rejected.problems[0]
        fix = on_command_line(unread.fix, SCHEDULE_WITH_REQUIREMENTS)
        raise BadInput(f"{path}: not a requirements table ({unread.message}): {fix}") from rejected
    # a workbook's other sheets are not read: said with the schedule, or with the error that rejects the table
    with warnings_after(table.problems, SCHEDULE_WITH_REQUIREMENTS):
        try:
            return read_requirements(table.frame, store_id=path.stem)
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:  # EmptyDataError is a ValueError
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else "no columns to read"
            raise BadInput(f"{path}: not a requirements table ({first_line})") from error


def _where_solved(mode: str, args, min_stores: int) -> str:
    if mode == "cluster":
        return f"solved on the Dask cluster at {args.scheduler}"
    if mode == "local":
        return f"solved in parallel on a local Dask cluster ({os.cpu_count()} cores)"
    if args.serial or args.parallel:
        return "solved one after another" + (" (--serial)" if args.serial else " (there is only one store)")
    return (f"solved one after another: a local Dask cluster pays only from {counted(min_stores, 'store')} on more than one core"
            " (--parallel starts one anyway)")
