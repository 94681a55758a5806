"""The app in a real browser: `streamlit run app.py` on a free port, on a throwaway database holding the sample,
driven through Playwright with Debian's Chromium (a browser download is not possible here).

Visits every page, uploads data/single_count.csv, changes a what-if target on My store and times the redrawn chart,
runs a schedule for one store, checks that no page shows a traceback (`stException`), and saves a full-page
screenshot of each page under artifacts/screenshots/. At 1024 x 768 every page is checked for controls cut off or
pushed out of the window; on a phone-sized window, that charts keep a readable size. A second server, on a store
file with hostile text, checks that a table's own CSV download runs no formula and that no markup from the data
reaches the page (the browser never fetches the image a store id points to). Three more servers sign people in:
two with the planner's own accounts (wrong passwords lock an account, a session ends after its minutes; a tab stays
signed in across a lost connection and a reload, until signed out), one through a small OpenID Connect provider
started on localhost (oidc-provider-mock, built on Authlib), whose groups give the role.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from app_pages.compare import MEASURES
from app_pages.tables import WORD_JOINER
from conftest import sqlite_copy
from hostile import FORMULA, FORMULA_STARTS, HOSTILE_ID, IMAGE_URL, write_hostile_files
from planner import accounts, cli, storage
from planner.access.scope import Scope
from planner.access.users import User
from planner.cli_flags import EXIT_OK
from planner.rostering.publishing import PAGE_PUBLISH_AS_IS
from planner.surfaces.roster import DRAFT_ASKED_BUTTON
from planner.settings import ImportRules, Settings, SignInRules

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SINGLE_COUNT = ROOT / "data" / "single_count.csv"
PAGES = {  # url path -> (the page's label in the sidebar, its heading)
    "upload": ("Upload", "Upload counts"),
    "observations": ("Observations", "Observations"),
    "my_store": ("My store", "My store"),
    "compare": ("Compare stores", "Compare stores"),
    "schedule": ("Schedule", "Schedule"),
    "settings": ("Settings", "Settings"),
    "roster": ("Roster", "Roster"),
    "audit": ("Audit", "Audit trail"),
    "admin": ("Users", "Users"),
    "plans": ("Plans", "Plans"),
}
CHARTS = {"observations": 2, "my_store": 2, "compare": 3}
"""Charts each page draws on the sample, before any schedule."""
EXCEPTION = "[data-testid='stException']"
RUNNING = "[data-testid='stStatusWidget']"
RUN_WATCH_JS = """(() => {
  // For `_settled`, from the tab's connection to the server: when the tab last asked for a script run (a rerunScript
  // BackMsg, sent on a widget's change, a page link, a component's value and the first connection), when a run
  // last began (a newSession ForwardMsg) and when one last ended (scriptFinished, unless it ended early for a
  // rerun). The running indicator shows only 500 ms into a run; these messages are the run itself.
  const ASK = 11 << 3 | 2;  // BackMsg.rerun_script, the message's only field: its first byte
  const BEGAN = 4, ENDED = 6, ENDED_FOR_RERUN = 2;  // ForwardMsg.new_session, .script_finished and its status
  Object.assign(window, {plannerRunAskedAt: -1, plannerRunBeganAt: -1, plannerRunEndedAt: -1});
  const heard = data => {
    if (!(data instanceof ArrayBuffer)) return;
    const bytes = new Uint8Array(data);
    let at = 0;
    const varint = () => {
      let value = 0, scale = 1, byte;
      do { byte = bytes[at++]; value += (byte & 127) * scale; scale *= 128; } while (byte & 128);
      return value;
    };
    while (at < bytes.length) {  // the message's own fields: a tag, then a number or a length and its bytes
      const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
      if (wire === 0) {
        const value = varint();
        if (field === ENDED && value !== ENDED_FOR_RERUN) window.plannerRunEndedAt = performance.now();
      } else if (wire === 2) {
        const length = varint();
        if (field === BEGAN) window.plannerRunBeganAt = performance.now();
        at += length;
      } else if (wire === 1 || wire === 5) {
        at += wire === 1 ? 8 : 4;
      } else {
        return;
      }
    }
  };
  const watched = new WeakSet();
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (message) {
    if (!watched.has(this)) {  // the tab's first message on a connection comes before the server says anything
      watched.add(this);
      this.addEventListener("message", event => heard(event.data));
    }
    if (this.readyState === WebSocket.OPEN && message instanceof Uint8Array && message[0] === ASK) {
      window.plannerRunAskedAt = performance.now();
    }
    return send.call(this, message);
  };
})();"""
SETTLED_JS = """quietMs => {
  const app = document.querySelector("[data-testid='stApp']");
  const ended = window.plannerRunEndedAt;
  return app !== null && app.dataset.testConnectionState === "CONNECTED" && app.dataset.testScriptState === "notRunning"
    && ended > window.plannerRunAskedAt && ended > window.plannerRunBeganAt && performance.now() - ended >= quietMs;
}"""
"""The last run the tab asked for has ended, none began since, the page says so, and `quietMs` have passed."""
QUIET_MS = 150
"""How long after a run's end the tab is settled: a run the page asks for itself as the one before is drawn (the
sign-in page's tab memory answers as it mounts) goes out within this."""
START_SECONDS, STEP_SECONDS = 60, 30
VIEWPORT = {"width": 1400, "height": 1000}
LAPTOP = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
READABLE_CHART_PX = {"width": 560, "height": 300}
"""The least a chart is drawn at, however narrow the window (app_pages/layout.css, planner.charts.MIN_HEIGHT_PX)."""

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} not found: install Debian's Chromium with `apt-get install -y chromium` to run the "
           "browser test",
)


@pytest.fixture(scope="module")
def server(roster_sample_db, tmp_path_factory):
    """The app served by `streamlit run` on a free port, on a fresh copy of the sample database with the roster
    tests' short roster budget (the Roster page rosters S01's week when asked: 8 units took 10 s of the test)."""
    database_url = sqlite_copy(roster_sample_db, tmp_path_factory.mktemp("browser") / "planner.db")
    yield from _serve(database_url, tmp_path_factory)


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """The app on a database holding a store whose id, name and region are markup and formulas."""
    folder = tmp_path_factory.mktemp("hostile")
    database_url = f"sqlite:///{folder / 'planner.db'}"
    stores_file, counts_file = write_hostile_files(folder)
    # in this process, as test_app's hostile database is: a `python -m planner` of its own added a second or two
    assert cli.main(["--database-url", database_url, "import", "--stores", str(stores_file),
                     str(counts_file)]) == EXIT_OK
    yield from _serve(database_url, tmp_path_factory)


