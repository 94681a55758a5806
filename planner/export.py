"""Frames to CSV with documented columns. Cells that a spreadsheet would run as a formula are escaped."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from planner.calendar import HOURS_PER_DAY, business_week_rows
from planner.files import write_files
from planner.hours import DAY_NAMES, WEEKDAY_NAMES, hour_label
from planner.schemas import ObservationSchema as O
from planner.shifts import COVERAGE_COLUMNS, coverage_by_opening, coverage_table
from planner.staff_hours import minutes_open
from planner.storage import OBSERVATION_COLUMNS
from planner.surfaces.my_store import ABOVE_MAX as ABOVE_MAX_WORDS, RANGE_CUT_AT_MAX
from planner.words import MONEY_SPEC, counted

_PLAIN_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PERCENT = " (%)"
"""The one rule for a share in every CSV the planner writes: in percent points, as the pages show it (39 where a page
shows 39%), under its name followed by this (`percent_header`). A spreadsheet reads 39 as a number; 0.39 beside a
page's 39% read as another figure."""
SHARE_COLUMNS = ("expected_service_level", "expected_abandon_share", "utilisation", "chance_targets_met")
"""The recommendation's columns that are shares (`planner.staffing.StaffingSchema`)."""
MANAGER_COLUMNS = ["day", "hour", "open_minutes", "recommended_staff", "likely_range",
                   "expected_service_level" + PERCENT, "explanation", "targets"]
"""The store manager's recommendation CSV: one row per weekday and open hour, in words a spreadsheet reader needs no
key for; `open_minutes` is how much of the hour the store is open (30 for the 09:00 of an opening at 09:30), as
plan_requirement.csv has it, so recommended_staff x open_minutes / 60 summed is My store's staff-hours this week;
`targets` repeats, on every row, the targets the numbers were made with (`targets_text`)."""


def observations_csv(frame: pd.DataFrame) -> str:
    """Observations in the upload format (so an export can be imported again): one row per store and hour."""
    out = frame[OBSERVATION_COLUMNS].copy()
    out[O.date] = out[O.date].dt.strftime("%Y-%m-%d")
    return escape_formulas(out).to_csv(index=False, lineterminator="\n")


def recommendation_csv(table: pd.DataFrame, max_staff: Mapping[str, int | None] | None = None) -> str:
    """The recommendation table (`planner.staffing.StaffingSchema`): one row per store, weekday (0 = Monday) and
    hour, every column, numbers rounded for reading, and after required_staff_high the likely range's high end as
    My store shows it against each store's `max_staff` (store_id -> max_staff) and what that did to it
    (`with_capped_range`)."""
    out = shares_in_percent(with_capped_range(table, max_staff or {}), SHARE_COLUMNS)
    for column in out.select_dtypes("float").columns:
        out[column] = out[column].round(4)
    return escape_formulas(out).to_csv(index=False, lineterminator="\n")


def percent_header(name: str) -> str:
    """The header of a share column in a CSV: "expected_service_level (%)" (`PERCENT`)."""
    return name + PERCENT


def shares_in_percent(frame: pd.DataFrame, columns, places: int = 2) -> pd.DataFrame:
    """`frame` with each of `columns` it has (shares, 0-1) in percent points rounded to `places`, under
    `percent_header`, in place: the rule every CSV's shares follow (`PERCENT`)."""
    present = [column for column in columns if column in frame.columns]
    points = {column: (frame[column].astype("Float64") * 100).round(places) for column in present}
    out = frame.assign(**{column: values.astype("Int64") if places == 0 else values  # "42", not "42.0"
                          for column, values in points.items()})
    return out.rename(columns={column: percent_header(column) for column in present})


