"""Roster exports: the shift CSV, grid, schedules, workbook and calendars say exactly the shifts they were given
(read back with pandas, openpyxl and icalendar), sum hours as a hand count does, and escape formulas."""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd
import pytest

from planner.roster_export import (
    ROSTER_COLUMNS, ROSTER_CSV_COLUMNS, SCHEDULE_COLUMNS, TOTAL_ROW, ics_file_name, person_ics, person_schedule,
    roster_csv, roster_files, roster_grid, roster_grid_csv, roster_grid_text, roster_xlsx, short_changes, short_span,
    write_roster,
)
from planner.roster.result import ADDED, BREAK_MOVED, CANCELLED, MOVED, Change, Replan
from planner.shifts.candidates import Candidate

MONDAY = dt.date(2026, 12, 7)
HOSTILE = "=HYPERLINK(\"http://x\")"


def _shifts() -> pd.DataFrame:
    t = pd.Timestamp
    rows = [
        ("S07", "E1", "Ann", t("2026-12-07 09:00"), t("2026-12-07 17:30"), t("2026-12-07 13:00"), 8.0),
        ("S07", "E2", HOSTILE, t("2026-12-07 10:00"), t("2026-12-07 14:00"), pd.NaT, 4.0),
        ("S07", "E1", "Ann", t("2026-12-11 18:00"), t("2026-12-12 01:30"), t("2026-12-11 21:30"), 7.0),
        ("S07", "E2", HOSTILE, t("2026-12-13 12:00"), t("2026-12-13 18:00"), pd.NaT, 6.0),
    ]
    return pd.DataFrame(rows, columns=ROSTER_COLUMNS)


def test_the_roster_csv_has_one_row_per_shift_with_unambiguous_times():
    text = roster_csv(_shifts())
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(back.columns) == ROSTER_CSV_COLUMNS and len(back) == 4
    assert set(back["clock_change_hours"]) == {"0.0"}  # a frame without the column: paid by the clock
    overnight = back[back["start"] == "2026-12-11 18:00"].iloc[0]
    assert (overnight["end"], overnight["break_start"], overnight["paid_hours"]) == ("2026-12-12 01:30", "2026-12-11 21:30", "7.0")
    assert set(back.loc[back["employee_id"] == "E2", "break_start"]) == {""}
    assert set(back.loc[back["employee_id"] == "E2", "name"]) == {"'" + HOSTILE}  # a spreadsheet shows, never runs it


def test_the_grid_sums_hours_per_person_and_per_day_as_counted_by_hand():
    people = pd.DataFrame({"employee_id": ["E1", "E2", "E3"], "name": ["Ann", HOSTILE, "Cem"]})
    grid = roster_grid(_shifts(), MONDAY, people)
    assert list(grid["employee_id"]) == ["E1", "E2", "E3", ""]
    by_person = grid.set_index("employee_id")
    assert by_person.at["E1", "Mon 7 Dec"] == "09:00-17:30" and by_person.at["E1", "Fri 11 Dec"] == "18:00-01:30+1"
    assert (by_person.at["E1", "hours"], by_person.at["E2", "hours"], by_person.at["E3", "hours"]) == (15.0, 10.0, 0.0)
    total = grid[grid["name"] == TOTAL_ROW].iloc[0]
    assert (total["Mon 7 Dec"], total["Fri 11 Dec"], total["Sat 12 Dec"], total["Sun 13 Dec"], total["hours"]) == \
        (12.0, 7.0, 0.0, 6.0, 25.0)


