"""Customers per hour from sparse counts, by a pooled model: store level x weekday factor x smooth hour profile.

Arrays have shape (stores, 7, 24): weekday 0 = Monday, clock hour 0-23. Rates are customers per hour. Inputs are
one element per counted hour (its store, weekday, hour, date and count, and a weight < 1 where the count is
noisier than Poisson); see `planner.demand` for the method in plain words.

    rate[s, w, h] = level[s] x shape[format(s), w, h] x day[s, w] x bend[s, group(w), h]

- `shape`: the log-rate of a pool of stores (the whole chain, then each format) as a weekday level plus a smooth
  curve over the hours per group of similar weekdays, fitted by a penalised Poisson regression (Newton steps; the
  penalty is on the curve's third differences, so where counts are few the curve bends like a bell rather than
  running on straight; it ties the weekend curves to the weekday curve, each weekday level of a group of similar
  weekdays to the next, and a format's curve and weekday levels to the chain's, so a format with few counts
  follows the chain).
- `level`: the store's own customers over what its shape expects in the hours it was counted.
- `day` and `bend`: the store's own departures from the format, per weekday and (smoothed over neighbouring
  hours) per hour, each shrunk toward 1 as a Gamma-Poisson posterior: a store counted for weeks keeps its own
  shape, a store counted for a few windows borrows it.
- the cell: each counted weekday-hour's own counts against that profile, weighted w = departure / (departure +
  own), `own` the sampling log-variance of its own counts' mean (Poisson plus an hour's swings, read from how
  one cell's counts differ from day to day) and `departure` the log-variance of cells' true rates around their
  profiles, read from the counts (empirical Bayes: how far the counted cells stray beyond their own noise, plus
  that estimate's standard error, at least `cell_spread`^2). A cell counted three times or more whose departure
  is clearly beyond that (`CLEAR_DEPARTURE`) keeps its own.
- Uncertainty: log-scale variances of each factor of the profile (Poisson information corrected for the
  over-dispersion between days, estimated from the counts) added up, then for the cell (1 - w)^2 x (the profile's
  + departure) + w^2 x own; the interval is log-normal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtri  # the normal quantile; scipy.stats would add 0.5 s to every start

from planner.settings import DemandRules

WEEKDAY_COUNT, HOURS_PER_DAY = 7, 24
HOURS_PER_WEEK = WEEKDAY_COUNT * HOURS_PER_DAY
NEWTON_STEPS = 25
LEVEL_ROUNDS = 3
"""Rounds of alternating between the pool shapes and the store levels (they settle in two or three)."""
MIN_REPEATED_HOURS = 20
"""Counts of a cell beyond its first needed, over the chain, to read an hour's own swings from the counts."""
CLEAR_DEPARTURE = 6.63
"""A cell counted at least `min_hours_for_high_confidence` times whose squared log departure from the profile
exceeds this many times its expected variance (the 99% point of a chi-square with 1 degree of freedom: 1 cell in
100 by chance) keeps its own departure (fewer counts may be one odd day)."""


@dataclass(frozen=True)
class CountedHours:
    """One element per counted hour."""

    store: np.ndarray
    weekday: np.ndarray
    hour: np.ndarray
    day: np.ndarray
    """Index of the date the hour was counted on (any integer code; the same date gives the same code)."""
    count: np.ndarray
    weight: np.ndarray
    """1 for a plain count; less where the count carries less information than a Poisson count of its size."""
    exposure: np.ndarray | None = None
    """The share of its clock hour the store was open (0.5 for the 09:00 of an opening at 09:30): the count holds
    that part of an hour's customers, so the rate fitted is customers per open hour. None: every hour whole."""

    def weighed_exposure(self) -> np.ndarray:
        """weight x exposure per counted hour: the hours of customers each count stands for, in the fit's weights."""
        weight = np.asarray(self.weight, dtype=float)
        return weight if self.exposure is None else weight * self.exposure


