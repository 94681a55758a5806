"""A user's scope, enforced below the UI: storage, pipeline and command line, called as a store manager of one store
and as a regional lead, on the bundled settings.

The truth checked against: the sample's store file (which store is in which region) and, for the numbers, the same
call without a scope, cut by hand to the stores in scope. "Leaks nothing" means: no other store's id or name appears
in any frame, plan document, sentence, file or error message.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from planner import cli, intake, pipeline, storage
from planner.access.scope import EVERYTHING, OutsideScope, Scope
from planner.storage.audit import audit_trail
from planner.calendar import IsoWeek
from planner.cli_flags import EXIT_INPUT, EXIT_OK
from planner.errors import InputRejected, PlannerError, UnknownRecord
from planner.plans import PlanRequest
from planner.saved_plans import make_and_save, save_made_plan, stored_calendar
from planner.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE_STORES = pd.read_csv(DATA / "stores.csv", dtype=str)
MANAGER = Scope(user="mia", role="store_manager", stores=frozenset({"S01"}))
LEAD = Scope(user="lee", role="regional_lead", regions=frozenset({"West"}))
WEST = sorted(SAMPLE_STORES.loc[SAMPLE_STORES["region"] == "West", "store_id"])
WEEK = "2026-W38"  # the sample's counts start on 2026-09-07, in this week


def others_of(*own: str) -> list[str]:
    """Every id and name of the sample's stores other than `own`: none of them may appear in what the user sees."""
    rows = SAMPLE_STORES[~SAMPLE_STORES["store_id"].isin(own)]
    return [*rows["store_id"], *rows["name"]]


def leaked(text: str | bytes, *own: str) -> list[str]:
    """The other stores' ids and names found in `text`."""
    text = text if isinstance(text, str) else text.decode("utf-8", errors="replace")
    return [word for word in others_of(*own) if word in text]


@pytest.fixture
def settings(sample_url) -> Settings:
    """Settings on a fresh copy of the sample database (conftest's `engine` connects to it)."""
    return Settings(database_url=sample_url)


# --- storage --------------------------------------------------------------------------------------------------------


def test_storage_reads_only_the_stores_in_scope(engine):
    assert storage.load_stores(engine, MANAGER)["store_id"].tolist() == ["S01"]
    assert storage.load_stores(engine, LEAD)["store_id"].tolist() == WEST
    assert storage.load_stores(engine)["store_id"].tolist() == SAMPLE_STORES["store_id"].tolist()
    counts = pd.read_csv(DATA / "observations.csv")
    assert len(storage.load_observations(engine, scope=MANAGER)) == (counts["store_id"] == "S01").sum()
    assert set(storage.load_observations(engine, scope=LEAD)["store_id"]) == set(counts["store_id"]) & set(WEST)
    assert storage.load_observations(engine, ["S02"], MANAGER).empty  # asked for by id, still outside
    assert set(storage.load_counted_days(engine, MANAGER)["store_id"]) == {"S01"}
    nobody = Scope(user="new", role="store_manager")
    assert storage.load_stores(engine, nobody).empty and storage.load_observations(engine, scope=nobody).empty


def test_scoped_reads_and_refused_writes_on_sqlite_and_postgresql(any_database_url):
    assert cli.main(["--database-url", any_database_url, "load-sample"]) == EXIT_OK
    engine = storage.connect(Settings(database_url=any_database_url))
    try:
        assert storage.load_stores(engine, LEAD)["store_id"].tolist() == WEST
        assert set(storage.load_observations(engine, scope=MANAGER)["store_id"]) == {"S01"}
        counted = set(pd.read_csv(DATA / "observations.csv", usecols=["store_id"])["store_id"])
        assert set(storage.load_counted_days(engine, LEAD)["store_id"]) == counted & set(WEST)
        assert storage.load_calendar(engine, scope=MANAGER).empty and storage.list_plans(engine, scope=LEAD).empty
        with pytest.raises(OutsideScope, match="S02"):
            storage.save(engine, observation_frames=[(storage.load_observations(engine, ["S02"]), "s02.csv",
                                                      "0" * 64)], scope=LEAD)
    finally:
        engine.dispose()


def test_a_managers_upload_with_another_stores_rows_is_rejected_whole_naming_the_rows(engine):
    counts = pd.read_csv(DATA / "observations.csv", dtype=str)
    mixed = pd.concat([counts[counts["store_id"] == "S01"].head(3), counts[counts["store_id"] == "S02"].head(4)])
    before = storage.count_rows(engine)
    with pytest.raises(InputRejected) as rejected:
        intake.import_files(engine, [("mixed.csv", mixed.to_csv(index=False).encode())], Settings().import_rules,
                            MANAGER)
    errors = rejected.value.errors_only()
    assert [(p.row, p.value) for p in errors] == [(row, "S02") for row in range(5, 9)]  # header = row 1
    assert all("not one of your stores" in p.message and p.column == "store_id" for p in errors)
    assert not leaked(" ".join(map(str, errors)), "S01", "S02")
    assert storage.count_rows(engine) == before  # nothing of it, not even S01's rows