def test_the_grid_heads_each_day_as_people_read_it_in_the_files_too():
    """Day headers read "Mon 7 Dec" (7 December 2026 is a Monday), not ISO dates or bare weekdays, in the grid CSV
    and the workbook alike; the week runs Monday to Sunday across a month's end."""
    grid = roster_grid(_shifts(), MONDAY)
    assert list(grid.columns) == ["employee_id", "name", "Mon 7 Dec", "Tue 8 Dec", "Wed 9 Dec", "Thu 10 Dec",
                                  "Fri 11 Dec", "Sat 12 Dec", "Sun 13 Dec", "hours"]
    header = roster_grid_csv(grid).splitlines()[0]
    assert header == "employee_id,name,Mon 7 Dec,Tue 8 Dec,Wed 9 Dec,Thu 10 Dec,Fri 11 Dec,Sat 12 Dec,Sun 13 Dec,hours"
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(roster_xlsx(_shifts(), MONDAY)))
    title, header, *_ = book["Grid"].values  # the store and week named over the table
    assert title[0] == "Roster of S07 for 2026-W50, Mon 7 Dec to Sun 13 Dec 2026"  # no store name given: its id
    assert list(header)[2:9] == list(grid.columns[2:9])
    *_, total = book["Grid"].values  # the hours per day are numbers a spreadsheet adds up (they were text)
    day_totals = [grid.iloc[-1][column] for column in grid.columns[2:9]]
    assert total[1] == "hours per day" and list(total[2:10]) == [*day_totals, grid.iloc[-1]["hours"]]
    assert all(isinstance(value, int | float) for value in total[2:10])
    new_year = roster_grid(_shifts().iloc[:0], dt.date(2026, 12, 28))
    assert list(new_year.columns[2:9]) == ["Mon 28 Dec", "Tue 29 Dec", "Wed 30 Dec", "Thu 31 Dec", "Fri 1 Jan",
                                           "Sat 2 Jan", "Sun 3 Jan"]


def test_each_person_s_schedule_lists_their_shifts_in_order():
    ann = person_schedule(_shifts(), "E1")
    assert list(ann.columns) == SCHEDULE_COLUMNS
    assert ann[["day", "date", "start", "end", "break_start"]].values.tolist() == [
        ["Mon 7 Dec", "2026-12-07", "09:00", "17:30", "13:00"],
        ["Fri 11 Dec", "2026-12-11", "18:00", "01:30+1", "21:30"]]  # its end after Friday's midnight
    assert len(person_schedule(_shifts())) == 4


def test_the_workbook_holds_the_same_figures_and_names_as_written_never_formulas():
    """openpyxl stores a str starting with "=" as a formula unless told it is a string: the workbook's names are
    string cells holding the name as written (no quote: a string cell is never run), and no cell is a formula."""
    openpyxl = pytest.importorskip("openpyxl")
    hours = pd.DataFrame({"start": [pd.Timestamp("2026-12-07 09:00")], "required_staff_hours": [1.0],
                          "scheduled_staff_hours": [1.0], "uncovered_staff_hours": [0.0], "keyholder": [True]})
    names = {"E1": "=SUM(1)", "E2": HOSTILE}
    shifts = _shifts().assign(name=lambda frame: frame["employee_id"].map(names))
    people = pd.DataFrame({"employee_id": ["E1", "E2", "E3"], "name": ["=SUM(1)", HOSTILE, "@Mention"],
                           "note": ["+1-2 Plus", "-x", "=1+1"]})
    book = openpyxl.load_workbook(io.BytesIO(roster_xlsx(shifts, MONDAY, people=people, hours=hours)))
    assert book.sheetnames == ["Grid", "Shifts", "Schedules", "People", "Hours"]
    rows = list(book["Shifts"].values)
    assert rows[0] == tuple(ROSTER_CSV_COLUMNS) and len(rows) == 5
    paid = ROSTER_CSV_COLUMNS.index("paid_hours")
    assert sum(row[paid] for row in rows[1:]) == 25.0
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    for sheet in ("Grid", "Shifts", "Schedules", "People"):
        column = next(cell.column_letter for cell in book[sheet][2 if sheet == "Grid" else 1] if cell.value == "name")
        name_cells = [cell for cell in book[sheet][column] if cell.value == "=SUM(1)"]
        assert name_cells and all(cell.data_type == "s" for cell in name_cells), sheet
    written = {cell.value for cell in cells if cell.data_type == "s"}
    assert {"=SUM(1)", HOSTILE, "@Mention", "+1-2 Plus", "-x", "=1+1"} <= written
    assert not [value for value in written if str(value).startswith("'")]


