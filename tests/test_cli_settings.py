"""`settings show|set|history`: the chain's settings on the command line, as the Settings page shows and saves them.
A planner who used only the command line could neither see nor change them, and so could not plan with a budget
(`plan` takes no --budget: it plans with the chain's saved settings)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from planner import storage
from planner.cli import main
from planner.cli_flags import EXIT_INPUT, EXIT_OK
from planner.editable_settings import EDITABLE, with_values
from planner.settings import Settings, settings_to_dict
from planner.storage import tables as storage_tables
from planner.storage.audit import audit_trail


def _run(capsys, url: str, *args: str) -> tuple[int, str]:
    code = main(["--database-url", url, *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _saved(url: str) -> Settings:
    engine = storage.connect(Settings(database_url=url))
    try:
        return storage.chain_settings_of(engine)
    finally:
        engine.dispose()


def _shown(capsys, url: str) -> dict[str, dict]:
    code, out = _run(capsys, url, "settings", "show", "--json")
    assert code == EXIT_OK
    return {row["name"]: row for row in json.loads(out)["settings"]}


def test_set_then_show_round_trips_every_kind_of_value_with_its_history_and_audit_entry(capsys, sample_url):
    shown = _shown(capsys, sample_url)
    # every setting the Settings page shows, none of the solver's internals
    assert list(shown) == [setting.path for setting in EDITABLE] and "shifts.seed" not in shown
    assert not any(row["differs"] for row in shown.values())
    code, out = _run(capsys, sample_url, "settings", "set", "weekly_budget_staff_hours=400",
                     "target_service_level=85%", "shifts.shift_lengths_hours=8,4,6", "hard-coverage=on",
                     "roster.time_limit_seconds=60", "simulation.band_level=0.8", "--note", "Christmas trading")
    assert code == EXIT_OK, out
    assert out.startswith("saved as the chain's settings (change 1): ")
    assert "Weekly budget (staff-hours per store) none -> 400" in out and "80% -> 85%" in out

    saved = _saved(sample_url)  # what every command plans with now
    assert saved.shifts.weekly_budget_staff_hours == 400 and saved.targets.target_service_level == 0.85
    assert saved.shifts.shift_lengths_hours == (4, 6, 8) and saved.shifts.hard_coverage is True
    assert saved.roster.time_limit_seconds == 60 and saved.shifts.time_limit_seconds == 20  # the part named
    assert saved.simulation.band_level == 0.8

    shown = _shown(capsys, sample_url)
    differ = {name for name, row in shown.items() if row["differs"]}
    assert differ == {"shifts.weekly_budget_staff_hours", "targets.target_service_level", "shifts.shift_lengths_hours",
                      "shifts.hard_coverage", "roster.time_limit_seconds", "simulation.band_level"}
    assert shown["shifts.shift_lengths_hours"]["value"] == [4, 6, 8]
    assert shown["shifts.weekly_budget_staff_hours"] | {"value": 400, "default": None} == \
        shown["shifts.weekly_budget_staff_hours"]
    code, out = _run(capsys, sample_url, "settings", "show")
    (line,) = [line for line in out.splitlines() if line.startswith("targets.target_service_level ")]
    assert line.split() == ["targets.target_service_level", "85%", "80%", "share", "yes"]
    assert "6 of 41 settings differ from the defaults" in out

    # the value as `show` writes it sets it again: no change, nothing saved
    code, out = _run(capsys, sample_url, "settings", "set", "target_service_level=85%", "weekly_budget_staff_hours=none")
    assert code == EXIT_OK and "change 2" in out and "400 -> none" in out
    code, out = _run(capsys, sample_url, "settings", "set", "weekly_budget_staff_hours=none")
    assert code == EXIT_OK and out.startswith("nothing changed") and "nothing was saved" in out

    code, out = _run(capsys, sample_url, "settings", "history")
    lines = out.splitlines()
    assert code == EXIT_OK and len(lines) == 3 and lines[1].split()[0] == "2" and lines[2].split()[0] == "1"
    assert lines[2].endswith("(why: Christmas trading)")
    engine = storage.connect(Settings(database_url=sample_url))
    trail = audit_trail(engine, actions=["settings"])
    engine.dispose()
    assert len(trail) == 2 and "(why: Christmas trading)" in trail["summary"].iloc[-1]


def _settings_digests(url: str) -> list[str]:
    engine = storage.connect(Settings(database_url=url))
    try:
        return list(storage.list_plans(engine).sort_values("plan_id")["settings_digest"])
    finally:
        engine.dispose()


def test_a_budget_set_on_the_command_line_is_what_plan_plans_with_and_its_plans_before_are_said_out_of_date(
        capsys, sample_url):
    code, out = _run(capsys, sample_url, "plan", "--week", "2026-W50", "--store", "S01")
    assert code == EXIT_OK and "the budget of" not in out
    code, out = _run(capsys, sample_url, "settings", "set", "weekly_budget_staff_hours=300")
    assert code == EXIT_OK
    # named as `import` names the plans it puts out of date, with the command that makes each again
    command = "python -m planner plan --store S01 --week 2026-W50"
    assert ("The draft of S01 – Berlin Mitte Electronics for the week of 7 Dec 2026 (plan 1) is now out of date: "
            f"re-plan it with `{command}`.") in out, out
    code, out = _run(capsys, sample_url, *command.split()[3:])
    assert code == EXIT_OK and "S01 2026-W50: the budget of 300 h is " in out
    paid = [line for line in out.splitlines() if line.startswith("S01 ") and "short of" in line]
    assert paid and float(paid[0].split()[1]) <= 300
    first, second = _settings_digests(sample_url)
    assert first != second
    # a roster rule is not one a plan is made with: no plan goes out of date
    code, out = _run(capsys, sample_url, "settings", "set", "roster.notice_days=7")
    assert code == EXIT_OK and "this change puts no saved plan out of date (2 saved plans of weeks not over " in out


@pytest.mark.parametrize("pair, says", [
    ("weekly_budget_staff_hours=0", "weekly_budget_staff_hours=0: Weekly budget must be above 0 up to 1,000,000 "
                                    "staff-hours per store, or none, got 0"),
    ("target_service_level=1.5", "target_service_level=1.5: Target service level must be from 0.01 up to 0.99 share "
                                 "(e.g. 0.8 or 80%), got 1.5"),
    ("min_staff=1.5", "min_staff=1.5: Fewest staff on the floor must be a whole number from 0 up to 1,000 staff, "
                      "got 1.5"),
    ("hard_coverage=maybe", "hard_coverage=maybe: Cover every required hour must be on or off, got 'maybe'"),
    ("target_wait_seconds=1,5", "'1,5' is not a number (write 1.5: a decimal point, not a comma)"),
    ("shift_lengths_hours=4,30", "Shift lengths must be a whole number from 1 up to 24 hours, got 30"),
    ("break_minutes=45", "break_minutes=45: Break must be a multiple of 30 (coverage is counted per half hour); "
                         "allowed: a whole number from 0 up to 240 minutes"),
    ("budget=300", "budget=300: unknown setting budget: did you mean shifts.weekly_budget_staff_hours?"),
    ("target_servce_level=0.9", "unknown setting target_servce_level: did you mean target_service_level?"),
    ("time_limit_seconds=5", "2 settings are named time_limit_seconds: shifts.time_limit_seconds (Schedule time "
                             "limit) and roster.time_limit_seconds"),
    ("shifts.seed=3", "shifts.seed is not one a planner sets"),
    ("weekly_budget_staff_hours", "'weekly_budget_staff_hours' has no value: write NAME=VALUE"),
    # a share typed as a percentage without its sign is told as the flags tell it (`recommend --target-service-level 85`)
    ("target_service_level=85", "got 85 (write 0.85 for 85%)"),
])
def test_a_bad_name_or_value_is_one_line_naming_it_and_its_range_and_nothing_is_saved(capsys, settings, pair, says):
    url = settings.resolved_database_url()
    code, out = _run(capsys, url, "settings", "set", pair)
    assert code == EXIT_INPUT and out.startswith("error: nothing was saved") and says in out, out
    assert out.count("\n") == 1 and "Traceback" not in out
    assert _saved(url) == Settings()


def test_one_bad_pair_saves_none_of_them(capsys, settings):
    url = settings.resolved_database_url()
    code, out = _run(capsys, url, "settings", "set", "weekly_budget_staff_hours=400", "target_wait_seconds=-5",
                     "notice_days=7")
    assert code == EXIT_INPUT and "target_wait_seconds=-5: Target wait must be from 0 up to 3,600 seconds" in out
    assert "weekly_budget_staff_hours=400:" not in out and "notice_days=7:" not in out  # only the bad one is named
    assert _saved(url) == Settings() and _run(capsys, url, "settings", "history")[1].startswith("nobody has saved")
    # a refusal by the settings' own checks, after every value passed its range, saves none of them either
    code, out = _run(capsys, url, "settings", "set", "weekly_budget_staff_hours=400", "break_minutes=45")
    assert code == EXIT_INPUT and _saved(url) == Settings()


def test_a_store_manager_may_read_the_settings_but_not_change_them(capsys, sample_url):
    assert _run(capsys, sample_url, "users", "add", "sam", "--role", "store_manager", "--stores", "S02")[0] == EXIT_OK
    code, out = _run(capsys, sample_url, "--as", "sam", "settings", "set", "weekly_budget_staff_hours=400")
    assert (code, out.strip()) == (EXIT_INPUT, "error: sam (store manager) may not edit settings")
    assert _saved(sample_url) == Settings()
    code, out = _run(capsys, sample_url, "--as", "sam", "settings", "show")  # the page is read-only for them too
    assert code == EXIT_OK and "shifts.weekly_budget_staff_hours" in out
    assert _run(capsys, sample_url, "users", "add", "pat", "--role", "planner")[0] == EXIT_OK
    code, out = _run(capsys, sample_url, "--as", "pat", "settings", "set", "weekly_budget_staff_hours=400")
    assert code == EXIT_OK
    assert _run(capsys, sample_url, "settings", "history")[1].splitlines()[1].split()[3] == "pat"


def _unusable_settings_saved(settings: Settings,
                             unusable: tuple[str, str, object] = ("targets", "target_service_level", 0.995)) -> str:
    """Saved chain settings that cannot be used (`unusable`, part, name and value: by default a service level of
    0.995, saved before the ranges existed); the database's URL."""
    engine = storage.connect(settings)
    values = settings_to_dict(Settings())
    part, name, value = unusable
    values[part][name] = value
    with engine.begin() as connection:
        connection.execute(storage_tables.chain_settings.insert().values(
            changed_at=pd.Timestamp.now(tz="UTC"), changed_by="x", settings=values))
    engine.dispose()
    return settings.resolved_database_url()


