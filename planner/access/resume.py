"""Sign-ins kept across a lost connection: a one-time ticket that a signed-in browser tab holds, redeemed for the
same sign-in when the app must start the tab over (Streamlit forgets a tab whose connection was gone for longer
than its `server.disconnectedSessionTTL`, two minutes: a laptop asleep, a network drop, a reload).

    tickets = ResumeTickets()
    token = tickets.issue(sign_in, session, expires_at)  # a new sign-in's first token; the tab keeps it
    tickets.redeem(token) -> (session, next_token)      # the session, and the token that now stands for it; or None
    tickets.live(sign_in) -> bool                        # False once the sign-in is revoked (or past its end)
    tickets.revoke(sign_in)                              # signed out: every ticket of the sign-in resumes nothing

`sign_in` is the id of one sign-in (`planner.accounts.Session.sign_in_id`), shared by every ticket issued for it: a
browser that duplicates a tab, or restores a closed one, copies the tab's session storage and with it the ticket,
so one sign-in may be held by several tabs (the first to redeem a copied ticket is handed the next). A sign-out in any of them revokes the
sign-in: the tickets of all of them resume nothing, and the app, which asks `live` on every page run, signs the
other tabs out at their next run. A ticket never outlives the sign-in it stands for (`expires_at`, the end of the
session) and is spent when redeemed: the tab is handed the next one, so a copied token that is used once is of no
use again; a tab whose token someone else spent stays signed in while its session lasts, and is signed out at its
next start over (its ticket is spent).

Only each token's SHA-256 is held, in the server process (each process behind a proxy holds its own, as the address
throttle counts its own), with the ids of the live sign-ins (server-side only, never sent to the browser): at most
`max_tickets` of each, the oldest forgotten first (a forgotten sign-in reads as ended: its tabs are signed out, never
kept signed in past a sign-out); a restarted server resumes nobody. Safe to use from the app's session threads.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Generic, TypeVar

TOKEN_BYTES = 32
"""Random bytes in a token (256 bits, written as 43 URL-safe characters)."""

Held = TypeVar("Held")


class ResumeTickets(Generic[Held]):
    """Tokens standing for signed-in sessions until each session's end, each redeemed once, and the sign-ins they
    belong to, each live until its end or its revocation."""

    def __init__(self, max_tickets: int = 10_000) -> None:
        if max_tickets < 1:
            raise ValueError("max_tickets must be above 0")
        self.max_tickets = max_tickets
        self._held: OrderedDict[str, tuple[str, Held]] = OrderedDict()
        self._live: OrderedDict[str, datetime] = OrderedDict()  # sign-in id -> its end
        self._lock = threading.Lock()

    def issue(self, sign_in: str, held: Held, expires_at: datetime, now: datetime | None = None) -> str:
        """The first token of a new sign-in: it stands for `held` until `expires_at`, and the sign-in `sign_in` (a
        new random id) is live until then."""
        with self._lock:
            self._forget_ended(now or datetime.now(UTC))
            self._live[sign_in] = expires_at
            return self._ticket(sign_in, held)

    def redeem(self, token: str, now: datetime | None = None) -> tuple[Held, str] | None:
        """What `token` stands for and the token that stands for it from now on (`token` itself is spent); None for
        a token that is unknown, spent, or of a sign-in revoked or past its session's end."""
        if not token:
            return None
        now = now or datetime.now(UTC)
        with self._lock:  # one step: a sign-in revoked meanwhile is not handed a new ticket
            found = self._held.pop(_digest(token), None)
            if found is None or not self._is_live(found[0], now):
                return None
            return found[1], self._ticket(*found)

    def live(self, sign_in: str, now: datetime | None = None) -> bool:
        """Whether `sign_in` still stands: issued, not revoked, not past its end (nor forgotten to keep the bound)."""
        with self._lock:
            return self._is_live(sign_in, now or datetime.now(UTC))

    def revoke(self, sign_in: str | None) -> None:
        """`sign_in` ends: none of its tickets resumes anything, and it is no longer `live` (signed out, an account
        disabled, or the session ended)."""
        if sign_in:
            with self._lock:
                self._live.pop(sign_in, None)
                for digest in [digest for digest, (held_by, _) in self._held.items() if held_by == sign_in]:
                    del self._held[digest]

    def __len__(self) -> int:
        """The tickets held."""
        with self._lock:
            return len(self._held)

    def _ticket(self, sign_in: str, held: Held) -> str:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self._held[_digest(token)] = (sign_in, held)
        for table in (self._held, self._live):
            while len(table) > self.max_tickets:
                table.popitem(last=False)
        return token

    def _is_live(self, sign_in: str, now: datetime) -> bool:
        ends = self._live.get(sign_in)
        return ends is not None and now < ends

    def _forget_ended(self, now: datetime) -> None:
        for sign_in in [sign_in for sign_in, ends in self._live.items() if now >= ends]:
            del self._live[sign_in]
        for digest in [digest for digest, (sign_in, _) in self._held.items() if sign_in not in self._live]:
            del self._held[digest]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
