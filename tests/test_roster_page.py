"""The Roster page, driven with streamlit's AppTest on the bundled sample: a store's week is rostered at once, its
grid, hours and reasons shown; publishing keeps it; a sick day is re-planned with its changes and premiums shown
before anything is published; the downloads hold the shown roster. Expected figures come from the sample files
(data/employees.csv) and from the roster's own shift frame read back through the CSV download, not from the page."""

from __future__ import annotations

import io
import json
import os
import re
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_pages import roster_data, state, tables
from planner import clock, fits, storage
from planner.calendar import IsoWeek
from planner.cli_flags import EXIT_OK
from planner.roster_export import person_labels
from planner.rostering.publishing import PAGE_NEW_DRAFT
from planner.settings import DATABASE_URL_ENV, Settings
from planner.words import counted

from conftest import DATA, ROOT, TODAY, downloaded, element_path, said_while_working, sqlite_copy, table_heights

CHANGED = re.compile(r"\d+ shifts? changes? for \d+ (person|people)")
"""A re-plan's first line: "3 shifts change for 2 people" ("1 shift changes for 1 person")."""

PAGE = str(ROOT / "app_pages" / "roster.py")
APP = str(ROOT / "app.py")
TIMEOUT_SECONDS = 90
STORE = "S08"
"""The sample's smallest store (12 people in data/employees.csv)."""


CONTENT_PX_AT_1024 = 674
"""The content's width at a 1024 px window (1024 less the sidebar and the margins)."""


@pytest.fixture
def page(roster_db_url, monkeypatch) -> AppTest:
    """The Roster page, through the app's router, with a draft of its store's week asked for ("Make a draft roster":
    nothing is searched unasked): its link to the Settings page (the roster rules) needs the router's pages. Opened
    at once, not after a first run of the landing page (My store, whose figures of a fresh database cost a second or
    more a test): the router registers the Roster page under its file's name, as AppTest reads it before a first
    run."""
    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE  # chosen before the first run: no other store is opened on
    return _draft_asked(at.switch_page(PAGE).run())


def _file(stores, at: AppTest, key: str) -> bytes:
    return downloaded(stores, at.download_button(key=key)).content


def test_the_roster_files_are_built_only_when_downloaded_and_hold_the_published_roster(downloads, page,
                                                                                      monkeypatch):
    """The page built every file (the shifts and grid CSVs, the workbook, a calendar) on every rerun, read or not:
    a sixth of the page's time. Each is built when its button is pressed, and holds what it held. The truth: the
    published roster as stored (`documents.published`), through the exports `roster --show --out-dir` writes."""
    import openpyxl
    from icalendar import Calendar

    from planner import roster_export
    from planner.rostering import documents

    built = []
    for name in ("roster_csv", "roster_grid_csv", "roster_xlsx", "person_ics"):
        export = getattr(roster_export, name)
        monkeypatch.setattr(roster_data, name, lambda *args, _export=export, _name=name, **kwargs:
                            built.append(_name) or _export(*args, **kwargs))
    page.button(key=state.ROSTER_PUBLISH).click().run()
    page.run()
    assert not page.exception and not page.error
    assert built == []  # drawn twice, published: every button there, no file built
    assert {key: bool(page.download_button(key=key)) for key in state.ROSTER_DOWNLOADS.values()} == dict.fromkeys(
        state.ROSTER_DOWNLOADS.values(), True)
    week = page.selectbox(key=state.ROSTER_WEEK).value
    engine = storage.connect(Settings(database_url=os.environ[DATABASE_URL_ENV]))
    saved = documents.published(engine, STORE, week)
    engine.dispose()
    assert _file(downloads, page, state.ROSTER_DOWNLOADS["csv"]) == roster_export.roster_csv(saved.shifts).encode()
    assert built == ["roster_csv"]  # that one alone, on its press
    grid = pd.read_csv(io.BytesIO(_file(downloads, page, state.ROSTER_DOWNLOADS["grid"])), dtype={"employee_id": str},
                       keep_default_na=False)
    assert grid["hours"].astype(float).sum() == pytest.approx(saved.shifts["paid_hours"].sum())
    stores = pd.read_csv(DATA / "stores.csv", dtype=str).set_index("store_id")
    book = openpyxl.load_workbook(io.BytesIO(_file(downloads, page, state.ROSTER_DOWNLOADS["xlsx"])))
    title = book.properties.title
    assert f"{STORE} – {stores.at[STORE, 'name']}" in title and week in title, title
    person = page.selectbox(key=state.ROSTER_CALENDAR_PERSON).value
    events = Calendar.from_ical(_file(downloads, page, state.ROSTER_DOWNLOADS["ics"])).walk("VEVENT")
    assert len(events) == int((saved.shifts["employee_id"].astype(str) == str(person)).sum()) > 0
    assert built == ["roster_csv", "roster_grid_csv", "roster_xlsx", "person_ics"]


def test_the_roster_s_grid_and_hours_against_contract_show_every_person_without_a_scroll_of_their_own(
        page, monkeypatch):
    """The walk: both tables of people showed 10 of the store's 26 (Streamlit's default height) in a scroll inside the
    page. Each is as tall as its rows, up to `ROWS_WHOLE_MOST`, past which a table of hundreds would fill pages."""
    heights = table_heights(monkeypatch)
    page.run()
    assert not page.exception
    grid, hours = len(page.dataframe[0].value), len(page.dataframe[1].value)
    assert 10 < hours < grid <= tables.ROWS_WHOLE_MOST  # the premise: more people than the default ten rows
    assert (grid, "content") in heights and (hours, "content") in heights, heights
    # past the most, a fixed height of that many rows and the header, scrolling within
    assert tables.whole_rows_height(tables.ROWS_WHOLE_MOST) == "content"
    assert tables.whole_rows_height(tables.ROWS_WHOLE_MOST + 1) == \
        tables.HEADER_PX + tables.ROWS_WHOLE_MOST * tables.ROW_PX


