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
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from xml.etree.ElementTree import ParseError

import pandas as pd

from planner.errors import InputProblem, InputRejected, problems_not_listed
from planner.io import cells
from planner.io.workbook_guard import check_workbook_parts
from planner.memory import release_freed_memory
from planner.settings import ImportRules
from planner.surfaces import (
    EVERY_ROW_TO_IMPORT, SEE_THE_TEMPLATE, UPLOAD_A_CSV_OR_XLSX, UPLOAD_A_FILE, UPLOAD_AGAIN, UPLOAD_EACH_SHEET,
    UPLOAD_IT_AGAIN, UPLOAD_THAT, UPLOAD_THOSE,
)
from planner.words import counted

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 .xls format
_BLANK = ""
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # only these end a CSV row: U+2028 and friends stay inside their cell
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_HEADER_GAPS = re.compile(r"[\s\-]+")
"""What `normalise_header` writes as one underscore in a column's name."""
# pandas' C parser at a quote never closed; its row counts from 0 at the header, counting a blank line as a row and
# a quoted cell's line breaks as none, as the planner numbers spreadsheet rows
_UNCLOSED_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")
_BROKEN_WORKBOOK = (
    zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, TypeError, AttributeError, IndexError,
    ParseError,
)
"""What openpyxl raises on a truncated or corrupt workbook (a missing part, broken XML, a bad style or number)."""
_SAVE_AS_UTF8 = f"Save it as 'CSV UTF-8' (in Excel: Save As > CSV UTF-8) and {UPLOAD_IT_AGAIN.app}."
_SPLIT_FIX = f"Split it into smaller files (for example one per month or per store) and {UPLOAD_THOSE.app}."
ANY_ROWS = "the rows"
"""What a file's rows are, as its fixes name them, where the reader is not told the file's kind (`read_table`'s
`rows_are`): a workbook with no first sheet to read may be any of the files the planner takes."""


@dataclass(frozen=True)
class RawTable:
    file_name: str
    frame: pd.DataFrame
    """Cells as stripped strings ('' when empty); index = spreadsheet row number; columns = normalised headers."""
    original_headers: dict[str, str]
    """Normalised header -> header as written in the file."""
    decimal_comma: bool
    """True for semicolon-separated files, where `12,5` means twelve and a half."""
    problems: tuple[InputProblem, ...] = ()
    """What reading noticed and changed (warnings), or cells it could not read (formulas without a saved value)."""
    formula_cells: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    """(row, column) of cells holding a formula without a saved value: read as empty, reported as formulas."""
    unlisted_errors: int = 0
    """Rows reading could not read (more cells than the header) past those `problems` lists: counted, not listed."""
    other_sheets: tuple[SheetHeader, ...] = ()
    """A workbook's sheets after the first, which are not read: each one's title, place and header row only."""


@dataclass(frozen=True)
class SheetHeader:
    """A sheet of a workbook other than the first (which alone is read): its title, its place among the workbook's
    sheets (1 = the first tab), and its header row's names normalised (its first row holding something, as the first
    sheet's header is), so that a check that knows the columns it wants can say the rows are on that sheet."""

    title: str
    position: int
    columns: tuple[str, ...]


class EmptyFirstSheet(InputRejected):
    """A workbook whose first sheet holds nothing, with the header rows of its other sheets (`other_sheets`): a
    check that knows the columns it wants can name the sheet that holds them."""

    def __init__(self, problems: list[InputProblem], other_sheets: tuple[SheetHeader, ...]):
        super().__init__(problems)
        self.other_sheets = other_sheets


HEADER_ROWS_SEARCHED = 100
"""How far down each sheet after a workbook's first its header row is looked for: its first row that is not empty
(empty rows above a table are passed over; a title row above the header is taken as the header, as on the first
sheet), and a sheet not read costs no more than these rows, whatever it holds below them."""


