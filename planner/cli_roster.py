"""The command line's rosters: `roster` makes (or `--show`s) a store's week of named shifts and saves or publishes
it; `roster replan` re-plans published rosters after absences. Both print the roster grid and write its files
(`--out`, `--out-dir`). A draft saved here is published as it was saved by `rosters publish ID` (`cli_rosters`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.access.scope import PUBLISH, publish_hint
from planner.cli_flags import (
    EXIT_INPUT, EXIT_OK, EXIT_UNAVAILABLE, PROG, BadInput, add_by_flag, csv_file, date_flag, iso_week_flag,
    output_folder, roster_rule_help,
)
from planner.cli_io import WarningsHeld, read_files, search_bar, write_text
from planner.cli_users import cannot_plan_note, known_store, scope_of, who_makes
from planner.errors import InputRejected
from planner.settings import Settings
from planner.surfaces.fixes import GIVE_THE_STORE_ITS_ZONE, SET_THE_CHAINS_TIME_ZONE, FileCommand
from planner.surfaces.roster import calendar_out_of_date, measured_against
from planner.words import IN_CURRENCY, agreeing, counted, money, number_text

NOTE_CHARS = 500
"""Most characters of a saved roster's note (the database column's size)."""
NOT_REPLANNED = "nothing was re-planned"
"""What errors in `roster replan`'s absence file stopped."""
FLOATING_CALENDARS = (f"the calendars' times are the store's local time, with no time zone; "
                      f"{SET_THE_CHAINS_TIME_ZONE.command_line}, or {GIVE_THE_STORE_ITS_ZONE.said_by()}, so calendar "
                      "apps in other zones show them right")
"""What `--out-dir` says after writing calendars of a store without a time zone (the Roster page's
`planner.roster_export.FLOATING_TIMES`, with the command that sets one)."""
REPLAN = FileCommand("re-plan with", f"{PROG} roster replan --absence FILE ...",
                     f"{PROG} roster replan --absence FILE ..., once for each")
"""What reads the absence file again, as its fixes name it: the re-plan (`import` stores absences, not re-plans)."""


def add_roster(commands) -> None:
    rostered = commands.add_parser("roster", help="named shifts for a store's week within contracts, availability "
                                   "and labour rules; `roster replan` after an absence or a new plan")
    # --show with a flag of making one showed the published roster and ignored the flag, exit 0
    showing = rostered.add_mutually_exclusive_group()
    show = showing.add_argument("--show", action="store_true", help="show the published roster instead of making "
                                "one (none of --publish, --publish-anyway, --by)")
    made = _add_roster_flags(rostered, required=False, publish_into=showing)
    anyway = rostered.add_argument("--publish-anyway", action="store_true",
                                   help="publish it even when it is the quick roster or leaves required staff-hours "
                                        "uncovered (--publish refuses such a roster and keeps it as a draft)")
    rostered.refuse_together(show, anyway, *made)
    rostered.set_defaults(command=_roster, creates_database=True)  # not with --show (`planner.cli`)
    roster_actions = rostered.add_subparsers(metavar="replan")
    again = roster_actions.add_parser("replan", help="re-plan published rosters after absences, or one whose plan "
                                      "was replaced to follow the plan in force (--store and --week, no --absence), "
                                      "changing as few shifts as possible; lists each change and its premium")
    again.add_argument("--absence", type=Path, metavar="FILE",
                       help="absence file (CSV/XLSX): employee_id, first_day, last_day, reason; without it, the "
                            "published roster of --store and --week is re-planned to follow the plan in force")
    _add_roster_flags(again, required=False, hidden_default=True)
    again.add_argument("--today", type=date_flag, metavar="YYYY-MM-DD",
                       help="the day of the change, for the notice window (default: today)")
    again.add_argument("--keep-untouched-days", action="store_true",
                       help=roster_rule_help("keep_untouched_days"))
    again.add_argument("--publish-anyway", action="store_true", default=argparse.SUPPRESS,
                       help="publish it even when it is the quick re-plan (the search stopped before its own; "
                            "--publish refuses it); a re-plan short of staff is published with a warning")
    again.set_defaults(command=_roster_replan, file_command=REPLAN)


# --- commands ----------------------------------------------------------------------------------------------------

