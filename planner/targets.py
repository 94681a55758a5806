"""Each store's service targets, resolved in one place: the settings, overridden by the store file's own value,
overridden by a what-if value.

Demand (patience), staffing, compare, the app and the CLI all take their targets from `resolve_targets`; the
stores frame handed to demand and staffing gets its target columns filled from it (`stores_with_targets`), so no
stage falls back to a default of its own. A what-if travels as values ({"target_wait_seconds": 30}), never as the
name of a setting whose store column is blanked.

Patience is the one target the counts can say something about: where the store file gives none (and no what-if
does), a patience estimated from the counts (`planner.demand.patience`, via `patience_from_counts`) is used when its
interval is narrow enough, else the setting, moved to the interval's nearest end where the interval rules it out;
`patience_minutes_note` says which, with the interval. The patience planned with is the estimate's lower quantile at
`StaffingRules.target_confidence`, as the demand is hedged: a patience read too long plans too few staff.

Units as in `ServiceTargets`: shares are fractions, waits seconds, patience minutes, min_staff staff. A store's own
simulation value, its service times' coefficient of variation, is resolved here too (`resolve_service_cv`), and the
time zone its clock keeps, which its calendar files state (`resolve_time_zones`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from planner.demand.patience import FORMAT, GRID_MINUTES, PatienceEstimate, estimate_patience
from planner.errors import InvalidRequest, PlannerError
from planner.hours import DAY_NAMES, WEEKDAYS, opening_overlaps, overlap_fix, overlap_message, parse_opening_hours
from planner.schemas import StoreSchema as S
from planner.settings import STORE_TARGETS, FieldInfo, ServiceTargets, Settings, field_info, store_column_info
from planner.words import ended
from planner.surfaces import patience as patience_words
from planner.surfaces.fixes import IMPORT_A_CORRECTED_STORE_FILE

TARGET_NAMES = STORE_TARGETS
"""The service targets a store file may set per store and a what-if may set for every store (the store file's
columns bear the same names)."""
SETTING, STORE_FILE, WHAT_IF, ESTIMATED = "setting", "store file", "what-if", "estimated from counts"
"""Where a resolved target came from (the `<name>_source` columns; ESTIMATED for patience only)."""
SOURCE_SUFFIX = "_source"
PATIENCE_NOTE = "patience_minutes_note"
"""Column of `resolve_targets`: where the patience comes from in a store manager's words (`planner.surfaces.patience`),
e.g. "setting", "estimated from counts: customers give up after about 4.2 min of waiting (likely 3.1-5.6 min); ...",
"setting (the counts cannot tell how long customers wait before giving up: anything under 6.4 min fits them, the
setting's 5 min too)" or, where the counts rule the setting out, "the counts show customers give up sooner than the
chain's 5 min setting (under 2.0 min) but not how much sooner: planned with 2.0 min, the longest patience they
allow"."""


def target_info(name: str) -> FieldInfo:
    """Label, unit, meaning and allowed range of target `name` (from `ServiceTargets`' field metadata)."""
    return field_info(ServiceTargets, name)


def check_what_if(what_if: Mapping[str, float | int] | None) -> dict[str, float | int]:
    """`what_if` as a plain dict of known targets within their ranges; a `PlannerError` naming the first that is
    not (an unknown name, a share of 1.5)."""
    checked: dict[str, float | int] = {}
    for name, value in (what_if or {}).items():
        if name not in TARGET_NAMES:
            raise PlannerError(f"'{name}' is not a target a what-if can change (one of {', '.join(TARGET_NAMES)})")
        info = target_info(name)
        if value is None or pd.isna(value) or not info.allows(float(value)):
            raise PlannerError(f"what-if {name} = {value} is outside what it allows ({info.allowed()})")
        checked[name] = int(value) if info.whole else float(value)
    return checked


def needs_patience_estimate(observations: pd.DataFrame, stores: pd.DataFrame, settings: Settings) -> bool:
    """Whether any store's patience is to be estimated: the estimate is on, there are counts, and some store's file
    gives no patience of its own."""
    own = stores[S.patience_minutes].notna() if S.patience_minutes in stores else pd.Series(False, index=stores.index)
    return bool(settings.demand.estimate_patience and not observations.empty and not own.all())


