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
    donor_hours, donor_counts = donors(hours, counts, rules)
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
    return (hours > 0) | ((donors(hours, hours, rules)[0] > 0) & (rules.prior_hours > 0))


def donors(hours: np.ndarray, counts: np.ndarray, rules: DemandRules) -> tuple[np.ndarray, np.ndarray]:
    """Per cell, the hours and the customers of the cells it borrows from (weighted; never itself).

    Donors: the same hour on the other weekdays of its group (weight 1), the same hour on the remaining weekdays
    (`other_weekday_weight`), and the hour before and after on the same weekday (`neighbour_hour_weight`). Each
    store's counts are fitted by rate(weekday, hour) = day level x hour profile (a Poisson rank-one fit by
    iterative proportional fitting), and a donor's customers are rescaled to the cell's own day level (donors on
    other weekdays) or hour profile (neighbouring hours): a Saturday peak borrows the weekdays' peak raised to
    Saturday's level, not the quieter hours around it. A weekday never counted has no level: it borrows from its
    own group only, unscaled; an hour never counted on any day borrows its neighbours unscaled.
    """
    day, hour = day_hour_profile(hours, counts)
    day_known = hours.sum(axis=2) > 0
    hour_known = hours.sum(axis=1) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        per_level = np.where(day[:, :, None] > 0, counts / day[:, :, None], 0.0)
        per_profile = np.where(hour[:, None, :] > 0, counts / hour[:, None, :], 0.0)
    similar = similar_weekday_matrix(rules.similar_weekdays)
    others = rules.other_weekday_weight * (1.0 - similar - np.eye(WEEKDAY_COUNT))
    scaled_days = np.einsum("vw,swh->svh", similar + others, per_level) * day[:, :, None]
    plain_days = np.einsum("vw,swh->svh", similar, counts)
    day_counts = np.where(day_known[:, :, None], scaled_days, plain_days)
    day_hours = np.where(
        day_known[:, :, None], np.einsum("vw,swh->svh", similar + others, hours), np.einsum("vw,swh->svh", similar, hours)
    )
    scaled_hours = _beside(per_profile) * hour[:, None, :]
    hour_counts = np.where(hour_known[:, None, :], scaled_hours, _beside(counts))
    weight = rules.neighbour_hour_weight
    return day_hours + weight * _beside(hours), day_counts + weight * hour_counts


def day_hour_profile(hours: np.ndarray, counts: np.ndarray, iterations: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Per store, day levels (stores x 7) and an hour profile (stores x 24) with counts ~ hours x level x profile."""
    day = np.ones(hours.shape[:2])
    hour = np.ones((hours.shape[0], hours.shape[2]))
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(iterations):
            exposure = (hours * hour[:, None, :]).sum(axis=2)
            day = np.where(exposure > 0, counts.sum(axis=2) / exposure, 0.0)
            exposure = (hours * day[:, :, None]).sum(axis=1)
            hour = np.where(exposure > 0, counts.sum(axis=1) / exposure, 0.0)
    return day, hour


def _beside(values: np.ndarray) -> np.ndarray:
    """The sum of the hour before and the hour after, same weekday."""
    out = np.zeros(values.shape)
    out[..., 1:] += values[..., :-1]
    out[..., :-1] += values[..., 1:]
    return out


def similar_weekday_matrix(groups: tuple[tuple[int, ...], ...]) -> np.ndarray:
    """7 x 7: 1 where two different weekdays share a group, else 0."""
    matrix = np.zeros((WEEKDAY_COUNT, WEEKDAY_COUNT))
    for group in groups:
        for day in group:
            matrix[day, list(group)] = 1.0
    np.fill_diagonal(matrix, 0.0)
    return matrix
