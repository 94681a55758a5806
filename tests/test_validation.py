"""Observation and store files: every planted defect is reported at the exact row and column, nothing else is."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.cli_flags import EXIT_INPUT
from planner.errors import InputRejected
from planner.intake import check_files
from planner.io import read_table, validate_observations, validate_stores
from planner.io.stores import opening_week
from planner.settings import MAX_COUNT_AGE_YEARS, ImportRules

from conftest import DATA, FIXTURES

# (row as a spreadsheet shows it, column): the defects planted in tests/fixtures/messy_observations.csv
PLANTED_ERRORS = {
    (3, "visitors"),  # '4O' letter O: not a whole number
    (4, "assisted"),  # negative count
    (5, "hour"),  # hour 25
    (6, "date"),  # 2026-02-30 does not exist
    (7, "date"),  # 07/09/2026 wrong format
    (8, "visitors"),  # assisted + self_service > visitors
    (9, "assisted_minutes"),  # negative minutes
    (10, "staff_on_duty"),  # 350 staff minutes with 5 staff
    (11, "assisted_minutes"),  # minutes with no assisted customers
    (12, "hour"), (13, "hour"),  # duplicate store/date/hour: both rows named
    (14, "visitors"),  # empty required cell
    (15, "store_id"),  # S99 not in the store file
    (17, "self_service"),  # 2.5 not whole (row 16 is blank and ignored)
    (18, "assisted_minutes"),  # 'abc' not a number
    (19, "self_service_minutes"),  # touch minutes with no self-service customers
    (20, "store_id"),  # empty store id
    (21, "hour"),  # hour -1
    (22, "staff_on_duty"),  # 'two'
    (23, "date"),  # empty date
    (24, "visitors"),  # 12.7
    (25, "store_id"),  # s01: ids are case-sensitive
    (26, "hour"), (26, "visitors"),  # two defects in one row
}
PLANTED_WARNINGS = {(27, "hour"), (28, "assisted_minutes")}  # closed hour; 150 minutes for one customer


@pytest.fixture(scope="module")
def store_week():
    stores = validate_stores(read_table((DATA / "stores.csv").read_bytes(), "stores.csv"))
    assert stores.ok, stores.problems
    return opening_week(stores.frame)


def _validate(content: bytes, store_week, name="obs.csv"):
    return validate_observations(read_table(content, name), store_week, ImportRules())


def test_messy_fixture_reports_exactly_the_planted_defects(store_week):
    result = _validate((FIXTURES / "messy_observations.csv").read_bytes(), store_week, "messy_observations.csv")
    assert {(p.row, p.column) for p in result.errors} == PLANTED_ERRORS
    assert {(p.row, p.column) for p in result.warnings} == PLANTED_WARNINGS
    assert len(result.errors) >= 20 and len(result.frame) == 0
    for problem in result.problems:
        assert problem.file == "messy_observations.csv" and problem.message and problem.fix


def test_duplicate_rows_name_each_other(store_week):
    result = _validate((FIXTURES / "messy_observations.csv").read_bytes(), store_week)
    duplicates = {p.row: p.message for p in result.errors if p.row in (12, 13)}
    assert "row 13" in duplicates[12] and "row 12" in duplicates[13]


def test_sample_data_is_clean(store_week):
    result = _validate((DATA / "observations.csv").read_bytes(), store_week)
    assert result.problems == ()
    assert len(result.frame) == (DATA / "observations.csv").read_text().count("\n") - 1


def test_misspelt_column_is_missing_with_a_hint(store_week):
    content = b"store_id,date,hour,visiters,assisted,self_service,assisted_minutes,self_service_minutes\n" \
              b"S01,2026-09-07,10,40,20,15,240,10\n"
    result = _validate(content, store_week)
    (missing,) = [p for p in result.errors if p.column == "visitors"]
    assert missing.row == 1 and "visiters" in missing.fix and "did you mean 'visitors'" in missing.fix
    assert any(p.column == "visiters" and p.severity == "warning" for p in result.problems)


def test_an_unused_column_is_offered_for_one_missing_column_only(store_week):
    """The walk: a file headed store,day,hr,people told the user "The file has 'store': did you mean 'store_id'?" and,
    of the same 'store', "did you mean 'visitors'?": one column cannot be both; it is offered for the closer one."""
    content = b"store,day,hr,people\nS01,2026-09-07,10,40\n"
    result = _validate(content, store_week)
    hints = {p.column: p.fix for p in result.errors}
    assert "The file has 'store': did you mean 'store_id'?" in hints["store_id"]
    assert "The file has 'hr': did you mean 'hour'?" in hints["hour"]
    assert "did you mean" not in hints["visitors"], hints["visitors"]


def test_a_misspelt_optional_column_is_named_with_the_column_meant():
    """A store file headed target_wait_secs, or a calendar's demand_facter, was only "not used": the file was stored
    without the target or the factor, and nothing said which column the header was meant to be."""
    from planner.io.calendar import validate_calendar

    row = "S01,Alpha,North,electronics,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-22:00," \
          "closed,18.5,1,8,,45\n"
    stores = validate_stores(read_table((STORE_HEADER.replace("\n", ",target_wait_secs\n") + row).encode(),
                                        "stores.csv"))
    calendar = validate_calendar(read_table(b"store_id,date,demand_facter,remarks\nS01,2026-12-24,1.5,\n",
                                            "calendar.csv"), ("S01",))
    for result, written, meant in ((stores, "target_wait_secs", "target_wait_seconds"),
                                   (calendar, "demand_facter", "demand_factor")):
        (said,) = [p for p in result.problems if p.column == written]
        assert said.severity == "warning" and f"did you mean '{meant}'?" in said.message
        assert f"Rename its header to '{meant}'" in said.fix
    (other,) = [p for p in calendar.problems if p.column == "remarks"]
    assert other.message == "column 'remarks' is not used"  # a header like no column stays as it was


def test_semicolons_bom_crlf_decimal_comma_and_spaced_headers_read_alike(store_week):
    comma = b"store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\n" \
            b"S01,2026-09-07,10,40,20,15,240.5,10\n"
    semicolon = "\ufeff Store_ID ; DATE;Hour;Visitors;assisted;Self Service;assisted_minutes;self_service_minutes\r\n" \
                "S01 ;2026-09-07;10; 40;20;15;240,5;10\r\n\r\n".encode()
    first, second = _validate(comma, store_week), _validate(semicolon, store_week)
    assert first.ok and second.ok, (first.problems, second.problems)
    assert first.frame.reset_index(drop=True).equals(second.frame.reset_index(drop=True))
    assert second.frame["assisted_minutes"].iloc[0] == 240.5


def test_xlsx_first_sheet_reads_like_csv(store_week, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["store_id", "date", "hour", "visitors", "assisted", "self_service", "assisted_minutes",
                  "self_service_minutes", "staff_on_duty"])
    import datetime as dt
    sheet.append(["S01", dt.datetime(2026, 9, 7), 10, 40, 20, 15, 240.0, 10, 5])
    sheet.append([None] * 9)  # a blank row is ignored, but keeps the numbering
    sheet.append(["S01", "2026-09-07", 11, 40, 50, 15, 240.0, 10, 5])
    path = tmp_path / "counts.xlsx"
    workbook.save(path)
    result = _validate(path.read_bytes(), store_week, "counts.xlsx")
    assert {(p.row, p.column) for p in result.errors} == {(4, "visitors")}


def test_xlsx_cells_of_every_type_read_as_a_csv_holds_them(tmp_path):
    """Each kind of value a sheet's cell holds reads as the text a CSV of it would hold (the reader converts the
    common kinds by exact type first: a bool is an int to isinstance, a whole float must lose its '.0')."""
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    cells = {"text": "S01", "whole": 40, "whole_float": 240.0, "fraction": 240.5, "negative": -3.25, "yes": True,
             "day": dt.datetime(2026, 9, 7), "moment": dt.datetime(2026, 9, 7, 10, 30), "clock": dt.time(9, 59, 59, 999999),
             "big": 12345678901234}
    sheet.append(list(cells))
    sheet.append(list(cells.values()))
    path = tmp_path / "kinds.xlsx"
    workbook.save(path)
    row = read_table(path.read_bytes(), "kinds.xlsx").frame.loc[2].to_dict()
    assert row == {"text": "S01", "whole": "40", "whole_float": "240", "fraction": "240.5", "negative": "-3.25",
                   "yes": "True", "day": "2026-09-07", "moment": "2026-09-07 10:30:00", "clock": "10:00",
                   "big": "12345678901234"}
    from planner.io.xlsx_reading import _xlsx_cell  # a sheet from another writer may hold a whole number as 240.0

    assert [_xlsx_cell(value) for value in (240.0, -0.0, 1e16, 0.1)] == ["240", "0", "10000000000000000", "0.1"]


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"", "empty.csv", "is empty"),
        (b"\n \n;;\n", "blank.csv", "is empty"),
        ("store_id,date\nS01,2026-09-07\nK\xf6ln,2026-09-08\n".encode("latin-1"), "latin.csv", "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old.xls", ".xls"),
        (b"PK\x03\x04not really a zip", "fake.xlsx", "not a readable Excel workbook (it is not a complete .xlsx"),
        (b"store_id,date\nS01,2026-09-07\n", "named.xlsx", "not an Excel workbook"),
    ],
)
def test_unreadable_files_get_one_clear_message(content, name, words):
    with pytest.raises(InputRejected) as rejected:
        read_table(content, name)
    (problem,) = rejected.value.problems
    assert words in problem.message and problem.file == name and problem.fix


@pytest.mark.parametrize("above", ["", "\n,,\n"])  # lines above the header move the header down
def test_a_quote_never_closed_is_reported_at_the_row_where_it_opens(above):
    content = (above + 'store_id,date,hour\nS01,2026-09-07,10\nS01,"2026-09-07,11\nS01,2026-09-07,12\n').encode()
    with pytest.raises(InputRejected) as rejected:
        read_table(content, "quote.csv")
    (problem,) = rejected.value.problems  # "the file could not be read as CSV. Check its quoting." before
    assert problem.row == above.count("\n") + 3 and "quote" in problem.message and "never closed" in problem.message


def test_a_quote_never_closed_says_the_rows_below_it_were_not_read():
    content = b'store_id,date,hour\nS01,2026-09-07,10\nS01,"2026-09-07,11\nS01,2026-09-07,12\nS01,2026-09-07,13\n'
    with pytest.raises(InputRejected) as rejected:
        read_table(content, "quote.csv", every_problem=True)
    (problem,) = rejected.value.problems
    assert problem.row == 3 and "the rows below it could not be read" in problem.message
    assert problem.fix.startswith("Close the quote or remove it")


STRAY_QUOTES = (
    "store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\n"
    'S01,2026-09-07,10,40,20,15,240,10\n'      # 2
    'S01,"2026-09-07,11,40,20,15,240,10\n'     # 3: a quote opens here ...
    'S01,2026-09-07,12,40,20,15,240,10\n'      #    ... these two lines are read into row 3's date cell ...
    'S01,2026-09-07,13,40,20,15,240,10\n'
    'S01,2026-09-07",14,40,20,15,240,10\n'     #    ... up to the quote that closes it
    'S01,2026-09-07,25,40,20,15,240,10\n'      # 4: hour 25
)


def test_a_stray_quote_closed_rows_later_is_named_with_the_rows_it_swallowed():
    """A quote opened in row 3 and closed three lines later read the two rows between as part of one date cell:
    the file was read with a warning about line breaks removed, and those rows were gone unreported."""
    with pytest.raises(InputRejected) as rejected:
        read_table(STRAY_QUOTES.encode(), "stray.csv")
    (problem,) = rejected.value.problems
    assert (problem.row, problem.column, problem.severity) == (3, "date", "error")
    assert "could not be read as rows" in problem.message and problem.fix.startswith("Close the quote")
    checked = _checked(STRAY_QUOTES.encode(), "stray.csv")  # every problem: the swallowed cell's, and row 4's hour
    assert [(p.row, p.column) for p in checked.errors] == [(3, "date"), (4, "hour")]


def test_a_stray_quote_closed_on_the_next_line_counts_one_line():
    """The message read "closed only 1 line(s) further down"."""
    content = ("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\n"
               'S01,"2026-09-07,11,40,20,15,240,10\n'
               'S01,2026-09-07,12,40,20,15,240,10"\n').encode()  # a whole row read into row 2's date cell
    with pytest.raises(InputRejected) as rejected:
        read_table(content, "stray.csv")
    (problem,) = rejected.value.problems
    assert "is closed only 1 line further down, so the rows in between" in problem.message


def test_a_note_over_two_lines_is_still_read():
    content = b'store_id,date,closed,hours,demand_factor,note\nS01,2026-12-24,yes,,,"closed early,\nsee the memo"\n'
    table = read_table(content, "calendar.csv")
    assert table.frame.at[2, "note"] == "closed early, see the memo"
    assert [p.severity for p in table.problems] == ["warning"]


def test_ragged_rows_are_all_reported():
    content = b"store_id,date,hour\nS01,2026-09-07,10\nS01,2026-09-07,11,12\nS01,2026-09-07,12\nS01,x,1,2,3\n"
    with pytest.raises(InputRejected) as rejected:
        read_table(content, "ragged.csv")
    assert [p.row for p in rejected.value.problems] == [3, 5]


@pytest.mark.parametrize("ending", [",", ",x"])
def test_every_row_one_cell_wider_than_the_header_is_reported_not_shifted(ending):
    """A trailing comma on every row (a spreadsheet's export) made pandas read the first column as the index, so
    every cell moved one column left: "store '2026-10-28' is not in the store file", "'12' is not a date"."""
    content = ("store_id,date,hour\n" + "".join(f"S01,2026-09-07,{h}{ending}\n" for h in (10, 11, 12))).encode()
    with pytest.raises(InputRejected) as rejected:
        read_table(content, "wide.csv")
    assert [p.row for p in rejected.value.problems] == [2, 3, 4]
    assert all(p.message == "row has 4 cells but the header has 3" for p in rejected.value.problems)


def test_a_count_dated_after_tomorrow_is_an_error(monkeypatch):
    """Counts dated 2027 were taken without a word, then with a warning, and a count of a day to come was judged
    as the published plan's miss ('demand is higher than planned'): a count is of an hour already watched. A day's
    grace stays for a server's clock behind the store's."""
    import datetime as dt

    from planner.io import observations

    monkeypatch.setattr(observations, "today", lambda: dt.date(2026, 12, 4))
    header = "store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\n"
    content = (header + "S01,2026-12-05,10,10,5,5,30,5\nS01,2027-06-01,10,10,5,5,30,5\n").encode()
    result = validate_observations(read_table(content, "future.csv"), None, ImportRules())
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.severity) == (3, "date", "error")
    assert problem.message == "dated 2027-06-01, after today (2026-12-04): a count is of an hour already watched"
    assert not result.ok


def test_a_count_dated_years_before_today_is_a_warning_that_names_its_age(monkeypatch):
    """A count dated 1920 (a two-digit year read in the wrong century) was taken without a word and stopped every
    store's recommendation. Counts this old say nothing of the store today and the estimate leaves them out, so the
    import says so, naming the row's age; the row is imported as it is (a date after today, which no count can
    have, is an error)."""
    import datetime as dt

    from planner.io import observations

    monkeypatch.setattr(observations, "age_reference_date", lambda: dt.date(2026, 12, 6))
    recent = dt.date(2026, 12, 6) - dt.timedelta(days=int(MAX_COUNT_AGE_YEARS * 365.25) - 1)  # just within the limit
    header = "store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\n"
    content = (header + "S02,1920-01-05,10,20,5,10,60,5\n" + f"S02,{recent:%Y-%m-%d},10,20,5,10,60,5\n").encode()
    result = validate_observations(read_table(content, "old.csv"), None, ImportRules())
    (problem,) = result.problems
    assert (problem.file, problem.row, problem.column, problem.value, problem.severity) == (
        "old.csv", 2, "date", "1920-01-05", "warning")
    assert problem.message == ("dated 1920-01-05, 106 years before today (2026-12-06): counts more than 3 years old "
                               "do not describe the store today")
    assert "Check the year" in problem.fix and "imported as it is" in problem.fix
    assert result.ok and len(result.frame) == 2


def test_utf16_text_is_told_as_such():
    """Excel's "Unicode Text" was "not a text file (it holds binary data)", with no word of what to save it as."""
    content = "store_id,date,hour\nS01,2026-09-07,10\n".encode("utf-16")
    with pytest.raises(InputRejected) as rejected:
        read_table(content, "utf16.csv")
    (problem,) = rejected.value.problems
    assert problem.message.endswith("is UTF-16 text, not UTF-8") and "CSV UTF-8" in problem.fix


