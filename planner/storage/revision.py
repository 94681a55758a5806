"""What a plan was made from, as one comparable value: the newest upload of each kind of file and the newest change
of the chain's settings. Anything imported or saved since makes the value differ, and `changed_since` says what."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Engine, func, select

from planner.storage.engine import database_errors, url_of
from planner.storage.tables import chain_settings, uploads

WHAT_CHANGED = {"observations": "the counts", "stores": "the store file", "calendar": "the calendar",
                "settings": "the chain's settings"}


class DataRevision(NamedTuple):
    """The newest upload id of each kind (0: none yet) and the newest chain-settings change id (0: none)."""

    observations: int
    stores: int
    calendar: int
    settings: int

    def changed_since(self, older: DataRevision | tuple[int, ...]) -> list[str]:
        """What changed between `older` and this revision, in words ("the counts", "the chain's settings"...)."""
        older = DataRevision(*older)
        return [WHAT_CHANGED[name] for name in self._fields if getattr(self, name) != getattr(older, name)]


def revision(engine: Engine) -> DataRevision:
    """The database's `DataRevision` now (two small aggregate queries)."""
    newest = select(uploads.c.kind, func.max(uploads.c.id)).group_by(uploads.c.kind)
    with database_errors(url_of(engine)), engine.connect() as connection:
        by_kind = dict(connection.execute(newest).all())
        settings = connection.execute(select(func.max(chain_settings.c.id))).scalar() or 0
    return DataRevision(by_kind.get("observations", 0), by_kind.get("stores", 0), by_kind.get("calendar", 0), settings)
