"""Display tables for the pages: planner results reshaped for `st.dataframe`. Pure pandas, no streamlit.

Nothing here models anything: it filters, relabels and formats what the planner computed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from planner.charts import OBSERVED_HOURS, WEEKDAY
from planner.compare import store_kpis
from planner.errors import InputProblem, group_problems
from planner.export import MAX_STAFF_NOTE, escape_formulas, likely_range_ends, shares_in_percent
from planner.hours import WEEKDAY_NAMES, hour_label
from planner.saved_plans import inputs_short, inputs_word
from planner.surfaces.plans import RESULT_HELP, plan_result
from planner.schemas import ObservationSchema as O, StoreSchema as S
from planner.shifts.report import NO_RECOMMENDATION, SHORT, SHORT_BY_BUDGET
from planner.staffing.hedge import misses_on_average
from planner.surfaces import plan_vs_actual
from planner.surfaces.my_store import ABOVE_MAX, MISSED_MARKS
from planner.shifts.solve import FEASIBLE, INFEASIBLE, NO_SOLUTION, NOTHING_REQUIRED, OPTIMAL
from planner.words import IN_CURRENCY, MONEY_COLUMN_FORMAT, store_id_shown

PROBLEM_COLUMNS = ["file", "row", "column", "value", "message", "fix", "severity"]
HOUR_LABEL = "hour"
LIKELY_RANGE = "likely_range"
HOURLY_COLUMNS = [
    HOUR_LABEL, "required_staff", LIKELY_RANGE, MAX_STAFF_NOTE, "confidence", "expected_service_level",
    "expected_wait_seconds", "expected_abandon_share", "current_staff", "lost_customers_per_hour_at_current",
]
"""Columns of the hourly table on My store: the recommendation's, with the band as a short "low–high" text and what
the store's max_staff did to it in a column of its own (written in the range, "13 to 17 (above the store's max)" took
the table past 1024 px). The confidence sits beside the range it explains."""
UNCOVERED_COLUMNS = ["store_id", "day", HOUR_LABEL, "required_staff", "scheduled_staff", "under"]
BORROWED = "uncounted"  # "borrowed" said how the model works, not what the hour is
"""The confidence shown for an hour never counted whose estimate leans on nearby hours (the planner says "low")."""
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=^&])")
# where GitHub-flavoured markdown starts a link in escaped text: a scheme before its ":", "www" before its ".", and
# the "@" of an address (a local part before it, a domain with a dot after it); "@cmd" or "Shop www" start none
_AUTOLINK_STARTS = re.compile(r"(?:https?|ftp|mailto|xmpp)(?=\\:)|www(?=\\\.)"
                              r"|(?<=[\w.+\-])@(?=(?:\\[-_]|\w)+\\\.(?:\\[-_]|\w))", re.IGNORECASE)
WORD_JOINER = "\u2060"
"""Invisible, and keeps "http://", "www." and "a@b.c" from being made into links (GFM links them after escaping).
Only put where a link would start: it is copied with the text, so a name copied from the page then differs."""


def as_text(value) -> str:
    """`value` (a store id, a name, a file name) made safe to put into markdown, a caption or a widget label: every
    character markdown or streamlit gives a meaning to (links, images, emphasis, `:icon:`, `$maths$`, HTML) is
    escaped, and line breaks become spaces, so it shows exactly as written. Escaping does not stop GitHub-flavoured
    markdown from turning a web or mail address into a link: an invisible `WORD_JOINER` after its start does, and
    only there (text that would make no link, such as "@cmd", is left as written, so it copies as written)."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).splitlines()))
    return _AUTOLINK_STARTS.sub(lambda start: start.group(0) + WORD_JOINER, text)


def file_part(store_id: str) -> str:
    """A store id fit for a download's file name: letters, digits, - and _ kept, anything else as _."""
    return "".join(char if char.isalnum() or char in "-_" else "_" for char in str(store_id))


def safe_for_download(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for `st.dataframe`, whose toolbar offers it as a CSV: text cells a spreadsheet would run as a formula
    (starting with = + - @, a tab or a carriage return) escaped with a quote, as the planner's own CSVs are. Cells
    that are not text (numbers, dates) are kept as they are."""
    return _escaped(frame)[0]


def as_written_on_screen(frame: pd.DataFrame, formats: Mapping[str, str | Callable] | None = None,
                         na_rep: str = "", marks: Mapping[str, tuple[np.ndarray, str]] | None = None,
                         ) -> pd.DataFrame | Styler:
    """What `st.dataframe` is handed for `frame`: its values `safe_for_download` (the toolbar's CSV download writes
    the values, and Streamlit escapes nothing there), and, where a cell was escaped, a display of it as written, so
    the table reads `=S13`, not `'=S13`, as headings, pickers and charts do (Streamlit shows a styled table's display
    text in a cell that is not edited, and downloads its value). A Styler when there is a display to give: the
    escaped cells, and `formats` (column -> format string or function of the value) with `na_rep` for a value not
    known; numbers without a format show as plain numbers (up to 4 decimals), not pandas' 6. `marks` (column ->
    (which rows, a mark)) shows the mark after the formatted value of those rows: on screen only, the download keeps
    the number. A share with a percent format ("{:.0%}") is handed over in percent points as shown (39.0 where the
    table reads "39%", `in_percent_points`), so that the toolbar's download writes what the page shows, as the
    app's own CSVs do (`planner.export.PERCENT`)."""
    frame, formats = in_percent_points(frame, formats)
    safe, escaped = _escaped(frame)
    if not formats and not escaped and not marks:
        return safe
    plain = {column: _plain_number for column in safe.columns
             if pd.api.types.is_numeric_dtype(safe[column]) and not pd.api.types.is_bool_dtype(safe[column])}
    every = {**plain, **dict(formats or {})}
    styler = safe.style.format(every, na_rep=na_rep)
    for column, rows in escaped.items():
        styler = styler.format(_unquoted, subset=(rows, [column]))
    for column, (rows, mark) in (marks or {}).items():
        written = every.get(column, str)
        form = written.format if isinstance(written, str) else written
        styler = styler.format(lambda value, form=form, mark=mark: f"{form(value)} {mark}", subset=(rows, [column]))
    return styler


