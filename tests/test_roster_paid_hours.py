"""Why a roster pays more hours than the requirement it covers (`planner.roster.paid_hours`), said under the Roster
page's figures: against hand-counted frames of the shape `planner.roster.result` gives."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.roster.paid_hours import paid_beyond_required
from planner.surfaces.roster import paid_beyond_said


def _people(paid, minimum) -> pd.DataFrame:
    return pd.DataFrame({"paid_hours": paid, "week_min_hours": minimum})


def _hours(required, scheduled) -> pd.DataFrame:
    required, scheduled = pd.Series(required, dtype=float), pd.Series(scheduled, dtype=float)
    return pd.DataFrame({"required_staff_hours": required, "scheduled_staff_hours": scheduled,
                         "uncovered_staff_hours": (required - scheduled).clip(lower=0)})


def test_contracts_minimums_above_the_requirement_are_said_as_the_reason():
    # 3 people, minimums 20 + 20 + 10 = 50 h; the week requires 40 staff-hours, 2 of them uncovered (38 covered)
    people = _people([20.0, 20.0, 12.0], [20.0, 20.0, 10.0])
    beyond = paid_beyond_required(people, _hours([20, 20], [18, 34]))
    assert beyond is not None
    assert beyond.extra_hours == pytest.approx(52 - 38) and beyond.minimum_hours == 50
    assert beyond.people_at_minimum == 2 and beyond.minimums_exceed_requirement
    # said with the page's own figures (52 paid, 40 required, 2 uncovered): "38 covered" alone made the reader do sums
    # the minimums (50) ask for 12 hours above the 38 covered; the other 2 of the 14 are the third person's 12 h
    # against a minimum of 10 ("the 14 hours more are the contracts' minimum hours" claimed all 14 for them)
    assert paid_beyond_said(beyond) == ("52 paid hours cover 38 of the 40 required staff-hours; of the 14 hours more, "
                                        "12 are the contracts' minimum hours, which this week come to 50, more than "
                                        "the requirement asks for (2 people paid their week's minimum), and 2 likely "
                                        "shifts of whole lengths that run past the hours needed.")
    held = paid_beyond_required(_people([20.0, 20.0, 10.0], [20.0, 20.0, 10.0]), _hours([20, 20], [18, 34]))
    assert paid_beyond_said(held) == ("50 paid hours cover 38 of the 40 required staff-hours; the 12 hours more are "
                                      "the contracts' minimum hours, which this week come to 50, more than the "
                                      "requirement asks for (3 people paid their week's minimum).")


def test_minimums_below_the_requirement_are_named_only_as_likely():
    people = _people([16.0, 30.5, 0.0], [16.0, 10.0, 0.0])  # one held at 16 h; nobody at a minimum of 0 counts
    beyond = paid_beyond_required(people, _hours([20, 20], [22, 24.5]))
    assert beyond.extra_hours == pytest.approx(6.5) and not beyond.minimums_exceed_requirement
    assert beyond.people_at_minimum == 1
    said = paid_beyond_said(beyond)
    assert said.startswith("46.5 paid hours cover all 40 required staff-hours; the 6.5 hours more are on the floor "
                           "above the requirement: likely the contracts' minimum hours (1 person paid their week's "
                           "minimum)")


def test_no_one_at_a_minimum_names_shift_lengths_and_a_roster_paying_no_more_says_nothing():
    beyond = paid_beyond_required(_people([25.0, 25.0], [10.0, 10.0]), _hours([20, 20], [24, 26]))
    assert beyond.people_at_minimum == 0 and "contracts" not in paid_beyond_said(beyond)
    assert "shifts of whole lengths" in paid_beyond_said(beyond)
    assert paid_beyond_required(_people([20.0, 18.0], [20.0, 10.0]), _hours([20, 20], [20, 18])) is None
