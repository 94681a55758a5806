"""A roster's status in the words a planner reads: what the search proved, how long it took, and the hours it left
short of staff or without a keyholder.

The machine-readable status (`result.STATUSES`) stays as it is for code that branches on it; this module only words
it. The words never claim more than is proven: "best" only for a roster proven least-cost (and, level by level,
fairest at that cost) that also covers every required hour with a keyholder on the floor. A roster that leaves hours
short says so first, whatever the proof. Times are seconds of wall time; spans are half-hour slots of the week.
"""

from __future__ import annotations

import re

import numpy as np

from planner.roster.check import RosterCheck
from planner.roster.result import FEASIBLE, INFEASIBLE, NO_ROSTER_FOUND, OPTIMAL, Level, Roster
from planner.settings import RosterRules
from planner.shifts.instance import SLOT_MINUTES, opening_runs, opening_slots, run_text
from planner.words import counted, first_named, money, number_text

SPANS_IN_A_SENTENCE = 3
"""A shortfall over this many spans names the first ones and counts the rest."""
SMALLEST_GAP_SHOWN = 0.001
"""An unproven gap below this is said as this (0.1%), so it never reads as "0.0%"."""
GAP_TOLERANCE = 1e-12
"""Slack when comparing a reached gap with the gap limit (both fractions)."""
PENNY = 0.005
"""A part of a cost below this (currency) is said as none: it shows as 0.00."""
WALL_LIMIT_REACHED_SHARE = 0.98
"""A search that ran this share of the wall time limit or more was stopped by it (the solver stops a hair either
side of its limit); one that stopped sooner was stopped by its deterministic limit."""


def status_sentence(roster: Roster, check: RosterCheck | None = None, quick: bool = False,
                    replan: bool = False) -> str:
    """The status in plain words, e.g. "Proven best roster: ...", "Best roster found in 20 s; it may not be the best
    possible: ... (the time limit came first)." or "3 hours are short of staff: Mon 09:00-12:00 (the reasons are
    below). ...". `check` (the checker's verdict on the roster) gives the shortfall; `quick`: the roster is the quick
    one the search starts from, since a limit (`limit_reached` says which) came before the solver's own; `replan`:
    the roster is a re-plan of a published one, whose cost counts each change to a published shift
    (`planner.roster.replan`), so "least cost" is said of that cost, never of the wages alone (a new roster may pay
    less), and its parts are given (`replan_cost`): the cost a re-plan is proven least on is not its wages."""
    rules = roster.rules
    if roster.status == NO_ROSTER_FOUND:
        if wall_limit_reached(rules, roster.solve_seconds):
            return (f"No roster: the {rules.time_limit_seconds:g} s time limit came before the solver found one. A "
                    "longer time limit may find one.")
        return ("No roster: the search's budget ran out before the solver found one. A longer time limit would not "
                "change that: the budget, the same on any machine, is one of the roster solver's internals, set in "
                "the settings file.")
    if roster.status == INFEASIBLE:
        return ("No roster is possible: the labour rules, the contracts, the people's availability and their "
                "absences leave no way to fill the shifts.")
    if roster.status not in (OPTIMAL, FEASIBLE):
        return "Nothing to roster: no staff are needed this week and no contract asks for hours."
    short = shortfall_sentence(check, roster.instance.opening) if check is not None else ""
    took = _duration(roster.solve_seconds)
    cost_proven = is_cost_proven(roster.status, roster.levels)
    noun = "re-plan" if replan else "roster"
    counting = "each change to the published roster and each hour short of staff" if replan else \
        "each hour short of staff"
    if quick:
        within = f"is within {_share(roster.relative_gap)} of the least possible"
        lead = (f"Quick {noun} made in {took}: {limit_reached(rules, roster.solve_seconds)} before the solver found "
                "one of its own, so a better one may well exist" + (
                    f": its cost {within}.{_cost_in_parts(roster, check)}" if replan and roster.levels
                    else f" (its cost {within})."))
    elif short and cost_proven:
        fairness = ("" if is_fairness_proven(roster.status, roster.levels) else
                    f"; one that shares the hours more fairly or meets more wishes {_at_cost(rules)} may exist")
        parts = f": {replan_cost(roster, check)}" if replan and roster.levels else ""
        lead = (f"{noun.capitalize()} found in {took}; within the rules no {noun} costs less, counting {counting} as "
                f"a cost (proven{parts}){fairness}.")
    elif short:
        # an hour needing more than the store's max_staff takes is short in every roster: fewer such hours cannot be
        better = ("fewer hours short of staff, " + ("fewer changes, " if replan else "") + "or a lower cost,"
                  if avoidable_shortfall(roster, check).any() else ("fewer changes or " if replan else "") +
                  "a lower cost")
        lead = (f"{noun.capitalize()} found in {took}; one with {better} may exist "
                f"({_why(rules, roster.relative_gap, roster.solve_seconds)}).")
    elif roster.status == OPTIMAL and replan:
        fairest = ", and the fairest at that cost" if roster.levels else ""
        parts = f": {replan_cost(roster, check)}" if roster.levels else ""
        lead = (f"Proven best re-plan: the least cost the rules allow {REPLAN_COUNTING}{parts}{fairest}. A new roster "
                "that may change any shift can cost less in wages.")
    elif roster.status == OPTIMAL:
        fairest = ", and the fairest at that cost" if roster.levels else ""
        lead = f"Proven best roster: the least cost (wages and cover) the rules allow{fairest}."
    elif cost_proven:
        parts = _cost_in_parts(roster, check) if replan and roster.levels else ""
        lead = (f"Best {noun} found in {took}; its cost is proven the least possible, but one that shares the hours "
                f"more fairly or meets more wishes {_at_cost(rules)} may exist.{parts}")
    else:
        parts = _cost_in_parts(roster, check) if replan and roster.levels else ""
        what = "its cost (changes, wages and cover)" if replan and not roster.levels else "its cost"
        lead = (f"Best {noun} found in {took}; it may not be the best possible: {what} is within "
                f"{_share(roster.relative_gap)} of the least possible ({_why(rules, roster.relative_gap, roster.solve_seconds)}).{parts}")
    return f"{short} {lead}".strip()


