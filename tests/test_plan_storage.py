"""Saved plans (draft, published, superseded as history), the chain's settings with their history, calendar
exceptions upserted by store and date, and the revision that tells a plan what changed after it was made. On SQLite,
and on PostgreSQL when PLANNER_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy import update

from planner import clock, storage
from planner.errors import PlannerError
from planner.intake import import_files
from planner.settings import ImportRules, Settings, settings_from_dict, settings_to_dict
from planner.storage import tables

from conftest import DATA

WEEK = "2026-W50"


@pytest.fixture
def engine(any_database_url):
    engine = storage.connect(Settings(database_url=any_database_url))
    import_files(engine, [("stores.csv", (DATA / "stores.csv").read_bytes())], ImportRules())
    yield engine
    engine.dispose()


def _document(n: int) -> str:
    return json.dumps({"plan": n, "staff": [1, 2, 3], "note": "Fête d'hiver"})


def test_a_saved_plan_comes_back_as_it_was_saved(engine):
    plan_id = storage.save_plan(engine, "S01", WEEK, "f" * 64, _document(1), "ana")
    stored = storage.load_plan(engine, plan_id)
    assert (stored.store_id, stored.iso_week, stored.status, stored.created_by) == ("S01", WEEK, "draft", "ana")
    assert stored.document == _document(1) and stored.published_at is None
    # the planner's now (`planner.clock`: PLANNER_TODAY's date), UTC, with its zone, on both databases
    assert abs(stored.created_at - clock.now()) < timedelta(minutes=1)
    assert abs(storage.list_plans(engine)["created_at"].iloc[0] - clock.now()) < pd.Timedelta("1min")
    assert storage.published_plan(engine, "S01", WEEK) is None


def test_publishing_a_new_plan_supersedes_the_old_one_and_keeps_it(engine):
    first = storage.save_plan(engine, "S01", WEEK, "a", _document(1), "ana")
    other_store = storage.save_plan(engine, "S02", WEEK, "a", _document(9), "ana")
    storage.publish_plan(engine, first, "ben")
    storage.publish_plan(engine, other_store, "ben")
    second = storage.save_plan(engine, "S01", WEEK, "b", _document(2), "ana")
    assert storage.published_plan(engine, "S01", WEEK).plan_id == first  # a draft does not replace it
    published = storage.publish_plan(engine, second, "cleo")
    assert (published.status, published.published_by) == ("published", "cleo")
    assert storage.published_plan(engine, "S01", WEEK).document == _document(2)
    listed = storage.list_plans(engine, store_id="S01").set_index("plan_id")["status"].to_dict()
    assert listed == {first: "superseded", second: "published"}
    assert storage.published_plan(engine, "S02", WEEK).plan_id == other_store  # other stores untouched
    assert storage.load_plan(engine, first).published_by == "ben"  # history keeps who published it
    assert storage.publish_plan(engine, second, "dan").published_by == "cleo"  # publishing again changes nothing


def test_plans_saved_and_published_together_are_kept_all_or_none(engine):
    """`plan --publish` over several stores saved and published each plan in a transaction of its own: stopped
    midway (Ctrl-C, a broken pipe) it left some published and the rest drafts. Now one store-week refused keeps
    none, and all go in together, the earlier plan of a store-week superseded."""
    before = storage.save_plan(engine, "S01", WEEK, "a", _document(1), "ana")
    storage.publish_plan(engine, before, "ana")
    parts = [("S01", WEEK, "b", _document(2)), ("S02", WEEK, "b", _document(3)), ("S99", WEEK, "b", _document(4))]
    with pytest.raises(PlannerError, match="no store 'S99'"):
        storage.save_plans(engine, parts, "ben", publish=True)
    assert storage.list_plans(engine)["plan_id"].tolist() == [before]
    assert storage.published_plan(engine, "S01", WEEK).plan_id == before
    ids = storage.save_plans(engine, parts[:2], "ben", publish=True)
    assert [storage.published_plan(engine, s, WEEK).plan_id for s in ("S01", "S02")] == ids
    assert storage.load_plan(engine, before).status == "superseded"


def test_plans_published_at_once_for_one_store_week_leave_exactly_one_published(engine):
    ids = [storage.save_plan(engine, "S03", WEEK, str(n), _document(n), "ana") for n in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda plan_id: storage.publish_plan(engine, plan_id, "ben"), ids))
    statuses = storage.list_plans(engine, store_id="S03", iso_week=WEEK)["status"].tolist()
    assert sorted(statuses) == ["published"] + ["superseded"] * 5


def test_the_database_itself_refuses_a_second_published_plan(engine):
    """The unique index holds even for a writer that skips `publish_plan`."""
    first = storage.save_plan(engine, "S01", WEEK, "a", _document(1), "ana")
    second = storage.save_plan(engine, "S01", WEEK, "b", _document(2), "ana")
    storage.publish_plan(engine, first, "ben")
    with pytest.raises(Exception, match="(?i)unique"), engine.begin() as connection:
        connection.execute(update(tables.plans).where(tables.plans.c.plan_id == second).values(status="published"))


@pytest.mark.parametrize("week", ["2026-50", "2026-W54", "2025-W53", "26-W50", "2026-w50", "", "1899-W01", "2200-W01"])
def test_a_week_that_is_not_an_iso_week_is_refused(engine, week):
    with pytest.raises(PlannerError, match="not an ISO week"):
        storage.save_plan(engine, "S01", week, "a", _document(1), "ana")
    assert storage.list_plans(engine).empty


def test_2026_has_a_week_53_and_unknown_stores_and_non_json_documents_are_refused(engine):
    assert storage.check_iso_week("2026-W53") == "2026-W53"  # 2026 starts on a Thursday: 53 ISO weeks
    with pytest.raises(PlannerError, match="no store 'S99'"):
        storage.save_plan(engine, "S99", WEEK, "a", _document(1), "ana")
    with pytest.raises(PlannerError, match="not JSON"):
        storage.save_plan(engine, "S01", WEEK, "a", "{plan", "ana")
    with pytest.raises(PlannerError, match="no saved plan 12345"):
        storage.publish_plan(engine, 12345, "ben")


# --- the chain's settings ------------------------------------------------------------------------------------------


def test_settings_saved_come_back_equal_and_their_history_says_who_changed_what(engine):
    assert storage.load_settings(engine) is None
    assert storage.chain_settings_of(engine) == Settings()
    stricter = Settings().with_targets(target_service_level=0.95)
    storage.save_settings(engine, stricter, "ana", "Christmas")
    shorter = stricter.with_shift_rules(shift_lengths_hours=(4, 6, 8))
    storage.save_settings(engine, settings_to_dict(shorter), "ben", "")
    assert storage.chain_settings_of(engine) == shorter
    history = storage.settings_history(engine)
    assert history["changed_by"].tolist() == ["ben", "ana"]
    assert history["changes"].tolist() == ["Shift lengths (hours) 4, 5, 6, 7, 8, 9 -> 4, 6, 8",
                                           "Target service level (share) 80% -> 95%"]  # the page's words and values
    assert history["note"].tolist() == ["", "Christmas"]
    assert (abs(history["changed_at"] - clock.now()) < pd.Timedelta("1min")).all()


def test_the_history_shows_each_value_as_the_settings_page_s_table_does(engine):
    """A share as a percentage, a switch as on/off, an optional value left out as "none": the history read
    "Target service level (share) 0.8 -> 0.85" where the table above it said 80% and 85%."""
    changed = Settings().with_targets(target_service_level=0.85, max_occupancy=0.9).with_shift_rules(hard_coverage=True)
    storage.save_settings(engine, changed, "ana")
    assert storage.settings_history(engine)["changes"].tolist() == [
        "Cover every required hour (on/off) off -> on; Occupancy ceiling (share) none -> 90%; "
        "Target service level (share) 80% -> 85%"]


def test_the_database_url_is_never_stored_and_the_connection_stays_the_callers(engine):
    secret = Settings(database_url="postgresql+psycopg://u:hunter2@db/x").with_targets(min_staff=2)
    storage.save_settings(engine, secret, "ana")
    assert "hunter2" not in json.dumps(storage.load_settings(engine))
    mine = Settings(database_url="sqlite:///mine.db")
    loaded = storage.chain_settings_of(engine, mine)
    assert loaded.database_url == "sqlite:///mine.db" and loaded.targets.min_staff == 2


def test_invalid_settings_are_never_stored(engine):
    values = settings_to_dict(Settings())
    values["targets"]["target_service_level"] = 1.5
    with pytest.raises(PlannerError, match=r"targets.target_service_level\) is 1.5, outside its range \(from 0.01 up"):
        storage.save_settings(engine, values, "ana")
    assert storage.load_settings(engine) is None


def test_settings_a_newer_release_saved_are_refused_with_what_to_do(engine):
    values = settings_to_dict(Settings())
    values["targets"]["queue_colour"] = "red"
    with engine.begin() as connection:
        connection.execute(tables.chain_settings.insert().values(
            changed_at=pd.Timestamp.now(tz="UTC"), changed_by="x", settings=values))
    with pytest.raises(PlannerError, match="unknown setting.*targets.queue_colour.*Settings page"):
        storage.chain_settings_of(engine)


# --- calendar and revision -----------------------------------------------------------------------------------------


def _calendar(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=storage.CALENDAR_COLUMNS).assign(date=lambda f: pd.to_datetime(f["date"]))


def test_calendar_rows_are_upserted_by_store_and_date(engine):
    first = _calendar([("*", "2026-12-25", True, None, None, None, "Christmas Day"),
                       ("S01", "2026-11-27", False, "08:00", "23:00", 1.4, "Black Friday")])
    summary = storage.save_calendar(engine, first, "calendar.csv", "a" * 64)
    assert (summary.rows_added, summary.kind) == (2, "calendar")
    corrected = _calendar([("S01", "2026-11-27", False, "07:00", "23:00", 1.5, "Black Friday"),
                           ("S02", "2026-12-24", False, "09:00", "14:00", None, None)])
    summary = storage.save_calendar(engine, corrected, "calendar-v2.csv", "b" * 64)
    assert (summary.rows_added, summary.rows_replaced, summary.rows_unchanged) == (1, 1, 0)
    stored = storage.load_calendar(engine)
    assert stored[["store_id", "opens", "demand_factor"]].astype(object).values.tolist() == [
        ["*", None, pd.NA], ["S01", "07:00", 1.5], ["S02", "09:00", pd.NA]]
    assert storage.load_calendar(engine, ["S01"])["store_id"].tolist() == ["*", "S01"]  # chain-wide rows apply


def test_a_calendar_file_is_recognised_among_the_uploads_and_stored_with_them_or_not_at_all(engine):
    """A calendar uploaded with the counts was read as observations: 'required column hour is missing... add a
    column headed visitors'. It is now recognised by its columns and stored in the same transaction."""
    from planner.errors import InputRejected

    calendar = (b"store_id,date,closed,hours,demand_factor,note\n*,2026-12-25,yes,,,Christmas Day\n"
                b"S01,2026-11-27,,08:00-23:00,1.4,Black Friday\n")
    counts = (DATA / "observations.csv").read_bytes()
    bad = calendar + b"S99,2026-12-24,yes,,,unknown store\n"
    with pytest.raises(InputRejected) as rejected:
        import_files(engine, [("observations.csv", counts), ("calendar.csv", bad)], ImportRules())
    (problem,) = rejected.value.problems
    assert (problem.file, problem.row, problem.column) == ("calendar.csv", 4, "store_id")
    assert storage.load_calendar(engine).empty and storage.load_observations(engine).empty  # nothing of either
    summaries = import_files(engine, [("observations.csv", counts), ("calendar.csv", calendar)], ImportRules())
    assert [summary.kind for summary in summaries] == ["observations", "calendar"]
    stored = storage.load_calendar(engine)
    assert stored[["store_id", "closed", "opens", "closes"]].astype(object).values.tolist() == [
        ["*", True, None, None], ["S01", False, "08:00", "23:00"]]
    from planner.intake import CALENDAR, check_files

    with_hour = b"store_id,date,hour,closed\nS01,2026-12-26,,yes\n"  # a column a count file has: still a calendar
    (checked,) = check_files([("calendar2.csv", with_hour)], storage.load_stores(engine), ImportRules())
    assert checked.kind == CALENDAR


