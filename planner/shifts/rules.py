"""The optimiser's rules, one class each. `build` adds a rule's constraints to the model and returns its objective
terms as (coefficient, variable) pairs; every variable is named after what it means (`under[S01 Sat 19:00]`).

Table of contents (hard rules, then soft ones):
    MaxStaff       no more than max_staff on the floor in any half hour
    MinStaff       min_staff on the floor in every open half hour with a requirement, whatever the budget
    Budget         paid staff-hours within the weekly budget
    Coverage       required staff in every half hour (hard with `hard_coverage`, else a convex penalty per uncovered
                   one: the larger the share of a half hour's need already uncovered, the dearer the next one)
    WageCost       the wage of every paid hour (breaks are unpaid)
    Surplus        a small penalty per staff-half-hour above the requirement (a tie-breaker)

Objective units: cents x half-hours, so every coefficient is a whole number. A term whose variable is None is a
constant.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from planner.settings import ShiftRules
from planner.shifts.candidates import Candidate
from planner.shifts.instance import SLOT_MINUTES, SLOTS_PER_WEEK, ShiftInstance, slot_labels

CENTS = 100
HALF_HOURS_PER_HOUR = 60 // SLOT_MINUTES
Terms = list[tuple[int, cp_model.IntVar | None]]


@dataclass
class ShiftVariables:
    """The model's variables: staff per candidate shift, and per slot the uncovered and surplus staff."""

    candidates: list[Candidate]
    cover: np.ndarray
    """candidates x slots, bool."""
    slots: np.ndarray
    """The slots this model covers (a component of the week)."""
    staff: list[cp_model.IntVar] = field(default_factory=list)
    staff_max: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    under: dict[int, list[cp_model.IntVar]] = field(default_factory=dict)
    """Per slot, the uncovered staff as segments of rising cost (their sum is the slot's uncovered staff)."""

    rows_by_slot: list[np.ndarray] = field(init=False)
    """Per week slot, the candidates on the floor then."""

    def __post_init__(self) -> None:
        slot_of, row_of = np.nonzero(self.cover.T)  # ordered by slot
        bounds = np.searchsorted(slot_of, np.arange(SLOTS_PER_WEEK + 1))
        self.rows_by_slot = [row_of[bounds[t] : bounds[t + 1]] for t in range(SLOTS_PER_WEEK)]

    def on_floor(self, slot: int) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.sum([self.staff[k] for k in self.rows_by_slot[slot]])


def wage_cents(instance: ShiftInstance) -> int:
    return max(1, round(instance.wage_per_hour * CENTS))


class MaxStaff:
    name = "max_staff"

    def build(self, instance: ShiftInstance, rules: ShiftRules, model: cp_model.CpModel, v: ShiftVariables) -> Terms:
        if instance.max_staff is not None:
            labels = slot_labels(instance.opening)
            for slot in v.slots:
                if len(v.rows_by_slot[slot]):
                    model.add(v.on_floor(slot) <= instance.max_staff).with_name(f"max_staff[{labels[slot]}]")
        return []


class MinStaff:
    """min_staff is hard wherever a shift can reach and max_staff allows it; the rest is reported as a conflict of
    the rules (`report.explain`), not left to the budget."""

    name = "min_staff"

    def build(self, instance: ShiftInstance, rules: ShiftRules, model: cp_model.CpModel, v: ShiftVariables) -> Terms:
        if rules.hard_coverage:
            return []  # Coverage already asks for at least the floor
        floor = reachable_floor(instance, v)
        labels = slot_labels(instance.opening)
        for slot in v.slots:
            if floor[slot] > 0:
                model.add(v.on_floor(slot) >= int(floor[slot])).with_name(
                    f"min_staff[{instance.store_id} {labels[slot]}]")
        return []


class Budget:
    name = "budget"

    def build(self, instance: ShiftInstance, rules: ShiftRules, model: cp_model.CpModel, v: ShiftVariables) -> Terms:
        if instance.budget_staff_hours is not None:
            paid = [round(c.paid_hours * HALF_HOURS_PER_HOUR) for c in v.candidates]
            limit = int(np.floor(instance.budget_staff_hours * HALF_HOURS_PER_HOUR))
            model.add(cp_model.LinearExpr.weighted_sum(v.staff, paid) <= limit).with_name("budget")
        return []


