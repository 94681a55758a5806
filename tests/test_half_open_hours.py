"""A store open for part of an hour (S01 opening at 09:30 and closing at 20:30 from Monday to Saturday): its schedule
requires staff in the open halves only (`planner.shifts.from_hourly`), so its plan's required staff-hours are 541;
but the plan's day lines counted the 09:00 and 20:00 hours whole and added up to 581, and My store and Compare said
581 needed staff-hours too. Every sum of staff-hours over hours now counts such an hour by its open minutes."""

from __future__ import annotations

import contextlib
import io
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app_pages import compare as compare_page, state
from planner import compare, pipeline
from planner.cli import main
from planner.hours import parse_opening_hours
from planner.io import read_table, validate_observations, validate_stores
from planner.io.stores import opening_week
from planner.plans import Plan, PlanRequest
from planner.plans.export import plan_text, requirement_table
from planner.settings import DATABASE_URL_ENV, ImportRules, Settings
from planner.shifts.instance import SLOT_MINUTES, open_slot_mask

from conftest import DATA

ROOT = DATA.parent
USUAL = "S01,Berlin Mitte Electronics,North,electronics," + "10:00-20:00," * 6
HALF_OPEN = "S01,Berlin Mitte Electronics,North,electronics," + "09:30-20:30," * 6
DAY_LINE = re.compile(r"^S01 (\w{3}) \S+: ([\d.]+) open hours?, ([\d.]+) staff-hours? required", re.M)


def _stores_text() -> str:
    usual = (DATA / "stores.csv").read_text()
    assert usual.count(USUAL) == 1
    return usual.replace(USUAL, HALF_OPEN)


@pytest.fixture(scope="module")
def frames():
    stores = validate_stores(read_table(_stores_text().encode(), "stores.csv")).frame
    observations = validate_observations(read_table((DATA / "observations.csv").read_bytes(), "observations.csv"),
                                         opening_week(stores), ImportRules()).frame
    return observations, stores


@pytest.fixture(scope="module")
def plan(frames):
    observations, stores = frames
    return pipeline.make_plan_from_frames(observations, stores, PlanRequest(weeks=("2026-W50",), store_ids=("S01",)),
                                          parallel=False)


def test_an_hours_open_minutes_are_the_half_hours_its_schedule_plans():
    """09:30-20:30 holds 30 minutes of 09:00 and of 20:00; a 09:15 opening is planned from 09:00 (a schedule's half
    hours), so its 09:00 counts whole, as its 20:00 of a close at 20:45; the tail of an opening past midnight counts
    on the day it falls on."""
    from planner.staff_hours import open_minutes_by_hour

    week = tuple(parse_opening_hours(text) for text in (
        "09:30-20:30", "09:15-20:45", "closed", "10:00-24:00", "18:00-02:30", "07:00-22:00", "12:00-18:00"))
    expected = np.zeros((7, 24), dtype=int)
    expected[0, 10:20], expected[0, [9, 20]] = 60, 30
    expected[1, 9:21] = 60
    expected[3, 10:24] = 60
    expected[4, 18:24] = 60
    expected[5, 0:2], expected[5, 2], expected[5, 7:22] = 60, 30, 60  # Friday's night, then Saturday's own
    expected[6, 12:18] = 60
    assert open_minutes_by_hour(week).tolist() == expected.tolist()
    # the schedule's own half hours are the same ones
    slots = open_slot_mask(tuple(None if h is None else (h.open_minute, h.close_minute) for h in week))
    assert (slots.reshape(7, 24, -1).sum(axis=2) * SLOT_MINUTES == expected).all()


