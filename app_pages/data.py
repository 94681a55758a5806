"""The pages' one door to the planner: cached wrappers around planner calls, keyed on the database URL.

The engine is a `cache_resource` per URL. Every loader is a `cache_data` keyed on the URL and the database's
revision (how many imports it has recorded), so an entry is never reused after anyone, this app or the CLI, has
imported into that database; an import through the app also clears the loaders at once. Planner calls are also
keyed on the frozen `Settings` they use (the session's, see `settings()`), the store ids and any forced targets, so
moving a control computes once and answers from the cache after that.

Every function that reads or writes store data takes the user's `Scope` (a page passes `state.current_scope()`) and
hands it to the planner, which filters and refuses by it; the scope is part of every cache key, so no entry made for
one user answers another.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st
from sqlalchemy import Engine, exc
from sqlalchemy.engine import make_url

from app_pages import state, tables
from planner import accounts, clock, coverage, import_change, intake, pipeline, settings_change, staleness, storage
from planner import replan_published, targets
from planner import saved_plans as saved_plans_module
from planner.access.actor import actor
from planner.access.scope import EVERYTHING, MANAGE_USERS, READ_AUDIT, OutsideScope, Scope
from planner.access.users import User
from planner.errors import PlannerError
from planner.io import templates
from planner.intake import CheckedFile
from planner.calendar import IsoWeek
from planner.plans import Plan, PlanRequest
from planner.plans.export import one_day
from planner.replan_moves import ChangeMoves, RequirementMoves
from planner.replan_published import ReplannedPublished
from planner.schemas import StoreSchema as S
from planner.settings import PROJECT_ROOT, Settings
from planner.settings_change import OutOfDatePlan, SavedSettings
from planner.shifts import COVERAGE_COLUMNS, SHIFT_COLUMNS, coverage_by_opening
from planner.stored_patience import stored_patience
from planner.storage import ImportSummary
from planner.storage import audit, users_store
from planner.storage.versioned import PUBLISHED
from planner.surfaces.work import checking_saved_plans, finding_replan_moves

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

log = logging.getLogger(__name__)


def settings(chain: Settings | None = None) -> Settings:
    """The settings in force for this session: as edited on the Settings page and not yet saved, else the chain's
    settings saved in the database (`chain` where the caller has them already), else the defaults."""
    chosen = st.session_state.get(state.SETTINGS)
    return chosen if isinstance(chosen, Settings) else chain or chain_settings()


def chain_settings_usable() -> tuple[Settings | None, str]:
    """(the chain's settings, "") or, where the saved ones cannot be used (a value outside today's range), (None,
    the sentence saying which and what to do): the Settings page, where they are put right, still opens."""
    try:
        return chain_settings(), ""
    except PlannerError as error:
        return None, str(error)


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


def save_chain_settings(chosen: Settings, scope: Scope, note: str = "") -> SavedSettings:
    """Make `chosen` the chain's settings, saved in the database as changed by the user (`OutsideScope` for a role
    that may not), and which saved plans the change put out of date (`planner.settings_change`, as `settings set`
    names them); the session then follows the chain's settings."""
    saved = settings_change.save_chain_settings(engine(database_url()), chosen, who(scope), note, scope)
    set_settings(None)
    return saved


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


def who(scope: Scope) -> str:
    """Who saves a change: the signed-in user (in single-user mode, the server's login name, as `app.py` sets it)."""
    return actor() if scope == EVERYTHING else scope.user


def revision(url: str) -> int:
    """Changes whenever an import changes the database: every such import records one upload."""
    return len(storage.load_uploads(engine(url)))


def stores(scope: Scope) -> pd.DataFrame:
    """The stores `scope` covers."""
    url = database_url()
    return _stores(url, revision(url), scope)


def cell_summary(scope: Scope) -> pd.DataFrame:
    url = database_url()
    return _cell_summary(url, revision(url), scope)


def store_coverage(scope: Scope) -> pd.DataFrame:
    url = database_url()
    return _store_coverage(url, revision(url), scope)


def check_files(files: list[tuple[str, bytes]], scope: Scope) -> list[CheckedFile]:
    """Check uploads against the stores in the database that `scope` covers (and any store file among them); a row
    of another store is an error. Large uploads are not cached: the cache would hold their rows in the server's
    memory after the tab is closed."""
    url = database_url()
    if sum(len(content) for _, content in files) > CHECK_CACHE_MAX_BYTES:
        with st.spinner("Checking files…"):
            return _uncached_check(url, revision(url), files, settings(), scope)
    return _check_files(url, revision(url), files, settings(), scope)


