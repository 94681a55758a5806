"""A seeded Ciw simulation of a store floor, counted the way a manager counts it: independent truth for the tests.

The floor, per clock hour: help-seekers arrive (Poisson) and queue first come, first served for a salesperson; each
gives up after an exponential patience if nobody has started serving them (Ciw `reneging_time_distributions`).
Self-service customers arrive too; a share of them (`touch_probability`) need a short touch from staff (fetching a
size) and join the same queue as a second customer class, never giving up. Browsers only add to the visitors.
Service and touch times are exponential. Time is in minutes.

Staff follow the roster through a `ciw.Schedule(preemption="resume")`, so the staff serving at any moment never
exceed the roster: at a roster change Ciw interrupts every service and the new roster resumes them where they left
off. (With `preemption=False`, Ciw 3.2.7 lets the old servers finish their customers while the whole new roster
starts, so for a while more customers are in service than staff are rostered: `in_service_above_roster` shows it.)
Consecutive hours with the same staff are one shift, so no needless interruptions happen.

The same opening day is repeated `days` times and the night is skipped: the floor at closing carries over to the
next opening, so hours with the same rates are statistically alike (what a stationary estimator assumes). The run
starts `warmup_hours` before the first day (those hours repeat the end of the day; their customers are not
counted) and ends once every customer has left. Each replication is an independent run on its own dates, following
the previous one, so their observation rows never share a (store_id, date, hour).

What the manager counts (`SimulatedStore.observations`, the upload format): each customer is counted in the hour
they arrived; `assisted` = help-seekers served; `self_service` = self-service customers plus the help-seekers who
gave up (the censoring the planner corrects); `self_service_minutes` = touch minutes. `assisted_minutes` is, with
`minutes_by="arrival"` (default), the full service minutes of the hour's served help-seekers, which in saturated
hours can exceed 60 x staff (service spills into the next hour) and so break the upload check
`minutes_within_staff_time`; with `minutes_by="work"` both minute columns are the staff minutes worked in the
hour (on help-seekers, on touches), which never exceed the roster but can be above 0 in an hour whose own customers
were all lost (a break of `assisted_minutes_need_assisted`, only likely in near-empty hours).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import ciw
import numpy as np
import pandas as pd
from scipy import stats

HELP, TOUCH = "help", "touch"
MINUTES_PER_HOUR = 60.0
DRAIN_MEANS = 60.0
"""After the last hour, run on for this many mean service + patience + touch times (nobody arrives any more)."""
OBSERVATION_COLUMNS = [
    "store_id", "date", "hour", "visitors", "assisted", "self_service", "assisted_minutes",
    "self_service_minutes", "staff_on_duty",
]


@dataclass(frozen=True)
class FloorHour:
    """What drives one opening hour of the simulated day."""

    help_seekers_per_hour: float
    self_service_per_hour: float
    staff: int

    def __post_init__(self) -> None:
        if self.help_seekers_per_hour < 0 or self.self_service_per_hour < 0:
            raise ValueError(f"arrival rates must be 0 or more, got {self}")
        if self.staff < 0 or self.staff != int(self.staff):
            raise ValueError(f"staff must be a whole number >= 0, got {self.staff}")


@dataclass(frozen=True)
class StoreFloor:
    """One store's simulated day: `hours[i]` is the clock hour `opening_hour + i` (past 23: after midnight)."""

    store_id: str
    opening_hour: int
    hours: tuple[FloorHour, ...]
    service_minutes: float
    """Mean minutes a salesperson serves one help-seeker (exponential)."""
    patience_minutes: float
    """Mean minutes a help-seeker waits before giving up (exponential)."""
    touch_probability: float = 0.0
    touch_minutes: float = 1.0
    """Mean minutes of one touch (exponential)."""
    browsers_per_hour: float = 0.0

    def __post_init__(self) -> None:
        if not 0 <= self.opening_hour <= 23 or not 1 <= len(self.hours) <= 24:
            raise ValueError("opening_hour must be 0-23 and a day has 1-24 hours")
        if min(self.service_minutes, self.patience_minutes, self.touch_minutes) <= 0:
            raise ValueError("service, patience and touch minutes must be above 0")
        if not 0 <= self.touch_probability <= 1 or self.browsers_per_hour < 0:
            raise ValueError("touch_probability must be in [0, 1] and browsers_per_hour 0 or more")
        if self.hours[-1].staff < 1:
            raise ValueError("the last hour needs staff, or the queue would never drain")

    @classmethod
    def steady(
        cls, store_id: str, *, opening_hour: int, open_hours: int, help_seekers_per_hour: float,
        self_service_per_hour: float, staff: int, **details,
    ) -> StoreFloor:
        """The same rates and staff in every opening hour."""
        hour = FloorHour(help_seekers_per_hour, self_service_per_hour, staff)
        return cls(store_id, opening_hour, (hour,) * open_hours, **details)