@pytest.mark.parametrize(("hours", "says"), [
    ("10:00-10:00", "opens and closes at the same time"),  # read as open 24 hours; the employee file refused it
    ("24:00-24:00", "opens and closes at the same time"), ("24:00-02:00", "opens at 24:00"),
    ("09:00-24:30", "a time that does not exist")])
def test_opening_hours_that_read_as_another_day_are_refused(hours, says):
    from planner.hours import parse_opening_hours

    with pytest.raises(ValueError, match=says):
        parse_opening_hours(hours)
    assert str(parse_opening_hours("00:00-24:00")) == "00:00-24:00"  # round the clock is written so


STORE_HEADER = "store_id,name,region,format,mon,tue,wed,thu,fri,sat,sun,wage_per_hour,min_staff,max_staff,patience_minutes\n"


def test_store_file_defects_are_all_reported():
    content = (
        STORE_HEADER
        + "S01,Alpha,North,electronics,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-22:00,closed,18.5,1,8,\n"
        + "S02,Beta,North,clothing,9-20,09:00-20:00,25:00-26:00,09:00-20:00,09:00-20:00,10:00-01:00,closed,-3,1,8,0\n"
        + "S01,,South,grocery,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,closed,15,5,3,5\n"
    ).encode()
    result = validate_stores(read_table(content, "stores.csv"))
    assert {(p.row, p.column) for p in result.errors} == {
        (3, "mon"), (3, "wed"), (3, "wage_per_hour"), (3, "patience_minutes"),
        (2, "store_id"), (4, "store_id"), (4, "name"), (4, "max_staff"),
    }


