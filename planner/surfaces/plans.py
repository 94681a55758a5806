"""How a saved plan is named and said to be as made, out of date or re-planned: the Plans page's words, said the
same on the Settings and Upload pages and by `plans` and `import`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple, Protocol

from planner.weeks import IsoWeek
from planner.words import agreeing, counted, first_named, listed, store_label

PLAN_AS_MADE = ("The store's counts, store file row, calendar and the settings are as when this plan was made, and "
                "a plan made now from today's counts of the other stores (from which the hours it counted little "
                "are partly borrowed) requires the same staff in every hour.")
"""The Plans page's word for a plan as made (`planner.saved_plans.plans_with_status`: nothing of its own changed,
and other stores' counts, where they changed since, move none of its staff)."""


CHANGED_SINCE_MADE = "changed since it was made"
"""What changed of a plan's inputs, after what did ("the chain's settings changed since it was made"), in the same
words on the Plans page, in `plans list`, `plans show` and the Plans CSV: the list and the CSV ended at "changed
since"."""


RESULT_WORDS = {"optimal": "optimal", "feasible": "unproven", "no_schedule_found": "no schedule",
                "infeasible": "infeasible", "no_recommendation": "no counts", "nothing_required": "nothing needed"}
"""A saved plan's schedule status (its code, `planner.shifts.STATUSES`) in a word for the Saved plans list and its CSV;
the short ones say by how much (`plan_result`); what each means: `RESULT_MEANINGS`."""
SHORT_STATUSES = ("short", "short_by_budget")
RESULT_MEANINGS = {
    "optimal": "every open hour has the staff it requires, and no cheaper set of shifts does that (proven)",
    "short N staff-hours": "that many staff-hours of the requirement stay uncovered, by the budget, the store's "
                           "max_staff or the shift rules (said under the plan), in the best schedule they allow "
                           "(proven)",
    "unproven": "a schedule the time limit stopped before it was proven the cheapest",
    "no schedule": "the time limit came before any schedule was found",
    "infeasible": "no schedule keeps every hard rule",
    "no counts": "no recommendation for its hours, so nothing is scheduled",
    "nothing needed": "no staff required in its hours",
}
"""What each word of a saved plan's Result (`plan_result`) means, in plain words: "optimal" read as jargon beside
"short 2.0 staff-hours"."""
RESULT_HELP = ("its schedule as made: " + "; ".join(f"{word}: {meaning}" for word, meaning in RESULT_MEANINGS.items())
               + ". In full under the plan")
"""The help of the Saved plans list's Result column."""


def plan_result(status: str | None, uncovered_staff_hours: float | None) -> str:
    """A saved plan's schedule result in a few words: "optimal", "short 12.5 staff-hours", "unproven", ...; "" where
    its row holds none (a document without a schedule row)."""
    if not isinstance(status, str):
        return ""
    if status in SHORT_STATUSES:
        known = isinstance(uncovered_staff_hours, (int, float)) and uncovered_staff_hours == uncovered_staff_hours
        return f"short {uncovered_staff_hours:,.1f} staff-hours" if known else "short"
    return RESULT_WORDS.get(status, status)


class CappedWeek(NamedTuple):
    """The spans of a plan's week whose requirement is above the store's max_staff (`most`), per day in the order
    said: (day, ["12:00-15:00 needs 7 to 8", ...])."""

    most: int
    days: tuple[tuple[str, tuple[str, ...]], ...]


def capped_boxes(sentences: Sequence[str]) -> list[str | CappedWeek]:
    """A plan's optimiser sentences as the Plans page boxes them: each its own, but those of spans above the store's
    max_staff ("Mon 14 Dec 12:00-15:00 needs 7 to 8 staff but the store takes at most 6", `planner.shifts.report`)
    gathered into one `CappedWeek` where the first of them stood. A store capped below its need all week showed
    eleven boxes of it, stacked above the day's shifts."""
    boxes: list[str | CappedWeek] = []
    days: dict[int, dict[str, list[str]]] = {}  # max_staff -> day -> spans
    at: dict[int, int] = {}  # max_staff -> where its box stands
    for sentence in sentences:
        capped = _CAPPED.match(sentence)
        if capped is None:
            boxes.append(sentence)
            continue
        most = int(capped["most"])
        at.setdefault(most, len(boxes))
        if len(boxes) == at[most]:
            boxes.append("")  # its place, filled below
        days.setdefault(most, {}).setdefault(capped["day"], []).append(f"{capped['span']} needs {capped['need']}")
    for most, place in at.items():
        boxes[place] = CappedWeek(most, tuple((day, tuple(spans)) for day, spans in days[most].items()))
    return boxes


