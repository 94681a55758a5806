"""A fast simulation of a store floor over many opening days at once (numba-compiled), for the accuracy benchmark.

The same floor as `store_simulation.py` (Ciw), with what a chain of real stores needs and Ciw is too slow for:
help-seekers queue first come, first served for a salesperson and give up after an exponential patience if
nobody has started serving them; self-service customers who need a touch are served first (never by breaking off a
customer) and never give up. Service and touch times are whatever the caller draws (lognormal in the benchmark).
Staff follow the roster hour by hour; when it shrinks, a salesperson busy with a customer finishes first (so the
people serving can exceed the roster for a moment, as on a real floor). After closing, nobody arrives and the
closing staff (at least one) serve whoever is still waiting. Time is in minutes from opening.

`tests/test_chain.py` checks it against Ciw (`store_simulation.py`) and against Erlang A for steady hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

MINUTES_PER_HOUR = 60.0


@dataclass(frozen=True)
class Customers:
    """The customers of many days, one array element per customer, days one after the other (`day_start[d]` is the
    first customer of day d, `day_start[-1]` the total). Arrivals are minutes from opening, sorted within a day."""

    arrival_minute: np.ndarray
    service_minutes: np.ndarray
    patience_minutes: np.ndarray
    """inf for customers who never give up (touches)."""
    day_start: np.ndarray

    @property
    def days(self) -> int:
        return self.day_start.size - 1


@dataclass(frozen=True)
class Outcome:
    """Per help-seeker: started service (False: gave up) and minutes waited (until served or until giving up)."""

    served: np.ndarray
    wait_minutes: np.ndarray


def simulate_floor(help_seekers: Customers, touches: Customers, staff_per_hour: np.ndarray) -> Outcome:
    """Run every day of `help_seekers` and `touches` (the same days) with `staff_per_hour[h]` staff in the h-th
    opening hour (the same roster every day)."""
    if help_seekers.days != touches.days:
        raise ValueError("help-seekers and touches must cover the same days")
    staff = np.asarray(staff_per_hour, dtype=np.int64)
    if staff.ndim != 1 or staff.size == 0 or (staff < 0).any():
        raise ValueError("staff_per_hour must be a non-empty 1-d array of whole numbers >= 0")
    served = np.zeros(help_seekers.arrival_minute.size, dtype=np.bool_)
    wait = np.zeros(help_seekers.arrival_minute.size)
    _run_days(
        help_seekers.arrival_minute, help_seekers.service_minutes, help_seekers.patience_minutes,
        help_seekers.day_start, touches.arrival_minute, touches.service_minutes, touches.day_start, staff, served, wait,
    )
    return Outcome(served, wait)


@njit(cache=True)
def _run_days(h_arrival, h_service, h_patience, h_start, t_arrival, t_service, t_start, staff, served, wait):
    most = staff.max() + 1
    for day in range(h_start.size - 1):
        _run_day(h_arrival, h_service, h_patience, h_start[day], h_start[day + 1],
                 t_arrival, t_service, t_start[day], t_start[day + 1], staff, served, wait, most)


@njit(cache=True)
def _run_day(h_arrival, h_service, h_patience, h_first, h_end, t_arrival, t_service, t_first, t_end, staff,
             served, wait, most):
    busy_until = np.empty(max(most, 1) + 64)  # end minute of each service in progress (unordered)
    busy = 0
    next_help, next_touch = h_first, t_first
    queue_head = h_first  # help-seekers arrive in order; those before next_help and from queue_head wait
    touch_head = t_first
    hours = staff.size
    boundary_hour = 1
    capacity = staff[0]
    inf = np.inf
    while True:
        # the next event: an arrival, a service ending, or the roster changing
        t_help = h_arrival[next_help] if next_help < h_end else inf
        t_touch = t_arrival[next_touch] if next_touch < t_end else inf
        t_free = inf
        free_at = -1
        for k in range(busy):
            if busy_until[k] < t_free:
                t_free = busy_until[k]
                free_at = k
        t_roster = boundary_hour * MINUTES_PER_HOUR if boundary_hour <= hours else inf
        now = min(t_help, t_touch, t_free, t_roster)
        if now == inf:
            break
        if now == t_free:
            busy -= 1
            busy_until[free_at] = busy_until[busy]
        elif now == t_roster:
            capacity = staff[boundary_hour] if boundary_hour < hours else max(staff[hours - 1], 1)
            boundary_hour += 1
        elif now == t_touch:
            next_touch += 1
        else:
            next_help += 1
        # start whoever can be started: touches first, then the longest-waiting help-seeker still there
        while busy < capacity:
            if touch_head < next_touch:
                busy_until[busy] = now + t_service[touch_head]
                busy += 1
                touch_head += 1
                continue
            started = False
            while queue_head < next_help:
                j = queue_head
                queue_head += 1
                if h_arrival[j] + h_patience[j] <= now:
                    wait[j] = h_patience[j]
                    continue
                served[j] = True
                wait[j] = now - h_arrival[j]
                busy_until[busy] = now + h_service[j]
                busy += 1
                started = True
                break
            if not started:
                break
    # nobody is left in service; anyone still in line gave up (no staff at all after closing cannot happen)
    for j in range(queue_head, h_end):
        wait[j] = h_patience[j]


def draw_customers(rng: np.random.Generator, rates_per_hour: np.ndarray, service_mean: float, service_cv: float | None,
                   patience_minutes: float | None) -> tuple[Customers, np.ndarray]:
    """Poisson arrivals at `rates_per_hour` (days x hours, constant within each hour), lognormal service with the
    given mean and coefficient of variation (None: exponential), exponential patience (None: never give up). Also returns the
    customers' arrival hour."""
    rates = np.asarray(rates_per_hour, dtype=float)
    days, hours = rates.shape
    counts = rng.poisson(rates)
    per_day = counts.sum(axis=1)
    day_start = np.concatenate([[0], np.cumsum(per_day)])
    hour = np.repeat(np.tile(np.arange(hours), days), counts.ravel())
    arrival = hour * MINUTES_PER_HOUR + rng.uniform(0.0, MINUTES_PER_HOUR, hour.size)
    day = np.repeat(np.arange(days), per_day)
    order = np.lexsort((arrival, day))
    arrival, hour = arrival[order], hour[order]
    if service_cv is None:
        service = rng.exponential(service_mean, hour.size)
    else:
        sigma = np.sqrt(np.log1p(service_cv**2))
        service = service_mean * np.exp(sigma * rng.standard_normal(hour.size) - sigma**2 / 2.0)
    patience = (np.full(hour.size, np.inf) if patience_minutes is None
                else rng.exponential(patience_minutes, hour.size))
    return Customers(arrival, service, patience, day_start), hour