def test_a_store_id_is_any_text_a_list_of_stores_can_hold():
    """A chain's store ids come from its own systems: markup, spaces and signs are kept as written (the pages escape
    them), but a comma or semicolon splits every list of stores (the users command's --stores, the employee file's
    also_stores), so an id holding one could never be named in a list: refused, naming file, row, column and fix."""
    hours = "09:00-20:00," * 6 + "closed,18.5,1,8,\n"
    content = (STORE_HEADER + f"<b>S99</b>,Alpha,North,electronics,{hours}" + f"HH 01,Beta,North,clothing,{hours}"
               + f"S10,S11,Gamma,North,grocery,{hours}".replace("S10,S11", '"S10,S11"', 1)
               + f"S12;S13,Delta,North,grocery,{hours}").encode()
    result = validate_stores(read_table(content, "stores.csv"))
    assert [(p.file, p.row, p.column, p.value) for p in result.errors] == [
        ("stores.csv", 4, "store_id", "S10,S11"), ("stores.csv", 5, "store_id", "S12;S13")], result.errors
    assert all("comma" in p.message and "semicolon" in p.message and p.fix for p in result.errors), result.errors
    fixed = content.replace(b'"S10,S11"', b"S10").replace(b"S12;S13", b"S12")
    kept = validate_stores(read_table(fixed, "stores.csv"))
    assert kept.ok and kept.store_ids == ("<b>S99</b>", "HH 01", "S10", "S12"), kept.problems


