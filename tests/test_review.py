"""Forecast against actual, on a simulated store whose later counts are drawn from the plan's own rates (no drift:
about 90% of hours inside the band, no flag) and from the rates x 1.3 (bias near +30%, flagged), with those who
give up drawn from Erlang A at the true rate and the staff the plan scheduled; and a small case worked by hand."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from planner import pipeline
from planner.io import read_table, validate_observations, validate_stores
from planner.io.stores import opening_week
from planner.plans import PlanRequest
from planner.queueing import erlang_a
from planner.review import (Judging, PublishedOnce, count_band, judged_days, review_plan, review_published,
                            review_text, unplanned_days)
from planner.settings import ImportRules, Settings
from planner.surfaces.my_store import bias_next_step

from conftest import DATA

WEEKS = ("2026-W50", "2026-W51")


@pytest.fixture(scope="module")
def planned():
    stores = validate_stores(read_table((DATA / "stores.csv").read_bytes(), "stores.csv")).frame
    observations = validate_observations(read_table((DATA / "observations.csv").read_bytes(), "observations.csv"),
                                         opening_week(stores), ImportRules()).frame
    plan = pipeline.make_plan_from_frames(observations, stores, PlanRequest(weeks=WEEKS, store_ids=("S01",)),
                                          parallel=False)
    return plan


def later_counts(plan, factor: float, seed: int) -> pd.DataFrame:
    """Counts for every planned hour: help-seekers ~ Poisson(rate x factor); those who give up (Erlang A at the true
    rate, the scheduled staff) are tallied as self-service, as on a real floor."""
    rng = np.random.default_rng(seed)
    hours = plan.demand.merge(plan.coverage[["store_id", "date", "hour", "scheduled_staff"]],
                              on=["store_id", "date", "hour"])
    hours = hours[hours["assisted_per_hour"].notna()].reset_index(drop=True)
    targets = plan.targets.set_index("store_id").loc[hours["store_id"]]
    rate = hours["assisted_per_hour"].to_numpy() * factor
    staff = np.maximum(hours["scheduled_staff"].to_numpy(), 1)
    abandon = erlang_a(rate, hours["assisted_minutes_mean"].to_numpy(), staff,
                       patience_minutes=targets["patience_minutes"].to_numpy(float),
                       target_wait_seconds=targets["target_wait_seconds"].to_numpy(float)).prob_abandon
    seekers = rng.poisson(rate)
    gave_up = rng.binomial(seekers, np.clip(abandon, 0, 1))
    self_service = rng.poisson(hours["self_service_per_hour"].fillna(0).to_numpy() * factor) + gave_up
    assisted = seekers - gave_up
    browsing = rng.poisson(np.maximum(hours["visitors_per_hour"].to_numpy() - rate, 0) * factor)
    return pd.DataFrame({
        "store_id": hours["store_id"], "date": hours["date"], "hour": hours["hour"].astype("Int64"),
        "visitors": pd.array(assisted + self_service + browsing, dtype="Int64"),
        "assisted": pd.array(assisted, dtype="Int64"), "self_service": pd.array(self_service, dtype="Int64"),
        "assisted_minutes": 0.0, "self_service_minutes": 0.0, "staff_on_duty": pd.array(staff, dtype="Int64"),
    })


def test_counts_drawn_from_the_plan_fall_in_the_band_about_90_percent_and_are_not_flagged(planned):
    plan = planned
    reviews = [review_plan(plan, later_counts(plan, 1.0, seed=seed), Settings()) for seed in range(10)]
    hours = pd.concat([review.hours for review in reviews])
    coverage = 1 - (hours["above_band"] | hours["below_band"]).mean()
    bias = hours["help_seekers"].sum() / hours["assisted_per_hour"].sum() - 1
    print(f"no drift: {len(hours)} hours (10 draws of 2 weeks), band coverage {coverage:.3f}, bias {bias:+.3f}")
    assert len(hours) > 1000
    assert 0.87 <= coverage <= 0.97
    assert abs(bias) < 0.03
    assert [review.flags["flag"].tolist() for review in reviews] == [[""]] * 10
    assert "no persistent bias" in reviews[0].sentence("S01")
    assert bias_next_step(reviews[0].flag("S01")) is None  # nothing to do about counts that go as planned
    assert reviews[0].weeks["iso_week"].tolist() == list(WEEKS)
    assert reviews[0].days["counted_hours"].sum() == len(reviews[0].hours)


def test_counts_30_percent_above_the_plan_are_flagged_with_a_bias_near_30_percent(planned):
    plan = planned
    reviews = [review_plan(plan, later_counts(plan, 1.3, seed=seed), Settings()) for seed in range(20, 25)]
    hours = pd.concat([review.hours for review in reviews])
    bias = hours["help_seekers"].sum() / hours["assisted_per_hour"].sum() - 1
    above = hours["above_band"].mean()
    print(f"drift x1.3: bias {bias:+.3f}, share above band {above:.3f}; {reviews[0].sentence('S01')}")
    assert 0.25 <= bias <= 0.36  # the true rise is 0.30
    print([review.weeks["bias_share"].round(3).tolist() for review in reviews])
    assert all(review.weeks["bias_share"].between(0.15, 0.55).all() for review in reviews)
    assert [review.flags["flag"].tolist() for review in reviews] == [["higher"]] * 5
    assert "demand is higher than planned" in reviews[0].sentence("S01")
    # the judgement says what to do: re-plan, and the estimate follows these counts once re-planned
    step = bias_next_step(reviews[0].flag("S01"))
    assert step is not None and "Re-plan" in step and "more customers" in step and "these counts" in step


def test_counts_30_percent_below_the_plan_are_flagged_lower(planned):
    plan = planned
    reviews = [review_plan(plan, later_counts(plan, 0.7, seed=seed), Settings()) for seed in range(40, 43)]
    assert [review.flags["flag"].tolist() for review in reviews] == [["lower"]] * 3
    assert all(review.weeks["bias_share"].between(-0.4, -0.2).all() for review in reviews)
    assert "demand is lower than planned" in reviews[0].sentence("S01")
    step = bias_next_step(reviews[0].flag("S01"))
    assert step is not None and "Re-plan" in step and "fewer customers" in step


def test_a_small_case_worked_by_hand(planned):
    plan = planned
    day = pd.Timestamp("2026-12-07")
    demand = plan.demand[(plan.demand["date"] == day)].head(4).copy()
    demand[["assisted_per_hour", "assisted_per_hour_low", "assisted_per_hour_high"]] = 10.0
    demand["visitors_per_hour"] = 40.0
    small = dataclasses.replace(plan, demand=demand)
    counts = pd.DataFrame({
        "store_id": "S01", "date": day, "hour": demand["hour"].astype("Int64").to_numpy(),
        "visitors": pd.array([40, 40, 50, 30], dtype="Int64"),
        "assisted": pd.array([8, 12, 20, 10], dtype="Int64"), "self_service": pd.array([0] * 4, dtype="Int64"),
        "assisted_minutes": 0.0, "self_service_minutes": 0.0, "staff_on_duty": pd.array([None] * 4, dtype="Int64"),
    })
    review = review_plan(small, counts, Settings())
    (row,) = review.days.to_dict("records")
    # A rate of 10 with no width: Poisson 5% and 95% quantiles 5 and 15; 20 is above.
    assert row["counted_hours"] == 4
    assert row["bias_per_hour"] == pytest.approx(2.5)          # (-2 + 2 + 10 + 0) / 4
    assert row["bias_share"] == pytest.approx(0.25)            # 10 / 40
    assert row["mape"] == pytest.approx(0.35)                  # (0.2 + 0.2 + 1 + 0) / 4
    assert row["band_coverage"] == pytest.approx(0.75)
    assert (row["hours_above_band"], row["hours_below_band"]) == (1, 0)
    assert row["visitors_bias_share"] == pytest.approx(0.0)    # 160 against 160
    assert row["staffed_hours"] == 0
    assert "too few yet to tell" in review.sentence("S01")
    # 25% above plan, but on four hours: too few to judge, so no step (one busy morning does not re-plan a week)
    assert bias_next_step(review.flag("S01")) is None


def test_the_count_band_holds_90_percent_of_poisson_gamma_draws():
    rng = np.random.default_rng(3)
    rate, low, high = np.array([4.0]), np.array([3.0]), np.array([5.0])
    low_band, high_band = count_band(rate, low, high, 0.9)
    sd = 1.0 / (2 * 1.6448536)
    draws = rng.poisson(rng.gamma((4 / sd) ** 2, sd ** 2 / 4, 200_000))
    inside = ((draws >= low_band[0]) & (draws <= high_band[0])).mean()
    assert 0.9 <= inside <= 0.97  # a discrete count: at least the level, by less than one step


def test_published_weeks_are_judged_together_as_one_plan_over_them(planned):
    plan = planned
    counts = later_counts(plan, 1.3, seed=20)
    whole = review_plan(plan, counts, Settings())
    by_week = review_published([Judging(plan, "S01", week) for week in WEEKS], counts, Settings())
    one_week = review_published([Judging(plan, "S01", WEEKS[0])], counts, Settings())
    pd.testing.assert_frame_equal(by_week.weeks, whole.weeks)
    assert by_week.flags.to_dict("records") == whole.flags.to_dict("records")
    assert one_week.weeks["iso_week"].tolist() == [WEEKS[0]] and one_week.flags["weeks"].tolist() == [1]
    assert review_published([], counts, Settings()).days.empty


def test_each_day_is_judged_by_the_plan_in_force_when_it_began():
    """Plan 1 published the Friday before week 2026-W50, plan 2 (a re-plan) on its Wednesday at 14:00 UTC: Monday to
    Wednesday are judged by plan 1 (plan 2 was published during Wednesday, so it judges from Thursday), the rest by
    plan 2. Published only during the week, the first plan judges the days after it alone: the days that began
    before it had no plan in force (`unplanned_days` names them, with that plan); of two plans both published before
    the week, the later one judges all of it."""
    monday = date(2026, 12, 7)
    week = [monday + timedelta(days=k) for k in range(7)]
    first = PublishedOnce(1, "S01", "2026-W50", datetime(2026, 12, 4, 9, 0))
    replan = PublishedOnce(2, "S01", "2026-W50", datetime(2026, 12, 9, 14, 0))
    judged = {once.plan_id: sorted(dates) for once, dates in judged_days([replan, first])}
    assert judged == {1: week[:3], 2: week[3:]} and unplanned_days([replan, first]) == []
    late = PublishedOnce(3, "S02", "2026-W50", datetime(2026, 12, 9, 14, 0))
    assert [(o.plan_id, sorted(d)) for o, d in judged_days([late])] == [(3, week[3:])]
    assert [(o.plan_id, sorted(d)) for o, d in unplanned_days([late])] == [(3, week[:3])]
    later = PublishedOnce(4, "S01", "2026-W50", datetime(2026, 12, 5, 9, 0))
    assert [(o.plan_id, sorted(d)) for o, d in judged_days([later, first])] == [(4, week)]
    # the walk: W50's plan published on its Tuesday judged Monday's counts as if it had been in force
    tuesday = PublishedOnce(12, "S02", "2026-W50", datetime(2026, 12, 8, 10, 0))
    assert [(o.plan_id, sorted(d)) for o, d in judged_days([tuesday])] == [(12, week[2:])]
    assert [(o.plan_id, sorted(d)) for o, d in unplanned_days([tuesday])] == [(12, week[:2])]


def test_the_day_a_plan_was_published_is_the_stores_own_date_not_greenwichs():
    """The week's dates are the store's: W50's plan published at 01:00 UTC on Monday 7 December was published on
    Sunday evening in New York (20:00, UTC-5), before Monday began there, so it judges Monday too; published at 23:00
    UTC on Sunday 6 December it was published on Monday morning in Tokyo (08:00, UTC+9), after Monday began there, so
    Monday had no plan in force, and the plan is said to be published on Monday. Without a zone: the UTC date, as
    before."""
    monday = date(2026, 12, 7)
    week = [monday + timedelta(days=k) for k in range(7)]
    new_york = PublishedOnce(1, "S01", "2026-W50", datetime(2026, 12, 7, 1, 0, tzinfo=UTC), "America/New_York")
    assert new_york.published_on == date(2026, 12, 6)
    assert [(o.plan_id, sorted(d)) for o, d in judged_days([new_york])] == [(1, week)]
    assert unplanned_days([new_york]) == []
    tokyo = PublishedOnce(2, "S02", "2026-W50", datetime(2026, 12, 6, 23, 0, tzinfo=UTC), "Asia/Tokyo")
    assert tokyo.published_on == monday
    assert [(o.plan_id, sorted(d)) for o, d in judged_days([tokyo])] == [(2, week[1:])]
    assert [(o.plan_id, sorted(d)) for o, d in unplanned_days([tokyo])] == [(2, week[:1])]
    greenwich = dataclasses.replace(new_york, time_zone=None)
    assert greenwich.published_on == monday
    assert [(o.plan_id, sorted(d)) for o, d in unplanned_days([greenwich])] == [(1, week[:1])]
    # a zone this machine's database does not know (a saved name a later tzdata dropped): read as UTC, not refused
    assert dataclasses.replace(tokyo, time_zone="Atlantis/Capital").published_on == date(2026, 12, 6)


def test_days_counted_before_any_plan_was_published_stay_out_of_the_judgement(planned):
    """The week's counts run 30% above the plan, which is published only on its Wednesday: Monday to Wednesday had no
    plan in force, so they are neither days of the review nor hours of its judgement; they are listed as unplanned,
    with their counted hours and the plan published later. Counted on those days alone, nothing is judged, and the
    review says why."""
    plan = planned
    counts = later_counts(plan, 1.3, seed=22)
    history = [PublishedOnce(5, "S01", WEEKS[0], datetime(2026, 12, 9, 14, 0))]
    judging = [Judging(plan, "S01", WEEKS[0], once.plan_id, dates) for once, dates in judged_days(history)] + [
        Judging(plan, "S01", WEEKS[0], once.plan_id, dates, published_on=once.published_on)
        for once, dates in unplanned_days(history)]
    review = review_published(judging, counts, Settings())
    everything = review_published([Judging(plan, "S01", WEEKS[0], 5)], counts, Settings())
    by_date = everything.days.set_index(everything.days["date"].dt.date)
    early = by_date[by_date.index <= date(2026, 12, 9)]
    assert sorted(review.days["date"].dt.date) == sorted(by_date.index[by_date.index > date(2026, 12, 9)])
    assert review.flags["counted_hours"].tolist() == [int(by_date["counted_hours"].sum() - early["counted_hours"].sum())]
    unplanned = review.unplanned
    assert unplanned["date"].dt.date.tolist() == list(early.index)
    assert unplanned["counted_hours"].tolist() == early["counted_hours"].tolist()
    assert set(unplanned["plan_id"]) == {5} and set(unplanned["published_on"]) == {date(2026, 12, 9)}
    text = review_text(review, "S01", "plan 5")
    for day in early.index:
        (line,) = [line for line in text.splitlines() if line.startswith(f"{day:%a %Y-%m-%d}")]
        assert "no plan in force" in line and "(plan" not in line, text
    only_early = counts[pd.to_datetime(counts["date"]).dt.date <= date(2026, 12, 9)]
    alone = review_published(judging, only_early, Settings())
    assert alone.days.empty and alone.flags.empty and len(alone.unplanned) == 3
    said = alone.sentence("S01")
    assert "no plan" in said and "no counts yet" not in said, said
    assert "no counts yet" not in alone.nothing_to_review(["S01"], "this store").lower()
    assert "no plan in force" in review_text(alone, "S01", "plan 5")


def test_a_re_plan_made_with_the_weeks_own_counts_does_not_judge_the_days_worked_before_it(planned):
    """The week's counts run 30% above plan 1. A re-plan published on Wednesday that forecasts them (plan 1's rates
    x 1.3) judges Thursday to Sunday only: Monday to Wednesday stay about 30% above the plan that was in force, and
    the later days come out near 0%."""
    plan = planned
    counts = later_counts(plan, 1.3, seed=21)
    demand = plan.demand.copy()
    for column in ("assisted_per_hour", "assisted_per_hour_low", "assisted_per_hour_high"):
        demand[column] = demand[column] * 1.3
    replan = dataclasses.replace(plan, demand=demand)
    judged = judged_days([PublishedOnce(1, "S01", WEEKS[0], datetime(2026, 12, 4, 9, 0)),
                          PublishedOnce(2, "S01", WEEKS[0], datetime(2026, 12, 9, 14, 0))])
    review = review_published([Judging({1: plan, 2: replan}[once.plan_id], "S01", WEEKS[0], once.plan_id, dates)
                               for once, dates in judged], counts, Settings())
    days = review.days.set_index(review.days["date"].dt.date)
    early, late = days[days.index <= date(2026, 12, 9)], days[days.index > date(2026, 12, 9)]
    assert set(early["plan_id"]) == {1} and set(late["plan_id"]) == {2}
    assert len(early) == 3 and len(late) >= 3
    early_bias = early["help_seekers"].sum() / early["forecast_help_seekers"].sum() - 1
    late_bias = late["help_seekers"].sum() / late["forecast_help_seekers"].sum() - 1
    assert 0.15 < early_bias < 0.45 and abs(late_bias) < 0.1, (early_bias, late_bias)
    alone = review_published([Judging(replan, "S01", WEEKS[0], 2)], counts, Settings())
    assert abs(alone.days["help_seekers"].sum() / alone.days["forecast_help_seekers"].sum() - 1) < 0.1


@pytest.fixture(scope="module")
def late_store_plan():
    """S07 of the sample opens Friday and Saturday 10:00-01:00; here Sunday 12:00-01:00 too, so the week's last
    night runs into the next week's Monday."""
    stores = validate_stores(read_table((DATA / "stores.csv").read_bytes(), "stores.csv")).frame
    stores.loc[stores["store_id"] == "S07", "sun"] = "12:00-01:00"
    observations = validate_observations(read_table((DATA / "observations.csv").read_bytes(), "observations.csv"),
                                         opening_week(stores), ImportRules()).frame
    return pipeline.make_plan_from_frames(observations, stores, PlanRequest(weeks=("2026-W49",), store_ids=("S07",)),
                                          parallel=False)