def _serve(database_url: str, tmp_path_factory, secrets: str | None = None, port: int | None = None,
           host: str = "127.0.0.1", server_options: tuple[str, ...] = ()):
    """`streamlit run app.py` on `port` (default: a free one); `secrets`: the text of its secrets file;
    `server_options`: more of streamlit's command-line options."""
    port = port or _free_port()
    folder = tmp_path_factory.mktemp("server")
    log = folder / "streamlit.log"
    options = list(server_options)
    if secrets is not None:
        (folder / "secrets.toml").write_text(secrets, encoding="utf-8")
        options += ["--secrets.files", str(folder / "secrets.toml")]
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
             str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", *options],
            cwd=ROOT, env={**os.environ, "PLANNER_DATABASE_URL": database_url}, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://{host}:{port}"
    try:
        _wait_healthy(base, process, log)
        yield base
    finally:
        # killed, not stopped: a throwaway server on a throwaway database has nothing to close cleanly, and streamlit
        # took 1-4 s to stop on SIGTERM, five servers a run
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(browser, server):
    return _tab(browser, server)


@pytest.fixture(scope="module")
def hostile_page(browser, hostile_server):
    return _tab(browser, hostile_server)


def _tab(browser, base: str):
    """A browser tab on the app at `base` that records every URL it requests and watches its script runs."""
    tab = browser.new_page(viewport=VIEWPORT, accept_downloads=True)
    tab.add_init_script(RUN_WATCH_JS)
    # Without the File System Access API, a table's "Download as CSV" is an ordinary download Playwright sees.
    tab.add_init_script("delete window.showSaveFilePicker;")
    tab.set_default_timeout(STEP_SECONDS * 1000)
    tab.base = base
    tab.requested = []
    tab.on("request", lambda request: tab.requested.append(request.url))
    return tab


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_without_a_traceback(page, path):
    _open(page, path)
    _settled(page, charts=CHARTS.get(path, 0))
    if path == "upload":  # the Upload page's help on both files, the store file among them
        page.get_by_text("What the files look like").click()
        page.get_by_role("button", name="Download an empty store file template (CSV)").wait_for()
        page.wait_for_timeout(600)  # the expander slides open
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, path)


def test_upload_checks_and_imports_the_single_count(page):
    _open(page, "upload")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(SINGLE_COUNT))
    page.get_by_text("2 rows, no problems").wait_for()
    _settled(page)
    page.get_by_role("button", name="Import").click()
    page.get_by_text("2 rows added").wait_for()
    _settled(page)
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, "upload_imported")


def test_the_uploader_and_its_help_say_the_same_size_limit(page):
    """The uploader said "1GB per file" beside its help's "At most 512 MB per file": the browser writes a size above
    half a unit in the next unit, without decimals (512 MB as 0.512 GB, "1GB"). Loaded by its address: a new session,
    whose uploader holds no file from an earlier test (with files in it, the limit is not written)."""
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{page.base}/upload")
    _settled(page)
    limit = ImportRules().max_file_megabytes
    said = page.locator("[data-testid='stFileUploaderDropzoneInstructions']").inner_text()
    assert said.startswith(f"{limit}MB per file"), said
    page.locator("[data-testid='stFileUploader'] [data-testid='stTooltipIcon']").first.hover()
    page.get_by_text(f"At most {limit} MB per file").wait_for()


def test_an_audit_entry_picked_is_read_in_full(page):
    """The trail's Details cut its sentences ("user ana: regional lead, stores S0…") at 1024 px and at 1400: a row
    picked is written out in full below the table."""
    _open(page, "audit", viewport={"width": 1024, "height": 900})
    _settled(page)
    assert _tables_scrolling(page) == []  # the stores listed in full and the details took it to 912 px of 674
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 52)  # the first row's selection box
    said = page.locator("[data-testid='stAlert']").first
    said.wait_for()
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC, \S+, \S+: .{20,}", said.inner_text().strip()), said.inner_text()


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
    # a stuck redraw, not a speed goal (the latency printed above is what to read; a loaded machine took 6 s)
    assert latency < 20, f"the chart took {latency:.1f} s to follow a what-if"
    _screenshot(page, "my_store_what_if")


