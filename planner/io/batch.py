"""Checks across the files of one import batch, and against what is stored: warnings that say what the import will
choose silently otherwise. Each function returns, per file in the batch, the extra problems for that file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import numpy as np
import pandas as pd

from planner.calendar import date_exceptions
from planner.errors import InputProblem
from planner.hours import (
    CLOSED, DAY_NAMES, WEEKDAY_NAMES, WEEKDAYS, is_open_during_hour, opening_overlaps, overlap_fix, overlap_message,
    parse_opening_hours,
)
from planner.io.calendar import CLOSES, OPENS, capped_per_column, stored_rows
from planner.io.stores import opening_frame, opening_week
from planner.schemas import (
    CHAIN_WIDE, OBSERVATION_KEY, AbsenceSchema as A, CalendarSchema as C, EmployeeSchema as E, ObservationSchema as O,
    StoreSchema as S,
)
from planner.settings import ImportRules
from planner.staff_hours import dated_open_share
from planner.surfaces.fixes import PICK_THE_STORES
from planner.words import agreeing, counted as counted_words, first_named, nearest

MAX_STORES_NAMED = 10
REPEATED = {  # kind: (the key a row is stored by, the column a warning names, the key in words, what the row holds)
    "observations": (OBSERVATION_KEY, O.hour, "this store, date and hour", "counts"),
    "calendar": ([C.store_id, C.date], C.date, "this store (or the chain) and date", "day"),
    "absences": ([A.employee_id, A.first_day], A.first_day, "this person's absence from this first day", "absence"),
}


def repeated_keys(files: list[tuple[str, pd.DataFrame]], rules: ImportRules, kind: str = "observations"
                  ) -> list[list[InputProblem]]:
    """Rows of a file whose key a later file of the batch also has (`REPEATED`: a count file's store, date and hour;
    a calendar's store and date; an absence's person and first day): files are imported in order, so the later
    file's row is the one kept. `files`: (file name, validated frame, indexed by spreadsheet row), all of `kind`."""
    key, column, what, right = REPEATED[kind]
    found: list[list[InputProblem]] = [[] for _ in files]
    keyed = [
        frame[key].assign(_file=position, _row=frame.index)
        for position, (_, frame) in enumerate(files) if not frame.empty
    ]
    if len(keyed) < 2:
        return found
    rows = pd.concat(keyed, ignore_index=True)
    winner = rows.groupby(key, sort=False)["_file"].transform("max")
    losing = rows[rows["_file"] < winner].assign(_winner=winner)
    for (position, later), group in losing.groupby(["_file", "_winner"], sort=True):
        later_name = files[later][0]
        for row in sorted(group["_row"])[: rules.max_problems_per_column]:
            found[position].append(InputProblem(
                files[position][0], int(row), column, "",
                f"{what} is also in {later_name}, whose row is imported",
                f"Nothing to do if {later_name} has the right {right}; otherwise leave it out of this import.",
                "warning"))
        if len(group) > rules.max_problems_per_column:
            found[position].append(InputProblem(
                files[position][0], None, column, "",
                f"and {counted_words(len(group) - rules.max_problems_per_column, 'more row')} also in {later_name}",
                f"{later_name}'s rows are imported.", "warning"))
    return found


def left_out_stores(file_name: str, new: pd.DataFrame, known: pd.DataFrame) -> list[InputProblem]:
    """Stores in the database that a new store file does not list: they are kept, not deleted."""
    missing = sorted(set(known[S.store_id]) - set(new[S.store_id]))
    if not missing or new.empty:
        return []
    named = first_named(missing, MAX_STORES_NAMED)
    return [InputProblem(
        file_name, None, S.store_id, named,
        f"{counted_words(len(missing), 'store')} already stored {agreeing(len(missing), 'is', 'are')} not in this "
        f"file ({named}): they are kept, with their counts",
        f"A store file adds and updates stores, it never deletes one. To stop planning a store, {PICK_THE_STORES.app}; "
        "to delete it, its rows must be removed from the database.",
        "warning")]


def lookalike_stores(file_name: str, new: pd.DataFrame, known: pd.DataFrame) -> list[InputProblem]:
    """A new store whose id is a stored one's in another case or width ('s01', 'S0１' beside 'S01'): one warning per
    row. Imported, it is a second store beside the stored one, with none of its counts (validate said "ready to
    import", and only that S01 was "not in this file")."""
    return _lookalikes(file_name, new[S.store_id], known[S.store_id], "store", "a store of its own", "its counts")


