"""My store: a store manager's day, hour by hour: the staff recommended (with its likely range), the staff on duty
when counted and, once a schedule exists, the staff scheduled; the mix of customers; the service to expect; why;
and what-if targets that recompute at once.

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

import streamlit as st

from app_pages import data, state, tables, widgets
from planner import charts
from planner.export import recommendation_csv
from planner.hours import WEEKDAY_NAMES

SCHEDULE_PAGE = "app_pages/schedule.py"
TARGET_LABELS = {
    "target_service_level": "Target service level",
    "target_wait_seconds": "Target wait (seconds)",
    "patience_minutes": "Patience (minutes)",
    "max_abandon_share": "Most who may give up",
    "min_staff": "Fewest staff on the floor",
}
TARGET_HELP = {
    "target_service_level": "Share of the customers who want help that a salesperson approaches within the target "
                            "wait (those who give up count as missed).",
    "target_wait_seconds": "How long a customer who wants help may wait before a salesperson approaches.",
    "patience_minutes": "How long, on average, a customer who wants help waits before giving up and leaving or "
                        "shopping on their own.",
    "max_abandon_share": "Largest share of the customers who want help that may give up waiting.",
    "min_staff": "Staff on the floor in every open hour, however quiet.",
}


def render_page() -> None:
    st.title("My store")
    names = widgets.store_names_or_upload_hint()
    if names is None:
        return
    pick, day = st.columns([2, 3])
    store_id = pick.selectbox("Store", list(names), format_func=lambda store: f"{store} – {names[store]}",
                              key=state.MY_STORE, on_change=_forget_what_ifs)
    weekday = day.segmented_control("Day", list(range(len(WEEKDAY_NAMES))), default=0, required=True,
                                    format_func=lambda d: WEEKDAY_NAMES[d], key=state.MY_WEEKDAY)

    values = _what_if_controls(store_id)
    recommendation = data.store_recommendation(store_id, values)
    _what_if_note(store_id, values)

    run = data.last_schedule()
    scheduled = run.coverage if run is not None and store_id in run.store_ids else None
    st.plotly_chart(charts.staff_by_hour_figure(recommendation, store_id, weekday, scheduled))
    _never_counted_note(tables.never_counted_hours(recommendation, store_id, weekday), weekday)
    _schedule_note(scheduled is not None)
    st.plotly_chart(charts.traffic_mix_figure(recommendation, store_id, weekday))

    st.subheader(f"What to expect each hour on {WEEKDAY_NAMES[weekday]}")
    st.caption("At the recommended staff; *Lost per hour now* is at the staff that was on duty when counted.")
    _hourly_table(tables.hourly_table(recommendation, store_id, weekday))

    with st.expander("Why these numbers, hour by hour", expanded=True):
        st.markdown("\n".join(f"- **{hour}** {sentence}"
                              for hour, sentence in tables.explanations(recommendation, store_id, weekday)))

    st.download_button(
        f"Download {store_id}'s hourly recommendation, whole week (CSV)",
        data=recommendation_csv(recommendation),
        file_name=f"recommendation_{store_id}.csv",
        mime="text/csv",
        key=state.MY_STORE_DOWNLOAD,
        on_click="ignore",
        help="One row per weekday (0 = Monday) and open hour, every column of the recommendation, what-ifs applied.",
    )
    _count_next_panel(store_id)


def _count_next_panel(store_id: str) -> None:
    st.subheader("Where to count next")
    st.caption("The 2-hour windows where one more count would narrow the plan most, from the counts' own doubt.")
    with data.errors_shown():
        advice = data.count_advice(store_id)
        st.markdown("\n".join(f"- {sentence}" for sentence in advice) or "Count any two hours to start.")


def _what_if_controls(store_id: str) -> dict[str, float | int]:
    """Five target controls, starting at the store's own targets; returns their values."""
    own = data.store_targets(store_id)
    for name, key in state.WHATIF.items():
        if key not in st.session_state:
            st.session_state[key] = own[name]
    with st.container(border=True):
        st.markdown("**What if…** change a target and the charts below follow. The controls start at this store's "
                    "targets; they apply to this page only.")
        columns = st.columns(5)
        level = own["target_service_level"]
        columns[0].slider(TARGET_LABELS["target_service_level"], min(0.5, level), max(0.99, level), step=0.01,
                          format="percent", key=state.WHATIF["target_service_level"],
                          help=TARGET_HELP["target_service_level"])
        columns[1].number_input(TARGET_LABELS["target_wait_seconds"], min_value=0.0, max_value=max(600.0, own[
            "target_wait_seconds"]), step=10.0, format="%.0f", key=state.WHATIF["target_wait_seconds"],
                                help=TARGET_HELP["target_wait_seconds"])
        columns[2].number_input(TARGET_LABELS["patience_minutes"], min_value=0.5, max_value=max(60.0, own[
            "patience_minutes"]), step=0.5, format="%.1f", key=state.WHATIF["patience_minutes"],
                                help=TARGET_HELP["patience_minutes"])
        share = own["max_abandon_share"]
        columns[3].slider(TARGET_LABELS["max_abandon_share"], min(0.01, share), max(0.5, share), step=0.01,
                          format="percent", key=state.WHATIF["max_abandon_share"],
                          help=TARGET_HELP["max_abandon_share"])
        columns[4].number_input(TARGET_LABELS["min_staff"], min_value=0, max_value=max(50, own["min_staff"]), step=1,
                                key=state.WHATIF["min_staff"], help=TARGET_HELP["min_staff"])
    return {name: st.session_state[key] for name, key in state.WHATIF.items()}


