"""The machinery both file kinds share: header checks, the text-level (parse) schema, typed parsing, and turning
pandera's failure cases into `InputProblem`s with a row, a column, the bad value and what to fix.

Validation runs in two pandera passes, both lazy so that every defect is found in one go:
1. a text schema over the stripped cell strings: is a required cell filled, does it parse as its kind;
2. the typed schema from `planner.schemas` over the parsed frame (ranges and rules across columns).
A cell that fails pass 1 is NA in pass 2, where every rule treats a missing cell as passing: one defect, one report.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

import numpy as np
import pandas as pd
import pandera.pandas as pa

from planner.errors import HEADER_ROW, InputProblem, Severity
from planner.hours import parse_opening_hours
from planner.io import cells
from planner.io.dates import date_as_written, settled_order
from planner.io.raw_table import RawTable
from planner.io.tally import Tally
from planner.schemas import DATE_YEARS, INTEGER_MAX, Columns
from planner.settings import FieldInfo
from planner.surfaces.fixes import ADD_THE_FILE_AGAIN, THE_CHAINS_TIME_ZONE
from planner.weeks import ISO_DATE
from planner.words import MARKUP, disguised, nearest
from planner.zones import TIME_ZONE_FIX, taken_time_zones, time_zone_problem

_BLANK = ""
# ASCII digits only: \d would also take Arabic-Indic and other digits that no spreadsheet reads as a number.
_WHOLE = r"[+-]?[0-9]+(?:\.0*)?"
_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_COMMA_NUMBER = _NUMBER.replace("\\.", ",")
"""A number as a semicolon-separated file writes it, with a decimal comma (2,5E3)."""
_ISO_DATE = ISO_DATE
_TIME_OF_DAY = r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"
"""What a time cell reads as (`planner.io.xlsx_reading`), or a CSV a spreadsheet wrote from one."""
_ON_THE_HOUR = r"^0?([0-9]{1,2}):00(?::00)?$"
_COUNT_DIGITS = len(str(INTEGER_MAX))
_FINITE_DIGITS = 300
EXAMPLE_STORE_ID = "EXAMPLE-delete-this-row"
"""The store id of the templates' example row: a row that keeps it is rejected, so the example is never imported."""


class Kind(Enum):
    TEXT = "text"
    DATE = "date"
    COUNT = "count"
    NUMBER = "number"
    OPENING_HOURS = "opening hours"
    YES_NO = "yes or no"
    CLOCK = "clock time"
    TIME_ZONE = "time zone"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: Kind
    required: bool = True
    blank_fix: str = "Enter a value."
    max_chars: int | None = None
    """Most characters a text cell may hold (the database column's size)."""
    hour_of_day: bool = False
    """A count that is an hour of the day: a time on the hour (12:00, what Excel makes of 12:00 typed in a cell, or
    12:00:00 as its CSV writes it) reads as that hour."""
    too_large: Rule | None = None
    """How a count above the column's own limit reads ("more than one hour's count can hold (1,000 staff on the
    floor)"), said also of a cell past what any count can hold, so that the limit given is the column's; None: that
    one (`INTEGER_MAX`)."""
    most: float | None = None
    """The column's own limit that `too_large` says, where it has one: a count written with an exponent above it
    (2.5E3 staff) is said past that limit at once, not first as a number to write in digits."""


STORE_FILE = "the store file"
"""Where the store ids a file is checked against come from, as its messages say it ("store 'S99' is not in the
store file"); `planner.intake.check_files` says "the database" when they are the database's stores."""


@dataclass(frozen=True)
class Rule:
    """How one named check reads to a user. `column` None: report under the column pandera names.

    Rules are looked up by check name, or by `check@column` where one check reads differently per column. A rule
    of a column's own check (`ge`, `lt`, ...) finds that column's name and bound under `column` and `limit` too, and
    its fix may be a function of them ("Enter 1 or more"), so one rule says each column's own range."""

    message: Callable[[Mapping[str, str]], str]
    fix: str | Callable[[Mapping[str, object]], str]
    column: str | None = None
    severity: Severity = "error"


Row = Mapping[str, str]


def did_you_mean(value: str, choices) -> str:
    """ " (did you mean 'S02'?)" after a message naming `value`, not one of `choices`, where one is close; else ""."""
    near = nearest(value, choices)
    return f" (did you mean '{near}'?)" if near is not None else ""


