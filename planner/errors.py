"""Errors as values: every problem in an input names its file, row, column and value, and says what to fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from collections.abc import Iterable
from typing import Literal

from planner.words import agreeing, counted, ended, number_text

Severity = Literal["error", "warning"]
HEADER_ROW = 1
"""The row a file's problems with its header name (a missing or doubled column), as a spreadsheet numbers it."""


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
        return f"{where}:{column}{kind} {ended(self.message)} {self.fix}".rstrip()

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def problems_not_listed(file: str, column: str | None, severity: Severity, count: int) -> InputProblem:
    """The line that counts the `count` problems of `column` (None: of the whole file) past the cap on those listed
    (`ImportRules.max_problems_per_column`)."""
    where = "in this column" if column else "in this file"
    return InputProblem(file, None, column, "", f"and {counted(count, f'more {severity}')} {where}", _NOT_LISTED_FIX,
                        severity)


_NOT_LISTED_FIX = "Fix the ones listed and check the file again to see the rest."


def not_listed_count(problem: InputProblem) -> int | None:
    """The count of a `problems_not_listed` line ("and 519 more errors in this column": 519), None for any other."""
    words = problem.message.split()
    if problem.row is None and len(words) >= 4 and words[0] == "and" and words[2] == "more" \
            and problem.fix == _NOT_LISTED_FIX:
        return int(words[1].replace(",", ""))
    return None


