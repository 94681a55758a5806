"""The accuracy benchmark's scenarios on the simulated chain (`simulated_chain`): counts -> plans -> judged by
simulation against the oracle. `bench/bench_accuracy.py` runs it in full; `tests/test_chain.py` a small seeded run.

Scenarios: "a" four weeks of counts with about 10% of hours missing; "b" six 2-hour windows per store on
different days; "c" as "a" without `patience_minutes` in the store file. Plans: the planner's recommendation, the
flat roster the counts were taken under, and plain Erlang A on the raw counts (each cell's counted means, the
store's mean in uncounted hours, no correction for those who gave up).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner.demand import estimate_demand
from planner.demand.pooled import _group_of_weekday
from planner.schemas import DemandSchema as D, StoreSchema as S
from planner.settings import Settings
from planner.staffing import recommend_staff
from planner.staffing.advice import next_counts
from simulated_chain import (
    MIN_STAFF, SERVICE_CV, build_chain, count_weeks, count_weeks_varied_staff, draw_days, drop_hours, load_lower_bound,
    oracle_staff, serve, stores_frame,
    truth_frame, windows,
)

SCENARIOS = {
    "a": "four weeks, 10% of hours missing",
    "b": "six 2-hour windows per store",
    "c": "four weeks, no patience in the store file",
}
PLANS = ("planner", "flat roster", "raw Erlang A")
DAYS_PER_WEEK = 7
UNCENSORED_STAFF = 50
"""Staff on duty so many that nobody in the chain waits: counts with nothing to de-censor."""


@dataclass(frozen=True)
class Result:
    scenario: str
    plan: str
    met_share: float
    staff_ratio: float
    """Staff-hours / the oracle's."""
    lost_per_week: float
    coverage: float
    """Share of open cells whose true help-seeker rate lies in the 90% interval (planner only; else NaN)."""
    missing_share: float
    extra: dict = field(default_factory=dict)


@dataclass
class Judge:
    """The chain, its judging days (common to every plan) and the oracle per store x weekday."""

    chain: tuple
    judging_days: int
    seed: int
    days: dict = field(default_factory=dict)
    oracle: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        rng = np.random.default_rng(self.seed)
        for store in self.chain:
            for weekday in range(DAYS_PER_WEEK):
                if store.opening[weekday] is None:
                    continue
                days = draw_days(store, weekday, self.judging_days, rng)
                self.days[store.store_id, weekday] = days
                self.oracle[store.store_id, weekday] = oracle_staff(days, load_lower_bound(store, weekday))

    def met_by_hour(self, plan: dict) -> dict:
        """Per store x weekday, whether each open hour meets the target over the judging days."""
        return {key: serve(days, np.asarray(plan[key], dtype=np.int64)).meets_target()
                for key, days in self.days.items()}

    def judge(self, plan: dict) -> tuple[float, float, float]:
        """Share of store-hours meeting the target, staff-hours / oracle, help-seekers lost per week."""
        met = hours = staff_hours = oracle_hours = lost = 0.0
        for key, days in self.days.items():
            staff = np.asarray(plan[key], dtype=np.int64)
            served = serve(days, staff)
            met += served.meets_target().sum()
            hours += staff.size
            staff_hours += staff.sum()
            oracle_hours += self.oracle[key].sum()
            lost += served.gave_up.sum() / served.arrivals.shape[0]
        return met / hours, staff_hours / oracle_hours, lost


def run(scenarios=("a", "b", "c"), judging_days: int = 200, seed: int = 2026, settings: Settings | None = None,
        judge: Judge | None = None) -> list[Result]:
    settings = settings or Settings()
    chain = build_chain()
    judge = judge or Judge(chain, judging_days, seed + 1)
    rng = np.random.default_rng(seed)
    weeks = pd.concat([count_weeks(store, 4, rng) for store in chain], ignore_index=True)
    truth = truth_frame(chain)
    results = []
    for scenario in scenarios:
        scenario_rng = np.random.default_rng([seed, ord(scenario)])
        observations = (windows(weeks, chain, 6, 2, scenario_rng) if scenario == "b"
                        else drop_hours(weeks, 0.10, scenario_rng))
        stores = stores_frame(chain, patience_given=scenario != "c")
        demand = estimate_demand(observations, stores, settings)
        table = recommend_staff(demand, stores, settings)
        plans = {
            "planner": _plan(table, judge),
            "flat roster": {key: np.full(d.open_hours, d.store.flat_staff[key[1]]) for key, d in judge.days.items()},
            "raw Erlang A": _plan(recommend_staff(raw_demand(observations, demand), stores, settings), judge),
        }
        for name, plan in plans.items():
            met, ratio, lost = judge.judge(plan)
            planner = name == "planner"
            results.append(Result(
                scenario, name, met, ratio, lost, coverage(demand, truth) if planner else np.nan,
                float((table["confidence"] == "missing").mean()) if planner else 0.0,
                extra={"demand": demand, "table": table} if planner else {},
            ))
    return results


