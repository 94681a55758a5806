"""Why a roster's paid hours exceed the staff-hours its requirement asks for and it covers: hours on the floor above
the requirement, from the contracts' minimum hours or from whole shifts. Read from the roster's own frames (`people`,
`hours`, `planner.roster.result`), so a roster read back from storage says it as one just made does. Hours throughout.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

AT_MINIMUM_HOURS = 0.25
"""How close to the week's minimum a person's paid hours count as held there by it (a quarter hour: shifts move in
half hours)."""
SAID_FROM_HOURS = 0.05
"""Paid hours above the covered requirement below this are rounding, not said."""


@dataclass(frozen=True)
class PaidBeyond:
    """A roster's paid hours beyond the required staff-hours it covers, and what the roster knows of why."""

    paid_hours: float
    required_hours: float
    """The week's required staff-hours, as the roster's figures show them."""
    covered_hours: float
    """Required staff-hours the roster covers (required less uncovered)."""
    minimum_hours: float
    """The people's minimum hours this week summed (`week_min_hours`: the contracts' minimums less days away)."""
    people_at_minimum: int
    """People paid their week's minimum (within `AT_MINIMUM_HOURS`), above zero: held there by their contract."""

    @property
    def extra_hours(self) -> float:
        return self.paid_hours - self.covered_hours

    @property
    def covers_all(self) -> bool:
        """Every required staff-hour is covered (up to rounding, `SAID_FROM_HOURS`)."""
        return self.required_hours - self.covered_hours < SAID_FROM_HOURS

    @property
    def minimums_exceed_requirement(self) -> bool:
        """The contracts' minimums alone ask for more paid hours than the requirement covered: the extra is theirs."""
        return self.minimum_hours > self.covered_hours + SAID_FROM_HOURS


def paid_beyond_required(people: pd.DataFrame, hours: pd.DataFrame) -> PaidBeyond | None:
    """What a roster (its `people` and `hours` frames) pays beyond the required staff-hours it covers, or None where
    it pays no more than them."""
    paid = float(people["paid_hours"].sum()) if not people.empty else 0.0
    required = float(hours["required_staff_hours"].sum()) if not hours.empty else 0.0
    covered = required - float(hours["uncovered_staff_hours"].sum()) if not hours.empty else 0.0
    if paid - covered < SAID_FROM_HOURS:
        return None
    minimum = people["week_min_hours"].astype(float)
    at_minimum = int(((people["paid_hours"] - minimum).abs() <= AT_MINIMUM_HOURS)[minimum > 0].sum())
    return PaidBeyond(paid, required, covered, float(minimum.sum()), at_minimum)
