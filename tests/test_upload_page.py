"""The Upload page's loop, driven with streamlit's AppTest: a broken file and its correction, grouped problems, and the
empty templates."""

from __future__ import annotations

import io
import os
import re

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import state, tables
from planner import storage
from planner.intake import import_files
from planner.settings import DATABASE_URL_ENV, ImportRules, Settings

from conftest import DATA, ROOT
from hostile_files import GOOD_ROW, OBSERVATION_HEADER, csv_bytes, xlsx_bytes

PAGE = str(ROOT / "app_pages" / "upload.py")
TIMEOUT_SECONDS = 90  # a page runs in about 2 s; the margin is for a CI machine that is busy
BROKEN = csv_bytes(OBSERVATION_HEADER, [["S01", "2026-09-07", "25", *GOOD_ROW[3:]]])
CORRECTED = csv_bytes(OBSERVATION_HEADER, [["S01", "2026-09-07", "10", *GOOD_ROW[3:]]])


@pytest.fixture
def page(tmp_path, monkeypatch) -> AppTest:
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    engine = storage.connect(Settings(database_url=url))
    import_files(engine, [("stores.csv", (DATA / "stores.csv").read_bytes())], ImportRules())
    engine.dispose()
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    return AppTest.from_file(PAGE, default_timeout=TIMEOUT_SECONDS).run()


def _upload(at: AppTest, *files: tuple[str, bytes]) -> None:
    at.file_uploader(key=state.UPLOADED_FILES).set_value([(name, content, "text/csv") for name, content in files]).run()


def test_a_corrected_file_with_the_same_name_replaces_the_broken_one(page):
    _upload(page, ("counts.csv", BROKEN))
    assert page.button(key=state.IMPORT_BUTTON).disabled
    assert any("blocked by **counts\\.csv**" in box.value for box in page.error)
    _upload(page, ("counts.csv", BROKEN), ("counts.csv", CORRECTED))
    assert not page.exception
    assert not page.button(key=state.IMPORT_BUTTON).disabled
    assert any("added more than once" in box.value for box in page.info)
    page.button(key=state.IMPORT_BUTTON).click().run()
    assert any("counts.csv: 1 row added" in box.value for box in page.success)


def test_the_page_names_the_blocking_file_and_drops_it(page):
    _upload(page, ("broken.csv", BROKEN), ("fixed.csv", CORRECTED))
    assert page.button(key=state.IMPORT_BUTTON).disabled
    (blocked,) = [box.value for box in page.error if "blocked by" in box.value]
    assert "**broken\\.csv**" in blocked and "fixed.csv" not in blocked
    page.button(key=state.drop_button("broken.csv")).click().run()
    assert not page.exception
    assert not page.button(key=state.IMPORT_BUTTON).disabled
    assert any("Dropped from this import: **broken\\.csv**" in text.value for text in page.caption)
    page.button(key=state.IMPORT_BUTTON).click().run()
    added = [box.value for box in page.success if " added, " in box.value]
    assert added == ["fixed.csv: 1 row added, 0 replaced, 0 unchanged"]
    page.button(key=state.UPLOAD_UNDROP).click().run()
    assert page.button(key=state.IMPORT_BUTTON).disabled  # broken.csv is back in the import


def test_the_blocked_message_agrees_with_the_number_of_blocking_files(page):
    """Two broken files read "Correct the file and add it again ..., or drop it": one file's words for two."""
    _upload(page, ("broken.csv", BROKEN), ("fixed.csv", CORRECTED))
    (one,) = [box.value for box in page.error if "blocked by" in box.value]
    assert "Correct the file and add it again" in one and "drop it from this import" in one
    _upload(page, ("broken.csv", BROKEN), ("also_broken.csv", BROKEN))
    (two,) = [box.value for box in page.error if "blocked by" in box.value]
    assert "**broken\\.csv** and **also\\_broken\\.csv**" in two
    assert "Correct the 2 files and add them again" in two and "drop them from this import" in two
    assert "the file" not in two and " it " not in two


