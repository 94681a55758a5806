"""My store: a store manager's day, hour by hour: the staff recommended (with its likely range), the staff on duty
when counted and, once a schedule exists, the staff scheduled; the mix of customers; the service to expect; why;
and what-if targets that recompute at once.

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import data, state, tables, widgets
from planner import charts, clock, staleness
from planner.calendar import IsoWeek, business_day_rows, first_open_weekday
from planner.access.scope import PLAN, Scope
from planner.export import manager_recommendation_csv, recommendation_csv, targets_text
from planner.hours import DAY_NAMES, WEEKDAY_NAMES
from planner.schemas import StoreSchema as S
from planner.surfaces import plan_vs_actual
from planner.surfaces.my_store import (
    COSTS_CAPTION, COUNT_NEXT_CAPTION, COUNT_NEXT_RANKED, COUNTS_COLUMN_HELP, HOURS_WITHOUT_ESTIMATE, MAX_COLUMN_HELP,
    MISSED_MARKS, NO_COUNTS_YET, PLAN_VS_ACTUAL_STAFF_CAPTION, PUBLISHED_PLAN_LINK, SCHEDULE_FOR_A_LOOK,
    SCHEDULED_FROM_CAPTION, above_max_caption, bias_next_step, downloads_made_with, hourly_table_caption,
    missed_marks_caption, next_published_link, no_plan_this_week, on_average, own_targets_caption,
    published_plan_drawn, scheduled_from,
)
from planner.targets import SETTING, STORE_FILE, TARGET_NAMES, target_info
from planner.words import IN_CURRENCY, counted, money, number_text

SCHEDULE_PAGE = "app_pages/schedule.py"
PLANS_PAGE = "app_pages/plans.py"
TARGET_LABELS = {name: target_info(name).label for name in TARGET_NAMES}
TARGET_HELP = {name: target_info(name).meaning for name in TARGET_NAMES}
# a typed what-if names its unit, as the Settings page does ("Target wait 60" read as seconds or minutes alike); the
# sliders show theirs (80%), and the fewest staff are counted in staff
CONTROL_LABELS = {name: f"{label} ({target_info(name).unit})" if target_info(name).unit in ("seconds", "minutes")
                  else label for name, label in TARGET_LABELS.items()}
# the sources of a patience note in a manager's words ("Patience: setting." said nothing to one)
PATIENCE_SOURCES = {SETTING: "the Settings page's value", STORE_FILE: "the store file's value"}


def render_page() -> None:
    st.title("My store")
    scope = state.current_scope()
    names = widgets.store_names_or_upload_hint(scope)
    if names is None:
        return
    store_id = widgets.remembered(st.selectbox, "Store", list(names), key=state.MY_STORE, default=next(iter(names)),
                                  format_func=widgets.store_label(names), on_change=_forget_what_ifs)
    stores = data.stores(scope)
    # today's weekday (the planner's clock), else the next the store opens; a day the user picked is kept
    weekday = widgets.remembered(st.segmented_control, "Day", list(range(len(WEEKDAY_NAMES))), key=state.MY_WEEKDAY,
                                 default=first_open_weekday(stores, store_id, clock.today()), required=True,
                                 format_func=lambda d: WEEKDAY_NAMES[d])

    values = _what_if_controls(store_id, scope)
    recommendation = data.store_recommendation(store_id, values, scope)
    _what_if_note(store_id, values, scope)
    store = stores.set_index(S.store_id).loc[store_id]
    max_staff = None if pd.isna(store[S.max_staff]) else int(store[S.max_staff])
    _weekly_total(recommendation, store_id, scope)

    # the day as the store opens it: Friday 10:00-01:00 ends with Friday's 00:00+1, not Saturday's first bar
    day = business_day_rows(recommendation, stores, store_id, weekday)
    if day.empty:
        st.info(tables.closed_day(store_id, DAY_NAMES[weekday]), icon=":material/door_front:")
    else:
        _day(day, stores, store_id, weekday, max_staff, values, scope)
    _downloads(recommendation, store_id, values, max_staff, scope)
    _count_next_panel(store_id, scope)
    _plan_vs_actual(store_id, scope)


# One table of eleven columns still hid Below required, Hours and Plan behind a sideways scroll at 1024 px. Two
# tables, one per question a manager asks of a day: did the customers come as planned (the forecast, with the hours
# counted and the plan it is held against), and was the floor staffed as planned (the service and the staff on
# duty). Each reads whole at 1024 px under the short labels, their meaning in full in the header's help.
PLAN_VS_ACTUAL_FORECAST_SHOWN, PLAN_VS_ACTUAL_FORECAST_HELP = tables.short_review_columns(
    "date", "help_seekers", "forecast_help_seekers", "bias_share", "mape", "band_coverage", "counted_hours", "plan_id")
PLAN_VS_ACTUAL_STAFF_SHOWN, PLAN_VS_ACTUAL_STAFF_HELP = tables.short_review_columns(
    "date", "hours_below_target_service", "hours_under_scheduled", "hours_under_required", "counted_hours")


def _plan_vs_actual(store_id: str, scope: Scope) -> None:
    """The store's published plans against the counts for their dates, per day, and the judgement."""
    st.subheader("Plan vs actual")
    review = data.plan_review(scope)
    days = review.days[review.days["store_id"] == store_id]
    # a day counted before its week's first plan was published is held against none: said, not tabled
    unplanned = " ".join(review.unplanned_sentences(store_id))
    if days.empty:
        st.caption(review.nothing_to_review([store_id], "this store"))
        if unplanned:
            st.caption(tables.as_text(unplanned))
        return
    flagged = review.flags.set_index("store_id")["flag"].get(store_id, "")
    # a persistent bias, judged on enough hours, says what to do about it beside the judgement
    said = " ".join(filter(None, (review.sentence(store_id), bias_next_step(review.flag(store_id)))))
    (st.warning if flagged else st.caption)(tables.as_text(said))
    days = days.assign(date=days["date"].dt.strftime("%a %d %b %Y"))
    st.markdown("**Customers: counted against planned**")
    _review_table(days, PLAN_VS_ACTUAL_FORECAST_SHOWN, PLAN_VS_ACTUAL_FORECAST_HELP)
    st.caption(plan_vs_actual.forecast_caption())
    if unplanned:
        st.caption(tables.as_text(unplanned))
    st.markdown("**Staff on the floor: hours short of the plan**")
    _review_table(days, PLAN_VS_ACTUAL_STAFF_SHOWN, PLAN_VS_ACTUAL_STAFF_HELP)
    st.caption(PLAN_VS_ACTUAL_STAFF_CAPTION)


