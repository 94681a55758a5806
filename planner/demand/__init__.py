"""Demand per store x weekday x clock hour, from sparse hourly floor counts: `estimate_demand`.

Units: rates are customers per open hour (a count of an hour open for part of it, the 09:00 of an opening at 09:30,
is read as that part of an hour: `planner.demand.pooled.CountedHours.exposure`, under its date's hours where the store
calendar changed them, `_counted_exposure`), service and touch times are staff
minutes per customer, staff are people on the floor. λ (lambda) = `assisted_per_hour`, the help-seekers who wanted a salesperson. Every interval is the
`DemandRules.interval_level` (90%) interval. The output has one row per hour each store is open (`DemandSchema`).

How it works, in plain words:

1. Rates (help-seekers, self-service customers, visitors): the pooled model of `planner.demand.pooled`, rate =
   store level x weekday factor x smooth hour curve. The curve of each store format is fitted to its stores' counts
   together and tied to the chain's; a store's level comes from its own counts, and its own weekday factors, bend
   of the curve and single cells depart from the format's as far as its counts allow. Every open hour of a store
   with counts gets an estimate and a log-normal 90% interval; a cell counted fewer than
   `min_hours_for_high_confidence` (3) times is `low`; only a store with no counts at all is `missing`.
   `borrowed_from` says where each cell's profile comes from (`planner.demand.sources`). Recent weeks weigh more:
   a counted hour's weight halves every `recent_weeks_half_life` (8) weeks before its store's latest count, and an
   hour more than 20 half-lives (about 3 years) before it is left out (`NEGLIGIBLE_RECENCY_WEIGHT`).
2. Minutes per customer (assisted service, and touches for self-service customers). Per store, the minutes per
   customer of every counted hour are compared on a log scale; an hour more than `outlier_iqr_factor` (3)
   interquartile ranges outside the store's quartiles (a typing slip, a break counted as service) is left out. The
   store's mean is then total minutes / total customers over the hours kept, so a few extreme hours cannot swing
   it. Each cell's mean is its own total, pulled toward the store's mean as if the store had added k customers at
   its mean, k = v / tau^2 read from the counts (empirical Bayes, `planner.demand.minutes`): v the squared
   coefficient of variation of one customer's minutes (from how the hours of one cell differ; 1, exponential, when
   too few cells were counted twice), tau^2 the spread of the cells' true means around their store's (how far
   the cells' means differ beyond v, plus that estimate's standard error, at least `cell_minutes_spread`^2). So
   hours whose minutes do not differ share their store's mean, and hours that do keep their own;
   `prior_customers_minutes` fixes k instead. The interval is that of a mean of n exponential times, a Gamma(n)
   range, n = 1 / the relative variance of the cell's mean (its own customers' part, plus the store mean's and
   tau^2 for the part it borrows). Touch minutes are per self-service customer after the correction below, so the touch workload
   (customers x minutes) stays what was counted. A store whose counts never had a customer of a kind (a furniture
   store where everyone wanted help) still gets a trickle of them from the pooled model, so it borrows the chain's
   mean minutes for them, its interval widened (`minutes.OTHER_STORE_MINUTES_SPREAD`); where no store ever counted a
   self-service customer their touches take 0 minutes.
3. Help-seekers who gave up (censoring). When staff are all busy, some help-seekers give up and are tallied as
   self-service, so the count of customers served understates the help wanted. The served rate is first modelled
   as above; where the counts give `staff_on_duty`, the planner asks which rate of help-seekers λ would, under the
   Erlang A queue (exponential service and patience), be served at exactly that rate with the staff counted in
   each of the cell's hours (staff free for help-seekers = staff on duty minus the touch workload, at least
   `min_effective_staff`; patience = the store's `patience_minutes` or the settings' default). It is found by a
   bracketed search for every cell at once (`planner.demand.censoring`). Each counted hour's served count is then
   scaled by its cell's λ / served (the lost help-seekers added back, and taken out of its self-service count) and
   the pooled model is fitted again to these corrected counts, so uncounted hours borrow the corrected profile.
   A corrected count weighs less the more the correction magnifies noise (near capacity, where a small change in
   the served rate means a large one in λ). `lost_customers_per_hour_at_current` = λ minus the served rate.
   Limits: each hour is treated as a steady state of its own, and service and patience are assumed exponential.
   When the served rate is at what the staff can serve at all, λ is capped at served + self-service, the cell
   is marked `low`, and its corrected counts weigh as little as the sharpest correction's (`MAX_ELASTICITY`): a
   capped hour says only that demand reached capacity, not by how much (on the accuracy benchmark's six 2-hour
   windows per store, one such window had made every customer of that afternoon a help-seeker).
4. `current_staff` is the mean staff_on_duty of the cell's counted hours (missing if never given);
   `visitors_per_hour` is the pooled visitor rate; `observed_assisted_per_hour` is the pooled served rate before the
   correction.

Counts for store ids missing from the store frame, or in hours the store is closed, are ignored; so is a count of
no customers in an hour the store calendar closed on its date (`_counted_exposure`). The function is
pure: no database, no printing; every cell is computed at once (numpy arrays over all stores).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from planner.coverage import opening_cells
from planner.demand.censoring import StaffedHours, offered_rate_behind_served
from planner.demand.minutes import pool_minutes
from planner.demand.mix import help_from_customers
from planner.demand.pooled import CountedHours, PooledRates, day_boundary, pooled_rates
from planner.demand.sources import borrowed_from
from planner.fits import remembered
from planner.schemas import DemandSchema as D, ObservationSchema as O, StoreSchema as S
from planner.memory import release_freed_memory
from planner.settings import STORE_TARGETS, DemandRules, Settings
from planner.calendar import counted_date_factors, counted_date_rows
from planner.staff_hours import dated_open_share, open_share_grid

WEEKDAY_COUNT, HOURS_PER_DAY = 7, 24
CENSORING_NUDGE = 1.05
"""The served rate is raised by this factor to see how sharply the corrected rate follows it."""
MAX_ELASTICITY = 10.0
"""Where the corrected rate reacts more sharply than this to the served rate, its counts weigh as if it did this."""
SLOTS_PER_STORE = WEEKDAY_COUNT * HOURS_PER_DAY
MINUTES_PER_HOUR = 60.0
NEGLIGIBLE_RECENCY_WEIGHT = 2.0**-20
"""A counted hour whose age weighs it less than this against its store's latest count (20 half-lives: 160 weeks,
about 3 years, at the default `recent_weeks_half_life` of 8 weeks) is left out of the estimate altogether: at a
millionth of a recent hour's weight its counts say nothing of the store now. Kept in, a year slip (1920 for 2020:
0.5 ** 696 = 3e-210) made its cell's noise above 1e200, whose square overflowed the chain's cell spread to NaN and
stopped every store's estimate; dated 1950 it still entered the chain's day-to-day spread as a day of no customers
(that spread weighs the counts but not what they are held against) and moved every store's intervals by 3%. The
import warns of such counts (`planner.settings.MAX_COUNT_AGE_YEARS`)."""
_COUNTS = (O.visitors, O.assisted, O.self_service)
EXPOSURE = "open_share"
"""The counted hours' column of the share of its clock hour each was open on its date (`_counted_exposure`)."""
DATE_FACTOR = "date_factor"
"""The counted hours' column of the demand factor of each one's business day (`_counted_exposure`), present where
the calendar gives a counted hour one other than 1: the staff of such an hour faced the usual rate times it."""

