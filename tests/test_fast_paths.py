"""The planner's fast paths give exactly what the straightforward computations give, on the same inputs.

Each optimisation of a hot path (fewer Erlang A measures, fewer evaluations in a search) is checked here against
the computation it replaces: the full `erlang_a`, or a reference implementation kept in `tests/reference_paths.py`
as the code was before. Equality is exact: the speed-ups change how a figure is computed, never the figure.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pandas as pd
import pytest
from conftest import DATA
from reference_paths import (
    averaged_measures_node_by_node,
    beta_upper_tails_by_scipy,
    borrowed_from_by_series,
    chance_targets_met_every_rate,
    erlang_a_with_subsets,
    explain_row_by_row,
    least_staff_step_by_step,
    staff_grid_text_by_pivot,
    targets_by_reindexing,
    typed_observations_by_astype,
)
from scipy.special import gammaincinv, gammaln

import planner.demand as demand
from planner import export, pipeline, storage, threads
from planner.demand import censoring
from planner.demand.censoring import StaffedHours, offered_rate_behind_served
from planner.demand.minutes import _mean_of_exponentials_factors
from planner.demand.sources import borrowed_from
from planner.intake import check_files
from planner.queueing import erlang_a, erlang_a_outcome, erlang_a_probabilities
from planner.queueing.erlang_b_c import _log_gamma_plus_one, log_poisson_term, loss_odds
from planner.queueing.staffing_search import least_staff_meeting, required_staff
from planner.schemas import ObservationSchema as O
from planner.settings import Settings
from planner.staffing import floor_model, recommend
from planner.staffing.explain import HourFacts, explain
from planner.staffing.floor_model import FloorDemand, FloorTargets, floor_measures, least_staff
from planner.staffing.hedge import averaged_measures, chance_targets_met
from planner.storage.tables import OBSERVATION_COLUMNS, typed_observations


def _queue_grid(seed: int, size: int = 4000):
    """Loads from none to heavy overload, staff 0-60, service 0.2-30 min, patience 0.1-1e6 min (the stretched
    patience of the floor model reaches 1e6), target waits 0-300 s."""
    rng = np.random.default_rng(seed)
    service = rng.uniform(0.2, 30.0, size)
    staff = rng.integers(0, 60, size).astype(float)
    load = np.where(rng.random(size) < 0.05, 0.0, rng.uniform(0.0, 1.6, size) * np.maximum(staff, 1.0))
    patience = np.exp(rng.uniform(np.log(0.1), np.log(1e6), size))
    wait = np.where(rng.random(size) < 0.1, 0.0, rng.uniform(0.0, 300.0, size))
    return load * 60.0 / service, service, staff, patience, wait


@pytest.mark.parametrize("seed", [1, 2])
def test_erlang_a_without_mean_waits_is_erlang_a(seed):
    lam, service, staff, patience, wait = _queue_grid(seed)
    full = erlang_a(lam, service, staff, patience_minutes=patience, target_wait_seconds=wait)
    probabilities = erlang_a_probabilities(lam, service, staff, patience_minutes=patience, target_wait_seconds=wait)
    outcome = erlang_a_outcome(lam, service, staff, patience_minutes=patience)
    for name in ("offered_load_erlangs", "prob_wait", "prob_abandon", "occupancy", "service_level_all_arrivals",
                 "service_level_served", "prob_offered_wait_within_target",
                 "prob_wait_within_target_incl_abandoners"):
        np.testing.assert_array_equal(getattr(probabilities, name), getattr(full, name), err_msg=name)
    for name in ("offered_load_erlangs", "prob_wait", "prob_abandon", "occupancy"):
        np.testing.assert_array_equal(getattr(outcome, name), getattr(full, name), err_msg=name)
    assert 0.0 < full.prob_abandon.mean() < 1.0  # the grid reaches both light and overloaded queues


@pytest.mark.parametrize("seed", [1, 2])
def test_erlang_a_without_subsets_is_erlang_a_with_them(seed):
    """Where every interval has arrivals and staff (and every one sits below its mode, or every Poisson term takes
    the direct form), the measures are computed on the arrays themselves instead of on subsets copied out and back:
    the same figures as the code that always copied, on the mixed grid and on light loads where nothing is copied."""
    grid = _queue_grid(seed)
    lam, service, staff, _, _ = grid
    load = lam * service / 60.0
    light = (load > 0) & (staff > 0) & (load < 0.7 * staff) & (staff < 15)
    assert light.sum() > 300
    for arrays in (grid, tuple(v[light] for v in grid)):
        lam, service, staff, patience, wait = arrays
        found = _every_measure(lam, service, staff, patience, wait)
        with erlang_a_with_subsets():
            expected = _every_measure(lam, service, staff, patience, wait)
        for name, values in expected.items():
            np.testing.assert_array_equal(found[name], values, err_msg=name)
    for whole in (np.arange(4096.0), np.arange(5000.0)):  # staff counts: ln n! looked up, or computed beyond
        np.testing.assert_array_equal(_log_gamma_plus_one(whole), gammaln(whole + 1.0))


def _every_measure(lam, service, staff, patience, wait) -> dict[str, np.ndarray]:
    kinds = {"a": erlang_a(lam, service, staff, patience_minutes=patience, target_wait_seconds=wait),
             "probabilities": erlang_a_probabilities(lam, service, staff, patience_minutes=patience,
                                                     target_wait_seconds=wait),
             "outcome": erlang_a_outcome(lam, service, staff, patience_minutes=patience)}
    out = {f"{kind}.{field.name}": getattr(record, field.name)
           for kind, record in kinds.items() for field in dataclasses.fields(record)}
    load = lam * service / 60.0
    return out | {"loss_odds": loss_odds(staff, load), "log_poisson_term": log_poisson_term(staff, load),
                  "required_staff": required_staff(lam, service, target_service_level=0.8,
                                                   target_wait_seconds=wait, patience_minutes=patience,
                                                   max_abandon_share=0.05)}


def test_erlang_a_outcome_checks_its_arguments():
    with pytest.raises(ValueError, match="patience_minutes"):
        erlang_a_outcome(10.0, 5.0, 2, patience_minutes=0.0)


# --- staffing: the chance the targets are met, the least-staff search --------------------------------------------

def _floor(seed: int, size: int = 3000):
    """Store-hours from quiet to busy, with touches on some and demand spreads from none to wide."""
    rng = np.random.default_rng(seed)
    lam = np.where(rng.random(size) < 0.05, 0.0, rng.uniform(0.5, 150.0, size))
    minutes = rng.uniform(2.0, 25.0, size)
    touch = np.where(rng.random(size) < 0.5, rng.uniform(0.0, 3.0, size), 0.0)
    spread = np.where(rng.random(size) < 0.2, 0.0, rng.uniform(0.0, 0.5, size))
    targets = FloorTargets(
        target_service_level=rng.choice([0.7, 0.8, 0.9], size), target_wait_seconds=rng.choice([20.0, 60.0], size),
        patience_minutes=rng.uniform(1.0, 10.0, size), max_abandon_share=rng.choice([0.03, 0.05, 0.1], size),
        max_occupancy=np.where(rng.random(size) < 0.2, 0.85, 1.0), min_staff=rng.integers(0, 3, size).astype(float))
    return FloorDemand(lam, minutes, touch), spread, targets


@pytest.mark.parametrize("seed", [3, 4])
def test_the_chance_by_bisection_counts_every_rate(seed):
    demand, spread, targets = _floor(seed)
    staff = np.maximum(least_staff(demand, targets) + np.random.default_rng(seed).integers(-2, 3, spread.size), 0)
    fast = chance_targets_met(demand, staff, spread, targets)
    np.testing.assert_array_equal(fast, chance_targets_met_every_rate(demand, staff, spread, targets))
    assert len(np.unique(fast)) >= 8  # the draw reaches most shares, not only 0 and 1


def test_the_exact_chance_searched_from_the_plausible_demands_is_the_one_a_fine_scan_finds(seed=3):
    """The exact chance (a bisection started between the two plausible demands the staff meet and do not) against
    a scan of 601 quantiles from -6 to 6: the highest met, to within the scan's step (or 0 and 1 at its ends)."""
    from scipy.special import ndtr

    from planner.staffing.floor_model import meets_targets
    from planner.staffing.hedge import EXACT_Z_TOLERANCE, _scaled, exact_chance_targets_met

    demand, spread, targets = _floor(seed)
    staff = np.maximum(least_staff(demand, targets) + np.random.default_rng(seed).integers(-2, 3, spread.size), 0)
    exact = exact_chance_targets_met(demand, staff, spread, targets)
    grid = np.linspace(-6.0, 6.0, 601)
    met = np.stack([meets_targets(_scaled(demand, np.exp(z * spread)), staff, targets) for z in grid])
    highest = np.where(met.any(axis=0), grid[np.argmax(~met, axis=0) - 1], -np.inf)  # met below, not above
    highest = np.where(met.all(axis=0), np.inf, highest)
    scanned = ndtr(highest)
    uncertain = spread > 0
    step = grid[1] - grid[0]
    assert np.all(np.abs(exact[uncertain] - scanned[uncertain]) <= 0.4 * (step + EXACT_Z_TOLERANCE) + 1e-9)
    np.testing.assert_array_equal(exact[~uncertain], meets_targets(demand, staff, targets)[~uncertain] * 1.0)
    assert 0.05 < np.mean((exact > 0.01) & (exact < 0.99))  # the draw reaches chances between the ends


