"""Staffing that hedges for what the counts cannot tell: the demand's uncertainty as a log-normal spread.

The demand stage gives each hour's help-seekers per hour λ and minutes per customer S with a log-normal interval
(`DemandRules.interval_level`, 90%). Their product, the help-seekers' load, is then log-normal too, with log-spread
sd = sqrt(sd_λ² + sd_S²), each sd = (log high - log low) / (2 z), z the normal quantile of the interval. A staff
count meets the targets for every load up to some limit, so it meets them "with probability p" exactly when it
meets them at the load's p-quantile: the recommendation is the least staff meeting the targets at
λ x exp(z_p sd) (`StaffingRules.target_confidence` = p). A well-counted hour has a small sd and costs nothing extra.

The service shown is averaged over the same distribution (Gauss-Hermite nodes), and the chance that the targets
are met is first counted over `PLAUSIBLE_DEMANDS` equally likely loads (their 5%, 15%, ..., 95% quantiles), then
searched between the two it falls between, as far as an explanation writes it beside the chance its hour asks for
(`stated_chance_targets_met`): the figure the recommendation's `chance_targets_met` holds and the sentence states
(`exact_chance_targets_met` searches on to 0.005 percentage points).
Met with that probability, an hour can still miss a target on average over the spread (a give-up share is steeper
above the estimate than below it): `misses_on_average` finds those hours, whose explanation says so.

Where staff are set for the load carried over from earlier hours (long services), the rule hedges each earlier hour
at its own spread and carries the hedged rates forward: the carried load's spread is not the hour's own.
`carried_spread` reads it back from the hedged load, so the chance counted is that of the staffing rule.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr, ndtri  # the normal quantile; scipy.stats would add 0.5 s to every start

from planner.staffing.floor_model import FloorDemand, FloorMeasures, FloorTargets, floor_measures, meets_targets

QUADRATURE_NODES = 5
"""Gauss-Hermite nodes for the service averaged over the demand's spread (exact for polynomials of degree 9)."""
PLAUSIBLE_DEMANDS = 10
"""The chance the targets are met is counted over this many equally likely loads (their deciles' midpoints)."""


def log_spread(mean, low, high, interval_level: float) -> np.ndarray:
    """Log-scale standard deviation behind a log-normal interval [low, high] around `mean` (0 where unknown)."""
    z = ndtri(0.5 + interval_level / 2.0)
    mean, low, high = (np.asarray(v, dtype=float) for v in (mean, low, high))
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = (np.log(high) - np.log(np.where(low > 0, low, np.nan))) / (2.0 * z)
        one_sided = (np.log(high) - np.log(mean)) / z  # a lower end at 0 says nothing about the spread
    spread = np.where(np.isfinite(spread), spread, one_sided)
    return np.where(np.isfinite(spread) & (spread > 0), spread, 0.0)


