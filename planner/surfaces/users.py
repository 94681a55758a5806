"""Words of the Users page (admins), and of the pointer to it that an admin alone in the chain reads in the sidebar."""

SET_PASSWORD = "Set password"
"""The Users page's button that gives a user a password (and what the sentences below send the admin to)."""

CHOOSE_USER = "Choose a user"
"""The change form's user box before anyone is chosen: it stood on the admin herself, with Disable beside her."""


def added(name: str, role: str, covers: str, mode: str, email: str | None = None) -> str:
    """What the Users page says once `name` is added as `role` over `covers`, with the next step the sign-in `mode`
    asks for: a user of the planner's own accounts has no password yet (the table's Password column shows "–"), and
    cannot sign in until one is set; through the chain's identity provider a user is found by their `email` alone
    (`planner.access.accounts.scope_from_identity`), so one added without it is never found as this user."""
    done = f"Added {name}: {role}, {covers}."
    if mode == "accounts":
        return (f"{done} {name} cannot sign in until a password is set: type one under Change a user below and press "
                f"{SET_PASSWORD}, then give it to them.")
    if mode == "oidc" and email:
        return (f"{done} {name} signs in through the chain's identity provider, found by the e-mail given here "
                f"({email}).")
    if mode == "oidc":
        return (f"{done} No e-mail was given, so the chain's identity provider cannot find {name} as this user: add "
                f"their e-mail (as the provider gives it), or they sign in only through the provider's groups, with "
                "the group's role.")
    return f"{done} Sign-in is off (single-user mode): the user counts once the app runs with sign-in on."


ALONE = ("Only you have an account so far: add the chain's planners, regional leads and store managers on the Users "
         "page (under Chain).")
"""The sidebar's pointer for an admin who is the chain's only user: their first page is Plans, which says nothing of
users."""