def _review_table(days, shown, help_texts) -> None:
    widgets.labelled_table(days, shown, column_config={column: st.column_config.Column(help=text)
                                                       for column, text in help_texts.items()})


def _day(recommendation, stores, store_id: str, weekday: int, max_staff: int | None,
         targets: dict[str, float | int], scope: Scope) -> None:
    """`recommendation`: the store's rows of the day's opening (`business_day_rows`), planned with `targets`."""
    run = data.last_schedule(scope)
    has_schedule = run is not None and store_id in run.store_ids and store_id not in run.without_schedule
    changed = data.schedule_changes(run) if has_schedule else []
    scheduled = business_day_rows(run.coverage, stores, store_id, weekday) if has_schedule and not changed else None
    # no schedule of the session: the plan published for the day of this week, which the store works to
    published = None if has_schedule else data.published_day(store_id, weekday, scope)
    if published is not None:
        scheduled = published.coverage
    st.plotly_chart(charts.staff_by_hour_figure(
        recommendation, store_id, weekday, scheduled, max_staff,
        scheduled_from(None if published is None else published.plan_id)))
    _never_counted_note(tables.never_counted_hours(recommendation, store_id, weekday), weekday)
    if changed:
        st.warning(f"{staleness.made_before_sentence(changed)} Its scheduled staff are not drawn under the new bars.",
                   icon=":material/update:")
        st.page_link(SCHEDULE_PAGE, label="Make the schedule again", icon=":material/calendar_month:")
    elif published is not None:
        st.caption(tables.as_text(published_plan_drawn(published.plan_id, published.iso_week,
                                                       f"{published.day:%a %d %b}")))
        st.page_link(PLANS_PAGE, label=PUBLISHED_PLAN_LINK, icon=":material/event_available:",
                     query_params={state.PLANS_OPEN: str(published.plan_id)})  # opened on it, as the caption says
    else:
        _schedule_note(scheduled is not None, store_id, scope)
    st.plotly_chart(charts.traffic_mix_figure(recommendation, store_id, weekday))

    st.subheader(f"What to expect each hour on {DAY_NAMES[weekday]}")
    table = tables.hourly_table(recommendation, store_id, weekday, max_staff,
                                business_day_rows(data.cell_summary(scope), stores, store_id, weekday))
    marks = tables.missed_on_average(table, targets)
    explained = missed_marks_caption(data.settings(), marks)  # only the marks the day shows
    st.caption(hourly_table_caption(explained))
    _hourly_table(table, marks)
    above = tables.hours_above_max(table)
    if above and max_staff is not None:
        st.caption(above_max_caption(above, max_staff))

    with st.expander("Why these numbers, hour by hour", expanded=True):
        st.markdown("\n".join(f"- **{hour}** {tables.as_text(sentence)}"
                              for hour, sentence in tables.explanations(recommendation, store_id, weekday)))


