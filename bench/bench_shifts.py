"""Shift-optimiser benchmark on ../shared/bench: quality (paid staff-hours against the proven optima and the lower
bounds), the solver's own bound and gap, and time, serial and with Dask.

Baseline, run in the same process: a plain CP-SAT covering model (one model per store-week, integer staff per
shift, coverage >= requirement, minimise paid hours; OR-Tools' default parameters), for the rules it can express.

    .venv/bin/python bench/bench_shifts.py [--stores-500]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.settings import ShiftRules  # noqa: E402
from planner.shifts import check_schedule, from_hourly, read_requirements  # noqa: E402
from planner.shifts.batch import solve_many  # noqa: E402

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench"
RULE_SETS = {
    "4/6/8 h, no breaks": (ShiftRules(shift_lengths_hours=(4, 6, 8), break_for_shifts_over_hours=24.0), 484, 23_974),
    "defaults: 4-9 h, 30-min break over 6 h": (ShiftRules(), 461.5, 23_146),
}
GOAL_SECONDS = {"4/6/8 h, no breaks": 2.0, "defaults: 4-9 h, 30-min break over 6 h": 5.0}
GOAL_500_SECONDS = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores-500", action="store_true", help="also the generated 500-store chain")
    args = parser.parse_args()
    if not BENCH.exists():
        sys.exit(f"benchmark inputs not found at {BENCH}")
    store0 = [from_hourly(s, t) for s, t in read_requirements(pd.read_csv(BENCH / "requirements_store0.csv"), "0").items()]
    chain = [from_hourly(s, t) for s, t in read_requirements(pd.read_csv(BENCH / "requirements_50_stores.csv")).items()]

    from dask.distributed import Client, LocalCluster

    started = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        cluster_seconds = time.perf_counter() - started
        address = cluster.scheduler_address
        client.run(_warm_up)
        print(f"local Dask cluster of 2 processes started in {cluster_seconds:.2f} s (not counted below)\n")
        print(f"{'rules':40} {'input':10} {'paid h':>9} {'optimum':>8} {'bound':>9} {'lower':>8} {'gap':>6}"
              f" {'status':8} {'serial s':>9} {'dask s':>7} {'goal s':>7}")
        for name, (rules, optimum0, optimum50) in RULE_SETS.items():
            for label, instances, optimum in (("store 0", store0, optimum0), ("50 stores", chain, optimum50)):
                serial_started = time.perf_counter()
                serial = solve_many(instances, rules, parallel=False)
                serial_seconds = time.perf_counter() - serial_started
                dask_seconds = float("nan")
                if len(instances) > 1:
                    dask_started = time.perf_counter()
                    parallel = solve_many(instances, rules, scheduler=address)
                    dask_seconds = time.perf_counter() - dask_started
                    assert [s.shifts for s in parallel] == [s.shifts for s in serial], "Dask and serial differ"
                paid, lower, bound, statuses = _quality(serial)
                objective = sum(x.objective for x in serial)
                gap = (objective - bound) / objective  # the solver's own proven gap
                goal = GOAL_SECONDS[name] if len(instances) > 1 else float("nan")
                print(f"{name:40} {label:10} {paid:9,.1f} {optimum:8,} {bound:9,.1f} {lower:8,.0f} {gap:6.2%}"
                      f" {'/'.join(sorted(statuses)):8} {serial_seconds:9.2f} {dask_seconds:7.2f} {goal:7.1f}")
        baseline_started = time.perf_counter()
        baseline_hours = sum(_plain_covering_model(i) for i in chain)
        baseline_seconds = time.perf_counter() - baseline_started
        print(f"\nbaseline: plain CP-SAT covering model, 4/6/8 h, 50 stores: {baseline_hours:,.0f} paid h in "
              f"{baseline_seconds:.2f} s (serial, default parameters)")
        if args.stores_500:
            many = _chain_of(500, chain)
            started = time.perf_counter()
            solutions = solve_many(many, ShiftRules(), scheduler=address)
            seconds = time.perf_counter() - started
            paid, lower, bound, statuses = _quality(solutions)
            print(f"500 generated stores, default rules, Dask: {paid:,.1f} paid h, lower bound {lower:,.0f}, "
                  f"{'/'.join(sorted(statuses))}, {seconds:.1f} s (goal <= {GOAL_500_SECONDS:.0f} s)")


def _quality(solutions) -> tuple[float, float, float, set[str]]:
    paid = lower = bound = 0.0
    for solution in solutions:
        check = check_schedule(solution.instance, solution.rules, solution.shifts)
        assert check.ok and not check.under.any(), (solution.instance.store_id, check.violations)
        paid += check.paid_staff_hours
        lower += solution.instance.required_staff_hours
        bound += solution.best_bound  # wage 1 per hour: objective and bound are staff-hours plus tie-break pennies
    return paid, lower, bound, {s.status for s in solutions}


def _chain_of(count: int, templates, seed: int = 500):
    """`count` stores: each a template store's week with hours shifted by up to +-1 and needs scaled by 0.7-1.5."""
    rng = np.random.default_rng(seed)
    stores = []
    for n in range(count):
        base = templates[n % len(templates)].required.reshape(7, 24, 2)[:, :, 0]
        scaled = np.rint(base * rng.uniform(0.7, 1.5)).astype(np.int64)
        shifted = np.roll(scaled, int(rng.integers(-1, 2)), axis=1)
        stores.append(from_hourly(f"G{n:03d}", shifted))
    return stores


def _plain_covering_model(instance) -> float:
    from ortools.sat.python import cp_model

    from planner.shifts.candidates import coverage_matrix, enumerate_candidates

    rules = ShiftRules(shift_lengths_hours=(4, 6, 8), break_for_shifts_over_hours=24.0)
    candidates = enumerate_candidates(instance, rules)
    cover = coverage_matrix(candidates)
    model = cp_model.CpModel()
    staff = [model.new_int_var(0, int(instance.required.max()), "") for _ in candidates]
    for slot in np.flatnonzero(instance.required):
        model.add(sum(staff[k] for k in np.flatnonzero(cover[:, slot])) >= int(instance.required[slot]))
    model.minimize(sum(c.length_hours * x for c, x in zip(candidates, staff, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.solve(model)
    return solver.objective_value


def _warm_up() -> None:
    import planner.shifts  # noqa: F401  (import once per worker, outside the timings)


if __name__ == "__main__":
    main()
