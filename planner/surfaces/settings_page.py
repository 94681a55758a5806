"""Words of the Settings page: what re-planning the plans a save put out of date would change, and that no plan
changes with the chain's time zone."""

from __future__ import annotations

from planner.words import agreeing, counted, first_named, listed

SETTINGS_PLANS_NAMED = 5
"""Plans the Settings page's note after a save names in each of its parts; more are counted."""


def saved_settings_replan(moves: dict[int, tuple[int, bool]]) -> str:
    """What re-planning the plans a save of the chain's settings put out of date would change, after the Settings
    page's "... re-plan them on the Plans page." (`moves`: plan_id -> (hours in which a re-plan requires other staff,
    whether it gives the same shifts), `planner.replan_moves`): "Re-planned now, plans 1 and 2 would require the same
    staff in every hour and give the same shifts."; "" for none."""
    def plans(ids: list[int]) -> str:
        named = [str(plan_id) for plan_id in ids]
        return f"{agreeing(len(ids), 'plan')} " + (first_named(named, SETTINGS_PLANS_NAMED)
                                                   if len(ids) > SETTINGS_PLANS_NAMED else listed(named))

    same = [plan_id for plan_id, (hours, shifts) in moves.items() if not hours and shifts]
    alike = [plan_id for plan_id, (hours, shifts) in moves.items() if not hours and not shifts]
    moved = [(plan_id, hours) for plan_id, (hours, _) in moves.items() if hours]
    said = ([f"{plans(same)} would require the same staff in every hour and give the same shifts"] if same else []) + \
        ([f"{plans(alike)} would require the same staff in every hour, though {agreeing(len(alike), 'its', 'their')} "
          "shifts may change with the shift settings, the store file or the calendar"] if alike else [])
    if len(moved) > SETTINGS_PLANS_NAMED:
        said.append(f"{plans([plan_id for plan_id, _ in moved])} would require other staff in some hours")
    else:
        said += [f"plan {plan_id} would require other staff in {counted(hours, 'hour')}" for plan_id, hours in moved]
    which = " (the Plans page says which)" if moved else ""
    return f"Re-planned now, {'; '.join(said)}{which}." if said else ""


NO_PLAN_CHANGES_WITH_THE_ZONE = "No plan changes with it."
"""Said on the Settings page after the chain's time zone's help (`ChainRules.time_zone`): the zone is left out of
what plans are made with (`planning_settings`)."""
