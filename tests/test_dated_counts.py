"""Counts taken on dates whose opening hours the store calendar changed, against a known truth: a store open
09:00-20:30 Monday to Saturday whose help-seekers come at 24 an hour while it is open, so a count of an hour holds
24 x the share of that hour the doors were open on its date (Poisson).

The demand model read every count against the store's usual hours. A Saturday open until 21:00 (the store file says
20:30) had its 20:00 counted whole and read as half an hour: 20:00 came out 44.7 help-seekers an hour. An early close
at 17:30 had its 17:00 counted for half an hour and read as a whole one (13.7), and the door counter's hours of no
one after the close were read as open hours without customers (18:00 and 19:00 came out 0.0 on those weekdays). Each
count is now read under its date's hours: the calendar's for that store, else the chain-wide row,
else the usual hours."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from planner import pipeline
from planner.calendar import counted_date_factors, counted_date_rows
from planner.demand import estimate_demand
from planner.hours import WEEKDAYS
from planner.intake import import_files
from planner.plans import PlanRequest
from planner.queueing import erlang_a
from planner.saved_plans import stored_calendar
from planner.schemas import StoreSchema
from planner.settings import ImportRules, ServiceTargets, Settings
from planner.staff_hours import dated_open_share
from reference_paths import least_staff_by_formula
from planner.targets import stores_with_targets

HELP_PER_OPEN_HOUR, SELF_SERVICE_PER_OPEN_HOUR, SERVICE_MINUTES = 24.0, 8.0, 6.0
OPENING = "09:00-20:30"
HOURS = range(9, 21)
FIRST_MONDAY = pd.Timestamp("2026-09-07")
WEEKS = 8
TOLERANCE = 0.15


def _store_row(store_id: str = "L", opening: str = OPENING) -> dict:
    week = {day: (opening if n < 6 else "closed") for n, day in enumerate(WEEKDAYS)}
    return dict(store_id=store_id, name="Late", region="Test", format="test", **week, wage_per_hour=20.0, min_staff=1,
                max_staff=20, target_service_level=None, target_wait_seconds=None, patience_minutes=None,
                max_abandon_share=None, service_cv=None)


def _stores(*ids: str) -> pd.DataFrame:
    numbers = [StoreSchema.wage_per_hour, StoreSchema.target_service_level, StoreSchema.target_wait_seconds,
               StoreSchema.patience_minutes, StoreSchema.max_abandon_share, StoreSchema.service_cv]
    frame = pd.DataFrame([_store_row(store_id) for store_id in ids or ("L",)]).astype(
        {**dict.fromkeys(numbers, "Float64"), "min_staff": "Int64", "max_staff": "Int64"})
    return stores_with_targets(StoreSchema.validate(frame), Settings(), None)


def _usual_share(hour: int) -> float:
    return 0.5 if hour == 20 else 1.0


def _counts(open_share, seed: int, store_id: str = "L", hours=HOURS) -> pd.DataFrame:
    """Every hour of `hours` of `WEEKS` weeks, Monday to Saturday, drawn from the truth: `open_share(date, hour)`
    is the part of the hour the doors were open that date (0: closed, a row of no customers, as a door counter
    gives it)."""
    rng = np.random.default_rng(seed)
    rows = []
    for day in range(WEEKS * 7):
        date = FIRST_MONDAY + pd.Timedelta(days=day)
        if date.day_of_week == 6:
            continue
        for hour in hours:
            share = open_share(date, hour)
            assisted = int(rng.poisson(HELP_PER_OPEN_HOUR * share))
            self_service = int(rng.poisson(SELF_SERVICE_PER_OPEN_HOUR * share))
            rows.append(dict(store_id=store_id, date=date, hour=hour, visitors=assisted + self_service,
                             assisted=assisted, self_service=self_service,
                             assisted_minutes=assisted * SERVICE_MINUTES, self_service_minutes=0.0,
                             staff_on_duty=pd.NA))
    return pd.DataFrame(rows).astype({"hour": "Int64", "visitors": "Int64", "assisted": "Int64",
                                      "self_service": "Int64", "staff_on_duty": "Int64",
                                      "assisted_minutes": "Float64", "self_service_minutes": "Float64"})


def _calendar(store_id: str, dates, hours: str | None, closed: bool = False) -> pd.DataFrame:
    return pd.DataFrame({"store_id": store_id, "date": pd.to_datetime(list(dates)), "closed": closed,
                         "hours": hours, "demand_factor": 1.0, "note": "changed"})


def _weekdays(weekday: int) -> list[pd.Timestamp]:
    return [FIRST_MONDAY + pd.Timedelta(days=7 * week + weekday) for week in range(WEEKS)]


def _rate(demand: pd.DataFrame, weekday: int, hour: int) -> float:
    row = demand[(demand["weekday"] == weekday) & (demand["hour"] == hour)]
    return float(row["assisted_per_hour"].iloc[0])


# (what the dates are, weekday, calendar store id, their hours, the hour read, its open share on such a date)
CHANGED_DATES = {
    "a late opening until 21:00": (5, "L", "09:00-21:00", 20, lambda hour: 1.0 if hour == 20 else _usual_share(hour)),
    "an early close at 17:30, chain-wide": (3, "*", "09:00-17:30", 17,
                                            lambda hour: 0.5 if hour == 17 else 0.0 if hour > 17 else 1.0),
    "an opening half an hour later": (1, "L", "09:30-20:30", 9, lambda hour: 0.5 if hour == 9 else _usual_share(hour)),
}


@pytest.mark.parametrize("kind", list(CHANGED_DATES))
def test_a_count_on_a_date_whose_hours_the_calendar_changed_is_read_under_that_dates_hours(kind):
    """Every such weekday of the counts is a changed date, so the weekday's hour is known from those counts alone.
    Read under the usual hours, the late opening's 20:00 came out 44.7 (of 24), the early close's 17:00 13.7 and the
    later opening's 09:00 12.4; now 23.5, 24.9 and 25.0, each within 15% of the truth, as the same hour of the
    store's other weekdays is."""
    weekday, store_id, hours, hour, share = CHANGED_DATES[kind]
    dates = _weekdays(weekday)
    observations = _counts(lambda date, h: share(h) if date in dates else _usual_share(h), seed=3)
    demand = estimate_demand(observations, _stores(), Settings(), calendar=_calendar(store_id, dates, hours))
    assert _rate(demand, weekday, hour) == pytest.approx(HELP_PER_OPEN_HOUR, rel=TOLERANCE), kind
    other = (weekday + 2) % 6
    assert _rate(demand, other, hour) == pytest.approx(HELP_PER_OPEN_HOUR, rel=TOLERANCE)


