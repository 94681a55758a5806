"""The settings a planner sets: the service targets, shift rules, roster rules, simulation settings and the chain's
time zone that the Settings page edits and `settings show|set` shows and changes, in the page's order, each with its
words and allowed range (its `FieldInfo`); a change of them checked whole (`with_values`); and the table of them in
force beside their defaults (`in_force`). The solver's and the simulation model's internals are not among them: they stay in
`planner/settings.py`.

    EDITABLE                           every such setting, in the page's order (`EditableSetting`)
    editable(path)                     one of them by its path, "shifts.weekly_budget_staff_hours"
    with_values(settings, values)      `settings` with `values` (by path), or `RefusedSetting` naming the first refused
    in_force(settings)                 one row per setting: its value and default as the page shows them, whether
                                       they differ
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from planner.errors import PlannerError
from planner.settings import (
    ChainRules, FieldInfo, RosterRules, ServiceTargets, Settings, ShiftRules, SimulationRules, field_info, value_text,
)
from planner.zones import meant_said, takes_time_zone

TARGETS = ("target_service_level", "target_wait_seconds", "patience_minutes", "max_abandon_share", "max_occupancy",
           "min_staff")
SHIFT_RULES = ("shift_lengths_hours", "start_step_minutes", "duty_before_opening_minutes",
               "duty_after_closing_minutes", "break_minutes", "break_for_shifts_over_hours",
               "break_window_before_midpoint_minutes", "break_window_after_midpoint_minutes",
               "weekly_budget_staff_hours", "hard_coverage", "min_staff_cover", "surplus_penalty_share_of_wage",
               "time_limit_seconds")
"""The shift rules a planner sets; the solver's internals, such as its seed, stay in the settings file."""
ROSTER_LIMITS = ("min_rest_hours", "max_days_in_a_row", "min_full_days_off_per_week", "max_hours_per_day",
                 "max_hours_per_week", "keyholder_cover", "time_limit_seconds")
"""The roster rules of what a roster keeps to."""
ROSTER_CHANGES = ("notice_days", "premium_hours_added_shift", "premium_hours_moved_shift",
                  "premium_hours_shortened_shift", "premium_hours_cancelled_shift", "change_penalty_hours",
                  "keep_untouched_days", "preference_penalty_share_of_wage", "fairness_penalty_share_of_wage")
"""The roster rules of what a change to a published roster costs; the solver's internals (level shares, gap
limit, neighbourhoods, seed) stay in the settings file."""
SIMULATION = ("replications", "band_level", "at_risk_week_share", "service_cv", "day_to_day_variation")
"""How many weeks are simulated, how the figures are read, and the two a planner may know of the chain (how uneven
its services are, whether its days vary); the model's internals stay in the settings file."""
CHAIN = ("time_zone",)
"""The time zone the stores' clocks keep, which calendar files state and rosters pay a change of the clocks by (no
plan is made with it)."""
TIME_ZONE = "chain.time_zone"
"""The path of the chain's time zone, the one setting of a name (checked by `with_values` where it is entered)."""

PARTS = {"targets": ServiceTargets, "shifts": ShiftRules, "roster": RosterRules, "simulation": SimulationRules,
         "chain": ChainRules}
"""The part of `Settings` each group is, and its class: a name alone does not say its part, as the roster rules
have a time_limit_seconds too."""
GROUPS = (("Service targets", "targets", TARGETS), ("Shift rules", "shifts", SHIFT_RULES),
          ("Roster rules", "roster", ROSTER_LIMITS + ROSTER_CHANGES), ("Simulation", "simulation", SIMULATION),
          ("Time zone", "chain", CHAIN))
"""(heading, part, names) in the Settings page's order."""


@dataclass(frozen=True)
class EditableSetting:
    part: str
    """"targets", "shifts", "roster", "simulation" or "chain": the part of `Settings` it belongs to."""
    name: str
    info: FieldInfo

    @property
    def path(self) -> str:
        """How the history, the command line and a saved settings' refusal name it: "shifts.break_minutes"."""
        return f"{self.part}.{self.name}"

    def value(self, settings: Settings) -> object:
        return getattr(getattr(settings, self.part), self.name)

    def text(self, value: object) -> str:
        """`value` as the Settings page's table shows it: "85%", "4, 6, 8", "on", "none"."""
        return value_text(value, self.info.unit)


