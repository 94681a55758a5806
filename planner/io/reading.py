"""Read a CSV or XLSX upload into a frame of stripped strings indexed by spreadsheet row number.

Nothing here knows what the columns mean: that is the schemas' job. What it promises: a file that cannot be read at
all (not CSV/XLSX, empty, a header with no rows, not UTF-8, broken or truncated workbooks, beyond the size limits of
`ImportRules`) becomes `InputRejected` with one clear problem per defect, never a traceback; a readable file becomes a
`RawTable` whose index is the row number a spreadsheet shows (header = row 1) and whose columns are the header names
normalised (stripped, lower case, inner spaces as `_`). A CSV row with more cells than the header cannot be read
against it: each such row is named (up to the cap on problems listed), and left out of the table so that the checks
that follow can report every other row's cells. Values in a column with no header (a CSV's header ending in a
separator, a sheet's values right of its header) are not read, and each such column is named in a warning. A quote
that opens a cell and is closed rows later (the rows between read as one cell) is an error at that cell; one never
closed rejects the file at the row where it opens.

Memory and time stay bounded by the limits, whatever the file claims: a workbook is read in read-only mode, row by
row, up to its last non-empty cell (a sheet whose stated size is A1:XFD1048576 costs only the cells it holds; the
sheets after the first, only their header row, `SheetHeader`), and only after `workbook_guard` has refused parts that
unpack to far more than spreadsheet data can.

This module tells a CSV from a workbook and holds the size limit both share; the rest is a module each:
`raw_table` (what reading gives: `RawTable`, `SheetHeader`, `EmptyFirstSheet`), `csv_reading` (a CSV) and
`csv_rows` (the rows its fast parser cannot take), `xlsx_reading` (a workbook), `table_finish` (the cells of either
made a table) and `unreadable` (a file refused with the one problem that says why).
"""

from __future__ import annotations

from planner.errors import InputRejected
from planner.io.csv_reading import read_csv
from planner.io.raw_table import ANY_ROWS, RawTable
from planner.io.unreadable import SPLIT_FIX, megabytes, reject
from planner.io.xlsx_reading import read_xlsx
from planner.settings import ImportRules
from planner.surfaces.fixes import UPLOAD_THAT

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 .xls format


def read_table(
    content: bytes, file_name: str, rules: ImportRules | None = None, *, every_problem: bool = False,
    rows_are: str = ANY_ROWS,
) -> RawTable:
    """Read `content` (the bytes of an upload) as CSV or, by its signature, XLSX, within `rules`' size limits.

    A cell longer than `rules.max_cell_chars`, or a CSV row with more cells than the header, rejects the file; with
    `every_problem` the cell is emptied (the row left out) and reported as an error in the table's `problems` instead,
    so that the checks that follow report the rest of the file too. `rows_are` is what the file's rows are, for a
    caller that knows its kind ("the absences"), as a workbook without a first sheet to read is told to put them
    there."""
    table = _read_table(content, file_name, rules or ImportRules(), every_problem, rows_are)
    unread = [problem for problem in table.problems if problem.severity == "error"]
    if unread and not every_problem:
        raise InputRejected(unread)
    return table


def _read_table(content: bytes, file_name: str, rules: ImportRules, every_problem: bool, rows_are: str) -> RawTable:
    if len(content) > rules.max_file_bytes:
        reject(file_name, f"is {megabytes(len(content))}, more than the {megabytes(rules.max_file_bytes)} a file "
               f"may have", SPLIT_FIX)
    if content[:4] == _XLSX_MAGIC:
        return read_xlsx(content, file_name, rules, rows_are)
    if content[:4] == _OLE_MAGIC:
        reject(file_name, "is an old Excel .xls workbook", f"Save it as .xlsx or as CSV UTF-8 and {UPLOAD_THAT.app}.")
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        reject(file_name, "is named .xlsx but is not an Excel workbook", "Save it again from Excel as .xlsx.")
    return read_csv(content, file_name, rules, every_problem, rows_are)