@pytest.mark.parametrize("seed", [3, 4])
def test_the_chance_searched_to_the_decimals_shown_is_written_as_the_exact_one(seed):
    """The search that stops where every chance left is written alike (`stated_chance_targets_met`, each hour's
    chance in the recommendation) writes the figure the exact search's does, beside chances asked from 54% to 90%,
    wherever the exact chance is not within its own precision of a figure's rounding edge."""
    from scipy.special import ndtr, ndtri

    from planner.staffing.hedge import (
        EXACT_Z_TOLERANCE, exact_chance_targets_met, stated_chance, stated_chance_targets_met)

    demand, spread, targets = _floor(seed)
    rng = np.random.default_rng(seed)
    staff = np.maximum(least_staff(demand, targets) + rng.integers(-2, 3, spread.size), 0)
    asked = rng.choice([0.54, 0.65, 0.9], spread.size)
    deciles = chance_targets_met(demand, staff, spread, targets)
    exact = exact_chance_targets_met(demand, staff, spread, targets, deciles)
    stated = stated_chance_targets_met(demand, staff, spread, targets, asked, deciles)
    # the exact search's answer is at most its tolerance (in quantile) below the truth: where a rounding edge lies
    # within that, either figure may be right
    upper = ndtr(ndtri(np.clip(exact, 1e-15, 1 - 1e-15)) + EXACT_Z_TOLERANCE)
    sure = stated_chance(exact, asked) == stated_chance(upper, asked)
    assert sure.mean() > 0.9
    np.testing.assert_array_equal(stated_chance(stated, asked)[sure], stated_chance(exact, asked)[sure])
    assert ((stated_chance(stated, asked) * 100) % 10 != 0).mean() > 0.3  # tenths could not write these


