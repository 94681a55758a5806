"""Validate an employee file and an absence file: every defect at once, as `InputProblem`s with row, column, value
and fix; a clean file as a typed, normalised frame (`planner.schemas.EmployeeSchema`, `AbsenceSchema`), and from
that the typed people of `planner.roster.people`.

Employee file, one row per person: `employee_id`, `name`, `store_id` (home store), `also_stores` (other stores the
person may work in, separated by `;` or `,`), `skills` (e.g. `keyholder;cashier`), `contract_hours_min` and
`contract_hours_max` per week, `max_hours_per_day` (blank: the labour rules' default), `wage_per_hour` (blank: the
home store's), `mon` .. `sun` (when the person can work that day: windows such as `09:00-17:00`, several separated
by `;`, `off`, or blank for any time; a window ending at or before its start runs past midnight, `22:00-06:00`),
`preferred_days_off` (weekdays such as `sat;sun`) and `prefers` (`early` or `late`).

Absence file, one row per absence: `employee_id`, `first_day`, `last_day` (YYYY-MM-DD; a blank last day: one day)
and `reason`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import pandera.pandas as pa

from planner.errors import HasProblems, InputProblem
from planner.hours import MINUTES_PER_DAY, WEEKDAYS
from planner.io.checking import (
    STORE_FILE, ColumnSpec, Kind, Rule, did_you_mean, first_pass, in_range_check, nearest, number_as_written,
    out_of_range_rule, rule_problems, unknown_store_rule,
)
from planner.io.raw_table import RawTable
from planner.io.sheets import rows_on_another_sheet
from planner.io.tally import Tally
from planner.schemas import (
    ABSENCE_REASON_MAX_CHARS, AVAILABILITY_MAX_CHARS, DAYS_LIST_MAX_CHARS, EMPLOYEE_ID_MAX_CHARS, LIST_MAX_CHARS,
    PERSON_NAME_MAX_CHARS, PREFERENCES, STORE_ID_MAX_CHARS, AbsenceSchema as A, EmployeeSchema as E,
)
from planner.settings import EMPLOYEE_NUMBERS, ImportRules

if TYPE_CHECKING:  # the typed people are imported where they are made: checking a file does not load the solver
    from planner.roster.people import Absence, Employee, Window

OFF = "off"
"""An availability cell for a day the person does not work."""
_ITEM_SEPARATORS = re.compile(r"\s*[;,]\s*")
_WINDOW = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
_SKILL = re.compile(r"[a-z0-9_\-]+( [a-z0-9_\-]+)*")
_AVAILABILITY_FIX = ("Write the hours the person can work as HH:MM-HH:MM (several separated by ;, e.g. "
                     "09:00-13:00;17:00-21:00), off, or leave it blank for any time.")

EMPLOYEE_SPECS = [
    ColumnSpec(E.employee_id, Kind.TEXT, blank_fix="Enter a short unique id such as E001.",
               max_chars=EMPLOYEE_ID_MAX_CHARS),
    ColumnSpec(E.name, Kind.TEXT, blank_fix="Enter the person's name.", max_chars=PERSON_NAME_MAX_CHARS),
    ColumnSpec(E.store_id, Kind.TEXT, blank_fix="Enter the id of the person's home store, as in the store file.",
               max_chars=STORE_ID_MAX_CHARS),
    ColumnSpec(E.also_stores, Kind.TEXT, required=False, max_chars=LIST_MAX_CHARS),
    ColumnSpec(E.skills, Kind.TEXT, required=False, max_chars=LIST_MAX_CHARS),
    ColumnSpec(E.contract_hours_min, Kind.NUMBER, blank_fix="Enter the fewest paid hours a week the contract "
               "gives (0 for none)."),
    ColumnSpec(E.contract_hours_max, Kind.NUMBER, blank_fix="Enter the most paid hours a week the contract allows."),
    ColumnSpec(E.max_hours_per_day, Kind.NUMBER, required=False),
    ColumnSpec(E.wage_per_hour, Kind.NUMBER, required=False),
    *(ColumnSpec(day, Kind.TEXT, required=False, max_chars=AVAILABILITY_MAX_CHARS) for day in WEEKDAYS),
    ColumnSpec(E.preferred_days_off, Kind.TEXT, required=False, max_chars=DAYS_LIST_MAX_CHARS),
    # longer than either word, so that "middle" is said to be neither rather than too long
    ColumnSpec(E.prefers, Kind.TEXT, required=False, max_chars=20),
]
EMPLOYEE_COLUMNS = [spec.name for spec in EMPLOYEE_SPECS]
ABSENCE_SPECS = [
    ColumnSpec(A.employee_id, Kind.TEXT, blank_fix="Enter the id of the person who is away, as in the employee file.",
               max_chars=EMPLOYEE_ID_MAX_CHARS),
    ColumnSpec(A.first_day, Kind.DATE, blank_fix="Enter the first day away as YYYY-MM-DD, e.g. 2026-12-14."),
    ColumnSpec(A.last_day, Kind.DATE, required=False),
    ColumnSpec(A.reason, Kind.TEXT, required=False, max_chars=ABSENCE_REASON_MAX_CHARS),
]
ABSENCE_COLUMNS = [spec.name for spec in ABSENCE_SPECS]
EMPLOYEE_ROWS_ARE, ABSENCE_ROWS_ARE = "the employees", "the absences"
"""How the one error of a workbook whose people (absences) are on another sheet names them
(`rows_on_another_sheet`)."""


@dataclass(frozen=True)
class ValidatedEmployees(HasProblems):
    file_name: str
    frame: pd.DataFrame
    """Typed, normalised rows (`EmployeeSchema`), empty when there are errors; index = spreadsheet row."""
    problems: tuple[InputProblem, ...]


@dataclass(frozen=True)
class ValidatedAbsences(HasProblems):
    file_name: str
    frame: pd.DataFrame
    """Typed rows (`AbsenceSchema`; a blank last day is the first day), empty when there are errors."""
    problems: tuple[InputProblem, ...]


def validate_employees(
    raw: RawTable, known_store_ids: Iterable[str] | None, rules: ImportRules | None = None,
    stores_in: str = STORE_FILE,
) -> ValidatedEmployees:
    """Check `raw` against the employee format; `known_store_ids` (None: not checked) are the stores the home and
    other stores must be among, which `stores_in` names in the messages ("the database")."""
    named_rules = _EMPLOYEE_RULES | _store_rules(stores_in, () if known_store_ids is None else known_store_ids)
    typed, problems = _checked(raw, EMPLOYEE_SPECS, _employee_schema(known_store_ids), named_rules, rules,
                               EMPLOYEE_ROWS_ARE)
    if any(p.severity == "error" for p in problems):
        return ValidatedEmployees(raw.file_name, empty_employees(), tuple(problems))
    return ValidatedEmployees(raw.file_name, _normalised_employees(typed), tuple(problems))


def validate_absences(
    raw: RawTable, known_employee_ids: Iterable[str] | None, rules: ImportRules | None = None
) -> ValidatedAbsences:
    """Check `raw` against the absence format; `known_employee_ids` (None: not checked) are the people it may name."""
    named_rules = _ABSENCE_RULES | _person_rules(() if known_employee_ids is None else known_employee_ids)
    typed, problems = _checked(raw, ABSENCE_SPECS, _absence_schema(known_employee_ids), named_rules, rules,
                               ABSENCE_ROWS_ARE)
    if any(p.severity == "error" for p in problems):
        return ValidatedAbsences(raw.file_name, empty_absences(), tuple(problems))
    frame = pd.DataFrame({
        A.employee_id: typed[A.employee_id].astype(str),
        A.first_day: typed[A.first_day],
        A.last_day: typed[A.last_day].fillna(typed[A.first_day]),
        A.reason: typed[A.reason].fillna("").astype(str),
    })
    # index = spreadsheet row, as the batch's warnings name it
    return ValidatedAbsences(raw.file_name, A.validate(frame), tuple(problems))


def windows_of(text: str) -> tuple[Window, ...]:
    """A normalised availability cell as windows: blank = any time (`ANY_TIME`: a shift running past midnight
    too), `off` = none."""
    from planner.roster.people import ANY_TIME, Window

    if text == "":
        return (ANY_TIME,)
    return tuple(Window(start, end) for start, end in _spans(text))


def availability_text(windows: tuple[Window, ...]) -> str:
    """Windows as an availability cell (the inverse of `windows_of`)."""
    from planner.roster.people import ANY_TIME

    if windows == (ANY_TIME,):
        return ""
    return _spans_text([(w.start_minute, w.end_minute) for w in windows])


def employees_of(frame: pd.DataFrame) -> tuple[Employee, ...]:
    """The typed people of a validated or stored employee frame (`EmployeeSchema`)."""
    from planner.roster.people import Employee

    return tuple(
        Employee(
            employee_id=row[E.employee_id], name=row[E.name], store_id=row[E.store_id],
            also_stores=tuple(list_items(row[E.also_stores])), skills=frozenset(list_items(row[E.skills])),
            contract_hours_min=float(row[E.contract_hours_min]), contract_hours_max=float(row[E.contract_hours_max]),
            max_hours_per_day=_number_or_none(row[E.max_hours_per_day]),
            wage_per_hour=_number_or_none(row[E.wage_per_hour]),
            availability=tuple(windows_of(row[day]) for day in WEEKDAYS),
            preferred_days_off=frozenset(WEEKDAYS.index(day) for day in list_items(row[E.preferred_days_off])),
            prefers=row[E.prefers] or None,
        )
        for row in frame.to_dict("records")
    )


def employee_frame(employees: Iterable[Employee]) -> pd.DataFrame:
    """Typed people as a normalised employee frame (`EmployeeSchema`): what `employees_of` reads back."""
    rows = [{
        E.employee_id: e.employee_id, E.name: e.name, E.store_id: e.store_id,
        E.also_stores: ";".join(e.also_stores), E.skills: ";".join(sorted(e.skills)),
        E.contract_hours_min: float(e.contract_hours_min), E.contract_hours_max: float(e.contract_hours_max),
        E.max_hours_per_day: e.max_hours_per_day, E.wage_per_hour: e.wage_per_hour,
        **{day: availability_text(e.availability[i]) for i, day in enumerate(WEEKDAYS)},
        E.preferred_days_off: ";".join(WEEKDAYS[d] for d in sorted(e.preferred_days_off)),
        E.prefers: e.prefers or "",
    } for e in employees]
    frame = pd.DataFrame(rows, columns=EMPLOYEE_COLUMNS) if rows else empty_employees()
    return frame.astype({E.max_hours_per_day: "Float64", E.wage_per_hour: "Float64"})


def absences_of(frame: pd.DataFrame) -> tuple[Absence, ...]:
    """The typed absences of a validated or stored absence frame (`AbsenceSchema`)."""
    from planner.roster.people import Absence

    return tuple(
        Absence(row[A.employee_id], row[A.first_day].date(), row[A.last_day].date(), row[A.reason])
        for row in frame.to_dict("records")
    )


def empty_employees() -> pd.DataFrame:
    numbers = {E.contract_hours_min: "float64", E.contract_hours_max: "float64", E.max_hours_per_day: "Float64",
               E.wage_per_hour: "Float64"}
    return pd.DataFrame({c: pd.Series(dtype=numbers.get(c, object)) for c in EMPLOYEE_COLUMNS})


def empty_absences() -> pd.DataFrame:
    return pd.DataFrame({A.employee_id: pd.Series(dtype=object), A.first_day: pd.Series(dtype="datetime64[ns]"),
                         A.last_day: pd.Series(dtype="datetime64[ns]"), A.reason: pd.Series(dtype=object)})


def list_items(text) -> list[str]:
    """The items of a list cell (`S02;S03`, `a, b`) as written; none for a blank cell."""
    if pd.isna(text) or not str(text).strip():
        return []
    return [item for item in _ITEM_SEPARATORS.split(str(text).strip()) if item]


# --- checking ------------------------------------------------------------------------------------------------------


def _checked(raw: RawTable, specs: list[ColumnSpec], schema: pa.DataFrameSchema, named_rules: dict[str, Rule],
             rules: ImportRules | None, rows_are: str) -> tuple[pd.DataFrame, list[InputProblem]]:
    """The two passes every file kind shares (`planner.io.checking`), problems in reading order; or the one error
    naming the sheet that holds the rows (`rows_are`: "the employees") where the first sheet is not it."""
    tally = Tally((rules or ImportRules()).max_problems_per_column)
    text, typed, problems = first_pass(raw, specs, tally)
    problems += rule_problems(schema, typed, text, named_rules, raw.file_name, tally)[0]
    columns = [spec.name for spec in specs]

    def reading_order(problem: InputProblem) -> tuple:
        column = columns.index(problem.column) if problem.column in columns else len(columns)
        return (problem.row or 0, column, problem.message)

    elsewhere = rows_on_another_sheet(raw.file_name, raw.frame.columns, raw.other_sheets, specs, rows_are)
    if elsewhere is not None:
        return typed, [elsewhere]  # what the first sheet (a cover sheet) lacks says nothing of the rows
    return typed, tally.finish(raw, problems, reading_order)


def _employee_schema(known: Iterable[str] | None) -> pa.DataFrameSchema:
    availability = pa.Check(lambda values: values.map(lambda t: pd.isna(t) or _availability_reason(t) is None)
                            .astype(bool), name="availability")
    columns = {
        **{column: pa.Column(None, in_range_check(info), nullable=True) for column, info in EMPLOYEE_NUMBERS.items()},
        **{day: pa.Column(None, availability, nullable=True) for day in WEEKDAYS},
        E.skills: pa.Column(None, pa.Check(_each(lambda item: _SKILL.fullmatch(item.lower()) is not None),
                                             name="skill_words"), nullable=True),
        E.preferred_days_off: pa.Column(None, pa.Check(_each(lambda item: item.lower() in WEEKDAYS),
                                                         name="weekdays"), nullable=True),
        E.prefers: pa.Column(None, pa.Check(lambda v: v.str.lower().isin(PREFERENCES) | v.isna(),
                                              name="early_or_late"), nullable=True),
    }
    if known is not None:
        ids = set(map(str, known))
        columns[E.store_id] = pa.Column(None, pa.Check(lambda v: v.isin(ids) | v.isna(), name="known_store"),
                                        nullable=True)
        columns[E.also_stores] = pa.Column(None, pa.Check(_each(lambda item: item in ids), name="known_stores"),
                                           nullable=True)
    checks = [
        pa.Check(lambda df: ~(df[E.employee_id].duplicated(keep=False) & df[E.employee_id].notna()),
                 name="one_row_per_employee"),
        pa.Check(lambda df: (df[E.contract_hours_min] <= df[E.contract_hours_max]).fillna(True).astype(bool),
                 name="contract_min_within_max"),
        pa.Check(lambda df: ~df[list(WEEKDAYS)].fillna("").apply(lambda v: v.astype(str).str.lower() == OFF)
                 .all(axis=1), 
                 name="some_day_on"),
    ]
    return pa.DataFrameSchema(columns, checks=checks)


def _absence_schema(known: Iterable[str] | None) -> pa.DataFrameSchema:
    columns = {}
    if known is not None:
        ids = set(map(str, known))
        columns[A.employee_id] = pa.Column(None, pa.Check(lambda v: v.isin(ids) | v.isna(), name="known_employee"),
                                           nullable=True)
    checks = [
        pa.Check(lambda df: ~(df[A.first_day] > df[A.last_day]),
                 name="ends_on_or_after_start"),
        pa.Check(lambda df: ~(df[[A.employee_id, A.first_day]].duplicated(keep=False)
                              & df[[A.employee_id, A.first_day]].notna().all(axis=1)), name="one_row_per_start"),
    ]
    return pa.DataFrameSchema(columns, checks=checks)


def _store_rules(stores_in: str, known: Iterable[str]) -> dict[str, Rule]:
    """The unknown-store messages, with the store meant where a typing slip is likely, as a count file's say."""
    ids = sorted(set(map(str, known)))
    return {
        "known_store": unknown_store_rule(
            stores_in, ids, "Use a store id of the store file (import the store file first if the store is new)."),
        "known_stores": Rule(
            lambda c: f"{_quoted(c)} names a store that is not in {stores_in}{_meant(c['value'], ids)}",
            "Use store ids of the store file, separated by ; (e.g. S02;S03)."),
    }


