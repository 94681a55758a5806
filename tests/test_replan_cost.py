"""A re-plan's cost level is the quantity its bound and proof are of: the checker's wages and cover plus each change
to the published roster at its penalty, any premium and, for a shift cancelled or its hours changed, the published
hours still owed. It compared the wages alone with a bound of wages and changes, so a re-plan
of the benchmark's kind read "proven" least with its cost level (565) below its own bound (580.5), and its status
never said that the cost proven least counts the changes. Expected costs are worked out here from the change list
and the roster rules' prices, not from the code that prices changes for the model."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from planner.roster import Absence, Employee, Window, from_hourly, generate_employees, replan, solve_roster
from planner.roster.check import check_roster
from planner.roster.check_changes import change_cost_units
from planner.roster.generate import generated_requirement
from planner.roster.greedy import greedy_roster
from planner.roster.measures import COST, UNITS_PER_CURRENCY
from planner.roster.replan import Stability, _by_person_day
from planner.roster.report import make_roster
from planner.roster.result import FEASIBLE, OPTIMAL
from planner.roster.rules import RULES as ROSTER_RULES
from planner.roster.search import Clock, LevelModel
from planner.roster.variables import span_of
from planner.settings import RosterRules, ShiftRules
from planner.shifts import solve_shifts

MONDAY = dt.date(2026, 12, 7)
SHAPE = ShiftRules(shift_lengths_hours=(8,), break_for_shifts_over_hours=8)
RULES = RosterRules(time_limit_seconds=5, optimiser_spans_share=0.0, relative_gap_limit=0.0)
CHANGES_COUNTED = ("counting as changes, in the same money as wages, what changing the published roster costs: for "
                   "each shift or break changed, a weight in hours of pay that is not paid out, any premium for short "
                   "notice and, for a shift cancelled or its hours changed, the published hours still owed")
"""What a re-plan's status says its changes figure is: the change list's prices (`changes_cost`), in money. It said "at
its penalty" alone, while its changes figure held the owed hours and premiums too, and its wages did not; then
"counting each change ... at its penalty, any premium and ... the published hours still owed", which named neither
the figure's unit nor that a penalty is a weight, not pay."""


PREMIUM_OF_KIND = {"moved": "premium_hours_moved_shift", "lengthened": "premium_hours_moved_shift",
                   "shortened": "premium_hours_shortened_shift"}
"""The roster rules' premium for each kind of change of a shift's hours, as the rules' help words them."""


def changes_cost(result, rules: RosterRules, sick: str) -> float:
    """Each change of `result` at its price (currency): a cancelled or changed shift its published paid hours, the
    change penalty and, inside the notice window, its premium (none for the sick person's own shift; a change of a
    shift's hours the premium of its kind as listed); an added shift the penalty and premium; a moved break its
    penalty at the store's wage."""
    instance = result.roster.instance
    total = 0.0
    for c in result.changes:
        wage = instance.wage_of(instance.employee(c.employee_id))
        if c.kind == "added":
            total += (rules.change_penalty_hours + c.inside_notice * rules.premium_hours_added_shift) * wage
        elif c.kind == "cancelled":
            premium = rules.premium_hours_cancelled_shift if c.inside_notice and c.employee_id != sick else 0.0
            total += (c.was.paid_hours + rules.change_penalty_hours + premium) * wage
        elif c.kind == "break moved":
            total += rules.break_move_penalty_hours * instance.wage_per_hour
        else:
            total += (c.was.paid_hours + rules.change_penalty_hours
                      + c.inside_notice * getattr(rules, PREMIUM_OF_KIND[c.kind])) * wage
    return total


