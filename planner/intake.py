"""From uploaded files to stored rows: read, validate every file, and import them all in one transaction.

Store files are recognised by their header (they have opening-hour columns) and checked first, so observation files
in the same batch are checked against them as well as against the stores already in the database. Employee files
(an `employee_id` column), absence files (`employee_id` and `first_day`) and store calendars (a `date` and `closed`,
`opens` or `demand_factor`) are checked against the stores and employees the same way.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from planner.access.scope import CHANGE_STORES, EVERYTHING, Scope
from planner.errors import HasProblems, InputProblem, InputRejected, not_listed_count, problems_not_listed
from planner.hours import OpeningHours
from planner.io import batch, read_table, validate_observations, validate_stores
from planner.io.calendar import ROWS_ARE as CALENDAR_ROWS_ARE, SPECS as CALENDAR_SPECS, calendar_rows, validate_calendar
from planner.io.checking import STORE_FILE, ColumnSpec
from planner.io.employees import (
    ABSENCE_ROWS_ARE, ABSENCE_SPECS, EMPLOYEE_ROWS_ARE, EMPLOYEE_SPECS, list_items, validate_absences,
    validate_employees,
)
from planner.io.observations import ROWS_ARE as COUNT_ROWS_ARE, SPECS as COUNT_SPECS
from planner.io.raw_table import ANY_ROWS, EmptyFirstSheet, RawTable, SheetHeader
from planner.io.sheets import rows_on_another_sheet
from planner.io.stores import ROWS_ARE as STORE_ROWS_ARE, SPECS as STORE_SPECS, opening_week
from planner.memory import release_freed_memory
from planner.calendar import merged_calendar, stored_exceptions
from planner.schemas import CHAIN_WIDE, FILE_NAME_MAX_CHARS, EmployeeSchema, StoreSchema
from planner.settings import ImportRules
from planner.store_rows import changed_cells
from planner.surfaces.fixes import ADD_THE_FILE_AGAIN, COUNTS_ON_THEIR_OWN, UPLOAD_IT_AGAIN, UPLOAD_ONLY
from planner.words import disguised, listed, nearest

if TYPE_CHECKING:  # the database layer is imported only by an import: checking a file does not need it
    from sqlalchemy import Engine

    from planner.storage import ImportSummary

STORES, OBSERVATIONS, EMPLOYEES, ABSENCES, CALENDAR = "stores", "observations", "employees", "absences", "calendar"
UNKNOWN = "unknown"
"""The kind of a file that could not be read as a table (a file that is no table, a workbook whose first sheet is
empty) where no other sheet of it holds a kind's rows: it may have been meant as any."""
_ROWS_OF: dict[str, tuple[list[ColumnSpec], str]] = {
    OBSERVATIONS: (COUNT_SPECS, COUNT_ROWS_ARE), STORES: (STORE_SPECS, STORE_ROWS_ARE),
    EMPLOYEES: (EMPLOYEE_SPECS, EMPLOYEE_ROWS_ARE), ABSENCES: (ABSENCE_SPECS, ABSENCE_ROWS_ARE),
    CALENDAR: (CALENDAR_SPECS, CALENDAR_ROWS_ARE),
}
"""Each kind's columns and how the error of a workbook whose rows are on another sheet names them ("the stores")."""


def kind_words(kind: str) -> str:
    """What a file of `kind` holds, as "a file of ..." says it: "stores", "calendar days" (not "a file of
    calendar"), "observations"."""
    return "calendar days" if kind == CALENDAR else kind


@dataclass(frozen=True)
class CheckedFile(HasProblems):
    file_name: str
    kind: str
    sha256: str
    frame: pd.DataFrame
    """Validated typed rows; empty when the file has errors."""
    problems: tuple[InputProblem, ...]
    rows_read: int = 0
    """The file's rows below its header, errors or not (0 when it could not be read as a table)."""
    written: pd.DataFrame | None = None
    """A calendar's cells that change a date's opening as the file has them (`ValidatedCalendar.written`), which
    the batch's warnings quote; None for other kinds."""

    @property
    def unread(self) -> bool:
        """It could not be read as a table (its errors say why): no row of it was checked, nor anything against it,
        and its `kind` is that of the rows another sheet of it holds, or `UNKNOWN`."""
        return self.rows_read == 0 and bool(self.errors)