def _meant(cell: str, ids: list[str]) -> str:
    """`did_you_mean` for a list cell: of its one store, or of each unknown one with a close store ("(did you mean
    'S03' for 'S3'?)")."""
    items = list_items(cell)
    if len(items) == 1:
        return did_you_mean(items[0], ids)
    meant = [(item, nearest(item, ids)) for item in items if item not in ids]
    named = [f"'{near}' for '{item}'" for item, near in meant if near is not None]
    return f" (did you mean {', '.join(named)}?)" if named else ""


def _each(holds):
    """A column check: every item of a list cell (`a;b`, `a, b`) holds; a blank cell passes."""
    return lambda values: values.map(lambda t: pd.isna(t) or all(holds(item) for item in list_items(t))).astype(bool)


def _availability_reason(text: str) -> str | None:
    try:
        _parse_availability(text)
    except ValueError as reason:
        return str(reason)
    return None


def _parse_availability(text: str) -> str:
    """A cell as normalised text: '' (any time), 'off', or sorted windows; ValueError with a readable reason."""
    cleaned = text.strip().lower()
    if cleaned in ("", OFF):
        return cleaned
    return _spans_text(_parse_windows(cleaned))


def _spans(text: str) -> list[tuple[int, int]]:
    """A normalised cell as (start, end) minutes of its windows."""
    if text == "":
        return [(0, MINUTES_PER_DAY)]
    return [] if text == OFF else _parse_windows(text)


