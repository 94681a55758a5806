"""The one rule for an hour after midnight (`planner.calendar.opening_key`): it is filed under the opening it closes,
numbered on past 23 ("Fri 00:00+1"), against cases worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.calendar import (
    IsoWeek, business_week_rows, days_after_opening, hour_dates, hour_names, opening_days, opening_key, opening_labels,
    opening_minutes,
)
from planner.hours import WEEKDAYS, parse_opening_hours
from planner.plans.export import hours_by_opening

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def _week(**hours: str) -> list:
    """Opening hours per weekday, closed where not given."""
    return [parse_opening_hours(hours.get(day, "closed")) for day in WEEKDAYS]


LATE_WEEKEND = _week(fri="10:00-02:00", sat="10:00-02:00")
SUNDAY_NIGHT = _week(sat="09:00-18:00", sun="18:00-01:00")
SHUT_AT_MIDNIGHT = _week(**{day: "09:00-24:00" for day in WEEKDAYS})
ROUND_THE_CLOCK_MONDAY = _week(mon="00:00-24:00", sun="18:00-02:00")

CASES = [
    # (week, clock weekday, clock hour) -> (weekday, hour) as the store opens
    (LATE_WEEKEND, FRI, 23, FRI, 23),
    (LATE_WEEKEND, SAT, 0, FRI, 24),  # "Fri 00:00+1"
    (LATE_WEEKEND, SAT, 1, FRI, 25),
    (LATE_WEEKEND, SAT, 2, SAT, 2),  # closed: its clock key
    (LATE_WEEKEND, SAT, 10, SAT, 10),
    (LATE_WEEKEND, SUN, 0, SAT, 24),
    (LATE_WEEKEND, SUN, 1, SAT, 25),
    (SUNDAY_NIGHT, SUN, 23, SUN, 23),
    (SUNDAY_NIGHT, MON, 0, SUN, 24),  # Monday by the clock (of the next ISO week): "Sun 00:00+1"
    (SUNDAY_NIGHT, MON, 1, MON, 1),
    (SHUT_AT_MIDNIGHT, MON, 23, MON, 23),
    (SHUT_AT_MIDNIGHT, TUE, 0, TUE, 0),  # no opening holds it
    (ROUND_THE_CLOCK_MONDAY, MON, 0, MON, 0),  # Monday's own opening wins over Sunday's tail
    (ROUND_THE_CLOCK_MONDAY, MON, 1, MON, 1),
    (ROUND_THE_CLOCK_MONDAY, SUN, 23, SUN, 23),
]


@pytest.mark.parametrize(("week", "clock_day", "hour", "weekday", "keyed_hour"), CASES)
def test_an_hour_is_keyed_under_the_opening_that_holds_it(week, clock_day, hour, weekday, keyed_hour):
    owner = opening_days(week)[clock_day, hour]
    assert tuple(map(int, opening_key(clock_day, hour, owner))) == (weekday, keyed_hour)
    day, minute = opening_minutes(week, (clock_day * 24 + hour) * 60 + 30)  # the half hour, in minutes
    assert (int(day), int(minute)) == (weekday, keyed_hour * 60 + 30)


def test_the_rule_counts_round_the_week_and_keeps_the_clock_without_an_opening():
    assert days_after_opening(MON, SUN) == 1  # never -6
    assert days_after_opening(SAT, FRI) == 1
    assert days_after_opening(TUE, TUE) == 0
    weekday, hour = opening_key(np.array([MON, SAT, TUE]), np.array([0, 1, 5]), np.array([SUN, FRI, -1]))
    assert weekday.tolist() == [SUN, FRI, TUE] and hour.tolist() == [24, 25, 5]
    assert opening_key(MON, 30, SUN, per_day=1440)[1] == 1470  # in minutes: Sunday's 00:30+1


def test_labels_say_the_opening_and_plus_one_past_its_midnight():
    minutes = [0, 30, 60, (SAT * 24) * 60, (FRI * 24 + 23) * 60]
    assert opening_labels(SUNDAY_NIGHT, minutes) == ["Sun 00:00+1", "Sun 00:30+1", "Mon 01:00", "Sat 00:00",
                                                     "Fri 23:00"]
    assert opening_labels(LATE_WEEKEND, [SAT * 24 * 60, SUN * 24 * 60 + 90]) == ["Fri 00:00+1", "Sat 01:30+1"]
    assert opening_labels(ROUND_THE_CLOCK_MONDAY, [0, 60]) == ["Mon 00:00", "Mon 01:00"]
    assert opening_labels(SHUT_AT_MIDNIGHT, [TUE * 24 * 60]) == ["Tue 00:00"]


def _stores(week_text: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"store_id": "S", **{day: week_text.get(day, "closed") for day in WEEKDAYS}}])


def test_a_frame_of_clock_hours_is_keyed_by_the_same_rule_and_dated_by_it():
    stores = _stores({"sat": "09:00-18:00", "sun": "18:00-01:00"})
    frame = pd.DataFrame({"store_id": "S", "weekday": [SUN, MON, SAT], "hour": [23, 0, 9]})
    keyed = business_week_rows(frame, stores)
    assert list(zip(keyed["weekday"], keyed["hour"])) == [(SUN, 23), (SUN, 24), (SAT, 9)]
    business, clock = hour_dates(frame, stores, IsoWeek(2026, 50))
    sunday = np.datetime64("2026-12-13")
    assert business.astype("datetime64[D]").tolist() == [sunday.item(), sunday.item(),
                                                         np.datetime64("2026-12-12").item()]
    assert clock.astype("datetime64[D]")[1] == np.datetime64("2026-12-14")  # next week's Monday, not the 7th


def test_a_plans_hours_after_midnight_are_numbered_on_however_the_plan_dated_them():
    """A plan dates Sunday's 00:00+1 on the next week's Monday; plans saved before kept it on the week's own Monday."""
    rows = pd.DataFrame({"date": pd.to_datetime(["2026-12-14", "2026-12-07", "2026-12-13", "2026-12-12"]),
                         "business_date": pd.to_datetime(["2026-12-13", "2026-12-13", "2026-12-13", "2026-12-11"]),
                         "hour": [0, 0, 23, 1]})
    assert hours_by_opening(rows).tolist() == [24, 24, 23, 25]


def test_one_hour_named_in_a_message_is_named_by_its_opening():
    """The Settings page's occupancy warning names one hour of a store: a store open Friday and Sunday 18:00-02:00
    has Saturday's and Monday's 00:00 by the clock named "Fri 00:00+1" and "Sun 00:00+1", not "Sat 00:00" and
    "Mon 00:00"; an hour of the evening and a store not in the file keep their clock names."""
    stores = pd.DataFrame([{"store_id": "N1", **{day: "closed" for day in WEEKDAYS}, "fri": "18:00-02:00",
                            "sun": "18:00-02:00"}])
    cells = pd.DataFrame({"store_id": ["N1", "N1", "N1", "N1", "X9"], "weekday": [MON, SAT, SUN, MON, MON],
                          "hour": [0, 1, 20, 10, 0]})
    assert hour_names(cells, stores) == ["Sun 00:00+1", "Fri 01:00+1", "Sun 20:00", "Mon 10:00", "Mon 00:00"]
