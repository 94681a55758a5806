"""Straightforward versions of computations the planner now does faster, kept to test the fast paths against
(tests/test_fast_paths.py): each is the code as it was before its speed-up, or a plain search."""

from __future__ import annotations

import numpy as np

from planner.staffing.floor_model import FloorDemand, FloorTargets, meets_targets
from planner.staffing.hedge import PLAUSIBLE_DEMANDS, _scaled, quantile_factor


def chance_targets_met_every_rate(demand: FloorDemand, staff, spread: np.ndarray,
                                  targets: FloorTargets) -> np.ndarray:
    """Share of the `PLAUSIBLE_DEMANDS` rates under which `staff` meet every target, each rate evaluated."""
    levels = (np.arange(PLAUSIBLE_DEMANDS) + 0.5) / PLAUSIBLE_DEMANDS
    met = np.zeros(np.shape(spread))
    for level in levels:
        met += meets_targets(_scaled(demand, quantile_factor(spread, level)), staff, targets)
    return met / PLAUSIBLE_DEMANDS


def least_staff_step_by_step(demand: FloorDemand, targets: FloorTargets, start: np.ndarray) -> np.ndarray:
    """The least staff >= `start` meeting every target and the minimum staff, adding one person at a time."""
    staff = np.maximum(start, targets.min_staff).astype(float)
    todo = np.arange(staff.size)
    while todo.size:
        ok = meets_targets(demand.take(todo), staff[todo], targets.take(todo))
        todo = todo[~ok]
        staff[todo] += 1.0
    return staff.astype(np.int64)
