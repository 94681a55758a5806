"""Simulation: why an hour is at risk."""

from __future__ import annotations


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


def at_risk_beside_status(replications: int, at_risk_week_share: float, day_to_day_variation: bool = False) -> str:
    """Under a simulation's hours at risk, why they stand beside a schedule status of "every required hour covered":
    each says something else. The sentence said so without the rule, which was only in the paragraph above.
    `day_to_day_variation`: the simulation scales each day's customers too (`SimulationRules`)."""
    days = ", and each day's customers more or fewer within the demand estimate's range" if day_to_day_variation \
        else ""
    return (f"Both hold: the status above says the shifts put the required staff on the floor in every hour. The "
            f"simulation plays the week {replications:,} times, with customers arriving at random and some taking "
            f"much longer to serve{days}, so an hour's wait swings from week to week; an hour is at risk when it "
            f"misses the targets in more than {at_risk_week_share:.0%} of those weeks (or on all of them pooled), "
            "even with its required staff.")
