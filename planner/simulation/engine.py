"""The compiled event loop: one FCFS queue, a roster that changes by the minute, many replications in one call.

Public: `run_replications`, `HourlyCounts`. Time is in minutes from the start of the simulated span; hour h is
[60h, 60h + 60). An hour the store is open for part of (the 09:00 of an opening at 09:30) has its arrivals in its
open minutes only, at its rate (customers per open hour). Everything a replication draws comes from numba's generator, seeded with that replication's own
seed at its start, so replication r gives the same week whatever the number of replications around it.

The loop keeps only three kinds of event: the next arrival, the next roster change and the next end of service.
Abandonment needs no event of its own: under FCFS a waiting customer's fate is settled when a member of staff
would take them; if their patience ran out before that moment they gave up at arrival + patience (their wait is
their patience). Customers join the queue in arrival order, so the queue is the range of arrivals between the next
to be taken and the next to arrive, and needs no data structure.

Roster changes: at a rise, the new staff take the next customers at once. At a fall, nobody is interrupted: a
member of staff leaving finishes the customer in hand, and staff free up without taking anyone until the number
busy is below the new roster. So customers in service never exceed the roster, except those being finished.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

MINUTES_PER_HOUR = 60.0
HELP, TOUCH = 0, 1


@dataclass(frozen=True)
class HourlyCounts:
    """Per replication x hour (rows x columns), customers counted in the hour they arrived; busy staff-minutes in
    the hour they were worked."""

    help_seekers: np.ndarray
    served_within_target: np.ndarray
    abandoned: np.ndarray
    wait_minutes: np.ndarray
    """Sum over the hour's help-seekers of their wait until served or until they gave up."""
    touches: np.ndarray
    busy_staff_minutes: np.ndarray
    """Staff-minutes spent serving (help-seekers and touches) within the hour."""


def run_replications(
    seeds: np.ndarray, help_rate_per_hour: np.ndarray, touch_rate_per_hour: np.ndarray, help_minutes: np.ndarray,
    touch_minutes: np.ndarray, *, lognormal: bool, service_cv: float, patience_minutes: float | np.ndarray,
    target_wait_minutes: float, change_minutes: np.ndarray, change_staff: np.ndarray,
    open_part: tuple[np.ndarray, np.ndarray] | None = None,
) -> HourlyCounts:
    """Simulate `seeds.size` replications. Rates are (replications x hours); mean service minutes and mean
    patience (one value, or one per hour) per hour of arrival; the roster is `change_staff[i]` from
    `change_minutes[i]` on (`change_minutes[0]` = 0). A help-seeker's patience is the hour's mean times a unit
    exponential draw, so runs with the same seeds and other patiences share every draw (common random numbers).
    `open_part`: per hour, where its open minutes start and how many there are, each as a share of the hour ((0.5,
    0.5) for the 09:00 of an opening at 09:30); None: every hour open whole."""
    hours = help_rate_per_hour.shape[1]
    patience = np.broadcast_to(np.asarray(patience_minutes, np.float64), (hours,))
    start, share = (np.zeros(hours), np.ones(hours)) if open_part is None else open_part
    sigma = float(np.sqrt(np.log1p(service_cv**2))) if lognormal else 0.0
    out = _replications(
        seeds.astype(np.int64), np.ascontiguousarray(help_rate_per_hour, np.float64),
        np.ascontiguousarray(touch_rate_per_hour, np.float64), np.ascontiguousarray(help_minutes, np.float64),
        np.ascontiguousarray(touch_minutes, np.float64), lognormal, sigma, np.ascontiguousarray(patience),
        float(target_wait_minutes), np.ascontiguousarray(change_minutes, np.float64),
        np.ascontiguousarray(change_staff, np.int64), np.ascontiguousarray(np.broadcast_to(start, (hours,)), np.float64),
        np.ascontiguousarray(np.broadcast_to(share, (hours,)), np.float64),
    )
    return HourlyCounts(*out)


@numba.njit(cache=True)
def _service_minutes(mean, lognormal, sigma):
    if mean <= 0.0:
        return 0.0
    if lognormal:
        return np.random.lognormal(np.log(mean) - 0.5 * sigma * sigma, sigma)
    return np.random.exponential(mean)


