"""A person shared by two stores (`also_stores`) is rostered in the second store around their shifts in the first:
not on the same days, with the rest the rules ask between shifts, and within the week's hours. Expected windows and
hours are worked out by hand from the shifts and the rules."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from planner import cli, storage
from planner.cli_flags import EXIT_OK
from planner.roster import Assignment, Employee, Window, from_hourly, solve_roster
from planner.roster.check import check_roster
from planner.roster.elsewhere import booked_elsewhere
from planner.rostering import documents, store_week
from planner.shifts.candidates import Candidate
from planner.settings import RosterRules, Settings

MONDAY = dt.date(2026, 12, 7)
ALL_DAY = (Window(0, 24 * 60),)


def _shift(store: str, start: str, end: str, paid: float) -> dict:
    return {"store_id": store, "employee_id": "E1", "name": "Ann", "start": pd.Timestamp(start),
            "end": pd.Timestamp(end), "break_start": pd.NaT, "paid_hours": paid}


def test_shifts_elsewhere_take_their_days_the_rest_around_them_and_their_hours():
    ann = Employee("E1", "Ann", "S2", also_stores=("S1",), contract_hours_min=30, contract_hours_max=40,
                   availability=(ALL_DAY,) * 7)
    bob = Employee("E2", "Bob", "S2")
    shifts = pd.DataFrame([_shift("S1", "2026-12-07 14:00", "2026-12-07 22:00", 7.5),
                           _shift("S1", "2026-12-09 06:00", "2026-12-09 10:00", 4.0)])
    (kept, same), sentences = booked_elsewhere((ann, bob), shifts, MONDAY, RosterRules(min_rest_hours=11))
    assert same is bob and len(sentences) == 1
    assert kept.availability[0] == () and kept.availability[2] == ()  # the days worked at S1
    # Tuesday: 11 h after Monday's 22:00, and 11 h before Wednesday's 06:00
    assert kept.availability[1] == (Window(9 * 60, 19 * 60),)
    assert kept.availability[3:] == (ALL_DAY,) * 4  # Wednesday's 10:00 + 11 h is still Wednesday
    # the contract stays as the file gives it (pages show it); the hours worked there count against it here
    assert (kept.contract_hours_min, kept.contract_hours_max, kept.hours_elsewhere) == (30, 40, 11.5)
    assert kept.weekly_limit(48) == 40 - 11.5 and kept.weekly_limit(36) == 36 - 11.5
    assert kept.days_elsewhere == {0, 2}
    assert "Ann (E1) works 11.5 h at S1 this week (Mon 7 Dec, Wed 9 Dec" in sentences[0]


def test_a_person_of_two_stores_is_not_rostered_in_both_at_once(capsys, roster_db_url, tmp_path):
    """A person of S08 given S03 as well: the second store's roster put them on the floor at the same hours (66 h in
    the week against a contract of 40, in the sample a helper tried). The two smallest stores of the sample: each is
    rostered within the tests' short time limit."""
    engine = storage.connect(Settings(database_url=roster_db_url))
    people = storage.load_employees(engine)
    shared = people[people["store_id"] == "S08"].iloc[[0]].assign(also_stores="S03")
    person = shared["employee_id"].iloc[0]
    file = tmp_path / "shared.csv"
    shared.to_csv(file, index=False)
    assert cli.main(["--database-url", roster_db_url, "import", str(file)]) == EXIT_OK
    before = store_week.inputs_key(engine, "S03", "2026-W50")
    for store in ("S08", "S03"):
        assert cli.main(["--database-url", roster_db_url, "roster", "--store", store, "--week", "2026-W50",
                         "--publish", "--by", "pia"]) == EXIT_OK
    # the Roster page keeps a roster until its key changes: S08's roster is now one S03's is made around
    assert store_week.inputs_key(engine, "S03", "2026-W50") != before
    out = capsys.readouterr().out
    home, other = (documents.published(engine, store, "2026-W50").shifts for store in ("S08", "S03"))
    home, other = home[home["employee_id"] == person], other[other["employee_id"] == person]
    assert len(home) > 0
    assert not set(home["start"].dt.date) & set(other["start"].dt.date)
    limit = float(shared["contract_hours_max"].iloc[0])
    assert home["paid_hours"].sum() + other["paid_hours"].sum() <= limit + 1e-9
    listed = documents.published(engine, "S03", "2026-W50").people.set_index("employee_id").loc[person]
    assert listed["contract_hours_max"] == limit  # the contract as the file gives it, not what is left of it
    assert listed["hours_left_to_max"] == pytest.approx(limit - home["paid_hours"].sum() - other["paid_hours"].sum())
    worked = set(home["start"].dt.date) | set(other["start"].dt.date)  # both stores' days: no day off lost
    assert 7 - len(worked) >= Settings().roster.min_full_days_off_per_week
    ends = sorted([*zip(home["start"], home["end"]), *zip(other["start"], other["end"])])
    rest = pd.Timedelta(hours=Settings().roster.min_rest_hours)
    assert all(later[0] - earlier[1] >= rest for earlier, later in zip(ends, ends[1:]))
    assert f"({person}) works" in out and "at S08 this week" in out
    engine.dispose()


