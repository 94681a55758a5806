"""Schema migrations: Alembic owns the database's schema, and `connect` brings every database to the newest revision
on first use.

- A database already at `HEAD_REVISION` costs one look at the alembic_version table (Alembic itself is imported only
  when there is something to do: it takes longer to import than the rest of the planner's database layer).
- Otherwise the upgrade runs in ONE transaction under the writers' lock (`engine.take_write_lock`: BEGIN IMMEDIATE
  on SQLite, the advisory lock on PostgreSQL), and looks at the revision again once it holds the lock, so two
  processes starting at once do not both migrate. A failure rolls the whole upgrade back.
- A database made by the first release (its tables, no alembic_version table) is recognised by its tables' columns
  and stamped with revision 0001, then upgraded in place: nothing in it is rewritten.

New revisions: see the README ("Schema migrations"); `HEAD_REVISION` names the newest (a test checks it).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

from planner.errors import DatabaseUnavailable
from planner.storage.engine import take_write_lock
from planner.storage.secrets import safe_url
from planner.words import agreeing

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"
HEAD_REVISION = "0010"
VERSION_TABLE = "alembic_version"


def upgrade_to_head(engine: Engine) -> None:
    """Bring the database to `HEAD_REVISION` (nothing to do: one query)."""
    with engine.connect() as connection:
        if current_revision(connection) == HEAD_REVISION:
            return
    with engine.begin() as connection:
        take_write_lock(connection)
        revision = current_revision(connection)  # again, under the lock: another process may have migrated meanwhile
        if revision == HEAD_REVISION:
            return
        if revision is None and _planner_tables(connection):
            _check_first_release_schema(connection, engine)
            _alembic(connection, "stamp", FIRST_REVISION)
        _alembic(connection, "upgrade", "head", engine=engine)


def current_revision(connection: Connection) -> str | None:
    """The revision recorded in the database (None: no migration has run there)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def alembic_config(connection: Connection | None = None, url: str | None = None):
    """An Alembic `Config` for the package's migrations, built in code (no alembic.ini): on `connection` if given,
    else on `url` (else the planner's default database)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def first_release_schema():
    """Revision 0001's tables (the MetaData its file defines)."""
    return importlib.import_module("planner.storage.migrations.versions.0001_initial_schema").SCHEMA


# --- helpers -------------------------------------------------------------------------------------------------------


def _planner_tables(connection: Connection) -> set[str]:
    names = set(first_release_schema().tables)
    return names & set(inspect(connection).get_table_names())


def _check_first_release_schema(connection: Connection, engine: Engine) -> None:
    """Refuse (one sentence) a database whose tables are not the first release's: stamping it would claim a schema it
    does not have."""
    expected = first_release_schema().tables
    inspector = inspect(connection)
    found = set(inspector.get_table_names())
    problems = [f"table {name} is missing" for name in expected if name not in found]
    for name, table in expected.items():
        if name in found:
            columns = {column["name"] for column in inspector.get_columns(name)}
            missing = sorted(set(table.columns.keys()) - columns)
            if missing:
                problems.append(f"table {name} lacks {agreeing(len(missing), 'column')} {', '.join(missing)}")
    if problems:
        raise DatabaseUnavailable(
            f"the database {safe_url(engine.url.render_as_string(hide_password=False))} has planner tables that no "
            f"release of the planner made ({'; '.join(problems)}): nothing was changed; restore it from a backup, or "
            "use an empty database"
        )


def _alembic(connection: Connection, command: str, revision: str, engine: Engine | None = None) -> None:
    from alembic import command as commands
    from alembic.util import CommandError

    try:
        getattr(commands, command)(alembic_config(connection), revision)
    except CommandError as error:
        where = safe_url((engine or connection.engine).url.render_as_string(hide_password=False))
        found = current_revision(connection)
        raise DatabaseUnavailable(
            f"the database {where} has schema revision {found}, which this release of the planner does not know "
            f"(it knows up to {HEAD_REVISION}): a newer release has used it; upgrade the planner ({error})"
        ) from error
