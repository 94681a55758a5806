"""The rows of a CSV file that pandas' fast parser cannot read against its header: rows with more cells than the
header (found with the csv module a line at a time, each named up to the cap on problems listed, and left out of a
copy the parser reads again), cells into which a stray quote swallowed the rows below it, and a quote never closed,
at the row where it opens."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import pandas as pd

from planner.errors import InputProblem, problems_not_listed
from planner.io.raw_table import BLANK, normalise_header
from planner.io.unreadable import reject
from planner.settings import ImportRules
from planner.words import counted

LINE_BREAK = re.compile(r"\r\n|\r|\n")  # only these end a CSV row: U+2028 and friends stay inside their cell
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
# pandas' C parser at a quote never closed; its row counts from 0 at the header, counting a blank line as a row and
# a quoted cell's line breaks as none, as the planner numbers spreadsheet rows
_UNCLOSED_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


@dataclass
class BrokenRows:
    """What `broken_rows` found: the rows with more cells than the header, the first of them as problems."""

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


def broken_rows(
    content: bytes, start: int, delimiter: str, file_name: str, first: int, rules: ImportRules, *, keep_rest: bool
) -> BrokenRows:
    """The fast parser stopped at a malformed row: find every row with more cells than the header (at `start`) with
    the csv module, a line at a time, listing at most `rules.max_problems_per_column` of them; with `keep_rest`, copy
    the file for the parser with each of them as a blank line. Memory: the copy and the listed problems, nothing per
    row."""
    found = BrokenRows(rest=io.BytesIO() if keep_rest else None)
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
        reject(file_name, f"could not be read as CSV ({error})", "Check its quoting: a quote opened and not closed?")
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


def swallowed_rows(frame: pd.DataFrame, header: list[str], delimiter: str, file_name: str) -> list[InputProblem]:
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
            lines = LINE_BREAK.split(values.at[row])
            if not any(line.count(delimiter) >= separators for line in lines[1:]):
                continue
            problems.append(InputProblem(
                file_name, int(row), normalise_header(header[position]) or None, lines[0][:80],
                f"a quote (\") opens in this cell and is closed only {counted(len(lines) - 1, 'line')} further down, "
                "so the rows in between were read into this one cell: they could not be read as rows",
                'Close the quote at the end of its cell or remove it; a quote inside a cell is written twice ("").'))
            frame.iat[frame.index.get_loc(row), position] = BLANK
    return problems


def unparsed(file_name: str, first: int, parser_said: str) -> InputProblem:
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
