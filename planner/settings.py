"""Every default the planner uses, in one frozen (hashable) object.

Units are in the field names. Nothing else in the package writes a default twice: functions take a `Settings`
(or one of its parts) and read from it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATABASE_URL_ENV = "PLANNER_DATABASE_URL"


@dataclass(frozen=True)
class ServiceTargets:
    """What "enough staff" means for customers who want help (the assistance-seeking class)."""

    target_service_level: float = 0.80
    """Share of all assistance-seeking arrivals approached within `target_wait_seconds` (abandoners count as failures)."""
    target_wait_seconds: float = 60.0
    patience_minutes: float = 5.0
    """Mean time a help-seeker waits before giving up (exponential patience, Erlang A)."""
    max_abandon_share: float = 0.05
    """Largest share of help-seekers allowed to give up waiting."""
    max_occupancy: float | None = None
    """Optional ceiling on the share of paid staff time spent serving (None: no ceiling)."""
    min_staff: int = 1
    """Least staff on the floor in every opening hour, unless the store file says otherwise."""

    def __post_init__(self) -> None:
        if not 0 < self.target_service_level < 1:
            raise ValueError(f"target_service_level must be between 0 and 1, got {self.target_service_level}")
        if self.target_wait_seconds < 0:
            raise ValueError(f"target_wait_seconds must be 0 or more, got {self.target_wait_seconds}")
        if self.patience_minutes <= 0:
            raise ValueError(f"patience_minutes must be above 0, got {self.patience_minutes}")
        if not 0 < self.max_abandon_share < 1:
            raise ValueError(f"max_abandon_share must be between 0 and 1, got {self.max_abandon_share}")
        if self.max_occupancy is not None and not 0 < self.max_occupancy <= 1:
            raise ValueError(f"max_occupancy must be in (0, 1], got {self.max_occupancy}")
        if self.min_staff < 0:
            raise ValueError(f"min_staff must be 0 or more, got {self.min_staff}")


@dataclass(frozen=True)
class ImportRules:
    """Plausibility limits applied when reading observation files (breaking them warns, it does not block)."""

    max_minutes_per_customer: float = 120.0
    """Staff minutes per customer above this are flagged as implausible (a typing slip such as 450 for 45)."""


@dataclass(frozen=True)
class DemandRules:
    """How observed hours are pooled into demand per store x weekday x hour (see `planner.demand`)."""

    interval_level: float = 0.90
    """Coverage of the intervals reported around every estimate."""
    min_hours_for_high_confidence: int = 3
    """A cell with fewer observed hours than this is flagged `low` (mostly borrowed); only the hours of a store with
    no counts at all are `missing`."""
    outlier_iqr_factor: float = 3.0
    """Hours whose minutes per customer lie more than this many IQRs (log scale) outside the store's quartiles
    are left out of the service-time pooling."""
    prior_customers_minutes: float = 20.0
    """Strength, in customers, of the store-wide mean service minutes that each cell's mean is pulled toward."""
    similar_weekdays: tuple[tuple[int, ...], ...] = ((0, 1, 2, 3, 4), (5,), (6,))
    """Groups of weekdays (0 = Monday) that share one hour curve in the pooled model: Mon-Fri together, Sat, Sun."""
    min_prior_customers: float = 0.5
    """Least customers the prior of a count carries (Jeffreys' 1/2), so a cell whose counts and neighbours are all
    zero still gets an interval above zero."""
    min_effective_staff: float = 0.25
    """Floor on staff minus the touch load (Erlangs) when the censoring correction asks how many staff were free
    to serve help-seekers in an hour."""
    shape_smoothness: float = 2.0
    """Penalty on the second differences (and a tenth of it on the first) of a pool's log hour curve, in
    customers' worth of evidence: higher gives smoother curves where counts are few."""
    weekend_tie: float = 2.0
    """Penalty tying each weekday group's log hour curve to the first group's (Monday to Friday)."""
    chain_prior_weight: float = 0.001
    """Ridge on the chain's shape toward flat: only settles weekdays and hours nobody in the chain counted."""
    format_prior_weight: float = 20.0
    """Ridge on a format's shape toward the chain's: a format with few counts follows the chain."""
    store_day_spread: float = 0.10
    """Log-scale spread of a store's own weekday factors around its format's: sets how much a store's counts on a
    weekday must say before its own factor departs from the format's."""
    store_shape_spread: float = 0.10
    """Log-scale spread of a store's own hour profile around its format's (the same, for the hour profile)."""
    cell_spread: float = 0.25
    """Log-scale spread of a single weekday-hour around the store's smooth profile (a sharp peak, a Friday
    evening): how much a cell's own counts must say before it departs from the profile."""
    own_shape_bandwidth_hours: float = 1.5
    """A store's own bend of the hour profile is smoothed over neighbouring hours with this spread (hours)."""
    min_day_spread: float = 0.05
    """Least log-scale spread of a whole day's traffic beyond Poisson noise, whatever the counts suggest."""
    cell_minutes_spread: float = 0.10
    """Log-scale spread of an hour's mean minutes per customer around its store's mean: the part of the interval
    a cell with few customers of its own borrows with the store's mean."""
    borrowed_shape_spread: float = 0.40
    """Least log-scale error of a profile borrowed from other stores (a store's peak may sit an hour apart from its
    format's, or be sharper): added to an hour's spread as far as its profile is borrowed. Set so that the 90%
    intervals hold the true rate in about 90% of hours on the accuracy benchmark's chain counted in 2-hour windows."""
    model_error_inflation: float = 2.0
    """The pooled model's misfit in the counted hours (beyond Poisson and day-to-day noise) is multiplied by this
    and added to the spread of every hour in proportion to how much of its profile is borrowed: an in-sample
    misfit understates the error where nothing was counted."""

    def __post_init__(self) -> None:
        if not 0 < self.interval_level < 1:
            raise ValueError(f"interval_level must be between 0 and 1, got {self.interval_level}")
        for name in ("prior_customers_minutes",):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 or more, got {getattr(self, name)}")
        if self.min_hours_for_high_confidence < 1:
            raise ValueError(
                f"min_hours_for_high_confidence must be 1 or more, got {self.min_hours_for_high_confidence}")
        if self.outlier_iqr_factor <= 0:
            raise ValueError(f"outlier_iqr_factor must be above 0, got {self.outlier_iqr_factor}")
        days = [day for group in self.similar_weekdays for day in group]
        if sorted(days) != list(range(7)):
            raise ValueError(f"similar_weekdays must name each weekday 0-6 exactly once, got {self.similar_weekdays}")
        if self.min_prior_customers <= 0 or self.min_effective_staff <= 0:
            raise ValueError("min_prior_customers and min_effective_staff must be above 0")
        for name in ("shape_smoothness", "weekend_tie", "chain_prior_weight", "format_prior_weight",
                     "store_day_spread", "store_shape_spread", "cell_spread", "own_shape_bandwidth_hours"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be above 0, got {getattr(self, name)}")


@dataclass(frozen=True)
class StaffingRules:
    """How demand becomes recommended staff (see `planner.staffing`)."""

    time_varying_min_service_minutes: float = 10.0
    """From this mean assisted service time on, staff follow the modified offered load (the load carried over from
    earlier hours), not each hour on its own."""
    time_varying_load_quantile: float = 0.9
    """Share of the hour whose carried-over load the staff are sized for (1 = the hour's busiest moment). In Ciw
    simulations of a sharp peak (tests/test_staffing.py), 0.9 met the targets in the hours after it for 10-45 minute
    services while 0.75 let 8% give up at 12 minutes; 1 staffs the whole hour for its first minutes."""

    target_confidence: float = 0.65
    """Staff are chosen so that the service targets are met with this probability over what the demand could be
    (its interval read as a log-normal spread): 0.5 staffs for the estimate alone. Chosen on the accuracy benchmark
    (bench/bench_accuracy.py): with four weeks of counts 0.6 met the target in 94.5% of store-hours at 1.04x the
    least staff that would, 0.65 in 95.4% at 1.06x, 0.7 in 96.3% at 1.07x, 0.8 in 97.5% at 1.08x."""

    def __post_init__(self) -> None:
        if not 0 < self.target_confidence < 1:
            raise ValueError(f"target_confidence must be between 0 and 1, got {self.target_confidence}")
        if self.time_varying_min_service_minutes <= 0:
            raise ValueError(
                f"time_varying_min_service_minutes must be above 0, got {self.time_varying_min_service_minutes}")
        if not 0 < self.time_varying_load_quantile <= 1:
            raise ValueError(f"time_varying_load_quantile must be in (0, 1], got {self.time_varying_load_quantile}")


@dataclass(frozen=True)
class ShiftRules:
    """What a shift may look like and what the optimiser weighs (see `planner.shifts`). Times in minutes/hours."""

    shift_lengths_hours: tuple[int, ...] = (4, 5, 6, 7, 8, 9)
    """Allowed shift lengths from start to end, break included."""
    start_step_minutes: int = 60
    """Shifts start on whole hours (60) or half hours (30)."""
    duty_before_opening_minutes: int = 0
    duty_after_closing_minutes: int = 0
    break_minutes: int = 30
    """Unpaid break, taken on the shop floor's time: it reduces coverage in the half-hour it takes."""
    break_for_shifts_over_hours: float = 6.0
    break_window_before_midpoint_minutes: int = 60
    break_window_after_midpoint_minutes: int = 30
    weekly_budget_staff_hours: float | None = None
    """Optional ceiling on paid staff-hours per store and week."""
    hard_coverage: bool = False
    """True: every required staff-hour must be covered (else the model is infeasible and says why)."""
    surplus_penalty_share_of_wage: float = 0.01
    """Penalty per staff-hour above the requirement, as a share of the wage: a tie-breaker, not a cost."""
    time_limit_seconds: float = 20.0
    deterministic_time_limit: float = 30.0
    """CP-SAT's deterministic time limit: unlike wall time, the same on any machine, so results repeat."""
    workers: int = 1
    """CP-SAT search workers per store; stores are solved in parallel instead."""
    seed: int = 0

    def __post_init__(self) -> None:
        if not self.shift_lengths_hours or min(self.shift_lengths_hours) <= 0:
            raise ValueError("shift_lengths_hours needs at least one positive length")
        if self.start_step_minutes not in (30, 60):
            raise ValueError("start_step_minutes must be 30 or 60")
        if self.break_minutes % 30:
            raise ValueError("break_minutes must be a multiple of 30 (coverage is counted per half hour)")


@dataclass(frozen=True)
class Settings:
    targets: ServiceTargets = field(default_factory=ServiceTargets)
    import_rules: ImportRules = field(default_factory=ImportRules)
    demand: DemandRules = field(default_factory=DemandRules)
    staffing: StaffingRules = field(default_factory=StaffingRules)
    shifts: ShiftRules = field(default_factory=ShiftRules)
    database_url: str | None = None
    """SQLAlchemy URL; None means `PLANNER_DATABASE_URL` or else the embedded SQLite file."""
    database_busy_timeout_seconds: float = 20.0
    """How long an import waits for another process's write to finish before it says "database busy"."""

    def with_targets(self, **changes: object) -> Settings:
        return replace(self, targets=replace(self.targets, **changes))

    def with_shift_rules(self, **changes: object) -> Settings:
        return replace(self, shifts=replace(self.shifts, **changes))

    def resolved_database_url(self) -> str:
        return self.database_url or os.environ.get(DATABASE_URL_ENV) or default_database_url()


def default_database_url() -> str:
    """The embedded SQLite file, in a git-ignored folder of the project."""
    return f"sqlite:///{PROJECT_ROOT / '.planner' / 'planner.db'}"
