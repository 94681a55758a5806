"""Failed sign-ins counted per network address, so that one address cannot try many names (password spraying),
which the per-account lock (`SignInRules.max_failed_attempts`) does not stop.

    throttle = AddressThrottle(max_failures=20, window=timedelta(minutes=15))
    throttle.wait_for(address) -> timedelta | None   # how long the address must wait, None if it may try
    throttle.failed(address)                          # count one failed sign-in

The counts live in the server process (each process behind a proxy counts its own), over a sliding window, for at
most `max_addresses` addresses (the oldest forgotten first), and are safe to use from the app's session threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from datetime import UTC, datetime, timedelta


class AddressThrottle:
    """At most `max_failures` failed sign-ins per address in any `window`; then the address waits until the oldest
    of them leaves the window."""

    def __init__(self, max_failures: int, window: timedelta, max_addresses: int = 10_000) -> None:
        if max_failures < 1 or window <= timedelta(0) or max_addresses < 1:
            raise ValueError("max_failures, window and max_addresses must be above 0")
        self.max_failures = max_failures
        self.window = window
        self.max_addresses = max_addresses
        self._failures: OrderedDict[str, deque[datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def wait_for(self, address: str | None, now: datetime | None = None) -> timedelta | None:
        """How long `address` must wait before its next try (None: it may try now, or the address is unknown)."""
        if not address:
            return None
        now = now or datetime.now(UTC)
        with self._lock:
            times = self._recent(address, now)
            if len(times) < self.max_failures:
                return None
            return times[0] + self.window - now

    def failed(self, address: str | None, now: datetime | None = None) -> None:
        """Count one failed sign-in from `address` (nothing for an unknown address)."""
        if not address:
            return
        now = now or datetime.now(UTC)
        with self._lock:
            times = self._recent(address, now)
            times.append(now)
            self._failures[address] = times
            self._failures.move_to_end(address)
            while len(self._failures) > self.max_addresses:
                self._failures.popitem(last=False)

    def _recent(self, address: str, now: datetime) -> deque[datetime]:
        times = self._failures.get(address, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            self._failures.pop(address, None)
        return times
