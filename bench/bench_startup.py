"""Start-up benchmark: how long `python -m planner` takes for `--help`, a refused flag and `validate` of a small file.

Each command runs as a fresh process (as a user's shell runs it) several times; the median wall time is printed, with
its ratio to a bare `python -c "import pandas"` measured in the same run, so the figures compare across machines. The
median CPU time (user + system) and its ratio are printed too: on a busy machine they move less than wall time.
Goals (on the machine where `--help` took 1.8-2 s): `--help` and a refused flag <= 0.5 s, and `validate` of a small
file <= 1.5 s.
`--imports` adds the slowest imports of each command (from `python -X importtime`).

    .venv/bin/python bench/bench_startup.py [--repeats 7] [--imports]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOALS_SECONDS = {"--help": 0.5, "a refused flag": 0.5, "validate": 1.5}


def main() -> int:
    """0 when every goal is met, 1 otherwise (so `make bench` names this benchmark when one is missed)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--imports", action="store_true", help="list the slowest imports of each command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "small.csv"
        small.write_text("".join((ROOT / "data" / "observations.csv").read_text().splitlines(keepends=True)[:11]))
        database = f"sqlite:///{Path(folder) / 'planner.db'}"
        runs = {
            "import pandas (baseline)": [sys.executable, "-c", "import pandas"],
            "--help": [sys.executable, "-m", "planner", "--help"],
            "a refused flag": [sys.executable, "-m", "planner", "recommend", "--target-service-level", "1.5"],
            "validate": [sys.executable, "-m", "planner", "--database-url", database, "validate", str(small),
                         "--stores", str(ROOT / "data" / "stores.csv")],
            "validate (store ids from the database)": [sys.executable, "-m", "planner", "--database-url", database,
                                                       "validate", str(small)],
        }
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        medians = {name: _median_seconds(command, args.repeats, env) for name, command in runs.items()}
        wall, cpu = medians["import pandas (baseline)"]
        print(f"{'command':42} {'wall s':>7} {'x pandas':>9} {'cpu s':>7} {'x pandas':>9}  goal (wall)")
        missed = [name for name, goal in GOALS_SECONDS.items() if medians[name][0] > goal]
        for name, (seconds, cpu_seconds) in medians.items():
            goal = GOALS_SECONDS.get(name)
            verdict = "" if goal is None else f"<= {goal} s: {'met' if seconds <= goal else 'NOT met'}"
            print(f"{name:42} {seconds:7.2f} {seconds / wall:9.2f} {cpu_seconds:7.2f} {cpu_seconds / cpu:9.2f}  {verdict}")
        if args.imports:
            for name, command in runs.items():
                print(f"\nslowest imports of {name} (cumulative ms):")
                for module, micros in _slowest_imports(command, env):
                    print(f"  {micros / 1000:7.0f}  {module}")
    return 1 if missed else 0


def _median_seconds(command: list[str], repeats: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall and CPU (user + system) seconds of `repeats` runs of `command`."""
    subprocess.run(command, capture_output=True, env=env, cwd=ROOT, check=False)  # warm the file cache
    walls, cpus = [], []
    for _ in range(repeats):
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=env, cwd=ROOT, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode not in (0, 1):
            sys.exit(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return statistics.median(walls), statistics.median(cpus)


def _slowest_imports(command: list[str], env: dict[str, str], count: int = 8) -> list[tuple[str, int]]:
    done = subprocess.run([command[0], "-X", "importtime", *command[1:]], capture_output=True, text=True, env=env,
                          cwd=ROOT, check=False)
    tops = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "cumulative" not in line:
            _, cumulative, name = line.split("|")
            if len(name) - len(name.lstrip()) <= 3:  # imported by the command itself or one level below
                tops.append((name.strip(), int(cumulative)))
    return sorted(tops, key=lambda top: -top[1])[:count]


if __name__ == "__main__":
    sys.exit(main())
