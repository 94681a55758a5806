"""Where the patience estimate's bias comes from: simulated floors with one factor of a real day switched on at a time.

    python bench/bench_patience_floors.py [--draws 16] [--rows 3,6,7]

Four stores (patience / service minutes / help-seekers per hour: 5 / 14 / 10, 10 / 28 / 10, 4 / 10 / 40, 3 / 8 /
15), 28 counted days each, exponential service, no touches, each day's staff the flat roster's (1.3 x the mean load
+ 1, at least 2) plus one of -2, -1, 0, +1, as on the accuracy benchmark's chain counted under day-to-day staff.
Help-seekers who gave up are tallied as self-service, as a manager would (`floor_simulation`, numba). The factors:

- steady hours: each counted hour is run alone at its rate and staff after three warm-up hours (a steady state,
  what the estimate assumes); else the whole day is run from an empty floor at opening, each hour starting from
  the queue the last one left;
- self-service customers: 2 per help-seeker (the help-seekers' share is then a nuisance the estimate fits), or none;
- intraday curve: the rate follows a bump peaking at 15:00 (40-100% of the peak), or is flat (75% of the peak);
- day spread: each day's level varies by 10% (log-normal) beyond Poisson noise, or not at all.

Each row is run twice on the same draws: read as steady hours (`patience_opening_correction` off) and corrected for
days that start empty (`planner.demand.patience_opening`). Per row: the geometric mean of estimate / true patience
over the stores and draws (with the standard error of its log), how many 90% intervals hold the truth, the same two
over the informative estimates only (the ones the planner would use), per store, and the seconds per store.

    python bench/bench_patience_floors.py --draws 16 --rows 3,6,7   (whole-day rows; the README's table)
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # run as a script from anywhere

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from floor_simulation import Customers, draw_customers, simulate_floor  # noqa: E402
from planner.demand.patience import estimate_patience  # noqa: E402
from planner.settings import Settings  # noqa: E402

RULES = replace(Settings().demand, estimate_patience=True)
STEADY = replace(RULES, patience_opening_correction=False)
HOURS = np.arange(10, 20)
FIRST_DAY = pd.Timestamp("2026-01-05")
COUNTED_DAYS = 28
WARMUP_HOURS = 3
STAFF_CHANGES = (-2, -1, 0, 1)
STORES = {"A": (5.0, 14.0, 10.0), "B": (10.0, 28.0, 10.0), "C": (4.0, 10.0, 40.0), "D": (3.0, 8.0, 15.0)}
"""Per store: true patience minutes, mean service minutes, peak help-seekers per hour."""


@dataclass(frozen=True)
class Floor:
    steady: bool = True
    self_service_per_help_seeker: float = 0.0
    curve: bool = False
    day_spread: float = 0.0


ROWS = (
    ("steady hours, all customers seeking help", Floor()),
    ("+ self-service customers (give-ups hidden)", Floor(self_service_per_help_seeker=2.0)),
    ("+ whole day from an empty opening", Floor(steady=False)),
    ("+ intraday curve", Floor(curve=True)),
    ("+ day spread 10%", Floor(day_spread=0.10)),
    ("day from empty + self-service", Floor(steady=False, self_service_per_help_seeker=2.0)),
    ("day from empty + self-service + curve + spread",
     Floor(steady=False, self_service_per_help_seeker=2.0, curve=True, day_spread=0.10)),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=16, help="draws of the four stores per row")
    parser.add_argument("--rows", default="", help="comma-separated row numbers (1-based) to run; default all")
    args = parser.parse_args()
    chosen = [int(r) - 1 for r in args.rows.split(",") if r] or range(len(ROWS))
    print(f"{'floor':<48} {'estimate':<9} {'estimate/truth':>14} {'(se)':>6} {'held':>7} {'informative':>14}  "
          "per store  (s per store)")
    for row in chosen:
        label, floor = ROWS[row]
        for name, rules in (("steady", STEADY), ("corrected", RULES)):
            started = time.perf_counter()
            logs, held, used = estimates(floor, args.draws, rules)
            seconds = (time.perf_counter() - started) / (args.draws * len(STORES))
            every = np.concatenate(list(logs.values()))
            told = np.asarray([u[0] for u in used]), np.asarray([u[1] for u in used], dtype=bool)
            per_store = " ".join(f"{s} {np.exp(np.mean(v)):.2f}" for s, v in logs.items())
            informative = (f"{np.exp(told[0].mean()):5.2f}x {int(told[1].sum()):3d}/{told[0].size:<3d}"
                           if used else f"{'-':>6} {0:3d}/0  ")
            print(f"{label:<48} {name:<9} {np.exp(every.mean()):13.2f}x {every.std() / np.sqrt(every.size):6.2f} "
                  f"{held:3d}/{every.size:<3d} {informative}  {per_store}  ({seconds:.2f})", flush=True)
    return 0


def estimates(floor: Floor, draws: int, rules=RULES) -> tuple[dict[str, np.ndarray], int, list[tuple[float, bool]]]:
    """Per store, log(estimate / truth) over the draws; how many intervals held the truth; and per informative
    estimate (the ones the planner would use), its log(estimate / truth) and whether its interval held the truth.
    The same draws for every `rules`: each draw's counts come from its own seed."""
    logs: dict[str, list[float]] = {s: [] for s in STORES}
    held, used = 0, []
    for draw in range(draws):
        rng = np.random.default_rng([draw, 77])
        counts = pd.concat([counted_days(s, floor, rng) for s in STORES], ignore_index=True)
        frame = pd.DataFrame({"store_id": list(STORES), "format": list(STORES),
                              "patience_minutes": pd.array([pd.NA] * len(STORES), dtype="Float64")})
        found = estimate_patience(counts, frame, rules)
        for store_id, (patience, _, _) in STORES.items():
            estimate = found[store_id]
            logs[store_id].append(np.log(estimate.patience_minutes / patience))
            holds = not (estimate.low_minutes > patience or estimate.high_minutes < patience)  # NaN end: open
            held += holds
            if estimate.informative:
                used.append((logs[store_id][-1], holds))
    return {s: np.asarray(v) for s, v in logs.items()}, held, used