CUT_LABELS_JS = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] button [data-testid="stMarkdownContainer"]')]
  .filter(label => label.offsetParent && label.scrollWidth > label.clientWidth + 1).map(label => label.innerText)"""
"""The buttons whose label is cut short ("Back to the stor…")."""


def test_the_what_if_reset_reads_whole_at_1024_px(page):
    """After a what-if on My store, its reset button beside the note read "Back to the stor…" at 1024 px."""
    _open(page, "my_store", LAPTOP)
    _settled(page, charts=2)
    wait = page.locator("[data-testid='stNumberInput'] input").first  # the target wait, in seconds
    wait.fill("30")
    wait.press("Enter")
    page.get_by_text("target wait 30 s (store:").wait_for()  # after any what-if an earlier test left
    _settled(page, charts=2)
    assert page.evaluate(CUT_LABELS_JS) == []
    _screenshot(page, "my_store_what_if_1024", LAPTOP)
    page.get_by_role("button", name="Reset what-ifs").click()
    page.get_by_text("target wait 30 s (store:").wait_for(state="detached")
    _settled(page)
    page.set_viewport_size(VIEWPORT)


def test_the_compare_heatmap_colours_from_0(page):
    """The README says the staff heatmap colours from 0 and the figure set zmin=0, but plotly ignores a zmin
    without a zmax: the colour bar ran from about 5.5 to 10.5, a store needing 5.5 staff all but white."""
    _open(page, "compare")
    _settled(page, charts=CHARTS["compare"])
    lowest, highest, most = page.evaluate(
        "() => { const chart = document.querySelector('.js-plotly-plot')._fullData[0];"
        " const cells = chart.z.flatMap(row => Array.from(row))"
        "   .filter(value => value !== null && !Number.isNaN(value));"
        " return [chart.zmin, chart.zmax, Math.max(...cells)]; }")
    assert lowest == 0 and highest >= most > 0, (lowest, highest, most)
    _screenshot(page, "compare_colours_from_0")


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

    page.get_by_role("button", name="Simulate", exact=True).click()  # from the pooled demand the app holds
    page.get_by_text("Customers giving up a week").wait_for(timeout=120_000)
    _settled(page, charts=3)
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, "schedule_simulated")

    _open(page, "my_store")  # the last schedule now shows on My store
    _settled(page, charts=2)
    assert page.get_by_text("scheduled (last schedule)").count() >= 1
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, "my_store_scheduled")


@pytest.mark.parametrize("path", list(PAGES))
def test_nothing_is_cut_off_at_1024_pixels(page, path):
    _open(page, path, LAPTOP)
    _settled(page, charts=CHARTS.get(path, 0))
    _charts_laid_out(page)
    _screenshot(page, f"{path or 'upload'}_1024", LAPTOP)
    problems = page.evaluate(CUT_OFF_JS, CONTROLS)
    assert problems == [], problems
    for width, height in page.evaluate(CHART_SIZES_JS):
        assert width >= READABLE_CHART_PX["width"] and height >= READABLE_CHART_PX["height"]


def test_clicking_into_the_store_picker_moves_nothing_below_it(page):
    """The walk: with the picker's chosen stores filling its last line, clicking into it put the text cursor on a
    line of its own (Streamlit widens the input from 0.5 to 3 rem on focus), and clicking Make plan then first
    took that line away again: the button moved up under the pointer and the click did nothing. The sample's nine
    stores fill the line at some widths from 1024 px to 1280 px (1104-1124 px on the machine this was found on)."""
    _open(page, "plans", LAPTOP)
    _settled(page)
    page.get_by_role("button", name="Make plan").wait_for()
    page.locator("[data-testid='stMultiSelect'] input").first.wait_for()
    moved = []
    for width in range(LAPTOP["width"], 1281, 4):
        page.set_viewport_size({"width": width, "height": LAPTOP["height"]})
        before, after = page.evaluate(FOCUS_MOVES_JS)
        if after != before:
            moved.append((width, before, after))
    page.set_viewport_size(LAPTOP)
    assert moved == [], moved


FOCUS_MOVES_JS = """async () => {
  // The top of the Make plan button with the store picker unfocused, then with the text cursor in it (as clicking
  // into it puts it there), each read a frame later. In the page itself, not a 100 ms wait and a round trip for each
  // step (65 widths took 21 s): Streamlit widens the input within the focus event, and the page lays out at once.
  const frame = () => new Promise(done => requestAnimationFrame(done));
  const input = document.querySelector("[data-testid='stMultiSelect'] input");
  const make = [...document.querySelectorAll("[data-testid='stMain'] button")]
    .find(button => button.innerText.trim() === "Make plan");
  input.blur();
  await frame();
  const before = make.getBoundingClientRect().top;
  input.focus();
  await frame();
  const after = make.getBoundingClientRect().top;
  input.blur();
  return [before, after];
}"""


def test_charts_keep_a_readable_size_on_a_phone(page):
    _open(page, "compare", PHONE)
    _settled(page, charts=CHARTS["compare"])
    page.wait_for_timeout(500)
    sizes = page.evaluate(CHART_SIZES_JS)
    assert len(sizes) == CHARTS["compare"]
    for width, height in sizes:
        assert width >= READABLE_CHART_PX["width"] and height >= READABLE_CHART_PX["height"]
    # wider than the phone: the chart scrolls sideways inside its own frame, the page itself does not
    assert page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth") <= PHONE["width"]
    assert page.evaluate(CUT_OFF_JS, BUTTON_GROUP_BUTTONS) == []
    _screenshot(page, "compare_phone", PHONE)


def test_a_tables_own_download_runs_no_formula(hostile_page):
    _open(hostile_page, "compare")
    _settled(hostile_page, charts=CHARTS["compare"])
    table = hostile_page.locator("[data-testid='stDataFrame']").first
    table.hover()
    with hostile_page.expect_download() as download:
        # dispatched to the button itself: under load the table's scroller, redrawn beside it, can sit over the
        # toolbar for a moment and take a pointer click (what is tested is the file, not the pointer)
        hostile_page.locator("button[aria-label='Download as CSV']:visible").first.dispatch_event("click")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "'" + FORMULA in text  # the hostile region is there, escaped
    cells = [cell.strip('"') for line in text.splitlines() for cell in line.split(",")]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]


@pytest.mark.parametrize("path", list(PAGES))
def test_markup_in_the_data_stays_text(hostile_page, path):
    _open(hostile_page, path)
    _settled(hostile_page, charts=CHARTS.get(path, 0))
    hostile_page.wait_for_timeout(500)
    main = hostile_page.locator("[data-testid='stMain']")
    assert main.locator("img").count() == 0
    assert main.locator("a[href^='http://127.0.0.1:9']").count() == 0
    assert hostile_page.locator(".js-plotly-plot a[href], .js-plotly-plot text b").count() == 0
    assert not [url for url in hostile_page.requested if url.startswith(IMAGE_URL.rsplit("/", 1)[0])]
    if path == "my_store":  # the id itself is shown as written (an invisible joiner keeps it from being a link)
        assert HOSTILE_ID in main.inner_text().replace(WORD_JOINER, "")
    assert hostile_page.locator(EXCEPTION).count() == 0


CONTROLS = ("button, input, label, [data-testid='stMetric'], [data-testid='stDataFrame'], "
            "[data-testid='stFullScreenFrame'], [data-testid='stButtonGroup']")
BUTTON_GROUP_BUTTONS = "[data-testid='stButtonGroup'] button"
CUT_OFF_JS = """(selector) => {
  // Every element `selector` finds lies inside the window and inside the block that holds it; segmented controls
  // and pills show all their buttons (they wrap instead of scrolling them away); no metric's figure is wider than
  // its column; the page never scrolls sideways.
  const main = document.querySelector('[data-testid="stMain"]');
  const right = document.documentElement.clientWidth;
  const problems = [];
  for (const element of main.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width === 0 || style.visibility === 'hidden' || style.opacity === '0' || element.type === 'range'
        || element.closest('.js-plotly-plot') || element.closest('[aria-hidden="true"]')) continue;
        // not seen: a slider's own input is drawn as its track, a chart's toolbar is the chart's, and a date
        // picker's native input sits clipped to nothing in a hidden container
    const holder = element.closest('[data-testid="stButtonGroup"] [role]') || element.parentElement.closest(
      '[data-testid="stColumn"], [data-testid="stVerticalBlock"]');
    const limit = holder ? Math.min(right, holder.getBoundingClientRect().right) : right;
    if (box.right > limit + 1 || box.left < 0) {
      problems.push(`${element.getAttribute('data-testid') || element.tagName} "${(element.innerText
        || element.getAttribute('aria-label') || element.type || '').slice(0, 30)}" ends at ${Math.round(box.right)}`
        + ` px, beyond ${Math.round(limit)} px`);
    }
  }
  for (const tag of main.querySelectorAll('[data-testid="stMultiSelect"] [data-tag]')) {
    if (!tag.offsetParent) continue;
    const box = tag.getBoundingClientRect(), frame = tag.closest('.react-aria-ComboBox').getBoundingClientRect();
    if (box.bottom > frame.bottom + 1 || box.right > frame.right + 1) {
      problems.push(`the chosen "${tag.innerText}" lies outside its box`);
    }
  }
  for (const group of main.querySelectorAll('[data-testid="stButtonGroup"] [role]')) {
    if (group.scrollWidth > group.clientWidth + 1) problems.push(`${group.getAttribute('aria-label')} scrolls`);
  }
  for (const value of main.querySelectorAll('[data-testid="stMetricValue"]')) {
    // a metric's figure does not wrap: one wider than its column runs into the next metric's
    if (value.scrollWidth > value.clientWidth + 1) problems.push(`the figure "${value.innerText}" overflows`);
  }
  if (main.scrollWidth > main.clientWidth + 1) problems.push(`the page scrolls sideways`);
  return problems;
}"""
CHART_SIZES_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .svg-container')]
  .map(chart => [chart.getBoundingClientRect().width, chart.getBoundingClientRect().height])"""


