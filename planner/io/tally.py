"""How many problems a file's report lists: at most `ImportRules.max_problems_per_column` per column and severity, the
rest counted and said in one line, with what reading found (formulas without a saved value) joined in."""

from __future__ import annotations

from collections import Counter

import numpy as np

from planner.errors import InputProblem, problems_not_listed
from planner.io.raw_table import RawTable


class Tally:
    """At most `limit` problems per column and severity are listed; the rest are counted, and said in one line."""

    def __init__(self, limit: int):
        self.limit = limit
        self.more: Counter[tuple[str | None, str]] = Counter()

    def keep(self, column: str | None, severity: str, rows) -> list[int]:
        """The first `limit` of `rows` (in ascending order), counting the others as not listed."""
        rows = np.asarray(rows)
        if len(rows) > 1 and (np.diff(rows) < 0).any():
            rows = np.sort(rows)
        kept = [int(row) for row in rows[: self.limit]]
        self.more[(column, severity)] += len(rows) - len(kept)
        return kept

    def finish(self, raw: RawTable, problems: list[InputProblem], order) -> list[InputProblem]:
        """Reading's problems joined in, one report per defect in reading order, capped per column and severity
        (with the rows reading could not read and did not list, `raw.unlisted_errors`, counted in)."""
        unread = {(p.row, p.column) for p in raw.problems if p.severity == "error" and p.row is not None}
        if unread:  # a cell reading refused (too long) was checked as empty: its reading error says all
            problems = [p for p in problems if (p.row, p.column) not in unread]
        problems = _with_formula_cells(raw, problems) + [p for p in raw.problems if p.severity == "error"]
        problems = sorted(set(problems), key=order)
        listed, counts = [], Counter()
        for problem in problems:
            key = (problem.column, problem.severity)
            counts[key] += 1
            if counts[key] <= self.limit:
                listed.append(problem)
            else:
                self.more[key] += 1
        self.more[(None, "error")] += raw.unlisted_errors
        for (column, severity), more in sorted(self.more.items(), key=lambda item: (item[0][1], str(item[0][0]))):
            if more:
                listed.append(problems_not_listed(raw.file_name, column, severity, more))
        return listed


def _with_formula_cells(raw: RawTable, problems: list[InputProblem]) -> list[InputProblem]:
    """A required cell read as empty because it holds a formula without a saved value is reported as that formula;
    the reading warning stays only where nothing else was said about the cell."""
    if not raw.formula_cells:
        return problems + list(raw.problems)
    warnings = {(p.row, p.column): p for p in raw.problems if (p.row, p.column) in raw.formula_cells}
    said = set()
    out = []
    for problem in problems:
        key = (problem.row, problem.column)
        if key in warnings and problem.message == "the cell is empty":
            formula = warnings[key]
            problem = InputProblem(problem.file, problem.row, problem.column, formula.value,
                                   f"the cell holds a formula ({formula.value}) without a saved value",
                                   formula.fix)
            said.add(key)
        out.append(problem)
    return out + [p for p in raw.problems if (p.row, p.column) not in said]
