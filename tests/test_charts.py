"""Heatmap cells: numbers printed in the cells only while the hour columns leave room for them (at 1024 px, 15 or
more columns' numbers overlap), at an 11 px font; the hover shows every value either way."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from planner import charts

STORES = pd.DataFrame({"store_id": ["S01", "S02"], "name": ["Ring", "Dom"]})


def _grid(first_hour: int, columns: int) -> pd.DataFrame:
    hours = range(first_hour, first_hour + columns)
    return pd.DataFrame([{"store_id": store, "name": name, "hour": hour, "required_staff": 1.0 + hour / 10}
                         for store, name in zip(STORES["store_id"], STORES["name"], strict=True) for hour in hours])


def _cells(columns: int) -> go.Heatmap:
    figure = charts.store_heatmap_figure(_grid(8, columns), "required_staff", "Recommended staff", stores=STORES)
    (trace,) = figure.data
    assert len(trace.x) == columns  # one column per hour given, so the rule below is read at the true width
    return trace


@pytest.mark.parametrize("columns", [1, 12, 14])
def test_up_to_fourteen_hour_columns_print_their_numbers_at_11_px(columns):
    trace = _cells(columns)
    assert trace.texttemplate == "%{z:.1f}" and trace.textfont.size == 11
    assert "%{z:.1f}" in trace.hovertemplate


@pytest.mark.parametrize("columns", [15, 16, 24])
def test_more_than_fourteen_hour_columns_print_no_numbers_but_hover_still_shows_them(columns):
    trace = _cells(columns)
    assert trace.texttemplate is None and trace.text is None
    assert "%{z:.1f}" in trace.hovertemplate
    assert np.isfinite(np.asarray(trace.z, dtype=float)).all()  # every value still drawn (as colour, and hovered)


def test_the_observed_heatmap_follows_the_same_rule():
    cells = pd.DataFrame([{"store_id": "S01", "weekday": day, "hour": hour, "open": True, "observed_hours": 1,
                           "visitors_per_hour": 10.0 * hour} for day in range(7) for hour in range(6, 22)])
    wide = charts.observed_heatmap_figure(cells, "S01", "visitors_per_hour", "Visitors")
    narrow = charts.observed_heatmap_figure(cells[cells["hour"] < 20], "S01", "visitors_per_hour", "Visitors")
    assert len(wide.data[1].x) == 16 and wide.data[1].texttemplate is None
    assert len(narrow.data[1].x) == 14 and narrow.data[1].textfont.size == 11


SHIFTS = pd.DataFrame({  # a break early in one shift, late in another, none in a short one, one past midnight
    "store_id": "S01", "weekday": 0, "start": ["11:00", "10:00", "09:00", "20:00"],
    "end": ["18:00", "18:00", "13:00", "02:00"], "break_start": ["13:00", "17:00", None, "23:00"],
    "staff": [2, 1, 1, 1],
})
COVERAGE = pd.DataFrame({"store_id": "S01", "weekday": 0, "hour": range(9, 26), "scheduled_staff": 2})


def _spans(trace: go.Bar) -> list[tuple[str, pd.Timestamp, pd.Timestamp, str]]:
    """(row, from, to, text written on the bar) of each bar of `trace`."""
    texts = trace.text if trace.text is not None and trace.textposition != "none" else [""] * len(trace.y)
    return [(row, pd.Timestamp(base), pd.Timestamp(base) + pd.Timedelta(milliseconds=width), str(text or ""))
            for row, base, width, text in zip(trace.y, trace.base, trace.x, texts, strict=True)]


def test_a_shifts_times_are_written_where_no_break_marker_is_drawn_over_them():
    """The break marker, drawn after the shift bar, hid the middle of its label ("11:00–18:00, break 13…" on the
    Plans page): every label is written whole, on one bar per person, and no bar drawn later covers any of it."""
    figure = charts.shift_gantt_figure(SHIFTS, COVERAGE, "S01", 0, 30)
    bars = [trace for trace in figure.data if isinstance(trace, go.Bar)]
    written = [(n, span) for n, trace in enumerate(bars) for span in _spans(trace) if span[3]]
    assert sorted(text for _, (_, _, _, text) in written) == sorted([
        "11:00–18:00, break 13:00", "11:00–18:00, break 13:00", "10:00–18:00, break 17:00", "09:00–13:00",
        "20:00–02:00, break 23:00"])
    assert len({row for _, (row, _, _, _) in written}) == len(written) == 5  # one label a row
    for n, (row, first, last, text) in written:
        for later in bars[n + 1:]:
            for other_row, begin, end, _ in _spans(later):
                assert other_row != row or end <= first or begin >= last, (text, later.name, begin, end)
    (breaks,) = [trace for trace in bars if trace.name == "unpaid break"]
    assert len(breaks.y) == 4  # still drawn, one a shift with a break


def test_shifts_starting_together_are_drawn_in_the_order_they_end():
    """Ties on the start were broken on the end's text: "01:00+1" and "02:00" came before "23:00" and "24:00"."""
    ends = ["01:00+1", "24:00", "02:00", "23:00", "20:00"]
    shifts = pd.DataFrame({"store_id": "S01", "weekday": 5, "start": "16:00", "end": ends, "break_start": None,
                           "staff": 1})
    figure = charts.shift_gantt_figure(shifts, COVERAGE.iloc[:0], "S01", 5, 30)
    (bars,) = [trace for trace in figure.data if trace.name == "on shift"]
    assert [text.split("–")[1] for text in bars.text] == ["20:00", "23:00", "24:00", "01:00+1", "02:00"]
    assert list(bars.y) == ["1", "2", "3", "4", "5"]  # drawn top to bottom in that order


