"""Validate an observation file: every defect at once, as `InputProblem`s; a clean file as a typed frame.

Checks (errors block the import; warnings do not): required columns present; required cells filled; whole,
non-negative counts no larger than one hour can hold (`planner.schemas.MAX_CUSTOMERS_PER_HOUR`, ...); hour 0-23; real YYYY-MM-DD dates; non-negative minutes; assisted + self_service <= visitors;
staff minutes within 60 x staff_on_duty; minutes without customers; one row per (store_id, date, hour); store_id
known. Warnings: an hour when the store is closed (by its usual hours, or on a date the store calendar changes, by
that date's); implausible staff minutes per customer; a date more than `MAX_COUNT_AGE_YEARS` (3) before today (a
slip in the year, or a count that no longer describes the store).
A date after tomorrow is an error (a count is of an hour already watched; a day's grace for a server's clock behind
the store's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pandera.pandas as pa

from planner.calendar import changed_openings
from planner.errors import HasProblems, InputProblem
from planner.hours import CLOSED, WEEKDAY_NAMES, OpeningHours, is_open_during_hour
from planner.io.checking import (
    STORE_FILE,
    ColumnSpec, Kind, Rule, first_pass, number_as_written, rule_problems, unknown_store_rule,
)
from planner.io.raw_table import RawTable, SheetHeader
from planner.io.sheets import rows_on_another_sheet
from planner.io.stores import opening_frame
from planner.io.tally import Tally
from planner.memory import release_freed_memory
from planner.schemas import (
    MAX_CUSTOMERS_PER_HOUR, MAX_STAFF_MINUTES_PER_HOUR, MAX_STAFF_ON_DUTY, OBSERVATION_KEY, TEXT_MAX_CHARS,
    ObservationSchema as O, repeated_rows,
)
from planner.settings import MAX_COUNT_AGE_YEARS, ImportRules
from planner.staff_hours import dated_open_share
from planner.words import agreeing

_NEGATIVE = Rule(lambda c: f"'{c['value']}' is negative", "Counts and minutes are 0 or more.")
_HOUR = Rule(
    lambda c: f"hour '{c['value']}' is not a clock hour 0-23",
    "Use the clock hour the count started, 0 to 23 (e.g. 14 for 14:00-15:00).",
)


def _too_many(limit: int, what: str) -> Rule:
    return Rule(
        lambda c: f"'{c['value']}' is more than one hour's count can hold ({limit:,} {what})",
        "Check for a typing slip (an extra digit, or a day's total in one hour's row): counts are per clock hour.",
    )


_CUSTOMERS = _too_many(MAX_CUSTOMERS_PER_HOUR, "customers, about three a second all hour")
_STAFF_MINUTES = _too_many(MAX_STAFF_MINUTES_PER_HOUR, f"staff minutes: {MAX_STAFF_ON_DUTY:,} staff busy all hour")
_STAFF = _too_many(MAX_STAFF_ON_DUTY, "staff on the floor")


_COUNT_FIX = "Enter the count (0 if there were none)."
_MINUTES_FIX = "Enter the staff minutes (0 if there were none)."
SPECS = [
    ColumnSpec(O.store_id, Kind.TEXT, blank_fix="Enter the store id, as in the store file.",
               max_chars=TEXT_MAX_CHARS[O.store_id]),
    ColumnSpec(O.date, Kind.DATE, blank_fix="Enter the date as YYYY-MM-DD."),
    ColumnSpec(O.hour, Kind.COUNT, blank_fix="Enter the clock hour the count started, 0-23.", hour_of_day=True,
               too_large=_HOUR, most=23),
    ColumnSpec(O.visitors, Kind.COUNT, blank_fix=_COUNT_FIX, too_large=_CUSTOMERS, most=MAX_CUSTOMERS_PER_HOUR),
    ColumnSpec(O.assisted, Kind.COUNT, blank_fix=_COUNT_FIX, too_large=_CUSTOMERS, most=MAX_CUSTOMERS_PER_HOUR),
    ColumnSpec(O.self_service, Kind.COUNT, blank_fix=_COUNT_FIX, too_large=_CUSTOMERS,
               most=MAX_CUSTOMERS_PER_HOUR),
    ColumnSpec(O.assisted_minutes, Kind.NUMBER, blank_fix=_MINUTES_FIX),
    ColumnSpec(O.self_service_minutes, Kind.NUMBER, blank_fix=_MINUTES_FIX),
    ColumnSpec(O.staff_on_duty, Kind.COUNT, required=False, too_large=_STAFF, most=MAX_STAFF_ON_DUTY),
]
COLUMNS = [spec.name for spec in SPECS]


@dataclass(frozen=True)
class ValidatedObservations(HasProblems):
    file_name: str
    frame: pd.DataFrame
    """Typed rows (`ObservationSchema`), empty when there are errors; index = spreadsheet row."""
    problems: tuple[InputProblem, ...]


def validate_observations(
    raw: RawTable,
    stores: Mapping[str, tuple[OpeningHours | None, ...]] | None,
    rules: ImportRules,
    stores_in: str = STORE_FILE,
    store_ids: Iterable[str] | None = None,
    calendar: pd.DataFrame | None = None,
) -> ValidatedObservations:
    """Check `raw` against the observation format. `stores` maps each known store_id to its week of opening hours;
    None skips the store and opening-hour checks (no store list is known). `stores_in` says where the stores come
    from in the messages ("the database"). `store_ids` (default: those of `stores`) are the known store ids, also
    those whose opening hours are not known (a store file with errors names them): their hours go unchecked.
    `calendar` (`CalendarSchema`: the store calendar, None: none) gives the hours of the dates it changes: a count
    in an hour such a date opens is not warned of (a late opening's 21:00), one in an hour it closes is, saying how
    the demand model reads it (`planner.demand.count_chain`)."""
    name = raw.file_name
    tally = Tally(rules.max_problems_per_column)
    text, typed, problems = first_pass(raw, SPECS, tally)
    release_freed_memory()  # what the text checks and parsing made and dropped: the rules' peak comes next
    found, checked = rule_problems(O, typed, text, _RULES, name, tally)
    problems += found
    if stores is not None:
        known = list(stores) if store_ids is None else list(store_ids)
        named = _store_rules(known, stores_in)
        found, checked = rule_problems(_store_schema(known), checked, text, named, name, tally)
        problems += found
    plausible = _plausibility_schema(rules, stores, calendar)
    problems += rule_problems(plausible, checked, text, _warning_rules(rules, stores, calendar), name, tally)[0]
    problems += _duplicate_problems(checked, name, tally)
    problems = tally.finish(raw, problems, _reading_order)
    if (elsewhere := counts_on_another_sheet(name, raw.frame.columns, raw.other_sheets)) is not None:
        problems = [elsewhere]  # what the first sheet lacks, or holds, says nothing of the counts
    clean = not any(p.severity == "error" for p in problems)
    frame = typed if clean else typed.iloc[0:0]  # a clean frame has just passed ObservationSchema
    return ValidatedObservations(name, frame, tuple(problems))


ROWS_ARE = "the counts"
"""How the one error of a workbook whose counts are on another sheet names them (`rows_on_another_sheet`)."""


def counts_on_another_sheet(file_name: str, first_sheet_columns, other_sheets: tuple[SheetHeader, ...]
                            ) -> InputProblem | None:
    """The error for a workbook whose counts are on another sheet than the first, the one read (a cover sheet, or
    nothing, first): that sheet named in place of the columns the first lacks; None where they are not."""
    return rows_on_another_sheet(file_name, first_sheet_columns, other_sheets, SPECS, ROWS_ARE)


def _reading_order(problem: InputProblem) -> tuple:
    column = COLUMNS.index(problem.column) if problem.column in COLUMNS else len(COLUMNS)
    return (problem.row or 0, column, problem.message)


def _duplicate_problems(typed: pd.DataFrame, file_name: str, tally: Tally) -> list[InputProblem]:
    """Rows that repeat a (store_id, date, hour): each names the other rows it repeats."""
    repeated = typed.loc[repeated_rows(typed, OBSERVATION_KEY), OBSERVATION_KEY]
    if repeated.empty:
        return []
    group = repeated.groupby(OBSERVATION_KEY, sort=False).ngroup()
    listed = tally.keep(O.hour, "error", np.sort(repeated.index.to_numpy()))
    rows_of = group.groupby(group).groups
    problems = []
    for row in listed:
        others = [r for r in rows_of[group.loc[row]] if r != row]
        first = repeated.loc[row]
        problems.append(
            InputProblem(
                file_name, row, O.hour, str(first[O.hour]),
                f"{first[O.store_id]} {first[O.date]:%Y-%m-%d} hour {first[O.hour]} is also on "
                f"{agreeing(len(others), 'row')} {', '.join(str(r) for r in others)}",
                "Keep one row per store, date and hour: merge the counts or delete the repeated row.",
            )
        )
    return problems


def _store_schema(store_ids: list[str]) -> pa.DataFrameSchema:
    known = set(store_ids)
    return pa.DataFrameSchema(
        {O.store_id: pa.Column(str, pa.Check(lambda ids: ids.isin(known), name="known_store"), nullable=True)}
    )


def _plausibility_schema(rules: ImportRules, stores, calendar: pd.DataFrame | None = None) -> pa.DataFrameSchema:
    limit = rules.max_minutes_per_customer

    def plausible(minutes: str, customers: str):
        # no customers but minutes is an error of its own (see ObservationSchema), not a plausibility warning
        return lambda df: _holds((df[customers] == 0) | (df[minutes] <= limit * df[customers]))

    checks = [
        pa.Check(plausible(O.assisted_minutes, O.assisted), name="plausible_assisted_minutes"),
        pa.Check(plausible(O.self_service_minutes, O.self_service), name="plausible_touch_minutes"),
    ]
    # a day's grace: a server's clock in UTC is a day behind a store's just after its midnight
    checks.append(pa.Check(lambda df: df[O.date].isna() | (df[O.date] <= pd.Timestamp(today() + timedelta(days=1))),
                           name="counted_by_today"))  # a date that is no date is an error of its own
    oldest = pd.Timestamp(age_reference_date()) - pd.Timedelta(days=MAX_COUNT_AGE_YEARS * DAYS_PER_YEAR)
    checks.append(pa.Check(lambda df: df[O.date].isna() | (df[O.date] >= oldest), name="counted_in_recent_years"))
    if stores:
        checks.append(pa.Check(lambda df: _open_when_observed(df, stores, calendar), name="open_when_observed"))
        if calendar is not None and not calendar.empty:
            checks.append(pa.Check(lambda df: _open_on_its_date(df, stores, calendar), name="open_on_its_date"))
    return pa.DataFrameSchema(checks=checks)


def today() -> date:
    """The date a count may be dated by at the latest (the machine's; the tests pin it)."""
    return date.today()


def age_reference_date() -> date:
    """The date a count's age (and a store calendar's date, `planner.io.calendar`) is measured from: the machine's
    today (the tests pin it apart from `today`, which they set far ahead so that every count of theirs is already
    watched)."""
    return date.today()


DAYS_PER_YEAR = 365.25


def _open_when_observed(df: pd.DataFrame, stores, calendar: pd.DataFrame | None = None) -> pd.Series:
    """Whether each row's hour is one the store's usual hours open, or of a date whose hours the `calendar` changes
    (`_open_on_its_date` judges those). Looked up in a store x weekday x hour table, so a million rows cost one
    vectorised index (taken `_LOOKUP_ROWS` rows at a time, so its index arrays stay small beside the frame)."""
    names = list(stores)
    table = np.array(
        [[[is_open_during_hour(stores[s], day, hour) for hour in range(24)] for day in range(7)] for s in names]
    )
    is_open = np.ones(len(df), dtype=bool)
    for start in range(0, len(df), _LOOKUP_ROWS):
        part = df.iloc[start : start + _LOOKUP_ROWS]
        store = pd.Categorical(part[O.store_id], categories=names).codes
        weekday = part[O.date].dt.day_of_week.to_numpy(dtype=float, na_value=np.nan)
        hour = part[O.hour].to_numpy(dtype=float, na_value=np.nan)
        known = (store >= 0) & ~np.isnan(weekday) & ~np.isnan(hour) & (hour >= 0) & (hour <= 23)
        is_open[start : start + _LOOKUP_ROWS][known] = table[store[known], weekday[known].astype(int),
                                                             hour[known].astype(int)]
    if calendar is not None and not calendar.empty:
        is_open |= ~np.isnan(_dated_shares(df, stores, calendar))
    return pd.Series(is_open, index=df.index)


def _open_on_its_date(df: pd.DataFrame, stores, calendar: pd.DataFrame) -> pd.Series:
    """Whether each row's hour is open on its date where the `calendar` changes that date's hours or the evening
    before's (`planner.staff_hours.dated_open_share`); True where it changes neither."""
    return pd.Series(~(_dated_shares(df, stores, calendar) == 0), index=df.index)


def _dated_shares(df: pd.DataFrame, stores, calendar: pd.DataFrame) -> np.ndarray:
    """Per row, the share of its hour open on its date under the `calendar`'s changed hours (NaN: unchanged, or a
    row whose store, date or hour is not known)."""
    names = list(stores)
    usual = opening_frame(stores)
    store = pd.Categorical(df[O.store_id], categories=names).codes
    hour = df[O.hour].to_numpy(dtype=float, na_value=np.nan)
    known = (store >= 0) & df[O.date].notna().to_numpy() & ~np.isnan(hour) & (hour >= 0) & (hour <= 23)
    share = np.full(len(df), np.nan)
    share[known] = dated_open_share(usual, store[known], df[O.date].to_numpy()[known], hour[known].astype(int),
                                    calendar)
    return share


_LOOKUP_ROWS = 250_000
"""Rows looked up at a time: at 2,000,000 rows in one step the index arrays added about 110 MB to the check's peak,
in steps of this size about 15 MB, at the same speed."""


def _holds(condition: pd.Series) -> pd.Series:
    return condition.astype("boolean").fillna(True).astype(bool)


def _number(text: str) -> float:
    """A cell that passed parsing, as a number for a message (semicolon files may use a decimal comma)."""
    return float(text.replace(",", "."))


def _store_rules(stores, stores_in: str) -> dict[str, Rule]:
    return {"known_store": unknown_store_rule(stores_in, stores,
                                              "Correct the store id, or add the store to the store file first.")}


def _warning_rules(rules: ImportRules, stores, calendar: pd.DataFrame | None = None) -> dict[str, Rule]:
    limit = rules.max_minutes_per_customer

    def per_customer(minutes: str, customers: str):
        return lambda c: (
            f"{c[minutes]} minutes for {c[customers]} {agreeing(_number(c[customers]), 'customer')} is "
            f"{_number(c[minutes]) / _number(c[customers]):.0f} minutes each, more than {limit:g}"
        )

    def closed(cells) -> str:
        weekday = pd.Timestamp(cells[O.date]).weekday()
        hours = stores[cells[O.store_id]][weekday]
        when = "closed all day" if hours is None else f"open {hours}"
        return f"store {cells[O.store_id]} is {when} on {WEEKDAY_NAMES[weekday]}, but hour {cells[O.hour]} was observed"

    def closed_that_date(cells) -> str:
        day = pd.Timestamp(cells[O.date])
        changed = changed_openings(calendar, [cells[O.store_id]], [day - pd.Timedelta(days=1), day])
        said = [f"{'closed' if opening == CLOSED else f'open {opening}'} "
                f"{'that day' if when == day else f'on {when:%Y-%m-%d}, the day before'}"
                for (_, when), opening in sorted(changed.items(), key=lambda item: item[0][1] != day)]
        return (f"store {cells[O.store_id]} was closed at hour {cells[O.hour]} on {day:%Y-%m-%d} by the store "
                f"calendar ({said[0] if said else 'closed'}), but the hour was observed")

    fix = "Check for a typing slip (e.g. 450 for 45); the row is imported as it is."

    def old(cells) -> str:
        reference = age_reference_date()
        years = int((pd.Timestamp(reference) - pd.Timestamp(cells[O.date])).days // DAYS_PER_YEAR)
        return (f"dated {cells[O.date]}, {years} years before today ({reference:%Y-%m-%d}): counts more than "
                f"{MAX_COUNT_AGE_YEARS:g} years old do not describe the store today")
    return {
        "plausible_assisted_minutes": Rule(per_customer(O.assisted_minutes, O.assisted), fix, O.assisted_minutes, "warning"),
        "plausible_touch_minutes": Rule(
            per_customer(O.self_service_minutes, O.self_service), fix, O.self_service_minutes, "warning"
        ),
        # an error, not a warning: imported, a count of a day to come was judged as a plan's miss ("demand is
        # higher than planned") and stretched the counted dates
        "counted_by_today": Rule(
            lambda c: f"dated {c[O.date]}, after today ({today():%Y-%m-%d}): a count is of an hour already watched",
            "Check the year and month.", O.date, "error"),
        # a warning, not an error as a date to come: a count of an hour long past can be real
        "counted_in_recent_years": Rule(
            old, "Check the year (a two-digit year may have been read as 19xx). If the date is right, the row is "
                 "imported as it is; the demand estimate weighs a count by its age before the store's latest.",
            O.date, "warning"),
        "open_when_observed": Rule(
            closed, "Check the date and hour, or the store's opening hours; the row is imported as it is.", O.hour, "warning"
        ),
        "open_on_its_date": Rule(
            closed_that_date, "The row is imported as it is. Plans read it as an hour of the store's usual opening "
            "if it counted customers, and leave it out as the closing if it counted none: if the store was open, "
            "correct the calendar's row for that date; else check the date and hour.", O.hour, "warning"),
    }


_RULES: dict[str, Rule] = {
    "greater_than_or_equal_to": _NEGATIVE,
    "greater_than_or_equal_to@hour": _HOUR,
    "less_than_or_equal_to@hour": _HOUR,
    **{f"less_than_or_equal_to@{column}": _CUSTOMERS for column in (O.visitors, O.assisted, O.self_service)},
    **{f"less_than_or_equal_to@{column}": _STAFF_MINUTES for column in (O.assisted_minutes, O.self_service_minutes)},
    f"less_than_or_equal_to@{O.staff_on_duty}": _STAFF,
    "customers_within_visitors": Rule(
        lambda c: (
            f"assisted ({c[O.assisted]}) + self_service ({c[O.self_service]}) = "
            f"{number_as_written(_number(c[O.assisted]) + _number(c[O.self_service]), c)} is more than visitors "
            f"({c[O.visitors]})"
        ),
        "Every assisted or self-service customer is also a visitor: correct whichever count is wrong.",
        O.visitors,
    ),
    "minutes_within_staff_time": Rule(
        lambda c: (
            f"{number_as_written(_number(c[O.assisted_minutes]) + _number(c[O.self_service_minutes]), c)} staff "
            f"minutes in one hour is more than {c[O.staff_on_duty]} staff can give (60 x {c[O.staff_on_duty]} = "
            f"{number_as_written(60 * _number(c[O.staff_on_duty]), c)})"
        ),
        "Correct the minutes or staff_on_duty.",
        O.staff_on_duty,
    ),
    "assisted_minutes_need_assisted": Rule(
        lambda c: f"{c[O.assisted_minutes]} assisted minutes but no assisted customers",
        "Enter the number of assisted customers, or set assisted_minutes to 0.",
        O.assisted_minutes,
    ),
    "touch_minutes_need_self_service": Rule(
        lambda c: f"{c[O.self_service_minutes]} self-service minutes but no self-service customers",
        "Enter the number of self-service customers, or set self_service_minutes to 0.",
        O.self_service_minutes,
    ),
}