def test_a_day_worked_elsewhere_is_no_day_off_here():
    """One day at the other store left six days free here, and the days-off rule counted only the days here: Tue to
    Sun could all be rostered, seven days without a day off. The solver and the checker now count that day."""
    rules = RosterRules(time_limit_seconds=5, optimiser_spans_share=0.0, relative_gap_limit=0.0)
    ann = Employee("E1", "Ann", "S2", also_stores=("S1",), contract_hours_min=40, contract_hours_max=48,
                   skills=frozenset({"keyholder"}))
    (kept,), _ = booked_elsewhere((ann,), pd.DataFrame([_shift("S1", "2026-12-07 09:00", "2026-12-07 13:00", 4.0)]),
                                  MONDAY, rules)
    need = np.zeros((7, 24))
    need[1:, 9:15] = 1  # Tuesday to Sunday, 6 h a day, and only Ann to staff them (her contract asks 40 h)
    instance = from_hourly("S2", need, MONDAY, [kept])
    roster = solve_roster(instance, rules)
    days_here = {a.shift.weekday for a in roster.assignments}
    assert check_roster(instance, rules, roster.assignments).ok and len(days_here) == 5
    assert 7 - len(days_here | {0}) >= rules.min_full_days_off_per_week  # Monday at S1 is a working day
    every_day = [Assignment("E1", Candidate(day, 9 * 60, 6, None, instance.shift_rules.break_minutes))
                 for day in range(1, 7)]
    assert "days_off" in check_roster(instance, rules, every_day).broken_rules


BERLIN = "Europe/Berlin"
FORWARD = dt.date(2026, 3, 23)  # 2026-W13: the clocks go forward at 02:00 on Sunday 29 March
BACK = dt.date(2026, 10, 19)  # 2026-W43: the clocks go back at 03:00 on Sunday 25 October


def _first_rested_minute(saturday_end: dt.datetime, rest_hours: float, zone: str) -> int:
    """The first Sunday clock minute (on the half hour, as shifts start) at least `rest_hours` after `saturday_end`
    as the zone counts time that passed: the independent truth, aware datetimes subtracted in UTC."""
    at = ZoneInfo(zone)
    ended = saturday_end.replace(tzinfo=at).astimezone(dt.UTC)
    sunday = dt.datetime.combine(saturday_end.date() + dt.timedelta(days=1), dt.time())
    for minute in range(0, 24 * 60, 30):
        clock = sunday + dt.timedelta(minutes=minute)
        if clock.replace(tzinfo=at).astimezone(dt.UTC) - ended >= dt.timedelta(hours=rest_hours):
            return minute
    raise AssertionError("no rested minute on Sunday")


