"""The Plans page's day of a plan, driven with streamlit's AppTest on the bundled sample: a day the store does not
open is said in the words My store says it in, with no empty chart; nor is a day with nothing required (a store
with no counts yet) drawn as empty charts."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd

from streamlit.testing.v1 import AppTest

from app_pages import state, widgets
from planner import cli, storage
from planner.access.scope import EVERYTHING
from planner.calendar import IsoWeek
from planner.cli_flags import EXIT_OK
from planner.settings import DATABASE_URL_ENV, Settings

from conftest import DATA, ROOT, downloaded, element_path, later_s07_counts, pooled_fits_counted, said_while_working

APP = str(ROOT / "app.py")
TIMEOUT_SECONDS = 90
WEEK = IsoWeek.parse("2026-W50")


def _opened(page: str) -> AppTest:
    """The app opened on `page`, on the database `DATABASE_URL_ENV` names, in one run. The Plans page is the app's
    root in local use (the landing page of its role, `LANDING_PAGES`): its first run is the page, not the root and
    then the page again (a check of every saved plan each). Another page is opened by its file's name at once, as
    the router registers it before a first run."""
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    if page == widgets.LANDING_PAGES[EVERYTHING.role]:
        return app.run()
    return app.switch_page(page).run()


def _fewer_simulated_weeks(url: str) -> None:
    """The chain's saved simulation at 40 simulated weeks: the test's seconds."""
    engine = storage.connect(Settings(database_url=url))
    chain = storage.chain_settings_of(engine)
    storage.save_settings(engine, dataclasses.replace(chain, simulation=dataclasses.replace(
        chain.simulation, replications=40)), "test")
    engine.dispose()


def test_a_closed_day_of_a_plan_says_so_as_my_store_does_with_no_empty_chart(sample_url, monkeypatch):
    """S02 is closed on Sundays (data/stores.csv). The Plans page drew "No shifts start on Sun" over an empty chart
    and an empty coverage chart under it (and, simulated, an empty simulation chart), where My store says "S02 is
    closed on Sunday: nothing to staff"."""
    _fewer_simulated_weeks(sample_url)
    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S02"]) == EXIT_OK
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    assert not app.exception and not app.error
    assert len(app.get("plotly_chart")) == 2  # Monday: its shifts and its coverage
    app.segmented_control(key=state.PLANS_VIEW_DAY).set_value(6).run()
    assert not app.exception and not app.error
    sunday = WEEK.dates()[6]
    said = [box.value for box in app.info if "closed" in box.value]
    assert said == [f"S02 is closed on Sunday {sunday:%d} Dec: nothing to staff. Pick another day."]
    assert not app.get("plotly_chart")
    app.button(key=state.PLANS_SIMULATE).click().run()  # the week simulated: its figures, and still no empty chart
    assert not app.exception and not app.error
    assert any(m.value.startswith("Customers giving up a week: **") for m in app.markdown)
    assert not app.get("plotly_chart")
    app.segmented_control(key=state.PLANS_VIEW_DAY).set_value(5).run()  # Saturday: open, its three charts
    assert len(app.get("plotly_chart")) == 3 and not [box for box in app.info if "closed" in box.value]
    app.switch_page("app_pages/my_store.py").run()  # the same words there, of the weekday
    app.selectbox(key=state.MY_STORE).set_value("S02").run()
    app.button_group(key=state.MY_WEEKDAY).set_value(6).run()
    assert "S02 is closed on Sunday: nothing to staff. Pick another day." in [box.value for box in app.info]


def test_a_day_of_a_store_with_no_counts_says_why_nothing_is_scheduled_with_no_empty_chart(sample_url, tmp_path,
                                                                                           monkeypatch):
    """The walk: a plan of a store newly in the store file, with no counts yet, drew "No shifts start on Mon" and an
    empty "Required and scheduled staff" chart (axes, no bars) under the warning that nothing was scheduled; the
    Schedule page says the same store's state in words and draws nothing."""
    header, s01 = (DATA / "stores.csv").read_text(encoding="utf-8").splitlines()[:2]
    stores = tmp_path / "stores.csv"
    stores.write_text(f"{header}\n{s01.replace('S01,Berlin Mitte Electronics', 'S10,Bremen New Electronics')}\n",
                      encoding="utf-8")
    assert cli.main(["--database-url", sample_url, "import", "--stores", str(stores)]) == EXIT_OK
    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S10"]) == EXIT_OK
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    assert not app.exception and not app.error
    assert "no counts to go on" in " ".join(box.value for box in app.warning)  # the plan's own sentence, as before
    assert not app.get("plotly_chart")
    monday = WEEK.dates()[0]
    assert [box.value for box in app.info if "S10" in box.value] == [
        f"Nothing is scheduled on Monday {monday:%d} Dec: S10 has no recommendation for its hours that day (said "
        "above), so there is no requirement to chart."]
    app.button(key=state.PLANS_SIMULATE).click().run()  # in words too: nothing to simulate, and no chart
    assert not app.exception and not app.get("plotly_chart")
    assert ["no demand to simulate" in box.value for box in app.error] == [True]


MIN_STAFF_COVER_LABEL = "Put the store's minimum staff on the floor in open hours without a recommendation"
"""The min_staff cover switch as the Settings page labels it."""
STORED_BEFORE = "(`--min-staff-cover`, or the switch on the Settings or Schedule page)"
"""How the optimiser's sentence for hours without a recommendation named min_staff cover in plans saved from 4 to 6
Dec 2026, as their documents keep it."""


def _store_never_counted(sample_url, tmp_path) -> None:
    """S10, a copy of S01's row in the store file, imported without a count."""
    header, s01 = (DATA / "stores.csv").read_text(encoding="utf-8").splitlines()[:2]
    stores = tmp_path / "stores.csv"
    stores.write_text(f"{header}\n{s01.replace('S01,Berlin Mitte Electronics', 'S10,Bremen New Electronics')}\n",
                      encoding="utf-8")
    assert cli.main(["--database-url", sample_url, "import", "--stores", str(stores)]) == EXIT_OK


def test_a_plan_with_no_shift_is_refused_on_the_plans_page_naming_the_settings_page_s_switch(sample_url, tmp_path,
                                                                                             monkeypatch, capsys):
    """Make and publish, and Publish of a draft, of a store never counted were refused on the Plans page with the
    command line's words: "(min_staff cover: `plan --min-staff-cover`, or the Settings page's switch)". The page
    names the switch as the Settings page labels it; `plan --publish` keeps its flag."""
    _store_never_counted(sample_url, tmp_path)
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    app.multiselect(key=state.PLANS_STORES).set_value(["S10"]).run()
    app.text_input(key=state.PLANS_WEEK).set_value(str(WEEK)).run()
    app.button(key=state.PLANS_MAKE_PUBLISH).click().run()
    assert not app.exception
    switch = f'min_staff cover: the switch "{MIN_STAFF_COVER_LABEL}" on the Settings page)'
    (refused,) = [box.value.replace("\\", "") for box in app.error]
    assert refused.startswith(f"no plan was saved or published: the plan of S10 {WEEK}") and switch in refused, refused
    assert "`" not in refused and "--" not in refused, refused
    app.button(key=state.PLANS_MAKE).click().run()  # a draft, then its Publish: refused in the same words
    assert not app.exception and not app.error
    app.button(key=state.PLANS_PUBLISH).click().run()
    (refused,) = [box.value.replace("\\", "") for box in app.error]
    assert refused.startswith(f"no plan was published: the plan of S10 {WEEK}") and switch in refused, refused
    assert "`" not in refused and "--" not in refused, refused
    capsys.readouterr()
    code = cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S10", "--publish"])
    said = capsys.readouterr().err.strip().splitlines()[-1]
    assert code != EXIT_OK and said.endswith("(min_staff cover: `plan --min-staff-cover`, or the Settings page's "
                                             "switch)"), said


def test_a_plan_saved_with_the_flag_in_backticks_shows_the_switch_on_the_plans_page_and_stays_as_saved(
        sample_url, tmp_path, monkeypatch, capsys):
    """A plan saved before the page named the switch keeps "(`--min-staff-cover`, or the switch on the Settings or
    Schedule page)" in its document, and the Plans page showed it so. The page shows today's words, `plans show`
    the command line's, and the stored document stays as it was saved."""
    from sqlalchemy import select, update

    from planner.storage.tables import plans

    _store_never_counted(sample_url, tmp_path)
    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S10"]) == EXIT_OK
    engine = storage.connect(Settings(database_url=sample_url))
    with engine.begin() as connection:  # as a plan saved on 5 Dec 2026 holds it
        (document,) = connection.execute(select(plans.c.document)).scalars()
        now = f'(the switch \\"{MIN_STAFF_COVER_LABEL}\\" on the Settings or Schedule page)'
        assert now in document  # the premise: today's words in the document, as JSON writes them
        saved = document.replace(now, STORED_BEFORE)
        connection.execute(update(plans).values(document=saved))
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    assert not app.exception
    (said,) = [box.value.replace("\\", "") for box in app.warning if "no counts to go on" in box.value]
    assert (f'unless min_staff cover is asked for (the switch "{MIN_STAFF_COVER_LABEL}" on the Settings or Schedule '
            "page)") in said and "`" not in said, said
    capsys.readouterr()
    assert cli.main(["--database-url", sample_url, "plans", "show", "1"]) == EXIT_OK
    (shown,) = [line for line in capsys.readouterr().out.splitlines() if "no counts to go on" in line]
    assert shown.endswith("is asked for (--min-staff-cover, or the switch on the Settings or Schedule page)"), shown
    with engine.connect() as connection:
        assert connection.execute(select(plans.c.document)).scalar_one() == saved  # never rewritten
    engine.dispose()


