"""The people a roster assigns, as typed values: employees with their contracts and availability, and absences.

These are the contract between the employee and absence files (`planner.io.employees`, which reads and validates
them), the database, and the roster model (`planner.roster`). Times are minutes after midnight of the day they start
on; an end above 1,440 runs past midnight. Weekday 0 = Monday. Hours are per week unless a name says per day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

KEYHOLDER = "keyholder"
"""The skill needed to open and close a store (by default at least one on the floor from opening to closing)."""

PREFER_EARLY, PREFER_LATE = "early", "late"


@dataclass(frozen=True)
class Window:
    """A span of one day in which a person can work: minutes after that day's midnight (end may pass 1,440)."""

    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        if not 0 <= self.start_minute < self.end_minute <= 2 * 24 * 60:
            raise ValueError(f"a window must start before it ends, within two days: {self.start_minute}-"
                             f"{self.end_minute} minutes")

    def holds(self, start_minute: int, end_minute: int) -> bool:
        return self.start_minute <= start_minute and end_minute <= self.end_minute


ANY_TIME = Window(0, 2 * 24 * 60)
"""A blank availability cell: any shift starting that day, one running past midnight included (as 00:00-24:00
was, no one could close a store open to 01:00)."""


@dataclass(frozen=True)
class Employee:
    employee_id: str
    name: str
    store_id: str
    """Home store."""
    also_stores: tuple[str, ...] = ()
    """Other stores this person may be rostered in."""
    skills: frozenset[str] = frozenset()
    contract_hours_min: float = 0.0
    contract_hours_max: float = 40.0
    max_hours_per_day: float | None = None
    """None: the labour rules' default applies."""
    wage_per_hour: float | None = None
    """None: the home store's wage."""
    availability: tuple[tuple[Window, ...], ...] = field(default_factory=lambda: ((ANY_TIME,),) * 7)
    """Per weekday (0 = Monday) the windows this person can work; an empty tuple is a day off ("off")."""
    preferred_days_off: frozenset[int] = frozenset()
    """Weekdays this person would rather not work (a soft preference)."""
    prefers: str | None = None
    """`early`, `late` or None: a soft preference for the time of day."""
    hours_elsewhere: float = 0.0
    """Paid hours this week in other stores' published rosters (`planner.roster.elsewhere`): they count against the
    contract and the week's legal maximum here."""
    days_elsewhere: frozenset[int] = frozenset()
    """Weekdays (0 = Monday) this person works in another store this week: working days for the days off and the
    days in a row here."""

    def __post_init__(self) -> None:
        if len(self.availability) != 7:
            raise ValueError(f"{self.employee_id}: availability needs 7 weekdays, got {len(self.availability)}")
        if not 0 <= self.contract_hours_min <= self.contract_hours_max:
            raise ValueError(f"{self.employee_id}: contract hours need 0 <= min <= max, got "
                             f"{self.contract_hours_min}-{self.contract_hours_max}")
        if self.prefers not in (None, PREFER_EARLY, PREFER_LATE):
            raise ValueError(f"{self.employee_id}: prefers must be early, late or empty, got {self.prefers!r}")

    def weekly_limit(self, legal_max_hours: float) -> float:
        """The most paid hours this person may still work here this week: the contract's maximum and the legal
        weekly maximum, less the hours worked elsewhere."""
        return self.hours_left(min(self.contract_hours_max, legal_max_hours))

    def hours_left(self, limit_hours: float) -> float:
        """What is left of a weekly limit in hours once the hours worked elsewhere are taken off (never below 0)."""
        return max(0.0, limit_hours - self.hours_elsewhere)

    @property
    def stores(self) -> tuple[str, ...]:
        return (self.store_id, *self.also_stores)

    @property
    def is_keyholder(self) -> bool:
        return KEYHOLDER in self.skills


@dataclass(frozen=True)
class Absence:
    """Leave or a sick day: the person cannot work any shift of the opening of a date from `first_day` to `last_day`
    (both included), its hours past midnight included (Sunday's 00:00+1, though Monday by the clock)."""

    employee_id: str
    first_day: dt.date
    last_day: dt.date
    reason: str = ""

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(f"{self.employee_id}: absence ends ({self.last_day}) before it starts ({self.first_day})")

    def covers(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day

    def days(self) -> list[dt.date]:
        """Every date of the absence, first to last."""
        return [self.first_day + dt.timedelta(days=d) for d in range((self.last_day - self.first_day).days + 1)]