def test_hours_after_an_early_close_with_no_one_counted_are_left_out_not_read_as_empty_hours():
    """A door counter gives a row for every usual hour: after a 17:30 close, rows of no customers. Read as open hours
    without customers they made the Thursday's 18:00 and 19:00 0.0 help-seekers an hour; they are the closing the
    calendar records, so they are left out, and those hours borrow the day's shape from the counts of the other
    weekdays: 23.6 and 23.4, of 24."""
    dates = _weekdays(3)
    observations = _counts(lambda date, h: (0.5 if h == 17 else 0.0 if h > 17 else 1.0) if date in dates
                           else _usual_share(h), seed=5)
    demand = estimate_demand(observations, _stores(), Settings(), calendar=_calendar("*", dates, "09:00-17:30"))
    for hour in (18, 19):
        assert _rate(demand, 3, hour) == pytest.approx(HELP_PER_OPEN_HOUR, rel=TOLERANCE), hour


def test_a_count_of_customers_on_a_date_the_calendar_closed_is_read_at_the_usual_hours():
    """The calendar says the store was closed on the Wednesdays, but the counts say customers came: the counts are
    the better witness, so they are read as hours of the usual opening (the estimate is exactly the one without
    those calendar rows), not left out nor read as hours of no exposure."""
    observations = _counts(lambda date, h: _usual_share(h), seed=7)
    stores = _stores()
    closed = estimate_demand(observations, stores, Settings(), calendar=_calendar("L", _weekdays(2), None, True))
    usual = estimate_demand(observations, stores, Settings())
    pd.testing.assert_frame_equal(closed, usual)
    assert _rate(closed, 2, 12) == pytest.approx(HELP_PER_OPEN_HOUR, rel=TOLERANCE)


