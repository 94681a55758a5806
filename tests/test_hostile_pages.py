"""Hostile use of the app: a store whose name is a spreadsheet formula wrapped around HTML and markdown, taken
through the parts of the pages only a run reaches (a schedule's results, its downloads choice, the simulation), and
files larger than the import rules allow.

What "shown as text" means is `test_app._assert_shown_as_text`: no markdown the page renders and no figure text holds
raw markup; tables and downloads hold no cell a spreadsheet would run.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_pages import state, tables
from hostile import FORMULA_STARTS, HOSTILE_ID, write_hostile_files
from planner import cli
from planner.cli_flags import EXIT_OK
from planner.words import store_id_shown
from planner.settings import DATABASE_URL_ENV, ImportRules, Settings
from test_app import _assert_no_formula_in_tables, _assert_shown_as_text, _assert_tables_read_as_written, _on_screen

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TIMEOUT_SECONDS = 90
FORMULA_NAME = '=HYPERLINK("http://127.0.0.1:9/x","<b>click</b> **me**")'
"""A name that is a formula in a spreadsheet, a link and bold HTML in a browser, and emphasis in markdown."""
STORE_ID = f"<b>S1</b>{HOSTILE_ID}"
"""An id that is HTML to plotly and an image to markdown."""


@pytest.fixture
def hostile(tmp_path, monkeypatch) -> AppTest:
    """The hostile store (formula region) as `STORE_ID` named `FORMULA_NAME`, and S02 without counts;
    the session simulates 20 weeks so that a run stays short."""
    stores_file, counts_file = write_hostile_files(tmp_path)
    stores = pd.read_csv(stores_file, dtype=str, keep_default_na=False)
    stores.loc[stores["store_id"] == HOSTILE_ID, "name"] = FORMULA_NAME
    stores["store_id"] = stores["store_id"].replace(HOSTILE_ID, STORE_ID)
    stores.to_csv(stores_file, index=False)
    counts = pd.read_csv(counts_file, dtype=str, keep_default_na=False)
    counts.assign(store_id=STORE_ID).to_csv(counts_file, index=False)
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    assert cli.main(["--database-url", url, "import", "--stores", str(stores_file), str(counts_file)]) == EXIT_OK
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    settings = Settings()
    at.session_state[state.SETTINGS] = replace(settings, simulation=replace(settings.simulation, replications=20))
    return at.run()


def test_a_schedule_and_its_simulation_show_a_hostile_store_as_text(hostile):
    at = hostile.switch_page("app_pages/schedule.py").run()
    at.multiselect(key=state.SCHEDULE_STORES).set_value([STORE_ID, "S02"]).run()
    at.checkbox(key=state.SCHEDULE_MIN_STAFF_COVER).check().run()  # S02 has no counts: staff it at min_staff
    at.button(key=state.SCHEDULE_RUN).click().run()
    at.selectbox(key=state.SCHEDULE_VIEW_STORE).set_value(STORE_ID).run()
    at.button(key="schedule.simulate.run").click().run()
    assert not at.exception and not at.error
    choice = at.radio(key=state.SCHEDULE_DOWNLOAD_SCOPE).options  # radio options are markdown: escaped
    assert choice[0] == f"{tables.as_text(STORE_ID)} only" and not any("](" in option for option in choice)
    assert len(at.get("plotly_chart")) >= 3  # shifts, coverage and the simulation
    names = [button.proto.url.rsplit("/", 1)[-1].replace("%2F", "/") for button in at.get("download_button")]
    assert len(names) == 2 and not [name for name in names if "/" in name or "<" in name]
    _assert_shown_as_text(at)
    _assert_no_formula_in_tables(at)
    at.switch_page("app_pages/compare.py").run()
    stores = at.dataframe[0].value["Store"]  # the id and the name in one, as the toolbar downloads them
    shown = f"{store_id_shown(STORE_ID)} {FORMULA_NAME}"  # a long id cut to fit 1024 px, as every label cuts it
    assert shown in set(stores)  # the name whole, after the id: no cell a spreadsheet would run
    assert not [store for store in stores if str(store).startswith(FORMULA_STARTS)]
    assert shown in set(_on_screen(at.dataframe[0])["Store"])  # and as written on screen
    _assert_tables_read_as_written(at)


def test_the_uploader_takes_no_more_than_the_import_rules_and_the_server_allow(hostile):
    from streamlit import config

    assert ImportRules().max_file_megabytes == 500
    before = config.get_option("server.maxUploadSize")
    try:
        for server_mb, expected in ((500, 500), (2048, 500), (200, 200)):  # 200: streamlit's own default
            config.set_option("server.maxUploadSize", server_mb)
            uploader = hostile.switch_page("app_pages/upload.py").run().file_uploader(key=state.UPLOADED_FILES)
            assert uploader.proto.max_upload_size_mb == expected
            assert f"At most {expected} MB per file" in uploader.proto.help
    finally:
        config.set_option("server.maxUploadSize", before)


def test_an_oversized_upload_is_one_clear_message_and_imports_nothing(hostile):
    small = Settings(import_rules=ImportRules(max_file_bytes=2048))
    hostile.session_state[state.SETTINGS] = small
    big = ("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes\n"
           + "S02,2026-09-07,12,10,2,2,10,1\n" * 200).encode()
    at = hostile.switch_page("app_pages/upload.py").run()
    assert at.file_uploader(key=state.UPLOADED_FILES).proto.max_upload_size_mb == 1  # 2 KB, rounded up
    at.file_uploader(key=state.UPLOADED_FILES).set_value(("big.csv", big, "text/csv")).run()
    assert not at.exception
    assert len(at.error) == 2 and tables.as_text("big.csv") in at.error[0].value
    assert "blocks the import" in at.error[0].value
    problems = at.dataframe[0].value
    assert len(problems) == 1 and "more than the" in problems.loc[0, "message"] and "Split it" in problems.loc[0, "fix"]
    assert at.button(key=state.IMPORT_BUTTON).disabled


def test_make_run_serves_uploads_as_large_as_the_import_rules_read():
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    command = " ".join(dry.replace("\\\n", " ").split())
    assert "--server.maxUploadSize" in command
    value = command.split("--server.maxUploadSize", 1)[1].strip()
    shown = subprocess.run(["bash", "-c", f"echo {value}"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert int(shown.stdout.split()[0]) == ImportRules().max_file_megabytes