def test_the_plans_day_lines_add_up_to_its_total(plan):
    total = float(plan.schedules["required_staff_hours"].sum())
    days = DAY_LINE.findall(plan_text(plan))
    assert len(days) == 7
    # each day's figure is its requirement, the 09:00 and 20:00 hours at half (they said 86 + ... + 35 = 581 of 541)
    rows = requirement_table(plan)
    half = (rows["day"] != "Sun") & rows["hour"].isin(["09:00", "20:00"])
    by_hand = (rows["required_staff"] * np.where(half, 0.5, 1.0)).groupby(rows["day"], sort=False).sum()
    assert {day: float(said) for day, _, said in days} == by_hand.to_dict()
    assert sum(float(said) for _, _, said in days) == pytest.approx(total)
    assert [float(hours) for _, hours, _ in days] == [11] * 6 + [6]  # 09:30-20:30, and Sunday's 12:00-18:00
    # plan_requirement.csv: its open minutes weigh each hour as the total does
    assert (rows["required_staff"] * rows["open_minutes"] / 60).sum() == pytest.approx(total)
    assert set(rows.loc[half, "open_minutes"]) == {30} and set(rows.loc[~half, "open_minutes"]) == {60}
    # a saved plan is read back from its document and says the same
    assert plan_text(Plan.from_json(plan.to_json())) == plan_text(plan)


def test_a_plan_saved_before_it_kept_the_open_minutes_counts_its_hours_whole(plan):
    """A document without the column (plans saved before it) reads, and counts its hours whole as it was made to."""
    import json

    document = json.loads(plan.to_json())
    for record in document["frames"]["staffing"]:
        del record["open_minutes"]
    old = Plan.from_json(json.dumps(document))
    assert old.staffing["open_minutes"].isna().all()
    said = sum(float(figure) for _, _, figure in DAY_LINE.findall(plan_text(old)))
    assert said == float(requirement_table(old)["required_staff"].sum())


def test_compare_and_my_store_count_the_week_as_the_plan_does(frames, plan):
    observations, stores = frames
    recommendation = pipeline.recommend_from_frames(observations, stores, Settings(), store_ids=["S01"])
    kpis = compare.store_kpis(recommendation, stores).set_index("store_id").loc["S01"]
    total = float(plan.schedules["required_staff_hours"].sum())
    assert kpis["needed_staff_hours"] == pytest.approx(total)  # 581 before
    assert kpis["needed_wage_cost"] == pytest.approx(total * 19.50)
    # like for like: the staff on duty was counted only in 10:00-20:00, so those hours weigh whole
    known = recommendation["current_staff"].notna()
    assert kpis["needed_staff_hours_where_current_known"] == float(recommendation.loc[known, "required_staff"].sum())


