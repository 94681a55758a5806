"""A second implementation of `planner.simulation`'s model in Ciw: independent truth for its tests and benchmark.

Same store-week (`StoreWeek`), same roster per minute, same service, touch and patience distributions; built
differently. Ciw cannot change its number of servers by the difference only (a `ciw.Schedule` either interrupts
every service or, with `preemption=False`, lets the old servers finish while the whole new roster starts). So the
node keeps the week's largest roster as servers throughout, and staff who are off the floor are "absence"
customers of the highest priority, without preemption: an absence that begins while every server is busy waits
for the next server to come free (the leaving member of staff finishes the customer in hand), then holds that
server until the absence ends (zero time if it already has). Absences are the roster's gaps to its maximum, split
into unit levels: level j is away whenever max(roster) - roster >= j.

Help-seekers and touches share one FCFS queue (one priority class below the absences); help-seekers give up after
an exponential patience (Ciw `reneging_time_distributions`). Time is in minutes.
"""

from __future__ import annotations

import math

import ciw
import numpy as np

from planner.settings import SimulationRules
from planner.simulation.week import HOURS_PER_WEEK, StoreWeek

HELP, TOUCH, ABSENT = "help", "touch", "absent"
MINUTES_PER_HOUR = 60.0


class _HourlyService(ciw.dists.Distribution):
    """Service minutes with the mean of the customer's arrival hour (lognormal with `cv`, or exponential)."""

    def __init__(self, means: np.ndarray, lognormal: bool, cv: float, rng: np.random.Generator):
        self.means, self.lognormal, self.rng = means, lognormal, rng
        self.sigma = math.sqrt(math.log1p(cv**2))

    def sample(self, t=None, ind=None):
        mean = float(self.means[min(int(ind.arrival_date // MINUTES_PER_HOUR), self.means.size - 1)])
        if mean <= 0:
            return 0.0
        if self.lognormal:
            return float(self.rng.lognormal(math.log(mean) - self.sigma**2 / 2, self.sigma))
        return float(self.rng.exponential(mean))


class _AbsenceLength(ciw.dists.Distribution):
    """An absence holds its server from when it gets one until the absence ends."""

    def __init__(self, ends_by_start: dict[float, list[float]]):
        self.ends_by_start = ends_by_start

    def sample(self, t=None, ind=None):
        return max(self.ends_by_start[ind.arrival_date].pop() - t, 0.0)


def absences(roster: np.ndarray, end_minute: float) -> list[tuple[float, float]]:
    """(start, end) minutes of every unit absence: level j is away while max(roster) - roster >= j."""
    missing = roster.max() - roster
    out = []
    for level in range(1, int(missing.max()) + 1):
        away = np.concatenate([[0], (missing >= level).astype(np.int8), [0]])
        starts, ends = np.flatnonzero(np.diff(away) == 1), np.flatnonzero(np.diff(away) == -1)
        out += [(float(s), float(e) if e < roster.size else end_minute) for s, e in zip(starts, ends)]
    return sorted(out)


def simulate_week_ciw(week: StoreWeek, roster: np.ndarray, rules: SimulationRules, *, replications: int,
                      seed: int, hours: slice = slice(0, HOURS_PER_WEEK)) -> dict[str, np.ndarray]:
    """Per replication x hour of the week: help_seekers, served_within_target, abandoned. Only the hours in
    `hours` are simulated (an empty store at their start; nobody arrives outside them)."""
    first, last = hours.start * 60, hours.stop * 60
    roster = np.asarray(roster[first:last], dtype=np.int64)
    out = {k: np.zeros((replications, HOURS_PER_WEEK), dtype=np.int64)
           for k in ("help_seekers", "served_within_target", "abandoned")}
    for replication, child in enumerate(np.random.SeedSequence(seed).spawn(replications)):
        rng = np.random.default_rng(child)
        ciw.seed(int(child.generate_state(1)[0]))
        records = _run_once(week, roster, rules, rng, hours)
        target = week.targets.target_wait_seconds / 60.0
        for record in records:
            if record.customer_class != HELP:
                continue
            hour = hours.start + int(record.arrival_date // MINUTES_PER_HOUR)
            out["help_seekers"][replication, hour] += 1
            if record.record_type == "renege":
                out["abandoned"][replication, hour] += 1
            elif record.waiting_time <= target + 1e-12:
                out["served_within_target"][replication, hour] += 1
    return out


def _run_once(week, roster, rules, rng, hours):
    span = hours.stop - hours.start
    help_rate = week.help_per_hour[hours]
    touch_rate = week.self_service_per_hour[hours] * rules.touch_share
    drain = MINUTES_PER_HOUR * 24
    end = span * MINUTES_PER_HOUR + drain
    away = absences(roster, end + drain)
    ends_by_start: dict[float, list[float]] = {}
    for start, stop in away:
        ends_by_start.setdefault(start, []).append(stop)
    lognormal = rules.service_distribution == "lognormal"
    network = ciw.create_network(
        arrival_distributions={
            HELP: [_gaps(_poisson_arrivals(rng, help_rate))],
            TOUCH: [_gaps(_poisson_arrivals(rng, touch_rate))],
            ABSENT: [_gaps(np.array([start for start, _ in away]))],
        },
        service_distributions={
            HELP: [_HourlyService(week.assisted_minutes[hours], lognormal, rules.service_cv, rng)],
            TOUCH: [_HourlyService(week.touch_minutes_per_customer[hours] / rules.touch_share, lognormal,
                                   rules.service_cv, rng)],
            ABSENT: [_AbsenceLength(ends_by_start)],
        },
        number_of_servers=[max(int(roster.max()), 1)],
        reneging_time_distributions={
            HELP: [ciw.dists.Exponential(1.0 / week.targets.patience_minutes)], TOUCH: [None], ABSENT: [None],
        },
        priority_classes={ABSENT: 0, HELP: 1, TOUCH: 1},
    )
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(end)
    return simulation.get_all_records()


def _poisson_arrivals(rng: np.random.Generator, rates_per_hour: np.ndarray) -> np.ndarray:
    counts = rng.poisson(rates_per_hour)
    starts = np.repeat(MINUTES_PER_HOUR * np.arange(len(rates_per_hour)), counts)
    return np.sort(starts + rng.uniform(0.0, MINUTES_PER_HOUR, starts.size))


def _gaps(arrival_minutes: np.ndarray) -> ciw.dists.Distribution:
    if arrival_minutes.size == 0:
        return None
    gaps = np.diff(np.concatenate([[0.0], arrival_minutes]))
    return ciw.dists.Sequential([float(g) for g in gaps] + [math.inf])


def agreement_table(result, ciw_counts: dict[str, np.ndarray], hours: np.ndarray, level: float = 0.95):
    """Per hour and measure (service_level, abandon_share): both simulations' pooled means, the half-width of a
    `level` confidence interval for their difference, and whether the difference lies inside it."""
    import pandas as pd
    from scipy import stats

    z = stats.norm.ppf((1 + level) / 2)
    rows = []
    for measure, top_name in (("service_level", "served_within_target"), ("abandon_share", "abandoned")):
        mean, low, high = result.mean_interval(measure, level)
        ours_se = (high - low) / (2 * z)
        theirs, theirs_se = _ratio(ciw_counts[top_name], ciw_counts["help_seekers"])
        for hour in hours:
            half = z * math.hypot(ours_se[hour], theirs_se[hour])
            rows.append({
                "weekday": int(hour // 24), "hour": int(hour % 24), "measure": measure,
                "simulation": mean[hour], "ciw": theirs[hour], "difference": mean[hour] - theirs[hour],
                "half_width": half, "agree": abs(mean[hour] - theirs[hour]) <= half,
            })
    return pd.DataFrame(rows)


def _ratio(top: np.ndarray, bottom: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pooled ratio per column and its standard error over the rows (replications), delta method."""
    n = top.shape[0]
    ratio = top.sum(axis=0) / np.maximum(bottom.sum(axis=0), 1)
    residual = top - ratio * bottom
    se = np.sqrt((residual**2).sum(axis=0) / (n * (n - 1))) / np.maximum(bottom.mean(axis=0), 1e-12)
    return ratio, se