def test_a_person_s_calendar_has_an_event_per_shift_at_its_clock_times():
    from icalendar import Calendar

    calendar = Calendar.from_ical(person_ics(_shifts(), "E1", {"S07": "Cologne Ring"}))
    events = [c for c in calendar.walk("VEVENT")]
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [
        (dt.datetime(2026, 12, 7, 9, 0), dt.datetime(2026, 12, 7, 17, 30)),
        (dt.datetime(2026, 12, 11, 18, 0), dt.datetime(2026, 12, 12, 1, 30))]
    assert str(events[0]["summary"]) == "Shift at Cologne Ring" and "break from 13:00" in str(events[0]["description"])
    first = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    assert person_ics(_shifts(), "E1", revised=first) == person_ics(_shifts(), "E1", revised=first)
    # the calendar's name is text, escaped as the events' are: a ';' or a typed '\n' reached the phone as written
    named = _shifts().assign(name='Zoë; =HYPERLINK("x";"y") \\n ok')
    raw = person_ics(named, "E1")
    assert b'X-WR-CALNAME:Shifts of Zo\xc3\xab\\; =HYPERLINK("x"\\;"y") \\\\n ok' in raw.replace(b"\r\n ", b"")


def test_a_later_export_of_a_changed_roster_updates_each_day_s_event():
    """Calendars match an imported event by UID and take it when its SEQUENCE (then DTSTAMP) is higher: a shift
    moved within its day keeps its UID, and a later export carries a higher sequence and its own stamp (every
    export had the same fixed stamp and no sequence before, so a re-published roster read as no newer)."""
    from icalendar import Calendar

    def events(shifts, revised):
        found = Calendar.from_ical(person_ics(shifts, "E1", revised=revised)).walk("VEVENT")
        return {str(e["uid"]): (e.decoded("dtstart"), int(e["sequence"]), e.decoded("dtstamp")) for e in found}

    published = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    replanned = published + dt.timedelta(days=2, minutes=5)
    moved = _shifts()
    first_of_e1 = moved[moved["employee_id"] == "E1"].index[0]
    moved.loc[first_of_e1, ["start", "end"]] += pd.Timedelta(hours=2)
    before, after = events(_shifts(), published), events(moved, replanned)
    assert before.keys() == after.keys() and len(before) == 2  # the same events, one per day
    monday = next(uid for uid in before if before[uid][0].day == 7)
    assert after[monday][0] - before[monday][0] == dt.timedelta(hours=2)
    assert all(after[uid][1] - before[uid][1] == (2 * 24 * 60 + 5) * 60 for uid in before)  # later: a higher one
    assert {stamp for _, _, stamp in after.values()} == {replanned}
    # two exports within a minute (a roster published, then re-planned at once) carried the same sequence
    again = events(moved, replanned + dt.timedelta(seconds=20))
    assert all(again[uid][1] > after[uid][1] for uid in after)


def test_a_withdrawn_shift_is_sent_as_the_same_event_cancelled_and_its_person_still_gets_a_file():
    """A shift an earlier export sent and the new roster drops stayed in the calendar: now the new export carries
    the same event (its UID) marked CANCELLED, with a higher sequence, and someone left with no shift at all still
    gets a file of cancellations."""
    from icalendar import Calendar

    def events(ics: bytes) -> dict[str, tuple[str, int]]:
        return {str(e["uid"]): (str(e.get("status", "")), int(e["sequence"]))
                for e in Calendar.from_ical(ics).walk("VEVENT")}

    published = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    first = events(person_ics(_shifts(), "E1", revised=published))
    shifts = _shifts()
    friday = (shifts["employee_id"] == "E1") & (shifts["start"].dt.day == 11)
    gone = shifts[friday | (shifts["employee_id"] == "E2")]
    kept = shifts[~(friday | (shifts["employee_id"] == "E2"))]
    later = published + dt.timedelta(hours=3)
    second = events(person_ics(kept, "E1", revised=later, withdrawn=gone))
    assert second.keys() == first.keys()  # the same two events: Monday's kept, Friday's cancelled
    assert sorted(status for status, _ in second.values()) == ["CANCELLED", "CONFIRMED"]
    assert all(second[uid][1] > first[uid][1] for uid in first)
    files = roster_files(kept, MONDAY, withdrawn=gone)
    e2 = Calendar.from_ical(files["shifts_E2.ics"]).walk("VEVENT")
    assert [str(e["status"]) for e in e2] == ["CANCELLED", "CANCELLED"] and "no longer on" in str(e2[0]["description"])


