"""An XLSX upload read into a `RawTable`: its first sheet, in read-only mode, row by row up to its last non-empty
cell (a sheet whose stated size is A1:XFD1048576 costs only the cells it holds), each cell as the text a CSV of it
would hold (`_xlsx_cell`: a time cell as HH:MM, a date cell as its date); the sheets after the first, only their
header row (`SheetHeader`); formulas without a saved value, read as empty and warned of. A workbook is opened only
after `workbook_guard` has refused parts that unpack to far more than spreadsheet data can."""

from __future__ import annotations

import datetime
import io
import zipfile
import zlib
from dataclasses import replace
from xml.etree.ElementTree import ParseError

import pandas as pd

from planner.errors import InputProblem
from planner.io.raw_table import BLANK, EmptyFirstSheet, RawTable, SheetHeader, normalise_header
from planner.io.table_finish import finish_table, rows_under_the_header
from planner.io.unreadable import SPLIT_FIX, megabytes, reject
from planner.io.workbook_guard import check_workbook_parts
from planner.settings import ImportRules
from planner.surfaces.fixes import EVERY_ROW_TO_IMPORT, UPLOAD_AGAIN, UPLOAD_EACH_SHEET, UPLOAD_IT_AGAIN, UPLOAD_THAT

_BROKEN_WORKBOOK = (
    zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, TypeError, AttributeError, IndexError,
    ParseError,
)
"""What openpyxl raises on a truncated or corrupt workbook (a missing part, broken XML, a bad style or number)."""
HEADER_ROWS_SEARCHED = 100
"""How far down each sheet after a workbook's first its header row is looked for: its first row that is not empty
(empty rows above a table are passed over; a title row above the header is taken as the header, as on the first
sheet), and a sheet not read costs no more than these rows, whatever it holds below them."""


def read_xlsx(content: bytes, file_name: str, rules: ImportRules, rows_are: str) -> RawTable:
    import openpyxl  # imported here: only XLSX uploads pay for it

    broken = f"Open it in Excel, save it again as .xlsx, and {UPLOAD_THAT.app}."
    on_the_first_sheet = f"Put the header and {rows_are} on the first sheet."  # of the kind, where it is known
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked > rules.max_file_bytes:
            reject(file_name, f"unpacks to {megabytes(unpacked)}, more than the {megabytes(rules.max_file_bytes)} "
                   "a file may hold", SPLIT_FIX)
        check_workbook_parts(archive, file_name, rules)
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except _BROKEN_WORKBOOK as error:
        reject(file_name, f"is not a readable Excel workbook ({_broken_why(error)})", broken)
        raise AssertionError("unreachable") from error
    problems: list[InputProblem] = []
    try:
        sheets = workbook.worksheets
        if not sheets:
            reject(file_name, "has no sheet", on_the_first_sheet)
        if len(sheets) > 1:
            others = ", ".join(f"'{sheet.title}'" for sheet in sheets[1:])
            problems.append(InputProblem(
                file_name, None, None, others, f"only the first sheet ('{sheets[0].title}') is read; {others} ignored",
                f"Put {EVERY_ROW_TO_IMPORT.app} on the first sheet, or {UPLOAD_EACH_SHEET.app}.", "warning"))
        other_sheets = tuple(_sheet_header(sheet, workbook.sheetnames.index(sheet.title) + 1, rules)
                             for sheet in sheets[1:])
        rows = _sheet_rows(sheets[0], file_name, rules)
        formulas = _formulas_without_value(content, rows, rules) if _has_formulas(archive, sheets[0]) else {}
    except _BROKEN_WORKBOOK as error:
        reject(file_name, f"is not a readable Excel workbook ({_broken_why(error)})", broken)
        raise AssertionError("unreachable") from error
    finally:
        workbook.close()
    if not rows:
        raise EmptyFirstSheet([InputProblem(file_name, None, None, "", "the file has an empty first sheet",
                                            on_the_first_sheet)], other_sheets)
    if len(rows) == 1 and other_sheets:  # a cover sheet's title alone: the rows may be on another sheet
        raise EmptyFirstSheet([InputProblem(file_name, None, None, "", "the file has a header but no rows below it",
                                            rows_under_the_header(rows_are))], other_sheets)
    numbers = list(rows)
    header = rows[numbers[0]]
    width = max(len(row) for row in rows.values())
    header = header + [BLANK] * (width - len(header))
    data = [rows[number] + [BLANK] * (width - len(rows[number])) for number in numbers[1:]]
    frame = pd.DataFrame(data, columns=range(width), dtype=str, index=pd.Index(numbers[1:], dtype="int64"))
    # Columns without a header that hold nothing are formatting residue, not data.
    keep = [i for i, name in enumerate(header) if name != BLANK or (frame.iloc[:, i] != BLANK).any()]
    names = [normalise_header(header[i]) for i in keep]
    formula_cells = frozenset(
        (row, names[keep.index(column)])
        for (row, column), _ in formulas.items() if column in keep and row in frame.index
    )
    problems += [
        InputProblem(file_name, row, names[keep.index(column)], formula,
                     f"the cell holds a formula ({formula}) without a saved value; it was read as empty",
                     f"Open the file in Excel, let it calculate, save it and {UPLOAD_IT_AGAIN.app} (or paste the "
                     "values).",
                     "warning")
        for (row, column), formula in formulas.items() if column in keep and row in frame.index
    ]
    table = finish_table(frame.iloc[:, keep], [header[i] for i in keep], file_name, rules, decimal_comma=False,
                         problems=problems, formula_cells=formula_cells, positions=keep, rows_are=rows_are)
    return replace(table, other_sheets=other_sheets)


