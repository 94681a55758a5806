"""The store file's numbers are held to the ranges their settings allow (one set of limits for the file, the flags,
the what-ifs and the Settings page), and a value out of range already in a database fails its own store, not the
chain: service_cv 1e200 overflowed every store's patience estimate, max_staff 2,147,483,647 made the shift model
invalid, patience 1e300 printed a 300-digit patience and numpy's overflow warnings."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from planner import cli, pipeline, storage
from planner.cli_flags import setting_flag
from planner.cli_flags import EXIT_OK, EXIT_UNAVAILABLE
from planner.io import read_table, validate_stores
from planner.queueing.erlang_b_c import log_poisson_term
from planner.settings import ServiceTargets, Settings, field_info, store_column_info

from conftest import ROOT, sqlite_copy

HEADER = ("store_id,name,region,format,mon,tue,wed,thu,fri,sat,sun,wage_per_hour,min_staff,max_staff,"
          "target_service_level,target_wait_seconds,patience_minutes,max_abandon_share,service_cv\n")
WEEK = "10:00-20:00," * 6 + "closed"
COLUMNS = HEADER.strip().split(",")


def _store_row(**values) -> str:
    cells = {"wage_per_hour": "19.5", "min_staff": "1", "max_staff": "12", **values}
    numbers = [cells.get(c, "") for c in COLUMNS[11:]]
    return f"S01,Alpha,North,electronics,{WEEK}," + ",".join(numbers) + "\n"


@pytest.mark.parametrize(("column", "value"), [
    ("service_cv", "1e200"), ("min_staff", "2147483647"), ("max_staff", "2147483647"), ("max_staff", "1001"),
    ("patience_minutes", "1e300"), ("patience_minutes", "0.0000001"), ("target_wait_seconds", "1e300"),
    ("target_service_level", "0.9999999"), ("max_abandon_share", "0.9999999"), ("wage_per_hour", "0.0000001"),
])
def test_a_store_number_outside_its_settings_range_is_an_error_naming_row_column_range_and_fix(column, value):
    values = {column: value, **({"min_staff": "0"} if column == "max_staff" else {})}
    result = validate_stores(read_table((HEADER + _store_row(**values)).encode(), "stores.csv"))
    assert [(p.file, p.row, p.column) for p in result.errors] == [("stores.csv", 2, column)]
    problem = result.errors[0]
    assert store_column_info(column).allowed() in problem.message and value in problem.message and problem.fix



@pytest.mark.parametrize("column", ["min_staff", "max_staff"])
@pytest.mark.parametrize("value", ["2147483648", "99999999999999999999", "3e9"])
def test_a_staff_limit_past_any_count_is_said_by_its_own_range_as_one_past_the_range_is(column, value):
    """2,147,483,648 staff read "more than the largest count the planner can store (2,147,483,647)", with the fix
    "counts are per hour", where 1,001 staff reads as outside the column's range of 1,000 staff."""
    def said(number: str):
        values = {column: number, **({"min_staff": "0"} if column == "max_staff" else {"max_staff": "1000"})}
        (problem,) = validate_stores(read_table((HEADER + _store_row(**values)).encode(), "stores.csv")).errors
        return problem.column, problem.message.replace(f"'{number}'", "'N'"), problem.fix

    assert said(value) == said(str(int(store_column_info(column).high) + 1))

def test_numbers_at_the_ends_of_their_ranges_pass():
    rows = [_store_row(wage_per_hour=str(store_column_info("wage_per_hour").high), min_staff="1000",
                       max_staff="1000", target_service_level="0.99", target_wait_seconds="3600",
                       patience_minutes="120", max_abandon_share="0.5", service_cv="5"),
            _store_row(wage_per_hour="0.01", min_staff="0", max_staff="1", target_service_level="0.01",
                       target_wait_seconds="0", patience_minutes="0.1", max_abandon_share="0.001",
                       service_cv="0.0001").replace("S01,Alpha", "S02,Beta")]
    result = validate_stores(read_table((HEADER + "".join(rows)).encode(), "stores.csv"))
    assert not result.errors, result.errors


def test_the_min_staff_flag_and_the_store_file_share_one_limit():
    info = field_info(ServiceTargets, "min_staff")
    assert store_column_info("min_staff") is info and store_column_info("max_staff").high == info.high
    flag = setting_flag(ServiceTargets, "min_staff", "2")
    assert flag(str(int(info.high))) == info.high
    with pytest.raises(argparse.ArgumentTypeError):
        flag(str(int(info.high) + 1))
    above = validate_stores(read_table((HEADER + _store_row(min_staff=str(int(info.high) + 1),
                                                            max_staff=str(int(info.high)))).encode(), "s.csv"))
    assert [p.column for p in above.errors] == ["min_staff"]


