"""Passwords kept out of everything shown or logged: database URLs, libpq connection strings, driver messages."""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus

from sqlalchemy import exc
from sqlalchemy.engine import make_url

MASK = "***"
PASSWORD_KEYS = ("password", "passwd", "pwd", "sslpassword", "client_secret", "cookie_secret")
"""Keys whose value is a secret: libpq's `password`/`sslpassword` and common aliases in URLs and connection strings,
and the OpenID Connect client's `client_secret` and the sign-in cookie's `cookie_secret` (in a token request or a
secrets file line quoted in a message)."""

_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^/?#@\s:]*:)(?P<secret>[^\s/?#]*)(?P<tail>@)")
"""`scheme://user:secret@`: the secret runs to the authority's last '@' (an '@' left unencoded in it is still
the password's)."""
_BARE_USERINFO = re.compile(r"(?P<head>(?:^|(?<=[\s/'\"=]))[^/?#@\s:'\"=]+:)(?P<secret>[^\s/?#]*)(?P<tail>@)")
"""`user:secret@` without a well-formed `scheme://` before it (`postgresql+psycopg//bob:pw@host`, a slash
forgotten): masked all the same, the secret again running to the last '@'."""
_KEY_VALUE = re.compile(
    r"(?P<head>\b(?:" + "|".join(PASSWORD_KEYS) + r")\s*=\s*)"
    r"(?P<secret>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s&;,)'\"]*)",
    re.IGNORECASE,
)


def safe_url(url: str) -> str:
    """`url` fit to show: the password in `user:password@`, in a query `password=`, or in a libpq connection string
    (`host=h password=p`) replaced by ***. Anything that is not a URL is masked the same way, never shown raw."""
    try:
        parsed = make_url(url)
    except (exc.ArgumentError, ValueError):  # ValueError: a port that is not a number
        return mask_secrets(url)
    return mask_secrets(parsed.render_as_string(hide_password=True))


def mask_secrets(text: str, url: str | None = None) -> str:
    """`text` (a URL, a connection string or a driver's message) with every password form masked; when `url` is
    given, its password also wherever it appears verbatim (as drivers sometimes echo a connection string)."""
    for secret in _passwords(url) if url else ():
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            # whole tokens only, so that a short password does not mask letters inside other words
            text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(form)}(?![A-Za-z0-9])", MASK, text)
    text = _USERINFO.sub(lambda m: m["head"] + MASK + m["tail"], text)
    text = _BARE_USERINFO.sub(lambda m: m["head"] + MASK + m["tail"], text)
    return _KEY_VALUE.sub(lambda m: m["head"] + MASK, text)


def _passwords(url: str) -> list[str]:
    """The passwords written in `url`, in any of its forms (empty ones ignored: masking "" would mask everything)."""
    found = [m["secret"] for pattern in (_USERINFO, _BARE_USERINFO) for m in pattern.finditer(url)]
    found += [m["secret"].strip("'\"") for m in _KEY_VALUE.finditer(url)]
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
