"""Shared test fixtures: a fresh database per test, the sample files, and the shared reference material."""

from __future__ import annotations

import functools
import os
import sqlite3
import sys
from pathlib import Path

import hypothesis
import pytest
from sqlalchemy import MetaData, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from planner import storage
from planner.cli_flags import EXIT_OK
from planner.settings import Settings

TODAY = "2026-12-01"
"""The date the tests take as today (`planner.clock`'s PLANNER_TODAY): their dated weeks (2026-W50 and after) are
ahead of it whenever they run. Set here, at import, for the whole session: in every module and fixture, module- and
session-scoped ones too, and in every command a test starts (`python -m planner`, the app's server), which inherit
the environment. The clock reads it on every call, so the imports above take nothing from the machine's date. A
test of another date sets it with `monkeypatch.setenv`."""
os.environ["PLANNER_TODAY"] = TODAY

# Property tests explore new examples on a developer's run; under CI they draw the same ones each time, so a run is
# repeatable and a red CI is a change, not a draw (a counterexample a developer's run finds is fixed, or recorded
# with @example, like any other failure).
hypothesis.settings.register_profile("ci", derandomize=True)
UNDER_CI = bool(os.environ.get("CI"))
if UNDER_CI:
    hypothesis.settings.load_profile("ci")


def max_examples(here: int, under_ci: int) -> int:
    """A slow property test's `max_examples`: `here` on a developer's run, fewer (`under_ci`) under CI. A developer's
    run draws new examples each time, so runs together explore ever more of the space; CI's derandomised run draws
    the same examples on every push, so its count buys one fixed sample, paid for in full each time (the two
    random-cell tests of tests/test_hostile_files.py drew 60 files each: a minute of the suite). A smaller fixed
    sample still checks the property on every push; the exploring is left to developers' runs, whose counterexamples
    are kept with @example."""
    return under_ci if UNDER_CI else here


ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


def _database_of_this_worker() -> str | None:
    """PLANNER_TEST_POSTGRES_URL, and under pytest-xdist (`make test` runs a worker per core) a database of the
    worker's own beside it ("planner_test_gw0"), created on first use and put into PLANNER_TEST_POSTGRES_URL for the
    tests and the commands they start: workers emptying one database would drop each other's tables."""
    url = os.environ.get("PLANNER_TEST_POSTGRES_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    shared = make_url(url)
    own = shared.set(database=f"{shared.database}_{worker}")
    engine = create_engine(shared, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                        {"name": own.database}).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    except DBAPIError as error:
        raise pytest.UsageError(
            f"pytest-xdist worker {worker} could not make its own database {own.database} beside "
            f"{shared.render_as_string()} ({type(error.orig).__name__}): give the role CREATEDB (`ALTER ROLE ... "
            "CREATEDB`, as .ci/postgres.sh does) or run the tests in one process (`pytest -n 0`)") from None
    finally:
        engine.dispose()
    os.environ["PLANNER_TEST_POSTGRES_URL"] = own.render_as_string(hide_password=False)
    return os.environ["PLANNER_TEST_POSTGRES_URL"]


POSTGRES_URL = _database_of_this_worker()
"""A PostgreSQL database the tests may empty (CI sets it); tests on PostgreSQL skip without it."""


@pytest.fixture(autouse=True, scope="session")
def _streamlit_components_scanned_once():
    """Each AppTest scans every installed distribution for Streamlit components on its first run (four reads of each
    METADATA file and a thread pool: about 0.1 s, for a few hundred AppTests a session; the app uses none). What is
    installed does not change while the tests run, so the scan is made once and its answer kept."""
    if "streamlit" not in sys.modules:  # no test collected drives the app
        yield
        return
    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests",
                      functools.cache(manifest_scanner.scan_component_manifests))
        yield


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes():
    """Passwords hashed with argon2id at its least cost (one pass over 8 KiB) instead of the library's defaults (three
    passes over 64 MiB, four lanes: tens of milliseconds each on an idle core, half of test_signin's time). A test of
    sign-in is about who gets in, never about the hash's cost; a stored hash is still argon2id and says its own
    parameters, so the library's default hasher checks it too (test_accounts does)."""
    from argon2 import PasswordHasher

    from planner import accounts

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        accounts._dummy_hash.cache_clear()  # an unknown name is checked against a hash of the same cost
        yield
        accounts._dummy_hash.cache_clear()


