"""Validate a store file: who each store is, its opening hours per weekday, staff cost and limits, optional
overrides of the service targets, and an optional time zone (an IANA name, `planner.zones`). Every defect at once, as `InputProblem`s; a clean file as a typed frame."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from planner.access.ids import id_problem
from planner.errors import HasProblems, InputProblem
from planner.hours import (
    CLOSED, DAY_NAMES, WEEKDAYS, OpeningHours, opening_overlaps, overlap_fix, overlap_message, parse_opening_hours,
)
from planner.io.checking import (
    ColumnSpec, Kind, Rule, first_pass, out_of_range_rule, rule_problems,
)
from planner.io.raw_table import RawTable
from planner.io.sheets import rows_on_another_sheet
from planner.io.tally import Tally
from planner.schemas import STORE_OPTIONAL, TEXT_MAX_CHARS, StoreSchema as S
from planner.settings import ImportRules, store_column_info

_FIXES = {
    S.wage_per_hour: "Enter what a staff-hour costs, e.g. 19.50; check for a typing slip.",
    S.min_staff: "Enter the least staff on the floor while open, e.g. 1.",
    S.max_staff: "Enter the most staff the floor can use at once, e.g. 12.",
    S.target_service_level: "Enter a share such as 0.8 for 80%, or leave it empty for the setting.",
    S.target_wait_seconds: "Enter the wait in seconds, e.g. 60, or leave it empty for the setting.",
    S.patience_minutes: "Enter the patience in minutes, e.g. 5, or leave it empty to have it estimated from the counts.",
    S.max_abandon_share: "Enter a share such as 0.05 for 5%, or leave it empty for the setting.",
    S.service_cv: "Enter the spread of service times, e.g. 1.0 (0.5 steady, 2 very uneven), or leave it empty for "
                  "the setting.",
}
"""What to enter instead of a store file's number outside its range (`store_column_info`), per column."""


SPECS = [
    ColumnSpec(S.store_id, Kind.TEXT, blank_fix="Enter a short unique id such as S01.",
               max_chars=TEXT_MAX_CHARS[S.store_id]),
    ColumnSpec(S.name, Kind.TEXT, blank_fix="Enter the store's name.", max_chars=TEXT_MAX_CHARS[S.name]),
    ColumnSpec(S.region, Kind.TEXT, blank_fix="Enter the region the store belongs to.",
               max_chars=TEXT_MAX_CHARS[S.region]),
    ColumnSpec(S.format, Kind.TEXT, blank_fix="Enter the store's format, e.g. electronics or clothing.",
               max_chars=TEXT_MAX_CHARS[S.format]),
    *(ColumnSpec(day, Kind.OPENING_HOURS, blank_fix="Enter opening hours such as 09:00-20:00, or closed.") for day in WEEKDAYS),
    ColumnSpec(S.wage_per_hour, Kind.NUMBER, blank_fix="Enter the wage cost per staff-hour."),
    # past what any count can hold (2,147,483,648 staff) is said by the column's own range, as 1,001 staff is
    ColumnSpec(S.min_staff, Kind.COUNT, blank_fix="Enter the least staff on the floor while open (often 1).",
               too_large=out_of_range_rule(S.min_staff, store_column_info(S.min_staff), _FIXES[S.min_staff]),
               most=store_column_info(S.min_staff).high),
    ColumnSpec(S.max_staff, Kind.COUNT, blank_fix="Enter the most staff the floor can use at once.",
               too_large=out_of_range_rule(S.max_staff, store_column_info(S.max_staff), _FIXES[S.max_staff]),
               most=store_column_info(S.max_staff).high),
    *(ColumnSpec(name, Kind.NUMBER, required=False) for name in STORE_OPTIONAL),
    ColumnSpec(S.time_zone, Kind.TIME_ZONE, required=False, max_chars=TEXT_MAX_CHARS[S.time_zone]),
]
ROWS_ARE = "the stores"
"""How the one error of a workbook whose stores are on another sheet names them (`rows_on_another_sheet`)."""


@dataclass(frozen=True)
class ValidatedStores(HasProblems):
    file_name: str
    frame: pd.DataFrame
    """Typed rows (`StoreSchema`), empty when there are errors; opening hours normalised to HH:MM-HH:MM/closed."""
    problems: tuple[InputProblem, ...]
    store_ids: tuple[str, ...] = ()
    """The store ids the file's rows name, also when a cell of theirs (or another row) has an error: stores it
    holds, if not yet readably (`planner.intake.check_files` does not call them missing from it)."""


