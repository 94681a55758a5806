"""Display tables for the pages: planner results reshaped for `st.dataframe`. Pure pandas, no streamlit.

Nothing here models anything: it filters, relabels and formats what the planner computed.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from planner.charts import OBSERVED_HOURS, OPEN, WEEKDAY
from planner.errors import InputProblem
from planner.hours import WEEKDAY_NAMES
from planner.intake import CheckedFile
from planner.schemas import ObservationSchema as O, StoreSchema as S

PROBLEM_COLUMNS = ["file", "row", "column", "value", "message", "fix", "severity"]
HOURS_NOT_OBSERVED = "hours never observed"


def problems_frame(problems: Iterable[InputProblem]) -> pd.DataFrame:
    """One row per problem, in the order given (columns: `PROBLEM_COLUMNS`)."""
    frame = pd.DataFrame([problem.as_dict() for problem in problems], columns=PROBLEM_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    return frame


def checked_problems(checked: Iterable[CheckedFile]) -> pd.DataFrame:
    """Every problem of every checked file, file by file."""
    return problems_frame(problem for file in checked for problem in file.problems)


def unobserved_cells(cells: pd.DataFrame, store_id: str) -> pd.DataFrame:
    """One row per weekday with open hours the store was never observed in: weekday, hours (e.g. "10:00–12:00")."""
    store = cells[(cells[S.store_id] == store_id) & cells[OPEN] & (cells[OBSERVED_HOURS] == 0)]
    rows = [
        (WEEKDAY_NAMES[weekday], ", ".join(_hour_ranges(day[O.hour])))
        for weekday, day in store.sort_values([WEEKDAY, O.hour]).groupby(WEEKDAY)
    ]
    return pd.DataFrame(rows, columns=[WEEKDAY, HOURS_NOT_OBSERVED])


def _hour_ranges(hours: Iterable[int]) -> list[str]:
    """Runs of consecutive clock hours as "start–end" times: [10, 11, 15] -> ["10:00–12:00", "15:00–16:00"]."""
    runs: list[list[int]] = []
    for hour in sorted(int(h) for h in hours):
        if runs and hour == runs[-1][-1] + 1:
            runs[-1].append(hour)
        else:
            runs.append([hour])
    return [f"{run[0]:02d}:00–{run[-1] + 1:02d}:00" for run in runs]