def patience_from_counts(
    observations: pd.DataFrame, stores: pd.DataFrame, settings: Settings, calendar: pd.DataFrame | None = None
) -> dict[str, PatienceEstimate]:
    """Each store's patience estimated from the counts (`planner.demand.patience`, allowing for each store's service
    times' coefficient of variation, `resolve_service_cv`, and reading each count as the part of an hour its store
    was open on its date, the store `calendar`'s hours where it changed them), for `resolve_targets`; nothing is
    estimated when every store's file gives its own patience, or `DemandRules.estimate_patience` is off."""
    unusable = unusable_stores(stores)
    if unusable:  # a stored service_cv of 1e200 overflowed the estimate of every store
        stores = stores[~stores[S.store_id].astype(str).isin(unusable)]
        observations = observations[~observations[S.store_id].astype(str).isin(unusable)]
    if not needs_patience_estimate(observations, stores, settings):
        return {}
    cv = resolve_service_cv(stores, settings).set_index(S.store_id)[S.service_cv]
    return estimate_patience(observations, stores, settings.demand, cv.to_dict(), settings.simulation.touch_share,
                             calendar)


def resolve_targets(
    stores: pd.DataFrame, settings: Settings, what_if: Mapping[str, float | int] | None = None,
    patience: Mapping[str, PatienceEstimate] | None = None,
) -> pd.DataFrame:
    """One row per store of `stores` (in its order): store_id, each of `TARGET_NAMES` resolved (what-if, else the
    store file's value, else, for patience, the estimate from the counts in `patience` when it tells, else the
    settings') and `<name>_source` saying which ("what-if", "store file", "estimated from counts", "setting"), and
    `patience_minutes_note` in words. min_staff is int64, the other targets float."""
    values = check_what_if(what_if)
    out = pd.DataFrame({S.store_id: stores[S.store_id].astype(str).to_numpy()})
    for name in TARGET_NAMES:
        if name in values:
            out[name] = float(values[name])
            out[name + SOURCE_SUFFIX] = WHAT_IF
        else:
            out[name], out[name + SOURCE_SUFFIX] = _own_else(stores, name, float(getattr(settings.targets, name)))
    out[S.min_staff] = out[S.min_staff].round().astype("int64")
    _estimated_patience(out, patience or {}, settings)
    return out[[S.store_id, *TARGET_NAMES, *(name + SOURCE_SUFFIX for name in TARGET_NAMES), PATIENCE_NOTE]]


def _estimated_patience(out: pd.DataFrame, patience: Mapping[str, PatienceEstimate], settings: Settings) -> None:
    """Where the patience is the setting's and the counts tell, the patience planned with from the estimate (its
    lower quantile at `target_confidence`: `PatienceEstimate.planned_minutes`) instead; where they cannot tell but
    their interval rules the setting out, its end nearest the setting; the note in words."""
    source = S.patience_minutes + SOURCE_SUFFIX
    confidence = settings.staffing.target_confidence
    minutes, sources = out[S.patience_minutes].to_list(), out[source].to_list()
    notes = list(sources)
    for row, store_id in enumerate(out[S.store_id]):  # plain lists: a chain's thousand stores, not `.at` each
        estimate = patience.get(store_id)
        if sources[row] != SETTING or estimate is None:
            continue
        if estimate.informative:
            minutes[row] = planned = estimate.planned_minutes(confidence, settings.demand.interval_level)
            sources[row] = ESTIMATED
            whose = (f"the counts of {estimate.stores_pooled} {estimate.format_name} stores"
                     if estimate.basis == FORMAT else "counts")
            notes[row] = patience_words.estimated(whose, estimate.patience_minutes, estimate.low_minutes,
                                                  estimate.high_minutes, planned, confidence)
        elif np.isfinite(estimate.patience_minutes):
            setting, bound = minutes[row], _nearest_end(minutes[row], estimate)
            if bound is None:
                notes[row] = patience_words.cannot_tell(SETTING, estimate.low_minutes, estimate.high_minutes, setting,
                                                        float(GRID_MINUTES[0]), float(GRID_MINUTES[-1]))
            else:  # the counts cannot say how long, but they rule the setting out: move it only as far as they do
                minutes[row], sources[row] = bound, ESTIMATED
                notes[row] = patience_words.ruled_out(estimate.interval_text, setting, bound)
    out[S.patience_minutes] = np.asarray(minutes, dtype=float)
    out[source] = sources
    out[PATIENCE_NOTE] = notes


def _nearest_end(setting_minutes: float, estimate: PatienceEstimate) -> float | None:
    """The end of `estimate`'s interval nearest `setting_minutes` when the setting lies outside it (an end beyond
    the range tried is open), else None. Minutes."""
    if np.isfinite(estimate.high_minutes) and setting_minutes > estimate.high_minutes:
        return float(estimate.high_minutes)
    if np.isfinite(estimate.low_minutes) and setting_minutes < estimate.low_minutes:
        return float(estimate.low_minutes)
    return None


