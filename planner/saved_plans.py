"""Plans kept in the database: a made plan saved as one document per store and ISO week, published, listed with
whether today's inputs still match what each was made from, and the stored store calendar in the form plans read.

    ids = save_made_plan(engine, plan, by)       # one draft per store and week of `plan`
    make_and_save(engine, request, by, publish=) # make the plan with the stored calendar, save it (and publish it)
    make_and_save_picked(engine, request, by)    # the same, leaving out the stores picked that cannot be planned
                                                 # (`plannable_request`; published: those `make_publishable` leaves out)
    make_publishable(engine, request, calendar)  # a publish's plan, and what of it is published: the stores that
                                                 # cannot be planned, have no counts or get no shift left out
    replan(engine, plan_id, settings, by)        # the same store and week made again from today's inputs: a draft
    publish_plans(engine, ids, by, anyway=)      # each the plan its store works to that week (out of date: anyway)
    plans_with_status(engine, store_ids=)        # list_plans' rows with `out_of_date`: what changed since, in words,
                                                 # and `set_aside`: drafts older than their week's published plan
    stored_calendar(engine) / store_calendar(engine, frame, file_name, content)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

import pandas as pd
from sqlalchemy import Engine

from planner import clock, storage
from planner.access.scope import EVERYTHING, PUBLISH, Scope
from planner.intake import CheckedFile, sha256_of
from planner.pipeline import make_plan, pooled_counts_today, pooled_inputs_digest, unplannable_stores
from planner.pooled_moves import (MOVED_PARTS, OTHER_STORES_MOVE, counts_changed, moved_by, moves_text,
                                  pooled_moved_part, pooled_moves, staff_moves)
from planner.calendar import IsoWeek, counted_date_rows, merged_calendar, stored_exceptions, week_exceptions
from planner.errors import InvalidRequest, PlannerError
from planner.plans import Plan, PlanRequest, pooled_counts_from_json, request_from_json
from planner.plans.export import open_minutes
from planner.plans.fingerprint import calendar_digest, observations_digest, settings_digest, stores_digest
from planner.plans.request import with_min_staff_cover
from planner.replan_moves import ChangeMoves, RequirementMoves, replan_moves, replan_request, settings_change_moves
from planner.schemas import CalendarSchema as C, ObservationSchema as O, StoreSchema as S
from planner.settings import STORE_TARGETS, Settings, planning_settings
from planner.staff_hours import hours_open
from planner.storage.revision import WHAT_CHANGED
from planner.storage.versioned import DRAFT, PUBLISHED, SUPERSEDED, refuse_not_draft
from planner.storage.tables import PLAN_INPUTS
from planner.shifts.report import HARD_RULES, NO_WHOLE_SHIFT, TIME_LIMIT, WORK_UNITS
from planner.shifts.solve import INFEASIBLE, NO_SOLUTION
from planner.surfaces.fixes import (
    NO_SHIFT_FIXES, PLAN_MIN_STAFF_COVER, PLAN_OTHER_STORES, UPLOAD_ITS_COUNTS, in_current_words,
)
from planner.surfaces.plans import (CHANGED_SINCE_MADE, OWN_COUNTS, OWN_COUNTS_SHORT, OWN_NEW_COUNTS,
                                    STATUS_IN_A_REASON, others_new_counts, others_new_counts_short, set_aside)
from planner.words import counted, ended

OUT_OF_DATE = "out_of_date"
"""The column `plans_with_status` adds: "" when today's inputs are those the plan was made from, else what changed
("the counts, the calendar"), or `NOT_THE_CHAINS` among them; or, when nothing of its own changed but a plan made now
requires other staff, in how many hours ("other stores' counts move its staff in 3 hours": `pooled_moved_part`)."""
WEEK_OVER = "week_over"
"""True for a plan whose week ended before today: it stays as it was made. Counts of its own dates come in after
it (and so "out of date" says nothing to act on), and a re-plan would be made from them, which Plan vs actual would
then judge it against."""
SET_ASIDE = "set_aside"
"""The column `plans_with_status` adds: for a draft made before the plan now published for its store and week, that
plan's id; 0 for every other plan. Derived from the list, never stored: publishing a plan sets aside every older draft
of its week, and such a draft is kept to be read but is no plan to re-plan or publish (after a chain's *Make and
publish*, drafts 1-8 filled every out-of-date notice beside the published plans that replaced them). Its
`OUT_OF_DATE` is "", never judged."""
NOT_THE_CHAINS = "settings that were not the chain's"
"""The part of `OUT_OF_DATE` for a plan made with settings that were not the chain's when it was made (a planner's
changes on the Settings page, never saved), and that are not the chain's now: "the chain's settings changed since"
was untrue of it, they never were the chain's."""


def save_made_plan(engine: Engine, plan: Plan, by: str, scope: Scope = EVERYTHING, *,
                   publish: bool = False) -> list[int]:
    """Save `plan` as drafts, or published (`publish`), one per store and week (each that store-week's own
    document), all or none (one transaction); returns their ids in the order of `plan.index_rows()`. A store
    outside `scope` is refused (`OutsideScope`)."""
    return save_made_plan_with_calendar(engine, plan, by, None, scope, publish=publish)[0]


def save_made_plan_with_calendar(engine: Engine, plan: Plan, by: str, calendar: CheckedFile | None,
                                 scope: Scope = EVERYTHING, *, publish: bool = False
                                 ) -> tuple[list[int], storage.ImportSummary | None]:
    """`save_made_plan`, storing in the same transaction the checked calendar file `plan` was made with
    (`stored_calendar(..., adding=calendar.frame)`): a plan refused keeps no calendar. Returns the plan ids and the
    calendar's import summary (None without one)."""
    from planner.io.calendar import calendar_rows

    if publish:
        _refuse_weeks_over(plan)
        _refuse_empty_plans(plan)
    parts = [(row["store_id"], row["iso_week"], row["fingerprint"],
              plan.for_store_week(row["store_id"], row["iso_week"]).to_json()) for row in plan.index_rows()]
    rows = None if calendar is None else (calendar_rows(calendar.frame), calendar.file_name, calendar.sha256)
    return storage.save_plans_with_calendar(engine, parts, by, rows, scope, publish=publish)


PLAN_RECORD = "and a plan published now would come after all of its days, when no one can work to it any more"
"""Why a plan of a week that is over is not published (after "2026-W39 (ended Sun 27 Sep 2026) is over, "): what
the refusal decides by, the week's end, whether or not the week has counts (it said "a plan made now is made from
that week's own counts" of a week that had none)."""


def _refuse_weeks_over(plan: Plan, done: str = "saved or published") -> None:
    """InvalidRequest naming the weeks of `plan` that are over: a plan published after its days is one no one could
    work to."""
    refuse_weeks_over([row["iso_week"] for row in plan.index_rows()], f"no plan was {done}", PLAN_RECORD)


def plan_weeks_over(weeks: Iterable[str], on: date | None = None) -> str:
    """Why a plan of `weeks` is not published, as `plan --publish` and `plans publish` refuse it: "2026-W39 (ended
    Sun 27 Sep 2026) is over, and its published plan is ..."; "" when none is over by `on` (default
    `clock.today()`). The Plans page disables its publish buttons by it."""
    return weeks_over(weeks, PLAN_RECORD, on)


def refuse_weeks_over(weeks: Iterable[str], refused: str, why: str,
                      instead: str = "It may be kept as a draft, not published", on: date | None = None) -> None:
    """InvalidRequest "{refused}: 2026-W39 (ended Sun 27 Sep 2026) is over, {why}. {instead}" when any of `weeks` is
    over by `on` (`week_is_over`): the one check and sentence for publishing a plan or a roster of a week that has
    ended."""
    over = weeks_over(weeks, why, on)
    if over:
        raise InvalidRequest(f"{refused}: {ended(over)} {instead}")


