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
    store_count: int, slot_count: int, rules: DemandRules,
) -> MinutesEstimate:
    kept = ~_outlying_hours(store, customers, minutes, rules.outlier_iqr_factor)
    kept_customers, kept_minutes = np.where(kept, customers, 0.0), np.where(kept, minutes, 0.0)
    store_customers = np.bincount(store, kept_customers, store_count)
    with np.errstate(divide="ignore", invalid="ignore"):
        store_mean = np.bincount(store, kept_minutes, store_count) / store_customers
    slots_per_store = slot_count // store_count
    store_mean, store_customers = np.repeat(store_mean, slots_per_store), np.repeat(store_customers, slots_per_store)
    cell_customers = np.bincount(slot, kept_customers, slot_count)
    cell_minutes = np.bincount(slot, kept_minutes, slot_count)
    pseudo = rules.prior_customers_minutes
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (cell_minutes + pseudo * store_mean) / (cell_customers + pseudo)
    # The cell's mean weighs its own customers (share c / (c + k)) against the store's mean (k / (c + k)): its
    # relative variance is c / (c + k)^2 from its own exponential-like times, plus the store mean's 1 / N and the
    # spread of cells around their store's mean, both weighted by (k / (c + k))^2. The interval is that of a mean
    # of 1 / variance exponential times.
    with np.errstate(divide="ignore", invalid="ignore"):
        borrowed = np.where(cell_customers + pseudo > 0, pseudo / (cell_customers + pseudo), 1.0)
        variance = (np.where(cell_customers > 0, cell_customers / (cell_customers + pseudo) ** 2, 0.0)
                    + borrowed**2 * (1.0 / store_customers + rules.cell_minutes_spread**2))
        evidence = np.where(variance > 0, 1.0 / variance, 0.0)
    mean = np.where(np.isfinite(mean), mean, store_mean)
    known = np.isfinite(mean) & (evidence > 0)
    low_factor, high_factor = _mean_of_exponentials_factors(np.where(known, evidence, 1.0), rules.interval_level)
    mean = np.where(known, mean, np.nan)
    return MinutesEstimate(mean, mean * low_factor, mean * high_factor, kept)


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
