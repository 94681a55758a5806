"""A roster as files and tables: the shift CSV, the grid (people x days), each person's schedule, a workbook for
the planner and an iCalendar file per person.

Every function reads the frames of `planner.roster.Roster` (`shifts`: store_id, employee_id, name, start, end,
break_start, paid_hours, times as datetimes, clock_change_hours and business_date; `people`: one row per employee).
Hours are the hours worked: a night across a change of the clocks in a store with a known time zone is paid an hour
more or less than its clock times say, which the shift CSV's, workbook's and schedules' `clock_change_hours` says
and the grid marks. Times are the store's local clock, written `YYYY-MM-DD HH:MM` so that a shift past midnight is
unambiguous, in the shift CSV and the calendars; a calendar states the store's time zone where one is set (`planner.targets.resolve_time_zones`), and
keeps floating local times where none is (`FLOATING_TIMES` says so where the files are offered). The grid and the
schedules file each shift under the opening it works in (its business_date, `planner.roster.result.BUSINESS_DATE`;
a frame without one, its clock date) and write a time after that opening's midnight "+1", as a shift's label does:
Sunday 18:00-02:00's last shift is Sunday's "00:00+1-02:00+1", not the next Monday's "00:00-02:00", so each day's
hours add up to the hours paid. Text cells a spreadsheet would run as a
formula are escaped in the CSVs (`planner.export.escape_formulas`); the workbook holds them as written, in string
cells, which a spreadsheet never runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pandas as pd

from planner.away_codes import away_codes
from planner.weeks import IsoWeek
from planner.errors import PlannerError
from planner.export import escape_formulas
from planner.files import write_files
from planner.hours import MINUTES_PER_DAY, day_clock, day_label, end_clock
from planner.roster.result import BREAK_MOVED, CLOCK_CHANGE_HOURS, Replan, business_dates
from planner.shifts.candidates import Candidate
from planner.surfaces.fixes import GIVE_THE_STORE_ITS_ZONE, SET_THE_CHAINS_TIME_ZONE, UPLOAD_IT_AGAIN
from planner.surfaces.roster import clock_change_mark, clock_change_said
from planner.words import number_text, store_label
from planner.zones import TIME_ZONE_EXAMPLE, is_time_zone, meant_said

MOMENT = "%Y-%m-%d %H:%M"
"""How start, end and break_start are written."""
ROSTER_COLUMNS = ["store_id", "employee_id", "name", "start", "end", "break_start", "paid_hours"]
"""The columns every shift frame read here holds (`planner.roster.result.SHIFT_COLUMNS`, less the change of the
clocks, which a frame saved before shifts were paid by the zone lacks: read as 0)."""
ROSTER_CSV_COLUMNS = [*ROSTER_COLUMNS, CLOCK_CHANGE_HOURS]
"""The shift CSV's and the workbook's Shifts sheet's: `ROSTER_COLUMNS` and `clock_change_hours`, the hours a change
of the clocks adds to the shift's paid_hours, which already hold it (1 for a night the clocks go back, -1 for one
they go forward, else 0)."""
SCHEDULE_COLUMNS = ["employee_id", "name", "day", "date", "start", "end", "break_start", "paid_hours",
                    CLOCK_CHANGE_HOURS]
"""One person's week: the day of the opening the shift works in for people ("Sun 13 Dec") and its ISO date for
machines (2026-12-13), times after that day's midnight (HH:MM; past it "00:30+1", an end at it "24:00"), the hours
paid and the change of the clocks among them, as in `ROSTER_CSV_COLUMNS`."""
HOURS_COLUMN = "hours"
TOTAL_ROW = "hours per day"
GRID_SHEET = "Grid"
"""The workbook's sheet for people to read and print: under a line naming the store and week (`roster_title`)."""
ICS_PRODUCT = "-//Staffing planner//Roster//EN"
FLOATING_TIMES = (f"Times are the store's local time, with no time zone; {SET_THE_CHAINS_TIME_ZONE.app}, or "
                  f"{GIVE_THE_STORE_ITS_ZONE.app}, so calendar apps in other zones show them right.")
"""What the Roster page says beside a calendar whose store has no time zone (its events in floating local time):
both places a zone comes from, the chain's setting and the store file's column."""
FLOATING_TIMES_ASK_A_PLANNER = ("Times are the store's local time, with no time zone; ask a planner to set the chain's "
                                "time zone, or the store's own in the store file, so calendar apps in other zones show "
                                "them right.")