def test_a_week_is_rostered_at_once_published_and_replanned_after_a_sick_day(downloads, page, monkeypatch):
    assert not page.exception and not page.error
    people = pd.read_csv(DATA / "employees.csv", dtype=str, keep_default_na=False)
    mine = people[(people["store_id"] == STORE) | people["also_stores"].str.contains(STORE)]
    (draft,) = [box.value for box in page.info if "Draft, not published" in box.value]
    assert re.fullmatch(r"Draft, not published \(requirement: [^()]+\)\.", draft.replace("\\", "")), draft
    grid = page.dataframe[0].value
    assert list(grid["name"].iloc[:-1]) == list(mine["name"])  # everyone who may work here, in the file's order
    assert grid["name"].iloc[-1] == "hours per day"
    day_columns = [c for c in grid.columns if c not in ("name", "hours")]
    assert len(day_columns) == 7 and grid["hours"].iloc[-1] == pytest.approx(grid["hours"].iloc[:-1].sum())
    shown_week = IsoWeek.parse(page.selectbox(key=state.ROSTER_WEEK).value)
    assert day_columns == [f"{day:%a} {day.day} {day:%b}" for day in shown_week.dates()]  # "Mon 7 Dec", as people read it
    # The status is said in plain words, not the solver's ("optimal: ...", "feasible: ...").
    said = [m.value for m in page.markdown if "roster" in m.value.lower()]
    assert said and not any(word in text.lower() for text in said for word in ("optimal", "feasible"))
    assert grid[day_columns].iloc[-1].astype(float).sum() == pytest.approx(grid["hours"].iloc[-1])
    hours = page.dataframe[1].value.set_index("Person")  # as the table reads, and as its toolbar downloads it
    contracts = mine.set_index("name")
    assert (hours["Contract h"] == [f"{float(low):g}–{float(high):g}" if low != high else f"{float(low):g}"
                                    for low, high in zip(contracts.loc[hours.index, "contract_hours_min"],
                                                         contracts.loc[hours.index, "contract_hours_max"],
                                                         strict=True)]).all()
    # at 1024 px the grid needed 834 px of 674 and the hours 893: short day headers and shifts ("10–14"), the rest
    # of each day in the help and the times in full in the grid's CSV
    for table in page.dataframe[:2]:
        config = json.loads(table.proto.columns)
        assert sum(config[name]["width"] for name in table.value.columns) <= CONTENT_PX_AT_1024
    days = json.loads(page.dataframe[0].proto.columns)
    assert [days[day]["label"] for day in day_columns] == [day.rsplit(" ", 1)[0] for day in day_columns]  # "Mon 7"
    assert all(days[day]["help"].startswith(day) for day in day_columns)
    shift_cells = [cell for cell in grid[day_columns].iloc[:-1].to_numpy().ravel() if cell and "away" not in cell]
    assert shift_cells and all(re.fullmatch(r"\d{1,2}(:\d\d)?–\d{1,2}(:\d\d)?", part)
                               for cell in shift_cells for part in cell.split("; "))
    shifts = pd.read_csv(io.BytesIO(_file(downloads, page, state.ROSTER_DOWNLOADS["csv"])))
    cells = [str(cell) for cell in grid[day_columns].iloc[:-1].to_numpy().ravel() if cell]
    shown = sum(len(cell.split("; ")) for cell in cells if not cell.startswith("away"))
    assert len(shifts) == shown and shifts["paid_hours"].sum() == pytest.approx(grid["hours"].iloc[-1])
    # a day away says so (data/absences.csv); it was an empty cell, as a day off is. Its reason is a code, said in
    # full in a key under the grid: "away (training)" was cut to "away (trai" in a day's 68 px at 1024 px. The
    # sample's reasons (sick, annual leave, training) each begin with a letter of their own: that letter is the code
    away = pd.read_csv(DATA / "absences.csv", parse_dates=["first_day", "last_day"])
    shown_week = IsoWeek.parse(page.selectbox(key=state.ROSTER_WEEK).value).dates()
    reasons = [row.reason for row in away.itertuples() if row.employee_id in set(mine["employee_id"])
               for day in shown_week if row.first_day.date() <= day <= row.last_day.date()]
    assert sorted(cell for cell in cells if cell.startswith("away")) == sorted(f"away ({r[0].upper()})" for r in reasons)
    assert [c.value for c in page.caption if c.value.startswith("Away:")] == (
        ["Away: " + ", ".join(f"{r[0].upper()} = {r}" for r in sorted(set(reasons))) + "."] if reasons else [])
    assert set(shifts["store_id"]) == {STORE} and shifts["start"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d").all()
    from icalendar import Calendar

    # a draft offers no calendars: a person importing its events would be given shifts nobody published
    assert not [b for b in page.get("download_button") if b.proto.id.endswith(state.ROSTER_DOWNLOADS["ics"])]
    assert any("come with publishing" in caption.value for caption in page.caption)
    page.button(key=state.ROSTER_PUBLISH).click().run()
    assert not page.exception
    assert any(box.value.startswith("Published roster") for box in page.success)
    person = page.selectbox(key=state.ROSTER_CALENDAR_PERSON).value
    events = Calendar.from_ical(_file(downloads, page, state.ROSTER_DOWNLOADS["ics"])).walk("VEVENT")
    assert len(events) == (shifts["employee_id"] == person).sum() > 0
    # then someone falls ill: the re-plan's changes are shown, and published only when asked
    week = page.selectbox(key=state.ROSTER_WEEK).value
    engine = storage.connect(Settings())
    published = storage.published_roster(engine, STORE, week)
    assert published is not None
    from planner.rostering.documents import saved_roster

    shifts = saved_roster(published).shifts
    first = shifts.sort_values("start").iloc[0]  # someone with a shift: their day changes
    day = first["start"].date()
    page.selectbox(key=state.ROSTER_REPLAN_PERSON).set_value(first["employee_id"])
    page.date_input(key=state.ROSTER_REPLAN_DAYS).set_value((day, day))
    page.button(key=state.ROSTER_REPLAN_RUN).click().run()
    assert not page.exception and not page.error
    (summary,) = [m.value for m in page.markdown if CHANGED.search(m.value)]
    # the premium's money named as every page names it ("19.50 in wages" named none)
    assert re.search(r"h \(wages of [\d,]+\.\d\d, in the currency of the store file's wages\)\.$",
                     summary.replace("\\", "")), summary
    changes = page.dataframe[2].value
    # what the planner acts on before the shift times: at 1024 px the premium and the notice window were off-screen
    # "Notice" ticked read as "notice was given", the opposite of what it meant: "Late" says it
    assert list(changes.columns) == ["Person", "Day", "Change", "Premium h", "Late", "Before", "After", "Past"]
    # and then "Before today" was: the table needed 868 px of 674 ("10:00-17:00 break 12:30"). Short headers, their
    # words in the help, and the shifts as the grid writes them ("10–14"; a moved break by its time)
    config = json.loads(page.dataframe[2].proto.columns)
    assert sum(config[name]["width"] for name in changes.columns) <= CONTENT_PX_AT_1024
    # a bare tick box says nothing of what a tick means: each help begins with it; "the roster rules' notice" named
    # no period to count it by: the chain's notice is said in days
    notice = storage.chain_settings_of(engine).roster.notice_days
    assert config["Late"]["help"].startswith("Ticked: the change comes at short notice, on a day less than "
                                             f"{counted(notice, 'day')} ahead of today"), config["Late"]["help"]
    assert config["Past"]["help"].startswith("Ticked: the shift is before today, kept as worked"), config["Past"]
    short = r"\d{1,2}(:\d\d)?–\d{1,2}(:\d\d)?(\+1)?"
    for kind, before, after in zip(changes["Change"], changes["Before"], changes["After"], strict=True):
        pattern = r"break \d{1,2}(:\d\d)?" if kind == "break moved" else short
        assert all(re.fullmatch(pattern, text) for text in (before, after) if text), (kind, before, after)

    def clock(moment) -> str:
        return f"{moment.hour}" if moment.minute == 0 else f"{moment.hour}:{moment.minute:02d}"

    own = changes[changes["Person"] == first["name"]]  # the sick person's shift of the day, as published
    assert list(own["Before"]) == [f"{clock(first['start'])}–{clock(first['end'])}"] and list(own["After"]) == [""]
    cancelled = changes[(changes["Change"] == "cancelled")]
    # the premiums are the chain's roster rules, and the page says where they are set
    rules = Settings().roster  # the sample's chain settings change only the roster's time limit (conftest)
    assert any(f"less than {rules.notice_days} days ahead" in c.value and "set on the Settings page" in c.value
               for c in page.caption)
    (link,) = [element for element in page.get("page_link") if "Settings page" in element.proto.label]
    assert link.proto.page == "settings"  # the Settings page's address in the router
    assert first["name"] in set(cancelled["Person"])
    assert storage.published_roster(engine, STORE, week).roster_id == published.roster_id  # nothing published yet
    from planner.access.scope import Scope

    from app_pages import signin

    planner = signin.session_scope  # the router asks it who is signed in at every run
    monkeypatch.setattr(signin, "session_scope",
                        lambda rules: Scope(user="mia", role="store_manager", stores=frozenset({STORE})))
    page.run()  # the store's manager sees the re-plan, but may not publish it (the button was live, then refused)
    replan_publish = page.button(key=state.ROSTER_REPLAN_PUBLISH)
    said = ("Publishing is for planners: ask one to re-plan the week and publish it (a re-plan is kept in this "
            "session only).")
    assert replan_publish.disabled and replan_publish.help == said
    assert said in [c.value for c in page.caption]  # beside the button, not in its hover only
    monkeypatch.setattr(signin, "session_scope", planner)  # the local planner again
    page.run()
    page.button(key=state.ROSTER_REPLAN_PUBLISH).click().run()
    assert not page.exception
    now = storage.published_roster(engine, STORE, week)
    assert now.roster_id != published.roster_id
    # the history names the person and the reason (it said "re-plan: S05-E03 away ...", the reason nowhere)
    assert now.note == f"re-plan: {first['name']} ({first['employee_id']}) away {day}, sick"
    stored = storage.load_absences(engine, [first["employee_id"]], day, day)
    assert len(stored) == 1  # the absence is kept for later rosters too
    after = saved_roster(now).shifts
    assert not ((after["employee_id"] == first["employee_id"]) & (after["start"].dt.date == day)).any()
    # the published re-plan's calendar of the sick person cancels the day's event their first calendar made
    page.selectbox(key=state.ROSTER_CALENDAR_PERSON).set_value(first["employee_id"]).run()
    events = Calendar.from_ical(_file(downloads, page, state.ROSTER_DOWNLOADS["ics"])).walk("VEVENT")
    assert [str(e["status"]) for e in events if e.decoded("dtstart").date() == day] == ["CANCELLED"]
    engine.dispose()


def test_hours_against_contract_show_this_week_s_minimum_beside_the_contract_s(page):
    """A person away two days showed a contract minimum of 16 h beside "0 below the minimum", which read as a
    mistake: the table shows this week's minimum (the contract's less each day away, a full day at the person's
    daily maximum), says how it is made, and measures the shortfall against it. Expected from the sample's files."""
    assert not page.exception and not page.error
    people = pd.read_csv(DATA / "employees.csv", keep_default_na=False).set_index("employee_id")
    away = pd.read_csv(DATA / "absences.csv", parse_dates=["first_day", "last_day"])
    week = IsoWeek.parse(page.selectbox(key=state.ROSTER_WEEK).value).dates()
    days_away = {row.employee_id: sum(row.first_day.date() <= day <= row.last_day.date() for day in week)
                 for row in away.itertuples()}
    table = page.dataframe[1].value  # as the table reads, and as its toolbar downloads it
    # the shortfall second: at 1024 px the table was cut after "This week's min h", hiding it
    assert list(table.columns) == ["Person", "Short h", "Paid h", "Min h this week", "Contract h", "Shifts",
                                   "Wishes unmet"]
    mine = people[(people["store_id"] == STORE) | people["also_stores"].str.contains(STORE)]
    person = dict(zip(person_labels(mine["name"], mine.index.to_series()), mine.index, strict=True))
    hours = table.set_index(table["Person"].map(person))
    daily_max = Settings().roster.max_hours_per_day  # the sample's people give no daily maximum of their own
    assert (people.loc[hours.index, "max_hours_per_day"] == "").all()
    expected = {person: max(0.0, people.loc[person, "contract_hours_min"] - days_away.get(person, 0) * daily_max)
                for person in hours.index}
    assert hours["Min h this week"].to_dict() == expected
    # to the tenth of an hour shown (the two columns the difference is taken of are rounded to it too)
    assert hours["Short h"].tolist() == pytest.approx([
        max(0.0, minimum - paid) for minimum, paid in zip(hours["Min h this week"], hours["Paid h"], strict=True)],
        abs=0.051)
    if any(days_away.get(person) for person in hours.index):  # the sample's absences fall in the week shown
        assert (hours["Min h this week"] < people.loc[hours.index, "contract_hours_min"]).any()
    shown = json.loads(page.dataframe[1].proto.columns)
    assert "the contract's minimum less each day away" in shown["Min h this week"]["help"]
    assert "hours below this week's minimum" in shown["Short h"]["help"]
    # "Week min h" and a bare "Wishes" of 0s and 1s read as jargon: each header says what it counts
    assert "wishes not met" in shown["Wishes unmet"]["help"]


def test_hostile_names_show_as_text_and_run_no_formula(downloads, roster_db_url, monkeypatch):
    """Two of the store's people renamed to markup and a spreadsheet formula: the grid and tables show them as
    written (their downloads escaped), no rendered text holds raw markup, and a hostile id makes no path of a
    calendar's file name."""
    from hostile import FORMULA, HOSTILE_NAME

    from planner.intake import import_files
    from planner.settings import ImportRules

    people = pd.read_csv(DATA / "employees.csv", dtype=str, keep_default_na=False)
    mine = people[people["store_id"] == STORE].copy()
    mine.iloc[0, mine.columns.get_loc("name")] = HOSTILE_NAME
    mine.iloc[1, mine.columns.get_loc("name")] = FORMULA
    mine.iloc[2, mine.columns.get_loc("employee_id")] = "../../etc/passwd"
    engine = storage.connect(Settings(database_url=roster_db_url))
    import_files(engine, [("renamed.csv", mine.to_csv(index=False).encode())], ImportRules())
    engine.dispose()
    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    _draft_asked(at.run())
    assert not at.exception and not at.error
    from test_app import _assert_tables_read_as_written, _on_screen

    names = set(at.dataframe[0].value["name"])  # as the toolbar downloads it
    assert "'" + FORMULA in names and HOSTILE_NAME in names and FORMULA not in names
    shown = set(_on_screen(at.dataframe[0])["name"])  # as the grid reads
    assert FORMULA in shown and HOSTILE_NAME in shown and "'" + FORMULA not in shown
    _assert_tables_read_as_written(at)
    for frame in (element.value for element in at.dataframe):
        for column in frame.select_dtypes(include=["object", "str"]):
            assert not frame[column].astype(str).str.startswith(("=", "+", "@")).any()
    rendered = [element.value for kind in ("markdown", "caption", "info", "success", "warning") for element in at.get(kind)]
    assert not [text for text in rendered if "<b>" in text or "](" in text or "**loud**" in text]
    at.button(key=state.ROSTER_PUBLISH).click().run()  # calendars come with publishing
    at.selectbox(key=state.ROSTER_CALENDAR_PERSON).set_value("../../etc/passwd").run()
    name = downloaded(downloads, at.download_button(key=state.ROSTER_DOWNLOADS["ics"])).filename
    # no path; the week, and a digest of the id (a name with characters replaced is kept apart from other ids)
    assert re.fullmatch(rf"shifts_______etc_passwd_{at.selectbox(key=state.ROSTER_WEEK).value}-[0-9a-f]{{8}}\.ics", name)


def test_a_replan_that_finds_no_roster_is_said_and_offers_nothing_to_publish(page, monkeypatch):
    """A re-plan that found no roster listed all 188 shifts as cancelled and offered the empty roster for publishing
    (and publishing it published an empty roster)."""
    from planner.rostering import replans
    from planner.roster.report import make_roster
    from planner.roster.result import INFEASIBLE, Replan

    def impossible(instance, published, rules, today, progress=None):
        return Replan(make_roster(instance, rules, INFEASIBLE, (), 0.0, 0.0, 0.0), (), today)

    page.button(key=state.ROSTER_PUBLISH).click().run()
    week = page.selectbox(key=state.ROSTER_WEEK).value
    engine = storage.connect(Settings())
    before = storage.published_roster(engine, STORE, week).roster_id
    monkeypatch.setattr(replans, "replan", impossible)
    page.button(key=state.ROSTER_REPLAN_RUN).click().run()
    assert not page.exception
    assert [box.value for box in page.error if box.value.startswith("No re-plan: No roster is possible")]
    assert not [button for button in page.button if button.key == state.ROSTER_REPLAN_PUBLISH]
    assert not [m.value for m in page.markdown if CHANGED.search(m.value)]
    assert storage.published_roster(engine, STORE, week).roster_id == before
    engine.dispose()


def test_a_replan_shows_its_status_as_the_cli_does_a_quick_one_as_a_warning(page, monkeypatch):
    """The CLI printed the re-plan's status ("Re-plan found in 1.3 s; within the rules no re-plan costs less ...
    (proven)"); the page never showed it, so a quick re-plan (a limit came before the solver's own) could be
    published unseen. Forced here: the roster limits leave the solver no time."""
    import dataclasses

    from planner.rostering import replans
    from planner.surfaces.roster import NEW_REPLAN

    real = replans.replan

    def hurried(instance, published, rules, today, progress=None):
        return real(instance, published, dataclasses.replace(rules, time_limit_seconds=1e-3,
                                                             deterministic_time_limit=1e-4), today, progress)

    page.button(key=state.ROSTER_PUBLISH).click().run()
    monkeypatch.setattr(replans, "replan", hurried)
    page.button(key=state.ROSTER_REPLAN_RUN).click().run()
    assert not page.exception
    said = page.session_state[state.ROSTER_LAST_REPLAN].result.roster.status_sentence
    assert said.startswith("Quick re-plan made in") or " Quick re-plan made in " in said, said
    assert [box.value for box in page.warning if box.value.replace("\\", "") == f"{NEW_REPLAN}: {said}"]


@pytest.mark.parametrize("notice_days", [1, 3, 14])
def test_the_late_column_s_help_names_the_notice_period_it_ticks_inside(notice_days):
    """The re-plan changes' Late column said a tick meant "less than the roster rules' notice ahead", and no period:
    the help names it, in days, as the Settings page sets it; Past says the shift is kept as worked."""
    from planner.surfaces.roster import replan_changes_help

    helps = replan_changes_help(notice_days)
    assert f"on a day less than {counted(notice_days, 'day')} ahead of today (the notice the roster rules give" \
        in helps["inside_notice"], helps["inside_notice"]
    assert "kept as worked" in helps["before_today"] and "before today" in helps["before_today"]
    assert set(helps) == {"premium_hours", "inside_notice", "before", "after", "before_today"}


def _default_week() -> str:
    """The week the page opens on for a planner: the week after this one."""
    return roster_data.week_choices(clock.today())[1]


def _cli(url: str, *argv: str) -> None:
    from planner import cli

    assert cli.main(["--database-url", url, *argv]) == EXIT_OK


def _plan_published(url: str, *options: str) -> None:
    _cli(url, "plan", "--store", STORE, "--week", _default_week(), *options, "--publish")


def _rostered(url: str, *options: str) -> None:
    _cli(url, "roster", "--store", STORE, "--week", _default_week(), *options)


STARTS = {
    "draft": lambda url: _rostered(url),
    "roster published": lambda url: _rostered(url, "--publish"),
    "plan and roster published": lambda url: (_plan_published(url), _rostered(url, "--publish")),
    "plan replaced under roster": lambda url: _plan_published(url, "--min-staff", "4"),
}
"""The starting states several tests share, each made on the command line from the roster sample (a draft of
STORE's default week by `roster`; a roster published by `roster --publish`; a plan then a roster published; and
that, with a second plan published over the first, with a higher floor) or, for the last, from the state before it
(`STARTED_FROM`)."""
STARTED_FROM = {"plan replaced under roster": "plan and roster published"}


@pytest.fixture(scope="module")
def started(roster_sample_db, tmp_path_factory):
    """`started(name, url)` makes the database at `url` the starting state `name` of `STARTS`, as the commands would
    have made it there: each state is made once for the module, into a database of its own, and copied whole over
    `url`'s (a test's `roster_db_url`, untouched yet) for each test that starts from it. The search and the plans
    behind a state are made once, not once a test."""
    made: dict[str, Path] = {}

    def make(name: str) -> Path:
        if name not in made:
            path = tmp_path_factory.mktemp(name.replace(" ", "_")) / "roster.db"
            before = STARTED_FROM.get(name)
            url = sqlite_copy(make(before) if before else roster_sample_db, path)
            said = io.StringIO()  # not into the output of the test that asked first
            try:
                with redirect_stdout(said), redirect_stderr(said):
                    STARTS[name](url)
            except AssertionError as refused:
                raise AssertionError(f"{name}: {said.getvalue()}") from refused
            made[name] = path
        return made[name]

    def start(name: str, url: str) -> str:
        sqlite_copy(make(name), Path(url.removeprefix("sqlite:///")))
        return _default_week()

    return start


def _publish_plan_and_roster(url: str, started) -> str:
    """Publish a plan and a roster of STORE for the page's default week (the week after this one); returns the week."""
    return started("plan and roster published", url)


def _roster_published(url: str, monkeypatch, started=None) -> str:
    """The app pointed at `url`, with a roster of STORE published from the command line for the page's default week
    (the week after this one); returns the week. Copied from the module's (`started`) where given, else published
    now (a test that changed the database first)."""
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    if started is None:
        _rostered(url, "--publish")
        return _default_week()
    return started("roster published", url)


def _sick_on_the_first_shift(engine, week, tmp_path):
    """An absence file: the person of the week's first published shift sick from that day on; and that day."""
    from planner.rostering import documents

    first = documents.published(engine, STORE, week).shifts.sort_values("start").iloc[0]
    day = first["start"].date()
    sick = tmp_path / "sick.csv"
    sick.write_text(f"employee_id,first_day,last_day,reason\n{first['employee_id']},{day},,sick\n", encoding="utf-8")
    return sick, day


def test_a_published_replan_warns_as_the_cli_does_once_its_plan_is_replaced(
        roster_db_url, monkeypatch, started, tmp_path):
    """The page said nothing of a roster whose plan had been replaced; it now says what `roster --show` finds:
    nothing for a re-plan of a roster made from the plan in force, the plan that replaced it once another is
    published, with the page's way on (its re-plan to follow it, or a new draft)."""
    import datetime as dt

    from planner import cli
    from planner.rostering import documents, standing

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = _publish_plan_and_roster(roster_db_url, started)
    engine = storage.connect(Settings(database_url=roster_db_url))
    sick, day = _sick_on_the_first_shift(engine, week, tmp_path)
    assert cli.main(["--database-url", roster_db_url, "roster", "replan", "--absence", str(sick), "--today",
                     str(day - dt.timedelta(days=1)), "--publish"]) == EXIT_OK
    saved = documents.published(engine, STORE, week)
    assert saved.requirement_source.startswith("the re-plan of the published roster ")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception and any(box.value.startswith(f"Published roster {saved.roster_id}") for box in at.success)
    replanned = saved.requirement_source.removeprefix("the re-plan of the published roster ")
    assert [box.value.replace("\\", "") for box in at.success] == [  # it read "(requirement: the re-plan of the ...)"
        f"Published roster {saved.roster_id} (requirement: as re-planned from published roster {replanned}; "
        f"{saved.note})"]
    assert not at.warning  # the plan it was made from is still the week's
    assert cli.main(["--database-url", roster_db_url, "plan", "--store", STORE, "--week", week,
                     "--publish"]) == EXIT_OK
    since = standing.requirement_since(engine, Settings(database_url=roster_db_url), saved)
    assert since.startswith("made from plan ") and "which the published plan" in since and "has replaced" in since
    at.run()
    assert not at.exception
    # the CLI's finding, with the page's way on: its least-change re-plan (unescaped)
    (warned,) = [box.value.replace("\\", "") for box in at.warning]
    replaced = since.split(": roster the week again")[0]
    assert warned.startswith(replaced[0].upper() + replaced[1:] + ": re-plan it to follow the requirement in force"), \
        warned
    assert "(Re-plan to follow it, below)" in warned and "(Make a new draft)" in warned, warned
    engine.dispose()


def test_a_sessions_unsaved_settings_put_no_published_plan_out_of_date_on_the_roster_page(
        roster_db_url, monkeypatch, started):
    """The Roster page judged the published plan against the session's unsaved settings: a planner who changed Target
    wait on the Settings page, without saving, read "its plan N is out of date: the chain's settings changed since",
    where `roster --show` and the Plans page call it as made. It is judged against the chain's saved settings."""
    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    _publish_plan_and_roster(roster_db_url, started)
    engine = storage.connect(Settings(database_url=roster_db_url))
    unsaved = storage.chain_settings_of(engine).with_targets(target_wait_seconds=20.0)
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at.session_state[state.SETTINGS] = unsaved  # as the Settings page keeps an unsaved change
    at = at.switch_page(PAGE).run()
    assert not at.exception and any(box.value.startswith("Published roster") for box in at.success)
    assert not [box.value for box in at.warning if "out of date" in box.value]


def test_a_published_roster_warns_when_the_roster_rules_changed_since_it_was_made(roster_db_url, monkeypatch, started):
    """The page said nothing when the chain's roster rules changed after the roster was published; it now says what
    `roster --show` says, from the same function, and calls no plan out of date."""
    import dataclasses

    from planner.rostering import documents, standing

    week = _roster_published(roster_db_url, monkeypatch, started)
    engine = storage.connect(Settings(database_url=roster_db_url))
    chain = storage.chain_settings_of(engine)
    storage.save_settings(engine, dataclasses.replace(chain, roster=dataclasses.replace(chain.roster,
                                                                                        max_hours_per_day=9.0)),
                          "test")
    since = standing.rules_since(storage.chain_settings_of(engine), documents.published(engine, STORE, week))
    assert since.startswith("the roster rules changed since this roster was made: ") and "10 -> 9" in since
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception
    assert [box.value.replace("\\", "") for box in at.warning] == [since[0].upper() + since[1:] + "."]
    engine.dispose()


def test_a_published_roster_warns_when_the_store_s_time_zone_changed_since_it_was_made(roster_db_url, monkeypatch,
                                                                                        downloads):
    """A roster's shifts are clock times in its store's time zone; the page said nothing when the zone changed after
    the roster was published (and offered its calendars in the new zone). It now says what `roster --show` says,
    naming both zones, and offers the calendars on the zone the roster was made under, as its caption says."""
    import dataclasses

    engine = storage.connect(Settings(database_url=roster_db_url))

    def chain_zone(zone: str) -> None:
        chain = storage.chain_settings_of(engine)
        storage.save_settings(engine, dataclasses.replace(chain, chain=dataclasses.replace(chain.chain,
                                                                                           time_zone=zone)), "test")

    chain_zone("Europe/Berlin")
    _roster_published(roster_db_url, monkeypatch)
    chain_zone("Europe/London")
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception
    assert [box.value.replace("\\", "") for box in at.warning] == [
        "The store's time zone changed since this roster was made: Europe/Berlin -> Europe/London: roster the week "
        "again to follow it."]
    from icalendar import Calendar

    events = Calendar.from_ical(_file(downloads, at, state.ROSTER_DOWNLOADS["ics"])).walk("VEVENT")
    assert events and {event.decoded("dtstart").tzinfo.key for event in events} == {"Europe/Berlin"}
    assert any(caption.value.endswith("in its time zone Europe/Berlin.") for caption in at.caption)


def test_a_quick_roster_is_published_only_once_the_planner_confirms_it_as_it_is(roster_db_url, monkeypatch):
    """The page published the quick roster (a busy machine's, hours short) with one click, as a complete one. Forced
    here: the chain's roster limits leave the solver no time. The page says what is incomplete and what would do
    better, and its Publish button waits for "Publish it as it is"."""
    import dataclasses

    engine = storage.connect(Settings(database_url=roster_db_url))
    from planner.settings import settings_from_dict

    settings = settings_from_dict(storage.load_settings(engine))
    storage.save_settings(engine, dataclasses.replace(settings, roster=dataclasses.replace(
        settings.roster, time_limit_seconds=1e-3, deterministic_time_limit=1e-4)), "test")
    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = _draft_asked(at.switch_page(PAGE).run())
    assert not at.exception
    (warned,) = [box.value for box in at.warning if "quick roster" in box.value]
    assert warned.startswith("It is the quick roster") and "To do better, roster the week again" in warned
    assert at.button(key=state.ROSTER_PUBLISH).disabled
    week = at.selectbox(key=state.ROSTER_WEEK).value
    assert storage.published_roster(engine, STORE, week) is None
    at.checkbox(key=state.roster_publish_anyway(STORE, week)).check().run()
    assert not at.button(key=state.ROSTER_PUBLISH).disabled
    at.button(key=state.ROSTER_PUBLISH).click().run()
    assert not at.exception and any(box.value.startswith("Published roster") for box in at.success)
    assert storage.published_roster(engine, STORE, week) is not None
    engine.dispose()


def test_a_week_that_ended_while_shown_stays_offered_first():
    """The page's weeks follow `planner.clock.today`: once it passed the shown week's Sunday, the page moved to this
    week under the person (and searched a roster for it). The ended week stays, first; a week still offered, one
    long ahead or not a week changes nothing."""
    import datetime as dt

    monday = dt.date(2026, 12, 14)  # of 2026-W51; 2026 has a week 53 (its 1 January was a Thursday)
    offered = ["2026-W51", "2026-W52", "2026-W53", "2027-W01", "2027-W02", "2027-W03", "2027-W04", "2027-W05",
               "2027-W06"]
    assert roster_data.week_choices(monday) == offered
    assert roster_data.week_choices(monday + dt.timedelta(days=6), "2026-W50") == ["2026-W50", *offered]
    for shown in ("2026-W51", "2026-W53", "2027-W20", "2026-W99", "next week"):
        assert roster_data.week_choices(monday, shown) == offered, shown


def test_a_week_that_is_over_offers_no_publish_button_and_says_why(page, monkeypatch):
    """Once the week was over (by `planner.clock.today`, the date `roster --publish` is refused by), the page
    still offered Publish this roster and Publish the re-plan, enabled; a press was refused with a message. Both are
    disabled now, the reason beside them in the words the CLI refuses with."""
    import datetime as dt

    week = page.selectbox(key=state.ROSTER_WEEK).value
    assert not page.button(key=state.ROSTER_PUBLISH).disabled  # a week to come
    page.button(key=state.ROSTER_PUBLISH).click().run()
    page.button(key=state.ROSTER_REPLAN_RUN).click().run()
    assert not page.exception and not page.button(key=state.ROSTER_REPLAN_PUBLISH).disabled
    sunday = IsoWeek.parse(week).dates()[-1]
    said = f"Cannot be published: {week} (ended {sunday:%a %d %b %Y}) is over, and its published roster is the record"
    assert not [c for c in page.caption if c.value.startswith("Cannot be published")]
    monkeypatch.setenv("PLANNER_TODAY", str(sunday + dt.timedelta(days=1)))
    page.run()
    assert not page.exception and not page.error
    button = page.button(key=state.ROSTER_REPLAN_PUBLISH)
    assert button.disabled and button.help.startswith(f"{week} (ended")
    assert [c for c in page.caption if c.value.replace("\\", "").startswith(said)]
    page.button(key=state.ROSTER_REMAKE).click().run()  # a new draft of the week
    assert not page.exception and any("Draft, not published" in box.value for box in page.info)
    assert page.button(key=state.ROSTER_PUBLISH).disabled
    assert page.button(key=state.ROSTER_PUBLISH).help.startswith(f"{week} (ended")
    assert [c for c in page.caption if c.value.replace("\\", "").startswith(said)]


def test_a_store_manager_is_told_beside_the_publish_button_that_publishing_is_for_planners(page, monkeypatch):
    """A manager saw "Publish this roster" greyed out with the reason in its hover only: it is said beside it."""
    from app_pages import signin
    from planner.access.scope import Scope

    monkeypatch.setattr(signin, "session_scope",
                        lambda rules: Scope(user="mia", role="store_manager", stores=frozenset({STORE})))
    page.run()
    page.button(key=state.ROSTER_DRAFT_ASKED).click().run()  # nothing published: a draft only when asked for
    assert not page.exception and any("Draft, not published" in box.value for box in page.info)
    week = page.selectbox(key=state.ROSTER_WEEK).value
    said = f"Publishing is for planners: ask one to publish the roster of {STORE} for {week}."
    button = page.button(key=state.ROSTER_PUBLISH)
    assert button.disabled and button.help == said
    assert said in [c.value for c in page.caption]


def _listed_drafts(at: AppTest) -> list[str]:
    """The saved drafts' lines as the page lists them ("Roster 2, made ... by bea; not stale. Best roster ...")."""
    return [line.removeprefix("- ").replace("\\", "") for m in at.markdown if m.value.startswith("- **Roster ")
            for line in m.value.splitlines()]


def _page_words(at: AppTest) -> list[str]:
    """What the page says, hovers included: its text elements and every button's help."""
    return [element.value.replace("\\", "") for kind in (at.markdown, at.caption, at.info, at.warning, at.success)
            for element in kind] + [button.help for button in at.button if button.help]


def test_a_store_manager_reads_who_publishes_where_a_planner_reads_until_you_publish(
        roster_db_url, monkeypatch, started):
    """Beside a published roster a store manager read "the published roster stays until you publish the draft" in
    the hover of Make a new draft, and "Nothing is published until you publish the re-plan" under the re-plan,
    though a store manager cannot publish. They read who publishes; a planner still reads "until you publish"."""
    from planner.access.scope import Scope

    from app_pages import signin

    _roster_published(roster_db_url, monkeypatch, started)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception and any(box.value.startswith("Published roster") for box in at.success)
    assert at.button(key=state.ROSTER_REMAKE).help.endswith("the published roster stays until you publish the draft.")
    assert len([words for words in _page_words(at) if "until you publish" in words]) == 2  # the hover, the re-plan
    planner = signin.session_scope
    monkeypatch.setattr(signin, "session_scope",
                        lambda rules: Scope(user="mia", role="store_manager", stores=frozenset({STORE})))
    at.run()
    assert not at.exception and not at.error
    assert [words for words in _page_words(at) if "you publish" in words] == []
    assert at.button(key=state.ROSTER_REMAKE).help.endswith(
        "the published roster stays until a planner publishes the draft.")
    assert [words for words in _page_words(at) if "Nothing is published until a planner publishes the re-plan." in words]
    monkeypatch.setattr(signin, "session_scope", planner)


def test_a_saved_draft_s_status_is_said_once(roster_db_url, monkeypatch, started):
    """A saved draft's status ("Best roster found in 3.7 s; ...") was said in its line of the saved drafts and again
    right under "Saved draft 1, not published": said once, in its line."""

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = roster_data.week_choices(clock.today())[1]  # the page's default week
    assert started("draft", roster_db_url) == week  # as `roster --store STORE --week WEEK` saves it
    engine = storage.connect(Settings(database_url=roster_db_url))
    (draft,) = storage.list_rosters(engine, STORE, week)["roster_id"]
    status = json.loads(storage.load_roster(engine, int(draft)).document)["status_sentence"]
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    assert any(box.value.startswith(f"Saved draft {draft}, not published") for box in at.info)
    assert len([words for words in _page_words(at) if status in words]) == 1
    (listed,) = _listed_drafts(at)
    assert listed.endswith(status)


def test_a_draft_saved_on_the_command_line_is_listed_shown_and_published_as_it_was_saved(
        roster_db_url, monkeypatch, started):
    """`roster` said "saved as roster 2 (draft ...)", but the page showed only the published roster 1 and Make a new
    draft (a new search, whose roster may differ): the draft could be neither found nor published in the app. The
    page lists the store-week's drafts (id, made when and by whom, status, stale or not), shows one and publishes it
    as it was saved (`rosters publish ID`'s function): no roster is made, and roster 1 is kept as superseded."""
    from planner.rostering import documents

    week = _roster_published(roster_db_url, monkeypatch, started)
    engine = storage.connect(Settings(database_url=roster_db_url))
    first = storage.published_roster(engine, STORE, week)
    # a draft saved later, as `roster` without --publish saves one (the same shifts will do: no second search)
    draft = storage.save_roster(engine, STORE, week, first.document, "bea", "second look")
    (made,) = storage.list_rosters(engine, STORE, week).query("roster_id == @draft")["created_at"]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    status = documents.saved_roster(first).status_sentence
    assert _listed_drafts(at) == [f"**Roster {draft}**, made {made:%Y-%m-%d %H:%M} UTC by bea; not stale. {status}"]
    assert any(box.value.startswith(f"Published roster {first.roster_id}") for box in at.success)  # shown as before
    shown = at.selectbox(key=state.ROSTER_SAVED_DRAFT)
    assert shown.options == [f"the published roster {first.roster_id}", f"saved draft {draft}"] and shown.value == 0
    shown.set_value(draft).run()
    assert not at.exception and not at.error
    (said,) = [box.value for box in at.info if box.value.startswith(f"Saved draft {draft}, not published")]
    assert f"The published roster {first.roster_id} stays until you publish this one." in said
    assert not at.warning and not at.checkbox  # complete and not stale: nothing to confirm
    assert not [b for b in at.button if b.key in (state.ROSTER_REMAKE, state.ROSTER_REPLAN_RUN)]  # the draft alone
    grid = at.dataframe[0].value
    assert grid["hours"].iloc[-1] == pytest.approx(documents.saved_roster(first).shifts["paid_hours"].sum())
    button = at.button(key=state.ROSTER_SAVED_PUBLISH)
    assert not button.disabled
    button.click().run()
    assert not at.exception and not at.error
    statuses = storage.list_rosters(engine, STORE, week).set_index("roster_id")["status"].to_dict()
    assert statuses == {first.roster_id: "superseded", draft: "published"}  # no roster made, the draft published
    assert storage.load_roster(engine, draft).document == first.document  # as it was saved
    assert any(box.value.startswith(f"Published roster {draft}") for box in at.success)
    assert not _listed_drafts(at) and not [b for b in at.selectbox if b.key == state.ROSTER_SAVED_DRAFT]
    engine.dispose()


def test_a_stale_draft_is_published_only_once_confirmed_and_never_by_a_store_manager(
        roster_db_url, monkeypatch, started):
    """A draft made before the chain's roster rules changed (at most 48 paid hours a week, now 44) is listed as
    stale, in the words `rosters publish ID` refuses it with; Publish this draft waits for "Publish it as it is"
    beside the reason. A store manager sees the drafts, the publish control disabled and why beside it; a week that
    is over offers none."""
    import dataclasses
    import datetime as dt

    from planner import clock
    from planner.rostering import publishing
    from planner.access.scope import Scope

    from app_pages import signin

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = roster_data.week_choices(clock.today())[1]  # the page's default week
    assert started("draft", roster_db_url) == week  # as `roster --store STORE --week WEEK` saves it
    engine = storage.connect(Settings(database_url=roster_db_url))
    (draft,) = storage.list_rosters(engine, STORE, week)["roster_id"]
    chain = storage.chain_settings_of(engine)
    assert chain.roster.max_hours_per_week == 48
    storage.save_settings(engine, dataclasses.replace(chain, roster=dataclasses.replace(
        chain.roster, max_hours_per_week=44.0)), "test")
    stale = "the roster rules changed since it was made: Most paid hours a week (hours) 48 -> 44"
    with pytest.raises(publishing.PublishCaution, match="It is stale"):  # as `rosters publish ID` refuses it
        publishing.publish_saved_roster(engine, storage.chain_settings_of(engine), int(draft), "test")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at.session_state[state.ROSTER_SAVED_DRAFT] = int(draft)
    at = at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    (listed,) = _listed_drafts(at)
    assert listed.startswith(f"**Roster {draft}**, made ") and f"; stale: {stale}. " in listed
    (warned,) = [box.value.replace("\\", "") for box in at.warning]
    assert warned.startswith(f"It is stale: {stale}. ")
    button = at.button(key=state.ROSTER_SAVED_PUBLISH)
    assert button.disabled and button.help == "Tick 'Publish it as it is' first."
    planner = signin.session_scope  # the router asks it who is signed in at every run
    monkeypatch.setattr(signin, "session_scope",
                        lambda rules: Scope(user="mia", role="store_manager", stores=frozenset({STORE})))
    at.run()
    assert not at.exception and _listed_drafts(at) == [listed]  # the manager sees the drafts
    said = f"Publishing is for planners: ask one to publish draft {draft} of {STORE} for {week}."
    button = at.button(key=state.ROSTER_SAVED_PUBLISH)
    assert button.disabled and button.help == said and said in [c.value for c in at.caption]
    assert at.checkbox(key=state.roster_saved_publish_anyway(draft)).disabled
    monkeypatch.setattr(signin, "session_scope", planner)
    sunday = IsoWeek.parse(week).dates()[-1]
    monkeypatch.setenv("PLANNER_TODAY", str(sunday + dt.timedelta(days=1)))
    at.run()
    button = at.button(key=state.ROSTER_SAVED_PUBLISH)
    assert button.disabled and button.help.startswith(f"{week} (ended")
    assert [c for c in at.caption if c.value.replace("\\", "").startswith(f"Cannot be published: {week} (ended")]
    monkeypatch.setenv("PLANNER_TODAY", TODAY)
    at.run().checkbox(key=state.roster_saved_publish_anyway(draft)).check().run()
    assert not at.button(key=state.ROSTER_SAVED_PUBLISH).disabled
    at.button(key=state.ROSTER_SAVED_PUBLISH).click().run()
    assert not at.exception and not at.error
    assert storage.published_roster(engine, STORE, week).roster_id == draft
    assert list(storage.list_rosters(engine, STORE, week)["roster_id"]) == [draft]  # no roster made
    engine.dispose()


def test_a_week_with_only_saved_drafts_opens_on_the_newest_and_a_new_search_is_kept_once_chosen(roster_db_url,
                                                                                                  monkeypatch, started):
    """A week rostered with `roster` (two drafts, nothing published) was rostered again on opening the page: a new
    search, shown as "Draft, not published", with the saved drafts offered only in the Show box. The page opens on
    the newest draft as saved, with its publish controls, and searches only when "a new draft (a new search)" is
    chosen; that choice holds through reruns and a visit to another page, until a draft is chosen again."""
    from planner.rostering import store_week

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = roster_data.week_choices(clock.today())[1]  # the page's default week
    assert started("draft", roster_db_url) == week  # as `roster --store STORE --week WEEK` saves it
    engine = storage.connect(Settings(database_url=roster_db_url))
    (first,) = storage.list_rosters(engine, STORE, week)["roster_id"]
    newest = storage.save_roster(engine, STORE, week, storage.load_roster(engine, int(first)).document, "bea")
    searches = []
    make_roster = store_week.make_roster
    monkeypatch.setattr(store_week, "make_roster", lambda *args, **kwargs: searches.append(args[2:4]) or
                        make_roster(*args, **kwargs))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    assert at.selectbox(key=state.ROSTER_SAVED_DRAFT).value == newest
    assert any(box.value.startswith(f"Saved draft {newest}, not published") for box in at.info)
    assert not [box for box in at.info if box.value.startswith("Draft, not published")]
    assert not at.button(key=state.ROSTER_SAVED_PUBLISH).disabled
    assert searches == []  # the draft as saved: no search
    shown = at.selectbox(key=state.ROSTER_SAVED_DRAFT)
    assert shown.options[0] == "a new draft (a new search)"
    shown.set_value(0).run()
    assert not at.exception and not at.error
    assert any(box.value.startswith("Draft, not published") for box in at.info) and searches == [(STORE, week)]
    for _ in range(2):  # the choice is kept through reruns
        at.run()
        assert at.selectbox(key=state.ROSTER_SAVED_DRAFT).value == 0
        assert any(box.value.startswith("Draft, not published") for box in at.info)
    at.switch_page("app_pages/settings.py").run()  # and through another page, which forgets the box's own key
    at.switch_page(PAGE).run()
    assert not at.exception and at.selectbox(key=state.ROSTER_SAVED_DRAFT).value == 0
    assert any(box.value.startswith("Draft, not published") for box in at.info)
    at.selectbox(key=state.ROSTER_SAVED_DRAFT).set_value(int(first)).run()  # a draft chosen again
    assert any(box.value.startswith(f"Saved draft {first}, not published") for box in at.info)
    at.switch_page("app_pages/settings.py").run()
    at.switch_page(PAGE).run()
    assert at.selectbox(key=state.ROSTER_SAVED_DRAFT).value == newest  # the newest, as on opening
    at.button(key=state.ROSTER_SAVED_PUBLISH).click().run()
    assert not at.exception and not at.error
    assert storage.published_roster(engine, STORE, week).roster_id == newest
    engine.dispose()


def test_a_new_search_chosen_over_saved_drafts_gives_way_to_a_roster_published_since(roster_db_url, monkeypatch):
    """A planner chose "a new draft (a new search)" over a week's saved drafts, nothing being published; another
    planner then published the week on the command line. The choice stayed, and her next run showed the new draft
    ("Draft, not published") as one to publish over the roster just published, the published roster nowhere: the
    choice was of a new search instead of a saved draft, not of a draft beside a published roster. The page shows
    the published roster, and searches nothing."""
    from planner import cli

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = roster_data.week_choices(clock.today())[1]  # the page's default week
    assert cli.main(["--database-url", roster_db_url, "roster", "--store", STORE, "--week", week]) == EXIT_OK
    engine = storage.connect(Settings(database_url=roster_db_url))
    (draft,) = storage.list_rosters(engine, STORE, week)["roster_id"]
    searches = _searches_recorded(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    at.selectbox(key=state.ROSTER_SAVED_DRAFT).set_value(0).run()  # a new draft (a new search)
    assert not at.exception and any(box.value.startswith("Draft, not published") for box in at.info)
    assert searches == [(STORE, week)]
    assert cli.main(["--database-url", roster_db_url, "rosters", "publish", str(draft)]) == EXIT_OK
    assert storage.published_roster(engine, STORE, week).roster_id == draft
    engine.dispose()
    at.run()
    assert not at.exception and not at.error
    assert any(box.value.startswith(f"Published roster {draft} ") for box in at.success)
    assert not [box for box in at.info if box.value.startswith("Draft, not published")]
    assert searches == [(STORE, week)]


def test_the_roster_page_rosters_re_plans_and_judges_rules_with_the_chains_saved_settings(roster_db_url,
                                                                                          monkeypatch):
    """With Most paid hours a week set from 48 to 40 on the Settings page and not saved, the Roster page made and
    published a roster with 40, and called the roster `roster --show` calls current "made before the roster rules
    changed". It rosters with the chain's saved rules, as `roster` does, judges a roster against them, and says the
    session's unsaved changes are not used."""
    import dataclasses

    from planner.rostering import documents, standing

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = roster_data.week_choices(clock.today())[1]  # the page's default week
    engine = storage.connect(Settings(database_url=roster_db_url))
    chain = storage.chain_settings_of(engine)
    assert chain.roster.max_hours_per_week == 48
    unsaved = dataclasses.replace(chain, roster=dataclasses.replace(
        chain.roster, max_hours_per_week=40.0,
        premium_hours_cancelled_shift=chain.roster.premium_hours_cancelled_shift + 1),
        simulation=dataclasses.replace(chain.simulation, replications=60))  # no roster is made with it: not named
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at.session_state[state.SETTINGS] = unsaved  # as the Settings page keeps an unsaved change
    at = _draft_asked(at.switch_page(PAGE).run())
    assert not at.exception and not at.error
    (note,) = [box.value.replace("\\", "") for box in at.info if box.value.startswith("This session's settings")]
    assert "Most paid hours a week (hours) 48 -> 40" in note and "follow the chain's saved settings" in note
    assert "Simulated weeks" not in note, note
    at.button(key=state.ROSTER_PUBLISH).click().run()
    assert not at.exception and not at.error
    published = documents.published(engine, STORE, week)
    assert published is not None
    assert standing.rules_since(chain, published) == ""  # made with the chain's rules, as `roster --show` judges
    assert standing.rules_since(unsaved, published) != ""
    assert any(box.value.startswith(f"Published roster {published.roster_id}") for box in at.success)
    assert not [box for box in at.warning if "roster rules changed" in box.value]
    (premiums,) = [c.value for c in at.caption if c.value.startswith("Changes as few published shifts")]
    assert f"premium: {chain.roster.premium_hours_cancelled_shift:g} h of pay for a cancelled shift" in premiums
    engine.dispose()


def test_the_saved_drafts_box_is_named_as_the_re_plan_hint_names_it_with_one_draft_too(
        roster_db_url, monkeypatch, started):
    """The box read "Saved draft" over one draft while the re-plan's refusal sends the planner to "Publish this draft
    under Saved drafts on the Roster page": the box is named as the hint names it, whatever the count, and the count
    is said in words that agree with it."""
    from types import SimpleNamespace

    from planner.rostering import replans
    from planner.access.scope import EVERYTHING

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = roster_data.week_choices(clock.today())[1]  # the page's default week
    assert started("draft", roster_db_url) == week  # as `roster --store STORE --week WEEK` saves it
    hint = replans._publish_first(EVERYTHING, SimpleNamespace(roster_id=1, store_id=STORE, iso_week=week))
    (box,) = re.findall(r"under ([A-Z][a-z]+ [a-z]+) on the Roster page", hint)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    (heading,) = [m.value for m in at.markdown if m.value.startswith("**Saved")]
    assert heading.startswith(f"**{box}** of {STORE} for {week}: 1 draft made with `roster`"), heading
    assert "newest first" not in heading  # of one draft, nothing to order


def test_a_stale_draft_s_refusal_names_the_page_s_own_ways_on_and_the_command_line_keeps_its(roster_db_url,
                                                                                           monkeypatch, started):
    """Beside Publish this draft, a stale draft's refusal said only "a new draft would follow what changed", and
    where it went stale after the page listed it, the refusal told the planner to run `roster --store ...` on the
    command line. Both name the page's ways now: Show's new draft and the tick that publishes it as it is, as the
    page labels them; `rosters publish ID` keeps the command."""
    import dataclasses

    from planner.rostering import publishing

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = roster_data.week_choices(clock.today())[1]  # the page's default week
    assert started("draft", roster_db_url) == week  # as `roster --store STORE --week WEEK` saves it
    engine = storage.connect(Settings(database_url=roster_db_url))
    (draft,) = storage.list_rosters(engine, STORE, week)["roster_id"]
    listed = roster_data.saved_drafts(STORE, week)  # as the page reads it before the rules change
    assert not listed[0].stale
    chain = storage.chain_settings_of(engine)
    storage.save_settings(engine, dataclasses.replace(chain, roster=dataclasses.replace(
        chain.roster, max_hours_per_week=44.0)), "test")
    command = f"roster --store {STORE} --week {week}"
    with pytest.raises(publishing.PublishCaution, match=re.escape(f"Make a new roster of the week ({command})")):
        publishing.publish_saved_roster(engine, storage.chain_settings_of(engine), int(draft), "test")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    new_search = at.selectbox(key=state.ROSTER_SAVED_DRAFT).options[0]
    tick = at.checkbox(key=state.roster_saved_publish_anyway(draft)).label
    (warned,) = [box.value.replace("\\", "") for box in at.warning]
    assert warned.startswith("It is stale: the roster rules changed since it was made")
    assert f"(Show: {new_search})" in warned and f"tick '{tick}'" in warned, warned
    assert "roster --store" not in warned
    # gone stale after the page listed it: the refusal, shown on the page, names the same ways
    monkeypatch.setattr(roster_data, "saved_drafts", lambda store_id, iso_week: listed)
    at.run()
    assert not at.warning
    at.button(key=state.ROSTER_SAVED_PUBLISH).click().run()
    (refused,) = [box.value.replace("\\", "") for box in at.error]
    assert refused.startswith(f"roster {draft} ({STORE} {week}) is not published, it stays a draft. It is stale")
    assert f"(Show: {new_search})" in refused and f"tick '{tick}'" in refused and "roster --store" not in refused
    assert storage.published_roster(engine, STORE, week) is None
    engine.dispose()


def test_a_stale_draft_s_refusal_asks_no_store_manager_to_tick_or_publish(roster_db_url, monkeypatch, started):
    """A store manager shown a stale draft was told to "tick 'Publish it as it is' to publish this draft as it is" and
    to make a new draft "and publish that", beside the tick and the button the page disables for them, and that the
    published roster "stays until you publish this one". They read the page's ways that are theirs (Show's new
    draft), and that publishing is a planner's; a planner keeps the tick."""
    import dataclasses

    from planner import cli
    from planner.access.scope import Scope

    from app_pages import signin

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = roster_data.week_choices(clock.today())[1]  # the page's default week
    assert started("draft", roster_db_url) == week  # as `roster --store STORE --week WEEK` saves it
    assert cli.main(["--database-url", roster_db_url, "roster", "--store", STORE, "--week", week,
                     "--publish-anyway"]) == EXIT_OK
    engine = storage.connect(Settings(database_url=roster_db_url))
    published = storage.published_roster(engine, STORE, week).roster_id
    (draft,) = [r for r in storage.list_rosters(engine, STORE, week)["roster_id"] if r != published]
    chain = storage.chain_settings_of(engine)
    storage.save_settings(engine, dataclasses.replace(chain, roster=dataclasses.replace(
        chain.roster, max_hours_per_week=44.0)), "test")
    monkeypatch.setattr(signin, "session_scope",
                        lambda rules: Scope(user="mia", role="store_manager", stores=frozenset({STORE})))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    at.selectbox(key=state.ROSTER_SAVED_DRAFT).set_value(int(draft)).run()  # beside the published roster shown first
    assert not at.exception and not at.error
    tick = at.checkbox(key=state.roster_saved_publish_anyway(draft))
    assert tick.disabled and at.button(key=state.ROSTER_SAVED_PUBLISH).disabled
    (warned,) = [box.value.replace("\\", "") for box in at.warning]
    assert warned.startswith("It is stale: the roster rules changed since it was made")
    assert tick.label not in warned and "publish that" not in warned, warned
    assert "Make a new draft" in warned and "planner" in warned, warned
    (shown,) = [box.value for box in at.info if box.value.startswith(f"Saved draft {draft}")]
    assert "until you publish" not in shown and f"roster {published} stays" in shown, shown
    (heading,) = [m.value for m in at.markdown if m.value.startswith("**Saved")]
    assert "Show one to read it. " in heading and "publish it exactly" not in heading, heading
    engine.dispose()


def test_a_publish_as_it_is_tick_given_for_one_roster_is_not_carried_to_the_next_shown(
        roster_db_url, monkeypatch, started):
    """'Publish it as it is' had one key for every roster the page showed: ticked for stale draft 2, it stood ticked
    beside stale draft 1 once Show chose that, and beside another week's quick roster once the week changed, so
    Publish published a roster nobody had confirmed. One tick per roster, as the Plans page keys its tick per plan."""
    import dataclasses

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    weeks = roster_data.week_choices(clock.today())
    week = weeks[1]  # the page's default week
    assert started("draft", roster_db_url) == week  # as `roster --store STORE --week WEEK` saves it
    engine = storage.connect(Settings(database_url=roster_db_url))
    (older,) = (int(r) for r in storage.list_rosters(engine, STORE, week)["roster_id"])
    # a second draft of the week: the first saved again (a second search would find what the first did)
    newer = storage.save_roster(engine, STORE, week, storage.load_roster(engine, older).document, "bea")
    assert newer > older
    chain = storage.chain_settings_of(engine)
    storage.save_settings(engine, dataclasses.replace(chain, roster=dataclasses.replace(  # both drafts stale, and
        chain.roster, max_hours_per_week=44.0, time_limit_seconds=1e-3, deterministic_time_limit=1e-4)), "test")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)  # a new search the quick roster
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert at.selectbox(key=state.ROSTER_SAVED_DRAFT).value == newer  # opens on the newest draft
    [tick] = [box for box in at.checkbox if box.label == "Publish it as it is"]
    tick.check().run()
    assert not at.button(key=state.ROSTER_SAVED_PUBLISH).disabled
    at.selectbox(key=state.ROSTER_SAVED_DRAFT).set_value(older).run()
    assert not at.exception
    assert any(box.value.startswith(f"Saved draft {older}") for box in at.info)
    [tick] = [box for box in at.checkbox if box.label == "Publish it as it is"]
    assert not tick.value and at.button(key=state.ROSTER_SAVED_PUBLISH).disabled
    # a new search's quick roster, ticked, then another week's
    at.selectbox(key=state.ROSTER_SAVED_DRAFT).set_value(0).run()
    [tick] = [box for box in at.checkbox if box.label == "Publish it as it is"]
    tick.check().run()
    assert not at.button(key=state.ROSTER_PUBLISH).disabled
    _draft_asked(at.selectbox(key=state.ROSTER_WEEK).set_value(weeks[2]).run())  # nothing of it made: asked for
    assert not at.exception
    [tick] = [box for box in at.checkbox if box.label == "Publish it as it is"]
    assert not tick.value and at.button(key=state.ROSTER_PUBLISH).disabled
    assert storage.published_roster(engine, STORE, week) is None
    engine.dispose()


def test_an_absence_on_days_without_a_shift_is_nothing_to_re_plan_as_the_command_line_says(page):
    """Someone away on a day they have no published shift: the page re-planned all the same, said "0 shifts change for
    0 people" and offered Publish the re-plan, which published a copy of the roster over it; `roster replan` says
    "nothing to re-plan" of the same absence and publishes nothing."""
    page.button(key=state.ROSTER_PUBLISH).click().run()
    week = page.selectbox(key=state.ROSTER_WEEK).value
    engine = storage.connect(Settings())
    published = storage.published_roster(engine, STORE, week)
    from planner.rostering.documents import saved_roster

    shifts = saved_roster(published).shifts
    worked = shifts.groupby("employee_id")["start"].agg(lambda starts: {start.date() for start in starts})
    days = IsoWeek.parse(week).dates()
    person, day = next((person, day) for person, dates in worked.items() for day in days if day not in dates)
    page.selectbox(key=state.ROSTER_REPLAN_PERSON).set_value(person)
    page.date_input(key=state.ROSTER_REPLAN_DAYS).set_value((day, day))
    page.button(key=state.ROSTER_REPLAN_RUN).click().run()
    assert not page.exception and not page.error
    assert not [m.value for m in page.markdown if CHANGED.search(m.value)]
    assert not [button for button in page.button if button.key == state.ROSTER_REPLAN_PUBLISH]
    (said,) = [box.value.replace("\\", "") for box in page.info if "nothing to re-plan" in box.value]
    assert f"({person})" in said, said
    assert storage.published_roster(engine, STORE, week).roster_id == published.roster_id
    engine.dispose()


def test_the_grid_downloads_say_who_is_away_as_the_page_grid_does(downloads, roster_db_url, monkeypatch):
    """The page's grid wrote "away (sick)" on a day away, and its Grid CSV and the workbook's Grid sheet left that
    day blank, as a day off: a manager who printed the grid for the back office told nobody who was off sick. (The
    page's grid writes the reason's code, "away (S)", with the key under it; the files write it in full.)"""
    from planner.io.employees import empty_absences

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = IsoWeek.parse(roster_data.week_choices(clock.today())[1])  # the week the page opens on
    engine = storage.connect(Settings(database_url=roster_db_url))
    person = str(storage.load_employees(engine, [STORE])["employee_id"].iloc[0])
    absence = empty_absences()
    absence.loc[0] = [person, pd.Timestamp(week.dates()[2]), pd.Timestamp(week.dates()[3]), "sick"]
    storage.save_people(engine, None, [(absence, "sick.csv", "0" * 64)])
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    _draft_asked(at.switch_page(PAGE).run())
    assert not at.exception
    grid = at.dataframe[0].value.iloc[:-1]
    days = [column for column in grid.columns if column not in ("name", "hours")]
    shown = {(name, day): grid.loc[grid["name"] == name, day].iloc[0] for name in grid["name"] for day in days}
    away = {key: cell for key, cell in shown.items() if str(cell).startswith("away")}
    assert list(away.values()).count("away (S)") >= 2  # the two days stored above, beside the sample's own
    assert any(caption.value.startswith("Away: ") and "S = sick" in caption.value for caption in at.caption)
    written = pd.read_csv(io.BytesIO(_file(downloads, at, state.ROSTER_DOWNLOADS["grid"])), dtype=str,
                          keep_default_na=False)
    book = pd.read_excel(io.BytesIO(_file(downloads, at, state.ROSTER_DOWNLOADS["xlsx"])), sheet_name="Grid",
                         header=1, dtype=str, keep_default_na=False)
    for table in (written, book):
        table_days = [column for column in table.columns if column not in ("employee_id", "name", "hours")]
        assert [day.rsplit(" ", 1)[0] for day in table_days] == [day.rsplit(" ", 1)[0] for day in days]
        cells = {(row["employee_id"], day.rsplit(" ", 1)[0]): row[day] for _, row in table.iterrows()
                 for day in table_days}
        assert cells[(person, f"{week.dates()[2]:%a} {week.dates()[2].day}")] == "away (sick)"
        assert cells[(person, f"{week.dates()[3]:%a} {week.dates()[3].day}")] == "away (sick)"
        assert sum(cell.startswith("away") for cell in cells.values()) == len(away)


def test_a_caveat_said_once_is_a_sentence_before_the_list_of_the_findings_it_names(roster_db_url, monkeypatch):
    """Under "Uncovered hours and wishes not met" the caveat said once was the first item of the list, without its
    full stop, and the finding said alone after the shortfalls it names ("Carl N. ... has no shift") read as one of
    them. The findings said alone are listed first, then each caveat is a sentence with its full stop before the
    list of exactly the findings it names, as `roster --show` prints them."""
    from roster_findings import SAID_ONCE_SENTENCES, publish_with_sentences

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = roster_data.week_choices(clock.today())[1]  # the page's default week
    publish_with_sentences(roster_db_url, SAID_ONCE_SENTENCES, STORE, week)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception
    shown = [m.value.replace("\\", "") for m in at.markdown
             if any(sentence in m.value.replace("\\", "") for sentence in SAID_ONCE_SENTENCES)]
    finding, short_lead, a, b, alone, wish_lead, wish_a, wish_b = SAID_ONCE_SENTENCES
    assert shown == [f"- {finding}\n- {alone}", f"{short_lead}.", f"- {a}\n- {b}", f"{wish_lead}.",
                     f"- {wish_a}\n- {wish_b}"]


def test_a_published_replan_states_the_cost_it_is_judged_on_alike_on_the_command_line_stored_and_on_the_page(
        roster_db_url, monkeypatch, started, tmp_path, capsys):
    """A re-plan's cost level counts each change to the published roster; its stored cost level left them out, so a
    proven re-plan's cost read below its own bound, and no status said which cost was proven least. The command
    line's status line, the stored roster and the Roster page now say the same, with the cost in its parts, and the
    stored figures are of one quantity: the bound at most the cost, and equal to it exactly when proven."""
    import datetime as dt

    from planner import cli
    from planner.rostering import documents

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = _publish_plan_and_roster(roster_db_url, started)
    engine = storage.connect(Settings(database_url=roster_db_url))
    sick, day = _sick_on_the_first_shift(engine, week, tmp_path)
    capsys.readouterr()
    assert cli.main(["--database-url", roster_db_url, "roster", "replan", "--absence", str(sick), "--today",
                     str(day - dt.timedelta(days=1)), "--publish"]) == EXIT_OK
    said = capsys.readouterr().out.splitlines()[1]  # the status line, after the count of changes
    saved = documents.published(engine, STORE, week)
    document = json.loads(storage.load_roster(engine, saved.roster_id).document)
    cost = document["levels"][0]
    assert not document["quick"], said  # the premise: a search's re-plan, whose status gives its cost
    assert cost["bound"] <= cost["objective"] + 1e-6 and cost["proven"] == (cost["objective"] <= cost["bound"] + 1e-6)
    assert document["best_bound"] <= document["objective"] + 1e-6
    parts = re.search(r"\(?wages of the re-plan's shifts ([\d,.]+) \+ (?:cover penalties ([\d,.]+) \+ )?changes "
                      r"([\d,.]+)\)?", said)
    assert parts and ("counting as changes, in the same money as wages, what changing the published roster costs: "
                      "for each shift or break changed, a weight in hours of pay that is not paid out, any premium for "
                      "short notice and, for a shift cancelled or its hours changed, the published hours still "
                      "owed") in said, said
    wages, penalties, changes = (float((part or "0").replace(",", "")) for part in parts.groups())
    assert changes == pytest.approx(cost["changes"], abs=0.005) and changes > 0  # the sick person's shift at least
    assert wages + penalties + changes == pytest.approx(cost["objective"], abs=0.015)
    assert saved.status_sentence == said == document["status_sentence"]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception
    assert [text.value for text in at.markdown
            if text.value.replace("\\", "") == f"Published roster {saved.roster_id}: {said}"], said
    engine.dispose()


def test_a_shift_across_a_change_of_the_clocks_is_said_beside_the_grid(roster_db_url, monkeypatch, started):
    """A published roster whose shift spans a change of the clocks, as a roster of a store with a time zone saves
    one in a week the clocks go back (an hour more paid, `clock_change_hours` 1): its cell in the grid is marked
    "(+1 h)" and a sentence under the grid says it in plain words; the other shifts are marked nothing."""
    import dataclasses
    import json

    from planner.rostering import documents
    from planner.roster_export import clock_change_notes

    week = _roster_published(roster_db_url, monkeypatch, started)
    engine = storage.connect(Settings(database_url=roster_db_url))
    first = storage.published_roster(engine, STORE, week)
    document = json.loads(first.document)
    document["shifts"][0]["clock_change_hours"] = 1.0
    document["shifts"][0]["paid_hours"] += 1.0
    changed = storage.save_roster(engine, STORE, week, json.dumps(document), "test", "")
    storage.publish_roster(engine, changed, "test")
    saved = documents.saved_roster(dataclasses.replace(first, document=json.dumps(document)))
    (said,) = clock_change_notes(saved.shifts)
    assert "1 hour more than the clock shows, as the clocks go back an hour that night." in said
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    assert said in _page_words(at)
    grid = at.dataframe[0].value
    marked = [cell for column in grid.columns for cell in grid[column].astype(str) if cell.endswith(" (+1 h)")]
    assert len(marked) == 1
    engine.dispose()


def test_every_pages_store_picker_labels_a_store_alike(page):
    """The Roster page labelled its stores "S08 Hamburg ...", every other page "S08 – Hamburg ...": one store read as
    two spellings from page to page. Each picker labels it as the store file names it, "ID – name"."""
    stores = pd.read_csv(DATA / "stores.csv", dtype=str).set_index("store_id")["name"]
    labels = {}
    labels["roster"] = page.selectbox(key=state.ROSTER_STORE).options
    for path, key, kind in (("app_pages/my_store.py", state.MY_STORE, "selectbox"),
                            ("app_pages/observations.py", state.SELECTED_STORE, "selectbox"),
                            ("app_pages/plans.py", state.PLANS_STORES, "multiselect"),
                            ("app_pages/schedule.py", state.SCHEDULE_STORES, "multiselect")):
        page.switch_page(path).run()
        assert not page.exception, path
        labels[path] = getattr(page, kind)(key=key).options
    shown = {label for options in labels.values() for label in options if label.startswith(f"{STORE} ")}
    assert shown == {f"{STORE} – {stores[STORE]}"}, labels
    assert len({tuple(options) for options in labels.values()}) == 1, labels


def test_a_draft_rostered_from_an_out_of_date_plan_warns_and_names_the_plans_page(roster_db_url, monkeypatch, tmp_path):
    """A draft rostered from a published plan whose calendar changed since buried "out of date: ...: re-plan the
    week, then roster again" in the brackets of an info box ("Draft, not published (requirement: the published plan
    1, out of date: ...)"). The requirement reads as the plan alone; a warning says the plan is out of date, why,
    and that it is re-planned on the Plans page."""
    import datetime as dt

    from planner import cli

    week = roster_data.week_choices(clock.today())[1]
    assert cli.main(["--database-url", roster_db_url, "plan", "--store", STORE, "--week", week, "--publish"]) == EXIT_OK
    closed = IsoWeek.parse(week).monday + dt.timedelta(days=1)
    later = tmp_path / "later.csv"
    later.write_text(f"store_id,date,closed,hours,demand_factor,note\n{STORE},{closed},yes,,,stocktaking\n",
                     encoding="utf-8")
    assert cli.main(["--database-url", roster_db_url, "import", "--calendar", str(later)]) == EXIT_OK
    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = _draft_asked(at.switch_page(PAGE).run())
    assert not at.exception
    (draft,) = [box.value.replace("\\", "") for box in at.info if box.value.startswith("Draft, not published")]
    assert "out of date" not in draft and "re-plan" not in draft, draft
    assert draft.startswith("Draft, not published (requirement: the published plan "), draft
    (warned,) = [box.value.replace("\\", "") for box in at.warning if "out of date" in box.value]
    assert "the calendar changed since" in warned and "Plans page" in warned and "re-plan" in warned.lower(), warned


def test_a_published_roster_whose_plan_went_out_of_date_names_and_links_the_plans_page(
        roster_db_url, monkeypatch, started,
                                                                                       tmp_path):
    """A published roster whose plan's calendar changed since warned "Its plan N is out of date: ...: re-plan the
    week, then roster again" (the command line's words) without saying where a week is re-planned, where the draft's
    warning names the Plans page and links to it. The published roster's warning now does the same."""
    import datetime as dt

    from planner import cli
    from planner.rostering import documents, standing

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = _publish_plan_and_roster(roster_db_url, started)
    closed = IsoWeek.parse(week).monday + dt.timedelta(days=1)
    later = tmp_path / "later.csv"
    later.write_text(f"store_id,date,closed,hours,demand_factor,note\n{STORE},{closed},yes,,,stocktaking\n",
                     encoding="utf-8")
    assert cli.main(["--database-url", roster_db_url, "import", "--calendar", str(later)]) == EXIT_OK
    engine = storage.connect(Settings(database_url=roster_db_url))
    saved = documents.published(engine, STORE, week)
    since = standing.requirement_since(engine, storage.chain_settings_of(engine), saved)
    engine.dispose()
    assert since.startswith("its plan ") and "the calendar changed since" in since  # the command line's, as before
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception and any(box.value.startswith(f"Published roster {saved.roster_id}") for box in at.success)
    (warned,) = [box.value.replace("\\", "") for box in at.warning if "out of date" in box.value]
    assert warned.startswith("Its plan ") and "the calendar changed since" in warned, warned
    assert "Re-plan the week on the Plans page" in warned, warned
    (link,) = [element for element in at.get("page_link") if "Plans page" in element.proto.label]
    # the router's Plans page: served at the app's root where it is the role's own page (`widgets.LANDING_PAGES`)
    from streamlit.util import calc_hash

    from app_pages.widgets import LANDING_PAGES
    from planner.access.scope import EVERYTHING

    address = "" if LANDING_PAGES[EVERYTHING.role] == "app_pages/plans.py" else "plans"
    assert link.proto.page_script_hash == calc_hash(address), link.proto
    # opened on the week's published plan (it opened the Plans page on whatever it showed last)
    engine = storage.connect(Settings(database_url=roster_db_url))
    assert link.proto.query_string == f"{state.PLANS_OPEN}={storage.published_plan(engine, STORE, week).plan_id}"
    engine.dispose()
    # a store manager, who may not publish, was told to re-plan and publish: she is told a planner does
    _as_store_manager(monkeypatch)
    at.run()
    assert not at.exception
    (warned,) = [box.value.replace("\\", "") for box in at.warning if "out of date" in box.value]
    assert "Ask a planner to re-plan the week" in warned and "Re-plan the week on the Plans page" not in warned, warned
    assert not [element for element in at.get("page_link") if element.proto.label.startswith("Re-plan")]


def test_rostering_says_the_store_the_week_and_the_time_limit_and_the_store_before_is_cleared(roster_db_url,
                                                                                              monkeypatch):
    """The walk: a roster is made as the page opens or the store changes (40 s there), under "Rostering… (the solver
    takes up to its time limit)" drawn over the old store's status box, the old store's people and shifts faded
    under the new store's label all the while. The spinner now names the store, the week and the chain's roster
    time limit, and sits in the page's body, which is emptied before it (`st.empty`) so nothing of the store before
    stays under the new label."""
    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    engine = storage.connect(Settings(database_url=roster_db_url))
    chain = storage.chain_settings_of(engine)
    engine.dispose()
    said = said_while_working(monkeypatch)
    from streamlit.elements.progress import ProgressMixin

    update = ProgressMixin.progress  # the bar beside the button, drawn in a placeholder
    monkeypatch.setattr(ProgressMixin, "progress", lambda self, value, text=None, *args, **kwargs:
                        (said.append(text) if value == 0 else None) or update(self, value, text, *args, **kwargs))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at.switch_page(PAGE).run()
    assert not at.exception and not at.error and said == []  # nothing searched unasked
    week = at.selectbox(key=state.ROSTER_WEEK).value
    limit = chain.roster.time_limit_seconds
    assert limit == 60  # the roster sample's: "1 minute"
    _draft_asked(at)
    assert said == [f"Rostering {STORE} for {week}… at most 1 minute (the roster time limit on the Settings page)"]
    # everything under the store and week is drawn in one of two slots after the choices, the other left empty
    body = list(at.main.children.values())
    assert [node.type for node in body[:2]] == ["title", "flex_container"] and len(body) == 4
    (drawn,) = [n for n, node in enumerate(body[2:], 2) if node.type == "flex_container"]
    assert body[5 - drawn].type == "empty"
    assert any("Draft, not published" in box.value for box in body[drawn].info)
    # another store: drawn in the other slot, so the slot its roster stood in is emptied as the run starts (a
    # container drawn where one stood keeps the old children, faded, until the run ends)
    other = "S01"  # in the roster sample
    said.clear()
    _draft_asked(at.selectbox(key=state.ROSTER_STORE).set_value(other).run())
    assert not at.exception
    assert said == [f"Rostering {other} for {week}… at most 1 minute (the roster time limit on the Settings page)"]
    body = list(at.main.children.values())
    assert body[drawn].type == "empty" and body[5 - drawn].type == "flex_container"
    at.selectbox(key=state.ROSTER_WEEK).set_value(week).run()  # a rerun of the same store-week: the same slot
    assert list(at.main.children.values())[5 - drawn].type == "flex_container"


def test_the_grid_csv_is_data_without_a_total_row_and_the_workbook_names_its_store_and_week(downloads, page):
    """The walk: the Grid CSV ended in a row "hours per day ... 579.0", so summing its hours column gave twice the
    week's paid hours; and the workbook named neither the store nor the week, so a printed Grid sheet or a file
    renamed in a back office told nobody whose week it was. The CSV holds one row per person, summing to the
    shifts' paid hours (the Shifts CSV, read back); the workbook names the store and week in its title and over
    its Grid sheet, and its data sheets still start with their column names."""
    import openpyxl

    from planner.roster_export import ROSTER_CSV_COLUMNS

    assert not page.exception
    week = page.selectbox(key=state.ROSTER_WEEK).value
    shifts = pd.read_csv(io.BytesIO(_file(downloads, page, state.ROSTER_DOWNLOADS["csv"])))
    grid = pd.read_csv(io.BytesIO(_file(downloads, page, state.ROSTER_DOWNLOADS["grid"])), dtype={"employee_id": str},
                       keep_default_na=False)
    people = pd.read_csv(DATA / "employees.csv", dtype=str, keep_default_na=False)
    mine = people[(people["store_id"] == STORE) | people["also_stores"].str.contains(STORE)]
    assert list(grid["employee_id"]) == list(mine["employee_id"])  # a row per person, none of totals
    assert grid["hours"].astype(float).sum() == pytest.approx(shifts["paid_hours"].sum()) and len(shifts)
    stores = pd.read_csv(DATA / "stores.csv", dtype=str).set_index("store_id")
    named = f"{STORE} – {stores.at[STORE, 'name']}"
    book = openpyxl.load_workbook(io.BytesIO(_file(downloads, page, state.ROSTER_DOWNLOADS["xlsx"])))
    assert named in book.properties.title and week in book.properties.title, book.properties.title
    first = next(book["Grid"].values)
    assert named in first[0] and week in first[0], first
    sheet = pd.read_excel(io.BytesIO(_file(downloads, page, state.ROSTER_DOWNLOADS["xlsx"])), sheet_name="Grid",
                          header=1, dtype={"employee_id": str}, keep_default_na=False)
    assert list(sheet["employee_id"].iloc[:-1]) == list(grid["employee_id"])  # the people, then the day's totals
    assert list(next(book["Shifts"].values)) == ROSTER_CSV_COLUMNS


def test_a_new_draft_shows_its_search_on_a_bar_beside_the_button_pressed(roster_db_url, monkeypatch, started):
    """The walks: "Make a new draft" took 20-50 s with the published roster still drawn, faded, under a spinner
    that said nothing of how far the search was; then, with the body moved to its other slot, under a bar drawn at
    the top of the page while the planner, who pressed the button near its bottom, saw a greyed page. The bar now
    fills in a place beside the button as the solver searches, and the draft is drawn, in the body's other slot,
    once made."""
    from streamlit.elements.progress import ProgressMixin

    week = _roster_published(roster_db_url, monkeypatch, started)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at.switch_page(PAGE).run()
    assert not at.exception and any(box.value.startswith("Published roster") for box in at.success)
    body = list(at.main.children.values())
    (drawn,) = [n for n, node in enumerate(body[2:], 2) if node.type == "flex_container"]
    button = element_path(at._tree, PAGE_NEW_DRAFT)
    shown: list[tuple[float, str | None, tuple]] = []
    update = ProgressMixin.progress

    def recorded(self, value, text=None, *args, **kwargs):
        shown.append((float(value), text, tuple(self._cursor.delta_path) if self._cursor else ()))
        return update(self, value, text, *args, **kwargs)

    monkeypatch.setattr(ProgressMixin, "progress", recorded)
    fits.forget()  # a search to watch: the roster just published from the same inputs is kept (`planner.fits`)
    at.button(key=state.ROSTER_REMAKE).click().run()
    assert not at.exception and not at.error
    assert {text for _, text, _ in shown} == {
        f"Rostering {STORE} for {week}… at most 1 minute (the roster time limit on the Settings page)"}
    # filled as the search goes, never back
    values = [value for value, _, _ in shown]
    assert len(values) >= 3 and values == sorted(values) and values[-1] <= 1.0, values
    # in the row the button stands in (the body's slot, the row), not at the top of the body's other slot
    places = {path[:3] for _, _, path in shown}
    assert len(button) > 3 and places == {button[:3]}, (places, button)
    body = list(at.main.children.values())
    assert body[drawn].type == "empty" and body[5 - drawn].type == "flex_container"  # the published one's slot
    assert any(box.value.startswith("Draft, not published") for box in body[5 - drawn].info)
    assert not [bar for bar in at.get("progress")]  # gone once the roster is drawn


def test_a_published_roster_of_a_replaced_plan_says_its_shortfall_against_the_plan_now_in_force(downloads,
                                                                                              roster_db_url,
                                                                                              monkeypatch, started):
    """The walk: a roster made from plan 1, after plan 2 replaced it, said "The plan 1 it was made from was replaced
    by the published plan 2: ..." and right under it "Uncovered staff-hours 0.0" and "None: every required hour is
    covered", while plan 2 left hours uncovered; its calendars carried no mark of being out of date. The warning
    reads "Made from plan 1, which the published plan 2 has replaced: ..."; the coverage lines name the plan they
    are measured against; the shortfall against plan 2 is said, with the hours short; the downloads say they follow
    the replaced plan. The shortfall is recounted here from plan 2's requirement (the store-week a roster is made
    for now) and the published shifts' half hours on the floor."""
    import numpy as np

    from planner.rostering import store_week

    replaced = _replaced_under_roster(roster_db_url, monkeypatch, started)
    week, first, second, before = replaced.week, replaced.first, replaced.second, replaced.before
    engine = storage.connect(Settings(database_url=roster_db_url))
    chain = storage.chain_settings_of(engine)
    instance, _ = store_week.roster_instance(engine, chain, STORE, week)
    on_floor = np.zeros_like(instance.required)
    for row in json.loads(storage.published_roster(engine, STORE, week).document)["assignments"]:
        from planner.shifts.candidates import Candidate

        on_floor[Candidate(**{k: v for k, v in row.items() if k != "employee_id"}).slots()] += 1
    uncovered = np.maximum(instance.required - on_floor, 0)
    expected = uncovered.sum() / 2
    assert expected > 0
    short_days = {day for day in range(7) if uncovered[day * 48:(day + 1) * 48].any()}
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception and any(box.value.startswith(f"Published roster {before.roster_id}") for box in at.success)
    warned = [box.value.replace("\\", "") for box in at.warning]
    assert any(text.startswith(f"Made from plan {first}, which the published plan {second} has replaced: re-plan it "
                               "to follow") for text in warned), warned
    (now,) = [text for text in warned if text.startswith(f"Against the published plan {second}")]
    from planner.hours import WEEKDAY_NAMES

    # a short lead, then a list of one line a stretch, as `roster --show` prints it (nine stretches were one
    # paragraph, each day somewhere in the middle of a line)
    lead, listed = now.split("\n\n", 1)
    assert lead == (f"Against the published plan {second} in force now, its shifts leave {expected:,.1f} staff-hours "
                    "uncovered:"), (lead, expected)
    stretch = re.compile(r"- (\w{3}) \d\d:\d\d(\+1)?-\d\d:\d\d(\+1)?: (up to )?\d+ staff short "
                         r"\(([\d.]+) staff-hours? uncovered\)")
    lines = listed.split("\n")
    assert all(stretch.fullmatch(line) for line in lines), lines
    assert sum(float(stretch.fullmatch(line).group(5)) for line in lines) == expected, lines
    assert {WEEKDAY_NAMES.index(stretch.fullmatch(line).group(1)) for line in lines} == short_days, lines
    words = [c.value.replace("\\", "") for c in at.caption] + [m.value.replace("\\", "") for m in at.markdown]
    assert any(f"against the published plan {first}" in text.lower() for text in words), words
    if not before.sentences:  # its own plan fully covered: said of that plan, not of the week as it stands
        assert not [text for text in words if text.startswith("None: every required hour is covered")], words
    assert any(f"follow the published plan {first}" in text and f"plan {second}" in text for text in words), words
    from icalendar import Calendar  # the calendar offered carries the mark in each event, as `roster --show` writes it

    events = Calendar.from_ical(_file(downloads, at, state.ROSTER_DOWNLOADS["ics"])).walk("VEVENT")
    assert events and all(f"made from plan {first}, which the published plan {second} has replaced"
                          in str(event["description"]) for event in events), [str(e["description"]) for e in events]
    # a store manager, who may not publish, was told to "publish the re-plan and download them again": a planner does
    _as_store_manager(monkeypatch)
    at.run()
    assert not at.exception
    (files,) = [c.value.replace("\\", "") for c in at.caption if c.value.startswith("These files and calendars")]
    assert "ask a planner to publish" in files and "publish the re-plan and" not in files, files


def test_publishing_over_a_published_roster_names_it_and_whose_shifts_change_then_whose_calendars_to_send(
        downloads, roster_db_url, monkeypatch, started):
    """The walk: publishing a new roster over one already published said nothing of what it replaced, nor whose
    shifts it changed, so nobody knew whose calendars to send again. Before publishing the page says which published
    roster it replaces and names each person with a shift added, removed or moved; after, whose calendars to send
    again. The people are found here from the published roster's shifts and the new draft's Shifts CSV, matched by
    person and day."""
    from planner.rostering import documents
    from planner.io.employees import empty_absences

    week = _roster_published(roster_db_url, monkeypatch, started)
    engine = storage.connect(Settings(database_url=roster_db_url))
    published = documents.published(engine, STORE, week)
    first = published.shifts.sort_values("start").iloc[0]  # away that day: the new draft moves their day's work
    away = empty_absences()
    away.loc[0] = [first["employee_id"], pd.Timestamp(first["start"].date()), pd.Timestamp(first["start"].date()),
                   "sick"]
    storage.save_people(engine, None, [(away, "sick.csv", "1" * 64)])
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at.switch_page(PAGE).run()
    at.button(key=state.ROSTER_REMAKE).click().run()
    assert not at.exception and any(box.value.startswith("Draft, not published") for box in at.info)
    draft = pd.read_csv(io.BytesIO(_file(downloads, at, state.ROSTER_DOWNLOADS["csv"])), dtype=str,
                        keep_default_na=False)

    def days(frame) -> dict:
        out: dict = {}
        for row in frame.itertuples(index=False):
            out.setdefault((str(row.employee_id), str(row.start)[:10]), []).append(
                (str(row.start)[:16], str(row.end)[:16], "" if pd.isna(row.break_start) else str(row.break_start)[:16]))
        return {key: sorted(value) for key, value in out.items()}

    before, after = days(published.shifts.astype({"start": str, "end": str, "break_start": str})
                         .replace({"break_start": {"NaT": ""}})), days(draft)
    changed = {person for person, day in {*before, *after} if before.get((person, day)) != after.get((person, day))}
    assert first["employee_id"] in changed
    names = {**dict(zip(published.shifts["employee_id"], published.shifts["name"])),
             **dict(zip(draft["employee_id"], draft["name"]))}
    (said,) = [box.value.replace("\\", "") for box in at.info if "replaces the published roster" in box.value]
    assert said.startswith(f"Publishing it replaces the published roster {published.roster_id}: the shifts of "), said
    named = set(re.findall(r"\(([^()]+)\)", said.split(": the shifts of ", 1)[1].split(" change ")[0]))
    assert named == changed, (said, changed)
    assert all(f"{names[person]} ({person})" in said for person in changed)
    anyway = state.roster_publish_anyway(STORE, week)
    if [box for box in at.checkbox if box.key == anyway]:  # a draft leaving hours short is published when confirmed
        at.checkbox(key=anyway).check().run()
    at.button(key=state.ROSTER_PUBLISH).click().run()
    assert not at.exception
    now = documents.published(engine, STORE, week)
    assert now.roster_id != published.roster_id
    (sent,) = [box.value.replace("\\", "") for box in at.info if "calendars" in box.value]
    assert sent.startswith(f"Published roster {now.roster_id} in place of roster {published.roster_id}: send "), sent
    assert set(re.findall(r"\(([^()]+)\)", sent.split(": send ", 1)[1].split(" their calendars")[0])) == changed
    engine.dispose()


def _roster_of_a_replaced_plan(url: str, monkeypatch, started) -> str:
    """The app pointed at `url`, with a roster of STORE published from a plan that a second published plan has
    replaced; returns the week."""
    return _replaced_under_roster(url, monkeypatch, started).week


@dataclass(frozen=True)
class _Replaced:
    week: str
    first: int
    """The plan the published roster was made from."""
    second: int
    """The plan published since, with a higher floor (`--min-staff 4`): more staff required than the roster puts on
    the floor."""
    before: object
    """The published roster (`documents.published`), as published."""


def _replaced_under_roster(url: str, monkeypatch, started) -> _Replaced:
    """`_roster_of_a_replaced_plan`, with both plans' ids and the published roster (publishing a plan leaves the
    roster as it was published)."""
    from planner.rostering import documents

    monkeypatch.setenv(DATABASE_URL_ENV, url)
    week = started("plan replaced under roster", url)
    engine = storage.connect(Settings(database_url=url))
    second, first = storage.list_plans(engine, STORE, week)["plan_id"]  # newest first: the one published over
    assert storage.published_plan(engine, STORE, week).plan_id == second != first
    before = documents.published(engine, STORE, week)
    engine.dispose()
    return _Replaced(week, int(first), int(second), before)


def test_a_published_roster_still_shows_when_its_comparison_with_the_plan_in_force_fails(
        roster_db_url, monkeypatch, started):
    """The walk: measuring a published roster against the plan that replaced its own ran on every rerun of the page
    with nothing caught, so a planner error there replaced the whole published roster with an error. The roster
    shows, with one line saying the comparison could not be made."""
    from planner.rostering import standing
    from planner.errors import InvalidRequest

    week = _roster_of_a_replaced_plan(roster_db_url, monkeypatch, started)

    def refused(*args, **kwargs):
        raise InvalidRequest("the week's requirement cannot be read")

    monkeypatch.setattr(standing, "requirement_now", refused)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception and not at.error, [box.value for box in at.error]
    engine = storage.connect(Settings(database_url=roster_db_url))
    published = storage.published_roster(engine, STORE, week).roster_id
    engine.dispose()
    assert any(box.value.startswith(f"Published roster {published}") for box in at.success)
    notes = [box.value.replace("\\", "") for box in [*at.info, *at.warning, *at.caption]
             if "in force" in box.value and "could not" in box.value]
    assert len(notes) == 1 and "the week's requirement cannot be read" in notes[0], notes
    assert at.download_button(key=state.ROSTER_DOWNLOADS["csv"])  # the roster's own views are drawn


def test_a_published_roster_is_measured_against_the_plan_in_force_once_not_on_every_rerun(roster_db_url,
                                                                                          monkeypatch, started):
    """Each rerun of the Roster page (a click anywhere) fitted the week's requirement again to measure a published
    roster against the plan in force; it is measured once per database, revision, store, week and settings."""
    from planner.rostering import standing

    _roster_of_a_replaced_plan(roster_db_url, monkeypatch, started)
    calls = []
    measure = standing.requirement_now

    def counted_measure(*args, **kwargs):
        calls.append(args)
        return measure(*args, **kwargs)

    monkeypatch.setattr(standing, "requirement_now", counted_measure)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception and [box for box in at.warning if box.value.startswith("Against the published plan")]
    at.run()
    at.run()
    assert not at.exception and [box for box in at.warning if box.value.startswith("Against the published plan")]
    assert len(calls) == 1, len(calls)


def test_a_published_roster_s_calendar_mark_is_read_once_until_a_plan_is_published(roster_db_url, monkeypatch, started):
    """Each rerun of the Roster page (a click anywhere) read the week's published plan again to say whether the plan
    a published roster's calendars follow was replaced; it is read once per roster and published plan, and again
    once another plan is published (from the command line here, as from another tab), which it then says."""
    from planner import cli
    from planner.rostering import standing

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    week = _publish_plan_and_roster(roster_db_url, started)
    calls = []
    read = standing.plan_replaced

    def counted_read(*args, **kwargs):
        calls.append(read(*args, **kwargs))
        return calls[-1]

    monkeypatch.setattr(standing, "plan_replaced", counted_read)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    at.run()
    assert not at.exception and at.download_button(key=state.ROSTER_DOWNLOADS["ics"])
    assert calls == [""]  # its own plan is the one published: read once, nothing replaced
    assert cli.main(["--database-url", roster_db_url, "plan", "--store", STORE, "--week", week, "--min-staff", "4",
                     "--publish"]) == EXIT_OK
    at.run()
    assert not at.exception
    engine = storage.connect(Settings(database_url=roster_db_url))
    second = storage.published_plan(engine, STORE, week).plan_id
    engine.dispose()
    assert len(calls) == 2 and calls[-1].endswith(f"which the published plan {second} has replaced"), calls


def test_a_published_roster_of_a_replaced_plan_is_replanned_to_follow_it_and_its_figures_name_their_plan(
        roster_db_url, monkeypatch, started):
    """The walk: under "Made from plan 1, which the published plan 2 has replaced: roster the week again", the
    headline read "Uncovered staff-hours 0.0" (of plan 1) beside a warning of hours uncovered against plan 2, and the
    only way on was "Make a new draft", a fresh search that moved nearly everyone's shifts. Each figure now names the
    plan it measures, plan 2's uncovered staff-hours (recounted here from its requirement and the published shifts'
    half hours) beside them; the warning names the least-change re-plan, which lists its changes with their premium
    and, published, follows plan 2 while keeping most shifts (counted from the shifts before and after)."""
    import numpy as np

    from planner.rostering import documents, shift_diffs, standing, store_week
    from planner.shifts.candidates import Candidate

    replaced = _replaced_under_roster(roster_db_url, monkeypatch, started)
    week, first, second, before = replaced.week, replaced.first, replaced.second, replaced.before
    engine = storage.connect(Settings(database_url=roster_db_url))
    instance, _ = store_week.roster_instance(engine, storage.chain_settings_of(engine), STORE, week)

    def uncovered() -> float:
        on_floor = np.zeros_like(instance.required)
        for row in json.loads(storage.published_roster(engine, STORE, week).document)["assignments"]:
            on_floor[Candidate(**{k: v for k, v in row.items() if k != "employee_id"}).slots()] += 1
        return float(np.maximum(instance.required - on_floor, 0).sum() / 2)

    short = uncovered()
    assert short > 0
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception
    figures = {metric.label: metric.value for metric in at.metric}
    assert figures[f"Uncovered staff-hours (plan {first}, made from)"] == f"{before.hours['uncovered_staff_hours'].sum():,.1f}"
    assert figures[f"Uncovered staff-hours (plan {second}, in force)"] == f"{short:,.1f}", figures
    assert "Uncovered staff-hours" not in figures, figures  # no figure without its plan
    warned = [box.value.replace("\\", "") for box in at.warning]
    assert any(text.startswith(f"Made from plan {first}, which the published plan {second} has replaced: re-plan "
                               "it to follow") and "Re-plan to follow it, below" in text for text in warned), warned
    assert at.button(key=state.ROSTER_REMAKE).label == "Make a new draft"  # a fresh roster still on offer
    at.button(key=state.ROSTER_FOLLOW_RUN).click().run()
    assert not at.exception and not at.error
    said = [text.value for text in at.markdown]
    assert any(re.search(r"\d+ shifts? changes? for \d+ (person|people); premium pay of", text) for text in said), said
    at.button(key=state.ROSTER_FOLLOW_PUBLISH).click().run()
    assert not at.exception and not at.error
    after = documents.published(engine, STORE, week)
    assert after.roster_id != before.roster_id and standing.plan_replaced(engine, after) == ""
    changes = shift_diffs.changed_shifts(before.roster_id, before.shifts, after.shifts)
    altered = sum(count for kind, count in changes.shifts if kind != "added")  # plan 2 needs more shifts added
    assert 2 * altered <= len(before.shifts), changes  # most published shifts kept as they were
    assert uncovered() < short
    assert not [text for text in (box.value for box in at.warning) if "has replaced" in text]
    engine.dispose()


def test_a_follow_replan_kept_while_another_plan_is_published_is_not_offered_nor_published(
        roster_db_url, monkeypatch, started):
    """Re-plan to follow it was pressed against plan 2, then plan 3 was published (another tab, the command line):
    the page still offered the kept re-plan, matched by store and week alone, and Publish saved the roster fitted to
    plan 2 as following plan 3, never read out of date. The page now says why it cannot be published, offers no
    Publish, and a press of the Publish shown before saves nothing."""
    from planner import cli
    from planner.rostering import documents

    week = _roster_of_a_replaced_plan(roster_db_url, monkeypatch, started)
    engine = storage.connect(Settings(database_url=roster_db_url))
    before = documents.published(engine, STORE, week).roster_id
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    at.button(key=state.ROSTER_FOLLOW_RUN).click().run()
    assert not at.exception and not at.error
    publish = at.button(key=state.ROSTER_FOLLOW_PUBLISH)
    assert cli.main(["--database-url", roster_db_url, "plan", "--store", STORE, "--week", week, "--min-staff", "3",
                     "--publish"]) == EXIT_OK
    third = storage.published_plan(engine, STORE, week).plan_id
    publish.click().run()
    assert not at.exception
    assert documents.published(engine, STORE, week).roster_id == before  # nothing saved
    warned = [box.value.replace("\\", "") for box in at.warning]
    assert any(f"plan {third} was published since this re-plan was made: re-plan again" in text for text in warned), \
        warned
    assert not [button for button in at.button if button.key == state.ROSTER_FOLLOW_PUBLISH]
    engine.dispose()


def test_a_rerun_with_a_follow_replan_kept_reads_the_published_plan_and_roster_once_each(
        roster_db_url, monkeypatch, started):
    """With a re-plan to follow the plan in force kept, each rerun of the Roster page read the week's published plan
    id from the listing once per question of it (the warning, the follow box, the calendars' mark, and twice more to
    judge the kept re-plan still publishable) and the published roster's whole document twice more just for its id.
    A rerun now reads the plan id once for the page's questions (beside the one keying the requirement measured now)
    and the published roster's document once, the page's own; the roster's id comes from a listing."""
    from planner.rostering import store_week

    week = _roster_of_a_replaced_plan(roster_db_url, monkeypatch, started)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    at.button(key=state.ROSTER_FOLLOW_RUN).click().run()
    assert not at.exception and at.button(key=state.ROSTER_FOLLOW_PUBLISH)
    plan_reads, documents_read = [], []
    plan_id, published_roster = store_week.published_plan_id, storage.published_roster

    def counted_plan_id(*args, **kwargs):
        plan_reads.append(args[1:])
        return plan_id(*args, **kwargs)

    def counted_roster(*args, **kwargs):
        documents_read.append(args[1:])
        return published_roster(*args, **kwargs)

    monkeypatch.setattr(store_week, "published_plan_id", counted_plan_id)
    monkeypatch.setattr(storage, "published_roster", counted_roster)
    at.run()
    assert not at.exception and at.button(key=state.ROSTER_FOLLOW_PUBLISH)  # still offered: nothing changed
    assert plan_reads == [(STORE, week)] * 2, plan_reads  # the page's one, and `store_week.inputs_key`'s
    assert documents_read == [(STORE, week)], documents_read


@pytest.mark.parametrize("published", ["follow_basis", "follow_replan"])
def test_a_plan_published_while_re_planning_to_follow_is_judged_by_the_plan_in_force_after_the_search(
        roster_db_url, monkeypatch, started, published):
    """The page read the week's published plan once, before "Re-plan to follow it" ran its search, and judged the
    re-plan by it: a plan published after that read and before the search (`follow_basis`) left a re-plan fitted to
    the plan in force refused as "plan 2 was published since", and one published during the search
    (`follow_replan`) left a re-plan of the replaced plan offered to publish (refused only on the press). The plan
    is read again after the search: the first is offered, the second said out of date and not offered."""
    from app_pages import roster_data
    from planner import cli

    week = _roster_of_a_replaced_plan(roster_db_url, monkeypatch, started)
    engine = storage.connect(Settings(database_url=roster_db_url))
    step, published_ids = getattr(roster_data, published), []

    def publishing_first(*args, **kwargs):
        assert cli.main(["--database-url", roster_db_url, "plan", "--store", STORE, "--week", week, "--min-staff",
                         "3", "--publish"]) == EXIT_OK
        published_ids.append(storage.published_plan(engine, STORE, week).plan_id)
        return step(*args, **kwargs)

    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    monkeypatch.setattr(roster_data, published, publishing_first)
    at.button(key=state.ROSTER_FOLLOW_RUN).click().run()
    engine.dispose()
    assert not at.exception and not at.error and len(published_ids) == 1
    offered = bool([button for button in at.button if button.key == state.ROSTER_FOLLOW_PUBLISH])
    warned = [text for text in (box.value.replace("\\", "") for box in at.warning) if "published since this" in text]
    if published == "follow_basis":  # fitted to the plan now in force: publishable
        assert offered and not warned, warned
    else:
        assert not offered and [f"plan {published_ids[0]} was published since" in text for text in warned] == [True]


def _as_store_manager(monkeypatch) -> None:
    from planner.access.scope import Scope

    from app_pages import signin

    monkeypatch.setattr(signin, "session_scope",
                        lambda rules: Scope(user="mia", role="store_manager", stores=frozenset({STORE})))


def _searches_recorded(monkeypatch) -> list:
    from planner.rostering import store_week

    searches = []
    make_roster = store_week.make_roster
    monkeypatch.setattr(store_week, "make_roster", lambda *args, **kwargs: searches.append(args[2:4]) or
                        make_roster(*args, **kwargs))
    return searches


def _store_managers_draft(url: str, monkeypatch) -> tuple[AppTest, str, list]:
    """A store manager's Roster page on `url`, opened on a week with nothing published and a draft asked for, the
    searches recorded (that draft's one): the page, its week and the searches."""
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    searches = _searches_recorded(monkeypatch)
    _as_store_manager(monkeypatch)
    at = _draft_asked(AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).switch_page(PAGE).run())
    week = at.selectbox(key=state.ROSTER_WEEK).value
    assert not at.exception and searches == [(STORE, week)]
    return at, week, searches


