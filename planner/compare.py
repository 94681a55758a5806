"""Stores side by side: weekly KPIs per store, a store x hour table of recommended staff, and the targets each store
is planned with. Pure pandas: frames in, frames out; no database, no streamlit.

Inputs are the recommendation table (`planner.staffing.StaffingSchema`: one row per store x weekday x open hour), the
store file (`planner.schemas.StoreSchema`) and, for visitors, the demand table (`planner.schemas.DemandSchema`, or any
frame with store_id, weekday, hour and visitors_per_hour). A "week" is one of each weekday: every row of the
recommendation is one open hour of that week, so a sum over a store's rows is a weekly total. Every count of hours
(open, known, short, over, without an estimate) and every staff-hour figure counts an hour by the minutes the store is
open in it (`planner.staff_hours`): the 09:00 of a store opening at 09:30 adds half an open hour and half its staff,
as the store's plan counts them. Rates are customers per open hour, so every count of customers counts an hour by the
share of it the doors are open (`planner.staff_hours.open_share`, to the minute): that 09:00 adds half its rate.

Units: visitors and customers are people per week; staff-hours are staff x hours per week; wage costs are in the
currency of the store file's wages per week; shares are fractions. `store_kpis` of one weekday gives the same figures
per that day, over its opening alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.calendar import business_week_rows
from planner.hours import DAY_NAMES, hour_label
from planner.schemas import DemandSchema as D, StoreSchema as S
from planner.staff_hours import hours_open, minutes_open, open_share, staff_hours
from planner.staffing import StaffingSchema as R

_KPI_TEXT = {  # {per}: "per week" or "on Saturday"; {hours}: the hours summed; {visitors}, {help_seekers}
    S.store_id: "the store",
    S.name: "from the store file",
    S.region: "from the store file",
    S.format: "from the store file",
    "open_hours": "hours open {per}: the recommendation's hours, one open for part of it (opening 09:30) by the "
                  "minutes it is open, as the store's plan counts its days; every count of hours below counts so",
    "hours_without_estimate": "open hours never counted and with nothing to borrow: no recommendation, left out of "
                              "every sum below (by open minutes, as open_hours)",
    "weekly_visitors": "people entering {per}: the demand's visitors_per_hour summed over {hours}, an hour "
                       "open for part of it by the share of it open (without a demand table: help-seekers plus "
                       "self-service customers, i.e. browsers left out)",
    "weekly_help_seekers": "customers {per} who want a salesperson, those who gave up waiting included "
                           "(assisted_per_hour summed as {visitors})",
    "assisted_share": "{help_seekers} / {visitors}",
    "needed_staff_hours": "recommended staff summed over {hours}, an hour open for part of it (opening "
                          "09:30) by the minutes it is open, as the store's plan counts it",
    "current_staff_hours": "staff on duty when counted (current_staff, a mean over the counted hours) summed over the "
                           "hours where it is known, by their open minutes too; unknown hours add nothing",
    "current_known_hours": "open hours whose counts gave staff_on_duty (by open minutes, as open_hours)",
    "needed_staff_hours_where_current_known": "needed_staff_hours over those same hours, to set against "
                                              "current_staff_hours like for like",
    "understaffed_hours": "open hours where current_staff < required_staff (only hours where both are known; by open "
                          "minutes, as open_hours)",
    "staff_hours_short": "in the understaffed hours, required_staff - current_staff summed: the staff-hours missing",
    "overstaffed_hours": "open hours where current_staff > required_staff (only hours where both are known; by open "
                         "minutes, as open_hours)",
    "staff_hours_over": "in the overstaffed hours, current_staff - required_staff summed: the staff-hours to spare",
    "staff_hours_gap": "needed_staff_hours_where_current_known - current_staff_hours: like for like, positive when "
                       "the store is short of staff overall",
    "wage_cost_gap": "staff_hours_gap x wage_per_hour: the wages needed minus the wages on duty over the same hours, "
                     "those where the staff on duty is known (the hours without it are in neither)",
    "lost_customers_per_week": "help-seekers {per} estimated to give up at the current staff (summed where known, "
                               "as {visitors})",
    S.wage_per_hour: "cost of one staff-hour, from the store file",
    "needed_wage_cost": "needed_staff_hours x wage_per_hour: what the recommendation costs over every open hour with "
                        "one (not to be set against the staff on duty, known in fewer hours: wage_cost_gap is)",
    "needed_staff_hours_per_1000_visitors": "needed_staff_hours / {visitors} x 1000",
    "counted_hours": "hours counted {per}, over every date the counts hold: the demand's observed_hours summed over "
                     "{hours}; fewer counts, less of the store's own demand in its figures",
    "low_confidence_share": "share of the open hours with an estimate whose confidence is low (by open minutes, as "
                            "open_hours): counted fewer than min_hours_for_high_confidence times, so their estimate "
                            "is mostly borrowed from the store's other hours and its format's stores, or counted only "
                            "while every salesperson was busy, so the help wanted is known only as a floor. A high "
                            "share: count those hours (My store's Where to count next names them) before trusting "
                            "the store's gap",
    "help_seekers_interval_width": "mean width of the 90% interval of help-seekers per hour, as a share of the "
                                   "estimate, over the open hours with an estimate (by open minutes): 0.5 = the "
                                   "true figure may lie anywhere in a range half the estimate wide. Wide: more "
                                   "counts narrow it (My store's Where to count next says where they help most)",
}
"""Columns of `store_kpis`, in order, with their meaning: `kpi_columns` words them for the week or a weekday."""


def kpi_columns(weekday: int | None = None) -> dict[str, str]:
    """`KPI_COLUMNS` as `store_kpis` of the week (None) or of `weekday` (0 = Monday) counts them: "per week", or
    "on Saturday" over Saturday's opening (its hours after midnight with it)."""
    if weekday is None:
        words = {"per": "per week", "hours": "the week's open hours", "visitors": "weekly_visitors",
                 "help_seekers": "weekly_help_seekers"}
    else:
        day = DAY_NAMES[weekday]
        words = {"per": f"on {day}", "hours": f"{day}'s open hours (those after midnight of an opening that runs "
                 "past it with it)", "visitors": f"the visitors on {day}", "help_seekers": f"the help-seekers on {day}"}
    return {column: text.format(**words) for column, text in _KPI_TEXT.items()}


