"""The package's shape: dependencies flow down the pipeline; `planner/` never imports streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PLANNER = Path(__file__).resolve().parents[1] / "planner"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_planner_never_imports_streamlit():
    offenders = [p.name for p in PLANNER.rglob("*.py") if any(n.split(".")[0] == "streamlit" for n in _imports(p))]
    assert offenders == []


def test_io_and_schemas_do_not_reach_into_later_stages():
    later = ("planner.storage", "planner.intake", "planner.cli", "planner.charts", "planner.coverage")
    for path in [*(PLANNER / "io").glob("*.py"), PLANNER / "schemas.py", PLANNER / "schema_models.py",
                 PLANNER / "settings.py", PLANNER / "errors.py"]:
        assert not [n for n in _imports(path) if n.startswith(later)], path.name


def test_queueing_imports_nothing_from_planner():
    paths = [PLANNER / "erlang.py", *(PLANNER / "queueing").glob("*.py")]
    for path in (p for p in paths if p.exists()):
        assert not [n for n in _imports(path) if n.startswith("planner") and not n.startswith("planner.queueing")], path


def test_plans_calendar_and_targets_sit_below_storage_pipeline_and_cli():
    """Storage keeps plans and calendars, so neither may import storage (nor the pipeline that builds plans)."""
    later = ("planner.storage", "planner.pipeline", "planner.cli", "planner.intake", "streamlit", "app_pages")
    paths = [PLANNER / "targets.py", PLANNER / "calendar.py", PLANNER / "io" / "calendar.py", PLANNER / "review.py",
             *(PLANNER / "plans").glob("*.py")]
    for path in paths:
        assert not [n for n in _imports(path) if n.startswith(later)], path.name


def test_access_sits_below_storage_and_never_reaches_up():
    """Storage filters by a scope and keeps users, so the access values may import nothing above them."""
    allowed = ("planner.access", "planner.errors", "planner.settings", "planner.words")  # words: stdlib only
    for path in (PLANNER / "access").glob("*.py"):
        assert not [n for n in _imports(path) if n.startswith("planner") and not n.startswith(allowed)], path.name


def test_every_columns_class_lists_its_pandera_models_columns_in_order():
    """The names in `planner.schemas` (and the recommendation's) are the columns of the pandera models that check
    them, in the same order: the two are written apart so that reading names does not load pandera."""
    import planner.schema_models
    import planner.staffing.schema_models
    from planner import schemas
    from planner.staffing.schema import StaffingSchema

    classes = [c for c in vars(schemas).values()
               if isinstance(c, type) and issubclass(c, schemas.Columns) and c is not schemas.Columns]
    assert len(classes) == 6
    for names in [*classes, StaffingSchema]:
        model = names.model()
        assert model.__module__ in (planner.schema_models.__name__, planner.staffing.schema_models.__name__)
        assert names.columns() == list(model.to_schema().columns), names.__name__
        assert all(getattr(names, column) == column for column in names.columns())


def test_recommending_from_the_command_line_does_not_load_pandera(sample_url):
    """pandera (with pydantic, a quarter of a second) is for checking files and frames; `recommend --all` reads
    stored counts and only needs the column names (`python -X importtime` lists every module a run imports)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "planner", "--database-url", sample_url,
                           "recommend", "--all"], capture_output=True, text=True, cwd=PLANNER.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert {"planner.pipeline", "planner.schemas", "pandas"} <= imported
    assert not {m for m in imported if m.split(".")[0] in ("pandera", "pydantic")}


@pytest.mark.parametrize("argv", [["recommend", "--target-service-level", "1.5"], [],
                                  ["recommend", "--database-url", "postgresql://bob:s3cret@db.example/planner"],
                                  ["roster", "--week", "2026-W60"], ["plan", "--week", "2026-W50", "--week", "2026W5O"]])
