"""Where the command line says a rejected file's problems: its warnings and its errors together on standard error,
so that a user piping standard output (the schedule, the simulation) neither reads warnings of a file whose error
is elsewhere nor misses them; an accepted file's warnings stay with the command's output."""

from __future__ import annotations

import openpyxl

from conftest import chain_roster_rules_saved
from planner.cli import main

OTHER_SHEET_WARNING = "only the first sheet"


def _workbook(path, header, rows, other_sheet="Notes"):
    """A workbook of `header` and `rows` on its first sheet and a second sheet `other_sheet`, which reading warns is
    not read."""
    workbook = openpyxl.Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    workbook.create_sheet(other_sheet).append(["a note"])
    workbook.save(path)
    return path


def _requirements(path, cell):
    return _workbook(path, ["day", *[f"h{hour:02d}" for hour in range(24)]], [["Mon", *[cell] * 24]])


def _shifts(path, end):
    return _workbook(path, ["store_id", "weekday", "start", "end", "break_start", "staff"],
                     [["S01", "0", "09:00", end, "", "1"]])


def test_rejected_requirements_say_warnings_and_error_on_standard_error(capsys, settings, tmp_path):
    path = _requirements(tmp_path / "req.xlsx", "x")  # not a number of staff
    code = main(["--database-url", settings.resolved_database_url(), "schedule", "--requirements", str(path)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert OTHER_SHEET_WARNING in captured.err and "not a requirements table" in captured.err
    assert captured.err.index(OTHER_SHEET_WARNING) < captured.err.index("not a requirements table")


def test_rejected_shifts_file_says_warnings_and_errors_on_standard_error(capsys, settings, engine, tmp_path):
    # `engine`: a database there (empty); without one `simulate` says so before reading the file
    path = _shifts(tmp_path / "shifts.xlsx", "zz")  # not a clock time
    code = main(["--database-url", settings.resolved_database_url(), "simulate", "--store", "S01",
                 "--schedule", str(path)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert any(OTHER_SHEET_WARNING in line for line in lines)
    assert any(line.startswith(f"{path}:2: end: 'zz' is not understood") for line in lines)
    assert "nothing was simulated" in lines[-1]


def test_rejected_import_says_its_problems_on_standard_error(capsys, settings, tmp_path):
    path = tmp_path / "absences.csv"
    path.write_text("employee_id,first_day,last_day,reason\nE404,2026-01-05,2026-01-04,sick\n")
    code = main(["--database-url", settings.resolved_database_url(), "import", str(path)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert f"{path}:2:" in captured.err and "nothing was imported" in captured.err


def test_accepted_file_warnings_stay_with_the_output(capsys, settings, tmp_path):
    """The other half: a file the command accepts has its warnings printed with what the command prints."""
    path = _requirements(tmp_path / "req.xlsx", 0)
    code = main(["--database-url", settings.resolved_database_url(), "schedule", "--requirements", str(path),
                 "--time-limit", "1"])
    captured = capsys.readouterr()
    assert code == 0
    assert OTHER_SHEET_WARNING in captured.out and OTHER_SHEET_WARNING not in captured.err


def test_rejected_calendar_or_absence_file_says_warnings_and_errors_on_standard_error(capsys, sample_url, tmp_path):
    calendar = _workbook(tmp_path / "calendar.xlsx", ["store_id", "date", "closed", "hours", "demand_factor", "note"],
                         [["S01", "2026-12-24", "maybe", "", "", ""]])
    absences = _workbook(tmp_path / "absences.xlsx", ["employee_id", "first_day", "last_day", "reason"],
                         [["E404", "2026-01-05", "2026-01-04", "sick"]])
    for argv, path, refused in [
        (["plan", "--store", "S01", "--week", "2026-W52", "--calendar", str(calendar)], calendar,
         "nothing was planned"),
        (["roster", "replan", "--absence", str(absences)], absences, "nothing was re-planned"),
    ]:
        code = main(["--database-url", sample_url, *argv])
        captured = capsys.readouterr()
        assert code == 1
        assert captured.out == ""
        lines = captured.err.splitlines()
        assert any(OTHER_SHEET_WARNING in line for line in lines)
        assert any(line.startswith(f"{path}:2: ") for line in lines)
        assert refused in lines[-1]


def test_a_plan_refused_after_its_calendar_is_accepted_says_the_calendar_s_warnings_with_the_refusal(capsys,
                                                                                                    sample_url,
                                                                                                    tmp_path):
    """`plan --calendar` printed an accepted calendar's warnings on standard output at once, so a plan refused
    later, for a reason not the file's (an unknown store), left them there, apart from its error. Said with the
    refusal now, before it, the exit code as it was; a plan made keeps them with its output."""
    calendar = _workbook(tmp_path / "calendar.xlsx", ["store_id", "date", "closed", "hours", "demand_factor", "note"],
                         [["S01", "2026-12-24", "yes", "", "", ""]])
    code = main(["--database-url", sample_url, "plan", "--store", "S404", "--week", "2026-W52",
                 "--calendar", str(calendar)])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    lines = captured.err.splitlines()
    warned = [i for i, line in enumerate(lines) if OTHER_SHEET_WARNING in line and line.startswith(str(calendar))]
    refused = [i for i, line in enumerate(lines) if line.startswith("error: unknown store id: S404")]
    assert len(warned) == 1 and refused and warned[0] < refused[0], lines
    code = main(["--database-url", sample_url, "plan", "--store", "S01", "--week", "2026-W52",
                 "--calendar", str(calendar)])
    captured = capsys.readouterr()
    assert code == 0 and captured.out.count(OTHER_SHEET_WARNING) == 1 and OTHER_SHEET_WARNING not in captured.err


def test_a_replan_refused_after_its_absence_file_is_accepted_says_the_file_s_warnings_with_the_refusal(
        capsys, roster_db_url, tmp_path):
    """`roster replan --absence` printed an accepted file's warnings on standard output at once, so a re-plan refused
    later (dated before the roster was published; the quick re-plan with --publish) left them there, apart from its
    refusal. Said with the refusal now, on standard error before it, exit codes as they were; a re-plan shown keeps
    them with its output."""
    import datetime as dt

    from planner import storage
    from planner.rostering import documents
    from planner.settings import Settings

    store, week = "S08", "2026-W50"
    assert main(["--database-url", roster_db_url, "roster", "--store", store, "--week", week, "--publish"]) == 0
    engine = storage.connect(Settings(database_url=roster_db_url))
    first = documents.published(engine, store, week).shifts.sort_values("start").iloc[0]
    moment = storage.published_roster(engine, store, week).published_at
    published_on = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone().date()
    engine.dispose()
    day = first["start"].date()
    absences = _workbook(tmp_path / "absences.xlsx", ["employee_id", "first_day", "last_day", "reason"],
                         [[first["employee_id"], str(day), "", "sick"]])
    replan = ["--database-url", roster_db_url, "roster", "replan", "--absence", str(absences)]
    chain_roster_rules_saved(roster_db_url, time_limit_seconds=1e-3, deterministic_time_limit=1e-4)  # the quick re-plan
    capsys.readouterr()  # the roster published
    for flags, code_then, refusal in [
        (["--today", str(published_on - dt.timedelta(days=1))], 1, "error: "),  # raised: not published then
        (["--today", str(day - dt.timedelta(days=1)), "--publish"], 1, "nothing saved or published: "),  # returned
    ]:
        code = main([*replan, *flags])
        captured = capsys.readouterr()
        assert code == code_then and OTHER_SHEET_WARNING not in captured.out, (flags, captured.out)
        lines = captured.err.splitlines()
        warned = [i for i, line in enumerate(lines) if OTHER_SHEET_WARNING in line and line.startswith(str(absences))]
        refused = [i for i, line in enumerate(lines) if line.startswith(refusal)]
        assert len(warned) == 1 and refused and warned[0] < refused[0], (flags, lines)
    code = main([*replan, "--today", str(day - dt.timedelta(days=1))])  # a preview: shown, not refused
    captured = capsys.readouterr()
    assert code == 0 and captured.out.count(OTHER_SHEET_WARNING) == 1 and OTHER_SHEET_WARNING not in captured.err
