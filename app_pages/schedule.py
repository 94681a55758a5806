"""Schedule: a planner turns the recommended staff into shifts for chosen stores and rules, watches the optimiser's
progress, reads the shifts and the coverage they give, sees which hours stay uncovered and why, and downloads both.

The optimiser runs one store after another inside the app server (no Dask cluster here); the last run is kept for
the session, so My store can draw its scheduled staff.

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

import streamlit as st

from app_pages import data, simulation_view, state, tables, widgets
from planner import charts, staleness
from planner.calendar import business_day_rows
from planner.access.scope import Scope
from planner.hours import DAY_NAMES, WEEKDAY_NAMES
from planner.settings import ShiftRules, field_info
from planner.shifts import coverage_table
from planner.words import counted, ended

SETTINGS_PAGE = "app_pages/settings.py"
PLANS_PAGE = "app_pages/plans.py"
LENGTHS, BUDGET, MIN_STAFF_COVER = (field_info(ShiftRules, name) for name in (
    "shift_lengths_hours", "weekly_budget_staff_hours", "min_staff_cover"))
SHIFT_LENGTH_CHOICES = list(range(int(LENGTHS.low), int(LENGTHS.high) + 1))
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
    # the Plans page makes and publishes; a published plan is held against the counts since on My store
    st.page_link(PLANS_PAGE, label="Plans for dated weeks: make and publish them on the Plans page (Plan vs actual on "
                                   "My store)",
                 icon=":material/event_available:")


def _run_form(names: dict[str, str], scope: Scope) -> None:
    chosen = data.settings()
    rules = chosen.shifts
    with st.container(border=True):
        picked = widgets.remembered(st.multiselect, "Stores", list(names), key=state.SCHEDULE_STORES,
                                    default=list(names)[:1], format_func=widgets.store_label(names))
        lengths_column, budget_column, coverage_column = st.columns([3, 2, 3])
        # each kept across pages, as the stores and the result are (the result said "within 300 h" beside a box
        # back at "no budget")
        lengths = widgets.remembered(
            lengths_column.multiselect, f"{LENGTHS.label} ({LENGTHS.unit}, break included)", SHIFT_LENGTH_CHOICES,
            key=state.SCHEDULE_LENGTHS,
            default=[length for length in rules.shift_lengths_hours if length in SHIFT_LENGTH_CHOICES])
        breaks = widgets.remembered(
            lengths_column.toggle, f"Unpaid {rules.break_minutes}-minute break in long shifts",
            key=state.SCHEDULE_BREAKS, default=data.breaks_on(chosen),
            help=f"In every shift longer than {rules.break_for_shifts_over_hours:g} h (Settings page).")
        budget = widgets.remembered(
            budget_column.number_input, f"{BUDGET.label} (paid {BUDGET.unit})", key=state.SCHEDULE_BUDGET,
            default=rules.weekly_budget_staff_hours, min_value=float(BUDGET.low), max_value=float(BUDGET.high),
            step=10.0, format="%.0f", placeholder="no budget",
            help="Leave empty for no budget. With a budget too small for the requirement, the hours left uncovered "
                 "are listed with the reason.")
        coverage = widgets.remembered(coverage_column.radio, "Coverage", list(COVERAGE_CHOICES),
                                      key=state.SCHEDULE_HARD, default=HARD if rules.hard_coverage else SOFT,
                                      format_func=COVERAGE_CHOICES.get)
        min_staff_cover = widgets.remembered(
            st.checkbox, MIN_STAFF_COVER.label, key=state.SCHEDULE_MIN_STAFF_COVER, default=rules.min_staff_cover,
            help=MIN_STAFF_COVER.meaning)
        clicked = st.button("Make schedule", type="primary", key=state.SCHEDULE_RUN, disabled=not picked,
                            help=None if picked else "Choose at least one store.")
    if clicked:
        rules_chosen = data.schedule_settings(lengths, breaks, budget, coverage == HARD, min_staff_cover)
        bar = st.progress(0.0, text=f"Scheduling {counted(len(picked), 'store')}…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Scheduled {done} of {counted(total, 'store')}")

        data.keep_schedule(data.run_schedule(rules_chosen, picked, scope, progress))
        bar.empty()


def _results(run: data.ScheduleRun, names: dict[str, str], current: bool) -> None:
    st.subheader("Result per store")
    widgets.schedule_summary(run.summary)
    for store_id in run.store_ids:
        if store_id in run.without_schedule:
            continue  # its statement is shown when the store is viewed below, and stands alone
        for sentence in run.sentences(store_id):
            st.warning(f"**{tables.as_text(store_id)}**: {tables.as_text(sentence)}", icon=":material/warning:")

    store_id = st.selectbox("Show store", list(run.store_ids), key=state.SCHEDULE_VIEW_STORE,
                                     format_func=widgets.store_label(names))
    if store_id in run.without_schedule:
        statement = "; ".join(run.sentences(store_id)) or run.status_text(store_id)
        st.error(f"**{tables.as_text(store_id)}**: {tables.as_text(ended(statement))} No schedule is shown for this store.",
                 icon=":material/block:")
        _downloads(run, store_id)
        return
    weekday = st.segmented_control(  # a row of its own: seven days fit at 1024 px only at full width
        "Day", list(range(len(WEEKDAY_NAMES))), default=0, required=True, key=state.SCHEDULE_VIEW_WEEKDAY,
        format_func=lambda d: WEEKDAY_NAMES[d],
    )
    # the day as the store opens it: a Friday open to 01:00 ends with its 00:00+1, not Saturday's first bar
    day = business_day_rows(run.coverage, data.stores(state.current_scope()), store_id, weekday)
    if day.empty:  # as My store and the Plans page say it, with no empty charts
        st.info(tables.closed_day(store_id, DAY_NAMES[weekday]), icon=":material/door_front:")
    else:
        st.plotly_chart(charts.shift_gantt_figure(run.shifts, day, store_id, weekday,
                                                  run.chosen.shifts.break_minutes))
        st.plotly_chart(charts.coverage_figure(day, store_id, weekday))
    simulation_view.simulation_section(run, store_id, weekday)

    st.subheader("Uncovered hours")
    uncovered = tables.uncovered_hours(run.coverage_by_opening, [store_id])
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
        "Coverage (CSV)", data=tables.csv_text(coverage_table(tables.for_stores(run.coverage_by_opening, ids))),
        file_name=f"coverage_{suffix}.csv", mime="text/csv", key=state.COVERAGE_DOWNLOAD, on_click="ignore",
        icon=":material/download:",
        help="store_id, weekday (0 = Monday; the opening's), hour (00:00+1 after its midnight), required_staff, "
             "scheduled_staff, under, over",
    )


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