def import_files(files: list[tuple[str, bytes]], scope: Scope) -> tuple[list[ImportSummary], tuple[OutOfDatePlan, ...]]:
    """Validate and store all files in one transaction (all or nothing), then forget every cached load; then make and
    keep the patience estimates the new counts or stores call for (`planner.stored_patience`), so the pages read
    them. With the summaries, the saved plans the import put out of date (`planner.import_change`; none where the
    plans cannot be judged, as with saved settings that cannot be used: the Plans page says why)."""
    url = database_url()
    try:
        as_made = import_change.plans_as_made(engine(url), scope)
    except PlannerError:
        as_made = frozenset()
    try:
        summaries = intake.import_files(engine(url), files, settings().import_rules, scope)
    finally:
        clear_loaders()
    with st.spinner("Estimating patience from the new counts…"):
        pipeline.keep_patience_estimates(engine(url), settings())
    try:  # seconds: other stores' counts moving a plan's staff take a fit of the chain
        with st.spinner(checking_saved_plans(len(as_made))) if as_made else nullcontext():
            stale = import_change.put_out_of_date(engine(url), as_made, scope)
    except PlannerError:
        stale = ()
    return summaries, stale


def clear_loaders() -> None:
    for loader in (_stores, _observations, _patience, _resolved_targets, _cell_summary, _store_coverage,
                   _check_files, _recommendation, _demand, _compared):
        loader.clear()


def upload_limit_megabytes() -> int:
    """The largest file the Upload page takes, in MB: the import rules' `max_file_megabytes`, or the server's
    `server.maxUploadSize` if that is lower (`make run` sets it to the import rules' value)."""
    return min(settings().import_rules.max_file_megabytes, int(st.get_option("server.maxUploadSize")))


def template_csv() -> bytes:
    """An empty observation file: the header and one marked example row that validation rejects if it is left in."""
    return templates.observation_template_csv()


def store_template_csv() -> bytes:
    """An empty store file: the header and one marked example row that validation rejects if it is left in."""
    return templates.store_template_csv()


def employee_template_csv() -> bytes:
    return templates.employee_template_csv()


def absence_template_csv() -> bytes:
    return templates.absence_template_csv()


# --- recommendations -------------------------------------------------------------------------------------------------


def recommendation(
    chosen: Settings, scope: Scope, store_ids: Iterable[str] | None = None,
    what_if: Mapping[str, float | int] | None = None,
) -> pd.DataFrame:
    """`planner.pipeline.recommend` on the stored counts: staff per store x weekday x hour (every store in `scope`
    for None), with `what_if` target values for every store chosen."""
    url = database_url()
    ids = None if store_ids is None else tuple(store_ids)
    return _recommendation(url, revision(url), chosen, ids, tuple(sorted((what_if or {}).items())), scope)


def resolved_targets(scope: Scope) -> pd.DataFrame:
    """The targets the stores of `scope` plan with and where each comes from (`planner.targets.resolve_targets`)."""
    url = database_url()
    return _resolved_targets(url, revision(url), settings(), scope)


def store_targets(store_id: str, scope: Scope) -> dict[str, float | int]:
    """The service targets the store is planned with under the session's settings (its overrides, else its
    patience estimated from the counts where they tell, else the settings')."""
    url = database_url()
    # a store whose stored row cannot be planned is left out of the targets of every store: say why, by name
    pipeline.select_stores(_stores(url, revision(url), scope), [store_id], scope)
    return targets.targets_of(_resolved_targets(url, revision(url), settings(), scope), store_id)


def patience_note(store_id: str, scope: Scope) -> str:
    """Where the store's patience comes from, in words (`planner.surfaces.patience`; "setting" alone where the counts
    say nothing)."""
    url = database_url()
    resolved = _resolved_targets(url, revision(url), settings(), scope).set_index(S.store_id)
    return str(resolved.at[store_id, targets.PATIENCE_NOTE])


def what_if(store_id: str, values: Mapping[str, float | int], scope: Scope) -> dict[str, float | int]:
    """The what-if `values` that differ from the store's own targets (those equal to them change nothing)."""
    own = store_targets(store_id, scope)
    changed = {name: value for name, value in values.items() if value != own[name]}
    try:
        return targets.check_what_if(changed)
    except PlannerError as error:
        raise PlannerError(f"that what-if cannot be computed: {error}") from error


def store_recommendation(store_id: str, values: Mapping[str, float | int], scope: Scope) -> pd.DataFrame:
    """One store's recommendation with the what-if target `values` (those equal to the store's own change nothing)."""
    return recommendation(settings(), scope, [store_id], what_if(store_id, values, scope))


def count_advice(store_id: str, scope: Scope) -> list[str]:
    """Where to count next in the store: one sentence per 2-hour window, best first (`planner.staffing.advice`)."""
    url = database_url()
    return _count_advice(url, revision(url), settings(), store_id, scope)


def simulated_store(url: str, revision_: int, chosen: Settings, store_id: str, scope: Scope, **options):
    """`planner.pipeline.simulate_store` from the cached counts, patience estimates and pooled demand (the same the
    recommendation and the Compare page read): a simulation does not estimate the chain's demand again. The caller
    caches the result."""
    return pipeline.simulate_store_from_frames(*_chain(url, revision_), chosen, store_id, scope=scope,
                                               patience=_patience(url, revision_, chosen),
                                               demand=_demand(url, revision_, chosen, scope),
                                               calendar=_calendar(url, revision_), **options)


