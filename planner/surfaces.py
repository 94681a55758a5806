"""What a fix tells the user to do with a file, in the words of the surface that shows it: the app's *Upload* page
takes files ("upload it again", "see the template" it offers), the command line is given their paths (`python -m
planner import FILE`; the README describes the columns). A fix is written once, in the app's words, from the phrases
here; the command line shows it through `on_command_line`, which puts each phrase's command-line words in its place,
said of the command that reads the file again (`import` unless the caller names another: `roster replan --absence`
reads its absence file itself).

A choice the app makes on a page and the command line by a flag is named the same way: the app's words name the
setting as the Settings page labels it (`planner.settings`), the command line's name its flag.

Stdlib, the settings' labels and `planner.words` only: every layer that writes a fix (reading, checking, intake)
may use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from planner.settings import Settings, ShiftRules, field_info
from planner.weeks import IsoWeek
from planner.words import agreeing, counted, first_named, listed, number_text, store_label


@dataclass(frozen=True)
class FileCommand:
    """A command of the command line that reads a file, as a fix of that file names it: what the command does with
    the file (`verb`: "import"), how to run it again on the file (`command`) and on several files (`commands`)."""

    verb: str
    command: str
    commands: str


IMPORT = FileCommand("import", "python -m planner import FILE", "python -m planner import FILE FILE ...")
"""`import`, which reads every file the app's *Upload* page takes."""
IMPORT_COMMAND = IMPORT.command
"""How the command line imports a file, as its fixes name it."""


@dataclass(frozen=True)
class Phrase:
    """One thing to do, as the app says it and as the command line says it: `command_line` may name the command that
    reads the file, by its `{verb}` (`{Verb}` at the start of a sentence), `{command}` or `{commands}`."""

    app: str
    command_line: str

    def said_by(self, reader: FileCommand = IMPORT) -> str:
        """The command-line words, of `reader`."""
        return self.command_line.format(verb=reader.verb, Verb=reader.verb[:1].upper() + reader.verb[1:],
                                        command=reader.command, commands=reader.commands)


UPLOAD_A_CSV_OR_XLSX = Phrase("Upload a CSV or XLSX file", "{Verb} a CSV or XLSX file ({command})")
UPLOAD_A_FILE = Phrase("Upload a file", "{Verb} a file")
UPLOAD_IT_AGAIN = Phrase("upload it again", "{verb} it again ({command})")
UPLOAD_AGAIN = Phrase("upload again", "{verb} it again ({command})")
UPLOAD_THAT = Phrase("upload that", "{verb} that ({command})")
UPLOAD_THOSE = Phrase("upload those", "{verb} those ({commands})")
UPLOAD_EACH_SHEET = Phrase("upload each sheet as its own file", "{verb} each sheet as its own file")
EVERY_ROW_TO_IMPORT = Phrase("every row to import", "every row to {verb}")
"""The rows of a workbook's sheets after the first, which are not read: to import on the app (and by `import`), to
re-plan or plan with for a command that reads its file itself."""
UPLOAD_ONLY = Phrase("Upload only", "{Verb} only")
ADD_THE_FILE_AGAIN = Phrase("add the file again", "{verb} the file again ({command})")
SEE_THE_TEMPLATE = Phrase("see the template", "see the README, 'Input files'")
MORE_SOLVER_TIME = Phrase("allow the solver more time", "allow the solver more time: --time-limit SECONDS")
"""A schedule the time limit stopped (`planner.shifts.report.explain`): the app's Settings page sets the limit
(*Schedule time limit*); the command line's `schedule` takes it as a flag; `plan`, which plans with the chain's
settings, says `PLAN_MORE_SOLVER_TIME`'s words."""
PLAN_MORE_SOLVER_TIME = Phrase(MORE_SOLVER_TIME.app, "allow the solver more time: python -m planner settings set "
                                                     "shifts.time_limit_seconds=SECONDS")
"""What `plan` and `plans show` say for it: their limit is the chain's saved setting."""
ASK_FOR_MIN_STAFF_COVER = Phrase(
    f"the switch \"{field_info(ShiftRules, 'min_staff_cover').label}\" on the Settings or Schedule page",
    "--min-staff-cover, or the switch on the Settings or Schedule page")
"""How min_staff cover is asked for, where a schedule or plan left hours without a recommendation empty
(`planner.shifts.report`): a page names the switch by its label, `schedule` and `plan` by their flag."""

SET_THE_CHAINS_TIME_ZONE = Phrase("set the chain's time zone in Settings",
                                  "set the chain's time zone (`python -m planner settings set "
                                  "time_zone=Europe/Berlin`, or the Settings page)")
"""Where a calendar's time zone is set for every store without its own (`planner.settings.ChainRules.time_zone`)."""
THE_CHAINS_TIME_ZONE = Phrase("the chain's time zone (the Settings page)",
                              "the chain's time zone (`python -m planner settings set time_zone=Europe/Berlin` sets it)")
"""What a store file's empty `time_zone` leaves the store with (its check's fix), and where that is set."""
GIVE_THE_STORE_ITS_ZONE = Phrase("give the store its own in the store file's time_zone column (the Upload page)",
                                 "give the store its own in the store file's time_zone column ({command})")
"""The other place a calendar's time zone comes from, before the chain's (`SET_THE_CHAINS_TIME_ZONE`): one store's
own, in its store file row, which the Upload page takes and `import` reads."""
PICK_THE_STORES = Phrase("pick the stores you want on each page",
                         "pick the stores you want on each page or with --store")
"""How a store stops being planned without being deleted (a store file that leaves stored stores out): the pages'
store pickers; the command line's --store too."""
PLAN_MIN_STAFF_COVER = Phrase(
    f"the switch \"{field_info(ShiftRules, 'min_staff_cover').label}\" on the Settings page",
    "`plan --min-staff-cover`, or the Settings page's switch")
