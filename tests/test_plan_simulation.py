"""Simulating a saved dated plan: its shifts on its dates (after-midnight hours under the opening's date) against the
demand it was planned for (the calendar's closed days and demand factors), on the command line and the Plans page.

A dated plan could not be simulated: `simulate --schedule plan_shifts.csv` estimated the chain's demand for seconds
and then said "weekday: column missing", and the Plans page had no Simulate. Expected figures come from the plan's
own frames (its coverage, its demand), read independently of the simulation."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from planner import cli, pipeline, storage
from planner.calendar import IsoWeek
from planner.cli_flags import EXIT_INPUT
from planner.errors import InputRejected
from planner.hours import WEEKDAY_NAMES
from planner.plans.export import shifts_table
from planner.settings import Settings
from planner.simulation.dated import dated_shifts_from_csv, roster_from_dated_shifts, simulate_dated
from planner.simulation.roster import MINUTES_PER_DAY, MINUTES_PER_WEEK, read_shifts_csv

from test_plans import frames, late_plan, plans  # noqa: F401  (module fixtures: the sample's plans for 2026-W50)

WEEK = IsoWeek.parse("2026-W50")


@pytest.mark.parametrize("which", ["calendar", "late"])
def test_a_dated_roster_has_the_plans_scheduled_staff_in_every_hour(plans, late_plan, which):  # noqa: F811
    """The plan's coverage (the fewest on the floor per clock date and hour, breaks out) is what the simulation's
    roster puts on the floor: Saturday's 00:00-05:00 of a Saturday opening to 05:00 too."""
    plan = plans[0] if which == "calendar" else late_plan
    breaks = plan.request.settings.shifts.break_minutes
    for store, coverage in plan.coverage.groupby("store_id"):
        roster = roster_from_dated_shifts(plan.shifts[plan.shifts["store_id"] == store], WEEK.monday,
                                          break_minutes=breaks)
        for row in coverage.itertuples():
            first = ((row.date - pd.Timestamp(WEEK.monday)).days * MINUTES_PER_DAY + row.hour * 60) % MINUTES_PER_WEEK
            assert roster[first:first + 60].min() == row.scheduled_staff, (store, row.date, row.hour)
    if which == "late":
        assert (plan.shifts["start_minute"] >= MINUTES_PER_DAY).any()  # a shift starting after midnight was read


@pytest.mark.parametrize("which", ["calendar", "late"])
def test_the_plans_shifts_csv_reads_back_as_its_dated_shifts(plans, late_plan, which, tmp_path):  # noqa: F811
    plan = plans[0] if which == "calendar" else late_plan
    path = tmp_path / "plan_shifts.csv"
    shifts_table(plan).to_csv(path, index=False)
    assert "+1" in path.read_text() or which == "calendar"
    for store in plan.store_ids:
        read = dated_shifts_from_csv(read_shifts_csv(path.read_bytes(), str(path)), store, str(WEEK),
                                     list(WEEK.dates()))
        theirs = plan.shifts[plan.shifts["store_id"] == store]
        order = ["date", "start_minute", "end_minute", "break_start_minute", "staff"]
        pd.testing.assert_frame_equal(read.sort_values(order).reset_index(drop=True),
                                      theirs.sort_values(order).reset_index(drop=True), check_dtype=False)


def test_every_bad_cell_of_a_dated_shifts_file_is_named(tmp_path):
    path = tmp_path / "edited.csv"
    path.write_text("store_id,iso_week,date,day,start,end,break_start,staff\n"
                    "S01,2026-W50,2026-12-07,Mon,10:00,18:00,13:00,2\n"
                    "S01,2026-W50,2026-12-14,Mon,10:00,18:00,,2\n"
                    "S01,2026-W50,2026-12-08,Tue,18:00,02:00,,1\n"
                    "S01,2026-W50,2026-12-09,Wed,9h,18:00,20:00,two\n")
    with pytest.raises(InputRejected) as rejected:
        dated_shifts_from_csv(read_shifts_csv(path.read_bytes(), str(path)), "S01", str(WEEK), list(WEEK.dates()))
    named = {(p.row, p.column) for p in rejected.value.problems}
    assert named == {(3, "date"), (4, "end"), (5, "start"), (5, "staff")}
    assert "nothing was simulated" in str(rejected.value)


