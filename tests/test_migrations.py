"""Alembic owns the schema: a database made by the first release (tables by `metadata.create_all`, no
alembic_version) is upgraded in place with every row kept; a new one gets the newest schema, which is exactly what
`planner.storage.tables` says; processes starting at once migrate once; a database the planner cannot vouch for is
refused without being changed. On SQLite, and on PostgreSQL when PLANNER_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy import (
    Column, Date, DateTime, Float, ForeignKey, Integer, MetaData, PrimaryKeyConstraint, SmallInteger, String, Table,
    create_engine, insert, inspect, select, text,
)

from planner import storage
from planner.errors import DatabaseUnavailable
from planner.intake import import_files
from planner.schemas import FILE_NAME_MAX_CHARS, OPENING_HOURS_MAX_CHARS, STORE_ID_MAX_CHARS, STORE_NAME_MAX_CHARS
from planner.settings import ImportRules, Settings
from planner.storage import migrate

from conftest import DATA, ROOT

NEW_TABLES = {"plans", "chain_settings", "calendar_exceptions", "employees", "absences", "rosters",
              "users", "audit", "audit_stores"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# The first release's tables, frozen here as its planner/storage.py defined them (`metadata.create_all`).
OLD = MetaData()
OLD_UPLOADS = Table(
    "uploads", OLD,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_name", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("rows_added", Integer, nullable=False),
    Column("rows_replaced", Integer, nullable=False),
    Column("rows_unchanged", Integer, nullable=False),
)
OLD_STORES = Table(
    "stores", OLD,
    Column("store_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("region", String(100), nullable=False),
    Column("format", String(100), nullable=False),
    *(Column(day, String(16), nullable=False) for day in WEEKDAYS),
    Column("wage_per_hour", Float, nullable=False),
    Column("min_staff", Integer, nullable=False),
    Column("max_staff", Integer, nullable=False),
    Column("target_service_level", Float),
    Column("target_wait_seconds", Float),
    Column("patience_minutes", Float),
    Column("max_abandon_share", Float),
    Column("upload_id", ForeignKey("uploads.id")),
)
OLD_OBSERVATIONS = Table(
    "observations", OLD,
    Column("store_id", String(64), ForeignKey("stores.store_id"), nullable=False),
    Column("date", Date, nullable=False),
    Column("hour", SmallInteger, nullable=False),
    Column("visitors", Integer, nullable=False),
    Column("assisted", Integer, nullable=False),
    Column("self_service", Integer, nullable=False),
    Column("assisted_minutes", Float, nullable=False),
    Column("self_service_minutes", Float, nullable=False),
    Column("staff_on_duty", Integer),
    Column("upload_id", ForeignKey("uploads.id")),
    PrimaryKeyConstraint("store_id", "date", "hour"),
)


@pytest.fixture
def url(any_database_url):
    return any_database_url


def _first_release_database(url: str) -> dict[str, list[tuple]]:
    """A database as the first release left it: its tables, the sample stores, 600 observation rows (some with no
    staff count) and their uploads. Returns every row of every table."""
    engine = create_engine(url)
    OLD.create_all(engine)
    stores = pd.read_csv(DATA / "stores.csv", dtype={"store_id": str}, keep_default_na=False, na_values=[""])
    counts = pd.read_csv(DATA / "observations.csv", dtype={"store_id": str}).head(600)
    counts.loc[counts.index % 7 == 0, "staff_on_duty"] = None
    counts["date"] = pd.to_datetime(counts["date"]).dt.date
    now = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
    with engine.begin() as connection:
        ids = [connection.execute(insert(OLD_UPLOADS).values(
            file_name=name, kind=kind, sha256=f"{n:064x}", uploaded_at=now, rows_added=rows, rows_replaced=0,
            rows_unchanged=0)).inserted_primary_key[0]
            for n, (name, kind, rows) in enumerate((("stores.csv", "stores", len(stores)),
                                                    ("observations.csv", "observations", len(counts))))]
        connection.execute(insert(OLD_STORES), _records(stores.assign(upload_id=ids[0]), OLD_STORES))
        connection.execute(insert(OLD_OBSERVATIONS), _records(counts.assign(upload_id=ids[1]), OLD_OBSERVATIONS))
    rows = _all_rows(engine)
    engine.dispose()
    return rows


def _records(frame: pd.DataFrame, table: Table) -> list[dict]:
    columns = [c.name for c in table.columns]
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame[columns].to_dict("records")]


def _all_rows(engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {table.name: connection.execute(select(table).order_by(*table.primary_key.columns)).all()
                for table in OLD.sorted_tables}


def test_a_first_release_database_upgrades_in_place_with_every_row_kept(url):
    before = _first_release_database(url)
    assert len(before["stores"]) == 9 and len(before["observations"]) == 600
    engine = storage.connect(Settings(database_url=url))
    assert _all_rows(engine) == before  # every row, every value, NULLs included
    tables = set(inspect(engine).get_table_names())
    assert NEW_TABLES <= tables
    with engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.HEAD_REVISION
    # and the upgraded database works as a new one: reads, and an import that replaces and adds rows
    assert len(storage.load_observations(engine)) == 600
    summaries = import_files(engine, [(n, (DATA / n).read_bytes()) for n in ("stores.csv", "observations.csv")],
                             ImportRules())
    assert summaries[1].rows_unchanged + summaries[1].rows_replaced == 600
    assert storage.load_uploads(engine)["id"].tolist()[:2] == [1, 2]
    engine.dispose()


def test_a_new_database_gets_exactly_the_schema_the_tables_module_describes(url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = storage.connect(Settings(database_url=url))
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                       storage.metadata)
    assert differences == []
    engine.dispose()


def test_head_revision_is_the_newest_revision_file():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert scripts.get_heads() == [migrate.HEAD_REVISION]
    assert [s.revision for s in scripts.walk_revisions()][-1] == migrate.FIRST_REVISION


def test_column_lengths_come_from_the_schema_constants():
    assert storage.stores.c.store_id.type.length == STORE_ID_MAX_CHARS
    assert storage.stores.c.name.type.length == STORE_NAME_MAX_CHARS
    assert storage.stores.c.mon.type.length == OPENING_HOURS_MAX_CHARS
    assert storage.uploads.c.file_name.type.length == FILE_NAME_MAX_CHARS
    first = migrate.first_release_schema().tables
    added_since = {"stores": {"service_cv", "time_zone"}}  # revisions 0005 and 0007
    for name in ("uploads", "stores", "observations"):  # revision 0001 is today's tables, written out
        assert [(c.name, repr(c.type)) for c in first[name].columns] == [
            (c.name, repr(c.type)) for c in storage.metadata.tables[name].columns
            if c.name not in added_since.get(name, set())]


def test_processes_starting_at_once_on_a_first_release_database_migrate_it_once(url):
    before = _first_release_database(url)
    script = ("import sys; from planner import storage; from planner.settings import Settings; "
              "storage.connect(Settings(database_url=sys.argv[1])); print('ok')")
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    processes = [subprocess.Popen([sys.executable, "-c", script, url], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0] * 4, [err for _, err in results]
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
            migrate.HEAD_REVISION]
    assert _all_rows(engine) == before
    engine.dispose()


def test_planner_tables_the_first_release_did_not_make_are_refused_and_left_alone(url):
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE stores (store_id VARCHAR(10) PRIMARY KEY, colour VARCHAR(10))"))
    with pytest.raises(DatabaseUnavailable, match="no release of the planner made") as refused:
        storage.connect(Settings(database_url=url))
    assert "table uploads is missing" in str(refused.value) and "planner:planner@" not in str(refused.value)
    assert set(inspect(engine).get_table_names()) == {"stores"}
    engine.dispose()


def test_a_database_a_newer_release_migrated_is_refused(url):
    storage.connect(Settings(database_url=url)).dispose()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(DatabaseUnavailable, match="revision 0099.*upgrade the planner"):
        storage.connect(Settings(database_url=url))
    engine.dispose()


def test_revision_0002_downgrades_to_the_first_release_schema_and_upgrades_again(url):
    from alembic import command

    before = _first_release_database(url)
    engine = storage.connect(Settings(database_url=url))
    with engine.begin() as connection:
        command.downgrade(migrate.alembic_config(connection), migrate.FIRST_REVISION)
    assert not NEW_TABLES & set(inspect(engine).get_table_names())
    assert _all_rows(engine) == before
    engine.dispose()
    engine = storage.connect(Settings(database_url=url))
    assert NEW_TABLES <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_revision_0003_gives_plans_saved_before_it_their_input_summary_from_their_documents(url):
    fingerprint = {"observations": "o" * 64, "stores": "s" * 64, "calendar": "c" * 64, "settings": "e" * 64}
    with_summary = '{"fingerprint": %s, "request": {"what_if": {"min_staff": 2}}}' % pd.Series(fingerprint).to_json()
    ids = _plans_taken_down(url, [("S01", with_summary), ("S02", '{"frames": {}}')], "0002", "what_if")
    engine = storage.connect(Settings(database_url=url))  # upgrades again: the summary comes from the documents
    listed = storage.list_plans(engine).set_index("plan_id")
    assert listed.loc[ids[0], "what_if"] == {"min_staff": 2}
    assert {part: listed.loc[ids[0], f"{part}_digest"] for part in fingerprint} == fingerprint
    assert listed.loc[ids[1], "what_if"] is None and pd.isna(listed.loc[ids[1], "stores_digest"])  # no fingerprint
    assert storage.load_plan(engine, ids[0]).document == with_summary
    engine.dispose()


@pytest.mark.parametrize("database, sentence", [
    ("sqlite:///{tmp}/no-such-folder/planner.db", "error: the folder {tmp}/no-such-folder for the SQLite database "
                                                  "does not exist: create it, or choose another path"),
    ("postgresql+psycopg://bob:s3cret-pw@127.0.0.1:1/planner", "error: cannot reach the database server at "
                                                               "127.0.0.1:1: check that it is running"),
])
def test_the_alembic_command_says_what_is_wrong_with_the_database_in_one_line(tmp_path, database, sentence):
    env = os.environ | {"PYTHONPATH": str(ROOT), "PLANNER_DATABASE_URL": database.format(tmp=tmp_path)}
    done = subprocess.run([sys.executable, "-m", "alembic", "current"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "s3cret-pw" not in done.stdout + done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(sentence.format(tmp=tmp_path)), line


@pytest.mark.parametrize(("dropped", "says"), [
    (["max_abandon_share"], "table stores lacks column max_abandon_share"),
    (["patience_minutes", "max_abandon_share"], "table stores lacks columns max_abandon_share, patience_minutes"),
])
def test_a_first_release_table_without_some_of_its_columns_is_refused_counting_them_in_words(url, dropped, says):
    """The refusal read "table stores lacks column(s) max_abandon_share"."""
    engine = create_engine(url)
    OLD.create_all(engine)
    with engine.begin() as connection:
        for column in dropped:
            connection.execute(text(f"ALTER TABLE stores DROP COLUMN {column}"))
    with pytest.raises(DatabaseUnavailable, match="no release of the planner made") as refused:
        storage.connect(Settings(database_url=url))
    assert f"({says}):" in str(refused.value)
    engine.dispose()


def test_revision_0010_gives_plans_saved_before_it_their_result_from_their_documents(url):
    """The saved-plans list says each plan's result and wage cost from its row: plans saved before the row kept them
    get them from their documents' schedule row; a document without one keeps none."""
    short = '{"frames": {"schedules": [{"status": "short", "uncovered_staff_hours": 12.5, "wage_cost": 9876.5}]}}'
    ids = _plans_taken_down(url, [("S01", short), ("S01", '{"frames": {}}')], "0009", "wage_cost")
    engine = storage.connect(Settings(database_url=url))  # upgrades again: the results come from the documents
    listed = storage.list_plans(engine).set_index("plan_id")
    assert listed.loc[ids[0], ["schedule_status", "uncovered_staff_hours", "wage_cost"]].tolist() == [
        "short", 12.5, 9876.5]
    assert pd.isna(listed.loc[ids[1], "schedule_status"]) and pd.isna(listed.loc[ids[1], "wage_cost"])
    engine.dispose()


def _plans_taken_down(url: str, plans: list[tuple[str, str]], revision: str, column: str) -> list[int]:
    """A first-release database (with the sample's stores) upgraded, holding a draft of 2026-W50 for each (store_id,
    document) of `plans`, then downgraded to `revision`, whose plans table has no `column` yet: the plans' ids. The
    engine is let go, so the next `storage.connect` upgrades it again."""
    from alembic import command

    _first_release_database(url)
    engine = storage.connect(Settings(database_url=url))
    ids = [storage.save_plan(engine, store_id, "2026-W50", f"fingerprint {n}", document, "ana")
           for n, (store_id, document) in enumerate(plans)]
    with engine.begin() as connection:
        command.downgrade(migrate.alembic_config(connection), revision)
    assert column not in {kept["name"] for kept in inspect(engine).get_columns("plans")}
    engine.dispose()
    return ids
