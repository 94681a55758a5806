"""Erlang B, C and A against independent truth: the 60-digit vectors in ../shared (every case, every field), a
direct birth-death sum, exact identities, minimality of required staff, and hypothesis properties."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import betainc, betaincc, logsumexp, pdtr

from planner.erlang import ErlangAResult, ErlangCResult, erlang_a, erlang_b, erlang_c, required_staff

pytestmark = pytest.mark.filterwarnings("error")  # an overflow or 0/0 inside the formulas fails the test

VECTORS_PATH = Path(__file__).resolve().parents[1].parent / "shared" / "erlang_vectors.json"
VECTORS = json.loads(VECTORS_PATH.read_text()) if VECTORS_PATH.exists() else None
NO_VECTORS = f"independent Erlang vectors not found at {VECTORS_PATH} (expected ../shared beside the project root)"

# The vectors' field name -> our result field. Erlang A's `service_level` is P(W <= t | served); the planner's
# target is `service_level_all_arrivals`, so the two are never mapped to one another.
ERLANG_C_FIELDS = {
    "offered_load_erlangs": "offered_load_erlangs", "erlang_c_stable": "stable", "erlang_c_prob_wait": "prob_wait",
    "service_level": "service_level", "asa_seconds": "mean_wait_seconds", "occupancy": "occupancy",
}
ERLANG_A_FIELDS = {
    "offered_load_erlangs": "offered_load_erlangs", "erlang_c_prob_wait": "prob_wait",
    "p_abandon": "prob_abandon", "service_level": "service_level_served",
    "service_level_all_arrivals": "service_level_all_arrivals",
    "p_offered_wait_le_t": "prob_offered_wait_within_target",
    "p_wait_le_t_incl_abandoners": "prob_wait_within_target_incl_abandoners",
    "asa_seconds": "mean_wait_served_seconds", "mean_wait_all_seconds": "mean_wait_all_seconds",
    "occupancy": "occupancy",
}
SECONDS_AND_ERLANGS = {"asa_seconds", "mean_wait_all_seconds", "offered_load_erlangs"}  # compared relatively
CHECKED_ELSEWHERE = {"erlang_c": {"model", "p_abandon"}, "erlang_a": {"model", "erlang_c_same_inputs_prob_wait"}}


def vector_params(key: str, ids) -> list:
    if VECTORS is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason=NO_VECTORS))]
    return [pytest.param(row, id=ids(row)) for row in VECTORS[key]]


def assert_matches(name: str, got, expected) -> None:
    """Within the file's suggested_tolerances; an expected null is an infinite wait (unstable Erlang C)."""
    tolerance = VECTORS["suggested_tolerances"]
    got = got.item()
    if expected is None:
        assert got == math.inf, f"{name}: expected infinite, got {got!r}"
    elif isinstance(expected, bool):
        assert got is expected, f"{name}: expected {expected}, got {got!r}"
    elif name in SECONDS_AND_ERLANGS:
        assert got == pytest.approx(expected, rel=tolerance["asa_rel"], abs=0.0), name
    else:
        assert got == pytest.approx(expected, rel=0.0, abs=tolerance["probabilities_abs"]), name
        if 0 < abs(expected) < 1e-6:
            assert got == pytest.approx(expected, rel=tolerance["probabilities_rel_when_below_1e-6"]), name