READ_BY_NO_FIT = ("planner.clock",)
"""Modules of the planner no kept fit reads: the fits are pure functions of their arguments (`planner.fits`), and the
clock is read by their callers, which pass on the dates they make of it (tests/test_fits.py fits the sample with a
clock that raises). A test that sets the clock (the roster command line's do, every one) keeps the fits made before:
forgetting them cost each such test a fit of the chain again."""


class _ForgetfulPatch(pytest.MonkeyPatch):
    """A monkeypatch that empties the model fits and roster searches a process keeps (`planner.fits`) when it
    replaces anything of the planner (but `READ_BY_NO_FIT`), and again when it puts it back: a test that replaces part
    of a model (a penalty, a spy on a fit, a roster rule) reads no fit or roster made before, and leaves none made
    with its replacement to the tests after it."""

    def setattr(self, target, name, value=pytest.MonkeyPatch.setattr.__defaults__[0], raising=True):
        super().setattr(target, name, value, raising)
        self._forget_for(target)

    def delattr(self, target, name=pytest.MonkeyPatch.delattr.__defaults__[0], raising=True):
        super().delattr(target, name, raising)
        self._forget_for(target)

    def _forget_for(self, target) -> None:
        module = target if isinstance(target, str) else getattr(target, "__module__", None) or getattr(
            target, "__name__", "")
        unread = any(str(module) == name or str(module).startswith(f"{name}.") for name in READ_BY_NO_FIT)
        if str(module).startswith("planner") and not unread:
            from planner import fits

            fits.forget()
            self._forgets = True

    def undo(self) -> None:
        super().undo()
        if getattr(self, "_forgets", False):
            from planner import fits

            fits.forget()


@pytest.fixture
def monkeypatch():
    """pytest's monkeypatch, forgetting the kept model fits around a patch of the planner (`_ForgetfulPatch`)."""
    patch = _ForgetfulPatch()
    yield patch
    patch.undo()


@pytest.fixture(autouse=True)
def _pinned_observations_today() -> None:
    """A count may be dated by `planner.io.observations.today()`, and its age is measured from
    `planner.io.observations.age_reference_date()`: both read the machine's date, not `planner.clock`'s (`TODAY`,
    set above for the session)."""
    import datetime as dt

    from planner.io import observations

    # a plain monkeypatch: the fits kept (`planner.fits`) do not read these, so every test need not forget them
    with pytest.MonkeyPatch.context() as patch:
        # every count a test makes is taken as already watched (a test of the warning says otherwise)
        patch.setattr(observations, "today", lambda: dt.date(2199, 12, 31))
        # and none of them is years old (a test of that warning says otherwise)
        patch.setattr(observations, "age_reference_date", lambda: dt.date.fromisoformat(TODAY))
        yield


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'planner.db'}")


@pytest.fixture
def engine(settings):
    engine = storage.connect(settings)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The bundled sample loaded by `python -m planner load-sample` into a SQLite file, once per test session (tests
    take copies: `sample_url`, `sqlite_copy`)."""
    from planner import cli

    path = tmp_path_factory.mktemp("sample") / "planner.db"
    assert cli.main(["--database-url", f"sqlite:///{path}", "load-sample"]) == EXIT_OK
    return path


@pytest.fixture
def sample_url(sample_db, tmp_path) -> str:
    """The URL of a fresh copy of the sample database for one test."""
    return sqlite_copy(sample_db, tmp_path / "planner.db")


def sqlite_copy(database: Path, copy: Path) -> str:
    """Copy the SQLite file `database` to `copy`; returns the copy's URL."""
    # SQLite's backup API, not a file copy: in WAL mode recent writes may still sit in the -wal file
    with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return f"sqlite:///{copy}"


