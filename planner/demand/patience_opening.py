"""The patience estimate corrected for days that start empty at opening: `correct_for_opening`.

The steady-state estimate (`planner.demand.patience`) reads every counted hour as Erlang A's steady state, while a
real day starts with nobody waiting and each hour inherits the queue the last one left: early hours lose fewer
customers than their steady state would, and the estimate reads long (1.6x on simulated whole days, 3x at 28-minute
service). How long depends on the store: its service minutes, loads and staff. So the bias is measured on the store
itself (indirect inference): its counted days are simulated with the planner's own event loop
(`planner.simulation.engine`) at a few candidate patiences, each day from an empty opening, with the arrival rates
the counts give (each counted hour's expected customers per open hour, drawn in its open minutes, as the estimate
reads the counts; the help-seekers' share fitted at the estimate), its mean
service minutes and CV, its touches, and the staff on duty as counted. The simulated hours are tallied as a manager
would (give-ups as self-service) and put through the same estimate. The mean log estimate rises with the true
patience; the observed estimate is read back through that map (a parabola fitted to log estimate against log
patience, `_invert`), and so are its interval's ends. Common random numbers (the same seeds at every candidate, a
patience drawn as the candidate times a unit exponential) keep the candidates comparable; each pool's seeds are its
own, so different stores' simulation errors do not lean the same way.

Only informative estimates are corrected (their stores, or for a format's estimate its stores, are simulated): a
store whose counts cannot tell costs nothing more; one that can costs about 0.2 s more (four weeks of counts, seven
candidates x four replications; nearly all of it the steady-state estimate run on the 28 simulated copies, the
event loop a tenth), and a format's estimate costs that for every store of the format (12.3 s for 100 clones of the
sample chain, 56 of them on their format's estimate). The corrected interval decides again whether the estimate
tells (`patience_max_interval_ratio`).

What it does (`bench/bench_patience_floors.py`, `tests/chain_accuracy.py` `patience_value`; `planner.settings`
`DemandRules.estimate_patience` has the figures): on simulated whole days where every customer seeks help, the
steady reading of the estimates used, 1.39x the truth, comes to 0.91x (16 draws of four stores; 40 draws of single
stores 0.92-1.07x); on the accuracy benchmark's chain counted under day-to-day staff, 1.48-1.68x comes to
1.07-1.21x with the service CV given (the chain serves touches before help-seekers, which reads about 15% longer).
Where the steady reading is not long (floors with self-service customers beside the help-seekers) the correction
moves it little. What it does not carry over from a real floor: touches are simulated in the help-seekers' queue
(first come, first served), with `touch_share` of the self-service customers needing one; the arrival rates are
the counts' own, so their noise is taken for real differences between hours. Units: minutes.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from planner.demand.patience import (
    GRID_MINUTES,
    OWN,
    Curve,
    PatienceEstimate,
    counted_hours,
    deviance_curves,
    from_curve,
    sum_curves,
)
from planner.settings import DemandRules

CANDIDATE_FACTORS = np.geomspace(1.0 / 8.0, 2.0, 7)
"""Candidate true patiences, as multiples of the steady-state estimate: 1.6x apart, from an eighth (the bias
reaches 3x, and an interval's low end may sit at half the estimate) to twice (an interval's high end)."""
FIT_DEGREE = 2
"""Degree of the polynomial fitted to the simulated log estimates against the candidates' log patience (`_invert`)."""
MIN_SLOPE = 0.2
"""Least rise of the simulated log estimate per unit of log patience that is read back through the curve; a
flatter one (counts that barely tell) would stretch the interval past any use, so the mean bias is taken off."""
SEED = 20260
"""Base of the simulated days' seeds: replication r of a pool uses the same seed at every candidate, drawn from
this, the pool's name and its counted customers (so the same counts give the same correction, and stores'
simulation errors do not all lean the same way)."""
MINUTES_PER_HOUR = 60.0
_SEP = "\x1f"