def check_files(
    files: list[tuple[str, bytes]],
    known_stores: pd.DataFrame | None,
    rules: ImportRules,
    observed_cells: pd.DataFrame | None = None,
    known_employee_ids: Iterable[str] | None = None,
    scope: Scope = EVERYTHING,
    taken_employee_ids: Iterable[str] = (),
    known_stores_in: str = "the database",
    known_calendar: pd.DataFrame | None = None,
    stand_in_stores: tuple[pd.DataFrame, str] | None = None,
    kinds: dict[str, str] | None = None,
    counts_calendar: pd.DataFrame | None = None,
    counted_days: pd.DataFrame | None = None,
    stored_stores: pd.DataFrame | None = None,
) -> list[CheckedFile]:
    """Validate every file (name, bytes). `known_stores` (a `StoreSchema` frame, e.g. the database's) is what
    observation store ids are checked against, together with any store file in `files`; None skips that check.
    `observed_cells` (store_id, weekday, hour, observed_hours: `planner.coverage.cell_summary` of the stored counts)
    lets a new store file warn about stored counts in hours it now says are closed.

    Besides each file's own problems, the batch is checked as a whole (warnings): a store, date and hour in two
    files (the later file's row is imported), stores the database has that a new store file leaves out (kept), and
    stored counts in hours a new store file closes. Employee files are checked against the stores, absence files
    against `known_employee_ids` (None: not checked, unless an employee file is in the batch) and the batch's
    employee files. An employee file's row with one of `taken_employee_ids` (`storage.load_taken_employee_ids`: the
    ids of other stores' people, which `scope`'s import would refuse) is an error naming the row.

    With a `scope` that does not cover every store, `known_stores` must be the stores it covers (so no message names
    another), and every row of a store outside it is an error naming the row: the file is rejected whole.

    `known_calendar` (`storage.load_calendar`'s rows: the calendar stored) makes a new store file whose usual hours
    overlap a stored date's changed hours (the date before or after running past midnight into the other) an error
    naming the store's row, the usual day's column and the date.

    `stand_in_stores` (stores, where they come from): what the ids are checked against in place of `known_stores`
    when the batch has no store file (`validate` on an empty database checks them against the sample's); with a
    store file in the batch, that file is all there is, and no stand-in store is "already stored".

    A store id not among them is "not in" `known_stores_in` (where `known_stores` came from), "not in the store
    file" when the batch's store file is all there is, or in either: "store 'S99' is not in the store file" read as
    if a store file had been given when the check was against the database's stores.

    `kinds` maps a file's name to the kind it was named as (`import --stores`, `--calendar`): a workbook of it with
    no first sheet to read is told to put that kind's rows there ("the stores"), where a file of any kind is told
    to put "the rows".

    `counts_calendar` (`storage.load_calendar`'s rows of every date: the calendar stored), with the rows of the
    batch's calendar files in place of its own of the same store and date, is the calendar the counts are checked
    against: a count in an hour its date's changed hours close is a warning saying how plans read it, one in an
    hour they open is not warned of as closed (`validate_observations`). With `counted_days`
    (`storage.load_counted_days`: the stored counts' dates and hours), a calendar file's row that closes hours
    where counts are stored is such a warning too (`batch.counts_a_calendar_closes`).

    A `scope` that may not change the chain's store file (`CHANGE_STORES`: store managers, regional leads) may
    upload one only with its rows as `stored_stores` has them (default `known_stores`; `validate --stores` checks
    against the file alone and passes the stored rows here): each cell that differs, and each row of a store not
    stored, is an error naming the row, and nothing of the batch is imported."""
    raws: list[tuple[str, bytes, RawTable | None, tuple[InputProblem, ...]]] = []
    unread_kinds: dict[int, str] = {}  # by position: the kind of a file not read, whose rows another sheet holds
    for name, content in files:
        try:
            _check_file_name(name)
            rows_are = _ROWS_OF[kinds[name]][1] if name in (kinds or {}) else ANY_ROWS
            raws.append((name, content, read_table(content, name, rules, every_problem=True, rows_are=rows_are), ()))
        except EmptyFirstSheet as rejected:  # are the rows, of whatever kind, on another sheet?
            elsewhere = rows_elsewhere(name, (), rejected.other_sheets)
            if elsewhere is not None:
                unread_kinds[len(raws)] = elsewhere[0]
            raws.append((name, content, None, rejected.problems if elsewhere is None else (elsewhere[1],)))
        except InputRejected as rejected:
            raws.append((name, content, None, rejected.problems))
    checked: dict[int, CheckedFile] = {}  # by position: two uploads may share a name
    store_frames = [] if known_stores is None else [known_stores]
    named_ids: list[str] = []  # every store id a store file of the batch names, its rows readable or not
    for position, (name, content, raw, _) in enumerate(raws):
        if raw is not None and file_kind(raw) == STORES:
            result = validate_stores(raw, rules)
            store_frames.append(result.frame)
            named_ids += result.store_ids
            checked[position] = CheckedFile(name, STORES, sha256_of(content), result.frame, result.problems)
    if stand_in_stores is not None and len(store_frames) == (known_stores is not None):  # no store file
        known_stores, known_stores_in = stand_in_stores
        store_frames = [known_stores]
    week = _store_week(store_frames) if store_frames else None
    # a store of a store file with errors is not missing from it (every count of the chain read "store 'S05' is
    # not in the store file"); only its opening hours are not known, and so not checked
    store_ids = None if week is None else list(dict.fromkeys([*week, *named_ids]))
    store_file = len(store_frames) > (known_stores is not None)
    known = known_stores is not None and not (known_stores.empty and store_file)  # an empty database adds nothing
    stores_in = _stores_in(known, store_file, known_stores_in)
    people = _check_people(raws, store_ids, known_employee_ids, rules, set(taken_employee_ids), stores_in)
    checked |= people
    for position, (name, content, raw, _) in enumerate(raws):
        if raw is not None and file_kind(raw) == CALENDAR:
            result = validate_calendar(raw, store_ids, rules, stores_in, week, known_calendar)
            checked[position] = CheckedFile(name, CALENDAR, sha256_of(content), result.frame, result.problems,
                                            written=result.written)
    calendar = _calendar_of_counts(counts_calendar, [c.frame for c in checked.values() if c.kind == CALENDAR])
    for position, (name, content, raw, problems) in enumerate(raws):
        if raw is None:  # said "observations" of a calendar on the second sheet, or of a file that is no table
            checked[position] = CheckedFile(name, unread_kinds.get(position, UNKNOWN), sha256_of(content),
                                            pd.DataFrame(), problems)
        elif position not in checked:
            result = validate_observations(raw, week, rules, stores_in, store_ids, calendar)
            checked[position] = CheckedFile(name, OBSERVATIONS, sha256_of(content), result.frame, result.problems)
    result = [replace(checked[position], rows_read=0 if raw is None else len(raw.frame))
              for position, (_, _, raw, _) in enumerate(raws)]
    if not scope.all_stores:
        result = _outside_scope(result, raws, known_stores, scope)
    chain = known_stores if stored_stores is None else stored_stores
    if not scope.may(CHANGE_STORES) and chain is not None:  # None: nothing stored is known, the import judges it
        result = [_chain_rows(file, chain) if file.kind == STORES and not file.errors else file for file in result]
    raws = raw = None
    release_freed_memory()  # the files' text tables: only the typed frames are kept
    return _with_batch_warnings(result, known_stores, observed_cells, rules, known_calendar,
                                (calendar, counted_days, week))