def test_a_count_on_a_date_of_busier_demand_is_read_as_the_usual_days_demand_times_its_factor():
    """A plan staffs a date the calendar gives a demand factor (a sale: 1.5) for the usual rate times that factor, so
    a count taken on such a date holds the usual rate times the factor. Every Saturday of the counts here is such a
    date (customers at 1.5 x the truth): read as a usual Saturday, its hours came out 1.5 x 24, and a plan of a usual
    Saturday was staffed for the sale. Read at the factor, within 15% of 24, as the other weekdays are."""
    dates = _weekdays(5)
    factor = 1.5
    observations = _counts(lambda date, h: _usual_share(h) * (factor if date in dates else 1.0), seed=5)
    calendar = _calendar("L", dates, None).assign(demand_factor=factor)
    demand = estimate_demand(observations, _stores(), Settings(), calendar=calendar)
    for hour in (11, 15, 19):
        assert _rate(demand, 5, hour) == pytest.approx(HELP_PER_OPEN_HOUR, rel=TOLERANCE), hour
        assert _rate(demand, 2, hour) == pytest.approx(HELP_PER_OPEN_HOUR, rel=TOLERANCE), hour


def test_a_calendar_that_changes_no_counted_dates_hours_changes_nothing():
    """Rows of dates not counted (changed hours, a demand factor), another store's row: the estimate is the one
    without a calendar, to the bit."""
    observations = _counts(lambda date, h: _usual_share(h), seed=9)
    stores = _stores()
    calendar = pd.concat([
        _calendar("L", [pd.Timestamp("2026-12-24")], "09:00-17:30"),
        _calendar("L", [pd.Timestamp("2026-11-27")], None).assign(demand_factor=1.4),
        _calendar("OTHER", _weekdays(5), "09:00-21:00"),
    ], ignore_index=True)
    pd.testing.assert_frame_equal(estimate_demand(observations, stores, Settings(), calendar=calendar),
                                  estimate_demand(observations, stores, Settings()))


def test_a_dates_hours_follow_the_calendars_precedence_and_the_evening_before():
    """Hand-worked shares: the chain closes at 17:30 on 24 December 2026, a Thursday; store B has a row of its own
    for that date (open to 19:00), which wins over the chain's, and store C a row with a demand factor only, which
    keeps its usual hours also against the chain's close. Store N usually opens 10:00-00:30 on Saturdays (its Sunday
    00:00 half an hour); the calendar keeps it open until 01:00 on Saturday 26 December, so the count of Sunday's
    00:00 is a whole hour, the date the hour falls on being Sunday."""
    usual = pd.DataFrame([_store_row(s) for s in ("A", "B", "C")] + [
        {**_store_row("N", "10:00-00:30")}])
    calendar = pd.concat([
        _calendar("*", ["2026-12-24"], "09:00-17:30"),
        _calendar("B", ["2026-12-24"], "09:00-19:00"),
        _calendar("C", ["2026-12-24"], None).assign(demand_factor=1.3),
        _calendar("N", ["2026-12-26"], "10:00-01:00"),
    ], ignore_index=True)
    store = np.array([0, 0, 0, 1, 1, 2, 3, 3])
    dates = pd.to_datetime(["2026-12-24"] * 6 + ["2026-12-27", "2026-12-20"])
    hour = np.array([12, 17, 18, 17, 18, 18, 0, 0])
    share = dated_open_share(usual, store, dates, hour, calendar)
    # A: 1, 0.5, closed; B: its own 09:00-19:00; C: the usual hours (NaN); N: the late Saturday's tail, then a
    # Sunday whose evening before the calendar does not change (NaN)
    np.testing.assert_array_equal(share, [1.0, 0.5, 0.0, 1.0, 1.0, np.nan, 1.0, np.nan])



