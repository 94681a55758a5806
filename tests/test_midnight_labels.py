"""A store open Sunday 18:00-01:00: its last hour is Sunday's, "Sun 00:00+1", in a roster's CP-SAT names and
sentences and in the max-staff problems of a schedule or roster check, as every plan, grid and file says it; by the
clock it is Monday 00:00 (of the next ISO week), a name that read as this week's Monday morning."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from planner.roster import Employee, Window, from_hourly as roster_from_hourly, solve_roster
from planner.roster.check import check_roster
from planner.roster.result import Assignment
from planner.roster.rules import RULES as ROSTER_RULES
from planner.roster.search import Clock, LevelModel
from planner.roster.status import shortfall_sentence
from planner.settings import RosterRules, ShiftRules
from planner.shifts import from_hourly as shifts_from_hourly
from planner.shifts.candidates import Candidate
from planner.shifts.check import check_schedule
from planner.shifts.solve import ScheduledShift

MONDAY = dt.date(2026, 12, 7)
SUNDAY = 6
SUNDAY_NIGHT = (None,) * 6 + ((18 * 60, 25 * 60),)
SHAPE = ShiftRules(shift_lengths_hours=(4, 8), break_for_shifts_over_hours=8)
RULES = RosterRules(time_limit_seconds=5, optimiser_spans_share=0.0, relative_gap_limit=0.0)
LATE = Candidate(SUNDAY, 21 * 60, 4, None, SHAPE.break_minutes)
"""Sunday 21:00-01:00: its last hour falls on Monday 00:00 by the clock."""


def _required(staff: int) -> np.ndarray:
    table = np.zeros((7, 24))
    table[SUNDAY, 18:24] = staff
    table[0, 0] = staff  # Sunday's 00:00+1, at the week's slot 0
    return table


def _person(ident: str) -> Employee:
    return Employee(ident, f"Person {ident}", "S", skills=frozenset({"keyholder"}), contract_hours_min=0,
                    contract_hours_max=40, availability=((Window(0, 48 * 60),),) * 7)


def _roster_instance(staff: int, people: str, max_staff: int | None = None):
    return roster_from_hourly("S", _required(staff), MONDAY, [_person(p) for p in people], opening=SUNDAY_NIGHT,
                              max_staff=max_staff, shift_rules=SHAPE)


def test_a_schedule_check_names_sundays_hour_after_midnight_as_sundays():
    instance = shifts_from_hourly("S", _required(1), SUNDAY_NIGHT, max_staff=1)
    check = check_schedule(instance, SHAPE, [ScheduledShift(LATE, 2)])
    over = [text for text in check.violations if "above max of 1" in text]
    assert sorted(text.split(": ")[0] for text in over) == sorted(
        ["Sun 21:00", "Sun 21:30", "Sun 22:00", "Sun 22:30", "Sun 23:00", "Sun 23:30", "Sun 00:00+1", "Sun 00:30+1"])


def test_a_roster_check_names_sundays_hour_after_midnight_as_sundays():
    instance = _roster_instance(1, "AB", max_staff=1)
    check = check_roster(instance, RULES, [Assignment("A", LATE), Assignment("B", LATE)])
    over = [text for rule, text in check.violations if rule == "max_staff"]
    assert "Sun 00:00+1: 2 on the floor, above max of 1" in over
    assert not any("Mon" in text for text in over)


def test_a_rosters_model_names_sundays_hour_after_midnight_as_sundays():
    instance = _roster_instance(1, "A", max_staff=1)
    proto = LevelModel(instance, RULES, ROSTER_RULES, None, Clock(RULES)).model.proto
    names = [v.name for v in proto.variables] + [c.name for c in proto.constraints]
    for name in ("under[S Sun 00:00+1]", "coverage[Sun 00:00+1]", "no_keyholder[S Sun 00:30+1]",
                 "keyholder_cover[Sun 00:30+1]", "max_staff[Sun 00:00+1]"):
        assert name in names
    assert not [name for name in names if "Mon 00:" in name]


def test_a_rosters_sentences_say_sundays_hour_after_midnight_is_sundays():
    """One person for a need of two: every hour is short, its last one said as Sunday's."""
    instance = _roster_instance(2, "A")
    roster = solve_roster(instance, RULES)
    check = check_roster(instance, RULES, roster.assignments)
    short = [sentence.split(": ")[0] for sentence in roster.sentences if "staff short" in sentence]
    assert short == ["Sun 18:00-01:00+1"]  # one run of Sunday's opening, across the clock's midnight
    said = shortfall_sentence(check, instance.opening)
    assert said.startswith("7 hours are short of staff (10 staff-hours uncovered): Sun 18:00-01:00+1;")
    assert roster.status_sentence.startswith(said)
    assert "Mon" not in said + " ".join(roster.sentences)
    # its hour frame dates the hour when it falls: the next week's Monday, after Sunday's evening
    assert roster.hours["start"].iloc[-1] == pd.Timestamp("2026-12-14 00:00")
    assert roster.hours["start"].iloc[0] == pd.Timestamp("2026-12-13 18:00")


FRIDAY = 4
FRIDAY_NIGHT = (None,) * 4 + ((18 * 60, 26 * 60),) + (None,) * 2


