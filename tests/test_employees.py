"""Employee and absence files: every planted defect at its row and column with a fix, nothing else; clean files
become the typed people of `planner.roster.people`, and back."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from planner.errors import InputRejected
from planner.io import read_table
from planner.io.employees import (
    absences_of, employee_frame, employees_of, validate_absences, validate_employees, windows_of,
)
from planner.roster.people import Employee, Window
from planner.settings import store_column_info

from conftest import max_examples

HEADER = ("employee_id,name,store_id,also_stores,skills,contract_hours_min,contract_hours_max,max_hours_per_day,"
          "wage_per_hour,mon,tue,wed,thu,fri,sat,sun,preferred_days_off,prefers\n")
STORES = ("S01", "S02")


def _employees(body: str, known=STORES, name="employees.csv"):
    return validate_employees(read_table((HEADER + body).encode(), name), known)


def _absences(text: str, known=("E1", "E2")):
    return validate_absences(read_table(text.encode(), "absences.csv"), known)


def test_every_defect_of_an_employee_file_is_named_at_its_row_and_column():
    checked = _employees(
        "E1,Ann,S01,S02,keyholder,20,40,,,,,,,,,,,\n"                      # 2: clean
        "E2,Bob,S99,S77,cashier,30,20,25,-3,9-17,,,,,,,funday,sometimes\n"  # 3: eight defects
        "E1,Cy,,,,abc,,,,,10:00-12:00;11:00-13:00,24:30-25:00,,,,,,\n"      # 4: id repeated, blanks, bad times
        "E3,Di,S01,,key holder!,0,168.5,0,0,,,,,,,,,\n"                     # 5: skill, hours beyond a week, zeros
    )
    assert {(p.row, p.column) for p in checked.errors} == {
        (2, "employee_id"), (4, "employee_id"),
        (3, "store_id"), (3, "also_stores"), (3, "contract_hours_min"), (3, "max_hours_per_day"),
        (3, "wage_per_hour"), (3, "mon"), (3, "preferred_days_off"), (3, "prefers"),
        (4, "store_id"), (4, "contract_hours_min"), (4, "contract_hours_max"), (4, "tue"), (4, "wed"),
        (5, "skills"), (5, "contract_hours_max"), (5, "max_hours_per_day"), (5, "wage_per_hour"),
    }
    assert checked.frame.empty
    for problem in checked.errors:
        assert problem.file == "employees.csv" and problem.message and problem.fix
    said = {(p.row, p.column): p.message for p in checked.errors}
    assert said[(3, "contract_hours_min")] == "contract_hours_min (30) is more than contract_hours_max (20)"
    assert said[(3, "store_id")] == "store 'S99' is not in the store file"
    assert "overlap (10:00-12:00 and 11:00-13:00)" in said[(4, "tue")]
    assert "does not exist" in said[(4, "wed")]


@pytest.mark.parametrize("low, high, said", [
    ("50", "40.0", "(50) is more than contract_hours_max (40)"),  # the sample writes 40.0; a user typed 50
    ("38.50", "20", "(38.5) is more than contract_hours_max (20)"),
    ("40.5", "40.25", "(40.5) is more than contract_hours_max (40.25)"),
])
def test_contract_hours_min_above_max_says_both_numbers_alike(low, high, said):
    """"contract_hours_min (50) is more than contract_hours_max (40.0)": one cell as typed, the other as the sample
    file writes it. Both are written as numbers, alike."""
    (problem,) = _employees(f"E1,Ann,S01,,,{low},{high},,,,,,,,,,,\n").errors
    assert problem.message == f"contract_hours_min {said}"


def test_a_missing_column_and_a_person_never_available_are_said():
    missing = validate_employees(read_table(b"employee_id,name,store_id,contract_hours_min\nE1,Ann,S01,0\n",
                                            "e.csv"), STORES)
    assert [(p.row, p.column) for p in missing.errors] == [(1, "contract_hours_max")]
    never = _employees("E1,Ann,S01,,,0,10,,,off,off,off,off,off,off,off,,\n")
    assert never.ok and [(p.row, p.column, p.severity) for p in never.problems] == [(2, "mon", "warning")]


def test_a_clean_employee_file_becomes_typed_people():
    checked = _employees("E1,Ann,S01,S02,Keyholder; cashier,20,40,,,18:00-22:00;09:00-13:00,off,,22:00-06:00,,,"
                         "off,sun;Sat,Early\n"
                         "E2,Bob,S02,,,0,20,8,15.5,,,,,,,,,\n")
    assert checked.ok, checked.problems
    ann, bob = employees_of(checked.frame)
    assert ann == Employee(
        "E1", "Ann", "S01", also_stores=("S02",), skills=frozenset({"keyholder", "cashier"}),
        contract_hours_min=20.0, contract_hours_max=40.0,
        availability=((Window(540, 780), Window(1080, 1320)), (), (Window(0, 2880),), (Window(1320, 1800),),
                      (Window(0, 2880),), (Window(0, 2880),), ()),
        preferred_days_off=frozenset({5, 6}), prefers="early")
    assert (bob.max_hours_per_day, bob.wage_per_hour, bob.stores, bob.is_keyholder) == (8.0, 15.5, ("S02",), False)
    assert ann.is_keyholder and ann.stores == ("S01", "S02")


def test_an_xlsx_employee_file_reads_as_its_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    rows = [HEADER.strip().split(","), ["E1", "Ann", "S01", "", "keyholder", 20, 40, 8, 16.5, "09:00-17:00",
                                         "off", "", "", "", "", "", "", "late"]]
    for row in rows:
        book.active.append(row)
    path = tmp_path / "employees.xlsx"
    book.save(path)
    checked = validate_employees(read_table(path.read_bytes(), "employees.xlsx"), STORES)
    csv = _employees("E1,Ann,S01,,keyholder,20,40,8,16.5,09:00-17:00,off,,,,,,,late\n")
    assert checked.ok and employees_of(checked.frame) == employees_of(csv.frame)


_WINDOW_STARTS = st.integers(0, 23 * 2).map(lambda half_hours: half_hours * 30)


@st.composite
def _people(draw):
    people = []
    for number in range(draw(st.integers(1, 4))):
        days = []
        for _ in range(7):
            kind = draw(st.sampled_from(["any", "off", "windows"]))
            if kind == "any":
                days.append((Window(0, 2880),))  # a blank cell: any time, past midnight too
            elif kind == "off":
                days.append(())
            else:
                start = draw(_WINDOW_STARTS)
                end = start + draw(st.integers(1, 16)) * 30
                days.append((Window(start, end),))
        low = draw(st.integers(0, 40))
        people.append(Employee(
            f"E{number}", f"Person {number}", draw(st.sampled_from(STORES)),
            skills=frozenset(draw(st.sets(st.sampled_from(["keyholder", "cashier", "fitting_room"])))),
            contract_hours_min=float(low), contract_hours_max=float(low + draw(st.integers(1, 20))),
            availability=tuple(days), preferred_days_off=frozenset(draw(st.sets(st.integers(0, 6), max_size=2))),
            prefers=draw(st.sampled_from([None, "early", "late"]))))
    return people


@hypothesis_settings(max_examples=max_examples(15, under_ci=6), deadline=None)
@given(_people())
def test_people_written_as_a_file_read_back_the_same(people):
    """Independent truth: the typed people drawn at random; the file is their frame written as CSV."""
    csv = employee_frame(people).to_csv(index=False)
    checked = validate_employees(read_table(csv.encode(), "e.csv"), STORES)
    assert checked.ok, checked.errors
    assert employees_of(checked.frame) == tuple(people)


@pytest.mark.parametrize(("text", "windows"), [
    ("", (Window(0, 2880),)), ("off", ()), ("00:00-24:00", (Window(0, 1440),)),  # blank: past midnight too
    ("09:00-17:00", (Window(540, 1020),)), ("22:00-02:00", (Window(1320, 1560),)),
])
def test_availability_cells_as_windows(text, windows):
    assert windows_of(text) == windows


def test_a_window_that_ends_when_it_starts_is_refused_not_read_as_a_whole_day():
    checked = _employees("E1,Ann,S01,,keyholder,20,40,,,09:00-09:00,24:00-24:00,,,,,,,middle\n")
    said = {p.column: p.message for p in checked.errors}
    assert set(said) == {"mon", "tue", "prefers"}
    assert "starts and ends at the same time" in said["mon"]
    assert "starts at 24:00, the end of the day" in said["tue"]  # it was "a time that does not exist"
    assert "too long" not in said["prefers"] and "'middle'" in said["prefers"]  # said to be neither early nor late


def test_every_defect_of_an_absence_file_is_named_and_a_clean_one_is_typed():
    checked = _absences("employee_id,first_day,last_day,reason\n"
                        "E1,2026-12-14,2026-12-15,leave\n"   # 2: clean
                        "E9,2026-12-14,,sick\n"              # 3: unknown person
                        "E2,2026-12-16,2026-12-15,\n"        # 4: ends before it starts
                        "E2,2026-12-32,,\n"                  # 5: no such date
                        "E1,2026-12-14,,again\n")            # 6: second absence starting the same day (with 2)
    assert {(p.row, p.column) for p in checked.errors} == {
        (3, "employee_id"), (4, "last_day"), (5, "first_day"), (2, "first_day"), (6, "first_day")}
    clean = _absences("employee_id,first_day,last_day,reason\nE1,2026-12-14,2026-12-15,leave\nE2,2026-12-16,,sick\n")
    assert clean.ok
    leave, sick = absences_of(clean.frame)
    assert (leave.first_day, leave.last_day, leave.reason) == (dt.date(2026, 12, 14), dt.date(2026, 12, 15), "leave")
    assert sick.first_day == sick.last_day == dt.date(2026, 12, 16) and sick.covers(dt.date(2026, 12, 16))


def test_an_unreadable_employee_file_is_rejected_in_one_sentence():
    with pytest.raises(InputRejected) as rejected:
        validate_employees(read_table(b"", "empty.csv"), STORES)
    assert "empty" in rejected.value.problems[0].message
    assert isinstance(employee_frame([]), pd.DataFrame) and employee_frame([]).empty


def test_the_sample_staff_are_the_seeded_generator_s_and_valid_against_the_sample_stores():
    """data/employees.csv holds, per store, exactly the people `generate_employees` gives for the file's count and
    seed; it and data/absences.csv pass the checks against the sample store file."""
    from planner.roster.generate import generate_employees

    from conftest import DATA

    seed = _script_constant(DATA / "generate_employees.py", "DEFAULT_SEED")
    stores = pd.read_csv(DATA / "stores.csv")["store_id"]
    checked = validate_employees(read_table((DATA / "employees.csv").read_bytes(), "employees.csv"), stores)
    assert checked.ok and not checked.warnings
    people = employees_of(checked.frame)
    for store in stores:
        here = tuple(p for p in people if p.store_id == store)
        assert len(here) >= 6 and here == generate_employees(store, len(here), seed)
    absences = validate_absences(read_table((DATA / "absences.csv").read_bytes(), "absences.csv"),
                                 [p.employee_id for p in people])
    assert absences.ok and len(absences.frame) == 6


def _script_constant(path, name: str):
    """A constant of a script, read from its source (running it would regenerate the files)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    (value,) = [node.value for node in tree.body if isinstance(node, ast.Assign)
                and any(getattr(target, "id", None) == name for target in node.targets)]
    return ast.literal_eval(value)