@dataclass(frozen=True)
class PooledRates:
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    log_sd: np.ndarray
    """Standard deviation of the log-rate: the spread of what the rate could be, given the counts."""
    own_share: np.ndarray
    """0-1 per cell: how much of the hour profile is the store's own (1) rather than borrowed (0)."""


def pooled_rates(
    hours: CountedHours, store_format: np.ndarray, open_cells: np.ndarray, rules: DemandRules,
) -> PooledRates:
    """The rate of every cell of every store that has counted hours (NaN for stores without any).
    `store_format` is an integer code per store; `open_cells` a (stores, 7, 24) mask of opening hours.

    The model's days run from the chain's quietest clock hour (`day_boundary`), not from midnight: an hour after
    midnight of a store open late is the evening's last, on the evening's weekday and curve, so its curve goes on
    from the evening instead of bending toward the next morning's opening."""
    boundary = day_boundary(open_cells)
    shifted = CountedHours(hours.store, *business_hours(hours.weekday, hours.hour, boundary), hours.day, hours.count,
                           hours.weight, hours.exposure)
    rates = _pooled_by_day(shifted, store_format, by_business_day(open_cells, boundary), rules)
    return PooledRates(*(by_business_day(part, -boundary) for part in (
        rates.mean, rates.low, rates.high, rates.log_sd, rates.own_share)))


def day_boundary(open_cells: np.ndarray) -> int:
    """The clock hour the model's days start at: the first hour of the day in which the fewest of the chain's
    store-weekdays are open (0 for a chain closed at midnight; 2 for one whose latest store closes at 02:00)."""
    open_by_hour = open_cells.sum(axis=(0, 1)) if open_cells.size else np.zeros(HOURS_PER_DAY)
    return int(np.argmin(open_by_hour))