def correct_for_opening(observations: pd.DataFrame, ids: list[str], formats: list[str],
                        estimates: Mapping[str, PatienceEstimate], curves: Mapping[str, Curve], rules: DemandRules,
                        service_cv: Mapping[str, float], touch_share: float,
                        open_part: tuple[np.ndarray, np.ndarray] | None = None,
                        load: np.ndarray | None = None) -> dict[str, PatienceEstimate]:
    """`estimates` with each informative one (and its interval) read back through its store's simulated days; the
    others as they are. A pool is what one estimate was made from: a store (OWN) or its format's stores.
    `open_part`: per row of `observations`, its hour's open start and share (`planner.demand.patience.open_parts`;
    None: every hour whole): the simulated days draw an hour's customers in its open minutes; `load`: per row, its
    date's demand factor (`planner.demand.patience.date_loads`; None: 1): a sale's hours are simulated at the
    customers they brought. Both are read as the counts were."""
    pools: dict[str, tuple[float, list[str]]] = {}
    for store_id, store_format in zip(ids, formats, strict=True):
        estimate = estimates[store_id]
        if not estimate.informative:
            continue
        if estimate.basis == OWN:
            pools[store_id] = (estimate.patience_minutes, [store_id])
        else:
            mates = [s for s, f in zip(ids, formats, strict=True) if f == store_format and s in curves]
            pools.setdefault(_SEP + store_format, (estimate.patience_minutes, mates))
    if not pools:
        return dict(estimates)
    days = _simulated_days(observations, pools, curves, open_part, load)
    logs = _simulated_log_estimates(days, pools, rules, service_cv, touch_share)
    out = dict(estimates)
    for store_id, store_format in zip(ids, formats, strict=True):
        estimate = estimates[store_id]
        if not estimate.informative:
            continue
        key = store_id if estimate.basis == OWN else _SEP + store_format
        log_truth = np.log(estimate.patience_minutes) + np.log(CANDIDATE_FACTORS)
        centre, low, high = (_invert(np.log(value), logs[key], log_truth)
                             for value in (estimate.patience_minutes, estimate.low_minutes, estimate.high_minutes))
        told = high - low <= np.log(rules.patience_max_interval_ratio)  # read back, it may have grown too wide
        out[store_id] = replace(estimate, patience_minutes=float(np.exp(centre)), low_minutes=float(np.exp(low)),
                                high_minutes=float(np.exp(high)), informative=bool(told),
                                basis=estimate.basis if told else "")
    return out


def _invert(y: float, logs: np.ndarray, log_truth: np.ndarray) -> float:
    """The log patience whose simulated log estimate is `y` on average: a parabola through every replication's log
    estimate against the candidates' log patience, read back where it rises (beyond the candidates along its slope
    at the end, at least `MIN_SLOPE`). Not the candidates' means joined up: with four replications those zigzag by
    about as much as the candidates are apart, and made monotone they lean up and read back short. Not a line: the
    bias grows toward short patience, so a line's chord lies above the curve near the truth; on simulated whole days
    (40 draws per store, `bench/bench_patience_floors.py`'s stores A and D) a line read back 0.85x and 0.88x the
    truth, the parabola 0.92x and 0.94x."""
    x = np.broadcast_to(log_truth[:, None], logs.shape)
    ok = np.isfinite(logs)
    x, ys = x[ok], logs[ok]
    if np.unique(x).size <= FIT_DEGREE:
        return float(y - (np.mean(ys) - np.mean(x))) if ys.size else float(y)  # too little to fit: mean bias
    centre = np.mean(x)
    curve = np.polynomial.Polynomial.fit(x - centre, ys, FIT_DEGREE).convert()
    fine = np.linspace(x.min(), x.max(), 200) - centre
    fitted = np.maximum.accumulate(curve(fine))
    slopes = curve.deriv()(fine[[0, -1]])
    if not fitted[-1] - fitted[0] >= MIN_SLOPE * (fine[-1] - fine[0]):  # hardly moves: take the mean bias off
        return float(y - (np.mean(ys) - np.mean(x)))
    if y < fitted[0]:
        return float(centre + fine[0] + (y - fitted[0]) / max(slopes[0], MIN_SLOPE))
    if y > fitted[-1]:
        return float(centre + fine[-1] + (y - fitted[-1]) / max(slopes[1], MIN_SLOPE))
    rising = np.concatenate([[True], np.diff(fitted) > 0])
    return float(centre + np.interp(y, fitted[rising], fine[rising]))