def _published_roster_id(url: str, week: str) -> int:
    """Roster the store's `week` and publish it on the command line, as another planner would; its id, as stored."""
    from planner import cli

    assert cli.main(["--database-url", url, "roster", "--store", STORE, "--week", week, "--publish"]) == EXIT_OK
    engine = storage.connect(Settings(database_url=url))
    try:
        return storage.published_roster(engine, STORE, week).roster_id
    finally:
        engine.dispose()


def test_a_store_manager_opens_on_this_week_s_published_roster_with_no_search(roster_db_url, monkeypatch):
    """The walk: a store manager opened the Roster page on next week and waited 92 s for a draft she cannot publish,
    while her store's roster published for this week was found only by changing the week. She opens on the week
    with a published roster first from today (this week here, next week's too being published), and nothing is
    searched; a planner still opens on next week, the week planners roster."""
    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    this_week, next_week = roster_data.week_choices(clock.today())[:2]
    _published_roster_id(roster_db_url, next_week)
    published = _published_roster_id(roster_db_url, this_week)
    searches = _searches_recorded(monkeypatch)
    _as_store_manager(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).switch_page(PAGE).run()
    assert not at.exception and not at.error
    assert at.selectbox(key=state.ROSTER_WEEK).value == this_week
    assert any(box.value.startswith(f"Published roster {published} ") for box in at.success)
    assert searches == []