def test_the_staff_heatmap_colours_from_0_with_its_top_given_too():
    """plotly ignores a zmin given without a zmax (its reference: "if set, `zmax` must be set as well"): the scale ran
    from the least cell, not from 0 as the README says."""
    grid = _grid(8, 6)
    (trace,) = charts.store_heatmap_figure(grid, "required_staff", "Recommended staff", stores=STORES).data
    assert trace.zmin == 0 and trace.zmax == grid["required_staff"].max()
    (gap,) = charts.store_heatmap_figure(grid, "required_staff", "Gap", stores=STORES, diverging=True).data
    assert gap.zmid == 0 and gap.zmin is None and gap.zmax is None


def _late_day() -> pd.DataFrame:
    """Saturday 07:00-05:00 (hours 7 to 28: "00:00+1" on, labels a 1024 px chart tilts), staff above a maximum of 4."""
    hours = range(7, 29)
    return pd.DataFrame({"store_id": "S03", "weekday": 5, "hour": list(hours), "required_staff": 5.0,
                         "required_staff_low": 3.0, "required_staff_high": 6.0, "current_staff": 1.0,
                         "assisted_per_hour": 20.0, "self_service_per_hour": 40.0})


@pytest.mark.parametrize("figure", ["staff", "customers"])
def test_a_day_charts_legend_sits_above_the_plot_where_no_tilted_hour_label_or_axis_title_reaches(figure):
    """Below the plot, the legend sat at a fixed share of the plot's height while "hour starting" moved down under the
    tilted labels of a late day: at 1024 px it was written over "on duty when counted (mean)". The legend now sits
    on the plot's top edge, the axis title still below it; the top margin holds the title, its subtitle's lines (two
    when the whiskers are capped) and a row of legend."""
    day = _late_day()
    built = (charts.staff_by_hour_figure(day, "S03", 5, max_staff=4) if figure == "staff"
             else charts.traffic_mix_figure(day, "S03", 5))
    legend, layout = built.layout.legend, built.layout
    assert legend.orientation == "h" and legend.yanchor == "bottom" and legend.y >= 1 and legend.yref == "paper"
    assert layout.xaxis.side in (None, "bottom") and layout.xaxis.title.text == "hour starting"
    subtitle = layout.title.subtitle.text or ""
    lines = subtitle.count("<br>") + 1 if subtitle else 0
    assert lines == (2 if figure == "staff" else 0)
    assert layout.margin.t == charts.TITLE_PX + lines * charts.SUBTITLE_LINE_PX + charts.LEGEND_ROW_PX
    assert layout.title.yref == "container" and layout.title.y == 1 and layout.title.yanchor == "top"


