"""Words of the Roster page and of `roster`: a shift across a change of the clocks, the requirement a roster is
measured against, and what publishing over a published roster changes and for whom."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.words import counted, number_text


def clock_change_mark(change_hours: float) -> str:
    """What the roster's grids write after a shift across a change of the clocks, `change_hours` the hours it adds
    (+1 as they go back, -1 as they go forward): " (+1 h)"; "" for no change. Short, as the page's day is 68 px and
    the terminal's grid as wide as its widest cell; the sentence under either grid (`clock_change_said`) and the
    shift CSV's `clock_change_hours` say it in full."""
    if not change_hours:
        return ""
    return f" ({'+' if change_hours > 0 else '-'}{number_text(abs(change_hours))} h)"


def clock_change_said(shift: str, paid_hours: float, change_hours: float) -> str:
    """A shift across a change of the clocks, in plain words beside the roster's grid and under `roster`'s: "Person
    A, Sat 24 Oct 22:00-06:00+1: 9 hours worked and paid, 1 hour more than the clock shows, as the clocks go back an
    hour that night." (`shift` names the person and the shift as the grid does)."""
    clock = counted(abs(change_hours), "hour")
    more, way = ("more", "back") if change_hours > 0 else ("less", "forward")
    return (f"{shift}: {counted(paid_hours, 'hour')} worked and paid, {clock} {more} than the clock shows, as the "
            f"clocks go {way} {'an hour' if abs(change_hours) == 1 else clock} that night.")


RECOMMENDED_REQUIREMENT = "the week's recommended staff, with its calendar applied"
"""A roster's requirement where no plan of its week is published (`planner.rostering`), as the Roster page shows it
after "requirement: " in brackets of its own."""
RECOMMENDED_REQUIREMENT_BEFORE = "the recommended staff of the week (its calendar applied)"
"""The same as rosters saved before kept it: shown in today's words (the page's brackets held a second pair)."""


def measured_against(made_for: str) -> str:
    """What the Roster page says under a published roster's figures where the week's requirement is no longer the one
    it was made for (`planner.rostering.standing.requirement_now`): which one they measure. "Uncovered staff-hours 0.0" sat
    under the words that a new plan had replaced its own, where the new plan left hours short."""
    return f"Required and uncovered staff-hours against {made_for}, which it was made from."


def covered_against(made_for: str | None = None) -> str:
    """The Roster page's line where a roster leaves nothing uncovered and breaks no wish; said of `made_for` when the
    week's requirement is no longer that one (`measured_against`)."""
    against = f" against {made_for}" if made_for else ""
    return f"None{against}: every required hour is covered, with a keyholder, and every wish is met."


REPLAN_ON_PLANS_PAGE = "Re-plan the week on the Plans page, publish the new plan, then roster again"
"""What the Roster page says to do about a roster, draft or published, whose plan is out of date; it links the Plans
page beside it."""
REPLAN_ASK_A_PLANNER = "Ask a planner to re-plan the week, publish the new plan and roster the week again"
"""`REPLAN_ON_PLANS_PAGE` for a role that may not publish: a store manager was told to publish."""
REPLAN_LINK = "Re-plan on the Plans page"
PLAN_LINK = "See the plan on the Plans page"
"""The link beside `REPLAN_ASK_A_PLANNER`: the plan, not a re-plan the reader cannot publish."""


def replan_next_step(may_publish: bool) -> str:
    """What to do about a roster whose plan is out of date, by whether the reader's role may publish."""
    return REPLAN_ON_PLANS_PAGE if may_publish else REPLAN_ASK_A_PLANNER


def not_measured_now(reason: str) -> str:
    """What the Roster page says, in one line above a published roster, where measuring it against the requirement
    in force now (`planner.rostering.standing.requirement_now`) failed with the planner's `reason`: the roster still shows
    (the error took the whole page's place)."""
    return f"The comparison with the plan in force now could not be made: {reason}"


@dataclass(frozen=True)
class Shortfall:
    """A published roster's shortfall against the requirement in force, as the Roster page and `roster --show` say
    it: `lead`, a short sentence, then `stretches`, one line each (none where every hour is covered)."""

    lead: str
    stretches: tuple[str, ...]


