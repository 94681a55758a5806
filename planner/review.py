"""Forecast against actual: counts that arrive for dates a plan covers, held against the plan, per store, date and
hour. Pure functions, no I/O.

Per counted hour the plan covers (same store, date and clock hour), filed as the plan files its hours: under the date
whose opening it belongs to, so Friday 10:00-01:00's last hour, counted under Saturday's date at hour 0, is Friday's
(`date` is that date, `hour` 24 for 00:00+1, `counted_date` the date the count was recorded under):
- help-seekers: everyone who wanted help, as the demand model counts them: the assisted counted, plus those who gave
  up waiting and were tallied as self-service, estimated by inverting Erlang A with each hour's own staff on duty
  over the day (`_help_seekers`); an hour without `staff_on_duty` counts the assisted only. Held against the plan's
  `assisted_per_hour` and a 90% band for one hour's count: the plan's interval for the rate, widened by the
  hour's Poisson noise (a gamma for the rate matching the interval's mean and width, so a negative-binomial count).
  Hours that match the plan fall inside that band at least 90% of the time (a count is whole: a little more).
- visitors against the plan's `visitors_per_hour` (no band).
A plan's rates are customers per open hour: an hour open for part of it (the 09:00 of an opening at 09:30) expects its
rate times the share of it open (`open_share`, kept in the plan's demand; 1 in plans saved before it), its band is
that count's, and its help-seekers and staff are put through Erlang A at that count per open hour.
- `staff_on_duty` against the plan's scheduled staff (coverage) and required staff: hours under-staffed against each.
- the service the counted staff would give the counted help-seekers (Erlang A with the plan's minutes of help and
  the store's patience) against the store's target service level. Staff are taken as all free for help-seekers.
Bias is actual minus forecast (mean per hour, and as a share of the forecast's total); MAPE ("error", as the pages
and `review` name it) is the mean of |actual - forecast| / forecast over hours with a forecast above 0. Persistent
bias: `ReviewRules`.

A store-week published more than once (a re-plan) is judged day by day against the plan in force when the day began
(`judged_days`, a publication dated on the store's clock, as the week's dates are): a plan published mid-week, made
with the counts of the days already worked, does not judge them.
A day that began before the week's first plan was published had no plan in force: no plan judges it, and its counts
stay out of the judgement of bias (`unplanned_days`; the review lists them in `unplanned`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series
from scipy import optimize, stats

from planner.calendar import days_after_opening
from planner.plans import Plan
from planner.plans.export import hours_by_opening, weekdays
from planner.queueing import erlang_a
from planner.settings import Settings
from planner.surfaces.plan_vs_actual import in_a_line, no_plan_in_force, nothing_in_force, unplanned_day
from planner.words import counted as counted_words

KEYS = ["store_id", "date", "hour"]
HOUR_COLUMNS = [*KEYS, "iso_week", "assisted_per_hour", "visitors_per_hour", "expected_help_seekers",
                "expected_visitors", "visitors", "help_seekers", "band_low",
                "band_high", "above_band", "below_band", "staffed", "staff_on_duty", "scheduled_staff",
                "required_staff", "under_scheduled", "under_required", "service_level", "target_service_level",
                "below_target_service"]
"""The columns of `review_hours` a summary reads (it keeps the plan's and the counts' others too)."""


class ReviewSummarySchema(pa.DataFrameModel):
    """Forecast against actual over a day or a week of one store's counted hours."""

    store_id: Series[str]
    iso_week: Series[str]
    counted_hours: Series[int] = pa.Field(ge=1)
    help_seekers: Series[float] = pa.Field(ge=0)
    """Help-seekers counted (de-censored), in total."""
    forecast_help_seekers: Series[float] = pa.Field(ge=0)
    bias_per_hour: Series[float]
    """Mean of actual minus forecast help-seekers per hour."""
    bias_share: Series[float] = pa.Field(nullable=True)
    """(actual - forecast) / forecast over the period; NaN with no forecast."""
    mape: Series[float] = pa.Field(ge=0, nullable=True)
    """Mean absolute percentage error (a share) over hours with a forecast above 0."""
    band_coverage: Series[float] = pa.Field(ge=0, le=1)
    """Share of hours whose help-seekers fell inside the plan's 90% band."""
    hours_above_band: Series[int] = pa.Field(ge=0)
    hours_below_band: Series[int] = pa.Field(ge=0)
    visitors_bias_share: Series[float] = pa.Field(nullable=True)
    staffed_hours: Series[int] = pa.Field(ge=0)
    """Hours whose counts gave staff_on_duty (the staff comparisons are over these)."""
    hours_under_scheduled: Series[int] = pa.Field(ge=0)
    """Hours with fewer staff on duty than the plan scheduled."""
    hours_under_required: Series[int] = pa.Field(ge=0)
    """Hours with fewer staff on duty than the plan required."""
    hours_below_target_service: Series[int] = pa.Field(ge=0)
    """Hours where the counted staff would serve the counted help-seekers below the target service level."""

    class Config:
        strict = False
        ordered = False