def unknown_store_rule(stores_in: str, known, fix: str) -> Rule:
    """The `known_store` rule of a file that names stores (counts, people, calendar days), one rule whoever uploads
    it: an id that is one of `known` with markup or stray characters (`disguised`) is no valid store id, and its fix
    writes the id meant; one in another case or width is not in `stores_in` and its fix writes the id meant; any
    other is not in `stores_in` (with the store meant where a slip is likely) and its fix is `fix`."""
    ids = sorted(set(map(str, known)))

    def message(cells: Mapping[str, str]) -> str:
        value = str(cells["value"])
        if disguised(value, ids) is not None:
            what = "markup" if MARKUP.search(value) else "characters a store id does not have"
            return f"'{value}' is no valid store id: it holds {what}"
        return f"store '{value}' is not in {stores_in}{did_you_mean(value, ids)}"

    def fixed(cells: Mapping[str, object]) -> str:
        value = str(cells["value"])
        meant = disguised(value, ids) or nearest(value, ids, misspelt=False)
        return fix if meant is None else f"Write '{meant}', as the store file has it, and {ADD_THE_FILE_AGAIN.app}."

    return Rule(message, fixed)


def first_pass(raw: RawTable, specs: list[ColumnSpec], tally: Tally
               ) -> tuple[pd.DataFrame, pd.DataFrame, list[InputProblem]]:
    """Pass 1 of `raw` as every file kind makes it: its text frame (`text_frame`), its typed frame (`parse`: a cell
    that failed is NA) and the problems found, the header's (`header_problems`) then the cells' (`text_problems`)."""
    text = text_frame(raw, specs)
    problems = header_problems(raw, specs)
    found, bad = text_problems(text, specs, set(raw.frame.columns), raw.file_name, tally)
    return text, parse(text, specs, bad), problems + found


def header_problems(raw: RawTable, specs: list[ColumnSpec]) -> list[InputProblem]:
    """Missing required columns (with a close-match hint), repeated columns, and ignored extra columns."""
    found = list(raw.frame.columns)
    known = {spec.name for spec in specs}
    missing = [spec.name for spec in specs if spec.required and spec.name not in found]
    unknown = [c for c in found if c not in known]
    meant = meant_columns(missing, unknown)
    # an optional column misspelt ('demand_facter') leaves the file stored without it: name the column meant too,
    # from the unused columns no required column took
    absent = [spec.name for spec in specs if not spec.required and spec.name not in found]
    optional_meant = {unused: name for name, unused in
                      meant_columns(absent, [c for c in unknown if c not in meant.values()]).items()}
    problems = []
    for spec in specs:
        if spec.name in missing:
            near = meant.get(spec.name)
            hint = f" The file has '{raw.original_headers[near]}': did you mean '{spec.name}'?" if near else ""
            problems.append(
                InputProblem(
                    raw.file_name, HEADER_ROW, spec.name, "", f"required column '{spec.name}' is missing",
                    f"Add a column headed '{spec.name}'.{hint}",
                )
            )
    for name in sorted({c for c in found if found.count(c) > 1 and c}):
        problems.append(
            InputProblem(raw.file_name, HEADER_ROW, name, name, f"column '{name}' appears more than once",
                         "Keep one of them.")
        )
    for name in found:
        if name not in known and name and name in optional_meant:
            intended = optional_meant[name]
            problems.append(
                InputProblem(
                    raw.file_name, HEADER_ROW, name, raw.original_headers.get(name, name),
                    f"column '{name}' is not used: did you mean '{intended}'?",
                    f"Rename its header to '{intended}'; as it is, its values were ignored.", "warning",
                )
            )
        elif name not in known and name:
            problems.append(
                InputProblem(
                    raw.file_name, HEADER_ROW, name, raw.original_headers.get(name, name),
                    f"column '{name}' is not used",
                    "It was ignored; rename it if it was meant to be one of the planner's columns.", "warning",
                )
            )
    return problems


def meant_columns(missing: list[str], unknown: list[str], cutoff: float = 0.6) -> dict[str, str]:
    """Each missing column -> the unused column of the file it most likely is (misspelt), each unused column offered
    for one missing column at most, the closest pair first: 'store' was offered for both 'store_id' and 'visitors'."""
    pairs = sorted(((difflib.SequenceMatcher(None, unused, name).ratio(), name, unused)
                    for name in missing for unused in unknown), key=lambda pair: -pair[0])
    meant: dict[str, str] = {}
    for ratio, name, unused in pairs:
        if ratio >= cutoff and name not in meant and unused not in meant.values():
            meant[name] = unused
    return meant


