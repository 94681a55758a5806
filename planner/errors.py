"""Errors as values: every problem in an input names its file, row, column and value, and says what to fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class InputProblem:
    """One defect in an input file.

    `row` is the row number a spreadsheet shows (the header is row 1); None for a problem with the whole file.
    `column` is the normalised header name; None when the problem is not about one column.
    """

    file: str
    row: int | None
    column: str | None
    value: str
    message: str
    fix: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row is not None else self.file
        column = f" {self.column}:" if self.column else ""
        kind = "" if self.severity == "error" else " warning:"
        return f"{where}:{column}{kind} {self.message}. {self.fix}".rstrip()

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class PlannerError(Exception):
    """Base of the planner's own errors: each carries a message fit to show a user as it is."""


class InputRejected(PlannerError):
    """A file (or files) with at least one error: nothing of it was stored. Holds every problem found."""

    def __init__(self, problems: list[InputProblem] | tuple[InputProblem, ...]):
        self.problems = tuple(problems)
        errors = sum(p.severity == "error" for p in self.problems)
        super().__init__(f"{errors} error(s) found; nothing was imported")

    def errors_only(self) -> tuple[InputProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


class DatabaseBusy(PlannerError):
    """Another process held the database for longer than the wait allows."""

    def __init__(self) -> None:
        super().__init__("database busy, try again: another import was writing to it; nothing was changed")


class DatabaseUnavailable(PlannerError):
    """The database cannot be used as configured: unreachable, refused, damaged, or a URL that cannot be read. The
    message is one sentence saying what to check, with any password masked."""
