"""Every way the database can fail ends in one sentence (`DatabaseUnavailable` / `DatabaseBusy`, exit 2 in the CLI),
never a traceback, and no password is ever shown: not in a URL, not in a driver's message, not in the app."""

from __future__ import annotations

import os
import socket
import sqlite3

import pytest
from sqlalchemy import exc

from app_pages import data
from planner import cli, storage
from planner.cli_flags import EXIT_INPUT, EXIT_UNAVAILABLE
from planner.errors import DatabaseUnavailable, PlannerError
from planner.settings import Settings
from planner.storage import engine as storage_engine

SECRET = "Tr0ub4dor-and-3"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nothing listens there


def _refused(url: str) -> str:
    with pytest.raises(DatabaseUnavailable) as raised:
        storage.connect(Settings(database_url=url))
    message = str(raised.value)
    assert "\n" not in message and SECRET not in message
    return message


@pytest.mark.parametrize("url", [
    f"postgresql+psycopg://planner:{SECRET}@127.0.0.1:{{port}}/planner",
    f"postgresql+psycopg://planner@127.0.0.1:{{port}}/planner?password={SECRET}",
])
def test_an_unreachable_server_is_named_without_its_password(url):
    message = _refused(url.format(port=_closed_port()))
    assert message.startswith("cannot reach the database server at 127.0.0.1:")


@pytest.mark.parametrize(("url", "expected"), [
    ("postgres//x", "is not a database URL"),
    ("nosuchdb://somewhere/db", "kind of database the planner does not know, 'nosuchdb'"),
    (f"postgres://planner:{SECRET}@127.0.0.1/planner", "SQLAlchemy spells it postgresql://"),
    (f"postgresql+pg8000://planner:{SECRET}@127.0.0.1/planner", "driver"),
    ("", "is not a database URL"),
    (f"postgresql+psycopg://planner:{SECRET}@127.0.0.1:notaport/planner", "is not a database URL"),
    # an '@' left unencoded in the password: its second half was shown as the host the server was looked for at
    (f"postgresql+psycopg://planner:{SECRET[:5]}@{SECRET[5:]}@127.0.0.1/planner", "more than one '@' before its host"),
    # an '@' and a '/' left unencoded in the password: read as user:pass@host/path, the rest of the password was
    # taken for a host name to look up and printed as the server that could not be reached
    (f"postgresql+psycopg://planner:{SECRET[:3]}@{SECRET[3:6]}/{SECRET[6:]}@127.0.0.1/planner", "an '@' after its host"),
    (f"postgresql://planner:{SECRET[:3]}@{SECRET[3:6]}:w/{SECRET[6:]}@127.0.0.1:1/planner", "an '@' after its host"),
])
def test_a_malformed_or_unknown_url_is_one_sentence(url, expected, monkeypatch):
    monkeypatch.setattr(storage_engine, "create_engine", _no_pg8000(storage_engine.create_engine))
    if not url:
        monkeypatch.setenv("PLANNER_DATABASE_URL", ":::")
    message = _refused(url or None)
    assert expected in message
    assert not any(SECRET[i:i + 3] in message for i in range(0, len(SECRET) - 2, 3)), message


@pytest.mark.parametrize("url", [f"postgresql+psycopg://u:{SECRET}@host:notaport/x",
                                 f"postgresql+psycopg://u:{SECRET[:5]}@{SECRET[5:]}@127.0.0.1:1/x",
                                 f"postgresql+psycopg://u:{SECRET[:5]}@{SECRET[5:8]}/{SECRET[8:]}@127.0.0.1:1/x"])
@pytest.mark.parametrize("given_as", ["environment", "flag"])
def test_the_command_line_says_a_bad_url_in_one_line_without_its_password(url, given_as, monkeypatch, capsys):
    """A port that is not a number gave a traceback (masking the message parsed the URL again and failed), and
    half of a password with an '@' in it was printed as the host."""
    from planner import cli

    monkeypatch.setenv("PLANNER_DATABASE_URL", url if given_as == "environment" else "sqlite://")
    code = cli.main((["--database-url", url] if given_as == "flag" else []) + ["stores"])
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert code == EXIT_UNAVAILABLE and len(said.strip().splitlines()) == 1
    assert "Traceback" not in said and "unexpected" not in said
    assert SECRET[:5] not in said and SECRET[5:8] not in said and SECRET[8:] not in said


URL_AFTER = f"postgresql+psycopg://u:{SECRET}@db/x"


