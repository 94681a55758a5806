"""Whether a saved roster still stands: the plan it was rostered for replaced (`plan_replaced`), the roster rules or
the store's time zone changed since it was made (`stale_reasons`), its requirement as shown, and its shifts measured
against the requirement in force (`requirement_now`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from sqlalchemy import Engine

from planner import storage
from planner.access.scope import EVERYTHING, PUBLISH, Scope
from planner.roster.check import check_roster
from planner.rostering.documents import SavedRoster, ever_published, roster_from_document, rule_value, saved_roster
from planner.rostering.store_week import (
    STALE_WHEN_ROSTERED, RosterRun, out_of_date_clause, plan_changed, roster_instance,
)
from planner.settings import RosterRules, Settings, value_text
from planner.surfaces.roster import RECOMMENDED_REQUIREMENT, RECOMMENDED_REQUIREMENT_BEFORE, replan_next_step
from planner.targets import resolve_time_zones

COMMAND_LINE, ROSTER_PAGE = "command line", "Roster page"
"""Where a stale draft's refusal is said (`stale_sentence`), so that it names that place's way on."""


PLAN_SOURCE = re.compile(r"the published plan (\d+)")
"""How a roster's requirement source names the published plan it followed (`_requirement` writes it)."""


REPLAN_SOURCE = re.compile(r"the re-plan of the published roster(?: (\d+))?")
"""How a re-plan's requirement source names the roster it re-planned (`replan_run` writes it; a re-plan saved before
the id was written names none: the roster published before it is the one). Saved rosters keep it so; it is shown
as `REPLANNED_FROM` says it."""


REPLANNED_FROM = "as re-planned from published roster {roster_id}"
"""A re-plan's requirement source as `shown_source` shows it, after "requirement: " (the source as saved read
"requirement: the re-plan of the published roster 1")."""


REPLANNED_FROM_UNNAMED = "as re-planned from the roster published before it"
"""The same of a re-plan saved before its source named the roster it re-planned."""


def stale_source(run: RosterRun) -> tuple[str, str]:
    """`run`'s requirement as (what the requirement is, "the published plan 1"; why its plan was out of date as it
    was rostered, "the calendar changed since it was made", else ""): a page shows the second as a warning of its
    own, where it read as an aside in the draft's brackets. From the run's own `plan_out_of_date`, not read back
    from its sentence."""
    if not run.plan_out_of_date:
        return run.requirement_source, ""
    return run.requirement_source.replace(out_of_date_clause(run.plan_out_of_date), "", 1), run.plan_out_of_date


def shown_source(saved: SavedRoster) -> str:
    """`saved`'s requirement source as shown after "requirement: ", beside `requirement_since`, which says what
    stands now: without the "out of date" it was rostered with (a published roster read "the published plan 1, out
    of date: the counts changed since it was made: ...; its plan 1 is out of date: the counts changed since: ...",
    the same twice), and a re-plan's as `REPLANNED_FROM` says it. A saved roster keeps only its sentence, so the
    "out of date" (`out_of_date_clause`) is found in it by its words; a run made in this process carries it apart
    (`RosterRun.plan_out_of_date`, `stale_source`)."""
    source = re.sub(f", out of date: .*?{re.escape(STALE_WHEN_ROSTERED)}", "", saved.requirement_source)
    if source == RECOMMENDED_REQUIREMENT_BEFORE:  # saved before: its brackets sat inside the page's
        return RECOMMENDED_REQUIREMENT
    replanned = REPLAN_SOURCE.fullmatch(source)
    if replanned is None:
        return source
    return REPLANNED_FROM_UNNAMED if replanned.group(1) is None else REPLANNED_FROM.format(roster_id=replanned.group(1))


def requirement_since(engine: Engine, settings: Settings, saved: SavedRoster, scope: Scope = EVERYTHING) -> str:
    """Whether the requirement `saved` was rostered for still stands, in words: "" when the week's published plan is
    the one it was made from (and its inputs have not changed against the chain's `settings`), else what replaced it
    and what to do (a roster shown from the database said nothing when the plan it followed had been superseded). A
    re-plan is followed back to the roster it re-planned, and on to the plan that roster was made from (a re-plan was
    always read as stale)."""
    return requirement_warning(engine, settings, saved, scope)[0]