SOURCES = ("counted", "format counted the hour", "nobody in the format counted the hour")
"""Where a never-counted hour's estimate comes from: the format's other stores counted that clock hour on a day of
the same weekday group (`DemandRules.similar_weekdays`), or none of them did (the curve there is the chain's)."""
FAR_OFF = np.log(1.3)
"""An estimate this far (log scale) from the true rate or further counts as far low or far high."""


@dataclass(frozen=True)
class ErrorRow:
    """Scenario b's help-seeker estimates against the truth, in the hours of one source (`SOURCES`) or one place in
    the day (`POSITIONS`)."""

    source: str
    hours: int
    bias: float
    """Mean of log(estimate / true rate) over the hours."""
    rms: float
    """Root mean square of log(estimate / true rate)."""
    far_low: float
    """Share of the hours whose estimate is under the true rate / 1.3."""
    far_high: float
    coverage: float
    """Share of the hours whose true rate lies in the 90% interval."""
    misses: int
    """Store-hours whose plan misses the target in the judge's simulation."""


def sparse_errors(seed: int = 2026, judging_days: int = 200, settings: Settings | None = None,
                  judge: Judge | None = None, staffed_counts: bool = False) -> list[ErrorRow]:
    """Scenario b drawn as `run` draws it, its estimate of help-seekers per hour against the truth per source, and
    where the plan's misses fall. With `staffed_counts`, the same customers are counted under enough staff that
    nobody gives up (no censoring to correct), to tell the correction's part in the errors from the borrowing's."""
    cells = _sparse_cells(seed, judging_days, settings, judge, staffed_counts).cells
    return [_error_row(source, cells[cells["source"] == source]) for source in SOURCES]


POSITIONS = ("first or last hour of the day", "second or second-to-last hour", "three or more hours from either end")
"""Where an hour lies in its day: 0, 1, or 2 or more hours from the day's nearer end (opening or closing)."""


def edge_errors(seed: int = 2026, judging_days: int = 200, settings: Settings | None = None,
                judge: Judge | None = None) -> list[ErrorRow]:
    """Scenario b's hours nobody in the format counted (`SOURCES[2]`), split by how far the hour lies from the
    day's opening or closing (`POSITIONS`): whether the misses sit where the hour curve is carried past the hours
    the format counted."""
    cells = _sparse_cells(seed, judging_days, settings, judge).cells
    nobody = cells[cells["source"] == SOURCES[2]]
    position = np.minimum(nobody["from_edge"].to_numpy(), len(POSITIONS) - 1)
    return [_error_row(label, nobody[position == index]) for index, label in enumerate(POSITIONS)]


BOUNDS = ("as estimated", "true rates where nobody in the format counted", "true rates everywhere")
"""Scenario b's plan staffed from its own estimates, then with the true help-seekers per hour put in (each hour's
interval moved with it, its width kept) where nobody in the format counted, then in every hour."""


@dataclass(frozen=True)
class BoundRow:
    plan: str
    """One of `BOUNDS`."""
    target_confidence: float
    met_share: float
    staff_ratio: float


def truth_bounds(seed: int = 2026, judging_days: int = 200, settings: Settings | None = None,
                 judge: Judge | None = None, confidences=(0.55, 0.6, 0.65, 0.7, 0.75)) -> list[BoundRow]:
    """How far scenario b could go if the estimate were right where the counts cannot tell: the plan at each
    `target_confidence` with the estimate as it is and with the truth put in (`BOUNDS`). Knowledge no manager has:
    an upper bound, not a plan."""
    settings = settings or Settings()
    drawn = _sparse_cells(seed, judging_days, settings, judge)
    demand, cells = drawn.demand, drawn.cells
    key = ["store_id", "weekday", "hour"]
    by_cell = cells.set_index(key).reindex(pd.MultiIndex.from_frame(demand[key]))
    true = by_cell["help_seekers_per_hour"].to_numpy()
    estimate = demand[D.assisted_per_hour].to_numpy(dtype=float, na_value=np.nan)
    rows = []
    for plan, chosen in zip(BOUNDS, (np.zeros(len(demand), bool), (by_cell["source"] == SOURCES[2]).to_numpy(),
                                     np.ones(len(demand), bool)), strict=True):
        scale = np.where(chosen, true / estimate, 1.0)
        given = demand.copy()
        for column in (D.assisted_per_hour, D.assisted_per_hour_low, D.assisted_per_hour_high):
            given[column] = pd.array(given[column].to_numpy(dtype=float, na_value=np.nan) * scale, dtype="Float64")
        for confidence in confidences:
            chosen_settings = replace(settings, staffing=replace(settings.staffing, target_confidence=confidence))
            met, ratio, _ = drawn.judge.judge(_plan(recommend_staff(given, drawn.stores, chosen_settings),
                                                    drawn.judge))
            rows.append(BoundRow(plan, confidence, met, ratio))
    return rows