def test_identical_problems_are_one_line_in_the_table(page):
    rows = [["S12", "2026-09-07", str(hour), *GOOD_ROW[3:]] for hour in range(24)]
    _upload(page, ("counts.csv", csv_bytes(OBSERVATION_HEADER, rows)))
    table = page.dataframe[0].value
    assert len(table) == 1
    assert table.loc[0, "row"] == "2-25" and "(24 rows)" in table.loc[0, "message"]
    # and in full, in a sentence that wraps (a cell cut it at 1024 px)
    (sentence,) = [m.value for m in page.markdown if m.value.startswith("- **error**, rows 2\\-25, store\\_id")]
    assert "\\(24 rows\\)" in sentence and sentence.endswith("add the store to the store file first\\.")


def test_each_files_problems_sit_under_its_own_status_line(page):
    """A file with errors, a clean one, and another with errors: the problems were drawn below the last status line,
    so the first file's table read as the clean file's. Each file's problems now follow its own line, and the line
    counts what its table and its sentences list: "2 error(s)" stood over "The 1 problem(s) in full"."""
    other_store = [["S12", "2026-09-07", str(hour), *GOOD_ROW[3:]] for hour in (10, 11)]
    late = [["S01", "2026-09-07", "25", *GOOD_ROW[3:]]]
    _upload(page, ("a.csv", csv_bytes(OBSERVATION_HEADER, other_store)), ("b.csv", CORRECTED),
            ("c.csv", csv_bytes(OBSERVATION_HEADER, late)))
    assert not page.exception
    seen = _in_order(page)
    lines = [index for index, (kind, _) in enumerate(seen) if kind == "status"]
    assert [seen[index][1].split(" (")[0] for index in lines] == ["**a\\.csv**", "**b\\.csv**", "**c\\.csv**"]
    a, b, c = lines
    assert "1 error on 2 of 2 rows; no warnings\\. The error blocks the import\\." in seen[a][1]
    assert "1 error on 1 of 1 row; no warnings" in seen[c][1]
    assert "no problems" in seen[b][1]
    # a's table and sentence sit between a's line and b's, c's after c's line; the clean b has none
    assert [kind for kind, _ in seen[a + 1:b]].count("table") == 1 and [kind for kind, _ in seen[b + 1:c]] == []
    a_table, c_table = page.dataframe[0].value, page.dataframe[1].value
    assert set(a_table["file"]) == {"a.csv"} and a_table["row"].tolist() == ["2-3"]
    assert set(c_table["file"]) == {"c.csv"} and c_table["row"].tolist() == ["2"]
    a_sentences = [text for kind, text in seen[a + 1:b] if kind == "sentences"]
    assert len(a_sentences) == 1 and a_sentences[0].startswith("- **error**, rows 2\\-3, store\\_id")
    assert "\\(2 rows\\)" in a_sentences[0] and "a\\.csv" not in a_sentences[0]  # its heading names the file
    assert any("hour" in text for kind, text in seen[c + 1:] if kind == "sentences")
    # the expanders count the same lines as the status line: one each
    counted = [int(re.search(r"The (\d+) problems? ", expander.label).group(1)) for expander in page.expander
               if re.search(r"The \d+ problems? ", expander.label)]
    assert counted == [1, 1]


def test_problems_of_two_files_in_one_table_name_their_file(page, monkeypatch):
    """An import refused after the check (another import got in between) lists every file's problems at once:
    there, two files' row 2 read alike, so each sentence names its file."""
    from planner.errors import InputProblem, InputRejected

    def refused(files, scope):
        raise InputRejected([InputProblem(name, 2, "hour", "25", "hour 25 is not a clock hour", "Use 0-23.")
                             for name in ("a.csv", "b.csv")])

    _upload(page, ("a.csv", CORRECTED), ("b.csv", CORRECTED))
    monkeypatch.setattr("app_pages.data.import_files", refused)
    page.button(key=state.IMPORT_BUTTON).click().run()
    lines = [m.value for m in page.markdown if m.value.startswith("- **error**")][-1].splitlines()
    assert lines[0].startswith("- **error**, a\\.csv, row 2") and lines[1].startswith("- **error**, b\\.csv, row 2")
    assert page.dataframe[-1].value["file"].tolist() == ["a.csv", "b.csv"]


def _in_order(at: AppTest) -> list[tuple[str, str]]:
    """The page's file status lines, problem sentences and tables, in the order they are drawn."""
    seen = []
    for node in at.main:
        kind = getattr(node, "type", None)
        value = str(getattr(node, "value", "")) if kind != "dataframe" else ""
        if kind in ("error", "warning", "success") and " (observations)" in value:
            seen.append(("status", value))
        elif kind == "markdown" and value.startswith("- **"):
            seen.append(("sentences", value))
        elif kind == "dataframe":
            seen.append(("table", value))
    return seen


