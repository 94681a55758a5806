"""Re-plan every out-of-date published plan at once: after new counts or a change of the chain's settings, a planner
re-planned each published plan the list called out of date one at a time. Each is made again as `replan` makes one
(today's inputs, the chain's settings, the plan's own what-if values and min_staff cover) and saved as a new draft of
its store and week; publishing stays a step of its own, as the Plans page's Re-plan leaves it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine

from planner.access.scope import EVERYTHING, Scope
from planner.errors import InputRejected, InvalidRequest, UnknownStore
from planner.saved_plans import OUT_OF_DATE, SET_ASIDE, WEEK_OVER, replan
from planner.settings import Settings
from planner.storage.versioned import DRAFT, PUBLISHED


@dataclass(frozen=True)
class PublishedReplan:
    """One out-of-date published plan (`published_id`, of `store_id` and `iso_week`) and its draft made again
    (`draft_id`; 0 when not made), or why it could not be (`why`)."""

    published_id: int
    store_id: str
    iso_week: str
    draft_id: int = 0
    why: str = ""


@dataclass(frozen=True)
class ReplannedPublished:
    """What `replan_out_of_date_published` did: the drafts `made`, the plans left `awaiting` a newer draft that is as
    made already (not made again: a second press made a copy of each), and those `failed`, with why."""

    made: tuple[PublishedReplan, ...]
    awaiting: tuple[PublishedReplan, ...]
    failed: tuple[PublishedReplan, ...]

    @property
    def to_publish(self) -> tuple[int, ...]:
        """The drafts left to read and publish: those made, then those awaiting."""
        return tuple(each.draft_id for each in (*self.made, *self.awaiting))


def out_of_date_published(listed: pd.DataFrame) -> tuple[list[PublishedReplan], list[PublishedReplan]]:
    """(the published plans of `listed` (`plans_with_status`) that are out of date and whose week is not over, to be
    made again; those of them whose store and week has a newer draft as made, which awaits publishing), each oldest
    first."""
    if listed.empty:
        return [], []
    rows = listed.sort_values("plan_id")
    newer_as_made = rows[(rows["status"] == DRAFT) & (rows[OUT_OF_DATE] == "") & (rows[SET_ASIDE] == 0)]
    stale = rows[(rows["status"] == PUBLISHED) & (rows[OUT_OF_DATE] != "") & ~rows[WEEK_OVER].astype(bool)]
    to_make, awaiting = [], []
    for row in stale.itertuples(index=False):
        drafts = newer_as_made[(newer_as_made["store_id"] == row.store_id)
                               & (newer_as_made["iso_week"] == row.iso_week)
                               & (newer_as_made["plan_id"] > row.plan_id)]
        one = PublishedReplan(int(row.plan_id), str(row.store_id), str(row.iso_week))
        if drafts.empty:
            to_make.append(one)
        else:
            awaiting.append(PublishedReplan(one.published_id, one.store_id, one.iso_week,
                                            int(drafts["plan_id"].iloc[-1])))
    return to_make, awaiting


def replan_out_of_date_published(engine: Engine, listed: pd.DataFrame, settings: Settings, by: str, *,
                                 progress: Callable[[int, int], None] | None = None,
                                 scope: Scope = EVERYTHING) -> ReplannedPublished:
    """Make each out-of-date published plan of `listed` (`out_of_date_published`) again at `settings` (the chain's)
    as `by`, each a new draft; `progress(done, total)` counts the plans made. A plan whose store cannot be planned
    now is left out with why (`failed`), the others made all the same; the published plans stay published."""
    to_make, awaiting = out_of_date_published(listed)
    made, failed = [], []
    for done, one in enumerate(to_make):
        if progress is not None:
            progress(done, len(to_make))
        try:
            again = replan(engine, one.published_id, settings, by, scope=scope)
        except (InvalidRequest, UnknownStore, InputRejected) as refused:
            failed.append(PublishedReplan(one.published_id, one.store_id, one.iso_week, why=str(refused)))
            continue
        made.append(PublishedReplan(one.published_id, one.store_id, one.iso_week, int(again.plan_id)))
    if progress is not None and to_make:
        progress(len(to_make), len(to_make))
    return ReplannedPublished(tuple(made), tuple(awaiting), tuple(failed))
