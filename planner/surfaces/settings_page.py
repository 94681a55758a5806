"""Words of the Settings page: what re-planning the plans a save put out of date would change, and that no plan
changes with the chain's time zone."""

from __future__ import annotations

from collections.abc import Sequence

from planner.words import agreeing, counted, listed

SETTINGS_PLANS_NAMED = 5
"""Plans the Settings page's note after a save names in each of its parts; more are counted."""


def saved_settings_out_of_date(to_replan: Sequence[tuple[str, int, bool]], in_name_only: Sequence[str]
                               ) -> tuple[str, str]:
    """What the Settings page says after a save put saved plans out of date, in two groups (`planner.replan_moves`
    found which): `to_replan`, those re-planning changes ((the plan named, hours in which a re-plan requires other
    staff, whether it gives the same shifts)), and `in_name_only`, those a re-plan gives the same staff in every hour
    and the same shifts (each named). The note said "10 saved plans ... are now out of date ... re-plan them", then
    "plans 5, 7, 9 and 10 would require the same staff ..." (a contradiction), and "and 5 more" hid which. Returns
    (the sentence, every plan listed by group, for an expander: "" where the sentence names them all, at most
    `SETTINGS_PLANS_NAMED`)."""
    total = len(to_replan) + len(in_name_only)
    said = [f"{counted(total, 'saved plan')} {agreeing(total, 'was', 'were')} made with the earlier settings and "
            f"{agreeing(total, 'is', 'are')} now out of date."]
    replanned = [f"{named} ({change})" if change else named
                 for named, change in ((named, _change(hours, shifts)) for named, hours, shifts in to_replan)]
    if total <= SETTINGS_PLANS_NAMED:
        if to_replan:
            said.append(f"Re-planning changes {listed(replanned)}: re-plan {agreeing(len(to_replan), 'it', 'them')} "
                        f"{ON_PLANS_PAGE}.")
        if in_name_only:
            said.append(f"{_upper_first(listed(in_name_only))} {agreeing(len(in_name_only), 'is', 'are')} "
                        f"{_only_in_name(len(in_name_only))}")
        return " ".join(said), ""
    if to_replan and in_name_only:
        other = "one" if len(in_name_only) == 1 else len(in_name_only)
        said.append(f"Re-planning changes {len(to_replan)} of them: re-plan those {ON_PLANS_PAGE}. The other "
                    f"{other} {agreeing(len(in_name_only), 'is', 'are')} "
                    f"{_only_in_name(len(in_name_only))} Which are which: below.")
    elif to_replan:
        said.append(f"Re-planning changes each of them: re-plan them {ON_PLANS_PAGE}. Which: below.")
    else:
        said.append(f"Each is {_only_in_name(total)} Which: below.")
    each = [f"{named}: {change}" if change else named
            for named, change in ((named, _change(hours, shifts)) for named, hours, shifts in to_replan)]
    listing = ([f"Re-plan {agreeing(len(to_replan), 'this', 'these')} ({len(to_replan)}):\n" +
                "\n".join(f"- {plan}" for plan in each)] if to_replan else []) + \
        ([f"Out of date only in name ({len(in_name_only)}):\n" + "\n".join(f"- {plan}" for plan in in_name_only)]
         if in_name_only else [])
    return " ".join(said), "\n\n".join(listing)


ON_PLANS_PAGE = "on the Plans page"
SETTINGS_WHICH_PLANS = "Which plans are out of date"
"""The expander under the note that lists each plan, where the note names more than `SETTINGS_PLANS_NAMED`."""
SETTINGS_REPLAN_LINK = "Re-plan on the Plans page"
"""The link under the note to the Plans page, opened on the first plan to re-plan."""


def _change(hours: int, same_shifts: bool) -> str:
    """What re-planning a plan changes, in a few words ("" where it cannot be told: its store cannot be planned
    now, and the Plans page says why)."""
    if hours:
        return f"other staff in {counted(hours, 'hour')}"
    return "" if same_shifts else "the same staff, but its shifts may change with the shift settings, the store " \
        "file or the calendar"


def _only_in_name(plans: int) -> str:
    return (f"out of date only in name: re-planned, {agreeing(plans, 'it', 'they')} would require the same staff in "
            "every hour and give the same shifts.")


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


NO_PLAN_CHANGES_WITH_THE_ZONE = "No plan changes with it."
"""Said on the Settings page after the chain's time zone's help (`ChainRules.time_zone`): the zone is left out of
what plans are made with (`planning_settings`)."""
