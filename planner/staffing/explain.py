"""One plain-words sentence per store-hour, built from the numbers behind its recommendation.

Public: `HourFacts`, `explain`. Numbers are written as a store manager reads them: rates and minutes whole from 10 up
(below, one decimal without a trailing .0), loads with one decimal, service levels in whole percent, abandonment
with one decimal below 10%.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SECONDS_PER_MINUTE = 60


@dataclass(frozen=True)
class HourFacts:
    """Arrays, one element per store-hour. Staff counts are -1 where they do not apply."""

    missing: np.ndarray
    low_confidence: np.ndarray
    never_counted: np.ndarray
    """No hour of the cell was counted: its estimate is borrowed from nearby hours and similar days."""
    assisted_per_hour: np.ndarray
    assisted_minutes: np.ndarray
    self_service_per_hour: np.ndarray
    touch_minutes: np.ndarray
    help_load_erlangs: np.ndarray
    touch_load_erlangs: np.ndarray
    planned_load_erlangs: np.ndarray
    """The load staff were sized for (help-seekers still being served from earlier hours included) plus touches."""
    carried_over: np.ndarray
    """The load carried over from earlier hours raised the recommendation."""
    peak_hour: np.ndarray
    staff: np.ndarray
    service_level: np.ndarray
    abandon_share: np.ndarray
    compare_staff: np.ndarray
    """A smaller staff to set the recommendation against (-1: none)."""
    compare_is_current: np.ndarray
    compare_service_level: np.ndarray
    compare_abandon_share: np.ndarray
    target_wait_seconds: np.ndarray
    min_staff_binds: np.ndarray
    """The store's minimum, not the service targets, set the recommendation."""
    max_staff: np.ndarray
    """The store's maximum (NaN: none)."""
    staff_low: np.ndarray
    staff_high: np.ndarray
    safety_staff: np.ndarray
    """Staff added beyond what the estimate alone needs, for the demand's uncertainty."""
    chance_met: np.ndarray
    """Share of plausible demands under which `staff` meet the targets."""
    chance_met_at_mean: np.ndarray
    """The same for the staff the estimate alone needs (staff - safety_staff)."""
    observed_hours: np.ndarray
    borrowed_from: np.ndarray
    """Where the hour's profile comes from ("own counts", "3 other fashion stores"; "" when not said)."""


def explain(facts: HourFacts) -> list[str]:
    return [_sentence(row) for row in _rows(facts)]


def _rows(facts: HourFacts):
    names = list(HourFacts.__dataclass_fields__)
    columns = [getattr(facts, name).tolist() for name in names]
    for values in zip(*columns, strict=True):
        yield dict(zip(names, values, strict=True))


def _sentence(f: dict) -> str:
    if f["missing"]:
        return ("This hour was never counted and nothing nearby could be borrowed, so there is no recommendation: "
                "count it once to get one.")
    prefix = ("Never counted, borrowed from nearby hours and similar days: " if f["never_counted"]
              else "Few counts: " if f["low_confidence"] else "")
    staff, wait = int(f["staff"]), f["target_wait_seconds"]
    helped, touched = f["help_load_erlangs"] > 0, f["touch_load_erlangs"] > 0
    if not helped and not touched and not f["carried_over"]:
        body = ("no customers are expected to need a salesperson in this hour"
                + (f"; {staff} on the floor is the store's minimum" if staff else ""))
        return _finish(prefix, body, f)
    touches = (f"{_rate(f['self_service_per_hour'])} self-service customers need touches of "
               f"{_minutes(f['touch_minutes'])} minutes")
    if not helped and not f["carried_over"]:
        body = (f"nobody is expected to ask for help, but {touches}, which keeps "
                f"{f['touch_load_erlangs']:.1f} salespeople busy; {staff} keep up with them")
        return _finish(prefix, body, f)
    load = f["help_load_erlangs"] + f["touch_load_erlangs"]
    if helped:
        body = (f"{_rate(f['assisted_per_hour'])} customers an hour want help for about "
                f"{_minutes(f['assisted_minutes'])} minutes each")
    else:
        body = "no new customers are expected to ask for help"
    if touched:
        body += f" and {touches}, which together keep {load:.1f} salespeople busy"
    elif helped:
        body += f", which keeps {load:.1f} salespeople busy"
    if f["carried_over"]:
        body += (f"; customers from the {f['peak_hour']:02d}:00 peak are still being served, so staff are set for "
                 f"{f['planned_load_erlangs']:.1f} busy")
    if f["compare_staff"] >= 0:
        who = f"the {f['compare_staff']} on the floor now" if f["compare_is_current"] else f"{f['compare_staff']}"
        body += (f"; with {who}, {_percent(1.0 - f['compare_service_level'])} would not be approached "
                 f"{_within(wait)} and {_share(f['compare_abandon_share'])} would give up")
    outcome = f"{_percent(f['service_level'])} are approached {_within(wait)} and {_share(f['abandon_share'])} give up"
    if f["min_staff_binds"]:
        body += f"; the store's minimum of {staff} already does better than the target: {outcome}"
    else:
        body += f"; with {staff}, {outcome}"
    return _finish(prefix, body, f)


def _finish(prefix: str, body: str, f: dict) -> str:
    if not np.isnan(f["max_staff"]) and f["staff"] > f["max_staff"]:
        body += f", more than the store's maximum of {int(f['max_staff'])} staff"
    if f["safety_staff"] > 0:
        added = "one person" if f["safety_staff"] == 1 else f"{f['safety_staff']} people"
        body += (f"; {added} added for safety, as the counts leave the demand uncertain: with "
                 f"{f['staff'] - f['safety_staff']} the targets are met in {_tenths(f['chance_met_at_mean'])} of 10 "
                 f"plausible demands, with {f['staff']} in {_tenths(f['chance_met'])}")
    if f["borrowed_from"] and f["borrowed_from"] != "own counts":
        counted = f["observed_hours"]
        times = "never" if counted == 0 else "once" if counted == 1 else f"{counted} times"
        body += f" (this hour counted {times}; its shape over the day borrowed from {f['borrowed_from']})"
    if f["low_confidence"] and f["staff_low"] >= 0 and f["staff_low"] != f["staff_high"]:
        body += f" (the counts allow anything from {f['staff_low']} to {f['staff_high']})"
    text = prefix + body + "."
    return text[0].upper() + text[1:]


def _tenths(share: float) -> str:
    return f"{10.0 * share:.0f}"


def _rate(value: float) -> str:
    """Whole from 10 up, else one decimal, a trailing .0 dropped."""
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0")


_minutes = _rate


def _percent(share: float) -> str:
    return f"{100.0 * share:.0f}%"


def _share(share: float) -> str:
    """Abandonment: one decimal below 10%."""
    return f"{100.0 * share:.1f}%" if share < 0.1 else f"{100.0 * share:.0f}%"


def _duration(seconds: float) -> str:
    if seconds == SECONDS_PER_MINUTE:
        return "a minute"
    if seconds % SECONDS_PER_MINUTE == 0:
        return f"{seconds / SECONDS_PER_MINUTE:.0f} minutes"
    return f"{seconds:g} seconds"


def _over(seconds: float) -> str:
    return "at all" if seconds == 0 else f"over {_duration(seconds)}"


def _within(seconds: float) -> str:
    return "at once" if seconds == 0 else f"within {_duration(seconds)}"
