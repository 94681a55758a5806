"""Roster benchmark: a generated store of 25 people (mixed contracts and skills) for one week, then 50 such stores
with Dask, and a least-change re-plan after one sick day against a plan from scratch.

Prints paid hours against the requirement's lower bounds (required staff-hours; the shift optimiser's least paid
hours, which ignores people), the solver's gap, contract deviations, the fairness spread, and changed shifts.
Goals: one store optimal or within 1% of the solver's bound in <= 10 s on 2 cores; 50 stores in <= 60 s.

    .venv/bin/python bench/bench_roster.py [--stores 50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import resource
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.roster import Absence, from_hourly, generate_employees, replan, solve_roster  # noqa: E402
from planner.roster.check import check_roster  # noqa: E402
from planner.roster.generate import generated_requirement  # noqa: E402
from planner.roster.replan import changes_between  # noqa: E402
from planner.roster.solve import solve_shifts_then_people  # noqa: E402
from planner.settings import RosterRules, ShiftRules  # noqa: E402
from planner.shifts import solve_shifts  # noqa: E402

MONDAY = dt.date(2026, 12, 7)
PEOPLE = 25
STORE_UNITS_IN_BATCH = 1.0
"""Deterministic time per store in the 50-store run; deterministic, so the rosters repeat however busy the machine
is. Measured under a load of 2-4 from other work: 1 unit took 1.8 s of one core a store with the model's building
and checking, and the fifty 50-52 s on 2 processes; 47 of them ended within 1% of their cost bound, the worst 3.0%
above it. At 1.5 units, 49 within 1% (the worst 1.4%) at about 3.0 s a store; with one CP-SAT search of the cost
level, the method before, 1.5 units left 40 within 1%, the worst 26.4% (2.25 s a store, 60.4 s for the fifty)."""
STORE_SECONDS_CAP = 30.0
"""Wall-clock limit per store in the 50-store run: only a safety net, so that the deterministic limit binds."""
BATCH_COST_SHARE = 0.8
"""In the 50-store run most of the short time goes to the cost level, all of it over the optimiser's spans: a
model over every span finds nothing in under a unit on the benchmark store. A store whose cost level ends early
(within the gap limit of its bound, most of them) leaves the rest to fairness."""


def store(seed: int):
    store_id = f"S{seed:03d}"
    return from_hourly(store_id, generated_requirement(seed), MONDAY,
                       generate_employees(store_id, PEOPLE, seed),
                       shift_rules=ShiftRules())


def figures(roster, instance, rules) -> dict[str, float | str]:
    check = check_roster(instance, rules, roster.assignments)
    people = roster.people
    deviation = (people["paid_hours"] - people["fair_share_hours"]).abs()
    worked = people[people["shifts"] > 0] if (people["shifts"] > 0).any() else people
    return {
        "status": roster.status, "gap": roster.relative_gap, "seconds": roster.solve_seconds, "valid": check.ok,
        "cost": check.level_costs["cost"], "fairness": check.level_costs["fairness"],
        "paid_hours": roster.paid_hours, "uncovered_staff_hours": check.under.sum() / 2,
        "below_contract_min_hours": people["below_contract_min_hours"].sum(),
        "mean_abs_hours_from_fair_share": deviation.mean(),
        "evening_spread": int(worked["evening_shifts"].max() - worked["evening_shifts"].min()),
        "weekend_spread": int(worked["weekend_shifts"].max() - worked["weekend_shifts"].min()),
        "closing_spread": int(worked["closing_shifts"].max() - worked["closing_shifts"].min()),
        "broken_preferences": int(people["broken_preferences"].sum()),
    }


def one_store(rules: RosterRules) -> None:
    instance = store(1)
    least = solve_shifts(instance.as_shift_instance(), instance.shift_rules)
    print(f"store S001: {len(instance.employees)} people, required {instance.required_staff_hours:g} staff-hours, "
          f"shift optimiser's least paid hours {sum(s.candidate.paid_hours * s.staff for s in least.shifts):g} "
          f"({least.status}), contract minima {sum(e.contract_hours_min for e in instance.employees):g} h")
    variants = {
        "levels, optimiser's spans first (default)": (solve_roster, rules),
        "levels, every span": (solve_roster, replace(rules, optimiser_spans_share=0.0)),
        "levels, 2 workers (both cores, not repeatable)": (solve_roster, replace(rules, workers=2)),
        "weighted sum, optimiser's spans (before)": (solve_shifts_then_people, rules),
    }
    results = []
    for name, (solve, variant) in variants.items():
        cpu = _cpu_seconds()
        roster = solve(instance, variant)
        results.append((f"{name} ({_cpu_seconds() - cpu:.1f} s CPU)", roster, figures(roster, instance, variant)))
    # The cost level's bound: the least paid hours (every roster), or a model over every span's bound.
    bound = max(r.levels[0].bound for _, r, _ in results if r.levels)
    print(f"cost level's bound {bound:.1f} (paid hours at a wage of 1); cost = wages + uncovered, keyholder and "
          "contract penalties; fairness = preferences + spread + distance from fair shares (currency)")
    print(f"{'method':<52} {'status':<9} {'cost':>6} {'gap':>6} {'fair':>6} {'f.bound':>7} {'s':>5} {'paid h':>7} "
          f"{'uncov h':>7} {'<min h':>6} {'|h-share|':>9} {'eve':>3} {'wkd':>3} {'cls':>3} {'prefs':>5} valid")
    for name, roster, f in results:
        gap = (f["cost"] - bound) / f["cost"] if f["cost"] else 0.0
        fair_bound = f"{roster.levels[1].bound:7.2f}" if roster.levels else f"{'-':>7}"
        print(f"{name:<52} {f['status']:<9} {f['cost']:>6.1f} {gap:>6.2%} {f['fairness']:>6.2f} {fair_bound} "
              f"{f['seconds']:>5.1f} {f['paid_hours']:>7.1f} {f['uncovered_staff_hours']:>7.1f} "
              f"{f['below_contract_min_hours']:>6.1f} {f['mean_abs_hours_from_fair_share']:>9.2f} "
              f"{f['evening_spread']:>3} {f['weekend_spread']:>3} {f['closing_spread']:>3} "
              f"{f['broken_preferences']:>5} {f['valid']}")
    print(f"default's status: {results[0][1].status_sentence}")
    published = results[0][1]
    if not published.assignments:
        print("no roster to re-plan")
        return
    sick = max(published.assignments, key=lambda a: (a.shift.weekday == 2, a.shift.paid_hours))
    day = MONDAY + dt.timedelta(days=sick.shift.weekday)
    changed = instance.with_changes(absences=[Absence(sick.employee_id, day, day, "sick")])
    today = day - dt.timedelta(days=1)
    started = time.perf_counter()
    least_change = replan(changed, published, rules, today)
    seconds = time.perf_counter() - started
    scratch = solve_roster(changed, rules)
    fresh = changes_between(changed, rules, published, scratch, today)
    for name, changes, when in (("least-change re-plan", least_change.changes, seconds),
                                ("from scratch", fresh, scratch.solve_seconds)):
        others = {c.employee_id for c in changes} - {sick.employee_id}
        days = sorted({c.day.strftime("%a") for c in changes})
        premium = sum(c.premium_hours for c in changes)
        print(f"{name:<22} after {sick.employee_id} is sick on {day:%a}: {len(changes)} changed shifts, "
              f"{len(others)} other people, days {','.join(days)}, premium {premium:g} h, {when:.1f} s")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def many_stores(count: int, rules: RosterRules) -> None:
    from dask.distributed import Client, LocalCluster

    instances = [store(seed) for seed in range(1, count + 1)]
    per_store = replace(rules, time_limit_seconds=STORE_SECONDS_CAP, deterministic_time_limit=STORE_UNITS_IN_BATCH,
                        workers=1, cost_level_share=BATCH_COST_SHARE, optimiser_spans_share=1.0)
    started = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        rosters = client.gather(client.map(solve_roster, instances, rules=per_store, pure=False))
    seconds = time.perf_counter() - started
    valid = sum(check_roster(i, per_store, r.assignments).ok for i, r in zip(instances, rosters, strict=True))
    gaps = np.array([r.relative_gap for r in rosters])  # the cost level's
    fair = np.array([r.levels[1].objective if r.levels else np.nan for r in rosters])
    paid = sum(r.paid_hours for r in rosters)
    required = sum(i.required_staff_hours for i in instances)
    least = sum(r.levels[0].bound for r in rosters if r.levels)
    print(f"{count} stores ({count * PEOPLE} people) with Dask on 2 processes: {seconds:.1f} s, {valid} valid, "
          f"optimal {sum(r.status == 'optimal' for r in rosters)}, cost proven least "
          f"{sum(bool(r.levels) and r.levels[0].proven for r in rosters)}; cost gap median {np.median(gaps):.2%}, "
          f"worst {gaps.max():.2%}, within 1% {int((gaps <= 0.01).sum())} (above: "
          f"{', '.join(i.store_id for i, g in zip(instances, gaps, strict=True) if g > 0.01)}), the greedy start "
          f"{sum(r.quick for r in rosters)}; fairness median {np.nanmedian(fair):.2f}, "
          f"worst {np.nanmax(fair):.2f}; paid {paid:.0f} h (cost bound {least:.0f}) for {required:.0f} required "
          "staff-hours")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=50)
    parser.add_argument("--time-limit", type=float, default=60.0,
                        help="wall-clock seconds for the one store: a safety net, so that the deterministic limit "
                             "binds and the figures repeat on a busy machine (the CPU seconds are printed)")
    parser.add_argument("--deterministic-limit", type=float, default=RosterRules().deterministic_time_limit,
                        help="CP-SAT deterministic time per store: the limit that binds on a busy machine")
    parser.add_argument("--workers", type=int, default=1, help="CP-SAT workers for the one store (1: runs repeat); "
                        "each of the many stores gets one, as the stores run in parallel")
    args = parser.parse_args()
    rules = RosterRules(time_limit_seconds=args.time_limit, deterministic_time_limit=args.deterministic_limit,
                        workers=args.workers)
    one_store(rules)
    if args.stores:
        many_stores(args.stores, rules)


if __name__ == "__main__":
    main()
