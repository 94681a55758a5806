"""PostgreSQL under concurrent writers: eight importing processes sharing keys all finish, no key is lost or
duplicated, the added / replaced counts sum exactly; a held lock ends in "database busy" within the timeout.

Runs when PLANNER_TEST_POSTGRES_URL names a PostgreSQL database the tests may empty (CI sets it)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pandas as pd
import psycopg
import pytest
from sqlalchemy.engine import make_url

from planner import coverage, storage
from planner.errors import DatabaseBusy, DatabaseUnavailable
from planner.intake import import_files
from planner.settings import ImportRules, Settings

from conftest import ROOT

URL = os.environ.get("PLANNER_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="set PLANNER_TEST_POSTGRES_URL to test PostgreSQL")
HEADER = "store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes,staff_on_duty\n"
PROCESSES = 8
SHARED_DAYS = 28
OPEN_HOURS = range(7, 22)  # S03 opens 07:00-22:00


@pytest.fixture
def engine(sample_files):
    engine = storage.connect(Settings(database_url=URL))
    storage.metadata.drop_all(engine)
    storage.metadata.create_all(engine)
    import_files(engine, sample_files[:1], ImportRules())  # the store file only
    yield engine
    storage.metadata.drop_all(engine)
    engine.dispose()


def _file(n: int) -> bytes:
    """The same 28 days of S03 hours for every process (values differ by process), plus one day of its own."""
    shared = [f"S03,2026-09-{d:02d},{h},{40 + n},10,20,30.5,4.0,3"
              for d in range(1, SHARED_DAYS + 1) for h in OPEN_HOURS]
    own = [f"S03,2026-10-{n + 1:02d},{h},{40 + n},10,20,30.5,4.0,3" for h in OPEN_HOURS]
    return (HEADER + "\n".join(shared + own) + "\n").encode()


def test_eight_processes_importing_shared_keys_all_land_with_exact_counts(engine, tmp_path):
    paths = []
    for n in range(PROCESSES):
        paths.append(tmp_path / f"batch{n}.csv")
        paths[-1].write_bytes(_file(n))
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen([sys.executable, "-m", "planner", "--database-url", URL, "import", str(path)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        for path in paths
    ]
    outputs = [(p.wait(timeout=300), p.stdout.read() + p.stderr.read()) for p in processes]
    assert all(code == 0 for code, _ in outputs), outputs
    counts = [tuple(int(n.replace(",", "")) for n in re.search(r"([\d,]+) rows? added, ([\d,]+) replaced, ([\d,]+) "
                                                               r"unchanged", out).groups()) for _, out in outputs]
    shared_keys, own_keys = SHARED_DAYS * len(OPEN_HOURS), len(OPEN_HOURS)
    # every shared key is added once and replaced by each later import (each brings other values)
    assert sum(added for added, _, _ in counts) == shared_keys + PROCESSES * own_keys
    assert sum(replaced for _, replaced, _ in counts) == (PROCESSES - 1) * shared_keys
    assert sum(unchanged for *_, unchanged in counts) == 0

    out = tmp_path / "export.csv"
    exported = subprocess.run([sys.executable, "-m", "planner", "--database-url", URL, "export-observations",
                               "--out", str(out)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert exported.returncode == 0, exported.stderr
    frame = pd.read_csv(out)
    keys = frame[["store_id", "date", "hour"]]
    assert not keys.duplicated().any()
    expected = {(f"2026-09-{d:02d}", h) for d in range(1, SHARED_DAYS + 1) for h in OPEN_HOURS}
    expected |= {(f"2026-10-{n + 1:02d}", h) for n in range(PROCESSES) for h in OPEN_HOURS}
    assert set(zip(frame["date"], frame["hour"], strict=True)) == expected
    uploads = storage.load_uploads(engine).query("kind == 'observations'")
    assert uploads[["rows_added", "rows_replaced"]].sum().tolist() == [shared_keys + PROCESSES * own_keys,
                                                                       (PROCESSES - 1) * shared_keys]


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.mark.parametrize("hold", ["row lock", "another import"])
def test_a_held_lock_ends_in_database_busy_within_the_timeout(engine, hold):
    import_files(engine, [("week.csv", _file(0))], ImportRules())
    waiting = storage.connect(Settings(database_url=URL, database_busy_timeout_seconds=0.5))
    with psycopg.connect(_libpq(URL)) as holder:
        if hold == "row lock":
            holder.execute("SELECT * FROM observations WHERE store_id = 'S03' AND date = '2026-09-01' FOR UPDATE")
        else:
            holder.execute("SELECT pg_advisory_xact_lock(%s)", (storage.engine.WRITE_LOCK_KEY,))
        started = time.monotonic()
        with pytest.raises(DatabaseBusy, match="database busy, try again"):
            import_files(waiting, [("week.csv", _file(1))], ImportRules())
        waited = time.monotonic() - started
        reader = storage.connect(Settings(database_url=URL, database_busy_timeout_seconds=0.5))
        assert len(storage.load_stores(reader)) == 9  # reading never waits for a writer
        reader.dispose()
        holder.rollback()
    assert 0.4 <= waited < 5
    stored = storage.load_observations(engine, ["S03"])
    assert set(stored["visitors"]) == {40}  # nothing of the busy import was kept
    waiting.dispose()


def test_wrong_password_is_one_sentence_without_the_password():
    wrong = make_url(URL).set(password="not-the-password-42").render_as_string(hide_password=False)
    with pytest.raises(DatabaseUnavailable) as raised:
        storage.connect(Settings(database_url=wrong))
    message = str(raised.value)
    assert "refused user" in message and "not-the-password-42" not in message
    assert "\n" not in message
    parts = make_url(URL)  # the same settings in the URL's query: the message named localhost:5432 and user 'None'
    queried = (f"{parts.drivername}:///{parts.database}?host={parts.host}&port={parts.port or 5432}"
               f"&user=someone-else&password=not-the-password-42")
    with pytest.raises(DatabaseUnavailable) as raised:
        storage.connect(Settings(database_url=queried))
    message = str(raised.value)
    assert f"at {parts.host}:{parts.port or 5432} refused user 'someone-else'" in message
    assert "not-the-password-42" not in message


def test_rows_read_and_compared_in_chunks_match_what_was_stored(engine, monkeypatch):
    """The chunked reader over a server-side cursor: many chunks, in key order, each row once; a re-import compares
    chunk by chunk and finds every row unchanged."""
    monkeypatch.setattr(storage.read, "CHUNK_ROWS", 1000)
    rows = pd.DataFrame({"d": pd.date_range("2020-01-01", periods=9000, freq="D")})
    lines = [f"S03,{d:%Y-%m-%d},12,5,1,1,2.0,0.5,1" for d in rows["d"]]
    content = (HEADER + "\n".join(lines) + "\n").encode()
    (summary,) = import_files(engine, [("long.csv", content)], ImportRules())
    assert summary.rows_added == 9000
    stored = storage.load_observations(engine, ["S03"])
    assert len(stored) == 9000 and stored["date"].is_monotonic_increasing and not stored["date"].duplicated().any()
    (again,) = import_files(engine, [("long.csv", content.replace(b",12,5,", b",12,6,", 3))], ImportRules())
    assert (again.rows_added, again.rows_replaced, again.rows_unchanged) == (0, 3, 8997)


def test_counted_days_from_postgresql_equal_those_from_the_rows(engine):
    import_files(engine, [("week.csv", _file(3))], ImportRules())
    from_sql = storage.load_counted_days(engine)
    pd.testing.assert_frame_equal(from_sql, coverage.counted_days(storage.load_observations(engine)), check_dtype=False)
    assert set(from_sql["hour_mask"]) == {sum(1 << h for h in OPEN_HOURS)}


def test_a_missing_database_on_the_server_is_named():
    missing = make_url(URL).set(database="planner_no_such_database").render_as_string(hide_password=False)
    with pytest.raises(DatabaseUnavailable, match="has no database 'planner_no_such_database'"):
        storage.connect(Settings(database_url=missing))


USERS = ("ana", "ben")
ROUNDS = 5
WORKER = """
import sys
from planner import storage
from planner.access.actor import acting_as
from planner.intake import import_files
from planner.settings import ImportRules, Settings

