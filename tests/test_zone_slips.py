"""What a mistyped time zone is told, wherever one is entered (`settings set`, the Settings page, the store file's
time_zone column): the zone meant where a slip is plain, and otherwise what to write, never a zone that is not the
one meant. "UTC+1" was offered "UTC" (an hour out), "CEST" "EST" (seven hours out), "PST" "MST", "Europe/Atlantis"
"Europe/Athens" and "America/Londn" "America/Moncton" (alike only in their continent); "EST" and "GMT" were taken,
though they stay at one offset all year, so a New York or London store's calendars put every summer shift an hour
out. The offsets below are zoneinfo's, checked as the premise."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from planner import cli
from planner.cli_flags import EXIT_INPUT, EXIT_OK
from planner.editable_settings import RefusedSetting, with_values
from planner.io import read_table, validate_stores
from planner.roster_export import calendar_refusal
from planner.settings import Settings
from planner.zones import known_time_zones, meant_said, taken_time_zones, time_zone_meant

JULY, JANUARY = dt.datetime(2026, 7, 1, 12), dt.datetime(2026, 1, 15, 12)


def _offset(zone: str, when: dt.datetime) -> dt.timedelta:
    return when.replace(tzinfo=ZoneInfo(zone)).utcoffset()


SLIPS = [  # typed, the zone meant
    ("Europe/Londn", "Europe/London"), ("europe/london", "Europe/London"), ("Europe/Kiyv", "Europe/Kyiv"),
    ("europe/Madird", "Europe/Madrid"), ("Americas/New_York", "America/New_York"),
    ("America/New York", "America/New_York"),
    # a city alone, or under another continent: the one zone that bears it
    ("Paris", "Europe/Paris"), ("London", "Europe/London"), ("New York", "America/New_York"),
    ("Berlin", "Europe/Berlin"), ("ROME", "Europe/Rome"), ("Buenos Aires", "America/Buenos_Aires"),
    ("America/London", "Europe/London"), ("Asia/Paris", "Europe/Paris"),
    # a city alone, misspelt
    ("Londn", "Europe/London"), ("Berln", "Europe/Berlin"),
]
NO_SLIPS = [  # typed: near no zone in the way that matters, though difflib on the whole name found one
    "Europe/Atlantis",  # was Europe/Athens: alike in "Europe/" alone
    "America/Londn",  # was America/Moncton
    "Europe/Moskva",  # was Europe/Minsk, another country
    "Munich", "Europe", "Mars/Olympus",
    "Pacific",  # US/Pacific or Canada/Pacific: the name does not say
]
OFFSETS = ["UTC+1", "GMT+1", "UTC+01:00", "+01:00", "GMT-5", "Z",
           "CET+1", "cet+1", "EET+02:00", "CET -1", "MEZ+1", "EST-5"]  # an hour from an abbreviation
ABBREVIATIONS = ["CEST", "PST", "BST", "IST"]


@pytest.mark.parametrize(("typed", "meant"), SLIPS)
def test_a_plain_slip_is_offered_the_zone_it_meant(typed, meant):
    assert meant in taken_time_zones() and typed not in known_time_zones()  # the premise
    assert time_zone_meant(typed) == meant
    assert meant_said(typed) == f" (did you mean '{meant}'?)"


@pytest.mark.parametrize("typed", NO_SLIPS)
def test_a_name_near_no_zone_but_by_its_continent_is_offered_none(typed):
    assert typed not in known_time_zones()
    assert time_zone_meant(typed) is None and meant_said(typed) == ""


@pytest.mark.parametrize("typed", OFFSETS)
def test_a_utc_offset_is_offered_no_zone_and_told_to_give_the_place_s_iana_name(typed):
    # "UTC", what "UTC+1" was offered, is an hour from it; Berlin's clock is UTC+1 in winter only
    assert _offset("UTC", JANUARY) != dt.timedelta(hours=1)
    assert _offset("Europe/Berlin", JANUARY) != _offset("Europe/Berlin", JULY)
    assert time_zone_meant(typed) is None
    said = meant_said(typed)
    assert "did you mean" not in said and "UTC offset" in said and "summer time" in said, said
    assert said.endswith("use the IANA name of the place, such as Europe/Berlin)"), said


@pytest.mark.parametrize("typed", ABBREVIATIONS)
def test_an_abbreviation_is_offered_no_zone_but_told_to_give_the_place_s_iana_name(typed):
    # what difflib offered: "CEST" -> EST, "PST" and "BST" -> MST, each hours from the zone the abbreviation names
    assert _offset("EST", JULY) - _offset("Europe/Berlin", JULY) == dt.timedelta(hours=-7)
    assert time_zone_meant(typed) is None
    assert meant_said(typed) == " (an abbreviation is no IANA name: use the place's, such as Europe/Berlin)"


FIXED = [("EST", "America/New_York"), ("GMT", "Europe/London"), ("MST", "America/Denver"), ("est", "America/New_York")]


@pytest.mark.parametrize(("typed", "example"), FIXED)
def test_an_abbreviation_fixed_at_one_offset_all_year_is_refused_where_entered_naming_a_place_s_zone(typed, example):
    fixed = typed.upper()
    # the premise: the database keeps it, at one offset all year, while the place's clock moves in summer
    assert fixed in known_time_zones() and _offset(fixed, JANUARY) == _offset(fixed, JULY)
    assert _offset(example, JANUARY) == _offset(fixed, JANUARY) != _offset(example, JULY)
    assert fixed not in taken_time_zones() and time_zone_meant(typed) is None
    clause = (" (it stays at one offset all year, never moved by summer time: use the IANA name of the place, such as "
              f"{example})")
    assert meant_said(typed) == clause
    with pytest.raises(RefusedSetting) as refused:
        with_values(Settings(), {"chain.time_zone": typed})
    assert str(refused.value) == f"Time zone must be an IANA time zone name such as Europe/Berlin, got '{typed}'{clause}"


def test_the_store_file_and_settings_set_refuse_est_and_offsets_saying_what_to_write(capsys, settings):
    header = ("store_id,name,region,format,mon,tue,wed,thu,fri,sat,sun,wage_per_hour,min_staff,max_staff,"
              "time_zone\n")
    week = "10:00-20:00,10:00-20:00,10:00-20:00,10:00-20:00,10:00-20:00,10:00-20:00,closed,19.5,1,5"
    text = header + f"A1,One,North,electronics,{week},EST\nA2,Two,North,electronics,{week},UTC+1\n"
    by_row = {problem.row: problem.message for problem in validate_stores(read_table(text.encode(), "stores.csv"))
              .problems}
    assert by_row == {
        2: "'EST' is not the IANA time zone of a place (it stays at one offset all year, never moved by summer time: "
           "use the IANA name of the place, such as America/New_York)",
        3: "'UTC+1' is not an IANA time zone name (a UTC offset is no place's time zone and never moves with summer "
           "time: use the IANA name of the place, such as Europe/Berlin)"}
    url = settings.resolved_database_url()
    code = cli.main(["--database-url", url, "settings", "set", "time_zone=EST"])
    out = capsys.readouterr()
    assert code == EXIT_INPUT and "got 'EST' (it stays at one offset all year" in out.err + out.out, out
    code = cli.main(["--database-url", url, "settings", "set", "time_zone=America/New_York"])
    assert code == EXIT_OK, capsys.readouterr()


def test_a_zone_saved_as_est_before_keeps_its_calendars():
    """Refused where entered, not where stored: a chain or store that saved "EST" keeps its calendars as before
    (the database still knows it), until someone enters another."""
    assert calendar_refusal("S01", {"S01": "EST"}) is None
    kept = with_values(Settings().with_chain_rules(time_zone="EST"), {"chain.time_zone": "EST"})
    assert kept.chain.time_zone == "EST"
