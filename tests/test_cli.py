"""The command line as a planner uses it: exit codes, `file:row: column: message` lines, JSON, exports."""

from __future__ import annotations

import json
import re
import os
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import planner
from planner import cli, cli_files, cli_simulate, cli_staffing, storage
from planner.cli import main
from planner.cli_flags import EXIT_INPUT, EXIT_OK, EXIT_READER_GONE, EXIT_UNAVAILABLE
from planner.cli_io import DEBUG_ENV
from planner.errors import PlannerError
from planner.settings import Settings
from planner.shifts import batch, read_requirements
from planner.shifts.batch import ensure_planner_importable, solve_mode

from conftest import DATA, FIXTURES, ROOT, sqlite_copy
from test_validation import PLANTED_ERRORS, PLANTED_WARNINGS


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_validate_lists_every_planted_defect_and_exits_1(capsys, settings):
    url = settings.resolved_database_url()
    code, out = _run(capsys, "--database-url", url, "validate", str(FIXTURES / "messy_observations.csv"),
                     "--stores", str(DATA / "stores.csv"))
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("tests/fixtures/messy_observations.csv:")]
    reported = {(int(line.split(":")[1]), line.split(":")[2].strip()) for line in lines}
    assert reported == PLANTED_ERRORS | PLANTED_WARNINGS
    assert "24 errors on 23 rows, 2 warnings on 2 rows in 2 files" in out  # the lines above, not rows


def test_validate_without_a_store_list_falls_back_to_the_sample_and_says_so(capsys, settings):
    code, out = _run(capsys, "--database-url", settings.resolved_database_url(), "validate",
                     str(FIXTURES / "messy_observations.csv"))
    assert code == 1 and "store ids checked against data/stores.csv" in out
    assert ":15: store_id: store 'S99' is not in data/stores.csv" in out


def test_validate_json_and_a_clean_file(capsys, settings):
    url = settings.resolved_database_url()
    code, out = _run(capsys, "--database-url", url, "validate", "--format", "json", str(DATA / "stores.csv"),
                     str(DATA / "observations.csv"))
    report = json.loads(out)
    assert code == 0 and report["errors"] == 0
    assert [f["rows"] for f in report["files"]] == [9, 1686]
    code, out = _run(capsys, "--database-url", url, "validate", "--format", "json", str(FIXTURES / "messy_observations.csv"))
    (messy,) = json.loads(out)["files"]  # a file with errors has its rows all the same (it said 0)
    assert code == 1 and messy["rows"] == len(pd.read_csv(FIXTURES / "messy_observations.csv", dtype=str)) > 0


def test_a_store_file_with_errors_leaves_its_stores_known_and_only_a_store_truly_missing_is_said(
        capsys, settings, tmp_path):
    """`validate --stores stores_bad.csv observations.csv`, the store file broken in three cells, reported besides
    them "store 'S05' is not in the store file: 168 rows" for every store it holds, and "686 more errors": a store
    file with an error yielded no store at all. Its stores are known by the ids its rows name; a store no row names
    is still missing, and the note says the counts' hours went unchecked. `import` into an empty database says the
    same errors."""
    stores = pd.read_csv(DATA / "stores.csv", dtype=str, keep_default_na=False)
    stores.loc[0, "mon"], stores.loc[1, "min_staff"], stores.loc[2, "wage_per_hour"] = "9-18", "20", "18,50"
    stores.to_csv(bad := tmp_path / "stores_bad.csv", index=False)
    counts = pd.read_csv(DATA / "observations.csv", dtype=str, keep_default_na=False)
    counts.loc[5, "store_id"] = "S99"  # spreadsheet row 7
    counts.to_csv(observed := tmp_path / "observations.csv", index=False)
    url = settings.resolved_database_url()
    code, out = _run(capsys, "--database-url", url, "validate", "--stores", str(bad), str(observed))
    said = [line for line in out.splitlines() if line.startswith(str(tmp_path))]
    assert code == 1 and [line.split(":")[1:3] for line in said] == [
        ["2", " mon"], ["3", " max_staff"], ["4", " wage_per_hour"], ["7", " store_id"]], out
    assert "store 'S99' is not in the store file" in said[-1] and "more errors" not in out
    assert (f"note: store ids checked against {bad}; the other files' rows were not checked against its opening "
            "hours, since it has errors") in out
    assert "4 errors on 4 rows" in out
    code, imported = _run(capsys, "--database-url", url, "import", "--stores", str(bad), str(observed))
    assert code == 1 and [line for line in imported.splitlines() if line.startswith(str(tmp_path))] == said
    assert "4 errors on 4 rows found; nothing was imported" in imported


def test_import_stores_export_round_trip(capsys, settings, tmp_path):
    url = settings.resolved_database_url()
    code, out = _run(capsys, "--database-url", url, "import", "--stores", str(DATA / "stores.csv"),
                     str(DATA / "observations.csv"))
    # a count past a thousand with its separator, as every other count the command line says ("1686 rows added")
    assert code == 0 and "observations.csv: 1,686 rows added, 0 replaced, 0 unchanged" in out, out
    code, out = _run(capsys, "--database-url", url, "import", str(DATA / "observations.csv"))
    assert code == 0 and "observations.csv: nothing changed, all 1,686 rows are already stored" in out, out
    code, out = _run(capsys, "--database-url", url, "stores")
    assert code == 0 and "S07" in out and "2026-09-07..2026-10-04" in out
    target = tmp_path / "s01.csv"
    code, out = _run(capsys, "--database-url", url, "export-observations", "--store", "S01", "--out", str(target))
    exported = pd.read_csv(target)
    original = pd.read_csv(DATA / "observations.csv")
    original = original[original["store_id"] == "S01"].reset_index(drop=True)
    assert code == 0 and f"{len(original):,} rows written" in out
    pd.testing.assert_frame_equal(exported, original)


def _one_hour_in_two_files(capsys, url: str, first, second):
    """The sample's stores imported, and two count files of one row each for S01's 12:00 on one day: 80 visitors in
    `first`, 90 in `second`."""
    _run(capsys, "--database-url", url, "import", "--stores", str(DATA / "stores.csv"))
    header = "store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\n"
    first.write_text(header + "S01,2026-10-28,12,80,40,30,240,30\n", encoding="utf-8")
    second.write_text(header + "S01,2026-10-28,12,90,45,35,270,35\n", encoding="utf-8")
    return first, second


def test_import_says_the_warnings_validate_says(capsys, settings, tmp_path):
    """`import a1.csv a2.csv` with the same store, date and hour in both said only "1 replaced": the warning that
    a2's row wins, which `validate` gives, was dropped. The files are imported as they are, and the warning said."""
    url = settings.resolved_database_url()
    first, second = _one_hour_in_two_files(capsys, url, tmp_path / "a1.csv", tmp_path / "a2.csv")
    code, checked = _run(capsys, "--database-url", url, "validate", str(first), str(second))
    warning = f"this store, date and hour is also in {second}, whose row is imported"
    assert code == 0 and warning in checked
    code, out = _run(capsys, "--database-url", url, "import", str(first), str(second))
    assert code == 0 and "1 row added" in out and warning in out
    (said,) = [line for line in out.splitlines() if warning in line]
    assert said in checked  # the same line validate gives


def test_an_imported_count_dated_1920_is_warned_of_and_changes_no_stores_recommendation(capsys, sample_url, tmp_path):
    """A new user's walk: one S02 count dated 1920 was "1 row added" without a word, then `recommend` for every
    store of the chain ended in "unexpected ValueError (arrivals_per_hour must be finite ...)". Now the import
    names the row's age, and S01's recommendation is what it was without the row."""
    code, before = _run(capsys, "--database-url", sample_url, "recommend", "--store", "S01")
    assert code == 0, before
    old = tmp_path / "old.csv"
    old.write_text("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\n"
                   "S02,1920-01-05,10,20,5,10,60,5\n", encoding="utf-8")
    code, out = _run(capsys, "--database-url", sample_url, "import", str(old))
    assert code == 0 and "1 row added" in out
    assert f"{old}:2: date: warning: dated 1920-01-05, 106 years before today (2026-12-01)" in out
    code, after = _run(capsys, "--database-url", sample_url, "recommend", "--store", "S01")
    assert code == 0 and after == before


def test_import_names_the_saved_plans_it_put_out_of_date_and_how_to_make_them_again(capsys, sample_url, tmp_path):
    """The Upload page names the saved plans an import put out of date; `import` said only its rows added, and a
    planner learnt it from `plans list`, if at all. It names them in the page's words, and the command it gives makes
    the plan again. The truth: `plans list`'s judgement of each plan before and after (`plans_with_status`), and of
    the plan the command made."""
    from planner.saved_plans import OUT_OF_DATE, plans_with_status

    code, out = _run(capsys, "--database-url", sample_url, "plan", "--week", "2026-W50", "--store", "S01", "--store",
                     "S02")  # plans 1 (S01) and 2 (S02), drafts
    assert code == EXIT_OK, out
    counts = pd.read_csv(DATA / "observations.csv")
    s01 = counts[counts["store_id"] == "S01"].head(3).assign(visitors=lambda rows: rows["visitors"] + 1)
    s01.to_csv(tmp_path / "s01.csv", index=False)
    code, out = _run(capsys, "--database-url", sample_url, "import", str(tmp_path / "s01.csv"))
    engine = storage.connect(Settings(database_url=sample_url))
    status = lambda: plans_with_status(engine, pooled=False).set_index("plan_id")[OUT_OF_DATE].to_dict()  # noqa: E731
    assert code == EXIT_OK and status() == {1: "the counts", 2: ""}, out
    command = "python -m planner plan --store S01 --week 2026-W50"
    assert ("The draft of S01 – Berlin Mitte Electronics for the week of 7 Dec 2026 (plan 1) is now out of date: "
            f"re-plan it with `{command}`.") in out, out
    assert "(plan 2)" not in out and "S02" not in out, out
    code, again = _run(capsys, "--database-url", sample_url, *command.split()[3:])
    assert code == EXIT_OK and status()[3] == "", again
    engine.dispose()


def test_load_sample_names_the_saved_plans_it_put_out_of_date_as_import_does(capsys, sample_url, tmp_path):
    """`load-sample` into a database with saved plans imports the sample's counts again, over counts imported since:
    a plan made from those was out of date afterwards, and only `plans list` said so. It names them as `import`
    does; a store whose counts are the sample's is not named. The truth: `plans list`'s judgement of each plan."""
    from planner.saved_plans import OUT_OF_DATE, plans_with_status

    counts = pd.read_csv(DATA / "observations.csv")
    counts[counts["store_id"] == "S01"].head(3).assign(visitors=lambda rows: rows["visitors"] + 1).to_csv(
        tmp_path / "s01.csv", index=False)
    code, out = _run(capsys, "--database-url", sample_url, "import", str(tmp_path / "s01.csv"))
    assert code == EXIT_OK, out
    code, out = _run(capsys, "--database-url", sample_url, "plan", "--week", "2026-W50", "--store", "S01", "--store",
                     "S02")  # plans 1 (S01) and 2 (S02), drafts, as made
    assert code == EXIT_OK, out
    engine = storage.connect(Settings(database_url=sample_url))
    status = lambda: plans_with_status(engine, pooled=False).set_index("plan_id")[OUT_OF_DATE].to_dict()  # noqa: E731
    assert status() == {1: "", 2: ""}
    code, out = _run(capsys, "--database-url", sample_url, "load-sample")
    assert code == EXIT_OK and "3 replaced" in out and status() == {1: "the counts", 2: ""}, out
    command = "python -m planner plan --store S01 --week 2026-W50"
    assert ("The draft of S01 – Berlin Mitte Electronics for the week of 7 Dec 2026 (plan 1) is now out of date: "
            f"re-plan it with `{command}`.") in out, out
    assert "(plan 2)" not in out, out
    # loaded again, nothing changes: nothing is named
    code, out = _run(capsys, "--database-url", sample_url, "load-sample")
    assert code == EXIT_OK and "now out of date" not in out, out
    engine.dispose()


