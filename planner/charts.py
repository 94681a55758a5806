"""Figures for the app: frames in, plotly figures out. No streamlit, no database, no modelling.

A week heatmap shows one store: weekday rows (Mon at the top) x clock-hour columns, only the hours in which the store
is open on some day (clock hours as in `planner.coverage`: an hour after midnight sits on the calendar day it falls
on). A cell shows the measure where the store was observed, a light grey "not observed" cell where it is open but
was never counted, and nothing where it is closed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from planner.hours import WEEKDAY_NAMES
from planner.schemas import ObservationSchema as O, StoreSchema as S

# Columns of `planner.coverage.cell_summary` that are not schema columns.
WEEKDAY, OPEN, OBSERVED_HOURS = "weekday", "open", "observed_hours"

NOT_OBSERVED = "not observed"
NOT_OBSERVED_COLOUR = "#dcdcdc"
LEGEND_NOTE = "grey: open but never observed · blank: closed"
VALUE_FORMATS = {"visitors_per_hour": ".0f", "assisted_share": ".0%"}
"""d3 number formats for the measures the app shows; any other column falls back to `DEFAULT_FORMAT`."""
DEFAULT_FORMAT = ".3g"
CELL_GAP_PX = 2


def observed_heatmap_figure(
    cells: pd.DataFrame,
    store_id: str,
    value_column: str,
    title: str,
    *,
    value_format: str | None = None,
    colorscale: str = "Blues",
) -> go.Figure:
    """Heatmap of `value_column` of a `cell_summary` frame for one store, with never-observed open cells in grey.

    `value_format` is a d3 format for the cell text, hover and colour bar (default: by column, see `VALUE_FORMATS`).
    """
    number = value_format or VALUE_FORMATS.get(value_column, DEFAULT_FORMAT)
    label = value_column.replace("_", " ")
    store = cells[cells[S.store_id] == store_id]
    hours = open_hours(cells, store_id)
    columns = [f"{hour:02d}:00" for hour in hours]
    observed = _grid(store, OBSERVED_HOURS, hours).fillna(0)
    is_open = _grid(store, OPEN, hours).fillna(False).astype(bool)
    values = _grid(store, value_column, hours).where(observed > 0)
    never_observed = is_open & (observed == 0)

    figure = go.Figure()
    figure.add_trace(
        go.Heatmap(
            z=np.where(never_observed, 1.0, np.nan),
            x=columns,
            y=list(WEEKDAY_NAMES),
            text=np.where(never_observed, NOT_OBSERVED, ""),
            texttemplate="%{text}",
            textfont={"size": 10, "color": "#555555"},
            colorscale=[[0, NOT_OBSERVED_COLOUR], [1, NOT_OBSERVED_COLOUR]],
            showscale=False,
            name=NOT_OBSERVED,
            showlegend=True,
            hoverongaps=False,
            hovertemplate=f"%{{y}} %{{x}}: {NOT_OBSERVED}<extra></extra>",
            xgap=CELL_GAP_PX,
            ygap=CELL_GAP_PX,
        )
    )
    figure.add_trace(
        go.Heatmap(
            z=values.to_numpy(dtype=float),
            x=columns,
            y=list(WEEKDAY_NAMES),
            customdata=observed.to_numpy(dtype=float),
            texttemplate=f"%{{z:{number}}}",
            colorscale=colorscale,
            colorbar={"title": {"text": label}, "tickformat": number},
            name=label,
            hoverongaps=False,
            hovertemplate=(
                f"%{{y}} %{{x}}<br>{label}: %{{z:{number}}}<br>observed hours: %{{customdata:.0f}}<extra></extra>"
            ),
            xgap=CELL_GAP_PX,
            ygap=CELL_GAP_PX,
        )
    )
    figure.update_xaxes(type="category", title_text="hour", showgrid=False)
    figure.update_yaxes(type="category", autorange="reversed", showgrid=False)
    figure.update_layout(
        title={"text": title, "subtitle": {"text": LEGEND_NOTE}},
        plot_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
        margin={"t": 80},
    )
    return figure


def open_hours(cells: pd.DataFrame, store_id: str) -> list[int]:
    """Clock hours in which the store is open on at least one weekday, in clock order."""
    store = cells[(cells[S.store_id] == store_id) & cells[OPEN]]
    return sorted(int(hour) for hour in store[O.hour].unique())


def _grid(store: pd.DataFrame, column: str, hours: list[int]) -> pd.DataFrame:
    """Weekday (0-6) x `hours` table of one column; missing cells are NaN."""
    table = store.pivot(index=WEEKDAY, columns=O.hour, values=column)
    return table.reindex(index=range(len(WEEKDAY_NAMES)), columns=hours)