def test_a_store_manager_opens_on_the_nearest_published_week_and_a_planner_on_next_week(roster_db_url, monkeypatch):
    """Nothing published this week, but in three weeks: the store manager opens there; a planner, on next week."""
    from planner import cli

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    weeks = roster_data.week_choices(clock.today())
    assert cli.main(["--database-url", roster_db_url, "roster", "--store", STORE, "--week", weeks[3],
                     "--publish"]) == EXIT_OK
    searches = _searches_recorded(monkeypatch)
    planner = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    planner.session_state[state.ROSTER_STORE] = STORE
    planner = planner.switch_page(PAGE).run()
    assert planner.selectbox(key=state.ROSTER_WEEK).value == weeks[1]
    assert searches == []  # nothing searched as it opens: a draft is asked for
    _as_store_manager(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).switch_page(PAGE).run()
    assert not at.exception and not at.error
    assert at.selectbox(key=state.ROSTER_WEEK).value == weeks[3]
    assert any(box.value.startswith("Published roster ") for box in at.success)
    assert searches == []


def test_a_store_manager_s_week_with_nothing_published_offers_a_draft_behind_a_button(roster_db_url, monkeypatch):
    """With nothing published, the store manager's page searched a draft as it opened (a minute and more, for a
    roster she may not publish). It says that nothing is published and who publishes, and offers the draft behind a
    button that says how long it takes; pressed, the draft is made and shown."""
    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    searches = _searches_recorded(monkeypatch)
    _as_store_manager(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).switch_page(PAGE).run()
    assert not at.exception and not at.error
    week = at.selectbox(key=state.ROSTER_WEEK).value
    assert week == roster_data.week_choices(clock.today())[0]  # nothing published anywhere: this week
    assert searches == [] and not [box for box in at.info if box.value.startswith("Draft, not published")]
    said = " ".join(_page_words(at))
    assert f"No roster of {STORE} is published for {week}" in said and "a planner publishes" in said, said
    limit = storage.chain_settings_of(storage.connect(Settings(database_url=roster_db_url))).roster.time_limit_seconds
    from planner.surfaces.work import duration

    assert f"up to {duration(limit)}" in said, said
    at.button(key=state.ROSTER_DRAFT_ASKED).click().run()
    assert not at.exception and not at.error
    assert searches == [(STORE, week)]
    assert any(box.value.startswith("Draft, not published") for box in at.info)
    at.run()  # kept: shown again with no new search
    assert searches == [(STORE, week)] and any(box.value.startswith("Draft, not published") for box in at.info)


