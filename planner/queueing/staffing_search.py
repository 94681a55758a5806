"""The least staff meeting every service target, for many intervals at once.

Public: `required_staff`. Symbols and units: see the `planner.queueing` docstring. All intervals are searched
together with numpy masks, and only the unfinished ones are carried from one step to the next.
"""

from __future__ import annotations

import numpy as np

from planner.queueing.arrays import finite, whole_numbers
from planner.queueing.erlang_a import PalmQueue
from planner.queueing.erlang_b_c import NEGLIGIBLE_LOAD_ERLANGS, loss_odds, offered_load_erlangs


def required_staff(arrivals_per_hour, service_minutes, *, target_service_level, target_wait_seconds,
                   patience_minutes=None, max_abandon_share=None, max_occupancy=None, min_staff=0) -> np.ndarray:
    """The least staff of each interval meeting every given target at once (int64, the broadcast shape).

    Targets: service level >= target_service_level within t (Erlang A: over all arrivals, abandoners failing);
    P(Ab) <= max_abandon_share; occupancy <= max_occupancy; staff >= min_staff. Without patience (None, or inf
    for an interval) the model is Erlang C, where staff must also exceed the offered load. Intervals without
    arrivals (an offered load of at most 1e-100 Erlangs) get min_staff.
    """
    lam, service, patience, target, wait, abandon, occupancy, floor = np.broadcast_arrays(
        finite("arrivals_per_hour", arrivals_per_hour, low=0.0),
        finite("service_minutes", service_minutes, low=0.0, low_open=True),
        finite("patience_minutes", np.inf if patience_minutes is None else patience_minutes, low=0.0,
               low_open=True, allow_inf=True),
        finite("target_service_level", target_service_level, low=0.0, low_open=True, high=1.0, high_open=True),
        finite("target_wait_seconds", target_wait_seconds, low=0.0),
        finite("max_abandon_share", 1.0 if max_abandon_share is None else max_abandon_share,
               low=0.0, low_open=True, high=1.0, high_open=max_abandon_share is not None),
        finite("max_occupancy", 1.0 if max_occupancy is None else max_occupancy, low=0.0, low_open=True, high=1.0),
        whole_numbers("min_staff", min_staff),
    )
    load = offered_load_erlangs(lam, service)
    staff = floor.astype(np.int64)  # the answer without arrivals
    arrivals = load > NEGLIGIBLE_LOAD_ERLANGS
    patient = arrivals & np.isinf(patience)
    staff[patient] = _least_staff_erlang_c(
        load[patient], service[patient], wait[patient], target[patient], occupancy[patient], floor[patient])
    impatient = arrivals & ~np.isinf(patience)
    staff[impatient] = _least_staff_erlang_a(
        load[impatient], service[impatient], patience[impatient], wait[impatient], target[impatient],
        abandon[impatient], occupancy[impatient], floor[impatient])
    return staff


def _least_staff_erlang_c(load, service, wait, target, max_occupancy, floor):
    """Step every interval up from its lower bound (n > a, and a/n <= max_occupancy) together, with the Erlang B
    recursion B(n+1) = a B / (n + 1 + a B): one special-function call in all. Finished intervals are dropped once
    they are half of those carried along."""
    staff = np.maximum(np.maximum(floor, np.floor(load) + 1.0), np.ceil(load / max_occupancy) - 1.0)
    blocking = 1.0 / (1.0 + loss_odds(staff, load))
    decay = wait / (60.0 * service)  # (nμ - λ) t = (n - a) * decay
    out, todo, done = np.empty(load.shape, dtype=np.int64), np.arange(load.size), np.zeros(load.size, dtype=bool)
    while todo.size:
        spare = staff - load
        prob_wait = staff * blocking / (spare + load * blocking)  # C = nB / (n - a + aB)
        ok = (1.0 - prob_wait * np.exp(-spare * decay) >= target) & (load / staff <= max_occupancy) & ~done
        out[todo[ok]] = staff[ok]
        done |= ok
        if 2 * np.count_nonzero(done) >= done.size:
            keep = ~done
            todo, staff, blocking, load, decay, target, max_occupancy, done = (
                v[keep] for v in (todo, staff, blocking, load, decay, target, max_occupancy, done))
        staff = staff + 1.0
        blocking = load * blocking / (staff + load * blocking)
    return out


def _least_staff_erlang_a(load, service, patience, wait, target, max_abandon, max_occupancy, floor):
    """Bisect all intervals together between a bound no answer lies below (the service level and the served share
    are at most n/a, as occupancy is at most 1) and one that meets every target (Erlang C's answer, raised while
    it does not)."""
    def meets(idx, staff):
        q = PalmQueue(load[idx], staff, patience[idx] / service[idx], wait[idx] / (60.0 * patience[idx]))
        occupancy = load[idx] * (1.0 - q.prob_abandon) / staff
        return ((q.service_level_all_arrivals >= target[idx]) & (q.prob_abandon <= max_abandon[idx])
                & (occupancy <= max_occupancy[idx]))

    served_bound = np.maximum(np.ceil(load * target), np.ceil(load * (1.0 - max_abandon))) - 1.0
    low = np.maximum(np.maximum(floor, served_bound), 1.0)  # with arrivals, no staff serves nobody
    high = _least_staff_erlang_c(load, service, wait, target, max_occupancy, low).astype(float)
    # with patience of minutes, Erlang C's answer is mostly Erlang A's or one above it: probing one below first
    # saved a fifth of the evaluations on store-hours (and cost a tenth more on loads drawn at random)
    return least_staff_meeting(meets, low, high, step=np.maximum(np.ceil(np.sqrt(load)), 1.0), guess_is_close=True)


def least_staff_meeting(meets, low: np.ndarray, high: np.ndarray, step: np.ndarray, *,
                        guess_is_close: bool = False) -> np.ndarray:
    """The least whole staff n >= low of each interval with `meets(indices, n)` true, for a `meets` that stays true
    once true (more staff never serve worse). `high` is a first guess: raised by doubling steps until it meets,
    then [low, high] is bisected, all intervals together. With `guess_is_close` (a guess that is usually the answer
    itself), one below it is tried before bisecting: one evaluation instead of about two. Arrays are float; the
    answer is int64."""
    low, high, step = low.astype(float), high.astype(float), step.astype(float)
    todo = np.arange(high.size)
    while todo.size:  # raise the upper end until it meets every target
        short = todo[~meets(todo, high[todo])]
        low[short] = high[short] + 1.0
        high[short] += step[short]
        step[short] *= 2.0
        todo = short
    todo = np.flatnonzero(low < high)
    if guess_is_close and todo.size:  # one below the answer misses: that settles the interval
        below = high[todo] - 1.0
        ok = meets(todo, below)
        high[todo[ok]] = below[ok]
        low[todo[~ok]] = high[todo[~ok]]
        todo = todo[low[todo] < high[todo]]
    while todo.size:  # the least staff in [low, high] meeting every target
        mid = np.floor((low[todo] + high[todo]) / 2.0)
        ok = meets(todo, mid)
        high[todo[ok]] = mid[ok]
        low[todo[~ok]] = mid[~ok] + 1.0
        todo = todo[low[todo] < high[todo]]
    return high.astype(np.int64)
