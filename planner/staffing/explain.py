"""One plain-words sentence per store-hour, built from the numbers behind its recommendation.

Public: `HourFacts`, `explain`. Numbers are written as a store manager reads them: rates and minutes whole from 10 up
(below, one decimal without a trailing .0), loads with one decimal, service levels in whole percent, abandonment
with one decimal below 10%.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat

import numpy as np
import pandas as pd

from planner.staffing.hedge import misses_on_average, stated_percent
from planner.surfaces.my_store import ABOVE_MAX, RANGE_CUT_AT_MAX
from planner.words import agreeing, counted

SECONDS_PER_MINUTE = 60
UNCERTAIN, WELL_FOUNDED = "uncertain", "well founded"
"""How certain an hour's estimate is, as the chance the staffing rule asks of it follows (`asked_chance`): by its
confidence, not by how often it was counted (an hour counted 3 times or more whose counts reached what its staff
could serve is `low`, uncertain)."""


@dataclass(frozen=True)
class HourFacts:
    """Arrays, one element per store-hour. Staff counts are -1 where they do not apply."""

    missing: np.ndarray
    low_confidence: np.ndarray
    never_counted: np.ndarray
    """No hour of the cell was counted: its estimate is borrowed from nearby hours and similar days."""
    assisted_per_hour: np.ndarray
    assisted_minutes: np.ndarray
    self_service_per_hour: np.ndarray
    touch_minutes: np.ndarray
    help_load_erlangs: np.ndarray
    touch_load_erlangs: np.ndarray
    planned_load_erlangs: np.ndarray
    """The load staff were sized for (help-seekers still being served from earlier hours included) plus touches."""
    carried_over: np.ndarray
    """The load carried over from earlier hours raised the recommendation."""
    peak_hour: np.ndarray
    staff: np.ndarray
    service_level: np.ndarray
    abandon_share: np.ndarray
    compare_staff: np.ndarray
    """A smaller staff to set the recommendation against (-1: none)."""
    compare_is_current: np.ndarray
    compare_service_level: np.ndarray
    compare_abandon_share: np.ndarray
    averaged: np.ndarray
    """The figures are averages over what the demand could be (its spread is above zero), not the figures at the
    estimate: the comparison says so, or its "with 6, 11% would not be approached" read beside "6 meet the targets
    at the estimated demand" as if 6 both missed and met them."""
    target_wait_seconds: np.ndarray
    min_staff_binds: np.ndarray
    """The store's minimum, not the service targets, set the recommendation."""
    max_staff: np.ndarray
    """The store's maximum (NaN: none)."""
    staff_without_ceiling: np.ndarray
    """The staff the service targets alone ask for, where the occupancy ceiling asks for more (-1: it does not)."""
    max_occupancy: np.ndarray
    """The occupancy ceiling: the most of the staff's time that may be busy (1: none)."""
    staff_low: np.ndarray
    staff_high: np.ndarray
    safety_staff: np.ndarray
    """Staff added beyond what the estimate alone needs, for the demand's uncertainty."""
    chance_met: np.ndarray
    """The chance over what the demand could be that `staff` meet the targets (exact where the sentence says it)."""
    chance_met_at_mean: np.ndarray
    """The same for the staff the estimate alone needs (staff - safety_staff)."""
    asked_chance: np.ndarray
    """The chance the staffing rule asks of the hour: `StaffingRules.counted_target_confidence` in an hour whose
    estimate is well founded (not `low_confidence`: counted often enough, and never at capacity), else
    `target_confidence`."""
    target_service_level: np.ndarray
    max_abandon_share: np.ndarray
    one_more_service_level: np.ndarray
    """`service_level` with staff + 1 where the averaged figures miss a target (NaN elsewhere)."""
    one_more_abandon_share: np.ndarray
    observed_hours: np.ndarray
    borrowed_from: np.ndarray
    """Where the hour's profile comes from ("own counts", "3 other fashion stores"; "" when not said)."""