def test_the_file_s_wishes_are_the_roster_model_s():
    from planner.roster.people import PREFER_EARLY, PREFER_LATE
    from planner.schemas import PREFERENCES

    assert PREFERENCES == (PREFER_EARLY, PREFER_LATE)


def test_dates_beyond_what_can_be_stored_and_wages_beyond_any_are_refused():
    """An absence in 2300 was stored as 1715 (pandas' dates end in 2262), and a wage of 1e300 stopped the roster's
    solver with an unexpected error: both are now refused at their row and column."""
    checked = _absences("employee_id,first_day,last_day,reason\nE1,2300-01-01,,x\nE2,2026-12-01,9999-12-31,y\n")
    assert {(p.row, p.column) for p in checked.errors} == {(2, "first_day"), (3, "last_day")}
    assert all("is not a date of the years 1900-2199" in p.message for p in checked.errors)
    wages = _employees("E1,Ann,S01,,keyholder,20,40,,1e300,,,,,,,,,\n")
    (problem,) = wages.errors
    assert (problem.row, problem.column) == (2, "wage_per_hour") and "up to 1,000,000 per staff-hour" in problem.message


def test_an_absence_of_a_person_added_by_an_employee_file_with_an_error_elsewhere_is_not_said_to_be_unknown():
    """An employee file adding S01-E99 with a bad row for someone else, and an absence of S01-E99 in the same upload:
    the absence read "employee 'S01-E99' is not in the employee file"; the employee file's own error is what blocks
    the import, at its row."""
    from planner.intake import check_files
    from planner.settings import ImportRules

    people = ("employee_id,name,store_id,contract_hours_min,contract_hours_max\n"
              "S01-E99,Ada N.,S01,10,20\nS01-X00,Bo K.,S01,30,20\n").encode()
    away = b"employee_id,first_day,last_day,reason\nS01-E99,2026-12-08,,sick\n"
    stores = pd.DataFrame({"store_id": list(STORES), "region": ["r", "r"], "format": ["f", "f"],
                           **{day: ["09:00-17:00"] * 2 for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}})
    checked = {c.file_name: c for c in check_files([("people.csv", people), ("away.csv", away)], stores,
                                                    ImportRules(), known_employee_ids=[])}
    assert checked["people.csv"].errors and all(p.row == 3 for p in checked["people.csv"].errors)
    assert not checked["away.csv"].problems, checked["away.csv"].problems