def test_make_and_publish_of_every_store_publishes_the_counted_ones_and_names_a_new_store_left_out(
        sample_url, tmp_path, monkeypatch):
    """The walk: a store file adding S10 (no counts yet), then *Make and publish* with every store picked: the
    progress ran through every store, then nothing was published ("no plan was saved or published: the plan of S10
    ... has no shift"). The other stores' plans are now published, S10 is named as left out with why and what to do,
    and no plan of S10 is saved (none to claim to be its week's plan). The plan shown is the newest, the list's first:
    it was the first made, further down the list."""
    _store_never_counted(sample_url, tmp_path)
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    app.text_input(key=state.PLANS_WEEK).set_value(str(WEEK)).run()
    assert "S10" in app.multiselect(key=state.PLANS_STORES).value  # every store picked, the new one too
    app.button(key=state.PLANS_MAKE_PUBLISH).click().run()
    assert not app.exception and not app.error, [box.value for box in app.error]
    engine = storage.connect(Settings(database_url=sample_url))
    listed = storage.list_plans(engine)
    counted_stores = [f"S0{n}" for n in range(1, 10)]
    assert sorted(listed["store_id"]) == counted_stores and set(listed["status"]) == {"published"}
    (done,) = [box.value for box in app.success if box.value.startswith("Published: plan ")]
    assert "S10" not in done
    (left_out,) = [box.value.replace("\\", "") for box in app.warning if box.value.startswith("Left out")]
    assert left_out.startswith(f"Left out: S10 has no counts yet, so there is nothing to plan its staff from: no plan "
                               f"of it is saved or published for {WEEK}. Upload its counts on the Upload page, then "
                               "make its plan")
    assert "--" not in left_out and "`" not in left_out
    newest = int(listed["plan_id"].max())
    assert app.dataframe[0].value["Plan"].iloc[0] == newest
    assert app.selectbox(key=state.PLANS_VIEW).value == newest


def _made_and_published(sample_url, monkeypatch, stores: list[str]) -> AppTest:
    """The Plans page after *Make and publish* of `stores` for `WEEK`."""
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    app.multiselect(key=state.PLANS_STORES).set_value(stores).run()
    app.text_input(key=state.PLANS_WEEK).set_value(str(WEEK)).run()
    return app.button(key=state.PLANS_MAKE_PUBLISH).click().run()


def test_after_make_and_publish_of_two_stores_the_plan_shown_is_the_lists_first(sample_url, monkeypatch):
    """The walk: *Make and publish* of S01 and S02 showed plan 1 under a list whose first row, newest first, is plan 2:
    the plan shown was the first made, not the one the list starts with."""
    app = _made_and_published(sample_url, monkeypatch, ["S01", "S02"])
    assert not app.exception and not app.error
    assert app.dataframe[0].value["Plan"].tolist() == [2, 1]
    assert app.selectbox(key=state.PLANS_VIEW).value == 2
    assert any(m.value.startswith("**Plan 2**: S02") for m in app.markdown)


def test_a_simulated_plan_says_what_its_status_and_its_hours_at_risk_each_measure(sample_url, monkeypatch):
    """The walk: a plan read "optimal, proven best, every required hour covered" and its simulation right below "Hours
    at risk in the week: 7", with nothing to say how both hold. One sentence under the hours at risk now says what
    each measures, with the rule of "at risk" in its figures (it was only in the grey paragraph above)."""
    _fewer_simulated_weeks(sample_url)
    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01"]) == EXIT_OK
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    assert any(c.value.replace("\\", "").startswith("Status in full: S01: optimal, proven best, every required "
                                                     "hour covered") for c in app.caption)
    app.button(key=state.PLANS_SIMULATE).click().run()
    assert not app.exception and not app.error
    (risk,) = [box.value for box in app.warning if box.value.startswith("Hours at risk in the week: ")]
    count = int(re.match(r"Hours at risk in the week: (\d+)", risk).group(1))
    said = [c.value.replace("\\", "") for c in app.caption]
    # the walk: "Both hold: ..." bridged the status and the risk in jargon; said plainly, in the rule's own figures
    share = Settings().simulation.at_risk_week_share
    assert ("The shifts are the cheapest that cover the requirement in every hour. Even so, the simulation shows that "
            f"{count} hour{'s' if count > 1 else ''} may miss the service targets, because demand varies: it plays "
            "the week 40 times, with customers arriving at random and some taking much longer to serve, and an hour "
            f"is at risk when it misses the targets in more than {share:.0%} of those weeks (or on all of them "
            "pooled).") in said, said
    assert not [line for line in said if "Both hold" in line]


def test_make_and_publish_of_a_counted_store_without_a_shift_publishes_the_other_stores(sample_url, monkeypatch,
                                                                                        capsys):
    """A counted store's plan may have no shift too: full cover within a weekly budget of 300 staff-hours, which S08's
    week fits (it pays 229 with no budget) and S01's does not (501 required). *Make and publish* of both was refused
    whole, saying "pick only the other stores and make the plan again". S08's plan is now published and S01 named in
    a warning with why and what to do in the page's words, nothing of S01 saved, as `plan --publish` does."""
    engine = storage.connect(Settings(database_url=sample_url))
    chain = storage.chain_settings_of(engine)
    storage.save_settings(engine, chain.with_shift_rules(weekly_budget_staff_hours=300.0, hard_coverage=True), "test")
    app = _made_and_published(sample_url, monkeypatch, ["S01", "S08"])
    assert not app.exception and not app.error, [box.value for box in app.error]
    listed = storage.list_plans(engine)
    assert listed["store_id"].tolist() == ["S08"] and listed["status"].tolist() == ["published"]
    (done,) = [box.value for box in app.success if box.value.startswith("Published: plan ")]
    assert done == f"Published: plan 1 (S08 {WEEK})", done
    (left_out,) = [box.value.replace("\\", "") for box in app.warning if box.value.startswith("Left out")]
    # why, as its schedule says it (full cover pays more than the budget), and the fix for that cause: "a budget
    # that pays for whole shifts" described a budget under one shift, not this
    assert left_out.startswith(f"Left out: S01's plan has no shift in {WEEK} (66 open hours; no schedule within the "
                               "budget can keep every rule), so it would tell the store to staff nobody: it is not saved or published. "
                               "Its schedule says: no schedule meets every required hour within 300 h: one that does "
                               "pays at least "), left_out
    assert left_out.endswith("staff-hours. Plan it again with a weekly budget that pays for full cover, or with "
                             "\"Cover every required hour\" off (the Settings page)."), left_out
    assert "`" not in left_out and "--" not in left_out, left_out
    capsys.readouterr()  # the command line: the same stores published and left out, in its own words
    code = cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01", "--store", "S08",
                     "--publish"])
    said = capsys.readouterr().err
    assert code != EXIT_OK and f"left out: S01's plan has no shift in {WEEK}" in said, said
    assert storage.list_plans(engine)["store_id"].tolist() == ["S08", "S08"]
    engine.dispose()


