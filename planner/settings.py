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
    prior_hours: float = 2.0
    """Strength, in observed hours, of what a cell borrows from similar days and neighbouring hours."""
    neighbour_hour_weight: float = 0.5
    """Weight of the hour before and after (same weekday), against 1 for the same hour on a similar day."""
    min_hours_for_high_confidence: int = 3
    """A cell with fewer observed hours than this is flagged `low`; with none and nothing to borrow, `missing`."""
    outlier_iqr_factor: float = 3.0
    """Hours whose minutes per customer lie more than this many IQRs (log scale) outside the store's quartiles
    are left out of the service-time pooling."""
    prior_customers_minutes: float = 20.0
    """Strength, in customers, of the store-wide mean service minutes that each cell's mean is pulled toward."""


@dataclass(frozen=True)
class StaffingRules:
    """How demand becomes recommended staff (see `planner.staffing`)."""

    time_varying_min_service_minutes: float = 10.0
    """From this mean assisted service time on, staff follow the modified offered load (the load carried over from
    earlier hours), not each hour on its own."""


@dataclass(frozen=True)
class Settings:
    targets: ServiceTargets = field(default_factory=ServiceTargets)
    import_rules: ImportRules = field(default_factory=ImportRules)
    demand: DemandRules = field(default_factory=DemandRules)
    staffing: StaffingRules = field(default_factory=StaffingRules)
    database_url: str | None = None
    """SQLAlchemy URL; None means `PLANNER_DATABASE_URL` or else the embedded SQLite file."""
    database_busy_timeout_seconds: float = 20.0
    """How long an import waits for another process's write to finish before it says "database busy"."""

    def with_targets(self, **changes: object) -> Settings:
        return replace(self, targets=replace(self.targets, **changes))

    def resolved_database_url(self) -> str:
        return self.database_url or os.environ.get(DATABASE_URL_ENV) or default_database_url()


def default_database_url() -> str:
    """The embedded SQLite file, in a git-ignored folder of the project."""
    return f"sqlite:///{PROJECT_ROOT / '.planner' / 'planner.db'}"