def bounds_table(rows: list[BoundRow], staff_ratio: float) -> str:
    """Share met / staff-hours over the oracle's per plan and confidence, and the share met read off each plan's
    curve at `staff_ratio` (straight lines between the confidences; blank outside them)."""
    confidences = sorted({r.target_confidence for r in rows})
    lines = [f"{'plan':<48}" + "".join(f"{f'at {c:.2f}':>15}" for c in confidences)
             + f"{f'met at {staff_ratio:.2f}x':>16}"]
    for plan in dict.fromkeys(r.plan for r in rows):
        own = sorted((r for r in rows if r.plan == plan), key=lambda r: r.target_confidence)
        ratios, shares = np.array([r.staff_ratio for r in own]), np.array([r.met_share for r in own])
        inside = ratios.min() <= staff_ratio <= ratios.max() and (np.diff(ratios) > 0).all()
        at = f"{100 * np.interp(staff_ratio, ratios, shares):.1f}%" if inside else ""
        lines.append(f"{plan:<48}" + "".join(f"{f'{100 * r.met_share:.1f}/{r.staff_ratio:.3f}x':>15}" for r in own)
                     + f"{at:>16}")
    return "\n".join(lines)


def pooled_bounds(rows: list[BoundRow]) -> list[BoundRow]:
    """`truth_bounds` rows of several seeds as one curve per plan: each confidence's share met and staff-hours /
    oracle averaged over the seeds (`bounds_table` then reads the pooled share met at a staff ratio)."""
    frame = pd.DataFrame([r.__dict__ for r in rows])
    means = frame.groupby(["plan", "target_confidence"], sort=False)[["met_share", "staff_ratio"]].mean()
    return [BoundRow(plan, confidence, m.met_share, m.staff_ratio)
            for (plan, confidence), m in means.iterrows()]


@dataclass(frozen=True)
class _SparseCells:
    """Scenario b drawn as `run` draws it: its demand, store file and judge, and one row per open cell with the
    truth, the estimate's log error, whether the interval holds the truth, whether the plan meets the target, where
    the estimate comes from (`SOURCES`) and the hours to the day's nearer end (`from_edge`, 0 at either end)."""

    cells: pd.DataFrame
    demand: pd.DataFrame
    stores: pd.DataFrame
    judge: Judge


def _sparse_cells(seed: int, judging_days: int, settings: Settings | None, judge: Judge | None,
                  staffed_counts: bool = False) -> _SparseCells:
    settings = settings or Settings()
    chain = judge.chain if judge else build_chain()  # the judge's chain: another draw of it (`build_chain(12)`) too
    judge = judge or Judge(chain, judging_days, seed + 1)
    counted_chain = (tuple(replace(s, flat_staff=(UNCENSORED_STAFF,) * DAYS_PER_WEEK) for s in chain)
                     if staffed_counts else chain)
    rng = np.random.default_rng(seed)
    weeks = pd.concat([count_weeks(store, 4, rng) for store in counted_chain], ignore_index=True)
    observations = windows(weeks, counted_chain, 6, 2, np.random.default_rng([seed, ord("b")]))
    stores = stores_frame(chain)
    demand = estimate_demand(observations, stores, settings)
    met = judge.met_by_hour(_plan(recommend_staff(demand, stores, settings), judge))
    formats = {s.store_id: s.format for s in chain}
    group = _group_of_weekday(settings.demand.similar_weekdays)
    counted = observations.assign(weekday=observations["date"].dt.day_of_week)
    format_hours = set(zip(counted["store_id"].map(formats), group[counted["weekday"]], counted["hour"], strict=True))
    cells = truth_frame(chain).merge(demand, on=["store_id", "weekday", "hour"])
    where = list(zip(cells["store_id"], cells["weekday"], cells["hour"], strict=True))
    hours = {(s, w): judge.days[s, w].store.hours(w) for s, w, _ in where}
    cells["met"] = [met[s, w][h - hours[s, w][0]] for s, w, h in where]
    cells["from_edge"] = [min(h - hours[s, w][0], hours[s, w][-1] - h) for s, w, h in where]
    in_format = [(formats[s], group[w], h) in format_hours for s, w, h in where]
    cells["source"] = np.where(cells[D.observed_hours] > 0, SOURCES[0], np.where(in_format, SOURCES[1], SOURCES[2]))
    true = cells["help_seekers_per_hour"].to_numpy()
    cells["log_error"] = np.log(cells[D.assisted_per_hour].to_numpy(dtype=float, na_value=np.nan) / true)
    cells["held"] = ((cells[D.assisted_per_hour_low].to_numpy(dtype=float, na_value=np.nan) <= true)
                     & (true <= cells[D.assisted_per_hour_high].to_numpy(dtype=float, na_value=np.nan)))
    return _SparseCells(cells, demand, stores, judge)


