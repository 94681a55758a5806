"""Simulate a store-week under a roster, many replications at once, and summarise it per hour.

Public: `simulate_week`, `SimulationResult`. The roster is staff per minute of the week (`planner.simulation.roster`);
the week is simulated from Monday 00:00 with an empty store, one replication = one independent week.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from planner.settings import SimulationRules
from planner.simulation.engine import HourlyCounts, run_replications
from planner.simulation.roster import MINUTES_PER_HOUR, MINUTES_PER_WEEK, roster_changes, staff_per_hour
from planner.simulation.schema import MEASURES, SimulationSchema
from planner.simulation.week import StoreWeek

SECONDS_PER_MINUTE = 60.0
PROGRESS_BATCH = 50
"""Weeks simulated between two progress calls."""


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """The counts of every replication, and the means, intervals and bands computed from them."""

    week: StoreWeek
    roster: np.ndarray
    counts: HourlyCounts
    rules: SimulationRules
    seconds: float
    """Wall time of the simulation itself."""

    @property
    def replications(self) -> int:
        return self.counts.help_seekers.shape[0]

    def ratio_parts(self, measure: str) -> tuple[np.ndarray, np.ndarray, float]:
        """Numerator and denominator per replication x hour of `measure`, and the numerator's unit factor."""
        c = self.counts
        if measure == "service_level":
            return c.served_within_target, c.help_seekers, 1.0
        if measure == "abandon_share":
            return c.abandoned, c.help_seekers, 1.0
        if measure == "mean_wait_seconds":
            return c.wait_minutes, c.help_seekers, SECONDS_PER_MINUTE
        if measure == "utilisation":
            rostered = np.broadcast_to(staff_per_hour(self.roster) * MINUTES_PER_HOUR, c.busy_staff_minutes.shape)
            return np.minimum(c.busy_staff_minutes, rostered), rostered, 1.0
        if measure == "customers_lost":
            return c.abandoned, np.ones_like(c.abandoned), 1.0
        raise ValueError(f"unknown measure {measure!r}; one of {MEASURES}")

    def mean(self, measure: str) -> np.ndarray:
        """Per hour, pooled over replications (sum of numerators / sum of denominators); NaN without any."""
        top, bottom, unit = self.ratio_parts(measure)
        with np.errstate(invalid="ignore", divide="ignore"):
            return unit * top.sum(axis=0) / np.where(bottom.sum(axis=0) > 0, bottom.sum(axis=0), np.nan)

    def mean_interval(self, measure: str, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per hour: the pooled mean and a `level` confidence interval for it (ratio estimator, delta method)."""
        top, bottom, unit = self.ratio_parts(measure)
        mean = self.mean(measure) / unit
        n = self.replications
        residual = top - np.nan_to_num(mean) * bottom
        with np.errstate(invalid="ignore", divide="ignore"):
            se = np.sqrt((residual**2).sum(axis=0) / (n * (n - 1))) / (bottom.mean(axis=0))
        half = stats.norm.ppf((1 + level) / 2) * se
        return unit * mean, unit * (mean - half), unit * (mean + half)

    def per_week(self, measure: str) -> np.ndarray:
        """Per replication x hour; NaN where the hour had no denominator in that week."""
        top, bottom, unit = self.ratio_parts(measure)
        with np.errstate(invalid="ignore", divide="ignore"):
            return unit * top / np.where(bottom > 0, bottom, np.nan)

    def spread(self, measure: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per hour, the low end of the band, the median week's value and the band's high end (the middle
        `band_level` of the weeks' values), from one sort so the median lies inside the band."""
        tail = (1 - self.rules.band_level) / 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an hour without arrivals in any week: NaN
            low, median, high = np.nanquantile(self.per_week(measure), [tail, 0.5, 1 - tail], axis=0)
        return low, median, high

    def hours(self) -> np.ndarray:
        """Hours of the week reported: open, staffed or with arrivals."""
        staffed = staff_per_hour(self.roster) > 0
        return np.flatnonzero(self.week.open_hours | staffed | (self.counts.help_seekers.sum(axis=0) > 0))

    def frame(self) -> pd.DataFrame:
        """The per-hour summary, validated against `SimulationSchema`."""
        hours = self.hours()
        targets = self.week.targets
        out = {
            SimulationSchema.store_id: self.week.store_id,
            SimulationSchema.weekday: (hours // 24).astype("int64"),
            SimulationSchema.hour: (hours % 24).astype("int64"),
            SimulationSchema.staff: staff_per_hour(self.roster)[hours],
            SimulationSchema.help_seekers_per_hour: self.counts.help_seekers.mean(axis=0)[hours],
        }
        for measure in MEASURES:
            low, median, high = self.spread(measure)
            out[measure], out[f"{measure}_median"] = self.mean(measure)[hours], median[hours]
            out[f"{measure}_low"], out[f"{measure}_high"] = low[hours], high[hours]
        frame = pd.DataFrame(out)
        frame[SimulationSchema.target_service_level] = targets.target_service_level
        frame[SimulationSchema.max_abandon_share] = targets.max_abandon_share
        frame[SimulationSchema.meets_target] = self.meets_target()[hours]
        frame[SimulationSchema.missed_week_share] = self.missed_week_share()[hours]
        frame[SimulationSchema.at_risk] = (self.missed_week_share() > self.rules.at_risk_week_share)[hours] | \
            ~frame[SimulationSchema.meets_target].to_numpy()
        return SimulationSchema.validate(frame)

    def frame_by_opening(self) -> pd.DataFrame:
        """`frame` keyed as the store opens (`StoreWeek.hour_key`), in that order: an hour after midnight under the
        weekday of the opening it closes, numbered 24 and up ("Sat 00:00+1", as a plan files it, not "Sun 00:00").
        Its hours may pass 23, so it is not checked against `SimulationSchema` again."""
        frame = self.frame()
        keys = np.array([self.week.hour_key(hour) for hour in self.hours()], dtype=np.int64).reshape(-1, 2)
        keyed = frame.assign(**{SimulationSchema.weekday: keys[:, 0], SimulationSchema.hour: keys[:, 1]})
        return keyed.sort_values([SimulationSchema.weekday, SimulationSchema.hour], kind="stable").reset_index(drop=True)

    def weekly_lost(self) -> tuple[float, float, float]:
        """Help-seekers giving up in a whole week: the mean over weeks and the band's ends."""
        weekly = self.counts.abandoned.sum(axis=1)
        tail = (1 - self.rules.band_level) / 2
        low, high = np.quantile(weekly, [tail, 1 - tail])
        return float(weekly.mean()), float(low), float(high)

    def missed_week_share(self) -> np.ndarray:
        """Per hour of the week, the share of simulated weeks in which the hour missed its targets."""
        targets = self.week.targets
        with np.errstate(invalid="ignore"):
            missed = (self.per_week("service_level") < targets.target_service_level - 1e-12) | \
                (self.per_week("abandon_share") > targets.max_abandon_share + 1e-12)
        return missed.mean(axis=0)

    def meets_target(self, confidence: float | None = None) -> np.ndarray:
        """Per hour of the week: mean service level and abandon share within the targets (True without arrivals).
        With `confidence`, the whole two-sided interval of each mean must lie within them (a margin for noise)."""
        targets = self.week.targets
        service, abandon = self.mean("service_level"), self.mean("abandon_share")
        if confidence is not None:
            service = np.fmin(service, self.mean_interval("service_level", confidence)[1])
            abandon = np.fmax(abandon, self.mean_interval("abandon_share", confidence)[2])
        return ~((service < targets.target_service_level - 1e-12) | (abandon > targets.max_abandon_share + 1e-12))


def simulate_week(week: StoreWeek, roster: np.ndarray, rules: SimulationRules, *, replications: int | None = None,
                  seed: int | None = None, progress: Callable[[int, int], None] | None = None) -> SimulationResult:
    """Simulate `replications` weeks (default `rules.replications`) of `week` under `roster` (staff per minute).
    The same seed gives the same weeks; replication r's week does not depend on how many are run. With `progress`,
    the weeks run in batches of `PROGRESS_BATCH` and progress(done, total) is called after each (same results)."""
    replications = rules.replications if replications is None else replications
    seed = rules.seed if seed is None else seed
    roster = np.asarray(roster, dtype=np.int64)
    if roster.shape != (MINUTES_PER_WEEK,) or (roster < 0).any():
        raise ValueError(f"roster must hold {MINUTES_PER_WEEK} staff counts, 0 or more")
    if replications < 2:
        raise ValueError(f"replications must be 2 or more, got {replications}")
    sequence = np.random.SeedSequence(seed)
    seeds = sequence.generate_state(replications, dtype=np.uint32)
    variation = np.random.default_rng(sequence.spawn(1)[0]) if rules.day_to_day_variation else None
    help_rate, self_rate = week.day_rates(replications, variation)
    change_minutes, change_staff = roster_changes(roster)
    step = PROGRESS_BATCH if progress else replications
    started = time.perf_counter()
    parts = []
    for first in range(0, replications, step):
        rows = slice(first, min(first + step, replications))
        parts.append(run_replications(
            seeds[rows], help_rate[rows], self_rate[rows] * rules.touch_share, week.assisted_minutes,
            week.touch_minutes_per_customer / rules.touch_share, lognormal=rules.service_distribution == "lognormal",
            service_cv=week.service_cv_of(rules), patience_minutes=week.targets.patience_minutes,
            target_wait_minutes=week.targets.target_wait_seconds / SECONDS_PER_MINUTE,
            change_minutes=change_minutes, change_staff=change_staff, open_part=week.open_part,
        ))
        if progress:
            progress(rows.stop, replications)
    counts = parts[0] if len(parts) == 1 else HourlyCounts(
        *(np.concatenate([getattr(p, name) for p in parts]) for name in HourlyCounts.__dataclass_fields__))
    return SimulationResult(week, roster, counts, rules, time.perf_counter() - started)