def simulated_plan(plan_id: int, scope: Scope,
                   progress: Callable[[int, int], None] | None = None) -> tuple[pd.DataFrame, float, float, float]:
    """Saved plan `plan_id` simulated on its dates against its own demand and targets
    (`planner.pipeline.simulate_saved_plan`) with the chain's saved simulation settings, as `simulate --plan ID`
    simulates it (the session's unsaved ones gave the page other figures than the command line's for the same plan):
    (the per-hour frame keyed as the plan's days, customers lost a week: mean, low, high). Kept (the last
    `PLAN_SIMULATIONS_KEPT`, `kept_plan_simulation`), not `st.cache_data`: its progress bar is drawn outside the
    function (see `simulation_view._simulated`)."""
    from planner.simulation.dated import dated_frame

    url, chosen = database_url(), chain_settings()
    key = (url, int(plan_id), chosen.simulation, scope)
    kept = _plan_simulations()
    if key not in kept:
        _, plan, result = pipeline.simulate_saved_plan(engine(url), chosen, int(plan_id), scope=scope,
                                                       progress=progress)
        return kept_as(kept, key, (dated_frame(result, plan.demand), *result.weekly_lost()), PLAN_SIMULATIONS_KEPT)
    return kept[key]


def kept_as(kept: dict, key, value, most: int):
    """`value` kept under `key` in `kept`, a store shared by every session (`st.cache_resource`), the oldest entries
    let go past `most`; `value` returned from the caller's hands: read back from the store, a value another session
    had just let go or cleared raised KeyError."""
    kept[key] = value
    for old in list(kept)[:max(0, len(kept) - most)]:  # oldest first
        kept.pop(old, None)  # another session may have let it go
    return value


def kept_plan_simulation(plan_id: int, scope: Scope) -> tuple[pd.DataFrame, float, float, float] | None:
    """`simulated_plan`'s result for `plan_id` if it is kept (simulated before, with the chain's simulation settings
    of today), else None: a saved plan never changes, so its simulation holds as long as those settings do, after
    it is published and in another session (a publish, or the page opened again, showed "Press Simulate")."""
    return _plan_simulations().get((database_url(), int(plan_id), chain_settings().simulation, scope))


@st.cache_resource(show_spinner=False)
def _plan_simulations() -> dict:
    """Plan simulations by (database, plan, simulation settings, scope), oldest first: one store for every session."""
    return {}


PLAN_SIMULATIONS_KEPT = 8


def store_kpis(chosen: Settings, scope: Scope, regions: Iterable[str] | None = None,
               weekday: int | None = None) -> pd.DataFrame:
    """`planner.compare.store_kpis` for the stores of `regions` (None: every store) that `scope` covers, per week
    (None) or per `weekday`."""
    url = database_url()
    return _compared(url, revision(url), chosen, _regions(regions), weekday, scope)[0]


def plan_review(scope: Scope) -> Review:
    """Forecast against actual (`planner.review.review_published`) over every plan published for the stores `scope`
    covers, per store and week, against the counts stored; recomputed after an import or when a plan is
    published."""
    from planner.review import PublishedOnce, judged_days, unplanned_days

    url = database_url()
    chosen = settings()
    listed = storage.list_plans(engine(url), scope=scope)
    live = set(zip(*(listed.loc[listed["status"] == PUBLISHED, c] for c in ("store_id", "iso_week")), strict=True))
    ever = listed[listed["published_at"].notna()]
    # the week's dates are each store's: a publication is dated on its clock
    zones = targets.resolve_time_zones(_stores(url, revision(url), scope), chosen)
    history = [PublishedOnce(int(p), str(s), str(w), pd.Timestamp(at).to_pydatetime(), zones.get(str(s)))
               for p, s, w, at in ever[["plan_id", "store_id", "iso_week", "published_at"]].itertuples(
                   index=False, name=None) if (s, w) in live]
    keys = tuple((once.plan_id, once.store_id, once.iso_week, tuple(sorted(dates)), None)
                 for once, dates in judged_days(history))
    keys += tuple((once.plan_id, once.store_id, once.iso_week, tuple(sorted(dates)), once.published_on)
                  for once, dates in unplanned_days(history))
    return _plan_review(url, revision(url), keys, chosen, scope)


def region_stores(scope: Scope, regions: Iterable[str] | None = None) -> pd.DataFrame:
    """The stores of `regions` (None: every store) that `scope` covers, in the store file's order."""
    url = database_url()
    return _region_stores(url, revision(url), _regions(regions), scope)


def plannable_stores(scope: Scope) -> tuple[pd.DataFrame, dict[str, str]]:
    """(the stores `scope` covers that can be planned; store_id -> why each other one cannot be): those every
    store's targets, recommendations and plans hold, and those they leave out (`planner.targets.unusable_stores`)."""
    return compared_stores(scope)