REPLAN_COUNTING = ("counting as changes, in the same money as wages, what changing the published roster costs: for "
                   "each shift or break changed, a weight in hours of pay that is not paid out, any premium for short "
                   "notice and, for a shift cancelled or its hours changed, the published hours still owed")
"""What the changes figure of a re-plan's cost holds, besides wages and cover (`replan.Stability`, recounted by
`check_changes`), in money as the wages are: each cancelled shift, and each whose hours are moved, shortened or
lengthened, its published paid hours (owed as told), `change_penalty_hours` (a weight, never paid) and, inside the
notice window, its premium; each added one the penalty and premium; each published break placement not kept its
penalty. "At its penalty" alone said less than the figure holds, and "changes 263.25, counting each change ... at its
penalty, ... the published hours still owed" said neither its unit nor that the penalty is not pay."""
WAGES_OF_ITS_SHIFTS = "wages of the re-plan's shifts"
"""The wages part of a re-plan's cost (`replan_cost`): the checker's wages of the shifts it works, without the owed
hours of published shifts it cancels or changes, which are among its changes."""


REPLAN_COUNTING_BEFORE = re.compile(r"counting each change to the published roster at its penalty(?:, any premium "
                                    r"and, for a shift cancelled or its hours changed, the published hours still "
                                    r"owed)?")
"""How `REPLAN_COUNTING` read in the status sentences of re-plans saved before: on 6 Dec 2026 (from 459af48 to
dc33c11) "at its penalty" alone, though the changes figure after it held the premiums and the owed hours too; then
with the premiums and owed hours named, but not the figure's unit."""
WAGES_BEFORE = re.compile(r"(?:(?<=\()|(?<=: ))wages(?= (?:and cover )?-?[\d,]+\.\d{2} \+ )")
"""How `WAGES_OF_ITS_SHIFTS` read in those sentences' cost parts: "(wages 565.00 + changes 15.75)", "wages and cover
615.00 + changes ..."."""


def in_todays_words(sentence: str) -> str:
    """A saved roster's status sentence (`planner.rostering.documents.saved_roster`) with the two phrases that said less than
    its figures hold in today's words (`REPLAN_COUNTING_BEFORE`, `WAGES_BEFORE`), as a saved plan's sentences are
    shown (`planner.surfaces.fixes.in_current_words`): its figures are the ones it was saved with, and its document
    stays as it was saved. Only those phrases: the order of a sentence saved before the verdict came first
    (`_cost_in_parts`) is kept, and sentences saved before a re-plan's proof counted its changes (459af48) are not
    touched, as better words would dress a claim that may not hold. A sentence of today's words is returned as it
    is."""
    if not REPLAN_COUNTING_BEFORE.search(sentence) and not WAGES_BEFORE.search(sentence):
        return sentence
    return WAGES_BEFORE.sub(WAGES_OF_ITS_SHIFTS, REPLAN_COUNTING_BEFORE.sub(REPLAN_COUNTING, sentence))