def _csv(frame: pd.DataFrame) -> bytes:
    out = io.StringIO()
    frame.to_csv(out, index=False, date_format="%Y-%m-%d")
    return out.getvalue().encode()


def test_the_recommendation_from_stored_counts_reads_the_stored_calendar(engine, settings):
    """The store file, the counts of late Saturdays and the calendar imported as a planner would, then `recommend`
    and `plan` (what the command line and the pages show): Saturday 20:00 needs the 5 staff the truth needs (Erlang
    A), as the store's other hours do; read under the usual hours it was planned for 44.7 help-seekers an hour, with 7
    staff."""
    saturdays = _weekdays(5)
    observations = _counts(lambda date, h: 1.0 if date in saturdays and h == 20 else _usual_share(h), seed=3)
    stores = pd.DataFrame([_store_row()]).drop(columns=["target_service_level", "target_wait_seconds",
                                                        "patience_minutes", "max_abandon_share", "service_cv"])
    calendar = _calendar("L", saturdays, "09:00-21:00").assign(date=lambda f: f["date"].dt.strftime("%Y-%m-%d"))
    import_files(engine, [("stores.csv", _csv(stores)), ("counts.csv", _csv(observations)),
                          ("calendar.csv", _csv(calendar))], ImportRules())
    staff = pipeline.recommend(engine, settings).pivot(index="weekday", columns="hour", values="required_staff")
    needed = least_staff_by_formula(HELP_PER_OPEN_HOUR, SERVICE_MINUTES, ServiceTargets())
    assert needed == 5
    assert needed <= staff.loc[5, 20] <= needed + 1, staff.to_string()
    assert staff.loc[5, 20] <= staff.loc[5, 12], staff.to_string()
    # a dated plan (`plan --week`) reads the stored calendar of the counted dates too: its Saturday's 20:00 is the
    # intensity of an ordinary Saturday, whose 20:30 close halves the hour again (read under the usual hours: 44.7)
    plan = pipeline.make_plan(engine, PlanRequest(weeks=("2026-W50",), store_ids=("L",)),
                              calendar=stored_calendar(engine), parallel=False)
    saturday = plan.demand[pd.to_datetime(plan.demand["date"]) == pd.Timestamp("2026-12-12")].set_index("hour")
    assert float(saturday.loc[20, "assisted_per_hour"]) == pytest.approx(HELP_PER_OPEN_HOUR, rel=TOLERANCE)
    assert saturday.loc[20, "open_share"] == 0.5


def _one_day(store_id: str, date: str, hours) -> pd.DataFrame:
    return pd.DataFrame([dict(store_id=store_id, date=date, hour=hour, visitors=customers, assisted=customers,
                              self_service=0, assisted_minutes=6.0 * customers, self_service_minutes=0.0)
                         for hour, customers in hours])