BAD_EMPLOYEES = (
    "E1,Ann,S01,,,20,40,,,,,,,,,,,\n"                      # 2 and 3: one id on two rows (one problem line)
    "E1,Bob,S01,,,20,40,,,,,,,,,,,\n"
    "E3,Cy,S99,,,30,20,,,25:00-26:00,,,,,,,,\n"            # 4: unknown store, min above max, a time that is not
)


def test_an_employee_files_errors_are_counted_as_the_lines_that_list_them():
    """A duplicate id is one problem line over two rows: counted row by row, the file read "4 error(s)" (and the
    import "4 error(s) found") under the 3 lines that name its store, hours and availability plus the duplicate."""
    from planner.errors import group_problems, problems_counted

    checked = _employees(BAD_EMPLOYEES)
    assert len(checked.errors) == 5 and len(group_problems(checked.errors)) == 4
    assert problems_counted(checked.problems, "error") == "4 errors on 3 rows"
    assert problems_counted(checked.problems, "warning") == "no warnings"
    assert str(InputRejected(checked.problems)) == "4 errors on 3 rows found; nothing was imported"
    one = _employees("E1,Ann,S99,,,20,40,,,,,,,,,,,\n")
    assert str(InputRejected(one.problems, "nothing was simulated")) == "1 error on 1 row found; nothing was simulated"


