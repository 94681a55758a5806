"""`recommend_staff`: demand per store-hour + the store file + settings -> the `StaffingSchema` table.

All store-hours, and the mean, optimistic and pessimistic ends of their demand, are computed together as numpy
arrays: one pass for the carried-over load, one staffing search, a few measure evaluations, then the sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner.calendar import hour_names
from planner.errors import PlannerError
from planner.schemas import DemandSchema as D
from planner.schemas import StoreSchema as St
from planner.settings import Settings, StaffingRules
from planner.staffing.carried_load import carried_load
from planner.staffing.explain import HourFacts, explain
from planner.staffing.floor_model import FloorDemand, FloorMeasures, FloorTargets, least_staff, meets_targets
from planner.staffing.hedge import (
    averaged_measures,
    carried_spread,
    chance_targets_met,
    log_spread,
    misses_on_average,
    quantile_factor,
    stated_chance,
    stated_chance_targets_met,
)
from planner.staffing.schema import MISSING, StaffingSchema
from planner.words import agreeing

MINUTES_PER_HOUR = 60.0
HEDGED = 3
"""Row of the plan staffed for the demand's `target_confidence` (or `counted_target_confidence`) quantile (after
the mean, low and high ends)."""
_ENDS = (  # (help-seekers, assisted minutes, self-service, touch minutes) at the mean and each end of the intervals
    (D.assisted_per_hour, D.assisted_minutes_mean, D.self_service_per_hour, D.touch_minutes_mean),
    (D.assisted_per_hour_low, D.assisted_minutes_low, D.self_service_per_hour_low, D.touch_minutes_low),
    (D.assisted_per_hour_high, D.assisted_minutes_high, D.self_service_per_hour_high, D.touch_minutes_high),
)
_NEEDED = (D.store_id, D.weekday, D.hour, D.confidence, *(c for end in _ENDS for c in end), D.current_staff,
           D.lost_customers_per_hour_at_current)
_TARGETS = (  # settings fields a store may override
    "target_service_level", "target_wait_seconds", "patience_minutes", "max_abandon_share")


def recommend_staff(demand: pd.DataFrame, stores: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The least staff per store x weekday x hour meeting the store's service targets (its overrides, else the
    settings'), with the service expected at it, the band over the demand intervals and an explanation.
    Raises PlannerError for a store missing from `stores`, a demand frame without a `DemandSchema` column, or a
    counted hour without the minutes it needs. The frames are not run through pandera here: its first schema in a
    process costs ~0.4 s (it imports dask), most of the `recommend --all` budget; the tests validate the output
    against `StaffingSchema` and `planner.demand` is tested against `DemandSchema`."""
    _check_columns(demand)
    demand = demand.reset_index(drop=True)
    size = len(demand)
    targets, max_staff = _targets(demand, stores, settings)
    missing = (demand[D.confidence] == MISSING).to_numpy() | demand[D.assisted_per_hour].isna().to_numpy()
    ends = [_interval_end(demand, stores, columns, missing) for columns in _ENDS]
    spread = np.where(missing, 0.0, _load_spread(demand, settings.demand.interval_level))
    asked = _confidence(demand, settings.staffing)
    ends.append(replace(ends[0], assisted_per_hour=ends[0].assisted_per_hour * quantile_factor(spread, asked)))
    plan = _plan(demand, ends, missing, targets, settings.staffing)
    staff, at_mean = plan.staff[HEDGED], plan.staff[0]
    low, high = np.minimum(plan.staff[1], staff), np.maximum(plan.staff[2], staff)
    mean = plan.floor.take(slice(0, size))
    # every figure of an hour is over the demand the rule hedged: in an hour staffed for load carried over from
    # earlier hours, over that load's spread, not the hour's own (its own "6 of 10" read below the 65% asked where no
    # one was added; its averaged give-up share, one more's and the comparison's were over the hour's own spread, so
    # one sentence set a chance over one distribution beside an average over another)
    hedged = plan.floor.take(slice(HEDGED * size, (HEDGED + 1) * size))
    carried = (plan.help_load[:size] > plan.own_load[:size]) | (
        plan.help_load[HEDGED * size:(HEDGED + 1) * size] > plan.own_load[HEDGED * size:(HEDGED + 1) * size])
    hedged_spread = np.where(carried, carried_spread(mean.assisted_per_hour, hedged.assisted_per_hour, asked,
                                                     spread), spread)
    measures = averaged_measures(mean, staff, hedged_spread, targets)
    chance = chance_targets_met(mean, staff, hedged_spread, targets)
    chance_at_mean = chance.copy()  # the same where no safety staff were added
    safety = np.flatnonzero(at_mean != staff)
    chance_at_mean[safety] = chance_targets_met(mean.take(safety), at_mean[safety], hedged_spread[safety],
                                                targets.take(safety))
    one_more = _one_more(mean, staff, hedged_spread, targets, measures, missing)
    # the chance in every hour as a sentence writes it beside the chance asked (a count of deciles could not tell
    # 64% from 66%): the file's column and the sentences that state it give the same figure
    exact_met = chance.copy()
    known = np.flatnonzero(~missing)
    if known.size:
        exact_met[known] = stated_chance_targets_met(mean.take(known), staff[known], hedged_spread[known],
                                                     targets.take(known), asked[known], chance[known])
    exact_at_mean = exact_met.copy()
    if safety.size:
        exact_at_mean[safety] = stated_chance_targets_met(mean.take(safety), at_mean[safety], hedged_spread[safety],
                                                          targets.take(safety), asked[safety], chance_at_mean[safety])
    own_load, help_load = plan.own_load[:size], plan.help_load[:size]
    touch_load = mean.touch_load_erlangs
    raised = help_load > own_load
    if raised.any():  # did the carried-over load change the answer, or only the figures?
        rows = np.flatnonzero(raised)
        own = FloorDemand(own_load * MINUTES_PER_HOUR / mean.assisted_minutes, mean.assisted_minutes, touch_load)
        raised[rows] = least_staff(own.take(rows), targets.take(rows)) < staff[rows]
    compare, compare_is_current, at_compare, min_binds = _comparison(demand, mean, staff, targets, missing,
                                                                     hedged_spread)
    # the staff the service targets alone would ask for, where the occupancy ceiling asks for more (its sentence
    # read as if the targets did: "keep 4.8 busy ... with 10, 98% are approached")
    without_ceiling = np.full(size, -1, dtype=np.int64)
    capped = np.flatnonzero(~missing & (targets.max_occupancy < 1.0))
    if capped.size:
        hedged = plan.floor.take(slice(HEDGED * size, (HEDGED + 1) * size)).take(capped)
        loose = replace(targets.take(capped), max_occupancy=np.ones(capped.size))
        fewer = least_staff(hedged, loose)
        without_ceiling[capped] = np.where(fewer < staff[capped], fewer, -1)
    facts = HourFacts(
        missing=missing, low_confidence=(demand[D.confidence] == "low").to_numpy(),
        never_counted=(demand[D.observed_hours] == 0).to_numpy() if D.observed_hours in demand.columns
        else np.zeros(size, dtype=bool),
        assisted_per_hour=_floats(demand, D.assisted_per_hour),
        assisted_minutes=_floats(demand, D.assisted_minutes_mean),
        self_service_per_hour=_floats(demand, D.self_service_per_hour),
        touch_minutes=_floats(demand, D.touch_minutes_mean), help_load_erlangs=own_load,
        touch_load_erlangs=touch_load, planned_load_erlangs=help_load + touch_load, carried_over=raised,
        peak_hour=plan.peak_hour[:size], staff=staff, service_level=measures.service_level,
        abandon_share=measures.abandon_share, compare_staff=compare, compare_is_current=compare_is_current,
        compare_service_level=at_compare.service_level,
        compare_abandon_share=at_compare.abandon_share, averaged=hedged_spread > 0, target_wait_seconds=targets.target_wait_seconds,
        min_staff_binds=min_binds, max_staff=max_staff, staff_low=low, staff_high=high,
        staff_without_ceiling=without_ceiling, max_occupancy=targets.max_occupancy,
        safety_staff=staff - at_mean, chance_met=exact_met, chance_met_at_mean=exact_at_mean, asked_chance=asked,
        target_service_level=targets.target_service_level, max_abandon_share=targets.max_abandon_share,
        one_more_service_level=one_more.service_level, one_more_abandon_share=one_more.abandon_share,
        observed_hours=demand[D.observed_hours].to_numpy(dtype=np.int64),
        borrowed_from=(demand[D.borrowed_from].astype(str).to_numpy() if D.borrowed_from in demand
                       else np.full(size, "")),
    )
    S = StaffingSchema
    out = pd.DataFrame({
        S.store_id: pd.Series(demand[D.store_id].to_numpy(), dtype="str"),
        S.weekday: demand[D.weekday].to_numpy(dtype=np.int64),
        S.hour: demand[D.hour].to_numpy(dtype=np.int64),
        S.assisted_per_hour: facts.assisted_per_hour,
        S.self_service_per_hour: facts.self_service_per_hour,
        S.assisted_minutes_mean: facts.assisted_minutes,
        S.touch_minutes_mean: facts.touch_minutes,
        S.offered_load_erlangs: _unless(missing, own_load + touch_load),
        S.required_staff: _whole(staff, missing),
        S.required_staff_low: _whole(low, missing),
        S.required_staff_high: _whole(high, missing),
        S.expected_service_level: _unless(missing, measures.service_level),
        S.expected_abandon_share: _unless(missing, measures.abandon_share),
        S.expected_wait_seconds: _unless(missing, measures.mean_wait_seconds),
        S.utilisation: _unless(missing, measures.utilisation),
        S.confidence: pd.Series(demand[D.confidence].to_numpy(), dtype="str"),
        S.current_staff: _floats(demand, D.current_staff),
        S.lost_customers_per_hour_at_current: _lost_at_current(demand, mean, hedged_spread, targets, missing),
        S.safety_staff: _whole(staff - at_mean, missing),
        S.chance_targets_met: _unless(missing, stated_chance(exact_met, asked)),
        S.explanation: pd.Series(explain(facts), dtype="str"),
    })
    return out


