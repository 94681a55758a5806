"""What drives a simulated store-week: arrival rates and service minutes per hour of the week, and the targets.

Public: `StoreWeek`, `store_targets`. Hour h of the week is weekday h // 24 (0 = Monday) at clock hour h % 24.
Rates are customers per hour, minutes are staff minutes per customer. A demand cell without an estimate
(`missing`) or a closed hour gets no arrivals; an hour open for part of it (the 09:00 of an opening at 09:30) gets
its rate's arrivals in its open minutes only (`open_part`): the demand's rates are customers per open hour.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from planner.calendar import business_days, opening_key
from planner.errors import PlannerError
from planner.hours import WEEKDAY_NAMES, WEEKDAYS, hour_label, open_part_of_hours, parse_opening_hours
from planner.plans.schema import DatedDemandSchema
from planner.schemas import DemandSchema as D
from planner.schemas import StoreSchema as S
from planner.settings import ServiceTargets, Settings, SimulationRules
from planner.staff_hours import MINUTES_PER_HOUR
from planner.targets import resolve_service_cv, resolve_targets, targets_of

HOURS_PER_WEEK = 7 * 24


@dataclass(frozen=True, eq=False)
class StoreWeek:
    """One store's week, one array element per hour of the week (length `HOURS_PER_WEEK`)."""

    store_id: str
    open_hours: np.ndarray
    """True where the demand frame has a row (the store is open)."""
    help_per_hour: np.ndarray
    help_per_hour_low: np.ndarray
    help_per_hour_high: np.ndarray
    self_service_per_hour: np.ndarray
    self_service_per_hour_low: np.ndarray
    self_service_per_hour_high: np.ndarray
    assisted_minutes: np.ndarray
    touch_minutes_per_customer: np.ndarray
    """Staff minutes of touches per self-service customer (the demand model's touch_minutes_mean)."""
    targets: ServiceTargets
    min_staff: int
    max_staff: int | None
    interval_level: float
    """Coverage of the demand intervals (`DemandRules.interval_level`)."""
    service_cv: float | None = None
    """The store's own coefficient of variation of lognormal service times (the store file's `service_cv`); None:
    the settings' `SimulationRules.service_cv`."""
    opening_weekday: np.ndarray | None = None
    """Per hour of the week, the weekday whose opening holds it (`planner.calendar.business_days`: Saturday
    10:00-01:00's last hour, Sunday 00:00 by the clock, is Saturday's), -1 where none does; None: the clock's."""
    open_part: tuple[np.ndarray, np.ndarray] | None = None
    """Per hour of the week, where its open minutes start and how many there are, each as a share of the hour
    (`planner.hours.open_part_of_hours`: (0.5, 0.5) for the 09:00 of an opening at 09:30; (0, 1) for an hour open
    whole or closed); None: every hour whole."""

    def hour_key(self, hour_of_week: int) -> tuple[int, int]:
        """(weekday, hour) of an hour of the week as the store opens: under the weekday of the opening it belongs to,
        an hour after that opening's midnight numbered 24 and up (`planner.hours.hour_label` writes "00:00+1"), as a
        plan files it; the clock's where no opening holds it."""
        weekday, hour = divmod(int(hour_of_week) % HOURS_PER_WEEK, 24)
        owner = -1 if self.opening_weekday is None else int(self.opening_weekday[int(hour_of_week) % HOURS_PER_WEEK])
        keyed_day, keyed_hour = opening_key(weekday, hour, owner)
        return int(keyed_day), int(keyed_hour)

    def hour_label(self, hour_of_week: int) -> str:
        """"Sat 19:00", or "Sat 00:00+1" for an hour after midnight of Saturday's opening (`hour_key`)."""
        weekday, hour = self.hour_key(hour_of_week)
        return f"{WEEKDAY_NAMES[weekday]} {hour_label(hour)}"

    def service_cv_of(self, rules: SimulationRules) -> float:
        """The coefficient of variation this store's service times are simulated with."""
        return rules.service_cv if self.service_cv is None else self.service_cv

    @classmethod
    def from_demand(cls, demand: pd.DataFrame, stores: pd.DataFrame, store_id: str, settings: Settings,
                    demand_scale: float = 1.0) -> StoreWeek:
        """From the store's `DemandSchema` rows and its store-file row; `demand_scale` multiplies every arrival
        rate (1.2: "what if 20 % more customers come")."""
        if not demand_scale >= 0:
            raise PlannerError(f"demand scale must be 0 or more, got {demand_scale}")
        rows = demand[demand[D.store_id].astype(str) == store_id]
        if rows.empty:
            raise PlannerError(f"no demand for store {store_id}: import its counts first")
        slot = rows[D.weekday].to_numpy(int) * 24 + rows[D.hour].to_numpy(int)

        def column(name: str, scale: float = 1.0) -> np.ndarray:
            values = np.zeros(HOURS_PER_WEEK)
            values[slot] = np.nan_to_num(rows[name].to_numpy(dtype=float, na_value=np.nan)) * scale
            return values

        open_hours = np.zeros(HOURS_PER_WEEK, dtype=bool)
        open_hours[slot] = True
        targets, min_staff, max_staff = store_targets(stores, store_id, settings)
        return cls(
            store_id, open_hours,
            column(D.assisted_per_hour, demand_scale), column(D.assisted_per_hour_low, demand_scale),
            column(D.assisted_per_hour_high, demand_scale), column(D.self_service_per_hour, demand_scale),
            column(D.self_service_per_hour_low, demand_scale), column(D.self_service_per_hour_high, demand_scale),
            column(D.assisted_minutes_mean), column(D.touch_minutes_mean), targets, min_staff, max_staff,
            settings.demand.interval_level, store_service_cv(stores, store_id, settings),
            _opening_weekday(stores, store_id), _open_part(stores, store_id, rows),
        )

    def day_rates(self, replications: int, rng: np.random.Generator | None) -> tuple[np.ndarray, np.ndarray]:
        """Help-seeker and self-service rates per replication x hour. With `rng`, each simulated day's rates of
        each kind are scaled by one lognormal factor of mean 1 whose spread is the demand interval's (its ends
        taken as the `interval_level` quantiles), so a whole day runs high or low together."""
        help_rate = np.broadcast_to(self.help_per_hour, (replications, HOURS_PER_WEEK)).copy()
        self_rate = np.broadcast_to(self.self_service_per_hour, (replications, HOURS_PER_WEEK)).copy()
        if rng is None:
            return help_rate, self_rate
        z = stats.norm.ppf((1 + self.interval_level) / 2)
        for rates, mean, low, high in ((help_rate, self.help_per_hour, self.help_per_hour_low,
                                        self.help_per_hour_high),
                                       (self_rate, self.self_service_per_hour, self.self_service_per_hour_low,
                                        self.self_service_per_hour_high)):
            with np.errstate(divide="ignore", invalid="ignore"):
                sigma = np.where(low > 0, np.log(high / low) / (2 * z), np.log(high / mean) / z)
            sigma = np.nan_to_num(np.clip(sigma, 0.0, None), posinf=0.0)
            day_z = np.repeat(rng.standard_normal((replications, 7)), 24, axis=1)
            rates *= np.exp(sigma * day_z - sigma**2 / 2)
        return help_rate, self_rate


