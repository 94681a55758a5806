"""Patience estimates made once and kept in the database: the same estimates `planner.targets.patience_from_counts`
makes, read back while nothing they were made from has changed.

An estimate that tells is corrected by simulating the store's counted days (`planner.demand.patience_opening`),
about 0.2 s a store and more for a format's estimate, which simulates every store of the format: 13 s for 100
stores, too slow to repeat on every plan. Patience does not change from one plan to the next, only with new counts,
so each format's estimates are kept under the digest of what they are made from: the format's counts, the columns of
its store rows the estimate reads (`PATIENCE_INPUTS`) and the settings that go into them. A format whose inputs
changed (a new count, a store added, such a setting) is estimated again; the others are read. A format's estimates
depend on its own stores only (its stores' own counts, else the format's together), so `patience_from_counts` over
one format gives what it gives over the whole chain. Imports make them at once
(`planner.pipeline.keep_patience_estimates`), so the next plan only reads. An estimate reads each counted hour as
the part of an hour its store was open on its date (the opening hours, and the store calendar's where it changed a
date's), at its date's load (the calendar's demand factor): where some counted hour of a format was open for part of
it, that part is an input too, and where some counted date has a factor other than 1, that factor.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from planner import storage
from planner.demand.patience import PatienceEstimate, date_loads, open_parts
from planner.digest import frame_digest, stores_digest, text_digest
from planner.fits import remembered
from planner.hours import WEEKDAYS
from planner.schemas import ObservationSchema as O, StoreSchema as S
from planner.settings import Settings, settings_to_dict
from planner.targets import needs_patience_estimate, patience_from_counts

PATIENCE_INPUTS = (S.store_id, S.format, S.service_cv)
COUNT_KEYS = (O.store_id, O.date, O.hour)
"""The columns of the counts a counted hour's open part and its date's load are read from (`open_parts`,
`date_loads`)."""
CALENDAR_PARTS_KEPT = 8
"""Chains' counts whose open parts and loads are kept (`_calendar_parts`): a few calendars and opening hours."""
"""The store file's columns a patience estimate reads (`patience_from_counts`), besides whether a store gives its own."""


def stored_patience(engine: Engine, observations: pd.DataFrame, stores: pd.DataFrame, settings: Settings,
                    progress: Callable[[int, int], None] | None = None, *,
                    calendar: pd.DataFrame | None) -> dict[str, PatienceEstimate]:
    """`patience_from_counts(observations, stores, settings, calendar)`, each format's part read from the database
    when it was made from the same inputs, else made and kept. `calendar`: the store calendar the counts are read
    under (`CalendarSchema`; None: none, as everywhere a calendar is taken; the one the database holds is
    `planner.pipeline.counted_calendar`'s), given by name always: left out, it would silently mean one calendar
    or the other. `progress(done, total)` counts the stores whose
    estimates are made (not those read back), after each format."""
    if not needs_patience_estimate(observations, stores, settings):
        return {}
    formats = stores[S.format].astype(str) if S.format in stores else pd.Series("", index=stores.index)
    by_store = observations.groupby(observations[O.store_id].astype(str), sort=False).indices
    settings_part = text_digest(json.dumps(_settings_used(settings), sort_keys=True, default=str))
    opened, loads = _calendar_parts(observations[list(COUNT_KEYS)], _openings_of(stores), calendar)
    parts = {}
    for store_format, members in stores.groupby(formats, sort=True):
        ids = members[S.store_id].astype(str)
        rows = np.sort(np.concatenate([by_store.get(i, np.empty(0, dtype=np.int64)) for i in ids]).astype(np.int64))
        counts = observations.iloc[rows]
        digest = text_digest("\n".join([str(store_format), frame_digest(counts, [O.store_id, O.date, O.hour]),
                                        stores_digest(_inputs_of(members)), settings_part,
                                        *_open_parts_digest(counts, opened, rows),
                                        *_loads_digest(counts, loads, rows)]))
        parts[digest] = (str(store_format), counts, members)
    kept = storage.load_patience(engine, parts)
    estimates: dict[str, PatienceEstimate] = {}
    made = {}
    to_make = sum(len(members) for digest, (_, _, members) in parts.items() if digest not in kept)
    done = 0
    for digest, (store_format, counts, members) in parts.items():
        if digest in kept:
            estimates.update({row["store_id"]: _estimate(row) for row in kept[digest]})
            continue
        fresh = patience_from_counts(counts, members, settings, calendar) if len(counts) else {}
        estimates.update(fresh)
        made[digest] = (store_format, [_row(e) for e in fresh.values()])
        done += len(members)
        if progress:
            progress(done, to_make)
    storage.save_patience(engine, made)
    return {store_id: estimates[store_id] for store_id in stores[S.store_id].astype(str) if store_id in estimates}