class ReviewDaySchema(ReviewSummarySchema):
    date: Series[pa.DateTime]


@dataclass(frozen=True, eq=False)
class Review:
    """`hours`: one row per counted hour the plan covers; `days` and `weeks`: `ReviewDaySchema` and
    `ReviewSummarySchema` per store and date / ISO week; `flags`: per store, the judgement and its sentence;
    `published_store_ids`: the stores whose published plans were held against the counts, counted or not;
    `unplanned`: per store and date counted before the week's first plan was published (`UNPLANNED_COLUMNS`), the
    hours counted, that plan and the date it was published: held against no plan, judged nowhere."""

    hours: pd.DataFrame
    days: pd.DataFrame
    weeks: pd.DataFrame
    flags: pd.DataFrame
    published_store_ids: frozenset[str] = frozenset()
    unplanned: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNPLANNED_COLUMNS))

    def nothing_to_review(self, store_ids: Iterable[str], of: str) -> str:
        """Why none of `store_ids` (`of`: "this store", "these stores") has a day to review: no plan of theirs is
        published, or none of a published plan's dates is counted yet (said only where a plan is published)."""
        if self.published_store_ids.isdisjoint(store_ids):
            return f"No plan of {of} is published yet, so there is nothing to hold the counts against."
        if self.unplanned["store_id"].isin(list(store_ids)).any():
            return nothing_in_force(of)
        return (f"No counts yet for the dates of a published plan of {of}: once they are imported, each day shows "
                "the customers who wanted help against the plan.")

    def flag(self, store_id: str) -> str:
        """The judgement of the store's counts: "higher" or "lower" than planned where a bias persists, else ""."""
        row = self.flags[self.flags["store_id"] == store_id]
        return str(row["flag"].iloc[0] or "") if len(row) else ""

    def sentence(self, store_id: str) -> str:
        row = self.flags[self.flags["store_id"] == store_id]
        if len(row):
            return row["sentence"].iloc[0]
        if (self.unplanned["store_id"] == store_id).any():
            said = nothing_in_force("this store")
            return f"{store_id}: {said[0].lower()}{said[1:]}"
        return f"{store_id}: no counts yet for the dates the plan covers."

    def unplanned_sentences(self, store_id: str) -> list[str]:
        """Per day of `store_id` counted before any plan for its week was published, what became of its counts."""
        days = self.unplanned[self.unplanned["store_id"] == store_id].sort_values("date")
        return [unplanned_day(day.date.date(), day.counted_hours, day.plan_id, day.published_on)
                for day in days.itertuples()]


UNPLANNED_COLUMNS = ["store_id", "iso_week", "date", "counted_hours", "plan_id", "published_on"]
"""A review's days counted with no plan in force: the week's first plan (`plan_id`) was published on `published_on`
or later."""


def review_plan(plan: Plan, observations: pd.DataFrame, settings: Settings, *, store_id: str | None = None,
                iso_week: str | None = None) -> Review:
    """Hold `observations` (ObservationSchema rows) against `plan` (its own targets, as it was made with them), over
    every store and week it covers, or only `store_id` and/or `iso_week` ('2026-W41')."""
    return review_of_hours(_chosen_hours(plan, observations, settings, store_id, iso_week), settings)


@dataclass(frozen=True)
class Judging:
    """A plan published for a store and ISO week, and the dates of that week it judges (None: all of them); with
    `published_on` (the date it was published, on the store's clock), the dates before it was in force instead
    (`unplanned_days`): their counts are listed, not judged."""

    plan: Plan
    store_id: str
    iso_week: str
    plan_id: int | None = None
    dates: frozenset[date] | None = None
    published_on: date | None = None