@pytest.mark.parametrize("case", vector_params("cases", lambda case: case["id"]))
def test_every_vector_case(case):
    given_, expected = case["inputs"], case["expected"]
    common = dict(arrivals_per_hour=given_["lambda_per_hour"], service_minutes=given_["service_minutes"],
                  staff=given_["servers"], target_wait_seconds=given_["target_seconds"])
    same_erlang_c = erlang_c(**common)
    if expected["model"] == "erlang_c":
        assert given_["patience_minutes"] is None
        result, fields = same_erlang_c, ERLANG_C_FIELDS
        assert expected["p_abandon"] is None  # nobody abandons in Erlang C: there is no such field to compare
    else:
        assert expected["model"] == "erlang_a"
        result, fields = erlang_a(**common, patience_minutes=given_["patience_minutes"]), ERLANG_A_FIELDS
        c_wait = expected["erlang_c_same_inputs_prob_wait"]
        assert bool(same_erlang_c.stable) is (c_wait is not None)  # null: Erlang C is unstable for these inputs
        assert_matches("erlang_c_same_inputs_prob_wait", same_erlang_c.prob_wait, 1.0 if c_wait is None else c_wait)
    assert set(expected) == set(fields) | CHECKED_ELSEWHERE[expected["model"]], "a field this test does not check"
    for name, field in fields.items():
        assert_matches(name, getattr(result, field), expected[name])


@pytest.mark.parametrize("row", vector_params(
    "min_servers_80pct_within_60s", lambda row: f"C-{row['lambda_per_hour']}x{row['service_minutes']}"))
def test_erlang_c_minimum_staff_rows(row):
    inputs = dict(arrivals_per_hour=row["lambda_per_hour"], service_minutes=row["service_minutes"])
    staff = required_staff(**inputs, target_service_level=row["target_service_level"],
                           target_wait_seconds=row["target_seconds"])
    assert staff == row["min_servers"]
    at_min = erlang_c(**inputs, staff=staff, target_wait_seconds=row["target_seconds"])
    below = erlang_c(**inputs, staff=staff - 1, target_wait_seconds=row["target_seconds"])
    assert_matches("offered_load_erlangs", at_min.offered_load_erlangs, row["offered_load_erlangs"])
    assert_matches("service_level_at_min", at_min.service_level, row["service_level_at_min"])
    if row["service_level_at_min_minus_1"] is None:  # the file's note: min-1 servers would be unstable
        assert not below.stable and below.service_level == 0.0
    else:
        assert_matches("service_level_at_min_minus_1", below.service_level, row["service_level_at_min_minus_1"])
        assert below.service_level < row["target_service_level"]


@pytest.mark.parametrize("row", vector_params(
    "min_servers_80pct_within_60s_erlang_a", lambda row: f"A-{row['lambda_per_hour']}x{row['service_minutes']}"))
def test_erlang_a_minimum_staff_rows(row):
    inputs = dict(arrivals_per_hour=row["lambda_per_hour"], service_minutes=row["service_minutes"],
                  patience_minutes=row["patience_minutes"])
    target, wait = row["target_service_level"], row["target_seconds"]
    staff = required_staff(**inputs, target_service_level=target, target_wait_seconds=wait)
    assert staff == row["min_servers_service_level_all_arrivals"]  # the planner's target counts every arrival
    # the served-only minimum, by scanning every staff count up to it
    scan = erlang_a(**inputs, staff=np.arange(1, staff + 1), target_wait_seconds=wait)
    served_only = 1 + int(np.argmax(scan.service_level_served >= target))
    assert served_only == row["min_servers_service_level"]
    assert_matches("offered_load_erlangs", scan.offered_load_erlangs[0], row["offered_load_erlangs"])
    assert_matches("p_abandon_at_min_service_level", scan.prob_abandon[served_only - 1],
                   row["p_abandon_at_min_service_level"])
    assert_matches("p_abandon_at_min_service_level_all_arrivals", scan.prob_abandon[-1],
                   row["p_abandon_at_min_service_level_all_arrivals"])
    assert scan.service_level_all_arrivals[-1] >= target > scan.service_level_all_arrivals[-2]


# --- identities and independent computations --------------------------------------------------------------------

