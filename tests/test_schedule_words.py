"""The words of the optimiser's report: a count agrees with its noun and verb ("1 staff-hour is", "2 staff-hours
are"), one word names one figure (the whole requirement is *required*, what the least schedule pays is *least
paid*), and a suggested max_staff is the least that gives a schedule.

The rule for "staff": after a number it is the same for one and many ("1 staff", "2 staff", as in "a store of 20
staff"); every other noun takes its plural except for exactly 1 ("1 staff-hour", "2 staff-hours", "1 work unit"),
and a verb after a count agrees with it. Unit symbols (h, s) do not change ("1 h", "2 h")."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from planner.settings import ShiftRules
from planner.shifts import report, solve_shifts
from planner.shifts.report import WORK_UNITS
from test_shifts import MON, SAT, hard, micro


def test_an_infeasible_budget_of_half_an_hour_says_one_staff_hour_in_the_singular():
    """A requirement of one staff for one hour, shifts of 1 h and a budget of 0.5 h: it said "at least 1 h are
    needed"."""
    instance = micro([(MON, "09:00", "10:00", 1)], {"mon": ("09:00", "10:00")}, budget_staff_hours=0.5)
    result = report(solve_shifts(instance, hard(ShiftRules(shift_lengths_hours=(1,)))))
    assert result.status == "infeasible"
    assert result.explanations == ("no schedule meets every required hour within 0.5 h: one that does pays at "
                                   "least 1 staff-hour",)


def test_a_solver_budget_of_one_work_unit_is_said_in_the_singular():
    """The deterministic limit set to 1 ran out: "the solver's budget of 1 work units"."""
    instance = micro([(MON, "09:00", "13:00", 1)], {"mon": ("09:00", "13:00")})
    rules = ShiftRules(shift_lengths_hours=(4,), deterministic_time_limit=1.0)
    ran_out = replace(solve_shifts(instance, rules), status="no_schedule_found", shifts=(), budget_ran_out=True)
    result = report(ran_out)
    assert "the solver's budget of 1 work unit ran out" in result.status_text
    assert result.explanations == ("no schedule found within the solver's budget of 1 work unit (its deterministic "
                                   "limit; the time limit of 20 s did not come): nothing is scheduled (allow the "
                                   "solver more work units)",)
    assert result.no_shift_cause == WORK_UNITS and result.totals["no_shift_cause"] == WORK_UNITS  # its fix says so


MAX_STAFF_LEAVES_TWO = micro([(SAT, "19:00", "21:00", 9), (MON, "09:00", "13:00", 2)],
                             {"sat": ("19:00", "21:00"), "mon": ("09:00", "13:00")}, max_staff=8,
                             budget_staff_hours=4)
"""26 staff-hours required, 2 of them above max_staff: 24 can be covered, and the least paid schedule covering them
pays 24 h (shifts of 2 h)."""


def test_the_summary_calls_the_whole_requirement_required_and_the_sentence_tells_it_from_what_can_be_covered():
    """The summary's "needed h" column said 26 (the whole requirement) beside the sentence's "24 h needed at the
    least" (what the least schedule covering what can be covered pays): two figures under one word. The table now
    says "required h", and the sentence says how much of the requirement can be covered and what leaves the rest."""
    from planner.export import schedule_summary_text

    result = report(solve_shifts(MAX_STAFF_LEAVES_TWO, ShiftRules(shift_lengths_hours=(2,))))
    text = schedule_summary_text(pd.DataFrame([result.totals]))
    header, row = text.splitlines()[:2]
    assert "required h" in header and "needed" not in text
    assert row.split()[2] == "26.0"
    assert [s for s in result.explanations if s.startswith("the budget")] == [
        "the budget of 4 h is 20 h below the 24 h that the cheapest schedule covering what can be covered pays (24 of "
        "the 26 required staff-hours can be covered; max_staff leaves 2 uncoverable, said above): uncovered "
        "Mon 09:00-13:00"]
    assert not [s for s in result.explanations if "needed" in s], result.explanations


def test_the_pages_required_column_says_it_is_the_whole_requirement():
    """The Schedule page's column of required_staff_hours is "Required (h)", its help the whole requirement, as the
    CLI's "required h" and summary.csv's required_staff_hours are."""
    import inspect

    from app_pages import widgets

    source = inspect.getsource(widgets.schedule_summary)
    assert '"Required (h)"' in source and "the whole requirement" in source


def test_a_summary_of_one_store_without_a_schedule_says_one_store():
    """"(0 of 1 stores with a schedule)"."""
    from planner.export import schedule_summary_text

    instance = micro([(MON, "09:00", "10:00", 1)], {"mon": ("09:00", "10:00")}, budget_staff_hours=0.5)
    result = report(solve_shifts(instance, hard(ShiftRules(shift_lengths_hours=(1,)))))
    text = schedule_summary_text(pd.DataFrame([result.totals]))
    assert text.splitlines()[-1].endswith("(0 of 1 store with a schedule)"), text