@pytest.fixture
def sample_files() -> list[tuple[str, bytes]]:
    return [(name, (DATA / name).read_bytes()) for name in ("stores.csv", "observations.csv")]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not POSTGRES_URL, reason="set PLANNER_TEST_POSTGRES_URL to test PostgreSQL"))])
def any_database_url(request, tmp_path):
    """An empty database: a new SQLite file, then the PostgreSQL test database emptied (every table dropped)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'planner.db'}"
        return
    empty_database(POSTGRES_URL)
    yield POSTGRES_URL
    empty_database(POSTGRES_URL)


def store_zone_written(url: str, store_id: str, zone: str | None) -> None:
    """Writes `zone` straight into `store_id`'s row of the stores table, as a database moved from a machine with other
    tzdata may hold it (every check that takes a zone name refuses an unknown one)."""
    engine = storage.connect(Settings(database_url=url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE stores SET time_zone = :zone WHERE store_id = :store"),
                           {"zone": zone, "store": store_id})
    engine.dispose()


def later_s07_counts(folder: Path, *, evenings: float = 3) -> Path:
    """A counts file (written to `folder`, its path returned) of two more weeks of S07 (electronics, as S01 is), its
    last two weeks' counts dated after every count so far, their evening hours (17:00-21:00) `evenings` times their
    customers: imported, what the pooled model borrows S01's and S02's shapes from moves, their own counts do not."""
    import pandas as pd

    counts = pd.read_csv(DATA / "observations.csv")
    later = counts[(counts["store_id"] == "S07") & (counts["date"] >= "2026-09-21")].copy()
    later["date"] = (pd.to_datetime(later["date"]) + pd.Timedelta(days=14)).dt.strftime("%Y-%m-%d")
    evening = later["hour"].between(17, 20)
    for column in ("visitors", "assisted", "self_service"):
        later.loc[evening, column] = (later.loc[evening, column] * evenings).round().astype(int)
    later.to_csv(folder / "s07.csv", index=False)
    return folder / "s07.csv"


def chain_roster_rules_saved(url: str, **rules) -> None:
    """The chain's saved roster rules with `rules` changed (the rest of the saved settings kept)."""
    import dataclasses

    from planner.settings import settings_from_dict

    engine = storage.connect(Settings(database_url=url))
    stored = storage.load_settings(engine)
    settings = settings_from_dict(stored) if stored else Settings()
    storage.save_settings(engine, dataclasses.replace(settings, roster=dataclasses.replace(settings.roster, **rules)),
                          "test")
    engine.dispose()


def pooled_fits_counted(monkeypatch) -> list[tuple[str, ...]]:
    """The stores of each fit a saved plan's check makes of the chain (`planner.pooled_moves.remade_staffing`),
    appended to the list returned as they are made, the fits themselves unchanged."""
    from planner import pooled_moves

    fits: list[tuple[str, ...]] = []
    fitted = pooled_moves.remade_staffing

    def counted_fit(engine, request, calendar):
        fits.append(tuple(sorted(request.store_ids)))
        return fitted(engine, request, calendar)

    monkeypatch.setattr(pooled_moves, "remade_staffing", counted_fit)
    return fits


def forget_pooled_checks(url: str) -> None:
    """Forget what every list of the saved plans found of other stores' counts (`storage.save_pooled_checks`): an
    import lists the plans it puts out of date, so a test of the list's own fits starts without its findings."""
    from planner.storage.tables import plan_pooled_checks

    engine = storage.connect(Settings(database_url=url))
    with engine.begin() as connection:
        connection.execute(plan_pooled_checks.delete())
    engine.dispose()


def empty_database(url: str) -> None:
    """Drop every table of `url`'s database, alembic_version included."""
    engine = create_engine(url)
    everything = MetaData()
    everything.reflect(engine)
    everything.drop_all(engine)
    engine.dispose()


