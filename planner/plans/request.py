"""What a plan is asked for: stores, dated ISO weeks, the settings, any what-if target values and the plan's own
min_staff cover (`PlanRequest`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from planner.calendar import IsoWeek
from planner.settings import Settings, settings_to_dict, settings_from_dict
from planner.targets import check_what_if


@dataclass(frozen=True)
class PlanRequest:
    """A frozen (hashable) request. `weeks` are ISO weeks as text ("2026-W50"), kept sorted and once each;
    `store_ids` () means every store; `what_if` holds (target, value) pairs applied to every store over the store
    file's values, given as pairs or a mapping. `min_staff_cover` is the plan's own choice (`plan
    --min-staff-cover`) of min_staff in open hours without a recommendation, whatever the chain's setting: `settings`
    then hold it, and, like the what-if values, it is the plan's, kept by a re-plan and applied to today's settings
    when they are compared with the plan's (not a change of the chain's settings)."""

    weeks: tuple[str, ...]
    store_ids: tuple[str, ...] = ()
    settings: Settings = field(default_factory=Settings)
    what_if: tuple[tuple[str, float | int], ...] = ()
    min_staff_cover: bool = False

    def __post_init__(self) -> None:
        weeks = [self.weeks] if isinstance(self.weeks, str) else list(self.weeks)
        if not weeks:
            raise ValueError("a plan needs at least one ISO week, e.g. 2026-W50")
        parsed = sorted({IsoWeek.parse(week) for week in weeks})
        object.__setattr__(self, "weeks", tuple(str(week) for week in parsed))
        object.__setattr__(self, "store_ids", tuple(dict.fromkeys(str(store) for store in self.store_ids)))
        pairs = self.what_if.items() if isinstance(self.what_if, Mapping) else self.what_if
        object.__setattr__(self, "what_if", tuple(sorted(check_what_if(dict(pairs)).items())))
        object.__setattr__(self, "min_staff_cover", bool(self.min_staff_cover))
        if self.min_staff_cover:
            object.__setattr__(self, "settings", with_min_staff_cover(self.settings))

    @property
    def iso_weeks(self) -> tuple[IsoWeek, ...]:
        return tuple(IsoWeek.parse(week) for week in self.weeks)

    def what_if_values(self) -> dict[str, float | int]:
        return dict(self.what_if)

    def as_dict(self) -> dict[str, object]:
        return {"weeks": list(self.weeks), "store_ids": list(self.store_ids),
                "settings": settings_to_dict(self.settings), "what_if": dict(self.what_if),
                "min_staff_cover": self.min_staff_cover}

    @classmethod
    def from_dict(cls, values: Mapping[str, object]) -> PlanRequest:
        return cls(weeks=tuple(values["weeks"]), store_ids=tuple(values.get("store_ids", ())),
                   settings=settings_from_dict(values.get("settings", {})), what_if=dict(values.get("what_if", {})),
                   min_staff_cover=bool(values.get("min_staff_cover", False)))


def with_min_staff_cover(settings: Settings) -> Settings:
    """`settings` as a plan that asks for its own min_staff cover is made with them (and compared with them later)."""
    return settings if settings.shifts.min_staff_cover else settings.with_shift_rules(min_staff_cover=True)