def text_frame(raw: RawTable, specs: list[ColumnSpec]) -> pd.DataFrame:
    """The known columns as strings, first copy of a repeated column, missing columns as all-blank. Text cells have
    the export's formula escape read back; number cells have full-width digits and signs as ASCII."""
    frame = raw.frame.loc[:, ~raw.frame.columns.duplicated()]
    columns = {spec.name: frame[spec.name] if spec.name in frame else _blank_column(frame) for spec in specs}
    text = pd.DataFrame(columns, index=frame.index)
    text.attrs[_DECIMAL_COMMA] = raw.decimal_comma
    for spec in specs:
        written = read = text[spec.name]
        if spec.kind is Kind.TEXT:
            text[spec.name] = cells.unescape_formulas(read)
            continue
        if spec.kind in (Kind.COUNT, Kind.NUMBER):
            read = cells.plain_number_text(read)  # the column itself when nothing changes, as below
        if spec.hour_of_day and read.str.contains(":", regex=False).any():
            read = read.str.replace(_ON_THE_HOUR, r"\1", regex=True)
        if spec.kind is Kind.NUMBER and raw.decimal_comma:
            read = read.str.replace(",", ".", regex=False)
        if read is not written:
            text[spec.name] = read
            changed = read != written
            if changed.any():  # messages quote a number as the user wrote it (1.252,1), not as it was read
                text[_WRITTEN + spec.name] = written.where(changed)
    return text


DECIMAL_COMMA_CELL = "\x00decimal_comma"
"""Key of a rule's cells: True for a semicolon-separated file, whose numbers a message writes with a decimal comma
(`number_as_written`)."""


def number_as_written(number: float, cells: Mapping[str, object]) -> str:
    """`number` as a message writes it (`:g`), with a decimal comma where the file's cells (`cells`, a rule's) use
    one: "203,75 staff minutes" of a semicolon file, not the point Python reads them with."""
    shown = f"{number:g}"
    return shown.replace(".", ",") if cells.get(DECIMAL_COMMA_CELL) else shown


_DECIMAL_COMMA = "decimal_comma"
"""Key of `text_frame`'s attrs: True for a semicolon-separated file, whose decimal mark is ','."""
_WRITTEN = "\x00written:"
"""Prefix of `text_frame`'s columns holding a cell as written where reading it changed it (no header can hold NUL)."""


def _as_written(text: pd.DataFrame | Mapping[str, object], column: str, row: int | None, value: str) -> str:
    """`value` (the cell of `column` as read) as the user wrote it."""
    key = _WRITTEN + column
    if key not in text:
        return value
    written = text[key] if row is None else text[key].at[row]
    return written if isinstance(written, str) else value


def _written_column(text: pd.DataFrame, column: str) -> pd.Series:
    """The cells of `column` as the user wrote them (before a semicolon file's decimal comma was read as a point)."""
    key = _WRITTEN + column
    return text[key].fillna(text[column]) if key in text else text[column]


def text_problems(
    text: pd.DataFrame, specs: list[ColumnSpec], present: set[str], file_name: str, tally: Tally
) -> tuple[list[InputProblem], pd.DataFrame]:
    """Pass 1: every required cell filled and every filled cell parseable as its column's kind, within what the
    database column holds. Returns the problems and a frame of booleans marking the cells that failed (each
    reported once, by the first check it fails)."""
    problems = []
    bad = pd.DataFrame(False, index=text.index, columns=[spec.name for spec in specs])
    for spec in specs:
        column = text[spec.name]
        checks = [("filled", _filled)] if spec.required and spec.name in present else []
        if text.attrs.get(_DECIMAL_COMMA) and spec.kind in (Kind.COUNT, Kind.NUMBER) and \
                (written := _written_column(text, spec.name)).str.contains(".", regex=False).any():
            checks.append(("dot_thousands", lambda _, written=written: ~written.str.fullmatch(_DOT_THOUSANDS)))
        checks += [(name, _DECIMAL_COMMA_CHECKS.get(name, check) if text.attrs.get(_DECIMAL_COMMA) else check)
                   for name, check in _PARSE_CHECKS[spec.kind]]
        if spec.max_chars is not None:
            checks.append(("too_long", lambda values, limit=spec.max_chars: values.str.len() <= limit))
        failed = pd.Series(False, index=text.index)
        for name, check in checks:
            failing = ~_passes(check(column)) & ~failed.to_numpy()
            if not failing.any():
                continue
            failed |= failing
            rule = None if name == "filled" else _too_long_rule(spec) if name == "too_long" else \
                _parse_rule(name, text, spec)
            for row in tally.keep(spec.name, "error", text.index[failing]):
                if rule is None:
                    problems.append(InputProblem(file_name, row, spec.name, "", "the cell is empty", spec.blank_fix))
                else:
                    problems.append(_problem(file_name, row, spec.name,
                                             _as_written(text, spec.name, row, column.at[row]), rule, {}))
        bad[spec.name] = failed.to_numpy()
    return problems, bad