def test_a_header_only_file_says_it_has_no_rows(page):
    _upload(page, ("empty.csv", csv_bytes(OBSERVATION_HEADER, [])))
    assert page.button(key=state.IMPORT_BUTTON).disabled
    assert "has a header but no rows" in page.dataframe[0].value.loc[0, "message"]


def test_a_workbook_with_an_empty_first_sheet_is_told_to_put_the_rows_there(page):
    """A workbook whose first sheet is empty (its second holding no file's rows) was told "Put the header and counts
    on the first sheet", whether it was meant as counts, stores, people, absences or a calendar: the page does not
    know which, and says the rows."""
    _upload(page, ("week50.xlsx", xlsx_bytes([], sheets=2)))
    assert not page.exception and page.button(key=state.IMPORT_BUTTON).disabled
    (problem,) = page.dataframe[0].value.itertuples()
    assert (problem.message, problem.fix) == ("the file has an empty first sheet",
                                              "Put the header and the rows on the first sheet.")
    assert any("Put the header and the rows on the first sheet" in text.value for text in page.markdown)


def test_a_workbook_not_read_is_named_as_what_its_other_sheet_holds_or_as_of_a_kind_unknown(page):
    """The status line of a workbook rejected as it was read said "(observations)" whatever it held: a calendar on
    its second sheet is the calendar its error names, and one whose sheets hold no file's rows is of a kind
    unknown."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.create_sheet("Calendar").append(["store_id", "date", "closed"])
    workbook["Calendar"].append(["S01", "2026-12-24", "yes"])
    saved = io.BytesIO()
    workbook.save(saved)
    _upload(page, ("calendar.xlsx", saved.getvalue()), ("week50.xlsx", xlsx_bytes([], sheets=2)))
    assert not page.exception
    said = {box.value.split("**")[1]: box.value for box in page.error if box.value.startswith("**")}
    assert said == {"calendar\\.xlsx": "**calendar\\.xlsx** (calendar): 1 error; no warnings\\. The error blocks the import\\.",
                    "week50\\.xlsx": "**week50\\.xlsx** (expected observations, stores, employees, absences or calendar): 1 "
                                   "error; no warnings\\. The error blocks the import\\."}
    sentences = " ".join(text.value for text in page.markdown)
    assert "the calendar days are on sheet 'Calendar'" in sentences, sentences


def test_a_one_row_files_status_line_says_row_in_the_singular(page):
    """The walk: a store file of one store (the others kept, a warning) read "stores.csv (stores): 1 rows, 1 warning;
    those rows are imported as they are", and a clean one-row count file "1 rows, no problems"."""
    one_store = "\n".join((DATA / "stores.csv").read_text(encoding="utf-8").splitlines()[:2]).encode()
    _upload(page, ("one_store.csv", one_store), ("counts.csv", CORRECTED))
    assert not page.exception
    (warned,) = [box.value for box in page.warning if "(stores)" in box.value]
    assert "1 row, 1 warning; that row is imported as it is." in warned, warned
    (clean,) = [box.value for box in page.success if "(observations)" in box.value]
    assert "1 row, no problems." in clean, clean


def test_employee_and_absence_files_are_checked_and_imported_with_the_rest(page):
    """The sample's people and absences (data/employees.csv, data/absences.csv), and a broken absence file named at
    its row and column."""
    people = (DATA / "employees.csv").read_bytes()
    broken = b"employee_id,first_day,last_day,reason\nNOBODY,2026-12-08,,sick\n"
    _upload(page, ("employees.csv", people), ("absences.csv", broken))
    assert page.button(key=state.IMPORT_BUTTON).disabled
    problems = page.dataframe[0].value
    assert (problems["file"].tolist(), problems["row"].astype(str).tolist(), problems["column"].tolist()) == \
        (["absences.csv"], ["2"], ["employee_id"])
    _upload(page, ("employees.csv", people), ("absences.csv", (DATA / "absences.csv").read_bytes()))
    assert not page.exception and not page.button(key=state.IMPORT_BUTTON).disabled
    assert any(expander.label.startswith("Employees and absences") for expander in page.expander)
    page.button(key=state.IMPORT_BUTTON).click().run()
    rows = len((DATA / "employees.csv").read_text().splitlines()) - 1
    assert [box.value for box in page.success if "rows added" in box.value] == [
        f"employees.csv: {rows} rows added, 0 replaced, 0 unchanged", "absences.csv: 6 rows added, 0 replaced, 0 unchanged"]