def _last_rested_minute(sunday_start: dt.datetime, rest_hours: float, zone: str) -> int:
    """The last Saturday clock minute (minutes after Saturday's midnight, on the half hour) a shift may end by and
    leave `rest_hours` before `sunday_start` as the zone counts time that passed."""
    at = ZoneInfo(zone)
    starts = sunday_start.replace(tzinfo=at).astimezone(dt.UTC)
    saturday = dt.datetime.combine(sunday_start.date() - dt.timedelta(days=1), dt.time())
    for minute in range(24 * 60, 0, -30):
        clock = saturday + dt.timedelta(minutes=minute)
        if starts - clock.replace(tzinfo=at).astimezone(dt.UTC) >= dt.timedelta(hours=rest_hours):
            return minute
    raise AssertionError("no rested minute on Saturday")


@pytest.mark.parametrize("monday", [FORWARD, BACK])
def test_rest_after_a_shift_elsewhere_is_time_that_passed_across_a_change_of_the_clocks(monday):
    """Saturday 15:00-23:00 elsewhere: on the night the clocks go forward, Sunday 09:00 here is 10 h on the clock but
    9 h worked, short of a 10 h rest, so Sunday opens at 10:00; on the night they go back, 10 h have passed by 08:00.
    The rest of the roster (`RosterInstance.elapsed_minutes`) is measured so; the shared person's was by the clock."""
    saturday = monday + dt.timedelta(days=5)
    ann = Employee("E1", "Ann", "S2", also_stores=("S1",), availability=(ALL_DAY,) * 7)
    end = dt.datetime.combine(saturday, dt.time(23))
    shifts = pd.DataFrame([_shift("S1", f"{saturday} 15:00", str(end), 8.0)])
    rules = RosterRules(min_rest_hours=10)
    (kept,), _ = booked_elsewhere((ann,), shifts, monday, rules, time_zone=BERLIN)
    opens = _first_rested_minute(end, 10, BERLIN)
    assert opens == (10 * 60 if monday == FORWARD else 8 * 60)  # the zone agrees with the clocks' change
    assert kept.availability[6] == (Window(opens, 24 * 60),)
    (by_clock,), _ = booked_elsewhere((ann,), shifts, monday, rules)  # no zone known: by the clock, as before
    assert by_clock.availability[6] == (Window(9 * 60, 24 * 60),)


@pytest.mark.parametrize("monday", [FORWARD, BACK])
def test_rest_before_a_shift_elsewhere_is_time_that_passed_across_a_change_of_the_clocks(monday):
    """Sunday 09:00-17:00 elsewhere: a Saturday shift here must end 10 h of time that passed before it, 22:00 on the
    night the clocks go forward and 00:00 on the night they go back."""
    sunday = monday + dt.timedelta(days=6)
    ann = Employee("E1", "Ann", "S2", also_stores=("S1",), availability=(ALL_DAY,) * 7)
    start = dt.datetime.combine(sunday, dt.time(9))
    shifts = pd.DataFrame([_shift("S1", str(start), f"{sunday} 17:00", 8.0)])
    rules = RosterRules(min_rest_hours=10)
    (kept,), _ = booked_elsewhere((ann,), shifts, monday, rules, time_zone=BERLIN)
    closes = _last_rested_minute(start, 10, BERLIN)
    assert closes == (22 * 60 if monday == FORWARD else 24 * 60)
    assert kept.availability[5] == (Window(0, closes),)
    (by_clock,), _ = booked_elsewhere((ann,), shifts, monday, rules)
    assert by_clock.availability[5] == (Window(0, 23 * 60),)