def test_a_proven_replan_states_its_cost_with_the_changes_its_bound_counts():
    """A is published on Monday 9-17 (the only shift: 8 h, no break) and falls ill; B takes the shift. Proven best: wages 8 h of B's, changes A's 8 h
    cancelled plus the penalty (no premium: their own absence) and B's added shift's penalty and premium."""
    every_day = ((Window(0, 24 * 60),),) * 7
    people = [Employee(p, f"Person {p}", "S", skills=frozenset({"keyholder"}), contract_hours_min=0,
                       contract_hours_max=40, availability=every_day) for p in "AB"]
    table = np.zeros((7, 24))
    table[0, 9:17] = 1
    published = solve_roster(from_hourly("S", table, MONDAY, people, shift_rules=SHAPE), RULES)
    (worked,) = published.assignments
    other = next(p for p in "AB" if p != worked.employee_id)
    changed = published.instance.with_changes(absences=[Absence(worked.employee_id, MONDAY, MONDAY, "sick")])
    result = replan(changed, published, RULES, MONDAY - dt.timedelta(days=1))
    wage = changed.wage_of(changed.employee(other))
    wages = 8 * wage
    changes = ((worked.shift.paid_hours + RULES.change_penalty_hours) * changed.wage_of(changed.employee(worked.employee_id))
               + (RULES.change_penalty_hours + RULES.premium_hours_added_shift) * wage)
    assert [(c.employee_id, c.kind) for c in result.changes] == [(worked.employee_id, "cancelled"), (other, "added")]
    assert changes == pytest.approx(changes_cost(result, RULES, worked.employee_id))
    cost = result.roster.levels[0]
    assert result.roster.status == OPTIMAL and cost.proven
    assert cost.objective == pytest.approx(wages + changes) and cost.changes == pytest.approx(changes)
    assert cost.bound == pytest.approx(cost.objective)  # proven: the bound of the same quantity, not above it
    assert result.roster.best_bound <= result.roster.objective + 1e-9
    said = result.roster.status_sentence
    # the wages are B's shift only: A's owed 8 hours are among the changes, as is the premium of B's added shift
    assert said.startswith("Proven best re-plan: the least cost the rules allow "
                           f"{CHANGES_COUNTED}: wages of the re-plan's shifts {wages:,.2f} + changes "
                           f"{changes:,.2f}"), said


def test_a_replan_above_its_bound_once_its_changes_are_counted_is_not_said_proven():
    """The benchmark's store 2 (seeded week and people), published as the greedy roster, re-planned after the longest
    Wednesday shift's person falls ill, 2 units of search: wages and cover 615 are below the bound 660, wages, cover
    and changes above it. It read "proven the least possible"."""
    instance = from_hourly("S002", generated_requirement(2), MONDAY, generate_employees("S002", 25, 2),
                           shift_rules=ShiftRules())
    rules = RosterRules(deterministic_time_limit=2.0, time_limit_seconds=60)
    start = greedy_roster(instance, rules, solve_shifts(instance.as_shift_instance(), instance.shift_rules))
    published = make_roster(instance, rules, FEASIBLE, start, 0.0, 0.0, 0.0)
    sick = max(published.assignments, key=lambda a: (a.shift.weekday == 2, a.shift.paid_hours))
    day = MONDAY + dt.timedelta(days=sick.shift.weekday)
    changed = instance.with_changes(absences=[Absence(sick.employee_id, day, day, "sick")])
    result = replan(changed, published, rules, day - dt.timedelta(days=1))
    check = check_roster(changed, rules, result.roster.assignments)
    cost, changes = result.roster.levels[0], changes_cost(result, rules, sick.employee_id)
    assert cost.objective == pytest.approx(check.level_costs["cost"] + changes)
    assert cost.changes == pytest.approx(changes)
    assert check.level_costs["cost"] <= cost.bound < cost.objective  # the premise: proven only without the changes
    assert not cost.proven and result.roster.status != OPTIMAL
    said = result.roster.status_sentence
    assert "proven" not in said and "may not be the best possible" in said, said
    # the verdict first, its cost's parts a sentence of their own: as the verdict's subject, they put 45 words
    # between "its cost" and "is within"
    assert "; it may not be the best possible: its cost is within " in said, said
    assert said.endswith(f" That cost: wages of the re-plan's shifts {check.wage_cost:,.2f} + changes {changes:,.2f}, "
                         f"{CHANGES_COUNTED}."), said
    assert not any("proven" in sentence for sentence in result.roster.sentences), result.roster.sentences


APART = RosterRules(time_limit_seconds=5, optimiser_spans_share=0.0, relative_gap_limit=0.0, change_penalty_hours=1.0,
                    premium_hours_shortened_shift=0.5, premium_hours_moved_shift=2.0,
                    premium_hours_cancelled_shift=0.0, premium_hours_added_shift=0.0)