def test_an_empty_file_says_which_files_were_expected(page):
    """The walk: an empty file's status line read "**empty.csv** (kind unknown)": jargon that said nothing of what the
    page takes. It now says what was expected."""
    _upload(page, ("empty.csv", b""))
    assert not page.exception
    (said,) = [box.value for box in page.error if box.value.startswith("**empty")]
    assert said.startswith("**empty\\.csv** (expected observations, stores, employees, absences or calendar): ")
    assert "unknown" not in said


def test_a_store_calendar_is_recognised_and_imported_with_the_rest(page, tmp_path):
    """A calendar file was read as observations ("required column 'hour' is missing... add a column headed
    'visitors'"): the page had no way to enter one."""
    calendar = b"store_id,date,closed,hours,demand_factor,note\n*,2026-12-25,yes,,,Christmas Day\n"
    _upload(page, ("calendar.csv", calendar), ("counts.csv", CORRECTED))
    assert not page.exception and not page.button(key=state.IMPORT_BUTTON).disabled
    assert not any("visitors" in str(box.value) for box in page.error)
    page.button(key=state.IMPORT_BUTTON).click().run()
    assert any("calendar.csv: 1 row added" in box.value for box in page.success)
    engine = storage.connect(Settings(database_url=os.environ[DATABASE_URL_ENV]))
    assert storage.load_calendar(engine)["note"].tolist() == ["Christmas Day"]
    engine.dispose()


def test_a_managers_employee_file_naming_another_stores_person_is_refused_at_the_check(sample_url, monkeypatch):
    """S01's manager added S02's person's id (moved to S01): the check said "no problems" and offered Import, which
    then refused the file ("already taken by people of a store that is not yours"). The same rule now runs at the
    check, naming the row with the file's other problems, and Import is not offered."""
    from planner.access.scope import Scope

    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.SCOPE_KEY] = Scope(user="mia", role="store_manager", stores=frozenset({"S01"}))
    at.run()
    people = (b"employee_id,name,store_id,contract_hours_min,contract_hours_max\n"
              b"S01-NEW,Nia,S01,10,20\nS02-E01,Carl T.,S01,10,20\nS01-N3,Ola,S01,30,20\n")
    _upload(at, ("people.csv", people))
    assert not at.exception
    assert at.button(key=state.IMPORT_BUTTON).disabled
    problems = at.dataframe[0].value
    taken = problems[problems["column"] == "employee_id"]
    assert taken["row"].astype(str).tolist() == ["3"] and taken["value"].tolist() == ["S02-E01"]
    assert "already taken" in taken["message"].iloc[0]
    assert len(problems) > 1, "the file's other problem (contract hours) is reported with it"
    assert not any("no problems" in box.value for box in at.success)
    _upload(at, ("people.csv", people.replace(b"S01-N3,Ola,S01,30,20", b"S01-N3,Ola,S01,20,30")))
    assert at.button(key=state.IMPORT_BUTTON).disabled  # the taken id alone blocks it
    del at.session_state[state.SCOPE_KEY]  # a planner (every store) may move S02's person
    at.run()
    assert not at.exception and not at.button(key=state.IMPORT_BUTTON).disabled


