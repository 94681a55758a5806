"""A careless planner's slips on the command line: a flag misspelt or put after the command, a store id typed in
the wrong case, a command that does not exist, a plan of a week that is over. Each is one line that names the slip
and the fix."""

from __future__ import annotations

import pytest

from planner.cli import EXIT_INPUT, main


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("args, command, near", [
    (["recommend", "--stores", "S01"], "recommend", "--store"),
    (["roster", "--store", "S01", "--week", "2026-W50", "--publsh"], "roster", "--publish"),
    (["plans", "list", "--weeks", "2026-W50"], "plans list", "--week"),
])
def test_a_misspelt_flag_names_its_command_and_the_flag_meant(capsys, settings, args, command, near):
    """`recommend --stores S01` said "python -m planner: error: unrecognized arguments: --stores S01 (see python -m
    planner --help)": the top level's help, which lists commands, not the flag meant."""
    code, said = _run(capsys, "--database-url", settings.resolved_database_url(), *args)
    assert code == EXIT_INPUT and len(said.strip().splitlines()) == 1
    assert f"planner {command}: error:" in said and f"did you mean {near}?" in said
    assert f"(see python -m planner {command} --help)" in said


def test_a_top_level_flag_after_the_command_says_where_it_goes(capsys, settings):
    code, said = _run(capsys, "--database-url", settings.resolved_database_url(), "stores", "--as", "anna")
    assert code == EXIT_INPUT and len(said.strip().splitlines()) == 1
    assert "--as goes before the command (python -m planner --as NAME COMMAND ...)" in said
