"""Settings metadata written once: every shift rule, and every roster rule a planner sets, has a label, unit, meaning
and allowed range (`FieldInfo`), its default lies in that range, the settings refuse what lies outside it, and the
command line's flags and the README's configuration table agree with it."""

from __future__ import annotations

import math
import re
from dataclasses import fields

import pytest

from planner import cli
from planner.settings import (
    RosterRules, ServiceTargets, Settings, ShiftRules, SimulationRules, field_info, value_text,
)

from conftest import ROOT

RULES = [item.name for item in fields(ShiftRules)]
FLAGS = {"duty_before_opening_minutes": "--duty-before", "duty_after_closing_minutes": "--duty-after",
         "weekly_budget_staff_hours": "--budget", "time_limit_seconds": "--time-limit"}
"""The `schedule` flags that set one number of `ShiftRules`."""
ROSTER_RULES = ["min_rest_hours", "max_days_in_a_row", "min_full_days_off_per_week", "max_hours_per_day",
                "max_hours_per_week", "keyholder_cover", "notice_days", "premium_hours_added_shift",
                "premium_hours_moved_shift", "premium_hours_shortened_shift", "premium_hours_cancelled_shift",
                "preference_penalty_share_of_wage", "fairness_penalty_share_of_wage", "change_penalty_hours",
                "keep_untouched_days", "time_limit_seconds"]
"""The roster rules a planner sets (the Settings page edits them); the solver's internals have no `FieldInfo`."""
INTERNALS = ["max_shifts_per_day", "relative_gap_limit", "cost_level_share", "cost_tolerance_share",
             "fairness_neighbourhood_share", "fairness_neighbourhood_days", "fairness_neighbourhood_units",
             "optimiser_spans_share", "workers", "deterministic_time_limit", "seed"]


SIMULATION = ["replications", "band_level", "at_risk_week_share", "day_to_day_variation", "service_cv"]
"""The simulation settings a planner sets (the Settings page edits them); the model's internals have no `FieldInfo`."""
SIMULATION_INTERNALS = ["service_distribution", "touch_share", "seed", "max_checking_rounds",
                        "checking_with_demand_intervals"]


EVERY_RULE = [(ShiftRules, name) for name in RULES] + [(RosterRules, name) for name in ROSTER_RULES] + [
    (SimulationRules, name) for name in SIMULATION]


@pytest.mark.parametrize("owner, name", EVERY_RULE)
def test_every_rule_has_its_words_and_a_range_holding_its_default(owner, name):
    info = field_info(owner, name)
    assert info.label and info.meaning.endswith(".") and info.low < info.high
    default = getattr(owner(), name)
    for value in (default if isinstance(default, tuple) else () if default is None else (default,)):
        assert info.allows(float(value)), (name, value)


def test_only_the_rules_a_planner_sets_carry_words_the_roster_solver_s_internals_none():
    """The Settings page lists what carries a `FieldInfo`: a level share or a seed there would ask a planner about
    the solver's search."""
    described = [item.name for item in fields(RosterRules) if "info" in item.metadata]
    assert sorted(described) == sorted(ROSTER_RULES)
    assert not set(INTERNALS) & set(described) and set(INTERNALS) <= {item.name for item in fields(RosterRules)}


def test_only_the_simulation_settings_a_planner_sets_carry_words_the_model_s_internals_none():
    """The Settings page could not edit the simulation settings: only the spread of service times carried words.
    Those a planner sets carry them now; the model's internals (how service times are shaped, touches, the seed,
    the checked staffing's rounds) stay in the settings file."""
    described = [item.name for item in fields(SimulationRules) if "info" in item.metadata]
    assert sorted(described) == sorted(SIMULATION)
    assert set(SIMULATION_INTERNALS) | set(SIMULATION) == {item.name for item in fields(SimulationRules)}


def test_the_simulation_settings_ranges_are_their_own():
    """At least two simulated weeks (a band needs a spread), as many as `simulate --replications` takes; a band and
    an at-risk share strictly between none and all of the weeks."""
    SimulationRules(replications=2, band_level=0.99, at_risk_week_share=0.01)
    SimulationRules(replications=100_000)
    for refused in ({"replications": 1}, {"replications": 100_001}, {"band_level": 0.0}, {"band_level": 1.0},
                    {"at_risk_week_share": 0.0}, {"at_risk_week_share": 1.0}, {"service_cv": 0.0}):
        with pytest.raises(ValueError, match=next(iter(refused))):
            SimulationRules(**refused)