def _roster(args, settings: Settings) -> int:
    if not args.store or not args.week:
        raise BadInput("name the store and the week: roster --store S01 --week 2026-W50")
    from planner import storage
    from planner.rostering import documents, publishing, standing, store_week

    from planner.roster.result import INFEASIBLE, NO_ROSTER_FOUND

    engine = storage.connect(settings)
    # shown as saved, a roster needs only a known store; one made needs a store that can be planned
    known_store(engine, args, planned=not args.show)
    if args.show:
        saved = documents.published(engine, args.store, args.week, scope_of(args))
        if saved is None:  # for a store without people, not `roster --publish`, which refuses it
            unstaffed = storage.load_employees(engine, [args.store], scope_of(args)).empty
            print(f"no roster is published for {args.store} in {args.week}: "
                  f"{store_week.no_employees(args.store) if unstaffed else _how_to_publish(args)}")
            return EXIT_OK
        if args.out_dir:  # as `roster --publish --out-dir`: refused before any file, not after the rest was written
            _refuse_calendars(engine, settings, [args.store], "the published roster's files hold each person's "
                              "calendar, so nothing was written: run this again once the store's time zone is known, "
                              "or without --out-dir to show the roster (--out writes its shifts as CSV)", (saved,))
        cannot_plan_note(engine, args, [args.week], f"roster {saved.roster_id} is shown as published, without working out "
                         "its requirement again")
        from planner.calendar import IsoWeek

        monday = IsoWeek.parse(args.week).monday
        since = [said for said in (_requirement_since(engine, args, settings, saved),
                                   standing.rules_since(settings, saved),
                                   standing.zone_since(engine, settings, saved)) if said]
        now, measured = _measured_now(engine, settings, saved, scope_of(args))
        _print_roster(saved.shifts, saved.people, saved.hours, saved.sentences, saved.status_sentence,
                      f"Published roster {saved.roster_id}; requirement: {standing.shown_source(saved)}"
                      + "".join(f"; {said}" for said in since) + ".", monday,
                      _away(engine, args, saved.people, monday), now=measured,
                      figures_of="" if now is None else measured_against(now.made_for))
        replaced = standing.plan_replaced(engine, saved)
        _write_roster_files(args, saved, engine, monday, settings,
                            calendar_note=calendar_out_of_date(replaced) if replaced else "")
        return EXIT_OK
    # refusals before the solver's seconds, not after (its files were written by then)
    who = who_makes(args, engine, "roster")
    args.publish = args.publish or args.publish_anyway
    if args.publish:
        scope_of(args).require(PUBLISH)
        publishing.refuse_week_over(args.week, "saved or published")  # as `plan --publish`: before the search
        if args.out_dir:  # its calendars would be refused after the search, with nothing saved or published
            _refuse_calendars(engine, settings, [args.store], "a published roster writes each person's calendar, so "
                              "nothing was rostered, saved, published or written: run this again once the store's "
                              "time zone is known, or without --out-dir to publish the roster without its files")
    print(f"rostering {args.store} {args.week}… (at most {settings.roster.time_limit_seconds:g} s)", file=sys.stderr)
    with search_bar() as progress:  # from the store-week read to the roster found: the solver's seconds
        run = store_week.make_roster(engine, settings, args.store, args.week, scope_of(args), progress)
    roster = run.roster
    monday = roster.instance.week_start
    _print_roster(roster.shifts, roster.people, roster.hours, roster.sentences, roster.status_sentence,
                  f"Requirement: {run.requirement_source}.", monday,
                  _away(engine, args, roster.people, monday, roster.instance.absences))
    caution = publishing.publish_caution(roster) if args.publish and not args.publish_anyway else ""
    # a draft (also one --publish keeps as a draft for its caution) writes no calendars: people import them as their
    # shifts, and a draft's were never published
    _write_rosters_files(args, [(roster.shifts, roster.people, roster.hours, monday, "", roster.instance.absences, "")],
                         engine, settings,
                         unpublished="" if args.publish and not caution else _draft_files(args, caution))
    if roster.status in (NO_ROSTER_FOUND, INFEASIBLE):  # said in the status sentence above
        print("nothing saved" + (" or published" if args.publish else ""), file=sys.stderr)
        return EXIT_UNAVAILABLE if roster.status == NO_ROSTER_FOUND else EXIT_INPUT
    if roster.shifts.empty:
        print("no shifts to roster: nothing saved" + (" or published" if args.publish else ""), file=sys.stderr)
        return EXIT_OK
    roster_id = publishing.save_roster_run(engine, run, who, publish=args.publish and not caution, scope=scope_of(args))
    if caution:  # a quick or short roster is published only when asked for as it is: this one, not a new search's
        print(f"saved as roster {roster_id}, a draft: not published. {caution} Or `{PROG} rosters publish {roster_id} "
              "--publish-anyway` publishes it as it is.", file=sys.stderr)
        return EXIT_INPUT
    print(f"saved as roster {roster_id}"
          + (", published" if args.publish else f" (draft; {_how_to_publish(args, drafted=roster_id)})"))
    return EXIT_OK


def _require_plannable(engine, args, store_id: str, iso_week: str) -> None:
    """A re-plan of a store that cannot be planned (`select_stores`: its stored row) is refused before any re-plan,
    in words that say it is the re-plan refused and that nothing was stored, then why and the fix: it read as a
    bare "cannot be planned" after "re-planning S03 2026-W50…"."""
    from planner import storage
    from planner.errors import PlannerError
    from planner.pipeline import select_stores

    try:
        select_stores(storage.load_stores(engine, scope_of(args)), [store_id], scope_of(args))
    except PlannerError as refused:
        raise PlannerError(f"{store_id} {iso_week} is not re-planned, and nothing was stored or published "
                           f"(the published roster stays as it is): {refused} Then run this re-plan again.") from None