def manager_recommendation_csv(recommendation: pd.DataFrame, stores: pd.DataFrame, targets: str,
                               max_staff: int | None = None) -> str:
    """The recommendation of one store (clock keys, as `planner.staffing` gives it) as its manager reads it
    (`MANAGER_COLUMNS`), each hour under the day whose opening it belongs to in `stores` ("00:00+1" after the
    evening's): the day by name, the hour as "HH:00", the minutes of it the store is open, recommended staff, the
    likely range ("3 to 5", capped at `max_staff`), the share of help-seekers approached in time in whole percent,
    and the explanation. Hours without a recommendation have blank numbers."""
    # the minutes by the clock hour, before the hour is keyed by its opening (Friday's 24 is Saturday's 0)
    keyed = business_week_rows(recommendation.assign(open_minutes=minutes_open(recommendation, stores)), stores)
    rows = keyed.sort_values(["weekday", "hour"])
    staff = rows["required_staff"].astype("Float64")
    out = pd.DataFrame({
        "day": [DAY_NAMES[int(day)] for day in rows["weekday"]],
        "hour": [hour_label(hour) for hour in rows["hour"]],
        "open_minutes": rows["open_minutes"],
        "recommended_staff": staff.astype("Int64"),
        "likely_range": likely_ranges(rows["required_staff_low"], rows["required_staff_high"], staff, max_staff),
        percent_header("expected_service_level"):
            (rows["expected_service_level"].astype("Float64") * 100).round().astype("Int64"),
        "explanation": rows["explanation"].astype(str),
        "targets": targets,
    }, columns=MANAGER_COLUMNS)
    return escape_formulas(out).to_csv(index=False, lineterminator="\n")


CAPPED_AT_MAX = RANGE_CUT_AT_MAX
"""A likely range whose high end stops at the store's max_staff, where demand could ask for more: the phrase every
surface says it in (`planner.surfaces.my_store.RANGE_CUT_AT_MAX`)."""
ABOVE_MAX = ABOVE_MAX_WORDS
"""A likely range whose recommendation itself is above the store's max_staff: it stops at the recommendation. The
phrase every surface says it in (`planner.surfaces.my_store.ABOVE_MAX`)."""


CAPPED_HIGH = "required_staff_high_capped"
"""The likely range's high end as My store shows it: required_staff_high, but above the store's max_staff that
maximum (or the recommendation, if that is higher)."""
MAX_STAFF_NOTE = "max_staff_note"
"""What the store's max_staff did to the likely range's high end: `CAPPED_AT_MAX`, `ABOVE_MAX` or ""."""


def with_capped_range(table: pd.DataFrame, max_staff: Mapping[str, int | None],
                      staff_column: str = "required_staff") -> pd.DataFrame:
    """`table` (store_id, required_staff_low, required_staff_high and the recommendation in `staff_column`) with
    `CAPPED_HIGH` and `MAX_STAFF_NOTE` after required_staff_high: the likely range's high end and note as My store's
    hour table shows them (`likely_range_ends`, the page's own function) against each store's `max_staff`
    (store_id -> max_staff; a store not in it, or None/NA, has no maximum). The uncapped high stays: a planner wants
    to know how much more demand could ask for."""
    tops = pd.array([pd.NA] * len(table), dtype="Int64")
    notes = np.full(len(table), "", dtype=object)
    stores = table["store_id"].astype(str).to_numpy()
    for store in pd.unique(stores):
        at = np.flatnonzero(stores == store)
        rows = table.iloc[at]
        most = max_staff.get(store)
        ends = likely_range_ends(rows["required_staff_low"], rows["required_staff_high"], rows[staff_column],
                                 None if most is None or pd.isna(most) else int(most))
        tops[at] = pd.array([pd.NA if top is None else top for _, top, _ in ends], dtype="Int64")
        notes[at] = [note for _, _, note in ends]
    out = table.copy()
    after = out.columns.get_loc("required_staff_high") + 1
    out.insert(after, CAPPED_HIGH, tops)
    out.insert(after + 1, MAX_STAFF_NOTE, notes)
    return out


def likely_ranges(low: pd.Series, high: pd.Series, staff: pd.Series, max_staff: int | None = None) -> list[str]:
    """ "low to high" per hour ("" where there is no recommendation); a high end above `max_staff` stops there (or at
    the recommendation, if that is higher) and says so. Words, not a dash: a spreadsheet reads "3-5" as a date."""
    return ["" if pd.isna(first) else f"{first} to {top}" + (f" ({note})" if note else "")
            for first, top, note in likely_range_ends(low, high, staff, max_staff)]