def test_make_and_publish_leaves_out_a_store_that_cannot_be_planned_and_one_never_counted(sample_url, tmp_path,
                                                                                         monkeypatch):
    """S03 stored with overlapping opening hours (it cannot be planned) and S10 never counted, picked with S01: S01's
    plan is published and each of the two named in its own warning. Picked without S01 nothing can be published: the
    refusal named S10 alone (S03 said nowhere, and "Planning 1 store"); it names both, with their reasons."""
    import sqlite3

    _store_never_counted(sample_url, tmp_path)
    with sqlite3.connect(sample_url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE stores SET sat = '18:00-06:00', sun = '00:00-24:00' WHERE store_id = 'S03'")
    app = _made_and_published(sample_url, monkeypatch, ["S01", "S03", "S10"])
    assert not app.exception and not app.error, [box.value for box in app.error]
    engine = storage.connect(Settings(database_url=sample_url))
    listed = storage.list_plans(engine)
    assert listed["store_id"].tolist() == ["S01"] and listed["status"].tolist() == ["published"]
    warned = [box.value.replace("\\", "") for box in app.warning if box.value.startswith("Left out")]
    assert [said.split(" ")[2] for said in warned] == ["S03", "S10"], warned
    assert warned[0].startswith("Left out: S03 cannot be planned: its stored store row has opening hours that overlap")
    assert warned[1].startswith("Left out: S10 has no counts yet") and "Upload page" in warned[1], warned
    app.multiselect(key=state.PLANS_STORES).set_value(["S03", "S10"]).run()
    app.button(key=state.PLANS_MAKE_PUBLISH).click().run()
    assert not app.exception
    (refused,) = [box.value.replace("\\", "") for box in app.error]
    assert refused.startswith("no plan was saved or published: no store asked for can be published. S03 cannot be "
                              "planned: its stored store row has opening hours that overlap"), refused
    assert "S10 has no counts yet" in refused and "Upload its counts on the Upload page" in refused, refused
    assert "`" not in refused.split("S10 has no counts")[1], refused
    assert len(storage.list_plans(engine)) == 1
    engine.dispose()


def test_the_first_list_after_an_import_fits_the_chain_once_for_every_store_and_reads_as_each_stores_own(
        sample_url, tmp_path, monkeypatch):
    """Two more weeks of S07's counts move what the pooled model borrows for the other stores, so the first list of
    saved plans after the import makes their plans again to tell whether their staff moved. The page listed one
    store at a time, fitting the chain once per store (seconds each); it lists them at once: one fit for the three
    plans of the week. The truth: each store's own list (`plans_with_status` of one store), on a copy of the database
    taken before the page listed (what a list found is kept), in the words the page shows."""
    import pandas as pd

    from planner.saved_plans import OUT_OF_DATE, WEEK_OVER, inputs_short, plans_with_status

    from conftest import forget_pooled_checks, sqlite_copy

    url = sample_url  # a copy of the sample at tmp_path / "planner.db"
    assert cli.main(["--database-url", url, "plan", "--week", str(WEEK), "--store", "S01", "--store", "S02",
                     "--store", "S03"]) == EXIT_OK
    counts = pd.read_csv(DATA / "observations.csv")
    later = counts[counts["store_id"] == "S07"].assign(
        date=lambda rows: (pd.to_datetime(rows["date"]) + pd.Timedelta(days=14)).dt.strftime("%Y-%m-%d"))
    later.to_csv(tmp_path / "s07.csv", index=False)
    assert cli.main(["--database-url", url, "import", str(tmp_path / "s07.csv")]) == EXIT_OK
    forget_pooled_checks(url)  # the import listed the plans it put out of date: the page's list is what is measured
    apart = sqlite_copy(tmp_path / "planner.db", tmp_path / "apart.db")
    fits = pooled_fits_counted(monkeypatch)
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    app = _opened("app_pages/plans.py")
    assert not app.exception and not app.error
    assert fits == [("S01", "S02", "S03")]
    shown = app.dataframe[0].value.set_index("Plan")["Inputs"].to_dict()
    fits.clear()
    engine = storage.connect(Settings(database_url=apart))
    each = pd.concat([plans_with_status(engine, store_id=store) for store in ("S01", "S02", "S03")])
    engine.dispose()
    assert len(fits) == 3  # what the page did before: one fit per store
    assert shown == {row.plan_id: inputs_short(getattr(row, OUT_OF_DATE), getattr(row, WEEK_OVER))
                     for row in each.itertuples(index=False)}
    assert any(words != "as made" for words in shown.values())  # the import moved some plan's staff


def test_the_hours_that_moved_are_found_again_after_new_counts(monkeypatch):
    """The Plans page's list of the hours other stores' counts move a plan's staff in was cached on the plan alone:
    after an import of more counts (a new revision of the database) it kept the hours the counts before had moved.
    It is cached as every loader is, on the database's revision, and on the plan's status as its docstring says."""
    from app_pages import data
    from planner.access.scope import EVERYTHING

    found = []
    revision = [1]
    monkeypatch.setattr(data, "database_url", lambda: "sqlite:///moves.db")
    monkeypatch.setattr(data, "engine", lambda url: url)
    monkeypatch.setattr(data, "revision", lambda url: revision[0])
    monkeypatch.setattr(data.saved_plans_module, "plan_staff_moves",
                        lambda engine, plan_id, scope: found.append(plan_id) or f"moves at revision {revision[0]}")
    data._staff_moves.clear()
    status = "out of date: other stores' counts move its staff in 3 hours"
    assert data.staff_moves(7, EVERYTHING, status) == "moves at revision 1"
    assert data.staff_moves(7, EVERYTHING, status) == "moves at revision 1" and found == [7]  # cached
    revision[0] = 2  # an import of more counts
    assert data.staff_moves(7, EVERYTHING, status) == "moves at revision 2"
    assert data.staff_moves(7, EVERYTHING, status.replace("3 hours", "5 hours")) == "moves at revision 2"
    assert found == [7, 7, 7]
    data._staff_moves.clear()


def test_the_plans_page_says_what_it_works_at_while_it_checks_the_saved_plans_and_makes_plans(sample_url,
                                                                                           monkeypatch):
    """The walk: the page took 15-19 s to open with 9 saved plans, and ~10 s after *Make plan*, with grey
    placeholders or the faded "No saved plans for these stores yet." and nothing saying it was working. Checking the
    saved plans against today's inputs now says so, with how many; making plans says so from the start, with how
    many stores, before the first store is planned."""
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    said = said_while_working(monkeypatch)
    app = _opened("app_pages/plans.py")
    assert not app.exception and not [text for text in said if text and "saved plan" in text]  # none saved yet
    app.multiselect(key=state.PLANS_STORES).set_value(["S01", "S02"]).run()
    app.text_input(key=state.PLANS_WEEK).set_value(str(WEEK)).run()
    said.clear()
    app.button(key=state.PLANS_MAKE).click().run()
    assert not app.exception and not app.error
    assert said[0] == f"Making plans for {WEEK}…", said  # from the press on; the stores planned counted once known
    assert "Checking 2 saved plans against today's counts and settings…" in said, said
    said.clear()
    app.switch_page("app_pages/plans.py").run()  # opened again: the same check, said again
    assert said.count("Checking 2 saved plans against today's counts and settings…") == 1, said


def test_a_plans_simulation_stays_shown_after_publishing_it_and_after_reading_another_plan(sample_url, monkeypatch):
    """The walk: the plan simulated, then published (the page opened again), read "Press Simulate to see ..." where
    the plan simulated is the same, its inputs too. The result is kept per plan (and the database, simulation
    settings and scope it ran with), not per session: after publishing, after reading another plan and coming back,
    and on the page opened again, it is shown without simulating again."""
    _fewer_simulated_weeks(sample_url)
    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01", "--store", "S02"]) == EXIT_OK
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    said = said_while_working(monkeypatch)
    app = _opened("app_pages/plans.py")
    app.selectbox(key=state.PLANS_VIEW).set_value(1).run()
    app.button(key=state.PLANS_SIMULATE).click().run()
    assert not app.exception and not app.error

    def figures(page: AppTest = app) -> list[str]:
        return [m.value for m in page.markdown if m.value.startswith("Customers giving up a week: **")]

    simulated = figures()
    assert simulated and not [box for box in app.info if "Press **Simulate**" in box.value]
    app.selectbox(key=state.PLANS_VIEW).set_value(2).run()
    assert not figures() and [box for box in app.info if "Press **Simulate**" in box.value]
    app.selectbox(key=state.PLANS_VIEW).set_value(1).run()
    assert figures() == simulated
    said.clear()
    app.button(key=state.PLANS_PUBLISH).click().run()
    assert not app.exception and not app.error
    assert any(box.value.startswith("Published: plan 1") for box in app.success)
    assert app.selectbox(key=state.PLANS_VIEW).value == 1 and figures() == simulated
    again = _opened("app_pages/plans.py")  # the page opened again: a new session
    again.selectbox(key=state.PLANS_VIEW).set_value(1).run()
    assert not again.exception and figures(again) == simulated
    assert not [text for text in said if text and text.startswith("Simulat")]  # shown as kept, not simulated again


def _plan(url: str, plan_id: int):
    from planner.plans import Plan

    engine = storage.connect(Settings(database_url=url))
    plan = Plan.from_json(storage.load_plan(engine, plan_id).document)
    engine.dispose()
    return plan


def _hours_moved(made, again) -> int:
    """In how many store-date-hours two plans' required staff differ, read from their requirement CSVs (an hour
    blank in both is alike)."""
    import io

    import pandas as pd

    from planner.plans.export import requirement_csv

    def required(plan) -> pd.Series:
        frame = pd.read_csv(io.StringIO(requirement_csv(plan)))
        return frame.set_index(["store_id", "date", "hour"])["required_staff"]

    both = pd.concat([required(made).rename("made"), required(again).rename("again")], axis=1)
    alike = (both["made"] == both["again"]) | (both["made"].isna() & both["again"].isna())
    return int((~alike).sum())


def _replanned_on_the_page(app: AppTest) -> int:
    app.button(key=state.PLANS_REPLAN).click().run()
    assert not app.exception and not app.error
    return app.selectbox(key=state.PLANS_VIEW).value


def _out_of_date_warning(app: AppTest) -> str:
    (said,) = [box.value.replace("\\", "") for box in app.warning if "make it again" in box.value]
    return said


def _planned_then_set(url: str, monkeypatch, setting: str) -> tuple[AppTest, str]:
    """S01's plan of `WEEK` made, then the chain's `setting` ("name=value") changed from the command line: the Plans
    page opened on it, and its out-of-date warning."""
    assert cli.main(["--database-url", url, "plan", "--week", str(WEEK), "--store", "S01"]) == EXIT_OK
    assert cli.main(["--database-url", url, "settings", "set", setting]) == EXIT_OK
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    app = _opened("app_pages/plans.py")
    assert not app.exception and not app.error
    return app, _out_of_date_warning(app)


def test_a_plan_out_of_date_for_a_target_says_before_re_planning_that_its_staff_do_not_move(sample_url,
                                                                                            monkeypatch):
    """The walk: Target wait 60 -> 40 s put every saved plan out of date ("make it again"); re-planning one gave the
    same shifts and requirement, and the page had not said so. It says so before Re-plan is pressed. The truth: the
    re-plan the page then makes, its requirement and shifts CSVs against the plan's."""
    from planner.plans.export import shifts_csv

    app, said = _planned_then_set(sample_url, monkeypatch, "target_wait_seconds=40")
    again = _replanned_on_the_page(app)
    made, remade = _plan(sample_url, 1), _plan(sample_url, again)
    assert _hours_moved(made, remade) == 0 and shifts_csv(made) == shifts_csv(remade)  # the walk's finding
    assert said == ("This plan was made before the chain's settings changed: make it again. Re-planned now, it "
                    "would require the same staff in every hour and give the same shifts."), said


def test_a_plan_out_of_date_for_a_target_names_the_hours_its_staff_move_in_before_re_planning(sample_url,
                                                                                              monkeypatch):
    """A change that moves the staff (a service level of 80% -> 95%) is said with how many hours move and which,
    as the page says it where other stores' counts move them; the truth: the re-plan the page then makes."""
    app, said = _planned_then_set(sample_url, monkeypatch, "target_service_level=95%")
    moved = _hours_moved(_plan(sample_url, 1), _plan(sample_url, _replanned_on_the_page(app)))
    assert moved > 0
    first = "This plan was made before the chain's settings changed: make it again. Re-planned now, it would " \
        f"require other staff in {moved} hours: "
    assert said.startswith(first) and said.endswith("."), said
    assert said[len(first):].startswith(f"Mon {WEEK.dates()[0].day} Dec ") or said[len(first):][:3] in (
        "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), said


def test_a_plan_out_of_date_for_its_own_counts_says_how_much_its_staff_move_before_re_planning(sample_url, tmp_path,
                                                                                               monkeypatch):
    """The walk: a plan whose store's counts changed said only "This plan was made before the counts changed: make
    it again." It says how many hours a re-plan requires other staff in, and which; the truth: the re-plan the page
    then makes."""
    import pandas as pd

    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01"]) == EXIT_OK
    counts = pd.read_csv(DATA / "observations.csv")
    later = counts[counts["store_id"] == "S01"].assign(
        date=lambda rows: (pd.to_datetime(rows["date"]) + pd.Timedelta(days=14)).dt.strftime("%Y-%m-%d"))
    later.to_csv(tmp_path / "s01.csv", index=False)
    assert cli.main(["--database-url", sample_url, "import", str(tmp_path / "s01.csv")]) == EXIT_OK
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    assert not app.exception and not app.error
    said = _out_of_date_warning(app)
    (box,) = [caption.value for caption in app.caption if caption.value.startswith("Out of date:")]
    assert box.startswith("Out of date: new counts of this store since it was made. Re-plan makes it again"), box
    moved = _hours_moved(_plan(sample_url, 1), _plan(sample_url, _replanned_on_the_page(app)))
    first = "This plan was made before this store's counts changed: make it again. Re-planned now, it would require "
    if moved:
        assert said.startswith(f"{first}other staff in {moved} hour{'s' if moved > 1 else ''}: "), said
    else:
        assert said == f"{first}the same staff in every hour and give the same shifts.", said


def test_a_plan_out_of_date_for_another_stores_new_counts_names_that_store(sample_url, tmp_path, monkeypatch):
    """A plan whose own inputs are as made, moved by S07's new counts (S07 shares S01's format, its evenings three
    times as busy), said "other stores' counts move its staff in 6 hours", naming no store: it names S07, the one
    store whose counts the import wrote, in the warning, the box beside Re-plan and the plan chooser. The truth: the
    import's one store, and the hours a re-plan on the page moves."""
    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01"]) == EXIT_OK
    assert cli.main(["--database-url", sample_url, "import", str(later_s07_counts(tmp_path))]) == EXIT_OK
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    assert not app.exception and not app.error
    named = "new counts of S07 (whose counts shape this store's demand) since it was made move its staff in "
    (warned,) = [box.value.replace("\\", "") for box in app.warning if "as when this plan was made" in box.value]
    (box,) = [caption.value.replace("\\", "") for caption in app.caption if caption.value.startswith("Out of date:")]
    (chosen,) = [label for label in app.selectbox(key=state.PLANS_VIEW).options if label.startswith("plan 1:")]
    # what Re-plan does, said once: the warning said "from today's counts" above the box's "from today's inputs"
    said = [text.value for text in [*app.warning, *app.caption, *app.info]]
    assert sum(text.count("Re-plan makes it again") for text in said) == 1, said
    moved = _hours_moved(_plan(sample_url, 1), _plan(sample_url, _replanned_on_the_page(app)))
    hours = f"{moved} hour{'s' if moved > 1 else ''}"
    assert warned.startswith("This store's counts, store file row, calendar and the settings are as when this plan "
                             f"was made, but {named}{hours}: "), warned
    assert box.startswith(f"Out of date: {named}{hours}. Re-plan makes it again from today's inputs at the chain's "
                          "saved settings"), box
    assert chosen.endswith(f"out of date: {hours} moved by counts of S07"), chosen


def test_the_settings_page_says_after_a_save_whether_re_planning_the_plans_it_put_out_of_date_moves_their_staff(
        sample_url, monkeypatch):
    """The walk: Target wait 60 -> 40 s on the Settings page said "... are now out of date ... re-plan them on the
    Plans page", and re-planning gave the same shifts and requirement. The note after the save says so; the truth:
    each plan re-planned (`saved_plans.replan`, as Re-plan does) after the page has spoken."""
    from planner import saved_plans
    from planner.plans.export import shifts_csv

    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01", "--store",
                     "S02"]) == EXIT_OK
    app = _target_wait_saved(sample_url, monkeypatch)
    (said,) = [box.value.replace("\\", "") for box in app.warning if "out of date" in box.value]
    engine = storage.connect(Settings(database_url=sample_url))
    chain = storage.chain_settings_of(engine)
    for plan_id in (1, 2):
        again = saved_plans.replan(engine, plan_id, chain, "test")
        made, remade = _plan(sample_url, plan_id), _plan(sample_url, again.plan_id)
        assert _hours_moved(made, remade) == 0 and shifts_csv(made) == shifts_csv(remade), plan_id
    engine.dispose()
    assert said == ("2 saved plans were made with the earlier settings and are now out of date. This change moves "
                    "no staff in any saved plan. The draft of S01 – "
                    "Berlin Mitte Electronics for the week of 7 Dec 2026 (plan 1) and the draft of S02 – Hamburg "
                    "Jungfernstieg Clothing for the week of 7 Dec 2026 (plan 2) are out of date by their settings "
                    "only, not their staff: re-planned, they would require the same staff in every hour and give the "
                    "same shifts, and only the settings on their record would change."), said
    assert "Re-plan on the Plans page" not in [link.proto.label for link in app.get("page_link")]


