"""Time zones by their IANA names ("Europe/Berlin"): which names the planner takes, and the one a slip meant
("europe/berlin", "Berlin"). The chain's setting (`ChainRules.time_zone`) and the store file's `time_zone` column
are checked here, so both take the same names and say the same fix.

The names are those of the zoneinfo database Python reads (the system's, else the `tzdata` package), less the few
entries there that are no IANA zone: `localtime` is the machine's own, which a phone elsewhere cannot know.

Stdlib and `planner.words` only, so that the settings and the file checks may ask it.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from planner.words import nearest

TIME_ZONE_EXAMPLE = "Europe/Berlin"
TIME_ZONE_FIX = f"use an IANA name such as {TIME_ZONE_EXAMPLE}"
"""What to write instead of a name that is no time zone, as the settings and the store file's check say it."""
NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
"""Names the zoneinfo database may list that are no IANA time zone."""


@cache
def known_time_zones() -> frozenset[str]:
    """Every IANA time zone name the planner takes (read once: listing them opens the database's files)."""
    return frozenset(zoneinfo.available_timezones()) - NOT_ZONES


def is_time_zone(name: object) -> bool:
    """Whether `name` is an IANA time zone name the planner takes, exactly as written ("Europe/London")."""
    return isinstance(name, str) and name in known_time_zones()


def time_zone_meant(name: str) -> str | None:
    """The time zone a slip `name` most likely meant: the same name in another case ("europe/london"), a city alone
    ("Berlin", "new york") where one zone bears it, or a misspelling of as many parts ("Europe/Londn"); None when
    none is near ("Europe" alone is no zone's slip). Never an `Etc/GMT±N` zone for a name written otherwise: their
    signs run backwards (Etc/GMT+1 is an hour behind UTC), so "GMT+1" offered as "Etc/GMT+1" would mislead."""
    name = str(name)
    city = "_".join(name.split()).casefold()
    by_city = [zone for zone in known_time_zones() if zone.rpartition("/")[2].casefold() == city]
    near = by_city[0] if len(by_city) == 1 else nearest(name, sorted(known_time_zones()))
    if near is None or near.casefold() == name.casefold():
        return near
    if near.startswith("Etc/") or not by_city and near.count("/") != name.count("/"):
        return None
    return near


def time_zone_problem(name: str) -> str:
    """Why `name` is no time zone, in a clause a message continues: "'Europe/Londn' is not an IANA time zone name
    (did you mean 'Europe/London'?)"."""
    return f"'{name}' is not an IANA time zone name{meant_said(name)}"


def meant_said(name: str) -> str:
    """" (did you mean 'Europe/London'?)" for a slip `name` (`time_zone_meant`), "" where none is near: the one form
    every refusal of a time zone says it in (the settings, `settings set`, the store file's check, a calendar's)."""
    meant = time_zone_meant(name)
    return f" (did you mean '{meant}'?)" if meant else ""
