"""Upload: a store manager drops count files (and, when stores change, the store file), sees every problem at once,
and imports the files when none has an error.

Run by `app.py`'s router as a script; importing the module only defines its functions, so tests can call
`render_check` on their own.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import data, state, tables, widgets
from planner.errors import (
    InputProblem, InputRejected, PlannerError, group_problems, import_blocked, problems_counted, rows_named,
)
from planner import intake
from planner.access.scope import PLAN, OutsideScope, Scope
from planner.intake import CheckedFile
from planner.io.checking import EXAMPLE_STORE_ID
from planner.schemas import ObservationSchema as O, StoreSchema as S
from planner.surfaces import IMPORT_PLANS_LINK, UPLOAD_CHECKED_FIRST, UPLOAD_TAKES, import_put_out_of_date
from planner.words import agreeing, counted, ended

MY_STORE_PAGE = "app_pages/my_store.py"
ROSTER_PAGE = "app_pages/roster.py"
PLANS_PAGE = "app_pages/plans.py"
PEOPLE_KINDS = (intake.EMPLOYEES, intake.ABSENCES)  # files a roster reads, not a recommendation
# what a file is read as, in the words each status line names it by: said of a file read as none of them ("kind
# unknown" told a planner nothing of what the page takes)
KINDS = (intake.OBSERVATIONS, intake.STORES, intake.EMPLOYEES, intake.ABSENCES, intake.CALENDAR)
EXPECTED_KINDS = f"expected {', '.join(KINDS[:-1])} or {KINDS[-1]}"
OBSERVATION_COLUMNS = {
    O.store_id: "the store's id, as in the store file (e.g. S01)",
    O.date: "the calendar date, YYYY-MM-DD",
    O.hour: "the clock hour the count started, 0-23 (13 = 13:00-14:00)",
    O.visitors: "people who came in during the hour",
    O.assisted: "customers a salesperson served",
    O.self_service: "customers who shopped on their own",
    O.assisted_minutes: "staff minutes spent serving the assisted customers",
    O.self_service_minutes: "staff minutes of short touches for self-service customers",
    O.staff_on_duty: "salespeople on the floor (optional)",
}
STORE_COLUMNS = {
    S.store_id: "unique id, e.g. S01",
    f"{S.name}, {S.region}, {S.format}": "free text",
    "mon ... sun": "opening hours that day, HH:MM-HH:MM or closed (10:00-01:00 closes after midnight)",
    S.wage_per_hour: "cost of one staff-hour",
    f"{S.min_staff}, {S.max_staff}": "fewest and most salespeople in any open hour",
    (
        f"{S.target_service_level}, {S.target_wait_seconds}, {S.patience_minutes}, {S.max_abandon_share}"
    ): "optional targets for this store: service level (0.9 = 90%), wait in seconds, patience in minutes, most "
       "who may give up (0.05 = 5%); blank: the value on the Settings page",
    S.service_cv: "optional spread of this store's service times in the simulation (sd / mean: 1.5 for many "
                  "long consultations); blank: the setting's 1.0",
    S.time_zone: "optional time zone of the store's clock, an IANA name such as Europe/London, which its calendar "
                 "files (.ics) state; blank: the chain's time zone on the Settings page",
}

EMPLOYEE_COLUMNS = {
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
CALENDAR_COLUMNS = {
    "store_id": "the store, as in the store file; blank or * for every store (a holiday)",
    "date": "the day, YYYY-MM-DD",
    "closed": "yes when the store is closed that day",
    "hours": "optional: that day's opening hours, HH:MM-HH:MM, when they differ from the usual ones",
    "demand_factor": "optional: 1.4 = 40% more customers than that weekday usually brings (a sale, an event)",
    "note": "optional: why (Christmas Eve, stocktaking...)",
}
ABSENCE_COLUMNS = {
    "employee_id": "the person, as in the employee file",
    "first_day, last_day": "the days away, YYYY-MM-DD (blank last_day: one day)",
    "reason": "optional: leave, sick, training...",
}


def render_page() -> None:
    st.title("Upload counts")
    scope = state.current_scope()
    limit = data.upload_limit_megabytes()
    uploaded = st.file_uploader(
        UPLOAD_TAKES,
        type=["csv", "xlsx"],
        accept_multiple_files=True,
        key=state.UPLOADED_FILES,
        max_upload_size=limit,
        help=f"At most {limit:,} MB per file: split a larger file, e.g. by month or by store.",
    )
    # the name as the user's file has it, from here on: every message and the audit trail say it
    sent = [(intake.uploaded_name(file.name), file.getvalue()) for file in uploaded or []]
    files, repeated = intake.latest_by_name(sent)
    for name in repeated:
        st.info(f"**{tables.as_text(name)}** was added more than once: only the copy added last is checked and imported.")
    dropped = st.session_state.get(state.UPLOAD_DROPPED, set())
    left_out = [name for name, content in files if intake.file_id(name, content) in dropped]
    files = [(name, content) for name, content in files if intake.file_id(name, content) not in dropped]
    if left_out:
        st.caption("Dropped from this import: " + ", ".join(f"**{tables.as_text(name)}**" for name in left_out)
                   + ". Remove them from the list above with ×, or bring them back.")
        if st.button("Bring back dropped files", key=state.UPLOAD_UNDROP):
            st.session_state[state.UPLOAD_DROPPED] = set()
            st.rerun()
    if files:
        render_check(files, scope)
    else:
        st.caption(UPLOAD_CHECKED_FIRST)
    _explain_columns()
    _explain_people_files()


def render_check(files: list[tuple[str, bytes]], scope: Scope) -> None:
    """Check the files; show each file's status line with its own problems right under it (identical problems on many
    rows as one line), say which files block the import and offer to drop them, and offer the import."""
    checked = data.check_files(files, scope)
    for file in checked:
        _status_line(file)
        if file.problems:
            _problems(file.problems)
    blocking = [file for file in checked if file.errors]
    if blocking:
        named = [f"**{tables.as_text(file.file_name)}**" for file in blocking]
        names = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        # one file's words for several read as a slip ("blocked by a, b. Correct the file and add it again")
        files, them = ("the file", "it") if len(blocking) == 1 else (f"the {counted(len(blocking), 'file')}", "them")
        st.error(f"The import is blocked by {names}. Correct {files} and add {them} again (a file with the same "
                 f"name replaces the earlier copy), or drop {them} from this import.")
        for file in blocking:
            if st.button(f"Drop {tables.as_text(file.file_name)}", key=state.drop_button(file.file_name)):
                dropped = st.session_state.get(state.UPLOAD_DROPPED, set())
                st.session_state[state.UPLOAD_DROPPED] = dropped | {(file.file_name, file.sha256)}
                st.rerun()
    clicked = st.button(
        "Import",
        type="primary",
        disabled=bool(blocking),
        key=state.IMPORT_BUTTON,
        help="Correct or drop the files with errors first." if blocking else None,
    )
    if clicked:
        _import(files, scope)


# The table's columns as shown: whether a line blocks the import and what to correct come first, the file's name
# (often the only file, and said by the heading above a checked file's problems) last.
PROBLEMS_SHOWN = ["severity", "row", "column", "value", "message", "fix", "file"]
PROBLEMS_IN_FULL = 20


def _problems(found: tuple[InputProblem, ...]) -> None:
    """The problems, grouped (`tables.grouped_problems_frame`), as sentences that wrap, the first `PROBLEMS_IN_FULL` of them, and
    all of them in a table below. A table cell holds one line: at 1024 px the table cut the problem ("a count is of an
    hour alre…") and pushed "How to fix it" past the right edge, so the sentences, fix included, come first."""
    groups, problems = group_problems(found), tables.grouped_problems_frame(found)  # the same groups, in one order
    shown = problems.head(PROBLEMS_IN_FULL)
    files = problems["file"].nunique() > 1  # then each sentence names its file (two files' row 3 read alike)
    places = [rows_named(group.rows) for group in groups[:PROBLEMS_IN_FULL]]
    st.markdown("\n".join(f"- {_in_full(row, rows, files)}"
                           for row, rows in zip(shown.itertuples(index=False), places, strict=True)))
    if len(problems) > len(shown):
        st.caption(f"The first {len(shown)} of {len(problems):,} problems; the table below holds every one.")
    with st.expander(f"The {_lines(len(problems))} as a table (to sort, search or download)"):
        _problems_table(problems, with_file=files)


def _lines(number: int) -> str:
    return f"{number:,} problem{'' if number == 1 else 's'}"


def _problems_table(problems: pd.DataFrame, with_file: bool) -> None:
    config = st.column_config
    shown = PROBLEMS_SHOWN if with_file else [column for column in PROBLEMS_SHOWN if column != "file"]
    widgets.dataframe(problems, width="stretch", column_order=shown, column_config={
        "severity": config.TextColumn("Severity", help="error: blocks the import; warning: imported as it is"),
        "row": config.TextColumn("Row", help="the file's row (the header is row 1)"),
        "column": "Column", "value": "Value",
        "message": config.TextColumn("Problem", width="large"),
        "fix": config.TextColumn("How to fix it", width="large"),
        "file": "File",
    })


def _in_full(row, rows: str, with_file: bool = False) -> str:
    """One problem as a sentence: "**error**, row 3, date: dated 2027-06-01, .... Check the year and month."
    (after the severity, the file's name when `with_file`); `rows` names its rows ("rows 2-5", `rows_named`)."""
    parts = (row.file if with_file else None, rows, row.column)
    where = ", ".join(tables.as_text(value) for value in parts if value is not None and not pd.isna(value) and str(value))
    message = str(row.message).rstrip(".")
    return (f"**{tables.as_text(row.severity)}**" + (f", {where}" if where else "") + f": "
            f"{tables.as_text(ended(message))} {tables.as_text(row.fix)}")


def _status_line(file: CheckedFile) -> None:
    # errors and warnings counted as the lines under it are (the same problem on many rows is one line), with the
    # rows they are on
    warnings = problems_counted(file.problems, "warning")
    kind = EXPECTED_KINDS if file.kind == intake.UNKNOWN else file.kind  # a file that could not be read as a table
    name = f"**{tables.as_text(file.file_name)}** ({kind})"
    if file.errors:  # the header's problems apart from the rows', and what blocks the import: the errors
        st.error(f"{name}: {tables.as_text(import_blocked(file.problems, file.rows_read))}")
    elif file.warnings:
        rows = len(file.frame)
        st.warning(f"{name}: {counted(rows, 'row')}, {warnings}; "
                   f"{agreeing(rows, 'that row is imported as it is', 'those rows are imported as they are')}.")
    else:
        st.success(f"{name}: {counted(len(file.frame), 'row')}, no problems.")


def _import(files: list[tuple[str, bytes]], scope: Scope) -> None:
    try:
        with st.spinner("Importing…"):
            summaries, stale = data.import_files(files, scope)
    except InputRejected as rejected:
        st.error(str(rejected))
        _problems(rejected.problems)
        return
    except (PlannerError, OutsideScope) as error:  # DatabaseBusy among them
        st.error(tables.as_text(error))
        return
    for summary in summaries:
        (st.success if summary.changed else st.info)(str(summary))
    changed = {summary.kind for summary in summaries if summary.changed}
    # people are read by the roster, not by My store's recommendation: an employee file led there
    if changed & set(PEOPLE_KINDS) and scope.may(PLAN):
        st.page_link(ROSTER_PAGE, label="Make a roster with them on the Roster page", icon=":material/badge:")
    if changed - set(PEOPLE_KINDS):
        st.page_link(MY_STORE_PAGE, label="See the recommended staff on My store", icon=":material/storefront:")
    if stale:  # a planner learnt it on the Plans page, if at all
        st.warning(tables.as_text(import_put_out_of_date(
            [(plan.plan_id, plan.store_id, plan.iso_week, plan.status) for plan in stale])), icon=":material/update:")
        st.page_link(PLANS_PAGE, label=IMPORT_PLANS_LINK, icon=":material/update:")


def _explain_columns() -> None:
    with st.expander("What the files look like"):
        st.caption(f"Each template has one example row, store id `{EXAMPLE_STORE_ID}`: replace it with your own "
                   "rows. A file that still holds it is not imported.")
        st.markdown("**Observation file**: one row per store and counted hour, with a header row:")
        st.table({"column": list(OBSERVATION_COLUMNS), "meaning": list(OBSERVATION_COLUMNS.values())})
        st.download_button(
            "Download an empty template (CSV)",
            data=data.template_csv(),
            file_name="observations_template.csv",
            mime="text/csv",
            on_click="ignore",
        )
        st.markdown("**Store file**: one row per store; upload it with the counts when a store is new or its opening "
                    "hours, wages or staff limits changed. It is recognised by its columns, and replaces the stores "
                    "with the same ids:")
        st.table({"column": list(STORE_COLUMNS), "meaning": list(STORE_COLUMNS.values())})
        st.download_button(
            "Download an empty store file template (CSV)",
            data=data.store_template_csv(),
            file_name="stores_template.csv",
            mime="text/csv",
            on_click="ignore",
        )


def _explain_people_files() -> None:
    with st.expander("Employees and absences: what their files look like"):
        st.write("Rosters name people: upload the employee file (one row per person: contract, skills, when they can "
                 "work) and absence files (leave, sick days) with the other files above. They are recognised by "
                 "their columns; a corrected file replaces the people or absences it repeats and keeps the others.")
        st.markdown("**Employee file**: one row per person:")
        st.table({"column": list(EMPLOYEE_COLUMNS), "meaning": list(EMPLOYEE_COLUMNS.values())})
        st.download_button("Download an empty employee file template (CSV)", data=data.employee_template_csv(),
                           file_name="employees_template.csv", mime="text/csv", on_click="ignore")
        st.markdown("**Absence file**: one row per absence:")
        st.table({"column": list(ABSENCE_COLUMNS), "meaning": list(ABSENCE_COLUMNS.values())})
        st.download_button("Download an empty absence file template (CSV)", data=data.absence_template_csv(),
                           file_name="absences_template.csv", mime="text/csv", on_click="ignore")
    with st.expander("Store calendar: what its file looks like"):
        st.write("Days that differ from the usual week (holidays, closures, changed hours, sales) are a store "
                 "calendar file, uploaded with the other files above and recognised by its columns. Plans and rosters "
                 "of those weeks follow it; a corrected file replaces the days it repeats and keeps the others.")
        st.table({"column": list(CALENDAR_COLUMNS), "meaning": list(CALENDAR_COLUMNS.values())})


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
