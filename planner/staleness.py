"""Whether something made earlier (a schedule, a plan) was made from what is in force now, said in plain words.

A page keeps, beside what it made, the database's `DataRevision` and the settings in force at the time; later it
asks `changed_since` what differs now and shows `made_before_sentence`.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.settings import Settings, planning_settings, settings_to_dict
from planner.storage.revision import WHAT_CHANGED, DataRevision

SCHEDULE_INPUTS = ("observations", "stores", "calendar", "settings")
"""What the weekly schedule is made from: the calendar too, since each count is read under its own date's hours and
demand factor (`planner.calendar.counted_date_factors`). Any calendar upload counts, though only rows of counted dates
move the weekly schedule: a schedule is made again in seconds, and a warning that may be needless beats silence."""


def changed_since(made_from: DataRevision, now: DataRevision, made_with: Settings, in_force: Settings,
                  inputs: Iterable[str] = SCHEDULE_INPUTS) -> list[str]:
    """What changed among `inputs` (names of `DataRevision` fields) between `made_from` and `now`, in words ("the
    counts", "the store file", "the chain's settings"); settings edited in the session but not saved count as the
    chain's settings too (the database URL is no setting here). The settings are compared by what they hold as far
    as schedules and plans read them (`planning_settings`), not by the revision of the chain's saved settings: a
    saved change of a roster rule changes no schedule."""
    changed = [name for name in inputs if name != "settings" and getattr(now, name) != getattr(made_from, name)]
    if "settings" in inputs and (settings_to_dict(planning_settings(made_with))
                                 != settings_to_dict(planning_settings(in_force))):
        changed.append("settings")
    return [WHAT_CHANGED[name] for name in DataRevision._fields if name in changed]


MAKE_IT_AGAIN = "make it again"


def made_before_sentence(changed: list[str], thing: str = "schedule", step: str = MAKE_IT_AGAIN) -> str:
    """'This schedule was made before the counts and the chain's settings changed: make it again.'; `step`: what
    the reader is to do instead, for one who may not ("ask a planner to re-plan it and publish the new plan")."""
    listed = changed[0] if len(changed) == 1 else ", ".join(changed[:-1]) + " and " + changed[-1]
    return f"This {thing} was made before {listed} changed: {step}."