KPI_COLUMNS = kpi_columns()


HEATMAP_COLUMNS = [S.store_id, S.name, R.hour, R.required_staff, D.visitors_per_hour, "staff_per_100_visitors",
                   R.current_staff, "staff_gap"]
"""`staff_gap` = required_staff - current_staff (recommended minus on duty when counted), where both are known."""
REGION_SUMS = [
    "open_hours", "needed_staff_hours", "current_known_hours", "needed_staff_hours_where_current_known",
    "current_staff_hours", "staff_hours_gap", "understaffed_hours", "staff_hours_short", "overstaffed_hours",
    "staff_hours_over", "wage_cost_gap", "lost_customers_per_week", "needed_wage_cost", "hours_without_estimate",
    "counted_hours",
]
"""Columns of `store_kpis` that `region_totals` adds up per region."""


def store_kpis(
    recommendation: pd.DataFrame, stores: pd.DataFrame, visitors: pd.DataFrame | None = None,
    weekday: int | None = None,
) -> pd.DataFrame:
    """One row per store of `stores` (in its order) with the weekly KPIs of `KPI_COLUMNS`, or with a `weekday`
    (0 = Monday) the same KPIs over that day's opening alone: the seven days' figures add up to the week's.

    `visitors` gives visitors_per_hour per store x weekday x hour (the demand table); hours it lacks add no visitors.
    A day's opening holds its hours after midnight (Friday 10:00-01:00: Saturday's 00:00 is Friday's), as the
    heatmap of that day keys them (`planner.calendar.business_week_rows`).
    A store without a single recommended hour gets zeros and NA ratios, never an error.
    """
    rows = _with_visitors(recommendation, visitors)
    if weekday is not None:
        opening_day = business_week_rows(rows, stores)[R.weekday].to_numpy()
        rows = rows[opening_day == weekday]
    staff = rows[R.required_staff].astype("Float64")
    current = rows[R.current_staff].astype("Float64")
    both_known = staff.notna() & current.notna()
    minutes, share = minutes_open(rows, stores), open_share(rows, stores)

    def hours_of(staff_per_hour: pd.Series) -> pd.Series:  # NA stays NA: an hour without a figure adds nothing
        return pd.Series(staff_hours(staff_per_hour.astype(float), minutes), index=rows.index)

    def open_hours_where(which: pd.Series) -> np.ndarray:  # the open hours of the hours `which` holds (NA: not)
        return np.where(which.fillna(False).to_numpy(dtype=bool), hours_open(minutes), 0.0)

    parts = pd.DataFrame({
        S.store_id: rows[R.store_id],
        "open_hours": hours_open(minutes),
        "hours_without_estimate": open_hours_where(staff.isna()),
        "weekly_visitors": rows[D.visitors_per_hour].astype("Float64").fillna(0) * share,
        "weekly_help_seekers": rows[R.assisted_per_hour].astype("Float64").fillna(0) * share,
        "needed_staff_hours": hours_of(staff).fillna(0),
        "current_staff_hours": hours_of(current).fillna(0),
        "current_known_hours": open_hours_where(current.notna()),
        "needed_staff_hours_where_current_known": hours_of(staff.where(current.notna())).fillna(0),
        "understaffed_hours": open_hours_where(both_known & (current < staff)),
        "staff_hours_short": hours_of((staff - current).clip(lower=0).where(both_known)).fillna(0),
        "overstaffed_hours": open_hours_where(both_known & (current > staff)),
        "staff_hours_over": hours_of((current - staff).clip(lower=0).where(both_known)).fillna(0),
        "lost_customers_per_week": rows[R.lost_customers_per_hour_at_current].astype("Float64").fillna(0) * share,
        **_how_well_counted(rows, hours_open(minutes)),
    })
    sums = parts.groupby(S.store_id, sort=False).sum()
    table = stores[[S.store_id, S.name, S.region, S.format, S.wage_per_hour]].set_index(S.store_id).join(sums)
    table[list(sums.columns)] = table[list(sums.columns)].astype("Float64").fillna(0).astype(float)
    visitors_per_week = table["weekly_visitors"].where(table["weekly_visitors"] > 0)
    wage = table[S.wage_per_hour].astype(float)
    table["assisted_share"] = table["weekly_help_seekers"] / visitors_per_week
    table["staff_hours_gap"] = table["needed_staff_hours_where_current_known"] - table["current_staff_hours"]
    table["needed_wage_cost"] = table["needed_staff_hours"] * wage
    # no "wages now": the staff on duty is known in fewer hours than needed_wage_cost covers, so the two would set
    # unlike hours against each other; the gap is priced like for like instead
    table["wage_cost_gap"] = table["staff_hours_gap"] * wage
    table["needed_staff_hours_per_1000_visitors"] = table["needed_staff_hours"] / visitors_per_week * 1000
    estimated = table.pop("_estimated_hours")
    table["low_confidence_share"] = table.pop("_low_confidence_hours") / estimated.where(estimated > 0)
    known = table.pop("_widths_known_hours")
    table["help_seekers_interval_width"] = table.pop("_width_hours") / known.where(known > 0)
    if visitors is None or D.observed_hours not in visitors.columns:  # nothing said of the counts: no measure
        table[["counted_hours", "low_confidence_share", "help_seekers_interval_width"]] = np.nan
    table[S.wage_per_hour] = wage
    return table.reset_index()[list(KPI_COLUMNS)]