def shortfall_now(now: str, uncovered_staff_hours: float, short: tuple[str, ...]) -> Shortfall:
    """A published roster against the requirement `now` in force (`planner.rostering.standing.RequirementNow`): the
    staff-hours it leaves uncovered, then each stretch short on a line of its own ("Sat 10:00-18:00: up to 3 staff
    short (20 staff-hours uncovered)"): nine stretches in one paragraph, each day somewhere in the middle of a line,
    read as a wall of text at 1024 px."""
    if not short:
        return Shortfall(f"Against {now} in force now, its shifts cover every required hour.", ())
    return Shortfall(f"Against {now} in force now, its shifts leave {uncovered_staff_hours:,.1f} staff-hours "
                     "uncovered:", tuple(short))


def follow_replaced(replaced: str, replan: str, afresh: str) -> str:
    """The next step where the plan a published roster was made from was replaced (`replaced`, as
    `planner.rostering.plan_replaced` says it): a re-plan to follow the requirement in force with the fewest changes,
    each priced inside the notice window (`replan`, where it is asked for: the Roster page's button, `roster replan
    --store S --week W`), or a fresh roster of the week (`afresh`). "Roster the week again to follow it" sent the
    planner to a fresh search that moved nearly everyone's shifts a week ahead, with no premium said."""
    return (f"{replaced}: re-plan it to follow the requirement in force with the fewest changes, each with its "
            f"premium ({replan}), or roster the week afresh ({afresh})")


FOLLOW_REPLAN_BUTTON = "Re-plan to follow it"
"""The Roster page's button beside a published roster whose plan was replaced (`follow_replaced`)."""


def follow_replan_said(who_publishes: str) -> str:
    """The Roster page's markdown in the box of `FOLLOW_REPLAN_BUTTON`: what the re-plan keeps and what a change
    costs; `who_publishes` ("you publish", "a planner publishes") says who publishes it."""
    return (f"**{FOLLOW_REPLAN_BUTTON}**: keeps as many published shifts as the rules allow; a change for a day inside "
            "the notice window earns its premium (the roster rules on the Settings page). Nothing is published until "
            f"{who_publishes} the re-plan.")


REPLANNING = "Re-planning with the fewest changes… (the solver takes up to its time limit)"
"""The Roster page's spinner while a re-plan (to follow the plan in force, or after an absence) searches."""


def follow_not_publishable(outdated: str) -> str:
    """Why the re-plan to follow the plan in force kept on the Roster page is no longer offered to publish
    (`outdated`, `planner.rostering.follow.changed_since`: "plan 3 was published since this re-plan was made: re-plan
    again")."""
    return f"The re-plan made here cannot be published: {outdated}."


def replan_not_published(refused: str) -> str:
    """The Roster page's error where publishing a re-plan was refused (`refused`, the planner's reason: a plan or
    roster published since it was made, the week over): nothing was saved."""
    return f"Not published: {refused}."


def nothing_to_follow(roster_id: int, store_id: str, iso_week: str) -> str:
    """Why a re-plan to follow the plan in force is refused, on the Roster page and by `roster replan`: the published
    roster `roster_id` follows the plan in force already."""
    return (f"the published roster {roster_id} of {store_id} {iso_week} follows the plan in force: nothing to "
            "re-plan (an absence file re-plans it for an absence)")


def replan_changes_help(notice_days: int) -> dict[str, str]:
    """The Roster page's re-plan changes table: each short header's words in full (column -> help), a tick's meaning
    first; Late names the notice the chain's roster rules give (`notice_days`, `RosterRules.notice_days`): "the roster
    rules' notice" gave no period to count a day against."""
    return {
        "premium_hours": "hours of pay the change earns the person",
        # "Notice" ticked read as "notice was given", the opposite of what a tick meant
        "inside_notice": (f"Ticked: the change comes at short notice, on a day less than {counted(notice_days, 'day')} "
                          "ahead of today (the notice the roster rules give, on the Settings page), so it earns the "
                          "person a premium (none for a moved break or the absent person's own shift). Unticked: "
                          "notice enough, no premium"),
        "before": ("the published shift, from–to on the clock as in the grid (9–17:30 is 09:00 to 17:30); a moved "
                   "break by its time"),
        "after": "the shift after the re-plan, written as Before",
        "before_today": ("Ticked: the shift is before today, kept as worked: the row records what happened (the "
                         "absence), not a change the re-plan decided. Unticked: a change from today on"),
    }


