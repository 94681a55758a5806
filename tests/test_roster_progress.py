"""How far a roster's search is, and the command line's bar over it: the search's clock (`search.Clock`) read with a
fake clock, the bar (`cli_io.search_bar`) drawn on a fake terminal, and a real search drawn on it. The command line's
own runs are in test_roster_cli.py."""

from __future__ import annotations

import io
import re
import sys

import pytest

from planner.cli_io import search_bar
from planner.roster import solve_roster
from planner.roster.check import check_roster
from planner.roster.measures import COST, FAIRNESS, UNITS_PER_CURRENCY
from planner.roster.result import OPTIMAL
from planner.roster.search import UNITS_PER_SECOND_GUESS, Clock, SearchProgress
from planner.settings import RosterRules

from test_roster import RULES, instance, person

FRAME = re.compile(r"searching +(\d+)%\|[^|]*\| ([^\r\n]*)")
"""One drawing of the bar: its per cent and what follows the bar (elapsed time, best cost)."""


class Terminal(io.StringIO):
    """Standard error as a terminal: a bar is drawn on it."""

    def isatty(self) -> bool:
        return True


class FakeClock:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


def frames(drawn: str) -> list[tuple[int, str]]:
    return [(int(percent), rest) for percent, rest in FRAME.findall(drawn)]


def test_the_search_is_as_far_as_the_larger_of_its_two_limits_and_a_running_solve_counts_at_the_rate_seen():
    """The search stops at its deterministic limit or its wall-clock one, whichever comes first: the share done is
    the larger of the two. A solve running is counted at the rate of the solves before it (a guess before any has
    ended), never past its own units, and the share never goes back when a solve spent less than its estimate."""
    now, told = FakeClock(), []
    clock = Clock(RosterRules(time_limit_seconds=120.0, deterministic_time_limit=8.0), told.append, now)
    assert told == [SearchProgress(0.0, 0.0, None, 0)]  # said as the search starts
    now.seconds = 6.0  # building the model: the wall clock alone
    assert clock.share_done() == pytest.approx(6.0 / 120.0)
    clock.begin(2.0)
    now.seconds = 7.0
    assert clock.share_done() == pytest.approx(1.0 * UNITS_PER_SECOND_GUESS / 8.0)
    now.seconds = 60.0  # never past the solve's own units, until the wall clock is the further
    assert clock.share_done() == pytest.approx(max(2.0 / 8.0, 60.0 / 120.0))
    now.seconds = 0.0  # a fresh search
    clock = Clock(RosterRules(time_limit_seconds=120.0, deterministic_time_limit=8.0), told.append, now)
    clock.begin(2.0)
    now.seconds = 2.0
    assert clock.share_done() == pytest.approx(2.0 * UNITS_PER_SECOND_GUESS / 8.0)
    clock.spend(1.5)  # 1.5 units in 2 s, less than the guess: held there, and 0.75 a second from now on
    assert told[-1].share_done == pytest.approx(2.0 * UNITS_PER_SECOND_GUESS / 8.0)
    clock.begin(2.0)
    now.seconds = 4.0
    assert clock.share_done() == pytest.approx((1.5 + 2.0 * 0.75) / 8.0)
    now.seconds = 7.0
    assert clock.share_done() == pytest.approx((1.5 + 2.0) / 8.0)  # at most the solve's 2 units
    now.seconds = 200.0  # past the wall-clock limit: all of it
    assert clock.share_done() == 1.0


def test_the_clock_keeps_the_least_cost_found_and_counts_each_fairer_roster_at_that_cost():
    told = []
    clock = Clock(RosterRules(), told.append, FakeClock())
    for level, objective in [(COST, 5000), (COST, 6000), (COST, 4000), (FAIRNESS, 300), (FAIRNESS, 300),
                             (FAIRNESS, 280), (FAIRNESS, 290), (FAIRNESS, 250)]:
        clock.found(level, objective)
    clock.report()
    # the fairness level's first roster is where it starts, not a fairer one; an equal or worse one is none
    assert told[-1].best_cost == 4000 / UNITS_PER_CURRENCY and told[-1].fairer == 2


def test_a_search_proven_best_early_fills_its_bar_and_says_the_cost_the_checker_counts(monkeypatch, capsys):
    """A small store-week is proven best long before its limits: the bar is filled as the search ends (it read as
    stopped part way), and the least cost it said is the roster's cost level as the solver-free checker counts it."""
    terminal, told = Terminal(), []
    monkeypatch.setattr(sys, "stderr", terminal)
    inst = instance([person("A", low=8), person("B"), person("C")], {0: (9, 17, 2), 2: (9, 13, 1)})
    with search_bar() as drawing:
        roster = solve_roster(inst, RULES, lambda state: (told.append(state), drawing(state)))
    check = check_roster(inst, RULES, roster.assignments)
    assert roster.status == OPTIMAL and check.ok
    assert told[0].share_done < 1e-3 and told[-1].share_done < 1.0  # ended early: proven
    assert [state.share_done for state in told] == sorted(state.share_done for state in told)
    assert told[-1].best_cost == pytest.approx(check.level_costs[COST])
    drawn = frames(terminal.getvalue())
    assert drawn[-1][0] == 100 and f"best cost {check.level_costs[COST]:,.2f}" in drawn[-1][1], drawn
    assert terminal.getvalue().endswith("\n") and capsys.readouterr().out == ""


def test_the_bar_says_the_best_cost_and_fairer_rosters_on_a_terminal_only(monkeypatch, capsys):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with search_bar() as progress:
        progress(SearchProgress(0.0, 0.0, None, 0))
        progress(SearchProgress(0.5, 3.0, 1234.5, 2))
    drawn = frames(terminal.getvalue())
    assert drawn[0] == (0, "00:00")
    assert drawn[-1] == (100, "00:00, best cost 1,234.50, 2 fairer rosters at that cost")
    assert (50, "00:00, best cost 1,234.50, 2 fairer rosters at that cost") in drawn
    assert "searching…" not in terminal.getvalue() and capsys.readouterr().out == ""


def test_a_search_stopped_clears_its_bar(monkeypatch):
    """Ctrl-C (or an error) during the search: the bar is wiped, so "stopped" or the error reads alone."""
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with pytest.raises(KeyboardInterrupt), search_bar() as progress:
        progress(SearchProgress(0.3, 3.0, 99.0, 0))
        raise KeyboardInterrupt
    drawn = terminal.getvalue()
    assert frames(drawn) and drawn.endswith("\r") and drawn.split("\r")[-2].strip() == ""


@pytest.mark.parametrize("plain, said", [("searching…", "searching…\n"), (None, "")])
def test_not_on_a_terminal_the_search_is_one_plain_line_or_none(capsys, plain, said):
    """Into a log or a pipe, a bar's redraws were "\\r"-joined text: one plain line as the search starts, or none
    (`roster replan` says "re-planning ..." itself), however often the search tells how far it is."""
    with search_bar(plain) as progress:
        for step in range(50):
            progress(SearchProgress(step / 50, step / 10, 10.0 if step > 5 else None, step // 10))
    captured = capsys.readouterr()
    assert captured.err == said and captured.out == ""