def test_revision_changes_with_each_kind_of_input_and_says_which(engine):
    made = storage.revision(engine)
    assert made.stores > 0 and (made.observations, made.calendar, made.settings) == (0, 0, 0)
    import_files(engine, [("observations.csv", (DATA / "observations.csv").read_bytes())], ImportRules())
    storage.save_settings(engine, Settings().with_targets(min_staff=2), "ana")
    now = storage.revision(engine)
    assert now.changed_since(made) == ["the counts", "the chain's settings"]
    assert now.changed_since(tuple(now)) == []
    import_files(engine, [("observations.csv", (DATA / "observations.csv").read_bytes())], ImportRules())
    assert storage.revision(engine) == now  # an import that changed nothing records nothing


def test_settings_round_trip_through_json_and_reject_what_they_cannot_be():
    chosen = Settings().with_targets(max_occupancy=0.85).with_shift_rules(shift_lengths_hours=(4, 8))
    assert settings_from_dict(json.loads(json.dumps(settings_to_dict(chosen)))) == chosen
    assert set(settings_to_dict(chosen)) == set(asdict(chosen)) - {"database_url", "database_busy_timeout_seconds",
                                                                   "sign_in"}
    for bad, message in [({"targets": {"min_staff": 1.5}}, "targets.min_staff must be int"),
                         ({"shifts": {"hard_coverage": 1}}, "shifts.hard_coverage must be bool"),
                         ({"shifts": {"shift_lengths_hours": [4, "x"]}}, r"shift_lengths_hours\[1\] must be int"),
                         ({"demand": {"similar_weekdays": [[0, 1]]}}, "similar_weekdays must name each weekday"),
                         ({"database_url": "sqlite://"}, "not to the chain's settings"),
                         ({"sign_in": {"mode": "local"}}, "not to the chain's settings"),
                         ({"targets": 3}, "targets. must be a group")]:
        with pytest.raises(ValueError, match=message):
            settings_from_dict(bad)
    # A setting an older release saved and this one retired is ignored, so its settings and plans still load; an
    # unknown one is still refused.
    older = settings_to_dict(chosen)
    older["roster"] = {**older["roster"], "warm_start_share": 0.5}
    assert settings_from_dict(json.loads(json.dumps(older))) == chosen
    older["roster"]["no_such_setting"] = 1
    with pytest.raises(ValueError, match="unknown setting.*roster.no_such_setting"):
        settings_from_dict(older)