def test_store_file_in_the_same_batch_supplies_store_ids(sample_files):
    checked = check_files(sample_files, known_stores=None, rules=ImportRules())
    assert [c.kind for c in checked] == ["stores", "observations"]
    assert all(not c.problems for c in checked)
    unknown = check_files([sample_files[1]], known_stores=None, rules=ImportRules())
    assert not unknown[0].problems  # no store list known: the store-id check is skipped, not failed


def test_a_store_files_service_cv_is_optional_above_zero_and_blank_means_the_setting():
    content = (
        STORE_HEADER.replace("\n", ",service_cv\n")
        + "S01,Alpha,North,electronics,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-22:00,closed,18.5,1,8,,1.5\n"
        + "S02,Beta,North,clothing,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,closed,15,1,8,,\n"
        + "S03,Gamma,South,clothing,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,closed,15,1,8,,0\n"
        + "S04,Delta,South,clothing,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,closed,15,1,8,,wide\n"
    ).encode()
    result = validate_stores(read_table(content, "stores.csv"))
    assert {(p.row, p.column) for p in result.errors} == {(4, "service_cv"), (5, "service_cv")}
    assert all(p.fix for p in result.errors)
    clean = validate_stores(read_table(b"\n".join(content.split(b"\n")[:3]) + b"\n", "stores.csv"))
    assert not clean.errors
    assert clean.frame["service_cv"].tolist()[0] == 1.5 and pd.isna(clean.frame["service_cv"].tolist()[1])
    without = validate_stores(read_table(STORE_HEADER.encode() + content.split(b"\n")[2].rsplit(b",", 1)[0] + b"\n",
                                         "stores.csv"))
    assert not without.problems and without.frame["service_cv"].isna().all()  # the column may be left out


_HEADER = b"store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes,staff_on_duty\n"


def test_counts_beyond_what_one_hour_holds_are_errors_naming_the_limit(store_week):
    """One hour's count of 46 million visitors passed the check and overflowed every store's estimate; a count past
    `MAX_CUSTOMERS_PER_HOUR` (staff, staff minutes likewise) is now an error naming the column and the limit."""
    over = _HEADER + (
        b"S01,2026-09-07,12,10001,1,1,1,1,1\n"  # row 2: visitors
        b"S01,2026-09-07,13,20000,10001,9999,1,1,\n"  # row 3: assisted (and visitors)
        b"S01,2026-09-07,14,10,1,1,1,60001,\n"  # row 4: touch minutes, no staff given
        b"S01,2026-09-07,15,10,1,1,1,1,1001\n"  # row 5: staff on duty
    )
    result = _validate(over, store_week)
    assert {(p.row, p.column) for p in result.errors} == {
        (2, "visitors"), (3, "visitors"), (3, "assisted"), (4, "self_service_minutes"), (5, "staff_on_duty")}
    limits = {p.column: p.message for p in result.errors}
    assert "10,000 customers" in limits["visitors"] and "10,000 customers" in limits["assisted"]
    assert "60,000 staff minutes" in limits["self_service_minutes"] and "1,000 staff" in limits["staff_on_duty"]
    assert all("typing slip" in p.fix for p in result.errors) and len(result.frame) == 0


def test_a_whole_count_written_with_an_exponent_is_said_as_the_number_it_is(store_week):
    """`staff_on_duty` of '1e10' read "'1e10' is not a whole number", though it is whole, only too large: it is now
    said to be past the column's own limit, as '10000000000' and '5000' are (1,000 staff on the floor); a whole
    count that fits is named as the number it is (one past the limit with it), one that is not whole is still "not a
    whole number"."""
    rows = [("1e10", "1,000 staff"), ("10000000000", "1,000 staff"), ("5000", "1,000 staff"),
            ("2.5E3", "(1,000 staff on the floor): it is 2,500 written with an exponent"),
            ("1e2", "is 100 written with an exponent"),
            ("1.5e-1", "is not a whole number")]
    content = _HEADER + b"".join(f"S01,2026-09-07,{12 + i},10,1,1,1,1,{value}\n".encode()
                                 for i, (value, _) in enumerate(rows))
    result = _validate(content, store_week)
    said = {p.row: p for p in result.errors}
    assert sorted(said) == [2, 3, 4, 5, 6, 7] and {p.column for p in result.errors} == {"staff_on_duty"}
    for row, (value, words) in enumerate(rows, start=2):
        assert said[row].value == value and words in said[row].message, said[row]
    assert said[2].message == said[3].message.replace("10000000000", "1e10") == (
        "'1e10' is more than one hour's count can hold (1,000 staff on the floor)")
    # past the limit, said at once: "Write it ... 2500" led to a second check saying 2500 is past it
    assert "typing slip" in said[5].fix and said[6].fix == "Write it with the digits 0-9 alone: 100."
    assert "not a whole number" not in said[2].message + said[5].message + said[6].message


@pytest.mark.parametrize(("point", "comma", "column", "words"), [
    ("2.5E3", "2,5E3", "visitors", "is 2,500 written with an exponent"),
    ("2.5E3", "2,5E3", "staff_on_duty", "(1,000 staff on the floor): it is 2,500 written with an exponent"),
    ("1.5E1", "1,5E1", "assisted", "is 15 written with an exponent"),
    ("-2.5E3", "-2,5E3", "visitors", "is less than 0"),
    ("2.5e-1", "2,5e-1", "visitors", "is not a whole number"),  # not whole, in either mark
])
def test_a_semicolon_files_count_with_an_exponent_and_a_decimal_comma_reads_as_a_comma_files(point, comma, column,
                                                                                             words):
    """A semicolon file writes 2500 as 2,5E3, its decimal comma: that read "'2,5E3' is not a whole number", where a
    comma file's 2.5E3 is said as the 2,500 it is (and past the column's own limit, where it is)."""
    header = "store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes,staff_on_duty\n"
    cells = {"visitors": "9000", "assisted": "20", "self_service": "10", "staff_on_duty": "2"}
    said = []
    for separator, value, minutes in ((",", point, "30.5"), (";", comma, "30,5")):
        row = [cells[name] if name != column else value for name in ("visitors", "assisted", "self_service")]
        staff = value if column == "staff_on_duty" else cells["staff_on_duty"]
        line = separator.join(["S01", "2026-09-07", "12", *row, minutes, "1", staff])
        result = validate_observations(read_table((header.replace(",", separator) + line + "\n").encode(), "c.csv"),
                                       None, ImportRules())
        (problem,) = result.problems
        assert (problem.row, problem.column, problem.value, problem.severity) == (2, column, value, "error")
        said.append(problem)
    assert words in said[0].message
    assert said[1].message == said[0].message.replace(point, comma) and said[1].fix == said[0].fix


