"""Erlang A (M/M/n+M, Palm's model): waiting, abandoning, service levels, mean waits and occupancy per interval,
at any load, overload included.

Public: `erlang_a`, `ErlangAResult`; the same measures without the mean waits (`erlang_a_probabilities`) or without
the target wait too (`erlang_a_outcome`), for searches that evaluate many staffing levels; `PalmQueue` is shared
with `staffing_search`. Symbols and units: see the `planner.queueing` docstring.
Notation: x = nμ/θ = n * patience/service, y = λ/θ = a * patience/service, z = e^-θt = P(τ > t); P(x, y) and
Q(x, y) = 1 - P(x, y) the regularised incomplete gamma functions; f(x; y) as in `erlang_b_c`;
Palm's A(x, y) = P(x, y) / f(x; y) = 1 + Σ_{j>=1} Π_{i=1..j} y/(x+i).
Derivation, in short: a waiting arrival finds j ahead with probability y^j Γ(x+1)/Γ(x+j+1) / A(x, y), and then has
offered wait V = -ln(U)/θ with U ~ Beta(x, j+1); summing over j gives P(V > t | waited) = P(x, yz)/P(x, y), and
weighting by P(τ > V) = e^-θV gives the served measures (Mandelbaum & Zeltyn's formulas).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammainc, gammaincc

from planner.queueing.arrays import finite, freeze, whole_numbers
from planner.queueing.erlang_b_c import (
    NEGLIGIBLE_LOAD_ERLANGS,
    log_poisson_term,
    loss_odds,
    offered_load_erlangs,
    product_series,
)

_TINY = 1e-280
_SERIES_BELOW = 0.1  # A(x, y) by its series when y < x/10: at most 17 terms, and A - 1 to full precision
_SCIPY_GAMMA_MAX_SHAPE = 1e5  # beyond, scipy's P(x, y) loses digits more than ~8 sd below its mean
_LOG_DROP = 45.0  # quadrature range: where the integrand is within e^-45 of its peak
_GAUSS_NODES, _GAUSS_WEIGHTS = np.polynomial.legendre.leggauss(64)
_NEWTON_STEPS = 30
_QUADRATURE_ROWS = 16384  # intervals per block of the (intervals x nodes) quadrature arrays


@dataclass(frozen=True)
class ErlangAOutcome:
    """Whether customers wait and give up, one array element per interval: what needs no target wait."""

    offered_load_erlangs: np.ndarray
    prob_wait: np.ndarray
    """P(all n staff busy at arrival) = P(N >= n) = P(W > 0)."""
    prob_abandon: np.ndarray
    """P(Ab) = P(W > 0) [1 - 1/ρ + 1/(ρ A(x, y))]."""
    occupancy: np.ndarray
    """a (1 - P(Ab)) / n; 1 with arrivals and no staff (its limit as staff shrink); 0 without arrivals."""

    def __post_init__(self) -> None:
        freeze(self)


@dataclass(frozen=True)
class ErlangAProbabilities(ErlangAOutcome):
    """`ErlangAOutcome` and the probabilities of the target wait t."""

    service_level_all_arrivals: np.ndarray
    """P(served and W <= t): abandoners count as failures. The planner's service target."""
    service_level_served: np.ndarray
    """P(W <= t | served)."""
    prob_offered_wait_within_target: np.ndarray
    """P(V <= t)."""
    prob_wait_within_target_incl_abandoners: np.ndarray
    """P(min(V, τ) <= t): served, or given up, within t."""


@dataclass(frozen=True)
class ErlangAResult(ErlangAProbabilities):
    """Erlang A measures, one array element per interval. W is a customer's actual wait, V the wait the same
    customer would have with infinite patience, τ ~ Exp(θ) their patience: W = min(V, τ), served when V <= τ."""

    mean_wait_served_seconds: np.ndarray
    """E[W | served]; inf with no staff (nobody is served)."""
    mean_wait_all_seconds: np.ndarray
    """E[W] over all arrivals, abandoners included = P(Ab)/θ."""


def erlang_a(arrivals_per_hour, service_minutes, staff, *, patience_minutes, target_wait_seconds) -> ErlangAResult:
    """Erlang A (M/M/n+M) measures of each interval. An offered load of at most 1e-100 Erlangs counts as no
    arrivals; with arrivals and no staff everybody waits and gives up."""
    return ErlangAResult(**_measures(arrivals_per_hour, service_minutes, staff, patience_minutes,
                                     target_wait_seconds, mean_waits=True))