AXIS_TITLE_PX_PER_CHAR = 8
"""Room per character of an axis title at plotly's 14 px font in a wide fallback sans-serif (DejaVu Sans averages
about 7.6 px; the app's Source Sans about 6.5): a vertical title longer than its plot's height is cut at both ends."""
PLOTLY_DEFAULT_MARGIN_PX = 80


def _plot_height(figure: go.Figure) -> float:
    """The plot area's height: the figure's less its top and bottom margins (plotly's default where not set)."""
    margin = figure.layout.margin
    top = PLOTLY_DEFAULT_MARGIN_PX if margin.t is None else margin.t
    bottom = PLOTLY_DEFAULT_MARGIN_PX if margin.b is None else margin.b
    return figure.layout.height - top - bottom


def _assert_y_title_fits(figure: go.Figure) -> None:
    title = figure.layout.yaxis.title.text
    assert len(title) * AXIS_TITLE_PX_PER_CHAR <= _plot_height(figure), (title, _plot_height(figure))


@pytest.mark.parametrize("people", [1, 3, 7, 30])
def test_the_shift_charts_y_axis_title_fits_its_plot_however_few_the_people(people):
    """At 1024 px the Plans page's shift chart of a short day cut its y-axis title ("staff, one row eac…"); what
    the rows are is said in the subtitle, which has the width."""
    shifts = pd.DataFrame({"store_id": "S01", "weekday": 0, "start": "10:00", "end": "14:00", "break_start": None,
                           "staff": [people]})
    figure = charts.shift_gantt_figure(shifts, COVERAGE, "S01", 0, 30)
    _assert_y_title_fits(figure)
    assert figure.layout.title.subtitle.text.startswith(f"{people} {'person' if people == 1 else 'people'}, one row")


def test_the_compare_scatters_y_axis_title_fits_its_plot():
    """At 1024 px Compare stores' scatter cut its y-axis title ("…per 1,000 visit")."""
    kpis = pd.DataFrame({"store_id": ["S01", "S02"], "name": ["Ring", "Dom"], "region": "North",
                         "format": "electronics", "assisted_share": [0.3, 0.5],
                         "needed_staff_hours_per_1000_visitors": [80.0, 160.0]})
    figure = charts.assisted_share_scatter_figure(kpis)
    _assert_y_title_fits(figure)
    assert "staff-hours per 1,000 visitors" in figure.layout.yaxis.title.text


def test_a_heatmaps_rows_name_stores_as_every_store_picker_does():
    """"S01 – Ring" as the pickers write it (the heatmap wrote "S01 Ring", read as another spelling); a store
    without a name is its id alone, no dash after it."""
    stores = pd.DataFrame({"store_id": ["S01", "S02"], "name": ["Ring", ""]})
    (trace,) = charts.store_heatmap_figure(_grid(8, 2), "required_staff", "Recommended staff", stores=stores).data
    assert list(trace.y) == ["S01 – Ring", "S02"]


