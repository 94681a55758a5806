"""The likely staff range above a store's max_staff reads the same on My store and in the files: S07 (max_staff 16)
on Saturday at 17:00 is recommended 17 with a likely range 13 to 22; the page shows "13–17 above max", and
`recommend --out` and a plan's plan_requirement.csv gave 13 to 22 with nothing saying the high end is above what the
store takes. Both files keep the uncapped high (a planner needs it) and now carry the page's capped high and note."""

from __future__ import annotations

import contextlib
import io

import pandas as pd
import pytest

from app_pages.tables import MAX_STAFF_NOTE, hourly_table
from planner import pipeline
from planner.cli import main
from planner.export import ABOVE_MAX, CAPPED_HIGH, MAX_STAFF_NOTE as NOTE
from planner.io import read_table, validate_observations, validate_stores
from planner.io.stores import opening_week
from planner.plans import Plan, PlanRequest
from planner.plans.export import requirement_table
from planner.settings import ImportRules
from planner.surfaces.my_store import RANGE_CUT_AT_MAX

from conftest import DATA

SATURDAY = 5
MAX_STAFF = 16


def _expected_high(high, staff) -> int:
    """Independent of the code: above max_staff the range stops there, or at the recommendation if that is above."""
    return int(high) if high <= max(MAX_STAFF, staff) else int(max(MAX_STAFF, staff))


def _expected_note(high, staff) -> str:
    return "" if high <= max(MAX_STAFF, staff) else ABOVE_MAX if staff > MAX_STAFF else RANGE_CUT_AT_MAX


@pytest.fixture(scope="module")
def recommended(tmp_path_factory, sample_db):
    from conftest import sqlite_copy

    folder = tmp_path_factory.mktemp("recommend")
    url = sqlite_copy(sample_db, folder / "planner.db")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--database-url", url, "recommend", "--store", "S07", "--out", str(folder / "r.csv")])
    assert code == 0, err.getvalue()
    return pd.read_csv(folder / "r.csv", keep_default_na=False, dtype={NOTE: str})


def test_the_recommend_file_keeps_the_high_end_and_says_the_page_s_cap(recommended):
    row = recommended[(recommended["weekday"] == SATURDAY) & (recommended["hour"] == 17)].iloc[0]
    assert (row["required_staff"], row["required_staff_low"], row["required_staff_high"]) == (17, 13, 22)
    assert (row[CAPPED_HIGH], row[NOTE]) == (17, "above max")  # the page's words: the file said "above the store's max"
    counted = recommended[recommended["required_staff_high"].astype(str) != ""]
    for high, staff, top, note in zip(counted["required_staff_high"].astype(int), counted["required_staff"].astype(int),
                                      counted[CAPPED_HIGH].astype(int), counted[NOTE], strict=True):
        assert (top, note) == (_expected_high(high, staff), _expected_note(high, staff))
    # the page's hourly table of the same rows says the same
    table = recommended.replace("", pd.NA).astype({c: "Int64" for c in ("required_staff", "required_staff_low",
                                                                        "required_staff_high")})
    shares = [c for c in table.columns if c.endswith(" (%)")]  # the file's shares are in percent: back to 0-1
    table = table.assign(**{c.removesuffix(" (%)"): table[c].astype("Float64") / 100 for c in shares})
    page = hourly_table(table, "S07", SATURDAY, MAX_STAFF)
    at_five = page[page["hour"] == "17:00"].iloc[0]
    assert (at_five["likely_range"], at_five[MAX_STAFF_NOTE]) == ("13–17", "above max")


@pytest.fixture(scope="module")
def plan():
    stores = validate_stores(read_table((DATA / "stores.csv").read_bytes(), "stores.csv")).frame
    observations = validate_observations(read_table((DATA / "observations.csv").read_bytes(), "observations.csv"),
                                         opening_week(stores), ImportRules()).frame
    return pipeline.make_plan_from_frames(observations, stores, PlanRequest(weeks=("2026-W50",), store_ids=("S07",)),
                                          parallel=False)


def test_the_plan_requirement_keeps_the_high_end_and_says_the_page_s_cap(plan):
    for made in (plan, Plan.from_json(plan.to_json())):  # a saved plan reads the store's maximum it was made with
        table = requirement_table(made)
        row = table[(table["day"] == "Sat") & (table["hour"] == "17:00")].iloc[0]
        assert (row["recommended_staff"], row["required_staff_low"], row["required_staff_high"]) == (17, 13, 22)
        assert (row[CAPPED_HIGH], row[NOTE]) == (17, ABOVE_MAX)
        counted = table.dropna(subset=["required_staff_high"])
        assert [(int(t), n) for t, n in zip(counted[CAPPED_HIGH], counted[NOTE], strict=True)] == [
            (_expected_high(h, s), _expected_note(h, s))
            for h, s in zip(counted["required_staff_high"], counted["recommended_staff"], strict=True)]