@dataclass(frozen=True)
class Neediest:
    """Which store of a comparison needs what, from its `store_kpis` and `staff_heatmap`: the store most short of
    staff like for like (its staff_hours_gap, the largest above zero, and its wage_cost_gap, in the table's units:
    per week or on the day), and the clock hour of its largest mean staff_gap in the heatmap; and the store losing
    the most customers (lost_customers_per_week, above zero). None where no store is, or where its figure rounds to
    none (a gap of 0.4 read "0 staff-hours a week"). `staff_known` is False where no store's counts gave the staff on
    duty: every gap is then zero for want of a measure, not a store short of none."""

    store_id: str | None = None
    staff_known: bool = True
    name: str = ""
    staff_hours_gap: float = 0.0
    wage_cost_gap: float = 0.0
    peak_hour: int | None = None
    most_lost_store_id: str | None = None
    most_lost_name: str = ""
    most_lost: float = 0.0

    @property
    def peak_label(self) -> str:
        """The peak hour as every view names an hour ("19:00"), "" where none is known."""
        return "" if self.peak_hour is None else hour_label(self.peak_hour)


def neediest(kpis: pd.DataFrame, grid: pd.DataFrame) -> Neediest:
    """The `Neediest` of a `store_kpis` table and the `staff_heatmap` of the same stores and day: what the page's
    tables and heatmaps show, said of one store (the first in the table's order on a tie)."""
    gap = kpis["staff_hours_gap"].astype(float)
    lost = kpis["lost_customers_per_week"].astype(float)
    found: dict = {"staff_known": bool((kpis["current_known_hours"].astype(float) > 0).any())}
    if gap.max() >= 0.5:  # a figure the page shows as at least 1 (the sentence says it to the unit)
        row = kpis.loc[gap.idxmax()]
        hours = grid[(grid[S.store_id] == row[S.store_id]) & grid["staff_gap"].notna()]
        peak = None if hours.empty else int(hours.loc[hours["staff_gap"].astype(float).idxmax(), R.hour])
        found |= {"store_id": row[S.store_id], "name": str(row[S.name]), "staff_hours_gap": float(gap.max()),
                  "wage_cost_gap": float(row["wage_cost_gap"]), "peak_hour": peak}
    if lost.max() >= 0.5:
        row = kpis.loc[lost.idxmax()]
        found |= {"most_lost_store_id": row[S.store_id], "most_lost_name": str(row[S.name]),
                  "most_lost": float(lost.max())}
    return Neediest(**found)


