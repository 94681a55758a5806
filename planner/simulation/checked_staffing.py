"""Simulation-checked staffing: the per-hour recommendation corrected where a simulation of the week shows a miss.

Public: `check_staffing`, `CheckedStaffing`. The iterative simulation-based staffing of Feldman, Mandelbaum, Massey
and Whitt (2008, "Staffing of time-varying queues to achieve time-stable performance"), in its plain form:

  1. simulate the week under the recommended staff per hour;
  2. add one person to every hour whose simulated mean service level misses the target (or whose abandon share
     exceeds its limit), unless the store's max_staff stops it (then it says so); simulate again; repeat until
     every hour meets its target or only capped hours miss;
  3. try one person less in every other staffed hour at once (even hours, then odd, so two neighbours are never
     tried together): a cut stays where its hour and the hour after still meet the targets; a cut that fails is
     not tried again; "still meet" here means with a margin for the simulation's noise (`CUT_CONFIDENCE`).
     Back to 2, until nothing changes or `SimulationRules.max_checking_rounds` simulations ran.

With `SimulationRules.checking_with_demand_intervals` (default) every simulated day's demand is drawn from the demand
intervals, so an hour must meet its targets over the estimate's uncertainty, not only at its mean.
Every simulation uses the same seed (common random numbers), so two staffings are compared on the same customers
and a difference comes from the staff, not from the draw. Targets are judged on the mean over the simulated weeks,
as the per-hour formulas judge theirs. Units: staff, shares as fractions, waits in seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner.settings import Settings
from planner.simulation.roster import roster_from_hourly
from planner.simulation.simulate import SimulationResult, simulate_week
from planner.simulation.week import HOURS_PER_WEEK, StoreWeek
from planner.staffing import StaffingSchema as R

CUT_CONFIDENCE = 0.98
"""A person is cut only where the whole two-sided interval (this level) of the hour's simulated mean still meets the
targets: without the margin, cuts chosen on one seed's noise missed the target on another seed."""
UNCERTAIN_RATIO = 1.25
"""A demand interval whose high end is this many times the estimate is called uncertain in the reasons."""
LOAD_STEP = 1.2
"""An hour is said to inherit a queue when the hour before offered at least this many times its load."""


@dataclass(frozen=True)
class CheckedStaffing:
    store_id: str
    hours: pd.DataFrame
    """One row per open hour: weekday, hour, recommended_staff, checked_staff, service_level_before/after (the
    simulated mean at each), expected_service_level (the formula's), reason ("" where unchanged)."""
    corrections: tuple[str, ...]
    """One sentence per corrected hour, and one per hour max_staff kept from its target."""
    before: SimulationResult
    after: SimulationResult
    simulations: int
    finished: bool
    """False when `max_checking_rounds` stopped the search before nothing changed."""

    @property
    def corrected_hours(self) -> int:
        return int((self.hours["checked_staff"] != self.hours["recommended_staff"]).sum())

    def summary(self) -> str:
        h = self.hours
        before, after = int(h["recommended_staff"].sum()), int(h["checked_staff"].sum())
        share_before = self.before.meets_target()[self.before.week.open_hours].mean()
        share_after = self.after.meets_target()[self.after.week.open_hours].mean()
        stop = "" if self.finished else f"; stopped after {self.simulations} simulations, not settled"
        return (f"{self.store_id}: {self.corrected_hours} of {len(h)} hours corrected, "
                f"staff-hours {before} -> {after}, simulated hours meeting the target "
                f"{share_before:.0%} -> {share_after:.0%}{stop}")


def check_staffing(recommendation: pd.DataFrame, week: StoreWeek, settings: Settings, *,
                   replications: int | None = None, seed: int | None = None,
                   progress: Callable[[int, int], None] | None = None) -> CheckedStaffing:
    """Correct `week.store_id`'s rows of `recommendation` (`StaffingSchema`) by simulation, as the module says."""
    rules = settings.simulation
    if rules.checking_with_demand_intervals:
        rules = replace(rules, day_to_day_variation=True)
    rows = recommendation[recommendation[R.store_id].astype(str) == week.store_id]
    slot = rows[R.weekday].to_numpy(int) * 24 + rows[R.hour].to_numpy(int)
    recommended = np.zeros(HOURS_PER_WEEK, dtype=np.int64)
    recommended[slot] = rows[R.required_staff].fillna(0).to_numpy(int)
    open_hours = np.zeros(HOURS_PER_WEEK, dtype=bool)
    open_hours[slot] = rows[R.required_staff].notna().to_numpy()
    cap = np.full(HOURS_PER_WEEK, week.max_staff if week.max_staff is not None else np.iinfo(np.int64).max)
    cap = np.maximum(cap, recommended)  # a recommendation already above max_staff is kept, never raised
    floor = np.where(open_hours, week.min_staff, 0)

    simulations = 0

    def simulate(staff: np.ndarray) -> SimulationResult:
        nonlocal simulations
        simulations += 1
        if progress:
            progress(simulations, rules.max_checking_rounds)
        return simulate_week(week, _roster(staff), rules, replications=replications, seed=seed)

    staff = recommended.copy()
    before = current = simulate(staff)
    tried = np.zeros(HOURS_PER_WEEK, dtype=bool)
    cut = np.zeros(HOURS_PER_WEEK, dtype=bool)
    parity, finished = 0, False
    while simulations < rules.max_checking_rounds:
        miss = open_hours & ~current.meets_target()
        grow = miss & (staff < cap)
        if grow.any():
            staff[grow] += 1
            tried |= grow & cut  # a cut undone is not tried again
            current = simulate(staff)
            continue
        meets = current.meets_target(CUT_CONFIDENCE)
        candidates = open_hours & meets & (staff > floor) & ~tried
        chosen = candidates & (np.arange(HOURS_PER_WEEK) % 2 == parity)
        chosen = chosen if chosen.any() else candidates
        parity = 1 - parity
        if not chosen.any():
            finished = True
            break
        trial = simulate(staff - chosen)
        ok = trial.meets_target(CUT_CONFIDENCE)
        keep = chosen & ok & np.roll(ok, -1)
        tried |= chosen & ~keep
        if keep.any() and simulations < rules.max_checking_rounds:
            staff[keep] -= 1
            cut |= keep
            current = simulate(staff)
    after = current if np.array_equal(_staff_of(current), staff) else simulate(staff)
    hours, sentences = _explain(week, rows, slot, recommended, staff, cap, before, after, settings)
    return CheckedStaffing(week.store_id, hours, tuple(sentences), before, after, simulations, finished)


