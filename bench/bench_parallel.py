"""When does a local Dask cluster pay? Serial against parallel `solve_many` for growing chains, cluster start included
(what `python -m planner schedule` pays), with the planner's default shift rules.

Stores are the shared benchmark's 50 store-weeks (../shared/bench), cycled for longer chains. The ratio printed is
Dask's wall time over the serial run's, measured in the same process: below 1, the cluster pays. The smallest chain
where it does is what `ShiftRules.parallel_min_stores` should be on a machine like this one.

    .venv/bin/python bench/bench_parallel.py [--stores 10,25,50,100]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.settings import ShiftRules  # noqa: E402
from planner.shifts import from_hourly, read_requirements  # noqa: E402
from planner.shifts.batch import solve_many  # noqa: E402

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="10,25,50,100", help="chain sizes, comma-separated")
    args = parser.parse_args()
    if not (BENCH / "requirements_50_stores.csv").exists():
        sys.exit(f"benchmark inputs not found at {BENCH}")
    tables = list(read_requirements(pd.read_csv(BENCH / "requirements_50_stores.csv")).items())
    rules = ShiftRules()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"parallel_min_stores is {rules.parallel_min_stores}")
    print(f"{'stores':>6} {'serial s':>9} {'dask s':>7} {'dask/serial':>12}")
    for count in (int(part) for part in args.stores.split(",")):
        instances = [from_hourly(f"{tables[n % len(tables)][0]}-{n}", tables[n % len(tables)][1]) for n in range(count)]
        started = time.perf_counter()
        serial = solve_many(instances, rules, parallel=False)
        serial_seconds = time.perf_counter() - started
        started = time.perf_counter()
        parallel = solve_many(instances, rules, parallel=True)
        dask_seconds = time.perf_counter() - started
        assert [s.shifts for s in parallel] == [s.shifts for s in serial], "Dask and serial differ"
        print(f"{count:6d} {serial_seconds:9.2f} {dask_seconds:7.2f} {dask_seconds / serial_seconds:12.2f}")


if __name__ == "__main__":
    main()
