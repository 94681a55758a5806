"""Ciw simulations of a shop floor, the independent truth `planner.staffing` is checked against.

Two simulations, both with minutes as Ciw's time unit and results as immutable named records whose figures carry a
confidence interval over independent, seeded replications:

    simulate_mixed   one stationary hour type, long-run: help-seekers (exponential service, exponential patience:
                     they give up via `reneging_time_distributions`) and self-service touches (short, exponential,
                     patient) on the same staff. Touches are a non-preemptive high-priority class: a member of staff
                     who comes free answers a waiting quick question before approaching the next help-seeker, and
                     never breaks off a customer for one. A warm-up is discarded.
    simulate_day     a day of opening hours repeated, help-seekers only, arrivals and staff changing by the hour
                     (`ciw.dists.PoissonIntervals` and a `ciw.Schedule`), a closed spell after each day so every
                     day starts empty (no warm-up needed); results per opening hour.

Service level, as the planner defines it: among ALL help-seekers who arrived (in the hour), the share approached
within the target wait; a customer who gave up counts as a failure. Waits run from arrival to the first start of
service.

Why `preemption="resume"` for staff that change by the hour. Ciw 3.2.7 offers, at a shift change (both checked by
tests in test_staffing.py, on a drop from 4 staff to 1 with 4 customers in service):
  * `preemption=False`: every current server is sent off duty (finishing their customer first) and the WHOLE new
    roster comes in beside them: 5 customers were in service after the drop to 1. After a drop from 19 to 6 up to
    25 could be. Hours after a peak - exactly what the time-varying correction is about - would look far better
    than the store would be.
  * `preemption="resume"`: every service in progress is interrupted, the new roster takes the interrupted customers
    first (oldest first) and they resume where they left off: at most 1 customer was in service after the drop,
    and each got exactly their 30 minutes. Capacity equals the roster at every moment, which is what a staffing
    model promises. Interrupted customers do not give up while they wait to resume, even with their patience long
    run out (Ciw only lets customers without a server renege, and it leaves an interrupted customer's old server
    attached until a new one takes over); only customers never yet served give up.
The remaining difference from a shop - where a leaving salesperson finishes their customer - is that the excess
interrupted customers pause until someone comes free; that only makes the simulated hours after a drop slightly
harder than the shop's, so a staffing level that meets the target here meets it in the store. At every hour
boundary Ciw interrupts and at once resumes the services in progress even when the roster is unchanged: a
customer's wait runs to the FIRST start of their service, and their service minutes add up the pieces.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import ciw
import numpy as np
from scipy import stats

HELP, TOUCH = "help_seeker", "touch"
"""Ciw class names. Ciw serves priority class 0 first."""
_PRIORITY = {TOUCH: 0, HELP: 1}
MINUTES_PER_HOUR = 60.0
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its two-sided t confidence interval."""

    mean: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Estimate:
        values = np.asarray(values, dtype=float)
        mean = float(values.mean())
        if values.size < 2:
            return cls(mean, -math.inf, math.inf)
        half = stats.t.ppf(0.5 + CONFIDENCE / 2, values.size - 1) * values.std(ddof=1) / math.sqrt(values.size)
        return cls(mean, mean - float(half), mean + float(half))

    def __str__(self) -> str:
        return f"{self.mean:.3f} [{self.low:.3f}, {self.high:.3f}]"


@dataclass(frozen=True)
class MixedResult:
    """Help-seekers' measures in the long run of one stationary hour type."""

    service_level: Estimate
    abandon_share: Estimate
    mean_wait_seconds: Estimate
    """Mean wait of all help-seekers, abandoners' time until they gave up included."""
    utilisation: Estimate
    """Busy share of the staff, touches included."""
    help_seekers: int
    """Help-seekers counted over all replications."""


@dataclass(frozen=True)
class DayResult:
    """Help-seekers' measures per opening hour of the simulated day (index 0 = the first opening hour)."""

    service_level: tuple[Estimate, ...]
    abandon_share: tuple[Estimate, ...]
    help_seekers: tuple[int, ...]
    """Help-seekers counted per hour over all replications."""


def simulate_mixed(*, assisted_per_hour: float, assisted_minutes: float, self_service_per_hour: float,
                   touch_minutes: float, staff: int, patience_minutes: float, target_wait_seconds: float,
                   hours: float = 150.0, warmup_hours: float = 5.0, replications: int = 4,
                   seed: int = 0) -> MixedResult:
    """Help-seekers and self-service touches on `staff` salespeople, `replications` runs of `hours` after a
    warm-up; customers arriving in the measured window are followed until they are served or give up."""
    start, end = warmup_hours * MINUTES_PER_HOUR, (warmup_hours + hours) * MINUTES_PER_HOUR
    tail = 20.0 * (assisted_minutes + patience_minutes)  # everyone who arrived before `end` is done by then
    touches = self_service_per_hour > 0 and touch_minutes > 0
    classes = [HELP, TOUCH] if touches else [HELP]
    rates = {HELP: assisted_per_hour, TOUCH: self_service_per_hour}
    means = {HELP: assisted_minutes, TOUCH: touch_minutes}
    levels, abandons, waits, busy, counted = [], [], [], [], 0
    for replication in range(replications):
        ciw.seed(seed + replication)
        network = ciw.create_network(
            arrival_distributions={c: [ciw.dists.Exponential(rates[c] / MINUTES_PER_HOUR)] for c in classes},
            service_distributions={c: [ciw.dists.Exponential(1.0 / means[c])] for c in classes},
            number_of_servers=[staff],
            priority_classes={c: _PRIORITY[c] for c in classes},
            reneging_time_distributions={
                c: [ciw.dists.Exponential(1.0 / patience_minutes) if c == HELP else None] for c in classes},
        )
        simulation = ciw.Simulation(network)
        simulation.simulate_until_max_time(end + tail)
        records = _records(simulation)
        window = (records.arrival >= start) & (records.arrival < end)
        help_ = window & (records.customer_class == HELP)
        wait = records.wait(end + tail)[help_]
        within = records.served[help_] & (wait <= target_wait_seconds / 60.0)
        levels.append(within.mean())
        abandons.append(records.reneged[help_].mean())
        waits.append(60.0 * wait.mean())
        busy.append(records.service_minutes[window].sum() / (staff * (end - start)))
        counted += int(help_.sum())
    return MixedResult(Estimate.of(levels), Estimate.of(abandons), Estimate.of(waits), Estimate.of(busy), counted)


