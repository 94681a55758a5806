"""The date the planner takes as today: a plan's or roster's week is over once its Sunday is before it, and the
stored calendar rows an import is checked against are those of weeks not over by it. The standard library only, so
that any module may ask it, however low.

Callers read it as `clock.today()`, never importing the name, so that the tests' one pin of it (which keeps their
dated weeks ahead of the machine's date) holds in every module that asks."""

from __future__ import annotations

from datetime import date


def today() -> date:
    """The machine's date: what a week is over by when a command names none (`roster replan --today` does)."""
    return date.today()
