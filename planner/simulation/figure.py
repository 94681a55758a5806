"""The simulation drawn for a planner: service level and abandon share per hour with their bands, against the
targets, the hours at risk marked. Input: a `SimulationSchema` frame (shares as fractions, drawn as percent)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from planner.hours import WEEKDAY_NAMES, hour_label
from planner.simulation.wording import MEDIAN, POOLED, band_name
from planner.surfaces.simulation import at_risk_because, at_risk_rule

BAND_COLOUR = "rgba(31, 119, 180, 0.18)"
LINE_COLOUR = "rgb(31, 119, 180)"
RISK_COLOUR = "rgb(214, 39, 40)"
TARGET_COLOUR = "rgb(90, 90, 90)"


def simulation_figure(frame: pd.DataFrame, weekday: int | None = None, *, band_level: float,
                      at_risk_week_share: float, title: str = "") -> go.Figure:
    """Two panels sharing the hour axis: service level (top) and abandon share (bottom), the line of all weeks
    pooled, the band of the middle `band_level` of weeks (named as `wording` names them; the hover gives the median
    week too), target line; red markers on hours at risk, their rule (`at_risk_week_share`) in the legend and why
    each is at risk in its hover. `weekday` None draws the whole week."""
    rows = frame if weekday is None else frame[frame["weekday"] == weekday]
    rows = rows.sort_values(["weekday", "hour"])
    labels = [f"{WEEKDAY_NAMES[d]} {hour_label(h)}" if weekday is None else hour_label(h)
              for d, h in zip(rows["weekday"], rows["hour"], strict=True)]
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                           subplot_titles=("Service level (served within the target wait)", "Giving up"))
    band = band_name(band_level)
    target = float(rows["target_service_level"].iloc[0]) if len(rows) else 0.0
    max_abandon = float(rows["max_abandon_share"].iloc[0]) if len(rows) else 0.0
    risky = rows["at_risk"].to_numpy()
    # why each hour is at risk, in the ✖'s hover and the pooled line's: the line's point under an ✖ is the one
    # the pointer finds first, and it said "89% all weeks pooled" with nothing of the rule
    because = [at_risk_because(x, share, at_risk_week_share) if r else ""
               for x, share, r in zip(labels, rows["missed_week_share"], risky, strict=True)]
    for row, measure, limit in ((1, "service_level", target), (2, "abandon_share", max_abandon)):
        figure.add_trace(go.Scatter(x=labels, y=rows[f"{measure}_high"], mode="lines", line={"width": 0},
                                    showlegend=False, hoverinfo="skip"), row=row, col=1)
        figure.add_trace(go.Scatter(x=labels, y=rows[f"{measure}_low"], mode="lines", line={"width": 0},
                                    fill="tonexty", fillcolor=BAND_COLOUR, name=band, showlegend=row == 1,
                                    hoverinfo="skip"), row=row, col=1)
        figure.add_trace(go.Scatter(
            x=labels, y=rows[measure], mode="lines+markers", line={"color": LINE_COLOUR}, name=POOLED,
            showlegend=row == 1, customdata=rows[[f"{measure}_median", f"{measure}_low", f"{measure}_high"]],
            hovertext=[f"<br>{reason}" if reason else "" for reason in because],
            hovertemplate=f"%{{x}}: %{{y:.1%}} {POOLED}; {MEDIAN} %{{customdata[0]:.0%}}, {band} "
                          "%{customdata[1]:.0%}-%{customdata[2]:.0%}%{hovertext}<extra></extra>"), row=row, col=1)
        figure.add_trace(go.Scatter(x=labels, y=[limit] * len(labels), mode="lines", showlegend=row == 1,
                                    line={"color": TARGET_COLOUR, "dash": "dash"}, name="target / limit",
                                    hoverinfo="skip"), row=row, col=1)
        figure.add_trace(go.Scatter(x=[x for x, r in zip(labels, risky, strict=True) if r], y=rows[measure][risky],
                                    mode="markers", marker={"color": RISK_COLOUR, "size": 10, "symbol": "x"},
                                    name=at_risk_rule(at_risk_week_share), showlegend=row == 1,
                                    hovertext=[reason for reason in because if reason],
                                    hovertemplate="%{hovertext}<extra></extra>"), row=row, col=1)
        figure.update_yaxes(tickformat=".0%", rangemode="tozero", row=row, col=1)
    figure.update_yaxes(range=[0, 1.02], row=1, col=1)
    figure.update_layout(title=title, height=520, margin={"l": 40, "r": 10, "t": 60, "b": 40},
                         legend={"orientation": "h", "y": -0.12})
    return figure
