"""One import is one transaction, whatever flag names its files: a bad file anywhere stores nothing, and the
command line refuses what it would otherwise drop without a word (a flag given twice, an empty user name)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import state
from planner.cli import main

from conftest import DATA, FIXTURES, ROOT

BAD_CALENDAR = FIXTURES / "calendar_bad.csv"  # 3 rows, each with an error
ONE_COUNT = FIXTURES / "one_count.csv"  # one good counted hour of S01


def _run(capsys, url: str, *args: str) -> tuple[int, str]:
    code = main(["--database-url", url, *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _contents(url: str) -> list[str]:
    """Every row of every table, as SQL: what "nothing was imported" must leave as it was."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        return list(connection.iterdump())


def _renamed_store_file(tmp_path) -> str:
    path = tmp_path / "stores.csv"
    path.write_text((DATA / "stores.csv").read_text(encoding="utf-8").replace("Berlin Mitte Electronics", "Renamed"),
                    encoding="utf-8")
    return str(path)


def _new_person_file(tmp_path) -> str:
    path = tmp_path / "people.csv"
    header = (DATA / "employees.csv").read_text(encoding="utf-8").splitlines()[0]
    path.write_text(f"{header}\nS01-E99,New Person,S01,,cashier,30,40,,,,,,,,,,,\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("others", [
    lambda tmp_path: [str(ONE_COUNT)],
    lambda tmp_path: ["--stores", _renamed_store_file(tmp_path), _new_person_file(tmp_path)],
], ids=["counts", "stores-and-people"])
def test_a_bad_calendar_under_the_flag_stores_none_of_the_files_it_came_with(capsys, sample_url, tmp_path, others):
    """`import --calendar bad.csv ok.xlsx` stored ok.xlsx (a counts row, an upload, an audit entry, patience
    estimates) and then said "nothing was imported": the calendar was imported after the others, in a transaction of
    its own. Now it is one more file of the batch, checked before anything is written."""
    before = _contents(sample_url)
    code, out = _run(capsys, sample_url, "import", "--calendar", str(BAD_CALENDAR), *others(tmp_path))
    assert code == 1 and "nothing was imported" in out
    assert " added, " not in out and "calendar_bad.csv:3: date:" in out
    assert _contents(sample_url) == before


def test_a_good_calendar_under_the_flag_is_imported_with_the_other_files(capsys, sample_url, tmp_path):
    calendar = tmp_path / "calendar.csv"
    calendar.write_text("store_id,date,closed,hours,demand_factor,note\nS01,2026-12-24,yes,,,Christmas Eve\n",
                        encoding="utf-8")
    code, out = _run(capsys, sample_url, "import", "--calendar", str(calendar), str(ONE_COUNT))
    assert code == 0
    assert "one_count.csv: 1 row added" in out and "calendar.csv: 1 row added" in out


@pytest.fixture
def upload_page(sample_url, monkeypatch) -> AppTest:
    monkeypatch.setenv("PLANNER_DATABASE_URL", sample_url)
    return AppTest.from_file(str(ROOT / "app_pages" / "upload.py"), default_timeout=90).run()


def test_the_upload_page_blocks_good_files_that_came_with_a_bad_calendar(upload_page, sample_url):
    """The Upload page checks every file, the calendar among them, before its Import button can be pressed (and
    imports them through the same one transaction): the same bad calendar blocks the counts beside it."""
    before = _contents(sample_url)
    files = [(path.name, path.read_bytes(), "text/csv") for path in (BAD_CALENDAR, ONE_COUNT)]
    upload_page.file_uploader(key=state.UPLOADED_FILES).set_value(files).run()
    assert not upload_page.exception
    assert upload_page.button(key=state.IMPORT_BUTTON).disabled
    (blocked,) = [box.value for box in upload_page.error if "blocked by" in box.value]
    assert "calendar\\_bad\\.csv" in blocked and "one\\_count" not in blocked
    assert _contents(sample_url) == before