def parse(text: pd.DataFrame, specs: list[ColumnSpec], bad: pd.DataFrame) -> pd.DataFrame:
    """Typed frame: cells that failed pass 1 (`bad`, already reported) and empty cells become NA."""
    typed = {}
    for spec in specs:
        column = text[spec.name].where(~bad[spec.name] & (text[spec.name] != _BLANK))
        # Pass 1 let through only ASCII numbers (and here only those), so a direct cast cannot fail.
        if spec.kind is Kind.COUNT:
            whole = column.str.replace(r"^\+|\.0*$", "", regex=True) if column.notna().any() else column
            typed[spec.name] = whole.astype("Int64")
        elif spec.kind is Kind.NUMBER:
            typed[spec.name] = column.astype("Float64")
        elif spec.kind is Kind.DATE:
            typed[spec.name] = _dates(column.fillna(_BLANK))
        elif spec.kind is Kind.YES_NO:
            typed[spec.name] = column.str.lower().map(_YES_NO).astype("boolean")
        elif spec.kind is Kind.CLOCK:
            typed[spec.name] = column.map(_clock_text, na_action="ignore")
        else:
            typed[spec.name] = column
    return pd.DataFrame(typed, index=text.index, copy=False)  # the parsed columns as they are: no second copy


def rule_problems(
    schema: pa.DataFrameSchema | type[Columns],
    typed: pd.DataFrame,
    text: pd.DataFrame,
    rules: Mapping[str, Rule],
    file_name: str,
    tally: Tally,
) -> tuple[list[InputProblem], pd.DataFrame]:
    """Pass 2 (and warnings): run `schema`'s named checks on the typed frame; one problem per row and rule.

    A cell that breaks its own column's check (a negative count, hour 25) is reported once and then set to NA, so
    the rules across columns do not report it again in other words. Returns the problems and that masked frame.
    """
    groups = _failures(schema, typed)
    in_cells = [group for group in groups if group[3] == _COLUMN_CONTEXT]
    if in_cells:
        typed = typed.copy()
        for rows, column, _, _ in in_cells:
            typed.loc[rows, column] = pd.NA
        groups = in_cells + [group for group in _failures(schema, typed) if group[3] != _COLUMN_CONTEXT]
    problems = []
    for rows, column, check, context in groups:
        rule = rules.get(f"{check}@{column}") or rules.get(check)
        if rule is None:
            continue
        shown = rule.column or column
        listed = tally.keep(shown, rule.severity, rows)
        bound = _limit(schema, column, check) if context == _COLUMN_CONTEXT else {}
        for row, cells_of_row in text.loc[listed].to_dict("index").items():
            # every cell as written, for the messages that quote other cells (the minutes of an hour's staff)
            written = {name: _as_written(cells_of_row, name, None, cell) for name, cell in cells_of_row.items()
                       if not str(name).startswith(_WRITTEN)}
            written[DECIMAL_COMMA_CELL] = bool(text.attrs.get(_DECIMAL_COMMA))
            problems.append(_problem(file_name, row, shown, written[shown], rule, {**written, **bound}))
    return problems, typed


_COLUMN_CONTEXT = "Column"