@numba.njit(cache=True)
def _add_busy(busy, r, start, length):
    """Spread [start, start + length) over the hour bins it touches (past the last hour: dropped)."""
    hours = busy.shape[1]
    end = start + length
    h = int(start // MINUTES_PER_HOUR)
    while h < hours and h * MINUTES_PER_HOUR < end:
        lo = max(start, h * MINUTES_PER_HOUR)
        hi = min(end, (h + 1) * MINUTES_PER_HOUR)
        if hi > lo:
            busy[r, h] += hi - lo
        h += 1


@numba.njit(cache=True)
def _replications(seeds, help_rate, touch_rate, help_minutes, touch_minutes, lognormal, sigma, patience,
                  target_wait, change_minutes, change_staff, open_start, open_share):
    reps, hours = help_rate.shape
    help_n = np.zeros((reps, hours), np.int64)
    within = np.zeros((reps, hours), np.int64)
    abandoned = np.zeros((reps, hours), np.int64)
    waits = np.zeros((reps, hours), np.float64)
    touches = np.zeros((reps, hours), np.int64)
    busy_minutes = np.zeros((reps, hours), np.float64)
    max_servers = max(1, change_staff.max())
    changes = change_minutes.size
    for r in range(reps):
        np.random.seed(seeds[r])
        # arrivals: Poisson counts per hour, uniform within its open minutes, then one sort
        total = 0
        counts_h = np.empty(hours, np.int64)
        counts_t = np.empty(hours, np.int64)
        for h in range(hours):
            counts_h[h] = np.random.poisson(help_rate[r, h] * open_share[h]) if help_rate[r, h] > 0 else 0
            counts_t[h] = np.random.poisson(touch_rate[r, h] * open_share[h]) if touch_rate[r, h] > 0 else 0
            total += counts_h[h] + counts_t[h]
        raw_time = np.empty(total)
        raw_kind = np.empty(total, np.int64)
        i = 0
        for h in range(hours):
            for _ in range(counts_h[h]):
                raw_time[i] = (h + open_start[h] + np.random.random() * open_share[h]) * MINUTES_PER_HOUR
                raw_kind[i] = HELP
                i += 1
            for _ in range(counts_t[h]):
                raw_time[i] = (h + open_start[h] + np.random.random() * open_share[h]) * MINUTES_PER_HOUR
                raw_kind[i] = TOUCH
                i += 1
        order = np.argsort(raw_time)
        time = raw_time[order]
        kind = raw_kind[order]
        deadline = np.empty(total)
        for i in range(total):
            h = int(time[i] // MINUTES_PER_HOUR)
            if kind[i] == HELP:
                help_n[r, h] += 1
                deadline[i] = time[i] + patience[h] * np.random.exponential(1.0)
            else:
                touches[r, h] += 1
                deadline[i] = np.inf
        # the event loop
        server_end = np.full(max_servers, np.inf)
        busy = 0
        roster = change_staff[0]
        next_change = 1
        arrived = 0
        head = 0
        while True:
            t_arrival = time[arrived] if arrived < total else np.inf
            t_change = change_minutes[next_change] if next_change < changes else np.inf
            t_done = np.inf
            done_at = -1
            for s in range(max_servers):
                if server_end[s] < t_done:
                    t_done = server_end[s]
                    done_at = s
            now = min(t_arrival, t_change, t_done)
            if now == np.inf:
                break
            if t_change <= now:
                roster = change_staff[next_change]
                next_change += 1
            elif t_done <= t_arrival:
                server_end[done_at] = np.inf
                busy -= 1
            else:
                arrived += 1
            while busy < roster and head < arrived:
                c = head
                head += 1
                h = int(time[c] // MINUTES_PER_HOUR)
                if deadline[c] < now:  # gave up before anyone came free
                    abandoned[r, h] += 1
                    waits[r, h] += deadline[c] - time[c]
                    continue
                wait = now - time[c]
                if kind[c] == HELP:
                    waits[r, h] += wait
                    if wait <= target_wait:
                        within[r, h] += 1
                    length = _service_minutes(help_minutes[h], lognormal, sigma)
                else:
                    length = _service_minutes(touch_minutes[h], lognormal, sigma)
                for s in range(max_servers):
                    if server_end[s] == np.inf:
                        server_end[s] = now + length
                        break
                busy += 1
                _add_busy(busy_minutes, r, now, length)
        # left waiting when the last staff went home: every help-seeker gives up
        for c in range(head, total):
            if kind[c] == HELP:
                h = int(time[c] // MINUTES_PER_HOUR)
                abandoned[r, h] += 1
                waits[r, h] += deadline[c] - time[c]
    return help_n, within, abandoned, waits, touches, busy_minutes
