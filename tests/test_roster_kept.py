"""Roster searches a process keeps (`planner.roster.solve.solve_roster` and `replan`, through `planner.fits`): the same store-week
under the same rules, told by content, is the roster a fresh search makes; a change to anything the search reads
searches again; a search that may not repeat (stopped by the wall clock, several workers) is never kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys

import numpy as np
import pandas as pd
import pytest

from planner import fits
from planner.roster import Absence, Window, from_hourly, generate_employees, replan, solve_roster
from planner.roster import solve as solve_module
from planner.roster.check import check_roster
from planner.roster.result import FEASIBLE
from planner.settings import RosterRules, ShiftRules

MONDAY = dt.date(2026, 12, 7)
RULES = RosterRules(deterministic_time_limit=0.05)


def _table(staff: int = 2) -> np.ndarray:
    table = np.zeros((7, 24))
    table[:3, 9:17] = staff
    table[:3, 11:14] = staff + 1
    return table


def _instance(people=None, table=None, week_start=MONDAY, **kw):
    return from_hourly("S", _table() if table is None else table, week_start,
                       generate_employees("S", 6, seed=4) if people is None else people, **kw)


@pytest.fixture
def searches(monkeypatch):
    """The searches `solve_roster` runs (each a call of `solve_with`), none kept from before."""
    made = []
    search = solve_module.solve_with

    def counted(*args, **kwargs):
        made.append(args[0])
        return search(*args, **kwargs)

    monkeypatch.setattr(solve_module, "solve_with", counted)  # the conftest's monkeypatch forgets kept searches
    monkeypatch.setattr(sys.modules["planner.roster.replan"], "solve_with", counted)  # the module, not `replan`
    yield made
    fits.forget()


def _fields(roster) -> dict:
    """What a roster says, but the seconds its search took."""
    said = {}
    for field in dataclasses.fields(roster):
        value = getattr(roster, field.name)
        if field.name in ("solve_seconds", "status_sentence"):
            continue
        if field.name == "levels":
            value = tuple(dataclasses.replace(level, seconds=0.0) for level in value)
        said[field.name] = value
    return said


def _assert_same_roster(kept, fresh) -> None:
    kept_fields, fresh_fields = _fields(kept), _fields(fresh)
    assert kept_fields.keys() == fresh_fields.keys()
    for name, value in kept_fields.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, fresh_fields[name], check_exact=True)
        elif name == "instance":
            assert fits._key(solve_roster, {"value": value}) == fits._key(solve_roster, {"value": fresh_fields[name]})
        else:
            assert value == fresh_fields[name], name


def _busy_instance():
    """Six days for ten people: a roster found, not proven best, within `BUSY_RULES`' budget."""
    table = np.zeros((7, 24))
    table[:6, 9:17] = 2
    table[:6, 11:14] = 3
    return _instance(generate_employees("S", 10, seed=4), table)


BUSY_RULES = RosterRules(deterministic_time_limit=0.1)


def test_a_kept_roster_is_the_roster_a_fresh_search_makes(searches):
    instance = _busy_instance()
    fresh = solve_roster(instance, BUSY_RULES)
    assert fresh.status == FEASIBLE and not any(level.proven for level in fresh.levels)  # searched, not proven
    assert check_roster(instance, BUSY_RULES, fresh.assignments).ok
    kept = solve_roster(_busy_instance(), dataclasses.replace(BUSY_RULES))  # other objects, the same content
    assert len(searches) == 1
    assert kept is not fresh and kept.status_sentence == fresh.status_sentence
    _assert_same_roster(kept, fresh)
    fits.forget()
    again = solve_roster(instance, BUSY_RULES)  # searched afresh: the search repeats itself exactly
    assert len(searches) == 2
    _assert_same_roster(kept, again)