def staff_heatmap(
    recommendation: pd.DataFrame,
    stores: pd.DataFrame,
    visitors: pd.DataFrame | None = None,
    weekday: int | None = None,
) -> pd.DataFrame:
    """Per store of `stores` x clock hour (`HEATMAP_COLUMNS`): recommended staff, visitors per hour,
    staff_per_100_visitors = 100 x staff / visitors, the staff on duty when counted and the staff_gap (recommended
    minus on duty), for one `weekday` (0 = Monday) or, with None, the week's mean.

    The week's mean at an hour is over the weekdays the store is open then and has a recommendation; its
    staff_per_100_visitors is the ratio of those means (= of their sums); current_staff and staff_gap are means over
    the weekdays where the staff on duty is known (NaN if none). Hours with no recommendation are left out.
    """
    rows = _with_visitors(recommendation, visitors)
    rows = rows[rows[R.store_id].isin(stores[S.store_id]) & rows[R.required_staff].notna()]
    rows = business_week_rows(rows, stores)  # a Friday open to 01:00: its 00:00+1 is Friday's, not Saturday's
    if weekday is not None:
        rows = rows[rows[R.weekday] == weekday]
    staff = rows[R.required_staff].astype(float)
    visitors_per_hour = rows[D.visitors_per_hour].astype("Float64").astype(float)
    current = rows[R.current_staff].astype("Float64").astype(float)
    cells = pd.DataFrame({S.store_id: rows[R.store_id], R.hour: rows[R.hour], R.required_staff: staff,
                          D.visitors_per_hour: visitors_per_hour,
                          "_staff_seen": staff.where(visitors_per_hour.notna()), R.current_staff: current,
                          "staff_gap": staff - current})
    grid = cells.groupby([S.store_id, R.hour], sort=True).agg(
        **{R.required_staff: (R.required_staff, "mean"), D.visitors_per_hour: (D.visitors_per_hour, "mean"),
           "_staff_seen": ("_staff_seen", "mean"), R.current_staff: (R.current_staff, "mean"),
           "staff_gap": ("staff_gap", "mean")}
    ).reset_index()
    seen = grid[D.visitors_per_hour].where(grid[D.visitors_per_hour] > 0)
    grid["staff_per_100_visitors"] = 100 * grid["_staff_seen"] / seen
    names = stores.set_index(S.store_id)[S.name]
    grid[S.name] = grid[S.store_id].map(names)
    order = {store: n for n, store in enumerate(stores[S.store_id])}
    grid = grid.sort_values([S.store_id, R.hour], key=lambda c: c.map(order) if c.name == S.store_id else c)
    return grid[HEATMAP_COLUMNS].reset_index(drop=True)