def _error_row(source: str, part: pd.DataFrame) -> ErrorRow:
    error = part["log_error"]
    return ErrorRow(source, len(part), float(error.mean()), float(np.sqrt((error**2).mean())),
                    float((error < -FAR_OFF).mean()), float((error > FAR_OFF).mean()), float(part["held"].mean()),
                    int((~part["met"]).sum()))


def errors_table(rows: list[ErrorRow], label: str = "estimate from") -> str:
    header = (f"{label:<38} {'hours':>5} {'bias':>6} {'rms':>5} {'>30% low':>9} {'>30% high':>10} "
              f"{'coverage':>9} {'misses':>7}")
    lines = [header]
    for r in rows:
        lines.append(f"{r.source:<38} {r.hours:5d} {r.bias:+6.2f} {r.rms:5.2f} {100 * r.far_low:8.0f}% "
                     f"{100 * r.far_high:9.0f}% {100 * r.coverage:8.0f}% {r.misses:7d}")
    return "\n".join(lines)


def coverage(demand: pd.DataFrame, truth: pd.DataFrame) -> float:
    """Share of open cells whose true help-seeker rate lies within the interval (missing cells count as misses)."""
    merged = truth.merge(demand, on=["store_id", "weekday", "hour"])
    true = merged["help_seekers_per_hour"].to_numpy()
    low = merged[D.assisted_per_hour_low].to_numpy(dtype=float, na_value=np.nan)
    high = merged[D.assisted_per_hour_high].to_numpy(dtype=float, na_value=np.nan)
    return float(np.mean((low <= true) & (true <= high)))


def _plan(table: pd.DataFrame, judge: Judge) -> dict:
    staff = table.set_index(["store_id", "weekday", "hour"])["required_staff"]
    plan = {}
    for (store_id, weekday), days in judge.days.items():
        hours = days.store.hours(weekday)
        values = staff.reindex([(store_id, weekday, h) for h in hours]).to_numpy(dtype=float, na_value=np.nan)
        plan[store_id, weekday] = np.where(np.isnan(values), MIN_STAFF, values).astype(np.int64)
    return plan


def raw_demand(observations: pd.DataFrame, demand: pd.DataFrame) -> pd.DataFrame:
    """Each cell's counted means (no correction, no interval); the store's mean over its counted hours where a cell
    was never counted."""
    rows = observations.assign(weekday=observations["date"].dt.day_of_week)
    numeric = ["assisted", "self_service", "assisted_minutes", "self_service_minutes", "staff_on_duty"]
    rows[numeric] = rows[numeric].astype(float)
    cells = rows.groupby(["store_id", "weekday", "hour"])[numeric].mean()
    stores = rows.groupby("store_id")[numeric].mean()
    frame = demand[[D.store_id, D.weekday, D.hour, D.observed_hours, D.visitors_per_hour]].copy()
    key = pd.MultiIndex.from_frame(frame[[D.store_id, D.weekday, D.hour]])
    values = cells.reindex(key).reset_index(drop=True)
    fallback = stores.reindex(frame[D.store_id]).reset_index(drop=True)
    values = values.fillna(fallback)
    minutes = values["assisted_minutes"] / values["assisted"].where(values["assisted"] > 0)
    minutes = minutes.fillna(fallback["assisted_minutes"] / fallback["assisted"])
    touch = (values["self_service_minutes"] / values["self_service"].where(values["self_service"] > 0)).fillna(0.0)
    frame[D.confidence] = np.where(values["assisted"].isna(), "missing", "high")
    for columns, value in (
        ((D.assisted_per_hour, D.assisted_per_hour_low, D.assisted_per_hour_high), values["assisted"]),
        ((D.self_service_per_hour, D.self_service_per_hour_low, D.self_service_per_hour_high), values["self_service"]),
        ((D.assisted_minutes_mean, D.assisted_minutes_low, D.assisted_minutes_high), minutes),
        ((D.touch_minutes_mean, D.touch_minutes_low, D.touch_minutes_high), touch),
    ):
        for column in columns:
            frame[column] = value.to_numpy(dtype=float)
    frame[D.observed_assisted_per_hour] = values["assisted"].to_numpy(dtype=float)
    frame[D.current_staff] = values["staff_on_duty"].to_numpy(dtype=float)
    frame[D.lost_customers_per_hour_at_current] = np.nan
    estimates = [c for c in frame.columns if c not in (D.store_id, D.weekday, D.hour, D.observed_hours, D.confidence)]
    return frame.astype(dict.fromkeys(estimates, "Float64"))