def test_saved_settings_outside_their_ranges_are_put_right_by_a_set_starting_from_the_defaults(capsys, settings):
    """As the Settings page does: the saved ones cannot be used (a service level of 0.995, saved before the ranges
    existed), `show` says so, and `set` starts from the defaults, saying so."""
    url = _unusable_settings_saved(settings)
    code, out = _run(capsys, url, "settings", "show")
    assert code != EXIT_OK and "Target service level (targets.target_service_level) is 0.995" in out
    code, out = _run(capsys, url, "settings", "set", "weekly_budget_staff_hours=400")
    assert code == EXIT_OK and "this starts from the defaults" in out
    assert _saved(url) == Settings().with_shift_rules(weekly_budget_staff_hours=400.0)


def test_saved_settings_holding_a_list_for_one_number_are_refused_naming_it_and_its_range(capsys, settings):
    """Saved chain settings (written by hand, or by a tool) with `[40]` for the most hours a week: they were refused
    as "roster.max_hours_per_week must be float, got [40]", a word of the code's and no range, where a number
    outside its range is named with its label and range. A list for one number is said the same way."""
    from planner.errors import PlannerError

    url = _unusable_settings_saved(settings, ("roster", "max_hours_per_week", [40]))
    says = "Most paid hours a week (roster.max_hours_per_week) is [40], outside its range (above 0 up to 168 hours)"
    with pytest.raises(PlannerError, match=re.escape(says)):
        _saved(url)
    code, out = _run(capsys, url, "settings", "show")
    assert code != EXIT_OK and says in out and "float" not in out and "Traceback" not in out, out
    code, out = _run(capsys, url, "settings", "set", "weekly_budget_staff_hours=400")
    assert code == EXIT_OK and says in out and "this starts from the defaults" in out
    assert _saved(url) == Settings().with_shift_rules(weekly_budget_staff_hours=400.0)