def stores_without_estimate(kpis: pd.DataFrame, closed_apart: bool = False) -> list[str]:
    """The stores of a `store_kpis` table with no recommended hour at all (never counted, none borrowed; of a
    weekday's table, none that day): their zeros measure nothing, in the order of the table. `closed_apart` (a
    weekday's table): a store closed that day is not one (`stores_closed`), its zeros are true."""
    none = kpis["hours_without_estimate"] >= kpis["open_hours"]
    if closed_apart:
        none &= kpis["open_hours"] > 0
    return [str(store) for store in kpis.loc[none, S.store_id]]


def stores_closed(kpis: pd.DataFrame) -> list[str]:
    """The stores of a `store_kpis` table with no open hour in it (of a weekday's table: closed that day), in the
    order of the table."""
    return [str(store) for store in kpis.loc[kpis["open_hours"] <= 0, S.store_id]]


def region_totals(kpis: pd.DataFrame) -> pd.DataFrame:
    """One row per region of a `store_kpis` table (sorted by region): the number of stores and the sums of
    `REGION_SUMS`, then, where there are several, a last row "all regions" with the sums over every store (of one
    region it would repeat that region, read as the whole chain's)."""
    columns = [S.region, "stores", *REGION_SUMS]
    if kpis.empty:
        return pd.DataFrame(columns=columns)
    sums = kpis.groupby(S.region, sort=True)[REGION_SUMS].sum()
    sums.insert(0, "stores", kpis.groupby(S.region, sort=True)[S.store_id].count())
    if len(sums) == 1:
        return sums.reset_index()[columns]
    total = pd.DataFrame([[len(kpis), *kpis[REGION_SUMS].sum()]], columns=["stores", *REGION_SUMS],
                         index=pd.Index(["all regions"], name=S.region))
    return pd.concat([sums, total]).reset_index()[columns]


def above_max_staff(recommendation: pd.DataFrame, stores: pd.DataFrame) -> pd.DataFrame:
    """The hours of `recommendation` whose recommended staff exceed the store's max_staff: store_id, weekday, hour,
    required_staff, max_staff (in store, weekday, hour order)."""
    limits = stores[[S.store_id, S.max_staff]].drop_duplicates(S.store_id)
    rows = recommendation[[R.store_id, R.weekday, R.hour, R.required_staff]].merge(limits, on=S.store_id)
    over = rows[R.required_staff].astype("Float64") > rows[S.max_staff].astype("Float64")
    return rows[over.fillna(False).to_numpy(dtype=bool)].sort_values([R.store_id, R.weekday, R.hour]) \
        .reset_index(drop=True)