def requirement_warning(engine: Engine, settings: Settings, saved: SavedRoster, scope: Scope = EVERYTHING, *,
                        where: str = COMMAND_LINE) -> tuple[str, bool]:
    """`requirement_since`'s words as `where` says them, and whether their way on is re-planning the week (the plan
    `saved` follows is out of date, not replaced): the Roster page names the Plans page
    (`surfaces.roster.replan_next_step`, by the role) and links it, as beside a draft's out-of-date plan; it read the command
    line's "re-plan the week" naming no place."""
    from planner.plans import Plan
    from planner.saved_plans import out_of_date_sentence

    stored = storage.published_plan(engine, saved.store_id, saved.iso_week)
    replaced = _plan_replaced(engine, saved, stored)
    if replaced:
        return f"{replaced}: roster the week again" + ("" if stored is None else " to follow it"), False
    if stored is None:
        return "", False
    stale = plan_changed(engine, stored, Plan.from_json(stored.document), settings, scope)
    if not stale:
        return "", False
    why = f"its plan {stored.plan_id} is out of date: {out_of_date_sentence(stale)}"
    if where == ROSTER_PAGE:
        return f"{why}. {replan_next_step(scope.may(PUBLISH))}", True
    return f"{why}{STALE_WHEN_ROSTERED}", True


@dataclass(frozen=True)
class RequirementNow:
    """A published roster measured against the requirement a roster made now would follow, where that is not the
    one it was made for (`requirement_now`). Its own figures (`SavedRoster.hours`, its sentences) stay those of
    `made_for`."""

    made_for: str
    """The requirement it was made for and its figures measure: "the published plan 1", or
    `surfaces.roster.RECOMMENDED_REQUIREMENT`."""
    now: str
    """The requirement in force: "the published plan 2", or `surfaces.roster.RECOMMENDED_REQUIREMENT` (its plan
    withdrawn)."""
    replaced: str
    """What replaced `made_for`, as `requirement_since` says it ("made from plan 1, which the published plan 2 has
    replaced")."""
    uncovered_staff_hours: float
    """Against `now`: the staff-hours its shifts leave uncovered."""
    short: tuple[str, ...]
    """Against `now`: each span with staff missing (`findings.uncovered_spans`: "Sat 10:00-18:00: up to 3 staff short
    (20 staff-hours uncovered)")."""


def requirement_now(engine: Engine, settings: Settings, saved: SavedRoster,
                    scope: Scope = EVERYTHING) -> RequirementNow | None:
    """`saved`'s shifts measured against the week's requirement as it stands (`roster_instance`: the plan published
    now, else the recommendation) when the plan it was made from is no longer the week's published plan
    (`_plan_replaced`), by the solver-free checker; None when it still is, and its own figures say it all. A roster
    of plan 1 read "Uncovered staff-hours 0.0" under the words that plan 2 had replaced it, where plan 2 left hours
    short."""
    from planner.roster.findings import uncovered_spans
    from planner.shifts.instance import SLOT_MINUTES

    published_plan = storage.published_plan(engine, saved.store_id, saved.iso_week)
    replaced = _plan_replaced(engine, saved, published_plan)
    if not replaced:
        return None
    instance, _ = roster_instance(engine, settings, saved.store_id, saved.iso_week, scope=scope)
    roster = roster_from_document(storage.load_roster(engine, saved.roster_id, scope).document, instance, settings,
                                  as_made=True)
    check = check_roster(roster.instance, roster.rules, roster.assignments)
    made_from = PLAN_SOURCE.match(_origin_source(engine, saved))
    return RequirementNow(
        RECOMMENDED_REQUIREMENT if made_from is None else f"the published plan {made_from.group(1)}",
        RECOMMENDED_REQUIREMENT if published_plan is None else f"the published plan {published_plan.plan_id}",
        replaced, float(check.under.sum() * SLOT_MINUTES / 60), tuple(uncovered_spans(roster.instance, check.under)))


