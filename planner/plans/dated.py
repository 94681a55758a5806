"""A week's shift reports onto dates: shifts, coverage, statuses and sentences per store and ISO week, a shift's
times as minutes after midnight of the date whose opening it works in (`planner.plans.schema`)."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from planner.calendar import IsoWeek, hour_dates
from planner.hours import WEEKDAY_NAMES
from planner.plans.schema import (PlanCoverageSchema as V, PlanExplanationSchema as E,
                                  PlanScheduleSchema as R, PlanShiftSchema as H)
from planner.shifts import ShiftReport


def dated_shifts(reports: list[ShiftReport], week: IsoWeek) -> pd.DataFrame:
    """Every shift of `reports` on the date of the opening it works in, its times minutes after that date's midnight:
    a shift starting after midnight of an evening opening (Saturday 07:00-05:00's 00:00-05:00) is Saturday's, from
    1,440 to 1,740 ("00:00+1-05:00+1"), as the requirement files those hours (`DatedDemandSchema.business_date`). A
    candidate's weekday is its opening's (`planner.shifts.candidates`), so its minutes are kept as they are; Sunday's
    night stays Sunday's, 00:00+1 of Sunday's date (the day after it, next week's Monday, by the clock)."""
    dates = week.dates()
    rows = []
    for report in reports:
        if not report.has_schedule:
            continue
        for shift in report.solution.shifts:
            candidate = shift.candidate
            rows.append({
                H.store_id: report.solution.instance.store_id, H.iso_week: str(week),
                H.date: pd.Timestamp(dates[candidate.weekday]), H.start_minute: candidate.start_minute,
                H.end_minute: candidate.end_minute, H.break_start_minute: candidate.break_start_minute,
                H.staff: int(shift.staff),
            })
    frame = pd.DataFrame(rows, columns=list(H.to_schema().columns))
    return frame.astype({H.store_id: str, H.iso_week: str, H.date: "datetime64[ns]", H.start_minute: "int64",
                         H.end_minute: "int64", H.break_start_minute: "Int64", H.staff: "int64"})


def dated_coverage(reports: list[ShiftReport], week: IsoWeek, stores: pd.DataFrame) -> pd.DataFrame:
    """Every report's coverage per clock hour on the date the hour falls on, as the plan's staffing dates it
    (`planner.calendar.hour_dates`, the week's opening hours `stores`): Sunday night's hours on the next Monday."""
    parts = [report.coverage for report in reports if not report.coverage.empty]
    columns = list(V.to_schema().columns)
    if not parts:
        return _empty(columns, V)
    rows = pd.concat(parts, ignore_index=True)
    rows[V.iso_week] = str(week)
    rows[V.date] = hour_dates(rows, stores, week)[1]
    return rows.astype({V.store_id: str, V.weekday: "int64", V.hour: "int64", V.required_staff: "int64",
                        V.scheduled_staff: "int64", V.under: float, V.over: float})[columns]


def dated_schedules(reports: list[ShiftReport], week: IsoWeek) -> pd.DataFrame:
    columns = list(R.to_schema().columns)
    rows = [{**report.totals, R.iso_week: str(week)} for report in reports]
    frame = pd.DataFrame(rows, columns=columns) if rows else _empty(columns, R)
    numbers = [c for c in columns if c not in (R.store_id, R.iso_week, R.status, R.status_text, R.least_paid_proven,
                                               R.no_shift_cause)]
    return frame.astype({**dict.fromkeys(numbers, float), R.store_id: str, R.iso_week: str,
                         R.least_paid_proven: "boolean", R.no_shift_cause: "string"})


def dated_explanations(reports: list[ShiftReport], week: IsoWeek) -> pd.DataFrame:
    """Every report's sentences, a weekday and time in them ("Thu 13:00-14:00") named by its date in `week`
    ("Thu 24 Dec 13:00-14:00"): a dated plan's week may differ from the usual one (a calendar's holiday)."""
    dates = week.dates()

    def dated(sentence: str) -> str:
        return _WEEKDAY_AT.sub(lambda m: f"{m[1]} {_day_month(dates[WEEKDAY_NAMES.index(m[1])])} {m[2]}", sentence)

    rows = [(report.solution.instance.store_id, str(week), dated(sentence))
            for report in reports for sentence in report.explanations]
    return pd.DataFrame(rows, columns=[E.store_id, E.iso_week, E.sentence]).astype(str)


_WEEKDAY_AT = re.compile(rf"\b({'|'.join(WEEKDAY_NAMES)}) (\d\d:\d\d)")
"""A weekday followed by a time of day, as `planner.shifts.instance.slot_labels` writes them."""


def _day_month(day: date) -> str:
    """"7 Dec": the day without a leading zero, written from `day.day` since strftime's "%-d" is glibc's alone."""
    return f"{day.day} {day:%b}"


def _empty(columns: list[str], model) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    schema = model.to_schema()
    schema.coerce = True
    return schema.validate(frame)