def _calendar_of_counts(stored: pd.DataFrame | None, batch: list[pd.DataFrame]) -> pd.DataFrame | None:
    """The calendar counts are checked against (`CalendarSchema` rows): the `stored` rows (`storage.load_calendar`'s)
    with the `batch`'s calendar files' rows (checked, `CalendarSchema`) in place of those of the same store and date,
    later files over earlier ones, as the import keeps them; None when there are none."""
    return merged_calendar(None if stored is None or stored.empty else stored_exceptions(stored), *batch)


def _stores_in(known: bool, store_file: bool, known_stores_in: str) -> str:
    """Where the store ids checked against come from, as the messages name it."""
    if known and store_file:
        return f"{STORE_FILE} or {known_stores_in}"
    return known_stores_in if known else STORE_FILE


def _check_people(raws, store_ids: list[str] | None, known_employee_ids: Iterable[str] | None,
                  rules: ImportRules, taken_employee_ids: set[str], stores_in: str = STORE_FILE
                  ) -> dict[int, CheckedFile]:
    """Employee files (against `store_ids` and `taken_employee_ids`), then absence files (against the known and the
    batch's employees)."""
    checked: dict[int, CheckedFile] = {}
    employee_ids = None if known_employee_ids is None else set(known_employee_ids)
    stored_people = None if employee_ids is None else sorted(map(str, employee_ids))
    for kind in (EMPLOYEES, ABSENCES):
        for position, (name, content, raw, _) in enumerate(raws):
            if raw is None or file_kind(raw) != kind:
                continue
            if kind == EMPLOYEES:
                result = validate_employees(raw, store_ids, rules, stores_in)
                if stored_people is not None:  # 's01-e01' beside the stored 'S01-E01', as a store id's slip is said
                    result = replace(result, problems=result.problems + tuple(
                        batch.lookalike_people(name, result.frame, stored_people)))
                # the ids the file names, also when another of its rows has an error (its frame is then empty): an
                # absence of a person it adds read "is not in the employee file"; its own errors block the import
                named = raw.frame["employee_id"].astype(str).str.strip() if "employee_id" in raw.frame else []
                employee_ids = (employee_ids or set()) | set(result.frame["employee_id"]) | {i for i in named if i}
                taken = _taken_ids(name, raw, taken_employee_ids)
                if taken:
                    checked[position] = CheckedFile(name, kind, sha256_of(content), result.frame.iloc[0:0],
                                                    tuple(sorted(result.problems + taken, key=_problem_order)))
                    continue
            else:
                result = validate_absences(raw, employee_ids, rules)
            checked[position] = CheckedFile(name, kind, sha256_of(content), result.frame, result.problems)
    return checked


