"""Help-seekers and self-service touches on the same staff: service measures for a staff count, and the least staff
meeting every target, for many store-hours at once.

Public: `FloorDemand`, `FloorTargets`, `FloorMeasures`, `floor_measures`, `meets_targets`, `least_staff`.
Units: arrivals per hour, minutes per customer, loads in Erlangs, waits in seconds, shares as fractions. Why the two
classes combine as they do is told in the `planner.staffing` docstring ("How the two kinds of customer share the
staff").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import xlogy

from planner.erlang import erlang_a_outcome, erlang_a_probabilities, offered_load_erlangs, required_staff
from planner.queueing.staffing_search import least_staff_meeting

MINUTES_PER_HOUR = 60.0
_NO_LOAD_ERLANGS = 1e-100  # planner.queueing's threshold for "no arrivals"
_RATIO_MIN_PROB_WAIT = 1e-6  # below, 1 - service level keeps too few digits to divide by P(wait)
_SERIES_TAIL = 1e-13  # the series stops when its terms have fallen this far
_SERIES_MAX_TERMS = 2000
_TINY = np.finfo(float).tiny
_MAX_PATIENCE_STRETCH = 1e6  # beyond, Erlang A's probability of waiting is Erlang C's to 6 digits


@dataclass(frozen=True)
class FloorDemand:
    """One array element per store-hour. `assisted_minutes` may be anything positive where nobody seeks help."""

    assisted_per_hour: np.ndarray
    assisted_minutes: np.ndarray
    touch_load_erlangs: np.ndarray
    """Staff busy with self-service touches: self_service_per_hour * touch_minutes / 60."""

    @property
    def assisted_load_erlangs(self) -> np.ndarray:
        return offered_load_erlangs(self.assisted_per_hour, self.assisted_minutes)

    def take(self, rows) -> FloorDemand:
        return FloorDemand(self.assisted_per_hour[rows], self.assisted_minutes[rows], self.touch_load_erlangs[rows])


@dataclass(frozen=True)
class FloorTargets:
    """Per store-hour targets for the help-seekers, and the floor on staff."""

    target_service_level: np.ndarray
    target_wait_seconds: np.ndarray
    patience_minutes: np.ndarray
    max_abandon_share: np.ndarray
    max_occupancy: np.ndarray
    """1 where there is no ceiling."""
    min_staff: np.ndarray

    def take(self, rows) -> FloorTargets:
        return FloorTargets(*(getattr(self, name)[rows] for name in self.__dataclass_fields__))


@dataclass(frozen=True)
class FloorMeasures:
    """The help-seekers' measures at a staff count (abandoners are failures), and the staff's busy share."""

    service_level: np.ndarray
    abandon_share: np.ndarray
    mean_wait_seconds: np.ndarray
    """Over all help-seekers, abandoners' time until they gave up included."""
    utilisation: np.ndarray
    """Help-seekers served plus touches, per member of staff; 1 when the work exceeds the staff."""


def floor_measures(demand: FloorDemand, staff, *, patience_minutes, target_wait_seconds) -> FloorMeasures:
    """The help-seekers' service level within the target wait, abandonment and mean wait with `staff` on the
    floor, touches being served first. Where staff do not exceed the touch load, help-seekers are never reached."""
    staff = np.asarray(staff, dtype=float)
    lam, service, touch = demand.assisted_per_hour, demand.assisted_minutes, demand.touch_load_erlangs
    lam, service, touch, staff, patience, wait = np.broadcast_arrays(
        lam, service, touch, staff, patience_minutes, target_wait_seconds)
    # Whether a help-seeker must wait: all staff busy with the floor's whole workload, touches counted as
    # help-seeker-equivalents (the same staff-minutes in fewer, longer visits) who never give up: the line's
    # patience is the help-seekers' stretched by the share of it they make up. Only its P(wait) is used.
    help_load = offered_load_erlangs(lam, service)
    stretch = 1.0 + touch / np.maximum(help_load, np.maximum(touch / _MAX_PATIENCE_STRETCH, _TINY))
    pooled = erlang_a_outcome(lam + touch * MINUTES_PER_HOUR / service, service, staff,
                              patience_minutes=patience * stretch)
    # How a waiting help-seeker fares: the line moves on the capacity touches leave, each service stretched
    # by 1 / (1 - touch/staff).
    reachable = staff > touch
    left = np.where(reachable, 1.0 - touch / np.where(staff > 0, staff, 1.0), 1.0)
    line_service = service / left
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # staff barely above the touch load stretch services without bound: Erlang A's limit, nobody served, holds
        line = erlang_a_probabilities(lam, line_service, staff, patience_minutes=patience, target_wait_seconds=wait)
    fail_if_waited, abandon_if_waited = _outcome_if_waited(line, lam, line_service, staff, patience, wait)
    prob_wait = np.where(reachable, pooled.prob_wait, 1.0)
    abandon = np.where(reachable, prob_wait * abandon_if_waited, 1.0)
    arrivals = lam * service > _NO_LOAD_ERLANGS
    abandon = np.where(arrivals, abandon, 0.0)
    service_level = np.where(arrivals & reachable, 1.0 - prob_wait * fail_if_waited, np.where(arrivals, 0.0, 1.0))
    mean_wait = abandon * MINUTES_PER_HOUR * patience  # Erlang A: E[W] = P(Ab) / θ
    work = offered_load_erlangs(lam, service) * (1.0 - abandon) + touch
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(staff > 0, np.minimum(work / staff, 1.0), np.where(work > 0, 1.0, 0.0))
    return FloorMeasures(service_level, abandon, mean_wait, utilisation)


