"""The pages' one door to the planner: cached wrappers around planner calls, keyed on the database URL.

The engine is a `cache_resource` per URL. Every loader is a `cache_data` keyed on the URL and the database's
revision (how many imports it has recorded), so an entry is never reused after anyone, this app or the CLI, has
imported into that database; an import through the app also clears the loaders at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import Engine, exc
from sqlalchemy.engine import make_url

from planner import coverage, intake, storage
from planner.errors import PlannerError
from planner.intake import CheckedFile
from planner.settings import PROJECT_ROOT, Settings
from planner.storage import ImportSummary

TEMPLATE_FILE = PROJECT_ROOT / "data" / "single_count.csv"
"""An observation file with a header and two rows: what a store manager's upload looks like."""

log = logging.getLogger(__name__)


def settings() -> Settings:
    return Settings()


def database_url() -> str:
    return settings().resolved_database_url()


def database_label(url: str | None = None) -> str:
    """The database in use, fit to show: passwords hidden, the embedded SQLite file relative to the project."""
    url = url or database_url()
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        return "a database URL that cannot be read"
    if parsed.drivername.startswith("sqlite") and parsed.database:
        path = Path(parsed.database)
        shown = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path
        return f"SQLite file {shown}"
    return parsed.render_as_string(hide_password=True)


@st.cache_resource(show_spinner=False)
def engine(url: str) -> Engine:
    return storage.connect(settings(), url=url)


def revision(url: str) -> int:
    """Changes whenever an import changes the database: every such import records one upload."""
    return len(storage.load_uploads(engine(url)))


def stores() -> pd.DataFrame:
    url = database_url()
    return _stores(url, revision(url))


def cell_summary() -> pd.DataFrame:
    url = database_url()
    return _cell_summary(url, revision(url))


def store_coverage() -> pd.DataFrame:
    url = database_url()
    return _store_coverage(url, revision(url))


def check_files(files: list[tuple[str, bytes]]) -> list[CheckedFile]:
    """Check uploads against the stores in the database (and any store file among them)."""
    url = database_url()
    return _check_files(url, revision(url), files, settings())


def import_files(files: list[tuple[str, bytes]]) -> list[ImportSummary]:
    """Validate and store all files in one transaction (all or nothing), then forget every cached load."""
    try:
        return intake.import_files(engine(database_url()), files, settings().import_rules)
    finally:
        clear_loaders()


def clear_loaders() -> None:
    for loader in (_stores, _observations, _cell_summary, _store_coverage, _check_files):
        loader.clear()


@st.cache_data(show_spinner=False)
def template_csv() -> bytes:
    return TEMPLATE_FILE.read_bytes()


@contextmanager
def errors_shown() -> Iterator[None]:
    """Show the planner's own errors, and a database that cannot be reached, as a message instead of a traceback."""
    try:
        yield
    except PlannerError as error:
        st.error(str(error))
    except exc.SQLAlchemyError as error:
        log.exception("database error")  # the full traceback goes to the server log, a sentence to the user
        st.error(f"The database ({database_label()}) could not be read: {getattr(error, 'orig', None) or error}")


# --- cached calls (all arguments are part of the key) --------------------------------------------------------------


@st.cache_data(show_spinner=False)
def _stores(url: str, revision: int) -> pd.DataFrame:
    return storage.load_stores(engine(url))


@st.cache_data(show_spinner="Reading observations…")
def _observations(url: str, revision: int) -> pd.DataFrame:
    return storage.load_observations(engine(url))


@st.cache_data(show_spinner=False)
def _cell_summary(url: str, revision: int) -> pd.DataFrame:
    return coverage.cell_summary(_observations(url, revision), _stores(url, revision))


@st.cache_data(show_spinner=False)
def _store_coverage(url: str, revision: int) -> pd.DataFrame:
    return coverage.store_coverage(_observations(url, revision), _stores(url, revision))


@st.cache_data(show_spinner="Checking files…")
def _check_files(url: str, revision: int, files: list[tuple[str, bytes]], settings: Settings) -> list[CheckedFile]:
    return intake.check_files(files, _stores(url, revision), settings.import_rules)
