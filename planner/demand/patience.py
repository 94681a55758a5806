"""Each store's mean patience (minutes a help-seeker waits before giving up), estimated from its counts:
`estimate_patience`.

What the counts can tell. A help-seeker who gives up is tallied as self-service, so no count shows the abandoners
directly; what moves is the served share of the customers, assisted / (assisted + self_service). With the help-
seekers' share p of all customers fixed, that share is p (1 - P_ab): p where the floor is free, less where the staff
are swamped. P_ab, the share giving up, is Erlang A's (M/M/n+M) at the hour's load and staff; it rises as patience
falls (for exponential patience, abandon share = mean wait / mean patience). So a patience is told apart from a
different mix of customers only where the same kind of hour was counted at different loads per salesperson.

Service times that vary less than exponential ones (coefficient of variation cv < 1) make waits shorter, and fewer
give up for the same patience. The identity above still holds (it needs exponential patience only, any service),
so the waits are scaled: M/G/n+M's share giving up at patience τ is taken as Erlang A's at τ / sqrt((1 + cv^2) / 2)
(`wait_scale_of`). Allen-Cunneen's full (1 + cv^2) / 2, right for M/G/n waits without abandonment, over-corrects
where patience cuts the queue short; its square root, the factor by which the queue's spread changes when the
service's variance enters the number-in-system diffusion, is what simulated floors bore out: with lognormal service
of CV 0.5, 0.8 and 1.0 (24 estimates each, eight weeks of counts, staff 2-6), the geometric mean of estimate /
truth was 1.02, 1.05 and 1.10 (Allen-Cunneen's: 0.80, 0.95, 1.10; no allowance: 1.28, 1.16, 1.10) and the 90%
intervals held the truth in 24, 23 and 22 of 24. Other draws of the same floors gave 1.04-1.15 at CV 0.8 and 1.06
at 0.5: a residual lean to long of about 5-15%, mostly from the longest patience (8 min reads 1.1-1.3x), where the
share giving up changes least with patience.

The model, per store: the help-seekers' share p_h depends on the clock hour (the mix at lunch is not the mix in the
evening) but not on the weekday, so the same clock hour on a quiet Tuesday and a busy Saturday, or under different
staff, gives the contrast. The counted hours with `staff_on_duty` are taken together per store, weekday, clock
hour, staff and date load: customers T = assisted + self_service, help-seekers λ = p_h x their expected T per open
hour (an hour open for part of it, the 09:00 of an opening at 09:30, holds that part of an hour's customers, and its
customers come in its open minutes: `open_parts`, as the demand model reads a count, the store calendar's hours on
a date it changed; an hour of a date the calendar gives a demand factor, a sale's 1.5, is expected to hold that many
usual hours' customers, the load its staff faced: `date_loads`), staff free for them = staff_on_duty - the touch minutes / 60 per open hour (at least
`min_effective_staff`), service minutes the store's mean; served ~ Binomial(T, p_h (1 - P_ab(λ, staff, patience))). The expected T of a counted hour is its cell's
mean over the counted days times its day's level, not the hour's own count (`_expected_customers`): the count's
Poisson noise spreads the loads the give-up shares are read against, which flattens their rise with the load and
reads as a longer patience. On simulated floors of steady hours (each counted hour run at its own rate and staff
long enough to be in steady state, exponential service, four stores, 16 draws) the own count gave 1.64x the truth
(all customers seeking help) and 1.27x (with twice as many self-service customers); the expected T 1.26x and 1.08x.
For each patience on a grid, the p_h are fitted (a fixed point, a few steps) and the deviance profiled; the
interval is where the deviance, scaled by its over-dispersion (Pearson), stays within the χ²(1) quantile of the
`interval_level` of its least value. The stores of one format can be pooled: their deviances add, each with its own
p_h, and they share one patience.

A store's estimate is "informative" when its interval lies inside the grid and its high end is at most
`patience_max_interval_ratio` times its low end; else the stores of its format together, else the setting (the
caller, `planner.targets.resolve_targets`, decides). Limits: every hour is taken as a steady state of its own, while
a real day starts empty at opening and each hour starts from the queue the last one left. On the same simulated
floors run as whole days from an empty opening (flat rates, all customers seeking help), that alone took the
estimate from 1.26x to 1.60x the truth, and to 2.99x for a store with 28-minute service (patience 10 minutes): the
longer the service, the further an hour is from its steady state. On the accuracy benchmark's chain, counted under
day-to-day staff with its service CV given, the estimates used read 1.5-1.7x long (seeds 2026, 99, 7). So an
informative estimate is corrected (`planner.demand.patience_opening`, `DemandRules.patience_opening_correction`):
the store's counted days are simulated from an empty opening at a few candidate patiences, this same estimate is
run on them, and the observed estimate and its interval's ends are read back through that map. On the simulated
whole days the estimates used go from 1.39x the truth to 0.91x, on the chain from 1.5-1.7x to 1.07-1.21x (its
touches, served before help-seekers there, are simulated in one queue with them here). Patience is taken as
exponential, service by its mean and CV only (the CV from the store file's `service_cv`, else
`SimulationRules.service_cv`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.special import chdtri, ndtri  # chi-squared and normal quantiles; scipy.stats would add 0.5 s to every start

from planner.calendar import counted_date_factors
from planner.fits import remembered
from planner.hours import WEEKDAYS
from planner.queueing.erlang_a import PalmQueue
from planner.schemas import ObservationSchema as O, StoreSchema as S
from planner.settings import DemandRules
from planner.staff_hours import counted_open_parts

GRID_MINUTES = np.geomspace(0.5, 60.0, 25)
"""Patience values tried (minutes): 22% apart, from half a minute to an hour (the interval's ends are interpolated)."""
FIXED_POINT_STEPS = 3
"""Steps fitting the help-seekers' shares p_h at one patience (each starts from the previous patience's)."""
MINUTES_PER_HOUR = 60.0
QUIET = 1e-6
"""An hour whose share giving up stays below this at the shortest patience, all customers seeking help, tells
nothing about patience: it is not put through Erlang A."""
ERLANG_A_BLOCK_ROWS = 1 << 16
"""Rows put through Erlang A at once (its temporaries, dozens of floats a row, stay near 30 MB a block)."""
_EDGE = 1e-9

OWN, FORMAT = "own counts", "format"
"""How an informative estimate was made: from the store's own counts, or its format's stores' together. Never the
whole chain's: stores of different formats differ in patience, and one shared value's interval would not hold each
store's."""


@dataclass(frozen=True)
class PatienceEstimate:
    store_id: str
    patience_minutes: float
    """The estimate (NaN when the counts give none)."""
    low_minutes: float
    high_minutes: float
    """The `interval_level` interval (NaN ends where it leaves the grid)."""
    informative: bool
    basis: str
    """OWN or FORMAT when informative, else ""."""
    stores_pooled: int
    """Stores whose counts made the estimate (1 for OWN)."""
    format_name: str = ""

    @property
    def text(self) -> str:
        """E.g. "4.2 min (3.1-5.6)" (only for an informative estimate, whose interval is closed)."""
        return f"{self.patience_minutes:.1f} min ({self.low_minutes:.1f}-{self.high_minutes:.1f})"

    def planned_minutes(self, confidence: float, interval_level: float) -> float:
        """The patience to plan with so that, as far as patience goes, the targets are met with probability
        `confidence` (`StaffingRules.target_confidence`): the estimate's (1 - confidence)-quantile, the shorter
        patience needing more staff. Read off the log-normal the interval implies on the side it falls (the lower
        end's for a confidence above 1/2): estimate x (low / estimate)^(z_confidence / z_interval), z the normal
        quantiles; at `confidence` = 0.5 + `interval_level` / 2 it is the interval's low end. Minutes; NaN unless
        the estimate is informative."""
        if not self.informative:
            return float("nan")
        share = float(ndtri(confidence) / ndtri(0.5 + interval_level / 2.0))
        end = self.low_minutes if share >= 0 else self.high_minutes
        return float(self.patience_minutes * (end / self.patience_minutes) ** abs(share))

    @property
    def interval_text(self) -> str:
        """E.g. "3.1-5.6 min", "under 6.4 min", "over 12.0 min" (an end beyond the range tried, 0.5-60 min)."""
        low, high = np.isfinite(self.low_minutes), np.isfinite(self.high_minutes)
        if low and high:
            return f"{self.low_minutes:.1f}-{self.high_minutes:.1f} min"
        if high:
            return f"under {self.high_minutes:.1f} min"
        if low:
            return f"over {self.low_minutes:.1f} min"
        return f"anything from {GRID_MINUTES[0]:g} to {GRID_MINUTES[-1]:g} min"


@remembered  # the same counts, the same estimate (`planner.fits`)
def estimate_patience(observations: pd.DataFrame, stores: pd.DataFrame, rules: DemandRules,
                      service_cv: Mapping[str, float] | None = None,
                      touch_share: float = 0.15, calendar: pd.DataFrame | None = None) -> dict[str, PatienceEstimate]:
    """Per store of `stores`: its patience estimate from its own counts when they tell, else from its format's
    stores' counts together, else an uninformative one (`informative` False: the caller keeps the setting).
    `service_cv`: each store's service times' coefficient of variation (`planner.targets.resolve_service_cv`); a
    store not in it is taken as exponential (1). An informative estimate is corrected for days that start empty
    at opening (`planner.demand.patience_opening`, when `patience_opening_correction` is on), simulating touches as
    `touch_share` of the self-service customers (`SimulationRules.touch_share`). Each counted hour is read as the
    part of an hour its store was open on its date (`open_parts`: the opening hours of `stores`, with the store
    `calendar`'s where it changed a date's), at the load of its date (`date_loads`: a sale's 1.5 brought its staff
    1.5 times the usual customers), as the demand model reads it."""
    ids = stores[S.store_id].astype(str).tolist()
    formats = (stores[S.format].astype(str) if S.format in stores else pd.Series("", index=stores.index)).tolist()
    cvs = {store_id: float((service_cv or {}).get(store_id, 1.0)) for store_id in ids}
    parts, loads = open_parts(observations, stores, calendar), date_loads(observations, stores, calendar)
    curves = deviance_curves(observations, ids, rules, cvs, with_shares=rules.patience_opening_correction,
                             open_part=parts, load=loads)
    estimates = steady_estimates(curves, ids, formats, rules)
    if rules.patience_opening_correction and any(e.informative for e in estimates.values()):
        # imported here: the simulation sits above demand (it reads the targets), and numba is only worth loading
        # when some store's counts tell
        from planner.demand.patience_opening import correct_for_opening
        estimates = correct_for_opening(observations, ids, formats, estimates, curves, rules, cvs, touch_share,
                                        parts, loads)
    return estimates


def open_parts(observations: pd.DataFrame, stores: pd.DataFrame,
               calendar: pd.DataFrame | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """Per row of `observations`: where its hour's open minutes start and the share of the hour open, on its date
    (`planner.staff_hours.counted_open_parts`: the store `calendar`'s hours where it changed them, else the usual
    hours of `stores`; a row of a store not in `stores`, or without opening hours, a whole hour). None when every
    row is a whole hour: then nothing is read otherwise than before (a store opening at 09:00 and closing at 20:00
    has its estimates to the bit)."""
    if observations.empty or not set(WEEKDAYS) <= set(stores.columns):
        return None
    store = pd.Index(stores[S.store_id].astype(str)).get_indexer(observations[O.store_id].astype(str))
    hour = observations[O.hour].to_numpy(dtype=float, na_value=np.nan)
    known = (store >= 0) & observations[O.date].notna().to_numpy() & np.isfinite(hour)
    start, share = np.zeros(len(observations)), np.ones(len(observations))
    start[known], share[known] = counted_open_parts(stores.reset_index(drop=True), store[known],
                                                    observations[O.date].to_numpy()[known], hour[known].astype(int),
                                                    calendar)
    return None if (share == 1.0).all() else (start, share)


def date_loads(observations: pd.DataFrame, stores: pd.DataFrame,
               calendar: pd.DataFrame | None = None) -> np.ndarray | None:
    """Per row of `observations`: the demand factor the store `calendar` gives the business day its hour belongs to
    (`planner.calendar.counted_date_factors`: a sale's 1.5, 1 on a usual day), the load its staff faced as a share
    of the usual one, as the demand model's censoring correction reads it (`planner.demand.DATE_FACTOR`). None when
    every row's is 1: then nothing is read otherwise than before."""
    if calendar is None or calendar.empty or observations.empty:
        return None
    store = pd.Index(stores[S.store_id].astype(str)).get_indexer(observations[O.store_id].astype(str))
    hour = observations[O.hour].to_numpy(dtype=float, na_value=np.nan)
    known = (store >= 0) & observations[O.date].notna().to_numpy() & np.isfinite(hour)
    load = np.ones(len(observations))
    load[known] = counted_date_factors(calendar, stores.reset_index(drop=True), store[known],
                                       observations[O.date].to_numpy()[known], hour[known].astype(int))
    return None if (load == 1.0).all() else load


def steady_estimates(curves: Mapping[str, Curve], ids: list[str], formats: list[str],
                     rules: DemandRules) -> dict[str, PatienceEstimate]:
    """Per store: the estimate from its own curve when it tells, else its format's stores' curves together, else an
    uninformative one; every counted hour read as a steady state."""
    estimates = {}
    for store_id, store_format in zip(ids, formats, strict=True):
        mates = [curves[s] for s, f in zip(ids, formats, strict=True) if f == store_format and s in curves]
        rungs = [([curves[store_id]] if store_id in curves else [], OWN), (mates, FORMAT)]
        estimate = PatienceEstimate(store_id, np.nan, np.nan, np.nan, False, "", 0)
        for pooled, basis in rungs:
            if pooled and (basis == OWN or len(pooled) > 1):
                candidate = replace(from_curve(store_id, sum_curves(pooled), basis, len(pooled), rules),
                                    format_name=store_format)
                if basis == OWN or candidate.informative:
                    estimate = candidate
                if candidate.informative:
                    break
        estimates[store_id] = estimate
    return estimates


@dataclass(frozen=True)
class Curve:
    deviance: np.ndarray
    """Binomial deviance at each patience of `GRID_MINUTES` (the shares p_h fitted at each)."""
    pearson: np.ndarray
    """Pearson χ² at each patience."""
    dof: int
    hour_shares: np.ndarray | None = None
    """The help-seekers' share p_h fitted at each patience: clock hour (0-23) x `GRID_MINUTES`, NaN for hours not
    counted (a store's own curve only)."""


def deviance_curves(observations: pd.DataFrame, ids: list[str], rules: DemandRules,
                    service_cv: Mapping[str, float], with_shares: bool = False,
                    open_part: tuple[np.ndarray, np.ndarray] | None = None,
                    load: np.ndarray | None = None) -> dict[str, Curve]:
    """Per store with usable counts: the profile deviance of its counted hours over `GRID_MINUTES`. Hours of one
    store, weekday, hour, staff and date load are taken together (their mean customers per open hour as the load),
    every store at once. `with_shares`: keep each curve's fitted help-seekers' shares (`Curve.hour_shares`).
    `open_part`: per row of `observations`, its hour's open start and share (`open_parts`; None: every hour whole);
    `load`: per row, its date's demand factor (`date_loads`; None: 1 for every row)."""
    groups = _groups(observations, ids, open_part, load)
    if groups.empty:
        return {}
    store, names = pd.factorize(groups["store"])
    # waits scale by (1 + cv^2) / 2 (Allen-Cunneen): Erlang A at patience / that scale gives the share giving up
    wait_scale = np.array([wait_scale_of(service_cv.get(str(name), 1.0)) for name in names])[store]
    code = pd.factorize(store * 24 + groups["hour"].to_numpy())[0]  # the share p_h: one per store and clock hour
    codes, stores = code.max() + 1, store.max() + 1
    served, customers = groups["served"].to_numpy(), groups["customers"].to_numpy()
    mean_customers = groups["expected_customers"].to_numpy() / groups["hours"].to_numpy()
    served_minutes = np.bincount(store, groups["served_minutes"].to_numpy(), stores)
    service_minutes = (served_minutes / np.bincount(store, served, stores))[store]
    free_staff = np.maximum(groups["staff"].to_numpy() - groups["touch_minutes"].to_numpy()
                            / (MINUTES_PER_HOUR * groups["hours"].to_numpy()), rules.min_effective_staff)
    share = np.clip(np.bincount(code, served, codes) / np.bincount(code, customers, codes), _EDGE, 1.0)
    # hours where even every customer seeking help, at the shortest patience, would hardly give up: kept = 1 always
    busy = _kept_share(mean_customers, free_staff, service_minutes, GRID_MINUTES[0] / wait_scale) < 1.0 - QUIET

    def kept(patience: float) -> np.ndarray:
        out = np.ones(code.size)
        out[busy] = _kept_share(share[code[busy]] * mean_customers[busy], free_staff[busy], service_minutes[busy],
                                patience / wait_scale[busy])
        return out

    deviance, pearson = np.empty((stores, GRID_MINUTES.size)), np.empty((stores, GRID_MINUTES.size))
    shares = np.empty((codes, GRID_MINUTES.size))
    for index in range(GRID_MINUTES.size - 1, -1, -1):  # patient first: there p_h is the plain served share
        patience = GRID_MINUTES[index]
        for _ in range(FIXED_POINT_STEPS):
            share = np.clip(np.bincount(code, served, codes) / np.bincount(code, customers * kept(patience), codes),
                            _EDGE, 1.0)
        shares[:, index] = share
        chance = np.clip(share[code] * kept(patience), _EDGE, 1.0 - _EDGE)
        expected = customers * chance
        unit = 2.0 * (_xlogy(served, served / expected)
                      + _xlogy(customers - served, (customers - served) / (customers - expected)))
        deviance[:, index] = np.bincount(store, unit, stores)
        pearson[:, index] = np.bincount(store, (served - expected) ** 2 / (expected * (1.0 - chance)), stores)
    # a share p_h seen at one load only fits it exactly: such groups tell nothing and take no degree of freedom
    per_code = np.bincount(code, minlength=codes)
    code_store = np.zeros(codes, dtype=int)
    code_store[code] = store
    dof = np.bincount(code_store, np.maximum(per_code - 1, 0), stores) - 1
    if not with_shares:
        return {str(names[s]): Curve(deviance[s], pearson[s], int(dof[s])) for s in range(stores)}
    hour_shares = np.full((stores, 24, GRID_MINUTES.size), np.nan)
    hour_shares[store, groups["hour"].to_numpy()] = shares[code]
    return {str(names[s]): Curve(deviance[s], pearson[s], int(dof[s]), hour_shares[s]) for s in range(stores)}


def _groups(observations: pd.DataFrame, ids: list[str], open_part: tuple[np.ndarray, np.ndarray] | None = None,
            load: np.ndarray | None = None) -> pd.DataFrame:
    """Counted hours with staff and customers, summed per store, weekday, hour, staff on duty and date load (`hours`:
    the open hours they add up to): a sale's hours faced other loads than the usual days' under the same staff."""
    frame = counted_hours(observations, ids, open_part, load)
    if frame.empty:
        return frame
    frame = frame.drop(columns=["date", "open_start"])
    groups = frame.groupby(["store", "weekday", "hour", "staff", "load"], sort=False, as_index=False).sum()
    totals = groups.groupby("store")[["served", "served_minutes"]].transform("sum")
    return groups[(totals["served"] > 0) & (totals["served_minutes"] > 0)].reset_index(drop=True)


def counted_hours(observations: pd.DataFrame, ids: list[str],
                  open_part: tuple[np.ndarray, np.ndarray] | None = None,
                  load: np.ndarray | None = None) -> pd.DataFrame:
    """The counted hours of the stores `ids` with staff on duty and customers, one row each: store, weekday, hour,
    staff, served, customers, served_minutes, touch_minutes, hours (the share of the hour open: 1 for a whole one,
    0.5 for the 09:00 of an opening at 09:30; `open_part`'s, per row of `observations`, None: 1), open_start (where
    its open minutes start, a share of the hour), load (its date's demand factor, `load`'s per row of
    `observations`, None: 1), date, expected_customers (per hour at its date's load)."""
    if O.staff_on_duty not in observations.columns or observations.empty:
        return pd.DataFrame()
    chosen = (observations[O.store_id].astype(str).isin(ids) & observations[O.staff_on_duty].notna()).to_numpy()
    rows = observations[chosen]
    start, share = (0.0, 1.0) if open_part is None else (open_part[0][chosen], open_part[1][chosen])
    served = rows[O.assisted].to_numpy(dtype=float, na_value=0.0)
    frame = pd.DataFrame({
        "store": rows[O.store_id].astype(str).to_numpy(),
        "weekday": rows[O.date].dt.day_of_week.to_numpy(),
        "hour": rows[O.hour].to_numpy(dtype=int),
        "staff": rows[O.staff_on_duty].to_numpy(dtype=float, na_value=np.nan),
        "served": served,
        "customers": served + rows[O.self_service].to_numpy(dtype=float, na_value=0.0),
        "served_minutes": rows[O.assisted_minutes].to_numpy(dtype=float, na_value=0.0),
        "touch_minutes": rows[O.self_service_minutes].to_numpy(dtype=float, na_value=0.0),
        "hours": share,
        "open_start": start,
        "load": 1.0 if load is None else load[chosen],
        "date": rows[O.date].to_numpy(),
    })
    frame = frame[frame["customers"] > 0].reset_index(drop=True)
    frame["expected_customers"] = _expected_customers(frame)
    return frame


def _expected_customers(frame: pd.DataFrame) -> np.ndarray:
    """Each counted hour's expected customers: its cell's mean customers per usual open hour over the counted days
    (store, weekday, hour) times the part of the hour open (`hours`: a late opening's whole 20:00 beside the usual
    half ones) times its date's load (`load`: a sale's 1.5, whose count holds 1.5 usual hours, as the demand model
    reads it) times its day's level (the day's customers over the sum of its hours' cell means so weighed), the
    level shrunk toward 1 by the share of its spread that is Poisson noise (method of moments per store). The hour's
    own count would be a noisy load: its Poisson noise spreads the loads the give-up shares are read against,
    flattening their rise with the load, which the fit reads as a longer patience (on simulated steady floors, 1.27x
    the truth against 1.08x with this load; module docstring). Without the date's load a sale's hours were read at
    the cell's mean, its level shrunk toward 1: their staff seemed to lose their customers at nearly the usual load,
    which read as a shorter patience."""
    customers = frame["customers"]
    exposure = (frame["hours"] if "hours" in frame else 1.0) * (frame["load"] if "load" in frame else 1.0)
    rate = customers / exposure
    cell = rate.groupby([frame["store"], frame["weekday"], frame["hour"]], sort=False).transform("mean") * exposure
    day = [frame["store"], frame["date"]]
    expected = cell.groupby(day, sort=False).transform("sum").to_numpy()
    level = customers.groupby(day, sort=False).transform("sum").to_numpy() / expected
    noise = 1.0 / expected  # the variance of a Poisson day's level around its true one
    spread = pd.Series((level - 1.0) ** 2 - noise).groupby(frame["store"].to_numpy()).transform("mean").clip(lower=0.0)
    weight = spread.to_numpy() / (spread.to_numpy() + noise)
    return cell.to_numpy() * (1.0 + weight * (level - 1.0))


def wait_scale_of(service_cv: float) -> float:
    """sqrt((1 + cv^2) / 2): how much longer than exponential service's the waits are, relative to patience, at
    service-time coefficient of variation `service_cv` (the module docstring says why the square root)."""
    return np.sqrt((1.0 + float(service_cv) ** 2) / 2.0)


def _kept_share(help_seekers: np.ndarray, free_staff: np.ndarray, service_minutes: np.ndarray,
                patience: np.ndarray) -> np.ndarray:
    """1 - P_ab under Erlang A at fractional staff (linear between the whole staff either side); `patience` in
    minutes per row."""
    whole = np.floor(free_staff)
    part = free_staff - whole
    above = part > 0
    kept = _kept_whole(np.concatenate([help_seekers, help_seekers[above]]),
                       np.concatenate([service_minutes, service_minutes[above]]),
                       np.concatenate([whole, whole[above] + 1.0]),
                       np.concatenate([patience, patience[above]]))
    out = kept[: help_seekers.size].copy()
    out[above] = (1.0 - part[above]) * out[above] + part[above] * kept[help_seekers.size :]
    return out


def _kept_whole(help_seekers: np.ndarray, service_minutes: np.ndarray, staff: np.ndarray,
                patience: np.ndarray) -> np.ndarray:
    """1 - P_ab of Erlang A at whole staff (Palm's queue: only the probabilities, none of the mean waits);
    nobody is kept without staff, everybody without arrivals."""
    load = help_seekers * service_minutes / MINUTES_PER_HOUR
    kept = np.where(load > 0, 0.0, 1.0)
    rows = np.flatnonzero((load > 0) & (staff > 0))
    # a block of rows at a time: Erlang A holds dozens of temporaries a row, and every counted hour of a chain at
    # once (2,000,000 of them) took the recommendation's peak memory past 10^9 bytes
    for start in range(0, rows.size, ERLANG_A_BLOCK_ROWS):
        block = rows[start : start + ERLANG_A_BLOCK_ROWS]
        queue = PalmQueue(load[block], staff[block], patience[block] / service_minutes[block])  # no target: half
        kept[block] = 1.0 - queue.prob_abandon
    return kept


def _xlogy(x: np.ndarray, ratio: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, x * np.log(np.maximum(ratio, 1e-300)), 0.0)


def sum_curves(curves: list[Curve]) -> Curve:
    return Curve(np.sum([c.deviance for c in curves], axis=0), np.sum([c.pearson for c in curves], axis=0),
                  sum(c.dof for c in curves))


def from_curve(store_id: str, curve: Curve, basis: str, stores_pooled: int,
                rules: DemandRules) -> PatienceEstimate:
    """The estimate and interval the deviance curve gives, and whether it tells."""
    if curve.dof < 1:
        return PatienceEstimate(store_id, np.nan, np.nan, np.nan, False, "", stores_pooled)
    dispersion = max(curve.pearson[np.argmin(curve.deviance)] / curve.dof, 1.0)
    scaled = (curve.deviance - curve.deviance.min()) / dispersion
    log_grid = np.log(GRID_MINUTES)
    best = int(np.argmin(scaled))
    centre = _vertex(log_grid, scaled, best)
    limit = chdtri(1, 1 - rules.interval_level)  # the chi-squared(1) quantile at interval_level
    inside = scaled <= limit
    low = _crossing(log_grid, scaled, limit, best, -1)
    high = _crossing(log_grid, scaled, limit, best, +1)
    informative = bool(np.isfinite(low) and np.isfinite(high) and not inside[0] and not inside[-1]
                       and high - low <= np.log(rules.patience_max_interval_ratio))
    return PatienceEstimate(store_id, float(np.exp(centre)), float(np.exp(low)), float(np.exp(high)), informative,
                            basis if informative else "", stores_pooled)


def _vertex(x: np.ndarray, y: np.ndarray, best: int) -> float:
    """The least point of the parabola through the grid's least value and its neighbours."""
    if best == 0 or best == x.size - 1:
        return float(x[best])
    (x0, x1, x2), (y0, y1, y2) = x[best - 1 : best + 2], y[best - 1 : best + 2]
    curvature = (y0 - 2 * y1 + y2) / (x1 - x0) ** 2
    if curvature <= 0:
        return float(x1)
    return float(np.clip(x1 - (y2 - y0) / (2 * (x1 - x0)) / curvature, x0, x2))


def _crossing(x: np.ndarray, y: np.ndarray, limit: float, best: int, step: int) -> float:
    """Where y first rises above `limit` going from `best` in direction `step` (linear between grid points); NaN
    when it never does within the grid."""
    index = best
    while 0 <= index + step < x.size:
        nxt = index + step
        if y[nxt] > limit:
            return float(x[index] + (limit - y[index]) * (x[nxt] - x[index]) / (y[nxt] - y[index]))
        index = nxt
    return float("nan")
