"""Employees and absences in the database. Rows are upserted like the counts: employees by `employee_id`, absences
by (employee_id, first_day); a corrected file replaces the rows it repeats and keeps the others (a person left out of
a new employee file is kept, not deleted). Each import that changes something records an upload of kind
"employees" or "absences".

The files themselves are validated by `planner.io.employees`; this module stores and reads their typed frames
(`EMPLOYEE_COLUMNS`, `ABSENCE_COLUMNS`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, or_, select
from sqlalchemy.engine import Connection

from planner.access.scope import EVERYTHING, OutsideScope, Scope
from planner.schemas import AbsenceSchema as A, EmployeeSchema as E
from planner.storage.engine import database_errors, take_write_lock, url_of
from planner.storage.read import read_frame
from planner.storage.scoped import IDS_NAMED, check_store_ids, visible_ids
from planner.storage.tables import (
    ABSENCE_COLUMNS, ABSENCE_KEY, EMPLOYEE_COLUMNS, absences, employees, typed_absences, typed_employees,
)
from planner.storage.write import ImportSummary, superseded_rows, upsert_file
from planner.words import agreeing, first_named

EMPLOYEES_KIND, ABSENCES_KIND = "employees", "absences"


def save_people(
    engine: Engine,
    employee_file: tuple[pd.DataFrame, str, str] | None = None,
    absence_files: list[tuple[pd.DataFrame, str, str]] = (),
    scope: Scope = EVERYTHING,
) -> list[ImportSummary]:
    """Store a validated employee frame and absence frames, each (frame, file name, sha256), in ONE transaction:
    the employees first, so absences may name people of the same import. People whose home store `scope` does not
    cover refuse the whole write (`OutsideScope`)."""
    with database_errors(url_of(engine)), engine.begin() as connection:
        take_write_lock(connection)
        return upsert_people(connection, employee_file, absence_files, scope)


def upsert_people(
    connection: Connection,
    employee_file: tuple[pd.DataFrame, str, str] | None,
    absence_files: list[tuple[pd.DataFrame, str, str]],
    scope: Scope = EVERYTHING,
) -> list[ImportSummary]:
    """`save_people` inside a transaction that holds the write lock (an import of counts and people together)."""
    summaries = []
    if employee_file is not None:
        frame, name, digest = employee_file
        rows = typed_employees(frame[EMPLOYEE_COLUMNS].reset_index(drop=True))
        check_store_ids(connection, scope, rows[E.store_id].astype(str).unique(), name)
        _check_people_stored(connection, scope, rows[E.employee_id].astype(str).unique().tolist(), name)
        summaries.append(upsert_file(connection, employees, rows, [E.employee_id], name, EMPLOYEES_KIND, digest))
    later = superseded_rows([frame for frame, _, _ in absence_files], ABSENCE_KEY)  # the later file's row is kept
    for (frame, name, digest), superseded in zip(absence_files, later, strict=True):
        rows = typed_absences(frame[ABSENCE_COLUMNS].reset_index(drop=True))
        if not scope.all_stores:  # an absence belongs to its person's home store (the employees just written count)
            homes = connection.execute(select(employees.c[E.store_id]).where(
                employees.c[E.employee_id].in_(rows[A.employee_id].astype(str).unique().tolist()))).scalars()
            check_store_ids(connection, scope, set(homes), name)
        summaries.append(upsert_file(connection, absences, rows, ABSENCE_KEY, name, ABSENCES_KIND, digest,
                                     superseded))
    return summaries


def _check_people_stored(connection: Connection, scope: Scope, employee_ids: list[str], what: str) -> None:
    """Refuse (`OutsideScope`) rewriting people whose home store, as stored, `scope` does not cover: a store
    manager's file naming another store's person moved them into the manager's store."""
    refused = taken_employee_ids(connection, scope, employee_ids)
    if refused:
        raise OutsideScope(f"{what}: {agreeing(len(refused), 'employee id')} {first_named(refused, IDS_NAMED)} {agreeing(len(refused), 'is', 'are')} already taken by people "
                           f"of a store that is not yours ({scope.user}, {scope.role.replace('_', ' ')}, "
                           f"{scope.described()}): give your people ids of their own; nothing was written")