@given(load=st.floats(0.001, 0.999))
def test_mm1_probability_of_waiting_is_the_load(load):
    result = erlang_c(arrivals_per_hour=load * 60.0, service_minutes=1.0, staff=1, target_wait_seconds=30.0)
    assert result.prob_wait == pytest.approx(load, rel=1e-12)
    assert result.mean_wait_seconds == pytest.approx(60.0 * load / (1.0 - load), rel=1e-12)  # ρ/(μ - λ)


@given(staff=st.integers(0, 200), load=st.floats(0.0, 300.0))
def test_erlang_b_matches_its_recursion(staff, load):
    blocking = 1.0
    for k in range(1, staff + 1):
        blocking = load * blocking / (k + load * blocking)
    assert erlang_b(staff, load) == pytest.approx(blocking, rel=1e-11, abs=1e-300)


@given(staff=st.integers(1, 60), load=st.floats(0.01, 60.0), target_wait_seconds=st.floats(0.0, 600.0))
def test_patience_equal_to_service_gives_a_poisson_queue(staff, load, target_wait_seconds):
    """θ = μ makes every customer leave at rate μ whether served or not: N ~ Poisson(a), so P(W > 0) = P(N >= n)."""
    result = erlang_a(arrivals_per_hour=load * 6.0, service_minutes=10.0, staff=staff, patience_minutes=10.0,
                      target_wait_seconds=target_wait_seconds)
    assert result.prob_wait == pytest.approx(1.0 - pdtr(staff - 1, load), abs=1e-12)
    assert result.mean_wait_all_seconds == pytest.approx(result.prob_abandon * 600.0, rel=1e-12)


def birth_death_erlang_a(arrivals_per_hour, service_minutes, staff, patience_minutes, target_wait_seconds):
    """Erlang A by brute force: the stationary birth-death distribution (log space, truncated far out), and for an
    arrival finding j waiting ahead an offered wait V = -ln(U)/θ with U ~ Beta(x, j+1), x = nμ/θ."""
    lam, mu, theta = arrivals_per_hour / 60.0, 1.0 / service_minutes, 1.0 / patience_minutes
    queue = np.arange(int(lam / theta + 40.0 * math.sqrt(lam / theta + 1.0)) + 200)
    rates = np.concatenate([np.arange(1, staff + 1) * mu, staff * mu + (queue[1:]) * theta])
    log_p = np.concatenate([[0.0], np.cumsum(math.log(lam) - np.log(rates))])
    p = np.exp(log_p - logsumexp(log_p))
    waiting, x, z = p[staff:], staff * mu / theta, math.exp(-theta * target_wait_seconds / 60.0)
    j = queue[: waiting.size]
    served_in_time = np.sum(waiting * x / (x + j + 1) * betaincc(x + 1, j + 1, z))  # E[e^-θV; V <= t]
    served = np.sum(waiting * x / (x + j + 1))
    return dict(prob_wait=waiting.sum(), prob_abandon=waiting.sum() - served,
                service_level_all_arrivals=1.0 - waiting.sum() + served_in_time,
                prob_offered_wait_within_target=1.0 - np.sum(waiting * betainc(x, j + 1, z)))


@settings(max_examples=40, deadline=None)
@given(arrivals_per_hour=st.floats(0.5, 600.0), service_minutes=st.floats(0.5, 30.0), staff=st.integers(1, 40),
       patience_minutes=st.floats(0.2, 60.0), target_wait_seconds=st.floats(0.0, 600.0))
def test_erlang_a_matches_a_birth_death_sum(arrivals_per_hour, service_minutes, staff, patience_minutes,
                                           target_wait_seconds):
    result = erlang_a(arrivals_per_hour, service_minutes, staff, patience_minutes=patience_minutes,
                      target_wait_seconds=target_wait_seconds)
    for field, value in birth_death_erlang_a(arrivals_per_hour, service_minutes, staff, patience_minutes,
                                             target_wait_seconds).items():
        assert getattr(result, field) == pytest.approx(value, abs=1e-10), field


