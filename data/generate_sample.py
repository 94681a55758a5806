"""Seeded sample-data generator for the retail staffing planner.

Writes stores.csv, observations.csv and single_count.csv (formats: data/README.md).
Standalone: numpy + pandas only. Regenerate with `.venv/bin/python data/generate_sample.py`.
"""
from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_SEED = 20261123
START_MONDAY = date(2026, 9, 7)
N_WEEKS = 4
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
SATURATION_SHARE = 0.85      # help-seekers give up once workload exceeds this share of capacity
EXTRA_GIVE_UP_PROB = 0.05    # small random extra give-ups among the rest when saturated
MAX_MINUTES_PER_CUSTOMER = 120.0
DAY_FACTOR = {"mon": 1.0, "tue": 0.95, "wed": 1.0, "thu": 1.05, "fri": 1.15, "sat": 1.4, "sun": 0.7}

# One row per store. peak_visitors_per_hour = typical weekday peak; browse_share = visitors who
# never become customers; assist_share = true share of customers who want help;
# touch_share / touch_minutes = self-service customers needing a short touch and its duration range.
PROFILE_COLUMNS = ["store_id", "name", "region", "format", "wage_per_hour", "min_staff", "max_staff",
                   "roster_staff", "peak_visitors_per_hour", "browse_share", "assist_share",
                   "service_minutes", "touch_share", "touch_minutes_low", "touch_minutes_high"]
PROFILES = pd.DataFrame([
    ("S01", "Berlin Mitte Electronics",       "North", "electronics", 19.50, 2, 12, 6,  60, 0.12, 0.55, 12.0, 0.08, 1.0, 2.0),
    ("S02", "Hamburg Jungfernstieg Clothing", "North", "clothing",    16.80, 2, 12, 6, 250, 0.10, 0.25,  6.0, 0.20, 1.0, 2.0),
    ("S03", "Munich Hauptbahnhof Convenience", "South", "convenience", 15.20, 1, 4, 1, 200, 0.05, 0.08,  3.0, 0.03, 0.5, 1.0),
    ("S04", "Stuttgart Home Furniture",       "South", "furniture",   18.50, 2, 8,  4,  20, 0.15, 0.70, 20.0, 0.10, 1.0, 3.0),
    ("S05", "Cologne Schildergasse Cosmetics", "West", "cosmetics",   17.10, 2, 8,  4,  80, 0.10, 0.40,  8.0, 0.15, 0.5, 1.5),
    ("S06", "Duesseldorf Koe Sports",         "West",  "sports",      16.90, 2, 8,  4,  90, 0.12, 0.35,  9.0, 0.15, 1.0, 2.0),
    ("S07", "Cologne Ring Electronics",       "West",  "electronics", 19.90, 3, 16, 10, 110, 0.12, 0.55, 12.0, 0.08, 1.0, 2.0),
    ("S08", "Munich Schwabing Clothing",      "South", "clothing",    16.40, 1, 5,  2,  55, 0.08, 0.25,  6.0, 0.20, 1.0, 2.0),
    ("S09", "Hannover Sports Outlet",         "North", "sports",      16.20, 2, 10, 5, 120, 0.10, 0.35,  9.0, 0.15, 1.0, 2.0),
], columns=PROFILE_COLUMNS)

STD = "10:00-20:00"
OPENING_HOURS = {  # mon..sun
    "S01": (STD,) * 6 + ("12:00-18:00",),
    "S02": (STD,) * 6 + ("closed",),
    "S03": ("07:00-22:00",) * 4 + ("07:00-24:00",) * 2 + ("09:00-18:00",),
    "S04": (STD,) * 6 + ("11:00-17:00",),
    "S05": (STD,) * 6 + ("12:00-17:00",),
    "S06": ("09:00-20:00",) * 6 + ("11:00-18:00",),
    "S07": ("10:00-21:00",) * 4 + ("10:00-01:00",) * 2 + ("12:00-18:00",),
    "S08": (STD,) * 6 + ("12:00-17:00",),
    "S09": (STD,) * 6 + ("11:00-17:00",),
}
OVERRIDES = {"S04": {"patience_minutes": "10"}, "S05": {"target_service_level": "0.9"}}
OVERRIDE_COLUMNS = ["target_service_level", "target_wait_seconds", "patience_minutes", "max_abandon_share"]
OBS_COLUMNS = ["store_id", "date", "hour", "visitors", "assisted", "self_service",
               "assisted_minutes", "self_service_minutes", "staff_on_duty"]


