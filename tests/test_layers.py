"""The package's shape: dependencies flow down the pipeline; `planner/` never imports streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

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
    for path in [*(PLANNER / "io").glob("*.py"), PLANNER / "schemas.py", PLANNER / "settings.py", PLANNER / "errors.py"]:
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
    allowed = ("planner.access", "planner.errors", "planner.settings")
    for path in (PLANNER / "access").glob("*.py"):
        assert not [n for n in _imports(path) if n.startswith("planner") and not n.startswith(allowed)], path.name
