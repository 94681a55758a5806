"""One sentence with its cause for every uncovered span, keyholder gap, contract shortfall and broken preference of
a roster (`explain`); where the search proved too little to give a cause, the words of `caveats` stand in its place,
and a caveat several findings share is said once before them.

Everything here is read from the solver-free checker (`check`), so the sentences say what the roster does, not what
the model believed. Causes are found by asking, for each person, why they could not have worked then: absent, not
available, already working that day, at their hours, short of rest, or without a day off. Times are minutes after a
day's midnight, hours are paid hours.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from planner.hours import WEEKDAY_NAMES
from planner.roster import measures as m
from planner.roster.caveats import QUICK, QUICK_SHORT, UNPROVEN_SHORT, free_then, said_once, wish_cause
from planner.roster.check import PersonFigures, RosterCheck
from planner.roster.instance import RosterInstance
from planner.roster.people import Employee
from planner.roster.status import limit_reached
from planner.settings import RosterRules, field_info
from planner.shifts.instance import SLOT_MINUTES, opening_runs, run_minutes, run_text
from planner.words import counted, number_text

PAST = "a day before today: it stays as it was worked, with the absences that day"
"""What a re-plan says of a shortfall on a day already past (`RosterInstance.history_days`)."""
NAMES_IN_A_SENTENCE = 2
"""A cause shared by this many people or fewer names them; more are counted."""
KEPT = "the re-plan keeps {day} as published (the change does not touch that day, and the roster rule '{rule}' is on)"
"""Why a re-plan gives a shift that breaks a wish to its person on a day it keeps as published (`kept_days`)."""


def explain(instance: RosterInstance, rules: RosterRules, check: RosterCheck, assignments, *, proven: bool,
            fairness_proven: bool, quick: bool, seconds: float, replan: bool = False) -> tuple[str, ...]:
    """One sentence with its cause per uncovered span, keyholder gap, contract shortfall and broken preference.
    `proven`: the solver proved the roster's cost level (`status.is_cost_proven`), so a contract shortfall is said
    to be all the rules allow; `fairness_proven`: it proved the fairness level too (`status.is_fairness_proven`),
    where a broken wish is paid, so giving that shift to someone else free then is said to cost more (counting the
    changes to the published roster when it is a `replan`); `quick`: the roster is the quick one a limit left after
    `seconds` of search, so it is said to be that, naming the limit as the status does."""
    quick_said = QUICK.format(limit=limit_reached(rules, seconds)) if quick else ""
    unproven_wishes: list[tuple[int, str]] = []  # (index in sentences, the wish without its caveat)
    unproven_shortfalls: list[tuple[int, str]] = []  # (index in sentences, the shortfall without its caveat)
    shifts = defaultdict(list)
    for a in assignments:
        shifts[a.employee_id].append(a.shift)
    sentences = []
    for run, shortfall in zip(opening_runs(check.under > 0, instance.opening), uncovered_spans(instance, check.under),
                              strict=True):
        capped = instance.max_staff is not None and bool((check.on_floor[run] >= instance.max_staff).all())
        causes = (PAST if _past(instance, run) else
                  f"it needs up to {int(instance.required[run].max())} staff but the store takes at most "
                  f"{instance.max_staff}" if capped else
                  _causes(instance, rules, check, shifts, instance.employees, run))
        sentences.append(f"{shortfall}: {causes}")
    keyholders = tuple(e for e in instance.employees if e.is_keyholder)
    for run in opening_runs(check.keyholder_gap, instance.opening):
        where = run_text(run, instance.opening)
        if not keyholders:
            sentences.append(f"{where}: no keyholder on the floor: no one in this store is a keyholder")
            continue
        causes = PAST if _past(instance, run) else _causes(instance, rules, check, shifts, keyholders, run,
                                                           ("keyholder", "keyholders"))
        sentences.append(f"{where}: no keyholder on the floor: {causes}")
    for e in instance.employees:
        figures = check.people[e.employee_id]
        if figures.below_contract_min_hours > 0:
            why, caveat = _short_cause(instance, rules, e, figures, proven, quick_said)
            said = (f"{e.name} ({e.employee_id}) is paid {number_text(figures.paid_hours)} h, "
                    f"{number_text(figures.below_contract_min_hours)} h below {_minimum_text(instance, e, figures)}: "
                    f"{why}")
            sentences.append(f"{said}; {caveat}" if caveat else said)
            if caveat:  # the roster's, the same for each: quick, or its cost not proven
                unproven_shortfalls.append((len(sentences) - 1, said))
        elif figures.paid_hours == 0 and e.contract_hours_min > 0:
            sentences.append(f"{e.name} ({e.employee_id}) has no shift this week: {_minimum_gone(instance, e)} take "
                             f"the contract's minimum of {number_text(e.contract_hours_min)} h to 0, and no shift of "
                             "theirs is needed")
        ahead = [c for c in shifts[e.employee_id] if c.weekday >= instance.history_days]  # past days are no choice
        for broken, c in _broken(instance, e, ahead):
            others = [o for o in instance.employees if o is not e and _why_not(
                instance, rules, check, shifts, o, c.weekday, c.start_minute, c.end_minute) is None]
            cause = (KEPT.format(day=WEEKDAY_NAMES[c.weekday], rule=_KEEP_RULE) if c.weekday in instance.kept_days
                     else "no one else could work it within the rules" if not others else
                     wish_cause(len(others), proven, fairness_proven, quick_said, replan))
            sentences.append(f"{e.name} ({e.employee_id}) works {broken}: {cause}")
            if others and c.weekday not in instance.kept_days and not fairness_proven:
                unproven_wishes.append((len(sentences) - 1, f"{e.name} ({e.employee_id}) works {broken}: "
                                                            f"{free_then(len(others))}"))
    return said_once(sentences, unproven_shortfalls, unproven_wishes, cost_proven=proven, quick=quick_said,
                     replan=replan)


_KEEP_RULE = field_info(RosterRules, "keep_untouched_days").label


def uncovered_spans(instance: RosterInstance, under) -> list[str]:
    """Each run of slots with staff missing (`under`: staff missing per slot, `RosterCheck.under`), in the order the
    store opens, as "Sat 10:00-18:00: up to 3 staff short (20 staff-hours uncovered)": a run short by 1 then 2 says
    its most ("2 staff short (3 staff-hours uncovered)" over two hours read as 4); Sat 23:00-01:00+1 is one run, not
    two, and Sunday's hours after midnight read "Sun 00:00+1-01:00+1"."""
    said = []
    for run in opening_runs(under > 0, instance.opening):
        short = int(under[run].max())
        most = f"up to {short}" if int(under[run].min()) != short else str(short)
        hours = under[run].sum() * SLOT_MINUTES / 60
        said.append(f"{run_text(run, instance.opening)}: {most} staff short ({counted(hours, 'staff-hour')} "
                    "uncovered)")
    return said


