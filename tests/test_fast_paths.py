"""The planner's fast paths give exactly what the straightforward computations give, on the same inputs.

Each optimisation of a hot path (fewer Erlang A measures, fewer evaluations in a search) is checked here against
the computation it replaces: the full `erlang_a`, or a reference implementation kept in `tests/reference_paths.py`
as the code was before. Equality is exact: the speed-ups change how a figure is computed, never the figure.
"""

from __future__ import annotations

import numpy as np
import pytest

from planner.queueing import erlang_a, erlang_a_outcome, erlang_a_probabilities


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


def test_erlang_a_outcome_checks_its_arguments():
    with pytest.raises(ValueError, match="patience_minutes"):
        erlang_a_outcome(10.0, 5.0, 2, patience_minutes=0.0)
