"""Settings metadata written once: every shift rule has a label, unit, meaning and allowed range (`FieldInfo`), its
default lies in that range, the settings refuse what lies outside it, and the command line's flags and the README's
configuration table agree with it."""

from __future__ import annotations

import math
import re
from dataclasses import fields

import pytest

from planner import cli
from planner.settings import ServiceTargets, ShiftRules, field_info, value_text

from conftest import ROOT

RULES = [item.name for item in fields(ShiftRules)]
FLAGS = {"duty_before_opening_minutes": "--duty-before", "duty_after_closing_minutes": "--duty-after",
         "weekly_budget_staff_hours": "--budget", "time_limit_seconds": "--time-limit"}
"""The `schedule` flags that set one number of `ShiftRules`."""


@pytest.mark.parametrize("name", RULES)
def test_every_shift_rule_has_its_words_and_a_range_holding_its_default(name):
    info = field_info(ShiftRules, name)
    assert info.label and info.meaning.endswith(".") and info.low < info.high
    default = getattr(ShiftRules(), name)
    for value in (default if isinstance(default, tuple) else () if default is None else (default,)):
        assert info.allows(float(value)), (name, value)


@pytest.mark.parametrize("name", [name for name in RULES if not isinstance(getattr(ShiftRules(), name), bool)])
def test_a_shift_rule_outside_its_range_is_refused_naming_the_setting_and_the_range(name):
    info = field_info(ShiftRules, name)
    wrap = name == "shift_lengths_hours"  # a tuple of lengths, each checked
    outside = [info.low - 1] + ([] if math.isinf(info.high) else [info.high + 1])
    if info.low_open:
        outside.append(info.low)
    for value in outside:
        value = int(value) if info.whole else float(value)
        with pytest.raises(ValueError, match=f"{name} must be {re.escape(info.allowed())}"):
            ShiftRules(**{name: (value,) if wrap else value})
    if info.whole:
        with pytest.raises(ValueError, match=name):
            ShiftRules(**{name: (info.low + 0.5,) if wrap else info.low + 0.5})


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


def test_the_readme_configuration_table_names_every_shift_rule_and_service_target():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration"):]
    table = table[:table.index("\n\n", table.index("| setting"))]
    named = set(re.findall(r"`([a-z_]+)`", table))
    missing = [name for name in RULES + [item.name for item in fields(ServiceTargets)] if name not in named]
    assert missing == []


@pytest.mark.parametrize("owner", [ServiceTargets, ShiftRules])
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