def _spans_text(spans: list[tuple[int, int]]) -> str:
    if not spans:
        return OFF
    if spans == [(0, MINUTES_PER_DAY)]:
        return ""
    return ";".join(f"{_clock(start)}-{_clock(end)}" for start, end in spans)


def _parse_windows(text: str) -> list[tuple[int, int]]:
    """'09:00-13:00;17:00-21:00' -> sorted (start, end) minutes; an end at or before its start is the next day's."""
    windows = []
    parts = [p.strip() for p in text.split(";")]
    for part in parts:
        which = "" if len(parts) == 1 else f"has '{part}', which "
        match = _WINDOW.match(part)
        if match is None and re.fullmatch(r"[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?", part):
            raise ValueError(f"{which}is one time, not a window like 09:00-17:00: Excel makes a time cell of "
                             "09:00 typed alone; type the whole window, start to end")
        if match is None:
            raise ValueError(f"{which}is not a time window like 09:00-17:00 (or off)")
        start_h, start_m, end_h, end_m = (int(g) for g in match.groups())
        if (start_h, start_m) == (24, 0):
            raise ValueError(f"{which}starts at 24:00, the end of the day: a window starts at 00:00-23:59 (24:00 only "
                             "ends one)")
        if start_h > 23 or start_m > 59 or end_h > 24 or end_m > 59 or (end_h == 24 and end_m):
            raise ValueError(f"{which}has a time that does not exist (hours 00-24, minutes 00-59)")
        start, end = start_h * 60 + start_m, end_h * 60 + end_m
        if start == end:  # '09:00-09:00' was read as 24 hours from 09:00
            raise ValueError(f"{which}starts and ends at the same time: for the whole day leave the cell blank, for "
                             "a night window give its end (22:00-06:00)")
        windows.append((start, end if end > start else end + MINUTES_PER_DAY))
    windows.sort()
    for (start, end), (next_start, next_end) in zip(windows, windows[1:]):
        if next_start < end:
            raise ValueError(f"has windows that overlap ({_clock(start)}-{_clock(end)} and "
                             f"{_clock(next_start)}-{_clock(next_end)})")
    return windows