def resolve_service_cv(stores: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """One row per store of `stores` (in its order): store_id, `service_cv` (the coefficient of variation of its
    simulated service times: the store file's value, else `SimulationRules.service_cv`) and `service_cv_source`
    ("store file" or "setting")."""
    values, sources = _own_else(stores, S.service_cv, float(settings.simulation.service_cv))
    return pd.DataFrame({S.store_id: stores[S.store_id].astype(str).to_numpy(), S.service_cv: values,
                         S.service_cv + SOURCE_SUFFIX: sources})


def resolve_time_zones(stores: pd.DataFrame, settings: Settings) -> dict[str, str | None]:
    """store_id -> the IANA time zone its clock keeps, for each store of `stores` (in its order): the store file's
    `time_zone`, else the chain's (`ChainRules.time_zone`); None where neither says one (calendar files then keep
    floating local times). A frame without the column (made before it existed) gives every store the chain's."""
    chain = settings.chain.time_zone
    ids = stores[S.store_id].astype(str).to_list()
    own = stores[S.time_zone].to_list() if S.time_zone in stores.columns else [None] * len(ids)
    return {store_id: chain if zone is None or pd.isna(zone) or not str(zone) else str(zone)
            for store_id, zone in zip(ids, own, strict=True)}


def stores_with_targets(
    stores: pd.DataFrame, settings: Settings, what_if: Mapping[str, float | int] | None = None,
    patience: Mapping[str, PatienceEstimate] | None = None,
) -> pd.DataFrame:
    """`stores` with every target column filled from `resolve_targets` (none left blank; `patience` as there),
    ready for demand and staffing. A what-if min_staff above a store's max_staff is refused (`InvalidRequest`: it
    planned 100 staff in a store that takes 8, and called the schedule optimal); a chain setting's min_staff above a
    store's max_staff raises that max_staff to it (the floor must fit)."""
    _check_what_if_floor(stores, what_if)
    resolved = resolve_targets(stores, settings, what_if, patience).set_index(S.store_id)
    out = stores.copy()
    ids = out[S.store_id].astype(str)
    for name in TARGET_NAMES:
        column = ids.map(resolved[name])
        out[name] = column.astype("Int64") if name == S.min_staff else column.astype("Float64")
    if S.max_staff in out.columns:
        out[S.max_staff] = out[[S.max_staff, S.min_staff]].max(axis=1).astype("Int64")
    return out


def _check_what_if_floor(stores: pd.DataFrame, what_if: Mapping[str, float | int] | None) -> None:
    floor = (what_if or {}).get(S.min_staff)
    if floor is None or S.max_staff not in stores.columns:
        return
    ceiling = stores[S.max_staff].astype("Float64")
    above = stores.loc[(ceiling < floor).fillna(False).to_numpy(dtype=bool)]
    if not above.empty:
        pairs = list(zip(above[S.store_id], above[S.max_staff], strict=True))
        named = ", ".join(f"{store} ({int(most)})" for store, most in pairs[:5]) + (" ..." if len(pairs) > 5 else "")
        raise InvalidRequest(f"the what-if min_staff {int(floor)} is above the most staff the store file lets on "
                             f"the floor of {named}: give at most {int(above[S.max_staff].min())}, or raise max_staff "
                             "in the store file")


def targets_of(resolved: pd.DataFrame, store_id: str) -> dict[str, float | int]:
    """One store's resolved targets as {name: value} (min_staff an int)."""
    row = resolved.set_index(S.store_id).loc[store_id]
    return {name: int(row[name]) if target_info(name).whole else float(row[name]) for name in TARGET_NAMES}


def not_the_setting(resolved: pd.DataFrame) -> dict[str, dict[str, list[str]]]:
    """For each of `TARGET_NAMES`, the stores of a `resolve_targets` frame that do not plan with the setting's value,
    by where theirs comes from (`STORE_FILE`, `ESTIMATED`, `WHAT_IF`): the stores a change of the setting leaves
    alone."""
    found: dict[str, dict[str, list[str]]] = {}
    for name in TARGET_NAMES:
        sources = resolved[name + SOURCE_SUFFIX].astype(str)
        own = resolved.loc[sources != SETTING]
        found[name] = {source: sorted(own.loc[sources[own.index] == source, S.store_id].astype(str))
                       for source in dict.fromkeys(sources[own.index])}
    return found


STORE_NUMBERS = (S.wage_per_hour, S.min_staff, S.max_staff, S.target_service_level, S.target_wait_seconds,
                 S.patience_minutes, S.max_abandon_share, S.service_cv)
"""The store rows' number columns, each held to its setting's range (`store_column_info`)."""


def unusable_stores(stores: pd.DataFrame) -> dict[str, str]:
    """store_id -> why the store cannot be planned, for each store of `stores` (as stored) holding a number outside
    the range the store file's check allows (`store_column_info`), or a weekday's opening past midnight that runs
    into the next weekday's opening (`planner.hours.opening_overlaps`): a row stored before the check had its limits
    (service_cv 1e200 overflowed every store's patience estimate; Saturday 18:00-06:00 beside Sunday 00:00-24:00 was
    planned as Saturday's 6 hours of Sunday, silently). A store file check keeps new ones out."""
    reasons: dict[str, list[str]] = {}
    fixes: dict[str, list[str]] = {}
    ids = stores[S.store_id].astype(str).to_numpy()
    for column in (c for c in STORE_NUMBERS if c in stores.columns):
        info = store_column_info(column)
        values = stores[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            allowed = ((values > info.low) if info.low_open else (values >= info.low)) & (
                (values < info.high) if info.high_open else (values <= info.high)) & (
                (np.floor(values) == values) if info.whole else True)
        for store_id, value in zip(ids[~np.isnan(values) & ~allowed], values[~np.isnan(values) & ~allowed],
                                   strict=True):
            shown = f"{value:,.0f}" if value.is_integer() and abs(value) < 1e15 else f"{value:g}"
            reasons.setdefault(store_id, []).append(f"{column} = {shown} (allowed: {info.allowed()})")
    for store_id, (found, fix) in _overlapping_openings(stores).items():
        reasons.setdefault(store_id, []).extend(found)
        fixes[store_id] = fix
    return {store_id: (f"{store_id} cannot be planned: its stored store row has {ended('; '.join(reasons[store_id]))} "
                       + "".join(f"{fix} " for fix in fixes.get(store_id, ()))
                       + f"{IMPORT_A_CORRECTED_STORE_FILE.app}.")
            for store_id in dict.fromkeys(ids) if store_id in reasons}  # in the stores' order, not the reasons'


def _overlapping_openings(stores: pd.DataFrame) -> dict[str, tuple[list[str], list[str]]]:
    """store_id -> (what overlaps, how to mend it), in the store file check's words (`planner.io.stores`), for each
    store whose stored opening on a weekday runs past midnight into the next weekday's opening (Sunday's into
    Monday's: the week is planned as a cycle). Each distinct week of openings is read once: a chain shares a few."""
    if not set(WEEKDAYS) <= set(stores.columns):
        return {}
    found: dict[str, tuple[list[str], list[str]]] = {}
    said: dict[tuple, tuple[list[str], list[str]] | None] = {}
    for store_id, *texts in stores[[S.store_id, *WEEKDAYS]].astype(str).itertuples(index=False, name=None):
        key = tuple(texts)
        if key not in said:
            said[key] = _week_overlaps(key)
        if said[key] is not None:
            found[str(store_id)] = said[key]
    return found


def _week_overlaps(texts: tuple[str, ...]) -> tuple[list[str], list[str]] | None:
    try:
        week = tuple(parse_opening_hours(text) for text in texts)
    except ValueError:  # not hours at all: the store file's check keeps such a cell out of the database
        return None
    overlaps = opening_overlaps(week)
    if not overlaps:
        return None
    words, fixes = [], []
    for overlap in overlaps:
        names = DAY_NAMES[overlap.day], DAY_NAMES[overlap.next_day]
        hours = [f"{WEEKDAYS[day]} {week[day]}" for day in (overlap.day, overlap.next_day)]
        words.append(f"opening hours that overlap: {overlap_message(overlap, *names, *hours)}")
        fixes.append(overlap_fix(overlap, *names))
    return words, fixes


def _own_else(stores: pd.DataFrame, name: str, setting: float) -> tuple[np.ndarray, np.ndarray]:
    """Per store: column `name` of the store file where it has a value, else `setting`; and which it was."""
    own = (stores[name].astype("Float64") if name in stores.columns
           else pd.Series(pd.NA, index=stores.index, dtype="Float64")).to_numpy(dtype=float, na_value=float("nan"))
    has_own = ~np.isnan(own)
    return np.where(has_own, own, setting), np.where(has_own, STORE_FILE, SETTING).astype(object)
