"""Property tests: any well-formed file round-trips through the database; no corruption of a file ever produces a
traceback (always a clean report of problems, or a clean import)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from planner import storage
from planner.errors import InputRejected
from planner.export import observations_csv
from planner.intake import check_files, import_files
from planner.io.observations import COLUMNS
from planner.settings import ImportRules, Settings

from conftest import DATA, max_examples, sqlite_copy

RULES = ImportRules()
STORE_FILE = ("stores.csv", (DATA / "stores.csv").read_bytes())
SAMPLE_ROWS = (DATA / "observations.csv").read_bytes().splitlines()[:40]


@st.composite
def observation_rows(draw) -> pd.DataFrame:
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(["S01", "S03", "S07"]), st.dates(pd.Timestamp("2025-01-01").date(),
                      pd.Timestamp("2026-12-31").date()), st.integers(0, 23)),
            min_size=1, max_size=25, unique=True,
        )
    )
    rows = []
    for store, day, hour in keys:
        visitors = draw(st.integers(0, 400))
        assisted = draw(st.integers(0, visitors))
        self_service = draw(st.integers(0, visitors - assisted))
        staff = draw(st.one_of(st.none(), st.integers(1, 30)))
        budget = 60.0 * (staff if staff is not None else 30) / 2
        minutes = st.floats(0, budget, allow_nan=False).map(lambda m: round(m, 1))
        rows.append({
            "store_id": store, "date": pd.Timestamp(day), "hour": hour, "visitors": visitors,
            "assisted": assisted, "self_service": self_service,
            "assisted_minutes": draw(minutes) if assisted else 0.0,
            "self_service_minutes": draw(minutes) if self_service else 0.0,
            "staff_on_duty": staff,
        })
    return pd.DataFrame(rows, columns=COLUMNS).astype({"staff_on_duty": "Int64"})


def _csv_bytes(frame: pd.DataFrame, delimiter: str, bom: bool, crlf: bool) -> bytes:
    text = frame.assign(date=frame["date"].dt.strftime("%Y-%m-%d")).to_csv(
        index=False, sep=delimiter, lineterminator="\r\n" if crlf else "\n"
    )
    if delimiter == ";":
        text = text.replace(".", ",")  # European decimal comma goes with semicolons
    return ("\ufeff" if bom else "").encode() + text.encode()


@pytest.fixture(scope="module")
def stores_only(tmp_path_factory) -> Path:
    """A database with the sample's stores and no counts, made once: each example imports its counts into a copy
    (building the schema for each of 25 examples took most of this module's 44 s)."""
    path = tmp_path_factory.mktemp("stores_only") / "p.db"
    engine = storage.connect(Settings(database_url=f"sqlite:///{path}"))
    import_files(engine, [STORE_FILE], RULES)
    engine.dispose()
    return path


@hsettings(max_examples=max_examples(25, under_ci=10), deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=observation_rows(), delimiter=st.sampled_from([",", ";"]), bom=st.booleans(), crlf=st.booleans())
def test_well_formed_files_round_trip_through_the_database(stores_only, tmp_path_factory, frame, delimiter, bom,
                                                           crlf):
    url = sqlite_copy(stores_only, tmp_path_factory.mktemp("roundtrip") / "p.db")  # a fresh database each example
    engine = storage.connect(Settings(database_url=url))
    try:
        (summary,) = import_files(engine, [("counts.csv", _csv_bytes(frame, delimiter, bom, crlf))], RULES)
        assert summary.rows_added == len(frame)
        exported = pd.read_csv(io.StringIO(observations_csv(storage.load_observations(engine))),
                               dtype={"store_id": str}, parse_dates=["date"])
        expected = frame.sort_values(["store_id", "date", "hour"]).reset_index(drop=True)
        as_numbers = {"staff_on_duty": "Float64"}  # empty staff cells read back as NaN
        pd.testing.assert_frame_equal(exported.astype(as_numbers), expected.astype(as_numbers), check_dtype=False)
    finally:
        engine.dispose()


CORRUPTIONS = st.sampled_from(["", "-1", "x", "1e9", "2.5", "NaN", "2026-13-01", "=1+1", "\"", ";", ",", "\x00",
                               "\u00e9", "99999999999999999999", " ", "\n", "null"])


@hsettings(max_examples=max_examples(60, under_ci=20), deadline=None)
@given(cells=st.lists(st.tuples(st.integers(1, len(SAMPLE_ROWS) - 1), st.integers(0, 8), CORRUPTIONS), max_size=6))
def test_corrupted_cells_give_a_report_never_a_traceback(cells):
    rows = [line.decode().split(",") for line in SAMPLE_ROWS]
    for row, column, value in cells:
        rows[row][column] = value
    content = "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass")
    _check_cleanly(content)


@hsettings(max_examples=60, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=0, max_size=3)), min_size=1, max_size=5),
       cut=st.integers(0, 10_000))
def test_corrupted_bytes_give_a_report_never_a_traceback(edits, cut):
    content = bytearray(b"\n".join(SAMPLE_ROWS))
    for position, replacement in edits:
        position %= len(content) + 1
        content[position : position + len(replacement)] = replacement
    _check_cleanly(bytes(content[: max(cut, 1)] if cut < len(content) else content))


def _check_cleanly(content: bytes) -> None:
    (checked,) = check_files([("counts.csv", content)], known_stores=None, rules=RULES)
    for problem in checked.problems:
        assert problem.file == "counts.csv" and problem.message and problem.fix
        assert problem.row is None or problem.row >= 1
    if not checked.errors:
        assert len(checked.frame) >= 0
    else:
        assert checked.frame.empty


def test_import_of_a_corrupted_file_raises_only_input_rejected(engine):
    import_files(engine, [STORE_FILE], RULES)
    content = b"\n".join(SAMPLE_ROWS).replace(b"S01", b"S0\xff1", 1)
    try:
        import_files(engine, [("bad.csv", content)], RULES)
    except InputRejected as rejected:
        assert "not UTF-8" in rejected.problems[0].message
    else:
        raise AssertionError("a non-UTF-8 file was imported")
    assert storage.count_rows(engine)["observations"] == 0