def taken_employee_ids(connection: Connection, scope: Scope, employee_ids: list[str] | None = None) -> list[str]:
    """The stored employee ids (of `employee_ids`, or all) whose person's home store `scope` does not cover, sorted:
    ids a file of `scope` may not use, since writing one would move another store's person into `scope`'s stores.
    The one rule behind the import's refusal (`upsert_people`) and the Upload page's check (`load_taken_employee_ids`).
    """
    if scope.all_stores or employee_ids == []:
        return []
    covered = visible_ids(connection, scope)
    query = select(employees.c[E.employee_id], employees.c[E.store_id])
    if employee_ids is not None:
        query = query.where(employees.c[E.employee_id].in_(employee_ids))
    return sorted(str(person) for person, home in connection.execute(query).all() if home not in covered)


def load_taken_employee_ids(engine: Engine, scope: Scope = EVERYTHING) -> list[str]:
    """`taken_employee_ids` of every stored person: what a check of a file of `scope` reads, before the import."""
    with database_errors(url_of(engine)), engine.connect() as connection:
        return taken_employee_ids(connection, scope)


def load_employees(engine: Engine, store_ids: list[str] | None = None, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """Employees (`EmployeeSchema`) ordered by id: all, or those who may work in one of `store_ids` (home store or
    `also_stores`); of them, those whose home store `scope` covers (or who may work in one of its stores)."""
    query = select(*(employees.c[c] for c in EMPLOYEE_COLUMNS)).order_by(employees.c[E.employee_id])
    if store_ids is not None:
        # also_stores is a list cell: narrowed here by text, then exactly by item below
        query = query.where(or_(employees.c[E.store_id].in_(list(store_ids)),
                                *(employees.c[E.also_stores].contains(s) for s in store_ids)))
    with database_errors(url_of(engine)), engine.connect() as connection:
        frame = read_frame(connection, query, EMPLOYEE_COLUMNS, typed_employees)
        visible = None if scope.all_stores else visible_ids(connection, scope)
    if visible is not None:
        mine = [home in visible or bool(visible & set(others.split(";")))
                for home, others in zip(frame[E.store_id], frame[E.also_stores], strict=True)]
        frame = frame[mine].reset_index(drop=True)
    if store_ids is not None:
        wanted = set(store_ids)
        here = [home in wanted or bool(wanted & set(others.split(";")))
                for home, others in zip(frame[E.store_id], frame[E.also_stores], strict=True)]
        frame = frame[here].reset_index(drop=True)
    return frame


def load_absences(
    engine: Engine, employee_ids: list[str] | None = None, first: dt.date | None = None, last: dt.date | None = None,
    scope: Scope = EVERYTHING,
) -> pd.DataFrame:
    """Absences (`AbsenceSchema`) ordered by person and first day: all, or those of `employee_ids`, and overlapping
    the days from `first` to `last` when given; only of the people `load_employees` gives for `scope`."""
    if not scope.all_stores:
        mine = load_employees(engine, scope=scope)[E.employee_id].tolist()
        employee_ids = mine if employee_ids is None else [e for e in employee_ids if e in set(mine)]
    query = select(*(absences.c[c] for c in ABSENCE_COLUMNS)).order_by(*(absences.c[c] for c in ABSENCE_KEY))
    if employee_ids is not None:
        query = query.where(absences.c[A.employee_id].in_(list(employee_ids)))
    if last is not None:
        query = query.where(absences.c[A.first_day] <= last)
    if first is not None:
        query = query.where(absences.c[A.last_day] >= first)
    with database_errors(url_of(engine)), engine.connect() as connection:
        return read_frame(connection, query, ABSENCE_COLUMNS, typed_absences)
