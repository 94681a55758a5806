"""The command line's saved rosters: `rosters list` (the drafts, the published and the superseded, of the stores in
scope) and `rosters publish ID` (a saved draft, exactly as it was saved: no new search, whose roster may differ from
the draft that was read and checked). Publishing applies the checks `roster --publish` applies, by the same
functions (`publishing.publish_saved_roster`), and refuses a stale draft (made before the week's published plan, the
roster rules or the store's time zone changed) unless `--publish-anyway`."""

from __future__ import annotations

import sys

from planner.access.scope import PUBLISH
from planner.cli_flags import EXIT_INPUT, EXIT_OK, PROG, Once, add_by_flag, iso_week_flag, number
from planner.cli_io import STORE_PLACEHOLDER, WEEK_PLACEHOLDER, asked_for, print_saved
from planner.cli_users import known_store, scope_of, who_makes
from planner.settings import Settings

ROSTER_ID = number(int, "ID", low=1, high=2**31 - 1, example="3", noun="a roster id")
"""A saved roster's id: the rosters table's INTEGER column, as `cli_flags.PLAN_ID` is the plans table's."""


def add_rosters(commands) -> None:
    saved = commands.add_parser("rosters", help="saved rosters: list them, publish a draft as it was saved")
    kept = saved.add_subparsers(required=True, metavar="list|publish")
    listed = kept.add_parser("list", help="saved rosters, newest first: draft, published or superseded")
    listed.add_argument("--store", metavar="S", help="only this store's rosters", action=Once)
    listed.add_argument("--week", type=iso_week_flag, metavar="2026-W50", help="only this week's rosters")
    listed.set_defaults(command=_rosters_list)
    published = kept.add_parser("publish", help="publish a draft roster as it was saved: it becomes the roster of "
                                "its store and week, the one published before is kept as superseded")
    published.add_argument("roster_id", type=ROSTER_ID, metavar="ID",
                           help="the draft's id, as `roster` and `rosters list` say it")
    published.add_argument("--publish-anyway", action="store_true",
                           help="publish it even when it is the quick roster or leaves required staff-hours "
                                "uncovered (as `roster --publish` refuses such a roster), or was made before its plan, "
                                "the roster rules or the store's time zone changed (stale): refused without this "
                                "flag")
    add_by_flag(published, "roster")
    published.set_defaults(command=_rosters_publish)


# --- commands ----------------------------------------------------------------------------------------------------

def _rosters_list(args, settings: Settings) -> int:
    import pandas as pd

    from planner import storage

    engine = storage.connect(settings)
    if args.store:  # a typing slip said "no saved rosters", as if the store had none
        known_store(engine, args, planned=False)
    table = storage.list_rosters(engine, args.store, args.week, scope_of(args))
    if table.empty:
        # the store and week asked for: it named S01 and 2026-W50, whatever was asked
        print(f"no saved rosters{asked_for(args.store, args.week)}: make one with `{PROG} roster --store "
              f"{args.store or STORE_PLACEHOLDER} --week {args.week or WEEK_PLACEHOLDER}`")
        return EXIT_OK
    print_saved(table, "roster_id", "note", ["-" if pd.isna(note) or not note else " ".join(str(note).split())
                                              for note in table["note"]])
    return EXIT_OK


def _rosters_publish(args, settings: Settings) -> int:
    """A saved draft published as it was saved, refused as `roster --publish` refuses (`publish_saved_roster`)."""
    from planner import storage
    from planner.rostering import documents, publishing, standing

    engine = storage.connect(settings)
    who = who_makes(args, engine, "roster")  # the --by user's role, as `roster --publish` takes it
    scope = scope_of(args)
    scope.require(PUBLISH)  # said before the roster's id is looked up, as of any other refused role
    stored = storage.load_roster(engine, args.roster_id, scope)
    before = storage.published_roster(engine, stored.store_id, stored.iso_week)
    try:
        done = publishing.publish_saved_roster(engine, settings, args.roster_id, who, anyway=args.publish_anyway,
                                              scope=scope)
    except publishing.PublishCaution as refused:  # incomplete (`roster --publish`'s words) or stale: kept a draft
        print(f"{refused} Or add --publish-anyway to publish it as it is.", file=sys.stderr)
        return EXIT_INPUT
    superseded = (f"; roster {before.roster_id} is kept as superseded"
                  if before is not None and before.roster_id != done.roster_id else "")
    print(f"published roster {done.roster_id}: {done.store_id} {done.iso_week}, by {done.published_by}{superseded} "
          f"(`{PROG} roster --store {done.store_id} --week {done.iso_week} --show --out-dir DIR` writes its files "
          "and calendars)")
    saved = documents.saved_roster(done)
    for since in (standing.requirement_since(engine, settings, saved, scope), standing.rules_since(settings, saved),
                  standing.zone_since(engine, settings, saved)):
        if since:  # as `roster --show` says of the published roster (--publish-anyway: why it was stale)
            print(f"note: {since}", file=sys.stderr)
    return EXIT_OK
