"""The hint a date cell gets when it is written day or month first (30/12/2026, 06-12-2026, 30.12.2026) instead of
as YYYY-MM-DD: the one date it means, both dates where it reads two ways, or the one the file's other dates settle
(a row that can only be read one way shows the order the file writes its dates in).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd


def date_as_written(value: object, settled: SettledOrder | None = None) -> str:
    """" (write 2026-12-30)" for a date written day or month first ("30.12.2026", "30/12/2026", "12/30/2026",
    "30-12-2026") that reads as one date only; both readings, day first, for one that reads as two ("06/12/2026" or
    "06-12-2026": " (write 2026-12-06 for 6 December or 2026-06-12 for 12 June)"), so the writer picks the one meant
    instead of the planner guessing, unless another row of the file (`settled`) can be read one way only: then that
    row and the one date meant (" (row 7 '13/01/2026' can only be 13 January, so the file writes the day first: write
    2026-01-12)"); "" for any other text."""
    dates = _date_readings(value)
    if len(dates) == 1:
        return f" (write {dates[0].isoformat()})"
    if len(dates) == 2 and settled is not None:
        meant = dates[0] if settled.day_first else dates[1]
        return (f" (row {settled.row} '{settled.written}' can only be {settled.date.day} {settled.date:%B}, "
                f"so the file writes the {'day' if settled.day_first else 'month'} first: write {meant.isoformat()})")
    if len(dates) == 2:
        return " (write " + " or ".join(f"{date.isoformat()} for {date.day} {date:%B}" for date in dates) + ")"
    return ""


@dataclass(frozen=True)
class SettledOrder:
    """The order a file writes its slashed or dashed dates in, and the first row that shows it: '13/01/2026' can only
    be day first."""

    day_first: bool
    row: int
    written: str
    """The date as the row writes it, stripped: ten characters at most, so a message quotes it whole."""
    date: dt.date


def settled_order(column: pd.Series) -> SettledOrder | None:
    """The order of the slashed and dashed dates of `column` (a date column, indexed by row) where some of them can
    be read one way only and all those agree; None where none can, or they disagree (13/01/2026 and 01-13-2026).
    Slashes and dashes settle each other: the order is the writer's, whichever mark they put between the parts."""
    either = column[column.str.fullmatch(_EITHER_ORDER).fillna(False).astype(bool)]
    found: dict[bool, SettledOrder] = {}
    for row, written in either.drop_duplicates().items():
        first, second = (int(part) for part in re.split("[/-]", written.strip())[:2])
        dates = _date_readings(written)
        if len(dates) == 1 and first != second:
            found.setdefault(first > 12, SettledOrder(first > 12, int(row), written.strip(), dates[0]))
    return next(iter(found.values())) if len(found) == 1 else None


# ASCII digits only, as the reader's own dates (`planner.weeks.ISO_DATE`): `\d` also matches other scripts' digits
# ('١٢/٠١/٢٠٢٦'), which int() reads, so a cell the reader takes as no date at all was hinted as one
_DAY_MONTH_YEAR = re.compile(r"\s*([0-9]{1,2})([./-])([0-9]{1,2})\2([0-9]{4})\s*")
_EITHER_ORDER = r"\s*[0-9]{1,2}([/-])[0-9]{1,2}\1[0-9]{4}\s*"
"""A date written with slashes or dashes (06/12/2026, 06-12-2026): day first or month first, as the writer's habit."""


def _date_readings(value: object) -> list[dt.date]:
    """The real dates `value` may mean, written day or month first: "06/12/2026" and "06-12-2026" two (day first,
    then month first), "30/12/2026", "30-12-2026" and "30.12.2026" one (dots are written day first only), any other
    text none."""
    match = _DAY_MONTH_YEAR.fullmatch(str(value))
    if match is None:
        return []
    first, separator, second, year = int(match[1]), match[2], int(match[3]), int(match[4])
    readings = [(first, second)] if separator == "." else [(first, second), (second, first)]  # (day, month)
    dates = []
    for day, month in readings:
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if date not in dates:
            dates.append(date)
    return dates
