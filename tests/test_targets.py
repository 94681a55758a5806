"""`planner.targets`: each store's targets resolved once (settings <- store file <- what-if), against tables worked
out by hand, and the stages reading them: a what-if value must give what the same value written into the store
file gives, through demand (patience) and staffing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner import pipeline, storage
from planner.demand import estimate_demand
from planner.errors import InvalidRequest, PlannerError
from planner.io import read_table, validate_observations, validate_stores
from planner.io.stores import opening_week
from planner.settings import ImportRules, Settings, SimulationRules
from planner.targets import (SETTING, STORE_FILE, TARGET_NAMES, WHAT_IF, check_what_if, not_the_setting,
                             resolve_service_cv, resolve_targets, stores_with_targets, targets_of)

from conftest import DATA

STORES = pd.DataFrame({
    "store_id": ["A", "B", "C"],
    "min_staff": pd.array([2, 1, 3], dtype="Int64"),
    "max_staff": pd.array([3, 8, 9], dtype="Int64"),
    "target_service_level": pd.array([0.9, None, None], dtype="Float64"),
    "target_wait_seconds": pd.array([None, 30.0, None], dtype="Float64"),
    "patience_minutes": pd.array([None, None, None], dtype="Float64"),
    "max_abandon_share": pd.array([None, None, None], dtype="Float64"),
})


def test_store_file_first_then_the_settings():
    resolved = resolve_targets(STORES, Settings()).set_index("store_id")
    assert list(resolved["target_service_level"]) == pytest.approx([0.9, 0.8, 0.8])
    assert list(resolved["target_service_level_source"]) == [STORE_FILE, SETTING, SETTING]
    assert list(resolved["target_wait_seconds"]) == pytest.approx([60, 30, 60])
    assert list(resolved["patience_minutes"]) == pytest.approx([5, 5, 5])
    assert list(resolved["min_staff"]) == [2, 1, 3] and resolved["min_staff"].dtype == np.int64
    assert list(resolved["min_staff_source"]) == [STORE_FILE] * 3


def test_a_what_if_value_wins_for_every_store_and_says_so():
    resolved = resolve_targets(STORES, Settings(), {"target_wait_seconds": 20, "min_staff": 4}).set_index("store_id")
    assert list(resolved["target_wait_seconds"]) == pytest.approx([20, 20, 20])
    assert set(resolved["target_wait_seconds_source"]) == {WHAT_IF}
    assert list(resolved["target_service_level"]) == pytest.approx([0.9, 0.8, 0.8])  # untouched
    assert targets_of(resolved.reset_index(), "B") == {
        "target_service_level": 0.8, "target_wait_seconds": 20.0, "patience_minutes": 5.0,
        "max_abandon_share": 0.05, "min_staff": 4}


def test_settings_changed_reach_the_stores_without_their_own_value():
    resolved = resolve_targets(STORES, Settings().with_targets(target_service_level=0.95)).set_index("store_id")
    assert list(resolved["target_service_level"]) == pytest.approx([0.9, 0.95, 0.95])


def test_filled_stores_have_no_blank_target_and_room_for_the_floor():
    filled = stores_with_targets(STORES, Settings(), {"min_staff": 3})
    assert not filled[list(TARGET_NAMES)].isna().any().any()
    assert list(filled["min_staff"]) == [3, 3, 3]
    assert list(filled["max_staff"]) == [3, 8, 9]
    floor = Settings().with_targets(min_staff=5)  # a chain setting: A's 3 raised to hold the floor
    assert list(stores_with_targets(STORES.assign(min_staff=pd.NA), floor)["max_staff"]) == [5, 8, 9]


def test_a_what_if_floor_above_a_stores_maximum_is_refused_naming_it():
    """`plan --min-staff 100` planned 100 staff in a store that takes 8 (raising its maximum without a word) and
    called the schedule optimal."""
    with pytest.raises(InvalidRequest, match=r"min_staff 5 is above .* of A \(3\): give at most 3"):
        stores_with_targets(STORES, Settings(), {"min_staff": 5})
    with pytest.raises(InvalidRequest, match=r"of B \(8\), C \(9\): give at most 8"):
        stores_with_targets(STORES.iloc[1:], Settings(), {"min_staff": 10})


@pytest.mark.parametrize("what_if", [{"target_service_level": 1.0}, {"max_abandon_share": 0}, {"min_staff": 1.5},
                                     {"patience_minutes": -2}, {"wage_per_hour": 10}, {"target_wait_seconds": None}])
def test_a_what_if_outside_its_range_is_refused_by_name(what_if):
    with pytest.raises(PlannerError, match=next(iter(what_if))):
        check_what_if(what_if)


def test_the_stores_not_planning_with_a_setting_are_listed_per_target_by_source():
    assert not_the_setting(resolve_targets(STORES, Settings())) == {
        "target_service_level": {STORE_FILE: ["A"]}, "target_wait_seconds": {STORE_FILE: ["B"]},
        "patience_minutes": {}, "max_abandon_share": {}, "min_staff": {STORE_FILE: ["A", "B", "C"]}}
    assert not_the_setting(resolve_targets(STORES, Settings(), {"target_wait_seconds": 20}))[
        "target_wait_seconds"] == {WHAT_IF: ["A", "B", "C"]}


@pytest.fixture(scope="module")
def sample():
    stores = validate_stores(read_table((DATA / "stores.csv").read_bytes(), "stores.csv")).frame
    observations = validate_observations(read_table((DATA / "observations.csv").read_bytes(), "observations.csv"),
                                         opening_week(stores), ImportRules()).frame
    chosen = stores[stores["store_id"].isin(["S01", "S02"])].reset_index(drop=True)
    return observations[observations["store_id"].isin(["S01", "S02"])], chosen


def test_a_what_if_patience_reaches_demand_as_the_store_file_would(sample):
    observations, stores = sample
    settings = Settings()
    by_what_if = pipeline.demand_from_frames(observations, stores, settings, {"patience_minutes": 1.0})
    by_file = estimate_demand(observations, stores.assign(patience_minutes=pd.array([1.0] * len(stores),
                                                                                    dtype="Float64")), settings)
    pd.testing.assert_frame_equal(by_what_if, by_file)
    # and it matters: a shorter patience means more help-seekers lost behind the counted ones
    usual = pipeline.demand_from_frames(observations, stores, settings)
    assert by_what_if["assisted_per_hour"].sum() > usual["assisted_per_hour"].sum()


def test_a_what_if_target_reaches_staffing_as_the_store_file_would(sample):
    observations, stores = sample
    settings = Settings()
    what_if = {"target_service_level": 0.95, "target_wait_seconds": 20.0}
    by_what_if = pipeline.recommend_from_frames(observations, stores, settings, what_if=what_if)
    written = stores.assign(**{name: pd.array([value] * len(stores), dtype="Float64")
                               for name, value in what_if.items()})
    by_file = pipeline.recommend_from_frames(observations, written, settings)
    pd.testing.assert_frame_equal(by_what_if, by_file)
    usual = pipeline.recommend_from_frames(observations, stores, settings)
    assert by_what_if["required_staff"].sum() > usual["required_staff"].sum()


def test_a_stores_service_cv_is_its_store_files_else_the_setting():
    stores = STORES.assign(service_cv=pd.array([1.5, None, 0.4], dtype="Float64"))
    settings = Settings(simulation=SimulationRules(service_cv=0.8))
    resolved = resolve_service_cv(stores, settings).set_index("store_id")
    assert list(resolved["service_cv"]) == pytest.approx([1.5, 0.8, 0.4])
    assert list(resolved["service_cv_source"]) == [STORE_FILE, SETTING, STORE_FILE]
    assert list(resolve_service_cv(STORES, settings)["service_cv"]) == pytest.approx([0.8] * 3)  # no such column


def test_an_imported_service_cv_is_stored_and_reaches_the_simulation(engine, settings):
    from planner.intake import import_files
    from planner.simulation.week import store_service_cv

    stores = pd.read_csv(DATA / "stores.csv", dtype=str, keep_default_na=False)
    stores["service_cv"] = ["1.5"] + [""] * (len(stores) - 1)
    files = [("stores.csv", stores.to_csv(index=False).encode())]
    assert import_files(engine, files, ImportRules())[0].rows_added == len(stores)
    stored = storage.load_stores(engine)
    assert [store_service_cv(stored, store, settings) for store in stores["store_id"][:2]] == [
        1.5, settings.simulation.service_cv]