def erlang_a_probabilities(arrivals_per_hour, service_minutes, staff, *, patience_minutes,
                           target_wait_seconds) -> ErlangAProbabilities:
    """`erlang_a` without the mean waits, which cost more than everything else together (a quadrature per
    interval): for a search or a sum over many staffing levels that reads only probabilities. Same values."""
    return ErlangAProbabilities(**_measures(arrivals_per_hour, service_minutes, staff, patience_minutes,
                                            target_wait_seconds, mean_waits=False))


def erlang_a_outcome(arrivals_per_hour, service_minutes, staff, *, patience_minutes) -> ErlangAOutcome:
    """`erlang_a`'s probability of waiting, abandonment and occupancy alone (about a quarter of its work), for
    callers that need no target wait. Same values."""
    return ErlangAOutcome(**_measures(arrivals_per_hour, service_minutes, staff, patience_minutes, None,
                                      mean_waits=False))


def _measures(arrivals_per_hour, service_minutes, staff, patience_minutes, target_wait_seconds, *,
              mean_waits: bool) -> dict[str, np.ndarray]:
    """The fields of `ErlangAResult` (without the mean waits unless `mean_waits`; without those of the target
    wait when `target_wait_seconds` is None), by name."""
    within_target = target_wait_seconds is not None
    lam, service, staff, patience, wait = np.broadcast_arrays(
        finite("arrivals_per_hour", arrivals_per_hour, low=0.0),
        finite("service_minutes", service_minutes, low=0.0, low_open=True),
        whole_numbers("staff", staff),
        finite("patience_minutes", patience_minutes, low=0.0, low_open=True),
        finite("target_wait_seconds", target_wait_seconds if within_target else 0.0, low=0.0),
    )
    load = offered_load_erlangs(lam, service)
    patience_seconds, patiences_in_target = 60.0 * patience, wait / (60.0 * patience)  # 1/θ and θt
    arrivals = load > NEGLIGIBLE_LOAD_ERLANGS
    busy = arrivals & (staff > 0)
    every = busy.ndim == 1 and busy.all()  # as in most searches: no subsets to copy out and back

    def part(values):
        return values if every else values[busy]

    q = PalmQueue(part(load), part(staff), part(patience) / part(service),
                  part(patiences_in_target) if within_target else None)
    served = 1.0 - q.prob_abandon
    found = {"prob_wait": q.prob_wait, "prob_abandon": q.prob_abandon,
             "occupancy": part(load) * served / part(staff)}
    if within_target:
        found |= {
            "service_level_all_arrivals": q.service_level_all_arrivals,
            "service_level_served": np.minimum(q.service_level_all_arrivals / served, 1.0),
            "prob_offered_wait_within_target": q.prob_offered_wait_within_target,
            "prob_wait_within_target_incl_abandoners": q.prob_wait_within_target_incl_abandoners,
        }
    if mean_waits:
        served_wait_if_waited = _served_wait_in_patiences(q.x, q.y) * part(patience_seconds)
        found |= {"mean_wait_served_seconds": q.prob_wait * q.served_if_waited * served_wait_if_waited / served,
                  "mean_wait_all_seconds": q.prob_abandon * part(patience_seconds)}
    if every:
        return {"offered_load_erlangs": load, **found}
    out = {  # without arrivals, and with no staff; overwritten where there are both
        "prob_wait": np.where(arrivals, 1.0, 0.0), "prob_abandon": np.where(arrivals, 1.0, 0.0),
        "occupancy": np.where(arrivals, 1.0, 0.0),
    }
    if within_target:
        out |= {
            "service_level_all_arrivals": np.where(arrivals, 0.0, 1.0),
            "service_level_served": np.where(arrivals, 0.0, 1.0),
            "prob_offered_wait_within_target": np.where(arrivals, 0.0, 1.0),
            "prob_wait_within_target_incl_abandoners": np.where(arrivals, -np.expm1(-patiences_in_target), 1.0),
        }
    if mean_waits:
        out |= {"mean_wait_served_seconds": np.where(arrivals, np.inf, 0.0),
                "mean_wait_all_seconds": np.where(arrivals, patience_seconds, 0.0)}
    for name, value in found.items():
        out[name][busy] = value
    return {"offered_load_erlangs": load, **out}