def test_the_grid_says_a_day_away_and_tells_people_of_one_name_apart():
    """A day away read like a day off (an empty cell), and two people named Ann read alike on the page's grid."""
    from planner.roster_export import person_labels

    people = pd.DataFrame({"employee_id": ["E1", "E2", "E3"], "name": ["Ann", HOSTILE, "Ann"]})
    away = {("E3", MONDAY): "sick", ("E3", MONDAY + dt.timedelta(days=1)): "", ("E1", MONDAY): "leave"}
    grid = roster_grid(_shifts(), MONDAY, people, away).set_index("employee_id")
    assert grid.at["E3", "Mon 7 Dec"] == "away (sick)" and grid.at["E3", "Tue 8 Dec"] == "away"
    assert grid.at["E1", "Mon 7 Dec"] == "09:00-17:30"  # a shift that day is shown, not the absence
    assert person_labels(people["name"], people["employee_id"]) == ["Ann (E1)", HOSTILE, "Ann (E3)"]


DAY_CHARS = len("away (AL)")
"""What a day of the page's grid (68 px at 1024 px) shows whole: "away (AL)" is 56 px of the 60 its text has;
"away (sick)", 64 px, read "away (sick"."""


def test_the_short_grid_writes_a_days_reason_as_a_code_that_its_key_says_in_full():
    """At 1024 px the page's grid cut "away (annual leave)" to "away (annu": a planner could not tell leave from
    sickness. The short grid (the page's) writes the reason's code and `away_key` says each in full; the grid files
    keep the reason."""
    from planner.away_codes import away_key

    people = pd.DataFrame({"employee_id": ["E3", "E4", "E5"], "name": ["Cem", "Dora", "Eli"]})
    tuesday, wednesday = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)
    away = {("E3", MONDAY): "sick", ("E3", tuesday): "Sick ", ("E4", MONDAY): "annual leave",
            ("E4", tuesday): "training", ("E5", MONDAY): "sick leave", ("E5", tuesday): "", ("E5", wednesday): "study"}
    grid = roster_grid(_shifts(), MONDAY, people, away, short=True).set_index("employee_id")
    cells = {(person, day): grid.at[person, day] for person in people["employee_id"]
             for day in ("Mon 7 Dec", "Tue 8 Dec", "Wed 9 Dec")}
    assert cells == {("E3", "Mon 7 Dec"): "away (S)", ("E3", "Tue 8 Dec"): "away (S)", ("E3", "Wed 9 Dec"): "",
                     ("E4", "Mon 7 Dec"): "away (A)", ("E4", "Tue 8 Dec"): "away (T)", ("E4", "Wed 9 Dec"): "",
                     ("E5", "Mon 7 Dec"): "away (SL)", ("E5", "Tue 8 Dec"): "away", ("E5", "Wed 9 Dec"): "away (ST)"}
    assert max(len(cell) for cell in cells.values()) <= DAY_CHARS
    assert away_key(away.values()) == [("A", "annual leave"), ("S", "sick"), ("SL", "sick leave"), ("ST", "study"),
                                       ("T", "training")]
    whole = roster_grid(_shifts(), MONDAY, people, away).set_index("employee_id")  # the files' grid
    assert (whole.at["E4", "Mon 7 Dec"], whole.at["E5", "Mon 7 Dec"]) == ("away (annual leave)", "away (sick leave)")


