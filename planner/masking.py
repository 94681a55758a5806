"""Passwords masked in text by how they are written alone (`user:secret@`, `password=secret`): the standard library
only, so that the command line's one-line argument errors mask them without loading SQLAlchemy and the storage layer
(seconds). `planner.storage.secrets` adds what needs SQLAlchemy: a configured URL's own password, wherever it
appears, and URLs fit to show."""

from __future__ import annotations

import re

MASK = "***"
PASSWORD_KEYS = ("password", "passwd", "pwd", "sslpassword", "client_secret", "cookie_secret")
"""Keys whose value is a secret: libpq's `password`/`sslpassword` and common aliases in URLs and connection strings,
and the OpenID Connect client's `client_secret` and the sign-in cookie's `cookie_secret` (in a token request or a
secrets file line quoted in a message)."""

_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^/?#@\s:]*:)(?P<secret>[^\s'\"]*)(?P<tail>@)")
"""`scheme://user:secret@`: the secret runs to the URL's last '@', past any '/', '?' or '#' (an '@' or '/' left
unencoded in a password is still the password's: `bob:Xy@Secret/Part@host` has SQLAlchemy read host `Secret`
and database `Part@host`). Masking more than the password hides a host or a path, never a secret."""
_BARE_USERINFO = re.compile(r"(?P<head>(?:^|(?<=[\s/'\"=]))[^/?#@\s:'\"=]+:)(?P<secret>(?!/)[^\s'\"]*)(?P<tail>@)")
"""`user:secret@` without a well-formed `scheme://` before it (`postgresql+psycopg//bob:pw@host`, a slash
forgotten): masked all the same, the secret again running to the last '@'; never from a `scheme:` whose '//' follows
(that is `_USERINFO`'s, or a URL without a password)."""
_KEY_VALUE = re.compile(
    r"(?P<head>\b(?:" + "|".join(PASSWORD_KEYS) + r")\s*=\s*)"
    r"(?P<secret>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s&;,)'\"]*)",
    re.IGNORECASE,
)


def mask_written_secrets(text: str) -> str:
    """`text` with every secret written as `user:secret@` or `key=secret` (a `PASSWORD_KEYS` key) masked."""
    text = _USERINFO.sub(lambda m: m["head"] + MASK + m["tail"], text)
    text = _BARE_USERINFO.sub(lambda m: m["head"] + MASK + m["tail"], text)
    return _KEY_VALUE.sub(lambda m: m["head"] + MASK, text)


def written_secrets(text: str) -> list[str]:
    """The secrets `mask_written_secrets` would mask in `text`, as written (quotes around a `key='secret'` taken
    off)."""
    return userinfo_secrets(text) + [m["secret"].strip("'\"") for m in _KEY_VALUE.finditer(text)]


def userinfo_secrets(text: str) -> list[str]:
    """The secrets written as `user:secret@` in `text`, each running to its URL's last '@'."""
    return [m["secret"] for pattern in (_USERINFO, _BARE_USERINFO) for m in pattern.finditer(text)]