class Coverage:
    """Soft coverage splits a slot's uncovered staff into unit segments: the k-th uncovered of a need n costs
    base x (1 + shortfall_share_weight x k / n), a convex piecewise-linear penalty on the share uncovered that an LP
    fills cheapest first, so no ordering constraint is needed. Equal costs share one segment variable (all of them
    without a budget)."""

    name = "coverage"

    def build(self, instance: ShiftInstance, rules: ShiftRules, model: cp_model.CpModel, v: ShiftVariables) -> Terms:
        # Leaving a half hour uncovered must cost more than the dearest shift that could cover it.
        longest = max(rules.shift_lengths_hours) * HALF_HOURS_PER_HOUR
        base = wage_cents(instance) * (longest + 1)
        floor = reachable_floor(instance, v)
        labels = slot_labels(instance.opening)
        terms = []
        for slot in v.slots:
            need = int(instance.required[slot])
            if need == 0:
                continue
            label = f"{instance.store_id} {labels[slot]}"
            if rules.hard_coverage:
                model.add(v.on_floor(slot) >= need).with_name(f"cover[{label}]")
                continue
            segments = []
            # Without a budget nothing trades one hour's cover against another's: what stays uncovered is what the
            # rules cannot reach, so one segment at the base cost is the same model with far fewer variables.
            weight = rules.shortfall_share_weight if instance.budget_staff_hours is not None else 0.0
            for cost, first, count in _segments(base, weight, need, int(floor[slot])):
                share = f"{first}-{first + count - 1}" if count > 1 else f"{first}"
                under = model.new_int_var(0, count, f"under[{label} #{share} of {need}]")
                segments.append(under)
                terms.append((cost, under))
            v.under[int(slot)] = segments
            model.add(v.on_floor(slot) + sum(segments) >= need).with_name(f"cover[{label}]")
        return terms


class WageCost:
    name = "wage_cost"

    def build(self, instance: ShiftInstance, rules: ShiftRules, model: cp_model.CpModel, v: ShiftVariables) -> Terms:
        cents = wage_cents(instance)
        return [(cents * round(c.paid_hours * HALF_HOURS_PER_HOUR), x) for c, x in zip(v.candidates, v.staff, strict=True)]


class Surplus:
    """Staff above the requirement, summed over the slots, is the staff-slots put on the floor minus the required
    ones plus the uncovered ones: linear in the existing variables, so it needs no variable of its own."""

    name = "surplus"

    def build(self, instance: ShiftInstance, rules: ShiftRules, model: cp_model.CpModel, v: ShiftVariables) -> Terms:
        penalty = max(1, round(rules.surplus_penalty_share_of_wage * wage_cents(instance)))
        slots_on_floor = v.cover.sum(axis=1)
        terms = [(penalty * int(n), x) for n, x in zip(slots_on_floor, v.staff, strict=True)]
        required = int(instance.required[v.slots].sum())
        uncovered = [(penalty, under) for segments in v.under.values() for under in segments]
        return terms + uncovered + [(-penalty * required, None)]


RULES = (MaxStaff(), MinStaff(), Budget(), Coverage(), WageCost(), Surplus())
LEAST_PAID_RULES = (MaxStaff(), Coverage(), WageCost())
"""What `solve.least_paid_staff_hours` asks: cover the requirement within every rule but the budget, paying least."""


def reachable_floor(instance: ShiftInstance, v: ShiftVariables) -> np.ndarray:
    """The floor (min_staff) per slot where some shift reaches the slot, capped at max_staff."""
    reached = np.array([len(rows) > 0 for rows in v.rows_by_slot])
    floor = np.where(reached, instance.floor, 0)
    return floor if instance.max_staff is None else np.minimum(floor, instance.max_staff)


def _segments(base: int, weight: float, need: int, floor: int) -> list[tuple[int, int, int]]:
    """(cost per staff, first uncovered staff, how many) for the staff above `floor` that may stay uncovered."""
    segments: list[tuple[int, int, int]] = []
    for k in range(1, need - floor + 1):
        cost = round(base * (1 + weight * k / need))
        if segments and segments[-1][0] == cost:
            segments[-1] = (cost, segments[-1][1], segments[-1][2] + 1)
        else:
            segments.append((cost, k, 1))
    return segments


def staff_upper_bounds(instance: ShiftInstance, cover: np.ndarray) -> np.ndarray:
    """Per candidate: no optimal schedule puts more people on a shift than the largest need (or max_staff) of its
    slots, since one fewer would still cover every one of them."""
    need = np.where(cover, instance.required, 0).max(axis=1, initial=0)
    return need if instance.max_staff is None else np.minimum(need, instance.max_staff)

