"""The command line's dated plans: `plan` (make one for ISO weeks, save it, publish it), `plans list|show|publish`
(the saved ones) and `review` (a published plan against the counts that came after it)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from planner.access.scope import PUBLISH, Scope, publish_hint
from planner.cli_files import PLAN_WITH_CALENDAR, checked_calendar, plans_as_made_before, say_out_of_date
from planner.cli_flags import (
    EXIT_INPUT, EXIT_OK, PLAN_ID, PROG, BadInput, Once, add_by_flag, add_target_flags, iso_week_flag, output_folder,
    rule_help, what_if,
)
from planner.cli_io import WEEK_PLACEHOLDER, WarningsHeld, asked_for, print_saved, progress_bar
from planner.cli_users import cannot_plan_note, known_store, say_left_out, scope_of, who_makes
from planner.settings import Settings
from planner.surfaces.fixes import plan_on_command_line
from planner.surfaces.plans import REPLAN_PUBLISHED_HELP, replanned_published
from planner.words import agreeing, first_named


def add_plan(commands) -> None:
    dated = commands.add_parser("plan", help="a plan for dated ISO weeks: staff per date and hour, and dated shifts")
    dated.add_argument("--week", action="append", dest="weeks", required=True, type=iso_week_flag, metavar="2026-W50",
                       help="ISO week, Monday to Sunday (repeatable)")
    dated.add_argument("--store", action="append", dest="stores", metavar="S",
                       help="store id (repeatable; default all). A store named that cannot be planned is left out and "
                            "named, the others planned, exit 1; refused whole when none can be planned")
    dated.add_argument("--calendar", type=Path, metavar="FILE",
                       help="store calendar (CSV/XLSX) to plan with, stored with the plan (not when the plan fails): "
                            "store_id (blank or * for every store), date, closed, hours or opens/closes, "
                            "demand_factor, note (default: the stored calendar)")
    dated.add_argument("--out-dir", type=output_folder, metavar="DIR",
                       help="write plan.json, plan_shifts.csv, plan_requirement.csv, plan_summary.csv here")
    dated.add_argument("--publish", action="store_true",
                       help="publish the saved plan: it becomes the plan of its stores and week, the one before "
                            "is kept as history. A store that cannot be planned, has no counts yet (min_staff "
                            "cover off) or whose plan has no shift is left out and named, the others published, exit "
                            "1; refused whole when no store can be published")
    dated.add_argument("--min-staff-cover", action="store_true", help=rule_help("min_staff_cover"))
    add_by_flag(dated)
    add_target_flags(dated)
    dated.set_defaults(command=_plan, file_command=PLAN_WITH_CALENDAR,  # its calendar's fixes name the plan
                       creates_database=True)


def add_plans(commands) -> None:
    saved = commands.add_parser("plans", help="saved plans: list them, show one, publish a draft, re-plan those out "
                                "of date")
    kept = saved.add_subparsers(required=True, metavar="list|show|publish|replan")
    listed = kept.add_parser("list", help="saved plans, newest first, and whether their inputs changed since")
    listed.add_argument("--store", metavar="S", help="only this store's plans", action=Once)
    listed.add_argument("--week", type=iso_week_flag, metavar="2026-W50", help="only this week's plans")
    listed.set_defaults(command=_plans_list)
    shown = kept.add_parser("show", help="a saved plan's dated shifts and requirement")
    shown.add_argument("plan_id", type=PLAN_ID, metavar="ID", help="the saved plan's id, as `plans list` shows it")
    shown.add_argument("--out-dir", type=output_folder, metavar="DIR",
                       help="write plan.json, plan_shifts.csv, plan_requirement.csv, plan_summary.csv here")
    shown.set_defaults(command=_plans_show)
    published = kept.add_parser("publish", help="publish draft plans: each becomes the plan of its store and week, "
                                "the one published before is kept as history")
    published.add_argument("plan_ids", type=PLAN_ID, metavar="ID", nargs="+",
                           help="the drafts to publish (`plan` names them): all of them, or none when one may not be")
    published.add_argument("--publish-anyway", action="store_true",
                           help="publish it even when it is out of date (its counts, calendar, store file row or the "
                                "chain's settings changed since it was made, as `plans list` says): refused without "
                                "this flag")
    add_by_flag(published)
    published.set_defaults(command=_plans_publish)
    replanned = kept.add_parser("replan", help="re-plan the out-of-date published plans, each as a new draft")
    replanned.add_argument("--out-of-date", action="store_true", required=True,
                           help="the published plans `plans list` calls out of date, of weeks not over. "
                                + REPLAN_PUBLISHED_HELP + " A published plan whose week has a newer draft that is "
                                "as made already is not made again")
    replanned.add_argument("--store", metavar="S", help="only this store's plans", action=Once)
    replanned.add_argument("--week", type=iso_week_flag, metavar="2026-W50", help="only this week's plans")
    add_by_flag(replanned)
    replanned.set_defaults(command=_plans_replan)


def add_review(commands) -> None:
    review = commands.add_parser("review", help="the published plan of a store and week against the counts since")
    review.add_argument("--store", required=True, metavar="S", action=Once, help="store id")
    review.add_argument("--week", required=True, type=iso_week_flag, metavar="2026-W41", action="append",
                        help="ISO week, Monday to Sunday; repeat it to judge several weeks' plans together")
    review.set_defaults(command=_review)


# --- commands ----------------------------------------------------------------------------------------------------

def _plan(args, settings: Settings) -> int:
    from planner import storage
    from planner.plans import PlanRequest

    from planner.saved_plans import PLAN_RECORD, refuse_weeks_over

    engine = storage.connect(settings)
    # a refused --by, like a refused --publish, is said before the plan is made, not after
    who = who_makes(args, engine)
    scope = scope_of(args)  # the --by user's, where one is named
    if args.publish:
        scope.require(PUBLISH)
    try:  # --min-staff-cover is the plan's own choice, as a what-if is: no change of the chain's settings
        request = PlanRequest(weeks=tuple(args.weeks), store_ids=tuple(args.stores or ()), settings=settings,
                              what_if=what_if(args), min_staff_cover=args.min_staff_cover)
    except ValueError as error:
        raise BadInput(str(error)) from error
    if args.publish:  # a week that is over, refused before the plan's seconds, as the save would refuse it after
        refuse_weeks_over(request.weeks, "no plan was saved or published", PLAN_RECORD)
    # the calendar checked first, planned with, and stored only with the plan: a plan that fails keeps none of it
    calendar = checked_calendar(engine, args.calendar, settings, scope) if args.calendar else None
    # its warnings said with the plan, or on standard error with a refusal that comes after the file's check
    with WarningsHeld(() if calendar is None else calendar.problems, PLAN_WITH_CALENDAR):
        return _plan_with(args, engine, request, calendar, who, scope)


def _plan_with(args, engine, request, calendar, who: str, scope: Scope) -> int:
    """`plan` once its request (and its --calendar file, `calendar`: checked, or None) is accepted: the plan made,
    printed, saved (published with --publish) and its files written."""
    from planner.pipeline import make_plan
    from planner.plans.export import plan_text, write_plan

    from planner.saved_plans import (
        plannable_request, publishable_part, publishable_request, save_made_plan_with_calendar, stored_calendar,
        week_begun_note,
    )

    for week in dict.fromkeys(request.weeks):
        begun = week_begun_note(week)
        if begun:
            print(f"note: {begun}", file=sys.stderr)
    planned_with = stored_calendar(engine, scope, None if calendar is None else calendar.frame)
    # published, every store asked for that can be published is, and each other is left out and said why, as the
    # Plans page's Make and publish does (`saved_plans.make_publishable`, in two steps here to print the plan made
    # before a refusal): a store that cannot be planned, one with no counts yet, one whose plan has no shift refused
    # the plan of the whole chain, or of S01 beside it. A draft of stores named leaves out those that cannot be
    # planned, as the page's Make plan does (`saved_plans.plannable_request`): one refused the drafts of them all
    left_out = {}
    if args.publish:
        with _refusals_in_command_line_words():
            request, left_out = publishable_request(engine, request, planned_with, scope)
    elif args.stores:
        request, left_out = plannable_request(engine, request, planned_with, scope)
    with progress_bar() as progress:
        plan = make_plan(engine, request, calendar=planned_with, progress=progress, scope=scope)
    print(plan_on_command_line(plan_text(plan)))
    saving = plan
    if args.publish:
        with _refusals_in_command_line_words():  # nothing to publish: said after the plan that shows why
            saving, left_out = publishable_part(plan, left_out)
    elif not args.stores:  # a store that cannot be planned is left out of every store, and said so, not dropped unseen
        say_left_out(engine, args, planned_with, request.iso_weeks)
    for reason in left_out.values():
        print(f"left out: {plan_on_command_line(reason)}", file=sys.stderr)
    # the files only once the plan is saved: a refused save (a week over, a plan without a shift, published) left
    # them written, as if the plan they hold had been kept
    # the calendar stored with the plan is every plan's: one of another store or week goes out of date by it
    as_made = frozenset() if calendar is None else plans_as_made_before(engine, scope)
    with _refusals_in_command_line_words():  # all or none
        ids, stored = save_made_plan_with_calendar(engine, saving, who, calendar, scope, publish=args.publish)
    if stored is not None:
        print(stored)
    making = f"{PROG} plan " + " ".join([f"--week {week}" for week in dict.fromkeys(args.weeks)]
                                        # the stores planned: one left out would be left out again
                                        + [f"--store {store_id}" for store_id in
                                           dict.fromkeys(request.store_ids if args.stores else ())])
    print(f"saved as {agreeing(len(ids), 'plan')} {', '.join(map(str, ids))}" + ("" if args.publish else
          f" ({agreeing(len(ids), 'draft')}; {_drafts_hint(plan, ids, scope, making)})"))
    if args.publish:
        for plan_id, row in zip(ids, saving.index_rows(), strict=True):
            print(f"published plan {plan_id}: {row['store_id']} {row['iso_week']}")
    say_out_of_date(engine, as_made, scope)
    if args.out_dir:
        try:
            print("written: " + ", ".join(str(path) for path in write_plan(saving, args.out_dir)))
        except OSError:  # all or none of the files; the plan is saved all the same, and its files can be had again
            print(f"note: the plan is saved, its files are not: `{PROG} plans show ID --out-dir DIR` writes a saved "
                  "plan's files", file=sys.stderr)
            raise
    if left_out:  # the others are saved; the exit status says not every store asked for was (`plan --publish` in a
        # script went on as if the chain's week were published)
        # "store left out" said a store of several weeks was not published where its other weeks were: the lines
        # above name each store's weeks left out
        done = ("published", "published") if args.publish else \
            ("planned", f"saved as {agreeing(len(ids), 'a draft', 'drafts')}")
        print(f"not all {done[0]}: {first_named(list(left_out), 10)} left out as said above; the rest of the plan is "
              f"{done[1]}", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


@contextmanager
def _refusals_in_command_line_words():
    """A plan refused for having no shift (`saved_plans.EmptyPlans`), or a publish refused with nothing to publish
    (`saved_plans.NothingToPublish`), both said in a page's words, as the command line says it: `plan
    --min-staff-cover`, `settings set` and --store (`plan_on_command_line`), where the Plans page names its switch."""
    from planner.errors import InvalidRequest
    from planner.saved_plans import EmptyPlans, NothingToPublish

    try:
        yield
    except (EmptyPlans, NothingToPublish) as refused:
        raise InvalidRequest(plan_on_command_line(str(refused))) from refused


def _drafts_hint(plan, ids: list[int], scope, making: str) -> str:
    """How the drafts just saved get published: by their ids (`plan ... --publish` would solve again and leave them
    behind); those of weeks over are not, and are said so (the hint named `plans publish 1` for a plan of 2024-W10,
    and that command refused it)."""
    from planner.saved_plans import empty_store_weeks, ended_weeks, over_verb, week_is_over

    rows = [(row["store_id"], row["iso_week"]) for row in plan.index_rows()]
    weeks = [week for _, week in rows]
    # nor one with no shift (a store never counted): `plans publish` refused those too
    empty = {(store, week) for store, week, *_ in empty_store_weeks(plan)}
    shiftless = [f"plan {plan_id} ({store} {week})" for plan_id, (store, week)
                 in zip(ids, rows, strict=True) if (store, week) in empty and not week_is_over(week)]
    # one command for them all: nine stores' drafts were "`plans publish 1` and `plans publish 2` and ..."
    publishable = [str(plan_id) for plan_id, (store, week) in zip(ids, rows, strict=True)
                   if not week_is_over(week) and (store, week) not in empty]
    publishing = [f"{PROG} plans publish {' '.join(publishable)}"] if publishable else []
    ended, over = ended_weeks(weeks), over_verb(weeks)
    return "; ".join(([publish_hint(scope, making, drafted=True, publishing=publishing, drafts=len(publishable))]
                      if publishing else [])
                     + ([f"{', '.join(shiftless)} {agreeing(len(shiftless), 'has', 'have')} no shift, so "
                         f"{agreeing(len(shiftless), 'it is', 'they are')} not published: see above"] if shiftless else [])
                     + ([f"{ended} {over}, so no plan of {'them' if over == 'are over' else 'it'} is published now"]
                        if ended else []))


def _plans_list(args, settings: Settings) -> int:
    from planner import storage
    from planner.saved_plans import OUT_OF_DATE, SET_ASIDE, WEEK_OVER, inputs_word, plans_with_status

    engine = storage.connect(settings)
    if args.store:  # a typing slip said "no saved plans", as if the store had none
        known_store(engine, args, planned=False)
    table = plans_with_status(engine, settings, args.store, args.week, scope_of(args))
    if table.empty:
        # the store and week asked for: it named 2026-W50, whatever was asked (a plan's stores default to all)
        store = f" --store {args.store}" if args.store else ""
        print(f"no saved plans{asked_for(args.store, args.week)}: make one with `{PROG} plan --week "
              f"{args.week or WEEK_PLACEHOLDER}{store}`")
        return EXIT_OK
    print_saved(table, "plan_id", "inputs", [
        inputs_word(out_of_date, week_over, int(aside))
        for out_of_date, week_over, aside in zip(table[OUT_OF_DATE], table[WEEK_OVER], table[SET_ASIDE], strict=True)])
    return EXIT_OK


