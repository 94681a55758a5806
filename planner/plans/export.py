"""A plan to files and text: dated shifts and requirement as CSV with clock times (the only place a plan's minutes
become HH:MM), the plan as its JSON document, and a short summary per store and week."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from planner.calendar import opening_key
from planner.export import CAPPED_HIGH, MAX_STAFF_NOTE, escape_formulas, schedule_summary_text, with_capped_range
from planner.files import write_files
from planner.hours import day_clock, end_clock
from planner.plans.plan import Plan
from planner.shifts import COVERAGE_COLUMNS, SHIFT_COLUMNS as SHIFT_COLUMNS_OF_A_WEEK
from planner.shifts.instance import floor_staff
from planner.staff_hours import MINUTES_PER_HOUR, hours_open, staff_hours
from planner.words import counted

SHIFT_COLUMNS = ["store_id", "iso_week", "date", "day", "start", "end", "break_start", "staff"]
"""plan_shifts.csv: one row per shift pattern and the date of the opening it works in (as plan_requirement.csv files
the hours); a time past that date's midnight reads "+1" after the clock time, e.g. 22:00-02:00+1, or 00:00+1-05:00+1
for a shift that starts after midnight of an evening opening; an end at that midnight reads 24:00 (18:00-24:00), as
the weekly shifts.csv and a roster's files write it."""
REQUIREMENT_COLUMNS = ["store_id", "iso_week", "date", "day", "hour", "required_staff", "recommended_staff",
                       "required_staff_low", "required_staff_high", CAPPED_HIGH, MAX_STAFF_NOTE, "assisted_per_hour",
                       "demand_factor", "confidence", "open_minutes"]
"""plan_requirement.csv: per store, date and open clock hour ("HH:00"; "00:00+1" for an hour after midnight, under
the date whose opening it closes) the staff the plan's schedule was built to require (`scheduled_requirement`: the
recommendation, at least min_staff, and min_staff in an hour without one under min_staff cover), the recommended
staff (blank where nothing was counted) and its likely range, low and high, then the high end as My store shows it
against the store's max_staff (`planner.export.CAPPED_HIGH`) and what that maximum did to it (`MAX_STAFF_NOTE`),
the help-seekers per hour, the date's demand factor, and the minutes of the hour the store is open (30 for the
09:00 of an opening at 09:30: the hour's staff count for half an hour, so required_staff x open_minutes / 60 summed
is the plan's required staff-hours, as the printed days sum them)."""


def clock(minute: int | float | None) -> str:
    """Minutes after a date's midnight as HH:MM; past midnight with "+1" (or "+2"); "" for none."""
    return "" if minute is None or pd.isna(minute) else day_clock(int(minute))


def end_time(minute: int | float | None) -> str:
    """A shift's end as `clock` writes it, but the date's own midnight "24:00" (`planner.hours.end_clock`)."""
    return "" if minute is None or pd.isna(minute) else end_clock(int(minute))


def shifts_table(plan: Plan) -> pd.DataFrame:
    shifts = plan.shifts.sort_values(["store_id", "date", "start_minute", "end_minute"])
    return pd.DataFrame({
        "store_id": shifts["store_id"], "iso_week": shifts["iso_week"], "date": shifts["date"].dt.strftime("%Y-%m-%d"),
        "day": shifts["date"].dt.strftime("%a"), "start": shifts["start_minute"].map(clock),
        "end": shifts["end_minute"].map(end_time), "break_start": shifts["break_start_minute"].map(clock),
        "staff": shifts["staff"],
    }, columns=SHIFT_COLUMNS)


def _break(start) -> str:
    """" (break 17:00)" when the shift has a break: two groups of a day's shifts differ by it at most."""
    return f" (break {start})" if isinstance(start, str) and start else ""


def requirement_table(plan: Plan) -> pd.DataFrame:
    """One row per store and open hour, filed under the date whose opening the hour belongs to (an hour after
    midnight under the evening before, as "00:00+1", with that date's demand factor), as the plan says its days.
    `required_staff` is what the schedule was built to, as plan_shifts.csv covers it and the printed plan sums it
    (it was the recommendation: 0 where a store never counted was scheduled at min_staff); `recommended_staff` is
    the recommendation its range goes with."""
    rows = with_business_dates(plan).assign(scheduled_requirement=scheduled_requirement(plan).to_numpy())
    rows = rows.assign(clock_hour=hours_by_opening(rows)).sort_values(
        ["store_id", "business_date", "clock_hour"])
    key = ["store_id", "iso_week", "date", "hour"]
    factor = plan.demand.drop_duplicates(key).set_index(key)["demand_factor"]
    key = pd.MultiIndex.from_frame(rows[key])
    capped = with_capped_range(rows, max_staff_of(plan))
    return pd.DataFrame({
        "store_id": rows["store_id"], "iso_week": rows["iso_week"],
        "date": rows["business_date"].dt.strftime("%Y-%m-%d"), "day": rows["business_date"].dt.strftime("%a"),
        "hour": rows["clock_hour"].map(lambda h: clock(int(h) * 60)),
        "required_staff": rows["scheduled_requirement"], "recommended_staff": rows["required_staff"],
        "required_staff_low": rows["required_staff_low"],
        "required_staff_high": rows["required_staff_high"], CAPPED_HIGH: capped[CAPPED_HIGH],
        MAX_STAFF_NOTE: capped[MAX_STAFF_NOTE],
        "assisted_per_hour": rows["assisted_per_hour"].astype("Float64").round(2),
        "demand_factor": factor.reindex(key).to_numpy(), "confidence": rows["confidence"],
        "open_minutes": open_minutes(rows),
    }, columns=REQUIREMENT_COLUMNS)