def explain(facts: HourFacts) -> list[str]:
    """One sentence per store-hour, assembled column-wise: each part of the sentences is an array of strings over
    all rows ("" where the part does not apply), each number formatted once per distinct figure, and the parts are
    joined once at the end. Each row's sentence is the one it would get on its own (`tests/reference_paths.py`
    keeps that row-by-row version)."""
    f = facts
    kept = ~np.asarray(f.missing, dtype=bool)
    helped, touched = kept & (f.help_load_erlangs > 0), kept & (f.touch_load_erlangs > 0)
    carried = kept & np.asarray(f.carried_over, dtype=bool)
    quiet = kept & ~helped & ~touched & ~carried
    touch_only = touched & ~helped & ~carried
    busy = kept & ~quiet & ~touch_only  # help-seekers, or load carried over from a peak
    never, few = kept & f.never_counted, kept & ~f.never_counted & f.low_confidence
    staff = _each(lambda v: f"{int(v)}", f.staff, kept)
    self_service = _rates(f.self_service_per_hour, touched)
    touches = _part(touched, self_service, _agreeing(self_service, " self-service customer takes ",
                                                     " self-service customers take "),
                    _staff_times(f.touch_minutes, touched), " of staff time each on average")
    assisted, minutes = _rates(f.assisted_per_hour, busy & helped), _rates(f.assisted_minutes, busy & helped)
    load = _each(_tenth, f.help_load_erlangs + f.touch_load_erlangs, busy & (helped | touched), shows=(1.0, 1))
    compared = busy & (f.compare_staff >= 0)
    current = compared & np.asarray(f.compare_is_current, dtype=bool)
    within = _each(_within, f.target_wait_seconds, busy)
    outcome = _part(busy, _each(_percent, f.service_level, busy, shows=(100.0, 0)), " are approached ", within,
                    " and ", _shares(f.abandon_share, busy), " give up")
    binds = busy & np.asarray(f.min_staff_binds, dtype=bool)
    parts = [
        _part(never, "Never counted, borrowed from nearby hours and similar days: "),
        _part(few, "Few counts: "),
        _part(quiet, "no customers are expected to need a salesperson in this hour"),
        _part(quiet & (f.staff != 0), "; ", staff, " on the floor is the store's minimum"),
        _part(touch_only, "nobody is expected to ask for help, but ", touches, ", which keeps ",
              _each(_tenth, f.touch_load_erlangs, touch_only, shows=(1.0, 1)), " salespeople busy; ", staff,
              " keep up with them"),
        _part(busy & helped, assisted, _agreeing(assisted, " customer an hour wants", " customers an hour want"),
              " help for about ", minutes, _agreeing(minutes, " minute each", " minutes each")),
        _part(busy & ~helped, "no new customers are expected to ask for help"),
        _part(busy & touched, " and ", touches, ", which together keep ", load, " salespeople busy"),
        _part(busy & helped & ~touched, ", which keeps ", load, " salespeople busy"),
        _part(carried, "; customers from the ", _each(lambda v: f"{v:02d}", f.peak_hour, carried),
              ":00 peak are still being served, so staff are set for ",
              _each(_tenth, f.planned_load_erlangs, carried, shows=(1.0, 1)), " busy"),
        _part(compared, "; ", _part(compared & np.asarray(f.averaged, dtype=bool),
                                    "on average over what the demand could be, "), "with ", _part(current, "the "), _each(lambda v: f"{v}", f.compare_staff, compared),
              _part(current, " on the floor now"), ", ",
              _each(_percent, 1.0 - f.compare_service_level, compared, shows=(100.0, 0)), " would not be approached ",
              within, " and ", _shares(f.compare_abandon_share, compared), " would give up"),
        _part(binds, "; the store's minimum of ", staff, " already does better than the target: ", outcome),
        _part(busy & ~binds, "; with ", staff, ", ", outcome),
        *_ending(f, kept),
        _part(kept, "."),
        _part(~kept, "This hour was never counted and nothing nearby could be borrowed, so there is no "
                     "recommendation: count it once to get one."),
    ]
    sentences = _joined(parts)
    for row in np.flatnonzero(kept & ~never & ~few).tolist():  # the others start with a capital already
        sentences[row] = sentences[row][0].upper() + sentences[row][1:]
    return sentences