def _inputs_of(stores: pd.DataFrame) -> pd.DataFrame:
    """What an estimate is made from in the store rows (`patience_from_counts`): each store's id, format and service
    CV, and whether it gives its own patience. A wage, a name or the opening hours leave the kept estimates as they
    are (they were made again after any change to a store's row, which takes minutes on a large chain), unless the
    hours open a counted hour for part of it (`_open_parts_digest`)."""
    used = stores[[c for c in PATIENCE_INPUTS if c in stores.columns]].copy()
    used["gives_patience"] = (stores[S.patience_minutes].notna() if S.patience_minutes in stores.columns
                              else False)
    return used


@remembered(most=CALENDAR_PARTS_KEPT)
def _calendar_parts(counts: pd.DataFrame, stores: pd.DataFrame, calendar: pd.DataFrame | None
                    ) -> tuple[tuple[np.ndarray, np.ndarray] | None, np.ndarray | None]:
    """Per row of `counts`: the part of its hour its store was open (`planner.demand.patience.open_parts`) and its
    date's load (`date_loads`), each None where every row's is whole (1). Each row's depend on its own store and
    date alone, so a format's are its rows' of the chain's. Read on every plan, roster and list of saved plans, and
    a tenth of a roster command when read for each format apart: read once for the chain, and kept by content
    (`planner.fits.remembered`: the counts' keys, the stores' opening hours, the calendar)."""
    return open_parts(counts, stores, calendar), date_loads(counts, stores, calendar)


def _openings_of(stores: pd.DataFrame) -> pd.DataFrame:
    """The columns of the store rows `open_parts` and `date_loads` read: each store's id and opening hours."""
    return stores[[S.store_id, *(day for day in WEEKDAYS if day in stores.columns)]]


def _open_parts_digest(counts: pd.DataFrame, opened: tuple[np.ndarray, np.ndarray] | None,
                       rows: np.ndarray) -> list[str]:
    """The digest of the part of an hour each of `counts` (the chain's `rows`) was open (`_calendar_parts`), as one
    text; none where every counted hour was open whole, so that such a format's kept estimates keep their digest."""
    if opened is None:
        return []
    start, share = opened[0][rows], opened[1][rows]
    partial = share != 1.0
    if not partial.any():
        return []
    rows = counts.loc[partial, [O.store_id, O.date, O.hour]].assign(open_start=start[partial],
                                                                  open_share=share[partial])
    return ["open parts " + frame_digest(rows, [O.store_id, O.date, O.hour])]


def _loads_digest(counts: pd.DataFrame, loads: np.ndarray | None, rows: np.ndarray) -> list[str]:
    """The digest of the demand factor of each of `counts`' (the chain's `rows`) dates where it is not 1
    (`_calendar_parts`), as one text; none where every counted date's is 1, so that such a format's kept estimates
    keep their digest."""
    if loads is None:
        return []
    load = loads[rows]
    other = load != 1.0
    if not other.any():
        return []
    rows = counts.loc[other, [O.store_id, O.date, O.hour]].assign(load=load[other])
    return ["date loads " + frame_digest(rows, [O.store_id, O.date, O.hour])]


def _settings_used(settings: Settings) -> dict:
    """The settings an estimate is made with: the demand rules (the estimate's own, its interval, the correction),
    and the simulation's service-time CV and share of touches (`patience_from_counts`); a change elsewhere (a target,
    the shift rules) leaves the kept estimates as they are."""
    every = settings_to_dict(settings)
    return {"demand": every["demand"], "service_cv": every["simulation"]["service_cv"],
            "touch_share": every["simulation"]["touch_share"]}


def _row(estimate: PatienceEstimate) -> dict:
    """JSON-safe: NaN (an end beyond the range tried, no estimate) as null."""
    return {name: (None if isinstance(value, float) and np.isnan(value) else value)
            for name, value in asdict(estimate).items()}


def _estimate(row: dict) -> PatienceEstimate:
    return PatienceEstimate(**{name: (np.nan if value is None else value) for name, value in row.items()})
