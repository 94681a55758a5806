"""Where to count next: the 2-hour windows where one more count would most lower the cost of the plan's doubt.

For each window (weekday, start hour) a store is open for, the planner asks what one more count there would do
to the demand's uncertainty: the window's own hours gain the information of the customers expected in them (less
what day-to-day variation hides), the neighbouring hours of that day a share of it (the store's own bend of the
hour profile is smoothed over `own_shape_bandwidth_hours`), and the same hours on the other days of its weekday
group: as much as on its own day where the store never counted that clock hour on the group's days (the hour's
profile there is borrowed, and the store's own bend, which the count gives, is one for the whole group), a fifth
where it did (the profile is its own already; the days differ by their own level and cell).

A window's value is the doubt it removes, in staff-hours a week: over the hours it informs, the help-seekers'
workload (Erlangs) x how much the log-scale spread of their rate narrows. That is what the doubt costs: with the
staff hedged at a fixed confidence, the safety staff and the expected misses of an hour both grow in proportion
to the spread of its workload (a newsvendor's cost at its best quantile is proportional to the spread), so the
window removing the most of it lowers the expected cost the most. The narrower intervals also go through
`recommend_staff` again, for the safety staff-hours saved and the staff band the sentence shows (the busiest hour's,
its high end capped at max_staff as the staffing table's likely range is). The band moves in whole staff, so a count
may remove doubt without moving it; the sentence then says what it does narrow (the help-seekers an hour in its
busiest hour, the hours it informs whose own band moves, the safety staff-hours saved), and the window keeps its rank: ranking by the
whole-staff steps instead (a preposterior ranking read off `recommend_staff`) chased hours whose hedge sits just
under a step and did worse in `bench/bench_accuracy.py` (docs/accuracy.md, *Where to count next*). Ranked by the
doubt removed ("reach", the default), by the same with every group day a fifth ("doubt", the ranking before the
borrowed hours' reach), or by the safety staff-hours saved ("safety"); `bench/bench_accuracy.py` measures them
against random windows. Several windows are never two on one weekday group's days at the same hours under
"reach": the second would tell what the first did.

The narrowing above is an approximation that reckons each store's information on its own. The "model" ranking reads
it from the demand model instead (a preposterior, `planner.demand.preposterior`): the `MODEL_WINDOWS` windows the
approximation ranks best each get the count they would give added to the store's counts (the model's expected
customers in their hours, on a new date), the pooled model is fitted again, and each hour's spread narrows by the
ratio of the help-seekers' log-spread after to before. So it knows what the store's format and the chain already
tell (in hours the store borrows, a count where its format counted a lot tells less), at 0.4-0.6 s a store on the
sample chain (all windows re-fitted: 1-2 s, the same first window for every sample store). It needs the counts and
every store (`observations`); the pipeline passes them. It is not the default: on the accuracy benchmark (576
paired trials, docs/accuracy.md, *Where to count next*) it cost no less than "reach" (-0.000 (0.002) cost /
oracle, paired) and met the target in 0.3 (0.15) points fewer store-hours; with every window re-fitted, -0.002
(0.002) at 0.8 (0.2) points fewer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.special import ndtri  # the normal quantile; scipy.stats would add 0.5 s to every start

from planner.demand.preposterior import spread_after_counts
from planner.errors import PlannerError
from planner.calendar import business_days, opening_key
from planner.hours import WEEKDAY_NAMES, WEEKDAYS, end_clock, hour_label
from planner.staff_hours import open_share
from planner.schemas import DemandSchema as D
from planner.settings import Settings
from planner.staffing.hedge import log_spread
from planner.staffing.recommend import capped_high, recommend_staff
from planner.surfaces.my_store import ABOVE_MAX, at_store_max
from planner.words import counted

WINDOW_HOURS = 2
MODEL_WINDOWS = 12
"""Under the "model" ranking, how many of the windows the approximation ranks best are re-fitted by the model."""
GROUP_REACH = ("reach", "model")
"""The rankings whose count informs the same hours on the other days of its weekday group as much as its own where
the store never counted them there (and never advise two windows on one group's days at the same hours)."""
GROUP_SHARE = 0.2
"""Share of a count's information that reaches the same hours on the other weekdays of its group, where the store
has counted that clock hour on the group's days already (its own profile there is known; the days differ by their
own level and cell)."""


class StaffBand(NamedTuple):
    """The staff an hour could need over its demand's interval, as the staffing table shows it: from
    required_staff_low to required_staff_high, the high end stopped at the store's max_staff (or at the
    recommendation, if that is higher; `capped` then says so)."""

    low: int
    high: int
    capped: bool = False
    over_max: bool = False
    """The high end (the recommendation) is above the store's max_staff, which the range could not stop at."""

    @property
    def text(self) -> str:
        """E.g. "7-10", "6-12 (12 is the store's max)" (`at_store_max`), "3-5 (above max)" (`ABOVE_MAX`)."""
        return f"{self.low}-{self.high}" + (f" ({self.note})" if self.note else "")

    @property
    def note(self) -> str:
        """What the range's high end is against the store's max_staff (`ABOVE_MAX`, `at_store_max`), or ""."""
        return ABOVE_MAX if self.over_max else at_store_max(self.high) if self.capped else ""


def narrowed(now: StaffBand, after: StaffBand) -> str:
    """"from 8-12 to about 9-12", a note on the high end said once where both ranges carry the same one ("from 8-12 to
    about 9-12 (12 is the store's max)": said after each, it read twice in one clause)."""
    if now.note and now.note == after.note:
        return f"from {now.low}-{now.high} to about {after.low}-{after.high} ({now.note})"
    return f"from {now.text} to about {after.text}"


class HourBand(NamedTuple):
    """One hour a count informs, named as the store opens (`planner.calendar.opening_key`: Sunday night's Monday
    00:00 is (6, 24)), with its staff band now and after the count."""

    weekday: int
    hour: int
    band_now: StaffBand
    band_after: StaffBand

    @property
    def name(self) -> str:
        """E.g. "Sat 14:00", "Sun 00:00+1"."""
        return f"{WEEKDAY_NAMES[self.weekday]} {hour_label(self.hour)}"


@dataclass(frozen=True)
class CountAdvice:
    weekday: int
    start_hour: int
    safety_staff_hours_saved: float
    """Safety staff-hours a week the plan would need less, once the window is counted (an hour open for part of it
    counted for that part)."""
    doubt_removed_staff_hours: float
    """Staff-hours a week of the plan's doubt the count would remove: over the hours it informs, the help-seekers'
    workload (Erlangs) x how much its log-scale spread narrows. Both costs of doubt scale with it: the safety staff
    added for it, and the hours still missed where the demand turns out above the hedge. What the ranking uses; the
    sentence leaves it out (a manager reads one figure, the safety staff-hours saved)."""
    band_now: StaffBand
    band_after: StaffBand
    """The staff the window's busiest hour could need (the band over the demand's interval), now and after."""
    also_days: tuple[int, ...] = ()
    """Other weekdays of the window's group, open at `also_hours`, whose `also_hours` the count informs as much as
    its own: the store never counted those clock hours on any day of the group, so their profile is borrowed and one
    count gives the store's own."""
    also_hours: tuple[int, ...] = ()
    """The window's clock hours the store never counted on any day of its weekday group (with `also_days`)."""
    busiest: HourBand | None = None
    """The window's busiest hour (the most help-seekers expected), its own staff band now and after."""
    help_now: tuple[float, float] = (float("nan"), float("nan"))
    help_after: tuple[float, float] = (float("nan"), float("nan"))
    """The likely range of help-seekers an hour in the busiest hour, now (the demand table's interval) and after the
    count (the narrowed interval `recommend_staff` is given)."""
    moved: tuple[HourBand, ...] = ()
    """The hours the count informs whose own staff band it moves, the most narrowed first (then in the week's
    order)."""
    opening: tuple[int, int] | None = None
    """(weekday, start hour) of the window as the store opens (`planner.calendar.opening_key`): Sunday 18:00-02:00's
    Monday 00:00 is (6, 24), written "Sun 00:00+1"; None: the clock's (`weekday`, `start_hour`)."""

    @property
    def window(self) -> str:
        """The window as the store opens, as every view of a plan names an hour: "Sat 17:00-19:00", or
        "Sun 00:00+1-02:00+1" for the night of Sunday's opening, which the clock calls Monday."""
        day, start = self.opening or (self.weekday, self.start_hour)
        return f"{WEEKDAY_NAMES[day]} {_hours(start, WINDOW_HOURS)}"

    @property
    def sentence(self) -> str:
        """One sentence for a store manager: the window, the other days it informs, what a count there does to the
        staff range and the safety staff-hours a week it saves (or, saving none, the doubt it removes), e.g. "Sat
        17:00-19:00: a count would narrow the staff range from 7-12 to about 7-11 and save about 1 safety staff-hour
        a week." The window comes first, bare: the list is headed "Where to count next" and ranked, so each tip's
        "Count ... next" said nothing the heading had not. A count whose window's band stays where it is says what it
        does gain: the narrower range of customers wanting help an hour in its busiest hour, and the hours it informs
        whose band does move, said against the window (inside it, earlier or later that day, or on another day), e.g.
        "Sat 15:00-17:00: a count would narrow 16:00's customers wanting help from 18-31 to about 21-28 and, later
        that day, move 18:00's staff range from 6-9 to 7-9; the window's staff range stays 7-10." (an hour after the
        window, named with no word of where it lies, read as a mistake)."""
        saved = round(self.safety_staff_hours_saved)
        hours = f"{counted(saved, 'safety staff-hour')} a week"
        if self.band_after[:2] != self.band_now[:2]:
            effect = f"a count would narrow the staff range {narrowed(self.band_now, self.band_after)}"
            return f"{self.window}{self._also}: {effect}{self._gain(saved)}."
        gains = [self._help_seekers] if self.busiest is not None else []
        if saved >= 1:
            gains.append(f"save about {hours}")
        if not gains and not self.moved:  # no busiest hour given (an advice made by hand)
            return (f"{self.window}{self._also}: a count would firm up the estimate but leave the staff range "
                    f"at {self.band_now.text} and the safety staff as they are.")
        # the hour moved last, so that where it lies against the window reads as its own: "and, later that day, move"
        parts = gains + ([self._moved] if self.moved else [])
        where = self._moved_where if self.moved else ""
        said = ((f" {', '.join(parts[:-1])} and" if len(parts) > 1 else "")
                + (f", {where}, {parts[-1]}" if where else f" {parts[-1]}"))
        return f"{self.window}{self._also}: a count would{said}; the window's staff range stays {self.band_now.text}."

    def _gain(self, saved: int) -> str:
        """What a count that narrows the window's staff range gains: the safety staff-hours it saves, else the doubt
        it removes, which the windows are ranked by ("but save no safety staff-hours" beside a first window left a
        manager asking why count there first), in a manager's words ("leaving about 3 staff-hours a week less to
        chance; it frees no safety staff yet" read as jargon), or, where that is next to none, that this count changes
        the plan little (of this window alone: windows ranked above it may change it more)."""
        if saved >= 1:
            return f" and save about {counted(saved, 'safety staff-hour')} a week"
        doubt = round(self.doubt_removed_staff_hours)
        if doubt < 1:
            return ", but this count would change the plan little"
        return (f", so about {counted(doubt, 'staff-hour')} a week would rest less on guesswork, though no staff added "
                "for safety could go yet")

    @property
    def _help_seekers(self) -> str:
        now, after = _rates_text(self.help_now, self.help_after)
        verb = "narrow" if now != after else "narrow slightly"
        return f"{verb} {hour_label(self.busiest.hour)}'s customers wanting help from {now}" + (
            f" to about {after}" if now != after else "")

    @property
    def _moved(self) -> str:
        first = self.moved[0]
        more = len(self.moved) - 1
        return (f"move {hour_label(first.hour)}'s staff range from {first.band_now.text} to about {first.band_after.text}"
                + (f" (and {'that' if more == 1 else 'those'} of {counted(more, 'more hour')})" if more else ""))

    @property
    def _moved_where(self) -> str:
        """Where the first hour moved lies against the window: "" inside it, "earlier that day", "later that day" or
        "on Sun" (each named as the store opens)."""
        first = self.moved[0]
        day, start = self.opening or (self.weekday, self.start_hour)
        if first.weekday != day:
            return f"on {WEEKDAY_NAMES[first.weekday]}"
        if first.hour < start:
            return "earlier that day"
        return "later that day" if first.hour >= start + WINDOW_HOURS else ""

    @property
    def _also(self) -> str:
        if not self.also_days:
            return ""
        which = ("the same hours" if len(self.also_hours) == WINDOW_HOURS
                 else _hours(self.also_hours[0], len(self.also_hours)))
        days = [WEEKDAY_NAMES[d] for d in self.also_days]
        listed = days[0] if len(days) == 1 else f"{', '.join(days[:-1])} and {days[-1]}"
        return f" (it also informs {which} on {listed}, which this store has never counted)"


def _rates_text(now: tuple[float, float], after: tuple[float, float]) -> tuple[str, str]:
    """Two ranges of help-seekers an hour, in whole customers, or to a tenth where whole ones would read alike
    ("2-4" to "2-4")."""
    for digits in (0, 1):
        texts = tuple("-".join(f"{v:.{digits}f}" for v in pair) for pair in (now, after))
        if texts[0] != texts[1]:
            break
    return texts


def _hours(start: int, length: int) -> str:
    """Hours `start` to `start + length` of a day, those from 24 on past its midnight: "00:00+1-02:00+1"; a window
    ending at midnight ends at "24:00", as a schedule's spans do."""
    return f"{hour_label(start)}-{end_clock(60 * (start + length))}"


RANKINGS = {
    "model": lambda a: (-a.doubt_removed_staff_hours, -a.safety_staff_hours_saved),
    "reach": lambda a: (-a.doubt_removed_staff_hours, -a.safety_staff_hours_saved),
    "doubt": lambda a: (-a.doubt_removed_staff_hours, -a.safety_staff_hours_saved),
    "safety": lambda a: (-a.safety_staff_hours_saved, -(a.band_now[1] - a.band_now[0])
                         + (a.band_after[1] - a.band_after[0])),
}


def next_counts(demand: pd.DataFrame, stores: pd.DataFrame, settings: Settings, store_id: str,
                windows: int = 3, ranking: str = "reach", observations: pd.DataFrame | None = None,
                progress: Callable[[int, int], None] | None = None,
                calendar: pd.DataFrame | None = None) -> list[CountAdvice]:
    """The `windows` best 2-hour windows to count next in `store_id`, best first; none for a store with no counts
    yet (any two hours will do). The "model" ranking needs the counts (`observations`) and every store of the chain
    in `stores` (the model pools them), and reads each count under the store `calendar`'s hours of its date as
    `demand` was estimated; `progress(done, total)` follows its re-fits."""
    rows = demand[demand[D.store_id] == store_id].reset_index(drop=True)
    if rows.empty:
        raise PlannerError(f"store {store_id} has no opening hours in the demand table")
    if (rows[D.confidence] == "missing").all():
        return []
    rules = settings.demand
    z = ndtri(0.5 + rules.interval_level / 2.0)
    mean = rows[D.assisted_per_hour].to_numpy(dtype=float, na_value=np.nan)
    spread = log_spread(mean, rows[D.assisted_per_hour_low].to_numpy(dtype=float, na_value=np.nan),
                        rows[D.assisted_per_hour_high].to_numpy(dtype=float, na_value=np.nan), rules.interval_level)
    now = recommend_staff(rows, stores, settings)
    share = open_share(rows, stores)  # an hour open for half of it: half its rate, half its staff-hours
    safety_now = _staff_hours(now["safety_staff"], share)
    weekday, hour = rows[D.weekday].to_numpy(), rows[D.hour].to_numpy()
    group = np.zeros(7, dtype=int)
    for index, days in enumerate(rules.similar_weekdays):
        group[list(days)] = index
    open_cells = set(zip(weekday.tolist(), hour.tolist(), strict=True))
    candidates = [(day, start) for day, start in sorted(open_cells)
                  if all((day, start + k) in open_cells for k in range(WINDOW_HOURS))]
    own_hours = _counted_in_group(rows, group)
    model = ranking == "model"
    if model and observations is None:
        raise PlannerError("the model's ranking of where to count next needs the counts (observations)")
    customers = np.nan_to_num(mean) * share
    workload = customers * np.nan_to_num(rows[D.assisted_minutes_mean].to_numpy(dtype=float, na_value=np.nan)) / 60.0
    copies, narrowing = [], []
    for index, (day, start) in enumerate(candidates):
        distance = np.min([np.abs(hour - (start + k)) for k in range(WINDOW_HOURS)], axis=0)
        reach = np.exp(-0.5 * (distance / rules.own_shape_bandwidth_hours) ** 2)
        group_share = np.where(own_hours, GROUP_SHARE, 1.0) if ranking in GROUP_REACH else GROUP_SHARE
        reach = np.where(weekday == day, reach, np.where(group[weekday] == group[day], group_share * reach, 0.0))
        information = reach * customers / (1.0 + customers * rules.store_day_spread**2)
        narrowed = np.where(spread > 0, 1.0 / np.sqrt(1.0 / np.maximum(spread, 1e-9) ** 2 + information), 0.0)
        narrowing.append(narrowed)
    refitted: set[int] = set()
    if model:  # the best by the approximation, their narrowing read from the model
        refitted = _read_from_model(observations, stores, settings, store_id, candidates, rows, spread, narrowing,
                                    workload, progress, calendar)
    for index in range(len(candidates)):
        narrowed = narrowing[index]
        after = rows.copy()
        after[D.store_id] = f"{store_id}\t{index}"  # every candidate staffed in one call, as a store of its own
        after[D.assisted_per_hour_low] = pd.array(mean * np.exp(-z * narrowed), dtype="Float64")
        after[D.assisted_per_hour_high] = pd.array(mean * np.exp(z * narrowed), dtype="Float64")
        copies.append(after)
    template = stores[stores["store_id"] == store_id]
    clones = pd.concat([template.assign(store_id=f"{store_id}\t{i}") for i in range(len(candidates))],
                       ignore_index=True)
    counted = recommend_staff(pd.concat(copies, ignore_index=True), clones, settings)
    size = len(rows)
    max_staff = _max_staff(template)
    never_in_group = ~own_hours & (ranking in GROUP_REACH)
    help_low = rows[D.assisted_per_hour_low].to_numpy(dtype=float, na_value=np.nan)
    help_high = rows[D.assisted_per_hour_high].to_numpy(dtype=float, na_value=np.nan)
    named = _opening_of(rows, template, store_id)
    staff_now, staff_counted = _staff_of(now), _staff_of(counted)
    safety_counted = counted["safety_staff"].fillna(0).to_numpy(dtype=float)
    advice = []
    for index, (day, start) in enumerate(candidates):
        table = _Staff(*(column[index * size : (index + 1) * size] for column in staff_counted))
        in_window = (weekday == day) & (hour >= start) & (hour < start + WINDOW_HOURS)
        also_hours = tuple(sorted({int(h) for h in hour[in_window & never_in_group]}))
        also_days = tuple(sorted(
            {int(d) for d in weekday[(group[weekday] == group[day]) & (weekday != day)]
             if all((d, h) in open_cells for h in also_hours)})) if also_hours else ()
        busiest = int(np.flatnonzero(in_window)[np.argmax(np.nan_to_num(mean[in_window], nan=-1.0))])
        narrowed = narrowing[index][busiest]
        advice.append(CountAdvice(
            day, start, safety_now - float(np.sum(safety_counted[index * size : (index + 1) * size] * share)),
            float(np.sum(workload * (spread - narrowing[index]))), _band(staff_now, in_window, max_staff),
            _band(table, in_window, max_staff), also_days, also_hours if also_days else (),
            busiest=_hour_band(staff_now, table, busiest, max_staff, named),
            help_now=(float(help_low[busiest]), float(help_high[busiest])),
            help_after=(float(mean[busiest] * np.exp(-z * narrowed)), float(mean[busiest] * np.exp(z * narrowed))),
            moved=_moved(staff_now, table, max_staff, named, weekday != day),
            opening=_opening(template, store_id, day, start)))
    # the windows the model re-fitted rank before the others, whose figures are the approximation's
    order = sorted(range(len(advice)), key=lambda i: (i not in refitted, RANKINGS[ranking](advice[i])))
    advice = [advice[i] for i in order]
    chosen: list[CountAdvice] = []
    # no two windows sharing an hour; with the group's reach, not on two days of one weekday group either (the
    # second would tell what the first did)
    same = (lambda a, b: group[a] == group[b]) if ranking in GROUP_REACH else (lambda a, b: a == b)
    for candidate in advice:
        if all(not same(c.weekday, candidate.weekday) or abs(c.start_hour - candidate.start_hour) >= WINDOW_HOURS
               for c in chosen):
            chosen.append(candidate)
        if len(chosen) == windows:
            break
    return chosen


def _staff_hours(staff: pd.Series, share: np.ndarray) -> float:
    """Staff-hours of `staff` people per clock hour, each hour counted for the `share` of it the doors are open."""
    return float(np.sum(staff.fillna(0).to_numpy(dtype=float) * share))


def _read_from_model(observations: pd.DataFrame, stores: pd.DataFrame, settings: Settings, store_id: str,
                     candidates: list[tuple[int, int]], rows: pd.DataFrame, spread: np.ndarray,
                     narrowing: list[np.ndarray], workload: np.ndarray,
                     progress: Callable[[int, int], None] | None, calendar: pd.DataFrame | None = None) -> set[int]:
    """Replaces the narrowing of the `MODEL_WINDOWS` candidates that remove the most doubt by the approximation
    with the model's own (`planner.demand.preposterior`): each cell's spread x the help-seekers' log-spread after
    the count over the one now (the ratio carries over to the interval the censoring correction widened). Returns
    the indices re-fitted."""
    doubt = np.array([np.sum(workload * (spread - narrowed)) for narrowed in narrowing])
    best = [int(i) for i in np.argsort(-doubt, kind="stable")[:MODEL_WINDOWS]]
    read = spread_after_counts(observations, stores, settings, store_id,
                               [(candidates[i][0], range(candidates[i][1], candidates[i][1] + WINDOW_HOURS))
                                for i in best], progress, calendar)
    weekday, hour = rows[D.weekday].to_numpy(), rows[D.hour].to_numpy()
    now = read.now[weekday, hour]
    for position, index in enumerate(best):
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(now > 0, read.after[position][weekday, hour] / now, 1.0)
        narrowing[index] = spread * np.clip(np.nan_to_num(ratio, nan=1.0), 0.0, 1.0)
    return set(best)


def advice_table_text(advice: list[CountAdvice]) -> str:
    """The figures behind the sentences, one line per window for a terminal: the staff range now and after, the
    safety staff-hours a week saved, the doubt removed in staff-hours a week (the ranking's measure) and the other
    days it informs."""
    rows = [(item.window, item.band_now.text, item.band_after.text, f"{item.safety_staff_hours_saved:.0f}",
             f"{item.doubt_removed_staff_hours:.2f}",
             f"{', '.join(WEEKDAY_NAMES[d] for d in item.also_days)} at "
             f"{_hours(item.also_hours[0], len(item.also_hours))}" if item.also_days else "-") for item in advice]
    # each column as wide as its widest cell or header (a range "9-14 (above the store's max)" ran past its header),
    # two spaces apart; words to the left, figures to the right, under headers aligned as they are
    headers = ("window", "range now", "after", "safety saved h", "doubt removed h", "also")
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    right = (False, False, False, True, True, False)
    return "\n".join("  ".join(cell.rjust(width) if figure else cell.ljust(width)
                                for cell, width, figure in zip(row, widths, right, strict=True)).rstrip()
                      for row in (headers, *rows))


class _Staff(NamedTuple):
    """A staffing table's required_staff_low, required_staff_high and required_staff as floats (0 where NA): read
    once a table, where every band of every candidate window read them from the frame (most of the advice's time)."""

    low: np.ndarray
    high: np.ndarray
    staff: np.ndarray


def _staff_of(table: pd.DataFrame) -> _Staff:
    return _Staff(*(table[column].fillna(0).to_numpy(dtype=float)
                    for column in ("required_staff_low", "required_staff_high", "required_staff")))


def _band(table: _Staff, rows: np.ndarray, max_staff: float) -> StaffBand:
    """The band of the busiest of `rows`: the largest low end and the largest high end, each hour's high end capped
    as the staffing table shows it (`planner.staffing.recommend.capped_high`)."""
    top, capped = capped_high(table.high[rows], table.staff[rows], max_staff)
    over = not np.isnan(max_staff) and top.max() > max_staff
    return StaffBand(int(table.low[rows].max()), int(top.max()), bool(capped[top == top.max()].any()), bool(over))


def _hour_band(now: _Staff, after: _Staff, row: int, max_staff: float,
               named: Callable[[int], tuple[int, int]]) -> HourBand:
    """Row `row`'s own staff band now and after, the hour named as the store opens (`named`: `_opening_of`)."""
    def band(table: _Staff) -> StaffBand:
        top, cut = capped_high(table.high[row], table.staff[row], max_staff)
        return StaffBand(int(table.low[row]), int(top), bool(cut), not np.isnan(max_staff) and bool(top > max_staff))

    return HourBand(*named(row), band(now), band(after))


def _opening_of(rows: pd.DataFrame, store: pd.DataFrame, store_id: str) -> Callable[[int], tuple[int, int]]:
    """(weekday, hour) of a row of `rows` as the store opens (`_opening`), each row's looked up once: the hours a
    count moves are named for every candidate window (a look-up reads the store's opening hours)."""
    kept: dict[int, tuple[int, int]] = {}

    def named(row: int) -> tuple[int, int]:
        if row not in kept:
            day, hour = int(rows.at[row, D.weekday]), int(rows.at[row, D.hour])
            kept[row] = _opening(store, store_id, day, hour) or (day, hour)
        return kept[row]

    return named


def _moved(now: _Staff, after: _Staff, max_staff: float, named: Callable[[int], tuple[int, int]],
           other_day: np.ndarray) -> tuple[HourBand, ...]:
    """The hours whose own staff band (low end, high end as the table shows it) differs after the count, the most
    narrowed first, then those of the window's own day (not `other_day`), then in the week's order."""
    def ends(table: _Staff):
        return table.low, capped_high(table.high, table.staff, max_staff)[0]

    (low_now, high_now), (low_after, high_after) = ends(now), ends(after)
    changed = np.flatnonzero((low_now != low_after) | (high_now != high_after))
    narrowed = (high_now - low_now) - (high_after - low_after)
    order = sorted(changed.tolist(), key=lambda r: (-narrowed[r], bool(other_day[r]), r))
    return tuple(_hour_band(now, after, r, max_staff, named) for r in order)


def _opening(store: pd.DataFrame, store_id: str, weekday: int, start_hour: int) -> tuple[int, int] | None:
    """(weekday, start hour) of a clock window as `store` opens (`planner.calendar.opening_key`), None without its
    opening hours."""
    if store.empty or not set(WEEKDAYS) <= set(store.columns):
        return None
    owner = business_days(store)[str(store_id)][weekday, start_hour]
    day, hour = opening_key(weekday, start_hour, owner)
    return int(day), int(hour)


def _max_staff(store: pd.DataFrame) -> float:
    """The store's max_staff (NaN where it has none)."""
    if "max_staff" not in store.columns or store.empty:
        return float("nan")
    return float(store["max_staff"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)[0])


def _counted_in_group(rows: pd.DataFrame, group: np.ndarray) -> np.ndarray:
    """Per row: whether the store counted that clock hour on some day of the row's weekday group."""
    key = group[rows[D.weekday].to_numpy()] * 24 + rows[D.hour].to_numpy()
    counted = np.zeros(len(group) * 24, dtype=bool)
    counted[key[rows[D.observed_hours].to_numpy() > 0]] = True
    return counted[key]

