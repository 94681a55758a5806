"""Scale benchmark for the database layer: a chain of 2,000 stores and 2,000,000 counted hours (seeded).

Cases, each run in a fresh process so its time and peak memory are its own (peak resident memory of that process,
`VmHWM`: `ru_maxrss` would report the parent's peak, which a child started by fork inherits on Linux):
  stores       what `python -m planner stores` computes: per-store coverage of every store
  load         `storage.load_observations` of every row
  import       the first import of the observation file (validate + store in one transaction)
  reimport     importing the same, unchanged file again (every row compared with the stored one)
  recommend    `planner.pipeline.recommend` of every store from the stored rows (load, demand, staffing)
Each case runs twice: the previous code path (kept below as `old_*`, as it was before this benchmark) as the baseline,
then the current one; the script prints both and the ratios. A bare process that only imports the planner is run
too, so that the memory of the interpreter and libraries can be told apart.

Goals: `stores` <= 2 s for 2,000 stores; import and recommend peak memory under 1 GB (10^9 bytes, about 954 MiB)
for 2,000,000 rows; an unchanged re-import no slower than the first import. The script prints each case's peak
against 10^9 bytes and exits with status 1 when a goal is missed.

    .venv/bin/python bench/bench_scale.py [--stores 2000] [--hours-per-store 1000] [--seed 17]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner import coverage, storage  # noqa: E402
from planner.intake import check_files, import_files  # noqa: E402
from planner.schemas import ObservationSchema as O  # noqa: E402
from planner.settings import Settings  # noqa: E402
from planner.storage import write  # noqa: E402
from planner.storage.tables import OBSERVATION_COLUMNS, observations, typed  # noqa: E402

GOAL_STORES_SECONDS = 2.0
GOAL_PEAK_BYTES = 10**9
"""1 GB as the goal says it: 10^9 bytes (about 954 MiB), not 1 GiB."""
MIB = 2**20
OPENING = ["08:00-20:00", "09:00-21:00", "10:00-22:00", "07:00-23:00"]
CASES = ("bare", "stores", "load", "import", "reimport", "recommend")


def generate(stores: int, hours_per_store: int, seed: int) -> tuple[bytes, bytes]:
    """A store file of `stores` stores (four opening patterns, closed on some Sundays) and one observation file of
    `hours_per_store` counted open hours per store, with Poisson visitors."""
    rng = np.random.default_rng(seed)
    ids = [f"B{n:05d}" for n in range(stores)]
    store_rows = []
    for n, store in enumerate(ids):
        hours = OPENING[n % len(OPENING)]
        sunday = "closed" if n % 3 == 0 else hours
        store_rows.append(f"{store},Store {store},R{n % 12},electronics,{','.join([hours] * 6)},{sunday},18.0,1,30")
    store_csv = "store_id,name,region,format,mon,tue,wed,thu,fri,sat,sun,wage_per_hour,min_staff,max_staff\n"
    store_csv += "\n".join(store_rows) + "\n"
    # every store is counted on its opening hours Monday to Saturday, 12 hours a day from its opening hour
    days_needed = -(-hours_per_store // 12)
    calendar = pd.date_range("2024-01-01", periods=days_needed * 7 // 6 + 7, freq="D")
    calendar = calendar[calendar.day_of_week < 6][:days_needed]
    n = np.arange(stores * hours_per_store)
    store_of = n // hours_per_store
    within = n % hours_per_store
    first_hour = np.array([int(OPENING[s % len(OPENING)][:2]) for s in range(stores)])
    rows = len(n)
    visitors = rng.poisson(40, rows)
    assisted = rng.binomial(visitors, 0.3)
    self_service = rng.binomial(visitors - assisted, 0.6)
    staff = rng.integers(3, 12, rows)
    frame = pd.DataFrame({
        O.store_id: np.array(ids)[store_of], O.date: calendar[within // 12].strftime("%Y-%m-%d"),
        O.hour: first_hour[store_of] + within % 12, O.visitors: visitors, O.assisted: assisted,
        O.self_service: self_service,
        O.assisted_minutes: np.where(assisted > 0, np.minimum(np.round(assisted * 6.5, 1), 60 * staff - 30), 0.0),
        O.self_service_minutes: np.where(self_service > 0, np.round(self_service * 0.3, 1), 0.0),
        O.staff_on_duty: staff,
    })
    return store_csv.encode(), frame.to_csv(index=False).encode()


# --- the code paths as they were before this benchmark (the baseline) ---------------------------------------------


def old_load_observations(engine) -> pd.DataFrame:
    """Every row fetched as a Python tuple at once, then one frame."""
    from sqlalchemy import select

    query = select(*(observations.c[c] for c in OBSERVATION_COLUMNS)).order_by(
        *(observations.c[c] for c in (O.store_id, O.date, O.hour)))
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).all(), columns=OBSERVATION_COLUMNS)
    return typed(observations, frame)


def old_store_coverage(engine) -> pd.DataFrame:
    """What `stores` ran: every observation loaded, then coverage computed from the rows."""
    from planner.hours import is_open_during_hour
    from planner.io.stores import opening_week
    from planner.schemas import StoreSchema as S

    observations_frame = old_load_observations(engine)
    store_frame = storage.load_stores(engine)
    cells = pd.DataFrame(
        [(store, weekday, hour) for store, week in opening_week(store_frame).items() for weekday in range(7)
         for hour in range(24) if is_open_during_hour(week, weekday, hour)],
        columns=[S.store_id, "weekday", O.hour],
    )
    obs = observations_frame.assign(weekday=observations_frame[O.date].dt.day_of_week)
    grouped = obs.groupby([O.store_id, "weekday", O.hour]).agg(
        observed_hours=(O.visitors, "size"), visitors=(O.visitors, "sum"), assisted=(O.assisted, "sum"))
    summary = cells.assign(open=True).set_index([S.store_id, "weekday", O.hour]).join(grouped, how="outer")
    summary = summary.reset_index()
    summary["open"] = summary["open"].fillna(False).astype(bool)
    summary["observed_hours"] = summary["observed_hours"].fillna(0).astype(int)
    open_cells = summary[summary["open"]]
    per_store = open_cells.groupby(S.store_id).agg(
        open_cells=("open", "size"), observed_cells=("observed_hours", lambda n: int((n > 0).sum())))
    dates = observations_frame.groupby(O.store_id).agg(
        observed_hours=(O.hour, "size"), first_date=(O.date, "min"), last_date=(O.date, "max"))
    return store_frame[[S.store_id, S.name, S.region, S.format]].set_index(S.store_id).join(per_store).join(dates)


def old_compare_with_stored(connection, table, rows, key):
    """Every stored row that may share a key read at once, then one merge of both frames."""
    from sqlalchemy import select

    columns = [c.name for c in table.columns if c.name != "upload_id"]
    query = select(*(table.c[c] for c in columns)).where(table.c[key[0]].in_(rows[key[0]].unique().tolist()))
    if O.date in key:
        query = query.where(table.c[O.date].between(rows[O.date].min().date(), rows[O.date].max().date()))
    existing = typed(table, pd.DataFrame(connection.execute(query).all(), columns=columns))
    if existing.empty:
        nothing = pd.Series(False, index=rows.index)
        return nothing.to_numpy(), nothing.to_numpy()
    merged = rows.merge(existing, on=key, how="left", suffixes=("", "__old"), indicator=True)
    same = pd.Series(True, index=merged.index)
    for column in (c for c in rows.columns if c not in key):
        new, old = merged[column], merged[f"{column}__old"]
        same &= (new == old).fillna(False).astype(bool) | (new.isna() & old.isna())
    return (merged["_merge"] == "both").to_numpy(), same.to_numpy()


def old_write(connection, table, rows, key, *, replace):
    """All rows handed to the driver in one executemany (every parameter tuple alive at once)."""
    from sqlalchemy import insert

    if not replace:
        write._executemany(connection, insert(table), rows)
        return
    statement = write._dialect_insert(connection.dialect.name)(table)
    updates = {c: statement.excluded[c] for c in rows.columns if c not in key}
    write._executemany(connection, statement.on_conflict_do_update(index_elements=key, set_=updates), rows)


def old_finish(frame, header, file_name, rules, *, decimal_comma, problems=None, formula_cells=frozenset(),
               controls=True, unlisted_errors=0, positions=None, rows_are=None):
    """The raw table's columns stripped beside the read ones, and the frame copied to drop blank rows (the reader's
    later arguments are taken as it passes them: the errors it counted but did not list are kept, the cells'
    positions, read only to name values under no header, are not needed for the copy this measures)."""
    from planner.io import cells, raw_table, unreadable

    normalised = [raw_table.normalise_header(c) for c in header]
    if max((len(str(c)) for c in header), default=0) > rules.max_cell_chars:
        unreadable.too_long_header(file_name, rules)
    columns = {
        i: frame.iloc[:, i].fillna("").astype(str).str.strip() for i in range(min(len(header), frame.shape[1]))
    }
    frame = pd.DataFrame(columns, index=frame.index)
    frame.columns = normalised[: frame.shape[1]]
    frame = frame.loc[~(frame == "").all(axis=1)]
    frame, notes = cells.clean(frame, file_name, rules, controls=controls)
    headers: dict[str, str] = {}
    for name, written in zip(normalised, header, strict=False):
        headers.setdefault(name, str(written).strip())
    return raw_table.RawTable(file_name, frame, headers, decimal_comma, tuple((problems or []) + notes), formula_cells,
                              unlisted_errors)


class OldTextIO:
    """What the CSV reader parsed before: the text through a StringIO (4 bytes a character)."""

    @staticmethod
    def BytesIO(content: bytes):  # noqa: N802 (stands in for io.BytesIO)
        import io

        return io.StringIO(content.decode("utf-8"))

    @staticmethod
    def StringIO(text: str):  # noqa: N802
        import io

        return io.StringIO(text)


def use_old_code() -> None:
    """Put the previous code paths in place of the current ones, in this (child) process."""
    from planner.io import csv_reading, xlsx_reading

    write._compare_with_stored, write._write = old_compare_with_stored, old_write
    # where the readers look them up: the CSV reader's parse source and both readers' last step
    csv_reading.finish_table, xlsx_reading.finish_table, csv_reading.io = old_finish, old_finish, OldTextIO


# --- one case in this process ----------------------------------------------------------------------------------------


def run_case(case: str, version: str, folder: Path) -> dict[str, float]:
    engine = storage.connect(Settings(database_url=f"sqlite:///{folder / 'bench.db'}"))
    validated: dict[str, float] = {}
    started = time.perf_counter()
    if case == "stores":
        if version == "old":
            table = old_store_coverage(engine)
        else:  # what `python -m planner stores` runs
            table = coverage.store_coverage_of_days(storage.load_counted_days(engine), storage.load_stores(engine))
        result = len(table)
    elif case == "load":
        result = len(old_load_observations(engine) if version == "old" else storage.load_observations(engine))
    elif case == "recommend":
        from planner.pipeline import recommend

        if version == "old":
            from bench_recommend import previous_code

            with previous_code():
                result = len(recommend(engine, Settings()))
        else:
            result = len(recommend(engine, Settings()))
    elif case in ("import", "reimport"):
        if version == "old":
            use_old_code()
        # what `import_files` does, in two steps, so that storing can be told apart from validating
        content = (folder / "observations.csv").read_bytes()
        (checked,) = check_files([("observations.csv", content)], storage.load_stores(engine), Settings().import_rules)
        validated = {"validated_seconds": time.perf_counter() - started, "validated_peak_mb": peak_megabytes()}
        (summary,) = storage.save(engine, observation_frames=[(checked.frame, checked.file_name, checked.sha256)])
        result = summary.rows_added if case == "import" else summary.rows_unchanged
    else:
        result = 0
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": peak_megabytes(), "result": result, **validated}


def peak_megabytes() -> float:
    """This process's peak resident memory since it started (not inherited from the process that started it)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def in_subprocess(case: str, version: str, folder: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--case", case, "--version", version, "--folder", str(folder)],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"{case} ({version}) failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=int, default=2000)
    parser.add_argument("--hours-per-store", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--version", choices=("old", "new"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.version, args.folder)))
        return 0

    rows = args.stores * args.hours_per_store
    stores_csv, observations_csv = generate(args.stores, args.hours_per_store, args.seed)
    megabytes = len(observations_csv) / 1e6
    print(f"{args.stores:,} stores, {rows:,} observation rows ({megabytes:.0f} MB CSV), seed {args.seed}")
    figures: dict[tuple[str, str], dict[str, float]] = {}
    with tempfile.TemporaryDirectory(dir=ROOT) as name:
        folder = Path(name)
        (folder / "observations.csv").write_bytes(observations_csv)
        for version in ("old", "new"):
            database = folder / "bench.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            engine = storage.connect(Settings(database_url=f"sqlite:///{database}"))
            import_files(engine, [("stores.csv", stores_csv)], Settings().import_rules)
            engine.dispose()
            for case in ("bare", "import", "reimport", "load", "stores", "recommend"):
                figures[case, version] = in_subprocess(case, version, folder)
                print(f"  {case:9} {version}: {figures[case, version]['seconds']:7.2f} s "
                      f"{figures[case, version]['peak_mb']:7.0f} MiB peak", flush=True)
    bare = figures["bare", "new"]["peak_mb"]
    print(f"\n{'case':10} {'old s':>8} {'new s':>8} {'speed-up':>9} {'old MiB':>8} {'new MiB':>8} {'MiB ratio':>9}"
          f"   (a bare process that imports the planner peaks at {bare:.0f} MiB)")
    for case in ("stores", "load", "import", "reimport", "recommend"):
        old, new = figures[case, "old"], figures[case, "new"]
        print(f"{case:10} {old['seconds']:8.2f} {new['seconds']:8.2f} {old['seconds'] / new['seconds']:8.1f}x "
              f"{old['peak_mb']:8.0f} {new['peak_mb']:8.0f} {new['peak_mb'] / old['peak_mb']:9.2f}")
    print("import and reimport = validating the file (not this module's work) + storing it:")
    for case in ("import", "reimport"):
        for version in ("old", "new"):
            f = figures[case, version]
            print(f"  {case:9} {version}: validating {f['validated_seconds']:6.2f} s, storing "
                  f"{f['seconds'] - f['validated_seconds']:6.2f} s; peak {f['validated_peak_mb']:5.0f} MiB after "
                  f"validating, {f['peak_mb']:5.0f} MiB after storing")
    print(f"\npeak resident memory against {GOAL_PEAK_BYTES:,} bytes (MiB = 2^20 bytes):")
    for case in ("import", "reimport", "recommend", "stores", "load"):
        old, new = figures[case, "old"]["peak_mb"], figures[case, "new"]["peak_mb"]
        print(f"  {case:9} old {old:6.0f} MiB = {old * MIB / GOAL_PEAK_BYTES:5.0%}, new {new:6.0f} MiB "
              f"= {new * MIB / GOAL_PEAK_BYTES:5.0%} of 10^9 bytes")
    goals = {
        f"stores <= {GOAL_STORES_SECONDS} s": figures["stores", "new"]["seconds"] <= GOAL_STORES_SECONDS,
        **{f"{case} peak < 10^9 bytes": figures[case, "new"]["peak_mb"] * MIB < GOAL_PEAK_BYTES
           for case in ("import", "reimport", "recommend")},
        "unchanged re-import no slower than the first import":
            figures["reimport", "new"]["seconds"] <= figures["import", "new"]["seconds"],
    }
    for goal, met in goals.items():
        print(f"{'met   ' if met else 'MISSED'} {goal}")
    return 0 if all(goals.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
