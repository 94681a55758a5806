"""Why the pooled demand model is fitted with numpy rather than statsmodels: the same counts, both fits, their error
against the simulated chain's truth and their fit time.

    python bench/bench_model_choice.py [--repeats 3]

The data are the accuracy benchmark's (`tests/simulated_chain.py`): eight stores of five formats, counted for four
weeks with 10% of hours missing (scenario a) or in six 2-hour windows per store (scenario b). The rate compared is
visitors per hour, the one count no staffing censors (its truth: help-seekers + self-service customers + 8
browsers an hour). Fits:

- planner: `planner.demand.pooled.pooled_rates` (penalised Poisson, Newton steps in numpy, every format at once;
  store level x weekday factor x smooth hour curve, the store's own departures shrunk toward its format's);
- statsmodels GLM: a Poisson GLM with B-spline terms in the hour, the same structure without the shrinkage:
  visitors ~ store + format:weekday + format:weekday-group:bs(hour, 5), with quasi-Poisson (Pearson) scale;
- statsmodels GLMGam: the same as a penalised GAM (B-splines, penalty weight `--alpha`), statsmodels' own answer
  to curves that must stay smooth where few hours were counted.

Per fit and scenario it prints the mean absolute error of log(rate) over every open hour of every store, counted
hours and hours never counted apart, and the fit's median time over `--repeats` runs (ratio to the planner's).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # run as a script from anywhere

from simulated_chain import BROWSERS_PER_HOUR, build_chain, count_weeks, drop_hours, windows  # noqa: E402

from planner.demand.pooled import CountedHours, pooled_rates  # noqa: E402
from planner.settings import Settings  # noqa: E402

RULES = Settings().demand
FIRST_HOUR, LAST_HOUR = 8.0, 22.0
"""Range of the spline basis (every store of the chain opens within it)."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--alpha", type=float, default=1.0, help="GLMGam's penalty weight")
    args = parser.parse_args()
    chain = build_chain()
    rng = np.random.default_rng(args.seed)
    weeks = pd.concat([count_weeks(store, 4, rng) for store in chain], ignore_index=True)
    truth = _truth(chain)
    scenarios = {
        "a four weeks, 10% missing": drop_hours(weeks, 0.10, np.random.default_rng([args.seed, ord("a")])),
        "b six 2-hour windows": windows(weeks, chain, 6, 2, np.random.default_rng([args.seed, ord("b")])),
    }
    fits = {"planner (numpy)": _planner, "statsmodels GLM": _glm,
            "statsmodels GLMGam": lambda counts, grid: _gam(counts, grid, args.alpha)}
    print(f"{'scenario':<28} {'fit':<20} {'log error all':>13} {'counted':>8} {'uncounted':>9} {'time':>9} "
          f"{'x planner':>9}")
    for name, counts in scenarios.items():
        counts = counts.assign(weekday=counts["date"].dt.day_of_week, format=counts["store_id"].map(
            {s.store_id: s.format for s in chain}))
        counted = truth.merge(counts[["store_id", "weekday", "hour"]].drop_duplicates(), how="left", indicator=True)
        was_counted = (counted["_merge"] == "both").to_numpy()
        base = None
        for fit_name, fit in fits.items():
            seconds, rate = _timed(fit, counts, truth, args.repeats)
            base = base or seconds
            error = np.abs(np.log(np.clip(rate, 1e-3, 1e6)) - np.log(truth["visitors_per_hour"].to_numpy()))
            error = np.where(np.isfinite(error), error, np.inf)
            print(f"{name:<28} {fit_name:<20} {_mean(error):>13} {_mean(error[was_counted]):>8} "
                  f"{_mean(error[~was_counted]):>9} {seconds:8.3f}s {seconds / base:8.1f}x")
    return 0


def _truth(chain) -> pd.DataFrame:
    rows = [(s.store_id, s.format, w, h, s.help_per_hour[w, h] + s.self_service_per_hour[w, h] + BROWSERS_PER_HOUR)
            for s in chain for w in range(7) for h in s.hours(w)]
    return pd.DataFrame(rows, columns=["store_id", "format", "weekday", "hour", "visitors_per_hour"])