_CAPPED = re.compile(r"^(?P<day>\w{3}(?: \d{1,2} \w{3})?) (?P<span>\S+) needs (?P<need>\d+(?: to \d+)?) staff but "
                     r"the store takes at most (?P<most>\d+)$")
"""`planner.shifts.report.explain`'s sentence of a span above max_staff, dated by `planner.plans.dated`."""


def capped_lead(store: str, most: int) -> str:
    """The first line of a `CappedWeek`'s box: what caps the store, and what that leaves."""
    return (f"The store file lets {store} have at most {most} staff on the floor (its max_staff), "
            f"fewer than it needs here; these hours stay short:")


def capped_day(day: str, spans: Sequence[str]) -> str:
    """A line of a `CappedWeek`'s box: "Mon 14 Dec: 12:00-15:00 needs 7 to 8, 16:00-20:00 needs 7 to 9"."""
    return f"{day}: {', '.join(spans)}"


SHORT_CAUSES = {"the store's maximum staff": "the store's max_staff"}
"""A short schedule's cause (its status in full after "because of ", `planner.shifts.report`) in the store file's
word where it is one."""


class PlanShort(Protocol):
    """A plan just saved whose schedule is short (`app_pages.data.ShortPlan`)."""

    plan_id: int
    store_id: str
    iso_week: str
    uncovered_staff_hours: float
    status_text: str


def published_short(plans: Sequence[PlanShort]) -> str:
    """Said after *Make and publish* beside what was published: the plans among them that leave staff-hours of their
    requirement uncovered, how many and why in a few words ("plan 10 (S99 2026-W51) short 97.0 staff-hours, because
    of the store's max_staff"); "" for none. A plan published short was said only in the list's Result."""
    if not plans:
        return ""
    return "Published short of the requirement: " + "; ".join(
        f"plan {plan.plan_id} ({plan.store_id} {plan.iso_week}) short {plan.uncovered_staff_hours:,.1f} staff-hours"
        f"{_short_because(plan.status_text)}" for plan in plans) + \
        f". Pick {'it' if len(plans) == 1 else 'each'} under Show plan to see which hours."


def _short_because(status_text: str) -> str:
    """", because of the store's max_staff" of a status in full that names its cause; ", unproven (the time limit
    came before the proof)" of one only feasible; "" else."""
    _, because, cause = status_text.partition("because of ")
    if because:
        for said, word in SHORT_CAUSES.items():
            cause = cause.replace(said, word)
        return f", because of {cause}"
    return ", unproven (the time limit came before the proof)" if status_text.startswith("feasible") else ""


def set_aside(published_id: int) -> str:
    """What a draft made before the plan now published for its store and week is (`planner.saved_plans.SET_ASIDE`),
    where its inputs are said: kept to be read, but no longer one to re-plan or publish."""
    return f"set aside: plan {published_id} was published for this week"


SET_ASIDE_SHOWN = ("This draft was made before plan {published}, the plan now published for its store and week: it is "
                   "set aside, kept to be read. Re-plan plan {published} to make a newer draft.")
"""Said above a set-aside draft on the Plans page, in place of whether it is out of date."""


HELD_AS_MADE = ", as made (its inputs have changed since: see above)"
"""What a shown plan's schedule status holds for when the plan is out of date: "optimal, proven best, every
required hour covered" read as if it held against today's inputs (after "Status in full", a sentence of its own: "...
as said above): S01: optimal: proven best" strung four colons together). Not "for the requirement
it was made from (today's differs)": a plan is out of date too where only the shift settings or the store's name or
wage changed, and its requirement is today's."""