"""A chain pricing a shortened shift well below a moved one (and a cancelled or added one at no premium)."""


def test_a_replan_shortens_a_shift_at_the_shortened_premium_the_change_list_reports():
    """A works Monday 9-17 (8 h, no break: the only shift), B nothing; then the store closes at 15:00 on Mondays, so
    9-17 can no longer be worked. Priced as the rules price it, shortening A to 9-15 costs A's 8 owed hours + the
    penalty 1 + the shortened premium 0.5 = 9.5 in changes; handing 9-15 to B costs A's 8 + 1 (cancelled, no premium)
    + B's added penalty 1 = 10. Both pay 6 h of wages. The model priced the shortened shift at the moved premium
    (8 + 1 + 2 = 11), so it re-planned B in, which the change list then reported at its own prices. Each re-plan's
    cost in the solver's model is the checker's plus the solver-free recount of its changes."""
    every_day = ((Window(0, 24 * 60),),) * 7
    people = [Employee(p, f"Person {p}", "S", skills=frozenset({"keyholder"}), contract_hours_min=0,
                       contract_hours_max=40, availability=every_day) for p in "AB"]
    shape = ShiftRules(shift_lengths_hours=(6, 8), break_for_shifts_over_hours=8)
    table = np.zeros((7, 24))
    table[0, 9:17] = 1
    published = solve_roster(from_hourly("S", table, MONDAY, people, shift_rules=shape), APART)
    (worked,) = published.assignments
    assert (worked.shift.start_minute, worked.shift.end_minute) == (9 * 60, 17 * 60)  # the premise
    other = next(p for p in "AB" if p != worked.employee_id)
    table[0, 15:17] = 0  # closed from 15:00 on Mondays
    closing_early = from_hourly("S", table, MONDAY, people, shift_rules=shape)
    today = MONDAY - dt.timedelta(days=1)
    result = replan(closing_early, published, APART, today)

    assert [(c.employee_id, c.kind, c.after, c.premium_hours) for c in result.changes] == [
        (worked.employee_id, "shortened", "09:00-15:00", 0.5)]
    cost = result.roster.levels[0]
    assert result.roster.status == OPTIMAL and cost.proven
    assert cost.changes == pytest.approx(8 + 1 + 0.5) == pytest.approx(changes_cost(result, APART, ""))
    assert cost.objective == pytest.approx(6 + 9.5)

    instance = result.roster.instance
    stability = Stability(published, today)
    model = LevelModel(instance, APART, (*ROSTER_RULES, stability), None, Clock(APART))
    index = {e.employee_id: p for p, e in enumerate(instance.employees)}
    shortened = result.roster.assignments
    handed_over = tuple(replace(a, employee_id=other) for a in shortened)
    for assignments, changes in ((shortened, 9.5), (handed_over, 8 + 1 + 1)):
        solver = model.fixed(frozenset((index[a.employee_id], span_of(a.shift)) for a in assignments), COST)
        recount = change_cost_units(instance, APART, _by_person_day(published), today, frozenset(), assignments)
        checked = check_roster(instance, APART, assignments).level_costs[COST]
        assert recount == round(changes * UNITS_PER_CURRENCY)
        assert solver.objective == round(checked * UNITS_PER_CURRENCY) + recount == round((6 + changes)
                                                                                          * UNITS_PER_CURRENCY)


