"""Imports are all-or-nothing, idempotent, and replace corrected rows; concurrent importers never lose rows."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

from planner import storage
from planner.errors import DatabaseBusy, InputRejected
from planner.intake import import_files
from planner.settings import ImportRules, Settings

from conftest import ROOT

RULES = ImportRules()
HEADER = "store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes,staff_on_duty\n"


def _rows(count: int, store: str = "S03", start: str = "2026-09-07", visitors: int = 40) -> bytes:
    """`count` clean S03 hours (open 07:00-22:00), 15 per day."""
    days = pd.date_range(start, periods=count // 15 + 1, freq="D")
    lines = [
        f"{store},{day:%Y-%m-%d},{7 + i % 15},{visitors},10,20,30.5,4.0,3"
        for n, (day, i) in enumerate((d, i) for d in days for i in range(15)) if n < count
    ]
    return (HEADER + "\n".join(lines) + "\n").encode()


def test_sample_import_then_reimport_changes_nothing(engine, sample_files):
    first = import_files(engine, sample_files, RULES)
    assert [(s.rows_added, s.rows_replaced) for s in first] == [(9, 0), (1686, 0)]
    before = storage.load_uploads(engine)
    again = import_files(engine, sample_files, RULES)
    assert all(not s.changed for s in again)
    assert [s.rows_unchanged for s in again] == [9, 1686]
    assert "nothing changed" in str(again[1]) and "same file was imported" in str(again[1])
    assert len(storage.load_uploads(engine)) == len(before)  # a no-op import records nothing


def test_corrected_file_replaces_rows_for_the_same_store_hours(engine, sample_files):
    import_files(engine, sample_files, RULES)
    original = _rows(30)
    import_files(engine, [("week.csv", original)], RULES)
    corrected = original.replace(b",2026-09-07,7,40,", b",2026-09-07,7,45,").replace(b",2026-09-08,8,40,", b",2026-09-08,8,41,")
    corrected += b"S03,2026-09-20,9,12,1,2,3.0,0.0,1\n"
    (summary,) = import_files(engine, [("week-fixed.csv", corrected)], RULES)
    assert (summary.rows_added, summary.rows_replaced, summary.rows_unchanged) == (1, 2, 28)
    stored = storage.load_observations(engine, ["S03"]).set_index(["date", "hour"])
    assert stored.loc[(pd.Timestamp("2026-09-07"), 7), "visitors"] == 45
    assert stored.loc[(pd.Timestamp("2026-09-08"), 8), "visitors"] == 41
    uploads = storage.load_uploads(engine)
    assert uploads.iloc[-1][["rows_added", "rows_replaced", "rows_unchanged"]].tolist() == [1, 2, 28]


def test_a_file_with_any_error_changes_nothing(engine, sample_files):
    import_files(engine, sample_files, RULES)
    before = storage.load_observations(engine)
    good_then_bad = _rows(40) + b"S03,2026-09-30,10,5,9,9,1,1,1\n"  # the last row breaks assisted+self <= visitors
    with pytest.raises(InputRejected) as rejected:
        import_files(engine, [("good.csv", _rows(20, start="2026-10-20")), ("bad.csv", good_then_bad)], RULES)
    assert [(p.file, p.row) for p in rejected.value.errors_only()] == [("bad.csv", 42)]
    pd.testing.assert_frame_equal(storage.load_observations(engine), before)


def test_failure_inside_the_transaction_rolls_back(engine, sample_files, monkeypatch):
    import_files(engine, sample_files[:1], RULES)

    def broken_write(*args, **kwargs):
        raise RuntimeError("disk unplugged half-way")

    original_write = storage.write._write
    calls = []

    def write_then_fail(connection, table, rows, key, *, replace):
        calls.append(len(rows))
        original_write(connection, table, rows, key, replace=replace)
        if len(calls) == 2:
            broken_write()

    monkeypatch.setattr(storage.write, "_write", write_then_fail)
    with pytest.raises(RuntimeError):
        import_files(engine, [("a.csv", _rows(15)), ("b.csv", _rows(15, start="2026-10-01"))], RULES)
    assert storage.count_rows(engine)["observations"] == 0
    assert set(storage.load_uploads(engine)["kind"]) == {"stores"}


def test_writer_that_cannot_get_the_lock_says_busy_and_changes_nothing(tmp_path, sample_files):
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    engine = storage.connect(Settings(database_url=url, database_busy_timeout_seconds=0.2))
    import_files(engine, sample_files[:1], RULES)
    holder = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusy, match="database busy, try again"):
            import_files(engine, [("week.csv", _rows(30))], RULES)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert storage.count_rows(engine)["observations"] == 0


def test_a_cache_a_read_keeps_waits_for_no_writer_and_keeps_nothing_while_one_holds_the_database(any_database_url):
    """A list of saved plans keeps the chain's digest and what its checks found (`storage.keep_pooled_digest`,
    `save_pooled_checks`): kept in a transaction that waited up to the busy timeout for an import holding the
    database, then failed busy. Now nothing is kept while a writer holds it, at once and without a word (the next
    list keeps it), and it is kept once the writer is done. The busy timeout is set long (60 s) so that waiting for
    the writer could not pass unnoticed: the holder is released only after the call returns."""
    from sqlalchemy import select

    from planner.storage.engine import take_write_lock
    from planner.storage.tables import pooled_digests

    engine = storage.connect(Settings(database_url=any_database_url, database_busy_timeout_seconds=60))
    holder = storage.connect(Settings(database_url=any_database_url))
    storage.count_rows(engine)  # the tables made before the holder takes the lock

    def kept() -> list:
        with engine.connect() as connection:
            return connection.execute(select(pooled_digests.c.revision)).scalars().all()

    with holder.begin() as held:
        take_write_lock(held)
        storage.keep_pooled_digest(engine, "v1:1:1:0", "a" * 64)
        storage.save_pooled_checks(engine, {1: 3}, "a" * 64)  # no plan 1: would fail its key if it wrote
    assert kept() == []
    storage.keep_pooled_digest(engine, "v1:1:1:0", "a" * 64)
    storage.keep_pooled_digest(engine, "v1:2:1:0", "b" * 64)  # a later revision takes the earlier's place
    assert kept() == ["v1:2:1:0"] and storage.kept_pooled_digest(engine, "v1:2:1:0") == "b" * 64
    engine.dispose()
    holder.dispose()


def test_two_processes_importing_at_once_both_land_or_one_is_told_busy(tmp_path, sample_files):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    import_files(storage.connect(Settings(database_url=url)), sample_files[:1], RULES)
    files = []
    for n, start in enumerate(["2024-01-01", "2025-06-01"]):  # 400 days each, no overlap
        path = tmp_path / f"batch{n}.csv"
        path.write_bytes(_rows(6000, start=start))
        files.append(path)
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen([sys.executable, "-m", "planner", "--database-url", url, "import", str(path)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        for path in files
    ]
    outcomes = [(p.wait(timeout=120), p.stdout.read() + p.stderr.read()) for p in processes]
    for code, output in outcomes:
        assert code == 0 and "6,000 rows added" in output or code == 2 and "database busy, try again" in output, output
    landed = sum(code == 0 for code, _ in outcomes)
    assert landed >= 1
    stored = storage.load_observations(storage.connect(Settings(database_url=url)), ["S03"])
    assert len(stored) == 6000 * landed


def test_upsert_statement_compiles_for_postgresql():
    """The write path must not be SQLite-only: the same upsert compiles to PostgreSQL's ON CONFLICT form."""
    from sqlalchemy.dialects import postgresql

    statement = storage.write._dialect_insert("postgresql")(storage.observations)
    upsert = statement.on_conflict_do_update(
        index_elements=["store_id", "date", "hour"], set_={"visitors": statement.excluded.visitors}
    )
    sql = str(upsert.compile(dialect=postgresql.dialect()))
    assert "ON CONFLICT (store_id, date, hour) DO UPDATE SET visitors = excluded.visitors" in sql


