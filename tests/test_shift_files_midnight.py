"""A shift that ends at its opening day's midnight is written "24:00" in the weekly schedule's shifts.csv and a dated
plan's plan_shifts.csv, as the roster's files, the sentences and an opening of 18:00-24:00 write it; "HH:MM+1" only
for an end after that midnight. Both files wrote "00:00+1" for it. Their readers (`simulate --schedule`, with or
without `--plan`) read both spellings: files written by older versions say "00:00+1", and older still "01:00"
without its "+1"."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pandas as pd

from planner.export import write_schedule
from planner.plans.export import shifts_table
from planner.settings import ShiftRules
from planner.shifts import from_hourly, report, solve_shifts
from planner.simulation.dated import dated_shifts_from_csv
from planner.simulation.roster import MINUTES_PER_DAY, MINUTES_PER_WEEK, read_shifts_csv, roster_from_shifts

SAT = 5
SATURDAY_TO_ONE = (None,) * 5 + ((18 * 60, 25 * 60),) + (None,)
FOUR_HOURS = ShiftRules(shift_lengths_hours=(4,), hard_coverage=True)
WEEK = "2026-W50"
DATES = [dt.date(2026, 12, 7) + dt.timedelta(days=day) for day in range(7)]
SATURDAY = DATES[SAT]


def _on_floor(*spans: tuple[int, int]) -> np.ndarray:
    """Staff per minute of the week from (start, end) minutes after Saturday's midnight, one person each."""
    staff = np.zeros(MINUTES_PER_WEEK, dtype=np.int64)
    for start, end in spans:
        staff[SAT * MINUTES_PER_DAY + start:SAT * MINUTES_PER_DAY + end] += 1
    return staff


EXPECTED = _on_floor((20 * 60, 24 * 60), (21 * 60, 25 * 60))
"""Saturday 20:00-24:00 and 21:00-01:00+1, the only two four-hour shifts covering the need below."""


def test_a_schedules_shifts_csv_writes_an_end_at_midnight_24_00_and_reads_back_the_same_shifts(tmp_path):
    required = np.zeros((7, 24))
    required[SAT, 20:24] = 1
    required[SAT, 21:24] += 1
    required[SAT + 1, 0] = 1  # Saturday's 00:00+1
    schedule = report(solve_shifts(from_hourly("S", required, SATURDAY_TO_ONE), FOUR_HOURS))
    write_schedule([schedule], pd.DataFrame([schedule.totals]), tmp_path)
    written = pd.read_csv(tmp_path / "shifts.csv", dtype=str, keep_default_na=False)
    assert sorted(zip(written["start"], written["end"])) == [("20:00", "24:00"), ("21:00", "01:00+1")]
    assert set(written["weekday"]) == {str(SAT)}
    read = roster_from_shifts(read_shifts_csv((tmp_path / "shifts.csv").read_bytes(), "shifts.csv"), "S",
                              break_minutes=FOUR_HOURS.break_minutes)
    np.testing.assert_array_equal(read, EXPECTED)


def test_a_schedules_shifts_file_of_an_older_version_reads_as_before(tmp_path):
    path = tmp_path / "shifts.csv"
    path.write_text("store_id,weekday,start,end,break_start,staff\n"
                    "S,5,20:00,00:00+1,,1\n"  # as shifts.csv wrote an end at midnight
                    "S,5,21:00,01:00,,1\n")  # older still: an end past midnight without its +1
    read = roster_from_shifts(read_shifts_csv(path.read_bytes(), str(path)), "S", break_minutes=30)
    np.testing.assert_array_equal(read, EXPECTED)


def _plan_shifts(*spans: tuple[int, int]) -> pd.DataFrame:
    """A plan's dated shifts (`planner.plans` columns): Saturday's, minutes after its midnight."""
    return pd.DataFrame({
        "store_id": "S", "iso_week": WEEK, "date": pd.Timestamp(SATURDAY),
        "start_minute": [start for start, _ in spans], "end_minute": [end for _, end in spans],
        "break_start_minute": pd.array([None] * len(spans), dtype="Int64"), "staff": 1})


def test_a_plans_shifts_csv_writes_an_end_at_midnight_24_00_and_reads_back_the_same_shifts(tmp_path):
    plan = SimpleNamespace(shifts=_plan_shifts((20 * 60, 24 * 60), (21 * 60, 25 * 60)))  # all `shifts_table` reads
    path = tmp_path / "plan_shifts.csv"
    shifts_table(plan).to_csv(path, index=False)
    written = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(zip(written["start"], written["end"])) == [("20:00", "24:00"), ("21:00", "01:00+1")]
    read = dated_shifts_from_csv(read_shifts_csv(path.read_bytes(), str(path)), "S", WEEK, DATES)
    assert list(zip(read["start_minute"], read["end_minute"])) == [(20 * 60, 24 * 60), (21 * 60, 25 * 60)]
    assert (read["date"] == pd.Timestamp(SATURDAY)).all()


def test_a_plans_shifts_file_of_an_older_version_reads_as_before(tmp_path):
    path = tmp_path / "plan_shifts.csv"
    path.write_text("store_id,iso_week,date,day,start,end,break_start,staff\n"
                    f"S,{WEEK},{SATURDAY},Sat,20:00,00:00+1,,1\n"
                    f"S,{WEEK},{SATURDAY},Sat,21:00,01:00+1,,1\n")
    read = dated_shifts_from_csv(read_shifts_csv(path.read_bytes(), str(path)), "S", WEEK, DATES)
    assert list(zip(read["start_minute"], read["end_minute"])) == [(20 * 60, 24 * 60), (21 * 60, 25 * 60)]