def lookalike_people(file_name: str, new: pd.DataFrame, known_ids: Iterable[str]) -> list[InputProblem]:
    """A new person whose employee id is a stored one's in another case or width ('s01-e01' beside 'S01-E01'), as
    `lookalike_stores` says of a store: imported, a second person beside the stored one, with none of their
    absences (validate said "ready to import" without a word)."""
    return _lookalikes(file_name, new[E.employee_id], known_ids, "employee id", "a person of their own",
                       "their absences")


def _lookalikes(file_name: str, ids: pd.Series, known: Iterable[str], what: str, own: str, without: str
                ) -> list[InputProblem]:
    """One warning per row of `ids` (a validated file's id column, indexed by spreadsheet row) whose id is not among
    `known` but is one of them in another case or width."""
    stored = [str(item) for item in known]
    kept = set(stored)
    problems = []
    for row, item in ids.astype(str).items():
        near = None if item in kept else nearest(item, stored, misspelt=False)
        if near is not None:
            problems.append(InputProblem(
                file_name, int(row), ids.name, item,
                f"{what} '{item}' is new, and reads as the stored '{near}' written in another case or width",
                f"It is imported as {own}, beside {near} and without {without}: if it is {near}, write '{near}'.",
                "warning"))
    return problems


def newly_closed_hours(file_name: str, new: pd.DataFrame, observed_cells: pd.DataFrame) -> list[InputProblem]:
    """Stored counts in hours a new store file says the store is closed: one warning per store and weekday."""
    counted = observed_cells[observed_cells["observed_hours"] > 0]
    week = opening_week(new)
    counted = counted[counted[S.store_id].isin(list(week))]
    problems = []
    for (store, weekday), cells in counted.groupby([S.store_id, "weekday"], sort=True):
        closed = cells[[not is_open_during_hour(week[store], int(weekday), int(hour)) for hour in cells[O.hour]]]
        if closed.empty:
            continue
        rows = new.index[new[S.store_id] == store]
        hours = ", ".join(f"{int(hour):02d}:00" for hour in sorted(closed[O.hour]))
        problems.append(InputProblem(
            file_name, int(rows[0]) if len(rows) else None, WEEKDAY_NAMES[int(weekday)][:3].lower(), hours,
            f"{store} is now closed on {WEEKDAY_NAMES[int(weekday)]} at {hours}, where "
            f"{counted_words(int(closed['observed_hours'].sum()), 'counted hour')} "
            f"{agreeing(int(closed['observed_hours'].sum()), 'is', 'are')} stored",
            "Those counts are kept but not planned for while the store is closed then; check the opening hours.",
            "warning"))
    return problems


