"""Where the command line says a rejected file's problems: its warnings and its errors together on standard error,
so that a user piping standard output (the schedule, the simulation) neither reads warnings of a file whose error
is elsewhere nor misses them; an accepted file's warnings stay with the command's output."""

from __future__ import annotations

import openpyxl

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


def test_rejected_shifts_file_says_warnings_and_errors_on_standard_error(capsys, settings, tmp_path):
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
