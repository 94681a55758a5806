"""A night shift across a change of the clocks is paid and counted by the hours worked: Saturday 22:00-06:00 in
Europe/Berlin is 9 hours on the night the clocks go back (2026-10-25, week 2026-W43) and 7 on the night they go
forward (2026-03-29, week 2026-W13), where the roster paid and counted 8 by the clock. The truth here is the zone's
own arithmetic: the shift's ends as aware datetimes, subtracted in UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from planner.roster import Employee, from_hourly, solve_roster
from planner.roster.check import check_roster
from planner.roster.result import Assignment
from planner.settings import RosterRules, ShiftRules
from planner.shifts.candidates import Candidate

BERLIN = "Europe/Berlin"
SATURDAY, SUNDAY = 5, 6
BACK = dt.date(2026, 10, 19)  # 2026-W43: the clocks go back at 03:00 on Sunday 25 October
FORWARD = dt.date(2026, 3, 23)  # 2026-W13: the clocks go forward at 02:00 on Sunday 29 March
NO_CHANGE = dt.date(2026, 10, 12)  # 2026-W42
NIGHT = (None,) * 5 + ((22 * 60, 30 * 60),) + (None,)
DAYTIME_SUNDAY = (None,) * 6 + ((10 * 60, 18 * 60),)
EIGHT_HOURS = ShiftRules(shift_lengths_hours=(8,), break_for_shifts_over_hours=8)
RULES = RosterRules(time_limit_seconds=10, optimiser_spans_share=0.0, relative_gap_limit=0.0, keyholder_cover=False)
WAGE = 15.0


def _elapsed_hours(day: dt.date, start_minute: int, length_hours: int, zone: str) -> float:
    """The hours between a shift's ends on the store's clock, as `zone` has them (the independent truth)."""
    start = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=start_minute)
    end = start + dt.timedelta(hours=length_hours)
    at = ZoneInfo(zone)
    return (end.replace(tzinfo=at).astimezone(dt.UTC) - start.replace(tzinfo=at).astimezone(dt.UTC)
            ).total_seconds() / 3600


def _person(contract_max: float = 40.0) -> Employee:
    return Employee("A", "Person A", "S", contract_hours_min=0, contract_hours_max=contract_max, wage_per_hour=WAGE)


def _store(monday: dt.date, opening=NIGHT, zone: str | None = BERLIN, person: Employee | None = None):
    required = np.zeros((7, 24))
    for day, span in enumerate(opening):
        if span is not None:
            for hour in range(span[0] // 60, span[1] // 60):
                required[(day + hour // 24) % 7, hour % 24] = 1
    return from_hourly("S", required, monday, [person or _person()], opening=opening, shift_rules=EIGHT_HOURS,
                       wage_per_hour=WAGE, time_zone=zone)


def _night_shift() -> Candidate:
    return Candidate(SATURDAY, 22 * 60, 8, None, EIGHT_HOURS.break_minutes)


@pytest.mark.parametrize(("monday", "hours"), [(BACK, 9.0), (FORWARD, 7.0)])
def test_a_night_across_a_change_is_paid_its_real_hours(monday, hours):
    saturday = monday + dt.timedelta(days=SATURDAY)
    truth = _elapsed_hours(saturday, 22 * 60, 8, BERLIN)
    assert truth == hours  # the zone agrees with the brief's 9 and 7
    instance = _store(monday)
    roster = solve_roster(instance, RULES)
    shifts = roster.shifts
    assert len(shifts) == 1 and shifts["paid_hours"].iloc[0] == truth
    assert shifts["clock_change_hours"].iloc[0] == truth - 8
    people = roster.people.set_index("employee_id")
    assert people.loc["A", "paid_hours"] == truth
    check = check_roster(instance, RULES, roster.assignments)
    assert check.ok
    assert check.people["A"].paid_hours == truth
    assert check.wage_cost == pytest.approx(truth * WAGE)
    assert roster.hours["scheduled_staff_hours"].sum() == 8  # the half-hour slots stay by the clock


@pytest.mark.parametrize(("monday", "opening", "day"), [(NO_CHANGE, NIGHT, SATURDAY),
                                                         (BACK, DAYTIME_SUNDAY, SUNDAY),
                                                         (FORWARD, DAYTIME_SUNDAY, SUNDAY)])
def test_a_shift_across_no_change_is_paid_by_the_clock(monday, opening, day):
    start = opening[day][0]
    assert _elapsed_hours(monday + dt.timedelta(days=day), start, 8, BERLIN) == 8
    instance = _store(monday, opening)
    roster = solve_roster(instance, RULES)
    assert roster.shifts["paid_hours"].tolist() == [8.0]
    assert roster.shifts["clock_change_hours"].tolist() == [0.0]
    assert check_roster(instance, RULES, roster.assignments).wage_cost == pytest.approx(8 * WAGE)


@pytest.mark.parametrize("monday", [BACK, FORWARD])
def test_a_store_without_a_time_zone_is_paid_by_the_clock(monday):
    instance = _store(monday, zone=None)
    roster = solve_roster(instance, RULES)
    assert roster.shifts["paid_hours"].tolist() == [8.0]
    assert roster.shifts["clock_change_hours"].tolist() == [0.0]
    assert check_roster(instance, RULES, roster.assignments).wage_cost == pytest.approx(8 * WAGE)


def test_a_weekly_limit_an_hour_gained_breaks_is_reported():
    """A most-hours-a-week of 8.5 that the clock's 8 would keep: the 9 hours worked break it, the checker says so,
    and the solver leaves the night short rather than roster it."""
    rules = RosterRules(time_limit_seconds=10, optimiser_spans_share=0.0, relative_gap_limit=0.0,
                        keyholder_cover=False, max_hours_per_week=8.5)
    for monday, broken in ((BACK, True), (NO_CHANGE, False)):
        instance = _store(monday)
        check = check_roster(instance, rules, [Assignment("A", _night_shift())])
        assert ("max_hours_per_week" in check.broken_rules) is broken
        if broken:
            said = [text for rule, text in check.violations if rule == "max_hours_per_week"]
            assert said == ["Person A (A): 9 h, above 8.5 h a week"]
        assert len(solve_roster(instance, rules).shifts) == (0 if broken else 1)


def test_a_contract_maximum_an_hour_gained_breaks_is_reported():
    instance = _store(BACK, person=_person(contract_max=8.0))
    check = check_roster(instance, RULES, [Assignment("A", _night_shift())])
    assert "contract_max" in check.broken_rules
    assert check_roster(_store(NO_CHANGE, person=_person(contract_max=8.0)), RULES,
                        [Assignment("A", _night_shift())]).ok


def test_the_instance_says_each_shifts_change_from_the_zone():
    """Against the zone for every start of the two weekends' Saturdays and Sundays: a shift's change is its real
    hours less its clock hours."""
    for monday in (BACK, FORWARD, NO_CHANGE):
        instance = _store(monday)
        for day in (SATURDAY, SUNDAY):
            for start in range(0, 24 * 60, 60):
                shift = Candidate(day, start, 8, None, 30)
                truth = _elapsed_hours(monday + dt.timedelta(days=day), start, 8, BERLIN)
                assert instance.paid_hours(shift) == truth, (monday, day, start)
                assert instance.clock_change_hours(shift) == truth - 8


def _stored(document: str):
    from planner.storage.rosters import StoredRoster

    return StoredRoster(1, "S", "2026-W43", dt.datetime(2026, 10, 1), "test", "draft", None, None, None, document)


def test_a_saved_roster_keeps_the_hours_it_was_made_with():
    """Saved and read back, the night keeps its 9 hours and its change; a document saved before shifts were paid by
    the zone (no change column, no zone) reads back as it was paid, by the clock, and is judged as made: its 8 h
    night breaks no weekly limit of 8.5 h, which a roster made now with the zone would, whether judged as made or
    re-planned."""
    import json

    from planner.rostering.documents import roster_document, roster_from_document, saved_roster
    from planner.settings import Settings

    instance = _store(BACK)
    roster = solve_roster(instance, RULES)
    back = saved_roster(_stored(roster_document(roster)))
    assert back.shifts["paid_hours"].tolist() == [9.0] and back.shifts["clock_change_hours"].tolist() == [1.0]

    document = json.loads(roster_document(solve_roster(_store(BACK, zone=None), RULES)))
    del document["time_zone"]
    for shift in document["shifts"]:
        del shift["clock_change_hours"]
    old = json.dumps(document)
    back = saved_roster(_stored(old))
    assert back.shifts["paid_hours"].tolist() == [8.0] and back.shifts["clock_change_hours"].tolist() == [0.0]
    limit = Settings(roster=RosterRules(max_hours_per_week=8.5, keyholder_cover=False))
    as_made = roster_from_document(old, instance, limit, as_made=True)
    assert as_made.instance.time_zone is None
    assert check_roster(as_made.instance, as_made.rules, as_made.assignments).ok
    # re-planned today it keeps the clock it was made by: its night owes 8 h, not the 9 a roster made now would
    now = roster_from_document(old, instance, limit)
    assert now.instance.time_zone is None
    assert check_roster(now.instance, now.rules, now.assignments).ok
    # one saved with a zone keeps that zone, whatever the store's is today
    saved = roster_from_document(roster_document(roster), _store(BACK, zone="Europe/London"), limit)
    assert saved.instance.time_zone == BERLIN


@pytest.mark.parametrize(("monday", "hours"), [(BACK, 9.0), (FORWARD, 7.0), (NO_CHANGE, 8.0)])
def test_the_exports_say_the_hours_worked_and_the_change(monday, hours):
    """The shift CSV, the workbook's sheets and each person's schedule write the hours worked and, in their own
    column, the change of the clocks among them; the grid's totals add the hours worked."""
    import io

    import pandas as pd

    from planner.roster_export import person_schedule, roster_csv, roster_grid

    roster = solve_roster(_store(monday), RULES)
    csv = pd.read_csv(io.StringIO(roster_csv(roster.shifts)))
    saturday, sunday = (monday + dt.timedelta(days=day) for day in (SATURDAY, SUNDAY))
    assert csv[["start", "end", "paid_hours", "clock_change_hours"]].values.tolist() == [
        [f"{saturday:%Y-%m-%d} 22:00", f"{sunday:%Y-%m-%d} 06:00", hours, hours - 8]]
    schedule = person_schedule(roster.shifts, "A")
    assert schedule[["start", "end", "paid_hours", "clock_change_hours"]].values.tolist() == [
        ["22:00", "06:00+1", hours, hours - 8]]
    grid = roster_grid(roster.shifts, monday, roster.people).set_index("employee_id")
    assert grid.at["A", "hours"] == hours and grid.iloc[-1]["hours"] == hours


