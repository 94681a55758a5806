"""A store file whose opening on one weekday runs past midnight into the next weekday's opening is refused, naming
the store, both days and the fix: the hours two openings share would otherwise be filed under one of them and
vanish from the other (Saturday 18:00-06:00 with Sunday 00:00-24:00 planned as 6 hours of Saturday)."""

from __future__ import annotations

import pytest

from planner.calendar import business_days
from planner.cli import main
from planner.intake import check_files
from planner.io import read_table, validate_stores
from planner.settings import ImportRules
from planner.storage import connect, load_stores

HEADER = "store_id,name,region,format,mon,tue,wed,thu,fri,sat,sun,wage_per_hour,min_staff,max_staff\n"
WEEKDAY = "07:00-22:00"


def _store_file(sat: str, sun: str, mon: str = WEEKDAY) -> bytes:
    return (HEADER + "S01,Day,North,clothing,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,"
            "09:00-20:00,closed,15.2,1,4\n"
            + f"S20,Night Owl,North,convenience,{mon},{WEEKDAY},{WEEKDAY},{WEEKDAY},{WEEKDAY},{sat},{sun},15.2,1,4\n"
            ).encode()


def _errors(content: bytes):
    return validate_stores(read_table(content, "stores.csv")).errors


def test_saturday_running_into_a_sunday_open_from_midnight_is_refused_naming_both_days_and_the_fix():
    (problem,) = _errors(_store_file(sat="18:00-06:00", sun="00:00-24:00"))
    assert (problem.file, problem.row, problem.column) == ("stores.csv", 3, "sat")
    assert problem.message.startswith("S20: ")
    assert "Saturday's opening (sat 18:00-06:00) runs to 06:00 on Sunday" in problem.message
    assert "Sunday opens at 00:00 (sun 00:00-24:00)" in problem.message
    assert "overlap by 6 hours" in problem.message
    assert problem.fix == "End Saturday at 24:00 or open Sunday at 06:00."


def test_the_command_line_refuses_the_file_and_imports_nothing(tmp_path, capsys):
    stores = tmp_path / "stores.csv"
    stores.write_bytes(_store_file(sat="18:00-06:00", sun="00:00-24:00"))
    counts = tmp_path / "counts.csv"
    counts.write_text("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\n"
                      "S20,2026-11-07,19,30,10,10,60.0,5.0\n")
    database = f"sqlite:///{tmp_path / 'planner.db'}"
    assert main(["--database-url", database, "validate", "--stores", str(stores), str(counts)]) != 0
    said = capsys.readouterr()
    assert "stores.csv:3: sat: S20: Saturday's opening" in said.out + said.err
    assert main(["--database-url", database, "import", "--stores", str(stores), str(counts)]) != 0
    assert load_stores(connect(url=database)).empty


def test_sundays_opening_runs_into_mondays_round_the_week():
    (problem,) = _errors(_store_file(sat="18:00-24:00", sun="20:00-04:00", mon="03:00-22:00"))
    assert (problem.row, problem.column) == (3, "sun")
    assert "Sunday's opening (sun 20:00-04:00) runs to 04:00 on Monday" in problem.message
    assert "Monday opens at 03:00 (mon 03:00-22:00)" in problem.message
    assert "overlap by 1 hour" in problem.message
    assert problem.fix == "End Sunday at 03:00 or open Monday at 04:00."


def test_an_opening_that_lies_within_the_evening_befores_is_told_to_close():
    (problem,) = _errors(_store_file(sat="18:00-06:00", sun="01:00-05:30"))
    assert "overlap by 4.5 hours" in problem.message
    assert problem.fix == "End Saturday at 01:00 or make Sunday closed."


def test_an_overlap_of_part_of_an_hour_is_said_in_minutes():
    (problem,) = _errors(_store_file(sat="18:00-00:20", sun="00:00-24:00"))
    assert "overlap by 20 minutes" in problem.message
    assert problem.fix == "End Saturday at 24:00 or open Sunday at 00:20."


@pytest.mark.parametrize(("sat", "sun", "mon"), [
    ("18:00-06:00", "06:00-24:00", WEEKDAY),  # Saturday's night ends as Sunday opens
    ("18:00-24:00", "20:00-04:00", "04:00-22:00"),  # round the week: Sunday's night ends as Monday opens
    ("18:00-06:00", "closed", WEEKDAY),
])
def test_openings_that_touch_at_a_time_are_accepted(sat, sun, mon):
    result = validate_stores(read_table(_store_file(sat=sat, sun=sun, mon=mon), "stores.csv"))
    assert result.ok, result.errors
    if sat == "18:00-06:00":  # Sunday's clock hours 0-5 stay Saturday's, all 6 of them
        days = business_days(result.frame)["S20"]
        assert days[6, :6].tolist() == [5] * 6


