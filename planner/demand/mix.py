"""Help-seekers per hour as all customers per hour x the help-seekers' share of them: `help_from_customers`.

A help-seeker who gives up is tallied as self-service, so the customers counted in an hour (assisted + self-service)
are counted whole whatever the staff did, and there are two to three times as many of them as help-seekers: their
pooled rate (`planner.demand.pooled`) carries less Poisson noise than the help-seekers' own, most of all where a
store counted only a few windows. The help-seekers' share of the customers moves far less over the day than either
rate, so it is read from all the store's counted hours together and bent per hour only as far as the counts show:

    help[s, w, h] = customers[s, w, h] x share[s] x bend[s, group(w), h]

- `share`: the store's help-seekers over its customers, in its counted hours.
- `bend`, in two steps, per group of similar weekdays (`DemandRules.similar_weekdays`) and clock hour:
  1. the hour's help-seekers over share x its customers, smoothed over neighbouring hours
     (`own_shape_bandwidth_hours`) and shrunk toward 1 as a Gamma-Poisson posterior whose prior log-spread is read
     from the counts (empirical Bayes: how far the counted hours' shares stray from their store's beyond binomial
     noise, plus that estimate's standard error; at least `min_share_spread`);
  2. each counted hour's own share against that smooth one, weighted as far as the counted hours depart from their
     smooth shares at all (the same reading); an hour counted three times or more that clearly departs (a sharp
     peak; `planner.demand.pooled.CLEAR_DEPARTURE`) keeps its own. So a store counted for weeks keeps its own
     share per hour, one counted for a few windows its whole-store share.
- Uncertainty (log scale, added up): the customers' rate, the store's share (binomial), the bend's posterior, and
  the censoring correction's own error (`censoring_model_error` x the log of corrected / served help-seekers in
  the hours the share is read from); the interval is log-normal, as the pooled rates'.

The help-seekers may be the served (as counted) or the corrected ones (`planner.demand`): both are read against the
same customers, so where nothing was corrected the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri  # the normal quantile; scipy.stats would add 0.5 s to every start

from planner.demand.pooled import (CLEAR_DEPARTURE, HOURS_PER_DAY, _group_of_weekday, business_hours,
                                   by_business_day, excess_log_variance, no_rise_past_counts)
from planner.settings import DemandRules


@dataclass(frozen=True)
class HelpRates:
    """Help-seekers per hour per (stores, 7, 24) cell (NaN where the customers' rate is unknown)."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray


@dataclass(frozen=True)
class _Counted:
    """The counted hours summed per (stores, weekday groups, 24) cell, in the fit's weights."""

    help_seekers: np.ndarray
    customers: np.ndarray
    hours: np.ndarray
    """Counted hours (unweighted)."""


def help_from_customers(
    store: np.ndarray, weekday: np.ndarray, hour: np.ndarray, help_seekers: np.ndarray, customers: np.ndarray,
    weight: np.ndarray, customers_mean: np.ndarray, customers_log_sd: np.ndarray, log_correction: np.ndarray,
    rules: DemandRules, boundary: int = 0,
) -> HelpRates:
    """Help-seekers per hour from the customers' pooled rate (`customers_mean`, `customers_log_sd`: (stores, 7, 24))
    and the counted hours (one element each: store index, weekday, hour, help-seekers, customers = assisted +
    self-service as counted, the hour's weight in the fit, and the log of its censoring correction: 0 where none).
    The share's days start at `boundary` o'clock, as the pooled rates' do (`planner.demand.pooled.day_boundary`):
    an hour after midnight of a late opening bends with its evening."""
    weekday, hour = business_hours(weekday, hour, boundary)
    rates = _help_by_day(store, weekday, hour, help_seekers, customers, weight, by_business_day(
        customers_mean, boundary), by_business_day(customers_log_sd, boundary), log_correction, rules)
    # as the customers' rate, the help-seekers' does not rise into hours nobody in the chain counted
    with np.errstate(divide="ignore", invalid="ignore"):
        lowered = no_rise_past_counts(rates.mean, np.bincount(hour, minlength=HOURS_PER_DAY) > 0) / rates.mean
    lowered = np.where(np.isfinite(lowered), lowered, 1.0)
    return HelpRates(*(by_business_day(part * lowered, -boundary) for part in (rates.mean, rates.low, rates.high)))


def _help_by_day(
    store: np.ndarray, weekday: np.ndarray, hour: np.ndarray, help_seekers: np.ndarray, customers: np.ndarray,
    weight: np.ndarray, customers_mean: np.ndarray, customers_log_sd: np.ndarray, log_correction: np.ndarray,
    rules: DemandRules,
) -> HelpRates:
    """`help_from_customers` with (weekday, hour) and the arrays already those of the model's days."""
    stores = customers_mean.shape[0]
    groups = _group_of_weekday(rules.similar_weekdays)
    shape = (stores, groups.max() + 1, HOURS_PER_DAY)
    flat = (store * shape[1] + groups[weekday]) * HOURS_PER_DAY + hour
    size = int(np.prod(shape))
    counted = _Counted(np.bincount(flat, weight * help_seekers, size).reshape(shape),
                       np.bincount(flat, weight * customers, size).reshape(shape),
                       np.bincount(flat, minlength=size).reshape(shape))
    store_y = counted.help_seekers.sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = ((store_y + rules.min_prior_customers)
                 / (counted.customers.sum(axis=(1, 2)) + 2 * rules.min_prior_customers))
    offsets = np.arange(HOURS_PER_DAY)
    kernel = np.exp(-0.5 * ((offsets[:, None] - offsets[None, :]) / rules.own_shape_bandwidth_hours) ** 2)
    bend, bend_var = _smooth_bend(counted, share, kernel, rules)
    bend, bend_var = _own_hours(counted, share, bend, bend_var, rules)
    member = np.eye(shape[1])[groups]  # 7 x groups
    bend = np.einsum("sgh,wg->swh", bend, member)
    bend_var = np.einsum("sgh,wg->swh", bend_var, member)
    mean = customers_mean * share[:, None, None] * bend
    share_var = (1.0 - share) / np.maximum(store_y, rules.min_prior_customers)
    correction = _correction_near(flat, weight * customers, log_correction, shape, kernel)[:, groups, :]
    log_sd = np.sqrt(customers_log_sd**2 + share_var[:, None, None] + bend_var
                     + (rules.censoring_model_error * correction) ** 2)
    z = ndtri(0.5 + rules.interval_level / 2.0)
    return HelpRates(mean, mean * np.exp(-z * log_sd), mean * np.exp(z * log_sd))


def _smooth_bend(counted: _Counted, share: np.ndarray, kernel: np.ndarray, rules: DemandRules):
    """Step 1: the hour's share over the store's, smoothed over neighbouring hours and shrunk toward 1. Returns the
    bend and its log-variance per (store, group, hour)."""
    y = counted.help_seekers
    expected = counted.customers * share[:, None, None]  # help-seekers each hour would have at the store's share
    spread = _share_departure(y, expected, share, rules)
    smooth_y, smooth_e = y @ kernel, expected @ kernel
    information = np.where(smooth_y > 0, smooth_y**2 / np.maximum(y @ kernel**2, 1e-12), smooth_e)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(smooth_e > 0, smooth_y / smooth_e, 1.0)
    k = 1.0 / spread
    return 1.0 + information / (information + k) * (ratio - 1.0), 1.0 / (information + k)


def _own_hours(counted: _Counted, share: np.ndarray, bend: np.ndarray, bend_var: np.ndarray, rules: DemandRules):
    """Step 2: each counted hour's own share against the smooth one, weighted w = departure / (departure + own
    noise); a clear departure of an hour counted often enough is its own."""
    y, seen = counted.help_seekers, counted.customers > 0
    smoothed = counted.customers * share[:, None, None] * bend
    departure = _share_departure(y, smoothed, share, rules)
    with np.errstate(divide="ignore", invalid="ignore"):
        own_var = np.where(seen, (1.0 - share[:, None, None]) / np.maximum(smoothed, rules.min_prior_customers),
                           np.inf)
        own_ratio = np.where(smoothed > 0, y / smoothed, 1.0)
    residual = np.log((y + rules.min_prior_customers) / (smoothed + rules.min_prior_customers))
    clear = ((counted.hours >= rules.min_hours_for_high_confidence)
             & (residual**2 > CLEAR_DEPARTURE * (departure + own_var)))
    departure = np.where(clear, residual**2 - own_var, departure)
    own = np.where(seen, departure / (departure + own_var), 0.0)
    return (bend * (1.0 + own * (own_ratio - 1.0)),
            (1.0 - own) ** 2 * (bend_var + departure) + own**2 * np.where(seen, own_var, 0.0))


def _share_departure(y: np.ndarray, expected: np.ndarray, share: np.ndarray, rules: DemandRules) -> float:
    """Log-variance of counted hours' true help-seeker shares around `expected` / customers, beyond binomial noise
    (1 - share) / expected (`excess_log_variance`), at least `min_share_spread`^2."""
    seen = expected > 0
    noise = ((1.0 - share[:, None, None]) / np.maximum(expected, rules.min_prior_customers))[seen]
    return excess_log_variance(y[seen], expected[seen], noise, rules.min_share_spread**2, rules)


def _correction_near(flat: np.ndarray, customers: np.ndarray, log_correction: np.ndarray, shape: tuple,
                     kernel: np.ndarray) -> np.ndarray:
    """Per (store, group, hour), the censoring correction (log of corrected / served help-seekers) of the counted
    hours its share is read from: weighted by customers and smoothed over neighbouring hours as the bend is; the
    store's mean where no counted hour is near."""
    size = int(np.prod(shape))
    total = np.bincount(flat, customers * log_correction, size).reshape(shape)
    n = np.bincount(flat, customers, size).reshape(shape)
    store_n = n.sum(axis=(1, 2))
    store_mean = total.sum(axis=(1, 2)) / np.maximum(store_n, 1e-12)
    near_n = n @ kernel
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(near_n > 1e-3 * store_n[:, None, None], (total @ kernel) / near_n, store_mean[:, None, None])