def test_the_store_week_measures_the_rest_around_a_shift_elsewhere_on_the_stores_clock(roster_db_url, monkeypatch):
    """`roster_instance` gives `booked_elsewhere` the store's time zone (the chain's here), as it gives the instance:
    the shared person's Sunday of 2026-W13 opens 10 h of time that passed after Saturday's 23:00 elsewhere."""
    engine = storage.connect(Settings(database_url=roster_db_url))
    person = storage.load_employees(engine, ["S08"])["employee_id"].iloc[0]
    saturday = FORWARD + dt.timedelta(days=5)
    elsewhere = pd.DataFrame([{**_shift("S03", f"{saturday} 15:00", f"{saturday} 23:00", 8.0),
                               "employee_id": person}])
    monkeypatch.setattr(store_week, "_shifts_elsewhere", lambda *_: elsewhere)
    rules = RosterRules(min_rest_hours=10)
    opens = _first_rested_minute(dt.datetime.combine(saturday, dt.time(23)), 10, BERLIN)
    for zone, first in ((BERLIN, opens), (None, 9 * 60)):
        settings = Settings(roster=rules).with_chain_rules(time_zone=zone)
        instance, _ = store_week.roster_instance(engine, settings, "S08", "2026-W13")
        assert instance.time_zone == zone
        assert min(window.start_minute for window in instance.employee(person).availability[6]) == first
    engine.dispose()


LONDON = "Europe/London"


def _rested_window(day: dt.date, here: str, end_there: dt.datetime, start_there: dt.datetime, there: str,
                   rest_hours: float) -> Window:
    """The first and last clock minutes of `day` on `here`'s clock (on the half hour, as shifts start and end) at
    least `rest_hours` after `end_there` and before `start_there`, both on `there`'s clock: the independent truth,
    aware datetimes subtracted in UTC."""
    rest = dt.timedelta(hours=rest_hours)
    ended = end_there.replace(tzinfo=ZoneInfo(there))
    starts = start_there.replace(tzinfo=ZoneInfo(there))
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(here))
    minutes = [minute for minute in range(0, 24 * 60 + 1, 30)
               if midnight + dt.timedelta(minutes=minute) - ended >= rest
               and starts - (midnight + dt.timedelta(minutes=minute)) >= rest]
    return Window(minutes[0], minutes[-1])


@pytest.mark.parametrize(("here", "there"), [(BERLIN, LONDON), (LONDON, BERLIN)])
def test_a_shift_in_a_store_of_another_time_zone_is_read_on_its_own_stores_clock(here, there):
    """Monday 14:00-22:00 and Wednesday 09:00-13:00 at S1, on S1's clock: Ann's Tuesday at S2 lies 11 h after the
    one and before the other as time passes. Read on S2's clock they were an hour out: 22:00 London is 23:00 in
    Berlin, so a Berlin shift at 09:00 the next day leaves 10 h of rest, not the 11 the clock reading gave."""
    ann = Employee("E1", "Ann", "S2", also_stores=("S1",), availability=(ALL_DAY,) * 7)
    monday_end, wednesday_start = dt.datetime(2026, 12, 7, 22), dt.datetime(2026, 12, 9, 9)
    shifts = pd.DataFrame([_shift("S1", "2026-12-07 14:00", str(monday_end), 7.5),
                           _shift("S1", str(wednesday_start), "2026-12-09 13:00", 3.5)])
    (kept,), _ = booked_elsewhere((ann,), shifts, MONDAY, RosterRules(min_rest_hours=11), time_zone=here,
                                  store_zones={"S1": there, "S2": here})
    expected = _rested_window(MONDAY + dt.timedelta(days=1), here, monday_end, wednesday_start, there, 11)
    assert kept.availability[1] == (expected,)
    if here == BERLIN:  # the case as a Berlin manager meets it: 09:00 is 10 h after London's 22:00
        nine = dt.datetime(2026, 12, 8, 9, tzinfo=ZoneInfo(BERLIN))
        assert nine - monday_end.replace(tzinfo=ZoneInfo(LONDON)) == dt.timedelta(hours=10)
        assert expected == Window(10 * 60, 23 * 60)
    (same_zone,), _ = booked_elsewhere((ann,), shifts, MONDAY, RosterRules(min_rest_hours=11), time_zone=here,
                                       store_zones={"S1": here, "S2": here})
    assert same_zone.availability[1] == (Window(9 * 60, 22 * 60),)  # one zone: the clock is the time that passed
    assert (kept.days_elsewhere, kept.hours_elsewhere) == ({0, 2}, 11.0)


