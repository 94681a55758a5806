"""The Schedule page's "Simulate" section: what the chosen store's shifts will do to customers, hour by hour, with
the spread from week to week, against the targets; and the same for a what-if number of customers.

The page calls `simulation_section` once; the work is `planner.simulation.plan.simulate_plan`, cached per store,
shifts, settings and scale. Session-state keys of this section are named here.
"""

from __future__ import annotations

import io
from dataclasses import replace

import pandas as pd
import streamlit as st

from app_pages import data, tables
from planner import charts
from planner.hours import WEEKDAY_NAMES, hour_label
from planner.simulation.plan import at_risk_per_day, hours_at_risk
from planner.settings import SimulationRules
from planner.simulation.wording import band_name, figures_sentence
from planner.surfaces.simulation import at_risk_beside_status, hours_at_risk_on_day

SCALE = "schedule.simulate.scale"
RUN = "schedule.simulate.run"
RESULT = "session.schedule.simulation"
"""The last simulation shown: (store_id, its shifts as CSV, the simulation settings, scale, frame, lost mean, low,
high); shown only while the store's schedule is those shifts (a new schedule kept the old one's result, at 95%
service for a week now short) and the session's simulation settings are those it ran with."""


def simulation_section(run: data.ScheduleRun, store_id: str, weekday: int | None) -> None:
    st.subheader("Simulate")
    # the schedule's settings, simulated with the session's simulation settings: a change of those (Settings page)
    # leaves the schedule as it is (`planner.settings.planning_settings`), so they are not the schedule's to keep
    rules = data.settings().simulation
    chosen = replace(run.chosen, simulation=rules)
    st.caption(f"{rules.replications} simulated weeks of these shifts, breaks and shift changes included, with "
               "random arrivals and long-tailed service times. "
               f"{figures_sentence(rules.replications, rules.band_level)}. An hour is at risk when it misses the "
               f"targets in more than {rules.at_risk_week_share:.0%} of the weeks.")
    scale_column, button_column = st.columns([2, 3], vertical_alignment="bottom")
    scale = scale_column.number_input("Customers, against the counts", min_value=0.5, max_value=3.0, value=1.0,
                                      step=0.1, format="%.1f", key=SCALE, help="1.2: what if 20% more customers come")
    shifts_csv = run.shifts[run.shifts["store_id"] == store_id].astype(str).to_csv(index=False)
    if button_column.button("Simulate", type="primary", key=RUN):
        bar = st.progress(0.0, text=f"Simulating {tables.as_text(store_id)}…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Simulated {done} of {total} weeks")

        with data.errors_shown():
            url = data.database_url()
            st.session_state[RESULT] = (store_id, shifts_csv, rules, scale, *_simulated(
                (url, data.revision(url), chosen, store_id, shifts_csv, scale, run.scope), progress))
        bar.empty()
    shown = st.session_state.get(RESULT)
    if not shown or shown[:3] != (store_id, shifts_csv, rules):
        st.info("Press **Simulate** to see how these shifts serve customers.")
        return
    _, _, _, scale_shown, frame, lost, low, high = shown
    day = "the week" if weekday is None else WEEKDAY_NAMES[weekday]
    what_if = f", {scale_shown:.0%} of the counted customers" if scale_shown != 1.0 else ""
    show_result(frame, weekday, day, f"{store_id}, {day}{what_if}", chosen.simulation, (lost, low, high))


def show_result(frame: pd.DataFrame, weekday: int | None, day: str, title: str, rules: SimulationRules,
                lost: tuple[float, float, float], cheapest: bool = False) -> None:
    """A simulation's chart for `weekday` (None: the week), its hours at risk and the customers lost a week
    (mean, low, high), simulated with `rules`; `frame` keyed by the store's openings (an hour after midnight numbered
    from 24). The Schedule
    and Plans pages draw their simulations with it. A day the store does not open has no chart (it was drawn
    empty): each page says instead that the store is closed that day (`tables.closed_day`). `cheapest`: the shifts
    simulated are proven the cheapest that cover the requirement (each schedule's status optimal)."""
    from planner.simulation.figure import simulation_figure

    if weekday is None or (frame["weekday"] == weekday).any():
        st.plotly_chart(simulation_figure(frame, weekday, band_level=rules.band_level,
                                          at_risk_week_share=rules.at_risk_week_share, title=charts.plain(title)))
    # the week's count, as `simulate` prints it, beside the week's customers lost; a day's hours said as that
    # day's ("Hours at risk: Mon 14:00" beside a week's 49 lost read as the week's one hour, where it had 8)
    week = hours_at_risk(frame)
    if week.empty:
        st.success("No hour of the week is at risk.", icon=":material/check_circle:")
    elif weekday is None:
        st.warning(f"Hours at risk in the week: {len(week)}: " + ", ".join(
            f"{WEEKDAY_NAMES[d]} {hour_label(h)}" for d, h in zip(week["weekday"], week["hour"], strict=True)) + ".",
                   icon=":material/warning:")
    else:  # which days hold them too: "4. None on Mon 07 Dec" left a planner opening each day to find them
        hours = hours_at_risk(frame, weekday)["hour"]
        per_day = ", ".join(f"{WEEKDAY_NAMES[d]}: {n}" for d, n in at_risk_per_day(frame).items())
        st.warning(hours_at_risk_on_day(len(week), per_day, day, [hour_label(h) for h in hours]),
                   icon=":material/warning:")
    if not week.empty:  # beside "optimal: ... every required hour covered" above, it read as a contradiction
        st.caption(at_risk_beside_status(rules.replications, rules.at_risk_week_share, rules.day_to_day_variation,
                                         hours_at_risk=len(week), cheapest=cheapest))
    mean, low, high = lost
    st.write(f"Customers giving up a week: **{mean:.0f}** (mean of all weeks; "
             f"{band_name(rules.band_level)}: {low:.0f}-{high:.0f}).")


def _simulated(key: tuple, progress) -> tuple[pd.DataFrame, float, float, float]:
    """The simulation of `key` (url, revision, settings, store, shifts CSV, scale, scope), kept for the session
    (the last `KEPT` of them). Not `st.cache_data`: its progress bar is drawn outside the function, and a cached
    call replaying it failed ("CacheReplayClosureError") when the same shifts were simulated again."""
    kept = st.session_state.setdefault(KEPT_KEY, {})
    if key not in kept:
        url, revision, chosen, store_id, shifts_csv, scale, scope = key
        result = data.simulated_store(url, revision, chosen, store_id, scope,
                                      shifts=pd.read_csv(io.StringIO(shifts_csv), dtype=str, keep_default_na=False),
                                      demand_scale=scale, progress=progress)
        # keyed as the store opens: a Friday open to 01:00 ends with its 00:00+1, as the charts above and the CLI
        return data.kept_as(kept, key, (result.frame_by_opening(), *result.weekly_lost()), KEPT)
    return kept[key]


KEPT, KEPT_KEY = 8, "session.schedule.simulations"
