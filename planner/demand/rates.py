"""Customers per hour by an empirical-Bayes Gamma-Poisson model on the dense store x weekday x hour grid.

Arrays here have shape (stores, 7, 24): weekday 0 = Monday, clock hour 0-23. `hours` is how many hours of a cell
were counted, `counts` the customers counted in them. See `planner.demand` for the method in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaincinv

from planner.settings import DemandRules

WEEKDAY_COUNT = 7


@dataclass(frozen=True)
class RateEstimate:
    """Posterior mean and interval of a rate, customers per hour; NaN where there is nothing to go on."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray


def pool_rates(hours: np.ndarray, counts: np.ndarray, rules: DemandRules) -> RateEstimate:
    """Each cell's Gamma posterior: prior Gamma(shape = m * prior_hours, rate = prior_hours) with m the rate of the
    cells it borrows from, updated by its own counts (shape + counts, rate + hours)."""
    donor_hours, donor_counts = borrowed(hours, rules), borrowed(counts, rules)
    has_donors = donor_hours > 0
    prior_mean = np.divide(donor_counts, donor_hours, out=np.zeros(hours.shape), where=has_donors)
    prior_rate = np.where(has_donors, rules.prior_hours, 0.0)
    prior_shape = np.maximum(prior_mean * prior_rate, rules.min_prior_customers)
    shape, rate = prior_shape + counts, prior_rate + hours
    known = rate > 0
    tail = (1.0 - rules.interval_level) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(known, shape / rate, np.nan)
        low = np.where(known, gammaincinv(shape, tail) / rate, np.nan)
        high = np.where(known, gammaincinv(shape, 1.0 - tail) / rate, np.nan)
    return RateEstimate(mean, low, high)


def can_borrow(hours: np.ndarray, rules: DemandRules) -> np.ndarray:
    """Cells that have counted hours of their own or, with a prior of some strength, in cells they borrow from."""
    return (hours > 0) | ((borrowed(hours, rules) > 0) & (rules.prior_hours > 0))


def borrowed(values: np.ndarray, rules: DemandRules) -> np.ndarray:
    """Weighted sum over a cell's donors: the same hour on the other weekdays of its group (weight 1) and the hour
    before and after on the same weekday (`neighbour_hour_weight`). The cell itself is never its own donor."""
    same_hour = np.einsum("vw,swh->svh", similar_weekday_matrix(rules.similar_weekdays), values)
    neighbours = np.zeros(values.shape)
    neighbours[..., 1:] += values[..., :-1]
    neighbours[..., :-1] += values[..., 1:]
    return same_hour + rules.neighbour_hour_weight * neighbours


def similar_weekday_matrix(groups: tuple[tuple[int, ...], ...]) -> np.ndarray:
    """7 x 7: 1 where two different weekdays share a group, else 0."""
    matrix = np.zeros((WEEKDAY_COUNT, WEEKDAY_COUNT))
    for group in groups:
        for day in group:
            matrix[day, list(group)] = 1.0
    np.fill_diagonal(matrix, 0.0)
    return matrix