@pytest.mark.parametrize(("monday", "said", "mark"), [
    (BACK, "Person A, Sat 24 Oct 22:00-06:00+1: 9 hours worked and paid, 1 hour more than the clock shows, as the "
           "clocks go back an hour that night.", "+1 h"),
    (FORWARD, "Person A, Sat 28 Mar 22:00-06:00+1: 7 hours worked and paid, 1 hour less than the clock shows, as "
              "the clocks go forward an hour that night.", "-1 h")])
def test_a_shift_across_a_change_is_said_in_plain_words_beside_the_grid(monday, said, mark):
    """The sentence beside the page's grid and the mark in its narrow grid's cell and in the Grid CSV's; a week
    without a change says nothing and marks nothing."""
    from planner.roster_export import clock_change_notes, roster_grid

    roster = solve_roster(_store(monday), RULES)
    assert clock_change_notes(roster.shifts) == [said]
    saturday = f"Sat {(monday + dt.timedelta(days=SATURDAY)).day} {monday:%b}"
    short = roster_grid(roster.shifts, monday, roster.people, short=True).set_index("employee_id")
    assert short.at["A", saturday] == f"22–6+1 ({mark})"
    full = roster_grid(roster.shifts, monday, roster.people).set_index("employee_id")
    assert full.at["A", saturday] == f"22:00-06:00+1 ({mark})"
    plain = solve_roster(_store(NO_CHANGE), RULES)
    assert clock_change_notes(plain.shifts) == []
    assert roster_grid(plain.shifts, NO_CHANGE, plain.people).set_index("employee_id").at["A", "Sat 17 Oct"] == (
        "22:00-06:00+1")


