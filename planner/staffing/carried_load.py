"""The modified offered load (MOL): help-seekers' load carried over from earlier hours of the same opening, for
stores whose services are long enough that customers from a busy hour are still being served in the next.

Public: `CarriedLoad`, `carried_load`. Units: arrivals per hour, minutes per customer, loads in Erlangs.

m(t), the number of help-seekers who would be in service if there were always a salesperson free (an infinite-server
queue), obeys m'(t) = λ(t) - m(t)/S, starting at 0 when the store opens. With λ and S constant within a clock hour
the solution is exact, with no grid: over an hour of length 1 (hours) starting at m0,
    m(u) = λS + (m0 - λS) e^(-u/S),  0 <= u <= 1,
which is monotone in u. So the value m(u) exceeds for a share q of the hour (the hour's q-quantile over time) is
m at u = q if m rises through the hour and at u = 1 - q if it falls; q = 1 gives the hour's maximum.

An opening is a run of consecutive clock hours of one store (week-hours weekday * 24 + hour, read around the week,
so a Friday opening that runs past midnight into Saturday's hour 0 is one run). A store open round the clock has
no opening; its week is then read from Monday 00:00, starting empty. An hour with no estimate (a `missing` cell)
adds no arrivals and lets the load carried into it run down.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

HOURS_PER_WEEK = 7 * 24
MINUTES_PER_HOUR = 60.0


@dataclass(frozen=True)
class CarriedLoad:
    """Per row, in the input's order."""

    load_erlangs: np.ndarray
    """The hour's q-quantile over time of m(t): the help-seekers' load to staff for."""
    service_minutes: np.ndarray
    """The assisted minutes used: the row's own, else the last known in its opening (else the next); NaN if the
    opening knows none."""
    peak_hour: np.ndarray
    """Clock hour (0-23) of the earlier hour of the same opening whose customers make up most of those still being
    served as the hour starts; -1 for an opening's first hour."""


def carried_load(store_id, weekday, hour, assisted_per_hour, assisted_minutes, *, quantile: float) -> CarriedLoad:
    """m(t) per store-hour (see the module docstring), at the hour's `quantile` over time. NaN arrivals count as
    none; NaN minutes take the last known minutes of the opening."""
    frame = pd.DataFrame({
        "store": np.asarray(store_id), "week_hour": np.asarray(weekday) * 24 + np.asarray(hour),
        "lam": np.nan_to_num(np.asarray(assisted_per_hour, dtype=float), nan=0.0),
        "minutes": np.asarray(assisted_minutes, dtype=float),
    })
    present = pd.Series(1, index=pd.MultiIndex.from_arrays([frame["store"], frame["week_hour"]]))
    previous = pd.MultiIndex.from_arrays([frame["store"], (frame["week_hour"] - 1) % HOURS_PER_WEEK])
    frame["opens"] = ~previous.isin(present.index)
    # Read each store's week from one of its openings (or Monday 00:00), so no run wraps past the end.
    first_open = frame["week_hour"].where(frame["opens"]).groupby(frame["store"]).transform("min").fillna(0)
    frame["position"] = (frame["week_hour"] - first_open) % HOURS_PER_WEEK
    order = np.lexsort((frame["position"].to_numpy(), pd.factorize(frame["store"])[0]))
    ordered = frame.iloc[order].reset_index(drop=True)
    opens = ordered["opens"].to_numpy() | (ordered["store"] != ordered["store"].shift()).to_numpy()
    run = np.cumsum(opens) - 1
    filled = ordered["minutes"].groupby(run).ffill().groupby(run).bfill().to_numpy()
    minutes = np.where(np.isnan(filled), 1.0, filled)  # an opening without minutes has no arrivals: any will do
    lam = ordered["lam"].to_numpy()

    service_hours = minutes / MINUTES_PER_HOUR
    steady = lam * service_hours  # λS, the hour's own offered load
    decay = np.exp(-1.0 / service_hours)
    start, end = np.zeros(lam.size), np.zeros(lam.size)
    clock_hour = ordered["week_hour"].to_numpy() % 24
    peak_hour, peak_share = np.full(lam.size, -1), np.zeros(lam.size)  # peak_share: its customers still in service
    index = np.arange(lam.size)
    first = index[opens]
    step_in_run = index - first[run]
    for step in range(int(step_in_run.max(initial=-1)) + 1):
        rows = index[step_in_run == step]
        if step:
            before = rows - 1
            start[rows] = end[before]
            fresh, carried = steady[before] * (1.0 - decay[before]), peak_share[before] * decay[before]
            newer = fresh > carried
            peak_hour[rows] = np.where(newer, clock_hour[before], peak_hour[before])
            peak_share[rows] = np.where(newer, fresh, carried)
        end[rows] = steady[rows] + (start[rows] - steady[rows]) * decay[rows]
    at = np.where(end >= start, quantile, 1.0 - quantile)
    load = steady + (start - steady) * np.exp(-at / service_hours)
    out_load, out_minutes, out_peak = np.empty(lam.size), np.empty(lam.size), np.empty(lam.size, dtype=int)
    out_load[order], out_minutes[order], out_peak[order] = load, filled, peak_hour
    return CarriedLoad(out_load, out_minutes, out_peak)
