"""The command line's `simulate`: a store's week under the recommended staff per hour, a schedule's shifts or a
saved dated plan, with service per hour and its bands; `--check-staffing` corrects the recommendation where the
simulation misses the targets."""

from __future__ import annotations

import sys
from pathlib import Path

from planner.cli_flags import EXIT_OK, PLAN_ID, PROG, BadInput, Once, number
from planner.cli_io import progress_bar, read_files, warnings_after
from planner.cli_users import scope_of
from planner.settings import Settings, SimulationRules, field_info
from planner.surfaces.fixes import FileCommand

_DEMAND_SCALE = number(float, "X", low=0, high=100, low_open=True, example="1.2", noun="a demand factor")
_WEEKS = field_info(SimulationRules, "replications")  # the Settings page's range, written once
_REPLICATIONS = number(int, "N", low=_WEEKS.low, high=_WEEKS.high, example="1000",
                       noun="a whole number of simulated weeks")
SIMULATE_WITH = FileCommand("simulate with", f"{PROG} simulate --schedule FILE ...",
                            f"{PROG} simulate --schedule FILE ..., once for each")
"""What reads `simulate --schedule`'s shifts file again, as its fixes name it: the simulation (`import` takes no
shifts file)."""


def add_simulate(commands) -> None:
    simulate = commands.add_parser("simulate", help="simulate a store's week under its plan: service per hour, bands")
    simulate.add_argument("--store", metavar="S", action=Once, help="store id (or --plan)")
    simulate.add_argument("--plan", type=PLAN_ID, metavar="ID", help="a saved dated plan: its shifts (or --schedule's "
                          "plan_shifts.csv) against its own demand and targets for its dates")
    simulate.add_argument("--schedule", type=Path, metavar="shifts.csv", help="shifts to simulate (schedule's "
                          "shifts.csv, or with --plan a plan's plan_shifts.csv); default: the recommended staff per "
                          "hour, or the plan's shifts")
    simulate.add_argument("--demand-scale", type=_DEMAND_SCALE, default=1.0, metavar="X", help="1.2: 20%% more customers")
    simulate.add_argument("--replications", type=_REPLICATIONS, metavar="N", help="simulated weeks (default in Settings)")
    simulate.add_argument("--check-staffing", action="store_true",
                          help="correct the recommended staff per hour where the simulation misses the targets")
    simulate.set_defaults(command=_simulate, file_command=SIMULATE_WITH)  # its shifts file's fixes name it


# --- commands ----------------------------------------------------------------------------------------------------

def _simulate(args, settings: Settings) -> int:
    from planner import storage
    from planner.pipeline import simulate_store
    from planner.simulation.plan import plan_text

    if args.check_staffing and (args.schedule or args.demand_scale != 1.0):  # they were ignored without a word
        raise BadInput("--check-staffing checks the recommended staff per hour at the estimated demand: it takes "
                       "neither --schedule nor --demand-scale (simulate those without --check-staffing)")
    if args.plan is not None:
        return _simulate_plan(args, settings)
    if not args.store:
        raise BadInput("name the store (--store S01) or a saved plan (--plan ID)")
    # the file is checked before the chain's demand is estimated (seconds), not after
    shifts = _read_shifts(args.schedule, lambda read: _check_weekday_shifts(read, args, settings)) if args.schedule \
        else None
    engine, scope = storage.connect(settings), scope_of(args)
    if args.check_staffing:
        checked = simulate_store(engine, settings, args.store, check=True, scope=scope,
                                 replications=args.replications,
                                 progress=lambda done, most: print(f"simulation {done} (at most {most})",
                                                                   file=sys.stderr))
        print("\n".join([checked.summary(), *checked.corrections]))
        return EXIT_OK
    print(f"simulating {args.store}…", file=sys.stderr)
    with progress_bar("simulated weeks", "week") as progress:  # seconds of work: a bar on a terminal
        result = simulate_store(engine, settings, args.store, scope=scope, shifts=shifts,
                                demand_scale=args.demand_scale, replications=args.replications, progress=progress)
    plan = f"shifts from {args.schedule.name}" if args.schedule else "recommended staff per hour"
    scale = f", demand x {args.demand_scale:g}" if args.demand_scale != 1.0 else ""
    print(plan_text(result, plan + scale))
    return EXIT_OK


