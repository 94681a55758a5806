"""Sign-ins kept across a lost connection: a one-time ticket that a signed-in browser tab holds, redeemed for the
same sign-in when the app must start the tab over (Streamlit forgets a tab whose connection was gone for longer
than its `server.disconnectedSessionTTL`, two minutes: a laptop asleep, a network drop, a reload).

    tickets = ResumeTickets()
    token = tickets.issue(sign_in, session, expires_at)  # a new sign-in's first token; the tab keeps it
    tickets.redeem(token) -> Resumed(session, next_token) # the session, and the token that now stands for it
                          or NotResumed.ENDED / .SPENT / .LAPSED  # why not: the sign-in ended, another tab used
                                                          # the token, or its grace after its use ran out
    tickets.live(sign_in) -> bool                        # False once the sign-in is revoked (or past its end)
    tickets.revoke(sign_in)                              # signed out: every ticket of the sign-in resumes nothing

`sign_in` is the id of one sign-in (`planner.accounts.Session.sign_in_id`), shared by every ticket issued for it: a
browser that duplicates a tab, or restores a closed one, copies the tab's session storage and with it the ticket,
so one sign-in may be held by several tabs (the first to redeem a copied ticket is handed the next). A sign-out in any
of them revokes the sign-in: the tickets of all of them resume nothing, and the app, which asks `live` on every page
run, signs the other tabs out at their next run. A ticket never outlives the sign-in it stands for (`expires_at`, the
end of the session) and is spent when redeemed: the tab is handed the next one, so a copied token that is used once
is of no use again; a tab whose token someone else spent stays signed in while its session lasts, and is signed out
at its next start over (its ticket is spent, and `redeem` says so: `NotResumed.SPENT`, the sign-in stands elsewhere).

A spent token still resumes its sign-in for `grace_seconds` after it was last redeemed, until one of the tokens it
was exchanged for is redeemed in turn: the next token reaches the tab a second or so after the page comes back, and a
reload before then presents the spent one, as does every reload after it while none has come back (quick reloads
signed people out, in words that said their sign-in had ended). Once a tab redeems the token it was handed, it
evidently holds it: the spent token, and any other token it was exchanged for meanwhile (never kept by a tab that
went on), resume nothing from then on (`SPENT`: another tab holds the sign-in). A spent token presented after its
grace, none of its successors used, resumes nothing either (`LAPSED`): the tab that used it may have lost the next
one (a reload whose page never came back) or a copy of the tab holds it; nothing tells which. Until then a copy of
the token used within the grace resumes the sign-in too: the window a stolen copy has is `grace_seconds` after the
tab's last start over, ended early by the tab's next one.

Only each token's SHA-256 is held, in the server process (each process behind a proxy holds its own, as the address
throttle counts its own), with the ids of the live sign-ins (server-side only, never sent to the browser): at most
`max_tickets` of each, and of the spent ones remembered to say why they resume nothing, the oldest forgotten first (a
forgotten sign-in reads as ended: its tabs are signed out, never kept signed in past a sign-out); a restarted server
resumes nobody. Safe to use from the app's session threads.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Generic, NamedTuple, TypeVar

TOKEN_BYTES = 32
"""Random bytes in a token (256 bits, written as 43 URL-safe characters)."""

GRACE_SECONDS = 30.0
"""How long a spent token still resumes its sign-in (`ResumeTickets`): the next token reaches a tab within a second or
two of its page coming back, on a busy server within a few."""

Held = TypeVar("Held")


class Resumed(NamedTuple, Generic[Held]):
    """A token redeemed: what it stood for, and the token the tab holds from now on."""

    held: Held
    token: str


class NotResumed(Enum):
    """Why a token resumes nothing."""

    ENDED = "ended"
    """The sign-in ended (its session's end, a sign-out, an account disabled), was forgotten to keep the bound, or the
    server restarted since: it knows no sign-in for the token."""
    SPENT = "spent"
    """Another tab redeemed the token (a copy of the tab, which holds the sign-in now), and the sign-in stands."""
    LAPSED = "lapsed"
    """The token was redeemed, its grace ran out and none of the tokens it was exchanged for was used: the tab that
    redeemed it lost the next one (a start over whose page never came back), or a copy of it holds the sign-in."""


@dataclass(frozen=True)
class _Ticket(Generic[Held]):
    sign_in: str
    held: Held
    exchanged_from: str | None = None  # the digest of the token this one was handed for
    spent_at: datetime | None = None  # when last redeemed; it resumes until `grace` after, or its successor's use


class ResumeTickets(Generic[Held]):
    """Tokens standing for signed-in sessions until each session's end, each spent when redeemed (and resuming for
    `grace_seconds` after its last use, until the token it was exchanged for is redeemed), and the sign-ins they
    belong to, each live until its end or its revocation."""

    def __init__(self, max_tickets: int = 10_000, grace_seconds: float = GRACE_SECONDS) -> None:
        if max_tickets < 1:
            raise ValueError("max_tickets must be above 0")
        if grace_seconds < 0:
            raise ValueError("grace_seconds must be 0 or above")
        self.max_tickets = max_tickets
        self.grace = timedelta(seconds=grace_seconds)
        self._held: OrderedDict[str, _Ticket[Held]] = OrderedDict()
        self._spent: OrderedDict[str, tuple[str, NotResumed]] = OrderedDict()  # digest of a token that resumes no
        # more -> its sign-in, and why (`SPENT`: a successor was used; `LAPSED`: its grace ran out)
        self._live: OrderedDict[str, datetime] = OrderedDict()  # sign-in id -> its end
        self._lock = threading.Lock()

    def issue(self, sign_in: str, held: Held, expires_at: datetime, now: datetime | None = None) -> str:
        """The first token of a new sign-in: it stands for `held` until `expires_at`, and the sign-in `sign_in` (a
        new random id) is live until then."""
        with self._lock:
            self._forget_ended(now or datetime.now(UTC))
            self._live[sign_in] = expires_at
            return self._ticket(sign_in, held)

    def redeem(self, token: str, now: datetime | None = None) -> Resumed[Held] | NotResumed:
        """What `token` stands for and the token that stands for it from now on (`token` itself is spent, and resumes
        only for the grace period after, each use starting it again); or why it resumes nothing."""
        now = now or datetime.now(UTC)
        with self._lock:  # one step: a sign-in revoked meanwhile is not handed a new ticket
            digest = _digest(token) if token else ""
            found = self._held.get(digest)
            if found is None:
                sign_in, why = self._spent.get(digest, ("", NotResumed.ENDED))
                return why if sign_in and self._is_live(sign_in, now) else NotResumed.ENDED
            if not self._is_live(found.sign_in, now):
                return NotResumed.ENDED
            if found.spent_at is not None and now >= found.spent_at + self.grace:
                self._retire(digest, NotResumed.LAPSED)
                return NotResumed.LAPSED
            self._held[digest] = replace(found, spent_at=now)
            if found.exchanged_from is not None:  # the tab holds the token it was handed: the one before is done
                self._retire(found.exchanged_from)
                for other in [other for other, ticket in self._held.items()
                              if ticket.exchanged_from == found.exchanged_from and other != digest]:
                    self._retire(other)
            return Resumed(found.held, self._ticket(found.sign_in, found.held, exchanged_from=digest))

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
                for digest in [digest for digest, ticket in self._held.items() if ticket.sign_in == sign_in]:
                    del self._held[digest]

    def __len__(self) -> int:
        """The tickets held."""
        with self._lock:
            return len(self._held)

    def _ticket(self, sign_in: str, held: Held, exchanged_from: str | None = None) -> str:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self._held[_digest(token)] = _Ticket(sign_in, held, exchanged_from)
        self._bound()
        return token

    def _retire(self, digest: str, why: NotResumed = NotResumed.SPENT) -> None:
        """The token resumes nothing from now on; remembered as spent (or lapsed), to say so: a lapsed one whose
        successor is used after all is spent from then on."""
        ticket = self._held.pop(digest, None)
        sign_in = ticket.sign_in if ticket is not None else self._spent.get(digest, ("", why))[0]
        if sign_in:
            self._spent[digest] = (sign_in, why)
            self._bound()

    def _bound(self) -> None:
        for table in (self._held, self._live, self._spent):
            while len(table) > self.max_tickets:
                table.popitem(last=False)

    def _is_live(self, sign_in: str, now: datetime) -> bool:
        ends = self._live.get(sign_in)
        return ends is not None and now < ends

    def _forget_ended(self, now: datetime) -> None:
        for sign_in in [sign_in for sign_in, ends in self._live.items() if now >= ends]:
            del self._live[sign_in]
        for digest in [digest for digest, ticket in self._held.items() if ticket.sign_in not in self._live]:
            del self._held[digest]
        for digest in [digest for digest, (sign_in, _) in self._spent.items() if sign_in not in self._live]:
            del self._spent[digest]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
