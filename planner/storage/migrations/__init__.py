"""Alembic's migration environment for the planner's database: `env.py`, the template of new revisions and
`versions/`, one file per schema revision. `planner.storage.migrate` runs it programmatically (no alembic.ini);
the project's pyproject.toml points the `alembic` command here for writing new revisions."""
