"""Erlang B and Erlang C: blocking, probability of waiting, service level, mean wait and occupancy per interval.

Public: `offered_load_erlangs`, `erlang_b`, `erlang_c`, `ErlangCResult`. The Poisson-term helpers below are shared
with `erlang_a` and `staffing_search`. Symbols and units: see the `planner.queueing` docstring.
Notation: f(k; m) = m^k e^-m / Γ(k+1) for real k >= 0 (the Poisson term) and F(k; m) = Σ_{i<=k} f(i; m), so that
Erlang B is B(n, a) = f(n; a) / F(n; a).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln, pdtr, xlogy

from planner.queueing.arrays import finite, freeze, whole_numbers

NEGLIGIBLE_LOAD_ERLANGS = 1e-100  # fewer arrivals than one per 1e100 service times count as none
_LOG_UNDERFLOW = -650.0  # exp() of less cannot carry a ratio to float64 precision
_TINY = 1e-280
_SERIES_TOL = 1e-17
_STIRLING_MIN = 15.0
_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188)  # ln Γ(k+1) - (k ln k - k + ln(2πk)/2), in 1/k^(2i+1)
_LOG_FACTORIALS = gammaln(np.arange(4096) + 1.0)  # ln n! of staff counts, as gammaln gives them


@dataclass(frozen=True)
class ErlangCResult:
    """Erlang C measures, one array element per interval. Unstable means n <= a with arrivals: the queue grows
    without bound, so prob_wait = 1, service_level = 0 and mean_wait_seconds = inf (never NaN)."""

    offered_load_erlangs: np.ndarray
    prob_wait: np.ndarray
    """C(n, a) = P(W > 0)."""
    service_level: np.ndarray
    """P(W <= t) = 1 - C exp(-(nμ - λ) t)."""
    mean_wait_seconds: np.ndarray
    """E[W], the average speed of answer: C / (nμ - λ)."""
    occupancy: np.ndarray
    """a / n; above 1 when unstable (the overload factor); inf with arrivals and no staff; 0 without arrivals."""
    stable: np.ndarray
    """n > a, or no arrivals."""

    def __post_init__(self) -> None:
        freeze(self)


def offered_load_erlangs(arrivals_per_hour, service_minutes) -> np.ndarray:
    """a = λ/μ: the average number of staff the customers of an interval keep busy."""
    return np.asarray(arrivals_per_hour, dtype=float) * np.asarray(service_minutes, dtype=float) / 60.0


def erlang_b(staff, offered_load_erlangs) -> np.ndarray:
    """Erlang B blocking probability B(n, a) for `staff` servers and an offered load of a Erlangs."""
    staff = whole_numbers("staff", staff)
    return 1.0 / (1.0 + loss_odds(staff, finite("offered_load_erlangs", offered_load_erlangs, low=0.0)))


def erlang_c(arrivals_per_hour, service_minutes, staff, *, target_wait_seconds) -> ErlangCResult:
    """Erlang C (M/M/n) measures of each interval for `staff` servers and a service-level threshold of t seconds.
    An offered load of at most 1e-100 Erlangs counts as no arrivals."""
    lam, service, staff, wait = np.broadcast_arrays(
        finite("arrivals_per_hour", arrivals_per_hour, low=0.0),
        finite("service_minutes", service_minutes, low=0.0, low_open=True),
        whole_numbers("staff", staff),
        finite("target_wait_seconds", target_wait_seconds, low=0.0),
    )
    load = offered_load_erlangs(lam, service)
    arrivals = load > NEGLIGIBLE_LOAD_ERLANGS
    stable = (staff > load) | ~arrivals
    waiting = stable & arrivals
    spare = np.where(waiting, staff - load, 1.0)  # n - a
    with np.errstate(divide="ignore", invalid="ignore"):
        # C = 1 / (1 + (1 - a/n) (1 - B)/B)
        prob_wait = 1.0 / (1.0 + spare / np.where(waiting, staff, 1.0) * loss_odds(staff, load))
        occupancy = np.where(arrivals, load / staff, 0.0)
    prob_wait = np.where(waiting, prob_wait, np.where(stable, 0.0, 1.0))
    service_level = np.where(stable, 1.0 - prob_wait * np.exp(-spare * (wait / (60.0 * service))), 0.0)
    mean_wait = np.where(stable, prob_wait * 60.0 * service / spare, np.inf)
    return ErlangCResult(load, prob_wait, service_level, mean_wait, occupancy, stable)


def loss_odds(staff, load) -> np.ndarray:
    """(1 - B)/B for Erlang B's B(n, a): F(n-1; a) / f(n; a) = Σ_{k<n} n!/(k! a^(n-k)); 0 when n = 0, inf when
    blocking is below float64's range (or there are no arrivals)."""
    staff, load = np.broadcast_arrays(np.asarray(staff, dtype=float), np.asarray(load, dtype=float))
    both = (staff > 0) & (load > 0)
    every = both.ndim == 1 and both.all()  # as in a search: no subset to copy out and back
    n, a = (staff, load) if every else (staff[both], load[both])
    log_top = log_poisson_term(n, a)
    below = pdtr(n - 1.0, a)
    with np.errstate(divide="ignore", over="ignore"):
        result = np.exp(np.log(below) - log_top)
    deep = (n < a) & ~((log_top > _LOG_UNDERFLOW) & (below > _TINY))  # deep overload: both terms underflow
    if deep.any():
        nd, ad = n[deep], a[deep]
        result[deep] = product_series(lambda i, idx: (nd[idx] - i + 1.0) / ad[idx], nd.size)  # n/a, (n-1)/a...
    if every:
        return result
    odds = np.where(staff > 0, np.inf, 0.0)
    odds[both] = result
    return odds


