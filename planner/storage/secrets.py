"""Passwords kept out of everything shown or logged: database URLs, libpq connection strings, driver messages."""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus

from sqlalchemy import exc
from sqlalchemy.engine import make_url

from planner.masking import MASK, PASSWORD_KEYS, mask_written_secrets, userinfo_secrets, written_secrets


def safe_url(url: str) -> str:
    """`url` fit to show: the password in `user:password@`, in a query `password=`, or in a libpq connection string
    (`host=h password=p`) replaced by ***. Anything that is not a URL is masked the same way, never shown raw."""
    try:
        parsed = make_url(url)
    except (exc.ArgumentError, ValueError):  # ValueError: a port that is not a number
        return mask_secrets(url)
    if any(secret != parsed.password for secret in userinfo_secrets(url)):
        # SQLAlchemy read less than the written secret as the password (an unencoded '@' or '/' in it, or it is
        # percent-encoded): its rendering would show the rest as host or path, so mask the URL as written
        return mask_secrets(url)
    return mask_secrets(parsed.render_as_string(hide_password=True))


def mask_secrets(text: str, url: str | None = None) -> str:
    """`text` (a URL, a connection string or a driver's message) with every password form masked; when `url` is
    given, its password also wherever it appears verbatim (as drivers sometimes echo a connection string)."""
    for secret in _passwords(url) if url else ():
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            # whole tokens only, so that a short password does not mask letters inside other words
            text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(form)}(?![A-Za-z0-9])", MASK, text)
    return mask_written_secrets(text)


def _passwords(url: str) -> list[str]:
    """The passwords written in `url`, in any of its forms (empty ones ignored: masking "" would mask everything)."""
    found = written_secrets(url)
    try:
        parsed = make_url(url)
    except (exc.ArgumentError, ValueError):
        parsed = None
    if parsed is not None:
        found.append(parsed.password or "")
        for key, value in parsed.query.items():  # a key given twice in the query holds a tuple of values
            if key.lower() in PASSWORD_KEYS:
                found += [value] if isinstance(value, str) else list(value)
    return sorted({s for s in found if s and s != MASK}, key=len, reverse=True)
