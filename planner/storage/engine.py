"""Opening the database, and turning every way it can fail into one sentence (`DatabaseUnavailable`,
`DatabaseBusy`) that names what to check and never shows a password.

SQLite: writers take the write lock at the start of a transaction (`BEGIN IMMEDIATE`) and wait for it up to
`Settings.database_busy_timeout_seconds`. PostgreSQL: every write transaction first takes one transaction-level
advisory lock, so imports run one after another and count exactly, and any lock wait (that lock, or a row another
session holds) ends after the same timeout (`lock_timeout`). A wait that runs out raises `DatabaseBusy`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import Connection, URL, make_url

from planner.errors import DatabaseBusy, DatabaseUnavailable, PlannerError
from planner.settings import DATABASE_URL_ENV, Settings, default_database_url
from planner.storage.secrets import mask_secrets, safe_url

WRITE_LOCK_KEY = 0x706C616E6E6572  # "planner": the advisory lock every writer takes on PostgreSQL
BUSY_SQLSTATES = {"55P03", "40P01", "40001"}  # lock_not_available, deadlock_detected, serialization_failure
REFUSED_SQLSTATES = {"28P01", "28000"}  # invalid_password, invalid_authorization_specification
BUSY_TIMEOUT_OPTION = "planner_busy_timeout_seconds"
"""The engine's execution option carrying `Settings.database_busy_timeout_seconds` to every write."""
CHECK_URL = f"check {DATABASE_URL_ENV} or --database-url"
MAX_PORT = 65535


def connect(settings: Settings | None = None, url: str | None = None) -> Engine:
    """An engine for `url` (default: the settings' database), its schema upgraded to the newest revision on first
    use (`planner.storage.migrate`: a new database gets every table, an older one is upgraded in place). Raises
    `DatabaseUnavailable` with one sentence when the URL cannot be used or the database cannot be opened."""
    settings = settings or Settings()
    url = url or settings.resolved_database_url()
    with database_errors(url):
        engine = new_engine(url, settings)
        from planner.storage.migrate import upgrade_to_head  # it needs `take_write_lock` from here

        upgrade_to_head(engine)
    return engine


def new_engine(url: str, settings: Settings) -> Engine:
    """An engine for `url` with the planner's locking, its schema left as it is (the `alembic` command's
    environment uses it as it is). Raises `DatabaseUnavailable` for a URL that cannot be read or a SQLite folder
    that does not exist; wrap it in `database_errors` for the rest."""
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_options(parsed, url)
        _check_sqlite_folder(parsed)
        engine = create_engine(parsed, connect_args={"timeout": settings.database_busy_timeout_seconds})
        _sqlite_write_lock_at_begin(engine)
    else:
        engine = create_engine(parsed, pool_pre_ping=True)
    engine.update_execution_options(**{BUSY_TIMEOUT_OPTION: settings.database_busy_timeout_seconds})
    return engine


