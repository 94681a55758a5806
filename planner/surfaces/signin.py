"""Words of the sign-in page."""

SIGNING_YOU_IN = "Signing you in…"
"""What the sign-in page shows while the tab has not yet said whether it holds a sign-in (a reload, a tab started over):
the form shown meanwhile had people type their password again for a session that came back on its own."""
NOT_RESUMED = ("This tab was signed out: the server had to start it over (a reload, or a connection lost for a while, as "
               "when a laptop sleeps), and its sign-in had ended by then (after {minutes:g} minutes, at a sign-out, or "
               "with a restart of the server). Sign in again.")
"""A tab started over whose ticket the server knows no live sign-in for (`planner.access.resume.NotResumed.ENDED`)."""
USED_IN_ANOTHER_TAB = ("This tab was signed out: another tab used its sign-in first (a copy of this tab, which the "
                       "browser duplicated or reopened), and the sign-in goes on in that tab only. Go on there, or "
                       "sign in again here.")
"""A tab started over whose ticket another tab redeemed (`planner.access.resume.NotResumed.SPENT`): its sign-in had
not ended, and the sentence for an ended one said it had, for a tab reloaded quickly twice."""
TICKET_LAPSED = ("This tab was signed out: its sign-in could not be taken up again here, as the tab had already used it "
                 "(on a reload whose page did not come back in time, or in a copy of this tab, which goes on signed "
                 "in). Sign in again.")
"""A tab started over with a ticket it used more than `planner.access.resume.GRACE_SECONDS` before, none handed for it
used since (`NotResumed.LAPSED`): nothing tells whether a copy of the tab holds the sign-in, so neither is said."""
LOCAL_NOTE = ("Single-user mode: no sign-in. Whoever opens this address works with every store as {user}. "
              "A chain sets PLANNER_SIGN_IN to accounts or oidc (see the README).")
"""The sidebar's note in single-user mode (no sign-in), `user` the one every session works as."""
SIGNED_OUT_ELSEWHERE = ("This tab was signed out: you signed out in another tab that shared its sign-in (a tab "
                        "the browser duplicated or reopened), or the server let go of the sign-in. Sign in again.")
"""A tab whose sign-in was ended from another tab sharing it, or let go of by the server."""