def test_a_quick_replan_states_its_cost_in_the_parts_a_full_replan_says(monkeypatch):
    """A works Monday and Tuesday 9-17 (one shift a day needed) and falls ill on Monday; the solver finds nothing of
    its own (every search comes back empty), so the answer is the quick re-plan: the published roster less Monday's
    shift. Its status said only how far its cost may be from the least, with no parts, where a full re-plan's says
    "wages X + changes Y". Wages: Tuesday's 8 h; changes: Monday's 8 h cancelled plus the penalty, no premium (A's
    own absence); Monday's 8 hours are left short, their cover penalty between the two."""
    from ortools.sat.python import cp_model

    from planner.roster import search

    every_day = ((Window(0, 24 * 60),),) * 7
    people = [Employee("A", "Person A", "S", skills=frozenset({"keyholder"}), contract_hours_min=0,
                       contract_hours_max=40, availability=every_day)]
    table = np.zeros((7, 24))
    table[0:2, 9:17] = 1
    published = solve_roster(from_hourly("S", table, MONDAY, people, shift_rules=SHAPE), RULES)
    assert len(published.assignments) == 2  # the premise: A on Monday and Tuesday
    changed = published.instance.with_changes(absences=[Absence("A", MONDAY, MONDAY, "sick")])
    monkeypatch.setattr(search.LevelModel, "minimise",
                        lambda self, level, share, **_: search.Found(cp_model.UNKNOWN, None, 0))
    hurried = RosterRules(time_limit_seconds=1e-3, deterministic_time_limit=1e-4)
    result = replan(changed, published, hurried, MONDAY - dt.timedelta(days=1))
    roster = result.roster
    assert roster.quick and [c.kind for c in result.changes] == ["cancelled"]  # the premise: the quick re-plan
    changes = 8 + hurried.change_penalty_hours
    cost = roster.levels[0]
    assert cost.changes == pytest.approx(changes) == pytest.approx(changes_cost(result, hurried, "A"))
    penalties = cost.objective - 8 - changes
    assert penalties > 8  # an hour short costs more than an hour's wage
    said = roster.status_sentence
    assert said.startswith("8 hours are short of staff"), said
    assert "Quick re-plan made in" in said, said
    assert "so a better one may well exist: its cost is within " in said, said
    assert said.endswith(f" That cost: wages of the re-plan's shifts 8.00 + cover penalties {penalties:,.2f} + changes "
                         f"{changes:,.2f}, {CHANGES_COUNTED}."), said
    assert "proven" not in said, said


def test_todays_re_plan_sentences_are_shown_as_they_are_made():
    """`in_todays_words` rewrites two phrases of re-plans saved before (the changes "at its penalty" alone, "wages
    565.00"); a sentence made today, in each form a re-plan's status takes, must come back as it is. The forms are
    written out here from the status module's phrases, as `status_sentence` joins them."""
    from planner.roster.status import REPLAN_COUNTING, WAGES_OF_ITS_SHIFTS, in_todays_words

    parts = f"{WAGES_OF_ITS_SHIFTS} 565.00 + changes 15.75"
    with_cover = f"{WAGES_OF_ITS_SHIFTS} 8.00 + cover penalties 240.00 + changes 3.50"
    today = [
        f"Proven best re-plan: the least cost the rules allow {REPLAN_COUNTING}: {parts}, and the fairest at that "
        "cost. A new roster that may change any shift can cost less in wages.",
        f"Best re-plan found in 7.3 s; its cost is proven the least possible, but one that shares the hours more "
        f"fairly may exist. That cost: {parts}, {REPLAN_COUNTING}.",
        f"Best re-plan found in 30 s; it may not be the best possible: its cost is within 0.1% of the least possible "
        f"(close enough to stop). That cost: {with_cover}, {REPLAN_COUNTING}.",
        f"Re-plan found in 1 s; within the rules no re-plan costs less, counting each hour short of staff as a cost "
        f"(proven: {parts}).",
    ]
    assert [in_todays_words(sentence) for sentence in today] == today
    before = "Best re-plan found in 30 s; it may not be the best possible: its cost counting each change to the " \
             "published roster at its penalty (wages 565.00 + changes 15.75) is within 0.1% of the least possible."
    assert in_todays_words(before) == before.replace(
        "counting each change to the published roster at its penalty", CHANGES_COUNTED) \
        .replace("(wages 565.00", f"({WAGES_OF_ITS_SHIFTS} 565.00")
    # saved from 7 Dec 2026 until the changes figure said its unit: those words too come back as today's
    yesterday = ("Best re-plan found in 7.3 s; its cost is proven the least possible, but one that shares the hours "
                 "more fairly may exist. That cost: wages of the re-plan's shifts 565.00 + changes 15.75, counting each "
                 "change to the published roster at its penalty, any premium and, for a shift cancelled or its hours "
                 "changed, the published hours still owed.")
    assert in_todays_words(yesterday) == yesterday.split(", counting each")[0] + f", {CHANGES_COUNTED}."
