"""Named rosters: who works which shift, within contracts, availability and labour rules (see `people` for the
typed inputs every other module of this package and the employee files share), in the primer's shape:

    people      employees, availability windows, absences (typed inputs)
    instance    a store-week: required staff per half hour, opening, the people and their absences
    generate    seeded employees for a store (sample data, benchmarks)
    solve       build and solve the CP-SAT model; least-change re-plan of a published roster
    result      Roster, Replan, Change: the records and frames exports and pages read
"""

import importlib

_HOMES = {
    "generate_employees": "generate",
    **dict.fromkeys(("RosterInstance", "from_hourly", "from_store"), "instance"),
    **dict.fromkeys(("Absence", "Employee", "Window"), "people"),
    **dict.fromkeys(("CHANGE_COLUMNS", "HOUR_COLUMNS", "PEOPLE_COLUMNS", "SHIFT_COLUMNS", "STATUSES", "Assignment",
                     "Change", "Replan", "Roster"), "result"),
    "replan": "replan",
    "solve_roster": "solve",
}
"""Where each public name lives. Loaded on first use, so that reading an employee file (`planner.roster.people`)
does not import the solver (OR-Tools) the other modules need."""

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'planner.roster' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"planner.roster.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