def test_a_managers_own_store_typed_in_another_case_is_named_not_called_another_stores(engine):
    """A manager of S01 whose file wrote 's01' on a row was told "store 's01' is not one of your stores ... remove the
    other stores' rows": the fix had them delete a row of their own store. The README's rule for a scope of some
    stores (a slip of case or width is named, a near id is not: it may be another store's) holds for uploads too."""
    counts = pd.read_csv(DATA / "observations.csv", dtype=str)
    own = counts[counts["store_id"] == "S01"].head(3).copy()
    own.iloc[1, own.columns.get_loc("store_id")] = "s01"  # row 3 of the file (header = row 1)
    own.iloc[2, own.columns.get_loc("store_id")] = "S1"  # a near id, not a slip of case: no store is named
    with pytest.raises(InputRejected) as rejected:
        intake.import_files(engine, [("slip.csv", own.to_csv(index=False).encode())], Settings().import_rules,
                            MANAGER)
    errors = {p.row: p for p in rejected.value.errors_only()}
    assert sorted(errors) == [3, 4]
    assert "did you mean 'S01'?" in errors[3].message and "'S01'" in errors[3].fix
    assert "remove the other stores' rows" not in errors[3].fix
    assert "did you mean" not in errors[4].message and "remove the other stores' rows" in errors[4].fix
    assert not leaked(" ".join(map(str, errors.values())), "S01")


def test_storage_refuses_a_write_outside_the_scope_even_when_the_check_is_skipped(engine):
    counts = storage.load_observations(engine, ["S02"])
    with pytest.raises(OutsideScope, match="S02") as refused:
        storage.save(engine, observation_frames=[(counts, "s02.csv", "0" * 64)], scope=MANAGER)
    assert not leaked(str(refused.value), "S01", "S02")
    # a lead cannot take a store into the region by rewriting its region in a store file
    moved = storage.load_stores(engine, EVERYTHING).query("store_id == 'S02'").assign(region="West")
    with pytest.raises(OutsideScope, match="S02"):
        storage.save(engine, moved, ("stores.csv", "1" * 64), scope=LEAD)
    assert storage.load_stores(engine).set_index("store_id").at["S02", "region"] == "North"


def test_plans_calendar_and_settings_refuse_writes_outside_the_scope_or_role(engine, settings):
    request = PlanRequest(weeks=(WEEK,), store_ids=("S01", "S02"), settings=settings)
    plan = pipeline.make_plan(engine, request)
    with pytest.raises(OutsideScope, match="S02"):
        save_made_plan(engine, plan, "mia", MANAGER)
    own = save_made_plan(engine, plan.for_store_week("S01", WEEK), "mia", MANAGER)
    with pytest.raises(OutsideScope, match="may not publish"):
        storage.publish_plan(engine, own[0], "mia", MANAGER)
    with pytest.raises(OutsideScope, match="may not publish"):
        make_and_save(engine, PlanRequest(weeks=(WEEK,), store_ids=("S01",), settings=settings), "mia",
                      publish=True, scope=MANAGER)
    with pytest.raises(OutsideScope, match="may not edit settings"):
        storage.save_settings(engine, settings, "mia", scope=MANAGER)
    day = pd.DataFrame({"store_id": ["S02"], "date": [pd.Timestamp("2026-12-24")], "closed": [True], "opens": [None],
                        "closes": [None], "demand_factor": [None], "note": [None]})
    with pytest.raises(OutsideScope, match="S02"):
        storage.save_calendar(engine, day, "calendar.csv", "2" * 64, MANAGER)
    with pytest.raises(OutsideScope, match="chain-wide"):
        storage.save_calendar(engine, day.assign(store_id="*"), "calendar.csv", "2" * 64, LEAD)
    storage.save_calendar(engine, day, "calendar.csv", "2" * 64)  # a planner's, for every store
    assert stored_calendar(engine, MANAGER) is None and len(stored_calendar(engine)) == 1
    every = save_made_plan(engine, plan, "planner")
    assert set(storage.list_plans(engine, scope=MANAGER)["store_id"]) == {"S01"}
    others = [i for i, row in zip(every, plan.index_rows(), strict=True) if row["store_id"] == "S02"]
    with pytest.raises(UnknownRecord) as refused:
        storage.load_plan(engine, others[0], MANAGER)
    assert not leaked(str(refused.value), "S01")
    with pytest.raises(UnknownRecord) as missing:  # a plan of another store reads as one that does not exist
        storage.load_plan(engine, max(every) + 1, MANAGER)
    assert str(refused.value).replace(str(others[0]), "N") == str(missing.value).replace(str(max(every) + 1), "N")


def test_a_saved_roster_of_another_store_reads_as_one_that_does_not_exist(engine):
    """As a plan does (the test above): saved plans and rosters share the one scoped look-up by id."""
    theirs = storage.save_roster(engine, "S02", WEEK, "{}", "planner")
    with pytest.raises(UnknownRecord) as refused:
        storage.load_roster(engine, theirs, MANAGER)
    with pytest.raises(UnknownRecord) as missing:
        storage.load_roster(engine, theirs + 1, MANAGER)
    assert str(missing.value) == (f"there is no saved roster {theirs + 1} of your stores: `rosters list` shows the "
                                  "saved rosters")
    assert str(refused.value).replace(str(theirs), "N") == str(missing.value).replace(str(theirs + 1), "N")
    assert storage.load_roster(engine, theirs).store_id == "S02"  # the chain's scope reads it