def in_percent_points(frame: pd.DataFrame, formats: Mapping[str, str | Callable] | None,
                      ) -> tuple[pd.DataFrame, dict[str, str | Callable]]:
    """`frame` with each numeric column that `formats` shows as a percent ("{:.0%}", "{:+.1%}") in percent points,
    rounded as the format shows it (0.386 as 39.0 under "{:.0%}"), and `formats` showing those as before ("{:.0f}%",
    "{:+.1f}%"); other columns and formats as they are."""
    formats = dict(formats or {})
    points = {}
    for column, text in formats.items():
        number = _NUMBER_FORMAT.fullmatch(text) if isinstance(text, str) else None
        if number is None or number["kind"] != "%" or column not in frame.columns \
                or not pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(frame[column]):
            continue
        spec = text[2:-1]  # "{:+.0%}" -> "+.0%"
        values = frame[column].to_numpy(dtype=float, na_value=np.nan)
        points[column] = [np.nan if np.isnan(value) else float(format(value, spec).rstrip("%").replace(",", "")) + 0.0
                          for value in values]
        formats[column] = text[:-2] + "f}%"  # "{:+.0%}" -> "{:+.0f}%": "39%" again
    if points:
        frame = frame.assign(**{column: pd.Series(values, index=frame.index, dtype=float)
                                for column, values in points.items()})
    return frame, formats


