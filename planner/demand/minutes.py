"""Staff minutes per customer, pooled robustly per store and shrunk per cell toward the store's mean.

Inputs are one element per counted hour: the store's index, the cell's slot, the customers of one kind and the staff
minutes spent on them. Outputs are per slot (store x weekday x hour, flattened). See `planner.demand` for the method.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import gammaincinv

from planner.settings import DemandRules

LOWER_QUARTILE, UPPER_QUARTILE = 0.25, 0.75
EXPONENTIAL_SERVICE_VARIANCE = 1.0
"""Squared coefficient of variation of exponential service times: assumed when the counts cannot tell."""
MIN_SERVICE_VARIANCE = 0.01
"""Least squared coefficient of variation of one customer's minutes read from the counts (times spread by 10%):
counts whose minutes per customer never vary (typed in as a round figure) do not make a cell's mean exact."""
OTHER_STORE_MINUTES_SPREAD = 0.5
"""Log-scale spread of a store's mean minutes per customer around the chain's: the error of the chain's mean lent to
a store whose counts never had a customer of that kind (the accuracy benchmark's stores take 6-28 minutes a
help-seeker)."""
MIN_REPEATED_HOURS = 20
"""Counted hours beyond each cell's first needed to read the service times' own spread from the counts (with 20,
its relative standard error is about a third)."""


@dataclass(frozen=True)
class MinutesEstimate:
    """Minutes per customer per slot (NaN where the store never served that kind), and which hours were kept."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    kept: np.ndarray
    """Per counted hour: False where its minutes per customer were left out as an outlier."""


def pool_minutes(
    store: np.ndarray, slot: np.ndarray, customers: np.ndarray, minutes: np.ndarray,
    store_count: int, slot_count: int, rules: DemandRules, none_counted_minutes: float = np.nan,
    weight: np.ndarray | None = None,
) -> MinutesEstimate:
    """A store whose counts never had a customer of this kind borrows the chain's mean minutes per customer (its
    interval widened by `OTHER_STORE_MINUTES_SPREAD`); where no store's counts had one, every cell gets
    `none_counted_minutes` (NaN: unknown). `weight` (per counted hour; 1 when None) is its recency: the means weigh
    each hour's customers and minutes by it, so recent counts lead and the intervals hold the information the
    weights leave (`planner.demand._recent_hours`); the spreads are read from the hours as counted."""
    kept = ~_outlying_hours(store, customers, minutes, rules.outlier_iqr_factor)
    hour_customers, hour_minutes = np.where(kept, customers, 0.0), np.where(kept, minutes, 0.0)
    if weight is None:
        kept_customers, kept_minutes = hour_customers, hour_minutes
    else:
        kept_customers, kept_minutes = hour_customers * weight, hour_minutes * weight
    chain_customers = float(kept_customers.sum())
    if chain_customers == 0:
        unknown = np.full(slot_count, float(none_counted_minutes))
        return MinutesEstimate(unknown, unknown, unknown, kept)
    store_customers = np.bincount(store, kept_customers, store_count)
    with np.errstate(divide="ignore", invalid="ignore"):
        store_mean = np.bincount(store, kept_minutes, store_count) / store_customers
    slots_per_store = slot_count // max(store_count, 1)  # no stores: no slots
    store_mean, store_customers = np.repeat(store_mean, slots_per_store), np.repeat(store_customers, slots_per_store)
    cell_customers = np.bincount(slot, kept_customers, slot_count)
    cell_minutes = np.bincount(slot, kept_minutes, slot_count)
    spread = _spreads(slot, hour_customers, hour_minutes, cell_customers, cell_minutes, store_mean, rules)
    pseudo = (spread.service_variance / spread.cell_variance if rules.prior_customers_minutes is None
              else rules.prior_customers_minutes)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (cell_minutes + pseudo * store_mean) / (cell_customers + pseudo)
    # The cell's mean weighs its own customers (share c / (c + k)) against the store's mean (k / (c + k)): its
    # relative variance is v c / (c + k)^2 from its own times (v their squared coefficient of variation), plus the
    # store mean's v / N and the cells' spread around their store's mean, both weighted by (k / (c + k))^2. The
    # interval is that of a mean of 1 / variance exponential times.
    with np.errstate(divide="ignore", invalid="ignore"):
        borrowed = np.where(cell_customers + pseudo > 0, pseudo / (cell_customers + pseudo), 1.0)
        variance = (np.where(cell_customers > 0, spread.service_variance * cell_customers
                             / (cell_customers + pseudo) ** 2, 0.0)
                    + borrowed**2 * (spread.service_variance / store_customers + spread.cell_variance))
        evidence = np.where(variance > 0, 1.0 / variance, 0.0)
    mean = np.where(np.isfinite(mean), mean, store_mean)
    lent = store_customers == 0  # a store that never had a customer of this kind: the chain's mean, widely
    mean = np.where(lent, kept_minutes.sum() / chain_customers, mean)
    lent_variance = spread.service_variance / chain_customers + spread.cell_variance + OTHER_STORE_MINUTES_SPREAD**2
    evidence = np.where(lent, 1.0 / lent_variance, evidence)
    known = np.isfinite(mean) & (evidence > 0)
    low_factor, high_factor = _mean_of_exponentials_factors(np.where(known, evidence, 1.0), rules.interval_level)
    mean = np.where(known, mean, np.nan)
    return MinutesEstimate(mean, mean * low_factor, mean * high_factor, kept)


@dataclass(frozen=True)
class MinutesSpread:
    """Relative variances (squared coefficients of variation) behind a cell's mean minutes per customer."""

    service_variance: float
    """Of one customer's minutes around its cell's mean (1 for exponential times)."""
    cell_variance: float
    """Of a cell's true mean around its store's mean: its estimate plus one standard error."""


