"""A store-week to roster: required staff per half-hour slot, opening spans, the people who may work there, their
absences, and what came just before the week (for the rest and days-in-a-row rules).

Time is counted as in `planner.shifts`: half-hour slots from Monday 00:00 of the ISO week `week_start` begins, and
shift times in minutes after that weekday's midnight, both on the store's clock. A shift's hours worked and paid are
its real elapsed hours where the store's time zone is known (`time_zone`): a night across a change of the clocks
works an hour more or less than its clock says (`clock_change_hours`, from the zone's own rules in zoneinfo). A
clock time in the hour the clocks skip is the moment they jump (Saturday 18:30-02:30 on the night they go forward at
02:00 works 7.5 hours); one in the hour they repeat is its first occurrence (Saturday 18:30-02:30 on the night they go
back at 03:00 works 8, ending before they go back). The
requirement's half-hour slots stay by the clock: the hour the clocks repeat is one slot pair, the hour they skip is
still asked for, as the plan's schedule has them. The shape of a shift (lengths, start step, breaks) is the shift
optimiser's (`ShiftRules`); the labour rules are `RosterRules`, passed to `solve_roster` beside the instance.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from planner.hours import MINUTES_PER_DAY
from planner.roster.people import Absence, Employee
from planner.settings import ShiftRules
from planner.shifts import instance as shift_instance
from planner.shifts.candidates import Candidate
from planner.shifts.instance import SLOT_MINUTES, SLOTS_PER_DAY, SLOTS_PER_WEEK, ShiftInstance


@dataclass(frozen=True, eq=False)
class RosterInstance:
    store_id: str
    week_start: dt.date
    """The Monday the week starts on."""
    required: np.ndarray
    """Required staff per slot (int, length SLOTS_PER_WEEK)."""
    opening: tuple[tuple[int, int] | None, ...]
    """Per weekday, the open span in minutes from that day's midnight (close may pass 1,440), or None (closed)."""
    employees: tuple[Employee, ...]
    """The people who may work in this store this week (home store or `also_stores`), in a stable order."""
    absences: tuple[Absence, ...] = ()
    wage_per_hour: float = 1.0
    """The store's wage, for people whose file gives none."""
    shift_rules: ShiftRules = field(default_factory=ShiftRules)
    """What a shift may look like (lengths, start step, breaks); shared with the shift optimiser."""
    days_worked_before: Mapping[str, int] = field(default_factory=dict)
    """Employee id -> working days in a row up to and including the Sunday before the week (0 when absent)."""
    last_end_before_minute: Mapping[str, int] = field(default_factory=dict)
    """Employee id -> end of that person's last shift before the week, in minutes relative to the week's start
    (negative: -120 is Sunday 22:00); absent means long enough ago."""
    max_staff: int | None = None
    """The most people the store's floor takes in any half hour (the store file's `max_staff`); None: no limit."""
    history_days: int = 0
    """The week's first days (0-7) that are history to a re-plan made later in the week: they stay as worked, and a
    shortfall there is said as past, not explained as a choice."""
    kept_days: frozenset[int] = frozenset()
    """Weekdays (0 = Monday) a re-plan keeps as published from today on too (`RosterRules.keep_untouched_days`): a
    wish broken there is said as kept, not explained as a choice."""
    time_zone: str | None = None
    """The IANA time zone the store's clock keeps (`planner.targets.resolve_time_zones`), whose changes of the clocks
    make a night shift's hours worked differ from its clock hours; None (or a name this machine does not know):
    every shift is paid by the clock, as before the zone was known."""

    def __post_init__(self) -> None:
        if self.week_start.weekday() != 0:
            raise ValueError(f"{self.store_id}: week_start must be a Monday, got {self.week_start:%a %Y-%m-%d}")
        required = np.asarray(self.required, dtype=np.int64)
        if required.shape != (SLOTS_PER_WEEK,) or (required < 0).any():
            raise ValueError(f"{self.store_id}: required must hold {SLOTS_PER_WEEK} non-negative slot values")
        object.__setattr__(self, "required", required)
        if len(self.opening) != 7:
            raise ValueError(f"{self.store_id}: opening needs 7 weekdays, got {len(self.opening)}")
        ids = [e.employee_id for e in self.employees]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{self.store_id}: an employee id appears twice")

    @property
    def days(self) -> tuple[dt.date, ...]:
        return tuple(self.week_start + dt.timedelta(days=d) for d in range(7))

    @property
    def required_staff_hours(self) -> float:
        """Required staff-hours: a lower bound on paid hours of any roster covering the requirement."""
        return float(self.required.sum()) * SLOT_MINUTES / 60

    def employee(self, employee_id: str) -> Employee:
        return next(e for e in self.employees if e.employee_id == employee_id)

    def absent(self, employee_id: str, weekday: int) -> Absence | None:
        """The absence keeping this person from a shift of `weekday`'s opening (a shift's weekday is its opening's:
        Sunday's 00:00+1 is Sunday's), or None."""
        day = self.week_start + dt.timedelta(days=weekday)
        return next((a for a in self.absences if a.employee_id == employee_id and a.covers(day)), None)

    def clock_change_hours(self, shift: Candidate) -> float:
        """The hours a change of the clocks adds to `shift` (negative: takes away), between its start and end: +1 on
        the night the clocks go back, -1 on the night they go forward, 0 for any other shift and without a known
        zone; -0.5 for a shift ending at 02:30 on the night the clocks jump from 02:00 to 03:00 (a time in the skipped
        hour is the jump; one in the repeated hour its first occurrence). A break across the change keeps its clock
        length (it is unpaid either way)."""
        start = shift.weekday * MINUTES_PER_DAY + shift.start_minute
        end = shift.weekday * MINUTES_PER_DAY + shift.end_minute
        return (self.elapsed_minutes(start, end) - (end - start)) / 60

    def elapsed_minutes(self, end: int, start: int) -> int:
        """The minutes that pass from `end` (a shift's end) to `start` (a later shift's start), both minutes from
        the week's Monday 00:00 on the store's clock (negative: before the week): their difference on the clock
        and any change of the clocks between them. What rest between shifts is measured by."""
        return self.elapsed_minute(start) - self.elapsed_minute(end)

    def elapsed_minute(self, week_minute: int) -> int:
        """The minutes that pass from the week's Monday 00:00 to `week_minute` on the store's clock: `week_minute`
        itself without a known zone or in a week without a change of the clocks."""
        return elapsed_minute(self.time_zone, self.week_start, week_minute)

    def paid_hours(self, shift: Candidate) -> float:
        """The hours `shift` works and is paid, break excluded: its clock hours (`Candidate.paid_hours`) and the
        change of the clocks it spans (`clock_change_hours`). What every roster rule, cost and frame counts."""
        return shift.paid_hours + self.clock_change_hours(shift)

    @property
    def clock_changes_hours(self) -> tuple[float, ...]:
        """What each change of the clocks a shift of this week may span adds to it (+1 going back, -1 going
        forward), from the day before the Monday to the Wednesday after (a shift may start before its opening's
        midnight and run past the next); () without a known zone or a change. The model's prices and bounds read
        it: the longest shift may be paid more than its clock length, the least cover less."""
        return _clock_changes(self.time_zone, self.week_start)

    def wage_of(self, employee: Employee) -> float:
        return self.wage_per_hour if employee.wage_per_hour is None else employee.wage_per_hour

    def as_shift_instance(self) -> ShiftInstance:
        """The same store-week for the shift optimiser (no people): its least paid hours bound the roster's."""
        return ShiftInstance(self.store_id, self.required, self.opening, self.wage_per_hour, self.max_staff)

    def with_changes(self, *, absences: Iterable[Absence] = (), required: np.ndarray | None = None,
                     demand_factor: float | None = None) -> RosterInstance:
        """The same week after a change: more absences, a new requirement, or the requirement times a factor
        (rounded up to whole staff)."""
        new_required = self.required if required is None else np.asarray(required, dtype=np.int64)
        if demand_factor is not None:
            new_required = np.ceil(new_required * demand_factor - 1e-9).astype(np.int64)
        return RosterInstance(self.store_id, self.week_start, new_required, self.opening, self.employees,
                              (*self.absences, *absences), self.wage_per_hour, self.shift_rules,
                              self.days_worked_before, self.last_end_before_minute, self.max_staff,
                              self.history_days, time_zone=self.time_zone)