# --- sign-in -------------------------------------------------------------------------------------------------------

PASSWORD = "correct horse battery staple"
CLIENT_SECRET, COOKIE_SECRET = os.urandom(16).hex(), os.urandom(16).hex()
"""The OpenID Connect server's secrets, new each run: no page may show them."""
SESSION_SECONDS = 8
"""The accounts server's session length (`session_minutes` in its secrets file): long enough for ana's sign-in,
sidebar and screenshot (a second or two) to come before it ends, since the test waits out what is left of it."""


@pytest.fixture(scope="module")
def accounts_server(sample_db, tmp_path_factory):
    """The app with the planner's own accounts: ana manages S01, pia plans; three wrong passwords lock an account."""
    database_url = sqlite_copy(sample_db, tmp_path_factory.mktemp("accounts") / "planner.db")
    engine, admin = storage.connect(Settings(database_url=database_url)), Scope.everything("root")
    for user in (User("ana", "store_manager", stores=frozenset({"S01"})), User("pia", "planner")):
        accounts.add_user(engine, admin, user)
        accounts.set_password(engine, admin, user.name, PASSWORD, SignInRules())
    engine.dispose()
    secrets = (f'[planner]\nsign_in = "accounts"\nmax_failed_attempts = 3\n'
               f"session_minutes = {SESSION_SECONDS / 60}\n")
    yield from _serve(database_url, tmp_path_factory, secrets)


def test_accounts_lock_after_wrong_passwords_and_a_session_ends(browser, accounts_server):
    """ana signs in first, and her session's seconds run out while another tab locks pia's account: the test waits
    once, not for the lock and then for the whole session. She signs in at Settings's address, a page that draws
    little: at the root she landed on My store, whose first fits on a new server took 10-15 s of the test, and what
    is tested is the lock and the session's end, on any page."""
    tab = _tab(browser, accounts_server)
    tab.goto(f"{accounts_server}/settings")
    _sign_in(tab, "ana", PASSWORD)
    signed_in_at = time.monotonic()
    tab.get_by_text("Signed in as ana (store manager)").wait_for()
    assert _page_links(tab) == ["Upload", "Observations", "My store", "Schedule", "Plans", "Roster", "Settings"]
    assert tab.locator(EXCEPTION).count() == 0
    _screenshot(tab, "signed_in_store_manager")

    locking = _tab(browser, accounts_server)
    locking.goto(accounts_server)
    for attempt in range(3):
        _sign_in(locking, "pia", f"guess {attempt}")
        expected = "locked for 15 minutes" if attempt == 2 else "wrong user name or password"
        locking.get_by_text(expected).wait_for()
        _assert_password_emptied(locking, "pia", f"guess {attempt}")
    _sign_in(locking, "pia", PASSWORD)  # the right password, while locked
    locking.get_by_text("locked for 15 more minutes").wait_for()
    _assert_password_emptied(locking, "pia", PASSWORD)
    assert locking.locator("[data-testid='stSidebarNavLink']").count() == 0
    locking.close()

    tab.wait_for_timeout(max(0, SESSION_SECONDS - (time.monotonic() - signed_in_at)) * 1000 + 500)
    tab.locator("[data-testid='stSidebarNavLink']", has_text="Observations").click()
    tab.get_by_text("Your session ended after").wait_for()
    assert tab.get_by_role("heading", name="Sign in", level=1).count() == 1
    assert PASSWORD not in tab.content()


def test_a_bookmarked_page_asks_for_sign_in_then_opens(browser, accounts_server):
    """A reload (F5) or a bookmark of /plans showed "Page not found" over the sign-in form, and signing in then
    landed on Upload."""
    tab = _tab(browser, accounts_server)
    tab.goto(f"{accounts_server}/plans")
    _sign_in(tab, "ana", PASSWORD)  # pia is locked by the test before
    tab.get_by_text("Signed in as ana (store manager)").wait_for()
    tab.get_by_role("heading", name="Plans", level=1).wait_for()  # the sidebar's words can come before the page's
    _settled(tab)
    assert tab.get_by_role("heading", name="Upload counts", level=1).count() == 0
    assert tab.get_by_text("Page not found").count() == 0 and tab.locator(EXCEPTION).count() == 0


