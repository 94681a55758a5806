"""Straightforward versions of computations the planner now does faster, kept to test the fast paths against
(tests/test_fast_paths.py): each is the code as it was before its speed-up, or a plain search."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator

import numpy as np
import pandas as pd
from scipy.special import betaincc, gammainc, gammaincc, gammaln, pdtr, xlogy

from planner.demand import sources
from planner.errors import PlannerError
from planner.queueing import erlang_a as erlang_a_measures, staffing_search
from planner.queueing.arrays import finite, whole_numbers
from planner.queueing.erlang_a import (
    _SCIPY_GAMMA_MAX_SHAPE,
    _SERIES_BELOW,
    _log_concave_quadrature,
    _served_wait_in_patiences,
)
from planner.queueing.erlang_b_c import (
    _LOG_UNDERFLOW,
    _STIRLING,
    _STIRLING_MIN,
    _TINY,
    NEGLIGIBLE_LOAD_ERLANGS,
    offered_load_erlangs,
    product_series,
)
from planner.schemas import DemandSchema as D
from planner.schemas import ObservationSchema as O
from planner.schemas import StoreSchema as St
from planner.settings import DemandRules, Settings
from planner.staffing.explain import (
    HourFacts,
    _minutes,
    _percent,
    _rate,
    _share,
    _within,
)
from planner.staffing.floor_model import (
    _SERIES_MAX_TERMS,
    _SERIES_TAIL,
    FloorDemand,
    FloorMeasures,
    FloorTargets,
    floor_measures,
    meets_targets,
)
from planner.staffing.hedge import PLAUSIBLE_DEMANDS, QUADRATURE_NODES, _scaled, quantile_factor
from planner.staffing.recommend import _TARGETS

# the modules, not the functions `planner.queueing` exports under the same names
erlang_a = importlib.import_module("planner.queueing.erlang_a")
erlang_b_c = importlib.import_module("planner.queueing.erlang_b_c")


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


def _touch_time(minutes: float) -> str:
    """Written apart from `explain._staff_time`: seconds rounded to whole ones under a minute, else minutes."""
    seconds = round(minutes * 60.0)
    if seconds >= 60:
        return f"{_minutes(minutes)} minute{'' if _minutes(minutes) == '1' else 's'}"
    return "under a second" if seconds == 0 else "1 second" if seconds == 1 else f"{seconds} seconds"


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
    self_service, assisted, minutes = (_rate(f["self_service_per_hour"]), _rate(f["assisted_per_hour"]),
                                       _minutes(f["assisted_minutes"]))
    touches = (f"{self_service} self-service customer{'' if self_service == '1' else 's'} "
               f"take{'s' if self_service == '1' else ''} "
               f"{_touch_time(f['touch_minutes'])} of staff time each on average")
    if not helped and not f["carried_over"]:
        body = (f"nobody is expected to ask for help, but {touches}, which keeps "
                f"{f['touch_load_erlangs']:.1f} salespeople busy; {staff} keep up with them")
        return _finish(prefix, body, f)
    load = f["help_load_erlangs"] + f["touch_load_erlangs"]
    if helped:
        body = (f"{assisted} customer{'' if assisted == '1' else 's'} an hour want{'s' if assisted == '1' else ''} "
                f"help for about {minutes} minute{'' if minutes == '1' else 's'} each")
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
        averaged = "on average over what the demand could be, " if f["averaged"] else ""
        body += (f"; {averaged}with {who}, {_percent(1.0 - f['compare_service_level'])} would not be approached "
                 f"{_within(wait)} and {_share(f['compare_abandon_share'])} would give up")
    outcome = f"{_percent(f['service_level'])} are approached {_within(wait)} and {_share(f['abandon_share'])} give up"
    if f["min_staff_binds"]:
        body += f"; the store's minimum of {staff} already does better than the target: {outcome}"
    else:
        body += f"; with {staff}, {outcome}"
    return _finish(prefix, body, f)


def _finish(prefix: str, body: str, f: dict) -> str:
    if f["staff_without_ceiling"] >= 0:
        body += (f"; the service targets alone ask for {f['staff_without_ceiling']}, but no one may be busy more "
                 f"than {_percent(f['max_occupancy'])} of the time (the occupancy ceiling)")
    if not np.isnan(f["max_staff"]) and f["staff"] > f["max_staff"]:
        body += f", more than the store's maximum of {int(f['max_staff'])} staff"
    if f["safety_staff"] > 0:
        added = "one person" if f["safety_staff"] == 1 else f"{f['safety_staff']} people"
        why = ("as the counts leave the demand uncertain" if f["low_confidence"]
               else "as even a well-counted hour's estimate is not exact")
        body += (f"; {added} added for safety, {why}: "
                 f"{f['staff'] - f['safety_staff']} meet the targets at the estimated demand but only in "
                 f"{_chance_text(f['chance_met_at_mean'], f['asked_chance'])} of plausible demands, short of the "
                 f"{f['asked_chance'] * 100:.4g}% asked of an hour whose estimate is this {_how_certain(f)}; with {f['staff']}, "
                 f"in {_chance_text(f['chance_met'], f['asked_chance'])}")
    body += _missed_on_average(f)
    if f["borrowed_from"] and f["borrowed_from"] != "own counts":
        counted = f["observed_hours"]
        times = "never counted" if counted == 0 else "counted once" if counted == 1 else f"counted {counted} times"
        body += f" (this hour {times}; its shape over the day borrowed from {f['borrowed_from']})"
    high = f["staff_high"]
    if not np.isnan(f["max_staff"]) and high > f["max_staff"]:
        high = int(max(f["max_staff"], f["staff"]))
    if f["low_confidence"] and f["staff_low"] >= 0 and f["staff_low"] != high:
        capped = "" if high >= f["staff_high"] else ", above max" if high > f["max_staff"] else \
            ", range cut at the store's maximum"
        body += f" (the counts allow anything from {f['staff_low']} to {high}{capped})"
    text = prefix + body + "."
    return text[0].upper() + text[1:]


def _missed_on_average(f: dict) -> str:
    late = f["service_level"] < f["target_service_level"]
    give_up = f["abandon_share"] > f["max_abandon_share"]
    if not (f["help_load_erlangs"] > 0 or f["carried_over"]) or not (late or give_up):
        return ""
    missed, after = [], []
    if late:
        missed.append(f"{_beyond(f['service_level'], f['target_service_level'], 0)} are approached "
                      f"{_within(f['target_wait_seconds'])}, below the {f['target_service_level'] * 100:.4g}% target")
        after.append(_percent(f["one_more_service_level"]))
    if give_up:
        shown = _beyond(f["abandon_share"], f["max_abandon_share"], 1 if f["abandon_share"] < 0.1 else 0)
        missed.append(f"{shown} give up, above the {f['max_abandon_share'] * 100:.4g}% target")
        after.append(_share(f["one_more_abandon_share"]))
    text = "; even so" if f["safety_staff"] > 0 else (
        f"; staff are chosen to meet the targets in {f['asked_chance'] * 100:.4g}% of plausible demands for an hour "
        f"whose estimate is this {_how_certain(f)} ({f['staff']} meet them in "
        f"{_chance_text(f['chance_met'], f['asked_chance'])}), so")
    text += (f" the average over those demands can miss a target: here, on average, {', and '.join(missed)}; "
             f"{f['staff'] + 1} would bring ")
    text += f"it to {after[0]}" if len(after) == 1 else f"them to {after[0]} and {after[1]}"
    if f["staff"] + 1 > f["max_staff"]:
        text += f", but the store takes at most {int(f['max_staff'])}"
    return text


def _chance_text(chance: float, asked: float) -> str:
    """Written apart from `explain._chance`: whole percent, or the fewest more decimals not reading as `asked`."""
    return _beyond(chance, asked, 0)


def _how_certain(f: dict) -> str:
    return "uncertain" if f["low_confidence"] else "well founded"


def _beyond(share: float, target: float, decimals: int) -> str:
    """Written apart from `explain._past` (in decimal arithmetic): the fewest decimals (from `decimals`, at most 3)
    not reading as the target, each rounded half up from the percent to a billionth; one still reading as the
    target at 3 rounded toward the side it is on."""
    from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

    percent, asked = (Decimal(f"{round(value * 100.0, 9):.9f}") for value in (share, target))
    shown = decimals
    while shown < 3 and percent.quantize(Decimal(1).scaleb(-shown), ROUND_HALF_UP) == \
            asked.quantize(Decimal(1).scaleb(-shown), ROUND_HALF_UP):
        shown += 1
    step = Decimal(1).scaleb(-shown)
    stated = percent.quantize(step, ROUND_HALF_UP)
    if stated == asked.quantize(step, ROUND_HALF_UP) and percent != asked:
        stated = percent.quantize(step, ROUND_FLOOR if percent < asked else ROUND_CEILING)
    return f"{stated}%"


# --- Erlang A as it was before it skipped copying subsets ------------------------------------------------------------

@contextlib.contextmanager
def erlang_a_with_subsets() -> Iterator[None]:
    """Inside, `planner.queueing` computes Erlang A as it did before: every measure on subsets copied out of the
    arrays and back (intervals with arrivals and staff; below and above the mode; direct and Stirling Poisson
    terms), and the quadrature called even for no interval."""
    swaps = [(erlang_a, "_measures", _measures_with_subsets), (erlang_a, "_gamma_tails", _gamma_tails_with_subsets),
             (erlang_a, "_log_palm_a", _log_palm_a_with_subsets), (erlang_a, "loss_odds", _loss_odds_with_subsets),
             (erlang_a, "log_poisson_term", _log_poisson_term_with_subsets),
             (erlang_b_c, "loss_odds", _loss_odds_with_subsets),
             (erlang_b_c, "log_poisson_term", _log_poisson_term_with_subsets),
             (staffing_search, "loss_odds", _loss_odds_with_subsets)]
    kept = [(module, name, getattr(module, name)) for module, name, _ in swaps]
    try:
        for module, name, value in swaps:
            setattr(module, name, value)
        yield
    finally:
        for module, name, value in kept:
            setattr(module, name, value)


def _measures_with_subsets(arrivals_per_hour, service_minutes, staff, patience_minutes, target_wait_seconds, *,
              mean_waits: bool) -> dict[str, np.ndarray]:
    """The fields of `ErlangAResult` (without the mean waits unless `mean_waits`; without those of the target
    wait when `target_wait_seconds` is None), by name."""
    within_target = target_wait_seconds is not None
    lam, service, staff, patience, wait = np.broadcast_arrays(
        finite("arrivals_per_hour", arrivals_per_hour, low=0.0),
        finite("service_minutes", service_minutes, low=0.0, low_open=True),
        whole_numbers("staff", staff),
        finite("patience_minutes", patience_minutes, low=0.0, low_open=True),
        finite("target_wait_seconds", target_wait_seconds if within_target else 0.0, low=0.0),
    )
    load = offered_load_erlangs(lam, service)
    patience_seconds, patiences_in_target = 60.0 * patience, wait / (60.0 * patience)  # 1/θ and θt
    arrivals = load > NEGLIGIBLE_LOAD_ERLANGS
    out = {  # without arrivals, and with no staff; overwritten below where there are both
        "prob_wait": np.where(arrivals, 1.0, 0.0), "prob_abandon": np.where(arrivals, 1.0, 0.0),
        "occupancy": np.where(arrivals, 1.0, 0.0),
    }
    if within_target:
        out |= {
            "service_level_all_arrivals": np.where(arrivals, 0.0, 1.0),
            "service_level_served": np.where(arrivals, 0.0, 1.0),
            "prob_offered_wait_within_target": np.where(arrivals, 0.0, 1.0),
            "prob_wait_within_target_incl_abandoners": np.where(arrivals, -np.expm1(-patiences_in_target), 1.0),
        }
    if mean_waits:
        out |= {"mean_wait_served_seconds": np.where(arrivals, np.inf, 0.0),
                "mean_wait_all_seconds": np.where(arrivals, patience_seconds, 0.0)}
    busy = arrivals & (staff > 0)
    q = erlang_a.PalmQueue(load[busy], staff[busy], patience[busy] / service[busy],
                  patiences_in_target[busy] if within_target else None)
    served = 1.0 - q.prob_abandon
    found = {"prob_wait": q.prob_wait, "prob_abandon": q.prob_abandon,
             "occupancy": load[busy] * served / staff[busy]}
    if within_target:
        found |= {
            "service_level_all_arrivals": q.service_level_all_arrivals,
            "service_level_served": np.minimum(q.service_level_all_arrivals / served, 1.0),
            "prob_offered_wait_within_target": q.prob_offered_wait_within_target,
            "prob_wait_within_target_incl_abandoners": q.prob_wait_within_target_incl_abandoners,
        }
    if mean_waits:
        served_wait_if_waited = _served_wait_in_patiences(q.x, q.y) * patience_seconds[busy]
        found |= {"mean_wait_served_seconds": q.prob_wait * q.served_if_waited * served_wait_if_waited / served,
                  "mean_wait_all_seconds": q.prob_abandon * patience_seconds[busy]}
    for name, value in found.items():
        out[name][busy] = value
    return {"offered_load_erlangs": load, **out}


def _gamma_tails_with_subsets(x, y):
    """P(x, y) and Q(x, y), Q computed directly only far above the mode (as `erlang_a._gamma_tails` splits them),
    always on subsets."""
    below = y < x + erlang_a._UPPER_TAIL_SDS * np.sqrt(x) + erlang_a._UPPER_TAIL_OFFSET
    small = np.empty(x.shape)
    small[below] = gammainc(x[below], y[below])
    small[~below] = gammaincc(x[~below], y[~below])
    return np.where(below, small, 1.0 - small), np.where(below, 1.0 - small, small)


def _log_palm_a_with_subsets(x, y, lower, log_f):
    """ln A(x, y) for x > 0, y >= 0, given P(x, y) and ln f(x; y): ln P - ln f, except far below the mode
    (y < x/10), where the series gives A - 1 to full precision, and below the mode where P underflows or x is
    beyond the shapes scipy's P is accurate for in its tail, where A(x, y) = x ∫_0^∞ e^(-x u - y (e^-u - 1)) du."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(y > 0, np.log(lower) - log_f, 0.0)
    far = (y > 0) & (y < _SERIES_BELOW * x)
    xs, ys = x[far], y[far]
    out[far] = np.log1p(product_series(lambda i, idx: ys[idx] / (xs[idx] + i), xs.size))
    hard = ~far & (y > 0) & (y < x) & ((x > _SCIPY_GAMMA_MAX_SHAPE) | ~(lower > _TINY))
    out[hard] = np.log(x[hard]) + _log_concave_quadrature(x[hard], y[hard])[0]
    return out