def test_the_settings_note_points_to_the_plans_page_where_no_plan_s_re_plan_could_be_checked(sample_url,
                                                                                             monkeypatch):
    """After a save, the note says plans whose re-plan could not be worked out now "could not be checked now: the
    Plans page says why", and linked to the Plans page only where some plan was to be re-planned: with every plan
    out of date in that group it named the Plans page and gave no way there. It links there, opened on the first of
    them. Their re-plans are made unworkable by standing in for `saved_change_moves`, which leaves out a plan whose
    store cannot be planned now."""
    from urllib.parse import parse_qs

    from planner import saved_plans
    from planner.surfaces.settings_page import SETTINGS_UNCHECKED_LINK, UNCHECKED

    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01", "--store",
                     "S02"]) == EXIT_OK
    monkeypatch.setattr(saved_plans, "saved_change_moves", lambda engine, out_of_date, before, after, scope: {})
    app = _target_wait_saved(sample_url, monkeypatch)
    (said,) = [box.value.replace("\\", "") for box in app.warning if "out of date" in box.value]
    assert said.endswith(f"(plan 2) {UNCHECKED}.") and "(plan 1) and" in said and "Re-plan" not in said, said
    links = [link.proto for link in app.get("page_link") if link.proto.query_string]
    assert [(link.label, parse_qs(link.query_string)) for link in links] == [
        (SETTINGS_UNCHECKED_LINK, {"plan": ["1"]})], links
    plans = "" if widgets.LANDING_PAGES["admin"] == "app_pages/plans.py" else "plans"  # a landing page is the root
    assert links[0].page == plans, links


def test_the_settings_note_points_to_the_plans_page_where_the_saved_plans_could_not_be_checked(sample_url,
                                                                                              monkeypatch):
    """A save whose check of the saved plans failed said "The Plans page says which are." and gave no way there: it
    links to the Plans page. The check is made to fail as a stored requirement that cannot be read makes it."""
    from planner import settings_change
    from planner.errors import PlannerError
    from planner.surfaces.settings_page import SETTINGS_PLANS_LINK

    def failing(*args, **kwargs):
        raise PlannerError("plan 7's stored requirement cannot be read.")

    monkeypatch.setattr(settings_change, "_settings_status", failing)
    app = _target_wait_saved(sample_url, monkeypatch)
    said = [box.value.replace("\\", "") for box in app.info if "could not be checked" in box.value]
    assert said == ["The saved plans could not be checked for settings out of date: plan 7's stored requirement "
                    "cannot be read. The Plans page says which are."], said
    links = [link.proto for link in app.get("page_link") if link.proto.label == SETTINGS_PLANS_LINK]
    plans = "" if widgets.LANDING_PAGES["admin"] == "app_pages/plans.py" else "plans"  # a landing page is the root
    assert [link.page for link in links] == [plans], links


def _target_wait_saved(url: str, monkeypatch) -> AppTest:
    """The Settings page on the database `url` after the target wait was saved as 40 s (60 s before)."""
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    app = _opened("app_pages/settings.py")
    app.number_input(key=state.SETTING_INPUTS["target_wait_seconds"]).set_value(40.0).run()
    app.button(key=state.SETTINGS_SAVE).click().run()
    assert not app.exception and not app.error
    return app


def _imported_on_the_upload_page(url: str, monkeypatch, counts) -> AppTest:
    """The Upload page after `counts` (a frame of count rows) were uploaded as s01.csv and imported."""
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    app = _opened("app_pages/upload.py")
    app.file_uploader(key=state.UPLOADED_FILES).set_value(("s01.csv", counts.to_csv(index=False).encode(),
                                                           "text/csv")).run()
    app.button(key=state.IMPORT_BUTTON).click().run()
    assert not app.exception and not app.error
    return app


