"""How sure a roster's findings are, in words: what the quick roster's sentences and those of a search stopped
before its proof say in place of a cause (`QUICK`, `UNPROVEN_SHORT`, `wish_cause`), and a caveat several findings
share said once before them (`said_once`), which `caveat_count` finds again when the sentences are shown.

The causes themselves, read from the solver-free checker, are `findings`'; what is proven is the solve status's
(`status.is_cost_proven`, `status.is_fairness_proven`), which these words say no more and no less surely.
"""

from __future__ import annotations

import re

from planner.words import agreeing, counted

QUICK = "a quick roster, as {limit} before the solver found its own"
"""What the quick roster's sentences say in place of a cause, `limit` from `status.limit_reached` (the time limit,
or the search's budget): nothing about that roster is proven."""
QUICK_SHORT = "a full search may find more hours for them"
"""What a contract shortfall of the quick roster says after `QUICK`."""
UNPROVEN_SHORT = ("the search stopped before proving that no more shifts fit their availability and the other "
                  "people's: a longer search may find more hours for them")
"""What a contract shortfall of a roster whose cost the solver did not prove says in place of a cause."""
WOULD_COST_MORE = "would cost more (wages, contracts, cover or fairness)"
"""Why a proven roster gives a shift that breaks a wish to its person though others are free then."""
REPLAN_WOULD_COST_MORE = ("would cost more (changes to the published roster, wages, contracts, cover or "
                          "fairness)")
"""The same of a proven re-plan, whose cost also counts each change to the published roster (`replan.Stability`):
giving the shift to someone else is a change too."""
CAVEAT_SAID_ONCE = 2
"""From this many wishes not met with a caveat (the search did not prove that giving the shift to someone free then
costs more), the caveat is said once, naming how many shifts it applies to, and each wish says who was free then
(S01 of the sample said "the search stopped before proving ..." in 15 sentences in a row). Likewise from this many
contract shortfalls with a caveat (the quick roster's, or no proof that no more shifts fit): said once, naming how
many people it applies to, each shortfall saying its hours and the days the person is available (the sample's S07,
a quick roster, said "a quick roster, as the search's budget ran out ..." in 7 sentences in a row)."""
CAVEAT_LEAD = re.compile(r"The (\d[\d,]*) (?:(?:person|people) below (?:is|are) paid below their minimum|shifts? "
                         r"below break a wish though someone else was free then): ")
"""How a caveat said once begins (`said_once`), naming how many of the findings after it it applies to."""


def said_once(sentences: list[str], shortfalls_given: list[tuple[int, str]], wishes_given: list[tuple[int, str]],
              *, cost_proven: bool, quick: str, replan: bool) -> tuple[str, ...]:
    """A roster's `sentences` with the caveat its contract shortfalls share, and the one its broken wishes share,
    each said once when `CAVEAT_SAID_ONCE` or more have it: before the shortfalls, where the first of them was, and
    before the wishes, last, each of them (`shortfalls_given`, `wishes_given`: its index in `sentences` and its
    words without the caveat) then saying only what is its own. `cost_proven`, `quick` (the quick roster's `QUICK`
    words, or "") and `replan` as for `wish_cause`."""
    # the same caveat in every wish or shortfall read as many findings: said once, before those it applies to (the
    # shortfalls where the first of them was, the wishes last), each of them saying only what is its own
    shortfalls = dict(shortfalls_given) if len(shortfalls_given) >= CAVEAT_SAID_ONCE else {}
    wishes = dict(wishes_given) if len(wishes_given) >= CAVEAT_SAID_ONCE else {}
    shown: list[str] = []
    for i, said in enumerate(sentences):
        if i == min(shortfalls, default=None):
            shown += [_shortfalls_caveat(len(shortfalls), quick), *shortfalls.values()]
        if i not in shortfalls and i not in wishes:
            shown.append(said)
    if wishes:
        shown += [_wishes_caveat(len(wishes), cost_proven, quick, replan), *wishes.values()]
    return tuple(shown)


def wish_cause(others: int, cost_proven: bool, proven: bool, quick: str, replan: bool) -> str:
    """Why a person works a shift that breaks their wish though `others` people are free then, saying of the two
    levels what the status sentence says (`status.status_sentence`): that giving it to one of them would cost more
    only of a roster whose fairness level (where a wish is paid, at the least cost) the solver proved; of a roster
    proven on its cost alone, that no roster costs less but one meeting the wish at that cost may exist (a re-plan
    said "proven" in its status and "the search stopped before proving" in every wish); of another, that it is not
    known. `quick`: the quick roster's `QUICK` words, or ""."""
    to_them = "the other person free then" if others == 1 else f"one of the {others} others free then"
    costs_more = REPLAN_WOULD_COST_MORE if replan else WOULD_COST_MORE
    if quick:
        return f"{quick}: a full search may give it to {to_them}"
    if proven:
        return f"giving it to {to_them} {costs_more}"
    if cost_proven:
        noun, counting = _costs_counted(replan)
        return (f"no {noun} costs less ({counting}; proven), but one giving it to {to_them} at that cost may be "
                "fairer or meet more wishes: the search stopped before proving either way, and a longer search may "
                "meet the wish")
    return (f"the search stopped before proving that giving it to {to_them} {costs_more}: a longer search "
            "may meet the wish")


def caveat_count(sentence: str) -> int:
    """How many of the sentences after `sentence` it is the caveat of, said once (`CAVEAT_LEAD`); 0 for a finding."""
    lead = CAVEAT_LEAD.match(sentence)
    return 0 if lead is None else int(lead.group(1).replace(",", ""))


def free_then(others: int) -> str:
    """Who else could have worked a shift that breaks a wish, as a wish said after its caveat says it."""
    return f"{counted(others, 'other person', 'others')} {'was' if others == 1 else 'were'} free then"


def _shortfalls_caveat(people: int, quick: str) -> str:
    """The caveat `findings._short_cause` gives each shortfall, said once of the `people` listed after it, no more
    and no less sure: the quick roster's `QUICK` words (`quick`), or that the search stopped before proving that no
    more shifts fit."""
    head = f"The {counted(people, 'person', 'people')} below {agreeing(people, 'is', 'are')} paid below their minimum"
    if quick:
        return f"{head}: {quick}: {QUICK_SHORT}"
    return f"{head}: for each, {UNPROVEN_SHORT}"


def _wishes_caveat(wishes: int, cost_proven: bool, quick: str, replan: bool) -> str:
    """What `wish_cause` says of each wish, said once of `wishes` shifts listed after it, no more and no less sure:
    the quick roster's `QUICK` words (`quick`), a cost proven and the fairness not, or neither proven."""
    head = f"The {counted(wishes, 'shift')} below break a wish though someone else was free then"
    if quick:
        return f"{head}: {quick}: a full search may give each to someone free then"
    if cost_proven:
        noun, counting = _costs_counted(replan)
        return (f"{head}: no {noun} costs less ({counting}; proven), but one giving any of them to someone free then "
                "at that cost may be fairer or meet more wishes: the search stopped before proving either way, and a "
                "longer search may meet the wishes")
    costs_more = REPLAN_WOULD_COST_MORE if replan else WOULD_COST_MORE
    return (f"{head}: for each, the search stopped before proving that giving it to someone free then {costs_more}: a "
            "longer search may meet the wishes")


def _costs_counted(replan: bool) -> tuple[str, str]:
    """What a cost proven least is the cost of, and what it counts: a re-plan's changes too."""
    if replan:
        return "re-plan", "changes, wages, contracts and cover"
    return "roster", "wages, contracts and cover"
