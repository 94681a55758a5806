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
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st
from sqlalchemy import Engine, exc
from sqlalchemy.engine import make_url

from app_pages import state
from planner import compare, coverage, intake, pipeline, staleness, storage, targets
from planner import saved_plans as saved_plans_module
from planner.errors import PlannerError
from planner.io import templates
from planner.intake import CheckedFile
from planner.plans import PlanRequest
from planner.schemas import StoreSchema as S
from planner.settings import PROJECT_ROOT, Settings
from planner.shifts import COVERAGE_COLUMNS, SHIFT_COLUMNS
from planner.staffing.advice import next_counts
from planner.storage import ImportSummary
from planner.storage.plans import PUBLISHED

if TYPE_CHECKING:
    from planner.review import Review

CHECK_CACHE_ENTRIES = 8
"""Upload checks kept per server: each holds the checked rows of its files."""
CHECK_CACHE_MAX_BYTES = 32 * 1024 * 1024
"""Uploads larger than this together are checked without caching (a cache entry holds their rows in memory)."""
NO_BREAK_HOURS = 24.0
"""A break threshold no shift reaches: how "no breaks" is said to the optimiser (as the CLI's --no-breaks does)."""
UNEXPECTED = (
    "Something went wrong on this page ({kind}). Nothing was changed; the details are in the server log. "
    "Try again, or reload the page."
)
DATABASE_FAILED = (
    "The database ({database}) could not be used just now ({kind}). Nothing was changed; the details are in the "
    "server log. Try again, or ask whoever runs the planner to check the database."
)

LOCAL_USER = "local user"
"""Who saves a change while the app has no sign-in."""

log = logging.getLogger(__name__)


def settings() -> Settings:
    """The settings in force for this session: as edited on the Settings page and not yet saved, else the chain's
    settings saved in the database, else the defaults."""
    chosen = st.session_state.get(state.SETTINGS)
    return chosen if isinstance(chosen, Settings) else chain_settings()


def set_settings(chosen: Settings | None) -> None:
    """Make `chosen` the session's settings (None: back to the chain's settings)."""
    if chosen is None:
        st.session_state.pop(state.SETTINGS, None)
    else:
        st.session_state[state.SETTINGS] = chosen


def chain_settings() -> Settings:
    """The chain's settings saved in the database (the latest change), else the defaults."""
    url = database_url()
    return _chain_settings(url, storage.revision(engine(url)).settings)


def save_chain_settings(chosen: Settings, note: str = "") -> None:
    """Make `chosen` the chain's settings, saved in the database as changed by `LOCAL_USER`; the session then
    follows the chain's settings."""
    storage.save_settings(engine(database_url()), chosen, LOCAL_USER, note)
    set_settings(None)


def settings_history() -> pd.DataFrame:
    """Every change of the chain's settings, newest first (`planner.storage.settings_history`)."""
    url = database_url()
    return _settings_history(url, storage.revision(engine(url)).settings)


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
    return storage.safe_url(url)


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
    """Check uploads against the stores in the database (and any store file among them). Large uploads are not
    cached: the cache would hold their rows in the server's memory after the tab is closed."""
    url = database_url()
    if sum(len(content) for _, content in files) > CHECK_CACHE_MAX_BYTES:
        with st.spinner("Checking files…"):
            return _uncached_check(url, revision(url), files, settings())
    return _check_files(url, revision(url), files, settings())


def import_files(files: list[tuple[str, bytes]]) -> list[ImportSummary]:
    """Validate and store all files in one transaction (all or nothing), then forget every cached load."""
    try:
        return intake.import_files(engine(database_url()), files, settings().import_rules)
    finally:
        clear_loaders()


def clear_loaders() -> None:
    for loader in (_stores, _observations, _resolved_targets, _cell_summary, _store_coverage, _check_files,
                   _recommendation, _demand, _store_kpis, _staff_heatmap):
        loader.clear()