@pytest.mark.parametrize("seed", [5, 6])
def test_the_least_staff_search_finds_what_adding_one_at_a_time_finds(seed):
    demand, _, targets = _floor(seed)
    touch = demand.touch_load_erlangs  # staff serve the touches, with or without help-seekers
    np.testing.assert_array_equal(least_staff(demand, targets), least_staff_step_by_step(
        demand, targets, np.where(touch > 0, np.floor(touch) + 1.0, 0.0)))


def test_the_guess_probe_and_plain_bisection_agree():
    rng = np.random.default_rng(7)
    answer = rng.integers(0, 400, 5000).astype(float)
    low = np.maximum(answer - rng.integers(0, 30, answer.size), 0.0)
    guess = np.maximum(answer + rng.integers(-3, 4, answer.size) * (rng.random(answer.size) < 0.1), low)
    step = np.ones(answer.size)
    evaluations = {}
    for close in (False, True):
        calls = []

        def meets(rows, staff):
            calls.append(rows.size)
            return staff >= answer[rows]

        found = least_staff_meeting(meets, low, guess, step, guess_is_close=close)
        np.testing.assert_array_equal(found, answer)
        evaluations[close] = sum(calls)
    assert evaluations[True] < evaluations[False]  # most guesses are the answer: the probe saves work