def test_plan_with_a_calendar_names_the_other_saved_plans_it_put_out_of_date(capsys, sample_url, tmp_path):
    """`plan --calendar FILE` stores the calendar with its plan; a row of it for another store put that store's saved
    plan out of date, and only `plans list` said so. It names them as `import` does, not the plan it saved. The
    truth: `plans list`'s judgement of each plan."""
    from planner.saved_plans import OUT_OF_DATE, plans_with_status

    code, out = _run(capsys, "--database-url", sample_url, "plan", "--week", "2026-W50", "--store", "S02")
    assert code == EXIT_OK, out  # plan 1
    calendar = tmp_path / "calendar.csv"
    calendar.write_text("store_id,date,closed,note\nS02,2026-12-10,true,stocktake\nS01,2026-12-11,true,stocktake\n",
                        encoding="utf-8")
    code, out = _run(capsys, "--database-url", sample_url, "plan", "--week", "2026-W50", "--store", "S01",
                     "--calendar", str(calendar))  # plan 2
    engine = storage.connect(Settings(database_url=sample_url))
    status = plans_with_status(engine, pooled=False).set_index("plan_id")[OUT_OF_DATE].to_dict()
    engine.dispose()
    assert code == EXIT_OK and status == {1: "the calendar", 2: ""}, out
    command = "python -m planner plan --store S02 --week 2026-W50"
    assert "is now out of date: re-plan it with `" + command + "`." in out, out
    (said,) = [line for line in out.splitlines() if "now out of date" in line]
    assert said.startswith("The draft of S02 – ") and "(plan 1)" in said and "(plan 2)" not in out, out