def _simulate_plan(args, settings: Settings) -> int:
    """`simulate --plan ID`: a saved plan's shifts (or --schedule's dated ones) on its dates, against its demand."""
    from planner import storage
    from planner.calendar import IsoWeek
    from planner.pipeline import simulate_saved_plan
    from planner.simulation.dated import dated_frame, dated_shifts_from_csv
    from planner.simulation.plan import plan_text

    if args.check_staffing:
        raise BadInput("--check-staffing corrects the recommended staff per hour: simulate a plan without it")
    engine, scope = storage.connect(settings), scope_of(args)
    stored = storage.load_plan(engine, args.plan, scope)  # UnknownRecord before the file is read
    if args.store and args.store != stored.store_id:
        raise BadInput(f"plan {stored.plan_id} is of {stored.store_id}, not {args.store}: leave --store out")
    week = IsoWeek.parse(stored.iso_week)
    shifts = None
    if args.schedule:
        shifts = _read_shifts(args.schedule, lambda read: dated_shifts_from_csv(read, stored.store_id, stored.iso_week,
                                                                                list(week.dates())))
    print(f"simulating plan {stored.plan_id}…", file=sys.stderr)
    with progress_bar("simulated weeks", "week") as progress:
        _, plan, result = simulate_saved_plan(engine, settings, stored.plan_id, scope=scope, shifts=shifts,
                                              demand_scale=args.demand_scale, replications=args.replications,
                                              progress=progress)
    what = f"shifts from {args.schedule.name}" if args.schedule else "its shifts"
    scale = f", demand x {args.demand_scale:g}" if args.demand_scale != 1.0 else ""
    monday, sunday = week.monday, week.dates()[-1]  # the day from .day: strftime's "%-d" is glibc's alone
    print(plan_text(result, f"plan {stored.plan_id} ({stored.iso_week}, {monday:%a} {monday.day} {monday:%b} to "
                            f"{sunday:%a} {sunday.day} {sunday:%b %Y}, {stored.status}), {what} against its own "
                            f"demand and targets for those dates{scale}",
                    # each hour under the date whose opening it closes, the calendar's late Sunday too
                    dated_frame(result, plan.demand)))
    return EXIT_OK


# --- helpers -----------------------------------------------------------------------------------------------------

def _read_shifts(path: Path, check):
    """The --schedule file as text columns, read as `validate` and `import` read theirs (a folder or a missing file
    is one sentence with its fix, exit 2, where it was "cannot read x: Is a directory" and nothing to do), and
    `check(shifts)`'s result: the shifts checked as the simulation reads them. What reading noticed (a workbook's
    other sheets are not read, as `plan --calendar` says) is said after the check: with the simulation, or with the
    error that rejects the file (`warnings_after`)."""
    from planner.simulation.roster import read_shifts_file

    ((name, content),) = read_files([path])
    shifts, notes = read_shifts_file(content, name)
    with warnings_after(notes, SIMULATE_WITH):
        return check(shifts)


def _check_weekday_shifts(shifts, args, settings: Settings):
    """A schedule's shifts file checked as the simulation will read it, and returned; a plan's dated one sent to
    --plan."""
    from planner.simulation.dated import is_dated_shifts_file
    from planner.simulation.roster import roster_from_shifts

    if is_dated_shifts_file(shifts):
        from planner import storage

        weeks = sorted(set(shifts["iso_week"].astype(str)))
        listed = storage.list_plans(storage.connect(settings), args.store, weeks[0] if len(weeks) == 1 else None,
                                    scope_of(args))
        ids = ", ".join(f"{row.plan_id} ({row.status})" for row in listed.head(5).itertuples(index=False))
        raise BadInput(f"{args.schedule} holds a dated plan's shifts (iso_week, date): simulate them against that "
                       f"plan's own demand with --plan ID (`{PROG} simulate --plan ID --schedule {args.schedule}`)"
                       + (f"; saved plans of {args.store} {', '.join(weeks[:3])}: {ids}" if ids else ""))
    roster_from_shifts(shifts, args.store, break_minutes=settings.shifts.break_minutes)  # InputRejected, every cell
    return shifts
