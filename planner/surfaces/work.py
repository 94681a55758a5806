"""Long work: what a page says while it works."""

from __future__ import annotations

from planner.words import counted


def finding_replan_moves(plans: int) -> str:
    """The spinner's words while the app finds what re-planning `plans` out-of-date plans would change."""
    return f"Finding what re-planning {counted(plans, 'plan')} would change…"


def checking_saved_plans(plans: int) -> str:
    """The Plans page's spinner while it judges its saved plans against today's inputs (`saved_plans.plans_with_
    status`: seconds a plan, more after an import): the page opened on grey placeholders for 15 s with 9 plans."""
    return f"Checking {counted(plans, 'saved plan')} against today's counts and settings…"


def making_plans(iso_week: str, stores: int | None = None) -> str:
    """The Plans page's bar as *Make plan* starts, before the first store is planned: the stores it plans counted
    once they are known (without a count till then: the stores picked counted one that was left out)."""
    return f"Making plans for {counted(stores, 'store')}, {iso_week}…" if stores is not None else \
        f"Making plans for {iso_week}…"


def rostering(store_id: str, iso_week: str, time_limit_seconds: float) -> str:
    """The Roster page's bar while it rosters a store's week, with the longest it may take: the roster's time limit
    (`RosterRules.time_limit_seconds`, a stop the search never passes). "Rostering… (the solver takes up to its time
    limit)" named neither the store, whose label had changed above it, nor how long."""
    return (f"Rostering {store_id} for {iso_week}… at most {duration(time_limit_seconds)} (the roster time limit on "
            "the Settings page)")


def duration(seconds: float) -> str:
    """A wait as people say it: "45 seconds", "1 minute", "2.5 minutes"."""
    if seconds < 60:
        return counted(round(seconds, 1), "second")
    return counted(round(seconds / 60, 1), "minute")