def capped_high(high: np.ndarray, staff: np.ndarray, max_staff) -> tuple[np.ndarray, np.ndarray]:
    """The high end of each hour's likely range (required_staff_high) as a page shows it, and where it was cut: above
    the store's `max_staff` (NaN or None: no maximum) it stops there, or at the recommendation if that is higher (a
    recommendation above the maximum is kept and said). The low end needs no floor: the staff search already holds
    every end at min_staff."""
    high, staff = np.asarray(high, dtype=float), np.asarray(staff, dtype=float)
    ceiling = np.maximum(np.nan if max_staff is None else float(max_staff), staff)  # NaN maximum: NaN ceiling
    cut = high > ceiling  # False against NaN
    return np.where(cut, ceiling, high), cut


@dataclass(frozen=True)
class _End:
    """One end of the demand intervals (or their mean), as arrays."""

    assisted_per_hour: np.ndarray
    """0 in a missing row."""
    assisted_minutes: np.ndarray
    """NaN where not known."""
    touch_minutes: np.ndarray
    touch_load_erlangs: np.ndarray


@dataclass(frozen=True)
class _Plan:
    """The mean, low and high ends stacked (3 x rows): what each was staffed for, and the staff."""

    floor: FloorDemand
    own_load: np.ndarray
    """Help-seekers' load of the hour itself, λS, in Erlangs."""
    help_load: np.ndarray
    """The help-seekers' load staffed for: the hour's own, or for long services the load carried over if higher."""
    peak_hour: np.ndarray
    staff: np.ndarray
    """int64, shape (3, rows)."""


