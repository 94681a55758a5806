"""Many store-weeks: solved one after another, or in parallel on a Dask cluster (a local one by default).

Each store is an independent model solved with one CP-SAT worker and a deterministic time limit, so a parallel run
gives exactly the schedules of a serial run; Dask only decides where each store is solved.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from planner.settings import ShiftRules
from planner.shifts.instance import ShiftInstance
from planner.shifts.solve import ShiftSolution, solve_shifts

Progress = Callable[[int, int], None]


def solve_many(
    instances: list[ShiftInstance],
    rules: ShiftRules,
    *,
    parallel: bool = True,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[ShiftSolution]:
    """Solutions in the order of `instances`. `scheduler` is the address of an existing Dask scheduler; without
    it and with `parallel`, a local cluster of `workers` processes (default: one per core) is started and stopped."""
    if not parallel or len(instances) < 2:
        return _serial(instances, rules, progress)
    from dask.distributed import Client, LocalCluster  # only parallel runs pay for importing Dask

    if scheduler:
        with Client(scheduler) as client:
            return _on_cluster(client, instances, rules, progress)
    processes = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=processes, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            return _on_cluster(client, instances, rules, progress)


def _serial(instances: list[ShiftInstance], rules: ShiftRules, progress: Progress | None) -> list[ShiftSolution]:
    solutions = []
    for instance in instances:
        solutions.append(solve_shifts(instance, rules))
        if progress:
            progress(len(solutions), len(instances))
    return solutions


def _on_cluster(client, instances: list[ShiftInstance], rules: ShiftRules, progress: Progress | None):
    from dask.distributed import as_completed

    futures = client.map(solve_shifts, instances, rules=rules, pure=False)
    position = {future.key: n for n, future in enumerate(futures)}
    solutions: list[ShiftSolution | None] = [None] * len(instances)
    for done, future in enumerate(as_completed(futures), start=1):
        solutions[position[future.key]] = future.result()
        if progress:
            progress(done, len(instances))
    return solutions
