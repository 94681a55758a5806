"""The Schedule page's day of a store, driven with streamlit's AppTest on the bundled sample: a day the store does not
open is said in the words My store and the Plans page say it in, with no empty chart."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app_pages import state
from planner.settings import DATABASE_URL_ENV

from conftest import ROOT

APP = str(ROOT / "app.py")
TIMEOUT_SECONDS = 90


def test_a_closed_day_of_a_schedule_says_so_with_no_empty_chart(sample_url, monkeypatch):
    """S02 is closed on Sundays (data/stores.csv). The Schedule page drew an empty Gantt chart and an empty coverage
    chart for its Sunday, with no word that the store is closed."""
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).run()
    app.switch_page("app_pages/schedule.py").run()
    app.multiselect(key=state.SCHEDULE_STORES).set_value(["S02"]).run()
    app.button(key=state.SCHEDULE_RUN).click().run()
    assert not app.exception and not app.error
    assert len(app.get("plotly_chart")) == 2  # Monday: its shifts and its coverage
    app.segmented_control(key=state.SCHEDULE_VIEW_WEEKDAY).set_value(6).run()
    assert not app.exception and not app.error
    said = [box.value for box in app.info if "closed" in box.value]
    assert said == ["S02 is closed on Sunday: nothing to staff. Pick another day."]
    assert not app.get("plotly_chart")
    app.segmented_control(key=state.SCHEDULE_VIEW_WEEKDAY).set_value(5).run()  # Saturday: open, its two charts
    assert len(app.get("plotly_chart")) == 2 and not [box for box in app.info if "closed" in box.value]


def test_the_link_to_the_plans_page_says_where_published_plans_are_reviewed(sample_url, monkeypatch):
    """The walk: the Schedule page's link read "Plans for dated weeks: make, publish and review them on the Plans
    page", but the Plans page reviews nothing: a published plan is held against the counts since under *Plan vs
    actual* on My store (and Compare stores). The link now says so, and each page is checked for what it claims."""
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).run()
    app.switch_page("app_pages/schedule.py").run()
    (label,) = [link.proto.label for link in app.get("page_link") if link.proto.label.startswith("Plans for dated")]
    assert label == "Plans for dated weeks: make and publish them on the Plans page (Plan vs actual on My store)"
    app.switch_page("app_pages/plans.py").run()
    assert not [header for header in app.subheader if "Plan vs actual" in header.value]
    app.switch_page("app_pages/my_store.py").run()
    assert [header.value for header in app.subheader if header.value.startswith("Plan vs actual")] == ["Plan vs actual"]