def _weekly_total(recommendation, store_id: str, scope: Scope) -> None:
    week = tables.weekly_total(recommendation, data.stores(scope), store_id)
    hours, cost, gaps = st.columns(3)
    hours.metric("Staff-hours this week", f"{week['needed_staff_hours']:,.0f}",
                 help="Recommended staff summed over every open hour of the week, what-ifs applied; an hour open for "
                      "part of it (opening at 09:30) by the minutes it is open, as the store's plan counts it.")
    cost.metric("Wage cost this week", money(week["needed_wage_cost"]),
                help=f"Those staff-hours at the store file's wage per hour, {IN_CURRENCY}.")
    gaps.metric(HOURS_WITHOUT_ESTIMATE, number_text(week["hours_without_estimate"]),
                help=f"Open hours without a recommendation, of {counted(week['open_hours'], 'open hour')}: never "
                     "counted, nothing near; left out of both sums.")
    st.caption(COSTS_CAPTION)


def _downloads(recommendation, store_id: str, values: dict[str, float | int], max_staff: int | None,
               scope: Scope) -> None:
    made_with = targets_text(values, data.settings().targets.max_occupancy)
    st.caption(downloads_made_with(tables.as_text(made_with)))
    simple, full = st.columns(2)
    stores = data.stores(scope)  # read now: a file is built when its button is pressed, outside the page's run
    simple.download_button(  # each file built on its press: built on every rerun, they were a sixth of the page's
        "Hour by hour for the store (CSV)",
        data=lambda: manager_recommendation_csv(recommendation, stores, made_with, max_staff),
        file_name=f"staff_per_hour_{tables.file_part(store_id)}.csv",
        mime="text/csv",
        key=state.MY_STORE_MANAGER_DOWNLOAD,
        on_click="ignore",
        icon=":material/download:",
        help="Day, hour, minutes of it open (30 for 09:00 of a 09:30 opening), recommended staff, likely range, share "
             "approached in time (%) and why, whole week.",
    )
    full.download_button(
        "Every figure behind it (CSV)",
        data=lambda: recommendation_csv(recommendation, {store_id: max_staff}),
        file_name=f"recommendation_{tables.file_part(store_id)}.csv",
        mime="text/csv",
        key=state.MY_STORE_DOWNLOAD,
        on_click="ignore",
        icon=":material/table_view:",
        help="One row per weekday (0 = Monday) and open hour, every column of the recommendation, what-ifs applied; "
             "shares in percent, as the page shows them, under headers ending (%).",
    )


def _count_next_panel(store_id: str, scope: Scope) -> None:
    """The count advice, numbered best first: a ranking reads as one (bullets hid the order)."""
    st.subheader("Where to count next")
    with data.errors_shown():
        advice = data.count_advice(store_id, scope)
        if not advice:
            st.info(NO_COUNTS_YET, icon=":material/edit_note:")
            return
        st.markdown(COUNT_NEXT_RANKED["reach"])  # the ranking `data.count_advice` asks for (the default)
        st.markdown("\n".join(f"{rank}. {tables.as_text(sentence)}" for rank, sentence in enumerate(advice, 1)))
        st.caption(COUNT_NEXT_CAPTION)