def pooled_table(results: list[Result], seeds: int) -> str:
    """Per scenario and plan, the share met, staff-hours / oracle, lost per week and coverage averaged over the
    `seeds` runs whose `results` are given together."""
    frame = pd.DataFrame([{k: v for k, v in r.__dict__.items() if k != "extra"} for r in results])
    means = frame.groupby(["scenario", "plan"], sort=False).mean(numeric_only=True)
    return f"mean over {seeds} seeds:\n" + table([Result(scenario, plan, m.met_share, m.staff_ratio, m.lost_per_week,
                                                        m.coverage, m.missing_share)
                                                 for (scenario, plan), m in means.iterrows()])


def table(results: list[Result]) -> str:
    lines = [f"{'scenario':<44} {'plan':<13} {'met':>6} {'staff/oracle':>12} {'lost/week':>10} {'coverage':>9}"
             f" {'missing':>8}"]
    for r in results:
        cov = "" if np.isnan(r.coverage) else f"{100 * r.coverage:.0f}%"
        lines.append(f"{r.scenario + ' ' + SCENARIOS[r.scenario]:<44} {r.plan:<13} {100 * r.met_share:5.1f}% "
                     f"{r.staff_ratio:11.3f}x {r.lost_per_week:10.0f} {cov:>9} {100 * r.missing_share:7.1f}%")
    return "\n".join(lines)


@dataclass(frozen=True)
class PatienceRow:
    store_id: str
    true_minutes: float
    estimate: object
    """`planner.demand.patience.PatienceEstimate`."""
    used_minutes: float
    note: str


def patience_value(judging_days: int = 200, seed: int = 2026, settings: Settings | None = None,
                   judge: Judge | None = None, varied_staff: bool = False, service_cv_given: bool = False,
                   ) -> tuple[list[PatienceRow], dict[str, tuple[float, float]]]:
    """Scenario c (four weeks of counts, no patience in the store file): each store's patience estimated from the
    counts against the simulated chain's true patience, and the planner's met share and staff-hours / oracle with
    the estimate (where it tells; `planner.targets`) and without it (the setting for every store). With
    `varied_staff`, the counts are taken under staff that change from day to day (`count_weeks_varied_staff`).
    With `service_cv_given`, the store file gives the chain's true service-time CV (`SERVICE_CV`), which a manager
    who only counts would not know; without it the estimate takes the setting's (exponential-like) 1."""
    from planner.targets import patience_from_counts, resolve_targets, stores_with_targets

    settings = settings or Settings(demand=replace(Settings().demand, estimate_patience=True))  # whatever the default
    chain = build_chain()
    judge = judge or Judge(chain, judging_days, seed + 1)
    rng = np.random.default_rng(seed)
    counted = count_weeks_varied_staff if varied_staff else count_weeks
    weeks = pd.concat([counted(store, 4, rng) for store in chain], ignore_index=True)
    observations = drop_hours(weeks, 0.10, np.random.default_rng([seed, ord("c")]))  # as `run` draws scenario c
    stores = stores_frame(chain, patience_given=False)
    if service_cv_given:
        stores[S.service_cv] = pd.array([SERVICE_CV] * len(stores), dtype="Float64")
    estimates = patience_from_counts(observations, stores, settings)
    resolved = resolve_targets(stores, settings, patience=estimates).set_index("store_id")
    rows = [PatienceRow(s.store_id, s.patience_minutes, estimates[s.store_id],
                        float(resolved.at[s.store_id, "patience_minutes"]),
                        str(resolved.at[s.store_id, "patience_minutes_note"])) for s in chain]
    scores = {}
    for name, patience in (("with estimate", estimates), ("setting only", None)):
        filled = stores_with_targets(stores, settings, patience=patience)
        table = recommend_staff(estimate_demand(observations, filled, settings), filled, settings)
        met, ratio, _ = judge.judge(_plan(table, judge))
        scores[name] = (met, ratio)
    return rows, scores