def _failures(schema, frame: pd.DataFrame) -> list[tuple[np.ndarray, str | None, str, str]]:
    """(failing rows, column, check name, context) for each of the schema's named checks that fails somewhere
    (context: `Column` for a check on one column, else the frame's). The checks are the schema's own, applied one by
    one as vectorised masks: pandera's lazy report would build a record per failing cell, and a million bad rows
    must stay cheap. Missing cells pass: pass 1 reported each of them already."""
    if isinstance(schema, type):
        schema = schema.to_schema()
    found = []
    for name, column in schema.columns.items():
        if name in frame:
            found += [(rows, name, check.name, _COLUMN_CONTEXT) for check in column.checks
                      if len(rows := _failing(check(frame[name]).check_output))]
    found += [(rows, None, check.name, "DataFrameSchema") for check in schema.checks
              if len(rows := _failing(check(frame).check_output))]
    return found


def _failing(output) -> np.ndarray:
    output = pd.Series(output)
    return output.index.to_numpy()[~np.asarray(output.fillna(True), dtype=bool)]


def _problem(file_name: str, row: int, column: str, value: str, rule: Rule, row_cells: Row) -> InputProblem:
    context = {**row_cells, "value": value}
    fix = rule.fix(context) if callable(rule.fix) else rule.fix
    return InputProblem(file_name, row, column, _shown(value), rule.message(context), fix, rule.severity)


def _limit(schema, column: str, check_name: str) -> dict[str, object]:
    """{'column': name, 'limit': bound} of a one-bound check of `column` (ge, gt, le, lt), as a message says it."""
    if isinstance(schema, type):
        schema = schema.to_schema()
    for check in schema.columns[column].checks:
        if check.name == check_name and len(check.statistics or {}) == 1:
            (bound,) = check.statistics.values()
            return {"column": column, "limit": f"{bound:g}" if isinstance(bound, float) else f"{bound:,}"}
    return {"column": column}


def in_range_check(info: FieldInfo) -> pa.Check:
    """A number column's range check, named `in_range` as `out_of_range_rule` reads it, from its `FieldInfo`."""
    return pa.Check.in_range(info.low, info.high, include_min=not info.low_open, include_max=not info.high_open)


def out_of_range_rule(column: str, info: FieldInfo, fix: str) -> Rule:
    """How a number outside its column's range (`info`) reads: the value as written and the whole range in words."""
    return Rule(lambda c: f"'{c['value']}' is outside what {column} allows ({info.allowed()})", fix)


def _parse_rule(name: str, text: pd.DataFrame, spec: ColumnSpec) -> Rule:
    """How a cell failing parse check `name` reads: a semicolon file's numbers in its own decimal comma; a count too
    large for any column by the column's own limit, where it has one; a date that reads two ways by the order the
    column's other dates settle, where they do."""
    too_large = spec.too_large or _PARSE_RULES["fits_integer"]
    if name == "fits_integer":
        return too_large
    if name == "count_with_exponent":
        return _exponent_rule(too_large, INTEGER_MAX if spec.most is None else spec.most)
    if text.attrs.get(_DECIMAL_COMMA) and name in _DECIMAL_COMMA_RULES:
        return _DECIMAL_COMMA_RULES[name]
    if name == "date_format" and (settled := settled_order(text[spec.name])) is not None:
        return Rule(lambda c: f"{_quoted(c)} is not a date in the form YYYY-MM-DD"
                              f"{date_as_written(c['value'], settled)}", _PARSE_RULES[name].fix)
    return _PARSE_RULES[name]


def _passes(result) -> np.ndarray:
    """A check's result as plain booleans (a missing answer counts as passing: another check reports that cell)."""
    return np.asarray(pd.Series(result).fillna(True), dtype=bool)