def weeks_over(weeks: Iterable[str], why: str, on: date | None = None) -> str:
    """"2026-W39 (ended Sun 27 Sep 2026) is over, {why}" for those of `weeks` over by `on` (`ended_weeks`); "" for
    none: what refuses publishing (`refuse_weeks_over`), and what a page shows beside a publish button it disables."""
    ended = ended_weeks(weeks, on)
    return f"{ended} {over_verb(weeks, on)}, {why}" if ended else ""


def over_verb(weeks: Iterable[str], on: date | None = None) -> str:
    """"is over" after one week `ended_weeks` names, "are over" after several (two weeks were said "is over")."""
    return "are over" if len({week for week in weeks if week_is_over(week, on)}) > 1 else "is over"


def ended_weeks(weeks: Iterable[str], on: date | None = None) -> str:
    """Those of `weeks` that are over by `on` (default `clock.today()`), each with its last day: "2026-W39 (ended
    Sun 27 Sep 2026)"; "" for none."""
    over = sorted({week for week in weeks if week_is_over(week, on)})
    return ", ".join(f"{week} (ended {IsoWeek.parse(week).dates()[-1]:%a %d %b %Y})" for week in over)


def _refuse_empty_plans(plan: Plan, done: str = "saved or published", also: Mapping[str, str] | None = None
                        ) -> None:
    """InvalidRequest naming the store-weeks whose plan has open hours but no shift in any of them: a store never
    counted (without min_staff cover), or a schedule the budget, max_staff or full cover left without one (its own
    explanation said, and the fix for that cause: `EmptyWeek`). Published, it would tell the store to staff nobody.
    `also`: store_id -> why, of the stores left out of the plan before it was made (`publishable_request`), said
    after it: a publish refused whole names every store asked for."""
    empty = empty_store_weeks(plan)
    if not empty:
        return
    if not any(week.has_counts for week in empty):
        fix = ("as the store has no counts to recommend staff from. Count some of its hours first, or plan it with "
               "the store's minimum staff in the hours without a recommendation (min_staff cover: "
               f"{PLAN_MIN_STAFF_COVER.app})")
    else:
        whys = "".join(f" {week.store_id} {week.iso_week}: {week.why}." for week in empty if week.why)
        fixes = "; or ".join(dict.fromkeys(week.fix for week in empty if week.has_counts))
        never = ", and count any store never counted" if not all(week.has_counts for week in empty) else ""
        fix = f"so it would tell the store to staff nobody.{whys} {fixes}{never}"
    said = ", ".join(f"{week.store_id} {week.iso_week} ({week.described})" for week in empty)
    # a new store refused a chain's whole week: the way that publishes the rest now is to leave it out
    others = {row["store_id"] for row in plan.index_rows()} - {week.store_id for week in empty}
    rest = (f"; or publish the other stores' plans without {'it' if len(empty) == 1 else 'them'} "
            f"({PLAN_OTHER_STORES.app})") if others else ""
    before = "".join(f" {reason}" for reason in (also or {}).values())
    raise EmptyPlans(f"no plan was {done}: the plan of {said} has no shift, {fix}{rest}{'.' if before else ''}"
                     f"{before}")


class EmptyPlans(InvalidRequest):
    """A plan not saved or published for a store-week with open hours and no shift (`_refuse_empty_plans`), said in
    a page's words: the Settings page's switch, stores picked on the Plans page. The command line says it in its
    own (`surfaces.fixes.plan_on_command_line`: `plan --min-staff-cover`, --store); it showed the flag on the Plans
    page."""


class NothingToPublish(InvalidRequest):
    """A publish refused whole before its plan is made, for no store asked for can be published: some cannot be
    planned, the others have no counts yet (`publishable_request`). Each store's reason is said in a page's words,
    as `EmptyPlans`', and the command line says them in its own (`surfaces.fixes.plan_on_command_line`)."""


class EmptyWeek(NamedTuple):
    """A store-week of a plan with open hours and no shift (`empty_store_weeks`)."""

    store_id: str
    iso_week: str
    described: str
    """"60 open hours", and the schedule's status where it has one: "60 open hours; no schedule can keep every rule"
    (`surfaces.plans.STATUS_IN_A_REASON`)."""
    has_counts: bool
    why: str = ""
    """The schedule's own explanation of why it has no shift ("Sat 19 Dec 18:00-19:00 needs 14 staff but the store
    takes at most 12"; `planner.shifts.report.explain`), in today's words; "" for a store with no counts."""
    fix: str = ""
    """What to do for that cause, in a page's words: a budget that pays for full cover, the store's max_staff, more
    solver time, whole shifts; "" for a store with no counts (its caller says that fix)."""


def empty_store_weeks(plan: Plan) -> list[EmptyWeek]:
    """The store-weeks of `plan` that are not published for having open hours but no shift (`_refuse_empty_plans`),
    with why and the fix for that cause; [] for none. What `plan` leaves out of the drafts it says `plans publish`
    publishes."""
    key = ["store_id", "iso_week"]
    # per store-week at once (a chain's plan holds a thousand of them): open hours, hours with a recommendation,
    # hours requiring staff, and whether any shift was made
    # open hours as the plan's days count them: the 09:00 of an opening at 09:30 is half of one
    required = plan.staffing.assign(open_hours=hours_open(open_minutes(plan.staffing)),
                                    known=plan.staffing["required_staff"].notna(),
                                    needed=plan.staffing["required_staff"].fillna(0) > 0).groupby(key).agg(
        hours=("open_hours", "sum"), known=("known", "any"), needed=("needed", "any"))
    with_shifts = set(map(tuple, plan.shifts[key].drop_duplicates().to_numpy()))
    schedules = plan.schedules.drop_duplicates(key).set_index(key)
    sentences = plan.explanations.groupby(key)["sentence"].agg(list) if not plan.explanations.empty else \
        pd.Series(dtype=object)
    empty = []
    for row in plan.index_rows():
        store, week = row["store_id"], row["iso_week"]
        if (store, week) not in required.index or (store, week) in with_shifts:
            continue
        hours, has_counts, needed = required.loc[(store, week)]
        if has_counts and not needed:
            continue  # nobody required anywhere: an empty plan says the truth
        if not has_counts or (store, week) not in schedules.index:
            empty.append(EmptyWeek(store, week, counted(hours, 'open hour'), bool(has_counts)))
            continue
        schedule = schedules.loc[(store, week)]
        said = [in_current_words(sentence) for sentence in sentences.get((store, week), [])]
        status = STATUS_IN_A_REASON.get(schedule["status_text"], schedule["status_text"])
        empty.append(EmptyWeek(store, week, f"{counted(hours, 'open hour')}; {status}", True,
                               "; ".join(said), _empty_fix(schedule)))
    return empty


def _empty_fix(schedule: pd.Series) -> str:
    """What to do for a counted store-week whose schedule has no shift, by the cause its report decided as it
    explained it (`planner.shifts.report.no_shift_cause`), in a page's words (`surfaces.fixes.NO_SHIFT_FIXES`). A plan
    saved before the cause was kept has only its status to go on: for no schedule found, the limit its status text
    names (the solver's work units, else the time limit), full cover off for no schedule within the rules, else a
    budget that pays for whole shifts."""
    cause = schedule.get("no_shift_cause")
    if cause is None or pd.isna(cause):
        stopped = WORK_UNITS if "work unit" in str(schedule.get("status_text", "")) else TIME_LIMIT
        cause = {NO_SOLUTION: stopped, INFEASIBLE: HARD_RULES}.get(schedule["status"], NO_WHOLE_SHIFT)
    return NO_SHIFT_FIXES[cause]


