"""A file that cannot be read at all, refused with the one problem that says why (`reject`), and the words such
refusals share: a size in megabytes, the fix of a file too large, a header too long to be one."""

from __future__ import annotations

from planner.errors import InputProblem, InputRejected
from planner.settings import ImportRules
from planner.surfaces.fixes import SEE_THE_TEMPLATE, UPLOAD_THOSE

SPLIT_FIX = f"Split it into smaller files (for example one per month or per store) and {UPLOAD_THOSE.app}."


def reject(file_name: str, message: str, fix: str, value: str = "") -> None:
    raise InputRejected([InputProblem(file_name, None, None, value, f"the file {message}", fix)])


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


def too_long_header(file_name: str, rules: ImportRules) -> None:
    reject(file_name, f"has a header longer than {rules.max_cell_chars:,} characters in one cell",
           f"The first row must hold the column names ({SEE_THE_TEMPLATE.app}); check that it is the right file.")
