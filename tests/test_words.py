"""The one way a long list is said: the first few named, the rest counted."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.words import counted, first_named, listed, ordinal


@pytest.mark.parametrize(("items", "at_most", "said"), [
    ([], 3, ""),
    (["S01"], 3, "S01"),
    (["S01", "S02", "S03"], 3, "S01, S02, S03"),
    (["S01", "S02", "S03", "S04"], 3, "S01, S02, S03 and 1 more"),
    ([f"S{i:02d}" for i in range(1, 26)], 2, "S01, S02 and 23 more"),
    (["Mon 09:00-10:00", "Tue 09:00-10:00"], 1, "Mon 09:00-10:00 and 1 more"),
])
def test_names_at_most_the_limit_and_counts_the_rest(items, at_most, said):
    assert first_named(items, at_most) == said


def test_a_tuple_is_said_as_a_list_is():
    assert first_named(("a", "b", "c"), 2) == "a, b and 1 more"


@pytest.mark.parametrize(("items", "said"), [
    ([], ""), (["plan 1"], "plan 1"), (["1", "2"], "1 and 2"), (("a", "b", "c"), "a, b and c"),
    (["**a.csv**", "**b.csv**", "**c.csv**", "**d.csv**"], "**a.csv**, **b.csv**, **c.csv** and **d.csv**"),
])
def test_every_item_is_named_the_last_after_and(items, said):
    assert listed(items) == said


def test_a_saved_plan_is_named_alike_wherever_a_sentence_names_it():
    """The Settings page named a plan a save put out of date "S01 week of 7 Dec 2026 (plan 1)", the Upload page one an
    import put out of date "the draft of S01 2026-W50 (plan 2)": one plan, two names. One helper names it for both:
    its status, its store as the pickers label it, its week by the Monday it begins (2026-W50 on Monday 7 Dec 2026,
    2027-W01 on Monday 4 Jan 2027, as a calendar shows them) and its id; more than five are counted."""
    from planner.settings_change import OutOfDatePlan
    from planner.surfaces.plans import saved_plan_named, saved_plans_named

    assert saved_plan_named(OutOfDatePlan(2, "S01", "2026-W50", status="draft", store_name="Berlin Mitte")) == (
        "the draft of S01 – Berlin Mitte for the week of 7 Dec 2026 (plan 2)")
    assert saved_plan_named(OutOfDatePlan(3, "S02", "2027-W01", status="published")) == (
        "the published plan of S02 for the week of 4 Jan 2027 (plan 3)")
    seven = [OutOfDatePlan(n, f"S0{n}", "2026-W50", status="draft") for n in range(1, 8)]
    assert saved_plans_named(seven) == ", ".join(
        f"the draft of S0{n} for the week of 7 Dec 2026 (plan {n})" for n in range(1, 6)) + " and 2 more"
    assert saved_plans_named(seven[:2]) == ("the draft of S01 for the week of 7 Dec 2026 (plan 1) and the draft of "
                                            "S02 for the week of 7 Dec 2026 (plan 2)")
    # a page cuts a long id as its labels do; the command line's `import` names it whole, as its `plan` command does
    long_id = "S01-BERLIN-MITTE-ELECTRONICS-0000001"
    plan = OutOfDatePlan(4, long_id, "2026-W50", status="draft")
    assert long_id not in saved_plan_named(plan) and "…" in saved_plan_named(plan)
    assert saved_plan_named(plan, whole=True) == f"the draft of {long_id} for the week of 7 Dec 2026 (plan 4)"


def test_the_pages_lists_of_plans_and_files_end_in_and():
    """Three sentences of the pages wrote their own "a, b and c"; they say it alike through `listed`."""
    from planner.settings_change import OutOfDatePlan
    from planner.surfaces.plans import import_put_out_of_date
    from planner.surfaces.settings_page import saved_settings_out_of_date
    from planner.surfaces.upload import import_blocked_by

    assert "Plan 1, plan 2 and plan 3 are out of date by their settings only, not their staff" in \
        saved_settings_out_of_date([], [], ["plan 1", "plan 2", "plan 3"])[0]
    assert "Plan 4 is out of date by its settings only, not its staff" in \
        saved_settings_out_of_date([], [], ["plan 4"])[0]
    assert import_put_out_of_date([OutOfDatePlan(1, "S01", "2026-W51", status="draft"),
                                   OutOfDatePlan(2, "S02", "2026-W51", status="published")]) == (
        "The draft of S01 for the week of 14 Dec 2026 (plan 1) and the published plan of S02 for the week of "
        "14 Dec 2026 (plan 2) are now out of date: re-plan them on the Plans page.")
    assert import_blocked_by(["a", "b", "c"]).startswith("The import is blocked by **a**, **b** and **c**. Correct "
                                                         "the 3 files")


def test_a_person_is_named_with_their_id_in_a_publish_s_words():
    from planner.surfaces.roster import person_named, publish_replaces, send_calendars_again

    assert person_named("E07", "Ann B.") == "Ann B. (E07)"
    people = [("E07", "Ann B."), ("E09", "Bo")]
    assert "the shifts of Ann B. (E07), Bo (E09) change" in publish_replaces(3, people, [("moved", 2)], 0)
    assert "send Ann B. (E07), Bo (E09) their calendars" in send_calendars_again(4, 3, people)


@pytest.mark.parametrize("at_most", [0, -1])
def test_a_limit_that_names_nothing_is_refused(at_most):
    with pytest.raises(ValueError, match="at least 1"):
        first_named(["a", "b"], at_most)


@pytest.mark.parametrize(("number", "words", "said"), [
    (1, ("keyholder",), "1 keyholder"),
    (2, ("keyholder",), "2 keyholders"),
    (0, ("day",), "0 days"),
    (1, ("person", "people"), "1 person"),
    (3, ("person", "people"), "3 people"),
    (1.0, ("staff-hour",), "1 staff-hour"),
    (1.5, ("staff-hour",), "1.5 staff-hours"),
    (0.5, ("staff-hour",), "0.5 staff-hours"),
    (1234, ("row",), "1,234 rows"),
    (1234.5, ("staff-hour",), "1,234.5 staff-hours"),  # as a whole number is written: the plan's daily lines
    (123456.5, ("staff-hour",), "123,456.5 staff-hours"),  # `:,g` kept six digits: "123,456"
    (1234567.25, ("staff-hour",), "1,234,567.25 staff-hours"),  # and wrote "1.23457e+06"
    (0.125, ("share",), "0.125 shares"),
])
def test_a_count_takes_the_noun_that_agrees_with_it(number, words, said):
    assert counted(number, *words) == said


@pytest.mark.parametrize(("number", "said"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                              (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"), (111, "111th")])
def test_a_place_takes_its_english_ending(number, said):
    assert ordinal(number) == said


@pytest.mark.parametrize(("amount", "said"), [(8551.2, "8,551.20"), (9770, "9,770.00"), (0, "0.00"),
                                              (-1234.5, "-1,234.50"), (1234567.891, "1,234,567.89"), (0.125, "0.12")])
def test_money_is_written_with_two_decimals_and_thousands_separators(amount, said):
    """Wages read "8,551.2" on the Plans page, "9,770" on My store and "8,551.20" on the command line."""
    from planner.words import MONEY_FORMAT, money

    assert money(amount) == said == MONEY_FORMAT.format(amount)


@pytest.mark.parametrize(("amount", "signed", "said"), [
    (-0.004, False, "0.00"),  # less than half a cent below nothing: no sign on nothing
    (-0.004, True, "+0.00"),
    (-0.005, False, "-0.01"),  # -0.005 is stored a hair below -0.005, so it rounds away from nothing
    (2164.5, True, "+2,164.50"),
    (-2164.5, True, "-2,164.50"),
    (float("nan"), False, "–"),  # as a table shows a number not known
    (None, True, "–"),
])
def test_money_never_writes_a_negative_nothing_and_says_a_missing_sum_as_not_known(amount, signed, said):
    from planner.words import money

    assert money(amount, signed=signed) == said


@pytest.mark.parametrize(("name", "said"), [("Berlin Mitte", "S01 – Berlin Mitte"), ("", "S01"), (None, "S01"),
                                            (float("nan"), "S01"), ("  ", "S01")])
def test_a_store_is_labelled_by_its_id_and_name_without_a_dash_when_it_has_no_name(name, said):
    from planner.words import store_label

    assert store_label("S01", name) == said


LONG_ID = "S01-BERLIN-MITTE-ELECTRONICS-FLAGSHIP-ALEXANDERPLATZ-0000001"  # 60 characters (the store file takes 64)


def test_a_very_long_store_id_is_cut_in_a_label_so_the_name_still_shows():
    """A 60-character id filled the Roster page's store picker at 1024 px ("S01-BERLIN-MITTE-ELECTRONICS-FLAGSHIP-ALE"):
    the name never showed, as a name longer than its room is cut. The id keeps its start and its end (where ids
    that share a prefix differ), "…" between."""
    from app_pages.tables import store_and_name
    from planner.words import STORE_ID_SHOWN_MAX_CHARS, store_label

    assert len(LONG_ID) == 60
    label = store_label(LONG_ID, "Berlin Mitte Electronics")
    shown_id, name = label.split(" – ")
    assert name == "Berlin Mitte Electronics"
    assert len(shown_id) == STORE_ID_SHOWN_MAX_CHARS <= 24 and "…" in shown_id
    head, tail = shown_id.split("…")
    assert LONG_ID.startswith(head) and LONG_ID.endswith(tail) and len(tail) >= 7  # "0000001" tells it apart
    assert store_label(LONG_ID[:-1] + "2", None) != store_label(LONG_ID, None)  # ids alike but for the end
    fitting = LONG_ID[:STORE_ID_SHOWN_MAX_CHARS]
    assert store_label(fitting, "Mitte") == f"{fitting} – Mitte"  # an id that fits is kept whole
    stores = pd.DataFrame({"store_id": [LONG_ID, "S02"], "name": ["Berlin Mitte Electronics", "Hamburg"]})
    assert list(store_and_name(stores)) == [f"{shown_id} Berlin Mitte Electronics", "S02 Hamburg"]


HEBREW = "חנות הדגל של רשת האלקטרוניקה בקניון עזריאלי תל אביב 2"  # 53 characters
ISOLATE = ("\u2068", "\u2069")


def test_a_right_to_left_name_keeps_its_start_in_a_label():
    """A long Hebrew name in the Roster page's store picker at 1024 px lost its start: laid out right to left after
    "S04 – ", it begins at the right edge, where the box cuts a label too long for it. The label cuts the name at
    its end itself, "…" inside an isolate so it sits where the name ends when read right to left."""
    from planner.words import RIGHT_TO_LEFT_LABEL_MAX_CHARS, store_label

    label = store_label("S04", HEBREW)
    assert label.startswith("S04 – " + ISOLATE[0]) and label.endswith("…" + ISOLATE[1])
    name = label.removeprefix("S04 – " + ISOLATE[0]).removesuffix("…" + ISOLATE[1])
    assert HEBREW.startswith(name) and len(name) >= 12
    assert len(label) - len(ISOLATE) <= RIGHT_TO_LEFT_LABEL_MAX_CHARS
    arabic = "متجر دبي مول"
    assert store_label("S03", arabic) == f"S03 – {ISOLATE[0]}{arabic}{ISOLATE[1]}"  # short: whole
    assert store_label("S01", "Berlin Mitte " * 10) == "S01 – " + ("Berlin Mitte " * 10).strip()  # left to right: as
    # it was, the box cutting its end
    with_long_id = store_label(LONG_ID, HEBREW)
    assert HEBREW[:12] in with_long_id and "0000001" in with_long_id