"""How a plan is made with min_staff cover, where a plan with no shift is refused (`saved_plans.EmptyPlans`): the
Plans page plans with the chain's saved settings, whose switch the Settings page sets; `plan` takes its flag."""
PLAN_OTHER_STORES = Phrase("pick only the other stores and make the plan again",
                           "--store for each of them, or pick them on the Plans page")
"""How the other stores' plans are published without a store whose plan is refused: on the Plans page, the one it is
said on, by picking them; on the command line by naming them."""
PLAN_WHOLE_SHIFTS = Phrase("a weekly budget that pays for whole shifts (the Settings page)",
                           "a weekly budget that pays for whole shifts (python -m planner settings set "
                           "weekly_budget_staff_hours=HOURS)")
"""How a counted store's plan that the budget left without a shift gets one (`saved_plans.EmptyPlans` and a publish
that leaves it out): the chain's saved settings, which the Settings page sets and `settings set`. Soft cover is on
already: under full cover a budget too small for whole shifts leaves no schedule at all (`PLAN_FULL_COVER_BUDGET`),
so "or with soft cover" told a plan to do what it did."""
PLAN_FULL_COVER_BUDGET = Phrase(
    "a weekly budget that pays for full cover, or with \"Cover every required hour\" off (the Settings page)",
    "a weekly budget that pays for full cover, or with full cover off (python -m planner settings set "
    "weekly_budget_staff_hours=HOURS, or hard_coverage=off)")
"""How a counted store's plan that full cover within the weekly budget left without a shift gets one: the schedule's
own sentence says what full cover pays at least (`planner.shifts.report.explain`)."""
RAISE_MAX_STAFF = Phrase(
    "Raise the store's max_staff in its store file (the Upload page), or plan it again with \"Cover every required "
    "hour\" off (the Settings page)",
    "Raise the store's max_staff in its store file (python -m planner import --stores STORES.csv), or plan it "
    "again with full cover off (python -m planner settings set hard_coverage=off)")
"""How a plan that full cover left without a shift for an hour needing more staff than the store's max_staff gets
one: the schedule's own sentence names the hours and the staff they need."""
PLAN_SOFT_COVER = Phrase(
    "Plan it again with \"Cover every required hour\" off (the Settings page)",
    "Plan it again with full cover off (python -m planner settings set hard_coverage=off)")
"""How a plan that full cover left without a shift for another cause (no allowed shift reaches an hour, the hard
rules conflict) gets one: its schedule's sentence says which."""
PLAN_FLOOR_WITHIN_MAX = Phrase(
    "Plan it again with a lower minimum (Fewest staff on the floor: the Settings page, or the store file's min_staff "
    "column on the Upload page), shift lengths that fit its opening hours (the Settings page), or a higher max_staff "
    "in its store file (the Upload page)",
    "Plan it again with a lower minimum (python -m planner settings set min_staff=STAFF, or the store file's "
    "min_staff column), shift lengths that fit its opening hours (settings set shift_lengths_hours=4,6,8), or a "
    "higher max_staff in its store file (python -m planner import --stores STORES.csv)")
"""How a plan with soft cover gets a shift where whole shifts cannot keep the store's minimum staff (at most its
max_staff) on the floor in every open hour without more than max_staff somewhere: full cover is off already, so
turning it off (`PLAN_SOFT_COVER`, `RAISE_MAX_STAFF`) would not help."""
PLAN_MORE_WORK_UNITS = Phrase(
    "Ask whoever runs the planner to allow the solver more work units, then plan it again: its limit in work units "
    "(deterministic_time_limit, in planner/settings.py) stopped the search, and neither the Settings page nor a "
    "longer time limit changes it",
    "Ask whoever runs the planner to allow the solver more work units, then plan it again: its limit in work units "
    "(deterministic_time_limit, in planner/settings.py) stopped the search, and neither `python -m planner settings "
    "set` nor a longer time limit changes it")
"""How a plan that the solver's deterministic limit left without any schedule gets one: no planner's setting raises
that limit (the schedule's own sentence says "allow the solver more work units")."""
PLAN_MIN_STAFF_BUDGET = Phrase(
    "a weekly budget that pays for the store's minimum staff in every open hour, or a lower minimum (Fewest staff on "
    "the floor: the Settings page, or the store file's min_staff column on the Upload page)",
    "a weekly budget that pays for the store's minimum staff in every open hour (python -m planner settings set "
    "weekly_budget_staff_hours=HOURS), or a lower minimum (settings set min_staff=STAFF, or the store file's "
    "min_staff column: python -m planner import --stores STORES.csv)")
"""How a plan whose weekly budget cannot pay for the store's minimum staff in every open hour gets a shift (soft
cover already: full cover off would not help): the schedule's own sentence says what that minimum pays at least."""
PLAN_FITTING_SHIFTS = Phrase(
    "shift lengths that fit its opening hours (the Settings page)",
    "shift lengths that fit its opening hours (python -m planner settings set shift_lengths_hours=4,6,8)")
"""How a plan whose required hours no allowed shift fits gets a shift: its schedule's sentence names the lengths."""
IMPORT_A_CORRECTED_STORE_FILE = Phrase("Upload a corrected store file on the Upload page",
                                       "Import a corrected store file (python -m planner import --stores STORES.csv)")
"""What a store whose stored row cannot be planned needs (`planner.targets.unusable_stores`): the app's Upload page
takes store files; the command line's `import --stores` reads one."""
IMPORT_A_CORRECTED_STORE_CALENDAR = Phrase(
    "Upload a store calendar with the corrected row on the Upload page",
    "Import a store calendar with the corrected row (python -m planner import --calendar CALENDAR.csv)")