def _opening_weekday(stores: pd.DataFrame, store_id: str) -> np.ndarray | None:
    """Per hour of the week, the weekday whose opening holds it (-1: none), from the store's opening hours; None
    for a store row without them."""
    row = stores[stores[S.store_id].astype(str) == store_id]
    if row.empty or not set(WEEKDAYS) <= set(row.columns):
        return None
    return business_days(row)[store_id].reshape(-1)


def _open_part(stores: pd.DataFrame, store_id: str, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    """Per hour of the week, (first open minute, minutes open) / 60, (0, 1) where the hour is whole or closed; None
    for a store row without opening hours. The share is the demand's own `open_share` where it has one (a plan's, as
    its rates were estimated: 1 where missing, in plans saved when rates were per clock hour), else the store file's
    hours'; the open part sits at the hour's end where the store opens in it, at its start otherwise."""
    row = stores[stores[S.store_id].astype(str) == store_id]
    if row.empty or not set(WEEKDAYS) <= set(row.columns):
        return None
    part = np.array(open_part_of_hours(tuple(parse_opening_hours(str(row.iloc[0][day])) for day in WEEKDAYS)),
                    dtype=float).reshape(HOURS_PER_WEEK, 2) / MINUTES_PER_HOUR
    closed = part[:, 1] == 0
    start, share = np.where(closed, 0.0, part[:, 0]), np.where(closed, 1.0, part[:, 1])
    if DatedDemandSchema.open_share not in rows:
        return start, share
    slot = rows[D.weekday].to_numpy(int) * 24 + rows[D.hour].to_numpy(int)
    kept = share.copy()
    kept[slot] = rows[DatedDemandSchema.open_share].to_numpy(dtype=float, na_value=np.nan)
    kept = np.nan_to_num(kept, nan=1.0)
    # the store file's start where it agrees with the plan (an hour opened and closed within keeps both ends)
    start = np.where(kept == share, start, np.where(start > 0, 1.0 - kept, 0.0))
    return start, kept


def store_service_cv(stores: pd.DataFrame, store_id: str, settings: Settings) -> float:
    """The store's service-time coefficient of variation: its store file's `service_cv`, else the setting's."""
    row = stores[stores[S.store_id].astype(str) == store_id]
    if row.empty:
        raise PlannerError(f"store {store_id} is not in the store file: add it there first")
    return float(resolve_service_cv(row, settings)[S.service_cv].iloc[0])


def store_targets(stores: pd.DataFrame, store_id: str, settings: Settings) -> tuple[ServiceTargets, int, int | None]:
    """The store file's target overrides (blank: the settings'), its min_staff and max_staff."""
    row = stores[stores[S.store_id].astype(str) == store_id]
    if row.empty:
        raise PlannerError(f"store {store_id} is not in the store file: add it there first")
    resolved = targets_of(resolve_targets(row, settings), store_id)
    max_staff = int(row.iloc[0][S.max_staff]) if pd.notna(row.iloc[0].get(S.max_staff)) else None
    return replace(settings.targets, **resolved), int(resolved[S.min_staff]), max_staff
