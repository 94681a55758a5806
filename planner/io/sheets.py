"""A workbook whose rows are on a sheet other than the first, which alone is read: the one error that names that
sheet, found from the other sheets' header rows (`planner.io.raw_table.SheetHeader`) and the columns a file kind needs,
and the columns misspelt on it.
"""

from __future__ import annotations

from planner.errors import InputProblem
from planner.io.checking import ColumnSpec, meant_columns
from planner.io.raw_table import SheetHeader
from planner.surfaces.fixes import UPLOAD_IT_AGAIN
from planner.words import ordinal


def rows_on_another_sheet(file_name: str, first_sheet_columns, other_sheets: tuple[SheetHeader, ...],
                          specs: list[ColumnSpec], rows_are: str) -> InputProblem | None:
    """One error, where the first sheet of a workbook (`first_sheet_columns`, none for an empty one) holds at most
    half of the required columns of `specs` and another sheet's header row holds enough of them: `rows_are` ("the
    counts") are on that sheet, and only the first is read. None otherwise: then the columns missing are what to say
    (a first sheet of counts with one column misspelt, beside a full copy on a second sheet, is told its misspelling).

    Enough is every required column (or more than half of them, each one lacking written on the sheet as a close
    misspelling, 'vistors') and more than one of `specs`' columns: a kind that requires a single column (a calendar's
    `date`) is not told by it alone, which heads a dated list of anything. Of the sheets holding enough, the one
    holding most of `specs`' columns is named (the first of those tied, one with fewer misspellings before one with
    more): a sheet of dates and store ids before the calendar is not the calendar's. The sheet's misspelt columns
    are named with it: told only to move the sheet, the user was told its misspelling after moving it (or, a
    required column misspelt, "the file has an empty first sheet" naming neither the sheet nor the column)."""
    required = {spec.name for spec in specs if spec.required}
    if len(required & set(first_sheet_columns)) > len(required) // 2:
        return None
    columns = {spec.name for spec in specs}
    enough = []
    for sheet in other_sheets:
        misspelt = _misspelt(sheet, specs)
        held = len(columns & set(sheet.columns)) + len(misspelt or ())
        if misspelt is not None and held > 1:
            enough.append(((held, -len(misspelt)), sheet, misspelt))
    if not enough:
        return None
    _, sheet, misspelt = max(enough, key=lambda found: found[0])  # the first of the most held
    where = f"sheet '{sheet.title}'"
    said = f"{rows_are} are on {where} (the {ordinal(sheet.position)}); the planner reads the first sheet only"
    move = f"move that sheet first or save it as its own file, and {UPLOAD_IT_AGAIN.app}."
    if not misspelt:
        return InputProblem(file_name, None, None, sheet.title, said, move[0].upper() + move[1:])
    written, meant = list(misspelt), list(misspelt.values())
    one = len(misspelt) == 1
    unused = f"column {_listed(written)} is not used" if one else f"columns {_listed(written)} are not used"
    renames = " and ".join(f"'{name}' to '{misspelt[name]}'" for name in written)
    return InputProblem(
        file_name, None, None, sheet.title, f"{said}; on {where}, {unused}: did you mean {_listed(meant)}?",
        f"Rename {'its header' if one else 'the headers'} {renames}, {move}")


def _misspelt(sheet: SheetHeader, specs: list[ColumnSpec]) -> dict[str, str] | None:
    """The columns of `sheet`'s header misspelt (as written -> the column meant), where it holds every required
    column of `specs` or more than half of them and a misspelling of each of the others; None where it does not. An
    optional column misspelt is one too, as the check of a first sheet says it (`checking.header_problems`)."""
    held = set(sheet.columns)
    required = [spec.name for spec in specs if spec.required]
    missing = [name for name in required if name not in held]
    if missing and len(held & set(required)) <= len(required) // 2:
        return None
    unused = [column for column in sheet.columns if column not in {spec.name for spec in specs}]
    meant = meant_columns(missing, unused)
    if len(meant) < len(missing):
        return None
    absent = [spec.name for spec in specs if not spec.required and spec.name not in held]
    meant |= meant_columns(absent, [column for column in unused if column not in meant.values()])
    return {written: name for name, written in sorted(meant.items(), key=lambda pair: sheet.columns.index(pair[1]))}


def _listed(names: list[str]) -> str:
    """'a', 'b' and 'c'."""
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
