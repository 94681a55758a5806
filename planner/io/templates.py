"""Empty upload templates: the header of each file kind and one example row that is clearly marked, and rejected
by validation if it is left in ("this is the template's example row"), so a template is never imported by accident.
"""

from __future__ import annotations

from planner.hours import WEEKDAYS
from planner.io.checking import EXAMPLE_STORE_ID
from planner.io.employees import ABSENCE_COLUMNS, EMPLOYEE_COLUMNS
from planner.io.observations import COLUMNS as OBSERVATION_COLUMNS
from planner.io.stores import SPECS as STORE_SPECS
from planner.schemas import ObservationSchema as O, StoreSchema as S

_OBSERVATION_EXAMPLE = {
    O.store_id: EXAMPLE_STORE_ID, O.date: "2026-09-07", O.hour: "10", O.visitors: "40", O.assisted: "12",
    O.self_service: "25", O.assisted_minutes: "96.5", O.self_service_minutes: "12", O.staff_on_duty: "3",
}
_STORE_EXAMPLE = {
    S.store_id: EXAMPLE_STORE_ID, S.name: "Example store (replace this row)", S.region: "North",
    S.format: "electronics", **dict.fromkeys(WEEKDAYS[:6], "09:00-20:00"), WEEKDAYS[6]: "closed",
    S.wage_per_hour: "18.50", S.min_staff: "1", S.max_staff: "8",
}

_EMPLOYEE_EXAMPLE = {
    "employee_id": EXAMPLE_STORE_ID, "name": "Example person (replace this row)",
    "store_id": EXAMPLE_STORE_ID, "also_stores": "", "skills": "keyholder;cashier", "contract_hours_min": "20", "contract_hours_max": "30",
    "max_hours_per_day": "8", "mon": "09:00-17:00", "tue": "09:00-13:00;16:00-20:00", "wed": "off",
    "preferred_days_off": "sun", "prefers": "early",
}
_ABSENCE_EXAMPLE = {"employee_id": EXAMPLE_STORE_ID, "first_day": "2026-12-14", "last_day": "2026-12-18",
                    "reason": "annual leave"}


def observation_template_csv() -> bytes:
    """The observation file's header and one marked example row."""
    return _csv(OBSERVATION_COLUMNS, _OBSERVATION_EXAMPLE)


def store_template_csv() -> bytes:
    """The store file's header (optional target columns included, left blank) and one marked example row."""
    return _csv([spec.name for spec in STORE_SPECS], _STORE_EXAMPLE)


def employee_template_csv() -> bytes:
    """The employee file's header and one marked example row (blank availability: any time that day)."""
    return _csv(EMPLOYEE_COLUMNS, _EMPLOYEE_EXAMPLE)


def absence_template_csv() -> bytes:
    """The absence file's header and one marked example row."""
    return _csv(ABSENCE_COLUMNS, _ABSENCE_EXAMPLE)


def _csv(columns: list[str], example: dict[str, str]) -> bytes:
    return (",".join(columns) + "\n" + ",".join(example.get(c, "") for c in columns) + "\n").encode()