def test_a_count_in_an_hour_its_dates_calendar_closes_is_a_warning_saying_how_plans_read_it(engine):
    """Counts imported after the calendar: Christmas Eve closes at 17:30, and the file counts 18:00 (5 customers) and
    19:00 (none); a late Saturday opens until 22:00 and the file counts its 21:00. The early close's hours were
    imported without a word, and the late Saturday's 21:00 was said to be an hour the store is closed ("open
    09:00-20:30 on Sat"). Now the first two are warnings naming the row, the hour, the date's hours and how
    plans read them, and the late hour is none."""
    stores = pd.DataFrame([_store_row()]).drop(columns=["target_service_level", "target_wait_seconds",
                                                        "patience_minutes", "max_abandon_share", "service_cv"])
    calendar = pd.concat([_calendar("*", ["2026-12-24"], "09:00-17:30"), _calendar("L", ["2026-11-28"], "09:00-22:00")])
    import_files(engine, [("stores.csv", _csv(stores)),
                          ("calendar.csv", _csv(calendar.assign(date=calendar["date"].dt.strftime("%Y-%m-%d"))))],
                 ImportRules())
    counts = pd.concat([_one_day("L", "2026-12-24", [(17, 9), (18, 5), (19, 0)]),
                        _one_day("L", "2026-11-28", [(20, 20), (21, 18)])], ignore_index=True)
    (summary,) = import_files(engine, [("counts.csv", _csv(counts))], ImportRules())
    warned = {(p.row, p.column): p for p in summary.warnings}
    assert set(warned) == {(3, "hour"), (4, "hour")}, [p.message for p in summary.warnings]
    assert warned[(3, "hour")].message == ("store L was closed at hour 18 on 2026-12-24 by the store calendar (open "
                                           "09:00-17:30 that day), but the hour was observed")
    assert "as an hour of the store's usual opening if it counted customers" in warned[(3, "hour")].fix
    assert "leave it out as the closing if it counted none" in warned[(4, "hour")].fix


def test_a_calendar_that_closes_hours_where_counts_are_stored_says_so_per_store(engine):
    """The counts first, the calendar after: its row closing Christmas Eve at 17:30 for every store is a warning
    naming the row, each store and the counted hours it closes; a store counted only before the close is not named."""
    stores = pd.DataFrame([_store_row("L"), _store_row("M")]).drop(
        columns=["target_service_level", "target_wait_seconds", "patience_minutes", "max_abandon_share",
                 "service_cv"])
    counts = pd.concat([_one_day("L", "2026-12-24", [(17, 9), (18, 5), (19, 0)]),
                        _one_day("M", "2026-12-24", [(16, 9), (17, 8)])], ignore_index=True)
    import_files(engine, [("stores.csv", _csv(stores)), ("counts.csv", _csv(counts))], ImportRules())
    calendar = pd.concat([_calendar("L", ["2026-12-10"], "09:00-21:00"), _calendar("*", ["2026-12-24"], "09:00-17:30")])
    (summary,) = import_files(
        engine, [("calendar.csv", _csv(calendar.assign(date=calendar["date"].dt.strftime("%Y-%m-%d"))))],
        ImportRules())
    closing = [p for p in summary.warnings if "where counts are stored" in p.message]
    assert [(p.row, p.column, p.message) for p in closing] == [
        (3, "hours", "L 2026-12-24: this row closes the store in 2 hours where counts are stored (18:00, 19:00)")]
    assert "as an hour of the store's usual opening" in closing[0].fix