def likely_range_ends(low: pd.Series, high: pd.Series, staff: pd.Series,
                      max_staff: int | None = None) -> list[tuple[int | None, int | None, str]]:
    """(low end, high end, note) per hour, the ends None where there is no recommendation: the high end stops at
    `max_staff` (or at the recommendation, if that is higher), and the note says which (`CAPPED_AT_MAX`,
    `ABOVE_MAX`), else "". `likely_ranges` writes them as one text; a table can show the note in a column of its
    own."""
    from planner.staffing.recommend import capped_high  # the same cap as the count advice's ranges

    lows, highs = (pd.Series(v).astype("Float64").to_numpy(dtype=float, na_value=np.nan) for v in (low, high))
    tops, cut = capped_high(highs, pd.Series(staff).astype("Float64").to_numpy(dtype=float, na_value=np.nan),
                            max_staff)
    return [(None, None, "") if np.isnan(first) or np.isnan(last)
            else (int(first), int(top), "" if not capped else ABOVE_MAX if max_staff is not None and top > max_staff
                  else CAPPED_AT_MAX)
            for first, last, top, capped in zip(lows, highs, tops, cut, strict=True)]


def targets_text(targets: dict[str, float | int], max_occupancy: float | None = None) -> str:
    """The service targets a recommendation was made with, in words: "80% approached within 60 s, patience 5 min,
    at most 5% give up, at least 2 staff" (and the occupancy ceiling, if any)."""
    text = (f"{targets['target_service_level']:.0%} approached within {targets['target_wait_seconds']:g} s, "
            f"patience {round(float(targets['patience_minutes']), 1):g} min, at most "
            f"{targets['max_abandon_share']:.0%} give up, "
            f"at least {int(targets['min_staff'])} staff")
    return text + (f", staff busy at most {max_occupancy:.0%} of the time" if max_occupancy is not None else "")


def staff_grid_text(table: pd.DataFrame) -> str:
    """Per store, a weekday x hour grid of recommended staff for a terminal ('?' = never counted, '.' = closed). An
    hour numbered 24 or more (`planner.calendar.business_week_rows` keys a store's hours after midnight so, under the
    evening whose opening they close) is headed "0+1", as "00:00+1" in the app and the CSVs."""
    blocks = []
    for store, rows in table.groupby("store_id", sort=True):
        hours = sorted(rows["hour"].unique())
        open_cells = set(zip(rows["weekday"], rows["hour"], strict=True))
        known = rows.dropna(subset=["required_staff"]).drop_duplicates(["weekday", "hour"])
        staff = dict(zip(zip(known["weekday"], known["hour"], strict=True), known["required_staff"], strict=True))
        width = 1 + max([3, *(len(str(int(value))) for value in staff.values())])  # a space between figures
        late = "0+1 = the hour after midnight, the evening's; " if hours and hours[-1] >= HOURS_PER_DAY else ""
        lines = [f"{store}  recommended staff (weekday x hour; {late}? = no counts to go on, . = closed)",
                 "     " + "".join(f"{_grid_hour(h):>{width}}" for h in hours)]
        for weekday in range(7):
            cells = [f"{'.':>{width}}" if (weekday, hour) not in open_cells else f"{'?':>{width}}"
                     if (weekday, hour) not in staff else f"{int(staff[weekday, hour]):>{width}d}" for hour in hours]
            lines.append(f"{WEEKDAY_NAMES[weekday]:5}" + "".join(cells))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _grid_hour(hour: int) -> str:
    """A grid's column head: the clock hour, "0+1" for one after midnight of the evening before."""
    days, clock_hour = divmod(int(hour), HOURS_PER_DAY)
    return f"{clock_hour}" + (f"+{days}" if days else "")


def write_schedule(reports, summary: pd.DataFrame, folder: Path) -> list[Path]:
    """shifts.csv (store_id, weekday, start, end, break_start, staff), coverage.csv (store_id, weekday, hour,
    required_staff, scheduled_staff, under, over; both under the weekday of the opening, "00:00+1" past its
    midnight) and summary.csv (one row of totals per store) in `folder`. A store without a schedule (infeasible,
    timed out, nothing to schedule) has no rows in the first two and blank figures in its summary row, beside its
    status. All three files or, when one cannot be written, none."""
    keyed = [coverage_by_opening(r) for r in reports]
    frames = {
        "shifts.csv": pd.concat([r.shifts for r in reports], ignore_index=True),
        "coverage.csv": coverage_table(pd.concat(keyed, ignore_index=True) if keyed else
                                       pd.DataFrame(columns=COVERAGE_COLUMNS)),
        "summary.csv": summary,
    }
    return write_files(folder, {name: escape_formulas(frame).to_csv(index=False, lineterminator="\n")
                                for name, frame in frames.items()})


