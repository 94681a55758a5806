"""Speed and agreement of the store-week simulation, and what simulation-checked staffing does, on the sample chain.

    python bench/bench_simulation.py [--replications 1000] [--ciw-replications 200] [--store S07] [--agree-store S01]

1. Speed: `--replications` simulated weeks of the busiest sample store (`--store`) under its recommended staff per
   hour, after one small warm-up run that compiles (or loads the cached compiled) loop. Goal: 1,000 weeks in
   <= 10 s on one core. Baseline in the same process: the Ciw implementation of the same model
   (tests/ciw_week.py) on the same week, a few replications; the ratio is weeks per second against it.
2. Agreement: `--agree-store`'s week under a shift schedule of the shift optimiser (breaks and shift changes inside
   hours), 1,000 weeks of ours against `--ciw-replications` weeks of Ciw: per hour, service level and abandon
   share, their difference and the half-width of its 95% confidence interval. Goal: >= 90% of cells agree.
3. Simulation-checked staffing on every sample store: the recommendation and its checked version, both judged on
   fresh simulated weeks (another seed) of the same demand, with the default service times (lognormal, CV 1) and
   with longer tails (CV 1.5): share of open hours meeting the targets, and staff-hours, before and after. The
   demand estimated from the sample counts is taken as the truth there.
   Then the stores of tests/test_chain.py, whose truth is known: four weeks of their counts (simulated in Ciw by
   tests/store_simulation.py) go through estimate_demand and recommend_staff; the checked staffing runs with the
   planner's default assumptions; both staffings are judged on fresh weeks at the TRUE demand with the true
   exponential service times and touch share.
Exits with status 1 if a goal is missed.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere
sys.path.insert(0, str(ROOT / "tests"))

from ciw_week import agreement_table, simulate_week_ciw  # noqa: E402

from planner.demand import estimate_demand  # noqa: E402
from planner.hours import WEEKDAY_NAMES  # noqa: E402
from planner.io.observations import validate_observations  # noqa: E402
from planner.io.reading import read_table  # noqa: E402
from planner.io.stores import opening_week, validate_stores  # noqa: E402
from planner.pipeline import requirement_tables  # noqa: E402
from planner.settings import Settings  # noqa: E402
from planner.shifts import from_store, report, solve_shifts  # noqa: E402
from planner.simulation import StoreWeek, roster_from_hourly, roster_from_shifts, simulate_week  # noqa: E402
from planner.simulation.checked_staffing import check_staffing  # noqa: E402
from planner.staffing import recommend_staff  # noqa: E402

GOAL_SECONDS_PER_1000 = 10.0
GOAL_AGREEMENT = 0.90
FRESH_SEED = 20261202


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=1000)
    parser.add_argument("--ciw-replications", type=int, default=200)
    parser.add_argument("--store", default="S07")
    parser.add_argument("--agree-store", default="S01")
    parser.add_argument("--skip-checked", action="store_true", help="leave out section 3")
    args = parser.parse_args()
    settings = Settings()
    stores, demand, recommendation = sample_chain(settings)
    ok = speed(args, settings, stores, demand, recommendation)
    ok &= agreement(args, settings, stores, demand, recommendation)
    if not args.skip_checked:
        checked_staffing(settings, stores, demand, recommendation)
        known_truth(settings)
    return 0 if ok else 1


def sample_chain(settings: Settings):
    stores = validate_stores(read_table((ROOT / "data" / "stores.csv").read_bytes(), "stores.csv")).frame
    observations = validate_observations(
        read_table((ROOT / "data" / "observations.csv").read_bytes(), "observations.csv"), opening_week(stores),
        settings.import_rules).frame
    demand = estimate_demand(observations, stores, settings)
    return stores, demand, recommend_staff(demand, stores, settings)


def hourly_roster(recommendation: pd.DataFrame, store_id: str, column: str = "required_staff") -> np.ndarray:
    return roster_from_hourly(recommendation[recommendation["store_id"] == store_id], column)


def speed(args, settings, stores, demand, recommendation) -> bool:
    week = StoreWeek.from_demand(demand, stores, args.store, settings)
    roster = hourly_roster(recommendation, args.store)
    started = time.perf_counter()
    simulate_week(week, roster, settings.simulation, replications=2)
    warm_up = time.perf_counter() - started
    cpu_started = time.process_time()
    result = simulate_week(week, roster, settings.simulation, replications=args.replications)
    cpu_seconds = time.process_time() - cpu_started
    customers = result.counts.help_seekers.sum() + result.counts.touches.sum()
    ours = args.replications / result.seconds
    baseline_weeks = 3
    started = time.perf_counter()
    simulate_week_ciw(week, roster, settings.simulation, replications=baseline_weeks, seed=1)
    ciw_rate = baseline_weeks / (time.perf_counter() - started)
    seconds_per_1000 = 1000 / ours
    print(f"## 1. Speed: {args.store}, {args.replications} weeks, {customers / args.replications:,.0f} customers "
          "(help-seekers and touches) a week")
    print(f"warm-up (compile or load the cached loop): {warm_up:.2f} s")
    print(f"ours: {ours:,.0f} weeks/s ({result.seconds:.2f} s wall, {cpu_seconds:.2f} s CPU for {args.replications}; "
          f"{seconds_per_1000:.2f} s per 1,000, goal <= {GOAL_SECONDS_PER_1000:g} s)")
    print(f"Ciw, same model and week: {ciw_rate:.2f} weeks/s -> ratio {ours / ciw_rate:,.0f}x")
    return seconds_per_1000 <= GOAL_SECONDS_PER_1000


def agreement(args, settings, stores, demand, recommendation) -> bool:
    store = stores[stores["store_id"] == args.agree_store].iloc[0]
    table = requirement_tables(recommendation[recommendation["store_id"] == args.agree_store])[args.agree_store]
    rules = replace(settings.shifts, time_limit_seconds=10.0, deterministic_time_limit=10.0)
    solution = solve_shifts(from_store(store, table), rules)
    shifts = report(solution).shifts
    roster = roster_from_shifts(shifts.astype(str), args.agree_store, break_minutes=rules.break_minutes)
    week = StoreWeek.from_demand(demand, stores, args.agree_store, settings)
    ours = simulate_week(week, roster, settings.simulation, replications=1000, seed=1)
    started = time.perf_counter()
    theirs = simulate_week_ciw(week, roster, settings.simulation, replications=args.ciw_replications, seed=2)
    hours = np.flatnonzero(week.open_hours)
    compared = agreement_table(ours, theirs, hours)
    share = compared["agree"].mean()
    print(f"\n## 2. Agreement with Ciw: {args.agree_store}, shift schedule ({solution.status}, {len(shifts)} shift "
          f"rows, breaks {rules.break_minutes} min), ours 1000 weeks vs Ciw {args.ciw_replications} weeks "
          f"({time.perf_counter() - started:.0f} s)")
    wide = compared.pivot_table(index=["weekday", "hour"], columns="measure",
                                values=["simulation", "ciw", "half_width", "agree"], aggfunc="first")
    wide.index = [f"{WEEKDAY_NAMES[d]} {h:02d}:00" for d, h in wide.index]
    order = [(what, measure) for measure in ("service_level", "abandon_share")
             for what in ("simulation", "ciw", "half_width", "agree")]
    wide = wide[order]
    wide.columns = [f"{'SL' if measure == 'service_level' else 'abandon'} {what}" for what, measure in order]
    print(wide.to_string(float_format=lambda v: f"{v:.3f}"))
    print(f"cells agreeing (|difference| within the 95% interval): {share:.1%} of {len(compared)} "
          f"(goal >= {GOAL_AGREEMENT:.0%})")
    for measure, rows in compared.groupby("measure"):
        z = rows["difference"] / (rows["half_width"] / 1.96)
        print(f"{measure}: mean difference (ours - Ciw) {rows['difference'].mean():+.4f}, mean z {z.mean():+.2f} "
              f"(0 +/- {1.96 / np.sqrt(len(rows)):.2f} if they agree)")
    return share >= GOAL_AGREEMENT


def checked_staffing(settings, stores, demand, recommendation) -> None:
    print("\n## 3. Simulation-checked staffing on the sample chain (judged on fresh weeks, another seed)")
    for cv in (settings.simulation.service_cv, 1.5):
        tuned = replace(settings, simulation=replace(settings.simulation, service_cv=cv, replications=300))
        rows = []
        for store_id in stores["store_id"]:
            week = StoreWeek.from_demand(demand, stores, store_id, tuned)
            checked = check_staffing(recommendation, week, tuned)
            fresh = [simulate_week(week, result.roster, tuned.simulation, replications=1000, seed=FRESH_SEED)
                     for result in (checked.before, checked.after)]
            met = [result.meets_target()[week.open_hours] for result in fresh]
            rows.append({
                "store": store_id, "hours": int(week.open_hours.sum()), "corrected": checked.corrected_hours,
                "met_before": int(met[0].sum()), "met_after": int(met[1].sum()),
                "staff_hours_before": int(checked.hours["recommended_staff"].sum()),
                "staff_hours_after": int(checked.hours["checked_staff"].sum()), "simulations": checked.simulations,
            })
        table = pd.DataFrame(rows)
        total = table.sum(numeric_only=True)
        print(f"\nservice times lognormal, CV {cv:g}")
        print(table.to_string(index=False))
        print(f"all stores: hours meeting the targets {total.met_before / total.hours:.1%} -> "
              f"{total.met_after / total.hours:.1%}; staff-hours {total.staff_hours_before:.0f} -> "
              f"{total.staff_hours_after:.0f} ({total.staff_hours_after / total.staff_hours_before - 1:+.1%}); "
              f"{total.corrected:.0f} of {total.hours:.0f} hours corrected")


def known_truth(settings: Settings) -> None:
    from store_simulation import simulate_store
    from test_chain import CASES, COUNT_DAYS, counts_csv, store_csv, true_demand

    from planner.intake import check_files

    print("\n## 3b. Checked staffing on simulated stores whose truth is known (four weeks of counts each)")
    tuned = replace(settings, simulation=replace(settings.simulation, replications=300))
    rows = []
    for case in CASES.values():
        counts = simulate_store(case.floor(case.current_staff), days=COUNT_DAYS, seed=case.seed, minutes_by="work")
        files = check_files([("stores.csv", store_csv(case)), ("counts.csv", counts_csv(counts.observations))], None,
                            settings.import_rules)
        stores, observations = files[0].frame, files[1].frame
        demand = estimate_demand(observations, stores, settings)
        recommendation = recommend_staff(demand, stores, settings)
        checked = check_staffing(recommendation, StoreWeek.from_demand(demand, stores, case.name, tuned), tuned)
        truth = StoreWeek.from_demand(true_demand(case, case.current_staff), stores, case.name, settings)
        truth_rules = replace(settings.simulation, service_distribution="exponential",
                              touch_share=case.touch_probability)
        met = [simulate_week(truth, result.roster, truth_rules, replications=1000, seed=FRESH_SEED).meets_target()
               [truth.open_hours] for result in (checked.before, checked.after)]
        rows.append({
            "store": case.name, "hours": int(truth.open_hours.sum()), "corrected": checked.corrected_hours,
            "met_before": int(met[0].sum()), "met_after": int(met[1].sum()),
            "staff_hours_before": int(checked.hours["recommended_staff"].sum()),
            "staff_hours_after": int(checked.hours["checked_staff"].sum()),
        })
        for sentence in checked.corrections[:4]:
            print(f"  {case.name} {sentence}")
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    sys.exit(main())
