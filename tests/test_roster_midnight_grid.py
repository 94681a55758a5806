"""A store open Sunday 18:00-02:00: a roster's grid, schedules and workbook file every shift under the opening it works
in. Sunday's 00:00+1-02:00+1 starts on the next week's Monday by the clock; the grid left it out (its person's row
showed the hours and no shift, the day read 6.0 where the hours paid came to 8.0), the schedules CSV wrote "01:00"
for an end after midnight and the grid "22:00-00:00" for one at it."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from planner.calendar import opening_labels
from planner.roster import Assignment, Employee, Window, from_hourly, solve_roster
from planner.roster.report import shift_frame
from planner.roster_export import TOTAL_ROW, person_schedule, roster_files, roster_grid
from planner.rostering.documents import roster_document, saved_roster
from planner.settings import RosterRules, ShiftRules
from planner.shifts.candidates import Candidate
from planner.shifts.instance import opening_week
from planner.storage.rosters import StoredRoster

MONDAY = dt.date(2026, 12, 7)
SUNDAY = 6
DAYS = ["Mon 7 Dec", "Tue 8 Dec", "Wed 9 Dec", "Thu 10 Dec", "Fri 11 Dec", "Sat 12 Dec", "Sun 13 Dec"]
SUNDAY_NIGHT = (None,) * 6 + ((18 * 60, 26 * 60),)
TWO_HOURS = ShiftRules(shift_lengths_hours=(2,), break_for_shifts_over_hours=8)
RULES = RosterRules(time_limit_seconds=10, optimiser_spans_share=0.0, relative_gap_limit=0.0)


def _instance(people: str = "ABCD"):
    """One person needed 18:00-02:00; shifts of two hours and four people who may each work one."""
    required = np.zeros((7, 24))
    required[SUNDAY, 18:24] = required[0, 0:2] = 1  # Sunday's 00:00+1 and 01:00+1 sit at the week's slots 0-1
    employees = [Employee(p, f"Person {p}", "S", skills=frozenset({"keyholder"}), contract_hours_min=0,
                          contract_hours_max=2, availability=((Window(0, 48 * 60),),) * 7) for p in people]
    return from_hourly("S", required, MONDAY, employees, opening=SUNDAY_NIGHT, shift_rules=TWO_HOURS)


@pytest.fixture(scope="module")
def roster():
    made = solve_roster(_instance(), RULES)
    assert made.found and len(made.shifts) == 4  # 18-20, 20-22, 22-24, 00+1-02+1: one person each
    return made


def _saved(roster):
    """The roster as the database hands it back: its document, as every roster is saved, read by `saved_roster`."""
    stored = StoredRoster(1, "S", "2026-W50", dt.datetime(2026, 12, 1), "test", "published", None, None, None,
                          roster_document(roster))
    return saved_roster(stored)


def _check_grid(grid: pd.DataFrame, shifts: pd.DataFrame) -> None:
    rows = grid.set_index("employee_id")
    paid = float(shifts["paid_hours"].sum())
    total = rows.loc["", DAYS].astype(float)
    assert total["Sun 13 Dec"] == paid == 8.0 and total.sum() == paid  # the day holds every hour paid
    assert rows.loc["", "hours"] == paid
    week = opening_week(SUNDAY_NIGHT)
    for shift in shifts.itertuples(index=False):
        # the one rule (`opening_labels`) names the opening the shift starts in; the grid files it there
        said = opening_labels(week, int((shift.start - pd.Timestamp(MONDAY)) / pd.Timedelta(minutes=1)))[0]
        assert said.startswith("Sun ")
        assert rows.at[shift.employee_id, "Sun 13 Dec"] == said.removeprefix("Sun ") + "-" + {
            "18:00": "20:00", "20:00": "22:00", "22:00": "24:00", "00:00+1": "02:00+1"}[said.removeprefix("Sun ")]
        assert (rows.loc[shift.employee_id, DAYS[:-1]] == "").all()


def test_the_grid_holds_sundays_shift_after_midnight_under_sunday(roster):
    assert roster.shifts["start"].max() == pd.Timestamp("2026-12-14 00:00")  # next week's Monday by the clock
    _check_grid(roster_grid(roster.shifts, MONDAY, roster.people), roster.shifts)


def test_a_saved_roster_shows_the_same_grid_without_saving_anything_new(roster):
    """The document keeps the shift columns it kept (and the change of the clocks a shift spans, since shifts are paid
    by the store's zone), never the business date: a roster saved before the grid filed by opening reads back the
    same, each shift's opening derived from its assignment."""
    import json

    saved_shift = json.loads(roster_document(roster))["shifts"][0]
    assert set(saved_shift) == {"store_id", "employee_id", "name", "start", "end", "break_start", "paid_hours",
                                "clock_change_hours"}
    saved = _saved(roster)
    _check_grid(roster_grid(saved.shifts, MONDAY, saved.people), saved.shifts)


def test_the_short_grid_writes_plus_one_after_sundays_midnight(roster):
    grid = roster_grid(roster.shifts, MONDAY, roster.people, short=True).set_index("employee_id")
    assert sorted(grid.loc[grid.index != "", "Sun 13 Dec"]) == ["0+1–2+1", "18–20", "20–22", "22–24"]


def test_the_files_write_plus_one_after_the_openings_midnight():
    """Sunday 21:00-01:00 and 00:00+1-02:00+1 in the schedules CSV, the grid CSV and the workbook's sheets."""
    instance = _instance("AB")
    shifts = shift_frame(instance, [Assignment("A", Candidate(SUNDAY, 21 * 60, 4, None, 30)),
                                    Assignment("B", Candidate(SUNDAY, 24 * 60, 2, None, 30))])
    files = roster_files(shifts, MONDAY)
    schedules = pd.read_csv(io.StringIO(files["roster_schedules.csv"]), dtype=str, keep_default_na=False)
    assert schedules[["employee_id", "day", "date", "start", "end"]].values.tolist() == [
        ["A", "Sun 13 Dec", "2026-12-13", "21:00", "01:00+1"], ["B", "Sun 13 Dec", "2026-12-13", "00:00+1", "02:00+1"]]
    grid = pd.read_csv(io.StringIO(files["roster_grid.csv"]), dtype=str, keep_default_na=False)
    assert grid["Sun 13 Dec"].tolist() == ["21:00-01:00+1", "00:00+1-02:00+1"]  # the CSV is data: no total row
    assert TOTAL_ROW not in set(grid["name"])
    book = openpyxl.load_workbook(io.BytesIO(files["roster.xlsx"]))
    sunday = [c.value for c in book["Grid"][2]].index("Sun 13 Dec")  # under the line naming the store and week
    assert [row[sunday].value for row in book["Grid"].iter_rows(min_row=3)] == ["21:00-01:00+1", "00:00+1-02:00+1", 6]
    assert [(row[4].value, row[5].value) for row in book["Schedules"].iter_rows(min_row=2)] == [
        ("21:00", "01:00+1"), ("00:00+1", "02:00+1")]
    assert person_schedule(shifts, "B")["date"].tolist() == ["2026-12-13"]


def _night_person(shifts: pd.DataFrame) -> str:
    """Who works Sunday's 00:00+1-02:00+1 (Monday 14 Dec by the clock)."""
    return str(shifts.loc[shifts["start"] == pd.Timestamp(2026, 12, 14, 0, 0), "employee_id"].iloc[0])


def test_an_absence_on_sunday_hits_sundays_shift_after_midnight_and_mondays_does_not(roster):
    """A person away on a date is away for that date's opening, its hours past midnight included: an absence on
    Sunday 13 Dec did not catch its 00:00+1 shift (clock Monday 14 Dec), and one on Monday the 14th did, though the
    store is not open on that Monday. The roster's model already kept Sunday's absent person off it
    (`RosterInstance.absent` by the shift's opening weekday); re-planning's check of a published roster did not."""
    from planner.roster import Absence
    from planner.rostering.replans import _hit

    saved = _saved(roster)
    night = _night_person(saved.shifts)
    sunday, monday = dt.date(2026, 12, 13), dt.date(2026, 12, 14)
    others = [p for p in saved.shifts["employee_id"] if p != night]
    assert _hit(saved, (Absence(night, sunday, sunday),))
    assert not _hit(saved, (Absence(night, monday, monday),))
    assert not _hit(saved, tuple(Absence(p, monday, monday) for p in others))
    away = solve_roster(_instance().with_changes(absences=(Absence(night, sunday, sunday),)), RULES)
    assert night not in set(away.shifts["employee_id"])  # the model agrees: Sunday's whole opening


def test_a_calendar_event_and_a_withdrawn_shift_are_keyed_by_the_opening_date(roster):
    """A calendar event is its store, person and date, one shift a day: the date of the opening the shift works in,
    so Sunday's 00:00+1 is Sunday 13 Dec's event (a person on Saturday's 00:00+1 and Sunday's 18:00 had two shifts
    of one clock date and one event), and a shift withdrawn from it is matched by that date too."""
    from icalendar import Calendar

    from planner.roster_export import person_ics
    from planner.rostering.shift_diffs import withdrawn_from

    shifts = _saved(roster).shifts
    night = _night_person(shifts)
    (event,) = Calendar.from_ical(person_ics(shifts, night)).walk("VEVENT")
    assert str(event["uid"]) == f"S-{night}-20261213@staffing-planner"
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 14, 0, 0)  # the event keeps its real clock time
    # re-planned: the night person now works Sunday 18:00-20:00 instead, the same opening: nothing is withdrawn
    moved = shifts[shifts["employee_id"] != night].copy()
    evening = shifts[shifts["employee_id"] == night].assign(start=pd.Timestamp(2026, 12, 13, 18),
                                                           end=pd.Timestamp(2026, 12, 13, 20))
    assert withdrawn_from([shifts], pd.concat([moved, evening], ignore_index=True)).empty
    gone = withdrawn_from([shifts], moved)
    assert list(gone["employee_id"]) == [night]
    assert person_ics(moved, night, withdrawn=gone).count(f"S-{night}-20261213@".encode()) == 1


