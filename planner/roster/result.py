"""What a roster solve and a re-plan hand back: immutable records with the frames exports and pages read.

Frames (column lists below are the contract):
    shifts   one row per shift: store_id, employee_id, name, start, end, break_start (datetimes on the store's clock;
             NaT without a break), paid_hours (hours worked, as the store's time zone counts them), clock_change_hours
             (the change of the clocks the shift spans: +1, -1, else 0); and, not saved but derived where a roster is
             made or read back, business_date
    people   one row per employee: shifts, paid hours against the contract's min / max and the fair share, rule
             slack, evening / weekend / closing shifts, broken preferences
    hours    one row per clock hour the store is open or needs staff: required, scheduled and uncovered staff-hours
             (a half hour of one person is 0.5), and whether a keyholder is on the floor throughout
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from planner.roster.instance import RosterInstance
from planner.settings import RosterRules
from planner.shifts.candidates import Candidate

OPTIMAL, FEASIBLE, INFEASIBLE, NO_ROSTER_FOUND = "optimal", "feasible", "infeasible", "no_roster_found"
NOTHING_REQUIRED = "nothing_required"
STATUSES = (OPTIMAL, FEASIBLE, INFEASIBLE, NO_ROSTER_FOUND, NOTHING_REQUIRED)
"""optimal: proven best; feasible: a roster, not proven best (its gap is said); infeasible: the hard rules conflict;
no_roster_found: a limit (the time limit or the search's budget) came first; nothing_required: no staff needed and no
contract asks for hours."""

CLOCK_CHANGE_HOURS = "clock_change_hours"
"""The hours a change of the clocks adds to a shift's (`RosterInstance.clock_change_hours`), already in its
`paid_hours`: 1 for Saturday 22:00-06:00 on the night the clocks go back (9 hours worked), -1 on the night they go
forward (7). A roster saved before shifts were paid by the zone has none: read back as 0, as it was paid."""
SHIFT_COLUMNS = ["store_id", "employee_id", "name", "start", "end", "break_start", "paid_hours", CLOCK_CHANGE_HOURS]
BUSINESS_DATE = "business_date"
"""The date of the opening a shift works in (midnight of its business day, `planner.calendar`): Sunday 13 Dec for a
shift of Sunday 18:00-02:00 at 00:00+1, which starts on Monday 14 Dec by the clock. Not in `SHIFT_COLUMNS`, so never
saved: `report.business_date` derives it from the shift's assignment, which every saved roster holds."""


def business_dates(shifts: pd.DataFrame) -> pd.Series:
    """Per shift of `shifts`, midnight of the date whose opening it works in: its `BUSINESS_DATE`, or, in a frame or
    row without one, the date it starts on by the clock. What a day of a roster means wherever one is matched: an
    absence's dates, a withdrawn shift's day, a calendar event's date."""
    clock = pd.to_datetime(shifts["start"]).dt.normalize()
    if BUSINESS_DATE not in shifts:
        return clock
    return pd.to_datetime(shifts[BUSINESS_DATE]).dt.normalize().fillna(clock)


PEOPLE_COLUMNS = [
    "employee_id", "name", "shifts", "paid_hours", "contract_hours_min", "contract_hours_max", "week_min_hours",
    "fair_share_hours", "below_contract_min_hours", "hours_left_to_max", "evening_shifts", "weekend_shifts", "closing_shifts",
    "broken_preferences",
]
HOUR_COLUMNS = ["start", "required_staff_hours", "scheduled_staff_hours", "uncovered_staff_hours", "keyholder"]
CHANGE_COLUMNS = ["employee_id", "name", "day", "kind", "before", "after", "premium_hours", "inside_notice",
                  "before_today"]
ADDED, MOVED, SHORTENED, LENGTHENED, CANCELLED = "added", "moved", "shortened", "lengthened", "cancelled"
BREAK_MOVED = "break moved"
"""The same hours with the break at another time: said, as people plan their day around it, but earning no premium."""


@dataclass(frozen=True)
class Assignment:
    """One person on one shift (the shift's weekday, start, length and break, as the shift optimiser shapes it)."""

    employee_id: str
    shift: Candidate


@dataclass(frozen=True)
class Level:
    """One objective of the lexicographic solve (`measures.LEVELS`): what the roster reaches on it, the best bound
    known for it, and whether that is proven best."""

    name: str
    """`measures.COST` or `measures.FAIRNESS`."""
    objective: float
    """In currency: the roster's part of the cost on this level (as the checker counts it, and for a re-plan's cost
    level with its `changes`): the quantity `bound` bounds."""
    bound: float
    """In currency: no roster does better on this level (for FAIRNESS: none at a cost as low as the roster's, among
    the shifts the search offered); 0 when nothing is known."""
    proven: bool
    """True when the roster is proven best on this level (given the levels before it)."""
    seconds: float
    """Time the search spent on this level."""
    changes: float = 0.0
    """In currency: the part of `objective` that counts the changes to a published roster (a re-plan's
    `replan.Stability`, recounted by `check_changes`), which `bound` bounds with the rest; 0 for a roster made
    afresh, and in a re-plan stored before the cost level counted them."""

    @property
    def relative_gap(self) -> float:
        return 0.0 if self.objective <= 0 else max(0.0, self.objective - self.bound) / self.objective


@dataclass(frozen=True)
class Roster:
    instance: RosterInstance
    rules: RosterRules
    status: str
    """One of STATUSES."""
    status_sentence: str
    """The status in plain words for people (`status.status_sentence`): the hours left short of staff first, then
    what is proven, with the gap and why the search stopped when not proven best. Code branches on `status`."""
    assignments: tuple[Assignment, ...]
    shifts: pd.DataFrame
    """SHIFT_COLUMNS."""
    people: pd.DataFrame
    """PEOPLE_COLUMNS."""
    hours: pd.DataFrame
    """HOUR_COLUMNS."""
    sentences: tuple[str, ...]
    """One plain sentence, with its cause, for every uncovered span, keyholder gap, contract shortfall and broken
    preference."""
    objective: float
    """In currency: wages plus penalties, both levels (a re-plan's with the cost of its changes, `Level.changes`)."""
    best_bound: float
    """In currency: a lower bound on the cost level (wages and cover; a re-plan's counting its changes too), the
    level the roster is first chosen on."""
    solve_seconds: float
    levels: tuple[Level, ...] = ()
    """Per objective level, in the order solved: reached, bound, proven (empty when no search ran)."""
    quick: bool = False
    """True for the quick roster the search starts from (`greedy`, or a re-plan's published roster less what the
    change makes impossible), handed back because a limit came before the solver's own: nothing about it
    is proven."""

    @property
    def found(self) -> bool:
        """False when no roster was found: the rules leave none, or a limit came first."""
        return self.status not in (INFEASIBLE, NO_ROSTER_FOUND)

    @property
    def relative_gap(self) -> float:
        """The gap on the cost level: how far its wages and cover penalties may be above the least possible."""
        if self.levels:
            return self.levels[0].relative_gap
        return 0.0 if self.objective == 0 else abs(self.objective - self.best_bound) / abs(self.objective)

    @property
    def paid_hours(self) -> float:
        return float(self.shifts["paid_hours"].sum())


@dataclass(frozen=True)
class Change:
    """One shift of the published roster that the re-plan changes (or a shift it adds)."""

    employee_id: str
    name: str
    day: dt.date
    kind: str
    """added, moved, shortened, lengthened, cancelled or break moved."""
    before: str
    """The published shift ('09:00-17:30 break 13:00'), or '' when added."""
    after: str
    """The new shift, or '' when cancelled."""
    premium_hours: float
    """Hours of pay the change earns the employee (0 outside the notice window or when the person is absent)."""
    inside_notice: bool
    before_today: bool = False
    """On a day before the re-plan's `today`: what happened (an absence), not something the re-plan decided."""
    was: Candidate | None = None
    """The published shift as numbers (None when added): `before` is its text in full, a narrow table writes it
    short (`roster_export.short_changes`)."""
    now: Candidate | None = None
    """The new shift as numbers (None when cancelled)."""


@dataclass(frozen=True)
class Replan:
    roster: Roster
    """The re-planned roster."""
    changes: tuple[Change, ...]
    today: dt.date

    @property
    def found(self) -> bool:
        """False when no roster was found (the rules leave none, or a limit came first): nothing changes."""
        return self.roster.found

    @property
    def total_premium_hours(self) -> float:
        return sum(change.premium_hours for change in self.changes)

    @property
    def total_premium(self) -> float:
        """In currency: each change's premium hours at that person's wage."""
        instance = self.roster.instance
        return sum(c.premium_hours * instance.wage_of(instance.employee(c.employee_id)) for c in self.changes)

    @property
    def people_changed(self) -> tuple[str, ...]:
        return tuple(sorted({change.employee_id for change in self.changes}))

    def changes_frame(self) -> pd.DataFrame:
        """CHANGE_COLUMNS, one row per change."""
        rows = [[c.employee_id, c.name, c.day, c.kind, c.before, c.after, c.premium_hours, c.inside_notice,
                 c.before_today] for c in self.changes]
        return pd.DataFrame(rows, columns=CHANGE_COLUMNS)