def _blank_column(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(_BLANK, index=frame.index, dtype=str)


def _filled(column: pd.Series) -> pd.Series:
    return column != _BLANK


def _not_a_time(column: pd.Series) -> pd.Series:
    if not column.str.contains(":", regex=False).any():
        return pd.Series(True, index=column.index)
    return ~column.str.fullmatch(_TIME_OF_DAY)


def _whole(column: pd.Series) -> pd.Series:
    return (column == _BLANK) | column.str.fullmatch(_WHOLE)


def _fits_integer(column: pd.Series) -> pd.Series:
    """Counts go to SQL INTEGER columns: no more than `INTEGER_MAX`, however many zeros lead or decimals trail."""
    if not (column.str.len() >= _COUNT_DIGITS).any():
        return pd.Series(True, index=column.index)
    digits = column.str.replace(r"^[+-]?0*|\.0*$", "", regex=True)
    short = digits.str.len() <= _COUNT_DIGITS
    value = pd.to_numeric(digits.where(short & column.str.fullmatch(_WHOLE)), errors="coerce")
    return (short & ~(value > INTEGER_MAX).fillna(False)) | ~column.str.fullmatch(_WHOLE)


def _number(column: pd.Series) -> pd.Series:
    return (column == _BLANK) | column.str.fullmatch(_NUMBER)


def _no_whole_exponent(column: pd.Series, decimal_comma: bool = False) -> pd.Series:
    """A count written with an exponent whose value is whole (1e10, 2.5E3) fails here, to be said as the number it
    is: "not a whole number" said of 1e10 was untrue. One that is not whole (1.5e-1) fails as not whole, after.
    `decimal_comma`: a semicolon-separated file's, where 2,5E3 is 2500 as 2.5E3 is (it read "not a whole number")."""
    marked = column.str.contains("e", case=False, regex=False)
    if not marked.any():
        return pd.Series(True, index=column.index)
    number = column.str.fullmatch(_NUMBER).fillna(False)
    if decimal_comma:
        number |= column.str.fullmatch(_COMMA_NUMBER).fillna(False)
    marked &= number
    return ~(marked & column.where(marked, "0").map(_whole_value).notna())


def _whole_value(text: str) -> Decimal | None:
    """The whole number `text` (a number, perhaps with an exponent and a decimal comma) is; None if not whole."""
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value == value.to_integral_value() else None


def _exponent_rule(too_large: Rule, most: float) -> Rule:
    """How a whole count written with an exponent reads: past what a count can hold, or past the column's own limit
    (`most`), as `too_large` says it with the number it is (1e10 read "is not a whole number"; 2.5E3 staff read as
    2,500 to write in digits, its limit said only once so written); else the number it is, to be written in
    digits."""
    def reason(c: Row) -> tuple[str, str]:
        value = _whole_value(c["value"])
        if value is None or value > most:
            written = "" if value is None or value > INTEGER_MAX else f": it is {int(value):,} written with an exponent"
            return too_large.message(c) + written, too_large.fix(c) if callable(too_large.fix) else too_large.fix
        if value < 0:
            return f"{_quoted(c)} is less than 0", "Enter a count of 0 or more, with the digits 0-9."
        return (f"{_quoted(c)} is {int(value):,} written with an exponent",
                f"Write it with the digits 0-9 alone: {int(value)}.")

    return Rule(lambda c: reason(c)[0], lambda c: reason(c)[1])


def _finite(column: pd.Series) -> pd.Series:
    if not (column.str.contains("e", case=False, regex=False) | (column.str.len() > _FINITE_DIGITS)).any():
        return pd.Series(True, index=column.index)  # without an exponent, only a 309-digit number overflows
    value = pd.to_numeric(column.where(column.str.fullmatch(_NUMBER)), errors="coerce")
    return ~np.isinf(value.to_numpy(dtype=float, na_value=0.0))


def _not_example(column: pd.Series) -> pd.Series:
    return column != EXAMPLE_STORE_ID


def _date_format(column: pd.Series) -> pd.Series:
    return (column == _BLANK) | column.str.fullmatch(_ISO_DATE)


def _date_years(column: pd.Series) -> pd.Series:
    iso = column.str.fullmatch(_ISO_DATE).fillna(False).astype(bool)
    years = pd.to_numeric(column.where(iso).str[:4], errors="coerce")
    return ~iso | years.between(*DATE_YEARS)


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


_YES_NO = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}
_CLOCK = r"([0-9]{1,2}):([0-9]{2})(?::00)?"
"""HH:MM, or HH:MM:00 as a spreadsheet writes a time cell to CSV."""


def _yes_no(column: pd.Series) -> pd.Series:
    return (column == _BLANK) | column.str.lower().isin(list(_YES_NO))


def _clock_time(column: pd.Series) -> pd.Series:
    parts = column.str.extract(f"^{_CLOCK}$").astype(float)
    hours, minutes = parts[0], parts[1]
    real = (hours <= 24) & (minutes <= 59) & ~((hours == 24) & (minutes > 0))
    return (column == _BLANK) | real.fillna(False)