def test_the_calendar_rows_counts_are_read_under_are_those_whose_removal_changes_how_a_count_is_read():
    """What a plan's fingerprint holds of the calendar for its counts (`counted_date_rows`), against the readers
    themselves: a row is among them exactly where taking it out of the calendar changes a counted hour's demand
    factor (`counted_date_factors`) or open share (`dated_open_share`). Store N opens 18:00-02:00, E 10:00-22:00.
    Read: N's Friday 27 November factor 2.0 (the evening before N's counted Saturday 00:00 and 01:00), N's own
    Saturday closing at 20:00, the chain's closed 5 December (E counted then), E's 11 December opening until 01:00
    (its evening runs into the 12th's counted 00:00). Not read: N's factor two days before a count, E's factor on
    the evening before a count (E's Friday ends at 22:00), a row of E's counted 12th that changes nothing."""
    usual = pd.DataFrame([_store_row("N", "18:00-02:00"), _store_row("E", "10:00-22:00")])
    calendar = pd.concat([
        _calendar("N", ["2026-11-27"], None).assign(demand_factor=2.0),
        _calendar("N", ["2026-11-28"], "18:00-20:00"),
        _calendar("N", ["2026-11-26"], None).assign(demand_factor=1.5),
        _calendar("*", ["2026-12-05"], None, closed=True),
        _calendar("E", ["2026-12-04"], None).assign(demand_factor=2.0),
        _calendar("E", ["2026-12-11"], "10:00-01:00"),
        _calendar("E", ["2026-12-12"], None),
    ], ignore_index=True)
    counted = [("N", "2026-11-28", 0), ("N", "2026-11-28", 1), ("N", "2026-11-28", 20), ("E", "2026-12-05", 12),
               ("E", "2026-12-12", 0), ("E", "2026-12-12", 12)]
    stores, dates, hours = zip(*counted)
    position = np.array([{"N": 0, "E": 1}[store] for store in stores])
    dates, hours = pd.to_datetime(list(dates)), np.array(hours)

    def reading(rows: pd.DataFrame) -> np.ndarray:
        return np.concatenate([counted_date_factors(rows, usual, position, dates, hours),
                               np.nan_to_num(dated_open_share(usual, position, dates, hours, rows), nan=-1.0)])

    whole = reading(calendar)
    changing = {(row.store_id, f"{row.date:%Y-%m-%d}") for n, row in enumerate(calendar.itertuples())
                if not np.array_equal(reading(calendar.drop(index=n)), whole)}
    assert changing == {("N", "2026-11-27"), ("N", "2026-11-28"), ("*", "2026-12-05"), ("E", "2026-12-11")}
    found = counted_date_rows(calendar, usual, pd.DataFrame({"store_id": stores, "date": dates}))
    assert list(zip(found["store_id"], found["date"].dt.strftime("%Y-%m-%d"), found["closed"], found["hours"],
                    found["demand_factor"])) == [
        ("E", "2026-12-05", True, "", 1.0), ("E", "2026-12-11", False, "10:00-01:00", 1.0),
        ("N", "2026-11-27", False, "", 2.0), ("N", "2026-11-28", False, "18:00-20:00", 1.0)]


def test_a_calendar_rows_closing_is_said_under_the_cell_that_closes_as_the_file_has_it(engine):
    """Counts stored, then a calendar file closing some of their hours: L's row by its closed cell 'Y', M's by its
    hours cell 'Closed' (its closed cell 'no'), N's by opens and closes (11:00 and 18:00 where it usually opens
    09:00-20:30). Each warning quoted 'yes' under closed, for M too, and N's under hours as '11:00-18:00', a text the
    file does not have. Now each names the cell that closes the hours and quotes it as written; N's opening and its
    closing are two cells, each with the hours it closes."""
    stores = pd.DataFrame([_store_row("L"), _store_row("M"), _store_row("N")]).drop(
        columns=["target_service_level", "target_wait_seconds", "patience_minutes", "max_abandon_share",
                 "service_cv"])
    counts = pd.concat([_one_day("L", "2026-12-24", [(17, 9), (18, 5), (19, 4)]),
                        _one_day("M", "2026-12-24", [(16, 9), (17, 8)]),
                        _one_day("N", "2026-12-23", [(9, 3), (10, 6), (14, 8), (18, 7), (19, 5)])], ignore_index=True)
    import_files(engine, [("stores.csv", _csv(stores)), ("counts.csv", _csv(counts))], ImportRules())
    written = ("store_id,date,closed,hours,opens,closes,demand_factor,note\n"
               "L,2026-12-24,Y,,,,,\n"
               "M,2026-12-24,no,Closed,,,,\n"
               "N,2026-12-23,,,11:00,18:00,,\n")
    (summary,) = import_files(engine, [("closing.csv", written.encode())], ImportRules())
    said = "this row closes the store in {} where counts are stored ({})"
    assert [(p.file, p.row, p.column, p.value, p.message) for p in summary.warnings] == [
        ("closing.csv", 2, "closed", "Y", "L 2026-12-24: " + said.format("3 hours", "17:00, 18:00, 19:00")),
        ("closing.csv", 3, "hours", "Closed", "M 2026-12-24: " + said.format("2 hours", "16:00, 17:00")),
        ("closing.csv", 4, "opens", "11:00", "N 2026-12-23: " + said.format("2 hours", "09:00, 10:00")),
        ("closing.csv", 4, "closes", "18:00", "N 2026-12-23: " + said.format("2 hours", "18:00, 19:00"))]