def files_follow(made_for: str, now: str, may_publish: bool = True) -> str:
    """What the Roster page says by a published roster's downloads where `now`, the requirement in force, is not the
    one it was made for: the files and calendars carried no mark of following a replaced plan. A role that may not
    publish (`may_publish` false) is told a planner publishes the re-plan: a store manager was told to publish it."""
    if not may_publish:
        return (f"These files and calendars follow {made_for}, not {now} in force now: ask a planner to publish a "
                f"roster that follows it ({FOLLOW_REPLAN_BUTTON}, above, shows one), then download them again.")
    return (f"These files and calendars follow {made_for}, not {now} in force now: re-plan the roster to follow it "
            f"({FOLLOW_REPLAN_BUTTON}, above), publish the re-plan and download them again.")


def calendar_out_of_date(replaced: str) -> str:
    """What each event of a calendar of a published roster says where the plan it was made from was replaced
    (`replaced`, as `planner.rostering.standing.plan_replaced` says it: "made from plan 1, which the published plan 2 has
    replaced"): a person importing it was given the replaced plan's shifts with no mark of it, where the Roster page
    said so only beside its downloads (`files_follow`)."""
    return f"Roster out of date: {replaced}. These shifts may change when the roster is re-planned to follow it."


def figure_against(label: str, requirement: str, which: str) -> str:
    """A headline figure's label, where the week's requirement is no longer the one a published roster was made for:
    the plan it measures against, short ("plan 2", from "the published plan 2"; else the recommended staff), and
    `which` ("made from", "in force"): "Uncovered staff-hours (plan 2, made from)". It read "Uncovered staff-hours
    0.0" under a warning that the plan in force leaves 41.5 uncovered."""
    short = requirement.removeprefix("the published ") if requirement.startswith("the published plan") \
        else "recommended"
    return f"{label} ({short}, {which})"


def person_named(employee_id: str, name: str) -> str:
    """A person as the Roster page names them in a sentence of whose shifts change: "Ann B. (E07)", the id telling
    apart people of one name."""
    return f"{name} ({employee_id})"


def publish_replaces(roster_id: int, people: Sequence[tuple[str, str]], shifts: Sequence[tuple[str, int]],
                     breaks_moved: int) -> str:
    """What the Roster page says above a publish button where a roster of the week is published already
    (`planner.rostering.shift_diffs.ShiftChanges`): which roster it replaces and whose shifts change: `people`, (employee_id,
    name) of each (`person_named`); `shifts`, (kind, count) of
    each kind of change to shifts' hours in a re-plan's words ("added", "cancelled", "moved", "shortened", ...), and the
    breaks moved within their shifts' hours. Publishing over a published roster said nothing of either; a break moved
    read "1 shift moved", a shift shortened "moved" too."""
    if not people:
        return f"Publishing it replaces the published roster {roster_id}, with the same shifts for everyone."
    kinds = [f"{counted(count, 'shift')} {kind}" for kind, count in shifts if count]
    kinds += [f"{counted(breaks_moved, 'break')} moved"] if breaks_moved else []
    named = ", ".join(person_named(*person) for person in people)
    return (f"Publishing it replaces the published roster {roster_id}: the shifts of {named} change "
            f"({', '.join(kinds)}).")


def send_calendars_again(roster_id: int, replaced: int, people: Sequence[tuple[str, str]]) -> str:
    """What the Roster page says once a roster is published over `replaced`: whose calendars to send again, `people`
    as (employee_id, name) (their shifts changed; a cancelled shift's event is cancelled in the new calendar)."""
    if not people:
        return f"Published roster {roster_id} in place of roster {replaced}: no one's shifts changed."
    named = ", ".join(person_named(*person) for person in people)
    return (f"Published roster {roster_id} in place of roster {replaced}: send {named} their calendars "
            "again (Calendar of, below), as their shifts changed.")


def week_help(may_publish: bool, weeks_ahead: int) -> str:
    """The Roster page's week box's help: the week it opens on (`app_pages.roster_data.opening_week`), for a role
    that publishes and for one that may not, of this week and the `weeks_ahead` after it that the box offers."""
    if may_publish:
        return "Monday to Sunday; the week after this one first."
    return (f"Monday to Sunday; this week first where its roster is published, else the first of the next "
            f"{counted(weeks_ahead, 'week')} with a published roster, else this week.")


DRAFT_ASKED_BUTTON = "Make a draft roster"
"""The Roster page's button that searches a draft of a store-week with none made: a search of a minute or more runs
only when asked for, for every role."""