def _cost_in_parts(roster: Roster, check: RosterCheck | None) -> str:
    """" That cost: wages of the re-plan's shifts 565.00 + changes 15.75, counting each change ...": a sentence of its
    own after the verdict. Inside it, as the verdict's subject, the parts and what they count put 45 words between
    "its cost" and "is proven the least possible" (walked in a browser: read as four lines at 1024 px before its
    verb)."""
    return f" That cost: {replan_cost(roster, check)}, {REPLAN_COUNTING}."


def replan_cost(roster: Roster, check: RosterCheck | None = None) -> str:
    """The cost level of a re-plan in its parts, in currency: "wages of the re-plan's shifts 565.00 + changes 15.75"
    (the changes holding the owed hours, penalties and premiums: `REPLAN_COUNTING`), with "cover penalties ..."
    between them where hours are short of staff or of a keyholder, or contracts short of their minimum (from
    `check`; without one, wages and those penalties are said together). The quantity its bound and proof are of."""
    level = roster.levels[0]
    rest = level.objective - level.changes
    if check is None:
        parts = [f"{WAGES_OF_ITS_SHIFTS} and cover {money(rest)}"]
    else:
        penalties = rest - check.wage_cost
        parts = [f"{WAGES_OF_ITS_SHIFTS} {money(check.wage_cost)}"] + ([f"cover penalties {money(penalties)}"]
                                                                    if penalties >= PENNY else [])
    return " + ".join([*parts, f"changes {money(level.changes)}"])


def publish_caution(roster: Roster, check: RosterCheck) -> str:
    """Why a roster should not be published without a second look, as a clause ("it is the quick roster, as the
    time limit (120 s) came before the solver found its own; it leaves 49 staff-hours uncovered (11.5 hours short
    of staff: Mon 13:30-14:00, ...)"), or "" for a complete roster: one the search made (not the quick one) that
    covers every required staff-hour the store's max_staff lets it (an hour needing more than the store takes is
    short in any roster and its plan, and is no reason)."""
    if not roster.found:
        return ""
    parts = []
    if roster.quick:
        parts.append(f"it is the quick roster, as {limit_reached(roster.rules, roster.solve_seconds)} before the "
                     "solver found its own")
    short = avoidable_shortfall(roster, check)
    if short.any():
        staff_hours = float(short.sum()) * SLOT_MINUTES / 60
        parts.append(f"it leaves {counted(staff_hours, 'required staff-hour')} uncovered ({_hours(short > 0)} short "
                     f"of staff: {_where(short > 0, roster.instance.opening)})")
    return "; ".join(parts)


def publish_advice(roster: Roster) -> str:
    """What to do instead of publishing a roster `publish_caution` names: search longer where the wall clock stopped
    the search, a larger budget where that ran out first, else act on the reasons the roster gives its short hours."""
    if wall_limit_reached(roster.rules, roster.solve_seconds):
        return (f"roster the week again with a longer roster time limit (now {roster.rules.time_limit_seconds:g} s; "
                "Settings, Roster rules) or on a less busy machine")
    if roster.quick or not is_cost_proven(roster.status, roster.levels):
        return ("give the search a larger budget (deterministic_time_limit, now "
                f"{roster.rules.deterministic_time_limit:g} units, in the settings file) and roster the week again")
    return "the reasons given for each short hour say what would cover it (people, their hours, their availability)"


def avoidable_shortfall(roster: Roster, check: RosterCheck) -> np.ndarray:
    """Staff missing per slot below what the store's max_staff lets on the floor (`check.under` less what the cap
    makes short in any roster), on the days a re-plan may change: a day before its today (`history_days`, by the
    weekday whose opening holds the slot) stays as it was worked, short or not (a re-plan short only on its Monday,
    made on Wednesday, was published with "To do better, the reasons given for each short hour say what would
    cover it", the reasons saying the day was past)."""
    under = check.under.astype(float)
    if roster.instance.history_days:
        owner, _ = opening_slots(roster.instance.opening)
        under = np.where(owner < roster.instance.history_days, 0.0, under)
    if roster.instance.max_staff is None:
        return under
    return np.minimum(under, np.maximum(0, roster.instance.max_staff - check.on_floor))


