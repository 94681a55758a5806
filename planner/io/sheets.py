"""A workbook whose rows are on a sheet other than the first, which alone is read: the one error that names that
sheet, found from the other sheets' header rows (`planner.io.reading.SheetHeader`) and the columns a file kind needs.
"""

from __future__ import annotations

from planner.errors import InputProblem
from planner.io.checking import ColumnSpec
from planner.io.reading import SheetHeader
from planner.surfaces import UPLOAD_IT_AGAIN
from planner.words import ordinal


def rows_on_another_sheet(file_name: str, first_sheet_columns, other_sheets: tuple[SheetHeader, ...],
                          specs: list[ColumnSpec], rows_are: str) -> InputProblem | None:
    """One error, where the first sheet of a workbook (`first_sheet_columns`, none for an empty one) holds at most
    half of the required columns of `specs` and another sheet's header row holds enough of them: `rows_are` ("the
    counts") are on that sheet, and only the first is read. None otherwise: then the columns missing are what to say
    (a first sheet of counts with one column misspelt, beside a full copy on a second sheet, is told its misspelling).

    Enough is every required column and more than one of `specs`' columns: a kind that requires a single column (a
    calendar's `date`) is not told by it alone, which heads a dated list of anything. Of the sheets holding enough,
    the one holding most of `specs`' columns is named (the first of those tied): a sheet of dates and store ids
    before the calendar is not the calendar's."""
    required = {spec.name for spec in specs if spec.required}
    if len(required & set(first_sheet_columns)) > len(required) // 2:
        return None
    columns = {spec.name for spec in specs}
    held = [(len(columns & set(sheet.columns)), sheet) for sheet in other_sheets if required <= set(sheet.columns)]
    enough = [(count, sheet) for count, sheet in held if count > 1]
    if not enough:
        return None
    _, sheet = max(enough, key=lambda pair: pair[0])  # the first of the most held
    return InputProblem(
        file_name, None, None, sheet.title,
        f"{rows_are} are on sheet '{sheet.title}' (the {ordinal(sheet.position)}); the planner reads the first sheet "
        "only", f"Move that sheet first or save it as its own file, and {UPLOAD_IT_AGAIN.app}.")
