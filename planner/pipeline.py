"""The whole chain from stored counts to recommended staff and shifts: database -> demand -> staffing -> shifts.

With `cli`, the only module that calls every stage. Functions here load, call the stages in order and hand back
frames; they do not print.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from planner import storage
from planner.demand import estimate_demand
from planner.errors import PlannerError
from planner.schemas import StoreSchema as S
from planner.settings import Settings
from planner.shifts import ShiftReport, from_hourly, from_store, report
from planner.shifts.batch import solve_many
from planner.staffing import recommend_staff

STORES_PER_STEP = 25
"""Stores staffed together in one vectorised step; progress is reported after each step."""
_STORE_TARGET_COLUMNS = {  # settings field -> the store file's column that overrides it per store
    "target_service_level": S.target_service_level,
    "target_wait_seconds": S.target_wait_seconds,
    "patience_minutes": S.patience_minutes,
    "max_abandon_share": S.max_abandon_share,
    "min_staff": S.min_staff,
}


def recommend(
    engine: Engine,
    settings: Settings,
    store_ids: Iterable[str] | None = None,
    *,
    forced_targets: Iterable[str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Recommended staff per store x weekday x hour (`planner.staffing.StaffingSchema`), for `store_ids` or all.

    `forced_targets` names settings (e.g. "target_wait_seconds") that apply to every store, overriding the store
    file's per-store values, as a what-if from the command line or the app does. `progress(done, total)` is called
    after each step of `STORES_PER_STEP` stores.
    """
    every_store = apply_forced_targets(storage.load_stores(engine), settings, forced_targets)
    chosen = select_stores(every_store, store_ids)[S.store_id].tolist()
    # the demand model borrows the profile of a sparsely counted store from the chain, so it sees every store
    observations = storage.load_observations(engine, every_store[S.store_id].tolist())
    return recommend_from_frames(observations, every_store, settings, progress=progress, store_ids=chosen)


def recommend_from_frames(
    observations: pd.DataFrame,
    stores: pd.DataFrame,
    settings: Settings,
    *,
    progress: Callable[[int, int], None] | None = None,
    store_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Demand estimated over every store in `stores` at once (pooled), staff recommended for `store_ids` (all
    for None), `STORES_PER_STEP` stores at a time."""
    ids = stores[S.store_id].tolist() if store_ids is None else list(store_ids)
    demand = estimate_demand(observations, stores, settings)
    parts = []
    for start in range(0, len(ids), STORES_PER_STEP):
        chunk = ids[start : start + STORES_PER_STEP]
        chunk_stores = stores[stores[S.store_id].isin(chunk)]
        parts.append(recommend_staff(demand[demand[S.store_id].isin(chunk)], chunk_stores, settings))
        if progress:
            progress(min(start + STORES_PER_STEP, len(ids)), len(ids))
    if not parts:
        raise PlannerError("no stores yet: import a store file and counts first")
    return pd.concat(parts, ignore_index=True)


def select_stores(stores: pd.DataFrame, store_ids: Iterable[str] | None) -> pd.DataFrame:
    if store_ids is None:
        return stores
    wanted = list(dict.fromkeys(store_ids))
    unknown = [s for s in wanted if s not in set(stores[S.store_id])]
    if unknown:
        known = ", ".join(stores[S.store_id].head(12))
        raise PlannerError(f"unknown store id(s): {', '.join(unknown)} (known: {known})")
    return stores[stores[S.store_id].isin(wanted)]


def apply_forced_targets(stores: pd.DataFrame, settings: Settings, forced: Iterable[str]) -> pd.DataFrame:
    """Blank the store file's override of every forced target, so the settings' value applies to every store."""
    stores = stores.copy()
    for name in forced:
        column = _STORE_TARGET_COLUMNS[name]
        if column == S.min_staff:
            stores[column] = settings.targets.min_staff
            stores[S.max_staff] = stores[S.max_staff].clip(lower=settings.targets.min_staff)
        else:
            stores[column] = pd.NA
    return stores


def requirement_tables(recommendation: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per store, a 7 x 24 table of recommended staff (0 where there is no recommendation or the store is closed)."""
    tables = {}
    for store, rows in recommendation.groupby("store_id", sort=True):
        table = np.zeros((7, 24), dtype=np.int64)
        staff = rows["required_staff"].astype("Float64").fillna(0).to_numpy(dtype=float).astype(np.int64)
        table[rows["weekday"].to_numpy(dtype=int), rows["hour"].to_numpy(dtype=int)] = staff
        tables[str(store)] = table
    return tables


def schedule(
    engine: Engine,
    settings: Settings,
    store_ids: Iterable[str] | None = None,
    *,
    parallel: bool = True,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ShiftReport]:
    """Shifts covering each store's recommended staff per hour, one report per store."""
    stores = select_stores(storage.load_stores(engine), store_ids)
    tables = requirement_tables(recommend(engine, settings, stores[S.store_id].tolist()))
    budget = settings.shifts.weekly_budget_staff_hours
    instances = [
        from_store(row, tables.get(row[S.store_id], np.zeros((7, 24))), budget)
        for _, row in stores.iterrows()
    ]
    solutions = solve_many(instances, settings.shifts, parallel=parallel, scheduler=scheduler, progress=progress)
    return [report(solution) for solution in solutions]


def schedule_requirements(
    tables: dict[str, np.ndarray],
    settings: Settings,
    *,
    parallel: bool = True,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ShiftReport]:
    """Shifts for explicit requirement tables (store -> 7 x 24), opening where staff are required."""
    budget = settings.shifts.weekly_budget_staff_hours
    instances = [from_hourly(store, table, budget_staff_hours=budget) for store, table in tables.items()]
    solutions = solve_many(instances, settings.shifts, parallel=parallel, scheduler=scheduler, progress=progress)
    return [report(solution) for solution in solutions]