def normalise_header(name: object) -> str:
    """A header cell as a column's name: trimmed, in lower case, each run of spaces and hyphens one underscore
    ("Store ID" -> "store_id")."""
    return _HEADER_GAPS.sub("_", str(name).strip().lower()) if name is not None else ""


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
        _reject(file_name, f"is {_megabytes(len(content))}, more than the {_megabytes(rules.max_file_bytes)} a file "
                f"may have", _SPLIT_FIX)
    if content[:4] == _XLSX_MAGIC:
        return _read_xlsx(content, file_name, rules, rows_are)
    if content[:4] == _OLE_MAGIC:
        _reject(file_name, "is an old Excel .xls workbook", f"Save it as .xlsx or as CSV UTF-8 and {UPLOAD_THAT.app}.")
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        _reject(file_name, "is named .xlsx but is not an Excel workbook", "Save it again from Excel as .xlsx.")
    return _read_csv(content, file_name, rules, every_problem, rows_are)


def _reject(file_name: str, message: str, fix: str, value: str = "") -> None:
    raise InputRejected([InputProblem(file_name, None, None, value, f"the file {message}", fix)])


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


def _decode(content: bytes, file_name: str) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode Text": read as binary
        _reject(file_name, "is UTF-16 text, not UTF-8", _SAVE_AS_UTF8)
    if b"\x00" in content[:4096]:
        _reject(file_name, "is not a text file (it holds binary data)", f"{UPLOAD_A_CSV_OR_XLSX.app}.")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        byte = content[error.start : error.start + 1].hex()
        _reject(
            file_name,
            f"is not UTF-8 (byte 0x{byte} on line {line})",
            _SAVE_AS_UTF8,
            value=f"0x{byte}",
        )
        raise AssertionError("unreachable")


def _broken_why(error: BaseException) -> str:
    """What is wrong with a workbook, in words (the library's exception name, BadZipFile, said nothing to a user)."""
    if isinstance(error, (zipfile.BadZipFile, zlib.error, EOFError)):
        return "it is not a complete .xlsx file: cut short, damaged, or another kind of file renamed"
    if isinstance(error, KeyError):
        return "a part every .xlsx file has is missing"
    return "its contents could not be read"


def _read_csv(content: bytes, file_name: str, rules: ImportRules, every_problem: bool, rows_are: str) -> RawTable:
    """The text is decoded once to check it (UTF-8, its header, rows, NUL and control characters) and dropped before
    parsing: the parser reads the file's own bytes, so a large file is never held as text and bytes at once.

    Rows with more cells than the header stop the fast parser: `_broken_rows` finds them, and (`every_problem`) the
    parser reads a copy of the bytes with each of them as a blank line, so every other row keeps its number."""
    text = _decode(content, file_name)
    first, start, end = _header_line(text, file_name)
    delimiter = ";" if text.count(";", start, end) > text.count(",", start, end) else ","
    if text.count("\t", start, end) > text.count(delimiter, start, end):
        # read as commas, its header was one column named after them all, each tab "a control character removed"
        raise InputRejected([InputProblem(
            file_name, first + 1, None, "", "the file is separated by tabs, not by commas or semicolons",
            f"Save it as 'CSV UTF-8' (in Excel: Save As > CSV UTF-8, not Text (Tab delimited)) and "
            f"{UPLOAD_IT_AGAIN.app}.")])
    header = _header_cells(text[start:end], delimiter, file_name, rules)
    if max(text.count("\n", start), text.count("\r", start)) > rules.max_rows + 1:
        _reject(file_name, f"has more than {rules.max_rows:,} rows", _SPLIT_FIX)
    if text.find("\x00", start) >= 0:
        _reject(file_name, "holds a NUL character", "Save it again as CSV UTF-8 from the spreadsheet.")
    # the lines above the header hold only separators and blanks: they cannot make a cell dirty
    controls = cells.may_hold_control_characters(text)
    skipped_bytes = len(text[:start].encode("utf-8")) + (len(codecs.BOM_UTF8) if content.startswith(codecs.BOM_UTF8)
                                                        else 0)
    del text
    source = io.BytesIO(content)  # shares `content`'s buffer: no copy
    source.seek(skipped_bytes)
    broken = _BrokenRows()
    try:
        frame = _parse_csv(source, delimiter)
    except _PARSER_STOPPED as error:
        broken = _broken_rows(content, skipped_bytes, delimiter, file_name, first, rules, keep_rest=every_problem)
        if not broken.listed:
            raise InputRejected([_unparsed(file_name, first, str(error))]) from None
        if not every_problem or not broken.rows_left:  # nothing else to check: say so now, not "no rows below it"
            raise InputRejected(broken.reported(file_name)) from None
        try:
            frame = _parse_csv(broken.rest, delimiter)
        except _PARSER_STOPPED as again:  # what the broken rows hid: a quote never closed, say
            raise InputRejected(broken.reported(file_name) + [_unparsed(file_name, first, str(again))]) from None
        finally:
            broken.rest = None
    # Index = spreadsheet row: header is row first+1, data start one below it.
    frame.index = pd.RangeIndex(first + 2, first + 2 + len(frame))
    swallowed = _swallowed_rows(frame, header, delimiter, file_name) if controls else []
    table = _finish(frame, header, file_name, rules, decimal_comma=delimiter == ";", controls=controls,
                    problems=broken.listed + swallowed, unlisted_errors=broken.unlisted, rows_are=rows_are)
    release_freed_memory()  # the parser's buffers and the unstripped columns
    return table