# --- pipeline -------------------------------------------------------------------------------------------------------


def test_a_managers_recommendation_is_the_chains_cut_to_the_store_and_names_no_other(engine, settings):
    mine = pipeline.recommend(engine, settings, scope=MANAGER)
    chain = pipeline.recommend(engine, settings)
    assert set(mine["store_id"]) == {"S01"}
    expected = chain[chain["store_id"] == "S01"].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine.reset_index(drop=True), expected)  # other stores' counts still shape it
    assert not leaked(mine.to_csv(), "S01")
    # a store whose hours borrow their shape from its format's other store counts it, never names it: S07 with
    # one day of its counts kept
    observations, stores = pipeline._chain_inputs(engine)
    first_day = observations.loc[observations["store_id"] == "S07", "date"].min()
    sparse = observations[(observations["store_id"] != "S07") | (observations["date"] == first_day)]
    borrower = pipeline.recommend_from_frames(sparse, stores, settings, scope=Scope(
        user="sam", role="store_manager", stores=frozenset({"S07"})))
    assert borrower["explanation"].str.contains("1 other electronics store").any()
    assert not leaked(borrower.to_csv(), "S07")
    with pytest.raises(PlannerError) as unknown:
        pipeline.recommend(engine, settings, ["S02"], scope=MANAGER)
    assert str(unknown.value) == "unknown store id: S02 (your stores: S01)"
    with pytest.raises(PlannerError) as missing:  # the same words for a store that exists nowhere
        pipeline.recommend(engine, settings, ["S99"], scope=MANAGER)
    assert str(missing.value) == "unknown store id: S99 (your stores: S01)"


def test_a_regional_lead_sees_exactly_the_regions_stores(engine, settings):
    assert sorted(set(pipeline.recommend(engine, settings, scope=LEAD)["store_id"])) == WEST
    observations, stores = pipeline._chain_inputs(engine)
    recommendation = pipeline.recommend_from_frames(observations, stores, settings, scope=LEAD)
    demand = pipeline.demand_from_frames(observations, stores, settings, scope=LEAD)
    kpis, grid = pipeline.compare_stores(recommendation, stores, demand, scope=LEAD)
    assert sorted(kpis["store_id"]) == WEST and sorted(set(grid["store_id"])) == WEST
    with pytest.raises(OutsideScope, match="may not compare"):
        pipeline.compare_stores(recommendation, stores, demand, scope=MANAGER)


@pytest.fixture
def before_the_week(monkeypatch):
    """Today as a day before `WEEK`, whose counts the sample holds: a plan is published before its week (one of a
    week that is over is refused), and reviewed against the counts that come after."""
    monkeypatch.setenv("PLANNER_TODAY", str(IsoWeek.parse(WEEK).monday - dt.timedelta(days=3)))


def test_a_managers_plan_schedule_advice_review_and_simulation_name_no_other_store(engine, settings,
                                                                                  before_the_week):
    plan = pipeline.make_plan(engine, PlanRequest(weeks=(WEEK,), settings=settings), scope=MANAGER)
    assert plan.store_ids == ("S01",)
    assert not leaked(plan.to_json(), "S01")
    reports = pipeline.schedule(engine, settings, scope=MANAGER)
    assert [r.solution.instance.store_id for r in reports] == ["S01"]
    advice = pipeline.count_advice(engine, settings, "S01", 3, MANAGER)
    assert advice and not leaked(" ".join(a.sentence for a in advice), "S01")
    with pytest.raises(PlannerError, match="your stores: S01"):
        pipeline.count_advice(engine, settings, "S07", 3, MANAGER)
    make_and_save(engine, PlanRequest(weeks=(WEEK,), store_ids=("S01",), settings=settings), "planner", publish=True)
    stored, review = pipeline.review_published_plan(engine, settings, "S01", WEEK, MANAGER)
    assert set(review.hours["store_id"]) == {"S01"}
    with pytest.raises(OutsideScope):
        pipeline.review_published_plan(engine, settings, "S02", WEEK, MANAGER)
    with pytest.raises(PlannerError, match="your stores: S01"):
        pipeline.simulate_store(engine, settings, "S02", scope=MANAGER, replications=2)


# --- command line ---------------------------------------------------------------------------------------------------