class PalmQueue:
    """Erlang A's probabilities for arrays with arrivals and staff (all a staffing search needs; `erlang_a` adds
    the mean waits). A probability near 1 is never subtracted from 1: it comes with its complement, computed from
    the small side. Without `patiences_in_target` (θt) only the waiting and abandoning are computed: half the work,
    for callers that need no service level."""

    def __init__(self, load, staff, patience_per_service, patiences_in_target=None):
        x, y = staff * patience_per_service, load * patience_per_service
        log_f_y = log_poisson_term(x, y)
        lower_y, upper_y = _gamma_tails(x, y)
        log_a_y = _log_palm_a(x, y, lower_y, log_f_y)
        with np.errstate(divide="ignore", over="ignore"):
            log_odds = np.log(loss_odds(staff, load))  # ln((1 - B)/B); P(W > 0) = A B / (1 - B + A B)
            self.prob_wait = 1.0 / (1.0 + np.exp(log_odds - log_a_y))
            prob_no_wait = 1.0 / (1.0 + np.exp(log_a_y - log_odds))
        per_staff = staff / load  # x/y = 1/ρ
        # P(served | waited) = (x/y) P(x+1, y)/P(x, y) = (x/y)(1 - 1/A), as P(x+1, y) = P(x, y) - f(x; y)
        self.served_if_waited = per_staff * -np.expm1(-log_a_y)
        self.x, self.y = x, y
        self.prob_abandon = np.clip(self.prob_wait * (1.0 - self.served_if_waited), 0.0, 1.0)
        if patiences_in_target is not None:
            self._within_target(patiences_in_target, log_f_y, lower_y, upper_y, log_a_y, prob_no_wait, per_staff)

    def _within_target(self, patiences_in_target, log_f_y, lower_y, upper_y, log_a_y, prob_no_wait, per_staff):
        """The measures of the target wait t: service level, and the offered wait within t."""
        x, y = self.x, self.y
        z, not_z = np.exp(-patiences_in_target), -np.expm1(-patiences_in_target)
        log_f_yz = log_f_y - x * patiences_in_target + y * not_z  # never forms y z, which can underflow
        lower_yz, upper_yz = _gamma_tails(x, y * z)
        log_a_yz = _log_palm_a(x, y * z, lower_yz, log_f_yz)
        gone = y * z < _TINY  # yet (yz)^x need not be small when x is: A(x, yz) = 1, so P(x, yz) = f(x; yz)
        log_a_yz[gone], lower_yz[gone] = 0.0, np.exp(log_f_yz[gone])
        upper_yz[gone] = 1.0 - lower_yz[gone]
        # Given a wait, P(V <= t) = 1 - P(x, yz)/P(x, y) and P(served, W <= t) = (x/y)[P(x+1, y) - P(x+1, yz)]/P(x, y):
        # below the mode (y < x) from A, above it from the upper tails Q, which are then the small side.
        crowded = y >= x
        log_ratio = log_f_yz + log_a_yz - log_f_y - log_a_y  # ln(P(x, yz)/P(x, y))
        with np.errstate(divide="ignore", invalid="ignore"):
            offered_within = np.where(crowded, (upper_yz - upper_y) / lower_y, -np.expm1(log_ratio))
            served_within = per_staff * np.where(
                crowded, (upper_yz - upper_y + np.exp(log_f_yz) - np.exp(log_f_y)) / lower_y,
                -np.expm1(-log_a_y) + np.exp(log_ratio) * np.expm1(-log_a_yz))
        self.service_level_all_arrivals = np.clip(prob_no_wait + self.prob_wait * served_within, 0.0, 1.0)
        self.prob_offered_wait_within_target = np.clip(prob_no_wait + self.prob_wait * offered_within, 0.0, 1.0)
        self.prob_wait_within_target_incl_abandoners = np.clip(
            prob_no_wait + self.prob_wait * (not_z + z * offered_within), 0.0, 1.0)


def _gamma_tails(x, y):
    """P(x, y) and Q(x, y), the one that can be small computed directly so that neither loses digits: Q only far
    above the mode (beyond `_UPPER_TAIL_SDS` standard deviations and `_UPPER_TAIL_OFFSET` more), where P is near 1;
    below that Q is at least about 3e-4 (the smallest shapes' tails are the longest), so 1 - P keeps all but four
    of its digits (1.3e-13 relative at worst against scipy's Q, tests/test_fast_paths.py). scipy's Q is several
    times slower than its P for small shapes (x = staff x patience / service: short patience), and a third of a
    1,000-store plan's Erlang A time went to it. (scipy's special functions are not called with `where=`: with it
    they crash in scipy 1.17.)"""
    direct_lower = y < x + _UPPER_TAIL_SDS * np.sqrt(x) + _UPPER_TAIL_OFFSET
    if direct_lower.ndim == 1 and direct_lower.all():  # as in a search among staff that carry the load: no subsets
        lower = gammainc(x, y)
        return lower, 1.0 - lower
    small = np.empty(x.shape)
    small[direct_lower] = gammainc(x[direct_lower], y[direct_lower])
    small[~direct_lower] = gammaincc(x[~direct_lower], y[~direct_lower])
    return (np.where(direct_lower, small, 1.0 - small), np.where(direct_lower, 1.0 - small, small))


