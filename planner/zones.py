"""Time zones by their IANA names ("Europe/Berlin"): which names the planner takes, and the one a slip meant
("europe/berlin", "Berlin", "Europe/Londn"). The chain's setting (`ChainRules.time_zone`) and the store file's
`time_zone` column are checked here, so both take the same names and say the same fix.

The names are those of the zoneinfo database Python reads (the system's, else the `tzdata` package), less the few
entries there that are no IANA zone: `localtime` is the machine's own, which a phone elsewhere cannot know. A name
entered is taken only when it is also no abbreviation kept at one offset all year (`FIXED_OFFSET_NAMES`: "EST" for
a New York store put every summer shift an hour out); one saved before is kept, as the database holds it.

Stdlib and `planner.words` only, so that the settings and the file checks may ask it.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from functools import cache

TIME_ZONE_EXAMPLE = "Europe/Berlin"
TIME_ZONE_FIX = f"use an IANA name such as {TIME_ZONE_EXAMPLE}"
"""What to write instead of a name that is no time zone, as the settings and the store file's check say it."""
NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
"""Names the zoneinfo database may list that are no IANA time zone."""


FIXED_OFFSET_NAMES = {"EST": "America/New_York", "MST": "America/Denver", "HST": "Pacific/Honolulu",
                      "GMT": "Europe/London", "GMT0": "Europe/London", "GMT+0": "Europe/London",
                      "GMT-0": "Europe/London", "Greenwich": "Europe/London"}
"""Names the zoneinfo database keeps for old software that stay at one offset all year (EST is UTC-5 in July too),
each with the zone of the place people writing it most often mean (where the clocks do change), as the example its
refusal gives. Known to the machine, so a store or chain that saved one keeps it; refused where a name is entered."""
NEAR_CITY = 0.65
"""How alike (difflib's ratio, 0-1) a misspelt city must be to a zone's city to be offered: "Kiyv" and "Kyiv" are
0.75, "Atlantis" and "Athens" 0.57; the area before it ("Europe/") counts for nothing, so two names sharing only
their continent are no slip for each other."""
NEAR_CITY_ALONE = 0.8
"""The same for a city written without its area ("Londn"): nothing else narrows the choice, so it must be nearer."""
NEAR_AREA = 0.8
"""How alike the area must be to a zone's ("Americas" for "America")."""
_OFFSET = re.compile(r"(?i)^\s*([a-z]{1,5})?\s*[+\-\u2212]\s*\d{1,2}(:?\d{2})?\s*$|^\s*z\s*$")
"""A UTC offset as people write one: "UTC+1", "GMT-05:00", "+01:00", "Z", or as an hour from an abbreviation
("CET+1", "EST-5"): each one offset all year, whatever the letters before it ("CET+1" was offered "CET", an hour
from it)."""


@cache
def known_time_zones() -> frozenset[str]:
    """Every IANA time zone name this machine's database knows (read once: listing them opens its files)."""
    return frozenset(zoneinfo.available_timezones()) - NOT_ZONES


@cache
def taken_time_zones() -> frozenset[str]:
    """Every name the planner takes where a time zone is entered (the Settings page lists these): the known ones
    less `FIXED_OFFSET_NAMES`."""
    return known_time_zones() - FIXED_OFFSET_NAMES.keys()


def is_time_zone(name: object) -> bool:
    """Whether `name` is an IANA time zone name this machine knows, exactly as written ("Europe/London"): what a
    saved setting or stored store must be for its calendars to be written."""
    return isinstance(name, str) and name in known_time_zones()


def takes_time_zone(name: object) -> bool:
    """Whether `name`, entered now (the settings, `settings set`, the store file), is taken: `is_time_zone`, and no
    abbreviation fixed at one offset all year (`FIXED_OFFSET_NAMES`)."""
    return isinstance(name, str) and name in taken_time_zones()