def _ending(f: HourFacts, kept: np.ndarray) -> list[np.ndarray]:
    """What a sentence with a recommendation ends with, where it applies: the store's maximum exceeded, the staff
    added for safety, where the shape was borrowed from, and the staff the counts allow."""
    over = kept & (f.staff > f.max_staff)  # never where there is no maximum (NaN)
    safe = kept & (f.safety_staff > 0)
    borrowed = kept & (f.borrowed_from != "") & (f.borrowed_from != "own counts")
    # the high end stops at the store's maximum, as the page's likely range does ("8 to 12 (range cut)")
    high = np.where(f.staff_high > f.max_staff, np.maximum(f.max_staff, f.staff), f.staff_high).astype(np.int64)
    capped = kept & (high < f.staff_high)
    ranged = kept & f.low_confidence & (f.staff_low >= 0) & (f.staff_low != high)
    ceiling = kept & (f.staff_without_ceiling >= 0)
    return [
        _part(ceiling, "; the service targets alone ask for ", _each(lambda v: f"{v}", f.staff_without_ceiling,
                                                                      ceiling),
              ", but no one may be busy more than ", _each(_percent, f.max_occupancy, ceiling, shows=(100.0, 0)),
              " of the time (the occupancy ceiling)"),
        _part(over, ", more than the store's maximum of ", _each(lambda v: f"{int(v)}", f.max_staff, over), " staff"),
        _part(safe, "; ", _each(lambda v: "one person" if v == 1 else f"{v} people", f.safety_staff, safe),
              # the reason follows the hour's confidence, as the table beside it shows it ("high" beside "the counts
              # leave the demand uncertain" read as a contradiction)
              " added for safety, ", _part(safe & f.low_confidence, "as the counts leave the demand uncertain"),
              _part(safe & ~f.low_confidence, "as even a well-counted hour's estimate is not exact"), ": ",
              _each(lambda v: f"{v}", f.staff - f.safety_staff, safe), " meet the targets at the estimated demand "
              "but only in ", _chances(f.chance_met_at_mean, f.asked_chance, safe), " of plausible demands, short "
              "of the ", _each(_target, f.asked_chance, safe), " asked of an hour whose estimate is this ",
              _part(safe & f.low_confidence, UNCERTAIN), _part(safe & ~f.low_confidence, WELL_FOUNDED),
              "; with ", _each(lambda v: f"{v}", f.staff, safe), ", in ",
              _chances(f.chance_met, f.asked_chance, safe)),
        _missed_on_average(f, kept & ((f.help_load_erlangs > 0) | np.asarray(f.carried_over, dtype=bool)), safe),
        _part(borrowed, " (this hour ",
              _each(_times_counted, f.observed_hours, borrowed),
              "; its shape over the day borrowed from ", _each(str, f.borrowed_from, borrowed), ")"),
        _part(ranged, " (the counts allow anything from ", _each(lambda v: f"{v}", f.staff_low, ranged), " to ",
              _each(lambda v: f"{v}", high, ranged), _part(ranged & capped & (high <= f.max_staff),
                                                           f", {RANGE_CUT_AT_MAX} at the store's maximum"),
              _part(ranged & capped & (high > f.max_staff), f", {ABOVE_MAX}"), ")"),
    ]