ROSTER_SOLVE_SECONDS = 60.0
"""The roster solver's wall-clock stop in the sample databases of the roster tests: a safety net, as by default, so
that `ROSTER_SOLVE_UNITS` decides the roster whatever the machine's load (with a 2 s stop, a loaded machine's roster
was the quick one or left hours short, which `roster --publish` refuses, where an idle one's was complete)."""
ROSTER_SOLVE_UNITS = 0.5
"""The roster solver's deterministic budget in those databases (the default, 8 units, is longer)."""


@pytest.fixture(scope="session")
def roster_sample_db(sample_db, tmp_path_factory) -> Path:
    """A copy of the bundled sample (stores, counts, employees, absences), with the chain's roster budget shortened
    to `ROSTER_SOLVE_UNITS` (and its wall-clock stop at `ROSTER_SOLVE_SECONDS`)."""
    import dataclasses

    path = tmp_path_factory.mktemp("roster_sample") / "planner.db"
    url = sqlite_copy(sample_db, path)
    engine = storage.connect(Settings(database_url=url))
    roster = dataclasses.replace(Settings().roster, time_limit_seconds=ROSTER_SOLVE_SECONDS,
                                 deterministic_time_limit=ROSTER_SOLVE_UNITS)
    storage.save_settings(engine, dataclasses.replace(Settings(), roster=roster), "test")
    engine.dispose()
    return path


@pytest.fixture
def roster_db_url(roster_sample_db, tmp_path) -> str:
    """A fresh copy of `roster_sample_db` for one test."""
    return sqlite_copy(roster_sample_db, tmp_path / "roster.db")


@pytest.fixture
def downloads(monkeypatch) -> list:
    """The media stores (`MemoryMediaFileStorage`) of the app's AppTest runs, where a download button's file lives;
    each knows its run's media manager (`manager`), which holds the files built only when their button is pressed
    (`downloaded`)."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import app_test as app_test_module

    stores: list[MemoryMediaFileStorage] = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            stores.append(self)

    class Managing(MediaFileManager):
        def __init__(self, storage, *args, **kwargs):
            super().__init__(storage, *args, **kwargs)
            storage.manager = self

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recording)
    monkeypatch.setattr(app_test_module, "MediaFileManager", Managing)
    return stores


def downloaded(stores: list, button):
    """The file (`MemoryFile`: `content`, `filename`) a download button of the last run gives: as stored, or, where
    the page passed a callable to build it when pressed, built now as a press in the browser builds it
    (`MediaFileManager.execute_deferred`)."""
    proto, last = button.proto, stores[-1]
    url = last.manager.execute_deferred(proto.deferred_file_id) if proto.deferred_file_id else proto.url
    return last.get_file(url.rsplit("/", 1)[-1])


def said_while_working(monkeypatch) -> list[str]:
    """The words of every spinner and progress bar the pages open, as they open them."""
    import streamlit

    said: list[str] = []
    spinner, progress = streamlit.spinner, streamlit.progress

    def spinning(text: str = "", *args, **kwargs):
        said.append(text)
        return spinner(text, *args, **kwargs)

    def bar(value, text=None, *args, **kwargs):
        said.append(text)
        return progress(value, text, *args, **kwargs)

    monkeypatch.setattr(streamlit, "spinner", spinning)
    monkeypatch.setattr(streamlit, "progress", bar)
    return said


def element_path(node, label: str, path: tuple = ()) -> tuple | None:
    """Where in an AppTest page's tree (each block's child indices, as the browser places elements) the element
    labelled `label` is drawn; None where it is not."""
    proto = getattr(node, "proto", None)
    if getattr(proto, "label", None) == label:
        return path
    for index, child in getattr(node, "children", {}).items():
        found = element_path(child, label, (*path, index))
        if found is not None:
            return found
    return None


def table_heights(monkeypatch) -> list[tuple[int, object]]:
    """(rows, height) of every `st.dataframe` the pages draw from now on, as they draw them (a Styler holds its
    frame; "auto" where no height is given)."""
    import streamlit

    heights: list[tuple[int, object]] = []
    shown = streamlit.dataframe

    def recorded(data, *args, **kwargs):
        heights.append((len(getattr(data, "data", data)), kwargs.get("height", "auto")))
        return shown(data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "dataframe", recorded)
    return heights