_PARSER_STOPPED = (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, csv.Error)


def _parse_csv(source: io.BytesIO, delimiter: str) -> pd.DataFrame:
    with warnings.catch_warnings():  # rows wider than the header: pandas would drop their last cells, or (every row
        # one wider) read the first column as the index, shifting every cell one column left
        warnings.simplefilter("error", pd.errors.ParserWarning)
        return pd.read_csv(source, sep=delimiter, dtype=str, keep_default_na=False, skip_blank_lines=False, header=0,
                           engine="c", index_col=False)


def _header_line(text: str, file_name: str) -> tuple[int, int, int]:
    """(lines above the header, where the header line starts, where it ends) in `text`: the header is the first line
    holding more than separators and blanks."""
    first, start = 0, 0
    while True:
        line_break = _LINE_BREAK.search(text, start)
        end = line_break.start() if line_break else len(text)
        if text[start:end].strip(" \t,;"):
            return first, start, end
        if line_break is None:
            _reject(file_name, "is empty", f"{UPLOAD_A_FILE.app} with a header row and at least one row below it "
                    f"({SEE_THE_TEMPLATE.app}).")
        first, start = first + 1, line_break.end()


def _header_cells(line: str, delimiter: str, file_name: str, rules: ImportRules) -> list[str]:
    longest = rules.max_columns * (rules.max_cell_chars + 3)  # a header within the limits, every cell quoted
    try:  # a longer line is read only as far as a header may reach: enough to tell too many columns from a long cell
        header = next(csv.reader([line[: longest + 1]], delimiter=delimiter))
    except csv.Error:
        _too_long_header(file_name, rules)
    if len(header) > rules.max_columns:
        many = f"{len(header):,}" if len(line) <= longest else f"about {line.count(delimiter) + 1:,}"
        _reject(file_name, f"has {many} columns, more than the {rules.max_columns:,} read",
                f"Keep only the planner's columns ({SEE_THE_TEMPLATE.app}) and {UPLOAD_IT_AGAIN.app}.")
    if len(line) > longest:
        _too_long_header(file_name, rules)
    if max((len(cell) for cell in header), default=0) > rules.max_cell_chars:
        _too_long_header(file_name, rules)
    return header


def _too_long_header(file_name: str, rules: ImportRules) -> None:
    _reject(file_name, f"has a header longer than {rules.max_cell_chars:,} characters in one cell",
            f"The first row must hold the column names ({SEE_THE_TEMPLATE.app}); check that it is the right file.")


@dataclass
class _BrokenRows:
    """What `_broken_rows` found: the rows with more cells than the header, the first of them as problems."""

    listed: list[InputProblem] = field(default_factory=list)
    unlisted: int = 0
    """Broken rows past the cap on problems listed."""
    rows_left: bool = False
    """Whether a row is neither broken nor blank: something is left to check."""
    rest: io.BytesIO | None = None
    """The file from its header on, each broken row a blank line (so every other row keeps its number)."""

    def reported(self, file_name: str) -> list[InputProblem]:
        """The problems to refuse the file with: those listed, and a line counting the others."""
        more = [problems_not_listed(file_name, None, "error", self.unlisted)] if self.unlisted else []
        return self.listed + more