def test_the_roster_rules_ranges_are_the_rules_own():
    """What each range allows at its edges, from the rule's meaning (planner/roster/): rest under a day, at least one
    day and at most a week in a row, at least one working day a week, a day's and a week's hours within a day and a
    week, notice from none."""
    RosterRules(min_rest_hours=0, max_days_in_a_row=7, min_full_days_off_per_week=6, max_hours_per_day=24,
                max_hours_per_week=168, notice_days=0, premium_hours_cancelled_shift=0, time_limit_seconds=1e-3)
    for refused in ({"min_rest_hours": 24}, {"max_days_in_a_row": 0}, {"min_full_days_off_per_week": 7},
                    {"max_hours_per_day": 0}, {"max_hours_per_week": 168.5}, {"notice_days": -1},
                    {"premium_hours_added_shift": -0.5}, {"time_limit_seconds": 0}):
        with pytest.raises(ValueError, match=next(iter(refused))):
            RosterRules(**refused)


@pytest.mark.parametrize("owner, name", [(owner, name) for owner, name in EVERY_RULE
                                         if not isinstance(getattr(owner(), name), bool)])
def test_a_rule_outside_its_range_is_refused_naming_the_setting_and_the_range(owner, name):
    info = field_info(owner, name)
    wrap = name == "shift_lengths_hours"  # a tuple of lengths, each checked
    outside = [info.low - 1] + ([] if math.isinf(info.high) else [info.high + 1])
    if info.low_open:
        outside.append(info.low)
    if info.high_open:
        outside.append(info.high)
    for value in outside:
        value = int(value) if info.whole else float(value)
        with pytest.raises(ValueError, match=f"{name} must be {re.escape(info.allowed())}"):
            owner(**{name: (value,) if wrap else value})
    if info.whole:
        with pytest.raises(ValueError, match=name):
            owner(**{name: (info.low + 0.5,) if wrap else info.low + 0.5})


@pytest.mark.parametrize("name", list(FLAGS))
def test_the_schedule_flags_allow_exactly_the_settings_range(name, capsys):
    info = field_info(ShiftRules, name)
    parser = cli._parser()
    edges = [info.low] + ([] if math.isinf(info.high) else [info.high])
    for edge, is_open in zip(edges, (info.low_open, info.high_open)):
        text = str(int(edge)) if info.whole else str(edge)
        if is_open:
            with pytest.raises(SystemExit):
                parser.parse_args(["schedule", FLAGS[name], text])
            assert FLAGS[name] in capsys.readouterr().err
        else:
            assert getattr(parser.parse_args(["schedule", FLAGS[name], text]), FLAGS[name][2:].replace("-", "_")) \
                == edge
    with pytest.raises(SystemExit):
        parser.parse_args(["schedule", FLAGS[name], str(info.low - 1)])
    assert FLAGS[name] in capsys.readouterr().err


def test_the_shift_length_flag_allows_the_settings_range(capsys):
    info = field_info(ShiftRules, "shift_lengths_hours")
    parser = cli._parser()
    assert parser.parse_args(["schedule", "--shift-lengths", f"{info.low:g},{info.high:g}"]).shift_lengths == (
        int(info.low), int(info.high))
    with pytest.raises(SystemExit):
        parser.parse_args(["schedule", "--shift-lengths", f"4,{info.high + 1:g}"])
    assert info.allowed() in capsys.readouterr().err


def test_the_readme_configuration_table_names_every_shift_rule_roster_rule_simulation_setting_and_service_target():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration"):]
    table = table[:table.index("\n\n", table.index("| setting"))]
    named = set(re.findall(r"`([a-z_]+)`", table))
    missing = [name for name in RULES + ROSTER_RULES + SIMULATION + [item.name for item in fields(ServiceTargets)]
               if name not in named]
    assert missing == []


@pytest.mark.parametrize("owner", [ServiceTargets, ShiftRules, RosterRules, SimulationRules])
def test_what_a_setting_says_to_people_names_no_code(owner):
    """Labels and meanings are what the Settings and Schedule pages and the CLI's help show: plain words, never a
    field name such as `min_staff_cover`."""
    for item in fields(owner):
        info = item.metadata.get("info")
        if info is None:
            continue
        code = re.findall(r"\w+_\w+", f"{info.label} {info.meaning}")  # min_staff, surplus_penalty_share_of_wage
        assert code == [], (item.name, info.label, info.meaning)