def _how_to_publish(args, *, drafted: int | None = None) -> str:
    """How the store-week's roster gets published, for the role running the command (`publish_hint`); `drafted`:
    the id of the draft just saved, published by `rosters publish ID` (`roster --publish` would search again, and
    its roster may differ from the one just read). For a week that is over, that it is not (publishing is refused)."""
    from planner.saved_plans import ended_weeks

    ended = ended_weeks([args.week])
    if ended:
        return f"{ended} is over, so no roster of it is published now"
    publishing = [] if drafted is None else [f"{PROG} rosters publish {drafted}"]
    return publish_hint(scope_of(args), f"{PROG} roster --store {args.store} --week {args.week}",
                        drafted=drafted is not None, publishing=publishing)


def _draft_files(args, caution: str = "") -> str:
    """What `--out-dir`'s line says of a draft's files: that it writes no calendars (.ics), which are written only
    for a published roster, and how this role gets this draft published (`caution`: --publish kept it as a draft).
    The files are written before the draft is saved, so its id is said on the line after."""
    from planner.saved_plans import ended_weeks

    ended = ended_weeks([args.week])
    if ended:
        how = f"{ended} is over, so no roster of it is published now"
    elif not scope_of(args).may(PUBLISH):
        how = f"a planner publishes it: a {scope_of(args).role.replace('_', ' ')} may not"
    elif caution:  # this draft, by the id it is saved as (said below): --publish-anyway would search again
        how = f"`{PROG} rosters publish ID --publish-anyway`, with the id it is saved as, publishes it as it is"
    else:
        how = f"`{PROG} rosters publish ID`, with the id it is saved as, publishes it"
    return ("a draft, not published, so no calendars (.ics): they are written only when the roster is published "
            f"({how}; `roster --show --out-dir DIR` writes them for the published roster)")


def _how_to_store(args) -> str:
    """How absences that hit no published shift get stored, for the role: `--publish` for a role that may publish;
    else importing the file, which a store manager or regional lead may (uploads), where --publish refuses them."""
    scope = scope_of(args)
    if scope.may(PUBLISH):
        return "add --publish to store them, so that later rosters keep them"
    return (f"`{PROG} import {args.absence}` stores them, so that later rosters keep them (--publish is for roles that "
            f"may publish: a {scope.role.replace('_', ' ')} may not)")


def _how_to_publish_replan(args, weeks: list[str], today) -> str:
    """How a previewed re-plan gets published, for the role: --publish, or a planner's for a role that may not; for
    `weeks` over by the command's `today`, that it is not (`--publish` would be refused)."""
    from planner.saved_plans import ended_weeks

    ended = ended_weeks(weeks, today)
    if ended:
        return f"{ended} is over, so no re-plan of it is published now"
    scope = scope_of(args)
    again = (f"{PROG} roster replan --store {args.store} --week {args.week} --publish" if args.absence is None
             else f"{PROG} roster replan --absence {args.absence} --publish")
    if scope.may(PUBLISH):
        store = "" if args.absence is None else "store the absences and "
        return f"add --publish to {store}publish it (its calendars, one per person, are written then)"
    return (f"ask a planner to publish it (`{again}`): a {scope.role.replace('_', ' ')} may not publish")


def _roster_replan(args, settings: Settings) -> int:
    if args.show:  # `roster --show replan ...` re-planned, --show ignored unsaid
        raise BadInput("argument --show: not allowed with replan (`roster --show` shows the published roster, "
                       "`roster replan` re-plans it: give one of them)")
    from planner import storage
    from planner.intake import file_kind, rows_elsewhere
    from planner.io import read_table
    from planner.io.employees import ABSENCE_ROWS_ARE, validate_absences
    from planner.io.raw_table import EmptyFirstSheet

    engine = storage.connect(settings)
    # refusals before the re-plan's seconds and files, not after (its absences were stored)
    who = who_makes(args, engine, "roster")
    anyway = getattr(args, "publish_anyway", False)
    args.publish = getattr(args, "publish", False) or anyway
    if getattr(args, "publish", False):
        scope_of(args).require(PUBLISH)
    if getattr(args, "store", None):
        known_store(engine, args)
    if args.absence is None:  # a plan replaced since the roster was made: no file, the week's roster to follow it
        with WarningsHeld((), REPLAN) as warnings:
            return _replan_to_follow(args, settings, engine, who, warnings)
    ((name, content),) = read_files([args.absence])
    try:  # what a file's errors stop here is the re-plan: "nothing was imported" named an import never asked for
        raw = read_table(content, name, settings.import_rules, every_problem=True, rows_are=ABSENCE_ROWS_ARE)
    except EmptyFirstSheet as rejected:  # the sheet holding the rows is named, as an import names it
        elsewhere = rows_elsewhere(name, (), rejected.other_sheets)
        if elsewhere is not None:
            _require_absence_file(args.absence, elsewhere[0])
        raise InputRejected(rejected.problems if elsewhere is None else [elsewhere[1]], NOT_REPLANNED) from None
    except InputRejected as rejected:
        raise InputRejected(rejected.problems, NOT_REPLANNED) from None
    if len(raw.frame.columns):
        _require_absence_file(args.absence, file_kind(raw))
    checked = validate_absences(raw, storage.load_employees(engine, scope=scope_of(args))["employee_id"],
                                settings.import_rules)
    if not checked.ok:
        raise InputRejected(checked.problems, NOT_REPLANNED)
    with WarningsHeld(checked.problems, REPLAN) as warnings:  # with the re-plan, or with a refusal after the file's
        return _replan_absences(args, settings, engine, checked, name, content, who, warnings)