def test_reasons_that_begin_alike_get_codes_of_their_own_in_any_order():
    from planner.away_codes import away_codes

    reasons = ["sick", "s", "S!", "sabbatical", "sabbatical leave", "school run", "SICK", "2nd job", "Überstunden"]
    codes = away_codes(reasons)
    assert codes["s"] == "S" and codes["sick"] == codes["SICK"] == "SI" and codes["school run"] == "SR"
    assert codes["2nd job"] == "2" and codes["Überstunden"] == "Ü"
    by_reason = {reason.casefold(): code for reason, code in codes.items()}
    assert len(set(by_reason.values())) == len(by_reason)  # one code per reason, none shared
    assert away_codes(reversed(reasons)) == codes
    assert all(len(code) <= 2 for code in codes.values())
    assert all(code == code.upper() for code in codes.values())  # "Sl" beside "SL" misread in a narrow cell
    slack = away_codes(["slack", "sick leave"])
    assert slack["slack"] != slack["sick leave"] and all(code.isupper() for code in slack.values())


def test_grids_shown_side_by_side_give_one_reason_one_code():
    """The re-plan's two tabs (after the re-plan, as published) each made their codes from their own reasons: a
    re-plan adding a sabbatical wrote a sick day "away (SI)" after and "away (S)" as published, and "S" meant the
    sabbatical after. Codes made from both tabs' reasons keep sick one code on both, its key the same."""
    from planner.away_codes import away_codes, away_key

    people = pd.DataFrame({"employee_id": ["E3", "E4"], "name": ["Cem", "Dora"]})
    published = {("E3", MONDAY): "sick"}
    replanned = {("E3", MONDAY): "sick", ("E4", MONDAY + dt.timedelta(days=1)): "sabbatical"}
    codes = away_codes([*published.values(), *replanned.values()])
    before = roster_grid(_shifts(), MONDAY, people, published, short=True, codes=codes).set_index("employee_id")
    after = roster_grid(_shifts(), MONDAY, people, replanned, short=True, codes=codes).set_index("employee_id")
    assert before.at["E3", "Mon 7 Dec"] == after.at["E3", "Mon 7 Dec"] == f"away ({codes['sick']})"
    assert after.at["E4", "Tue 8 Dec"] == f"away ({codes['sabbatical']})" != before.at["E3", "Mon 7 Dec"]
    assert away_key(published.values(), codes) == [(codes["sick"], "sick")]
    assert dict(away_key(replanned.values(), codes)) == {codes["sick"]: "sick", codes["sabbatical"]: "sabbatical"}
    alone = roster_grid(_shifts(), MONDAY, people, published, short=True).set_index("employee_id")
    assert alone.at["E3", "Mon 7 Dec"] == "away (S)"  # a grid alone: its own reasons' codes


def test_every_file_is_written_and_ids_cannot_escape_the_folder(tmp_path):
    shifts = _shifts()
    shifts.loc[shifts["employee_id"] == "E2", "employee_id"] = "../E2"
    names = sorted(path.name for path in write_roster(shifts, MONDAY, tmp_path / "out"))
    assert names == sorted(["roster.csv", "roster_grid.csv", "roster_schedules.csv", "roster.xlsx",
                            "shifts_E1.ics", ics_file_name("../E2")])
    assert "/" not in ics_file_name("../E2") and all(p.parent == tmp_path / "out" for p in (tmp_path / "out").iterdir())


def test_ids_a_file_name_cannot_hold_apart_get_a_calendar_each(tmp_path):
    """'K.1' and 'K_1' both became shifts_K_1.ics, so one person's calendar was written over the other's."""
    shifts = _shifts()
    shifts["employee_id"] = shifts["employee_id"].map({"E1": "K.1", "E2": "K_1"})
    written = [path for path in write_roster(shifts, MONDAY, tmp_path / "out") if path.suffix == ".ics"]
    assert len(written) == 2 and ics_file_name("K_1") == "shifts_K_1.ics"  # an id a file name holds stays as it is
    from icalendar import Calendar

    owners = {str(next(iter(Calendar.from_ical(path.read_bytes()).walk("VEVENT")))["uid"]).split("-")[1]
              for path in written}
    assert owners == {"K.1", "K_1"}


