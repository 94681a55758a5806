"""My store as a store manager reads it: what the page says under its chart where this week has no published plan,
and the hourly table's columns. Driven with streamlit's AppTest on a copy of the bundled sample, today pinned by
conftest (2026-12-01, so this week is 2026-W49)."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import state
from conftest import ROOT
from planner import cli, clock, storage
from planner.access.scope import Scope
from planner.calendar import IsoWeek
from planner.cli_flags import EXIT_OK
from planner.settings import DATABASE_URL_ENV, Settings

APP = str(ROOT / "app.py")
MY_STORE = "app_pages/my_store.py"
TIMEOUT_SECONDS = 90


def _as_manager(monkeypatch, store: str) -> AppTest:
    """The app signed in as the store manager of `store`, on My store."""
    from app_pages import signin

    monkeypatch.setattr(signin, "session_scope",
                        lambda rules: Scope(user="sam", role="store_manager", stores=frozenset({store})))
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).run()
    app.switch_page(MY_STORE).run()
    assert not app.exception and not app.error
    return app


def _said(app: AppTest) -> list[str]:
    return [caption.value.replace("\\", "") for caption in app.caption]


def _links(app: AppTest) -> list:
    return [link.proto for link in app.get("page_link")]


def test_a_week_without_a_published_plan_names_the_later_weeks_that_have_one(sample_url, monkeypatch):
    """The walk (57_mgr_mystore_1024): with next week's plan published and none for this week, the page said "No plan
    of S02 is published for 2026-W50 and no schedule was made in this session: make one to see the scheduled staff
    here": a manager read "you have no plan", and was told to make what only a planner publishes. It now says this
    week has none, names the later weeks published with their plans, links the soonest, and offers the Schedule page
    for what a store manager may do there (a schedule for the session, published nowhere). The truth: the plans the
    command line published, as storage lists them."""
    this_week = IsoWeek.of(clock.today())
    # published out of order: the soonest is named first
    weeks = [IsoWeek.of(this_week.monday + timedelta(days=14)), IsoWeek.of(this_week.monday + timedelta(days=7))]
    for week in weeks:
        assert cli.main(["--database-url", sample_url, "plan", "--week", str(week), "--store", "S02",
                         "--publish"]) == EXIT_OK
    assert cli.main(["--database-url", sample_url, "plan", "--week", str(this_week), "--store", "S01",
                     "--publish"]) == EXIT_OK  # another store's plan of this week is not S02's
    engine = storage.connect(Settings(database_url=sample_url))
    ids = {str(week): storage.published_plan(engine, "S02", str(week)).plan_id for week in weeks}
    engine.dispose()
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _as_manager(monkeypatch, "S02")
    soonest, later = str(weeks[1]), str(weeks[0])
    said = " ".join(_said(app))
    assert (f"No plan of S02 is published for this week ({this_week}); published for later weeks: {soonest} (plan "
            f"{ids[soonest]}) and {later} (plan {ids[later]}).") in said, said
    assert "make one to see" not in said
    links = _links(app)
    (soonest_link,) = [link for link in links if link.label == f"Plan {ids[soonest]}, published for {soonest}, on "
                                                                "the Plans page"]
    assert parse_qs(soonest_link.query_string) == {state.PLANS_OPEN: [str(ids[soonest])]}
    (schedule,) = [link for link in links if "Schedule page" in link.label]
    assert "publishes nothing" in schedule.label, schedule.label


def test_a_store_with_no_plan_published_for_this_week_or_later_says_so(sample_url, monkeypatch):
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _as_manager(monkeypatch, "S02")
    said = " ".join(_said(app))
    this_week = IsoWeek.of(clock.today())
    assert (f"No plan of S02 is published for this week ({this_week}), nor for a later week yet: plans are "
            "published on the Plans page.") in said, said
    assert not [link for link in _links(app) if link.label.startswith("Plan ")]


@pytest.fixture
def s02_app(sample_url, monkeypatch) -> AppTest:
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    return _as_manager(monkeypatch, "S02")


def test_the_hourly_table_leaves_out_a_max_column_with_nothing_in_it_and_says_what_its_counts_column_rates(s02_app):
    """The walk: S02's Tuesday showed a "Max" column blank in every row, and a "Confidence" column reading "high"
    beside an hour whose range is 8-12, which read as a contradiction. A column with nothing in any row is left out,
    shown on a day where an hour's range or staff reaches the store's maximum (the sample's store file: 12 for S02);
    the other is headed "Counts" and its help says it rates how well counted the hour is, not how narrow its range
    is."""
    app = s02_app
    seen = set()
    for weekday in range(6):  # S02 is closed on Sunday
        app.button_group(key=state.MY_WEEKDAY).set_value(weekday).run()
        table = app.dataframe[0]
        columns = json.loads(table.proto.columns)
        shown = table.value
        highs = shown["likely_range"].str.extract(r"–(\d+)$")[0].dropna().astype(int)
        reaches = bool((highs >= 12).any() or (shown["required_staff"].dropna() > 12).any())
        if not reaches:  # no range can stop at the maximum, no staff is above it: nothing for the column to say
            assert "max_staff_note" not in shown.columns, (weekday, shown)
        reaches = "max_staff_note" in shown.columns
        if reaches:  # shown: some hour's note says what the maximum did to it
            assert shown["max_staff_note"].astype(bool).any(), (weekday, shown)
        seen.add(reaches)
        labels = [columns[name]["label"] for name in shown.columns]
        assert labels == ["Hour", "Staff", "Range", *(["Max"] if reaches else []), "Counts", "In time", "Wait",
                          "Give up", "On duty", "Lost now"]
        assert "not how narrow its range is" in columns["confidence"]["help"]
    assert seen == {True, False}, seen  # a day with the column and a day without: the check has teeth
