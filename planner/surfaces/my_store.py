"""Words of My store: its hourly table's metric, column and marks, and the phrases for a likely range cut at the
store's maximum or staff above it, which every surface that says so uses (the CSVs, the charts, the count advice, a
schedule's check)."""

from __future__ import annotations

from collections.abc import Sequence

from planner.settings import Settings
from planner.words import IN_CURRENCY

HOURS_WITHOUT_ESTIMATE = "Hours with no estimate"
"""My store's metric of the open hours never counted with nothing near to borrow from: "Open hours without a
recommendation" wrapped onto two lines at 1024 px, its help icon far to the right; the help says it in full."""
RANGE_CUT_AT_MAX = "range cut"
"""The one phrase for a likely range whose high end stops at the store's maximum (demand at the high end of its range
would need more), wherever that is said: My store's Max column, the CSVs' max_staff_note and likely range ("8 to 12
(range cut)"), the count advice's bands, an hour's sentence and the chart's note ("range cut at the store's maximum
of 12 staff"). "capped" beside a recommendation of 10 under a maximum of 12 read as if the staff were; and the same
cut read four ways ("range cut", "capped at max", "capped at the store's maximum", "... of 12 staff")."""
ABOVE_MAX = "above max"
"""The one phrase for staff above the store's maximum, wherever that is said: My store's Max column where the
recommendation itself is above it (the range then stops at the recommendation), the CSVs' max_staff_note and likely
range ("13 to 17 (above max)"), the count advice's bands, an hour's sentence ("..., above max)") and a schedule's or
roster's check ("2 on the floor, above max of 1"). The column said "above max" and the files, advice and sentences
"above the store's max" or "above the store's maximum": one idea read three ways."""
ABOVE_MAX_WHAT_TO_DO = ("if the floor holds more people, have the store's max_staff raised in the chain's store file "
                        "(a planner changes it, on the Upload page); else accept these hours short of the targets: a "
                        "schedule puts no more than the maximum on the floor")
"""What a manager can do about an hour whose recommendation is above the store's maximum (the schedule's shift
rules keep the floor at or under max_staff). The store file's rows are the planners' to change (a store manager's
upload of a changed row is refused), so it does not tell the manager to upload one."""


def at_store_max(max_staff: int) -> str:
    """The count advice's note on a staff range whose high end stops at the store's maximum ("8-12 (12 is the
    store's max)"): "(range cut)" read as jargon in a tip to a store manager, where the range's own high end says
    where it stops."""
    return f"{max_staff} is the store's max"


MAX_COLUMN_HELP = (f"the store's maximum staff (store file): *{RANGE_CUT_AT_MAX}*: the likely range stops at the "
                   "maximum, though demand at the high end of its range would need more; "
                   f"*{ABOVE_MAX}*: the recommendation itself is above the maximum, and the range stops at the "
                   f"recommendation: {ABOVE_MAX_WHAT_TO_DO}; blank: neither")


COUNTS_COLUMN_HELP = (
    "how well counted the hour is, which its estimate rests on (not how narrow its range is: a well-counted hour whose "
    "customers vary from day to day still has a wide one): high: counted 3 times or more, never at what its staff "
    "could serve; low: counted once or twice, the estimate also leaning on nearby hours and similar days, or counted "
    "at what its staff could serve (how far demand went past it unknown); uncounted: never counted, the estimate "
    "borrowed from nearby hours and similar days; missing: never counted and nothing near, no recommendation")
"""The help of My store's hourly Counts column (`confidence`): it was headed "Confidence", and "high" beside a range
of 8-12 read as a contradiction."""


def above_max_caption(hours: list[str], max_staff: int) -> str:
    """The line under My store's hourly table on a day with hours marked `ABOVE_MAX`: which, and what to do."""
    return (f"*{ABOVE_MAX}* at {', '.join(hours)}: the targets ask for more staff than the store's maximum of "
            f"{max_staff}: {ABOVE_MAX_WHAT_TO_DO}.")


_BY_DOUBT = ("Ranked by how much of the plan's doubt each count removes (the safety staff it carries, and the hours "
             "that may still fall short), so a count that narrows the customers expected can come before one that "
             "moves a staff range.")