def test_people_of_the_same_name_are_told_apart_in_the_terminal_grid():
    shifts = _shifts()
    shifts["name"] = "Ann"  # two people called Ann: their lines read alike
    text = roster_grid_text(roster_grid(shifts, MONDAY))
    names = [line[:16].strip() for line in text.splitlines()[1:]]
    assert names == ["Ann (E1)", "Ann (E2)", TOTAL_ROW]
    shifts["employee_id"] = shifts["employee_id"].map({"E1": "STORE08-EMPLOYEE-0001", "E2": "STORE08-EMPLOYEE-0002"})
    shifts["name"] = "Sam Lee"  # long ids: both read "S (STORE08-EMPLO" before
    lines = roster_grid_text(roster_grid(shifts, MONDAY)).splitlines()[1:3]
    assert [line.split(")")[0] + ")" for line in lines] == ["Sam Lee (STORE08-EMPLOYEE-0001)",
                                                            "Sam Lee (STORE08-EMPLOYEE-0002)"]
    assert [line[:16].strip() for line in roster_grid_text(roster_grid(_shifts(), MONDAY)).splitlines()[1:2]] == ["Ann"]


def test_an_id_spelled_like_another_ids_file_name_and_a_long_id_get_files_of_their_own(tmp_path):
    """'K 1' became 'shifts_K_1-87eadfd3.ics', the very name of the id 'K_1-87eadfd3', so one calendar was lost; an id
    of 64 four-byte letters made a name too long for the file system, so nothing was written."""
    shifts = _shifts()
    shifts["employee_id"] = shifts["employee_id"].map({"E1": "K 1", "E2": ics_file_name("K 1")[7:-4]})
    written = [path for path in write_roster(shifts, MONDAY, tmp_path / "a") if path.suffix == ".ics"]
    assert len(written) == 2
    shifts["employee_id"] = shifts["employee_id"].map({"K 1": "\U0001d400" * 64, ics_file_name("K 1")[7:-4]: "E2"})
    written = [path for path in write_roster(shifts, MONDAY, tmp_path / "b") if path.suffix == ".ics"]
    assert len(written) == 2 and all(len(path.name.encode()) < 255 for path in written)


def test_a_shift_starting_after_midnight_of_an_evening_opening_keeps_its_real_times():
    """A shift of Saturday's 07:00-05:00 opening from 00:00+1 to 05:00+1 (weekday Saturday, minutes 1,440-1,740, as
    the shift optimiser and a plan file it) is worked on Sunday 13 Dec 00:00-05:00 by the clock: the roster CSV and
    the person's calendar say so; the schedule files it under Saturday's opening as "00:00+1-05:00+1", as its label
    and the grid do."""
    from types import SimpleNamespace

    from icalendar import Calendar

    from planner.roster import Assignment
    from planner.roster.report import shift_frame
    from planner.shifts.candidates import Candidate

    ann = SimpleNamespace(employee_id="E1", name="Ann")
    instance = SimpleNamespace(store_id="S03", week_start=MONDAY, employee=lambda employee_id: ann,
                               paid_hours=lambda shift: shift.paid_hours, clock_change_hours=lambda shift: 0.0)
    night = Assignment("E1", Candidate(weekday=5, start_minute=1440, length_hours=5, break_start_minute=None,
                                       break_minutes=30))
    shifts = shift_frame(instance, [night])
    back = pd.read_csv(io.StringIO(roster_csv(shifts)), dtype=str, keep_default_na=False)
    assert back[["start", "end", "paid_hours"]].values.tolist() == [["2026-12-13 00:00", "2026-12-13 05:00", "5.0"]]
    assert person_schedule(shifts, "E1")[["day", "date", "start", "end"]].values.tolist() == [
        ["Sat 12 Dec", "2026-12-12", "00:00+1", "05:00+1"]]
    (event,) = Calendar.from_ical(person_ics(shifts, "E1")).walk("VEVENT")
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (dt.datetime(2026, 12, 13, 0, 0),
                                                                  dt.datetime(2026, 12, 13, 5, 0))