def business_hours(spec: str) -> list[int]:
    """Hours (counted from the business day's midnight, may exceed 23) when the store is open."""
    if spec == "closed":
        return []
    open_text, close_text = spec.split("-")
    open_hour, close_hour = int(open_text[:2]), int(close_text[:2])
    if close_hour <= open_hour:  # closes past midnight
        close_hour += 24
    return list(range(open_hour, close_hour))


def traffic_curve(hour: int) -> float:
    """Relative visitors per hour: lunch peak ~12-13, evening peak ~17-19, quiet mornings/late."""
    def bump(centre, width):
        return np.exp(-0.5 * ((hour + 0.5 - centre) / width) ** 2)
    level = 0.35 + 0.40 * bump(13.0, 1.2) + 0.60 * bump(18.5, 1.5)
    if hour < 10:
        level *= 0.55 + 0.15 * (hour - 7)
    if hour >= 21:
        level *= 0.7 ** (hour - 20)
    return level


CURVE_MAX = max(traffic_curve(h) for h in range(24))


def simulate_hour(rng, store: pd.Series, weekday: str, hour: int, staff: int) -> dict:
    """One observed hour, including censoring of help-seekers who give up when staff are saturated."""
    mean_visitors = store.peak_visitors_per_hour * DAY_FACTOR[weekday] * traffic_curve(hour) / CURVE_MAX
    visitors = rng.poisson(mean_visitors)
    customers = rng.binomial(visitors, 1 - store.browse_share)
    help_seekers = rng.binomial(customers, store.assist_share)
    touched = rng.binomial(customers - help_seekers, store.touch_share)
    touch_minutes = rng.uniform(store.touch_minutes_low, store.touch_minutes_high, touched).sum()
    self_service_minutes = min(round(touch_minutes, 1), 60.0 * staff)
    capacity_minutes = 60.0 * staff - self_service_minutes
    workload_minutes = help_seekers * store.service_minutes
    threshold_minutes = SATURATION_SHARE * capacity_minutes
    gave_up = 0
    if workload_minutes > threshold_minutes:  # fluid approximation of abandonment
        gave_up = int(np.ceil((workload_minutes - threshold_minutes) / store.service_minutes))
        gave_up = min(help_seekers, gave_up)
        gave_up += rng.binomial(help_seekers - gave_up, EXTRA_GIVE_UP_PROB)
    assisted = help_seekers - gave_up
    per_customer = rng.gamma(2.0, store.service_minutes / 2.0, assisted)
    per_customer = np.clip(per_customer, 0.5, MAX_MINUTES_PER_CUSTOMER)
    capacity_tenths = np.floor(capacity_minutes * 10 + 1e-6) / 10
    assisted_minutes = min(round(per_customer.sum(), 1), capacity_tenths)
    return {"visitors": visitors, "assisted": assisted, "self_service": customers - assisted,
            "assisted_minutes": assisted_minutes, "self_service_minutes": self_service_minutes,
            "staff_on_duty": staff, "gave_up": gave_up, "help_seekers": help_seekers}


def roster_staff(store: pd.Series, hours: list[int], hour: int) -> int:
    """Flat current roster: same headcount all day, one less in the first and last opening hour."""
    edge = hour in (hours[0], hours[-1])
    return max(1, int(store.roster_staff) - (1 if edge else 0))


def observed_hours(rng, hours: list[int], skip_first: int) -> list[int]:
    """Sparse manager counts: whole blocks of 2-5 hours with 1-2 hour gaps."""
    candidates = hours[skip_first:]
    chosen, pointer = [], int(rng.integers(0, 2))
    while pointer < len(candidates):
        block = candidates[pointer:pointer + int(rng.integers(2, 6))]
        if len(block) >= 2:
            chosen += block
        pointer += len(block) + int(rng.integers(1, 3))
    return chosen


