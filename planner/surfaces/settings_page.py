"""Words of the Settings page: what re-planning the plans a save put out of date would change, and that no plan
changes with the chain's time zone."""

from __future__ import annotations

from collections.abc import Sequence

from planner.words import agreeing, counted, listed

SETTINGS_PLANS_NAMED = 5
"""Plans the Settings page's note after a save names in each of its parts; more are counted."""


def saved_settings_out_of_date(to_replan: Sequence[tuple[str, int, bool]], in_name_only: Sequence[str],
                               unchecked: Sequence[str] = ()) -> tuple[str, str]:
    """What the Settings page says after a save put saved plans out of date, in up to three groups
    (`planner.replan_moves` found which): `to_replan`, those re-planning changes or may change ((the plan named, hours
    in which a re-plan requires other staff, whether it gives the same shifts)); `in_name_only`, those a re-plan gives
    the same staff in every hour and the same shifts (each named); and `unchecked`, those whose re-plan could not be
    worked out now (their store cannot be planned: the Plans page says why), which were put under "Re-planning
    changes" as if it did. The note said "10 saved plans ... are now out of date ... re-plan them", then "plans 5, 7,
    9 and 10 would require the same staff ..." (a contradiction), and "and 5 more" hid which. Returns (the sentence,
    every plan listed by group, for an expander: "" where the sentence names them all, at most
    `SETTINGS_PLANS_NAMED`)."""
    total = len(to_replan) + len(in_name_only) + len(unchecked)
    said = [f"{counted(total, 'saved plan')} {agreeing(total, 'was', 'were')} made with the earlier settings and "
            f"{agreeing(total, 'is', 'are')} now out of date."]
    replanned = [f"{named} ({change})" if change else named
                 for named, change in ((named, _change(hours, shifts)) for named, hours, shifts in to_replan)]
    # staff that stay with shifts not proven the same may change: "changes" claimed what was not found
    verb = _changes_verb([hours for _, hours, _ in to_replan])
    if total <= SETTINGS_PLANS_NAMED:
        if to_replan:
            said.append(f"Re-planning {verb} {listed(replanned)}: re-plan {agreeing(len(to_replan), 'it', 'them')} "
                        f"{ON_PLANS_PAGE}.")
        if in_name_only:
            said.append(f"{_upper_first(listed(in_name_only))} {agreeing(len(in_name_only), 'is', 'are')} "
                        f"{_only_in_name(len(in_name_only))}")
        if unchecked:
            said.append(f"{_upper_first(listed(unchecked))} {UNCHECKED}.")
        return " ".join(said), ""
    others = [f"{'one' if len(in_name_only) == 1 else len(in_name_only)} "
              f"{agreeing(len(in_name_only), 'is', 'are')} {_only_in_name(len(in_name_only))}"] if in_name_only else []
    others += [f"{'one' if len(unchecked) == 1 else len(unchecked)} {UNCHECKED}."] if unchecked else []
    if to_replan and others:
        said.append(f"Re-planning {verb} {len(to_replan)} of them: re-plan those {ON_PLANS_PAGE}. The other "
                    + " And ".join(others) + " Which are which: below.")
    elif to_replan:
        said.append(f"Re-planning {verb} each of them: re-plan them {ON_PLANS_PAGE}. Which: below.")
    elif in_name_only and not unchecked:
        said.append(f"Each is {_only_in_name(total)} Which: below.")
    else:
        said.append(_upper_first(" And ".join(others)) + " Which are which: below.")
    each = [f"{named}: {change}" if change else named
            for named, change in ((named, _change(hours, shifts)) for named, hours, shifts in to_replan)]
    listing = ([f"Re-plan {agreeing(len(to_replan), 'this', 'these')} ({len(to_replan)}):\n" +
                "\n".join(f"- {plan}" for plan in each)] if to_replan else []) + \
        ([f"Out of date only in name ({len(in_name_only)}):\n" + "\n".join(f"- {plan}" for plan in in_name_only)]
         if in_name_only else []) + \
        ([f"Could not be checked now ({len(unchecked)}): the Plans page says why.\n" +
          "\n".join(f"- {plan}" for plan in unchecked)] if unchecked else [])
    return " ".join(said), "\n\n".join(listing)


UNCHECKED = "could not be checked now: the Plans page says why"
"""A plan whose re-plan could not be worked out after a save (its store cannot be planned now)."""


def _changes_verb(hours: Sequence[int]) -> str:
    """"changes" where every plan's staff move, "may change" where none do (only its shifts may), both where mixed."""
    if all(hours):
        return "changes"
    return "may change" if not any(hours) else "changes or may change"


ON_PLANS_PAGE = "on the Plans page"
SETTINGS_WHICH_PLANS = "Which plans are out of date"
"""The expander under the note that lists each plan, where the note names more than `SETTINGS_PLANS_NAMED`."""
SETTINGS_REPLAN_LINK = "Re-plan on the Plans page"
"""The link under the note to the Plans page, opened on the first plan to re-plan."""
SETTINGS_PLANS_LINK = "Open the Plans page"
"""The link under the note where the saved plans could not be checked at all (`settings_plans_unchecked`)."""


def settings_plans_unchecked(why: str) -> str:
    """The note after a save whose check of the saved plans failed: `why` (as text, its end stop dropped)."""
    return (f"The saved plans could not be checked for settings out of date: {why.rstrip('.')}. The Plans page says "
            "which are.")


SETTINGS_UNCHECKED_LINK = "See why on the Plans page"
"""The link under the note where no plan is to be re-planned but some could not be checked now (`UNCHECKED`): the
Plans page, opened on the first of them, says why."""


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