def test_counts_at_the_limits_pass(store_week):
    at = _HEADER + b"S01,2026-09-07,12,10000,5000,5000,59000,1000,1000\nS01,2026-09-07,13,10000,0,10000,0,60000,\n"
    result = _validate(at, store_week)
    assert result.errors == () and len(result.frame) == 2


SEMICOLON_STORE_HEADER = STORE_HEADER.replace(",", ";")


@pytest.mark.parametrize(("wage", "says", "fix"), [
    ("1.234,50", "thousands", "1234,50"),  # European Excel's thousands separator
    ("1,234.50", "thousands", "1234,50"),  # an English-style number pasted into a European file
    ("19,5 EUR", "not a number", "12,5"),
])
def test_a_semicolon_files_bad_number_is_told_in_its_own_decimal_comma(wage, says, fix):
    """A semicolon-separated file (European Excel) takes ',' as its decimal mark: the fix used to suggest '12.5',
    which that Excel reads as a date, and did not say that the thousands separator was what broke the number."""
    row = f"S01;Alpha;North;electronics;{';'.join(['09:00-20:00'] * 6)};closed;{wage};1;8;\n"
    result = validate_stores(read_table((SEMICOLON_STORE_HEADER + row).encode(), "stores.csv"))
    (problem,) = result.errors
    assert (problem.file, problem.row, problem.column, problem.value) == ("stores.csv", 2, "wage_per_hour", wage)
    assert says in problem.message and fix in problem.fix and "12.5" not in problem.fix


@pytest.mark.parametrize(("minutes", "says", "fixes"), [
    ("180,5", "',' is not a decimal mark in this file", ["180.5"]),
    ("-3,25", "',' is not a decimal mark in this file", ["-3.25"]),
    ("1,234", "',' may separate thousands or be a decimal comma", ["1234", "1.234"]),
])
def test_a_decimal_comma_in_a_comma_separated_file_is_named_as_the_problem(store_week, minutes, says, fixes):
    """A store manager's spreadsheet wrote 180,5 (quoted) into a comma-separated file: "'180,5' is not a number.
    Enter a number such as 12.5, with the digits 0-9" left them to find that the comma was what broke it."""
    row = f'S01,2026-09-07,12,46,22,16,"{minutes}",3.2,6\n'
    result = _validate(("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes,"
                        "staff_on_duty\n" + row).encode(), store_week)
    (problem,) = result.errors
    assert (problem.row, problem.column, problem.value) == (2, "assisted_minutes", minutes)
    assert problem.message == f"'{minutes}' is not a number: {says}"
    assert all(fix in problem.fix for fix in fixes) and "semicolons" in problem.fix


def test_a_date_written_day_or_month_first_names_both_readings(store_week):
    """'06/12/2026' said only "not a date in the form YYYY-MM-DD" (a date that reads one way only gets "write
    2026-12-30"): the two dates it may mean are named, so the manager picks one instead of guessing the format."""
    row = "S01,06/12/2026,12,46,22,16,252.1,3.2,6\n"
    result = _validate(("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes,"
                        "staff_on_duty\n" + row).encode(), store_week)
    (problem,) = result.errors
    assert (problem.row, problem.column, problem.value) == (2, "date", "06/12/2026")
    assert problem.message == ("'06/12/2026' is not a date in the form YYYY-MM-DD (write 2026-12-06 for 6 December "
                               "or 2026-06-12 for 12 June)")


@pytest.mark.parametrize(("dates", "settler", "ambiguous", "says"), [
    (["12/01/2026"] * 5 + ["13/01/2026"] * 3, 7, "12/01/2026",
     "(row 7 '13/01/2026' can only be 13 January, so the file writes the day first: write 2026-01-12)"),
    (["01/12/2026"] * 5 + ["01/13/2026"] * 3, 7, "01/12/2026",
     "(row 7 '01/13/2026' can only be 13 January, so the file writes the month first: write 2026-01-12)"),
    (["11/01/2026", "31/02/2026", "12/01/2026", "12/01/2026", "25/01/2026"], 6, "12/01/2026",  # 31/02 is no date
     "(row 6 '25/01/2026' can only be 25 January, so the file writes the day first: write 2026-01-12)"),
])
def test_an_ambiguous_date_is_read_as_the_order_other_rows_of_the_file_settle(store_week, dates, settler, ambiguous,
                                                                                says):
    """'12/01/2026' named both readings even when row 7 of the same file, '13/01/2026', can only be 13 January: the
    file writes the day first, and the hint now says so, naming that row, and gives the one date meant."""
    rows = "".join(f"S01,{date},{10 + n},46,22,16,252.1,3.2,6\n" for n, date in enumerate(dates))
    result = _validate(("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes,"
                        "staff_on_duty\n" + rows).encode(), store_week)
    told = [p for p in result.errors if p.value == ambiguous]
    assert [p.row for p in told] == [row for row, date in enumerate(dates, start=2) if date == ambiguous]
    assert all(p.column == "date" and p.message == f"'{ambiguous}' is not a date in the form YYYY-MM-DD {says}"
               for p in told), told[0].message
    assert dates[settler - 2] in says


def test_an_ambiguous_date_keeps_both_readings_when_the_other_rows_disagree(store_week):
    """A file with '13/01/2026' (day first) and '01/13/2026' (month first) settles no order: '12/01/2026' names both."""
    rows = "".join(f"S01,{date},{10 + n},46,22,16,252.1,3.2,6\n"
                   for n, date in enumerate(["13/01/2026", "01/13/2026", "12/01/2026"]))
    result = _validate(("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes,"
                        "staff_on_duty\n" + rows).encode(), store_week)
    (problem,) = [p for p in result.errors if p.row == 4]
    assert problem.message == ("'12/01/2026' is not a date in the form YYYY-MM-DD (write 2026-01-12 for 12 January "
                               "or 2026-12-01 for 1 December)")


