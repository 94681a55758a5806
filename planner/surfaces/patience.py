"""Words of a store's patience note (`planner.targets.PATIENCE_NOTE`): where the patience a store is planned with
comes from, said to a store manager after "Patience:" on My store and after "patience 2.0 min," in `recommend`.
Patience is how long a customer wanting help waits before giving up, in minutes. The notes said "estimated from
counts: under 2.0 min, too wide to plan with but not the setting's 5 min; planned with 2.0 min, the end nearest the
setting": a statistician's words for "the counts show customers give up sooner than the chain's 5 min setting, but
not how much sooner"."""

from __future__ import annotations

import math


def estimated(whose: str, minutes: float, low_minutes: float, high_minutes: float, planned_minutes: float,
              confidence: float) -> str:
    """The counts tell the patience: its estimate and likely range, and the shorter patience planned with, which
    customers reach or pass with the chance `confidence`, e.g. "estimated from counts: customers give up after about
    4.2 min of waiting (likely 3.1-5.6 min); planned with 3.6 min, to be safe: they wait at least that long in 65% of
    likely cases"."""
    safe = ", to be safe" if planned_minutes < minutes else ""  # a confidence of 1/2 or less hedges nothing
    return (f"estimated from {whose}: customers give up after about {minutes:.1f} min of waiting (likely "
            f"{low_minutes:.1f}-{high_minutes:.1f} min); planned with {planned_minutes:.1f} min{safe}: they wait at "
            f"least that long in {confidence:.0%} of likely cases")


def cannot_tell(source: str, low_minutes: float, high_minutes: float, setting_minutes: float,
                shortest: float, longest: float) -> str:
    """The counts cannot tell, and the setting fits them: `source` ("setting") kept, and the span they leave open
    (ends NaN where it runs past the `shortest`-`longest` minutes tried), e.g. "setting (the counts cannot tell how
    long customers wait before giving up: anything under 6.4 min fits them, the setting's 5 min too)"."""
    return (f"{source} (the counts cannot tell how long customers wait before giving up: "
            f"{_span(low_minutes, high_minutes, shortest, longest)} fits them, the setting's {setting_minutes:g} min "
            "too)")


def ruled_out(interval_text: str, setting_minutes: float, planned_minutes: float) -> str:
    """The counts cannot tell the patience but rule the chain's setting out (their range, `interval_text`, lies
    wholly on one side of it): planned with the end of their range nearest the setting, e.g. "the counts show
    customers give up sooner than the chain's 5 min setting (under 2.0 min) but not how much sooner: planned with
    2.0 min, the longest patience they allow"."""
    if planned_minutes < setting_minutes:
        return (f"the counts show customers give up sooner than the chain's {setting_minutes:g} min setting "
                f"({interval_text}) but not how much sooner: planned with {planned_minutes:.1f} min, the longest "
                "patience they allow")
    return (f"the counts show customers wait longer than the chain's {setting_minutes:g} min setting before giving up "
            f"({interval_text}) but not how much longer: planned with {planned_minutes:.1f} min, the shortest "
            "patience they allow")


def _span(low: float, high: float, shortest: float, longest: float) -> str:
    """"anything between 1.4 and 19.0 min", "anything under 6.4 min", "anything over 12.0 min", or every patience
    tried."""
    if math.isfinite(low) and math.isfinite(high):
        return f"anything between {low:.1f} and {high:.1f} min"
    if math.isfinite(high):
        return f"anything under {high:.1f} min"
    if math.isfinite(low):
        return f"anything over {low:.1f} min"
    return f"anything from {shortest:g} to {longest:g} min"