def _simulated_hours(missed_shares, pooled_service) -> pd.DataFrame:
    """A day's simulation frame (`SimulationSchema`'s columns) of hours from 10:00, each hour's share of weeks that
    missed the targets and its pooled service level given; the rule is over 25% of the weeks."""
    hours = len(missed_shares)
    service = np.asarray(pooled_service, dtype=float)
    frame = pd.DataFrame({
        "weekday": 5, "hour": np.arange(10, 10 + hours), "staff": 3, "help_seekers_per_hour": 20.0,
        "service_level": service, "service_level_median": service, "service_level_low": service - 0.1,
        "service_level_high": np.minimum(service + 0.05, 1), "abandon_share": 0.02, "abandon_share_median": 0.02,
        "abandon_share_low": 0.0, "abandon_share_high": 0.05, "target_service_level": 0.8, "max_abandon_share": 0.05,
        "missed_week_share": missed_shares})
    frame["meets_target"] = frame["service_level"] >= 0.8
    frame["at_risk"] = (frame["missed_week_share"] > 0.25) | ~frame["meets_target"]
    return frame


def test_the_simulations_hour_at_risk_mark_states_its_rule_in_the_legend_and_in_each_marks_hover():
    """The walk: a red ✖ at Sat 15:00 where the pooled line sat within the targets; the rule for it ("misses the
    targets in more than 25% of the weeks") was only in a grey paragraph above the chart. The legend now says the
    rule, and each mark's hover why its hour is at risk: by its share of weeks, or by all weeks pooled."""
    from planner.simulation.figure import simulation_figure

    frame = _simulated_hours([0.1, 0.31, 0.2], [0.9, 0.85, 0.7])  # 11:00 within, 31% of weeks; 12:00 pooled below
    figure = simulation_figure(frame, 5, band_level=0.9, at_risk_week_share=0.25)
    marks = [trace for trace in figure.data if trace.marker.symbol == "x"]
    assert [trace.showlegend for trace in marks] == [True, False]
    assert marks[0].name == "hour at risk: misses the targets in more than 25% of the weeks, or on all weeks pooled"
    assert list(marks[0].x) == ["11:00", "12:00"]
    assert list(marks[0].hovertext) == [
        "11:00: at risk: it missed the targets in 31% of the simulated weeks (more than 25%)",
        "12:00: at risk: all weeks pooled miss the targets (it missed them in 20% of the simulated weeks)"]
    # the pooled line's point under each ✖ (the one a pointer finds first) says it too; an hour not at risk nothing
    pooled = [trace for trace in figure.data if trace.name == "all weeks pooled"]
    assert [list(trace.hovertext) for trace in pooled] == [["", *(f"<br>{said}" for said in marks[0].hovertext)]] * 2


def test_a_long_store_name_wraps_onto_a_second_line_whole_and_the_margin_holds_it():
    """The rows read "S02 – Hamburg Jungfernstieg Clo…" and "S05 – Cologne Schildergasse Cos…" at any page width:
    cut at 32 characters. A longer label now wraps onto two lines, none longer than it was, every word kept; the
    left margin holds the longest line, and the hover names the store whole."""
    stores = pd.DataFrame({"store_id": ["S01", "S02", "S03"],
                           "name": ["Ring", "Hamburg Jungfernstieg Clothing",
                                    "<b>Zweigstelle Düsseldorf-Oberkassel Rheinufer Premium</b>"]})
    figure = charts.store_heatmap_figure(_grid(8, 2), "required_staff", "Recommended staff", stores=stores)
    (trace,) = figure.data
    ring, hamburg, hostile = (label.split("<br>") for label in trace.y)
    assert ring == ["S01 – Ring"]
    assert " ".join(hamburg) == "S02 – Hamburg Jungfernstieg Clothing" and len(hamburg) == 2
    assert len(hostile) == 2 and hostile[0].startswith("S03 – &lt;b&gt;Zweigstelle") and "<b>" not in trace.y[2]
    lines = [line.replace("&lt;", "<").replace("&gt;", ">") for label in trace.y for line in label.split("<br>")]
    assert max(len(line) for line in lines) <= charts.ROW_LABEL_CHARS
    assert figure.layout.margin.l >= charts.ROW_LABEL_PX_PER_CHAR * max(len(line) for line in lines)
    whole = [row[0] for row in trace.customdata]
    assert whole[2] == "S03 – &lt;b&gt;Zweigstelle Düsseldorf-Oberkassel Rheinufer Premium&lt;/b&gt;"
    assert "%{customdata}" in trace.hovertemplate and "%{y}" not in trace.hovertemplate
    # two lines need the room of two: no row lower than before, and more when a label wraps
    assert figure.layout.height >= 60 + 34 * 3


