"""Read a CSV or XLSX upload into a frame of stripped strings indexed by spreadsheet row number.

Nothing here knows what the columns mean: that is the schemas' job. What it promises: a file that cannot be read at
all (not CSV/XLSX, empty, not UTF-8, ragged rows) becomes `InputRejected` with one clear problem per defect, never a
traceback; a readable file becomes a `RawTable` whose index is the row number a spreadsheet shows (header = row 1)
and whose columns are the header names normalised (stripped, lower case, inner spaces as `_`).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

import pandas as pd

from planner.errors import InputProblem, InputRejected

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 .xls format
_BLANK = ""


@dataclass(frozen=True)
class RawTable:
    file_name: str
    frame: pd.DataFrame
    """Cells as stripped strings ('' when empty); index = spreadsheet row number; columns = normalised headers."""
    original_headers: dict[str, str]
    """Normalised header -> header as written in the file."""
    decimal_comma: bool
    """True for semicolon-separated files, where `12,5` means twelve and a half."""


def normalise_header(name: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower()) if name is not None else ""


def read_table(content: bytes, file_name: str) -> RawTable:
    """Read `content` (the bytes of an upload) as CSV or, by its signature, XLSX."""
    if content[:4] == _XLSX_MAGIC:
        return _read_xlsx(content, file_name)
    if content[:4] == _OLE_MAGIC:
        _reject(file_name, "is an old Excel .xls workbook", "Save it as .xlsx or as CSV UTF-8 and upload that.")
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        _reject(file_name, "is named .xlsx but is not an Excel workbook", "Save it again from Excel as .xlsx.")
    return _read_csv(content, file_name)


def _reject(file_name: str, message: str, fix: str, value: str = "") -> None:
    raise InputRejected([InputProblem(file_name, None, None, value, f"the file {message}", fix)])


def _decode(content: bytes, file_name: str) -> str:
    if b"\x00" in content[:4096]:
        _reject(file_name, "is not a text file (it holds binary data)", "Upload a CSV or XLSX file.")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        byte = content[error.start : error.start + 1].hex()
        _reject(
            file_name,
            f"is not UTF-8 (byte 0x{byte} on line {line})",
            "Save it as 'CSV UTF-8' (in Excel: Save As > CSV UTF-8) and upload it again.",
            value=f"0x{byte}",
        )
        raise AssertionError("unreachable")


def _read_csv(content: bytes, file_name: str) -> RawTable:
    text = _decode(content, file_name)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip(" \t,;")), None)
    if first is None:
        _reject(file_name, "is empty", "Upload a file with a header row and at least one row of counts.")
    delimiter = ";" if lines[first].count(";") > lines[first].count(",") else ","
    body = "\n".join(lines[first:])
    try:
        frame = pd.read_csv(
            io.StringIO(body),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            header=0,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        _reject_ragged(body, delimiter, file_name, first)
        raise AssertionError("unreachable")
    # Index = spreadsheet row: header is row first+1, data start one below it.
    frame.index = pd.RangeIndex(first + 2, first + 2 + len(frame))
    header = next(csv.reader([lines[first]], delimiter=delimiter))
    return _finish(frame, header, file_name, decimal_comma=delimiter == ";")


def _reject_ragged(body: str, delimiter: str, file_name: str, first: int) -> None:
    """The fast parser stopped at a malformed row: find every such row with the csv module and report them all."""
    rows = list(csv.reader(io.StringIO(body), delimiter=delimiter))
    width = len(rows[0])
    problems = [
        InputProblem(
            file_name,
            first + 1 + number,
            None,
            delimiter.join(cells)[:80],
            f"row has {len(cells)} cells but the header has {width}",
            f"Remove the extra {delimiter!r} separators or quote cells that contain one.",
        )
        for number, cells in enumerate(rows)
        if len(cells) > width
    ]
    if not problems:
        problems = [InputProblem(file_name, None, None, "", "the file could not be read as CSV", "Check its quoting.")]
    raise InputRejected(problems)


def _read_xlsx(content: bytes, file_name: str) -> RawTable:
    import openpyxl  # imported here: only XLSX uploads pay for it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        _reject(file_name, f"is not a readable Excel workbook ({error})", "Save it again from Excel as .xlsx.")
        raise AssertionError("unreachable")
    try:
        rows = [[_xlsx_cell(v) for v in row] for row in workbook.worksheets[0].iter_rows(min_row=1, values_only=True)]
    finally:
        workbook.close()
    first = next((i for i, row in enumerate(rows) if any(rows[i])), None)
    if first is None:
        _reject(file_name, "has an empty first sheet", "Put the header and counts on the first sheet.")
    header = rows[first]
    width = max(len(header), max((len(r) for r in rows), default=0))
    header = header + [_BLANK] * (width - len(header))
    data = [row + [_BLANK] * (width - len(row)) for row in rows[first + 1 :]]
    frame = pd.DataFrame(data, columns=header, dtype=str)
    frame.index = pd.RangeIndex(first + 2, first + 2 + len(frame))
    # Columns without a header that hold nothing are formatting residue, not data.
    keep = [i for i, name in enumerate(header) if name != _BLANK or (frame.iloc[:, i] != _BLANK).any()]
    return _finish(frame.iloc[:, keep], [header[i] for i in keep], file_name, decimal_comma=False)


def _xlsx_cell(value: object) -> str:
    if value is None:
        return _BLANK
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "hour"):  # datetime: the date part is what a date cell means
        return value.date().isoformat() if (value.hour, value.minute, value.second) == (0, 0, 0) else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _finish(frame: pd.DataFrame, header: list[str], file_name: str, *, decimal_comma: bool) -> RawTable:
    normalised = [normalise_header(c) for c in header]
    columns = {
        i: frame.iloc[:, i].fillna(_BLANK).astype(str).str.strip() for i in range(min(len(header), frame.shape[1]))
    }
    frame = pd.DataFrame(columns)
    frame.columns = normalised[: frame.shape[1]]
    frame = frame.loc[~(frame == _BLANK).all(axis=1)]
    headers: dict[str, str] = {}
    for name, written in zip(normalised, header, strict=False):
        headers.setdefault(name, written.strip())
    return RawTable(file_name, frame, headers, decimal_comma)
