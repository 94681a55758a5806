"""Import benchmark: validate + import N generated observation rows into a fresh SQLite file; print rows per second.

Goal: at least 100,000 rows/s end to end (read, validate every rule, upsert in one transaction) for 1,000,000 rows.
Baseline, run in the same process on the same file: pandas' own `read_csv` + `DataFrame.to_sql` into SQLite with no
validation at all, the least any importer has to do.

Hostile files (`--hostile`, also run by default): time and peak memory (RSS, from `resource.getrusage` in a child
process each) of checking the 5 KB XLSX "bomb" (one cell at XFD1048576), 500,000 rows that are all bad (every
cell of a row wrong, store unknown), the same rows with one of 10 cells in the middle (the fast parser stops there;
the rest is still checked), and 500,000 rows all of 10 cells. Goals: <= 15 s and <= 1 GB each. Baseline: a child
that only reads the 500,000 all-bad rows with pandas' `read_csv`.

    .venv/bin/python bench/bench_import.py [--rows 1000000] [--bad-rows 500000] [--hostile-only]
"""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner import storage  # noqa: E402
from planner.intake import check_files, import_files  # noqa: E402
from planner.io import observations as observations_file  # noqa: E402
from planner.settings import PROJECT_ROOT, Settings  # noqa: E402

GOAL_ROWS_PER_SECOND = 100_000
GOAL_HOSTILE_SECONDS = 15.0
GOAL_HOSTILE_MB = 1024
BAD_ROW = "S99,2026-02-30,25,4O,-3,x,abc,-1,two\n"
"""Every cell wrong: unknown store, a date that does not exist, hour 25, letter O, negative, text, text, negative."""
WIDE_ROW = "S01,2026-09-07,10,40,20,15,240.0,10.0,5,x\n"
"""One cell more than the observation header."""


def generate(rows: int, seed: int = 7) -> tuple[bytes, bytes]:
    """A store file of enough stores open 00:00-24:00 and `rows` clean observation rows (one per store-hour)."""
    rng = np.random.default_rng(seed)
    hours_per_store = 24 * 365 * 2  # two years a store, ending yesterday: every count recent enough to import clean
    stores = -(-rows // hours_per_store)
    store_ids = [f"B{n:04d}" for n in range(stores)]
    week = ",".join(["00:00-24:00"] * 7)
    store_csv = "store_id,name,region,format,mon,tue,wed,thu,fri,sat,sun,wage_per_hour,min_staff,max_staff\n" + "".join(
        f"{s},Bench {s},R{n % 5},electronics,{week},18.0,1,30\n" for n, s in enumerate(store_ids)
    )
    n = np.arange(rows)
    start = np.datetime64(observations_file.today()) - hours_per_store // 24
    dates = (start + (n % hours_per_store) // 24).astype("datetime64[D]").astype(str)
    visitors = rng.poisson(60, rows)
    assisted = rng.binomial(visitors, 0.3)
    self_service = rng.binomial(visitors - assisted, 0.8)
    staff = rng.integers(3, 12, rows)
    frame = pd.DataFrame({
        "store_id": np.array(store_ids)[n // hours_per_store], "date": dates, "hour": n % 24,
        "visitors": visitors, "assisted": assisted, "self_service": self_service,
        "assisted_minutes": np.minimum(np.round(assisted * rng.uniform(5, 12, rows), 1), 60 * staff - 30),
        "self_service_minutes": np.round(self_service * 0.3, 1), "staff_on_duty": staff,
    })
    frame["assisted_minutes"] = frame["assisted_minutes"].where(frame["assisted"] > 0, 0.0)
    frame["self_service_minutes"] = frame["self_service_minutes"].where(frame["self_service"] > 0, 0.0)
    return store_csv.encode(), frame.to_csv(index=False).encode()


def hostile(bad_rows: int) -> bool:
    """Check the XLSX bomb and `bad_rows` all-bad rows, each in its own child process; print time and peak memory.
    True when the goal is met."""
    with tempfile.TemporaryDirectory(dir=PROJECT_ROOT) as folder:
        bomb, bad = Path(folder) / "bomb.xlsx", Path(folder) / "bad.csv"
        one_wide, all_wide = Path(folder) / "one_wide.csv", Path(folder) / "all_wide.csv"
        sys.path.insert(0, str(PROJECT_ROOT / "tests"))
        from hostile_files import OBSERVATION_HEADER, xlsx_bomb

        bomb.write_bytes(xlsx_bomb())
        bad.write_text(OBSERVATION_HEADER + "\n" + BAD_ROW * bad_rows)
        half = bad_rows // 2
        one_wide.write_text(OBSERVATION_HEADER + "\n" + BAD_ROW * half + WIDE_ROW + BAD_ROW * (bad_rows - half - 1))
        all_wide.write_text(OBSERVATION_HEADER + "\n" + WIDE_ROW * bad_rows)
        runs = [
            (f"XLSX bomb ({bomb.stat().st_size / 1024:.1f} KB)", "check", bomb),
            (f"{bad_rows:,} all-bad rows ({bad.stat().st_size / 1e6:.1f} MB)", "check", bad),
            ("  the same, one of them of 10 cells", "check", one_wide),
            (f"{bad_rows:,} rows of 10 cells ({all_wide.stat().st_size / 1e6:.1f} MB)", "check", all_wide),
            (f"baseline: read_csv of the {bad_rows:,} rows", "read_csv", bad),
        ]
        results = [(label, *_child(kind, path)) for label, kind, path in runs]
    for label, seconds, peak_mb, problems in results:
        shown = f"{problems} problem(s) listed" if problems is not None else ""
        print(f"{label:42} {seconds:7.2f} s  peak {peak_mb:7.0f} MB  {shown}")
    (_, bad_s, bad_mb, _), (_, base_s, base_mb, _) = results[1], results[-1]
    print(f"ratio all-bad check / read_csv         time {bad_s / base_s:5.1f}   memory {bad_mb / base_mb:5.1f}")
    checks = results[:-1]
    met = (max(seconds for _, seconds, _, _ in checks) <= GOAL_HOSTILE_SECONDS
           and max(peak_mb for _, _, peak_mb, _ in checks) <= GOAL_HOSTILE_MB)
    print(f"goal <= {GOAL_HOSTILE_SECONDS:g} s and <= {GOAL_HOSTILE_MB} MB: " + ("met" if met else "MISSED"))
    return met


def _child(kind: str, path: Path) -> tuple[float, float, int | None]:
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True,
                          check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["seconds"], result["peak_mb"], result["problems"]


def _run_child(kind: str, path: Path) -> None:
    """In a child process: one check (or the baseline read), then time and peak RSS as JSON on stdout."""
    import resource

    content = path.read_bytes()
    stores, _ = generate(1)
    known = check_files([("stores.csv", stores)], None, Settings().import_rules)[0].frame
    started = time.perf_counter()
    problems = None
    if kind == "read_csv":
        pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    else:
        (checked,) = check_files([(path.name, content)], known, Settings().import_rules)
        problems = len(checked.problems)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "problems": problems}))