def changed_days(before: RosterInstance, after: RosterInstance) -> frozenset[int]:
    """The weekdays (0 = Monday) a change from `before` to `after` touches: those whose requirement or opening differ
    (a day's slots from its midnight to its close, past midnight too), or whose people differ in who may work (a
    person added or gone, an absence, availability windows, a day worked in another store)."""
    people_before = {e.employee_id: e for e in before.employees}
    people_after = {e.employee_id: e for e in after.employees}
    touched = set()
    for day in range(7):
        if before.opening[day] != after.opening[day] or not np.array_equal(
                before.required[_day_slots(before, day)], after.required[_day_slots(after, day)]):
            touched.add(day)
            continue
        for employee_id in people_before.keys() | people_after.keys():
            was, now = people_before.get(employee_id), people_after.get(employee_id)
            if was is None or now is None or _may_work(before, was, day) != _may_work(after, now, day):
                touched.add(day)
                break
    return frozenset(touched)


def _day_slots(instance: RosterInstance, day: int) -> np.ndarray:
    """The week slots of `day`: its calendar day and, for a store closing after midnight, on to its close."""
    opening = instance.opening[day]
    end_minute = max(24 * 60, opening[1] if opening is not None else 0)
    first = day * SLOTS_PER_DAY
    # a close at 01:15 holds the 01:00 slot, which a shift may reach (`shifts.candidates.shift_window`)
    return np.arange(first, first - (-end_minute // SLOT_MINUTES)) % SLOTS_PER_WEEK


def _may_work(instance: RosterInstance, employee: Employee, day: int) -> tuple:
    return (employee.availability[day], day in employee.days_elsewhere,
            instance.absent(employee.employee_id, day) is not None)


def from_store(
    store: pd.Series,
    required_by_day_hour: np.ndarray,
    week_start: dt.date,
    employees: Iterable[Employee],
    absences: Iterable[Absence] = (),
    *,
    shift_rules: ShiftRules | None = None,
    days_worked_before: Mapping[str, int] | None = None,
    last_end_before_minute: Mapping[str, int] | None = None,
    min_staff_cover: bool = False,
    time_zone: str | None = None,
) -> RosterInstance:
    """From a store row (`StoreSchema`), its 7 x 24 required staff (NaN = no recommendation: rostered as 0, or, with
    `min_staff_cover`, as the store's min_staff, as the shift optimiser folds it in), the Monday of the week, and the
    employees (those who may not work in this store are left out) and absences."""
    shifts = shift_instance.from_store(store, required_by_day_hour, min_staff_cover=min_staff_cover)
    return _roster_instance(shifts, week_start, employees, absences, shift_rules, days_worked_before,
                            last_end_before_minute, time_zone)


def from_hourly(
    store_id: str,
    required_by_day_hour: np.ndarray,
    week_start: dt.date,
    employees: Iterable[Employee],
    absences: Iterable[Absence] = (),
    *,
    opening: tuple[tuple[int, int] | None, ...] | None = None,
    wage_per_hour: float = 1.0,
    max_staff: int | None = None,
    shift_rules: ShiftRules | None = None,
    days_worked_before: Mapping[str, int] | None = None,
    last_end_before_minute: Mapping[str, int] | None = None,
    time_zone: str | None = None,
) -> RosterInstance:
    """From a 7 x 24 table of required staff (without `opening`, a day is open from its first to the end of its last
    hour with a requirement, as `planner.shifts.from_hourly` reads it)."""
    shifts = shift_instance.from_hourly(store_id, required_by_day_hour, opening, wage_per_hour=wage_per_hour,
                                        max_staff=max_staff)
    return _roster_instance(shifts, week_start, employees, absences, shift_rules, days_worked_before,
                            last_end_before_minute, time_zone)


def _roster_instance(shifts: ShiftInstance, week_start, employees, absences, shift_rules, days_worked_before,
                     last_end_before_minute, time_zone) -> RosterInstance:
    here = tuple(e for e in employees if shifts.store_id in e.stores)
    ids = {e.employee_id for e in here}
    return RosterInstance(
        shifts.store_id, week_start, shifts.required, shifts.opening, here,
        tuple(a for a in absences if a.employee_id in ids), shifts.wage_per_hour, shift_rules or ShiftRules(),
        dict(days_worked_before or {}), dict(last_end_before_minute or {}), shifts.max_staff, time_zone=time_zone,
    )


def elapsed_minute(time_zone: str | None, week_start: dt.date, week_minute: int) -> int:
    """`RosterInstance.elapsed_minute` for a store-week not yet an instance: the minutes that pass from the Monday
    `week_start`'s 00:00 to `week_minute` on the clock of `time_zone` (None or unknown: by the clock)."""
    if _zone(time_zone) is None or not _clock_changes(time_zone, week_start):  # most weeks: a cached answer
        return week_minute
    return _elapsed_minute(time_zone, week_start, week_minute)


def utc_moment(clock: dt.datetime, time_zone: str | None) -> dt.datetime | None:
    """The moment `clock` (naive) is on the clock of `time_zone`, read as a roster reads its shifts (`_utc`: a
    repeated time's first occurrence, a skipped one the jump); None without a known zone. What compares shifts of
    stores in different zones."""
    zone = _zone(time_zone)
    return None if zone is None else _utc(clock, zone)


def clock_of(moment: dt.datetime, time_zone: str | None) -> dt.datetime | None:
    """The naive clock time the aware `moment` reads on the clock of `time_zone`; None without a known zone. What
    reads a shift of a store in another zone on this store's clock (`utc_moment`'s converse)."""
    zone = _zone(time_zone)
    return None if zone is None else moment.astimezone(zone).replace(tzinfo=None)


@cache
def _elapsed_minute(name: str, week_start: dt.date, week_minute: int) -> int:
    zone = _zone(name)
    monday = dt.datetime.combine(week_start, dt.time())
    at = monday + dt.timedelta(minutes=week_minute)
    # aware datetimes of one zone subtract by the clock: UTC counts what passed
    return round((_utc(at, zone) - _utc(monday, zone)).total_seconds() / 60)


def _utc(clock: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The moment `clock` (naive, on `zone`'s clock) is: a time the clock repeats, its first occurrence (fold 0); a
    time the clock skips (02:30 on the night they go forward at 02:00), the moment the clocks jump, since a shift
    cannot end or start in an hour that never came (fold 0 alone would read it as an hour later)."""
    if not _skipped(clock, zone):
        return clock.replace(tzinfo=zone).astimezone(dt.timezone.utc)
    # skipped: the last minute before the gap exists; the jump is the minute after it
    before = clock - dt.timedelta(minutes=1)
    while _skipped(before, zone):
        before -= dt.timedelta(minutes=1)
    return before.replace(tzinfo=zone).astimezone(dt.timezone.utc) + dt.timedelta(minutes=1)


def _skipped(clock: dt.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    return clock.replace(tzinfo=zone).astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None) != clock


@cache
def _clock_changes(name: str | None, week_start: dt.date) -> tuple[float, ...]:
    zone = _zone(name)
    if zone is None:
        return ()
    first = dt.datetime.combine(week_start - dt.timedelta(days=1), dt.time(), tzinfo=dt.timezone.utc)
    offsets = [(first + dt.timedelta(hours=hour)).astimezone(zone).utcoffset() for hour in range(10 * 24 + 1)]
    return tuple((before - after).total_seconds() / 3600 for before, after in zip(offsets, offsets[1:])
                 if before != after)


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone of `name`, or None without one or for a name this machine's database does not know (a saved name a
    later tzdata dropped: its calendars are refused, `planner.roster_export.calendar_refusal`; its roster is paid by
    the clock rather than not made)."""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
