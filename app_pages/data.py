"""The pages' one door to the planner: cached wrappers around planner calls, keyed on the database URL.

The engine is a `cache_resource` per URL. Every loader is a `cache_data` keyed on the URL and the database's
revision (how many imports it has recorded), so an entry is never reused after anyone, this app or the CLI, has
imported into that database; an import through the app also clears the loaders at once. Planner calls are also
keyed on the frozen `Settings` they use (the session's, see `settings()`), the store ids and any forced targets, so
moving a control computes once and answers from the cache after that.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import Engine, exc
from sqlalchemy.engine import make_url

from app_pages import state
from planner import compare, coverage, intake, pipeline, storage
from planner.demand import estimate_demand
from planner.errors import PlannerError
from planner.intake import CheckedFile
from planner.schemas import StoreSchema as S
from planner.settings import PROJECT_ROOT, Settings
from planner.shifts import COVERAGE_COLUMNS, SHIFT_COLUMNS
from planner.staffing.advice import next_counts
from planner.storage import ImportSummary

TEMPLATE_FILE = PROJECT_ROOT / "data" / "single_count.csv"
"""An observation file with a header and two rows: what a store manager's upload looks like."""
STORE_TEMPLATE_FILE = PROJECT_ROOT / "data" / "stores.csv"
"""The sample's store file: one row per store, opening hours per weekday, wages and staff limits."""
NO_BREAK_HOURS = 24.0
"""A break threshold no shift reaches: how "no breaks" is said to the optimiser (as the CLI's --no-breaks does)."""
UNEXPECTED = (
    "Something went wrong on this page ({kind}). Nothing was changed; the details are in the server log. "
    "Try again, or reload the page."
)

log = logging.getLogger(__name__)


def settings() -> Settings:
    """The settings in force for this session: as edited on the Settings page, else the defaults."""
    chosen = st.session_state.get(state.SETTINGS)
    return chosen if isinstance(chosen, Settings) else Settings()


def set_settings(chosen: Settings | None) -> None:
    """Make `chosen` the session's settings (None: back to the defaults)."""
    if chosen is None:
        st.session_state.pop(state.SETTINGS, None)
    else:
        st.session_state[state.SETTINGS] = chosen


def database_url() -> str:
    # Not the session's settings: the database is the server's choice (PLANNER_DATABASE_URL), not a user's.
    return Settings().resolved_database_url()


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
    return storage.connect(Settings(), url=url)


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
    for loader in (_stores, _observations, _cell_summary, _store_coverage, _check_files, _recommendation, _demand,
                   _store_kpis, _staff_heatmap):
        loader.clear()


@st.cache_data(show_spinner=False)
def template_csv() -> bytes:
    return TEMPLATE_FILE.read_bytes()


@st.cache_data(show_spinner=False)
def store_template_csv() -> bytes:
    return STORE_TEMPLATE_FILE.read_bytes()


# --- recommendations -------------------------------------------------------------------------------------------------


def recommendation(
    chosen: Settings, store_ids: Iterable[str] | None = None, forced: Iterable[str] = ()
) -> pd.DataFrame:
    """`planner.pipeline.recommend` on the stored counts: staff per store x weekday x hour (all stores for None)."""
    url = database_url()
    ids = None if store_ids is None else tuple(store_ids)
    return _recommendation(url, revision(url), chosen, ids, tuple(sorted(set(forced))))


def store_targets(store_id: str) -> dict[str, float | int]:
    """The service targets the store is planned with under the session's settings (its overrides, else those)."""
    url = database_url()
    row = compare.store_targets(_stores(url, revision(url)), settings()).loc[store_id]
    return {name: (int(row[name]) if name == "min_staff" else float(row[name])) for name in compare.TARGET_NAMES}


def what_if(store_id: str, values: Mapping[str, float | int]) -> tuple[Settings, tuple[str, ...]]:
    """The session's settings with every target in `values` that differs from the store's own as a forced target
    (`planner.pipeline.apply_forced_targets`), and the names forced."""
    own = store_targets(store_id)
    forced = tuple(sorted(name for name, value in values.items() if value != own[name]))
    try:
        chosen = settings().with_targets(**{name: values[name] for name in forced})
    except ValueError as error:
        raise PlannerError(f"that what-if cannot be computed: {error}") from error
    return chosen, forced


def store_recommendation(store_id: str, values: Mapping[str, float | int]) -> pd.DataFrame:
    """One store's recommendation with the what-if target `values` (those equal to the store's own change nothing)."""
    chosen, forced = what_if(store_id, values)
    return recommendation(chosen, [store_id], forced)


def count_advice(store_id: str) -> list[str]:
    """Where to count next in the store: one sentence per 2-hour window, best first (`planner.staffing.advice`)."""
    url = database_url()
    return _count_advice(url, revision(url), settings(), store_id)


def store_kpis(chosen: Settings, regions: Iterable[str] | None = None) -> pd.DataFrame:
    """`planner.compare.store_kpis` for the stores of `regions` (None: every store)."""
    url = database_url()
    return _store_kpis(url, revision(url), chosen, _regions(regions))


def region_stores(regions: Iterable[str] | None = None) -> pd.DataFrame:
    """The stores of `regions` (None: every store), in the store file's order."""
    url = database_url()
    return _region_stores(url, revision(url), _regions(regions))


def staff_heatmap(chosen: Settings, regions: Iterable[str] | None = None, weekday: int | None = None) -> pd.DataFrame:
    """`planner.compare.staff_heatmap` for the stores of `regions`, one weekday or (None) the week's mean."""
    url = database_url()
    return _staff_heatmap(url, revision(url), chosen, _regions(regions), weekday)