def _what_if_controls(store_id: str, scope: Scope) -> dict[str, float | int]:
    """Five target controls, starting at the store's own targets, or at the what-ifs the user left them at when they
    last went to another page (as Schedule and Roster keep theirs); returns their values."""
    own = data.store_targets(store_id, scope)
    level, share = own["target_service_level"], own["max_abandon_share"]
    most = data.stores(scope).set_index(S.store_id)[S.max_staff].get(store_id)  # 20 drew bars above a max of 12
    top = max(50 if pd.isna(most) else int(most), own["min_staff"])
    with st.container(border=True):
        st.markdown("**What if…** change a target and the charts below follow. The controls start at this store's "
                    "targets; they apply to this page only, and stay as you leave them until you pick another store or "
                    "reset them.")
        columns = st.columns(5)
        _control(columns[0].slider, "target_service_level", own, (min(0.5, level), max(0.99, level)), step=0.01,
                 format="percent")
        # the typed targets take any value the settings allow (a 15-minute wait, a 90-minute patience); the sliders
        # keep a span a thumb can move through in whole percents
        _control(columns[1].number_input, "target_wait_seconds", own, _allowed("target_wait_seconds"), step=10.0,
                 format="%.0f")
        _control(columns[2].number_input, "patience_minutes", own, _allowed("patience_minutes"), step=0.5,
                 format="%.1f")
        _control(columns[3].slider, "max_abandon_share", own, (min(0.01, share), max(0.5, share)), step=0.01,
                 format="percent")
        _control(columns[4].number_input, "min_staff", own, (0, top), step=1, help=TARGET_HELP["min_staff"] + (
            "" if pd.isna(most) else f" At most the store's maximum, {int(most)}."))
    values = {name: st.session_state[key] for name, key in state.WHATIF.items()}
    # only a value moved off the store's target is kept for the next visit: one left at it follows the target when
    # the Settings page changes it, instead of coming back as a what-if nobody made
    for name, key in state.WHATIF.items():
        if values[name] == own[name]:
            st.session_state.pop(widgets.KEPT_PREFIX + key, None)
    return values


def _allowed(name: str) -> tuple[float, float]:
    """The range the settings allow target `name` (its field's metadata), as the control's bounds."""
    info = target_info(name)
    return float(info.low), float(info.high)


def _control(widget, name: str, own: dict[str, float | int], bounds: tuple[float, float], **options) -> None:
    """One what-if control for the target `name`, between `bounds`, started at the store's own target unless the
    user left a what-if in it."""
    low, high = bounds
    widgets.remembered(widget, CONTROL_LABELS[name], key=state.WHATIF[name], default=own[name], within=bounds,
                       min_value=low, max_value=high, **{"help": TARGET_HELP[name], **options})


def _what_if_note(store_id: str, values: dict[str, float | int], scope: Scope) -> None:
    own = data.store_targets(store_id, scope)
    forced = data.what_if(store_id, values, scope)
    if not forced:
        patience = _patience_words(data.patience_note(store_id, scope))
        st.caption(own_targets_caption(tables.as_text(store_id), tables.as_text(patience)))
        return
    changes = ", ".join(f"{TARGET_LABELS[name].lower()} {_shown(name, values[name])} (store: {_shown(name, own[name])})"
                        for name in forced)
    note, reset = st.columns([3, 1], vertical_alignment="center")
    note.info(f"What-if: {changes}.", icon=":material/science:")
    # a short label: the column beside the note is about 170 px at 1024 px, where "Back to the store's targets"
    # was cut to "Back to the stor…"
    reset.button("Reset what-ifs", icon=":material/undo:", key=state.WHATIF_RESET, on_click=_forget_what_ifs,
                 help=f"Back to {tables.as_text(store_id)}'s own targets")


def _never_counted_note(hours: list[str], weekday: int) -> None:
    if hours:
        st.warning(f"Never counted on {WEEKDAY_NAMES[weekday]} at {', '.join(hours)}, nor near it: no recommendation "
                   "for these hours yet. Count them and upload the counts.", icon=":material/edit_note:")


def _schedule_note(has_schedule: bool, store_id: str, scope: Scope) -> None:
    """Under the chart: where its scheduled staff come from, or, with none drawn, the weeks whose plans are published
    (the soonest linked) and, for a role that may make one, how to draw a schedule's."""
    if has_schedule:
        st.caption(SCHEDULED_FROM_CAPTION)
        return
    ahead = data.published_weeks_ahead(store_id, scope)
    st.caption(tables.as_text(no_plan_this_week(store_id, str(IsoWeek.of(clock.today())), ahead)))
    if ahead:
        week, plan_id = ahead[0]
        st.page_link(PLANS_PAGE, label=next_published_link(plan_id, week),  # a week and a number: no markdown
                     icon=":material/event_available:", query_params={state.PLANS_OPEN: str(plan_id)})
    if scope.may(PLAN):
        st.page_link(SCHEDULE_PAGE, label=SCHEDULE_FOR_A_LOOK, icon=":material/calendar_month:")