__all__ = ["ChainCounts", "count_chain", "estimate_demand"]


def read_by_the_fit(settings: Settings) -> tuple[DemandRules, float]:
    """All `estimate_demand` reads of `settings`: the demand rules and the patience of a store without its own
    (`_patience_per_cell`). Its fits are kept by these alone (`planner.fits`), so a change of any other setting (a
    roster or shift rule, the simulation's) keeps the fit: pages and commands that plan, roster and
    check under settings differing there fit the same counts once (tests/test_fits.py holds the fit to reading no
    other setting)."""
    return settings.demand, settings.targets.patience_minutes


UNREAD_TARGETS = tuple(name for name in STORE_TARGETS if name != S.patience_minutes)
"""The stores' target columns (`planner.targets.stores_with_targets`) `estimate_demand` does not read: only the
patience says how many who gave up hide among the counts; the wait, service level, share who may give up and fewest
staff are what the staffing is held to, after the fit."""


def read_of_the_stores(stores: pd.DataFrame) -> pd.DataFrame:
    """The part of `stores` `estimate_demand` reads, its fits kept by: every column but `UNREAD_TARGETS`, so a plan
    re-made at another target wait or service level (the Settings page's note on what a save moves) fits the counts
    once for both (tests/test_fits.py holds the fit to reading none of them)."""
    return stores.drop(columns=[name for name in UNREAD_TARGETS if name in stores.columns])