def _counted(*cells: tuple[str, int]) -> pd.DataFrame:
    """Counts of S07 in the clock hours `cells` (date, hour), as a floor records them: under the date they fall on."""
    n = len(cells)
    return pd.DataFrame({
        "store_id": "S07", "date": pd.to_datetime([day for day, _ in cells]),
        "hour": pd.array([hour for _, hour in cells], dtype="Int64"),
        "visitors": pd.array([60] * n, dtype="Int64"), "assisted": pd.array([25] * n, dtype="Int64"),
        "self_service": pd.array([25] * n, dtype="Int64"), "assisted_minutes": 300.0, "self_service_minutes": 3.0,
        "staff_on_duty": pd.array([8] * n, dtype="Int64"),
    })


def test_an_hour_after_midnight_is_held_under_the_date_whose_opening_it_closes(late_store_plan):
    """Friday 10:00-01:00 counted in full is 15 hours of Friday, its 00:00 hour recorded under Saturday's date; the
    Saturday counted 10:00-24:00 is 14 (grouped by the counts' own dates it read Friday 14 h, Saturday 15 h)."""
    friday = [("2026-12-04", hour) for hour in range(10, 24)] + [("2026-12-05", 0)]
    saturday = [("2026-12-05", hour) for hour in range(10, 24)]
    review = review_plan(late_store_plan, _counted(*friday, *saturday), Settings())
    days = dict(zip(review.days["date"].dt.strftime("%a %Y-%m-%d"), review.days["counted_hours"], strict=True))
    assert days == {"Fri 2026-12-04": 15, "Sat 2026-12-05": 14}
    assert review.days["counted_hours"].sum() == len(review.hours) == 29


