"""The code passes pyflakes' checks (ruff's F rules): no undefined name, unused import or unused variable.

An unused variable in a test is how an assertion lost in a merge shows itself (a test computing `routed` and
asserting nothing once passed here for months); an undefined name in an annotation only fails when it is read.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["planner", "app_pages", "app.py", "tests", "bench", "data"]


def test_the_code_has_no_undefined_names_or_unused_bindings():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F", "--output-format", "concise",
                           "--no-cache", *CHECKED], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_check_finds_an_unused_variable(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    routed = 1\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F", "--no-cache", str(bad)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "F841" in done.stdout
