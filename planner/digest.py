"""Content digests of the inputs a result is made from (sha256 in hex): a frame's rows whatever their order, the
settings, any text. A plan's fingerprint (`planner.plans.fingerprint`) and the kept patience estimates
(`planner.stored_patience`) are made of them; this module imports nothing heavy, so a plan can be checked without
loading the plans package."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

import pandas as pd

from planner.calendar import counted_date_rows
from planner.schemas import STORE_ADDED_LATER, STORE_NOT_PLANNED, ObservationSchema as O, StoreSchema as S
from planner.settings import Settings, planning_settings_dict


# The four parts of a plan's fingerprint, each on its own: a list of many plans computes each once per store,
# store-week or what-if and compares them with the parts a plan's row keeps.


def observations_digest(observations: pd.DataFrame) -> str:
    return frame_digest(observations, [O.store_id, O.date, O.hour])


def stores_digest(stores: pd.DataFrame) -> str:
    blank = [name for name in STORE_ADDED_LATER if name in stores.columns and stores[name].isna().all()]
    unread = [name for name in STORE_NOT_PLANNED if name in stores.columns]
    return frame_digest(stores.drop(columns=blank + unread), [S.store_id] if S.store_id in stores.columns else [])


def calendar_digest(exceptions: pd.DataFrame, counted: pd.DataFrame | None = None) -> str:
    """The calendar a plan read: `exceptions`, those it applied to its own weeks, and `counted`, the rows its
    stores' counts were read under (`planner.calendar.counted_date_rows`: a closed or changed counted date, a sale's
    factor). Without any of the latter the digest is that of the week's exceptions alone, as every plan's was before
    the counts were read under their dates' rows: such plans stay as made."""
    week = frame_digest(exceptions, [c for c in ("store_id", "date") if c in exceptions.columns])
    if counted is None or counted.empty:
        return week
    return text_digest(f"week {week}\ncounted dates {frame_digest(counted, ['store_id', 'date'])}")


def pooled_digest(observations: pd.DataFrame, stores: pd.DataFrame, calendar: pd.DataFrame | None) -> str:
    """The counts the pooled demand model reads beyond a plan's own stores, in one digest: every usable store's
    counts, the store rows that say how they are read (format, opening hours) and the rows of the store calendar
    they are read under (`planner.calendar.counted_date_rows` of `calendar`, `planner.pipeline.counted_calendar`;
    None: none). The plan's own part is in it too, which changes nothing: a plan whose own counts changed is out of
    date already. Not a verdict, only when to look: a plan whose own inputs are unchanged but this digest is not is
    made again to tell whether its staff moved (`planner.saved_plans`)."""
    return pooled_digest_of(observations_digest(observations), stores, calendar,
                            observations[[O.store_id, O.date]])


STORE_COUNTS_DIGEST_CHARS = 12
"""Hex characters kept of each store's counts' digest (`store_counts_digests`): a plan keeps one per store of the
chain, so a chain of 1,000 stores adds about 20 KB to each plan's document; 48 bits tell which stores' counts
changed (what a sentence names) with a chance of a miss of one in 10^14 per store changed. Whether a plan is out of
date is told by the whole chain's digest (`pooled_digest`) and the plan made again, never by these."""


def store_counts_digests(observations: pd.DataFrame) -> dict[str, str]:
    """store_id -> the digest of that store's counts in `observations` (`observations_digest` of its rows, cut to
    `STORE_COUNTS_DIGEST_CHARS`), for each store with counts: what a plan keeps to name the stores whose counts
    changed since it was made (`planner.counts_digest.store_counts_digests_of` gives today's from the database)."""
    by_store = observations.groupby(observations[O.store_id].astype(str), sort=True)
    return {str(store): observations_digest(rows)[:STORE_COUNTS_DIGEST_CHARS] for store, rows in by_store}


