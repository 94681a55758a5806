"""The command line as a planner uses it: exit codes, `file:row: column: message` lines, JSON, exports."""

from __future__ import annotations

import json

import pandas as pd

from planner.cli import main

from conftest import DATA, FIXTURES
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
    assert "24 error(s), 2 warning(s) in 2 file(s)" in out


def test_validate_without_a_store_list_falls_back_to_the_sample_and_says_so(capsys, settings):
    code, out = _run(capsys, "--database-url", settings.resolved_database_url(), "validate",
                     str(FIXTURES / "messy_observations.csv"))
    assert code == 1 and "store ids checked against data/stores.csv" in out
    assert ":15: store_id: store 'S99' is not in the store file" in out


def test_validate_json_and_a_clean_file(capsys, settings):
    url = settings.resolved_database_url()
    code, out = _run(capsys, "--database-url", url, "validate", "--format", "json", str(DATA / "stores.csv"),
                     str(DATA / "observations.csv"))
    report = json.loads(out)
    assert code == 0 and report["errors"] == 0
    assert [f["rows"] for f in report["files"]] == [9, 1686]


def test_import_stores_export_round_trip(capsys, settings, tmp_path):
    url = settings.resolved_database_url()
    code, out = _run(capsys, "--database-url", url, "import", "--stores", str(DATA / "stores.csv"),
                     str(DATA / "observations.csv"))
    assert code == 0 and "1686 rows added" in out
    code, out = _run(capsys, "--database-url", url, "import", str(DATA / "observations.csv"))
    assert code == 0 and "nothing changed" in out
    code, out = _run(capsys, "--database-url", url, "stores")
    assert code == 0 and "S07" in out and "2026-09-07..2026-10-04" in out
    target = tmp_path / "s01.csv"
    code, out = _run(capsys, "--database-url", url, "export-observations", "--store", "S01", "--out", str(target))
    exported = pd.read_csv(target)
    original = pd.read_csv(DATA / "observations.csv")
    original = original[original["store_id"] == "S01"].reset_index(drop=True)
    assert code == 0 and f"{len(original)} rows written" in out
    pd.testing.assert_frame_equal(exported, original)


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


def test_load_sample_if_empty_runs_once(capsys, settings):
    url = settings.resolved_database_url()
    code, out = _run(capsys, "--database-url", url, "load-sample", "--if-empty")
    assert code == 0 and "9 rows added" in out
    code, out = _run(capsys, "--database-url", url, "load-sample", "--if-empty")
    assert code == 0 and out == ""
