"""The tables and the frame types rows are read into and compared in.

Counts: stores, observations and uploads (one row per import that changed something). Plans: plans (one JSON
document per store and ISO week, draft -> published -> superseded), chain_settings (one row per change; the latest
is in force) and calendar_exceptions (per store, or '*' for the whole chain, and date). People: employees (one row
per person, upserted by id), absences (per person and first day) and rosters (one JSON document per store and ISO
week, draft -> published -> superseded, like plans). Patience: patience_estimates (one row per format, keyed by the
digest of what its estimates were made from). Access: users (role, stores, regions, password hash and failed
sign-ins) and the audit trail (audit, with the stores each entry touched in audit_stores). The schema itself is owned
by the migrations in `planner.storage.migrations`: a change here needs a new revision there (a test compares them).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, Column, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary,
    MetaData, PrimaryKeyConstraint, SmallInteger, String, Table, Text, text,
)

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from planner.hours import WEEKDAYS
from planner.schemas import (
    ABSENCE_REASON_MAX_CHARS, AVAILABILITY_MAX_CHARS, DAYS_LIST_MAX_CHARS, EMPLOYEE_ID_MAX_CHARS, FILE_NAME_MAX_CHARS,
    LIST_MAX_CHARS, OBSERVATION_KEY, OPENING_HOURS_MAX_CHARS, PERSON_NAME_MAX_CHARS, STORE_GROUP_MAX_CHARS,
    STORE_ID_MAX_CHARS, STORE_NAME_MAX_CHARS, TIME_ZONE_MAX_CHARS, AbsenceSchema as A, EmployeeSchema as E, ObservationSchema as O,
    StoreSchema as S,
)

metadata = MetaData()

uploads = Table(
    "uploads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_name", String(FILE_NAME_MAX_CHARS), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("rows_added", Integer, nullable=False),
    Column("rows_replaced", Integer, nullable=False),
    Column("rows_unchanged", Integer, nullable=False),
)

stores = Table(
    "stores",
    metadata,
    Column(S.store_id, String(STORE_ID_MAX_CHARS), primary_key=True),
    Column(S.name, String(STORE_NAME_MAX_CHARS), nullable=False),
    Column(S.region, String(STORE_GROUP_MAX_CHARS), nullable=False),
    Column(S.format, String(STORE_GROUP_MAX_CHARS), nullable=False),
    *(Column(day, String(OPENING_HOURS_MAX_CHARS), nullable=False) for day in WEEKDAYS),
    Column(S.wage_per_hour, Float, nullable=False),
    Column(S.min_staff, Integer, nullable=False),
    Column(S.max_staff, Integer, nullable=False),
    Column(S.target_service_level, Float),
    Column(S.target_wait_seconds, Float),
    Column(S.patience_minutes, Float),
    Column(S.max_abandon_share, Float),
    Column(S.service_cv, Float),
    Column(S.time_zone, String(TIME_ZONE_MAX_CHARS)),
    Column("upload_id", ForeignKey("uploads.id")),
)

observations = Table(
    "observations",
    metadata,
    Column(O.store_id, String(STORE_ID_MAX_CHARS), ForeignKey("stores.store_id"), nullable=False),
    Column(O.date, Date, nullable=False),
    Column(O.hour, SmallInteger, nullable=False),
    Column(O.visitors, Integer, nullable=False),
    Column(O.assisted, Integer, nullable=False),
    Column(O.self_service, Integer, nullable=False),
    Column(O.assisted_minutes, Float, nullable=False),
    Column(O.self_service_minutes, Float, nullable=False),
    Column(O.staff_on_duty, Integer),
    Column("upload_id", ForeignKey("uploads.id")),
    PrimaryKeyConstraint(*OBSERVATION_KEY),
)

PLAN_STATUSES = ("draft", "published", "superseded")
ISO_WEEK_CHARS = 8
"""'2026-W50'."""
PERSON_MAX_CHARS = 200
"""Who made, published or changed something (a user name; "local user" while there is no sign-in)."""
NOTE_MAX_CHARS = 500
FINGERPRINT_MAX_CHARS = 128
INPUT_DIGEST_CHARS = 64
"""A sha256 hex digest of one of a plan's inputs (`planner.plans.Fingerprint`)."""
PLAN_INPUTS = ("observations", "stores", "calendar", "settings")
"""The inputs whose digests a plan's row keeps (column `<input>_digest`), beside its `what_if` values: what the
saved-plans list compares with today's inputs without opening the document."""
SCHEDULE_STATUS_CHARS = 32
"""A schedule's status code (`planner.shifts.STATUSES`: "optimal", "short_by_budget", ...)."""
ALL_STORES = "*"
"""The store_id of a chain-wide calendar exception (a holiday every store keeps unless it has its own row)."""