"""`FLOATING_TIMES` for a role that may change neither the chain's settings nor the store file (a store manager read
"set the chain's time zone in Settings", a page read-only for her)."""


class CalendarRefused(PlannerError):
    """A store's calendars cannot be written: its time zone is one this machine's time-zone database does not know
    (`calendar_refusal` says which, and what to do)."""


def roster_csv(shifts: pd.DataFrame) -> str:
    """One row per shift, `ROSTER_CSV_COLUMNS`, sorted by start and person; a shift without a break has an empty
    break_start."""
    return escape_formulas(_roster_rows(shifts)).to_csv(index=False, lineterminator="\n")


def _roster_rows(shifts: pd.DataFrame) -> pd.DataFrame:
    """`ROSTER_CSV_COLUMNS`, one row per shift sorted by start and person, times as `MOMENT` text ("" for a shift
    without a break), paid hours and the change of the clocks to two places."""
    rows = _sorted(shifts)
    out = rows[ROSTER_COLUMNS].copy()
    for column in ("start", "end", "break_start"):
        out[column] = _moments(out[column])
    out["paid_hours"] = out["paid_hours"].astype(float).round(2)
    out[CLOCK_CHANGE_HOURS] = clock_changes(rows).round(2)
    return out


def clock_changes(shifts: pd.DataFrame) -> pd.Series:
    """Per shift of `shifts`, the hours a change of the clocks adds to its paid hours (`CLOCK_CHANGE_HOURS`); 0 for
    a frame without the column (a roster saved before shifts were paid by the store's zone, paid by the clock)."""
    if CLOCK_CHANGE_HOURS not in shifts:
        return pd.Series(0.0, index=shifts.index)
    return shifts[CLOCK_CHANGE_HOURS].astype(float).fillna(0.0)