def _taken_ids(name: str, raw: RawTable, taken_employee_ids: set[str]) -> tuple[InputProblem, ...]:
    """Each row of an employee file whose id is another store's person's, as an error (the file is not imported):
    the import would refuse it whole, having moved that person into the uploader's store."""
    if not taken_employee_ids or "employee_id" not in raw.frame:
        return ()
    ids = raw.frame["employee_id"]
    return tuple(InputProblem(
        name, int(row), "employee_id", person, f"employee id '{person}' is already taken by a person of a store that "
        "is not yours", "Give your people ids of their own (e.g. your store's id and a number) and "
        f"{ADD_THE_FILE_AGAIN.app}; nothing of this file is imported.")
        for row, person in ids[ids.isin(taken_employee_ids)].items())


FORM_DATA_ESCAPES = {"%22": '"', "%0D": "\r", "%0A": "\n"}
"""What a browser writes for `"`, CR and LF in the name of a file it uploads (HTML's multipart/form-data encoding);
Streamlit passes the name on as received."""
_FORM_DATA_ESCAPE = re.compile("|".join(FORM_DATA_ESCAPES))


def uploaded_name(sent: str) -> str:
    """The name of the file the user picked, from the name its upload was sent under: `counts %22x%22.csv` was shown,
    imported and recorded for the file `counts "x".csv`. Only the form's three escapes are undone, in one pass: a file
    truly named `100%25.csv` keeps its name."""
    return _FORM_DATA_ESCAPE.sub(lambda escape: FORM_DATA_ESCAPES[escape.group(0)], sent)


def latest_by_name(files: list[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], list[str]]:
    """One file per name, the last one added (a corrected file replaces the one it corrects), in the order the
    kept copies were added; and the names that were added more than once."""
    latest = {name: position for position, (name, _) in enumerate(files)}
    counts = Counter(name for name, _ in files)
    return [files[position] for position in sorted(latest.values())], [n for n, c in counts.items() if c > 1]


def file_id(name: str, content: bytes) -> tuple[str, str]:
    """What tells two uploads apart: the name and the content's SHA-256 (as `CheckedFile.sha256`)."""
    return name, sha256_of(content)