def test_an_import_whose_out_of_date_plans_cannot_be_read_is_still_an_import_that_succeeded(capsys, sample_url,
                                                                                          tmp_path):
    """A saved plan's document this release cannot read (another format) made `import` end in the one-line defect
    message and a failing exit after its rows were saved, so the import looked refused: the rows are said and kept,
    the exit is success, and the plan is named with the command that lists plans (no command to make it again can
    be read from a document this release cannot read)."""
    from sqlalchemy import text

    code, out = _run(capsys, "--database-url", sample_url, "plan", "--week", "2026-W50", "--store", "S01")
    assert code == EXIT_OK, out
    engine = storage.connect(Settings(database_url=sample_url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE plans SET document = :text"), {"text": '{"format": "planner.plan/0"}'})
    counts = pd.read_csv(DATA / "observations.csv")
    counts[counts["store_id"] == "S01"].head(3).assign(visitors=lambda rows: rows["visitors"] + 1).to_csv(
        tmp_path / "s01.csv", index=False)
    code, out = _run(capsys, "--database-url", sample_url, "import", str(tmp_path / "s01.csv"))
    assert code == EXIT_OK, out
    assert "3 replaced" in out and "Traceback" not in out, out
    assert "(plan 1) is now out of date: re-plan it (`python -m planner plans list` lists each" in out, out
    assert "python -m planner plan --" not in out, out
    engine.dispose()


def test_an_import_by_a_role_that_may_not_publish_asks_a_planner_to_re_plan(capsys, sample_url, tmp_path):
    """`import --as rita` (a regional lead) ended by telling her to re-plan the plans it put out of date "with the
    commands below", whose plans she cannot publish: she is told, as the Upload page tells her, to ask a planner to
    re-plan them and publish the new plans, and no command is offered. A planner is still given the commands."""
    url = sample_url
    assert _run(capsys, "--database-url", url, "users", "add", "rita", "--role", "regional_lead", "--regions",
                "North")[0] == EXIT_OK
    for store in ("S01", "S02"):
        code, out = _run(capsys, "--database-url", url, "plan", "--week", "2026-W50", "--store", store, "--publish")
        assert code == EXIT_OK, out
    counts = pd.read_csv(DATA / "observations.csv")
    changed = counts[counts["store_id"].isin(["S01", "S02"])].groupby("store_id").head(2)
    changed.assign(visitors=changed["visitors"] + 1).to_csv(tmp_path / "north.csv", index=False)
    code, out = _run(capsys, "--database-url", url, "--as", "rita", "import", str(tmp_path / "north.csv"))
    assert code == EXIT_OK, out
    (said,) = [line for line in out.splitlines() if "now out of date" in line]
    assert said.endswith("are now out of date: ask a planner to re-plan them and publish the new plans."), out
    assert "commands below" not in out and "python -m planner plan --" not in out, out
    for store in ("S01", "S02"):  # re-planned as asked, then put out of date again by a planner's import
        assert _run(capsys, "--database-url", url, "plan", "--week", "2026-W50", "--store", store, "--publish")[0] \
            == EXIT_OK
    changed.assign(visitors=changed["visitors"] + 2).to_csv(tmp_path / "north.csv", index=False)
    code, out = _run(capsys, "--database-url", url, "import", str(tmp_path / "north.csv"))
    assert code == EXIT_OK and "re-plan them with the commands below" in out, out
    assert "  python -m planner plan --store S01 --week 2026-W50" in out, out


def test_a_file_named_twice_is_said_once_and_read_once(capsys, settings, tmp_path, monkeypatch):
    """`validate bom.csv bom.csv` warned for every row that it "is also in bom.csv, whose row is imported", and
    `import` the same: the file is said once to be named twice (the same resolved path, however spelt) and is read
    once, as if named once."""
    url = settings.resolved_database_url()
    first, _ = _one_hour_in_two_files(capsys, url, tmp_path / "a1.csv", tmp_path / "a2.csv")
    monkeypatch.chdir(tmp_path)
    note = f"note: {first} is named 3 times (as {first} and a1.csv: the same file): it is read once"
    code, checked = _run(capsys, "--database-url", url, "validate", str(first), str(first), "./a1.csv")
    assert code == 0 and "whose row is imported" not in checked, checked
    assert checked.count(note) == 1 and "no errors, no warnings in 1 file: ready to import" in checked, checked
    code, out = _run(capsys, "--database-url", url, "import", str(first), "./a1.csv")
    assert code == 0 and "whose row is imported" not in out and "superseded" not in out, out
    assert f"note: {first} is named twice (as {first} and a1.csv: the same file): it is read once" in out
    assert [line for line in out.splitlines() if not line.startswith("note:")] == [
        f"{first}: 1 row added, 0 replaced, 0 unchanged"], out


def test_a_row_a_later_file_of_the_import_replaces_is_counted_superseded_not_added(capsys, settings, tmp_path):
    """`import a.csv b.csv`, one store, date and hour in each: a.csv said "1 row added" (and its audit entry kept
    it) and b.csv "1 replaced", though a.csv's row was never kept. The counts are exact: a.csv's row is superseded,
    b.csv's added, and the audit says the same."""
    url = settings.resolved_database_url()
    first, second = _one_hour_in_two_files(capsys, url, tmp_path / "a.csv", tmp_path / "b.csv")
    code, out = _run(capsys, "--database-url", url, "import", str(first), str(second))
    counts = [line for line in out.splitlines() if ": warning:" not in line]
    assert code == 0 and counts == [
        f"{first}: 0 rows added, 0 replaced, 0 unchanged, 1 superseded by a later file of the import",
        f"{second}: 1 row added, 0 replaced, 0 unchanged"]
    engine = storage.connect(settings)
    assert storage.load_observations(engine)["visitors"].tolist() == [90]
    from planner.storage.audit import audit_trail

    trail = audit_trail(engine, store_id="S01", actions=["import"])["summary"].tolist()[:2]
    assert [said.split(": ", 1)[1] for said in trail] == [
        "1 row added, 0 replaced, 0 unchanged", "0 rows added, 0 replaced, 0 unchanged, 1 superseded by a later "
        "file of the import"]  # newest first: b.csv, then a.csv
    code, out = _run(capsys, "--database-url", url, "import", str(first), str(second))  # again: nothing changes
    assert code == 0 and f"{first}: 0 rows added, 0 replaced, 0 unchanged, 1 superseded" in out
    assert f"{second}: nothing changed, its row is already stored" in out


@pytest.mark.parametrize("kind, header, first_row, second_row, warned", [
    ("calendar", "store_id,date,closed,note", "S01,2026-12-24,true,a", ",2026-12-26,true,b\nS01,2026-12-24,no,c",
     "date: warning: this store (or the chain) and date is also in {second}, whose row is imported"),
    ("absences", "employee_id,first_day,last_day,reason", "S01-E01,2026-12-14,2026-12-15,sick",
     "S01-E02,2026-12-14,,sick\nS01-E01,2026-12-14,2026-12-16,holiday",
     "first_day: warning: this person's absence from this first day is also in {second}, whose row is imported"),
])
def test_a_calendar_or_absence_row_a_later_file_of_the_import_has_is_warned_and_counted_superseded(
        capsys, settings, tmp_path, kind, header, first_row, second_row, warned):
    """Count files of one import with the same key warn and count the earlier row superseded (704e1bc); two
    calendars (store and date) or two absence files (person and first day) were not checked: a.csv said "1 row
    added", in its audit entry too, and b.csv "1 replaced", with no word that a.csv's row was never kept. They now
    behave as count files: the warning names a.csv's row and b.csv, b.csv's row is kept, and the counts are exact."""
    url = settings.resolved_database_url()
    for name in ("stores.csv", "employees.csv"):
        assert _run(capsys, "--database-url", url, "import", str(DATA / name))[0] == EXIT_OK
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(f"{header}\n{first_row}\n", encoding="utf-8")
    second.write_text(f"{header}\n{second_row}\n", encoding="utf-8")
    code, out = _run(capsys, "--database-url", url, "import", str(first), str(second))
    assert code == 0, out
    assert out.splitlines()[:3] == [
        f"{first}: 0 rows added, 0 replaced, 0 unchanged, 1 superseded by a later file of the import",
        f"{first}:2: " + warned.format(second=second) + f". Nothing to do if {second} has the right "
        f"{'day' if kind == 'calendar' else 'absence'}; otherwise leave it out of this import.",
        f"{second}: 2 rows added, 0 replaced, 0 unchanged"]
    engine = storage.connect(settings)
    if kind == "calendar":
        assert storage.load_calendar(engine)["note"].tolist() == ["b", "c"]  # '*' sorts before S01
    else:
        stored = storage.load_absences(engine, ["S01-E01"])
        assert stored["reason"].tolist() == ["holiday"] and stored["last_day"].dt.day.tolist() == [16]
    from planner.storage.audit import audit_trail

    trail = audit_trail(engine, actions=["import"])["summary"].tolist()[:2]
    assert [said.split(": ", 1)[1] for said in trail] == [
        "2 rows added, 0 replaced, 0 unchanged", "0 rows added, 0 replaced, 0 unchanged, 1 superseded by a later "
        "file of the import"]  # newest first: b.csv, then a.csv
    engine.dispose()


@pytest.mark.parametrize("argv", [["import", "--calendar", str(DATA / "observations.csv")],
                                  ["import", "--stores", str(DATA / "observations.csv")],
                                  ["plan", "--week", "2026-W50", "--calendar", str(DATA / "observations.csv")]])
def test_a_file_of_another_kind_under_calendar_or_stores_is_refused(capsys, settings, argv):
    """An observation file under --calendar was stored as a calendar (of nothing) and its counts not imported; under
    `import --stores` it was imported as counts, where `validate --stores` refused it."""
    url = settings.resolved_database_url()
    _run(capsys, "--database-url", url, "import", "--stores", str(DATA / "stores.csv"))
    code, out = _run(capsys, "--database-url", url, *argv)
    flag = argv[argv.index("--calendar") if "--calendar" in argv else argv.index("--stores")]
    assert code == 1 and f"{flag} takes the store" in out and "reads as a file of observations" in out
    assert len(out.strip().splitlines()) == 1
    engine = storage.connect(settings)
    assert storage.count_rows(engine)["observations"] == 0 and storage.list_plans(engine).empty
    engine.dispose()


def test_import_of_a_bad_file_exits_1_and_stores_nothing(capsys, settings):
    url = settings.resolved_database_url()
    _run(capsys, "--database-url", url, "import", "--stores", str(DATA / "stores.csv"))
    code, out = _run(capsys, "--database-url", url, "import", str(FIXTURES / "messy_observations.csv"))
    assert code == 1 and "nothing was imported" in out
    code, out = _run(capsys, "--database-url", url, "export-observations", "--out", "/dev/null")
    assert "0 rows written" in out


def test_missing_file_is_a_sentence_not_a_traceback(capsys, settings):
    code, out = _run(capsys, "--database-url", settings.resolved_database_url(), "validate", "no/such/file.csv")
    assert code == 2 and "cannot read no/such/file.csv" in out and "Traceback" not in out


def test_import_of_a_folder_gives_the_fix_validate_gives(capsys, settings, tmp_path):
    """`import adir.csv`, a folder, printed "error: cannot read adir.csv: Is a directory" and no fix, where
    `validate adir.csv` says what to name instead."""
    (folder := tmp_path / "adir.csv").mkdir()
    url = settings.resolved_database_url()
    code, checked = _run(capsys, "--database-url", url, "validate", str(folder))
    (said,) = [line for line in checked.splitlines() if line.startswith(f"{folder}: ")]
    code, out = _run(capsys, "--database-url", url, "import", str(folder))
    assert code == EXIT_UNAVAILABLE and out.strip() == f"error: {said.removeprefix(f'{folder}: ')}"
    assert out.strip().endswith("Name a file (CSV or XLSX) that exists and that you may read, not a folder.")


def test_simulate_of_a_folder_gives_the_fix_validate_gives(capsys, settings, engine, tmp_path):
    """`simulate --schedule adir`, a folder, read the file through code of its own and printed "error: cannot read
    adir: Is a directory" without the fix that `validate` and `import` give. (`engine`: a database there, empty.)"""
    (folder := tmp_path / "adir").mkdir()
    url = settings.resolved_database_url()
    _, checked = _run(capsys, "--database-url", url, "validate", str(folder))
    (said,) = [line for line in checked.splitlines() if line.startswith(f"{folder}: ")]
    code, out = _run(capsys, "--database-url", url, "simulate", "--store", "S01", "--schedule", str(folder))
    assert code == EXIT_UNAVAILABLE and out.strip() == f"error: {said.removeprefix(f'{folder}: ')}"
    assert out.strip().endswith("not a folder.")


def test_load_sample_if_empty_runs_once(capsys, settings):
    url = settings.resolved_database_url()
    code, out = _run(capsys, "--database-url", url, "load-sample", "--if-empty")
    assert code == 0 and "9 rows added" in out and "1,686 rows added" in out  # the sample's stores and counts
    code, out = _run(capsys, "--database-url", url, "load-sample", "--if-empty")
    assert code == 0 and out == "the database already holds stores: nothing loaded (--if-empty)\n"  # silent before


@pytest.mark.parametrize("command", [["recommend", "--all"], ["schedule", "--all"], ["next-counts", "--store", "S01"]])
def test_an_empty_database_says_what_to_import_first(capsys, settings, engine, command):
    """`engine` makes the database, empty: without one, the command says there is none (`test_database_failures`)."""
    code, out = _run(capsys, "--database-url", settings.resolved_database_url(), *command)
    assert code == 2 and "holds no stores yet" in out and "load-sample" in out
    assert "Traceback" not in out and "unexpected" not in out


# --- hostile command lines: every failure is one line, exit 1 (bad input) or 2 (unavailable), never a traceback ------

def _write(path, content: bytes | str):
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


@pytest.fixture(scope="module")
def chain(sample_db, tmp_path_factory):
    """A database holding the sample chain, and a folder of hostile files."""
    folder = tmp_path_factory.mktemp("hostile")
    url = sqlite_copy(sample_db, folder / "planner.db")
    grid = "day,day_name," + ",".join(f"h{h:02d}" for h in range(24)) + "\n"
    _write(folder / "empty.csv", b"")
    _write(folder / "binary.csv", bytes(range(256)) * 8)
    _write(folder / "negative.csv", grid + "0,Mon," + ",".join(["-1"] * 24) + "\n")
    _write(folder / "words.csv", grid + "0,Mon," + ",".join(["two"] * 24) + "\n")
    _write(folder / "bad_day.csv", grid + "9,Xyz," + ",".join(["1"] * 24) + "\n")
    _write(folder / "long_bad_hour.csv", "store_id,weekday,hour,required_staff\nS01,0,24,2\n")
    long = "store_id,weekday,hour,required_staff\n"
    _write(folder / "long_words.csv", long + "S01,0,10,abc\n")  # read as 0 staff before
    _write(folder / "long_twice.csv", long + "S01,0,10,2\nS01,0,11,\nS01,0,10,3\n")  # the last one won before
    _write(folder / "long_huge.csv", long + "S01,0,10,99999999999\n")  # ran past --time-limit before
    _write(folder / "grid_twice.csv", grid + "0,Mon," + ",".join(["1"] * 24) + "\n" + "0,Mon," + ",".join(["2"] * 24)
           + "\n")
    _write(folder / "a_file", "not a folder")
    _write(folder / "corrupt.db", b"this is not a database" * 100)
    return folder, url


HOSTILE = [  # (command line after `--database-url URL`, exit code, what the one line must say)
    (["recommend", "--target-service-level", "1.5"], 1, "--target-service-level"),
    (["recommend", "--target-service-level", "0"], 1, "--target-service-level"),
    (["recommend", "--target-service-level", "nan"], 1, "--target-service-level"),
    (["recommend", "--target-service-level", "1e999"], 1, "--target-service-level"),
    (["recommend", "--target-wait-seconds", "-1"], 1, "--target-wait-seconds"),
    (["recommend", "--target-wait-seconds", "inf"], 1, "--target-wait-seconds"),
    (["recommend", "--patience-minutes", "nan"], 1, "--patience-minutes"),
    (["recommend", "--patience-minutes", "0"], 1, "--patience-minutes"),
    (["recommend", "--patience-minutes", "-3"], 1, "--patience-minutes"),
    (["recommend", "--max-abandon-share", "1"], 1, "--max-abandon-share"),
    (["recommend", "--max-abandon-share", "abc"], 1, "--max-abandon-share"),
    (["recommend", "--min-staff", "-1"], 1, "--min-staff"),
    (["recommend", "--min-staff", "1.5"], 1, "--min-staff"),
    (["schedule", "--budget", "inf"], 1, "--budget"),
    (["schedule", "--budget", "-100"], 1, "--budget"),
    (["schedule", "--budget", "0"], 1, "--budget"),
    (["schedule", "--budget", "nan"], 1, "--budget"),
    (["schedule", "--budget", "1e19"], 1, "up to 1,000,000"),
    (["simulate", "--store", "S01", "--check-staffing", "--demand-scale", "3"], 1, "neither --schedule nor"),
    (["simulate", "--store", "S01", "--check-staffing", "--schedule", "x.csv"], 1, "neither --schedule nor"),
    (["recommend", "--out", "{dir}/rec.xlsx"], 1, "name it rec.csv"),  # CSV text was written into rec.xlsx
    (["audit", "--since", "2027-01-01", "--until", "2026-01-01"], 1, "is after --until"),
    (["audit", "--store", "S99"], 1, "unknown store id: S99"),  # both said there was nothing, exit 0
    (["plans", "list", "--store", "S99"], 1, "unknown store id: S99"),
    (["next-counts", "--store", "S01", "--store", "S02"], 1, "--store takes one value"),  # S01 was dropped unsaid
    (["review", "--store", "S01", "--store", "S02", "--week", "2026-W50"], 1, "--store takes one value"),
    (["simulate", "--store", "S01", "--store", "S02"], 1, "--store takes one value"),
    (["plans", "list", "--store", "S01", "--store", "S02"], 1, "--store takes one value"),
    (["audit", "--store", "S01", "--store", "S02"], 1, "--store takes one value"),  # an unexpected TypeError and the model text before
    (["schedule", "--time-limit", "0"], 1, "--time-limit"),
    (["schedule", "--time-limit", "-5"], 1, "--time-limit"),
    (["schedule", "--time-limit", "nan"], 1, "--time-limit"),
    (["schedule", "--duty-before", "-15"], 1, "--duty-before"),
    (["schedule", "--duty-after", "99999"], 1, "--duty-after"),
    (["schedule", "--duty-before", "1.5"], 1, "--duty-before"),
    (["schedule", "--shift-lengths", "0,4"], 1, "--shift-lengths"),
    (["schedule", "--shift-lengths", "4,abc"], 1, "--shift-lengths"),
    (["schedule", "--shift-lengths", "25"], 1, "--shift-lengths"),
    (["schedule", "--start-step", "45"], 1, "--start-step"),
    (["schedule", "--serial", "--parallel"], 1, "--parallel"),
    # conflicting flags were accepted and one of them ignored without a word, exit 0
    (["recommend", "--store", "S01", "--all"], 1, "argument --all: not allowed with argument --store"),
    (["recommend", "--all", "--store", "S01"], 1, "argument --store: not allowed with argument --all"),
    (["schedule", "--store", "S01", "--all"], 1, "argument --all: not allowed with argument --store"),
    (["roster", "--store", "S01", "--week", "2026-W50", "--show", "--publish"], 1,
     "argument --publish: not allowed with argument --show"),
    (["roster", "--store", "S01", "--week", "2026-W50", "--publish", "--show"], 1,
     "argument --show: not allowed with argument --publish"),
    (["roster", "--store", "S01", "--week", "2026-W50", "--show", "--publish-anyway"], 1,
     "argument --publish-anyway: not allowed with argument --show"),
    (["roster", "--store", "S01", "--week", "2026-W50", "--show", "--by", "Ann"], 1,
     "argument --by: not allowed with argument --show"),
    (["roster", "--show", "replan", "--absence", "{dir}/no_such.csv"], 1, "argument --show: not allowed with replan"),
    ([], 1, "COMMAND"),
    (["frobnicate"], 1, "frobnicate"),
    (["validate"], 1, "FILE"),
    (["export-observations"], 1, "--out"),
    (["import"], 1, "name at least one FILE"),
    (["import", "{dir}/no_such.csv"], 2, "cannot read"),
    (["validate", "--stores", str(DATA / "employees.csv"), str(DATA / "observations.csv")], 1,
     "reads as a file of employees"),  # store ids went unchecked: "ready to import", which import then refused
    (["schedule", "--requirements", "{dir}/no_such.csv"], 2, "cannot read"),
    (["schedule", "--requirements", "{dir}"], 2, "cannot read"),
    (["schedule", "--requirements", "{dir}/empty.csv"], 1, "not a requirements table"),
    (["schedule", "--requirements", "{dir}/binary.csv"], 1, "not a requirements table"),
    (["schedule", "--requirements", str(DATA / "stores.csv")], 1, "day, h00..h23"),
    (["schedule", "--requirements", "{dir}/negative.csv"], 1, "row 2: column h00"),
    (["schedule", "--requirements", "{dir}/words.csv"], 1, "'two' is not a whole number"),
    (["schedule", "--requirements", "{dir}/bad_day.csv"], 1, "column day"),
    (["schedule", "--requirements", "{dir}/long_bad_hour.csv"], 1, "column hour"),
    (["schedule", "--requirements", "{dir}/long_words.csv"], 1, "row 2: column required_staff: 'abc' is not a whole"),
    (["schedule", "--requirements", "{dir}/long_twice.csv"], 1, "rows 2 and 4 give the same store and weekday and hour"),
    (["schedule", "--requirements", "{dir}/long_huge.csv"], 1, "is not a whole number from 0 to 1,000"),
    (["schedule", "--requirements", "{dir}/grid_twice.csv"], 1, "rows 2 and 3 give the same store and day"),
    (["export-observations", "--out", "{dir}"], 1, "is a folder"),
    (["export-observations", "--out", "{dir}/no/such/x.csv"], 1, "does not exist"),
    (["recommend", "--out", "{dir}/missing/x.csv"], 1, "does not exist"),
    (["recommend", "--store", "S01", "--out", "/proc/x"], 2, "error: /proc/x: "),  # named .x.part before
    (["plan", "--week", "2026-W50", "--store", "S01", "--by", "x" * 300], 1, "is 300 characters long"),  # after the plan
    (["schedule", "--out-dir", "{dir}/a_file"], 1, "is a file"),
    (["schedule", "--out-dir", "{dir}/a_file/sub"], 1, "is a file"),
    (["recommend", "--store", "S99"], 1, "S99"),  # a flag value: exit 1, as the README says (it was 2)
    (["schedule", "--store", "S99"], 1, "S99"),
    (["--database-url", "sqlite:///{dir}/corrupt.db", "stores"], 2, ""),
    (["--database-url", "not a url", "stores"], 2, ""),
    (["--database-url", "postgresql+psycopg://planner:s3cret-pw@127.0.0.1:1/x", "stores"], 2, ""),
]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_validate_reports_every_file_an_unreadable_path_as_its_own_problem(capfd, chain, fmt):
    """`validate` in text stopped at the first path it could not read (a missing file, a folder), saying nothing of
    the files after it; `--format json` reported it as that file's problem and went on. Both do the latter now:
    every file's problems, in the order named, exit 2 (what was named is not there to check)."""
    folder, url = chain
    bad = folder / "bad_hour.csv"
    bad.write_text("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\n"
                   "S01,2026-10-28,99,10,5,5,30,5\n", encoding="utf-8")
    paths = [str(folder / "no_such.csv"), str(folder), str(bad), str(DATA / "observations.csv")]
    flags = ["--format", "json"] if fmt == "json" else []
    got = main(["--database-url", url, "validate", *flags, *paths])
    out, err = capfd.readouterr()
    assert got == EXIT_UNAVAILABLE, err
    assert "Traceback" not in out + err and "cannot read" not in err
    if fmt == "json":
        report = json.loads(out)
        assert [f["file"] for f in report["files"]][:3] == [paths[0], paths[1], str(bad)] and report["errors"] == 3
        return
    lines = out.splitlines()
    assert lines[0].startswith(f"{paths[0]}: cannot read {paths[0]}: ")  # in the order named, each once
    assert lines[1].startswith(f"{folder}: cannot read {folder}: ")
    assert lines[2].startswith(f"{bad}:2: hour: hour '99' is not a clock hour")
    assert lines[-1] == "3 errors (1 on 1 row, 2 with 2 whole files), no warnings in 4 files"
    got = main(["--database-url", url, "validate", str(DATA / "observations.csv"), "--stores", str(folder / "gone.csv")])
    out, _ = capfd.readouterr()
    assert got == EXIT_UNAVAILABLE and f"cannot read {folder / 'gone.csv'}" in out
    assert f"note: store ids not checked: the store file {folder / 'gone.csv'} cannot be read" in out


@pytest.mark.parametrize("args, code, says", HOSTILE, ids=[" ".join(a) or "(nothing)" for a, _, _ in HOSTILE])
def test_a_hostile_command_line_ends_in_one_line(capfd, chain, args, code, says):
    folder, url = chain
    line = [part.replace("{dir}", str(folder)) for part in args]
    got = main(["--database-url", url, *line] if not line or line[0] != "--database-url" else line)
    out, err = capfd.readouterr()
    lines = [text for text in err.splitlines() if text.strip()]
    assert got == code, err
    assert len(lines) == 1 and says in lines[0], err
    assert "Traceback" not in out + err and "s3cret-pw" not in out + err


@pytest.mark.parametrize("argv", [["audit", "--since", "2026-13-01"], ["audit", "--until", "someday"],
                                  ["roster", "replan", "--absence", "x.csv", "--today", "7.12.2026"]])
def test_a_bad_date_is_said_alike_by_every_command(capsys, argv):
    """`roster replan --today` and `audit --since/--until` each had their own parser, with different words and
    examples; each names the flag, the value given and the format, in one line, before any work."""
    flag, value = argv[-2:]
    assert main(argv) == EXIT_INPUT
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert f"argument {flag}: '{value}' is not a date: write it as YYYY-MM-DD, e.g. 2026-12-07" in err


@pytest.mark.parametrize("argv", [["audit", "--since", "20261207"], ["audit", "--until", "2026-W50-1"],
                                  ["audit", "--since", "2026-12-07T10:00"], ["audit", "--since", "２０２６-12-07"],
                                  ["roster", "replan", "--absence", "x.csv", "--today", "2026-W50-1"]])
def test_only_year_month_day_is_a_date(capsys, argv):
    """Python 3.11's `date.fromisoformat` took 20261207 and 2026-W50-1 as dates, where the message and the help ask
    for YYYY-MM-DD: a slip was read as some date instead of being refused (the other two values are guards)."""
    flag, value = argv[-2:]
    assert main(argv) == EXIT_INPUT
    err = capsys.readouterr().err
    assert f"argument {flag}: '{value}' is not a date: write it as YYYY-MM-DD, e.g. 2026-12-07" in err


@pytest.mark.parametrize("week", ["٢٠٢٦-W٥٠", "２０２６-W50", "2026-W٥٠"])
@pytest.mark.parametrize("command", [["plan"], ["plans", "list"], ["roster", "--store", "S01"]])
def test_a_week_in_digits_other_than_ascii_is_refused_as_any_bad_week(capsys, settings, command, week):
    """`IsoWeek.parse` read Arabic-Indic (and full-width) digits as a week, so `plans list --week` listed
    2026-W50's plans for a value no message offers; refused now in the words of any other bad week."""
    url = ["--database-url", settings.resolved_database_url()]
    assert main([*url, *command, "--week", "2026-50"]) == EXIT_INPUT
    other = capsys.readouterr().err
    assert main([*url, *command, "--week", week]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err == other.replace("2026-50", week)
    assert f"argument --week: '{week}' is not an ISO week such as 2026-W50" in err


def test_a_date_flag_reads_year_month_day():
    from datetime import date

    from planner.cli_flags import date_flag

    assert date_flag("2026-12-07") == date(2026, 12, 7)


def test_sensible_flag_values_are_accepted():
    """The range checks reject only what makes no sense: the limits themselves and ordinary values pass."""
    args = cli._parser().parse_args(["recommend", "--target-service-level", "0.99", "--target-wait-seconds", "0",
                                     "--patience-minutes", "0.5", "--max-abandon-share", "0.01", "--min-staff", "0"])
    assert (args.target_service_level, args.target_wait_seconds, args.patience_minutes, args.min_staff) == (
        0.99, 0.0, 0.5, 0)
    args = cli._parser().parse_args(["schedule", "--budget", "0.5", "--time-limit", "0.1", "--duty-before", "0",
                                     "--duty-after", "1440", "--shift-lengths", "8,4,4"])
    assert (args.budget, args.time_limit, args.duty_before, args.duty_after, args.shift_lengths) == (
        0.5, 0.1, 0, 1440, (4, 8))


def test_an_unexpected_error_is_one_sentence_and_planner_debug_shows_the_traceback(capsys, monkeypatch, engine):
    settings = Settings(database_url=str(engine.url))  # a database there: `stores` refuses a missing one first
    def broken(args, settings):
        raise KeyError("store_idx")

    monkeypatch.setattr(cli_files, "_stores", broken)
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    code, out = _run(capsys, "--database-url", settings.resolved_database_url(), "stores")
    assert code == 2 and "Traceback" not in out
    assert out.count("\n") == 1 and "unexpected KeyError ('store_idx')" in out and "PLANNER_DEBUG=1" in out
    monkeypatch.setenv(DEBUG_ENV, "1")
    code, out = _run(capsys, "--database-url", settings.resolved_database_url(), "stores")
    assert code == 2 and "Traceback" in out and "raise KeyError" in out


def test_a_real_process_prints_one_line_and_masks_the_password(tmp_path):
    """The same in a real `python -m planner` process, as a shell user sees it."""
    env = {**os.environ, "PLANNER_DATABASE_URL": "postgresql+psycopg://planner:s3cret-pw@127.0.0.1:1/none"}
    for args, code in [(["schedule", "--budget", "inf"], 1), (["stores"], 2)]:
        done = subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=120, check=False)
        assert done.returncode == code and done.stdout == "", done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
        assert "s3cret-pw" not in done.stderr


# --- requirements in either format ------------------------------------------------------------------------------

def test_a_requirements_file_reads_alike_as_csv_semicolons_and_xlsx(tmp_path):
    """As every other file the planner reads (the README: CSV with any separator, or XLSX); a semicolon file was
    read as one column and an XLSX as undecodable text before."""
    table = pd.DataFrame({"store_id": ["A", "A", "B"], "weekday": [0, 0, 6], "hour": [10, 11, 23],
                          "required_staff": [2, None, 5]})
    table.to_csv(tmp_path / "comma.csv", index=False)
    table.to_csv(tmp_path / "semicolon.csv", index=False, sep=";")
    table.to_excel(tmp_path / "sheet.xlsx", index=False)
    read = [cli_staffing._read_requirements(tmp_path / name) for name in ("comma.csv", "semicolon.csv", "sheet.xlsx")]
    assert read[0]["A"][0, 10] == 2 and read[0]["A"][0, 11] == 0 and read[0]["B"][6, 23] == 5
    assert read[0]["A"].sum() == 2 and read[0]["B"].sum() == 5
    for other in read[1:]:
        assert other.keys() == read[0].keys() and all((other[k] == read[0][k]).all() for k in read[0])


def test_requirements_in_the_long_format_recommend_writes_read_as_the_grid_does():
    grid = pd.DataFrame({"store": ["A"] * 7 + ["B"] * 7, "day": list(range(7)) * 2, "day_name": "x"})
    rng = np.random.default_rng(7)
    for h in range(24):
        grid[f"h{h:02d}"] = rng.integers(0, 6, size=14)
    long = grid.melt(id_vars=["store", "day"], value_vars=[f"h{h:02d}" for h in range(24)], value_name="required_staff")
    long = long.assign(store_id=long["store"], weekday=long["day"], hour=long["variable"].str[1:].astype(int))
    long = long[["store_id", "weekday", "hour", "required_staff"]].sample(frac=1, random_state=1)
    long["required_staff"] = long["required_staff"].astype("Int64").mask(long["required_staff"] == 0)  # NA = none
    from_grid, from_long = read_requirements(grid), read_requirements(long)
    assert from_grid.keys() == from_long.keys() == {"A", "B"}
    for store in from_grid:
        np.testing.assert_array_equal(from_long[store], from_grid[store])
        assert from_grid[store][3, 5] == grid[(grid.store == store) & (grid.day == 3)]["h05"].item()
    # every bad cell at once, by row (the first alone was said, one run per mistake)
    broken = grid.astype({"h03": object, "h09": object, "day": object})
    broken.loc[4, "h09"], broken.loc[1, "h03"], broken.loc[5, "day"] = "-1", "two", "9"
    with pytest.raises(ValueError) as refused:
        read_requirements(broken)
    assert str(refused.value) == ("row 3: column h03: 'two' is not a whole number from 0 to 1,000; "
                                  "row 6: column h09: '-1' is not a whole number from 0 to 1,000; "
                                  "row 7: column day: '9' is not a whole number from 0 to 6, or a day's name (Mon to "
                                  "Sun)")


def test_recommend_reads_the_counts_once_and_says_each_stores_patience(capsys, monkeypatch, chain):
    """The table and the patience lines under it come from one reading of the counts (they were read twice: 0.5 s
    more on a chain of 1,000 stores); a what-if patience is named as such, for every store recommended."""
    from planner import storage

    _, url = chain
    reads = []
    load = storage.load_observations
    monkeypatch.setattr(storage, "load_observations", lambda *a, **k: reads.append(1) or load(*a, **k))
    code, out = _run(capsys, "--database-url", url, "recommend", "--store", "S02", "--store", "S05",
                     "--patience-minutes", "3")
    assert code == 0, out
    assert len(reads) == 1
    assert "S02: patience 3.0 min, what-if\n" in out and "S05: patience 3.0 min, what-if\n" in out


def test_recommends_grid_keeps_an_hour_after_midnight_on_the_evening_it_closes(capsys, chain, tmp_path):
    """S07 opens Friday and Saturday 10:00-01:00 and Sunday at 12:00: the grid showed Saturday night's last hour
    under "Sun 0" (and Friday's under "Sat 0"), where My store, its CSVs and the plan say "Saturday 00:00+1". Its
    figures are the clock-keyed `recommend --out` rows of Saturday and Sunday hour 0."""
    _, url = chain
    code, out = _run(capsys, "--database-url", url, "recommend", "--store", "S07", "--out", str(tmp_path / "r.csv"))
    assert code == 0, out
    table = pd.read_csv(tmp_path / "r.csv", dtype={"store_id": str}).set_index(["weekday", "hour"])
    code, out = _run(capsys, "--database-url", url, "recommend", "--store", "S07")
    assert code == 0, out
    lines = out.splitlines()
    header = lines[1].split()
    grid = {line.split()[0]: dict(zip(header, line.split()[1:], strict=True)) for line in lines[2:9]}
    assert header[0] == "10" and header[-1] == "0+1" and "0" not in header
    assert grid["Fri"]["0+1"] == str(int(table.loc[(5, 0), "required_staff"]))
    assert grid["Sat"]["0+1"] == str(int(table.loc[(6, 0), "required_staff"]))
    assert grid["Sun"]["0+1"] == "." and grid["Sun"]["12"] != "." and grid["Mon"]["0+1"] == "."
    assert "0+1 = the hour after midnight" in lines[0]


def test_a_requirements_grid_takes_day_names_a_store_choice_and_claims_no_cost(capsys, tmp_path):
    """`day` as Mon or Monday was refused (0-6 only); --store was ignored (every store of the table scheduled); the
    cost was the paid hours at 1 an hour, shown as if it were money."""
    hours = ",".join(f"h{h:02d}" for h in range(24))
    need = ",".join("2" if 9 <= h < 17 else "0" for h in range(24))
    rows = [f"{store},{day},{need}" for store in ("A", "B") for day in ("Mon", "tuesday", "2", "THU", "4", "Sat", "sun")]
    (tmp_path / "need.csv").write_text(f"store,day,{hours}\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code, out = _run(capsys, "schedule", "--requirements", str(tmp_path / "need.csv"), "--store", "B", "--serial",
                     "--out-dir", str(tmp_path / "out"))
    assert code == 0, out
    summary = pd.read_csv(tmp_path / "out" / "summary.csv", dtype={"store_id": str})
    assert summary["store_id"].tolist() == ["B"] and summary.loc[0, "required_staff_hours"] == 7 * 8 * 2
    assert summary["wage_cost"].isna().all() and "carries no wages" in out
    coverage = pd.read_csv(tmp_path / "out" / "coverage.csv")
    assert sorted(coverage["weekday"].unique()) == list(range(7))  # every named day read as its weekday
    code, out = _run(capsys, "schedule", "--requirements", str(tmp_path / "need.csv"), "--store", "C")
    assert code == 1 and "has no requirement for C: its stores are A, B" in out
    # store ids past 10 characters are printed whole: cut, STORE-NORTH-0001 and -0002 both read STORE-NORT
    long_rows = [row.replace("A,", "STORE-NORTH-0001,", 1).replace("B,", "STORE-NORTH-0002,", 1) for row in rows]
    (tmp_path / "long.csv").write_text(f"store,day,{hours}\n" + "\n".join(long_rows) + "\n", encoding="utf-8")
    code, out = _run(capsys, "schedule", "--requirements", str(tmp_path / "long.csv"), "--serial")
    assert code == 0 and "\nSTORE-NORTH-0001 " in out and "\nSTORE-NORTH-0002 " in out


def test_the_schedule_table_writes_staff_hours_with_separators_and_its_csv_plain_numbers(capsys, tmp_path):
    """The terminal table printed "2800.0" staff-hours where its cost column writes "74,594.45": the table now
    writes them "2,800.0", while summary.csv keeps plain numbers for the machines that read it."""
    hours = ",".join(f"h{h:02d}" for h in range(24))
    need = ",".join("25" if 9 <= h < 17 else "0" for h in range(24))  # 25 staff for 8 hours: 1,400 h a week
    rows = [f"{store},{day},{need}" for store in ("A", "B") for day in range(7)]
    (tmp_path / "need.csv").write_text(f"store,day,{hours}\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code, out = _run(capsys, "schedule", "--requirements", str(tmp_path / "need.csv"), "--serial",
                     "--out-dir", str(tmp_path / "out"))
    assert code == 0, out
    summary = pd.read_csv(tmp_path / "out" / "summary.csv", dtype={"store_id": str}).set_index("store_id")
    assert summary.loc["A", "required_staff_hours"] == 7 * 8 * 25  # read as a number: no separator in the file
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line[:2] in ("A ", "B ", "to")}
    for store in ("A", "B"):
        assert lines[store][1:5] == [f"{summary.loc[store, column]:,.1f}" for column in (
            "paid_staff_hours", "required_staff_hours", "excess_staff_hours", "uncovered_staff_hours")]
    assert lines["total"][1:3] == [f"{summary['paid_staff_hours'].sum():,.1f}",
                                   f"{summary['required_staff_hours'].sum():,.1f}"] == ["2,800.0", "2,800.0"]
    raw = (tmp_path / "out" / "summary.csv").read_text().splitlines()
    assert ",1400.0," in raw[1] and "1,400" not in "".join(raw)


def test_schedule_reads_the_file_recommend_writes(capsys, tmp_path, chain):
    _, url = chain
    code, out = _run(capsys, "--database-url", url, "recommend", "--store", "S02", "--out", str(tmp_path / "rec.csv"))
    assert code == 0, out
    # the sample's store file gives no patience and its counts cannot tell it: the output says so
    assert ("S02: patience 2.0 min, the counts show customers give up sooner than the chain's 5 min setting (under "
            "2.0 min) but not how much sooner: planned with 2.0 min, the longest patience they allow\n") in out
    code, out = _run(capsys, "--database-url", url, "schedule", "--requirements", str(tmp_path / "rec.csv"),
                     "--out-dir", str(tmp_path / "plan"), "--time-limit", "5")
    assert code == 0, out
    assert "solved one after another: a local Dask cluster pays only from" in out
    recommended = pd.read_csv(tmp_path / "rec.csv", dtype={"store_id": str})
    coverage = pd.read_csv(tmp_path / "plan" / "coverage.csv", dtype={"store_id": str})
    assert not coverage["hour"].str.contains(r"\+").any()  # S02 closes by 20:00: its hours are the clock's
    coverage["hour"] = coverage["hour"].str.slice(0, 2).astype(int)  # "10:00" is hour 10
    need = recommended.set_index(["weekday", "hour"])["required_staff"].fillna(0).astype(int)
    asked = coverage.set_index(["weekday", "hour"])["required_staff"].reindex(need.index).fillna(0).astype(int)
    assert set(coverage["store_id"]) == {"S02"} and need.sum() > 0
    assert asked.tolist() == need.tolist()


# --- where the stores are solved ----------------------------------------------------------------------------------

def test_a_local_cluster_is_started_only_when_it_pays(monkeypatch):
    rules = Settings().shifts
    many = rules.parallel_min_stores
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert solve_mode(many - 1, rules) == "serial" and solve_mode(many, rules) == "local"
    assert solve_mode(many, rules, parallel=False) == "serial" and solve_mode(2, rules, parallel=True) == "local"
    assert solve_mode(1, rules, parallel=True) == "serial" and solve_mode(1, rules, scheduler="tcp://x:1") == "cluster"
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert solve_mode(10 * many, rules) == "serial"


class _FakeClient:
    """What `ensure_planner_importable` asks of a Dask client, for a cluster whose machines lack `missing` or run
    planner `version`."""

    def __init__(self, workers: int, missing: str | None = None, version: str = planner.__version__):
        self.workers, self.missing, self.version, self.uploaded = workers, missing, version, []

    def scheduler_info(self):
        return {"workers": {f"tcp://w{n}:1": {} for n in range(self.workers)}}

    def run_on_scheduler(self, check):
        if self.missing == "planner" and self.uploaded:
            return None, planner.__version__
        return (self.missing, None) if self.missing else (None, self.version)

    def run(self, check):
        return {worker: self.run_on_scheduler(check) for worker in self.scheduler_info()["workers"]}

    def upload_file(self, path):
        with zipfile.ZipFile(path) as archive:
            self.uploaded = archive.namelist()


def test_a_cluster_without_the_planner_gets_it_and_one_without_ortools_is_told_what_to_install():
    client = _FakeClient(2, "planner")
    assert ensure_planner_importable(client, "tcp://s:8786") is True
    assert "planner/__init__.py" in client.uploaded and "planner/shifts/solve.py" in client.uploaded
    assert ensure_planner_importable(_FakeClient(2), "tcp://s:8786") is False
    with pytest.raises(PlannerError, match=r"cannot import ortools .*pip install -r requirements.txt"):
        ensure_planner_importable(_FakeClient(2, "ortools"), "tcp://s:8786")
    with pytest.raises(PlannerError, match=rf"runs planner 0.0.1 \(scheduler\) and this command {planner.__version__}"):
        ensure_planner_importable(_FakeClient(2, version="0.0.1"), "tcp://s:8786")
    with pytest.raises(PlannerError, match=r"has no workers: start one with `dask worker tcp://s:8786`"):
        ensure_planner_importable(_FakeClient(0), "tcp://s:8786")


@pytest.mark.slow  # a real `dask scheduler` and `dask worker`: about 10-20 s
def test_schedule_on_a_dask_cluster_started_elsewhere(capsys, tmp_path):
    """A scheduler and a worker started in another folder, with the planner's dependencies but not the planner
    (`-S` skips site-packages' .pth files, where an editable install lives; PYTHONPATH gives the dependencies)."""
    from dask.distributed import Client

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "COVERAGE", "PLANNER"))}
    env["PYTHONPATH"] = sysconfig.get_paths()["purelib"]
    dask = [sys.executable, "-S", str(Path(sys.executable).parent / "dask")]
    started = [subprocess.Popen([*dask, "scheduler", "--port", "0", "--no-dashboard", "--scheduler-file",
                                 "scheduler.json"], cwd=tmp_path, env=env, stderr=subprocess.DEVNULL)]
    try:
        address = _wait_for_address(tmp_path / "scheduler.json")
        started.append(subprocess.Popen([*dask, "worker", address, "--nthreads", "1", "--no-dashboard"],
                                        cwd=tmp_path, env=env, stderr=subprocess.DEVNULL))
        with Client(address, timeout="20s") as client:
            client.wait_for_workers(1, timeout=60)
            assert set(client.run(batch._planner_check()).values()) == {("planner", None)}  # it lacks it
        table = pd.DataFrame({"store": ["A"] * 7 + ["B"] * 7, "day": list(range(7)) * 2, "day_name": "x"})
        for h in range(24):
            table[f"h{h:02d}"] = [2 if 9 <= h < 18 else 0] * 7 + [1 if 10 <= h < 16 else 0] * 7
        table.to_csv(tmp_path / "need.csv", index=False)
        runs = {}
        for name, where in [("cluster", ["--scheduler", address]), ("serial", ["--serial"])]:
            code, out = _run(capsys, "schedule", "--requirements", str(tmp_path / "need.csv"), *where,
                             "--out-dir", str(tmp_path / name))
            assert code == 0, out
            runs[name] = pd.read_csv(tmp_path / name / "shifts.csv")
        assert f"solved on the Dask cluster at {address}" in _run(capsys, "schedule", "--requirements",
                                                                  str(tmp_path / "need.csv"), "--scheduler", address)[1]
        pd.testing.assert_frame_equal(runs["cluster"], runs["serial"])
        with Client(address, timeout="20s") as client:
            assert all("planner.zip" in path for path in client.run(lambda: __import__("planner").__file__).values())
    finally:
        for process in reversed(started):
            process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_for_address(path: Path, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size:
            return json.loads(path.read_text())["address"]
        time.sleep(0.2)
    raise AssertionError(f"no Dask scheduler wrote {path} within {seconds} s")


def test_an_unreachable_scheduler_is_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "_CONNECT_TIMEOUT", "1s")
    (tmp_path / "need.csv").write_text("store,day," + ",".join(f"h{h:02d}" for h in range(24)) + "\n"
                                       + "A,0," + ",".join(["1"] * 24) + "\n")
    code, out = _run(capsys, "schedule", "--requirements", str(tmp_path / "need.csv"),
                     "--scheduler", "tcp://127.0.0.1:9")
    assert code == 2 and out.count("\n") == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in out