@pytest.mark.parametrize(("dates", "row", "says"), [
    (["12-01-2026"], 2, "(write 2026-01-12 for 12 January or 2026-12-01 for 1 December)"),
    (["13-01-2026"], 2, "(write 2026-01-13)"),
    (["01-13-2026"], 2, "(write 2026-01-13)"),
    (["12-01-2026"] * 3 + ["13-01-2026"], 2,
     "(row 5 '13-01-2026' can only be 13 January, so the file writes the day first: write 2026-01-12)"),
    (["01-12-2026", "01-13-2026"], 2,
     "(row 3 '01-13-2026' can only be 13 January, so the file writes the month first: write 2026-01-12)"),
    (["13/01/2026", "12-01-2026"], 3,  # the writer's order, whichever mark separates the parts
     "(row 2 '13/01/2026' can only be 13 January, so the file writes the day first: write 2026-01-12)"),
    (["13-01-2026", "01/13/2026", "12-01-2026"], 4,  # the rows disagree: both readings
     "(write 2026-01-12 for 12 January or 2026-12-01 for 1 December)"),
])
def test_a_date_written_with_dashes_day_or_month_first_gets_the_hints_a_slashed_one_does(store_week, dates, row,
                                                                                          says):
    """'12-01-2026' said only "not a date in the form YYYY-MM-DD" where '12/01/2026' names both readings (or the
    one another row settles): a dashed date is hinted the same, and is still refused, not read as either date."""
    rows = "".join(f"S01,{date},{10 + n},46,22,16,252.1,3.2,6\n" for n, date in enumerate(dates))
    result = _validate(("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes,"
                        "staff_on_duty\n" + rows).encode(), store_week)
    assert [(p.row, p.column) for p in result.errors] == [(n, "date") for n in range(2, len(dates) + 2)]
    assert result.frame.empty
    (problem,) = [p for p in result.errors if p.row == row]
    assert problem.message == f"'{dates[row - 2]}' is not a date in the form YYYY-MM-DD {says}"


@pytest.mark.parametrize("digits", ["\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
                                    "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19"],
                         ids=["Arabic-Indic", "full-width"])
def test_a_date_in_digits_other_than_0_to_9_gets_no_hint_as_the_reader_takes_no_date_in_them(store_week, digits):
    """'١٢/٠١/٢٠٢٦' was hinted "write 2026-01-12 for 12 January or 2026-12-01 for 1 December", and '١٣/٠١/٢٠٢٦'
    settled the order of the file's other dates, where the reader takes no date written in such digits, not even
    as YYYY-MM-DD: the hint agrees with the reader, and names no date."""
    written = str.maketrans("0123456789", digits)
    dates = [text.translate(written) for text in ("2026-01-12", "12/01/2026", "13/01/2026")] + ["12/01/2026"]
    rows = "".join(f"S01,{date},{10 + n},46,22,16,252.1,3.2,6\n" for n, date in enumerate(dates))
    result = _validate(("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes,"
                        "staff_on_duty\n" + rows).encode(), store_week)
    said = {p.row: p.message for p in result.errors if p.column == "date"}
    assert said[2] == f"'{dates[0]}' is not a date in the form YYYY-MM-DD"  # the reader's own verdict on such digits
    assert said[3] == f"'{dates[1]}' is not a date in the form YYYY-MM-DD"
    assert said[4] == f"'{dates[2]}' is not a date in the form YYYY-MM-DD"
    assert said[5] == ("'12/01/2026' is not a date in the form YYYY-MM-DD (write 2026-01-12 for 12 January or "
                       "2026-12-01 for 1 December)")  # row 4 settles no order


@pytest.mark.parametrize(("wage", "max_staff", "column", "value"), [
    ("1.234", "8", "wage_per_hour", "1.234"),  # was read as 1.234 an hour
    ("-1.234", "8", "wage_per_hour", "-1.234"),
    ("18,5", "1.000", "max_staff", "1.000"),  # a count: was read as 1 staff
])
def test_a_dot_before_three_digits_in_a_semicolon_file_is_ambiguous(wage, max_staff, column, value):
    """In a semicolon file ',' is the decimal mark and '.' European Excel's thousands separator: 1.234 was read as
    one point two three four, where the writer may have meant 1234."""
    row = f"S01;Alpha;North;electronics;{';'.join(['09:00-20:00'] * 6)};closed;{wage};1;{max_staff};\n"
    result = validate_stores(read_table((SEMICOLON_STORE_HEADER + row).encode(), "stores.csv"))
    (problem,) = result.errors
    assert (problem.row, problem.column, problem.value) == (2, column, value)
    assert "ambiguous" in problem.message and "decimal mark" in problem.message
    assert value.replace(".", "") in problem.fix and value.replace(".", ",") in problem.fix


@pytest.mark.parametrize("wage", ["18.5", "0.125", "1.2345", "1234", "1,234"])
def test_a_dot_that_is_no_thousands_separator_reads_as_before(wage):
    row = f"S01;Alpha;North;electronics;{';'.join(['09:00-20:00'] * 6)};closed;{wage};1;8;\n"
    result = validate_stores(read_table((SEMICOLON_STORE_HEADER + row).encode(), "stores.csv"))
    assert result.errors == ()
    assert result.frame["wage_per_hour"].iloc[0] == float(wage.replace(",", "."))


def test_a_dot_before_three_digits_in_a_comma_file_is_a_decimal_point():
    row = f"S01,Alpha,North,electronics,{','.join(['09:00-20:00'] * 6)},closed,1.234,1,8,\n"
    result = validate_stores(read_table((STORE_HEADER + row).encode(), "stores.csv"))
    assert result.errors == () and result.frame["wage_per_hour"].iloc[0] == 1.234


# --- rows with more cells than the header --------------------------------------------------------------------------

_TESTER_HEADER = "store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\n"
_TESTER_ROWS = (
    "S01,2026-09-07,10,40,20,15,240,10\n"       # 2: clean
    "S01,2026-02-30,11,40,20,15,240,10\n"       # 3: a date that does not exist
    "S01,2026-09-07,25,40,20,15,240,10\n"       # 4: hour 25
    "S01,2026-09-07,13,5x,20,15,240,10\n"       # 5: not a whole number
    "S99,2026-09-07,14,40,20,15,240,10\n"       # 6: a store the store file does not have
    "S01,2026-09-07,15,4O,20,15,240,10,7,8\n"   # 7: ten cells; its '4O' cannot be read against the header
    "S01,2026-09-07,16,40,-2,15,240,10\n"       # 8: a negative count
    "S01,07/09/2026,17,40,20,15,240,10\n"       # 9: not YYYY-MM-DD
    "S01,2026-09-07,18,40,20,15,abc,10\n"       # 10: not a number
)
_TESTER_ERRORS = [(3, "date"), (4, "hour"), (5, "visitors"), (6, "store_id"), (7, None), (8, "assisted"),
                  (9, "date"), (10, "assisted_minutes")]


def _checked(content: bytes, name: str, rules: ImportRules = ImportRules(), **kwargs):
    stores = ("stores.csv", (DATA / "stores.csv").read_bytes())
    return check_files([stores, (name, content)], known_stores=None, rules=rules, **kwargs)[1]