CALENDAR_HEADER = "store_id,date,closed,hours,opens,closes,demand_factor,note\n"


def _calendar_errors(rows: str, sat: str = "18:00-24:00", sun: str = "00:00-24:00"):
    """The errors of a calendar file checked with a store file in the same batch (Saturday 12 December 2026 is in
    ISO week 2026-W50)."""
    files = [("stores.csv", _store_file(sat=sat, sun=sun)), ("calendar.csv", (CALENDAR_HEADER + rows).encode())]
    stores, calendar = check_files(files, known_stores=None, rules=ImportRules())
    assert not stores.problems
    return [p for p in calendar.problems if p.severity == "error"]


def test_a_calendar_date_running_into_the_next_dates_usual_opening_is_refused():
    (problem,) = _calendar_errors("S20,2026-12-12,,18:00-06:00,,,,late night\n")
    assert (problem.file, problem.row, problem.column) == ("calendar.csv", 2, "hours")
    assert problem.message == (
        "S20: Saturday 2026-12-12's opening (18:00-06:00 on row 2) runs to 06:00 on Sunday 2026-12-13, but Sunday "
        "2026-12-13 opens at 00:00 (its usual sun 00:00-24:00): the two overlap by 6 hours")
    assert problem.fix == "End Saturday 2026-12-12 at 24:00 or open Sunday 2026-12-13 at 06:00."


def test_a_calendar_date_the_usual_evening_before_runs_into_is_refused_and_a_chain_row_is_checked_per_store():
    (problem,) = _calendar_errors(",2026-12-13,,,00:00,24:00,,\n", sat="18:00-06:00", sun="06:00-24:00")  # S01's Saturday ends at 20:00
    assert (problem.row, problem.column) == (2, "opens")
    assert problem.message.startswith("S20: Saturday 2026-12-12's opening (its usual sat 18:00-06:00) runs to "
                                      "06:00 on Sunday 2026-12-13, but Sunday 2026-12-13 opens at 00:00")


@pytest.mark.parametrize("rows", [
    "S20,2026-12-12,,18:00-06:00,,,,\nS20,2026-12-13,,06:00-24:00,,,,\n",  # the next date opens as the night ends
    "S20,2026-12-12,,18:00-06:00,,,,\nS20,2026-12-13,yes,,,,,\n",  # the next date closed
])
def test_calendar_dates_that_touch_are_accepted(rows):
    assert _calendar_errors(rows) == []


@pytest.mark.parametrize(("stores_at_night", "more"), [(4, "and 2 more errors in this column"),
                                                      (3, "and 1 more error in this column")])  # "1 more errors"
def test_a_chain_row_overlapping_at_many_stores_lists_as_many_as_the_rules_allow_and_counts_the_rest(
        stores_at_night, more):
    night = "07:00-22:00,07:00-22:00,07:00-22:00,07:00-22:00,07:00-22:00,18:00-06:00,06:00-24:00,15.2,1,4"
    stores = HEADER + "".join(f"S{n:02d},Night {n},North,convenience,{night}\n" for n in range(1, stores_at_night + 1))
    calendar = CALENDAR_HEADER + ",2026-12-13,,00:00-24:00,,,,\n"
    files = [("stores.csv", stores.encode()), ("calendar.csv", calendar.encode())]
    _, checked = check_files(files, known_stores=None, rules=ImportRules(max_problems_per_column=2))
    assert [p.message[:4] for p in checked.problems] == ["S01:", "S02:", "and "]
    assert checked.problems[-1].message == more and checked.frame.empty