def _plans_show(args, settings: Settings) -> int:
    from planner import storage
    from planner.plans import Plan
    from planner.plans.export import plan_text, write_plan
    from planner.saved_plans import out_of_date_of, out_of_date_sentence, week_is_over
    from planner.surfaces.plans import set_aside

    engine, scope = storage.connect(settings), scope_of(args)
    stored = storage.load_plan(engine, args.plan_id, scope)
    plan = Plan.from_json(stored.document)
    published = f", published {stored.published_at:%Y-%m-%d %H:%M} UTC by {stored.published_by}" \
        if stored.published_at else ""
    print(f"plan {stored.plan_id}: {stored.store_id} {stored.iso_week}, {stored.status}, made "
          f"{stored.created_at:%Y-%m-%d %H:%M} UTC by {stored.created_by}{published}")
    published = storage.published_plan(engine, stored.store_id, stored.iso_week, scope) \
        if stored.status == "draft" else None
    aside = published.plan_id if published is not None and published.plan_id > stored.plan_id else 0
    changed = "" if aside else out_of_date_of(engine, plan, settings, scope, made_at=stored.created_at,
                                              plan_id=stored.plan_id)
    if aside:  # as `plans list` says it: no plan to make again or publish
        print(set_aside(aside))
    elif week_is_over(stored.iso_week):  # counts of its own dates came in after it: nothing to make again
        print("its week is over: it stays as it was made (`review` judges it against the counts of its dates)")
    else:
        print(f"out of date: {out_of_date_sentence(changed)}; make it again" if changed
              else "its inputs are as they were when it was made")
    print(plan_on_command_line(plan_text(plan)))
    if args.out_dir:
        print("written: " + ", ".join(str(path) for path in write_plan(plan, args.out_dir)))
    return EXIT_OK