def run_as(scope: Scope, argv: list[str], monkeypatch, capsys) -> tuple[int, str]:
    """`python -m planner ARGV` with `scope` on `args.scope`, as the global `--as NAME` sets it: (exit code, what it
    printed on stdout and stderr)."""
    real = cli._parser

    def parser():
        built = real()
        parse = built.parse_args

        def parse_args(args=None, namespace=None):
            parsed = parse(args, namespace)
            parsed.scope = scope
            return parsed

        built.parse_args = parse_args
        return built

    monkeypatch.setattr(cli, "_parser", parser)
    if hasattr(cli, "scope_of_args"):  # where `--as NAME` resolves a user's scope, it resolves to this one
        monkeypatch.setattr(cli, "scope_of_args", lambda args, settings: scope)
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_every_command_run_by_a_manager_names_no_other_store(settings, tmp_path, monkeypatch, capsys,
                                                            before_the_week):
    url = ["--database-url", settings.database_url]
    assert cli.main([*url, "plan", "--week", WEEK, "--store", "S01", "--store", "S02", "--publish", "--by",
                     "planner"]) == EXIT_OK  # a planner's
    capsys.readouterr()
    plans = storage.list_plans(storage.connect(settings))
    own_plan = int(plans.loc[plans["store_id"] == "S01", "plan_id"].iloc[0])
    other_plan = int(plans.loc[plans["store_id"] == "S02", "plan_id"].iloc[0])
    counts = pd.read_csv(DATA / "observations.csv", dtype=str)
    mixed = tmp_path / "mixed.csv"
    pd.concat([counts[counts["store_id"] == "S01"].head(2), counts[counts["store_id"] == "S07"].head(2)]).to_csv(
        mixed, index=False)
    runs = {  # argv -> the exit code expected
        ("stores",): EXIT_OK,
        ("recommend",): EXIT_OK,
        ("recommend", "--store", "S02"): EXIT_INPUT,  # as review says it (it was 2 here, 1 there)
        ("export-observations", "--out", str(tmp_path / "out.csv")): EXIT_OK,
        ("export-observations", "--store", "S07", "--out", str(tmp_path / "other.csv")): EXIT_INPUT,
        ("next-counts", "--store", "S01"): EXIT_OK,
        ("schedule", "--store", "S01", "--serial", "--out-dir", str(tmp_path / "shifts")): EXIT_OK,
        ("plan", "--week", WEEK, "--out-dir", str(tmp_path / "plan")): EXIT_OK,
        ("plan", "--week", WEEK, "--publish"): EXIT_INPUT,
        ("plans", "list"): EXIT_OK,
        ("plans", "show", str(own_plan)): EXIT_OK,
        ("plans", "show", str(other_plan)): EXIT_INPUT,
        ("plans", "show", "99999"): EXIT_INPUT,  # as another store's plan: no one learns which ids exist
        ("users", "list"): EXIT_INPUT,  # names, e-mails and every user's stores are the administration's
        ("review", "--store", "S01", "--week", WEEK): EXIT_OK,
        ("review", "--store", "S02", "--week", WEEK): EXIT_INPUT,
        ("validate", str(mixed)): EXIT_INPUT,
        ("import", str(mixed)): EXIT_INPUT,
        ("load-sample",): EXIT_INPUT,
    }
    asked = {"S02", "S07"}  # ids the manager typed or uploaded: naming them back is no leak
    for argv, expected in runs.items():
        code, printed = run_as(MANAGER, [*url, *argv], monkeypatch, capsys)
        assert code == expected, (argv, printed)
        assert not leaked(printed, "S01", *asked), (argv, printed)
    files = [path for path in tmp_path.rglob("*") if path.is_file() and path.suffix in (".csv", ".json")
             and path != mixed]
    assert len(files) >= 6
    for path in files:
        assert not leaked(path.read_bytes(), "S01"), path
    exported = pd.read_csv(tmp_path / "out.csv")
    assert set(exported["store_id"]) == {"S01"} and len(exported) == (counts["store_id"] == "S01").sum()
    code, printed = run_as(MANAGER, [*url, "import", str(mixed)], monkeypatch, capsys)
    assert "mixed.csv: store_id: store 'S07' is not one of your stores: 2 rows, 4-5." in printed


def test_a_regional_lead_on_the_command_line_lists_exactly_the_regions_stores(settings, monkeypatch, capsys):
    code, printed = run_as(LEAD, ["--database-url", settings.database_url, "stores"], monkeypatch, capsys)
    assert code == EXIT_OK
    listed = [line.split()[0] for line in printed.splitlines()[1:] if line.strip()]
    assert listed == WEST


# --- pages ----------------------------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "app_pages").glob("*.py")
               if 'if __name__ == "__main__"' in path.read_text(encoding="utf-8"))
TIMEOUT_SECONDS = 90


def app_as(scope: Scope, settings: Settings, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from app_pages import state
    from planner.settings import DATABASE_URL_ENV

    monkeypatch.setenv(DATABASE_URL_ENV, settings.database_url)
    try:  # where a sign-in gate sets the session's scope on every run, it signs this one in
        from app_pages import signin

        monkeypatch.setattr(signin, "session_scope", lambda *args: scope)
    except ImportError:
        pass
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.SCOPE_KEY] = scope
    return at.run()


def page_as(scope: Scope, settings: Settings, monkeypatch, page: str):
    """One page's file run alone with `scope` in the session (as if the router had offered it)."""
    from streamlit.testing.v1 import AppTest

    from app_pages import state
    from planner.settings import DATABASE_URL_ENV

    monkeypatch.setenv(DATABASE_URL_ENV, settings.database_url)
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT_SECONDS)
    at.session_state[state.SCOPE_KEY] = scope
    return at.run()