def test_an_hour_past_midnight_reads_the_demand_factor_of_the_business_day_it_belongs_to():
    """Hand-worked factors. Store N opens 18:00-02:00 every day; Friday 27 November 2026 has a demand factor 2.0 and
    Saturday the 28th 1.5. A plan staffs Saturday's 00:00 and 01:00 as Friday night's, at 2.0 (`dated_demand`), so
    a count of them holds 2.0 usual hours: they read Friday's factor, where the date they fall on gave 1.5; Sunday's
    01:00 reads Saturday's. Store E usually closes at 22:00; the calendar opens it until 01:00 on Friday 4 December
    with a factor 2.0, so its Saturday 00:00 is Friday's too (it read 1). An hour no opening holds (N's Saturday
    03:00) reads its own date's."""
    usual = pd.DataFrame([_store_row("N", "18:00-02:00"), _store_row("E", "10:00-22:00")])
    calendar = pd.concat([
        _calendar("N", ["2026-11-27"], None).assign(demand_factor=2.0),
        _calendar("N", ["2026-11-28"], None).assign(demand_factor=1.5),
        _calendar("E", ["2026-12-04"], "10:00-01:00").assign(demand_factor=2.0),
    ], ignore_index=True)
    counted = [(0, "2026-11-27", 20), (0, "2026-11-28", 0), (0, "2026-11-28", 1), (0, "2026-11-28", 3),
               (0, "2026-11-28", 20), (0, "2026-11-29", 1), (0, "2026-11-27", 1),
               (1, "2026-12-04", 23), (1, "2026-12-05", 0), (1, "2026-12-05", 12)]
    store, dates, hour = zip(*counted)
    factors = counted_date_factors(calendar, usual, np.array(store), pd.to_datetime(list(dates)), np.array(hour))
    np.testing.assert_array_equal(factors, [2.0, 2.0, 2.0, 1.5, 1.5, 1.5, 1.0, 2.0, 2.0, 1.0])


