"""Words of Plan vs actual, a published plan held against the counts for its dates: one name per measure wherever
it is shown (My store's day tables, Compare's weeks, `planner review`), short enough for a table at 1024 px, with
its meaning in full for the header's help. My store said "Typical miss" where Compare said "Typical miss per hour",
and Compare's long names were cut at 1024 px."""

from __future__ import annotations

from datetime import date

from planner.words import counted

MEASURES = {  # column of `planner.review` -> (name, meaning in full)
    "plan_id": ("Plan", "the published plan the day is held against: the one in force when the day began"),
    "counted_hours": ("Hours", "hours counted that day"),
    "bias_share": ("Above plan", "how many more (+) or fewer (-) customers wanted help than planned, in % of the "
                                 "planned"),
    "mape": ("Typical miss", "how far off the plan was in a counted hour, more or fewer, on average over the hours "
                             "counted, in % of the hour's planned customers"),
    "band_coverage": ("In range", "share of the hours counted whose customers wanting help fell within the plan's "
                                  "range for the hour: the counts that at least 90% of hours that go as planned fall "
                                  "within"),
    "hours_under_scheduled": ("Below schedule", "hours with fewer staff on duty than the published plan scheduled"),
    "hours_under_required": ("Below required", "hours with fewer staff on duty than the published plan required"),
    "hours_below_target_service": ("Below target", "hours where the staff on duty would serve the customers counted "
                                                   "below the target service level"),
}
"""The names the tables, their help and `planner review` use; "Bias", "Error (MAPE)" and "In band" were a
statistician's words: each says what it counts, with its unit."""

LONG_LABELS = {  # column of `planner.review` -> its header in a week's table (Compare), where there is room
    "store_id": "Store",
    "date": "Date",
    "iso_week": "Week",
    "plan_id": "Held against plan",
    "counted_hours": "Hours counted",
    "help_seekers": "Wanted help",
    "forecast_help_seekers": "Planned",
    **{column: words for column, (words, _) in MEASURES.items() if column not in ("plan_id", "counted_hours")},
}
"""Every column of a review's days or weeks, named as the tables head it: the measures by their one name."""

PLAN_NUMBER = "plan {:.0f}"
"""How the plan a day is held against reads in a table: "plan 1", as the Plans page names it (a bare "1" under
"Plan" did not read as one)."""


def name(column: str) -> str:
    """The measure's name as a table heads it ("Above plan")."""
    return MEASURES[column][0]


def in_a_line(column: str) -> str:
    """The measure's name inside a line of text, as `planner review` prints it ("above plan")."""
    return name(column)[0].lower() + name(column)[1:]


def forecast_caption() -> str:
    """The line under My store's table of the customers counted against planned."""
    return (f"Wanted help: the assisted counted plus those estimated to have given up. {name('bias_share')}: how many "
            "more (+) or fewer (-) wanted help than planned, in % of the planned. "
            f"{name('mape')}: how far off the plan was in a counted hour, more or fewer, on average, in % of the "
            f"planned. {name('band_coverage')}: hours within the plan's range for the hour, which holds at least 90% "
            f"of hours that go as planned. {name('counted_hours')}: hours counted. {name('plan_id')}: each day is "
            "held against the plan in force when it began: a plan published during the week (a re-plan) is held "
            "against the days after it, and a day that began before the week's first plan was published, against "
            "none.")


def no_plan_in_force(plan_id: int, published_on: date) -> str:
    """What became of a day counted before its week's first plan (`plan_id`) was published, on `published_on`."""
    return (f"no plan in force when the day began (the week's first, plan {plan_id}, was published on "
            f"{published_on:%a %d %b}): held against none, and left out of the judgement of bias")


def unplanned_day(day: date, counted_hours: int, plan_id: int, published_on: date) -> str:
    """A day counted before its week's first plan was published, in a line of its own under My store's tables."""
    return (f"{day:%a %d %b %Y}, {counted(counted_hours, 'hour')} counted: "
            f"{no_plan_in_force(plan_id, published_on)}.")


def nothing_in_force(of: str) -> str:
    """Why there is nothing to judge yet where every day counted began before a plan of `of` was published."""
    return (f"Every day counted so far began before a plan of {of} was published for its week: no plan was in "
            "force, so none is held against a plan and there is no judgement yet.")
