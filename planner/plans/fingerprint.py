"""What a plan was made from, in a few digests: when any input changes, the fingerprint changes, so a page or a
command can tell that a saved plan is out of date by recomputing it (`input_fingerprint`) on today's inputs.

The observations' revision is their row count, latest date and a content hash of the plan's stores' rows (an
import that changes nothing leaves it as it was); the store file's, the calendar's and the settings' are content
hashes of the rows and values the plan used. The calendar's holds the exceptions of the plan's weeks and the rows its
stores' counts were read under (`planner.calendar.counted_date_rows`: a sale's factor or the changed hours of a
counted date change the demand): a row of another date changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from planner.calendar import counted_date_rows
from planner.digest import (  # noqa: F401 (frame_digest is the package's)
    calendar_digest, frame_digest, observations_digest, settings_digest, stores_digest, text_digest,
)
from planner.schemas import ObservationSchema as O, StoreSchema as S
from planner.settings import Settings


@dataclass(frozen=True)
class Fingerprint:
    observation_rows: int
    last_observed_date: str | None
    """YYYY-MM-DD of the latest counted hour of the plan's stores; None without counts."""
    observations: str
    stores: str
    calendar: str
    settings: str
    """Hex digests of the plan's stores' counts, store file rows, calendar exceptions and settings with what-ifs."""

    @property
    def digest(self) -> str:
        """One hex digest (16 characters) of every part: equal for plans made from the same inputs."""
        return text_digest(json.dumps(asdict(self), sort_keys=True))[:16]

    def changed(self, other: Fingerprint) -> tuple[str, ...]:
        """The inputs that differ from `other`: "observations", "stores", "calendar", "settings"."""
        return tuple(name for name in ("observations", "stores", "calendar", "settings")
                     if getattr(self, name) != getattr(other, name))

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "digest": self.digest}

    @classmethod
    def from_dict(cls, values: Mapping[str, object]) -> Fingerprint:
        return cls(**{name: values[name] for name in cls.__dataclass_fields__})


def input_fingerprint(
    observations: pd.DataFrame,
    stores: pd.DataFrame,
    exceptions: pd.DataFrame,
    settings: Settings,
    what_if: Mapping[str, float | int] | None = None,
    own_min_staff_cover: bool = False,
    counted_calendar: pd.DataFrame | None = None,
) -> Fingerprint:
    """The fingerprint of a plan's inputs: the counts and store rows of its stores, the calendar exceptions it
    applied, the rows of `counted_calendar` (the store calendar the counts were read under, `CalendarSchema`; None:
    none) its stores' counts were read under, and its settings, what-if values and own min_staff cover
    (`PlanRequest.min_staff_cover`; the database URL is not part of it)."""
    return _fingerprint(observations, stores, exceptions, settings_digest(settings, what_if, own_min_staff_cover),
                        counted_date_rows(counted_calendar, stores, observations))


def _fingerprint(observations: pd.DataFrame, stores: pd.DataFrame, exceptions: pd.DataFrame, settings: str,
                 counted: pd.DataFrame) -> Fingerprint:
    last = observations[O.date].max() if len(observations) else None
    return Fingerprint(
        observation_rows=int(len(observations)),
        last_observed_date=None if last is None or pd.isna(last) else f"{pd.Timestamp(last):%Y-%m-%d}",
        observations=observations_digest(observations),
        stores=stores_digest(stores),
        calendar=calendar_digest(exceptions, counted),
        settings=settings,
    )


STORE_WEEK_COLUMNS = ["store_id", "iso_week", "digest", "observation_rows", "last_observed_date", "observations",
                      "stores", "calendar", "settings"]


def store_week_fingerprints(
    observations: pd.DataFrame,
    stores: pd.DataFrame,
    exceptions: pd.DataFrame,
    settings: Settings,
    what_if: Mapping[str, float | int] | None,
    weeks: list[str],
    own_min_staff_cover: bool = False,
    counted_calendar: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One fingerprint per store and week (`STORE_WEEK_COLUMNS`): that store's counts and store file row, the
    calendar exceptions of that store in that week and the `counted_calendar` rows its counts were read under
    (`input_fingerprint`), and the settings. A new count for one store leaves every other store's fingerprint as it
    was, so only that store's plans are out of date. `exceptions` carries `iso_week`."""
    by_store = dict(tuple(observations.groupby(O.store_id, sort=False)))
    chosen = settings_digest(settings, what_if, own_min_staff_cover)
    rows = []
    for store in stores[S.store_id].astype(str):
        own = by_store.get(store, observations.iloc[0:0])
        row = stores[stores[S.store_id].astype(str) == store]
        counted = counted_date_rows(counted_calendar, row, own)
        for week in weeks:
            dated = exceptions[(exceptions["store_id"] == store) & (exceptions["iso_week"] == week)]
            found = _fingerprint(own, row, dated, chosen, counted)
            rows.append({"store_id": store, "iso_week": week, "digest": found.digest, **asdict(found)})
    return pd.DataFrame(rows, columns=STORE_WEEK_COLUMNS).astype({"observation_rows": "int64"})