"""What a store whose stored calendar row makes two dates' openings overlap needs (`planner.calendar.
calendar_overlaps`): the app's Upload page takes store calendars; the command line's `import --calendar` reads one."""
STORED_BEFORE = {"`--min-staff-cover`, or the switch on the Settings or Schedule page": ASK_FOR_MIN_STAFF_COVER}
"""Words a saved plan's document may hold from before they were written once here (the optimiser's sentences of
plans saved from 4 to 6 Dec 2026 name the flag in backticks), and the phrase they stand for: a page and the command
line show such a sentence in that phrase's words of today (`in_current_words`). The document itself is never
rewritten: a saved plan stays as it was made."""
UPLOAD_ITS_COUNTS = Phrase("Upload its counts on the Upload page", "Import its counts (python -m planner import FILE)")
"""What a store with no counts yet needs before a plan of it has anything to go on (`planner.saved_plans`): the
Upload page takes count files; the command line's `import` reads them."""

NO_SHIFT_FIXES = {
    "time_limit": f"Plan it again and {PLAN_MORE_SOLVER_TIME.app}",
    "work_units": PLAN_MORE_WORK_UNITS.app,
    "budget_below_full_cover": f"Plan it again with {PLAN_FULL_COVER_BUDGET.app}",
    "budget_below_min_staff": f"Plan it again with {PLAN_MIN_STAFF_BUDGET.app}",
    "max_staff": RAISE_MAX_STAFF.app,
    "hard_rules": PLAN_SOFT_COVER.app,
    "floor_above_max_staff": PLAN_FLOOR_WITHIN_MAX.app,
    "no_whole_shift": f"Plan it again with {PLAN_WHOLE_SHIFTS.app}",
    "shift_rules": f"Plan it again with {PLAN_FITTING_SHIFTS.app}",
}
"""What to do for a counted store's plan with no shift, by the cause its schedule's report decided
(`planner.shifts.report.NO_SHIFT_CAUSES`, the cause its sentence says), in a page's words: `plan_on_command_line`
says each in the command line's."""

PHRASES = (UPLOAD_A_CSV_OR_XLSX, UPLOAD_A_FILE, UPLOAD_IT_AGAIN, UPLOAD_AGAIN, UPLOAD_THAT, UPLOAD_THOSE,
           UPLOAD_EACH_SHEET, EVERY_ROW_TO_IMPORT, UPLOAD_ONLY, ADD_THE_FILE_AGAIN, SEE_THE_TEMPLATE, MORE_SOLVER_TIME,
           ASK_FOR_MIN_STAFF_COVER, PICK_THE_STORES, SET_THE_CHAINS_TIME_ZONE, THE_CHAINS_TIME_ZONE,
           IMPORT_A_CORRECTED_STORE_FILE, IMPORT_A_CORRECTED_STORE_CALENDAR)
"""Every phrase, the longer of two that begin alike first ("Upload a CSV or XLSX file" before "Upload a file")."""


def on_command_line(text: str, reader: FileCommand = IMPORT) -> str:
    """`text`, a fix written in the app's words, in the command line's: a file is read again by `reader`."""
    if not any(word in text for word in ("pload", "template", "add the file", "more time", "row to import",
                                         ASK_FOR_MIN_STAFF_COVER.app, PICK_THE_STORES.app,
                                         SET_THE_CHAINS_TIME_ZONE.app, THE_CHAINS_TIME_ZONE.app)):
        return text  # most fixes name no file to upload: nothing to look for
    for phrase in PHRASES:
        text = text.replace(phrase.app, phrase.said_by(reader))
    return text


def plan_on_command_line(text: str) -> str:
    """A plan's text (`planner.plans.export.plan_text`, a saved plan's in today's words: `in_current_words`) or a
    plan's refusal as `plan`, `plans show` and `plans publish` print it: its time limit is the chain's saved setting,
    changed by `settings set`; min_staff cover is `plan`'s flag, as `schedule`'s; stores are picked by --store."""
    text = in_current_words(text)
    for phrase in (PLAN_MORE_SOLVER_TIME, ASK_FOR_MIN_STAFF_COVER, PLAN_MIN_STAFF_COVER, PLAN_OTHER_STORES,
                   UPLOAD_ITS_COUNTS, PLAN_WHOLE_SHIFTS, PLAN_FULL_COVER_BUDGET, RAISE_MAX_STAFF, PLAN_SOFT_COVER,
                   IMPORT_A_CORRECTED_STORE_FILE, IMPORT_A_CORRECTED_STORE_CALENDAR, PLAN_MORE_WORK_UNITS,
                   PLAN_MIN_STAFF_BUDGET, PLAN_FLOOR_WITHIN_MAX, PLAN_FITTING_SHIFTS):  # a phrase before one it holds
        text = text.replace(phrase.app, phrase.command_line)
    return text


def in_current_words(text: str) -> str:
    """`text` read from a saved plan (an optimiser's sentence) in the app's words of today (`STORED_BEFORE`), as a
    page shows it."""
    for before, phrase in STORED_BEFORE.items():
        text = text.replace(before, phrase.app)
    return text


PLAN_AS_MADE = ("The store's counts, store file row, calendar and the settings are as when this plan was made, and "
                "a plan made now from today's counts of the other stores (from which the hours it counted little "
                "are partly borrowed) requires the same staff in every hour.")
"""The Plans page's word for a plan as made (`planner.saved_plans.plans_with_status`: nothing of its own changed,
and other stores' counts, where they changed since, move none of its staff)."""