def _outcome_if_waited(line, lam, service, staff, patience, wait) -> tuple[np.ndarray, np.ndarray]:
    """P(not served within t | waited) and P(gives up | waited) in the Erlang A queue `line`: its unconditional
    measures over P(wait), except where P(wait) is so small that 1 - service level has lost its digits; there, from
    the queue a waiting customer finds (see `_if_waited_by_series`)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        fail = (1.0 - line.service_level_all_arrivals) / line.prob_wait
        abandon = line.prob_abandon / line.prob_wait
    x, y = staff * patience / service, lam / MINUTES_PER_HOUR * patience  # nμ/θ and λ/θ
    light = (line.prob_wait < _RATIO_MIN_PROB_WAIT) & (y < x) & (staff > 0)
    if light.any():
        fail[light], abandon[light] = _if_waited_by_series(
            x[light], y[light], wait[light] / (MINUTES_PER_HOUR * patience[light]))
    fail = np.clip(np.nan_to_num(fail, nan=1.0), 0.0, 1.0)
    return fail, np.clip(np.nan_to_num(abandon, nan=1.0), 0.0, fail)


def _if_waited_by_series(x, y, patiences_in_target) -> tuple[np.ndarray, np.ndarray]:
    """Erlang A given a wait, summed over the j customers a waiting arrival finds ahead (P(j) ∝ y^j Γ(x+1)/Γ(x+j+1),
    see `planner.queueing.erlang_a`): with U ~ Beta(x, j+1) the offered wait is -ln(U)/θ and the customer is served
    with probability U, so P(served | j) = x/(x+j+1) and P(served within t | j) = x/(x+j+1) (1 - I_z(x+1, j+1)),
    z = e^-θt. For y < x the terms fall at least as fast as (y/(x+1))^j: each row is summed until they have fallen
    by `_SERIES_TAIL`, its count of terms rounded up to a power of two, and rows with the same count together, so a
    row's figures do not depend on which other rows are evaluated with it."""
    ratio = y / (x + 1.0)
    with np.errstate(divide="ignore"):
        needed = np.where(ratio > 0, np.ceil(np.log(_SERIES_TAIL) / np.log(ratio)), 0.0)
    terms = np.minimum(2 ** np.ceil(np.log2(np.minimum(needed, _SERIES_MAX_TERMS) + 1.0)), _SERIES_MAX_TERMS + 1)
    fail, abandon = np.empty(x.shape), np.empty(x.shape)
    for count in np.unique(terms):
        rows = terms == count
        fail[rows], abandon[rows] = _series_of_terms(x[rows], y[rows], patiences_in_target[rows], int(count))
    return fail, abandon


def _series_of_terms(x, y, patiences_in_target, terms: int) -> tuple[np.ndarray, np.ndarray]:
    """`_if_waited_by_series` over j = 0 .. `terms` - 1 for every row."""
    j = np.arange(terms)[None, :]
    xs, ys = x[:, None], y[:, None]
    # ln(y^j Γ(x+1)/Γ(x+j+1)) = j ln y - Σ_{i=1..j} ln(x+i)
    log_weight = xlogy(j, ys) - np.cumsum(np.concatenate([np.zeros((x.size, 1)), np.log(xs + j[:, 1:])], axis=1),
                                          axis=1)
    weight = np.exp(log_weight - log_weight.max(axis=1, keepdims=True))
    weight /= weight.sum(axis=1, keepdims=True)
    served = xs / (xs + j + 1.0)
    within = served * _beta_upper_tails(xs + 1.0, terms, patiences_in_target[:, None])
    return 1.0 - (weight * within).sum(axis=1), 1.0 - (weight * served).sum(axis=1)


