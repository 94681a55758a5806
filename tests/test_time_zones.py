"""Time zones in the calendar files: with the chain's time zone (or a store's own) set, each shift's event names it
and the file holds its VTIMEZONE, so the instant a calendar elsewhere shows is the store's clock time in that zone,
also across a change of the clocks (checked against zoneinfo and against the file's own VTIMEZONE, read back with
icalendar); each store's events carry that store's zone; a name that is no IANA zone is refused in the settings, on
the command line and in the store file, naming where it is and what to write; with no zone set, the calendars are
byte for byte what they were before zones could be set; and no plan goes out of date for a zone."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from planner import cli, storage
from planner.cli_flags import EXIT_INPUT, EXIT_OK
from planner.errors import InputRejected
from planner.intake import import_files
from planner.io import read_table, validate_stores
from planner.roster_export import ROSTER_COLUMNS, CalendarRefused, calendar_people, person_ics
from planner.settings import ChainRules, ImportRules, Settings, settings_from_dict
from planner.targets import resolve_time_zones
from planner.zones import known_time_zones, taken_time_zones

from conftest import DATA, ROOT, downloaded, store_zone_written

UTC = dt.UTC
LONDON = "Europe/London"
REVISED = dt.datetime(2026, 3, 16, 8, 30, tzinfo=UTC)
t = pd.Timestamp


def _shifts(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=ROSTER_COLUMNS)


def _calendar(raw: bytes):
    from icalendar import Calendar

    return Calendar.from_ical(raw)


# --- the instants across the clock changes --------------------------------------------------------------------------

# Britain's clocks go forward at 01:00 UTC on the last Sunday of March (29 March 2026) and back at 01:00 UTC on the
# last Sunday of October (25 October 2026): GMT (UTC+0) before, BST (UTC+1) between.
ACROSS_THE_CHANGES = [  # (start, end) on the store's clock, and the UTC instants a phone anywhere must show them at
    (("2026-03-28 09:00", "2026-03-28 17:00"), ("2026-03-28 09:00", "2026-03-28 17:00")),  # GMT
    (("2026-03-29 09:00", "2026-03-29 17:00"), ("2026-03-29 08:00", "2026-03-29 16:00")),  # the day they go forward
    (("2026-10-24 22:00", "2026-10-25 06:00"), ("2026-10-24 21:00", "2026-10-25 06:00")),  # the night they go back
    (("2026-10-25 09:00", "2026-10-25 17:00"), ("2026-10-25 09:00", "2026-10-25 17:00")),  # GMT again
]


def test_a_shift_on_the_day_the_clocks_change_keeps_its_local_times_at_the_instants_zoneinfo_gives():
    rows = [("L1", "E1", "Ann", t(start), t(end), pd.NaT, 8.0) for (start, end), _ in ACROSS_THE_CHANGES]
    raw = person_ics(_shifts(rows), "E1", {"L1": "London Oxford Street"}, REVISED, time_zones={"L1": LONDON})
    calendar = _calendar(raw)
    assert [zone.tz_name for zone in calendar.timezones] == [LONDON] and calendar.get_missing_tzids() == set()
    from_the_file = calendar.timezones[0].to_tz(lookup_tzid=False)  # the file's own VTIMEZONE, not the name's
    events = calendar.walk("VEVENT")
    assert len(events) == len(ACROSS_THE_CHANGES)
    for event, (local, instants) in zip(events, ACROSS_THE_CHANGES, strict=True):
        for name, clock, instant in zip(("dtstart", "dtend"), local, instants, strict=True):
            wall = dt.datetime.fromisoformat(clock)
            truth = dt.datetime.fromisoformat(instant).replace(tzinfo=UTC)
            assert wall.replace(tzinfo=ZoneInfo(LONDON)).astimezone(UTC) == truth  # the table above, by zoneinfo
            assert event[name].params["TZID"] == LONDON
            read = event.decoded(name)
            assert read.replace(tzinfo=None) == wall  # 09:00-17:00 stays 09:00-17:00 on the store's clock
            assert read.astimezone(UTC) == truth
            assert wall.replace(tzinfo=from_the_file).astimezone(UTC) == truth, (name, clock)
    assert b"DTSTART;TZID=Europe/London:20260329T090000" in raw
    assert person_ics(_shifts(rows), "E1", revised=REVISED, time_zones={"L1": LONDON}) == \
        person_ics(_shifts(rows), "E1", revised=REVISED, time_zones={"L1": LONDON})  # the same bytes each time


def test_each_store_s_events_carry_its_own_zone_else_the_chain_s_else_none():
    """A person works in two stores: the one whose store file names a zone has its events in it, the other the
    chain's; with no chain zone, the other's events stay floating beside the first's."""
    text = ("store_id,name,region,format,mon,tue,wed,thu,fri,sat,sun,wage_per_hour,min_staff,max_staff,time_zone\n"
            "NY1,Fifth Avenue,East,electronics,10:00-20:00,10:00-20:00,10:00-20:00,10:00-20:00,10:00-20:00,"
            "10:00-20:00,closed,19.5,1,5,America/New_York\n"
            "LO1,Oxford Street,East,electronics,10:00-20:00,10:00-20:00,10:00-20:00,10:00-20:00,10:00-20:00,"
            "10:00-20:00,closed,19.5,1,5,\n")
    checked = validate_stores(read_table(text.encode(), "stores.csv"))
    assert not checked.problems
    chain = Settings().with_chain_rules(time_zone=LONDON)
    assert resolve_time_zones(checked.frame, chain) == {"NY1": "America/New_York", "LO1": LONDON}
    assert resolve_time_zones(checked.frame, Settings()) == {"NY1": "America/New_York", "LO1": None}
    rows = [("NY1", "E1", "Ann", t("2026-03-09 10:00"), t("2026-03-09 18:00"), pd.NaT, 8.0),  # after New York's change
            ("LO1", "E1", "Ann", t("2026-03-10 10:00"), t("2026-03-10 18:00"), pd.NaT, 8.0)]  # before London's
    both = _calendar(person_ics(_shifts(rows), "E1", revised=REVISED,
                                time_zones=resolve_time_zones(checked.frame, chain)))
    assert sorted(zone.tz_name for zone in both.timezones) == ["America/New_York", LONDON]
    assert both.get_missing_tzids() == set()
    by_store = {str(event["uid"]).split("-")[0]: event for event in both.walk("VEVENT")}
    assert by_store["NY1"]["dtstart"].params["TZID"] == "America/New_York"
    assert by_store["NY1"].decoded("dtstart").astimezone(UTC) == dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # EDT
    assert by_store["LO1"].decoded("dtstart").astimezone(UTC) == dt.datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # GMT
    alone = _calendar(person_ics(_shifts(rows), "E1", revised=REVISED,
                                 time_zones=resolve_time_zones(checked.frame, Settings())))
    by_store = {str(event["uid"]).split("-")[0]: event for event in alone.walk("VEVENT")}
    assert [zone.tz_name for zone in alone.timezones] == ["America/New_York"]
    assert by_store["LO1"].decoded("dtstart") == dt.datetime(2026, 3, 10, 10, 0)  # floating: no zone at all
    assert "TZID" not in by_store["LO1"]["dtstart"].params