@pytest.mark.parametrize("pair", ["roster.max_hours_per_week=(40,)", "roster.max_hours_per_week=[40]",
                                  "max_hours_per_week=40,48"])
def test_set_refuses_several_numbers_for_a_setting_of_one(capsys, settings, pair):
    """The command line reads a setting's text by its kind, so several numbers for one never reach the range check:
    they are refused naming the setting, what was given and its range, and nothing is saved."""
    url = settings.resolved_database_url()
    code, out = _run(capsys, url, "settings", "set", pair)
    given = pair.partition("=")[2]
    assert code == EXIT_INPUT and out.startswith(f"error: nothing was saved (the settings are saved all together or "
                                                 f"not at all): {pair}: '{given}' is not a number")
    assert "Most paid hours a week must be above 0 up to 168 hours" in out and _saved(url) == Settings()


def test_a_set_to_a_default_replaces_saved_settings_that_cannot_be_used(capsys, settings):
    """Saved settings that cannot be used, and a `set` of a value equal to its default: it said "nothing changed
    ... nothing was saved" after its note that every setting not given is saved at its default, and the unusable
    settings stayed saved (`show` still refused them)."""
    url = _unusable_settings_saved(settings)
    default_wait = Settings().targets.target_wait_seconds
    code, out = _run(capsys, url, "settings", "set", f"target_wait_seconds={default_wait:g}")
    assert code == EXIT_OK and "nothing changed" not in out and "saved as the chain's settings" in out, out
    assert _saved(url) == Settings() and _run(capsys, url, "settings", "show")[0] == EXIT_OK