def test_a_store_missing_from_the_database_is_not_said_to_be_missing_from_a_store_file():
    """Checked against the database's stores with no store file given, 'S99' was "not in the store file"."""
    from planner.intake import check_files
    from planner.settings import ImportRules

    from planner.settings import PROJECT_ROOT

    stores = ("stores.csv", (PROJECT_ROOT / "data" / "stores.csv").read_bytes())
    known = check_files([stores], None, ImportRules())[0].frame  # the database's stores, as storage loads them
    file = ("e.csv", (HEADER + BAD_EMPLOYEES).encode())

    def said(checked) -> str:
        (message,) = [p.message for c in checked for p in c.problems if p.column == "store_id"]
        return message

    meant = " (did you mean 'S09'?)"  # the sample has S09, as a count file's message would say
    assert said(check_files([file], known, ImportRules())) == "store 'S99' is not in the database" + meant
    assert said(check_files([file], known, ImportRules(), known_stores_in="data/stores.csv")) == (
        "store 'S99' is not in data/stores.csv" + meant)
    assert said(check_files([stores, file], None, ImportRules())) == "store 'S99' is not in the store file" + meant
    assert said(check_files([stores, file], known, ImportRules())) == (
        "store 'S99' is not in the store file or the database" + meant)


def test_a_store_typed_amiss_in_an_employee_file_is_given_the_suggestion_a_count_file_gets():
    """The walk: "S2" in a count file said "store 'S2' is not in the database (did you mean 'S02'?)", in an
    employee file's also_stores "'S2' names a store that is not in the database" and nothing more."""
    from planner.intake import check_files
    from planner.settings import PROJECT_ROOT, ImportRules

    data = PROJECT_ROOT / "data"
    known = check_files([("stores.csv", (data / "stores.csv").read_bytes())], None, ImportRules())[0].frame
    counts = (data / "single_count.csv").read_text().replace("S02,", "S2,").encode()
    people = (HEADER + "E1,Ann,S01,S2,,20,40,,,,,,,,,,,\n" "E2,Bob,S2,S01;S3;S03,,20,40,,,,,,,,,,,\n").encode()
    said = {(p.file, p.row, p.column): p.message for c in check_files(
        [("counts.csv", counts), ("people.csv", people)], known, ImportRules()) for p in c.problems}
    assert said[("counts.csv", 2, "store_id")] == "store 'S2' is not in the database (did you mean 'S02'?)"
    assert said[("people.csv", 2, "also_stores")] == (
        "'S2' names a store that is not in the database (did you mean 'S02'?)")
    assert said[("people.csv", 3, "store_id")] == "store 'S2' is not in the database (did you mean 'S02'?)"
    assert said[("people.csv", 3, "also_stores")] == (
        "'S01;S3;S03' names a store that is not in the database (did you mean 'S03' for 'S3'?)")