def counts_a_calendar_closes(file_name: str, new: pd.DataFrame, written: pd.DataFrame, calendar: pd.DataFrame,
                             counted_days: pd.DataFrame, weeks: Mapping[str, tuple],
                             rules: ImportRules) -> list[InputProblem]:
    """Warnings of a calendar file (`new`, checked: `CalendarSchema`, indexed by spreadsheet row; `written`: its
    cells that change a date's opening as the file has them, `planner.io.calendar.ValidatedCalendar.written`) whose
    rows close hours where counts are stored (`counted_days`: `planner.storage.load_counted_days`' store_id, date, hour_mask): a
    closed date, or changed hours shorter than the hours counted that date. Judged under `calendar` (the stored
    calendar with the batch's calendar files over it, `CalendarSchema`) and the stores' usual hours (`weeks`: store
    id -> its week, `planner.io.stores.opening_week`), as the demand model reads the counts
    (`planner.staff_hours.dated_open_share`). A row is named for a store only where it decides that store's opening
    on its date (`planner.calendar.date_exceptions`' precedence: a chain-wide row not for a store with a row of its
    own) and changes it (closed, or hours: a demand factor alone closes nothing); a closed hour is its date's, or,
    past midnight of the evening before's usual opening, that evening's (`_closing_dates`). Each names the cell
    that closes the hours and quotes it as the file has it (`_closing_cells`: 'Y' under closed, 'Closed' under
    hours, '17:30' under closes): one per row, store and cell, at most `rules.max_problems_per_column` listed."""
    changing = new[new[C.closed].astype(bool) | new[C.hours].notna()]
    if changing.empty or counted_days.empty or not weeks:
        return []
    days = pd.to_datetime(counted_days[O.date])
    dates = set(pd.to_datetime(changing[C.date]))
    near = days.isin(dates) | (days - pd.Timedelta(days=1)).isin(dates)  # a row's evening runs into the next date
    counted = counted_days[near.to_numpy() & counted_days[S.store_id].astype(str).isin(list(weeks)).to_numpy()]
    if counted.empty:
        return []
    masks = counted["hour_mask"].to_numpy(dtype=np.int64)
    day_of, hour = np.nonzero((masks[:, None] >> np.arange(24)) & 1)
    names = list(weeks)
    usual = opening_frame(weeks)
    store = pd.Index(names).get_indexer(counted[S.store_id].astype(str).to_numpy()[day_of])
    on = pd.DatetimeIndex(pd.to_datetime(counted[O.date]).to_numpy()[day_of])
    shut = dated_open_share(usual, store, on, hour, calendar) == 0
    if not shut.any():
        return []
    closed = pd.DataFrame({S.store_id: np.asarray(names)[store[shut]], O.date: on[shut], O.hour: hour[shut]})
    decided = date_exceptions(calendar, names, sorted(dates))
    decided = decided[decided[C.closed].astype(bool) | decided[C.hours].notna()]
    decides = {(str(store_id), pd.Timestamp(day)): source
               for store_id, day, source in zip(decided[C.store_id], decided["date"], decided["source"], strict=True)}
    closed["by"] = _closing_dates(closed, weeks, decides)
    problems = []
    for row, cells in changing.iterrows():
        day = pd.Timestamp(cells[C.date])
        chain = cells[C.store_id] == CHAIN_WIDE
        decided_here = np.array([decides.get((store_id, day)) == ("chain" if chain else "store")
                                 and (chain or store_id == cells[C.store_id]) for store_id in closed[S.store_id]],
                                dtype=bool)
        mine = closed[(closed["by"] == day).to_numpy() & decided_here]
        for store_id, hours in mine.groupby(S.store_id, sort=True):
            later = (hours[O.date] > day).to_numpy()
            for column, text, part in _closing_cells(cells, written.loc[row], later, hours[O.hour].to_numpy()):
                when = ", ".join(f"{hour:02d}:00" + ("+1" if after else "") for after, hour in
                                 sorted(zip(later[part].tolist(), hours[O.hour].to_numpy()[part].tolist())))
                problems.append(InputProblem(
                    file_name, int(row), column, text,
                    f"{store_id} {day:%Y-%m-%d}: this row closes the store in "
                    f"{counted_words(int(part.sum()), 'hour')} where counts are stored ({when})",
                    "Plans read a stored count of customers in such an hour as an hour of the store's usual opening, "
                    "and leave one of no customers out as the closing: if the store was open then, correct this row; "
                    "the calendar is imported as it is.", "warning"))
    return capped_per_column(problems, rules.max_problems_per_column)


def _closing_cells(cells: Mapping, written: pd.Series, later: np.ndarray, hour: np.ndarray
                   ) -> list[tuple[str, str, np.ndarray]]:
    """(column, the cell as the file has it, which of the closed hours it closes) for a calendar row (`cells`: its
    checked values; `written`: its opening cells as written) closing the hours `hour` of its date, or of the date
    after where `later`: the closed cell ('Y'), else the hours cell ('Closed', '09:00-17:30'), else, for hours given
    as opens and closes, the opens cell for the hours before the opening and the closes cell for the others."""
    every = np.ones(len(hour), dtype=bool)
    if cells[C.closed]:  # by its closed cell, or by hours that say closed
        column = C.hours if written[C.hours].strip().lower() == CLOSED else C.closed
        return [(column, written[column], every)]
    if written[C.hours].strip():
        return [(C.hours, written[C.hours], every)]
    opens = parse_opening_hours(str(cells[C.hours])).open_minute
    early = ~later & (hour * 60 < opens)
    return [(column, written[column], part) for column, part in ((OPENS, early), (CLOSES, ~early)) if part.any()]


def _closing_dates(closed: pd.DataFrame, weeks: Mapping[str, tuple], decides: Mapping) -> list:
    """Per closed counted hour (store_id, date, hour), the date whose calendar row closed it: its own date where the
    store's usual opening that date holds the hour; the evening before where the usual opening of that evening runs
    past midnight into it; else (an hour no usual opening holds) its own date where the calendar changes that date's
    opening (`decides`: (store_id, date) -> the deciding row's source, for each changed one), else the evening
    before."""
    found = []
    for store_id, day, hour in zip(closed[S.store_id], closed[O.date], closed[O.hour].tolist(), strict=True):
        week, before = weeks[store_id], day - pd.Timedelta(days=1)
        own, evening = week[day.day_of_week], week[before.day_of_week]
        if own is not None and hour in own.open_hours():
            found.append(day)
        elif evening is not None and hour + 24 in evening.open_hours():
            found.append(before)
        else:
            found.append(day if (store_id, day) in decides else before)
    return found


