"""What a roster means, for people: its status in words, the shift, people and hour frames, and the sentences of
`findings` (one with its cause for every uncovered span, keyholder gap, contract shortfall and broken preference),
grouped as pages and the command line show them (`shown_findings`).

Everything here is read from the solver-free checker (`check`), so the report says what the roster does, not what the
model believed. Times in the frames are clock times of the week the roster is for; hours are paid hours, or staff
per hour averaged over the hour's slots.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.calendar import HOURS_PER_DAY, opening_minutes
from planner.roster.caveats import caveat_count
from planner.roster.check import RosterCheck, check_roster
from planner.roster.findings import explain
from planner.roster.instance import RosterInstance
from planner.roster.result import (
    BUSINESS_DATE, CLOCK_CHANGE_HOURS, HOUR_COLUMNS, INFEASIBLE, NO_ROSTER_FOUND, PEOPLE_COLUMNS, SHIFT_COLUMNS,
    Assignment, Roster,
)
from planner.roster.status import is_cost_proven, is_fairness_proven, status_sentence
from planner.settings import RosterRules
from planner.shifts.instance import SLOT_MINUTES, open_slot_mask, opening_week


def make_roster(instance: RosterInstance, rules: RosterRules, status: str, assignments: tuple[Assignment, ...],
                objective: float, best_bound: float, seconds: float, quick: bool = False, levels=(),
                replan: bool = False) -> Roster:
    """The roster with its frames and sentences, read from the checker; `quick`: the roster is the quick one the
    search starts from (the time limit came before the solver's own), `replan`: a re-plan of a published roster,
    both of which the status sentence says."""
    check = check_roster(instance, rules, assignments)
    roster = Roster(instance, rules, status, "", assignments, shift_frame(instance, assignments),
                    people_frame(instance, check), hour_frame(instance, check), (), objective, best_bound, seconds,
                    tuple(levels), quick)
    sentences = () if status in (INFEASIBLE, NO_ROSTER_FOUND) else explain(
        instance, rules, check, assignments, proven=is_cost_proven(status, roster.levels),
        fairness_proven=is_fairness_proven(status, roster.levels), quick=quick, seconds=seconds, replan=replan)
    said = status_sentence(roster, check, quick, replan)
    return Roster(instance, rules, status, said, assignments, roster.shifts, roster.people,
                  roster.hours, sentences, objective, best_bound, seconds, tuple(levels), quick)


@dataclass(frozen=True)
class Findings:
    """Sentences of a roster as shown: `lead`, a sentence with its full stop saying what the findings `said` share
    ("" when they share nothing), before them as a list."""

    lead: str
    said: tuple[str, ...]


def shown_findings(sentences) -> tuple[Findings, ...]:
    """A roster's sentences (`Roster.sentences`, or a saved roster's) as shown: those said alone first, in their order,
    then each caveat said once (`caveats.caveat_count`) as a sentence with its full stop before exactly the findings
    it names (shown as the first of the list, without its full stop, it read as a finding, and the findings said
    alone after it as if it named them too); () for none."""
    alone: list[str] = []
    led: list[Findings] = []
    at = 0
    while at < len(sentences):
        count = caveat_count(sentences[at])
        if count:
            led.append(Findings(f"{sentences[at].rstrip('.')}.", tuple(sentences[at + 1:at + 1 + count])))
        else:
            alone.append(sentences[at])
        at += 1 + count
    return (*([Findings("", tuple(alone))] if alone else []), *led)


def shift_frame(instance: RosterInstance, assignments) -> pd.DataFrame:
    """`SHIFT_COLUMNS` at the clock times the shifts fall on, their hours as worked (the store's zone counting a
    change of the clocks, `RosterInstance.paid_hours`), and each one's `BUSINESS_DATE`."""
    monday = pd.Timestamp(instance.week_start)
    rows = []
    for a in assignments:
        c, person = a.shift, instance.employee(a.employee_id)
        day = monday + pd.Timedelta(days=c.weekday)
        rows.append([instance.store_id, person.employee_id, person.name, day + pd.Timedelta(minutes=c.start_minute),
                     day + pd.Timedelta(minutes=c.end_minute),
                     day + pd.Timedelta(minutes=c.break_start_minute) if c.break_start_minute is not None else pd.NaT,
                     instance.paid_hours(c), instance.clock_change_hours(c), business_date(instance.week_start, c)])
    frame = pd.DataFrame(rows, columns=[*SHIFT_COLUMNS, BUSINESS_DATE])
    for column in ("start", "end", "break_start", BUSINESS_DATE):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("paid_hours", CLOCK_CHANGE_HOURS):
        frame[column] = frame[column].astype(float)
    return frame.sort_values(["start", "employee_id"], ignore_index=True)


def business_date(week_start, shift) -> pd.Timestamp:
    """Midnight of the day whose opening `shift` (a `Candidate` of the week from `week_start`) works in, as its label
    names it (`Candidate.opening_times`): Sunday's for Sunday 00:00+1-02:00+1, though it starts on the next Monday."""
    _, start, _, _ = shift.opening_times()
    return pd.Timestamp(week_start) + pd.Timedelta(days=shift.weekday, minutes=shift.start_minute - start)


def people_frame(instance: RosterInstance, check: RosterCheck) -> pd.DataFrame:
    rows = []
    for e in instance.employees:
        f = check.people[e.employee_id]
        rows.append([e.employee_id, e.name, f.shifts, f.paid_hours, e.contract_hours_min, e.contract_hours_max,
                     f.week_min_hours, f.fair_share_hours, f.below_contract_min_hours,
                     e.hours_left(e.contract_hours_max) - f.paid_hours,
                     f.evening_shifts, f.weekend_shifts, f.closing_shifts, len(f.broken_preferences)])
    return pd.DataFrame(rows, columns=PEOPLE_COLUMNS)


def hour_frame(instance: RosterInstance, check: RosterCheck) -> pd.DataFrame:
    """One row per clock hour that is open or has a requirement, at the time it falls on: the week's slots wrap
    round from Sunday to Monday, so the hours after midnight of Sunday's opening are the next Monday's, not this
    week's Monday morning's (`planner.calendar.opening_minutes` says which opening holds an hour)."""
    per_hour = 60 // SLOT_MINUTES
    open_hours = open_slot_mask(instance.opening).reshape(-1, per_hour).any(axis=1)
    required = instance.required.reshape(-1, per_hour).sum(axis=1) / per_hour
    keep = open_hours | (required > 0)
    monday = pd.Timestamp(instance.week_start)
    hours = np.flatnonzero(keep)
    weekday, minute = opening_minutes(opening_week(instance.opening), hours * 60)
    since_monday = weekday * HOURS_PER_DAY + minute // 60  # Sunday's night: a week on, past Sunday's midnight
    return pd.DataFrame({
        HOUR_COLUMNS[0]: [monday + pd.Timedelta(hours=int(h)) for h in since_monday],
        HOUR_COLUMNS[1]: required[hours],
        HOUR_COLUMNS[2]: check.on_floor.reshape(-1, per_hour).sum(axis=1)[hours] / per_hour,
        HOUR_COLUMNS[3]: check.under.reshape(-1, per_hour).sum(axis=1)[hours] / per_hour,
        HOUR_COLUMNS[4]: ~check.keyholder_gap.reshape(-1, per_hour).any(axis=1)[hours],
    }, columns=HOUR_COLUMNS).sort_values(HOUR_COLUMNS[0], ignore_index=True)