def _replan_absences(args, settings: Settings, engine, checked, name: str, content: bytes, who: str,
                     warnings: WarningsHeld) -> int:
    """`roster replan` once its absence file (`checked`, read from `name`'s `content`) is accepted: the rosters it
    hits re-planned, written, and stored and published with --publish; a refusal with a code says the file's
    `warnings` first (`WarningsHeld.refusing`)."""
    from planner import clock, storage
    from planner.rostering import replans
    from planner.io.employees import absences_of

    absences = absences_of(checked.frame)
    today = args.today or clock.today()
    # a week is over by the later of --today and today (`planner.clock`): a --today after the week cannot re-plan it,
    # nor one back-dated into a week that has ended publish it
    judged_on = max(today, clock.today())
    if args.keep_untouched_days:  # for this re-plan, as `schedule --hard-coverage` is for its run
        settings = settings.with_roster_rules(keep_untouched_days=True)
    store_weeks = replans.affected_rosters(engine, absences, getattr(args, "store", None),
                                             getattr(args, "week", None), scope_of(args))
    narrowed = getattr(args, "store", None) or getattr(args, "week", None)
    left_out = [] if store_weeks or not narrowed else replans.affected_rosters(engine, absences, scope=scope_of(args))
    if left_out:  # hits outside --store/--week: said, and the absences are not stored without their re-plan
        hits = ", ".join(f"{store_id} {iso_week}" for store_id, iso_week in left_out)
        raise BadInput(f"the absences hit no published roster of the store or week asked for, but they do hit "
                       f"{hits}: re-plan those (without --store/--week, or naming them); nothing was stored")
    if not store_weeks:
        replans.require_no_unpublished_hits(engine, absences, getattr(args, "store", None),
                                              getattr(args, "week", None), scope_of(args), on=judged_on)
        print("no published roster has a shift on those days for those people: nothing to re-plan")
        if getattr(args, "publish", False):  # the absences are facts all the same: later rosters keep them
            print(storage.save_people(engine, None, [(checked.frame, name, _sha256(content))], scope_of(args))[0])
        else:
            print("the absences are not stored: " + _how_to_store(args))
        return EXIT_OK

    def stored() -> None:  # the absences are facts: later rosters keep them too
        print(storage.save_people(engine, None, [(checked.frame, name, _sha256(content))], scope_of(args))[0])

    return _replanned(
        args, settings, engine, store_weeks, today, judged_on, who, warnings,
        lambda store_id, iso_week, progress: replans.replan_published(engine, settings, store_id, iso_week,
                                                                         absences, today, scope_of(args), progress),
        lambda result, store_id, iso_week: replans.replan_run(engine, result, store_id, iso_week),
        lambda store_id, iso_week: f"re-plan after {Path(name).name}", stored)


def _replan_to_follow(args, settings: Settings, engine, who: str, warnings: WarningsHeld) -> int:
    """`roster replan --store S --week W` without an absence file: the published roster of a week whose plan was
    replaced since it was made, re-planned to follow the plan in force with the fewest changes
    (`follow.follow_replan`), each listed with its premium, and published with --publish."""
    from planner import clock
    from planner.rostering import documents, replans, standing
    from planner.rostering.follow import follow_basis, follow_note, follow_replan, follow_run
    from planner.surfaces.roster import nothing_to_follow

    if not getattr(args, "store", None) or not getattr(args, "week", None):
        raise BadInput("name the absence file (--absence FILE), or the store and week whose published roster is to "
                       f"follow the plan in force: {PROG} roster replan --store S01 --week 2026-W50")
    today = args.today or clock.today()
    judged_on = max(today, clock.today())
    stored = replans.require_published_by(engine, args.store, args.week, today, scope_of(args))
    if not standing.plan_replaced(engine, documents.saved_roster(stored)):
        print(nothing_to_follow(stored.roster_id, args.store, args.week))
        return EXIT_OK
    # what the search is fitted to, read before it: publishing is refused once another plan or roster is published
    basis = follow_basis(engine, settings, args.store, args.week, scope_of(args))
    return _replanned(
        args, settings, engine, [(args.store, args.week)], today, judged_on, who, warnings,
        lambda store_id, iso_week, progress: follow_replan(engine, settings, store_id, iso_week, today,
                                                            scope_of(args), progress),
        lambda result, store_id, iso_week: follow_run(engine, result, basis, store_id, iso_week),
        lambda store_id, iso_week: follow_note(basis), None, follows=True)