def time_zone_meant(name: str) -> str | None:
    """The time zone a slip `name` most likely meant, or None when none plainly is:
    - the same name in another case ("europe/london");
    - a city, alone or under another area, where one zone bears it ("Berlin", "new york", "America/London" for
      Europe/London);
    - a misspelling of the city within the same area ("Europe/Londn", "Americas/New_York"), the area counting for
      nothing in how near it is ("Europe/Atlantis" is no slip for Europe/Athens), or of a city alone ("Londn").
    Never for a UTC offset ("UTC+1" read as near "UTC", an hour out), an abbreviation ("CEST" read as near "EST",
    seven hours out; "PST" as "MST") or a `FIXED_OFFSET_NAMES` entry: `meant_said` says what to write instead. Never
    an `Etc/GMT±N` zone for a name written otherwise: their signs run backwards (Etc/GMT+1 is an hour behind UTC)."""
    name = str(name)
    if _fixed_offset(name) or _OFFSET.match(name):
        return None
    taken = taken_time_zones()
    same = [zone for zone in taken if zone.casefold() == name.casefold()]
    if same:
        return same[0]
    places = sorted(zone for zone in taken if "/" in zone and not zone.startswith("Etc/"))
    area, _, city = name.rpartition("/")
    city = "_".join(city.split()).casefold()
    by_city = [zone for zone in places if _city(zone) == city]
    if len({zone.partition("/")[0] for zone in by_city}) == 1:  # one city, also under two names of one continent
        return _nearest_name(name, by_city)  # ("America/Buenos_Aires", "America/Argentina/Buenos_Aires")
    if by_city or _abbreviation(name):  # "Pacific": US/Pacific or Canada/Pacific, which no name here tells
        return None
    if area:
        areas = {_area(zone) for zone in places}
        near_areas = set(difflib.get_close_matches(area.casefold(), areas, n=3, cutoff=NEAR_AREA))
        return _nearest_city(name, city, [zone for zone in places if _area(zone) in near_areas], NEAR_CITY)
    return _nearest_city(name, city, places, NEAR_CITY_ALONE)


def time_zone_problem(name: str) -> str:
    """Why `name` is no time zone, in a clause a message continues: "'Europe/Londn' is not an IANA time zone name
    (did you mean 'Europe/London'?)"; "'EST' is not the IANA time zone of a place (…)"."""
    if _fixed_offset(name) and name in known_time_zones():
        return f"'{name}' is not the IANA time zone of a place{meant_said(name)}"
    return f"'{name}' is not an IANA time zone name{meant_said(name)}"


def meant_said(name: str) -> str:
    """" (did you mean 'Europe/London'?)" for a slip `name` (`time_zone_meant`); for a name no slip of a zone, what
    to write instead where it reads as something else: an abbreviation kept at one offset ("EST"), a UTC offset
    ("UTC+1") or an abbreviation ("CEST"); "" where none is near. The one form every refusal of a time zone says it
    in (the settings, `settings set`, the store file's check, a calendar's)."""
    fixed = _fixed_offset(name)
    if fixed:
        return (f" (it stays at one offset all year, never moved by summer time: use the IANA name of the place, such "
                f"as {FIXED_OFFSET_NAMES[fixed]})")
    meant = time_zone_meant(name)
    if meant:
        return f" (did you mean '{meant}'?)"
    if _OFFSET.match(str(name)):
        return (" (a UTC offset is no place's time zone and never moves with summer time: use the IANA name of the "
                f"place, such as {TIME_ZONE_EXAMPLE})")
    if _abbreviation(str(name)):
        return f" (an abbreviation is no IANA name: use the place's, such as {TIME_ZONE_EXAMPLE})"
    return ""


# --- helpers -------------------------------------------------------------------------------------------------------


def _fixed_offset(name: object) -> str | None:
    """The `FIXED_OFFSET_NAMES` entry `name` is, in any case ("est"), or None."""
    return next((fixed for fixed in FIXED_OFFSET_NAMES if fixed.casefold() == str(name).strip().casefold()), None)


def _abbreviation(name: str) -> bool:
    """Whether `name` reads as a zone's abbreviation ("CEST", "PST", "AEDT"): capitals alone, at most five."""
    return name.isalpha() and name.isupper() and len(name) <= 5


def _area(zone: str) -> str:
    return zone.rpartition("/")[0].casefold()


def _city(zone: str) -> str:
    return zone.rpartition("/")[2].casefold()


def _nearest_city(name: str, city: str, zones: list[str], cutoff: float) -> str | None:
    """The zone of `zones` whose city `city` most likely misspells (at least `cutoff` alike), or None; of several
    zones of that city, the one whose whole name is nearest `name`."""
    near = difflib.get_close_matches(city, sorted({_city(zone) for zone in zones}), n=1, cutoff=cutoff)
    if not near:
        return None
    return _nearest_name(name, [zone for zone in zones if _city(zone) == near[0]])


def _nearest_name(name: str, zones: list[str]) -> str:
    """The one of `zones` whose whole name is nearest `name` as written (the first of equals, by name)."""
    return max(sorted(zones), key=lambda zone: difflib.SequenceMatcher(None, name.casefold(), zone.casefold()).ratio())
