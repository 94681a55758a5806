"""Schedule: a planner turns the recommended staff into shifts for chosen stores and rules, watches the optimiser's
progress, reads the shifts and the coverage they give, sees which hours stay uncovered and why, and downloads both.

The optimiser runs one store after another inside the app server (no Dask cluster here); the last run is kept for
the session, so My store can draw its scheduled staff.

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from app_pages import data, simulation_view, state, tables, widgets
from planner import charts, staleness
from planner.access.scope import PUBLISH, Scope
from planner.calendar import IsoWeek
from planner.hours import WEEKDAY_NAMES

SETTINGS_PAGE = "app_pages/settings.py"
SHIFT_LENGTH_CHOICES = list(range(2, 13))
SOFT, HARD = "soft", "hard"
COVERAGE_CHOICES = {
    SOFT: "Soft: cover what the rules allow and report the rest",
    HARD: "Hard: cover every required hour, or report why it cannot be done",
}
ONE_STORE, ALL_STORES = "one", "all"


def render_page() -> None:
    st.title("Schedule")
    scope = state.current_scope()
    names = widgets.store_names_or_upload_hint(scope)
    if names is None:
        return
    st.write("Shifts that cover the recommended staff per hour at the least wage cost. The requirement is the "
             "recommendation at the targets on the Settings page (and each store's own targets from the store file).")
    _run_form(names, scope)
    run = data.last_schedule(scope)
    if run is None:
        st.info("No schedule yet: choose stores and rules, then press **Make schedule**.")
    else:
        changed = data.schedule_changes(run)
        if changed:
            st.warning(staleness.made_before_sentence(changed), icon=":material/update:")
        _results(run, names, current=not changed)
    _plans(scope)


def _plans(scope: Scope) -> None:
    """Plans for dated weeks of the stores chosen above: make and publish one, and the saved ones listed."""
    st.subheader("Plans for dated weeks")
    st.caption("A plan is for a real ISO week, with the store calendar's closed days, changed hours and events. It is "
               "made at the settings in force (Settings page, not the rules above) and saved; publishing makes it the "
               "plan of its store and week, and the plan published before is kept as superseded.")
    picked = st.session_state.get(state.SCHEDULE_STORES) or []
    may_publish = scope.may(PUBLISH)
    week_column, button_column = st.columns([2, 3], vertical_alignment="bottom")
    week = week_column.text_input("ISO week", value=str(IsoWeek.of(date.today() + timedelta(days=7))),
                                  key=state.PLAN_WEEK, help="Year-W and week number, e.g. 2026-W50 (Monday to Sunday).")
    if button_column.button("Make and publish plan", key=state.PLAN_PUBLISH, disabled=not picked or not may_publish,
                            help="Publishing is for planners." if not may_publish else
                            None if picked else "Choose at least one store above."):
        bar = st.progress(0.0, text=f"Planning {len(picked)} store(s) for {tables.as_text(week)}…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Planned {done} of {total} store(s)")

        with data.errors_shown():  # a week that is no ISO week is a message; the saved plans still show below
            try:
                published = data.publish_plan(picked, week.strip(), scope, progress)
            finally:
                bar.empty()
            st.success("Published: " + ", ".join(f"plan {p.plan_id} ({tables.as_text(p.store_id)} {p.iso_week})"
                                                 for p in published), icon=":material/publish:")
    saved = data.saved_plans(picked, scope)
    if saved.empty:
        st.info("No saved plans for these stores yet.")
        return
    widgets.dataframe(tables.saved_plans_table(saved))


def _run_form(names: dict[str, str], scope: Scope) -> None:
    chosen = data.settings()
    rules = chosen.shifts
    with st.container(border=True):
        picked = st.multiselect("Stores", list(names), default=list(names)[:1], key=state.SCHEDULE_STORES,
                                format_func=lambda store: f"{store} – {names[store]}")
        lengths_column, budget_column, coverage_column = st.columns([3, 2, 3])
        lengths = lengths_column.multiselect(
            "Shift lengths (hours, break included)", SHIFT_LENGTH_CHOICES, key=state.SCHEDULE_LENGTHS,
            default=[length for length in rules.shift_lengths_hours if length in SHIFT_LENGTH_CHOICES],
        )
        breaks = lengths_column.toggle(
            f"Unpaid {rules.break_minutes}-minute break in long shifts", value=data.breaks_on(chosen),
            key=state.SCHEDULE_BREAKS,
            help=f"In every shift longer than {rules.break_for_shifts_over_hours:g} h (Settings page).")
        budget = budget_column.number_input(
            "Weekly budget (paid staff-hours per store)", min_value=0.0, value=rules.weekly_budget_staff_hours,
            step=10.0, format="%.0f", key=state.SCHEDULE_BUDGET, placeholder="no budget",
            help="Leave empty for no budget. With a budget too small for the requirement, the hours left uncovered "
                 "are listed with the reason.")
        coverage = coverage_column.radio("Coverage", list(COVERAGE_CHOICES), format_func=COVERAGE_CHOICES.get,
                                         index=1 if rules.hard_coverage else 0, key=state.SCHEDULE_HARD)
        min_staff_cover = st.checkbox(
            "Cover min_staff in hours without a recommendation", value=rules.min_staff_cover,
            key=state.SCHEDULE_MIN_STAFF_COVER,
            help="Hours never counted have no recommendation and get no shifts; tick to staff them at min_staff.")
        clicked = st.button("Make schedule", type="primary", key=state.SCHEDULE_RUN, disabled=not picked,
                            help=None if picked else "Choose at least one store.")
    if clicked:
        rules_chosen = data.schedule_settings(lengths, breaks, budget, coverage == HARD, min_staff_cover)
        bar = st.progress(0.0, text=f"Scheduling {len(picked)} store(s)…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Scheduled {done} of {total} store(s)")

        data.keep_schedule(data.run_schedule(rules_chosen, picked, scope, progress))
        bar.empty()


def _results(run: data.ScheduleRun, names: dict[str, str], current: bool) -> None:
    st.subheader("Result per store")
    _summary_table(run)
    for store_id in run.store_ids:
        if store_id in run.without_schedule:
            continue  # its statement is shown when the store is viewed below, and stands alone
        for sentence in run.sentences(store_id):
            st.warning(f"**{tables.as_text(store_id)}**: {tables.as_text(sentence)}", icon=":material/warning:")

    store_id = st.selectbox("Show store", list(run.store_ids), key=state.SCHEDULE_VIEW_STORE,
                                     format_func=lambda store: f"{store} – {names.get(store, '')}")
    if store_id in run.without_schedule:
        statement = "; ".join(run.sentences(store_id)) or run.status_text(store_id)
        st.error(f"**{tables.as_text(store_id)}**: {tables.as_text(statement)}. No schedule is shown for this store.",
                 icon=":material/block:")
        _downloads(run, store_id)
        return
    weekday = st.segmented_control(  # a row of its own: seven days fit at 1024 px only at full width
        "Day", list(range(len(WEEKDAY_NAMES))), default=0, required=True, key=state.SCHEDULE_VIEW_WEEKDAY,
        format_func=lambda d: WEEKDAY_NAMES[d],
    )
    st.plotly_chart(charts.shift_gantt_figure(run.shifts, run.coverage, store_id, weekday,
                                              run.chosen.shifts.break_minutes))
    st.plotly_chart(charts.coverage_figure(run.coverage, store_id, weekday))
    simulation_view.simulation_section(run, store_id, weekday)

    st.subheader("Uncovered hours")
    uncovered = tables.uncovered_hours(run.coverage, [store_id])
    if uncovered.empty and not current:
        st.info(f"Every staff-hour {tables.as_text(store_id)} required when this schedule was made is covered; "
                "what it requires now may differ.", icon=":material/update:")
    elif uncovered.empty:
        st.success(f"Every required staff-hour of {tables.as_text(store_id)} is covered.", icon=":material/check_circle:")
    else:
        st.caption(f"{tables.as_text(store_id)}: {tables.as_text(run.status_text(store_id))}.")
        widgets.dataframe(uncovered, column_config={
            "store_id": "Store", "day": "Day", tables.HOUR_LABEL: "Hour", "required_staff": "Required",
            "scheduled_staff": "Scheduled", "under": st.column_config.NumberColumn(
                "Staff-hours short", format="%.1f"),
        })
    _downloads(run, store_id)


def _summary_table(run: data.ScheduleRun) -> None:
    config = st.column_config
    widgets.dataframe(
        run.summary,
        column_order=["store_id", "status_text", "paid_staff_hours", "required_staff_hours", "excess_staff_hours",
                      "uncovered_staff_hours", "wage_cost", "solve_seconds"],
        column_config={
            "store_id": "Store",
            "status_text": config.TextColumn(
                "Status", help="optimal: proven best, every required hour covered; short of the requirement because "
                               "of the budget: the best spread of what the budget cannot pay for (proven); feasible, "
                               "within x% of the best possible: the time limit came before the proof; no schedule "
                               "found: the time limit came first; infeasible: the hard rules conflict"),
            "paid_staff_hours": config.NumberColumn("Paid staff-hours", format="%.1f"),
            "required_staff_hours": config.NumberColumn("Required staff-hours", format="%.0f",
                                                        help="no schedule can pay less"),
            "excess_staff_hours": config.NumberColumn("Above the requirement", format="%.1f"),
            "uncovered_staff_hours": config.NumberColumn("Uncovered staff-hours", format="%.1f"),
            "wage_cost": config.NumberColumn("Wage cost", format="localized"),
            "solve_seconds": config.NumberColumn("Seconds", format="%.2f"),
        },
    )


def _downloads(run: data.ScheduleRun, store_id: str) -> None:
    scheduled = [store for store in run.store_ids if store not in run.without_schedule]
    if not scheduled:
        return
    st.subheader("Downloads")
    which = ONE_STORE if store_id in scheduled else ALL_STORES
    if len(scheduled) > 1 and store_id in scheduled:
        which = st.radio("Stores", [ONE_STORE, ALL_STORES], horizontal=True, key=state.SCHEDULE_DOWNLOAD_SCOPE,
                         format_func=lambda s: f"{tables.as_text(store_id)} only" if s == ONE_STORE else
                         f"all {len(scheduled)} stores with a schedule")
    ids = [store_id] if which == ONE_STORE else None
    suffix = tables.file_part(store_id) if which == ONE_STORE else "all"
    shifts_column, coverage_column = st.columns(2)
    shifts_column.download_button(
        "Shifts (CSV)", data=tables.csv_text(tables.for_stores(run.shifts, ids)), file_name=f"shifts_{suffix}.csv",
        mime="text/csv", key=state.SHIFTS_DOWNLOAD, on_click="ignore", icon=":material/download:",
        help="store_id, weekday (0 = Monday), start, end, break_start, staff",
    )
    coverage_column.download_button(
        "Coverage (CSV)", data=tables.csv_text(tables.for_stores(run.coverage, ids)),
        file_name=f"coverage_{suffix}.csv", mime="text/csv", key=state.COVERAGE_DOWNLOAD, on_click="ignore",
        icon=":material/download:",
        help="store_id, weekday (0 = Monday), hour, required_staff, scheduled_staff, under, over",
    )


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