def _plan(demand, ends: list[_End], missing, targets: FloorTargets, rules: StaffingRules) -> _Plan:
    """Staff every end of the intervals in one search, with the carried-over load of long services."""
    copies = len(ends)
    codes = pd.factorize(demand[D.store_id])[0]
    store_keys = np.concatenate([codes + i * (codes.max(initial=0) + 1) for i in range(copies)])
    lam = np.concatenate([e.assisted_per_hour for e in ends])
    minutes = np.concatenate([e.assisted_minutes for e in ends])
    touch_minutes = np.concatenate([e.touch_minutes for e in ends])
    weekday, hour = (np.tile(demand[c].to_numpy(), copies) for c in (D.weekday, D.hour))
    carried = carried_load(store_keys, weekday, hour, np.where(np.tile(missing, copies), np.nan, lam), minutes,
                           quantile=rules.time_varying_load_quantile)
    filled = carried.service_minutes
    own_load = np.where(lam > 0, lam * np.nan_to_num(minutes) / MINUTES_PER_HOUR, 0.0)
    long_service = np.nan_to_num(filled) >= rules.time_varying_min_service_minutes
    help_load = np.where(long_service, np.maximum(own_load, carried.load_erlangs), own_load)
    # Where nobody seeks help, the minutes only scale the touches' help-seeker-equivalents: any will do.
    service = np.where(np.isfinite(filled), filled, np.where(touch_minutes > 0, touch_minutes, 1.0))
    floor = FloorDemand(help_load * MINUTES_PER_HOUR / service, service,
                        np.concatenate([e.touch_load_erlangs for e in ends]))
    every_end = FloorTargets(*(np.tile(getattr(targets, name), copies) for name in FloorTargets.__dataclass_fields__))
    staff = least_staff(floor, every_end).reshape(copies, len(demand))
    return _Plan(floor, own_load, help_load, carried.peak_hour, staff)