def test_a_files_status_counts_the_headers_problems_apart_and_says_what_blocks_the_import(page):
    """An 8-row file without self_service_minutes read "3 errors on 3 rows" (the missing column sits on the header,
    row 1, counted as a row: with an error on every row, "on 9 rows" of 8), and "1 warning on 1 row; it blocks the
    import" read as if the warning blocked it. The header's problems are counted apart, the rows against the
    file's, and the line says that the errors block the import and the warning does not."""
    header = OBSERVATION_HEADER.replace(",self_service_minutes", "")
    good = [cell for position, cell in enumerate(GOOD_ROW) if position != 7]  # no self_service_minutes
    rows = [["S02", "2026-10-10", str(hour), *good[3:]] for hour in range(10, 18)]
    rows[2][-1] = "six"  # row 4: staff_on_duty is no number
    rows[5][2] = "25"  # row 7: no clock hour
    rows[6][1:3] = ["2026-10-11", "16"]  # row 8: S02 is closed on Sundays (data/stores.csv), a warning
    _upload(page, ("counts.csv", csv_bytes(header, rows)))
    assert not page.exception
    (line,) = [box.value.replace("\\", "") for box in page.error if box.value.startswith("**counts\\.csv**")]
    assert line.endswith(": 3 errors (1 in the header, 2 on 2 of 8 rows); 1 warning on 1 row. The errors block the "
                         "import, the warning does not.")
    problems = page.dataframe[0].value
    assert sorted(problems["row"]) == ["1", "4", "7", "8"]  # the lines it counts


def test_problems_are_counted_with_the_header_apart():
    from planner.errors import InputProblem, problems_counted

    def problem(file: str, row: int | None, severity: str = "error", message: str = "wrong") -> InputProblem:
        return InputProblem(file, row, "hour", "", message, "Correct it.", severity)

    header = problem("a.csv", 1, message="required column 'hour' is missing")
    assert problems_counted([header], "error") == "1 error in the header"
    assert problems_counted([header, problem("a.csv", 2), problem("a.csv", 3)], "error", rows_read=8) == \
        "2 errors (1 in the header, 1 on 2 of 8 rows)"
    assert problems_counted([problem("a.csv", 2), problem("a.csv", 3)], "error", rows_read=8) == \
        "1 error on 2 of 8 rows"
    assert problems_counted([problem("a.csv", 2)], "error") == "1 error on 1 row"  # several files: no file's rows
    other = problem("b.csv", 1, message="required column 'hour' is missing")
    assert problems_counted([header, other, problem("b.csv", 5, message="late")], "error") == \
        "3 errors (2 in 2 headers, 1 on 1 row)"
    assert problems_counted([problem("a.csv", None, message="is empty"), header], "error") == \
        "2 errors (1 in the header, 1 with the whole file)"
    whole = problem("a.csv", None, message="is empty")
    assert problems_counted([whole, problem("a.csv", 2, message="late"), problem("a.csv", 3, message="early")],
                            "error", rows_read=8) == "3 errors (2 on 2 of 8 rows, 1 with the whole file)"
    assert problems_counted([whole], "error") == "1 error"
    assert problems_counted([whole, problem("b.csv", None, message="is empty"), problem("b.csv", 2)], "error") == \
        "3 errors (1 on 1 row, 2 with 2 whole files)"
    assert problems_counted([header], "warning") == "no warnings"
    assert problems_counted([problem("a.csv", 4)], "error", rows_read=8) == "1 error on 1 of 8 rows"


def test_a_store_file_leaving_stores_out_says_how_to_stop_planning_them_in_the_pages_words(page, tmp_path, capsys):
    """The walk: a store file of one store warned on the Upload page "To stop planning a store, pick the stores you
    want on each page or with --store", a command-line flag on a page. The page now says it in its own words, and
    `validate` and `import` keep naming --store."""
    from planner import cli

    s01 = (DATA / "stores.csv").read_text(encoding="utf-8").splitlines()[:2]
    _upload(page, ("one_store.csv", "\n".join(s01).encode() + b"\n"))
    assert not page.exception
    said = [element.value.replace("\\", "") for element in page.markdown if "already stored" in element.value]
    assert len(said) == 1 and "8 stores already stored are not in this file" in said[0], said
    assert "To stop planning a store, pick the stores you want on each page;" in said[0]
    assert "--" not in said[0]
    (path := tmp_path / "one_store.csv").write_text("\n".join(s01) + "\n", encoding="utf-8")
    cli.main(["--database-url", os.environ[DATABASE_URL_ENV], "validate", str(path)])
    assert "To stop planning a store, pick the stores you want on each page or with --store;" in capsys.readouterr().out