def _missed_on_average(f: HourFacts, busy: np.ndarray, safe: np.ndarray) -> np.ndarray:
    """Where the staff meet the targets with the stated chance but the averaged figures miss one: which, by how much,
    and what one more person would give (the hours are few: written one by one)."""
    late, give_up = (busy & missed for missed in misses_on_average(
        f.service_level, f.abandon_share, f.target_service_level, f.max_abandon_share))
    out = np.full(busy.shape, "", dtype=object)
    for row in np.flatnonzero(late | give_up).tolist():
        staff, wait = int(f.staff[row]), float(f.target_wait_seconds[row])
        missed, after = [], []
        if late[row]:
            missed.append(f"{_past(f.service_level[row], f.target_service_level[row], 0)} are approached "
                          f"{_within(wait)}, below the {_target(f.target_service_level[row])} target")
            after.append(_percent(f.one_more_service_level[row]))
        if give_up[row]:
            decimals = 1 if f.abandon_share[row] < 0.1 else 0
            missed.append(f"{_past(f.abandon_share[row], f.max_abandon_share[row], decimals)} give up, above the "
                          f"{_target(f.max_abandon_share[row])} target")
            after.append(_share(f.one_more_abandon_share[row]))
        asked = f.asked_chance[row]
        # the rule first, then what it implies: "9 meet the targets in 56% ..., enough for the 54% asked, but on
        # average ... 5.2% give up, above the 5% target" read as the page recommending staff that miss its target
        start = ("; even so" if safe[row] else
                 f"; staff are chosen to meet the targets in {_target(asked)} of plausible demands for an hour whose "
                 f"estimate is this {UNCERTAIN if f.low_confidence[row] else WELL_FOUNDED} ({staff} meet them in "
                 f"{_chance(f.chance_met[row], asked)}), so")
        brings = f"it to {after[0]}" if len(after) == 1 else f"them to {after[0]} and {after[1]}"
        above_max = staff + 1 > f.max_staff[row]  # False where there is no maximum (NaN)
        out[row] = (f"{start} the average over those demands can miss a target: here, on average, "
                    f"{', and '.join(missed)}; {staff + 1} would bring {brings}"
                    + (f", but the store takes at most {int(f.max_staff[row])}" if above_max else ""))
    return out


def _past(share: float, target: float, decimals: int) -> str:
    """`share` in percent with `decimals`, or as many more as it takes not to read as the target
    (`stated_percent`, the rounding the recommendation file's chance takes too)."""
    percent, shown = stated_percent(share, target, decimals)
    return f"{float(percent):.{int(shown)}f}%"


def _target(share: float) -> str:
    """A target as written in settings: "5%", "80%", "2.5%"."""
    return f"{100.0 * share:.4g}%"


def _times_counted(times: int) -> str:
    """ "never counted", "counted once", "counted 3 times"."""
    return "never counted" if times == 0 else "counted once" if times == 1 else f"counted {times} times"


def _part(rows: np.ndarray, *pieces) -> np.ndarray:
    """The pieces (strings, or arrays of strings with one element per row) joined where `rows`, "" elsewhere."""
    joined = np.full(rows.shape, "", dtype=object)
    count = np.count_nonzero(rows)
    if count and all(isinstance(p, str) for p in pieces):
        joined[rows] = "".join(pieces)
    elif count:
        columns = [repeat(p, count) if isinstance(p, str) else p[rows].tolist() for p in pieces]
        joined[rows] = ["".join(texts) for texts in zip(*columns)]
    return joined


def _joined(parts: list[np.ndarray]) -> list[str]:
    """The parts (arrays of strings, one element per row) joined row by row."""
    return ["".join(texts) for texts in zip(*(p.tolist() for p in parts))]


def _each(form, values, rows: np.ndarray, *, shows: tuple[float, int] | None = None) -> np.ndarray:
    """`form(value)` in each row of `rows` ("" elsewhere), called once per distinct value: floats are told apart by
    their bits (so -0.0 keeps its own text), or, for a `form` that `shows` (scale, decimals) - writes value x scale
    rounded to that many decimals - by that rounded figure, wherever rounding it cannot go either way."""
    out = np.full(rows.shape, "", dtype=object)
    if not rows.any():
        return out
    values = np.asarray(values)[rows]
    if values.dtype != np.float64:
        out[rows] = _by_key(form, values, values)
    elif shows is None:
        out[rows] = _by_key(form, values, values.view(np.int64))
    else:
        scale, decimals = shows
        figure = (values * scale) * 10.0**decimals
        rounded = np.rint(figure)  # half to even on the exact value, as format() rounds
        # with decimals the figure was rounded once more when scaled: rows within 1e-6 of a tie keep their own text
        sure = ((np.abs(figure - rounded) <= 0.5 - 1e-6) & (np.abs(figure) < 1e7) if decimals
                else np.isfinite(rounded))
        texts = np.empty(values.size, dtype=object)
        texts[sure] = _by_key(form, values[sure], rounded[sure].view(np.int64))
        texts[~sure] = _by_key(form, values[~sure], values[~sure].view(np.int64))
        out[rows] = texts
    return out