def test_the_total_of_stores_without_a_schedule_adds_their_requirement_and_shows_no_schedule_figures():
    """`schedule --store S01 --store S03 --budget 100`: both stores infeasible, their rows required 506.0 and 233.0
    and '-' for the schedule's figures, but the total row read 0.0 paid, 0.0 required, 0.0 excess, 0.0 uncovered.
    The required column adds up every row; a figure no store has is '-'. With one store scheduled, its figures are
    the total's."""
    from planner.export import schedule_summary_text

    rules = hard(ShiftRules(shift_lengths_hours=(1,)))
    short = [report(solve_shifts(micro([(MON, "09:00", end, 1)], {"mon": ("09:00", end)}, budget_staff_hours=0.5),
                                 rules)) for end in ("11:00", "13:00")]  # 2 + 4 staff-hours required
    assert [r.status for r in short] == ["infeasible", "infeasible"]
    total = schedule_summary_text(pd.DataFrame([r.totals for r in short])).splitlines()[-1].split()
    assert total == ["total", "-", "6.0", "-", "-", "-", "(0", "of", "2", "stores", "with", "a", "schedule)"]
    fits = report(solve_shifts(micro([(MON, "09:00", "11:00", 1)], {"mon": ("09:00", "11:00")}), rules))
    mixed = pd.DataFrame([r.totals for r in (fits, short[1])])
    total = schedule_summary_text(mixed).splitlines()[-1].split()
    assert total[:5] == ["total", f"{fits.totals['paid_staff_hours']:.1f}", "6.0",
                         f"{fits.totals['excess_staff_hours']:.1f}", f"{fits.totals['uncovered_staff_hours']:.1f}"]


ONE_THEN_TWO = micro([(MON, "09:00", "11:00", 1), (MON, "11:00", "16:00", 2)], {"mon": ("09:00", "16:00")},
                     max_staff=2)
"""Mon 09:00-11:00 needs 1 and 11:00-16:00 needs 2, shifts of 3 h: seven hours take overlapping shifts, so max_staff
2 forbids every schedule; the cheapest schedule without the limit puts 4 on the floor at once, but 3 is enough."""


@pytest.mark.parametrize("instance, lengths", [
    (ONE_THEN_TWO, (3,)),
    (micro([(MON, "09:00", "15:00", 1)], {"mon": ("09:00", "15:00")}, max_staff=1), (4,)),
], ids=["cheapest-stacks-more", "two-overlapping-shifts"])
def test_the_max_staff_suggested_is_the_least_that_gives_a_schedule(instance, lengths):
    """It suggested the peak of the cheapest schedule without max_staff (4 for ONE_THEN_TWO), more than needed."""
    rules = hard(ShiftRules(shift_lengths_hours=lengths))
    (sentence,) = report(solve_shifts(instance, rules)).explanations
    suggested = int(re.search(r"raise the store's max_staff to (\d+)", sentence).group(1))
    assert solve_shifts(replace(instance, max_staff=suggested), rules).status == "optimal"
    assert solve_shifts(replace(instance, max_staff=suggested - 1), rules).status == "infeasible", sentence
    assert "the least that gives a schedule" in sentence, sentence


def test_the_shift_chart_of_one_person_says_one_person():
    """A day of one 4-h shift for one: the chart's subtitle said "1 people"."""
    from planner.charts import shift_gantt_figure

    instance = micro([(MON, "09:00", "13:00", 1)], {"mon": ("09:00", "13:00")})
    result = report(solve_shifts(instance, ShiftRules(shift_lengths_hours=(4,))))
    assert result.shifts["staff"].tolist() == [1]
    figure = shift_gantt_figure(result.shifts, result.coverage, instance.store_id, MON, 30)
    assert figure.layout.title.subtitle.text.startswith("1 person, one row each; "), figure.layout.title.subtitle.text


def test_every_staff_hours_figure_of_the_summary_has_the_thousands_separator_the_cost_has():
    """The summary printed paid 4174.5 and required 4126.0 beside a cost of 74,594.45 (`schedule --all` of the
    sample): staff-hours in the table now carry the cost's separator, row and total, each under its header."""
    from planner.export import schedule_summary_text

    figures = {"paid_staff_hours": (12345.5, 1001.0), "required_staff_hours": (11000.0, 2000.5),
               "excess_staff_hours": (12000.0, 0.5), "uncovered_staff_hours": (1234.5, 999.0)}
    summary = pd.DataFrame({"store_id": ["S01", "S02"], **{column: list(pair) for column, pair in figures.items()},
                            "wage_cost": [123456.78, 9876.5], "relative_gap": [0.0, 0.0], "solve_seconds": [1.0, 2.0],
                            "status_text": ["optimal", "optimal"]})
    header, *rows, total = schedule_summary_text(summary).splitlines()
    headers = ["paid h", "required h", "above h", "short h", "wage cost"]
    ends = [header.index(name) + len(name) for name in headers]  # each figure is right-aligned under its header
    for line, values in zip(rows + [total], [*zip(*figures.values(), strict=True),
                                             tuple(sum(pair) for pair in figures.values())], strict=True):
        shown = [line[:end].split()[-1] for end in ends]
        assert shown[:4] == [f"{value:,.1f}" for value in values], line
        assert "," in shown[4]  # the cost's separator, as before