def test_a_store_manager_s_draft_kept_by_another_session_is_shown_reading_the_week_s_inputs_once(roster_db_url,
                                                                                                   monkeypatch):
    """A draft of a week with nothing published, made in one session, is kept for every session: a store manager's
    page shows it with no search. Her page read what the draft is made from besides the files (the week's published
    plan id and the published rosters its people depend on, `store_week.inputs_key`) twice a run: once to ask whether
    the draft is kept, and again to take it. It reads them once."""
    from planner.rostering import store_week

    _, week, searches = _store_managers_draft(roster_db_url, monkeypatch)
    reads = []
    inputs_key = store_week.inputs_key
    monkeypatch.setattr(store_week, "inputs_key", lambda *args, **kwargs: reads.append(args[1:3]) or
                        inputs_key(*args, **kwargs))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).switch_page(PAGE).run()  # another session
    assert not at.exception and not at.error
    assert at.selectbox(key=state.ROSTER_WEEK).value == week
    assert any(box.value.startswith("Draft, not published") for box in at.info)
    assert searches == [(STORE, week)]  # the kept draft: no search
    assert reads == [(STORE, week)], reads


def test_a_store_manager_s_draft_asked_for_gives_way_to_a_roster_published_since(roster_db_url, monkeypatch):
    """The store manager asks for a draft of a week with nothing published; a planner then publishes the week on the
    command line. Her next run shows the published roster, not the draft beside it as one she might publish over it
    ("Publishing it replaces the published roster"), and searches nothing: the draft button's choice meant "show a
    new draft beside the published roster", which nobody of her role ever cleared."""
    at, week, searches = _store_managers_draft(roster_db_url, monkeypatch)
    assert any(box.value.startswith("Draft, not published") for box in at.info)
    published = _published_roster_id(roster_db_url, week)
    searched = len(searches)
    roster_data._rosters().clear()  # the draft no longer kept: no search either
    at.run()
    assert not at.exception and not at.error
    assert any(box.value.startswith(f"Published roster {published} ") for box in at.success)
    assert not [box for box in at.info if box.value.startswith("Draft, not published")]
    assert len(searches) == searched


