"""The roster model's variables, created in one place and named after what they mean.

A *span* is a shift on the clock (weekday, start, length) whose unpaid break is not yet placed; its break options
are the shift optimiser's candidates for that span. Each person gets one yes/no variable per span that the
person-level rules allow (`take[Anna B. Sat 10:00-18:30]`); who takes which break matters only for the floor, so per
span the breaks are counted, not assigned (`breaks[keyholders Sat 10:00-18:30 break 14:00]`), separately for
keyholders (whose breaks decide the keyholder cover) and everyone else, and handed to people after the solve.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from planner.roster.instance import RosterInstance
from planner.roster.people import Employee
from planner.shifts.candidates import Candidate, enumerate_candidates
from planner.hours import WEEKDAY_NAMES
from planner.shifts.instance import SLOT_MINUTES, SLOTS_PER_WEEK, open_slot_mask

MINUTES_PER_DAY = 24 * 60
HALF_HOURS_PER_HOUR = 60 // SLOT_MINUTES
KEYHOLDERS, OTHERS = "keyholders", "others"


@dataclass(frozen=True)
class Span:
    weekday: int
    start_minute: int
    """Minutes after the weekday's midnight."""
    length_hours: int
    options: tuple[Candidate, ...]
    """The break placements the shift rules allow (one candidate without a break for a short shift)."""
    clock_change_hours: float = 0.0
    """The change of the clocks the span runs across, in hours (`RosterInstance.clock_change_hours`): +1 on the
    night they go back, so a Saturday 22:00-06:00 works and is paid 9 hours."""

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.length_hours * 60

    @property
    def week_start_minute(self) -> int:
        """Start in minutes from Monday 00:00 of the week."""
        return self.weekday * MINUTES_PER_DAY + self.start_minute

    @property
    def week_end_minute(self) -> int:
        return self.week_start_minute + self.length_hours * 60

    @property
    def paid_half_hours(self) -> int:
        return round(self.paid_hours * HALF_HOURS_PER_HOUR)

    @property
    def paid_hours(self) -> float:
        """Hours worked and paid, break excluded: the clock's, and the change of the clocks the span runs across."""
        return self.options[0].paid_hours + self.clock_change_hours

    def label(self) -> str:
        """"Sun 21:00-01:00+1": the shift's label (`Candidate.label`, by the opening it works in) without a break."""
        return self.options[0].label(with_break=False)


def enumerate_spans(instance: RosterInstance) -> list[Span]:
    grouped: dict[tuple[int, int, int], list[Candidate]] = defaultdict(list)
    for c in enumerate_candidates(instance.as_shift_instance(), instance.shift_rules):
        grouped[(c.weekday, c.start_minute, c.length_hours)].append(c)
    return [Span(day, start, length, tuple(options), instance.clock_change_hours(options[0]))
            for (day, start, length), options in sorted(grouped.items())]


def span_of(shift: Candidate) -> tuple[int, int, int]:
    return shift.weekday, shift.start_minute, shift.length_hours


@dataclass
class RosterVariables:
    instance: RosterInstance
    spans: list[Span]
    take: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """(person index, span index) -> 1 when that person works that span."""
    works: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """(person index, weekday) -> 1 when that person works that day (only where some span is allowed)."""
    breaks: dict[tuple[str, int, int], cp_model.LinearExprT] = field(default_factory=dict)
    """(group, span index, option index) -> how many of the group work the span with that break placement."""
    floor_terms: list[list[cp_model.LinearExprT]] = field(default_factory=list)
    keyholder_terms: list[list[cp_model.LinearExprT]] = field(default_factory=list)

    @property
    def employees(self) -> tuple[Employee, ...]:
        return self.instance.employees

    def day_takes(self, person: int, weekday: int) -> list[tuple[int, cp_model.IntVar]]:
        return self._by_day.get((person, weekday), [])

    def person_takes(self, person: int) -> list[tuple[int, cp_model.IntVar]]:
        return self._by_person[person]

    def paid_half_hours(self, person: int) -> cp_model.LinearExprT:
        pairs = self._by_person[person]
        paid = [self.spans[s].paid_half_hours for s, _ in pairs]
        return cp_model.LinearExpr.weighted_sum([x for _, x in pairs], paid)

    def on_floor(self, slot: int) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.sum(self.floor_terms[slot])

    def keyholders_on_floor(self, slot: int) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.sum(self.keyholder_terms[slot])

    def __post_init__(self) -> None:
        self._by_person: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        self._by_day: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)


def create_variables(instance: RosterInstance, rules, model: cp_model.CpModel, rule_set,
                     keep: set[tuple[int, int, int]] | None = None) -> RosterVariables:
    """Every variable of the model: a `take` per person and span that every rule's `allows` accepts, a `works` per
    person and day, and the break counts per group and span; the floor sums per slot are gathered here too. `keep`
    limits the spans to those listed."""
    spans = enumerate_spans(instance)
    if keep is not None:  # a smaller model over these spans only (weekday, start, length)
        spans = [span for span in spans if (span.weekday, span.start_minute, span.length_hours) in keep]
    v = RosterVariables(instance, spans)
    allows = [rule.allows for rule in rule_set if hasattr(rule, "allows")]
    for p, person in enumerate(instance.employees):
        for s, span in enumerate(v.spans):
            if all(allowed(instance, rules, person, span) for allowed in allows):
                x = model.new_bool_var(f"take[{person.name} ({person.employee_id}) {span.label()}]")
                v.take[(p, s)] = x
                v._by_person[p].append((s, x))
                v._by_day[(p, span.weekday)].append((s, x))
    for (p, day), pairs in v._by_day.items():
        works = model.new_bool_var(f"works[{instance.employees[p].employee_id} {WEEKDAY_NAMES[day]}]")
        v.works[(p, day)] = works
        model.add(works <= cp_model.LinearExpr.sum([x for _, x in pairs]))
        for _, x in pairs:
            model.add_implication(x, works)
    _break_counts(instance, model, v)
    return v


def _break_counts(instance: RosterInstance, model: cp_model.CpModel, v: RosterVariables) -> None:
    floor: list[list] = [[] for _ in range(SLOTS_PER_WEEK)]
    keyholder: list[list] = [[] for _ in range(SLOTS_PER_WEEK)]
    on_span: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for (p, s), x in v.take.items():
        on_span[(KEYHOLDERS if instance.employees[p].is_keyholder else OTHERS, s)].append(x)
    for (group, s), xs in sorted(on_span.items()):
        span = v.spans[s]
        total = cp_model.LinearExpr.sum(xs)
        if len(span.options) == 1:
            counts = [total]
        else:
            counts = [model.new_int_var(0, len(xs), f"breaks[{group} {option.label()}]") for option in span.options]
            model.add(cp_model.LinearExpr.sum(counts) == total)
        for o, (option, count) in enumerate(zip(span.options, counts, strict=True)):
            v.breaks[(group, s, o)] = count
            for slot in option.slots():
                floor[slot].append(count)
                if group == KEYHOLDERS:
                    keyholder[slot].append(count)
    v.floor_terms, v.keyholder_terms = floor, keyholder


def open_slots(instance: RosterInstance) -> np.ndarray:
    """Slots from opening to closing (the span the keyholder cover asks for)."""
    return np.flatnonzero(open_slot_mask(instance.opening))