def _replanned(args, settings: Settings, engine, store_weeks: list[tuple[str, str]], today, judged_on, who: str,
               warnings: WarningsHeld, replan_of, run_of, note_of, stored, follows: bool = False) -> int:
    """The re-plan of each of `store_weeks` (`replan_of(store_id, iso_week, progress)`), printed and written, and
    published with --publish as `run_of(result, store_id, iso_week)` with `note_of(store_id, iso_week)`, after
    `stored()` (None: nothing to store); every refusal before any re-plan, and nothing published unless all are.
    `follows`: a re-plan to follow the plan in force (no absences), whose calendars follow that plan."""
    from planner.rostering import documents, publishing, replans, standing
    from planner.roster.result import INFEASIBLE

    anyway = getattr(args, "publish_anyway", False)
    for store_id, iso_week in store_weeks:  # every refusal before any re-plan is printed
        replans.require_published_by(engine, store_id, iso_week, today, scope_of(args))
        _require_plannable(engine, args, store_id, iso_week)
        if args.publish:  # as `roster --publish` is refused for a week that is over, before the absences are stored
            publishing.refuse_week_over(iso_week, "re-planned or published",
                                       "Without --publish, the re-plan is shown, not saved", on=judged_on)
    # a re-plan keeps the clock times of the roster it re-plans, on the zone that roster was made under
    replanned = tuple(documents.published(engine, store_id, iso_week) for store_id, iso_week in store_weeks)
    if args.publish and getattr(args, "out_dir", None):  # its calendars would be refused after the re-plan
        _refuse_calendars(engine, settings, [store_id for store_id, _ in store_weeks], "a published re-plan writes "
                          "each person's calendar, so nothing was re-planned, stored, published or written (the "
                          "published roster stays as it is): run this again once the store's time zone is known, or "
                          "without --out-dir to publish the re-plan without its files", replanned)
    results = []
    for store_id, iso_week in store_weeks:
        print(f"re-planning {store_id} {iso_week}…", file=sys.stderr)
        with search_bar(plain=None) as progress:  # the line above is the log's; a bar on a terminal
            result = replan_of(store_id, iso_week, progress)
        print(_replan_text(result, store_id, iso_week))
        results.append((store_id, iso_week, result))
    failed = [result.roster.status for _, _, result in results if not result.found]
    if failed:  # one store-week without a re-plan: nothing is written, stored or published, for any of them
        warnings.refusing()
        print("nothing saved or published", file=sys.stderr)
        return EXIT_INPUT if INFEASIBLE in failed else EXIT_UNAVAILABLE
    # the files before anything is stored: a file that cannot be written stops the run with nothing published;
    # several store-weeks each get a folder of their own, so that none overwrites another's
    from planner.roster_export import store_week_folder

    # without --publish the re-plan is a preview, as on the Roster page: its files are to look at, and it writes no
    # calendars, which people import (one carrying a re-plan never published would move their shifts)
    # a re-plan after an absence keeps the requirement of the roster it re-plans: its calendars say so where another
    # plan replaced it; one to follow the plan in force is published as following it, so its calendars say nothing
    replaced = {(saved.store_id, saved.iso_week): "" if follows else standing.plan_replaced(engine, saved)
                for saved in replanned}
    # the runs to publish before any file is written: one refused (a plan published since) writes and saves nothing
    runs = {(store_id, iso_week): (note_of(store_id, iso_week)[:NOTE_CHARS], run_of(result, store_id, iso_week))
            for store_id, iso_week, result in results} if args.publish else {}
    _write_rosters_files(args, [(result.roster.shifts, result.roster.people, result.roster.hours,
                                 result.roster.instance.week_start,
                                 store_week_folder(store_id, iso_week) if len(results) > 1 else "",
                                 result.roster.instance.absences,
                                 calendar_out_of_date(replaced[store_id, iso_week]) if replaced[store_id, iso_week]
                                 else "")
                                for store_id, iso_week, result in results], engine, settings,
                         preview=not args.publish, made_under=replanned)
    cautions = [(store_id, iso_week, publishing.publish_caution(result.roster), result.roster.quick)
                for store_id, iso_week, result in results] if args.publish else []
    quick = [f"{store_id} {iso_week}: {caution}" for store_id, iso_week, caution, is_quick in cautions
             if caution and is_quick]
    if quick and not anyway:  # as `roster --publish` refuses the quick roster; nothing stored or published
        warnings.refusing()
        print(f"nothing saved or published: {' '.join(quick)} Or add --publish-anyway to publish it as it is.",
              file=sys.stderr)
        return EXIT_INPUT
    for store_id, iso_week, caution, _ in cautions:  # a re-plan short of staff is still what people must be told
        if caution:
            print(f"warning: {store_id} {iso_week}: {caution}", file=sys.stderr)
    if getattr(args, "publish", False):
        if stored is not None:
            stored()
        for store_id, iso_week, _ in results:
            note, run = runs[store_id, iso_week]  # the note made before publishing: it names the roster re-planned
            roster_id = publishing.save_roster_run(engine, run, who, publish=True, note=note, scope=scope_of(args),
                                                  on=judged_on)
            print(f"published roster {roster_id}: {store_id} {iso_week}")
    else:
        absences = "" if follows else "the absences are not stored, "
        print(f"nothing saved or published: this re-plan is a preview ({absences}the published roster stays as it is); "
              f"{_how_to_publish_replan(args, [w for _, w, _ in results], judged_on)}")
    return EXIT_OK