@pytest.mark.parametrize("seed", [3, 4])
def test_the_service_averaged_over_every_node_at_once_is_the_one_node_by_node(seed):
    demand, spread, targets = _floor(seed)
    staff = np.maximum(least_staff(demand, targets) + np.random.default_rng(seed).integers(-2, 3, spread.size), 0)
    fast = averaged_measures(demand, staff, spread, targets)
    slow = averaged_measures_node_by_node(demand, staff, spread, targets)
    for name in ("service_level", "abandon_share", "mean_wait_seconds", "utilisation"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)
    assert 0.05 < (fast.service_level < 0.999).mean() < 0.95  # the staff leave some hours short: a real average


def test_the_beta_tails_by_recurrence_are_scipys_to_1e_12():
    """The upper tails of Beta(a, b), b = 1 .. 400, which `_if_waited_by_series` weighs (a = staff x patience /
    service + 1, z = e^-θt), summed by the recurrence in b, against scipy's betaincc one element at a time: shapes
    from just above 1 to 5,000, waits from none to 50 patiences. Absolute accuracy is what counts: the sum is
    weighed by P(wait) below 1e-6 (the largest shapes lose most, their terms' logarithms being largest)."""
    a = np.array([1.001, 1.5, 2.0, 3.7, 10.0, 55.5, 300.0, 5000.0])[:, None]
    for waits in (0.0, 1e-6, 1e-3, 0.05, 0.2, 1.0, 3.0, 50.0):
        minus_log_z = np.full((a.size, 1), waits)
        fast = floor_model._beta_upper_tails(a, 400, minus_log_z)
        np.testing.assert_allclose(fast, beta_upper_tails_by_scipy(a, 400, minus_log_z), rtol=0, atol=1e-12)
        assert np.all(np.diff(fast, axis=1) <= 0)  # a larger b moves the mass toward 0: the tail above z falls


@pytest.mark.parametrize("seed", [1, 2])
def test_the_floor_measures_with_the_recurrence_are_the_ones_with_scipys_tails(seed, monkeypatch):
    """Where a waiting help-seeker's fate is summed over the queue ahead (P(wait) below 1e-6), the measures are the
    same either way to the last place of a figure near 1: the tails' last digits vanish under so small a P(wait)."""
    load, service, staff, patience, wait = _queue_grid(seed)
    demand = FloorDemand(load * 0.4 * 60.0 / service, service, load * 0.1)
    summed = []
    by_series = floor_model._if_waited_by_series

    def counted(x, *args):
        summed.append(x.size)
        return by_series(x, *args)

    monkeypatch.setattr(floor_model, "_if_waited_by_series", counted)
    fast = floor_measures(demand, staff, patience_minutes=patience, target_wait_seconds=wait)
    monkeypatch.setattr(floor_model, "_beta_upper_tails", beta_upper_tails_by_scipy)
    slow = floor_measures(demand, staff, patience_minutes=patience, target_wait_seconds=wait)
    np.testing.assert_allclose(fast.service_level, slow.service_level, rtol=0, atol=2.3e-16)
    np.testing.assert_allclose(fast.abandon_share, slow.abandon_share, rtol=0, atol=2.3e-16)
    assert summed[0] > 100  # the grid reaches the series in many hours


def test_work_in_threads_comes_back_in_order_and_as_in_one_thread(monkeypatch):
    def slow_square(n):
        time.sleep(0.002 * (n % 3))  # later items finish first in some threads
        return n * n

    monkeypatch.setattr(threads, "thread_count", lambda: 4)
    assert list(threads.map_in_threads(slow_square, range(20))) == [n * n for n in range(20)]
    monkeypatch.setattr(threads, "thread_count", lambda: 1)
    assert list(threads.map_in_threads(slow_square, range(20))) == [n * n for n in range(20)]
    assert 1 <= threads.MAX_THREADS


def test_recommend_in_threads_gives_the_table_of_one_thread(monkeypatch):
    stores, observations = (checked.frame for checked in check_files(
        [(name, (DATA / name).read_bytes()) for name in ("stores.csv", "observations.csv")], None,
        Settings().import_rules))
    monkeypatch.setattr(pipeline, "STORES_PER_STEP", 2)
    monkeypatch.setattr(censoring, "BLOCK_LEVELS", 50)  # the censoring search in several blocks too
    monkeypatch.setattr(threads, "thread_count", lambda: 3)
    threaded = pipeline.recommend_from_frames(observations, stores, Settings())
    monkeypatch.setattr(threads, "thread_count", lambda: 1)
    pd.testing.assert_frame_equal(pipeline.recommend_from_frames(observations, stores, Settings()), threaded,
                                  check_exact=True)