def template_csv() -> bytes:
    """An empty observation file: the header and one marked example row that validation rejects if it is left in."""
    return templates.observation_template_csv()


def store_template_csv() -> bytes:
    """An empty store file: the header and one marked example row that validation rejects if it is left in."""
    return templates.store_template_csv()


# --- recommendations -------------------------------------------------------------------------------------------------


def recommendation(
    chosen: Settings, store_ids: Iterable[str] | None = None, what_if: Mapping[str, float | int] | None = None
) -> pd.DataFrame:
    """`planner.pipeline.recommend` on the stored counts: staff per store x weekday x hour (all stores for None),
    with `what_if` target values for every store chosen."""
    url = database_url()
    ids = None if store_ids is None else tuple(store_ids)
    return _recommendation(url, revision(url), chosen, ids, tuple(sorted((what_if or {}).items())))


def store_targets(store_id: str) -> dict[str, float | int]:
    """The service targets the store is planned with under the session's settings (its overrides, else its
    patience estimated from the counts where they tell, else the settings')."""
    url = database_url()
    return targets.targets_of(_resolved_targets(url, revision(url), settings()), store_id)


def patience_note(store_id: str) -> str:
    """Where the store's patience comes from, in words ("estimated from counts: 4.2 min (3.1-5.6)", "setting")."""
    url = database_url()
    resolved = _resolved_targets(url, revision(url), settings()).set_index(S.store_id)
    return str(resolved.at[store_id, targets.PATIENCE_NOTE])


def what_if(store_id: str, values: Mapping[str, float | int]) -> dict[str, float | int]:
    """The what-if `values` that differ from the store's own targets (those equal to them change nothing)."""
    own = store_targets(store_id)
    changed = {name: value for name, value in values.items() if value != own[name]}
    try:
        return targets.check_what_if(changed)
    except PlannerError as error:
        raise PlannerError(f"that what-if cannot be computed: {error}") from error


def store_recommendation(store_id: str, values: Mapping[str, float | int]) -> pd.DataFrame:
    """One store's recommendation with the what-if target `values` (those equal to the store's own change nothing)."""
    return recommendation(settings(), [store_id], what_if(store_id, values))


def count_advice(store_id: str) -> list[str]:
    """Where to count next in the store: one sentence per 2-hour window, best first (`planner.staffing.advice`)."""
    url = database_url()
    return _count_advice(url, revision(url), settings(), store_id)


def store_kpis(chosen: Settings, regions: Iterable[str] | None = None) -> pd.DataFrame:
    """`planner.compare.store_kpis` for the stores of `regions` (None: every store)."""
    url = database_url()
    return _store_kpis(url, revision(url), chosen, _regions(regions))


def plan_review() -> Review:
    """Forecast against actual (`planner.review.review_published`) over every plan published, per store and week,
    against the counts stored; recomputed after an import or when a plan is published."""
    url = database_url()
    listed = storage.list_plans(engine(url))
    published = listed[listed["status"] == PUBLISHED]
    keys = tuple((int(p), str(s), str(w)) for p, s, w in published[["plan_id", "store_id", "iso_week"]].itertuples(
        index=False, name=None))
    return _plan_review(url, revision(url), keys, settings())


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
    store (with its status in words), the optimiser's sentences as (store_id, sentence) pairs, and the stores that
    got no schedule (infeasible, timed out, nothing to schedule): for those, only their statement is shown."""

    chosen: Settings
    store_ids: tuple[str, ...]
    shifts: pd.DataFrame
    coverage: pd.DataFrame
    summary: pd.DataFrame
    explanations: tuple[tuple[str, str], ...]
    without_schedule: tuple[str, ...] = ()
    made_from: storage.DataRevision = storage.DataRevision(0, 0, 0, 0)
    """The database's revision when the run was made (its counts, store file and chain settings)."""
    made_with: Settings = Settings()
    """The settings in force for the session when the run was made (before the page's shift rules)."""

    def status_text(self, store_id: str) -> str:
        return str(self.summary.set_index("store_id").at[store_id, "status_text"])

    def sentences(self, store_id: str) -> list[str]:
        return [sentence for store, sentence in self.explanations if store == store_id]


