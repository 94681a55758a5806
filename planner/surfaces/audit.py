"""Words of the Audit page."""

from __future__ import annotations

from planner.words import counted

AUDIT_KINDS = "Kinds of change"
"""The Audit page's pick of the kinds of change it lists (import, plan, publish, ...)."""
AUDIT_INCLUDE_SIGN_INS = "Include sign-ins"
AUDIT_NO_KIND_PICKED = "No kind of change picked: pick one or more above."


def sign_ins_left_out(sign_ins: int) -> str:
    """Beside the Audit page's *Include sign-ins*: the trail opens without them (`audit.LEFT_OUT_AT_FIRST`), and says
    how many it leaves out, so an empty-looking week is not read as nobody signing in."""
    return f"{counted(sign_ins, 'sign-in')} left out, so the other changes come first."