def plan_replaced(engine: Engine, saved: SavedRoster) -> str:
    """Whether the plan `saved` was made from is still the week's published plan: "" when it is (or neither has one),
    else what replaced it, in words ("made from plan 1, which the published plan 2 has replaced"), as
    `requirement_since` and `RequirementNow.replaced` say it; without measuring anything, for the calendars' mark
    (`surfaces.roster.calendar_out_of_date`)."""
    return _plan_replaced(engine, saved, storage.published_plan(engine, saved.store_id, saved.iso_week))


def rules_since(settings: Settings, saved: SavedRoster) -> str:
    """Which of the chain's roster rules (those a planner sets, `RosterRules`' fields with a label) changed since
    `saved` was made, in words: "the roster rules changed since this roster was made: Most paid hours a week (hours)
    48 -> 44: roster the week again to follow them"; "" when none did, or the roster was saved before its rules were
    kept. The time limit is left out: it stops a slow machine's search and is no rule a roster keeps; so are the
    rules only a re-plan reads (`RULES_OF_REPLANS`: the notice for changes, the premiums, ...), which the published
    roster keeps whatever they say. Plans and schedules never read the roster rules (`settings.planning_settings`),
    so nothing here calls them out of date."""
    changed = _rules_changed(settings, saved)
    if not changed:
        return ""
    return f"the roster rules changed since this roster was made: {'; '.join(changed)}: roster the week again to " \
        "follow them"


def zone_since(engine: Engine, settings: Settings, saved: SavedRoster) -> str:
    """Whether the store's time zone (its own, else the chain's in `settings`: `resolve_time_zones`, as a roster made
    now reads it) is the one `saved` was made under, in words: "the store's time zone changed since this roster was
    made: Europe/Berlin -> Europe/London: roster the week again to follow it"; "" when it is, or the roster was saved
    before its zone was kept. Its shifts are clock times on the zone it was made under, which its calendars state
    (`zones_made_under`): a 09:00 shift made on Berlin's clock is still sent as 09:00 Berlin time, though the store
    now opens on London's."""
    changed = _zone_changed(engine, settings, saved)
    return f"{zone_changed_clause(changed)}: roster the week again to follow it" if changed else ""


def zone_changed_clause(changed: str) -> str:
    """What a change of the store's time zone since a roster was made (`_zone_changed`: "Europe/Berlin ->
    Europe/London") is said as, by `zone_since` and among `stale_reasons`."""
    return f"the store's time zone changed since this roster was made: {changed}"


def stale_reasons(engine: Engine, settings: Settings, saved: SavedRoster) -> list[str]:
    """Why `saved` is stale, each in words ([] when it is not): what `requirement_since` and `rules_since` say a
    roster made now would follow instead, without their advice. The plan it followed is no longer the week's
    published plan ("made from plan 1, which the published plan 2 has replaced", withdrawn, or one published
    since it was made without one), or roster rules it keeps changed ("the roster rules changed since it was made:
    Most paid hours a week (hours) 48 -> 40"), or the store's time zone changed since (`zone_changed_clause`: "the
    store's time zone changed since this roster was made: Europe/Berlin -> Europe/London"). A plan whose own inputs changed since does
    not make it stale: a roster made now would follow that same plan (`roster --publish` publishes one, its
    requirement source saying so); re-planning the week is what answers it."""
    replaced = _plan_replaced(engine, saved, storage.published_plan(engine, saved.store_id, saved.iso_week))
    changed = _rules_changed(settings, saved)
    rules = [f"the roster rules changed since it was made: {'; '.join(changed)}"] if changed else []
    zone = _zone_changed(engine, settings, saved)
    zones = [zone_changed_clause(zone)] if zone else []
    return [*([replaced] if replaced else []), *rules, *zones]


RULES_NOT_KEPT = ("time_limit_seconds",)
"""Roster settings a planner sets that no roster keeps (`rules_since` leaves them out)."""


