"""What reading a file gives (`planner.io.reading.read_table`): its cells as a `RawTable` of stripped strings indexed
by spreadsheet row number, under its headers normalised (`normalise_header`); a workbook's sheets after the first as
their header rows alone (`SheetHeader`); and `EmptyFirstSheet`, the refusal of a workbook whose first sheet holds
nothing, which carries those header rows so that a check can name the sheet holding its rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from planner.errors import InputProblem, InputRejected

BLANK = ""
"""What an empty cell reads as."""
HEADER_GAPS = re.compile(r"[\s\-]+")
"""What `normalise_header` writes as one underscore in a column's name."""
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


def normalise_header(name: object) -> str:
    """A header cell as a column's name: trimmed, in lower case, each run of spaces and hyphens one underscore
    ("Store ID" -> "store_id")."""
    return HEADER_GAPS.sub("_", str(name).strip().lower()) if name is not None else ""
