"""Figures for the app: frames in, plotly figures out. No streamlit, no database, no modelling.

A week heatmap shows one store: weekday rows (Mon at the top) x clock-hour columns, only the hours in which the store
is open on some day (as the caller keys them: `planner.calendar.business_week_rows` puts an hour after midnight in the
row of the evening it closes, as 00:00+1). A cell shows the measure where the store was observed, a light grey cell where it is open but was never counted
(the legend and the subtitle say so, and its hover; no text in the cell, which a 1024 px page cut off), and nothing
where it is closed.

Heatmaps print their numbers in the cells (11 px) only up to `MAX_LABELLED_COLUMNS` hour columns; wider ones show
them in the hover alone.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from planner.hours import WEEKDAY_NAMES, hour_label
from planner.schemas import ObservationSchema as O, StoreSchema as S
from planner.surfaces.my_store import RANGE_CUT_AT_MAX
from planner.words import ISOLATE_START, counted, store_label

# Columns of `planner.coverage.cell_summary` that are not schema columns.
WEEKDAY, OPEN, OBSERVED_HOURS = "weekday", "open", "observed_hours"

NOT_OBSERVED = "not observed"
NOT_OBSERVED_COLOUR = "#dcdcdc"
LEGEND_NOTE = "grey: open but never observed · blank: closed"
VALUE_FORMATS = {"visitors_per_hour": ".0f", "assisted_share": ".0%"}
"""d3 number formats for the measures the app shows; any other column falls back to `DEFAULT_FORMAT`."""
DEFAULT_FORMAT = ".3g"
CELL_GAP_PX = 2
COLORBAR_PX = 14
"""Width of a heatmap's colour bar; with its title beside it and `COLORBAR_MARGIN_PX` to the right it takes the same
room in every heatmap, whatever its numbers."""
COLORBAR_MARGIN_PX = 90
ROW_LABEL_CHARS = 32
"""A line of a store heatmap's row label (id and name) holds at most this many characters: a longer label wraps onto
a second line (`ROW_LABEL_LINES`), and only one longer still is cut, at the end of that line; the hover names the
store whole."""
ROW_LABEL_LINES = 2
ROW_PX, WRAPPED_ROW_PX = 34, 40
"""Height of a heatmap row, and of every row once one label takes two lines (two lines of the 12 px font need 31)."""
ROW_LABEL_PX_PER_CHAR = 7
"""Room per character of a row label at plotly's 12 px font, a little over its mean width."""
MAX_LABELLED_COLUMNS = 14
"""A heatmap with more hour columns than this prints no number in its cells (at 1024 px the numbers of 15 or more
columns overlap); its hover still shows each value."""
CELL_FONT_PX = 11
"""Size of the numbers printed in a heatmap's cells."""
MIN_HEIGHT_PX = 320
"""No figure is drawn lower than this, however few its rows: a phone-sized page keeps a readable chart."""
_PLOTLY_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def plain(value) -> str:
    """`value` as text plotly shows as it is: its HTML-like tags (`<b>`, `<a href>`, `<br>`) and entities escaped.
    Every label, tick and hover text built from data (store ids, names, regions) goes through here."""
    return str(value).translate(_PLOTLY_MARKUP)


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
    columns = [hour_label(hour) for hour in hours]
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
            **_cell_text(len(columns), number),
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
        margin={"t": 80}, height=MIN_HEIGHT_PX + 80,
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


# --- one store's day: recommended, current and scheduled staff; the traffic mix --------------------------------------

RECOMMENDED_COLOUR = "#2f6db3"
BAND_COLOUR = "#1b3a5c"
CURRENT_COLOUR = "#e07b00"
SCHEDULED_COLOUR = "#2a9d4b"
ASSISTED_COLOUR = "#2f6db3"
SELF_SERVICE_COLOUR = "#9cc3e6"
REQUIRED_COLOUR = "#b9c7d8"
UNDER_COLOUR = "#c62828"