def test_an_import_that_puts_saved_plans_out_of_date_says_so_on_the_upload_page_with_a_link_to_plans(
        sample_url, tmp_path, monkeypatch):
    """The walk: a count file for a store with a published plan of a week to come was imported, and the Upload page
    offered only "See the recommended staff on My store". It names the plans the import put out of date, published
    and draft, and leads to the Plans page; a plan out of date before the import is not named again. The truth:
    `plans list`'s judgement of each plan before and after (`plans_with_status`)."""
    import pandas as pd

    from planner.saved_plans import OUT_OF_DATE, plans_with_status

    assert cli.main(["--database-url", sample_url, "plan", "--week", "2026-W51", "--store", "S01",
                     "--publish"]) == EXIT_OK  # plan 1, published
    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01", "--store",
                     "S02"]) == EXIT_OK  # plans 2 (S01) and 3 (S02), drafts
    counts = pd.read_csv(DATA / "observations.csv")
    s02 = counts[counts["store_id"] == "S02"].head(3).assign(visitors=lambda rows: rows["visitors"] + 1)
    s02.to_csv(tmp_path / "s02.csv", index=False)
    assert cli.main(["--database-url", sample_url, "import", str(tmp_path / "s02.csv")]) == EXIT_OK  # plan 3 stale
    s01 = counts[counts["store_id"] == "S01"].head(3).assign(visitors=lambda rows: rows["visitors"] + 1)
    engine = storage.connect(Settings(database_url=sample_url))
    before = plans_with_status(engine, pooled=False).set_index("plan_id")[OUT_OF_DATE].to_dict()
    app = _imported_on_the_upload_page(sample_url, monkeypatch, s01)
    after = plans_with_status(engine, pooled=False).set_index("plan_id")[OUT_OF_DATE].to_dict()
    engine.dispose()
    assert before == {1: "", 2: "", 3: "the counts"} and after == {1: "the counts", 2: "the counts", 3: "the counts"}
    assert [box.value.replace("\\", "") for box in app.warning] == [
        "The published plan of S01 – Berlin Mitte Electronics for the week of 14 Dec 2026 (plan 1) and the draft of "
        "S01 – Berlin Mitte Electronics for the week of 7 Dec 2026 (plan 2) are now out of date: re-plan them on the "
        "Plans page."]
    links = [(link.proto.label, link.proto.page) for link in app.get("page_link")]
    plans = "" if widgets.LANDING_PAGES["admin"] == "app_pages/plans.py" else "plans"  # a landing page is the root
    assert ("See the out-of-date plans on Plans", plans) in links, links


def test_a_kept_result_is_returned_though_another_session_let_the_kept_store_go_at_once():
    """Results kept for every session (plan simulations, rosters, re-plan moves) are stored, the oldest let go past
    the limit, and the caller's result returned from its own hands: read back from the shared store, a result that
    another session's eviction or clear had just taken raised KeyError."""
    from app_pages.data import kept_as

    class Emptied(dict):
        """A store another session empties right after each write."""
        def __setitem__(self, key, value):
            super().__setitem__(key, value)
            self.clear()

    assert kept_as(Emptied(), "a", 1, 4) == 1
    store = {}
    for key in "abcde":
        assert kept_as(store, key, key.upper(), 3) == key.upper()
    assert store == {"c": "C", "d": "D", "e": "E"}  # the oldest let go


def test_the_settings_note_says_apart_which_plans_to_re_plan_and_which_are_out_of_date_only_in_name():
    """The walk: after a save the note said "10 saved plans ... are now out of date ... re-plan them", then "plans 5,
    7, 9 and 10 would require the same staff in every hour and give the same shifts" (a contradiction) and "and 5
    more" hid which plans. Each plan in its group: those the change moves staff in, to re-plan, those out of date
    before it, and those out of date only in name; every plan named, past five in a list of its own (the page's
    expander)."""
    from planner.surfaces.settings_page import SETTINGS_PLANS_NAMED, saved_settings_out_of_date

    moved = [(f"the draft of S0{n % 9 + 1} (plan {n})", n % 3 + 1) for n in range(1, 41)]
    earlier = [(f"the draft of S0{n % 9 + 1} (plan {n})", n % 2, ("the counts",)) for n in range(31, 51)]
    same = [f"the published plan of S0{n % 9 + 1} (plan {n})" for n in range(51, 81)]
    said, listing = saved_settings_out_of_date(moved, earlier, same)
    assert "more" not in said + listing and "plans 5" not in said
    replan, before, only = listing.split("\n\n")
    assert [int(n) for n in re.findall(r"\(plan (\d+)\)", replan)] == list(range(1, 41))
    assert [int(n) for n in re.findall(r"\(plan (\d+)\)", before)] == list(range(31, 51))
    assert [int(n) for n in re.findall(r"\(plan (\d+)\)", only)] == list(range(51, 81))
    assert "other staff in 2 hours" in replan and "same staff" not in only.split("\n", 1)[1]
    assert before.startswith("Already out of date by new counts (20):") and "(plan 31): re-planned, other staff in " \
        "1 hour\n" in before and "(plan 32)\n" in before, before
    assert said == ("80 saved plans were made with the earlier settings and are now out of date. This change moves "
                    "staff in 40 of them: re-plan those on the Plans page. 20 plans were already out of date by new "
                    "counts, before this change: the Plans page says what re-planning each changes. 30 plans are out "
                    "of date by their settings only, not their staff: re-planned, they would require the same staff "
                    "in every hour and give the same shifts, and only the settings on their record would change. "
                    "Which are which: below."), said
    assert only.startswith("Out of date by their settings only, not their staff (30):"), only
    small, none = saved_settings_out_of_date([("the draft of S01 (plan 1)", 3)], [],
                                             ["the draft of S02 (plan 2)", "the draft of S03 (plan 3)"])
    assert none == "" and small == (
        "3 saved plans were made with the earlier settings and are now out of date. This change moves staff in the "
        "draft of S01 (plan 1) (other staff in 3 hours): re-plan it on the Plans page. The draft of S02 (plan 2) and "
        "the draft of S03 (plan 3) are out of date by their settings only, not their staff: re-planned, they would "
        "require the same staff in every hour and give the same shifts, and only the settings on their record would "
        "change."), small
    assert SETTINGS_PLANS_NAMED == 5


def test_the_settings_note_says_apart_the_plans_whose_re_plan_could_not_be_checked_and_those_that_may_change():
    """The walk: a plan whose re-plan could not be worked out (its store cannot be planned now, so its week's group
    was skipped) was put under "Re-planning changes", as was one whose staff stay and whose shifts only may change.
    The first is in a group of its own, sent to the Plans page for why; the second "may change". The truth: the
    groups given."""
    from planner.surfaces.settings_page import saved_settings_out_of_date

    said, listing = saved_settings_out_of_date([], [], [], ["the draft of S02 (plan 2)"], ["the draft of S01 (plan 1)"])
    assert listing == "" and said == (
        "2 saved plans were made with the earlier settings and are now out of date. This change moves no staff in "
        "any saved plan. The draft of S01 (plan 1) keeps its staff, but its shifts may change with the new shift "
        "rules: re-plan it on the Plans page. The draft of S02 (plan 2) could not be checked now: the Plans page "
        "says why."), said
    moved = [(f"the draft of S01 (plan {n})", n) for n in range(1, 4)]
    unchecked = [f"the draft of S02 (plan {n})" for n in range(4, 8)]
    said, listing = saved_settings_out_of_date(moved, [], [], unchecked)
    replan, not_checked = listing.split("\n\n")
    assert [int(n) for n in re.findall(r"\(plan (\d+)\)", replan)] == [1, 2, 3]
    assert not_checked.startswith("Could not be checked now (4): the Plans page says why") and \
        [int(n) for n in re.findall(r"\(plan (\d+)\)", not_checked)] == [4, 5, 6, 7]
    assert "This change moves staff in 3 of them" in said and "4 plans could not be checked now" in said, said
    said, _ = saved_settings_out_of_date([], [], [], ["the draft of S02 (plan 2)"])
    assert "moves no staff" not in said, said  # nothing was checked: it is not said to move none


def test_the_plans_page_draws_a_plan_in_the_same_places_after_making_it_and_on_simulating_it(sample_url,
                                                                                           monkeypatch):
    """The walk: Make plan, then Simulate. The run after Make plan says what was made above the list; the next
    (Simulate pressed) does not, so every element below was drawn one place higher, and for the 47 s of the
    simulation the browser showed both the new elements and the old ones left where they stood: two "Dated shifts
    (CSV)" buttons. The progress bar is drawn in a place of its own beside the button, whether pressed or not."""
    _fewer_simulated_weeks(sample_url)
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    app.multiselect(key=state.PLANS_STORES).set_value(["S01"])
    app.text_input(key=state.PLANS_WEEK).input(str(WEEK))
    app.button(key=state.PLANS_MAKE).click().run()
    assert not app.exception and not app.error and app.success
    made = {label: element_path(app._tree, label) for label in ("Dated shifts (CSV)", "Simulate")}
    assert None not in made.values()
    app.button(key=state.PLANS_SIMULATE).click().run()
    assert not app.exception and not app.error
    assert {label: element_path(app._tree, label) for label in made} == made


