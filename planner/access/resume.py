"""Sign-ins kept across a lost connection: a one-time ticket that a signed-in browser tab holds, redeemed for the
same sign-in when the app must start the tab over (Streamlit forgets a tab whose connection was gone for longer
than its `server.disconnectedSessionTTL`, two minutes: a laptop asleep, a network drop, a reload).

    tickets = ResumeTickets()
    token = tickets.issue(session, expires_at)     # a new random token standing for `session`; the tab keeps it
    tickets.redeem(token) -> (session, next_token) # the session, and the token that now stands for it; or None
    tickets.revoke(token)                          # signed out: the token resumes nothing

A ticket never outlives the sign-in it stands for (`expires_at`, the end of the session) and is spent when
redeemed: the tab is handed the next one, so a copied token that is used once is of no use again, and a tab whose
token someone else spent is signed out. Only each token's SHA-256 is held, in the server process (each process
behind a proxy holds its own, as the address throttle counts its own), for at most `max_tickets` sign-ins (the
oldest forgotten first); a restarted server resumes nobody. Safe to use from the app's session threads.
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
    """Tokens standing for signed-in sessions until each session's end, each redeemed once."""

    def __init__(self, max_tickets: int = 10_000) -> None:
        if max_tickets < 1:
            raise ValueError("max_tickets must be above 0")
        self.max_tickets = max_tickets
        self._held: OrderedDict[str, tuple[Held, datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def issue(self, held: Held, expires_at: datetime, now: datetime | None = None) -> str:
        """A new token that stands for `held` until `expires_at`."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self._lock:
            self._forget_ended(now or datetime.now(UTC))
            self._held[_digest(token)] = (held, expires_at)
            while len(self._held) > self.max_tickets:
                self._held.popitem(last=False)
        return token

    def redeem(self, token: str, now: datetime | None = None) -> tuple[Held, str] | None:
        """What `token` stands for and the token that stands for it from now on (`token` itself is spent); None for
        a token that is unknown, spent, revoked or past its session's end."""
        if not token:
            return None
        now = now or datetime.now(UTC)
        with self._lock:
            found = self._held.pop(_digest(token), None)
        if found is None or now >= found[1]:
            return None
        return found[0], self.issue(found[0], found[1], now)

    def revoke(self, token: str | None) -> None:
        """`token` resumes nothing from now on (signed out, or the session ended)."""
        if token:
            with self._lock:
                self._held.pop(_digest(token), None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._held)

    def _forget_ended(self, now: datetime) -> None:
        for digest in [digest for digest, (_, ends) in self._held.items() if now >= ends]:
            del self._held[digest]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