def _beta_upper_tails(a: np.ndarray, terms: int, minus_log_z: np.ndarray) -> np.ndarray:
    """1 - I_z(a, b) for b = 1 .. `terms` (columns), z = e^-`minus_log_z`, per row of `a` (a column): from
    I_z(a, 1) = z^a and I_z(a, b + 1) = I_z(a, b) + z^a (1 - z)^b / (b B(a, b)), each added term the last one times
    (1 - z)(a + b - 1)/b, summed in logs so that none underflows before it counts. Every term is positive, so the
    sum keeps its absolute accuracy (what `_if_waited_by_series` needs); scipy's betaincc, element by element,
    took most of its time."""
    b = np.arange(1, terms)[None, :]
    with np.errstate(divide="ignore"):  # z = 1 (no wait allowed): ln(1 - z) = -inf, every added term 0
        log_rest = np.log(-np.expm1(-minus_log_z))
    log_z = -minus_log_z
    log_first = a * log_z  # ln I_z(a, 1)
    # ln of I_z(a, b + 1) - I_z(a, b) for b = 1 .. terms - 1: ln(a z^a (1 - z)) plus the ratios' logs
    log_steps = np.log(a + b - 1.0) - np.log(b) + log_rest
    log_added = log_first + np.cumsum(log_steps, axis=1)
    lower = np.cumsum(np.exp(np.concatenate([np.broadcast_to(log_first, (a.shape[0], 1)), log_added], axis=1)),
                      axis=1)
    return np.clip(1.0 - lower, 0.0, 1.0)


def meets_targets(demand: FloorDemand, staff, targets: FloorTargets) -> np.ndarray:
    """Whether `staff` meet every target: service level, abandonment, occupancy (touches included), and - where
    anyone seeks help - more staff than the touches alone keep busy."""
    m = floor_measures(demand, staff, patience_minutes=targets.patience_minutes,
                       target_wait_seconds=targets.target_wait_seconds)
    helped = demand.assisted_load_erlangs > _NO_LOAD_ERLANGS
    return ((m.service_level >= targets.target_service_level) & (m.abandon_share <= targets.max_abandon_share)
            & (m.utilisation <= targets.max_occupancy) & ((staff > demand.touch_load_erlangs) | ~helped))


def least_staff(demand: FloorDemand, targets: FloorTargets) -> np.ndarray:
    """The least staff of each store-hour meeting every target (int64): service level, abandonment, occupancy
    (touches included) and the minimum staff. Bisection between a bound no answer lies below and one found by
    doubling from the pooled workload's Erlang A answer; the measures only improve as staff are added."""
    help_load, touch = demand.assisted_load_erlangs, demand.touch_load_erlangs
    helped = help_load > _NO_LOAD_ERLANGS
    # Staff serve at most what touches leave, so the service level and the served share are at most
    # (staff - touch) / help_load; and staff must exceed the touch load for help-seekers to be reached at all.
    share = np.maximum(targets.target_service_level, 1.0 - targets.max_abandon_share)
    low = np.maximum(np.floor(touch + np.where(helped, help_load * share, 0.0)), targets.min_staff)
    low = np.maximum(low, np.where(helped | (touch > 0), np.floor(touch) + 1.0, 0.0))
    low = np.maximum(low, np.floor(touch / targets.max_occupancy))
    guess = required_staff(
        demand.assisted_per_hour + touch * MINUTES_PER_HOUR / demand.assisted_minutes, demand.assisted_minutes,
        target_service_level=targets.target_service_level, target_wait_seconds=targets.target_wait_seconds,
        patience_minutes=targets.patience_minutes, max_abandon_share=targets.max_abandon_share,
        max_occupancy=targets.max_occupancy)
    high = np.maximum(guess.astype(float), low)
    step = np.maximum(np.ceil(np.sqrt(help_load + touch)), 1.0)

    def meets(rows, staff):
        return meets_targets(demand.take(rows), staff, targets.take(rows))

    # the pooled workload's answer is this search's own in 98% of store-hours (one short in the rest)
    return least_staff_meeting(meets, low, high, step, guess_is_close=True)
