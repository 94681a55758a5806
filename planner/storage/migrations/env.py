"""Alembic's environment: runs the revisions on the connection `planner.storage.migrate` hands over (inside its
transaction, under the writers' lock), or, for the `alembic` command a developer runs, on the database of
`--database-url`-less planner runs: sqlalchemy.url if set, else PLANNER_DATABASE_URL, else the embedded SQLite file.

SQLite changes columns by copying tables ("batch" mode), so revisions that alter a table work there too.
A database that cannot be used ends the `alembic` command with the planner's one sentence for it (`error: ...`,
exit status 1, no password, no traceback), as the planner's own commands say it.
"""

from __future__ import annotations

from alembic import context

from planner.errors import PlannerError
from planner.settings import DATABASE_URL_ENV, Settings
from planner.storage.engine import CHECK_URL, database_errors, new_engine
from planner.storage.secrets import mask_secrets
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
    try:
        with database_errors(url):
            own_engine = new_engine(url, Settings())
            try:
                with own_engine.begin() as own_connection:
                    _run_on(own_connection)
            finally:
                own_engine.dispose()
    except PlannerError as error:  # raised from inside alembic's command, which would print a traceback
        sentence = str(error).replace(CHECK_URL, f"check {DATABASE_URL_ENV}")  # alembic has no --database-url
        raise SystemExit(f"error: {mask_secrets(sentence, url)}") from None
