"""The last step of reading a CSV or a sheet: its cells as a `RawTable`, stripped, under their headers normalised,
blank rows and rows repeating the header left out (each said), cells cleaned (`planner.io.cells`), and the values
in a column without a header warned of (they are not read). A header with no rows below it is refused."""

from __future__ import annotations

import pandas as pd

from planner.errors import InputProblem
from planner.io import cells
from planner.io.raw_table import BLANK, HEADER_GAPS, RawTable, normalise_header
from planner.io.unreadable import reject, too_long_header
from planner.settings import ImportRules
from planner.words import counted


def finish_table(
    frame: pd.DataFrame, header: list[str], file_name: str, rules: ImportRules, *, decimal_comma: bool,
    problems: list[InputProblem] | None = None, formula_cells: frozenset = frozenset(), controls: bool = True,
    unlisted_errors: int = 0, positions: list[int] | None = None, rows_are: str,
) -> RawTable:
    """The raw table of `frame` (emptied on the way: its columns move into the table's, stripped)."""
    normalised = [normalise_header(c) for c in header]
    if max((len(str(c)) for c in header), default=0) > rules.max_cell_chars:
        too_long_header(file_name, rules)
    # `frame` is consumed column by column, so that a large file is never held twice (stripped and not)
    kept = min(len(header), frame.shape[1])
    frame.columns = range(frame.shape[1])
    columns = {i: frame.pop(i).fillna(BLANK).astype(str).str.strip() for i in range(kept)}
    frame = pd.DataFrame(columns, index=frame.index)
    frame.columns = normalised[: frame.shape[1]]
    blank = (frame == BLANK).all(axis=1)
    if blank.any():  # a copy of the frame only where there are blank rows to drop
        frame = frame.loc[~blank]
    frame, repeated = _without_repeated_headers(frame, file_name)
    if frame.empty:
        reject(file_name, "has a header but no rows below it", rows_under_the_header(rows_are))
    frame, notes = cells.clean(frame, file_name, rules, controls=controls)
    notes = repeated + notes
    notes += _headless_values(frame, header, file_name, positions)
    headers: dict[str, str] = {}
    for name, written in zip(normalised, header, strict=False):
        headers.setdefault(name, str(written).strip())
    return RawTable(file_name, frame, headers, decimal_comma, tuple((problems or []) + notes), formula_cells,
                    unlisted_errors)


def rows_under_the_header(rows_are: str) -> str:
    """The fix of a file holding a header alone, of the file's kind where the reader is told it ("Add the absences
    under the header row."), else in words true of every command that reads a file: "the rows to import" was said
    to `schedule --requirements` and `roster replan --absence`, which import nothing."""
    return f"Add {rows_are} under the header row."


def _headless_values(
    frame: pd.DataFrame, header: list[str], file_name: str, positions: list[int] | None
) -> list[InputProblem]:
    """One warning per column that holds values under no header (right of the header's last name, or a gap in it):
    they are not read, as a CSV row's cells beyond its header are not, and the user is told so. `positions`: each
    column's place in the sheet, where empty columns were left out of `frame`."""
    problems = []
    for position, name in enumerate(header):
        if str(name).strip() != BLANK:
            continue
        values = frame.iloc[:, position]
        filled = values.index[(values != BLANK).to_numpy()]
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
    maybe = first.index[first.str.lower().str.replace(HEADER_GAPS, "_", regex=True) == name]  # as normalise_header
    repeated = [row for row in maybe
                if all(normalise_header(frame.at[row, name]) == name for name in frame.columns if name)]
    if not repeated:
        return frame, []
    return frame.drop(index=repeated), [InputProblem(
        file_name, int(row), None, ",".join(frame.loc[row])[:80], "the row repeats the header row; it was left out",
        "Nothing to do if the file joins files one below the other; otherwise check the rows around it.",
        "warning") for row in repeated]