def _loss_odds_with_subsets(staff, load) -> np.ndarray:
    """(1 - B)/B for Erlang B's B(n, a): F(n-1; a) / f(n; a) = Σ_{k<n} n!/(k! a^(n-k)); 0 when n = 0, inf when
    blocking is below float64's range (or there are no arrivals)."""
    staff, load = np.broadcast_arrays(np.asarray(staff, dtype=float), np.asarray(load, dtype=float))
    odds = np.where(staff > 0, np.inf, 0.0)
    both = (staff > 0) & (load > 0)
    n, a = staff[both], load[both]
    log_top = _log_poisson_term_with_subsets(n, a)
    below = pdtr(n - 1.0, a)
    with np.errstate(divide="ignore", over="ignore"):
        result = np.exp(np.log(below) - log_top)
    deep = (n < a) & ~((log_top > _LOG_UNDERFLOW) & (below > _TINY))  # deep overload: both terms underflow
    nd, ad = n[deep], a[deep]
    result[deep] = product_series(lambda i, idx: (nd[idx] - i + 1.0) / ad[idx], nd.size)  # ratios n/a, (n-1)/a...
    odds[both] = result
    return odds


def _log_poisson_term_with_subsets(k, mean) -> np.ndarray:
    """ln f(k; mean) = k ln(mean) - mean - ln Γ(k+1) for real k >= 0; for large k with mean not far below it,
    -k (d - ln(1+d)) - ln(2πk)/2 - stirling(k), d = mean/k - 1, which avoids cancelling two huge numbers."""
    k, mean = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(mean, dtype=float))
    out = np.empty(k.shape)
    direct = (k < _STIRLING_MIN) | (mean < 0.5 * k)  # far below k nothing cancels, and d would round to -1
    out[direct] = xlogy(k[direct], mean[direct]) - mean[direct] - gammaln(k[direct] + 1.0)
    kb = k[~direct]
    d = (mean[~direct] - kb) / kb
    inv, inv2 = 1.0 / kb, 1.0 / (kb * kb)
    stirling = inv * (_STIRLING[0] + inv2 * (_STIRLING[1] + inv2 * (_STIRLING[2] + inv2 * (
        _STIRLING[3] + inv2 * _STIRLING[4]))))
    out[~direct] = -kb * (d - np.log1p(d)) - 0.5 * np.log(2.0 * np.pi * kb) - stirling
    return out


