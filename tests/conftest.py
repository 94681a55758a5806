"""Shared test fixtures: a fresh database per test, the sample files, and the shared reference material."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import storage
from planner.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'planner.db'}")


@pytest.fixture
def engine(settings):
    engine = storage.connect(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def sample_files() -> list[tuple[str, bytes]]:
    return [(name, (DATA / name).read_bytes()) for name in ("stores.csv", "observations.csv")]
