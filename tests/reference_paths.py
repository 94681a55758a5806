"""Straightforward versions of computations the planner now does faster, kept to test the fast paths against
(tests/test_fast_paths.py): each is the code as it was before its speed-up, or a plain search."""

from __future__ import annotations

import numpy as np

from planner.staffing.explain import (
    HourFacts,
    _minutes,
    _percent,
    _rate,
    _share,
    _tenths,
    _within,
)
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


def explain_row_by_row(facts: HourFacts) -> list[str]:
    """The sentences as `planner.staffing.explain` wrote them before it worked column-wise: one row at a time."""
    return [_sentence(row) for row in _rows(facts)]


def _rows(facts: HourFacts):
    """Each row of `facts` as a dict of Python scalars."""
    names = list(HourFacts.__dataclass_fields__)
    columns = [getattr(facts, name).tolist() for name in names]
    for values in zip(*columns, strict=True):
        yield dict(zip(names, values, strict=True))


def _sentence(f: dict) -> str:
    if f["missing"]:
        return ("This hour was never counted and nothing nearby could be borrowed, so there is no recommendation: "
                "count it once to get one.")
    prefix = ("Never counted, borrowed from nearby hours and similar days: " if f["never_counted"]
              else "Few counts: " if f["low_confidence"] else "")
    staff, wait = int(f["staff"]), f["target_wait_seconds"]
    helped, touched = f["help_load_erlangs"] > 0, f["touch_load_erlangs"] > 0
    if not helped and not touched and not f["carried_over"]:
        body = ("no customers are expected to need a salesperson in this hour"
                + (f"; {staff} on the floor is the store's minimum" if staff else ""))
        return _finish(prefix, body, f)
    touches = (f"{_rate(f['self_service_per_hour'])} self-service customers need touches of "
               f"{_minutes(f['touch_minutes'])} minutes")
    if not helped and not f["carried_over"]:
        body = (f"nobody is expected to ask for help, but {touches}, which keeps "
                f"{f['touch_load_erlangs']:.1f} salespeople busy; {staff} keep up with them")
        return _finish(prefix, body, f)
    load = f["help_load_erlangs"] + f["touch_load_erlangs"]
    if helped:
        body = (f"{_rate(f['assisted_per_hour'])} customers an hour want help for about "
                f"{_minutes(f['assisted_minutes'])} minutes each")
    else:
        body = "no new customers are expected to ask for help"
    if touched:
        body += f" and {touches}, which together keep {load:.1f} salespeople busy"
    elif helped:
        body += f", which keeps {load:.1f} salespeople busy"
    if f["carried_over"]:
        body += (f"; customers from the {f['peak_hour']:02d}:00 peak are still being served, so staff are set for "
                 f"{f['planned_load_erlangs']:.1f} busy")
    if f["compare_staff"] >= 0:
        who = f"the {f['compare_staff']} on the floor now" if f["compare_is_current"] else f"{f['compare_staff']}"
        body += (f"; with {who}, {_percent(1.0 - f['compare_service_level'])} would not be approached "
                 f"{_within(wait)} and {_share(f['compare_abandon_share'])} would give up")
    outcome = f"{_percent(f['service_level'])} are approached {_within(wait)} and {_share(f['abandon_share'])} give up"
    if f["min_staff_binds"]:
        body += f"; the store's minimum of {staff} already does better than the target: {outcome}"
    else:
        body += f"; with {staff}, {outcome}"
    return _finish(prefix, body, f)


def _finish(prefix: str, body: str, f: dict) -> str:
    if not np.isnan(f["max_staff"]) and f["staff"] > f["max_staff"]:
        body += f", more than the store's maximum of {int(f['max_staff'])} staff"
    if f["safety_staff"] > 0:
        added = "one person" if f["safety_staff"] == 1 else f"{f['safety_staff']} people"
        body += (f"; {added} added for safety, as the counts leave the demand uncertain: with "
                 f"{f['staff'] - f['safety_staff']} the targets are met in {_tenths(f['chance_met_at_mean'])} of 10 "
                 f"plausible demands, with {f['staff']} in {_tenths(f['chance_met'])}")
    if f["borrowed_from"] and f["borrowed_from"] != "own counts":
        counted = f["observed_hours"]
        times = "never" if counted == 0 else "once" if counted == 1 else f"{counted} times"
        body += f" (this hour counted {times}; its shape over the day borrowed from {f['borrowed_from']})"
    if f["low_confidence"] and f["staff_low"] >= 0 and f["staff_low"] != f["staff_high"]:
        body += f" (the counts allow anything from {f['staff_low']} to {f['staff_high']})"
    text = prefix + body + "."
    return text[0].upper() + text[1:]