def nothing_published(store_id: str, iso_week: str, time_limit: str, *, may_publish: bool = False,
                      drafts_saved: bool = False) -> str:
    """What the Roster page says of a store-week with no roster to show, in place of a search begun as the page
    opened (57-96 s a store for a planner looking through them, 90 s for a store manager's draft she cannot publish):
    that none is made yet, who publishes (for a role that may not), and what the draft button costs (`time_limit`,
    the roster time limit as people say it). `drafts_saved`: the planner chose a new search over the week's saved
    drafts, not made yet."""
    button = f"{DRAFT_ASKED_BUTTON} searches one; its search takes up to {time_limit}."
    if drafts_saved:
        return f"No new draft of {store_id} for {iso_week} is made yet: {button}"
    if may_publish:
        return f"No roster of {store_id} for {iso_week} is published or saved yet: {button}"
    return (f"No roster of {store_id} is published for {iso_week} yet: a planner publishes one. "
            f"{DRAFT_ASKED_BUTTON} shows the roster the planner would start from, not published; its search takes "
            f"up to {time_limit}.")


CALENDARS_WITH_PUBLISHING = "Calendars (.ics) come with publishing: a draft's shifts are nobody's yet."
"""Under a draft's downloads, in place of the people's calendars (as `roster --out-dir` writes none for a draft): a
person importing a draft's events would be given shifts nobody published."""


NEW_REPLAN = "This new re-plan"
"""How the Roster page names a re-plan just made (after an absence, or to follow the plan in force) before its
solver's verdict, which stands on the page beside the published roster's own."""


def verdict(whose: str, status_sentence: str) -> str:
    """A solver's verdict (a roster's `status_sentence`) headed by the roster it is about (`whose`: "Published roster
    2", `NEW_REPLAN`): "Re-plan found in 95 s; one with fewer changes ... may exist" above "Best re-plan found in 19
    s; its cost is proven the least possible" read as two contradicting verdicts of one re-plan."""
    return f"{whose}: {status_sentence}"


def published_roster(roster_id: int) -> str:
    """A published roster as the Roster page names it in front of its verdict."""
    return f"Published roster {roster_id}"


PAID_HOURS_HELP = ("hours paid to the named people on this roster, each held to their contract's minimum and maximum; "
                   "the plan's Paid (h) pays its anonymous shifts alone, so the two can differ")
"""The help of the Roster page's paid hours: the roster paid 511 h against its plan's "Paid (h) 509.0" with nothing
said of why."""


def paid_beyond_said(beyond) -> str:
    """Why a roster pays more hours than the required staff-hours it covers (`beyond`,
    `planner.roster.paid_hours.PaidBeyond`), in one sentence under its figures: S01's roster paid 579 hours against
    501 required, and the plan it was made from 520.5, with no reason given. In the figures shown beside it (paid,
    required): "6 paid hours more than the 505 required staff-hours covered" named a 505 shown nowhere (507
    required, 2 uncovered). The contracts' minimum hours where they alone ask for more than the requirement; else the
    likely reasons the roster can name."""
    paid, required = number_text(round(beyond.paid_hours, 1)), number_text(round(beyond.required_hours, 1))
    covered = number_text(round(beyond.covered_hours, 1))
    cover = f"all {required}" if beyond.covers_all else f"{covered} of the {required}"
    extra = (f"{paid} paid hours cover {cover} required staff-hours; the "
             f"{number_text(round(beyond.extra_hours, 1))} hours more are")
    held = f"{counted(beyond.people_at_minimum, 'person', 'people')} paid their week's minimum"
    if beyond.minimums_exceed_requirement:
        minimums = (f"the contracts' minimum hours, which this week come to "
                    f"{number_text(round(beyond.minimum_hours, 1))}, more than the requirement asks for ({held})")
        by_minimums = beyond.minimum_hours - beyond.covered_hours
        rest = round(beyond.extra_hours - by_minimums, 1)
        if rest < 0.1:
            return f"{extra} {minimums}."
        # the minimums explain only part: "the 78 hours more are the contracts' minimum hours" where 77 were
        return (f"{paid} paid hours cover {cover} required staff-hours; of the "
                f"{number_text(round(beyond.extra_hours, 1))} hours more, {number_text(round(by_minimums, 1))} are "
                f"{minimums}, and {number_text(rest)} likely shifts of whole lengths that run past the hours needed.")
    if beyond.people_at_minimum:
        return (f"{extra} on the floor above the requirement: likely the contracts' minimum hours ({held}) and "
                "shifts of whole lengths that run past the hours needed.")
    return (f"{extra} on the floor above the requirement: likely shifts of whole lengths that run past the hours "
            "needed, and the roster rules (breaks, rest, keyholders).")