def test_a_store_files_zone_written_as_an_abbreviation_with_an_offset_is_told_the_places_iana_name(page):
    """The walk: "CET+1" in the store file's time_zone column was offered "did you mean 'CET'?" (an hour out),
    later nothing at all, while "UTC+1" there, and any offset on the Settings page or `settings set`, was told to
    give the place's IANA name. The Upload page now says the same of both, in `planner.zones` words."""
    header, *stores = (DATA / "stores.csv").read_text(encoding="utf-8").splitlines()[:3]
    rows = [f"{store},{zone}" for store, zone in zip(stores, ("CET+1", "UTC+01:00"), strict=True)]
    _upload(page, ("stores.csv", "\n".join([f"{header},time_zone", *rows]).encode() + b"\n"))
    assert not page.exception
    table = page.dataframe[0].value
    said = dict(zip(table["value"], table["message"], strict=True))
    assert set(said) == {"CET+1", "UTC+01:00"}, table
    for zone, message in said.items():
        assert "did you mean" not in message and "UTC offset" in message, message
        assert "use the IANA name of the place, such as Europe/Berlin" in message, message


@pytest.mark.parametrize("sent, named", [
    ('counts %22x%22 🛒.csv', 'counts "x" 🛒.csv'),  # a browser's form data escapes " as %22
    ("a%0D%0Ab.csv", "a\r\nb.csv"),  # and CR and LF as %0D and %0A
    ("100%25.csv", "100%25.csv"),  # no other escape: a file truly so named keeps its name
    ("%2522.csv", "%2522.csv"),
    ("%220.csv", '"0.csv'),
    ("x%22%0a.csv", 'x"%0a.csv'),  # the form's escapes are upper case
])
def test_an_uploaded_files_name_is_the_one_the_browser_escaped(sent, named):
    from planner.intake import uploaded_name

    assert uploaded_name(sent) == named


def test_a_file_named_with_quotes_is_checked_imported_and_recorded_under_its_own_name(page):
    """The walk: `<b>counts "x" 🛒.csv` was shown, imported and written to the audit trail as
    `<b>counts %22x%22 🛒.csv`, the name as the browser's form data escapes it."""
    from planner.storage.audit import audit_trail

    _upload(page, ('<b>counts %22x%22 🛒.csv', CORRECTED))
    assert not page.exception
    named = '<b>counts "x" 🛒.csv'
    assert [box.value for box in page.success] == [f"**{tables.as_text(named)}** (observations): 1 row, no problems."]
    page.button(key=state.IMPORT_BUTTON).click().run()
    assert f"{named}: 1 row added, 0 replaced, 0 unchanged" in [box.value for box in page.success]
    engine = storage.connect(Settings(database_url=os.environ[DATABASE_URL_ENV]))
    summaries = " ".join(audit_trail(engine)["summary"])
    engine.dispose()
    assert named in summaries and "%22" not in summaries


def test_a_problem_on_several_rows_names_them_as_rows(page):
    """The walk: a problem on four rows read "row 2-5"; one on a single row still reads "row 6", and a row repeated
    on two others names them as rows too."""
    rows = [["S12", "2026-09-07", str(hour), *GOOD_ROW[3:]] for hour in (10, 11, 12, 13)]
    rows += [["S01", "2026-09-07", "25", *GOOD_ROW[3:]]]
    rows += [["S01", "2026-09-08", "10", *GOOD_ROW[3:]]] * 3
    _upload(page, ("counts.csv", csv_bytes(OBSERVATION_HEADER, rows)))
    assert not page.exception
    sentences = [line for m in page.markdown if m.value.startswith("- **") for line in m.value.splitlines()]
    assert any(line.startswith("- **error**, rows 2\\-5, store\\_id") for line in sentences), sentences
    assert any(line.startswith("- **error**, row 6, hour") for line in sentences), sentences
    assert not [line for line in sentences if re.search(r"\brow \d+\\-", line)]
    assert any("hour 10 is also on rows 8, 9" in line for line in sentences), sentences
    assert not [line for line in sentences if re.search(r"also on row \d+, ", line)]


def test_the_drop_zone_comes_first_and_the_explanations_below_it(page):
    """The walk: the drop zone sat under three long sections (files, employees, calendar), near the bottom of the
    first screen at 1024 px. It now follows the title, saying what it takes in one line; each explanation is an
    expander below it, and a file's check is drawn between the two."""
    drawn = _top_level(page)
    assert drawn[:2] == ["title", "file_uploader"], drawn
    label = page.file_uploader(key=state.UPLOADED_FILES).label
    assert "\n" not in label and "CSV or XLSX" in label
    assert not page.subheader
    assert [expander.label for expander in page.expander] == [
        "What the files look like", "Employees and absences: what their files look like",
        "Store calendar: what its file looks like"]
    _upload(page, ("counts.csv", CORRECTED))
    drawn = _top_level(page)
    assert drawn.index("file_uploader") < drawn.index("success") < drawn.index("expander"), drawn