@pytest.mark.parametrize("flag", [["--database-url", URL_AFTER], [f"--database-url={URL_AFTER}"]])
def test_a_database_url_after_the_command_is_refused_without_its_password_and_says_where_it_goes(flag, capsys):
    from planner import cli

    code = cli.main(["stores", *flag])
    said = capsys.readouterr().err
    assert code == EXIT_INPUT and len(said.strip().splitlines()) == 1
    assert SECRET not in said and "postgresql+psycopg://u:***@db/x" in said
    assert "--database-url goes before the command" in said


def _no_pg8000(create_engine):
    """pg8000 may or may not be installed here; make it missing, as it is on a machine without it."""

    def create(url, **options):
        if "pg8000" in str(url.drivername):
            raise ModuleNotFoundError("No module named 'pg8000'", name="pg8000")
        return create_engine(url, **options)

    return create


def test_a_corrupt_sqlite_file_is_named_and_left_as_it_was(tmp_path):
    path = tmp_path / "planner.db"
    garbage = bytes(range(256)) * 64
    path.write_bytes(garbage)
    message = _refused(f"sqlite:///{path}")
    assert message.startswith(f"the SQLite file {path} is damaged or is not a SQLite database")
    assert path.read_bytes() == garbage


def test_a_file_that_breaks_after_connecting_fails_every_load_with_a_sentence(tmp_path):
    path = tmp_path / "planner.db"
    engine = storage.connect(Settings(database_url=f"sqlite:///{path}"))
    engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"planner.db{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"not a database at all" * 500)
    for load in (storage.load_stores, storage.load_observations, storage.load_uploads, storage.count_rows):
        with pytest.raises(DatabaseUnavailable, match="is damaged or is not a SQLite database"):
            load(engine)
    with pytest.raises(DatabaseUnavailable):
        storage.save(engine, observation_frames=[])


def test_a_sqlite_path_that_cannot_be_opened_is_named(tmp_path):
    folder_not_file = tmp_path / "planner.db"
    folder_not_file.mkdir()
    assert "cannot be opened for reading and writing" in _refused(f"sqlite:///{folder_not_file}")


@pytest.mark.skipif(os.geteuid() == 0, reason="file permissions do not bind the root user")
def test_an_unreadable_sqlite_file_is_named(tmp_path):
    path = tmp_path / "planner.db"
    sqlite3.connect(path).close()
    path.chmod(0)
    assert "cannot be opened" in _refused(f"sqlite:///{path}")


def test_a_missing_folder_is_refused_not_created(tmp_path):
    missing = tmp_path / "no" / "such" / "folder"
    message = _refused(f"sqlite:///{missing / 'planner.db'}")
    assert message.startswith(f"the folder {missing} for the SQLite database does not exist")
    assert not (tmp_path / "no").exists()


def test_the_default_location_is_created(tmp_path, monkeypatch):
    default = tmp_path / ".planner" / "planner.db"
    monkeypatch.setattr(storage_engine, "default_database_url", lambda: f"sqlite:///{default}")
    storage.connect(Settings(database_url=f"sqlite:///{default}")).dispose()
    assert default.is_file()


def test_the_cli_prints_one_line_and_exits_2(capsys):
    code = cli.main(["--database-url", f"postgresql+psycopg://u:{SECRET}@127.0.0.1:{_closed_port()}/x", "stores"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith("error: cannot reach the database server") and captured.err.count("\n") == 1
    assert SECRET not in captured.out + captured.err


# --- masking -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "shown"), [
    (f"postgresql+psycopg://planner:{SECRET}@db:5432/planner", "postgresql+psycopg://planner:***@db:5432/planner"),
    (f"postgresql+psycopg://planner@db/planner?password={SECRET}&sslmode=require",
     "postgresql+psycopg://planner@db/planner?password=***&sslmode=require"),
    (f"postgresql://planner:{SECRET}@db/planner?sslpassword={SECRET}",
     "postgresql://planner:***@db/planner?sslpassword=***"),
    (f"host=db user=planner password={SECRET} dbname=planner", "host=db user=planner password=*** dbname=planner"),
    (f"host=db password='{SECRET} with spaces' dbname=planner", "host=db password=*** dbname=planner"),
    ("postgresql+psycopg://planner@db/planner", "postgresql+psycopg://planner@db/planner"),
    ("sqlite:////var/lib/planner.db", "sqlite:////var/lib/planner.db"),
    # a URL with a slash or the colon forgotten is not a URL, and its password was shown as written
    (f"postgresql+psycopg//planner:{SECRET}@db/planner", "postgresql+psycopg//planner:***@db/planner"),
    (f"postgresql+psycopg:/planner:{SECRET}@db/planner", "postgresql+psycopg:/planner:***@db/planner"),
    (f"planner:{SECRET[:5]}@{SECRET[5:]}@db/planner", "planner:***@db/planner"),
    # an '@' and a '/' left unencoded in the password: SQLAlchemy reads the password's end as the host and path
    (f"postgresql://planner:{SECRET[:3]}@{SECRET[3:6]}/{SECRET[6:]}@db/planner", "postgresql://planner:***@db/planner"),
    (f"postgresql://planner:{SECRET[:3]}@{SECRET[3:6]}:w/{SECRET[6:]}@db:1/planner",
     "postgresql://planner:***@db:1/planner"),
    (f"'postgresql://planner:{SECRET[:3]}@{SECRET[3:6]}/{SECRET[6:]}@db/planner' and more",
     "'postgresql://planner:***@db/planner' and more"),
])
def test_safe_url_masks_every_password_form(url, shown):
    assert storage.safe_url(url) == shown