def _stored_calendar_store_file_errors(tmp_path, calendar_rows: str, sat: str, sun: str,
                                       batch_calendar: str | None = None):
    """The errors of importing a store file with S20's `sat` and `sun` (stores.csv, S20 on row 3) into a database
    that holds S20 with Saturday 10:00-20:00 and Sunday 06:00-24:00 and a calendar of `calendar_rows`, stored when
    they overlapped nothing; with `batch_calendar`, a calendar file imported with the store file. Nothing is stored
    on an error: the stores stay as they were."""
    from planner.errors import InputRejected
    from planner.intake import import_files

    engine = connect(url=f"sqlite:///{tmp_path / 'planner.db'}")
    rules = ImportRules()
    import_files(engine, [("first.csv", _store_file(sat="10:00-20:00", sun="06:00-24:00"))], rules)
    import_files(engine, [("calendar.csv", (CALENDAR_HEADER + calendar_rows).encode())], rules)
    files = [("stores.csv", _store_file(sat=sat, sun=sun))]
    if batch_calendar is not None:
        files.append(("changes.csv", (CALENDAR_HEADER + batch_calendar).encode()))
    try:
        import_files(engine, files, rules)
    except InputRejected as rejected:
        assert load_stores(engine).set_index("store_id").at["S20", "sun"] == "06:00-24:00"
        return [p for p in rejected.problems if p.severity == "error"]
    return []


def test_a_store_file_whose_usual_hours_a_stored_calendar_date_runs_into_is_refused(tmp_path):
    (problem,) = _stored_calendar_store_file_errors(tmp_path, "S20,2026-12-12,,18:00-06:00,,,,late night\n",
                                                   sat="10:00-20:00", sun="00:00-24:00")
    assert (problem.file, problem.row, problem.column) == ("stores.csv", 3, "sun")
    assert problem.message == (
        "S20: Saturday 2026-12-12's opening (18:00-06:00 in the stored calendar) runs to 06:00 on Sunday 2026-12-13, "
        "but Sunday 2026-12-13 opens at 00:00 (sun 00:00-24:00 in this file): the two overlap by 6 hours")
    assert problem.fix == ("End Saturday 2026-12-12 at 24:00 or open Sunday 2026-12-13 at 06:00: correct sun in "
                           "this file, or import a store calendar whose row for 2026-12-12 replaces the stored one.")


def test_a_store_file_whose_usual_evening_runs_into_a_stored_chain_wide_date_is_refused(tmp_path):
    (problem,) = _stored_calendar_store_file_errors(tmp_path, ",2026-12-13,,00:00-24:00,,,,open all day\n",
                                                   sat="18:00-06:00", sun="06:00-24:00")
    assert (problem.row, problem.column) == (3, "sat")  # S01's Saturday ends at 20:00
    assert problem.message == (
        "S20: Saturday 2026-12-12's opening (sat 18:00-06:00 in this file) runs to 06:00 on Sunday 2026-12-13, but "
        "Sunday 2026-12-13 opens at 00:00 (00:00-24:00 in the stored calendar, for every store): the two overlap by "
        "6 hours")
    assert problem.fix.endswith("correct sat in this file, or import a store calendar whose row for 2026-12-13 "
                                "replaces the stored one.")


def test_a_stored_calendar_date_the_batchs_calendar_replaces_is_read_as_replaced(tmp_path):
    stored = "S20,2026-12-12,,18:00-06:00,,,,\n"
    assert _stored_calendar_store_file_errors(tmp_path, stored, sat="10:00-20:00", sun="00:00-24:00",
                                              batch_calendar="S20,2026-12-12,,18:00-24:00,,,,\n") == []


def test_validate_says_a_store_file_overlaps_the_stored_calendar(tmp_path, capsys):
    database = f"sqlite:///{tmp_path / 'planner.db'}"
    first, calendar, stores = tmp_path / "first.csv", tmp_path / "calendar.csv", tmp_path / "stores.csv"
    first.write_bytes(_store_file(sat="10:00-20:00", sun="06:00-24:00"))
    calendar.write_text(CALENDAR_HEADER + "S20,2026-12-12,,18:00-06:00,,,,\n")
    stores.write_bytes(_store_file(sat="10:00-20:00", sun="00:00-24:00"))
    assert main(["--database-url", database, "import", "--stores", str(first), "--calendar", str(calendar)]) == 0
    capsys.readouterr()
    assert main(["--database-url", database, "validate", str(stores)]) == 1
    said = capsys.readouterr().out
    assert f"{stores}:3: sun: S20: Saturday 2026-12-12's opening (18:00-06:00 in the stored calendar)" in said
    assert main(["--database-url", database, "import", "--stores", str(stores)]) == 1
    assert "overlap by 6 hours" in capsys.readouterr().err  # a refused file's problems, with the refusal
    assert load_stores(connect(url=database)).set_index("store_id").at["S20", "sun"] == "06:00-24:00"