def _spreads(slot, customers, minutes, cell_customers, cell_minutes, store_mean, rules: DemandRules) -> MinutesSpread:
    """Both variances by the method of moments over the chain's counted hours (a one-way random-effects analysis
    of variance, cells within stores, each relative to its store's mean minutes M):

    - one customer's: an hour's mean r of c customers strays from its cell's mean m by E[c (r - m)^2] = v M^2 per
      hour beyond the cell's first, so v = sum c (r - m)^2 / M^2 / sum (hours - 1) over cells counted twice or more;
      1 (exponential times) when fewer than `MIN_REPEATED_HOURS` such hours tell;
    - the cells': a cell's mean of C customers strays from M by E[(m / M - 1)^2] = tau^2 + v / C, so
      tau^2 = (sum C (m / M - 1)^2 - v x cells) / sum C (at least 0), plus its standard error, and at least
      `cell_minutes_spread`^2."""
    hour_cell = slot
    positive = customers > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        cell_mean = cell_minutes / cell_customers
        scale = store_mean[hour_cell] ** 2
        deviation = np.where(positive, (minutes / np.where(positive, customers, 1.0) - cell_mean[hour_cell]) ** 2
                             * customers / scale, 0.0)
    hours_per_cell = np.bincount(hour_cell, positive.astype(float), cell_customers.size)
    repeats = np.maximum(hours_per_cell - 1.0, 0.0).sum()
    usable = np.isfinite(deviation)
    service_variance = (max(float(deviation[usable].sum() / repeats), MIN_SERVICE_VARIANCE)
                        if repeats >= MIN_REPEATED_HOURS else EXPONENTIAL_SERVICE_VARIANCE)
    cells = (cell_customers > 0) & np.isfinite(store_mean) & (store_mean > 0)
    floor = rules.cell_minutes_spread**2
    if not cells.any():
        return MinutesSpread(service_variance, floor)
    relative = cell_mean[cells] / store_mean[cells] - 1.0
    weight = cell_customers[cells]
    estimate = max(float(((weight * relative**2).sum() - service_variance * cells.sum()) / weight.sum()), 0.0)
    # a squared normal deviation has variance 2 sd^4: the estimate's standard error, added so that a few cells
    # that happen to agree do not pool as if their store's mean were the whole truth
    error = float(np.sqrt(2.0 * (weight**2 * (estimate + service_variance / weight) ** 2).sum()) / weight.sum())
    return MinutesSpread(service_variance, max(estimate + error, floor))


def _outlying_hours(store: np.ndarray, customers: np.ndarray, minutes: np.ndarray, factor: float) -> np.ndarray:
    """Hours whose log minutes per customer lie more than `factor` IQRs below the store's lower quartile or above
    its upper one. Hours without customers or without minutes have no log ratio and are never outliers."""
    positive = (customers > 0) & (minutes > 0)
    if not positive.any():
        return positive
    log_ratio = np.full(customers.shape, np.nan)
    log_ratio[positive] = np.log(minutes[positive] / customers[positive])
    quartiles = pd.Series(log_ratio).groupby(store).quantile([LOWER_QUARTILE, UPPER_QUARTILE]).unstack()
    quartiles = quartiles.reindex(np.arange(store.max() + 1))
    lower, upper = quartiles[LOWER_QUARTILE].to_numpy()[store], quartiles[UPPER_QUARTILE].to_numpy()[store]
    spread = factor * (upper - lower)
    with np.errstate(invalid="ignore"):
        return positive & ((log_ratio < lower - spread) | (log_ratio > upper + spread))


def _mean_of_exponentials_factors(customers: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """For a mean of n exponential service times, n * mean / true ~ Gamma(n, 1): the true mean lies in
    mean * [n / G(n, 1 - tail), n / G(n, tail)] with the stated probability, G the Gamma quantile."""
    tail = (1.0 - level) / 2.0
    # a store's uncounted cells share one value: each distinct one is inverted once (the inverse is iterative)
    distinct, each = np.unique(customers, return_inverse=True)
    low, high = distinct / gammaincinv(distinct, 1.0 - tail), distinct / gammaincinv(distinct, tail)
    return low[each], high[each]