def rendered(at, downloads: list) -> bytes:
    """Everything the run sent to the browser: every element (text, tables as Arrow, charts' JSON, widget options,
    labels) and every download's content."""
    parts = [node.proto.SerializeToString() for node in at._tree if getattr(node, "proto", None) is not None]
    for store in downloads:
        parts += [_readable(file.content) for file in list(store._files_by_id.values())]
    # a chart's numbers travel as base64 arrays ("bdata"), whose letters can spell an id by chance: they hold no text
    return re.sub(rb'"bdata":"[^"]*"', b'"bdata":""', b"\n".join(parts))


def _readable(content: bytes) -> bytes:
    """A download as its text: a workbook (a zip) by its members' contents, since its compressed bytes can spell a
    store id by chance (the roster's workbook did, now and then: 'S04')."""
    if not content.startswith(b"PK"):
        return content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return b"\n".join(archive.read(name) for name in archive.namelist())


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shown_to_a_manager_names_no_other_store(roster_db_url, page, downloads, monkeypatch):
    from app_pages import state

    # the roster tests' copy of the sample: the Roster page rosters the manager's week as it opens, and on the
    # sample's own budget (8 units) that was 6 s of the test; which stores a page names does not hang on it
    settings = Settings(database_url=roster_db_url)

    try:
        at = app_as(MANAGER, settings, monkeypatch).switch_page(page).run()
    except ValueError:  # the router offers a manager no such page: its file, run alone, still shows no other store
        at = page_as(MANAGER, settings, monkeypatch, page)
    if page.endswith("schedule.py"):
        at.button(key=state.SCHEDULE_RUN).click().run()
        assert at.dataframe, "the schedule was made and shown"
    if page.endswith("plans.py"):
        assert at.button(key=state.PLANS_MAKE_PUBLISH).disabled  # a manager may plan, not publish
    assert not at.exception
    shown = rendered(at, downloads)
    assert b"S01" in shown or page.endswith(("upload.py", "compare.py", "settings.py", "admin.py"))
    assert not leaked(shown, "S01")
    titles = [title.value for title in at.title]
    if page.endswith("compare.py") and "Compare stores" in titles:  # where the page is offered at all
        assert not at.dataframe and "regional leads" in at.info[0].value
    if page.endswith("settings.py") and "Settings" in titles:
        assert not at.slider and "Only planners" in at.info[0].value


def test_a_regional_lead_compares_exactly_the_regions_stores(settings, downloads, monkeypatch):
    at = app_as(LEAD, settings, monkeypatch).switch_page("app_pages/compare.py").run()
    assert not at.exception and not at.error
    # the Store column holds each store's id and name ("S05 Cologne ..."), as the heatmaps label a row
    assert sorted(str(store).split(" ", 1)[0] for store in at.dataframe[0].value["Store"]) == WEST
    assert list(at.dataframe[1].value["Region"]) == ["West"]  # an "all regions" row repeated it, as if the chain's
    assert not leaked(rendered(at, downloads), *WEST)


def test_a_managers_upload_with_another_stores_rows_is_refused_on_the_page(settings, monkeypatch, downloads):
    from app_pages import state

    counts = pd.read_csv(DATA / "observations.csv", dtype=str)
    mixed = pd.concat([counts[counts["store_id"] == "S01"].head(2), counts[counts["store_id"] == "S02"].head(3)])
    at = app_as(MANAGER, settings, monkeypatch).switch_page("app_pages/upload.py").run()
    at.file_uploader(key=state.UPLOADED_FILES).set_value(("mixed.csv", mixed.to_csv(index=False).encode(),
                                                         "text/csv")).run()
    assert not at.exception
    problems = at.dataframe[0].value
    assert problems.loc[0, "row"] == "4-6" and "not one of your stores" in problems.loc[0, "message"]
    assert at.button(key=state.IMPORT_BUTTON).disabled
    assert not leaked(rendered(at, downloads), "S01", "S02")


def test_a_session_scope_that_is_not_a_scope_covers_no_store(monkeypatch):
    import streamlit as st

    from app_pages import state

    monkeypatch.setattr(st, "session_state", {})
    assert state.current_scope() == EVERYTHING  # nobody signed in: one person on their own machine
    st.session_state[state.SCOPE_KEY] = "admin"  # a bare name is no scope
    assert state.current_scope().stores_in_scope([("S01", "North")]) == []
    st.session_state[state.SCOPE_KEY] = MANAGER
    assert state.current_scope() is MANAGER


def test_a_manager_reads_and_writes_only_their_own_stores_people(engine):
    """The sample's people (loaded with the sample by `engine`'s database): a manager of S01 reads S01's people and
    their absences only; an absence for another store's person is an unknown person to them (the file is rejected
    naming its row, not the person's store), and storage refuses people of another store even unchecked."""
    people = storage.load_employees(engine, scope=MANAGER)
    assert len(people) and (people["store_id"] == "S01").all()
    assert set(storage.load_employees(engine)["store_id"]) > {"S01"}
    assert set(storage.load_absences(engine, scope=MANAGER)["employee_id"]) <= set(people["employee_id"])
    assert not storage.load_absences(engine).empty  # the sample's absences are of other stores' people
    before = storage.count_rows(engine)
    absence = "employee_id,first_day,last_day,reason\nS02-E01,2026-12-14,2026-12-14,sick\n"
    with pytest.raises(InputRejected) as rejected:
        intake.import_files(engine, [("absence.csv", absence.encode())], Settings().import_rules, MANAGER)
    (problem,) = rejected.value.errors_only()
    assert (problem.row, problem.column) == (2, "employee_id") and not leaked(str(problem), "S01", "S02")
    others = storage.load_employees(engine, ["S02"]).head(2)
    with pytest.raises(OutsideScope, match="S02"):
        storage.save_people(engine, (others, "people.csv", "0" * 64), [], MANAGER)
    frame = pd.DataFrame({"employee_id": ["S02-E01"], "first_day": [pd.Timestamp("2026-12-14")],
                          "last_day": [pd.Timestamp("2026-12-14")], "reason": ["sick"]})
    with pytest.raises(OutsideScope, match="S02"):
        storage.save_people(engine, None, [(frame, "absence.csv", "1" * 64)], MANAGER)
    assert storage.count_rows(engine) == before