def _time_zone(column: pd.Series) -> pd.Series:
    return (column == _BLANK) | column.isin(taken_time_zones())


def _clock_text(text: str) -> str:
    """'9:05' -> '09:05', '10:00:00' -> '10:00' (the text passed `_clock_time`)."""
    hours, minutes = text.split(":")[:2]
    return f"{int(hours):02d}:{minutes}"


def _quoted(row: Row) -> str:
    return f"'{_shown(row['value'])}'"


def _shown(value: str) -> str:
    """A cell as a message quotes it: at most 80 characters."""
    return value if len(value) <= 80 else value[:79] + "…"


def _decimal_comma_reason(written: str) -> tuple[str, str]:
    """(what is wrong, the fix) for a cell of a semicolon-separated file that is not a number, as written there."""
    mark = "this file is separated by semicolons, so ',' is its decimal mark"
    if re.fullmatch(_THOUSANDS_DOT, written):
        return (f"{_quoted({'value': written})} is not a number: {mark}, and the '.' between the thousands reads as a "
                "second one", f"Write it without the thousands separator, as {written.replace('.', '')}.")
    if re.fullmatch(_THOUSANDS_COMMA, written):
        as_meant = written.replace(",", "").replace(".", ",")
        return (f"{_quoted({'value': written})} is not a number: {mark}, not a thousands separator",
                f"Write it with no thousands separator and ',' before the decimals, as {as_meant}.")
    return (f"{_quoted({'value': written})} is not a number",
            f"Enter a number such as 12,5 ({mark}), {_DIGITS_FIX}.")


def _point_reason(written: str) -> tuple[str, str]:
    """(what is wrong, the fix) for a cell that is not a number in a file whose decimal mark is '.' (a CSV separated
    by commas, or a workbook): a decimal comma is named as what broke it ('180,5': write 180.5), and one before
    three digits ('1,234') may also be a thousands separator, so both readings are offered."""
    quoted = _quoted({"value": written})
    if re.fullmatch(_COMMA_DECIMAL, written):
        if re.fullmatch(r"[+-]?[0-9]{1,3},[0-9]{3}", written):
            return (f"{quoted} is not a number: ',' may separate thousands or be a decimal comma",
                    f"Write {written.replace(',', '')} if ',' separates thousands, or {written.replace(',', '.')} "
                    f"if it is a decimal comma ({_SEMICOLONS_TAKE_COMMAS}).")
        return (f"{quoted} is not a number: ',' is not a decimal mark in this file",
                f"Write {written.replace(',', '.')}, with a decimal point ({_SEMICOLONS_TAKE_COMMAS}).")
    return f"{quoted} is not a number", f"Enter a number such as 12.5, {_DIGITS_FIX}."


def _too_long_rule(spec: ColumnSpec) -> Rule:
    return Rule(
        lambda c: f"{_quoted(c)} is {len(c['value']):,} characters long; {spec.name} holds at most {spec.max_chars}",
        "Shorten it.",
    )