class OutOfDatePlan(InvalidRequest):
    """A saved draft not published because its inputs changed since it was made (`out_of_date`: its `OUT_OF_DATE`
    value, as `plans list` and `plans show` judge it): published only when asked for as it is (`plans publish
    --publish-anyway`, the Plans page's tick), as a stale draft roster is (`publishing.PublishCaution`). `remake`:
    the `plan` command that makes it again."""

    def __init__(self, message: str, plan_id: int, out_of_date: str, remake: str) -> None:
        super().__init__(message)
        self.plan_id = plan_id
        self.out_of_date = out_of_date
        self.remake = remake


def publish_plans(engine: Engine, plan_ids: list[int], by: str, scope: Scope = EVERYTHING, *, anyway: bool = False,
                  chain: Settings | None = None) -> list[storage.StoredPlan]:
    """Publish each saved draft plan; the plan published before for its store and week becomes superseded. Only
    roles that may publish, for stores in `scope` (`OutsideScope`, said before anything else); `InvalidRequest` for
    a plan that is not a draft (published already, or superseded: history, which a newer plan replaced), of a week
    that is over, or without a shift. A draft that is out of date (`out_of_date_of`, against the `chain`'s settings:
    default those saved in the database) is refused too unless `anyway` (`OutOfDatePlan`): a plan made now would
    be made from what changed, and a planner would not expect the draft to be published without a word."""
    scope.require(PUBLISH)
    for plan_id in plan_ids:  # refused as a plan made and published at once is (Make, then Publish, went round it)
        stored = storage.load_plan(engine, plan_id, scope)
        # the command line could publish a superseded plan back over its replacement; the page never could
        refuse_not_draft(stored, "plan", stored.plan_id, "`plan --week ...`, or Re-plan on the Plans page")
        _refuse_set_aside(engine, stored, scope)
        plan = Plan.from_json(stored.document)
        _refuse_weeks_over(plan, "published")
        _refuse_empty_plans(plan, "published")
        if not anyway:
            _refuse_out_of_date(engine, stored, plan, chain, scope)
    # published as it is: its audit entry says it was out of date, and why (the entry read as any other's)
    as_is = {plan_id: _as_is(engine, plan_id, chain, scope) if anyway else "" for plan_id in plan_ids}
    return [storage.publish_plan(engine, plan_id, by, scope, as_is=as_is[plan_id]) for plan_id in plan_ids]


def _refuse_set_aside(engine: Engine, stored: storage.StoredPlan, scope: Scope) -> None:
    """InvalidRequest for a draft made before the plan now published for its store and week (`SET_ASIDE`): the
    lists call it set aside and the Plans page offers no publish for it, yet `plans publish` put it back over the
    newer plan. A plan made now (`plan --week`) is the way to replace the published one. Judged as the lists judge
    it (`set_aside_by`), from the store-week's listed rows: no document is opened."""
    listed = storage.list_plans(engine, stored.store_id, stored.iso_week, scope)
    published = dict(zip(listed["plan_id"].astype(int), set_aside_by(listed), strict=True)).get(stored.plan_id, 0)
    if published:
        raise InvalidRequest(
            f"plan {stored.plan_id} was not published: it is a draft made before plan {published}, the plan "
            f"published for {stored.store_id} {stored.iso_week}, and is set aside. Fix: make a new plan "
            f"(`python -m planner plan --store {stored.store_id} --week {stored.iso_week}`) or re-plan on the Plans "
            f"page, and publish that.")


def _as_is(engine: Engine, plan_id: int, chain: Settings | None, scope: Scope) -> str:
    """Why the saved draft `plan_id` would not have been published without asking for it as it is ("out of date:
    the counts changed since it was made"), for its audit entry; "" when it is not out of date."""
    stored = storage.load_plan(engine, plan_id, scope)
    changed = out_of_date_of(engine, Plan.from_json(stored.document), chain, scope, made_at=stored.created_at,
                             plan_id=plan_id)
    return f"out of date: {out_of_date_sentence(changed)}" if changed else ""


def remake_command(request: PlanRequest, store_id: str) -> str:
    """The `plan` command (without the program's name) that makes the one-store, one-week plan of `store_id` asked
    for by `request` (a saved plan's: `plans.request_from_json` reads it alone) again from today's inputs, with its
    own what-if values and min_staff cover, as `replan` does: "plan --store S01 --week 2026-W50"."""
    (week,) = request.weeks
    flags = [f"--{name.replace('_', '-')} {value:.15g}" for name, value in request.what_if_values().items()]
    return " ".join([f"plan --store {store_id} --week {week}", *flags]
                    + (["--min-staff-cover"] if request.min_staff_cover else []))


def _refuse_out_of_date(engine: Engine, stored: storage.StoredPlan, plan: Plan, chain: Settings | None,
                        scope: Scope) -> None:
    """`OutOfDatePlan` when the saved draft `stored` (`plan`, its document) is out of date, saying why in the words
    of `plans show` and how to make it again."""
    changed = out_of_date_of(engine, plan, chain, scope, made_at=stored.created_at, plan_id=stored.plan_id)
    if changed:
        remake = remake_command(plan.request, stored.store_id)
        raise OutOfDatePlan(f"plan {stored.plan_id} ({stored.store_id} {stored.iso_week}) is not published, it stays a "
                            f"draft. It is out of date: {out_of_date_sentence(changed)}. Make it again ({remake}) "
                            "and publish that.", stored.plan_id, changed, remake)


def make_and_save(engine: Engine, request: PlanRequest, by: str, *, publish: bool = False,
                  progress=None, scope: Scope = EVERYTHING) -> list[storage.StoredPlan]:
    """Make the plan for `request` with the stored calendar (one store after another) and save it, one plan per
    store and week: as drafts, or published (`publish`, for a role that may publish: checked before the work).
    `progress(done, total)` counts store-weeks made; stores outside `scope` are refused (`OutsideScope`)."""
    if publish:
        scope.require(PUBLISH)
    plan = make_plan(engine, request, calendar=stored_calendar(engine, scope), parallel=False, progress=progress,
                     scope=scope)
    ids = save_made_plan(engine, plan, by, scope, publish=publish)
    return [storage.load_plan(engine, plan_id, scope) for plan_id in ids]


def make_and_save_picked(engine: Engine, request: PlanRequest, by: str, *, publish: bool = False, progress=None,
                         scope: Scope = EVERYTHING) -> tuple[list[storage.StoredPlan], dict[str, str]]:
    """(`make_and_save` of the stores picked from a list that starts with every store, as the Plans page's does;
    store_id -> why each store picked that cannot be planned, or published, was left out). Such a store
    (`plannable_request`: its stored row, or the stored calendar in the request's weeks) is left out and the
    others planned, as `plan` leaves it out and says so, with --store or without: picked by default with the rest,
    it refused the plan of them all. With only such stores picked there is nothing else to plan: refused whole, each
    store with its reason, as `plan --store` refuses them. Published, the stores left out are those
    `make_publishable` leaves out, as `plan --publish` does: also those with no counts yet, and those whose plan has
    no shift."""
    if publish:
        scope.require(PUBLISH)  # before the work
        made = make_publishable(engine, request, stored_calendar(engine, scope), parallel=False, progress=progress,
                                scope=scope)
        ids = save_made_plan(engine, made.published, by, scope, publish=True)
        return [storage.load_plan(engine, plan_id, scope) for plan_id in ids], made.left_out
    request, left_out = plannable_request(engine, request, stored_calendar(engine, scope), scope)
    return make_and_save(engine, request, by, progress=progress, scope=scope), left_out


def stores_planned(engine: Engine, request: PlanRequest, scope: Scope = EVERYTHING, *, publish: bool = False
                   ) -> tuple[tuple[str, ...], dict[str, str]]:
    """(the stores `make_and_save_picked` plans for `request`: those picked, or every store in `scope`, less the
    stores that cannot be planned, and when the plan is to be published (`publish`) those with no counts yet
    (`publishable_request`), unless that leaves none, when they are planned and refused by name; store_id -> why
    each store left out was). What a page counts as "Planning N stores": it counted the stores picked, one of which
    was then left out. (A store whose plan turns out to have no shift is left out only once it is made.)"""
    calendar = stored_calendar(engine, scope)
    if publish:
        named, kept, unplannable, uncounted = _publishable_stores(engine, request, calendar, scope)
        return (kept or named), _in_order(named, unplannable | uncounted)
    named, kept, left_out = _plannable_stores(storage.load_stores(engine, scope), request, calendar)
    return (kept or named), left_out


