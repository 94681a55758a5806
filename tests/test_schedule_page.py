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