# --- the store-level lookups, as they were ---------------------------------------------------------------------------

def targets_by_reindexing(demand: pd.DataFrame, stores: pd.DataFrame,
                          settings: Settings) -> tuple[FloorTargets, np.ndarray]:
    """`planner.staffing.recommend._targets` as it was: each target column reindexed by every row's store id."""
    unknown = sorted(set(demand[D.store_id]) - set(stores[St.store_id]))
    if unknown:
        raise PlannerError(f"demand for store(s) not in the store file: {', '.join(map(str, unknown))}")
    by_store = stores.drop_duplicates(St.store_id).set_index(St.store_id)

    def per_row(column, default) -> np.ndarray:
        fallback = np.nan if default is None else float(default)
        if column not in by_store.columns:
            return np.full(len(demand), fallback)
        values = by_store[column].astype("Float64").reindex(demand[D.store_id]).fillna(fallback)
        return values.to_numpy(dtype=float, na_value=np.nan)

    chosen = {name: per_row(getattr(St, name), getattr(settings.targets, name)) for name in _TARGETS}
    max_occupancy = settings.targets.max_occupancy
    targets = FloorTargets(
        **chosen, max_occupancy=np.full(len(demand), 1.0 if max_occupancy is None else max_occupancy),
        min_staff=per_row(St.min_staff, settings.targets.min_staff),
    )
    return targets, per_row(St.max_staff, None)