def _simulated_days(observations: pd.DataFrame, pools: Mapping[str, tuple[float, list[str]]],
                    curves: Mapping[str, Curve], open_part: tuple[np.ndarray, np.ndarray] | None = None,
                    load: np.ndarray | None = None) -> pd.DataFrame:
    """One row per hour to simulate, every pool's stores' counted days laid end to end: each day from its weekday's
    first to last counted hour (hours not counted that day at their cell's mean customers per usual open hour times
    the day's load, its open part, and the day's nearest counted staff) and one more hour without arrivals in which
    the day's last staff serve whoever still waits. `customers_per_hour` is per open hour; `hours` and `open_start`
    the part of the hour open, `load` its date's demand factor (`counted_hours`)."""
    stores = sorted({s for _, members in pools.values() for s in members})
    hours = counted_hours(observations, stores, open_part, load)
    hours["rate"] = hours["expected_customers"] / hours["hours"]  # customers per open hour
    hours["usual_rate"] = hours["rate"] / hours["load"]  # per usual open hour: a sale's count holds 1.5 of them
    span = hours.groupby(["store", "weekday"])["hour"].agg(first="min", last="max").reset_index()
    dated = hours[["store", "date", "weekday"]].drop_duplicates().merge(span, on=["store", "weekday"])
    size = (dated["last"] - dated["first"] + 2).to_numpy()
    slots = dated.loc[dated.index.repeat(size)].reset_index(drop=True)
    slots["hour"] = slots["first"] + np.concatenate([np.arange(n) for n in size])
    slots["closing"] = slots["hour"] > slots["last"]
    slots = slots.merge(hours, on=["store", "date", "weekday", "hour"], how="left")
    slots["counted"] = slots["customers"].notna()
    cell = hours.groupby(["store", "weekday", "hour"])[["usual_rate", "touch_minutes", "hours", "open_start"]].mean()
    cell.columns = ["cell_customers", "cell_touch_minutes", "cell_hours", "cell_open_start"]
    slots = slots.merge(cell, on=["store", "weekday", "hour"], how="left")
    day_mean = slots.groupby(["store", "date"])["rate"].transform("mean")
    slots["load"] = slots["load"].fillna(slots.groupby(["store", "date"])["load"].transform("mean")).fillna(1.0)
    customers = slots["rate"].fillna(slots["cell_customers"] * slots["load"]).fillna(day_mean)
    slots["customers_per_hour"] = np.where(slots["closing"], 0.0, customers)
    slots["hours"] = np.where(slots["closing"], 1.0, slots["hours"].fillna(slots["cell_hours"]).fillna(1.0))
    slots["open_start"] = np.where(slots["closing"], 0.0,
                                   slots["open_start"].fillna(slots["cell_open_start"]).fillna(0.0))
    slots["touch_minutes"] = np.where(slots["closing"], 0.0, slots["touch_minutes"].fillna(
        slots["cell_touch_minutes"]).fillna(0.0))
    by_day = slots.groupby(["store", "date"])["staff"]
    slots["staff"] = slots["staff"].fillna(by_day.ffill()).fillna(by_day.bfill())
    totals = hours.groupby("store")[["served_minutes", "served"]].sum()
    slots["service_minutes"] = slots["store"].map(totals["served_minutes"] / totals["served"])
    frames = []
    for key, (estimate, members) in pools.items():
        part = slots[slots["store"].isin(members)].copy()
        part["pool"] = key
        part["estimate_minutes"] = estimate
        index = int(np.argmin(np.abs(np.log(GRID_MINUTES / estimate))))
        shares = np.stack([curves[s].hour_shares[:, index] for s in members])
        member = pd.Series(np.arange(len(members)), index=members)
        share = shares[member[part["store"]].to_numpy(), np.minimum(part["hour"].to_numpy(), 23)]  # closing: 24
        fallback = np.nanmean(shares, axis=1)[member[part["store"]].to_numpy()]
        part["help_share"] = np.where(np.isfinite(share), share, fallback)
        frames.append(part)
    return pd.concat(frames, ignore_index=True)


