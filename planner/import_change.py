"""Which saved plans an import put out of date: the Upload page said only "See the recommended staff on My store"
after a count file for a store with a published plan of a week to come, and the plan's planner learnt it on the
Plans page, if at all. The plans are judged as the Plans page and `plans list` judge them (`plans_with_status`),
before the import and after, so a plan out of date already is not named again: by their own inputs (counts, store
file row, calendar) and by whether other stores' counts move their staff (the pooled model borrows from the other
stores of a format). Left to the Plans page, those went unnamed: 14 rows of S01 counts named S01's plans only, while
the Plans page showed three other stores' published plans out of date by them.

    before = plans_as_made(engine, scope)           # before the import
    stale = put_out_of_date(engine, before, scope)  # after it: (OutOfDatePlan, ...), by plan id
"""

from __future__ import annotations

from sqlalchemy import Engine

from planner.access.scope import EVERYTHING, Scope
from planner.saved_plans import OUT_OF_DATE, plans_in_force, published_first
from planner.settings_change import OutOfDatePlan, with_store_names


def plans_as_made(engine: Engine, scope: Scope = EVERYTHING) -> frozenset[int]:
    """The ids of the saved plans in `scope` that are not history, of weeks not over, that are as made (nor moved by
    other stores' counts)."""
    listed = plans_in_force(engine, scope=scope, pooled=True)
    return frozenset(int(row.plan_id) for row in listed.itertuples(index=False) if not getattr(row, OUT_OF_DATE))


def put_out_of_date(engine: Engine, as_made: frozenset[int], scope: Scope = EVERYTHING) -> tuple[OutOfDatePlan, ...]:
    """Those of `as_made` (`plans_as_made` before an import) out of date now (their own inputs, or other stores'
    counts moving their staff), the published plans first, then the drafts (`published_first`; a draft set aside by
    its week's published plan is none of them), with their stores' names."""
    if not as_made:
        return ()
    listed = plans_in_force(engine, scope=scope, pooled=True)
    stale = [OutOfDatePlan(int(row.plan_id), str(row.store_id), str(row.iso_week), str(getattr(row, OUT_OF_DATE)),
                           str(row.status))
             for row in listed.itertuples(index=False) if int(row.plan_id) in as_made and getattr(row, OUT_OF_DATE)]
    return tuple(with_store_names(engine, published_first(stale), scope))