CHANGED_SINCE_MADE = "changed since it was made"
"""What changed of a plan's inputs, after what did ("the chain's settings changed since it was made"), in the same
words on the Plans page, in `plans list`, `plans show` and the Plans CSV: the list and the CSV ended at "changed
since"."""


HELD_AS_MADE = ", as made (its inputs have changed since: see above)"
"""What a shown plan's schedule status holds for when the plan is out of date: "optimal, proven best, every
required hour covered" read as if it held against today's inputs (after "Status in full", a sentence of its own: "...
as said above): S01: optimal: proven best" strung four colons together). Not "for the requirement
it was made from (today's differs)": a plan is out of date too where only the shift settings or the store's name or
wage changed, and its requirement is today's."""


STATUS_IN_A_REASON = {"infeasible": "no schedule can keep every rule",
                      "infeasible within the budget": "no schedule within the budget can keep every rule"}
"""A schedule's status (its `planner.shifts` status text) as the reason a store is left out of a plan says it, where
the solver's word would stand alone: "(60 open hours: infeasible)" read as if the hours were infeasible; it reads
"(60 open hours; no schedule can keep every rule)"."""


def plan_staff_moved(moved: str, hours: str = "") -> str:
    """The Plans page's sentence for a plan whose own inputs are as made but whose staff a plan made now moves
    (`moved`: the part of its status `planner.pooled_moves.pooled_moved_part` words, "other stores' counts move its
    staff in 3 hours"; `hours`: which, and by how much, `planner.pooled_moves.moves_text`): what `plans show` says as
    "out of date: other stores' counts move its staff in 3 hours"."""
    if hours:
        return (f"This plan's own counts, store file row, calendar and settings are as when it was made, but {moved}: "
                f"{hours}. Re-plan makes it again from today's counts.")
    return (f"This plan's own counts, store file row, calendar and settings are as when it was made, but {moved}: "
            "Re-plan makes it again from today's counts.")


def replan_requirement(hours: int, moved: str, same_shifts: bool) -> str:
    """What re-planning an out-of-date plan changes in its requirement (`planner.replan_moves`), said on the Plans
    page after "This plan was made before the chain's settings changed: make it again." before Re-plan is pressed:
    `hours` in which it requires other staff (`moved`: which, `pooled_moves.moves_text`), or none, and then whether
    the shifts come out the same (`same_shifts`: nothing else they are made from changed)."""
    if hours:
        return f"Re-planned now, it would require other staff in {counted(hours, 'hour')}: {moved}."
    if same_shifts:
        return "Re-planned now, it would require the same staff in every hour and give the same shifts."
    return ("Re-planned now, it would require the same staff in every hour, though its shifts may change with the "
            "shift settings, its store file row or its calendar.")


def finding_replan_moves(plans: int) -> str:
    """The spinner's words while the app finds what re-planning `plans` out-of-date plans would change."""
    return f"Finding what re-planning {counted(plans, 'plan')} would change…"


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


class SavedPlanNamed(Protocol):
    """What names a saved plan in a sentence (`planner.settings_change.OutOfDatePlan` has it)."""

    plan_id: int
    store_id: str
    iso_week: str
    status: str
    store_name: str


PLANS_NAMED = 5
"""Saved plans a sentence names (`saved_plans_named`); more are counted."""
PLAN_STATUS_NAMES = {"draft": "draft", "published": "published plan", "superseded": "superseded plan"}
"""A saved plan's status as a sentence names the plan ("the draft of ..."); "plan" where the status is not read."""


def saved_plan_named(plan: SavedPlanNamed, whole: bool = False) -> str:
    """`plan` as every sentence names a saved plan (a save of the settings or an import put it out of date): its
    status, its store as the pickers label it, its week by the Monday it begins and its id: "the draft of S01 – Berlin
    Mitte for the week of 7 Dec 2026 (plan 2)". The Settings page said "S01 week of 7 Dec 2026 (plan 2)" and the
    Upload page "the draft of S01 2026-W50 (plan 2)" of the same plan. `whole`: the store as a file or a terminal
    names it, its id and name whole (`store_label`); a page cuts a long one."""
    monday = IsoWeek.parse(plan.iso_week).monday
    store = store_label(plan.store_id, plan.store_name, whole=whole)
    return (f"the {PLAN_STATUS_NAMES.get(plan.status, 'plan')} of {store} "
            f"for the week of {monday.day} {monday:%b %Y} (plan {plan.plan_id})")


def saved_plans_named(plans: Sequence[SavedPlanNamed], whole: bool = False) -> str:
    """`plans` named (`saved_plan_named`), the last after "and"; past `PLANS_NAMED` the rest counted ("... and 2
    more"); "" for none."""
    each = [saved_plan_named(plan, whole) for plan in plans]
    return first_named(each, PLANS_NAMED) if len(each) > PLANS_NAMED else listed(each)


IMPORT_REPLAN_ON_PAGE = "on the Plans page"
"""Where the Upload page sends a planner to re-plan what an import put out of date (`import_put_out_of_date`)."""


def import_put_out_of_date(plans: Sequence[SavedPlanNamed], replan: str = IMPORT_REPLAN_ON_PAGE,
                           whole: bool = False) -> str:
    """The sentence after an import that put saved plans out of date (`planner.import_change`), on the Upload page
    and from `import`, which says how to `replan` them its own way: "The published plan of S01 – Berlin Mitte for the
    week of 14 Dec 2026 (plan 1) is now out of date: re-plan it on the Plans page."; "" for none."""
    if not plans:
        return ""
    named = saved_plans_named(plans, whole)
    one = len(plans) == 1
    return (f"{named[0].upper()}{named[1:]} {'is' if one else 'are'} now out of date: re-plan "
            f"{'it' if one else 'them'} {replan}.")