def _escaped(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """(`safe_for_download`'s frame, column -> which of its rows were escaped, for each column with any)."""
    out, escaped = frame.copy(), {}
    for column in out.columns:
        values = out[column]
        # a nullable string column too (a plan's no_shift_cause): one with no text at all could not take its escaped
        # values back ("Converting strings to null is not implemented")
        if isinstance(values.dtype, (pd.CategoricalDtype, pd.StringDtype)):
            values = values.astype(object)
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.map(lambda value: value if isinstance(value, str) else None)
            safe = escape_formulas(text.to_frame(), numbers_too=False)[column].where(text.notna(), values)
            changed = (text.notna() & (safe.astype(object) != text.astype(object))).to_numpy(dtype=bool)
            out[column] = safe
            if changed.any():
                escaped[column] = changed
    return out, escaped


def _unquoted(text: str) -> str:
    """An escaped cell as written: without the quote `escape_formulas` put before it."""
    return text[1:]


def _plain_number(value) -> str:
    """A number as a table shows it unformatted: whole numbers whole, others to at most 4 decimals."""
    return f"{value:.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def as_shown(frame: pd.DataFrame, shown: Mapping[str, tuple[str, str | Callable | None]]) -> pd.DataFrame:
    """The columns of `shown` (column -> (label, display format)), in its order, under their labels, each number
    rounded as its format string shows it ("{:,.0f}": whole, "{:.0%}": a share to hundredths, 0.42 for "42%",
    "{:g}": six significant digits), so the table's toolbar download (which writes the frame's column names and
    values, not the display's) reads as the table does. Numbers stay numbers; a rounded zero is 0, never -0. Columns
    without a format string (text, or a format that is a function) are kept as they are."""
    labels = [label for label, _ in shown.values()]
    if len(set(labels)) != len(labels):
        raise ValueError(f"two columns of one table share a label: {labels}")
    out = frame[list(shown)].copy()
    for column, (_, text) in shown.items():
        number = _NUMBER_FORMAT.fullmatch(text) if isinstance(text, str) else None
        if number is not None and pd.api.types.is_float_dtype(out[column]):  # whole numbers are already as shown
            values = out[column].to_numpy(dtype=float, na_value=np.nan)
            out[column] = pd.Series([_rounded(value, number["places"] or "", number["kind"]) for value in values],
                                    index=out.index, dtype=float)
    return out.rename(columns={column: label for column, (label, _) in shown.items()})


def _rounded(value: float, places: str, kind: str) -> float:
    """`value` as the format of `places` ("" for the format's default) and `kind` ("f", "g", or "%" for a share)
    shows it, read back as a number: the format's own rounding (a share's "%" rounds 100 x value, in floating point,
    so numpy's or Python's round of the share itself can differ), and + 0.0 so that -0.4 is 0, not the -0.0 that
    reads "-0"."""
    text = format(value, f".{places}{kind}" if places else kind)
    return float(text.rstrip("%")) / (100 if kind == "%" else 1) + 0.0


_NUMBER_FORMAT = re.compile(r"\{:[^}.]*(?:\.(?P<places>\d+))?(?P<kind>[fg%])\}")
"""A display format string of a number rounded to fixed decimal places or significant digits ("{:,.0f}",
"{:+.1%}", "{:g}")."""


def grouped_problems_frame(problems: Iterable[InputProblem]) -> pd.DataFrame:
    """One row per group of identical problems (`PROBLEM_COLUMNS`); `row` holds the rows as ranges ("2-241") and the
    message says how many rows share it."""
    groups = group_problems(problems)
    frame = pd.DataFrame(
        [(g.file, g.row_text, g.column, g.value, g.message + (f" ({len(g.rows):,} rows)" if len(g.rows) > 1 else ""),
          g.fix, g.severity) for g in groups],
        columns=PROBLEM_COLUMNS,
    )
    return frame


COUNTED_DATES = "counted_dates"
COVERAGE_COLUMNS = {S.store_id: "Store", S.name: "Name", S.region: "Region", S.format: "Format",
                    "observed_hours": "Observed hours", "first_date": "First date", "last_date": "Last date",
                    "observed_cells": "Cells observed", "open_cells": "Open cells", "observed_share": "Share observed"}
"""Every column of a store's coverage (`planner.coverage.store_coverage`) as the Observations page's CSV writes it."""
COVERAGE_SHOWN = [S.store_id, S.name, S.region, "observed_hours", COUNTED_DATES, "observed_share"]
"""The stores' table on the Observations page: all ten columns needed 1023 px of the 674 at 1024 px. The first and
last dates are one column ("07 Sep – 04 Oct"), the share observed stands for the cells it is made of; the format,
the cells and the dates in full are in the CSV."""


SHARE_PERCENT_FORMAT = "%.0f%%"
"""How the Observations page shows a share observed: in whole percents, of the share in percent points
(`percent_points`), in its metric (`share_text`) and in its stores' table (the column's printf format, as streamlit
reads it) alike. The table's "percent" preset read "89.39%" under a metric reading "89%"."""


def percent_points(share):
    """A share (a fraction, or a column of them) in percent points, as `SHARE_PERCENT_FORMAT` writes it."""
    return share * 100


def share_text(share: float) -> str:
    """A share as `SHARE_PERCENT_FORMAT` writes it: 0.8939 as "89%"."""
    return SHARE_PERCENT_FORMAT % percent_points(share)


def coverage_table(overview: pd.DataFrame) -> pd.DataFrame:
    """`store_coverage` as the Observations page lists it (`COVERAGE_SHOWN`): the dates counted in one short text,
    the share observed in percent points (`SHARE_PERCENT_FORMAT`)."""
    dates = [date_span(first, last) for first, last in zip(overview["first_date"], overview["last_date"], strict=True)]
    shown = overview.assign(**{COUNTED_DATES: dates, "observed_share": percent_points(overview["observed_share"])})
    return shown[COVERAGE_SHOWN].reset_index(drop=True)


def coverage_file(overview: pd.DataFrame) -> pd.DataFrame:
    """`store_coverage` with every column of `COVERAGE_COLUMNS`, dates as ISO text, for the Observations CSV; the
    share observed in percent points (`planner.export.PERCENT`), as the page shows it."""
    dated = overview.assign(**{column: [None if pd.isna(day) else f"{day:%Y-%m-%d}" for day in overview[column]]
                               for column in ("first_date", "last_date")})
    named = dated[list(COVERAGE_COLUMNS)].rename(columns=COVERAGE_COLUMNS)
    return shares_in_percent(named, [COVERAGE_COLUMNS["observed_share"]])


def file_shown(frame: pd.DataFrame, shown: Mapping[str, tuple[str, str | Callable | None]]) -> pd.DataFrame:
    """`as_shown` for a CSV: each share (a percent display format, "{:.0%}") in percent points as rounded on screen,
    under its label and " (%)" (`planner.export.PERCENT`): "Want help (%)" 42 where the page shows 42%."""
    out = as_shown(frame, shown)
    for label, text in shown.values():
        number = _NUMBER_FORMAT.fullmatch(text) if isinstance(text, str) else None
        if number is not None and number["kind"] == "%":
            out = shares_in_percent(out, [label], int(number["places"] or 0))
    return out


def closed_day(store_id: str, day: str) -> str:
    """What My store, the Schedule and the Plans pages say of a day the store does not open, `day` as each names it
    ("Sunday", or a plan's "Sunday 13 Dec"), in place of empty charts: "S02 is closed on Sunday: nothing to staff.
    Pick another day." """
    return f"{as_text(store_id)} is closed on {day}: nothing to staff. Pick another day."


def date_span(first, last) -> str:
    """The first and last day counted in few characters: "07 Sep – 04 Oct" within a year, "Sep 2025 – Oct 2026"
    across two, "none yet" without a count."""
    if pd.isna(first) or pd.isna(last):
        return "none yet"
    if first.year != last.year:
        return f"{first:%b %Y} – {last:%b %Y}"
    return f"{first:%d %b} – {last:%d %b}"


def store_day(recommendation: pd.DataFrame, store_id: str, weekday: int) -> pd.DataFrame:
    """One store's rows for one weekday, in clock order, with an "HH:00" hour label first."""
    rows = recommendation[(recommendation["store_id"] == store_id) & (recommendation["weekday"] == weekday)]
    rows = rows.sort_values(O.hour)
    return rows.assign(**{HOUR_LABEL: [hour_label(hour) for hour in rows[O.hour]]})


def hourly_table(
    recommendation: pd.DataFrame, store_id: str, weekday: int, max_staff: int | None = None,
    cells: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The service expected per hour of one store and weekday (`HOURLY_COLUMNS`). The likely range stops at
    `max_staff` and its note says so; with the `cells` of `planner.coverage.cell_summary`, an hour never counted whose estimate
    is borrowed shows as `BORROWED` rather than "low" (few counts)."""
    day = store_day(recommendation, store_id, weekday)
    ends = likely_range_ends(day["required_staff_low"], day["required_staff_high"], day["required_staff"], max_staff)
    # an en dash, not "-": the toolbar's CSV of this table would open in a spreadsheet as a date ("3-5")
    band = ["" if low is None else f"{low}–{high}" for low, high, _ in ends]
    # already the page's words (`surfaces.my_store.RANGE_CUT_AT_MAX`, `ABOVE_MAX`)
    notes = [note for _, _, note in ends]
    confidence = day["confidence"].astype(str)
    if cells is not None:
        # matched by the hour's label: `store_day` has written it over the clock hour (both columns are "hour")
        counted = cells[(cells["store_id"] == store_id) & (cells[WEEKDAY] == weekday)]
        times_counted = pd.Series(counted[OBSERVED_HOURS].to_numpy(), index=[hour_label(h) for h in counted[O.hour]])
        observed = day[HOUR_LABEL].map(times_counted).fillna(0).to_numpy()
        confidence = confidence.where(~((confidence == "low").to_numpy() & (observed == 0)), BORROWED)
    shown = day.assign(**{LIKELY_RANGE: band, MAX_STAFF_NOTE: notes, "confidence": confidence})
    return shown[HOURLY_COLUMNS].reset_index(drop=True)


def hours_above_max(table: pd.DataFrame) -> list[str]:
    """The hours of an `hourly_table` whose recommendation is above the store's maximum (their note `ABOVE_MAX`)."""
    return [str(hour) for hour, note in zip(table[HOUR_LABEL], table[MAX_STAFF_NOTE], strict=True) if note == ABOVE_MAX]


def missed_on_average(table: pd.DataFrame, targets: Mapping[str, float]) -> dict[str, tuple[np.ndarray, str]]:
    """`as_written_on_screen`'s marks for the `hourly_table` of a store planned with `targets`: the hours whose
    service averaged over the demand's spread misses a target (`planner.staffing.hedge.misses_on_average`)."""
    level, abandon = (table[column].to_numpy(dtype=float, na_value=np.nan) for column in MISSED_MARKS)
    late, give_up = misses_on_average(level, abandon, targets["target_service_level"], targets["max_abandon_share"])
    return {column: (rows, mark) for (column, mark), rows in zip(MISSED_MARKS.items(), (late, give_up), strict=True)
            if rows.any()}


def weekly_total(recommendation: pd.DataFrame, stores: pd.DataFrame, store_id: str) -> pd.Series:
    """One store's week from its recommendation (`planner.compare.store_kpis`): needed_staff_hours, needed_wage_cost,
    open_hours and hours_without_estimate (left out of both sums)."""
    kpis = store_kpis(recommendation, stores[stores["store_id"] == store_id]).iloc[0]
    return kpis[["needed_staff_hours", "needed_wage_cost", "open_hours", "hours_without_estimate"]]


def explanations(recommendation: pd.DataFrame, store_id: str, weekday: int) -> list[tuple[str, str]]:
    """(hour label, sentence) for every open hour of one store and weekday."""
    day = store_day(recommendation, store_id, weekday)
    return list(zip(day[HOUR_LABEL], day["explanation"], strict=True))


def never_counted_hours(recommendation: pd.DataFrame, store_id: str, weekday: int) -> list[str]:
    """Hour labels of the open hours of one store and weekday with no recommendation (never counted, nothing near)."""
    day = store_day(recommendation, store_id, weekday)
    return list(day.loc[day["required_staff"].isna(), HOUR_LABEL])


def uncovered_hours(coverage: pd.DataFrame, store_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Hours a schedule leaves short of the requirement (`UNCOVERED_COLUMNS`), by store, weekday and hour, from a
    coverage keyed as the stores open (`planner.shifts.coverage_by_opening`: "Sat 00:00+1", not "Sun 00:00")."""
    rows = coverage[coverage["under"] > 0]
    if store_ids is not None:
        rows = rows[rows["store_id"].isin(list(store_ids))]
    rows = rows.sort_values(["store_id", "weekday", "hour"])
    return pd.DataFrame({
        "store_id": rows["store_id"],
        "day": [WEEKDAY_NAMES[int(day)] for day in rows["weekday"]],
        HOUR_LABEL: [hour_label(hour) for hour in rows["hour"]],
        "required_staff": rows["required_staff"],
        "scheduled_staff": rows["scheduled_staff"],
        "under": rows["under"],
    }, columns=UNCOVERED_COLUMNS).reset_index(drop=True)


def for_stores(frame: pd.DataFrame, store_ids: Iterable[str] | None) -> pd.DataFrame:
    """The rows of the given stores (all for None), for a download of one store or all."""
    return frame if store_ids is None else frame[frame["store_id"].isin(list(store_ids))].reset_index(drop=True)


def stores_short(stores: str, shown: int = 1) -> str:
    """A list of store ids joined by ", " (an audit entry's `stores`) in few characters: the first `shown` and how
    many more ("S01 +8"); "" for none. The whole list was wider than the audit trail's column at 1024 px. A long id
    is cut as a label cuts it (`planner.words.store_id_shown`: "…" where it is cut)."""
    ids = [store_id_shown(store) for store in str(stores).split(", ") if store]
    if len(ids) <= shown + 1:  # "S01, S02" is as short as "S01 +1" and says more
        return ", ".join(ids)
    return f"{', '.join(ids[:shown])} +{len(ids) - shown}"


def hours_ranges(low: pd.Series, high: pd.Series) -> list[str]:
    """Each pair of hours as one short text, "32–40" (an en dash: "32-40" opens in a spreadsheet as a date), or the
    one figure where both are the same; "" where either is not known."""
    return ["" if pd.isna(a) or pd.isna(b) else f"{a:g}" if a == b else f"{a:g}–{b:g}"
            for a, b in zip(low.astype(float), high.astype(float), strict=True)]


def csv_text(frame: pd.DataFrame) -> str:
    """A frame as CSV for a download, cells a spreadsheet would run as formulas escaped (`escape_formulas`)."""
    return escape_formulas(frame).to_csv(index=False, lineterminator="\n")


# whether a plan is out of date comes right after its status: last, it was off screen at 1024 px
PLAN_COLUMNS = {"plan_id": "Plan", "store_id": "Store", "iso_week": "Week", "status": "Status", "inputs": "Inputs",
                "result": "Result", "wage_cost": "Wages", "made": "Made (UTC)", "created_by": "By",
                "published": "Published (UTC)", "published_by": "Published by"}
"""Every column of a saved plan as the Plans page's CSV of the list writes it (`saved_plans_file`)."""
PLAN_SHOWN = ["plan_id", "store_id", "iso_week", "status", "inputs", "result", "wage_cost", "created_by"]
"""The columns of the list on screen: all eleven needed over 1020 px of the 674 at 1024 px. When a plan was made and
who published it when are said in the plan picker, above the plan shown, and in the CSV; the inputs in few words
("out of date: counts, settings"). Its result and wage cost are the list's own: a planner opened each plan to learn
which came out short."""
# widths adding up to 670 px; a plain dict, which `st.dataframe`'s column_config takes as it takes
# `st.column_config.Column(width=..., help=...)`, so no streamlit here
PLAN_COLUMN_CONFIG = {
    PLAN_COLUMNS["plan_id"]: {"width": 52}, PLAN_COLUMNS["store_id"]: {"width": 64},
    PLAN_COLUMNS["iso_week"]: {"width": 78},
    PLAN_COLUMNS["status"]: {"width": 88, "help": "draft: not published; published: the plan its store works to that week; "
                                                  "superseded: published before, kept as history. Who published it "
                                                  "and when: above the plan when shown, and in the CSV"},
    PLAN_COLUMNS["inputs"]: {"width": 164, "help": "whether the store's counts, store file row, calendar and the "
                                                   "chain's settings are still those the plan was made from: as "
                                                   "made; out of date: which of them changed since, or in how "
                                                   "many hours other stores' counts move its staff (which: under "
                                                   "the plan when shown); week over: kept as made; set aside: a "
                                                   "draft made before the plan now published for its week"},
    PLAN_COLUMNS["result"]: {"width": 72, "help": RESULT_HELP},
    # as the plan's summary writes it ("10,149.75", `MONEY_COLUMN_FORMAT`), in as wide a column: whole units
    # ("10150") read as another sum beside it. Its 24 px more come from the week's spare 6 and the inputs, which wrap
    PLAN_COLUMNS["wage_cost"]: {"width": 88, "type_config": {"type": "number", "format": MONEY_COLUMN_FORMAT},
                                "help": f"wage cost: the paid staff-hours at the wage per hour, {IN_CURRENCY}"},
    PLAN_COLUMNS["created_by"]: {"width": 64, "help": "made by"},
}
PLAN_FITTED = {"store_id": 64, "inputs": 88, "result": 72, "created_by": 64}
"""The list's columns whose width follows their text (column -> the least width): a store id or a name longer than
64 px was cut ("BERLIN-A", "alexandra."), while "as made" left the inputs' 196 px mostly empty."""
CHAR_PX, CELL_PADDING_PX = 7.5, 18
"""About how wide a character of a table's text is, and a cell's padding (Source Sans at 14 px)."""


def text_px(values: Iterable) -> int:
    """About how many pixels a table cell needs for the longest of `values`."""
    return round(max((len(str(value)) for value in values), default=0) * CHAR_PX + CELL_PADDING_PX)


WRAPPING_ROW_PX = 65
"""The least row height at which a table's cells wrap their text: Streamlit lets a cell wrap only in rows taller than
4 rem (64 px); below, a text wider than its column is cut with "…"."""
WRAP_CHAR_PX, WRAPPED_PADDING_PX, LINE_PX = 6.6, 17, 20
"""About how wide a character of a name is (Source Sans at 14 px: the sample's store names measure 5.6 to 6.7 px a
character in Chromium; `CHAR_PX` is wider, to size a column that must never cut), a wrapping cell's padding and how
tall each line of its text is. Judged by `CHAR_PX`, a sample name that fits its column made every row tall."""
ROWS_SHOWN, HEADER_PX = 10, 38
"""Rows a table shows before it scrolls, as Streamlit sizes one by default, and its header row with the borders."""


ROW_PX, ROWS_WHOLE_MOST = 35, 40
"""A one-line row's height in `st.dataframe` (Streamlit's default), and the most rows a table of people shows whole
before it scrolls within itself: a store's 26 people were shown 10 at a time in an inner scroll, while a table of
hundreds shown whole would push the rest of the page out of reach."""


def whole_rows_height(rows: int, most: int = ROWS_WHOLE_MOST) -> int | str:
    """`st.dataframe`'s `height` for a table of `rows` one-line rows: "content" (every row shown, no inner scroll) up to
    `most` rows, else the header and `most` rows, scrolling within."""
    return "content" if rows <= most else HEADER_PX + most * ROW_PX


def wrapped_rows(values: Iterable, width_px: int, rows: int, shown: int = ROWS_SHOWN) -> dict[str, int]:
    """`st.dataframe`'s `row_height` and `height` at which a column `width_px` wide shows each of `values` whole,
    wrapped onto more lines, in a table of `rows` rows that shows up to `shown` before it scrolls, as it does
    with one-line rows; {} where each value fits on one line (the table keeps its one-line rows). A long store name
    (80 characters) was cut to its first 30 in the stores' tables at 1024 px, with nothing to tell two such apart."""
    text_width = max((len(str(value)) for value in values), default=0) * WRAP_CHAR_PX
    per_line = max(width_px - WRAPPED_PADDING_PX, WRAP_CHAR_PX)
    if text_width <= per_line:
        return {}
    lines = int(-(-text_width // per_line))  # ceiling
    row_px = max(WRAPPING_ROW_PX, lines * LINE_PX + WRAPPED_PADDING_PX // 3)
    return {"row_height": row_px, "height": HEADER_PX + min(max(rows, 1), shown) * row_px}


def fitted_widths(needs: Mapping[str, int], least: Mapping[str, int], room: int) -> dict[str, int]:
    """Widths adding up to `room` for columns that need `needs` px (each at least `least`): each as wide as it needs
    where all fit, the spare room to the last; else the widest cut to one width, as far as needed, so that a short
    column is never cut for a long one."""
    wanted = {column: max(needs[column], least[column]) for column in needs}
    if sum(wanted.values()) <= room:
        last = list(wanted)[-1]
        return {**wanted, last: wanted[last] + room - sum(wanted.values())}
    widths, left = {}, room
    for count, column in enumerate(sorted(wanted, key=wanted.get), start=0):
        share = left // (len(wanted) - count)  # what each column not yet sized may have
        widths[column] = max(least[column], min(wanted[column], share))
        left -= widths[column]
    return {column: widths[column] for column in needs}


def plan_column_config(table: pd.DataFrame) -> dict[str, dict]:
    """`PLAN_COLUMN_CONFIG` for a `saved_plans_table`: the store, the maker and the inputs as wide as their text
    where the 670 px allow (`fitted_widths`); what is cut is in full in the plan picker, the line above the plan
    shown and the CSV, as the store's and By's help say."""
    labels = {PLAN_COLUMNS[column]: least for column, least in PLAN_FITTED.items()}
    room = sum(PLAN_COLUMN_CONFIG[label]["width"] for label in labels)
    needs = {label: max(text_px(table[label]), text_px([label])) for label in labels}
    widths = fitted_widths(needs, labels, room)
    cut = "; cut when long: in full in the plan picker, above the plan shown, and in the CSV"
    config = {label: dict(setting) for label, setting in PLAN_COLUMN_CONFIG.items()}
    for label, width in widths.items():
        config[label]["width"] = width
    config[PLAN_COLUMNS["store_id"]]["help"] = "the store" + cut
    config[PLAN_COLUMNS["created_by"]]["help"] = "made by" + cut
    return config


PLAN_ROWS_SHOWN = 24
"""Saved plans the list shows whole before it scrolls within itself: a re-plan of a region's out-of-date published
plans puts as many new drafts above them, and 10 rows hid the published plans under the drafts made for them."""


def plan_rows(table: pd.DataFrame, config: Mapping[str, dict]) -> dict[str, int | str]:
    """`st.dataframe`'s height (and row height) for a `saved_plans_table` under `plan_column_config`'s `config`: up
    to `PLAN_ROWS_SHOWN` rows whole, and an Inputs cell longer than its column wrapped onto more lines (the status of
    a plan whose staff other stores' counts moved was cut at 1024 px before the number of hours that matters, and
    inside it at 1400 px)."""
    inputs = PLAN_COLUMNS["inputs"]
    return (wrapped_rows(table[inputs], config[inputs]["width"], len(table), PLAN_ROWS_SHOWN)
            or {"height": whole_rows_height(len(table), PLAN_ROWS_SHOWN)})


# the Users page's table; widths adding up to 672 px, plain dicts as `PLAN_COLUMN_CONFIG`. Sized by their text, its
# six columns needed 1014 px of 674 at 1024 px, with the e-mail, state and password behind a sideways scroll
USER_COLUMN_CONFIG = {
    "name": {"width": 116}, "role": {"width": 104},
    "covers": {"width": 176, "help": "the stores of a store manager, the regions of a regional lead; cut when long: "
                                     "in full under Change a user"},
    "email": {"width": 124, "help": "as the chain's identity provider gives it"},
    "state": {"width": 72, "help": "enabled; locked: too many wrong passwords in a row, for a while; disabled: may "
                                   "not sign in"},
    "password": {"width": 80, "help": "set: the user has a password for the planner's own accounts"},
}
USER_FITTED = {"name": 72, "email": 72, "covers": 120}
"""The Users table's columns whose width follows their text (column -> the least), the rest of the room to the stores
or regions."""


def user_column_config(table: pd.DataFrame, labels: Mapping[str, str]) -> dict[str, dict]:
    """`USER_COLUMN_CONFIG` for the Users table `table` (columns as `USER_COLUMN_CONFIG`'s, shown under `labels`):
    the name, the e-mail and the stores or regions as wide as their text where the room they share allows
    (`fitted_widths`)."""
    room = sum(USER_COLUMN_CONFIG[column]["width"] for column in USER_FITTED)
    needs = {column: max(text_px(table[column]), text_px([labels[column]])) for column in USER_FITTED}
    widths = fitted_widths(needs, USER_FITTED, room)
    return {column: {**setting, **({"width": widths[column]} if column in widths else {})}
            for column, setting in USER_COLUMN_CONFIG.items()}


def saved_plans_table(plans: pd.DataFrame) -> pd.DataFrame:
    """Saved plans (`planner.saved_plans.plans_with_status`) as the Plans page lists them (`PLAN_SHOWN`): times as
    text, and "as made" or "out of date: counts" per plan."""
    shown = _saved_plans(plans, inputs_short)
    return shown[PLAN_SHOWN].rename(columns=PLAN_COLUMNS)


def saved_plans_file(plans: pd.DataFrame) -> pd.DataFrame:
    """Saved plans with every column of `PLAN_COLUMNS`, the inputs in a sentence ("out of date: the counts changed
    since"), for the list's CSV."""
    return _saved_plans(plans, inputs_word)[list(PLAN_COLUMNS)].rename(columns=PLAN_COLUMNS)


def _saved_plans(plans: pd.DataFrame, words: Callable[[str, bool, int], str]) -> pd.DataFrame:
    return plans.assign(
        result=[plan_result(status, short) for status, short
                in zip(plans["schedule_status"], plans["uncovered_staff_hours"], strict=True)],
        wage_cost=pd.to_numeric(plans["wage_cost"]).round(2),
        made=plans["created_at"].dt.strftime("%Y-%m-%d %H:%M"),
        published=plans["published_at"].dt.strftime("%Y-%m-%d %H:%M"),
        inputs=[words(changed, over, int(aside)) for changed, over, aside
                in zip(plans["out_of_date"], plans["week_over"], plans["set_aside"], strict=True)],
    )


REVIEW_FORMATS = {  # forecast against actual (`planner.review`): column -> display format
    "store_id": None,
    "date": None,
    "iso_week": None,
    "plan_id": plan_vs_actual.PLAN_NUMBER,
    "counted_hours": "{:,.0f}",
    "help_seekers": "{:,.0f}",
    "forecast_help_seekers": "{:,.0f}",
    # "+0%", not "-0%", for -0.1%: `as_shown` makes a rounded zero 0, not -0
    "bias_share": "{:+.0%}",
    "mape": "{:.0%}",
    "band_coverage": "{:.0%}",
    "hours_under_scheduled": "{:,.0f}",
    "hours_under_required": "{:,.0f}",
    "hours_below_target_service": "{:,.0f}",
}
REVIEW_COLUMNS = {column: (plan_vs_actual.LONG_LABELS[column], shown) for column, shown in REVIEW_FORMATS.items()}
"""Forecast against actual: column -> (label, display format), the labels those of `surfaces.plan_vs_actual`."""


def review_columns(*columns: str) -> dict[str, tuple[str, str | None]]:
    """The labels and formats of `columns` of a review's days or weeks, in that order."""
    return {column: REVIEW_COLUMNS[column] for column in columns}


REVIEW_SHORT_LABELS = plan_vs_actual.MEASURES
"""Column -> a label short enough for a day table at 1024 px, with help saying it in full (the measures' one name
wherever they are shown; the plan and the hours counted are shorter here than in a week's table)."""


def short_review_columns(*columns: str) -> tuple[dict[str, tuple[str, str | None]], dict[str, str]]:
    """As `review_columns`, under the short labels of `REVIEW_SHORT_LABELS` where there is one; and per column, the
    help its header shows (the meaning in full)."""
    shown = {column: (REVIEW_SHORT_LABELS.get(column, REVIEW_COLUMNS[column])[0], REVIEW_COLUMNS[column][1])
             for column in columns}
    return shown, {column: REVIEW_SHORT_LABELS[column][1] for column in columns if column in REVIEW_SHORT_LABELS}


STATUS_SHORT = {OPTIMAL: "optimal", SHORT_BY_BUDGET: "short: budget", SHORT: "short", FEASIBLE: "feasible",
                NO_SOLUTION: "no schedule", INFEASIBLE: "infeasible", NO_RECOMMENDATION: "no counts",
                NOTHING_REQUIRED: "nothing needed"}
"""An optimiser status (`planner.shifts.STATUSES`) in a word or two, for the result table's narrow column: the
sentence ("short of the requirement because of the store's maximum staff") took it past 1024 px."""


def short_statuses(summary: pd.DataFrame) -> list[str]:
    """Each row's status in a word (`STATUS_SHORT`); a row without a known status code keeps its `status_text` up to
    a colon or comma ("optimal, proven best, …" is "optimal")."""
    codes = summary["status"] if "status" in summary.columns else pd.Series(None, index=summary.index, dtype=object)
    return [STATUS_SHORT.get(code, re.split("[:,]", str(text))[0])
            for code, text in zip(codes, summary["status_text"], strict=True)]


SUMMARY_FITTED = {"store_id": 64, "status_short": 72}
"""The optimiser result's columns whose width follows their text (column -> the least width). The store was 64 px
whatever it held ("S-BERLIN-MITTE-00001" read "S-BERLIN-"); with the status, they share the 64 + 104 px they had and
the 72 of the solve time, which `solve_time_sentence` says under the table instead."""
SUMMARY_FITTED_ROOM = 240


def summary_fitted_widths(summary: pd.DataFrame, labels: Mapping[str, str]) -> dict[str, int]:
    """Widths of the result table's store and status columns (`SUMMARY_FITTED`, shown under `labels`): as wide as
    their text where `SUMMARY_FITTED_ROOM` allows (`fitted_widths`), so a long id is cut only beside a long status."""
    needs = {column: max(text_px(summary[column]), text_px([labels[column]])) for column in SUMMARY_FITTED}
    return fitted_widths(needs, SUMMARY_FITTED, SUMMARY_FITTED_ROOM)


def solve_time_sentence(summary: pd.DataFrame) -> str:
    """How long the search took, in all and for the slowest store, or "" when no time is known ("The optimiser took
    0.20 s" named the machinery, to a hundredth of a second nobody acts on)."""
    seconds = pd.to_numeric(summary["solve_seconds"], errors="coerce").reset_index(drop=True)
    if seconds.isna().all():
        return ""
    if len(seconds) == 1:
        return f"The search took {_seconds(seconds.iloc[0])}."
    slowest = seconds.idxmax()
    return (f"The search took {_seconds(seconds.sum())} in all, the longest "
            f"{as_text(summary['store_id'].iloc[slowest])}'s: {_seconds(seconds.iloc[slowest])}.")


def _seconds(seconds: float) -> str:
    """A search's time to the tenth of a second; a shorter one as under it, not "0.0 s"."""
    return "under 0.1 s" if seconds < 0.05 else f"{seconds:.1f} s"


def status_sentences(summary: pd.DataFrame) -> list[tuple[list[str], str]]:
    """(stores, status in full) per distinct `status_text`, in the order the stores come: what the result table's
    short status says in words."""
    grouped: dict[str, list[str]] = {}
    for store, text in zip(summary["store_id"], summary["status_text"], strict=True):
        grouped.setdefault(str(text), []).append(str(store))
    return [(stores, text) for text, stores in grouped.items()]


TABLE_PX_AT_1024 = 672
"""The width a full-width table has in the page's content at a 1024 px window (674 px, less its border)."""


def store_and_name(stores: pd.DataFrame) -> pd.Series:
    """Each row's store id and name in one text, "S01 Berlin Mitte Electronics", as the heatmaps label a store (a very
    long id cut as there: `planner.words.store_id_shown`)."""
    return (stores[S.store_id].map(store_id_shown) + " " + stores[S.name].fillna("").astype(str)).str.strip()

