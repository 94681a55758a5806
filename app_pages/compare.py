"""Compare stores: a regional lead's view of the stores side by side, at the targets in force (Settings page, and
each store's own overrides): staff per hour and the gap to the staff on duty as heatmaps, weekly KPIs per store and
per region, and where each store stands.

Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

import streamlit as st

from app_pages import data, state, tables, widgets
from planner import charts, compare
from planner.access.scope import COMPARE, Scope
from planner.hours import DAY_NAMES, WEEKDAY_NAMES
from planner.schemas import StoreSchema as S
from planner.surfaces import compare as compare_words
from planner.words import IN_CURRENCY, MONEY_FORMAT, SIGNED_MONEY_FORMAT, counted, first_named, number_text

NAMED_AT_MOST = 12  # stores named in a sentence, the rest counted ("and 3 more")
WEEK_MEAN = "week"  # the day choice for the mean over the week (the others are weekdays 0-6)


def render_page() -> None:
    st.title("Compare stores")
    scope = state.current_scope()
    if not scope.may(COMPARE):
        st.info("Comparing stores is for regional leads and planners: your own store's numbers are on My store.",
                icon=":material/lock:")
        return
    if widgets.store_names_or_upload_hint(scope) is None:
        return
    stores = data.stores(scope)
    chosen = data.settings()
    all_regions = sorted(stores[S.region].unique())
    regions = widgets.remembered(st.pills, "Regions", all_regions, key=state.COMPARE_REGIONS, default=all_regions,
                                 selection_mode="multi", help="None picked: every region", format_func=tables.as_text)
    days = [WEEK_MEAN, *range(len(WEEKDAY_NAMES))]
    day = widgets.remembered(st.segmented_control, "Day", days, key=state.COMPARE_WEEKDAY, default=WEEK_MEAN,
                             required=True, format_func=lambda d: "Week (mean)" if d == WEEK_MEAN else WEEKDAY_NAMES[d])
    weekday = None if day == WEEK_MEAN else day
    per_visitors = widgets.remembered(st.toggle, "Staff per 100 visitors", key=state.COMPARE_PER_VISITORS,
                                      default=False,
                                      help="Recommended staff for every 100 visitors in the hour, instead of staff")
    shown = regions or all_regions  # none picked means every region, as the help says

    listed, left_out = data.compared_stores(scope, shown)
    for reason in left_out.values():  # as `recommend --all` says them: a store is never dropped unseen
        st.warning(f"Left out: {tables.as_text(reason)}", icon=":material/block:")
    if listed.empty:
        picked = "" if set(shown) == set(all_regions) else " of the regions picked"
        st.info(f"Every store{picked} was left out ({counted(len(left_out), 'store')}), so there is nothing to "
                "compare: each is named above with why. Import a corrected store file on the Upload page.")
        _plan_vs_actual(data.region_stores(scope, shown)[S.store_id].tolist(), scope)
        return
    grid = data.staff_heatmap(chosen, scope, shown, weekday)
    kpis = data.store_kpis(chosen, scope, shown, weekday)
    day_name = None if weekday is None else DAY_NAMES[weekday]
    # which store needs what, in words, before the heatmaps and tables that show it
    st.markdown(tables.as_text(compare_words.who_needs_what(compare.neediest(kpis, grid), day_name)))
    day_text = "mean over the open days of the week" if weekday is None else WEEKDAY_NAMES[weekday]
    if per_visitors:
        figure = charts.store_heatmap_figure(grid, "staff_per_100_visitors",
                                             f"Recommended staff per 100 visitors, {day_text}", stores=listed,
                                             colorscale="Oranges")
    else:
        figure = charts.store_heatmap_figure(grid, "required_staff", f"Recommended staff, {day_text}", stores=listed)
    st.plotly_chart(figure)
    st.plotly_chart(charts.store_heatmap_figure(
        grid, "staff_gap", f"Recommended minus on duty when counted, {day_text}", stores=listed, diverging=True,
        subtitle="red: fewer on duty than recommended · blue: more · blank: closed, never counted or staff not known"))

    st.subheader(compare_words.stores_heading(day_name))
    st.caption(compare_words.tables_caption(day_name, IN_CURRENCY))
    measures = widgets.remembered(st.segmented_control, "Measures", list(MEASURES), key=state.COMPARE_MEASURES,
                                  default=next(iter(MEASURES)), required=True,
                                  help="The tables show one group of measures at a time, so that they fit the "
                                       "screen; the downloads under them hold every measure")
    regions_table = compare.region_totals(kpis)
    column_help = {**compare.kpi_columns(weekday), **COLUMN_HELP}
    _table(kpis, STORE_KEYS, MEASURES[measures], column_help, day_name)
    uncounted = compare.stores_without_estimate(kpis, closed_apart=weekday is not None)
    if uncounted:  # "Needed 0, Gap +0, Lost 0" read as measured and fine
        st.caption(compare_words.without_estimate(tables.as_text(first_named(uncounted, NAMED_AT_MOST)),
                                                  len(uncounted), day_name))
    closed = compare.stores_closed(kpis) if day_name else []
    if closed:
        st.caption(compare_words.closed(tables.as_text(first_named(closed, NAMED_AT_MOST)), len(closed), day_name))
    st.subheader(compare_words.regions_heading(day_name))
    _table(regions_table, REGION_KEYS, [column for column in MEASURES[measures] if column in regions_table],
           column_help, day_name)
    stores_file, regions_file = st.columns(2)
    stores_file.download_button(
        "Stores, every measure (CSV)", data=tables.csv_text(tables.file_shown(kpis, KPI_SHOWN)),
        file_name=compare_words.file_name("stores", day_name), mime="text/csv", key=state.COMPARE_STORES_DOWNLOAD,
        on_click="ignore", icon=":material/download:")
    regions_file.download_button(
        "Regions, every measure (CSV)", data=tables.csv_text(tables.file_shown(regions_table, REGION_SHOWN)),
        file_name=compare_words.file_name("regions", day_name), mime="text/csv", key=state.COMPARE_REGIONS_DOWNLOAD,
        on_click="ignore", icon=":material/download:")
    st.plotly_chart(charts.assisted_share_scatter_figure(kpis, compare_words.scatter_subtitle(day_name)))
    _plan_vs_actual(data.region_stores(scope, shown)[S.store_id].tolist(), scope)  # a left-out store's plans too


REVIEW_SHOWN = tables.review_columns("store_id", "iso_week", "counted_hours", "mape", "bias_share", "band_coverage",
                                     "hours_under_scheduled")
# the measures' help, as My store's day tables give it under the same names
REVIEW_HELP = {column: st.column_config.Column(help=tables.REVIEW_SHORT_LABELS[column][1])
               for column in REVIEW_SHOWN if column in tables.REVIEW_SHORT_LABELS and column != "counted_hours"}


def _plan_vs_actual(store_ids: list[str], scope: Scope) -> None:
    """Per store and week with a published plan and counts: forecast error, bias, band coverage, hours short."""
    st.subheader("Plan vs actual, per week")
    review = data.plan_review(scope)
    weeks = review.weeks[review.weeks["store_id"].isin(store_ids)]
    if weeks.empty:
        st.caption(review.nothing_to_review(store_ids, "these stores"))
        return
    for sentence in review.flags[review.flags["store_id"].isin(store_ids) & (review.flags["flag"] != "")]["sentence"]:
        st.warning(tables.as_text(sentence))
    widgets.labelled_table(weeks, REVIEW_SHOWN, width="stretch", column_config=REVIEW_HELP)


# hours are open hours, an hour open for part of it (opening 09:30) adding its part: 77.5 reads 77.5, where
# "{:,.0f}" rounded it to 78
_GAP_SHOWN = {  # the like-for-like pair and the gap first, shared by the store and the region files
    "needed_staff_hours_where_current_known": ("Needed (staff known)", "{:,.0f}"),
    "current_staff_hours": ("On duty (same hours)", "{:,.0f}"),
    "staff_hours_gap": ("Gap (needed − on duty)", "{:+,.0f}"),
    "wage_cost_gap": ("Wage gap (same hours)", SIGNED_MONEY_FORMAT),
    "understaffed_hours": ("Hours short", number_text),
    "staff_hours_short": ("Short by (staff-hours)", "{:,.0f}"),
    "overstaffed_hours": ("Hours over", number_text),
    "staff_hours_over": ("Over by (staff-hours)", "{:,.0f}"),
    "current_known_hours": ("Hours with staff known", number_text),
    "needed_staff_hours": ("Needed (all open hours)", "{:,.0f}"),
    "needed_wage_cost": ("Wages needed (all open hours)", MONEY_FORMAT),
    "lost_customers_per_week": ("Customers lost", "{:,.0f}"),
}
# no "wages now" beside "wages needed": the staff on duty is known in fewer hours than the plan covers, so the pair
# read as a gap over unlike hours (S01 of the sample: half as much again as the real one); the wage gap is priced
# over the same hours as the staff-hours gap
KPI_SHOWN = {  # column -> (label, display format): every measure of a store, as the stores' CSV writes them
    S.store_id: ("Store", None),
    S.name: ("Name", None),
    S.region: ("Region", None),
    **_GAP_SHOWN,
    "weekly_visitors": ("Visitors", "{:,.0f}"),
    "assisted_share": ("Want help", "{:.0%}"),
    "needed_staff_hours_per_1000_visitors": ("Staff-hours per 1,000 visitors", "{:,.0f}"),
    "open_hours": ("Open hours", number_text),
    "counted_hours": ("Counted hours", "{:,.0f}"),
    "low_confidence_share": ("Low-confidence hours", "{:.0%}"),
    "help_seekers_interval_width": ("Help-seekers' 90% range / estimate", "{:.0%}"),
    "hours_without_estimate": ("Hours with no estimate", number_text),
}
# every measure of a region, as the regions' CSV writes them
REGION_SHOWN = {S.region: ("Region", None), "stores": ("Stores", "{:,.0f}"),
                "open_hours": ("Open hours", number_text), **_GAP_SHOWN,
                **{column: KPI_SHOWN[column] for column in ("counted_hours", "hours_without_estimate")}}
SHORT = {  # column -> (short header, width in px): with all 19 columns the store table needed 2,340 px of 672
    "needed_staff_hours_where_current_known": ("Needed", 68),
    "current_staff_hours": ("On duty", 68),
    "staff_hours_gap": ("Gap", 64),
    "wage_cost_gap": ("Wage gap", 80),
    "lost_customers_per_week": (compare_words.LOST_PER_WEEK, 68),  # on a weekday, `compare_words.lost_header`'s
    "open_hours": ("Open (h)", 68),
    "current_known_hours": ("Known (h)", 76),
    "understaffed_hours": ("Short (h)", 72),
    "staff_hours_short": ("Short by", 68),
    "overstaffed_hours": ("Over (h)", 68),
    "staff_hours_over": ("Over by", 64),
    "needed_staff_hours": ("Needed (all)", 90),
    "needed_wage_cost": ("Wages (all)", 86),
    "weekly_visitors": ("Visitors", 72),
    "assisted_share": ("Want help", 78),
    "needed_staff_hours_per_1000_visitors": ("Per 1,000", 72),
    "counted_hours": ("Counted (h)", 88),
    "low_confidence_share": ("Low conf.", 80),
    "help_seekers_interval_width": ("Range ±", 72),
    "hours_without_estimate": ("No estimate (h)", 108),
}
MEASURES = {  # a few measures at a time, so that a table of 8 to 50 stores, one a row, fits a 1024 px window
    "Gap, like for like": ["needed_staff_hours_where_current_known", "current_staff_hours", "staff_hours_gap",
                           "wage_cost_gap", "lost_customers_per_week"],
    "Hours short and over": ["open_hours", "current_known_hours", "understaffed_hours", "staff_hours_short",
                             "overstaffed_hours", "staff_hours_over"],
    "Cost and demand": ["needed_staff_hours", "needed_wage_cost", "weekly_visitors", "assisted_share",
                        "needed_staff_hours_per_1000_visitors"],
    # which stores' figures rest on few counts: where a gap above may be the estimate's, not the floor's
    "How well counted": ["counted_hours", "low_confidence_share", "help_seekers_interval_width",
                         "hours_without_estimate"],
}
# the store table's first column: the store's id and name in one ("S01 Berlin Mitte Electronics"), as the heatmaps
# label their rows; apart, the id, the name and their paddings took the width a long id needs
STORE = "store"
STORE_KEYS = [STORE, S.region]
REGION_KEYS = [S.region, "stores"]
COLUMN_HELP = {"stores": "stores in the region", STORE: "the store's id and name"}  # beside the KPIs'
KEY_WIDTHS = {S.region: 72, "stores": 64}


def _table(frame, keys: list[str], measures: list[str], column_help: dict[str, str], day: str | None) -> None:
    """`keys` then `measures` of `frame` under their short headers, each header's help giving the column's full
    name and meaning (`column_help`: for the week or the day shown), in widths that add up to the table's width at
    1024 px: the store takes what is left."""
    every = {**KPI_SHOWN, **REGION_SHOWN, STORE: ("Store", None)}
    widths = {column: SHORT[column][1] for column in measures} | KEY_WIDTHS
    if STORE in keys:
        frame = frame.assign(**{STORE: tables.store_and_name(frame)})
        widths[STORE] = tables.TABLE_PX_AT_1024 - sum(widths[column] for column in keys + measures if column != STORE)
    shown = {column: (SHORT.get(column, every[column])[0], every[column][1]) for column in keys + measures}
    if "lost_customers_per_week" in shown:  # customers a week, or on the day picked
        shown["lost_customers_per_week"] = (compare_words.lost_header(day), shown["lost_customers_per_week"][1])
    wrapped = tables.wrapped_rows(frame[STORE], widths[STORE], len(frame)) if STORE in keys else {}
    widgets.labelled_table(frame, shown, **wrapped, column_config={  # a long store name wraps, not cut
        column: st.column_config.Column(
            help=f"{every[column][0]}: {column_help.get(column, 'the sum over the region’s stores')}"
            if column in SHORT else column_help.get(column), width=widths[column])
        for column in shown
    })


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