# --- helpers -----------------------------------------------------------------------------------------------------

def _require_absence_file(path: Path, kind: str) -> None:
    """--absence names the absence file: one of another `kind` (the store file, counts) was read as absences missing
    their columns, with a warning for each of its own columns "not used". A file with an employee_id column is taken
    as meant (a misspelt first_day is better said by its missing column)."""
    from planner.intake import ABSENCES, EMPLOYEES, kind_words

    if kind not in (ABSENCES, EMPLOYEES):
        raise BadInput(f"{path}: --absence takes the absence file (employee_id, first_day, last_day, reason), and this "
                       f"reads as a file of {kind_words(kind)}: name the absence file (`import` takes this one)")


def _add_roster_flags(command: argparse.ArgumentParser, *, required: bool, hidden_default: bool = False,
                      publish_into=None) -> list[argparse.Action]:
    """--store, --week, --out, --out-dir, --publish, --by; `hidden_default`: a flag not given here keeps the value
    given before the subcommand. `publish_into`: the mutually exclusive group --publish joins (`roster --show`'s).
    Returns --by's action (none when `hidden_default`), for flags it may not go with."""
    keep = {"default": argparse.SUPPRESS} if hidden_default else {}
    command.add_argument("--store", metavar="S", required=required, help="store id", **keep)
    command.add_argument("--week", type=iso_week_flag, metavar="2026-W50", help="ISO week, Monday to Sunday", **keep)
    command.add_argument("--out", type=csv_file, metavar="roster.csv", help="write the shifts as CSV "
                         "(store_id, employee_id, name, start, end, break_start, paid_hours, clock_change_hours)",
                         **keep)
    command.add_argument("--out-dir", type=output_folder, metavar="DIR", help="write roster.csv, roster_grid.csv, "
                         "roster_schedules.csv, roster.xlsx and, for a roster published, one calendar (.ics) per "
                         "person here (a draft or a preview writes none; a folder per store-week when a re-plan "
                         "touches several)", **keep)
    (publish_into or command).add_argument("--publish", action="store_true", help="publish it: it becomes the "
                                           "roster of its store and week, the one before is kept as history", **keep)
    return [] if hidden_default else [add_by_flag(command, "roster")]


def _print_roster(shifts, people, hours, sentences, status: str, source: str, monday, away, *, now: str = "",
                  figures_of: str = "") -> None:
    """The status sentence, then `source` (a sentence of its own: where the requirement or the roster came from)
    and `now` (a published roster against the requirement in force, where that is not its own: `_measured_now`),
    the grid (its days `away` said, "away (sick)", as the Roster page's grid and the grid files say them), the
    week's paid, required and uncovered hours (the Roster page's figures), with `figures_of` (which
    requirement they measure, where `now` is said) and why the paid hours exceed the requirement (the sentence under
    the page's figures), and the report's sentences."""
    from planner.roster_export import (
        clock_change_notes, roster_grid, roster_grid_text, roster_totals, roster_totals_text,
    )
    from planner.roster.paid_hours import paid_beyond_required
    from planner.surfaces.roster import paid_beyond_said

    print(status)
    print(source)
    if now:
        print(now)
    if not shifts.empty:
        print(roster_grid_text(roster_grid(shifts, monday, people, away)))
        for note in clock_change_notes(shifts):
            print(note)
    print(roster_totals_text(roster_totals(shifts, hours)))
    if figures_of:
        print(figures_of)
    beyond = paid_beyond_required(people, hours)  # as the Roster page says it under these figures
    if beyond is not None:
        print(paid_beyond_said(beyond))
    for line in _findings_lines(sentences):
        print(line)


