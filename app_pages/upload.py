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
from planner.access.scope import PLAN, PUBLISH, OutsideScope, Scope
from planner.intake import CheckedFile
from planner.io.checking import EXAMPLE_STORE_ID
from planner.surfaces.plans import IMPORT_PLANS_LINK, import_put_out_of_date
from planner.surfaces.upload import (
    UPLOAD_ABSENCE_COLUMNS, UPLOAD_ABSENCE_FILE, UPLOAD_ABSENCE_TEMPLATE, UPLOAD_BRING_BACK, UPLOAD_CALENDAR_COLUMNS,
    UPLOAD_CALENDAR_FILE, UPLOAD_CALENDAR_LOOKS_LIKE, UPLOAD_CHECKED_FIRST, UPLOAD_EMPLOYEE_COLUMNS,
    UPLOAD_EMPLOYEE_FILE, UPLOAD_EMPLOYEE_TEMPLATE, UPLOAD_FILES_LOOK_LIKE, UPLOAD_IMPORT, UPLOAD_IMPORTING,
    UPLOAD_IMPORT_BLOCKED, UPLOAD_OBSERVATION_COLUMNS, UPLOAD_OBSERVATION_FILE, UPLOAD_OBSERVATION_TEMPLATE,
    UPLOAD_PEOPLE_FILES, UPLOAD_PEOPLE_FILES_LOOK_LIKE, UPLOAD_PROBLEM_HEADERS, UPLOAD_PROBLEM_HELP,
    UPLOAD_STORE_COLUMNS, UPLOAD_STORE_FILE, UPLOAD_STORE_TEMPLATE, UPLOAD_TAKES, UPLOAD_TITLE, UPLOAD_TO_MY_STORE,
    UPLOAD_TO_ROSTER, added_more_than_once, checked_clean, checked_with_warnings, drop_file, dropped_from_import,
    expected_kinds, first_problems, import_blocked_by, problems_as_table, template_example_row, upload_size_help,
)
from planner.words import ended

MY_STORE_PAGE = "app_pages/my_store.py"
ROSTER_PAGE = "app_pages/roster.py"
PLANS_PAGE = "app_pages/plans.py"
PEOPLE_KINDS = (intake.EMPLOYEES, intake.ABSENCES)  # files a roster reads, not a recommendation
# what a file is read as, in the words each status line names it by: said of a file read as none of them ("kind
# unknown" told a planner nothing of what the page takes)
KINDS = (intake.OBSERVATIONS, intake.STORES, intake.EMPLOYEES, intake.ABSENCES, intake.CALENDAR)
EXPECTED_KINDS = expected_kinds(KINDS)


def render_page() -> None:
    st.title(UPLOAD_TITLE)
    scope = state.current_scope()
    limit = data.upload_limit_megabytes()
    uploaded = st.file_uploader(
        UPLOAD_TAKES,
        type=["csv", "xlsx"],
        accept_multiple_files=True,
        key=state.UPLOADED_FILES,
        max_upload_size=limit,
        help=upload_size_help(limit),
    )
    # the name as the user's file has it, from here on: every message and the audit trail say it
    sent = [(intake.uploaded_name(file.name), file.getvalue()) for file in uploaded or []]
    files, repeated = intake.latest_by_name(sent)
    for name in repeated:
        st.info(added_more_than_once(tables.as_text(name)))
    dropped = st.session_state.get(state.UPLOAD_DROPPED, set())
    left_out = [name for name, content in files if intake.file_id(name, content) in dropped]
    files = [(name, content) for name, content in files if intake.file_id(name, content) not in dropped]
    if left_out:
        st.caption(dropped_from_import([tables.as_text(name) for name in left_out]))
        if st.button(UPLOAD_BRING_BACK, key=state.UPLOAD_UNDROP):
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
        st.error(import_blocked_by([tables.as_text(file.file_name) for file in blocking]))
        for file in blocking:
            if st.button(drop_file(tables.as_text(file.file_name)), key=state.drop_button(file.file_name)):
                dropped = st.session_state.get(state.UPLOAD_DROPPED, set())
                st.session_state[state.UPLOAD_DROPPED] = dropped | {(file.file_name, file.sha256)}
                st.rerun()
    clicked = st.button(
        UPLOAD_IMPORT,
        type="primary",
        disabled=bool(blocking),
        key=state.IMPORT_BUTTON,
        help=UPLOAD_IMPORT_BLOCKED if blocking else None,
    )
    if clicked:
        _import(files, scope)