def _planner(counts: pd.DataFrame, grid: pd.DataFrame) -> np.ndarray:
    ids = sorted(grid["store_id"].unique())
    store = pd.Index(ids).get_indexer(counts["store_id"])
    formats = pd.factorize(grid.drop_duplicates("store_id").set_index("store_id").loc[ids, "format"])[0]
    open_cells = np.zeros((len(ids), 7, 24), dtype=bool)
    open_cells[pd.Index(ids).get_indexer(grid["store_id"]), grid["weekday"], grid["hour"]] = True
    hours = CountedHours(store, counts["weekday"].to_numpy(), counts["hour"].to_numpy(dtype=int),
                         pd.factorize(counts["date"])[0], counts["visitors"].to_numpy(dtype=float),
                         np.ones(len(counts)))
    rates = pooled_rates(hours, formats, open_cells, RULES)
    return rates.mean[pd.Index(ids).get_indexer(grid["store_id"]), grid["weekday"], grid["hour"]]


_FORMULA = ("visitors ~ 0 + C(store_id) + C(format):C(weekday) + "
            f"C(format):C(group):bs(hour, df=5, lower_bound={FIRST_HOUR}, upper_bound={LAST_HOUR})")


def _glm(counts: pd.DataFrame, grid: pd.DataFrame) -> np.ndarray:
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    frame = _design_frame(counts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = smf.glm(_FORMULA, frame, family=sm.families.Poisson()).fit(scale="X2")
        return np.asarray(model.predict(_design_frame(grid)))


def _gam(counts: pd.DataFrame, grid: pd.DataFrame, alpha: float) -> np.ndarray:
    import statsmodels.api as sm
    from statsmodels.gam.api import BSplines, GLMGam

    frame, target = _design_frame(counts), _design_frame(grid)
    # one smooth hour curve per format and weekday group, as the planner's; the levels as dummies
    keys = sorted(set(zip(frame["format"], frame["group"], strict=True)) | set(zip(target["format"],
                                                                                    target["group"], strict=True)))

    def smooth_columns(rows: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({f"{f}|{g}": np.where((rows["format"] == f) & (rows["group"] == g), rows["hour"],
                                                  FIRST_HOUR) for f, g in keys}, index=rows.index)

    def dummies(rows: pd.DataFrame) -> pd.DataFrame:
        levels = pd.get_dummies(rows["store_id"], dtype=float).reindex(columns=sorted(target["store_id"].unique()),
                                                                       fill_value=0.0)
        days = pd.get_dummies(rows["format"] + ":" + rows["weekday"].astype(str), dtype=float)
        days = days.reindex(columns=sorted(set(target["format"] + ":" + target["weekday"].astype(str))),
                            fill_value=0.0).iloc[:, 1:]  # one weekday per chain is the base
        return pd.concat([levels, days], axis=1)

    smoother = BSplines(smooth_columns(frame), df=[6] * len(keys), degree=[3] * len(keys), include_intercept=False,
                        knot_kwds=[{"lower_bound": FIRST_HOUR, "upper_bound": LAST_HOUR + 1.0}] * len(keys))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = GLMGam(frame["visitors"], exog=dummies(frame), smoother=smoother, alpha=alpha,
                       family=sm.families.Poisson()).fit()
        return np.asarray(model.predict(exog=dummies(target), exog_smooth=smooth_columns(target)))


def _design_frame(rows: pd.DataFrame) -> pd.DataFrame:
    group = np.zeros(7, dtype=int)
    for index, days in enumerate(RULES.similar_weekdays):
        group[list(days)] = index
    out = rows[["store_id", "format", "weekday", "hour"]].copy()
    out["hour"] = out["hour"].astype(float) + 0.5
    out["group"] = group[out["weekday"].to_numpy(dtype=int)]
    if "visitors" in rows:
        out["visitors"] = rows["visitors"].to_numpy(dtype=float)
    return out.reset_index(drop=True)


def _timed(fit, counts: pd.DataFrame, grid: pd.DataFrame, repeats: int) -> tuple[float, np.ndarray]:
    times, rate = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        try:
            rate = fit(counts, grid)
        except Exception as error:  # a fit that fails is reported as such, with its reason
            print(f"  fit failed: {type(error).__name__}: {error}")
            rate = np.full(len(grid), np.nan)
        times.append(time.perf_counter() - started)
    return float(np.median(times)), np.asarray(rate, dtype=float)


def _mean(error: np.ndarray) -> str:
    if error.size == 0:
        return "-"
    finite = np.isfinite(error)
    text = f"{np.mean(error[finite]):.3f}" if finite.any() else "inf"
    return text if finite.all() else f"{text}*"


if __name__ == "__main__":
    sys.exit(main())