def missing_sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL that names one not there yet (its absolute path), else None: connecting would create
    it, and a command that only reads must not leave a new, empty database behind. Raises `DatabaseUnavailable` for a
    URL that cannot be read."""
    parsed = _parse(url)
    if parsed.get_backend_name() != "sqlite" or not _is_sqlite_file(parsed):
        return None
    _check_sqlite_options(parsed, url)  # what is wrong with the URL first
    path = Path(parsed.database)
    return None if path.exists() else path.absolute()


def database_named(url: str) -> str:
    """The database as a message names it: a SQLite file by its absolute path, any other by its URL with every
    password masked."""
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite" and _is_sqlite_file(parsed):
        return str(Path(parsed.database).absolute())
    return safe_url(url)


def take_write_lock(connection: Connection) -> None:
    """PostgreSQL: wait at most the busy timeout the engine was connected with for any lock in this transaction,
    then take the writers' advisory lock (held until commit or rollback). SQLite already holds its write lock
    (`BEGIN IMMEDIATE`)."""
    if connection.dialect.name != "postgresql":
        return
    timeout_seconds = connection.get_execution_options().get(
        BUSY_TIMEOUT_OPTION, Settings().database_busy_timeout_seconds)  # an engine made elsewhere: the default
    connection.execute(text(f"SET LOCAL lock_timeout = {max(1, round(timeout_seconds * 1000))}"))
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


@contextmanager
def cache_write(engine: Engine) -> Iterator[Connection | None]:
    """A write transaction for something a read keeps (a digest, what a check found) that waits for no writer: the
    connection, or None when another writer holds the database now, or the database is neither SQLite nor
    PostgreSQL (whose writers `take_write_lock` does not order, so what was read may not be what is kept). A list of
    saved plans kept its checks in a transaction that waited up to the busy timeout for an import to end."""
    dialect = engine.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        yield None
        return
    with engine.connect() as connection:
        if dialect == "postgresql":
            with connection.begin():
                taken = connection.execute(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                           {"key": WRITE_LOCK_KEY}).scalar()
                yield connection if taken else None
            return
        timeout_ms = round(1000 * connection.get_execution_options().get(
            BUSY_TIMEOUT_OPTION, Settings().database_busy_timeout_seconds))
        # on the driver's own connection: a statement through SQLAlchemy would begin the transaction first
        driver = connection.connection.driver_connection
        driver.execute("PRAGMA busy_timeout = 0")  # BEGIN IMMEDIATE fails at once if a writer holds the database
        try:
            try:
                transaction = connection.begin()
            except exc.OperationalError as error:
                if not _is_busy(error):
                    raise
                yield None
                return
            with transaction:
                yield connection
        finally:
            driver.execute(f"PRAGMA busy_timeout = {timeout_ms}")


def url_of(engine: Engine) -> str:
    """The engine's URL as written, password included: for masking it in messages, never for showing."""
    return engine.url.render_as_string(hide_password=False)


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Raise every database failure inside as `DatabaseBusy` or `DatabaseUnavailable` (the transaction has already
    been rolled back): a sentence saying what to check, with every password masked."""
    try:
        yield
    except PlannerError:
        raise
    except exc.DBAPIError as error:
        if _is_busy(error):
            raise DatabaseBusy() from error
        raise DatabaseUnavailable(_sentence(error, url)) from error
    except exc.NoSuchModuleError as error:
        kind = url.split(":", 1)[0]
        misspelt = kind.startswith("postgres") and not kind.startswith("postgresql")
        hint = " (SQLAlchemy spells it postgresql://)" if misspelt else ""
        raise DatabaseUnavailable(
            f"the database URL {safe_url(url)} names a kind of database the planner does not know, '{kind}'{hint}: "
            f"use sqlite:///path/to/file.db or postgresql+psycopg://user@host/database ({CHECK_URL})"
        ) from error
    except ImportError as error:
        raise DatabaseUnavailable(
            f"the database driver for {safe_url(url)} is not installed ({error.name or error}): install it, or use "
            f"postgresql+psycopg:// whose driver the planner ships with"
        ) from error


# --- helpers -------------------------------------------------------------------------------------------------------


def _parse(url: str) -> URL:
    authority, _, rest = url.partition("://")[2].partition("/")
    if authority.count("@") > 1:  # read as user:pass@word@host, part of the password would be taken for the host
        raise DatabaseUnavailable(
            f"the database URL {safe_url(url)} has more than one '@' before its host: an '@' in a user name or "
            f"password is written %40")
    if "@" in authority and "@" in rest:  # user:pass@word/more@host: the host would be 'word', the path the rest
        raise DatabaseUnavailable(
            f"the database URL {safe_url(url)} has an '@' after its host: if it belongs to the password, write "
            f"each '@' in it as %40 and each '/' as %2F")
    try:
        parsed = make_url(url)
    except (exc.ArgumentError, ValueError) as error:  # ValueError: a port that is not a number
        raise DatabaseUnavailable(
            f"'{safe_url(url)}' is not a database URL: write it as sqlite:///path/to/file.db or "
            f"postgresql+psycopg://user@host:5432/database ({CHECK_URL})"
        ) from error
    if parsed.port is not None and not 1 <= parsed.port <= MAX_PORT:  # else "cannot reach host:99999"
        raise DatabaseUnavailable(_not_a_port(url, str(parsed.port)))
    if parsed.get_backend_name() != "sqlite":  # SQLite takes no port: `_check_sqlite_options` says so
        for port in _query_ports(parsed):  # the driver takes these too, past the check above
            if not (port.isascii() and port.isdigit() and 1 <= int(port) <= MAX_PORT):
                raise DatabaseUnavailable(_not_a_port(url, port))
    return parsed


def _not_a_port(url: str, port: str) -> str:
    """Why `port` of `url` is refused, the password masked in the port's text too (`?port=<the password>`, a slip of
    a query string written by hand, would print it)."""
    shown = mask_secrets(safe_url(url), url)  # safe_url masks the password where a password goes, not in the query
    return (f"in the database URL {shown}, port {mask_secrets(port, url)} is not a valid port (1-{MAX_PORT}): "
            f"PostgreSQL listens on 5432 unless set otherwise ({CHECK_URL})")


_HOST_AND_PORT = re.compile(r"[A-Za-z0-9.\-]*:([^:]*)")
"""A host with its port in the query string ("h2:5433"), read as SQLAlchemy reads one (an IPv6 address is none)."""


def _query_ports(parsed: URL) -> list[str]:
    """The ports `parsed`'s query string gives, as written: `?port=5433`, a list of them, one per host
    (`?host=h1,h2&port=5433,5434`), or each host's own (`?host=h1:5433&host=h2:5434`); an empty one (the host's
    default port) left out."""
    def given(name: str) -> tuple[str, ...]:
        value = parsed.query.get(name, ())
        return (value,) if isinstance(value, str) else tuple(value)

    ports = [port for value in given("port") for port in value.split(",")]
    hosts = [_HOST_AND_PORT.fullmatch(host) for value in given("host") for host in value.split(",")]
    return [port for port in (*ports, *(match[1] for match in hosts if match)) if port]


SQLITE_DRIVER_OPTIONS = {"uri", "timeout", "isolation_level", "detect_types", "check_same_thread", "cached_statements"}
"""The query arguments Python's sqlite3 driver takes; SQLAlchemy drops any other (with an SAWarning on the
terminal) unless `uri=true` hands them to SQLite's own URI."""