def test_a_row_with_too_many_cells_hides_no_other_problem_of_the_file():
    """The tester's file: seven cell errors and one row of 10 cells under an 8-column header gave one problem, the
    row's; the reader stopped there. The row is named with what to do, its cells are left unread (they cannot be read
    against the header), and every other row is checked: eight problems in one pass."""
    checked = _checked((_TESTER_HEADER + _TESTER_ROWS).encode(), "bad.csv")
    assert [(p.row, p.column) for p in checked.errors] == _TESTER_ERRORS
    (broken,) = [p for p in checked.errors if p.column is None]
    assert broken.message == "row has 10 cells but the header has 8"
    assert broken.fix == "Remove the extra ',' separators or quote cells that contain one."
    assert broken.value.startswith("S01,2026-09-07,15,4O")
    assert checked.frame.empty and checked.rows_read == 8  # the broken row is not read


def test_the_command_line_reports_all_eight_problems(tmp_path, capsys):
    from planner import cli

    path = tmp_path / "bad.csv"
    path.write_bytes((_TESTER_HEADER + _TESTER_ROWS).encode())
    code = cli.main(["--database-url", f"sqlite:///{tmp_path / 'p.db'}", "validate", "--stores",
                     str(DATA / "stores.csv"), str(path)])
    out = capsys.readouterr().out
    assert code == EXIT_INPUT and "8 errors on 8 rows" in out and "bad.csv:7: row has 10 cells" in out


@pytest.mark.parametrize("above", ["", "\n,,\n"])  # lines above the header move every row down
def test_broken_rows_keep_every_other_rows_number(above):
    """The rows are numbered as a spreadsheet shows them, past a broken row, a blank line, a cell holding a line
    break, and a broken row at the very end without a line break."""
    content = (above + _TESTER_HEADER.replace("\n", "\r\n")
               + 'S01,2026-09-07,10,40,20,15,240,10\r\n'            # 2
               + 'S01,2026-09-07,11,40,20,15,240,10,"x\r\ny"\r\n'   # 3: broken, over two lines
               + '\r\n'                                             # 4: blank
               + 'S01,2026-09-07,25,40,20,15,240,10\r\n'            # 5: hour 25
               + 'S01,2026-09-07,12,40,20,15,240,10,,\r\n'          # 6: broken (empty extra cells)
               + 'S01,2026-09-07,13,4O,20,15,240,10\r\n'            # 7: not a whole number
               + 'S01,2026-09-07,14,40,20,15,240,10,1').encode()    # 8: broken, no line break
    shift = above.count("\n")
    checked = _checked(content, "crlf.csv")
    assert [(p.row, p.column) for p in checked.errors] == [
        (3 + shift, None), (5 + shift, "hour"), (6 + shift, None), (7 + shift, "visitors"), (8 + shift, None)]
    assert [p.message for p in checked.errors if p.column is None] == [
        "row has 9 cells but the header has 8", "row has 10 cells but the header has 8",
        "row has 9 cells but the header has 8"]


def test_broken_rows_report_what_deleting_them_would_plus_themselves():
    """Independent truth: the messy fixture with some rows given extra cells reports exactly what the fixture with
    those rows left blank reports (the same row numbers), and each of those rows."""
    lines = (FIXTURES / "messy_observations.csv").read_text().splitlines(keepends=True)
    broken_rows = [4, 12, 20, 26]  # a negative count, a repeated hour, an empty store id, two defects
    widened = [line.rstrip("\n") + ",extra,cells\n" if row in broken_rows else line
               for row, line in enumerate(lines, start=1)]
    blanked = ["\n" if row in broken_rows else line for row, line in enumerate(lines, start=1)]
    with_broken = _checked("".join(widened).encode(), "messy.csv")
    without = _checked("".join(blanked).encode(), "messy.csv")
    assert [p.row for p in with_broken.problems if p.column is None] == broken_rows
    assert [p for p in with_broken.problems if p.column is not None] == list(without.problems)
    assert (12, "hour") not in {(p.row, p.column) for p in with_broken.errors}  # nor is 13 a repeat of it
    assert (13, "hour") not in {(p.row, p.column) for p in with_broken.errors}


def test_a_file_of_only_broken_rows_names_each_of_them():
    rows = "".join(f"S01,2026-09-07,{hour},40,20,15,240,10,x\n" for hour in (10, 11, 12))
    checked = _checked((_TESTER_HEADER + "\n" + rows).encode(), "broken.csv")
    assert [(p.row, p.column, p.message) for p in checked.problems] == [
        (row, None, "row has 9 cells but the header has 8") for row in (3, 4, 5)]


def test_broken_rows_and_an_unclosed_quote_are_both_named():
    content = (_TESTER_HEADER + "S01,2026-09-07,10,40,20,15,240,10,x\n" + 'S01,2026-09-07,"11,40,20,15,240,10\n'
               + "S01,2026-09-07,12,40,20,15,240,10\n").encode()
    with pytest.raises(InputRejected) as rejected:
        read_table(content, "quote.csv", every_problem=True)
    assert [p.row for p in rejected.value.problems] == [2, 3]
    assert "never closed" in rejected.value.problems[1].message


BROKEN_ROW_FILES = {  # kind: (file name, header, good row, broken row, row with an error, the error's column)
    "stores": ("stores.csv", "store_id,name,region,format,mon,tue,wed,thu,fri,sat,sun,wage_per_hour,min_staff,max_staff",
               "S01,Alpha,North,electronics,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,"
               "closed,18.5,1,8",
               "S02,Beta,North,electronics,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,"
               "closed,18,5,1,8",
               "S03,Gamma,North,electronics,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,09:00-20:00,"
               "09:00-20:00,closed,18.5,-1,8", "min_staff"),
    "employees": ("employees.csv", "employee_id,name,store_id,contract_hours_min,contract_hours_max",
                  "E1,Ann,S01,20,40", "E2,Smith, Bob,S01,20,40", "E3,Cy,S01,abc,40", "contract_hours_min"),
    "absences": ("absences.csv", "employee_id,first_day,last_day,reason", "E1,2026-12-09,2026-12-09,sick",
                 "E2,2026-12-10,2026-12-11,sick, then leave", "E3,2026-13-01,2026-12-09,sick", "first_day"),
    "calendar": ("calendar.csv", "store_id,date,closed,hours,demand_factor,note", "S01,2026-12-24,yes,,,",
                 "S01,2026-12-25,yes,,,Christmas, closed", "S01,2026-02-30,yes,,,", "date"),
    "observations": ("counts.csv", _TESTER_HEADER.strip(), "S01,2026-09-07,10,40,20,15,240,10",
                     "S01,2026-09-07,11,40,20,15,240,10,5", "S01,2026-09-07,25,40,20,15,240,10", "hour"),
}


