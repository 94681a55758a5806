"""Where each hour's estimate comes from, in words: the `borrowed_from` column of the demand table."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from planner.schemas import StoreSchema as S
from planner.settings import DemandRules

OWN = "own counts"
NO_COUNTS = "no counts for this store"
OWN_SHARE_FOR_OWN = 0.5
"""A cell whose hour profile is at least this much the store's own says "own counts"."""


def borrowed_from(own_share: np.ndarray, cell_store: pd.Series, stores: pd.DataFrame, observed_hours: np.ndarray,
                  known: np.ndarray, rules: DemandRules) -> np.ndarray:
    """Per cell: "own counts", "3 fashion stores" (the other counted stores of its format), "the chain's 8 stores"
    (when it is alone in its format), or NO_COUNTS."""
    del rules, observed_hours  # the own share already weighs the counts
    counted_stores = set(cell_store[known].unique())
    fmt = stores.set_index(S.store_id)[S.format].astype(str)
    format_of = dict(zip(fmt.index, fmt, strict=True))  # plain dicts: a Series lookup per store costs ~0.1 ms
    counted_per_format = Counter(f for store, f in zip(fmt.index, fmt, strict=True) if store in counted_stores)
    chain = len(counted_stores)
    text = {}
    for store in cell_store.unique():
        others = counted_per_format[format_of.get(store, "")] - (1 if store in counted_stores else 0)
        text[store] = (f"{others} other {format_of[store]} store{'s' if others > 1 else ''}" if others > 0
                       else f"the chain's {chain} stores")
    source = cell_store.map(text).to_numpy(dtype=object)
    source = np.where(own_share >= OWN_SHARE_FOR_OWN, OWN, source)
    return np.where(known, source, NO_COUNTS).astype(str)
