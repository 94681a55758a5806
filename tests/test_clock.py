"""The date and the moment the planner takes as now (`planner.clock`): PLANNER_TODAY sets both, a stamp and the date
it is compared with read that one clock, and a value that is no date is said in one sentence by the command line and
the app. The truth is the environment variable as set here and the machine's own clock (`datetime.now`)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from planner import cli, clock, storage
from planner.calendar import IsoWeek
from planner.cli_flags import EXIT_INPUT, EXIT_OK
from planner.rostering import documents
from planner.settings import DATABASE_URL_ENV, Settings

from conftest import ROOT

SAID = "PLANNER_TODAY is {value!r}, not a date written YYYY-MM-DD from 1900 to 2199 (e.g. 2026-12-01): correct it, " \
       "or unset it to take the machine's date"
"""The sentence a malformed PLANNER_TODAY is refused with, written out here rather than read from the module."""

MALFORMED = ["2026-13-01", "2026-02-30", "20261201", "2026-W49-2", "2026-12-1", "1.12.2026", "yesterday",
             "0001-01-01", "2200-01-01", "٢٠٢٦-١٢-٠١"]
"""Not dates, dates in a form no message offers (`date.fromisoformat` takes the basic and week forms), dates outside
the years a week may have, and Arabic-Indic digits."""


def _seconds_of_day(moment: dt.datetime) -> float:
    return moment.hour * 3600 + moment.minute * 60 + moment.second + moment.microsecond / 1e6


def test_planner_today_is_today_and_now_is_that_date_at_the_machines_time_of_day(monkeypatch):
    monkeypatch.setenv("PLANNER_TODAY", "2031-03-05")
    assert clock.today() == dt.date(2031, 3, 5)
    before, moment, after = dt.datetime.now().astimezone(), clock.now(), dt.datetime.now().astimezone()
    assert moment.utcoffset() == dt.timedelta(0)  # aware, in UTC, as the stamps are stored
    local = moment.astimezone()
    assert local.date() == dt.date(2031, 3, 5)  # its date where the machine is: what a publication is dated by
    assert _seconds_of_day(before) - 1 <= _seconds_of_day(local) <= _seconds_of_day(after) + 1 or before.date() != \
        after.date()  # the machine's time of day (a run across midnight excepted)


class _Machine(dt.datetime):
    """The machine's clock as a test sets it (`at`, an aware moment), in place of `planner.clock`'s `datetime`: a
    stamp taken after another on the real clock was earlier when the two fell either side of the machine's midnight,
    which under the pin wraps to the same date's 00:00 (as `planner.clock` says it does)."""

    at: dt.datetime

    @classmethod
    def now(cls, tz=None):
        return cls.at.astimezone(tz)


def test_now_under_planner_today_advances_with_the_machines_time_of_day(monkeypatch):
    monkeypatch.setenv("PLANNER_TODAY", "2031-03-05")
    monkeypatch.setattr(clock, "datetime", _Machine)
    # local times of one machine day (the zone the test runs in, whatever it is): never across its midnight
    machine = [dt.datetime(2026, 1, 10, 9, 0).astimezone(), dt.datetime(2026, 1, 10, 9, 0, 0, 1).astimezone(),
               dt.datetime(2026, 1, 10, 17, 30).astimezone()]
    stamps = []
    for moment in machine:
        _Machine.at = moment
        stamps.append(clock.now())
    local = [stamp.astimezone() for stamp in stamps]
    assert [stamp.utcoffset() for stamp in stamps] == [dt.timedelta(0)] * 3  # aware, in UTC, as stored
    assert [moment.date() for moment in local] == [dt.date(2031, 3, 5)] * 3  # the pinned date, not the machine's
    assert [moment.time() for moment in local] == [moment.time() for moment in machine]  # the machine's time of day
    assert stamps[0] < stamps[1] < stamps[2]  # a later stamp of the day is later, by as little as a microsecond


def test_a_date_with_spaces_around_it_is_read_and_an_empty_one_is_the_machines(monkeypatch):
    monkeypatch.setenv("PLANNER_TODAY", " 2031-03-05\n")
    assert clock.today() == dt.date(2031, 3, 5)
    monkeypatch.setenv("PLANNER_TODAY", "")
    assert clock.today() == dt.date.today()


def test_without_planner_today_both_are_the_machines(monkeypatch):
    monkeypatch.delenv("PLANNER_TODAY")
    assert clock.today() == dt.date.today()
    before, moment, after = dt.datetime.now(dt.UTC), clock.now(), dt.datetime.now(dt.UTC)
    assert before <= moment <= after and moment.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize("value", MALFORMED)
