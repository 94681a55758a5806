"""Checks across the files of one import batch, and against what is stored: warnings that say what the import will
choose silently otherwise. Each function returns, per file in the batch, the extra problems for that file."""

from __future__ import annotations

import pandas as pd

from planner.errors import InputProblem
from planner.hours import WEEKDAY_NAMES, is_open_during_hour
from planner.io.stores import opening_week
from planner.schemas import (
    OBSERVATION_KEY, AbsenceSchema as A, CalendarSchema as C, ObservationSchema as O, StoreSchema as S,
)
from planner.settings import ImportRules
from planner.words import agreeing, counted as counted_words, first_named

MAX_STORES_NAMED = 10
REPEATED = {  # kind: (the key a row is stored by, the column a warning names, the key in words, what the row holds)
    "observations": (OBSERVATION_KEY, O.hour, "this store, date and hour", "counts"),
    "calendar": ([C.store_id, C.date], C.date, "this store (or the chain) and date", "day"),
    "absences": ([A.employee_id, A.first_day], A.first_day, "this person's absence from this first day", "absence"),
}


def repeated_keys(files: list[tuple[str, pd.DataFrame]], rules: ImportRules, kind: str = "observations"
                  ) -> list[list[InputProblem]]:
    """Rows of a file whose key a later file of the batch also has (`REPEATED`: a count file's store, date and hour;
    a calendar's store and date; an absence's person and first day): files are imported in order, so the later
    file's row is the one kept. `files`: (file name, validated frame, indexed by spreadsheet row), all of `kind`."""
    key, column, what, right = REPEATED[kind]
    found: list[list[InputProblem]] = [[] for _ in files]
    keyed = [
        frame[key].assign(_file=position, _row=frame.index)
        for position, (_, frame) in enumerate(files) if not frame.empty
    ]
    if len(keyed) < 2:
        return found
    rows = pd.concat(keyed, ignore_index=True)
    winner = rows.groupby(key, sort=False)["_file"].transform("max")
    losing = rows[rows["_file"] < winner].assign(_winner=winner)
    for (position, later), group in losing.groupby(["_file", "_winner"], sort=True):
        later_name = files[later][0]
        for row in sorted(group["_row"])[: rules.max_problems_per_column]:
            found[position].append(InputProblem(
                files[position][0], int(row), column, "",
                f"{what} is also in {later_name}, whose row is imported",
                f"Nothing to do if {later_name} has the right {right}; otherwise leave it out of this import.",
                "warning"))
        if len(group) > rules.max_problems_per_column:
            found[position].append(InputProblem(
                files[position][0], None, column, "",
                f"and {len(group) - rules.max_problems_per_column:,} more rows also in {later_name}",
                f"{later_name}'s rows are imported.", "warning"))
    return found


def left_out_stores(file_name: str, new: pd.DataFrame, known: pd.DataFrame) -> list[InputProblem]:
    """Stores in the database that a new store file does not list: they are kept, not deleted."""
    missing = sorted(set(known[S.store_id]) - set(new[S.store_id]))
    if not missing or new.empty:
        return []
    named = first_named(missing, MAX_STORES_NAMED)
    return [InputProblem(
        file_name, None, S.store_id, named,
        f"{counted_words(len(missing), 'store')} already stored {agreeing(len(missing), 'is', 'are')} not in this "
        f"file ({named}): they are kept, with their counts",
        "A store file adds and updates stores, it never deletes one. To stop planning a store, pick the stores you "
        "want on each page or with --store; to delete it, its rows must be removed from the database.",
        "warning")]


def newly_closed_hours(file_name: str, new: pd.DataFrame, observed_cells: pd.DataFrame) -> list[InputProblem]:
    """Stored counts in hours a new store file says the store is closed: one warning per store and weekday."""
    counted = observed_cells[observed_cells["observed_hours"] > 0]
    week = opening_week(new)
    counted = counted[counted[S.store_id].isin(list(week))]
    problems = []
    for (store, weekday), cells in counted.groupby([S.store_id, "weekday"], sort=True):
        closed = cells[[not is_open_during_hour(week[store], int(weekday), int(hour)) for hour in cells[O.hour]]]
        if closed.empty:
            continue
        rows = new.index[new[S.store_id] == store]
        hours = ", ".join(f"{int(hour):02d}:00" for hour in sorted(closed[O.hour]))
        problems.append(InputProblem(
            file_name, int(rows[0]) if len(rows) else None, WEEKDAY_NAMES[int(weekday)][:3].lower(), hours,
            f"{store} is now closed on {WEEKDAY_NAMES[int(weekday)]} at {hours}, where "
            f"{counted_words(int(closed['observed_hours'].sum()), 'counted hour')} "
            f"{agreeing(int(closed['observed_hours'].sum()), 'is', 'are')} stored",
            "Those counts are kept but not planned for while the store is closed then; check the opening hours.",
            "warning"))
    return problems