def test_the_upload_address_opens_the_upload_page(browser, server):
    """/upload (every other page has its name for an address, as /plans) opened "Page not found" over the Upload
    page, which Streamlit serves at the root as the default page."""
    tab = _tab(browser, server)
    tab.goto(f"{server}/upload")
    tab.get_by_role("heading", name="Upload counts", level=1).wait_for()
    _settled(tab)
    assert tab.get_by_text("Page not found").count() == 0 and tab.locator(EXCEPTION).count() == 0
    assert _page_links(tab).count("Upload") == 1  # the address's own page is not listed beside it
    tab.close()


FORGOTTEN_AFTER_SECONDS = 1
"""How long the reconnecting server keeps a tab's session once its connection is gone (streamlit's
server.disconnectedSessionTTL; 120 s by default)."""
DROPPABLE_CONNECTION_JS = """(() => {
  // the app's connection to the server, cut on demand (window.dropConnection()) and kept from coming back until
  // window.cutOff is false again, as a laptop asleep or a network gone would
  const Socket = window.WebSocket;
  const sockets = [];
  window.cutOff = false;
  window.WebSocket = function (url, protocols) {
    const socket = new Socket(window.cutOff ? url.replace("/_stcore/stream", "/_cut_off_") : url, protocols);
    sockets.push(socket);
    return socket;
  };
  Object.assign(window.WebSocket, {prototype: Socket.prototype, CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.dropConnection = () => { window.cutOff = true; sockets.forEach(socket => socket.close()); };
})();"""
TICKET_NOT_JS = """other => {
  const held = window.sessionStorage.getItem("planner.sign_in");
  return held !== null && held !== other && held;
}"""
"""The sign-in ticket the tab holds, once it holds one other than `other`."""


@pytest.fixture(scope="module")
def reconnecting_server(sample_db, tmp_path_factory):
    """The app with own accounts (ana manages S01) on a server that forgets a tab's session
    `FORGOTTEN_AFTER_SECONDS` after its connection is lost."""
    database_url = sqlite_copy(sample_db, tmp_path_factory.mktemp("reconnecting") / "planner.db")
    engine, admin = storage.connect(Settings(database_url=database_url)), Scope.everything("root")
    accounts.add_user(engine, admin, User("ana", "store_manager", stores=frozenset({"S01"})))
    accounts.set_password(engine, admin, "ana", PASSWORD, SignInRules())
    engine.dispose()
    yield from _serve(database_url, tmp_path_factory, '[planner]\nsign_in = "accounts"\n',
                      server_options=("--server.disconnectedSessionTTL", str(FORGOTTEN_AFTER_SECONDS)))


def test_a_tab_stays_signed_in_across_a_lost_connection_and_a_reload_until_signed_out(browser, reconnecting_server):
    """The walk: a tab left open was found signed out, with no word, after a laptop slept: streamlit keeps the
    session of a tab whose connection is gone for two minutes, then starts the tab over with a new session, and the
    sign-in lived in the old one's state. The tab keeps a one-time ticket now; a sign-out forgets it. The pages are
    ones that draw little (Settings, not the Roster page, which rosters a week when asked): what is tested is the
    sign-in, on any page."""
    tab = _tab(browser, reconnecting_server)
    tab.add_init_script(DROPPABLE_CONNECTION_JS)
    tab.goto(f"{reconnecting_server}/plans")
    _sign_in(tab, "ana", PASSWORD)
    tab.get_by_text("Signed in as ana (store manager)").wait_for()
    first = tab.wait_for_function(TICKET_NOT_JS, arg=None).json_value()  # the ticket the sign-in handed the tab
    tab.evaluate("window.dropConnection()")
    tab.wait_for_timeout((FORGOTTEN_AFTER_SECONDS + 2) * 1000)  # the server has forgotten the tab's session
    tab.evaluate("window.cutOff = false")  # back: the tab reconnects to a new session
    tab.locator(RUNNING).filter(has_text="CONNECTING").wait_for(state="hidden")
    tab.locator("[data-testid='stSidebarNavLink']", has_text="Settings").click()  # the first run of the new session
    tab.get_by_role("heading", name="Settings", level=1).wait_for()
    _settled(tab)
    # the new session signed in with the tab's ticket, which gave a new one: the server had forgotten the old
    # session (a wait shorter than its time to live would have found the old one, still signed in, and proved nothing)
    tab.wait_for_function(TICKET_NOT_JS, arg=first)
    assert tab.get_by_text("Signed in as ana (store manager)").count() == 1
    assert tab.get_by_role("heading", name="Sign in", level=1).count() == 0 and tab.locator(EXCEPTION).count() == 0
    tab.reload()  # a reload too starts the tab over
    tab.get_by_role("heading", name="Settings", level=1).wait_for()
    tab.get_by_text("Signed in as ana (store manager)").wait_for()
    ticket = tab.evaluate("() => window.sessionStorage.getItem('planner.sign_in')")
    tab.get_by_role("button", name="Sign out").click()
    tab.get_by_role("heading", name="Sign in", level=1).wait_for()
    _settled(tab)
    assert tab.evaluate("() => window.sessionStorage.length") == 0
    # the ticket of a signed-out tab, put back (as a copy of it would be used), resumes nothing, and says so
    tab.evaluate("ticket => window.sessionStorage.setItem('planner.sign_in', ticket)", ticket)
    tab.reload()
    tab.get_by_text("This tab was signed out: the server had to start it over").wait_for()
    assert tab.get_by_text("Signed in as").count() == 0 and tab.evaluate("() => window.sessionStorage.length") == 0
    assert ticket not in tab.content()
    tab.close()


TICKET_HELD_BACK_JS = """(() => {
  // while window.sessionStorage holds "hold back", the tab keeps no new sign-in ticket: a reload that starts before
  // the ticket the server handed reaches the tab's storage (a second or so after the page comes back) presents the one before
  const store = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (key === "planner.sign_in" && this.getItem("hold back")) return;
    return store.call(this, key, value);
  };
})()"""
"""Keeps the tab's sign-in ticket from being replaced while the tab's session storage says "hold back"."""