def is_cost_proven(status: str, levels: tuple[Level, ...]) -> bool:
    """True when the solver proved that no roster costs less on the cost level (wages, cover and contract
    shortfalls): the whole solve was proven, or its first level was."""
    return status == OPTIMAL or bool(levels) and levels[0].proven


def is_fairness_proven(status: str, levels: tuple[Level, ...]) -> bool:
    """True when the solver proved, besides the cost, that no roster at that cost shares the hours more fairly or
    meets more wishes (the fairness level, where preferences are paid, minimised after the cost): the whole solve
    was proven, or every level was."""
    return status == OPTIMAL or bool(levels) and all(level.proven for level in levels)


def wall_limit_reached(rules: RosterRules, seconds: float) -> bool:
    """Whether a search that ran `seconds` of wall time was stopped by the wall clock's time limit; if not, by its
    deterministic limit (the search's budget)."""
    return seconds >= rules.time_limit_seconds * WALL_LIMIT_REACHED_SHARE


def limit_reached(rules: RosterRules, seconds: float) -> str:
    """Which limit ended a search of `seconds` of wall time before the solver found a roster, as the clause that
    "before the solver found one" follows: "the time limit (120 s) came" when it ran to the wall clock's limit, else
    "the search's budget ran out" (the quick roster and the no-roster status said "the time limit" of a search the
    deterministic limit had stopped in under a second)."""
    if wall_limit_reached(rules, seconds):
        return f"the time limit ({rules.time_limit_seconds:g} s) came"
    return "the search's budget ran out"


def shortfall_sentence(check: RosterCheck, opening: tuple[tuple[int, int] | None, ...]) -> str:
    """The hours a roster leaves short of staff or without a keyholder, where (as the store's `opening` files them:
    `planner.shifts.instance.run_text`), and how many staff-hours; "" when every required hour is covered with a keyholder on the floor."""
    parts = []
    under = check.under > 0
    if under.any():
        staff_hours = float(check.under.sum()) * SLOT_MINUTES / 60
        parts.append(f"{_hours(under)} short of staff ({counted(staff_hours, 'staff-hour')} uncovered): "
                     f"{_where(under, opening)}")
    if check.keyholder_gap.any():
        parts.append(f"{_hours(check.keyholder_gap)} without a keyholder on the floor: "
                     f"{_where(check.keyholder_gap, opening)}")
    return f"{'; '.join(parts)} (the reasons are below)." if parts else ""


# --- helpers -------------------------------------------------------------------------------------------------------


def _hours(mask: np.ndarray) -> str:
    hours = float(mask.sum()) * SLOT_MINUTES / 60
    return f"{number_text(hours)} hour is" if hours == 1 else f"{number_text(hours)} hours are"


def _where(mask: np.ndarray, opening: tuple[tuple[int, int] | None, ...]) -> str:
    return first_named([run_text(run, opening) for run in opening_runs(mask, opening)], SPANS_IN_A_SENTENCE)


def _share(fraction: float) -> str:
    """A gap as a percentage, never rounded down to a "0.0%" that would read as proven."""
    return f"{max(fraction, SMALLEST_GAP_SHOWN):.1%}"


def _duration(seconds: float) -> str:
    if seconds < 1:
        return "under 1 s"
    return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"


def _at_cost(rules: RosterRules) -> str:
    return ("at that cost" if rules.cost_tolerance_share == 0 else
            f"at a cost at most {rules.cost_tolerance_share:.1%} higher")


def _why(rules: RosterRules, relative_gap: float, seconds: float) -> str:
    """Why a search stopped short of a proof: its gap limit, the wall clock's time limit (`seconds` of wall time
    reached it), or else the deterministic limit, the search's budget (it was said as "the time limit came first"
    after a 30 s limit and 7 s of search)."""
    if relative_gap <= rules.relative_gap_limit + GAP_TOLERANCE:
        return f"close enough to stop: the rules stop the search within {rules.relative_gap_limit:.1%}"
    if wall_limit_reached(rules, seconds):
        return f"the time limit ({rules.time_limit_seconds:g} s) came first"
    return "the search's budget ran out"