def _check_sqlite_options(parsed: URL, url: str) -> None:
    """Refuse a SQLite URL whose query arguments the driver would drop: `?password=...` protects nothing (a SQLite
    file has no password), and saying so beats a warning that the database opened anyway."""
    if str(parsed.query.get("uri", "")).lower() in ("true", "1"):
        return
    ignored = sorted(set(parsed.query) - SQLITE_DRIVER_OPTIONS)
    if ignored:
        raise DatabaseUnavailable(
            f"the SQLite database URL {safe_url(url)} has {', '.join(repr(name) for name in ignored)} after its '?', "
            f"which SQLite does not take (a SQLite file has no user or password; SQLite's own URI options need "
            f"uri=true as well): remove it ({CHECK_URL})")


def _check_sqlite_folder(parsed: URL) -> None:
    """Create the default location's folder; refuse any other folder that does not exist (a typo in a path should
    not scatter databases across the disk)."""
    if not _is_sqlite_file(parsed):
        return
    folder = Path(parsed.database).parent
    if folder.is_dir():
        return
    default_folder = Path(make_url(default_database_url()).database).parent
    if folder.resolve() == default_folder.resolve():
        folder.mkdir(parents=True, exist_ok=True)
        return
    raise DatabaseUnavailable(
        f"the folder {folder} for the SQLite database does not exist: create it, or choose another path ({CHECK_URL})"
    )


def _is_sqlite_file(parsed: URL) -> bool:
    """A SQLite URL naming a file by its path (not in memory, not SQLite's own `file:` URI)."""
    return bool(parsed.database) and parsed.database != ":memory:" and not parsed.database.startswith("file:")


def _sqlite_write_lock_at_begin(engine: Engine) -> None:
    """SQLite: BEGIN IMMEDIATE, so a writer waits for the lock up front instead of failing on upgrade (SQLAlchemy's
    documented pysqlite recipe). Also turns foreign keys on, which SQLite leaves off by default, and write-ahead
    logging on."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        # readers (the app) never wait for a writer (an import), and a writer never waits for readers
        dbapi_connection.execute("PRAGMA journal_mode = WAL")

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _is_busy(error: exc.DBAPIError) -> bool:
    if getattr(error.orig, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    message = str(error.orig).lower()
    return "database is locked" in message or "database is busy" in message or "lock timeout" in message


def _query(parsed, name: str) -> str | None:
    """A connection setting given in the URL's query (`?host=db&port=5433&user=ana`), as libpq reads it there."""
    value = parsed.query.get(name)
    return value[-1] if isinstance(value, tuple) else value


def _sentence(error: exc.DBAPIError, url: str) -> str:
    """One sentence for a driver error: what failed and what to check, the driver's words only when no known case
    fits (first line, passwords masked)."""
    parsed = make_url(url)
    message = str(error.orig)
    lower = message.lower()
    if parsed.get_backend_name() == "sqlite":
        where = f"the SQLite file {parsed.database}"
        if "not a database" in lower or "malformed" in lower or "corrupt" in lower:
            return f"{where} is damaged or is not a SQLite database: restore it from a backup, or {CHECK_URL}"
        if "unable to open" in lower or "readonly" in lower or "read-only" in lower:
            return f"{where} cannot be opened for reading and writing: check that it is a file this user may write"
    host = parsed.host or _query(parsed, "host") or "localhost"
    server = f"the database server at {host}:{parsed.port or _query(parsed, 'port') or 5432}"
    if getattr(error.orig, "sqlstate", None) in REFUSED_SQLSTATES or "password authentication failed" in lower:
        user = parsed.username or _query(parsed, "user") or "(none given)"
        return f"{server} refused user '{user}': check the user name and password in the database URL"
    if "does not exist" in lower and "database" in lower:
        return f"{server} has no database '{parsed.database}': create it, or {CHECK_URL}"
    if any(s in lower for s in ("connection refused", "could not connect", "connection failed", "timeout expired",
                                "could not translate host", "name or service not known", "no route to host")):
        return f"cannot reach {server}: check that it is running and that the host and port are right ({CHECK_URL})"
    first_line = mask_secrets(message.strip().splitlines()[0] if message.strip() else type(error.orig).__name__, url)
    return f"the database ({safe_url(url)}) failed: {first_line}"