# --- no zone set: as before -----------------------------------------------------------------------------------------

BEFORE_ZONES = {
    "E001": "69a2da598b0e56cb83877ac0f672208e43857df50a0023722e7bd233b8d1f78c",
    "E002": "203f5cc146abe4d0e24f24c0bf3de5be834116b5d8c5ae4e77e0befaac484fff",
    "E003": "df1b05440370b1dfebf3c247f65d633aeee5bdb073c603e417b1877c705cd4bf",
}
"""sha256 of each person's calendar below as the planner wrote it before time zones could be set (commit 357d765)."""


def test_the_sample_chain_s_calendars_without_a_zone_are_byte_for_byte_as_before():
    stores = validate_stores(read_table((DATA / "stores.csv").read_bytes(), "stores.csv")).frame
    names = dict(zip(stores["store_id"], stores["name"], strict=True))
    zones = resolve_time_zones(stores, Settings())
    assert len(zones) == len(stores) and set(zones.values()) == {None}
    shifts = _shifts([
        ("S01", "E001", "Ann Weber", t("2026-03-23 10:00"), t("2026-03-23 18:30"), t("2026-03-23 14:00"), 8.0),
        ("S01", "E002", "Cem Aydın", t("2026-03-28 12:00"), t("2026-03-28 20:00"), t("2026-03-28 15:30"), 7.5),
        ("S01", "E001", "Ann Weber", t("2026-03-29 12:00"), t("2026-03-29 18:00"), pd.NaT, 6.0),
        ("S02", "E003", "Zoë; =1+1", t("2026-03-27 22:00"), t("2026-03-28 02:00"), pd.NaT, 4.0)])
    gone = _shifts([("S01", "E002", "Cem Aydın", t("2026-03-25 10:00"), t("2026-03-25 14:00"), pd.NaT, 4.0)])
    written = {person: hashlib.sha256(person_ics(shifts, person, names, REVISED, gone, zones)).hexdigest()
               for person in calendar_people(shifts, gone)}
    assert written == BEFORE_ZONES


# --- names that are no zone -----------------------------------------------------------------------------------------

def test_a_name_that_is_no_zone_is_refused_where_it_is_entered_naming_the_setting_and_the_fix():
    from planner.editable_settings import RefusedSetting, with_values

    with pytest.raises(RefusedSetting, match=r"^Time zone must be an IANA time zone name such as Europe/Berlin, got "
                                             r"'Europe/Londn' \(did you mean 'Europe/London'\?\)$"):
        with_values(Settings(), {"chain.time_zone": "Europe/Londn"})
    for wrong in ("Mars/Olympus", "localtime", "", "Europe"):
        with pytest.raises(RefusedSetting, match=r"^Time zone must be an IANA time zone name such as Europe/Berlin, "
                                                 rf"got '{re.escape(wrong)}'$"):
            with_values(Settings(), {"chain.time_zone": wrong})
    assert with_values(Settings(), {"chain.time_zone": LONDON}).chain.time_zone == LONDON
    with pytest.raises(ValueError, match=r"^time_zone must be an IANA time zone name such as Europe/Berlin, got 3$"):
        ChainRules(time_zone=3)  # no name at all