def test_a_roster_from_the_database_counts_in_the_stores_zone_else_the_chains(roster_db_url):
    """The store file's zone, else the chain's setting, as the calendars take it (`resolve_time_zones`); neither:
    none, and shifts are paid by the clock."""
    import dataclasses

    from conftest import store_zone_written

    from planner import storage
    from planner.rostering.store_week import roster_instance
    from planner.settings import ChainRules, Settings

    engine = storage.connect(Settings(database_url=roster_db_url))
    plain = Settings(database_url=roster_db_url)
    chain = dataclasses.replace(plain, chain=ChainRules(time_zone="Europe/London"))
    assert roster_instance(engine, plain, "S08", "2026-W43")[0].time_zone is None
    assert roster_instance(engine, chain, "S08", "2026-W43")[0].time_zone == "Europe/London"
    store_zone_written(roster_db_url, "S08", BERLIN)
    assert roster_instance(engine, chain, "S08", "2026-W43")[0].time_zone == BERLIN
    engine.dispose()


@pytest.mark.parametrize(("monday", "hours"), [(BACK, 9.0), (FORWARD, 7.0), (NO_CHANGE, 8.0)])
def test_a_re_plan_owes_a_cancelled_night_its_hours_worked(monday, hours):
    """Cancelling the published night outside the notice window costs its hours worked and the change penalty, at
    the person's wage (`change_cost_units`, in cents x half-hours)."""
    from planner.roster.check_changes import change_cost_units
    from planner.roster.measures import UNITS_PER_CURRENCY

    instance = _store(monday)
    far_ahead = monday - dt.timedelta(days=RULES.notice_days + 7)
    units = change_cost_units(instance, RULES, {("A", SATURDAY): _night_shift()}, far_ahead, frozenset(), [])
    assert units == round((hours + RULES.change_penalty_hours) * WAGE * UNITS_PER_CURRENCY)