def counted_days(store_id: str, floor: Floor, rng: np.random.Generator) -> pd.DataFrame:
    patience, service, peak = STORES[store_id]
    bump = np.exp(-0.5 * ((HOURS + 0.5 - 15.0) / 2.5) ** 2)
    curve = peak * (0.4 + 0.6 * bump) if floor.curve else np.full(HOURS.size, 0.75 * peak)
    flat = int(max(2, np.ceil(1.3 * curve.mean() * service / 60.0 + 1.0)))
    rows = []
    for day in range(COUNTED_DAYS):
        rates = curve * np.exp(rng.normal(0.0, floor.day_spread) - floor.day_spread**2 / 2)
        staff = max(1, flat + int(rng.choice(STAFF_CHANGES)))
        arrivals, served, minutes = _one_day(rates, service, patience, staff, floor.steady, rng)
        self_service = rng.poisson(rates * floor.self_service_per_help_seeker) + arrivals - served
        rows.append(pd.DataFrame({
            "store_id": store_id, "date": FIRST_DAY + pd.Timedelta(days=day), "hour": HOURS,
            "visitors": served + self_service, "assisted": served, "self_service": self_service,
            "assisted_minutes": minutes.round(1), "self_service_minutes": 0.0, "staff_on_duty": staff,
        }))
    return pd.concat(rows, ignore_index=True)


def _one_day(rates: np.ndarray, service: float, patience: float, staff: int, steady: bool,
             rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per counted hour: help-seekers arrived, served, their service minutes. Steady: each hour is its own simulated
    day of WARMUP_HOURS + 1 hours at its rate, and only the last is counted."""
    hours = rates.size
    runs = np.repeat(rates[:, None], WARMUP_HOURS + 1, axis=1) if steady else rates[None, :]
    customers, hour = draw_customers(rng, runs, service, None, patience)
    no_touches = Customers(np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(runs.shape[0] + 1, dtype=np.int64))
    outcome = simulate_floor(customers, no_touches, np.full(runs.shape[1], staff, dtype=np.int64))
    if steady:
        counted = hour == WARMUP_HOURS
        hour = np.repeat(np.arange(hours), np.diff(customers.day_start))
    else:
        counted = np.ones(hour.size, dtype=bool)
    served = outcome.served[counted]
    minutes = np.where(served, customers.service_minutes[counted], 0.0)
    return (np.bincount(hour[counted], minlength=hours), np.bincount(hour[counted], served, hours).astype(int),
            np.bincount(hour[counted], minutes, hours))


if __name__ == "__main__":
    sys.exit(main())
