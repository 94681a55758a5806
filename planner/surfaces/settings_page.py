"""Words of the Settings page: what re-planning the plans a save put out of date would change, and that no plan
changes with the chain's time zone."""

from __future__ import annotations

from collections.abc import Sequence

from planner.words import agreeing, counted, listed

SETTINGS_PLANS_NAMED = 5
"""Plans the Settings page's note after a save names in each of its parts; more are counted."""


def saved_settings_out_of_date(moved: Sequence[tuple[str, int]], already: Sequence[tuple[str, int, Sequence[str]]],
                               in_name_only: Sequence[str], unchecked: Sequence[str] = (),
                               may_change: Sequence[str] = ()) -> tuple[str, str]:
    """What the Settings page says after a save put saved plans out of date (`planner.replan_moves` found which):
    what THIS change moves apart from what had moved before it. After an upload, a target wait of 60 -> 45 s said
    "18 saved plans ... are now out of date. Re-planning changes 14 of them", counting the staff the upload's counts
    had moved, while the new wait moved none. The groups, each plan named as the pages name it: `moved`, those the
    change moves staff in ((named, in how many hours)); `may_change`, those it moves no staff in, whose shifts the
    shift rules it changes may change; `already`, those out of date before it ((named, in how many hours a re-plan
    now requires other staff than the plan, what had changed: `WHAT_CHANGED`'s words)), which may be among `moved`
    too; `in_name_only`, those a re-plan gives the same staff and shifts; and `unchecked`, those whose re-plan could
    not be worked out now (their store cannot be planned: the Plans page says why). Returns (the sentence, every
    plan listed by group, for an expander: "" where the sentence names them all, at most `SETTINGS_PLANS_NAMED`)."""
    names = [named for named, _ in moved] + [named for named, *_ in already] + [*in_name_only, *unchecked,
                                                                                 *may_change]
    total = len(dict.fromkeys(names))
    checked = total - len(unchecked)
    small = total <= SETTINGS_PLANS_NAMED
    by = _earlier_by([part for *_, parts in already for part in parts])
    said = [f"{counted(total, 'saved plan')} {agreeing(total, 'was', 'were')} made with the earlier settings and "
            f"{agreeing(total, 'is', 'are')} now out of date."]
    if moved:
        plans = listed([f"{named} (other staff in {counted(hours, 'hour')})" for named, hours in moved]) if small \
            else "each of them" if len(moved) == total else f"{len(moved)} of them"
        said.append(f"This change moves staff in {plans}: re-plan {_them(len(moved), small)} {ON_PLANS_PAGE}.")
    elif checked:
        said.append(f"{CHANGE_MOVES_NO_STAFF}.")
    if may_change:
        plans = _upper_first(listed(may_change)) if small else counted(len(may_change), "plan")
        said.append(f"{plans} {agreeing(len(may_change), 'keeps its', 'keep their')} staff, but "
                    f"{agreeing(len(may_change), 'its', 'their')} shifts may change with the new shift rules: re-plan "
                    f"{_them(len(may_change), small)} {ON_PLANS_PAGE}.")
    if already:
        plans = _upper_first(listed([named for named, *_ in already])) if small else counted(len(already), "plan")
        said.append(f"{plans} {agreeing(len(already), 'was', 'were')} already out of date by {by}, before this "
                    f"change: the Plans page says what re-planning {agreeing(len(already), 'it', 'each')} changes.")
    if in_name_only:
        plans = _upper_first(listed(in_name_only)) if small else counted(len(in_name_only), "plan")
        said.append(f"{plans} {agreeing(len(in_name_only), 'is', 'are')} {_only_in_name(len(in_name_only))}")
    if unchecked:
        plans = _upper_first(listed(unchecked)) if small else counted(len(unchecked), "plan")
        said.append(f"{plans} {UNCHECKED}.")
    if small:
        return " ".join(said), ""
    said.append("Which are which: below.")
    groups = [(f"This change moves staff in these ({len(moved)})",
               [f"{named}: other staff in {counted(hours, 'hour')}" for named, hours in moved]),
              (f"Their shifts may change with the new shift rules ({len(may_change)})", list(may_change)),
              (f"Already out of date by {by} ({len(already)})",
               [f"{named}: re-planned, other staff in {counted(hours, 'hour')}" if hours else named
                for named, hours, _ in already]),
              (f"Out of date by their settings only, not their staff ({len(in_name_only)})", list(in_name_only)),
              (f"Could not be checked now ({len(unchecked)}): the Plans page says why.", list(unchecked))]
    listing = [f"{title}{'' if title.endswith('.') else ':'}\n" + "\n".join(f"- {plan}" for plan in plans)
               for title, plans in groups if plans]
    return " ".join(said), "\n\n".join(listing)


CHANGE_MOVES_NO_STAFF = "This change moves no staff in any saved plan"
"""Said after a save where, on today's counts, no saved plan it put out of date requires other staff at the new
settings than at the earlier ones."""


def _earlier_by(parts: Sequence[str]) -> str:
    """What had put plans out of date before a change, from `WHAT_CHANGED`'s words: "new counts" where only the
    counts, else "changes to the counts and the store file"."""
    said = list(dict.fromkeys(parts))
    return "new counts" if said in ([], ["the counts"]) else f"changes to {listed(said)}"


def _them(plans: int, named: bool) -> str:
    return agreeing(plans, "it", "them") if named else agreeing(plans, "it", "those")


UNCHECKED = "could not be checked now: the Plans page says why"
"""A plan whose re-plan could not be worked out after a save (its store cannot be planned now)."""


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


def _only_in_name(plans: int) -> str:
    """Of plans a save put out of date whose staff it moves in no hour: "out of date only in name" left a planner to
    work out what was out of date and whether to re-plan. Their settings are, as the Plans page says it ("the chain's
    settings changed since it was made"); their staff are not, and a re-plan changes only what the record says."""
    one = plans == 1
    return (f"out of date by {'its' if one else 'their'} settings only, not {'its' if one else 'their'} staff: "
            f"re-planned, {agreeing(plans, 'it', 'they')} would require the same staff in every hour and give the "
            f"same shifts, and only the settings on {'its' if one else 'their'} record would change.")


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


UNSAVED_APPLY_WHERE = ("Unsaved changes apply to this session's pages (My store, Schedule, Compare stores); dated "
                      "plans and rosters use the chain's saved settings: save to use them there.")
"""Said by the Settings page's Save button: the Schedule and My store pages moved with an unsaved change while the
Plans page's plans did not, and no page said so."""


NO_PLAN_CHANGES_WITH_THE_ZONE = "No plan changes with it."
"""Said on the Settings page after the chain's time zone's help (`ChainRules.time_zone`): the zone is left out of
what plans are made with (`planning_settings`)."""
