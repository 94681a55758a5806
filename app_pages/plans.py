"""Plans: a planner makes the plan of chosen stores for a dated ISO week, reads it (the optimiser's result, the
calendar's exceptions, each day's shifts and coverage), publishes it, and finds every saved plan with its history and
whether it is still what today's counts, store file, calendar and settings give, with a re-plan where it is not.

The work is `planner.saved_plans` (make, save, publish, re-plan, list with status) through `data`; a plan's document
is read once per plan id. Run by `app.py`'s router as a script; importing the module only defines its functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from app_pages import data, simulation_view, state, tables, widgets
from planner import charts, clock, saved_plans, staleness
from planner.access.scope import EDIT_SETTINGS, PUBLISH, Scope
from planner.calendar import IsoWeek
from planner.plans.export import one_day, opens_on, requirement_csv, shifts_csv
from planner.simulation.wording import figures_sentence
from planner.storage.versioned import DRAFT, PUBLISHED, SUPERSEDED
from planner.surfaces.fixes import in_current_words
from planner.replan_published import out_of_date_published
from planner.surfaces.plans import (HELD_AS_MADE, PLAN_AS_MADE, REPLAN_AS_DRAFT, REPLAN_AS_DRAFT_MAKES, REPLAN_MAKES,
                                    REPLAN_PUBLISHED_HELP, SET_ASIDE_SHOWN, ask_a_planner, capped_boxes, capped_day,
                                    capped_lead, plan_not_listed,
                                    plan_staff_moved, published_out_of_date, published_short, replan_as_draft_help,
                                    replan_published_button, replan_requirement, replanned_published,
                                    replanning_published, same_as_draft)
from planner.surfaces.work import checking_saved_plans, making_plans
from planner.words import agreeing, counted

# the tick that publishes an out-of-date draft as it is: the page's `plans publish --publish-anyway`
OUT_OF_DATE_TICK = "Publish it out of date"
STATUS_WORDS = {DRAFT: "draft (not published)", PUBLISHED: "published", SUPERSEDED: "superseded (history)"}
# what a plan made with settings that were not the chain's is, or would be, by its status ("published, it is" read
# as if a draft already were)
AT_SETTINGS_NEVER_CHOSEN = {
    DRAFT: "if published, it would be the plan its store works to that week at settings the chain never chose",
    PUBLISHED: "it is published: the plan its store works to that week at settings the chain never chose",
    SUPERSEDED: "it was the plan its store worked to that week at settings the chain never chose, until a newer plan "
                "was published",
}


def render_page() -> None:
    st.title("Plans")
    scope = state.current_scope()
    names = widgets.store_names_or_upload_hint(scope)
    if names is None:
        return
    st.write("A plan is for a real ISO week (Monday to Sunday), with the store calendar's closed days, changed hours "
             "and events, at the chain's saved settings (Settings page). It is saved per store and week as a draft; "
             "publishing makes it the plan its store works to that week, and the plan published there before is kept "
             "as history.")
    shown_next = st.session_state.pop(state.PLANS_NEXT, None)
    if shown_next:  # a make, publish or re-plan of the run before: show its plan, say what happened
        st.session_state[state.PLANS_VIEW] = shown_next[0]
    _open_asked_plan(names, scope)
    # made with the chain's saved settings, as `plan` makes them: made with the session's unsaved ones, a plan was
    # listed as made with settings the chain never chose, and published so
    widgets.unsaved_settings_note(data.unsaved_plan_changes(), "Plans made, published and re-planned here", "plan",
                                  "plan")
    _make_form(names, scope)
    # drawn on every run, empty but for the run after a make: without it every element below sat one place higher
    # in the next run, and while that run simulated (47 s) the browser showed the elements left where they stood
    # beside the new ones, "Dated shifts (CSV)" twice
    made = st.container()
    if shown_next:
        made.success(shown_next[1], icon=":material/check_circle:")
        for reason in shown_next[2]:  # as `plan` without --store says them: a store is never dropped unseen
            made.warning(f"Left out: {tables.as_text(reason)}", icon=":material/block:")
        if shown_next[3]:  # published short: said at the moment of publishing, not only in the list's Result
            made.warning(tables.as_text(shown_next[3]), icon=":material/warning:")
    picked = st.session_state.get(state.PLANS_STORES) or list(names)
    st.subheader("Saved plans")
    count = data.saved_plan_count(picked, scope)
    with st.spinner(checking_saved_plans(count)) if count else nullcontext():  # seconds a plan: said where they go
        listed = data.saved_plans(picked, scope)
    if listed.empty:
        st.info("No saved plans for these stores yet.")
        return
    st.caption("Newest first (drafts set aside by a newer published plan last), with every plan kept: drafts, the "
               "published plan of each store and week, and those it superseded. *Inputs* says whether the store's "
               "counts, store file row, calendar and settings are still those the plan was made from. Who published "
               "each plan and when: above the plan shown, and in the CSV.")
    _replan_out_of_date_published(listed, scope)
    table = tables.saved_plans_table(listed)
    config = tables.plan_column_config(table)
    widgets.dataframe(table, column_config=config, **tables.plan_rows(table, config))
    st.download_button(
        "Saved plans, every column (CSV)", data=lambda: tables.csv_text(tables.saved_plans_file(listed)),
        file_name="saved_plans.csv", mime="text/csv", key=state.PLANS_LIST_DOWNLOAD, on_click="ignore",
        icon=":material/download:",
        help="The plans listed, with who made and published each and when (UTC), and their inputs in a sentence.")
    _plan_view(listed, names, scope)


def _open_asked_plan(names: dict[str, str], scope: Scope) -> None:
    """Show the plan a link asked for (`state.PLANS_OPEN`, the Upload page's to the plans an import put out of date),
    once: the parameter is dropped, so the plan chosen next is not put back. Its store joins the remembered Stores
    pick: left out of it, the plan was not listed and another was shown, unsaid. A value that is no number is let go
    (`isdigit` passed "²", which `int` refuses)."""
    asked = st.query_params.get(state.PLANS_OPEN)
    if asked is None:
        return
    del st.query_params[state.PLANS_OPEN]
    if not asked.isdecimal():
        return
    plan_id = int(asked)
    store = data.plan_store(plan_id, scope)
    if store not in names:
        st.warning(plan_not_listed(plan_id), icon=":material/search_off:")
        return
    picked = st.session_state.get(state.PLANS_STORES, st.session_state.get(widgets.KEPT_PREFIX + state.PLANS_STORES))
    if picked is not None and store not in picked:
        st.session_state[state.PLANS_STORES] = [*picked, store]
    st.session_state[state.PLANS_VIEW] = plan_id


def _make_form(names: dict[str, str], scope: Scope) -> None:
    with st.container(border=True):
        picked = widgets.remembered(st.multiselect, "Stores", list(names), key=state.PLANS_STORES, default=list(names),
                                    format_func=widgets.store_label(names))
        week_column, dates_column = st.columns([2, 3], vertical_alignment="bottom")
        text = widgets.remembered(week_column.text_input, "ISO week", key=state.PLANS_WEEK,
                                  default=str(IsoWeek.of(clock.today() + timedelta(days=7))),
                                  help="Year-W and week number, e.g. 2026-W50.")
        week = _week_or_none(text)
        dates_column.caption(f"{week.monday:%a %d %b} to {week.dates()[-1]:%a %d %b %Y}" if week else
                             "Write the week as year-W and week number, e.g. 2026-W50.")
        begun = saved_plans.week_begun_note(str(week)) if week else ""
        if begun:
            st.warning(begun + ".", icon=":material/history:")
        # side by side: in two half-width columns they stood far apart
        buttons = st.container(horizontal=True)
        blocked = "Choose at least one store and an ISO week." if not picked or week is None else None
        make = buttons.button("Make plan", type="primary", key=state.PLANS_MAKE, disabled=bool(blocked),
                                  help=blocked or "Saved as drafts, one per store: read them, then publish.")
        may_publish = scope.may(PUBLISH)
        over = saved_plans.plan_weeks_over([str(week)]) if week else ""  # as `plan --publish` refuses it
        not_yours = "" if may_publish else f"{widgets.FOR_PLANNERS}: make the plan, then ask one to publish it."
        publish = buttons.button("Make and publish", key=state.PLANS_MAKE_PUBLISH,
                                        disabled=bool(blocked) or not may_publish or bool(over),
                                        help=blocked or over or not_yours or "Saved and published at once.")
        if over:  # nobody may publish it: asking a planner would not help
            st.caption(f"Cannot be published: {tables.as_text(over)}.")
        elif not_yours:  # said under the button, not in its hover only: greyed out, it read as broken
            st.caption(not_yours)
    if make or publish:
        # said from the press on: finding the stores to plan took seconds with nothing on the page
        with _progress(making_plans(str(week)), "store") as progress, data.errors_shown():
            # the stores planned, not those picked: one left out was counted in
            planned = data.stores_planned(picked, str(week), scope, publish=publish)
            progress.say(making_plans(str(week), len(planned)))
            # the plans each published plan replaces, named as `plans publish` names the one it kept as superseded
            before = [data.published_plan(store, str(week), scope) for store in picked] if publish else []
            made, left_out = data.make_plans(picked, str(week), scope, publish=publish, progress=progress)
            what = "Published" if publish else "Saved as draft"
            replaced = [p for p in before if p is not None and p.store_id in {m.store_id for m in made}]
            # the newest, at the top of the list (newest first): the first made was shown, further down
            same = {} if publish else data.same_drafts(made, scope)  # made again: a copy said as one
            _show_next(max(p.plan_id for p in made), f"{what}: " + ", ".join(
                f"plan {p.plan_id} ({tables.as_text(p.store_id)} {p.iso_week}"
                + (f", {same_as_draft(same[p.plan_id])})" if p.plan_id in same else ")") for p in made)
                + _kept_as_superseded(replaced), left_out.values(),
                published_short(data.short_plans(made)) if publish else "")


def _plan_view(listed, names: dict[str, str], scope: Scope) -> None:
    st.subheader("Plan")
    rows = {int(row.plan_id): row for row in listed.itertuples(index=False)}
    if st.session_state.get(state.PLANS_VIEW) not in rows:
        st.session_state[state.PLANS_VIEW] = next(iter(rows))
    plan_id = st.selectbox("Show plan", list(rows), key=state.PLANS_VIEW, format_func=lambda n: (
        f"plan {n}: {rows[n].store_id} {rows[n].iso_week}, {rows[n].status}, "
        f"{saved_plans.inputs_short(str(rows[n].out_of_date), bool(rows[n].week_over), int(rows[n].set_aside))}"))
    row = rows[plan_id]
    store, week = str(row.store_id), IsoWeek.parse(row.iso_week)
    published = "" if pd.isna(row.published_at) else \
        f", published {row.published_at:%Y-%m-%d %H:%M} UTC by {tables.as_text(row.published_by)}"
    st.markdown(f"**Plan {plan_id}**: {tables.as_text(widgets.store_label(names)(store))}, week {week} "
                f"({week.monday:%d %b} to {week.dates()[-1]:%d %b %Y}), {STATUS_WORDS.get(row.status, row.status)}; "
                f"made {row.created_at:%Y-%m-%d %H:%M} UTC by {tables.as_text(row.created_by)}{published}.")
    out_of_date = _status_and_actions(row, listed, scope)
    plan = data.plan_document(plan_id, scope)
    widgets.schedule_summary(plan.schedules, HELD_AS_MADE if out_of_date else "")
    # a plan saved before a sentence's wording changed: today's words. Spans above the store's max_staff in one box,
    # a line a day, after the result table: a store capped below its need all week stacked eleven boxes of them
    for box in capped_boxes([in_current_words(sentence) for sentence in plan.explanations["sentence"]]):
        st.warning(tables.as_text(box) if isinstance(box, str) else "\n".join(
            [tables.as_text(capped_lead(store, box.most)),
             *(f"- {tables.as_text(capped_day(day, spans))}" for day, spans in box.days)]),
                   icon=":material/warning:")
    if not plan.exceptions.empty:
        st.caption("Calendar: " + "; ".join(
            f"{row.date:%a %d %b} " + ("closed" if row.closed else f"open {row.hours}" if isinstance(row.hours, str)
                                       else "usual hours")
            + (f", customers x {row.demand_factor:g}" if row.demand_factor != 1 else "")
            + (f" ({tables.as_text(row.note)})" if row.note else "")
            for row in plan.exceptions.itertuples(index=False)))
    days = week.dates()
    weekday = st.segmented_control("Day", list(range(len(days))), default=0, required=True,
                                   key=state.PLANS_VIEW_DAY, format_func=lambda d: f"{days[d]:%a %d}")
    shifts, coverage = one_day(plan, store, days[weekday])
    if not opens_on(plan, store, days[weekday]):  # as My store says it, with no empty chart under "No shifts start"
        st.info(tables.closed_day(store, f"{days[weekday]:%A %d %b}"), icon=":material/door_front:")
    elif coverage.empty:  # open, but nothing required (a store with no counts yet): the chart had axes and no bars
        st.info(f"Nothing is scheduled on {days[weekday]:%A %d %b}: {tables.as_text(store)} has no recommendation for "
                "its hours that day (said above), so there is no requirement to chart.",
                icon=":material/event_busy:")
    else:
        st.plotly_chart(charts.shift_gantt_figure(shifts, coverage, store, weekday,
                                                  plan.request.settings.shifts.break_minutes))
        st.plotly_chart(charts.coverage_figure(coverage, store, weekday))
    shifts_column, requirement_column = st.columns(2)  # each file built on its press, not on every rerun
    shifts_column.download_button(
        "Dated shifts (CSV)", data=lambda: shifts_csv(plan), file_name=f"plan_{plan_id}_shifts.csv", mime="text/csv",
        key=state.PLANS_SHIFTS_DOWNLOAD, on_click="ignore", icon=":material/download:",
        help="store_id, iso_week, date, day, start, end, break_start, staff (an end after midnight reads 02:00+1)")
    requirement_column.download_button(
        "Requirement (CSV)", data=lambda: requirement_csv(plan), file_name=f"plan_{plan_id}_requirement.csv",
        mime="text/csv", key=state.PLANS_REQUIREMENT_DOWNLOAD, on_click="ignore", icon=":material/download:",
        help="store_id, iso_week, date, day, hour, required staff (what the shifts were built to cover, min_staff "
             "included), recommended staff with its range, help-seekers per hour, the date's demand factor, "
             "open_minutes; open_minutes is how much of the hour the store is open, in the schedule's half hours (30 "
             "for the 09:00 of an opening at 09:30), so required_staff x open_minutes / 60 summed is the plan's "
             "required staff-hours")
    _simulation(plan_id, store, weekday, days, scope, cheapest=plan.proven_cheapest)


def _simulation(plan_id: int, store: str, weekday: int, days: list[date], scope: Scope, cheapest: bool) -> None:
    """Simulate: the plan's shifts on its dates against the demand and targets it was made with (the work is
    `planner.pipeline.simulate_saved_plan` through `data.simulated_plan`), drawn as the Schedule page draws its;
    with the chain's saved simulation settings, as `simulate --plan ID`, whatever the session's unsaved ones say."""
    st.subheader("Simulate")
    rules = data.chain_settings().simulation
    st.caption(f"{rules.replications} simulated weeks of this plan's shifts, breaks and shift changes included, "
               "against the customers it was planned for on these dates (the calendar's days and demand factors "
               f"too), with random arrivals and long-tailed service times. "
               f"{figures_sentence(rules.replications, rules.band_level)}. An hour is at risk when it misses the "
               f"targets in more than {rules.at_risk_week_share:.0%} of the weeks.")
    unsaved = data.unsaved_simulation_changes()
    if unsaved:  # the figures `simulate --plan` gives: the session's changes would make them the page's own
        how = "Save them on the Settings page to simulate with them." if scope.may(EDIT_SETTINGS) else \
            "Only planners change the chain's settings."
        st.caption(f"Simulated with the chain's saved simulation settings, as `simulate --plan {plan_id}` is: not "
                   f"with this session's unsaved changes ({tables.as_text(unsaved)}). {how}")
    button_column, bar_column = st.columns([1, 4], vertical_alignment="center")
    pressed = button_column.button("Simulate", key=state.PLANS_SIMULATE,
                                   help="Check how this plan serves customers before publishing")
    where = bar_column.empty()  # beside the button pressed, where the planner looks, on every run
    if pressed:
        bar = where.progress(0.0, text=f"Simulating plan {plan_id}…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Simulated {done} of {counted(total, 'week')}")

        with data.errors_shown():
            data.simulated_plan(plan_id, scope, progress)
        bar.empty()
    kept = data.kept_plan_simulation(plan_id, scope)  # simulated before (in any session), at today's settings
    if kept is None:
        st.info("Press **Simulate** to see how this plan serves customers on its dates.")
        return
    st.session_state[state.PLANS_SIMULATION] = (plan_id, *kept)
    _, frame, lost, low, high = st.session_state[state.PLANS_SIMULATION]
    day = f"{days[weekday]:%a %d %b}"
    simulation_view.show_result(frame, weekday, day, f"plan {plan_id}, {store}, {day}", rules, (lost, low, high),
                                cheapest)


def _status_and_actions(row, listed, scope: Scope) -> bool:
    """Out of date or as made, the plan's place in its store-week's history, and what can be done with it; whether
    it is out of date (its schedule's status then holds for the requirement it was made from only)."""
    plan_id = int(row.plan_id)
    # a role that may not publish re-plans a draft only: told to ask a planner, as Upload and Roster tell her, with a
    # Re-plan that says it makes a draft, not the page's primary call
    may_publish = scope.may(PUBLISH)
    aside = int(row.set_aside)  # a draft older than its week's published plan: read, never re-planned or published
    changed = [] if row.week_over or aside else [part for part in str(row.out_of_date).split(", ") if part]
    if aside:
        st.info(SET_ASIDE_SHOWN.format(published=aside), icon=":material/archive:")
    elif row.week_over:  # its dates' counts came in after it: "make it again" would judge it against itself
        st.info("This plan's week is over: it stays as it was made. My store's *Plan vs actual* judges it against "
                "the counts of its dates.", icon=":material/event_busy:")
    elif changed:
        moved = [part for part in changed if part.startswith(saved_plans.MOVED_PARTS)]  # other stores' counts
        since = saved_plans.made_before_words(str(row.out_of_date))  # "this store's counts", "the calendar"
        step = staleness.MAKE_IT_AGAIN if may_publish else ask_a_planner()
        said = [staleness.made_before_sentence(since, "plan", step)] if since else []
        if since:  # whether, and where, a re-plan moves the staff: a re-plan at a target that moves none was blind
            again = data.replan_moves({plan_id: str(row.out_of_date)}, scope).get(plan_id)
            said += [replan_requirement(again.hours, again.text, again.same_shifts)] if again else []
        # which hours moved, and by how much, for the one plan shown: the list says only how many
        said += [plan_staff_moved(saved_plans.out_of_date_sentence(part),  # whose counts moved it, where known
                                  data.staff_moves(plan_id, scope, str(row.out_of_date))) for part in moved]
        if saved_plans.NOT_THE_CHAINS in changed:  # never the chain's: "the chain's settings changed" was untrue
            # saving settings is said only to a role that may: a store manager was told to save the chain's
            keep = " or, if the chain should plan with the settings it was made with, set them on the Settings page " \
                "and save them" if scope.may(EDIT_SETTINGS) else ""
            said.append(f"This plan was made with {saved_plans.NOT_THE_CHAINS} (changes on the Settings page that "
                        f"were never saved): {AT_SETTINGS_NEVER_CHOSEN.get(row.status, '')}. Re-plan makes it again "
                        f"with the chain's saved settings{',' if keep else ''}{keep}.")
        st.warning(" ".join(said), icon=":material/update:")
    else:
        st.success(PLAN_AS_MADE, icon=":material/check_circle:")
    refused = st.session_state.pop(state.PLANS_REFUSED, None)
    if refused and refused[0] == plan_id:  # said above the tick that now stands beside Publish
        st.error(refused[1], icon=":material/block:")
    history = listed[(listed["store_id"] == row.store_id) & (listed["iso_week"] == row.iso_week)]
    if len(history) > 1:
        st.caption(f"Every plan of {tables.as_text(row.store_id)} for {row.iso_week}, newest first:")
        table = tables.saved_plans_table(history)
        config = tables.plan_column_config(table)
        widgets.dataframe(table, column_config=config, **tables.plan_rows(table, config))
    over = saved_plans.plan_weeks_over([row.iso_week]) if row.status == DRAFT and not aside else ""  # as `plans publish` refuses
    not_yours = "" if may_publish else f"{widgets.FOR_PLANNERS}: ask one to publish plan {plan_id}."
    # offered only where the plan is out of date (README): under one the page calls up to date, it read as if the
    # plan needed making again; without it, Publish comes first (it stood alone mid-page). Out of date, Re-plan, the
    # tick and Publish stand in one box with the reason they are offered (they stood in two halves of the page, the
    # reason in the warning above the plan's history)
    if changed:
        box = st.container(border=True)
        as_it_is = f"; or tick '{OUT_OF_DATE_TICK}' and publish this draft as it is" if row.status == DRAFT and \
            not over and not not_yours else ""  # a role that may not publish was invited to, beside a greyed tick
        box.caption(f"Out of date: {tables.as_text(saved_plans.out_of_date_sentence(str(row.out_of_date)))}. "
                    f"{REPLAN_MAKES if may_publish else REPLAN_AS_DRAFT_MAKES}{as_it_is}.")
        replan_column = publish_column = box.container(horizontal=True, vertical_alignment="center")
    else:
        replan_column, publish_column = None, st.container()
    if changed and replan_column.button(
            "Re-plan" if may_publish else REPLAN_AS_DRAFT, key=state.PLANS_REPLAN,
            type="primary" if may_publish else "secondary",
            help="Make this store and week again from today's inputs at the chain's saved settings (a new draft; "
                 "this plan is kept)." if may_publish else replan_as_draft_help(row.status == PUBLISHED)):
        with _progress(f"Planning {row.store_id} for {row.iso_week} again…", "store") as progress, \
                data.errors_shown():
            again = data.replan(plan_id, scope, progress)
            _show_next(again.plan_id, f"Saved as draft: plan {again.plan_id} ({tables.as_text(again.store_id)} "
                                      f"{again.iso_week}), made again from today's inputs. "
                                      f"{_publishing_replaces(again.store_id, again.iso_week, scope)}"
                                      + ("" if may_publish else f" {widgets.FOR_PLANNERS}: ask one to publish plan "
                                                                f"{again.plan_id}."))
    if over:
        publish_column.caption(f"Cannot be published: {tables.as_text(over)}.")
    elif row.status == DRAFT and not_yours and not aside:
        publish_column.caption(not_yours)
    # an out-of-date draft is published only when asked for as it is, as `plans publish` refuses it without
    # --publish-anyway: the warning above says why, the tick beside the button says "as it is"
    confirmed = True
    if row.status == DRAFT and changed and not over:
        confirmed = publish_column.checkbox(
            OUT_OF_DATE_TICK, key=state.plans_publish_anyway(plan_id), disabled=bool(not_yours),
            help="This draft is out of date as said above; tick to publish it as it is all the same (or Re-plan, "
                 "then publish the new draft).")
    if row.status == DRAFT and not aside and publish_column.button(
            "Publish", key=state.PLANS_PUBLISH, type="secondary" if changed else "primary",
            disabled=bool(not_yours) or bool(over) or not confirmed,
            help=over or not_yours or ("Make this the plan its store works to that week; the one published before is "
                                       "kept as history." if confirmed else f"Tick '{OUT_OF_DATE_TICK}' first.")):
        with data.errors_shown():
            before = data.published_plan(str(row.store_id), str(row.iso_week), scope)
            try:
                done = data.publish_saved_plan(plan_id, scope, anyway=bool(changed))
            except saved_plans.OutOfDatePlan as refused:  # out of date since the list above was read
                _refused_next(refused)
            as_it_is = f", out of date: {saved_plans.out_of_date_sentence(str(row.out_of_date))}" if changed else ""
            _show_next(done.plan_id, f"Published: plan {done.plan_id} ({tables.as_text(done.store_id)} "
                                     f"{done.iso_week}){as_it_is}{_kept_as_superseded([before] if before else [])}.")
    elif row.status != DRAFT or aside:
        current = history[history["status"] == PUBLISHED]
        where = "this plan" if row.status == PUBLISHED else \
            f"plan {int(current['plan_id'].iloc[0])}" if not current.empty else "no plan"
        publish_column.caption(f"Published for {tables.as_text(row.store_id)} {row.iso_week}: {where}.")
    return bool(changed)


def _replan_out_of_date_published(listed, scope: Scope) -> None:
    """One action for every out-of-date published plan listed (after new counts or a change of the settings each
    read out of date, with a Re-plan per plan only): each made again as a new draft, as Re-plan makes one, with a
    progress bar; what was made, and the drafts left to publish, said in the next run. A published plan whose week
    has a newer draft as made already is not counted: pressed again, it made a copy of each."""
    to_make, _ = out_of_date_published(listed)
    if not to_make:
        return
    box = st.container(border=True)
    may_publish = scope.may(PUBLISH)  # a role that may not: asked to have a planner re-plan, as the plan shown says
    box.caption(published_out_of_date(len(to_make), may_publish))
    if box.button(replan_published_button(len(to_make), not may_publish), key=state.PLANS_REPLAN_PUBLISHED,
                  help=REPLAN_PUBLISHED_HELP):
        with _progress(replanning_published(len(to_make)), "plan") as progress, data.errors_shown():
            done = data.replan_out_of_date_published(listed, scope, progress)
            shown = max((each.draft_id for each in done.made), default=None)
            said = replanned_published(done.made, done.awaiting, (), "with Publish under each")
            # a plan that could not be made again is said as a store left out of a plan is, in a warning of its own
            failed = [f"published plan {each.published_id} ({each.store_id} {each.iso_week}): {each.why}"
                      for each in done.failed]
            if shown is None:  # none made: said here, the list as it was
                st.warning(" ".join([said, *failed]), icon=":material/block:")
                return
            _show_next(shown, said, failed)


def _publishing_replaces(store_id: str, iso_week: str, scope: Scope) -> str:
    """What publishing a draft of `store_id` and `iso_week` would replace: the week's published plan, found as
    `plans publish` finds it, or none (it named the plan re-planned, which may be a draft that publishing leaves be)."""
    before = data.published_plan(store_id, iso_week, scope)
    where = f"{tables.as_text(store_id)} {iso_week}"
    if before is None:
        return f"No plan is published for {where}: published, it would be the plan its store works to that week."
    return f"Published, it would replace plan {before.plan_id}, the published plan of {where} (kept as history)."


def _kept_as_superseded(before: list) -> str:
    """"; plan 1 is kept as superseded" of the plans published `before` (`StoredPlan`s) that a publish replaced, as
    `plans publish` says it; "" for none."""
    if not before:
        return ""
    plans = ", ".join(f"{stored.plan_id} ({tables.as_text(stored.store_id)} {stored.iso_week})" if len(before) > 1
                      else str(stored.plan_id) for stored in before)
    return f"; {agreeing(len(before), 'plan')} {plans} {agreeing(len(before), 'is', 'are')} kept as superseded"


def _refused_next(refused: saved_plans.OutOfDatePlan) -> None:
    """Say in the next run, above the plan, that its draft was not published because it went out of date after the
    list was read, and the page's two ways on: `OutOfDatePlan`'s own words name the command line's (`plan --store
    ...`), not the Re-plan button and the tick that the next run shows beside Publish."""
    st.session_state[state.PLANS_REFUSED] = (int(refused.plan_id), (
        f"Plan {refused.plan_id} is not published, it stays a draft: it went out of date after this page listed it "
        f"({saved_plans.out_of_date_sentence(refused.out_of_date)}). Re-plan it and publish the new draft, or tick "
        f"'{OUT_OF_DATE_TICK}' beside Publish to publish it as it is."))
    st.rerun()


def _week_or_none(text: str) -> IsoWeek | None:
    try:
        return IsoWeek.parse(text.strip())
    except ValueError:
        return None


def _show_next(plan_id: int, sentence: str, left_out: Iterable[str] = (), short: str = "") -> None:
    """Show `plan_id` and say `sentence` in the next run (the list and the plan chooser are drawn again), why each
    store picked was `left_out` of the plan, and which plans were published `short` of their requirement."""
    st.session_state[state.PLANS_NEXT] = (int(plan_id), sentence, tuple(left_out), short)
    st.rerun()


class _progress:
    """A progress bar counting store-weeks while a plan is made (called with the count done and the total); gone
    when the work ends."""

    def __init__(self, text: str, unit: str) -> None:
        self.text, self.unit = text, unit

    def __enter__(self) -> _progress:
        self.bar = st.progress(0.0, text=self.text)
        return self

    def __call__(self, done: int, total: int) -> None:
        self.bar.progress(done / total, text=f"Planned {done} of {counted(total, self.unit)}")

    def say(self, text: str) -> None:
        """Say `text` over the bar before the first store-week is done."""
        self.bar.progress(0.0, text=text)

    def __exit__(self, *_exc) -> None:
        self.bar.empty()


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
