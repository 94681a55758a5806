"""Cell text as a spreadsheet user meant it: control characters and line separators removed (with a warning), cells
beyond the length limit reported and emptied, the planner's own formula escape (a leading `'`) read back, and numbers
written the way a spreadsheet accepts them (full-width digits, a leading `+`) brought to plain ASCII.
"""

from __future__ import annotations

import re

import pandas as pd

from planner.errors import InputProblem
from planner.settings import ImportRules
from planner.words import counted

_LINE_LIKE = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""Characters some readers take as a line end: inside a cell they become a space, never a new row."""
# Written as the characters themselves, not as \\u escapes, so that pandas hands the pattern to Arrow's fast
# regex engine (which does not read \\u) instead of running Python's per cell.
_CONTROL = "[\x01-\x1f\x7f-\x9f\u2028\u2029\u200b\ufeff]"
_LINE_LIKE_PATTERN = "[" + _LINE_LIKE + "]"
_CONTROL_OUTSIDE_LINE_ENDS = re.compile("[\x01-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u200b\ufeff]")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋－．，ｅＥ", "0123456789+-.,eE")
"""Full-width digits and signs (typed with a CJK input method) read as a spreadsheet reads them."""
ESCAPED_FORMULA = r"^'(?=[=+\-@\t\r])"
"""How `planner.export` escapes a cell a spreadsheet would run: read back on import so exported ids round-trip."""


def may_hold_control_characters(text: str) -> bool:
    """Whether a CSV's text may have cells with control characters or line breaks (quoted): one scan of the whole
    text, so a clean file skips the per-column search."""
    return '"' in text or _CONTROL_OUTSIDE_LINE_ENDS.search(text) is not None


def clean(
    frame: pd.DataFrame, file_name: str, rules: ImportRules, *, controls: bool = True
) -> tuple[pd.DataFrame, list[InputProblem]]:
    """`frame` with control characters removed (one warning per column) and over-long cells emptied, each reported
    as an error at its row and column: the rest of the file is still checked, so one report holds every problem
    (`Tally.finish` keeps the length error as the only word on such a cell). `controls` False: the text is known to
    hold none."""
    notes = []
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position]
        lengths = values.str.len()
        too_long = lengths > rules.max_cell_chars
        if too_long.any():
            notes += [
                InputProblem(
                    file_name, int(row), column or None, values.at[row][:40] + "…",
                    f"the cell holds {int(lengths.at[row]):,} characters, more than the {rules.max_cell_chars:,} "
                    "read", "Check that it is the right file and column; shorten the cell.")
                for row in values.index[too_long]
            ]
            values = values.where(~too_long, "")
            frame.iloc[:, position] = values
        dirty = values.str.contains(_CONTROL, regex=True) if controls else None
        if dirty is None or not dirty.any():
            continue
        rows = values.index[dirty]
        cleaned = values.str.replace(_LINE_LIKE_PATTERN, " ", regex=True).str.replace(_CONTROL, "", regex=True)
        frame.iloc[:, position] = cleaned.str.strip()
        notes.append(InputProblem(
            file_name, int(rows[0]), column or None, _shown(values.loc[rows[0]]),
            f"{counted(len(rows), 'cell')} held control characters or line breaks, removed (first on row {int(rows[0])})",
            "Nothing to do if the cleaned text is right; otherwise correct the cells in the file.", "warning"))
    return frame, notes


def unescape_formulas(column: pd.Series) -> pd.Series:
    """Drop the `'` the planner's CSV export puts before a cell starting with = + - @."""
    if not column.str.startswith("'").any():
        return column
    return column.str.replace(ESCAPED_FORMULA, "", regex=True)


def plain_number_text(column: pd.Series) -> pd.Series:
    """Full-width digits and signs as ASCII; anything else is left for the number checks to judge."""
    if column.str.isascii().all():
        return column
    return column.map(lambda text: text.translate(_FULL_WIDTH)).astype(column.dtype)


def _shown(value: str) -> str:
    return repr(value)[1:-1][:80]
