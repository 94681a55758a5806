"""The app in a real browser: `streamlit run app.py` on a free port, on a throwaway database holding the sample,
driven through Playwright with Debian's Chromium (a browser download is not possible here).

Visits every page, uploads data/single_count.csv, changes a what-if target on My store and times the redrawn chart,
runs a schedule for one store, checks that no page shows a traceback (`stException`), and saves a full-page
screenshot of each page under artifacts/screenshots/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SINGLE_COUNT = ROOT / "data" / "single_count.csv"
PAGES = {  # url path -> (the page's label in the sidebar, its heading)
    "": ("Upload", "Upload counts"),
    "observations": ("Observations", "Observations"),
    "my_store": ("My store", "My store"),
    "compare": ("Compare stores", "Compare stores"),
    "schedule": ("Schedule", "Schedule"),
    "settings": ("Settings", "Settings"),
}
CHARTS = {"observations": 2, "my_store": 2, "compare": 2}
"""Charts each page draws on the sample, before any schedule."""
EXCEPTION = "[data-testid='stException']"
RUNNING = "[data-testid='stStatusWidget']"
START_SECONDS, STEP_SECONDS = 60, 30
VIEWPORT = {"width": 1400, "height": 1000}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} not found: install Debian's Chromium with `apt-get install -y chromium` to run the "
           "browser test",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app served by `streamlit run` on a free port, on a fresh database loaded with the sample."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'planner.db'}"
    subprocess.run([sys.executable, "-m", "planner", "--database-url", database_url, "load-sample"], cwd=ROOT,
                   check=True, capture_output=True)
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
             str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env={**os.environ, "PLANNER_DATABASE_URL": database_url}, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def page(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport=VIEWPORT)
        tab.set_default_timeout(STEP_SECONDS * 1000)
        tab.base = server
        yield tab
        browser.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_without_a_traceback(page, path):
    _open(page, path)
    _settled(page, charts=CHARTS.get(path, 0))
    if path == "":  # the Upload page's help on both files, the store file among them
        page.get_by_text("What the files look like").click()
        page.get_by_role("button", name="Download an empty store file template (CSV)").wait_for()
        page.wait_for_timeout(600)  # the expander slides open
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, path or "upload")


def test_upload_checks_and_imports_the_single_count(page):
    _open(page, "")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(SINGLE_COUNT))
    page.get_by_text("2 rows, no problems").wait_for()
    _settled(page)
    page.get_by_role("button", name="Import").click()
    page.get_by_text("2 rows added").wait_for()
    _settled(page)
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, "upload_imported")


def test_a_what_if_redraws_the_staff_chart_quickly(page):
    _open(page, "my_store")
    _settled(page)
    _settled(page, charts=2)
    before = _first_chart_staff(page)
    slider = page.get_by_role("slider").first  # the target service level, at S01's 80%
    slider.focus()
    started = time.perf_counter()
    slider.press("End")  # 99%: more staff in some hour
    page.wait_for_function(  # some hour's bar grew: the chart shows the new target
        "before => Array.from(document.querySelector('.js-plotly-plot')._fullData[0].y)"
        ".some((staff, hour) => staff > before[hour])",
        arg=before,
        polling=10,
    )
    latency = time.perf_counter() - started
    _settled(page)
    after = _first_chart_staff(page)
    print(f"\nwhat-if latency (key press to redrawn staff chart, browser): {latency * 1000:.0f} ms")
    assert any(a is not None and b is not None and a > b for a, b in zip(after, before, strict=True)), (before, after)
    assert page.locator(EXCEPTION).count() == 0
    assert latency < 5, f"the chart took {latency:.1f} s to follow a what-if"
    _screenshot(page, "my_store_what_if")


def test_a_schedule_for_one_store_shows_shifts_and_coverage(page):
    _open(page, "schedule")
    _settled(page)
    page.get_by_role("button", name="Make schedule").click()
    page.get_by_text("Shifts, Mon").wait_for()
    _settled(page, charts=2)
    assert page.get_by_text("Required and scheduled staff, Mon").count() == 1
    assert page.get_by_role("button", name="Shifts (CSV)").count() == 1
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, "schedule_result")

    _open(page, "my_store")  # the last schedule now shows on My store
    _settled(page, charts=2)
    assert page.get_by_text("scheduled (last schedule)").count() >= 1
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, "my_store_scheduled")


# --- helpers -------------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not answer within {START_SECONDS} s:\n{log.read_text()}")


def _open(page, path: str) -> None:
    """Go to a page as a user does, through the sidebar, so the session (and its last schedule) carries over; the
    first visit loads the app."""
    label, heading = PAGES[path]
    page.set_viewport_size(VIEWPORT)
    if not page.url.startswith(page.base):
        page.goto(f"{page.base}/{path}")
    else:
        page.locator("[data-testid='stSidebarNavLink']", has_text=label).first.click()
    page.get_by_role("heading", name=heading, level=1).wait_for()


def _settled(page, charts: int = 0) -> None:
    """Wait until the script run has finished and its charts (at least `charts` of them) are drawn."""
    page.wait_for_timeout(300)  # a run starts a moment after the event that caused it
    page.locator(RUNNING).wait_for(state="hidden")
    page.wait_for_function(
        "least => { const all = [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')];"
        " return all.length >= least && all.every(chart => chart.querySelector('.main-svg')); }",
        arg=charts,
    )


def _first_chart_staff(page) -> list[float | None]:
    """The bars of the page's first chart, as plotly decoded them."""
    return page.evaluate("() => Array.from(document.querySelector('.js-plotly-plot')._fullData[0].y)")


def _screenshot(page, name: str) -> None:
    """The whole page: streamlit scrolls inside its main block, so the viewport is grown until the content fits."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for _ in range(5):
        height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        if height <= page.viewport_size["height"]:
            break
        page.set_viewport_size({"width": VIEWPORT["width"], "height": int(height)})
        page.wait_for_timeout(500)  # charts re-lay themselves out for the new size
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(VIEWPORT)