def test_sundays_night_is_the_count_of_the_next_mondays_first_hour_not_this_weeks(late_store_plan):
    """The plan is a cycle, so Sunday's 00:00+1 hour is kept on the week's Monday; the count that closes Sunday 6
    December is dated Monday 7 December, and the one dated Monday 30 November closed the week before's Sunday."""
    sunday = [("2026-12-06", hour) for hour in range(12, 24)] + [("2026-12-07", 0)]
    review = review_plan(late_store_plan, _counted(("2026-11-30", 0), *sunday), Settings())
    days = dict(zip(review.days["date"].dt.strftime("%a %Y-%m-%d"), review.days["counted_hours"], strict=True))
    assert days == {"Sun 2026-12-06": 13}


def test_one_counted_hour_is_said_in_the_singular(planned):
    """`review` of a week with one hour counted said "S01: 1 counted hours over 1 week"."""
    counts = later_counts(planned, 1.0, seed=3).head(1)
    review = review_plan(planned, counts, Settings())
    rules = Settings().review
    # "too few to judge a persistent bias" was a statistician's phrase: what it means, in a manager's words
    assert review.sentence("S01") == (f"S01: 1 counted hour over 1 week, too few yet to tell whether demand runs "
                                      f"steadily above or below the plan (that takes {rules.min_counted_hours} hours "
                                      f"or {rules.min_weeks} weeks).")
