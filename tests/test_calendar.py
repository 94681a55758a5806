"""Dated weeks and the store calendar: ISO weeks against the calendar as printed, the calendar file's checks (each
defect with row, column and fix), and its exceptions applied to a week: closed dates, changed hours, business days
past midnight, and demand factors that scale customers so staff follow the queueing formulas."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from planner.calendar import (
    first_open_weekday,
    IsoWeek, business_day_rows, business_days, dated_demand, dated_stores, estimation_stores, week_exceptions,
)
from planner.hours import parse_opening_hours
from planner.io import read_table
from planner.io.calendar import validate_calendar
from planner.queueing import required_staff
from planner.settings import Settings
from planner.staffing import recommend_staff
from planner.targets import stores_with_targets

W50 = IsoWeek(2026, 50)


@pytest.mark.parametrize(("text", "monday"), [("2026-W50", date(2026, 12, 7)), ("2026w01", date(2025, 12, 29)),
                                              ("2026-W53", date(2026, 12, 28)), ("2027-W01", date(2027, 1, 4))])
def test_iso_weeks_start_on_the_monday_the_calendar_shows(text, monday):
    week = IsoWeek.parse(text)
    assert week.monday == monday and week.monday.weekday() == 0
    assert week.dates()[6] == date.fromordinal(monday.toordinal() + 6)
    assert IsoWeek.of(week.dates()[3]) == week


@pytest.mark.parametrize(("text", "says"), [("2027-W53", "no ISO week 53"), ("2026-W00", "no ISO week 0"),
                                            ("2026-50", "not an ISO week"), ("", "not an ISO week"),
                                            ("9999-W52", "year 9999: give a week of the years 1900-2199"),
                                            ("1899-W01", "year 1899"), ("2200-W01", "year 2200"),
                                            ("0001-W01", "year 1: give"),  # plans were saved for these
                                            ("٢٠٢٦-W٥٠", "is not an ISO week such as 2026-W50"),  # Arabic-Indic digits
                                            ("2026-W５０", "is not an ISO week such as 2026-W50")])  # full-width
def test_a_week_that_does_not_exist_is_refused_in_words(text, says):
    with pytest.raises(ValueError, match=says):
        IsoWeek.parse(text)


@pytest.mark.parametrize(("text", "last"), [("2027-W53", 52), ("2026-W60", 53), ("2026-W00", 53)])
def test_a_week_past_its_years_last_names_that_years_last_week(text, last):
    """`plan --week 2026-W60` said "2026 has no ISO week 60 (weeks run 1 to 52, or 53 in some years)", leaving the
    user to find out which years: 2026 has 53 weeks (its 1 January a Thursday), 2027 has 52."""
    assert date.fromisocalendar(int(text[:4]), last, 1).isocalendar().week == last  # the year has that week...
    with pytest.raises(ValueError):
        date.fromisocalendar(int(text[:4]), last + 1, 1)  # ...and none after it
    with pytest.raises(ValueError, match=f"{text[:4]}'s weeks run 1 to {last}"):
        IsoWeek.parse(text)


def _calendar(text: str, known=("S01", "S02")):
    return validate_calendar(read_table(text.encode(), "calendar.csv"), known)


def test_every_defect_of_a_calendar_file_names_row_column_and_fix():
    checked = _calendar(
        "store_id,date,closed,hours,opens,closes,demand_factor,note\n"
        ",2026-12-25,yes,,,,,Christmas\n"            # 2 fine
        "S99,2026-12-26,yes,,,,,\n"                  # 3 unknown store
        "S01,2026-13-01,maybe,9-5,25:00,,0,\n"       # 4 date, closed, hours, opens, factor
        "S01,2026-12-24,yes,10:00-14:00,,,,\n"       # 5 closed with hours
        "*,2026-12-25,,,,,1.2,\n"                    # 6 a second chain row for the 25th
        "S02,2026-12-31,,,18:00,,25,\n"              # 7 opens without closes, factor too high
        "S02,2026-12-30,,10:00-12:00,10:00,12:00,,\n"  # 8 hours twice
    )
    found = {(p.row, p.column) for p in checked.errors}
    assert found == {(3, "store_id"), (4, "date"), (4, "closed"), (4, "hours"), (4, "opens"), (4, "demand_factor"),
                     (5, "closed"), (2, "date"), (6, "date"), (7, "opens"), (7, "demand_factor"), (8, "hours")}
    assert all(p.fix for p in checked.errors) and checked.frame.empty



def test_a_calendar_store_id_typed_in_another_case_names_the_store_meant():
    """'s01' was "not in the store file" with no word of S01, where a count, employee or user file names it."""
    checked = _calendar("store_id,date,closed\ns01,2026-12-24,yes\nS99,2026-12-26,yes\n")
    messages = {p.row: p.message for p in checked.errors}
    assert messages == {2: "store 's01' is not in the store file (did you mean 'S01'?)",
                        3: "store 'S99' is not in the store file"}

def test_a_clean_calendar_is_typed_hours_normalised():
    checked = _calendar("store_id,date,closed,opens,closes,demand_factor,note\n"
                        ",2026-12-25,yes,,,,Christmas\n"
                        "S02,2026-12-31,,18:00,2:00,,late\n"
                        "S01,2026-11-27,,,,1.4,Black Friday\n")
    assert checked.ok, checked.problems
    rows = checked.frame.set_index("store_id")
    assert rows.loc["*", "closed"] and rows.loc["*", "hours"] is None
    assert rows.loc["S02", "hours"] == "18:00-02:00" and rows.loc["S02", "demand_factor"] == 1.0
    assert rows.loc["S01", "demand_factor"] == pytest.approx(1.4)


STORES = pd.DataFrame({
    "store_id": ["S01", "S02"], "name": ["a", "b"], "region": ["r", "r"], "format": ["f", "f"],
    "mon": ["10:00-20:00"] * 2, "tue": ["10:00-20:00"] * 2, "wed": ["10:00-20:00"] * 2, "thu": ["10:00-20:00"] * 2,
    "fri": ["10:00-20:00"] * 2, "sat": ["18:00-02:00", "10:00-20:00"], "sun": ["closed", "12:00-18:00"],
    "wage_per_hour": pd.array([20.0, 20.0], dtype="Float64"), "min_staff": pd.array([1, 1], dtype="Int64"),
    "max_staff": pd.array([30, 30], dtype="Int64"),
    **{name: pd.array([None, None], dtype="Float64")
       for name in ("target_service_level", "target_wait_seconds", "patience_minutes", "max_abandon_share")},
})
CALENDAR = _calendar("store_id,date,closed,hours,demand_factor\n"
                     ",2026-12-08,yes,,\n"                 # Tuesday: the chain closes ...
                     "S01,2026-12-08,,,1.5\n"              # ... but S01 opens, with 50% more customers
                     "S02,2026-12-10,,12:00-22:00,\n"      # Thursday: S02 opens later and closes later
                     "S01,2026-12-12,,,2\n").frame         # Saturday night: S01 twice the customers


def test_a_store_row_wins_over_the_chain_row_of_its_date():
    rows = week_exceptions(CALENDAR, ["S01", "S02"], W50).set_index(["store_id", "weekday"])
    assert not rows.loc[("S01", 1), "closed"] and rows.loc[("S01", 1), "demand_factor"] == 1.5
    assert rows.loc[("S01", 1), "source"] == "store"
    assert rows.loc[("S02", 1), "closed"] and rows.loc[("S02", 1), "source"] == "chain"
    assert week_exceptions(CALENDAR, ["S01"], IsoWeek(2026, 51)).empty


def test_hours_past_midnight_belong_to_the_business_day_they_close():
    days = business_days(STORES)["S01"]
    assert days[5, 18] == 5 and days[6, 0] == 5 and days[6, 1] == 5  # Saturday 18:00-02:00 runs into Sunday
    assert days[6, 2] == -1 and days[6, 12] == -1  # Sunday itself closed


def _demand(stores: pd.DataFrame, arrivals_per_hour: float = 30.0, minutes: float = 5.0) -> pd.DataFrame:
    """A flat profile: every open hour `arrivals_per_hour` help-seekers, `minutes` each, no touches, no spread."""
    from planner.coverage import opening_cells

    cells = opening_cells(stores)
    n = len(cells)
    rate, serve, zero = np.full(n, arrivals_per_hour), np.full(n, minutes), np.zeros(n)
    return pd.DataFrame({
        "store_id": cells["store_id"].astype(str), "weekday": cells["weekday"].astype(int),
        "hour": cells["hour"].astype(int), "observed_hours": np.full(n, 9), "confidence": ["high"] * n,
        "visitors_per_hour": rate, "assisted_per_hour": rate, "assisted_per_hour_low": rate,
        "assisted_per_hour_high": rate, "self_service_per_hour": zero, "self_service_per_hour_low": zero,
        "self_service_per_hour_high": zero, "assisted_minutes_mean": serve, "assisted_minutes_low": serve,
        "assisted_minutes_high": serve, "touch_minutes_mean": zero, "touch_minutes_low": zero,
        "touch_minutes_high": zero, "observed_assisted_per_hour": rate, "current_staff": np.full(n, np.nan),
        "lost_customers_per_hour_at_current": np.full(n, np.nan),
    })


def test_closed_dates_drop_and_changed_hours_replace_the_weekday_hours():
    exceptions = week_exceptions(CALENDAR, ["S01", "S02"], W50)
    profile = _demand(estimation_stores(STORES, exceptions))
    week = dated_demand(profile, dated_stores(STORES, exceptions), exceptions)
    hours = week.groupby(["store_id", "weekday"])["hour"].apply(list)
    assert ("S02", 1) not in hours.index  # closed on Tuesday
    assert hours[("S01", 1)] == list(range(10, 20))  # S01's own row keeps it open
    assert hours[("S02", 3)] == list(range(12, 22))  # 12:00-22:00 instead of 10:00-20:00
    assert hours[("S02", 0)] == list(range(10, 20))  # an ordinary Monday


def test_a_demand_factor_scales_customers_and_staff_follow_the_queueing_formulas():
    exceptions = week_exceptions(CALENDAR, ["S01", "S02"], W50)
    week_stores = dated_stores(STORES, exceptions)
    week = dated_demand(_demand(STORES), week_stores, exceptions).set_index(["store_id", "weekday", "hour"])
    assert week.loc[("S01", 1, 12), "assisted_per_hour"] == pytest.approx(45.0)  # x 1.5 on Tuesday
    assert week.loc[("S01", 0, 12), "assisted_per_hour"] == pytest.approx(30.0)
    assert week.loc[("S01", 6, 1), "assisted_per_hour"] == pytest.approx(60.0)  # Saturday's x 2 past midnight
    settings = Settings()
    staff = recommend_staff(week.reset_index(), stores_with_targets(week_stores, settings), settings) \
        .set_index(["store_id", "weekday", "hour"])["required_staff"]
    targets = settings.targets
    truth = {rate: int(required_staff(rate, 5.0, target_service_level=targets.target_service_level,
                                      target_wait_seconds=targets.target_wait_seconds,
                                      patience_minutes=targets.patience_minutes,
                                      max_abandon_share=targets.max_abandon_share, min_staff=targets.min_staff))
             for rate in (30.0, 45.0)}
    assert staff[("S01", 0, 12)] == truth[30.0]
    assert staff[("S01", 1, 12)] == truth[45.0]
    assert truth[45.0] != round(1.5 * truth[30.0])  # not a linear scale of the staff


def test_a_calendar_without_dates_or_with_a_misspelt_column_says_so():
    checked = _calendar("store_id,closd,demand_factor\nS01,yes,1.2\n")
    messages = {(p.column, p.message) for p in checked.problems}
    assert ("date", "required column 'date' is missing") in messages
    assert ("closd", "column 'closd' is not used: did you mean 'closed'?") in messages


def test_a_calendar_date_years_before_or_after_today_is_a_warning_naming_row_and_fix(monkeypatch):
    """A store calendar's row dated four years back or five years ahead (2031 for 2026, 1926 for 2026) was taken
    without a word, where a count that old is warned of: each is now a warning naming the date and how far it is,
    as a count's age is, and the row is imported as it is; dates within the limit, either way, are not warned of."""
    import datetime as dt

    from planner.io import observations
    from planner.settings import MAX_CALENDAR_YEARS_AWAY

    monkeypatch.setattr(observations, "age_reference_date", lambda: dt.date(2026, 12, 6))
    within = dt.timedelta(days=int(MAX_CALENDAR_YEARS_AWAY * 365.25) - 1)
    checked = _calendar(
        "store_id,date,closed,hours,opens,closes,demand_factor,note\n"
        "S01,2022-12-01,yes,,,,,\n"                                          # 2 four years back
        "S01,2031-12-06,yes,,,,,\n"                                          # 3 five years ahead
        f"S01,{dt.date(2026, 12, 6) - within:%Y-%m-%d},yes,,,,,\n"           # 4 just within, back
        f"S01,{dt.date(2026, 12, 6) + within:%Y-%m-%d},yes,,,,,\n"           # 5 just within, ahead
        "*,2027-04-05,,,,,1.3,Easter Monday\n")                              # 6 next year
    said = {p.row: p for p in checked.problems}
    assert sorted(said) == [2, 3] and checked.ok and len(checked.frame) == 5
    assert all((p.file, p.column, p.severity) == ("calendar.csv", "date", "warning") for p in said.values())
    assert (said[2].value, said[3].value) == ("2022-12-01", "2031-12-06")
    assert said[2].message == ("dated 2022-12-01, 4 years before today (2026-12-06): calendar days more than 3 years "
                               "past are most often a slip in the year")
    assert said[3].message == ("dated 2031-12-06, 5 years after today (2026-12-06): calendar days more than 3 years "
                               "ahead are most often a slip in the year")
    assert all("Check the year" in p.fix and "imported as it is" in p.fix for p in said.values())