def test_recommend_gives_the_same_table_in_any_step_of_stores(monkeypatch):
    stores, observations = (checked.frame for checked in check_files(
        [(name, (DATA / name).read_bytes()) for name in ("stores.csv", "observations.csv")], None,
        Settings().import_rules))
    monkeypatch.setattr(pipeline, "STORES_PER_STEP", 4)
    small_steps = pipeline.recommend_from_frames(observations, stores, Settings())
    monkeypatch.setattr(pipeline, "STORES_PER_STEP", 100)
    pd.testing.assert_frame_equal(pipeline.recommend_from_frames(observations, stores, Settings()), small_steps,
                                  check_exact=True)


def test_the_minutes_interval_inverts_each_distinct_count_once():
    customers = np.random.default_rng(8).choice([0.5, 1.0, 3.7, 20.0, 400.0], 1000)
    level = 0.9
    low, high = _mean_of_exponentials_factors(customers, level)
    tail = (1.0 - level) / 2.0
    np.testing.assert_array_equal(low, customers / gammaincinv(customers, 1.0 - tail))
    np.testing.assert_array_equal(high, customers / gammaincinv(customers, tail))


def test_the_censoring_search_in_blocks_of_cells_finds_what_one_search_finds(monkeypatch):
    rng = np.random.default_rng(9)
    cells = 400
    levels_per_cell = rng.integers(1, 6, cells)
    cell = np.repeat(np.arange(cells), levels_per_cell)
    staff = rng.uniform(0.5, 12.0, cell.size)
    weight = rng.uniform(0.1, 1.0, cell.size)
    weight /= np.bincount(cell, weight)[cell]
    served = rng.uniform(0.5, 80.0, (3, cells))
    hours = StaffedHours(cell, staff, weight)
    args = (served, served * rng.uniform(1.0, 3.0, cells), rng.uniform(2.0, 20.0, cells),
            rng.uniform(1.0, 10.0, cells))
    whole = offered_rate_behind_served(*args, hours)
    monkeypatch.setattr(censoring, "BLOCK_LEVELS", 37)
    blocks = offered_rate_behind_served(*args, hours)
    np.testing.assert_array_equal(blocks.arrivals_per_hour, whole.arrivals_per_hour)
    np.testing.assert_array_equal(blocks.capped, whole.capped)
    assert (whole.arrivals_per_hour > served).mean() > 0.5  # the search corrected most cells


# --- explanations: column-wise against one row at a time -----------------------------------------------------------