def carried_spread(mean_rate, hedged_rate, confidence, spread) -> np.ndarray:
    """The log-spread under which `hedged_rate` (what the rule staffed for) is the `confidence` quantile of
    `mean_rate`: the spread of a load carried over from earlier hours, each hedged at its own spread. `spread` where
    it cannot be read back (no mean rate, or a confidence of 0.5, which hedges nothing)."""
    mean_rate, hedged_rate = (np.asarray(v, dtype=float) for v in (mean_rate, hedged_rate))
    z = ndtri(np.asarray(confidence, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        read = np.log(hedged_rate / mean_rate) / z
    return np.where(np.isfinite(read) & (read >= 0) & (mean_rate > 0), read, spread)


def quantile_factor(spread: np.ndarray, confidence: float) -> np.ndarray:
    """λ x this factor is the λ-quantile at `confidence` (the estimate is the log-normal's median)."""
    return np.exp(ndtri(confidence) * spread)


def averaged_measures(demand: FloorDemand, staff, spread: np.ndarray, targets: FloorTargets) -> FloorMeasures:
    """The floor's measures at `staff`, averaged over the help-seekers' rate λ x exp(spread x N(0, 1))."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(QUADRATURE_NODES)
    weights = weights / weights.sum()
    rows = np.shape(spread)
    # every node in one evaluation (rows stacked node by node): one pass over the arrays, not five
    stacked = [np.broadcast_to(np.asarray(v, dtype=float), rows) for v in (
        demand.assisted_per_hour, demand.assisted_minutes, demand.touch_load_erlangs, staff,
        targets.patience_minutes, targets.target_wait_seconds)]
    rate, minutes, touch, staff_, patience, wait = (np.tile(v, QUADRATURE_NODES) for v in stacked)
    at = floor_measures(FloorDemand(rate * np.exp(np.outer(nodes, spread).ravel()), minutes, touch), staff_,
                        patience_minutes=patience, target_wait_seconds=wait)
    return FloorMeasures(*(_weighted_sum(weights, np.reshape(p, (QUADRATURE_NODES, -1))) for p in (
        at.service_level, at.abandon_share, at.mean_wait_seconds, at.utilisation)))


def misses_on_average(service_level, abandon_share, target_service_level, max_abandon_share
                      ) -> tuple[np.ndarray, np.ndarray]:
    """(in time, give up): where the service level averaged over the demand's spread is below its target, and where
    the averaged give-up share is above its most. False where a figure is not known (NaN)."""
    service_level, abandon_share = (np.asarray(v, dtype=float) for v in (service_level, abandon_share))
    return (service_level < np.asarray(target_service_level, dtype=float),
            abandon_share > np.asarray(max_abandon_share, dtype=float))


def _weighted_sum(weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Σ_k weights[k] x rows[k], added row by row: each element's sum the same however many rows are evaluated
    (a matrix product's blocking would make the last digit depend on the array's length)."""
    total = weights[0] * rows[0]
    for weight, row in zip(weights[1:], rows[1:], strict=True):
        total = total + weight * row
    return total


def chance_targets_met(demand: FloorDemand, staff, spread: np.ndarray, targets: FloorTargets) -> np.ndarray:
    """Share of `PLAUSIBLE_DEMANDS` equally likely rates under which `staff` meet every target.

    More demand never serves better, so the rates met are the lowest ones and their number is found by bisection
    over the ten (four evaluations instead of ten); a row whose rate is certain (no spread) is evaluated once."""
    levels = (np.arange(PLAUSIBLE_DEMANDS) + 0.5) / PLAUSIBLE_DEMANDS
    z = ndtri(levels)
    staff = np.broadcast_to(np.asarray(staff), np.shape(spread))
    met = np.zeros(np.shape(spread))  # rates met, the lowest first
    certain = np.flatnonzero(~(spread > 0))
    if certain.size:
        met[certain] = PLAUSIBLE_DEMANDS * meets_targets(
            _scaled(demand.take(certain), np.exp(z[0] * spread[certain])), staff[certain], targets.take(certain))
    low = np.zeros(met.shape, dtype=np.int64)  # levels below `low` are met, those from `high` on are not
    high = np.full(met.shape, PLAUSIBLE_DEMANDS)
    todo = np.flatnonzero(spread > 0)
    while todo.size:
        mid = (low[todo] + high[todo]) // 2
        ok = meets_targets(_scaled(demand.take(todo), np.exp(z[mid] * spread[todo])), staff[todo],
                           targets.take(todo))
        low[todo[ok]] = mid[ok] + 1
        high[todo[~ok]] = mid[~ok]
        todo = todo[low[todo] < high[todo]]
    met[spread > 0] = low[spread > 0]
    return met / PLAUSIBLE_DEMANDS


EXACT_Z_RANGE = 6.0
"""Beyond the plausible demands' lowest and highest, the exact chance is searched up to the rates this many
log-spreads below and above the estimate (a chance of 1e-9 either side)."""
EXACT_Z_TOLERANCE = 1.2e-4
"""The search stops when the quantile is known within this: the chance within 0.005 percentage points, the most
decimals an explanation shows (two, where a chance is near the one asked)."""


def exact_chance_targets_met(demand: FloorDemand, staff, spread: np.ndarray, targets: FloorTargets,
                             met_share: np.ndarray | None = None) -> np.ndarray:
    """The probability, over the rate λ x exp(spread x N(0, 1)), that `staff` meet every target: Φ(z*), z* the
    highest quantile at which they do (more demand never serves better), found by bisection. What an explanation
    says beside the chance its hour asks for, as "6 of 10" could not: 6 of 10 deciles is anything from 55% to
    65%, below one hour's 65% and above another's 54%. 1 or 0 where the rate is certain (no spread).

    The search starts between the two plausible demands (`chance_targets_met`; `met_share`, its answer for these
    rows, when the caller has it) that the staff meet and do not: about 12 evaluations of the targets, not 24."""
    staff = np.broadcast_to(np.asarray(staff), np.shape(spread))
    spread = np.asarray(spread, dtype=float)
    if met_share is None:
        met_share = chance_targets_met(demand, staff, spread, targets)
    met = np.rint(np.asarray(met_share, dtype=float) * PLAUSIBLE_DEMANDS).astype(np.int64)
    levels = ndtri((np.arange(PLAUSIBLE_DEMANDS) + 0.5) / PLAUSIBLE_DEMANDS)
    bounds = np.concatenate([[-EXACT_Z_RANGE], levels, [EXACT_Z_RANGE]])
    low, high = bounds[met], bounds[met + 1]  # met at `low`, not at `high` (the range's ends still to be seen)

    def meets(rows, z):
        return meets_targets(_scaled(demand.take(rows), np.exp(z * spread[rows])), staff[rows], targets.take(rows))

    uncertain = spread > 0
    none_met = np.flatnonzero(uncertain & (met == 0))
    never = np.zeros(spread.shape, dtype=bool)
    if none_met.size:  # not even the lowest plausible demand: perhaps none at all
        never[none_met] = ~meets(none_met, low[none_met])
    all_met = np.flatnonzero(uncertain & (met == PLAUSIBLE_DEMANDS))
    always = np.zeros(spread.shape, dtype=bool)
    if all_met.size:  # even the highest: perhaps every one
        always[all_met] = meets(all_met, high[all_met])
    todo = np.flatnonzero(uncertain & ~never & ~always)
    while todo.size:
        mid = (low[todo] + high[todo]) / 2.0
        ok = meets(todo, mid)
        low[todo[ok]] = mid[ok]
        high[todo[~ok]] = mid[~ok]
        todo = todo[high[todo] - low[todo] > EXACT_Z_TOLERANCE]
    chance = np.where(always, 1.0, np.where(never, 0.0, ndtr(low)))
    return np.where(uncertain, chance, met / PLAUSIBLE_DEMANDS)


def stated_chance_targets_met(demand: FloorDemand, staff, spread: np.ndarray, targets: FloorTargets, asked,
                              met_share: np.ndarray) -> np.ndarray:
    """`exact_chance_targets_met` searched only as far as `stated_chance` writes it beside the chance `asked`: a
    chance within the last interval searched, every chance in which is written the same. Whole percent takes about
    four evaluations of the targets where the exact search takes twelve, so every hour can have it.

    The search halves the interval of probability (not of quantile: the highest and lowest plausible demands leave
    5% each side, spread over quantiles from 1.6 to 6) and first asks the hours met at every plausible demand about
    the chance that is written 100%, those met at none about the one written 0%."""
    staff = np.broadcast_to(np.asarray(staff), np.shape(spread))
    spread = np.asarray(spread, dtype=float)
    asked = np.broadcast_to(np.asarray(asked, dtype=float), spread.shape)
    met = np.rint(np.asarray(met_share, dtype=float) * PLAUSIBLE_DEMANDS).astype(np.int64)
    bounds = np.concatenate([[0.0], (np.arange(PLAUSIBLE_DEMANDS) + 0.5) / PLAUSIBLE_DEMANDS, [1.0]])
    low, high = bounds[met], bounds[met + 1]  # met with probability `low`, not with `high`
    mid = np.where(met == PLAUSIBLE_DEMANDS, 1.0 - _HALF_A_PERCENT, np.where(met == 0, _HALF_A_PERCENT, np.nan))
    todo = np.flatnonzero((spread > 0) & (stated_chance(low, asked) != stated_chance(high, asked)))
    while todo.size:
        at = np.where(np.isnan(mid[todo]), (low[todo] + high[todo]) / 2.0, mid[todo])
        mid[todo] = np.nan
        ok = meets_targets(_scaled(demand.take(todo), np.exp(ndtri(at) * spread[todo])), staff[todo],
                           targets.take(todo))
        low[todo[ok]] = at[ok]
        high[todo[~ok]] = at[~ok]
        todo = todo[(stated_chance(low[todo], asked[todo]) != stated_chance(high[todo], asked[todo]))
                    & (high[todo] - low[todo] > _ON_A_TIE)]
    return np.where(spread > 0, (low + high) / 2.0, met / PLAUSIBLE_DEMANDS)


_HALF_A_PERCENT = 0.005
_ON_A_TIE = 1e-12
"""A chance this close to halfway between two figures is written as either (the search would never settle)."""


def stated_chance(chances, asked) -> np.ndarray:
    """Each chance as an explanation writes it (`planner.staffing.explain`), as a fraction: in whole percent (0.57),
    or with as many more decimals (up to `MOST_CHANCE_DECIMALS`) as it takes not to read as the chance `asked`
    (0.6496 beside a 0.65 asked). The recommendation's `chance_targets_met`, so the file says what the sentences say."""
    percent, _ = stated_percent(chances, asked)
    return percent / 100.0


def stated_percent(shares, targets, decimals=0) -> tuple[np.ndarray, np.ndarray]:
    """Each share in percent as a sentence or file writes it beside its target, and the decimals it takes: rounded
    half up to `decimals`, or as many more (up to `MOST_CHANCE_DECIMALS`) as it takes not to read as the target; one
    that still reads as its target at the last decimal is rounded toward the side it is on (0.649996 beside 0.65:
    64.999, never 65.000 beside "short of the 65% asked"). The one rounding of chances and shares beside targets."""
    shares, targets, decimals = np.broadcast_arrays(np.asarray(shares, dtype=float), np.asarray(targets, dtype=float),
                                                    np.asarray(decimals, dtype=np.int64))
    # to a billionth of a percent first, so a tie in decimals (65.045) is one whatever its binary neighbour
    percent, target = np.round(100.0 * shares, 9), np.round(100.0 * targets, 9)
    decimals = decimals.copy()
    pending = np.ones(percent.shape, dtype=bool)
    while True:
        scale = 10.0**decimals
        stated = np.floor(percent * scale + 0.5) / scale
        pending &= (stated == np.floor(target * scale + 0.5) / scale) & (decimals < MOST_CHANCE_DECIMALS)
        if not pending.any():
            break
        decimals = np.where(pending, decimals + 1, decimals)
    scale = 10.0**decimals
    alike = stated == np.floor(target * scale + 0.5) / scale
    stated = np.where(alike & (percent < target), np.floor(percent * scale) / scale,
                      np.where(alike & (percent > target), np.ceil(percent * scale) / scale, stated))
    return stated, decimals


MOST_CHANCE_DECIMALS = 3
"""A chance beside the chance asked shows at most this many decimals of a percent."""


def _scaled(demand: FloorDemand, factor: np.ndarray) -> FloorDemand:
    return FloorDemand(demand.assisted_per_hour * factor, demand.assisted_minutes, demand.touch_load_erlangs)