def plannable_request(engine: Engine, request: PlanRequest, calendar: pd.DataFrame | None,
                      scope: Scope = EVERYTHING) -> tuple[PlanRequest, dict[str, str]]:
    """(`request` less the stores that cannot be planned (`unplannable_stores`: a stored value out of range or
    openings that overlap, in its row or in `calendar` in the request's weeks); store_id -> why each was left out,
    in the order asked for): the one decision of a draft's stores, the Plans page's *Make plan* and `plan --store`
    without --publish. A store with no counts yet is planned (its draft says so), as a draft of it always was.
    Where stores are named and none of them can be planned, refused whole (`PlannerError`) with every store's reason,
    as one store named is refused by name (the plan itself named only those refused by their stored row). Of every
    store (none named), none left is the plan's to refuse (`pipeline.none_left`). Where an id named is not a store in
    `scope`, the request stays as it is, no store left out: the plan refuses that id by name."""
    named, kept, left_out = _plannable_stores(storage.load_stores(engine, scope), request, calendar)
    if not left_out:
        return request, {}
    if kept:
        return replace(request, store_ids=kept), left_out
    if request.store_ids:
        raise PlannerError(" ".join(left_out.values()))  # each its own sentences, ending in a full stop
    return request, left_out


def _plannable_stores(stores: pd.DataFrame, request: PlanRequest, calendar: pd.DataFrame | None
                      ) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    """(the stores of `request`, every store of `stores` (those in scope) for none named; those that can be planned,
    () for none; store_id -> why, of those that cannot, in the order of the first), as `plannable_request` decides
    and `publishable_request` starts from. Nothing left out when an id is not a store of `stores`: left out, the
    others' reasons were decided for a plan that then refuses that id by name, and never said."""
    named = _named(request, stores)
    if not set(named) <= set(stores[S.store_id].astype(str)):  # a slip or another's store: the plan says which
        return named, named, {}
    left_out = unplannable_stores(stores[stores[S.store_id].astype(str).isin(named)], calendar, request.iso_weeks)
    return named, tuple(store_id for store_id in named if store_id not in left_out), _in_order(named, left_out)


class ToPublish(NamedTuple):
    """What a publish of a request makes and keeps (`make_publishable`)."""

    made: Plan
    """The plan made, of the stores that could be planned and have counts: every store-week, those with no shift
    too (what `plan --publish` prints)."""
    published: Plan
    """`made` less its store-weeks with open hours and no shift: what is saved and published."""
    left_out: dict[str, str]
    """store_id -> why, for each store asked for of which nothing (or a week with no shift) is published."""


def make_publishable(engine: Engine, request: PlanRequest, calendar: pd.DataFrame | None, *,
                     parallel: bool | None = None, progress=None, scope: Scope = EVERYTHING) -> ToPublish:
    """The plan a publish of `request` makes, with `calendar` (`CalendarSchema`, the stored one or the one `plan
    --calendar` plans with), and what of it is published: the one decision of `plan --publish` and the Plans page's
    *Make and publish*. Every store asked for that can be published is, and every other is left out with its own
    reason and fix, nothing of it saved: a store that cannot be planned or has no counts yet (`publishable_request`,
    before the plan's seconds), and a store-week whose plan has open hours and no shift (`publishable_part`, once
    made). Refused whole only when nothing can be published (`NothingToPublish`, `EmptyPlans`, or the plan's own
    refusal by name). `plan --publish` takes the same two steps itself, to print the plan made between them."""
    request, left_out = publishable_request(engine, request, calendar, scope)
    made = make_plan(engine, request, calendar=calendar, parallel=parallel, progress=progress, scope=scope)
    published, left_out = publishable_part(made, left_out)
    return ToPublish(made, published, left_out)


def publishable_request(engine: Engine, request: PlanRequest, calendar: pd.DataFrame | None,
                        scope: Scope = EVERYTHING) -> tuple[PlanRequest, dict[str, str]]:
    """(`request` less the stores that cannot be published before a plan is made; store_id -> why each was left
    out, in the order asked for). Of the stores named (or every store in `scope`): those that cannot be planned
    (`unplannable_stores` under `calendar`) and those with no counts yet (`uncounted_left_out`), whether named or
    not, as the Plans page leaves a picked one out. A request none of whose stores can be published is refused:
    by name (`NothingToPublish`, each store's reason) where some cannot be planned and the others have no counts;
    where all are of one kind it is `request` as it is, refused by the plan as before (a store that cannot be
    planned by name, a plan with no shift by `EmptyPlans`). An id that is not a store in `scope` leaves `request`
    as it is too: the plan refuses it by name."""
    named, kept, unplannable, uncounted = _publishable_stores(engine, request, calendar, scope)
    left_out = _in_order(named, unplannable | uncounted)
    if not left_out:
        return request, {}
    if kept:
        return replace(request, store_ids=kept), left_out
    if unplannable and uncounted:
        raise NothingToPublish("no plan was saved or published: no store asked for can be published. "
                               + " ".join(left_out.values()))
    return request, {}


def _publishable_stores(engine: Engine, request: PlanRequest, calendar: pd.DataFrame | None, scope: Scope
                        ) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str], dict[str, str]]:
    """(the stores of `request`, every store in `scope` for none named; those that can be published before a plan
    is made, () for none; store_id -> why, of those that cannot be planned; of those left with no counts yet), as
    `publishable_request` decides; nothing left out when an id is not a store in `scope`."""
    stores = storage.load_stores(engine, scope)
    named = _named(request, stores)
    if not set(named) <= set(stores[S.store_id].astype(str)):  # a slip or another's store: the plan says which
        return named, named, {}, {}
    _, plannable, unplannable = _plannable_stores(stores, request, calendar)
    uncounted = uncounted_left_out(engine, request, plannable, scope)
    return named, tuple(store for store in plannable if store not in uncounted), unplannable, uncounted


def _named(request: PlanRequest, stores: pd.DataFrame) -> tuple[str, ...]:
    """The stores `request` names, once each, or every store of `stores` for none."""
    return tuple(dict.fromkeys(request.store_ids)) or tuple(stores[S.store_id].astype(str))


def _in_order(named: tuple[str, ...], why: Mapping[str, str]) -> dict[str, str]:
    """`why` (store_id -> reason) in the order of `named`."""
    return {store: why[store] for store in named if store in why}


def publishable_part(plan: Plan, left_out: Mapping[str, str] | None = None) -> tuple[Plan, dict[str, str]]:
    """(`plan` less its store-weeks with open hours and no shift (`empty_store_weeks`), which published would tell
    a store to staff nobody; `left_out` (store_id -> why, of the stores left out before the plan was made) and each
    such store with why and what to do, in a page's words). Every store-week without a shift: nothing to publish,
    refused whole (`EmptyPlans`, naming `left_out` too)."""
    left_out = dict(left_out or {})
    empty = empty_store_weeks(plan)
    if not empty:
        return plan, left_out
    if len(empty) == len(plan.index_rows()):
        _refuse_empty_plans(plan, also=left_out)
    by_store: dict[str, list[EmptyWeek]] = {}
    for week in empty:
        by_store.setdefault(week.store_id, []).append(week)
    for store, weeks in by_store.items():
        said = ", ".join(f"{week.iso_week} ({week.described})" for week in weeks)
        counted_store = all(week.has_counts for week in weeks)
        whys = [f"{week.iso_week}: {week.why}" if len(weeks) > 1 else week.why for week in weeks if week.why]
        why = f" Its schedule says: {'; '.join(whys)}." if whys else ""
        fix = ("; or ".join(dict.fromkeys(week.fix for week in weeks)) if counted_store else
               f"{UPLOAD_ITS_COUNTS.app}, then make its plan; or plan it with the store's minimum staff (min_staff "
               f"cover: {PLAN_MIN_STAFF_COVER.app})")
        left_out[store] = (f"{store}'s plan has no shift in {said}, so it would tell the store to staff nobody: it "
                           f"is not saved or published.{why} {fix}.")
    return plan.without((week.store_id, week.iso_week) for week in empty), left_out


