"""Compare stores: a regional lead's view of the stores side by side, at the targets in force (Settings page, and
each store's own overrides): staff per hour as a heatmap, weekly KPIs, and where each store stands.

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

import streamlit as st

from app_pages import data, state, widgets
from planner import charts
from planner.compare import KPI_COLUMNS
from planner.hours import WEEKDAY_NAMES
from planner.schemas import StoreSchema as S

WEEK_MEAN = "week"  # the day choice for the mean over the week (the others are weekdays 0-6)


def render_page() -> None:
    st.title("Compare stores")
    if widgets.store_names_or_upload_hint() is None:
        return
    stores = data.stores()
    chosen = data.settings()
    all_regions = sorted(stores[S.region].unique())
    region_column, day_column, measure_column = st.columns([3, 7, 3], vertical_alignment="bottom")
    regions = region_column.pills("Regions", all_regions, selection_mode="multi", default=all_regions,
                                  key=state.COMPARE_REGIONS, help="None picked: every region")
    day = day_column.segmented_control(
        "Day", [WEEK_MEAN, *range(len(WEEKDAY_NAMES))], default=WEEK_MEAN, required=True, key=state.COMPARE_WEEKDAY,
        format_func=lambda d: "Week (mean)" if d == WEEK_MEAN else WEEKDAY_NAMES[d],
    )
    weekday = None if day == WEEK_MEAN else day
    per_visitors = measure_column.toggle("Staff per 100 visitors", key=state.COMPARE_PER_VISITORS,
                                         help="Recommended staff for every 100 visitors in the hour, instead of staff")
    shown = regions or all_regions  # none picked means every region, as the help says

    grid, listed = data.staff_heatmap(chosen, shown, weekday), data.region_stores(shown)
    day_text = "mean over the open days of the week" if weekday is None else WEEKDAY_NAMES[weekday]
    if per_visitors:
        figure = charts.store_heatmap_figure(grid, "staff_per_100_visitors",
                                             f"Recommended staff per 100 visitors, {day_text}", stores=listed,
                                             colorscale="Oranges")
    else:
        figure = charts.store_heatmap_figure(grid, "required_staff", f"Recommended staff, {day_text}", stores=listed)
    st.plotly_chart(figure)

    kpis = data.store_kpis(chosen, shown)
    st.subheader("Stores in numbers, per week")
    st.caption("Click a column header to sort. *Now* is the staff on duty when counted; hours whose counts never gave "
               "the staff on duty are left out of *now* (see *hours with staff known*). Understaffed: hours where "
               "fewer staff were on duty than recommended. Costs in the store file's currency.")
    _kpi_table(kpis)
    st.plotly_chart(charts.assisted_share_scatter_figure(kpis))


KPI_SHOWN = {  # column -> (label, display format); in the table's order, most asked for first
    S.store_id: ("Store", None),
    S.name: ("Name", None),
    S.region: ("Region", None),
    "weekly_visitors": ("Visitors", "{:,.0f}"),
    "assisted_share": ("Want help", "{:.0%}"),
    "needed_staff_hours": ("Staff-hours needed", "{:,.0f}"),
    "current_staff_hours": ("Staff-hours now", "{:,.0f}"),
    "understaffed_hours": ("Hours understaffed", "{:,.0f}"),
    "lost_customers_per_week": ("Customers lost", "{:,.0f}"),
    "needed_wage_cost": ("Wages needed", "{:,.0f}"),
    "current_wage_cost": ("Wages now", "{:,.0f}"),
    "needed_staff_hours_per_1000_visitors": ("Staff-hours per 1,000 visitors", "{:,.0f}"),
    "current_known_hours": ("Hours with staff known", "{:,.0f}"),
    "open_hours": ("Open hours", "{:,.0f}"),
}


def _kpi_table(kpis) -> None:
    formats = {column: shown for column, (_, shown) in KPI_SHOWN.items() if shown}
    st.dataframe(
        kpis.style.format(formats, na_rep="–"),
        hide_index=True,
        placeholder="–",
        width="stretch",
        column_order=list(KPI_SHOWN),
        column_config={
            column: st.column_config.Column(label, help=KPI_COLUMNS[column],
                                            width="medium" if column == S.name else None)
            for column, (label, _) in KPI_SHOWN.items()
        },
    )


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