def borrowed_from_by_series(own_share: np.ndarray, cell_store: pd.Series, stores: pd.DataFrame,
                            observed_hours: np.ndarray, known: np.ndarray, rules: DemandRules) -> np.ndarray:
    """`planner.demand.sources.borrowed_from` as it was: the formats looked up in a Series, store by store."""
    del rules, observed_hours  # the own share already weighs the counts
    counted_stores = set(cell_store[known])
    fmt = stores.set_index(St.store_id)[St.format].astype(str)
    counted_per_format = fmt[fmt.index.isin(counted_stores)].value_counts()
    chain = len(counted_stores)
    text = {}
    for store in cell_store.unique():
        others = int(counted_per_format.get(fmt.get(store, ""), 0)) - (1 if store in counted_stores else 0)
        text[store] = (f"{others} other {fmt[store]} store{'s' if others > 1 else ''}" if others > 0
                       else f"the chain's {chain} stores")
    source = cell_store.map(text).to_numpy(dtype=object)
    source = np.where(own_share >= sources.OWN_SHARE_FOR_OWN, sources.OWN, source)
    return np.where(known, source, sources.NO_COUNTS).astype(str)


def typed_observations_by_astype(frame: pd.DataFrame) -> pd.DataFrame:
    """`planner.storage.tables.typed_observations` as it was: every count column through pandas' astype."""
    types = {c: "Int64" for c in (O.hour, O.visitors, O.assisted, O.self_service, O.staff_on_duty)}
    types |= {O.assisted_minutes: "Float64", O.self_service_minutes: "Float64", O.store_id: str}
    frame = frame.astype(types)
    frame[O.date] = pd.to_datetime(frame[O.date]).astype("datetime64[ns]")
    return frame