def uncounted_left_out(engine: Engine, request: PlanRequest, store_ids: Iterable[str],
                       scope: Scope = EVERYTHING) -> dict[str, str]:
    """store_id -> why, for those of `store_ids` that have no counts yet, so that a plan of them at `request` has no
    shift (min_staff cover off) and is not published (`_refuse_empty_plans`): a chain's publish leaves them out and
    publishes the others, where one new store refused the plan of every store. {} with min_staff cover, which plans
    them at their minimum staff."""
    store_ids = tuple(store_ids)
    if request.settings.shifts.min_staff_cover or not store_ids:
        return {}
    counted_ids = storage.counted_store_ids(engine, list(store_ids), scope)
    weeks = ", ".join(dict.fromkeys(request.weeks))
    return {store: (f"{store} has no counts yet, so there is nothing to plan its staff from: no plan of it is saved "
                    f"or published for {weeks}. {UPLOAD_ITS_COUNTS.app}, then make its plan; or plan it with the "
                    f"store's minimum staff (min_staff cover: {PLAN_MIN_STAFF_COVER.app}).")
            for store in store_ids if store not in counted_ids}


def replan(engine: Engine, plan_id: int, settings: Settings, by: str, *, progress=None,
           scope: Scope = EVERYTHING) -> storage.StoredPlan:
    """Plan `plan_id`'s store and week again from today's counts, store file and calendar, at `settings` with the
    plan's own what-if values and min_staff cover, saved as a draft (publishing it is a step of its own)."""
    stored = storage.load_plan(engine, plan_id, scope)
    if week_is_over(stored.iso_week):
        last = IsoWeek.parse(stored.iso_week).dates()[-1]
        raise PlannerError(f"the week of plan {plan_id} ({stored.iso_week}) ended on {last:%a %d %b %Y}: it stays as "
                           "it was made, and Plan vs actual judges it against the counts of its dates (a plan made "
                           "now would be made from those counts)")
    request = replan_request(Plan.from_json(stored.document), settings)  # what `replan_moves` says it changes
    (again,) = make_and_save(engine, request, by, progress=progress, scope=scope)
    return again


def same_drafts(engine: Engine, made: Iterable[storage.StoredPlan], scope: Scope = EVERYTHING) -> dict[int, int]:
    """plan_id of each draft of `made` (just saved) -> the newest earlier draft of its store and week with the same
    requirement and shifts (their CSVs alike), made from the same request (settings, what-if values, min_staff cover)
    and as made now (`plans_with_status`, the Plans page's judgement), where there is one: *Make plan* run again saved
    a copy of a draft, and nothing said which to publish. A draft made with a what-if, or out of date since, was
    called the same by its requirement and shifts alone, and "publish either" published the what-if or the stale."""
    from planner.plans.export import requirement_csv, shifts_csv

    def alike(plan: Plan) -> tuple[str, str, tuple]:
        request = plan.request
        return (requirement_csv(plan), shifts_csv(plan),
                (request.settings, request.what_if, request.min_staff_cover))

    found = {}
    for stored in made:
        if stored.status != DRAFT:
            continue
        drafts = storage.list_plans(engine, stored.store_id, stored.iso_week, scope)
        if not ((drafts["status"] == DRAFT) & (drafts["plan_id"] < stored.plan_id)).any():
            continue  # no earlier draft: the week's plans need not be judged (a fit of the chain, at worst)
        listed = plans_with_status(engine, None, stored.store_id, stored.iso_week, scope)
        earlier = listed[(listed["status"] == DRAFT) & (listed["plan_id"] < stored.plan_id)
                         & (listed[OUT_OF_DATE] == "") & (listed[SET_ASIDE] == 0)].sort_values("plan_id", ascending=False)
        if earlier.empty:
            continue
        now = alike(Plan.from_json(stored.document))
        for plan_id in earlier["plan_id"].astype(int):
            if alike(Plan.from_json(storage.load_plan(engine, plan_id, scope).document)) == now:
                found[stored.plan_id] = plan_id
                break
    return found


def plans_in_force(engine: Engine, chain: Settings | None = None, scope: Scope = EVERYTHING, *,
                   pooled: bool = False) -> pd.DataFrame:
    """`plans_with_status` of the plans in `scope` that are not history and whose week is not over: those a change
    of counts or settings can put out of date, as an import and a save of the settings say. `pooled`: judged as the
    Plans page judges them, other stores' counts included (an import's counts move other stores' plans); without,
    each plan's own inputs only (a save of the settings: its settings' part alone)."""
    listed = plans_with_status(engine, chain, scope=scope, pooled=pooled)
    return listed[(listed["status"] != SUPERSEDED) & ~listed[WEEK_OVER].astype(bool) & (listed[SET_ASIDE] == 0)]


def published_first(plans: Iterable) -> list:
    """`plans` (each with `status` and `plan_id`) the published ones first, then the drafts, each by plan id: the
    order an out-of-date notice names them in and its link opens the first of (the drafts came first, and the
    published plans a planner works to hid in "and 10 more")."""
    return sorted(plans, key=lambda plan: (plan.status != PUBLISHED, int(plan.plan_id)))


def plans_with_status(engine: Engine, chain: Settings | None = None, store_id: str | None = None,
                      iso_week: str | None = None, scope: Scope = EVERYTHING, *, store_ids: Iterable[str] | None = None,
                      pooled: bool = True) -> pd.DataFrame:
    """`storage.list_plans` (of the stores `scope` covers: all, or `store_id`'s, or those of any of `store_ids`) with
    `OUT_OF_DATE`: each plan's input digests against
    those today's counts, store file, stored calendar and the chain's settings give (with the plan's own what-if
    values and min_staff cover). `chain`: the chain's settings in force (default: those saved in the database), never
    a session's unsaved ones: the command line and every page judge a plan against the same settings. A plan whose
    settings are not the chain's, and were not when it was made either, reads `NOT_THE_CHAINS`.

    The digests and what-if values come from each plan's row (its input summary), so no document is opened: today's
    digests are computed once per store, store-week and set of what-if values. A row without a summary (a document
    saved without a fingerprint) has its document opened instead.

    A plan of a week not over whose own inputs are as made, but whose row's digest of the chain's counts is not
    today's (or that has none: saved before plans kept it), is made again to tell whether other stores' counts moved
    its staff (`planner.pooled_moves`; all such plans in one fit per week and settings, what they found kept, so a
    list made again reads it); its document is opened for that. So the plans of several stores are listed in one call
    (`store_ids`), not one call per store: each call fitted the chain again for its own store's plans, and the first
    list after an import fitted it once per store. `pooled=False` leaves that out (the settings' part alone is wanted:
    `settings_change`)."""
    listed = storage.list_plans(engine, store_id, iso_week, scope, store_ids=store_ids)
    if listed.empty:
        return listed.assign(**{OUT_OF_DATE: pd.Series(dtype=str), WEEK_OVER: pd.Series(dtype=bool),
                                SET_ASIDE: pd.Series(dtype=int)})
    aside = set_aside_by(listed)
    today = _TodaysInputs(engine, sorted(set(listed["store_id"])), chain, scope)
    changed = ["" if by else today.changed_since(*_made_from(engine, row, scope),
                                                 made_request=_request_loader(engine, row, scope),
                                                 made_at=row.created_at)
               for row, by in zip(listed.itertuples(index=False), aside, strict=True)]
    over = [week_is_over(week) for week in listed["iso_week"]]
    if pooled:
        changed = _with_pooled_moves(engine, listed, changed, [o or bool(by) for o, by in zip(over, aside)], scope)
    # set aside after the others, each part newest first
    return (listed.assign(**{OUT_OF_DATE: changed, WEEK_OVER: over, SET_ASIDE: aside})
            .sort_values(SET_ASIDE, key=lambda by: by > 0, kind="stable").reset_index(drop=True))