def test_an_argument_error_loads_neither_pandas_nor_sqlalchemy(argv):
    """A refused flag is one line in a fifth of a second: the line's password masking loaded the whole storage layer
    (SQLAlchemy, pandas: 2-3 s) only to run three regular expressions, and reading --week loaded pandas with the
    store calendar's module. The password is still masked."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "planner", *argv], capture_output=True,
                          text=True, cwd=PLANNER.parent)
    said = [line for line in done.stderr.splitlines() if not line.startswith("import time:")]
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert done.returncode == 1 and len(said) == 1 and "s3cret" not in said[0], said
    assert not {m for m in imported if m.split(".")[0] in ("pandas", "numpy", "sqlalchemy")
                or m.startswith("planner.storage")}


def test_the_command_modules_never_import_the_command_line_entry():
    """`planner.cli` is the entry (parser, dispatch, one-line errors) and imports every command module; a command
    module importing it back (as `cli_users` once did for `BadInput`) would tie the start-up to its order."""
    modules = sorted(PLANNER.glob("cli_*.py"))
    assert len(modules) >= 8
    for path in modules:
        assert not [n for n in _imports(path)
                    if n == "planner.cli" or (n == "planner" and "cli" in _names_from(path, "planner"))], path.name


def _names_from(path: Path, module: str) -> set[str]:
    """The names `from module import ...` binds in `path`."""
    tree = ast.parse(path.read_text())
    return {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == module
            for alias in node.names}


def test_a_roster_s_findings_sit_below_its_report():
    """`planner.roster.report` makes the roster and groups its sentences from `findings`, which says them, in the
    words of `caveats` where the search proved too little: the sentences never import the report (nor anything that
    reads rosters), and the caveats never import the findings, so each split keeps one direction."""
    above = ("planner.roster.report", "planner.roster.solve", "planner.roster.replan", "planner.rostering",
             "planner.cli", "streamlit", "app_pages")
    assert not [n for n in _imports(PLANNER / "roster" / "findings.py") if n.startswith(above)]
    assert not [n for n in _imports(PLANNER / "roster" / "caveats.py") if n.startswith(above)
                or n.startswith(("planner.roster.findings", "planner.roster.check"))]
    assert "planner.roster.findings" in _imports(PLANNER / "roster" / "report.py")
    assert "planner.roster.caveats" in _imports(PLANNER / "roster" / "findings.py")


def test_the_date_a_week_is_over_by_sits_below_both_modules_that_ask_it():
    """Saved plans (publishing refused once a week is over) and `planner.intake` (the stored calendar an import is
    checked against: weeks not over) both ask `planner.clock.today`, and storage stamps by `planner.clock.now`. The
    clock imports nothing of the planner but `planner.weeks` (how PLANNER_TODAY's date is read, as `--today`'s),
    which imports nothing of it, and intake, which `saved_plans` imports, never imports `saved_plans` back (it once
    did, for `today`, inside a function)."""
    assert [n for n in _imports(PLANNER / "clock.py") if n.startswith("planner")] == ["planner.weeks"]
    assert not [n for n in _imports(PLANNER / "weeks.py") if n.startswith("planner")]
    assert not [n for n in _imports(PLANNER / "intake.py")
                if n.startswith(("planner.saved_plans", "planner.pipeline", "planner.cli", "planner.rostering"))]
    assert "planner.intake" in _imports(PLANNER / "saved_plans.py")


def test_the_roster_report_passes_on_none_of_the_findings_words():
    """A finding's words are imported from `findings`, where they are written: `report` re-exported ten of them
    (PAST, WOULD_COST_MORE, ...) that no module of the planner took from it, for the tests alone. It imports from
    `findings` only what it uses itself."""
    tree = ast.parse((PLANNER / "roster" / "report.py").read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module and node.module.startswith("planner.roster.") for alias in node.names}
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert imported and not imported - used


def test_the_date_hints_and_the_other_sheet_search_keep_checking_s_direction():
    """`planner.io.dates` (the hint of a date written day or month first) and `planner.io.sheets` (the rows on another
    sheet) were split from `planner.io.checking`: the date hints import nothing of the planner, so checking may import
    them; the sheet search imports checking and the raw table's record, so neither of those, nor the dates, nor the
    reader's modules, may import it back."""
    io = PLANNER / "io"
    assert not [n for n in _imports(io / "dates.py") if n.startswith("planner")]
    assert "planner.io.dates" in _imports(io / "checking.py")
    assert {"planner.io.checking", "planner.io.raw_table"} <= _imports(io / "sheets.py")
    for name in ("checking.py", "reading.py", "raw_table.py", "csv_reading.py", "csv_rows.py", "xlsx_reading.py",
                 "table_finish.py", "unreadable.py", "dates.py", "cells.py", "tally.py"):
        assert "planner.io.sheets" not in _imports(io / name), name


def test_the_words_import_only_their_labels_and_no_module_beside_them():
    """`planner.surfaces` (810 lines) was split by what its words are for, a page's words in a module named for the
    page: each module imports the stdlib, the settings' labels, `planner.words` and `planner.weeks` only (every layer
    that writes a fix may use them), none imports another, and the package itself imports nothing, so a name is
    read from the module that holds it."""
    allowed = {"planner.settings", "planner.words", "planner.weeks"}
    modules = sorted((PLANNER / "surfaces").glob("*.py"))
    assert len(modules) >= 8 and not (PLANNER / "surfaces.py").exists()
    for path in modules:
        assert not [n for n in _imports(path) if n.split(".")[0] == "planner" and n not in allowed], path.name
    assert _imports(PLANNER / "surfaces" / "__init__.py") == set()