def test_an_import_names_the_plans_other_stores_counts_now_move_and_its_link_opens_the_first(sample_url, tmp_path,
                                                                                             monkeypatch):
    """The walk: 14 rows of S01 counts imported on the Upload page named only S01's plans as out of date, while the
    Plans page showed other stores' published plans out of date too ("3 hours moved by other stores' counts": the
    pooled model borrows from other stores); and its link opened Plans on a plan as made. Every plan the import put
    out of date is named, and the link opens Plans on the first named. The truth: the Plans page's own judgement
    (`plans_with_status`, other stores' counts included) before the import and after."""
    from urllib.parse import parse_qs

    import pandas as pd

    from planner.saved_plans import OUT_OF_DATE, plans_with_status

    assert cli.main(["--database-url", sample_url, "plan", "--week", "2026-W51", "--store", "S01", "--store", "S05",
                     "--store", "S07", "--store", "S09", "--publish"]) == EXIT_OK  # plans 1 to 4
    counts = pd.read_csv(DATA / "observations.csv")
    s01 = counts[counts["store_id"] == "S01"].tail(14).drop(columns="staff_on_duty").assign(
        visitors=lambda rows: rows["visitors"] * 3, assisted=lambda rows: rows["assisted"] * 3,
        assisted_minutes=lambda rows: rows["assisted_minutes"] * 3)
    engine = storage.connect(Settings(database_url=sample_url))
    status = lambda: plans_with_status(engine).set_index("plan_id")[OUT_OF_DATE].to_dict()  # noqa: E731
    before = status()
    app = _imported_on_the_upload_page(sample_url, monkeypatch, s01)
    after = status()
    engine.dispose()
    stale = sorted(plan_id for plan_id, changed in after.items() if changed and not before[plan_id])
    assert before == {1: "", 2: "", 3: "", 4: ""} and after[1] == "the counts" and len(stale) > 1, after  # the walk's
    (said,) = [box.value.replace("\\", "") for box in app.warning if "out of date" in box.value]
    assert [int(n) for n in re.findall(r"\(plan (\d+)\)", said)] == stale, said
    (link,) = [link.proto for link in app.get("page_link") if link.proto.label == "See the out-of-date plans on Plans"]
    assert parse_qs(link.query_string) == {"plan": [str(stale[0])]}, link
    # the link followed: Plans opens on the plan it names, not on the newest, which the page shows unasked
    assert stale[0] != max(after), (stale, after)
    app.query_params["plan"] = str(stale[0])
    app.switch_page("app_pages/plans.py").run()
    assert not app.exception and not app.error
    assert app.selectbox(key=state.PLANS_VIEW).value == stale[0]


def test_a_draft_made_again_the_same_as_a_draft_of_its_store_and_week_says_so(sample_url, monkeypatch):
    """The walk: *Make plan* of all stores run again saved S01's plan 2, a copy of its draft plan 1, and nothing said
    which to publish. A new draft with the same requirement and shifts as an earlier draft of its store and week says
    so. The truth: the two plans' documents, their requirement and shifts compared."""
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    app.multiselect(key=state.PLANS_STORES).set_value(["S01"]).run()
    app.text_input(key=state.PLANS_WEEK).set_value(str(WEEK)).run()
    app.button(key=state.PLANS_MAKE).click().run()
    assert [box.value for box in app.success if box.value.startswith("Saved")] == [
        f"Saved as draft: plan 1 (S01 {WEEK})"]
    app.button(key=state.PLANS_MAKE).click().run()
    assert not app.exception and not app.error
    made, again = _plan(sample_url, 1), _plan(sample_url, 2)
    assert made.staffing["required_staff"].equals(again.staffing["required_staff"]) and \
        made.shifts.reset_index(drop=True).equals(again.shifts.reset_index(drop=True))
    assert [box.value for box in app.success if box.value.startswith("Saved")] == [
        f"Saved as draft: plan 2 (S01 {WEEK}, the same requirement and shifts as draft plan 1: publish either)"]


def test_a_link_to_a_plan_opens_it_though_its_store_is_not_picked_and_a_bad_or_foreign_number_is_said(
        sample_url, monkeypatch):
    """The walk: `?plan=²` passed the page's check for digits and stopped the page; and a link to a plan of a store
    not in the remembered Stores pick showed another plan, saying nothing. The plan's store is added to the pick and
    the plan shown; a number that is not one is let go; a plan of a store the user does not cover is said not to be
    listed. The truth: the plans `plan` saved (`storage.list_plans`)."""
    from app_pages import signin
    from planner.access.scope import Scope

    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01", "--store",
                     "S02"]) == EXIT_OK
    engine = storage.connect(Settings(database_url=sample_url))
    made = storage.list_plans(engine).set_index("store_id")["plan_id"].to_dict()
    engine.dispose()
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    app.multiselect(key=state.PLANS_STORES).set_value(["S02"]).run()
    assert app.selectbox(key=state.PLANS_VIEW).value == made["S02"]
    app.query_params["plan"] = "²"  # a digit to `isdigit`, not a number to `int`
    app.run()
    assert not app.exception and not app.error
    assert app.selectbox(key=state.PLANS_VIEW).value == made["S02"]
    app.query_params["plan"] = str(made["S01"])
    app.run()
    assert not app.exception and not app.error
    assert app.selectbox(key=state.PLANS_VIEW).value == made["S01"]
    assert set(app.multiselect(key=state.PLANS_STORES).value) == {"S01", "S02"}
    monkeypatch.setattr(signin, "session_scope",
                        lambda rules: Scope(user="mia", role="store_manager", stores=frozenset({"S02"})))
    app.run()  # the store manager's pages: My store first
    app.query_params["plan"] = str(made["S01"])
    app.switch_page("app_pages/plans.py").run()
    assert not app.exception and not app.error
    assert app.selectbox(key=state.PLANS_VIEW).value == made["S02"]
    assert [box.value for box in app.warning if f"Plan {made['S01']}" in box.value] == [
        f"Plan {made['S01']} is not listed here: there is no such plan, or it is of a store you do not cover."]


def test_a_plans_files_are_built_only_when_downloaded_and_hold_the_plan_as_saved(sample_url, monkeypatch, downloads):
    """The Plans page built the plan's dated shifts and requirement CSVs on every rerun (a day picked, a plan read),
    read or not. Each is built when its button is pressed, and holds the plan as saved (`plans.export` of the stored
    document, as `plans show` writes it)."""
    from planner.plans import export

    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01"]) == EXIT_OK
    made = {name: getattr(export, name) for name in ("shifts_csv", "requirement_csv")}
    built = []
    for name, write in made.items():
        monkeypatch.setattr(export, name, lambda *args, _write=write, _name=name, **kwargs:
                            built.append(_name) or _write(*args, **kwargs))
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    app.segmented_control(key=state.PLANS_VIEW_DAY).set_value(5).run()
    assert not app.exception and not app.error and built == []  # two runs, both buttons drawn, no file built
    plan = _plan(sample_url, 1)
    shifts = downloaded(downloads, app.download_button(key=state.PLANS_SHIFTS_DOWNLOAD)).content
    assert shifts == made["shifts_csv"](plan).encode() and built == ["shifts_csv"]
    needed = downloaded(downloads, app.download_button(key=state.PLANS_REQUIREMENT_DOWNLOAD)).content
    assert needed == made["requirement_csv"](plan).encode() and built == ["shifts_csv", "requirement_csv"]


def test_a_store_manager_importing_counts_is_asked_to_have_a_planner_re_plan(sample_url, monkeypatch, tmp_path):
    """The walk: after a store manager imported counts, Upload said "The published plan of S05 ... (plan 4) is now out
    of date: re-plan it on the Plans page", a step whose publishing is a planner's. She is told to ask a planner."""
    from app_pages import signin
    from planner.access.scope import Scope

    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01",
                     "--publish"]) == EXIT_OK
    counts = pd.read_csv(DATA / "observations.csv")
    s01 = counts[counts["store_id"] == "S01"].head(3).assign(visitors=lambda rows: rows["visitors"] + 1)
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    monkeypatch.setattr(signin, "session_scope",
                        lambda rules: Scope(user="mia", role="store_manager", stores=frozenset({"S01"})))
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).run()
    app.switch_page("app_pages/upload.py").run()
    app.file_uploader(key=state.UPLOADED_FILES).set_value(("s01.csv", s01.to_csv(index=False).encode(),
                                                           "text/csv")).run()
    app.button(key=state.IMPORT_BUTTON).click().run()
    assert not app.exception and not app.error
    (warned,) = [box.value.replace("\\", "") for box in app.warning]
    assert warned.endswith("(plan 1) is now out of date: ask a planner to re-plan it and publish the new plan."), \
        warned