def test_huge_patience_converges_to_erlang_c():
    common = dict(arrivals_per_hour=30.0, service_minutes=10.0, staff=6, target_wait_seconds=60.0)
    patient = erlang_a(**common, patience_minutes=1e9)
    c = erlang_c(**common)
    assert patient.prob_wait == pytest.approx(c.prob_wait, rel=1e-6)
    assert patient.service_level_all_arrivals == pytest.approx(c.service_level, rel=1e-6)
    assert patient.mean_wait_served_seconds == pytest.approx(c.mean_wait_seconds, rel=1e-6)


def test_large_systems_stay_finite():
    staff = np.array([1, 10, 100, 1000, 4000, 4999, 5000, 5001, 5080, 6000, 10_000])
    load = 5000.0
    c = erlang_c(arrivals_per_hour=load * 12.0, service_minutes=5.0, staff=staff, target_wait_seconds=20.0)
    a = erlang_a(arrivals_per_hour=load * 12.0, service_minutes=5.0, staff=staff[:, None],
                 patience_minutes=np.array([0.01, 3.0, 1e4]), target_wait_seconds=20.0)
    assert_probabilities(c)
    assert_probabilities(a)
    assert np.all(np.diff(c.service_level) >= 0) and np.all(np.diff(a.service_level_all_arrivals, axis=0) >= 0)
    assert erlang_b(10_000, 5000.0) < 1e-300 and 0.0 < erlang_b(10, 5000.0) < 1.0


# --- required_staff: minimality and behaviour --------------------------------------------------------------------

def meets_targets(arrivals_per_hour, service_minutes, staff, patience_minutes, target_service_level,
                  target_wait_seconds, max_abandon_share, max_occupancy):
    if patience_minutes is None:
        c = erlang_c(arrivals_per_hour, service_minutes, staff, target_wait_seconds=target_wait_seconds)
        return c.stable & (c.service_level >= target_service_level) & (c.occupancy <= max_occupancy)
    a = erlang_a(arrivals_per_hour, service_minutes, staff, patience_minutes=patience_minutes,
                 target_wait_seconds=target_wait_seconds)
    return ((a.service_level_all_arrivals >= target_service_level) & (a.prob_abandon <= max_abandon_share)
            & (a.occupancy <= max_occupancy))


@settings(max_examples=60, deadline=None)
@given(arrivals_per_hour=st.floats(0.01, 3000.0), service_minutes=st.floats(0.5, 45.0),
       patience_minutes=st.one_of(st.none(), st.floats(0.1, 60.0)), target_service_level=st.floats(0.05, 0.99),
       target_wait_seconds=st.floats(0.0, 600.0), max_abandon_share=st.floats(0.005, 0.5),
       max_occupancy=st.floats(0.3, 1.0), min_staff=st.integers(0, 5))
def test_required_staff_is_the_least_that_meets_every_target(arrivals_per_hour, service_minutes, patience_minutes,
                                                           target_service_level, target_wait_seconds,
                                                           max_abandon_share, max_occupancy, min_staff):
    targets = dict(target_service_level=target_service_level, target_wait_seconds=target_wait_seconds,
                   max_abandon_share=max_abandon_share, max_occupancy=max_occupancy)
    staff = int(required_staff(arrivals_per_hour, service_minutes, patience_minutes=patience_minutes,
                               min_staff=min_staff, **targets))
    assert staff >= min_staff
    assert meets_targets(arrivals_per_hour, service_minutes, staff, patience_minutes, **targets)
    if staff > min_staff:
        assert not meets_targets(arrivals_per_hour, service_minutes, staff - 1, patience_minutes, **targets)