def _run(url: str, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--database-url", url, *argv])
    return code, out.getvalue(), err.getvalue()


def test_the_cli_my_store_and_compare_agree_with_the_plans_total(sample_url, tmp_path, monkeypatch):
    (tmp_path / "stores.csv").write_text(_stores_text())
    assert _run(sample_url, "import", "--stores", str(tmp_path / "stores.csv"))[0] == 0
    code, out, err = _run(sample_url, "plan", "--week", "2026-W50", "--store", "S01")
    assert code == 0, err
    total = float(re.search(r"^S01 +[\d.]+ +([\d.]+) ", out, re.M)[1])
    assert sum(float(figure) for _, _, figure in DAY_LINE.findall(out)) == total

    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    app.switch_page("app_pages/my_store.py").run()
    assert not app.exception
    assert next(m.value for m in app.metric if m.label == "Staff-hours this week") == f"{total:,.0f}"
    app.switch_page("app_pages/compare.py").run()
    group = next(name for name, columns in compare_page.MEASURES.items() if "needed_staff_hours" in columns)
    app.button_group(key=state.COMPARE_MEASURES).set_value(group).run()
    assert not app.exception
    table = app.dataframe[0].value
    needed = table.loc[table["Store"].str.startswith("S01 "), compare_page.SHORT["needed_staff_hours"][0]]
    assert needed.tolist() == [pytest.approx(total)]


def test_each_rows_minutes_are_its_own_stores_among_many():
    """`minutes_open` reads every row against its own store's openings, rows of stores interleaved, stores sharing
    an opening week, and a store the store table does not hold counted whole (one lookup for the chain: a loop over
    stores comparing every row's id took 1.8 s for 1,000 stores' weeks)."""
    import pandas as pd

    from planner.staff_hours import minutes_open

    week = {day: "09:30-20:30" for day in ("mon", "tue", "wed", "thu", "fri", "sat")} | {"sun": "closed"}
    stores = pd.DataFrame([{"store_id": "A", **week}, {"store_id": "B", **{d: "09:00-21:00" for d in week}},
                           {"store_id": "C", **week}])
    frame = pd.DataFrame({"store_id": ["B", "A", "C", "X", "A", "C", "B"], "weekday": [0, 0, 5, 0, 2, 6, 6],
                          "hour": [9, 9, 20, 9, 12, 9, 20]})
    assert minutes_open(frame, stores).tolist() == [60, 30, 30, 60, 60, 60, 60]


# S01 open 09:30-20:30 from Monday to Saturday and 12:00-17:30 on Sunday: 6 x 11 + 5.5 = 71.5 open hours, in 78
# clock hours (the 09:00, 20:00 and Sunday's 17:00 open for 30 minutes each)
HALF_SUNDAY = HALF_OPEN + "12:00-17:30,"
OPENING = {day: "09:30-20:30" for day in range(6)} | {6: "12:00-17:30"}


def _half_sunday_text() -> str:
    text = _stores_text()
    assert text.count(HALF_OPEN + "12:00-18:00,") == 1
    return text.replace(HALF_OPEN + "12:00-18:00,", HALF_SUNDAY)


def _minutes_by_hand(weekday: int, hour: int) -> int:
    """The minutes of clock hour `hour` of `weekday` inside S01's opening of that day (`OPENING`)."""
    first, last = ((int(t[:2]) * 60 + int(t[3:])) for t in OPENING[weekday].split("-"))
    return max(0, min(last, hour * 60 + 60) - max(first, hour * 60))


@pytest.fixture(scope="module")
def half_sunday():
    """(stores, recommendation of S01) with S01 open `OPENING`."""
    stores = validate_stores(read_table(_half_sunday_text().encode(), "stores.csv")).frame
    observations = validate_observations(read_table((DATA / "observations.csv").read_bytes(), "observations.csv"),
                                         opening_week(stores), ImportRules()).frame
    return stores, pipeline.recommend_from_frames(observations, stores, Settings(), store_ids=["S01"])


def test_compare_and_my_store_count_open_hours_by_their_open_minutes(half_sunday):
    """Compare's open hours, and My store's "of N open hours", said 78 for S01's week: every clock hour whole."""
    from app_pages.tables import weekly_total

    stores, recommendation = half_sunday
    minutes = [_minutes_by_hand(day, hour) for day, hour in zip(recommendation["weekday"], recommendation["hour"])]
    assert len(minutes) == 78 and sum(minutes) == 71.5 * 60
    kpis = compare.store_kpis(recommendation, stores)
    assert kpis.set_index("store_id").loc["S01", "open_hours"] == 71.5
    regions = compare.region_totals(kpis).set_index("region")
    assert regions.loc["North", "open_hours"] == regions.loc["all regions", "open_hours"] == 71.5
    assert weekly_total(recommendation, stores, "S01")["open_hours"] == 71.5


def test_my_stores_hour_by_hour_file_gives_each_hours_open_minutes(half_sunday):
    """The manager's file had no minutes: its recommended staff summed whole hours, 4 more staff-hours than the
    week's figure above it; with open_minutes beside the hour, as plan_requirement.csv has it, they add up."""
    import pandas as pd

    from planner.calendar import business_week_rows
    from planner.export import manager_recommendation_csv

    stores, recommendation = half_sunday
    text = manager_recommendation_csv(recommendation, stores, "targets")
    rows = pd.read_csv(io.StringIO(text))
    assert list(rows.columns[:3]) == ["day", "hour", "open_minutes"]
    keyed = business_week_rows(recommendation, stores).sort_values(["weekday", "hour"])
    assert rows["open_minutes"].tolist() == [_minutes_by_hand(d, h) for d, h in zip(keyed["weekday"], keyed["hour"])]
    week = compare.store_kpis(recommendation, stores).set_index("store_id").loc["S01"]
    assert (rows["recommended_staff"] * rows["open_minutes"] / 60).sum() == pytest.approx(week["needed_staff_hours"])
    assert rows["recommended_staff"].sum() > week["needed_staff_hours"]  # counted whole, the hours say more


def test_my_store_and_compare_show_the_open_hours_by_minutes(sample_url, tmp_path, monkeypatch):
    (tmp_path / "stores.csv").write_text(_half_sunday_text())
    assert _run(sample_url, "import", "--stores", str(tmp_path / "stores.csv"))[0] == 0
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    app.switch_page("app_pages/my_store.py").run()
    assert not app.exception
    gaps = next(m for m in app.metric if m.label == "Hours with no estimate")
    assert gaps.help.startswith("Open hours without a recommendation, of 71.5 open hours:"), gaps.help
    assert gaps.value == "0"  # a count of open hours, written as the sentence writes them (not "0.0")
    app.switch_page("app_pages/compare.py").run()
    group = next(name for name, columns in compare_page.MEASURES.items() if "open_hours" in columns)
    app.button_group(key=state.COMPARE_MEASURES).set_value(group).run()
    assert not app.exception
    stores_table, regions_table = app.dataframe[0].value, app.dataframe[1].value
    header = compare_page.SHORT["open_hours"][0]
    assert stores_table.loc[stores_table["Store"].str.startswith("S01 "), header].tolist() == [71.5]
    north = regions_table.loc[regions_table["Region"] == "North", header].tolist()
    usual = (DATA / "stores.csv").read_text()
    assert usual.count(",North,") > 1  # the region's other stores open on the hour: their clock hours are whole
    assert north[0] % 1 == 0.5


def test_compares_hours_known_short_and_over_are_open_hours_too():
    """Beside Open (h), by open minutes, Known (h), Short (h) and Over (h) counted every clock hour whole: a store
    whose staff was counted in each hour of 09:30-11:30 read 3 hours known of 2 open. By hand: 09:00 (30 min, short
    by 1), 10:00 (60 min, over by 1), 11:00 (30 min, never counted: no estimate)."""
    import pandas as pd

    nan = float("nan")
    stores = pd.DataFrame({"store_id": ["H"], "name": ["Half"], "region": ["North"], "format": ["x"],
                           "wage_per_hour": [10.0], "mon": ["09:30-11:30"],
                           **{day: ["closed"] for day in ("tue", "wed", "thu", "fri", "sat", "sun")}})
    recommendation = pd.DataFrame({
        "store_id": ["H"] * 3, "weekday": [0] * 3, "hour": [9, 10, 11],
        "assisted_per_hour": [4.0, 6.0, nan], "self_service_per_hour": [2.0, 2.0, nan],
        "required_staff": pd.array([2, 3, None], dtype="Int64"), "current_staff": [1.0, 4.0, nan],
        "lost_customers_per_hour_at_current": [0.5, 0.0, nan]})
    row = compare.store_kpis(recommendation, stores).iloc[0]
    hours = ["open_hours", "hours_without_estimate", "current_known_hours", "understaffed_hours", "overstaffed_hours"]
    assert row[hours].tolist() == [2.0, 0.5, 1.5, 0.5, 1.0]
    assert (row["staff_hours_short"], row["staff_hours_over"]) == (0.5, 1.0)  # weighted so already
    assert row["current_known_hours"] <= row["open_hours"]


def test_a_plan_refused_for_having_no_shift_says_its_open_hours_as_its_days_do(frames):
    """A store never counted, open 09:30-20:30, was refused publishing as "78 open hours": its plan's days say 11
    each from Monday to Saturday and 6 on Sunday, 72."""
    import pandas as pd

    from planner.saved_plans import empty_store_weeks

    observations, stores = frames
    never = stores[stores["store_id"] == "S01"].assign(store_id="S10", name="Never Counted")
    stores = pd.concat([stores[stores["store_id"] != "S10"], never], ignore_index=True)
    plan = pipeline.make_plan_from_frames(observations, stores, PlanRequest(weeks=("2026-W50",), store_ids=("S10",)),
                                          parallel=False)
    assert len(plan.staffing) == 78
    said = sum(float(hours) for _, hours, _ in DAY_LINE.findall(plan_text(plan).replace("S10 ", "S01 ")))
    assert said == 6 * 11 + 6
    (store, week, described, counted, *_), = empty_store_weeks(plan)
    assert (store, week, counted) == ("S10", "2026-W50", False)
    assert described == "72 open hours", described