COUNT_NEXT_RANKED = {"reach": _BY_DOUBT, "doubt": _BY_DOUBT, "model": _BY_DOUBT,
                     "safety": "Ranked by the safety staff-hours a week each count saves."}
"""The one line, above the count advice on My store and `next-counts`, that says why the first window is first, by
the ranking (`planner.staffing.advice.RANKINGS`): a first window that moved no staff range, above one that did, read
as a mistake without it."""

COUNT_NEXT_CAPTION = (
    "Each staff range is for the busiest hour of its window; it moves in whole staff, so a count can narrow the "
    "customers expected without moving it. Worked out at the store's own targets: the what-ifs above do not change "
    "it.")
"""The line under the count advice on My store."""
NO_COUNTS_YET = "No counts for this store yet: count any two opening hours to start."
"""My store's count advice for a store with no counts (any two hours will do)."""


MISSED_MARKS = {"expected_service_level": "▼", "expected_abandon_share": "▲"}
"""The marks beside an hour's figure on My store that misses its target on average over the demand's likely range:
approached in time below the target, giving up above the most."""


def on_average(settings: Settings) -> str:
    """Why My store can mark an hour's averaged service as missing its target beside the staff recommended for it
    (`planner.staffing.hedge`: the rule is a chance, the service shown an average), with the chances `settings` ask
    (`StaffingRules`) by how certain the hour's estimate is (its confidence: `high` where counted
    `DemandRules.min_hours_for_high_confidence` times or more and never at what its staff could serve): said in the
    marked columns' header help."""
    staffing = settings.staffing
    return (f"staff are chosen to meet the targets in a share of plausible demands "
            f"({_percent(staffing.counted_target_confidence)} in an hour whose estimate is well founded, counted "
            f"{settings.demand.min_hours_for_high_confidence} times or more and never at what its staff could serve, "
            f"{_percent(staffing.target_confidence)} in one less certain), so the average over those demands can miss "
            "a target; the hour's explanation says by how much and what one more person would give")


MISSED_MEANINGS = {"expected_service_level": "below the in-time target",
                   "expected_abandon_share": "above the give-up target"}
"""What each mark of `MISSED_MARKS` says of its hour's figure, on average."""


def hourly_table_caption(marks_caption: str) -> str:
    """The line above My store's hourly table: what its columns are at, with `missed_marks_caption` where the day's
    table shows a mark."""
    return ("At the recommended staff. *On duty*: staff on duty when counted; *Lost now*: customers per hour who gave "
            f"up waiting at that staff{f'; {marks_caption}' if marks_caption else ''}. Each header's help says it in "
            "full.")


def missed_marks_caption(settings: Settings, shown=tuple(MISSED_MARKS)) -> str:
    """The line above My store's hourly table: what the marks (`MISSED_MARKS`) of the columns `shown` (those the
    day's table marks) say, and why a recommended staff can carry one (its rule is a chance over what the demand
    could be, the figures an average over it), with the chances `settings` ask, from the lower to the higher
    (`on_average` says which hour is asked which); "" where the table shows no mark (the line explained both marks
    over days that showed neither)."""
    marked = [column for column in MISSED_MARKS if column in shown]
    if not marked:
        return ""
    low, high = sorted((settings.staffing.counted_target_confidence, settings.staffing.target_confidence))
    marks = " and ".join(MISSED_MARKS[column] for column in marked)
    meaning = " or ".join(MISSED_MEANINGS[column] for column in marked)
    if len(marked) > 1:  # "below the in-time target or above the give-up one"
        meaning = meaning.removesuffix("target") + "one"
    # "set to meet the targets with a 54% to 65% chance ..., not on average" explained the mark in jargon
    return (f"{marks}: on average {meaning}: staff are chosen to meet the targets in {_percent(low)} to "
            f"{_percent(high)} of plausible demands (the less certain the hour's estimate, the more), so the average "
            "over those demands can miss a target; the hour's explanation below says by how much")


def _percent(share: float) -> str:
    """A chance as the settings write it: "54%", "65%", "97.5%"."""
    return f"{100 * share:.4g}%"