def read_of_the_calendar(arguments: Mapping[str, object]) -> pd.DataFrame:
    """The part of the store calendar `estimate_demand` reads, given its arguments by name: the rows its counts are
    read under (`planner.calendar.counted_date_rows`: each counted date's row where it changes something, and the
    day before one's where it changes that day's opening or its evening runs past midnight into it), as
    `_counted_exposure` reads them (the usual hours `counted_under`'s, else the stores'). A row of a date no count
    was taken on (an import of the dates to come) keeps the fit: it refitted the chain on the next command."""
    usual = arguments["counted_under"] if arguments.get("counted_under") is not None else arguments["stores"]
    return counted_date_rows(arguments["calendar"], usual, arguments["observations"][[O.store_id, O.date]])


# the same inputs, the same fit: each page and check of a process asks for it (`planner.fits`)
@remembered(reads={"settings": read_by_the_fit, "stores": read_of_the_stores},
            reads_given={"calendar": read_of_the_calendar})
def estimate_demand(observations: pd.DataFrame, stores: pd.DataFrame, settings: Settings,
                    counted_under: pd.DataFrame | None = None, calendar: pd.DataFrame | None = None) -> pd.DataFrame:
    """Demand per store x weekday x hour the store is open (`DemandSchema`), sorted by store, weekday and hour.
    `counted_under`: the usual opening hours the counts were taken under, for every store of `stores` (None:
    `stores`'s own; a plan estimates over wider hours than a store's usual ones,
    `planner.calendar.estimation_stores`). `calendar`: the store calendar (`CalendarSchema`) whose changed hours of
    the counted dates each count is read under (`count_chain`; None: none changed)."""
    rules = settings.demand
    chain = count_chain(observations, stores, rules, counted_under, calendar)
    release_freed_memory()  # what building the counted hours took: at millions of hours, hundreds of MB
    store_ids, cells, cell_slot, hours, where = chain.store_ids, chain.cells, chain.cell_slot, chain.hours, chain.where
    recency, pooled = chain.recency, chain.pooled
    store_count, slot_count = len(store_ids), len(store_ids) * SLOTS_PER_STORE
    slot = hours["slot"].to_numpy()
    counted = np.bincount(slot, minlength=slot_count).astype(float)

    def ends(rates: PooledRates) -> np.ndarray:
        return np.stack([rates.low, rates.mean, rates.high]).reshape(3, slot_count)[:, cell_slot]

    served_rates, self_service_rates = pooled(hours[O.assisted].to_numpy()), pooled(hours[O.self_service].to_numpy())
    store = where[0]
    minutes = {  # a chain that never counted a self-service customer spent no minutes on one
        kind: pool_minutes(store, slot, hours[c].to_numpy(), hours[m].to_numpy(), store_count, slot_count, rules,
                           none_counted_minutes=none, weight=recency)
        for kind, c, m, none in (
            ("assisted", O.assisted, O.assisted_minutes, np.nan),
            ("touch", O.self_service, O.self_service_minutes, 0.0),
        )
    }
    staffed = hours[O.staff_on_duty].notna().to_numpy()
    staffed_hours = np.bincount(slot, staffed.astype(float), slot_count)
    with np.errstate(invalid="ignore", divide="ignore"):
        current_staff = np.bincount(slot, np.nan_to_num(hours[O.staff_on_duty].to_numpy(), nan=0.0),
                                    slot_count) / staffed_hours
    served_ends, self_service_ends = ends(served_rates), ends(self_service_rates)
    del served_rates, self_service_rates
    release_freed_memory()  # each pooled pass's temporaries: tens of MB a pass at millions of hours
    mix = _customer_mix(hours, where, recency, pooled, slot_count, cell_slot, rules, day_boundary(chain.open_grid))
    if mix is not None:  # the served rate as all customers x the served share, before it is corrected
        served_mixed = mix(hours[O.assisted].to_numpy(), recency, np.zeros(len(hours)))
        served_ends = np.where(np.isfinite(served_mixed[1]), served_mixed, served_ends)
    touch = {part: getattr(minutes["touch"], part)[cell_slot] for part in ("mean", "low", "high")}
    assisted_minutes = minutes["assisted"].mean[cell_slot]
    assisted_minutes[~(assisted_minutes > 0)] = np.nan  # a store whose counts never gave service minutes
    # the censoring correction at the pooled served rate, and how sharply it reacts to it (its elasticity)
    nudged = np.vstack([served_ends, served_ends[1] * CENSORING_NUDGE])
    wanted, corrected, capped = _correct_censoring(
        hours.loc[staffed, ["slot", O.staff_on_duty]].assign(
            **{DATE_FACTOR: hours[DATE_FACTOR].to_numpy()[staffed] if DATE_FACTOR in hours else 1.0}),
        cell_slot, nudged,
        np.vstack([self_service_ends, self_service_ends[1]]), assisted_minutes, touch["mean"],
        _patience_per_cell(stores, cells, settings), rules,
    )
    release_freed_memory()
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(corrected & (served_ends[1] > 0), wanted[1] / served_ends[1], 1.0)
        elasticity = np.where(corrected & (wanted[1] > 0), np.log(wanted[3] / wanted[1]) / np.log(CENSORING_NUDGE),
                              1.0)
    elasticity = np.clip(np.nan_to_num(elasticity, nan=1.0), 1.0, MAX_ELASTICITY)
    elasticity = np.where(capped, MAX_ELASTICITY, elasticity)  # at the ceiling: no sign of how far past it
    factor = np.nan_to_num(factor, nan=1.0)
    cell_of_slot = np.full(slot_count, -1)
    cell_of_slot[cell_slot] = np.arange(cell_slot.size)
    hour_cell = cell_of_slot[slot]
    served_counts = hours[O.assisted].to_numpy()
    lost_counts = (factor[hour_cell] - 1.0) * served_counts
    help_rates = pooled(served_counts + lost_counts, 1.0 / (factor[hour_cell] * elasticity[hour_cell]))
    left_rates = pooled(np.maximum(hours[O.self_service].to_numpy() - lost_counts, 0.0))
    help_ends, self_service_left = ends(help_rates), ends(left_rates)
    if mix is not None:  # all customers are counted whole, and there are more of them than help-seekers
        help_mixed = mix(served_counts + lost_counts, recency / (factor[hour_cell] * elasticity[hour_cell]),
                         np.log(factor[hour_cell]))
        with np.errstate(invalid="ignore", divide="ignore"):  # never fewer wanting help than were served
            help_mixed = help_mixed * np.fmax(served_ends[1] / help_mixed[1], 1.0)
        help_ends = np.where(np.isfinite(help_mixed[1]), help_mixed, help_ends)  # else the help-seekers' own rates
    del hour_cell, served_counts, lost_counts, mix
    release_freed_memory()  # the corrected passes' temporaries: the table below is assembled on top of what is left
    lost = np.where(corrected, np.maximum(help_ends[1] - served_ends[1], 0.0), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):  # touch workload unchanged by the moved customers
        touch_scale = np.where(self_service_left[1] > 0, self_service_ends[1] / self_service_left[1], 1.0)
    observed_hours = counted[cell_slot].astype(int)
    known = np.isfinite(help_ends[1])
    confidence = np.where(
        ~known, "missing",
        np.where((observed_hours >= rules.min_hours_for_high_confidence) & ~capped, "high", "low"),
    )
    out = pd.DataFrame({
        D.store_id: cells[S.store_id].astype(str),
        D.weekday: cells[D.weekday].astype("int64"),
        D.hour: cells[O.hour].astype("int64"),
        D.observed_hours: observed_hours.astype("int64"),
        D.confidence: confidence,
        D.visitors_per_hour: pooled(hours[O.visitors].to_numpy()).mean.ravel()[cell_slot],
        D.assisted_per_hour: help_ends[1], D.assisted_per_hour_low: help_ends[0],
        D.assisted_per_hour_high: help_ends[2],
        D.self_service_per_hour: self_service_left[1],
        D.self_service_per_hour_low: self_service_left[0], D.self_service_per_hour_high: self_service_left[2],
        D.assisted_minutes_mean: assisted_minutes,
        D.assisted_minutes_low: minutes["assisted"].low[cell_slot],
        D.assisted_minutes_high: minutes["assisted"].high[cell_slot],
        D.touch_minutes_mean: touch["mean"] * touch_scale,
        D.touch_minutes_low: touch["low"] * touch_scale,
        D.touch_minutes_high: touch["high"] * touch_scale,
        D.observed_assisted_per_hour: served_ends[1],
        D.current_staff: current_staff[cell_slot],
        D.lost_customers_per_hour_at_current: lost,
    })
    out[D.borrowed_from] = borrowed_from(help_rates.own_share.ravel()[cell_slot], cells[S.store_id].astype(str),
                                         stores, observed_hours, known, rules)
    return _blank_missing(out)