def test_the_store_week_reads_a_shift_elsewhere_on_that_stores_clock(roster_db_url, monkeypatch):
    """`roster_instance` tells `booked_elsewhere` each store's own time zone: S08 in Berlin rosters its shared
    person around a shift ending 22:00 at S03 in London (23:00 in Berlin), so Tuesday opens at 10:00, not 09:00."""
    from conftest import store_zone_written

    store_zone_written(roster_db_url, "S03", LONDON)
    engine = storage.connect(Settings(database_url=roster_db_url))
    person = storage.load_employees(engine, ["S08"])["employee_id"].iloc[0]
    end = dt.datetime(2026, 12, 7, 22)
    elsewhere = pd.DataFrame([{**_shift("S03", "2026-12-07 14:00", str(end), 7.5), "employee_id": person}])
    monkeypatch.setattr(store_week, "_shifts_elsewhere", lambda *_: elsewhere)
    settings = Settings(roster=RosterRules(min_rest_hours=11)).with_chain_rules(time_zone=BERLIN)
    instance, _ = store_week.roster_instance(engine, settings, "S08", "2026-W50")
    assert instance.time_zone == BERLIN
    opens = _rested_window(MONDAY + dt.timedelta(days=1), BERLIN, end, end + dt.timedelta(days=9), LONDON, 11)
    assert opens.start_minute == 10 * 60
    assert min(window.start_minute for window in instance.employee(person).availability[1]) == opens.start_minute
    engine.dispose()


@pytest.mark.parametrize(("kept", "read_on"), [(True, BERLIN), (False, LONDON)])
def test_a_published_roster_elsewhere_is_read_on_the_zone_it_was_made_under(roster_db_url, tmp_path, kept, read_on):
    """S03's roster was published while S03 kept Berlin's clock; S03 has since moved to London's. Its 22:00 is 22:00
    Berlin, the clock its shifts were made on, so S08 (Berlin) rosters the shared person 11 h later, from Tuesday
    09:00: read on London's clock (23:00 Berlin) it opened at 10:00. A roster saved before its zone was kept is read
    on the zone now, as before."""
    import json

    from conftest import store_zone_written

    engine = storage.connect(Settings(database_url=roster_db_url))
    people = storage.load_employees(engine)
    shared = people[people["store_id"] == "S08"].iloc[[0]].assign(also_stores="S03")
    person = shared["employee_id"].iloc[0]
    shared.to_csv(tmp_path / "shared.csv", index=False)
    assert cli.main(["--database-url", roster_db_url, "import", str(tmp_path / "shared.csv")]) == EXIT_OK
    end = dt.datetime(2026, 12, 7, 22)
    document = {"version": documents.DOCUMENT_VERSION, "store_id": "S03", "week_start": str(MONDAY),
                "status": "feasible", "status_sentence": "A roster.", "assignments": [], "people": [], "hours": [],
                "sentences": [], "shifts": [{**_shift("S03", "2026-12-07 14:00", str(end), 7.5), "employee_id": person,
                                             "start": "2026-12-07 14:00", "end": str(end), "break_start": None,
                                             "clock_change_hours": 0.0}],
                **({"time_zone": BERLIN} if kept else {})}
    roster_id = storage.save_roster(engine, "S03", "2026-W50", json.dumps(document), "pia")
    storage.publish_roster(engine, roster_id, "pia")
    store_zone_written(roster_db_url, "S03", LONDON)
    settings = Settings(roster=RosterRules(min_rest_hours=11)).with_chain_rules(time_zone=BERLIN)
    instance, _ = store_week.roster_instance(engine, settings, "S08", "2026-W50")
    opens = _rested_window(MONDAY + dt.timedelta(days=1), BERLIN, end, end + dt.timedelta(days=9), read_on, 11)
    assert opens.start_minute == (9 if kept else 10) * 60
    assert min(window.start_minute for window in instance.employee(person).availability[1]) == opens.start_minute
    engine.dispose()


