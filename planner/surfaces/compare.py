"""Words of Compare stores that depend on the day picked (`day`: a weekday's name, "Saturday", or None for the
week): the tables' headings and files say whether they count the week or one weekday, so that a Saturday's figures
never read as the week's, nor the week's as Saturday's."""

from __future__ import annotations


def stores_heading(day: str | None) -> str:
    return f"Stores in numbers, {_period(day)}"


def regions_heading(day: str | None) -> str:
    return f"Regions, {_period(day)}"


def file_name(table: str, day: str | None) -> str:
    """compare_stores.csv for the week, compare_stores_saturday.csv for a Saturday: two files saved side by side keep
    apart."""
    return f"compare_{table}.csv" if day is None else f"compare_{table}_{day.lower()}.csv"


def tables_caption(day: str | None, currency: str) -> str:
    """What the tables count, above them."""
    counted = "Staff-hours per week" if day is None else \
        f"Staff-hours on {day}, over its opening (an hour after midnight with the evening before), so that the " \
        "seven days add up to the week"
    return (f"{counted}, like for like: *needed* and *on duty* over the same hours, those whose counts gave the staff "
            "on duty, and the *wage gap* over those hours too; *needed (all)* and *wages (all)* count every hour with "
            "a recommendation: what the plan costs. Each header's help says what it counts. Click a column header to "
            f"sort. Costs {currency}.")


def _period(day: str | None) -> str:
    return "per week" if day is None else day