def test_a_calendar_row_is_said_to_close_counted_hours_only_where_it_decides_and_changes_the_opening(engine):
    """Counts stored, then a calendar file. A chain-wide row giving only a demand factor for 27 November 2026, where
    a stored row of store L's own closes it at 18:00, was blamed for that closing ("this row closes the store in 2
    hours where counts are stored (18:00, 19:00)", its value the text 'None'); it decides nothing of L's opening and
    changes none, so it says nothing. Store N usually opens 18:00-02:00; the file's row ending its Friday 4 December
    at 23:00 closes the Saturday's counted 00:00 and 01:00, which were left unsaid because another store's row (M)
    was for that Saturday; now it names them, and M's row, which closes no counted hour of M, says nothing."""
    stores = pd.DataFrame([_store_row("L"), _store_row("M"), _store_row("N", "18:00-02:00")]).drop(
        columns=["target_service_level", "target_wait_seconds", "patience_minutes", "max_abandon_share",
                 "service_cv"])
    stored = _calendar("L", ["2026-11-27"], "09:00-18:00")
    import_files(engine, [("stores.csv", _csv(stores)),
                          ("calendar.csv", _csv(stored.assign(date=stored["date"].dt.strftime("%Y-%m-%d"))))],
                 ImportRules())
    counts = pd.concat([_one_day("L", "2026-11-27", [(17, 9), (18, 5), (19, 4)]),
                        _one_day("M", "2026-12-05", [(12, 9)]),
                        _one_day("N", "2026-12-05", [(0, 7), (1, 3)])], ignore_index=True)
    import_files(engine, [("counts.csv", _csv(counts))], ImportRules())
    calendar = pd.concat([_calendar("*", ["2026-11-27"], None).assign(demand_factor=1.4),
                          _calendar("N", ["2026-12-04"], "18:00-23:00"),
                          _calendar("M", ["2026-12-05"], "10:00-16:00")])
    (summary,) = import_files(
        engine, [("calendar2.csv", _csv(calendar.assign(date=calendar["date"].dt.strftime("%Y-%m-%d"))))],
        ImportRules())
    closing = [p for p in summary.warnings if "where counts are stored" in p.message]
    assert [(p.row, p.column, p.value, p.message) for p in closing] == [
        (3, "hours", "18:00-23:00",
         "N 2026-12-04: this row closes the store in 2 hours where counts are stored (00:00+1, 01:00+1)")]


def _expected_counts(rate_per_hour: float, staff: int, patience_minutes: float) -> tuple[int, int]:
    """(served, lost) help-seekers of an hour at `rate_per_hour` with `staff` on the floor, as Erlang A expects
    them (the independent truth: the queueing formulas, not the demand model)."""
    lost = rate_per_hour * erlang_a(rate_per_hour, SERVICE_MINUTES, staff, patience_minutes=patience_minutes,
                                    target_wait_seconds=20.0).prob_abandon
    return round(rate_per_hour - lost), round(lost)


def test_the_censoring_correction_reads_a_sale_dates_short_staff_at_the_load_they_faced():
    """Every Saturday is a sale (factor 1.5): 36 help-seekers an hour came to 2 staff, who served the Erlang A share
    of them, the rest gave up and were tallied as self-service. The served count, read as 1.5 usual hours, was
    inverted as if those 2 staff had faced the usual load, where they lose few: Saturday's help-seekers came out 15.2
    an hour, of 24. Inverted at the load they faced: within 10% of 24, as the other weekdays (6 staff) are."""
    factor, patience = 1.5, Settings().targets.patience_minutes
    saturdays = _weekdays(5)
    rows = []
    for day in range(WEEKS * 7):
        date = FIRST_MONDAY + pd.Timedelta(days=day)
        if date.day_of_week == 6:
            continue
        sale = date in saturdays
        staff = 2 if sale else 6
        load = factor if sale else 1.0
        for hour in range(9, 20):
            served, lost = _expected_counts(HELP_PER_OPEN_HOUR * load, staff, patience)
            self_service = round(SELF_SERVICE_PER_OPEN_HOUR * load) + lost
            rows.append(dict(store_id="L", date=date, hour=hour, visitors=served + self_service, assisted=served,
                             self_service=self_service, assisted_minutes=served * SERVICE_MINUTES,
                             self_service_minutes=0.0, staff_on_duty=staff))
    observations = pd.DataFrame(rows).astype({"hour": "Int64", "visitors": "Int64", "assisted": "Int64",
                                              "self_service": "Int64", "staff_on_duty": "Int64",
                                              "assisted_minutes": "Float64", "self_service_minutes": "Float64"})
    calendar = _calendar("L", saturdays, None).assign(demand_factor=factor)
    demand = estimate_demand(observations, _stores(), Settings(), calendar=calendar)
    for hour in (11, 15):
        assert _rate(demand, 5, hour) == pytest.approx(HELP_PER_OPEN_HOUR, rel=0.10), hour
        assert _rate(demand, 2, hour) == pytest.approx(HELP_PER_OPEN_HOUR, rel=0.10), hour