class HasProblems:
    """What a checked file says of its `problems` (a tuple of `InputProblem`): the errors, the warnings, and whether
    it may be imported (no error). Mixed into each frozen result of a check."""

    problems: tuple[InputProblem, ...]

    @property
    def errors(self) -> tuple[InputProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[InputProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors


class PlannerError(Exception):
    """Base of the planner's own errors: each carries a message fit to show a user as it is."""


class InputRejected(PlannerError):
    """A file (or files) with at least one error: nothing of it was stored. Holds every problem found."""

    def __init__(self, problems: list[InputProblem] | tuple[InputProblem, ...], outcome: str = "nothing was imported"):
        """`outcome`: what the errors stopped, in words ("nothing was simulated" for a file that is only read)."""
        self.problems = tuple(problems)
        super().__init__(f"{problems_counted(self.problems, 'error')} found; {outcome}")

    def errors_only(self) -> tuple[InputProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


class InvalidRequest(PlannerError):
    """What was asked cannot be done as asked (a what-if a store cannot take): the request's fault, as bad input
    is."""


class UnknownStore(PlannerError):
    """A store id asked for that the database does not hold, or the user's scope does not cover (said alike): the
    request's fault, like a flag value that makes no sense (the command line's exit 1)."""


class NoStoresYet(PlannerError):
    """A store asked for of a database that holds none at all: what to import first ("unknown store id: S02 (known:
    none)" made the store id asked for sound like the slip). `database`: where it is, when the caller knows."""

    def __init__(self, database: str | None = None) -> None:
        where = f"the database at {database}" if database else "the database"
        super().__init__(f"{where} holds no stores yet: import a store file and its counts first (python -m planner "
                         "import --stores STORES.csv COUNTS.csv), or the sample (python -m planner load-sample)")


class UnknownRecord(PlannerError):
    """A saved plan (or roster) asked for by an id the database does not hold, or that the user's scope does not
    cover, said in the same words either way (so no one learns which ids other stores have): exit 1."""


class DatabaseBusy(PlannerError):
    """Another process held the database for longer than the wait allows."""

    def __init__(self) -> None:
        super().__init__("database busy, try again: another import was writing to it; nothing was changed")


class DatabaseUnavailable(PlannerError):
    """The database cannot be used as configured: unreachable, refused, damaged, or a URL that cannot be read. The
    message is one sentence saying what to check, with any password masked."""


MAX_ROW_RANGES = 6
"""Row ranges written out in a grouped problem before "and N more"."""


@dataclass(frozen=True)
class ProblemGroup:
    """Identical problems (same file, column, message, fix and severity) on several rows, said once."""

    file: str
    rows: tuple[int, ...]
    column: str | None
    value: str
    message: str
    fix: str
    severity: Severity = "error"

    @property
    def row_text(self) -> str:
        """The rows as ranges: "2-241", "4, 9-11", or "" for a problem with the whole file."""
        return row_ranges(self.rows)

    def __str__(self) -> str:
        if len(self.rows) <= 1:
            return str(InputProblem(self.file, self.rows[0] if self.rows else None, self.column, self.value,
                                    self.message, self.fix, self.severity))
        column = f" {self.column}:" if self.column else ""
        kind = "" if self.severity == "error" else " warning:"
        return f"{self.file}:{column}{kind} {self.message}: {len(self.rows)} rows, {self.row_text}. {self.fix}".rstrip()


def group_problems(problems: Iterable[InputProblem]) -> list[ProblemGroup]:
    """Problems that differ only in their row, as one group each, in the order their first row was met."""
    groups: dict[tuple, list[InputProblem]] = {}
    for problem in problems:
        groups.setdefault(_line(problem), []).append(problem)
    return [
        ProblemGroup(file, tuple(sorted(p.row for p in members if p.row is not None)), column, members[0].value,
                     message, fix, severity)
        for (file, column, message, fix, severity), members in groups.items()
    ]


def problems_counted(problems: Iterable[InputProblem], severity: Severity, rows_read: int | None = None) -> str:
    """How many problem lines (`group_problems`: identical problems on many rows are one line) have `severity`, and
    on how many rows: "1 error on 2 rows", "3 warnings", "no errors"; of `rows_read` rows, those of one file below
    its header, "on 2 of 8 rows". Counted row by row, a duplicate id on two rows read "9 error(s)" under 8 lines.
    The header's problems (a missing column, on `HEADER_ROW`) are counted apart, "3 errors (1 in the header, 2 on 2
    of 8 rows)": counted among the rows, an 8-row file read "on 9 rows". So are a whole file's problems, with no
    row, whenever there are others: "3 errors (2 on 2 of 8 rows, 1 with the whole file)", not "3 errors on 2 of 8
    rows". The lines counting problems not listed ("and 686 more errors in this column") are no problem line: their
    problems are said after, "1,372 more errors not listed" (they were counted one each, and their rows left out of
    "on 1,000 rows")."""
    problems = [problem for problem in problems if problem.severity == severity]
    more = sum(not_listed_count(problem) or 0 for problem in problems)
    groups = group_problems(problem for problem in problems if not_listed_count(problem) is None)
    if not groups and not more:
        return f"no {severity}s"
    header = [group for group in groups if HEADER_ROW in group.rows]
    on_rows = [group for group in groups if group.rows and HEADER_ROW not in group.rows]
    whole_file = [group for group in groups if not group.rows]
    files = len({group.file for group in whole_file})
    whole = "with the whole file" if files == 1 else f"with {number_text(files)} whole files"
    rows = {(group.file, row) for group in on_rows for row in group.rows}
    of = "" if rows_read is None else f" of {number_text(rows_read)}"
    on = f"on {number_text(len(rows))}{of} {agreeing(len(rows) if rows_read is None else rows_read, 'row')}"
    said = counted(len(groups), severity)
    headers = len({group.file for group in header})
    where = "in the header" if headers == 1 else f"in {number_text(headers)} headers"
    parts = [(len(header), where), (len(on_rows), on), (len(whole_file), whole)]
    parts = [(lines, words) for lines, words in parts if lines]
    if len(parts) > 1:
        said = f"{said} ({', '.join(f'{number_text(lines)} {words}' for lines, words in parts)})"
    elif header or on_rows:  # a whole file's problems alone: said as a count, no place to name
        said = f"{said} {parts[0][1]}"
    return f"{said}, {counted(more, f'more {severity}')} not listed" if more else said


def import_blocked(problems: Iterable[InputProblem], rows_read: int) -> str:
    """A file with errors in one line, of its `rows_read` rows: "3 errors (1 in the header, 2 on 2 of 8 rows); 1
    warning on 1 row. The errors block the import, the warning does not." It said "...; it blocks the import"
    after the warnings, as if a warning blocked it: only errors do."""
    problems = list(problems)
    errors, warnings = (len({_line(p) for p in problems if p.severity == severity}) for severity in ("error", "warning"))
    blocks = "The error blocks the import" if errors == 1 else "The errors block the import"
    spared = "" if not warnings else ", the warning does not" if warnings == 1 else ", the warnings do not"
    return (f"{problems_counted(problems, 'error', rows_read)}; {problems_counted(problems, 'warning')}. "
            f"{blocks}{spared}.")


def _line(problem: InputProblem) -> tuple:
    """What makes a problem a line of its own (`group_problems`)."""
    return problem.file, problem.column, problem.message, problem.fix, problem.severity


def rows_named(rows: Iterable[int]) -> str:
    """The rows after the word their number takes: "row 6", "rows 2-5", "rows 4, 9-11" (`row_ranges`); "" for
    none (a problem with the whole file). "row 2-5" read as a slip."""
    rows = sorted(set(rows))
    return f"{agreeing(len(rows), 'row')} {row_ranges(rows)}" if rows else ""


def row_ranges(rows: Iterable[int], limit: int = MAX_ROW_RANGES) -> str:
    """Consecutive rows as ranges: [2, 3, 4, 9] -> "2-4, 9"; after `limit` ranges, "and N more rows"."""
    runs: list[list[int]] = []
    for row in sorted(rows):
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    shown = [f"{start}-{end}" if end > start else f"{start}" for start, end in runs[:limit]]
    rest = sum(end - start + 1 for start, end in runs[limit:])
    return ", ".join(shown) + (f" and {counted(rest, 'more row')}" if rest else "")
