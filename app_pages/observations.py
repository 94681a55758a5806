"""Observations: what has been counted for a store, and which opening hours were never counted.

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import data, state, tables, widgets
from planner import charts, coverage
from planner.calendar import business_week_rows
from planner.schemas import StoreSchema as S

HEATMAPS = {
    "visitors_per_hour": "Visitors per hour (mean over the observed hours)",
    "assisted_share": "Assisted share (assisted customers / visitors)",
}


def render_page() -> None:
    st.title("Observations")
    scope = state.current_scope()
    names = widgets.store_names_or_upload_hint(scope)
    if names is None:
        return
    store_id = widgets.remembered(st.selectbox, "Store", list(names), key=state.SELECTED_STORE,
                                  default=next(iter(names)), format_func=widgets.store_label(names))
    overview = data.store_coverage(scope)
    _kpis(overview.set_index(S.store_id).loc[store_id])

    cells = data.cell_summary(scope)
    opened = business_week_rows(cells, data.stores(scope))  # Friday's 00:00+1 in Friday's row, after 23:00
    for column, title in HEATMAPS.items():
        st.plotly_chart(charts.observed_heatmap_figure(opened, store_id, column, title))

    st.subheader("Opening hours never observed")
    gaps = coverage.unobserved_hours(cells, data.stores(scope), store_id)
    if gaps.empty:
        st.write("Every opening hour of every weekday has been observed at least once.")
    else:  # headed as the stores' table below is ("Store", "Name"), not by the frame's lower-case names
        widgets.dataframe(gaps, column_config={
            "weekday": st.column_config.TextColumn("Weekday"),
            coverage.HOURS_NOT_OBSERVED: st.column_config.TextColumn(coverage.HOURS_NOT_OBSERVED.capitalize())})

    st.subheader("All stores" if scope.all_stores else "Your stores")
    _overview_table(overview)


def _kpis(store: pd.Series) -> None:
    # the dates' column the widest: at 1024 px, a third of the page is narrower than "07 Sep – 04 Oct" in a
    # metric's figure, which does not wrap and ran into the share beside it
    hours, dates, share = st.columns([2, 3, 2])
    hours.metric("Observed hours", f"{store['observed_hours']:,}")
    if store["observed_hours"]:
        dates.metric("Dates", f"{store['first_date']:%d %b} – {store['last_date']:%d %b}",
                     help=f"{store['first_date']:%Y-%m-%d} to {store['last_date']:%Y-%m-%d}")
    else:
        dates.metric("Dates", "none yet")
    share.metric(
        "Share observed",
        tables.share_text(store["observed_share"]),
        help=f"{store['observed_cells']} of the {store['open_cells']} weekday × opening-hour cells were counted at "
        "least once.",
    )


NAME_PX = 244  # the overview's name column (px): what the others leave of a table at 1024 px (TABLE_PX_AT_1024)


def _overview_table(overview: pd.DataFrame) -> None:
    """One row per store: counted hours, the dates and the share of opening-hour cells counted. Widths add up to
    672 px, a table's width at 1024 px (the ten columns before needed 1023 px); the rest is in the CSV."""
    config = st.column_config
    widgets.dataframe(
        tables.coverage_table(overview),
        **tables.wrapped_rows(overview[S.name], NAME_PX, len(overview)),  # a long name wraps, not cut
        column_config={
            S.store_id: config.TextColumn("Store", width=52),
            S.name: config.TextColumn("Name", width=NAME_PX),
            S.region: config.TextColumn("Region", width=68),
            "observed_hours": config.NumberColumn("Hours", width=64, help="observed hours: store-hours counted"),
            tables.COUNTED_DATES: config.TextColumn(
                "Dates", width=124, help="the first and the last day counted; in full in the CSV"),
            "observed_share": config.ProgressColumn(
                "Observed", width=120, format=tables.SHARE_PERCENT_FORMAT, min_value=0, max_value=100,
                help="share of the weekday × opening-hour cells counted at least once; the cells, observed and "
                     "open, in the CSV"),
        },
    )
    st.download_button(
        "Stores' counts, every column (CSV)", data=tables.csv_text(tables.coverage_file(overview)),
        file_name="observed_stores.csv", mime="text/csv", key=state.OBSERVATIONS_DOWNLOAD, on_click="ignore",
        icon=":material/download:",
        help="Each store with its format, first and last date counted, and the opening-hour cells observed and open.")


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
