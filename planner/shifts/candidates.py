"""Every shift a rule set allows for a store-week, and the slots each one puts on the floor.

A candidate is (weekday, start, length, break start): one integer variable per candidate in the model counts how
many staff work it. Candidates lie inside the day's opening span (widened by the duty before opening / after
closing), start on the step the rules allow, and, when longer than `break_for_shifts_over_hours`, take an unpaid
break starting on a half hour inside the window around the shift's midpoint; the break's slot is not covered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.hours import WEEKDAY_NAMES
from planner.settings import ShiftRules
from planner.shifts.instance import SLOT_MINUTES, SLOTS_PER_DAY, SLOTS_PER_WEEK, ShiftInstance, clock


@dataclass(frozen=True)
class Candidate:
    weekday: int
    start_minute: int
    """Minutes after the weekday's midnight (may pass 1,440 for a start after midnight of an evening opening)."""
    length_hours: int
    break_start_minute: int | None
    """Minutes after the weekday's midnight, or None without a break."""
    break_minutes: int

    @property
    def start_weekday(self) -> int:
        """The weekday the shift starts on by the clock (a start after midnight belongs to the next day)."""
        return (self.weekday + self.start_minute // (24 * 60)) % 7

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.length_hours * 60

    @property
    def paid_hours(self) -> float:
        return self.length_hours - (self.break_minutes / 60 if self.break_start_minute is not None else 0)

    def slots(self) -> np.ndarray:
        """Week slots on the floor (break excluded), wrapped around the week."""
        first = self.weekday * SLOTS_PER_DAY + self.start_minute // SLOT_MINUTES
        span = np.arange(first, first + self.length_hours * 60 // SLOT_MINUTES)
        if self.break_start_minute is not None:
            taken = self.weekday * SLOTS_PER_DAY + self.break_start_minute // SLOT_MINUTES
            span = span[(span < taken) | (span >= taken + self.break_minutes // SLOT_MINUTES)]
        return span % SLOTS_PER_WEEK

    def label(self, store_id: str = "") -> str:
        brk = f" break {clock(self.break_start_minute)}" if self.break_start_minute is not None else ""
        prefix = f"{store_id} " if store_id else ""
        return f"{prefix}{WEEKDAY_NAMES[self.start_weekday]} {clock(self.start_minute)}-{clock(self.end_minute)}{brk}"


def enumerate_candidates(instance: ShiftInstance, rules: ShiftRules) -> list[Candidate]:
    candidates = []
    for weekday, span in enumerate(instance.opening):
        if span is None:
            continue
        earliest = span[0] - rules.duty_before_opening_minutes
        latest = span[1] + rules.duty_after_closing_minutes
        first_start = -(-earliest // rules.start_step_minutes) * rules.start_step_minutes
        for start in range(first_start, latest, rules.start_step_minutes):
            for length in sorted(set(rules.shift_lengths_hours)):
                if start + length * 60 > latest:
                    continue
                for break_start in _break_starts(start, length, rules):
                    candidates.append(Candidate(weekday, start, length, break_start, rules.break_minutes))
    return candidates


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
