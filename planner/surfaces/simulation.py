"""Simulation: why an hour is at risk."""

from __future__ import annotations

from collections.abc import Sequence

from planner.words import counted


def at_risk_rule(at_risk_week_share: float) -> str:
    """The simulation chart's legend entry for its red ✖, with the rule (`SimulationRules.at_risk_week_share`): an
    ✖ where the pooled line sat within the targets had its rule only in a paragraph above the chart."""
    return f"hour at risk: misses the targets in more than {at_risk_week_share:.0%} of the weeks, or on all weeks pooled"


def at_risk_because(hour: str, missed_week_share: float, at_risk_week_share: float) -> str:
    """Why `hour` is at risk, in its ✖'s hover: by its share of the simulated weeks that missed the targets, or, at
    or under the rule's share, by all weeks pooled missing them."""
    if missed_week_share > at_risk_week_share:
        return (f"{hour}: at risk: it missed the targets in {missed_week_share:.0%} of the simulated weeks (more than "
                f"{at_risk_week_share:.0%})")
    return (f"{hour}: at risk: all weeks pooled miss the targets (it missed them in {missed_week_share:.0%} of the "
            "simulated weeks)")


def hours_at_risk_on_day(count: int, per_day: str, day: str, hours: Sequence[str]) -> str:
    """Under the simulation chart of one day (`day`, picked above it), the week's hours at risk (`count`, `per_day`:
    "Tue: 2, Wed: 1") and the day's (`hours`, labelled): "None on Mon 14 Dec" under the chart did not say the chart
    is the day picked higher up, nor how to see the days that hold them."""
    return (f"Hours at risk in the week: {count} ({per_day}). The chart shows {day}, the day picked above: "
            + (f"at risk {', '.join(hours)}." if hours else "no hour at risk.") + " Pick another day above for its "
            "chart.")


def at_risk_beside_status(replications: int, at_risk_week_share: float, day_to_day_variation: bool = False, *,
                          hours_at_risk: int, cheapest: bool) -> str:
    """Under a simulation's `hours_at_risk`, why they stand beside a schedule status of "every required hour
    covered", plainly ("Both hold: ..." bridged the two in jargon): the shifts are the cheapest that cover the
    requirement (`cheapest`: every schedule shown is proven so; else the status above says what they are), and even
    so hours may miss the targets, as demand varies. `day_to_day_variation`: the simulation scales each day's
    customers too (`SimulationRules`)."""
    days = ", and each day's customers more or fewer within the demand estimate's range" if day_to_day_variation \
        else ""
    shifts = "The shifts are the cheapest that cover the requirement in every hour" if cheapest else \
        "The status above says how far the shifts cover the requirement"
    return (f"{shifts}. Even so, the simulation shows that {counted(hours_at_risk, 'hour')} may miss the service "
            f"targets, because demand varies: it plays the week {replications:,} times, with customers arriving at "
            f"random and some taking much longer to serve{days}, and an hour is at risk when it misses the targets "
            f"in more than {at_risk_week_share:.0%} of those weeks (or on all of them pooled).")
