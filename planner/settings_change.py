"""Saving a change of the chain's settings, and which saved plans it puts out of date: the one function behind the
command line's `settings set` and the Settings page's Save, so that both name the same plans, as `plans list` and
the Plans page then judge them.

    saved = save_chain_settings(engine, chosen, by, note, scope, before=current)
    saved.change_id          # the change in the settings' history
    saved.out_of_date        # the plans (of weeks not over) as made before it and out of date after it
    saved.plans_checked      # how many saved plans of weeks not over were looked at
    saved.plans_unchecked    # why they could not be, "" when they were
    saved.before, saved.after  # the settings the change was from and to: what it moves (`replan_moves`) is told by
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import Engine

from planner import storage
from planner.access.scope import EVERYTHING, Scope
from planner.errors import PlannerError
from planner.saved_plans import OUT_OF_DATE, plans_in_force, published_first
from planner.schemas import StoreSchema as S
from planner.settings import Settings
from planner.storage.revision import WHAT_CHANGED


@dataclass(frozen=True)
class OutOfDatePlan:
    """A saved plan that a change of the chain's settings put out of date."""

    plan_id: int
    store_id: str
    iso_week: str
    """'2026-W50'."""
    out_of_date: str = field(default="", compare=False)
    """What changed since it was made, as `plans_with_status` says it ("the chain's settings", and any other input
    that changed before): what `planner.replan_moves` reads to tell whether a re-plan gives the same shifts."""
    status: str = field(default="", compare=False)
    """'draft' or 'published' ("" where not read)."""
    store_name: str = field(default="", compare=False)
    """The store's name in the store file ("" where it has none): with `store_id`, how the pickers label the store,
    as a sentence names the plan (`planner.surfaces.plans.saved_plan_named`)."""


@dataclass(frozen=True)
class SavedSettings:
    """What saving the chain's settings did."""

    change_id: int
    """The change's id in the settings' history."""
    out_of_date: tuple[OutOfDatePlan, ...]
    """The saved plans (published, then drafts, each by plan id: `published_first`; of weeks not over, not set aside
    by a published plan) that were as made with the settings before the change and are out of date because of it."""
    plans_checked: int
    """How many saved plans of weeks not over were looked at (0: there was none to put out of date)."""
    plans_unchecked: str = ""
    """Why the saved plans could not be looked at ("" when they were): the settings are saved, none is named."""
    before: Settings | None = field(default=None, compare=False)
    """The chain's settings the plans were judged against before the change (None where none was named)."""
    after: Settings | None = field(default=None, compare=False)
    """The settings saved: with `before`, what `planner.replan_moves.settings_change_moves` tells the change moves
    by."""


def save_chain_settings(engine: Engine, chosen: Settings, by: str, note: str = "", scope: Scope = EVERYTHING, *,
                        before: Settings | None = None) -> SavedSettings:
    """Save `chosen` as the chain's settings (`storage.save_settings`: its history and audit entries; `OutsideScope`
    for a role that may not) and say which saved plans in `scope` the change put out of date: those whose settings
    were the chain's `before` it (default: the chain's saved settings, or the defaults where those cannot be used)
    and differ from `chosen`, as `plans_with_status` judges them. A plan of a week that is over stays as made and is
    not looked at; a superseded plan is history and is not either; one made with settings that were never the chain's
    was not put out of date by this change. A plan out of date already for its counts is named too when its settings
    were the chain's before: it now is for its settings as well. The settings are saved even when the saved plans
    cannot be read (`plans_unchecked` then says why, and none is named)."""
    if before is None:
        try:
            before = storage.chain_settings_of(engine)
        except PlannerError:  # saved settings that cannot be used: plans are judged against the defaults meanwhile
            before = Settings()
    try:
        earlier = _settings_status(engine, before, scope)
    except PlannerError as error:  # the plans are what cannot be read: the settings are saved all the same
        return SavedSettings(storage.save_settings(engine, chosen, by, note, scope), (), 0, str(error))
    change = storage.save_settings(engine, chosen, by, note, scope)
    try:
        later = _settings_status(engine, chosen, scope)
    except PlannerError as error:
        return SavedSettings(change, (), 0, str(error))
    stale = published_first(later[plan_id] for plan_id in later
                            if settings_moved(later[plan_id]) and plan_id in earlier
                            and not settings_moved(earlier[plan_id]))
    try:
        stale = with_store_names(engine, stale, scope)
    except PlannerError:  # the plans are named by their store ids alone
        pass
    return SavedSettings(change, tuple(stale), len(later), before=before, after=chosen)


def with_store_names(engine: Engine, plans: list[OutOfDatePlan], scope: Scope = EVERYTHING) -> list[OutOfDatePlan]:
    """`plans` with their stores' names (`OutOfDatePlan.store_name`), as the store file has them: read only when
    there is a plan to name."""
    if not plans:
        return plans
    stores = storage.load_stores(engine, scope)
    names = dict(zip(stores[S.store_id], stores[S.name], strict=True))
    return [replace(plan, store_name=str(names.get(plan.store_id) or "")) for plan in plans]


def settings_moved(plan: OutOfDatePlan) -> bool:
    """Whether `plan` (`_settings_status`) is out of date for the chain's settings, as `plans list` judges it."""
    return WHAT_CHANGED["settings"] in plan.out_of_date.split(", ")


def _settings_status(engine: Engine, chain: Settings, scope: Scope) -> dict[int, OutOfDatePlan]:
    """Each saved plan in `scope` that is not history, by id, with what changed since it was made as `plans list`
    judges it against the chain's settings `chain`. A week that is over is left out: its plan stays as made."""
    kept = plans_in_force(engine, chain, scope)  # its settings' part alone
    return {int(row.plan_id): OutOfDatePlan(int(row.plan_id), str(row.store_id), str(row.iso_week),
                                            str(getattr(row, OUT_OF_DATE)), str(row.status))
            for row in kept.itertuples(index=False)}