@pytest.fixture(scope="module")
def bad_chain(sample_db, tmp_path_factory):
    """The sample with values stored before the store file's check had its limits: S01's service_cv 1e200, S03's
    max_staff 2,147,483,647."""
    return _sample_changed(sample_db, tmp_path_factory.mktemp("bad"),
                           "UPDATE stores SET service_cv = 1e200 WHERE store_id = 'S01'",
                           "UPDATE stores SET max_staff = 2147483647, min_staff = 2147483647 WHERE store_id = 'S03'")


def _sample_changed(sample_db, folder, *statements: str) -> str:
    """A copy of the sample database in `folder` with `statements` run on it; returns its URL."""
    path = folder / "planner.db"
    url = sqlite_copy(sample_db, path)
    with sqlite3.connect(path) as db:
        for statement in statements:
            db.execute(statement)
    return url


def _run(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_bad_stored_value_fails_its_own_store_with_a_sentence_and_not_the_others(capsys, bad_chain):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        code, out = _run(capsys, "--database-url", bad_chain, "recommend", "--store", "S02")
    assert code == EXIT_OK and "S02: patience" in out, out
    code, out = _run(capsys, "--database-url", bad_chain, "recommend", "--store", "S01")
    assert code != EXIT_OK and "unexpected" not in out
    assert "S01 cannot be planned" in out and "service_cv = 1e+200" in out and "import --stores" in out
    code, out = _run(capsys, "--database-url", bad_chain, "plan", "--week", "2026-W50", "--store", "S03",
                     "--min-staff-cover")
    assert code != EXIT_OK and "MODEL_INVALID" not in out and "unexpected" not in out
    assert "S03 cannot be planned" in out and "max_staff = 2,147,483,647" in out


def test_every_store_leaves_out_a_store_that_cannot_be_planned(bad_chain, capsys, tmp_path):
    """Left out, and said so: `recommend --all` dropped the stores unseen (a table of the chain without S01 and
    S03, and not a word)."""
    from planner import storage

    stores = storage.load_stores(storage.connect(url=bad_chain))
    chosen = pipeline.select_stores(stores, None)
    assert {"S01", "S03"}.isdisjoint(chosen["store_id"]) and "S02" in set(chosen["store_id"])
    code = cli.main(["--database-url", bad_chain, "recommend", "--all", "--out", str(tmp_path / "all.csv")])
    err = capsys.readouterr().err
    assert code == EXIT_OK
    assert "left out: S01 cannot be planned" in err and "left out: S03 cannot be planned" in err, err
    assert {"S01", "S03"}.isdisjoint(set(pd.read_csv(tmp_path / "all.csv")["store_id"]))


def test_an_import_is_not_followed_by_an_error_exit_when_the_patience_estimates_fail(capsys, monkeypatch,
                                                                                    sample_db, tmp_path):
    url = sqlite_copy(sample_db, tmp_path / "planner.db")
    counts = tmp_path / "counts.csv"
    counts.write_text("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\n"
                      "S01,2026-11-02,12,46,22,16,252.1,3.2\n")

    def overflow(*args, **kwargs):
        raise OverflowError(34, "Numerical result out of range")

    monkeypatch.setattr(pipeline, "keep_patience_estimates", overflow)
    code, out = _run(capsys, "--database-url", url, "import", str(counts))
    assert code == EXIT_OK, out
    assert "1 row added" in out and "the files are imported" in out and "OverflowError" in out


def test_an_import_into_a_database_holding_a_bad_store_makes_the_others_estimates(capsys, bad_chain, tmp_path):
    counts = tmp_path / "counts.csv"
    counts.write_text("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\n"
                      "S02,2026-11-02,12,46,22,16,252.1,3.2\n")
    code, out = _run(capsys, "--database-url", bad_chain, "import", str(counts))
    assert code == EXIT_OK and "warning" not in out, out


def test_huge_poisson_terms_give_no_overflow_warning():
    k = np.array([1e160, 2e200])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        values = log_poisson_term(k, k * 1.01)
    assert np.isfinite(values).all()


def test_a_sqlite_url_with_a_password_is_refused_in_one_line_without_a_warning(tmp_path):
    """SQLite takes no password: the driver dropped it with an SAWarning and opened the file anyway."""
    env = {**os.environ, "PLANNER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}?password=S3cr3tPW",
           "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-m", "planner", "stores"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120, check=False)
    assert done.returncode == EXIT_UNAVAILABLE and done.stdout == "", done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Warning" not in done.stderr
    assert "'password'" in done.stderr and "S3cr3tPW" not in done.stderr
    env["PLANNER_DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.db'}?timeout=5"
    storage.connect(Settings(database_url=env["PLANNER_DATABASE_URL"])).dispose()  # `stores` creates none
    done = subprocess.run([sys.executable, "-m", "planner", "stores"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120, check=False)
    assert done.returncode == EXIT_OK and done.stderr == "", done.stderr


def test_my_store_says_why_a_bad_store_cannot_be_planned_and_shows_the_others(bad_chain, monkeypatch):
    """The page said "Something went wrong on this page (OverflowError)" for every store."""
    from streamlit.testing.v1 import AppTest

    from app_pages import state
    from planner.settings import DATABASE_URL_ENV

    monkeypatch.setenv(DATABASE_URL_ENV, bad_chain)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("app_pages/my_store.py").run()
    assert not at.exception and len(at.error) == 1
    assert at.error[0].value.replace("\\", "").startswith("S01 cannot be planned: its stored store row has service_cv")
    at.selectbox(key=state.MY_STORE).set_value("S02").run()
    assert not at.exception and not at.error and at.dataframe


def _compare_page(url: str, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from planner.settings import DATABASE_URL_ENV

    monkeypatch.setenv(DATABASE_URL_ENV, url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    return at.switch_page("app_pages/compare.py").run()


def test_compare_stores_names_each_store_it_left_out_with_why_as_recommend_all_does(bad_chain, capsys, monkeypatch):
    """The page compared the chain without a word for S01 and S03 (shown as weeks of 0 staff-hours needed), where
    `recommend --all` says "left out:" and why for each."""
    assert cli.main(["--database-url", bad_chain, "recommend", "--all", "--out", os.devnull]) == EXIT_OK
    said = {line.removeprefix("left out: ") for line in capsys.readouterr().err.splitlines()
            if line.startswith("left out: ")}
    assert len(said) == 2, said
    at = _compare_page(bad_chain, monkeypatch)
    assert not at.exception and not at.error
    # the same reasons, each fix in its own words: the page's Upload page for the command's `import --stores`
    from planner.surfaces.fixes import IMPORT_A_CORRECTED_STORE_FILE as FIX

    assert {w.value.replace("\\", "").removeprefix("Left out: ") for w in at.warning} == \
        {reason.replace(FIX.command_line, FIX.app) for reason in said}
    compared = at.dataframe[0].value.iloc[:, 0].str.split().str[0].tolist()  # "S02 Hamburg ..." -> S02
    assert "S02" in compared and not {"S01", "S03"} & set(compared), compared


@pytest.fixture(scope="module")
def refused_chain(sample_db, tmp_path_factory):
    """The sample with every store's stored row refused: S03's Saturday running into its Sunday, the others'
    service_cv 1e200."""
    return _sample_changed(sample_db, tmp_path_factory.mktemp("refused"),
                           "UPDATE stores SET service_cv = 1e200 WHERE store_id != 'S03'",
                           "UPDATE stores SET sat = '18:00-06:00', sun = '00:00-24:00' WHERE store_id = 'S03'")


@pytest.mark.parametrize("command", [["recommend", "--all"], ["schedule", "--all"], ["plan", "--week", "2026-W50"]])
def test_with_every_store_refused_the_command_says_so_and_why_not_no_stores_yet(capsys, refused_chain, command):
    """Every store of nine refused read "error: no stores yet: import a store file and counts first"."""
    code, out = _run(capsys, "--database-url", refused_chain, *command)
    assert code == EXIT_UNAVAILABLE and "no stores yet" not in out and "unexpected" not in out, out
    assert out.startswith("error: every store was left out (9 stores): S01 cannot be planned: its stored store "
                          "row has service_cv = 1e+200"), out
    assert all(f"S0{n} cannot be planned" in out for n in range(1, 10))
    assert "S03 cannot be planned: its stored store row has opening hours that overlap" in out


def test_compare_stores_says_every_store_was_left_out_and_why(refused_chain, monkeypatch):
    at = _compare_page(refused_chain, monkeypatch)
    assert not at.exception and not at.error and not at.dataframe
    reasons = [w.value.replace("\\", "") for w in at.warning]
    assert [r.split()[2] for r in reasons] == [f"S0{n}" for n in range(1, 10)], reasons  # "Left out: S01 cannot..."
    assert "opening hours that overlap" in reasons[2] and "service_cv = 1e+200" in reasons[0]
    (info,) = at.info
    assert info.value.startswith("Every store was left out (9 stores), so there is nothing to compare")