def test_a_change_to_anything_the_search_reads_searches_again(searches):
    people = generate_employees("S", 6, seed=4)
    first = people[0]
    rules = RULES
    solve_roster(_instance(people), rules)
    solve_roster(_instance(list(people)), dataclasses.replace(rules), progress=lambda state: None)
    assert len(searches) == 1  # the same content, another progress callback: kept
    table = _table()
    table[1, 10] += 1
    changed = {
        "one person's availability": (_instance([dataclasses.replace(
            first, availability=((Window(9 * 60, 13 * 60),),) + first.availability[1:]), *people[1:]]), rules),
        "one person's wage": (_instance([dataclasses.replace(first, wage_per_hour=99.0), *people[1:]]), rules),
        "one person's contract": (_instance([dataclasses.replace(first, contract_hours_min=first.contract_hours_min
                                                                 + 1), *people[1:]]), rules),
        "one person fewer": (_instance(people[1:]), rules),
        "the requirement": (_instance(people, table), rules),
        "the week": (_instance(people, week_start=MONDAY + dt.timedelta(days=7)), rules),
        "an absence": (_instance(people, absences=[Absence(first.employee_id, MONDAY, MONDAY, "sick")]), rules),
        "the days worked before": (_instance(people, days_worked_before={first.employee_id: 5}), rules),
        "the last shift before": (_instance(people, last_end_before_minute={first.employee_id: -60}), rules),
        "the store's wage": (_instance(people, wage_per_hour=2.0), rules),
        "the store's time zone": (_instance(people, time_zone="Europe/Berlin"), rules),
        "the shape of a shift": (_instance(people, shift_rules=ShiftRules(shift_lengths_hours=(4, 6))), rules),
        "a labour rule": (_instance(people), dataclasses.replace(rules, max_hours_per_week=30)),
        "the budget": (_instance(people), dataclasses.replace(rules, deterministic_time_limit=0.06)),
        "the seed": (_instance(people), dataclasses.replace(rules, seed=1)),
    }
    for what, (instance, with_rules) in changed.items():
        before = len(searches)
        solve_roster(instance, with_rules)
        assert len(searches) == before + 1, what
    solve_roster(instance, with_rules)
    assert len(searches) == 1 + len(changed)  # the last kept


def test_a_search_that_may_not_repeat_is_never_kept(searches):
    instance = _instance()
    stopped = dataclasses.replace(RULES, time_limit_seconds=1e-3)  # the wall clock comes first
    for _ in range(2):
        assert solve_module.repeats(solve_roster(instance, stopped)) is False
    assert len(searches) == 2
    workers = dataclasses.replace(RULES, workers=2)
    for _ in range(2):
        solve_roster(instance, workers)
    assert len(searches) == 4


def test_a_kept_roster_is_a_copy_and_tells_its_progress_the_search_is_over(searches):
    instance, told = _instance(), []
    first = solve_roster(instance, RULES)
    first.shifts.loc[:, "employee_id"] = "nobody"  # the caller's to change
    kept = solve_roster(instance, RULES, told.append)
    assert len(searches) == 1 and len(kept.shifts) == len(kept.assignments) > 0
    assert "nobody" not in set(kept.shifts["employee_id"])
    (state,) = told
    assert state.share_done == 1.0 and state.best_cost == kept.levels[0].objective


def test_a_replan_is_kept_as_a_search_is_and_searched_again_for_any_other_change(searches):
    instance = _instance()
    published = solve_roster(instance, RULES)
    first = published.assignments[0]
    sick = instance.with_changes(absences=[Absence(first.employee_id, MONDAY, MONDAY, "sick")])
    made = replan(sick, published, RULES, MONDAY)
    told = []
    again = replan(instance.with_changes(absences=[Absence(first.employee_id, MONDAY, MONDAY, "sick")]), published,
                   dataclasses.replace(RULES), MONDAY, told.append)
    assert len(searches) == 2 and len(told) == 1  # the roster, then one re-plan
    assert again.changes == made.changes and again.today == made.today
    _assert_same_roster(again.roster, made.roster)
    fits.forget()
    _assert_same_roster(replan(sick, published, RULES, MONDAY).roster, made.roster)  # searched afresh: the same
    assert len(searches) == 3
    others = [(instance.with_changes(absences=[Absence(first.employee_id, MONDAY + dt.timedelta(days=1),
                                                       MONDAY + dt.timedelta(days=1), "sick")]), published, RULES,
               MONDAY),
              (sick, published, RULES, MONDAY + dt.timedelta(days=1)),
              (sick, published, dataclasses.replace(RULES, notice_days=1), MONDAY),
              (sick, solve_roster(instance, dataclasses.replace(RULES, seed=2)), RULES, MONDAY)]
    for changed in others:
        before = len(searches)
        replan(*changed)
        assert len(searches) > before
