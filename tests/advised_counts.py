"""Scenario "b, advised" of the accuracy benchmark: six 2-hour counts per store as in scenario b, but each after the
first placed where the planner's count advice (`planner.staffing.advice.next_counts`, its default ranking) says,
as a manager following the product would count; judged against scenario b's six random windows, paired (same
counts drawn, same first window, same judge). `bench/bench_accuracy.py` prints it; `tests/test_chain.py` runs a
small seeded version.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from chain_accuracy import Judge, _plan
from simulated_chain import build_chain, count_weeks, stores_frame, windows

from planner.demand import estimate_demand
from planner.demand.pooled import _group_of_weekday
from planner.settings import Settings
from planner.staffing import recommend_staff
from planner.staffing.advice import WINDOW_HOURS, next_counts

PLACEMENTS = ("random", "advised")
"""Scenario b's windows at random dates and start hours; the same first window, then the advised ones."""
WINDOWS_PER_STORE = 6
ADVICE_ASKED = 8
"""Windows asked of the advice per store and round, best first: the first whose weekday still has a simulated date
not counted in that store is taken. Five counted dates fill at most one weekday's four, and eight windows that share
no hour cannot all lie on one day of at most 12 open hours, so one always fits."""
CONFIDENCES = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
"""`target_confidence` values the plan is staffed at to read its share met at a given staff-hours / oracle: wide
enough that 1.10x lies on the curve for every seed (the advised plans of 2026 and 7 stay above 1.10x at 0.55)."""


def advised_windows(weeks: pd.DataFrame, chain, stores: pd.DataFrame, settings: Settings, per_store: int,
                    rng: np.random.Generator) -> pd.DataFrame:
    """Per store `per_store` 2-hour counts from `weeks`, on different dates: the first window is the one `windows`
    draws first with `rng` (so scenario b's first), each next one at the window `next_counts` advises given the
    whole chain's counts so far, on a date of the advised weekday not yet counted in that store (at random among
    them). In rounds, as a chain's managers would count: round k gives every store its k-th window, and the demand
    model is fitted once per round on every count so far."""
    drawn = windows(weeks, chain, per_store, WINDOW_HOURS, rng)
    first = drawn.drop_duplicates("store_id")[["store_id", "date"]]
    observations = drawn.merge(first, on=["store_id", "date"])
    for _ in range(per_store - 1):
        demand = estimate_demand(observations, stores, settings)
        added = []
        for store in chain:
            used = set(observations.loc[observations["store_id"] == store.store_id, "date"])
            rows = weeks[weeks["store_id"] == store.store_id]
            for advice in next_counts(demand, stores, settings, store.store_id, windows=ADVICE_ASKED):
                free = sorted(set(rows.loc[rows["date"].dt.day_of_week == advice.weekday, "date"]) - used)
                if free:
                    break
            else:
                raise ValueError(f"{store.store_id}: no advised window has a date left to count")
            when = free[rng.integers(len(free))]
            added.append(rows[(rows["date"] == when)
                              & rows["hour"].between(advice.start_hour, advice.start_hour + WINDOW_HOURS - 1)])
        observations = pd.concat([observations, *added], ignore_index=True)
    return observations


@dataclass(frozen=True)
class PlacementResult:
    seed: int
    placement: str
    """One of `PLACEMENTS`."""
    met_share: float
    """Share of store-hours meeting the target at the default `target_confidence`."""
    staff_ratio: float
    """Staff-hours / the oracle's."""
    cost_ratio: float
    """(staff-hours + c x store-hours missing the target) / the oracle's staff-hours, c = target_confidence /
    (1 - target_confidence) (1.86 at 0.65): the price of a miss that makes hedging at target_confidence the best
    choice, as `chain_accuracy.advice_trials` prices it."""
    met_at_ratio: float
    """Share met read off the plan's curve over `CONFIDENCES` at the asked staff-hours / oracle (straight lines
    between the points; NaN outside them)."""
    counted_weekdays: float
    """Mean number of different weekdays counted per store."""
    nobody_in_format: float
    """Share of open store-hours that no store of the format counted on a day of the same weekday group (the hours
    `chain_accuracy.sparse_errors` finds the estimate worst in)."""
    observations: pd.DataFrame = field(repr=False, compare=False)
    """The counts the plan was made from."""