OWN_COUNTS_SHORT = "new counts of this store"
"""What a plan's own store's counts changed since it was made say (its `OUT_OF_DATE` part "the counts") in a list's
few words ("out of date: new counts of this store, calendar"), and the start of `OWN_NEW_COUNTS`: the Plans list said
"own counts" where `plans list` said "new counts of this store", and "own counts" is also where an hour's profile
comes from (`planner.demand.sources`)."""
OWN_NEW_COUNTS = f"{OWN_COUNTS_SHORT} since it was made"
"""The same in a sentence, on the Plans and Roster pages, in the Plans CSV and from `plans`: "the counts changed since
it was made" did not say whose, beside plans other stores' counts put out of date."""
OWN_COUNTS = "this store's counts"
"""The same in "This plan was made before this store's counts changed: make it again." (`staleness`)."""
STORES_NAMED = 3
"""Stores whose new counts moved a plan that a sentence names (`others_new_counts`); more are counted."""


def others_new_counts(stores: Sequence[str], others: int, hours: str) -> str:
    """What moved a plan's staff in `hours` ("3 hours"), said of `stores`, the other stores whose counts changed
    since it was made that the reader's scope covers, and `others` more it does not (counted, never named): "new
    counts of S03, S05, S06 and 4 more (whose counts shape this store's demand) since it was made move its staff in
    3 hours", "new counts of S07 and 2 other stores (...)". The plan borrows from them (the pooled model): "other
    stores' counts move its staff in 3 hours" named none, and a planner could not tell which import moved it."""
    return f"new counts of {_stores_named(stores, others)} (whose counts shape this store's demand) since it was " \
        f"made move its staff in {hours}"


def others_new_counts_short(stores: Sequence[str], others: int, hours: str) -> str:
    """`others_new_counts` in few words, for a list: "3 hours moved by counts of S03, S05, S06 and 4 more"."""
    return f"{hours} moved by counts of {_stores_named(stores, others)}"


def _stores_named(stores: Sequence[str], others: int) -> str:
    """`stores` named, `STORES_NAMED` at most and the rest and `others` counted: "S03, S05, S06 and 4 more", "S07 and
    2 other stores", "3 other stores"."""
    stores = list(stores)
    if len(stores) > STORES_NAMED:
        return f"{', '.join(stores[:STORES_NAMED])} and {len(stores) - STORES_NAMED + others} more"
    return listed(stores + ([counted(others, "other store")] if others else []))


STATUS_IN_A_REASON = {"infeasible": "no schedule can keep every rule",
                      "infeasible within the budget": "no schedule within the budget can keep every rule"}
"""A schedule's status (its `planner.shifts` status text) as the reason a store is left out of a plan says it, where
the solver's word would stand alone: "(60 open hours: infeasible)" read as if the hours were infeasible; it reads
"(60 open hours; no schedule can keep every rule)"."""


def plan_staff_moved(moved: str, hours: str = "") -> str:
    """The Plans page's sentence for a plan whose own inputs are as made but whose staff a plan made now moves
    (`moved`: that part of its status in words, `planner.saved_plans.out_of_date_sentence`: "new counts of S07 (whose
    counts shape this store's demand) since it was made move its staff in 3 hours"; `hours`: which, and by how much,
    `planner.pooled_moves.moves_text`): what `plans show` says after "out of date: ". What Re-plan does is said once,
    beside the button (`REPLAN_MAKES`): said here too, it read "from today's counts" above "from today's inputs at the
    chain's saved settings" of the same plan."""
    return (f"This store's counts, store file row, calendar and the settings are as when this plan was made, but "
            f"{moved}" + (f": {hours}." if hours else "."))


REPLAN_MAKES = "Re-plan makes it again from today's inputs at the chain's saved settings"
"""What Re-plan does, said once for the plan shown, in the box beside the button ("Out of date: ... . Re-plan makes it
again ...")."""


def ask_a_planner(plans: int = 1) -> str:
    """What a role that may not publish is to do about `plans` out-of-date plans, in the same words on the Plans and
    Upload pages: "ask a planner to re-plan it and publish the new plan". A re-plan of hers is a draft that only a
    planner makes the plan its store works to that week, so "make it again" (a planner's words) sent her to a step she
    cannot finish."""
    one = plans == 1
    return f"ask a planner to re-plan {'it' if one else 'them'} and publish the new {'plan' if one else 'plans'}"


REPLAN_AS_DRAFT = "Re-plan as a draft"
"""Re-plan's label for a role that may not publish: what it makes for her, a draft, beside a planner's "Re-plan"."""
REPLAN_AS_DRAFT_MAKES = ("Re-plan as a draft makes a new draft from today's inputs at the chain's saved settings for "
                         "a planner to publish")