def _requirement_since(engine, args, settings: Settings, saved) -> str:
    """`standing.requirement_since`, where the plan `saved` was made from was replaced with the way on: `roster
    replan --store S --week W`, the least-change re-plan to follow the plan in force, or a fresh roster."""
    from planner.rostering import standing
    from planner.surfaces.roster import follow_replaced

    replaced = standing.plan_replaced(engine, saved)
    if not replaced:
        return standing.requirement_since(engine, settings, saved, scope_of(args))
    week = f"--store {saved.store_id} --week {saved.iso_week}"
    return follow_replaced(replaced, f"`{PROG} roster replan {week}`", f"`{PROG} roster {week}`")


def _measured_now(engine, settings: Settings, saved, scope):
    """The published roster `saved` against the requirement in force where the plan it was made from was replaced
    (`standing.requirement_now`, as the Roster page measures it): (the measure, or None where its plan still
    stands; the page's sentence of it, `surfaces.roster.shortfall_now`, else ""). Where the planner cannot measure it,
    (None, the page's sentence of why): the roster is still shown, as the page shows it."""
    from planner.rostering import standing
    from planner.errors import PlannerError
    from planner.surfaces.roster import not_measured_now, shortfall_now

    try:
        now = standing.requirement_now(engine, settings, saved, scope)
    except PlannerError as error:
        return None, not_measured_now(str(error))
    if now is None:
        return None, ""
    return now, shortfall_now(now.now, now.uncovered_staff_hours, now.short)


def _findings_lines(sentences) -> list[str]:
    """The report's sentences, one a line: those said alone, then each caveat said once as a sentence of its own
    before the findings it names, listed under it (`shown_findings`, as the Roster page shows them)."""
    from planner.roster.report import shown_findings

    return [line for group in shown_findings(sentences)
            for line in ([group.lead] if group.lead else []) + [f"  - {said}" if group.lead else said
                                                               for said in group.said]]


def _away(engine, args, people, monday, absences=None) -> dict:
    """The days the roster's `people` are away in the week from `monday` (`store_week.away_days`): a roster just made
    holds its own `absences`; a saved one's are those stored."""
    from planner.rostering import store_week

    return store_week.away_days(engine, list(people["employee_id"].astype(str)), monday, scope_of(args), absences)


def _replan_text(result, store_id: str, iso_week: str) -> str:
    if not result.found:
        return f"{store_id} {iso_week}: no re-plan. {result.roster.status_sentence}"
    changes = result.changes_frame()
    shifts = f"{counted(len(changes), 'shift')} {agreeing(len(changes), 'changes', 'change')}"
    lines = [f"{store_id} {iso_week}: {shifts} for {counted(len(result.people_changed), 'person', 'people')}, "
             f"premium pay of {number_text(result.total_premium_hours)} h (wages of {money(result.total_premium)}, "
             f"{IN_CURRENCY})",
             result.roster.status_sentence]  # proven best re-plan, or what stopped it: as `--show` and the page say
    for change in result.changes:
        what = f"{change.before or '-'} -> {change.after or '-'}"
        premium = f", premium {number_text(change.premium_hours)} h" if change.premium_hours else ""
        past = " (before today: as it happened)" if change.before_today else ""
        lines.append(f"  {change.day:%a %Y-%m-%d} {change.name} ({change.employee_id}): {change.kind}, {what}{premium}"
                     f"{past}")
    return "\n".join(lines + _findings_lines(result.roster.sentences))


def _refuse_calendars(engine, settings: Settings, store_ids: list[str], then: str, made_under: tuple = ()) -> None:
    """`BadInput` where the calendars of a store of `store_ids` cannot be written (`calendar_refusal`: its time zone is
    one this machine does not know), saying why for each, then `then`: what the command did not do, and what to do.
    Asked before a search whose roster is published with its calendars: asked after it, the files were written and
    the refusal came before anything was saved or published, without saying so. A saved roster of `made_under` is
    judged on the zone it was made under (`documents.zones_made_under`), as its calendars are written."""
    refused = _calendar_refusals(engine, settings, store_ids, made_under)
    if refused:
        said = " ".join(refused)
        raise BadInput(f"{said[0].lower()}{said[1:]} With --out-dir, {then}.")


def _calendar_refusals(engine, settings: Settings, store_ids: list[str], made_under: tuple = ()) -> list[str]:
    """Why the calendars of each store of `store_ids` cannot be written (`roster_export.calendar_refusal`, in the
    command line's words), once a store; [] where they all can."""
    from planner import storage
    from planner.rostering import documents
    from planner.roster_export import calendar_refusal
    from planner.surfaces.fixes import on_command_line
    from planner.targets import resolve_time_zones

    stores = storage.load_stores(engine)
    names = dict(zip(stores["store_id"], stores["name"], strict=True))
    zones = documents.zones_made_under(resolve_time_zones(stores, settings), *made_under)
    return [on_command_line(refusal) for store_id in dict.fromkeys(store_ids)
            if (refusal := calendar_refusal(store_id, zones, names, settings.chain.time_zone))]