RULES_OF_REPLANS = ("notice_days", "premium_hours_added_shift", "premium_hours_moved_shift",
                    "premium_hours_shortened_shift", "premium_hours_cancelled_shift", "change_penalty_hours",
                    "break_move_penalty_hours", "keep_untouched_days")
"""Roster rules only a re-plan reads (`planner.roster.replan`): what a change within the notice window pays, what a
change costs, which days a re-plan keeps. A published roster keeps them whatever they are, so a change to one is no
reason to roster the week again (`rules_since` leaves them out; the next re-plan follows them)."""


def _plan_replaced(engine: Engine, saved: SavedRoster, stored: storage.StoredPlan | None) -> str:
    """Whether `stored`, the week's published plan (None: none is), is the plan `saved` was rostered for (a re-plan
    followed back to the roster it re-planned: `_origin_source`): "" when it is (or neither has one), else what
    replaced it, in words."""
    made_from = PLAN_SOURCE.match(_origin_source(engine, saved))
    if stored is None:
        return "" if made_from is None else (f"made from plan {made_from.group(1)}, which is no longer the week's "
                                             "published plan")
    if made_from is None:
        return f"a plan of the week was published since it was made (plan {stored.plan_id})"
    if int(made_from.group(1)) != stored.plan_id:
        return f"made from plan {made_from.group(1)}, which the published plan {stored.plan_id} has replaced"
    return ""


def _zone_changed(engine: Engine, settings: Settings, saved: SavedRoster) -> str:
    """The store's time zone `saved` was made under and the one in force now ("Europe/Berlin -> Europe/London"),
    where both are named and differ; "" otherwise. A roster made with no zone kept the store's local clock times,
    which a zone set since only names (its calendars then state it, as `roster --out-dir` says); a zone taken away
    leaves those clock times floating, as the calendars' note says. Neither moves a shift. Nor is a roster whose
    document kept no zone judged."""
    if not saved.time_zone_kept or saved.time_zone is None:
        return ""
    now = resolve_time_zones(storage.load_stores(engine, store_ids=[saved.store_id]), settings).get(saved.store_id)
    return "" if now in (None, saved.time_zone) else f"{saved.time_zone} -> {now}"


def _rules_changed(settings: Settings, saved: SavedRoster) -> list[str]:
    """Each roster rule `saved` keeps whose value in `settings` differs from the one it was made with ("Most paid
    hours a week (hours) 48 -> 40"), as `rules_since` leaves rules out; [] for a roster saved before its rules
    were kept."""
    if saved.roster_rules is None:
        return []
    changed = []
    for item in fields(RosterRules):
        info = item.metadata.get("info")
        if (info is None or item.name in RULES_NOT_KEPT or item.name in RULES_OF_REPLANS
                or item.name not in saved.roster_rules):
            continue
        made_with = rule_value(saved.roster_rules[item.name])
        in_force = getattr(settings.roster, item.name)
        if made_with != in_force:
            changed.append(f"{info.label} ({info.unit}) {value_text(made_with, info.unit)} -> "
                           f"{value_text(in_force, info.unit)}")
    return changed


def _origin_source(engine: Engine, saved: SavedRoster) -> str:
    """The requirement source of the roster `saved` descends from: its own, or, for a re-plan, that of the roster it
    re-planned, followed back until a roster that is not a re-plan ("" when the chain is lost)."""
    source, roster_id = saved.requirement_source, saved.roster_id
    while (replanned := REPLAN_SOURCE.match(source)) is not None:
        if replanned.group(1) is not None:
            before = int(replanned.group(1))
        else:  # an older re-plan: the roster published for the week before it was
            listing = ever_published(engine, saved.store_id, saved.iso_week)
            earlier = listing[listing["roster_id"] < roster_id]
            if earlier.empty:
                return ""
            before = int(earlier["roster_id"].max())
        if before >= roster_id:  # ids only grow: a chain that does not is not followed
            return ""
        roster_id, source = before, saved_roster(storage.load_roster(engine, before)).requirement_source
    return source

