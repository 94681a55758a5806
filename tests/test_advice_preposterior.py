"""The count advice's preposterior (`planner.demand.preposterior`): what one more count would do to a store's
intervals, read from the demand model itself, checked against real re-estimates with the count added."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy.special import ndtri
from test_demand import hour_row, observation_frame, store_frame

from planner.demand import estimate_demand
from planner.demand.preposterior import spread_after_counts
from planner.errors import PlannerError
from planner.schemas import DemandSchema as D
from planner.settings import Settings
from planner.staffing.advice import MODEL_WINDOWS, next_counts

WINDOW = (5, (14, 15))
"""Saturday 14:00-16:00."""


def chain(seed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three stores, two formats: X (format x) counted on four Mondays, Y (format x) on four weeks of Tuesdays and
    Saturdays, Z (format z) on four weeks of every day but Tuesday; 30 customers an hour, a third wanting help."""
    rng = np.random.default_rng(seed)
    days = {"X": (0,), "Y": (1, 5), "Z": (0, 2, 3, 4, 5, 6)}
    rows = []
    for store, weekdays in days.items():
        for week in range(4):
            for day in weekdays:
                for hour in range(10, 20):
                    assisted, alone = int(rng.poisson(10.0)), int(rng.poisson(20.0))
                    rows.append(hour_row(store, week, day, hour, assisted, self_service=alone,
                                         self_service_minutes=float(alone)))
    stores = pd.concat([store_frame(s) for s in days], ignore_index=True).assign(format=["x", "x", "z"])
    return observation_frame(rows), stores


def log_spread(demand: pd.DataFrame, store_id: str) -> np.ndarray:
    """(7, 24) log-scale spread of the store's help-seekers' rate (NaN where closed)."""
    rows = demand[demand[D.store_id] == store_id]
    out = np.full((7, 24), np.nan)
    mean, high = (rows[c].to_numpy(dtype=float) for c in (D.assisted_per_hour, D.assisted_per_hour_high))
    out[rows[D.weekday], rows[D.hour]] = np.log(high / mean) / ndtri(0.5 + Settings().demand.interval_level / 2)
    return out


def counted_rows(store_id: str, observations: pd.DataFrame, weekday: int, hours, expected: pd.DataFrame,
                 others: pd.DataFrame | None) -> pd.DataFrame:
    """The window's count at the expected rates (help-seekers from `expected`, all customers from `others` or the
    help-seekers alone), on the first date after the store's latest count that falls on `weekday`."""
    latest = observations.loc[observations["store_id"] == store_id, "date"].max()
    date = latest + pd.Timedelta(days=(weekday - latest.day_of_week - 1) % 7 + 1)

    def rate(frame: pd.DataFrame, hour: int) -> float:
        row = frame[(frame[D.store_id] == store_id) & (frame[D.weekday] == weekday) & (frame[D.hour] == hour)]
        return float(row[D.assisted_per_hour].iloc[0])

    help_seekers = [rate(expected, h) for h in hours]
    customers = help_seekers if others is None else [rate(others, h) for h in hours]
    return pd.DataFrame({"store_id": store_id, "date": date, "hour": list(hours), "visitors": customers,
                         "assisted": help_seekers, "self_service": np.subtract(customers, help_seekers),
                         "assisted_minutes": 0.0, "self_service_minutes": 0.0, "staff_on_duty": pd.NA})