def test_vectorised_answers_equal_one_interval_at_a_time():
    rng = np.random.default_rng(7)
    arrivals, service = rng.uniform(0.0, 300.0, 60), rng.uniform(2.0, 25.0, 60)
    arrivals[:3] = 0.0
    for patience in (None, 5.0):
        together = required_staff(arrivals, service, target_service_level=0.8, target_wait_seconds=60.0,
                                  patience_minutes=patience, max_abandon_share=0.05, min_staff=1)
        alone = [required_staff(lam, s, target_service_level=0.8, target_wait_seconds=60.0,
                                patience_minutes=patience, max_abandon_share=0.05, min_staff=1)
                 for lam, s in zip(arrivals, service)]
        assert together.dtype == np.int64 and together.tolist() == [int(n) for n in alone]
        assert together[:3].tolist() == [1, 1, 1]  # no arrivals: min_staff


def test_patience_per_interval_mixes_erlang_c_and_erlang_a():
    patience = np.array([np.inf, 5.0, np.inf, 0.5])
    mixed = required_staff(120.0, 10.0, target_service_level=0.8, target_wait_seconds=60.0,
                           patience_minutes=patience)
    c = required_staff(120.0, 10.0, target_service_level=0.8, target_wait_seconds=60.0)
    a = required_staff(120.0, 10.0, target_service_level=0.8, target_wait_seconds=60.0, patience_minutes=[5.0, 0.5])
    assert mixed.tolist() == [c, a[0], c, a[1]]


monotone_inputs = dict(arrivals_per_hour=st.floats(0.0, 400.0), service_minutes=st.floats(0.5, 30.0),
                       target_wait_seconds=st.floats(0.0, 300.0),
                       patience_minutes=st.one_of(st.none(), st.floats(0.5, 30.0)), scale=st.floats(1.0, 3.0))


def staff_for(arrivals_per_hour, service_minutes, target_wait_seconds, patience_minutes):
    return int(required_staff(arrivals_per_hour, service_minutes, target_service_level=0.8,
                              target_wait_seconds=target_wait_seconds, patience_minutes=patience_minutes,
                              max_abandon_share=None if patience_minutes is None else 0.05))


@settings(max_examples=60, deadline=None)
@given(**monotone_inputs)
def test_required_staff_never_falls_as_demand_rises_or_the_wait_shortens(arrivals_per_hour, service_minutes,
                                                                        target_wait_seconds, patience_minutes, scale):
    base = staff_for(arrivals_per_hour, service_minutes, target_wait_seconds, patience_minutes)
    assert staff_for(arrivals_per_hour * scale, service_minutes, target_wait_seconds, patience_minutes) >= base
    assert staff_for(arrivals_per_hour, service_minutes * scale, target_wait_seconds, patience_minutes) >= base
    assert staff_for(arrivals_per_hour, service_minutes, target_wait_seconds / scale, patience_minutes) >= base


@settings(max_examples=60, deadline=None)
@given(arrivals_per_hour=st.floats(0.0, 2000.0), service_minutes=st.floats(0.1, 60.0),
       patience_minutes=st.floats(0.01, 1000.0), target_wait_seconds=st.floats(0.0, 3600.0))
def test_service_never_worsens_as_staff_rise_and_probabilities_stay_in_range(arrivals_per_hour, service_minutes,
                                                                            patience_minutes, target_wait_seconds):
    staff = np.arange(0, int(arrivals_per_hour * service_minutes / 60.0 * 1.5) + 5)
    c = erlang_c(arrivals_per_hour, service_minutes, staff, target_wait_seconds=target_wait_seconds)
    a = erlang_a(arrivals_per_hour, service_minutes, staff, patience_minutes=patience_minutes,
                 target_wait_seconds=target_wait_seconds)
    assert_probabilities(c)
    assert_probabilities(a)
    slack = 1e-12  # rounding
    assert np.all(np.diff(c.service_level) >= -slack) and np.all(np.diff(c.prob_wait) <= slack)
    assert np.all(np.diff(a.service_level_all_arrivals) >= -slack) and np.all(np.diff(a.prob_abandon) <= slack)
    assert np.all(np.diff(a.occupancy) <= slack)