IMPORT_PLANS_LINK = "See the out-of-date plans on Plans"
"""The Upload page's link to the Plans page under `import_put_out_of_date`."""


# --- My store and Roster: words of their pages --------------------------------------------------------------------

HOURS_WITHOUT_ESTIMATE = "Hours with no estimate"
"""My store's metric of the open hours never counted with nothing near to borrow from: "Open hours without a
recommendation" wrapped onto two lines at 1024 px, its help icon far to the right; the help says it in full."""
RANGE_CUT_AT_MAX = "range cut"
"""The one phrase for a likely range whose high end stops at the store's maximum (demand at the high end of its range
would need more), wherever that is said: My store's Max column, the CSVs' max_staff_note and likely range ("8 to 12
(range cut)"), the count advice's bands, an hour's sentence and the chart's note ("range cut at the store's maximum
of 12 staff"). "capped" beside a recommendation of 10 under a maximum of 12 read as if the staff were; and the same
cut read four ways ("range cut", "capped at max", "capped at the store's maximum", "... of 12 staff")."""
ABOVE_MAX = "above max"
"""The one phrase for staff above the store's maximum, wherever that is said: My store's Max column where the
recommendation itself is above it (the range then stops at the recommendation), the CSVs' max_staff_note and likely
range ("13 to 17 (above max)"), the count advice's bands, an hour's sentence ("..., above max)") and a schedule's or
roster's check ("2 on the floor, above max of 1"). The column said "above max" and the files, advice and sentences
"above the store's max" or "above the store's maximum": one idea read three ways."""
MAX_COLUMN_HELP = (f"the store's maximum staff (store file): *{RANGE_CUT_AT_MAX}*: the likely range stops at the "
                   "maximum, though demand at the high end of its range would need more; "
                   f"*{ABOVE_MAX}*: the recommendation itself is above the maximum, and the range stops at the "
                   "recommendation; blank: neither")


def clock_change_mark(change_hours: float) -> str:
    """What the roster's grids write after a shift across a change of the clocks, `change_hours` the hours it adds
    (+1 as they go back, -1 as they go forward): " (+1 h)"; "" for no change. Short, as the page's day is 68 px and
    the terminal's grid as wide as its widest cell; the sentence under either grid (`clock_change_said`) and the
    shift CSV's `clock_change_hours` say it in full."""
    if not change_hours:
        return ""
    return f" ({'+' if change_hours > 0 else '-'}{number_text(abs(change_hours))} h)"


def clock_change_said(shift: str, paid_hours: float, change_hours: float) -> str:
    """A shift across a change of the clocks, in plain words beside the roster's grid and under `roster`'s: "Person
    A, Sat 24 Oct 22:00-06:00+1: 9 hours worked and paid, 1 hour more than the clock shows, as the clocks go back an
    hour that night." (`shift` names the person and the shift as the grid does)."""
    clock = counted(abs(change_hours), "hour")
    more, way = ("more", "back") if change_hours > 0 else ("less", "forward")
    return (f"{shift}: {counted(paid_hours, 'hour')} worked and paid, {clock} {more} than the clock shows, as the "
            f"clocks go {way} {'an hour' if abs(change_hours) == 1 else clock} that night.")


MISSED_MARKS = {"expected_service_level": "▼", "expected_abandon_share": "▲"}
"""The marks beside an hour's figure on My store that misses its target on average over the demand's likely range:
approached in time below the target, giving up above the most."""


def on_average(settings: Settings) -> str:
    """Why My store can mark an hour's averaged service as missing its target beside the staff recommended for it
    (`planner.staffing.hedge`: the rule is a chance, the service shown an average), with the chances `settings` ask
    (`StaffingRules`) by how certain the hour's estimate is (its confidence: `high` where counted
    `DemandRules.min_hours_for_high_confidence` times or more and never at what its staff could serve): said in the
    marked columns' header help."""
    staffing = settings.staffing
    return (f"staff are set to meet the targets with a chance over what the demand could be "
            f"({_percent(staffing.counted_target_confidence)} in an hour whose estimate is well founded, counted "
            f"{settings.demand.min_hours_for_high_confidence} times or more and never at what its staff could serve, "
            f"{_percent(staffing.target_confidence)} in one less certain), not on average over it: more demand than "
            "estimated costs more service than less demand saves, so the average can miss a target that the staff "
            "meet in most plausible demands; the hour's explanation gives its chance, by how much it misses and "
            "what one more person would give")


MISSED_MEANINGS = {"expected_service_level": "below the in-time target",
                   "expected_abandon_share": "above the give-up target"}
"""What each mark of `MISSED_MARKS` says of its hour's figure, on average."""


def missed_marks_caption(settings: Settings, shown=tuple(MISSED_MARKS)) -> str:
    """The line above My store's hourly table: what the marks (`MISSED_MARKS`) of the columns `shown` (those the
    day's table marks) say, and why a recommended staff can carry one (its rule is a chance over what the demand
    could be, the figures an average over it), with the chances `settings` ask, from the lower to the higher
    (`on_average` says which hour is asked which); "" where the table shows no mark (the line explained both marks
    over days that showed neither)."""
    marked = [column for column in MISSED_MARKS if column in shown]
    if not marked:
        return ""
    low, high = sorted((settings.staffing.counted_target_confidence, settings.staffing.target_confidence))
    marks = " and ".join(MISSED_MARKS[column] for column in marked)
    meaning = " or ".join(MISSED_MEANINGS[column] for column in marked)
    if len(marked) > 1:  # "below the in-time target or above the give-up one"
        meaning = meaning.removesuffix("target") + "one"
    return (f"{marks}: on average {meaning}: staff are set to meet the targets in "
            f"{_percent(low)} to {_percent(high)} of plausible demands (by how certain the hour's estimate is), not "
            "on average over them; the hour's explanation below says which and by how much")