@dataclass(frozen=True)
class SimulatedStore:
    """The run's counts and truth. `truth` has one row per replication x counted hour: help_seekers (true
    arrivals), served, abandoned, served_within_target (served after a wait <= target_wait_seconds), touch_customers,
    self_service (true, touches included), browsers, staff, and the date and clock hour the manager writes down."""

    floor: StoreFloor
    observations: pd.DataFrame
    truth: pd.DataFrame
    segments: pd.DataFrame = field(repr=False)
    """Every stretch of service: replication, customer_class, start_minute, end_minute (simulation clock)."""
    roster: tuple[np.ndarray, ...] = field(repr=False)
    """Per replication: staff in each simulated hour (warm-up first), the last one lasting to the end."""

    def replication_means(self, column: str) -> np.ndarray:
        """Per replication, `column` per counted hour on average."""
        return self.truth.groupby("replication")[column].mean().to_numpy()

    def interval(self, column: str, level: float = 0.95) -> tuple[float, float, float]:
        """Mean of `column` per hour, and a t interval over the replications (a point when there is just one)."""
        means = self.replication_means(column)
        mean = float(means.mean())
        if means.size < 2:
            return mean, mean, mean
        half = stats.t.ppf((1 + level) / 2, means.size - 1) * means.std(ddof=1) / math.sqrt(means.size)
        return mean, mean - half, mean + half


def simulate_store(
    floor: StoreFloor, *, days: int, replications: int = 1, seed: int = 0, warmup_hours: int = 3,
    start_date: date = date(2026, 1, 5), target_wait_seconds: float = 60.0, minutes_by: str = "arrival",
    preemption: str | bool = "resume",
) -> SimulatedStore:
    """Simulate `days` opening days, `replications` times, and count them as a manager would.

    `seed` fixes every draw (arrivals with numpy, service and patience through `ciw.seed`); replication r starts on
    `start_date + r * days`. `target_wait_seconds` defines the truth's `served_within_target`; `minutes_by` and
    `preemption` are explained in the module docstring (keep preemption="resume" unless showing Ciw's default).
    """
    if days < 1 or replications < 1 or warmup_hours < 0:
        raise ValueError("days and replications must be 1 or more, warmup_hours 0 or more")
    if minutes_by not in ("arrival", "work"):
        raise ValueError(f"minutes_by must be 'arrival' or 'work', got {minutes_by!r}")
    runs = []
    for replication, child in enumerate(np.random.SeedSequence(seed).spawn(replications)):
        first_date = start_date + timedelta(days=replication * days)
        runs.append(_simulate_once(floor, days, warmup_hours, first_date, int(child.generate_state(1)[0]),
                                   target_wait_seconds, minutes_by, preemption, replication))
    observations = pd.concat([r[0] for r in runs], ignore_index=True)
    truth = pd.concat([r[1] for r in runs], ignore_index=True)
    segments = pd.concat([r[2] for r in runs], ignore_index=True)
    return SimulatedStore(floor, observations, truth, segments, tuple(r[3] for r in runs))