def compared_stores(scope: Scope, regions: Iterable[str] | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """(the stores of `regions` that `scope` covers and that can be planned; store_id -> why each other one cannot
    be): `planner.pipeline.compared_stores`."""
    url = database_url()
    return pipeline.compared_stores(_stores(url, revision(url), scope), _regions(regions), scope)


def staff_heatmap(chosen: Settings, scope: Scope, regions: Iterable[str] | None = None,
                  weekday: int | None = None) -> pd.DataFrame:
    """`planner.compare.staff_heatmap` for the stores of `regions` that `scope` covers, one weekday or (None) the
    week's mean."""
    url = database_url()
    return _compared(url, revision(url), chosen, _regions(regions), weekday, scope)[1]


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
    coverage_by_opening: pd.DataFrame
    """`coverage` keyed as the stores open (`planner.shifts.coverage_by_opening`: "00:00+1" under the evening it
    closes), as coverage.csv and the uncovered hours say it."""
    summary: pd.DataFrame
    explanations: tuple[tuple[str, str], ...]
    without_schedule: tuple[str, ...] = ()
    scope: Scope = EVERYTHING
    """Whose run it is: a session whose scope changed (another user signed in) does not see it."""
    made_from: storage.DataRevision = storage.DataRevision(0, 0, 0, 0)
    """The database's revision when the run was made (its counts, store file and chain settings)."""
    made_with: Settings = Settings()
    """The settings in force for the session when the run was made (before the page's shift rules)."""

    def status_text(self, store_id: str) -> str:
        return str(self.summary.set_index("store_id").at[store_id, "status_text"])

    def sentences(self, store_id: str) -> list[str]:
        return [sentence for store, sentence in self.explanations if store == store_id]


def run_schedule(
    chosen: Settings, store_ids: Iterable[str], scope: Scope, progress: Callable[[int, int], None] | None = None
) -> ScheduleRun:
    """`planner.pipeline.schedule` of stores in `scope`, one store after another (no Dask cluster inside the app
    server)."""
    ids = tuple(store_ids)
    if not ids:
        raise PlannerError("choose at least one store to schedule")
    made_from, made_with = storage.revision(engine(database_url())), settings()
    reports = pipeline.schedule(engine(database_url()), chosen, ids, parallel=False, progress=progress, scope=scope)
    return ScheduleRun(
        scope=scope,
        made_from=made_from,
        made_with=made_with,
        chosen=chosen,
        store_ids=ids,
        shifts=pd.concat([r.shifts for r in reports], ignore_index=True) if reports else
        pd.DataFrame(columns=SHIFT_COLUMNS),
        coverage=pd.concat([r.coverage for r in reports], ignore_index=True) if reports else
        pd.DataFrame(columns=COVERAGE_COLUMNS),
        coverage_by_opening=pd.concat([coverage_by_opening(r) for r in reports], ignore_index=True) if reports else
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


def last_schedule(scope: Scope) -> ScheduleRun | None:
    """The session's last schedule, if it was made under `scope`."""
    run = st.session_state.get(state.LAST_SCHEDULE)
    return run if isinstance(run, ScheduleRun) and run.scope == scope else None


def schedule_changes(run: ScheduleRun) -> list[str]:
    """What changed since `run` was made, in words (`planner.staleness.changed_since`): [] when it is current."""
    now = storage.revision(engine(database_url()))
    return staleness.changed_since(run.made_from, now, run.made_with, settings())


def saved_plans(store_ids: Iterable[str], scope: Scope) -> pd.DataFrame:
    """Saved plans of `store_ids` (those `scope` covers), newest first, each with what changed since it was made
    ("" if nothing) against the chain's saved settings (`planner.saved_plans.plans_with_status`), as `plans list`
    judges them: not against this session's unsaved ones, which made a plan made with them read "as made" here and
    "the chain's settings changed" there. Every store's plans in one call, as `plans list` checks them: one call per
    store fitted the chain once per store where other stores' counts had changed, not once for all."""
    store_ids = list(store_ids)
    if not store_ids:
        return pd.DataFrame()
    return saved_plans_module.plans_with_status(engine(database_url()), chain_settings(), scope=scope,
                                                store_ids=store_ids)  # newest first, as `storage.list_plans` reads


def plan_store(plan_id: int, scope: Scope) -> str | None:
    """The store of plan `plan_id` (its listing row alone), or None where there is no such plan or `scope` does not
    cover its store."""
    found = storage.list_plans(engine(database_url()), scope=scope, plan_id=plan_id)["store_id"]
    return None if found.empty else str(found.iloc[0])


def saved_plan_count(store_ids: Iterable[str], scope: Scope) -> int:
    """How many plans of `store_ids` (those `scope` covers) are saved: read from their rows alone, in a moment, so
    the page can say how many it checks before `saved_plans` checks them."""
    store_ids = list(store_ids)
    return len(storage.list_plans(engine(database_url()), scope=scope, store_ids=store_ids)) if store_ids else 0


def unsaved_simulation_changes() -> str:
    """What this session's unsaved simulation settings change of the chain's saved ones ("Simulated weeks 200 ->
    60"), "" when they are the chain's: a saved plan is simulated with the chain's (`simulated_plan`)."""
    chain = chain_settings()
    return storage.changes_between(chain, replace(chain, simulation=settings(chain).simulation))


def unsaved_plan_changes() -> str:
    """What this session's unsaved settings change of the chain's saved ones as far as a plan is made with them
    ("Target wait (seconds) 60 -> 20"), "" when there are none: the Plans page says that it plans with the chain's
    all the same (`make_plans`, `replan`)."""
    return saved_plans_module.unsaved_changes(chain_settings(), settings())


def make_plans(store_ids: Iterable[str], iso_week: str, scope: Scope, *, publish: bool,
               progress: Callable[[int, int], None] | None = None
               ) -> tuple[list[storage.StoredPlan], dict[str, str]]:
    """Make the plan for `store_ids` and `iso_week` at the chain's saved settings with the stored calendar and save
    it (one plan per store) as made by the user: as drafts, or published (`OutsideScope` for a role that may not
    publish). Not at this session's unsaved settings, as `plan` makes it: such a plan was saved, and published, at
    settings the chain never chose. The stores picked that cannot be planned (published: nor those with no counts
    yet, nor those whose plan has no shift) are left out, and come back with why
    (`planner.saved_plans.make_and_save_picked`)."""
    try:
        request = PlanRequest(weeks=(iso_week,), store_ids=tuple(store_ids), settings=chain_settings())
    except ValueError as error:
        raise PlannerError(str(error)) from error
    return saved_plans_module.make_and_save_picked(engine(database_url()), request, who(scope), publish=publish,
                                                   progress=progress, scope=scope)


@dataclass(frozen=True)
class ShortPlan:
    """A plan just saved whose schedule leaves staff-hours of its requirement uncovered (`short_plans`)."""

    plan_id: int
    store_id: str
    iso_week: str
    uncovered_staff_hours: float
    status_text: str
    """its schedule's status in full ("short of the requirement because of the store's maximum staff")"""


def short_plans(made: Iterable[storage.StoredPlan]) -> list[ShortPlan]:
    """The plans of `made` (one store and week each) whose schedule leaves hours uncovered, read from the schedule
    row of each document as saved: said when they are published, not left to the list."""
    short = []
    for stored in made:
        rows = json.loads(stored.document).get("frames", {}).get("schedules") or [{}]
        uncovered = rows[0].get("uncovered_staff_hours")
        if isinstance(uncovered, (int, float)) and uncovered > 0:
            short.append(ShortPlan(stored.plan_id, stored.store_id, stored.iso_week, float(uncovered),
                                   str(rows[0].get("status_text") or "")))
    return short


def same_drafts(made: Iterable[storage.StoredPlan], scope: Scope) -> dict[int, int]:
    """Each of the drafts `made` -> an earlier draft of its store and week it is a copy of
    (`planner.saved_plans.same_drafts`)."""
    return saved_plans_module.same_drafts(engine(database_url()), made, scope)


def stores_planned(store_ids: Iterable[str], iso_week: str, scope: Scope, *, publish: bool) -> tuple[str, ...]:
    """The stores `make_plans` plans of `store_ids` for `iso_week` (and `publish`es): those picked less the ones it
    leaves out (`planner.saved_plans.stores_planned`), at the chain's saved settings as it plans them."""
    try:
        request = PlanRequest(weeks=(iso_week,), store_ids=tuple(store_ids), settings=chain_settings())
    except ValueError as error:
        raise PlannerError(str(error)) from error
    return saved_plans_module.stores_planned(engine(database_url()), request, scope, publish=publish)[0]


def publish_saved_plan(plan_id: int, scope: Scope, *, anyway: bool = False) -> storage.StoredPlan:
    """Publish saved plan `plan_id` as the user: the plan published before for its store and week is kept as
    superseded (`OutsideScope` for a role that may not publish). A draft out of date against the chain's saved
    settings, as the list judges it, only when `anyway` (`saved_plans.OutOfDatePlan`), as `plans publish` refuses it
    without --publish-anyway."""
    (published,) = saved_plans_module.publish_plans(engine(database_url()), [plan_id], who(scope), scope,
                                                    anyway=anyway, chain=chain_settings())
    return published


def replan(plan_id: int, scope: Scope, progress: Callable[[int, int], None] | None = None) -> storage.StoredPlan:
    """Plan `plan_id`'s store and week again from today's inputs at the chain's saved settings, as `make_plans`
    plans: a new draft."""
    return saved_plans_module.replan(engine(database_url()), plan_id, chain_settings(), who(scope),
                                     progress=progress, scope=scope)


def replan_out_of_date_published(listed: pd.DataFrame, scope: Scope,
                                 progress: Callable[[int, int], None] | None = None) -> ReplannedPublished:
    """Make each out-of-date published plan of `listed` (`saved_plans`) again at the chain's saved settings, each a
    new draft, as `replan` makes one (`planner.replan_published`, as `plans replan --out-of-date`)."""
    return replan_published.replan_out_of_date_published(engine(database_url()), listed, chain_settings(), who(scope),
                                                         progress=progress, scope=scope)


def published_plan(store_id: str, iso_week: str, scope: Scope) -> storage.StoredPlan | None:
    """The plan published now for `store_id` and `iso_week` (None if none): the one a draft of that store and week
    replaces when published, as `plans publish` finds it to say which plan it kept as superseded."""
    return storage.published_plan(engine(database_url()), store_id, iso_week, scope)


@dataclass(frozen=True)
class PublishedDay:
    """A day of this week's plan published for a store: which plan, the week, the date, and its coverage of the
    day's opening (`planner.shifts.COVERAGE_COLUMNS`, as a schedule's)."""

    plan_id: int
    iso_week: str
    day: date
    coverage: pd.DataFrame


def published_day(store_id: str, weekday: int, scope: Scope) -> PublishedDay | None:
    """The plan published for `store_id`'s week of today, on its `weekday` (0 = Monday): the scheduled staff My store
    draws where no schedule was made in the session; None where no plan of the week is published."""
    week = IsoWeek.of(clock.today())
    stored = published_plan(store_id, str(week), scope)
    if stored is None:
        return None
    day = week.dates()[weekday]
    _, covered = one_day(plan_document(stored.plan_id, scope), store_id, day)
    return PublishedDay(stored.plan_id, str(week), day, covered)


def published_weeks_ahead(store_id: str, scope: Scope) -> tuple[tuple[str, int], ...]:
    """The weeks after today's with a plan of `store_id` published, soonest first, each with that plan's id: where
    My store finds none for this week, the ones it names instead."""
    this_week = str(IsoWeek.of(clock.today()))
    listed = storage.list_plans(engine(database_url()), store_id=store_id, scope=scope)
    ahead = listed[(listed["status"] == PUBLISHED) & (listed["iso_week"] > this_week)].sort_values("iso_week")
    return tuple((str(week), int(plan_id)) for week, plan_id in zip(ahead["iso_week"], ahead["plan_id"], strict=True))


def plan_document(plan_id: int, scope: Scope) -> Plan:
    """Saved plan `plan_id`'s document as a `Plan` (a saved document never changes: cached by its id and scope)."""
    return _plan_document(database_url(), int(plan_id), scope)


def staff_moves(plan_id: int, scope: Scope, out_of_date: str) -> str:
    """The hours other stores' counts move saved plan `plan_id`'s staff in, in words ("Mon 14 Dec 10:00-11:00 -1; Sat
    19 Dec 18:00-20:00 +1": `planner.saved_plans.plan_staff_moves`); cached, as every loader is, on the database's revision
    (new counts move other hours), and on the plan and its status (`out_of_date`), which says what a list made with
    today's counts found."""
    url = database_url()
    return _staff_moves(url, revision(url), int(plan_id), scope, out_of_date)


@st.cache_data(show_spinner="Finding the hours that moved…", max_entries=32)
def _staff_moves(url: str, revision_: int, plan_id: int, scope: Scope, out_of_date: str) -> str:
    return saved_plans_module.plan_staff_moves(engine(url), plan_id, scope)


def replan_moves(out_of_date: Mapping[int, str], scope: Scope) -> dict[int, RequirementMoves]:
    """What re-planning each saved plan of `out_of_date` (plan_id -> its status) at the chain's saved settings would
    change in its requirement (`planner.saved_plans.saved_replan_moves`): one fit of the chain for the plans a
    Settings page's save put out of date, kept for every session by the database's revision and the chain's settings,
    so the Plans page opened after it reads them; a plan whose store cannot be planned now is left out."""
    url, chain = database_url(), chain_settings()
    kept = _replan_moves()

    def key(plan_id: int) -> tuple:
        return url, revision(url), int(plan_id), out_of_date[plan_id], chain, scope

    found = {plan_id: kept.get(key(plan_id)) for plan_id in out_of_date if key(plan_id) in kept}
    missing = {plan_id: changed for plan_id, changed in out_of_date.items() if plan_id not in found}
    if missing:
        with st.spinner(finding_replan_moves(len(missing))):
            fresh = saved_plans_module.saved_replan_moves(engine(url), missing, chain, scope)
        found |= {plan_id: kept_as(kept, key(plan_id), fresh.get(plan_id), REPLAN_MOVES_KEPT) for plan_id in missing}
    return {plan_id: moves for plan_id, moves in found.items() if moves is not None}


REPLAN_MOVES_KEPT = 64


def settings_change_moves(saved: SavedSettings, scope: Scope) -> dict[int, ChangeMoves]:
    """What the Settings page's save `saved` moves in each saved plan it put out of date, apart from what moved
    before it (`planner.saved_plans.saved_change_moves`); what re-planning each changes is kept as `replan_moves`
    keeps it, so the Plans page opened after the save reads it. A plan whose store cannot be planned now is left
    out."""
    out_of_date = {plan.plan_id: plan.out_of_date for plan in saved.out_of_date}
    if not out_of_date or saved.before is None or saved.after is None:
        return {}
    url = database_url()
    with st.spinner(finding_replan_moves(len(out_of_date))):
        found = saved_plans_module.saved_change_moves(engine(url), out_of_date, saved.before, saved.after, scope)
    chain = chain_settings()
    if chain == saved.after:  # as `replan_moves` keys them, unless another save came between
        kept, now = _replan_moves(), revision(url)
        for plan_id, moves in found.items():
            kept_as(kept, (url, now, int(plan_id), out_of_date[plan_id], chain, scope), moves.replan,
                    REPLAN_MOVES_KEPT)
    return found


@st.cache_resource(show_spinner=False)
def _replan_moves() -> dict:
    """What re-planning a plan would change, by (database, revision, plan, status, chain settings, scope)."""
    return {}


def keep_schedule(run: ScheduleRun) -> None:
    st.session_state[state.LAST_SCHEDULE] = run


@contextmanager
def errors_shown() -> Iterator[None]:
    """Show the planner's own errors, a database that cannot be reached, and anything unexpected as a message instead
    of a traceback. Streamlit's own control flow (st.rerun, st.stop, st.switch_page) is not an Exception and passes."""
    try:
        yield
    except (PlannerError, OutsideScope, clock.BadToday) as error:  # may quote a store id, a file name or a typed value
        st.error(tables.as_text(error))
    except exc.SQLAlchemyError as error:
        # the driver's message, passwords masked, goes to the server log; the user gets a sentence, never that text
        log.error("database error: %s", storage.mask_secrets(str(error), database_url()))
        st.error(DATABASE_FAILED.format(database=database_label(), kind=type(error).__name__))
    except Exception as error:  # noqa: BLE001 - the last line of defence: a sentence on the page, details in the log
        log.exception("unexpected error on a page")
        st.error(UNEXPECTED.format(kind=type(error).__name__))


# --- users and the audit trail (never cached: an admin's change shows at once, and the trail is read rarely) ------


def audit_trail(store_id: str | None, since: date | None, until: date | None,
                kinds: list[str] | None = None) -> pd.DataFrame:
    """The audit trail newest first (`planner.storage.audit.TRAIL_COLUMNS`), of `kinds` (all when None), for planners
    and admins."""
    state.current_scope().require(READ_AUDIT)
    return audit.audit_trail(engine(database_url()), store_id, since, until, kinds)


def audit_kinds(store_id: str | None, since: date | None, until: date | None) -> dict[str, int]:
    """How many entries of each kind the audit trail holds for that store and those dates, for planners and admins."""
    state.current_scope().require(READ_AUDIT)
    return audit.kinds_recorded(engine(database_url()), store_id, since, until)


def users() -> list[User]:
    state.current_scope().require(MANAGE_USERS)
    return users_store.list_users(engine(database_url()))


def add_user(user: User) -> User:
    return accounts.add_user(engine(database_url()), state.current_scope(), user)


def set_role(name: str, role: str, stores: frozenset[str], regions: frozenset[str]) -> User:
    return accounts.set_role(engine(database_url()), state.current_scope(), name, role, stores, regions)


def switch_user(name: str, disabled: bool) -> User:
    return accounts.disable_user(engine(database_url()), state.current_scope(), name, disabled)


def set_password(name: str, password: str) -> User:
    from app_pages.signin import rules

    return accounts.set_password(engine(database_url()), state.current_scope(), name, password, rules())


# --- cached calls (all arguments are part of the key) --------------------------------------------------------------


@st.cache_data(show_spinner=False)
def _chain_settings(url: str, settings_revision: int) -> Settings:
    return storage.chain_settings_of(engine(url))


@st.cache_data(show_spinner=False)
def _settings_history(url: str, settings_revision: int) -> pd.DataFrame:
    return storage.settings_history(engine(url))


@st.cache_data(show_spinner=False)
def _stores(url: str, revision: int, scope: Scope) -> pd.DataFrame:
    return storage.load_stores(engine(url), scope)


@st.cache_data(show_spinner="Reading observations…")
def _observations(url: str, revision: int, scope: Scope) -> pd.DataFrame:
    return storage.load_observations(engine(url), scope=scope)


def _chain(url: str, revision: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every store's counts, every store): only for the pooled demand model, whose results the pipeline cuts to
    the user's scope (`planner.pipeline`)."""
    return _observations(url, revision, EVERYTHING), _stores(url, revision, EVERYTHING)


@st.cache_data(show_spinner=False)
def _calendar(url: str, revision: int) -> pd.DataFrame | None:
    """The store calendar the counts are read under (`planner.pipeline.counted_calendar`: every store's, as the
    pooled model's counts are)."""
    return pipeline.counted_calendar(engine(url))


@st.cache_data(show_spinner="Opening the plan…", max_entries=32)
def _plan_document(url: str, plan_id: int, scope: Scope) -> Plan:
    return Plan.from_json(storage.load_plan(engine(url), plan_id, scope).document)


@st.cache_data(show_spinner="Estimating patience from the counts…")
def _patience(url: str, revision: int, chosen: Settings) -> dict:
    """Every store's patience estimate (pooled by format, as the demand model pools), kept in the database per
    format (`planner.stored_patience`): made again only where a format's counts, stores or the settings changed."""
    return stored_patience(engine(url), *_chain(url, revision), chosen, calendar=_calendar(url, revision))


@st.cache_data(show_spinner=False)
def _resolved_targets(url: str, revision: int, chosen: Settings, scope: Scope) -> pd.DataFrame:
    """The targets of the stores `scope` covers; only the covered stores' rows come back."""
    return pipeline.targets_from_frames(*_chain(url, revision), chosen, scope=scope,
                                        patience=_patience(url, revision, chosen))


@st.cache_data(show_spinner="Holding the published plans against the counts…")
def _plan_review(url: str, revision: int, published: tuple[tuple[int, str, str, tuple, date | None], ...],
                 chosen: Settings, scope: Scope) -> Review:
    """`published`: (plan id, store, week, the dates it judges, None) per plan (`planner.review.judged_days`), and
    (plan id, store, week, the dates before it, the date it was published) per week's first plan published after
    some of its days began (`planner.review.unplanned_days`)."""
    from planner.review import Judging, review_published

    plans = {plan_id: _plan_document(url, plan_id, scope) for plan_id in dict.fromkeys(p[0] for p in published)}
    return review_published([Judging(plans[plan_id], store_id, week, plan_id, frozenset(dates), published_on)
                             for plan_id, store_id, week, dates, published_on in published],
                            _observations(url, revision, scope), chosen)


@st.cache_data(show_spinner=False)
def _cell_summary(url: str, revision: int, scope: Scope) -> pd.DataFrame:
    return coverage.cell_summary(_observations(url, revision, scope), _stores(url, revision, scope))


@st.cache_data(show_spinner=False)
def _store_coverage(url: str, revision: int, scope: Scope) -> pd.DataFrame:
    return coverage.store_coverage_of_days(storage.load_counted_days(engine(url), scope), _stores(url, revision, scope))


@st.cache_data(show_spinner="Checking files…", max_entries=CHECK_CACHE_ENTRIES)
def _check_files(url: str, revision: int, files: list[tuple[str, bytes]], settings: Settings,
                 scope: Scope) -> list[CheckedFile]:
    return _uncached_check(url, revision, files, settings, scope)


def _uncached_check(url: str, revision: int, files: list[tuple[str, bytes]], settings: Settings,
                    scope: Scope) -> list[CheckedFile]:
    return intake.check_files(files, _stores(url, revision, scope), settings.import_rules,
                              _cell_summary(url, revision, scope), scope=scope,
                              known_employee_ids=storage.load_employees(engine(url), scope=scope)["employee_id"],
                              taken_employee_ids=storage.load_taken_employee_ids(engine(url), scope),
                              known_calendar=intake.calendar_that_matters(engine(url), scope),
                              counts_calendar=storage.load_calendar(engine(url), scope=scope),
                              counted_days=storage.load_counted_days(engine(url), scope))


@st.cache_data(show_spinner="Computing the recommended staff…")
def _recommendation(
    url: str, revision: int, chosen: Settings, store_ids: tuple[str, ...] | None,
    what_if: tuple[tuple[str, float | int], ...], scope: Scope,
) -> pd.DataFrame:
    observations, stores = _chain(url, revision)
    return pipeline.recommend_from_frames(observations, stores, chosen, what_if=dict(what_if), store_ids=store_ids,
                                          scope=scope, patience=_patience(url, revision, chosen),
                                          calendar=_calendar(url, revision))


@st.cache_data(show_spinner=False)
def _demand(url: str, revision: int, chosen: Settings, scope: Scope) -> pd.DataFrame:
    return pipeline.demand_from_frames(*_chain(url, revision), chosen, scope=scope,
                                       patience=_patience(url, revision, chosen), calendar=_calendar(url, revision))


@st.cache_data(show_spinner="Finding where to count next…")
def _count_advice(url: str, revision: int, chosen: Settings, store_id: str, scope: Scope) -> list[str]:
    return [a.sentence for a in pipeline.count_advice_from_frames(*_chain(url, revision), chosen, store_id,
                                                                   scope=scope,
                                                                   patience=_patience(url, revision, chosen),
                                                                   calendar=_calendar(url, revision))]


@st.cache_data(show_spinner=False)
def _compared(url: str, revision: int, chosen: Settings, regions: tuple[str, ...] | None, weekday: int | None,
              scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pipeline.compare_stores(_recommendation(url, revision, chosen, None, (), scope),
                                   _stores(url, revision, scope), _demand(url, revision, chosen, scope), regions,
                                   weekday, scope)


def _region_stores(url: str, revision: int, regions: tuple[str, ...] | None, scope: Scope) -> pd.DataFrame:
    stores = _stores(url, revision, scope)
    return stores if regions is None else stores[stores[S.region].isin(regions)]


def _regions(regions: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if regions is None else tuple(sorted(set(regions)))
