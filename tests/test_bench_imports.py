"""Every benchmark in `bench/` still imports: `make bench` runs them all only at the end of a release, so a name a
bench took from the package and a later change removed (bench_roster's `QUICK_ROSTER`) went unseen until then."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize("path", sorted(BENCH.glob("bench_*.py")), ids=lambda p: p.stem)
def test_a_benchmark_imports(path: Path, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location(f"_imported_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)  # a bench runs its work under `if __name__ == "__main__"` only
    assert callable(getattr(module, "main", None)), f"{path.name} has no main()"