_UPPER_TAIL_SDS, _UPPER_TAIL_OFFSET = 3.0, 3.0
"""`_gamma_tails` computes Q(x, y) directly only for y beyond x + 3 sqrt(x) + 3 (the Gamma(x) distribution's mean
plus three standard deviations, and 3 more for small shapes, whose tail is long)."""


def _log_palm_a(x, y, lower, log_f):
    """ln A(x, y) for x > 0, y >= 0, given P(x, y) and ln f(x; y): ln P - ln f, except far below the mode
    (y < x/10), where the series gives A - 1 to full precision, and below the mode where P underflows or x is
    beyond the shapes scipy's P is accurate for in its tail, where A(x, y) = x ∫_0^∞ e^(-x u - y (e^-u - 1)) du."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(y > 0, np.log(lower) - log_f, 0.0)
    far = (y > 0) & (y < _SERIES_BELOW * x)
    if far.any():
        xs, ys = x[far], y[far]
        out[far] = np.log1p(product_series(lambda i, idx: ys[idx] / (xs[idx] + i), xs.size))
    hard = ~far & (y > 0) & (y < x) & ((x > _SCIPY_GAMMA_MAX_SHAPE) | ~(lower > _TINY))
    if hard.any():  # rare: the quadrature's fixed cost is not paid for nothing
        out[hard] = np.log(x[hard]) + _log_concave_quadrature(x[hard], y[hard])[0]
    return out


def _served_wait_in_patiences(x, y):
    """θ E[W | served, waited]: S = θV has density ∝ e^(-xs - y e^-s) among waiting arrivals (the derivative of
    P(x, y e^-s)), and a customer with S = s is served with probability e^-s, so the served ones' S has density
    ∝ e^(-(x+1)s - y e^-s) on s >= 0."""
    return _log_concave_quadrature(x + 1.0, y)[1]


def _log_concave_quadrature(k, y):
    """For φ(s) = -k s - y e^-s on s >= 0 (k > 0, y >= 0: log-concave, peak s* = max(0, ln(y/k))):
    ln ∫ e^(φ - φ(s*)) ds and the mean of s under e^φ, by 64-point Gauss-Legendre quadrature over the range where
    φ is within e^-45 of its peak: a fixed cost however large k and y are."""
    log_integral, mean = np.empty(k.shape), np.empty(k.shape)
    for rows in np.array_split(np.arange(k.size), max(1, k.size // _QUADRATURE_ROWS)):
        kr, yr = k[rows, None], y[rows, None]
        height = np.minimum(yr, kr)  # y e^-s at the peak
        peak = np.log(np.maximum(yr, kr) / kr)
        low, high = _peak_range(kr, height)
        low, high = np.maximum(peak + low, 0.0), peak + high
        s = low + (high - low) * (_GAUSS_NODES + 1.0) / 2.0
        weight = _GAUSS_WEIGHTS * np.exp(-kr * (s - peak) - height * np.expm1(peak - s))
        total = weight.sum(axis=1)
        log_integral[rows] = np.log(total * (high - low)[:, 0] / 2.0)
        mean[rows] = (weight * s).sum(axis=1) / total
    return log_integral, mean


def _peak_range(k, height):
    """Offsets (low <= 0, high) from the peak of φ where it has dropped by _LOG_DROP: above the peak
    k d + height expm1(-d), below an interior peak (height = k) k (e^d - 1 - d). Both are convex, so Newton steps
    from the overestimates taken here converge from above."""
    scale = _LOG_DROP / k
    slope = k - height  # > 0 only when the peak sits on the boundary s = 0
    with np.errstate(divide="ignore"):
        high = np.minimum(np.sqrt(2.0 * scale) + scale, _LOG_DROP / slope)
    low = np.minimum(np.sqrt(2.0 * scale), np.log(2.0 * scale + 2.0))
    for _ in range(_NEWTON_STEPS):
        high -= (k * high + height * np.expm1(-high) - _LOG_DROP) / (k - height * np.exp(-high))
        low -= (np.expm1(low) - low - scale) / np.expm1(low)
    return np.where(slope > 0, 0.0, -low), high