def run_schedule(
    chosen: Settings, store_ids: Iterable[str], progress: Callable[[int, int], None] | None = None
) -> ScheduleRun:
    """`planner.pipeline.schedule`, one store after another (no Dask cluster inside the app server)."""
    ids = tuple(store_ids)
    if not ids:
        raise PlannerError("choose at least one store to schedule")
    made_from, made_with = storage.revision(engine(database_url())), settings()
    reports = pipeline.schedule(engine(database_url()), chosen, ids, parallel=False, progress=progress)
    return ScheduleRun(
        made_from=made_from,
        made_with=made_with,
        chosen=chosen,
        store_ids=ids,
        shifts=pd.concat([r.shifts for r in reports], ignore_index=True) if reports else
        pd.DataFrame(columns=SHIFT_COLUMNS),
        coverage=pd.concat([r.coverage for r in reports], ignore_index=True) if reports else
        pd.DataFrame(columns=COVERAGE_COLUMNS),
        summary=pd.DataFrame([r.totals for r in reports]),
        explanations=tuple((r.solution.instance.store_id, sentence) for r in reports for sentence in r.explanations),
        without_schedule=tuple(r.solution.instance.store_id for r in reports if not r.has_schedule),
    )


def schedule_settings(
    shift_lengths_hours: Iterable[int], breaks: bool, weekly_budget_staff_hours: float | None, hard_coverage: bool,
    min_staff_cover: bool,
) -> Settings:
    """The session's settings with the Schedule page's rules. Breaks off: no shift is long enough to need one; on:
    the session's threshold, or the default if the session had switched breaks off. `min_staff_cover`: staff open
    hours without a recommendation at min_staff."""
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
                                     weekly_budget_staff_hours=weekly_budget_staff_hours, hard_coverage=hard_coverage,
                                     min_staff_cover=min_staff_cover)
    except ValueError as error:
        raise PlannerError(f"these shift rules cannot be used: {error}") from error


def breaks_on(chosen: Settings) -> bool:
    """Whether some allowed shift is long enough to get a break."""
    return chosen.shifts.break_for_shifts_over_hours < max(chosen.shifts.shift_lengths_hours)


def last_schedule() -> ScheduleRun | None:
    run = st.session_state.get(state.LAST_SCHEDULE)
    return run if isinstance(run, ScheduleRun) else None


def schedule_changes(run: ScheduleRun) -> list[str]:
    """What changed since `run` was made, in words (`planner.staleness.changed_since`): [] when it is current."""
    now = storage.revision(engine(database_url()))
    return staleness.changed_since(run.made_from, now, run.made_with, settings())


def saved_plans(store_ids: Iterable[str]) -> pd.DataFrame:
    """Saved plans of `store_ids`, newest first, each with what changed since it was made ("" if nothing) against
    the settings in force (`planner.saved_plans.plans_with_status`)."""
    url = database_url()
    frames = [saved_plans_module.plans_with_status(engine(url), settings(), store_id) for store_id in store_ids]
    return pd.concat(frames, ignore_index=True).sort_values("plan_id", ascending=False) if frames else pd.DataFrame()


