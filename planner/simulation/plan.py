"""Simulate one store's plan from its counts: the entry the command line and the Schedule page call.

Public: `simulate_plan`, `check_plan`, `plan_text`, `hours_at_risk`. The plan is a shifts table (the export format) when given, else the
recommended staff per hour. Demand is the store's estimate as its plan reads it (`planner.pipeline.simulate_store`
estimates it pooled over the chain, with the kept patience estimates), scaled by `demand_scale` for a what-if ("20%
more customers": 1.2).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from planner.hours import WEEKDAY_NAMES, hour_label
from planner.schemas import DemandSchema as D, StoreSchema as S
from planner.settings import Settings
from planner.simulation.checked_staffing import CheckedStaffing, check_staffing
from planner.simulation.roster import roster_from_hourly, roster_from_shifts
from planner.simulation.simulate import SimulationResult, simulate_week
from planner.simulation.week import StoreWeek
from planner.simulation.wording import band_name, figures_sentence
from planner.staffing import recommend_staff


def simulate_plan(demand: pd.DataFrame, stores: pd.DataFrame, store_id: str, settings: Settings, *,
                  shifts: pd.DataFrame | None = None, demand_scale: float = 1.0,
                  replications: int | None = None,
                  progress: Callable[[int, int], None] | None = None) -> SimulationResult:
    """`replications` simulated weeks (default `SimulationRules.replications`) of `store_id` under `shifts` (or its
    recommended staff per hour), its customers drawn from `demand` (`DemandSchema` rows, the store's at least) and
    its targets from `stores` (its row with every target resolved: `planner.targets.stores_with_targets`). Raises
    PlannerError / InputRejected with a readable message on bad input."""
    demand, store = _store_rows(demand, stores, store_id)
    week = StoreWeek.from_demand(demand, store, store_id, settings, demand_scale)
    if shifts is None:
        recommendation = recommend_staff(demand, store, settings)
        roster = roster_from_hourly(recommendation, "required_staff")
    else:
        roster = roster_from_shifts(shifts, store_id, break_minutes=settings.shifts.break_minutes)
    return simulate_week(week, roster, settings.simulation, replications=replications, progress=progress)


def check_plan(demand: pd.DataFrame, stores: pd.DataFrame, store_id: str, settings: Settings, *,
               replications: int | None = None,
               progress: Callable[[int, int], None] | None = None) -> CheckedStaffing:
    """`store_id`'s recommended staff per hour, checked and corrected by simulation (`check_staffing`); `demand` and
    `stores` as `simulate_plan` takes them."""
    demand, store = _store_rows(demand, stores, store_id)
    week = StoreWeek.from_demand(demand, store, store_id, settings)
    return check_staffing(recommend_staff(demand, store, settings), week, settings, replications=replications,
                          progress=progress)


def _store_rows(demand: pd.DataFrame, stores: pd.DataFrame, store_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`store_id`'s demand rows, its store row)."""
    return (demand[demand[D.store_id].astype(str) == store_id].reset_index(drop=True),
            stores[stores[S.store_id].astype(str) == store_id])


def plan_text(result: SimulationResult, plan: str, frame: pd.DataFrame | None = None) -> str:
    """Per open hour: staff; service level and abandon share, each as the figure of all weeks pooled and, in
    brackets, the median week's and the middle `band_level` of the weeks' (`wording`); customers lost a week; the
    share of weeks that missed a target. Then the rule of "at risk" (`SimulationRules.at_risk_week_share`), the
    hours at risk and the week's customers lost with its band. `frame`: the per-hour frame keyed as the hours are to
    be read (default: as the store opens, `frame_by_opening`; a dated plan's, `dated.dated_frame`)."""
    if frame is None:
        frame = result.frame_by_opening()  # Saturday 10:00-01:00's last hour reads "Sat 00:00+1", not "Sun 00:00"
    target = result.week.targets
    band = band_name(result.rules.band_level)
    key = f"pooled (median, middle {result.rules.band_level:.0%})"
    lines = [
        f"{result.week.store_id}: {plan}, {result.replications} simulated weeks; target "
        f"{target.target_service_level:.0%} within {target.target_wait_seconds:g} s, at most "
        f"{target.max_abandon_share:.0%} giving up",
        f"{figures_sentence(result.replications, result.rules.band_level)}:",
        f"{'hour':11} {'staff':>5}  {'service level':27} {'giving up':27} {'lost/week':>9} {'missed':>6}",
        f"{'':17}  {key:27} {key:27} {'':9} {'weeks':>6}",
    ]
    for row in frame.itertuples(index=False):
        if row.help_seekers_per_hour == 0 and row.staff == 0:
            continue
        flag = "  at risk" if row.at_risk else ""
        flag = "  misses target" if not row.meets_target else flag
        service = _figures(row.service_level, row.service_level_median, row.service_level_low,
                           row.service_level_high)
        giving_up = _figures(row.abandon_share, row.abandon_share_median, row.abandon_share_low,
                             row.abandon_share_high)
        lines.append(f"{_label(row.weekday, row.hour):11} {row.staff:5.1f} {service:>27} {giving_up:>27} "
                     f"{row.customers_lost:9.1f} {row.missed_week_share:6.0%}{flag}")
    # the rule, said once: two hours of like figures, one flagged and one not, read as a slip without it
    lines.append(f"missed weeks: the share of simulated weeks in which the hour missed a target; an hour is at risk "
                 f"when that share is over {result.rules.at_risk_week_share:.0%}, and misses its target when the "
                 "pooled figures do")
    risky = hours_at_risk(frame)
    labels = ", ".join(_label(r.weekday, r.hour) for r in risky.itertuples(index=False))
    lost, low, high = result.weekly_lost()
    lines.append(f"hours at risk ({len(risky)}): {labels or 'none'}")
    lines.append(f"customers lost a week: {lost:.0f} (mean of all weeks; {band}: {low:.0f}-{high:.0f})")
    return "\n".join(lines)


def hours_at_risk(frame: pd.DataFrame, weekday: int | None = None) -> pd.DataFrame:
    """The rows of a simulation's per-hour `frame` (keyed as it is read) that are at risk: the hour misses its
    targets in more than `SimulationRules.at_risk_week_share` of the weeks, or on average; of `weekday` only where
    given. The one rule the terminal's list and the pages' warnings count by."""
    risky = frame[frame["at_risk"] | ~frame["meets_target"]]
    return risky if weekday is None else risky[risky["weekday"] == weekday]


def at_risk_per_day(frame: pd.DataFrame) -> dict[int, int]:
    """Per weekday (0 = Monday) holding any, the number of a simulation's hours at risk (`hours_at_risk`), in
    weekday order: what a page showing one day says the week's other days hold."""
    return {int(day): int(count) for day, count in hours_at_risk(frame).groupby("weekday").size().items()}


def _label(weekday: int, hour: int) -> str:
    """"Sat 19:00", or "Sat 00:00+1" for a key of `SimulationResult.frame_by_opening` past its midnight."""
    return f"{WEEKDAY_NAMES[weekday]} {hour_label(hour)}"


def _figures(pooled: float, median: float, low: float, high: float) -> str:
    """"  98% ( 100%,   88%- 100%)": all weeks pooled (the median week, the band's low-high)."""
    return f"{_share(pooled)} ({_share(median)}, {_share(low)}-{_share(high)})"


def _share(value: float) -> str:
    return "  n/a" if pd.isna(value) else f"{value:5.0%}"