def _by_key(form, values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """`form` of each value, called once per distinct key (values with the same key have the same text)."""
    codes, distinct = pd.factorize(keys, use_na_sentinel=False)
    firsts = np.empty(len(distinct), dtype=np.int64)
    firsts[codes] = np.arange(codes.size)  # a row of each key
    return np.array([form(v) for v in values[firsts].tolist()], dtype=object)[codes]


def _rates(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """`_rate` (and `_minutes`) of each row in `rows`."""
    whole = values >= 10
    return np.where(whole, _each(_rate, values, rows & whole, shows=(1.0, 0)),
                    _each(_rate, values, rows & ~whole, shows=(1.0, 1)))


def _agreeing(figures: np.ndarray, one: str, many: str) -> np.ndarray:
    """`one` beside each figure written "1", `many` beside the others ("1.5 minutes"): the words agree with the
    figure as written, so a rate of 0.96 written "1" is "1 customer"."""
    return np.array([agreeing(float(figure or 0), one, many) for figure in figures], dtype=object)


def _shares(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """`_share` of each row in `rows`."""
    small = values < 0.1
    return np.where(small, _each(_share, values, rows & small, shows=(100.0, 1)),
                    _each(_share, values, rows & ~small, shows=(100.0, 0)))


def _tenth(value: float) -> str:
    """Loads in Erlangs: one decimal."""
    return f"{value:.1f}"


def _chance(chance: float, asked: float) -> str:
    """A chance in whole percent, or with as many more decimals as it takes not to read as the chance `asked`
    ("64.6%" beside a 65% asked, where "65%" would hide why one was added)."""
    return _past(chance, asked, 0)


def _chances(chances: np.ndarray, asked: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """`_chance` of each row in `rows` ("" elsewhere)."""
    out = np.full(rows.shape, "", dtype=object)
    out[rows] = [_chance(c, a) for c, a in zip(chances[rows].tolist(), asked[rows].tolist(), strict=True)]
    return out


def _rate(value: float) -> str:
    """Whole from 10 up, else one decimal, a trailing .0 dropped."""
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0")


_minutes = _rate


def _staff_time(minutes: float) -> str:
    """A short stretch of staff time: whole seconds under a minute ("under a second" below half a second), else
    `_minutes` minutes. A self-service customer's average touch is seconds: "0 minutes" said none."""
    seconds = round(minutes * 60.0)  # half to even, as the key `_staff_times` groups rows by
    if seconds >= 60:
        return f"{_minutes(minutes)} minute" + ("" if _minutes(minutes) == "1" else "s")
    return "under a second" if seconds == 0 else "1 second" if seconds == 1 else f"{seconds} seconds"


def _staff_times(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """`_staff_time` of each row in `rows`."""
    seconds = np.asarray(values, dtype=float) * 60.0
    short = np.rint(seconds) < 60
    return np.where(short, _each(_staff_time, values, rows & short, shows=(60.0, 0)),
                    _each(_staff_time, values, rows & ~short, shows=(1.0, 1)))


def _percent(share: float) -> str:
    return f"{100.0 * share:.0f}%"


def _share(share: float) -> str:
    """Abandonment: one decimal below 10%."""
    return f"{100.0 * share:.1f}%" if share < 0.1 else f"{100.0 * share:.0f}%"


def _duration(seconds: float) -> str:
    if seconds == SECONDS_PER_MINUTE:
        return "a minute"
    if seconds % SECONDS_PER_MINUTE == 0:
        return f"{seconds / SECONDS_PER_MINUTE:.0f} minutes"
    return counted(seconds, "second")


def _over(seconds: float) -> str:
    return "at all" if seconds == 0 else f"over {_duration(seconds)}"


def _within(seconds: float) -> str:
    return "at once" if seconds == 0 else f"within {_duration(seconds)}"