def _day_store(monday: dt.date):
    """Open 08:00-21:00 every day, one person needed Saturday 13:00-21:00 and Sunday 08:00-16:00."""
    required = np.zeros((7, 24))
    required[SATURDAY, 13:21] = 1
    required[SUNDAY, 8:16] = 1
    return from_hourly("S", required, monday, [_person()], opening=((8 * 60, 21 * 60),) * 7,
                       shift_rules=EIGHT_HOURS, wage_per_hour=WAGE, time_zone=BERLIN)


def test_rest_across_the_clocks_going_forward_is_the_time_that_passed():
    """Saturday 13:00-21:00 then Sunday 08:00-16:00 in 2026-W13: 11 hours apart on the clock, but the clocks skip
    02:00-03:00 that night, so 10 hours of rest pass (21:00 CET is 20:00 UTC, 08:00 CEST is 06:00 UTC). A rule of
    11 hours' rest is broken; in 2026-W42 the same pair rests 11 hours and keeps it. Going back (2026-W43) the same
    pair rests 12."""
    rules = RosterRules(time_limit_seconds=10, optimiser_spans_share=0.0, relative_gap_limit=0.0,
                        keyholder_cover=False, min_rest_hours=11)
    pair = [Assignment("A", Candidate(SATURDAY, 13 * 60, 8, None, 30)),
            Assignment("A", Candidate(SUNDAY, 8 * 60, 8, None, 30))]
    saturday_end, sunday_start = SATURDAY * 1440 + 21 * 60, SUNDAY * 1440 + 8 * 60
    for monday, rest_hours in ((FORWARD, 10), (NO_CHANGE, 11), (BACK, 12)):
        instance = _day_store(monday)
        assert instance.elapsed_minutes(saturday_end, sunday_start) == rest_hours * 60
        check = check_roster(instance, rules, pair)
        said = [text for rule, text in check.violations if rule == "min_rest"]
        assert said == (["Person A (A): 10 h between Sat 13:00-21:00 and Sun 08:00-16:00, below 11 h"]
                        if rest_hours < 11 else []), monday
        # the solver keeps the rule by the same measure: in 2026-W13 Saturday's shift must end by 20:00 for 11 hours
        # to pass before 08:00, and Saturday's last hour goes uncovered
        roster = solve_roster(instance, rules)
        assert check_roster(instance, rules, roster.assignments).ok
        assert roster.hours["uncovered_staff_hours"].sum() == (1 if rest_hours < 11 else 0), monday