def _plans_publish(args, settings: Settings) -> int:
    """The app's Publish for a saved draft: the same checks (`saved_plans.publish_plans`) and role rules; an out-of-date
    draft only with --publish-anyway (the page's tick)."""
    from planner import storage
    from planner.plans import Plan
    from planner.saved_plans import OutOfDatePlan, out_of_date_of, out_of_date_sentence, publish_plans, remake_command

    engine = storage.connect(settings)
    who = who_makes(args, engine)  # the --by user's role, as `plan --publish` takes it
    scope = scope_of(args)
    ids = list(dict.fromkeys(args.plan_ids))
    # the plan each replaces, read before (two of one store-week: the second replaces the first)
    before = {}
    for plan_id in ids:
        store_week = _store_week_of(engine, plan_id, scope)
        before.setdefault(store_week, storage.published_plan(engine, *store_week, scope))
    changed_before = {}
    if args.publish_anyway:  # what each was out of date by, said after it is published
        for plan_id in ids:
            stored = storage.load_plan(engine, plan_id, scope)
            plan = Plan.from_json(stored.document)
            changed_before[plan_id] = (out_of_date_of(engine, plan, settings, scope, made_at=stored.created_at,
                                                      plan_id=plan_id), remake_command(plan.request, stored.store_id))
    try:  # judged against the chain's settings, as `plans list` and `plans show` judge it
        with _refusals_in_command_line_words():
            done = publish_plans(engine, ids, who, scope, anyway=args.publish_anyway, chain=settings)
    except OutOfDatePlan as refused:  # kept a draft: the two ways on, as `rosters publish` says them
        none = f" So none of {agreeing(len(ids), 'plan')} {', '.join(map(str, ids))} was published." \
            if len(ids) > 1 else ""
        print(f"{refused} Or add --publish-anyway to publish it as it is.{none}", file=sys.stderr)
        return EXIT_INPUT
    for stored in done:
        replaced = before.pop((stored.store_id, stored.iso_week), None)
        before[(stored.store_id, stored.iso_week)] = stored
        superseded = f"; plan {replaced.plan_id} is kept as superseded" if replaced is not None else ""
        print(f"published plan {stored.plan_id}: {stored.store_id} {stored.iso_week}, by {stored.published_by}"
              f"{superseded}")
    for plan_id, (changed, remake) in changed_before.items():  # said after, as `rosters publish --publish-anyway` does
        if changed:
            print(f"note: plan {plan_id} was published out of date: {out_of_date_sentence(changed)} "
                  f"({remake} makes it again)", file=sys.stderr)
    return EXIT_OK