def test_the_workbook_writes_hours_to_two_decimals_as_numbers():
    """The People sheet wrote a fair share of 7.707692307692309 h; hours now read as the CSVs write them."""
    openpyxl = pytest.importorskip("openpyxl")
    people = pd.DataFrame({"employee_id": ["E1"], "name": ["Ann"], "shifts": [3], "paid_hours": [7.5],
                           "fair_share_hours": [100.2 / 13], "below_contract_min_hours": [1 / 3]})
    hours = pd.DataFrame({"start": [pd.Timestamp("2026-12-07 09:00")], "required_staff_hours": [2 / 3],
                          "scheduled_staff_hours": [1.0], "uncovered_staff_hours": [0.0], "keyholder": [True]})
    book = openpyxl.load_workbook(io.BytesIO(roster_xlsx(_shifts(), MONDAY, people=people, hours=hours)))
    header, row = list(book["People"].values)
    written = dict(zip(header, row, strict=True))
    assert written["fair_share_hours"] == 7.71 and written["below_contract_min_hours"] == 0.33
    assert written["paid_hours"] == 7.5 and written["shifts"] == 3 and isinstance(written["fair_share_hours"], float)
    header, row = list(book["Hours"].values)
    assert dict(zip(header, row, strict=True))["required_staff_hours"] == 0.67
    for name, text in roster_files(_shifts(), MONDAY, people=people, hours=hours).items():  # the CSVs likewise
        if name.endswith(".csv"):
            assert not re.search(r"\d\.\d{3,}", text), name


def test_a_short_span_writes_the_hour_alone_on_the_hour():
    """The Roster page's grid writes shifts short ("10–14") so that a week fits 1024 px; minutes stay where there are
    any, an end past midnight reads as its clock hour with "+1", as the full times do, and one at midnight "24"."""
    day = dt.datetime(2026, 12, 7)
    assert short_span(day.replace(hour=10), day.replace(hour=14)) == "10–14"
    assert short_span(day.replace(hour=9), day.replace(hour=17, minute=30)) == "9–17:30"
    assert short_span(day.replace(hour=18, minute=15), day + dt.timedelta(days=1, hours=1)) == "18:15–1+1"
    assert short_span(day.replace(hour=20), day + dt.timedelta(days=1)) == "20–24"


def test_a_calendar_event_says_its_shift_as_the_roster_grid_does():
    """A shift ending at its opening's midnight read "17:00-00:00" in its event's description, as if it ended
    where it began, while the grid said "17:00-24:00": the description now says the grid's cell under the grid's
    day heading ("Sat 12 Dec 17:00-24:00"), so "+1" after midnight counts from a day the text names, whatever date
    the calendar files the event under. The event's start and end stay real datetimes."""
    from icalendar import Calendar

    t = pd.Timestamp
    shifts = pd.DataFrame([
        ("S07", "E1", "Ann", t("2026-12-12 17:00"), t("2026-12-13 00:00"), t("2026-12-12 20:30"), 6.5),
        ("S07", "E2", "Bo", t("2026-12-11 23:00"), t("2026-12-12 01:00"), t("2026-12-12 00:00"), 2.0),
    ], columns=ROSTER_COLUMNS)
    grid = roster_grid(shifts, MONDAY).set_index("employee_id")
    for employee, day, text in [("E1", "Sat 12 Dec", "17:00-24:00"), ("E2", "Fri 11 Dec", "23:00-01:00+1")]:
        assert grid.at[employee, day] == text
        (event,) = Calendar.from_ical(person_ics(shifts, employee)).walk("VEVENT")
        assert f"{day} {text}," in str(event["description"]), str(event["description"])
        assert isinstance(event.decoded("dtend"), dt.datetime)
    (event,) = Calendar.from_ical(person_ics(shifts, "E2")).walk("VEVENT")
    assert "break from 00:00+1" in str(event["description"])
    assert event.decoded("dtend") == dt.datetime(2026, 12, 12, 1, 0)
    (cancelled,) = Calendar.from_ical(person_ics(shifts.iloc[:0], "E1", withdrawn=shifts)).walk("VEVENT")
    assert "the shift Sat 12 Dec 17:00-24:00 is no longer" in str(cancelled["description"])


