"""Where to count next: the 2-hour windows where one more count would most lower the cost of the plan's doubt.

For each window (weekday, start hour) a store is open for, the planner asks what one more count there would do
to the demand's uncertainty: the window's own hours gain the information of the customers expected in them (less
what day-to-day variation hides), the neighbouring hours of that day a share of it (the store's own bend of the
hour profile is smoothed over `own_shape_bandwidth_hours`), and the same hours on the other days of its weekday
group a fifth.

A window's value is the doubt it removes, in staff-hours a week: over the hours it informs, the help-seekers'
workload (Erlangs) x how much the log-scale spread of their rate narrows. That is what the doubt costs: with the
staff hedged at a fixed confidence, the safety staff and the expected misses of an hour both grow in proportion
to the spread of its workload (a newsvendor's cost at its best quantile is proportional to the spread), so the
window removing the most of it lowers the expected cost the most. The narrower intervals also go through
`recommend_staff` again, for the safety staff-hours saved and the staff band the sentence shows. Ranked by the
doubt removed ("doubt"), by the safety staff-hours saved ("safety"), or by the expected cost saved ("value").

The expected cost saved is the preposterior value of the count (the expected value of sample information) in the
cost the hedge minimises: per open hour, staff-hours + the miss price c / (1 - c) x the chance the hour misses its
targets, c the hour's hedge confidence, the load log-normal around the estimate with the hour's spread. Now, the
hedge staffs the c-quantile of that load and misses when the load turns out above what those staff can serve.
After the count, the estimate will have moved by a normal amount with variance (spread now)² - (spread after)²
(what the count will tell, not yet known), and the hedge will staff the c-quantile of the narrower load around it;
the expected cost then is averaged over that move. The staff a load needs come from `recommend_staff` itself on a
grid of loads, so whole staff, minimum staff and caps are in the cost. A count in a clock hour the store never
counted on its weekday group informs that hour on every day of the group as much as on its own day: the hour's
profile there is borrowed, and the count gives the store's own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri  # the normal quantile; scipy.stats would add 0.5 s to every start

from planner.errors import PlannerError
from planner.hours import WEEKDAY_NAMES
from planner.schemas import DemandSchema as D
from planner.settings import Settings
from planner.staffing.hedge import log_spread
from planner.staffing.recommend import recommend_staff

WINDOW_HOURS = 2
GROUP_SHARE = 0.2
"""Share of a count's information that reaches the same hours on the other weekdays of its group, where the store
has counted that clock hour in the group already (its own profile there is known; the days differ by their own
level and bend)."""
LOAD_GRID_STEP = 0.035
"""Log-load step of the grid on which the staff a load needs is read (7%: under one staff for loads below ~14
Erlangs, and the miss chance is read between grid points by the staff's threshold, not rounded to them)."""
LOAD_GRID_SPAN = 2.5
"""The grid spans the estimate x exp(+-2.5): over three spreads of the widest borrowed hours (0.64-0.8)."""
PREPOSTERIOR_POINTS = np.linspace(-4.0, 4.0, 41)
"""Where the estimate could move once the count is in, in standard deviations of that move: an even grid, not
Gauss-Hermite nodes, since the staff are a step function of the load (9 nodes missed a third of the saving)."""


@dataclass(frozen=True)
class CountAdvice:
    weekday: int
    start_hour: int
    safety_staff_hours_saved: float
    """Safety staff-hours a week the plan would need less, once the window is counted."""
    doubt_removed_staff_hours: float
    """Staff-hours a week of the plan's doubt the count would remove: over the hours it informs, the help-seekers'
    workload (Erlangs) x how much its log-scale spread narrows. Both costs of doubt scale with it: the safety staff
    added for it, and the hours still missed where the demand turns out above the hedge."""
    expected_cost_saved_staff_hours: float
    """How much the plan's expected cost (staff-hours + the miss price x expected store-hours missing the
    targets, a week) would fall, on average over what the count could show (the module's docstring)."""
    band_now: tuple[int, int]
    band_after: tuple[int, int]
    """The staff the window's busiest hour could need (the band over the demand's interval), now and after."""

    @property
    def sentence(self) -> str:
        day = WEEKDAY_NAMES[self.weekday]
        hours = f"{self.start_hour:02d}:00-{self.start_hour + WINDOW_HOURS:02d}:00"
        saved = round(self.safety_staff_hours_saved)
        gain = (f"save about {saved} safety staff-hour{'' if saved == 1 else 's'} a week" if saved >= 1
                else "save little safety staff")
        cost = ("" if np.isnan(self.expected_cost_saved_staff_hours) else
                f"; with the misses it avoids, it would lower the plan's expected cost by about "
                f"{self.expected_cost_saved_staff_hours:.1f} staff-hours a week")
        return (f"Count {day} {hours} next: it would narrow {day} {hours} from {self.band_now[0]}-{self.band_now[1]}"
                f" to about {self.band_after[0]}-{self.band_after[1]} staff and {gain}{cost}.")


RANKINGS = {
    "value": lambda a: (-a.expected_cost_saved_staff_hours, -a.doubt_removed_staff_hours),
    "reach": lambda a: (-a.doubt_removed_staff_hours, -a.safety_staff_hours_saved),
    "doubt": lambda a: (-a.doubt_removed_staff_hours, -a.safety_staff_hours_saved),
    "safety": lambda a: (-a.safety_staff_hours_saved, -(a.band_now[1] - a.band_now[0])
                         + (a.band_after[1] - a.band_after[0])),
}


def next_counts(demand: pd.DataFrame, stores: pd.DataFrame, settings: Settings, store_id: str,
                windows: int = 3, ranking: str = "value") -> list[CountAdvice]:
    """The `windows` best 2-hour windows to count next in `store_id`, best first; none for a store with no counts
    yet (any two hours will do)."""
    rows = demand[demand[D.store_id] == store_id].reset_index(drop=True)
    if rows.empty:
        raise PlannerError(f"store {store_id} has no opening hours in the demand table")
    if (rows[D.confidence] == "missing").all():
        return []
    rules = settings.demand
    z = ndtri(0.5 + rules.interval_level / 2.0)
    mean = rows[D.assisted_per_hour].to_numpy(dtype=float, na_value=np.nan)
    spread = log_spread(mean, rows[D.assisted_per_hour_low].to_numpy(dtype=float, na_value=np.nan),
                        rows[D.assisted_per_hour_high].to_numpy(dtype=float, na_value=np.nan), rules.interval_level)
    now = recommend_staff(rows, stores, settings)
    safety_now = float(now["safety_staff"].fillna(0).sum())
    weekday, hour = rows[D.weekday].to_numpy(), rows[D.hour].to_numpy()
    group = np.zeros(7, dtype=int)
    for index, days in enumerate(rules.similar_weekdays):
        group[list(days)] = index
    open_cells = set(zip(weekday.tolist(), hour.tolist(), strict=True))
    candidates = [(day, start) for day, start in sorted(open_cells)
                  if all((day, start + k) in open_cells for k in range(WINDOW_HOURS))]
    own_hours = _counted_in_group(rows, group)
    customers = np.nan_to_num(mean)
    workload = customers * np.nan_to_num(rows[D.assisted_minutes_mean].to_numpy(dtype=float, na_value=np.nan)) / 60.0
    copies, narrowing = [], []
    for index, (day, start) in enumerate(candidates):
        distance = np.min([np.abs(hour - (start + k)) for k in range(WINDOW_HOURS)], axis=0)
        reach = np.exp(-0.5 * (distance / rules.own_shape_bandwidth_hours) ** 2)
        group_share = np.where(own_hours, GROUP_SHARE, 1.0) if ranking in ("value", "reach") else GROUP_SHARE
        reach = np.where(weekday == day, reach, np.where(group[weekday] == group[day], group_share * reach, 0.0))
        information = reach * customers / (1.0 + customers * rules.store_day_spread**2)
        narrowed = np.where(spread > 0, 1.0 / np.sqrt(1.0 / np.maximum(spread, 1e-9) ** 2 + information), 0.0)
        narrowing.append(narrowed)
        after = rows.copy()
        after[D.store_id] = f"{store_id}\t{index}"  # every candidate staffed in one call, as a store of its own
        after[D.assisted_per_hour_low] = pd.array(mean * np.exp(-z * narrowed), dtype="Float64")
        after[D.assisted_per_hour_high] = pd.array(mean * np.exp(z * narrowed), dtype="Float64")
        copies.append(after)
    template = stores[stores["store_id"] == store_id]
    clones = pd.concat([template.assign(store_id=f"{store_id}\t{i}") for i in range(len(candidates))],
                       ignore_index=True)
    counted = recommend_staff(pd.concat(copies, ignore_index=True), clones, settings)
    size = len(rows)
    store = stores[stores["store_id"] == store_id]
    cost = _ExpectedCost(rows, store, settings, spread) if ranking == "value" else None  # the grid costs a second
    advice = []
    for index, (day, start) in enumerate(candidates):
        table = counted.iloc[index * size : (index + 1) * size].reset_index(drop=True)
        in_window = (weekday == day) & (hour >= start) & (hour < start + WINDOW_HOURS)
        advice.append(CountAdvice(
            day, start, safety_now - float(table["safety_staff"].fillna(0).sum()),
            float(np.sum(workload * (spread - narrowing[index]))), cost.saved(narrowing[index]) if cost else np.nan,
            _band(now, in_window), _band(table, in_window)))
    advice.sort(key=RANKINGS[ranking])
    chosen: list[CountAdvice] = []
    for candidate in advice:  # no two windows sharing an hour
        if all(c.weekday != candidate.weekday or abs(c.start_hour - candidate.start_hour) >= WINDOW_HOURS
               for c in chosen):
            chosen.append(candidate)
        if len(chosen) == windows:
            break
    return chosen


def _band(table: pd.DataFrame, rows: np.ndarray) -> tuple[int, int]:
    low = table.loc[rows, "required_staff_low"].fillna(0).astype(int)
    high = table.loc[rows, "required_staff_high"].fillna(0).astype(int)
    return int(low.max()), int(high.max())


def _counted_in_group(rows: pd.DataFrame, group: np.ndarray) -> np.ndarray:
    """Per row: whether the store counted that clock hour on some day of the row's weekday group."""
    key = group[rows[D.weekday].to_numpy()] * 24 + rows[D.hour].to_numpy()
    counted = np.zeros(len(group) * 24, dtype=bool)
    counted[key[rows[D.observed_hours].to_numpy() > 0]] = True
    return counted[key]


class _ExpectedCost:
    """The plan's expected cost per open hour (staff-hours + miss price x chance of a miss) now and after a count
    that narrows the rate's log-spread, from the staff `recommend_staff` gives on a grid of loads."""

    def __init__(self, rows: pd.DataFrame, store: pd.DataFrame, settings: Settings, rate_spread: np.ndarray):
        self.minutes_spread = log_spread(*(rows[c].to_numpy(dtype=float, na_value=np.nan) for c in (
            D.assisted_minutes_mean, D.assisted_minutes_low, D.assisted_minutes_high)), settings.demand.interval_level)
        self.spread = np.sqrt(rate_spread**2 + self.minutes_spread**2)
        confidence = np.where((rows[D.confidence] == "high").to_numpy(), settings.staffing.counted_target_confidence,
                              settings.staffing.target_confidence)
        self.quantile = ndtri(confidence)
        self.price = confidence / (1.0 - confidence)
        self.grid = np.arange(-LOAD_GRID_SPAN, LOAD_GRID_SPAN + LOAD_GRID_STEP / 2, LOAD_GRID_STEP)
        self.known = (rows[D.confidence] != "missing").to_numpy() & (self.spread > 0)
        copies = []
        mean = rows[D.assisted_per_hour].to_numpy(dtype=float, na_value=np.nan)
        minutes = rows[D.assisted_minutes_mean].to_numpy(dtype=float, na_value=np.nan)
        for index, step in enumerate(self.grid):  # the load is exact at each grid point: no hedge
            copy = rows.copy()
            copy[D.store_id] = f"grid\t{index}"
            for column in (D.assisted_per_hour, D.assisted_per_hour_low, D.assisted_per_hour_high):
                copy[column] = pd.array(mean * np.exp(step), dtype="Float64")
            for column in (D.assisted_minutes_low, D.assisted_minutes_high):
                copy[column] = pd.array(minutes, dtype="Float64")
            copies.append(copy)
        clones = pd.concat([store.assign(store_id=f"grid\t{i}") for i in range(len(self.grid))], ignore_index=True)
        staff = recommend_staff(pd.concat(copies, ignore_index=True), clones, settings)["required_staff"]
        self.staff = np.maximum.accumulate(  # never fewer staff for more load
            staff.to_numpy(dtype=float, na_value=0.0).reshape(len(self.grid), len(rows)), axis=0).T
        self.now = self._cost(np.zeros(len(rows)), self.spread)

    def saved(self, rate_spread_after: np.ndarray) -> float:
        """Expected cost now minus expected cost after the count, summed over the open hours (staff-hours a week)."""
        after = np.sqrt(rate_spread_after**2 + self.minutes_spread**2)
        moved = np.sqrt(np.maximum(self.spread**2 - after**2, 0.0))
        nodes = PREPOSTERIOR_POINTS
        weights = np.exp(-0.5 * nodes**2) / np.exp(-0.5 * nodes**2).sum()
        expected = sum(w * self._cost(node * moved, after) for node, w in zip(nodes, weights, strict=True))
        return float(np.sum(np.where(self.known, self.now - expected, 0.0)))

    def _cost(self, centre: np.ndarray, spread: np.ndarray) -> np.ndarray:
        """Per hour: the hedge's staff at the `quantile` of a load log-normal around exp(`centre`) x the estimate,
        plus the miss price x the chance the load exceeds what those staff serve."""
        hedged = centre + self.quantile * spread
        at = np.clip(np.rint((hedged - self.grid[0]) / LOAD_GRID_STEP).astype(int), 0, len(self.grid) - 1)
        staff = self.staff[np.arange(len(at)), at]
        # the largest load these staff serve: the grid point before the first that needs more, plus half a step
        served = (self.staff <= staff[:, None]).sum(axis=1) - 1
        limit = self.grid[np.clip(served, 0, len(self.grid) - 1)] + LOAD_GRID_STEP / 2
        with np.errstate(divide="ignore", invalid="ignore"):
            miss = np.where(spread > 0, 1.0 - ndtr((limit - centre) / spread), (limit < centre).astype(float))
        return staff + self.price * miss