def log_poisson_term(k, mean) -> np.ndarray:
    """ln f(k; mean) = k ln(mean) - mean - ln Γ(k+1) for real k >= 0; for large k with mean not far below it,
    -k (d - ln(1+d)) - ln(2πk)/2 - stirling(k), d = mean/k - 1, which avoids cancelling two huge numbers."""
    k, mean = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(mean, dtype=float))
    direct = (k < _STIRLING_MIN) | (mean < 0.5 * k)  # far below k nothing cancels, and d would round to -1
    if direct.ndim == 1 and direct.all():  # no subsets to copy
        return xlogy(k, mean) - mean - _log_gamma_plus_one(k)
    out = np.empty(k.shape)
    out[direct] = xlogy(k[direct], mean[direct]) - mean[direct] - _log_gamma_plus_one(k[direct])
    kb = k[~direct]
    d = (mean[~direct] - kb) / kb
    inv = 1.0 / kb
    inv2 = inv * inv  # 1 / kb² without squaring kb first: kb² overflows past 1.3e154, inv² only underflows to 0
    stirling = inv * (_STIRLING[0] + inv2 * (_STIRLING[1] + inv2 * (_STIRLING[2] + inv2 * (
        _STIRLING[3] + inv2 * _STIRLING[4]))))
    out[~direct] = -kb * (d - np.log1p(d)) - 0.5 * np.log(2.0 * np.pi * kb) - stirling
    return out


def _log_gamma_plus_one(k: np.ndarray) -> np.ndarray:
    """ln Γ(k+1): for whole k below `_LOG_FACTORIALS`' length (staff counts) looked up, else computed. The table
    holds scipy's own values, so both give the same figures."""
    first = float(k.flat[0]) if k.size else 0.5  # a shape like n θ/μ is rarely whole: one look decides most calls
    if first.is_integer() and np.all((k == np.floor(k)) & (k >= 0) & (k < _LOG_FACTORIALS.size)):
        return _LOG_FACTORIALS[k.astype(np.intp)]
    return gammaln(k + 1.0)


def product_series(step_ratio, size) -> np.ndarray:
    """Σ_{j>=1} Π_{i=1..j} step_ratio(i), per element, until a term is below 1e-17 of the sum; `step_ratio(i, idx)`
    gives the i-th ratio for the unfinished elements idx. Only for ratios below 1."""
    total, term, todo, i = np.zeros(size), np.ones(size), np.arange(size), 0
    while todo.size:
        i += 1
        term = term * step_ratio(i, todo)
        total[todo] += term
        keep = term > _SERIES_TOL * total[todo]
        todo, term = todo[keep], term[keep]
    return total