def test_a_manager_cannot_move_another_stores_person_into_their_own_store(engine):
    """An employee file of S01's manager naming S02's person with home store S01 was stored as "1 replaced": the
    person left S02 (a keyholder gone from its roster). Refused whole, naming the id but not its store: by the check,
    at the row, and by the storage if a write gets that far."""
    carl = storage.load_employees(engine, ["S02"]).iloc[0]
    people = f"employee_id,name,store_id,contract_hours_min,contract_hours_max\nS01-NEW,Nia,S01,10,20\n" \
             f"{carl['employee_id']},Taken,S01,10,20\n"
    before = storage.load_employees(engine)
    with pytest.raises(InputRejected) as rejected:
        intake.import_files(engine, [("people.csv", people.encode())], Settings().import_rules, MANAGER)
    (problem,) = rejected.value.errors_only()
    assert (problem.row, problem.column, problem.value) == (3, "employee_id", carl["employee_id"])
    moved = storage.load_employees(engine, ["S02"]).head(1).assign(store_id="S01")
    with pytest.raises(OutsideScope) as refused:
        storage.save_people(engine, (moved, "people.csv", "0" * 64), [], MANAGER)
    for said in (str(problem), str(refused.value)):  # the id as the manager wrote it, and no other store's
        assert carl["employee_id"] in said and not leaked(said.replace(carl["employee_id"], ""), "S01")
    pd.testing.assert_frame_equal(storage.load_employees(engine), before)  # nobody moved, nobody added
    intake.import_files(engine, [("people.csv", people.encode().replace(carl["employee_id"].encode(), b"S01-N2"))],
                        Settings().import_rules, MANAGER)  # ids of their own: taken
    assert {"S01-NEW", "S01-N2"} <= set(storage.load_employees(engine, ["S01"])["employee_id"])


@pytest.mark.parametrize("name, content, column, says", [
    # "store '*' is not one of your stores" before: the row is the chain's, not another store's
    ("calendar.csv", "store_id,date,closed,hours,demand_factor,note\n*,2026-12-25,yes,,,Christmas\n", "store_id",
     "a row for every store ('*' or blank) is the chain's, which only a planner may import"),
    # "'S02' names a store that is not in the store file" before, of a store the chain has
    ("people.csv", "employee_id,name,store_id,also_stores,contract_hours_min,contract_hours_max\n"
                   "S01-NEW,Nia,S01,S02,10,20\n", "also_stores", "'S02' is not one of your stores"),
])
def test_a_managers_row_naming_the_chain_or_another_store_says_which(engine, name, content, column, says):
    checked = intake.check_files([(name, content.encode())], storage.load_stores(engine, MANAGER),
                                 Settings().import_rules, scope=MANAGER)
    (problem,) = [p for c in checked for p in c.problems if p.severity == "error"]
    assert (problem.row, problem.column) == (2, column) and says in problem.message, problem
    assert "not in the store file" not in problem.message and not leaked(str(problem), "S01", "S02")


def test_the_publish_hint_names_the_command_that_publishes_the_saved_draft_not_one_that_makes_another():
    """After a draft was saved, the hint said "`... --publish` makes and publishes one", which made and published a
    second plan and left the draft behind. Given the commands that publish the drafts, it names those (and for a role
    that may not publish, asks a planner to run them); without them, it says that `--publish` makes a new one."""
    from planner.access.scope import PLANNER, STORE_MANAGER, Scope, publish_hint

    planner, manager = Scope("pat", PLANNER), Scope("sam", STORE_MANAGER, stores=frozenset({"S01"}))
    making = "planner plan --week 2026-W50 --store S01"
    assert publish_hint(planner, making, drafted=True, publishing=["planner plans publish 7"]) == \
        "`planner plans publish 7` publishes it"
    assert publish_hint(planner, making, drafted=True, publishing=["p 7", "p 8"]) == "`p 7` and `p 8` publish them"
    assert publish_hint(manager, making, drafted=True, publishing=["planner plans publish 7"]) == \
        "ask a planner to publish it (`planner plans publish 7`): a store manager may not publish"
    assert publish_hint(planner, making, drafted=True) == f"`{making} --publish` makes and publishes a new one"
    assert publish_hint(planner, making) == f"`{making} --publish` makes and publishes one"  # nothing saved yet