def pooled_digest_of(counts_digest: str, stores: pd.DataFrame, calendar: pd.DataFrame | None,
                     counted: pd.DataFrame) -> str:
    """`pooled_digest` with the counts' part given: their `observations_digest`, which the database's kept row
    hashes give without loading every count (`planner.counts_digest`), and the store and date of each (`counted`;
    once each is enough), which tell the calendar rows they are read under.

    Of the calendar, only those rows: the whole of it was digested until a calendar import of the dates to come
    (which no count was read under) made every saved plan again on the next command to tell whether its staff moved.
    A plan saved before kept the digest of the whole calendar: it differs from this once, so each such plan is made
    again once, and reads "as made" where its staff did not move."""
    read = counted_date_rows(calendar, stores, counted)
    parts = [counts_digest, stores_digest(stores),
             "no calendar rows read" if read.empty else "calendar rows read " + frame_digest(read, ["store_id", "date"])]
    return text_digest("pooled\n" + "\n".join(parts))


def settings_digest(settings: Settings, what_if: Mapping[str, float | int] | None,
                    own_min_staff_cover: bool = False) -> str:
    """`own_min_staff_cover`: the plan asked for min_staff cover itself (`plan --min-staff-cover`), so its digest
    tells that choice from the chain's own setting; in the digest only when made, so other plans keep theirs."""
    defaults = planning_settings_dict(Settings())
    chosen = {"settings": _alike(planning_settings_dict(settings), defaults),
              "what_if": {name: _alike(value, _default_of(name, defaults))
                          for name, value in sorted((what_if or {}).items())}}
    if own_min_staff_cover:
        chosen["own_min_staff_cover"] = True
    return text_digest(json.dumps(chosen, sort_keys=True, default=str))


def _alike(value: object, default: object) -> object:
    """`value` with each number of the type of its `default` (the same place in the default settings), so that equal
    values digest alike: 20 and 20.0 were two digests, and a plan made with either read as made with other settings.
    A number whose default is None (a setting off by default, all such being quantities) is a float; a whole float
    where the default is an int is that int. Following the defaults' types keeps the digests of settings that
    already had them, as every saved plan's did."""
    if isinstance(value, Mapping):
        default = default if isinstance(default, Mapping) else {}
        return {key: _alike(item, default.get(key)) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        like = default[0] if isinstance(default, (list, tuple)) and default else None
        return [_alike(item, like) for item in value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(default, int) and not isinstance(default, bool):
        return int(value) if float(value).is_integer() else value
    return float(value)


def _default_of(name: str, defaults: Mapping[str, object]) -> object:
    """The default of the setting a what-if value `name` stands for (the first section holding it); None if none."""
    return next((section[name] for section in defaults.values() if isinstance(section, Mapping) and name in section),
                None)


def frame_digest(frame: pd.DataFrame, order: list[str]) -> str:
    """A content hash of `frame`, the same whatever its row order (rows sorted by `order`) and index."""
    if frame.empty:
        return text_digest("empty:" + ",".join(map(str, frame.columns)))
    return hashes_digest(*row_hashes(frame, order))


def row_hashes(frame: pd.DataFrame, order: list[str]) -> tuple[list[str], bytes]:
    """(`frame`'s columns in the order they are hashed, one 8-byte hash per row in the order of `order`): what
    `frame_digest` digests. A row's hash depends on its own values and its columns' types alone, so the hashes of
    the parts of a frame, joined in the frame's order, are those of the whole (how the chain's counts are digested
    from hashes kept per store)."""
    rows = frame.sort_values(order, kind="stable") if order else frame
    rows = rows[sorted(rows.columns)].reset_index(drop=True)
    return list(map(str, rows.columns)), pd.util.hash_pandas_object(rows, index=False).to_numpy().tobytes()


def hashes_digest(columns: list[str], hashed: bytes) -> str:
    """`frame_digest` of a frame that is not empty from its `row_hashes`."""
    return text_digest(",".join(columns) + ":" + hashed.hex())


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