def patience_table(rows: list[PatienceRow]) -> str:
    """Per store: true patience, estimate, interval, whether it holds the truth, what was used; then a summary (the
    geometric mean of estimate / truth over the estimates used and over every store's, and the intervals holding)."""
    lines = [f"{'store':<6} {'true':>5} {'estimate':>9} {'90% interval':>22} {'holds':>6}  used"]
    held = 0
    for r in rows:
        e = r.estimate
        holds = "" if np.isnan(e.patience_minutes) else (
            "yes" if (np.isnan(e.low_minutes) or e.low_minutes <= r.true_minutes)
            and (np.isnan(e.high_minutes) or r.true_minutes <= e.high_minutes) else "no")
        held += holds == "yes"
        lines.append(f"{r.store_id:<6} {r.true_minutes:5.1f} {e.patience_minutes:9.1f} {e.interval_text:>22} "
                     f"{holds:>6}  {r.used_minutes:.1f} min: {r.note}")

    def ratio(chosen: list[PatienceRow]) -> str:
        logs = [np.log(r.estimate.patience_minutes / r.true_minutes) for r in chosen]
        return f"{np.exp(np.mean(logs)):.2f}x over {len(logs)}" if logs else "none"

    used = [r for r in rows if r.estimate.informative]
    estimated = [r for r in rows if np.isfinite(r.estimate.patience_minutes)]
    planned = (f"{np.exp(np.mean([np.log(r.used_minutes / r.true_minutes) for r in used])):.2f}x" if used
               else "none")
    lines.append(f"estimate / truth (geometric mean): used {ratio(used)}, all {ratio(estimated)}; planned with "
                 f"(hedged at target_confidence) / truth {planned}; intervals holding the truth {held} of {len(rows)}")
    return "\n".join(lines)


@dataclass(frozen=True)
class AdviceTrial:
    seed: int
    """The seed that drew the chain's counts and judging days."""
    draw: int
    """The draw of scenario b's six windows per store."""
    store_id: str
    pick: str
    """"none" (no extra count), "random" (the mean over `random_windows` random open windows) or a ranking's name
    (`planner.staffing.advice.RANKINGS`)."""
    weekday: int
    start_hour: int
    met_share: float
    staff_ratio: float
    staff_error: float
    """Mean |planned staff - the oracle's| over the store's open hours: how close the plan comes to perfect
    knowledge, whichever way it errs."""
    cost_ratio: float
    met_at_base_staff: float = float("nan")
    """Share of the store's hours meeting the target when the plan made with this pick's counts is given the
    staff-hours the plan without an extra count has (read off its curve as `target_confidence` runs over
    `FRONTIER_CONFIDENCES`): what the count is worth as knowledge, apart from how much staff the hedge then buys."""
    """(staff-hours + c x store-hours missing the target) / the oracle's staff-hours, c = target_confidence /
    (1 - target_confidence): the price of a miss in staff-hours that makes hedging at target_confidence the best
    choice (a newsvendor's), so the cost the advice means to lower."""


EXTRA_WEEK = 4
"""The extra count is taken in the week after the four weeks scenario b's windows come from (weeks 0-3)."""


FRONTIER_CONFIDENCES = (0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85)
"""`target_confidence` values each advice trial's plan is also staffed at, to read its share met at the staff-hours
of the plan without an extra count."""


