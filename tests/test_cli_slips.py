"""A careless planner's slips on the command line: a flag misspelt or put after the command, a store id typed in
the wrong case, a command that does not exist, a plan of a week that is over. Each is one line that names the slip
and the fix."""

from __future__ import annotations

import re

import pytest

from planner.cli import main
from planner.cli_flags import EXIT_INPUT, EXIT_UNAVAILABLE

from conftest import DATA
from hostile_files import sheets_bytes


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err

def _store_never_counted(sample_url: str, tmp_path) -> str:
    """S10, a store with the sample's S01 hours and no counts or employees, imported into the sample; returns next
    week, one a plan of it can be made for."""
    from datetime import timedelta

    from conftest import DATA
    from planner import clock
    from planner.weeks import IsoWeek

    stores = (DATA / "stores.csv").read_text().splitlines()
    (new := tmp_path / "stores.csv").write_text("\n".join([stores[0], stores[1].replace("S01,Berlin Mitte", "S10,New")])
                                                + "\n")
    assert main(["--database-url", sample_url, "import", "--stores", str(new)]) == 0
    return str(IsoWeek.of(clock.today() + timedelta(days=7)))


@pytest.mark.parametrize("args, command, near", [
    (["recommend", "--stores", "S01"], "recommend", "--store"),
    (["roster", "--store", "S01", "--week", "2026-W50", "--publsh"], "roster", "--publish"),
    (["plans", "list", "--weeks", "2026-W50"], "plans list", "--week"),
])
def test_a_misspelt_flag_names_its_command_and_the_flag_meant(capsys, settings, args, command, near):
    """`recommend --stores S01` said "python -m planner: error: unrecognized arguments: --stores S01 (see python -m
    planner --help)": the top level's help, which lists commands, not the flag meant."""
    code, said = _run(capsys, "--database-url", settings.resolved_database_url(), *args)
    assert code == EXIT_INPUT and len(said.strip().splitlines()) == 1
    assert f"planner {command}: error:" in said and f"did you mean {near}?" in said
    assert f"(see python -m planner {command} --help)" in said


def test_a_top_level_flag_after_the_command_says_where_it_goes(capsys, settings):
    code, said = _run(capsys, "--database-url", settings.resolved_database_url(), "stores", "--as", "anna")
    assert code == EXIT_INPUT and len(said.strip().splitlines()) == 1
    assert "--as goes before the command (python -m planner --as NAME COMMAND ...)" in said


@pytest.mark.parametrize("verb, state", [("disable", "disabled"), ("enable", "enabled")])
def test_disabling_a_disabled_user_says_nothing_changed_and_audits_nothing(capsys, sample_url, verb, state):
    """`users disable anna` twice said "anna disabled: no sign-in and no --as from now on" twice, and the audit trail
    held two entries "user anna disabled" for one change."""
    assert main(["--database-url", sample_url, "users", "add", "anna", "--role", "store_manager", "--stores",
                 "S01"]) == 0
    if verb == "enable":
        assert main(["--database-url", sample_url, "users", "disable", "anna"]) == 0
    assert main(["--database-url", sample_url, "users", verb, "anna"]) == 0
    capsys.readouterr()
    code, said = _run(capsys, "--database-url", sample_url, "users", verb, "anna")
    assert code == 0 and said.strip() == f"anna is already {state}: nothing changed"
    _, trail = _run(capsys, "--database-url", sample_url, "audit")
    changes = [line for line in trail.splitlines() if "user anna " in line and "added" not in line]
    assert len(changes) == (2 if verb == "enable" else 1)


def test_the_users_page_disabling_a_disabled_user_records_no_second_change(sample_url):
    """The app's Users page calls `accounts.disable_user` as it is: the second call recorded a second entry."""
    from planner import accounts, storage
    from planner.access.scope import Scope
    from planner.access.users import User
    from planner.settings import Settings
    from planner.storage.audit import audit_trail

    engine = storage.connect(Settings(database_url=sample_url))
    root = Scope.everything("root")
    accounts.add_user(engine, root, User(name="anna", role="planner"))
    before = len(audit_trail(engine))
    for _ in range(2):
        assert accounts.disable_user(engine, root, "anna").disabled
    assert len(audit_trail(engine)) == before + 1
    engine.dispose()


def test_set_role_takes_the_role_as_users_add_does(capsys, sample_url):
    """`users add anna --role store_manager` and then `users set-role anna --role planner` was refused ("unrecognized
    arguments: --role"): set-role took the role only as a second word. Both spellings work; two roles that differ
    are refused."""
    assert main(["--database-url", sample_url, "users", "add", "anna", "--role", "store_manager", "--stores",
                 "S01"]) == 0
    code, said = _run(capsys, "--database-url", sample_url, "users", "set-role", "anna", "--role", "planner")
    assert code == 0 and said.strip().endswith("anna: planner, all stores")
    code, said = _run(capsys, "--database-url", sample_url, "users", "set-role", "anna", "admin")
    assert code == 0 and "anna: admin" in said
    code, said = _run(capsys, "--database-url", sample_url, "users", "set-role", "anna", "planner", "--role", "admin")
    assert code == EXIT_INPUT and "give the role once" in said
    code, said = _run(capsys, "--database-url", sample_url, "users", "set-role", "anna")
    assert code == EXIT_INPUT and "users set-role anna ROLE" in said