def test_a_day_view_holds_the_opening_of_that_day_its_hours_after_midnight_last():
    """Rows of every clock hour, read as each store opens: a late Friday ends with 24 (00:00+1) and Saturday does
    not start with it; Sunday night's hours fall on the week's Monday morning; a store open round the clock keeps its
    clock days; a store not in the store frame too."""
    from planner.hours import hour_label

    week = {"mon": "09:00-18:00", "tue": "09:00-18:00", "wed": "closed", "thu": "09:00-18:00", "fri": "10:00-01:00",
            "sat": "10:00-18:00", "sun": "20:00-02:00"}
    stores = pd.DataFrame([{"store_id": "L", **week}, {"store_id": "R", **dict.fromkeys(week, "00:00-24:00")}])
    every = pd.DataFrame([(s, d, h) for s in ("L", "R", "X") for d in range(7) for h in range(24)],
                         columns=["store_id", "weekday", "hour"]).assign(n=np.arange(3 * 7 * 24))
    friday = business_day_rows(every, stores, "L", 4)
    assert friday["hour"].tolist() == list(range(10, 25)) and set(friday["weekday"]) == {4}
    assert friday["n"].iloc[-1] == every.set_index(["store_id", "weekday", "hour"]).loc[("L", 5, 0), "n"]
    assert [hour_label(h) for h in friday["hour"].iloc[-2:]] == ["23:00", "00:00+1"]
    assert business_day_rows(every, stores, "L", 5)["hour"].tolist() == list(range(10, 18))
    assert business_day_rows(every, stores, "L", 6)["hour"].tolist() == [20, 21, 22, 23, 24, 25]
    assert business_day_rows(every, stores, "L", 0)["hour"].tolist() == list(range(9, 18))  # not Sunday's 00-02
    assert business_day_rows(every, stores, "L", 2).empty
    assert business_day_rows(every, stores, "R", 3)["hour"].tolist() == list(range(24))
    assert business_day_rows(every, stores, "X", 3)["hour"].tolist() == list(range(24))