def test_the_app_s_own_streamlit_config_takes_uploads_as_large_as_the_import_rules_read():
    """`streamlit run app.py` by hand (not `make run`) said "1GB per file" and let the browser send files the
    import then refused."""
    import tomllib

    from planner.settings import ImportRules

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == ImportRules().max_file_megabytes


def test_a_settings_value_reads_as_the_settings_page_shows_it():
    assert [value_text(v, unit) for v, unit in ((0.85, "share"), (1_000_000, "currency a week"), (2.5, "minutes"),
                                                (None, "share"), (True, ""), ((4, 6, 8), "hours"))] == [
        "85%", "1,000,000", "2.5", "none", "on", "4, 6, 8"]


def test_a_roster_rule_leaves_plans_and_schedules_as_up_to_date_as_they_were():
    """Only rosters read the roster rules: a plan's settings digest and a schedule's staleness ignore them (after a
    planner lowered the notice days on the Settings page, every saved plan read "out of date: the chain's settings
    changed since"), and a plan made with the default roster rules keeps the digest it was saved with, also after
    a roster rule's default changed or a rule was added (the roster time limit's default going from 30 to 120 s and
    the new "keep untouched days" rule made every saved plan "out of date")."""
    from dataclasses import replace

    from planner.digest import settings_digest
    from planner.staleness import changed_since
    from planner.storage.revision import DataRevision

    base = Settings()
    roster_changed = replace(base, roster=replace(base.roster, notice_days=7, max_hours_per_week=20.0))
    target_changed = base.with_targets(target_wait_seconds=30.0)
    assert settings_digest(roster_changed, None) == settings_digest(base, None)
    assert settings_digest(target_changed, None) != settings_digest(base, None)
    assert settings_digest(replace(base, roster=replace(base.roster, time_limit_seconds=30.0,
                                                        keep_untouched_days=True)), None) == settings_digest(base, None)
    # What the release before wrote for a plan made with the default settings. Should a default that plans read
    # change on purpose, every saved plan reads out of date: then, and only then, write the new digest here.
    saved_before = "d222c38fc7feeb7823646d97bbaf20a41b38b20e6417d1d4b9621ff672e27e5d"
    assert settings_digest(base, None) == saved_before and base.roster == RosterRules()
    revision = DataRevision(*range(len(DataRevision._fields)))
    saved_again = revision._replace(settings=revision.settings + 1)  # the chain's settings saved since
    assert changed_since(revision, saved_again, base, roster_changed) == []
    assert changed_since(revision, saved_again, base, target_changed) == ["the chain's settings"]


@pytest.mark.parametrize(("values", "says"), [
    ({"colour": 1}, "unknown setting colour: the planner has no such setting (saved"),
    ({"colour": 1, "size": 2}, "unknown settings colour, size: the planner has no such settings (saved"),
    ({"targets": {"colour": 1}}, "unknown setting targets.colour: the planner has no such setting (saved"),
    ({"sign_in": "accounts"}, "sign_in belongs to one deployment or its connection, not to the chain's settings"),
    ({"sign_in": "accounts", "database_url": "sqlite://"},
     "database_url, sign_in belong to one deployment or its connection, not to the chain's settings"),
])
def test_a_refused_setting_is_counted_in_words_that_agree(values, says):
    """Settings read "unknown setting(s) colour" and "sign_in belong(s) to one deployment"."""
    from planner.settings import settings_from_dict

    with pytest.raises(ValueError) as refused:
        settings_from_dict(values)
    assert str(refused.value).startswith(says)


@pytest.mark.parametrize("path, value", [("targets.target_service_level", [0.9]), ("targets.min_staff", [2]),
                                         ("shifts.shift_lengths_hours", [4, 6]),
                                         ("shifts.shift_lengths_hours", (True, 6))])
def test_a_value_of_the_wrong_kind_is_refused_in_the_settings_words_for_every_part(path, value):
    """A planner's change and the settings themselves check a range with one check (`FieldInfo.allows_value`). The
    change kept a copy of it that took a list's items: a list for a service target (whose own checks read no range)
    passed it and ended in a TypeError inside the targets, not a refusal."""
    from planner.editable_settings import RefusedSetting, editable, with_values

    info = editable(path).info
    with pytest.raises(RefusedSetting, match=f"^{re.escape(info.label)} must be {re.escape(info.allowed())}, got "):
        with_values(Settings(), {path: value})