"""`REPLAN_MAKES` for a role that may not publish."""


def replan_as_draft_help(published: bool) -> str:
    """The help of `REPLAN_AS_DRAFT`: what the draft is for, and that the plan shown (`published` or not) stays."""
    return (f"A new draft of this store and week from today's inputs at the chain's saved settings, for a planner to "
            f"publish; this plan {'stays published' if published else 'is kept as it is'} until then.")


def replan_published_button(plans: int, drafts_only: bool = False) -> str:
    """The Plans page's button that re-plans every out-of-date published plan listed at once: "Re-plan the 7
    out-of-date published plans"; `drafts_only`: for a role that may not publish, "... as drafts" (for a planner to
    publish, as the box above it says)."""
    if plans == 1:
        return "Re-plan the out-of-date published plan" + (" as a draft" if drafts_only else "")
    return f"Re-plan the {plans} out-of-date published plans" + (" as drafts" if drafts_only else "")


REPLAN_PUBLISHED_HELP = ("Each is made again from today's inputs at the chain's saved settings and saved as a new "
                         "draft of its store and week; nothing is published: each published plan stays the plan of "
                         "its week until its new draft is read and published.")
"""The help of `replan_published_button`, and of `plans replan --out-of-date`."""


def published_out_of_date(plans: int, may_publish: bool = True) -> str:
    """Said above `replan_published_button`: how many published plans listed are out of date; to a role that may
    not publish (`may_publish` false), what to ask of a planner (`ask_a_planner`)."""
    said = f"{counted(plans, 'published plan')} {agreeing(plans, 'is', 'are')} out of date (*Inputs* says why)"
    return f"{said}." if may_publish else f"{said}: {ask_a_planner(plans)}."


def replanning_published(plans: int) -> str:
    """Said while the out-of-date published plans are made again."""
    return f"Re-planning {counted(plans, 'out-of-date published plan')}…"


class PublishedReplanned(Protocol):
    """An out-of-date published plan and its draft made again (`planner.replan_published.PublishedReplan`)."""

    published_id: int
    store_id: str
    iso_week: str
    draft_id: int
    why: str


def replanned_published(made: Sequence[PublishedReplanned], awaiting: Sequence[PublishedReplanned],
                        failed: Sequence[PublishedReplanned], publish: str) -> str:
    """What re-planning the out-of-date published plans did, on the Plans page and from `plans replan --out-of-date`:
    the drafts `made`, one per published plan; those `awaiting`, not made again because a newer draft of their week
    is as made already; those `failed`, with why; and what is left to publish, `publish` saying how (the page's
    Publish, the command line's `plans publish` with the ids)."""
    said = []
    if made:
        said.append(f"Re-planned {counted(len(made), 'out-of-date published plan')}, each saved as a new draft: "
                    + listed([f"plan {one.draft_id} ({one.store_id} {one.iso_week}, for published plan "
                              f"{one.published_id})" for one in made]) + ".")
    if awaiting:
        one = len(awaiting) == 1
        said.append(f"Not made again, as a newer draft of {'its' if one else 'their'} week is as made already: "
                    + listed([f"published plan {each.published_id} ({each.store_id} {each.iso_week}; draft "
                              f"{each.draft_id})" for each in awaiting]) + ".")
    if failed:
        said.append("Could not be re-planned: " + "; ".join(
            f"published plan {each.published_id} ({each.store_id} {each.iso_week}): {each.why.rstrip('.')}"
            for each in failed) + ".")
    drafts = [each.draft_id for each in [*made, *awaiting]]
    if drafts:
        said.append(f"Nothing is published yet: {agreeing(len(drafts), 'draft')} "
                    f"{listed([str(plan_id) for plan_id in drafts])} {'is' if len(drafts) == 1 else 'are'} left to "
                    f"read and publish {publish}.")
    return " ".join(said) or "No published plan is out of date."


def replan_requirement(hours: int, moved: str, same_shifts: bool) -> str:
    """What re-planning an out-of-date plan changes in its requirement (`planner.replan_moves`), said on the Plans
    page after "This plan was made before the chain's settings changed: make it again." before Re-plan is pressed:
    `hours` in which it requires other staff (`moved`: which, `pooled_moves.moves_text`), or none, and then whether
    the shifts come out the same (`same_shifts`: nothing else they are made from changed)."""
    if hours:
        return f"Re-planned now, it would require other staff in {counted(hours, 'hour')}: {moved}."
    if same_shifts:
        return "Re-planned now, it would require the same staff in every hour and give the same shifts."
    return ("Re-planned now, it would require the same staff in every hour, though its shifts may change with the "
            "shift settings, its store file row or its calendar.")