def test_a_plan_of_a_week_over_is_not_said_to_be_published_by_a_command_that_refuses(capsys, sample_url):
    """`plan --week 2024-W10` (a slip for 2026-W10) ended "saved as plan 1 (draft; `python -m planner plans publish
    1` publishes it)", and that command then refused: the week is over. A plan of weeks over and to come names the
    command for the week to come only."""
    from datetime import timedelta

    from planner import clock
    from planner.weeks import IsoWeek

    coming = str(IsoWeek.of(clock.today() + timedelta(days=7)))
    code = main(["--database-url", sample_url, "plan", "--week", "2024-W10", "--store", "S01"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert code == 0 and last == "saved as plan 1 (draft; 2024-W10 (ended Sun 10 Mar 2024) is over, so no plan of it " \
                                  "is published now)"
    assert main(["--database-url", sample_url, "plans", "publish", "1"]) == EXIT_INPUT  # as the line says
    code = main(["--database-url", sample_url, "plan", "--week", "2024-W10", "--week", coming, "--store", "S01"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert code == 0 and last == ("saved as plans 2, 3 (drafts; `python -m planner plans publish 3` publishes it; "
                                  "2024-W10 (ended Sun 10 Mar 2024) is over, so no plan of it is published now)")


def test_two_weeks_over_are_over(capsys, sample_url):
    """`plan --week 2024-W10 --week 2024-W11 --publish` said "2024-W10 (...), 2024-W11 (...) is over"."""
    code, said = _run(capsys, "--database-url", sample_url, "plan", "--week", "2024-W10", "--week", "2024-W11",
                      "--store", "S01", "--publish")
    assert code == EXIT_INPUT and "2024-W11 (ended Sun 17 Mar 2024) are over, and a plan published now" in said
    main(["--database-url", sample_url, "plan", "--week", "2024-W10", "--week", "2024-W11", "--store", "S01"])
    assert capsys.readouterr().out.strip().endswith("2024-W11 (ended Sun 17 Mar 2024) are over, so no plan of them is "
                                                    "published now)")


@pytest.mark.parametrize("typed, meant", [("s01", "S01"), ("S1", "S01"), ("S0\uff11", "S01"), ("\uff33\uff10\uff15", "S05")])
def test_a_mistyped_store_id_on_a_flag_gets_the_store_meant(capsys, sample_url, typed, meant):
    """`recommend --store s01` said "unknown store id: s01 (known: S01, ...)": no hint, where `validate` gives one
    for the same slip in a file. A full-width digit (a Japanese keyboard's "S0１") was offered 'S09'."""
    code, said = _run(capsys, "--database-url", sample_url, "recommend", "--store", typed)
    assert code == EXIT_INPUT and f"unknown store id: {typed}: did you mean {meant}? (known: S01," in said


def test_a_store_id_in_full_width_digits_in_a_file_is_offered_the_store_it_reads_as(capsys, sample_url, tmp_path):
    counts = (tmp_path / "counts.csv")
    counts.write_text("store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes,"
                      "staff_on_duty\nS0\uff11,2026-09-07,12,46,22,16,252.1,3.2,6\n", encoding="utf-8")
    code, said = _run(capsys, "--database-url", sample_url, "validate", str(counts))
    assert code == EXIT_INPUT and "store 'S0\uff11' is not in the database (did you mean 'S01'?)" in said


def test_a_store_manager_is_offered_only_their_own_store_typed_in_another_case(capsys, sample_url):
    """Another store's id ("S02") is no slip for a manager's own "S01": said as before, naming only their stores."""
    assert main(["--database-url", sample_url, "users", "add", "anna", "--role", "store_manager", "--stores",
                 "S01"]) == 0
    capsys.readouterr()
    code, said = _run(capsys, "--database-url", sample_url, "--as", "anna", "recommend", "--store", "S02")
    assert code == EXIT_INPUT and said.strip() == "error: unknown store id: S02 (your stores: S01)"
    code, said = _run(capsys, "--database-url", sample_url, "--as", "anna", "recommend", "--store", "s01")
    assert code == EXIT_INPUT and said.strip() == "error: unknown store id: s01: did you mean S01? (your stores: S01)"


@pytest.mark.parametrize("args, says", [
    (["recomend", "--store", "S01"], "invalid choice: 'recomend': did you mean recommend?"),
    (["demand"], "the demand per store, weekday and hour (customers and minutes each) is in `recommend --out "
                 "FILE.csv`"),
    (["setting", "show"], "invalid choice: 'setting': did you mean settings?"),
    (["settings", "sho"], "invalid choice: 'sho': did you mean show?"),
    (["export"], "`export-observations --out FILE.csv` writes the stored counts"),
    (["users", "add", "bo", "--role", "planer"], "invalid choice: 'planer': did you mean planner?"),
    (["users", "add", "bo", "--role", "o'neil"], "invalid choice: \"o'neil\" (choose from 'store_manager', "
                                                 "'regional_lead', 'planner', 'admin')"),
    (["schedule", "--start-step", "3"], "argument --start-step: invalid choice: 3: did you mean 30?"),
    (["schedule", "--start-step", "45"], "argument --start-step: invalid choice: 45 (choose from '30', '60')"),
])
def test_a_command_that_does_not_exist_names_the_one_meant_or_where_that_is(capsys, settings, args, says):
    """`python -m planner demand` (or a slip, `recomend`) said "invalid choice: 'demand' (choose from 'validate',
    ...)": sixteen names, none of them the one to use."""
    code, said = _run(capsys, "--database-url", settings.resolved_database_url(), *args)
    assert code == EXIT_INPUT and len(said.strip().splitlines()) == 1 and says in said


def test_the_parser_overrides_no_private_method_of_argparse():
    """The hints above are argparse's refusal reworded in `error`, its public hook: an override of a private method
    (`_check_value`, as it once was) changes meaning, or stops being called, with any release of Python."""
    import argparse

    from planner.cli_flags import OneLineParser

    private = [name for name in vars(OneLineParser) if name.startswith("_") and not name.startswith("__")]
    assert not [name for name in private if hasattr(argparse.ArgumentParser, name)]


@pytest.mark.parametrize("args, says", [
    (["--since", "2099-01-01"], "no audit entries from 2099-01-01"),
    (["--until", "2001-01-01"], "no audit entries up to 2001-01-01"),
    (["--store", "S05", "--since", "2099-01-01", "--until", "2099-01-02"],
     "no audit entries of S05 from 2099-01-01 to 2099-01-02"),
])
def test_an_empty_audit_trail_says_what_was_asked_for(capsys, sample_url, args, says):
    """`audit --since 2026-12-07` said "no audit entries for that store or those dates": no store was named."""
    code, said = _run(capsys, "--database-url", sample_url, "audit", *args)
    assert code == 0 and said.strip() == says


def test_the_drafts_of_a_plan_of_many_stores_are_published_by_one_command(capsys, sample_url, tmp_path):
    """`plan --week W` of the nine sample stores ended "(drafts; `python -m planner plans publish 1` and `python -m
    planner plans publish 2` and ... publish them)": nine commands in one line. One command takes every id; a draft
    it may not publish (out of date) leaves every one of them a draft."""
    from datetime import timedelta

    from planner import storage
    from planner import clock
    from planner.settings import Settings
    from planner.weeks import IsoWeek

    week = str(IsoWeek.of(clock.today() + timedelta(days=7)))
    main(["--database-url", sample_url, "plan", "--week", week, "--store", "S01", "--store", "S02", "--store", "S03"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == "saved as plans 1, 2, 3 (drafts; `python -m planner plans publish 1 2 3` publishes them)"
    engine = storage.connect(Settings(database_url=sample_url))
    wednesday = IsoWeek.parse(week).dates()[2]  # closed chain-wide: every plan of the week out of date
    (closed := tmp_path / "calendar.csv").write_text(
        f"store_id,date,closed,hours,demand_factor,note\n*,{wednesday},yes,,,stocktaking\n")
    assert main(["--database-url", sample_url, "import", "--calendar", str(closed)]) == 0
    code, said = _run(capsys, "--database-url", sample_url, "plans", "publish", "1", "2", "3")
    assert code == EXIT_INPUT and "plan 1 (S01" in said and "none of plans 1, 2, 3 was published" in said
    assert set(storage.list_plans(engine)["status"]) == {"draft"}
    code, said = _run(capsys, "--database-url", sample_url, "plans", "publish", "1", "2", "3", "--publish-anyway")
    assert code == 0 and [line.split(":")[0] for line in said.splitlines() if line.startswith("published")] == [
        "published plan 1", "published plan 2", "published plan 3"]
    assert set(storage.list_plans(engine)["status"]) == {"published"}
    engine.dispose()



def test_plan_calendar_is_checked_against_the_stored_calendar_as_import_checks_it(capsys, sample_url, tmp_path):
    """`import --calendar late.csv` refused a Thursday 22:00-03:00 beside a stored Friday opening at 00:00; `plan
    --week <another week> --calendar late.csv` stored it with its plan, and every plan of the Thursday's week then
    refused the store. Refused alike, and nothing is stored: no plan, no calendar row."""
    from datetime import timedelta

    from planner import storage
    from planner import clock
    from planner.settings import Settings
    from planner.weeks import IsoWeek

    coming = IsoWeek.of(clock.today() + timedelta(days=7))
    thursday, friday = coming.dates()[3], coming.dates()[4]
    header = "store_id,date,closed,hours,demand_factor,note\n"
    (early := tmp_path / "early.csv").write_text(f"{header}S01,{friday},,00:00-04:00,,night sale\n")
    (late := tmp_path / "late.csv").write_text(f"{header}S01,{thursday},,22:00-03:00,,late opening\n")
    assert main(["--database-url", sample_url, "import", "--calendar", str(early)]) == 0
    assert main(["--database-url", sample_url, "import", "--calendar", str(late)]) == EXIT_INPUT
    capsys.readouterr()
    other = str(IsoWeek.of(clock.today() + timedelta(days=14)))
    code, said = _run(capsys, "--database-url", sample_url, "plan", "--week", other, "--store", "S01",
                      "--calendar", str(late))
    assert code == EXIT_INPUT and f"late.csv:2: hours: S01: Thursday {thursday}'s opening" in said
    engine = storage.connect(Settings(database_url=sample_url))
    assert storage.list_plans(engine).empty
    assert thursday not in set(storage.load_calendar(engine)["date"])
    engine.dispose()


@pytest.mark.parametrize("name", ["stores.csv", "observations.csv"])
def test_replan_absence_of_another_kind_of_file_says_so(capsys, sample_url, name):
    """`roster replan --absence stores.csv` listed "required column 'employee_id' is missing" and a warning for each
    of the store file's 18 columns "not used": the file was the wrong one, as `import --calendar` says of a file of
    another kind."""
    from conftest import DATA

    code, said = _run(capsys, "--database-url", sample_url, "roster", "replan", "--absence", str(DATA / name))
    kind = name.removesuffix(".csv")
    assert code == EXIT_INPUT and len(said.strip().splitlines()) == 1, said
    assert f"--absence takes the absence file (employee_id, first_day, last_day, reason), and this reads as a file of " \
           f"{kind}: name the absence file" in said


def test_a_managers_file_of_every_store_lists_each_other_store_once_and_no_rows_besides(capsys, sample_url):
    """A store manager of S01 validating the chain's count file (1,519 rows of eight other stores) was told first
    "store_id: and 519 more errors in this column. Fix the ones listed and check the file again to see the rest",
    and "9 errors": every row was in the eight lines below it, each naming a store and its rows."""
    from conftest import DATA

    assert main(["--database-url", sample_url, "users", "add", "bob", "--role", "store_manager", "--stores",
                 "S01"]) == 0
    capsys.readouterr()
    for command in ("validate", "import"):
        code, said = _run(capsys, "--database-url", sample_url, "--as", "bob", command, str(DATA / "observations.csv"))
        assert code == EXIT_INPUT and "more errors" not in said
        others = [line for line in said.splitlines() if "is not one of your stores" in line]
        assert len(others) == 8 and sum(int(line.split(": ")[3].split(" rows")[0]) for line in others) == 1519
        assert "8 errors on 1,519 rows" in said


def test_one_row_past_the_ranges_named_is_one_more_row():
    """"7 rows, 9, 22, 88, 106, 335, 839 and 1 more rows": the count past the named ranges agrees with it."""
    from planner.errors import row_ranges

    assert row_ranges([1, 3, 5, 7, 9, 11, 13]) == "1, 3, 5, 7, 9, 11 and 1 more row"
    assert row_ranges([1, 3, 5, 7, 9, 11, 13, 14]) == "1, 3, 5, 7, 9, 11 and 2 more rows"
    assert row_ranges([1, 3, 5, 7, 9, 11]) == "1, 3, 5, 7, 9, 11"


def test_the_summary_of_a_file_with_more_problems_than_listed_counts_those_not_listed(capsys, sample_url, tmp_path):
    """1,686 rows with an unknown store id and a negative count ended "242 errors on 1,000 rows": two of the 242
    were the lines "and 686 more errors in this column", and the 686 rows they count were not in the 1,000."""
    from conftest import DATA

    lines = (DATA / "observations.csv").read_text().splitlines()
    bad = [lines[0]] + ["S99," + line.split(",", 1)[1].replace(",", ",-", 3).replace(",-", ",", 2)
                        for line in lines[1:]]  # S99, and visitors negative
    (path := tmp_path / "bad.csv").write_text("\n".join(bad) + "\n")
    code, said = _run(capsys, "--database-url", sample_url, "validate", str(path))
    listed = [line for line in said.splitlines() if line.startswith(str(path)) and "more errors" not in line]
    assert code == EXIT_INPUT and "and 686 more errors in this column" in said
    more = sum(int(line.split("and ")[1].split(" more")[0]) for line in said.splitlines() if "more errors in" in line)
    assert more > 686
    assert re.search(rf"{len(listed)} errors on [\d,]+ rows, {more:,} more errors not listed, no warnings in 1 file",
                     said)


def test_reading_many_files_draws_no_bar_into_a_log(capsys, sample_url):
    """`validate data/*.csv 2>log` wrote "reading:   0%|          | 0/5 [00:00<?, ?file/s]reading: 100%|..." into
    the log: the bar of reading five files or more was drawn whether standard error was a terminal or not, as no
    other bar of the command line is."""
    from conftest import DATA

    files = [str(path) for path in sorted(DATA.glob("*.csv"))]
    assert len(files) >= 5
    main(["--database-url", sample_url, "validate", *files])
    assert "reading" not in capsys.readouterr().err


def test_a_draft_without_a_shift_is_not_said_to_be_published_by_a_command_that_refuses(capsys, sample_url, tmp_path):
    """`plan` of a store never counted saved a draft with no shift and ended "`plans publish 2` publishes it"; that
    command then refused it ("has no shift, as the store has no counts")."""
    week = _store_never_counted(sample_url, tmp_path)
    capsys.readouterr()
    code = main(["--database-url", sample_url, "plan", "--week", week, "--store", "S01", "--store", "S10"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert code == 0 and last == (f"saved as plans 1, 2 (drafts; `python -m planner plans publish 1` publishes it; plan "
                                  f"2 ({'S10'} {week}) has no shift, so it is not published: see above)")
    assert main(["--database-url", sample_url, "plans", "publish", "2"]) == EXIT_INPUT  # as the line says


def test_review_of_a_store_never_counted_names_a_plan_that_can_be_published(capsys, sample_url, tmp_path):
    """`review --store S10` (never counted) said "`plan --week W --store S10 --publish` makes and publishes one";
    that command refused: a plan of a store without counts has no shift. With --min-staff-cover it has, and is."""
    week = _store_never_counted(sample_url, tmp_path)
    capsys.readouterr()
    code, said = _run(capsys, "--database-url", sample_url, "review", "--store", "S10", "--week", week)
    command = f"python -m planner plan --week {week} --store S10 --min-staff-cover --publish"
    assert code == 0 and said.strip() == (f"no published plan for S10 in {week}: S10 has no counts yet, so a plan of it "
                                          f"has shifts only at the store's minimum staff: `{command}` makes and "
                                          "publishes one")
    assert main(["--database-url", sample_url, *command.split()[3:]]) == 0


def test_roster_show_of_a_store_without_employees_says_to_import_them_first(capsys, sample_url, tmp_path):
    """`roster --show --store S10` (no employees yet) said "`roster --store S10 --week W --publish` makes and
    publishes one"; that command then refused: "S10 has no employees yet"."""
    _store_never_counted(sample_url, tmp_path)
    capsys.readouterr()
    code, said = _run(capsys, "--database-url", sample_url, "roster", "--show", "--store", "S10", "--week", "2099-W10")
    assert code == 0 and said.strip() == ("no roster is published for S10 in 2099-W10: S10 has no employees yet: import "
                                          "an employee file first (python -m planner import EMPLOYEES.csv, or the "
                                          "Upload page; columns: see the README, 'Employee file')")


def test_a_date_given_as_a_week_names_the_week_it_is_in(capsys, settings):
    """`plan --week 2026-12-07` said "'2026-12-07' is not an ISO week such as 2026-W50": the week it is in is known."""
    code, said = _run(capsys, "--database-url", settings.resolved_database_url(), "plan", "--week", "2026-12-07")
    assert code == EXIT_INPUT and len(said.strip().splitlines()) == 1
    assert "argument --week: '2026-12-07' is a date, not an ISO week: it is in 2026-W50 (Mon 7 Dec to Sun 13 Dec " \
           "2026)" in said


@pytest.mark.parametrize("typed", ["s01", "S0\uff11"])
def test_a_store_file_row_whose_id_reads_as_a_stored_one_is_warned_of(capsys, sample_url, tmp_path, typed):
    """A store file with 's01' (a slip for 'S01') validated "ready to import", said only that S01 "is not in this
    file", and import added a second Berlin Mitte store beside S01, with no counts."""
    from conftest import DATA

    stores = (DATA / "stores.csv").read_text().splitlines()
    (slip := tmp_path / "stores.csv").write_text("\n".join([stores[0], stores[1].replace("S01,", f"{typed},", 1)])
                                                 + "\n", encoding="utf-8")
    code, said = _run(capsys, "--database-url", sample_url, "validate", str(slip))
    assert code == 0 and (f"stores.csv:2: store_id: warning: store '{typed}' is new, and reads as the stored 'S01' "
                          "written in another case or width") in said


@pytest.mark.parametrize("typed", ["s01-e01", "S01-E0\uff11"])
def test_an_employee_file_row_whose_id_reads_as_a_stored_ones_is_warned_of(capsys, sample_url, tmp_path, typed):
    """An employee file with 's01-e01' (a slip for the stored 'S01-E01') validated "ready to import" without a word,
    and import added a second Karl R. beside S01-E01, with none of his absences: warned of as a store id is."""
    from conftest import DATA

    people = (DATA / "employees.csv").read_text().splitlines()
    (slip := tmp_path / "employees.csv").write_text(
        "\n".join([people[0], people[1].replace("S01-E01,", f"{typed},", 1)]) + "\n", encoding="utf-8")
    code, said = _run(capsys, "--database-url", sample_url, "validate", str(slip))
    assert code == 0, said
    assert (f"employees.csv:2: employee_id: warning: employee id '{typed}' is new, and reads as the stored 'S01-E01' "
            "written in another case or width. It is imported as a person of their own, beside S01-E01 and without "
            "their absences: if it is S01-E01, write 'S01-E01'.") in said
    (same := tmp_path / "same.csv").write_text("\n".join(people[:2]) + "\n", encoding="utf-8")
    code, said = _run(capsys, "--database-url", sample_url, "validate", str(same))
    assert code == 0 and "no warnings" in said, said  # the stored id itself is no slip


@pytest.mark.parametrize("args, says", [
    (["recommend", "--store", "S01", "--target-service-level", "0,8"], "'0,8' is not a share (write 0.8: a decimal "
                                                                        "point, not a comma)"),
    (["recommend", "--store", "S01", "--target-service-level", "80%"], "'80%' is not a share (write 0.8 for 80%)"),
    (["simulate", "--store", "S01", "--demand-scale", "1,2"], "'1,2' is not a demand factor (write 1.2: a decimal "
                                                              "point, not a comma)"),
])
def test_a_number_written_the_european_way_or_as_a_percentage_is_told_how_to_write_it(capsys, settings, args, says):
    """`--target-service-level 0,8` said "'0,8' is not a share: give a share from 0.01 to 0.99, e.g. 0.8", leaving the
    reader to spot the comma; "80%" the same."""
    code, said = _run(capsys, "--database-url", settings.resolved_database_url(), *args)
    assert code == EXIT_INPUT and says in said


def test_a_thousands_comma_is_not_read_as_a_decimal_comma(capsys, settings):
    code, said = _run(capsys, "--database-url", settings.resolved_database_url(), "schedule", "--budget", "1,000")
    assert code == EXIT_INPUT and "'1,000' is not a number of hours: give" in said and "write" not in said


def test_an_empty_database_url_is_refused_not_read_as_the_default(capsys, monkeypatch, tmp_path):
    """`--database-url "$PLANNER_DB"` with the variable unset planned against the embedded database (or whatever
    PLANNER_DATABASE_URL named) without a word: a chain's import went to an empty file of the project."""
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    code, said = _run(capsys, "--database-url", "", "stores")
    assert code == EXIT_INPUT and len(said.strip().splitlines()) == 1
    assert "argument --database-url: the URL is empty: give one" in said
    assert not (tmp_path / "other.db").exists()


def test_simulating_a_plan_of_a_store_never_counted_says_there_is_no_demand(capsys, sample_url, tmp_path):
    """`simulate --plan ID` of a store never counted printed an empty table, "hours at risk (0): none" and "customers
    lost a week: 0", as if its week had gone well; `simulate --store` of it says there is no demand to simulate."""
    week = _store_never_counted(sample_url, tmp_path)
    assert main(["--database-url", sample_url, "plan", "--week", week, "--store", "S10"]) == 0
    capsys.readouterr()
    code, said = _run(capsys, "--database-url", sample_url, "simulate", "--plan", "1", "--replications", "2")
    assert code != 0 and "customers lost a week" not in said
    assert "plan 1: S10 had no counts when it was made, so there is no demand to simulate" in said


def test_publish_of_stores_named_publishes_the_counted_ones_and_names_one_never_counted_left_out(capsys, sample_url,
                                                                                                  tmp_path):
    """`plan --store S01 --store S10 --publish` (S10 never counted) refused the whole plan, S01's too, where the Plans
    page's *Make and publish* with S01 and S10 picked publishes S01's plan and names S10 left out, and `plan --publish`
    without --store does the same. It now does as they do: S01 published, S10 named on a `left out:` line, no plan of
    S10 saved, exit 1 as without --store: not every store asked for is published."""
    from planner import storage
    from planner.settings import Settings

    week = _store_never_counted(sample_url, tmp_path)
    capsys.readouterr()
    code = main(["--database-url", sample_url, "plan", "--week", week, "--store", "S01", "--store", "S10",
                 "--publish"])
    captured = capsys.readouterr()
    assert code == EXIT_INPUT, captured.err
    assert [line for line in captured.out.splitlines() if line.startswith("published plan ")] == [
        f"published plan 1: S01 {week}"]
    assert captured.err.strip().splitlines()[-2:] == [
        f"left out: S10 has no counts yet, so there is nothing to plan its staff from: no plan of it is saved or "
        f"published for {week}. Import its counts (python -m planner import FILE), then make its plan; or plan it "
        "with the store's minimum staff (min_staff cover: `plan --min-staff-cover`, or the Settings page's switch).",
        "not all published: S10 left out as said above; the rest of the plan is published"]
    listed = storage.list_plans(storage.connect(Settings(database_url=sample_url)))
    assert listed["store_id"].tolist() == ["S01"] and listed["status"].tolist() == ["published"]


def test_publish_of_stores_named_none_counted_or_one_unknown_is_refused_whole(capsys, sample_url, tmp_path):
    """Where no store asked for has counts there is nothing else to publish: `plan --store S10 --publish` is refused
    by name, nothing saved, as before. A store id that is no store beside one never counted is refused as unknown,
    not said to have no counts."""
    from planner import storage
    from planner.settings import Settings

    week = _store_never_counted(sample_url, tmp_path)
    capsys.readouterr()
    code, said = _run(capsys, "--database-url", sample_url, "plan", "--week", week, "--store", "S10", "--publish")
    assert code == EXIT_INPUT and said.strip().splitlines()[-1].startswith(
        f"error: no plan was saved or published: the plan of S10 {week}"), said
    assert "left out:" not in said
    code, said = _run(capsys, "--database-url", sample_url, "plan", "--week", week, "--store", "S01", "--store", "S10",
                      "--store", "S99", "--publish")
    assert code == EXIT_INPUT and "unknown store id: S99" in said and "left out:" not in said, said
    assert storage.list_plans(storage.connect(Settings(database_url=sample_url))).empty


def test_a_chains_publish_publishes_the_counted_stores_and_names_a_new_store_left_out(capsys, sample_url, tmp_path):
    """`plan --week W --publish` of every store, with S10 new and never counted, published nothing: "no plan was saved
    or published: the plan of S10 ... has no shift". As the Plans page's *Make and publish* now does, it publishes
    the other stores' plans, names S10 on a `left out:` line with why and what to do, saves no plan of S10, and
    exits 1: not every store's plan is published."""
    from planner import storage
    from planner.settings import Settings

    week = _store_never_counted(sample_url, tmp_path)
    capsys.readouterr()
    code = main(["--database-url", sample_url, "plan", "--week", week, "--publish"])
    captured = capsys.readouterr()
    assert code == EXIT_INPUT, captured.err
    stores = [f"S0{n}" for n in range(1, 10)]
    assert [line.split(": ")[1] for line in captured.out.splitlines() if line.startswith("published plan ")] == [
        f"{store} {week}" for store in stores]
    errors = captured.err.strip().splitlines()
    assert errors[-2:] == [
        f"left out: S10 has no counts yet, so there is nothing to plan its staff from: no plan of it is saved or "
        f"published for {week}. Import its counts (python -m planner import FILE), then make its plan; or plan it "
        "with the store's minimum staff (min_staff cover: `plan --min-staff-cover`, or the Settings page's switch).",
        "not all published: S10 left out as said above; the rest of the plan is published"]
    listed = storage.list_plans(storage.connect(Settings(database_url=sample_url)))
    assert sorted(listed["store_id"]) == stores and set(listed["status"]) == {"published"}


def _store_that_cannot_be_planned(sample_url: str) -> str:
    """S03's stored Saturday run into its Sunday open from midnight (a row stored before the overlap checks, as
    `tests/test_stored_overlaps.py` stores it): S03 cannot be planned. Returns the start of its reason."""
    import sqlite3

    with sqlite3.connect(sample_url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE stores SET sat = '18:00-06:00', sun = '00:00-24:00' WHERE store_id = 'S03'")
    return "S03 cannot be planned: its stored store row has opening hours that overlap: Saturday's opening"


def _left_out(err: str) -> dict[str, str]:
    """store_id -> its `left out:` line's reason, of standard error."""
    return {line.removeprefix("left out: ").split(" ", 1)[0].removesuffix("'s"): line.removeprefix("left out: ")
            for line in err.splitlines() if line.startswith("left out: ")}


def test_publish_naming_a_store_that_cannot_be_planned_and_one_never_counted_publishes_the_rest(capsys, sample_url,
                                                                                                tmp_path):
    """`plan --store S01 --store S03 --store S10 --publish`, S03 stored with overlapping hours and S10 never counted,
    was refused whole ("S03 cannot be planned ..."), S01's plan too, where the Plans page's *Make and publish* with
    the same stores picked publishes S01's. S01 is now published, S03 and S10 are each named on a `left out:` line
    with their own reason and fix, nothing of them is saved, and the command exits 1."""
    from planner import storage
    from planner.settings import Settings

    week = _store_never_counted(sample_url, tmp_path)
    s03 = _store_that_cannot_be_planned(sample_url)
    capsys.readouterr()
    code = main(["--database-url", sample_url, "plan", "--week", week, "--store", "S01", "--store", "S03", "--store",
                 "S10", "--publish"])
    captured = capsys.readouterr()
    assert code == EXIT_INPUT, captured.err
    assert [line for line in captured.out.splitlines() if line.startswith("published plan ")] == [
        f"published plan 1: S01 {week}"]
    left_out = _left_out(captured.err)
    assert sorted(left_out) == ["S03", "S10"], captured.err
    assert left_out["S03"].startswith(s03) and "End Saturday at 24:00 or open Sunday at 06:00" in left_out["S03"]
    assert left_out["S10"].startswith("S10 has no counts yet") and "`plan --min-staff-cover`" in left_out["S10"]
    assert captured.err.strip().splitlines()[-1] == (
        "not all published: S03, S10 left out as said above; the rest of the plan is published")
    listed = storage.list_plans(storage.connect(Settings(database_url=sample_url)))
    assert listed["store_id"].tolist() == ["S01"] and listed["status"].tolist() == ["published"]


def test_publish_of_only_a_store_that_cannot_be_planned_and_one_never_counted_is_refused_naming_both(
        capsys, sample_url, tmp_path):
    """With no store asked for that can be published, nothing is: the refusal names each store with its own reason,
    in the command line's words (it named S03 alone, and S10's no counts came only once S03 was put right)."""
    from planner import storage
    from planner.settings import Settings

    week = _store_never_counted(sample_url, tmp_path)
    s03 = _store_that_cannot_be_planned(sample_url)
    capsys.readouterr()
    code, said = _run(capsys, "--database-url", sample_url, "plan", "--week", week, "--store", "S03", "--store", "S10",
                      "--publish")
    refused = said.strip().splitlines()[-1]
    assert code == EXIT_INPUT and refused.startswith("error: no plan was saved or published: no store asked for can be "
                                                     f"published. {s03}"), said
    assert "S10 has no counts yet" in refused and "`plan --min-staff-cover`" in refused, refused
    assert "Upload page" not in refused.split("S10 has no counts")[1] and "left out:" not in said, refused
    assert storage.list_plans(storage.connect(Settings(database_url=sample_url))).empty


def test_a_draft_naming_a_store_that_cannot_be_planned_plans_the_rest_and_names_it_left_out(capsys, sample_url,
                                                                                          tmp_path):
    """`plan --store S01 --store S03 --store S10` (no --publish), S03 stored with overlapping hours, refused the whole
    plan naming S03, where the Plans page's *Make plan* with the same stores picked saves S01's and S10's drafts and
    names S03 left out. It now does as the page does (`saved_plans.plannable_request`): S03 named on a `left out:`
    line with its reason and fix, nothing of it saved, the others saved as drafts (S10, never counted, as the page
    keeps it: a draft with no counts yet), and exit 1 as `plan --publish` leaving a store out: not every store asked
    for is planned."""
    from planner import storage
    from planner.settings import Settings

    week = _store_never_counted(sample_url, tmp_path)
    s03 = _store_that_cannot_be_planned(sample_url)
    capsys.readouterr()
    code = main(["--database-url", sample_url, "plan", "--week", week, "--store", "S01", "--store", "S03", "--store",
                 "S10"])
    captured = capsys.readouterr()
    assert code == EXIT_INPUT, captured.err
    assert "saved as plans 1, 2 (drafts;" in captured.out, captured.out
    left_out = _left_out(captured.err)
    assert list(left_out) == ["S03"], captured.err
    assert left_out["S03"].startswith(s03) and "End Saturday at 24:00 or open Sunday at 06:00" in left_out["S03"]
    assert captured.err.strip().splitlines()[-1] == (
        "not all planned: S03 left out as said above; the rest of the plan is saved as drafts")
    listed = storage.list_plans(storage.connect(Settings(database_url=sample_url)))
    assert sorted(listed["store_id"]) == ["S01", "S10"] and set(listed["status"]) == {"draft"}


def test_a_draft_naming_a_store_that_cannot_be_planned_and_an_unknown_id_leaves_the_request_as_it_is(
        capsys, sample_url):
    """`plan --store S03 --store S99` (S03 stored with overlapping hours, S99 no store): the draft's stores
    (`plannable_request`) left S03 out and kept S99 alone, for the plan to refuse as unknown, so S03's reason was
    decided and never said, and the Plans page counted one store planned. As a publish's stores
    (`publishable_request`) do, an id that is no store now leaves the request as it is: the plan refuses it by name,
    nothing is left out and nothing saved."""
    from planner import storage
    from planner.plans import PlanRequest
    from planner.saved_plans import plannable_request, stores_planned
    from planner.settings import Settings

    _store_that_cannot_be_planned(sample_url)
    engine = storage.connect(Settings(database_url=sample_url))
    request = PlanRequest(weeks=("2026-W50",), store_ids=("S03", "S99"), settings=Settings())
    assert plannable_request(engine, request, None) == (request, {})
    assert stores_planned(engine, request) == (("S03", "S99"), {})
    capsys.readouterr()
    code, said = _run(capsys, "--database-url", sample_url, "plan", "--week", "2026-W50", "--store", "S03",
                      "--store", "S99")
    assert code == EXIT_INPUT and "unknown store id: S99" in said and "left out:" not in said, said
    assert storage.list_plans(storage.connect(Settings(database_url=sample_url))).empty


def test_a_draft_of_only_stores_that_cannot_be_planned_is_refused_naming_each(capsys, sample_url, tmp_path):
    """With no store named that can be planned there is nothing else to plan: refused whole, nothing saved, each
    store with its own reason (it named S03's stored row alone, and S07's calendar came only once S03 was put
    right), as `plan --publish` names each store it cannot publish."""
    import sqlite3

    from planner import storage
    from planner.settings import Settings
    from planner.weeks import IsoWeek

    week = _store_never_counted(sample_url, tmp_path)
    s03 = _store_that_cannot_be_planned(sample_url)
    sunday = IsoWeek.parse(week).dates()[-1]  # S07 opens Saturday 10:00-01:00: a Sunday open from midnight overlaps
    with sqlite3.connect(sample_url.removeprefix("sqlite:///")) as db:
        db.execute("INSERT INTO calendar_exceptions (store_id, date, closed, opens, closes, demand_factor) "
                   "VALUES ('S07', ?, 0, '00:00', '24:00', 1.0)", (sunday.isoformat(),))
    capsys.readouterr()
    code, said = _run(capsys, "--database-url", sample_url, "plan", "--week", week, "--store", "S03", "--store", "S07")
    refused = said.strip().splitlines()[-1]
    assert code == EXIT_UNAVAILABLE and refused.startswith(f"error: {s03}"), said
    assert f"S07 cannot be planned for {week}: with its calendar" in refused, refused
    assert "left out:" not in said and "saved as" not in said, said
    assert storage.list_plans(storage.connect(Settings(database_url=sample_url))).empty


def _budget_without_whole_shifts(sample_url: str) -> None:
    """The chain's saved settings at full cover within 300 staff-hours a week: S08's week fits it (229 with no
    budget), S01's does not (501 required), so S01's plan has no shift."""
    from planner import storage
    from planner.settings import Settings

    engine = storage.connect(Settings(database_url=sample_url))
    chain = storage.chain_settings_of(engine)
    storage.save_settings(engine, chain.with_shift_rules(weekly_budget_staff_hours=300.0, hard_coverage=True), "test")
    engine.dispose()


def test_publish_of_a_counted_store_whose_plan_has_no_shift_publishes_the_other_stores(capsys, sample_url):
    """`plan --store S01 --store S08 --publish` with S01's plan left without a shift by the budget refused the whole
    plan, S08's too, naming --store to publish S08's. S08's plan is now published, S01 named on a `left out:` line
    with why (its plan's status) and what to do in the command line's words, nothing of S01 saved, exit 1. With S01
    alone asked for nothing can be published: refused whole, as before."""
    from datetime import timedelta

    from planner import clock, storage
    from planner.settings import Settings
    from planner.weeks import IsoWeek

    week = str(IsoWeek.of(clock.today() + timedelta(days=7)))  # a week to come, whatever the day the tests run
    _budget_without_whole_shifts(sample_url)
    capsys.readouterr()
    code = main(["--database-url", sample_url, "plan", "--week", week, "--store", "S01", "--store", "S08",
                 "--publish"])
    captured = capsys.readouterr()
    assert code == EXIT_INPUT, captured.err
    assert [line for line in captured.out.splitlines() if line.startswith("published plan ")] == [
        f"published plan 1: S08 {week}"]
    left_out = _left_out(captured.err)
    assert list(left_out) == ["S01"], captured.err
    assert left_out["S01"].startswith(f"S01's plan has no shift in {week} (66 open hours; no schedule within the "
                                      "budget can keep every rule), so it would tell the store to staff nobody: it is not saved or "
                                      "published."), left_out
    assert "python -m planner settings set weekly_budget_staff_hours=" in left_out["S01"], left_out
    assert "Its schedule says: no schedule meets every required hour within 300 h: one that does pays at least " \
        in left_out["S01"] and "whole shifts" not in left_out["S01"], left_out
    assert "Settings page" not in left_out["S01"], left_out
    assert captured.err.strip().splitlines()[-1] == (
        "not all published: S01 left out as said above; the rest of the plan is published")
    engine = storage.connect(Settings(database_url=sample_url))
    listed = storage.list_plans(engine)
    assert listed["store_id"].tolist() == ["S08"] and listed["status"].tolist() == ["published"]
    # the part published keeps the digest of the chain's counts it was made from, as a whole plan does (it was lost,
    # so the plan was taken for one saved before plans kept it and made again at every change of the chain)
    from planner.pipeline import pooled_inputs_digest
    from planner.plans import Plan

    saved = Plan.from_json(storage.load_plan(engine, int(listed["plan_id"].iloc[0])).document)
    assert saved.pooled_inputs is not None and saved.pooled_inputs == pooled_inputs_digest(engine)
    code, said = _run(capsys, "--database-url", sample_url, "plan", "--week", week, "--store", "S01",
                      "--publish")
    assert code == EXIT_INPUT and said.strip().splitlines()[-1].startswith(
        f"error: no plan was saved or published: the plan of S01 {week} (66 open hours; no schedule within the "
        "budget can keep every rule) has no shift"), said
    assert "left out:" not in said and len(storage.list_plans(engine)) == 1
    engine.dispose()


def test_validate_json_counts_the_errors_past_the_cap_as_errors(capsys, sample_url, tmp_path):
    """`validate --format json` of a file with 1,686 unknown store ids said "errors": 1001: the 1,000 listed and the
    line "and 686 more errors in this column" counted as one."""
    import json

    from conftest import DATA

    lines = (DATA / "observations.csv").read_text().splitlines()
    (path := tmp_path / "bad.csv").write_text("\n".join([lines[0]] + ["S99," + line.split(",", 1)[1]
                                                                       for line in lines[1:]]) + "\n")
    code = main(["--database-url", sample_url, "validate", "--format", "json", str(path)])
    report = json.loads(capsys.readouterr().out)
    assert code == EXIT_INPUT and report["errors"] == len(lines) - 1 == 1686


@pytest.mark.parametrize("written, says", [
    ("30.12.2026", "'30.12.2026' is not a date in the form YYYY-MM-DD (write 2026-12-30)"),
    ("30/12/2026", "'30/12/2026' is not a date in the form YYYY-MM-DD (write 2026-12-30)"),
    ("12/30/2026", "'12/30/2026' is not a date in the form YYYY-MM-DD (write 2026-12-30)"),
    ("30-12-2026", "'30-12-2026' is not a date in the form YYYY-MM-DD (write 2026-12-30)"),  # was no hint at all
    ("05/06/2026", "'05/06/2026' is not a date in the form YYYY-MM-DD (write 2026-06-05 for 5 June or "
                   "2026-05-06 for 6 May)"),  # no guess: both readings, for the writer to pick
])
def test_a_date_written_day_first_is_told_how_to_write_it(capsys, sample_url, tmp_path, written, says):
    """A calendar row dated '30.12.2026' (a German spreadsheet's way) said only "is not a date in the form
    YYYY-MM-DD": the date it reads as, when only one reading exists, is said."""
    (path := tmp_path / "calendar.csv").write_text(f"store_id,date,closed,hours,demand_factor,note\n"
                                                   f"S05,{written},yes,,,inventory\n")
    code, said = _run(capsys, "--database-url", sample_url, "validate", str(path))
    assert code == EXIT_INPUT and says in said


def test_a_store_number_without_its_leading_zero_is_the_padded_store_not_a_longer_one():
    """With S01 and S10 both stores, 'S1' was offered S10 (difflib scores them alike and took the later name)."""
    from planner.words import nearest

    assert nearest("S1", ["S01", "S02", "S10"]) == "S01"
    assert nearest("S1", ["S10", "S01"]) == "S01"
    assert nearest("S100", ["S01", "S10", "S100X"]) == "S100X"  # not a number slip: the closest name


def test_every_flag_and_argument_says_in_its_help_what_it_is():
    """`review --help` listed `--store S` with no word, `validate --help` `--format {text,json}`, `users add --help`
    `--role` and NAME: what to give there was left to guess."""
    import argparse

    from planner.cli import _parser

    def unexplained(parser, path):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, command in action.choices.items():
                    yield from unexplained(command, [*path, name])
            elif not isinstance(action, argparse._HelpAction) and not action.help:
                yield " ".join([*path, "/".join(action.option_strings) or action.metavar or action.dest])

    assert list(unexplained(_parser(), [])) == []


@pytest.mark.parametrize("flag, typed, meant", [("--target-service-level", "80", "0.8"),
                                                ("--max-abandon-share", "5", "0.05"),
                                                ("--target-service-level", "95.5", "0.955")])
def test_a_share_typed_as_a_percentage_without_its_sign_says_the_share_meant(capsys, flag, typed, meant):
    """`--target-service-level 80` said only "'80' makes no sense here", where '80%' was told "write 0.8 for 80%"."""
    code, out = _run(capsys, "recommend", flag, typed)
    assert code == EXIT_INPUT and f"'{typed}' makes no sense here (write {meant} for {typed}%): give a share" in out, \
        out


@pytest.mark.parametrize("typed", ["800", "99.5", "1"])  # 99.5% is beyond the 0.99 allowed; '1' is likelier all
def test_a_share_no_percentage_makes_allowed_is_not_offered_as_one(capsys, typed):
    code, out = _run(capsys, "recommend", "--target-service-level", typed)
    assert code == EXIT_INPUT and f"'{typed}' makes no sense here: give a share" in out, out


def _workbook(path, *sheets: tuple[str, list[list[str]]]):
    """A workbook at `path` of the named sheets, in order (`hostile_files.sheets_bytes`)."""
    path.write_bytes(sheets_bytes(*sheets))
    return path


CALENDAR_ROWS = [["store_id", "date", "closed", "hours", "demand_factor", "note"],
                 ["S01", "2026-12-24", "no", "10:00-14:00", "1.3", "Christmas Eve"]]
PLAN_WITH_IT = "python -m planner plan --calendar FILE ..."
"""The command a fix of `plan --calendar`'s file names to read it again: the plan the user ran."""


def test_the_fixes_of_a_plan_calendar_file_name_the_plan_not_an_import(capsys, sample_url, tmp_path):
    """`plan --calendar FILE`'s fixes said "import it again (python -m planner import FILE)" (its calendar days on
    another sheet, a file that is no table): `import` stores the calendar and plans nothing, where what reads the
    file again is the plan the user ran (as `roster replan --absence` names the re-plan)."""
    elsewhere = _workbook(tmp_path / "days.xlsx", ("Sheet1", []), ("Days", CALENDAR_ROWS))
    (binary := tmp_path / "days.csv").write_bytes(b"\x00\x01PK not text")
    said = {}
    for path in (elsewhere, binary):
        code, out = _run(capsys, "--database-url", sample_url, "plan", "--week", "2026-W52", "--store", "S01",
                         "--calendar", str(path))
        assert code == EXIT_INPUT and "nothing was planned" in out and "Traceback" not in out
        (said[path.name],) = [line for line in out.splitlines() if line.startswith(str(path))]
    assert said["days.xlsx"].endswith("Move that sheet first or save it as its own file, and plan with it again "
                                      f"({PLAN_WITH_IT})."), said
    assert said["days.csv"].endswith(f"Plan with a CSV or XLSX file ({PLAN_WITH_IT})."), said
    # `import --calendar` of the same workbook still names the import
    code, out = _run(capsys, "--database-url", sample_url, "import", "--calendar", str(elsewhere))
    assert code == EXIT_INPUT and "and import it again (python -m planner import FILE)." in out, out


@pytest.mark.parametrize("argv, flag, wrong_rows, words, reads_it", [
    (["import", "--stores"], "--stores", CALENDAR_ROWS, "calendar days, not stores", "import --calendar"),
    (["validate", str(DATA / "observations.csv"), "--stores"], "--stores", CALENDAR_ROWS, "calendar days, not stores",
     "import --calendar"),
    (["import", "--calendar"], "--calendar", None, "stores, not calendar days", "import --stores"),
    (["plan", "--week", "2026-W52", "--store", "S01", "--calendar"], "--calendar", None, "stores, not calendar days",
     "import --stores"),
    (["plan", "--week", "2026-W52", "--store", "S01", "--calendar"], "--calendar", "observations",
     "observations, not calendar days", "import"),
])
def test_a_workbook_of_another_kind_behind_an_empty_first_sheet_is_refused_under_its_flag(
        capsys, sample_url, tmp_path, argv, flag, wrong_rows, words, reads_it):
    """`import --stores days.xlsx` (an empty first sheet, the calendar days on the second) was told "the calendar
    days are on sheet 'Days' (the 2nd) ... Move that sheet first": moved, the file is then refused, since --stores
    takes the store file. Such a workbook is refused at once as the wrong file, as the same rows on the first sheet
    are (and as `roster replan --absence` refuses one), in words that name what its rows are and the command that
    reads them: `validate --stores` still said to move the sheet, and `plan --calendar` to name the file "without
    --calendar", which leaves the plan without it and the file unread."""
    if wrong_rows in (None, "observations"):  # the store file's (the counts') rows on the second sheet
        source = DATA / ("stores.csv" if wrong_rows is None else "observations.csv")
        wrong_rows = [line.split(",") for line in source.read_text().splitlines()[:20]]
    path = _workbook(tmp_path / "wrong.xlsx", ("Sheet1", []), ("Days", wrong_rows))
    code, out = _run(capsys, "--database-url", sample_url, *argv, str(path))
    assert code == EXIT_INPUT and "Traceback" not in out and len(out.strip().splitlines()) == 1, out
    assert f"{flag} takes the " in out and f"this reads as a file of {words}" in out, out
    assert f"`python -m planner {reads_it} {path}`" in out, out
    assert "Move that sheet" not in out and f"name it without {flag}" not in out, out


def test_schedule_requirements_and_simulate_schedule_say_a_workbooks_other_sheets_are_not_read(capsys, sample_url,
                                                                                             tmp_path):
    """`schedule --requirements need.xlsx` and `simulate --schedule shifts.xlsx` read the first sheet alone and said
    nothing of a second: its rows were left out without a word, where `plan --calendar` says "only the first sheet
    is read". Both now say it, with the fix naming the command that reads the file."""
    need = [["store", "day", *(f"h{h:02d}" for h in range(24))]] + [
        ["A", day, *(2 if 9 <= h < 13 else 0 for h in range(24))] for day in range(7)]
    path = _workbook(tmp_path / "need.xlsx", ("Need", need), ("Notes", [["store", "day"], ["B", 0]]))
    code, said = _run(capsys, "schedule", "--requirements", str(path), "--serial", "--out-dir", str(tmp_path / "out"))
    assert code == 0, said
    assert "only the first sheet ('Need') is read; 'Notes' ignored" in said
    assert "Put every row to schedule with on the first sheet" in said
    shifts = [list(row) for row in
              (line.split(",") for line in (tmp_path / "out" / "shifts.csv").read_text().splitlines())]
    shifts = [shifts[0]] + [["S01", *row[1:]] for row in shifts[1:]]  # the shifts as S01's, to simulate there
    path = _workbook(tmp_path / "shifts.xlsx", ("Shifts", shifts), ("Old", [["store_id"], ["S01"]]))
    code, said = _run(capsys, "--database-url", sample_url, "simulate", "--store", "S01", "--schedule", str(path),
                      "--replications", "100")
    assert code == 0, said
    assert "only the first sheet ('Shifts') is read; 'Old' ignored" in said
    assert "Put every row to simulate with on the first sheet" in said


def test_a_file_of_a_header_alone_is_told_to_take_its_rows_not_to_import_them(capsys, tmp_path):
    """A file holding its header alone was told "Add the rows to import under the header row." by every command,
    `schedule --requirements` too, which imports nothing: the fix now names the file's rows by its kind where the
    reader knows it ("the absences"), else as every command's ("the rows")."""
    from planner.errors import InputRejected
    from planner.io import read_table
    from planner.io.employees import ABSENCE_ROWS_ARE

    header = ["store", "day", *(f"h{h:02d}" for h in range(24))]
    (csv := tmp_path / "need.csv").write_text(",".join(header) + "\n", encoding="utf-8")
    workbook = _workbook(tmp_path / "need.xlsx", ("Need", [header]), ("Notes", [["note"], ["x"]]))
    for path in (csv, workbook):
        code, said = _run(capsys, "schedule", "--requirements", str(path))
        assert code == EXIT_INPUT and "has a header but no rows below it" in said, said
        assert "to import" not in said and said.rstrip().endswith("Add the rows under the header row."), said
    for content, name in ((b"employee_id,first_day\n", "away.csv"), (workbook.read_bytes(), "away.xlsx")):
        with pytest.raises(InputRejected) as rejected:
            read_table(content, name, rows_are=ABSENCE_ROWS_ARE)
        assert rejected.value.problems[0].fix == "Add the absences under the header row."


def test_a_slip_ending_in_did_you_mean_is_followed_by_its_fix_without_a_stray_full_stop(capsys, settings, tmp_path):
    """A sentence ending "did you mean ...?" took a full stop before the fix joined to it ("did you mean
    target_service_level?. Fix it ..."): a setting misspelt, a column misspelt in a file, a zone misspelt."""
    url = settings.resolved_database_url()
    code, said = _run(capsys, "--database-url", url, "settings", "set", "target_servce_level=0.9")
    assert code == EXIT_INPUT
    assert "did you mean target_service_level? Fix it and run the command again" in said, said
    stores = (DATA / "stores.csv").read_text(encoding="utf-8").splitlines()
    (file := tmp_path / "stores.csv").write_text(f"{stores[0]},time_zon\n{stores[1]},Europe/London\n", encoding="utf-8")
    code, said = _run(capsys, "--database-url", url, "validate", str(file))
    assert "column 'time_zon' is not used: did you mean 'time_zone'? Rename its header to 'time_zone'" in said, said
    assert "?." not in said, said


@pytest.mark.parametrize("message, joined", [
    ("did you mean 'Europe/London'?", "did you mean 'Europe/London'? Fix it."),
    ("'Europe/Londn' is not an IANA time zone name (did you mean 'Europe/London'?)",
     "'Europe/Londn' is not an IANA time zone name (did you mean 'Europe/London'?). Fix it."),
    ("stop!", "stop! Fix it."),
    ("no such file.", "no such file. Fix it."),
    ("no such file", "no such file. Fix it."),
])
def test_a_problem_s_message_and_fix_read_as_two_sentences(message, joined):
    from planner.errors import InputProblem

    assert str(InputProblem("f.csv", 2, None, "", message, "Fix it.")) == f"f.csv:2: {joined}"