def _past(instance: RosterInstance, run: np.ndarray) -> bool:
    """A run of an opening before today: by the opening's weekday (`run_minutes`), as a re-plan holds a shift by
    its opening's weekday, so Sunday's 00:00+1 (the week's Monday 00:00 by the clock) is ahead on a Tuesday."""
    day, _, _ = run_minutes(run, instance.opening)
    return day < instance.history_days


def _causes(instance, rules, check, shifts, people, run: np.ndarray, who: tuple[str, str] = ("person", "people")
            ) -> str:
    """Why each of `people` did not cover the slots of `run`, asked of the day whose opening holds it, in minutes
    after that day's midnight (`run_minutes`: Sat 23:00-01:00+1 is Saturday's 1,380-1,500, so Saturday's shifts,
    people, absences and rest are the ones that could have covered it). `who`: what `people` are, one and several
    ("the only keyholder, Ann, is absent"; "of the 3 keyholders, ...")."""
    day, start, end = run_minutes(run, instance.opening)
    reasons: dict[tuple[str, str], list[Employee]] = defaultdict(list)
    for person in people:
        reason = _why_not(instance, rules, check, shifts, person, day, start, end)
        reasons[reason or NO_SHIFT_FITS].append(person)
    if len(people) == 1:
        (reason, _), = reasons.items()
        return f"the only {who[0]}, {people[0].name}, {reason[0]}"
    parts = [_phrase(group, reason) for reason, group in sorted(reasons.items(), key=lambda item: -len(item[1]))]
    return f"of the {counted(len(people), *who)}, " + "; ".join(parts)


NO_SHIFT_FITS = ("was free then, but no shift found for them covers it (shift lengths, opening hours, or the "
                 "search's time limit)", "were free then, but no shift found for them covers it (shift lengths, "
                 "opening hours, or the search's time limit)")


