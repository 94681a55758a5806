"""Speed of `required_staff` over a million store-hours, under Erlang C and Erlang A, against a naive scalar loop;
then the whole `recommend --all` on the sample chain.

    python bench/bench_queueing.py [--intervals 1000000] [--baseline-intervals 2000] [--seed 20260101] [--runs 5]

Store-hours are drawn at random (seeded): 0-300 help-seekers per hour, 2-25 minutes of help each, patience 5 minutes
(Erlang A), target 80 % within 60 s, at most 5 % abandoning (Erlang A).
Goals on the project's 2-core machine: Erlang C <= 2 us per interval, Erlang A <= 20 us per interval.
Baseline, run in the same process on the first intervals of the same draw: a straightforward per-interval Python
loop that adds staff one at a time, updating Erlang B by its recursion (and, for Erlang A, evaluating Palm's
formulas with scalar scipy calls). The script prints microseconds per interval, the speed-up over the baseline and
whether both agree on every baseline interval; it exits with status 1 if a goal is missed or they disagree.

Second section, the whole chain behind `python -m planner recommend --all` on the sample (data/: 9 stores, 1,686
counted hours) in a fresh SQLite file: `planner.pipeline.recommend(engine, Settings())` end to end (load from the
database, estimate demand, staff every store-hour, write the explanations), the median of `--runs` runs after one
warm-up in this process; and one cold run of the command in a fresh process (imports included, output to
/dev/null). Goal for both: under 2 s.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.special import gammainc, gammaln

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from planner import storage  # noqa: E402
from planner.cli import main as planner_cli  # noqa: E402
from planner.erlang import required_staff  # noqa: E402
from planner.pipeline import recommend  # noqa: E402
from planner.settings import PROJECT_ROOT, Settings  # noqa: E402

TARGET_SERVICE_LEVEL = 0.8
TARGET_WAIT_SECONDS = 60.0
PATIENCE_MINUTES = 5.0
MAX_ABANDON_SHARE = 0.05
GOAL_US_PER_INTERVAL = {"Erlang C": 2.0, "Erlang A": 20.0}
GOAL_RECOMMEND_ALL_SECONDS = 2.0


def store_hours(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(0.0, 300.0, count), rng.uniform(2.0, 25.0, count)


def naive_staff_erlang_c(arrivals_per_hour: float, service_minutes: float) -> int:
    """One interval: add staff until the service level is met, Erlang B by its recursion, then Erlang C from it."""
    load = arrivals_per_hour * service_minutes / 60.0
    if load == 0.0:
        return 0
    staff, blocking = 0, 1.0
    while True:
        staff += 1
        blocking = load * blocking / (staff + load * blocking)
        if staff <= load:
            continue
        prob_wait = staff * blocking / (staff - load * (1.0 - blocking))
        decay = (staff - load) * TARGET_WAIT_SECONDS / (60.0 * service_minutes)
        if 1.0 - prob_wait * math.exp(-decay) >= TARGET_SERVICE_LEVEL:
            return staff


def naive_staff_erlang_a(arrivals_per_hour: float, service_minutes: float) -> int:
    """One interval: add staff until service level (over all arrivals) and abandonment are met, with Palm's
    formulas: P(W>0) = A B / (1 - B + A B), A(x, y) = e^y y^-x Γ(x+1) P(x, y), x = nμ/θ, y = λ/θ."""
    load = arrivals_per_hour * service_minutes / 60.0
    if load == 0.0:
        return 0
    ratio = PATIENCE_MINUTES / service_minutes
    y, z = load * ratio, math.exp(-TARGET_WAIT_SECONDS / (60.0 * PATIENCE_MINUTES))
    staff, blocking = 0, 1.0
    while True:
        staff += 1
        blocking = load * blocking / (staff + load * blocking)
        x = staff * ratio
        lower, lower_late = gammainc(x, y), gammainc(x, y * z)
        palm_a = lower * math.exp(y - x * math.log(y) + gammaln(x + 1.0))
        prob_wait = palm_a * blocking / (1.0 - blocking + palm_a * blocking)
        prob_abandon = prob_wait * (1.0 - staff / load + staff / (load * palm_a))
        term_y = math.exp(x * math.log(y) - y - gammaln(x + 1.0))  # P(x+1, v) = P(x, v) - v^x e^-v / Γ(x+1)
        term_yz = math.exp(x * math.log(y * z) - y * z - gammaln(x + 1.0))
        served_in_time = (staff / load) * ((lower - term_y) - (lower_late - term_yz)) / lower
        service_level = 1.0 - prob_wait + prob_wait * served_in_time
        if service_level >= TARGET_SERVICE_LEVEL and prob_abandon <= MAX_ABANDON_SHARE:
            return staff


def vectorised(model: str, arrivals: np.ndarray, service: np.ndarray) -> np.ndarray:
    extra = {}
    if model == "Erlang A":
        extra = {"patience_minutes": PATIENCE_MINUTES, "max_abandon_share": MAX_ABANDON_SHARE}
    return required_staff(arrivals, service, target_service_level=TARGET_SERVICE_LEVEL,
                          target_wait_seconds=TARGET_WAIT_SECONDS, **extra)


def seconds(work) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intervals", type=int, default=1_000_000)
    parser.add_argument("--baseline-intervals", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of recommend --all after one warm-up")
    args = parser.parse_args()
    arrivals, service = store_hours(args.intervals, args.seed)
    sample = slice(0, min(args.baseline_intervals, args.intervals))
    naive = {"Erlang C": naive_staff_erlang_c, "Erlang A": naive_staff_erlang_a}
    vectorised("Erlang A", arrivals[:1000], service[:1000])  # warm-up: imports, first-call allocations

    print(f"required_staff for {args.intervals:,} random store-hours: 0-300 arrivals/h, 2-25 min service, "
          f"{TARGET_SERVICE_LEVEL:.0%} within {TARGET_WAIT_SECONDS:g} s")
    print(f"(Erlang A: patience {PATIENCE_MINUTES:g} min, at most {MAX_ABANDON_SHARE:.0%} abandoning). "
          f"Baseline: naive scalar loop on the first {len(arrivals[sample]):,} of them, same process.\n")
    print(f"{'model':<9} {'vectorised':>12} {'goal':>8} {'naive loop':>12} {'speed-up':>9} {'same answer':>12} "
          f"{'mean staff':>11}")
    print(f"{'':<9} {'µs/interval':>12} {'µs':>8} {'µs/interval':>12}")
    ok = True
    for model in ("Erlang C", "Erlang A"):
        fast_seconds, staff = seconds(lambda: vectorised(model, arrivals, service))
        slow_seconds, slow_staff = seconds(
            lambda: [naive[model](lam, s) for lam, s in zip(arrivals[sample], service[sample])])
        fast_us, slow_us = fast_seconds / args.intervals * 1e6, slow_seconds / len(slow_staff) * 1e6
        agree = int(np.sum(staff[sample] == np.array(slow_staff)))
        goal = GOAL_US_PER_INTERVAL[model]
        ok &= fast_us <= goal and agree == len(slow_staff)
        same, verdict = f"{agree}/{len(slow_staff)}", "met" if fast_us <= goal else "MISSED"
        print(f"{model:<9} {fast_us:>12.2f} {'<= ' + format(goal, 'g'):>8} {slow_us:>12.1f} "
              f"{slow_us / fast_us:>8.0f}x {same:>12} {staff.mean():>11.2f}  goal {verdict}")
    ok &= bench_recommend_all(args.runs)
    return 0 if ok else 1


def bench_recommend_all(runs: int) -> bool:
    """`recommend --all` on the sample chain, warm (in this process) and cold (a fresh process); True if both
    meet the goal."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'planner.db'}"
        with contextlib.redirect_stdout(io.StringIO()):
            loaded = planner_cli(["--database-url", url, "load-sample"])
        if loaded != 0:
            raise SystemExit("could not load the sample into a fresh database")
        engine = storage.connect(Settings(database_url=url))
        table = recommend(engine, Settings())  # warm-up: first-call imports and caches
        warm = []
        for _ in range(runs):
            started = time.perf_counter()
            table = recommend(engine, Settings())
            warm.append(time.perf_counter() - started)
        engine.dispose()
        started = time.perf_counter()
        cold = subprocess.run(
            [sys.executable, "-m", "planner", "--database-url", url, "recommend", "--all", "--out", "/dev/null"],
            cwd=PROJECT_ROOT, capture_output=True, text=True)
        cold_seconds = time.perf_counter() - started
    if cold.returncode != 0:
        raise SystemExit(f"the cold run failed: {cold.stderr.strip()}")
    goal = GOAL_RECOMMEND_ALL_SECONDS
    median = statistics.median(warm)
    print(f"\nrecommend --all on the sample chain ({table['store_id'].nunique()} stores, {len(table):,} store-hours, "
          f"fresh SQLite file); goal < {goal:g} s")
    print(f"{'run':<38} {'seconds':>8} {'goal':>6}")
    for name, seconds in (
        (f"warm: pipeline.recommend, median of {runs}", median),
        ("cold: python -m planner recommend --all", cold_seconds),
    ):
        print(f"{name:<38} {seconds:>8.3f} {'< ' + format(goal, 'g'):>6}  goal {'met' if seconds < goal else 'MISSED'}")
    print(f"(warm runs: {', '.join(f'{s:.3f}' for s in warm)} s; the cold run includes starting Python and every "
          "import)")
    return median < goal and cold_seconds < goal


if __name__ == "__main__":
    sys.exit(main())