def staff_by_hour_figure(
    recommendation: pd.DataFrame,
    store_id: str,
    weekday: int,
    coverage: pd.DataFrame | None = None,
    max_staff: int | None = None,
    scheduled_from: str = "last schedule",
) -> go.Figure:
    """Bars of recommended staff per open hour of one store and weekday (0 = Monday), whiskers from
    required_staff_low to required_staff_high, the staff on duty when counted (current_staff) and, when a
    `coverage` frame of a schedule (`planner.shifts.COVERAGE_COLUMNS`) is given, the scheduled staff, named after
    where they come from (`scheduled_from`: "last schedule", "published plan 4"). With the store's `max_staff`,
    whiskers stop there (the subtitle says so) and a dotted line marks it."""
    day = _day(recommendation, store_id, weekday)
    hours = [hour_label(hour) for hour in day[O.hour]]
    staff = day["required_staff"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    low = day["required_staff_low"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    high = day["required_staff_high"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    capped = max_staff is not None and bool((high > max_staff).any())
    if capped:  # a range never reaches past the store's maximum, unless the recommendation itself does
        high = np.where(high > max_staff, np.maximum(staff, max_staff), high)
    current = day["current_staff"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    figure = go.Figure()
    figure.add_trace(go.Bar(
        x=hours, y=staff, name="recommended staff", marker_color=RECOMMENDED_COLOUR,
        text=[f"{value:.0f}" if np.isfinite(value) else "" for value in staff], textposition="inside",
        insidetextanchor="start", textfont={"color": "white", "size": 14}, textangle=0,
        error_y={"type": "data", "symmetric": False, "array": high - staff, "arrayminus": staff - low,
                 "color": BAND_COLOUR, "thickness": 1.5, "width": 6},
        customdata=np.stack([low, high], axis=-1),
        hovertemplate="%{x}: %{y:.0f} staff recommended<br>likely range %{customdata[0]:.0f}–%{customdata[1]:.0f}"
                      "<extra></extra>",
    ))
    unknown = ~np.isfinite(staff)
    if unknown.any():  # an hour never counted has no bar: say so where the bar would be
        figure.add_trace(go.Scatter(
            x=[hour for hour, flag in zip(hours, unknown, strict=True) if flag], y=[0] * int(unknown.sum()),
            mode="text", text=["never counted"] * int(unknown.sum()), textposition="top center",
            textfont={"color": "#888888"}, showlegend=False, hoverinfo="skip",
        ))
    figure.add_trace(go.Scatter(
        x=hours, y=current, name="on duty when counted (mean)", mode="lines+markers",
        line={"color": CURRENT_COLOUR, "width": 2}, marker={"symbol": "diamond", "size": 9},
        connectgaps=False, hovertemplate="%{x}: %{y:.1f} staff were on duty when counted<extra></extra>",
    ))
    if coverage is not None and not coverage.empty:
        scheduled = coverage[(coverage["store_id"] == store_id) & (coverage["weekday"] == weekday)]
        by_hour = scheduled.set_index("hour")["scheduled_staff"].reindex(day[O.hour]).to_numpy(dtype=float)
        figure.add_trace(go.Scatter(
            x=hours, y=by_hour, name=f"scheduled ({scheduled_from})", mode="lines+markers",
            line={"color": SCHEDULED_COLOUR, "width": 3, "dash": "dash", "shape": "hvh"},
            marker={"symbol": "square", "size": 7},
            hovertemplate="%{x}: %{y:.0f} staff scheduled<extra></extra>",
        ))
    if max_staff is not None:
        figure.add_hline(y=max_staff, line={"color": UNDER_COLOUR, "dash": "dot", "width": 1.5},
                         annotation_text=f"store's maximum: {max_staff}", annotation_position="top left")
    note = "whiskers: the recommendation if demand is at the low or high end of its likely range"
    if capped:  # on a line of its own: one line was cut at 1024 px, and with it the clause that squares the whiskers
        note += f",<br>{RANGE_CUT_AT_MAX} at the store's maximum of {max_staff} staff"
        if (staff > max_staff).any():  # whiskers there reach the recommendation: "cut" alone read as false
            note += " (or at the recommendation, where that is above it)"
    figure.update_xaxes(type="category", title_text="hour starting")
    figure.update_yaxes(title_text="salespeople on the floor", rangemode="tozero", dtick=_staff_tick(high))
    figure.update_layout(
        **_legend_above(f"Staff per hour, {WEEKDAY_NAMES[weekday]}", note, subtitle_lines=2 if capped else 1),
        bargap=0.25,
        height=MIN_HEIGHT_PX + 100,
    )
    return figure


def traffic_mix_figure(recommendation: pd.DataFrame, store_id: str, weekday: int) -> go.Figure:
    """Stacked bars per open hour of one store and weekday: customers who want a salesperson (assisted_per_hour,
    those who gave up included) and self-service customers (self_service_per_hour)."""
    day = _day(recommendation, store_id, weekday)
    hours = [hour_label(hour) for hour in day[O.hour]]
    figure = go.Figure()
    for column, label, colour in (
        ("assisted_per_hour", "want a salesperson", ASSISTED_COLOUR),
        ("self_service_per_hour", "shop on their own", SELF_SERVICE_COLOUR),
    ):
        figure.add_trace(go.Bar(
            x=hours, y=day[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan), name=label,
            marker_color=colour, hovertemplate=f"%{{x}}: %{{y:.0f}} customers an hour {label}<extra></extra>",
        ))
    figure.update_xaxes(type="category", title_text="hour starting")
    figure.update_yaxes(title_text="customers per hour", rangemode="tozero")
    figure.update_layout(
        barmode="stack", **_legend_above(f"Customers per hour, {WEEKDAY_NAMES[weekday]}"),
        height=MIN_HEIGHT_PX + 60,
    )
    return figure


TITLE_PX, SUBTITLE_LINE_PX, LEGEND_ROW_PX = 46, 18, 30
"""Heights at the top of a day chart: its title, each line of its subtitle, and one row of its legend."""


def _legend_above(title: str, subtitle: str = "", subtitle_lines: int = 0) -> dict:
    """Layout of a title (and subtitle of `subtitle_lines` lines) at the top, then a one-row horizontal legend just
    above the plot area. Below the plot, the legend sat at a fixed share of the plot's height while the x-axis title
    moves down as the hour labels tilt (a day open 07:00-05:00 at 1024 px), and "hour starting" was written over
    "on duty when counted (mean)"; above it, nothing of the axis can reach it."""
    top = TITLE_PX + SUBTITLE_LINE_PX * (subtitle_lines if subtitle else 0) + LEGEND_ROW_PX
    heading = {"text": title, "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 14}}
    if subtitle:
        heading["subtitle"] = {"text": subtitle}
    return {"title": heading, "margin": {"t": top},
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "yref": "paper"}}


# --- stores side by side -------------------------------------------------------------------------------------------

HEATMAP_FORMATS = {"required_staff": ".1f", "staff_per_100_visitors": ".1f", "staff_gap": "+.1f"}
GAP_COLOURSCALE = "RdBu_r"
"""Diverging: blue below 0 (more on duty than recommended), white at 0, red above (short of staff)."""


def store_heatmap_figure(
    grid: pd.DataFrame,
    value_column: str,
    title: str,
    *,
    stores: pd.DataFrame | None = None,
    colorscale: str = "Blues",
    diverging: bool = False,
    subtitle: str = "blank: closed, or a store with no counts yet",
) -> go.Figure:
    """Heatmap store x clock hour of one column of `planner.compare.staff_heatmap`; blank where a store is closed or
    has no recommendation (every open hour of a store with counts has one: the pooled demand model estimates the
    hours it never counted). Rows are the `stores` frame's (store_id, name), so a store closed all day still has its
    row, else the stores in `grid`, in its order. The colour scale starts at 0, or with `diverging` is centred on 0
    (the gap: `GAP_COLOURSCALE`, red where staff are short, blue where there are more than needed)."""
    number = HEATMAP_FORMATS.get(value_column, DEFAULT_FORMAT)
    label = value_column.replace("_", " ")
    listed = stores if stores is not None else grid
    stores = list(dict.fromkeys(listed[S.store_id]))
    names = dict(zip(listed[S.store_id], listed[S.name], strict=False))
    whole = [store_label(store, names.get(store)) for store in stores]
    lines = [_row_label_lines(label) for label in whole]
    rows = ["<br>".join(plain(line) for line in label) for label in lines]  # plotly breaks a tick label at <br>
    hours = sorted(int(hour) for hour in grid[O.hour].unique())
    row_px = WRAPPED_ROW_PX if any(len(label) > 1 for label in lines) else ROW_PX
    table = grid.pivot(index=S.store_id, columns=O.hour, values=value_column).reindex(index=stores, columns=hours)
    cells = table.to_numpy(dtype=float)
    # plotly ignores a zmin without a zmax (the scale ran from the least cell, ~5.5, to the most): both are given
    top = np.nanmax(cells) if np.isfinite(cells).any() else 0.0
    scale = ({"colorscale": GAP_COLOURSCALE, "zmid": 0} if diverging else
             {"colorscale": colorscale, "zmin": 0, "zmax": top if top > 0 else 1})
    figure = go.Figure(go.Heatmap(
        z=cells, x=[hour_label(hour) for hour in hours], y=rows,
        customdata=[[plain(name)] * len(hours) for name in whole],
        **_cell_text(len(hours), number), hoverongaps=False, **scale,
        colorbar={"title": {"text": label, "side": "right"}, "thickness": COLORBAR_PX, "xpad": 6},
        hovertemplate=f"%{{customdata}} %{{x}}<br>{label}: %{{z:{number}}}<extra></extra>",
        xgap=CELL_GAP_PX, ygap=CELL_GAP_PX,
    ))
    figure.update_xaxes(type="category", title_text="hour starting", showgrid=False)
    figure.update_yaxes(type="category", autorange="reversed", showgrid=False)
    figure.update_layout(title={"text": title, "subtitle": {"text": subtitle}},
                         plot_bgcolor="rgba(0,0,0,0)",
                         height=max(MIN_HEIGHT_PX, 60 + row_px * len(stores)),
                         # margins of their own, not pushed by the colour bar's labels: the page's heatmaps of
                         # the same stores line up hour for hour
                         margin={"t": 80, "r": COLORBAR_MARGIN_PX, "autoexpand": False,
                                 "l": 16 + ROW_LABEL_PX_PER_CHAR * max((len(line) for label in lines
                                                                        for line in label), default=4)})
    return figure


def _row_label_lines(label: str) -> list[str]:
    """`label` on one line, or wrapped at spaces onto `ROW_LABEL_LINES` lines as even as they go (the narrowest
    margin), none longer than `ROW_LABEL_CHARS`; what does not fit is cut at the end of the last line. A label with
    a name read right to left stays one line, cut: its isolate marks must not part (`store_label`)."""
    if len(label) <= ROW_LABEL_CHARS or ISOLATE_START in label:
        return [_shortened(label, ROW_LABEL_CHARS)]
    for width in range(-(-len(label) // ROW_LABEL_LINES), ROW_LABEL_CHARS + 1):
        lines = textwrap.wrap(label, width, break_on_hyphens=False)
        if len(lines) <= ROW_LABEL_LINES:
            return lines
    lines = textwrap.wrap(label, ROW_LABEL_CHARS, break_on_hyphens=False)
    return [*lines[:ROW_LABEL_LINES - 1], _shortened(" ".join(lines[ROW_LABEL_LINES - 1:]), ROW_LABEL_CHARS)]


def _shortened(text: str, most_chars: int) -> str:
    return text if len(text) <= most_chars else text[: most_chars - 1] + "…"


SCATTER_SUBTITLE = "one dot per store: far above the others at the same share means slow service or a small store"
SCATTER_PLOT_PX = (470, 290)
"""The scatter's plot area at 1024 px, a little under what it has there (a legend of regions beside it takes room):
its labels are placed, and its axes given room, in these pixels."""
SCATTER_DOT_PX, LABEL_CHAR_PX, LABEL_LINE_PX = 13, 7, 15
"""A dot's size, and a label's character and line at plotly's 12 px font (a little over their mean)."""
AXIS_TICKS = 5
"""About how many gridlines an axis of the scatter draws above 0."""


def assisted_share_scatter_figure(kpis: pd.DataFrame, subtitle: str = SCATTER_SUBTITLE) -> go.Figure:
    """One dot per store of `planner.compare.store_kpis`: assisted share against needed staff-hours per 1,000
    visitors, coloured by region; `subtitle` says what period the dots measure. Each axis runs from 0 to a gridline
    past its largest value with room for that dot's label (S01's dot sat above the top gridline at the plot's right
    edge); a dot is labelled with its store where the label overlaps no other label or dot, else named in its hover
    alone (S99's and S02's labels, their dots side by side, nearly overlapped)."""
    figure = go.Figure()
    share = kpis["assisted_share"].to_numpy(dtype=float)
    needed = kpis["needed_staff_hours_per_1000_visitors"].to_numpy(dtype=float)
    x_top, x_tick = _axis_top(share, SCATTER_DOT_PX / 2 + 2)
    y_top, y_tick = _axis_top(needed, SCATTER_DOT_PX / 2 + LABEL_LINE_PX + 2, SCATTER_PLOT_PX[1])
    labels = [plain(store) for store in kpis[S.store_id]]
    places = _label_positions(share / x_top, needed / y_top, [_label_chars(label) for label in labels])
    kpis = kpis.assign(_label=labels, _place=[place or "top center" for place in places],
                       _shown=[label if place else "" for label, place in zip(labels, places, strict=True)])
    for region, stores in kpis.groupby(S.region, sort=True):
        figure.add_trace(go.Scatter(
            x=stores["assisted_share"], y=stores["needed_staff_hours_per_1000_visitors"], name=plain(region),
            mode="markers+text", text=list(stores["_shown"]), textposition=list(stores["_place"]),
            marker={"size": SCATTER_DOT_PX},
            customdata=np.stack([list(stores["_label"]), [plain(name) for name in stores[S.name]],
                                 [plain(kind) for kind in stores[S.format]]], axis=-1),
            hovertemplate="%{customdata[0]} %{customdata[1]} (%{customdata[2]})<br>assisted share %{x:.0%}<br>"
                          "%{y:.0f} staff-hours per 1,000 visitors<extra></extra>",
        ))
    figure.update_xaxes(title_text="share of visitors who want a salesperson", tickformat=".0%",
                        range=[0, x_top], tick0=0, dtick=x_tick)
    # "needed" is the chart's title's: the longer axis title was cut at 1024 px ("…per 1,000 visit")
    figure.update_yaxes(title_text="staff-hours per 1,000 visitors", range=[0, y_top], tick0=0, dtick=y_tick)
    figure.update_layout(title={"text": "Staff needed against the help customers want",
                                "subtitle": {"text": subtitle}},
                         legend={"title": {"text": "region"}}, margin={"t": 80}, height=MIN_HEIGHT_PX + 130)
    return figure


def _axis_top(values: np.ndarray, room_px: float, length_px: float = SCATTER_PLOT_PX[0]) -> tuple[float, float]:
    """(the top, the tick step) of an axis from 0 drawn `length_px` long: the first gridline of a round step (1, 2 or
    5 times a power of ten, about `AXIS_TICKS` of them) that leaves `room_px` above the largest of `values`."""
    finite = values[np.isfinite(values)]
    high = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    magnitude = 10 ** np.floor(np.log10(high / AXIS_TICKS))
    step = float(next(m * magnitude for m in (1, 2, 5, 10) if high / (m * magnitude) <= AXIS_TICKS))
    top = step * (np.floor(high / step) + 1)
    while length_px * (1 - high / top) < room_px:
        top += step
    return float(round(top, 12)), step


def _label_chars(label: str) -> int:
    """How many characters a label (as `plain` escaped it for plotly) shows."""
    return len(label.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


# --- schedules -----------------------------------------------------------------------------------------------------

WEEK_START = pd.Timestamp("2024-01-01")
"""A Monday: shifts are drawn on this week's dates, shown as weekday and time only."""
HEADCOUNT_ROW = "on the floor"


def shift_gantt_figure(
    shifts: pd.DataFrame, coverage: pd.DataFrame, store_id: str, weekday: int, break_minutes: int
) -> go.Figure:
    """One store's shifts of `weekday` (`planner.shifts.SHIFT_COLUMNS`; a start written "00:00+1", as a plan's day
    gives a shift of its opening's hours after midnight, is drawn after that midnight), one row per person: a shift
    worked by 3 staff is three rows, each bar from start to end with its unpaid break (`break_minutes`) in grey and
    its times written on it. The top row gives the headcount per hour as numbers: the fewest staff on the floor in
    that hour, from the schedule's `coverage` (`planner.shifts.COVERAGE_COLUMNS`)."""
    rows = shifts[(shifts["store_id"] == store_id) & (shifts["weekday"] == weekday)]
    # by the times each starts and ends, not their text: "00:00+1" is the day's last start, and of shifts starting
    # together the one ending "24:00" comes before "01:00+1" and "02:00" (past midnight)
    starts_at = [_shift_time(weekday, clock) for clock in rows["start"]]
    rows = rows.assign(starts_at=starts_at, ends_at=[_after(begin, clock) for begin, clock in
                                                    zip(starts_at, rows["end"], strict=True)])
    rows = rows.sort_values(["starts_at", "ends_at"], kind="stable").reset_index(drop=True)
    people = rows.loc[rows.index.repeat(rows["staff"].astype(int))].reset_index(drop=True)
    start, end = list(people["starts_at"]), list(people["ends_at"])
    pauses = people["break_start"].fillna("").astype(str)
    labels = [f"{n + 1}" for n in range(len(people))]
    text = [f"{first}–{last}" + (f", break {pause}" if pause else "")
            for first, last, pause in zip(people["start"], people["end"], pauses, strict=True)]
    figure = go.Figure()
    if people.empty:
        figure.add_annotation(text=f"No shifts start on {WEEKDAY_NAMES[weekday]}", showarrow=False,
                              xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 16})
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
        figure.update_layout(title={"text": f"Shifts, {WEEKDAY_NAMES[weekday]}"}, height=200)
        return figure
    figure.add_trace(go.Bar(
        base=start, x=_milliseconds(start, end), y=labels, orientation="h", name="on shift",
        marker_color=SCHEDULED_COLOUR, text=text, textposition="none", hovertemplate="%{text}<extra></extra>",
    ))
    breaks = {n: _after(start[n], pause) for n, pause in enumerate(pauses) if pause}
    if breaks:
        figure.add_trace(go.Bar(
            base=list(breaks.values()), x=[break_minutes * 60 * 1000] * len(breaks),
            y=[labels[n] for n in breaks], orientation="h", name="unpaid break", marker_color="#d9d9d9",
            marker_line_color="#777777", marker_line_width=1, hovertemplate="break from %{base|%H:%M}<extra></extra>",
        ))
    # the times are written on the longer stretch beside the break, on a clear bar drawn after the break marker:
    # written across the whole shift, the marker covered them ("11:00–18:00, break 13…")
    stretches = [_longer_stretch(begin, finish, breaks.get(n), break_minutes)
                 for n, (begin, finish) in enumerate(zip(start, end, strict=True))]
    figure.add_trace(go.Bar(
        base=[first for first, _ in stretches], x=_milliseconds(*zip(*stretches, strict=True)), y=labels,
        orientation="h", name="shift times", marker_color="rgba(0, 0, 0, 0)", text=text, textposition="inside",
        insidetextanchor="start", textfont={"color": "white"}, hoverinfo="skip", showlegend=False,
    ))
    day = coverage[(coverage["store_id"] == store_id) & (coverage["weekday"] == weekday)].sort_values("hour")
    figure.add_trace(go.Scatter(
        x=[WEEK_START + pd.Timedelta(days=weekday, hours=int(hour), minutes=30) for hour in day["hour"]],
        y=[HEADCOUNT_ROW] * len(day), text=[str(int(n)) for n in day["scheduled_staff"]], mode="text",
        textfont={"size": 13}, name="headcount", showlegend=False,
        hovertemplate="%{x|%H}:00: %{text} on the floor<extra></extra>",
    ))
    figure.update_xaxes(type="date", tickformat="%H:%M", dtick=60 * 60 * 1000, side="top")
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=[HEADCOUNT_ROW, *labels],
                        autorange="reversed", title_text="staff")
    # "one row each" in the subtitle, which has the chart's width: as the axis title it was cut on a short day's
    # chart at 1024 px ("staff, one row eac…")
    figure.update_layout(
        barmode="overlay", title={"text": f"Shifts, {WEEKDAY_NAMES[weekday]}", "subtitle": {
            "text": f"{counted(len(people), 'person', 'people')}, one row each; the top row: staff on the floor "
                    "each hour"}},
        height=max(260, 140 + 26 * (len(people) + 1)), bargap=0.25,
        legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0}, margin={"t": 110, "l": 60, "r": 20},
    )
    return figure


def coverage_figure(coverage: pd.DataFrame, store_id: str, weekday: int | None = None) -> go.Figure:
    """Required staff (bars) against scheduled staff (line) per hour of one store (`planner.shifts.COVERAGE_COLUMNS`),
    uncovered hours marked in red; for one `weekday` or, with None, the whole week."""
    rows = coverage[coverage["store_id"] == store_id]
    if weekday is not None:
        rows = rows[rows["weekday"] == weekday]
    rows = rows.sort_values(["weekday", "hour"])
    labels = [
        hour_label(hour) if weekday is not None else f"{WEEKDAY_NAMES[day]} {hour_label(hour)}"
        for day, hour in zip(rows["weekday"], rows["hour"], strict=True)
    ]
    short = rows["under"] > 0
    figure = go.Figure()
    figure.add_trace(go.Bar(x=labels, y=rows["required_staff"], name="required", marker_color=REQUIRED_COLOUR,
                            hovertemplate="%{x}: %{y} required<extra></extra>"))
    figure.add_trace(go.Scatter(x=labels, y=rows["scheduled_staff"], name="scheduled", mode="lines+markers",
                                line={"color": SCHEDULED_COLOUR, "width": 2, "shape": "hvh"},
                                hovertemplate="%{x}: %{y} scheduled<extra></extra>"))
    figure.add_trace(go.Scatter(
        x=[label for label, flag in zip(labels, short, strict=True) if flag], y=rows.loc[short, "scheduled_staff"],
        name="short of the requirement", mode="markers", marker={"color": UNDER_COLOUR, "size": 11, "symbol": "x"},
        hovertemplate="%{x}: under-covered<extra></extra>",
    ))
    figure.update_xaxes(type="category", title_text="hour starting", tickangle=-45 if weekday is None else 0)
    most = pd.concat([rows["required_staff"], rows["scheduled_staff"]]).astype(float).max()
    figure.update_yaxes(title_text="staff", **_staff_axis(0.0 if pd.isna(most) else float(most)))
    title = f"Required and scheduled staff, {WEEKDAY_NAMES[weekday]}" if weekday is not None else \
        "Required and scheduled staff, whole week"
    figure.update_layout(title={"text": title}, legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0},
                         margin={"t": 60}, bargap=0.15)
    return figure


_LABEL_PLACES = {  # plotly text position -> which way the label sits from its dot, in x and y
    "top center": (0, 1), "bottom center": (0, -1), "middle right": (1, 0), "middle left": (-1, 0),
    "top right": (1, 1), "bottom left": (-1, -1), "top left": (-1, 1), "bottom right": (1, -1),
}


def _label_positions(x: np.ndarray, y: np.ndarray, chars: list[int]) -> list[str | None]:
    """A text position per dot (`x`, `y` as shares of their axes; `chars`: each label's length) where its label
    overlaps no other label nor dot and stays inside the plot (`SCATTER_PLOT_PX`), greedy, left to right; None where
    no position has room: that dot is left unlabelled (its hover names it)."""
    width_px, height_px = SCATTER_PLOT_PX
    dots = [(px * width_px, py * height_px) for px, py in zip(x, y, strict=True)]
    half_dot = SCATTER_DOT_PX / 2
    placed: list[tuple[float, float, float, float]] = [
        (dx - half_dot, dy - half_dot, dx + half_dot, dy + half_dot) for dx, dy in dots if np.isfinite(dx + dy)]
    positions: list[str | None] = [None] * len(dots)
    for index in np.argsort(np.nan_to_num(np.asarray(x, dtype=float))):
        dx, dy = dots[index]
        if not np.isfinite(dx + dy):
            continue
        half_w, half_h = chars[index] * LABEL_CHAR_PX / 2, LABEL_LINE_PX / 2
        own = (dx - half_dot, dy - half_dot, dx + half_dot, dy + half_dot)
        for place, (sx, sy) in _LABEL_PLACES.items():
            cx, cy = dx + sx * (half_dot + half_w), dy + sy * (half_dot + half_h)
            box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= width_px and box[3] <= height_px
            if inside and not any(_overlap(box, other) for other in placed if other != own):
                positions[index] = place
                placed.append(box)
                break
    return positions


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _day(recommendation: pd.DataFrame, store_id: str, weekday: int) -> pd.DataFrame:
    rows = recommendation[(recommendation["store_id"] == store_id) & (recommendation["weekday"] == weekday)]
    return rows.sort_values(O.hour)


def _cell_text(columns: int, number: str) -> dict:
    """A heatmap's in-cell numbers (d3 format `number`) at `CELL_FONT_PX`, or none beyond `MAX_LABELLED_COLUMNS`
    columns."""
    if columns > MAX_LABELLED_COLUMNS:
        return {}
    return {"texttemplate": f"%{{z:{number}}}", "textfont": {"size": CELL_FONT_PX}}


def _staff_tick(high: np.ndarray) -> int | None:
    """Whole-staff ticks for small counts; plotly's own choice above that."""
    top = np.nanmax(high) if np.isfinite(high).any() else 0
    return 1 if top <= 12 else None


STAFF_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
"""Whole-staff steps between a staff axis' ticks, the first that keeps them to `MOST_STAFF_TICKS`."""
MOST_STAFF_TICKS = 12


def _staff_axis(most: float) -> dict:
    """A y axis of staff from 0 to one whole-staff tick above `most` (the most staff a chart draws), its ticks fixed:
    left to plotly's autorange in the browser, the gridlines could stop below the tallest bar, whose top then had no
    tick to read it by. A little room above the last tick keeps its label whole."""
    step = next((step for step in STAFF_STEPS if math.floor(most / step) + 2 <= MOST_STAFF_TICKS), STAFF_STEPS[-1])
    last = (math.floor(most / step) + 1) * step
    return {"range": [0, last + step / 10], "tick0": 0, "dtick": step}


def _shift_time(weekday: int, clock: str) -> pd.Timestamp:
    """`clock` ("HH:MM", or "HH:MM+1" for that time the next day) of `weekday` on the charts' week."""
    hours, minutes, days = _clock_parts(clock)
    return WEEK_START + pd.Timedelta(days=int(weekday) + days, hours=hours, minutes=minutes)


def _clock_parts(clock: str) -> tuple[int, int, int]:
    """(hours, minutes, days later) of a clock time "HH:MM" or "HH:MM+1" (`planner.plans.export.clock`)."""
    time, _, later = clock.partition("+")
    hours, minutes = (int(part) for part in time.split(":"))
    return hours, minutes, int(later or 0)


def _milliseconds(starts, ends) -> list[float]:
    """Each bar's length, from its start to its end, in milliseconds (a date axis's unit)."""
    return [(last - first).total_seconds() * 1000 for first, last in zip(starts, ends, strict=True)]


def _longer_stretch(start: pd.Timestamp, end: pd.Timestamp, pause: pd.Timestamp | None,
                    break_minutes: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The longer of a shift's stretches before and after its break (from `pause`, `break_minutes` long); the whole
    shift when it has none."""
    if pause is None:
        return start, end
    resumed = pause + pd.Timedelta(minutes=break_minutes)
    return (start, pause) if pause - start >= end - resumed else (resumed, end)


def _after(begin: pd.Timestamp, clock: str) -> pd.Timestamp:
    """The first time at `clock` (HH:MM, its "+1" implied) after `begin`: a shift or break past midnight ends on the
    next day (shifts are shorter than a day)."""
    hours, minutes, _ = _clock_parts(clock)
    moment = begin.normalize() + pd.Timedelta(hours=hours, minutes=minutes)
    return moment if moment > begin else moment + pd.Timedelta(days=1)