def _percent(share: float) -> str:
    """A chance as the settings write it: "54%", "65%", "97.5%"."""
    return f"{100 * share:.4g}%"


RECOMMENDED_REQUIREMENT = "the week's recommended staff, with its calendar applied"
"""A roster's requirement where no plan of its week is published (`planner.rostering`), as the Roster page shows it
after "requirement: " in brackets of its own."""
RECOMMENDED_REQUIREMENT_BEFORE = "the recommended staff of the week (its calendar applied)"
"""The same as rosters saved before kept it: shown in today's words (the page's brackets held a second pair)."""

UPLOAD_TAKES = "Count files, the store file, employee and absence files or the store calendar (CSV or XLSX)"
"""What the Upload page's drop zone takes, in one line above it: it sat under three long sections of explanation, near
the bottom of the first screen at 1024 px."""
UPLOAD_CHECKED_FIRST = ("Every file is checked first; nothing is stored until you press Import, and a file with errors "
                        "cannot be imported. What each file holds is explained below.")
"""Said under the drop zone, before any file is added."""

# --- Upload: words of its page ------------------------------------------------------------------------------------

UPLOAD_TITLE = "Upload counts"


def upload_size_help(megabytes: int) -> str:
    """The drop zone's help: the largest file it takes (`ImportRules`, the server's limit)."""
    return f"At most {megabytes:,} MB per file: split a larger file, e.g. by month or by store."


def expected_kinds(kinds: Sequence[str]) -> str:
    """What a file read as none of `kinds` is said to be instead ("kind unknown" told a planner nothing of what the
    page takes): "expected observations, stores, ... or calendar"."""
    return f"expected {', '.join(kinds[:-1])} or {kinds[-1]}"


def added_more_than_once(name: str) -> str:
    """A file added twice under one `name` (markdown-escaped): the copy added last is the one checked."""
    return f"**{name}** was added more than once: only the copy added last is checked and imported."


def dropped_from_import(names: Sequence[str]) -> str:
    """The files (`names`, markdown-escaped) the user dropped from this import, and how to undo it."""
    return ("Dropped from this import: " + ", ".join(f"**{name}**" for name in names)
            + ". Remove them from the list above with ×, or bring them back.")


UPLOAD_BRING_BACK = "Bring back dropped files"


def import_blocked_by(names: Sequence[str]) -> str:
    """The files (`names`, markdown-escaped) whose errors block the import, and the two ways on. One file's words for
    several read as a slip ("blocked by a, b. Correct the file and add it again")."""
    named = [f"**{name}**" for name in names]
    files, them = ("the file", "it") if len(named) == 1 else (f"the {counted(len(named), 'file')}", "them")
    return (f"The import is blocked by {listed(named)}. Correct {files} and add {them} again (a file with the same "
            f"name replaces the earlier copy), or drop {them} from this import.")


def drop_file(name: str) -> str:
    """The button that drops the file `name` (markdown-escaped) from this import."""
    return f"Drop {name}"


UPLOAD_IMPORT = "Import"
UPLOAD_IMPORT_BLOCKED = "Correct or drop the files with errors first."
"""The Import button's help while a file's errors block it."""
UPLOAD_IMPORTING = "Importing…"


def first_problems(shown: int, problems: int) -> str:
    """Under the problems written out in full, when the table below holds more."""
    return f"The first {shown} of {problems:,} problems; the table below holds every one."


def problems_as_table(problems: int) -> str:
    """The expander holding every problem as a table."""
    return f"The {problems:,} problem{'' if problems == 1 else 's'} as a table (to sort, search or download)"


UPLOAD_PROBLEM_HEADERS = {"severity": "Severity", "row": "Row", "column": "Column", "value": "Value",
                          "message": "Problem", "fix": "How to fix it", "file": "File"}
"""The problems table's headers, by its columns (`planner.errors.InputProblem`'s fields)."""
UPLOAD_PROBLEM_HELP = {"severity": "error: blocks the import; warning: imported as it is",
                       "row": "the file's row (the header is row 1)"}
"""The help of the problems table's headers that need one."""


def checked_with_warnings(name: str, rows: int, warnings: str) -> str:
    """A checked file's status line (`name` as the page writes it) with warnings and no error: its rows are imported
    as they are; `warnings` counts them (`planner.errors.problems_counted`)."""
    return (f"{name}: {counted(rows, 'row')}, {warnings}; "
            f"{agreeing(rows, 'that row is imported as it is', 'those rows are imported as they are')}.")


def checked_clean(name: str, rows: int) -> str:
    """A checked file's status line (`name` as the page writes it) with no problem."""
    return f"{name}: {counted(rows, 'row')}, no problems."


UPLOAD_TO_ROSTER = "Make a roster with them on the Roster page"
"""Where an import of people leads: the roster reads them, not My store's recommendation."""
UPLOAD_TO_MY_STORE = "See the recommended staff on My store"

UPLOAD_FILES_LOOK_LIKE = "What the files look like"


def template_example_row(store_id: str) -> str:
    """Above the templates: the example row each holds, under the store id `store_id`, is not imported."""
    return (f"Each template has one example row, store id `{store_id}`: replace it with your own rows. A file that "
            "still holds it is not imported.")


