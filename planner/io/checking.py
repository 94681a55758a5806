"""The machinery both file kinds share: header checks, the text-level (parse) schema, typed parsing, and turning
pandera's failure cases into `InputProblem`s with a row, a column, the bad value and what to fix.

Validation runs in two pandera passes, both lazy so that every defect is found in one go:
1. a text schema over the stripped cell strings: is a required cell filled, does it parse as its kind;
2. the typed schema from `planner.schemas` over the parsed frame (ranges and rules across columns).
A cell that fails pass 1 is NA in pass 2, where every rule treats a missing cell as passing: one defect, one report.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

import numpy as np
import pandas as pd
import pandera.pandas as pa

from planner.errors import InputProblem, Severity
from planner.hours import parse_opening_hours
from planner.io.reading import RawTable

_BLANK = ""
_WHOLE = r"[+-]?\d+(?:\.0*)?"
_MAX_DIGITS = 15  # counts beyond this are typing slips, and would not fit a 64-bit integer
_INTEGER = r"[+-]?\d+"
_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_ISO_DATE = r"\d{4}-\d{2}-\d{2}"


class Kind(Enum):
    TEXT = "text"
    DATE = "date"
    COUNT = "count"
    NUMBER = "number"
    OPENING_HOURS = "opening hours"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: Kind
    required: bool = True
    blank_fix: str = "Enter a value."


@dataclass(frozen=True)
class Rule:
    """How one named check reads to a user. `column` None: report under the column pandera names.

    Rules are looked up by check name, or by `check@column` where one check reads differently per column."""

    message: Callable[[Mapping[str, str]], str]
    fix: str
    column: str | None = None
    severity: Severity = "error"


Row = Mapping[str, str]


def header_problems(raw: RawTable, specs: list[ColumnSpec]) -> list[InputProblem]:
    """Missing required columns (with a close-match hint), repeated columns, and ignored extra columns."""
    found = list(raw.frame.columns)
    known = {spec.name for spec in specs}
    problems = []
    for spec in specs:
        if spec.required and spec.name not in found:
            unknown = [c for c in found if c not in known]
            near = difflib.get_close_matches(spec.name, unknown, n=1, cutoff=0.6)
            hint = f" The file has '{raw.original_headers[near[0]]}': did you mean '{spec.name}'?" if near else ""
            problems.append(
                InputProblem(
                    raw.file_name, 1, spec.name, "", f"required column '{spec.name}' is missing",
                    f"Add a column headed '{spec.name}'.{hint}",
                )
            )
    for name in sorted({c for c in found if found.count(c) > 1 and c}):
        problems.append(
            InputProblem(raw.file_name, 1, name, name, f"column '{name}' appears more than once", "Keep one of them.")
        )
    for name in found:
        if name not in known and name:
            problems.append(
                InputProblem(
                    raw.file_name, 1, name, raw.original_headers.get(name, name), f"column '{name}' is not used",
                    "It was ignored; rename it if it was meant to be one of the planner's columns.", "warning",
                )
            )
    return problems


def text_frame(raw: RawTable, specs: list[ColumnSpec]) -> pd.DataFrame:
    """The known columns as strings, first copy of a repeated column, missing columns as all-blank."""
    frame = raw.frame.loc[:, ~raw.frame.columns.duplicated()]
    columns = {spec.name: frame[spec.name] if spec.name in frame else _blank_column(frame) for spec in specs}
    text = pd.DataFrame(columns, index=frame.index)
    for spec in specs:
        if spec.kind is Kind.NUMBER and raw.decimal_comma:
            text[spec.name] = text[spec.name].str.replace(",", ".", regex=False)
    return text


def text_problems(text: pd.DataFrame, specs: list[ColumnSpec], present: set[str], file_name: str) -> list[InputProblem]:
    """Pass 1: every required cell filled and every filled cell parseable as its column's kind."""
    columns = {}
    for spec in specs:
        checks = [pa.Check(_filled, name="filled")] if spec.required and spec.name in present else []
        checks += _PARSE_CHECKS[spec.kind]
        columns[spec.name] = pa.Column(str, checks=checks)
    schema = pa.DataFrameSchema(columns)
    rules = {"filled": None, **_PARSE_RULES}
    blank_fixes = {spec.name: spec.blank_fix for spec in specs}
    problems = []
    for row, column, check, _ in _failures(schema, text):
        rule = rules[check]
        if rule is None:
            problems.append(InputProblem(file_name, row, column, "", "the cell is empty", blank_fixes[column]))
        else:
            problems.append(_problem(file_name, row, column, text.loc[row, column], rule, text.loc[row]))
    return problems


def parse(text: pd.DataFrame, specs: list[ColumnSpec]) -> pd.DataFrame:
    """Typed frame: cells that do not parse (already reported) become NA."""
    typed = {}
    for spec in specs:
        column = text[spec.name]
        if spec.kind is Kind.COUNT:
            if column.str.contains(".", regex=False).any():  # 12.0 is a whole number too
                column = column.str.replace(r"\.0*$", "", regex=True)
            valid = column.str.fullmatch(_INTEGER) & (column.str.len() <= _MAX_DIGITS + 1)
            typed[spec.name] = column.where(valid).astype("Int64")
        elif spec.kind is Kind.NUMBER:
            typed[spec.name] = column.where(column.str.fullmatch(_NUMBER)).astype("Float64")
        elif spec.kind is Kind.DATE:
            typed[spec.name] = _dates(column)
        else:
            typed[spec.name] = column.where(column != _BLANK)
    return pd.DataFrame(typed, index=text.index)