def test_show_agrees_its_verb_with_one_setting_differing(capsys, settings):
    url = settings.resolved_database_url()
    assert _run(capsys, url, "settings", "set", "weekly_budget_staff_hours=400")[0] == EXIT_OK
    code, out = _run(capsys, url, "settings", "show")
    assert code == EXIT_OK and f"1 of {len(EDITABLE)} settings differs from the defaults" in out, out


def test_the_settings_page_edits_the_settings_the_command_line_sets_in_the_same_order():
    """One list of the settings a planner sets (`planner.editable_settings`): the page's inputs follow it."""
    from app_pages import settings as page

    assert [(part, name) for part, name, *_ in page._inputs()] == [(s.part, s.name) for s in EDITABLE]
    assert {(part, name) for part, fields, _ in page.PARTS for name in fields} == {(s.part, s.name) for s in EDITABLE}


def test_the_page_s_words_for_a_refusal_name_the_setting_by_its_label():
    with pytest.raises(Exception, match="^Most paid hours a week must be above 0 up to 168 hours, got 0.0$"):
        with_values(Settings(), {"roster.max_hours_per_week": 0.0})


def test_the_settings_page_shows_values_set_on_the_command_line_outside_its_sliders_spans(sample_url, monkeypatch):
    """`settings set` takes a setting's whole range (a service level from 1%), the page's slider spans less (from 50%):
    streamlit refused the value outside it, and the page said "Something went wrong"."""
    from streamlit.testing.v1 import AppTest

    from conftest import ROOT
    from planner.settings import DATABASE_URL_ENV

    assert main(["--database-url", sample_url, "settings", "set", "target_service_level=0.3", "min_staff=60",
                 "target_wait_seconds=1200", "patience_minutes=100"]) == EXIT_OK
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    app.switch_page("app_pages/settings.py").run()
    assert not app.exception and not app.error, [box.value for box in app.error]
    assert app.slider(key="settings.target_service_level").value == 0.3
    assert app.number_input(key="settings.min_staff").value == 60
    assert app.number_input(key="settings.target_wait_seconds").value == 1200


def test_a_plan_the_time_limit_stopped_names_the_setting_that_gives_more_time():
    """`plan` said the app's "(allow the solver more time)" of a week its time limit stopped, where on the command
    line that limit is the chain's saved setting: it now names `settings set` and the setting, one that exists."""
    from planner.surfaces.fixes import MORE_SOLVER_TIME, PLAN_MORE_SOLVER_TIME, plan_on_command_line

    said = plan_on_command_line(f"S01: nothing is scheduled ({MORE_SOLVER_TIME.app})")
    assert said == ("S01: nothing is scheduled (allow the solver more time: python -m planner settings set "
                    "shifts.time_limit_seconds=SECONDS)")
    named = PLAN_MORE_SOLVER_TIME.command_line.rsplit(" ", 1)[1].split("=")[0]
    assert named in {setting.path for setting in EDITABLE}


def test_a_plan_with_hours_without_a_recommendation_names_the_flag_on_the_command_line_and_the_switch_on_pages():
    """A plan's sentence for hours left empty said "(`--min-staff-cover`, or the switch on the Settings or Schedule
    page)" on the Plans page too: the page now names its switch by its label, `plan` and `plans show` the flag."""
    from planner.surfaces.fixes import ASK_FOR_MIN_STAFF_COVER, plan_on_command_line

    label = "Put the store's minimum staff on the floor in open hours without a recommendation"
    assert ASK_FOR_MIN_STAFF_COVER.app == f'the switch "{label}" on the Settings or Schedule page'
    said = plan_on_command_line(f"S99 2026-W50: nothing scheduled there unless min_staff cover is asked for "
                                f"({ASK_FOR_MIN_STAFF_COVER.app})")
    assert said == ("S99 2026-W50: nothing scheduled there unless min_staff cover is asked for (--min-staff-cover, "
                    "or the switch on the Settings or Schedule page)")