def test_a_repeated_stores_flag_is_refused_not_cut_to_the_last_file(capsys, sample_url, tmp_path):
    """`import --stores a.csv --stores b.csv --stores c.csv obs.csv` read c.csv alone and dropped the others without
    a word; several store files given as plain FILEs were refused. Now both are, and nothing is stored."""
    before = _contents(sample_url)
    renamed = _renamed_store_file(tmp_path)
    code, out = _run(capsys, sample_url, "import", "--stores", str(DATA / "stores.csv"), "--stores", renamed,
                     str(ONE_COUNT))
    assert code == 1 and "more than one store file in one import" in out
    assert len(out.strip().splitlines()) == 1 and " added, " not in out
    assert _contents(sample_url) == before


@pytest.mark.parametrize("argv", [
    ["validate", "--stores", "a.csv", "--stores", "b.csv", "c.csv"],
    ["import", "--calendar", "a.csv", "--calendar", "b.csv"],
    ["plan", "--week", "2026-W50", "--calendar", "a.csv", "--calendar", "b.csv"],
    ["roster", "replan", "--absence", "a.csv", "--absence", "b.csv"],
    ["simulate", "--store", "S01", "--schedule", "a.csv", "--schedule", "b.csv"],
    ["--as", "ana", "--as", "bob", "stores"],
    ["recommend", "--out", "a.csv", "--out", "b.csv"],
], ids=lambda argv: next(a for a in argv if a.startswith("--") and argv.count(a) > 1))
def test_a_flag_that_takes_one_value_given_twice_is_refused(capsys, sample_url, argv, tmp_path, monkeypatch):
    """argparse kept the last of a repeated one-value flag: the first calendar, absence file, schedule or user was
    dropped without a word (`--as ana --as bob` ran as bob)."""
    monkeypatch.chdir(tmp_path)  # where `--out b.csv` was written
    code, out = _run(capsys, sample_url, *argv)
    flag = next(a for a in argv if a.startswith("--") and argv.count(a) > 1)
    assert code == 1 and f"argument {flag}: given twice" in out
    assert len(out.strip().splitlines()) == 1


@pytest.mark.parametrize("name", ["", "   "])
@pytest.mark.parametrize("argv", [["--as", "{}", "stores"], ["plan", "--week", "2026-W50", "--by", "{}"]],
                         ids=["as", "by"])
def test_an_empty_user_name_is_refused_not_read_as_every_store(capsys, sample_url, name, argv):
    """`--as "" stores` ran with the whole chain's scope, as if no --as were given (`--as nobody` is refused)."""
    code, out = _run(capsys, sample_url, *[name if a == "{}" else a for a in argv])
    assert code == 1 and "a user name is needed" in out
    assert "S01" not in out and len(out.strip().splitlines()) == 1


def test_validate_json_reports_an_unreadable_path_as_that_files_problem(capsys, sample_url, tmp_path):
    """`validate --format json good.csv adir.csv` printed only "error: cannot read adir.csv: Is a directory": no
    JSON, nothing of the file it could read. Now each file has its result, the folder a problem with the fields
    every problem has, and the exit code is the one the text report gives for a path it cannot read (2)."""
    folder = tmp_path / "adir.csv"
    folder.mkdir()
    code, out = _run(capsys, sample_url, "validate", "--format", "json", str(FIXTURES / "messy_observations.csv"),
                     str(folder), str(ONE_COUNT))
    report = json.loads(out)
    messy, unread, good = report["files"]
    assert code == 2 and messy["kind"] == "observations" and messy["problems"] and good["problems"] == []
    (problem,) = unread["problems"]
    assert unread["file"] == problem["file"] == str(folder) and unread["rows"] == 0
    assert problem.keys() == messy["problems"][0].keys()
    assert problem["severity"] == "error" and "Is a directory" in problem["message"]
    assert report["errors"] == sum(p["severity"] == "error" for f in report["files"] for p in f["problems"])
    code, out = _run(capsys, sample_url, "validate", "--format", "json", "--stores", str(folder), str(ONE_COUNT))
    unread, counts = json.loads(out)["files"]
    assert code == 2 and unread["file"] == str(folder) and counts["kind"] == "observations"
