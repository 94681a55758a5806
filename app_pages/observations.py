"""Observations: what has been counted for a store, and which opening hours were never counted.

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import data, state, tables, widgets
from planner import charts
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
                                  default=next(iter(names)), format_func=lambda store: f"{store} – {names[store]}")
    overview = data.store_coverage(scope)
    _kpis(overview.set_index(S.store_id).loc[store_id])

    cells = data.cell_summary(scope)
    opened = business_week_rows(cells, data.stores(scope))  # Friday's 00:00+1 in Friday's row, after 23:00
    for column, title in HEATMAPS.items():
        st.plotly_chart(charts.observed_heatmap_figure(opened, store_id, column, title))

    st.subheader("Opening hours never observed")
    gaps = tables.unobserved_cells(cells, store_id)
    if gaps.empty:
        st.write("Every opening hour of every weekday has been observed at least once.")
    else:
        widgets.dataframe(gaps)

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
        f"{store['observed_share']:.0%}",
        help=f"{store['observed_cells']} of the {store['open_cells']} weekday × opening-hour cells were counted at "
        "least once.",
    )


def _overview_table(overview: pd.DataFrame) -> None:
    config = st.column_config
    widgets.dataframe(
        overview,
        column_order=[S.store_id, S.name, S.region, S.format, "observed_hours", "first_date", "last_date",
                      "observed_cells", "open_cells", "observed_share"],
        column_config={
            S.store_id: "Store",
            S.name: "Name",
            S.region: "Region",
            S.format: "Format",
            "observed_hours": config.NumberColumn("Observed hours"),
            "first_date": config.DateColumn("First date", format="YYYY-MM-DD"),
            "last_date": config.DateColumn("Last date", format="YYYY-MM-DD"),
            "observed_cells": config.NumberColumn("Cells observed"),
            "open_cells": config.NumberColumn("Open cells", help="weekday × opening-hour cells"),
            "observed_share": config.ProgressColumn("Share observed", format="percent", min_value=0, max_value=1),
        },
    )


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
