"""Words of the sign-in page."""

SIGNING_YOU_IN = "Signing you in…"
"""What the sign-in page shows while the tab has not yet said whether it holds a sign-in (a reload, a tab started over):
the form shown meanwhile had people type their password again for a session that came back on its own."""