def averaged_measures_node_by_node(demand: FloorDemand, staff, spread: np.ndarray,
                                   targets: FloorTargets) -> FloorMeasures:
    """`planner.staffing.hedge.averaged_measures` as it was: one evaluation of the floor per quadrature node."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(QUADRATURE_NODES)
    weights = weights / weights.sum()
    total = None
    for node, weight in zip(nodes, weights, strict=True):
        at = floor_measures(FloorDemand(demand.assisted_per_hour * np.exp(node * spread), demand.assisted_minutes,
                                        demand.touch_load_erlangs), staff,
                            patience_minutes=targets.patience_minutes, target_wait_seconds=targets.target_wait_seconds)
        parts = (at.service_level, at.abandon_share, at.mean_wait_seconds, at.utilisation)
        total = [weight * p for p in parts] if total is None else [t + weight * p for t, p in zip(total, parts)]
    return FloorMeasures(*total)


def beta_upper_tails_by_scipy(a: np.ndarray, terms: int, minus_log_z: np.ndarray) -> np.ndarray:
    """1 - I_z(a, b) for b = 1 .. `terms`, z = e^-`minus_log_z`, element by element by scipy (as
    `planner.staffing.floor_model._if_waited_by_series` computed them before its recurrence)."""
    return betaincc(a, np.arange(1, terms + 1)[None, :], np.exp(-minus_log_z))


def if_waited_by_series_with_scipy_tails(x, y, patiences_in_target) -> tuple[np.ndarray, np.ndarray]:
    """`planner.staffing.floor_model._if_waited_by_series` as it was: every row to the longest row's terms, the
    weights from gammaln and the Beta tails from scipy's betaincc."""
    ratio = y / (x + 1.0)
    with np.errstate(divide="ignore"):
        needed = np.where(ratio > 0, np.ceil(np.log(_SERIES_TAIL) / np.log(ratio)), 0.0)
    terms = int(min(np.max(needed, initial=0.0), _SERIES_MAX_TERMS)) + 1
    j = np.arange(terms)[None, :]
    xs, ys = x[:, None], y[:, None]
    log_weight = xlogy(j, ys) + gammaln(xs + 1.0) - gammaln(xs + j + 1.0)
    weight = np.exp(log_weight - log_weight.max(axis=1, keepdims=True))
    weight /= weight.sum(axis=1, keepdims=True)
    served = xs / (xs + j + 1.0)
    within = served * betaincc(xs + 1.0, j + 1.0, np.exp(-patiences_in_target)[:, None])
    return 1.0 - (weight * within).sum(axis=1), 1.0 - (weight * served).sum(axis=1)