def bias_next_step(flag: str) -> str | None:
    """What to do about a persistent bias in Plan vs actual, said under the judgement; None where the counts go as
    planned or are too few to judge (`flag`, `planner.review.Review.flag`: "higher", "lower" or "", as its
    `ReviewRules` decide, so a busy morning re-plans nothing). Re-plan (the Plans page) makes a plan again from the
    counts stored then, these included."""
    more = {"higher": "more", "lower": "fewer"}.get(flag)
    if more is None:
        return None
    return (f"The counts say {more} customers wanted help than the plan expected. Next step: Re-plan the weeks still "
            "to come whose plans the Plans page says are out of date (a planner's step): a plan made again estimates "
            "its customers from the counts stored, these counts included; one made since they were imported has them "
            "already.")


PLAN_VS_ACTUAL_STAFF_CAPTION = (
    "Of the hours counted, those served below the target service, and those with fewer staff on duty than the "
    "published plan scheduled or required.")
"""Under My store's Plan vs actual table of staff on the floor, hours short of the plan."""


def published_plan_drawn(plan_id: int, iso_week: str, day: str) -> str:
    """Under My store's chart, where no schedule was made in the session: the scheduled staff drawn are the plan
    published for this week's `day` ("Tue 01 Dec"). The page said "No schedule made in this session" beside a
    published plan of the week."""
    return (f"Scheduled staff come from plan {plan_id}, published for {iso_week}, on {day}: the fewest on the floor "
            "in the hour, breaks taken out, at the targets the plan was made with (not the what-ifs above). The "
            "Plans page shows its shifts.")


def no_plan_this_week(store_id: str, iso_week: str, ahead: Sequence[tuple[str, int]]) -> str:
    """Under My store's chart where no plan of the store is published for this week (`iso_week`) and no schedule was
    made in the session: which later weeks have one (`ahead`: (week, plan id), soonest first). "No plan of S02 is
    published for 2026-W50 ...: make one" read to a store manager as "you have no plan" while 2026-W51's was
    published, and told her to make what only a planner publishes."""
    said = f"No plan of {store_id} is published for this week ({iso_week})"
    if not ahead:
        return f"{said}, nor for a later week yet: plans are published on the Plans page."
    listed = [f"{week} (plan {plan_id})" for week, plan_id in ahead]
    weeks = listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"
    return f"{said}; published for {'a later week' if len(ahead) == 1 else 'later weeks'}: {weeks}."


def next_published_link(plan_id: int, iso_week: str) -> str:
    """The link under My store's chart to the soonest later week's published plan, where this week has none."""
    return f"Plan {plan_id}, published for {iso_week}, on the Plans page"


SCHEDULE_FOR_A_LOOK = ("To draw a schedule's staff on this chart, make one on the Schedule page (for this session: it "
                       "publishes nothing)")
"""The link to the Schedule page under My store's chart where no schedule was made in the session and no plan of
this week is published, for a role that may make one (every role may; publishing is a planner's)."""


PUBLISHED_PLAN_LINK = "The plan on the Plans page"
"""The link under My store's chart to the published plan it draws."""


def scheduled_from(plan_id: int | None) -> str:
    """Where My store's scheduled staff come from, as the chart's legend names them: the session's last schedule, or
    the published plan `plan_id`."""
    return "last schedule" if plan_id is None else f"published plan {plan_id}"


COSTS_CAPTION = f"Costs {IN_CURRENCY}."
"""Under the week's metrics, as Compare stores says it: the number alone named no money."""
SCHEDULED_FROM_CAPTION = ("Scheduled staff come from the last run on the Schedule page, made at the targets on the "
                          "Settings page (not the what-ifs above); scheduled counts the fewest on the floor in the "
                          "hour, breaks taken out.")
"""Under the hourly table, once a schedule exists: which schedule, at which targets, and what "scheduled" counts."""


def downloads_made_with(made_with: str) -> str:
    """Above My store's two downloads: the targets both files are made with (`export.targets_text`)."""
    return f"Both files are made with these targets: {made_with}."


def own_targets_caption(store_id: str, patience: str) -> str:
    """Under the what-if controls where none is moved off the store's own targets: which targets, and where the
    patience comes from (`patience`)."""
    return (f"Planned with {store_id}'s own targets (the store file's, else those on the Settings page). "
            f"Patience: {patience}.")
