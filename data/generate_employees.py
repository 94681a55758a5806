"""Seeded sample employees and absences for the sample chain's stores (formats: data/README.md).

Writes employees.csv (each store's staff from `planner.roster.generate_employees`, a mix of full-time, part-time and
minijob contracts, about a third keyholders) and absences.csv (a few days of leave and sickness in the sample roster
week, `SAMPLE_WEEK`). A store gets enough people to cover the planner's recommended staff-hours for the sample
counts (at the default settings) with `SLACK` to spare, each person near `HOURS_PER_PERSON`. Regenerate with
`.venv/bin/python data/generate_employees.py`; the same seed always gives byte-identical files.
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the planner package

from planner.intake import check_files  # noqa: E402
from planner.io.employees import employee_frame  # noqa: E402
from planner.pipeline import recommend_from_frames  # noqa: E402
from planner.roster import generate_employees  # noqa: E402
from planner.settings import ImportRules, Settings  # noqa: E402

DEFAULT_SEED = 20261207
SAMPLE_WEEK = "2026-W50"
"""The week the sample absences fall in (Monday 2026-12-07 to Sunday 2026-12-13)."""
HOURS_PER_PERSON = 26.0
"""Paid hours a week the sample staffs a store with per person, about the contracts' middle."""
SLACK = 1.3
"""People for 30% more hours than recommended: shifts are whole blocks, and availability, rest and keyholders bind."""
MIN_PEOPLE = 6
ABSENCE_REASONS = ("annual leave", "sick", "training", "sick")
ABSENCES = 6


def required_staff_hours(folder: Path) -> dict[str, float]:
    """Per store, the recommended staff-hours of a week for the sample counts (an hour without a recommendation:
    the store's min_staff)."""
    files = [(name, (folder / name).read_bytes()) for name in ("stores.csv", "observations.csv")]
    stores, observations = (checked.frame for checked in check_files(files, None, ImportRules()))
    table = recommend_from_frames(observations, stores, Settings())
    least = dict(zip(stores["store_id"], stores["min_staff"].astype(float), strict=True))
    staff = table["required_staff"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    table = table.assign(staff=np.where(np.isnan(staff), table["store_id"].map(least), staff))
    return table.groupby("store_id")["staff"].sum().to_dict()


def staff_count(required_hours: float) -> int:
    return max(MIN_PEOPLE, math.ceil(required_hours * SLACK / HOURS_PER_PERSON))


def build_employees(seed: int, folder: Path) -> pd.DataFrame:
    required = required_staff_hours(folder)
    people = []
    for store_id in sorted(required):
        people += generate_employees(store_id, staff_count(required[store_id]), seed)
    return employee_frame(people)


def build_absences(employees: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    monday = dt.date.fromisoformat(f"{SAMPLE_WEEK}-1")
    chosen = rng.choice(len(employees), size=ABSENCES, replace=False)
    rows = []
    for position in sorted(chosen):
        first = monday + dt.timedelta(days=int(rng.integers(7)))
        last = min(first + dt.timedelta(days=int(rng.integers(3))), monday + dt.timedelta(days=6))
        rows.append((employees["employee_id"].iloc[position], first.isoformat(), last.isoformat(),
                     ABSENCE_REASONS[int(rng.integers(len(ABSENCE_REASONS)))]))
    return pd.DataFrame(rows, columns=["employee_id", "first_day", "last_day", "reason"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out-dir", type=Path, default=HERE)
    args = parser.parse_args()
    employees = build_employees(args.seed, HERE)
    absences = build_absences(employees, args.seed)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    employees.to_csv(args.out_dir / "employees.csv", index=False, lineterminator="\n")
    absences.to_csv(args.out_dir / "absences.csv", index=False, lineterminator="\n")
    counts = employees.groupby("store_id").size()
    print(" ".join(f"{store}:{n}" for store, n in counts.items()) + f" = {len(employees)} people, "
          f"{len(absences)} absences in {SAMPLE_WEEK}; seed {args.seed}; written to {args.out_dir}")


if __name__ == "__main__":
    main()