def test_a_draft_set_aside_by_a_published_plan_is_shown_last_and_offers_no_re_plan_or_publish(
        sample_url, tmp_path, monkeypatch):
    """After an import, a link opened plan 1, the draft that published plan 2 had replaced, offering "Re-plan" and
    "Publish it out of date" for it (56_24). A draft made before its week's published plan is set aside: still
    shown, saying so and which plan is published, with neither button; the picker lists it after the others. The
    truth: the order the plans were made and published in."""
    for publish in ([], ["--publish"]):  # draft 1, then published 2
        assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01",
                         *publish]) == EXIT_OK
    counts = pd.read_csv(DATA / "observations.csv")
    counts[counts["store_id"] == "S01"].head(3).assign(visitors=lambda rows: rows["visitors"] + 1).to_csv(
        tmp_path / "s01.csv", index=False)
    assert cli.main(["--database-url", sample_url, "import", str(tmp_path / "s01.csv")]) == EXIT_OK  # both stale
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    app.query_params[state.PLANS_OPEN] = "1"
    app.run()
    assert not app.exception and not app.error
    assert app.selectbox(key=state.PLANS_VIEW).options[-1].startswith("plan 1: S01 2026-W50, draft, set aside")
    assert app.selectbox(key=state.PLANS_VIEW).value == 1
    assert [box.value for box in app.info if "set aside" in box.value] == [
        "This draft was made before plan 2, the plan now published for its store and week: it is set aside, kept "
        "to be read. Re-plan plan 2 to make a newer draft."]
    keys = {button.key for button in app.button}
    assert state.PLANS_REPLAN not in keys and state.PLANS_PUBLISH not in keys
    assert not [box for box in app.get("checkbox") if "out of date" in str(box.label)]
    app.selectbox(key=state.PLANS_VIEW).set_value(2).run()  # the published plan: out of date, Re-plan offered
    assert state.PLANS_REPLAN in {button.key for button in app.button}


def _settings_note(app: AppTest) -> str:
    (said,) = [box.value.replace("\\", "") for box in app.warning if "out of date" in box.value]
    return said


def test_the_settings_note_says_what_the_change_moves_apart_from_what_new_counts_moved_before_it(
        sample_url, tmp_path, monkeypatch):
    """The walk: after an upload of S01's counts, Target wait 60 -> 45 s saved said "18 saved plans were made with
    the earlier settings and are now out of date. Re-planning changes 14 of them", while the plans made after the
    upload were out of date only in name: the new wait moved no staff, the staff counted were the upload's. The note
    says what this change moves (the staff per hour under the settings before and after, on today's counts) apart
    from the plans new counts had put out of date already. The truth: plans of the same stores made from today's
    counts just before the save and just after it, and those made before the upload."""
    stores = ["S01", "S02", "S03"]
    plan = ["--database-url", sample_url, "plan", "--week", str(WEEK)] + [f"--store={s}" for s in stores]
    assert cli.main(plan) == EXIT_OK  # plans 1-3
    counts = pd.read_csv(DATA / "observations.csv")
    later = counts[counts["store_id"] == "S01"].assign(
        date=lambda rows: (pd.to_datetime(rows["date"]) + pd.Timedelta(days=14)).dt.strftime("%Y-%m-%d"))
    later.to_csv(tmp_path / "s01.csv", index=False)
    assert cli.main(["--database-url", sample_url, "import", str(tmp_path / "s01.csv")]) == EXIT_OK
    assert cli.main(plan) == EXIT_OK  # plans 4-6: today's counts, the settings before the change
    app = _target_wait_saved(sample_url, monkeypatch)
    said = _settings_note(app)
    assert cli.main(plan) == EXIT_OK  # plans 7-9: today's counts, the settings after it
    by_change = [_hours_moved(_plan(sample_url, n), _plan(sample_url, n + 3)) for n in (4, 5, 6)]
    by_counts = [_hours_moved(_plan(sample_url, n), _plan(sample_url, n + 3)) for n in (1, 2, 3)]
    assert not any(by_change), by_change  # the walk's case: the new wait moves no staff
    already = sum(1 for n, moved in enumerate(by_counts) if moved or stores[n] == "S01")  # S01's own counts changed
    assert already >= 1
    assert said.startswith("6 saved plans were made with the earlier settings and are now out of date. This change "
                           "moves no staff in any saved plan"), said
    assert f"{already} {'plan was' if already == 1 else 'plans were'} already out of date by new counts" in said, said
    assert "Re-planning changes" not in said, said


def test_what_a_settings_change_moves_is_the_staff_at_the_settings_before_and_after_it_on_today_s_counts(
        sample_url, tmp_path):
    """What a save of the chain's settings moves in a saved plan (`saved_plans.saved_change_moves`, read by the
    Settings page's note) against what re-planning it changes: a plan of S01 made before new counts of S01 and a
    service level of 80% -> 95%. The truth: plans of S01 made from today's counts at 80% and at 95%, and the plan
    made before the counts, compared hour by hour in their requirement CSVs."""
    from planner import saved_plans

    plan = ["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01"]
    assert cli.main(plan) == EXIT_OK  # plan 1
    counts = pd.read_csv(DATA / "observations.csv")
    later = counts[counts["store_id"] == "S01"].assign(
        date=lambda rows: (pd.to_datetime(rows["date"]) + pd.Timedelta(days=14)).dt.strftime("%Y-%m-%d"))
    later.to_csv(tmp_path / "s01.csv", index=False)
    assert cli.main(["--database-url", sample_url, "import", str(tmp_path / "s01.csv")]) == EXIT_OK
    assert cli.main(plan) == EXIT_OK  # plan 2: today's counts at 80%
    engine = storage.connect(Settings(database_url=sample_url))
    before = storage.chain_settings_of(engine)
    after = before.with_targets(target_service_level=0.95)
    assert cli.main(["--database-url", sample_url, "settings", "set", "target_service_level=95%"]) == EXIT_OK
    assert cli.main(plan) == EXIT_OK  # plan 3: today's counts at 95%
    found = saved_plans.saved_change_moves(engine, {1: "the counts, the chain's settings",
                                                    2: "the chain's settings"}, before, after)
    engine.dispose()
    by_change = _hours_moved(_plan(sample_url, 2), _plan(sample_url, 3))
    assert by_change > 0
    assert found[1].hours == found[2].hours == by_change
    assert found[1].earlier == ("the counts",) and found[2].earlier == ()
    assert found[1].replan.hours == _hours_moved(_plan(sample_url, 1), _plan(sample_url, 3))
    assert found[2].replan.hours == by_change


def test_the_out_of_date_published_plans_are_re_planned_at_once_each_as_a_draft_left_to_publish(sample_url,
                                                                                             monkeypatch):
    """The walk: after a change of the settings every published plan was out of date, and the page offered a Re-plan
    per plan only. It offers one action for the out-of-date published plans listed, makes each again as a new draft
    (as Re-plan does), says which and that nothing is published yet, and offers it no more once they are made. The
    truth: the saved plans read from storage."""
    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01", "--store", "S02",
                     "--publish"]) == EXIT_OK
    assert cli.main(["--database-url", sample_url, "settings", "set", "target_wait_seconds=40"]) == EXIT_OK
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    assert not app.exception and not app.error
    button = app.button(key=state.PLANS_REPLAN_PUBLISHED)
    assert button.label == "Re-plan the 2 out-of-date published plans"
    button.click().run()
    assert not app.exception and not app.error
    engine = storage.connect(Settings(database_url=sample_url))
    listed = storage.list_plans(engine).set_index("plan_id")
    engine.dispose()
    assert sorted(listed.index) == [1, 2, 3, 4]
    assert list(listed.loc[[1, 2], "status"]) == ["published", "published"]
    assert list(listed.loc[[3, 4], "status"]) == ["draft", "draft"]
    (said,) = [box.value.replace("\\", "") for box in app.success if box.value.startswith("Re-planned")]
    stores = {plan_id: listed.loc[plan_id, "store_id"] for plan_id in (3, 4)}
    assert said.startswith("Re-planned 2 out-of-date published plans, each saved as a new draft: "), said
    for plan_id in (3, 4):
        published = 1 if stores[plan_id] == "S01" else 2
        assert f"plan {plan_id} ({stores[plan_id]} {WEEK}, for published plan {published})" in said, said
    assert said.endswith("Nothing is published yet: drafts 3 and 4 are left to read and publish with Publish under "
                         "each."), said
    assert app.selectbox(key=state.PLANS_VIEW).value == 4
    assert not [b for b in app.button if b.key == state.PLANS_REPLAN_PUBLISHED]  # made: nothing left to re-plan


def _s01_published_then_counted(url: str, tmp_path) -> None:
    """S01's plan of `WEEK` published, then new counts of S01 imported: the plan is out of date for its own counts."""
    assert cli.main(["--database-url", url, "plan", "--week", str(WEEK), "--store", "S01", "--publish"]) == EXIT_OK
    counts = pd.read_csv(DATA / "observations.csv")
    counts[counts["store_id"] == "S01"].head(3).assign(visitors=lambda rows: rows["visitors"] + 1).to_csv(
        tmp_path / "s01.csv", index=False)
    assert cli.main(["--database-url", url, "import", str(tmp_path / "s01.csv")]) == EXIT_OK


def _plans_page_as(role: str, monkeypatch) -> AppTest:
    """The Plans page opened by mia in `role`, covering S01."""
    from app_pages import signin
    from planner.access.scope import Scope

    monkeypatch.setattr(signin, "session_scope",
                        lambda rules: Scope(user="mia", role=role, stores=frozenset({"S01"})))
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS).run()
    app.switch_page("app_pages/plans.py").run()
    assert not app.exception and not app.error
    return app