def _calendar_file_errors(tmp_path, stored_rows: str, rows: str) -> list:
    """The errors of importing the calendar `rows` into a database holding S20 (Saturday 10:00-20:00, Sunday
    06:00-24:00) and a calendar of `stored_rows`, stored when they overlapped nothing. Nothing is stored on an
    error."""
    from planner.errors import InputRejected
    from planner.intake import import_files
    from planner.storage import load_calendar

    tmp_path.mkdir(exist_ok=True)
    engine = connect(url=f"sqlite:///{tmp_path / 'planner.db'}")
    rules = ImportRules()
    import_files(engine, [("first.csv", _store_file(sat="10:00-20:00", sun="06:00-24:00"))], rules)
    import_files(engine, [("stored.csv", (CALENDAR_HEADER + stored_rows).encode())], rules)
    before = load_calendar(engine)
    try:
        import_files(engine, [("changes.csv", (CALENDAR_HEADER + rows).encode())], rules)
    except InputRejected as rejected:
        assert load_calendar(engine).equals(before)
        return [p for p in rejected.problems if p.severity == "error"]
    return []


def test_a_calendar_file_whose_date_a_stored_date_runs_into_is_refused_naming_the_stored_row(tmp_path):
    """A stored Saturday 18:00-06:00 and an imported Sunday open from midnight: the file was checked against the
    usual hours only, so the pair was stored and every plan of the week then refused S20. The import refuses the
    file's row, naming the date and the stored row it overlaps, and the fix."""
    (problem,) = _calendar_file_errors(tmp_path, "S20,2026-12-12,,18:00-06:00,,,,late night\n",
                                       "S20,2026-12-11,,10:00-20:00,,,,\nS20,2026-12-13,,00:00-24:00,,,,\n")
    assert (problem.file, problem.row, problem.column) == ("changes.csv", 3, "hours")
    assert problem.message == (
        "S20: Saturday 2026-12-12's opening (18:00-06:00 in the stored calendar) runs to 06:00 on Sunday 2026-12-13, "
        "but Sunday 2026-12-13 opens at 00:00 (00:00-24:00 on row 3): the two overlap by 6 hours")
    assert problem.fix == ("End Saturday 2026-12-12 at 24:00 or open Sunday 2026-12-13 at 06:00: correct this row, "
                           "or add a row for 2026-12-12 to this file, which replaces the stored one.")


def test_a_calendar_file_running_into_a_stored_chain_wide_date_is_refused_and_a_replaced_row_is_not_read(tmp_path):
    (problem,) = _calendar_file_errors(tmp_path, ",2026-12-13,,00:00-24:00,,,,open all day\n",
                                       "S20,2026-12-12,,18:00-06:00,,,,\n")
    assert problem.row == 2 and "(00:00-24:00 in the stored calendar, for every store)" in problem.message
    # the file replaces the stored row of the same date: read as replaced, the pair touches and is stored
    assert _calendar_file_errors(tmp_path / "again", "S20,2026-12-12,,18:00-06:00,,,,\n",
                                 "S20,2026-12-12,,18:00-24:00,,,,\nS20,2026-12-13,,00:00-24:00,,,,\n") == []


def test_stored_calendar_rows_of_weeks_that_are_over_do_not_hold_up_an_import(tmp_path, monkeypatch):
    """The store file's check read every stored calendar row: a Saturday of a week long over, kept as history,
    refused today's store file. Rows of weeks that are over (by `clock.today`, pinned to 2026-12-01: week
    2026-W49 and the Sunday before it are not) are no longer read; the same row in a week to come still is."""
    history = "S20,2026-11-21,,18:00-06:00,,,,long ago\n"  # a Saturday of 2026-W47, over by 2026-12-01
    assert _stored_calendar_store_file_errors(tmp_path, history, sat="10:00-20:00", sun="00:00-24:00") == []
    assert _calendar_file_errors(tmp_path / "calendar", history, "S20,2026-11-22,,00:00-24:00,,,,\n") == []
    monkeypatch.setenv("PLANNER_TODAY", "2026-11-16")  # the week before: it still matters
    (tmp_path / "before").mkdir()
    (problem,) = _stored_calendar_store_file_errors(tmp_path / "before", history, sat="10:00-20:00",
                                                   sun="00:00-24:00")
    assert "Saturday 2026-11-21's opening (18:00-06:00 in the stored calendar)" in problem.message
