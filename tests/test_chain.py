"""The planner's promise, end to end: the staff it recommends from a store's counts actually serve its customers.

A simulated store whose truth we know (`tests/store_simulation.py`, Ciw, seeded): help-seekers per hour with a clear
peak and a sharp drop after it, self-service customers of whom some need a touch, exponential service and patience,
and a CURRENT roster that is short at the peak, so that some help-seekers give up and are tallied as self-service.
Four weeks of its counts, in the upload format (`minutes_by="work"`: staff minutes worked in the hour), go through
the real chain: upload validation (`planner.intake.check_files`) -> `planner.demand.estimate_demand` ->
`planner.staffing.recommend_staff` (and `planner.pipeline.recommend_from_frames`, which must agree). The store is
then simulated again with the RECOMMENDED staff of each weekday, hour by hour (capacity = roster, preemption
"resume"), and every help-seeker who arrives counts: served within 60 s or not, abandoners failing.

Two stores: "fashion" (11-minute help, patience 5 minutes = the settings' default) and "furniture" (28-minute help,
patience 10 minutes from the store file), where the hours after the peak need the customers still being served.
Every day of the simulated store is alike, so Monday to Friday (one group of similar days for the estimator) are
judged together per clock hour; Saturday and Sunday, which the estimator treats as days of their own, are judged
apart. Run with `-s` to see the table per store.

Where the chain breaks its promise the test is marked xfail (strict) and says why: furniture's one-hour peak, counted
at capacity, is pulled toward its neighbouring hours; its minutes per customer spill from the peak into the next
hour; and, at the true demand, the hour after a peak is left short when the service is just under the 10 minutes
from which carried-over load counts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd
import pytest

from planner.demand import estimate_demand
from planner.hours import WEEKDAYS
from planner.intake import check_files
from planner.pipeline import recommend_from_frames
from planner.schemas import DemandSchema as D
from planner.settings import Settings
from planner.staffing import StaffingSchema, recommend_staff
from planner.staffing.advice import next_counts
import advised_counts
import chain_accuracy
from floor_simulation import draw_customers, simulate_floor
from planner.erlang import erlang_a
from queue_simulation import Estimate
from store_simulation import FloorHour, SimulatedStore, StoreFloor, simulate_store

SETTINGS = Settings()
TARGETS = SETTINGS.targets
OPENING_HOUR = 10
COUNT_DAYS = 28
"""Four weeks of counts, every opening hour counted."""
RESIM_DAYS, RESIM_REPLICATIONS = 12, 8
SERVICE_LEVEL_TOLERANCE, ABANDON_TOLERANCE = 0.02, 0.01
"""Added to the targets, beyond the 95% interval over the replications."""
MIN_ARRIVALS = 500
"""An hour is judged only with at least this many simulated help-seekers (all hours here have several thousand)."""
RATE_TOLERANCE = 0.15
MON_FRI, WEEKEND = (0, 1, 2, 3, 4), (5, 6)


@dataclass(frozen=True)
class StoreCase:
    name: str
    help_seekers_per_hour: tuple[float, ...]
    """True λ per opening hour from 10:00."""
    self_service_per_hour: tuple[float, ...]
    current_staff: tuple[int, ...]
    service_minutes: float
    patience_minutes: float
    store_patience_minutes: float | None
    """The store file's override (None: the settings' default, which then must be the truth)."""
    touch_probability: float
    touch_minutes: float
    seed: int

    @property
    def peak(self) -> int:
        """Clock hour of the peak."""
        return OPENING_HOUR + int(np.argmax(self.help_seekers_per_hour))

    @property
    def hours(self) -> list[int]:
        return [OPENING_HOUR + i for i in range(len(self.help_seekers_per_hour))]

    def floor(self, staff) -> StoreFloor:
        day = tuple(FloorHour(lam, self_service, int(n)) for lam, self_service, n in
                    zip(self.help_seekers_per_hour, self.self_service_per_hour, staff, strict=True))
        return StoreFloor(self.name, OPENING_HOUR, day, service_minutes=self.service_minutes,
                          patience_minutes=self.patience_minutes, touch_probability=self.touch_probability,
                          touch_minutes=self.touch_minutes, browsers_per_hour=10.0)


CASES = {
    "fashion": StoreCase(
        "fashion", help_seekers_per_hour=(8, 12, 16, 22, 34, 40, 14, 12, 10, 8),
        self_service_per_hour=(30, 40, 50, 60, 70, 70, 50, 40, 30, 20), current_staff=(4, 5, 5, 6, 6, 6, 5, 5, 4, 4),
        service_minutes=11.0, patience_minutes=TARGETS.patience_minutes, store_patience_minutes=None,
        touch_probability=0.3, touch_minutes=1.0, seed=1),
    "furniture": StoreCase(
        "furniture", help_seekers_per_hour=(6, 7, 8, 9, 10, 18, 7, 6, 6, 6), self_service_per_hour=(5,) * 10,
        current_staff=(4, 5, 5, 6, 6, 7, 5, 5, 4, 4), service_minutes=28.0, patience_minutes=10.0,
        store_patience_minutes=10.0, touch_probability=0.3, touch_minutes=2.0, seed=3),
}


# --- the chain --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chain:
    case: StoreCase
    counts: SimulatedStore
    """The `SimulatedStore` at the current roster: its observations were uploaded, its truth is what happened."""
    demand: pd.DataFrame
    recommendation: pd.DataFrame
    served: dict[int, pd.DataFrame]
    """Per weekday: the store simulated at that weekday's recommended staff, help_seekers, served_within_target
    and abandoned summed per (hour, replication)."""

    def cells(self, column: str, frame: str = "recommendation") -> pd.DataFrame:
        """hour x weekday table of a column."""
        return getattr(self, frame).pivot(index="hour", columns="weekday", values=column).astype(float)

    @cached_property
    def true_demand_staff(self) -> pd.Series:
        """Per hour: what the staffing stage recommends for the TRUE demand (same for every weekday)."""
        table = recommend_staff(true_demand(self.case, staff=self.case.current_staff), store_frame(self.case),
                                SETTINGS)
        return table[table["weekday"] == 0].set_index("hour")["required_staff"].astype(int)

    def measured(self, weekdays) -> pd.DataFrame:
        """Per hour, pooled over `weekdays`: the service at the recommended staff (see `measured`)."""
        return measured(sum(self.served[w] for w in weekdays))


def measured(served: pd.DataFrame) -> pd.DataFrame:
    """Per hour: help-seekers simulated, and the service level and abandonment over all of them (mean over the
    replications and its 95% interval)."""
    rows = {}
    for hour, per_replication in served.groupby(level="hour"):
        arrivals = per_replication["help_seekers"].to_numpy(float)
        rows[hour] = {
            "arrivals": int(arrivals.sum()),
            "service_level": Estimate.of(per_replication["served_within_target"].to_numpy() / arrivals),
            "abandon_share": Estimate.of(per_replication["abandoned"].to_numpy() / arrivals),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def store_csv(case: StoreCase) -> bytes:
    header = ("store_id,name,region,format," + ",".join(WEEKDAYS) + ",wage_per_hour,min_staff,max_staff,"
              "target_service_level,target_wait_seconds,patience_minutes,max_abandon_share")
    close = OPENING_HOUR + len(case.help_seekers_per_hour)
    patience = "" if case.store_patience_minutes is None else f"{case.store_patience_minutes:g}"
    row = (f"{case.name},Simulated {case.name},Test,{case.name}," + ",".join([f"{OPENING_HOUR}:00-{close}:00"] * 7)
           + f",20.00,1,30,,,{patience},")
    return f"{header}\n{row}\n".encode()


def store_frame(case: StoreCase) -> pd.DataFrame:
    checked = check_files([("stores.csv", store_csv(case))], None, SETTINGS.import_rules)
    assert not checked[0].problems, checked[0].problems
    return checked[0].frame


def counts_csv(observations: pd.DataFrame) -> bytes:
    rows = observations.assign(date=observations["date"].dt.strftime("%Y-%m-%d"))
    return rows.to_csv(index=False, lineterminator="\n").encode()


def true_demand(case: StoreCase, staff) -> pd.DataFrame:
    """A `DemandSchema` frame holding the truth for every open cell (no interval: low = mean = high)."""
    cells = pd.DataFrame([(weekday, hour) for weekday in range(7) for hour in case.hours], columns=["weekday", "hour"])
    index = cells["hour"].to_numpy() - OPENING_HOUR
    lam = np.asarray(case.help_seekers_per_hour, float)[index]
    self_service = np.asarray(case.self_service_per_hour, float)[index]
    frame = pd.DataFrame({
        D.store_id: case.name, D.weekday: cells["weekday"], D.hour: cells["hour"], D.observed_hours: 4,
        D.confidence: "high", D.visitors_per_hour: lam + self_service, D.observed_assisted_per_hour: lam,
        D.current_staff: np.asarray(staff, float)[index], D.lost_customers_per_hour_at_current: np.nan,
        D.borrowed_from: "own counts",
    })
    for columns, value in (
        ((D.assisted_per_hour, D.assisted_per_hour_low, D.assisted_per_hour_high), lam),
        ((D.self_service_per_hour, D.self_service_per_hour_low, D.self_service_per_hour_high), self_service),
        ((D.assisted_minutes_mean, D.assisted_minutes_low, D.assisted_minutes_high), case.service_minutes),
        # touch minutes are per self-service customer, touched or not
        ((D.touch_minutes_mean, D.touch_minutes_low, D.touch_minutes_high),
         case.touch_probability * case.touch_minutes),
    ):
        for column in columns:
            frame[column] = value
    estimates = [c for c in frame.columns
                 if c not in (D.store_id, D.weekday, D.hour, D.observed_hours, D.confidence, D.borrowed_from)]
    return D.validate(frame.astype(dict.fromkeys(estimates, "Float64")), lazy=True)


def known_gap(request, chain, case_name: str, reason: str) -> None:
    """Mark this test a strict expected failure for one store case only, saying why."""
    if chain.case.name == case_name:
        request.applymarker(pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason))


def served_at(case: StoreCase, staff, seed: int) -> pd.DataFrame:
    simulated = simulate_store(case.floor(staff), days=RESIM_DAYS, replications=RESIM_REPLICATIONS, seed=seed)
    return simulated.truth.groupby(["hour", "replication"])[["help_seekers", "served_within_target", "abandoned"]].sum()


@pytest.fixture(scope="module", params=list(CASES))
def chain(request) -> Chain:
    case = CASES[request.param]
    counts = simulate_store(case.floor(case.current_staff), days=COUNT_DAYS, seed=case.seed, minutes_by="work")
    checked = check_files([("stores.csv", store_csv(case)), ("counts.csv", counts_csv(counts.observations))], None,
                          SETTINGS.import_rules)
    errors = [str(p) for c in checked for p in c.errors]
    assert not errors, f"the simulated counts do not pass upload validation: {errors[:3]}"
    stores, observations = checked[0].frame, checked[1].frame
    demand = D.validate(estimate_demand(observations, stores, SETTINGS), lazy=True)
    recommendation = StaffingSchema.validate(recommend_staff(demand, stores, SETTINGS), lazy=True)
    pd.testing.assert_frame_equal(recommend_from_frames(observations, stores, SETTINGS), recommendation)
    staff = recommendation.pivot(index="hour", columns="weekday", values="required_staff")
    assert staff.notna().all().all(), "every cell was counted, so every cell has a recommendation"
    profiles: dict[tuple[int, ...], pd.DataFrame] = {}
    served = {}
    for weekday in range(7):
        profile = tuple(int(n) for n in staff[weekday])
        if profile not in profiles:  # the same arrivals for every profile: differences come from the staff
            profiles[profile] = served_at(case, profile, seed=case.seed + 1000)
        served[weekday] = profiles[profile]
    return Chain(case, counts, demand, recommendation, served)


def report_table(chain: Chain) -> pd.DataFrame:
    """One row per hour: truth, estimate, staff and the simulated service at the recommendation (Mon-Fri pooled;
    the weekend apart)."""
    case, staff = chain.case, chain.cells("required_staff").astype(int)
    lam, expected = chain.cells("assisted_per_hour"), chain.cells("expected_service_level")
    weekdays, weekend = chain.measured(MON_FRI), chain.measured(WEEKEND)
    return pd.DataFrame({
        "true λ": case.help_seekers_per_hour,
        "est λ Mon-Fri": lam[list(MON_FRI)].mean(axis=1).round(1),
        "est λ Sa/Su": [f"{a:.1f}/{b:.1f}" for a, b in zip(lam[5], lam[6])],
        "current": case.current_staff,
        "rec Mon..Sun": [" ".join(str(n) for n in row) for row in staff.to_numpy()],
        "at true λ": chain.true_demand_staff.to_numpy(),
        "sim SL Mon-Fri": [str(e) for e in weekdays["service_level"]],
        "sim abandon Mon-Fri": [str(e) for e in weekdays["abandon_share"]],
        "model SL": expected[list(MON_FRI)].mean(axis=1).round(3),
        "sim SL Sa+Su": [f"{e.mean:.3f}" for e in weekend["service_level"]],
        "sim ab Sa+Su": [f"{e.mean:.3f}" for e in weekend["abandon_share"]],
    }, index=pd.Index(case.hours, name="hour"))


def meets_targets(measured: pd.DataFrame) -> pd.Series:
    level_ok = measured["service_level"].map(lambda e: e.high >= TARGETS.target_service_level - SERVICE_LEVEL_TOLERANCE)
    abandon_ok = measured["abandon_share"].map(lambda e: e.low <= TARGETS.max_abandon_share + ABANDON_TOLERANCE)
    return level_ok & abandon_ok


# --- what goes in -----------------------------------------------------------------------------------------------------


def test_the_counts_pass_upload_validation_and_hide_the_lost_help_seekers(chain):
    case, truth, rows = chain.case, chain.counts.truth, chain.counts.observations
    assert len(rows) == COUNT_DAYS * len(case.hours)
    peak = truth[truth["hour"] == case.peak]
    lost_share = peak["abandoned"].sum() / peak["help_seekers"].sum()
    assert lost_share >= 0.15, "the current roster must be short at the peak"
    # what the manager wrote down at the peak: the served only, the lost among the self-service
    counted = rows[rows["hour"] == case.peak]
    assert counted["assisted"].sum() == peak["served"].sum() < 0.85 * peak["help_seekers"].sum()
    assert counted["self_service"].sum() == (peak["self_service"] + peak["abandoned"]).sum()
    assert (chain.recommendation["current_staff"].to_numpy() == np.tile(case.current_staff, 7)).all()


# --- demand -----------------------------------------------------------------------------------------------------------


def test_the_estimated_rate_recovers_the_true_rate_despite_the_censoring(chain):
    case = chain.case
    true = pd.Series(case.help_seekers_per_hour, index=case.hours, dtype=float)
    lam, low, high = (chain.cells(c, "demand")[list(MON_FRI)] for c in
                      (D.assisted_per_hour, D.assisted_per_hour_low, D.assisted_per_hour_high))
    served = chain.cells(D.observed_assisted_per_hour, "demand")[list(MON_FRI)]
    mean = lam.mean(axis=1)
    within = ((mean - true).abs() <= RATE_TOLERANCE * true) | ((low.mean(axis=1) <= true) & (true <= high.mean(axis=1)))
    assert within.all(), pd.DataFrame({"true": true, "estimate": mean})
    held = low.le(true, axis=0) & high.ge(true, axis=0)
    assert held.to_numpy().mean() >= 0.8, held
    # the correction did the work: the served rate alone misses the peak, the estimate is less than half as far off
    served_error = true[case.peak] - served.loc[case.peak].mean()
    estimate_error = abs(mean[case.peak] - true[case.peak])
    assert served_error > RATE_TOLERANCE * true[case.peak] and estimate_error < served_error / 2


def test_lost_customers_at_the_current_roster_match_the_simulation(chain, request):
    """The planner's lost help-seekers per hour at the current staff against those who gave up in the simulated
    counts (Monday to Friday), hour by hour within 35% + 1 customer (each hour is taken as a steady state of its own,
    so the hour after the peak, still busy with the peak's queue, comes out a customer or so low), and over the day
    within 20%."""
    known_gap(request, chain, "furniture", (
        "planner/demand/pooled.py _own_cell_weight(): a cell keeps its own counts' rate only as far as the chain's "
        "cells depart from their smooth profiles; furniture's one-hour peak (18 help-seekers at 15:00 against 10 at "
        "14:00), counted at capacity where a count says little, is partly spread into 14:00, which then comes out "
        "with 1.7 lost an hour against 0.35 simulated (the tolerance is 1.5)."))
    case, truth = chain.case, chain.counts.truth
    weekdays = truth[pd.to_datetime(truth["date"]).dt.day_of_week < 5]
    abandoned = weekdays.groupby("hour")["abandoned"].mean()
    lost = chain.cells("lost_customers_per_hour_at_current")[list(MON_FRI)].mean(axis=1)
    print(f"\n{case.name} at the current roster, Mon-Fri:\n"
          + pd.DataFrame({"simulated gave up/h": abandoned, "planner lost/h": lost}).round(2).T.to_string())
    assert abandoned[case.peak] == abandoned.max() and abandoned[case.peak] >= 3.0
    np.testing.assert_allclose(lost, abandoned, rtol=0.35, atol=1.0)
    assert lost.sum() == pytest.approx(abandoned.sum(), rel=0.2)
    # and the recommendation says the peak needs more staff than it had
    assert (chain.cells("required_staff").loc[case.peak] > case.current_staff[case.peak - OPENING_HOUR]).all()


# --- staff ------------------------------------------------------------------------------------------------------------


def test_the_recommended_staff_serve_the_customers_monday_to_friday(chain):
    """Simulated at the recommended staff, every hour of Monday to Friday - the peak and the hours after it
    included - approaches 80% of all help-seekers within 60 s and loses at most 5% (within the tolerance and
    the 95% interval over the replications)."""
    table = report_table(chain)
    print(f"\n{chain.case.name}: {chain.case.service_minutes:g}-minute help, patience "
          f"{chain.case.patience_minutes:g} min; rates per hour, staff per hour, simulated shares with 95% intervals\n"
          + table.to_string())
    measured = chain.measured(MON_FRI)
    assert (measured["arrivals"] >= MIN_ARRIVALS).all()
    ok = meets_targets(measured)
    assert ok.all(), table[~ok.to_numpy()]
    # the hour after the peak is served as well as the peak, not left to the customers still being served
    after = measured.loc[chain.case.peak + 1]
    assert after["abandon_share"].mean <= TARGETS.max_abandon_share


def test_the_weekend_peak_is_estimated_and_served(chain, request):
    known_gap(request, chain, "furniture", (
        "planner/demand/pooled.py _own_cell_weight(): furniture's one-hour weekend peak (18 an hour), counted four "
        "times per weekend day at capacity, is pulled toward the smooth profile as far as the chain's other cells "
        "agree with theirs: 13.9 (Saturday) and 15.9 (Sunday), over 15% short."))
    known_gap(request, chain, "fashion", (
        "planner/demand/mix.py: fashion's weekend peak (40 help-seekers an hour among 110 customers, against 14 among "
        "64 the hour after) is a sharp jump in the help-seekers' share; counted four times per weekend day at "
        "capacity, where a corrected count weighs a quarter of a plain one, the hour keeps about half of its own share "
        "(0.38 counted) and takes the rest from the share smoothed over its neighbours (0.29): 35.0 (Saturday) and "
        "32.1 (Sunday), 16% short on average."))
    case = chain.case
    true = case.help_seekers_per_hour[case.peak - OPENING_HOUR]
    weekend = chain.cells(D.assisted_per_hour, "demand").loc[case.peak, list(WEEKEND)]
    assert weekend.mean() == pytest.approx(true, rel=RATE_TOLERANCE), weekend
    assert meets_targets(chain.measured(WEEKEND)).all()


def test_minutes_per_customer_are_the_same_in_every_hour_like_the_truth(chain):
    # The minutes the upload accepts are those worked in the hour (at most 60 x staff_on_duty), so the peak's long
    # services spill into the next hour: furniture's 28-minute services read 17% above the truth in the hour after
    # the peak while the minutes weighed every count alike, 14.5% since they weigh each by its recency (fewer
    # effective customers per cell, so the cell leans more on its store's mean), just inside the tolerance.
    minutes = chain.cells(D.assisted_minutes_mean, "demand")[list(MON_FRI)].mean(axis=1)
    assert np.allclose(minutes, chain.case.service_minutes, rtol=RATE_TOLERANCE), minutes


# --- the staffing stage alone, at the true demand ---------------------------------------------------------------------


@pytest.mark.parametrize("service_minutes", [
    10.0,
    pytest.param(9.5, marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=(
        "planner/staffing/recommend.py _plan(): the load carried over from the peak is used only where the mean "
        "service is at least StaffingRules.time_varying_min_service_minutes (10). Fashion's day (40/h at 15:00, "
        "14/h at 16:00) at the TRUE demand: with 10-minute help 16:00 gets 8 staff and 1.2% give up; with "
        "9.5 minutes it gets 5 and 9.7% give up (the 95% interval 6.5-13%) - the peak's customers "
        "are still being served at 16:00 whichever side of 10 minutes the service falls."))),
])
def test_the_hour_after_the_peak_keeps_the_target_whatever_the_service_time(service_minutes):
    """The staffing stage on the true demand (no estimation), simulated: every hour meets the targets."""
    case = replace(CASES["fashion"], service_minutes=service_minutes)
    table = recommend_staff(true_demand(case, staff=case.current_staff), store_frame(case), SETTINGS)
    staff = table[table["weekday"] == 0]["required_staff"].astype(int).tolist()
    result = measured(served_at(case, staff, seed=case.seed + 2000))
    print(f"\n{service_minutes:g}-minute help at the true demand: staff {staff}\n" + result.to_string())
    assert meets_targets(result).all()


# --- the fast simulator the accuracy benchmark judges by ----------------------------------------------------------------


def test_the_fast_simulator_agrees_with_erlang_a_in_steady_hours():
    """Exponential service and patience, the same rate and staff all day: the middle hours are Erlang A's queue."""
    rng = np.random.default_rng(5)
    for lam, service, staff, patience in ((30.0, 8.0, 5, 5.0), (60.0, 6.0, 7, 8.0), (20.0, 10.0, 4, 3.0)):
        help_, hour = draw_customers(rng, np.full((300, 10), lam), service, None, patience)
        touches, _ = draw_customers(rng, np.zeros((300, 10)), 1.0, None, None)
        outcome = simulate_floor(help_, touches, np.full(10, staff))
        middle = (hour >= 2) & (hour <= 8)
        theory = erlang_a(lam, service, staff, patience_minutes=patience, target_wait_seconds=60.0)
        level = (outcome.served & (outcome.wait_minutes <= 1.0))[middle].mean()
        assert level == pytest.approx(float(theory.service_level_all_arrivals), abs=0.015)
        assert (~outcome.served)[middle].mean() == pytest.approx(float(theory.prob_abandon), abs=0.01)


def test_the_fast_simulator_agrees_with_ciw_through_a_peak():
    """A day with a peak the staff cannot keep up with (queues carried from hour to hour), exponential times, no
    touches: hour by hour the same shares as the Ciw simulation, within the noise of both."""
    rates, staff = (8.0, 14.0, 30.0, 36.0, 12.0, 8.0), 4
    ciw_days = 60
    floor = StoreFloor.steady("peak", opening_hour=10, open_hours=6, help_seekers_per_hour=1.0,
                              self_service_per_hour=0.0, staff=staff, service_minutes=8.0, patience_minutes=5.0)
    floor = replace(floor, hours=tuple(FloorHour(r, 0.0, staff) for r in rates))
    ciw_truth = simulate_store(floor, days=ciw_days, replications=1, seed=3, warmup_hours=0).truth
    rng = np.random.default_rng(3)
    help_, hour = draw_customers(rng, np.tile(rates, (2000, 1)), 8.0, None, 5.0)
    touches, _ = draw_customers(rng, np.zeros((2000, 6)), 1.0, None, None)
    outcome = simulate_floor(help_, touches, np.full(6, staff))
    arrivals = np.bincount(hour, minlength=6)
    fast_level = np.bincount(hour, outcome.served & (outcome.wait_minutes <= 1.0), 6) / arrivals
    fast_abandon = np.bincount(hour, ~outcome.served, 6) / arrivals
    # Ciw's shares per hour over its days, and their noise from the spread between days (a day's customers share
    # one queue, so they are far from independent)
    by_hour = ciw_truth.groupby("hour")
    ciw_level = (by_hour["served_within_target"].sum() / by_hour["help_seekers"].sum()).to_numpy()
    ciw_abandon = (by_hour["abandoned"].sum() / by_hour["help_seekers"].sum()).to_numpy()
    daily = ciw_truth.assign(level=ciw_truth["served_within_target"] / ciw_truth["help_seekers"].clip(lower=1),
                             abandon=ciw_truth["abandoned"] / ciw_truth["help_seekers"].clip(lower=1))
    noise = 3 * daily.groupby("hour")[["level", "abandon"]].std() / np.sqrt(ciw_days) + 0.01
    assert fast_abandon[3] > 0.2, "the peak must overwhelm the staff"
    assert (np.abs(fast_level - ciw_level) <= noise["level"].to_numpy()).all(), (fast_level, ciw_level)
    assert (np.abs(fast_abandon - ciw_abandon) <= noise["abandon"].to_numpy()).all(), (fast_abandon, ciw_abandon)


# --- the accuracy benchmark, small and seeded ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def accuracy_judge():
    """bench/bench_accuracy.py's chain judged on 40 simulated days per store and weekday (seed 7's judge)."""
    return chain_accuracy.Judge(chain_accuracy.build_chain(), 40, 8)


@pytest.fixture(scope="module")
def accuracy(accuracy_judge):
    """bench/bench_accuracy.py's scenarios a and b for seed 7."""
    return {(r.scenario, r.plan): r for r in chain_accuracy.run(scenarios=("a", "b"), seed=7, judge=accuracy_judge)}


def test_the_planner_beats_both_baselines_on_the_simulated_chain(accuracy):
    print("\n" + chain_accuracy.table(list(accuracy.values())))
    for scenario in ("a", "b"):
        planner = accuracy[scenario, "planner"]
        assert planner.missing_share == 0.0, "every open hour of a counted store gets a recommendation"
        for baseline in ("flat roster", "raw Erlang A"):
            assert planner.met_share > accuracy[scenario, baseline].met_share + 0.05, (scenario, baseline)
    # floors well under the benchmark's goals: 40 judging days make the oracle (and so the shares) noisy; seed 7's
    # six windows cost the most staff of the benchmark's seeds (1.15x at 150 judging days, for 94% of hours met)
    assert accuracy["a", "planner"].met_share >= 0.90 and accuracy["a", "planner"].staff_ratio <= 1.12
    assert accuracy["b", "planner"].met_share >= 0.88 and accuracy["b", "planner"].staff_ratio <= 1.22


def test_the_90_percent_intervals_hold_the_true_rate_in_85_to_97_percent_of_hours(accuracy):
    for scenario in ("a", "b"):
        assert 0.80 <= accuracy[scenario, "planner"].coverage <= 0.97, scenario


def test_the_sparse_counts_errors_split_every_hour_and_every_miss_by_where_its_estimate_comes_from(
        accuracy, accuracy_judge):
    """Scenario b's diagnosis (`chain_accuracy.sparse_errors`): its hours are the chain's open hours, its misses are
    the judge's, and the hours counted are better known than those no store of their format counted."""
    rows = {r.source: r for r in chain_accuracy.sparse_errors(seed=7, judge=accuracy_judge)}
    planner = accuracy["b", "planner"]
    open_hours = sum(days.open_hours for days in accuracy_judge.days.values())
    assert sum(r.hours for r in rows.values()) == open_hours
    assert sum(r.misses for r in rows.values()) == round((1.0 - planner.met_share) * open_hours)
    counted, nobody = rows[chain_accuracy.SOURCES[0]], rows[chain_accuracy.SOURCES[2]]
    assert counted.hours > 0 and nobody.hours > 0
    assert counted.rms < nobody.rms
    assert counted.coverage > nobody.coverage


def test_the_hours_nobody_in_the_format_counted_split_by_their_place_in_the_day(accuracy_judge):
    """`chain_accuracy.edge_errors` splits exactly the hours (and misses) `sparse_errors` says nobody in the format
    counted."""
    nobody = {r.source: r for r in chain_accuracy.sparse_errors(seed=7, judge=accuracy_judge)}[
        chain_accuracy.SOURCES[2]]
    rows = chain_accuracy.edge_errors(seed=7, judge=accuracy_judge)
    assert [r.source for r in rows] == list(chain_accuracy.POSITIONS)
    assert sum(r.hours for r in rows) == nobody.hours
    assert sum(r.misses for r in rows) == nobody.misses
    assert np.isclose(sum(r.hours * r.rms**2 for r in rows), nobody.hours * nobody.rms**2)


def test_the_truth_where_nobody_in_the_format_counted_bounds_what_a_better_estimate_there_could_reach(
        accuracy, accuracy_judge):
    """`chain_accuracy.truth_bounds` at the default confidence: its plan as estimated is scenario b's plan, and each
    step of truth put in meets the target in more store-hours."""
    rows = {r.plan: r for r in chain_accuracy.truth_bounds(seed=7, judge=accuracy_judge, confidences=(0.65,))}
    as_estimated, nobody, everywhere = (rows[plan] for plan in chain_accuracy.BOUNDS)
    planner = accuracy["b", "planner"]
    assert (as_estimated.met_share, as_estimated.staff_ratio) == (planner.met_share, planner.staff_ratio)
    assert nobody.met_share > as_estimated.met_share
    assert everywhere.met_share > nobody.met_share
    print("\n" + chain_accuracy.bounds_table(list(rows.values()), 1.10))


def test_scenario_b_is_counted_and_judged_on_the_judges_draw_of_the_chain():
    """`bench_accuracy.py --sparse-curve --chain 12` reads goal b on another draw of the chain: scenario b's counts,
    truth and judge are then all that draw's, not the default chain's."""
    chain = chain_accuracy.build_chain(12)
    cells = chain_accuracy._sparse_cells(5, 10, None, chain_accuracy.Judge(chain, 10, 6)).cells
    where = list(zip(cells["store_id"], cells["weekday"], cells["hour"], strict=True))
    drawn, default = ({s.store_id: s.help_per_hour for s in c} for c in (chain, chain_accuracy.build_chain()))
    assert np.allclose(cells["help_seekers_per_hour"], [drawn[s][w, h] for s, w, h in where])
    assert not np.allclose(cells["help_seekers_per_hour"], [default[s][w, h] for s, w, h in where])


def test_the_advised_counts_fall_on_distinct_dates_in_opening_hours_where_the_advice_says_and_are_judged():
    """Scenario "b, advised" (`advised_counts`), small: two stores, two weeks of counts, two windows each. Both
    placements keep scenario b's first random window and go through the judge; the advised second window lies on
    another date, inside opening hours, at the best window `next_counts` gives after the first round."""
    chain = chain_accuracy.build_chain()[:2]
    settings = Settings()
    judge = chain_accuracy.Judge(chain, 20, 6)
    random, advised = advised_counts.placement_trial(5, judge=judge, chain=chain, per_store=2, weeks=2,
                                                     confidences=(settings.staffing.target_confidence,))
    assert (random.placement, advised.placement) == advised_counts.PLACEMENTS
    for r in (random, advised):
        assert 0.0 < r.met_share <= 1.0 and 0.5 < r.staff_ratio < 2.0 and r.cost_ratio >= r.staff_ratio
        assert 0.0 < r.nobody_in_format < 1.0, "two windows a store leave some hours uncounted in every format"
    first = random.observations.drop_duplicates("store_id")[["store_id", "date"]]
    first_demand = estimate_demand(random.observations.merge(first), chain_accuracy.stores_frame(chain), settings)
    for store in chain:
        windows = [day for _, day in advised.observations[advised.observations["store_id"] == store.store_id]
                   .groupby("date", sort=False)]
        assert len(windows) == 2, "two windows on two different dates"
        for day in windows:
            hours, weekday = day["hour"].to_numpy(), day["date"].iloc[0].day_of_week
            assert len(hours) == 2 and hours[1] == hours[0] + 1
            assert set(hours) <= set(store.hours(weekday)), "inside opening hours"
        drawn = random.observations[random.observations["store_id"] == store.store_id]
        assert (windows[0][["date", "hour"]].to_numpy() == drawn[["date", "hour"]].to_numpy()[:2]).all()
    store_id = chain[0].store_id  # one date counted so far: the advised weekday has another left
    best = next_counts(first_demand, chain_accuracy.stores_frame(chain), settings, store_id, windows=1)[0]
    second = advised.observations[advised.observations["store_id"] == store_id].iloc[2]
    assert (second["date"].day_of_week, second["hour"]) == (best.weekday, best.start_hour)


def test_the_advised_count_goes_where_nobody_counted_a_busy_hour_and_tells_more_than_a_random_one():
    """A toy store (every day 10:00-18:00, 20 help-seekers an hour, 40 on weekdays from 16:00) counted in 2-hour
    windows that cover every weekday clock hour but 16:00-18:00, and Saturday and Sunday in full. The advice goes
    to a weekday window over 16:00: that hour's profile is borrowed on all five weekdays and
    it is the busiest, so one count there removes the most doubt. Counted (from a later week of the same simulated
    customers), it brings the estimate of help-seekers per hour nearer the truth than the mean random open window
    does (the mean |log(estimate / true rate)| weighted by the true rate, over every open hour): in seeds 5-8 of
    this toy, 0.13-0.20 against 0.23-0.34 (none: 0.24-0.39). Its plan's cost (staff-hours + c / (1 - c) per hour
    short of what the true rate needs) is not lower on three of those four seeds, though: the staff it adds to the
    busy hours and their neighbours cost about as much as the misses they remove are priced at (1.86 staff-hours
    an hour, however short), so a truer estimate need not be a cheaper plan (see the benchmark's advice table)."""
    from planner.staffing.advice import next_counts
    from simulated_chain import ChainStore, count_weeks, stores_frame

    rates = np.zeros((7, 24))
    rates[:, 10:18] = 20.0
    rates[0:5, 16:18] = 40.0
    toy = ChainStore("T1", "toy", ((10, 18),) * 7, rates, 1.5 * rates, 6.0, 5.0, 0.3, 1.0, (12,) * 7)
    weeks = count_weeks(toy, 5, np.random.default_rng(5))
    first = weeks["date"].min()

    def window(week: int, weekday: int, start: int) -> pd.DataFrame:
        rows = weeks[weeks["date"] == first + pd.Timedelta(days=7 * week + weekday)]
        return rows[rows["hour"].between(start, start + 1)]

    counted = pd.concat([window(week, day, start) for week, day, start in (
        (0, 0, 10), (0, 1, 12), (0, 2, 14), (0, 3, 10), (0, 4, 12), (1, 0, 14),
        *((week, weekend, 10 + 2 * week) for weekend in (5, 6) for week in range(4)))], ignore_index=True)
    stores, settings = stores_frame((toy,)), Settings()
    demand = estimate_demand(counted, stores, settings)
    true_rate = rates[demand[D.weekday], demand[D.hour]]

    def error_after(weekday: int, start: int) -> float:
        estimate = estimate_demand(pd.concat([counted, window(4, weekday, start)], ignore_index=True), stores,
                                   settings)[D.assisted_per_hour].to_numpy(dtype=float)
        return float(np.sum(np.abs(np.log(estimate / true_rate)) * true_rate) / true_rate.sum())

    advice = next_counts(demand, stores, settings, "T1", windows=1)[0]
    assert advice.weekday < 5 and advice.start_hour in (15, 16)
    assert advice.also_days == tuple(day for day in range(5) if day != advice.weekday)  # 16:00 never counted
    assert advice.also_hours and set(advice.also_hours) <= {16, 17}  # the hours nobody counted on a weekday
    hour = advice.also_hours[0]
    which = "the same hours" if len(advice.also_hours) == 2 else f"{hour:02d}:00-{hour + 1:02d}:00"
    assert f"it also informs {which} on " in advice.sentence and "which this store has never counted" in advice.sentence
    open_windows = [(day, start) for day in range(7) for start in range(10, 17)]
    random = [open_windows[i] for i in np.random.default_rng(0).choice(len(open_windows), 12, replace=False)]
    assert error_after(advice.weekday, advice.start_hour) < 0.75 * np.mean([error_after(*w) for w in random])