def test_a_plan_is_simulated_against_the_customers_of_its_own_dates(plans, frames):  # noqa: F811
    """S02 is closed on the chain's holiday (Tue 8 Dec): no customer and nobody on the floor that day, where the
    plan without the calendar has both; S01 sells with a demand factor of 1.5 that day: its help-seekers are 1.5
    times the plan's without it (each simulated day's level is drawn around the plan's, so within a few percent)."""
    stores = frames[1]
    settings = Settings()
    simulated = {}
    for name, plan in zip(("calendar", "usual"), plans, strict=True):
        for store in ("S01", "S02"):
            result = simulate_dated(plan.demand, stores, store, settings, plan.shifts, WEEK.monday, replications=300)
            frame = result.frame()
            simulated[name, store] = frame[frame["weekday"] == 1]  # Tuesday
    assert simulated["calendar", "S02"]["help_seekers_per_hour"].sum() == 0
    assert simulated["calendar", "S02"]["staff"].sum() == 0
    assert simulated["usual", "S02"]["help_seekers_per_hour"].sum() > 0
    ratio = (simulated["calendar", "S01"]["help_seekers_per_hour"].sum()
             / simulated["usual", "S01"]["help_seekers_per_hour"].sum())
    assert ratio == pytest.approx(1.5, rel=0.08)
    planned = plans[0].demand
    tuesday = planned[(planned["store_id"] == "S01") & (planned["date"] == pd.Timestamp("2026-12-08"))]
    assert simulated["calendar", "S01"]["help_seekers_per_hour"].sum() == pytest.approx(
        tuesday["assisted_per_hour"].sum(), rel=0.08)


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_simulate_a_saved_plan_on_the_command_line(capsys, sample_url, tmp_path, monkeypatch):
    """`simulate --plan ID` simulates the saved plan's shifts against its own demand; its plan_shifts.csv given with
    --plan reads as the same shifts (the same figures, the simulation being seeded); the same file without --plan is
    refused at once, naming the plan to give, before the chain's demand is estimated."""
    assert cli.main(["--database-url", sample_url, "plan", "--week", "2026-W50", "--store", "S07"]) == 0
    engine = storage.connect(Settings(database_url=sample_url))
    plan_id = int(storage.list_plans(engine)["plan_id"].max())
    engine.dispose()
    folder = tmp_path / "plan"
    assert cli.main(["--database-url", sample_url, "plans", "show", str(plan_id), "--out-dir", str(folder)]) == 0
    capsys.readouterr()
    shifts = folder / "plan_shifts.csv"
    assert "00:00+1" in shifts.read_text() or "01:00+1" in shifts.read_text()  # S07 is open past midnight

    def never(*_args, **_kwargs):
        raise AssertionError("the chain's demand was estimated before the file was checked")

    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "simulate_store", never)
        code, out, err = _run(capsys, "--database-url", sample_url, "simulate", "--store", "S07", "--schedule",
                              str(shifts))
    assert code == EXIT_INPUT and "column missing" not in err
    assert f"simulate --plan ID --schedule {shifts}" in err and f"{plan_id} (draft)" in err

    code, out, err = _run(capsys, "--database-url", sample_url, "simulate", "--plan", str(plan_id),
                          "--replications", "60")
    assert code == 0, err
    assert out.startswith(f"S07: plan {plan_id} (2026-W50, Mon 7 Dec to Sun 13 Dec 2026, draft), its shifts "
                          "against its own demand and targets for those dates, 60 simulated weeks")
    # "at risk" beside an unflagged hour of like figures read as a slip: each hour's share of weeks that missed is
    # shown, and the rule once, from the setting; every flag follows from them
    share = Settings().simulation.at_risk_week_share
    assert (f"an hour is at risk when that share is over {share:.0%}, and misses its target when the pooled figures "
            "do") in out, out
    rows = [line for line in out.splitlines() if re.match(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d", line)]
    assert rows
    for line in rows:
        missed = int(re.search(r"(\d+)%(  (at risk|misses target))?$", line)[1])
        assert ("at risk" in line) == (missed > 100 * share and "misses target" not in line), line
    code, again, err = _run(capsys, "--database-url", sample_url, "simulate", "--plan", str(plan_id),
                            "--schedule", str(shifts), "--replications", "60")
    assert code == 0, err
    assert again.splitlines()[1:] == out.splitlines()[1:] and "shifts from plan_shifts.csv" in again

    edited = tmp_path / "edited.csv"
    edited.write_text(shifts.read_text().replace(",10:00,", ",10h,", 1))
    code, out, err = _run(capsys, "--database-url", sample_url, "simulate", "--plan", str(plan_id), "--schedule",
                          str(edited))
    assert code == EXIT_INPUT and ": start: '10h' is not understood" in out + err
    assert "simulating" not in err
    code, _, err = _run(capsys, "--database-url", sample_url, "simulate", "--plan", str(plan_id), "--store", "S01")
    assert code == EXIT_INPUT and f"plan {plan_id} is of S07, not S01" in err
    code, _, err = _run(capsys, "--database-url", sample_url, "simulate", "--plan", "9999")
    assert code == EXIT_INPUT and "there is no saved plan 9999" in err


def test_simulate_plan_files_a_late_sundays_hour_after_midnight_under_sunday(capsys, sample_url, tmp_path):
    """The calendar opens S07 on Sunday 20 December to 01:00. `simulate --plan` printed that hour first of the week,
    as "Mon 00:00" (its clock weekday), where the plan, its CSVs and the Plans page file it under Sunday as
    "00:00+1"; now it is Sunday's last row, alike for the Friday and Saturday the store file keeps open late."""
    calendar = tmp_path / "calendar.csv"
    calendar.write_text("store_id,date,hours,note\nS07,2026-12-20,12:00-01:00,late Sunday\n", encoding="utf-8")
    assert cli.main(["--database-url", sample_url, "plan", "--week", "2026-W51", "--store", "S07", "--calendar",
                     str(calendar)]) == 0
    engine = storage.connect(Settings(database_url=sample_url))
    plan_id = int(storage.list_plans(engine)["plan_id"].max())
    engine.dispose()
    capsys.readouterr()
    code, out, err = _run(capsys, "--database-url", sample_url, "simulate", "--plan", str(plan_id),
                          "--replications", "40")
    assert code == 0, err
    hours = [line.split()[:2] for line in out.splitlines() if line[:3] in ("Mon", "Tue", "Wed", "Thu", "Fri",
                                                                             "Sat", "Sun")]
    assert hours[0] != ["Mon", "00:00"] and ["Mon", "00:00"] not in hours, hours[:3]
    assert hours[-1] == ["Sun", "00:00+1"] and ["Sat", "00:00+1"] in hours and ["Fri", "00:00+1"] in hours, hours[-3:]


def test_the_plans_page_simulates_the_plan_shown_on_its_dates(sample_url, monkeypatch):
    """The guide says a planner simulates a plan before publishing it; the Plans page had no Simulate. Now it draws
    the Schedule page's simulation chart for the plan's day, with a progress bar, and its figures are the command
    line's (`simulate --plan ID`): the same planner function."""
    from streamlit.testing.v1 import AppTest

    from app_pages import state
    from planner.settings import DATABASE_URL_ENV
    from test_app import APP, TIMEOUT_SECONDS

    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    assert cli.main(["--database-url", sample_url, "plan", "--week", "2026-W50", "--store", "S07"]) == 0
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).run()
    app.switch_page("app_pages/plans.py").run()
    assert not app.exception and not app.error
    assert any(box.value.startswith("Press **Simulate**") for box in app.info)
    charts_before = len(app.get("plotly_chart"))
    app.button(key=state.PLANS_SIMULATE).click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert len(app.get("plotly_chart")) == charts_before + 1
    assert any(m.value.startswith("Customers giving up a week: **") for m in app.markdown)
    assert [box for box in app.warning if box.value.startswith("Hours at risk in the week: ")] or \
        [box for box in app.success if box.value == "No hour of the week is at risk."]
    plan_id, frame, lost, *_ = app.session_state[state.PLANS_SIMULATION]
    engine = storage.connect(Settings(database_url=sample_url))
    _, plan, result = pipeline.simulate_saved_plan(engine, Settings(database_url=sample_url), plan_id)
    engine.dispose()
    assert lost == pytest.approx(result.weekly_lost()[0])
    friday = frame[frame["weekday"] == 4]
    assert friday["hour"].max() >= 24  # Friday's 00:00+1 is Friday's, as the plan files it


def test_the_plans_page_counts_the_weeks_hours_at_risk_as_the_command_line_does(sample_url, monkeypatch, capsys):
    """The page's warning read "Hours at risk: Mon 14:00" (the day's only) beside "Customers giving up a week: 49",
    while `simulate --plan ID` listed the week's 8. It now says the week's count, as the command line does, with
    the days that hold them, and lists the chosen day's hours as that day's; the same rule picks them (`hours at
    risk (N): ...` of the CLI)."""
    import dataclasses

    from streamlit.testing.v1 import AppTest

    from app_pages import state
    from planner.settings import DATABASE_URL_ENV
    from test_app import APP, TIMEOUT_SECONDS

    engine = storage.connect(Settings(database_url=sample_url))
    chain = storage.chain_settings_of(engine)  # fewer simulated weeks, for the page and the command line alike
    storage.save_settings(engine, dataclasses.replace(chain, simulation=dataclasses.replace(
        chain.simulation, replications=60)), "test")
    assert cli.main(["--database-url", sample_url, "plan", "--week", "2026-W50", "--store", "S01"]) == 0
    plan_id = int(storage.list_plans(engine)["plan_id"].max())
    engine.dispose()
    capsys.readouterr()
    code, out, err = _run(capsys, "--database-url", sample_url, "simulate", "--plan", str(plan_id))
    assert code == 0, err
    count, labels = re.search(r"^hours at risk \((\d+)\): (.*)$", out, re.MULTILINE).groups()
    by_day: dict[str, list[str]] = {}
    for label in labels.split(", "):
        day, hour = label.split(" ")
        by_day.setdefault(day, []).append(hour)
    assert int(count) > len(by_day.get("Mon", [])), out  # the week holds more than Monday's
    per_day = ", ".join(f"{day}: {len(by_day[day])}" for day in WEEKDAY_NAMES if day in by_day)

    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).run()
    app.switch_page("app_pages/plans.py").run()
    app.button(key=state.PLANS_SIMULATE).click().run()
    assert not app.exception and not app.error
    days = WEEK.dates()
    for weekday, date in enumerate(days):
        app.segmented_control(key=state.PLANS_VIEW_DAY).set_value(weekday).run()
        (said,) = [box.value for box in app.warning if "at risk" in box.value]
        # and the days that hold them: "4. None on Mon 07 Dec" had a planner open each day to find them
        assert said.startswith(f"Hours at risk in the week: {count} ({per_day}). "), said
        hours = by_day.get(f"{date:%a}")
        # under a chart of the day picked above, it says whose chart it is and how to see another day's
        assert said.endswith(f"The chart shows {date:%a %d %b}, the day picked above: " + (
            f"at risk {', '.join(hours)}." if hours else "no hour at risk.") + " Pick another day above for its "
            "chart."), said