def simulate_day(*, assisted_per_hour: Sequence[float], assisted_minutes: float, staff: Sequence[int],
                 patience_minutes: float, target_wait_seconds: float, days: int = 40, replications: int = 4,
                 closed_hours: int = 3, seed: int = 0) -> DayResult:
    """Help-seekers through a day whose arrival rate and staff change on the hour, `days` days per replication;
    after the last opening hour the store closes for `closed_hours` (no arrivals, the last hour's staff finishing
    off), so each day starts empty."""
    if len(assisted_per_hour) != len(staff):
        raise ValueError("assisted_per_hour and staff need one value per opening hour")
    open_hours = len(staff)
    cycle_hours = open_hours + closed_hours
    ends = [MINUTES_PER_HOUR * (h + 1) for h in range(cycle_hours)]
    rates = [r / MINUTES_PER_HOUR for r in assisted_per_hour] + [0.0] * closed_hours
    roster = [int(s) for s in staff] + [int(staff[-1])] * closed_hours
    duration = days * cycle_hours * MINUTES_PER_HOUR
    per_hour_levels, per_hour_abandons = [[] for _ in staff], [[] for _ in staff]
    counted = np.zeros(open_hours, dtype=int)
    for replication in range(replications):
        ciw.seed(seed + replication)
        network = ciw.create_network(
            arrival_distributions={HELP: [ciw.dists.PoissonIntervals(rates, ends, duration)]},
            service_distributions={HELP: [ciw.dists.Exponential(1.0 / assisted_minutes)]},
            number_of_servers=[ciw.Schedule(numbers_of_servers=roster, shift_end_dates=ends, preemption="resume")],
            reneging_time_distributions={HELP: [ciw.dists.Exponential(1.0 / patience_minutes)]},
        )
        simulation = ciw.Simulation(network)
        simulation.simulate_until_max_time(duration + MINUTES_PER_HOUR)
        records = _records(simulation)
        hour = np.floor((records.arrival % (cycle_hours * MINUTES_PER_HOUR)) / MINUTES_PER_HOUR).astype(int)
        wait = records.wait(duration + MINUTES_PER_HOUR)
        within = records.served & (wait <= target_wait_seconds / 60.0)
        for h in range(open_hours):
            mask = hour == h
            per_hour_levels[h].append(within[mask].mean())
            per_hour_abandons[h].append(records.reneged[mask].mean())
            counted[h] += int(mask.sum())
    return DayResult(tuple(Estimate.of(v) for v in per_hour_levels),
                     tuple(Estimate.of(v) for v in per_hour_abandons), tuple(int(c) for c in counted))


@dataclass(frozen=True)
class _Customers:
    """One entry per customer, from Ciw's records (a customer whose service was interrupted has several)."""

    customer_class: np.ndarray
    arrival: np.ndarray
    first_start: np.ndarray
    """Minute service first began; NaN if never."""
    exit: np.ndarray
    """Minute the customer left (served or gave up); NaN if still there."""
    reneged: np.ndarray
    service_minutes: np.ndarray
    """Minutes of service received (all pieces)."""

    @property
    def served(self) -> np.ndarray:
        return ~np.isnan(self.first_start)

    def wait(self, now: float) -> np.ndarray:
        """Minutes from arrival to the first service, to giving up, or (still waiting) to `now`."""
        until = np.where(self.served, self.first_start, np.where(np.isnan(self.exit), now, self.exit))
        return until - self.arrival


def _records(simulation: ciw.Simulation) -> _Customers:
    rows: dict[int, list] = {}
    for individual in simulation.get_all_individuals():
        for record in individual.data_records:
            row = rows.setdefault(record.id_number, [record.customer_class, record.arrival_date, math.nan,
                                                     math.nan, False, 0.0])
            if record.record_type in ("service", "interrupted service"):
                row[2] = min(row[2], record.service_start_date) if not math.isnan(row[2]) else record.service_start_date
                row[5] += (record.exit_date - record.service_start_date if record.record_type == "interrupted service"
                           else record.service_time)
            if record.record_type == "service":
                row[3] = record.exit_date
            elif record.record_type == "renege":
                row[3], row[4] = record.exit_date, True
    for node in simulation.nodes[1:-1]:  # still on the floor when the run stopped
        for individual in node.all_individuals:
            if individual.id_number not in rows and individual.data_records == []:
                start = individual.service_start_date
                rows[individual.id_number] = [individual.customer_class, individual.arrival_date,
                                              math.nan if start is False else start, math.nan, False, 0.0]
    table = list(rows.values())
    return _Customers(
        customer_class=np.array([r[0] for r in table], dtype=object),
        arrival=np.array([r[1] for r in table], dtype=float),
        first_start=np.array([r[2] for r in table], dtype=float),
        exit=np.array([r[3] for r in table], dtype=float),
        reneged=np.array([r[4] for r in table], dtype=bool),
        service_minutes=np.array([r[5] for r in table], dtype=float),
    )
