"""`planner.compare` against numbers worked out by hand for a tiny chain (see the comments beside each frame)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.compare import (KPI_COLUMNS, REGION_SUMS, above_max_staff, neediest, occupancy_over_max_staff,
                             region_totals, staff_heatmap, store_kpis, stores_closed, stores_without_estimate)
from planner.surfaces.compare import who_needs_what

NA = np.nan

# Store A: four open hours; Tue 10:00 was never counted (no estimate, no staff on duty), Mon 11:00 has no
# staff_on_duty. Store B: one hour. Store C: in the store file, no hours at all.
RECOMMENDATION = pd.DataFrame({
    "store_id": ["A", "A", "A", "A", "B"],
    "weekday": [0, 0, 1, 1, 0],
    "hour": [10, 11, 10, 11, 12],
    "assisted_per_hour": [10.0, 6.0, NA, 8.0, 5.0],
    "self_service_per_hour": [20.0, 4.0, NA, 2.0, 5.0],
    "required_staff": pd.array([3, 2, None, 4, 4], dtype="Int64"),
    "current_staff": [2.0, NA, NA, 3.0, 4.0],
    "lost_customers_per_hour_at_current": [1.5, NA, NA, 0.5, 0.0],
})
VISITORS = pd.DataFrame({  # as planner.demand gives them: visitors_per_hour per cell, NA where never counted
    "store_id": ["A", "A", "A", "A", "B"],
    "weekday": [0, 0, 1, 1, 0],
    "hour": [10, 11, 10, 11, 12],
    "visitors_per_hour": [40.0, 12.0, NA, 20.0, 25.0],
})
STORES = pd.DataFrame({
    "store_id": ["A", "B", "C"],
    "name": ["Alpha", "Beta", "Gamma"],
    "region": ["North", "North", "South"],
    "format": ["x", "y", "z"],
    "wage_per_hour": pd.array([20.0, 10.0, 15.0], dtype="Float64"),
    "min_staff": pd.array([2, 1, 3], dtype="Int64"),
    "max_staff": pd.array([3, 8, 9], dtype="Int64"),
    "target_service_level": pd.array([0.9, None, None], dtype="Float64"),
    "target_wait_seconds": pd.array([None, 30.0, None], dtype="Float64"),
    "patience_minutes": pd.array([None, None, None], dtype="Float64"),
    "max_abandon_share": pd.array([None, None, None], dtype="Float64"),
})


def test_store_kpis_by_hand():
    kpis = store_kpis(RECOMMENDATION, STORES, VISITORS).set_index("store_id")
    assert list(kpis.reset_index().columns) == list(KPI_COLUMNS)
    a, b, c = kpis.loc["A"], kpis.loc["B"], kpis.loc["C"]
    # A: visitors 40 + 12 + 20 = 72; help-seekers 10 + 6 + 8 = 24; staff-hours 3 + 2 + 4 = 9 needed; on duty known
    # in Mon 10 (2) and Tue 11 (3): 5 now, against 3 + 4 = 7 needed in those hours; both short; lost 1.5 + 0.5.
    assert (a["open_hours"], a["hours_without_estimate"]) == (4, 1)
    assert a["weekly_visitors"] == pytest.approx(72)
    assert a["weekly_help_seekers"] == pytest.approx(24)
    assert a["assisted_share"] == pytest.approx(24 / 72)
    assert (a["needed_staff_hours"], a["current_staff_hours"]) == (pytest.approx(9), pytest.approx(5))
    assert (a["current_known_hours"], a["needed_staff_hours_where_current_known"]) == (2, pytest.approx(7))
    assert a["understaffed_hours"] == 2
    assert a["lost_customers_per_week"] == pytest.approx(2.0)
    # wages needed: every hour with a recommendation (3 + 2 + 4 staff-hours at 20); the wage gap only where the
    # staff on duty is known, like the staff-hours gap: Mon 10 (3 needed, 2 on) and Tue 11 (4 needed, 3 on)
    assert a["needed_wage_cost"] == pytest.approx(9 * 20)
    assert a["wage_cost_gap"] == pytest.approx((3 + 4) * 20 - (2 + 3) * 20)
    assert "current_wage_cost" not in kpis.columns  # a "wages now" over fewer hours than the wages needed
    assert a["needed_staff_hours_per_1000_visitors"] == pytest.approx(9 / 72 * 1000)
    # B: 4 needed, 4 on duty: not understaffed (equal is enough).
    assert (b["needed_staff_hours"], b["current_staff_hours"], b["understaffed_hours"]) == (4, 4, 0)
    assert b["needed_staff_hours_per_1000_visitors"] == pytest.approx(160)
    # C: no hours: zeros, and no ratio to speak of.
    assert (c["open_hours"], c["needed_staff_hours"], c["weekly_visitors"]) == (0, 0, 0)
    assert np.isnan(c["assisted_share"]) and np.isnan(c["needed_staff_hours_per_1000_visitors"])


def test_a_store_without_a_recommended_hour_is_named_as_such():
    """C's zeros measure nothing (no hour has an estimate); A's one hour without one leaves it measured."""
    assert stores_without_estimate(store_kpis(RECOMMENDATION, STORES, VISITORS)) == ["C"]


def test_a_store_closed_on_the_day_picked_is_closed_not_without_counts():
    """On Tuesday B is closed (its one hour is Monday's): its zeros are the day's, not a store never counted, as the
    Compare page said of it ("No counts yet"). C, with no hour at all, is without an estimate over the week."""
    tuesday = store_kpis(RECOMMENDATION, STORES, VISITORS, weekday=1)
    assert stores_without_estimate(tuesday) == ["B", "C"]  # the week's rule, read on a day
    assert stores_without_estimate(tuesday, closed_apart=True) == []
    assert stores_closed(tuesday) == ["B", "C"]
    monday = store_kpis(RECOMMENDATION, STORES, VISITORS, weekday=0)
    assert stores_without_estimate(monday, closed_apart=True) == [] and stores_closed(monday) == ["C"]
    no_monday_estimate = RECOMMENDATION.assign(required_staff=RECOMMENDATION["required_staff"].where(
        RECOMMENDATION["store_id"] != "B"))
    monday = store_kpis(no_monday_estimate, STORES, VISITORS, weekday=0)
    assert stores_without_estimate(monday, closed_apart=True) == ["B"]


def test_without_a_visitor_table_customers_stand_in_for_visitors():
    kpis = store_kpis(RECOMMENDATION, STORES).set_index("store_id")
    assert kpis.loc["A", "weekly_visitors"] == pytest.approx(10 + 20 + 6 + 4 + 8 + 2)
    assert kpis.loc["B", "assisted_share"] == pytest.approx(5 / 10)


def test_only_the_given_stores_are_compared():
    kpis = store_kpis(RECOMMENDATION, STORES[STORES["store_id"] == "B"], VISITORS)
    assert list(kpis["store_id"]) == ["B"]


def test_staff_heatmap_by_hand():
    week = staff_heatmap(RECOMMENDATION, STORES, VISITORS).set_index(["store_id", "hour"])
    # A at 10:00: only Monday has a recommendation (Tuesday was never counted): 3 staff for 40 visitors.
    assert week.loc[("A", 10), "required_staff"] == pytest.approx(3)
    assert week.loc[("A", 10), "staff_per_100_visitors"] == pytest.approx(7.5)
    # A at 11:00: Monday 2 staff / 12 visitors, Tuesday 4 / 20: means 3 and 16, so 100 x 3 / 16.
    assert week.loc[("A", 11), "required_staff"] == pytest.approx(3)
    assert week.loc[("A", 11), "visitors_per_hour"] == pytest.approx(16)
    assert week.loc[("A", 11), "staff_per_100_visitors"] == pytest.approx(18.75)
    assert week.loc[("B", 12), "staff_per_100_visitors"] == pytest.approx(16)
    assert week.loc[("A", 10), "name"] == "Alpha"

    tuesday = staff_heatmap(RECOMMENDATION, STORES, VISITORS, weekday=1)
    assert list(zip(tuesday["store_id"], tuesday["hour"])) == [("A", 11)]
    assert tuesday["staff_per_100_visitors"].iloc[0] == pytest.approx(20)


def test_the_gap_is_like_for_like_over_and_under():
    # B now has 6 on duty against 4 recommended: 2 staff-hours to spare. A is short 1 in Mon 10 (3 vs 2) and 1 in
    # Tue 11 (4 vs 3); Mon 11 (no staff known) and Tue 10 (no estimate) stay out of the gap.
    over = RECOMMENDATION.assign(current_staff=[2.0, NA, NA, 3.0, 6.0])
    kpis = store_kpis(over, STORES, VISITORS).set_index("store_id")
    a, b, c = kpis.loc["A"], kpis.loc["B"], kpis.loc["C"]
    assert (a["needed_staff_hours_where_current_known"], a["current_staff_hours"]) == (7, 5)
    assert (a["understaffed_hours"], a["staff_hours_short"], a["overstaffed_hours"], a["staff_hours_over"]) == \
        (2, 2, 0, 0)
    assert a["staff_hours_gap"] == pytest.approx(2)
    assert (b["understaffed_hours"], b["staff_hours_short"], b["overstaffed_hours"], b["staff_hours_over"]) == \
        (0, 0, 1, 2)
    assert b["staff_hours_gap"] == pytest.approx(-2)
    assert (c["staff_hours_gap"], c["overstaffed_hours"]) == (0, 0)


def test_region_totals_add_up_the_stores():
    over = RECOMMENDATION.assign(current_staff=[2.0, NA, NA, 3.0, 6.0])
    totals = region_totals(store_kpis(over, STORES, VISITORS)).set_index("region")
    assert list(totals.index) == ["North", "South", "all regions"]
    north = totals.loc["North"]
    assert north["stores"] == 2
    assert (north["needed_staff_hours"], north["current_staff_hours"]) == (9 + 4, 5 + 6)
    assert (north["staff_hours_short"], north["staff_hours_over"], north["staff_hours_gap"]) == (2, 2, 0)
    assert north["needed_wage_cost"] == pytest.approx(9 * 20 + 4 * 10)
    assert north["wage_cost_gap"] == pytest.approx((7 - 5) * 20 + (4 - 6) * 10)  # each store at its own wage
    assert totals.loc["South", "stores"] == 1 and totals.loc["South", "needed_staff_hours"] == 0
    assert list(totals.loc["all regions", REGION_SUMS]) == pytest.approx(list(totals.loc[["North", "South"],
                                                                                         REGION_SUMS].sum()))


@pytest.mark.parametrize("current", [[2.0, NA, NA, 3.0, 6.0], [NA, 1.0, NA, 5.0, NA], [NA] * 5])
def test_the_wage_gap_is_priced_over_the_hours_the_staff_gap_covers(current):
    """Hour by hour: the wages of the staff needed minus those of the staff on duty, over exactly the hours where
    both are known; the wages needed over every hour with a recommendation."""
    hours = RECOMMENDATION.assign(current_staff=current)
    kpis = store_kpis(hours, STORES, VISITORS).set_index("store_id")
    wage = hours["store_id"].map(STORES.set_index("store_id")["wage_per_hour"]).astype(float)
    needed, on_duty = hours["required_staff"].astype(float), hours["current_staff"]
    both = needed.notna() & on_duty.notna()
    for store in STORES["store_id"]:
        mine = hours["store_id"] == store
        assert kpis.loc[store, "wage_cost_gap"] == pytest.approx(
            ((needed - on_duty) * wage)[mine & both].sum()), store
        assert kpis.loc[store, "needed_wage_cost"] == pytest.approx((needed * wage)[mine & needed.notna()].sum())
        assert kpis.loc[store, "wage_cost_gap"] == pytest.approx(
            kpis.loc[store, "staff_hours_gap"] * kpis.loc[store, "wage_per_hour"])


def test_the_gap_heatmap_is_recommended_minus_on_duty():
    week = staff_heatmap(RECOMMENDATION, STORES, VISITORS).set_index(["store_id", "hour"])
    # A 10:00: Monday 3 - 2 = 1 (Tuesday has no estimate). A 11:00: Monday has no staff known, Tuesday 4 - 3 = 1.
    assert week.loc[("A", 10), "staff_gap"] == pytest.approx(1)
    assert week.loc[("A", 11), "staff_gap"] == pytest.approx(1)
    assert week.loc[("A", 11), "current_staff"] == pytest.approx(3)
    assert week.loc[("B", 12), "staff_gap"] == pytest.approx(0)
    monday = staff_heatmap(RECOMMENDATION, STORES, VISITORS, weekday=0).set_index(["store_id", "hour"])
    assert np.isnan(monday.loc[("A", 11), "staff_gap"])


def test_hours_above_max_staff_are_listed():
    # A's max_staff is 3: Tue 11:00 needs 4. B (max 8) never goes above.
    rows = above_max_staff(RECOMMENDATION, STORES)
    assert list(zip(rows["store_id"], rows["weekday"], rows["hour"], rows["required_staff"], rows["max_staff"])) == \
        [("A", 1, 11, 4, 3)]


def test_hours_the_occupancy_ceiling_pushes_above_max_staff():
    # With a ceiling, A's Mon 10:00 needs 5 (max 3) and Tue 11:00 still 4; without it Tue 11:00 already needed 4:
    # only Mon 10:00 is the ceiling's doing.
    ceiling = RECOMMENDATION.assign(required_staff=pd.array([5, 2, None, 4, 4], dtype="Int64"))
    rows = occupancy_over_max_staff(ceiling, RECOMMENDATION, STORES)
    assert list(zip(rows["store_id"], rows["weekday"], rows["hour"], rows["required_staff"],
                    rows["staff_without_ceiling"])) == [("A", 0, 10, 5, 3)]


ADDED_UP = ["open_hours", "hours_without_estimate", "weekly_visitors", "weekly_help_seekers", "needed_staff_hours",
            "current_staff_hours", "current_known_hours", "needed_staff_hours_where_current_known",
            "understaffed_hours", "staff_hours_short", "overstaffed_hours", "staff_hours_over", "staff_hours_gap",
            "wage_cost_gap", "lost_customers_per_week", "needed_wage_cost", "counted_hours"]


def test_a_weekdays_kpis_are_its_own_hours_by_hand():
    # Monday: A's 10:00 (3 needed, 2 on duty, 40 visitors, 1.5 lost) and 11:00 (2 needed, none known, 12 visitors);
    # B's 12:00 (4 needed, 4 on duty). Tuesday: A's 10:00 (no estimate) and 11:00 (4 needed, 3 on duty).
    monday = store_kpis(RECOMMENDATION, STORES, VISITORS, weekday=0).set_index("store_id")
    assert list(monday.reset_index().columns) == list(KPI_COLUMNS)
    a = monday.loc["A"]
    assert (a["open_hours"], a["hours_without_estimate"], a["needed_staff_hours"]) == (2, 0, 5)
    assert (a["needed_staff_hours_where_current_known"], a["current_staff_hours"], a["staff_hours_gap"]) == (3, 2, 1)
    assert (a["weekly_visitors"], a["weekly_help_seekers"], a["lost_customers_per_week"]) == (52, 16, 1.5)
    assert a["wage_cost_gap"] == pytest.approx(20)
    assert (monday.loc["B", "open_hours"], monday.loc["B", "staff_hours_gap"]) == (1, 0)
    tuesday = store_kpis(RECOMMENDATION, STORES, VISITORS, weekday=1).set_index("store_id")
    assert (tuesday.loc["A", "open_hours"], tuesday.loc["A", "hours_without_estimate"]) == (2, 1)
    assert (tuesday.loc["A", "needed_staff_hours"], tuesday.loc["A", "staff_hours_gap"]) == (4, 1)
    assert tuesday.loc["B", "open_hours"] == 0 and np.isnan(tuesday.loc["B", "assisted_share"])


def test_the_seven_days_add_up_to_the_week():
    week = store_kpis(RECOMMENDATION, STORES, DEMAND).set_index("store_id")
    days = [store_kpis(RECOMMENDATION, STORES, DEMAND, weekday=day).set_index("store_id") for day in range(7)]
    assert (sum(day[ADDED_UP] for day in days)).to_numpy() == pytest.approx(week[ADDED_UP].to_numpy())


def test_an_hour_after_midnight_is_the_evening_s_it_closes():
    """A Friday open 22:00-01:00: its Saturday 00:00 is Friday's, as the heatmap for Friday shows it."""
    hours = {day: "closed" for day in ("mon", "tue", "wed", "thu", "sat", "sun")}
    late = STORES[STORES["store_id"] == "B"].assign(fri="22:00-01:00", **hours)
    recommendation = pd.DataFrame({
        "store_id": ["B"] * 3, "weekday": [4, 4, 5], "hour": [22, 23, 0],
        "assisted_per_hour": [4.0, 3.0, 2.0], "self_service_per_hour": [1.0, 1.0, 1.0],
        "required_staff": pd.array([2, 2, 1], dtype="Int64"), "current_staff": [2.0, 1.0, 1.0],
        "lost_customers_per_hour_at_current": [0.0, 0.5, 0.0],
    })
    friday = store_kpis(recommendation, late, weekday=4).iloc[0]
    saturday = store_kpis(recommendation, late, weekday=5).iloc[0]
    assert (friday["open_hours"], friday["needed_staff_hours"], friday["staff_hours_gap"]) == (3, 5, 1)
    assert (saturday["open_hours"], saturday["needed_staff_hours"]) == (0, 0)
    heatmap = staff_heatmap(recommendation, late, weekday=4)
    assert heatmap["required_staff"].sum() == friday["needed_staff_hours"]


# The demand table's own words on how well each hour is known: times counted, confidence, and the 90% interval of
# help-seekers per hour. A: Mon 10 counted 4 times (high), Mon 11 once and Tue 11 twice (low: fewer than 3, mostly
# borrowed), Tue 10 never (missing). B: Mon 12 counted 5 times.
DEMAND = VISITORS.assign(
    observed_hours=[4, 1, 0, 2, 5],
    confidence=["high", "low", "missing", "low", "high"],
    assisted_per_hour=[10.0, 6.0, NA, 8.0, 5.0],
    assisted_per_hour_low=[8.0, 3.0, NA, 4.0, 4.0],
    assisted_per_hour_high=[13.0, 12.0, NA, 14.0, 6.0],
)


def test_how_well_each_store_is_counted_by_hand():
    kpis = store_kpis(RECOMMENDATION, STORES, DEMAND).set_index("store_id")
    a, b, c = kpis.loc["A"], kpis.loc["B"], kpis.loc["C"]
    assert (a["counted_hours"], b["counted_hours"], c["counted_hours"]) == (7, 5, 0)
    # of A's three hours with an estimate, two were counted fewer than 3 times
    assert (a["low_confidence_share"], b["low_confidence_share"]) == (pytest.approx(2 / 3), 0)
    # widths of the 90% interval over the estimate: 5/10, 9/6, 10/8 for A; 2/5 for B
    assert a["help_seekers_interval_width"] == pytest.approx((0.5 + 1.5 + 1.25) / 3)
    assert b["help_seekers_interval_width"] == pytest.approx(0.4)
    assert np.isnan(c["low_confidence_share"]) and np.isnan(c["help_seekers_interval_width"])
    regions = region_totals(kpis.reset_index()).set_index("region")
    assert (regions.loc["North", "counted_hours"], regions.loc["North", "hours_without_estimate"]) == (12, 1)
    monday = store_kpis(RECOMMENDATION, STORES, DEMAND, weekday=0).set_index("store_id").loc["A"]
    assert (monday["counted_hours"], monday["low_confidence_share"]) == (5, pytest.approx(1 / 2))
    assert monday["help_seekers_interval_width"] == pytest.approx((0.5 + 1.5) / 2)


def test_without_the_demand_s_words_how_well_counted_is_not_said():
    kpis = store_kpis(RECOMMENDATION, STORES, VISITORS)
    assert kpis[["counted_hours", "low_confidence_share", "help_seekers_interval_width"]].isna().all().all()


def test_one_region_has_no_all_regions_row_repeating_it():
    """A regional lead of one region read their region twice, the second time as "all regions" (of the chain?)."""
    north = store_kpis(RECOMMENDATION, STORES[STORES["region"] == "North"], VISITORS)
    totals = region_totals(north)
    assert list(totals["region"]) == ["North"]
    assert totals.loc[0, "stores"] == 2 and totals.loc[0, "needed_staff_hours"] == 9 + 4


def test_the_store_needing_the_most_staff_is_named_with_its_gap_its_worst_hour_and_who_loses_most():
    """Compare showed heatmaps and tables but said in no sentence which store needs what. By hand: A is short
    7 - (2 + 1) = 4 staff-hours over the hours its staff is known (80 at 20 an hour), most at 11:00 (4 needed, 1 on
    duty); B is even (4 needed, 4 on duty) but loses 3 customers an hour, more than A's 1.5 + 0.5."""
    recommendation = RECOMMENDATION.assign(current_staff=[2.0, NA, NA, 1.0, 4.0],
                                           lost_customers_per_hour_at_current=[1.5, NA, NA, 0.5, 3.0])
    kpis = store_kpis(recommendation, STORES, VISITORS)
    needs = neediest(kpis, staff_heatmap(recommendation, STORES, VISITORS))
    assert (needs.store_id, needs.name, needs.peak_hour) == ("A", "Alpha", 11)
    assert (needs.staff_hours_gap, needs.wage_cost_gap) == (pytest.approx(4), pytest.approx(80))
    assert (needs.most_lost_store_id, needs.most_lost_name, needs.most_lost) == ("B", "Beta", pytest.approx(3))
    said = who_needs_what(needs, None)
    assert said == ("A needs the most extra staff: 4 staff-hours a week more than were on duty when counted "
                    "(+80.00 in wages), the most at 11:00. B loses the most customers: about 3 a week give up "
                    "waiting for help.")
    assert who_needs_what(needs, "Monday").startswith("A needs the most extra staff: 4 staff-hours on Monday more "
                                                      "than")
    # no store short where its staff is known, and none losing customers: nothing named
    even = RECOMMENDATION.assign(current_staff=[3.0, NA, NA, 4.0, 4.0],
                                 lost_customers_per_hour_at_current=[0.0, NA, NA, 0.0, 0.0])
    nobody = neediest(store_kpis(even, STORES, VISITORS), staff_heatmap(even, STORES, VISITORS))
    assert nobody.store_id is None and nobody.most_lost_store_id is None
    assert who_needs_what(nobody, None) == ("No store needs more staff than were on duty when counted, over "
                                                   "the hours whose staff is known.")
    # short by less than the page's unit, losing less than one a week: "0 staff-hours", "about 0 a week" named none
    slight = RECOMMENDATION.assign(current_staff=[2.6, NA, NA, 4.0, 4.0],
                                   lost_customers_per_hour_at_current=[0.001, NA, NA, 0.0, 0.0])
    hardly = neediest(store_kpis(slight, STORES, VISITORS), staff_heatmap(slight, STORES, VISITORS))
    assert 0 < store_kpis(slight, STORES, VISITORS)["staff_hours_gap"].max() < 0.5
    assert hardly.store_id is None and hardly.most_lost_store_id is None and hardly.staff_known
    # no store's counts gave the staff on duty: every gap is zero for want of a measure, said so, not "none needs more"
    unknown = RECOMMENDATION.assign(current_staff=[NA] * 5)
    blind = neediest(store_kpis(unknown, STORES, VISITORS), staff_heatmap(unknown, STORES, VISITORS))
    assert not blind.staff_known and blind.store_id is None
    assert who_needs_what(blind, None).startswith("No store's counts say how many staff were on duty")
