"""What a fix tells the user to do with a file, in the words of the surface that shows it: the app's *Upload* page
takes files ("upload it again", "see the template" it offers), the command line is given their paths (`python -m
planner import FILE`; the README describes the columns). A fix is written once, in the app's words, from the phrases
here; the command line shows it through `on_command_line`, which puts each phrase's command-line words in its place,
said of the command that reads the file again (`import` unless the caller names another: `roster replan --absence`
reads its absence file itself).

A choice the app makes on a page and the command line by a flag is named the same way: the app's words name the
setting as the Settings page labels it (`planner.settings`), the command line's name its flag.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.settings import ShiftRules, field_info


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
COUNTS_ON_THEIR_OWN = Phrase("your counts file can be imported on its own: drop the store file from this upload",
                             "your counts file can be imported on its own: {verb} it without the store file "
                             "({command})")
"""What a user who may not change the chain's store file does with the counts uploaded beside it."""
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
           IMPORT_A_CORRECTED_STORE_FILE, IMPORT_A_CORRECTED_STORE_CALENDAR, COUNTS_ON_THEIR_OWN)
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