def roster_grid(shifts: pd.DataFrame, week_start: dt.date, people: pd.DataFrame | None = None,
                away: Mapping[tuple[str, dt.date], str] | None = None, short: bool = False,
                codes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """People x days, each day headed as people read it ("Mon 7 Dec", `planner.hours.day_label`): each cell the
    shift(s) of the day's opening as `09:00-17:30` or `22:00-02:00+1` ("" when not working; a shift across a change
    of the clocks marked with the hours it adds, `22:00-06:00+1 (+1 h)`), then the person's paid `hours`; a last row
    `hours per day` with the paid hours of each day's opening. `people` (employee_id, name) adds those without a
    shift this week, in its order. `away` ((employee_id, date) -> reason, e.g. "sick") writes
    "away (sick)" in a day without a shift. `short`: for a grid on a narrow screen, each shift as `short_span` writes
    it ("9–17:30", "22–2+1") and each reason as its code ("away (S)", `planner.away_codes`: "away (annual leave)" was
    cut in a day's 68 px), which `away_key` of the same reasons says in full. `codes` (reason -> code, `away_codes` of
    the reasons of every grid shown beside this one) keeps one code to one reason across grids; default: the codes of
    this grid's own reasons."""
    days = [week_start + dt.timedelta(days=d) for d in range(7)]
    labels = [day_label(day) for day in days]
    roster = _people(shifts, people)
    grid = pd.DataFrame("", index=pd.Index(roster["employee_id"], name="employee_id"), columns=labels, dtype=object)
    day_hours = dict.fromkeys(labels, 0.0)
    rows = _sorted(shifts).assign(**{CLOCK_CHANGE_HOURS: lambda frame: clock_changes(frame)})
    for row, times in zip(rows.itertuples(index=False), _by_opening(rows), strict=True):
        label = day_label(times.day)
        if label not in grid.columns:
            continue
        text = (_short(times.start, times.end) if short else opening_span(times)) + clock_change_mark(
            float(row.clock_change_hours))
        current = grid.at[row.employee_id, label]
        grid.at[row.employee_id, label] = f"{current}; {text}" if current else text
        day_hours[label] += float(row.paid_hours)
    if short and codes is None:
        codes = away_codes((away or {}).values())
    for (employee_id, day), reason in (away or {}).items():
        label = day_label(day)
        if employee_id in grid.index and label in grid.columns and not grid.at[employee_id, label]:
            shown = (codes or {}).get(reason, "") if short else reason
            grid.at[employee_id, label] = f"away ({shown})" if shown else "away"
    per_person = shifts.groupby("employee_id")["paid_hours"].sum()
    grid.insert(0, "name", list(roster["name"]))
    grid[HOURS_COLUMN] = [round(float(per_person.get(e, 0.0)), 2) for e in grid.index]
    total = pd.DataFrame([[TOTAL_ROW, *(round(day_hours[label], 2) for label in labels),
                           round(float(shifts["paid_hours"].sum()), 2)]],
                         columns=grid.columns, index=pd.Index([""], name="employee_id"))
    return pd.concat([grid, total]).reset_index()


def clock_change_notes(shifts: pd.DataFrame) -> list[str]:
    """One sentence per shift of `shifts` across a change of the clocks (`clock_changes` not 0), by start and person,
    naming the person and the shift as the grid files it: "Person A, Sat 24 Oct 22:00-06:00+1: 9 hours worked and
    paid, 1 hour more than the clock shows, as the clocks go back an hour that night."
    (`surfaces.roster.clock_change_said`). What the Roster page says beside its grid and `roster` under its own; []
    for a week without such a shift."""
    rows = _sorted(shifts)
    changes = clock_changes(rows)
    return [clock_change_said(f"{row.name}, {day_label(times.day)} {opening_span(times)}", float(row.paid_hours),
                              change)
            for row, times, change in zip(rows.itertuples(index=False), _by_opening(rows), changes, strict=True)
            if change]


def short_changes(replan: Replan) -> pd.DataFrame:
    """`Replan.changes_frame` for a narrow table: each shift before and after as the grid writes it on a narrow
    screen (`short_span`: "10–14", "22–2+1"), and a moved break, whose hours stay, by its time as the grid and the
    schedules write a break ("break 12:30" to "break 13:00": the narrow span's "13" beside "12:30" wrote the one clock
    two ways). "10:00-17:00 break 12:30" took the page's table of changes to 868 px of the 674 at 1024 px; the
    shifts in full stay in `changes_frame`, as the command line prints them."""
    frame = replan.changes_frame()
    frame["before"] = [_short_change(change.was, change.kind) for change in replan.changes]
    frame["after"] = [_short_change(change.now, change.kind) for change in replan.changes]
    return frame


def _short_change(shift: Candidate | None, kind: str) -> str:
    if shift is None:
        return ""
    _, start, end, pause = shift.opening_times()
    if kind != BREAK_MOVED:
        return _short(start, end)
    return "no break" if pause is None else f"break {day_clock(pause)}"


def roster_grid_text(grid: pd.DataFrame, name_chars: int = 16) -> str:
    """A `roster_grid` for a terminal: one line per person, shifts per day ('.' = not working), hours at the end.
    People whose names read alike in `name_chars` characters are told apart by their id ('Ann B. (E07)')."""
    days = [c for c in grid.columns if c not in ("employee_id", "name", HOURS_COLUMN)]
    width = max([11, *(len(str(v)) for c in days for v in grid[c])])
    alike = twins(grid["name"], grid["employee_id"], name_chars)
    labels = person_labels(grid["name"], grid["employee_id"], name_chars)
    if alike.any():  # room for the ids that tell them apart, up to twice the usual
        name_chars = min(max(name_chars, *(len(label) for label, twin in zip(labels, alike, strict=True) if twin)),
                         2 * name_chars)
    lines = [f"{'':{name_chars}} " + " ".join(f"{d:{width}}" for d in days) + f" {HOURS_COLUMN:>6}"]
    for row, label in zip(grid.to_dict("records"), labels, strict=True):
        cells = " ".join(f"{str(row[d]) or '.':{width}}" for d in days)
        lines.append(f"{label[:name_chars]:{name_chars}} {cells} {float(row[HOURS_COLUMN]):6.1f}")
    return "\n".join(lines)


def twins(names: pd.Series, ids: pd.Series, name_chars: int | None = None) -> pd.Series:
    """Whether each person's name (its first `name_chars` characters) is another's too; rows without an id (a grid's
    total row) are nobody's twin."""
    shown = names.astype(str) if name_chars is None else names.astype(str).str[:name_chars]
    return shown.duplicated(keep=False) & (ids.astype(str) != "")


def person_labels(names: pd.Series, ids: pd.Series, name_chars: int | None = None) -> list[str]:
    """Each person as a grid shows them: the name, and the id after it where two people's names read alike
    ("Ann B. (E07)")."""
    alike = twins(names, ids, name_chars)
    return [f"{name} ({employee_id})" if twin else str(name)
            for name, employee_id, twin in zip(names, ids, alike, strict=True)]


def person_schedule(shifts: pd.DataFrame, employee_id: str | None = None) -> pd.DataFrame:
    """`SCHEDULE_COLUMNS`, one row per shift, sorted by person and start: everyone's, or one person's."""
    rows = _sorted(shifts)
    if employee_id is not None:
        rows = rows[rows["employee_id"] == employee_id]
    rows = rows.sort_values(["employee_id", "start"], kind="stable")
    times = _by_opening(rows)
    return pd.DataFrame({
        "employee_id": rows["employee_id"].astype(str), "name": rows["name"].astype(str),
        "day": [day_label(t.day) for t in times], "date": [f"{t.day:%Y-%m-%d}" for t in times],
        "start": [day_clock(t.start) for t in times], "end": [end_clock(t.end) for t in times],
        "break_start": ["" if t.break_start is None else day_clock(t.break_start) for t in times],
        "paid_hours": rows["paid_hours"].astype(float).round(2),
        CLOCK_CHANGE_HOURS: clock_changes(rows).round(2),
    }, columns=SCHEDULE_COLUMNS).reset_index(drop=True)


def roster_totals(shifts: pd.DataFrame, hours: pd.DataFrame) -> dict[str, float]:
    """The week's paid hours and its required and uncovered staff-hours (the sums of the workbook's Hours sheet), by
    the label the Roster page's figures and `roster` on the command line show them under."""
    return {"Paid hours": float(shifts["paid_hours"].sum()),
            "Required staff-hours": float(hours["required_staff_hours"].sum()),
            "Uncovered staff-hours": float(hours["uncovered_staff_hours"].sum())}


def roster_totals_text(totals: Mapping[str, float]) -> str:
    """`roster_totals` on one line, as the page shows each figure: "Paid hours 233.0; Required staff-hours
    240.0; Uncovered staff-hours 7.0"."""
    return "; ".join(f"{label} {value:,.1f}" for label, value in totals.items())


def roster_grid_csv(grid: pd.DataFrame) -> str:
    """The grid as data: a row per person, without `roster_grid`'s last row of hours per day (its row with no
    employee_id), which doubled the sum of the hours column in any spreadsheet or script adding it up."""
    people = grid[grid["employee_id"] != ""] if "employee_id" in grid else grid
    return escape_formulas(people).to_csv(index=False, lineterminator="\n")


def roster_title(shifts: pd.DataFrame, week_start: dt.date, store_names: Mapping[str, str] | None = None) -> str:
    """Whose week a roster's workbook holds, as its title and the line over its Grid sheet say it: "Roster of S08 –
    Hamburg Altona for 2026-W50, Mon 7 Dec to Sun 13 Dec 2026" (every store of the shifts, labelled as the pages
    label a store, but whole: a file keeps the id and the name as the store file gives them)."""
    stores = sorted({str(store) for store in shifts["store_id"]})
    names = store_names or {}
    whose = f" of {', '.join(store_label(store, names.get(store), whole=True) for store in stores)}" if stores else ""
    sunday = week_start + dt.timedelta(days=6)
    return (f"Roster{whose} for {IsoWeek.of(week_start)}, {day_label(week_start)} to {day_label(sunday)} "
            f"{sunday:%Y}")


def roster_xlsx(shifts: pd.DataFrame, week_start: dt.date, people: pd.DataFrame | None = None,
                hours: pd.DataFrame | None = None, away: Mapping[tuple[str, dt.date], str] | None = None,
                store_names: Mapping[str, str] | None = None) -> bytes:
    """A workbook for the planner: sheets Grid (`roster_grid`, its days away said as `away` gives them), Shifts (as
    `roster_csv`), Schedules (`person_schedule`), and, when given, People (hours against contract) and Hours
    (required / scheduled / uncovered). Text as written, in string cells (never a formula, whatever it starts with);
    numbers stay numbers. The store and week (`roster_title`, naming stores by `store_names`) are the workbook's
    title and the line over the Grid sheet, the sheet to print and read, whose table starts on the second row; the
    data sheets start with their column names, for a program to read."""
    sheets = {
        GRID_SHEET: roster_grid(shifts, week_start, people, away),
        "Shifts": _roster_rows(shifts),
        "Schedules": person_schedule(shifts),
    }
    if people is not None:
        sheets["People"] = _hours_rounded(people)
    if hours is not None:
        sheets["Hours"] = _hours_rounded(hours.assign(start=_moments(hours["start"])) if "start" in hours else hours)
    buffer = io.BytesIO()
    title = roster_title(shifts, week_start, store_names)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False, startrow=1 if name == GRID_SHEET else 0)
        writer.book.properties.title = title
        writer.book[GRID_SHEET]["A1"] = title
        _text_never_formulas(writer.book)
    return buffer.getvalue()