def main() -> int:
    """0 when every goal is met, 1 otherwise (so `make bench` can name the benchmarks that missed)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--bad-rows", type=int, default=500_000)
    parser.add_argument("--hostile-only", action="store_true", help="only the hostile files")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _run_child(args.child[0], Path(args.child[1]))
        return 0
    hostile_met = hostile(args.bad_rows)
    if args.hostile_only:
        return 0 if hostile_met else 1
    stores, observations = generate(args.rows)
    print(f"generated {args.rows:,} observation rows ({len(observations) / 1e6:.1f} MB CSV)")
    with tempfile.TemporaryDirectory(dir=PROJECT_ROOT) as folder:
        engine = storage.connect(Settings(database_url=f"sqlite:///{folder}/bench.db"))
        import_files(engine, [("stores.csv", stores)], Settings().import_rules)
        started = time.perf_counter()
        checked = check_files([("bench.csv", observations)], storage.load_stores(engine), Settings().import_rules)
        validated = time.perf_counter()
        assert not checked[0].problems, checked[0].problems[:3]
        (summary,) = import_files(engine, [("bench.csv", observations)], Settings().import_rules)
        done = time.perf_counter()
        assert summary.rows_added == args.rows
        planner_seconds = done - validated  # import_files validates again: this is the whole end-to-end path
        again = time.perf_counter()
        (repeat,) = import_files(engine, [("bench.csv", observations)], Settings().import_rules)
        reimport_seconds = time.perf_counter() - again
        assert not repeat.changed

        baseline_started = time.perf_counter()
        with sqlite3.connect(f"{folder}/baseline.db") as connection:
            pd.read_csv(io.BytesIO(observations)).to_sql("observations", connection, index=False, chunksize=100_000)
        baseline_seconds = time.perf_counter() - baseline_started
        engine.dispose()

    rate = args.rows / planner_seconds
    print(f"validate only                       {validated - started:7.2f} s  {args.rows / (validated - started):>12,.0f} rows/s")
    print(f"planner: validate + import (1 txn)  {planner_seconds:7.2f} s  {rate:>12,.0f} rows/s   goal >= {GOAL_ROWS_PER_SECOND:,}")
    print(f"planner: re-import, nothing changes {reimport_seconds:7.2f} s  {args.rows / reimport_seconds:>12,.0f} rows/s")
    print(f"baseline: pandas read_csv + to_sql  {baseline_seconds:7.2f} s  {args.rows / baseline_seconds:>12,.0f} rows/s   (no validation)")
    print(f"ratio planner / baseline time       {planner_seconds / baseline_seconds:7.2f}")
    print("goal met" if rate >= GOAL_ROWS_PER_SECOND else "GOAL MISSED")
    return 0 if hostile_met and rate >= GOAL_ROWS_PER_SECOND else 1


if __name__ == "__main__":
    sys.exit(main())
