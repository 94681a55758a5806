"""Words of the Users page (admins), and of the pointer to it that an admin alone in the chain reads in the sidebar."""

SET_PASSWORD = "Set password"
"""The Users page's button that gives a user a password (and what the sentences below send the admin to)."""

CHOOSE_USER = "Choose a user"
"""The change form's user box before anyone is chosen: it stood on the admin herself, with Disable beside her."""


def added(name: str, role: str, covers: str, mode: str) -> str:
    """What the Users page says once `name` is added as `role` over `covers`, with the next step the sign-in `mode`
    asks for: a user of the planner's own accounts has no password yet (the table's Password column shows "–"), and
    cannot sign in until one is set."""
    done = f"Added {name}: {role}, {covers}."
    if mode == "accounts":
        return (f"{done} {name} cannot sign in until a password is set: type one under Change a user below and press "
                f"{SET_PASSWORD}, then give it to them.")
    if mode == "oidc":
        return (f"{done} {name} signs in through the chain's identity provider, found by the e-mail given here (or "
                "by the provider's groups).")
    return f"{done} Sign-in is off (single-user mode): the user counts once the app runs with sign-in on."


ALONE = ("Only you have an account so far: add the chain's planners, regional leads and store managers on the Users "
         "page (under Chain).")
"""The sidebar's pointer for an admin who is the chain's only user: their first page is Plans, which says nothing of
users."""