def _hours_rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """Hours to 2 decimals, as the Shifts sheet and the CSVs write them (numbers still): a fair share of
    7.707692307692309 h said more than any page or payroll reads."""
    hours = [c for c in frame.columns if "hours" in str(c) and pd.api.types.is_float_dtype(frame[c])]
    return frame.assign(**{c: frame[c].round(2) for c in hours})


def _text_never_formulas(book) -> None:
    """Every cell of an openpyxl `book` that openpyxl took for a formula made a string cell again. openpyxl stores
    a str starting with "=" as a formula; the roster's sheets hold none, so such a cell is a name as written
    ("=SUM(1)"), which a string cell shows as it is and a spreadsheet never runs: it needs no quote, as a CSV does."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def person_ics(shifts: pd.DataFrame, employee_id: str, store_names: dict[str, str] | None = None,
               revised: dt.datetime | None = None, withdrawn: pd.DataFrame | None = None,
               time_zones: Mapping[str, str | None] | None = None, note: str = "") -> bytes:
    """One person's shifts as an iCalendar file: an event per shift in the store's local time, its description the
    shift as the grid says it under its opening's day ("Sat 12 Dec 17:00-24:00", `opening_span`) with its break;
    and, for each of the person's shifts in `withdrawn` (shifts an earlier published roster of the week gave and this
    one does not, `planner.rostering.shift_diffs.withdrawn_shifts`), the same event marked STATUS:CANCELLED. `note`, where given,
    ends every event's description on a line of its own (`surfaces.roster.calendar_out_of_date`: the roster follows a
    plan another has replaced): a phone shows an event's description, not the file's.

    `time_zones` (store_id -> IANA name or None, `planner.targets.resolve_time_zones`): a store's events carry its
    zone (DTSTART;TZID=Europe/London:...) and the file the zone's VTIMEZONE, so a phone or a calendar in another zone
    shows each shift at the store's time, and a shift 09:00-17:00 on the day the clocks change stays 09:00-17:00 there
    (the clock times as written, in the zone in force at them); a store without one keeps floating times (shown at
    that clock time wherever the phone is), written byte for byte as before time zones could be set.

    So that importing the file of a re-published or re-planned roster updates a calendar rather than doubling it:
    an event's UID is its store, person and the date of the opening the shift works in (`event_uid`; a person works
    at most one shift an opening), so a shift moved within its day keeps its event, and a withdrawn shift's cancellation reaches the event its earlier export
    made; DTSTAMP is `revised` (UTC; default now) and SEQUENCE the seconds from 2000-01-01 UTC to it, so every later
    export of the week carries a higher sequence than the one before (in whole minutes, two exports within a minute
    carried the same one, and a calendar kept the first). Two exports within the same second share a sequence."""
    from icalendar import Calendar, Event, vText  # imported here: only calendar exports pay for it

    revised = (revised or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    sequence = int((revised - _SEQUENCE_EPOCH).total_seconds())
    rows = _own(shifts, employee_id)
    gone = _own(withdrawn, employee_id) if withdrawn is not None else rows.iloc[:0]
    stores = sorted(set(rows["store_id"]) | set(gone["store_id"]))
    for store in stores:  # only the zones of the stores in this calendar: another store's says nothing of it
        refused = calendar_refusal(store, time_zones, store_names)
        if refused:
            raise CalendarRefused(refused)
    zones = {store: ZoneInfo(zone) for store in stores if (zone := (time_zones or {}).get(store))}
    calendar = Calendar()
    calendar.add("prodid", ICS_PRODUCT)
    calendar.add("version", "2.0")
    names = pd.concat([rows["name"], gone["name"]])
    if not names.empty:
        # as text, escaped: an X- property is written raw, so a ';' or a typed '\n' in a name reached the phone
        calendar.add("x-wr-calname", vText(f"Shifts of {names.iloc[0]}"))
    _add_time_zones(calendar, pd.concat([rows, gone]), zones)
    for row, times, cancelled in [*((row, times, False) for row, times in zip(rows.itertuples(index=False),
                                                                               _by_opening(rows), strict=True)),
                                  *((row, times, True) for row, times in zip(gone.itertuples(index=False),
                                                                             _by_opening(gone), strict=True))]:
        store = (store_names or {}).get(row.store_id, row.store_id)
        # the grid's cell under the grid's day heading: "+1" then counts from a day the text names, also in an
        # event the calendar files under the next date (Sunday's 00:00+1-02:00+1 on Monday)
        shift = f"{day_label(times.day)} {opening_span(times)}"
        event = Event()
        event.add("uid", event_uid(row.store_id, row.employee_id, times.day))
        event.add("dtstamp", revised)
        event.add("sequence", sequence)
        zone = zones.get(row.store_id)
        event.add("dtstart", _in_zone(row.start, zone))
        event.add("dtend", _in_zone(row.end, zone))
        if cancelled:
            event.add("status", "CANCELLED")
            event.add("summary", f"Cancelled: shift at {store}")
            described = f"{row.name}: the shift {shift} is no longer on the roster"
        else:
            event.add("status", "CONFIRMED")
            event.add("summary", f"Shift at {store}")
            pause = "no break" if times.break_start is None else f"break from {day_clock(times.break_start)}"
            described = f"{row.name}: {shift}, {pause}, {number_text(float(row.paid_hours))} paid hours"
        event.add("description", f"{described}\n{note}" if note else described)
        event.add("location", store)
        calendar.add_component(event)
    return calendar.to_ical()


def calendar_refusal(store_id: str, time_zones: Mapping[str, str | None] | None,
                     store_names: Mapping[str, str] | None = None, chain_time_zone: str | None = None
                     ) -> str | None:
    """Why the calendars of `store_id` cannot be written, in the app's words (the command line's through
    `planner.surfaces.fixes.on_command_line`), or None when they can: its zone in `time_zones` (`resolve_time_zones`) is
    one this machine's time-zone database does not know. Every check that takes a name refuses such a zone, but a
    tzdata update renames or drops one now and then, and a database moved from a machine with other tzdata may hold
    one this machine's lacks: its events would say a clock nobody can read.

    `chain_time_zone`: the chain's (`ChainRules.time_zone`), which a store whose store file names none keeps; a
    zone that is it is said to be the chain's, and its fix is the chain's setting."""
    zone = (time_zones or {}).get(store_id)
    if not zone or is_time_zone(zone):
        return None
    name = (store_names or {}).get(store_id)
    store = f"{name} ({store_id})" if name and name != store_id else store_id
    if zone == chain_time_zone:
        return (f"No calendars for {store}: the chain's time zone '{zone}' is not one this machine's time-zone "
                f"database knows{meant_said(zone)}. Pick a known IANA name such as {TIME_ZONE_EXAMPLE}: "
                f"{SET_THE_CHAINS_TIME_ZONE.app}, or give the store its own in the store file's time_zone column and "
                f"{UPLOAD_IT_AGAIN.app}.")
    return (f"No calendars for {store}: its time zone '{zone}' is not one this machine's time-zone database knows"
            f"{meant_said(zone)}. Set a known IANA name such as {TIME_ZONE_EXAMPLE} in the store file's time_zone "
            f"column and {UPLOAD_IT_AGAIN.app}, or leave that column empty and {SET_THE_CHAINS_TIME_ZONE.app}.")


def _in_zone(moment: pd.Timestamp, zone: ZoneInfo | None) -> dt.datetime:
    """`moment` (the store's clock, naive) as an event writes it: in `zone` at the same clock time, else floating."""
    naive = moment.to_pydatetime()
    return naive if zone is None else naive.replace(tzinfo=zone)


def _add_time_zones(calendar, shifts: pd.DataFrame, zones: Mapping[str, ZoneInfo]) -> None:
    """Into `calendar`, before its events, the VTIMEZONE of each zone (`zones`: store_id -> zone) that an event of
    `shifts` will name (RFC 5545 asks one per TZID), in the order of their names, so that one roster exported twice
    gives the same bytes (`Calendar.add_missing_timezones` adds them in the order of a set, which changes from run to
    run). Each holds the zone's changes of the clocks over the whole years the shifts fall in: a few lines a year
    (icalendar's default, 1970-2038, wrote every change of those 68 years into each person's file)."""
    from icalendar import Timezone

    names = sorted({zones[store].key for store in shifts["store_id"] if store in zones})
    if not names:
        return
    first, last = shifts["start"].min(), shifts["end"].max()
    for name in names:
        calendar.add_component(Timezone.from_tzid(name, first_date=dt.date(first.year, 1, 1),
                                                  last_date=dt.date(last.year + 1, 1, 1)))


def event_uid(store_id: str, employee_id: str, day: dt.date) -> str:
    """A shift's calendar event: its store, person and the date of the opening it works in (its business date: a
    person works one shift an opening), so Sunday 18:00-02:00's 00:00+1 is Sunday's event, not the next Monday's."""
    return f"{store_id}-{employee_id}-{day:%Y%m%d}@staffing-planner"


def calendar_people(shifts: pd.DataFrame, withdrawn: pd.DataFrame | None = None) -> dict[str, str]:
    """employee_id -> name of everyone whose calendar an export of `shifts` changes: a shift now, or a shift
    withdrawn (someone re-planned out of the whole week still needs the cancellations), in id order."""
    frames = [shifts] if withdrawn is None else [shifts, withdrawn]
    both = pd.concat([frame[["employee_id", "name"]] for frame in frames], ignore_index=True)
    both = both.drop_duplicates("employee_id").sort_values("employee_id", kind="stable")
    return dict(zip(both["employee_id"].astype(str), both["name"].astype(str), strict=True))


_SEQUENCE_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def write_roster(shifts: pd.DataFrame, week_start: dt.date, folder: Path, people: pd.DataFrame | None = None,
                 hours: pd.DataFrame | None = None, store_names: dict[str, str] | None = None,
                 withdrawn: pd.DataFrame | None = None,
                 away: Mapping[tuple[str, dt.date], str] | None = None,
                 time_zones: Mapping[str, str | None] | None = None) -> list[Path]:
    """`roster_files` written into `folder`: all of them or, when one cannot be written, none."""
    return write_files(folder, roster_files(shifts, week_start, people, hours, store_names, withdrawn, away,
                                            time_zones))


def roster_files(shifts: pd.DataFrame, week_start: dt.date, people: pd.DataFrame | None = None,
                 hours: pd.DataFrame | None = None, store_names: dict[str, str] | None = None,
                 withdrawn: pd.DataFrame | None = None,
                 away: Mapping[tuple[str, dt.date], str] | None = None,
                 time_zones: Mapping[str, str | None] | None = None, *, calendars: bool = True,
                 calendar_note: str = "") -> dict[str, str | bytes]:
    """File name -> content of a roster's export: roster.csv, roster_grid.csv, roster_schedules.csv, roster.xlsx and,
    with `calendars`, one `shifts_<employee_id>.ics` per person with a shift or a `withdrawn` one (sent as cancelled,
    `person_ics`, in the stores' `time_zones`, each event ending with `calendar_note`). The grids write the days
    `away` gives ("away (sick)"), as the Roster page's grid does."""
    contents: dict[str, str | bytes] = {
        "roster.csv": roster_csv(shifts),
        "roster_grid.csv": roster_grid_csv(roster_grid(shifts, week_start, people, away)),
        "roster_schedules.csv": escape_formulas(person_schedule(shifts)).to_csv(index=False, lineterminator="\n"),
        "roster.xlsx": roster_xlsx(shifts, week_start, people, hours, away, store_names),
    }
    revised = dt.datetime.now(dt.UTC)  # one moment for every person's calendar of this export
    for employee_id in calendar_people(shifts, withdrawn) if calendars else ():
        name, again = ics_file_name(employee_id), 1
        while name in contents:  # an id spelled like another's file name ('K_1-87eadfd3' and 'K 1'): a number after
            name, again = ics_file_name(employee_id).replace(".ics", f"-{again}.ics"), again + 1
        contents[name] = person_ics(shifts, employee_id, store_names, revised, withdrawn, time_zones, calendar_note)
    return contents


def store_week_folder(store_id: str, iso_week: str) -> str:
    """The folder name of one store-week's files when a run writes several (`S01_2026-W50`), safe for any id."""
    return _distinct(f"{store_id}_{iso_week}")


def ics_file_name(employee_id: str, iso_week: str = "") -> str:
    """A file name for a person's calendar (of a week) that no id can turn into a path elsewhere."""
    return f"shifts_{_distinct(f'{employee_id}_{iso_week}'.rstrip('_'))}.ics"


# --- helpers -------------------------------------------------------------------------------------------------------


def _safe(text: str) -> str:
    """`text` with every character but letters, digits, '-' and '_' turned into '_': a name that is no path."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


def _distinct(text: str) -> str:
    """`_safe(text)`, and when that changed a character, a short digest of `text` after it: ids 'K.1' and 'K_1' get
    two files ('K_1-<digest>', 'K_1'), not one that holds only the last written."""
    safe = _safe(text)
    if len(safe.encode()) > NAME_BYTES:  # 64 four-byte letters made a name longer than a file system takes (255)
        while len(safe.encode()) > NAME_BYTES:
            safe = safe[:-1]
        return f"{safe}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    return safe if safe == text else f"{safe}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


NAME_BYTES = 160
"""The most bytes of an id kept in a file name: with 'shifts_', the week, a digest and '.ics' well below 255."""


def _sorted(shifts: pd.DataFrame) -> pd.DataFrame:
    return shifts.sort_values(["start", "employee_id"], kind="stable")


def _own(shifts: pd.DataFrame, employee_id: str) -> pd.DataFrame:
    rows = _sorted(shifts)
    return rows[rows["employee_id"] == employee_id]


def _moments(column: pd.Series) -> pd.Series:
    return pd.Series(["" if pd.isna(v) else f"{pd.Timestamp(v):{MOMENT}}" for v in column], index=column.index,
                     dtype=object)


class _OpeningTimes(NamedTuple):
    """A shift under the opening it works in: that opening's date and minutes after its midnight (1,440 and up past
    it)."""

    day: dt.date
    start: int
    end: int
    break_start: int | None


def opening_span(times: _OpeningTimes) -> str:
    """A shift as the grid's cell and each person's calendar event say it, after its opening's midnight:
    "09:00-17:30", "17:00-24:00", "23:00-01:00+1"."""
    return f"{day_clock(times.start)}-{end_clock(times.end)}"


def _by_opening(shifts: pd.DataFrame) -> list[_OpeningTimes]:
    """Each shift's `_OpeningTimes`, in the frame's order: under its `BUSINESS_DATE`, or its clock date in a frame
    without one."""
    out = []
    for start, end, pause, midnight in zip(shifts["start"], shifts["end"], shifts["break_start"],
                                           business_dates(shifts), strict=True):
        out.append(_OpeningTimes(midnight.date(), _minutes_after(midnight, start), _minutes_after(midnight, end),
                                 None if pd.isna(pause) else _minutes_after(midnight, pause)))
    return out


def _minutes_after(midnight: pd.Timestamp, moment) -> int:
    return int((pd.Timestamp(moment) - midnight) // pd.Timedelta(minutes=1))


def short_span(start: dt.datetime, end: dt.datetime) -> str:
    """A shift's clock times in few characters, for a grid's narrow day column: the hour alone on the hour, with its
    minutes otherwise, joined by an en dash ("10–14", "9–17:30"; "16:00-20:00" made a day column 90 px wide, and the
    week wider than a 1024 px screen); a time past the start day's midnight "+1" ("22–2+1"), an end at it "24"."""
    midnight = pd.Timestamp(start).normalize()
    return _short(_minutes_after(midnight, start), _minutes_after(midnight, end))


def _short(start: int, end: int) -> str:
    """`short_span` of minutes after the opening's midnight."""
    return f"{_clock(start)}–{'24' if end == MINUTES_PER_DAY else _clock(end)}"


def _clock(minute: int) -> str:
    days, rest = divmod(minute, MINUTES_PER_DAY)
    hour, minutes = divmod(rest, 60)
    return (f"{hour}" if minutes == 0 else f"{hour}:{minutes:02d}") + (f"+{days}" if days else "")


def _people(shifts: pd.DataFrame, people: pd.DataFrame | None) -> pd.DataFrame:
    """(employee_id, name) of everyone in `people`, then anyone with a shift not in it, in first-shift order."""
    listed = [] if people is None else list(zip(people["employee_id"], people["name"], strict=True))
    known = {employee for employee, _ in listed}
    for employee, name in zip(*(_sorted(shifts)[c] for c in ("employee_id", "name")), strict=True):
        if employee not in known:
            listed.append((employee, name))
            known.add(employee)
    return pd.DataFrame(listed, columns=["employee_id", "name"])