_PARSE_CHECKS: dict[Kind, list[tuple[str, Callable[[pd.Series], pd.Series]]]] = {
    Kind.TEXT: [("example_row", _not_example)],
    Kind.COUNT: [("time_not_count", _not_a_time), ("count_with_exponent", _no_whole_exponent),
                 ("whole_number", _whole), ("fits_integer", _fits_integer)],
    Kind.NUMBER: [("time_not_count", _not_a_time), ("number", _number), ("finite", _finite)],
    Kind.DATE: [("date_format", _date_format), ("date_years", _date_years), ("real_date", _real_date)],
    Kind.OPENING_HOURS: [("opening_hours", _opening_hours)],
    Kind.YES_NO: [("yes_no", _yes_no)],
    Kind.CLOCK: [("clock_time", _clock_time)],
    Kind.TIME_ZONE: [("time_zone", _time_zone)],
}
_DECIMAL_COMMA_CHECKS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "count_with_exponent": lambda column: _no_whole_exponent(column, decimal_comma=True),
}
"""The parse checks that read a semicolon-separated file's numbers in its decimal comma, in place of `_PARSE_CHECKS`'."""
_DIGITS_FIX = "with the digits 0-9"
_COMMA_DECIMAL = r"[+-]?[0-9]+,[0-9]+"
"""180,5: a decimal comma, where the file's decimal mark is '.'."""
_SEMICOLONS_TAKE_COMMAS = "a CSV separated by semicolons reads 12,5 as twelve and a half"
_THOUSANDS_DOT = r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?"
"""1.234,50: European Excel's thousands separator, kept when a cell is text."""
_THOUSANDS_COMMA = r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
"""1,234.50: an English-style number in a European file."""
_DOT_THOUSANDS = r"[+-]?[1-9][0-9]{0,2}\.[0-9]{3}"
"""1.234 in a semicolon file: its '.' may be European Excel's thousands separator (1234) or a decimal point (1,234),
so the cell is refused rather than read as either. More dots (1.234.567) are not a number there at all."""
_DECIMAL_COMMA_RULES: dict[str, Rule] = {
    "dot_thousands": Rule(
        lambda c: f"{_quoted(c)} is ambiguous: this file is separated by semicolons, so ',' is its decimal mark and "
                  f"'.' separates thousands, but the '.' may also be meant as a decimal point",
        lambda c: f"Write {c['value'].replace('.', '')} for the whole number (no thousands separator), or "
                  f"{c['value'].replace('.', ',')} if the '.' is a decimal point.",
    ),
    "number": Rule(lambda c: _decimal_comma_reason(c["value"])[0], lambda c: _decimal_comma_reason(c["value"])[1]),
    "finite": Rule(
        lambda c: f"{_quoted(c)} is too large to be a number the planner can use",
        "Enter an ordinary number such as 12,5 (this file is separated by semicolons, so ',' is its decimal mark).",
    ),
}
"""The parse rules that quote an example number, for semicolon-separated files: European Excel reads 12.5 as a date."""
_PARSE_RULES: dict[str, Rule] = {
    "whole_number": Rule(
        lambda c: f"{_quoted(c)} is not a whole number",
        f"Enter a count such as 12, {_DIGITS_FIX}, with no decimals or text.",
    ),
    "time_not_count": Rule(
        lambda c: f"{_quoted(c)} is a time of day, not a number",
        "Enter the number itself (for an hour, 12 means 12:00-13:00). Excel makes a time cell of 12:00 typed in a "
        "cell: format the column as Number (Home > Number format) and type the number again.",
    ),
    "fits_integer": Rule(
        lambda c: f"{_quoted(c)} is more than the largest count the planner can store ({INTEGER_MAX:,})",
        "Check for a typing slip; counts are per hour.",
    ),
    "finite": Rule(
        lambda c: f"{_quoted(c)} is too large to be a number the planner can use",
        "Enter an ordinary number such as 12.5.",
    ),
    "example_row": Rule(
        lambda c: "this is the template's example row",
        "Delete the example row and enter your own rows in its place.",
    ),
    "number": Rule(lambda c: _point_reason(c["value"])[0], lambda c: _point_reason(c["value"])[1]),
    "date_format": Rule(
        lambda c: f"{_quoted(c)} is not a date in the form YYYY-MM-DD{date_as_written(c['value'])}",
        "Write dates as year-month-day, e.g. 2026-09-07."
    ),
    "real_date": Rule(lambda c: f"{_quoted(c)} is not a date that exists", "Check the day and the month."),
    "date_years": Rule(lambda c: f"{_quoted(c)} is not a date of the years {DATE_YEARS[0]}-{DATE_YEARS[1]}",
                       "Check the year for a typing slip."),
    "yes_no": Rule(lambda c: f"{_quoted(c)} is not yes or no", "Write yes or no (or leave it empty for no)."),
    "clock_time": Rule(
        lambda c: f"{_quoted(c)} is not a clock time", "Write a time as HH:MM between 00:00 and 24:00, e.g. 09:30."
    ),
    "time_zone": Rule(
        lambda c: time_zone_problem(_shown(c["value"])),
        f"{TIME_ZONE_FIX[0].upper()}{TIME_ZONE_FIX[1:]} (the zone the store's clock keeps), or leave it empty for "
        f"{THE_CHAINS_TIME_ZONE.app}.",
    ),
    "opening_hours": Rule(
        lambda c: f"{_quoted(c)} {_hours_reason(c['value'])}",
        "Write opening hours as HH:MM-HH:MM (e.g. 09:00-21:00; 10:00-01:00 closes after midnight) or 'closed'.",
    ),
}
