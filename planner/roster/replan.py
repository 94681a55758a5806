"""Least-change re-plan: after a change (an absence, a new requirement, a changed demand factor), the roster that
keeps as much of the published one as the rules and the new requirement allow.

The model is the roster's own plus one rule, `Stability`: every published shift kept as it was costs nothing; one
changed (moved, shortened, lengthened) or cancelled costs its own paid hours (so no change is made to save wages:
the hours were promised) and `change_penalty_hours` of the person's wage, plus, inside the notice window, the premium
`RosterRules` sets for that kind of change; a shift added on a free day costs the penalty and premium likewise. A
break moved within a kept shift costs `break_move_penalty_hours` and is listed, earning no premium; who of a span's
people takes which break is handed out after the solve, each keeping their published break where the counts allow.
Days before `today` are history: they stay as published, breaks included, less the shifts of people absent then (a
fact, said as before today). A person's own absence earns them no premium. With `keep_untouched_days`, the days the
change does not touch (`changed_days`: the same requirement, opening and people free to work, and no published shift
of someone now absent) stay as published too, every shift and break, from today on as before it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from planner.fits import remembered
from planner.roster import measures as m
from planner.roster.check_changes import change_cost_units, change_kind, hours_change
from planner.roster.instance import RosterInstance, changed_days
from planner.roster.result import ADDED, CANCELLED, MOVED, Assignment, Change, Replan, Roster
from planner.roster.rules import RULES, Terms
from planner.roster.search import SearchProgress
from planner.roster.solve import SEARCHES_KEPT, repeats, solve_with, told_done
from planner.roster.check import check_roster
from planner.roster.findings import explain
from planner.roster.report import shift_frame
from planner.roster.status import is_cost_proven, is_fairness_proven
from planner.roster.variables import KEYHOLDERS, OTHERS, RosterVariables, span_of
from planner.settings import RosterRules
from planner.shifts.candidates import Candidate


@remembered(most=SEARCHES_KEPT, unread=("progress",), keeps=lambda result: repeats(result.roster),
            handed=lambda result, arguments: told_done(result.roster, arguments))
def replan(instance: RosterInstance, published: Roster, rules: RosterRules, today: dt.date,
           progress: Callable[[SearchProgress], None] | None = None) -> Replan:
    """Re-plan `published` for the changed `instance` (e.g. `published.instance.with_changes(absences=...)`),
    changing as few shifts as possible, weighted by the premium a change inside the notice window costs; `progress`:
    told how far the search is as it goes (`search.Clock`). Kept as `solve.solve_roster`'s searches are: the same
    instance, published roster, rules and day (by content) give the same re-plan."""
    if instance.store_id != published.instance.store_id or instance.week_start != published.instance.week_start:
        raise ValueError(f"the published roster is for {published.instance.store_id} in the week of "
                         f"{published.instance.week_start}, the change for {instance.store_id} in the week of "
                         f"{instance.week_start}")
    instance = replace(instance, history_days=min(max((today - instance.week_start).days, 0), 7))
    # If the time limit ends the search first, the answer is the published roster less the shifts the change makes
    # impossible (absences).
    start = tuple(a for a in published.assignments if instance.absent(a.employee_id, a.shift.weekday) is None
                  and any(e.employee_id == a.employee_id for e in instance.employees))
    kept = untouched_days(published, instance) if rules.keep_untouched_days else frozenset()
    instance = replace(instance, kept_days=kept)  # for the sentences: a wish broken on a kept day is no choice
    roster = _published_breaks(solve_with(instance, rules, (*RULES, Stability(published, today, kept)), start,
                                         replan=True, progress=progress), published)
    if not roster.found:  # no roster: nothing changes, its status says why
        return Replan(roster, (), today)
    return Replan(roster, changes_between(instance, rules, published, roster, today), today)


def untouched_days(published: Roster, instance: RosterInstance) -> frozenset[int]:
    """The weekdays a re-plan of `published` for `instance` may keep exactly as published: the change (from the
    instance `published` was read on) leaves their requirement, opening and people's availability alone, and no
    published shift there is of someone `instance` has absent or no longer lists (a stored absence the published
    roster predates)."""
    people = {e.employee_id for e in instance.employees}
    hit = {a.shift.weekday for a in published.assignments
           if a.employee_id not in people or instance.absent(a.employee_id, a.shift.weekday) is not None}
    return frozenset(range(7)) - changed_days(published.instance, instance) - hit


def _published_breaks(roster: Roster, published: Roster) -> Roster:
    """The roster with its breaks handed out again: the model counts a span's break placements per group (keyholders,
    others), not per person, so each person on a span keeps their published break where that placement was counted
    for their group. The floor and the keyholder cover are the same; only who takes which break changes."""
    was = {(a.employee_id, span_of(a.shift)): a.shift.break_start_minute for a in published.assignments}
    instance = roster.instance
    keyholder = {e.employee_id: e.is_keyholder for e in instance.employees}
    groups: dict[tuple[bool, tuple[int, int, int]], list[Assignment]] = defaultdict(list)
    for a in roster.assignments:
        groups[(keyholder[a.employee_id], span_of(a.shift))].append(a)
    handed = []
    for (_, span), people in groups.items():
        placements = [a.shift for a in people]
        rest = []
        for a in sorted(people, key=lambda a: a.employee_id):  # first each published break still counted
            same = next((i for i, shift in enumerate(placements) if (a.employee_id, span) in was
                         and shift.break_start_minute == was[(a.employee_id, span)]), None)
            if same is None:
                rest.append(a)
            else:
                handed.append(Assignment(a.employee_id, placements.pop(same)))
        handed += [Assignment(a.employee_id, shift) for a, shift in zip(rest, placements, strict=True)]
    handed = sorted(handed, key=_in_order)
    if handed == sorted(roster.assignments, key=_in_order):  # also a roster without assignments (none found)
        return roster
    sentences = explain(instance, roster.rules, check_roster(instance, roster.rules, handed), handed,
                        proven=is_cost_proven(roster.status, roster.levels),
                        fairness_proven=is_fairness_proven(roster.status, roster.levels), quick=roster.quick,
                        seconds=roster.solve_seconds, replan=True)
    return replace(roster, assignments=tuple(handed), shifts=shift_frame(instance, handed), sentences=sentences)


def _in_order(a: Assignment) -> tuple[int, int, str]:
    return a.shift.weekday, a.shift.start_minute, a.employee_id


def changes_between(instance: RosterInstance, rules: RosterRules, before: Roster, after: Roster, today: dt.date
                    ) -> tuple[Change, ...]:
    """Every shift of `before` that `after` changes or cancels, and every shift it adds, with its premium."""
    old, new = _by_person_day(before), _by_person_day(after)
    changes = []
    for person in instance.employees:
        for day in range(7):
            was, now = old.get((person.employee_id, day)), new.get((person.employee_id, day))
            kind = change_kind(was, now)
            if kind is None:
                continue
            date = instance.week_start + dt.timedelta(days=day)
            inside = today <= date < today + dt.timedelta(days=rules.notice_days)
            own_absence = kind == CANCELLED and instance.absent(person.employee_id, day) is not None
            premium = m.premium_hours(rules, kind) if inside and not own_absence else 0.0
            changes.append(Change(person.employee_id, person.name, date, kind, _times(was), _times(now), premium,
                                  inside, date < today, was, now))
    return tuple(changes)


class Stability:
    name = "stability"
    sentence = "keeps the published shifts, a change costing its premium inside the notice window"

    def __init__(self, published: Roster, today: dt.date, kept_days: frozenset[int] = frozenset()) -> None:
        self.published = _by_person_day(published)
        self.today = today
        self.kept_days = kept_days
        """Weekdays held as published from today on too (`keep_untouched_days`), as the days before today are."""

    def cost(self, instance: RosterInstance, rules: RosterRules, assignments) -> int:
        """What this rule's terms come to for `assignments` (model units), recounted without the solver
        (`check_changes`): the part of a re-plan's cost level the roster checker does not count."""
        return change_cost_units(instance, rules, self.published, self.today, self.kept_days, assignments)

    def _held(self, instance: RosterInstance, day: int) -> bool:
        """Whether `day`'s shifts and breaks stay as published: history, or a day the change does not touch."""
        return instance.week_start + dt.timedelta(days=day) < self.today or day in self.kept_days

    def spans(self) -> set[tuple[int, int, int]]:
        """The published spans: a smaller model (see `solve`) must offer them, or it could keep nothing."""
        return {span_of(shift) for shift in self.published.values()}

    def build(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables
              ) -> Terms:
        index = {(span.weekday, span.start_minute, span.length_hours): s for s, span in enumerate(v.spans)}
        terms: Terms = []
        for p, person in enumerate(instance.employees):
            unit = m.wage_hour_cost(instance, person)
            for day in range(7):
                date = instance.week_start + dt.timedelta(days=day)
                was = self.published.get((person.employee_id, day))
                keep = v.take.get((p, index[span_of(was)])) if was is not None and span_of(was) in index else None
                works = v.works.get((p, day))
                if self._held(instance, day):  # history, or untouched: as published, where the rules allow it
                    if keep is not None:
                        model.add(keep == 1).with_name(f"{self.name}[{person.employee_id} {date}]")
                    elif was is None and works is not None:
                        model.add(works == 0).with_name(f"{self.name}[{person.employee_id} {date}]")
                    continue
                inside = (date - self.today).days < rules.notice_days
                absent = instance.absent(person.employee_id, day) is not None
                if was is None:
                    if works is not None:
                        terms.append((round((rules.change_penalty_hours + inside * m.premium_hours(rules, ADDED)) * unit),
                                      works))
                    continue
                # A published shift's own hours are owed as told: changing it never pays for itself in wages.
                owed = instance.paid_hours(was)
                premium = (inside and not absent) * m.premium_hours(rules, CANCELLED)
                cancel = round((owed + rules.change_penalty_hours + premium) * unit)
                move = round((owed + rules.change_penalty_hours + inside * m.premium_hours(rules, MOVED)) * unit)
                # cancel x (1 - works) + move x (works - keep): the day's shift either goes, changes, or stays.
                terms.append((cancel, None))
                if works is not None:
                    terms.append((move - cancel, works))
                if keep is not None:
                    terms.append((-move, keep))
                if inside:
                    terms += self._other_kinds(rules, v, p, was, move, unit)
        return terms + self._breaks(instance, rules, model, v, index)

    @staticmethod
    def _other_kinds(rules: RosterRules, v: RosterVariables, p: int, was: Candidate, move: int, unit: int) -> Terms:
        """Inside the notice window, a change of a shift's hours is priced at the premium of its kind (shortened,
        lengthened or moved: `check_changes.hours_change`), as the change list and the recount price it; `move`
        priced each at the moved shift's. Each span of the day whose kind's premium differs adds the difference:
        none when the premiums agree (the defaults), so the model is as small as before."""
        terms: Terms = []
        for s, take in v.day_takes(p, was.weekday):
            span = v.spans[s]
            if (span.weekday, span.start_minute, span.length_hours) == span_of(was):
                continue
            kind = hours_change(was, span.start_minute, span.end_minute)
            if kind != MOVED and m.premium_hours(rules, kind) != m.premium_hours(rules, MOVED):
                owed = v.instance.paid_hours(was)
                terms.append((round((owed + rules.change_penalty_hours + m.premium_hours(rules, kind)) * unit) - move,
                              take))
        return terms

    def _breaks(self, instance: RosterInstance, rules: RosterRules, model: cp_model.CpModel, v: RosterVariables,
                index: dict) -> Terms:
        """The published break placements kept: as published on held days (before `today`, and untouched days with
        `keep_untouched_days`); elsewhere each one fewer than published costs `break_move_penalty_hours` of the
        store's wage (the model counts placements per group)."""
        published: dict[tuple[str, int, int], int] = defaultdict(int)
        for p, person in enumerate(instance.employees):
            for day in range(7):
                was = self.published.get((person.employee_id, day))
                s = index.get(span_of(was)) if was is not None else None
                if s is None or (p, s) not in v.take or len(v.spans[s].options) == 1:
                    continue
                o = next((o for o, option in enumerate(v.spans[s].options)
                          if option.break_start_minute == was.break_start_minute), None)
                if o is not None:
                    published[(KEYHOLDERS if person.is_keyholder else OTHERS, s, o)] += 1
        unit = m.break_move_cost(instance, rules)
        terms: Terms = []
        for (group, s, o), count in sorted(published.items()):
            placed, option = v.breaks[(group, s, o)], v.spans[s].options[o]
            if self._held(instance, option.weekday):
                model.add(placed >= count).with_name(f"{self.name}[{group} {option.label()}]")
                continue
            moved = model.new_int_var(0, count, f"breaks_moved[{group} {option.label()}]")
            model.add(moved >= count - placed)
            terms.append((unit, moved))
        return terms


def _by_person_day(roster: Roster) -> dict[tuple[str, int], Candidate]:
    return {(a.employee_id, a.shift.weekday): a.shift for a in roster.assignments}


def _times(shift: Candidate | None) -> str:
    return "" if shift is None else shift.times()