def _random_facts(seed: int, size: int = 4000) -> HourFacts:
    """Every branch of the sentences: missing, quiet, touches alone, carried-over load, comparisons, the minimum
    binding, the maximum exceeded, safety staff, borrowed shapes, ranges; numbers from 0 to hundreds, with the
    roundings' edges (9.95, 0.05, 0.1) and -0.0 among them."""
    rng = np.random.default_rng(seed)

    def some(share):
        return rng.random(size) < share

    def rates(top):
        edges = rng.choice([0.0, -0.0, 0.05, 0.1, 9.95, 10.0, 0.25, 99.5], size)
        return np.where(some(0.2), edges, np.where(some(0.2), 0.0, rng.uniform(0.0, top, size)))

    staff = rng.integers(0, 30, size)
    safety = np.where(some(0.3), rng.integers(0, 3, size), 0)
    low = np.where(some(0.1), -1, np.maximum(staff - rng.integers(0, 3, size), 0))
    return HourFacts(
        missing=some(0.05), low_confidence=some(0.3), never_counted=some(0.1),
        assisted_per_hour=rates(150.0), assisted_minutes=rates(25.0), self_service_per_hour=rates(80.0),
        touch_minutes=rates(3.0), help_load_erlangs=rates(30.0), touch_load_erlangs=rates(4.0),
        planned_load_erlangs=rates(35.0), carried_over=some(0.15), peak_hour=rng.integers(-1, 24, size),
        staff=staff, service_level=rng.choice([0.0, 0.995, 0.805, 1.0, 0.5], size) * some(0.5)
        + rng.random(size) * some(0.5), abandon_share=rates(1.0) / 10.0,
        compare_staff=np.where(some(0.5), np.maximum(staff - 1, 0), -1), compare_is_current=some(0.4),
        compare_service_level=rng.random(size), compare_abandon_share=rng.random(size) * 0.3,
        averaged=some(0.5),
        target_wait_seconds=rng.choice([0.0, 30.0, 60.0, 120.0, 45.5, 90.0], size),
        min_staff_binds=some(0.2), max_staff=np.where(some(0.5), rng.integers(0, 30, size), np.nan),
        staff_without_ceiling=np.where(some(0.2), np.maximum(staff - rng.integers(1, 4, size), 0), -1),
        max_occupancy=rng.choice([0.5, 0.85, 0.333, 0.995, 1.0], size),
        staff_low=low, staff_high=np.where(some(0.3), low, staff + rng.integers(0, 3, size)),
        safety_staff=safety, chance_met=rng.random(size), chance_met_at_mean=rng.random(size),
        asked_chance=rng.choice([0.65, 0.54, 0.9], size),
        target_service_level=rng.choice([0.8, 0.9, 0.995], size),
        max_abandon_share=rng.choice([0.05, 0.1, 0.025], size),
        one_more_service_level=rng.random(size), one_more_abandon_share=rng.random(size) * 0.1,
        observed_hours=rng.integers(0, 4, size),
        borrowed_from=rng.choice(np.array(["", "own counts", "3 other fashion stores", "the whole chain"],
                                          dtype=object), size),
    )


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_random_explanations_column_wise_are_the_row_by_row_ones(seed):
    facts = _random_facts(seed)
    sentences = explain(facts)
    assert sentences == explain_row_by_row(facts)
    for words in ("never counted and nothing nearby", "nobody is expected", "peak are still", "on the floor now",
                  "on average over what the demand could be, with",
                  "already does better", "more than the store's maximum", "one person added", "people added",
                  "this hour never counted", "this hour counted once", "borrowed from the whole chain",
                  "allow anything",
                  "are approached within a minute, below the 80% target", "give up, above the 5% target",
                  "would bring them to", "but the store takes at most"):
        assert any(words in s for s in sentences), words  # every branch is exercised



# --- the sample's table with the old paths; store-level lookups; counts typed from the database -------------------

def test_the_sample_table_with_the_paths_as_they_were_is_the_same(monkeypatch):
    """The sample's recommendation with the sentences written row by row, the targets reindexed and the shapes'
    sources looked up in Series, as before."""
    stores, observations = (checked.frame for checked in check_files(
        [(name, (DATA / name).read_bytes()) for name in ("stores.csv", "observations.csv")], None,
        Settings().import_rules))
    stores = stores.assign(target_wait_seconds=np.where(np.arange(len(stores)) % 3 == 0, 30.0, np.nan))  # overrides
    now = pipeline.recommend_from_frames(observations, stores, Settings())
    monkeypatch.setattr(recommend, "_targets", targets_by_reindexing)
    monkeypatch.setattr(demand, "borrowed_from", borrowed_from_by_series)
    monkeypatch.setattr(recommend, "explain", explain_row_by_row)
    pd.testing.assert_frame_equal(now, pipeline.recommend_from_frames(observations, stores, Settings()),
                                  check_exact=True)
    assert (now["explanation"].str.contains("within 30 seconds")).any()  # an override reached the table
    assert now["explanation"].nunique() > 0.9 * len(now)  # the sentences differ: the check has teeth