READER_MODULES = {  # a module of the file reader -> those of the reader it may import: each only what is below it
    "reading": {"csv_reading", "xlsx_reading", "raw_table", "unreadable"},
    "csv_reading": {"csv_rows", "table_finish", "raw_table", "unreadable"},
    "xlsx_reading": {"table_finish", "raw_table", "unreadable"},
    "csv_rows": {"raw_table", "unreadable"},
    "table_finish": {"raw_table", "unreadable"},
    "raw_table": set(),
    "unreadable": set(),
}


def test_the_file_reader_s_modules_import_only_those_below_them():
    """`planner.io.reading` (660 lines) was split along its seams: the record it gives, the CSV reader and the rows
    its parser cannot take, the workbook reader, the last step both share, the one-problem refusal. The entry
    (`read_table`) tells CSV from XLSX; no part imports the entry or a part beside it."""
    io = PLANNER / "io"
    for name, allowed in READER_MODULES.items():
        used = {n.removeprefix("planner.io.") for n in _imports(io / f"{name}.py") if n.startswith("planner.io.")}
        assert used & set(READER_MODULES) == allowed, name


NO_PASSING_ON = {
    "planner.accounts": PLANNER / "accounts.py",
    "planner.cli": PLANNER / "cli.py",
    "planner.storage.audit": PLANNER / "storage" / "audit.py",
    "app_pages.roster_data": PLANNER.parent / "app_pages" / "roster_data.py",
}
"""Modules that passed on names of other modules, which callers then read through them."""


def _only_imported(path: Path) -> set[str]:
    """The names a module binds by its own top-level imports and does not define."""
    body = ast.parse(path.read_text()).body
    imported = {(alias.asname or alias.name).split(".")[0] for node in body
                if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
    defined = {node.name for node in body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    defined |= {target.id for node in body if isinstance(node, ast.Assign) for target in node.targets
                if isinstance(target, ast.Name)}
    return imported - defined


def _names_read_from(path: Path, modules) -> set[tuple[str, str]]:
    """(module, name) for every name `path` reads from one of `modules`: `from module import name`, or
    `alias.name` where `alias` is the module imported."""
    tree = ast.parse(path.read_text())
    read, aliases = set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in modules:
            read |= {(node.module, alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            aliases |= {alias.asname or alias.name: f"{node.module}.{alias.name}" for alias in node.names
                        if f"{node.module}.{alias.name}" in modules}
        elif isinstance(node, ast.Import):
            aliases |= {alias.asname: alias.name for alias in node.names if alias.asname and alias.name in modules}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            read.add((aliases[node.value.id], node.attr))
    return read


def test_names_are_read_from_their_homes_not_through_modules_that_import_them():
    """`planner.accounts` exported `NoSuchUser`, `planner.cli` the exit codes, `planner.storage.audit` `acting_as`,
    `actor` and `os_user`, and the Roster page's `roster_data` six names of `roster_export`, `away_codes` and the
    roster report, for callers to read there: each is read where it is defined, and these modules export only their
    own names."""
    root = PLANNER.parent
    files = [*root.glob("planner/**/*.py"), *root.glob("app_pages/*.py"), *root.glob("tests/*.py"),
             *root.glob("bench/*.py"), root / "app.py"]
    passed_on = {module: _only_imported(path) for module, path in NO_PASSING_ON.items()}
    for module, path in NO_PASSING_ON.items():
        tree = ast.parse(path.read_text())
        exported = [ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)]
        assert not set(*exported or [()]) & passed_on[module], module
    read = {(file.relative_to(root).as_posix(), module, name) for file in files
            for module, name in _names_read_from(file, NO_PASSING_ON) if name in passed_on[module]}
    assert not read, sorted(read)


ROSTERING_ORDER = ("documents", "store_week", "standing", "publishing", "shift_diffs", "replans", "follow")
"""The modules of `planner.rostering`, each importing only those before it."""


def test_rostering_s_modules_import_only_those_above_them():
    """`planner.rostering` was one module of 1,130 lines; its modules keep one direction: a saved roster's document
    knows nothing of publishing it, publishing nothing of re-plans, and none reaches up to the CLI or the pages. The
    package itself holds no code and re-exports nothing: callers name the module they use."""
    package = PLANNER / "rostering"
    assert sorted(p.stem for p in package.glob("*.py")) == sorted(("__init__", *ROSTERING_ORDER))
    assert not _imports(package / "__init__.py")
    for place, name in enumerate(ROSTERING_ORDER):
        names = _imports(package / f"{name}.py")
        mine = {n.removeprefix("planner.rostering.") for n in names if n.startswith("planner.rostering.")}
        assert mine <= set(ROSTERING_ORDER[:place]), (name, mine)
        assert not [n for n in names if n.startswith(("planner.cli", "streamlit", "app_pages"))], name