def test_quick_reloads_keep_a_tab_signed_in_and_a_ticket_used_elsewhere_is_said_so(browser, reconnecting_server):
    """The walk: three reloads 1.5 s apart signed the regional lead out, a minute after signing in, with a sentence
    saying the sign-in had ended (after 480 minutes, at a sign-out, or with a restart of the server). Each start-over
    spent the tab's ticket and handed a new one, and a reload that came before the new one reached the tab presented
    the spent one. Held back here, so that every reload presents the ticket before; then quick reloads as people make
    them; then a ticket that another tab has used since (a copy of the tab) is refused, in its own words."""
    tab = _tab(browser, reconnecting_server)
    tab.add_init_script(TICKET_HELD_BACK_JS)
    tab.goto(f"{reconnecting_server}/settings")
    _sign_in(tab, "ana", PASSWORD)
    tab.get_by_text("Signed in as ana (store manager)").wait_for()
    first = tab.wait_for_function(TICKET_NOT_JS, arg=None).json_value()
    tab.evaluate("() => window.sessionStorage.setItem('hold back', 'yes')")
    for _ in range(3):  # each reload before the tab holds the next ticket
        tab.reload()
        tab.get_by_role("heading", name="Settings", level=1).wait_for()
        tab.get_by_text("Signed in as ana (store manager)").wait_for()
        assert tab.evaluate("() => window.sessionStorage.getItem('planner.sign_in')") == first
    tab.evaluate("() => window.sessionStorage.removeItem('hold back')")
    for _ in range(3):  # quick reloads, each before the page has come back
        tab.reload(wait_until="commit")
        tab.wait_for_timeout(400)
    tab.get_by_role("heading", name="Settings", level=1).wait_for()
    tab.get_by_text("Signed in as ana (store manager)").wait_for()
    _settled(tab)
    renewed = tab.wait_for_function(TICKET_NOT_JS, arg=first).json_value()
    tab.reload()  # the renewed ticket is used: the tab holds it, and the first one resumes nothing from now on
    tab.get_by_text("Signed in as ana (store manager)").wait_for()
    tab.wait_for_function(TICKET_NOT_JS, arg=renewed)
    assert tab.get_by_role("heading", name="Sign in", level=1).count() == 0 and tab.locator(EXCEPTION).count() == 0
    tab.evaluate("ticket => window.sessionStorage.setItem('planner.sign_in', ticket)", first)  # as a copy held it
    tab.reload()
    tab.get_by_text("This tab was signed out: another tab used its sign-in first").wait_for()
    assert tab.get_by_text("Signed in as").count() == 0 and tab.evaluate("() => window.sessionStorage.length") == 0
    assert tab.get_by_text("minutes").count() == 0  # not said to have ended: it stands, in the tab that used it
    tab.close()


def _page_links(tab) -> list[str]:
    """The sidebar's page titles (each link's text ends with its title, after the icon's name)."""
    return [text.split("\n")[-1].strip() for text in tab.locator("[data-testid='stSidebarNavLink']").all_inner_texts()]


def _sign_in(tab, name: str, password: str) -> None:
    tab.get_by_role("heading", name="Sign in", level=1).wait_for()
    tab.get_by_label("User name").fill(name)
    tab.get_by_label("Password", exact=True).fill(password)
    tab.get_by_role("button", name="Sign in").click()
    _settled(tab)


def _assert_password_emptied(tab, name: str, password: str) -> None:
    """After a refused sign-in the form keeps the name and holds no password: the page's HTML held the one typed."""
    assert tab.get_by_label("Password", exact=True).input_value() == ""
    assert tab.get_by_label("User name").input_value() == name
    assert password not in tab.content()


@pytest.fixture(scope="module")
def oidc_provider():
    """A small OpenID Connect provider on localhost: pia is in the planners group, max in store S02's."""
    provider = pytest.importorskip("oidc_provider_mock")
    people = [provider.User(sub="pia", claims={"email": "pia@chain.example", "email_verified": True,
                                               "groups": ["planners"]}),
              provider.User(sub="max", claims={"email": "max@chain.example", "email_verified": True,
                                               "groups": ["staff", "store-S02"]})]
    with provider.run_server_in_thread(user_claims=people) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def oidc_server(sample_db, tmp_path_factory, oidc_provider):
    database_url = sqlite_copy(sample_db, tmp_path_factory.mktemp("oidc") / "planner.db")
    port = _free_port()
    secrets = f"""[planner]
sign_in = "oidc"

[planner.oidc.groups]
planners = "planner"
"store-S02" = "store_manager:S02"

[auth]
redirect_uri = "http://localhost:{port}/oauth2callback"
cookie_secret = "{COOKIE_SECRET}"
client_id = "staffing-planner"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"
"""
    yield from _serve(database_url, tmp_path_factory, secrets, port=port, host="localhost")


@pytest.mark.parametrize("person, shown, pages", [
    ("pia", f"Signed in as pia@{WORD_JOINER}chain.example (planner)",
     ["Upload", "Observations", "My store", "Compare stores", "Schedule", "Plans", "Roster", "Settings", "Audit"]),
    ("max", f"Signed in as max@{WORD_JOINER}chain.example (store manager)",
     ["Upload", "Observations", "My store", "Schedule", "Plans", "Roster", "Settings"]),
])
def test_sign_in_through_the_chains_identity_provider(browser, oidc_server, person, shown, pages):
    context = browser.new_context(viewport=VIEWPORT)  # its own cookies: one person each
    context.add_init_script(RUN_WATCH_JS)
    tab = context.new_page()
    tab.set_default_timeout(STEP_SECONDS * 1000)
    tab.goto(oidc_server)
    tab.get_by_role("heading", name="Sign in", level=1).wait_for()
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_role("button", name=person, exact=True).click()  # the provider's page: sign in as this person
    tab.get_by_text(shown).wait_for()
    _settled(tab)
    assert _page_links(tab) == pages
    assert tab.locator(EXCEPTION).count() == 0
    assert CLIENT_SECRET not in tab.content() and COOKIE_SECRET not in tab.content()
    _screenshot(tab, f"signed_in_oidc_{person}")
    context.close()


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