def assert_probabilities(result) -> None:
    probabilities = ("prob_wait", "service_level", "prob_abandon", "service_level_all_arrivals",
                     "service_level_served", "prob_offered_wait_within_target",
                     "prob_wait_within_target_incl_abandoners")
    for field in result.__dataclass_fields__:
        value = getattr(result, field)
        assert not np.any(np.isnan(value)), field
        if field in probabilities:
            assert np.all((value >= 0.0) & (value <= 1.0)), field
        elif field != "stable":
            assert np.all(value >= 0.0), field


@given(service_minutes=st.floats(0.1, 60.0), min_staff=st.integers(0, 20),
       patience_minutes=st.one_of(st.none(), st.floats(0.1, 60.0)))
def test_zero_arrivals_need_only_min_staff(service_minutes, min_staff, patience_minutes):
    staff = required_staff(0.0, service_minutes, target_service_level=0.9, target_wait_seconds=20.0,
                           patience_minutes=patience_minutes, min_staff=min_staff)
    assert staff == min_staff
    quiet = erlang_c(0.0, service_minutes, [0, 1], target_wait_seconds=20.0)
    assert quiet.stable.all() and (quiet.prob_wait == 0).all() and (quiet.service_level == 1).all()


def test_unstable_erlang_c_is_flagged_never_nan():
    result = erlang_c(arrivals_per_hour=[60.0, 90.0, 60.0], service_minutes=10.0, staff=[10, 12, 0],
                      target_wait_seconds=60.0)
    assert result.stable.tolist() == [False, False, False]
    assert result.prob_wait.tolist() == [1.0, 1.0, 1.0] and result.service_level.tolist() == [0.0, 0.0, 0.0]
    assert np.isinf(result.mean_wait_seconds).all()
    assert result.occupancy.tolist() == [1.0, 1.25, math.inf]  # a/n: the overload factor


def test_results_are_immutable_records():
    c = erlang_c(30.0, 10.0, [6, 7], target_wait_seconds=60.0)
    a = erlang_a(30.0, 10.0, [6, 7], patience_minutes=5.0, target_wait_seconds=60.0)
    assert isinstance(c, ErlangCResult) and isinstance(a, ErlangAResult)
    with pytest.raises(ValueError):
        c.prob_wait[0] = 0.0
    with pytest.raises(AttributeError):
        a.prob_abandon = None


@pytest.mark.parametrize("bad, message", [
    (dict(arrivals_per_hour=-1.0), "arrivals_per_hour"),
    (dict(arrivals_per_hour=math.nan), "arrivals_per_hour"),
    (dict(service_minutes=0.0), "service_minutes"),
    (dict(service_minutes=-3.0), "service_minutes"),
    (dict(target_service_level=0.0), "target_service_level"),
    (dict(target_service_level=1.0), "target_service_level"),
    (dict(target_service_level=1.2), "target_service_level"),
    (dict(target_wait_seconds=-5.0), "target_wait_seconds"),
    (dict(patience_minutes=0.0), "patience_minutes"),
    (dict(max_abandon_share=1.0), "max_abandon_share"),
    (dict(max_occupancy=0.0), "max_occupancy"),
    (dict(min_staff=1.5), "min_staff"),
])
def test_required_staff_rejects_bad_inputs_with_a_clear_message(bad, message):
    arguments = dict(arrivals_per_hour=100.0, service_minutes=5.0, target_service_level=0.8,
                     target_wait_seconds=60.0) | bad
    with pytest.raises(ValueError, match=message):
        required_staff(**arguments)


def test_measures_reject_fractional_staff():
    with pytest.raises(ValueError, match="staff"):
        erlang_c(100.0, 5.0, 2.5, target_wait_seconds=60.0)
    with pytest.raises(ValueError, match="patience_minutes"):
        erlang_a(100.0, 5.0, 3, patience_minutes=math.inf, target_wait_seconds=60.0)
