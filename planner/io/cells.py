"""Cell text as a spreadsheet user meant it: control characters and line separators removed (with a warning), cells
beyond the length limit rejected, the planner's own formula escape (a leading `'`) read back, and numbers written
the way a spreadsheet accepts them (full-width digits, a leading `+`) brought to plain ASCII.
"""

from __future__ import annotations

import re

import pandas as pd

from planner.errors import InputProblem, InputRejected
from planner.settings import ImportRules

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
    """`frame` with over-long cells rejected and control characters removed (one warning per column); `controls`
    False: the text is known to hold none."""
    too_long = []
    notes = []
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position]
        lengths = values.str.len()
        if (lengths > rules.max_cell_chars).any():
            rows = values.index[lengths > rules.max_cell_chars]
            too_long.append(InputProblem(
                file_name, int(rows[0]), column or None, values.loc[rows[0]][:40] + "…",
                f"a cell holds {int(lengths.max()):,} characters, more than the {rules.max_cell_chars:,} read"
                + (f" ({len(rows) - 1:,} more such cells in this column)" if len(rows) > 1 else ""),
                "Check that it is the right file and column; shorten the cell."))
            continue
        dirty = values.str.contains(_CONTROL, regex=True) if controls else None
        if dirty is None or not dirty.any():
            continue
        rows = values.index[dirty]
        cleaned = values.str.replace(_LINE_LIKE_PATTERN, " ", regex=True).str.replace(_CONTROL, "", regex=True)
        frame.iloc[:, position] = cleaned.str.strip()
        notes.append(InputProblem(
            file_name, int(rows[0]), column or None, _shown(values.loc[rows[0]]),
            f"{len(rows):,} cell(s) held control characters or line breaks, removed (first on row {int(rows[0])})",
            "Nothing to do if the cleaned text is right; otherwise correct the cells in the file.", "warning"))
    if too_long:
        raise InputRejected(too_long)
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
