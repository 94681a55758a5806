"""The whole chain from stored counts to recommended staff and shifts: database -> demand -> staffing -> shifts.

With `cli`, the only module that calls every stage. Functions here load, call the stages in order and hand back
frames; they do not print.

Every function takes the user's `scope` (`planner.access.Scope`; default: every store, as for one person on their own
machine) and hands back only the stores it covers: asking for another store is "unknown store id" (the same words as
for a store that does not exist), and every frame, plan, sentence and error names only stores in scope. The pooled
demand model is the one exception to loading by scope: a sparsely counted store borrows its hour profile from the
other counted stores of its format (or of the chain), so the estimate is fitted to every store's counts
(`_chain_inputs`) and then cut to the stores in scope. What crosses that line is the borrowed shape and its
explanation's count of stores ("its shape over the day borrowed from 3 other clothing stores"): never another store's
id, name, region, rows or numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from planner import clock, storage
from planner.access.scope import COMPARE, EVERYTHING, PLAN, Scope
from planner.calendar import (
    IsoWeek,
    calendar_overlaps,
    dated_demand,
    dated_stores,
    demand_factors,
    estimation_stores,
    hour_dates,
    merged_calendar,
    stored_exceptions,
    week_exceptions,
)
from planner.counts_digest import counts_digest, keep_fresh, store_counts_digests_of
from planner.demand import estimate_demand
from planner.digest import pooled_digest, pooled_digest_of, store_counts_digests
from planner.errors import DatabaseBusy, NoStoresYet, PlannerError, UnknownStore
from planner.hours import WEEKDAYS, is_open_during_hour, parse_opening_hours
from planner.memory import release_freed_memory
from planner.schemas import StoreSchema as S
from planner.settings import STORE_TARGETS, Settings
from planner.staff_hours import minutes_open, open_share
from planner.staffing import recommend_staff
from planner.stored_patience import stored_patience
from planner.targets import (patience_from_counts, resolve_targets, resolve_time_zones, stores_with_targets,
                             unusable_stores)
from planner.threads import map_in_threads
from planner.words import agreeing, counted, first_named, nearest

if TYPE_CHECKING:  # plans and the shift solver (OR-Tools) are imported where used: `recommend` starts without them
    from planner.demand.patience import PatienceEstimate
    from planner.plans import Plan, PlanRequest
    from planner.shifts import ShiftReport

STORES_PER_STEP = 100
"""Stores staffed together in one vectorised step; progress is reported after each step. Steps of 25 stores spent
a quarter of the time in numpy's per-call overhead; beyond 100 the arrays outgrow the cache and nothing is gained."""


def recommend(engine: Engine, settings: Settings, store_ids: Iterable[str] | None = None, **options) -> pd.DataFrame:
    """Recommended staff per store x weekday x hour (`planner.staffing.StaffingSchema`), for `store_ids` or every
    store in scope: the table `recommend_with_targets` gives, with the same keyword `options`."""
    return recommend_with_targets(engine, settings, store_ids, **options)[0]