@pytest.mark.parametrize("seed", [7, 8])
def test_where_the_shape_is_borrowed_from_as_by_series_lookups(seed):
    rng = np.random.default_rng(seed)
    formats = rng.choice(["fashion", "outlet", "flagship", "kiosk"], 30, p=[0.5, 0.3, 0.15, 0.05])
    stores = pd.DataFrame({"store_id": [f"S{i:02d}" for i in range(30)], "format": formats})
    cell_store = pd.Series(rng.choice(stores["store_id"].to_numpy(), 3000), dtype="str")
    known = rng.random(3000) < np.where(cell_store.str.endswith(("1", "2")), 0.0, 0.8)  # some stores never counted
    own = rng.random(3000)
    args = (own, cell_store, stores, np.zeros(3000), known, Settings().demand)
    found = borrowed_from(*args)
    np.testing.assert_array_equal(found, borrowed_from_by_series(*args))
    assert len(set(found)) > 4  # own counts, no counts, and several formats' sentences


def test_counts_read_from_the_database_are_typed_as_by_astype(sample_db):
    engine = storage.connect(Settings(database_url=f"sqlite:///{sample_db}"))
    with engine.connect() as connection:
        raw = [pd.DataFrame(np.array(chunk, dtype=object).reshape(len(chunk), len(OBSERVATION_COLUMNS)),
                            columns=OBSERVATION_COLUMNS)
               for chunk in (connection.exec_driver_sql("SELECT " + ", ".join(OBSERVATION_COLUMNS)
                                                        + " FROM observations").fetchall(),)]
    engine.dispose()
    frame = raw[0]
    blanks = frame[O.staff_on_duty].where(np.arange(len(frame)) % 7 > 0, None)  # staff left blank: general path
    variants = [frame, frame.assign(staff_on_duty=blanks), frame.head(0),
                frame.assign(visitors=frame[O.visitors].astype(float)),  # floats, not ints: the general path
                frame.assign(hour=[str(v) for v in frame[O.hour]])]
    for variant in variants:
        pd.testing.assert_frame_equal(typed_observations(variant.copy()), typed_observations_by_astype(variant.copy()),
                                      check_exact=True)



def test_the_upper_gamma_tail_read_as_one_minus_the_lower_keeps_its_digits():
    """`_gamma_tails` takes Q(x, y) as 1 - P(x, y) up to three standard deviations above the mode (scipy's Q is
    slow for small shapes) and reads it directly beyond: against scipy's Q itself, over shapes from short patience
    (x = 0.05) to large staff (x = 300) and every y up to far in the tail, both tails agree to 1e-12 relative (Q is at
    least 2e-4 where it is 1 - P), and exactly where Q is read directly."""
    from scipy.special import gammainc, gammaincc

    from planner.queueing.erlang_a import _gamma_tails

    x = np.repeat(np.geomspace(0.05, 300.0, 60), 200)
    y = x * np.tile(np.geomspace(0.01, 8.0, 200), 60) + np.tile(np.linspace(0.0, 12.0, 200), 60)
    lower, upper = _gamma_tails(x, y)
    np.testing.assert_allclose(lower, gammainc(x, y), rtol=1e-13, atol=0.0)
    exact_upper = gammaincc(x, y)
    assert (exact_upper[upper != exact_upper] >= 2e-4).all()  # 1 - P only where Q is not small
    np.testing.assert_allclose(upper, exact_upper, rtol=1e-12, atol=0.0)


def test_the_staff_grid_is_the_one_read_off_a_pivot_table(sample_url):
    """The terminal's staff grid of `recommend --all`, built from a dict of cells, is the pivot table's on the
    sample's recommendation, and on a store with a closed hour, a blank (never counted) hour and a Sunday without
    hours, whose grid is also written out here by hand."""
    settings = Settings(database_url=sample_url)
    engine = storage.connect(settings)
    table = pipeline.recommend(engine, settings)
    engine.dispose()
    assert export.staff_grid_text(table) == staff_grid_text_by_pivot(table)
    small = pd.DataFrame({"store_id": ["S"] * 5, "weekday": [0, 0, 1, 1, 5], "hour": [9, 10, 9, 11, 10],
                          "required_staff": pd.array([2, 3, None, 12, 1], dtype="Int64")})
    assert export.staff_grid_text(small) == staff_grid_text_by_pivot(small) == "\n".join([
        "S  recommended staff (weekday x hour; ? = no counts to go on, . = closed)",
        "        9  10  11",
        "Mon     2   3   .",
        "Tue     ?   .  12",
        "Wed     .   .   .",
        "Thu     .   .   .",
        "Fri     .   .   .",
        "Sat     .   1   .",
        "Sun     .   .   .",
    ])