def test_a_shift_after_sundays_midnight_is_named_sundays_in_a_schedule_check():
    """Sunday 00:00+1-04:00+1 read "Mon 00:00-04:00" in the check's messages and the model's names (`staff[...]`,
    from the same label): this week's Monday morning. Sunday 21:00-01:00 wrapped its end without its "+1"."""
    instance = shifts_from_hourly("S", _required(1), SUNDAY_NIGHT)
    after = Candidate(SUNDAY, 24 * 60, 4, None, SHAPE.break_minutes)
    violations = check_schedule(instance, SHAPE, [ScheduledShift(after, 1), ScheduledShift(LATE, 1)]).violations
    assert {text.split(": ")[0] for text in violations} == {"S Sun 00:00+1-04:00+1"}
    assert LATE.label("S") == "S Sun 21:00-01:00+1"


def test_a_shift_past_fridays_midnight_says_its_end_and_break_with_plus_one():
    """Friday 18:00-02:00: Friday 22:00-06:00 with its break at 02:00 read "Fri 22:00-06:00 break 02:00"."""
    shift = Candidate(FRIDAY, 22 * 60, 8, 26 * 60, 30)
    assert shift.label() == "Fri 22:00-06:00+1 break 02:00+1"
    assert Candidate(FRIDAY, 24 * 60, 2, None, 30).label("S") == "S Fri 00:00+1-02:00+1"


def test_a_shift_ending_at_midnight_ends_at_24_00_as_the_schedule_report_says():
    """Sunday 20:00 for 4 hours read "Sun 20:00-00:00", where the shifts report's sentences say "24:00"."""
    assert Candidate(SUNDAY, 20 * 60, 4, None, 30).label() == "Sun 20:00-24:00"


def test_a_rosters_spans_are_named_by_the_opening_they_work_in():
    """A roster's take[...] names wrapped a span's time without "+1": Sunday 21:00-01:00 read "Sun 21:00-01:00", one
    after Sunday's midnight "Sun 00:00-01:00" (Sunday's morning), and one ending at midnight "Sun 20:00-00:00"."""
    from planner.roster.variables import Span

    instance = _roster_instance(1, "A")
    proto = LevelModel(instance, RULES, ROSTER_RULES, None, Clock(RULES)).model.proto
    names = {v.name for v in proto.variables}
    assert {"take[Person A (A) Sun 21:00-01:00+1]", "take[Person A (A) Sun 20:00-24:00]"} <= names
    assert not [name for name in names if name.startswith("take[") and name.endswith(("-00:00]", "-01:00]"))]
    after = Candidate(SUNDAY, 24 * 60, 1, None, SHAPE.break_minutes)
    assert Span(SUNDAY, 24 * 60, 1, (after,)).label() == "Sun 00:00+1-01:00+1"
    late = Candidate(FRIDAY, 22 * 60, 8, 26 * 60, 30)
    assert Span(FRIDAY, 22 * 60, 8, (late,)).label() == "Fri 22:00-06:00+1"  # the break is not the span's


def test_a_rosters_sentences_end_a_run_at_midnight_at_24_00_as_the_schedule_report_does():
    """Friday 18:00-02:00 with one person for a need of two until midnight: the run up to Friday's midnight read
    "Fri 18:00-00:00" in the roster's sentences and status, where the schedule report writes an end at midnight
    "24:00". (A need running on past midnight is one run, "Fri 18:00-02:00+1": tests/test_roster_midnight_runs.py.)"""
    required = np.zeros((7, 24))
    required[FRIDAY, 18:24] = 2
    instance = roster_from_hourly("S", required, MONDAY, [_person("A")], opening=FRIDAY_NIGHT, shift_rules=SHAPE)
    roster = solve_roster(instance, RULES)
    short = [sentence.split(": ")[0] for sentence in roster.sentences if "staff short" in sentence]
    assert short == ["Fri 18:00-24:00"]
    said = shortfall_sentence(check_roster(instance, RULES, roster.assignments), instance.opening)
    assert said.endswith(": Fri 18:00-24:00 (the reasons are below).")


def test_a_replans_changes_give_a_shift_past_midnight_its_plus_one():
    """A re-plan's changes (changes.csv, the Roster page) gave Sunday 21:00-01:00 as "21:00-01:00" under Sunday's
    date, an end that read as before its start; plan_shifts.csv and the shift's label write "01:00+1"."""
    from planner.roster import Absence, replan

    instance = _roster_instance(1, "ABC")
    published = solve_roster(instance, RULES)
    (late,) = [a for a in published.assignments if a.shift.end_minute > 24 * 60]
    sunday = MONDAY + dt.timedelta(days=SUNDAY)
    changed = instance.with_changes(absences=[Absence(late.employee_id, sunday, sunday, "sick")])
    changes = replan(changed, published, RULES, today=MONDAY).changes
    end = late.shift.end_minute - 24 * 60
    said = f"{late.shift.start_minute // 60:02d}:00-{end // 60:02d}:00+1"  # Sunday 21:00-01:00 as "21:00-01:00+1"
    assert [(c.kind, c.before) for c in changes if c.employee_id == late.employee_id] == [("cancelled", said)]
    assert {c.day for c in changes} == {sunday}
    assert [c.after for c in changes if c.kind == "added"] == [said]