@pytest.mark.parametrize("kind", BROKEN_ROW_FILES)
@pytest.mark.parametrize("semicolons", [False, True])
def test_every_file_kind_names_a_broken_row_and_checks_the_rest(kind, semicolons):
    name, header, good, broken, bad, column = BROKEN_ROW_FILES[kind]
    text = "\n".join([header, good, broken, bad]) + "\n"
    if semicolons:  # a European file: ';' separates, and ',' is the decimal mark
        text = text.replace(",", ";").replace("18.5", "18,5")
    checked = _checked(text.encode(), name)
    assert checked.kind == kind
    assert [(p.row, p.column) for p in checked.errors] == [(3, None), (4, column)], checked.problems
    assert checked.errors[0].fix == f"Remove the extra {';' if semicolons else ','!r} separators or quote cells " \
                                    "that contain one."


def test_a_row_of_an_xlsx_wider_than_its_header_hides_nothing(tmp_path):
    """A workbook's cells stay in their columns, so a value right of the header moves nothing: the cells under the
    header are still checked, row by row, with the others."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in (_TESTER_HEADER + _TESTER_ROWS).splitlines():
        sheet.append([int(cell) if cell.isdigit() else cell for cell in line.split(",")])
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    checked = _checked(path.read_bytes(), "bad.xlsx")
    # row 7's '4O' is under visitors; its two cells right of the header are under none
    assert [(p.row, p.column) for p in checked.errors] == [(row, column or "visitors") for row, column in _TESTER_ERRORS]


def test_values_right_of_an_xlsx_header_are_named_not_dropped_in_silence(tmp_path):
    """A value in a column with no header was left out of the checks and out of the report: the user never learnt
    that it was not read. Each such column is named by its first cell, as a warning (the rest of the file is read)."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["store_id", "date", "hour", "visitors", "assisted", "self_service", "assisted_minutes",
                  "self_service_minutes"])
    sheet.append(["S01", "2026-09-07", 10, 40, 20, 15, 240, 10])
    sheet.append(["S01", "2026-09-07", 11, 40, 20, 15, 240, 10, None, "late"])   # J3
    sheet.append(["S01", "2026-09-07", 12, 40, 20, 15, 240, 10, None, "again"])  # J4
    path = tmp_path / "wide.xlsx"
    workbook.save(path)
    checked = _checked(path.read_bytes(), "wide.xlsx")
    assert not checked.errors and len(checked.frame) == 3
    (warning,) = [p for p in checked.problems if p.severity == "warning"]
    assert (warning.row, warning.value) == (3, "late")
    assert "cell J3" in warning.message and "column J has no header" in warning.message
    assert warning.message.endswith("nor the 1 other value in column J")  # "1 other value(s)" before
    assert warning.fix == "Give column J a header or delete the values in it."


def test_values_under_a_csv_headers_trailing_separator_are_named():
    """A header ending in ',' (a common export) left its last column nameless: values under it were not read, and
    not said. As in a workbook, the column is named by its first value's cell; blank cells under it say nothing."""
    content = (_TESTER_HEADER.rstrip("\n") + ",\n" + "S01,2026-09-07,10,40,20,15,240,10,\n"
               + "S01,2026-09-07,11,40,20,15,240,10,note\n").encode()
    checked = _checked(content, "trailing.csv")
    assert not checked.errors and len(checked.frame) == 2
    (warning,) = [p for p in checked.warnings if p.column is None]
    assert (warning.row, warning.value) == (3, "note") and "cell I3" in warning.message
    assert warning.fix == "Give column I a header or delete the values in it."
    clean = (_TESTER_HEADER.rstrip("\n") + ",\n" + "S01,2026-09-07,10,40,20,15,240,10,\n").encode()
    assert not [p for p in _checked(clean, "trailing.csv").problems if p.column is None]


def test_a_short_row_missing_a_required_cell_names_its_row_and_column():
    """A row with fewer cells than the header reads as one with its last cells empty (as spreadsheet exports write
    rows); a required cell so left out is named at its row and column."""
    content = (_TESTER_HEADER + "S01,2026-09-07,10,40,20,15,240,10\n" + "S01,2026-09-07,11,40,20,15\n").encode()
    checked = _checked(content, "short.csv")
    assert [(p.row, p.column, p.message) for p in checked.errors] == [
        (3, "assisted_minutes", "the cell is empty"), (3, "self_service_minutes", "the cell is empty")]


def test_a_tab_separated_file_is_told_as_such():
    """A tab-delimited export (Excel's "Text (Tab delimited)") read as one column named after the whole header: eight
    "required column is missing" errors, and a warning that 44 cells held control characters that were removed."""
    content = ("store_id\tdate\thour\tvisitors\tassisted\tself_service\tassisted_minutes\tself_service_minutes\n"
               "S01\t2026-09-07\t10\t20\t8\t10\t80\t2\n").encode()
    with pytest.raises(InputRejected) as rejected:
        read_table(content, "counts.txt")
    (problem,) = rejected.value.problems
    assert problem.file == "counts.txt" and problem.row == 1
    assert problem.message == "the file is separated by tabs, not by commas or semicolons"
    assert "CSV UTF-8" in problem.fix


def test_a_comma_file_with_a_tab_in_its_header_is_read():
    """Only a header that tabs separate more than commas or semicolons is a tab-separated file."""
    content = b"store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\t\n" \
              b"S01,2026-09-07,10,20,8,10,80,2\n"
    assert list(read_table(content, "counts.csv").frame.columns)[:2] == ["store_id", "date"]


def test_a_header_row_repeated_below_is_left_out_with_a_warning(store_week):
    """Two files joined one below the other (`cat week1.csv week2.csv`) keep the second's header as a data row: it
    read as nine errors on that row ("store 'store_id' is not in the store file", "'visitors' is not a whole number:
    Enter a count such as 12", ...), none saying what the row was, and the file could not be imported."""
    header = "store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes"
    rows = ["S01,2026-09-07,10,20,8,10,80,2", header.upper().replace("_", " "), "S01,2026-09-07,11,20,8,10,80,2"]
    result = _validate(("\n".join([header, *rows]) + "\n").encode(), store_week, "joined.csv")
    assert not result.errors, result.errors
    (warning,) = result.warnings
    assert (warning.file, warning.row, warning.column) == ("joined.csv", 3, None)
    assert warning.message == "the row repeats the header row; it was left out"
    assert list(result.frame["hour"]) == [10, 11]