@pytest.mark.skipif(not os.environ.get("PLANNER_TEST_POSTGRES_URL"), reason="set PLANNER_TEST_POSTGRES_URL to test PostgreSQL")
def test_postgresql_import_reimport_and_replace(sample_files):
    engine = storage.connect(Settings(database_url=os.environ["PLANNER_TEST_POSTGRES_URL"]))
    storage.metadata.drop_all(engine)
    storage.metadata.create_all(engine)
    assert [s.rows_added for s in import_files(engine, sample_files, RULES)] == [9, 1686]
    assert all(not s.changed for s in import_files(engine, sample_files, RULES))
    corrected = _rows(15)
    import_files(engine, [("w.csv", corrected)], RULES)
    (summary,) = import_files(engine, [("w2.csv", corrected.replace(b",40,", b",41,", 1))], RULES)
    assert (summary.rows_added, summary.rows_replaced, summary.rows_unchanged) == (0, 1, 14)
    storage.metadata.drop_all(engine)


def test_rows_that_repeat_a_key_are_refused_before_anything_is_written(engine, sample_files):
    import_files(engine, sample_files[:1], RULES)
    frame = storage.load_observations(engine)
    row = {"store_id": "S03", "date": pd.Timestamp("2026-09-07"), "hour": 9, "visitors": 4, "assisted": 1,
           "self_service": 1, "assisted_minutes": 2.0, "self_service_minutes": 0.5, "staff_on_duty": 1}
    twice = pd.concat([frame, pd.DataFrame([row, row | {"visitors": 5}])], ignore_index=True)
    with pytest.raises(ValueError, match="repeat a key"):
        storage.save(engine, observation_frames=[(twice, "twice.csv", "0" * 64)])
    assert storage.count_rows(engine)["observations"] == 0


def test_store_ids_are_matched_as_text_never_run_as_sql(engine, sample_files):
    import_files(engine, sample_files, RULES)
    hostile = ["S03' OR '1'='1", "S03'); DROP TABLE observations; --", "S03\\'"]
    assert storage.load_observations(engine, hostile).empty
    s03 = storage.load_observations(engine, ["S03"])
    assert len(s03) > 0 and len(storage.load_observations(engine, ["S03", *hostile])) == len(s03)
    assert storage.count_rows(engine)["observations"] == 1686