@pytest.mark.parametrize("address", ["tcp://planner:S3cret-pw@127.0.0.1:1", "tcp://planner:S3cret-pw@127.0.0.1:x"])
def test_a_scheduler_password_is_never_shown(capsys, tmp_path, monkeypatch, address):
    """Dask's message quotes the address without its scheme (`invalid address 'planner:S3cret-pw@...'`), where
    the URL pattern did not find the password."""
    monkeypatch.setattr(batch, "_CONNECT_TIMEOUT", "1s")
    (tmp_path / "need.csv").write_text("store,day," + ",".join(f"h{h:02d}" for h in range(24)) + "\n"
                                       + "A,0," + ",".join(["1"] * 24) + "\n")
    code, out = _run(capsys, "schedule", "--requirements", str(tmp_path / "need.csv"), "--scheduler", address)
    assert code == 2 and "cannot reach the Dask scheduler at tcp://planner:***@127.0.0.1:" in out
    assert "S3cret" not in out


def test_ctrl_c_while_a_flag_is_read_is_one_line(capsys, monkeypatch):
    """`--week` is read by the calendar module, imported while the flags are parsed: a Ctrl-C then printed a
    traceback, before the command's own handler was in place."""
    from planner.calendar import IsoWeek

    def interrupted(text):
        raise KeyboardInterrupt

    monkeypatch.setattr(IsoWeek, "parse", staticmethod(interrupted))
    code, out = _run(capsys, "plan", "--week", "2026-W50", "--store", "S01")
    assert code == 130 and out == "stopped: nothing was done\n"