def publish_plan(store_ids: Iterable[str], iso_week: str,
                 progress: Callable[[int, int], None] | None = None) -> list[storage.StoredPlan]:
    """Make the plan for `store_ids` and `iso_week` at the settings in force with the stored calendar, save it and
    publish it as made by `LOCAL_USER`."""
    try:
        request = PlanRequest(weeks=(iso_week,), store_ids=tuple(store_ids), settings=settings())
    except ValueError as error:
        raise PlannerError(str(error)) from error
    return saved_plans_module.make_and_publish(engine(database_url()), request, LOCAL_USER, progress=progress)


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
        # the driver's message, passwords masked, goes to the server log; the user gets a sentence, never that text
        log.error("database error: %s", storage.mask_secrets(str(error), database_url()))
        st.error(DATABASE_FAILED.format(database=database_label(), kind=type(error).__name__))
    except Exception as error:  # noqa: BLE001 - the last line of defence: a sentence on the page, details in the log
        log.exception("unexpected error on a page")
        st.error(UNEXPECTED.format(kind=type(error).__name__))


# --- cached calls (all arguments are part of the key) --------------------------------------------------------------


@st.cache_data(show_spinner=False)
def _chain_settings(url: str, settings_revision: int) -> Settings:
    return storage.chain_settings_of(engine(url))


@st.cache_data(show_spinner=False)
def _settings_history(url: str, settings_revision: int) -> pd.DataFrame:
    return storage.settings_history(engine(url))


@st.cache_data(show_spinner=False)
def _stores(url: str, revision: int) -> pd.DataFrame:
    return storage.load_stores(engine(url))


@st.cache_data(show_spinner="Reading observations…")
def _observations(url: str, revision: int) -> pd.DataFrame:
    return storage.load_observations(engine(url))


@st.cache_data(show_spinner="Estimating patience from the counts…")
def _resolved_targets(url: str, revision: int, chosen: Settings) -> pd.DataFrame:
    return pipeline.targets_from_frames(_observations(url, revision), _stores(url, revision), chosen)


@st.cache_data(show_spinner="Holding the published plans against the counts…")
def _plan_review(url: str, revision: int, published: tuple[tuple[int, str, str], ...], chosen: Settings) -> Review:
    from planner.plans import Plan
    from planner.review import review_published

    plans = {plan_id: Plan.from_json(storage.load_plan(engine(url), plan_id).document)
             for plan_id in dict.fromkeys(plan_id for plan_id, _, _ in published)}
    return review_published([(plans[plan_id], store_id, week) for plan_id, store_id, week in published],
                            _observations(url, revision), chosen)


@st.cache_data(show_spinner=False)
def _cell_summary(url: str, revision: int) -> pd.DataFrame:
    return coverage.cell_summary(_observations(url, revision), _stores(url, revision))


@st.cache_data(show_spinner=False)
def _store_coverage(url: str, revision: int) -> pd.DataFrame:
    return coverage.store_coverage_of_days(storage.load_counted_days(engine(url)), _stores(url, revision))


@st.cache_data(show_spinner="Checking files…", max_entries=CHECK_CACHE_ENTRIES)
def _check_files(url: str, revision: int, files: list[tuple[str, bytes]], settings: Settings) -> list[CheckedFile]:
    return _uncached_check(url, revision, files, settings)


def _uncached_check(url: str, revision: int, files: list[tuple[str, bytes]], settings: Settings) -> list[CheckedFile]:
    return intake.check_files(files, _stores(url, revision), settings.import_rules, _cell_summary(url, revision))


@st.cache_data(show_spinner="Computing the recommended staff…")
def _recommendation(
    url: str, revision: int, chosen: Settings, store_ids: tuple[str, ...] | None,
    what_if: tuple[tuple[str, float | int], ...],
) -> pd.DataFrame:
    stores = _stores(url, revision)  # all of them: a sparsely counted store borrows its profile from the chain
    chosen_ids = pipeline.select_stores(stores, store_ids)[S.store_id].tolist()
    return pipeline.recommend_from_frames(_observations(url, revision), stores, chosen, what_if=dict(what_if),
                                          store_ids=chosen_ids)


@st.cache_data(show_spinner=False)
def _demand(url: str, revision: int, chosen: Settings) -> pd.DataFrame:
    return pipeline.demand_from_frames(_observations(url, revision), _stores(url, revision), chosen)


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