class WrongKind(Exception):
    """A file named as one kind (the store file of an import) reads as another: importing it as what it is would
    leave the batch's store ids checked against nothing it was meant to be."""

    def __init__(self, file_name: str, kind: str, expected: str) -> None:
        super().__init__(f"{file_name}: reads as a file of {kind_words(kind)}, not {kind_words(expected)}")
        self.file_name, self.kind, self.expected = file_name, kind, expected


def import_files(engine: Engine, files: list[tuple[str, bytes]], rules: ImportRules,
                 scope: Scope = EVERYTHING, kinds: dict[str, str] | None = None) -> list[ImportSummary]:
    """Validate then store every file in one transaction; any error anywhere raises `InputRejected` (with every
    problem of every file) and stores nothing. A row of a store `scope` does not cover is such an error (and the
    storage refuses it too: `OutsideScope`). `kinds` maps a file's name to the kind it must be (`STORES`, ...): a
    file read as another kind raises `WrongKind` before anything else is said of it, and nothing is stored."""
    from planner import storage

    checked = check_files(files, storage.load_stores(engine, scope), rules,
                          known_employee_ids=storage.load_employees(engine, scope=scope)["employee_id"], scope=scope,
                          taken_employee_ids=storage.load_taken_employee_ids(engine, scope),
                          known_calendar=calendar_that_matters(engine, scope), kinds=kinds,
                          counts_calendar=storage.load_calendar(engine, scope=scope),
                          counted_days=storage.load_counted_days(engine, scope))
    for c in checked:
        expected = (kinds or {}).get(c.file_name)
        # a file not read has the kind another of its sheets holds: moving that sheet first would not make it the
        # file named (`import --stores` of a calendar behind an empty first sheet); one of a kind unknown says why
        if expected is not None and c.kind not in (expected, UNKNOWN):
            raise WrongKind(c.file_name, c.kind, expected)
    problems = [p for c in checked for p in c.problems]
    if any(p.severity == "error" for p in problems):
        raise InputRejected(problems)
    store_files = [c for c in checked if c.kind == STORES]
    employee_files = [c for c in checked if c.kind == EMPLOYEES]
    summaries = []
    for kind, files_of_kind in (("store", store_files), ("employee", employee_files)):
        if len(files_of_kind) > 1:
            raise InputRejected([InputProblem(c.file_name, None, None, "", f"more than one {kind} file in one import",
                                              "Import one at a time.") for c in files_of_kind])
    store = store_files[0] if store_files else None
    employee = employee_files[0] if employee_files else None
    summaries += storage.save(
        engine,
        store.frame if store else None,
        (store.file_name, store.sha256) if store else None,
        [(c.frame, c.file_name, c.sha256) for c in checked if c.kind == OBSERVATIONS],
        employee_file=(employee.frame, employee.file_name, employee.sha256) if employee else None,
        absence_files=[(c.frame, c.file_name, c.sha256) for c in checked if c.kind == ABSENCES],
        scope=scope,
        calendar_files=[(calendar_rows(c.frame), c.file_name, c.sha256) for c in checked if c.kind == CALENDAR],
    )
    warned = {c.file_name: tuple(c.warnings) for c in checked}
    return [replace(summary, warnings=warned.get(summary.file_name, ())) for summary in summaries]


