"""What one more count would tell, read from the demand model itself: `spread_after_counts`.

A preposterior: for a window (a weekday and its clock hours) of one store, the count it would give is added to the
store's counted hours (pseudo-counts equal to the model's expected customers in those hours, an hour open for part
of it its rate times that part, on the first date after the store's latest count that falls on that weekday), the
pooled model is fitted again, and each of the store's cells' log-scale spread of the help-seekers' rate is read off.
The spread of a Poisson regression's estimate depends on the expected counts, not on the draw, so the expected count
tells what any count would do to it: through the store's own level, weekday factor and bend of the hour profile, its format's curve and weekday
levels (and, through them, the chain's), and the chain-wide spreads read from the counts.

The rate re-fitted is the help-seekers' as `planner.demand.estimate_demand` models it before the censoring
correction: all customers' pooled rate x the help-seekers' share (`planner.demand.mix`) with
`help_from_all_customers`, else the help-seekers' own pooled rate. Units: log-scale standard deviations of
customers per hour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtri  # the normal quantile; scipy.stats would add 0.5 s to every start

from planner.demand import EXPOSURE, HOURS_PER_DAY, SLOTS_PER_STORE, WEEKDAY_COUNT, ChainCounts, count_chain
from planner.demand.mix import help_from_customers
from planner.demand.pooled import day_boundary
from planner.errors import PlannerError
from planner.schemas import ObservationSchema as O
from planner.settings import Settings


@dataclass(frozen=True)
class Preposterior:
    """The store's help-seekers' log-scale spread per (weekday, hour), now and after each window's count (NaN where
    the store is closed)."""

    now: np.ndarray
    """(7, 24)."""
    after: np.ndarray
    """(windows, 7, 24), in the order the windows were given."""


def spread_after_counts(observations: pd.DataFrame, stores: pd.DataFrame, settings: Settings, store_id: str,
                        windows: Sequence[tuple[int, Sequence[int]]],
                        progress: Callable[[int, int], None] | None = None,
                        calendar: pd.DataFrame | None = None) -> Preposterior:
    """The help-seekers' log-spread of `store_id`'s cells now and after one more count of each window (weekday,
    clock hours), every store of `stores` pooled as `estimate_demand` pools them (the counts read under the store
    `calendar`'s hours of their dates, `count_chain`); the window is counted on a date of the usual hours.
    `progress(done, total)` is called after each window's fit."""
    rules = settings.demand
    chain = count_chain(observations, stores, rules, calendar=calendar)
    if store_id not in chain.store_ids:
        raise PlannerError(f"store {store_id} is not among the stores given")
    store = chain.store_ids.index(store_id)
    own = chain.hours["slot"].to_numpy() // SLOTS_PER_STORE == store
    if not own.any():
        raise PlannerError(f"store {store_id} has no counts yet: the model cannot tell what one more would do")
    help_mean, help_sd, customers_mean = _help_seekers(chain)
    latest = pd.Timestamp(chain.hours.loc[own, "date"].max())
    new_day = int(chain.hours["day"].max()) + 1
    after = []
    for done, (weekday, hours) in enumerate(windows, 1):
        hours = np.asarray(hours, dtype=int)
        if not chain.open_grid[store, weekday, hours].all():
            raise PlannerError(f"store {store_id} is not open at every hour of the window {weekday}, {hours}")
        slot = store * SLOTS_PER_STORE + weekday * HOURS_PER_DAY + hours
        share = 1.0 if chain.open_share is None else chain.open_share[slot]  # a half-open hour: half its rate
        expected_help = help_mean[store, weekday, hours] * share
        customers = expected_help if customers_mean is None else customers_mean[store, weekday, hours] * share
        extra = pd.DataFrame({
            "slot": slot, "day": new_day,
            "date": latest + pd.Timedelta(days=(weekday - latest.day_of_week - 1) % WEEKDAY_COUNT + 1),
            O.visitors: customers, O.assisted: expected_help,
            O.self_service: np.maximum(customers - expected_help, 0.0),
            O.assisted_minutes: 0.0, O.self_service_minutes: 0.0, O.staff_on_duty: np.nan, EXPOSURE: share,
        })
        after.append(_help_seekers(chain.with_hours(extra))[1][store])
        if progress:
            progress(done, len(windows))
    return Preposterior(help_sd[store], np.array(after).reshape(len(after), WEEKDAY_COUNT, HOURS_PER_DAY))


def _help_seekers(chain: ChainCounts) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The help-seekers' rate and log-spread per (stores, 7, 24) cell before the censoring correction, and all
    customers' rate where the help-seekers are read from it (else None), as `estimate_demand` fits them."""
    rules = chain.rules
    served = chain.hours[O.assisted].to_numpy()
    if not rules.help_from_all_customers:
        rates = chain.pooled(served)
        return rates.mean, rates.log_sd, None
    customers = served + chain.hours[O.self_service].to_numpy()
    customer_rates = chain.pooled(customers)
    rates = help_from_customers(*chain.where[:3], served, customers, chain.recency, customer_rates.mean,
                                customer_rates.log_sd, np.zeros(len(served)), rules, day_boundary(chain.open_grid))
    z = ndtri(0.5 + rules.interval_level / 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return rates.mean, np.log(rates.high / rates.mean) / z, customer_rates.mean