def test_rest_without_a_zone_is_by_the_clock():
    """The same pair in 2026-W13 for a store whose zone is unknown: 11 hours on the clock, kept."""
    rules = RosterRules(keyholder_cover=False, min_rest_hours=11)
    pair = [Assignment("A", Candidate(SATURDAY, 13 * 60, 8, None, 30)),
            Assignment("A", Candidate(SUNDAY, 8 * 60, 8, None, 30))]
    instance = from_hourly("S", np.zeros((7, 24)), FORWARD, [_person()], opening=((8 * 60, 21 * 60),) * 7,
                           shift_rules=EIGHT_HOURS, wage_per_hour=WAGE, time_zone=None)
    assert instance.elapsed_minutes(SATURDAY * 1440 + 21 * 60, SUNDAY * 1440 + 8 * 60) == 11 * 60
    assert "min_rest" not in check_roster(instance, rules, pair).broken_rules


@pytest.mark.parametrize(("day", "start_minute", "hours", "change"), [
    # 18:30 CET is 17:30 UTC; the clocks jump from 02:00 to 03:00, so "02:30" is read as the jump, 01:00 UTC
    (SATURDAY, 18 * 60 + 30, 7.5, -0.5),
    # starting at "02:30", i.e. at the jump (01:00 UTC), until 10:30 CEST (08:30 UTC)
    (SUNDAY, 2 * 60 + 30, 7.5, -0.5),
    # 01:30 CET (00:30 UTC) to 09:30 CEST (07:30 UTC)
    (SUNDAY, 60 + 30, 7.0, -1.0),
    # Saturday 19:30 CET (18:30 UTC) to 03:30 CEST (01:30 UTC), wholly across the jump
    (SATURDAY, 19 * 60 + 30, 7.0, -1.0),
])
def test_a_time_in_the_skipped_hour_is_the_moment_the_clocks_jump(day, start_minute, hours, change):
    """In 2026-W13 Berlin's clocks skip 02:00-03:00 on Sunday: a shift end or start the clock gives inside that hour
    is the jump itself, which came at 02:00 (hand-worked UTC in each case)."""
    shift = Candidate(day, start_minute, 8, None, 30)
    instance = _store(FORWARD)
    assert instance.paid_hours(shift) == hours
    assert instance.clock_change_hours(shift) == change


@pytest.mark.parametrize(("start_minute", "hours"), [
    # Saturday 18:30 CEST (16:30 UTC) to the first 02:30, still CEST (00:30 UTC)
    (18 * 60 + 30, 8.0),
    # Saturday 19:30 CEST (17:30 UTC) to 03:30 CET (02:30 UTC), wholly across the repeated hour
    (19 * 60 + 30, 9.0),
])
def test_an_end_in_the_repeated_hour_is_its_first_occurrence(start_minute, hours):
    """In 2026-W43 the clocks go back from 03:00 to 02:00 on Sunday: an end the clock gives at 02:30 is the first
    02:30, before they go back."""
    shift = Candidate(SATURDAY, start_minute, 8, None, 30)
    assert _store(BACK).paid_hours(shift) == hours