plans = Table(
    "plans",
    metadata,
    Column("plan_id", Integer, primary_key=True, autoincrement=True),
    Column("iso_week", String(ISO_WEEK_CHARS), nullable=False),
    Column("store_id", String(STORE_ID_MAX_CHARS), ForeignKey("stores.store_id"), nullable=False),
    Column("fingerprint", String(FINGERPRINT_MAX_CHARS), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(PERSON_MAX_CHARS), nullable=False),
    Column("status", String(16), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("published_by", String(PERSON_MAX_CHARS)),
    Column("document", Text, nullable=False),
    *(Column(f"{part}_digest", String(INPUT_DIGEST_CHARS)) for part in PLAN_INPUTS),
    Column("what_if", JSON),
    Column("pooled_digest", String(INPUT_DIGEST_CHARS)),
    # the schedule's result, from the document when saved: a list says it without opening one (NULL where unread)
    Column("schedule_status", String(SCHEDULE_STATUS_CHARS)),
    Column("uncovered_staff_hours", Float),
    Column("wage_cost", Float),
    CheckConstraint("status IN ('draft', 'published', 'superseded')", name="ck_plans_status"),
    Index("ix_plans_store_week_status", "store_id", "iso_week", "status"),
    # at most one published plan per store and week, whatever any writer does
    Index("uq_plans_one_published", "store_id", "iso_week", unique=True,
          sqlite_where=text("status = 'published'"), postgresql_where=text("status = 'published'")),
)

plan_pooled_checks = Table(
    "plan_pooled_checks",
    metadata,
    Column("plan_id", Integer, ForeignKey("plans.plan_id"), primary_key=True),
    Column("pooled_digest", String(INPUT_DIGEST_CHARS), nullable=False),
    Column("hours_moved", Integer, nullable=False),
    Column("checked_at", DateTime(timezone=True), nullable=False),
)
"""What a saved plan made again from the chain's counts of `pooled_digest` found (`planner.saved_plans`): in how many
hours its staff moved (0: none). A cache, one row per plan (the latest check): while the chain's counts stay at that
digest the plan is not made again to be listed. A plan's own `pooled_digest` (its row's summary) is what it was made
from; NULL for a plan saved before plans kept it."""

pooled_digests = Table(
    "pooled_digests",
    metadata,
    Column("revision", String(INPUT_DIGEST_CHARS), primary_key=True),
    Column("pooled_digest", String(INPUT_DIGEST_CHARS), nullable=False),
)
"""The digest of the chain's counts, store rows and calendar the pooled model reads (`planner.digest.pooled_digest`)
at a `DataRevision` of those three kinds of upload (`planner.storage.revision`; "v1:observations:stores:calendar"
upload ids): every write of them records an upload in the same transaction, so the digest is a function of that
revision, and a list of saved plans reads it here instead of loading and hashing every count of the chain. A cache."""

store_count_hashes = Table(
    "store_count_hashes",
    metadata,
    Column("store_id", String(STORE_ID_MAX_CHARS), primary_key=True),
    Column("rows", Integer, nullable=False),
    Column("last_upload", Integer),
    Column("row_hashes", LargeBinary, nullable=False),
)
"""A store's counts as the chain's pooled digest hashes them (`planner.digest.row_hashes`: 8 bytes per count, in
the order of their key), kept with how many there were and the newest upload that wrote one of them: every write of
counts records a new upload on the rows it adds or replaces, and none deletes one, so while a store's count of rows
and newest upload stay the same so do its rows. A list of saved plans after an import then loads and hashes only
the counts of the stores the import wrote (`planner.counts_digest`). A cache."""

chain_settings = Table(
    "chain_settings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("changed_by", String(PERSON_MAX_CHARS), nullable=False),
    Column("settings", JSON, nullable=False),
    Column("note", String(NOTE_MAX_CHARS)),
)

calendar_exceptions = Table(
    "calendar_exceptions",
    metadata,
    Column("store_id", String(STORE_ID_MAX_CHARS), nullable=False),
    Column("date", Date, nullable=False),
    Column("closed", Boolean, nullable=False),
    Column("opens", String(OPENING_HOURS_MAX_CHARS)),
    Column("closes", String(OPENING_HOURS_MAX_CHARS)),
    Column("demand_factor", Float),
    Column("note", String(NOTE_MAX_CHARS)),
    Column("upload_id", ForeignKey("uploads.id")),
    PrimaryKeyConstraint("store_id", "date"),
)

PREFERS_MAX_CHARS = 8

employees = Table(
    "employees",
    metadata,
    Column(E.employee_id, String(EMPLOYEE_ID_MAX_CHARS), primary_key=True),
    Column(E.name, String(PERSON_NAME_MAX_CHARS), nullable=False),
    Column(E.store_id, String(STORE_ID_MAX_CHARS), ForeignKey("stores.store_id"), nullable=False),
    Column(E.also_stores, String(LIST_MAX_CHARS), nullable=False),
    Column(E.skills, String(LIST_MAX_CHARS), nullable=False),
    Column(E.contract_hours_min, Float, nullable=False),
    Column(E.contract_hours_max, Float, nullable=False),
    Column(E.max_hours_per_day, Float),
    Column(E.wage_per_hour, Float),
    *(Column(day, String(AVAILABILITY_MAX_CHARS), nullable=False) for day in WEEKDAYS),
    Column(E.preferred_days_off, String(DAYS_LIST_MAX_CHARS), nullable=False),
    Column(E.prefers, String(PREFERS_MAX_CHARS), nullable=False),
    Column("upload_id", ForeignKey("uploads.id")),
    Index("ix_employees_store", E.store_id),
)

absences = Table(
    "absences",
    metadata,
    Column(A.employee_id, String(EMPLOYEE_ID_MAX_CHARS), ForeignKey("employees.employee_id"), nullable=False),
    Column(A.first_day, Date, nullable=False),
    Column(A.last_day, Date, nullable=False),
    Column(A.reason, String(ABSENCE_REASON_MAX_CHARS), nullable=False),
    Column("upload_id", ForeignKey("uploads.id")),
    PrimaryKeyConstraint(A.employee_id, A.first_day),
)

rosters = Table(
    "rosters",
    metadata,
    Column("roster_id", Integer, primary_key=True, autoincrement=True),
    Column("iso_week", String(ISO_WEEK_CHARS), nullable=False),
    Column("store_id", String(STORE_ID_MAX_CHARS), ForeignKey("stores.store_id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(PERSON_MAX_CHARS), nullable=False),
    Column("status", String(16), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("published_by", String(PERSON_MAX_CHARS)),
    Column("note", String(NOTE_MAX_CHARS)),
    Column("document", Text, nullable=False),
    CheckConstraint("status IN ('draft', 'published', 'superseded')", name="ck_rosters_status"),
    Index("ix_rosters_store_week_status", "store_id", "iso_week", "status"),
    Index("uq_rosters_one_published", "store_id", "iso_week", unique=True,
          sqlite_where=text("status = 'published'"), postgresql_where=text("status = 'published'")),
)

EMAIL_MAX_CHARS = 320
"""RFC 5321's longest address."""
ROLE_MAX_CHARS = 32
PASSWORD_HASH_MAX_CHARS = 255
"""An argon2 hash in PHC form is about 100 characters."""
AUDIT_ACTION_MAX_CHARS = 32
AUDIT_SUMMARY_MAX_CHARS = 1000

users = Table(
    "users",
    metadata,
    Column("name", String(PERSON_MAX_CHARS), primary_key=True),
    Column("email", String(EMAIL_MAX_CHARS), unique=True),
    Column("role", String(ROLE_MAX_CHARS), nullable=False),
    Column("stores", JSON, nullable=False),
    Column("regions", JSON, nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("password_hash", String(PASSWORD_HASH_MAX_CHARS)),
    Column("failed_attempts", Integer, nullable=False),
    Column("locked_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("role IN ('store_manager', 'regional_lead', 'planner', 'admin')", name="ck_users_role"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(PERSON_MAX_CHARS), nullable=False),
    Column("action", String(AUDIT_ACTION_MAX_CHARS), nullable=False),
    Column("summary", String(AUDIT_SUMMARY_MAX_CHARS), nullable=False),
    Column("details", JSON, nullable=False),
)

audit_stores = Table(
    "audit_stores",
    metadata,
    Column("audit_id", ForeignKey("audit.id"), nullable=False),
    Column("store_id", String(STORE_ID_MAX_CHARS), nullable=False, index=True),
    PrimaryKeyConstraint("audit_id", "store_id"),
)
"""The stores an audit entry touched (an import of many stores' counts: one row each), so the trail filters by store."""

DIGEST_CHARS = 64
"""A sha256 in hex."""

patience_estimates = Table(
    "patience_estimates",
    metadata,
    Column("inputs_digest", String(DIGEST_CHARS), primary_key=True),
    Column("format", String(STORE_GROUP_MAX_CHARS), nullable=False, index=True),
    Column("estimates", JSON, nullable=False),
    Column("made_at", DateTime(timezone=True), nullable=False),
)
"""Each format's patience estimates (`planner.demand.patience`: one per store of the format), made once from the
format's counts, store file rows and the settings, whose digest is the key: slow to make (a simulation), they are
made again only when one of those changes. One row per format (a new one replaces the format's old)."""

STORE_COLUMNS = [c.name for c in stores.columns if c.name != "upload_id"]
OBSERVATION_COLUMNS = [c.name for c in observations.columns if c.name != "upload_id"]
CALENDAR_COLUMNS = [c.name for c in calendar_exceptions.columns if c.name != "upload_id"]
CALENDAR_KEY = ["store_id", "date"]
EMPLOYEE_COLUMNS = [c.name for c in employees.columns if c.name != "upload_id"]
ABSENCE_COLUMNS = [c.name for c in absences.columns if c.name != "upload_id"]
ABSENCE_KEY = [A.employee_id, A.first_day]
COUNTED_DAY_COLUMNS = [O.store_id, O.date, "observed_hours", "hour_mask"]
"""One row per store and counted date: hours counted that day, and which (bit h of hour_mask = hour h)."""


def typed_stores(frame: pd.DataFrame) -> pd.DataFrame:
    types = {c: "Float64" for c in (S.wage_per_hour, S.target_service_level, S.target_wait_seconds,
                                     S.patience_minutes, S.max_abandon_share, S.service_cv)}
    types |= {S.min_staff: "Int64", S.max_staff: "Int64"}
    types |= {c: str for c in (S.store_id, S.name, S.region, S.format, *WEEKDAYS)}
    frame = frame.astype(types)
    # text or None (not NaN, nor the text "nan"), as stored
    frame[S.time_zone] = pd.Series([None if pd.isna(v) else str(v) for v in frame[S.time_zone]], index=frame.index,
                                   dtype=object)
    return frame


def typed_observations(frame: pd.DataFrame) -> pd.DataFrame:
    counts = (O.hour, O.visitors, O.assisted, O.self_service, O.staff_on_duty)
    whole = {c: whole_numbers(frame[c]) for c in counts}
    types = {c: "Int64" for c in counts if whole[c] is None}
    types |= {O.assisted_minutes: "Float64", O.self_service_minutes: "Float64", O.store_id: str}
    frame = frame.astype(types)
    for column, values in whole.items():
        if values is not None:
            frame[column] = values
    frame[O.date] = pd.to_datetime(frame[O.date]).astype("datetime64[ns]")
    return frame


def whole_numbers(column: pd.Series) -> pd.arrays.IntegerArray | None:
    """The column as "Int64" where it holds Python ints alone (as the drivers give an INTEGER column without NULLs),
    without pandas' general conversion of objects (a tenth of its time); None otherwise."""
    values = column.to_numpy()
    if values.dtype != object or infer_dtype(values, skipna=False) != "integer":
        return None
    return pd.arrays.IntegerArray(values.astype(np.int64), np.zeros(values.size, dtype=bool))


def typed_calendar(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({"store_id": str, "closed": "boolean", "demand_factor": "Float64"})
    for column in ("opens", "closes", "note"):  # text or None (not NaN), as stored
        frame[column] = pd.Series([None if pd.isna(v) else str(v) for v in frame[column]], index=frame.index,
                                  dtype=object)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame


def typed_employees(frame: pd.DataFrame) -> pd.DataFrame:
    types = {c: str for c in EMPLOYEE_COLUMNS} | {E.contract_hours_min: float, E.contract_hours_max: float,
                                                  E.max_hours_per_day: "Float64", E.wage_per_hour: "Float64"}
    return frame.astype(types)


def typed_absences(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({A.employee_id: str, A.reason: str})
    for column in (A.first_day, A.last_day):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    return frame


def typed(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    typer = {observations.name: typed_observations, calendar_exceptions.name: typed_calendar,
             employees.name: typed_employees, absences.name: typed_absences}.get(table.name, typed_stores)
    return typer(frame)