def test_a_driver_message_quoting_the_connection_string_is_masked():
    url = f"postgresql+psycopg://planner@db/planner?password={SECRET}"
    message = (f'invalid connection option "x": host=db user=planner password={SECRET} dbname=planner; '
               f"tried {SECRET}; in URL postgresql://planner:{SECRET}@db/planner")
    masked = storage.mask_secrets(message, url)
    assert SECRET not in masked and masked.count("***") == 3


def test_the_sidebar_label_hides_a_query_password():
    label = data.database_label(f"postgresql+psycopg://planner@db/planner?password={SECRET}")
    assert SECRET not in label and "password=***" in label


def test_the_app_shows_one_sentence_for_a_database_error(monkeypatch, caplog):
    shown = []
    monkeypatch.setattr(data.st, "error", shown.append)
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"postgresql+psycopg://planner:{SECRET}@db/planner")
    driver_text = f"connection to server failed: host=db password={SECRET}\nDETAIL: many lines"
    with data.errors_shown():
        raise exc.OperationalError("SELECT 1", {}, Exception(driver_text))
    with data.errors_shown():
        raise DatabaseUnavailable("cannot reach the database server at db:5432: check that it is running")
    assert len(shown) == 2 and all("\n" not in s and SECRET not in s for s in shown)
    assert "could not be used just now (OperationalError)" in shown[0] and "connection to server" not in shown[0]
    assert SECRET not in caplog.text
    assert issubclass(DatabaseUnavailable, PlannerError)


# --- a database that is not there yet ------------------------------------------------------------------------------


READ_ONLY_COMMANDS = [
    ["plans", "list", "--store", "S02"], ["plans", "show", "1"], ["review", "--store", "S01", "--week", "2026-W50"],
    ["recommend", "--all"], ["next-counts", "--store", "S01"], ["roster", "--show", "--store", "S01", "--week",
                                                                 "2026-W50"],
    ["rosters", "list"], ["stores"], ["export-observations", "--out", "-"], ["settings", "show"],
    ["settings", "history"], ["users", "list"], ["audit"],
]


@pytest.mark.parametrize("argv", READ_ONLY_COMMANDS, ids=" ".join)
def test_a_command_that_only_reads_leaves_no_database_behind_and_says_so(argv, tmp_path, capsys):
    """`plans list --store S02` on a path with no database made a new, empty 172 KB database there and said
    "unknown store id: S02 (known: none)", as if the store were the slip."""
    missing = tmp_path / "empty.db"
    code = cli.main(["--database-url", f"sqlite:///{missing}", *argv])
    said = capsys.readouterr()
    assert code == EXIT_UNAVAILABLE and said.out == "", said
    assert said.err.count("\n") == 1 and said.err.startswith(f"error: there is no database at {missing}: "), said.err
    assert "load-sample" in said.err and "import" in said.err
    assert list(tmp_path.iterdir()) == []


CHANGING_COMMANDS = [
    ["plans", "publish", "1"], ["rosters", "publish", "1"], ["users", "set-role", "ana", "planner"],
    ["users", "disable", "ana"], ["users", "enable", "ana"], ["users", "set-password", "ana"],
]
"""Commands that change a record already saved: nothing of theirs can be in a database not there yet."""