def _store_raw_settings(engine, **targets) -> None:
    """Settings as an older release may have saved them, written past `save_settings`' checks."""
    values = settings_to_dict(Settings())
    values["targets"].update(targets)
    with engine.begin() as connection:
        connection.execute(tables.chain_settings.insert().values(
            changed_at=pd.Timestamp.now(tz="UTC"), changed_by="x", settings=values))


def test_saved_settings_outside_todays_ranges_are_refused_naming_each_setting_its_value_and_range(engine):
    """Settings saved before the ranges existed: a service level of 0.995 was planned with silently (the range is
    0.01-0.99), and a patience of 0 was refused as 'must be above 0', not the range 0.1-120 minutes."""
    _store_raw_settings(engine, target_service_level=0.995, patience_minutes=0)
    with pytest.raises(PlannerError) as refused:
        storage.chain_settings_of(engine)
    said = str(refused.value)
    assert "Target service level (targets.target_service_level) is 0.995, outside its range (from 0.01 up to 0.99 " \
           "share)" in said
    assert "Patience (targets.patience_minutes) is 0, outside its range (from 0.1 up to 120 minutes)" in said
    assert said.endswith("set them within their ranges on the Settings page and save the settings again (on the "
                         "command line: `settings set NAME=VALUE`)")


def test_one_plan_s_listing_row_is_read_alone_and_only_within_the_scope(engine):
    """The Plans page found one plan's store by listing every plan the user may see; the listing reads that plan's
    row alone, and none of a store outside the scope or of an id not saved."""
    from planner.access.scope import STORE_MANAGER, Scope

    first = storage.save_plan(engine, "S01", WEEK, "a", _document(1), "ana")
    other = storage.save_plan(engine, "S02", WEEK, "a", _document(2), "ana")
    row = storage.list_plans(engine, plan_id=other)
    assert row[["plan_id", "store_id", "iso_week"]].values.tolist() == [[other, "S02", WEEK]]
    assert storage.list_plans(engine, plan_id=first)["store_id"].tolist() == ["S01"]
    s01 = Scope("ana", STORE_MANAGER, stores=frozenset({"S01"}))
    assert storage.list_plans(engine, plan_id=other, scope=s01).empty
    assert storage.list_plans(engine, plan_id=max(first, other) + 1).empty