def _write_roster_files(args, saved, engine, monday, settings: Settings, *, calendar_note: str = "") -> None:
    """One saved roster's --out and --out-dir files (its grids say the stored days away; its calendars, on the zone
    it was made under, have events ending with `calendar_note`)."""
    _write_rosters_files(args, [(saved.shifts, saved.people, saved.hours, monday, "", None, calendar_note)], engine,
                         settings, made_under=(saved,))


def _write_rosters_files(args, rosters: list[tuple], engine, settings: Settings, *, preview: bool = False,
                         unpublished: str = "", made_under: tuple = ()) -> None:
    """The --out and --out-dir files of `rosters` [(shifts, people, hours, monday, folder name, absences, calendar
    note: what its calendars' events end with, "" for nothing)]: each
    roster's files in its own folder when there are several (a roster's folder name is '' when there is one), all
    written or none, then one CSV holding every roster's shifts (written whole or not at all). The grids say the
    days away, as the Roster page's grid does: of `absences` (a roster just made or re-planned holds its own, a
    preview's unstored one among them), else those stored. Calendars (.ics), which people
    import as their shifts, are written for published rosters only: `preview` (rosters neither saved nor published)
    and `unpublished` (what the --out-dir line says of a draft's files) write none. The calendars state each store's
    time zone (`planner.targets.resolve_time_zones`, with the chain's `settings`), but a saved roster of `made_under`
    states the zone it was made under (`documents.zones_made_under`); where a store has none, a note says
    their times are in no time zone and how to set one. A store whose zone this machine's time-zone database does
    not know gets no calendars (`roster_export.calendar_refusal`), and then no file is written at all, for any
    roster: a folder holding a roster's CSVs without its calendars reads as the whole export. The commands ask
    `_refuse_calendars` before this (before the search, or before showing the roster); this refusal is for a zone
    that changed in between."""
    import pandas as pd

    from planner import storage
    from planner.files import write_files
    from planner.roster_export import calendar_refusal, roster_csv, roster_files
    from planner.surfaces.fixes import on_command_line

    out, folder = getattr(args, "out", None), getattr(args, "out_dir", None)
    written = [roster for roster in rosters if not roster[0].empty]
    refused: list[str] = []
    if folder and written:
        subs = [roster[4] for roster in written]
        if len(set(subs)) != len(subs):  # two store ids that differ only by a character a folder name cannot hold
            raise BadInput(f"two store-weeks would share a folder in {folder} ({', '.join(subs)}): re-plan them one "
                           "at a time with --store")
        from planner.rostering import documents, shift_diffs
        from planner.calendar import IsoWeek

        from planner.targets import resolve_time_zones

        stores = storage.load_stores(engine)
        names = dict(zip(stores["store_id"], stores["name"], strict=True))
        zones = documents.zones_made_under(resolve_time_zones(stores, settings), *made_under)
        contents = {}
        # calendars cancel what was sent before
        for shifts, people, hours, monday, sub, absences, calendar_note in written:
            store_id = str(shifts["store_id"].iloc[0])
            withdrawn = shift_diffs.withdrawn_shifts(engine, store_id, str(IsoWeek.of(monday)), shifts, scope_of(args))
            away = _away(engine, args, people, monday, absences)
            refusal = None if preview or unpublished else calendar_refusal(store_id, zones, names,
                                                                           settings.chain.time_zone)
            if refusal:
                refused.append(on_command_line(refusal))
            contents |= {f"{sub}/{name}" if sub else name: content
                         for name, content in roster_files(shifts, monday, people, hours, names, withdrawn, away,
                                                           zones, calendars=not (preview or unpublished or refusal),
                                                           calendar_note=calendar_note).items()}
        if refused:  # before any file: a roster's files are written whole or not at all
            said = " ".join(refused)
            raise BadInput(f"{said[0].lower()}{said[1:]} With --out-dir, nothing was written: run this again once the "
                           "store's time zone is known, or without --out-dir.")
        paths = write_files(folder, contents)
        calendars = sum(path.suffix == ".ics" for path in paths)
        shown = ", ".join(str(path) for path in paths if path.suffix != ".ics")
        if preview:
            print(f"written, a preview (not saved or published, so no calendars): {shown}")
        elif unpublished:
            print(f"written, {unpublished}: {shown}")
        else:
            print(f"written: {shown} and {counted(calendars, 'calendar')} (.ics)")
            if calendars and any(zones.get(str(roster[0]["store_id"].iloc[0])) is None for roster in written):
                print(f"note: {FLOATING_CALENDARS}", file=sys.stderr)
    if out:
        shifts = pd.concat([roster[0] for roster in rosters], ignore_index=True)
        write_text(out, roster_csv(shifts))
        print(f"{counted(len(shifts), 'shift')} written to {out}" + (", a preview (not saved or published)" if preview else ""))


def _sha256(content: bytes) -> str:
    from planner.intake import sha256_of

    return sha256_of(content)
