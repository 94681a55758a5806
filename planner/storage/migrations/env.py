"""Alembic's environment: runs the revisions on the connection `planner.storage.migrate` hands over (inside its
transaction, under the writers' lock), or, for the `alembic` command a developer runs, on the database of
`--database-url`-less planner runs: sqlalchemy.url if set, else PLANNER_DATABASE_URL, else the embedded SQLite file.

SQLite changes columns by copying tables ("batch" mode), so revisions that alter a table work there too.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from planner.settings import Settings
from planner.storage.tables import metadata

config = context.config


def _configure(**options) -> None:
    context.configure(target_metadata=metadata, compare_type=True, **options)
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")


url = config.get_section(config.config_ini_section, {}).get("sqlalchemy.url") or Settings().resolved_database_url()
if context.is_offline_mode():
    _configure(url=url, literal_binds=True)
elif config.attributes.get("connection") is not None:
    _run_on(config.attributes["connection"])
else:
    with create_engine(url, poolclass=pool.NullPool).begin() as own_connection:
        _run_on(own_connection)
