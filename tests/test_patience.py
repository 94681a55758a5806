"""Patience estimated from the counts (`planner.demand.patience`) and how `planner.targets` uses it.

The truth is a simulated floor (`floor_simulation`, numba): help-seekers with exponential service and exponential
patience of a known mean, self-service customers beside them, help-seekers who gave up tallied as self-service as a
manager would. The staff on the floor change from day to day (2 to 6), so the same clock hour is counted at
different loads per salesperson: what the counts need to tell a patience from a mix of customers. Under one flat
roster counted in a few 2-hour windows they cannot, and the planner keeps the setting.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from floor_simulation import Customers, draw_customers, simulate_floor
from planner.demand.patience import FORMAT, OWN, _expected_customers, estimate_patience
from planner.hours import WEEKDAYS
from planner.queueing import erlang_a_outcome
from planner.settings import Settings
from planner.targets import (ESTIMATED, PATIENCE_NOTE, SETTING, STORE_FILE, WHAT_IF, patience_from_counts,
                             resolve_targets)

RULES = replace(Settings().demand, estimate_patience=True)
ON = Settings(demand=RULES)
"""The estimate is on by default; these tests say so, whatever the default."""
HOURS = np.arange(10, 20)
FIRST_DAY = pd.Timestamp("2026-01-05")  # a Monday
SELF_SERVICE_PER_HELP_SEEKER = 1.5


def counted_days(store_id: str, patience_minutes: float, service_minutes: float, days: int,
                 rng: np.random.Generator, staff_choices=(2, 3, 4, 5, 6), hours=HOURS,
                 service_cv: float | None = None) -> pd.DataFrame:
    """`days` counted days of one store (upload columns), the staff of each day drawn from `staff_choices`; service
    times lognormal with `service_cv` (None: exponential)."""
    curve = 8.0 + 14.0 * np.exp(-0.5 * ((hours - 15.0) / 2.5) ** 2)
    rates = np.exp(rng.normal(0.0, 0.1, (days, 1))) * curve  # days vary beyond Poisson noise
    staff = rng.choice(np.asarray(staff_choices), days)
    help_seekers, hour = draw_customers(rng, rates, service_minutes, service_cv, patience_minutes)
    return _counted_floor(store_id, help_seekers, hour, staff, hours,
                          lambda day: rng.poisson(rates[day] * SELF_SERVICE_PER_HELP_SEEKER))


def _counted_floor(store_id: str, help_seekers: Customers, hour: np.ndarray, staff: np.ndarray, hours: np.ndarray,
                   other_self_service) -> pd.DataFrame:
    """Each day of `help_seekers` run on the floor from empty at its staff, written down as a manager would: give-ups
    tallied as self-service, with `other_self_service(day)` more self-service customers per hour."""
    no_touches = Customers(np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(2, dtype=np.int64))
    assisted, self_services, assisted_minutes = [], [], []
    for day in range(staff.size):
        first, last = help_seekers.day_start[day], help_seekers.day_start[day + 1]
        one_day = Customers(help_seekers.arrival_minute[first:last], help_seekers.service_minutes[first:last],
                            help_seekers.patience_minutes[first:last], np.array([0, last - first]))
        outcome = simulate_floor(one_day, no_touches, np.full(hours.size, staff[day], dtype=np.int64))
        arrivals = np.bincount(hour[first:last], minlength=hours.size)
        served = np.bincount(hour[first:last], outcome.served, hours.size).astype(int)
        minutes = np.bincount(hour[first:last], np.where(outcome.served, one_day.service_minutes, 0.0), hours.size)
        assisted.append(served)
        self_services.append(other_self_service(day) + arrivals - served)
        assisted_minutes.append(minutes.round(1))
    # one frame for all the days, not a frame a day joined up: the same frame, five times sooner
    served, self_service = np.concatenate(assisted), np.concatenate(self_services)
    dates = FIRST_DAY + pd.to_timedelta(np.arange(staff.size), unit="D")
    return pd.DataFrame({
        "store_id": store_id, "date": np.repeat(dates, hours.size),
        "hour": np.tile(hours, staff.size), "visitors": served + self_service, "assisted": served,
        "self_service": self_service, "assisted_minutes": np.concatenate(assisted_minutes), "self_service_minutes": 0.0,
        "staff_on_duty": np.repeat(staff, hours.size),
    })


def stores(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"store_id": [r[0] for r in rows], "format": [r[1] for r in rows],
                         "patience_minutes": pd.array([pd.NA] * len(rows), dtype="Float64")})


@pytest.mark.parametrize(("rules", "least_held"), [(replace(RULES, patience_opening_correction=False), 10),
                                                    (RULES, 9)], ids=["steady", "corrected"])
def test_the_intervals_hold_the_true_patience_as_often_as_they_claim(rules, least_held):
    """Four draws of three stores (patience 3, 8 and 2 minutes; eight weeks of counts each): 90% intervals, so about
    11 of 12 should hold the truth, and nearly every estimate is narrow enough to be used. Read as steady hours, 33
    of 36 held it over twelve draws (10 of the first 12); corrected for days that start empty (these floors, with
    self-service customers beside the help-seekers, read hardly long: 0.95x the truth steady, 0.97x corrected),
    31 of 36 (9 of the first 12); 33 of 36 were used either way."""
    truth = {"A": (3.0, 10.0), "B": (8.0, 10.0), "C": (2.0, 6.0)}  # patience, service minutes
    held, used = [], []
    for seed in range(4):
        rng = np.random.default_rng(seed)
        counts = pd.concat([counted_days(s, p, m, 56, rng) for s, (p, m) in truth.items()], ignore_index=True)
        estimates = estimate_patience(counts, stores(("A", "x"), ("B", "y"), ("C", "z")), rules)
        for store_id, (patience, _) in truth.items():
            estimate = estimates[store_id]
            informative = estimate.high_minutes / estimate.low_minutes <= RULES.patience_max_interval_ratio
            assert estimate.informative == informative and estimate.basis == (OWN if informative else ""), estimate
            used.append(informative)
            held.append(estimate.low_minutes <= patience <= estimate.high_minutes)
    assert sum(held) >= least_held, held
    assert sum(used) >= 10, used


def test_the_estimate_allows_for_service_times_less_variable_than_exponential():
    """Lognormal service with CV 0.5 (waits shorter than Erlang A's): six draws of three stores (patience 3, 8 and
    2 minutes), eight weeks each. Told the CV, the estimate is unbiased within its error (the mean log ratio to the
    truth within three of its standard errors of 0) and the intervals hold the truth about 9 times in 10; taken as
    exponential, the same counts read longer (about 1.3x over 24 other draws)."""
    truth = {"A": (3.0, 10.0), "B": (8.0, 10.0), "C": (2.0, 6.0)}  # patience, service minutes
    frame = stores(("A", "x"), ("B", "y"), ("C", "z"))
    told, untold, held = [], [], []
    for seed in range(6):
        rng = np.random.default_rng([seed, 5])
        counts = pd.concat([counted_days(s, p, m, 56, rng, service_cv=0.5) for s, (p, m) in truth.items()],
                           ignore_index=True)
        with_cv = estimate_patience(counts, frame, RULES, dict.fromkeys(truth, 0.5))
        without = estimate_patience(counts, frame, RULES)
        for store_id, (patience, _) in truth.items():
            told.append(np.log(with_cv[store_id].patience_minutes / patience))
            untold.append(np.log(without[store_id].patience_minutes / patience))
            held.append(with_cv[store_id].low_minutes <= patience <= with_cv[store_id].high_minutes)
    standard_error = np.std(told, ddof=1) / np.sqrt(len(told))
    assert abs(np.mean(told)) < 3 * standard_error, (np.exp(told), standard_error)
    assert np.mean(untold) > np.mean(told) + standard_error, (np.exp(told), np.exp(untold))
    assert sum(held) >= 15, held


def test_the_store_files_service_cv_reaches_the_estimate():
    """`patience_from_counts` takes each store's CV from the store file, else the setting's: told 0.5, the same
    counts give a shorter patience (waits shorter than exponential service's mean fewer give up for a patience)."""
    counts = counted_days("A", 3.0, 10.0, 28, np.random.default_rng(4))
    frame = stores(("A", "x"))
    plain = patience_from_counts(counts, frame, ON)["A"].patience_minutes
    steady = patience_from_counts(counts, frame.assign(service_cv=0.5), ON)["A"].patience_minutes
    assert steady < plain
    assert steady == pytest.approx(estimate_patience(counts, frame, RULES, {"A": 0.5})["A"].patience_minutes)


def test_stores_of_one_format_pool_their_counts_when_each_alone_cannot_tell():
    rng = np.random.default_rng(7)
    # three weeks each: too little alone; the format's three stores share their (equal) patience
    counts = pd.concat([counted_days(s, 4.0, 10.0, 20, rng) for s in ("A", "B", "C")], ignore_index=True)
    frame = stores(("A", "fashion"), ("B", "fashion"), ("C", "fashion"))
    alone = estimate_patience(counts[counts["store_id"] == "A"], frame, RULES)["A"]
    pooled = estimate_patience(counts, frame, RULES)["A"]
    assert not alone.informative
    assert pooled.informative and pooled.basis == FORMAT and pooled.stores_pooled == 3
    assert pooled.low_minutes <= 4.0 <= pooled.high_minutes


def test_one_flat_roster_counted_in_a_few_windows_cannot_tell_and_the_setting_stays():
    rng = np.random.default_rng(3)
    counts = counted_days("A", 3.0, 10.0, 6, rng, staff_choices=(4,))
    counts = counts[counts["hour"].isin([14, 15])]  # a 2-hour window on six days
    frame = stores(("A", "fashion"))
    estimate = estimate_patience(counts, frame, RULES)["A"]
    assert not estimate.informative
    resolved = resolve_targets(frame, Settings(), patience={"A": estimate}).iloc[0]
    assert resolved["patience_minutes"] == Settings().targets.patience_minutes
    assert resolved["patience_minutes_source"] == SETTING
    assert resolved[PATIENCE_NOTE] == cannot_tell_note(estimate, Settings().targets.patience_minutes)


def cannot_tell_note(estimate, setting_minutes: float) -> str:
    """The note a store keeps its setting under, its words pinned here: what the counts leave open, and that the
    setting is within it."""
    low, high = estimate.low_minutes, estimate.high_minutes
    span = (f"between {low:.1f} and {high:.1f} min" if np.isfinite(low) and np.isfinite(high) else
            f"under {high:.1f} min" if np.isfinite(high) else f"over {low:.1f} min" if np.isfinite(low) else
            "from 0.5 to 60 min")
    return (f"setting (the counts cannot tell how long customers wait before giving up: anything {span} fits them, the "
            f"setting's {setting_minutes:g} min too)")


@pytest.mark.parametrize("days, seed, setting_minutes, end", [(3, 2, 30.0, "high_minutes"), (4, 0, 1.0, "low_minutes")])
def test_counts_that_rule_the_setting_out_move_it_to_the_nearest_end_of_their_interval(days, seed, setting_minutes,
                                                                                         end):
    """A few counted days of a store whose help-seekers wait 2 minutes on average: too few to plan with an estimate
    (the interval is open at one end: under 10.5 min, over 1.6 min), but enough to rule out a setting beyond it. The
    setting moves to the interval's nearest end, which still holds the truth, and no further; a setting inside the
    interval (5 min) stays."""
    counts = counted_days("A", 2.0, 10.0, days, np.random.default_rng(seed))
    frame = stores(("A", "fashion"))
    estimate = estimate_patience(counts, frame, RULES)["A"]
    assert not estimate.informative and np.isnan([estimate.low_minutes, estimate.high_minutes]).sum() == 1
    assert (estimate.low_minutes if end == "low_minutes" else 0.0) <= 2.0 <= (
        estimate.high_minutes if end == "high_minutes" else np.inf)
    settings = Settings()
    moved = resolve_targets(frame, replace(settings, targets=replace(settings.targets,
                                                                     patience_minutes=setting_minutes)),
                            patience={"A": estimate}).iloc[0]
    assert moved["patience_minutes"] == pytest.approx(getattr(estimate, end))
    assert moved["patience_minutes_source"] == ESTIMATED
    # in a manager's words: which way the counts rule the setting out, and that they cannot say how far
    way = ("give up sooner than the chain's 30 min setting (under {:.1f} min) but not how much sooner: planned with "
           "{:.1f} min, the longest" if end == "high_minutes" else
           "wait longer than the chain's 1 min setting before giving up (over {:.1f} min) but not how much longer: "
           "planned with {:.1f} min, the shortest").format(getattr(estimate, end), getattr(estimate, end))
    assert moved[PATIENCE_NOTE] == f"the counts show customers {way} patience they allow"
    kept = resolve_targets(frame, settings, patience={"A": estimate}).iloc[0]
    assert kept["patience_minutes"] == settings.targets.patience_minutes and kept["patience_minutes_source"] == SETTING
    assert kept[PATIENCE_NOTE] == cannot_tell_note(estimate, settings.targets.patience_minutes)


def test_an_estimate_that_tells_is_the_patience_unless_the_store_file_or_a_what_if_says_otherwise():
    rng = np.random.default_rng(0)
    counts = pd.concat([counted_days(s, 3.0, 10.0, 56, rng) for s in ("A", "B")], ignore_index=True)
    frame = stores(("A", "x"), ("B", "y"))
    frame.loc[1, "patience_minutes"] = 9.0
    estimates = estimate_patience(counts, frame, RULES)
    resolved = resolve_targets(frame, Settings(), patience=estimates).set_index("store_id")
    a = estimates["A"]
    planned = a.planned_minutes(Settings().staffing.target_confidence, RULES.interval_level)
    assert a.low_minutes < planned < a.patience_minutes  # hedged toward the shorter end, within the interval
    assert resolved.at["A", "patience_minutes"] == pytest.approx(planned)
    assert resolved.at["A", "patience_minutes_source"] == ESTIMATED
    assert resolved.at["A", PATIENCE_NOTE] == (
        f"estimated from counts: customers give up after about {a.patience_minutes:.1f} min of waiting (likely "
        f"{a.low_minutes:.1f}-{a.high_minutes:.1f} min); planned with {planned:.1f} min, to be safe: they wait at least "
        "that long in 65% of likely cases")
    # what the note claims, read off the log-normal the interval implies: patience of at least `planned` in 65%
    from scipy.stats import norm

    sigma = np.log(a.patience_minutes / a.low_minutes) / norm.ppf(0.5 + RULES.interval_level / 2)
    assert norm.sf(np.log(planned / a.patience_minutes) / sigma) == pytest.approx(0.65, abs=1e-6)
    assert (resolved.at["B", "patience_minutes"], resolved.at["B", "patience_minutes_source"]) == (9.0, STORE_FILE)
    what_if = resolve_targets(frame, Settings(), {"patience_minutes": 2.0}, estimates).set_index("store_id")
    assert (what_if["patience_minutes"] == 2.0).all() and (what_if["patience_minutes_source"] == WHAT_IF).all()


def test_counts_without_staff_on_duty_give_no_estimate():
    counts = counted_days("A", 3.0, 10.0, 14, np.random.default_rng(1)).assign(staff_on_duty=pd.NA)
    estimate = estimate_patience(counts, stores(("A", "x")), RULES)["A"]
    assert not estimate.informative and np.isnan(estimate.patience_minutes)
    assert resolve_targets(stores(("A", "x")), Settings(), patience={"A": estimate}).iloc[0][PATIENCE_NOTE] == SETTING


def test_the_estimate_can_be_switched_off_and_a_store_file_patience_needs_none():
    counts = counted_days("A", 3.0, 10.0, 14, np.random.default_rng(2))
    frame = stores(("A", "x"))
    assert patience_from_counts(counts, frame, ON) != {}
    off = Settings(demand=replace(RULES, estimate_patience=False))
    assert patience_from_counts(counts, frame, off) == {}
    assert patience_from_counts(counts, frame.assign(patience_minutes=4.0), ON) == {}


@pytest.mark.parametrize("day_spread", [0.0, 0.15])
def test_each_counted_hour_is_read_at_its_expected_customers_not_its_noisy_count(day_spread):
    """The load an hour's give-ups are read against (`_expected_customers`): its cell's mean over the counted days
    times its day's level, shrunk by the share of the levels' spread that is Poisson noise. Against the true rate of
    each counted day-hour it errs much less than the hour's own count, keeps the overall level, and follows the
    days' real spread where there is one (none: the levels shrink to the cell means)."""
    rng = np.random.default_rng(5)
    days = pd.date_range(FIRST_DAY, periods=56)
    curve = 10.0 + 30.0 * np.exp(-0.5 * ((HOURS - 15.0) / 2.5) ** 2)
    level = np.exp(rng.normal(0.0, day_spread, days.size) - day_spread**2 / 2)
    weekday = np.asarray(1.0 + 0.1 * days.day_of_week)
    true = (level * weekday)[:, None] * curve[None, :]
    frame = pd.DataFrame({"store": "A", "date": np.repeat(days, HOURS.size),
                          "weekday": np.repeat(days.day_of_week, HOURS.size), "hour": np.tile(HOURS, days.size),
                          "customers": rng.poisson(true).ravel().astype(float)})
    expected = _expected_customers(frame)
    own_error = np.sqrt(np.mean(np.log(np.maximum(frame["customers"], 1.0) / true.ravel()) ** 2))
    error = np.sqrt(np.mean(np.log(expected / true.ravel()) ** 2))
    assert error < 0.6 * own_error, (error, own_error)
    assert expected.sum() == pytest.approx(frame["customers"].sum(), rel=0.01)
    day_levels = pd.Series(expected).groupby(np.repeat(np.arange(days.size), HOURS.size)).sum().to_numpy()
    spread = np.std(np.log(day_levels / (weekday * curve.sum())))
    assert spread == pytest.approx(day_spread, abs=0.04), spread


def test_the_count_advice_works_at_the_targets_its_plan_uses():
    """A store file without patience, eight weeks of counts at changing staff from help-seekers who give up after
    2 minutes on average (the setting says 5), the estimate on: the advice's staff range for each window it
    names is the plan's own (`recommend_from_frames`: the busiest hour's low and high ends, capped as the page caps
    them), as the patience the plan is made with is the one estimated from the counts, not the setting."""
    from planner import pipeline
    from planner.intake import check_files
    from planner.staffing.recommend import capped_high

    counts = counted_days("A", 2.0, 6.0, 56, np.random.default_rng(2))
    text = ("store_id,name,region,format,mon,tue,wed,thu,fri,sat,sun,wage_per_hour,min_staff,max_staff\n"
            "A,Test,North,x" + ",10:00-20:00" * 7 + ",18.0,1,12\n")
    store_file = check_files([("stores.csv", text.encode())], None, ON.import_rules)[0].frame
    resolved = pipeline.targets_from_frames(counts, store_file, ON).iloc[0]
    assert resolved["patience_minutes_source"] == ESTIMATED and resolved["patience_minutes"] < 3.0
    plan = pipeline.recommend_from_frames(counts, store_file, ON)
    at_setting = pipeline.recommend_from_frames(counts, store_file.assign(patience_minutes=5.0), ON)
    assert (plan["required_staff_high"] != at_setting["required_staff_high"]).any()  # the patience matters here
    advice = pipeline.count_advice_from_frames(counts, store_file, ON, "A", windows=3)
    assert advice
    for item in advice:
        rows = plan[(plan["weekday"] == item.weekday) & plan["hour"].between(item.start_hour, item.start_hour + 1)]
        top, _ = capped_high(rows["required_staff_high"].to_numpy(float), rows["required_staff"].to_numpy(float), 12)
        assert (item.band_now.low, item.band_now.high) == (int(rows["required_staff_low"].max()), int(top.max()))


def whole_days_all_seeking_help(store_id: str, patience_minutes: float, service_minutes: float,
                                help_seekers_per_hour: float, days: int, rng: np.random.Generator) -> pd.DataFrame:
    """`days` counted days at a flat rate, every customer seeking help, each day from an empty floor at opening
    with its own staff (the flat roster's, 1.3 x the load + 1, plus one of -2 to +1), give-ups tallied as
    self-service: where the steady-state reading of each hour is furthest off."""
    flat = int(np.ceil(1.3 * help_seekers_per_hour * service_minutes / 60.0 + 1.0))
    staff = flat + rng.choice(np.array([-2, -1, 0, 1]), days)
    rates = np.full((days, HOURS.size), help_seekers_per_hour)
    help_seekers, hour = draw_customers(rng, rates, service_minutes, None, patience_minutes)
    return _counted_floor(store_id, help_seekers, hour, staff, HOURS, lambda day: 0)


def test_the_correction_for_days_that_start_empty_takes_the_steady_reading_back_to_the_truth():
    """A store with a known patience of 4 minutes (10-minute service, 30 help-seekers an hour), four weeks of
    whole days from an empty opening, eight draws: read as steady hours its counts give about 1.5x the truth; run
    back through its own simulated days (`planner.demand.patience_opening`) within 20% of it on average (the
    geometric mean; 40 draws gave 1.07, the standard error of 8 is about 0.12), and the intervals hold it."""
    steady_rules = replace(RULES, patience_opening_correction=False)
    steady, corrected, held = [], [], 0
    for draw in range(8):
        counts = whole_days_all_seeking_help("A", 4.0, 10.0, 30.0, 28, np.random.default_rng([draw, 41]))
        plain = estimate_patience(counts, stores(("A", "x")), steady_rules)["A"]
        fixed = estimate_patience(counts, stores(("A", "x")), RULES)["A"]
        assert plain.informative and fixed.informative
        steady.append(np.log(plain.patience_minutes / 4.0))
        corrected.append(np.log(fixed.patience_minutes / 4.0))
        held += fixed.low_minutes <= 4.0 <= fixed.high_minutes
    assert np.exp(np.mean(steady)) > 1.3, np.exp(steady)
    assert abs(np.mean(corrected)) < np.log(1.2), np.exp(corrected)
    assert held >= 6, held


def test_a_store_counted_until_midnight_is_corrected_too():
    """The simulated days end with an hour in which the closing staff serve whoever still waits: for a store
    counted until midnight that hour is the 24th, beyond the clock hours of the help-seekers' shares."""
    counts = counted_days("A", 3.0, 10.0, 56, np.random.default_rng(2), hours=np.arange(14, 24))
    steady = estimate_patience(counts, stores(("A", "x")), replace(RULES, patience_opening_correction=False))["A"]
    corrected = estimate_patience(counts, stores(("A", "x")), RULES)["A"]
    assert steady.informative and corrected.informative
    assert corrected.patience_minutes != steady.patience_minutes
    assert corrected.low_minutes <= 3.0 <= corrected.high_minutes


def test_the_patience_planned_with_is_the_estimates_quantile_at_the_target_confidence():
    """Against scipy's log-normal: an interval symmetric in log around the estimate is a log-normal's, and the
    patience planned with at confidence p is its (1 - p)-quantile (its low end at 0.95, the estimate at 0.5)."""
    from scipy.stats import lognorm

    from planner.demand.patience import PatienceEstimate

    sd, level = 0.3, 0.9
    z = lognorm.ppf(0.95, sd) / 1.0  # exp(1.645 sd)
    estimate = PatienceEstimate("A", 4.0, 4.0 / z, 4.0 * z, True, OWN, 1)
    for confidence in (0.35, 0.5, 0.65, 0.8, 0.95):
        truth = lognorm.ppf(1.0 - confidence, sd, scale=4.0)
        assert estimate.planned_minutes(confidence, level) == pytest.approx(truth, rel=1e-9)
    skewed = PatienceEstimate("A", 4.0, 3.0, 9.0, True, OWN, 1)  # a longer upper tail: the lower side is read
    assert skewed.planned_minutes(0.95, level) == pytest.approx(3.0)
    assert skewed.planned_minutes(0.05, level) == pytest.approx(9.0)
    assert np.isnan(PatienceEstimate("A", 4.0, np.nan, 9.0, False, "", 0).planned_minutes(0.65, level))


def test_the_share_kept_is_the_same_worked_in_blocks_as_at_once(monkeypatch):
    """Erlang A's share kept is worked out a block of rows at a time (every counted hour of a 2,000,000-hour chain
    at once took the recommendation past 10^9 bytes): each row must get its own queue's answer, as one
    `PalmQueue` over every row gives it, whatever the blocks' edges; rows without staff or customers as before."""
    from planner.demand import patience
    from planner.queueing.erlang_a import PalmQueue

    rng = np.random.default_rng(3)
    rows = 1_000
    help_seekers = np.where(rng.random(rows) < 0.1, 0.0, rng.uniform(0.5, 60.0, rows))
    service = rng.uniform(2.0, 25.0, rows)
    staff = rng.integers(0, 12, rows).astype(float)
    patience_minutes = rng.uniform(0.5, 60.0, rows)
    monkeypatch.setattr(patience, "ERLANG_A_BLOCK_ROWS", 37)  # blocks ending mid-way through the rows
    kept = patience._kept_whole(help_seekers, service, staff, patience_minutes)
    both = (help_seekers > 0) & (staff > 0)
    whole = 1.0 - PalmQueue(help_seekers[both] * service[both] / 60.0, staff[both],
                            patience_minutes[both] / service[both]).prob_abandon
    assert both.sum() > 800 and np.array_equal(kept[both], whole)
    assert (kept[(help_seekers > 0) & (staff == 0)] == 0.0).all() and (kept[help_seekers == 0] == 1.0).all()


def _steady_floors(days: int, rng: np.random.Generator, patience_minutes: float = 3.0,
                   service_minutes: float = 6.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same floor counted by two stores: one open 09:00-21:00, one open 09:30-20:30. Every hour is Erlang A's
    steady state at its own rate and the day's staff (2-6): the help-seekers who arrive, Poisson, and those of them
    served, Binomial with Erlang A's share kept, beside 1.5 self-service customers per help-seeker; the evening is the
    busiest. The second store's 09:00 and 20:00 hold the customers of their open half hour, half of each kind
    (a half hour open is a half hour of the same floor: the rate, and so the share giving up, is the whole hour's)."""
    hours = np.arange(9, 21)
    curve = 8.0 + 16.0 * np.exp(-0.5 * ((hours - 19.0) / 2.5) ** 2)
    whole, half = [], []
    for day in range(days):
        staff = int(rng.choice([2, 3, 4, 5, 6]))
        rates = curve * np.exp(rng.normal(0.0, 0.1))
        # the day's hours at once, and only the share giving up: the same values as `erlang_a` hour by hour, which
        # was four fifths of the half-open hours test's time
        kept_shares = 1.0 - erlang_a_outcome(rates, service_minutes, staff,
                                             patience_minutes=patience_minutes).prob_abandon
        for hour, rate, kept in zip(hours, rates, kept_shares.tolist(), strict=True):
            arrived = rng.poisson(rate)
            served, others = rng.binomial(arrived, kept), rng.poisson(SELF_SERVICE_PER_HELP_SEEKER * rate)
            row = dict(store_id="A", date=FIRST_DAY + pd.Timedelta(days=day), hour=hour, staff_on_duty=staff,
                       self_service_minutes=0.0)
            whole.append({**row, "assisted": served, "self_service": arrived - served + others})
            if hour in (9, 20):
                halved = (rng.binomial(served, 0.5), rng.binomial(arrived - served, 0.5), rng.binomial(others, 0.5))
                half.append({**row, "assisted": halved[0], "self_service": halved[1] + halved[2]})
            else:
                half.append(whole[-1])
    frames = [pd.DataFrame(rows) for rows in (whole, half)]
    return tuple(frame.assign(visitors=frame["assisted"] + frame["self_service"],
                              assisted_minutes=frame["assisted"] * service_minutes) for frame in frames)


def _opening(hours: str) -> pd.DataFrame:
    return stores(("A", "x")).assign(**dict.fromkeys(WEEKDAYS, hours))


def test_a_half_open_hours_give_ups_are_read_at_the_rate_of_its_open_minutes():
    """A store opening at 09:30 and closing at 20:30 counts the customers of half an hour in its 09:00 and 20:00,
    its busiest hour, at the rate of a whole one. Read as whole hours of half the load, their give-ups looked like
    those of a less patient crowd: over ten draws the estimate was 0.86x the one the same floor gave counted in whole
    hours (0.79x the truth). Read at the rate of their open part (as the demand model reads them), 1.04x (0.95x the
    truth, the whole hours' 0.92x). Steady hours (the reading is what is tested; the correction for days that start
    empty simulates a transient these hours do not have), on 8 weeks of counts a draw."""
    rules = replace(RULES, patience_opening_correction=False)
    ratios, estimates = [], []
    for draw in range(10):
        whole, half = _steady_floors(56, np.random.default_rng([draw, 8]))
        counted_whole = estimate_patience(whole, _opening("09:00-21:00"), rules)["A"]
        counted_half = estimate_patience(half, _opening("09:30-20:30"), rules)["A"]
        ratios.append(counted_half.patience_minutes / counted_whole.patience_minutes)
        estimates.append(counted_half.patience_minutes / 3.0)
    assert np.exp(np.mean(np.log(ratios))) == pytest.approx(1.0, abs=0.07), np.round(ratios, 2)
    assert np.exp(np.mean(np.log(estimates))) == pytest.approx(1.0, abs=0.2), np.round(estimates, 2)


def test_a_whole_hour_stores_estimate_is_the_same_with_its_opening_hours_and_calendar_or_without():
    """Whole hours (09:00-21:00), and a calendar that changes no counted date's hours nor its load (its rows are of
    dates not counted, and one of a counted date says only a note): the estimate, corrected for days that start
    empty, is the one made without them, to the bit. (A factor of a counted date is read: the sale test below.)"""
    whole, _ = _steady_floors(56, np.random.default_rng(4))
    calendar = pd.DataFrame({"store_id": ["A", "A", "A"],
                             "date": pd.to_datetime(["2026-12-24", "2026-06-05", "2026-01-07"]),
                             "closed": [False, False, False], "hours": ["09:00-17:30", None, None],
                             "demand_factor": [1.0, 1.4, 1.0], "note": ["", "", "stocktaking"]})
    plain = estimate_patience(whole, stores(("A", "x")), RULES)["A"]
    assert plain.informative
    assert estimate_patience(whole, _opening("09:00-21:00"), RULES, calendar=calendar)["A"] == plain


def _give_up_share(help_seekers_per_hour: float, service_minutes: float, staff: int, patience_minutes: float) -> float:
    """Erlang A's (M/M/n+M) share of help-seekers giving up, from its birth-death chain (arrivals at the rate, each
    of the staff serving at 1 / service minutes, each waiting customer giving up at 1 / patience), truncated far
    beyond any queue it reaches: the mean wait (the mean queue over the arrival rate, Little's law) over the mean
    patience. Independent of `planner.queueing`."""
    arrivals, service, giving_up = help_seekers_per_hour / 60.0, 1.0 / service_minutes, 1.0 / patience_minutes
    people = np.arange(staff + 400)
    leaving = np.minimum(people, staff) * service + np.maximum(people - staff, 0) * giving_up
    log_chance = np.concatenate([[0.0], np.cumsum(np.log(arrivals / leaving[1:]))])
    chance = np.exp(log_chance - log_chance.max())
    waiting = float((chance * np.maximum(people - staff, 0)).sum() / chance.sum())
    return waiting / arrivals / patience_minutes


def test_a_sale_dates_give_ups_are_read_at_the_load_its_staff_faced():
    """A store's usual roster by weekday (2 to 5 staff), eight weeks, one sale date a week on a different weekday
    (the calendar's factor 1.5: 1.5 times the usual customers, to the same roster). Each counted hour holds the
    customers Erlang A expects (the truth's formula, `_give_up_share`): help-seekers served, those giving up
    tallied as self-service beside 1.5 self-service customers per help-seeker. The estimate took a sale date's
    hours together with the usual ones of the same weekday and staff, at their mean load, so their staff seemed to
    lose their many customers at nearly the usual load: 0.85x the truth at 2, 4 and 8 minutes. Read at the load they
    faced (`date_loads`, the factor the demand model's censoring correction reads), within 2% of it. Steady hours:
    the reading is what is tested (the correction for days that start empty simulates a transient these hours do
    not have)."""
    rules = replace(RULES, patience_opening_correction=False)
    roster = {0: 2, 1: 3, 2: 4, 3: 5, 4: 3, 5: 4}
    sales = [FIRST_DAY + pd.Timedelta(days=7 * week + week % 6) for week in range(8)]
    curve = 8.0 + 16.0 * np.exp(-0.5 * ((np.arange(9, 21) - 19.0) / 2.5) ** 2)
    calendar = pd.DataFrame({"store_id": "A", "date": pd.to_datetime(sales), "closed": False, "hours": None,
                             "demand_factor": 1.5, "note": "sale"})
    for patience in (2.0, 4.0, 8.0):
        rows = []
        for date in FIRST_DAY + pd.to_timedelta(np.arange(56), unit="D"):
            if date.day_of_week == 6:
                continue
            staff = roster[date.day_of_week]
            for hour, rate in zip(range(9, 21), curve * (1.5 if date in sales else 1.0), strict=True):
                lost = rate * _give_up_share(rate, 6.0, staff, patience)
                rows.append(dict(store_id="A", date=date, hour=hour, staff_on_duty=staff, assisted=rate - lost,
                                 self_service=lost + SELF_SERVICE_PER_HELP_SEEKER * rate,
                                 assisted_minutes=(rate - lost) * 6.0, self_service_minutes=0.0))
        counts = pd.DataFrame(rows).assign(visitors=lambda f: f["assisted"] + f["self_service"])
        estimate = estimate_patience(counts, _opening("09:00-21:00"), rules, calendar=calendar)["A"]
        assert estimate.informative and estimate.patience_minutes == pytest.approx(patience, rel=0.02), estimate