def recommend_with_targets(
    engine: Engine,
    settings: Settings,
    store_ids: Iterable[str] | None = None,
    *,
    what_if: Mapping[str, float | int] | None = None,
    progress: Callable[[int, int], None] | None = None,
    scope: Scope = EVERYTHING,
    patience_progress: Callable[[int, int], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(recommended staff per store x weekday x hour, `planner.staffing.StaffingSchema`; the recommended stores'
    resolved targets and where they come from, `planner.targets.resolve_targets`), for `store_ids` or every store in
    `scope`, from one reading of the counts and of the kept patience estimates.

    `what_if` gives target values (e.g. {"target_wait_seconds": 30}) for every store, over the store file's own.
    `progress(done, total)` is called after each step of `STORES_PER_STEP` stores; `patience_progress(done, total)`
    as stores' patience estimates are made (`stored_patience`: only where none is kept for the same inputs).
    Each count is read under its date's opening hours, the stored calendar's where it changes them
    (`counted_calendar`).
    """
    observations, every_store = _chain_inputs(engine, store_ids, scope)
    chosen = select_stores(every_store, store_ids, scope)
    ids = chosen[S.store_id].tolist()
    calendar = counted_calendar(engine)
    patience = stored_patience(engine, observations, every_store, settings, patience_progress, calendar=calendar)
    release_freed_memory()  # the patience estimate's Erlang A temporaries, before the demand's passes
    stores, demand = _demand_of_chain(observations, every_store, settings, what_if, ids, patience, calendar)
    del observations  # the counts are in the demand now: staffing does not hold them (hundreds of MB at 2M rows)
    release_freed_memory()
    return _staff_stores(stores, demand, ids, settings, progress), resolve_targets(chosen, settings, what_if,
                                                                                    patience)


def recommend_from_frames(
    observations: pd.DataFrame,
    stores: pd.DataFrame,
    settings: Settings,
    *,
    what_if: Mapping[str, float | int] | None = None,
    progress: Callable[[int, int], None] | None = None,
    store_ids: Iterable[str] | None = None,
    scope: Scope = EVERYTHING,
    patience: Mapping[str, PatienceEstimate] | None = None,
    calendar: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Demand estimated over every store in `stores` at once (pooled), staff recommended for `store_ids` (every
    store `scope` covers for None), `STORES_PER_STEP` stores at a time. Every store's target columns are filled by
    `planner.targets` first, the `what_if` values applying to the stores recommended for only, so demand and staffing
    read resolved targets. `patience`: the stores' patience estimates when already made (`stored_patience`; None:
    made here). `calendar`: the store calendar (`CalendarSchema`, every store's: `counted_calendar`) whose hours of
    the counted dates the counts are read under (None: the usual hours)."""
    ids = stores_to_plan(stores, store_ids, scope)[S.store_id].tolist()
    stores, demand = _demand_of_chain(*usable_chain(observations, stores), settings, what_if, ids, patience,
                                      calendar)
    return _staff_stores(stores, demand, ids, settings, progress)


def _demand_of_chain(observations: pd.DataFrame, stores: pd.DataFrame, settings: Settings,
                     what_if: Mapping[str, float | int] | None, ids: list[str],
                     patience: Mapping[str, PatienceEstimate] | None = None,
                     calendar: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every store with its resolved targets, the `what_if` values for `ids` only; the pooled demand). `patience`
    and `calendar` as `recommend_from_frames` takes them."""
    chosen = stores[S.store_id].isin(ids)
    patience = _patience_of(observations, stores, settings, patience, calendar)
    stores = pd.concat([stores_with_targets(stores[chosen], settings, what_if, patience),
                        stores_with_targets(stores[~chosen], settings, None, patience)]).loc[stores.index]
    return stores, estimate_demand(observations, stores, settings, calendar=calendar)


def _staff_stores(stores: pd.DataFrame, demand: pd.DataFrame, ids: list[str], settings: Settings,
                  progress: Callable[[int, int], None] | None) -> pd.DataFrame:
    """Staff for `ids`, `STORES_PER_STEP` stores at a time, the steps shared among the cores (`planner.threads`)."""
    starts = range(0, len(ids), STORES_PER_STEP)

    def step(start: int) -> pd.DataFrame:
        chunk = ids[start : start + STORES_PER_STEP]
        return recommend_staff(demand[demand[S.store_id].isin(chunk)], stores[stores[S.store_id].isin(chunk)],
                               settings)

    parts = []
    for start, part in zip(starts, map_in_threads(step, starts), strict=True):
        parts.append(part)
        if progress:
            progress(min(start + STORES_PER_STEP, len(ids)), len(ids))
    if not parts:
        raise PlannerError(NO_STORES)
    return pd.concat(parts, ignore_index=True)


def demand_from_frames(
    observations: pd.DataFrame, stores: pd.DataFrame, settings: Settings,
    what_if: Mapping[str, float | int] | None = None, scope: Scope = EVERYTHING,
    patience: Mapping[str, PatienceEstimate] | None = None, calendar: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Demand per store x weekday x hour (`DemandSchema`), with each store's resolved targets (its patience),
    estimated over every store given (pooled) and handed back for the stores `scope` covers. `patience` and
    `calendar` as `recommend_from_frames` takes them."""
    observations, stores = usable_chain(observations, stores)
    patience = _patience_of(observations, stores, settings, patience, calendar)
    demand = estimate_demand(observations, stores_with_targets(stores, settings, what_if, patience), settings,
                             calendar=calendar)
    if scope.all_stores:
        return demand
    return demand[demand[S.store_id].isin(scoped_stores(stores, scope)[S.store_id])].reset_index(drop=True)


def targets_from_frames(
    observations: pd.DataFrame, stores: pd.DataFrame, settings: Settings,
    what_if: Mapping[str, float | int] | None = None, store_ids: Iterable[str] | None = None,
    scope: Scope = EVERYTHING,
    patience: Mapping[str, PatienceEstimate] | None = None,
    calendar: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each store's resolved targets and where they come from (`planner.targets.resolve_targets`), the patience
    estimated from the counts of every store in `stores` (pooled by format) where the store file gives none; for
    `store_ids` (every store `scope` covers for None). `patience` and `calendar` as `recommend_from_frames` takes
    them."""
    chosen = select_stores(stores, store_ids, scope)
    patience = _patience_of(*usable_chain(observations, stores), settings, patience, calendar)
    return resolve_targets(chosen, settings, what_if, patience)


def scoped_stores(stores: pd.DataFrame, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """The rows of `stores` (`StoreSchema`) that `scope` covers, by store id or region."""
    if scope.all_stores:
        return stores
    return stores[[scope.covers(str(s), str(r)) for s, r in zip(stores[S.store_id], stores[S.region], strict=True)]]


STORES_NAMED = 12
"""An unknown store id's error names this many of the known stores and counts the rest."""


def select_stores(stores: pd.DataFrame, store_ids: Iterable[str] | None, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """The rows of `store_ids` (every store `scope` covers for None). An id that is not a store in scope is unknown,
    whether it exists elsewhere or not; the error lists only stores in scope. A store whose stored row holds a
    number outside its range (`unusable_stores`) is refused by name when asked for (`PlannerError`, saying which
    value and what to do), and left out of every store: it cannot be planned, the others can."""
    visible = scoped_stores(stores, scope)
    unusable = unusable_stores(visible)
    if store_ids is None:
        return visible[~visible[S.store_id].astype(str).isin(unusable)]
    wanted = known_stores(stores, store_ids, scope)
    refused = [unusable[s] for s in wanted if s in unusable]
    if refused:
        raise PlannerError(" ".join(refused))  # each its own sentences, ending in a full stop
    return visible[visible[S.store_id].isin(wanted)]


def known_stores(stores: pd.DataFrame, store_ids: Iterable[str], scope: Scope = EVERYTHING) -> list[str]:
    """`store_ids` once each, if each is a store `scope` covers, whatever its stored row holds: what listing the
    plans or rosters saved of a store needs (`select_stores` also refuses a store that cannot be planned). Else
    `UnknownStore`, whether the store exists elsewhere or not, listing only stores in scope."""
    visible = scoped_stores(stores, scope)
    wanted = list(dict.fromkeys(store_ids))
    unknown = [s for s in wanted if s not in set(visible[S.store_id])]
    if unknown and stores.empty and scope.all_stores:
        raise NoStoresYet()
    if unknown:
        known = first_named(visible[S.store_id].tolist(), STORES_NAMED) or "none"
        mine = "" if scope.all_stores else "your stores: "
        # only a slip of case or width within a scope of some stores: a near id is as likely another store's
        meant = [near for near in (nearest(store_id, visible[S.store_id].tolist(), misspelt=scope.all_stores)
                                   for store_id in unknown) if near]
        hint = f": did you mean {', '.join(dict.fromkeys(meant))}?" if meant else ""
        raise UnknownStore(f"unknown {agreeing(len(unknown), 'store id')}: {', '.join(unknown)}{hint} "
                           f"({mine or 'known: '}{known})")
    return wanted


def stores_to_plan(stores: pd.DataFrame, store_ids: Iterable[str] | None, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """`select_stores` for a command that plans: asked for every store (None), at least one, else an error saying
    why none (`none_left`): with every store refused, "no stores yet" was said of a chain that had nine."""
    chosen = select_stores(stores, store_ids, scope)
    if chosen.empty and store_ids is None:
        raise none_left(unusable_stores(scoped_stores(stores, scope)))
    return chosen


NO_STORES = "no stores yet: import a store file and counts first"


def none_left(refused: Mapping[str, str]) -> PlannerError:
    """The error for a plan of every store that has none to plan: no stores at all (`NO_STORES`), or every store
    left out, each with why (store_id -> why it cannot be planned, `unplannable_stores`)."""
    if not refused:
        return PlannerError(NO_STORES)
    return PlannerError(f"every store was left out ({counted(len(refused), 'store')}): " + " ".join(refused.values()))


def usable_chain(observations: pd.DataFrame, stores: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(counts, stores) without the stores `unusable_stores` names and their counts: what the pooled demand and
    the patience estimates are made from, so that one store's impossible stored value (service_cv 1e200, patience
    1e300) fails that store, not the chain's every estimate."""
    unusable = unusable_stores(stores)
    if not unusable:
        return observations, stores
    return (observations[~observations[S.store_id].astype(str).isin(unusable)],
            stores[~stores[S.store_id].astype(str).isin(unusable)])


def count_advice(engine: Engine, settings: Settings, store_id: str, windows: int, scope: Scope = EVERYTHING,
                 ranking: str = "reach", progress: Callable[[int, int], None] | None = None):
    """Where to count next in `store_id` (`count_advice_from_frames`), from every store's stored counts."""
    observations, stores = _chain_inputs(engine, [store_id], scope)
    calendar = counted_calendar(engine)
    return count_advice_from_frames(observations, stores, settings, store_id, windows, scope,
                                    stored_patience(engine, observations, stores, settings, calendar=calendar),
                                    ranking, progress, calendar)


def count_advice_from_frames(observations: pd.DataFrame, stores: pd.DataFrame, settings: Settings, store_id: str,
                             windows: int = 3, scope: Scope = EVERYTHING,
                             patience: Mapping[str, PatienceEstimate] | None = None, ranking: str = "reach",
                             progress: Callable[[int, int], None] | None = None,
                             calendar: pd.DataFrame | None = None):
    """Where to count next in `store_id` (`planner.staffing.advice.next_counts`, ranked by `ranking`, one of its
    `RANKINGS`; `progress(done, total)` follows the "model" ranking's re-fits), from the pooled demand and at the
    store's own resolved targets (`planner.targets`: its patience estimated from the counts where that is on and the
    store file gives none), the same demand and targets as its plan without what-ifs (`recommend_from_frames`, with
    the same `calendar`)."""
    from planner.staffing.advice import next_counts

    select_stores(stores, [store_id], scope)
    observations, stores = usable_chain(observations, stores)
    resolved, demand = _demand_of_chain(observations, stores, settings, None, [store_id], patience, calendar)
    return next_counts(demand[demand[S.store_id] == store_id].reset_index(drop=True), resolved, settings, store_id,
                       windows, ranking=ranking, observations=observations, progress=progress, calendar=calendar)


def simulate_store(engine: Engine, settings: Settings, store_id: str, *, check: bool = False,
                   scope: Scope = EVERYTHING, **options):
    """`planner.simulation.plan.simulate_plan` (or, with `check`, `check_plan`) of one store in `scope`, its demand
    and targets as its recommendation reads them: estimated pooled over every store's counts, the patience from the
    kept estimates (`stored_patience`). From the store's own counts alone, a store counted in a few windows was
    simulated under another demand and another staff per hour than its plan shows."""
    observations, every_store = _chain_inputs(engine, [store_id], scope)
    calendar = counted_calendar(engine)
    return simulate_store_from_frames(observations, every_store, settings, store_id, check=check, scope=scope,
                                      patience=stored_patience(engine, observations, every_store, settings,
                                                               calendar=calendar),
                                      calendar=calendar, **options)


def simulate_store_from_frames(observations: pd.DataFrame, stores: pd.DataFrame, settings: Settings, store_id: str,
                               *, check: bool = False, scope: Scope = EVERYTHING,
                               patience: Mapping[str, PatienceEstimate] | None = None,
                               demand: pd.DataFrame | None = None, calendar: pd.DataFrame | None = None,
                               **options):
    """`simulate_store` on frames (every store's counts and rows, for the pooled model). `demand` is the chain's
    pooled demand as `demand_from_frames` gives it for these frames, settings and `patience` (the store's rows at
    least), when the caller holds it already: the app passes its cached one, so a simulation does not estimate the
    chain's demand again (seconds on a large chain); None estimates it, reading the counts under `calendar` as
    `recommend_from_frames` does."""
    from planner.simulation.plan import check_plan, simulate_plan

    select_stores(stores, [store_id], scope)
    observations, stores = usable_chain(observations, stores)
    if not (observations[S.store_id].astype(str) == str(store_id)).any():  # its simulation said no one was lost
        raise PlannerError(f"{store_id} has no counts yet, so there is no demand to simulate: import a count of "
                           "its customers first (even one 2-hour window gives every open hour an estimate)")
    if demand is None:
        stores, demand = _demand_of_chain(observations, stores, settings, None, [store_id], patience, calendar)
    else:
        stores = stores_with_targets(stores, settings, None,
                                     _patience_of(observations, stores, settings, patience, calendar))
    return (check_plan if check else simulate_plan)(demand, stores, store_id, settings, **options)


def simulate_saved_plan(engine: Engine, settings: Settings, plan_id: int, *, scope: Scope = EVERYTHING,
                        shifts: pd.DataFrame | None = None, **options):
    """(stored plan, its `Plan`, `planner.simulation.simulate.SimulationResult`) of saved plan `plan_id` simulated on
    its own dates: its shifts (or `shifts`, dated as `planner.simulation.dated.FRAME_COLUMNS`) against the demand and
    targets it was made with for those dates (calendar, demand factors and what-ifs included), not today's estimate.
    The plan's own settings say how it staffs (breaks, demand intervals), today's `settings.simulation` how it is
    simulated. `options`: demand_scale, replications, progress. `UnknownRecord` for a plan `scope` does not see."""
    from dataclasses import replace

    from planner.plans import Plan
    from planner.simulation.dated import simulate_dated

    stored = storage.load_plan(engine, plan_id, scope)
    plan = Plan.from_json(stored.document)
    store_id = stored.store_id
    stores = storage.load_stores(engine, scope)
    stores = stores[stores[S.store_id].astype(str) == store_id].copy()
    if stores.empty:
        raise PlannerError(f"plan {plan_id}'s store {store_id} is no longer in the store file: import it again first")
    own = plan.demand[plan.demand[S.store_id].astype(str) == store_id]
    if not own.empty and own["assisted_per_hour"].isna().all():  # it said no one was lost, as a store's did before
        raise PlannerError(f"plan {plan_id}: {store_id} had no counts when it was made, so there is no demand to "
                           f"simulate: import a count of its customers, make the plan again (plan --week "
                           f"{stored.iso_week} --store {store_id}) and simulate that")
    targets = plan.targets[plan.targets[S.store_id].astype(str) == store_id]
    for name in STORE_TARGETS:  # the plan's resolved targets, as its own store file's: resolved again to them
        stores[name] = targets[name].to_numpy()
    made_with = replace(plan.request.settings, simulation=settings.simulation)
    monday = IsoWeek.parse(stored.iso_week).monday
    # open as that week's dates were planned: a late opening's 20:00 is whole where the store file's 20:30 halves it
    stores = dated_stores(stores, plan.exceptions[plan.exceptions["iso_week"] == stored.iso_week])
    result = simulate_dated(plan.demand, stores, store_id, made_with, plan.shifts if shifts is None else shifts,
                            monday, **options)
    return stored, plan, result


def review_published_plan(engine: Engine, settings: Settings, store_id: str, iso_week: str,
                          scope: Scope = EVERYTHING):
    """(stored plan, `planner.review.Review`) of the plan published for `store_id` in `iso_week` against the counts
    since; None when none is published. `OutsideScope` for a store `scope` does not cover."""
    reviewed = review_published_plans(engine, settings, store_id, [iso_week], scope)
    return None if reviewed is None else (reviewed[0][0], reviewed[1])


def review_published_plans(engine: Engine, settings: Settings, store_id: str, iso_weeks: Sequence[str],
                           scope: Scope = EVERYTHING):
    """([stored plan per week that has one], one `planner.review.Review` over them all, so a persistent bias is
    judged over every week counted) of the plans published for `store_id` in `iso_weeks`; None when none of the
    weeks has one. `OutsideScope` for a store `scope` does not cover."""
    from planner.plans import Plan
    from planner.review import Judging, judged_days, review_published, unplanned_days
    from planner.storage.versioned import PUBLISHED

    history = [plan for week in dict.fromkeys(iso_weeks)
               for plan in storage.published_history(engine, store_id, week, scope)]
    stored = [plan for plan in history if plan.status == PUBLISHED]
    if not stored:
        return None
    by_id = {plan.plan_id: plan for plan in history}
    published = published_once(engine, settings, store_id, history, scope)
    judging = [Judging(Plan.from_json(by_id[once.plan_id].document), store_id, once.iso_week, once.plan_id, dates)
               for once, dates in judged_days(published)]
    judging += [Judging(Plan.from_json(by_id[once.plan_id].document), store_id, once.iso_week, once.plan_id, dates,
                        published_on=once.published_on) for once, dates in unplanned_days(published)]
    observations = storage.load_observations(engine, [store_id], scope)
    return stored, review_published(judging, observations, settings)


def published_once(engine: Engine, settings: Settings, store_id: str, history: Sequence, scope: Scope = EVERYTHING):
    """`planner.review.PublishedOnce` of each published plan of `store_id` in `history` (`storage.StoredPlan`s),
    with the time zone its clock keeps: the week's dates are the store's, so a publication is dated on its clock."""
    from planner.review import PublishedOnce

    zone = resolve_time_zones(storage.load_stores(engine, scope, [store_id]), settings).get(store_id)
    return [PublishedOnce(p.plan_id, store_id, p.iso_week, p.published_at, zone) for p in history]


def compare_stores(
    recommendation: pd.DataFrame, stores: pd.DataFrame, demand: pd.DataFrame, regions: Iterable[str] | None = None,
    weekday: int | None = None, scope: Scope = EVERYTHING,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(KPIs per store, store x hour heatmap) of the stores of `regions` (None: all) that `scope` covers and that can
    be planned (`compared_stores`), for roles that may compare (`OutsideScope` otherwise): both of `weekday`
    (0 = Monday), or with None the KPIs per week and the heatmap's mean over the week."""
    from planner import compare

    scope.require(COMPARE)
    listed, _ = compared_stores(stores, regions, scope)
    ids = listed[S.store_id]
    recommendation = recommendation[recommendation[S.store_id].isin(ids)]
    demand = demand[demand[S.store_id].isin(ids)]
    return (compare.store_kpis(recommendation, listed, demand, weekday),
            compare.staff_heatmap(recommendation, listed, demand, weekday))


def compared_stores(stores: pd.DataFrame, regions: Iterable[str] | None = None,
                    scope: Scope = EVERYTHING) -> tuple[pd.DataFrame, dict[str, str]]:
    """(the stores of `regions` (None: all) that `scope` covers and that can be planned; store_id -> why each other
    store of them cannot be, `unusable_stores`): the stores compared side by side, and those left out of them and
    said so, as `recommend --all` says them. Left in, such a store showed a week of 0 staff-hours needed."""
    listed = scoped_stores(stores, scope)
    if regions is not None:
        listed = listed[listed[S.region].isin(list(regions))]
    left_out = unusable_stores(listed)
    return listed[~listed[S.store_id].astype(str).isin(left_out)], left_out


def _patience_of(observations: pd.DataFrame, stores: pd.DataFrame, settings: Settings,
                 patience: Mapping[str, PatienceEstimate] | None,
                 calendar: pd.DataFrame | None = None) -> Mapping[str, PatienceEstimate]:
    """`patience` when the caller has the estimates already (`stored_patience`), else made from the counts (read
    under the store `calendar`'s hours of their dates)."""
    return patience_from_counts(observations, stores, settings, calendar) if patience is None else patience


def keep_patience_estimates(engine: Engine, settings: Settings,
                            progress: Callable[[int, int], None] | None = None) -> None:
    """Make and keep the patience estimates of every store format whose counts, stores or settings changed
    (`stored_patience`), right after an import, so that the next plan reads them instead of making them."""
    if storage.count_rows(engine)["stores"]:
        stored_patience(engine, *_chain_inputs(engine, planned=False), settings, progress,
                        calendar=counted_calendar(engine))


def _chain_inputs(engine: Engine, store_ids: Iterable[str] | None = None, scope: Scope = EVERYTHING, *,
                  planned: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every store's counts, every store) for the pooled demand model only: what it fits is cut to the user's
    scope before anything leaves this module (see the module's docstring). `store_ids` in `scope` are checked first
    (`select_stores`: unknown, or a stored value out of range); stores that cannot be planned are left out
    (`usable_chain`). To be `planned`, every store (None) must hold one that can be (`stores_to_plan`)."""
    every_store = storage.load_stores(engine)
    if every_store.empty:
        raise NoStoresYet()
    (stores_to_plan if planned else select_stores)(every_store, store_ids, scope)
    every_store = every_store[~every_store[S.store_id].astype(str).isin(unusable_stores(every_store))]
    return storage.load_observations(engine, every_store[S.store_id].tolist()), every_store


def counted_calendar(engine: Engine, planned_with: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """The store calendar the database holds (`CalendarSchema` rows, every store's and the chain-wide ones; None:
    none), which the demand model reads each counted date's opening hours from (`planner.demand.count_chain`).
    Loaded for every store, as the pooled model's counts are (`_chain_inputs`): what crosses the scope is only the
    part of an hour each count is read against, never a row. `planned_with`: a plan's calendar (`CalendarSchema`,
    with the rows of a calendar file not stored yet), whose rows stand in for the stored ones of the same store and
    date."""
    rows = storage.load_calendar(engine)
    return merged_calendar(None if rows.empty else stored_exceptions(rows), planned_with)


def requirement_tables(recommendation: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per store, a 7 x 24 table of recommended staff: NaN where an open hour has no recommendation (never counted),
    0 where the store is closed."""
    tables = {}
    for store, rows in recommendation.groupby("store_id", sort=True):
        table = np.zeros((7, 24), dtype=float)
        staff = rows["required_staff"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        table[rows["weekday"].to_numpy(dtype=int), rows["hour"].to_numpy(dtype=int)] = staff
        tables[str(store)] = table
    return tables


def schedule(
    engine: Engine,
    settings: Settings,
    store_ids: Iterable[str] | None = None,
    *,
    parallel: bool | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    scope: Scope = EVERYTHING,
) -> list[ShiftReport]:
    """Shifts covering each store's recommended staff per hour, one report per store (`store_ids`, or every store in
    `scope`). Open hours without a recommendation get no shifts unless `settings.shifts.min_staff_cover` asks for
    min_staff there."""
    scope.require(PLAN)
    stores = stores_with_targets(select_stores(storage.load_stores(engine, scope), store_ids, scope), settings)
    # every store asked for as such: none to plan is then said as `recommend` says it (no stores, or why none)
    asked = None if store_ids is None else stores[S.store_id].tolist()
    tables = requirement_tables(recommend(engine, settings, asked, scope=scope))
    return schedule_stores(stores, tables, settings, parallel=parallel, scheduler=scheduler, progress=progress)


def schedule_stores(
    stores: pd.DataFrame,
    tables: dict[str, np.ndarray],
    settings: Settings,
    *,
    parallel: bool | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ShiftReport]:
    """Shifts for each row of `stores` (targets already resolved: its min_staff is the one in force) covering its
    7 x 24 table of `tables` (none: no recommendation anywhere), within the store's opening hours."""
    from planner.shifts import from_store, report
    from planner.shifts.batch import solve_many

    budget, cover = settings.shifts.weekly_budget_staff_hours, settings.shifts.min_staff_cover
    instances = [
        from_store(row, tables.get(row[S.store_id], np.full((7, 24), np.nan)), budget, cover)
        for _, row in stores.iterrows()
    ]
    solutions = solve_many(instances, settings.shifts, parallel=parallel, scheduler=scheduler, progress=progress)
    return [report(solution) for solution in solutions]


def schedule_requirements(
    tables: dict[str, np.ndarray],
    settings: Settings,
    *,
    parallel: bool | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ShiftReport]:
    """Shifts for explicit requirement tables (store -> 7 x 24), opening where staff are required."""
    from planner.shifts import from_hourly, report
    from planner.shifts.batch import solve_many

    budget = settings.shifts.weekly_budget_staff_hours
    instances = [from_hourly(store, table, budget_staff_hours=budget) for store, table in tables.items()]
    solutions = solve_many(instances, settings.shifts, parallel=parallel, scheduler=scheduler, progress=progress)
    return [report(solution) for solution in solutions]


def make_plan(
    engine: Engine,
    request: PlanRequest,
    *,
    calendar: pd.DataFrame | None = None,
    parallel: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
    scope: Scope = EVERYTHING,
) -> Plan:
    """The plan for `request` (its stores, or every store in `scope`) from the stored store file and counts, with
    the store `calendar`'s exceptions (`CalendarSchema`; None: no exceptions). The counts are read under their
    dates' hours as the stored calendar gives them, with `calendar`'s rows in place of the stored ones of the same
    store and date (`counted_calendar`). `progress(done, total)` counts store-weeks scheduled."""
    scope.require(PLAN)
    # an unknown store id is said before anything else is loaded
    observations, stores = _chain_inputs(engine, request.store_ids or None, scope)  # pooled, as in `recommend`
    counted_under = counted_calendar(engine, calendar)
    return make_plan_from_frames(observations, stores, request, calendar=calendar, parallel=parallel,
                                 progress=progress, scope=scope,
                                 patience=stored_patience(engine, observations, stores, request.settings,
                                                          calendar=counted_under),
                                 counted_calendar=counted_under)


def make_plan_from_frames(
    observations: pd.DataFrame,
    stores: pd.DataFrame,
    request: PlanRequest,
    *,
    calendar: pd.DataFrame | None = None,
    parallel: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
    scope: Scope = EVERYTHING,
    patience: Mapping[str, PatienceEstimate] | None = None,
    counted_calendar: pd.DataFrame | None = None,
) -> Plan:
    """`make_plan` on frames: demand is estimated once from the weekday profiles (over every hour any planned date
    opens), then each week gets its dates' exceptions, staff at the scaled rates, and shifts. Only stores `scope`
    covers are planned; the others' counts only shape the pooled demand. A store that cannot be planned (a stored
    value out of range, openings that overlap, also on a date the `calendar` changes) is refused by name when the
    request names it, and left out of every store (`unplannable_stores` says which). The counts are read under
    their dates' hours as `counted_calendar` gives them (every store's; None: `calendar`)."""
    from planner.plans import Plan, input_fingerprint, store_week_fingerprints
    from planner.plans.dated import dated_coverage, dated_explanations, dated_schedules, dated_shifts

    weeks = request.iso_weeks
    asked = _plannable_in(select_stores(stores, request.store_ids or None, scope), calendar, weeks,
                          named=bool(request.store_ids)).reset_index(drop=True)
    if asked.empty:  # every store left out (a named one is refused above): say which, and why
        raise none_left(unplannable_stores(scoped_stores(stores, scope), calendar, weeks))
    observations, every_store = usable_chain(observations, stores)
    every_store, stores = every_store.reset_index(drop=True), asked
    settings, what_if = request.settings, request.what_if_values()
    ids = stores[S.store_id].astype(str).tolist()
    every_observation, observations = observations, observations[observations[S.store_id].isin(ids)]
    counted_under = calendar if counted_calendar is None else counted_calendar
    patience = _patience_of(every_observation, every_store, settings, patience, counted_under)
    applied, by_week = _weeks_staffing(every_observation, every_store, stores, weeks, calendar, settings, what_if,
                                       patience, counted_under)
    demand, staffing, reports, opening = [], [], {}, {}
    for n, (week, exception_rows, week_stores, week_demand, week_staff) in enumerate(by_week):
        reports[week] = schedule_stores(
            week_stores, requirement_tables(week_staff), settings, parallel=parallel,
            progress=(lambda done, total, n=n: progress(n * total + done, len(weeks) * total)) if progress else None)
        opening[week] = week_stores
        demand.append(_dated(week_demand, week, week_stores, exception_rows).assign(
            open_share=open_share(week_demand, week_stores)))
        staffing.append(_dated_staffing(week_staff, week, week_stores))
    fingerprint = input_fingerprint(observations, stores, applied, settings, what_if, request.min_staff_cover,
                                    counted_under)
    return Plan(
        request=request, fingerprint=fingerprint, created_at=clock.now().isoformat(timespec="seconds"),
        targets=resolve_targets(stores, settings, what_if, patience).assign(
            max_staff=stores[S.max_staff].astype("Int64").to_numpy()), exceptions=applied,
        demand=pd.concat(demand, ignore_index=True), staffing=pd.concat(staffing, ignore_index=True),
        shifts=pd.concat([dated_shifts(reports[w], w) for w in weeks], ignore_index=True),
        coverage=pd.concat([dated_coverage(reports[w], w, opening[w]) for w in weeks], ignore_index=True),
        schedules=pd.concat([dated_schedules(reports[w], w) for w in weeks], ignore_index=True),
        explanations=pd.concat([dated_explanations(reports[w], w) for w in weeks], ignore_index=True),
        inputs=store_week_fingerprints(observations, stores, applied, settings, what_if, list(request.weeks),
                                       request.min_staff_cover, counted_under),
        pooled_inputs=pooled_digest(every_observation, every_store, counted_under),
        # each store's id of the chain: kept only where the maker may see every store (a store manager's plan named
        # the other stores in its document; such a plan names none of them when other stores' counts move it)
        pooled_counts=store_counts_digests(every_observation) if scope.all_stores else None,
    )


POOLED_REVISION_FORM = "v2:{0.observations}:{0.stores}:{0.calendar}"
"""The key a chain's pooled digest is kept under (`storage.kept_pooled_digest`): the newest upload of counts, store
file and calendar (`storage.revision`), and the digest's version, so a later way of digesting keeps its own ("v2":
of the calendar, only the rows the counts are read under; "v1" digested it whole)."""


def pooled_inputs_digest(engine: Engine) -> str:
    """`planner.digest.pooled_digest` of the chain as `make_plan` reads it today: every usable store's counts and row
    and the stored calendar's rows they are read under (what a plan's `pooled_inputs` is compared with). Kept per revision of those uploads
    (`POOLED_REVISION_FORM`): on a chain of two million counted hours, loading and hashing them took seconds on
    every list of saved plans. At a new revision, the counts' part is made from row hashes kept per store
    (`planner.counts_digest`): only the counts of the stores an import wrote are loaded. Both are kept only when no
    upload landed while the chain was read."""
    before = POOLED_REVISION_FORM.format(storage.revision(engine))
    kept = storage.kept_pooled_digest(engine, before)
    if kept is not None:
        return kept
    stores = _usable_stores(engine)
    counts, fresh = counts_digest(engine, stores[S.store_id].astype(str))
    digest = pooled_digest_of(counts, stores, *_counted_pairs(engine, stores))
    if POOLED_REVISION_FORM.format(storage.revision(engine)) == before:
        try:  # caches: an import holding the database keeps them from being written, not the list
            keep_fresh(engine, fresh)
            storage.keep_pooled_digest(engine, before, digest)
        except DatabaseBusy:
            pass
    return digest


def _counted_pairs(engine: Engine, stores: pd.DataFrame) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """(the stored calendar, each store and date of `stores`' counts): what tells the calendar rows the counts are
    read under (`pooled_digest_of`), the dates from the database's grouping of the counts, not every count loaded;
    without a calendar, none are asked for."""
    calendar = counted_calendar(engine)
    if calendar is None:
        return None, pd.DataFrame({S.store_id: pd.Series(dtype=object), "date": pd.Series(dtype="datetime64[ns]")})
    days = storage.load_counted_days(engine)
    return calendar, days.loc[days[S.store_id].astype(str).isin(stores[S.store_id].astype(str)), [S.store_id, "date"]]


def pooled_counts_today(engine: Engine) -> dict[str, str]:
    """store_id -> the digest of its counts today (`planner.digest.store_counts_digests`), for every usable store
    with counts, as `make_plan` keeps them in a plan's `pooled_counts`: which stores' counts changed since a plan was
    made. From the row hashes kept per store (`planner.counts_digest`), kept anew only when no upload landed while
    they were read."""
    before = storage.revision(engine)
    digests, fresh = store_counts_digests_of(engine, _usable_stores(engine)[S.store_id].astype(str))
    if storage.revision(engine) == before:
        try:  # a cache: an import holding the database keeps it from being written, not the list
            keep_fresh(engine, fresh)
        except DatabaseBusy:
            pass
    return digests


def _usable_stores(engine: Engine) -> pd.DataFrame:
    """Every stored store that is not `unusable_stores`: those whose counts the pooled model reads, as `_pooled_chain`
    reads them."""
    stores = storage.load_stores(engine)
    return stores[~stores[S.store_id].astype(str).isin(unusable_stores(stores))]


def remade_staffing(engine: Engine, request: PlanRequest, calendar: pd.DataFrame | None) -> pd.DataFrame:
    """The requirement (`DatedStaffingSchema` rows: recommended staff per store, date and open hour) a plan of
    `request`'s stores and weeks made now would hold, with `calendar`'s exceptions, as `make_plan` makes it but
    without shifts: what a saved plan's `staffing` is held against to tell whether other stores' counts moved it.
    The stores must be usable ones (`unusable_stores`); the caller's scope is not checked here."""
    return remade_staffings(engine, [request], calendar)[0]


def remade_staffings(engine: Engine, requests: Sequence[PlanRequest], calendar: pd.DataFrame | None
                     ) -> list[pd.DataFrame]:
    """`remade_staffing` of each of `requests` (the same stores and weeks at the settings before a change and after
    it, say), the chain's counts read once from the database and fitted once for requests whose fit reads the same
    (`estimate_demand` is kept by what it reads: a target wait or service level changed keeps it)."""
    observations, stores, counted_under = _pooled_chain(engine)
    observations, stores = usable_chain(observations, stores)
    stores = stores.reset_index(drop=True)
    remade = []
    for request in requests:
        patience = stored_patience(engine, observations, stores, request.settings, calendar=counted_under)
        chosen = stores[stores[S.store_id].astype(str).isin(request.store_ids)].reset_index(drop=True)
        _, by_week = _weeks_staffing(observations, stores, chosen, request.iso_weeks, calendar, request.settings,
                                     request.what_if_values(), patience, counted_under)
        remade.append(pd.concat([_dated_staffing(week_staff, week, week_stores)
                                 for week, _, week_stores, _, week_staff in by_week], ignore_index=True))
    return remade


def _weeks_staffing(observations: pd.DataFrame, every_store: pd.DataFrame, stores: pd.DataFrame,
                    weeks: Sequence[IsoWeek], calendar: pd.DataFrame | None, settings: Settings,
                    what_if: Mapping[str, float | int], patience: Mapping[str, PatienceEstimate],
                    counted_under: pd.DataFrame | None) -> tuple[pd.DataFrame, list[tuple]]:
    """The staffing steps a plan and a plan made again (`remade_staffing`) share: demand estimated once from the
    chain's counts (`observations` of `every_store`) over every hour a planned date opens, then each week of `weeks`
    with its dates' `calendar` exceptions. (the exceptions applied, one `iso_week` column; per week: (week, its
    exceptions, its stores' openings, demand, staff)) for the rows of `stores`."""
    ids = stores[S.store_id].astype(str).tolist()
    exceptions = {week: week_exceptions(calendar, ids, week) for week in weeks}
    applied = pd.concat([frame.assign(iso_week=str(week)) for week, frame in exceptions.items()], ignore_index=True)
    profile = _week_profile(observations, every_store, ids, applied, settings, what_if, patience, counted_under)
    return applied, [(week, exceptions[week], *_week_staffing(profile, stores, exceptions[week], settings, what_if,
                                                              patience))
                     for week in weeks]


def _pooled_chain(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """(every store's counts, every store that is not `unusable_stores`, the stored calendar): the chain as the
    pooled model reads it, whoever asks (only digests and one's own stores' requirement leave with it)."""
    stores = storage.load_stores(engine)
    stores = stores[~stores[S.store_id].astype(str).isin(unusable_stores(stores))]
    return storage.load_observations(engine, stores[S.store_id].tolist()), stores, counted_calendar(engine)


def _dated_staffing(week_staff: pd.DataFrame, week: IsoWeek, week_stores: pd.DataFrame) -> pd.DataFrame:
    return _dated(week_staff, week, week_stores).assign(
        open_minutes=pd.array(minutes_open(week_staff, week_stores), dtype="Int64"))


def unplannable_stores(stores: pd.DataFrame, calendar: pd.DataFrame | None = None,
                       weeks: Iterable[IsoWeek] = ()) -> dict[str, str]:
    """store_id -> why it cannot be planned, for the stores of `stores` a plan of every store leaves out: a stored
    value out of range or usual opening hours that overlap (`unusable_stores`), or, in one of `weeks`, a `calendar`
    date whose changed hours overlap the next date's opening (`planner.calendar.calendar_overlaps`)."""
    unusable = unusable_stores(stores)
    rest = stores[~stores[S.store_id].astype(str).isin(unusable)]
    return unusable | calendar_overlaps(rest, calendar, weeks)


def _plannable_in(stores: pd.DataFrame, calendar: pd.DataFrame | None, weeks: Iterable[IsoWeek], *,
                  named: bool = True) -> pd.DataFrame:
    """The rows of `stores` (selected already: `select_stores`) whose openings in `weeks` overlap nowhere under the
    `calendar` (`calendar_overlaps`). A store the user `named` is refused by name (`PlannerError`), as
    `select_stores` refuses one that cannot be planned; of every store, it is left out, the others planned
    (`unplannable_stores` says which); none left is the caller's to say (`none_left`, with every store's reason)."""
    refused = calendar_overlaps(stores, calendar, weeks)
    if refused and named:
        raise PlannerError(" ".join(refused.values()))
    return stores[~stores[S.store_id].astype(str).isin(refused)]


def week_requirement(engine: Engine, settings: Settings, store_id: str, week: IsoWeek,
                     calendar: pd.DataFrame | None, scope: Scope = EVERYTHING) -> np.ndarray:
    """7 x 24 required staff of `store_id` in `week` as a plan of it would require them (NaN: no recommendation):
    the recommendation with the week's calendar exceptions, a closed date and the hours outside changed opening
    hours requiring none, a demand factor staffed at its scaled rates; no shifts are made."""
    observations, every_store = _chain_inputs(engine, [store_id], scope)
    stores = _plannable_in(select_stores(every_store, [store_id], scope), calendar, [week]).reset_index(drop=True)
    exceptions = week_exceptions(calendar, [store_id], week)
    counted_under = counted_calendar(engine, calendar)
    patience = stored_patience(engine, observations, every_store, settings, calendar=counted_under)
    profile = _week_profile(observations, every_store.reset_index(drop=True), [store_id],
                            exceptions.assign(iso_week=str(week)), settings, None, patience, counted_under)
    _, _, staff = _week_staffing(profile, stores, exceptions, settings, None, patience)
    table = requirement_tables(staff).get(store_id, np.full((7, 24), np.nan))
    return np.where(_open_in_week(stores.iloc[0], exceptions), table, 0.0)


def _open_in_week(store: pd.Series, exceptions: pd.DataFrame) -> np.ndarray:
    """7 x 24: whether the store is open in each weekday's hour of the week (the calendar's exceptions applied),
    hours after midnight counted on the day they fall on."""
    dated = dated_stores(store.to_frame().T, exceptions).iloc[0]
    week = tuple(parse_opening_hours(str(dated[day])) for day in WEEKDAYS)
    return np.array([[is_open_during_hour(week, weekday, hour) for hour in range(24)] for weekday in range(7)])


def _week_profile(observations: pd.DataFrame, every_store: pd.DataFrame, ids: list[str], applied: pd.DataFrame,
                  settings: Settings, what_if, patience, calendar: pd.DataFrame | None = None) -> pd.DataFrame:
    """The demand profile of the stores `ids`, pooled over the whole chain (as `recommend_from_frames`), what-ifs
    for those stores only, over every hour any of the `applied` exceptions opens; the counts read under their
    dates' hours as the store `calendar` gives them."""
    chosen = every_store[S.store_id].isin(ids)
    estimated = pd.concat([
        stores_with_targets(estimation_stores(every_store[chosen], applied), settings, what_if, patience),
        stores_with_targets(every_store[~chosen], settings, None, patience)])
    # counted under the usual hours, or their date's where the calendar changes them
    profile = estimate_demand(observations, estimated, settings, counted_under=every_store, calendar=calendar)
    return profile[profile[S.store_id].isin(ids)].reset_index(drop=True)


def _week_staffing(profile: pd.DataFrame, stores: pd.DataFrame, exceptions: pd.DataFrame, settings: Settings,
                   what_if, patience) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One week's stores (its own opening hours and targets), demand (the profile on its dates, demand factors
    applied) and recommended staff."""
    week_stores = stores_with_targets(dated_stores(stores, exceptions), settings, what_if, patience)
    week_demand = dated_demand(profile, week_stores, exceptions)
    return week_stores, week_demand, recommend_staff(week_demand, week_stores, settings)


def _dated(frame: pd.DataFrame, week: IsoWeek, week_stores: pd.DataFrame,
           exceptions: pd.DataFrame | None = None) -> pd.DataFrame:
    """`frame` (per store x weekday x hour of `week`, opening as `week_stores`) with its ISO week and the date each
    hour falls on (`hour_dates`: Sunday night's hours on the next week's Monday); with `exceptions`, also the
    business date and demand factor of each hour."""
    business, clock = hour_dates(frame, week_stores, week)
    out = frame.assign(iso_week=str(week), date=clock)
    if exceptions is not None:
        out["business_date"] = business
        out["demand_factor"] = demand_factors(exceptions, frame["store_id"], pd.DatetimeIndex(business).day_of_week)
    return out