url, user, first_day, rounds, header = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
engine = storage.connect(Settings(database_url=url))
with acting_as(user):
    for r in range(rounds):
        day = first_day + r
        rows = [f"S03,2026-11-{day:02d},{h},30,10,20,30.5,4.0,3" for h in range(7, 22)]
        import_files(engine, [(f"{user}-{r}.csv", (header + "\\n".join(rows) + "\\n").encode())], ImportRules())
        plan_id = storage.save_plan(engine, "S03", "2026-W50", "f" * 64, "{}", user)
        storage.publish_plan(engine, plan_id, user)
"""


def test_two_users_importing_and_publishing_at_once_lose_nothing(engine):
    """Two people, each in their own process, import counts and publish a plan for the same store and week, five
    times each, at once: every row lands, exactly one plan is published, every other one is kept as superseded, and
    the audit trail holds each import and publish under the right name."""
    from planner.storage.audit import audit_trail

    env = os.environ | {"PYTHONPATH": str(ROOT)}
    processes = [subprocess.Popen([sys.executable, "-c", WORKER, URL, user, str(1 + n * ROUNDS), str(ROUNDS), HEADER],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
                 for n, user in enumerate(USERS)]
    outputs = [(p.wait(timeout=300), p.stderr.read()) for p in processes]
    assert all(code == 0 for code, _ in outputs), outputs

    stored = storage.load_observations(engine, ["S03"])
    november = stored[stored["date"].dt.month == 11]
    assert len(november) == len(USERS) * ROUNDS * len(OPEN_HOURS)
    assert set(november["date"].dt.day) == set(range(1, len(USERS) * ROUNDS + 1))
    plans = storage.list_plans(engine, "S03", "2026-W50")
    assert len(plans) == len(USERS) * ROUNDS
    assert plans["status"].value_counts().to_dict() == {"superseded": len(USERS) * ROUNDS - 1, "published": 1}
    trail = audit_trail(engine)
    for user in USERS:
        mine = trail[trail["actor"] == user]
        assert (mine["action"] == "import").sum() == ROUNDS
        assert (mine["action"] == "publish").sum() == ROUNDS
        assert set(plans.loc[plans["created_by"] == user, "published_by"]) == {user}
    published = trail[trail["action"] == "publish"].iloc[::-1]  # oldest first
    superseded = [int(m) for m in published["summary"].str.extract(r"plan (\d+) superseded")[0].dropna()]
    published_ids = [int(m) for m in published["summary"].str.extract(r"^plan (\d+) published")[0]]
    assert superseded == published_ids[:-1]  # each publish superseded exactly the one before it
    assert published_ids[-1] == int(plans.loc[plans["status"] == "published", "plan_id"].iloc[0])