def _normalised_employees(typed: pd.DataFrame) -> pd.DataFrame:
    def listed(column: str, lower: bool = False, order=None) -> pd.Series:
        def one(text) -> str:
            items = [i.lower() if lower else i for i in list_items(text)]
            items = list(dict.fromkeys(items))
            return ";".join(sorted(items, key=order) if order else items)
        return typed[column].map(one, na_action=None).astype(str)

    frame = pd.DataFrame({
        E.employee_id: typed[E.employee_id].astype(str), E.name: typed[E.name].astype(str),
        E.store_id: typed[E.store_id].astype(str),
        E.also_stores: listed(E.also_stores),
        E.skills: listed(E.skills, lower=True, order=str),
        E.contract_hours_min: typed[E.contract_hours_min].astype(float),
        E.contract_hours_max: typed[E.contract_hours_max].astype(float),
        E.max_hours_per_day: typed[E.max_hours_per_day].astype("Float64"),
        E.wage_per_hour: typed[E.wage_per_hour].astype("Float64"),
        **{day: typed[day].fillna("").map(_parse_availability).astype(str) for day in WEEKDAYS},
        E.preferred_days_off: listed(E.preferred_days_off, lower=True, order=WEEKDAYS.index),
        E.prefers: typed[E.prefers].fillna("").str.lower().astype(str),
    })
    return E.validate(frame)  # index = spreadsheet row, as the batch's warnings name it


