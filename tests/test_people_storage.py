"""Employees and absences stored and read back as they were checked, upserted like the counts, all or nothing with
the rest of an import; saved rosters with history (draft, published, superseded). On SQLite, and on PostgreSQL when
PLANNER_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from planner import storage
from planner.errors import InputRejected, PlannerError
from planner.intake import ABSENCES, EMPLOYEES, check_files, import_files
from planner.io.employees import employees_of
from planner.settings import ImportRules, Settings
from planner.storage.audit import audit_trail

from conftest import DATA

HEADER = ("employee_id,name,store_id,also_stores,skills,contract_hours_min,contract_hours_max,max_hours_per_day,"
          "wage_per_hour,mon,tue,wed,thu,fri,sat,sun,preferred_days_off,prefers\n")
EMPLOYEES_CSV = (HEADER + "E1,Ann,S01,S02,keyholder;cashier,20,40,,,09:00-17:00,off,,22:00-06:00,,,off,sun,early\n"
                 "E2,Bob,S02,,cashier,0,20,8,15.5,,,,,,,,,\n"
                 "E3,Cem,S03,,,10,30,,,,,,,,,,,late\n").encode()
ABSENCES_CSV = b"employee_id,first_day,last_day,reason\nE1,2026-12-14,2026-12-15,leave\nE2,2026-12-16,,sick\n"
WEEK = "2026-W50"


@pytest.fixture
def engine(any_database_url):
    engine = storage.connect(Settings(database_url=any_database_url))
    import_files(engine, [("stores.csv", (DATA / "stores.csv").read_bytes())], ImportRules())
    yield engine
    engine.dispose()


def test_employees_and_absences_come_back_as_they_were_checked(engine):
    files = [("employees.csv", EMPLOYEES_CSV), ("absences.csv", ABSENCES_CSV)]
    checked = check_files(files, storage.load_stores(engine), ImportRules(), known_employee_ids=[])
    assert [c.kind for c in checked] == [EMPLOYEES, ABSENCES] and all(c.ok for c in checked)
    summaries = import_files(engine, files, ImportRules())
    assert [(s.kind, s.rows_added) for s in summaries] == [("employees", 3), ("absences", 2)]
    stored = storage.load_employees(engine)
    assert employees_of(stored) == employees_of(checked[0].frame)
    # the checked frame is indexed by spreadsheet row (the import's warnings name rows by it), the stored one is not
    pd.testing.assert_frame_equal(storage.load_absences(engine), checked[1].frame.reset_index(drop=True),
                                  check_dtype=False)
    # a store's people: its own and those who may also work there
    assert list(storage.load_employees(engine, ["S02"])["employee_id"]) == ["E1", "E2"]
    assert list(storage.load_employees(engine, ["S03"])["employee_id"]) == ["E3"]
    week = storage.load_absences(engine, ["E2"], dt.date(2026, 12, 14), dt.date(2026, 12, 20))
    assert list(week["reason"]) == ["sick"]
    assert storage.load_absences(engine, None, dt.date(2026, 12, 17), dt.date(2026, 12, 20)).empty


def test_a_corrected_file_replaces_the_rows_it_repeats_and_keeps_the_others(engine):
    import_files(engine, [("employees.csv", EMPLOYEES_CSV)], ImportRules())
    again = import_files(engine, [("employees.csv", EMPLOYEES_CSV)], ImportRules())
    assert (again[0].rows_unchanged, again[0].changed) == (3, False)
    corrected = (HEADER + "E2,Bob,S02,,cashier;keyholder,0,24,8,15.5,,,,,,,,,\n").encode()
    (summary,) = import_files(engine, [("corrected.csv", corrected)], ImportRules())
    assert (summary.rows_added, summary.rows_replaced, summary.rows_unchanged) == (0, 1, 0)
    people = {e.employee_id: e for e in employees_of(storage.load_employees(engine))}
    assert set(people) == {"E1", "E2", "E3"} and people["E2"].is_keyholder and people["E2"].contract_hours_max == 24


def test_a_bad_person_or_absence_stores_nothing_of_the_import(engine):
    bad_absence = b"employee_id,first_day,last_day,reason\nE1,2026-12-14,,leave\nE9,2026-12-14,,sick\n"
    with pytest.raises(InputRejected) as rejected:
        import_files(engine, [("employees.csv", EMPLOYEES_CSV), ("absences.csv", bad_absence)], ImportRules())
    (problem,) = rejected.value.errors_only()
    assert (problem.file, problem.row, problem.column) == ("absences.csv", 3, "employee_id")
    assert storage.load_employees(engine).empty
    unknown_store = (HEADER + "E1,Ann,S42,,,0,20,,,,,,,,,,,\n").encode()
    with pytest.raises(InputRejected) as rejected:
        import_files(engine, [("employees.csv", unknown_store)], ImportRules())
    assert [(p.row, p.column) for p in rejected.value.errors_only()] == [(2, "store_id")]


def test_absences_may_name_people_stored_before(engine):
    import_files(engine, [("employees.csv", EMPLOYEES_CSV)], ImportRules())
    (summary,) = import_files(engine, [("absences.csv", ABSENCES_CSV)], ImportRules())
    assert summary.rows_added == 2
    # the absences' audit entry is found under the absent people's home stores (it was under none)
    for store in ("S01", "S02"):
        assert audit_trail(engine, store_id=store)["summary"].str.startswith("absences.csv").any()
    assert not audit_trail(engine, store_id="S03")["summary"].str.startswith("absences.csv").any()


def _document(n: int) -> str:
    return json.dumps({"roster": n, "shifts": [], "note": "Schichtplan für Weihnachten"})


def test_publishing_a_new_roster_supersedes_the_old_one_and_keeps_it(engine):
    first = storage.save_roster(engine, "S01", WEEK, _document(1), "ana")
    storage.publish_roster(engine, first, "ben")
    second = storage.save_roster(engine, "S01", WEEK, _document(2), "ana", note="E1 sick on Tuesday")
    assert storage.published_roster(engine, "S01", WEEK).roster_id == first  # a draft does not replace it
    published = storage.publish_roster(engine, second, "cleo")
    assert (published.status, published.published_by, published.note) == ("published", "cleo", "E1 sick on Tuesday")
    assert storage.published_roster(engine, "S01", WEEK).document == _document(2)
    listed = storage.list_rosters(engine, store_id="S01").set_index("roster_id")["status"].to_dict()
    assert listed == {first: "superseded", second: "published"}
    assert storage.publish_roster(engine, second, "dan").published_by == "cleo"  # again: nothing changes
    assert storage.published_roster(engine, "S02", WEEK) is None


def test_rosters_are_listed_by_status_when_one_is_asked_for(engine):
    """A page deciding which weeks have a published roster read every roster of the store (each week's drafts and
    superseded ones too) on every rerun: the listing takes a status, and reads only rosters of it."""
    from planner.storage.versioned import DRAFT, PUBLISHED, SUPERSEDED

    later = "2026-W51"
    first = storage.save_roster(engine, "S01", WEEK, _document(1), "ana")
    storage.publish_roster(engine, first, "ben")
    second = storage.save_roster(engine, "S01", WEEK, _document(2), "ana")
    storage.publish_roster(engine, second, "ben")
    draft = storage.save_roster(engine, "S01", later, _document(3), "ana")
    elsewhere = storage.save_roster(engine, "S02", WEEK, _document(4), "ana")
    storage.publish_roster(engine, elsewhere, "ben")

    def listed(**by) -> dict[int, tuple[str, str]]:
        frame = storage.list_rosters(engine, **by)
        return dict(zip(frame["roster_id"], zip(frame["store_id"], frame["status"], strict=True), strict=True))

    assert listed(store_id="S01", status=PUBLISHED) == {second: ("S01", PUBLISHED)}
    assert listed(status=PUBLISHED) == {second: ("S01", PUBLISHED), elsewhere: ("S02", PUBLISHED)}
    assert listed(store_id="S01", status=SUPERSEDED) == {first: ("S01", SUPERSEDED)}
    assert listed(store_id="S01", iso_week=later, status=DRAFT) == {draft: ("S01", DRAFT)}
    assert listed(store_id="S01", iso_week=later, status=PUBLISHED) == {}
    assert len(listed(store_id="S01")) == 3  # no status: every roster, as before
    with pytest.raises(ValueError, match="not 'publish'"):
        listed(status="publish")


def test_rosters_made_re_planned_and_published_are_in_the_audit_trail(engine):
    from planner.storage.audit import audit_trail

    first = storage.save_roster(engine, "S01", WEEK, _document(1), "ana")
    storage.publish_roster(engine, first, "ben")
    second = storage.save_roster(engine, "S01", WEEK, _document(2), "ana", note="re-plan: E1 away 2026-12-08")
    storage.publish_roster(engine, second, "cleo")
    storage.publish_roster(engine, second, "dan")  # again: nothing changes, nothing recorded
    trail = audit_trail(engine, "S01", actions=["roster", "publish", "re-plan"]).iloc[::-1]  # oldest first
    # a roster made was recorded as a "plan" ("plan S01 roster 2 made")
    assert list(zip(trail["actor"], trail["action"], strict=True)) == [
        ("ana", "roster"), ("ben", "publish"), ("ana", "re-plan"), ("cleo", "publish")]
    assert f"roster {first} superseded" in trail["summary"].iloc[-1]
    assert "re-plan: E1 away 2026-12-08" in trail["summary"].iloc[-1]
    assert audit_trail(engine, "S02", actions=["roster", "publish", "re-plan"]).empty  # S02 only had its import


def test_a_roster_for_an_unknown_store_or_week_is_refused_in_words(engine):
    with pytest.raises(PlannerError, match="no store 'S99'"):
        storage.save_roster(engine, "S99", WEEK, _document(1), "ana")
    with pytest.raises(PlannerError, match="not an ISO week"):
        storage.save_roster(engine, "S01", "2025-W53", _document(1), "ana")
    with pytest.raises(PlannerError, match="not JSON"):
        storage.save_roster(engine, "S01", WEEK, "{", "ana")
    with pytest.raises(PlannerError, match="no saved roster 999"):
        storage.load_roster(engine, 999)