def test_changed_hours_reaching_the_next_opening_are_estimated_for_every_hour_of_both():
    """S02 opens Friday 10:00-20:00; a calendar row opens it 12:00-10:00 the next morning, so Friday's usual and
    changed hours together span a whole day from 10:00. That span was written 10:00-10:00, which reads as opening and
    closing at once: every plan and roster of the week failed, chain-wide. Every hour from 10:00 to 09:00+1 is
    estimated, and the dated week has Friday's 22 hours, the morning after's among them."""
    calendar = _calendar("store_id,date,closed,hours,demand_factor,note\nS02,2026-12-11,,12:00-10:00,,overnight\n")
    exceptions = week_exceptions(calendar.frame, ["S01", "S02"], W50)
    estimated = estimation_stores(STORES, exceptions)
    friday = parse_opening_hours(estimated.loc[estimated["store_id"] == "S02", "fri"].iloc[0])
    assert friday.open_hours() == list(range(10, 34))
    week_stores = dated_stores(STORES, exceptions)
    friday_hours = business_days(week_stores)["S02"] == 4
    assert friday_hours.sum() == 22  # 12:00-24:00 and the next morning's 00:00-10:00
    week = dated_demand(_demand(estimated), week_stores, exceptions)
    rows = week[week["store_id"] == "S02"]
    assert (friday_hours[rows["weekday"], rows["hour"]]).sum() == 22  # each with its estimate