def _number_or_none(value) -> float | None:
    return None if pd.isna(value) else float(value)


def _clock(minute: int) -> str:
    if minute != MINUTES_PER_DAY:  # a whole day ends at 24:00; later ends as next-day clock times
        minute %= MINUTES_PER_DAY
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _quoted(c) -> str:
    return f"'{c['value']}'"


_NUMBER_FIXES = {
    E.contract_hours_min: "Enter the fewest paid hours a week the contract gives, e.g. 20 (0 for none).",
    E.contract_hours_max: "Enter the most paid hours a week the contract allows, e.g. 40.",
    E.max_hours_per_day: "Enter the most paid hours a day, e.g. 10, or leave it blank for the labour rules' default.",
    E.wage_per_hour: "Enter what an hour of this person costs, e.g. 19.50 (check for a typing slip), or leave it "
                     "blank for the home store's wage.",
}
"""What to enter instead of an employee file's number outside its range (`EMPLOYEE_NUMBERS`), per column."""
_EMPLOYEE_RULES: dict[str, Rule] = {
    **{f"in_range@{column}": out_of_range_rule(column, EMPLOYEE_NUMBERS[column], fix)
       for column, fix in _NUMBER_FIXES.items()},
    "availability": Rule(lambda c: f"{_quoted(c)} {_availability_reason(c['value'])}", _AVAILABILITY_FIX),
    "skill_words": Rule(lambda c: f"{_quoted(c)} is not a list of skills",
                        "Write skills as words separated by ; such as keyholder;cashier."),
    "weekdays": Rule(lambda c: f"{_quoted(c)} is not a list of weekdays",
                     "Write weekdays as mon, tue, wed, thu, fri, sat, sun, separated by ; (e.g. sat;sun)."),
    "early_or_late": Rule(lambda c: f"{_quoted(c)} is not early or late", "Write early, late, or leave it blank."),
    "one_row_per_employee": Rule(lambda c: f"employee id '{c[E.employee_id]}' appears on more than one row",
                                 "Give each person one row and their own id.", E.employee_id),
    "contract_min_within_max": Rule(
        # both as numbers: "(50) ... (40.0)" quoted one cell as typed and the other as the sample writes it
        lambda c: f"contract_hours_min ({_hours_as_written(c, E.contract_hours_min)}) is more than "
                  f"contract_hours_max ({_hours_as_written(c, E.contract_hours_max)})",
        "Make contract_hours_max at least contract_hours_min.", E.contract_hours_min),
    "some_day_on": Rule(lambda c: "the person is off every day of the week", "Nothing to do if that is right "
                        "(e.g. on long leave: an absence file says it better); they get no shifts.", WEEKDAYS[0],
                        "warning"),
}
_ABSENCE_RULES: dict[str, Rule] = {
    "ends_on_or_after_start": Rule(lambda c: f"the absence ends ({c[A.last_day]}) before it starts "
                                             f"({c[A.first_day]})",
                                   "Make last_day the same as first_day or later (blank: a one-day absence).",
                                   A.last_day),
    "one_row_per_start": Rule(lambda c: f"{c[A.employee_id]} has more than one absence starting {c[A.first_day]}",
                              "Keep one row per person and first day (a longer absence: one row with a later "
                              "last_day).", A.first_day),
}


def _person_rules(known: Iterable[str]) -> dict[str, Rule]:
    """The unknown-person message, with the person meant where the id is one typed in another case or width
    ('s01-e02'); a near id of another number (S01-E99 beside S01-E09) is another person, so it is not offered."""
    ids = sorted(set(map(str, known)))

    def message(cells) -> str:
        person = str(cells[A.employee_id])
        meant = nearest(person, ids, misspelt=False)
        return f"employee '{person}' is not in the employee file" + (f" (did you mean '{meant}'?)" if meant else "")

    return {"known_employee": Rule(message, "Use an employee id of the employee file (import the employee file "
                                            "first if the person is new).")}


def _hours_as_written(cells, column: str) -> str:
    """A rule's hours cell as a message says it: the number (38.50 as 38.5), in the file's decimal mark."""
    return number_as_written(float(str(cells[column]).replace(",", ".")), cells)