def advice_trials(draws=range(1, 7), judging_days: int = 200, seed: int = 2026, settings: Settings | None = None,
                  judge: Judge | None = None, rankings=("reach",), random_windows: int = 3) -> list[AdviceTrial]:
    """Scenario b plus one more 2-hour count in one store at a time, per draw of the windows and per store: the
    window `next_counts` advises (per ranking in `rankings`), `random_windows` random open windows (their mean is
    the "random" pick), and no extra count ("none"), each judged on that store's hours (its met share and
    staff-hours / oracle).

    Common random numbers: every pick starts from the same counts, and its extra count is read from the same
    simulated week (a fresh week of the store's customers after the four the windows come from), so two picks of
    the same window give the same plan; every plan is judged on the same days against the same oracle. The random
    windows are drawn from the same open 2-hour windows the advice ranks, by a generator of their own, so they do
    not depend on the rankings tried. Each pick's plan is also staffed at every `FRONTIER_CONFIDENCES` value, and its
    share met read at the staff-hours of the plan without an extra count (`met_at_base_staff`): what the count is
    worth as knowledge, whatever staff the hedge then buys with it."""
    settings = settings or Settings()
    miss_price = settings.staffing.target_confidence / (1.0 - settings.staffing.target_confidence)
    chain = build_chain()
    judge = judge or Judge(chain, judging_days, seed + 1)
    weeks = pd.concat([count_weeks(store, 4, np.random.default_rng(seed)) for store in chain], ignore_index=True)
    stores = stores_frame(chain)
    served: dict = {}  # (store, weekday, staff) -> met per hour: a plan differs from the base in a few weekdays
    trials = []
    for draw in draws:
        observations = windows(weeks, chain, 6, 2, np.random.default_rng([seed, draw]))
        demand = estimate_demand(observations, stores, settings)
        base = recommend_staff(demand, stores, settings)
        for index, store in enumerate(chain):
            days = {k: v for k, v in judge.days.items() if k[0] == store.store_id}
            extra = count_weeks(store, 1, np.random.default_rng([seed, draw, index, 1]))
            extra["date"] += pd.Timedelta(days=DAYS_PER_WEEK * EXTRA_WEEK)
            open_windows = [(w, h) for w in range(DAYS_PER_WEEK) for h in store.hours(w)[:-1]]
            picked = np.random.default_rng([seed, draw, index]).choice(
                len(open_windows), size=min(random_windows, len(open_windows)), replace=False)
            store_rows = stores[stores["store_id"] == store.store_id]

            def judged(table: pd.DataFrame) -> tuple[float, float, float, float]:
                plan = _plan(table, judge)
                met = hours = staff_hours = oracle_hours = errors = 0.0
                for key in days:
                    staff = plan[key]
                    cached = (key, staff.tobytes())
                    if cached not in served:
                        served[cached] = serve(days[key], staff).meets_target()
                    met += served[cached].sum()
                    hours += staff.size
                    staff_hours += staff.sum()
                    oracle_hours += judge.oracle[key].sum()
                    errors += np.abs(staff - judge.oracle[key]).sum()
                missed = (hours - met) * miss_price
                return met / hours, staff_hours / oracle_hours, errors / hours, (staff_hours + missed) / oracle_hours

            outcomes: dict = {}

            def frontier(store_demand: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
                """(staff ratios, met shares) of the store's plans over `FRONTIER_CONFIDENCES`."""
                points = [judged(recommend_staff(store_demand, store_rows, replace(settings, staffing=replace(
                    settings.staffing, target_confidence=c))))[:2] for c in FRONTIER_CONFIDENCES]
                met, ratio = np.array(points).T
                order = np.argsort(ratio, kind="stable")
                return ratio[order], met[order]

            base_demand = demand[demand["store_id"] == store.store_id]
            base_outcome = judged(base)
            base_curve = frontier(base_demand)
            base_ratio = base_outcome[1]

            def counted(window: tuple[int, int]) -> tuple[float, ...]:
                if window not in outcomes:
                    weekday, start = window
                    rows = extra[(extra["date"].dt.day_of_week == weekday) & extra["hour"].between(start, start + 1)]
                    demand_after = estimate_demand(pd.concat([observations, rows], ignore_index=True), stores,
                                                   settings)
                    store_demand = demand_after[demand_after["store_id"] == store.store_id]
                    ratio, met = frontier(store_demand)
                    outcomes[window] = (*judged(recommend_staff(store_demand, store_rows, settings)),
                                        float(np.interp(base_ratio, ratio, met)))
                return outcomes[window]

            trials.append(AdviceTrial(seed, draw, store.store_id, "none", -1, -1, *base_outcome,
                                      float(np.interp(base_ratio, *base_curve))))
            for name in rankings:
                best = next_counts(demand, stores, settings, store.store_id, windows=1, ranking=name,
                                   observations=observations)[0]
                window = (best.weekday, best.start_hour)
                trials.append(AdviceTrial(seed, draw, store.store_id, name, *window, *counted(window)))
            if picked.size:
                mean = np.mean([counted(open_windows[i]) for i in picked], axis=0)
                trials.append(AdviceTrial(seed, draw, store.store_id, "random", -1, -1, *mean))
    return trials


ADVICE_MEASURES = {"met_share": ("met %", 1), "staff_ratio": ("staff/oracle", 3), "staff_error": ("|staff-oracle|", 3),
                   "cost_ratio": ("cost/oracle", 3), "met_at_base_staff": ("met % same staff", 1)}


def advice_table(trials: list[AdviceTrial]) -> str:
    """Per pick: the mean over stores and draws of each measure, then each ranking's paired difference from the
    random pick, per seed and pooled over the seeds. A difference's standard error is taken over the draws (the
    mean over a draw's stores as one observation), since a draw's stores share one chain-wide estimate."""
    frame = pd.DataFrame([t.__dict__ for t in trials])
    frame["met_share"] *= 100.0
    frame["met_at_base_staff"] *= 100.0
    wide = frame.pivot_table(index=["seed", "draw", "store_id"], columns="pick", values=list(ADVICE_MEASURES))
    picks = [p for p in wide["cost_ratio"].columns if p not in ("none", "random")]
    seeds = list(dict.fromkeys(frame["seed"]))
    lines = [f"mean over {len(wide)} store-draws ({len(seeds)} seed(s)); then each ranking minus the random pick "
             "(standard error over draws)",
             f"{'pick':<22}" + "".join(f"{label:>16}" for label, _ in ADVICE_MEASURES.values())]
    for pick in ["none", "random", *picks]:
        lines.append(f"{pick:<22}" + "".join(f"{wide[m][pick].mean():16.{d}f}"
                                            for m, (_, d) in ADVICE_MEASURES.items()))
    for pick in picks:
        for label, part in [*((f"seed {s}", wide.loc[[s]]) for s in seeds), *((("pooled", wide),) if len(seeds) > 1
                                                                             else ())]:
            cells = []
            for m, (_, d) in ADVICE_MEASURES.items():
                by_draw = (part[m][pick] - part[m]["random"]).groupby(level=["seed", "draw"]).mean()
                cells.append(f"{by_draw.mean():+.{d}f} ({by_draw.std() / np.sqrt(len(by_draw)):.{d}f})")
            lines.append(f"{pick + ' - random, ' + label:<22}" + "".join(f"{c:>16}" for c in cells))
    return "\n".join(lines)


@dataclass(frozen=True)
class CheckedEffect:
    """Scenario a's plan before and after simulation-checked staffing (`planner.simulation.check_staffing`)."""

    before: tuple[float, float]
    """Share of store-hours meeting the target, staff-hours / oracle, per-hour recommendation."""
    after: tuple[float, float]
    corrected_hours: int
    added_hours: int
    """Hours given more staff (the rest of the corrected hours were given fewer)."""
    reasons: tuple[str, ...]


def checked_staffing_effect(judge: Judge, seed: int = 2026, settings: Settings | None = None,
                            replications: int | None = None) -> CheckedEffect:
    """Scenario a's recommendation, judged as it is and after simulation-checked staffing of every store."""
    from planner.simulation.checked_staffing import check_staffing
    from planner.simulation.week import StoreWeek

    settings = settings or Settings()
    chain = build_chain()
    rng = np.random.default_rng(seed)
    weeks = pd.concat([count_weeks(store, 4, rng) for store in chain], ignore_index=True)
    observations = drop_hours(weeks, 0.10, np.random.default_rng([seed, ord("a")]))
    stores = stores_frame(chain)
    demand = estimate_demand(observations, stores, settings)
    table = recommend_staff(demand, stores, settings)
    checked = table.copy()
    corrected = added = 0
    reasons: list[str] = []
    for store in chain:
        week = StoreWeek.from_demand(demand, stores, store.store_id, settings)
        result = check_staffing(table, week, settings, replications=replications, seed=seed)
        rows = checked["store_id"] == store.store_id
        key = pd.MultiIndex.from_frame(checked.loc[rows, ["weekday", "hour"]])
        checked.loc[rows, "required_staff"] = (
            result.hours.set_index(["weekday", "hour"])["checked_staff"].reindex(key).to_numpy())
        corrected += result.corrected_hours
        added += int((result.hours["checked_staff"] > result.hours["recommended_staff"]).sum())
        reasons += [f"{store.store_id} {sentence}" for sentence in result.corrections]
    before, after = judge.judge(_plan(table, judge)), judge.judge(_plan(checked, judge))
    return CheckedEffect(before[:2], after[:2], corrected, added, tuple(reasons))