def business_hours(weekday, hour, boundary: int) -> tuple[np.ndarray, np.ndarray]:
    """(weekday, hour) of days starting at `boundary` o'clock for clock weekdays and hours: 01:00 on a Saturday is
    Friday's hour 23 when the days start at 02:00."""
    if boundary == 0:
        return np.asarray(weekday), np.asarray(hour)
    # in int16 (the week's 168 hours), returned as one byte each: the arrays are as long as the counted hours
    week_hour = (np.asarray(weekday, dtype=np.int16) * HOURS_PER_DAY + np.asarray(hour, dtype=np.int16)
                 - boundary) % HOURS_PER_WEEK
    return (week_hour // HOURS_PER_DAY).astype(np.int8), (week_hour % HOURS_PER_DAY).astype(np.int8)


def by_business_day(cells: np.ndarray, boundary: int) -> np.ndarray:
    """(stores, 7, 24) cells by clock day re-read as days starting at `boundary` o'clock (a negative boundary reads
    them back): the week's hours moved `boundary` places earlier, round the week."""
    if boundary == 0:
        return cells
    stores = cells.shape[0]
    return np.roll(cells.reshape(stores, HOURS_PER_WEEK), -boundary, axis=1).reshape(stores, WEEKDAY_COUNT,
                                                                                     HOURS_PER_DAY)


def _days_counted(hours: CountedHours, stores: int) -> np.ndarray:
    """Per store, the number of different dates it was counted on (0 for a store never counted). In numpy on one
    int64 key per counted hour: pandas' grouped `nunique` held several copies of the counts' length at the demand's
    memory peak (2,000,000 counted hours)."""
    if len(hours.day) == 0:
        return np.zeros(stores)
    day = np.asarray(hours.day, dtype=np.int64)
    first = day.min()
    span = int(day.max() - first) + 1
    pairs = np.unique(np.asarray(hours.store, dtype=np.int64) * span + (day - first))
    return np.bincount(pairs // span, minlength=stores).astype(float)


def _pooled_by_day(
    hours: CountedHours, store_format: np.ndarray, open_cells: np.ndarray, rules: DemandRules,
) -> PooledRates:
    """`pooled_rates` with (weekday, hour) already those of the model's days."""
    stores = open_cells.shape[0]
    groups = _group_of_weekday(rules.similar_weekdays)
    y, w = np.asarray(hours.count, dtype=float), np.asarray(hours.weight, dtype=float)  # no copy when float
    counted = np.bincount(hours.store, minlength=stores) > 0
    flat = (hours.store * WEEKDAY_COUNT + hours.weekday) * HOURS_PER_DAY + hours.hour
    t = hours.weighed_exposure()  # w where every hour was open whole
    cell_y = np.bincount(flat, w * y, stores * 168).reshape(stores, 7, 24)
    cell_n = np.bincount(flat, t, stores * 168).reshape(stores, 7, 24)  # hours of exposure, in the weights
    cell_w = cell_n if t is w else np.bincount(flat, w, stores * 168).reshape(stores, 7, 24)  # counted hours
    level = np.where(counted, np.bincount(hours.store, w * y, stores) / np.maximum(np.bincount(hours.store, t,
                                                                                                 stores), 1e-9), 0.0)
    level = np.maximum(level, rules.min_prior_customers / 10.0)
    formats = np.unique(store_format)
    chain_shape = np.zeros((7, 24))
    for _ in range(LEVEL_ROUNDS):
        exposure = (cell_n * level[:, None, None]).sum(axis=0)
        chain_params, chain_shape, chain_var = _fit_shape(cell_y.sum(axis=0), exposure, None, groups, rules,
                                                          prior_weight=rules.chain_prior_weight)
        level = _levels(cell_y, cell_n, np.exp(chain_shape)[None], rules)
    shape = np.empty((stores, 7, 24))
    shape_var = np.empty((stores, 7, 24))
    for code in formats:
        members = store_format == code
        fitted, fitted_var = chain_shape, chain_var
        for _ in range(LEVEL_ROUNDS):
            exposure = (cell_n[members] * level[members, None, None]).sum(axis=0)
            _, fitted, fitted_var = _fit_shape(cell_y[members].sum(axis=0), exposure, chain_params, groups, rules,
                                               prior_weight=rules.format_prior_weight,
                                               level_prior_weight=1.0 / rules.format_weekday_spread**2)
            level[members] = _levels(cell_y[members], cell_n[members], np.exp(fitted)[None], rules)
        shape[members], shape_var[members] = fitted, fitted_var
    counted_hours = cell_n.sum(axis=(0, 1)) > 0
    shape = no_rise_past_counts(shape, counted_hours)
    expected_unit = np.exp(shape) * cell_n  # customers the shape expects at level 1 in the counted hours
    level_y, level_e = cell_y.sum(axis=(1, 2)), expected_unit.sum(axis=(1, 2))
    days_counted = _days_counted(hours, stores)
    base = level[:, None, None] * np.exp(shape)
    spread = _overdispersion(hours, base, rules)
    # the store's own weekday factor, then its own bend of the hour profile
    day_k = 1.0 / rules.store_day_spread**2
    day_y, day_e = cell_y.sum(axis=2), (cell_n * base).sum(axis=2)
    day = (day_y + day_k) / (day_e + day_k)
    day_var = 1.0 / (day_y + day_k)
    base = base * day[:, :, None]
    bend, bend_var, own = _bends(cell_y, cell_n * base, groups, rules)
    mean = base * bend
    # last, each cell's own counts against the profile, shrunk as far as cells depart from the profile at all
    # (empirical Bayes): a store counted for weeks keeps a weekday's own intraday shape where the counts show one
    cell_e = cell_n * mean
    cell_weight, own_var, departure_var = _own_cell_weight(hours, flat, cell_y, cell_w, cell_e, spread, rules)
    with np.errstate(divide="ignore", invalid="ignore"):
        cell_ratio = np.where(cell_e > 0, cell_y / cell_e, 1.0)
    mean = mean * (1.0 + cell_weight * (cell_ratio - 1.0))
    mean = no_rise_past_counts(mean, counted_hours)  # nor does a store's own bend lift its uncounted night
    misfit = _misfit(hours, base, spread)  # how far the borrowed profile alone misses the store's own counts
    # the borrowed profile's uncertainty counts only as far as the profile is borrowed
    profile_var = ((1.0 / np.maximum(level_y, rules.min_prior_customers) + spread / np.maximum(days_counted, 1))[
        :, None, None] + day_var[:, :, None] + bend_var
        + (1.0 - own) ** 2 * (shape_var + max(rules.model_error_inflation * misfit, rules.borrowed_shape_spread**2)))
    # the cell's estimate is (1 - w) x the profile's (off by its error and the cell's departure) + w x its own
    # counts' mean (off by their sampling error)
    log_var = (1.0 - cell_weight) ** 2 * (profile_var + departure_var) + cell_weight**2 * own_var
    log_sd = np.sqrt(log_var)
    z = ndtri(0.5 + rules.interval_level / 2.0)
    known = counted[:, None, None] & open_cells & np.isfinite(mean) & (level_e > 0)[:, None, None]
    blank = np.where(known, 1.0, np.nan)
    return PooledRates(mean * blank, mean * np.exp(-z * log_sd) * blank, mean * np.exp(z * log_sd) * blank,
                       log_sd * blank, own * blank)


def no_rise_past_counts(shape: np.ndarray, counted: np.ndarray) -> np.ndarray:
    """Each log-shape or rate (pools or stores x 7 x 24), before the first and after the last hour of the day anybody
    in the chain counted on any day (`counted`, 24), never rising away from that hour: where nothing was counted the
    smooth curve
    may go on falling as the counted hours fall, but not turn and climb into hours no count supports (a curve bent
    upward by the counted evening would otherwise climb through the night); it levels off instead. (The curves of
    similar weekdays are tied, so an hour counted on any day tells every day's curve something.)"""
    hours = np.flatnonzero(counted)
    if hours.size == 0:
        return shape
    first, last = hours[0], hours[-1]
    capped = shape.copy()
    capped[..., last:] = np.minimum.accumulate(shape[..., last:], axis=-1)
    capped[..., :first + 1] = np.minimum.accumulate(shape[..., first::-1], axis=-1)[..., ::-1]
    return capped


def _levels(cell_y, cell_n, unit_shape, rules: DemandRules) -> np.ndarray:
    """Each store's customers over what the shape expects in its counted hours (a Jeffreys-like half customer
    keeps a store that counted nobody above 0)."""
    expected = (cell_n * unit_shape).sum(axis=(1, 2))
    counted = cell_y.sum(axis=(1, 2))
    return np.where(expected > 0, (counted + rules.min_prior_customers) / np.maximum(expected, 1e-12), 1.0)


def _fit_shape(y, exposure, prior: np.ndarray | None, groups, rules: DemandRules, prior_weight: float,
               level_prior_weight: float | None = None):
    """Penalised Poisson fit of the log-shape (7 x 24): a level per weekday + a curve per weekday group, by Newton
    steps. `prior` holds the parameters the ridge pulls toward (None: 0), with weight `prior_weight` per curve
    parameter and `level_prior_weight` per weekday level (default: `prior_weight`). Returns the parameters, the
    fitted log-shape and its variance per cell (quasi-Poisson: scaled by the Pearson dispersion).

    The design only adds a weekday's level to its group's curve, so X'WX and X'r are assembled by sums rather
    than matrix products (tiny products are slow on a busy machine's threaded BLAS)."""
    group_count = groups.max() + 1
    size = 7 + group_count * 24
    curve_of = 7 + groups[:, None] * 24 + np.arange(24)[None, :]  # (7, 24): the curve column of each cell
    weekday_of = np.repeat(np.arange(7)[:, None], 24, axis=1)
    smooth = _penalty(groups, rules, levels_off=prior is None)
    ridge = np.full(size, prior_weight)
    ridge[:7] = prior_weight if level_prior_weight is None else level_prior_weight
    penalty = smooth + np.diag(ridge)
    prior = np.zeros(size) if prior is None else prior
    params = prior.copy()
    total_e = float(exposure.sum())
    if total_e > 0:  # half a customer spread over the counted hours keeps a pool that saw nobody finite
        y = y + rules.min_prior_customers * exposure / total_e
    total_y = float(y.sum())
    if total_y > 0 and total_e > 0 and prior_weight < 1:  # start at the pool's mean rate
        params[:7] += np.log(total_y / total_e)

    def hessian_at(mu):
        h = np.zeros((size, size))
        h[np.arange(7), np.arange(7)] = mu.sum(axis=1)
        np.add.at(h, (curve_of.ravel(), curve_of.ravel()), mu.ravel())
        np.add.at(h, (weekday_of.ravel(), curve_of.ravel()), mu.ravel())
        np.add.at(h, (curve_of.ravel(), weekday_of.ravel()), mu.ravel())
        return h + penalty

    for _ in range(NEWTON_STEPS):
        eta = params[:7, None] + params[curve_of]
        mu = exposure * np.exp(np.clip(eta, -30, 30))
        residual = y - mu
        gradient = np.zeros(size)
        gradient[:7] = residual.sum(axis=1)
        np.add.at(gradient, curve_of.ravel(), residual.ravel())
        gradient -= smooth @ params + ridge * (params - prior)
        step = np.linalg.solve(hessian_at(mu), gradient)
        params = params + step
        if np.abs(step).max() < 1e-7:
            break
    eta = params[:7, None] + params[curve_of]
    mu = exposure * np.exp(np.clip(eta, -30, 30))
    covariance = np.linalg.inv(hessian_at(mu))
    cell_var = (covariance[weekday_of, weekday_of] + covariance[curve_of, curve_of]
                + 2.0 * covariance[weekday_of, curve_of])
    # the penalty leaves fewer effective parameters than columns: the trace of the fit's hat matrix,
    # tr(H^-1 X'WX) = columns - tr(H^-1 penalty)
    effective = size - float(np.einsum("ij,ji->", covariance, penalty))
    dispersion = _pearson_dispersion(y.ravel(), mu.ravel(), effective)
    return params, eta, dispersion * cell_var


def _pearson_dispersion(y, mu, parameters: float) -> float:
    """Quasi-Poisson scale: Pearson's chi-square per degree of freedom (`parameters`: the fit's effective number),
    at least 1."""
    used = mu > 0
    freedom = used.sum() - parameters
    if freedom <= 1:
        return 1.0
    return max(float(((y[used] - mu[used]) ** 2 / mu[used]).sum() / freedom), 1.0)


def _penalty(groups: np.ndarray, rules: DemandRules, levels_off: bool) -> np.ndarray:
    """Smoothness of each group's curve (third differences: see `DemandRules.shape_smoothness`; with `levels_off`, a
    tenth of it on the first differences too, for the chain's curve, which leans on nothing but flat: there the
    hours nobody counted level off rather than curve away), weekend curves tied to the first group's, the weekday
    levels of a group tied each to the next (a Gaussian random walk over the group's weekdays in order, steps of
    log-spread `similar_weekday_step`: without a tie a weekday counted once takes that count's level, and the hour
    curve learns nothing from counts spread over different weekdays; tied to the next rather than to the group's
    mean, the levels may rise or fall through the week as traffic does), and a faint ridge that fixes the curves'
    level against the weekday levels."""
    group_count = groups.max() + 1
    size = 7 + group_count * 24
    first, third = np.diff(np.eye(24), axis=0), np.diff(np.eye(24), n=3, axis=0)
    curve = rules.shape_smoothness * (third.T @ third)
    if levels_off:
        curve = curve + rules.shape_smoothness / 10.0 * (first.T @ first)
    penalty = np.zeros((size, size))
    for group in range(group_count):
        block = slice(7 + group * 24, 7 + (group + 1) * 24)
        penalty[block, block] += curve + 1e-4 * np.eye(24)
        if group > 0:  # a group's curve is tied to the first group's (Monday to Friday)
            tie = np.zeros((24, size))
            tie[:, block] = np.eye(24)
            tie[:, 7:31] -= np.eye(24)
            penalty += rules.weekend_tie * (tie.T @ tie)
    penalty[:7, :7] += 1e-4 * np.eye(7)
    for group in range(group_count):
        days = np.flatnonzero(groups == group)
        step = np.diff(np.eye(days.size), axis=0)  # each weekday's level against the next one's
        penalty[np.ix_(days, days)] += step.T @ step / rules.similar_weekday_step**2
    return penalty


def _bends(cell_y, cell_e, groups, rules: DemandRules):
    """The store's own bend of the hour profile per weekday group: its customers over those expected, summed over
    the group's weekdays and smoothed over neighbouring hours, shrunk toward 1 (Gamma prior of strength
    1/store_shape_spread^2 customers). Returns the bend, its log-variance and the own share per cell."""
    group_count = groups.max() + 1
    member = np.eye(group_count)[groups]  # 7 x groups
    y = np.einsum("swh,wg->sgh", cell_y, member)
    e = np.einsum("swh,wg->sgh", cell_e, member)
    offsets = np.arange(24)
    kernel = np.exp(-0.5 * ((offsets[:, None] - offsets[None, :]) / rules.own_shape_bandwidth_hours) ** 2)
    smooth_y, smooth_e = y @ kernel, e @ kernel
    information = smooth_y**2 / np.maximum(y @ kernel**2, 1e-12)  # effective customers behind each smoothed ratio
    information = np.where(smooth_y > 0, information, smooth_e)
    k = 1.0 / rules.store_shape_spread**2
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(smooth_e > 0, smooth_y / smooth_e, 1.0)
    weight = information / (information + k)
    bend = 1.0 + weight * (ratio - 1.0)
    bend_var = 1.0 / (information + k)
    return (np.einsum("sgh,wg->swh", bend, member), np.einsum("sgh,wg->swh", bend_var, member),
            np.einsum("sgh,wg->swh", weight, member))


def _overdispersion(hours: CountedHours, base: np.ndarray, rules: DemandRules) -> float:
    """Log-variance of a whole day's level beyond Poisson noise, by the method of moments over store-days; at least
    `min_day_spread`^2.

    A store-day's level is r = log(sum w y / sum w e) over its hours (y the count, e what the profile expects, w the
    hour's weight), so a weight the same for the whole day (its recency) leaves it unchanged, and its Poisson noise
    is v = sum w^2 e / (sum w e)^2 (1 / sum e for plain counts). Each day weighs a = sum w e / sum e (its mean
    weight: an old or de-censored day counts less) around its store's a-weighted mean level m. With A = sum a over
    the store's days, E[sum a (r - m)^2] = sum a (s + v) - sum a^2 (s + v) / A for a spread s, so s is read as
    (sum a (r - m)^2 - sum a v + sum a^2 v / A) / (A - sum a^2 / A), numerator and denominator summed over stores
    (for equal weights and noise: the days' variance around their store's mean, less the noise)."""
    # one integer key per store-day, ordered as (store, day): one grouping of millions of rows, not two
    first_day = int(hours.day.min()) if len(hours.day) else 0
    day_codes = int(hours.day.max()) - first_day + 1 if len(hours.day) else 1
    store_day = hours.store * day_codes + (hours.day - first_day)
    # summed by bincount over the store-days' codes, a column at a time: a frame of the four columns grouped at
    # once held several copies of millions of rows, the recommendation's peak memory for a large chain
    codes, keys = pd.factorize(store_day, sort=True)
    del store_day
    expected = base[hours.store, hours.weekday, hours.hour]
    if hours.exposure is not None:
        expected = expected * hours.exposure
    weight = np.asarray(hours.weight, dtype=float)
    per_day = pd.DataFrame({
        "y": np.bincount(codes, hours.count * weight, keys.size),
        "we": np.bincount(codes, weight * expected, keys.size),
        "wwe": np.bincount(codes, weight**2 * expected, keys.size),
        "e": np.bincount(codes, expected, keys.size),
    }, index=keys)
    del codes, expected, weight
    per_day = per_day[(per_day["e"] > 5) & (per_day["we"] > 0)]
    floor = rules.min_day_spread**2
    if len(per_day) < 8:
        return floor
    store = per_day.index.to_numpy() // day_codes  # the key's store part
    mean_weight = per_day["we"] / per_day["e"]
    level = np.log((per_day["y"] + 0.5 * mean_weight) / per_day["we"])
    noise = per_day["wwe"] / per_day["we"] ** 2
    by_store = pd.DataFrame({"a": mean_weight, "ar": mean_weight * level, "aa": mean_weight**2,
                             "an": mean_weight * noise, "aan": mean_weight**2 * noise}).groupby(store)
    sums = by_store.sum()
    days = by_store.size()
    usable = days > 1
    if int(days[usable].sum()) < 8:
        return floor
    sums = sums[usable]
    centred = level - (sums["ar"] / sums["a"]).reindex(store).to_numpy()
    squares = pd.Series(mean_weight.to_numpy() * centred.to_numpy() ** 2).groupby(store).sum()[usable]
    spread_part = float((sums["a"] - sums["aa"] / sums["a"]).sum())
    noise_part = float((sums["an"] - sums["aan"] / sums["a"]).sum())
    if spread_part <= 0:
        return floor
    return max((float(squares.sum()) - noise_part) / spread_part, floor)


def _own_cell_weight(hours: CountedHours, flat, cell_y, cell_n, cell_e, day_spread: float, rules: DemandRules):
    """How far each cell's estimate is its own counts' rate rather than the profile's: w = departure / (departure +
    own), `own` the sampling log-variance of its own counts' mean (Poisson and an hour's swings beyond it, over
    `cell_n` counted hours in their weights),
    `departure` the log-variance of a cell's true rate around the profile (`_departure_variance`), or, for a cell
    counted at least `min_hours_for_high_confidence` times that clearly departs (`CLEAR_DEPARTURE`), its own
    squared departure beyond its noise. Returns w, own (0 where never counted) and departure, per cell."""
    hour_var = _hour_overdispersion(hours, flat, cell_n.size, day_spread)
    counted_hours = np.bincount(flat, minlength=cell_n.size).reshape(cell_n.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        own_var = np.where(cell_n > 0, 1.0 / np.maximum(cell_e, rules.min_prior_customers) + hour_var / cell_n, np.inf)
        residual = np.log((cell_y + rules.min_prior_customers) / (cell_e + rules.min_prior_customers))
    departure_var = _departure_variance(cell_y, cell_e, own_var, rules)
    clear = ((counted_hours >= rules.min_hours_for_high_confidence)
             & (residual**2 > CLEAR_DEPARTURE * (departure_var + own_var)))
    departure_var = np.where(clear, residual**2 - own_var, departure_var)
    weight = np.where(cell_n > 0, departure_var / (departure_var + own_var), 0.0)
    return weight, np.where(cell_n > 0, own_var, 0.0), departure_var


def _hour_overdispersion(hours: CountedHours, flat: np.ndarray, size: int, day_spread: float) -> float:
    """Relative variance of one counted hour's customers around its cell's rate beyond Poisson noise (a day's and
    an hour's own swings), by the method of moments over the cells counted more than once, each count weighing its
    weight w (its recency: an old count tells less of today's swings): with m the cell's w-weighted mean,
    W = sum w and D = W - sum w^2 / W, E[sum w (y - m)^2] = (m + phi m^2) D, so phi = sum over cells of
    (sum w (y - m)^2 - m D) / sum of m^2 D (at least 0; (S - (n - 1) m) / sum (n - 1) m^2 for equal weights).
    `day_spread` (the whole day's) when fewer than `MIN_REPEATED_HOURS` repeat counts tell."""
    y = hours.count.astype(float)
    w = np.asarray(hours.weight, dtype=float)
    n = np.bincount(flat, minlength=size).astype(float)
    total = np.bincount(flat, w, size)
    with np.errstate(divide="ignore", invalid="ignore"):
        cell_mean = np.bincount(flat, w * y, size) / total
        spread_weight = total - np.bincount(flat, w**2, size) / total  # D: n - 1 for equal weights
    deviation = cell_mean[flat]  # one array of the hours' length, worked in place (millions of hours at a chain's)
    np.subtract(y, deviation, out=deviation)
    np.square(deviation, out=deviation)
    deviation *= w
    squares = np.bincount(flat, deviation, size)
    del deviation
    repeated = (n >= 2) & (total > 0)
    if (n[repeated] - 1.0).sum() < MIN_REPEATED_HOURS:
        return day_spread
    denominator = (spread_weight[repeated] * cell_mean[repeated] ** 2).sum()
    if denominator <= 0:
        return day_spread
    excess = (squares[repeated] - spread_weight[repeated] * cell_mean[repeated]).sum()
    return max(float(excess / denominator), 0.0)


def _departure_variance(cell_y: np.ndarray, cell_e: np.ndarray, own_var: np.ndarray, rules: DemandRules) -> float:
    """Log-variance of a counted cell's true rate around the store's smooth profile (`excess_log_variance` over the
    chain's counted cells, at least `cell_spread`^2)."""
    counted = np.isfinite(own_var) & (cell_e > 0)
    return excess_log_variance(cell_y[counted], cell_e[counted], own_var[counted], rules.cell_spread**2, rules)


def excess_log_variance(y: np.ndarray, expected: np.ndarray, noise: np.ndarray, floor: float,
                        rules: DemandRules) -> float:
    """Log-variance of true rates around what was expected of them, beyond the counts' own noise, by the method of
    moments: log(y / expected) has variance (this + `noise`), weighted by 1 / `noise`. Its standard error is added
    (few agreeing cells do not prove the expectation exact), and it is at least `floor`."""
    if y.size < 2:
        return floor
    residual = np.log((y + rules.min_prior_customers) / (expected + rules.min_prior_customers))
    weight = 1.0 / noise
    estimate = max(float((weight * (residual**2 - noise)).sum() / weight.sum()), 0.0)
    # w (estimate + noise) written as w estimate + 1: a cell of huge noise (counts weighed to nearly nothing) would
    # overflow noise squared to inf and its weight squared to 0, and 0 x inf is NaN for the whole chain
    error = float(np.sqrt(2.0 * ((weight * estimate + 1.0) ** 2).sum()) / weight.sum())
    return max(estimate + error, floor)


def _misfit(hours: CountedHours, mean: np.ndarray, spread: float) -> float:
    """Relative variance of the counts around the model beyond Poisson and day-to-day noise, by the method of
    moments over the counted hours: Σ((y - μ)² - μ) / Σμ² - day spread² (at least 0)."""
    mu = mean[hours.store, hours.weekday, hours.hour]
    if hours.exposure is not None:
        mu = mu * hours.exposure
    used = np.isfinite(mu) & (mu > 0)
    if used.sum() < 2:
        return 0.0
    y, mu, w = hours.count[used], mu[used], hours.weight[used]
    excess = float((w * ((y - mu) ** 2 - mu)).sum() / (w * mu**2).sum())
    return max(excess - spread, 0.0)


def _group_of_weekday(similar_weekdays) -> np.ndarray:
    groups = np.zeros(7, dtype=int)
    for index, group in enumerate(similar_weekdays):
        groups[list(group)] = index
    return groups