def rule_problems(
    schema: pa.DataFrameSchema | type[pa.DataFrameModel],
    typed: pd.DataFrame,
    text: pd.DataFrame,
    rules: Mapping[str, Rule],
    file_name: str,
) -> tuple[list[InputProblem], pd.DataFrame]:
    """Pass 2 (and warnings): run `schema`'s named checks on the typed frame; one problem per row and rule.

    A cell that breaks its own column's check (a negative count, hour 25) is reported once and then set to NA, so
    the rules across columns do not report it again in other words. Returns the problems and that masked frame.
    """
    failures = _failures(schema, typed)
    in_cells = [f for f in failures if f[3] == _COLUMN_CONTEXT]
    if in_cells:
        typed = typed.copy()
        for column, group in pd.DataFrame(in_cells).groupby(1):
            typed.loc[group[0].unique(), column] = pd.NA
        failures = in_cells + [f for f in _failures(schema, typed) if f[3] != _COLUMN_CONTEXT]
    problems, seen = [], set()
    for row, column, check, _ in failures:
        rule = rules.get(f"{check}@{column}") or rules.get(check)
        if rule is None:  # not_nullable and dtype failures: the cell was reported in pass 1
            continue
        column = rule.column or column
        if (row, column, check) in seen:
            continue
        seen.add((row, column, check))
        problems.append(_problem(file_name, row, column, text.loc[row, column], rule, text.loc[row]))
    return problems, typed


_COLUMN_CONTEXT = "Column"


def _failures(schema, frame: pd.DataFrame) -> list[tuple[int, str, str, str]]:
    """(row, column, check name, schema context) for every failure, lazily collected."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        cases = cases[cases["index"].notna()]
        names = cases["check"].astype(str).str.replace(r"\(.*\)$", "", regex=True)
        return list(
            zip(cases["index"].astype(int), cases["column"].astype(str), names, cases["schema_context"], strict=True)
        )
    return []


def _problem(file_name: str, row: int, column: str, value: str, rule: Rule, cells: Row) -> InputProblem:
    return InputProblem(file_name, row, column, value, rule.message({**cells, "value": value}), rule.fix, rule.severity)


def _blank_column(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(_BLANK, index=frame.index, dtype=str)


def _filled(column: pd.Series) -> pd.Series:
    return column != _BLANK


def _whole(column: pd.Series) -> pd.Series:
    return (column == _BLANK) | column.str.fullmatch(_WHOLE)


def _not_huge(column: pd.Series) -> pd.Series:
    return column.str.replace(r"^[+-]|\.0*$", "", regex=True).str.len() <= _MAX_DIGITS


def _number(column: pd.Series) -> pd.Series:
    return (column == _BLANK) | column.str.fullmatch(_NUMBER)


def _date_format(column: pd.Series) -> pd.Series:
    return (column == _BLANK) | column.str.fullmatch(_ISO_DATE)


def _real_date(column: pd.Series) -> pd.Series:
    return _dates(column).notna() | ~column.str.fullmatch(_ISO_DATE)


def _dates(column: pd.Series) -> pd.Series:
    """YYYY-MM-DD strings to datetime64 (NaT where not a real date); each distinct string is parsed once."""
    codes, uniques = pd.factorize(column)
    parsed = pd.to_datetime(pd.Series(uniques, dtype=str), format="%Y-%m-%d", errors="coerce").to_numpy("datetime64[ns]")
    values = parsed.take(codes) if len(uniques) else parsed[:0].repeat(len(codes))
    values[codes < 0] = np.datetime64("NaT")
    return pd.Series(values, index=column.index, dtype="datetime64[ns]")


def _opening_hours(column: pd.Series) -> pd.Series:
    return column.map(lambda text: text == _BLANK or _hours_reason(text) is None).astype(bool)


def _hours_reason(text: str) -> str | None:
    try:
        parse_opening_hours(text)
    except ValueError as reason:
        return str(reason)
    return None


def _quoted(cells: Row) -> str:
    return f"'{cells['value']}'"


_PARSE_CHECKS: dict[Kind, list[pa.Check]] = {
    Kind.TEXT: [],
    Kind.COUNT: [pa.Check(_whole, name="whole_number"), pa.Check(_not_huge, name="not_huge")],
    Kind.NUMBER: [pa.Check(_number, name="number")],
    Kind.DATE: [pa.Check(_date_format, name="date_format"), pa.Check(_real_date, name="real_date")],
    Kind.OPENING_HOURS: [pa.Check(_opening_hours, name="opening_hours")],
}
_PARSE_RULES: dict[str, Rule] = {
    "whole_number": Rule(
        lambda c: f"{_quoted(c)} is not a whole number", "Enter a count such as 12, with no decimals or text."
    ),
    "not_huge": Rule(
        lambda c: f"{_quoted(c)} is far too large for a count", "Check for a typing slip; counts are per hour."
    ),
    "number": Rule(lambda c: f"{_quoted(c)} is not a number", "Enter a number such as 12.5."),
    "date_format": Rule(
        lambda c: f"{_quoted(c)} is not a date in the form YYYY-MM-DD", "Write dates as year-month-day, e.g. 2026-09-07."
    ),
    "real_date": Rule(lambda c: f"{_quoted(c)} is not a date that exists", "Check the day and the month."),
    "opening_hours": Rule(
        lambda c: f"{_quoted(c)} {_hours_reason(c['value'])}",
        "Write opening hours as HH:MM-HH:MM (e.g. 09:00-21:00; 10:00-01:00 closes after midnight) or 'closed'.",
    ),
}
