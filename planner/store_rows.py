"""The store file is the chain's: a store's row (opening hours, wage, staff limits, name, region, targets) moves every
plan of the store, and planners keep it. A role that may not change it (`planner.access.scope.CHANGE_STORES`) may
still upload a store file whose rows are the stored ones as they are (the chain's file for its store); this module
says which cells of such a file differ from the stored rows, for the check (`planner.intake`) and the storage's own
refusal alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from planner.schemas import StoreSchema as S


@dataclass(frozen=True)
class ChangedCell:
    """A cell of a store file's row that is not the stored one: `stored` and `written` as a store file writes them
    ("" for an empty cell)."""

    store_id: str
    row: int
    """The row as a spreadsheet shows it (the file frame's index)."""
    column: str
    stored: str
    written: str


def changed_cells(written: pd.DataFrame, stored: pd.DataFrame) -> tuple[list[ChangedCell], list[tuple[int, str]]]:
    """The cells of `written` (validated `StoreSchema` rows; index: the row a spreadsheet shows) that differ from the
    `stored` row of the same store, in the file's order of rows and columns; and the (row, store_id) of the rows
    whose store is not stored at all. Numbers are compared as numbers (19.50 is 19.5) and an empty cell as empty,
    whatever the frame holds it as (None, NaN, "")."""
    by_id = stored.drop_duplicates(S.store_id).set_index(S.store_id)
    columns = [column for column in written.columns if column != S.store_id and column in by_id.columns]
    changed, new = [], []
    for row, cells in written.iterrows():
        store_id = str(cells[S.store_id])
        if store_id not in by_id.index:
            new.append((int(row), store_id))
            continue
        for column in columns:
            before, after = _as_written(by_id.at[store_id, column]), _as_written(cells[column])
            if before != after:
                changed.append(ChangedCell(store_id, int(row), column, before, after))
    return changed, new


def _as_written(value: object) -> str:
    """A stored or validated cell as a store file writes it: "" for an empty one, a whole number without its ".0"."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value).strip()