def slot(day: date, business_hour: int) -> tuple[str, int]:
    """Calendar date and hour of a business hour (hours past midnight fall on the next date)."""
    return (day + timedelta(days=business_hour // 24)).isoformat(), business_hour % 24


def generate_observations(rng) -> pd.DataFrame:
    rows = []
    for _, store in PROFILES.iterrows():
        # Some weekday x hour cells are never counted: the manager often starts after opening.
        skip_first = {wd: int(rng.choice([0, 0, 1, 2])) for wd in WEEKDAYS}
        for day_index in range(7 * N_WEEKS):
            day = START_MONDAY + timedelta(days=day_index)
            weekday = WEEKDAYS[day.weekday()]
            hours = business_hours(OPENING_HOURS[store.store_id][day.weekday()])
            for hour in observed_hours(rng, hours, skip_first[weekday]) if hours else []:
                record = simulate_hour(rng, store, weekday, hour, roster_staff(store, hours, hour))
                date_text, clock_hour = slot(day, hour)
                rows.append({"store_id": store.store_id, "date": date_text, "hour": clock_hour, **record})
    return pd.DataFrame(rows)


def generate_single_count(rng) -> pd.DataFrame:
    """One manager's single 2-hour count: S02 on Saturday 2026-10-10, 11:00 and 12:00."""
    store = PROFILES[PROFILES.store_id == "S02"].iloc[0]
    day = date(2026, 10, 10)
    hours = business_hours(OPENING_HOURS["S02"][day.weekday()])
    rows = [{"store_id": "S02", "date": day.isoformat(), "hour": hour,
             **simulate_hour(rng, store, "sat", hour, roster_staff(store, hours, hour))} for hour in (11, 12)]
    return pd.DataFrame(rows)


def build_stores() -> pd.DataFrame:
    stores = PROFILES[["store_id", "name", "region", "format"]].copy()
    for index, weekday in enumerate(WEEKDAYS):
        stores[weekday] = [OPENING_HOURS[sid][index] for sid in stores.store_id]
    stores["wage_per_hour"] = PROFILES.wage_per_hour.map("{:.2f}".format)
    stores["min_staff"], stores["max_staff"] = PROFILES.min_staff, PROFILES.max_staff
    for column in OVERRIDE_COLUMNS:
        stores[column] = [OVERRIDES.get(sid, {}).get(column, "") for sid in stores.store_id]
    return stores


def check(observations: pd.DataFrame) -> None:
    """Assert the invariants promised in data/README.md."""
    counts = observations[["hour", "visitors", "assisted", "self_service", "staff_on_duty"]]
    assert (counts >= 0).all().all() and (counts % 1 == 0).all().all()
    assert observations.hour.between(0, 23).all()
    assert (observations.assisted + observations.self_service <= observations.visitors).all()
    minutes = observations.assisted_minutes + observations.self_service_minutes
    assert (minutes <= 60 * observations.staff_on_duty + 1e-9).all()
    assert (observations[["assisted_minutes", "self_service_minutes"]] >= 0).all().all()
    assert ((observations.assisted > 0) == (observations.assisted_minutes > 0)).all()
    assert ((observations.self_service_minutes == 0) | (observations.self_service > 0)).all()
    assert (observations.assisted_minutes <= MAX_MINUTES_PER_CUSTOMER * observations.assisted).all()
    assert (observations.self_service_minutes <= MAX_MINUTES_PER_CUSTOMER * observations.self_service).all()
    for column in ("assisted_minutes", "self_service_minutes"):
        assert np.allclose(observations[column], observations[column].round(1))
    assert not observations.duplicated(["store_id", "date", "hour"]).any()
    for store_id, date_text, hour in zip(observations.store_id, observations.date, observations.hour):
        specs, weekday = OPENING_HOURS[store_id], date.fromisoformat(date_text).weekday()
        assert hour in business_hours(specs[weekday]) or hour + 24 in business_hours(specs[weekday - 1])


def summarize(observations: pd.DataFrame) -> pd.DataFrame:
    summary = []
    for store_id, group in observations.groupby("store_id"):
        open_hours = N_WEEKS * sum(len(business_hours(spec)) for spec in OPENING_HOURS[store_id])
        customers = group.assisted.sum() + group.self_service.sum()
        summary.append({
            "store_id": store_id, "rows": len(group), "observed_share": len(group) / open_hours,
            "visitors_per_hour": group.visitors.mean(), "assisted_share": group.assisted.sum() / customers,
            "true_help_share": group.help_seekers.sum() / customers,
            "minutes_per_assisted": group.assisted_minutes.sum() / group.assisted.sum(),
            "gave_up_total": int(group.gave_up.sum())})
    return pd.DataFrame(summary)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    observations = generate_observations(rng)
    single_count = generate_single_count(rng)
    check(observations)
    check(single_count)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    build_stores().to_csv(args.out_dir / "stores.csv", index=False)
    observations[OBS_COLUMNS].to_csv(args.out_dir / "observations.csv", index=False)
    single_count[OBS_COLUMNS].to_csv(args.out_dir / "single_count.csv", index=False)
    with pd.option_context("display.width", 120, "display.float_format", "{:.2f}".format):
        print(summarize(observations).to_string(index=False))
    print(f"total observation rows: {len(observations)}; single count rows: {len(single_count)}; "
          f"seed {args.seed}; written to {args.out_dir}")


if __name__ == "__main__":
    main()
