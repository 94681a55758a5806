"""A CSV upload read into a `RawTable`: decoded and checked as text (UTF-8, its header line, its size, NUL and control
characters), its separator (comma or semicolon) told by its header, then parsed by pandas' fast parser from the
file's own bytes. Rows the parser cannot take (more cells than the header, a quote never closed) are found and said
by `planner.io.csv_rows`."""

from __future__ import annotations

import codecs
import csv
import io
import warnings

import pandas as pd

from planner.errors import InputProblem, InputRejected
from planner.io import cells
from planner.io.csv_rows import LINE_BREAK, BrokenRows, broken_rows, swallowed_rows, unparsed
from planner.io.raw_table import RawTable
from planner.io.table_finish import finish_table
from planner.io.unreadable import SPLIT_FIX, reject, too_long_header
from planner.memory import release_freed_memory
from planner.settings import ImportRules
from planner.surfaces.fixes import SEE_THE_TEMPLATE, UPLOAD_A_CSV_OR_XLSX, UPLOAD_A_FILE, UPLOAD_IT_AGAIN

_SAVE_AS_UTF8 = f"Save it as 'CSV UTF-8' (in Excel: Save As > CSV UTF-8) and {UPLOAD_IT_AGAIN.app}."


def read_csv(content: bytes, file_name: str, rules: ImportRules, every_problem: bool, rows_are: str) -> RawTable:
    """The text is decoded once to check it (UTF-8, its header, rows, NUL and control characters) and dropped before
    parsing: the parser reads the file's own bytes, so a large file is never held as text and bytes at once.

    Rows with more cells than the header stop the fast parser: `broken_rows` finds them, and (`every_problem`) the
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
        reject(file_name, f"has more than {rules.max_rows:,} rows", SPLIT_FIX)
    if text.find("\x00", start) >= 0:
        reject(file_name, "holds a NUL character", "Save it again as CSV UTF-8 from the spreadsheet.")
    # the lines above the header hold only separators and blanks: they cannot make a cell dirty
    controls = cells.may_hold_control_characters(text)
    skipped_bytes = len(text[:start].encode("utf-8")) + (len(codecs.BOM_UTF8) if content.startswith(codecs.BOM_UTF8)
                                                        else 0)
    del text
    source = io.BytesIO(content)  # shares `content`'s buffer: no copy
    source.seek(skipped_bytes)
    broken = BrokenRows()
    try:
        frame = _parse_csv(source, delimiter)
    except _PARSER_STOPPED as error:
        broken = broken_rows(content, skipped_bytes, delimiter, file_name, first, rules, keep_rest=every_problem)
        if not broken.listed:
            raise InputRejected([unparsed(file_name, first, str(error))]) from None
        if not every_problem or not broken.rows_left:  # nothing else to check: say so now, not "no rows below it"
            raise InputRejected(broken.reported(file_name)) from None
        try:
            frame = _parse_csv(broken.rest, delimiter)
        except _PARSER_STOPPED as again:  # what the broken rows hid: a quote never closed, say
            raise InputRejected(broken.reported(file_name) + [unparsed(file_name, first, str(again))]) from None
        finally:
            broken.rest = None
    # Index = spreadsheet row: header is row first+1, data start one below it.
    frame.index = pd.RangeIndex(first + 2, first + 2 + len(frame))
    swallowed = swallowed_rows(frame, header, delimiter, file_name) if controls else []
    table = finish_table(frame, header, file_name, rules, decimal_comma=delimiter == ";", controls=controls,
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


def _decode(content: bytes, file_name: str) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode Text": read as binary
        reject(file_name, "is UTF-16 text, not UTF-8", _SAVE_AS_UTF8)
    if b"\x00" in content[:4096]:
        reject(file_name, "is not a text file (it holds binary data)", f"{UPLOAD_A_CSV_OR_XLSX.app}.")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        byte = content[error.start : error.start + 1].hex()
        reject(
            file_name,
            f"is not UTF-8 (byte 0x{byte} on line {line})",
            _SAVE_AS_UTF8,
            value=f"0x{byte}",
        )
        raise AssertionError("unreachable")


def _header_line(text: str, file_name: str) -> tuple[int, int, int]:
    """(lines above the header, where the header line starts, where it ends) in `text`: the header is the first line
    holding more than separators and blanks."""
    first, start = 0, 0
    while True:
        line_break = LINE_BREAK.search(text, start)
        end = line_break.start() if line_break else len(text)
        if text[start:end].strip(" \t,;"):
            return first, start, end
        if line_break is None:
            reject(file_name, "is empty", f"{UPLOAD_A_FILE.app} with a header row and at least one row below it "
                   f"({SEE_THE_TEMPLATE.app}).")
        first, start = first + 1, line_break.end()


def _header_cells(line: str, delimiter: str, file_name: str, rules: ImportRules) -> list[str]:
    longest = rules.max_columns * (rules.max_cell_chars + 3)  # a header within the limits, every cell quoted
    try:  # a longer line is read only as far as a header may reach: enough to tell too many columns from a long cell
        header = next(csv.reader([line[: longest + 1]], delimiter=delimiter))
    except csv.Error:
        too_long_header(file_name, rules)
    if len(header) > rules.max_columns:
        many = f"{len(header):,}" if len(line) <= longest else f"about {line.count(delimiter) + 1:,}"
        reject(file_name, f"has {many} columns, more than the {rules.max_columns:,} read",
               f"Keep only the planner's columns ({SEE_THE_TEMPLATE.app}) and {UPLOAD_IT_AGAIN.app}.")
    if len(line) > longest:
        too_long_header(file_name, rules)
    if max((len(cell) for cell in header), default=0) > rules.max_cell_chars:
        too_long_header(file_name, rules)
    return header