def _draft_asked(at: AppTest) -> AppTest:
    """Press "Make a draft roster": a store-week with nothing published or saved opens with no search."""
    return at.button(key=state.ROSTER_DRAFT_ASKED).click().run()


def test_opening_the_page_and_changing_the_store_search_nothing_until_a_draft_is_asked_for(roster_db_url,
                                                                                            monkeypatch):
    """The walk: a planner opening the Roster page, or changing the store, waited 57-96 s a store for a search nobody
    asked for (nine stores looked through cost minutes). With nothing published or saved, the page says that no
    roster is made yet and offers "Make a draft roster"; a search runs only when it is pressed, and the draft made
    is shown again, with no search, on coming back to its store."""
    from planner.surfaces.roster import DRAFT_ASKED_BUTTON

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    searches = _searches_recorded(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.ROSTER_STORE] = STORE
    at = at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    week = at.selectbox(key=state.ROSTER_WEEK).value
    assert searches == [] and not [box for box in at.info if box.value.startswith("Draft, not published")]
    said = " ".join(_page_words(at))
    assert f"No roster of {STORE} for {week} is published or saved yet" in said, said
    assert at.button(key=state.ROSTER_DRAFT_ASKED).label == DRAFT_ASKED_BUTTON
    at.selectbox(key=state.ROSTER_STORE).set_value("S01").run()  # another store: no search either
    assert not at.exception and searches == []
    at.selectbox(key=state.ROSTER_STORE).set_value(STORE).run()
    _draft_asked(at)
    assert not at.exception and not at.error and searches == [(STORE, week)]
    assert any(box.value.startswith("Draft, not published") for box in at.info)
    at.selectbox(key=state.ROSTER_STORE).set_value("S01").run()
    at.selectbox(key=state.ROSTER_STORE).set_value(STORE).run()  # back: the draft made, kept, with no new search
    assert searches == [(STORE, week)] and any(box.value.startswith("Draft, not published") for box in at.info)