class SavedPlanNamed(Protocol):
    """What names a saved plan in a sentence (`planner.settings_change.OutOfDatePlan` has it)."""

    plan_id: int
    store_id: str
    iso_week: str
    status: str
    store_name: str


PLANS_NAMED = 5
"""Saved plans a sentence names (`saved_plans_named`); more are counted."""
PLAN_STATUS_NAMES = {"draft": "draft", "published": "published plan", "superseded": "superseded plan"}
"""A saved plan's status as a sentence names the plan ("the draft of ..."); "plan" where the status is not read."""


def saved_plan_named(plan: SavedPlanNamed, whole: bool = False) -> str:
    """`plan` as every sentence names a saved plan (a save of the settings or an import put it out of date): its
    status, its store as the pickers label it, its week by the Monday it begins and its id: "the draft of S01 – Berlin
    Mitte for the week of 7 Dec 2026 (plan 2)". The Settings page said "S01 week of 7 Dec 2026 (plan 2)" and the
    Upload page "the draft of S01 2026-W50 (plan 2)" of the same plan. `whole`: the store as a file or a terminal
    names it, its id and name whole (`store_label`); a page cuts a long one."""
    monday = IsoWeek.parse(plan.iso_week).monday
    store = store_label(plan.store_id, plan.store_name, whole=whole)
    return (f"the {PLAN_STATUS_NAMES.get(plan.status, 'plan')} of {store} "
            f"for the week of {monday.day} {monday:%b %Y} (plan {plan.plan_id})")


def saved_plans_named(plans: Sequence[SavedPlanNamed], whole: bool = False) -> str:
    """`plans` named (`saved_plan_named`), the last after "and"; past `PLANS_NAMED` the rest counted ("... and 2
    more"); "" for none."""
    each = [saved_plan_named(plan, whole) for plan in plans]
    return first_named(each, PLANS_NAMED) if len(each) > PLANS_NAMED else listed(each)


def plan_not_listed(plan_id: int) -> str:
    """What a link to a plan the user cannot see says: none, or of a store their scope does not cover, said alike (as
    `plans show` says them), so a plan number names no store elsewhere."""
    return f"Plan {plan_id} is not listed here: there is no such plan, or it is of a store you do not cover."


def same_as_draft(plan_id: int) -> str:
    """Said of a draft just made beside its id (`planner.saved_plans.same_drafts`): an earlier draft `plan_id` of its
    store and week has the same requirement and shifts, so either may be published."""
    return f"the same requirement and shifts as draft plan {plan_id}: publish either"


IMPORT_REPLAN_ON_PAGE = "on the Plans page"
"""Where the Upload page sends a planner to re-plan what an import put out of date (`import_put_out_of_date`)."""


def import_put_out_of_date(plans: Sequence[SavedPlanNamed], replan: str = IMPORT_REPLAN_ON_PAGE,
                           whole: bool = False, may_publish: bool = True) -> str:
    """The sentence after an import that put saved plans out of date (`planner.import_change`), on the Upload page
    and from `import`, which says how to `replan` them its own way: "The published plan of S01 – Berlin Mitte for the
    week of 14 Dec 2026 (plan 1) is now out of date: re-plan it on the Plans page."; "" for none. A role that may
    not publish (`may_publish` false) is told a planner re-plans and publishes: a store manager read "re-plan it on
    the Plans page", where a re-plan of hers stays a draft nobody works to."""
    if not plans:
        return ""
    named = saved_plans_named(plans, whole)
    one = len(plans) == 1
    if not may_publish:
        return f"{named[0].upper()}{named[1:]} {'is' if one else 'are'} now out of date: {ask_a_planner(len(plans))}."
    return (f"{named[0].upper()}{named[1:]} {'is' if one else 'are'} now out of date: re-plan "
            f"{'it' if one else 'them'} {replan}.")


IMPORT_PLANS_LINK = "See the out-of-date plans on Plans"
"""The Upload page's link to the Plans page under `import_put_out_of_date`."""