# --- packaging and start-up -----------------------------------------------------------------------------------------


def test_pyproject_pins_the_same_versions_as_requirements():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = project["dependencies"] + [pin for extra in project["optional-dependencies"].values() for pin in extra]
    required = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    assert sorted(pinned) == sorted(required) and all("==" in pin for pin in required)
    assert project["scripts"]["planner"] == "planner.cli:main"
    assert "streamlit" not in " ".join(project["dependencies"])  # a Dask worker does not need the app


@pytest.mark.parametrize("args, absent", [
    (["--help"], ["pandas", "numpy", "sqlalchemy", "pandera", "dask", "ortools", "tqdm"]),
    (["validate", str(DATA / "stores.csv"), "--stores", str(DATA / "stores.csv")],
     ["ortools", "dask.dataframe", "distributed", "scipy", "plotly", "streamlit"]),
])
def test_a_command_imports_only_what_it_needs(args, absent):
    code = ("import sys\nfrom planner.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            f"print([m for m in {absent!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("shown, masked", [
    ("postgresql+psycopg://planner:s3cret@db:5432/x failed", "postgresql+psycopg://planner:***@db:5432/x failed"),
    ("postgresql://db/x?user=p&password=s3cret&ssl=on", "postgresql://db/x?user=p&password=***&ssl=on"),
    ("dsn 'host=db password=s3cret dbname=x'", "dsn 'host=db password=*** dbname=x'"),
    ("sqlite:////tmp/planner.db", "sqlite:////tmp/planner.db"),
    ("POST /token grant_type=authorization_code&client_secret=s3cret&code=x",
     "POST /token grant_type=authorization_code&client_secret=***&code=x"),
    ('line 4: cookie_secret = "s3cret"', "line 4: cookie_secret = ***"),
])
def test_passwords_are_masked_in_every_form(shown, masked):
    assert cli.mask_passwords(shown) == masked


def test_commands_plan_with_the_chains_settings_saved_in_the_database(capsys, sample_url, tmp_path):
    url, settings = sample_url, Settings(database_url=sample_url)
    by_flag, by_chain, by_default = tmp_path / "flag.csv", tmp_path / "chain.csv", tmp_path / "default.csv"
    assert main(["--database-url", url, "recommend", "--store", "S02", "--out", str(by_default)]) == EXIT_OK
    assert main(["--database-url", url, "recommend", "--store", "S02", "--target-service-level", "0.95",
                 "--out", str(by_flag)]) == EXIT_OK
    from planner import storage

    engine = storage.connect(settings)
    storage.save_settings(engine, Settings().with_targets(target_service_level=0.95), "ana", "")
    engine.dispose()
    assert main(["--database-url", url, "recommend", "--store", "S02", "--out", str(by_chain)]) == EXIT_OK
    # S02 has no service level of its own: the chain's 95% gives what the flag's 95% gave
    pd.testing.assert_frame_equal(pd.read_csv(by_chain), pd.read_csv(by_flag))
    assert pd.read_csv(by_chain)["required_staff"].sum() > pd.read_csv(by_default)["required_staff"].sum()


def test_review_holds_the_published_plan_against_the_counts_or_says_there_is_none(capsys, sample_url, monkeypatch):
    from conftest import TODAY
    from planner import storage
    from planner.pipeline import make_plan
    from planner.plans import PlanRequest

    url, settings = sample_url, Settings(database_url=sample_url)
    code, out = _run(capsys, "--database-url", url, "review", "--store", "S01", "--week", "2026-W40")
    # the week is over (the tests' today is 2026-12-01): `plan --publish` would refuse it, so no command is offered
    assert (code, out.strip()) == (EXIT_OK, "no published plan for S01 in 2026-W40: 2026-W40 (ended Sun 04 Oct "
                                                "2026) is over, so none can be published now. review compares a "
                                                "week's published plan with the counts of its dates")
    engine = storage.connect(settings)
    for week in ("2026-W39", "2026-W40", "2026-W41"):  # the sample's last counted weeks, and one not counted yet
        plan = make_plan(engine, PlanRequest(weeks=(week,), store_ids=("S01",)), parallel=False)
        (row,) = plan.index_rows()
        # published before the weeks began, so each day had the plan in force (`planner.review.judged_days`)
        monkeypatch.setenv("PLANNER_TODAY", "2026-09-18")
        storage.publish_plan(engine, storage.save_plan(engine, "S01", week, row["fingerprint"], plan.to_json(), "ana"),
                             "ana")
        monkeypatch.setenv("PLANNER_TODAY", TODAY)
    engine.dispose()
    code, out = _run(capsys, "--database-url", url, "review", "--store", "S01", "--week", "2026-W40")
    counted = pd.read_csv(DATA / "observations.csv").query("store_id == 'S01' and date >= '2026-09-28'")
    lines = out.strip().splitlines()
    assert code == EXIT_OK, out
    assert lines[0].startswith("S01, plan ") and "published" in lines[0]
    assert len(lines) == 1 + counted["date"].nunique() + 1          # a line per counted day, then the judgement
    assert lines[1].startswith("Mon 2026-09-28") and " 5 h " in lines[1]
    # the figures named as My store's Plan vs actual names them: "Above plan", "Typical miss", "In range" (it printed
    # "MAPE 12%", then "bias" and "error" once the page had plain names)
    assert all(re.search(r"planned +\d+ \(above plan [+-]\d+%\)  typical miss \d+%  in range \d+/\d+  below "
                         r"schedule \d+ h, below required \d+ h, below target \d+ h$", line)
               for line in lines[1:-1]), lines  # the staff's hours too ("requirement", "target service" were not)
    assert "hours over 1 week" in lines[-1]
    code, out = _run(capsys, "--database-url", url, "review", "--store", "S01", "--week", "2026-W41")
    assert code == EXIT_OK and len(out.strip().splitlines()) == 1
    assert out.startswith("S01, plan ") and out.strip().endswith(": no counts yet for the dates it covers.")
    # a repeated --week judges the weeks together (the last one given was all it read, so "2 weeks" never came)
    code, out = _run(capsys, "--database-url", url, "review", "--store", "S01", "--week", "2026-W39", "--week",
                     "2026-W40", "--week", "2026-W38")
    both = pd.read_csv(DATA / "observations.csv").query("store_id == 'S01' and '2026-09-21' <= date <= '2026-10-04'")
    lines = out.strip().splitlines()
    assert lines[0] == ("no published plan for S01 in 2026-W38: 2026-W38 (ended Sun 20 Sep 2026) is over, so none "
                        "can be published now. review compares a week's published plan with the counts of its dates")
    assert "for 2026-W39" in lines[1] and "for 2026-W40" in lines[1]
    assert len(lines) == 2 + both["date"].nunique() + 1 and "hours over 2 weeks" in lines[-1]


def test_a_store_manager_is_told_to_ask_a_planner_to_publish_a_plan_never_to_use_publish(capsys, sample_url):
    """`plan --publish` refuses a store manager ("may not publish"), yet `plan`'s saved draft and `review` of a week
    with no published plan told everyone to use it: they now say what the role can do, as `roster --show` does."""
    url = sample_url
    assert _run(capsys, "--database-url", url, "users", "add", "sam", "--role", "store_manager", "--stores",
                "S02")[0] == EXIT_OK
    making = "`python -m planner plan --week 2026-W50 --store S02"
    asking = f"ask a planner to publish one ({making} --publish`): a store manager may not publish"
    code, out = _run(capsys, "--database-url", url, "--as", "sam", "review", "--store", "S02", "--week", "2026-W50")
    assert (code, out.strip()) == (EXIT_OK, f"no published plan for S02 in 2026-W50: {making}` makes a draft to "
                                                f"look at; {asking}")
    code, out = _run(capsys, "--database-url", url, "--as", "sam", "plan", "--week", "2026-W50", "--store", "S02")
    (saved,) = [line for line in out.splitlines() if line.startswith("saved as plan ")]
    assert code == EXIT_OK and saved == ("saved as plan 1 (draft; ask a planner to publish it (`python -m planner "
                                             "plans publish 1`): a store manager may not publish)")
    assert _run(capsys, "--database-url", url, "--as", "sam", "plans", "publish", "1")[1].strip() == \
        "error: sam (store manager) may not publish"  # why the hint changed
    code, out = _run(capsys, "--database-url", url, "plan", "--week", "2026-W50", "--store", "S02")
    (saved,) = [line for line in out.splitlines() if line.startswith("saved as plan ")]
    assert saved == "saved as plan 2 (draft; `python -m planner plans publish 2` publishes it)"


def test_publishing_a_week_that_is_over_is_refused_for_being_over_not_for_counts_it_does_not_have(
        capsys, sample_url):
    """`plan --week 2026-W48 --store S01 --publish` was refused as "... a plan made now is made from that week's own
    counts", though the sample counted nothing in W48 (its counts end in October): the refusal decides by the
    week's end alone, and now says that."""
    from planner import storage

    engine = storage.connect(Settings(database_url=sample_url))
    counted_dates = storage.load_observations(engine)["date"]
    engine.dispose()
    assert counted_dates.max() < pd.Timestamp("2026-11-23")  # W48's Monday: the week has no counts
    code, out = _run(capsys, "--database-url", sample_url, "plan", "--week", "2026-W48", "--store", "S01", "--publish")
    assert code == EXIT_INPUT and out.strip() == (
        "error: no plan was saved or published: 2026-W48 (ended Sun 29 Nov 2026) is over, and a plan published now "
        "would come after all of its days, when no one can work to it any more. It may be kept as a draft, not "
        "published")


def test_the_hint_after_a_draft_plan_names_the_command_that_publishes_that_draft(capsys, sample_url):
    """`plan` said "saved as plan(s) 1 (draft; `... plan --week ... --publish` makes and publishes one)": following it
    solved again and saved a second plan, leaving draft 1 behind. The hint names `plans publish ID ...` with every
    draft's id, and following it publishes the drafts themselves: no plan is made."""
    from planner import storage

    url, settings = sample_url, Settings(database_url=sample_url)
    code, out = _run(capsys, "--database-url", url, "plan", "--week", "2026-W50", "--store", "S01", "--store", "S02")
    (saved,) = [line for line in out.splitlines() if line.startswith("saved as ")]
    assert "plan for 2026-W50, 2 stores; fingerprint of its counts, store file, calendar and settings " in out  # "2 store(s)" before
    assert code == EXIT_OK and saved == ("saved as plans 1, 2 (drafts; `python -m planner plans publish 1 2` "
                                             "publishes them)"), saved
    (command,) = re.findall(r"`python -m planner (plans publish [\d ]+)`", saved)  # one for all the drafts
    assert _run(capsys, "--database-url", url, *command.split())[0] == EXIT_OK
    listed = storage.list_plans(storage.connect(settings))
    assert sorted(listed["plan_id"]) == [1, 2] and set(listed["status"]) == {"published"}


def test_review_judges_each_day_by_the_plan_in_force_when_it_began(capsys, sample_url):
    """S01's week 2026-W40 is published on the Friday before it, and re-planned (forecasting 30% more) on its
    Wednesday: `review` holds Monday to Wednesday against the first plan and the later days against the re-plan,
    saying which on each line, as `planner.review.judged_days` rules."""
    import dataclasses
    from datetime import UTC, datetime

    from sqlalchemy import update

    from planner import storage
    from planner.pipeline import make_plan
    from planner.plans import PlanRequest
    from planner.storage.tables import plans

    url, settings = sample_url, Settings(database_url=sample_url)
    engine = storage.connect(settings)
    plan = make_plan(engine, PlanRequest(weeks=("2026-W40",), store_ids=("S01",)), parallel=False)
    (row,) = plan.index_rows()
    busier = plan.demand.assign(**{column: plan.demand[column] * 1.3 for column in (
        "assisted_per_hour", "assisted_per_hour_low", "assisted_per_hour_high")})
    ids = []
    for made in (plan, dataclasses.replace(plan, demand=busier)):
        ids.append(storage.save_plan(engine, "S01", "2026-W40", row["fingerprint"], made.to_json(), "ana"))
        storage.publish_plan(engine, ids[-1], "ana")
    with engine.begin() as connection:
        for plan_id, at in zip(ids, (datetime(2026, 9, 25, 9, tzinfo=UTC), datetime(2026, 9, 30, 14, tzinfo=UTC)),
                               strict=True):
            connection.execute(update(plans).where(plans.c.plan_id == plan_id).values(published_at=at))
    engine.dispose()
    code, out = _run(capsys, "--database-url", url, "review", "--store", "S01", "--week", "2026-W40")
    days = [line for line in out.splitlines() if line[:3] in {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}]
    assert code == EXIT_OK and out.startswith(f"S01, plan {ids[1]} for 2026-W40"), out
    early = [line for line in days if line[4:14] <= "2026-09-30"]
    late = [line for line in days if line[4:14] > "2026-09-30"]
    assert early and late and len(early) + len(late) == len(days), out
    assert all(line.endswith(f"(plan {ids[0]})") for line in early), out
    assert all(line.endswith(f"(plan {ids[1]})") for line in late), out
    # both published on the week's last day, the first a few minutes before the re-plan: every day began before
    # either, with no plan in force, so none judges them: each line says so, naming the week's first plan, and the
    # judgement counts none of their hours
    engine = storage.connect(settings)
    with engine.begin() as connection:
        for plan_id, minute in zip(ids, (0, 5), strict=True):
            connection.execute(update(plans).where(plans.c.plan_id == plan_id).values(
                published_at=datetime(2026, 10, 4, 10, minute, tzinfo=UTC)))
    engine.dispose()
    code, out = _run(capsys, "--database-url", url, "review", "--store", "S01", "--week", "2026-W40")
    days = [line for line in out.splitlines() if line[:3] in {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}]
    assert out.startswith(f"S01, plan {ids[1]} for 2026-W40"), out
    assert len(days) == 7 and all("no plan in force" in line and f"the week's first, plan {ids[0]}, was published "
                                  "on Sun 04 Oct" in line for line in days), out
    assert out.strip().splitlines()[-1].startswith("S01: every day counted so far began before a plan"), out


def test_next_counts_prints_one_sentence_per_window_and_the_figures_on_request(capsys, sample_url):
    """`next-counts` prints the advice's sentences, best first, one line each, at the store's resolved targets (the
    pipeline's `count_advice`); `--detail` adds one table line per window whose figures are the advice's own, the
    doubt removed among them (the sentences leave it out)."""
    from planner import storage
    from planner.hours import WEEKDAY_NAMES
    from planner.pipeline import count_advice
    from planner.surfaces.my_store import COUNT_NEXT_RANKED

    url, settings = sample_url, Settings(database_url=sample_url)
    code, out = _run(capsys, "--database-url", url, "next-counts", "--store", "S05")
    engine = storage.connect(settings)
    advice = count_advice(engine, settings, "S05", 3)
    engine.dispose()
    lines = out.strip().splitlines()
    # first the line that says why the first is first, then the sentences, in the panel's words
    assert code == EXIT_OK and lines == [COUNT_NEXT_RANKED["reach"], *(a.sentence for a in advice)] and len(advice) == 3
    assert all("doubt" not in line and line.count("staff-hour") <= 1 for line in lines[1:])
    code, out = _run(capsys, "--database-url", url, "next-counts", "--store", "S05", "--windows", "2", "--detail")
    lines = out.strip().splitlines()
    assert code == EXIT_OK and lines[1:3] == [a.sentence for a in advice[:2]] and lines[3] == ""
    assert lines[4].split()[:3] == ["window", "range", "now"] and len(lines) == 7
    for item, line in zip(advice[:2], lines[5:], strict=True):
        assert line.startswith(f"{WEEKDAY_NAMES[item.weekday]} {item.start_hour:02d}:00-")
        assert f"{item.doubt_removed_staff_hours:.2f}" in line and item.band_now.text in line


def test_next_counts_ranks_by_the_model_on_request(capsys, sample_url):
    """`next-counts --ranking model` gives the pooled model's own ranking (`next_counts(..., ranking="model")`, which
    re-fits the model), not the default's; the flag's choices are the advice's rankings, the default first."""
    from planner import storage
    from planner.pipeline import count_advice
    from planner.staffing.advice import RANKINGS
    from planner.surfaces.my_store import COUNT_NEXT_RANKED

    assert set(cli_staffing.ADVICE_RANKINGS) == set(RANKINGS) == set(COUNT_NEXT_RANKED)
    assert cli_staffing.ADVICE_RANKINGS[0] == "reach"
    url, settings = sample_url, Settings(database_url=sample_url)
    code, out = _run(capsys, "--database-url", url, "next-counts", "--store", "S05", "--ranking", "model")
    engine = storage.connect(settings)
    model = count_advice(engine, settings, "S05", 3, ranking="model")
    reach = count_advice(engine, settings, "S05", 3)
    engine.dispose()
    assert code == EXIT_OK and out.strip().splitlines() == [COUNT_NEXT_RANKED["model"], *(a.sentence for a in model)]
    assert len(model) == 3
    assert [a.doubt_removed_staff_hours for a in model] != [a.doubt_removed_staff_hours for a in reach]
    code, out = _run(capsys, "--database-url", url, "next-counts", "--store", "S05", "--ranking", "best")
    assert code != EXIT_OK and "invalid choice: 'best'" in out and "Traceback" not in out


def test_the_limits_the_command_line_copies_for_its_start_up_match_their_sources():
    """`cli_flags.PLAN_ID_MAX` and `cli_flags.PERSON_MAX_CHARS` are copied, not imported (so flags are read without pandas
    and SQLAlchemy): held here to the columns they stand for."""
    from planner import cli_flags
    from planner.schemas import INTEGER_MAX
    from planner.storage.tables import PERSON_MAX_CHARS

    assert cli_flags.PLAN_ID_MAX == INTEGER_MAX and cli_flags.PERSON_MAX_CHARS == PERSON_MAX_CHARS


def test_a_reader_that_stops_early_gets_no_error(sample_url):
    """`recommend --all | head -1` printed "error: [Errno 32] Broken pipe" and exited 1: now nothing is said, and
    the exit code is a shell's for a program its reader ended (not 0: a roster printed before it is saved is not
    saved). The reader goes before the first line is written (the planner takes a second to start): reading a line
    first let a quick writer put all 5 KB into the pipe and exit 0 before the reader went, now and then."""
    process = subprocess.Popen([sys.executable, "-m", "planner", "--database-url", sample_url, "recommend", "--all"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.close()  # as `head -1` does once it has its line
    _, err = process.communicate(timeout=120)
    assert process.returncode == EXIT_READER_GONE == 141
    assert "error" not in err.lower() and "Exception" not in err


def test_simulate_draws_a_progress_bar_over_its_weeks(capsys, chain, monkeypatch):
    """`simulate` took seconds behind one line ("simulating S07…"); its weeks now count on a bar."""
    from contextlib import contextmanager

    from planner.simulation import simulate

    _, url = chain
    drawn = []

    @contextmanager
    def recorded(description="stores", unit="store"):
        yield lambda done, total: drawn.append((description, done, total))

    monkeypatch.setattr(cli_simulate, "progress_bar", recorded)
    # weeks in batches of 5, not 50: three batches of 12 weeks draw the bar as 120 weeks did, in a tenth of the work
    monkeypatch.setattr(simulate, "PROGRESS_BATCH", 5)
    code, out = _run(capsys, "--database-url", url, "simulate", "--store", "S01", "--replications", "12")
    assert code == 0, out
    assert drawn[-1] == ("simulated weeks", 12, 12) and len(drawn) >= 3


def test_simulate_labels_an_hour_after_midnight_with_the_opening_it_closes(capsys, chain):
    """S07 opens Friday and Saturday 10:00-01:00 (data/stores.csv): `simulate` printed Saturday night's last hour as
    "Sun 00:00" (and Friday's as "Sat 00:00"), by the clock; a plan files them as the opening's "00:00+1". Every
    hour it prints is now an hour of an opening, read from the store file's text, under that opening's day; the
    Schedule page's simulation draws the same keys."""
    from planner import pipeline, storage
    from planner.hours import WEEKDAY_NAMES, hour_label
    from planner.settings import Settings

    _, url = chain
    row = pd.read_csv(DATA / "stores.csv", dtype=str).set_index("store_id").loc["S07"]
    opening = {}
    for weekday, day in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]):
        opens, closes = (int(text[:2]) for text in row[day].split("-"))
        opening[weekday] = range(opens, closes + 24 if closes <= opens else closes)
    expected = {f"{WEEKDAY_NAMES[weekday]} {hour_label(hour)}" for weekday, hours in opening.items() for hour in hours}
    assert {"Fri 00:00+1", "Sat 00:00+1"} <= expected
    code, out = _run(capsys, "--database-url", url, "simulate", "--store", "S07", "--replications", "40")
    assert code == 0, out
    printed = [line[:len("Sat 00:00+1")].strip() for line in out.splitlines() if line[:3] in WEEKDAY_NAMES]
    assert printed and set(printed) <= expected and {"Fri 00:00+1", "Sat 00:00+1"} <= set(printed), printed
    assert printed.index("Sat 00:00+1") == printed.index("Sat 23:00") + 1  # the evening's last, not Sunday's first
    engine = storage.connect(Settings(database_url=url))
    result = pipeline.simulate_store(engine, Settings(), "S07", replications=20)
    engine.dispose()
    drawn = result.frame_by_opening()  # what the Schedule page draws and lists
    keys = {f"{WEEKDAY_NAMES[d]} {hour_label(h)}" for d, h in zip(drawn["weekday"], drawn["hour"], strict=True)}
    assert keys == expected


def test_validate_with_the_stores_in_the_database_says_it_checked_against_them(capsys, sample_url):
    code, out = _run(capsys, "--database-url", sample_url, "validate", str(DATA / "single_count.csv"))
    assert code == 0
    assert "note: store ids checked against the database's 9 stores" in out


def test_validate_with_a_store_file_among_the_files_says_it_checked_against_it_and_the_database(capsys, sample_url,
                                                                                               tmp_path):
    """A store file given as a FILE (not --stores) adding S10, and counts of S10 and of S11 that nobody has: S10 was
    accepted from the file, yet the note said "store ids checked against the database's 9 stores" alone."""
    stores = pd.read_csv(DATA / "stores.csv", dtype=str, keep_default_na=False)
    added = stores.iloc[[-1]].assign(store_id="S10")
    store_file = tmp_path / "stores_bad.csv"
    added.to_csv(store_file, index=False)
    counts = pd.read_csv(DATA / "observations.csv", dtype=str, keep_default_na=False)
    rows = counts[counts["store_id"] == stores["store_id"].iloc[-1]].head(3)  # the hours the store file's S10 opens
    count_file = tmp_path / "obs_bad.csv"
    rows.assign(store_id=["S10", "S10", "S11"]).to_csv(count_file, index=False)
    code, out = _run(capsys, "--database-url", sample_url, "validate", str(store_file), str(count_file))
    assert code == 1
    assert f"{count_file}:4: store_id: store 'S11' is not in the store file or the database" in out, out
    assert "'S10' is not" not in out, out
    assert f"note: store ids checked against {store_file} and the database's {len(stores)} stores\n" in out, out


def test_validate_on_an_empty_database_checks_against_the_store_file_given_as_a_file(capsys, settings, tmp_path):
    """An empty database and a store file of S01 alone given as a FILE: the sample's stores stood in for the
    database, so the store file was warned of "8 stores already stored are not in this file" (none is stored) and
    counts of S02, which the import refuses ("not in the store file"), passed. The store file is all there is."""
    stores = pd.read_csv(DATA / "stores.csv", dtype=str, keep_default_na=False)
    store_file = tmp_path / "one_store.csv"
    stores[stores["store_id"] == "S01"].to_csv(store_file, index=False)
    counts = pd.read_csv(DATA / "observations.csv", dtype=str, keep_default_na=False)
    count_file = tmp_path / "counts.csv"
    pd.concat([counts[counts["store_id"] == "S01"].head(1),
               counts[counts["store_id"] == "S02"].head(1)]).to_csv(count_file, index=False)
    url = settings.resolved_database_url()
    code, out = _run(capsys, "--database-url", url, "validate", str(store_file))
    assert code == 0 and "already stored" not in out, out
    assert out.splitlines()[0] == f"note: store ids checked against {store_file} (the database has no stores yet)"
    code, out = _run(capsys, "--database-url", url, "validate", str(store_file), str(count_file))
    assert code == 1 and f"{count_file}:3: store_id: store 'S02' is not in the store file" in out, out
    assert "already stored" not in out and "data/stores.csv" not in out, out
    code, out = _run(capsys, "--database-url", url, "import", str(store_file), str(count_file))
    assert code == 1 and f"{count_file}:3: store_id: store 'S02' is not in the store file" in out, out  # as said
    code, out = _run(capsys, "--database-url", url, "validate", str(count_file))  # no store file: the sample's
    assert code == 0 and "note: store ids checked against data/stores.csv (the database has no stores yet)" in out


# as root, the flags' own check (os.access) lets /sys and /proc through; otherwise it refuses them in its words first
@pytest.mark.skipif(not os.access("/sys", os.W_OK), reason="only root gets past the flags' check to the writing")
@pytest.mark.parametrize("args, path", [
    (["recommend", "--store", "S01", "--out", "/sys/r.csv"], "/sys/r.csv"),  # "Permission denied" alone
    (["schedule", "--store", "S01", "--out-dir", "/sys/plans", "--time-limit", "5"], "/sys/plans"),  # "Operation..."
    (["export-observations", "--store", "S01", "--out", "/proc/x.csv"], "/proc/x.csv"),  # "No such file or directory"
])
def test_a_place_the_system_will_not_let_a_command_write_is_one_sentence_with_the_fix(capfd, chain, args, path):
    folder, url = chain
    got = main(["--database-url", url, *args])
    err = capfd.readouterr().err
    assert got == EXIT_UNAVAILABLE, err
    (line,) = [text for text in err.splitlines() if text.strip()]
    assert line.startswith(f"error: {path}: cannot be written (") and "no such file" not in line.lower()
    assert line.endswith("nothing was written: choose a folder you can write to")


@pytest.mark.parametrize("args, rows", [
    (["export-observations", "--store", "S07"], "rows written to standard output"),
    (["recommend", "--store", "S07"], "store-hours written to standard output"),
])
def test_out_dash_writes_the_csv_to_standard_output_and_the_rest_to_standard_error(capsys, chain, tmp_path,
                                                                                  monkeypatch, args, rows):
    """`--out -` wrote a file named "-" ("374 rows written to -"); standard output now holds the CSV alone, the
    same bytes `--out FILE` writes, and what the command says meanwhile goes to standard error."""
    _, url = chain
    monkeypatch.chdir(tmp_path)
    assert main(["--database-url", url, *args, "--out", "file.csv"]) == EXIT_OK
    capsys.readouterr()
    code = main(["--database-url", url, *args, "--out", "-"])
    captured = capsys.readouterr()
    assert code == EXIT_OK, captured.err
    assert captured.out == (tmp_path / "file.csv").read_text(encoding="utf-8")
    assert rows in captured.err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["file.csv"]  # no file named "-"


@pytest.mark.parametrize("args", [
    ["plans", "show", "1"], ["plan", "--week", "2026-W50"], ["schedule", "--store", "S01"],
    ["roster", "--store", "S01", "--week", "2026-W50"],
    ["roster", "replan", "--absence", "absences.csv", "--store", "S01", "--week", "2026-W50"],
])
def test_out_dir_dash_is_refused_before_anything_is_written(capsys, settings, tmp_path, monkeypatch, args):
    """`plans show 1 --out-dir -` wrote into a folder named "-" ("written: -/plan.json, ..."), where `--out -` is
    standard output. Every --out-dir refuses `-` as a bad flag is refused: one line, exit 1, nothing written."""
    monkeypatch.chdir(tmp_path)
    code = main(["--database-url", settings.resolved_database_url(), *args, "--out-dir", "-"])
    captured = capsys.readouterr()
    assert code == EXIT_INPUT and captured.out == ""
    (line,) = captured.err.strip().splitlines()
    assert "error: argument --out-dir: '-' is standard output for --out" in line and "give a folder" in line
    assert list(tmp_path.iterdir()) == []


def test_numbers_of_a_semicolon_file_are_quoted_as_written_and_an_exponent_gets_its_limit_at_once(capsys, sample_url,
                                                                                                  tmp_path):
    """A semicolon file writes 200,5 minutes: the messages quoted "203.75 staff minutes", "294.3 minutes" and "1.5
    assisted minutes", the numbers as Python read them. And 2.5E3 staff on duty was said "is 2,500 written with an
    exponent. Write it with the digits 0-9 alone: 2500", whose next check said 2500 is past the limit: limit and fix
    are said at once now."""
    counts = tmp_path / "semicolons.csv"
    counts.write_text("store_id;date;hour;visitors;assisted;self_service;assisted_minutes;self_service_minutes;"
                      "staff_on_duty\n"
                      "S01;2026-09-07;12;46;22;16;200,5;3,25;2\n"
                      "S01;2026-09-07;13;40;1;17;294,3;2,9;6\n"
                      "S01;2026-09-07;15;40;0;17;1,5;2,9;6\n"
                      "S01;2026-09-07;16;40;2;17;3,5;2,9;2.5E3\n"
                      "S01;2026-09-07;17;40;2;17;3,5;2,9;1E1\n")
    code, out = _run(capsys, "--database-url", sample_url, "validate", str(counts))
    lines = {int(line.split(":")[1]): line.split(": ", 2)[2] for line in out.splitlines()
             if line.startswith(f"{counts}:")}
    assert code == 1, out
    assert lines[2] == ("203,75 staff minutes in one hour is more than 2 staff can give (60 x 2 = 120). Correct the "
                        "minutes or staff_on_duty."), lines
    assert lines[3].startswith("warning: 294,3 minutes for 1 customer is 294 minutes each"), lines
    assert lines[4].startswith("1,5 assisted minutes but no assisted customers."), lines
    assert lines[5] == ("'2.5E3' is more than one hour's count can hold (1,000 staff on the floor): it is 2,500 written "
                        "with an exponent. Check for a typing slip (an extra digit, or a day's total in one hour's "
                        "row): counts are per clock hour."), lines
    assert lines[6] == "'1E1' is 10 written with an exponent. Write it with the digits 0-9 alone: 10.", lines


def test_a_files_fix_says_what_to_do_on_the_command_line_and_the_app_keeps_its_words(capsys, settings, tmp_path):
    """`validate` of an empty file said "Upload a file with a header row ... (see the template)", of a binary one
    "Upload a CSV or XLSX file", of an old .xls "... and upload that": the command line uploads nothing and offers no
    template. Its fixes now say how to import on the command line; the app's check of the same file keeps the
    app's words."""
    from planner.intake import check_files
    from planner.settings import ImportRules

    files = {"empty.csv": b"", "binary.csv": b"\x00\x01not text", "old.xls": b"\xd0\xcf\x11\xe0" + bytes(60),
             "latin.csv": "store_id,date\nM\u00fcnchen,2026-09-07\n".encode("latin-1")}
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    paths = [str(tmp_path / name) for name in files]
    url = settings.resolved_database_url()
    code, text = _run(capsys, "--database-url", url, "validate", *paths)
    assert code == 1, text
    code, said_json = _run(capsys, "--database-url", url, "validate", "--format", "json", *paths)
    fixes = {Path(report["file"]).name: [p["fix"] for p in report["problems"]]
             for report in json.loads(said_json)["files"]}
    code, imported = _run(capsys, "--database-url", url, "import", str(tmp_path / "empty.csv"))
    assert code == 1 and "nothing was imported" in imported, imported
    command = "python -m planner import FILE"
    assert fixes == {
        "empty.csv": ["Import a file with a header row and at least one row below it (see the README, 'Input "
                      "files')."],
        "binary.csv": [f"Import a CSV or XLSX file ({command})."],
        "old.xls": [f"Save it as .xlsx or as CSV UTF-8 and import that ({command})."],
        "latin.csv": [f"Save it as 'CSV UTF-8' (in Excel: Save As > CSV UTF-8) and import it again ({command})."],
    }
    for said in (text, imported):
        assert "upload" not in said.lower() and "template" not in said, said
        assert f"empty.csv: the file is empty. {fixes['empty.csv'][0]}" in said
    assert all(f"{name}: " in text and fix[0] in text for name, fix in fixes.items())
    # the app shows the same check's problems as they are written: its own words
    app = {c.file_name: [p.fix for p in c.problems] for c in check_files(list(files.items()), None, ImportRules())}
    assert app == {
        "empty.csv": ["Upload a file with a header row and at least one row below it (see the template)."],
        "binary.csv": ["Upload a CSV or XLSX file."],
        "old.xls": ["Save it as .xlsx or as CSV UTF-8 and upload that."],
        "latin.csv": ["Save it as 'CSV UTF-8' (in Excel: Save As > CSV UTF-8) and upload it again."],
    }


def test_a_schedule_the_time_limit_stopped_names_the_flag_that_gives_more_time(capsys, tmp_path):
    """`schedule --time-limit 0.01` that found nothing said "(allow the solver more time)", not how: on the command
    line that is --time-limit."""
    hours = ",".join(f"h{h:02d}" for h in range(24))
    need = np.random.default_rng(0).integers(1, 9, size=(7, 14))  # a week no solver settles in 0.1 ms
    rows = [f"A,{day}," + ",".join(["0"] * 8 + [str(n) for n in need[day]] + ["0"] * 2) for day in range(7)]
    (tmp_path / "need.csv").write_text(f"store,day,{hours}\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code, out = _run(capsys, "schedule", "--requirements", str(tmp_path / "need.csv"), "--time-limit", "0.0001",
                     "--serial")
    assert code == 0
    assert ("A: no schedule found within the time limit of 0.0001 s: nothing is scheduled (allow the solver more "
            "time: --time-limit SECONDS)\n") in out


def test_an_import_names_published_plans_first_and_never_a_draft_set_aside_by_a_published_plan(
        capsys, sample_url, tmp_path):
    """An import listed the old drafts first ("the draft of S01 ... (plan 1), the draft of S02 ... (plan 2) ... and
    10 more"), and its link opened plan 1, which a published plan had already replaced. A draft made before its
    store-week's published plan is set aside: never named for re-planning, listed after the others with what set it
    aside; a draft made after one (S02's plan 4) is current and named, after the published plans. The truth: the
    plans' statuses and ids, in the order they were made and published."""
    for args in (["--store", "S01", "--store", "S02", "--publish"], ["--store", "S01", "--store", "S02"],
                 ["--store", "S01", "--publish"]):  # published 1, 2; drafts 3, 4; published 5 (1 superseded)
        code, out = _run(capsys, "--database-url", sample_url, "plan", "--week", "2026-W50", *args)
        assert code == EXIT_OK, out
    code, out = _run(capsys, "--database-url", sample_url, "plans", "list")
    said = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert list(said) == ["5", "4", "2", "1", "3"], out  # newest first, the draft set aside after the others
    assert said["3"].endswith("set aside: plan 5 was published for this week"), out
    assert said["4"].endswith(" as made") and said["1"].endswith(" as made"), out
    code, out = _run(capsys, "--database-url", sample_url, "plans", "show", "3")
    assert code == EXIT_OK and "set aside: plan 5 was published for this week" in out, out
    counts = pd.read_csv(DATA / "observations.csv")
    changed = counts[counts["store_id"].isin(["S01", "S02"])].groupby("store_id").head(3)
    changed.assign(visitors=changed["visitors"] + 1).to_csv(tmp_path / "both.csv", index=False)
    code, out = _run(capsys, "--database-url", sample_url, "import", str(tmp_path / "both.csv"))
    assert code == EXIT_OK, out
    (notice,) = [line for line in out.splitlines() if "now out of date" in line]
    assert "(plan 3)" not in notice and "(plan 1)" not in notice, notice  # set aside; superseded
    assert notice.startswith("The published plan of S02") and notice.index("(plan 2)") < notice.index("(plan 5)") \
        < notice.index("the draft of S02") < notice.index("(plan 4)"), notice
    code, out = _run(capsys, "--database-url", sample_url, "plans", "show", "3")
    assert code == EXIT_OK and "set aside: plan 5" in out and "make it again" not in out, out