def test_calendar_times_are_the_store_s_clock_times_without_a_time_zone_where_none_is_set_as_the_readme_says():
    """Where neither the store file nor the settings name a time zone (the defaults, the sample's store file), a
    shift's event is written at the store's clock time with none (floating: 09:00 shows as 09:00 on a phone
    anywhere), not in UTC nor with a zone guessed from the machine; the README says so of that case."""
    from conftest import DATA, ROOT
    from planner.io import read_table, validate_stores
    from planner.settings import Settings
    from planner.targets import resolve_time_zones

    stores = validate_stores(read_table((DATA / "stores.csv").read_bytes(), "stores.csv")).frame
    zones = resolve_time_zones(stores, Settings())
    assert set(zones.values()) == {None} and "S07" in zones  # no zone to write
    raw = person_ics(_shifts(), "E1", time_zones=zones).decode()
    starts = [line for line in raw.splitlines() if line.startswith(("DTSTART", "DTEND"))]
    assert starts and all(re.fullmatch(r"DT(START|END):\d{8}T\d{6}", line) for line in starts), starts
    assert "VTIMEZONE" not in raw
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    said = re.search(r"`shifts_<employee_id>\.ics` \(an event per shift at (.*?) the break in its description",
                     readme)
    assert said and said.group(1).startswith("the store's local clock time"), said
    assert "with no zone set, the times are floating" in said.group(1), said


def test_a_replan_s_changes_are_written_short_as_the_grid_writes_shifts():
    """The page's changes needed 868 px of 674 at 1024 px with "10:00-17:00 break 12:30" in Before and After: each
    shift is written as the narrow grid writes it, and a moved break (the hours the same) by its time, both as a
    break is written elsewhere ("break 12:30" to "break 13" wrote the one clock two ways)."""
    day = MONDAY + dt.timedelta(days=4)
    shift = lambda start, hours, pause: Candidate(4, start, hours, pause, 30)  # noqa: E731 (minutes after Friday 00:00)
    changes = (
        Change("E1", "Ann", day, CANCELLED, "10:00-16:00", "", 0.0, True, was=shift(600, 6, None)),
        Change("E2", "Ben", day, MOVED, "09:00-17:00 break 13:00", "09:30-17:30 break 13:30", 1.0, True,
               was=shift(540, 8, 780), now=shift(570, 8, 810)),
        Change("E3", "Cleo", day, BREAK_MOVED, "10:00-17:00 break 12:30", "10:00-17:00 break 13:00", 0.0, True,
               was=shift(600, 7, 750), now=shift(600, 7, 780)),
        Change("E4", "Dan", day, ADDED, "", "22:00-02:00+1", 1.0, True, now=shift(1320, 4, None)),
    )
    shown = short_changes(Replan(roster=None, changes=changes, today=MONDAY))
    assert list(shown["before"]) == ["10–16", "9–17", "break 12:30", ""]
    # a break's time as the grid and the schedules write it, before and after alike ("break 13" beside "12:30")
    assert list(shown["after"]) == ["", "9:30–17:30", "break 13:00", "22–2+1"]
    assert list(shown["kind"]) == [CANCELLED, MOVED, BREAK_MOVED, ADDED]  # the rest as `changes_frame` has it


def test_the_workbook_title_names_a_store_whole_as_its_files_keep_it():
    """Pages cut a very long store id and isolate a right-to-left name to fit a picker; a file keeps both whole (the
    label's own promise), so the workbook's title names the store as the store file does."""
    from planner.roster_export import roster_title

    long_id = "S01-BERLIN-MITTE-FLAGSHIP-ALEXANDERPLATZ-0000001"
    shifts = pd.DataFrame({"store_id": [long_id, "S02"]})
    rtl = "חנות תל אביב הגדולה במרכז העיר ליד התחנה"
    title = roster_title(shifts, dt.date(2026, 12, 7), {long_id: "Berlin", "S02": rtl})
    assert title == (f"Roster of {long_id} – Berlin, S02 – {rtl} for 2026-W50, "
                     "Mon 7 Dec to Sun 13 Dec 2026"), title