def _broken_rows(
    content: bytes, start: int, delimiter: str, file_name: str, first: int, rules: ImportRules, *, keep_rest: bool
) -> _BrokenRows:
    """The fast parser stopped at a malformed row: find every row with more cells than the header (at `start`) with
    the csv module, a line at a time, listing at most `rules.max_problems_per_column` of them; with `keep_rest`, copy
    the file for the parser with each of them as a blank line. Memory: the copy and the listed problems, nothing per
    row."""
    found = _BrokenRows(rest=io.BytesIO() if keep_rest else None)
    lines = _Lines(content, start)
    whole = memoryview(content)  # slices of it are written to the copy without another copy of their own
    copied_to = start
    try:
        reader = csv.reader(lines, delimiter=delimiter)
        width = len(next(reader))
        record_start = lines.end
        for number, cells_ in enumerate(reader, start=first + 2):
            record_end = lines.end  # the reader takes a line only when it needs one: this row ends here
            if len(cells_) > width:
                if len(found.listed) < rules.max_problems_per_column:
                    found.listed.append(InputProblem(
                        file_name, number, None, delimiter.join(cells_)[:80],
                        f"row has {len(cells_)} cells but the header has {width}",
                        f"Remove the extra {delimiter!r} separators or quote cells that contain one."))
                else:
                    found.unlisted += 1
                if found.rest is not None:
                    found.rest.write(whole[copied_to:record_start])
                    found.rest.write(_line_end(content, record_end))
                copied_to = record_end
            elif not found.rows_left and any(cell.strip() for cell in cells_):
                found.rows_left = True
            record_start = record_end
    except csv.Error as error:
        _reject(file_name, f"could not be read as CSV ({error})", "Check its quoting: a quote opened and not closed?")
    if found.rest is not None:
        found.rest.write(whole[copied_to:])
        found.rest.seek(0)
    return found


class _Lines:
    """The lines of `content` from `start` on, as text for the csv module, one at a time; `end` is where the last
    line handed out ends (its line break included). `content` is valid UTF-8, and no byte of a multi-byte character
    is a line break, so each line decodes alone."""

    def __init__(self, content: bytes, start: int):
        self._content = content
        self.end = start

    def __iter__(self):
        content = self._content
        for line_break in _LINE_BREAK_BYTES.finditer(content, self.end):
            line = content[self.end : line_break.end()].decode("utf-8")
            self.end = line_break.end()
            yield line
        if self.end < len(content):
            line = content[self.end :].decode("utf-8")
            self.end = len(content)
            yield line


def _line_end(content: bytes, end: int) -> bytes:
    """The line break that ends the row ending at `end` (none at the end of a file without one)."""
    tail = content[max(end - 2, 0) : end]
    if tail.endswith(b"\r\n"):
        return b"\r\n"
    return tail[-1:] if tail[-1:] in (b"\r", b"\n") else b""


def _swallowed_rows(frame: pd.DataFrame, header: list[str], delimiter: str, file_name: str) -> list[InputProblem]:
    """Cells where a stray quote opened and a later stray quote closed it: the lines between, whole rows by the look
    of them (a line with at least as many separators as the header), were read as part of the cell. Each such cell
    is reported as an error and emptied (in place), so that it is not also reported as a bad value.

    A quoted cell may hold line breaks (Alt+Enter in Excel): only a continuation line with a row's worth of
    separators counts, so an ordinary note over two lines is still read (and its line break removed, with a
    warning, by `cells.clean`)."""
    if len(header) < 2:
        return []
    separators = len(header) - 1
    problems = []
    for position in range(min(len(header), frame.shape[1])):
        values = frame.iloc[:, position]
        multi_line = values.str.contains("[\r\n]", regex=True).fillna(False).astype(bool)
        if not multi_line.any():
            continue
        for row in values.index[multi_line.to_numpy()]:
            lines = _LINE_BREAK.split(values.at[row])
            if not any(line.count(delimiter) >= separators for line in lines[1:]):
                continue
            problems.append(InputProblem(
                file_name, int(row), normalise_header(header[position]) or None, lines[0][:80],
                f"a quote (\") opens in this cell and is closed only {counted(len(lines) - 1, 'line')} further down, "
                "so the rows in between were read into this one cell: they could not be read as rows",
                'Close the quote at the end of its cell or remove it; a quote inside a cell is written twice ("").'))
            frame.iat[frame.index.get_loc(row), position] = _BLANK
    return problems