@pytest.mark.parametrize(("here", "there", "start_there", "end_there"),
                         [(LONDON, BERLIN, "2026-12-08 00:30", "2026-12-08 08:30"),
                          (BERLIN, LONDON, "2026-12-07 23:30", "2026-12-08 07:30")])
def test_a_day_worked_elsewhere_is_the_day_its_shift_starts_on_this_stores_clock(here, there, start_there,
                                                                                   end_there):
    """A day worked is the day a shift starts on, counted on the clock this roster's days are (its days off, days in
    a row and one shift a day). S1's night shift starting Tuesday 00:30 in Berlin starts Monday 23:30 in London: to
    a London roster it was a Tuesday, so Monday stayed open (a shift there from 06:00, two shifts started on one
    London day) and Tuesday was closed though its evening is 11 h after the night. The day here is the day of the
    shift's start read on this store's clock; the rest around it is time that passed, as before."""
    ann = Employee("E1", "Ann", "S2", also_stores=("S1",), availability=(ALL_DAY,) * 7)
    shifts = pd.DataFrame([_shift("S1", start_there, end_there, 7.5)])
    (kept,), sentences = booked_elsewhere((ann,), shifts, MONDAY, RosterRules(min_rest_hours=11), time_zone=here,
                                          store_zones={"S1": there, "S2": here})
    starts_here = (pd.Timestamp(start_there).to_pydatetime().replace(tzinfo=ZoneInfo(there))
                   .astimezone(ZoneInfo(here)))
    day = (starts_here.date() - MONDAY).days
    assert kept.days_elsewhere == {day} and kept.availability[day] == ()
    assert [d for d in range(7) if not kept.availability[d]] == [day]
    shown = MONDAY + dt.timedelta(days=day)
    assert f"({shown:%a} {shown.day} {shown:%b}, its published roster)" in sentences[0]


@pytest.mark.parametrize(("here", "there", "start_there", "end_there", "own_day"),
                         [(LONDON, BERLIN, "2026-12-07 00:30", "2026-12-07 08:30", 0),
                          (BERLIN, LONDON, "2026-12-13 23:30", "2026-12-14 07:30", 6)])
def test_a_shift_elsewhere_in_another_week_by_this_stores_clock_keeps_its_own_rosters_day(here, there, start_there,
                                                                                          end_there, own_day):
    """Berlin's Monday 00:30 is London's Sunday 23:30 of the week before, London's Sunday 23:30 Berlin's Monday
    00:30 of the week after: read on this store's clock the day fell outside the week, so no day was kept off, the
    hours still counted in this week and the sentence named no day ("(, its published roster)"). Only this week's
    rosters are read, so the week's own day (the shift's on its own store's clock) is kept here."""
    ann = Employee("E1", "Ann", "S2", also_stores=("S1",), availability=(ALL_DAY,) * 7)
    shifts = pd.DataFrame([_shift("S1", start_there, end_there, 7.5)])
    (kept,), sentences = booked_elsewhere((ann,), shifts, MONDAY, RosterRules(min_rest_hours=11), time_zone=here,
                                          store_zones={"S1": there, "S2": here})
    here_day = (pd.Timestamp(start_there).to_pydatetime().replace(tzinfo=ZoneInfo(there))
                .astimezone(ZoneInfo(here)).date() - MONDAY).days
    assert not 0 <= here_day < 7  # the case: another week on this store's clock
    assert kept.days_elsewhere == {own_day} and kept.availability[own_day] == ()
    assert kept.hours_elsewhere == 7.5
    shown = MONDAY + dt.timedelta(days=own_day)
    assert f"({shown:%a} {shown.day} {shown:%b}, its published roster)" in sentences[0]
