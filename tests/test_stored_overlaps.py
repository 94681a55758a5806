"""Opening hours stored before the checks refused overlapping openings (a store row of Saturday 18:00-06:00 beside
Sunday 00:00-24:00; a calendar date whose changed hours meet the evening before's): planned, they were filed under
one day and vanished from the other without a word. Now such a store cannot be planned, said by name with the
overlap and the fix; asked for every store, the others are planned and the store is said to be left out, as a
store with a stored number out of range is (`tests/test_store_limits.py`)."""

from __future__ import annotations

import contextlib
import io
import sqlite3

import pandas as pd
import pytest

from planner import cli, pipeline, storage
from planner.calendar import calendar_overlaps
from planner.cli_flags import EXIT_INPUT, EXIT_OK, EXIT_UNAVAILABLE
from planner.rostering import documents
from planner.saved_plans import stored_calendar
from planner.schemas import CalendarSchema as C
from planner.weeks import IsoWeek

from conftest import ROOT, sqlite_copy

W50 = IsoWeek(2026, 50)
S03_OVERLAP = ("Saturday's opening (sat 18:00-06:00) runs to 06:00 on Sunday, but Sunday opens at 00:00 "
               "(sun 00:00-24:00): the two overlap by 6 hours")
S07_OVERLAP = ("Saturday 2026-12-12's opening (its usual sat 10:00-01:00) runs to 01:00 on Sunday 2026-12-13, but "
               "Sunday 2026-12-13 opens at 00:00 (00:00-24:00 in the calendar): the two overlap by 1 hour")
S07_FIX_BY_CLI = ("Import a store calendar with the corrected row (python -m planner import --calendar "
                  "CALENDAR.csv): it replaces the stored row of the same store and date.")
S07_FIX_ON_PAGE = ("Upload a store calendar with the corrected row on the Upload page: it replaces the stored row of "
                   "the same store and date.")
"""How S07's calendar row is mended, in each surface's words: the page named the command line too, and the command
line the Upload page."""


