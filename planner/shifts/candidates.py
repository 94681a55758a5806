"""Every shift a rule set allows for a store-week, and the slots each one puts on the floor.

A candidate is (weekday, start, length, break start): one integer variable per candidate in the model counts how
many staff work it. Candidates lie inside the day's shift window (`shift_window`: the opening span widened by the
duty before opening / after closing, out to the half-hour slots holding its ends), start on the step the rules allow
or at the window's edges (`shift_starts`), and, when longer than `break_for_shifts_over_hours`, take an unpaid
break starting on a half hour inside the window around the shift's midpoint; the break's slot is not covered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.hours import MINUTES_PER_DAY, WEEKDAY_NAMES, day_clock, end_clock
from planner.settings import ShiftRules
from planner.shifts.instance import SLOT_MINUTES, SLOTS_PER_DAY, SLOTS_PER_WEEK, ShiftInstance


@dataclass(frozen=True)
class Candidate:
    weekday: int
    start_minute: int
    """Minutes after the weekday's midnight (may pass 1,440 for a start after midnight of an evening opening)."""
    length_hours: int
    break_start_minute: int | None
    """Minutes after the weekday's midnight, or None without a break."""
    break_minutes: int

    def opening_times(self) -> tuple[int, int, int, int | None]:
        """(weekday, start, end, break start) as the store opens: under the weekday of the opening the shift works
        in, in minutes after its midnight (1,440 and up past it: Sunday's 00:00+1, not Monday 00:00). A start before
        that midnight (duty before a 00:00 opening) is the day before's, as shifts.csv files it."""
        before = min(0, self.start_minute // MINUTES_PER_DAY)  # -1 for a start before the opening day's midnight
        origin = before * MINUTES_PER_DAY
        brk = None if self.break_start_minute is None else self.break_start_minute - origin
        return (self.weekday + before) % 7, self.start_minute - origin, self.end_minute - origin, brk

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.length_hours * 60

    @property
    def paid_hours(self) -> float:
        """Paid hours by the clock: the length less the unpaid break. The shift plan (its costs, budget and least paid
        staff-hours) and the half-hour requirement slots count by the clock, with no time zone: a plan is a week of
        weekdays, not of dates. A roster, a dated week of a store whose zone may be known, pays the hours worked
        instead (`planner.roster.instance.RosterInstance.paid_hours`: a night across a change of the clocks an hour
        more or less)."""
        return self.length_hours - (self.break_minutes / 60 if self.break_start_minute is not None else 0)

    def slots(self) -> np.ndarray:
        """Week slots on the floor (break excluded), wrapped around the week."""
        first = self.weekday * SLOTS_PER_DAY + self.start_minute // SLOT_MINUTES
        span = np.arange(first, first + self.length_hours * 60 // SLOT_MINUTES)
        if self.break_start_minute is not None:
            taken = self.weekday * SLOTS_PER_DAY + self.break_start_minute // SLOT_MINUTES
            span = span[(span < taken) | (span >= taken + self.break_minutes // SLOT_MINUTES)]
        return span % SLOTS_PER_WEEK

    def label(self, store_id: str = "", with_break: bool = True) -> str:
        """"S01 Sun 21:00-01:00+1 break 23:00": the weekday of the opening it works in (`opening_times`) and its
        `times`, as a schedule's report and files say it. Checks, CP-SAT names and roster sentences use it."""
        prefix = f"{store_id} " if store_id else ""
        return f"{prefix}{WEEKDAY_NAMES[self.opening_times()[0]]} {self.times(with_break)}"

    def times(self, with_break: bool = True) -> str:
        """"21:00-01:00+1 break 23:00": the times of `label`, after its opening's midnight with "+1", an end at
        that midnight "24:00"; for a row that names the day already (a re-plan's changes)."""
        _, start, end, brk = self.opening_times()
        pause = f" break {day_clock(brk)}" if with_break and brk is not None else ""
        return f"{day_clock(start)}-{end_clock(end)}{pause}"


def enumerate_candidates(instance: ShiftInstance, rules: ShiftRules) -> list[Candidate]:
    candidates = []
    for weekday, span in enumerate(instance.opening):
        if span is None:
            continue
        earliest, latest = shift_window(span, rules)
        for start, length in shift_starts(earliest, latest, rules):
            for break_start in _break_starts(start, length, rules):
                candidates.append(Candidate(weekday, start, length, break_start, rules.break_minutes))
    return candidates


def shift_window(span: tuple[int, int], rules: ShiftRules) -> tuple[int, int]:
    """(earliest start, latest end) of a day's shifts, in minutes after its midnight: the opening less the duty
    before it, rounded down to the half-hour slot holding it, and the closing plus the duty after it, rounded up to
    the slot holding it. The requirement is per slot and a slot the store is open for part of needs its staff, so a
    shift may reach the whole slot: a close at 21:15 lets a shift end at 21:30 (else 21:00-21:30 could never be
    covered), an opening at 09:15 lets one start at 09:00."""
    earliest = (span[0] - rules.duty_before_opening_minutes) // SLOT_MINUTES * SLOT_MINUTES
    latest = -(-(span[1] + rules.duty_after_closing_minutes) // SLOT_MINUTES) * SLOT_MINUTES
    return earliest, latest


def shift_starts(earliest: int, latest: int, rules: ShiftRules) -> list[tuple[int, int]]:
    """(start, length in hours) of every shift inside [earliest, latest], by start then length: starts on the
    multiples of `start_step_minutes`, and, where the window's edges are off that grid (an opening at 09:30 with
    whole-hour starts), also a start at the earliest start and ends at the latest end, one per length.

    Anchoring shifts at the edges, rather than allowing every half hour on such a day, keeps the planner's step
    everywhere else: the day's other shifts still start on whole hours, the model stays the size it was, and a
    day on the grid gets exactly the shifts it always had (its edges are grid starts already). Every slot of a
    window at least a shift long can then be covered: the first shift from the opening, the last to the closing,
    and between them a shift from the last grid start at or before the slot."""
    step = rules.start_step_minutes
    pairs = set()
    for length in set(rules.shift_lengths_hours):
        last_start = latest - length * 60
        if last_start < earliest:
            continue
        pairs.update((start, length) for start in range(-(-earliest // step) * step, last_start + 1, step))
        pairs.update({(earliest, length), (last_start, length)})
    return sorted(pairs)


def coverage_matrix(candidates: list[Candidate]) -> np.ndarray:
    """Boolean matrix candidates x week slots: does the candidate put one person on the floor in that slot?"""
    matrix = np.zeros((len(candidates), SLOTS_PER_WEEK), dtype=bool)
    for row, candidate in enumerate(candidates):
        matrix[row, candidate.slots()] = True
    return matrix


def _break_starts(start: int, length_hours: int, rules: ShiftRules) -> list[int | None]:
    if length_hours <= rules.break_for_shifts_over_hours:
        return [None]
    midpoint = start + length_hours * 30
    first = midpoint - rules.break_window_before_midpoint_minutes
    last = midpoint + rules.break_window_after_midpoint_minutes
    first = -(-first // SLOT_MINUTES) * SLOT_MINUTES
    end = start + length_hours * 60
    return [b for b in range(first, last + 1, SLOT_MINUTES) if start < b and b + rules.break_minutes < end]