def placement_trial(seed: int = 2026, judging_days: int = 300, settings: Settings | None = None,
                    judge: Judge | None = None, chain=None, per_store: int = WINDOWS_PER_STORE,
                    weeks: int = 4, staff_ratio: float = 1.10, confidences=CONFIDENCES) -> list[PlacementResult]:
    """Scenario b's random windows and the advised ones, from the same four weeks of simulated counts (drawn as
    `chain_accuracy.run` draws them for `seed`), each planned and judged as scenario b is; then staffed at each of
    `confidences` for the share met at `staff_ratio`."""
    settings = settings or Settings()
    chain = chain or build_chain()
    judge = judge or Judge(chain, judging_days, seed + 1)
    rng = np.random.default_rng(seed)
    counted = pd.concat([count_weeks(store, weeks, rng) for store in chain], ignore_index=True)
    stores = stores_frame(chain)
    placed = {
        "random": windows(counted, chain, per_store, WINDOW_HOURS, np.random.default_rng([seed, ord("b")])),
        "advised": advised_windows(counted, chain, stores, settings, per_store,
                                   np.random.default_rng([seed, ord("b")])),
    }
    hours = sum(days.open_hours for days in judge.days.values())
    oracle_hours = sum(float(judge.oracle[key].sum()) for key in judge.days)
    confidence = settings.staffing.target_confidence
    miss_price = confidence / (1.0 - confidence)
    results = []
    for placement, observations in placed.items():
        demand = estimate_demand(observations, stores, settings)
        met, ratio, _ = judge.judge(_plan(recommend_staff(demand, stores, settings), judge))
        curve = []
        for level in confidences:
            at = replace(settings, staffing=replace(settings.staffing, target_confidence=level))
            curve.append(judge.judge(_plan(recommend_staff(demand, stores, at), judge))[:2])
        weekdays = observations.assign(weekday=observations["date"].dt.day_of_week).groupby("store_id")["weekday"]
        results.append(PlacementResult(seed, placement, met, ratio, ratio + miss_price * (1.0 - met) * hours
                                       / oracle_hours, _met_at(curve, staff_ratio),
                                       float(weekdays.nunique().mean()),
                                       _nobody_in_format(observations, chain, settings), observations))
    return results


def _nobody_in_format(observations: pd.DataFrame, chain, settings: Settings) -> float:
    formats = {store.store_id: store.format for store in chain}
    group = _group_of_weekday(settings.demand.similar_weekdays)
    counted = set(zip(observations["store_id"].map(formats), group[observations["date"].dt.day_of_week],
                      observations["hour"], strict=True))
    cells = [(store.format, group[weekday], hour) for store in chain for weekday in range(7)
             for hour in store.hours(weekday)]
    return float(np.mean([cell not in counted for cell in cells]))


def _met_at(curve: list[tuple[float, float]], staff_ratio: float) -> float:
    shares, ratios = np.array(curve).T
    order = np.argsort(ratios)
    if not ratios.min() <= staff_ratio <= ratios.max():
        return np.nan
    return float(np.interp(staff_ratio, ratios[order], shares[order]))


def placement_table(results: list[PlacementResult], staff_ratio: float = 1.10) -> str:
    """Per seed: each placement's share met, staff-hours / oracle, cost / oracle, share met at `staff_ratio` and
    weekdays counted per store, share of store-hours nobody in the format counted, and advised - random; then, over two seeds or more, the paired mean with its
    standard error and each placement's mean."""
    frame = pd.DataFrame([{k: v for k, v in r.__dict__.items() if k != "observations"} for r in results])
    for column in ("met_share", "met_at_ratio", "nobody_in_format"):
        frame[column] *= 100.0
    measures = {"met_share": ("met %", 1), "staff_ratio": ("staff/oracle", 3), "cost_ratio": ("cost/oracle", 3),
                "met_at_ratio": (f"met % at {staff_ratio:.2f}x", 1), "counted_weekdays": ("weekdays", 1),
                "nobody_in_format": ("not in format %", 1)}
    wide = frame.pivot_table(index="seed", columns="placement", values=list(measures), dropna=False)
    lines = [f"{'seed':>6} {'placement':<18}" + "".join(f"{label:>17}" for label, _ in measures.values())]

    def line(seed: str, label: str, values: dict, signed: bool = False) -> str:
        sign = "+" if signed else ""
        return f"{seed:>6} {label:<18}" + "".join(f"{values[m]:>{sign}17.{d}f}" for m, (_, d) in measures.items())

    seeds = list(dict.fromkeys(r.seed for r in results))
    for seed in seeds:
        for placement in PLACEMENTS:
            lines.append(line(str(seed), placement, {m: wide.at[seed, (m, placement)] for m in measures}))
        lines.append(line("", "advised - random", {m: wide.at[seed, (m, "advised")] - wide.at[seed, (m, "random")]
                                                   for m in measures}, signed=True))
    if len(seeds) < 2:
        return "\n".join(lines)
    deltas = {m: wide[m]["advised"] - wide[m]["random"] for m in measures}
    lines.append(f"paired over {len(seeds)} seeds, advised - random: mean (standard error)")
    lines.append(f"{'':>6} {'':<18}" + "".join(
        f"{f'{deltas[m].mean():+.{d}f} ({deltas[m].std() / np.sqrt(deltas[m].count()):.{d}f})':>17}"
        for m, (_, d) in measures.items()))
    for placement in PLACEMENTS:
        lines.append(line("mean", placement, {m: wide[m][placement].mean() for m in measures}))
    return "\n".join(lines)