def _sheet_header(sheet, position: int, rules: ImportRules) -> SheetHeader:
    """The header row of a sheet that is not read: its first row holding something among the first
    `HEADER_ROWS_SEARCHED`, at most `rules.max_columns` cells of it; the rows below are never parsed."""
    sheet.reset_dimensions()  # as `_sheet_rows`: the stated size may be a lie
    for values in sheet.iter_rows(max_row=HEADER_ROWS_SEARCHED, max_col=rules.max_columns, values_only=True):
        names = tuple(name for name in (normalise_header(_xlsx_cell(value)) for value in values) if name)
        if names:
            return SheetHeader(sheet.title, position, names)
    return SheetHeader(sheet.title, position, ())


def _sheet_rows(sheet, file_name: str, rules: ImportRules) -> dict[int, list[str]]:
    """Row number -> cells up to the row's last non-empty one, for the rows that hold something."""
    sheet.reset_dimensions()  # the sheet's stated size may be a lie (A1:XFD1048576): read only the cells it has
    rows: dict[int, list[str]] = {}
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        last = len(values)
        while last and (values[last - 1] is None or values[last - 1] == BLANK):
            last -= 1
        if not last:
            continue
        if last > rules.max_columns:
            from openpyxl.utils import get_column_letter

            reject(file_name, f"has a value in column {get_column_letter(last)} of row {number:,}, beyond the "
                   f"{rules.max_columns:,} columns read",
                   f"Delete everything right of the table, save and {UPLOAD_AGAIN.app}.")
        if len(rows) > rules.max_rows:
            reject(file_name, f"has more than {rules.max_rows:,} rows", SPLIT_FIX)
        rows[number] = [value if type(value) is str else _xlsx_cell(value) for value in values[:last]]
    return rows


def _has_formulas(archive: zipfile.ZipFile, sheet) -> bool:
    """Whether the sheet's XML holds a formula element, read in chunks (never the whole sheet at once)."""
    path = getattr(sheet, "_worksheet_path", None)
    if path is None or path not in archive.namelist():
        return False
    tail = b""
    with archive.open(path) as source:
        while chunk := source.read(1 << 20):
            if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                return True
            tail = chunk[-3:]
    return False


def _formulas_without_value(
    content: bytes, rows: dict[int, list[str]], rules: ImportRules
) -> dict[tuple[int, int], str]:
    """(row, column index) -> formula, for formula cells that have no saved value (read as empty)."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        found = {}
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            for column, value in enumerate(values[: rules.max_columns]):
                if isinstance(value, str) and value.startswith("="):
                    saved = rows.get(number, [])
                    if column >= len(saved) or saved[column] == BLANK:
                        found[(number, column)] = value[:80]
        return found
    finally:
        workbook.close()


def _xlsx_cell(value: object) -> str:
    kind = type(value)  # the common kinds first, tested by exact type: this runs once per cell of a sheet
    if kind is str:
        return value
    if kind is int:
        return str(value)
    if kind is float:
        return str(int(value)) if value.is_integer() else str(value)
    if value is None:
        return BLANK
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.time, datetime.timedelta)):  # 10:00 typed in Excel: a time cell
        return _clock(value)
    if hasattr(value, "date") and hasattr(value, "hour"):  # datetime: the date part is what a date cell means
        return value.date().isoformat() if (value.hour, value.minute, value.second) == (0, 0, 0) else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _clock(value: datetime.time | datetime.timedelta) -> str:
    """A time cell as a clock time, HH:MM (HH:MM:SS when it has seconds), rounded to the second: Excel keeps a time
    as a fraction of a day, which openpyxl may read back as 09:59:59.999999. A duration may pass 24 hours."""
    if isinstance(value, datetime.timedelta):
        if value < datetime.timedelta(0):
            return "-" + _clock(-value)
        seconds = round(value.total_seconds())
    else:
        seconds = round(value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def _broken_why(error: BaseException) -> str:
    """What is wrong with a workbook, in words (the library's exception name, BadZipFile, said nothing to a user)."""
    if isinstance(error, (zipfile.BadZipFile, zlib.error, EOFError)):
        return "it is not a complete .xlsx file: cut short, damaged, or another kind of file renamed"
    if isinstance(error, KeyError):
        return "a part every .xlsx file has is missing"
    return "its contents could not be read"