@pytest.mark.parametrize(("column", "value", "allowed"), [
    ("wage_per_hour", "0.001", "from 0.01 up to 1,000,000 per staff-hour"),
    ("wage_per_hour", "2000000", "from 0.01 up to 1,000,000 per staff-hour"),
    ("contract_hours_min", "-1", "from 0 up to 168 hours a week"),
    ("contract_hours_max", "169", "above 0 up to 168 hours a week"),
    ("max_hours_per_day", "24.5", "above 0 up to 24 hours"),  # the labour rules' range for a day
])
def test_each_employee_number_outside_its_range_says_the_range(column, value, allowed):
    """A wage of 0.001 passed (only > 0 was checked) where the store file refuses it (0.01 to 1,000,000); each
    number's message now says its whole range, the store file's wage range where it is the same quantity."""
    cells = dict.fromkeys(HEADER.strip().split(","), "") | {
        "employee_id": "E1", "name": "Ann", "store_id": "S01", "contract_hours_min": "20", "contract_hours_max": "40"}
    cells[column] = value
    (problem,) = _employees(",".join(cells.values()) + "\n").errors
    assert (problem.file, problem.row, problem.column, problem.value) == ("employees.csv", 2, column, value)
    assert problem.message == f"'{value}' is outside what {column} allows ({allowed})" and problem.fix
    assert store_column_info("wage_per_hour").allowed() == "from 0.01 up to 1,000,000 per staff-hour"


def test_an_absence_s_employee_id_in_another_case_names_the_person_meant():
    """An absence file typed by hand with 's01-e02' said only that the id was unknown; a near id of another number
    (S01-E99 beside S01-E09) is another person, so it is not offered."""
    checked = _absences("employee_id,first_day\ns01-e02,2026-12-10\nS01-E99,2026-12-10\n",
                        known=("S01-E02", "S01-E09"))
    messages = {p.row: p.message for p in checked.errors}
    assert messages == {2: "employee 's01-e02' is not in the employee file (did you mean 'S01-E02'?)",
                        3: "employee 'S01-E99' is not in the employee file"}