@dataclass(frozen=True, eq=False)
class ChainCounts:
    """Every store's counted hours laid on the dense store x weekday x hour grid the pooled model fits (slot =
    store index x 168 + weekday x 24 + hour): what `estimate_demand` and the count advice's preposterior
    (`planner.demand.preposterior`) fit the pooled rates from."""

    store_ids: list[str]
    cells: pd.DataFrame
    """The stores' open cells (store_id, weekday, hour), sorted by store, weekday and hour."""
    cell_slot: np.ndarray
    """The slot of each of `cells`."""
    hours: pd.DataFrame
    """One row per counted hour in an open cell of a known store: slot, day (a date's code), date, the counts and
    minutes as floats, staff_on_duty (NaN where not given), and `EXPOSURE`: the share of its clock hour the store
    was open on its date."""
    open_grid: np.ndarray
    formats: np.ndarray
    """An integer code per store: stores of one format share it."""
    recency: np.ndarray
    """Per counted hour, its weight by age (`_recent_hours`)."""
    rules: DemandRules
    open_share: np.ndarray | None = None
    """Per slot, the share of its clock hour the doors are open under the usual hours
    (`planner.staff_hours.open_share`): what a count on a date the calendar does not change holds, a part of an
    hour's customers (None: every hour whole). Each counted hour's own share is its `EXPOSURE` column."""

    @cached_property
    def where(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per counted hour: store index, weekday, hour (one byte each: millions of hours) and date code; made once,
        the same for every pooled rate."""
        slot = self.hours["slot"].to_numpy()
        return (slot // SLOTS_PER_STORE, ((slot // HOURS_PER_DAY) % WEEKDAY_COUNT).astype(np.int8),
                (slot % HOURS_PER_DAY).astype(np.int8), self.hours["day"].to_numpy())

    def pooled(self, counts: np.ndarray, weight: np.ndarray | None = None) -> PooledRates:
        """The pooled rates (`pooled_rates`) of one count per counted hour, each weighing its recency x `weight`."""
        exposure = self.hours[EXPOSURE].to_numpy() if EXPOSURE in self.hours else None
        hours = CountedHours(*self.where, counts, self.recency if weight is None else weight * self.recency, exposure)
        return pooled_rates(hours, self.formats, self.open_grid, self.rules)

    def with_hours(self, extra: pd.DataFrame) -> ChainCounts:
        """The same chain with `extra` counted hours added (columns as `hours`'), every hour's recency weight read
        again (a later date moves every earlier hour's weight of its store, and may leave the oldest out)."""
        if DATE_FACTOR in self.hours and DATE_FACTOR not in extra:  # hours yet to be counted: usual days
            extra = extra.assign(**{DATE_FACTOR: 1.0})
        hours, recency = _recent_hours(pd.concat([self.hours, extra[self.hours.columns]], ignore_index=True),
                                       self.rules)
        return replace(self, hours=hours, recency=recency)


def count_chain(observations: pd.DataFrame, stores: pd.DataFrame, rules: DemandRules,
                counted_under: pd.DataFrame | None = None, calendar: pd.DataFrame | None = None) -> ChainCounts:
    """The counted hours of `observations` in the open cells of `stores` (`ChainCounts`), each holding the part of
    an hour its store was open on its date (`_counted_exposure`): under the store `calendar`'s hours for that date
    (`CalendarSchema`: the calendar the database holds, past dates included; None: no exceptions), else under
    `counted_under`'s opening hours (the usual ones; None: `stores`'s)."""
    store_ids = stores[S.store_id].astype(str).tolist()
    usual = stores if counted_under is None else counted_under.set_index(
        counted_under[S.store_id].astype(str)).loc[store_ids]
    slot_count = len(store_ids) * SLOTS_PER_STORE
    cells = opening_cells(stores).sort_values([S.store_id, D.weekday, D.hour], ignore_index=True)
    cell_slot = _slots(cells[S.store_id], cells[D.weekday], cells[O.hour], store_ids)
    share = _counted_share(usual, stores)
    hours, recency = _recent_hours(_counted_exposure(_counted_hours(observations, store_ids, cell_slot), share,
                                                     usual, calendar), rules)
    open_grid = np.zeros(slot_count, dtype=bool)
    open_grid[cell_slot] = True
    formats = (pd.factorize(stores[S.format].astype(str))[0] if S.format in stores
               else np.zeros(len(store_ids), int))
    return ChainCounts(store_ids, cells, cell_slot, hours, open_grid.reshape(len(store_ids), WEEKDAY_COUNT,
                                                                             HOURS_PER_DAY),
                       formats, recency, rules, share)


def _counted_exposure(hours: pd.DataFrame, share: np.ndarray, usual: pd.DataFrame,
                      calendar: pd.DataFrame | None) -> pd.DataFrame:
    """`hours` with the share of its clock hour each was open on its own date (`EXPOSURE`), the hours of customers
    its counts stand for. A rate is customers per open hour, so a count is read against the minutes its store was
    open that day: on a date the store `calendar` changes (closed, a late opening until 21:00, a close at 18:00 on
    Christmas Eve, an opening half an hour later), as that date's hours open the hour
    (`planner.staff_hours.dated_open_share`): the 20:00 of a late opening until 21:00 is a whole hour, where the
    usual close at 20:30 makes it half of one (read as half, its customers made the usual 20:00 twice as busy as it
    is). Elsewhere the usual hours hold (`share`, per slot: `_counted_share`). A date the calendar gives a demand
    factor (a sale's 1.5) is staffed for the usual rate times it (`planner.calendar.dated_demand`), so its count
    stands for that many usual hours (`planner.calendar.counted_date_factors`): read as a usual day's, a sale
    Saturday's counts made every Saturday 1.5 times as busy.

    A count in an hour the calendar says the store was closed on that date (a closed date, or after an early close)
    is not what the calendar expected, and the counts are the better witness that the store was open: an hour with
    customers is read as an hour of the usual opening (the calendar may be wrong, or the store stayed open); an hour
    of no customers at all is the closure the calendar records, not an open hour without customers, and is left out
    (read as open, a door counter's rows of no one after an early close pulled that weekday's evening to nothing).
    The import says so of each such hour: of a count file's row (`planner.io.observations`), and of a calendar
    file's row that closes hours where counts are stored (`planner.io.batch.counts_a_calendar_closes`)."""
    slot = hours["slot"].to_numpy()
    exposure = share[slot]
    dated = dated_open_share(usual, slot // SLOTS_PER_STORE, hours["date"], slot % HOURS_PER_DAY, calendar)
    exposure = np.where(dated > 0, dated, exposure)  # NaN (no change that date) keeps the usual share
    shut = dated == 0
    if shut.any():
        no_one = (hours[list(_COUNTS)].to_numpy() == 0).all(axis=1)
        kept = ~(shut & no_one)
        if not kept.all():
            hours, exposure = hours[kept].reset_index(drop=True), exposure[kept]
    if calendar is not None and not calendar.empty:  # a sale's 1.5: the date's count holds 1.5 usual hours
        slot = hours["slot"].to_numpy()
        factors = counted_date_factors(calendar, usual, slot // SLOTS_PER_STORE, hours["date"], slot % HOURS_PER_DAY)
        exposure = exposure * factors
        if (factors != 1.0).any():
            hours[DATE_FACTOR] = factors
    hours[EXPOSURE] = exposure
    return hours


def _counted_share(usual: pd.DataFrame, stores: pd.DataFrame) -> np.ndarray:
    """Per slot, the open share a counted hour stands for: under the usual hours (`usual`), and where those call the
    hour closed, under `stores`'s (the estimation's, with a plan's calendar hours): counts taken on past late-opening
    dates fall there, and an exposure of 0 put their customers in the store's level but no hours of them anywhere."""
    counted = open_share_grid(usual).reshape(-1)
    return np.where(counted > 0, counted, open_share_grid(stores).reshape(-1))


def _customer_mix(hours: pd.DataFrame, where: tuple, recency: np.ndarray, pooled, slot_count: int,
                  cell_slot: np.ndarray, rules: DemandRules, boundary: int):
    """With `help_from_all_customers`, a function of per-hour help-seeker counts (served, or corrected), their weights
    and log censoring corrections giving the (low, mean, high) rows per open cell of help-seekers per hour as all
    customers' pooled rate x their share (`planner.demand.mix`); else None."""
    if not rules.help_from_all_customers:
        return None
    customers = hours[O.assisted].to_numpy() + hours[O.self_service].to_numpy()
    customer_rates = pooled(customers)

    def mix(help_seekers: np.ndarray, weight: np.ndarray, log_correction: np.ndarray) -> np.ndarray:
        rates = help_from_customers(*where[:3], help_seekers, customers, weight, customer_rates.mean,
                                    customer_rates.log_sd, log_correction, rules, boundary)
        return np.stack([rates.low, rates.mean, rates.high]).reshape(3, slot_count)[:, cell_slot]

    return mix


def _correct_censoring(
    staffed: pd.DataFrame, cell_slot: np.ndarray, served: np.ndarray, self_service: np.ndarray,
    service_minutes: np.ndarray, touch_minutes: np.ndarray, patience_minutes: np.ndarray, rules: DemandRules,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """λ per open cell (rows: interval low end, mean, high end), whether it was corrected, and whether the mean was
    capped. λ = served where the cell has no staffed hour, no service minutes or no served rate. `staffed`: slot,
    staff_on_duty and `DATE_FACTOR` of each staffed hour; an hour of a date the calendar gives a demand factor
    (a sale's 1.5) is read at that load: its staff faced 1.5 times the usual help-seekers and touches, and its
    served count stands for 1.5 usual hours (`_counted_exposure`), so Erlang A is inverted at 1.5 λ for it
    (`StaffedHours.load`). Read at the usual load, its short staff seemed to serve the usual rate well, and the
    customers they lost were under-read."""
    wanted, capped = served.copy(), np.zeros(served.shape[1], dtype=bool)
    cell_of_slot = pd.Series(np.arange(cell_slot.size), index=cell_slot)
    cell = cell_of_slot.reindex(staffed["slot"].to_numpy()).to_numpy()
    touch_erlangs = np.nan_to_num(self_service[1] * touch_minutes / MINUTES_PER_HOUR, nan=0.0)
    load = staffed[DATE_FACTOR].to_numpy(float)
    free_staff = np.maximum(staffed[O.staff_on_duty].to_numpy(float) - touch_erlangs[cell] * load,
                            rules.min_effective_staff)
    levels = _staff_levels(cell, free_staff, load)
    del cell, free_staff, load
    solvable = np.zeros(cell_slot.size, dtype=bool)
    solvable[levels["cell"].to_numpy()] = True
    solvable &= np.isfinite(service_minutes) & (service_minutes > 0) & np.isfinite(served[1])
    levels = levels[solvable[levels["cell"].to_numpy()]]
    if levels.empty:
        return wanted, solvable, capped
    chosen = np.flatnonzero(solvable)
    local = np.full(cell_slot.size, -1)
    local[chosen] = np.arange(chosen.size)
    level_cell = local[levels["cell"].to_numpy()]
    weight = levels["n"].to_numpy(float) / np.bincount(level_cell, levels["n"].to_numpy(float))[level_cell]
    inversion = offered_rate_behind_served(
        served[:, chosen], served[:, chosen] + self_service[:, chosen], service_minutes[chosen],
        patience_minutes[chosen], StaffedHours(level_cell, levels["staff"].to_numpy(float), weight,
                                               levels["load"].to_numpy(float)),
    )
    wanted[:, chosen] = inversion.arrivals_per_hour
    capped[chosen] = inversion.capped[1]
    return wanted, solvable, capped


def _staff_levels(cell: np.ndarray, staff: np.ndarray, load: np.ndarray) -> pd.DataFrame:
    """How many hours (n) each cell was counted at each level of free staff and load (the date's demand factor),
    sorted by cell, staff and load: what `groupby(["cell", "staff", "load"]).size()` gives, from one integer per hour
    and a sort (millions of hours, few levels)."""
    staff_code, staff_levels = pd.factorize(staff, sort=True)
    load_code, load_levels = pd.factorize(load, sort=True)
    counted = staff_code >= 0  # as groupby, an hour without a level (NaN) is left out
    staffs, loads = max(len(staff_levels), 1), max(len(load_levels), 1)
    key = (cell[counted].astype(np.int64) * staffs + staff_code[counted]) * loads + load_code[counted]
    del staff_code, load_code
    key, n = np.unique(key, return_counts=True)
    level, load_of = np.divmod(key, loads)
    return pd.DataFrame({"cell": level // staffs, "staff": staff_levels[level % staffs],
                         "load": load_levels[load_of] if len(load_levels) else np.ones(len(key)),
                         "n": n.astype(np.int64)})


def _counted_hours(observations: pd.DataFrame, store_ids: list[str], open_slots: np.ndarray) -> pd.DataFrame:
    """The counted hours in open cells of known stores, with their slot and float counts (staff may be NA).

    Built a column at a time from the observations' own columns (no copy of the observations, no second copy of
    the hours): at millions of rows each copy is hundreds of MB."""
    known = observations[O.store_id].astype(str).isin(store_ids).to_numpy()

    def of_known(column: str) -> pd.Series:
        return observations[column] if known.all() else observations[column][known]

    dates = of_known(O.date)
    slot = _slots(of_known(O.store_id), dates.dt.day_of_week, of_known(O.hour), store_ids)
    is_open = np.isin(slot, open_slots)

    def of_open(values: np.ndarray) -> np.ndarray:
        return values if is_open.all() else values[is_open]

    frame = pd.DataFrame({"slot": of_open(slot), "day": of_open(pd.factorize(dates)[0]),
                          "date": of_open(dates.to_numpy())}, copy=False)
    for column in (*_COUNTS, O.assisted_minutes, O.self_service_minutes):
        frame[column] = of_open(of_known(column).to_numpy(dtype=float, na_value=0.0))
    frame[O.staff_on_duty] = (
        of_open(of_known(O.staff_on_duty).to_numpy(dtype=float, na_value=np.nan)) if O.staff_on_duty in observations
        else np.nan
    )
    return frame


def _recent_hours(hours: pd.DataFrame, rules: DemandRules) -> tuple[pd.DataFrame, np.ndarray]:
    """The counted hours that weigh at least `NEGLIGIBLE_RECENCY_WEIGHT` against their store's latest count (all of
    them when the half-life is None), and per hour its recency weight: 0.5 ** (weeks before its store's latest
    counted date / `recent_weeks_half_life`), scaled per store so that the weights add up to the counts' effective
    number ((Σw)² / Σw², Kish's): the weights move the estimate toward recent weeks and widen its interval only by
    the information they really take away. 1 for every hour when the half-life is None."""
    if rules.recent_weeks_half_life is None or hours.empty:
        return hours, np.ones(len(hours))
    store = hours["slot"].to_numpy() // SLOTS_PER_STORE
    dates = pd.to_datetime(hours["date"])
    latest = dates.groupby(store).transform("max")
    weeks_before = (latest - dates).dt.days.to_numpy(dtype=float) / WEEKDAY_COUNT
    weight = 0.5 ** (weeks_before / rules.recent_weeks_half_life)
    kept = weight >= NEGLIGIBLE_RECENCY_WEIGHT  # every store keeps its latest day, at weight 1
    if not kept.all():  # a copy only when there is something to leave out
        hours, weight, store = hours[kept].reset_index(drop=True), weight[kept], store[kept]
    with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 for a store without counts, never looked up
        return hours, weight * (np.bincount(store, weight) / np.bincount(store, weight**2))[store]


def _slots(store_id: pd.Series, weekday: pd.Series, hour: pd.Series, store_ids: list[str]) -> np.ndarray:
    """Flat index of store x weekday x hour in the dense grid."""
    store_index = pd.Index(store_ids).get_indexer(store_id.astype(str))
    return store_index * SLOTS_PER_STORE + np.asarray(weekday, int) * HOURS_PER_DAY + np.asarray(hour, int)


def _patience_per_cell(stores: pd.DataFrame, cells: pd.DataFrame, settings: Settings) -> np.ndarray:
    """The store's `patience_minutes` override, else the settings' default, for every open cell."""
    per_store = pd.Series(stores[S.patience_minutes].astype("Float64").to_numpy(), index=stores[S.store_id].astype(str))
    return per_store.reindex(cells[S.store_id].astype(str)).fillna(settings.targets.patience_minutes).to_numpy(float)


def _blank_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """A missing cell has no estimate at all: every rate and minute NA, never 0. Estimates are nullable floats."""
    estimates = [c for c in frame.columns
                 if c not in (D.store_id, D.weekday, D.hour, D.observed_hours, D.confidence, D.borrowed_from)]
    frame.loc[frame[D.confidence] == "missing", estimates] = np.nan
    # nullable floats: an interval check on a missing cell then meets NA (passes), not NaN (fails)
    return frame.astype(dict.fromkeys(estimates, "Float64"))