AVERAGED = "averaged over the hour's likely demand (what the counts cannot tell)"


# Short headers, each in full in its help, and widths that add up to 664 px: under the long headers ("Approached in
# time", "On duty when counted", "Lost per hour now") and ranges reading "13 to 17 (above the store's max)" the table
# needed 946 px and hid its last two columns at 1024 px, where the content is 674 px wide. Wider, the columns share
# what is left.
HOURLY_CONFIG = {
    tables.HOUR_LABEL: st.column_config.TextColumn("Hour", width=70),  # "00:00+1"
    "required_staff": st.column_config.NumberColumn("Staff", width=52, help="recommended staff on the floor"),
    tables.LIKELY_RANGE: st.column_config.TextColumn(
        "Range", width=62,
        help="likely range: the recommendation if demand is at the low or the high end of its likely range"),
    tables.MAX_STAFF_NOTE: st.column_config.TextColumn("Max", width=76, help=MAX_COLUMN_HELP),
    # "Confidence: high" beside a range of 8-12 read as a contradiction: the column rates the counts the hour's
    # estimate rests on, not how narrow its range is, and its name and help now say so
    "confidence": st.column_config.TextColumn(
        "Counts", width=86, help=COUNTS_COLUMN_HELP),
    "expected_wait_seconds": st.column_config.NumberColumn(
        "Wait", width=52, help=f"mean wait of customers wanting help, in seconds, {AVERAGED}"),
    "current_staff": st.column_config.NumberColumn(
        "On duty", width=66,
        help="on duty when counted: the mean staff on the floor in the counted hours (–: never given)"),
    "lost_customers_per_hour_at_current": st.column_config.NumberColumn(
        "Lost now", width=74,
        help="lost per hour now: customers who wanted help and gave up waiting, per hour, at the staff on duty when "
             "counted (–: staff never given)"),
}


def _marked_columns_config() -> dict:
    """The two columns a mark can sit in, their help saying why (the chances asked are the settings')."""
    why = on_average(data.settings())
    return {
        "expected_service_level": st.column_config.NumberColumn(
            "In time", width=62,
            help=f"approached in time: share of customers wanting help approached within the target wait, "
                 f"{AVERAGED}; {MISSED_MARKS['expected_service_level']}: below the target on average: {why}"),
        "expected_abandon_share": st.column_config.NumberColumn(
            "Give up", width=64, help=f"share of customers wanting help who give up, {AVERAGED}; "
                                      f"{MISSED_MARKS['expected_abandon_share']}: above the most allowed on "
                                      f"average: {why}"),
    }


def _hourly_table(table, marks) -> None:
    """The day's table; its Max column only where an hour's range or staff meets the store's maximum (blank in every
    row, it was a column with nothing to read)."""
    if not table[tables.MAX_STAFF_NOTE].astype(bool).any():
        table = table.drop(columns=tables.MAX_STAFF_NOTE)
    widgets.dataframe(
        table,
        marks=marks,
        formats={"required_staff": "{:.0f}", "expected_service_level": "{:.0%}", "expected_wait_seconds": "{:.0f} s",
                 "expected_abandon_share": "{:.1%}", "current_staff": "{:.1f}",
                 "lost_customers_per_hour_at_current": "{:.1f}"},
        width="stretch",
        height="content",  # every open hour: at Streamlit's ten rows, a day open to 01:00 seemed to end at 19:00
        column_config={**HOURLY_CONFIG, **_marked_columns_config()},
    )


def _shown(name: str, value: float | int) -> str:
    unit = target_info(name).unit
    if unit == "share":
        return f"{value:.0%}"
    if unit == "seconds":
        return f"{value:.0f} s"
    if unit == "minutes":
        return f"{value:g} min"
    return f"{value}"


def _patience_words(note: str) -> str:
    """`note` ("setting", "setting (the counts cannot tell how long …)", "estimated from counts: …", "the counts
    show …") with its source, if it starts with one of `PATIENCE_SOURCES`, in words."""
    for source, words in PATIENCE_SOURCES.items():
        if note == source or note.startswith(source + " "):
            return words + note[len(source):]
    return note


def _forget_what_ifs() -> None:
    """Back to the store's targets: another store, or the reset button."""
    for key in state.WHATIF.values():
        st.session_state.pop(key, None)
        st.session_state.pop(widgets.KEPT_PREFIX + key, None)


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