# --- schedules -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleRun:
    """One run of the optimiser, as the pages show it: shifts and coverage of every store, one row of totals per
    store, and the optimiser's sentences as (store_id, sentence) pairs."""

    chosen: Settings
    store_ids: tuple[str, ...]
    shifts: pd.DataFrame
    coverage: pd.DataFrame
    summary: pd.DataFrame
    explanations: tuple[tuple[str, str], ...]


def run_schedule(
    chosen: Settings, store_ids: Iterable[str], progress: Callable[[int, int], None] | None = None
) -> ScheduleRun:
    """`planner.pipeline.schedule`, one store after another (no Dask cluster inside the app server)."""
    ids = tuple(store_ids)
    if not ids:
        raise PlannerError("choose at least one store to schedule")
    reports = pipeline.schedule(engine(database_url()), chosen, ids, parallel=False, progress=progress)
    return ScheduleRun(
        chosen=chosen,
        store_ids=ids,
        shifts=pd.concat([r.shifts for r in reports], ignore_index=True) if reports else
        pd.DataFrame(columns=SHIFT_COLUMNS),
        coverage=pd.concat([r.coverage for r in reports], ignore_index=True) if reports else
        pd.DataFrame(columns=COVERAGE_COLUMNS),
        summary=pd.DataFrame([r.totals for r in reports]),
        explanations=tuple((r.solution.instance.store_id, sentence) for r in reports for sentence in r.explanations),
    )


def schedule_settings(
    shift_lengths_hours: Iterable[int], breaks: bool, weekly_budget_staff_hours: float | None, hard_coverage: bool
) -> Settings:
    """The session's settings with the Schedule page's rules. Breaks off: no shift is long enough to need one; on:
    the session's threshold, or the default if the session had switched breaks off."""
    base = settings()
    lengths = tuple(sorted({int(length) for length in shift_lengths_hours}))
    if not lengths:
        raise PlannerError("choose at least one shift length")
    if breaks:
        threshold = base.shifts.break_for_shifts_over_hours
        if threshold >= NO_BREAK_HOURS:
            threshold = Settings().shifts.break_for_shifts_over_hours
    else:
        threshold = NO_BREAK_HOURS
    try:
        return base.with_shift_rules(shift_lengths_hours=lengths, break_for_shifts_over_hours=threshold,
                                     weekly_budget_staff_hours=weekly_budget_staff_hours, hard_coverage=hard_coverage)
    except ValueError as error:
        raise PlannerError(f"these shift rules cannot be used: {error}") from error


def breaks_on(chosen: Settings) -> bool:
    """Whether some allowed shift is long enough to get a break."""
    return chosen.shifts.break_for_shifts_over_hours < max(chosen.shifts.shift_lengths_hours)


def last_schedule() -> ScheduleRun | None:
    run = st.session_state.get(state.LAST_SCHEDULE)
    return run if isinstance(run, ScheduleRun) else None


def keep_schedule(run: ScheduleRun) -> None:
    st.session_state[state.LAST_SCHEDULE] = run


@contextmanager
def errors_shown() -> Iterator[None]:
    """Show the planner's own errors, a database that cannot be reached, and anything unexpected as a message instead
    of a traceback. Streamlit's own control flow (st.rerun, st.stop, st.switch_page) is not an Exception and passes."""
    try:
        yield
    except PlannerError as error:
        st.error(str(error))
    except exc.SQLAlchemyError as error:
        log.exception("database error")  # the full traceback goes to the server log, a sentence to the user
        st.error(f"The database ({database_label()}) could not be read: {getattr(error, 'orig', None) or error}")
    except Exception as error:  # noqa: BLE001 - the last line of defence: a sentence on the page, details in the log
        log.exception("unexpected error on a page")
        st.error(UNEXPECTED.format(kind=type(error).__name__))


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


@st.cache_data(show_spinner="Computing the recommended staff…")
def _recommendation(
    url: str, revision: int, chosen: Settings, store_ids: tuple[str, ...] | None, forced: tuple[str, ...]
) -> pd.DataFrame:
    stores = pipeline.select_stores(_stores(url, revision), store_ids)
    stores = pipeline.apply_forced_targets(stores, chosen, forced)
    return pipeline.recommend_from_frames(_observations(url, revision), stores, chosen)


@st.cache_data(show_spinner=False)
def _demand(url: str, revision: int, chosen: Settings) -> pd.DataFrame:
    return estimate_demand(_observations(url, revision), _stores(url, revision), chosen)


@st.cache_data(show_spinner="Finding where to count next…")
def _count_advice(url: str, revision: int, chosen: Settings, store_id: str) -> list[str]:
    return [a.sentence for a in next_counts(_demand(url, revision, chosen), _stores(url, revision), chosen, store_id)]


@st.cache_data(show_spinner=False)
def _store_kpis(url: str, revision: int, chosen: Settings, regions: tuple[str, ...] | None) -> pd.DataFrame:
    return compare.store_kpis(_recommendation(url, revision, chosen, None, ()), _region_stores(url, revision, regions),
                              _demand(url, revision, chosen))


@st.cache_data(show_spinner=False)
def _staff_heatmap(
    url: str, revision: int, chosen: Settings, regions: tuple[str, ...] | None, weekday: int | None
) -> pd.DataFrame:
    return compare.staff_heatmap(_recommendation(url, revision, chosen, None, ()),
                                 _region_stores(url, revision, regions), _demand(url, revision, chosen), weekday)


def _region_stores(url: str, revision: int, regions: tuple[str, ...] | None) -> pd.DataFrame:
    stores = _stores(url, revision)
    return stores if regions is None else stores[stores[S.region].isin(regions)]


def _regions(regions: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if regions is None else tuple(sorted(set(regions)))