def occupancy_over_max_staff(
    with_ceiling: pd.DataFrame, without_ceiling: pd.DataFrame, stores: pd.DataFrame
) -> pd.DataFrame:
    """The hours an occupancy ceiling pushes above the store's max_staff: above it in `with_ceiling` (a
    recommendation made with the ceiling) but not in `without_ceiling` (the same without it). Columns of
    `above_max_staff`, plus staff_without_ceiling."""
    key = [R.store_id, R.weekday, R.hour]
    above = above_max_staff(with_ceiling, stores)
    before = without_ceiling[[*key, R.required_staff]].rename(columns={R.required_staff: "staff_without_ceiling"})
    rows = above.merge(before, on=key, how="left")
    pushed = ~(rows["staff_without_ceiling"].astype("Float64") > rows[S.max_staff].astype("Float64")).fillna(False)
    return rows[pushed.to_numpy(dtype=bool)].reset_index(drop=True)


_COUNTED = {D.observed_hours: "_observed_hours", D.confidence: "_confidence", D.assisted_per_hour: "_help",
            D.assisted_per_hour_low: "_help_low", D.assisted_per_hour_high: "_help_high"}
"""The demand's words on how well an hour is known, as `_with_visitors` joins them (NA where it has none)."""


def _how_well_counted(rows: pd.DataFrame, open_hours: np.ndarray) -> dict[str, np.ndarray]:
    """Per row of `_with_visitors`: the times it was counted, and the open hours `store_kpis` sums into the shares
    of `low_confidence_share` and `help_seekers_interval_width` (an hour with an estimate, one counted too few times
    to be high, and one whose interval is known, with its width over the estimate times its open hours)."""
    confidence = rows["_confidence"].astype("string")
    help_seekers = rows["_help"].astype("Float64").astype(float)
    width = ((rows["_help_high"].astype("Float64") - rows["_help_low"].astype("Float64")).astype(float)
             / np.where(help_seekers > 0, help_seekers, np.nan))
    estimated = confidence.isin(["high", "low"]).fillna(False).to_numpy(dtype=bool)
    known = np.isfinite(width.to_numpy(dtype=float)) & estimated
    return {
        "counted_hours": rows["_observed_hours"].astype("Float64").fillna(0).to_numpy(dtype=float),
        "_estimated_hours": np.where(estimated, open_hours, 0.0),
        "_low_confidence_hours": np.where(estimated & (confidence == "low").fillna(False).to_numpy(dtype=bool), open_hours, 0.0),
        "_width_hours": np.where(known, width.to_numpy(dtype=float) * open_hours, 0.0),
        "_widths_known_hours": np.where(known, open_hours, 0.0),
    }


def _with_visitors(recommendation: pd.DataFrame, visitors: pd.DataFrame | None) -> pd.DataFrame:
    """The recommendation with a visitors_per_hour column: joined from `visitors`, else customers per hour; and the
    columns of `_COUNTED` from `visitors` where it has them (NA otherwise)."""
    if visitors is None:
        customers = (recommendation[R.assisted_per_hour].astype(float)
                     + recommendation[R.self_service_per_hour].astype(float))
        return recommendation.assign(**{D.visitors_per_hour: customers}, **{name: pd.NA for name in _COUNTED.values()})
    key = [R.store_id, R.weekday, R.hour]
    said = [column for column in _COUNTED if column in visitors.columns]
    wanted = visitors[[*key, D.visitors_per_hour, *said]].rename(columns=_COUNTED)
    wanted = wanted.assign(**{name: pd.NA for column, name in _COUNTED.items() if column not in said})
    wanted = wanted.astype({R.weekday: np.int64, R.hour: np.int64})
    out = recommendation.drop(columns=[D.visitors_per_hour], errors="ignore")
    return out.astype({R.weekday: np.int64, R.hour: np.int64}).merge(wanted, on=key, how="left")