def set_aside_by(listed: pd.DataFrame) -> list[int]:
    """For each row of `listed` (`storage.list_plans`, every plan of each store-week listed), the id of the plan
    published for its store and week where the row is a draft made before it (`SET_ASIDE`), else 0."""
    published = {(row.store_id, row.iso_week): int(row.plan_id)
                 for row in listed[listed["status"] == PUBLISHED].itertuples(index=False)}
    return [published.get((row.store_id, row.iso_week), 0)
            if row.status == DRAFT and int(row.plan_id) < published.get((row.store_id, row.iso_week), 0) else 0
            for row in listed.itertuples(index=False)]


def _with_pooled_moves(engine: Engine, listed: pd.DataFrame, changed: list[str], over: list[bool],
                       scope: Scope) -> list[str]:
    """`changed` with, for each listed plan as made whose week is not over, the hours other stores' counts moved
    its staff in (`pooled_moved_part`), where they moved any. Only plans whose kept digest of the chain's counts is
    not today's have their document read."""
    as_made = [(row, n) for n, row in enumerate(listed.itertuples(index=False)) if not changed[n] and not over[n]]
    if not as_made:
        return changed
    today = pooled_inputs_digest(engine)
    differ = [(row, n) for row, n in as_made if row.pooled_digest != today]
    checked = storage.pooled_checks(engine, [row.plan_id for row, _ in differ], today)
    plans = {row.plan_id: Plan.from_json(storage.load_plan(engine, row.plan_id, scope).document)
             for row, _ in differ if row.plan_id not in checked}
    moved = checked | pooled_moves(engine, plans.items(), lambda: stored_calendar(engine, scope), today)
    out = list(changed)
    counts_today: list[dict[str, str]] = []  # read once, and only where some plan's staff moved
    for row, n in differ:
        if moved.get(row.plan_id):
            known = isinstance(row.pooled_digest, str)
            # a plan checked before is not read whole again: only the digests of each store's counts it kept
            made = plans[row.plan_id].pooled_counts if row.plan_id in plans else \
                pooled_counts_from_json(storage.load_plan(engine, row.plan_id, scope).document) if known else None
            if made is not None and not counts_today:
                counts_today.append(pooled_counts_today(engine))
            stores = counts_changed([row.store_id], made, counts_today[0]) if known and made is not None else ()
            out[n] = pooled_moved_part(moved[row.plan_id], known, *_in_scope(engine, stores, scope))
    return out


def _in_scope(engine: Engine, stores: tuple[str, ...], scope: Scope) -> tuple[tuple[str, ...], int]:
    """(those of `stores` that `scope` covers, how many more it does not): a sentence names another store's id only
    to a reader who may see that store, and counts the rest (`pipeline`: the pooled model's one crossing of scope
    hands on counts of stores, never their ids)."""
    if not stores or scope.all_stores:
        return stores, 0
    visible = set(storage.load_stores(engine, scope)[S.store_id].astype(str))
    named = tuple(store for store in stores if store in visible)
    return named, len(stores) - len(named)


def inputs_word(out_of_date: str, week_over: bool, set_aside_by: int = 0) -> str:
    """A listed plan's inputs in words: "week over: kept as made", "out of date: new counts of this store since it
    was made", "out of date: made with settings that were not the chain's" or "as made"; of a draft set aside by the
    published plan `set_aside_by` (`SET_ASIDE`), that: "set aside: plan 10 was published for this week"."""
    if set_aside_by:
        return set_aside(set_aside_by)
    if week_over:
        return "week over: kept as made"
    said = _clauses(out_of_date, "made with")
    return "out of date: " + "; ".join(said) if said else "as made"


def out_of_date_sentence(out_of_date: str) -> str:
    """What a non-empty `OUT_OF_DATE` says of a plan, in a clause: "new counts of this store since it was made",
    "the calendar changed since it was made", "it was made with settings that were not the chain's", "new counts of
    S07 (whose counts shape this store's demand) since it was made move its staff in 3 hours", joined by "and".
    The one place the command line's `plans show` and `plans publish`, and the Plans and Roster pages, word it."""
    return ", and ".join(_clauses(out_of_date, "it was made with"))


def made_before_words(out_of_date: str) -> list[str]:
    """What changed of a plan's own inputs (those of `OUT_OF_DATE` but settings never the chain's and what moved its
    staff), as "This plan was made before ... changed" names them (`staleness.made_before_sentence`): "this store's
    counts", "the calendar"."""
    changed, _, _ = _parts(out_of_date)
    return [OWN_COUNTS if part == WHAT_CHANGED["observations"] else part for part in changed]


def _clauses(out_of_date: str, made_with: str) -> list[str]:
    """The clauses an `OUT_OF_DATE` value is said in: its own store's new counts, the rest of its own inputs that
    changed, settings never the chain's (after `made_with`), and what moved its staff, naming whose counts."""
    changed, not_the_chains, moved = _parts(out_of_date)
    own = WHAT_CHANGED["observations"] in changed
    rest = [part for part in changed if part != WHAT_CHANGED["observations"]]
    return ([OWN_NEW_COUNTS] if own else []) + ([f"{', '.join(rest)} {CHANGED_SINCE_MADE}"] if rest else []) + \
        ([f"{made_with} {NOT_THE_CHAINS}"] if not_the_chains else []) + [_moved_words(part) for part in moved]


def _moved_words(part: str) -> str:
    """A `pooled_moved_part` in words: the stores whose counts moved it named where it names them."""
    bare, stores, others = moved_by(part)
    if (stores or others) and bare.startswith(OTHER_STORES_MOVE + " "):
        return others_new_counts(stores, others, bare[len(OTHER_STORES_MOVE) + 1:])
    return bare


INPUT_SHORT_WORDS = {WHAT_CHANGED["observations"]: OWN_COUNTS_SHORT, WHAT_CHANGED["stores"]: "store file",
                     WHAT_CHANGED["calendar"]: "calendar", WHAT_CHANGED["settings"]: "settings",
                     NOT_THE_CHAINS: "unsaved settings"}
"""What changed since a plan was made, in a word each, for a list of plans narrow enough for 1024 px ("unsaved
settings": the plan was made with a session's changes on the Settings page, never saved as the chain's). The hours
a plan made now moves are said by `_moved_short`."""


def inputs_short(out_of_date: str, week_over: bool, set_aside_by: int = 0) -> str:
    """`inputs_word` in few words, for a table column: "week over", "out of date: new counts of this store,
    settings", "out of date: 3 hours moved by counts of S07" ("by other stores' counts" where the plan cannot tell
    whose), "as made", or "set aside: plan 10 was published for this week"."""
    if set_aside_by:
        return set_aside(set_aside_by)
    if week_over:
        return "week over"
    if not out_of_date:
        return "as made"
    parts = []
    for part in out_of_date.split(", "):  # "the store file (the store is gone)" keeps its note: "store file (…)"
        moved = next((words for words in MOVED_PARTS if part.startswith(words + " ")), None)
        if moved is not None:
            bare, stores, others = moved_by(part)
            hours = bare[len(moved) + 1:]
            parts.append(others_new_counts_short(stores, others, hours) if (stores or others)
                         and moved == OTHER_STORES_MOVE else _moved_short(moved, hours))
            continue
        long = next((words for words in INPUT_SHORT_WORDS if part.startswith(words)), None)
        parts.append(part if long is None else INPUT_SHORT_WORDS[long] + part[len(long):])
    return "out of date: " + ", ".join(parts)


