"""What a plan is asked for: stores, dated ISO weeks, the settings and any what-if target values (`PlanRequest`)."""

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
    file's values, given as pairs or a mapping."""

    weeks: tuple[str, ...]
    store_ids: tuple[str, ...] = ()
    settings: Settings = field(default_factory=Settings)
    what_if: tuple[tuple[str, float | int], ...] = ()

    def __post_init__(self) -> None:
        weeks = [self.weeks] if isinstance(self.weeks, str) else list(self.weeks)
        if not weeks:
            raise ValueError("a plan needs at least one ISO week, e.g. 2026-W50")
        parsed = sorted({IsoWeek.parse(week) for week in weeks})
        object.__setattr__(self, "weeks", tuple(str(week) for week in parsed))
        object.__setattr__(self, "store_ids", tuple(dict.fromkeys(str(store) for store in self.store_ids)))
        pairs = self.what_if.items() if isinstance(self.what_if, Mapping) else self.what_if
        object.__setattr__(self, "what_if", tuple(sorted(check_what_if(dict(pairs)).items())))

    @property
    def iso_weeks(self) -> tuple[IsoWeek, ...]:
        return tuple(IsoWeek.parse(week) for week in self.weeks)

    def what_if_values(self) -> dict[str, float | int]:
        return dict(self.what_if)

    def as_dict(self) -> dict[str, object]:
        return {"weeks": list(self.weeks), "store_ids": list(self.store_ids),
                "settings": settings_to_dict(self.settings), "what_if": dict(self.what_if)}

    @classmethod
    def from_dict(cls, values: Mapping[str, object]) -> PlanRequest:
        return cls(weeks=tuple(values["weeks"]), store_ids=tuple(values.get("store_ids", ())),
                   settings=settings_from_dict(values.get("settings", {})), what_if=dict(values.get("what_if", {})))