def in_service_above_roster(simulated: SimulatedStore) -> int:
    """The most customers ever in service beyond the staff rostered at that moment (0: capacity = roster)."""
    worst = 0
    for replication, staff in enumerate(simulated.roster):
        segments = simulated.segments[simulated.segments["replication"] == replication]
        starts, ends = np.sort(segments["start_minute"].to_numpy()), np.sort(segments["end_minute"].to_numpy())
        moments = np.concatenate([starts, MINUTES_PER_HOUR * np.arange(staff.size)])
        in_service = np.searchsorted(starts, moments, side="right") - np.searchsorted(ends, moments, side="right")
        rostered = staff[np.minimum((moments // MINUTES_PER_HOUR).astype(int), staff.size - 1)]
        worst = max(worst, int((in_service - rostered).max()))
    return worst


def _simulate_once(floor, days, warmup_hours, first_date, seed, target_wait_seconds, minutes_by, preemption,
                   replication):
    day = floor.hours
    plan = [day[(i - warmup_hours) % len(day)] for i in range(warmup_hours)] + list(day) * days
    staff = np.array([h.staff for h in plan])
    rng = np.random.default_rng(seed)
    ciw.seed(seed)
    help_times = _poisson_arrivals(rng, [h.help_seekers_per_hour for h in plan])
    touch_times = _poisson_arrivals(rng, [h.self_service_per_hour * floor.touch_probability for h in plan])
    untouched = rng.poisson([h.self_service_per_hour * (1 - floor.touch_probability) for h in plan])
    browsers = rng.poisson(floor.browsers_per_hour, len(plan))
    horizon = MINUTES_PER_HOUR * len(plan)
    end = horizon + DRAIN_MEANS * (floor.service_minutes + floor.patience_minutes + floor.touch_minutes)
    network = ciw.create_network(
        arrival_distributions={HELP: [_gaps(help_times)], TOUCH: [_gaps(touch_times)]},
        service_distributions={
            HELP: [ciw.dists.Exponential(1.0 / floor.service_minutes)],
            TOUCH: [ciw.dists.Exponential(1.0 / floor.touch_minutes)],
        },
        number_of_servers=[_schedule(staff, end, preemption)],
        reneging_time_distributions={HELP: [ciw.dists.Exponential(1.0 / floor.patience_minutes)], TOUCH: [None]},
    )
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(end)
    if simulation.nodes[1].all_individuals:
        raise RuntimeError("customers were still in the store when the simulation stopped; lengthen the drain")
    records = pd.DataFrame(simulation.get_all_records())
    customers, segments = _customers(records, target_wait_seconds)
    segments["replication"] = replication
    hourly = _per_hour(customers, segments, len(plan), minutes_by)
    hourly["untouched"], hourly["browsers"], hourly["staff"] = untouched, browsers, staff
    counted = hourly.iloc[warmup_hours:].reset_index(drop=True)
    position = np.arange(len(counted))
    clock = floor.opening_hour + position % len(day)
    dates = pd.to_datetime(first_date) + pd.to_timedelta(position // len(day) + clock // 24, unit="D")
    counted["date"], counted["hour"] = dates.astype("datetime64[ns]"), clock % 24
    counted["store_id"], counted["replication"] = floor.store_id, replication
    counted["self_service"] = counted["untouched"] + counted["touch_customers"]
    return _observation_rows(counted), _truth_rows(counted), segments, staff


def _poisson_arrivals(rng: np.random.Generator, rates_per_hour: list[float]) -> np.ndarray:
    """Arrival minutes of a Poisson process whose rate is constant within each hour."""
    counts = rng.poisson(rates_per_hour)
    starts = np.repeat(MINUTES_PER_HOUR * np.arange(len(rates_per_hour)), counts)
    return np.sort(starts + rng.uniform(0.0, MINUTES_PER_HOUR, starts.size))


def _gaps(arrival_minutes: np.ndarray) -> ciw.dists.Sequential:
    """Ciw's inter-arrival times for fixed arrival moments; an infinite gap ends the arrivals."""
    gaps = np.diff(np.concatenate([[0.0], arrival_minutes]))
    return ciw.dists.Sequential([float(g) for g in gaps] + [math.inf])


def _schedule(staff: np.ndarray, end: float, preemption) -> ciw.Schedule:
    """One shift per run of equal staff; the last lasts past the end of the run, so the roster never cycles."""
    change = np.flatnonzero(np.diff(staff)) + 1
    shift_starts = np.concatenate([[0], change])
    shift_ends = [float(MINUTES_PER_HOUR * c) for c in change] + [float(end + MINUTES_PER_HOUR)]
    return ciw.Schedule([int(staff[s]) for s in shift_starts], shift_ends, preemption=preemption)


def _customers(records: pd.DataFrame, target_wait_seconds: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per customer: class, arrival minute, served or not, wait, total service minutes; and the service segments.
    A service interrupted at a roster change leaves one record per stretch; the first stretch's start is the wait's
    end and the stretches add up to the service time."""
    serving = records[records["record_type"].isin(["service", "interrupted service"])]
    segment_end = serving["service_end_date"].where(serving["record_type"] == "service", serving["exit_date"])
    segments = pd.DataFrame({
        "id": serving["id_number"], "customer_class": serving["customer_class"],
        "start_minute": serving["service_start_date"], "end_minute": segment_end,
    })
    by_id = records.groupby("id_number")
    customers = pd.DataFrame({
        "customer_class": by_id["customer_class"].first(),
        "arrival_minute": by_id["arrival_date"].min(),
    })
    for column, kind in (("served", "service"), ("gave_up", "renege")):
        customers[column] = customers.index.isin(records.loc[records["record_type"] == kind, "id_number"])
    first_start = segments.groupby("id")["start_minute"].min()
    customers["service_minutes"] = (segments["end_minute"] - segments["start_minute"]).groupby(segments["id"]).sum()
    customers["service_minutes"] = customers["service_minutes"].fillna(0.0)
    wait = first_start.reindex(customers.index) - customers["arrival_minute"]
    customers["served_within_target"] = customers["served"] & (wait <= target_wait_seconds / 60.0)
    customers["hour_index"] = (customers["arrival_minute"] // MINUTES_PER_HOUR).astype(int)
    return customers, segments.drop(columns="id")


def _per_hour(customers: pd.DataFrame, segments: pd.DataFrame, hours: int, minutes_by: str) -> pd.DataFrame:
    index = np.arange(hours)
    help_ = customers[customers["customer_class"] == HELP]
    touch = customers[customers["customer_class"] == TOUCH]

    def count(frame: pd.DataFrame, values) -> np.ndarray:
        return np.bincount(frame["hour_index"], weights=np.asarray(values, float), minlength=hours)[:hours]

    out = pd.DataFrame({
        "help_seekers": count(help_, np.ones(len(help_))),
        "served": count(help_, help_["served"]),
        "abandoned": count(help_, help_["gave_up"]),
        "served_within_target": count(help_, help_["served_within_target"]),
        "touch_customers": count(touch, np.ones(len(touch))),
        "touch_minutes": count(touch, touch["service_minutes"]),
    }, index=index).astype({"help_seekers": int, "served": int, "abandoned": int, "served_within_target": int,
                            "touch_customers": int})
    if minutes_by == "arrival":
        out["assisted_minutes"] = count(help_, help_["service_minutes"])
    else:
        out["assisted_minutes"] = _minutes_worked(segments[segments["customer_class"] == HELP], hours)
        out["touch_minutes"] = _minutes_worked(segments[segments["customer_class"] == TOUCH], hours)
    return out


def _minutes_worked(segments: pd.DataFrame, hours: int) -> np.ndarray:
    """Minutes of the segments that fall inside each simulated hour. Up to a moment B, the segments have taken
    Σ_(end <= B) end + B x #(start < B < end) - Σ_(start < B) start minutes; each hour is a difference of two."""
    bounds = MINUTES_PER_HOUR * np.arange(hours + 1)
    start, end = np.sort(segments["start_minute"].to_numpy()), np.sort(segments["end_minute"].to_numpy())
    started, ended = np.searchsorted(start, bounds, side="left"), np.searchsorted(end, bounds, side="right")
    start_sums, end_sums = np.concatenate([[0.0], np.cumsum(start)]), np.concatenate([[0.0], np.cumsum(end)])
    worked = end_sums[ended] + bounds * (started - ended) - start_sums[started]
    return np.diff(worked)


def _observation_rows(counted: pd.DataFrame) -> pd.DataFrame:
    """The hours as the manager writes them down, in the upload format's columns and types."""
    rows = pd.DataFrame({
        "store_id": counted["store_id"].astype(str),
        "date": counted["date"],
        "hour": counted["hour"],
        "visitors": counted["help_seekers"] + counted["self_service"] + counted["browsers"],
        "assisted": counted["served"],
        "self_service": counted["self_service"] + counted["abandoned"],
        "assisted_minutes": counted["assisted_minutes"].round(1),
        "self_service_minutes": counted["touch_minutes"].round(1),
        "staff_on_duty": counted["staff"],
    })
    int_columns = ["hour", "visitors", "assisted", "self_service", "staff_on_duty"]
    return rows.astype({**dict.fromkeys(int_columns, "Int64"), "assisted_minutes": "Float64",
                        "self_service_minutes": "Float64"})[OBSERVATION_COLUMNS]


def _truth_rows(counted: pd.DataFrame) -> pd.DataFrame:
    columns = ["replication", "date", "hour", "help_seekers", "served", "abandoned", "served_within_target",
               "touch_customers", "self_service", "browsers", "staff"]
    return counted[columns].assign(store_id=counted["store_id"])
