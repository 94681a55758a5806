"""The Schedule page at 1024 px wide in a real browser (Debian's Chromium through Playwright), on the sample: the day
picker shows every day in full, and the day's shift chart (one row per person, headcount as numbers) fits the page.

Reuses the app server and browser tab of `test_browser.py`.
"""

from __future__ import annotations

from test_browser import EXCEPTION, _open, _screenshot, _settled, page, pytestmark, server  # noqa: F401 (fixtures, skip)

NARROW = {"width": 1024, "height": 768}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def test_the_schedule_reads_at_1024_px_one_day_at_a_time(page):  # noqa: F811
    _open(page, "schedule")
    page.set_viewport_size(NARROW)
    _settled(page)
    page.get_by_role("button", name="Make schedule").click()
    page.get_by_text("Shifts, Mon").wait_for()
    _settled(page, charts=2)
    main = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    for day in WEEKDAYS:  # every day of the picker is on screen, none cut off at either edge
        box = _day_button(page, day).bounding_box()
        assert box is not None and main["x"] <= box["x"] and box["x"] + box["width"] <= main["x"] + main["width"], day
    _day_button(page, "Sat").click()
    page.get_by_text("Shifts, Sat").wait_for()
    _settled(page, charts=2)
    gantt = page.locator("[data-testid='stPlotlyChart']").first
    assert gantt.bounding_box()["width"] <= main["width"]
    bar_texts = gantt.locator(".bartext").evaluate_all("texts => texts.map(text => text.textContent)")
    assert bar_texts and all("–" in text for text in bar_texts)  # each person's times are written on the bar
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
    assert page.locator(EXCEPTION).count() == 0
    _screenshot(page, "schedule_1024")


def _day_button(page, day: str):  # noqa: F811
    return page.locator("[data-testid='stButtonGroup'] button").filter(has_text=day).first
