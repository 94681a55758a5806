"""Words of Compare stores that depend on the day picked (`day`: a weekday's name, "Saturday", or None for the
week): the tables' headings and files say whether they count the week or one weekday, so that a Saturday's figures
never read as the week's, nor the week's as Saturday's."""

from __future__ import annotations

from planner.words import SIGNED_MONEY_FORMAT


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


def without_estimate(stores: str, how_many: int, day: str | None) -> str:
    """Under the store table, of the stores (`stores`, named) open in it with nothing recommended: their zeros are
    no measure. Over the week they were never counted; on a weekday, the model gave that day no estimate."""
    one = how_many == 1
    it, its = ("it", "its") if one else ("them", "their")
    if day is None:
        return (f"No counts yet for {stores}, so nothing is recommended for {it}: {its} zeros in the tables are no "
                f"measure. {its.capitalize()} counts, once imported, put {it} beside the others.")
    return (f"No estimate on {day} for {stores}, so nothing is recommended for {it} that day: {its} zeros in the "
            "tables are no measure.")


def closed(stores: str, how_many: int, day: str) -> str:
    """Under a weekday's store table, the stores closed that day: their zeros are true, not missing figures."""
    return f"Closed on {day}: {stores} ({'its' if how_many == 1 else 'their'} zeros are the day's, nothing to staff)."


def scatter_subtitle(day: str | None) -> str:
    """The subtitle of the chart of assisted share against staff-hours per 1,000 visitors, saying which period its
    dots measure (a store closed on the day picked has no dot)."""
    period = "over the week" if day is None else f"on {day}; a store closed that day has no dot"
    return (f"one dot per store, {period}: far above the others at the same share means slow service or a small "
            "store")


def _period(day: str | None) -> str:
    return "per week" if day is None else day


def who_needs_what(needs, day: str | None) -> str:
    """The sentences at the top of Compare stores, from `planner.compare.neediest` (`needs`) of the tables below,
    per week (`day` None) or on a weekday: which store needs the most extra staff, by how much and when, and which
    loses the most customers. The heatmaps and tables showed it, but no sentence said which store needs what. A
    store is named by its id, as the heatmaps' rows and the tables' first column begin."""
    per = "a week" if day is None else f"on {day}"
    said = []
    if not needs.staff_known:
        said.append("No store's counts say how many staff were on duty, so none can be said to need more: the tables "
                    "below show the staff each needs.")
    elif needs.store_id is None:
        said.append("No store needs more staff than were on duty when counted, over the hours whose staff is known.")
    else:
        when = f", the most at {needs.peak_label}" if needs.peak_label else ""
        said.append(f"{needs.store_id} needs the most extra staff: {needs.staff_hours_gap:,.0f} "
                    f"staff-hours {per} more than were on duty when counted "
                    f"({SIGNED_MONEY_FORMAT.format(needs.wage_cost_gap)} in wages){when}.")
    if needs.most_lost_store_id is not None:
        who = ("It also" if needs.most_lost_store_id == needs.store_id
               else needs.most_lost_store_id)
        said.append(f"{who} loses the most customers: about {needs.most_lost:,.0f} {per} give up waiting for help.")
    return " ".join(said)


LOST_PER_WEEK = "Lost/wk"
"""The short header of the customers lost per week in Compare's tables: a bare "Lost" said no unit."""


def lost_header(day: str | None) -> str:
    """The header of the customers lost, per week (`LOST_PER_WEEK`) or on the day picked ("Lost/day")."""
    return LOST_PER_WEEK if day is None else "Lost/day"