UPLOAD_OBSERVATION_FILE = "**Observation file**: one row per store and counted hour, with a header row:"
UPLOAD_OBSERVATION_COLUMNS = {
    "store_id": "the store's id, as in the store file (e.g. S01)",
    "date": "the calendar date, YYYY-MM-DD",
    "hour": "the clock hour the count started, 0-23 (13 = 13:00-14:00)",
    "visitors": "people who came in during the hour",
    "assisted": "customers a salesperson served",
    "self_service": "customers who shopped on their own",
    "assisted_minutes": "staff minutes spent serving the assisted customers",
    "self_service_minutes": "staff minutes of short touches for self-service customers",
    "staff_on_duty": "salespeople on the floor (optional)",
}
"""The count file's columns (`planner.schemas.ObservationSchema`) and what each holds."""
UPLOAD_OBSERVATION_TEMPLATE = "Download an empty template (CSV)"
UPLOAD_STORE_FILE = ("**Store file**: one row per store; upload it with the counts when a store is new or its opening "
                     "hours, wages or staff limits changed. It is recognised by its columns, and replaces the stores "
                     "with the same ids:")
UPLOAD_STORE_COLUMNS = {
    "store_id": "unique id, e.g. S01",
    "name, region, format": "free text",
    "mon ... sun": "opening hours that day, HH:MM-HH:MM or closed (10:00-01:00 closes after midnight)",
    "wage_per_hour": "cost of one staff-hour",
    "min_staff, max_staff": "fewest and most salespeople in any open hour",
    "target_service_level, target_wait_seconds, patience_minutes, max_abandon_share":
        "optional targets for this store: service level (0.9 = 90%), wait in seconds, patience in minutes, most who "
        "may give up (0.05 = 5%); blank: the value on the Settings page",
    "service_cv": "optional spread of this store's service times in the simulation (sd / mean: 1.5 for many long "
                  "consultations); blank: the setting's 1.0",
    "time_zone": "optional time zone of the store's clock, an IANA name such as Europe/London, which its calendar "
                 "files (.ics) state; blank: the chain's time zone on the Settings page",
}
"""The store file's columns (`planner.schemas.StoreSchema`; several of a kind in one row) and what each holds."""
UPLOAD_STORE_TEMPLATE = "Download an empty store file template (CSV)"

UPLOAD_PEOPLE_FILES_LOOK_LIKE = "Employees and absences: what their files look like"
UPLOAD_PEOPLE_FILES = ("Rosters name people: upload the employee file (one row per person: contract, skills, when they "
                       "can work) and absence files (leave, sick days) with the other files above. They are recognised "
                       "by their columns; a corrected file replaces the people or absences it repeats and keeps the "
                       "others.")
UPLOAD_EMPLOYEE_FILE = "**Employee file**: one row per person:"
UPLOAD_EMPLOYEE_COLUMNS = {
    "employee_id": "unique id, e.g. E001",
    "name": "the person's name, as rosters show it",
    "store_id": "home store, as in the store file",
    "also_stores": "optional: other stores the person may work in, separated by ; (e.g. B12;B14)",
    "skills": "optional: e.g. keyholder;cashier;fitting_room (a keyholder may open and close)",
    "contract_hours_min, contract_hours_max": "paid hours a week the contract gives at least and allows at most",
    "max_hours_per_day": "optional: most paid hours a day (blank: the labour rules' default)",
    "wage_per_hour": "optional: the person's wage (blank: the store's)",
    "mon ... sun": "when the person can work: 09:00-17:00, several as 09:00-13:00;17:00-21:00, off, or blank for "
                   "any time (22:00-06:00 runs past midnight)",
    "preferred_days_off, prefers": "optional wishes: weekdays such as sat;sun, and early or late",
}
UPLOAD_EMPLOYEE_TEMPLATE = "Download an empty employee file template (CSV)"
UPLOAD_ABSENCE_FILE = "**Absence file**: one row per absence:"
UPLOAD_ABSENCE_COLUMNS = {
    "employee_id": "the person, as in the employee file",
    "first_day, last_day": "the days away, YYYY-MM-DD (blank last_day: one day)",
    "reason": "optional: leave, sick, training...",
}
UPLOAD_ABSENCE_TEMPLATE = "Download an empty absence file template (CSV)"
UPLOAD_CALENDAR_LOOKS_LIKE = "Store calendar: what its file looks like"
UPLOAD_CALENDAR_FILE = ("Days that differ from the usual week (holidays, closures, changed hours, sales) are a store "
                        "calendar file, uploaded with the other files above and recognised by its columns. Plans and "
                        "rosters of those weeks follow it; a corrected file replaces the days it repeats and keeps the "
                        "others.")
UPLOAD_CALENDAR_COLUMNS = {
    "store_id": "the store, as in the store file; blank or * for every store (a holiday)",
    "date": "the day, YYYY-MM-DD",
    "closed": "yes when the store is closed that day",
    "hours": "optional: that day's opening hours, HH:MM-HH:MM, when they differ from the usual ones",
    "demand_factor": "optional: 1.4 = 40% more customers than that weekday usually brings (a sale, an event)",
    "note": "optional: why (Christmas Eve, stocktaking...)",
}

SIGNING_YOU_IN = "Signing you in…"
"""What the sign-in page shows while the tab has not yet said whether it holds a sign-in (a reload, a tab started over):
the form shown meanwhile had people type their password again for a session that came back on its own."""

AUDIT_KINDS = "Kinds of change"
"""The Audit page's pick of the kinds of change it lists (import, plan, publish, ...)."""
AUDIT_INCLUDE_SIGN_INS = "Include sign-ins"
AUDIT_NO_KIND_PICKED = "No kind of change picked: pick one or more above."


def sign_ins_left_out(sign_ins: int) -> str:
    """Beside the Audit page's *Include sign-ins*: the trail opens without them (`audit.LEFT_OUT_AT_FIRST`), and says
    how many it leaves out, so an empty-looking week is not read as nobody signing in."""
    return f"{counted(sign_ins, 'sign-in')} left out, so the other changes come first."


