"""A published roster whose sentences hold the caveats said once (`planner.roster.findings.explain` writes them
before the findings they name), for the tests of how the command line and the Roster page show them: the sample's
people leave none, and a search's are not the same on every machine."""

from __future__ import annotations

import dataclasses

from conftest import ROSTER_SOLVE_SECONDS, ROSTER_SOLVE_UNITS

from planner import storage
from planner.rostering import publishing, store_week
from planner.settings import Settings

SAID_ONCE_SENTENCES = (
    "Sat 10:00-11:00: 1 staff short (1 staff-hour uncovered): of the 12 people, 11 already work that day; Carl N. is "
    "not available then",
    "The 2 people below are paid below their minimum: for each, the search stopped before proving that no more shifts "
    "fit their availability and the other people's: a longer search may find more hours for them",
    "Pia N. (S08-E06) is paid 12 h, 4 h below the contract's minimum: available on 3 open days",
    "Ida K. (S08-E10) is paid 12 h, 4 h below the contract's minimum: available on 3 open days",
    "Carl N. (S08-E09) has no shift this week: 2 days of absence take the contract's minimum of 16 h to 0, and no "
    "shift of theirs is needed",
    "The 2 shifts below break a wish though someone else was free then: for each, the search stopped before proving "
    "that giving it to someone free then would cost more (wages, contracts, cover or fairness): a longer search may "
    "meet the wishes",
    "Zoe M. (S08-E01) works Mon 10:00-14:00 on a preferred day off: 3 others were free then",
    "Luca W. (S08-E02) works Tue 10:00-15:00, though late shifts are preferred: 1 other person was free then",
)
"""A roster's sentences as `explain` writes them and a saved roster keeps them: a finding, a caveat said once before
the 2 shortfalls it names, a finding said alone after them, and a caveat said once before the 2 wishes it names."""


def publish_with_sentences(url: str, sentences: tuple[str, ...], store_id: str, week: str) -> int:
    """A roster of the store's week, made and published with `sentences` in place of its own; its id."""
    settings = Settings(database_url=url)
    fast = dataclasses.replace(settings, roster=dataclasses.replace(
        settings.roster, time_limit_seconds=ROSTER_SOLVE_SECONDS, deterministic_time_limit=ROSTER_SOLVE_UNITS))
    engine = storage.connect(settings)
    run = store_week.make_roster(engine, fast, store_id, week)
    run = dataclasses.replace(run, roster=dataclasses.replace(run.roster, sentences=sentences))
    roster_id = publishing.save_roster_run(engine, run, "ana", publish=True)
    engine.dispose()
    return roster_id