def stored_calendar_overlaps(file_name: str, new: pd.DataFrame, stored: pd.DataFrame,
                             replacing: list[pd.DataFrame], rules: ImportRules) -> list[InputProblem]:
    """Errors of a new store file (`new`, validated, indexed by spreadsheet row) whose usual hours overlap a date's
    changed hours already stored in the calendar (`stored`: `planner.storage.load_calendar`'s rows, opens and closes
    apart): the calendar's opening runs past midnight into the next date's usual opening, or the usual evening before
    runs into the calendar's. One per store and date, under the store's row and the column of the usual day, at most
    `rules.max_problems_per_column` per column listed (a chain-wide row can overlap at every store). A stored row that
    `replacing` (the batch's calendar files, `CalendarSchema`) replaces is not the database's any more: that file's
    own check reads it against the new hours. Two calendar dates in a row are the calendar's concern, not the file's."""
    if stored.empty or new.empty:
        return []
    rows = pd.concat([stored_rows(stored), *(frame[[C.store_id, C.date, C.closed, C.hours]].assign(stored=False)
                                              for frame in replacing if not frame.empty)], ignore_index=True)
    rows = rows.drop_duplicates([C.store_id, C.date], keep="last")
    position = pd.Series(new.index, index=new[S.store_id].astype(str).to_numpy())
    problems = []
    for store_id, usual in opening_week(new).items():
        own = rows[rows[C.store_id] == store_id]
        chain = rows[(rows[C.store_id] == CHAIN_WIDE) & ~rows[C.date].isin(own[C.date])]
        both = pd.concat([own, chain])
        dated = {day.date(): cells for day, cells in zip(both[C.date], both.to_dict("records"), strict=True)}
        for day, cells in sorted(dated.items()):
            if not cells["stored"] or cells[C.closed] or not isinstance(cells[C.hours], str):
                continue
            for first, usual_day in ((day - timedelta(days=1), day - timedelta(days=1)),
                                     (day, day + timedelta(days=1))):
                if usual_day in dated and (dated[usual_day][C.closed] or isinstance(dated[usual_day][C.hours], str)):
                    continue  # both dates the calendar's
                problem = _usual_overlap(file_name, int(position[store_id]), store_id, usual, day, usual_day, first,
                                         cells)
                if problem is not None:
                    problems.append(problem)
    return capped_per_column(sorted(problems, key=lambda p: (p.row, WEEKDAYS.index(p.column))),
                             rules.max_problems_per_column)


def _usual_overlap(file_name: str, row: int, store_id: str, usual: tuple, day: date, usual_day: date, first: date,
                   cells: dict) -> InputProblem | None:
    """The error of the store file's row `row` where the calendar's hours on `day` (`cells`) and the store's `usual`
    hours on `usual_day` overlap across the midnight after `first` (one of the two dates), else None."""
    column = WEEKDAYS[usual_day.weekday()]
    every_store = ", for every store" if cells[C.store_id] == CHAIN_WIDE else ""
    calendar_side = (parse_opening_hours(cells[C.hours]), f"{cells[C.hours]} in the stored calendar{every_store}")
    usual_side = (usual[usual_day.weekday()], f"{column} {usual[usual_day.weekday()] or 'closed'} in this file")
    pair = (calendar_side, usual_side) if first == day else (usual_side, calendar_side)
    found = [o for o in opening_overlaps((pair[0][0], pair[1][0])) if o.day == 0]  # not the wrap back
    if not found:
        return None
    names = [f"{DAY_NAMES[d.weekday()]} {d.isoformat()}" for d in (first, first + timedelta(days=1))]
    return InputProblem(
        file_name, row, column, str(usual[usual_day.weekday()]),
        f"{store_id}: {overlap_message(found[0], *names, pair[0][1], pair[1][1])}",
        f"{overlap_fix(found[0], *names)[:-1]}: correct {column} in this file, or import a store calendar whose row "
        f"for {day.isoformat()} replaces the stored one.")