def _moved_short(moved: str, hours: str) -> str:
    """A `pooled_moved_part` in few words, the hours first: "3 hours moved by other stores' counts", "1 hour differs
    when made now" ("other stores' counts: 3 hours" read like counts of 3 hours)."""
    if moved == OTHER_STORES_MOVE:
        return f"{hours} moved by other stores' counts"
    return f"{hours} {'differs' if hours.split()[0] == '1' else 'differ'} when made now"


def week_is_over(iso_week: str, on: date | None = None) -> bool:
    """Whether the week's Sunday is before the date `on` (default `clock.today()`)."""
    return IsoWeek.parse(iso_week).dates()[-1] < (on or clock.today())


def week_begun_note(iso_week: str, on: date | None = None) -> str:
    """A sentence for a plan of a week that has begun by `on` (default `clock.today()`), "" for a week to come: its
    past days are planned as if to come, from counts that may include them (a week mostly over was made and published
    without a word, and Plan vs actual then judged it against the very counts it was made from)."""
    week, on = IsoWeek.parse(iso_week), on or clock.today()
    if week.monday > on:
        return ""
    if week_is_over(iso_week, on):
        return (f"{iso_week} is over (it ended on {week.dates()[-1]:%a %d %b %Y}): a plan of it is a record, not a "
                "schedule to work")
    return (f"{iso_week} began on {week.monday:%a %d %b}: its days up to today ({on:%a %d %b}) are planned as if to "
            "come, from counts that may include them")


def _parts(out_of_date: str) -> tuple[list[str], bool, list[str]]:
    """(what changed since, in words; whether the plan was made with `NOT_THE_CHAINS`; what moved its staff, in
    words: `pooled_moved_part`) of an `OUT_OF_DATE` value."""
    parts = [part for part in out_of_date.split(", ") if part]
    moved = [part for part in parts if part.startswith(MOVED_PARTS)]
    return [part for part in parts if part != NOT_THE_CHAINS and part not in moved], NOT_THE_CHAINS in parts, moved


def unsaved_changes(chain: Settings, session: Settings) -> str:
    """What a session's `session` settings change of the `chain`'s as far as a plan is made with them, in the words
    of the settings' history ("Target wait (seconds) 60 -> 20"); "" when a plan made now is made with the chain's."""
    return storage.changes_between(planning_settings(chain), planning_settings(session))


def out_of_date_of(engine: Engine, plan: Plan, chain: Settings | None = None, scope: Scope = EVERYTHING, *,
                   made_at: datetime | None = None, plan_id: int | None = None) -> str:
    """What changed since the one-store, one-week `plan` was made ("" when nothing did), as `plans_with_status` says
    it of a listed plan: against the `chain`'s settings (default: those saved in the database). `made_at`: when it was
    saved (`StoredPlan.created_at`), which tells settings that were not the chain's (`NOT_THE_CHAINS`) from the
    chain's changed since; without it, any settings differing read as the chain's changed. A plan of a week not
    over whose own inputs are as made is made again when the chain's counts changed since (`pooled_moves`; what
    that found kept for `plan_id`, the saved plan's id, and read from there)."""
    (store,), (week,) = plan.store_ids, plan.request.weeks
    made = {part: getattr(plan.fingerprint, part) for part in PLAN_INPUTS}
    today = _TodaysInputs(engine, [store], chain, scope)
    changed = today.changed_since(store, week, plan.request.what_if_values(), made,
                                  made_request=lambda: plan.request, made_at=made_at)
    if changed or week_is_over(week):
        return changed
    moved = pooled_moves(engine, [(plan_id, plan)], lambda: stored_calendar(engine, scope)).get(plan_id, 0)
    if not moved:
        return ""
    known = plan.pooled_inputs is not None
    stores = counts_changed(plan.store_ids, plan.pooled_counts, pooled_counts_today(engine)) \
        if known and plan.pooled_counts is not None else ()
    return pooled_moved_part(moved, known, *_in_scope(engine, stores, scope))


def plan_staff_moves(engine: Engine, plan_id: int, scope: Scope = EVERYTHING) -> str:
    """The hours in which a plan made now from today's counts requires other staff than saved plan `plan_id`, in
    words, in time order ("Mon 14 Dec 10:00-11:00 -1; Sat 19 Dec 18:00-20:00 +1; and 12 more hours":
    `pooled_moves.moves_text`); "" for
    none. What a page says of the one plan it shows where its status counts them ("in 32 hours")."""
    plan = Plan.from_json(storage.load_plan(engine, plan_id, scope).document)
    return moves_text(staff_moves(engine, plan, stored_calendar(engine, scope)))


def saved_replan_moves(engine: Engine, out_of_date: Mapping[int, str], chain: Settings,
                       scope: Scope = EVERYTHING) -> dict[int, RequirementMoves]:
    """What re-planning each saved plan of `out_of_date` (plan_id -> its `OUT_OF_DATE`) at the chain's settings
    `chain` would change in its requirement (`planner.replan_moves`), with the stored calendar; a plan whose store
    cannot be planned now is left out."""
    plans = [(plan_id, Plan.from_json(storage.load_plan(engine, plan_id, scope).document), changed)
             for plan_id, changed in out_of_date.items()]
    return replan_moves(engine, plans, chain, stored_calendar(engine, scope)) if plans else {}


def saved_change_moves(engine: Engine, out_of_date: Mapping[int, str], before: Settings, after: Settings,
                       scope: Scope = EVERYTHING) -> dict[int, ChangeMoves]:
    """What the change of the chain's settings from `before` to `after` moves in each saved plan of `out_of_date`
    (plan_id -> its `OUT_OF_DATE` after the change), apart from what moved before it (`planner.replan_moves`), with
    the stored calendar; a plan whose store cannot be planned now is left out."""
    plans = [(plan_id, Plan.from_json(storage.load_plan(engine, plan_id, scope).document), changed)
             for plan_id, changed in out_of_date.items()]
    return settings_change_moves(engine, plans, before, after, stored_calendar(engine, scope)) if plans else {}


def stored_calendar(engine: Engine, scope: Scope = EVERYTHING, adding: pd.DataFrame | None = None
                    ) -> pd.DataFrame | None:
    """The stored calendar exceptions of the stores `scope` covers and the chain-wide ones, as `CalendarSchema` rows
    (hours as 'HH:MM-HH:MM'); None when there are none. `adding`: a checked calendar file's rows (`CalendarSchema`),
    not stored yet, in place of the stored rows of the same store and date: the calendar as it will be once the file
    is stored (`plan --calendar` plans with it, and stores the file only with the plan)."""
    rows = storage.load_calendar(engine, scope=scope)
    stored = None if rows.empty else stored_exceptions(rows)
    if adding is not None and not adding.empty:
        from planner.io.calendar import calendar_rows
        from planner.storage.tables import typed_calendar

        # through the stored form, as the rows will be read back once stored (a blank note as '', hours as stored)
        adding = stored_exceptions(typed_calendar(calendar_rows(adding).reset_index(drop=True)))
    merged = merged_calendar(stored, adding)
    return None if merged is None else C.validate(merged.sort_values([C.store_id, C.date], ignore_index=True))


def store_calendar(engine: Engine, frame: pd.DataFrame, file_name: str, content: bytes,
                   scope: Scope = EVERYTHING) -> storage.ImportSummary:
    """Store a validated calendar (`CalendarSchema`, as `planner.io.calendar.validate_calendar` gives it); rows of
    stores outside `scope` refuse it (`OutsideScope`)."""
    from planner.io.calendar import calendar_rows

    return storage.save_calendar(engine, calendar_rows(frame), file_name, sha256_of(content), scope)


