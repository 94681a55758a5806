"""A plan's life on the command line: made and saved per store and week, published (the one before kept as
superseded), listed with whether its inputs changed since, shown and exported again; the calendar imported once and
used by every later plan."""

from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
import pytest

from planner import saved_plans, storage
from planner.calendar import IsoWeek, week_exceptions
from planner.digest import frame_digest
from planner.cli import main
from planner.cli_flags import EXIT_OK
from planner.plans import Plan
from planner.plans.export import shifts_table
from planner.errors import PlannerError
from planner.pooled_moves import pooled_moved_part
from planner.saved_plans import OUT_OF_DATE, out_of_date_of, plans_with_status, stored_calendar, week_begun_note
from planner.settings import Settings

from conftest import DATA, forget_pooled_checks, later_s07_counts, pooled_fits_counted, sqlite_copy
from test_plans import CALENDAR_CSV

WEEK = "2026-W50"


def _run(capsys, url: str, *args: str) -> tuple[int, str]:
    code = main(["--database-url", url, *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture(scope="module")
def made(sample_db, tmp_path_factory):
    """A database with the sample chain, the calendar imported, and one published plan for S01 and S02 (ids 1, 2)."""
    folder = tmp_path_factory.mktemp("made")
    (folder / "calendar.csv").write_text(CALENDAR_CSV)
    url = sqlite_copy(sample_db, folder / "planner.db")
    assert main(["--database-url", url, "import", "--calendar", str(folder / "calendar.csv")]) == 0
    assert main(["--database-url", url, "plan", "--week", WEEK, "--store", "S01", "--store", "S02", "--publish",
                 "--by", "ana", "--out-dir", str(folder / "made")]) == 0
    return folder


@pytest.fixture
def url(made, tmp_path):
    for part in made.glob("planner.db*"):  # the database and its write-ahead log
        shutil.copy(part, tmp_path / part.name)
    return f"sqlite:///{tmp_path / 'planner.db'}"


def test_a_plan_whose_week_is_over_stays_as_made(url, capsys, tmp_path, monkeypatch):
    """Counts of a past week's own dates put its plan "out of date: make it again", and a re-plan, made from those
    counts and published, was then what Plan vs actual judged the week against."""
    from planner import saved_plans

    counts = pd.read_csv(DATA / "observations.csv")
    dated = counts[(counts["store_id"] == "S01") & (counts["date"] == "2026-09-28")].assign(date="2026-12-07")
    dated.to_csv(tmp_path / "dated.csv", index=False)
    assert _run(capsys, url, "import", str(tmp_path / "dated.csv"))[0] == 0
    code, out = _run(capsys, url, "plans", "list")
    assert code == 0 and "out of date: new counts of this store since it was made" in out  # the week is ahead
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-14")  # the Monday after it
    code, out = _run(capsys, url, "plans", "list")
    lines = {line.split()[1]: line for line in out.splitlines()[1:]}
    assert lines["S01"].endswith("week over: kept as made") and lines["S02"].endswith("week over: kept as made")
    code, out = _run(capsys, url, "plans", "show", "1")
    assert "its week is over: it stays as it was made" in out and "make it again" not in out
    engine = storage.connect(Settings(database_url=url))
    with pytest.raises(PlannerError, match="ended on Sun 13 Dec 2026: it stays as it was made"):
        saved_plans.replan(engine, 1, Settings(database_url=url), "ana")
    assert len(storage.list_plans(engine)) == 2  # nothing made
    engine.dispose()


def test_the_plan_is_saved_per_store_and_week_and_shows_what_was_made(made, url, capsys, tmp_path):
    engine = storage.connect(Settings(database_url=url))
    listed = storage.list_plans(engine)
    assert sorted(zip(listed["store_id"], listed["iso_week"], listed["status"], listed["created_by"])) == [
        ("S01", WEEK, "published", "ana"), ("S02", WEEK, "published", "ana")]
    whole = Plan.from_json((made / "made" / "plan.json").read_text())
    s02 = listed.loc[listed["store_id"] == "S02"].iloc[0]
    stored = Plan.from_json(storage.load_plan(engine, int(s02["plan_id"])).document)
    assert stored.store_ids == ("S02",) and stored.fingerprint.digest == s02["fingerprint"]
    expected = shifts_table(whole)
    pd.testing.assert_frame_equal(shifts_table(stored).reset_index(drop=True),
                                  expected[expected["store_id"] == "S02"].reset_index(drop=True))
    code, out = _run(capsys, url, "plans", "show", str(int(s02["plan_id"])), "--out-dir", str(tmp_path / "again"))
    assert code == 0, out
    assert f"S02 {WEEK}, published" in out and "by ana" in out
    assert "S02 Tue 2026-12-08: closed (holiday) [chain calendar]" in out  # the stored calendar was used
    assert "its inputs are as they were when it was made" in out
    shown = pd.read_csv(tmp_path / "again" / "plan_shifts.csv", dtype=str, keep_default_na=False)
    written = pd.read_csv(made / "made" / "plan_shifts.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(shown, written[written["store_id"] == "S02"].reset_index(drop=True))


def test_publishing_again_keeps_the_old_plan_as_history(url, capsys):
    code, out = _run(capsys, url, "plan", "--week", WEEK, "--store", "S01", "--by", "ben")
    assert code == 0 and "saved as plan 3 (draft" in out
    code, out = _run(capsys, url, "plans", "list", "--store", "S01")
    assert code == 0
    rows = [line.split() for line in out.splitlines()[1:]]
    assert [(r[0], r[3]) for r in rows] == [("3", "draft"), ("1", "published")]
    assert _run(capsys, url, "plan", "--week", WEEK, "--store", "S01", "--publish", "--by", "ben")[0] == 0
    code, out = _run(capsys, url, "plans", "list", "--store", "S01", "--week", WEEK)
    rows = [line.split() for line in out.splitlines()[1:]]
    # draft 3, made before published plan 4, is set aside: listed after the others, saying by which plan
    assert [(r[0], r[3]) for r in rows] == [("4", "published"), ("1", "superseded"), ("3", "draft")]
    lines = out.splitlines()[1:]
    assert lines[0].endswith(" as made") and lines[1].endswith(" as made")
    assert lines[2].endswith(" set aside: plan 4 was published for this week")
    # the command line does not put the set-aside draft back over the newer plan, as it is or not
    for anyway in ([], ["--publish-anyway"]):
        code, out = _run(capsys, url, "plans", "publish", "3", "--by", "ben", *anyway)
        assert code == 1 and "plan 3 was not published: it is a draft made before plan 4" in out, out
    assert storage.published_plan(storage.connect(Settings(database_url=url)), "S01", WEEK).plan_id == 4


def test_new_counts_put_only_that_stores_plan_out_of_date(url, capsys, tmp_path):
    counts = pd.read_csv(DATA / "observations.csv")
    later = counts[(counts["store_id"] == "S01") & (counts["date"] == "2026-09-28")].assign(date="2026-10-05")
    later.to_csv(tmp_path / "later.csv", index=False)
    assert _run(capsys, url, "import", str(tmp_path / "later.csv"))[0] == 0
    code, out = _run(capsys, url, "plans", "list")
    lines = {line.split()[1]: line for line in out.splitlines()[1:]}
    assert lines["S01"].endswith("out of date: new counts of this store since it was made")
    assert lines["S02"].endswith(" as made")
    code, out = _run(capsys, url, "plans", "show", "1")
    assert "out of date: new counts of this store since it was made; make it again" in out


def test_new_chain_settings_or_calendar_put_every_plan_out_of_date(url, capsys, tmp_path):
    engine = storage.connect(Settings(database_url=url))
    storage.save_settings(engine, Settings().with_targets(target_service_level=0.95), "ana", "busier December")
    engine.dispose()
    out = _run(capsys, url, "plans", "list")[1]
    assert sum(line.endswith("out of date: the chain's settings changed since it was made") for line in out.splitlines()) == 2
    (tmp_path / "late.csv").write_text("store_id,date,hours\nS02,2026-12-11,12:00-22:00\n")
    assert _run(capsys, url, "import", "--calendar", str(tmp_path / "late.csv"))[0] == 0
    lines = {line.split()[1]: line for line in _run(capsys, url, "plans", "list")[1].splitlines()[1:]}
    assert lines["S02"].endswith("out of date: the calendar, the chain's settings changed since it was made")
    assert lines["S01"].endswith("out of date: the chain's settings changed since it was made")  # S02's row is not S01's


def _required(engine, plan_id: int) -> list[int]:
    """The staff a saved plan requires per hour, in its rows' order."""
    return Plan.from_json(storage.load_plan(engine, plan_id).document).staffing["required_staff"].tolist()


def test_a_calendar_row_of_a_counted_date_puts_its_stores_plans_out_of_date_a_row_of_another_date_does_not(
        url, capsys, tmp_path):
    """S01 was counted on Saturday 12 September 2026 (data/observations.csv). A sale recorded for that date (factor
    1.5) makes its counts read as 1.5 usual hours, so S01's plan made again requires other staff; the plans made
    before read "as made" all the same, as their fingerprint held only the calendar of the plan's own week. Rows of
    dates neither counted nor planned (S01's sale in November, a chain-wide closed day) change no plan made again,
    and leave every plan as made. The truth of each: the plan made again."""
    engine = storage.connect(Settings(database_url=url))
    (tmp_path / "elsewhere.csv").write_text("store_id,date,closed,demand_factor\nS01,2026-11-05,,1.5\n"
                                            ",2026-11-06,yes,\n")
    assert _run(capsys, url, "import", "--calendar", str(tmp_path / "elsewhere.csv"))[0] == EXIT_OK
    assert all(line.endswith(" as made") for line in _listed(capsys, url).values())
    again = saved_plans.replan(engine, 1, Settings(database_url=url), "ana")
    assert _required(engine, again.plan_id) == _required(engine, 1)  # as made indeed
    (tmp_path / "sale.csv").write_text("store_id,date,demand_factor,note\nS01,2026-09-12,1.5,sale\n")
    assert _run(capsys, url, "import", "--calendar", str(tmp_path / "sale.csv"))[0] == EXIT_OK
    listed = _listed(capsys, url)
    assert listed["1"].endswith("out of date: the calendar changed since it was made")
    assert listed[str(again.plan_id)].endswith("out of date: the calendar changed since it was made")
    assert listed["2"].endswith(" as made")  # S02's counts are read under no row of S01's
    remade = saved_plans.replan(engine, 1, Settings(database_url=url), "ana")
    assert _required(engine, remade.plan_id) != _required(engine, 1)  # out of date indeed
    assert _listed(capsys, url)[str(remade.plan_id)].endswith(" as made")
    engine.dispose()


def _listed(capsys, url: str) -> dict[str, str]:
    """`plans list`'s lines by plan id."""
    return {line.split()[0]: line for line in _run(capsys, url, "plans", "list")[1].splitlines()[1:]}


def test_a_plan_whose_counts_read_no_calendar_row_keeps_the_fingerprint_it_was_saved_with(made, url):
    """Plans saved before the counts were read under their dates' rows hold the digest of their week's exceptions
    alone; a store none of whose counted dates has a row keeps it, so such plans do not all read out of date."""
    engine = storage.connect(Settings(database_url=url))
    listed = storage.list_plans(engine).set_index("store_id")
    week = week_exceptions(stored_calendar(engine), ["S01", "S02"], IsoWeek.parse(WEEK)).assign(iso_week=WEEK)
    for store in ("S01", "S02"):
        assert listed.loc[store, "calendar_digest"] == frame_digest(week[week["store_id"] == store],
                                                                    ["store_id", "date"])
    engine.dispose()


def test_a_plan_made_with_settings_that_were_not_the_chains_says_so_until_they_are(url, capsys, tmp_path):
    """The app plans with a session's unsaved settings: such a plan read "out of date: the chain's settings changed
    since", though they never were the chain's. It says what it is, beside any other change, until those settings
    are saved as the chain's (then it is as made, and a plan made before them reads the chain's settings changed)."""
    from planner import saved_plans
    from planner.plans import PlanRequest

    engine = storage.connect(Settings(database_url=url))
    unsaved = storage.chain_settings_of(engine).with_targets(target_wait_seconds=20.0)  # as the page sets it
    (made,) = saved_plans.make_and_save(engine, PlanRequest(weeks=(WEEK,), store_ids=("S01",), settings=unsaved),
                                        "ana")
    lines = {line.split()[0]: line for line in _run(capsys, url, "plans", "list")[1].splitlines()[1:]}
    assert lines[str(made.plan_id)].endswith("out of date: made with settings that were not the chain's")
    assert lines["1"].endswith(" as made")
    out = _run(capsys, url, "plans", "show", str(made.plan_id))[1]
    assert "out of date: it was made with settings that were not the chain's; make it again" in out
    counts = pd.read_csv(DATA / "observations.csv")
    later = counts[(counts["store_id"] == "S01") & (counts["date"] == "2026-09-28")].assign(date="2026-10-05")
    later.to_csv(tmp_path / "later.csv", index=False)
    assert _run(capsys, url, "import", str(tmp_path / "later.csv"))[0] == 0
    listed = plans_with_status(engine, None, "S01")
    assert dict(zip(listed["plan_id"], listed[OUT_OF_DATE], strict=True)) == {
        made.plan_id: "the counts, settings that were not the chain's", 1: "the counts"}
    both = listed.set_index("plan_id").loc[made.plan_id, OUT_OF_DATE]
    assert saved_plans.inputs_word(both, False) == \
        "out of date: new counts of this store since it was made; made with settings that were not the chain's"
    assert saved_plans.inputs_short(both, False) == "out of date: new counts of this store, unsaved settings"
    # the hours first: "other stores' counts: 3 hours" read like counts of 3 hours
    assert saved_plans.inputs_short("the counts, " + pooled_moved_part(3, True), False) == \
        "out of date: new counts of this store, 3 hours moved by other stores' counts"
    assert saved_plans.inputs_short(pooled_moved_part(1, False), False) == \
        "out of date: 1 hour differs when made now"
    assert saved_plans.inputs_short(pooled_moved_part(2, False), False) == \
        "out of date: 2 hours differ when made now"
    storage.save_settings(engine, unsaved, "ana")  # now they are the chain's
    listed = plans_with_status(engine, None, "S01")
    assert dict(zip(listed["plan_id"], listed[OUT_OF_DATE], strict=True)) == {
        made.plan_id: "the counts", 1: "the counts, the chain's settings"}
    engine.dispose()


def test_how_a_simulation_is_run_and_read_leaves_every_plan_as_made_the_spread_of_service_times_does_not(url):
    """The Settings page edits the simulation settings: saving 60 simulated weeks in place of 500 put every plan
    "out of date: the chain's settings changed since", though no plan is made with how many weeks are simulated,
    how wide their band is or when an hour is at risk (a saved plan is simulated with the chain's, whatever its own
    say). Those leave a plan as made; the spread of service times, which the patience estimates and so the plan
    are made with, does not."""
    import dataclasses

    engine = storage.connect(Settings(database_url=url))
    chain = storage.chain_settings_of(engine)
    storage.save_settings(engine, dataclasses.replace(chain, simulation=dataclasses.replace(
        chain.simulation, replications=60, band_level=0.8, at_risk_week_share=0.1, day_to_day_variation=True)),
        "pia")
    assert set(plans_with_status(engine)[OUT_OF_DATE]) == {""}
    storage.save_settings(engine, dataclasses.replace(chain, simulation=dataclasses.replace(
        chain.simulation, service_cv=0.5)), "pia")
    assert set(plans_with_status(engine)[OUT_OF_DATE]) == {"the chain's settings"}
    engine.dispose()


def test_a_chain_target_the_stores_own_file_overrides_leaves_its_plan_as_made(url, capsys):
    """S05's store file sets its own 90% service level: when the chain's went from 80% to 85%, its plans read "out of
    date: the chain's settings changed", though making them again gives the same plan. A target S05 does not set,
    or any other setting, still puts them out of date."""
    assert _run(capsys, url, "plan", "--week", WEEK, "--store", "S05")[0] == 0
    engine = storage.connect(Settings(database_url=url))

    def inputs(in_force: Settings) -> dict[str, str]:
        listed = plans_with_status(engine, in_force)
        return dict(zip(listed["store_id"], listed[OUT_OF_DATE], strict=True))

    assert inputs(Settings().with_targets(target_service_level=0.85)) == {
        "S01": "the chain's settings", "S02": "the chain's settings", "S05": ""}
    chosen = Settings().with_targets(target_service_level=0.85, target_wait_seconds=45)
    assert inputs(chosen)["S05"] == "the chain's settings"  # a target S05 takes from the chain
    plan_id = int(storage.list_plans(engine, "S05")["plan_id"].iloc[0])
    stored = Plan.from_json(storage.load_plan(engine, plan_id).document)
    assert out_of_date_of(engine, stored, chosen) == "the chain's settings"
    assert out_of_date_of(engine, stored, Settings().with_targets(target_service_level=0.85)) == ""
    engine.dispose()


def test_a_calendar_is_stored_whole_or_not_at_all(url, capsys, tmp_path):
    before = stored_calendar(storage.connect(Settings(database_url=url)))
    (tmp_path / "bad.csv").write_text("store_id,date,closed\nS01,2026-12-09,yes\nS77,2026-12-08,yes\n")
    code, out = _run(capsys, url, "import", "--calendar", str(tmp_path / "bad.csv"))
    assert code == 1 and "bad.csv:3: store_id: store 'S77' is not in the database" in out
    pd.testing.assert_frame_equal(stored_calendar(storage.connect(Settings(database_url=url))), before)
    assert sorted(before["store_id"]) == ["*", "S01", "S02"] and before["closed"].tolist().count(True) == 1


def test_plans_of_an_empty_database_and_a_missing_plan_are_one_line(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    storage.connect(Settings(database_url=url)).dispose()  # there, empty: a missing one is refused as missing
    code, out = _run(capsys, url, "plans", "list")
    assert code == 0 and out.startswith("no saved plans: make one with")
    code, out = _run(capsys, url, "plans", "show", "9")
    assert code == 1 and out.strip() == "error: there is no saved plan 9: `plans list` shows the saved plans"
    code, out = _run(capsys, url, "plans", "show", "nine")
    assert code == 1 and len(out.strip().splitlines()) == 1 and "plan id" in out
    code, out = _run(capsys, url, "plans", "show", "9" * 23)  # past the id column: a traceback before
    assert code == 1 and len(out.strip().splitlines()) == 1 and "a plan id from 1 to 2,147,483,647" in out


def test_a_plan_of_two_weeks_with_what_if_targets_is_as_made_until_its_store_changes(url, capsys, tmp_path):
    code, out = _run(capsys, url, "plan", "--week", WEEK, "--week", "2026-W51", "--store", "S02",
                     "--target-wait-seconds", "30")
    assert code == 0 and "saved as plans 3, 4 (drafts" in out
    rows = {line.split()[0]: line for line in _run(capsys, url, "plans", "list", "--store", "S02")[1].splitlines()[1:]}
    assert rows["3"].split()[2] == WEEK and rows["4"].split()[2] == "2026-W51"
    assert all(line.endswith(" as made") for line in rows.values())  # its own what-if, not the chain's 60 s
    stores = pd.read_csv(DATA / "stores.csv")
    stores.loc[stores["store_id"] == "S02", "wage_per_hour"] += 1
    stores.to_csv(tmp_path / "stores.csv", index=False)
    assert _run(capsys, url, "import", "--stores", str(tmp_path / "stores.csv"))[0] == 0
    lines = _run(capsys, url, "plans", "list")[1].splitlines()[1:]
    changed = "out of date: the store file changed since it was made"
    assert sum(line.endswith(changed) for line in lines) == 3  # S02's plans
    assert sum(line.endswith(" as made") for line in lines) == 1  # S01's ("it was made" ends "as made")


def test_the_list_reads_no_document_and_says_what_each_document_would(url, capsys, tmp_path, monkeypatch):
    assert _run(capsys, url, "plan", "--week", WEEK, "--store", "S02", "--target-wait-seconds", "30")[0] == 0
    counts = pd.read_csv(DATA / "observations.csv")
    later = counts[(counts["store_id"] == "S01") & (counts["date"] == "2026-09-28")].assign(date="2026-10-05")
    later.to_csv(tmp_path / "later.csv", index=False)
    assert _run(capsys, url, "import", str(tmp_path / "later.csv"))[0] == 0
    engine = storage.connect(Settings(database_url=url))
    # the truth: each plan's own document against today's inputs, one plan at a time; S01's new counts are the
    # chain's too, so the plans of S02 are made again to tell whether they moved its staff, and what that found is
    # kept for the list (which, without it, opens their documents to make them again: once per change of the chain)
    expected = {int(n): out_of_date_of(engine, Plan.from_json(storage.load_plan(engine, int(n)).document), Settings(),
                                       plan_id=int(n))
                for n in storage.list_plans(engine)["plan_id"]}
    assert sorted(expected.values()) == ["", "", "the counts"]

    def no_document(*_args, **_kwargs):
        raise AssertionError("the list opened a plan's document")

    monkeypatch.setattr(storage, "load_plan", no_document)
    listed = plans_with_status(engine, Settings())
    assert dict(zip(listed["plan_id"], listed[OUT_OF_DATE])) == expected


def test_the_list_says_each_plans_result_and_wage_cost_without_opening_a_document(url, monkeypatch):
    """The Saved plans table and its CSV said whether a plan was out of date, not what it came to: a planner opened
    each plan to find S02's schedule short of its requirement. Each row says its schedule's result in words (optimal,
    short N staff-hours, unproven) and its wage cost, from the row, not the document. The truth: each plan's own
    document's schedule."""
    from app_pages.tables import saved_plans_file, saved_plans_table
    from planner.shifts.report import SHORT
    from planner.shifts.solve import OPTIMAL

    engine = storage.connect(Settings(database_url=url))
    truth = {n: Plan.from_json(storage.load_plan(engine, n).document).schedules.iloc[0] for n in (1, 2)}
    assert {n: row["status"] for n, row in truth.items()} == {1: OPTIMAL, 2: SHORT}  # S02 takes at most 12 staff
    monkeypatch.setattr(storage, "load_plan", lambda *_args, **_kwargs: pytest.fail("a plan's document was opened"))
    listed = plans_with_status(engine, Settings())
    engine.dispose()
    table, file = saved_plans_table(listed).set_index("Plan"), saved_plans_file(listed).set_index("Plan")
    short = truth[2]["uncovered_staff_hours"]
    assert short > 0
    for shown in (table, file):
        assert shown.loc[1, "Result"] == "optimal"
        assert shown.loc[2, "Result"] == f"short {short:,.1f} staff-hours"
        assert shown["Wages"].to_dict() == pytest.approx({n: row["wage_cost"] for n, row in truth.items()})


def test_a_week_begun_or_over_is_said_when_it_is_planned():
    """On Friday 4 Dec a plan of 2026-W49 (Mon 30 Nov - Sun 6 Dec) was made and published without a word, and Plan
    vs actual then judged it against the counts it was made from."""
    friday = date(2026, 12, 4)
    assert week_begun_note("2026-W50", friday) == ""
    assert week_begun_note("2026-W49", friday) == (
        "2026-W49 began on Mon 30 Nov: its days up to today (Fri 04 Dec) are planned as if to come, from counts that "
        "may include them")
    assert week_begun_note("2026-W48", friday).startswith("2026-W48 is over (it ended on Sun 29 Nov 2026)")
    assert week_begun_note("2026-W49", date(2026, 11, 30)) != ""  # its Monday is a day of it


def test_a_plans_own_min_staff_cover_is_the_plans_and_the_chains_setting_still_counts(url, capsys, monkeypatch):
    """`plan --min-staff-cover` went into the plan's settings as if the chain's had changed: the plan read "out of
    date: the chain's settings changed since" as soon as it was made (listed, shown, rostered). It is the plan's own
    choice, as a what-if is, and its digest says so (the list reads no document for it); the chain's own
    min_staff_cover setting still puts the plans made without the flag out of date, whichever way it changes."""
    from planner import saved_plans
    from planner.plans import PlanRequest

    code, out = _run(capsys, url, "plan", "--week", WEEK, "--store", "S01", "--min-staff-cover", "--publish")
    assert code == 0 and "saved as plan 3" in out, out
    lines = {line.split()[0]: line for line in _run(capsys, url, "plans", "list")[1].splitlines()[1:]}
    assert lines["3"].endswith(" as made") and lines["2"].endswith(" as made"), lines
    code, out = _run(capsys, url, "plans", "show", "3")
    assert code == 0 and "its inputs are as they were when it was made" in out and "make it again" not in out
    engine = storage.connect(Settings(database_url=url))
    made = Plan.from_json(storage.load_plan(engine, 3).document).request
    assert made.min_staff_cover and made.settings.shifts.min_staff_cover  # the plan was made with the cover
    assert not Plan.from_json(storage.load_plan(engine, 2).document).request.min_staff_cover
    # a plan made without the flag while the chain's own setting was on (saved as the chain's: made with settings
    # that were never the chain's, it would read so)
    chain_cover = Settings(database_url=url).with_shift_rules(min_staff_cover=True)
    storage.save_settings(engine, chain_cover, "ana")
    (made_on,) = saved_plans.make_and_save(engine, PlanRequest(weeks=(WEEK,), store_ids=("S02",),
                                                               settings=chain_cover), "ana")
    assert made_on.plan_id == 4

    def inputs(in_force: Settings) -> dict[int, str]:
        listed = plans_with_status(engine, in_force)
        return dict(zip(listed["plan_id"], listed[OUT_OF_DATE], strict=True))

    settings = "the chain's settings"
    assert inputs(Settings()) == {1: "", 2: "", 3: "", 4: settings}  # the chain's cover went off since plan 4
    assert inputs(Settings().with_shift_rules(min_staff_cover=True)) == {1: settings, 2: settings, 3: "", 4: ""}
    assert inputs(Settings().with_targets(target_wait_seconds=45)) == {1: settings, 2: settings, 3: settings,
                                                                       4: settings}  # any other change still counts
    plan_3 = Plan.from_json(storage.load_plan(engine, 3).document)
    assert out_of_date_of(engine, plan_3, Settings()) == ""
    assert out_of_date_of(engine, plan_3, Settings().with_shift_rules(hard_coverage=True)) == settings

    def no_document(*_args, **_kwargs):
        raise AssertionError("the list opened a plan's document")

    monkeypatch.setattr(storage, "load_plan", no_document)  # S01's plans: 1 made without the flag, 3 with it
    listed = plans_with_status(engine, Settings(), "S01")
    assert dict(zip(listed["plan_id"], listed[OUT_OF_DATE], strict=True)) == {1: "", 3: ""}
    monkeypatch.undo()
    again = saved_plans.replan(engine, 3, Settings(database_url=url), "ana")  # the plan's own choice is kept
    assert Plan.from_json(again.document).request.min_staff_cover
    assert inputs(Settings())[again.plan_id] == ""
    engine.dispose()


def test_an_out_of_date_draft_is_published_only_with_publish_anyway(url, capsys, monkeypatch):
    """`plans publish ID` published a draft whose counts, calendar, store file or chain settings had changed since
    it was made without a word, while `rosters publish` refuses a stale draft: it stays a draft now, exit 1, in one
    line naming the plan, why it is out of date (as `plans show` says it) and the two ways on: the `plan` command
    that makes it again (with the plan's own what-if), which then publishes without the flag, or --publish-anyway,
    which publishes it, audited as any publish, with a note that it was published out of date."""
    from planner.storage.audit import audit_trail

    code, out = _run(capsys, url, "plan", "--week", WEEK, "--store", "S01", "--target-wait-seconds", "30")
    assert code == 0 and "saved as plan 3 (draft" in out
    engine = storage.connect(Settings(database_url=url))
    storage.save_settings(engine, Settings().with_targets(target_service_level=0.9), "ana", "busier December")
    assert "out of date: the chain's settings changed since it was made; make it again" in \
        _run(capsys, url, "plans", "show", "3")[1]
    code = main(["--database-url", url, "plans", "publish", "3"])
    refused = capsys.readouterr()
    assert code == 1 and refused.out == "" and refused.err.count("\n") == 1, refused
    remake = f"plan --store S01 --week {WEEK} --target-wait-seconds 30"
    assert refused.err.strip() == (
        f"plan 3 (S01 {WEEK}) is not published, it stays a draft. It is out of date: the chain's settings changed "
        f"since it was made. Make it again ({remake}) and publish that. Or add --publish-anyway to publish it as it "
        "is.")
    assert storage.load_plan(engine, 3).status == "draft" and storage.published_plan(engine, "S01", WEEK).plan_id == 1

    code = main(["--database-url", url, "plans", "publish", "2", "--publish-anyway"])  # published already: as before
    assert code == 1 and "plan 2 (S02 2026-W50) is already published" in capsys.readouterr().err
    with monkeypatch.context() as later:  # a week that is over is refused, flag or not, as before
        later.setenv("PLANNER_TODAY", "2026-12-14")
        code, out = _run(capsys, url, "plans", "publish", "3", "--publish-anyway")
        assert code == 1 and "no plan was published: 2026-W50 (ended Sun 13 Dec 2026) is over" in out
        assert storage.load_plan(engine, 3).status == "draft"

    code = main(["--database-url", url, "plans", "publish", "3", "--publish-anyway", "--by", "ben"])
    published = capsys.readouterr()
    assert code == 0 and published.out.strip() == f"published plan 3: S01 {WEEK}, by ben; plan 1 is kept as superseded"
    assert published.err.strip() == ("note: plan 3 was published out of date: the chain's settings changed since it "
                                     f"was made ({remake} makes it again)")
    assert [storage.load_plan(engine, n).status for n in (1, 3)] == ["superseded", "published"]

    code, out = _run(capsys, url, *remake.split())  # the command named makes it again: as made, published as it is
    assert code == 0 and "saved as plan 4 (draft" in out
    assert _run(capsys, url, "plans", "list", "--store", "S01")[1].splitlines()[1].endswith(" as made")
    code, out = _run(capsys, url, "plans", "publish", "4")
    assert code == 0 and f"published plan 4: S01 {WEEK}" in out and "out of date" not in out
    assert [storage.load_plan(engine, n).status for n in (3, 4)] == ["superseded", "published"]
    entry = audit_trail(engine, "S01", actions=["publish"]).iloc[1]
    assert (entry["actor"], entry["summary"]) == ("ben", f"plan 3 published for S01 {WEEK}; plan 1 superseded; "
                                                  "published as it is: out of date: the chain's settings changed "
                                                  "since it was made")
    assert _audit_details(engine, entry["id"])["published_as_is"] == ("out of date: the chain's settings changed "
                                                                     "since it was made")
    entry = audit_trail(engine, "S01", actions=["publish"]).iloc[0]  # plan 4, as made: nothing added
    assert entry["summary"] == f"plan 4 published for S01 {WEEK}; plan 3 superseded", entry["summary"]
    assert "published_as_is" not in _audit_details(engine, entry["id"])
    engine.dispose()


def _audit_details(engine, entry_id: int) -> dict:
    """The details kept with audit entry `entry_id`, read back from the table."""
    from sqlalchemy import select

    from planner.storage.tables import audit

    with engine.connect() as connection:
        return connection.execute(select(audit.c.details).where(audit.c.id == int(entry_id))).scalar_one()


def test_saving_the_chains_settings_names_the_plans_it_put_out_of_date_and_only_those(url):
    """`settings set` named the plans a change put out of date, the Settings page's Save did not: both call
    `save_chain_settings` now. It names a plan as made before the change and out of date after it, as `plans list`
    judges them; not one out of date already, nor one a change back to its settings puts right again."""
    from planner import saved_plans
    from planner.settings_change import OutOfDatePlan, SavedSettings, save_chain_settings

    engine = storage.connect(Settings(database_url=url))
    busier = Settings().with_targets(target_service_level=0.95)
    saved = save_chain_settings(engine, busier, "ana", "busier December")
    assert saved == SavedSettings(1, (OutOfDatePlan(1, "S01", WEEK), OutOfDatePlan(2, "S02", WEEK)), 2)
    assert storage.chain_settings_of(engine) == busier  # saved, with its history entry
    assert storage.settings_history(engine)["note"].tolist() == ["busier December"]
    assert dict(zip(plans_with_status(engine)["plan_id"], plans_with_status(engine)[OUT_OF_DATE], strict=True)) == {
        1: "the chain's settings", 2: "the chain's settings"}

    again = saved_plans.replan(engine, 1, busier, "ana")  # plan 3, made at 95%
    roster_only = busier.with_roster_rules(notice_days=7)  # no plan is made with a roster rule
    assert save_chain_settings(engine, roster_only, "ana") == SavedSettings(2, (), 3)
    # back to 80%: plans 1 and 2 are as made again, plan 3 goes out of date
    assert save_chain_settings(engine, roster_only.with_targets(target_service_level=0.8), "ana") == \
        SavedSettings(3, (OutOfDatePlan(again.plan_id, "S01", WEEK),), 3)
    engine.dispose()


def test_saving_the_chains_settings_names_published_plans_first_and_no_draft_set_aside(url):
    """After a Make and publish, the Settings page's note counted the drafts the published plans had replaced among
    the plans to re-plan (7 of 14), and its link opened one of them. A draft made before its week's published plan
    is set aside; a draft made after it is current and named after the published plans. The truth: which plan was
    made and published when."""
    from planner.settings_change import save_chain_settings

    engine = storage.connect(Settings(database_url=url))
    aside = saved_plans.make_and_save(engine, _request("S01"), "ana")[0].plan_id  # draft 3 of S01
    published = saved_plans.make_and_save(engine, _request("S01"), "ana", publish=True)[0].plan_id  # 4
    current = saved_plans.make_and_save(engine, _request("S02"), "ana")[0].plan_id  # 5, after published 2
    listed = plans_with_status(engine)
    assert dict(zip(listed["plan_id"], listed[saved_plans.SET_ASIDE], strict=True)) == {
        current: 0, published: 0, 2: 0, 1: 0, aside: published}
    assert listed["plan_id"].tolist()[-1] == aside  # after the others
    saved = save_chain_settings(engine, Settings().with_targets(target_service_level=0.95), "ana")
    assert [plan.plan_id for plan in saved.out_of_date] == [2, published, current]
    assert [plan.status for plan in saved.out_of_date] == ["published", "published", "draft"]
    engine.dispose()


def _request(store: str):
    from planner.plans import PlanRequest

    return PlanRequest((WEEK,), (store,), Settings())


@pytest.mark.parametrize("fails_on", [1, 2])
def test_settings_are_saved_when_the_saved_plans_cannot_be_checked_and_say_so(url, monkeypatch, capsys, fails_on):
    """The Save now lists the saved plans before and after the change: a listing that failed after the save showed
    an error though the settings were saved, and one that failed before blocked the save. Either way the settings are
    saved and the page and `settings set` say the plans were not checked, naming none."""
    from planner import cli, settings_change
    from planner.errors import PlannerError

    listed = settings_change._settings_status
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == fails_on:
            raise PlannerError("plan 7's stored requirement cannot be read.")
        return listed(*args, **kwargs)

    monkeypatch.setattr(settings_change, "_settings_status", failing)
    engine = storage.connect(Settings(database_url=url))
    busier = Settings().with_targets(target_service_level=0.95)
    saved = settings_change.save_chain_settings(engine, busier, "ana")
    assert (saved.out_of_date, saved.plans_checked) == ((), 0)
    assert saved.plans_unchecked == "plan 7's stored requirement cannot be read."
    assert storage.chain_settings_of(engine) == busier
    engine.dispose()
    calls.clear()
    code = cli.main(["--database-url", url, "settings", "set", "target_service_level=0.9"])
    out = capsys.readouterr().out
    assert code == EXIT_OK and "saved as the chain's settings (change 2)" in out
    assert ("the saved plans could not be checked for settings out of date: plan 7's stored requirement cannot be "
            "read (`python -m planner plans list` says which are)") in out
    assert "now out of date" not in out and "(plan " not in out


def _moved_hours(engine, plan_id: int, again_id: int) -> int:
    """The hours in which the saved plan `again_id` requires other staff than `plan_id` (the same store and week):
    the truth a plan's status is judged against."""
    made, again = (Plan.from_json(storage.load_plan(engine, n).document).staffing.set_index(["date", "hour"])
                   ["required_staff"] for n in (plan_id, again_id))
    both = pd.concat([made.rename("made"), again.rename("again")], axis=1)
    return int((both["made"].fillna(-1) != both["again"].fillna(-1)).sum())


NAMED_S07 = "new counts of S07 (whose counts shape this store's demand) since it was made"
"""What a plan moved by S07's counts says of them (`_import_other_stores_counts`)."""


def _import_other_stores_counts(capsys, url: str, folder, *, evenings: float) -> None:
    """Two more weeks of counts of S07 (electronics, as S01 is), dated after every count so far, its evening hours
    (17:00-21:00) `evenings` times their customers (`later_s07_counts`), imported."""
    assert _run(capsys, url, "import", str(later_s07_counts(folder, evenings=evenings)))[0] == EXIT_OK


def test_other_stores_counts_that_move_a_plans_staff_put_it_out_of_date_naming_them_and_in_how_many_hours(
        url, capsys, tmp_path):
    """A store's hours are partly borrowed from the other stores of its format and the chain (the pooled model), so
    S07's new counts move what S01's and S02's plans require; their own counts, store rows, calendar and settings are
    as they were, and the plans read "as made" while a plan made now required other staff. The plan kept one digest
    of the chain's counts, so it said "other stores' counts move its staff in 3 hours", not whose: it keeps each
    store's, and names S07, the one store whose counts the import wrote (S07 shares S01's format; S02 borrows from
    the chain). The truth: each plan made again (`replan`), hour by hour, and the import's one store."""
    from planner.words import counted

    _import_other_stores_counts(capsys, url, tmp_path, evenings=3)
    listed = _listed(capsys, url)
    engine = storage.connect(Settings(database_url=url))
    for plan_id in (1, 2):
        again = saved_plans.replan(engine, plan_id, Settings(database_url=url), "ana")
        moved = _moved_hours(engine, plan_id, again.plan_id)
        assert moved > 0  # the import moves this plan indeed
        said = f"{NAMED_S07} move its staff in {counted(moved, 'hour')}"
        assert listed[str(plan_id)].endswith(f"out of date: {said}"), listed
        assert f"out of date: {said}; make it again" in _run(capsys, url, "plans", "show", str(plan_id))[1]
        assert _listed(capsys, url)[str(again.plan_id)].endswith(" as made")  # made from today's counts
    engine.dispose()


def test_other_stores_counts_that_move_nothing_leave_every_plan_as_made(url, capsys, tmp_path):
    """One of S07's counts one customer higher changes the chain's counts, but neither S01's nor S02's plan made
    again requires other staff in any hour: both stay as made, and so does the list read again (from what it kept)."""
    counts = pd.read_csv(DATA / "observations.csv")
    one = counts[(counts["store_id"] == "S07") & (counts["date"] == "2026-09-14") & (counts["hour"] == 15)].copy()
    one[["visitors", "self_service"]] += 1
    one.to_csv(tmp_path / "one.csv", index=False)
    assert _run(capsys, url, "import", str(tmp_path / "one.csv"))[0] == EXIT_OK
    listed = _listed(capsys, url)
    assert listed["1"].endswith(" as made") and listed["2"].endswith(" as made")
    engine = storage.connect(Settings(database_url=url))
    for plan_id in (1, 2):
        again = saved_plans.replan(engine, plan_id, Settings(database_url=url), "ana")
        assert _moved_hours(engine, plan_id, again.plan_id) == 0  # as made indeed
    engine.dispose()


def test_a_reader_who_covers_only_the_plans_store_is_told_how_many_other_stores_counts_moved_it_not_which(
        url, capsys, tmp_path):
    """A store manager of S01 may not learn another store's id (the pooled model hands on counts of stores, never
    their ids): her plan's status counts the store whose counts moved it, and plan.json written for her holds no
    other store's id. The truth: the planner's own status of the same plan names S07."""
    from planner.access.scope import Scope
    from planner.plans.export import write_plan

    _import_other_stores_counts(capsys, url, tmp_path, evenings=3)
    engine = storage.connect(Settings(database_url=url))
    manager = Scope(user="mia", role="store_manager", stores=frozenset({"S01"}))
    plan = Plan.from_json(storage.load_plan(engine, 1, manager).document)
    hers = out_of_date_of(engine, plan, None, manager, plan_id=1)
    planners = out_of_date_of(engine, plan, None, plan_id=1)
    listed = plans_with_status(engine, scope=manager).set_index("plan_id")[OUT_OF_DATE].to_dict()
    engine.dispose()
    assert saved_plans.out_of_date_sentence(planners).startswith(f"{NAMED_S07} move its staff in "), planners
    assert listed == {1: hers} and "S07" not in hers, listed
    assert saved_plans.out_of_date_sentence(hers).startswith("new counts of 1 other store (whose counts shape this "
                                                             "store's demand) since it was made move its staff in "), hers
    assert saved_plans.inputs_short(hers, False).endswith(" moved by counts of 1 other store"), hers
    written = (tmp_path / "hers")
    write_plan(plan, written)
    assert "S07" not in (written / "plan.json").read_text() and "S01" in (written / "plan.json").read_text()


def test_a_plans_own_new_counts_say_this_store_and_other_plans_name_that_store(url, capsys, tmp_path):
    """Three of S01's counts one customer higher: S01's plan reads "new counts of this store", not "the counts
    changed"; S02's plan, as made but for what it borrows, names S01 where a plan made now moves its staff."""
    counts = pd.read_csv(DATA / "observations.csv")
    counts[counts["store_id"] == "S01"].head(3).assign(visitors=lambda rows: rows["visitors"] + 1).to_csv(
        tmp_path / "s01.csv", index=False)
    assert _run(capsys, url, "import", str(tmp_path / "s01.csv"))[0] == EXIT_OK
    listed = _listed(capsys, url)
    assert listed["1"].endswith("out of date: new counts of this store since it was made"), listed
    assert "out of date: new counts of this store since it was made; make it again" in \
        _run(capsys, url, "plans", "show", "1")[1]
    assert listed["2"].endswith(" as made") or \
        "out of date: new counts of S01 (whose counts shape this store's demand) since it was made move" in \
        listed["2"], listed


def test_a_plan_saved_before_plans_kept_each_stores_counts_reads_out_of_date_without_names(url, capsys, tmp_path):
    """A plan document with the chain's digest but not each store's (saved before plans kept them) cannot tell
    whose counts moved it: it says so as before, naming none, and nothing fails; the plan beside it names S07."""
    from sqlalchemy import text

    engine = storage.connect(Settings(database_url=url))
    stored = storage.load_plan(engine, 1).document
    assert '"pooled_counts"' in stored
    document = stored.replace('"pooled_counts"', '"pooled_counts_unknown"')
    with engine.begin() as connection:
        connection.execute(text("UPDATE plans SET document = :document WHERE plan_id = 1"), {"document": document})
    assert Plan.from_json(storage.load_plan(engine, 1).document).pooled_counts is None
    engine.dispose()
    _import_other_stores_counts(capsys, url, tmp_path, evenings=3)
    listed = _listed(capsys, url)
    assert "out of date: other stores' counts move its staff in" in listed["1"], listed
    assert "S07" not in listed["1"] and f"out of date: {NAMED_S07} move its staff in" in listed["2"], listed
    code, out = _run(capsys, url, "plans", "show", "1")
    assert code == EXIT_OK and "out of date: other stores' counts move its staff in" in out, out


def test_a_plan_keeps_each_stores_counts_as_the_database_gives_them_and_an_import_changes_only_its_stores(
        url, capsys, tmp_path):
    """What names the stores: the digest of each store's counts kept in the plan, against today's from the row
    hashes kept per store. Before the import they agree for every store (so none is named wrongly); after an import
    of S07's counts only S07's differs. The truth: the stores the import wrote, and each store's counts loaded and
    digested whole."""
    from planner.digest import store_counts_digests
    from planner.pipeline import pooled_counts_today

    engine = storage.connect(Settings(database_url=url))
    kept = Plan.from_json(storage.load_plan(engine, 1).document).pooled_counts
    stores = storage.load_stores(engine)["store_id"].astype(str).tolist()
    loaded = store_counts_digests(storage.load_observations(engine, stores))
    assert kept and pooled_counts_today(engine) == kept == {store: loaded[store] for store in kept}
    _import_other_stores_counts(capsys, url, tmp_path, evenings=3)
    today = pooled_counts_today(engine)
    assert {store for store in today.keys() | kept.keys() if today.get(store) != kept.get(store)} == {"S07"}
    engine.dispose()


def test_only_stores_with_new_or_changed_counts_are_named_never_one_whose_counts_are_gone():
    """A store whose counts the plan was made with and that has none usable now (its counts removed, or the store
    gone from the store file) got no new counts: "new counts of S09" would be untrue. A store counted only now, or
    counted differently, is named; the plan's own store never (said as "this store")."""
    from planner.pooled_moves import counts_changed

    made = {"S01": "a", "S02": "b", "S03": "c", "S09": "d"}
    today = {"S01": "A", "S02": "b", "S03": "C", "S10": "e"}
    assert counts_changed(["S01"], made, today) == ("S03", "S10")
    assert counts_changed(["S01"], None, today) == ()


def test_a_sentence_names_a_few_stores_and_counts_the_rest_whatever_their_ids_hold():
    """At most a few stores are named ("S03, S05, S06 and 4 more"); a store id holding ", " (which parted the words
    of what changed) is named whole."""
    from planner.pooled_moves import pooled_moved_part

    many = pooled_moved_part(3, True, ("S03", "S05", "S06", "S08", "S09", "S10", "S11"))
    assert saved_plans.out_of_date_sentence(many) == (
        "new counts of S03, S05, S06 and 4 more (whose counts shape this store's demand) since it was made move its "
        "staff in 3 hours")
    odd = pooled_moved_part(1, True, ("North, Mall | 2", "S07"))
    assert saved_plans.out_of_date_sentence("the calendar, " + odd) == (
        "the calendar changed since it was made, and new counts of North, Mall | 2 and S07 (whose counts shape "
        "this store's demand) since it was made move its staff in 1 hour")
    assert saved_plans.inputs_word("the counts, " + odd, False) == (
        "out of date: new counts of this store since it was made; new counts of North, Mall | 2 and S07 (whose "
        "counts shape this store's demand) since it was made move its staff in 1 hour")
    assert saved_plans.inputs_short(many, False) == \
        "out of date: 3 hours moved by counts of S03, S05, S06 and 4 more"
    assert saved_plans.inputs_short("the counts, the calendar", False) == \
        "out of date: new counts of this store, calendar"
    outside = pooled_moved_part(2, True, ("S03", "S05", "S06", "S08"), others=2)
    assert saved_plans.out_of_date_sentence(outside).startswith("new counts of S03, S05, S06 and 3 more (whose")
    assert saved_plans.inputs_short(pooled_moved_part(2, True, ("S03",), others=1), False) == \
        "out of date: 2 hours moved by counts of S03 and 1 other store"


def test_the_plans_of_several_stores_listed_at_once_fit_the_chain_once_and_read_as_listed_one_store_at_a_time(
        url, capsys, tmp_path, monkeypatch):
    """After other stores' counts change, a plan whose own inputs are as made is made again to tell whether its
    staff moved: one fit of the chain for every plan of a week listed at once. The Plans page listed one store at a
    time, and its first list after an import fitted the chain once per store (9 fits for 9 plans of the sample in
    two weeks, seconds each). Listed at once (`store_ids`), S01's and S02's plans are made again in one fit of both
    stores, and read exactly as each store's own list reads them, on a copy of the same database (what a list
    found is kept, so a second list on the same one would fit nothing; the import itself lists the plans it puts
    out of date, so what it found is forgotten first)."""
    _import_other_stores_counts(capsys, url, tmp_path, evenings=3)
    forget_pooled_checks(url)
    apart = sqlite_copy(tmp_path / "planner.db", tmp_path / "apart.db")
    fits = pooled_fits_counted(monkeypatch)
    engine = storage.connect(Settings(database_url=apart))
    one_by_one = pd.concat([plans_with_status(engine, store_id=store) for store in ("S01", "S02")])
    engine.dispose()
    assert fits == [("S01",), ("S02",)]  # one fit per store
    fits.clear()
    engine = storage.connect(Settings(database_url=url))
    at_once = plans_with_status(engine, store_ids=["S01", "S02"])
    engine.dispose()
    assert fits == [("S01", "S02")]  # one fit for both
    assert at_once["plan_id"].tolist() == [2, 1]  # newest first
    statuses = dict(zip(at_once["plan_id"], at_once[OUT_OF_DATE], strict=True))
    assert statuses == dict(zip(one_by_one["plan_id"], one_by_one[OUT_OF_DATE], strict=True))
    assert all(saved_plans.out_of_date_sentence(status).startswith(f"{NAMED_S07} move its staff in")
               for status in statuses.values())


def test_plans_saved_before_plans_kept_the_chains_counts_are_made_again_once_and_what_was_found_is_kept(
        url, capsys, tmp_path, monkeypatch):
    """A plan saved before plans kept the digest of the chain's counts (its row and document without it) cannot
    tell whether other stores' counts changed since: it is made again when listed, and stays as made where nothing
    moved (such plans did not all turn out of date at once), else says in how many hours a plan made now differs,
    without naming a cause it cannot know. What each check found is kept: the list and `plans show` read again make
    nothing again until the chain's counts change."""
    from sqlalchemy import text

    from planner import pooled_moves
    from planner.words import counted

    engine = storage.connect(Settings(database_url=url))
    document = storage.load_plan(engine, 1).document.replace('"pooled_inputs"', '"pooled_inputs_unknown"')
    with engine.begin() as connection:
        connection.execute(text("UPDATE plans SET pooled_digest = NULL, document = :document WHERE plan_id = 1"),
                           {"document": document})
    assert Plan.from_json(storage.load_plan(engine, 1).document).pooled_inputs is None
    listed = _listed(capsys, url)
    assert listed["1"].endswith(" as made") and listed["2"].endswith(" as made")

    _import_other_stores_counts(capsys, url, tmp_path, evenings=3)
    listed = _listed(capsys, url)
    again = saved_plans.replan(engine, 1, Settings(database_url=url), "ana")
    moved = _moved_hours(engine, 1, again.plan_id)
    assert listed["1"].endswith(f"out of date: a plan made now requires other staff in {counted(moved, 'hour')}")
    assert f"out of date: {NAMED_S07} move its staff in" in listed["2"]

    def no_fit(*_args, **_kwargs):
        raise AssertionError("a plan was made again although what it found was kept")

    monkeypatch.setattr(pooled_moves, "remade_staffing", no_fit)
    relisted = _listed(capsys, url)
    assert relisted["1"] == listed["1"] and relisted["2"] == listed["2"]
    assert f"requires other staff in {counted(moved, 'hour')}; make it again" in \
        _run(capsys, url, "plans", "show", "1")[1]
    engine.dispose()


def test_the_chains_pooled_digest_is_kept_per_revision_of_its_uploads_and_follows_every_import(
        url, capsys, tmp_path, monkeypatch):
    """A list of saved plans compares each plan's digest of the chain's counts with today's; hashing every count of
    a large chain on each list took seconds, so today's is kept per revision of the uploads. The truth: the digest
    made from the chain as it is stored (`pooled_digest` of every usable store's counts, rows and calendar), read
    after each kind of import; between imports, no count is loaded to tell it."""
    from planner import pipeline
    from planner.digest import pooled_digest

    engine = storage.connect(Settings(database_url=url))

    def truth() -> str:
        stores = storage.load_stores(engine)
        return pooled_digest(*pipeline.usable_chain(storage.load_observations(engine, stores["store_id"].tolist()), stores),
                             pipeline.counted_calendar(engine))

    seen = [pipeline.pooled_inputs_digest(engine)]
    assert seen[-1] == truth()
    counts = pd.read_csv(DATA / "observations.csv")
    one = counts[(counts["store_id"] == "S07") & (counts["date"] == "2026-09-14") & (counts["hour"] == 15)].copy()
    one[["visitors", "self_service"]] += 1
    one.to_csv(tmp_path / "one.csv", index=False)
    (tmp_path / "calendar.csv").write_text("store_id,date,closed,hours,demand_factor,note\n"
                                           "S07,2026-09-14,,,1.5,sale\n")
    for argv in (["import", str(tmp_path / "one.csv")], ["import", "--calendar", str(tmp_path / "calendar.csv")]):
        assert _run(capsys, url, *argv)[0] == EXIT_OK
        seen.append(pipeline.pooled_inputs_digest(engine))
        assert seen[-1] == truth() and seen[-1] != seen[-2]

    def loaded(*_args, **_kwargs):
        raise AssertionError("the chain's counts were loaded although their digest at this revision was kept")

    monkeypatch.setattr(storage, "load_observations", loaded)
    assert pipeline.pooled_inputs_digest(engine) == seen[-1]
    engine.dispose()


def test_a_calendar_import_of_dates_no_count_was_taken_on_judges_no_saved_plan_again_and_one_of_a_counted_date_does(
        url, capsys, tmp_path, monkeypatch):
    """The pooled model reads of the store calendar only the rows its counts are read under (a counted date's, or
    the evening before one that runs into it): a calendar of the dates to come changes nothing it reads, yet the
    chain's digest hashed the whole calendar, so each such import made every saved plan again to see whether its
    staff moved. The truth: the plans made again are counted (`pooled_fits_counted`); a row of a date S07 counted
    (a sale, a closed day) changes what S01's and S02's plans borrow, and both are judged again."""
    from planner import pipeline

    engine = storage.connect(Settings(database_url=url))
    made = pipeline.pooled_inputs_digest(engine)
    listed = _listed(capsys, url)
    assert listed["1"].endswith(" as made") and listed["2"].endswith(" as made")
    fits = pooled_fits_counted(monkeypatch)
    (tmp_path / "to_come.csv").write_text("store_id,date,closed,hours,demand_factor,note\n"
                                          "S07,2027-02-10,yes,,,stocktaking\n"
                                          ",2027-03-01,,08:00-23:00,1.5,spring sale\n")
    assert _run(capsys, url, "import", "--calendar", str(tmp_path / "to_come.csv"))[0] == EXIT_OK
    assert pipeline.pooled_inputs_digest(engine) == made
    assert _listed(capsys, url) == listed and fits == []  # nothing made again, on the import nor on the list
    for row in ("S07,2026-09-14,,,1.5,sale", "S07,2026-09-15,yes,,,closed for a burst pipe"):
        (tmp_path / "counted.csv").write_text(f"store_id,date,closed,hours,demand_factor,note\n{row}\n")
        assert _run(capsys, url, "import", "--calendar", str(tmp_path / "counted.csv"))[0] == EXIT_OK
        assert pipeline.pooled_inputs_digest(engine) != made
        made = pipeline.pooled_inputs_digest(engine)
        _listed(capsys, url)
        assert sorted({store for fit in fits for store in fit}) == ["S01", "S02"]  # both made again
        fits.clear()
    engine.dispose()


def test_plans_saved_with_the_digest_of_the_whole_calendar_are_judged_again_once_and_stay_as_made(
        url, capsys, monkeypatch):
    """Plans saved before the chain's digest held only the calendar rows the counts are read under kept the digest
    of the whole calendar: each differs from today's once, is made again once to tell whether its staff moved, and
    where none moved reads "as made" (not out of date: nothing it borrows changed), the check kept so a list made
    again makes nothing."""
    from sqlalchemy import text

    from planner import pipeline
    from planner.digest import frame_digest, observations_digest, stores_digest, text_digest

    engine = storage.connect(Settings(database_url=url))
    stores = storage.load_stores(engine)
    observations, stores = pipeline.usable_chain(storage.load_observations(engine, stores["store_id"].tolist()),
                                                 stores)
    calendar = pipeline.counted_calendar(engine)
    whole = text_digest("pooled\n" + "\n".join([observations_digest(observations), stores_digest(stores),
                                                 frame_digest(calendar, ["store_id", "date"])]))
    today = pipeline.pooled_inputs_digest(engine)
    assert whole != today
    for plan_id in (1, 2):
        document = storage.load_plan(engine, plan_id).document.replace(today, whole)
        with engine.begin() as connection:
            connection.execute(text("UPDATE plans SET pooled_digest = :whole, document = :document "
                                    "WHERE plan_id = :plan_id"),
                               {"whole": whole, "document": document, "plan_id": plan_id})
        assert Plan.from_json(storage.load_plan(engine, plan_id).document).pooled_inputs == whole
    fits = pooled_fits_counted(monkeypatch)
    listed = _listed(capsys, url)
    assert listed["1"].endswith(" as made") and listed["2"].endswith(" as made")
    assert sorted(store for fit in fits for store in fit) == ["S01", "S02"]  # each made again, once
    fits.clear()
    assert _listed(capsys, url) == listed and fits == []
    assert "out of date" not in _run(capsys, url, "plans", "show", "1")[1]
    engine.dispose()


@pytest.mark.parametrize("out_of_date", ["the chain's settings", "the counts, the calendar",
                                         "the store file, settings that were not the chain's"])
def test_a_listed_plan_says_what_changed_in_the_words_of_the_page(out_of_date):
    """`plans list` and the Plans CSV ended a reason at "the chain's settings changed since", where the Plans page
    (`out_of_date_sentence`) says "... changed since it was made" ("new counts of this store since it was made")."""
    page = saved_plans.out_of_date_sentence(out_of_date).split(", and ")[0]
    assert page.endswith("since it was made")
    assert saved_plans.inputs_word(out_of_date, False).startswith(f"out of date: {page}")


def test_a_draft_made_with_other_what_if_values_is_not_called_the_same_as_a_new_draft(url):
    """The walk: *Make plan* said a new draft had "the same requirement and shifts as draft plan 3: publish either",
    where plan 3 was made with a what-if: publishing it published the what-if. An earlier draft is called the same
    only where it was made from the same request and is as made now. The truth: the two drafts' requirement and
    shifts, alike, and their what-if values, not."""
    from planner.plans import PlanRequest
    from planner.plans.export import requirement_csv, shifts_csv

    engine = storage.connect(Settings(database_url=url))
    settings = storage.chain_settings_of(engine)
    (what_if,) = saved_plans.make_and_save(engine, PlanRequest(weeks=(WEEK,), store_ids=("S01",), settings=settings,
                                                               what_if={"min_staff": 2}), "ana")  # S01's own
    (plain,) = saved_plans.make_and_save(engine, PlanRequest(weeks=(WEEK,), store_ids=("S01",), settings=settings),
                                         "ana")
    (again,) = saved_plans.make_and_save(engine, PlanRequest(weeks=(WEEK,), store_ids=("S01",), settings=settings),
                                         "ana")
    made = {stored.plan_id: Plan.from_json(stored.document) for stored in (what_if, plain, again)}
    alike = {plan_id: (requirement_csv(plan), shifts_csv(plan)) for plan_id, plan in made.items()}
    assert alike[what_if.plan_id] == alike[plain.plan_id] == alike[again.plan_id]
    assert made[what_if.plan_id].request.what_if != made[plain.plan_id].request.what_if
    assert saved_plans.same_drafts(engine, [plain]) == {}
    assert saved_plans.same_drafts(engine, [again]) == {again.plan_id: plain.plan_id}
    engine.dispose()


def test_a_set_aside_draft_is_refused_from_the_listing_opening_no_published_plans_document(url, capsys):
    """`plans publish` of a draft made before its week's published plan is refused (set aside, as the lists say) by
    the same judgement the lists make, from the store-week's listed rows: the published plan's document is not read
    (it was, for its id alone). The truth: the SQL sent while refusing."""
    from sqlalchemy import event

    from planner.errors import InvalidRequest

    assert _run(capsys, url, "plan", "--week", WEEK, "--store", "S01", "--by", "ben")[0] == 0  # draft 3
    assert _run(capsys, url, "plan", "--week", WEEK, "--store", "S01", "--publish", "--by", "ben")[0] == 0  # plan 4
    engine = storage.connect(Settings(database_url=url))
    documents_read = []

    def record(_connection, _cursor, statement, parameters, _context, _many):
        if "plans.document" in statement:
            documents_read.append(parameters)

    event.listen(engine, "before_cursor_execute", record)
    with pytest.raises(InvalidRequest) as refused:
        saved_plans.publish_plans(engine, [3], "ben")
    event.remove(engine, "before_cursor_execute", record)
    engine.dispose()
    assert str(refused.value) == (
        f"plan 3 was not published: it is a draft made before plan 4, the plan published for S01 {WEEK}, and is set "
        f"aside. Fix: make a new plan (`python -m planner plan --store S01 --week {WEEK}`) or re-plan on the Plans "
        f"page, and publish that.")
    assert len(documents_read) == 1 and 3 in tuple(documents_read[0]), documents_read  # the draft's own, alone
    assert storage.published_plan(storage.connect(Settings(database_url=url)), "S01", WEEK).plan_id == 4


def test_plans_replan_out_of_date_makes_a_draft_of_each_out_of_date_published_plan_and_says_what_is_left(
        url, capsys):
    """After a change of the chain's settings every published plan read out of date, and the command line (as the
    Plans page) re-planned them one at a time. `plans replan --out-of-date` makes a new draft of each published plan
    out of date, leaves the published ones published, a draft out of date alone, and a published plan whose week
    has a newer draft as made already is not made again. The truth: the saved plans read from storage after it."""
    assert _run(capsys, url, "plan", "--week", WEEK, "--store", "S03")[0] == EXIT_OK  # a draft: plan 3
    assert _run(capsys, url, "settings", "set", "target_wait_seconds=40")[0] == EXIT_OK
    engine = storage.connect(Settings(database_url=url))
    chain = storage.chain_settings_of(engine)
    before = plans_with_status(engine, chain).set_index("plan_id")
    assert (before[OUT_OF_DATE] != "").all() and set(before.index) == {1, 2, 3}
    assert saved_plans.replan(engine, 1, chain, "ana").plan_id == 4  # S01's published plan made again by hand
    code, out = _run(capsys, url, "plans", "replan", "--out-of-date", "--by", "ana")
    assert code == EXIT_OK, out
    after = storage.list_plans(engine).set_index("plan_id")
    assert set(after.index) == {1, 2, 3, 4, 5}  # S02's published plan alone was made again
    assert (after.loc[5, "store_id"], after.loc[5, "iso_week"], after.loc[5, "status"]) == ("S02", WEEK, "draft")
    assert list(after.loc[[1, 2], "status"]) == ["published", "published"]
    status = plans_with_status(engine, chain).set_index("plan_id")
    assert status.loc[5, OUT_OF_DATE] == "" and status.loc[4, OUT_OF_DATE] == ""
    assert out.strip() == (
        f"Re-planned 1 out-of-date published plan, each saved as a new draft: plan 5 (S02 {WEEK}, for published plan "
        f"2). Not made again, as a newer draft of its week is as made already: published plan 1 (S01 {WEEK}; draft "
        "4). Nothing is published yet: drafts 5 and 4 are left to read and publish (`python -m planner plans "
        "publish 5 4`)."), out
    code, again = _run(capsys, url, "plans", "replan", "--out-of-date", "--by", "ana")  # nothing new to make
    assert code == EXIT_OK and set(storage.list_plans(engine)["plan_id"]) == {1, 2, 3, 4, 5}
    assert again.strip().startswith("Not made again"), again
    engine.dispose()


@pytest.mark.parametrize("out_of_date", ["the counts", "the counts, the calendar", "the counts, the chain's settings"])
def test_the_plans_list_and_plans_list_word_a_plans_own_new_counts_alike(out_of_date):
    """The Plans page's list said "out of date: own counts" of the plan `plans list` (and the list's CSV) called
    "out of date: new counts of this store since it was made": the page's few words are the start of the command
    line's, and "own counts" (where an hour's profile comes from, `planner.demand.sources`) is said of neither."""
    short, long = saved_plans.inputs_short(out_of_date, False), saved_plans.inputs_word(out_of_date, False)
    own = "out of date: new counts of this store"
    assert short.startswith(own) and long.startswith(f"{own} since it was made"), (short, long)
    assert "own counts" not in short + long