def _day_shift(person: str, start: str, end: str, pause: str | None = None) -> list:
    """A shifts row of store S on Monday 7 Dec 2026 (the clock times "09:00", "17:00", the break "12:00")."""
    at = [pd.Timestamp(f"2026-12-07 {clock}") for clock in (start, end)]
    brk = pd.NaT if pause is None else pd.Timestamp(f"2026-12-07 {pause}")
    paid = (at[1] - at[0]) / pd.Timedelta(hours=1) - (pause is not None) * 0.5
    return ["S", person, f"Person {person}", *at, brk, paid, 0.0]


def test_publishing_over_a_roster_says_a_moved_break_as_a_break_moved_not_a_shift_moved():
    """Publishing over a published roster counted every change of a day's shift "moved", a break at another time as
    well, where a re-plan's change list says "break moved" (and a shift within its hours "shortened"). The kinds are
    set here by hand: A's break an hour later, B's shift an hour later, C's an hour shorter at each end, D's day
    gone, E working a day they had none, F as before."""
    from planner.roster.result import SHIFT_COLUMNS
    from planner.rostering.shift_diffs import changed_shifts
    from planner.surfaces.roster import publish_replaces

    before = pd.DataFrame([_day_shift("A", "09:00", "17:00", "12:00"), _day_shift("B", "09:00", "17:00", "12:00"),
                           _day_shift("C", "09:00", "17:00"), _day_shift("D", "09:00", "17:00"),
                           _day_shift("F", "09:00", "13:00")], columns=SHIFT_COLUMNS)
    after = pd.DataFrame([_day_shift("A", "09:00", "17:00", "13:00"), _day_shift("B", "10:00", "18:00", "13:00"),
                          _day_shift("C", "10:00", "16:00"), _day_shift("E", "09:00", "13:00"),
                          _day_shift("F", "09:00", "13:00")], columns=SHIFT_COLUMNS)
    changes = changed_shifts(7, before, after)
    assert [person for person, _ in changes.people] == ["A", "B", "C", "D", "E"]
    assert dict(changes.shifts) == {"added": 1, "cancelled": 1, "moved": 1, "shortened": 1}
    assert changes.breaks_moved == 1
    said = publish_replaces(changes.replaces, changes.people, changes.shifts, changes.breaks_moved)
    assert said.endswith("(1 shift added, 1 shift cancelled, 1 shift moved, 1 shift shortened, 1 break moved)."), said
    assert changed_shifts(7, before, before).people == ()
