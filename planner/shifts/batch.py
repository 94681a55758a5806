"""Many store-weeks: solved one after another, or in parallel on a Dask cluster (a local one, or one at an address).

Each store is an independent model solved with one CP-SAT worker and a deterministic time limit, so a parallel run
gives exactly the schedules of a serial run; Dask only decides where each store is solved. A local cluster is started
only when it pays (`ShiftRules.parallel_min_stores` stores and more than one core): starting one costs seconds.

A cluster started elsewhere (`dask scheduler`, `dask worker`) needs `planner` importable on its scheduler and workers.
Before anything is submitted they are asked to import it; where it is missing, the client's own copy of the package is
sent with Dask's `upload_file`, and where a dependency is missing the run stops with one sentence naming what to
install.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from planner import __version__
from planner.errors import PlannerError
from planner.settings import ShiftRules
from planner.shifts.instance import ShiftInstance
from planner.shifts.solve import ShiftSolution, solve_shifts

Progress = Callable[[int, int], None]
Mode = Literal["serial", "local", "cluster"]
INSTALL_HINT = "pip install -r requirements.txt, or pip install . in the planner's folder"
"""What a machine of the cluster needs, said in every message about a cluster that cannot run the planner."""
_CONNECT_TIMEOUT = "10s"


def solve_mode(
    store_count: int, rules: ShiftRules, *, parallel: bool | None = None, scheduler: str | None = None
) -> Mode:
    """Where `solve_many` solves: 'cluster' (the Dask scheduler at `scheduler`), 'local' (a local Dask cluster) or
    'serial'. `parallel=None` decides by the store count and the number of cores."""
    if scheduler:
        return "cluster"
    if parallel is None:
        parallel = store_count >= rules.parallel_min_stores and (os.cpu_count() or 1) > 1
    return "local" if parallel and store_count > 1 else "serial"


def solve_many(
    instances: list[ShiftInstance],
    rules: ShiftRules,
    *,
    parallel: bool | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[ShiftSolution]:
    """Solutions in the order of `instances`. `scheduler` is the address of an existing Dask scheduler; without
    it, `parallel` (None: when it pays, see `solve_mode`) starts and stops a local cluster of `workers` processes
    (default: one per core)."""
    mode = solve_mode(len(instances), rules, parallel=parallel, scheduler=scheduler)
    if mode == "serial":
        return _serial(instances, rules, progress)
    from dask.distributed import Client, LocalCluster  # only parallel runs pay for importing Dask

    if mode == "cluster":
        with _connect(scheduler) as client:
            ensure_planner_importable(client, scheduler)
            return _on_cluster(client, instances, rules, progress)
    processes = workers or os.cpu_count() or 1
    with (
        LocalCluster(n_workers=processes, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        return _on_cluster(client, instances, rules, progress)


def ensure_planner_importable(client, address: str) -> bool:
    """Make sure the scheduler and every worker can import this version of `planner`: send this package where it is
    missing. True when it was sent; raises `PlannerError` when the cluster has no worker, lacks a dependency, or runs
    another version of the planner."""
    if not client.scheduler_info().get("workers"):
        raise PlannerError(f"the Dask scheduler at {address} has no workers: start one with `dask worker {address}`")
    found = _import_check(client)
    sent = bool(found) and all(missing == "planner" for missing, _ in found.values())
    if sent:
        _upload_package(client)
        found = _import_check(client)
    for where, (missing, version) in found.items():
        if missing:
            raise PlannerError(f"the Dask cluster at {address} cannot import {missing} ({where}): install the "
                               f"planner's dependencies on every machine of the cluster: {INSTALL_HINT}")
        raise PlannerError(f"the Dask cluster at {address} runs planner {version} ({where}) and this command "
                           f"{__version__}: install the same version on every machine of the cluster: {INSTALL_HINT}")
    return sent


def _import_check(client) -> dict[str, tuple[str | None, str | None]]:
    """Machine -> (the first module it cannot import, the planner version it imports), for the scheduler and every
    worker that cannot import the planner or imports another version of it."""
    check = _planner_check()
    found = {"scheduler": client.run_on_scheduler(check)}
    found.update({f"worker {worker}": result for worker, result in client.run(check).items()})
    return {where: (missing, version) for where, (missing, version) in found.items()
            if missing or version != __version__}


def _planner_check() -> Callable[[], tuple[str | None, str | None]]:
    """A function to run on each machine of the cluster: (the first module the planner needs that it cannot import,
    or None; the planner's version). It is made here, inside a function, so that Dask sends its code (cloudpickle
    pickles such a function by value): a machine without the planner could not import it by name."""

    def check() -> tuple[str | None, str | None]:
        try:
            import planner.shifts.solve  # noqa: F401  (what the tasks run; it imports ortools, numpy, pandas)
        except ModuleNotFoundError as error:
            return error.name or str(error), None
        from planner import __version__ as version

        return None, version

    return check


def _upload_package(client) -> None:
    """Send the `planner` package (its .py files, as `planner.zip`) to the scheduler and workers, which put it on
    their import path."""
    package = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "planner.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(package.rglob("*.py")):
                zipped.write(path, path.relative_to(package.parent).as_posix())
        client.upload_file(str(archive))


def _connect(address: str):
    from dask.distributed import Client

    try:
        return Client(address, timeout=_CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        message = (f"cannot reach the Dask scheduler at {address} ({' '.join(str(error).split())}): start one with "
                   "`dask scheduler`, or leave out --scheduler")
        raise PlannerError(_without_password(message, address)) from error


def _without_password(text: str, address: str) -> str:
    """`text` with the password of `address` (`tcp://user:password@host`) masked wherever it appears: Dask's own
    message quotes the address without its scheme, where no URL pattern would find it."""
    try:
        password = urlsplit(address).password
    except ValueError:  # an address urlsplit cannot read (a bad port): mask everything between ':' and '@'
        password = address.rpartition("@")[0].partition("://")[2].partition(":")[2] or None
    return text.replace(password, "***") if password else text


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