def _plans_replan(args, settings: Settings) -> int:
    """The Plans page's *Re-plan the N out-of-date published plans*: each made again as a new draft, with a progress
    bar, said in the page's words with the `plans publish` command for the drafts left to publish."""
    from planner import storage
    from planner.replan_published import replan_out_of_date_published
    from planner.saved_plans import plans_with_status

    engine = storage.connect(settings)
    who = who_makes(args, engine)
    scope = scope_of(args)
    if args.store:
        known_store(engine, args, planned=False)
    listed = plans_with_status(engine, settings, args.store, args.week, scope)
    with progress_bar("plans", "plan") as progress:
        done = replan_out_of_date_published(engine, listed, settings, who, progress=progress, scope=scope)
    publish = f"(`{PROG} plans publish {' '.join(map(str, done.to_publish))}`)"
    print(replanned_published(done.made, done.awaiting, done.failed, publish))
    return EXIT_INPUT if done.failed else EXIT_OK


def _review(args, settings: Settings) -> int:
    from planner import storage
    from planner.pipeline import published_once, review_published_plans
    from planner.review import review_text
    from planner.saved_plans import ended_weeks

    weeks = list(dict.fromkeys(args.week))
    engine = storage.connect(settings)
    known_store(engine, args, planned=False)  # a published plan is reviewed as it was published
    reviewed = review_published_plans(engine, settings, args.store, weeks, scope_of(args))
    if reviewed is not None:
        count = len(reviewed[0])
        plans = f"{agreeing(count, 'plan')} {', '.join(str(stored.plan_id) for stored in reviewed[0])}"
        cannot_plan_note(engine, args, weeks, f"{plans} {agreeing(count, 'is', 'are')} reviewed as published, "
                         "without working out the requirement again")
    published = {} if reviewed is None else {stored.iso_week: stored for stored in reviewed[0]}
    # a store never counted: `plan --publish` refuses a plan without a shift, so the hint is one with min_staff cover
    uncounted = reviewed is None and storage.load_observations(engine, [args.store], scope_of(args)).empty
    cover = " --min-staff-cover" if uncounted else ""
    for week in weeks:
        if week not in published:  # a week that is over is not published now: `plan --publish` would be refused
            ended = ended_weeks([week])
            print(f"no published plan for {args.store} in {week}: "
                  + (f"{ended} is over, so none can be published now. review compares a week's published plan with "
                     "the counts of its dates" if ended else
                     (f"{args.store} has no counts yet, so a plan of it has shifts only at the store's minimum "
                      "staff: " if uncounted else "")
                     + publish_hint(scope_of(args), f"{PROG} plan --week {week} --store {args.store}{cover}")))
    if reviewed is None:
        return EXIT_OK
    # the date on the store's clock, as each day's line names it
    label = ", ".join(f"plan {once.plan_id} for {once.iso_week} published {once.published_on:%Y-%m-%d}"
                      for once in published_once(engine, settings, args.store, list(published.values()),
                                                 scope_of(args)))
    print(review_text(reviewed[1], args.store, label, {week: stored.plan_id for week, stored in published.items()}))
    return EXIT_OK


# --- helpers -----------------------------------------------------------------------------------------------------

def _store_week_of(engine, plan_id: int, scope: Scope) -> tuple[str, str]:
    from planner import storage

    stored = storage.load_plan(engine, plan_id, scope)  # UnknownRecord, in the same words for others' plans
    return stored.store_id, stored.iso_week