def test_a_planner_today_that_is_no_date_is_refused_naming_the_variable_and_the_form(monkeypatch, value):
    monkeypatch.setenv("PLANNER_TODAY", value)
    for asked in (clock.today, clock.now, clock.check):
        with pytest.raises(clock.BadToday) as refused:
            asked()
        assert str(refused.value) == SAID.format(value=value)


@pytest.mark.parametrize("command", [["stores"], ["plans", "list"], ["validate", str(ROOT / "data" / "stores.csv")]])
def test_the_command_line_refuses_a_malformed_planner_today_in_one_sentence(monkeypatch, capsys, tmp_path, command):
    """Every command, whether or not it asks the date: `stores` and `validate` never do."""
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-32")
    code = cli.main(["--database-url", f"sqlite:///{tmp_path / 'planner.db'}", *command])
    out, err = capsys.readouterr()
    assert code == EXIT_INPUT
    assert out == "" and err == f"error: {SAID.format(value='2026-12-32')}\n"


def test_python_m_planner_refuses_it_without_a_traceback(tmp_path):
    """As started from a shell: the environment is read by the process itself."""
    import os

    done = subprocess.run([sys.executable, "-m", "planner", "--database-url", f"sqlite:///{tmp_path / 'p.db'}",
                           "stores"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PLANNER_TODAY": "tomorrow"})
    assert done.returncode == EXIT_INPUT, done.stderr
    assert done.stderr == f"error: {SAID.format(value='tomorrow')}\n" and done.stdout == ""


def test_the_app_says_it_and_serves_no_page(monkeypatch, sample_url):
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    monkeypatch.setenv("PLANNER_TODAY", "01/12/2026")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    # as markdown, escaped (`app_pages.tables.as_text`): read without the escapes
    assert [box.value.replace("\\", "") for box in at.error] == [SAID.format(value="01/12/2026")]
    assert not at.title  # no page drawn under it


def test_a_roster_published_on_a_pinned_date_is_re_planned_from_that_date(roster_db_url, tmp_path, monkeypatch,
                                                                           capsys):
    """With today pinned to a Tuesday of the roster's week, away from the machine's date: the roster is published
    then (its stamps dated by the pin, not by the machine's clock, which a re-plan's today may not precede), and a
    re-plan without --today is dated by the pin as well: the absent person's Monday is before today, as it happened;
    their later shifts are re-planned; the re-plan is published and stamped on that Tuesday."""
    store, week = "S08", IsoWeek.parse("2026-W50")
    tuesday = week.dates()[1]
    monkeypatch.setenv("PLANNER_TODAY", str(tuesday))
    url = ["--database-url", roster_db_url]
    assert cli.main([*url, "roster", "--store", store, "--week", str(week), "--publish"]) == EXIT_OK
    engine = storage.connect(Settings(database_url=roster_db_url))
    before = documents.published(engine, store, str(week))
    stored = storage.published_roster(engine, store, str(week))
    assert stored.published_at.astimezone().date() == tuesday and stored.created_at.astimezone().date() == tuesday
    shifts = before.shifts.sort_values("start")
    monday_shifts = shifts[shifts["start"].dt.date == week.monday]
    person = next(p for p in monday_shifts["employee_id"]
                  if (shifts[shifts["employee_id"] == p]["start"].dt.date > tuesday).any())  # works later too
    sick = tmp_path / "sick.csv"
    sick.write_text(f"employee_id,first_day,last_day,reason\n{person},{week.monday},{week.dates()[-1]},sick\n",
                    encoding="utf-8")
    capsys.readouterr()
    code = cli.main([*url, "roster", "replan", "--absence", str(sick), "--publish"])
    out, err = capsys.readouterr()
    assert code == EXIT_OK, err
    theirs = [line for line in out.splitlines() if f"({person}): cancelled" in line]
    assert [line for line in theirs if line.lstrip().startswith(f"{week.monday:%a %Y-%m-%d}")] == \
        [line for line in theirs if line.endswith("(before today: as it happened)")] != []
    assert any(not line.endswith("(before today: as it happened)") for line in theirs)  # their days after today
    after = storage.published_roster(engine, store, str(week))
    assert after.roster_id != before.roster_id and "re-plan after sick.csv" in after.note
    assert after.published_at.astimezone().date() == tuesday and after.created_at.astimezone().date() == tuesday
    engine.dispose()