def _confidence(demand: pd.DataFrame, rules: StaffingRules) -> np.ndarray:
    """Each row's chance to meet the targets over its demand's spread: `counted_target_confidence` where the hour
    was counted often enough to be `high` (its spread is its own counts' sampling error), else `target_confidence`."""
    counted = (demand[D.confidence] == "high").to_numpy()
    return np.where(counted, rules.counted_target_confidence, rules.target_confidence)


def _load_spread(demand: pd.DataFrame, interval_level: float) -> np.ndarray:
    """Log-spread of the help-seekers' load λS: the rate's and the minutes' log-spreads added in quadrature."""
    rate = log_spread(*(_floats(demand, end[0]) for end in _ENDS), interval_level)
    minutes = log_spread(*(_floats(demand, end[1]) for end in _ENDS), interval_level)
    return np.sqrt(rate**2 + minutes**2)


def _check_columns(demand: pd.DataFrame) -> None:
    absent = [c for c in _NEEDED if c not in demand.columns]
    if absent:
        raise PlannerError(f"the demand table lacks {agreeing(len(absent), 'column')} {', '.join(absent)}: it does not "
                           "come from planner.demand")


def _targets(demand: pd.DataFrame, stores: pd.DataFrame, settings: Settings) -> tuple[FloorTargets, np.ndarray]:
    """Each row's targets: the store's override where it has one, else the settings'."""
    unknown = sorted(set(demand[D.store_id]) - set(stores[St.store_id]))
    if unknown:
        raise PlannerError(f"demand for {agreeing(len(unknown), 'store')} not in the store file: "
                           f"{', '.join(map(str, unknown))}")
    by_store = stores.drop_duplicates(St.store_id).set_index(St.store_id)
    store_of_row = by_store.index.get_indexer(demand[D.store_id])  # every row's store is known (checked above)

    def per_row(column, default) -> np.ndarray:
        fallback = np.nan if default is None else float(default)
        if column not in by_store.columns:
            return np.full(len(demand), fallback)
        values = by_store[column].astype("Float64").fillna(fallback).to_numpy(dtype=float, na_value=np.nan)
        return values[store_of_row]

    chosen = {name: per_row(getattr(St, name), getattr(settings.targets, name)) for name in _TARGETS}
    max_occupancy = settings.targets.max_occupancy
    targets = FloorTargets(
        **chosen, max_occupancy=np.full(len(demand), 1.0 if max_occupancy is None else max_occupancy),
        min_staff=per_row(St.min_staff, settings.targets.min_staff),
    )
    return targets, per_row(St.max_staff, None)


def _interval_end(demand: pd.DataFrame, stores: pd.DataFrame, columns, missing: np.ndarray) -> _End:
    """One end of the intervals; an end that is NA takes the mean, and a missing row has no arrivals. `stores`: their
    opening hours name an hour a refusal points at."""
    values = []
    for column, mean_column in zip(columns, _ENDS[0], strict=True):
        value = _floats(demand, column)
        values.append(np.where(np.isnan(value), _floats(demand, mean_column), value))
    lam, minutes, self_service, touch_minutes = values
    lam = np.where(missing, 0.0, lam)
    self_service = np.where(missing, 0.0, np.nan_to_num(self_service))
    _check_known(demand, stores, ~missing & (lam > 0) & ~(minutes > 0), columns[1])
    _check_known(demand, stores, (self_service > 0) & np.isnan(touch_minutes), columns[3])
    touch_minutes = np.where(self_service > 0, touch_minutes, 0.0)
    return _End(lam, np.where(minutes > 0, minutes, np.nan), touch_minutes,
                self_service * touch_minutes / MINUTES_PER_HOUR)


