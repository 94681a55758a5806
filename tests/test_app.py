"""The app, driven as a user would with streamlit's AppTest, on the bundled sample in a throwaway database.

Expected numbers come from the sample's own description (data/README.md) and from the raw CSV files, not from the
planner functions the pages call.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_pages import data, state
from planner import cli, intake, storage
from planner.errors import DatabaseBusy
from planner.settings import DATABASE_URL_ENV, Settings

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
UPLOAD, OBSERVATIONS = "app_pages/upload.py", "app_pages/observations.py"
PAGES = sorted(
    str(path.relative_to(ROOT)) for path in (ROOT / "app_pages").glob("*.py")
    if 'if __name__ == "__main__"' in path.read_text(encoding="utf-8")
)
MESSY = ROOT / "tests" / "fixtures" / "messy_observations.csv"
SINGLE_COUNT = ROOT / "data" / "single_count.csv"
TIMEOUT_SECONDS = 30
# From data/README.md: observed hours per store in the sample, and the rows of single_count.csv (S02).
SAMPLE_ROWS = 1686
OBSERVED_HOURS = {"S01": 167, "S02": 156, "S07": 221}
SINGLE_COUNT_ROWS = 2


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "planner.db"
    assert cli.main(["--database-url", f"sqlite:///{path}", "load-sample"]) == cli.EXIT_OK
    return path


@pytest.fixture
def db_url(sample_db, tmp_path, monkeypatch) -> str:
    """A fresh copy of the sample database for one test, made the app's database."""
    copy = tmp_path / "planner.db"
    # SQLite's backup API, not a file copy: in WAL mode recent writes may still sit in the -wal file
    with sqlite3.connect(sample_db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    url = f"sqlite:///{copy}"
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    return url


@pytest.fixture
def app(db_url) -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).run()


def test_the_router_lists_every_page():
    assert PAGES == sorted([OBSERVATIONS, UPLOAD])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_sample(app, page):
    app.switch_page(page).run()
    assert not app.exception
    assert not app.error
    assert app.sidebar.caption[0].value.startswith("Database: SQLite file")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_database(tmp_path, monkeypatch, page):
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'empty.db'}")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).run()
    at.switch_page(page).run()
    assert not at.exception
    assert not at.error


def test_observations_shows_two_heatmaps_and_follows_the_chosen_store(app):
    app.switch_page(OBSERVATIONS).run()
    assert app.selectbox(key=state.SELECTED_STORE).value == "S01"
    assert app.selectbox(key=state.SELECTED_STORE).options[0] == "S01 – Berlin Mitte Electronics"
    assert _metric(app, "Observed hours") == str(OBSERVED_HOURS["S01"])
    charts = _charts(app)
    assert len(charts) == 2
    # S01 opens 10:00-20:00 (Sun 12:00-18:00): ten hour columns, weekday rows Mon..Sun.
    grey, values = charts[0]["data"]
    assert values["x"] == [f"{hour}:00" for hour in range(10, 20)]
    assert values["y"] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    never = _never_observed_from_csv("S01")
    assert sum(text == "not observed" for row in grey["text"] for text in row) == len(never)
    assert len(app.dataframe[0].value) == len({weekday for weekday, _ in never})

    app.selectbox(key=state.SELECTED_STORE).set_value("S07").run()
    assert not app.exception
    assert _metric(app, "Observed hours") == str(OBSERVED_HOURS["S07"])
    # S07 is open until 01:00 on Friday and Saturday nights, so hour 00 is a column.
    assert "00:00" in _charts(app)[1]["data"][1]["x"]


def test_a_messy_file_lists_every_problem_and_cannot_be_imported(app):
    _upload(app, MESSY)
    assert not app.exception
    problems = app.dataframe[0].value
    assert list(problems.columns) == ["file", "row", "column", "value", "message", "fix", "severity"]
    assert (problems["severity"] == "error").sum() == 24
    assert (problems["severity"] == "warning").sum() == 2
    assert app.button(key=state.IMPORT_BUTTON).disabled


def test_a_clean_file_imports_and_the_observations_page_sees_it(app, db_url):
    _upload(app, SINGLE_COUNT)
    assert not app.dataframe  # no problems, so no problems table
    assert not app.button(key=state.IMPORT_BUTTON).disabled
    app.button(key=state.IMPORT_BUTTON).click().run()
    assert not app.exception
    assert any(f"{SINGLE_COUNT_ROWS} rows added" in box.value for box in app.success)
    engine = storage.connect(Settings(database_url=db_url))
    assert storage.count_rows(engine)["observations"] == SAMPLE_ROWS + SINGLE_COUNT_ROWS

    app.button(key=state.IMPORT_BUTTON).click().run()
    assert any("nothing changed" in box.value for box in app.info)

    app.switch_page(OBSERVATIONS).run()
    app.selectbox(key=state.SELECTED_STORE).set_value("S02").run()
    assert _metric(app, "Observed hours") == str(OBSERVED_HOURS["S02"] + SINGLE_COUNT_ROWS)


def test_a_new_database_takes_the_store_file_and_counts_together(tmp_path, monkeypatch):
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'new.db'}")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).run()
    files = [(path.name, path.read_bytes(), "text/csv") for path in (ROOT / "data" / "stores.csv", SINGLE_COUNT)]
    at.file_uploader(key=state.UPLOADED_FILES).set_value(files).run()
    assert not at.button(key=state.IMPORT_BUTTON).disabled
    at.button(key=state.IMPORT_BUTTON).click().run()
    added = [box.value for box in at.success]
    assert "stores.csv: 9 rows added, 0 replaced, 0 unchanged" in added
    assert f"single_count.csv: {SINGLE_COUNT_ROWS} rows added, 0 replaced, 0 unchanged" in added


def test_a_busy_database_is_a_message_not_a_traceback(app, monkeypatch):
    def busy(*_args, **_kwargs):
        raise DatabaseBusy()

    monkeypatch.setattr(intake, "import_files", busy)
    _upload(app, SINGLE_COUNT)
    app.button(key=state.IMPORT_BUTTON).click().run()
    assert not app.exception
    assert [box.value for box in app.error] == [str(DatabaseBusy())]


def test_the_database_label_hides_passwords():
    label = data.database_label("postgresql+psycopg://planner:s3cret@db.example:5432/planner")
    assert "s3cret" not in label
    assert "db.example" in label


def test_the_chart_builders_do_not_import_streamlit():
    code = "import sys, planner.charts; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


# --- helpers -------------------------------------------------------------------------------------------------------


def _upload(at: AppTest, path: Path) -> None:
    at.file_uploader(key=state.UPLOADED_FILES).set_value((path.name, path.read_bytes(), "text/csv")).run()


def _metric(at: AppTest, label: str) -> str:
    return next(metric.value for metric in at.metric if metric.label == label)


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _never_observed_from_csv(store_id: str) -> set[tuple[int, int]]:
    """(weekday, hour) cells S01 is open in but data/observations.csv never counts; S01 closes before midnight."""
    stores = pd.read_csv(ROOT / "data" / "stores.csv", dtype=str).set_index("store_id")
    counts = pd.read_csv(ROOT / "data" / "observations.csv", parse_dates=["date"])
    counts = counts[counts["store_id"] == store_id]
    observed = set(zip(counts["date"].dt.day_of_week, counts["hour"], strict=True))
    open_cells = set()
    for weekday, day in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]):
        opens, closes = stores.loc[store_id, day].split("-")
        open_cells |= {(weekday, hour) for hour in range(int(opens[:2]), int(closes[:2]))}
    return open_cells - observed