# The table's columns as shown: whether a line blocks the import and what to correct come first, the file's name
# (often the only file, and said by the heading above a checked file's problems) last.
PROBLEMS_SHOWN = ["severity", "row", "column", "value", "message", "fix", "file"]
PROBLEMS_IN_FULL = 20
# the columns up to the problem add up to 632 px of the 640 the table has at 1024 px, so the problem reads whole,
# wrapped onto more lines where long ("large" cut it mid-word behind the fix); the fix, said in full in the lines
# above the table, and the file follow past the right edge
PROBLEM_WIDTHS = {"severity": 64, "row": 48, "column": 104, "value": 96, "message": 320}


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
        st.caption(first_problems(len(shown), len(problems)))
    with st.expander(problems_as_table(len(problems))):
        _problems_table(problems, with_file=files)


def _problems_table(problems: pd.DataFrame, with_file: bool) -> None:
    config, label, help_of = st.column_config, UPLOAD_PROBLEM_HEADERS, UPLOAD_PROBLEM_HELP
    shown = PROBLEMS_SHOWN if with_file else [column for column in PROBLEMS_SHOWN if column != "file"]
    width = PROBLEM_WIDTHS
    widgets.dataframe(problems, width="stretch", column_order=shown, column_config={
        "severity": config.TextColumn(label["severity"], help=help_of["severity"], width=width["severity"]),
        "row": config.TextColumn(label["row"], help=help_of["row"], width=width["row"]),
        "column": config.TextColumn(label["column"], width=width["column"]),
        "value": config.TextColumn(label["value"], width=width["value"]),
        "message": config.TextColumn(label["message"], width=width["message"]),
        "fix": config.TextColumn(label["fix"], width="large"),
        "file": label["file"],
    }, **tables.wrapped_rows(problems["message"], width["message"], len(problems)))


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
        st.warning(checked_with_warnings(name, len(file.frame), warnings))
    else:
        st.success(checked_clean(name, len(file.frame)))


def _import(files: list[tuple[str, bytes]], scope: Scope) -> None:
    try:
        with st.spinner(UPLOAD_IMPORTING):
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
        st.page_link(ROSTER_PAGE, label=UPLOAD_TO_ROSTER, icon=":material/badge:")
    if changed - set(PEOPLE_KINDS):
        st.page_link(MY_STORE_PAGE, label=UPLOAD_TO_MY_STORE, icon=":material/storefront:")
    if stale:  # a planner learnt it on the Plans page, if at all
        st.warning(tables.as_text(import_put_out_of_date(stale, may_publish=scope.may(PUBLISH))),
                   icon=":material/update:")
        # on the first plan named: it opened on the newest plan, which may be as made
        st.page_link(PLANS_PAGE, label=IMPORT_PLANS_LINK, icon=":material/update:",
                     query_params={state.PLANS_OPEN: str(stale[0].plan_id)})


def _explain_columns() -> None:
    with st.expander(UPLOAD_FILES_LOOK_LIKE):
        st.caption(template_example_row(EXAMPLE_STORE_ID))
        st.markdown(UPLOAD_OBSERVATION_FILE)
        _columns_table(UPLOAD_OBSERVATION_COLUMNS)
        st.download_button(
            UPLOAD_OBSERVATION_TEMPLATE,
            data=data.template_csv(),
            file_name="observations_template.csv",
            mime="text/csv",
            on_click="ignore",
        )
        st.markdown(UPLOAD_STORE_FILE)
        _columns_table(UPLOAD_STORE_COLUMNS)
        st.download_button(
            UPLOAD_STORE_TEMPLATE,
            data=data.store_template_csv(),
            file_name="stores_template.csv",
            mime="text/csv",
            on_click="ignore",
        )


def _explain_people_files() -> None:
    with st.expander(UPLOAD_PEOPLE_FILES_LOOK_LIKE):
        st.write(UPLOAD_PEOPLE_FILES)
        st.markdown(UPLOAD_EMPLOYEE_FILE)
        _columns_table(UPLOAD_EMPLOYEE_COLUMNS)
        st.download_button(UPLOAD_EMPLOYEE_TEMPLATE, data=data.employee_template_csv(),
                           file_name="employees_template.csv", mime="text/csv", on_click="ignore")
        st.markdown(UPLOAD_ABSENCE_FILE)
        _columns_table(UPLOAD_ABSENCE_COLUMNS)
        st.download_button(UPLOAD_ABSENCE_TEMPLATE, data=data.absence_template_csv(),
                           file_name="absences_template.csv", mime="text/csv", on_click="ignore")
    with st.expander(UPLOAD_CALENDAR_LOOKS_LIKE):
        st.write(UPLOAD_CALENDAR_FILE)
        _columns_table(UPLOAD_CALENDAR_COLUMNS)


def _columns_table(columns: dict[str, str]) -> None:
    """A file's columns and what each holds, as the page's tables show them."""
    st.table({"column": list(columns), "meaning": list(columns.values())})


if __name__ == "__main__":  # as a page (streamlit runs it as __main__), not when imported
    with data.errors_shown():
        render_page()