def schedule_summary_text(summary: pd.DataFrame) -> str:
    """One line per store and a total: paid staff-hours against the requirement ("required h", summary.csv's
    required_staff_hours: the whole requirement, also hours no schedule can cover), cost, gap, seconds and the status
    in words; a store without a schedule shows '-' for every figure of a schedule. Staff-hours are written with
    thousands separators, as the cost is ("4,174.5" beside "74,594.45"); summary.csv keeps plain numbers. Each
    column is as wide as its widest figure, the total's included (1,000,000.0 staff-hours of 2,000 stores)."""
    # as wide as the longest store id: cut to 10 characters, two stores' ids read alike (STORE-NORT, STORE-NORT)
    width = max([10, *(len(str(store)) for store in summary["store_id"])])
    scheduled = summary[summary["paid_staff_hours"].notna()]
    # the required column sums every store's row, as they show it; the schedule's figures, those of the stores that
    # have one (the count after says how many); '-' where no store has a figure (0.0 read as a schedule of nothing)
    figures = [[_figure(value, spec) for value in summary[column]] for _, column, spec, _ in _SUMMARY_FIGURES]
    totals = [_figure(summary[column].sum(min_count=1), spec) for _, column, spec, _ in _SUMMARY_FIGURES[:_TOTALLED]]
    widths = [max([least, len(header), *map(len, cells), *map(len, totals[n:n + 1])])
              for n, ((header, _, _, least), cells) in enumerate(zip(_SUMMARY_FIGURES, figures, strict=True))]

    def line(first: str, cells) -> str:
        return " ".join([f"{first:{width}}", *(f"{cell:>{wide}}" for cell, wide in zip(cells, widths))])

    lines = [line("store", [header for header, *_ in _SUMMARY_FIGURES]) + "  status"]
    lines += [line(str(store), cells) + f"  {status}"
              for store, status, *cells in zip(summary["store_id"], summary["status_text"], *figures, strict=True)]
    lines.append(line("total", totals) + (f"  ({len(scheduled)} of {counted(len(summary), 'store')} with a schedule)"
                                          if len(scheduled) < len(summary) else ""))
    return "\n".join(lines)


_SUMMARY_FIGURES = (  # header, summary column, format, least width (as wide as the table always was)
    ("paid h", "paid_staff_hours", ",.1f", 9),
    ("required h", "required_staff_hours", ",.1f", 10),
    ("above h", "excess_staff_hours", ",.1f", 8),  # the pages' names: "Above (h)", "Short (h)", "Wage cost"
    ("short h", "uncovered_staff_hours", ",.1f", 9),
    ("wage cost", "wage_cost", MONEY_SPEC, 11),
    ("gap", "relative_gap", ".2%", 6),
    ("solve s", "solve_seconds", ".2f", 7),
)
_TOTALLED = 5
"""The first figures of `_SUMMARY_FIGURES`, which the total line adds up (a gap or seconds do not add)."""


def _figure(value: float, spec: str) -> str:
    return "-" if pd.isna(value) else format(value, spec)


def escape_formulas(frame: pd.DataFrame, *, numbers_too: bool = True) -> pd.DataFrame:
    """Prefix text cells starting with = + - @ with a quote, so spreadsheets show them instead of running them.

    A text cell that is just a number ("-5", "+46") runs nothing, but a spreadsheet would read it as a number and
    write it back changed ("+46" as 46), so the planner's exports escape it too (`numbers_too`); a table shown on a
    page passes False, so that a value such as -3 reads there as it was written."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            values = out[column]
            text = values.astype(str)
            is_text = values.map(lambda value: isinstance(value, str)).astype(bool)
            plain_number = text.str.fullmatch(_PLAIN_NUMBER) & (not numbers_too)
            risky = is_text & text.str.startswith(_FORMULA_STARTS) & ~plain_number
            # only text is escaped: a number in a column of text (the roster grid's hours per day) stays a number
            out[column] = values.where(~risky, "'" + text)
    return out