def _roster(staff_per_hour: np.ndarray) -> np.ndarray:
    table = pd.DataFrame({"weekday": np.arange(HOURS_PER_WEEK) // 24, "hour": np.arange(HOURS_PER_WEEK) % 24,
                          "staff": staff_per_hour})
    return roster_from_hourly(table, "staff")


def _staff_of(result: SimulationResult) -> np.ndarray:
    return result.roster.reshape(HOURS_PER_WEEK, 60)[:, 0]


def _explain(week, rows, slot, recommended, staff, cap, before, after, settings):
    targets = week.targets
    service_before, service_after = before.mean("service_level"), after.mean("service_level")
    abandon_before, abandon_after = before.mean("abandon_share"), after.mean("abandon_share")
    load = (week.help_per_hour * week.assisted_minutes
            + week.self_service_per_hour * week.touch_minutes_per_customer) / 60
    expected = rows[R.expected_service_level].to_numpy(dtype=float, na_value=np.nan)
    wait = f"{targets.target_wait_seconds:g} s"
    reasons, sentences = [], []
    for position, h in enumerate(slot):
        label = week.hour_label(h)  # Saturday 10:00-01:00's last hour: "Sat 00:00+1", as a plan says it
        change = int(staff[h] - recommended[h])
        reason = ""
        if change > 0:
            reason = (f"{label}: +{change}, simulated {service_before[h]:.0%} within {wait} and "
                      f"{abandon_before[h]:.0%} giving up at {recommended[h]} staff (formula {expected[position]:.0%} "
                      f"within {wait}): {_cause(h, load, week, settings)}")
        elif change < 0:
            reason = (f"{label}: {change}, still {service_after[h]:.0%} within {wait} and {abandon_after[h]:.0%} "
                      f"giving up at {staff[h]} staff")
        if not after.meets_target()[h] and staff[h] >= cap[h]:
            reason = (reason + "; " if reason else f"{label}: ") + (
                f"misses the target at max_staff {cap[h]} ({service_after[h]:.0%} within {wait}, "
                f"{abandon_after[h]:.0%} giving up)")
        reasons.append(reason)
        if reason:
            sentences.append(reason)
    hours = pd.DataFrame({
        "store_id": week.store_id, "weekday": slot // 24, "hour": slot % 24,
        "recommended_staff": recommended[slot], "checked_staff": staff[slot],
        "expected_service_level": expected, "service_level_before": service_before[slot],
        "service_level_after": service_after[slot], "reason": reasons,
    })
    return hours, sentences


def _cause(h: int, load: np.ndarray, week: StoreWeek, settings: Settings) -> str:
    """The likeliest reason the per-hour formula was optimistic for hour `h`."""
    rules = settings.simulation
    if h > 0 and load[h - 1] >= LOAD_STEP * load[h] and \
            week.assisted_minutes[h] >= settings.staffing.time_varying_min_service_minutes / 2:
        return "customers of the busier hour before are still being served"
    low, high = week.help_per_hour_low[h], week.help_per_hour_high[h]
    if rules.checking_with_demand_intervals and high > UNCERTAIN_RATIO * max(week.help_per_hour[h], 1e-9):
        return f"the demand estimate is uncertain ({low:.0f}-{high:.0f} help-seekers an hour)"
    touch_load = week.self_service_per_hour[h] * week.touch_minutes_per_customer[h] / 60
    if touch_load > 0.5 * load[h]:
        return "touches queue with help-seekers, first come first served"
    if rules.service_distribution == "lognormal":
        return f"lognormal service with long tails (CV {week.service_cv_of(rules):g})"
    return "arrivals bunch more than the hour's average shows"
