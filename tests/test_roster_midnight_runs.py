"""A store open Saturday 18:00-02:00, short of staff 23:00-01:00: the roster's sentences and status said it as two
runs split at the clock's midnight ("Sat 23:00-24:00" and "Sat 00:00+1-01:00+1"), one opening's hour after another,
where the schedule report says one ("Sat 23:00-01:00+1"). Both now read their runs from one helper
(`planner.shifts.instance.opening_runs`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from planner.roster import Employee, Window, from_hourly, solve_roster
from planner.hours import WEEKDAY_NAMES
from planner.roster.check import check_roster
from planner.roster.findings import PAST
from planner.roster.status import shortfall_sentence
from planner.settings import RosterRules, ShiftRules

MONDAY = dt.date(2026, 12, 7)
SATURDAY, SUNDAY = 5, 6
SATURDAY_NIGHT = (None,) * 5 + ((18 * 60, 26 * 60),) + (None,)
SUNDAY_NIGHT = (None,) * 6 + ((18 * 60, 26 * 60),)
FOUR_HOURS = ShiftRules(shift_lengths_hours=(4,), break_for_shifts_over_hours=8)
RULES = RosterRules(time_limit_seconds=10, optimiser_spans_share=0.0, relative_gap_limit=0.0)
WHOLE_DAY = (Window(0, 48 * 60),)


def _person(ident: str, keyholder: bool = True, saturday=WHOLE_DAY) -> Employee:
    availability = tuple(saturday if day == SATURDAY else WHOLE_DAY for day in range(7))
    return Employee(ident, f"Person {ident}", "S", skills=frozenset({"keyholder"} if keyholder else ()),
                    contract_hours_min=0, contract_hours_max=4, availability=availability)


def _saturday(need_at_midnight: int, people) -> object:
    """One staff needed Saturday 18:00-02:00, `need_at_midnight` from 23:00 to 01:00 (Sunday's clock hour 0)."""
    required = np.zeros((7, 24))
    required[SATURDAY, 18:24] = required[SUNDAY, 0:2] = 1
    required[SATURDAY, 23] = required[SUNDAY, 0] = need_at_midnight
    return from_hourly("S", required, MONDAY, people, opening=SATURDAY_NIGHT, shift_rules=FOUR_HOURS)


def _said(instance, words: str) -> tuple[list[str], str]:
    """The solved roster's sentences holding `words`, and its status's shortfall sentence."""
    roster = solve_roster(instance, RULES)
    return ([s for s in roster.sentences if words in s],
            shortfall_sentence(check_roster(instance, RULES, roster.assignments), instance.opening))


def test_a_shortfall_across_midnight_is_one_sentence():
    """Two people on four-hour shifts cover 18:00-22:00 and 22:00-02:00; the second one needed 23:00-01:00 is
    short, one run of Saturday's opening."""
    instance = _saturday(2, [_person("A"), _person("B")])
    roster = solve_roster(instance, RULES)
    short = [s for s in roster.sentences if "staff short" in s]
    assert len(short) == 1
    assert short[0].startswith("Sat 23:00-01:00+1: 1 staff short (2 staff-hours uncovered): of the 2 people, ")
    assert "already work that day" in short[0]  # Saturday's shifts are the ones asked about, not Sunday's
    said = shortfall_sentence(check_roster(instance, RULES, roster.assignments), instance.opening)
    assert said.startswith("2 hours are short of staff (2 staff-hours uncovered): Sat 23:00-01:00+1")


def test_a_keyholder_gap_across_midnight_is_one_sentence():
    """The keyholder can work only until 22:00; the other person covers 22:00-02:00 without one."""
    gaps, said = _said(_saturday(1, [_person("A", saturday=(Window(18 * 60, 22 * 60),)),
                                     _person("B", keyholder=False)]), "no keyholder")
    assert gaps == ["Sat 22:00-02:00+1: no keyholder on the floor: the only keyholder, Person A, is not "
                    "available then"]
    assert said.startswith("4 hours are without a keyholder on the floor: Sat 22:00-02:00+1 (the reasons are below).")


def test_one_person_and_one_staff_hour_are_said_in_the_singular():
    """One person, two needed in Saturday's last hour: "the only person, Person A, ...", "1 staff-hour", where the
    sentence said "of the 1 people" and "1 staff-hours"."""
    required = np.zeros((7, 24))
    required[SATURDAY, 23] = 2
    short, said = _said(from_hourly("S", required, MONDAY, [_person("A")], opening=SATURDAY_NIGHT,
                                    shift_rules=FOUR_HOURS), "staff short")
    assert short == ["Sat 23:00-24:00: 1 staff short (1 staff-hour uncovered): the only person, Person A, already "
                     "works that day"]
    assert said.startswith("1 hour is short of staff (1 staff-hour uncovered): Sat 23:00-24:00")


def test_sundays_run_across_midnight_wraps_the_week_into_one():
    """Sunday's hours after midnight are the week's first slots by the clock: still one run with Sunday's evening,
    in the opening's order, and a run that ends at midnight ends at "24:00"."""
    from planner.shifts.instance import opening_runs, run_text

    mask = np.zeros(7 * 48, dtype=bool)
    mask[[SUNDAY * 48 + 46, SUNDAY * 48 + 47, 0, 1]] = True  # Sunday 23:00-01:00+1
    mask[SUNDAY * 48 + 36:SUNDAY * 48 + 40] = True  # Sunday 18:00-20:00
    runs = opening_runs(mask, SUNDAY_NIGHT)
    assert [run_text(run, SUNDAY_NIGHT) for run in runs] == ["Sun 18:00-20:00", "Sun 23:00-01:00+1"]
    assert runs[1].tolist() == [SUNDAY * 48 + 46, SUNDAY * 48 + 47, 0, 1]
    evening = np.zeros(7 * 48, dtype=bool)
    evening[SUNDAY * 48 + 44:SUNDAY * 48 + 48] = True
    assert [run_text(run, SUNDAY_NIGHT) for run in opening_runs(evening, SUNDAY_NIGHT)] == ["Sun 22:00-24:00"]


FRIDAY = 4


@pytest.mark.parametrize("day, today, past", [
    (SUNDAY, 1, False),  # a re-plan on Tuesday: Sunday's 00:00+1 (the week's Monday 00:00 by the clock) is ahead
    (FRIDAY, 5, True),  # a re-plan on Saturday: Friday's 00:00+1 (Saturday 00:00 by the clock) is Friday's, past
])
def test_a_shortfall_after_midnight_is_past_as_its_opening_is(day, today, past):
    """A re-plan says a shortfall on a day before today is past (`RosterInstance.history_days`, counted by the
    opening's weekday, as the re-plan holds a shift by its opening's weekday). A run after midnight was judged by its
    clock weekday: Sunday's closing hour read as this week's Monday, past on a Tuesday, and Friday's as Saturday's,
    still ahead on a Saturday."""
    opening = tuple((18 * 60, 25 * 60) if d == day else None for d in range(7))
    required = np.zeros((7, 24))
    required[(day + 1) % 7, 0] = 1  # the opening's 00:00+1 alone
    evening = tuple((Window(17 * 60, 24 * 60),) if d == day else () for d in range(7))
    person = Employee("A", "Person A", "S", skills=frozenset({"keyholder"}), contract_hours_min=0,
                      contract_hours_max=8, availability=evening)
    instance = replace(from_hourly("S", required, MONDAY, [person], opening=opening, shift_rules=FOUR_HOURS),
                       history_days=today)
    (short,) = [s for s in solve_roster(instance, RULES).sentences if "staff short" in s]
    name = WEEKDAY_NAMES[day]
    assert short.startswith(f"{name} 00:00+1-01:00+1: 1 staff short")
    assert short.endswith(PAST) == past, short
    assert past or short.endswith("the only person, Person A, is not available then"), short


def test_a_run_whose_shortfall_differs_by_hour_says_up_to_its_most():
    """The walk: "Sat 17:00-19:00: 2 staff short (3 staff-hours uncovered)": 2 short over 2 hours reads as 4
    staff-hours. Short by 1 in one hour and 2 in the next, the run says "up to 2 staff short", and its staff-hours
    are what the checker counts."""
    required = np.zeros((7, 24))
    required[SATURDAY, 23], required[SUNDAY, 0] = 2, 3
    instance = from_hourly("S", required, MONDAY, [_person("A")], opening=SATURDAY_NIGHT, shift_rules=FOUR_HOURS)
    roster = solve_roster(instance, RULES)
    under = check_roster(instance, RULES, roster.assignments).under
    assert sorted(set(under[under > 0].tolist())) == [1, 2]  # Person A on the floor in both hours
    short = [s for s in roster.sentences if "staff short" in s]
    assert short == [s for s in short if s.startswith("Sat 23:00-01:00+1: up to 2 staff short (3 staff-hours "
                                                      "uncovered): ")] and len(short) == 1, short