def max_staff_of(plan: Plan) -> dict[str, int | None]:
    """store_id -> the store's max_staff when the plan was made (None: no maximum, or a plan saved before plans
    kept it)."""
    targets = plan.targets
    if "max_staff" not in targets.columns:
        return {}
    return {str(store): None if pd.isna(most) else int(most)
            for store, most in zip(targets["store_id"], targets["max_staff"], strict=True)}


def one_day(plan: Plan, store_id: str, day: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The shifts of `day`'s opening and the coverage of `day` for one store, in the weekly schedule's shape
    (`planner.shifts.SHIFT_COLUMNS`, times as clock times, "+1" past `day`'s midnight and an end at it "24:00", as in
    plan_shifts.csv; `COVERAGE_COLUMNS`), for the charts that draw a schedule's day."""
    moment = pd.Timestamp(day)
    shifts = plan.shifts[(plan.shifts["store_id"] == store_id) & (plan.shifts["date"] == moment)]
    shifts = shifts.sort_values(["start_minute", "end_minute"])

    def clock_of_day(minutes: pd.Series, write=clock) -> pd.Series:  # text or None: all-NA Int64 stayed Int64 ("")
        return pd.Series([None if pd.isna(minute) else write(minute) for minute in minutes], index=minutes.index,
                         dtype=object)

    weekday = moment.weekday()
    day_shifts = pd.DataFrame({
        "store_id": shifts["store_id"].astype(str), "weekday": weekday, "start": clock_of_day(shifts["start_minute"]),
        "end": clock_of_day(shifts["end_minute"], end_time), "break_start": clock_of_day(shifts["break_start_minute"]),
        "staff": shifts["staff"].astype(int)}, columns=SHIFT_COLUMNS_OF_A_WEEK)
    # the day's opening: its hours after midnight as 24, 25 (`planner.hours.hour_label`: 00:00+1), not the next
    # date's first bars
    rows = with_business_dates(plan, plan.coverage[plan.coverage["store_id"] == store_id])
    rows = rows[rows["business_date"] == moment]
    coverage = rows.assign(weekday=weekday, hour=hours_by_opening(rows)).sort_values("hour")
    return day_shifts.reset_index(drop=True), coverage[COVERAGE_COLUMNS].reset_index(drop=True)


def opens_on(plan: Plan, store_id: str, day: date) -> bool:
    """Whether the store opens on `day` in the plan: an hour of its requirement is filed under that date's opening
    (closed by the store file's weekday, as S02 on Sundays, or by the calendar, none is). The Plans page drew an
    empty chart under "No shifts start on Sun" for a closed day, where My store says the store is closed."""
    rows = with_business_dates(plan, plan.staffing[plan.staffing["store_id"] == store_id])
    return bool((rows["business_date"] == pd.Timestamp(day)).any())


def write_plan(plan: Plan, folder: Path) -> list[Path]:
    """plan.json (the whole plan), plan_shifts.csv, plan_requirement.csv and plan_summary.csv in `folder`, each
    all of them or, when one cannot be written, none. plan.json leaves out the digest of each store's counts the plan
    keeps (`Plan.pooled_counts`): it holds every store's id of the chain, and the file goes to whoever asks for the
    plan of a store in their scope."""
    return write_files(folder, {
        "plan.json": replace(plan, pooled_counts=None).to_json(),
        "plan_shifts.csv": shifts_csv(plan),
        "plan_requirement.csv": requirement_csv(plan),
        "plan_summary.csv": _csv(plan.schedules),
    })


def plan_text(plan: Plan) -> str:
    """The plan as a reader of the terminal wants it: the calendar's exceptions, per week the optimiser's summary,
    and per store and date the open hours, staff-hours required and shifts: an hour open for part of it (opening
    09:30) counts by its open minutes in both, as the week's required h does, so the dates add up to it."""
    # the digest tells two plans made from the same counts, store file, calendar and settings ("inputs" said none)
    lines = [f"plan for {', '.join(plan.request.weeks)}, {counted(len(plan.store_ids), 'store')}; fingerprint of "
             f"its counts, store file, calendar and settings {plan.fingerprint.digest}"]
    for row in plan.exceptions.itertuples(index=False):
        what = "closed" if row.closed else (f"open {row.hours}" if isinstance(row.hours, str) else "usual hours")
        factor = f", customers x {row.demand_factor:g}" if row.demand_factor != 1 else ""
        note = f" ({row.note})" if row.note else ""
        lines.append(f"  {row.store_id} {row.date:%a %Y-%m-%d}: {what}{factor}{note} [{row.source} calendar]")
    for week in plan.request.weeks:
        lines.append(f"\n{week}")
        lines.append(schedule_summary_text(plan.schedules[plan.schedules["iso_week"] == week]))
    shifts = shifts_table(plan)
    days = with_business_dates(plan)
    minutes = open_minutes(days)
    days = days.assign(open_hours=hours_open(minutes),
                       staff_hours=staff_hours(scheduled_requirement(plan).to_numpy(), minutes))
    for (store, day), rows in days.groupby(["store_id", "business_date"], sort=True):
        on_day = shifts[(shifts["store_id"] == store) & (shifts["date"] == f"{day:%Y-%m-%d}")]
        listed = ", ".join(f"{r.start}-{r.end}{_break(r.break_start)} x{r.staff}" for r in on_day.itertuples())
        lines.append(f"{store} {day:%a %Y-%m-%d}: {counted(rows['open_hours'].sum(), 'open hour')}, "
                     f"{counted(rows['staff_hours'].sum(), 'staff-hour')} required; shifts: {listed or '-'}")
    for row in plan.explanations.itertuples(index=False):
        lines.append(f"{row.store_id} {row.iso_week}: {row.sentence}")
    return "\n".join(lines)


def scheduled_requirement(plan: Plan) -> pd.Series:
    """Per row of the plan's staffing (an open hour), the staff its schedule was built to require: the recommendation,
    at least the store's min_staff (the plan's, a what-if's included), and in an hour without a recommendation
    min_staff with the plan's min_staff cover, else 0 (the recommendation alone said 0 staff-hours for a day
    of a store never counted whose schedule kept min_staff on the floor)."""
    staffing = plan.staffing
    min_staff = plan.targets.set_index("store_id")["min_staff"]
    staff = staffing["required_staff"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    floor = floor_staff(~np.isnan(staff), staffing["store_id"].map(min_staff).fillna(0).to_numpy(dtype=int),
                        plan.request.settings.shifts.min_staff_cover)
    return pd.Series(np.maximum(np.nan_to_num(staff), floor).astype(int), index=staffing.index,
                     name="required_staff")


def open_minutes(rows: pd.DataFrame) -> np.ndarray:
    """Per row of a plan's staffing (`rows`, in any order), the minutes of its hour the store is open
    (`DatedStaffingSchema.open_minutes`); a whole hour in a plan saved before plans kept them."""
    return rows["open_minutes"].astype("Float64").fillna(MINUTES_PER_HOUR).to_numpy(dtype=np.int64)


def with_business_dates(plan: Plan, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of `frame` (store_id, date, hour, ...; default the plan's staffing) with the `business_date` each
    hour belongs to (the demand's: an hour after midnight belongs to the evening before, so a Friday open to 01:00
    has 15 hours and a closed Saturday none; grouped by clock date, the Friday had 14 and the closed Saturday 1 with
    staff required)."""
    frame = plan.staffing if frame is None else frame
    # the week too: next week's Monday 00:00 may close this week's Sunday, and open next week's Monday as well
    key = ["store_id", "iso_week", "date", "hour"]
    owner = plan.demand.drop_duplicates(key).set_index(key)["business_date"]
    rows = frame.assign(business_date=owner.reindex(pd.MultiIndex.from_frame(frame[key])).to_numpy())
    return rows.assign(business_date=rows["business_date"].fillna(rows["date"]))


def hours_by_opening(rows: pd.DataFrame) -> np.ndarray:
    """Per row of a plan's frame (`date` the hour falls on, its `business_date`, clock `hour`), the hour as its
    opening's: 24 and up after that date's midnight (`planner.calendar.opening_key`). The plan keeps such an hour on
    the date it falls on (Sunday's night on the next week's Monday); plans saved before that kept Sunday's night on
    their own week's Monday morning, which the rule, counting round the week, reads the same."""
    return opening_key(weekdays(rows["date"]), rows["hour"].to_numpy(dtype=int), weekdays(rows["business_date"]))[1]


def weekdays(dates: pd.Series) -> np.ndarray:
    """The weekday (0 = Monday) of each date."""
    return pd.to_datetime(dates).dt.day_of_week.to_numpy()


def shifts_csv(plan: Plan) -> str:
    """plan_shifts.csv's text (`SHIFT_COLUMNS`), cells a spreadsheet would run as formulas escaped."""
    return _csv(shifts_table(plan))


def requirement_csv(plan: Plan) -> str:
    """plan_requirement.csv's text (`REQUIREMENT_COLUMNS`), cells a spreadsheet would run as formulas escaped."""
    return _csv(requirement_table(plan))


def _csv(frame: pd.DataFrame) -> str:
    return escape_formulas(frame).to_csv(index=False, lineterminator="\n")