def test_a_calendar_checked_against_a_column_of_store_ids_names_the_store_meant():
    """The store ids as the store frame's column (a Series, as the plans and the pages pass them) were asked for
    their truth value, and every calendar check failed."""
    checked = _calendar("store_id,date,closed\ns01,2026-12-24,yes\n", known=pd.Series(["S01", "S02"]))
    assert [p.message for p in checked.errors] == ["store 's01' is not in the store file (did you mean 'S01'?)"]


@pytest.mark.parametrize("today, weekday", [
    (date(2026, 12, 5), 5),  # a Saturday: open
    (date(2026, 12, 6), 0),  # a Sunday: closed, so Monday, the next day it opens
    (date(2026, 12, 1), 3),  # a Tuesday: closed, Wednesday too, so Thursday
])
def test_the_day_a_store_page_opens_on_is_today_else_the_next_day_the_store_opens(today, weekday):
    """Closed on Tuesdays, Wednesdays and Sundays (by the store file's weekday columns): My store opens on today's
    weekday where the store opens that day, else on the first day after it that it opens."""
    hours = {"mon": "10:00-20:00", "tue": "closed", "wed": "closed", "thu": "10:00-20:00", "fri": "10:00-20:00",
             "sat": "10:00-20:00", "sun": "closed"}
    stores = pd.DataFrame([{"store_id": "A", **hours}, {"store_id": "B", **dict.fromkeys(hours, "09:00-17:00")}])
    assert first_open_weekday(stores, "A", today) == weekday
    assert first_open_weekday(stores, "B", today) == today.weekday()
    night = pd.DataFrame([{"store_id": "N", **dict.fromkeys(hours, "closed"), "sun": "18:00-02:00"}])
    assert first_open_weekday(night, "N", date(2026, 12, 1)) == 6  # its only opening, past midnight into Monday


