"""Words of the Upload page: what its drop zone takes, the checked files' status lines and problems, and what each
file looks like."""

from __future__ import annotations

from collections.abc import Sequence

from planner.words import agreeing, counted, listed

UPLOAD_TAKES = "Count files, the store file, employee and absence files or the store calendar (CSV or XLSX)"
"""What the Upload page's drop zone takes, in one line above it: it sat under three long sections of explanation, near
the bottom of the first screen at 1024 px."""
UPLOAD_CHECKED_FIRST = ("Every file is checked first; nothing is stored until you press Import, and a file with errors "
                        "cannot be imported. What each file holds is explained below.")
"""Said under the drop zone, before any file is added."""


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