def calendar_that_matters(engine, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """The stored calendar rows a new store file's or calendar file's hours are checked against (`check_files`'
    `known_calendar`): those of weeks not over yet, and the Sunday before them, whose evening may run into the
    Monday. A week that is over is not planned for publishing any more (its published plan stays as made), so a row
    of it, history, does not hold up today's import."""
    import datetime as dt

    from planner import clock, storage
    from planner.weeks import IsoWeek

    return storage.load_calendar(engine, scope=scope, since=IsoWeek.of(clock.today()).monday - dt.timedelta(days=1))


def file_kind(raw: RawTable) -> str:
    """An `employee_id` column makes an absence file (with `first_day`) or an employee file; a store file has
    opening-hour and name columns; a store calendar has a `date` and one of `closed`, `opens` or `demand_factor`
    (or `hours` and no `hour`); anything else is read as observations.

    A workbook whose first sheet is none of these and has none of the count file's columns (a cover sheet) is of
    the kind of the first other sheet that holds every column of its kind, so that its check names that sheet
    (`rows_on_another_sheet`): read as counts, it listed the count file's columns as missing."""
    kind = _kind_of(set(raw.frame.columns))
    counts_named = set(raw.frame.columns) & {spec.name for spec in COUNT_SPECS if spec.required}
    if kind == OBSERVATIONS and not counts_named:
        elsewhere = rows_elsewhere(raw.file_name, raw.frame.columns, raw.other_sheets)
        return kind if elsewhere is None else elsewhere[0]
    return kind


def rows_elsewhere(file_name: str, first_sheet_columns, other_sheets: tuple[SheetHeader, ...]
                   ) -> tuple[str, InputProblem] | None:
    """The kind of the first of `other_sheets` that holds every column of its kind where the first sheet
    (`first_sheet_columns`: none for an empty one, `EmptyFirstSheet`) does not, and the one error naming that sheet;
    None where no sheet does."""
    for sheet in other_sheets:
        kind = _kind_of(set(sheet.columns))
        specs, rows_are = _ROWS_OF[kind]
        elsewhere = rows_on_another_sheet(file_name, first_sheet_columns, (sheet,), specs, rows_are)
        if elsewhere is not None:
            return kind, elsewhere
    return None


def _kind_of(columns: set[str]) -> str:
    """The kind of file a header of `columns` makes (`file_kind`)."""
    if "employee_id" in columns:
        return ABSENCES if "first_day" in columns else EMPLOYEES
    # columns no count file has (`hours` only without `hour`, which a misspelt count header might be)
    if "date" in columns and (columns & {"closed", "opens", "demand_factor"} or ("hours" in columns and
                                                                                  "hour" not in columns)):
        return CALENDAR
    return STORES if {StoreSchema.name, "mon"} <= columns or {StoreSchema.name, StoreSchema.wage_per_hour} <= columns else OBSERVATIONS


def _with_batch_warnings(
    checked: list[CheckedFile], known_stores: pd.DataFrame | None, observed_cells: pd.DataFrame | None,
    rules: ImportRules, known_calendar: pd.DataFrame | None = None,
    counted: tuple[pd.DataFrame | None, pd.DataFrame | None, dict | None] = (None, None, None),
) -> list[CheckedFile]:
    """`checked` with the warnings across the batch and against what is stored (`check_files`); `counted`: (the
    calendar the counts are checked against, the stored counts' days, the stores' weeks)."""
    extra: dict[int, list[InputProblem]] = {}
    calendar, counted_days, weeks = counted
    for kind in (OBSERVATIONS, CALENDAR, ABSENCES):  # a key in two files of the batch: the later file's row is kept
        positions = [i for i, c in enumerate(checked) if c.kind == kind]
        extra |= dict(zip(positions, batch.repeated_keys([(checked[i].file_name, checked[i].frame)
                                                          for i in positions], rules, kind), strict=True))
    for i, file in enumerate(checked):
        if file.kind == STORES and not file.errors:
            extra[i] = [] if known_stores is None else (batch.left_out_stores(file.file_name, file.frame, known_stores)
                                                        + batch.lookalike_stores(file.file_name, file.frame,
                                                                                 known_stores))
            if observed_cells is not None:
                extra[i] += batch.newly_closed_hours(file.file_name, file.frame, observed_cells)
            if known_calendar is not None:
                replacing = [c.frame for c in checked if c.kind == CALENDAR]
                extra[i] += batch.stored_calendar_overlaps(file.file_name, file.frame, known_calendar, replacing,
                                                           rules)
        if file.kind == CALENDAR and not file.errors and calendar is not None and counted_days is not None:
            extra[i] = extra.get(i, []) + batch.counts_a_calendar_closes(file.file_name, file.frame, file.written,
                                                                         calendar, counted_days, weeks or {}, rules)
    result = []
    for i, file in enumerate(checked):
        added = tuple(extra.get(i, ()))
        refused = any(p.severity == "error" for p in added)  # its rows are not imported: none to show as such
        result.append(replace(file, problems=file.problems + added,
                              frame=file.frame.iloc[0:0] if refused else file.frame))
    return result


def _outside_scope(
    checked: list[CheckedFile], raws: list[tuple[str, bytes, RawTable | None, tuple[InputProblem, ...]]],
    known_stores: pd.DataFrame | None, scope: Scope,
) -> list[CheckedFile]:
    """Each row of a store `scope` does not cover as an error naming the row (in place of "not in the store file",
    which would say less); a file with one such row is rejected whole and its rows are not imported."""
    own = set() if known_stores is None else set(known_stores[StoreSchema.store_id].astype(str))
    for file, (_, _, raw, _) in zip(checked, raws, strict=True):
        if raw is not None and file.kind == STORES and StoreSchema.store_id in raw.frame:
            regions = raw.frame.get(StoreSchema.region, pd.Series("", index=raw.frame.index))
            own |= {s for s, r in zip(raw.frame[StoreSchema.store_id], regions, strict=True) if scope.covers(s, r)}
    result = []
    for file, (name, _, raw, _) in zip(checked, raws, strict=True):
        if raw is None or StoreSchema.store_id not in raw.frame:
            result.append(file)
            continue
        if file.kind == EMPLOYEES and EmployeeSchema.also_stores in raw.frame:
            file = _also_stores_outside(file, raw.frame[EmployeeSchema.also_stores], own, scope)
        ids = raw.frame[StoreSchema.store_id]
        # one of the user's own ids written with a slip (another case, markup, a stray character) is said as the
        # check says it for any user, an id to write as stored: not a row of another store, to remove
        unknown = ids[~ids.isin(own)]  # a slip is looked for once an id, among those not the user's (few)
        own_ids = sorted(own)
        slips = {store_id: _slip_of(str(store_id), own_ids) is not None for store_id in unknown.unique()}
        outside = unknown[~unknown.map(slips).astype(bool)]
        if outside.empty:
            result.append(file)
            continue
        rows = set(outside.index)
        kept = _without_rows_counted(tuple(p for p in file.problems if not (
            p.row in rows and p.column == StoreSchema.store_id and p.severity == "error")), file.problems, rows)
        refused = tuple(_outside_row(name, int(row), store_id, file.kind, scope, own)
                        for row, store_id in outside.items())
        result.append(replace(file, frame=file.frame.iloc[0:0], problems=tuple(sorted(kept + refused,
                                                                                 key=_problem_order))))
    return result


def _chain_rows(file: CheckedFile, stored: pd.DataFrame) -> CheckedFile:
    """`file` (a store file without errors) with an error for each cell of a row that is not as `stored` has it,
    and for each row of a store not stored: the chain's store file is the planners' to change."""
    changed, new = changed_cells(file.frame, stored)
    if not changed and not new:
        return file
    by_row: dict[int, list[str]] = {}
    for cell in changed:
        by_row.setdefault(cell.row, []).append(cell.column)
    refused = [InputProblem(
        file.file_name, cell.row, cell.column, cell.written,
        f"store {cell.store_id}'s {cell.column} is not as the chain's store file has it: {cell.stored or '(empty)'} → "
        f"{cell.written or '(empty)'} (stored → this file); the store file is the chain's, and a change to it moves "
        "every plan of the store",
        f"Ask a planner to change {cell.store_id}'s {listed(by_row[cell.row])}, or give the row as stored; "
        f"{COUNTS_ON_THEIR_OWN.app}. Nothing of this batch is imported.") for cell in changed]
    stored_ids = sorted(stored[StoreSchema.store_id].astype(str))
    for row, store_id in new:
        meant = _slip_of(str(store_id), stored_ids)
        refused.append(InputProblem(
            file.file_name, row, StoreSchema.store_id, store_id,
            f"store {store_id} is not in the chain's store file: stores are added by planners" if meant is None
            else f"'{store_id}' reads as the stored store '{meant}' written with a slip (another case, markup or "
                 "stray characters)",
            f"Ask a planner to add store {store_id}; {COUNTS_ON_THEIR_OWN.app}. Nothing of this batch is imported."
            if meant is None else f"Write '{meant}', as the chain's store file has it, and add the file again."))
    return replace(file, frame=file.frame.iloc[0:0],
                   problems=tuple(sorted(file.problems + tuple(refused), key=_problem_order)))


def _without_rows_counted(kept: tuple[InputProblem, ...], problems: tuple[InputProblem, ...],
                          outside: set[int]) -> tuple[InputProblem, ...]:
    """`kept` with the line counting store_id errors past the cap ("and 519 more errors in this column") less the
    rows of other stores past the last one listed: those rows are each named again, as another store's, and the
    line said 519 errors were still to come of a file whose every row was named."""
    listed = [p.row for p in problems if p.column == StoreSchema.store_id and p.severity == "error"
              and p.row is not None]
    last = max(listed, default=0)
    unlisted = sum(row > last for row in outside)
    result = []
    for problem in kept:
        counted_rows = not_listed_count(problem)
        if counted_rows is not None and problem.column == StoreSchema.store_id and problem.severity == "error":
            more = counted_rows - unlisted
            if more <= 0:
                continue
            problem = problems_not_listed(problem.file, problem.column, "error", more)
        result.append(problem)
    return tuple(result)


def _outside_row(name: str, row: int, store_id: str, kind: str, scope: Scope, own: set[str]) -> InputProblem:
    if kind == CALENDAR and store_id.strip() in ("", CHAIN_WIDE):  # not another store's row: every store's
        return InputProblem(
            name, row, StoreSchema.store_id, store_id,
            f"a row for every store ('{CHAIN_WIDE}' or blank) is the chain's, which only a planner may import",
            f"Give your own store's id for a day of your store ({scope.user} {scope.described()}), or ask a planner "
            "to import the chain's rows; nothing of this file is imported.")
    return InputProblem(
        name, row, StoreSchema.store_id, store_id, f"store '{store_id}' is not one of your stores",
        f"{UPLOAD_ONLY.app} the rows of your own stores ({scope.user} {scope.described()}): remove the other "
        f"stores' rows and {ADD_THE_FILE_AGAIN.app}; nothing of this file is imported.")


def _slip_of(store_id: str, ids: list[str]) -> str | None:
    """The one of `ids` (sorted) that `store_id` is written with a slip (another case or width, "s01"; markup or
    stray characters, "<b>S01</b>"), or None. Only such a slip is: a near id ("S1") may be another store's."""
    return nearest(store_id, ids, misspelt=False) or disguised(store_id, ids)


def _also_stores_outside(file: CheckedFile, cells: pd.Series, own: set[str], scope: Scope) -> CheckedFile:
    """Each also_stores cell naming a store `scope` does not cover says so, in place of "not in the store file":
    the store may well be in the chain's store file, only not among the stores the check was given."""
    refused = {}
    for row, cell in cells.items():
        others = [item for item in list_items(cell) if item not in own]
        if others:
            named = ", ".join(f"'{item}'" for item in others)
            refused[row] = InputProblem(
                file.file_name, int(row), EmployeeSchema.also_stores, str(cell),
                f"{named} {'is not one of' if len(others) == 1 else 'are not among'} your stores",
                f"Name only your own stores here ({scope.user} {scope.described()}); a planner can give the person "
                "hours at another store.")
    if not refused:
        return file
    kept = tuple(p for p in file.problems
                 if not (p.row in refused and p.column == EmployeeSchema.also_stores and p.severity == "error"))
    return replace(file, frame=file.frame.iloc[0:0],
                   problems=tuple(sorted(kept + tuple(refused.values()), key=_problem_order)))


def _problem_order(problem: InputProblem) -> tuple[int, str]:
    return (problem.row if problem.row is not None else 0, problem.column or "")


def _check_file_name(name: str) -> None:
    if len(name) > FILE_NAME_MAX_CHARS:
        raise InputRejected([InputProblem(
            name[:60] + "…", None, None, "", f"the file name is {len(name)} characters long, more than the "
            f"{FILE_NAME_MAX_CHARS} the planner records", f"Rename the file to something shorter and {UPLOAD_IT_AGAIN.app}.")])


def _store_week(frames: list[pd.DataFrame]) -> dict[str, tuple[OpeningHours | None, ...]]:
    week: dict[str, tuple[OpeningHours | None, ...]] = {}
    for frame in frames:  # later frames (the file being imported) override the database's stores
        week |= opening_week(frame)
    return week


def sha256_of(content: bytes) -> str:
    """The file's fingerprint, as the uploads table keeps it (hex)."""
    return hashlib.sha256(content).hexdigest()