def _coverage(required: list[int], scheduled: list[int]) -> pd.DataFrame:
    hours = range(10, 10 + len(required))
    return pd.DataFrame({"store_id": "S01", "weekday": 5, "hour": list(hours), "required_staff": required,
                         "scheduled_staff": scheduled,
                         "under": np.maximum(np.array(required) - np.array(scheduled), 0)})


def _y_ticks(figure: go.Figure) -> list[float]:
    """The y axis' ticks as the figure fixes them (its tickvals, else tick0 and dtick over its range); [] where it
    leaves them to plotly's autorange in the browser."""
    axis = figure.layout.yaxis
    if axis.range is None:
        return []
    if axis.tickvals is not None:
        return [float(value) for value in axis.tickvals]
    if axis.dtick is None:
        return []
    start, step = float(axis.tick0 or 0), float(axis.dtick)
    return [start + step * n for n in range(int((axis.range[1] - start) // step) + 1)]


@pytest.mark.parametrize(("required", "scheduled"), [
    ([3, 7, 5], [3, 6, 5]),  # the tallest bar, 7, sat above plotly's own top tick (6, in steps of 2)
    ([1, 1, 1], [1, 2, 1]),  # the scheduled line above the bars
    ([4, 9, 13, 2], [4, 9, 12, 2]),
    ([12, 25, 31, 8], [12, 25, 30, 8]),  # past a dozen staff: fewer, wider whole-staff steps
    ([0, 0], [0, 0]),
])
def test_the_coverage_chart_s_y_axis_reaches_a_whole_staff_tick_above_its_tallest_bar(required, scheduled):
    """The Schedule page's coverage chart left its y axis to plotly's autorange in the browser, whose gridlines could
    stop below the tallest bar: its top had no tick to read it by. The figure now fixes its range and whole-staff
    ticks, from 0 to at least one tick above the most staff it draws (bars and the scheduled line)."""
    figure = charts.coverage_figure(_coverage(required, scheduled), "S01", 5)
    top = max(*required, *scheduled)
    ticks = _y_ticks(figure)
    assert ticks, figure.layout.yaxis
    assert all(tick == int(tick) for tick in ticks) and ticks[0] == 0, ticks
    assert max(ticks) > top and max(ticks) <= figure.layout.yaxis.range[1], (ticks, figure.layout.yaxis.range)
    assert figure.layout.yaxis.range[0] == 0
    assert len(ticks) <= 12, ticks  # whole steps, readable at the chart's height


WALK_KPIS = pd.DataFrame({  # the walk's North stores, the week's figures read off its chart
    "store_id": ["<b>S99</b>", "S01", "S02", "S09"], "name": ["\"O'Neil & Sons\" =1+1", "Mitte", "Jungfernstieg",
                                                              "Outlet"],
    "region": "North", "format": "clothing", "assisted_share": [0.225, 0.50, 0.235, 0.32],
    "needed_staff_hours_per_1000_visitors": [40.0, 170.0, 44.0, 83.0]})
PLOT_PX = (470, 290)
"""The scatter's plot area at 1024 px, a little smaller than the walk's (a legend beside it takes room)."""
LABEL_CHAR_PX, LABEL_PX, DOT_PX = 7, 15, 13
"""A label's character and line at plotly's 12 px font, and a dot's size, as the test measures them."""


def _ticks(axis) -> np.ndarray:
    assert axis.dtick is not None and axis.range is not None, axis  # ticks the figure states, not plotly's choice
    return np.arange(float(axis.tick0 or 0), axis.range[1] + 1e-9, float(axis.dtick))


def test_the_compare_scatters_axes_reach_past_its_dots_with_a_gridline_above_the_highest():
    """The walk: S01's dot (170 staff-hours per 1,000 visitors, 50%) sat above the top gridline (150) at the right
    edge of the plot. Each axis now starts at 0 and ends on a tick above its largest value, with room for a label."""
    figure = charts.assisted_share_scatter_figure(WALK_KPIS)
    x, y = WALK_KPIS["assisted_share"], WALK_KPIS["needed_staff_hours_per_1000_visitors"]
    yaxis, xaxis = figure.layout.yaxis, figure.layout.xaxis
    assert yaxis.range[0] == 0 and xaxis.range[0] == 0
    assert any(tick > y.max() for tick in _ticks(yaxis)), (list(_ticks(yaxis)), y.max())  # a gridline above S01
    assert yaxis.range[1] in _ticks(yaxis)  # the plot ends on its top gridline
    room = PLOT_PX[1] * (1 - y.max() / yaxis.range[1])
    assert room >= DOT_PX / 2 + LABEL_PX, room  # S01's label above its dot fits under the top
    assert xaxis.range[1] > x.max()
    right = PLOT_PX[0] * (1 - x.max() / xaxis.range[1])
    assert right >= DOT_PX / 2, right  # the dot whole, not cut by the right edge


def test_the_compare_scatters_labels_overlap_neither_each_other_nor_a_dot_and_hover_names_every_store():
    """The walk: the labels of two dots close together (S99 and S02) nearly overlapped. Each label shown sits
    where no other label or dot is (measured in pixels at 1024 px); a dot without room keeps its name in its hover."""
    figure = charts.assisted_share_scatter_figure(WALK_KPIS)
    xaxis, yaxis = figure.layout.xaxis, figure.layout.yaxis
    boxes, dots = [], []
    for trace in figure.data:
        places = [trace.textposition] * len(trace.x) if isinstance(trace.textposition, str) else trace.textposition
        for x, y, text, place, hover in zip(trace.x, trace.y, trace.text, places, trace.customdata, strict=True):
            px, py = x / xaxis.range[1] * PLOT_PX[0], y / yaxis.range[1] * PLOT_PX[1]
            dots.append((px, py))
            assert hover[0] in WALK_KPIS["store_id"].map(charts.plain).tolist()  # the hover names the store
            if not text:
                continue
            width = len(text.replace("&lt;", "<").replace("&gt;", ">")) * LABEL_CHAR_PX
            vertical, horizontal = place.split()
            cx = px + {"left": -(DOT_PX / 2 + width / 2), "center": 0, "right": DOT_PX / 2 + width / 2}[horizontal]
            cy = py + {"bottom": -(DOT_PX / 2 + LABEL_PX / 2), "middle": 0, "top": DOT_PX / 2 + LABEL_PX / 2}[vertical]
            boxes.append((cx - width / 2, cy - LABEL_PX / 2, cx + width / 2, cy + LABEL_PX / 2, (px, py)))
    assert len(boxes) >= 3, boxes  # the walk's four have room for at least three labels

    def overlap(a, b) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    for i, box in enumerate(boxes):
        assert not any(overlap(box, other) for other in boxes[i + 1:]), boxes
        for dot in dots:
            if dot != box[4]:
                dot_box = (dot[0] - DOT_PX / 2, dot[1] - DOT_PX / 2, dot[0] + DOT_PX / 2, dot[1] + DOT_PX / 2)
                assert not overlap(box, dot_box), (box, dot)
        assert box[0] >= 0 and box[2] <= PLOT_PX[0] and box[1] >= 0 and box[3] <= PLOT_PX[1], box  # not clipped
