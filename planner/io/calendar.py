"""Validate a store calendar file: exceptions per store and date (closed, changed opening hours, a demand factor for
an event or a sale). Every defect at once, as `InputProblem`s with row, column and fix; a clean file as a typed frame
(`planner.schemas.CalendarSchema`).

Columns: `store_id` (blank or `*`: a chain-wide row, for every store without its own row that date), `date`
(YYYY-MM-DD), `closed` (yes/no, blank = no), the changed opening hours either as `hours` (`10:00-16:00`) or as
`opens` and `closes` (`10:00`, `16:00`), `demand_factor` (1.4: 40% more customers than that weekday brings;
blank = 1) and `note`. A close at or before the opening time is past midnight and belongs to that date's business
day, as in the store file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import pandera.pandas as pa

from planner.errors import HasProblems, InputProblem, problems_not_listed
from planner.hours import (
    CLOSED, DAY_NAMES, WEEKDAYS, OpeningHours, opening_overlaps, overlap_fix, overlap_message, parse_opening_hours,
)
from planner.io import observations
from planner.io.checking import (
    STORE_FILE, ColumnSpec, Kind, Rule, Tally, first_pass, rule_problems, unknown_store_rule,
)
from planner.io.raw_table import RawTable
from planner.io.sheets import rows_on_another_sheet
from planner.schemas import (CHAIN_WIDE, MAX_DEMAND_FACTOR, NOTE_MAX_CHARS, STORE_ID_MAX_CHARS, CalendarSchema as C)
from planner.settings import MAX_CALENDAR_YEARS_AWAY, ImportRules
from planner.words import counted

OPENS, CLOSES = "opens", "closes"
SPECS = [
    ColumnSpec(C.store_id, Kind.TEXT, required=False, max_chars=STORE_ID_MAX_CHARS),
    ColumnSpec(C.date, Kind.DATE, blank_fix="Enter the date as YYYY-MM-DD, e.g. 2026-12-24."),
    ColumnSpec(C.closed, Kind.YES_NO, required=False),
    ColumnSpec(C.hours, Kind.OPENING_HOURS, required=False),
    ColumnSpec(OPENS, Kind.CLOCK, required=False),
    ColumnSpec(CLOSES, Kind.CLOCK, required=False),
    ColumnSpec(C.demand_factor, Kind.NUMBER, required=False),
    ColumnSpec(C.note, Kind.TEXT, required=False, max_chars=NOTE_MAX_CHARS),
]
COLUMNS = [spec.name for spec in SPECS]
OPENING_CELLS = [C.closed, C.hours, OPENS, CLOSES]
"""The columns whose cells change a date's opening: closed (yes/no), or the hours (`hours`, which may say
'closed', or `opens` and `closes`)."""
ROWS_ARE = "the calendar days"
"""How the one error of a workbook whose calendar is on another sheet names its rows (`rows_on_another_sheet`)."""


@dataclass(frozen=True)
class ValidatedCalendar(HasProblems):
    file_name: str
    frame: pd.DataFrame
    """Typed rows (`CalendarSchema`), empty when there are errors."""
    problems: tuple[InputProblem, ...]
    written: pd.DataFrame | None = None
    """The cells that change a date's opening (`OPENING_CELLS`) as the file has them, by spreadsheet row as `frame`
    (blank ''): what a warning about a row's closing quotes ('Y', 'Closed', '17:30'), where `frame` holds what it
    was read as (True, the hours '09:00-17:30'). None when there are errors."""


def validate_calendar(
    raw: RawTable, known_store_ids: Iterable[str] | None, rules: ImportRules | None = None,
    stores_in: str = STORE_FILE, store_weeks: Mapping[str, tuple[OpeningHours | None, ...]] | None = None,
    stored: pd.DataFrame | None = None,
) -> ValidatedCalendar:
    """Check `raw` against the calendar format; `known_store_ids` (None: not checked) are the store file's ids, or
    those of where `stores_in` says ("the database"). With `store_weeks` (store id -> its usual opening hours
    Monday..Sunday, `planner.io.stores.opening_week`), a date's changed hours that run past midnight into the next
    date's opening, or that the evening before runs into, are errors, as in the store file; the next date's or the
    evening before's opening is the `stored` calendar's (`planner.storage.load_calendar`'s rows)
    where it has a row of that date the file does not replace: planned, the pair was refused."""
    name = raw.file_name
    tally = Tally((rules or ImportRules()).max_problems_per_column)
    text, typed, problems = first_pass(raw, SPECS, tally)
    typed[C.store_id] = typed[C.store_id].fillna(CHAIN_WIDE)
    today = observations.age_reference_date()
    named_rules = _RULES | _store_rule(stores_in, () if known_store_ids is None else known_store_ids) \
        | _far_away_rules(today)
    problems += rule_problems(_file_schema(known_store_ids, today), typed, text, named_rules, name, tally)[0]
    problems = _quiet_on_rows_with_errors(tally.finish(raw, problems, _reading_order))
    elsewhere = rows_on_another_sheet(name, raw.frame.columns, raw.other_sheets, SPECS, ROWS_ARE)
    if elsewhere is not None:
        problems = [elsewhere]  # what the first sheet (a cover sheet) lacks says nothing of the calendar
    if any(p.severity == "error" for p in problems):
        return ValidatedCalendar(name, _empty(), tuple(problems))
    frame = _typed(typed)
    overlaps = capped_per_column(_overlap_problems(frame, typed, store_weeks or {}, name, stored), tally.limit)
    if overlaps:
        return ValidatedCalendar(name, _empty(), tuple(sorted(problems + overlaps, key=_counts_last)))
    return ValidatedCalendar(name, frame, tuple(problems), text[OPENING_CELLS].fillna("").astype(str))


def _overlap_problems(frame: pd.DataFrame, typed: pd.DataFrame,
                      store_weeks: Mapping[str, tuple[OpeningHours | None, ...]], name: str,
                      stored: pd.DataFrame | None = None) -> list[InputProblem]:
    """Per store of `store_weeks`, each date whose changed hours (`frame`, validated; a chain-wide row where the store
    has none of its own that date) overlap the next date's opening or the evening before's past midnight, under
    the row of the changed hours (the earlier one where both dates are changed): the hours both hold would be
    planned under one date only. A date without a row opens as the store file says for its weekday. `typed`:
    `parse`'s frame, which says whether the row gave its hours as `hours` or as `opens` and `closes`."""
    if not frame[C.hours].notna().any():
        return []
    problems = []
    for store_id, usual in store_weeks.items():
        rows = _effective_rows(frame, store_id, lambda both: both.index)
        # the stored rows the file leaves in force: a store's own row over the chain's, the file's over the stored
        kept = {} if stored is None or stored.empty else _stored_in_force(frame, stored, store_id)
        said: set[date] = set()
        for day in sorted(rows):
            row, cells = rows[day]
            if cells[C.hours] is None:
                continue
            for first in (day - timedelta(days=1), day):
                pair = [_dated_opening(first + timedelta(days=n), rows, usual, kept) for n in (0, 1)]
                found = [o for o in opening_overlaps(tuple(p[0] for p in pair)) if o.day == 0]  # not the wrap back
                if not found or first in said:
                    continue
                said.add(first)
                names = [f"{DAY_NAMES[d.weekday()]} {d.isoformat()}" for d in (first, first + timedelta(days=1))]
                message = overlap_message(found[0], *names, pair[0][1], pair[1][1])
                column = OPENS if pd.notna(typed.at[row, OPENS]) else C.hours
                other = first + timedelta(days=1) if first == day else first
                fix = overlap_fix(found[0], *names)
                if other in kept and other not in rows:  # the stored row's own fix is a row of the file replacing it
                    fix = (f"{fix[:-1]}: correct this row, or add a row for {other.isoformat()} to this file, which "
                           "replaces the stored one.")
                problems.append(InputProblem(name, row, column, str(cells[C.hours]), f"{store_id}: {message}", fix))
    return problems


def stored_rows(stored: pd.DataFrame) -> pd.DataFrame:
    """The stored calendar's rows (`planner.storage.load_calendar`: opens and closes apart) with their changed hours
    as `CalendarSchema` writes them, and `stored` True."""
    closed = stored["closed"].fillna(False).astype(bool)
    hours = [None if shut or opens is None or pd.isna(opens) else f"{opens}-{closes}"
             for shut, opens, closes in zip(closed, stored["opens"], stored["closes"], strict=True)]
    return pd.DataFrame({C.store_id: stored["store_id"].astype(str).to_numpy(),
                         C.date: pd.to_datetime(stored["date"]).to_numpy(), C.closed: closed.to_numpy(),
                         C.hours: pd.Series(hours, dtype=object).to_numpy(), "stored": True})


def _effective_rows(frame: pd.DataFrame, store_id: str, row_of) -> dict[date, tuple[object, dict]]:
    """date -> (its row, cells) of `frame`'s rows in force for `store_id`: its own, else the chain-wide one."""
    own = frame[frame[C.store_id] == store_id]
    chain = frame[(frame[C.store_id] == CHAIN_WIDE) & ~frame[C.date].isin(own[C.date])]
    both = pd.concat([own, chain])
    return {day.date(): (int(row) if row is not None else None, cells)
            for row, day, cells in zip(row_of(both), both[C.date], both.to_dict("records"), strict=True)}


def _stored_in_force(frame: pd.DataFrame, stored: pd.DataFrame, store_id: str) -> dict[date, tuple[None, dict]]:
    """date -> (None, cells) of the stored calendar's rows in force for `store_id` once `frame` is stored: a row of
    the file replaces the stored row of its store (or the chain) and date, and a store's own row wins over the
    chain's."""
    rows = stored_rows(stored)
    mine = rows[rows[C.store_id].isin([store_id, CHAIN_WIDE])]
    replaced = mine.merge(frame[[C.store_id, C.date]], on=[C.store_id, C.date], how="left", indicator=True)
    left = mine[(replaced["_merge"] == "left_only").to_numpy()]
    file_own = set(frame.loc[frame[C.store_id] == store_id, C.date])
    left = left[~((left[C.store_id] == CHAIN_WIDE) & left[C.date].isin(file_own))]  # the file's own row wins
    return _effective_rows(left, store_id, lambda both: [None] * len(both))


def capped_per_column(problems: list[InputProblem], limit: int) -> list[InputProblem]:
    """At most `limit` problems per column listed (a chain-wide row can overlap at every store), the rest counted."""
    listed = []
    for column in dict.fromkeys(p.column for p in problems):
        mine = [p for p in problems if p.column == column]
        listed += mine[:limit]
        if len(mine) > limit:
            listed.append(problems_not_listed(mine[0].file, column, "error", len(mine) - limit))
    return listed


def _dated_opening(day: date, rows: Mapping[date, tuple[int, dict]], usual: tuple[OpeningHours | None, ...],
                   kept: Mapping[date, tuple[None, dict]] | None = None) -> tuple[OpeningHours | None, str]:
    """A store's opening on `day` (None: closed) and where it comes from, in words: the calendar's row for that
    date (`rows`: date -> (spreadsheet row, validated cells)) where it changes the hours, else the store file's."""
    if day not in rows and day in (kept or {}):  # a stored row the file leaves in force
        cells = kept[day][1]
        every_store = ", for every store" if cells[C.store_id] == CHAIN_WIDE else ""
        if cells[C.closed]:
            return None, f"closed in the stored calendar{every_store}"
        if cells[C.hours] is not None:
            return parse_opening_hours(cells[C.hours]), f"{cells[C.hours]} in the stored calendar{every_store}"
    row, cells = rows.get(day, (None, None))
    if cells is not None and cells[C.closed]:
        return None, f"closed on row {row}"
    if cells is not None and cells[C.hours] is not None:
        return parse_opening_hours(cells[C.hours]), f"{cells[C.hours]} on row {row}"
    hours = usual[day.weekday()]
    return hours, f"its usual {WEEKDAYS[day.weekday()]} {hours or CLOSED}"  # the store file's, or the database's


def _typed(rows: pd.DataFrame) -> pd.DataFrame:
    opens, closes = rows[OPENS].astype("string"), rows[CLOSES].astype("string")
    hours = rows[C.hours].astype("string").where(opens.isna(), opens + "-" + closes)
    closed = rows[C.closed].fillna(False).astype(bool) | hours.str.strip().str.lower().eq(CLOSED).fillna(False)
    hours = hours.where(~closed).map(lambda text: str(parse_opening_hours(text)), na_action="ignore")
    frame = pd.DataFrame({
        C.store_id: rows[C.store_id].astype(str),
        C.date: rows[C.date],
        C.closed: closed.to_numpy(dtype=bool),
        C.hours: hours.astype(object).where(hours.notna(), None),
        C.demand_factor: rows[C.demand_factor].astype("Float64").fillna(1.0).astype(float),
        C.note: rows[C.note].fillna("").astype(str),
    })
    return C.validate(frame)  # index = spreadsheet row, as the batch's warnings name it


def _empty() -> pd.DataFrame:
    return pd.DataFrame({C.store_id: pd.Series(dtype=str), C.date: pd.Series(dtype="datetime64[ns]"),
                         C.closed: pd.Series(dtype=bool), C.hours: pd.Series(dtype=object),
                         C.demand_factor: pd.Series(dtype=float), C.note: pd.Series(dtype=str)})


def _file_schema(known: Iterable[str] | None, today: date) -> pa.DataFrameSchema:
    """The file's rules on its typed cells (missing cells pass: they were reported already); its dates are warned of
    more than `MAX_CALENDAR_YEARS_AWAY` before or after `today`."""
    away = pd.Timedelta(days=MAX_CALENDAR_YEARS_AWAY * observations.DAYS_PER_YEAR)
    earliest, latest = pd.Timestamp(today) - away, pd.Timestamp(today) + away
    checks = [
        pa.Check(lambda df: ~(df[OPENS].notna() ^ df[CLOSES].notna()), name="opens_with_closes"),
        pa.Check(lambda df: ~(df[C.hours].notna() & df[OPENS].notna()), name="hours_given_twice"),
        pa.Check(lambda df: ~(df[C.closed].fillna(False).astype(bool) & (df[C.hours].notna() | df[OPENS].notna())),
                 name="closed_with_hours"),
        pa.Check(lambda df: ~(df[[C.store_id, C.date]].duplicated(keep=False) & df[C.date].notna()),
                 name="one_row_per_store_date"),
        pa.Check(lambda df: df[C.closed].fillna(False).astype(bool) | df[C.hours].notna() | df[OPENS].notna()
                 | df[C.demand_factor].notna(), name="says_something"),
        pa.Check(lambda df: df[C.date].isna() | (df[C.date] >= earliest), name="dated_in_recent_years"),
        pa.Check(lambda df: df[C.date].isna() | (df[C.date] <= latest), name="dated_in_coming_years"),
    ]
    columns = {C.demand_factor: pa.Column(float, [pa.Check.gt(0), pa.Check.le(MAX_DEMAND_FACTOR)], nullable=True)}
    if known is not None:
        ids = {*map(str, known), CHAIN_WIDE}
        columns[C.store_id] = pa.Column(str, pa.Check(lambda values: values.isin(ids), name="known_store"))
    return pa.DataFrameSchema(columns, checks=checks)


def _quiet_on_rows_with_errors(problems: list[InputProblem]) -> list[InputProblem]:
    """A data row with an error is not also warned about: its cells in error were read as empty. (The header row's
    warnings, such as an unused column, stay: they may explain a missing one.)"""
    in_error = {p.row for p in problems if p.severity == "error" and p.row is not None and p.row > 1}
    return [p for p in problems if p.severity == "error" or p.row not in in_error]


def _counts_last(problem: InputProblem) -> tuple:
    """Reading order, the lines counting problems not listed (no row) after those listed, as `Tally.finish` has it."""
    return (problem.row is None, _reading_order(problem))


def _reading_order(problem: InputProblem) -> tuple:
    column = COLUMNS.index(problem.column) if problem.column in COLUMNS else len(COLUMNS)
    return (problem.row or 0, column, problem.message)


def _store_rule(stores_in: str, known: Iterable[str]) -> dict[str, Rule]:
    """The unknown-store message, with the store meant where a typing slip is likely, as a count file's says."""
    return {"known_store": unknown_store_rule(
        stores_in, known, "Use a store id of the store file, or leave store_id empty (or *) for every store.")}


_RULES: dict[str, Rule] = {
    "greater_than": Rule(lambda c: f"'{c['value']}' must be above 0",
                         "Enter how many times the usual customers come, e.g. 1.4 for 40% more (0.5: half)."),
    "less_than_or_equal_to": Rule(lambda c: f"'{c['value']}' is more than {MAX_DEMAND_FACTOR:g} times the usual day",
                                  f"Enter a factor up to {MAX_DEMAND_FACTOR:g}, e.g. 1.4 for 40% more customers."),
    "opens_with_closes": Rule(lambda c: "opens and closes must be given together",
                              "Fill both opens and closes (e.g. 10:00 and 16:00), or neither.", OPENS),
    "hours_given_twice": Rule(lambda c: "the hours are given twice, in hours and in opens/closes",
                              "Keep one: hours (10:00-16:00) or opens and closes.", C.hours),
    "closed_with_hours": Rule(lambda c: "a closed date has no opening hours",
                              "Set closed to no, or empty the hours.", C.closed),
    "one_row_per_store_date": Rule(
        lambda c: f"{c[C.store_id] if c[C.store_id] not in ('', CHAIN_WIDE) else 'the chain'} has more than one "
                  f"row for {c[C.date]}",
        "Keep one row per store and date (empty store_id: one chain-wide row per date).", C.date),
    "says_something": Rule(lambda c: "the row changes nothing (not closed, no hours, no demand_factor)",
                           "Fill closed, the hours or a demand_factor, or delete the row.", C.date, "warning"),
}


def _far_away_rules(today: date) -> dict[str, Rule]:
    """How a date years before or after `today` reads: a warning naming the date, how far it is and why it is said,
    as a count's age is (`planner.io.observations`); the row is imported as it is."""
    def far(cells, before: bool) -> str:
        written = date.fromisoformat(cells[C.date])
        earlier, later = (written, today) if before else (today, written)
        years = later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))
        return (f"dated {written.isoformat()}, {counted(years, 'year')} {'before' if before else 'after'} today "
                f"({today.isoformat()}): calendar days more than {MAX_CALENDAR_YEARS_AWAY:g} years "
                f"{'past' if before else 'ahead'} are most often a slip in the year")

    imported = "If the date is right, the row is imported as it is."
    return {
        "dated_in_recent_years": Rule(lambda c: far(c, before=True), "Check the year (a two-digit year may have been "
                                      f"read as 19xx). {imported}", C.date, "warning"),
        "dated_in_coming_years": Rule(lambda c: far(c, before=False), "Check the year for a typing slip (2062 for "
                                      f"2026). {imported}", C.date, "warning"),
    }


def calendar_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """A validated calendar (`CalendarSchema`) as the database keeps it: the changed hours as `opens` and `closes`
    (HH:MM each, None when unchanged), a blank note as None."""
    opens_closes = frame[C.hours].map(lambda text: text.split("-", 1) if isinstance(text, str) else [None, None])
    return pd.DataFrame({
        "store_id": frame[C.store_id], "date": frame[C.date], "closed": frame[C.closed],
        "opens": [pair[0] for pair in opens_closes], "closes": [pair[1] for pair in opens_closes],
        "demand_factor": frame[C.demand_factor], "note": frame[C.note].where(frame[C.note] != "", None),
    })
