"""Build the roster's CP-SAT model from the rules, solve it, and hand back the roster; re-plan a published one."""

from __future__ import annotations

import datetime as dt

from planner.roster.instance import RosterInstance
from planner.roster.result import Replan, Roster
from planner.settings import RosterRules


def solve_roster(instance: RosterInstance, rules: RosterRules) -> Roster:
    """Named shifts covering the requirement at least wage cost within the labour rules."""
    raise NotImplementedError("the roster model is being built")


def replan(instance: RosterInstance, published: Roster, rules: RosterRules, today: dt.date) -> Replan:
    """Re-plan `published` for the changed `instance` (new absences, requirement or demand factor), changing as few
    shifts as possible, weighted by the premium a change inside the notice window costs. Days before `today` stay."""
    raise NotImplementedError("the roster model is being built")
