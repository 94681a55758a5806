"""Named rosters: who works which shift, within contracts, availability and labour rules (see `people` for the
typed inputs every other module of this package and the employee files share), in the primer's shape:

    people      employees, availability windows, absences (typed inputs)
    instance    a store-week: required staff per half hour, opening, the people and their absences
    generate    seeded employees for a store (sample data, benchmarks)
    variables   the model's variables: a person on a shift span, days worked, break counts per span
    rules       one class per labour rule, each adding its constraints and named penalty terms
    measures    the prices and targets the rules and the checker share
    greedy      a quick roster keeping every hard rule: the answer when time runs out before the search's
    solve       solve level by level: the cost first, against bounds that hold for every roster, then fairness
    search      the CP-SAT model per level, the time between the levels, the fairness neighbourhoods, solver parameters
    check       a solver-free checker of every rule, the floor and the cost
    findings    one sentence with its cause per uncovered span, gap, shortfall and broken preference
    report      the roster made from the checker: its status, shift, people and hour frames, findings
    replan      least-change re-plan of a published roster
    elsewhere   a person shared with another store: the days, rest and hours its published roster takes
    result      Roster, Replan, Change: the records and frames exports and pages read
"""

from planner.roster.generate import generate_employees
from planner.roster.instance import RosterInstance, from_hourly, from_store
from planner.roster.people import Absence, Employee, Window
from planner.roster.result import (
    CHANGE_COLUMNS, HOUR_COLUMNS, PEOPLE_COLUMNS, SHIFT_COLUMNS, STATUSES, Assignment, Change, Replan, Roster,
)
from planner.roster.replan import replan
from planner.roster.solve import solve_roster

__all__ = [
    "CHANGE_COLUMNS", "HOUR_COLUMNS", "PEOPLE_COLUMNS", "SHIFT_COLUMNS", "STATUSES", "Absence", "Assignment",
    "Change", "Employee", "Replan", "Roster", "RosterInstance", "Window", "from_hourly", "from_store",
    "generate_employees", "replan", "solve_roster",
]