def _open(page, path: str, viewport: dict | None = None) -> None:
    """Go to a page as a user does, through the sidebar, so the session (and its last schedule) carries over; the
    first visit loads the app. On a phone-sized window the sidebar is folded away: the page is loaded by its URL."""
    label, heading = PAGES[path]
    page.set_viewport_size(viewport or VIEWPORT)
    if viewport == PHONE:
        page.goto(f"{page.base}/{path}")
        page.get_by_role("heading", name=heading, level=1).wait_for()
        return
    if not page.url.startswith(page.base):
        page.goto(f"{page.base}/{path}")
    else:
        page.locator("[data-testid='stSidebarNavLink']", has_text=label).first.click()
    page.get_by_role("heading", name=heading, level=1).wait_for()


def _settled(page, charts: int = 0, timeout_ms: float | None = None) -> None:
    """Wait until the last script run the tab asked for has ended (`RUN_WATCH_JS`) and its charts (at least
    `charts` of them) are drawn; `timeout_ms`: the tab's default. It waited 300 ms and then for the running indicator
    to be hidden, but the indicator shows only 500 ms into a run: a run that started after the event was still
    going, unseen, when that wait returned."""
    assert page.evaluate("() => 'plannerRunAskedAt' in window"), "a tab opened without RUN_WATCH_JS (use _tab)"
    page.wait_for_function(SETTLED_JS, arg=QUIET_MS, timeout=timeout_ms)
    page.wait_for_function(
        "least => { const all = [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')];"
        " return all.length >= least && all.every(chart => chart.querySelector('.main-svg')); }",
        arg=charts,
    )


def _charts_laid_out(page) -> None:
    """Wait for the page's charts to lay themselves out for a new window size (plotly redraws a while after the
    resize); a page drawing no chart has nothing to wait for (half a second for each of the pages without one)."""
    if page.locator("[data-testid='stPlotlyChart']").count():
        page.wait_for_timeout(500)


def _first_chart_staff(page) -> list[float | None]:
    """The bars of the page's first chart, as plotly decoded them."""
    return page.evaluate("() => Array.from(document.querySelector('.js-plotly-plot')._fullData[0].y)")


def _screenshot(page, name: str, viewport: dict | None = None) -> None:
    """The whole page: streamlit scrolls inside its main block, so the viewport is grown until the content fits."""
    viewport = viewport or VIEWPORT
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for _ in range(5):
        height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        if height <= page.viewport_size["height"]:
            break
        page.set_viewport_size({"width": viewport["width"], "height": int(height)})
        _charts_laid_out(page)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(viewport)


SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def test_the_schedule_reads_at_1024_px_one_day_at_a_time(page):
    _open(page, "schedule")
    page.set_viewport_size(LAPTOP)
    _settled(page)
    page.get_by_role("button", name="Make schedule").click()
    page.get_by_text("Shifts, Mon").wait_for()
    _settled(page, charts=2)
    main = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    for day in SHORT_DAYS:  # every day of the picker is on screen, none cut off at either edge
        box = _day_button(page, day).bounding_box()
        assert box is not None and main["x"] <= box["x"] and box["x"] + box["width"] <= main["x"] + main["width"], day
    _day_button(page, "Sat").click()
    page.get_by_text("Shifts, Sat").wait_for()
    _settled(page, charts=2)
    gantt = page.locator("[data-testid='stPlotlyChart']").first
    assert gantt.bounding_box()["width"] <= main["width"]
    bar_texts = gantt.locator(".bartext").evaluate_all("texts => texts.map(text => text.textContent)")
    assert bar_texts and all("–" in text for text in bar_texts)  # each person's times are written on the bar
    assert page.evaluate("() => document.documentElement.scrollWidth") <= LAPTOP["width"]
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, "schedule_day_1024")


def test_a_plan_reads_at_1024_px_with_its_days_and_nothing_cut_off(page):
    _open(page, "plans", LAPTOP)
    _settled(page)
    page.get_by_role("button", name="Make plan").click()
    page.get_by_text("Saved as draft").wait_for(timeout=3 * STEP_SECONDS * 1000)  # nine stores, one after another
    _settled(page, charts=2)
    main = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    for day in SHORT_DAYS:  # the seven dates of the week, none cut off
        box = _day_button(page, day).bounding_box()
        assert box is not None and main["x"] <= box["x"] and box["x"] + box["width"] <= main["x"] + main["width"], day
    assert page.evaluate(CUT_OFF_JS, CONTROLS) == []
    for width, height in page.evaluate(CHART_SIZES_JS):
        assert width >= READABLE_CHART_PX["width"] and height >= READABLE_CHART_PX["height"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= LAPTOP["width"]
    # the saved plans, the plan's history and the optimiser's result needed 1020-1109 px of 674: a sideways scroll
    assert len(page.evaluate(TABLE_WIDTHS_JS)) >= 2 and _tables_scrolling(page) == []
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, "plans_1024", LAPTOP)


TABLE_WIDTHS_JS = """() => [...document.querySelectorAll("[data-testid='stDataFrame'] .dvn-scroller")]
  .map(grid => [grid.clientWidth, grid.scrollWidth])"""


def _tables_scrolling(page) -> list[tuple[int, int]]:
    """(width shown, width needed) of each table on the page that scrolls sideways."""
    return [(shown, needed) for shown, needed in page.evaluate(TABLE_WIDTHS_JS) if needed > shown + 1]


def test_my_stores_hour_table_reads_whole_at_1024_px(page):
    """The manager's main table needed 946 px of 674 at 1024 px: its last two columns were behind a sideways
    scroll."""
    _open(page, "my_store", LAPTOP)
    _settled(page)
    _settled(page, charts=2)
    page.get_by_text("What to expect each hour").first.scroll_into_view_if_needed()
    assert page.evaluate(TABLE_WIDTHS_JS) and _tables_scrolling(page) == []
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, "my_store_table_1024", LAPTOP)