@pytest.mark.parametrize("from_all_customers", [True, False])
def test_the_preposterior_spread_is_the_interval_of_a_real_re_estimate_with_the_expected_count_added(
        from_all_customers):
    """For a window of store X, `spread_after_counts` reads what a count at the model's expected rates, on the next
    such weekday, leaves of every one of X's intervals; `estimate_demand` run again with those rows added to the
    counts gives the same intervals, in every open hour of the week (no staff given: no censoring correction). The
    expected customers come from an estimate of their own (every customer counted as a help-seeker)."""
    observations, stores = chain()
    settings = replace(Settings(), demand=replace(Settings().demand, help_from_all_customers=from_all_customers))
    own_only = replace(Settings(), demand=replace(Settings().demand, help_from_all_customers=False))
    now = estimate_demand(observations, stores, settings)
    customers = (estimate_demand(observations.assign(assisted=observations["assisted"] + observations["self_service"]),
                                 stores, own_only) if from_all_customers else None)
    read = spread_after_counts(observations, stores, settings, "X", [WINDOW, (0, (10, 11))])
    np.testing.assert_allclose(read.now, log_spread(now, "X"), rtol=1e-9)
    for position, (weekday, hours) in enumerate([WINDOW, (0, (10, 11))]):
        added = counted_rows("X", observations, weekday, hours, now, customers)
        again = estimate_demand(pd.concat([observations, added], ignore_index=True), stores, settings)
        np.testing.assert_allclose(read.after[position], log_spread(again, "X"), rtol=1e-6)
        window = read.after[position][weekday, list(hours)]
        assert (window < 0.97 * read.now[weekday, list(hours)]).all()  # the count narrows its own hours


def test_a_count_where_the_format_never_counted_narrows_more_than_one_where_it_counted_a_lot():
    """X counted only Mondays, so its weekend hours borrow their profile. Its format (with Y) counted Saturdays for
    four weeks and never Sundays; the other format counted Sundays. The same customers are expected on either day,
    but X's Saturday profile is its format's, well known, and its Sunday one is borrowed from the chain through a
    format that never counted it: a Sunday count narrows X's Sunday hours further than a Saturday count narrows its
    Saturday ones, in every hour (by 2-4 points of the spread; 4-6 when a format's weekday levels were tied more
    loosely to the chain's, `format_weekday_spread` 0.25, and the chain's Sunday told the format's less), and takes
    more variance away. (Where the store has its own profile already, on
    its weekdays, the format's knowledge of a weekday no longer enters its interval: there a Tuesday count and a
    Thursday count narrow alike whatever the format counted.)"""
    observations, stores = chain()
    read = spread_after_counts(observations, stores, Settings(), "X", [WINDOW, (6, (14, 15))])
    saturday = 1.0 - read.after[0][5, 10:20] / read.now[5, 10:20]
    sunday = 1.0 - read.after[1][6, 10:20] / read.now[6, 10:20]
    assert (read.now[6, 10:20] > read.now[5, 10:20]).all()
    assert (sunday > saturday + 0.015).all(), (sunday.round(3), saturday.round(3))
    removed = {day: read.now[day, 10:20] ** 2 - read.after[position][day, 10:20] ** 2
               for position, day in enumerate((5, 6))}
    assert (removed[6] > removed[5]).all()


def test_the_model_ranking_ranks_by_the_doubt_the_model_says_a_count_removes():
    """Under "model", the windows are those the model re-fitted, in order of the doubt removed (help-seekers'
    workload x each hour's narrowing, read from `spread_after_counts`): the first removes at least as much as any
    other window the model read, and no two share a weekday group's hours. Without the counts it says what it
    needs."""
    observations, stores = chain()
    settings = Settings()
    demand = estimate_demand(observations, stores, settings)
    advice = next_counts(demand, stores, settings, "X", windows=3, ranking="model", observations=observations)
    values = [a.doubt_removed_staff_hours for a in advice]
    assert len(advice) == 3 and values == sorted(values, reverse=True) and values[-1] > 0
    rows = demand[demand[D.store_id] == "X"]
    workload = (rows[D.assisted_per_hour].to_numpy(float) * rows[D.assisted_minutes_mean].to_numpy(float) / 60.0)
    spread = log_spread(demand, "X")[rows[D.weekday], rows[D.hour]]
    best = advice[0]
    read = spread_after_counts(observations, stores, settings, "X",
                               [(best.weekday, (best.start_hour, best.start_hour + 1))])
    ratio = read.after[0][rows[D.weekday], rows[D.hour]] / read.now[rows[D.weekday], rows[D.hour]]
    assert best.doubt_removed_staff_hours == pytest.approx(float(np.sum(workload * spread * (1 - ratio))), rel=1e-6)
    assert MODEL_WINDOWS >= 3
    with pytest.raises(PlannerError, match="needs the counts"):
        next_counts(demand, stores, settings, "X", ranking="model")