def test_a_refusal_names_its_stores_and_regions_with_the_noun_agreeing():
    """The CLI printed "may not see store(s) S02: covers store(s) S01 and region(s) North": the nouns agree now."""
    from planner.access.scope import OutsideScope, REGIONAL_LEAD, Scope

    lead = Scope("lee", REGIONAL_LEAD, stores=frozenset({"S01"}), regions=frozenset({"North", "South"}))
    with pytest.raises(OutsideScope) as refused:
        lead.require_stores(["S02"], ["S01"])
    assert str(refused.value) == "lee (regional lead) may not see store S02: covers store S01 and regions North, South"
    with pytest.raises(OutsideScope) as refused:
        lead.require_stores(["S02", "S03"], ["S01"])
    assert "may not see stores S02, S03:" in str(refused.value)


# --- the store file is the chain's --------------------------------------------------------------------------------


def _own_row(**changed: str) -> pd.DataFrame:
    """S01's row of the sample's store file (the chain's, as stored), with `changed` cells written over."""
    stores = pd.read_csv(DATA / "stores.csv", dtype=str, keep_default_na=False)
    return stores[stores["store_id"] == "S01"].assign(**changed)


def _own_counts() -> bytes:
    counts = pd.read_csv(DATA / "observations.csv", dtype=str)
    return counts[counts["store_id"] == "S01"].head(3).to_csv(index=False).encode()


def test_a_managers_store_file_that_changes_their_row_is_refused_naming_each_cell_and_nothing_is_kept(engine):
    """A store manager's upload of a store file whose row of their store differs from the chain's replaced the row
    (wage, max staff, opening hours: every plan of the store moves) without a word. The store row is the chain's,
    kept by planners: each differing cell is an error saying stored → file, the counts beside it are not kept, and
    the audit trail records nothing."""
    changed = _own_row(wage_per_hour="21.00", max_staff="14", sat="09:00-21:00").to_csv(index=False).encode()
    before, trail = storage.count_rows(engine), len(audit_trail(engine))
    with pytest.raises(InputRejected) as rejected:
        intake.import_files(engine, [("stores.csv", changed), ("counts.csv", _own_counts())], Settings().import_rules,
                            MANAGER)
    errors = rejected.value.errors_only()
    assert {(p.file, p.row, p.column) for p in errors} == {
        ("stores.csv", 2, "wage_per_hour"), ("stores.csv", 2, "max_staff"), ("stores.csv", 2, "sat")}
    said = {p.column: p for p in errors}
    assert "19.5 → 21" in said["wage_per_hour"].message and "12 → 14" in said["max_staff"].message
    assert "10:00-20:00 → 09:00-21:00" in said["sat"].message
    for problem in errors:
        assert "Ask a planner" in problem.fix and "S01's sat, wage_per_hour and max_staff" in problem.fix
        assert "counts file can be imported on its own" in problem.fix
    assert not leaked(" ".join(map(str, errors)), "S01")
    assert storage.count_rows(engine) == before and len(audit_trail(engine)) == trail
    assert storage.load_stores(engine).set_index("store_id").at["S01", "wage_per_hour"] == 19.5
    # the storage refuses it too, when the check is skipped
    row = storage.load_stores(engine, MANAGER).assign(max_staff=14)
    with pytest.raises(OutsideScope, match="max_staff"):
        storage.save(engine, row, ("stores.csv", "2" * 64), scope=MANAGER)
    assert storage.count_rows(engine) == before and len(audit_trail(engine)) == trail


def test_a_managers_store_file_with_a_slip_of_their_own_id_is_told_to_write_it_as_stored(engine):
    """A manager's store file writing their S01 as "s01" or "<b>S01</b>" was told to ask a planner to add the store,
    where a planner was told the id reads as the stored 'S01': one rule, the id to write, and nothing kept."""
    before = storage.count_rows(engine)
    for slip in ("s01", "<b>S01</b>"):
        row = _own_row(store_id=slip).to_csv(index=False).encode()
        with pytest.raises(InputRejected) as rejected:
            intake.import_files(engine, [("stores.csv", row)], Settings().import_rules, MANAGER)
        (problem,) = [p for p in rejected.value.errors_only() if p.column == "store_id"]
        assert problem.row == 2 and "Write 'S01'" in problem.fix and "add store" not in problem.fix, problem
    assert storage.count_rows(engine) == before


def test_a_managers_store_file_may_hold_their_row_as_the_chain_has_it_and_a_planner_may_change_it(engine):
    same = _own_row().to_csv(index=False).encode()
    summaries = intake.import_files(engine, [("stores.csv", same), ("counts.csv", _own_counts())],
                                    Settings().import_rules, MANAGER)
    assert [s.file_name for s in summaries] == ["stores.csv", "counts.csv"]
    new = _own_row(store_id="S99", name="New store").to_csv(index=False).encode()
    manager_of_new = Scope(user="mia", role="store_manager", stores=frozenset({"S01", "S99"}))
    with pytest.raises(InputRejected) as rejected:  # a store the chain has not: a planner adds it
        intake.import_files(engine, [("new.csv", new)], Settings().import_rules, manager_of_new)
    assert [(p.row, p.column) for p in rejected.value.errors_only()] == [(2, "store_id")]
    assert "Ask a planner to add" in rejected.value.errors_only()[0].fix
    changed = _own_row(max_staff="14").to_csv(index=False).encode()
    intake.import_files(engine, [("stores.csv", changed)], Settings().import_rules, Scope(user="pat", role="planner"))
    assert storage.load_stores(engine).set_index("store_id").at["S01", "max_staff"] == 14