@dataclass(frozen=True)
class PublishedOnce:
    """One publication of a store-week's plan: what `judged_days` reads (published_at in UTC, a naive one read as
    UTC), with the time zone the store's clock keeps (`planner.targets.resolve_time_zones`; None: none set)."""

    plan_id: int
    store_id: str
    iso_week: str
    published_at: datetime
    time_zone: str | None = None

    @property
    def published_on(self) -> date:
        """The date it was published on the store's clock, the clock the week's dates are read on (8 pm on a Sunday
        in New York is 01:00 UTC on Monday); without a zone, or one this machine's database does not know, UTC's."""
        moment = self.published_at if self.published_at.tzinfo is not None else \
            self.published_at.replace(tzinfo=UTC)
        try:
            zone = ZoneInfo(self.time_zone) if self.time_zone else UTC
        except (ZoneInfoNotFoundError, ValueError):
            zone = UTC
        return moment.astimezone(zone).date()


def judged_days(published: Sequence[PublishedOnce]) -> list[tuple[PublishedOnce, frozenset[date]]]:
    """Per plan ever published for a store-week (the one published now and those it superseded), the dates of the
    week it judges: each date the plan in force when the day began, the last one published on an earlier date, both
    read on the store's clock (`PublishedOnce.published_on`; a plan published during a day judges from the next). A
    date that began before any was published had none in force, so none judges it (`unplanned_days`). Plans that
    judge no date are left out."""
    chosen: list[tuple[PublishedOnce, frozenset[date]]] = []
    for history in _weeks(published):
        days: dict[int, set[date]] = {}
        for day in _dates(history[0].iso_week):
            earlier = [once for once in history if once.published_on < day]
            if earlier:
                days.setdefault(earlier[-1].plan_id, set()).add(day)
        chosen += [(once, frozenset(days[once.plan_id])) for once in history if once.plan_id in days]
    return chosen


def unplanned_days(published: Sequence[PublishedOnce]) -> list[tuple[PublishedOnce, frozenset[date]]]:
    """Per store-week, its first published plan and the dates of the week that began before it was published (on
    or before its date, as `judged_days` reads it): no plan was in force on them. Weeks without such a date are left
    out."""
    chosen: list[tuple[PublishedOnce, frozenset[date]]] = []
    for history in _weeks(published):
        first = history[0]
        days = frozenset(day for day in _dates(first.iso_week) if day <= first.published_on)
        if days:
            chosen.append((first, days))
    return chosen


def _weeks(published: Sequence[PublishedOnce]) -> list[list[PublishedOnce]]:
    """The publications per store-week, each in the order they were published."""
    weeks: dict[tuple[str, str], list[PublishedOnce]] = {}
    for once in published:
        weeks.setdefault((once.store_id, once.iso_week), []).append(once)
    return [sorted(history, key=lambda once: (once.published_at, once.plan_id)) for history in weeks.values()]


def _dates(iso_week: str) -> list[date]:
    monday = date.fromisoformat(f"{iso_week}-1")
    return [monday + timedelta(days=k) for k in range(7)]


def review_published(published: Sequence[Judging], observations: pd.DataFrame, settings: Settings) -> Review:
    """One review over several published plans, each with the store and ISO week it is published for and the dates
    it judges, so a persistent bias is judged over all the weeks counted since. Those with `published_on` name the
    days no plan was in force on: their counted hours are listed in `unplanned`, not judged."""
    hours = [_chosen_hours(j.plan, observations, settings, j.store_id, j.iso_week, j.dates).assign(plan_id=j.plan_id)
             for j in published if j.published_on is None]
    review = review_of_hours(pd.concat(hours, ignore_index=True) if hours else _chosen_hours(None, None, settings),
                             settings)
    unplanned = [_chosen_hours(j.plan, observations, settings, j.store_id, j.iso_week, j.dates)
                 .groupby(["store_id", "iso_week", "date"], sort=True).size().rename("counted_hours").reset_index()
                 .assign(plan_id=j.plan_id, published_on=j.published_on)
                 for j in published if j.published_on is not None]
    unplanned = [frame for frame in unplanned if not frame.empty]
    return replace(review, published_store_ids=frozenset(j.store_id for j in published),
                   unplanned=pd.concat(unplanned, ignore_index=True)[UNPLANNED_COLUMNS] if unplanned
                   else pd.DataFrame(columns=UNPLANNED_COLUMNS))