def test_the_nearest_week_is_today_s_else_the_first_ahead_within_the_weeks_offered():
    """A store manager opened on last week's roster where this week had none (a week over, not "nothing published
    this week"), and a roster published ten weeks ahead was chosen over one twelve weeks behind though the week box
    offers neither (the page fell back to this week without a word): only this week and the `weeks_ahead` after it
    are candidates."""
    from datetime import date

    from planner.weeks import nearest_week

    tuesday = date(2026, 12, 1)  # in 2026-W49
    assert nearest_week(tuesday, ["2026-W52", "2026-W49", "2026-W50"], 8) == "2026-W49"
    assert nearest_week(tuesday, ["2026-W47", "2026-W51"], 8) == "2026-W51"  # a week over is not read for a roster
    assert nearest_week(tuesday, ["2026-W48"], 8) is None  # last week only: none (the page says this week has none)
    assert nearest_week(tuesday, ["2027-W01", "2026-W53"], 8) == "2026-W53"  # across the year's end
    # published ten weeks ahead and twelve behind: neither is among the week box's nine weeks
    assert nearest_week(tuesday, ["2027-W06", "2026-W37"], 8) is None
    assert nearest_week(tuesday, ["2027-W05", "2027-W04"], 8) == "2027-W04"  # the box's last week, eight ahead
    assert nearest_week(tuesday, ["2027-W05"], 8) is None  # nine ahead (2026 has 53 weeks)
    assert nearest_week(tuesday, ["no week"], 8) is None and nearest_week(tuesday, [], 8) is None