def test_a_manager_on_the_command_line_may_not_change_their_store_row(settings, tmp_path, monkeypatch, capsys):
    stores_file, counts_file = tmp_path / "stores.csv", tmp_path / "counts.csv"
    _own_row(min_staff="3").to_csv(stores_file, index=False)
    counts_file.write_bytes(_own_counts())
    engine = storage.connect(settings)
    before, trail = storage.count_rows(engine), len(audit_trail(engine))
    url = ["--database-url", settings.database_url]
    code, printed = run_as(MANAGER, [*url, "import", "--stores", str(stores_file), str(counts_file)], monkeypatch,
                           capsys)
    assert code == EXIT_INPUT, printed
    assert "stores.csv:2: min_staff:" in printed and "2 → 3" in printed and "Ask a planner" in printed
    assert storage.count_rows(engine) == before and len(audit_trail(engine)) == trail
    code, printed = run_as(MANAGER, [*url, "validate", str(stores_file)], monkeypatch, capsys)
    assert code == EXIT_INPUT and "2 → 3" in printed, printed
    code, printed = run_as(MANAGER, [*url, "validate", "--stores", str(stores_file), str(counts_file)], monkeypatch,
                           capsys)
    assert code == EXIT_INPUT and "2 → 3" in printed, printed


def test_a_managers_changed_store_row_blocks_the_upload_on_the_page_until_the_store_file_is_dropped(
        settings, monkeypatch, downloads):
    from app_pages import state

    changed = _own_row(wage_per_hour="21.00").to_csv(index=False).encode()
    engine = storage.connect(settings)
    trail = len(audit_trail(engine))
    at = app_as(MANAGER, settings, monkeypatch).switch_page("app_pages/upload.py").run()
    at.file_uploader(key=state.UPLOADED_FILES).set_value([("stores.csv", changed, "text/csv"),
                                                         ("counts.csv", _own_counts(), "text/csv")]).run()
    assert not at.exception
    said = " ".join(item.value for item in at.markdown).replace("\\", "")  # as read: markdown escapes off
    assert "19.5 → 21" in said and "Ask a planner to change S01's wage_per_hour" in said
    assert "drop the store file from this upload" in said
    assert at.button(key=state.IMPORT_BUTTON).disabled
    at.button(key=state.drop_button("stores.csv")).click().run()
    assert not at.button(key=state.IMPORT_BUTTON).disabled
    at.button(key=state.IMPORT_BUTTON).click().run()
    assert not at.exception and not at.error
    assert storage.load_stores(engine).set_index("store_id").at["S01", "wage_per_hour"] == 19.5
    assert [action for action in audit_trail(engine)["action"][:len(audit_trail(engine)) - trail]] == ["import"]


def test_a_disguised_own_store_id_is_an_invalid_id_saying_what_to_write_for_managers_and_planners_alike(engine):
    """A manager of S06 whose counts wrote '<b>S06</b>' was told "store '<b>S06</b>' is not one of your stores ...
    remove the other stores' rows": their own rows, to delete. An id with markup or stray characters is an invalid
    id, whose fix writes the id meant, before any scope check; a case or width slip is refused as a planner's is;
    surrounding spaces are read away, as in every file. The problems are the same whoever uploads."""
    counts = pd.read_csv(DATA / "observations.csv", dtype=str)
    own = counts[counts["store_id"] == "S06"].head(6).copy()
    written = ["<b>S06</b>", " S06 ", "s06", "S06.", "**S06**", "S6"]  # rows 2-7 (header = row 1)
    own["store_id"] = written
    content = own.to_csv(index=False).encode()
    manager = Scope(user="mo", role="store_manager", stores=frozenset({"S06"}))
    said = {}
    for scope in (manager, EVERYTHING):
        checked = intake.check_files([("counts.csv", content)], storage.load_stores(engine, scope),
                                     Settings().import_rules, scope=scope)[0]
        said[scope.role] = {p.row: p for p in checked.errors}
    mine = said["store_manager"]
    assert sorted(mine) == [2, 4, 5, 6, 7]  # ' S06 ' is S06
    for row in (2, 5, 6):
        assert mine[row].column == "store_id" and mine[row].value == written[row - 2]
        assert "is no valid store id" in mine[row].message and mine[row].fix.startswith("Write 'S06'")
        assert "one of your stores" not in mine[row].message and "remove" not in mine[row].fix
    assert "markup" in mine[2].message and "markup" not in mine[5].message
    assert "(did you mean 'S06'?)" in mine[4].message and mine[4].fix.startswith("Write 'S06'")
    assert "not one of your stores" in mine[7].message  # 'S6' may be another store's: no slip of S06 is named
    planners = said["admin"]
    assert {row: (p.message, p.fix) for row, p in planners.items() if row != 7} == {
        row: (p.message, p.fix) for row, p in mine.items() if row != 7}
