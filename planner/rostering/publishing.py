"""Saving and publishing rosters: a roster just made saved (and published), a saved draft published as it was saved,
and what refuses either (an incomplete or quick roster, a stale draft, a week that is over) in words that name the
way on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from planner import storage
from planner.access.scope import EVERYTHING, PLAN, PUBLISH, Scope
from planner.calendar import IsoWeek
from planner.errors import InvalidRequest, PlannerError
from planner.roster import Roster
from planner.roster import status as roster_status
from planner.roster.check import check_roster
from planner.rostering.documents import SavedRoster, require_store, roster_document, roster_from_document, saved_roster
from planner.rostering.standing import COMMAND_LINE, stale_reasons
from planner.rostering.store_week import RosterRun, roster_instance
from planner.settings import Settings
from planner.storage.versioned import DRAFT, refuse_not_draft
from planner.words import ended


def publish_caution(roster: Roster) -> str:
    """"" for a roster that may be published without a second look; else one sentence: what is incomplete (the quick
    roster, required staff-hours uncovered that the store's max_staff would allow) and what would do better. The
    command line refuses `--publish` with it (unless `--publish-anyway`), the Roster page asks for a confirmation."""
    caution = roster_status.publish_caution(roster, check_roster(roster.instance, roster.rules, roster.assignments))
    if not caution:
        return ""
    return f"{ended(caution[0].upper() + caution[1:])} To do better, {roster_status.publish_advice(roster)}."


def save_roster_run(engine: Engine, run: RosterRun, by: str, *, publish: bool = False, note: str = "",
                    scope: Scope = EVERYTHING, on: dt.date | None = None) -> int:
    """Save the roster as a draft (and publish it, for a role that may publish, unless its week is over by `on`:
    `refuse_week_over`); returns its roster_id. A store outside `scope` is refused (`OutsideScope`)."""
    scope.require(PUBLISH if publish else PLAN)
    require_store(engine, run.roster.instance.store_id, scope)
    if publish:
        refuse_week_over(run.iso_week, on=on)
    roster_id = storage.save_roster(engine, run.roster.instance.store_id, run.iso_week,
                                    roster_document(run.roster, run.requirement_source), by, note)
    if publish:
        storage.publish_roster(engine, roster_id, by)
    return roster_id


PAGE_PUBLISH_AS_IS = "Publish it as it is"
"""The Roster page's tick beside a publish button that publishes a stale or incomplete roster as it is
(`roster --publish-anyway`, `rosters publish ID --publish-anyway`)."""


PAGE_NEW_SEARCH = "a new draft (a new search)"
"""The Roster page's Show choice that rosters a week without a published roster again."""


PAGE_NEW_DRAFT = "Make a new draft"
"""The Roster page's button beside a published roster that rosters its week again."""


def stale_sentence(stale: tuple[str, ...], store_id: str, iso_week: str, caution: str = "", *,
                   where: str = COMMAND_LINE, published: bool = False, may_publish: bool = True) -> str:
    """Why a saved draft is `stale` (`stale_reasons`), with any `caution` (`saved_publish_caution`), and what to do
    instead of publishing it, in the ways of `where` it is said (its caller chooses): on the command line, the
    `roster` command that makes a new roster of the week (`rosters publish ID` adds its --publish-anyway); on the
    Roster page, its own controls: Show's new draft (Show the published roster, then Make a new draft, where a
    roster of the week is `published`) and the tick that publishes the draft as it is. The page said the command
    line's command beside its own button, and "a new draft would follow what changed" without saying how. To a role
    that may not `may_publish`, the page names only Show's new draft: it told a store manager to tick a box and press
    a button it disables for them."""
    said = f"It is stale: {', and '.join(stale)}.{caution and f' {caution}'}"
    if where == COMMAND_LINE:
        return f"{said} Make a new roster of the week (roster --store {store_id} --week {iso_week}) and publish that."
    new = (f"Show the published roster, then {PAGE_NEW_DRAFT}" if published else f"Show: {PAGE_NEW_SEARCH}")
    if not may_publish:
        return f"{said} A new draft of the week ({new}) follows what changed; publishing either is for planners."
    return (f"{said} Make a new draft of the week ({new}) and publish that, or tick '{PAGE_PUBLISH_AS_IS}' to publish "
            "this draft as it is.")


class PublishCaution(InvalidRequest):
    """A saved draft not published because `publish_caution` names what is incomplete in it (`caution`), or because
    it is stale (`stale`: `stale_reasons`'s reasons, the plan it followed replaced, the roster rules or the store's
    time zone changed): published only when asked for as it is (`roster --publish` keeps an incomplete roster as a
    draft alike)."""

    def __init__(self, message: str, caution: str, stale: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.caution = caution
        self.stale = stale


def publish_saved_roster(engine: Engine, settings: Settings, roster_id: int, by: str, *, anyway: bool = False,
                         scope: Scope = EVERYTHING, where: str = COMMAND_LINE) -> storage.StoredRoster:
    """Publish the saved draft roster `roster_id` as it was saved (no new search); the roster published before for
    its store and week becomes superseded. Refused as `roster --publish` refuses, by the same checks: a role that may
    not publish (`OutsideScope`), a week that is over (`refuse_week_over`), a quick or incomplete roster unless
    `anyway` (`PublishCaution`, from `saved_publish_caution`); and a roster that is not a draft (`InvalidRequest`)
    or is not saved in `scope`'s stores (`UnknownRecord`). A stale draft (`stale_reasons`: made before the week's
    published plan, the roster rules or the store's time zone changed) is refused too unless `anyway`
    (`PublishCaution` with its `stale` reasons): a roster made now would follow what changed, and a planner would not
    expect the draft to be published without a word; its words name the ways on of `where` the refusal is said
    (`stale_sentence`). Returns the roster as now stored."""
    scope.require(PUBLISH)
    stored = storage.load_roster(engine, roster_id, scope)
    remake = f"roster --store {stored.store_id} --week {stored.iso_week}"
    refuse_not_draft(stored, "roster", stored.roster_id, remake)
    refuse_week_over(stored.iso_week)
    stale = tuple(stale_reasons(engine, settings, saved_roster(stored)))
    caution = _caution_as_saved(engine, settings, stored, scope, anyway)
    if not anyway:
        refused = f"roster {stored.roster_id} ({stored.store_id} {stored.iso_week}) is not published, it stays a draft."
        if stale:
            published = where != COMMAND_LINE and storage.published_roster(engine, stored.store_id,
                                                                         stored.iso_week) is not None
            raise PublishCaution(f"{refused} " + stale_sentence(stale, stored.store_id, stored.iso_week, caution,
                                                                where=where, published=published), caution, stale)
        if caution:
            raise PublishCaution(f"{refused} {caution}", caution)
    # published as it is: its audit entry says what would have kept it a draft (the entry read as any other's)
    as_is = " ".join(([f"stale: {', and '.join(stale)}."] if stale else []) + ([caution] if caution else []))
    return storage.publish_roster(engine, stored.roster_id, by, as_is=as_is)


@dataclass(frozen=True)
class SavedDraft:
    """A saved draft roster of a store-week, as offered for publishing as it was saved (`publish_saved_roster`)."""

    roster: SavedRoster
    created_at: dt.datetime
    """When it was saved (UTC)."""
    created_by: str
    stale: tuple[str, ...]
    """Why it is stale (`stale_reasons`); () when it is not."""


def saved_drafts(engine: Engine, settings: Settings, store_id: str, iso_week: str,
                 scope: Scope = EVERYTHING) -> list[SavedDraft]:
    """The draft rosters saved for the store and week (by `roster` without --publish, or a page), newest first, each
    read back with whether it is stale against the chain's `settings`, as `publish_saved_roster` judges it. A store
    `scope` does not cover is an unknown store."""
    require_store(engine, store_id, scope)
    listing = storage.list_rosters(engine, store_id, str(IsoWeek.parse(iso_week)), scope)
    drafts = []
    for row in listing[listing["status"] == DRAFT].itertuples(index=False):
        saved = saved_roster(storage.load_roster(engine, int(row.roster_id), scope))
        drafts.append(SavedDraft(saved, row.created_at, str(row.created_by),
                                 tuple(stale_reasons(engine, settings, saved))))
    return drafts


def _caution_as_saved(engine: Engine, settings: Settings, stored: storage.StoredRoster, scope: Scope,
                      anyway: bool) -> str:
    """`saved_publish_caution` of `stored`; published `anyway`, a store-week that cannot be read now (a store that
    cannot be planned: the check needs its requirement) has none to say, as it was published before it was
    checked."""
    try:
        return saved_publish_caution(engine, settings, stored, scope)
    except PlannerError:
        if not anyway:
            raise
        return ""


def draft_publish_caution(engine: Engine, settings: Settings, roster_id: int, scope: Scope = EVERYTHING) -> str:
    """`saved_publish_caution` of the saved roster `roster_id`: what `publish_saved_roster` refuses it for, stale
    aside, unless asked to publish it as it is."""
    return saved_publish_caution(engine, settings, storage.load_roster(engine, roster_id, scope), scope)


def saved_publish_caution(engine: Engine, settings: Settings, stored: storage.StoredRoster,
                          scope: Scope = EVERYTHING) -> str:
    """`publish_caution` of a saved roster: its assignments checked on its store-week as it stands now (the
    requirement, people and absences a roster made now would be made for), with the rules and search it was made
    with (whether it was the quick roster, its time limit and budget)."""
    instance, _ = roster_instance(engine, settings, stored.store_id, stored.iso_week, scope=scope)
    return publish_caution(roster_from_document(stored.document, instance, settings, as_made=True))


ROSTER_RECORD = ("and its published roster is the record of the shifts people were told; one published now would "
                 "tell them of days already worked")
"""Why a roster of a week that is over is not published (after "2026-W39 (ended Sun 27 Sep 2026) is over, ")."""


def refuse_week_over(iso_week: str, done: str = "published", instead: str | None = None,
                     on: dt.date | None = None) -> None:
    """InvalidRequest when the week has ended by `on` (default: `planner.clock.today()`; a command's --today),
    in the words that refuse publishing a plan of it (a draft may still be made; `instead` says otherwise): the
    published roster is what people were told, and one published now tells them of days already worked."""
    from planner.saved_plans import refuse_weeks_over

    refuse_weeks_over([str(IsoWeek.parse(iso_week))], f"no roster was {done}", ROSTER_RECORD,
                      *([instead] if instead else []), on=on)


def week_over(iso_week: str, on: dt.date | None = None) -> str:
    """Why a roster of the week is not published, as `refuse_week_over` refuses it ("2026-W39 (ended Sun 27 Sep 2026)
    is over, and its published roster is ..."); "" when the week is not over by `on`. The Roster page disables its
    publish buttons by it."""
    from planner.saved_plans import weeks_over

    return weeks_over([str(IsoWeek.parse(iso_week))], ROSTER_RECORD, on)

