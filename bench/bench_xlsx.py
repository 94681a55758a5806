"""XLSX validate benchmark: check an observation sheet of N rows (about 17 MB at the default 440,000) as `validate`
does, against pandas' `read_excel` of the same file in the same process (openpyxl's own read, no checks at all).

The sheet is written as Excel would hold it: store ids as text, dates as date cells, counts and minutes as numbers,
and a <dimension> element (openpyxl's write-only mode leaves it out; a sheet without one costs openpyxl's read-only
mode a whole extra pass over the sheet to look for it: `--no-dimension` times that case). The two reads alternate
`--repeat` times and the medians are printed, wall-clock and CPU seconds of this process (on a machine shared
with other work the wall-clock figures swell; CPU seconds much less so). No goal: the
figure to watch is the ratio; almost all of a check's time is openpyxl parsing the sheet's XML cell by cell.

    .venv/bin/python bench/bench_xlsx.py [--rows 440000] [--repeat 2] [--no-dimension]
"""

from __future__ import annotations

import argparse
import datetime
import io
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_import import generate  # noqa: E402
from planner.intake import check_files  # noqa: E402
from planner.settings import Settings  # noqa: E402

SHEET = "xl/worksheets/sheet1.xml"


def observation_workbook(rows: int, *, dimension: bool = True) -> tuple[bytes, bytes]:
    """The store CSV and an XLSX of `rows` clean observation rows (bench_import's rows, typed as Excel types them)."""
    import openpyxl

    stores, observations = generate(rows)
    frame = pd.read_csv(io.BytesIO(observations))
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("observations")
    sheet.append(list(frame.columns))
    dates = {text: datetime.datetime.fromisoformat(text) for text in frame["date"].unique()}
    for row in frame.itertuples(index=False):
        sheet.append([row.store_id, dates[row.date], int(row.hour), int(row.visitors), int(row.assisted),
                      int(row.self_service), float(row.assisted_minutes), float(row.self_service_minutes),
                      int(row.staff_on_duty)])
    written = io.BytesIO()
    book.save(written)
    if not dimension:
        return stores, written.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == SHEET:
                last = f"I{rows + 1}".encode()
                data = data.replace(b"<sheetData>", b'<dimension ref="A1:' + last + b'"/><sheetData>', 1)
            target.writestr(item, data)
    return stores, out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=440_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-dimension", action="store_true", help="leave the sheet's <dimension> element out")
    args = parser.parse_args()
    stores, workbook = observation_workbook(args.rows, dimension=not args.no_dimension)
    rules = Settings().import_rules
    known = check_files([("stores.csv", stores)], None, rules)[0].frame
    print(f"{args.rows:,} observation rows as XLSX: {len(workbook) / 1e6:.1f} MB"
          + ("" if not args.no_dimension else " (no <dimension>)"))
    checks, reads, checks_cpu, reads_cpu = [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "counts.xlsx"
        path.write_bytes(workbook)
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            (checked,) = check_files([(path.name, path.read_bytes())], known, rules)
            checks.append(time.perf_counter() - started)
            checks_cpu.append(time.process_time() - cpu)
            assert not checked.problems, checked.problems[:3]
            started, cpu = time.perf_counter(), time.process_time()
            pd.read_excel(path, dtype=str, engine="openpyxl")
            reads.append(time.perf_counter() - started)
            reads_cpu.append(time.process_time() - cpu)
    check, read = statistics.median(checks), statistics.median(reads)
    check_cpu, read_cpu = statistics.median(checks_cpu), statistics.median(reads_cpu)
    print(f"medians of {args.repeat}                 wall s    CPU s   rows/s (CPU)")
    print(f"planner: check (validate)      {check:8.2f} {check_cpu:8.2f} {args.rows / check_cpu:>10,.0f}")
    print(f"baseline: pandas read_excel    {read:8.2f} {read_cpu:8.2f} {args.rows / read_cpu:>10,.0f}  (no checks)")
    print(f"ratio check / read_excel       {check / read:8.2f} {check_cpu / read_cpu:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