def test_the_plans_page_simulates_with_the_chains_simulation_settings_as_simulate_plan_does(sample_url, monkeypatch):
    """With Simulated weeks changed on the Settings page and not saved, the Plans page simulated the plan with the
    session's number of weeks, and gave other figures than `simulate --plan ID` for the same plan. It simulates with
    the chain's saved simulation settings, as the command line does, and says the session's changes are not used."""
    import dataclasses

    from streamlit.testing.v1 import AppTest

    from app_pages import state
    from planner.settings import DATABASE_URL_ENV
    from test_app import APP, TIMEOUT_SECONDS

    engine = storage.connect(Settings(database_url=sample_url))
    chain = storage.chain_settings_of(engine)  # fewer simulated weeks: the test's seconds
    chain = dataclasses.replace(chain, simulation=dataclasses.replace(chain.simulation, replications=40))
    storage.save_settings(engine, chain, "test")
    assert cli.main(["--database-url", sample_url, "plan", "--week", "2026-W50", "--store", "S07"]) == 0
    plan_id = int(storage.list_plans(engine)["plan_id"].max())
    _, _, by_cli = pipeline.simulate_saved_plan(engine, chain, plan_id)  # what `simulate --plan` simulates
    engine.dispose()
    unsaved = dataclasses.replace(chain, simulation=dataclasses.replace(chain.simulation, replications=30))
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    app.session_state[state.SETTINGS] = unsaved  # as the Settings page keeps an unsaved change
    app = app.run()
    app.switch_page("app_pages/plans.py").run()
    app.button(key=state.PLANS_SIMULATE).click().run()
    assert not app.exception and not app.error
    _, _, lost, low, high = app.session_state[state.PLANS_SIMULATION]
    assert (lost, low, high) == pytest.approx(by_cli.weekly_lost())
    captions = [c.value.replace("\\", "") for c in app.caption]
    assert any(c.startswith("40 simulated weeks of this plan's shifts") for c in captions), captions
    (note,) = [c for c in captions if c.startswith("Simulated with the chain's saved simulation settings")]
    assert f"`simulate --plan {plan_id}`" in note and "40 -> 30" in note, note