@pytest.fixture(scope="module")
def overlapping_chain(sample_db, tmp_path_factory):
    """The sample with S03's stored Saturday running into its Sunday open from midnight, and a stored calendar row
    opening S07 (Saturday 10:00-01:00) from midnight on Sunday 13 December 2026 (ISO week 2026-W50)."""
    path = tmp_path_factory.mktemp("overlaps") / "planner.db"
    url = sqlite_copy(sample_db, path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE stores SET sat = '18:00-06:00', sun = '00:00-24:00' WHERE store_id = 'S03'")
        db.execute("INSERT INTO calendar_exceptions (store_id, date, closed, opens, closes, demand_factor) "
                   "VALUES ('S07', '2026-12-13', 0, '00:00', '24:00', 1.0)")
    return url


def _run(capsys, url: str, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--database-url", url, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_store_stored_with_overlapping_hours_is_refused_by_name_with_the_overlap_and_the_fix(
        capsys, overlapping_chain):
    code, out, err = _run(capsys, overlapping_chain, "recommend", "--store", "S03")
    assert code == EXIT_UNAVAILABLE and out == "", out
    assert err.strip() == (
        f"error: S03 cannot be planned: its stored store row has opening hours that overlap: {S03_OVERLAP}. "
        "End Saturday at 24:00 or open Sunday at 06:00. Import a corrected store file (python -m planner import "
        "--stores STORES.csv).")  # the last sentence ended too; the command line's own way only
    code, out, err = _run(capsys, overlapping_chain, "plan", "--week", "2026-W50", "--store", "S03")
    assert code == EXIT_UNAVAILABLE and f"S03 cannot be planned: its stored store row has opening hours that " \
                                           f"overlap: {S03_OVERLAP}" in err and "Traceback" not in out + err


def test_every_store_leaves_out_the_store_and_says_why(capsys, overlapping_chain, tmp_path):
    code, out, err = _run(capsys, overlapping_chain, "recommend", "--all", "--out", str(tmp_path / "all.csv"))
    assert code == EXIT_OK, err
    assert f"left out: S03 cannot be planned: its stored store row has opening hours that overlap: {S03_OVERLAP}" \
        in err
    planned = set(pd.read_csv(tmp_path / "all.csv")["store_id"])
    assert "S03" not in planned and {"S01", "S02", "S07"} <= planned


def test_a_plan_of_a_store_whose_stored_calendar_makes_two_dates_overlap_is_refused(capsys, overlapping_chain):
    code, out, err = _run(capsys, overlapping_chain, "plan", "--week", "2026-W50", "--store", "S07")
    assert code == EXIT_UNAVAILABLE and "saved as" not in out
    assert err.strip() == (
        f"error: S07 cannot be planned for 2026-W50: with its calendar, {S07_OVERLAP}. End Saturday 2026-12-12 at "
        f"24:00 or open Sunday 2026-12-13 at 01:00. {S07_FIX_BY_CLI}")
    code, out, err = _run(capsys, overlapping_chain, "roster", "--store", "S07", "--week", "2026-W50")
    assert code == EXIT_UNAVAILABLE and f"S07 cannot be planned for 2026-W50: with its calendar, {S07_OVERLAP}" \
        in err and "Traceback" not in out + err
    assert err.strip().endswith(S07_FIX_BY_CLI) and "Upload" not in err, err


@pytest.fixture(scope="module")
def planned_by_cli(overlapping_chain, tmp_path_factory) -> tuple[int, str, str]:
    """`plan --week 2026-W50` of every store, on a copy of `overlapping_chain`: (exit code, what it wrote on standard
    error, the copy's URL). Made once for the module: the Plans page test holds its page to the same plan."""
    url = sqlite_copy(overlapping_chain.removeprefix("sqlite:///"), tmp_path_factory.mktemp("plan") / "plan.db")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--database-url", url, "plan", "--week", "2026-W50"])
    return code, err.getvalue(), url


def test_a_plan_of_every_store_plans_the_others_and_says_which_were_left_out(planned_by_cli):
    code, err, url = planned_by_cli
    assert code == EXIT_OK, err
    assert f"left out: S07 cannot be planned for 2026-W50: with its calendar, {S07_OVERLAP}" in err
    (s07,) = [line for line in err.splitlines() if line.startswith("left out: S07")]
    assert s07.endswith(S07_FIX_BY_CLI) and "Upload" not in s07, s07
    assert "left out: S03 cannot be planned: its stored store row has opening hours that overlap" in err
    planned = set(storage.list_plans(storage.connect(url=url))["store_id"])
    assert {"S03", "S07"}.isdisjoint(planned) and {"S01", "S02", "S04"} <= planned


def test_only_the_weeks_the_calendar_row_falls_in_are_refused(overlapping_chain):
    engine = storage.connect(url=overlapping_chain)
    stores, calendar = storage.load_stores(engine), stored_calendar(engine)
    fine = stores[stores["store_id"] != "S03"]
    assert calendar_overlaps(fine, calendar, [IsoWeek(2026, 49), IsoWeek(2026, 51)]) == {}
    assert list(calendar_overlaps(fine, calendar, [W50])) == ["S07"]
    assert set(pipeline.unplannable_stores(stores, calendar, [W50])) == {"S03", "S07"}


def _store(**days: str) -> pd.DataFrame:
    week = {"mon": "10:00-20:00", "tue": "10:00-20:00", "wed": "10:00-20:00", "thu": "10:00-20:00",
            "fri": "10:00-20:00", "sat": "10:00-20:00", "sun": "closed", **days}
    return pd.DataFrame([{"store_id": "S20", **week}])


def _calendar(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame({C.store_id: ["S20"] * len(rows), C.date: pd.to_datetime([day for day, _ in rows]),
                         C.closed: [False] * len(rows), C.hours: [hours for _, hours in rows],
                         C.demand_factor: [1.0] * len(rows), C.note: [""] * len(rows)})


def test_a_calendar_sunday_running_into_the_weeks_monday_is_refused_as_the_week_is_planned_round():
    (said,) = calendar_overlaps(_store(mon="03:00-20:00"), _calendar(("2026-12-13", "20:00-04:00")), [W50]).values()
    assert ("Sunday 2026-12-13's opening (20:00-04:00 in the calendar) runs to 04:00 on Monday 2026-12-07, but "
            "Monday 2026-12-07 opens at 03:00 (its usual mon 03:00-20:00): the two overlap by 1 hour (a week is "
            "planned as a cycle: its Sunday night lies on its Monday's hours)") in said


@pytest.mark.parametrize("rows", [
    [("2026-12-12", "18:00-02:00"), ("2026-12-13", "02:00-12:00")],  # the next date opens as the night ends
    [("2026-12-12", "18:00-02:00")],  # the Sunday after is closed as usual
    [("2026-12-10", "08:00-23:00")],  # no opening past midnight
])
def test_calendar_dates_that_touch_or_do_not_meet_are_planned(rows):
    assert calendar_overlaps(_store(), _calendar(*rows), [W50]) == {}


def test_my_store_says_why_the_store_cannot_be_planned_and_shows_the_others(overlapping_chain, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from app_pages import state
    from planner.settings import DATABASE_URL_ENV

    monkeypatch.setenv(DATABASE_URL_ENV, overlapping_chain)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("app_pages/my_store.py").run()
    at.selectbox(key=state.MY_STORE).set_value("S03").run()
    assert not at.exception and len(at.error) == 1
    shown = at.error[0].value.replace("\\", "")
    assert shown.startswith("S03 cannot be planned: its stored store row has opening hours that overlap: Saturday's")
    assert "End Saturday at 24:00 or open Sunday at 06:00" in shown
    # the page's own way, not the command line it showed ("python -m planner import --stores STORES.csv")
    assert shown.endswith("Upload a corrected store file on the Upload page.") and "python -m" not in shown, shown
    at.selectbox(key=state.MY_STORE).set_value("S02").run()
    assert not at.exception and not at.error and at.dataframe


def _left_out(err: str) -> set[str]:
    return {line.removeprefix("left out: ") for line in err.splitlines() if line.startswith("left out: ")}


@pytest.mark.parametrize("command", [["recommend"], ["recommend", "--all"], ["schedule", "--budget", "100"],
                                     ["schedule", "--all", "--budget", "100"]])
def test_every_store_by_default_or_by_all_says_which_were_left_out(capsys, overlapping_chain, command):
    """`recommend` without a flag (every store, its help says) printed S01-S08 and not a word of S03; `schedule`
    dropped it unseen, with --all or without."""
    code, out, err = _run(capsys, overlapping_chain, *command)
    assert code == EXIT_OK, err
    (said,) = _left_out(err)
    assert said.startswith("S03 cannot be planned: its stored store row has opening hours that overlap: ")
    assert said.endswith("Import a corrected store file (python -m planner import --stores STORES.csv).")
    assert "S03" not in out and "S02" in out


def test_the_saved_plans_and_rosters_of_a_store_that_cannot_be_planned_are_listed(capsys, sample_db, tmp_path):
    """`plans list` showed S03's plan, `plans list --store S03` refused it with "S03 cannot be planned" (exit 2), as
    did `rosters list --store S03` and `audit --store S03`: listing what was saved needs no plan of today's row."""
    url = sqlite_copy(sample_db, tmp_path / "listed.db")
    assert cli.main(["--database-url", url, "plan", "--week", "2026-W50", "--store", "S03"]) == EXIT_OK
    capsys.readouterr()
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE stores SET sat = '18:00-06:00', sun = '00:00-24:00' WHERE store_id = 'S03'")
    code, every, err = _run(capsys, url, "plans", "list")
    assert code == EXIT_OK and " S03 " in every, err
    code, out, err = _run(capsys, url, "plans", "list", "--store", "S03")
    assert code == EXIT_OK and err == "" and out == every, err
    code, out, err = _run(capsys, url, "rosters", "list", "--store", "S03")
    assert code == EXIT_OK and err == "" and out.startswith("no saved rosters of S03: "), err
    code, out, err = _run(capsys, url, "audit", "--store", "S03")
    assert code == EXIT_OK and "plan 1 made for S03 2026-W50" in out, err
    code, out, err = _run(capsys, url, "plans", "list", "--store", "S99")  # still: an unknown store is said
    assert code == EXIT_INPUT and "unknown store id: S99" in err


def _page(url: str, monkeypatch, page: str):
    from streamlit.testing.v1 import AppTest

    from planner.settings import DATABASE_URL_ENV

    monkeypatch.setenv(DATABASE_URL_ENV, url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    return at.switch_page(page).run()


def test_the_plans_page_plans_the_stores_that_can_be_and_says_which_were_left_out_as_plan_does(
        planned_by_cli, overlapping_chain, tmp_path, monkeypatch):
    """The Stores box starts with every store: Make plan showed S03's error alone and saved no plan of the others,
    where `plan --week` plans them and says which stores were left out (S03's row; S07's calendar in 2026-W50)."""
    from app_pages import state

    code, err, by_cli = planned_by_cli
    assert code == EXIT_OK and len(_left_out(err)) == 2, err
    by_page = sqlite_copy(overlapping_chain.removeprefix("sqlite:///"), tmp_path / "page.db")
    at = _page(by_page, monkeypatch, "app_pages/plans.py")
    assert set(at.multiselect(key=state.PLANS_STORES).value) == {f"S0{n}" for n in range(1, 10)}
    at.text_input(key=state.PLANS_WEEK).set_value("2026-W50").run()
    at.button(key=state.PLANS_MAKE).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    said = {w.value.replace("\\", "").removeprefix("Left out: ") for w in at.warning if w.value.startswith("Left out")}
    # the same reasons, each in its own surface's words: the page names its Upload page, the command line `import`
    from planner.cli_users import store_file_fix

    assert {store_file_fix(reason) for reason in said} == _left_out(err)
    assert not any("python -m" in reason for reason in said), said
    (s07,) = [reason for reason in said if reason.startswith("S07")]
    assert s07.endswith(S07_FIX_ON_PAGE), s07
    planned = set(storage.list_plans(storage.connect(url=by_page))["store_id"])
    assert planned == set(storage.list_plans(storage.connect(url=by_cli))["store_id"])
    assert {"S03", "S07"}.isdisjoint(planned) and len(planned) == 7

    at.multiselect(key=state.PLANS_STORES).set_value(["S03"]).run()  # picked alone: refused by name, as --store S03
    at.button(key=state.PLANS_MAKE).click().run()
    assert not at.exception and len(at.error) == 1
    assert at.error[0].value.replace("\\", "").startswith("S03 cannot be planned: its stored store row has opening")
    # none picked can be planned: each named with its reason (S07's calendar was said only once S03 was put right)
    at.multiselect(key=state.PLANS_STORES).set_value(["S03", "S07"]).run()
    at.button(key=state.PLANS_MAKE).click().run()
    assert not at.exception and len(at.error) == 1
    refused = at.error[0].value.replace("\\", "")
    assert refused.startswith("S03 cannot be planned") and "S07 cannot be planned for 2026-W50" in refused, refused
    assert refused.endswith(S07_FIX_ON_PAGE) and "python -m" not in refused, refused
    assert len(storage.list_plans(storage.connect(url=by_page))) == 7


def test_the_plans_page_counts_the_stores_it_plans_not_those_picked(overlapping_chain, tmp_path, monkeypatch):
    """S01 and S03 picked, S03 left out (its stored hours overlap): the progress said "Planning 2 stores" while one
    was planned, as the bar's own count then said ("Planned 1 of 1 store")."""
    import streamlit as st

    from app_pages import state

    url = sqlite_copy(overlapping_chain.removeprefix("sqlite:///"), tmp_path / "page.db")
    at = _page(url, monkeypatch, "app_pages/plans.py")
    said = []
    progress = st.progress

    class Bar:  # the bar's own updates said too, as `st.progress`'s first words are
        def __init__(self, bar):
            self.bar = bar

        def progress(self, value, text=None, **kw):
            said.append(text)
            return self.bar.progress(value, text=text, **kw)

        def empty(self):
            return self.bar.empty()

    monkeypatch.setattr(st, "progress", lambda value, text=None, **kw: said.append(text) or Bar(progress(value, text,
                                                                                                       **kw)))
    at.multiselect(key=state.PLANS_STORES).set_value(["S01", "S03"]).run()
    at.text_input(key=state.PLANS_WEEK).set_value("2026-W50").run()
    at.button(key=state.PLANS_MAKE).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert set(storage.list_plans(storage.connect(url=url))["store_id"]) == {"S01"}
    assert said[:2] == ["Making plans for 2026-W50…", "Making plans for 1 store, 2026-W50…"], said
    assert not [text for text in said if text and "2 stores" in text], said
    assert [w for w in at.warning if w.value.startswith("Left out: S03")]


def test_the_settings_notes_count_only_the_stores_planned_and_name_the_one_left_out(overlapping_chain, monkeypatch):
    """The store file sets min_staff for every store of the sample: with S03 refused, the note read "sets its own
    for 8 of 9 stores: the value here applies to the other 1", as if S03 were planned with the value here."""
    at = _page(overlapping_chain, monkeypatch, "app_pages/settings.py")
    assert not at.exception and not at.error
    notes = [caption.value.replace("\\", "") for caption in at.caption if ":material/info:" in caption.value]
    assert not [note for note in notes if "of 9" in note or "the other 1." in note], notes
    assert any(note.endswith("The store file sets this for every store (8 of 8): the value here is not used. S03 "
                             "is left out: it cannot be planned (above).") for note in notes), notes
    (left_out,) = [w.value.replace("\\", "") for w in at.warning if w.value.startswith("Left out")]
    assert left_out.startswith("Left out: S03 cannot be planned: its stored store row has opening hours that overlap")


def test_what_was_saved_of_a_store_that_cannot_be_planned_still_shows_and_a_replan_says_why_not(
        capsys, roster_db_url, tmp_path):
    """S03's plan and roster published, then its stored row made to overlap: `roster --show` and `review` refused
    with "S03 cannot be planned" (exit 2), though they show what was published. They show it, with a note of why
    nothing is worked out again; `roster replan` still refuses, saying it is the re-plan refused, that nothing was
    stored, and the overlap and its fix."""
    url = roster_db_url
    assert cli.main(["--database-url", url, "plan", "--week", "2026-W50", "--store", "S03", "--publish"]) == 0
    assert cli.main(["--database-url", url, "roster", "--week", "2026-W50", "--store", "S03", "--publish",
                     "--publish-anyway"]) == 0
    capsys.readouterr()
    engine = storage.connect(url=url)
    roster_id = int(storage.list_rosters(engine, "S03")["roster_id"].iloc[0])
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE stores SET sat = '18:00-06:00', sun = '00:00-24:00' WHERE store_id = 'S03'")
    why = f"S03 cannot be planned: its stored store row has opening hours that overlap: {S03_OVERLAP}."

    code, out, err = _run(capsys, url, "roster", "--store", "S03", "--week", "2026-W50", "--show")
    assert code == EXIT_OK and f"Published roster {roster_id}; requirement: the published plan" in out, err
    assert f"note: roster {roster_id} is shown as published, without working out its requirement again, since " \
           f"{why}" in err, err
    code, out, err = _run(capsys, url, "review", "--store", "S03", "--week", "2026-W50")
    assert code == EXIT_OK and out.startswith("S03, plan 1 for 2026-W50 published "), (out, err)
    assert f"note: plan 1 is reviewed as published, without working out the requirement again, since {why}" in err

    absence = tmp_path / "absence.csv"
    worker = storage.load_roster(engine, roster_id)
    shifts = documents.saved_roster(worker).shifts
    first = shifts.iloc[0]
    day = pd.Timestamp(first["start"]).date().isoformat()
    absence.write_text(f"employee_id,first_day,last_day,reason\n{first['employee_id']},{day},{day},sick\n")
    code, out, err = _run(capsys, url, "roster", "replan", "--absence", str(absence), "--publish")
    assert code == EXIT_UNAVAILABLE and "re-planning" not in err, (out, err)
    assert err.strip().startswith("error: S03 2026-W50 is not re-planned, and nothing was stored or published (the "
                                  f"published roster stays as it is): {why}"), err
    assert err.strip().endswith("Then run this re-plan again."), err
    assert storage.load_absences(engine, [first["employee_id"]]).empty  # nothing stored
    engine.dispose()