@pytest.mark.parametrize("path, value", [("roster.max_hours_per_week", (40,)), ("roster.max_hours_per_week", (40.0,)),
                                         ("targets.target_service_level", (0.9,)), ("targets.min_staff", (2,)),
                                         ("shifts.weekly_budget_staff_hours", (400.0,)),
                                         ("simulation.replications", (20, 30))])
def test_a_tuple_for_a_setting_of_one_number_is_refused_as_out_of_its_range(path, value):
    """`FieldInfo.allows_value` checked each item of any tuple: `(40,)` for the most hours a week passed a planner's
    change and the settings' own check, and a `RosterRules` held a tuple where every rule reads one number."""
    from planner.editable_settings import PARTS, RefusedSetting, editable, with_values

    setting = editable(path)
    info = setting.info
    with pytest.raises(RefusedSetting, match=f"^{re.escape(info.label)} must be {re.escape(info.allowed())}, got "
                                             f"{re.escape(repr(value))}$"):
        with_values(Settings(), {path: value})
    if setting.part != "targets":  # the service targets' own checks are wider: a planner's change keeps them in range
        with pytest.raises(ValueError, match=f"^{setting.name} must be {re.escape(info.allowed())}, got "):
            PARTS[setting.part](**{setting.name: value})


def test_a_setting_takes_several_numbers_exactly_where_its_type_is_a_tuple():
    """`FieldInfo.many` is what lets a tuple through the range check: written beside the type, it must say it, for
    every setting that has words."""
    from dataclasses import is_dataclass
    from typing import get_origin, get_type_hints

    parts = [hint for hint in get_type_hints(Settings).values() if is_dataclass(hint)]
    described = [(part, item.name) for part in parts for item in fields(part) if "info" in item.metadata]
    assert len(described) > 40
    assert [(part.__name__, name) for part, name in described
            if field_info(part, name).many != (get_origin(get_type_hints(part)[name]) is tuple)] == []
    assert field_info(ShiftRules, "shift_lengths_hours").many


def test_a_switch_among_shift_lengths_is_no_length():
    """`True` is an int to Python: the settings' own copy of the range check took it as a 1-hour shift length, where
    a planner's change refused it."""
    with pytest.raises(ValueError, match="shift_lengths_hours must be a whole number from 1 up to 24 hours"):
        ShiftRules(shift_lengths_hours=(True, 6))


def test_the_start_step_s_meaning_says_shifts_also_start_at_an_opening_off_the_step():
    """The Settings page, the CLI help and the README took "Shifts start every" from a meaning saying only "whole
    hours (60) or half hours too (30)", while a store opening at 09:30 also gets shifts from 09:30 and shifts ending at
    its closing at 20:30: the meaning now says so."""
    from planner.shifts.candidates import shift_starts

    rules = ShiftRules(shift_lengths_hours=(4,), start_step_minutes=60)
    starts = shift_starts(9 * 60 + 30, 20 * 60 + 30, rules)
    assert (9 * 60 + 30, 4) in starts and (16 * 60 + 30, 4) in starts  # from the opening; to the closing
    meaning = field_info(ShiftRules, "start_step_minutes").meaning
    assert "start at its opening" in meaning and "end at its closing" in meaning


def test_the_app_shows_nobody_streamlits_developer_options():
    """Streamlit's "Deploy" button (and its rerun and clear-cache items) showed to every user of the app: the app's
    config hides them, as the installed streamlit reads the option (`streamlit config show`, run where `make run`
    and `streamlit run app.py` are)."""
    import os
    import subprocess
    import sys

    environment = {name: value for name, value in os.environ.items() if name != "STREAMLIT_CLIENT_TOOLBAR_MODE"}
    shown = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], cwd=ROOT, capture_output=True,
                           text=True, check=True, env=environment).stdout
    (client,) = re.findall(r"^\[client\]\n(.*?)(?=^\[)", shown, flags=re.S | re.M)
    assert re.findall(r"^toolbarMode = (.*)$", client, flags=re.M) == ['"viewer"']
    assert re.search(r'^# - "viewer" : Hide the developer options, including the rerun, clear\n'
                     r"^# cache, and deploy button", client, flags=re.M)