EDITABLE = tuple(EditableSetting(part, name, field_info(PARTS[part], name))
                 for _, part, names in GROUPS for name in names)


class RefusedSetting(PlannerError):
    """A value the settings refuse, in the Settings page's words ("Weekly budget must be above 0 up to 1,000,000
    staff-hours per store, got 0.0"), with the setting it names (None where the refusal names none)."""

    def __init__(self, message: str, setting: EditableSetting | None) -> None:
        super().__init__(message)
        self.setting = setting


def editable(path: str) -> EditableSetting:
    """The setting at `path` ("targets.min_staff"); KeyError for a path that names none a planner sets."""
    found = next((setting for setting in EDITABLE if setting.path == path), None)
    if found is None:
        raise KeyError(path)
    return found


def with_values(settings: Settings, values: Mapping[str, object]) -> Settings:
    """`settings` with `values` (by path), all of them or none: `RefusedSetting` for the first value outside its
    range (`FieldInfo.allows_value`, the check the settings make themselves, made here first so that the service
    targets, whose own checks are wider, keep to it too), then for the first the settings' own checks refuse (a
    break that is not a multiple of 30 minutes).

    A time zone is entered here: one this machine's time-zone database does not know, or an abbreviation kept at
    one offset all year ("EST", `planner.zones.takes_time_zone`), is refused, naming the one meant, unless it is the one `settings` already hold (saved settings keep a name a later tzdata dropped until it
    is changed: `ChainRules`; the Settings page sends every value, changed or not)."""
    chosen = {editable(path): value for path, value in values.items()}
    for setting, value in chosen.items():
        if not setting.info.allows_value(value):
            raise RefusedSetting(f"{setting.info.label} must be {setting.info.allowed()}, got {value!r}", setting)
        if setting.path == TIME_ZONE and value is not None and value != setting.value(settings) \
                and not takes_time_zone(value):
            raise RefusedSetting(f"{setting.info.label} must be {setting.info.allowed()}, got {value!r}"
                                 f"{meant_said(str(value))}", setting)
    changed = settings
    for part, change in (("targets", Settings.with_targets), ("shifts", Settings.with_shift_rules),
                         ("roster", Settings.with_roster_rules), ("simulation", Settings.with_simulation_rules),
                         ("chain", Settings.with_chain_rules)):
        mine = {setting.name: value for setting, value in chosen.items() if setting.part == part}
        if not mine:
            continue
        try:
            changed = change(changed, **mine)
        except ValueError as error:
            raise _in_words(str(error), part) from error
    return changed


def in_force(settings: Settings) -> pd.DataFrame:
    """One row per setting, in the page's order: its path (`name`), label (`setting`), value and default as the page
    shows them (`in force`, `default`), unit, meaning, and whether the value differs from the default (`differs`)."""
    defaults = Settings()
    rows = [(setting.path, setting.info.label, setting.text(setting.value(settings)),
             setting.text(setting.value(defaults)), setting.info.unit, setting.info.meaning,
             setting.value(settings) != setting.value(defaults))
            for setting in EDITABLE]
    return pd.DataFrame(rows, columns=["name", "setting", "in force", "default", "unit", "meaning", "differs"])


def _in_words(refusal: str, part: str) -> RefusedSetting:
    """A refusal naming its setting as the page does ("Most paid hours a week must be above 0 up to 168 hours, got
    0.0", not "max_hours_per_week must ..."): the part tells the shift rules' time limit from the roster's."""
    name, _, rest = refusal.partition(" ")
    setting = next((setting for setting in EDITABLE if setting.part == part and setting.name == name), None)
    if setting is None:
        return RefusedSetting(refusal.replace("_", " "), None)
    return RefusedSetting(f"{setting.info.label} {rest}", setting)
