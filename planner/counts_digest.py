"""The digest of the chain's counts the pooled model reads (`planner.digest.observations_digest` of every usable
store's), from row hashes kept per store: after an import only the counts of the stores it wrote are loaded and
hashed. On a chain of 1,000 stores and 187,000 counted hours the digest in the first list of saved plans after each
import took 0.5-2.3 s (the machine being shared), nearly all of it loading every count (hashing them: 0.1 s); now
0.09-0.4 s (`bench/bench_plans_list.py`).

A row's hash depends on its own values alone (`planner.digest.row_hashes`), so the hashes of each store's counts
joined in the order of the stores are those of every count sorted by store, date and hour: the digest is the one
`make_plan` gives a plan from its frames, to the bit. A store's kept hashes hold while its count of rows and newest
upload stay as they were kept (`storage.count_hashes`).

    digest, fresh = counts_digest(engine, store_ids)   # fresh: what to keep once no upload landed meanwhile
    keep_fresh(engine, fresh)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from planner import storage
from planner.digest import (STORE_COUNTS_DIGEST_CHARS, hashes_digest, observations_digest, row_hashes,
                            store_counts_digests)
from planner.schemas import OBSERVATION_KEY, ObservationSchema as O
from planner.storage.count_hashes import count_states, keep_count_hashes, kept_count_hashes

HASH_BYTES = 8
"""Each row's hash: a uint64 (`pandas.util.hash_pandas_object`)."""
Fresh = dict[str, tuple[int, int | None, bytes]]
"""store_id -> (count of rows, newest upload, row hashes) hashed now, to keep."""


def counts_digest(engine: Engine, store_ids: Iterable[str]) -> tuple[str, Fresh]:
    """(`observations_digest` of the stored counts of `store_ids`, the row hashes made for it that were not kept).
    Only the counts of the stores whose kept hashes no longer hold (or none were kept) are loaded."""
    found = _hashes(engine, store_ids)
    if found is None:
        return observations_digest(storage.load_observations(engine, _counted(engine, store_ids))), {}
    hashes, fresh = found
    if not hashes:  # no counts: the digest of the empty frame, which names its columns as loaded
        return observations_digest(storage.load_observations(engine, [])), {}
    return hashes_digest(COLUMNS_HASHED, b"".join(hashes[store] for store in sorted(hashes))), fresh


def store_counts_digests_of(engine: Engine, store_ids: Iterable[str]) -> tuple[dict[str, str], Fresh]:
    """(store_id -> `planner.digest.store_counts_digests` of its stored counts, for those of `store_ids` with counts;
    the row hashes made for it that were not kept), from the same kept row hashes as `counts_digest`."""
    found = _hashes(engine, store_ids)
    if found is None:
        return store_counts_digests(storage.load_observations(engine, _counted(engine, store_ids))), {}
    hashes, fresh = found
    return {store: hashes_digest(COLUMNS_HASHED, hashes[store])[:STORE_COUNTS_DIGEST_CHARS]
            for store in sorted(hashes)}, fresh


COLUMNS_HASHED = sorted(map(str, storage.OBSERVATION_COLUMNS))
"""The columns of a count's row hash, in the order `planner.digest.row_hashes` hashes them."""


def _hashes(engine: Engine, store_ids: Iterable[str]) -> tuple[dict[str, bytes], Fresh] | None:
    """(store_id -> the row hashes of its stored counts in the order of `OBSERVATION_KEY`, for those of `store_ids`
    with counts; those made now that were not kept); None where a store's counts went while they were read. Only the
    counts of the stores whose kept hashes no longer hold (or none were kept) are loaded."""
    states = count_states(engine)
    counted = sorted(store for store in set(map(str, store_ids)) if store in states)
    if not counted:
        return {}, {}
    kept = kept_count_hashes(engine, {store: states[store] for store in counted})
    stale = [store for store in counted if store not in kept]
    loaded = _store_hashes(storage.load_observations(engine, stale)) if stale else {}
    hashes = kept | loaded
    if set(hashes) != set(counted):  # a store's counts gone since the look (none are deleted): from every count
        return None
    # kept under the state looked at only where the rows read are as many: an import between the look and the read
    # is caught by the caller too (the revision before and after), which keeps nothing then
    fresh = {store: (states[store][0], states[store][1], hashed) for store, hashed in loaded.items()
             if len(hashed) == states[store][0] * HASH_BYTES}
    return hashes, fresh


def _counted(engine: Engine, store_ids: Iterable[str]) -> list[str]:
    states = count_states(engine)
    return sorted(store for store in set(map(str, store_ids)) if store in states)


def _store_hashes(counts: pd.DataFrame) -> dict[str, bytes]:
    """store_id -> the row hashes of its counts in `counts`: the frame hashed once, then cut at each store's rows."""
    rows = counts.sort_values(OBSERVATION_KEY, kind="stable")
    hashed = row_hashes(rows, [])[1]
    ids = rows[O.store_id].astype(str).to_numpy()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.array([], dtype=int)
    ends = np.r_[starts[1:], len(ids)]
    return {str(ids[start]): hashed[start * HASH_BYTES:end * HASH_BYTES]
            for start, end in zip(starts, ends, strict=True)}


def keep_fresh(engine: Engine, fresh: Fresh) -> None:
    """Keep the row hashes `counts_digest` made (a cache: not when another writer holds the database)."""
    keep_count_hashes(engine, fresh)
