"""`StaffingSchema`: the recommendation table, one row per store x weekday (0 = Monday) x opening hour.

It lives with the stage that makes it (schemas.py holds the frames of the earlier stages); its types and checks are
`planner.staffing.schema_models.StaffingSchema`, loaded on first use (`planner.schemas.Columns`). Units as in
`DemandSchema`: customers per hour, staff minutes per customer, loads in Erlangs (staff kept busy), waits in seconds,
shares as fractions.
"""

from __future__ import annotations

from planner.schemas import Columns

MISSING = "missing"


class StaffingSchema(Columns):
    """Recommended staff per store-hour, with the service expected at it and a sentence saying why.

    NA in a `missing` cell's estimates and recommendation (never counted, nothing to borrow). The `expected_*`
    columns and `utilisation` are at `required_staff` and at the load it was sized for: the hour's own customers
    plus, for long services, those from earlier hours still being served.
    """

    _models = "planner.staffing.schema_models"

    store_id: str
    weekday: str
    hour: str
    assisted_per_hour: str
    """Help-seekers per hour, those who gave up included."""
    self_service_per_hour: str
    assisted_minutes_mean: str
    touch_minutes_mean: str
    """Staff minutes per self-service customer."""
    offered_load_erlangs: str
    """Staff the hour's own work keeps busy: help-seekers' and touches' minutes per hour / 60."""
    required_staff: str
    required_staff_low: str
    """The recommendation at the optimistic end of every demand interval."""
    required_staff_high: str
    """The recommendation at the pessimistic end of every demand interval."""
    expected_service_level: str
    """Share of all help-seekers approached within the target wait (those who give up fail)."""
    expected_abandon_share: str
    expected_wait_seconds: str
    """Mean wait of all help-seekers, until served or until they give up."""
    utilisation: str
    """Busy share of the recommended staff, touches included."""
    confidence: str
    current_staff: str
    lost_customers_per_hour_at_current: str
    """Help-seekers per hour who give up with the staff on duty when counted (`current_staff`), by the model and
    averaged over the demand's spread as `expected_abandon_share` is at the recommendation; NA where staff were never
    counted (the demand stage's own figure, λ minus the served rate, is not shown: it mixed two estimates of λ)."""
    safety_staff: str
    """Staff added to what the estimated demand alone needs, so that the targets are met with the settings'
    `target_confidence` over what the demand could be (0 in a well-counted hour)."""
    chance_targets_met: str
    """The probability, over what the demand could be (its log-normal spread), that `required_staff` meet every
    target, as the hour's explanation states it: in whole percent (0.57), or with as many more decimals, up to
    three, as it takes not to read as the chance the hour asks (0.6496 beside a 0.65 asked)."""
    explanation: str