def test_saved_settings_holding_a_zone_this_machine_does_not_know_load_and_keep_it_until_it_is_changed():
    """A tzdata update renames a zone now and then: the chain's saved settings holding the old name still load
    (only the calendars refuse it, `calendar_refusal`), and a change of another setting keeps it as saved; entering
    it is refused (above)."""
    from planner.editable_settings import with_values

    saved = settings_from_dict({"chain": {"time_zone": GONE}, "targets": {"min_staff": 2}})
    assert (saved.chain.time_zone, saved.targets.min_staff) == (GONE, 2)
    kept = with_values(saved, {"chain.time_zone": GONE, "targets.min_staff": 3})  # the page sends every value
    assert (kept.chain.time_zone, kept.targets.min_staff) == (GONE, 3)
    assert with_values(saved, {"chain.time_zone": LONDON}).chain.time_zone == LONDON


def _run(capsys, url: str, *args: str) -> tuple[int, str]:
    code = cli.main(["--database-url", url, *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_command_line_sets_the_chain_s_zone_refusing_a_slip_with_the_name_meant(capsys, settings):
    url = settings.resolved_database_url()
    code, out = _run(capsys, url, "settings", "set", "time_zone=europe/london")
    assert code == EXIT_INPUT and out.startswith("error: nothing was saved") and out.count("\n") == 1, out
    assert ("time_zone=europe/london: Time zone must be an IANA time zone name such as Europe/Berlin, or none, got "
            "'europe/london' (did you mean 'Europe/London'?)") in out
    code, out = _run(capsys, url, "settings", "set", "chain.time_zone=Europe/London", "--note", "the UK stores")
    assert code == EXIT_OK and "Time zone none -> Europe/London" in out, out
    code, out = _run(capsys, url, "settings", "show")
    (line,) = [line for line in out.splitlines() if line.startswith("chain.time_zone ")]
    assert line.split() == ["chain.time_zone", "Europe/London", "none", "-", "yes"]
    engine = storage.connect(settings)
    assert storage.chain_settings_of(engine).chain.time_zone == LONDON
    engine.dispose()
    code, out = _run(capsys, url, "settings", "set", "time_zone=none")
    assert code == EXIT_OK and "Time zone Europe/London -> none" in out


STORE_HEADER = "store_id,name,region,format,mon,tue,wed,thu,fri,sat,sun,wage_per_hour,min_staff,max_staff,time_zone\n"
OPEN_WEEK = "10:00-20:00,10:00-20:00,10:00-20:00,10:00-20:00,10:00-20:00,10:00-20:00,closed,19.5,1,5"


def test_a_store_file_s_zone_that_is_none_is_an_error_naming_file_row_column_and_fix_and_nothing_is_stored(engine):
    text = (STORE_HEADER + f"A1,One,North,electronics,{OPEN_WEEK},Europe/Berlin\n"
            f"A2,Two,North,electronics,{OPEN_WEEK},europe/paris\n"
            f"A3,Three,North,electronics,{OPEN_WEEK},Mars/Olympus\n")
    checked = validate_stores(read_table(text.encode(), "stores.csv"))
    by_row = {problem.row: problem for problem in checked.problems}
    assert sorted(by_row) == [3, 4] and checked.frame.empty  # the header is row 1
    for problem in by_row.values():
        assert (problem.file, problem.column, problem.severity) == ("stores.csv", "time_zone", "error")
        assert problem.fix.startswith("Use an IANA name such as Europe/Berlin")
    assert by_row[3].message == "'europe/paris' is not an IANA time zone name (did you mean 'Europe/Paris'?)"
    assert by_row[4].message == "'Mars/Olympus' is not an IANA time zone name" and by_row[4].value == "Mars/Olympus"
    with pytest.raises(InputRejected):
        import_files(engine, [("stores.csv", text.encode())], ImportRules())
    assert storage.load_stores(engine).empty


def test_a_store_s_zone_is_stored_and_read_back_and_a_blank_one_stays_blank(engine):
    text = (STORE_HEADER + f"A1,One,North,electronics,{OPEN_WEEK},Europe/Berlin\n"
            f"A2,Two,North,electronics,{OPEN_WEEK},\n")
    import_files(engine, [("stores.csv", text.encode())], ImportRules())
    stored = storage.load_stores(engine)
    assert stored.set_index("store_id")["time_zone"].to_dict() == {"A1": "Europe/Berlin", "A2": None}
    assert resolve_time_zones(stored, Settings().with_chain_rules(time_zone=LONDON)) == {
        "A1": "Europe/Berlin", "A2": LONDON}
    (again,) = import_files(engine, [("stores.csv", text.encode())], ImportRules())
    assert (again.rows_added, again.rows_replaced, again.rows_unchanged) == (0, 0, 2)  # the blank read back as blank


# --- no plan goes out of date ---------------------------------------------------------------------------------------

def test_a_zone_set_for_the_chain_or_a_store_changes_no_plan_s_digest():
    """Saved plans hold the digests of the settings and store rows they were made with: a zone, which no plan reads,
    must leave them as before zones existed (the digests below are those the planner made at commit 357d765)."""
    from planner.digest import settings_digest, stores_digest

    before = "d222c38fc7feeb7823646d97bbaf20a41b38b20e6417d1d4b9621ff672e27e5d"
    assert settings_digest(Settings(), None) == before
    assert settings_digest(Settings().with_chain_rules(time_zone=LONDON), None) == before
    stores = validate_stores(read_table((DATA / "stores.csv").read_bytes(), "stores.csv")).frame
    sample = "8b3a497a7b7ed83761e01c38013f6a54a5eecc9f3e10b6993ef05c60ff4ffc6b"
    assert stores_digest(stores) == sample == stores_digest(stores.assign(time_zone="Europe/Berlin"))


# --- the schema -----------------------------------------------------------------------------------------------------

def test_revision_0007_adds_the_stores_zone_keeping_every_row_and_drops_it_again(tmp_path):
    from alembic import command
    from sqlalchemy import inspect

    from planner.storage import migrate

    url = f"sqlite:///{tmp_path / 'planner.db'}"
    engine = storage.connect(Settings(database_url=url))
    import_files(engine, [("stores.csv", (DATA / "stores.csv").read_bytes())], ImportRules())
    before = storage.load_stores(engine).drop(columns="time_zone")
    with engine.begin() as connection:
        command.downgrade(migrate.alembic_config(connection), "0006")
    assert "time_zone" not in {column["name"] for column in inspect(engine).get_columns("stores")}
    engine.dispose()
    engine = storage.connect(Settings(database_url=url))  # upgrades again
    after = storage.load_stores(engine)
    assert after["time_zone"].isna().all()
    pd.testing.assert_frame_equal(after.drop(columns="time_zone"), before)
    engine.dispose()


# --- where the calendars are written and offered --------------------------------------------------------------------

ROSTER_STORE, ROSTER_WEEK = "S08", "2026-W50"


def _published(url: str) -> None:
    """The sample S08's week rostered (with the short budget `roster_db_url`'s chain settings hold) and published."""
    from planner.rostering import publishing, store_week

    engine = storage.connect(Settings(database_url=url))
    run = store_week.make_roster(engine, storage.chain_settings_of(engine), ROSTER_STORE, ROSTER_WEEK)
    publishing.save_roster_run(engine, run, "ana", publish=True)
    engine.dispose()


def _events(folder) -> list:
    return [event for path in sorted(folder.glob("*.ics")) for event in _calendar(path.read_bytes()).walk("VEVENT")]


def test_roster_out_dir_writes_the_store_s_zone_or_says_the_times_have_none(capsys, roster_db_url, tmp_path):
    url = roster_db_url
    _published(url)
    code, out = _run(capsys, url, "roster", "--store", ROSTER_STORE, "--week", ROSTER_WEEK, "--show", "--out-dir",
                     str(tmp_path / "floating"))
    assert code == EXIT_OK, out
    # the store file's time_zone column gives one store its own zone, before the chain's: the note named only the
    # chain's setting
    assert ("note: the calendars' times are the store's local time, with no time zone; set the chain's time zone "
            "(`python -m planner settings set time_zone=Europe/Berlin`, or the Settings page), or give the store its "
            "own in the store file's time_zone column (python -m planner import FILE), so calendar apps in other "
            "zones show them right") in out
    floating = _events(tmp_path / "floating")
    assert floating and all(event.decoded("dtstart").tzinfo is None for event in floating)

    assert _run(capsys, url, "settings", "set", "time_zone=America/New_York")[0] == EXIT_OK
    code, out = _run(capsys, url, "roster", "--store", ROSTER_STORE, "--week", ROSTER_WEEK, "--show", "--out-dir",
                     str(tmp_path / "chain"))
    assert code == EXIT_OK and "no time zone" not in out, out
    chain = _events(tmp_path / "chain")
    assert len(chain) == len(floating)
    for event, clock in zip(chain, floating, strict=True):  # December: EST, five hours behind UTC
        assert event["dtstart"].params["TZID"] == "America/New_York"
        wall = clock.decoded("dtstart")
        assert event.decoded("dtstart").astimezone(UTC) == (wall + dt.timedelta(hours=5)).replace(tzinfo=UTC)

    # the store file's own zone wins over the chain's for that store
    stores = (DATA / "stores.csv").read_text(encoding="utf-8").splitlines()
    (row,) = [line for line in stores if line.startswith(f"{ROSTER_STORE},")]
    (tmp_path / "s08.csv").write_text(f"{stores[0]},service_cv,time_zone\n{row},,Asia/Tokyo\n", encoding="utf-8")
    assert _run(capsys, url, "import", "--stores", str(tmp_path / "s08.csv"))[0] == EXIT_OK
    code, out = _run(capsys, url, "roster", "--store", ROSTER_STORE, "--week", ROSTER_WEEK, "--show", "--out-dir",
                     str(tmp_path / "own"))
    assert code == EXIT_OK, out
    own = _events(tmp_path / "own")
    assert {event["dtstart"].params["TZID"] for event in own} == {"Asia/Tokyo"}
    assert [event.decoded("dtstart").astimezone(UTC) for event in own] == [
        (clock.decoded("dtstart") - dt.timedelta(hours=9)).replace(tzinfo=UTC) for clock in floating]


def test_the_roster_page_says_the_calendar_s_zone_or_that_its_times_have_none(roster_db_url, monkeypatch, downloads):
    from streamlit.testing.v1 import AppTest

    from app_pages import state
    from planner.roster_export import FLOATING_TIMES
    from planner.settings import DATABASE_URL_ENV

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state[state.ROSTER_STORE] = ROSTER_STORE
    page = at.switch_page(str(ROOT / "app_pages" / "roster.py")).run()
    page.button(key=state.ROSTER_DRAFT_ASKED).click().run()  # nothing published or saved: rostered when asked
    page.button(key=state.ROSTER_PUBLISH).click().run()
    assert not page.exception and not page.error

    def calendar_and_captions():
        button = page.download_button(key=state.ROSTER_DOWNLOADS["ics"])
        raw = downloaded(downloads, button).content
        return _calendar(raw), [caption.value for caption in page.caption]

    calendar, captions = calendar_and_captions()
    assert FLOATING_TIMES in captions and not calendar.timezones
    # the store file's time_zone column gives one store its own zone, before the chain's: the note named only the
    # Settings page
    assert FLOATING_TIMES == ("Times are the store's local time, with no time zone; set the chain's time zone in "
                              "Settings, or give the store its own in the store file's time_zone column (the Upload "
                              "page), so calendar apps in other zones show them right.")
    # a store manager may change neither the chain's settings nor the store file: she is told a planner does
    from app_pages import signin
    from planner.access.scope import Scope

    planner = signin.session_scope
    monkeypatch.setattr(signin, "session_scope", lambda rules: Scope(user="mia", role="store_manager",
                                                                     stores=frozenset({ROSTER_STORE})))
    page.run()
    captions = [caption.value for caption in page.caption]
    assert FLOATING_TIMES not in captions
    assert [c for c in captions if c.startswith("Times are the store's local time, with no time zone; ask a planner "
                                                "to set the chain's time zone")], captions
    monkeypatch.setattr(signin, "session_scope", planner)
    page.run()
    engine = storage.connect(Settings(database_url=roster_db_url))
    saved = storage.chain_settings_of(engine)
    storage.save_settings(engine, saved.with_chain_rules(time_zone=LONDON), "ana")
    engine.dispose()
    page.run()
    calendar, captions = calendar_and_captions()
    assert FLOATING_TIMES not in captions and "Times are the store's local time, in its time zone Europe/London." \
        in captions
    assert [zone.tz_name for zone in calendar.timezones] == [LONDON]
    assert {event["dtstart"].params["TZID"] for event in calendar.walk("VEVENT")} == {LONDON}


def test_the_settings_page_picks_the_chain_s_zone_from_the_iana_names_and_saves_it(sample_url, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from app_pages import state
    from planner.settings import DATABASE_URL_ENV

    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    app.switch_page(str(ROOT / "app_pages" / "settings.py")).run()
    zone = app.selectbox(key=state.CHAIN_INPUTS["time_zone"])
    assert zone.value is None and zone.label == "Time zone"
    assert zone.options[0].startswith("none") and set(zone.options[1:]) == taken_time_zones() >= {LONDON}
    assert "EST" not in zone.options  # kept at UTC-5 all year: a New York store's summer shifts an hour out
    assert "localtime" not in zone.options  # the machine's own zone, which no phone elsewhere knows
    zone.set_value(LONDON).run()
    assert not app.exception and not app.error
    assert app.table[0].value.loc["Time zone", ["default", "in force"]].tolist() == ["none", LONDON]
    app.button(key=state.SETTINGS_SAVE).click().run()
    assert not app.exception and [box.value for box in app.success] == ["Saved as the chain's settings."]
    engine = storage.connect(Settings(database_url=sample_url))
    assert storage.chain_settings_of(engine).chain.time_zone == LONDON
    assert storage.settings_history(engine)["changes"].iloc[0] == "Time zone none -> Europe/London"
    engine.dispose()
    # no plan or schedule is made with it: the page's settings for planning are the chain's as before
    from planner.settings import planning_settings

    assert planning_settings(Settings().with_chain_rules(time_zone=LONDON)) == planning_settings(Settings())


# --- a zone the machine's time-zone database does not know ----------------------------------------------------------

GONE = "Europe/Atlantis"
"""A zone name as a database moved from a machine with other tzdata may hold: written straight into the stores
table, since every check that takes a name refuses it."""


def _refusal(store_id: str, name: str, zone: str) -> str:
    return (f"No calendars for {name} ({store_id}): its time zone '{zone}' is not one this machine's time-zone "
            "database knows")


def test_a_calendar_of_a_store_whose_zone_the_machine_does_not_know_is_refused_naming_store_zone_and_fix():
    assert GONE not in known_time_zones() and "Europe/Kyiv" in known_time_zones()  # the premise
    rows = [("L1", "E1", "Ann", t("2026-03-28 09:00"), t("2026-03-28 17:00"), pd.NaT, 8.0),
            ("L2", "E1", "Ann", t("2026-03-29 09:00"), t("2026-03-29 17:00"), pd.NaT, 8.0)]
    with pytest.raises(CalendarRefused) as refused:
        person_ics(_shifts(rows), "E1", {"L1": "London Oxford Street"}, REVISED,
                   time_zones={"L1": "Europe/Kiyv", "L2": LONDON})
    said = str(refused.value)
    assert said.startswith(_refusal("L1", "London Oxford Street", "Europe/Kiyv") + " (did you mean 'Europe/Kyiv'?)")
    assert "time_zone column" in said and "Settings" in said and "Europe/Berlin" in said, said
    # another store's unknown zone leaves a calendar of this store's shifts as it was
    assert person_ics(_shifts(rows[1:]), "E1", revised=REVISED, time_zones={"L1": GONE, "L2": LONDON}) == \
        person_ics(_shifts(rows[1:]), "E1", revised=REVISED, time_zones={"L2": LONDON})


def test_roster_out_dir_refuses_the_calendars_of_a_store_whose_zone_is_unknown_writing_nothing(capsys, roster_db_url,
                                                                                               tmp_path, monkeypatch):
    """`roster --show --out-dir` wrote the roster's CSVs and workbook, then refused its calendars: a folder that read
    as the whole export. Refused now before any file, as `roster --publish --out-dir` is, saying nothing was
    written."""
    url = roster_db_url
    _published(url)
    engine = storage.connect(Settings(database_url=url))
    name = storage.load_stores(engine).set_index("store_id").loc[ROSTER_STORE, "name"]
    engine.dispose()
    store_zone_written(url, "S01", GONE)  # another store's: S08's calendars are written as before
    store_zone_written(url, ROSTER_STORE, "Asia/Tokyo")
    code, out = _run(capsys, url, "roster", "--store", ROSTER_STORE, "--week", ROSTER_WEEK, "--show", "--out-dir",
                     str(tmp_path / "known"))
    assert code == EXIT_OK, out
    known = _events(tmp_path / "known")
    assert known and {event["dtstart"].params["TZID"] for event in known} == {"Asia/Tokyo"}

    store_zone_written(url, ROSTER_STORE, GONE)
    gone = tmp_path / "gone"
    code, out = _run(capsys, url, "roster", "--store", ROSTER_STORE, "--week", ROSTER_WEEK, "--show", "--out-dir",
                     str(gone), "--out", str(tmp_path / "shifts.csv"))
    assert code == EXIT_INPUT, out
    assert "Traceback" not in out and "unexpected" not in out, out
    (line,) = [line for line in out.splitlines() if line.startswith("error: ")]
    assert line.startswith(f"error: n{_refusal(ROSTER_STORE, name, GONE)[1:]}"), line
    assert "time_zone column and import it again (python -m planner import FILE)" in line, line
    assert "settings set time_zone=" in line, line
    # refused as `roster --publish --out-dir` is, before anything: no file half of the roster's export, and it says so
    assert "nothing was written" in line and "without --out-dir" in line, line
    assert not [said for said in out.splitlines() if said.startswith("written") or " written to " in said], out
    assert not (gone.exists() and any(gone.iterdir())) and not (tmp_path / "shifts.csv").exists()
    # a zone that turns unknown between that refusal and the files (skipped here) is refused before any file too
    from planner import cli_roster

    monkeypatch.setattr(cli_roster, "_refuse_calendars", lambda *_: None)
    raced = tmp_path / "raced"
    code, out = _run(capsys, url, "roster", "--store", ROSTER_STORE, "--week", ROSTER_WEEK, "--show", "--out-dir",
                     str(raced), "--out", str(tmp_path / "shifts.csv"))
    assert code == EXIT_INPUT and "Traceback" not in out, out
    (line,) = [line for line in out.splitlines() if line.startswith("error: ")]
    assert line.startswith(f"error: n{_refusal(ROSTER_STORE, name, GONE)[1:]}") and "nothing was written" in line
    assert not (raced.exists() and any(raced.iterdir())) and not (tmp_path / "shifts.csv").exists()


def test_the_roster_page_refuses_the_calendar_of_a_store_whose_zone_is_unknown(roster_db_url, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from app_pages import state
    from planner.settings import DATABASE_URL_ENV

    monkeypatch.setenv(DATABASE_URL_ENV, roster_db_url)
    store_zone_written(roster_db_url, ROSTER_STORE, GONE)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state[state.ROSTER_STORE] = ROSTER_STORE
    page = at.switch_page(str(ROOT / "app_pages" / "roster.py")).run()
    page.button(key=state.ROSTER_DRAFT_ASKED).click().run()  # nothing published or saved: rostered when asked
    page.button(key=state.ROSTER_PUBLISH).click().run()
    assert not page.exception, page.exception
    engine = storage.connect(Settings(database_url=roster_db_url))
    name = storage.load_stores(engine).set_index("store_id").loc[ROSTER_STORE, "name"]
    engine.dispose()
    (error,) = [error.value.replace("\\", "") for error in page.error]  # as shown: markdown's escapes undone
    assert error.startswith(_refusal(ROSTER_STORE, name, GONE)), error
    assert "time_zone column and upload it again" in error and "Settings" in error, error
    keys = {button.key for button in page.get("download_button")}
    assert state.ROSTER_DOWNLOADS["ics"] not in keys and state.ROSTER_DOWNLOADS["csv"] in keys, keys


RENAMED, KYIV = "Europe/Kyiv_Old", "Europe/Kyiv"
"""A chain zone saved under a name a later tzdata dropped, and the name meant."""


def _chain_zone_as_saved(url: str, zone: str) -> None:
    """The chain's latest saved settings with `zone` as their time zone, written straight into the table (as a
    database moved from a machine with other tzdata holds it: `settings set` and the Settings page refuse it)."""
    from sqlalchemy import func, select, update

    from planner.storage.tables import chain_settings as table

    engine = storage.connect(Settings(database_url=url))
    with engine.begin() as connection:
        latest = connection.execute(select(func.max(table.c.id))).scalar_one()
        values = connection.execute(select(table.c.settings).where(table.c.id == latest)).scalar_one()
        values = {**values, "chain": {**values["chain"], "time_zone": zone}}
        connection.execute(update(table).where(table.c.id == latest).values(settings=values))
    engine.dispose()


def test_a_saved_chain_zone_the_machine_does_not_know_refuses_only_the_calendars(capsys, roster_db_url, tmp_path):
    """The chain's saved time zone renamed by a tzdata update made every command refuse the saved settings ("cannot
    be used"), and the fix it offered (`settings set`) started from the defaults, dropping the chain's other saved
    settings. Now every command plans with them; only the calendars are refused, naming the chain's zone, the one
    meant and how to set it; `settings set time_zone=` changes it keeping the rest."""
    url = roster_db_url
    _published(url)
    code, out = _run(capsys, url, "settings", "set", "weekly_budget_staff_hours=400", f"time_zone={KYIV}")
    assert code == EXIT_OK, out
    _chain_zone_as_saved(url, RENAMED)
    engine = storage.connect(Settings(database_url=url))
    name = storage.load_stores(engine).set_index("store_id").loc[ROSTER_STORE, "name"]
    saved = storage.chain_settings_of(engine)
    assert (saved.chain.time_zone, saved.shifts.weekly_budget_staff_hours) == (RENAMED, 400)

    code, out = _run(capsys, url, "recommend", "--store", "S02")
    assert code == EXIT_OK and "cannot be used" not in out, out
    code, out = _run(capsys, url, "settings", "show")
    (line,) = [line for line in out.splitlines() if line.startswith("chain.time_zone ")]
    assert code == EXIT_OK and line.split() == ["chain.time_zone", RENAMED, "none", "-", "yes"], out

    code, out = _run(capsys, url, "roster", "--store", ROSTER_STORE, "--week", ROSTER_WEEK, "--show", "--out-dir",
                     str(tmp_path / "renamed"))
    assert code == EXIT_INPUT and "Traceback" not in out, out
    (line,) = [line for line in out.splitlines() if line.startswith("error: ")]
    assert line.startswith(f"error: no calendars for {name} ({ROSTER_STORE}): the chain's time zone '{RENAMED}' is "
                           f"not one this machine's time-zone database knows (did you mean '{KYIV}'?)"), line
    assert "settings set time_zone=" in line and "time_zone column" in line, line
    assert not list((tmp_path / "renamed").glob("*.ics"))

    code, out = _run(capsys, url, "settings", "set", f"time_zone={RENAMED}")  # entered, it is refused
    assert code == EXIT_INPUT and f"got '{RENAMED}' (did you mean '{KYIV}'?)" in out, out
    code, out = _run(capsys, url, "settings", "set", f"time_zone={KYIV}")
    assert code == EXIT_OK and f"Time zone {RENAMED} -> {KYIV}" in out and "default" not in out, out
    again = storage.chain_settings_of(engine)
    assert (again.chain.time_zone, again.shifts.weekly_budget_staff_hours) == (KYIV, 400)
    assert again.roster == saved.roster  # the roster rules `roster_db_url` saved, kept too
    engine.dispose()
    code, out = _run(capsys, url, "roster", "--store", ROSTER_STORE, "--week", ROSTER_WEEK, "--show", "--out-dir",
                     str(tmp_path / "known"))
    assert code == EXIT_OK, out
    assert {event["dtstart"].params["TZID"] for event in _events(tmp_path / "known")} == {KYIV}


def test_the_settings_page_opens_on_a_saved_chain_zone_unknown_and_changes_it_keeping_the_rest(sample_url,
                                                                                               monkeypatch):
    from streamlit.testing.v1 import AppTest

    from app_pages import state
    from planner.settings import DATABASE_URL_ENV

    engine = storage.connect(Settings(database_url=sample_url))
    storage.save_settings(engine, Settings().with_shift_rules(weekly_budget_staff_hours=400.0)
                          .with_chain_rules(time_zone=KYIV), "ana")
    _chain_zone_as_saved(sample_url, RENAMED)
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    app.switch_page(str(ROOT / "app_pages" / "settings.py")).run()
    assert not app.exception and not app.error, [error.value for error in app.error]
    zone = app.selectbox(key=state.CHAIN_INPUTS["time_zone"])
    assert zone.value == RENAMED and f"{RENAMED} (not known on this machine)" in zone.options
    (warning,) = [said for box in app.warning if RENAMED in (said := box.value.replace("\\", ""))]  # as shown
    assert f"did you mean '{KYIV}'?" in warning and "calendar" in warning, warning
    table = app.table[0].value
    assert table.loc["Weekly budget", "in force"] == "400" and table.loc["Time zone", "in force"] == RENAMED
    zone.set_value(KYIV).run()
    assert not app.exception and not app.error
    app.button(key=state.SETTINGS_SAVE).click().run()
    assert not app.exception and [box.value for box in app.success] == ["Saved as the chain's settings."]
    saved = storage.chain_settings_of(engine)
    assert (saved.chain.time_zone, saved.shifts.weekly_budget_staff_hours) == (KYIV, 400)
    assert storage.settings_history(engine)["changes"].iloc[0] == f"Time zone {RENAMED} -> {KYIV}"
    engine.dispose()


def test_settings_set_says_a_zone_already_none_in_words(capsys, settings):
    """`settings set time_zone=` (empty) with none set printed "chain.time_zone is already ;"."""
    url = settings.resolved_database_url()
    for typed in ("time_zone=", "time_zone=none"):
        code, out = _run(capsys, url, "settings", "set", typed)
        assert code == EXIT_OK and out == ("nothing changed: chain.time_zone is already none (no time zone); nothing "
                                           "was saved\n"), out
    assert _run(capsys, url, "settings", "set", f"time_zone={LONDON}")[0] == EXIT_OK
    code, out = _run(capsys, url, "settings", "set", f"chain.time_zone={LONDON}")
    assert code == EXIT_OK and f"chain.time_zone is already {LONDON};" in out, out


def test_the_store_file_s_zone_fix_names_settings_set_on_the_command_line_and_the_settings_page_in_the_app(
        capsys, settings, tmp_path):
    text = STORE_HEADER + f"A1,One,North,electronics,{OPEN_WEEK},Europe/Londn\n"
    (problem,) = validate_stores(read_table(text.encode(), "stores.csv")).problems
    assert problem.fix.endswith("or leave it empty for the chain's time zone (the Settings page).")  # the app's words
    path = tmp_path / "stores.csv"
    path.write_text(text, encoding="utf-8")
    code, out = _run(capsys, settings.resolved_database_url(), "import", "--stores", str(path))
    assert code == EXIT_INPUT, out
    (line,) = [line for line in out.splitlines() if "time_zone:" in line]
    assert "'Europe/Londn' is not an IANA time zone name (did you mean 'Europe/London'?)" in line, line
    assert line.endswith("or leave it empty for the chain's time zone (`python -m planner settings set "
                         "time_zone=Europe/Berlin` sets it)."), line
    assert "Settings page" not in line


def test_review_reads_the_day_a_plan_was_published_on_the_store_s_clock(capsys, sample_url):
    """The week's dates are the store's: S01's W40 plan published at 01:00 UTC on Monday 28 September was published
    on Sunday evening in Chicago (20:00, UTC-5), before Monday began there, so Monday is held against it; with no zone
    set, read in UTC, Monday began before it. Published at 23:00 UTC on Sunday 27 September, it was published on
    Monday morning in Tokyo (08:00, UTC+9: the chain's zone, S01 having none of its own), after Monday began there:
    Monday had no plan in force, and the line says the plan was published on Monday, as the first line does."""
    from sqlalchemy import update

    from planner.pipeline import make_plan
    from planner.plans import PlanRequest
    from planner.storage.tables import plans

    engine = storage.connect(Settings(database_url=sample_url))
    plan = make_plan(engine, PlanRequest(weeks=("2026-W40",), store_ids=("S01",)), parallel=False)
    (row,) = plan.index_rows()
    plan_id = storage.save_plan(engine, "S01", "2026-W40", row["fingerprint"], plan.to_json(), "ana")
    storage.publish_plan(engine, plan_id, "ana")
    engine.dispose()

    def published_at(moment: dt.datetime) -> dict[str, str]:
        """The review's line per counted day (by its date) with the plan published at `moment`."""
        engine = storage.connect(Settings(database_url=sample_url))
        with engine.begin() as connection:
            connection.execute(update(plans).where(plans.c.plan_id == plan_id).values(published_at=moment))
        engine.dispose()
        code, out = _run(capsys, sample_url, "review", "--store", "S01", "--week", "2026-W40")
        assert code == EXIT_OK, out
        lines = out.splitlines()
        return {"label": lines[0], **{line[4:14]: line for line in lines if line[:4] in {"Mon ", "Tue ", "Sun "}}}

    monday_early, sunday_late = dt.datetime(2026, 9, 28, 1, tzinfo=UTC), dt.datetime(2026, 9, 27, 23, tzinfo=UTC)
    unplanned = f"no plan in force when the day began (the week's first, plan {plan_id}, was published on Mon 28 Sep)"
    assert unplanned in published_at(monday_early)["2026-09-28"]  # no zone: UTC's date, as before
    assert "no plan in force" not in published_at(sunday_late)["2026-09-28"]

    store_zone_written(sample_url, "S01", "America/Chicago")
    days = published_at(monday_early)
    assert "no plan in force" not in days["2026-09-28"] and "wanted help" in days["2026-09-28"], days
    assert days["label"].startswith(f"S01, plan {plan_id} for 2026-W40 published 2026-09-27:"), days

    store_zone_written(sample_url, "S01", None)
    assert _run(capsys, sample_url, "settings", "set", "chain.time_zone=Asia/Tokyo")[0] == EXIT_OK
    days = published_at(sunday_late)
    assert unplanned in days["2026-09-28"], days
    assert "no plan in force" not in days["2026-09-29"] and "wanted help" in days["2026-09-29"], days
    assert days["label"].startswith(f"S01, plan {plan_id} for 2026-W40 published 2026-09-28:"), days