def _why_not(instance, rules, check, shifts, person: Employee, day: int, start: int, end: int
             ) -> tuple[str, str] | None:
    """Why this person could not have worked on `day` from `start` to `end` (minutes), as (said of one, said of
    several), or None."""
    absence = instance.absent(person.employee_id, day)
    if absence is not None:
        reason = f" ({absence.reason})" if absence.reason else ""
        return f"is absent{reason}", f"are absent{reason}"
    if not any(w.start_minute < end and start < w.end_minute for w in person.availability[day]):
        return "is not available then", "are not available then"
    own = shifts[person.employee_id]
    if any(c.weekday == day for c in own):
        return "already works that day", "already work that day"
    shortest = min(instance.shift_rules.shift_lengths_hours)
    paid = sum(instance.paid_hours(c) for c in own)
    limit = person.weekly_limit(rules.max_hours_per_week)
    if paid >= limit - 1e-9:
        return f"has reached their {number_text(limit)} h", f"have reached their {number_text(limit)} h"
    if paid + shortest > limit + 1e-9:  # 8.5 of 12 h: not reached, but no shift fits what is left
        return (f"has too few of their {number_text(limit)} h left for a {number_text(shortest)} h shift",
                f"have too few of their {number_text(limit)} h left for a {number_text(shortest)} h shift")
    days = {c.weekday for c in own} | {day} | person.days_elsewhere
    no_day_off = 7 - len(days) < rules.min_full_days_off_per_week
    if no_day_off or _longest_run(instance, person, days) > rules.max_days_in_a_row:
        return ("would go without their day off",) * 2
    rest = rules.min_rest_hours * 60
    for c in own:
        gap_after = instance.elapsed_minutes(c.weekday * m.MINUTES_PER_DAY + c.end_minute,
                                             day * m.MINUTES_PER_DAY + start)
        gap_before = instance.elapsed_minutes(day * m.MINUTES_PER_DAY + end,
                                              c.weekday * m.MINUTES_PER_DAY + c.start_minute)
        if abs(c.weekday - day) == 1 and max(gap_after, gap_before) < rest:
            return (f"would rest less than {number_text(rules.min_rest_hours)} h",) * 2
    return None


def _minimum_text(instance: RosterInstance, e: Employee, figures: PersonFigures) -> str:
    """The minimum a shortfall is measured against: the contract's, or this week's where absences or hours at other
    stores lowered it ("this week's minimum of 16 h (the contract's 32 h less 2 days of absence)")."""
    if figures.week_min_hours >= e.contract_hours_min:
        return "the contract's minimum"
    return (f"this week's minimum of {number_text(figures.week_min_hours)} h (the contract's "
            f"{number_text(e.contract_hours_min)} h less {_minimum_gone(instance, e)})")


def _minimum_gone(instance: RosterInstance, e: Employee) -> str:
    """What took a contract's minimum to 0: days of absence (each a full paid day) and hours at other stores."""
    absent = sum(instance.absent(e.employee_id, day) is not None for day in range(7))
    parts = ([f"{counted(absent, 'day')} of absence"] if absent else []) + (
        [f"{number_text(e.hours_elsewhere)} h at other stores"] if e.hours_elsewhere else [])
    return " and ".join(parts)


def _short_cause(instance, rules: RosterRules, e: Employee, figures: PersonFigures, proven: bool, quick: str
                 ) -> tuple[str, str]:
    """Why a person is paid below their minimum, and the caveat that goes with it ("": none). The rules' weekly
    maximum below it is said first, whatever the search (no roster could pay them more: a quick roster said a full
    search may find more hours). That no more shifts fit is said only of a roster whose cost level the solver proved
    (a shortfall is part of that cost, dearly paid); of another it is not known, which the caveat says."""
    limit = e.hours_left(rules.max_hours_per_week)
    if limit + 1e-9 < figures.week_min_hours:
        capped = f"the roster rules allow at most {number_text(rules.max_hours_per_week)} h a week" + (
            f" ({number_text(limit)} h here, after {number_text(e.hours_elsewhere)} h at other stores)"
            if e.hours_elsewhere else "")
        if figures.paid_hours + 1e-9 >= limit:
            return capped, ""
        why, caveat = _short_cause_within(instance, e, proven, quick)
        return f"{capped}; {why}", caveat
    return _short_cause_within(instance, e, proven, quick)


def _short_cause_within(instance, e: Employee, proven: bool, quick: str) -> tuple[str, str]:
    days = [d for d in range(7) if instance.absent(e.employee_id, d) is None and instance.opening[d] is not None
            and any(w.start_minute < instance.opening[d][1] and instance.opening[d][0] < w.end_minute
                    for w in e.availability[d])]  # a window inside the opening hours: 02:00-04:00 is not one
    if not days:
        return "not available during the opening hours of any day this week", ""
    available = f"available on {counted(len(days), 'open day')}"
    if quick:
        return available, f"{quick}: {QUICK_SHORT}"
    if proven:
        return f"{available}; within the rules no more shifts fit their availability and the other people's", ""
    return available, UNPROVEN_SHORT


def _broken(instance, e: Employee, own):
    for c in own:
        if c.weekday in e.preferred_days_off:
            yield f"{c.label()} on a preferred day off", c
        if m.breaks_time_preference(instance, e, c.weekday, c.start_minute, c.end_minute):
            yield f"{c.label()}, though {e.prefers} shifts are preferred", c


def _phrase(group: list[Employee], reason: tuple[str, str]) -> str:
    if len(group) == 1:
        return f"{group[0].name} {reason[0]}"
    if len(group) <= NAMES_IN_A_SENTENCE:
        return f"{' and '.join(p.name for p in group)} {reason[1]}"
    return f"{len(group)} {reason[1]}"


def _longest_run(instance, person: Employee, days: set[int]) -> int:
    run, longest = instance.days_worked_before.get(person.employee_id, 0), 0
    for day in range(7):
        run = run + 1 if day in days else 0
        longest = max(longest, run)
    return longest