def review_of_hours(hours: pd.DataFrame, settings: Settings) -> Review:
    """Days, weeks and the judgement per store from `review_hours`'s rows."""
    days, weeks = (_summary(hours, by, schema) for by, schema in (
        (["store_id", "iso_week", "date"], ReviewDaySchema), (["store_id", "iso_week"], ReviewSummarySchema)))
    if "plan_id" in hours and not hours.empty:  # the plan that judged each day (`judged_days`)
        judged = hours.groupby(["store_id", "iso_week", "date"], sort=True)["plan_id"].first().reset_index()
        days = days.merge(judged, on=["store_id", "iso_week", "date"], how="left")
    return Review(hours, days, weeks, _flags(hours, settings))


def _chosen_hours(plan: Plan | None, observations: pd.DataFrame | None, settings: Settings,
                  store_id: str | None = None, iso_week: str | None = None,
                  dates: frozenset[date] | None = None) -> pd.DataFrame:
    """`review_hours` of one store and/or week and/or those dates; without a plan, none (the columns only)."""
    if plan is None:
        return pd.DataFrame(columns=HOUR_COLUMNS)
    hours = review_hours(plan, observations, settings)
    if store_id is not None:
        hours = hours[hours["store_id"] == store_id]
    if iso_week is not None:
        hours = hours[hours["iso_week"] == iso_week]
    if dates is not None:
        hours = hours[hours["date"].dt.date.isin(dates)]
    return hours.reset_index(drop=True)


def review_text(review: Review, store_id: str, plan_label: str, published: dict[str, int] | None = None) -> str:
    """One line per counted day, then the judgement: what `planner review` prints. `published` (ISO week -> the plan
    published for it now, the one `plan_label` names): a day held against another plan (`judged_days`) says which."""
    days = review.days[review.days["store_id"] == store_id]
    unplanned = review.unplanned[review.unplanned["store_id"] == store_id].sort_values("date")
    if days.empty and unplanned.empty:
        return f"{store_id}, {plan_label}: no counts yet for the dates it covers."
    # a day counted before its week's first plan was published is said in its place, in the plan's words
    said = [(day.date, f"{day.date:%a %Y-%m-%d}  {day.counted_hours:2d} h  "
                       f"{no_plan_in_force(day.plan_id, day.published_on)}") for day in unplanned.itertuples()]
    if days.empty:
        return "\n".join([f"{store_id}, {plan_label}:", *(line for _, line in said), review.sentence(store_id)])
    lines = [f"{store_id}, {plan_label}: per day, customers who wanted help against the plan, and the hours with "
             "staff on duty below the plan's schedule, its requirement, and the target service"]
    # a re-plan: say which plan judged each day, when it is not the one the label names
    several = "plan_id" in days and (days["plan_id"].nunique() > 1 or published is not None and any(
        published.get(week) != plan for week, plan in zip(days["iso_week"], days["plan_id"], strict=True)))
    if several:
        lines[0] += "; a day held against another plan (the one in force when the day began) says which"
    for day in days.itertuples():
        inside = day.counted_hours - day.hours_above_band - day.hours_below_band
        said.append((day.date, (
            f"{day.date:%a %Y-%m-%d}  {day.counted_hours:2d} h  wanted help {day.help_seekers:4.0f}, planned "
            f"{day.forecast_help_seekers:4.0f} ({in_a_line('bias_share')} {_percent(day.bias_share)})  "
            f"{in_a_line('mape')} {_percent(day.mape, sign=False)}  "
            f"{in_a_line('band_coverage')} {inside}/{day.counted_hours}  "
            f"{in_a_line('hours_under_scheduled')} {day.hours_under_scheduled} h, "
            f"{in_a_line('hours_under_required')} {day.hours_under_required} h, "
            f"{in_a_line('hours_below_target_service')} {day.hours_below_target_service} h"
            + (f"  (plan {day.plan_id})" if several else ""))))
    lines += [line for _, line in sorted(said, key=lambda pair: pair[0])]
    lines.append(review.sentence(store_id))
    return "\n".join(lines)