NO_PLAN_CHANGES_WITH_THE_ZONE = "No plan changes with it."
"""Said on the Settings page after the chain's time zone's help (`ChainRules.time_zone`): the zone is left out of
what plans are made with (`planning_settings`)."""

# --- Long work: what a page says while it works ------------------------------------------------------------------

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
    """The Roster page's spinner while it rosters a store's week, with the longest it may take: the roster's time
    limit (`RosterRules.time_limit_seconds`, a stop the search never passes). "Rostering… (the solver takes up to its
    time limit)" named neither the store, whose label had changed above it, nor how long."""
    return f"Rostering {store_id} for {iso_week}… at most {duration(time_limit_seconds)} (the roster time limit on " \
        "the Settings page)"


def duration(seconds: float) -> str:
    """A wait as people say it: "45 seconds", "1 minute", "2.5 minutes"."""
    if seconds < 60:
        return counted(round(seconds, 1), "second")
    return counted(round(seconds / 60, 1), "minute")


# --- Simulation: why an hour is at risk -----------------------------------------------------------------------------

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


def measured_against(made_for: str) -> str:
    """What the Roster page says under a published roster's figures where the week's requirement is no longer the one
    it was made for (`planner.rostering.requirement_now`): which one they measure. "Uncovered staff-hours 0.0" sat
    under the words that a new plan had replaced its own, where the new plan left hours short."""
    return f"Required and uncovered staff-hours against {made_for}, which it was made from."


def covered_against(made_for: str | None = None) -> str:
    """The Roster page's line where a roster leaves nothing uncovered and breaks no wish; said of `made_for` when the
    week's requirement is no longer that one (`measured_against`)."""
    against = f" against {made_for}" if made_for else ""
    return f"None{against}: every required hour is covered, with a keyholder, and every wish is met."


REPLAN_ON_PLANS_PAGE = "Re-plan the week on the Plans page, publish the new plan, then roster again"
"""What the Roster page says to do about a roster, draft or published, whose plan is out of date; it links the Plans
page beside it."""


def not_measured_now(reason: str) -> str:
    """What the Roster page says, in one line above a published roster, where measuring it against the requirement
    in force now (`planner.rostering.requirement_now`) failed with the planner's `reason`: the roster still shows
    (the error took the whole page's place)."""
    return f"The comparison with the plan in force now could not be made: {reason}"


def shortfall_now(now: str, uncovered_staff_hours: float, short: tuple[str, ...]) -> str:
    """A published roster against the requirement `now` in force (`planner.rostering.RequirementNow`): the staff-hours
    it leaves uncovered and each span short ("Sat 10:00-18:00: up to 3 staff short (20 staff-hours uncovered)")."""
    if not short:
        return f"Against {now} in force now, its shifts cover every required hour."
    return (f"Against {now} in force now, its shifts leave {uncovered_staff_hours:,.1f} staff-hours uncovered: "
            f"{'; '.join(short)}.")


def files_follow(made_for: str, now: str) -> str:
    """What the Roster page says by a published roster's downloads where `now`, the requirement in force, is not the
    one it was made for: the files and calendars carried no mark of following a replaced plan."""
    return (f"These files and calendars follow {made_for}, not {now} in force now: roster the week again, publish it "
            "and download them again to follow it.")


def calendar_out_of_date(replaced: str) -> str:
    """What each event of a calendar of a published roster says where the plan it was made from was replaced
    (`replaced`, as `planner.rostering.plan_replaced` says it: "made from plan 1, which the published plan 2 has
    replaced"): a person importing it was given the replaced plan's shifts with no mark of it, where the Roster page
    said so only beside its downloads (`files_follow`)."""
    return f"Roster out of date: {replaced}. These shifts may change when the week is rostered again."


def person_named(employee_id: str, name: str) -> str:
    """A person as the Roster page names them in a sentence of whose shifts change: "Ann B. (E07)", the id telling
    apart people of one name."""
    return f"{name} ({employee_id})"


def publish_replaces(roster_id: int, people: Sequence[tuple[str, str]], shifts: Sequence[tuple[str, int]],
                     breaks_moved: int) -> str:
    """What the Roster page says above a publish button where a roster of the week is published already
    (`planner.rostering.ShiftChanges`): which roster it replaces and whose shifts change: `people`, (employee_id,
    name) of each (`person_named`); `shifts`, (kind, count) of
    each kind of change to shifts' hours in a re-plan's words ("added", "cancelled", "moved", "shortened", ...), and the
    breaks moved within their shifts' hours. Publishing over a published roster said nothing of either; a break moved
    read "1 shift moved", a shift shortened "moved" too."""
    if not people:
        return f"Publishing it replaces the published roster {roster_id}, with the same shifts for everyone."
    kinds = [f"{counted(count, 'shift')} {kind}" for kind, count in shifts if count]
    kinds += [f"{counted(breaks_moved, 'break')} moved"] if breaks_moved else []
    named = ", ".join(person_named(*person) for person in people)
    return (f"Publishing it replaces the published roster {roster_id}: the shifts of {named} change "
            f"({', '.join(kinds)}).")


def send_calendars_again(roster_id: int, replaced: int, people: Sequence[tuple[str, str]]) -> str:
    """What the Roster page says once a roster is published over `replaced`: whose calendars to send again, `people`
    as (employee_id, name) (their shifts changed; a cancelled shift's event is cancelled in the new calendar)."""
    if not people:
        return f"Published roster {roster_id} in place of roster {replaced}: no one's shifts changed."
    named = ", ".join(person_named(*person) for person in people)
    return (f"Published roster {roster_id} in place of roster {replaced}: send {named} their calendars "
            "again (Calendar of, below), as their shifts changed.")