def test_each_solver_verdict_on_a_re_planned_page_names_the_roster_it_is_about(page):
    """The walk: one page read "Re-plan found in 95 s; one with fewer changes or a lower cost may exist" above and,
    with no heading, "Best re-plan found in 19 s; its cost is proven the least possible..." below, of the published
    roster: two verdicts that read as contradicting each other. Each now names its roster: the published roster by
    its id, the re-plan as the new one. The truth: the published roster as stored and the re-plan kept."""
    from planner.rostering import documents
    from planner.surfaces.roster import NEW_REPLAN

    page.button(key=state.ROSTER_PUBLISH).click().run()
    page.button(key=state.ROSTER_REPLAN_RUN).click().run()
    assert not page.exception and not page.error
    week = page.selectbox(key=state.ROSTER_WEEK).value
    engine = storage.connect(Settings(database_url=os.environ[DATABASE_URL_ENV]))
    saved = documents.published(engine, STORE, week)
    engine.dispose()
    replanned = page.session_state[state.ROSTER_LAST_REPLAN].result.roster.status_sentence
    said = [element.value.replace("\\", "") for kind in (page.markdown, page.warning) for element in kind]
    verdicts = [text for text in said if saved.status_sentence in text or replanned in text]
    assert sorted(verdicts) == sorted([f"Published roster {saved.roster_id}: {saved.status_sentence}",
                                       f"{NEW_REPLAN}: {replanned}"]), verdicts


