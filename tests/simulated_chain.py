"""A simulated chain whose true customers are known: the truth the accuracy benchmark and its test judge plans by.

Eight stores of five formats (three fashion, two electronics, one furniture, one sports, one home store alone in its
format). A store's help-seekers per hour = store level x weekday factor x a smooth intraday curve (the format's,
with a weekday and a weekend shape, bent a little per store), self-service customers likewise; every real day is
the cell's rate times a day factor (lognormal, 10% spread) and an hour factor (5%), so days vary beyond Poisson
noise. Service times are lognormal (coefficient of variation 0.8), patience exponential, touches served first. The
counts are taken under a flat roster (the same staff all day, short at the peaks) and written down as a manager
would: help-seekers who gave up are tallied as self-service.

Plans are judged by simulation (`floor_simulation`, numba) on the same simulated days for every plan (common random
numbers): an hour meets the target when, over all those days, at least 80% of its help-seekers are approached
within 60 s and at most 5% give up. The oracle is the least staff per hour that meets it, found hour by hour.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from floor_simulation import Customers, draw_customers, simulate_floor
from planner.hours import WEEKDAYS
from planner.intake import check_files
from planner.settings import Settings

SETTINGS = Settings()
TARGETS = SETTINGS.targets
DAY_SPREAD, HOUR_SPREAD = 0.10, 0.05
"""Log-scale spread of a day's level and of an hour within a day around the cell's rate."""
SERVICE_CV = 0.8
TOUCH_CV = 0.5
BROWSERS_PER_HOUR = 8.0
FIRST_DAY = date(2026, 1, 5)  # a Monday
MIN_STAFF = 1


@dataclass(frozen=True)
class ChainStore:
    store_id: str
    format: str
    opening: tuple[tuple[int, int] | None, ...]
    """Per weekday (0 = Monday): (opening hour, closing hour), None when closed."""
    help_per_hour: np.ndarray
    """7 x 24 true mean help-seekers per hour (0 outside opening hours)."""
    self_service_per_hour: np.ndarray
    service_minutes: float
    patience_minutes: float
    touch_probability: float
    touch_minutes: float
    flat_staff: tuple[int, ...]
    """The roster the counts were taken under: per weekday, the same staff all day."""

    def hours(self, weekday: int) -> np.ndarray:
        if self.opening[weekday] is None:
            return np.arange(0)
        return np.arange(*self.opening[weekday])

    def store_row(self, patience_given: bool) -> str:
        week = ",".join("closed" if o is None else f"{o[0]:02d}:00-{o[1]:02d}:00" for o in self.opening)
        patience = f"{self.patience_minutes:g}" if patience_given else ""
        return (f"{self.store_id},Store {self.store_id},North,{self.format},{week},20.00,{MIN_STAFF},40,,,"
                f"{patience},")


# --- the chain -------------------------------------------------------------------------------------------------------

_FORMATS = {  # weekday factors Mon..Sun; weekday and weekend intraday curves as (centre hour, height, width) bumps
    "fashion": ((0.85, 0.85, 0.9, 1.0, 1.2, 1.6, 1.1), ((13, 0.8, 1.2), (17.5, 1.0, 1.6)), ((14.5, 1.0, 2.5),)),
    "electronics": ((0.9, 0.9, 0.95, 1.0, 1.15, 1.5, 1.0), ((18, 1.0, 2.0),), ((15, 1.0, 3.0),)),
    "furniture": ((0.8, 0.8, 0.85, 0.9, 1.0, 1.8, 1.0), ((14, 1.0, 2.5),), ((13, 1.0, 2.5),)),
    "sports": ((0.9, 0.9, 0.9, 1.0, 1.1, 1.4, 1.0), ((18.5, 1.0, 1.5), (12.5, 0.4, 1.0)), ((11.5, 1.0, 2.0),)),
    "home": ((0.9, 0.9, 0.9, 0.95, 1.1, 1.5, 1.2), ((12, 1.0, 2.0), (16, 0.7, 1.5)), ((13, 1.0, 2.5),)),
}
_WEEK = ((10, 20),) * 6 + ((11, 18),)
_LONG_WEEK = ((9, 21),) * 6 + ((11, 18),)
_STORES = (  # id, format, week, peak help-seekers/h, self-service per help-seeker, service, patience, touch p, minutes
    ("S01", "fashion", _LONG_WEEK, 40.0, 2.0, 10.0, 4.0, 0.3, 1.0),
    ("S02", "fashion", _WEEK, 20.0, 2.0, 9.0, 6.0, 0.3, 1.0),
    ("S03", "fashion", _WEEK, 8.0, 2.5, 12.0, 5.0, 0.3, 1.0),
    ("S04", "electronics", _LONG_WEEK, 25.0, 1.0, 15.0, 7.0, 0.2, 2.0),
    ("S05", "electronics", _WEEK, 10.0, 1.0, 14.0, 5.0, 0.2, 2.0),
    ("S06", "furniture", ((10, 20),) * 6 + (None,), 10.0, 0.5, 28.0, 10.0, 0.3, 2.0),
    ("S07", "sports", _LONG_WEEK, 15.0, 1.5, 8.0, 3.0, 0.3, 1.0),
    ("S08", "home", _WEEK, 12.0, 2.0, 6.0, 5.0, 0.3, 1.0),
)


def build_chain(seed: int = 11) -> tuple[ChainStore, ...]:
    rng = np.random.default_rng(seed)
    clock = np.arange(24) + 0.5
    stores = []
    for store_id, fmt, week, peak, self_ratio, service, patience, touch_p, touch_minutes in _STORES:
        factors, weekday_bumps, weekend_bumps = _FORMATS[fmt]
        factors = np.asarray(factors) * np.exp(rng.normal(0.0, 0.05, 7))
        wobble = 0.10 * _smooth_noise(rng, clock)  # the store's own bend of the format's curve
        help_ = np.zeros((7, 24))
        for weekday, opening in enumerate(week):
            if opening is None:
                continue
            bumps = weekend_bumps if weekday >= 5 else weekday_bumps
            curve = 0.25 + sum(h * np.exp(-0.5 * ((clock - c) / w) ** 2) for c, h, w in bumps)
            is_open = (np.arange(24) >= opening[0]) & (np.arange(24) < opening[1])
            help_[weekday] = np.where(is_open, factors[weekday] * curve * np.exp(wobble), 0.0)
        help_ *= peak / help_.max()
        self_curve = np.exp(0.15 * _smooth_noise(rng, clock))  # self-service follows a slightly different curve
        self_service = help_ * self_ratio * self_curve
        load = help_ * service / 60.0 + self_service * touch_p * touch_minutes / 60.0
        flat = tuple(
            int(max(2, np.ceil(1.3 * load[w][load[w] > 0].mean() + 1.0))) if week[w] else 0 for w in range(7)
        )
        stores.append(ChainStore(store_id, fmt, week, help_, self_service, service, patience, touch_p, touch_minutes,
                                 flat))
    return tuple(stores)


def _smooth_noise(rng: np.random.Generator, clock: np.ndarray) -> np.ndarray:
    """A smooth random curve over the day, spread about 1."""
    knots = rng.normal(0.0, 1.0, 5)
    return np.interp(clock, np.linspace(8, 22, 5), knots)


def stores_frame(chain, patience_given: bool = True) -> pd.DataFrame:
    header = ("store_id,name,region,format," + ",".join(WEEKDAYS) + ",wage_per_hour,min_staff,max_staff,"
              "target_service_level,target_wait_seconds,patience_minutes,max_abandon_share")
    text = "\n".join([header, *(s.store_row(patience_given) for s in chain)]) + "\n"
    checked = check_files([("stores.csv", text.encode())], None, SETTINGS.import_rules)
    assert not checked[0].problems, checked[0].problems
    return checked[0].frame


# --- simulated days ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Days:
    """Simulated opening days of one store and weekday (many days, the same roster-free draw for every plan)."""

    store: ChainStore
    weekday: int
    help_seekers: Customers
    help_hour: np.ndarray
    touches: Customers
    touch_hour: np.ndarray
    untouched: np.ndarray
    """days x hours: self-service customers who needed no touch."""
    browsers: np.ndarray

    @property
    def open_hours(self) -> int:
        return self.store.hours(self.weekday).size


def draw_days(store: ChainStore, weekday: int, days: int, rng: np.random.Generator) -> Days:
    hours = store.hours(weekday)
    level = np.exp(rng.normal(0.0, DAY_SPREAD, (days, 1)) - DAY_SPREAD**2 / 2)
    level = level * np.exp(rng.normal(0.0, HOUR_SPREAD, (days, hours.size)) - HOUR_SPREAD**2 / 2)
    help_rates = level * store.help_per_hour[weekday, hours]
    self_rates = level * store.self_service_per_hour[weekday, hours]
    help_, help_hour = draw_customers(rng, help_rates, store.service_minutes, SERVICE_CV, store.patience_minutes)
    touches, touch_hour = draw_customers(rng, self_rates * store.touch_probability, store.touch_minutes, TOUCH_CV,
                                         None)
    untouched = rng.poisson(self_rates * (1 - store.touch_probability))
    browsers = rng.poisson(BROWSERS_PER_HOUR, (days, hours.size))
    return Days(store, weekday, help_, help_hour, touches, touch_hour, untouched, browsers)


@dataclass(frozen=True)
class Served:
    """Per day x hour: help-seekers, served within the target wait, gave up, served, their service minutes."""

    arrivals: np.ndarray
    within_target: np.ndarray
    gave_up: np.ndarray
    served: np.ndarray
    service_minutes: np.ndarray

    def meets_target(self) -> np.ndarray:
        """Per hour, over all the days."""
        arrivals = np.maximum(self.arrivals.sum(axis=0), 1)
        return ((self.within_target.sum(axis=0) / arrivals >= TARGETS.target_service_level - 1e-12)
                & (self.gave_up.sum(axis=0) / arrivals <= TARGETS.max_abandon_share + 1e-12))


def serve(days: Days, staff) -> Served:
    staff = np.maximum(np.asarray(staff, dtype=np.int64), 0)
    outcome = simulate_floor(days.help_seekers, days.touches, staff)
    count = days.help_seekers.day_start.size - 1
    day = np.repeat(np.arange(count), np.diff(days.help_seekers.day_start))
    cell = day * days.open_hours + days.help_hour
    size = count * days.open_hours

    def per_hour(values) -> np.ndarray:
        return np.bincount(cell, np.asarray(values, float), size).reshape(count, days.open_hours)

    within = outcome.served & (outcome.wait_minutes <= TARGETS.target_wait_seconds / 60.0)
    return Served(per_hour(np.ones(cell.size)), per_hour(within), per_hour(~outcome.served),
                  per_hour(outcome.served), per_hour(np.where(outcome.served, days.help_seekers.service_minutes, 0)))


def oracle_staff(days: Days, start) -> np.ndarray:
    """The least staff per hour meeting the target on these days, hour by hour: raise the first hour that misses
    until none does. `start` must be at or below the answer (a lower bound)."""
    staff = np.maximum(np.asarray(start, dtype=np.int64).copy(), MIN_STAFF)
    while True:
        missing = np.flatnonzero(~serve(days, staff).meets_target())
        if missing.size == 0:
            return staff
        staff[missing[0]] += 1


def load_lower_bound(store: ChainStore, weekday: int) -> np.ndarray:
    """Staff below which no hour can meet the target: 90% of the offered load, touches included."""
    hours = store.hours(weekday)
    load = (store.help_per_hour[weekday, hours] * store.service_minutes
            + store.self_service_per_hour[weekday, hours] * store.touch_probability * store.touch_minutes) / 60.0
    return np.maximum(np.floor(0.9 * load), MIN_STAFF).astype(np.int64)


# --- counts as a manager writes them -----------------------------------------------------------------------------------


def count_weeks(store: ChainStore, weeks: int, rng: np.random.Generator) -> pd.DataFrame:
    """Every open hour of `weeks` weeks from FIRST_DAY, counted under the flat roster (upload format)."""
    frames = []
    for weekday in range(7):
        if store.opening[weekday] is None:
            continue
        days = draw_days(store, weekday, weeks, rng)
        staff = np.full(days.open_hours, store.flat_staff[weekday])
        served = serve(days, staff)
        dates = [FIRST_DAY + timedelta(days=7 * week + weekday) for week in range(weeks)]
        frames.append(_rows(days, served, staff, dates))
    return pd.concat(frames, ignore_index=True).sort_values(["date", "hour"], ignore_index=True)


def _rows(days: Days, served: Served, staff: np.ndarray, dates) -> pd.DataFrame:
    count, hours = served.arrivals.shape
    touch_day = np.repeat(np.arange(count), np.diff(days.touches.day_start))
    touch_cell = touch_day * hours + days.touch_hour
    touched = np.bincount(touch_cell, minlength=count * hours).reshape(count, hours)
    touch_minutes = np.bincount(touch_cell, days.touches.service_minutes, count * hours).reshape(count, hours)
    self_service = days.untouched + touched
    frame = pd.DataFrame({
        "store_id": days.store.store_id,
        "date": np.repeat(pd.to_datetime(dates).to_numpy(dtype="datetime64[ns]"), hours),
        "hour": np.tile(days.store.hours(days.weekday), count),
        "visitors": (served.arrivals + self_service + days.browsers).ravel(),
        "assisted": served.served.ravel(),
        "self_service": (self_service + served.gave_up).ravel(),
        "assisted_minutes": served.service_minutes.ravel().round(1),
        "self_service_minutes": touch_minutes.ravel().round(1),
        "staff_on_duty": np.tile(staff, count),
    })
    ints = ["hour", "visitors", "assisted", "self_service", "staff_on_duty"]
    return frame.astype({**dict.fromkeys(ints, "Int64"), "assisted_minutes": "Float64",
                         "self_service_minutes": "Float64"})


def drop_hours(observations: pd.DataFrame, share: float, rng: np.random.Generator) -> pd.DataFrame:
    return observations[rng.uniform(size=len(observations)) >= share].reset_index(drop=True)


def windows(observations: pd.DataFrame, chain, per_store: int, length: int, rng: np.random.Generator) -> pd.DataFrame:
    """`per_store` counts of `length` hours per store, each on a different date, at random start hours."""
    kept = []
    by_id = {s.store_id: s for s in chain}
    for store_id, rows in observations.groupby("store_id"):
        dates = rng.choice(np.sort(rows["date"].unique()), size=per_store, replace=False)
        for when in dates:
            hours = by_id[store_id].hours(pd.Timestamp(when).day_of_week)
            start = rng.integers(hours[0], hours[-1] - length + 2)
            kept.append(rows[(rows["date"] == when) & rows["hour"].between(start, start + length - 1)])
    return pd.concat(kept, ignore_index=True)


def truth_frame(chain) -> pd.DataFrame:
    """The true mean rate of every open cell: store_id, weekday, hour, help_seekers_per_hour, self_service_per_hour."""
    rows = [(s.store_id, w, h, s.help_per_hour[w, h], s.self_service_per_hour[w, h])
            for s in chain for w in range(7) for h in s.hours(w)]
    return pd.DataFrame(rows, columns=["store_id", "weekday", "hour", "help_seekers_per_hour", "self_service_per_hour"])


def with_patience(store: ChainStore, patience_minutes: float) -> ChainStore:
    return replace(store, patience_minutes=patience_minutes)


def count_weeks_varied_staff(store: ChainStore, weeks: int, rng: np.random.Generator,
                             change: tuple[int, ...] = (-2, -1, 0, 1)) -> pd.DataFrame:
    """As `count_weeks`, but each counted day has its own staff: the flat roster's plus one of `change` (at least 1),
    so the same clock hour is counted at different loads per salesperson (what a patience estimate needs)."""
    frames = []
    for weekday in range(7):
        if store.opening[weekday] is None:
            continue
        for week in range(weeks):
            days = draw_days(store, weekday, 1, rng)
            staff = np.full(days.open_hours, max(1, store.flat_staff[weekday] + int(rng.choice(change))))
            frames.append(_rows(days, serve(days, staff), staff, [FIRST_DAY + timedelta(days=7 * week + weekday)]))
    return pd.concat(frames, ignore_index=True).sort_values(["date", "hour"], ignore_index=True)