def validate_stores(raw: RawTable, rules: ImportRules | None = None) -> ValidatedStores:
    tally = Tally((rules or ImportRules()).max_problems_per_column)
    text, typed, problems = first_pass(raw, SPECS, tally)
    problems += rule_problems(S, typed, text, _RULES, raw.file_name, tally)[0]
    problems += overlap_problems(typed, raw.file_name)
    problems = tally.finish(raw, problems, lambda p: (p.row or 0, p.column or "", p.message))
    elsewhere = rows_on_another_sheet(raw.file_name, raw.frame.columns, raw.other_sheets, SPECS, ROWS_ARE)
    if elsewhere is not None:
        problems = [elsewhere]  # what the first sheet (a cover sheet) lacks says nothing of the stores
    if any(p.severity == "error" for p in problems):
        named = tuple(dict.fromkeys(typed[S.store_id].dropna().astype(str)))
        return ValidatedStores(raw.file_name, typed.iloc[0:0], tuple(problems), named)
    for day in WEEKDAYS:
        typed[day] = typed[day].map(lambda text: str(parse_opening_hours(text) or "closed"))
    frame = S.validate(typed)
    return ValidatedStores(raw.file_name, frame, tuple(problems), tuple(frame[S.store_id].astype(str)))


def overlap_problems(typed: pd.DataFrame, file_name: str) -> list[InputProblem]:
    """One error per store and weekday whose opening runs past midnight into the next weekday's opening (Sunday's
    into Monday's: the week is planned as a cycle), under the column of the day that runs over: the hours both hold
    would be planned under one day only and vanish from the other. `typed`: `parse`'s frame (index: the row a
    spreadsheet shows; a cell already reported is NA and overlaps nothing)."""
    problems = []
    for row, cells in typed[[S.store_id, *WEEKDAYS]].iterrows():
        week = tuple(None if pd.isna(cells[day]) else parse_opening_hours(cells[day]) for day in WEEKDAYS)
        for overlap in opening_overlaps(week):
            day, following = WEEKDAYS[overlap.day], WEEKDAYS[overlap.next_day]
            names = DAY_NAMES[overlap.day], DAY_NAMES[overlap.next_day]
            message = overlap_message(overlap, *names, f"{day} {week[overlap.day]}",
                                      f"{following} {week[overlap.next_day]}")
            problems.append(InputProblem(file_name, int(row), day, str(cells[day]),
                                         f"{cells[S.store_id]}: {message}", overlap_fix(overlap, *names)))
    return problems


def opening_week(frame: pd.DataFrame) -> dict[str, tuple[OpeningHours | None, ...]]:
    """store_id -> its opening hours Monday..Sunday (None = closed), from a validated or stored store frame."""
    return {
        row[S.store_id]: tuple(parse_opening_hours(row[day]) for day in WEEKDAYS)
        for row in frame[[S.store_id, *WEEKDAYS]].to_dict("records")
    }


def opening_frame(weeks: Mapping[str, tuple[OpeningHours | None, ...]]) -> pd.DataFrame:
    """The inverse of `opening_week`: store_id and the weekday columns (`mon` ... `sun`) as a store file writes them
    ("09:00-20:30", "closed"), a row per store of `weeks`."""
    return pd.DataFrame({S.store_id: list(weeks), **{day: [CLOSED if week[n] is None else str(week[n])
                                                           for week in weeks.values()]
                                                     for n, day in enumerate(WEEKDAYS)}})


_RULES: dict[str, Rule] = {
    **{f"in_range@{column}": out_of_range_rule(column, store_column_info(column), fix)
       for column, fix in _FIXES.items()},
    "min_staff_within_max_staff": Rule(
        lambda c: f"min_staff ({c[S.min_staff]}) is more than max_staff ({c[S.max_staff]})",
        "Make max_staff at least min_staff.",
        S.max_staff,
    ),
    "store_id_in_a_list": Rule(
        lambda c: f"{id_problem(c[S.store_id])} (the users command's --stores, the employee file's also_stores)",
        "Write the id without commas, semicolons or line breaks, as your systems can name it in a list (S10 and "
        "S11 are two stores: give each its own row).",
        S.store_id,
    ),
    "one_row_per_store": Rule(
        lambda c: f"store id '{c[S.store_id]}' appears on more than one row",
        "Give each store one row and its own id.",
        S.store_id,
    ),
}