def staff_grid_text_by_pivot(table: pd.DataFrame) -> str:
    """`planner.export.staff_grid_text` as it was: a pivot table per store and each cell's openness found by
    comparing the whole store's rows (0.47 s of the sample's 2.2 s cold `recommend --all`)."""
    from planner.hours import WEEKDAY_NAMES

    blocks = []
    for store, rows in table.groupby("store_id", sort=True):
        hours = sorted(rows["hour"].unique())
        grid = rows.pivot_table(index="weekday", columns="hour", values="required_staff", aggfunc="first")
        lines = [f"{store}  recommended staff (weekday x hour; ? = no counts to go on, . = closed)",
                 "     " + "".join(f"{h:>4d}" for h in hours)]
        for weekday in range(7):
            cells = []
            for hour in hours:
                value = grid.at[weekday, hour] if weekday in grid.index and hour in grid.columns else None
                open_cell = ((rows["weekday"] == weekday) & (rows["hour"] == hour)).any()
                cells.append("   ." if not open_cell else "   ?" if pd.isna(value) else f"{int(value):>4d}")
            lines.append(f"{WEEKDAY_NAMES[weekday]:5}" + "".join(cells))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def least_staff_by_formula(help_seekers_per_hour: float, service_minutes: float, targets) -> int:
    """The fewest staff meeting `targets` (`ServiceTargets`) for help-seekers alone (no touches) at a known rate, by
    Erlang A's closed form searched one staff at a time: the staffing a store's true rate calls for."""
    for staff in range(1, 200):
        result = erlang_a_measures(help_seekers_per_hour, service_minutes, staff,
                                   patience_minutes=targets.patience_minutes,
                                   target_wait_seconds=targets.target_wait_seconds)
        if (result.service_level_all_arrivals >= targets.target_service_level
                and result.prob_abandon <= targets.max_abandon_share):
            return staff
    raise AssertionError("no staff meets the targets")