def _request_loader(engine: Engine, row, scope: Scope) -> Callable[[], PlanRequest]:
    """The request (settings, what-if values, own min_staff cover) a listed plan was made with, read from its
    document when asked."""
    return lambda: request_from_json(storage.load_plan(engine, row.plan_id, scope).document)


def _made_from(engine: Engine, row, scope: Scope) -> tuple[str, str, dict[str, float | int], dict[str, str]]:
    """A listed plan's store, week, what-if values and input digests: from its row's summary, else its document."""
    made = {part: getattr(row, f"{part}_digest") for part in PLAN_INPUTS}
    if all(isinstance(digest, str) for digest in made.values()):
        return row.store_id, row.iso_week, dict(row.what_if or {}), made
    plan = Plan.from_json(storage.load_plan(engine, row.plan_id, scope).document)
    return (row.store_id, row.iso_week, plan.request.what_if_values(),
            {part: getattr(plan.fingerprint, part) for part in PLAN_INPUTS})


class _TodaysInputs:
    """Today's counts, store file, stored calendar and the chain's settings of some stores, as the digests a plan's
    fingerprint holds; each digest computed once (per store, store-week or what-if values) however many plans ask.
    `chain`: the chain's settings in force (None: those saved in the database)."""

    def __init__(self, engine: Engine, store_ids: list[str], chain: Settings | None, scope: Scope) -> None:
        stores = storage.load_stores(engine, scope)
        self._stores = {store: stores[stores[S.store_id].astype(str) == store] for store in store_ids}
        observations = storage.load_observations(engine, store_ids, scope)
        self._observations = dict(tuple(observations.groupby(O.store_id, sort=False)))
        self._no_observations = observations.iloc[0:0]
        self._calendar = stored_calendar(engine, scope)
        self._engine = engine
        self._settings = chain if chain is not None else storage.chain_settings_of(engine)
        self._chain_changes: list[tuple[pd.Timestamp, Settings | None]] | None = None  # read when first asked
        self._digests: dict[tuple, str] = {}
        self._weeks: dict[str, tuple[pd.DataFrame, dict[str, pd.DataFrame]]] = {}
        self._counted: dict[str, pd.DataFrame] = {}

    def changed_since(self, store: str, week: str, what_if: Mapping[str, float | int],
                      made: Mapping[str, str], made_request: Callable[[], PlanRequest] | None = None,
                      made_at: datetime | pd.Timestamp | None = None) -> str:
        """What differs between the digests a plan of `store` and `week` was made from and today's, in words.

        Today's settings are compared with the plan's own choices applied: its what-if values, and its own
        min_staff cover (`plan --min-staff-cover`), which its settings digest says it asked for, so no document is
        read for it (such a plan read "out of date: the chain's settings changed" as soon as it was made). The
        chain's own min_staff_cover setting is compared as any setting. With `made_request` (the request the plan
        was made with, read only when the digests still differ), a change of a chain target the store's own store
        file overrides (or the plan's what-if) is no change for it: every plan of a store with its own 90% service
        level read "out of date" when the chain's went from 80% to 85%.

        Settings that differ are "the chain's settings" where the plan was made with the chain's settings in force
        at `made_at` (when it was saved), else `NOT_THE_CHAINS`: the app plans with a session's unsaved changes on
        the Settings page, which were never the chain's. (A plan made just before the chain's settings were saved
        and saved just after reads as made with settings not the chain's: made again, it is as made.)"""
        row = self._stores.get(store)
        if row is None or row.empty:
            return WHAT_CHANGED["stores"] + " (the store is gone)"
        today = {
            "observations": self._digest(("observations", store), lambda: observations_digest(
                self._observations.get(store, self._no_observations))),
            "stores": self._digest(("stores", store), lambda: stores_digest(row)),
            "calendar": self._digest(("calendar", store, week), lambda: self._calendar_digest(store, week)),
        }
        changed = [WHAT_CHANGED[part] for part in PLAN_INPUTS if part in today and today[part] != made[part]]
        request = None if made_request is None else cache(made_request)  # one document read for both questions
        if not self._made_with(self._settings, "now", row, what_if, made["settings"], request):
            then = self._chain_at(made_at)
            changed.append(WHAT_CHANGED["settings"] if then is None or self._made_with(
                then[1], then[0], row, what_if, made["settings"], request) else NOT_THE_CHAINS)
        return ", ".join(changed)

    def _made_with(self, chain: Settings, which: object, row: pd.DataFrame, what_if: Mapping[str, float | int],
                   made: str, made_request: Callable[[], PlanRequest] | None) -> bool:
        """Whether a plan of the store of `row` made at `chain` (the chain's settings in force, `which` of them:
        "now" or a change's key) has the settings digest `made`, with its what-if values, its own min_staff cover and
        the targets its store file or what-if overrides applied."""
        what_ifs = tuple(sorted(what_if.items()))
        if self._digest(("settings", which, what_ifs), lambda: settings_digest(chain, what_if)) == made:
            return True
        if self._digest(("settings, own min_staff cover", which, what_ifs), lambda: settings_digest(
                with_min_staff_cover(chain), what_if, own_min_staff_cover=True)) == made:
            return True
        if made_request is None:
            return False
        overridden = tuple(sorted({name for name in STORE_TARGETS
                                   if name in row.columns and row[name].notna().any()} | set(what_if)))
        if not overridden:
            return False
        key = ("settings overridden", which, made, overridden, what_ifs)
        return self._digest(key, lambda: self._overridden_digest(chain, made_request(), overridden, what_if)) == made

    def _chain_at(self, moment: datetime | pd.Timestamp | None) -> tuple[object, Settings] | None:
        """(a key, the chain's settings in force) at `moment`: the latest change saved by then, else the defaults;
        None where that cannot be told (no moment, or settings saved then that cannot be used today)."""
        if moment is None or pd.isna(moment):
            return None
        if self._chain_changes is None:
            self._chain_changes = [(pd.Timestamp(when), chosen)
                                   for when, chosen in storage.chain_settings_changes(self._engine)]
        moment = pd.Timestamp(moment)
        moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment
        before = [n for n, (when, _) in enumerate(self._chain_changes) if when <= moment]
        if not before:
            return "defaults", Settings()
        chosen = self._chain_changes[before[-1]][1]
        return None if chosen is None else (("change", before[-1]), chosen)

    def _overridden_digest(self, chain: Settings, made_with: PlanRequest, overridden: tuple[str, ...],
                           what_if: Mapping[str, float | int]) -> str:
        """The settings digest of `chain` with the targets in `overridden` as the plan was made with them, and the
        plan's own min_staff cover applied. (The cache key holds the plan's settings digest, which tells whether it
        asked for that cover.)"""
        made_targets = made_with.settings.targets
        kept = {name: getattr(made_targets, name) for name in overridden if hasattr(made_targets, name)}
        in_force = chain.with_targets(**kept)
        own = made_with.min_staff_cover
        return settings_digest(with_min_staff_cover(in_force) if own else in_force, what_if, own)

    def _digest(self, key: tuple, compute) -> str:
        if key not in self._digests:
            self._digests[key] = compute()
        return self._digests[key]

    def _calendar_digest(self, store: str, week: str) -> str:
        """The digest of `store`'s exceptions in `week` as the plan applied them (`make_plan` adds the week to each)
        and of the rows its counts are read under today (`counted_date_rows`, once per store); the week's
        exceptions are built once for every listed store."""
        if week not in self._weeks:
            exceptions = week_exceptions(self._calendar, list(self._stores), IsoWeek.parse(week)).assign(iso_week=week)
            self._weeks[week] = (exceptions.iloc[0:0], dict(tuple(exceptions.groupby("store_id", sort=False))))
        nothing, by_store = self._weeks[week]
        if store not in self._counted:
            self._counted[store] = counted_date_rows(self._calendar, self._stores[store],
                                                     self._observations.get(store, self._no_observations))
        return calendar_digest(by_store.get(store, nothing), self._counted[store])