def test_a_roster_paying_more_than_its_requirement_says_why_under_its_figures(page):
    """The walk: S01's roster paid 579 hours, its plan 520.5 and the requirement 501, with no reason given. Under its
    figures the roster now says, in one sentence, how many paid hours exceed the required staff-hours it covers and
    why as far as the roster knows (the contracts' minimum hours, shift lengths). The truth: the page's own figures
    (paid less required plus uncovered) and the people's minimums in the Hours against contract table."""
    assert not page.exception
    figures = {metric.label: float(metric.value.replace(",", "")) for metric in page.metric}
    extra = figures["Paid hours"] - (figures["Required staff-hours"] - figures["Uncovered staff-hours"])
    assert extra > 0.05, figures  # the premise: the sample's S08 pays more than it covers
    said = [caption.value.replace("\\", "") for caption in page.caption if " hours more" in caption.value]
    covered = figures["Required staff-hours"] - figures["Uncovered staff-hours"]
    # in the figures the page shows beside it: "6 paid hours more than the 505 required staff-hours covered" named a
    # 505 shown nowhere (507 required, 2 uncovered)
    cover = f"all {figures['Required staff-hours']:g}" if covered == figures["Required staff-hours"] else \
        f"{covered:g} of the {figures['Required staff-hours']:g}"
    assert len(said) == 1 and said[0].startswith(
        f"{figures['Paid hours']:g} paid hours cover {cover} required staff-hours; "), said
    # the roster paid 511 h against its plan's "Paid (h) 509.0" with nothing said: the paid figure's help says why
    (paid,) = [metric for metric in page.metric if metric.label == "Paid hours"]
    assert "named people" in paid.proto.help and "the plan's Paid (h)" in paid.proto.help, paid.proto.help
    people = page.dataframe[1].value
    minimum = float(people["Min h this week"].astype(float).sum())
    assert (f"the contracts' minimum hours, which this week come to {minimum:g}" in said[0]) == (minimum > covered + 0.05)
    # the minimums' share of the hours more where they explain only part of them, else all of them
    by_minimums = min(minimum - covered, extra)
    assert (f"; of the {extra:g} hours more, {by_minimums:g} are " in said[0]
            if minimum > covered + 0.05 and extra - by_minimums >= 0.1 else f"; the {extra:g} hours more are " in said[0])