def _simulated_log_estimates(days: pd.DataFrame, pools: Mapping[str, tuple[float, list[str]]], rules: DemandRules,
                             service_cv: Mapping[str, float], touch_share: float) -> dict[str, np.ndarray]:
    """Per pool: the log steady-state estimate on its simulated days, per candidate of `CANDIDATE_FACTORS` x
    replication. Each pool (and service CV within it) is one run of the event loop per candidate, its seeds its
    own (`SEED`)."""
    from planner.simulation.engine import run_replications  # numba: loaded only when some estimate tells

    reps, factors = rules.patience_opening_replications, CANDIDATE_FACTORS.size
    member, members = pd.factorize(days["pool"] + _SEP + days["store"])  # a store in a pool: simulated as one
    days = days.assign(member=member, cv=days["store"].map(lambda s: float(service_cv.get(s, 1.0))))
    help_rate = (days["help_share"] * days["customers_per_hour"]).to_numpy()
    self_rate = days["customers_per_hour"].to_numpy() - help_rate
    touch_rate = touch_share * self_rate
    start, share = days["open_start"].to_numpy(), days["hours"].to_numpy()  # the hour's open part
    whole = bool((share == 1.0).all())
    touches = touch_rate * share  # the touches of the hour's open minutes, over which its touch minutes are spent
    touch_minutes = np.where(touches > 0, days["touch_minutes"].to_numpy() / np.maximum(touches, 1e-12), 0.0)
    staff = np.round(days["staff"].to_numpy()).astype(np.int64)
    service, patience = days["service_minutes"].to_numpy(), days["estimate_minutes"].to_numpy()
    counted = days["counted"].to_numpy()
    rows, codes, served, self_service = [], [], [], []
    for (key, value), lane in days.groupby(["pool", "cv"], sort=False).indices.items():
        seed = zlib.crc32(f"{key}{_SEP}{days['customers'].to_numpy()[lane].sum():.0f}".encode()) + SEED
        seeds = seed + np.arange(reps)
        keep = lane[counted[lane]]
        others = np.random.default_rng(seed).poisson(np.broadcast_to(self_rate[keep] * share[keep],
                                                                     (reps, keep.size)))
        change = np.flatnonzero(np.concatenate([[True], np.diff(staff[lane]) != 0]))
        for k, factor in enumerate(CANDIDATE_FACTORS):
            result = run_replications(
                seeds, np.broadcast_to(help_rate[lane], (reps, lane.size)),
                np.broadcast_to(touch_rate[lane], (reps, lane.size)), service[lane], touch_minutes[lane],
                lognormal=value != 1.0, service_cv=value, patience_minutes=patience[lane] * factor,
                target_wait_minutes=0.0, change_minutes=change * MINUTES_PER_HOUR, change_staff=staff[lane][change],
                open_part=None if whole else (start[lane], share[lane]),
            )
            where = counted[lane]
            abandoned = result.abandoned[:, where]
            rows.append(np.tile(keep, reps))
            codes.append(((member[keep][None, :] * factors + k) * reps + np.arange(reps)[:, None]).ravel())
            served.append((result.help_seekers[:, where] - abandoned).ravel())
            self_service.append((others + abandoned).ravel())
    row, code, served_all = np.concatenate(rows), np.concatenate(codes), np.concatenate(served)
    sub = days.iloc[row]
    simulated = pd.DataFrame({
        "store_id": code.astype(str), "date": sub["date"].to_numpy(), "hour": sub["hour"].to_numpy(),
        "staff_on_duty": sub["staff"].to_numpy(), "assisted": served_all, "self_service": np.concatenate(self_service),
        "assisted_minutes": served_all * sub["service_minutes"].to_numpy(),
        "self_service_minutes": sub["touch_minutes"].to_numpy(),
    })
    ids = np.unique(code)
    cv_of = days.groupby("member")["cv"].first()
    load = days["load"].to_numpy()
    curves = deviance_curves(simulated, ids.astype(str).tolist(), rules,
                             dict(zip(ids.astype(str), cv_of[ids // (factors * reps)].to_numpy(), strict=True)),
                             open_part=None if whole else (start[row], share[row]),  # read as the counts were
                             load=None if (load == 1.0).all() else load[row])
    index = pd.Series(np.arange(len(members)), index=members)
    out = {}
    for key, (_, stores) in pools.items():
        mine = [index[key + _SEP + s] for s in stores if key + _SEP + s in index]
        logs = np.full((factors, reps), np.nan)
        for k in range(factors):
            for r in range(reps):
                pooled = [curves[c] for m in mine if (c := str((m * factors + k) * reps + r)) in curves]
                if pooled:
                    logs[k, r] = np.log(from_curve(key, sum_curves(pooled), OWN, len(pooled), rules).patience_minutes)
        out[key] = logs
    return out