def _what_if_note(store_id: str, values: dict[str, float | int]) -> None:
    own = data.store_targets(store_id)
    _, forced = data.what_if(store_id, values)
    if not forced:
        st.caption(f"Planned with {store_id}'s own targets (the store file's, else those on the Settings page).")
        return
    changes = ", ".join(f"{TARGET_LABELS[name].lower()} {_shown(name, values[name])} (store: {_shown(name, own[name])})"
                        for name in forced)
    note, reset = st.columns([3, 1], vertical_alignment="center")
    note.info(f"What-if: {changes}.", icon=":material/science:")
    reset.button("Back to the store's targets", icon=":material/undo:", key=state.WHATIF_RESET,
                 on_click=_forget_what_ifs)


def _never_counted_note(hours: list[str], weekday: int) -> None:
    if hours:
        st.warning(f"Never counted on {WEEKDAY_NAMES[weekday]} at {', '.join(hours)}, nor near it: no recommendation "
                   "for these hours yet. Count them and upload the counts.", icon=":material/edit_note:")


def _schedule_note(has_schedule: bool) -> None:
    if has_schedule:
        st.caption("Scheduled staff come from the last run on the Schedule page, made at the targets on the Settings "
                   "page (not the what-ifs above); scheduled counts the fewest on the floor in the hour, breaks "
                   "taken out.")
    else:
        st.page_link(SCHEDULE_PAGE, label="No schedule yet for this store: make one to see the scheduled staff here",
                     icon=":material/calendar_month:")


def _hourly_table(table) -> None:
    styled = table.style.format(
        {"required_staff": "{:.0f}", "expected_service_level": "{:.0%}", "expected_wait_seconds": "{:.0f} s",
         "expected_abandon_share": "{:.1%}", "current_staff": "{:.1f}", "lost_customers_per_hour_at_current": "{:.1f}"},
        na_rep="–",
    )
    st.dataframe(
        styled,
        hide_index=True,
        placeholder="–",
        width="stretch",
        column_config={
            tables.HOUR_LABEL: st.column_config.TextColumn("Hour", width="small"),
            "required_staff": st.column_config.NumberColumn("Staff", help="recommended"),
            tables.LIKELY_RANGE: st.column_config.TextColumn(
                "Likely range", help="the recommendation if demand is at the low or the high end of its likely range"),
            "expected_service_level": st.column_config.NumberColumn(
                "Approached in time", help="share of customers wanting help approached within the target wait"),
            "expected_wait_seconds": st.column_config.NumberColumn("Mean wait",
                                                                   help="mean wait of customers wanting help"),
            "expected_abandon_share": st.column_config.NumberColumn("Give up",
                                                                    help="share of customers wanting help who give up"),
            "current_staff": st.column_config.NumberColumn(
                "On duty when counted", help="mean staff on the floor in the counted hours (–: never given)"),
            "lost_customers_per_hour_at_current": st.column_config.NumberColumn(
                "Lost per hour now", help="customers who wanted help and gave up waiting, per hour, at the staff on "
                                          "duty when counted (–: staff never given)"),
            "confidence": st.column_config.TextColumn(
                "Confidence", help="high: counted 3 times or more; low: fewer, the estimate leans on nearby hours "
                                   "and similar days; missing: never counted, no recommendation"),
        },
    )


def _shown(name: str, value: float | int) -> str:
    if name in ("target_service_level", "max_abandon_share"):
        return f"{value:.0%}"
    if name == "target_wait_seconds":
        return f"{value:.0f} s"
    if name == "patience_minutes":
        return f"{value:g} min"
    return f"{value}"


def _forget_what_ifs() -> None:
    for key in state.WHATIF.values():
        st.session_state.pop(key, None)


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