def _check_known(demand: pd.DataFrame, stores: pd.DataFrame, bad: np.ndarray, column: str) -> None:
    """Refuses `bad` rows, naming the first few hours as the store opens (`hour_names`): Saturday 18:00-02:00's
    Sunday 00:00 by the clock is "Sat 00:00+1"."""
    if bad.any():
        first = demand.loc[bad, [D.store_id, D.weekday, D.hour]].head(3)
        where = ", ".join(f"{store} {hour}" for store, hour in zip(first[D.store_id].tolist(),
                                                                   hour_names(first, stores), strict=True))
        raise PlannerError(f"{column} is unknown in hours with customers ({where}"
                           f"{', ...' if bad.sum() > 3 else ''}): their counts never gave those minutes")


def _comparison(demand, mean: FloorDemand, staff, targets: FloorTargets, missing, spread):
    """A smaller staff to set each recommendation against: the staff on the floor now if fewer, else one fewer
    than recommended, unless the store's minimum (not the targets) set the recommendation."""
    below = np.maximum(staff - 1, 0)
    min_binds = ~missing & (staff == targets.min_staff)
    at_min = np.flatnonzero(min_binds & (staff > 0))  # does one fewer meet the targets too? asked only here
    min_binds[at_min] = meets_targets(mean.take(at_min), below[at_min], targets.take(at_min))
    current = np.round(demand[D.current_staff].to_numpy(dtype=float, na_value=np.nan))
    is_current = ~np.isnan(current) & (current < staff)
    helped = mean.assisted_per_hour > 0
    compare = np.where(is_current, np.nan_to_num(current), np.where(staff >= 1, below, -1)).astype(np.int64)
    compare = np.where(~missing & helped & ~min_binds, compare, -1)
    at_compare = averaged_measures(mean, np.maximum(compare, 0), spread, targets)
    return compare, is_current & (compare >= 0), at_compare, min_binds


def _one_more(mean: FloorDemand, staff: np.ndarray, spread: np.ndarray, targets: FloorTargets,
              measures: FloorMeasures, missing: np.ndarray) -> FloorMeasures:
    """The averaged measures with one more person, in the hours whose averaged measures miss a target although the
    staff meet the targets with the stated chance (NaN elsewhere): what the explanation offers in their place."""
    late, give_up = misses_on_average(measures.service_level, measures.abandon_share, targets.target_service_level,
                                      targets.max_abandon_share)
    rows = np.flatnonzero(~missing & (late | give_up))
    names = list(FloorMeasures.__dataclass_fields__)
    figures = {name: np.full(len(staff), np.nan) for name in names}
    if rows.size:
        more = averaged_measures(mean.take(rows), staff[rows] + 1, spread[rows], targets.take(rows))
        for name in names:
            figures[name][rows] = getattr(more, name)
    return FloorMeasures(**figures)


def _lost_at_current(demand: pd.DataFrame, mean: FloorDemand, spread: np.ndarray, targets: FloorTargets,
                     missing: np.ndarray) -> np.ndarray:
    """Help-seekers per hour who give up with the staff on duty when counted (`current_staff`, a mean over the
    counted hours: between two whole staff, the give-up share is interpolated), by the same model and averaged over
    the same demand spread as the figures at the recommendation, so fewer staff never lose fewer customers on one
    page. NaN where the demand stage gives no loss at the current staff (staff never counted, or a dated week whose
    demand factor moved the demand away from what was counted)."""
    current = _floats(demand, D.current_staff)
    counted_loss = np.isfinite(_floats(demand, D.lost_customers_per_hour_at_current))
    rows = np.flatnonzero(~missing & np.isfinite(current) & counted_loss)
    lost = np.full(len(demand), np.nan)
    if rows.size:
        staff = np.maximum(current[rows], 0.0)
        fewer, weight = np.floor(staff), staff - np.floor(staff)
        give_up = averaged_measures(mean.take(rows), fewer, spread[rows], targets.take(rows)).abandon_share
        between = np.flatnonzero(weight > 0)  # most cells had the same staff in every counted hour: one evaluation
        if between.size:
            part = rows[between]
            more = averaged_measures(mean.take(part), fewer[between] + 1.0, spread[part], targets.take(part))
            give_up[between] += weight[between] * (more.abandon_share - give_up[between])
        lost[rows] = _floats(demand, D.assisted_per_hour)[rows] * give_up
    return lost


def _floats(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].to_numpy(dtype=float, na_value=np.nan)


def _unless(missing: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.where(missing, np.nan, values)


def _whole(values: np.ndarray, missing: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype(np.int64), missing.copy())