@pytest.mark.parametrize(("path", "tables"), [("observations", 2), ("roster", 2)])
def test_the_stores_and_roster_tables_read_whole_at_1024_px(page, path, tables):
    """Observations' stores (1023 px of 674 at 1024 px), the roster grid (834) and the hours against contract (893)
    hid their last columns behind a sideways scroll; so did a re-plan's changes (868 px: "Before today" was off
    the edge)."""
    _open(page, path, LAPTOP)
    _settled(page, charts=CHARTS.get(path, 0), timeout_ms=START_SECONDS * 3000)
    if path == "roster":  # nothing published or saved: a draft is searched for when asked, not as the page opens
        page.get_by_role("button", name=DRAFT_ASKED_BUTTON).click()
        _settled(page, timeout_ms=START_SECONDS * 3000)
    assert len(page.evaluate(TABLE_WIDTHS_JS)) >= tables and _tables_scrolling(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= LAPTOP["width"]
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, f"{path}_tables_1024", LAPTOP)
    if path == "roster":  # published, then someone with a shift on Monday falls ill for the day
        if page.get_by_text(PAGE_PUBLISH_AS_IS).count():  # a roster leaving hours short is published when confirmed
            page.get_by_text(PAGE_PUBLISH_AS_IS).click()
            _settled(page)
        page.get_by_role("button", name="Publish this roster").click()
        page.get_by_role("heading", name="Re-plan after an absence").wait_for()
        _settled(page)
        grid = page.locator("[data-testid='stDataFrame']").first  # the published grid, as its cells read
        working = grid.evaluate(WORKING_ON_MONDAY_JS)
        who = page.get_by_role("combobox", name="Who")
        who.focus()
        who.press("ArrowDown")  # opens the list (a click here only focused the box)
        page.get_by_role("option", name=working).first.click()
        _settled(page)
        page.get_by_role("button", name="Re-plan", exact=True).click()
        page.get_by_text("premium pay of").wait_for(timeout=3 * STEP_SECONDS * 1000)
        _settled(page)
        assert len(page.evaluate(TABLE_WIDTHS_JS)) >= tables + 2 and _tables_scrolling(page) == []
        assert page.locator(EXCEPTION).count() == 0
        _screenshot(page, "roster_replan_1024", LAPTOP)


def test_the_compare_tables_read_whole_at_1024_px(page):
    """With every measure in columns the store table needed 2,340 px of 674 at 1024 px and the region table 1,847:
    a regional lead scrolled sideways past 16 columns. Each group of measures the page offers fits."""
    _open(page, "compare", LAPTOP)
    _settled(page, charts=CHARTS["compare"])
    for group in MEASURES:
        page.locator("[data-testid='stButtonGroup'] button").filter(has_text=group).first.click()
        _settled(page, charts=CHARTS["compare"])
        assert len(page.evaluate(TABLE_WIDTHS_JS)) >= 2 and _tables_scrolling(page) == [], group
    assert page.evaluate("() => document.documentElement.scrollWidth") <= LAPTOP["width"]
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, "compare_tables_1024", LAPTOP)



HEATMAP_ROWS_JS = """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")].slice(0, 2).flatMap(chart =>
  [...chart.querySelectorAll(".ytick text")].map(text => [text.textContent, text.getBoundingClientRect().left,
                                                          chart.getBoundingClientRect().left]))"""
"""Each row label of the Compare page's two heatmaps: its text (lines run together), its left edge and its chart's."""


@pytest.mark.parametrize("viewport", [LAPTOP, VIEWPORT], ids=["1024", "1400"])
def test_the_compare_heatmaps_name_each_store_whole(page, viewport):
    """The rows read "S02 – Hamburg Jungfernstieg Clo…" at 1024 and at 1400 px: a long name now wraps, every
    character of it inside the chart."""
    _open(page, "compare", viewport)
    _settled(page, charts=CHARTS["compare"])
    stores = pd.read_csv(ROOT / "data" / "stores.csv")
    whole = sorted(f"{store} – {name}".replace(" ", "") for store, name in zip(stores["store_id"], stores["name"]))
    rows = page.evaluate(HEATMAP_ROWS_JS)
    assert sorted(text.replace(" ", "") for text, _, _ in rows) == sorted(whole * 2)
    assert all(left >= chart_left for _, left, chart_left in rows)
    _screenshot(page, f"compare_heatmap_rows_{viewport['width']}", viewport)


WORKING_ON_MONDAY_JS = """grid => [...grid.querySelectorAll("tbody tr")].map(row => row.querySelectorAll("td"))
  .find(cells => cells[1].innerText.includes("–"))[0].innerText"""
"""The first person in a roster grid with a shift on Monday (the Days away box's default day)."""


def _day_button(page, day: str):
    return page.locator("[data-testid='stButtonGroup'] button").filter(has_text=day).first


def test_an_uploads_problems_and_their_fixes_read_whole_at_1024_px(page, tmp_path):
    """At 1024 px the problem table cut the problem ("386.4 staff minutes in one hour is mo…") and pushed "How to fix
    it" past the right edge: a store manager scrolled the table sideways to learn what to correct. Each problem is
    now a sentence that wraps, its fix included, with the table below it."""
    header = SINGLE_COUNT.read_text(encoding="utf-8").splitlines()[0]
    # one person on duty cannot give 300 staff minutes in an hour; each row's own minutes, so each is its own line
    rows = [f"S01,2026-11-30,{hour},60,29,21,{minutes},4.2,1" for hour, minutes in ((12, 327.7), (13, 301.5), (14, 280))]
    broken = tmp_path / "too_few_staff.csv"
    broken.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    _open(page, "upload", LAPTOP)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(broken))
    sentence = page.locator("[data-testid='stMarkdownContainer'] li").filter(has_text="more than 1 staff can give")
    sentence.first.wait_for()
    _settled(page)
    main = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    assert sentence.count() == len(rows)
    for index in range(len(rows)):
        line = sentence.nth(index)
        assert line.inner_text().rstrip().endswith("Correct the minutes or staff_on_duty.")
        box = line.bounding_box()
        assert main["x"] <= box["x"] and box["x"] + box["width"] <= main["x"] + main["width"]
        assert line.evaluate("item => item.scrollWidth <= item.clientWidth")  # it wraps, nothing runs past its box
    assert page.evaluate(CUT_OFF_JS, CONTROLS) == []
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, "upload_problems_1024", LAPTOP)
