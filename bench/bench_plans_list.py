"""Saved-plans list benchmark: `python -m planner plans list` (`planner.saved_plans.plans_with_status`) over N saved
plans of the sample chain; print seconds per list and plans per second.

The plans are real: one plan of every sample store for one ISO week, made once, then saved again and again under
other weeks until N are stored (a quarter of them published), as a chain that plans every week for a year or more
has. The list says, per plan, whether its inputs changed since it was made.

Baseline, run in the same process on the same database: opening every plan's document (`Plan.from_json`), which is
what the list did before it read the summary columns (timed on `--opened` documents and scaled to all N: the cost per
document does not depend on how many there are), and the bare `storage.list_plans` query (no status). Goal: the list
with its status within ten times the bare query, not growing with the size of the documents.

The chain's pooled digest (what each plan's digest of the chain's counts is compared with) is kept per revision of
the uploads, so the first list after each import computes it. Timed too, on a chain of `--chain-stores` stores
cloned from the sample (`bench_recommend.chain`: about 187 counted hours a store, 187,000 at 1,000 stores): after
each of `--repeats` imports of one store's counts (a copy of one store's counts moved two weeks later each time),
today's digest from the row hashes kept per store (`planner.counts_digest`: the imported store's counts loaded and
hashed), against the baseline of loading and hashing every count, as the digest was made before (the same digest,
checked). Goal: under a second at 1,000 stores. `--chain-stores 0` leaves this part out.

    .venv/bin/python bench/bench_plans_list.py [--plans 500] [--opened 50] [--repeats 3] [--chain-stores 1000]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_recommend import chain  # noqa: E402
from planner import pipeline, storage  # noqa: E402
from planner.digest import pooled_digest  # noqa: E402
from planner.intake import import_files  # noqa: E402
from planner.pipeline import make_plan  # noqa: E402
from planner.plans import Plan, PlanRequest  # noqa: E402
from planner.saved_plans import plans_with_status  # noqa: E402
from planner.settings import PROJECT_ROOT, Settings  # noqa: E402

WEEK = "2026-W50"
GOAL_DIGEST_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=500)
    parser.add_argument("--opened", type=int, default=50, help="documents the baseline opens (then scaled to all)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--chain-stores", type=int, default=1000, help="stores of the chain the digest is timed on")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{Path(folder) / 'planner.db'}")
        engine = storage.connect(settings)
        data = PROJECT_ROOT / "data"
        import_files(engine, [(name, (data / name).read_bytes()) for name in ("stores.csv", "observations.csv")],
                     settings.import_rules)
        started = time.perf_counter()
        plan = make_plan(engine, PlanRequest(weeks=(WEEK,), settings=settings), parallel=False)
        print(f"made one plan of {len(plan.store_ids)} stores in {time.perf_counter() - started:.1f} s")
        _save_copies(engine, plan, args.plans)
        document_kb = sum(len(storage.load_plan(engine, n).document) for n in (1, 2, 3)) / 3 / 1024
        print(f"{args.plans} saved plans, about {document_kb:.0f} KB of JSON each")

        timings = {
            "storage.list_plans (no status)": lambda: storage.list_plans(engine),
            "plans list with status (now)": lambda: plans_with_status(engine, settings),
        }
        seconds = {name: statistics.median(_time(run) for _ in range(args.repeats)) for name, run in timings.items()}
        seconds["every document opened (before)"] = _every_document(engine, args.opened) * args.plans / args.opened
        base = seconds["storage.list_plans (no status)"]
        print(f"\n{'':34} {'seconds':>8} {'plans/s':>9} {'x bare query':>13}")
        for name, value in seconds.items():
            print(f"{name:34} {value:8.3f} {args.plans / value:9.0f} {value / base:13.1f}")
        print(f"\nspeed-up of the list against opening every document: "
              f"{seconds['every document opened (before)'] / seconds['plans list with status (now)']:.1f}x")
        listed = plans_with_status(engine, settings)
        assert len(listed) == args.plans and not listed["out_of_date"].astype(bool).any(), "plans should be as made"
    if args.chain_stores:
        chain_digest(args.chain_stores, args.seed, args.repeats)


def chain_digest(stores: int, seed: int, repeats: int) -> None:
    """Print the seconds of the chain's pooled digest after an import, now and as it was made before."""
    store_csv, observation_csv = chain(stores, seed)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{Path(folder) / 'chain.db'}")
        engine = storage.connect(settings)
        import_files(engine, [("stores.csv", store_csv), ("observations.csv", observation_csv)],
                     settings.import_rules)
        rows = storage.count_rows(engine)["observations"]
        first = _time(lambda: pipeline.pooled_inputs_digest(engine))  # every store hashed, and kept
        counts = pd.read_csv(io.BytesIO(observation_csv))
        one = counts[counts["store_id"] == counts["store_id"].iloc[0]]
        now, before = [], []
        for n in range(1, repeats + 1):
            later = one.assign(date=(pd.to_datetime(one["date"]) + pd.Timedelta(days=14 * n)).dt.strftime("%Y-%m-%d"))
            import_files(engine, [("later.csv", later.to_csv(index=False).encode())], settings.import_rules)
            started = time.perf_counter()
            digest = pipeline.pooled_inputs_digest(engine)
            now.append(time.perf_counter() - started)
            started = time.perf_counter()
            observations, every_store, calendar = pipeline._pooled_chain(engine)
            assert pooled_digest(*pipeline.usable_chain(observations, every_store), calendar) == digest
            before.append(time.perf_counter() - started)
        engine.dispose()
    now_s, before_s = statistics.median(now), statistics.median(before)
    print(f"\nthe chain's pooled digest after an import, {stores:,} stores, {rows:,} counted hours "
          f"(median of {repeats} imports of {len(one)} counts); goal < {GOAL_DIGEST_SECONDS:g} s")
    print(f"{'first digest (every store hashed)':42} {first:8.3f} s")
    print(f"{'every count loaded and hashed (before)':42} {before_s:8.3f} s")
    print(f"{'row hashes kept per store (now)':42} {now_s:8.3f} s   {before_s / now_s:.1f}x faster, "
          f"goal {'met' if now_s < GOAL_DIGEST_SECONDS else 'MISSED'}")


def _save_copies(engine, plan: Plan, count: int) -> None:
    """`count` plans: each store's document saved under successive ISO weeks (their index rows say that week)."""
    parts = {row["store_id"]: (row["fingerprint"], plan.for_store_week(row["store_id"], WEEK).to_json())
             for row in plan.index_rows()}
    stores = list(parts)
    for n in range(count):
        store = stores[n % len(stores)]
        week = f"{2027 + n // len(stores) // 52}-W{n // len(stores) % 52 + 1:02d}"
        fingerprint, document = parts[store]
        plan_id = storage.save_plan(engine, store, week, fingerprint, document, "bench")
        if n % 4 == 0:
            storage.publish_plan(engine, plan_id, "bench")


def _every_document(engine, count: int) -> float:
    """What the list cost before: seconds to read and open `count` plans' documents (the newest)."""
    ids = storage.list_plans(engine)["plan_id"].head(count)
    return min(_time(lambda: [Plan.from_json(storage.load_plan(engine, int(n)).document) for n in ids]) for _ in "ab")


def _time(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