def test_a_store_manager_is_told_on_the_plans_page_to_ask_a_planner_as_upload_and_roster_tell_her(
        sample_url, tmp_path, monkeypatch):
    """The walk: after a store manager's upload of new counts, Upload said "ask a planner to re-plan it and publish
    the new plan" and Roster "Ask a planner to re-plan the week", while Plans said "make it again" over a red primary
    Re-plan. A store manager may re-plan (a new draft), not publish: Plans says what the other pages say, and its
    Re-plan is offered as what it is for her, a draft for a planner to publish, not the page's primary call. A planner
    keeps "make it again" and the primary Re-plan. The truth: the plans read from storage after her press."""
    _s01_published_then_counted(sample_url, tmp_path)
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _plans_page_as("planner", monkeypatch)
    assert _out_of_date_warning(app).startswith("This plan was made before this store's counts changed: make it "
                                                "again. Re-planned now, it would require ")
    planner_replan = app.button(key=state.PLANS_REPLAN)
    assert planner_replan.proto.type == "primary" and planner_replan.label == "Re-plan"
    assert app.button(key=state.PLANS_REPLAN_PUBLISHED).label == "Re-plan the out-of-date published plan"

    app = _plans_page_as("store_manager", monkeypatch)
    (said,) = [box.value.replace("\\", "") for box in app.warning if "This plan was made before" in box.value]
    assert said.startswith("This plan was made before this store's counts changed: ask a planner to re-plan it and "
                           "publish the new plan. Re-planned now, it would require "), said
    assert "make it again" not in said
    # the list's one action for the out-of-date published plans, in the same words
    assert "1 published plan is out of date (*Inputs* says why): ask a planner to re-plan it and publish the new " \
           "plan." in [caption.value for caption in app.caption]
    assert app.button(key=state.PLANS_REPLAN_PUBLISHED).label == "Re-plan the out-of-date published plan as a draft"
    replan = app.button(key=state.PLANS_REPLAN)
    assert replan.proto.type == "secondary" and replan.label == "Re-plan as a draft", replan.label
    assert "for a planner to publish" in replan.help and "stays published" in replan.help, replan.help
    (box,) = [caption.value for caption in app.caption if caption.value.startswith("Out of date:")]
    assert "Re-plan as a draft makes a new draft from today's inputs at the chain's saved settings for a planner to " \
           "publish" in box and "Re-plan makes it again" not in box, box
    # the plan's call is a planner's: the only primary button left is the form's Make plan
    assert [button.key for button in app.button if button.proto.type == "primary"] == [state.PLANS_MAKE]
    replan.click().run()
    assert not app.exception and not app.error
    engine = storage.connect(Settings(database_url=sample_url))
    listed = storage.list_plans(engine).set_index("plan_id")
    engine.dispose()
    assert dict(listed["status"]) == {1: "published", 2: "draft"}  # a draft: hers is never published
    (done,) = [box.value.replace("\\", "") for box in app.success if box.value.startswith("Saved as draft")]
    assert done.startswith(f"Saved as draft: plan 2 (S01 {WEEK}), made again from today's inputs.") and \
        done.endswith("Publishing is for planners: ask one to publish plan 2."), done


def _in_order(node) -> list:
    """Every element of an AppTest page's tree, in the order the browser draws them."""
    children = getattr(node, "children", None)
    if not children:
        return [node]
    return [leaf for index in sorted(children) for leaf in _in_order(children[index])]


def _s02_capped_at_six(url: str, tmp_path) -> None:
    """S02's row of the store file imported with a max_staff of 6, as the walk's S99 had: below what it needs."""
    header, *rows = (DATA / "stores.csv").read_text(encoding="utf-8").splitlines()
    (s02,) = [row for row in rows if row.startswith("S02,")]
    capped = s02.split(",")
    capped[header.split(",").index("max_staff")] = "6"
    (tmp_path / "stores.csv").write_text(f"{header}\n{','.join(capped)}\n", encoding="utf-8")
    assert cli.main(["--database-url", url, "import", "--stores", str(tmp_path / "stores.csv")]) == EXIT_OK


CAPPED = re.compile(r"^(\w{3} \d{1,2} \w{3}) (\S+) needs (\d+(?: to \d+)?) staff but the store takes at most 6$")
"""The optimiser's sentence for a span whose requirement is above a max_staff of 6 (`planner.shifts.report`)."""


def test_a_store_capped_below_what_it_needs_says_so_in_one_box_a_line_a_day_after_the_plans_figures(
        sample_url, tmp_path, monkeypatch):
    """The walk: a store whose file caps its staff below what it needs (S99, max_staff 6) showed one yellow box per
    day-window ("Mon 14 Dec 12:00-15:00 needs 7 to 8 staff but the store takes at most 6"), 11 stacked before the
    day's shifts. They are one box: a short lead, then a line per day, after the plan's own figures (its result
    table). The truth: the sentences the saved plan keeps, read from storage."""
    _s02_capped_at_six(sample_url, tmp_path)
    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S02"]) == EXIT_OK
    spans = [CAPPED.match(sentence) for sentence in _plan(sample_url, 1).explanations["sentence"]]
    spans = [span.groups() for span in spans if span]
    days = list(dict.fromkeys(day for day, _, _ in spans))
    assert len(spans) > len(days) > 1  # the walk's case: several spans on several days
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    assert not app.exception and not app.error
    boxes = [box.value.replace("\\", "") for box in app.warning if "at most 6" in box.value]
    assert len(boxes) == 1, boxes
    lead, *lines = boxes[0].splitlines()
    assert lead == "The store file lets S02 have at most 6 staff on the floor (its max_staff), fewer than it needs " \
                   "here; these hours stay short:", lead
    assert lines == [f"- {day}: " + ", ".join(f"{span} needs {need}" for on, span, need in spans if on == day)
                     for day in days], lines
    drawn = _in_order(app.main)
    where = {id(element): place for place, element in enumerate(drawn)}
    (box,) = [box for box in app.warning if "at most 6" in box.value]
    (result,) = [frame for frame in app.dataframe if "uncovered_staff_hours" in frame.value.columns]
    assert where[id(result)] < where[id(box)] < where[id(app.segmented_control(key=state.PLANS_VIEW_DAY))]


def test_make_and_publish_names_the_plans_it_published_short_with_how_short_and_why(sample_url, tmp_path,
                                                                                      monkeypatch):
    """The walk: *Make and publish* published S99's plan "short 97.0 staff-hours" (its max_staff of 6) with nothing
    said but "Published: plan 1 (...), ..., plan 10 (...)": the planner learnt it only from the list. The result
    says, beside what was published, which plans are short, by how many staff-hours and why in a few words. The
    truth: the published plans' results as storage keeps them."""
    _s02_capped_at_six(sample_url, tmp_path)
    app = _made_and_published(sample_url, monkeypatch, ["S01", "S02", "S03"])
    assert not app.exception and not app.error
    engine = storage.connect(Settings(database_url=sample_url))
    listed = storage.list_plans(engine).set_index("store_id")
    engine.dispose()
    assert set(listed["status"]) == {"published"}
    short = listed[listed["uncovered_staff_hours"] > 0]
    assert "S02" in short.index and len(short) < len(listed)  # one short by its max_staff, one at least not
    (said,) = [box.value.replace("\\", "") for box in app.warning if box.value.startswith("Published short")]
    named = {int(plan_id) for plan_id in re.findall(r"plan (\d+) \(", said)}
    assert named == set(short["plan_id"]), said
    s02 = short.loc["S02"]
    assert f"plan {s02['plan_id']} (S02 {WEEK}) short {s02['uncovered_staff_hours']:,.1f} staff-hours, because of " \
           "the store's max_staff" in said, said


def test_the_result_columns_help_says_each_word_of_the_list_in_plain_words(sample_url, monkeypatch):
    """The walk: the list's Result read "optimal" beside "short 2.0 staff-hours", its help "optimal (proven best,
    every required hour covered)". The help says what each word the list can show means, "optimal" in plain words:
    every open hour covered and no cheaper set of shifts (proven). The truth: the words `plan_result` gives."""
    import json

    from planner.surfaces.plans import RESULT_WORDS, plan_result

    assert cli.main(["--database-url", sample_url, "plan", "--week", str(WEEK), "--store", "S01"]) == EXIT_OK
    monkeypatch.setenv(DATABASE_URL_ENV, sample_url)
    app = _opened("app_pages/plans.py")
    assert not app.exception and not app.error
    config = json.loads(app.dataframe[0].proto.columns)
    help_text = config["Result"]["help"]
    assert "optimal: every open hour has the staff it requires, and no cheaper set of shifts does that (proven)" \
        in help_text, help_text
    words = {plan_result(status, 12.5) for status in [*RESULT_WORDS, "short"]}
    assert "short 12.5 staff-hours" in words and "unproven" in words
    for word in words:  # each said with its meaning, as the list shows it ("short N staff-hours")
        assert f"{word.replace('12.5', 'N')}: " in help_text, (word, help_text)


def test_the_saved_plans_list_shows_a_batch_re_plans_drafts_and_the_published_plans_under_them_without_a_scroll():
    """After re-planning the 10 out-of-date published plans, the list showed the 10 new drafts and hid the published
    plans they are for behind the table's own scroll (10 rows shown, as Streamlit sizes a table), under a caption
    promising every plan kept. It shows up to `PLAN_ROWS_SHOWN` rows whole, one-line or wrapped, then scrolls."""
    from app_pages import tables

    inputs = tables.PLAN_COLUMNS["inputs"]
    config = {inputs: {"width": 164}}
    twenty = pd.DataFrame({inputs: ["as made"] * 20})
    assert tables.plan_rows(twenty, config)["height"] == "content"  # every row, no inner scroll
    many = pd.DataFrame({inputs: ["as made"] * (tables.PLAN_ROWS_SHOWN + 5)})
    assert tables.plan_rows(many, config)["height"] == tables.HEADER_PX + tables.PLAN_ROWS_SHOWN * tables.ROW_PX
    wrapped = tables.plan_rows(pd.DataFrame({inputs: ["out of date: other stores' counts move its staff in 12 "
                                                      "hours"] * 20}), config)
    assert wrapped["height"] == tables.HEADER_PX + 20 * wrapped["row_height"], wrapped  # 20 wrapped rows whole