def _percent(share: float, sign: bool = True) -> str:
    return "n/a" if pd.isna(share) else f"{share:{'+' if sign else ''}.0%}"


def review_hours(plan: Plan, observations: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """One row per counted hour the plan covers: counted and planned customers, band, staff and implied service."""
    demand = plan.demand[[*KEYS, "business_date", "iso_week", "assisted_per_hour", "assisted_per_hour_low",
                          "assisted_per_hour_high", "visitors_per_hour", "assisted_minutes_mean", "touch_minutes_mean",
                          "open_share"]]
    demand = demand.assign(date=pd.to_datetime(demand["date"]).dt.normalize(),
                           business_date=pd.to_datetime(demand["business_date"]).dt.normalize())
    later = days_after_opening(weekdays(demand["date"]), weekdays(demand["business_date"]))
    # the clock date a floor records the hour under: the opening's date, or the next one after midnight (Sunday's
    # night too, which plans saved before it was dated by the clock kept on their week's Monday morning)
    demand = demand.assign(counted_date=demand["business_date"] + pd.to_timedelta(later, unit="D"))
    counts = observations.assign(counted_date=pd.to_datetime(observations["date"]).dt.normalize(),
                                 hour=observations["hour"].astype(int)).drop(columns="date")
    rows = demand.merge(counts, on=["store_id", "counted_date", "hour"], how="inner")
    rows = rows[rows["assisted_per_hour"].notna()].reset_index(drop=True)
    share = rows["open_share"].astype("Float64").fillna(1.0).to_numpy(float)  # customers come in its open minutes
    rows["expected_help_seekers"] = rows["assisted_per_hour"] * share
    rows["expected_visitors"] = rows["visitors_per_hour"] * share
    coverage = plan.coverage[[*KEYS, "iso_week", "scheduled_staff", "required_staff"]].assign(
        date=lambda f: pd.to_datetime(f["date"]).dt.normalize())
    rows = rows.merge(coverage, on=[*KEYS, "iso_week"], how="left")
    # from here on an hour is the opening's: under the date whose opening it closes, 24 for 00:00+1
    rows = rows.assign(date=rows["business_date"], hour=hours_by_opening(rows)).drop(columns=["business_date"])
    targets = plan.targets.set_index("store_id")
    patience = targets["patience_minutes"].reindex(rows["store_id"]).to_numpy(float)
    rows["help_seekers"] = _help_seekers(rows, share, patience, settings)
    low, high = count_band(*(rows[c].to_numpy(float) * share for c in ("assisted_per_hour", "assisted_per_hour_low",
                                                                        "assisted_per_hour_high")),
                           settings.demand.interval_level)
    rows["band_low"], rows["band_high"] = low, high
    rows["above_band"] = rows["help_seekers"] > high
    rows["below_band"] = rows["help_seekers"] < low
    staff = rows["staff_on_duty"].astype("Float64")
    rows["staffed"] = staff.notna().to_numpy(bool)
    rows["under_scheduled"] = (staff < rows["scheduled_staff"]).fillna(False).astype(bool)
    rows["under_required"] = (staff < rows["required_staff"]).fillna(False).astype(bool)
    rows["service_level"] = _implied_service(rows, share, targets, patience)
    target = targets["target_service_level"].reindex(rows["store_id"]).to_numpy(float)
    rows["target_service_level"] = target
    rows["below_target_service"] = (rows["service_level"] < target - 1e-9).fillna(False).astype(bool)
    return rows


def count_band(rate: np.ndarray, low: np.ndarray, high: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """The central `level` interval of one hour's count when the rate is uncertain: a gamma rate with mean `rate`
    and standard deviation (high - low) / (2 z) (z the normal quantile of the level), so the count is negative
    binomial; a Poisson count where the interval has no width."""
    tail = (1 - level) / 2
    z = stats.norm.ppf(1 - tail)
    sd = np.maximum(np.nan_to_num(high - low), 0.0) / (2 * z)
    band_low, band_high = np.zeros_like(rate), np.zeros_like(rate)
    positive = rate > 0
    wide = positive & (sd > 1e-9)
    shape = rate[wide] ** 2 / sd[wide] ** 2
    p = shape / (shape + rate[wide])
    band_low[wide], band_high[wide] = stats.nbinom.ppf(tail, shape, p), stats.nbinom.ppf(1 - tail, shape, p)
    narrow = positive & ~wide
    band_low[narrow], band_high[narrow] = stats.poisson.ppf(tail, rate[narrow]), stats.poisson.ppf(1 - tail, rate[narrow])
    return band_low, band_high


def _help_seekers(rows: pd.DataFrame, share: np.ndarray, patience: np.ndarray, settings: Settings) -> np.ndarray:
    """Assisted counted plus those estimated to have given up. Per store and date, the day's offered rate is the
    plan's hourly shape scaled by the one factor k at which Erlang A, with each hour's staff free for help-seekers,
    serves the day's counted assisted (found by Brent's method between no one and everyone lost); each hour's served
    count is then divided by its share kept at that rate. An hour open for `share` of it holds share x its rate
    per open hour, at which its staff serve (and its touches take their staff). Pooling the day keeps one hour's chance count from
    swinging its own correction (inverting hour by hour overstates: +5% on counts drawn at the plan's rates)."""
    served = rows["assisted"].to_numpy(float)
    wanted = served.copy()
    service = rows["assisted_minutes_mean"].to_numpy(float)
    staff = rows["staff_on_duty"].astype("Float64").to_numpy(float, na_value=np.nan)
    self_service = rows["self_service"].to_numpy(float)
    shape = rows["assisted_per_hour"].to_numpy(float)
    solvable = np.isfinite(staff) & np.isfinite(service) & (service > 0) & np.isfinite(patience) & (shape > 0)
    touch = np.nan_to_num(self_service / share * rows["touch_minutes_mean"].to_numpy(float) / 60.0)
    free = np.maximum(staff - touch, settings.demand.min_effective_staff)
    day = rows.groupby(["store_id", "date"], sort=False).ngroup().to_numpy()
    for chosen in (np.flatnonzero(solvable & (day == d)) for d in np.unique(day[solvable])):
        if served[chosen].sum() <= 0:
            continue

        def kept(k: float, at=chosen) -> np.ndarray:
            return _kept_share(k * shape[at], service[at], free[at], patience[at])

        def short(k: float, at=chosen) -> float:
            return float((k * shape[at] * share[at] * kept(k)).sum() - served[at].sum())

        expected = (shape[chosen] * share[chosen]).sum()
        low = served[chosen].sum() / expected
        high = (served[chosen] + self_service[chosen]).sum() / expected
        k = high if short(high) <= 0 else optimize.brentq(short, low, high, xtol=1e-6 * low)
        wanted[chosen] = np.minimum(served[chosen] / np.maximum(kept(k), 1e-12),
                                    served[chosen] + self_service[chosen])
    return wanted


def _kept_share(arrivals, service, staff, patience) -> np.ndarray:
    """1 - P(give up) in Erlang A, at fractional staff by linear interpolation between the whole numbers either side
    (as the demand model's censoring correction does)."""
    whole = np.floor(staff)
    part = staff - whole
    both = erlang_a(np.concatenate([arrivals, arrivals]), np.concatenate([service, service]),
                    np.concatenate([whole, whole + 1]), patience_minutes=np.concatenate([patience, patience]),
                    target_wait_seconds=0.0).prob_abandon
    return 1.0 - ((1 - part) * both[: arrivals.size] + part * both[arrivals.size:])


def _implied_service(rows: pd.DataFrame, share: np.ndarray, targets: pd.DataFrame, patience: np.ndarray) -> np.ndarray:
    """Erlang A's service level (abandoners count as missed) for the counted help-seekers (per open hour: over
    `share` of the hour) and staff; NaN without staff_on_duty or minutes of help."""
    out = np.full(len(rows), np.nan)
    staff = rows["staff_on_duty"].astype("Float64").to_numpy(float, na_value=np.nan)
    service = rows["assisted_minutes_mean"].to_numpy(float)
    ok = np.isfinite(staff) & np.isfinite(service) & (service > 0) & np.isfinite(patience)
    if ok.any():
        wait = targets["target_wait_seconds"].reindex(rows["store_id"]).to_numpy(float)[ok]
        result = erlang_a((rows["help_seekers"].to_numpy(float) / share)[ok], service[ok], staff[ok].astype(int),
                          patience_minutes=patience[ok], target_wait_seconds=wait)
        out[ok] = result.service_level_all_arrivals
    return out


def _summary(hours: pd.DataFrame, by: list[str], schema: type[ReviewSummarySchema]) -> pd.DataFrame:
    """Per group of `by`, validated against `schema`; an empty frame of its columns without counted hours."""
    if hours.empty:
        columns = schema.to_schema().columns
        return pd.DataFrame({name: pd.Series(dtype=str(column.dtype)) for name, column in columns.items()})
    frame = hours.assign(
        error=hours["help_seekers"] - hours["expected_help_seekers"],
        ape=(hours["help_seekers"] - hours["expected_help_seekers"]).abs()
        / hours["expected_help_seekers"].where(hours["expected_help_seekers"] > 0),
        inside=~(hours["above_band"] | hours["below_band"]),
        visitors=hours["visitors"].astype(float),
    )
    grouped = frame.groupby(by, sort=True)
    out = grouped.agg(
        counted_hours=("hour", "size"), help_seekers=("help_seekers", "sum"),
        forecast_help_seekers=("expected_help_seekers", "sum"), bias_per_hour=("error", "mean"), mape=("ape", "mean"),
        band_coverage=("inside", "mean"), hours_above_band=("above_band", "sum"),
        hours_below_band=("below_band", "sum"), visitors=("visitors", "sum"),
        forecast_visitors=("expected_visitors", "sum"), staffed_hours=("staffed", "sum"),
        hours_under_scheduled=("under_scheduled", "sum"), hours_under_required=("under_required", "sum"),
        hours_below_target_service=("below_target_service", "sum"),
    ).reset_index()
    out["bias_share"] = _share(out["help_seekers"] - out["forecast_help_seekers"], out["forecast_help_seekers"])
    out["visitors_bias_share"] = _share(out["visitors"] - out["forecast_visitors"], out["forecast_visitors"])
    counts = ["counted_hours", "hours_above_band", "hours_below_band", "staffed_hours", "hours_under_scheduled",
              "hours_under_required", "hours_below_target_service"]
    return schema.validate(out.astype({name: int for name in counts}).drop(columns=["visitors", "forecast_visitors"]))


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    return (part / whole.where(whole > 0)).astype(float)


def _flags(hours: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Per store: whether the counts sit persistently on one side of the band (`ReviewRules`), said in a sentence."""
    rules = settings.review
    rows = []
    for store_id, store in hours.groupby("store_id", sort=True):
        counted, weeks = len(store), store["iso_week"].nunique()
        above, below = int(store["above_band"].sum()), int(store["below_band"].sum())
        # counted, not "{n} hours": "1 counted hours over 1 week" read in a week with one hour counted
        of_hours, span = counted_words(counted, "hour"), counted_words(weeks, "week")
        enough = counted >= rules.min_counted_hours or weeks >= rules.min_weeks
        if enough and above / counted >= rules.persistent_outside_share:
            flag, sentence = "higher", (f"{store_id}: counts above the band in {above} of {of_hours} over {span}: "
                                        "demand is higher than planned.")
        elif enough and below / counted >= rules.persistent_outside_share:
            flag, sentence = "lower", (f"{store_id}: counts below the band in {below} of {of_hours} over {span}: "
                                       "demand is lower than planned.")
        elif enough:
            flag, sentence = "", (f"{store_id}: counts inside the band in {counted - above - below} of {of_hours} "
                                  f"over {span}: no persistent bias.")
        else:
            flag, sentence = "", (f"{store_id}: {counted_words(counted, 'counted hour')} over {span}, too few yet "
                                  "to tell whether demand runs steadily above or below the plan (that takes "
                                  f"{counted_words(rules.min_counted_hours, 'hour')} or "
                                  f"{counted_words(rules.min_weeks, 'week')}).")
        rows.append({"store_id": store_id, "counted_hours": counted, "weeks": weeks, "hours_above_band": above,
                     "hours_below_band": below, "flag": flag, "sentence": sentence})
    return pd.DataFrame(rows, columns=["store_id", "counted_hours", "weeks", "hours_above_band", "hours_below_band",
                                       "flag", "sentence"])