def test_the_summary_s_columns_line_up_however_large_the_chain_s_totals():
    """2,000 stores of 500 paid staff-hours: the total's 1,000,000.0 and 20,500,000.00 overflowed their 9 and 11
    characters, pushing every figure after them out from under its header. Each column is now as wide as its widest
    figure; a chain of today's sizes is printed as before."""
    from planner.export import schedule_summary_text

    stores = 2000
    summary = pd.DataFrame({"store_id": [f"S{n:04d}" for n in range(stores)], "paid_staff_hours": 500.0,
                            "required_staff_hours": 498.0, "excess_staff_hours": 2.0, "uncovered_staff_hours": 0.0,
                            "wage_cost": 10250.0, "relative_gap": 0.01, "solve_seconds": 1.5, "status_text": "optimal"})
    header, *rows, total = schedule_summary_text(summary).splitlines()
    assert len(rows) == stores and total.split() == ["total", "1,000,000.0", "996,000.0", "4,000.0", "0.0",
                                                     "20,500,000.00"]

    def fields(line: str) -> list[tuple[int, int]]:  # (start, end) of each word of the line
        return [match.span() for match in re.finditer(r"\S+", line)]

    # the header's words, "paid h" read as one: each figure ends where its header does (right-aligned under it)
    for words in ("paid h", "required h", "above h", "short h", "wage cost", "solve s"):
        header = header.replace(words, words.replace(" ", "_"))
    named = fields(header)
    ends, status = [end for _, end in named[1:-1]], named[-1][0]  # the seven figures', where the status starts
    for line in (rows[0], rows[-1]):
        assert [end for _, end in fields(line)[1:-1]] == ends and fields(line)[-1][0] == status, (header, line)
    assert [end for _, end in fields(total)[1:]] == ends[:5], (header, total)  # five totals
    assert len({tuple(fields(line)) for line in rows}) == 1  # every store's line alike
    everyday = pd.DataFrame({"store_id": ["S01"], "paid_staff_hours": [412.5], "required_staff_hours": [410.5],
                             "excess_staff_hours": [2.0], "uncovered_staff_hours": [0.0], "wage_cost": [8456.25],
                             "relative_gap": [0.01], "solve_seconds": [1.5], "status_text": ["optimal"]})
    assert schedule_summary_text(everyday).splitlines() == [
        "store         paid h required h  above h   short h   wage cost    gap solve s  status",
        "S01            412.5      410.5      2.0       0.0    8,456.25  1.00%    1.50  optimal",
        "total          412.5      410.5      2.0       0.0    8,456.25"]


def test_the_budget_sentences_write_staff_hours_over_a_thousand_with_separators():
    """Below the table's "1,200.5" the sentence said "the budget of 1200.5 h is 199.5 h below the 1400 h ..."
    (`schedule --budget 1200.5` of 25 staff for 8 hours a day): a figure over a thousand now reads as the table's and
    `counted`'s do, in every budget sentence and in the checker's refusal."""
    from planner.shifts.check import check_schedule
    from test_shifts import shift

    # 150 staff for 8 hours, shifts of 4 h: the requirement and the cheapest schedule covering it are 1,200 h
    instance = micro([(MON, "09:00", "17:00", 150)], {"mon": ("09:00", "17:00")}, budget_staff_hours=1000.5)
    rules = ShiftRules(shift_lengths_hours=(4,))
    short = report(solve_shifts(instance, rules))
    assert [s.split(": uncovered")[0] for s in short.explanations] == [
        "the budget of 1,000.5 h is 199.5 h below the 1,200 h that the cheapest schedule covering the requirement pays"]
    refused = report(solve_shifts(instance, hard(rules)))
    assert refused.explanations == ("no schedule meets every required hour within 1,000.5 h: one that does pays at "
                                    "least 1,200 staff-hours",)
    over = check_schedule(instance, rules, [shift(MON, "09:00", 4, staff=150), shift(MON, "13:00", 4, staff=150)])
    assert over.violations == ("1,200 paid staff-hours exceed the budget of 1,000.5",)