def _top_level(at: AppTest) -> list[str]:
    """What the page draws, outermost elements only, in order (an expander as one)."""
    return [getattr(node, "type", None) for _, node in sorted(at.main.children.items())]


def _written_words(path) -> list[str]:
    """The string constants of a module (f-strings' literal parts included) that read as words a page shows: with a
    space, or starting with a capital letter (a label such as "Import"). Docstrings are left out."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and re.search(r"[A-Za-z]\W* \W*[A-Za-z]|^[A-Z][a-z]", node.value)]


def test_the_upload_page_shows_words_written_in_surfaces_not_its_own():
    """The other pages' words live in `planner.surfaces`, where one phrase is written once for every surface; the
    Upload page kept every sentence, label and column meaning inline. It now draws them from there."""
    from planner.surfaces.upload import UPLOAD_OBSERVATION_COLUMNS, UPLOAD_STORE_COLUMNS, UPLOAD_TITLE

    assert _written_words(ROOT / "app_pages" / "upload.py") == []
    assert UPLOAD_TITLE == "Upload counts"
    assert _written_words(ROOT / "app_pages" / "my_store.py"), "the check finds words where a page writes them"
    # the tables of columns, written as words there, name the schemas' columns (the page took them from the schemas)
    from planner.schemas import ObservationSchema, StoreSchema

    for shown, schema in ((UPLOAD_OBSERVATION_COLUMNS, ObservationSchema),
                          (UPLOAD_STORE_COLUMNS, StoreSchema)):
        named = [name for key in shown if key != "mon ... sun" for name in key.split(", ")]
        assert set(named) <= set(schema.columns()), set(named) - set(schema.columns())


def test_the_roster_s_follow_re_plan_and_plan_vs_actual_say_words_written_in_surfaces_not_their_own():
    """The Roster page wrote its follow re-plan's box, spinner and refusals and its re-plan changes' column helps
    inline, `planner.rostering.follow` its refusal of a roster with nothing to follow, and the pages' tables and My
    store the labels and captions of Plan vs actual; the sign-in page its single-user note and its tab signed out
    elsewhere, the Roster page a draft's calendars' caption and My store its captions of costs, downloads, own
    targets and schedule: each is written in the surfaces module of its page now, and no page (nor the follow
    module) writes any part of them."""
    from planner.surfaces import my_store, plan_vs_actual, roster, signin

    moved = [roster.follow_replan_said("you publish"), roster.REPLANNING, roster.follow_not_publishable("why"),
             roster.replan_not_published("why"), roster.nothing_to_follow(5, "S01", "2026-W50"),
             *roster.replan_changes_help(14).values(),
             *(words for pair in plan_vs_actual.MEASURES.values() for words in pair),
             *plan_vs_actual.LONG_LABELS.values(),
             plan_vs_actual.forecast_caption(), my_store.PLAN_VS_ACTUAL_STAFF_CAPTION,
             signin.LOCAL_NOTE, signin.SIGNED_OUT_ELSEWHERE, roster.CALENDARS_WITH_PUBLISHING, my_store.COSTS_CAPTION,
             my_store.SCHEDULED_FROM_CAPTION, my_store.downloads_made_with("targets"),
             my_store.own_targets_caption("S01", "the store file's value")]
    assert "**Re-plan to follow it**: keeps as many published shifts" in moved[0]
    assert plan_vs_actual.name("mape") == "Typical miss"
    paths = [*(ROOT / "app_pages").glob("*.py"), ROOT / "planner" / "rostering" / "follow.py"]
    # a part of a sentence, as an f-string holds it between its values: long enough to be no common phrase
    # ("the published roster ") of the page's other words
    written = {(path.name, words) for path in paths for words in _written_words(path) if len(words.strip()) >= 30}
    assert written, "the check finds words where the pages write them"
    assert not [(name, words) for name, words in written if any(words.strip() in said for said in moved)]