@pytest.mark.parametrize("argv", CHANGING_COMMANDS, ids=" ".join)
def test_a_command_that_changes_a_saved_record_leaves_no_database_behind_and_says_so(argv, tmp_path, capsys):
    """`plans publish 1`, `rosters publish 1` and `users set-role/disable/enable/set-password ana` on a path with no
    database made a new, empty database there and then said "unknown plan" or "unknown user", as if the id were the
    slip. Only a command that saves something new (import, load-sample, users add, settings set, plan, roster) may
    start one."""
    missing = tmp_path / "empty.db"
    code = cli.main(["--database-url", f"sqlite:///{missing}", *argv])
    said = capsys.readouterr()
    assert code == EXIT_UNAVAILABLE and said.out == "", said
    assert said.err.count("\n") == 1 and said.err.startswith(f"error: there is no database at {missing}: "), said.err
    assert list(tmp_path.iterdir()) == []


def test_validate_checks_against_a_database_not_there_yet_as_an_empty_one_and_creates_none(tmp_path, capsys):
    missing = tmp_path / "empty.db"
    stores = os.path.join(os.path.dirname(__file__), "..", "data", "stores.csv")
    assert cli.main(["--database-url", f"sqlite:///{missing}", "validate", stores]) == 0
    assert "(the database has no stores yet)" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_a_command_that_writes_still_creates_the_database(tmp_path, capsys):
    made = tmp_path / "new.db"
    assert cli.main(["--database-url", f"sqlite:///{made}", "users", "add", "ana", "--role", "admin"]) == 0
    assert made.is_file()
    assert cli.main(["--database-url", f"sqlite:///{made}", "users", "list"]) == 0
    assert "ana" in capsys.readouterr().out


def test_the_default_database_is_named_when_it_is_missing(tmp_path, monkeypatch, capsys):
    """Without PLANNER_DATABASE_URL the database is the project folder's `.planner/planner.db` from any folder the
    command runs in: the message names that file and says it is the default."""
    import planner.settings

    default = tmp_path / "project" / ".planner" / "planner.db"
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    monkeypatch.setattr(planner.settings, "default_database_url", lambda: f"sqlite:///{default}")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["plans", "list"]) == EXIT_UNAVAILABLE
    said = capsys.readouterr().err
    assert said.startswith(f"error: there is no database at {default} (the default, as PLANNER_DATABASE_URL is not "
                           "set): "), said
    assert not (tmp_path / "project").exists()


def test_a_database_without_stores_says_so_and_where_it_is(tmp_path, capsys):
    """An existing database with no stores said "unknown store id: S02 (known: none)"."""
    path = tmp_path / "planner.db"
    storage.connect(Settings(database_url=f"sqlite:///{path}")).dispose()
    code = cli.main(["--database-url", f"sqlite:///{path}", "plans", "list", "--store", "S02"])
    said = capsys.readouterr().err
    assert code != 0 and said.count("\n") == 1, said
    assert said.startswith(f"error: the database at {path} holds no stores yet: "), said
    assert "load-sample" in said and "known: none" not in said


@pytest.mark.parametrize(("url", "port"), [
    *((f"postgresql://u:{SECRET}@nohost:{port}/db", port) for port in ("99999", "0", "65536")),
    *((f"postgresql+psycopg://u:{SECRET}@nohost/db?{query}", port) for query, port in (
        ("port=99999", "99999"), ("port=0", "0"), ("sslmode=disable&port=65536", "65536"), ("port=x", "x"),
        ("host=h1,h2&port=5432,70000", "70000"), ("host=h1:5432&host=h2:70000", "70000"),
        (f"port={SECRET}", "***"),  # the password written where the port goes: masked there too
    )),
])
def test_a_port_out_of_range_is_said_as_such_without_its_password(url, port, capsys):
    """A port past 65535 was taken to the driver, and the message read "cannot reach ... nohost:99999"; one in the
    query string (`?port=99999`) went to the driver unread, past that check (a word, "x", stopped the command with
    SQLAlchemy's traceback). Each is refused in the same words, the password masked; a list of ports, one per host
    (`port=p1,p2`, `host=h1:p1&host=h2:p2`), is read port by port."""
    message = _refused(url)
    assert f"port {port} is not a valid port (1-65535)" in message and "cannot reach" not in message, message
    assert cli.main(["--database-url", url, "stores"]) == EXIT_UNAVAILABLE
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and f"port {port} is not a valid port (1-65535)" in said and SECRET not in said
    assert f"{url.split(':')[0]}://u:***@nohost" in said