def _unparsed(file_name: str, first: int, parser_said: str) -> InputProblem:
    """Why the fast parser stopped, where no row has more cells than the header: a quote never closed, at the row
    where the parser says it opened, or else the file as a whole."""
    unclosed = _UNCLOSED_QUOTE.search(parser_said)
    if unclosed:  # the csv module reads on to the end inside the quote: only pandas says where
        return InputProblem(
            file_name, first + 1 + int(unclosed.group(1)), None, "",
            "a quote (\") opens in this row and is never closed, so the rest of the file reads as one cell: the rows "
            "below it could not be read",
            'Close the quote or remove it; a quote inside a cell is written twice ("").')
    return InputProblem(file_name, None, None, "", "the file could not be read as CSV", "Check its quoting.")


def _read_xlsx(content: bytes, file_name: str, rules: ImportRules, rows_are: str) -> RawTable:
    import openpyxl  # imported here: only XLSX uploads pay for it

    broken = f"Open it in Excel, save it again as .xlsx, and {UPLOAD_THAT.app}."
    on_the_first_sheet = f"Put the header and {rows_are} on the first sheet."  # of the kind, where it is known
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked > rules.max_file_bytes:
            _reject(file_name, f"unpacks to {_megabytes(unpacked)}, more than the {_megabytes(rules.max_file_bytes)} "
                    "a file may hold", _SPLIT_FIX)
        check_workbook_parts(archive, file_name, rules)
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except _BROKEN_WORKBOOK as error:
        _reject(file_name, f"is not a readable Excel workbook ({_broken_why(error)})", broken)
        raise AssertionError("unreachable") from error
    problems: list[InputProblem] = []
    try:
        sheets = workbook.worksheets
        if not sheets:
            _reject(file_name, "has no sheet", on_the_first_sheet)
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
        _reject(file_name, f"is not a readable Excel workbook ({_broken_why(error)})", broken)
        raise AssertionError("unreachable") from error
    finally:
        workbook.close()
    if not rows:
        raise EmptyFirstSheet([InputProblem(file_name, None, None, "", "the file has an empty first sheet",
                                            on_the_first_sheet)], other_sheets)
    if len(rows) == 1 and other_sheets:  # a cover sheet's title alone: the rows may be on another sheet
        raise EmptyFirstSheet([InputProblem(file_name, None, None, "", "the file has a header but no rows below it",
                                            _rows_under_the_header(rows_are))], other_sheets)
    numbers = list(rows)
    header = rows[numbers[0]]
    width = max(len(row) for row in rows.values())
    header = header + [_BLANK] * (width - len(header))
    data = [rows[number] + [_BLANK] * (width - len(rows[number])) for number in numbers[1:]]
    frame = pd.DataFrame(data, columns=range(width), dtype=str, index=pd.Index(numbers[1:], dtype="int64"))
    # Columns without a header that hold nothing are formatting residue, not data.
    keep = [i for i, name in enumerate(header) if name != _BLANK or (frame.iloc[:, i] != _BLANK).any()]
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
    table = _finish(frame.iloc[:, keep], [header[i] for i in keep], file_name, rules, decimal_comma=False,
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
        while last and (values[last - 1] is None or values[last - 1] == _BLANK):
            last -= 1
        if not last:
            continue
        if last > rules.max_columns:
            from openpyxl.utils import get_column_letter

            _reject(file_name, f"has a value in column {get_column_letter(last)} of row {number:,}, beyond the "
                    f"{rules.max_columns:,} columns read",
                    f"Delete everything right of the table, save and {UPLOAD_AGAIN.app}.")
        if len(rows) > rules.max_rows:
            _reject(file_name, f"has more than {rules.max_rows:,} rows", _SPLIT_FIX)
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
                    if column >= len(saved) or saved[column] == _BLANK:
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
        return _BLANK
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


def _headless_values(
    frame: pd.DataFrame, header: list[str], file_name: str, positions: list[int] | None
) -> list[InputProblem]:
    """One warning per column that holds values under no header (right of the header's last name, or a gap in it):
    they are not read, as a CSV row's cells beyond its header are not, and the user is told so. `positions`: each
    column's place in the sheet, where empty columns were left out of `frame`."""
    problems = []
    for position, name in enumerate(header):
        if str(name).strip() != _BLANK:
            continue
        values = frame.iloc[:, position]
        filled = values.index[(values != _BLANK).to_numpy()]
        if not len(filled):
            continue
        letter = _column_letter(position if positions is None else positions[position])
        first = int(filled[0])
        more = f", nor the {counted(len(filled) - 1, 'other value')} in column {letter}" if len(filled) > 1 else ""
        problems.append(InputProblem(
            file_name, first, None, values.at[first][:80],
            f"cell {letter}{first} holds a value but column {letter} has no header, so it was not read{more}",
            f"Give column {letter} a header or delete the values in it.", "warning"))
    return problems


def _column_letter(position: int) -> str:
    """The spreadsheet letter of the column at `position` (0 -> A, 26 -> AA)."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _without_repeated_headers(frame: pd.DataFrame, file_name: str) -> tuple[pd.DataFrame, list[InputProblem]]:
    """`frame` without the rows that repeat its header (files joined one below the other keep each one's header: it
    read as an error in every cell, none saying what the row was), and a warning for each."""
    if frame.empty or not frame.columns[0]:
        return frame, []
    # the first column alone first: a large file is compared cell by cell only on the rows that may be headers
    first, name = frame.iloc[:, 0], frame.columns[0]
    first = first[first.str.len().between(len(name), 3 * len(name))]
    maybe = first.index[first.str.lower().str.replace(_HEADER_GAPS, "_", regex=True) == name]  # as normalise_header
    repeated = [row for row in maybe
                if all(normalise_header(frame.at[row, name]) == name for name in frame.columns if name)]
    if not repeated:
        return frame, []
    return frame.drop(index=repeated), [InputProblem(
        file_name, int(row), None, ",".join(frame.loc[row])[:80], "the row repeats the header row; it was left out",
        "Nothing to do if the file joins files one below the other; otherwise check the rows around it.",
        "warning") for row in repeated]


def _rows_under_the_header(rows_are: str) -> str:
    """The fix of a file holding a header alone, of the file's kind where the reader is told it ("Add the absences
    under the header row."), else in words true of every command that reads a file: "the rows to import" was said
    to `schedule --requirements` and `roster replan --absence`, which import nothing."""
    return f"Add {rows_are} under the header row."


def _finish(
    frame: pd.DataFrame, header: list[str], file_name: str, rules: ImportRules, *, decimal_comma: bool,
    problems: list[InputProblem] | None = None, formula_cells: frozenset = frozenset(), controls: bool = True,
    unlisted_errors: int = 0, positions: list[int] | None = None, rows_are: str,
) -> RawTable:
    """The raw table of `frame` (emptied on the way: its columns move into the table's, stripped)."""
    normalised = [normalise_header(c) for c in header]
    if max((len(str(c)) for c in header), default=0) > rules.max_cell_chars:
        _too_long_header(file_name, rules)
    # `frame` is consumed column by column, so that a large file is never held twice (stripped and not)
    kept = min(len(header), frame.shape[1])
    frame.columns = range(frame.shape[1])
    columns = {i: frame.pop(i).fillna(_BLANK).astype(str).str.strip() for i in range(kept)}
    frame = pd.DataFrame(columns, index=frame.index)
    frame.columns = normalised[: frame.shape[1]]
    blank = (frame == _BLANK).all(axis=1)
    if blank.any():  # a copy of the frame only where there are blank rows to drop
        frame = frame.loc[~blank]
    frame, repeated = _without_repeated_headers(frame, file_name)
    if frame.empty:
        _reject(file_name, "has a header but no rows below it", _rows_under_the_header(rows_are))
    frame, notes = cells.clean(frame, file_name, rules, controls=controls)
    notes = repeated + notes
    notes += _headless_values(frame, header, file_name, positions)
    headers: dict[str, str] = {}
    for name, written in zip(normalised, header, strict=False):
        headers.setdefault(name, str(written).strip())
    return RawTable(file_name, frame, headers, decimal_comma, tuple((problems or []) + notes), formula_cells,
                    unlisted_errors)
