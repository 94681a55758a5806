"""Hostile and broken input files, generated from a seed (never committed as large files).

`hostile_files()` returns (label, file name, bytes) for every kind of file a busy chain or a hostile user may upload:
numbers a spreadsheet writes in odd ways, values too large for the database, empty and broken workbooks, a
one-cell XLSX "bomb", control characters and line separators inside cells. `python tests/hostile_files.py` checks
every one with `planner.intake.check_files` and prints how many were tried and how many ended in a traceback.
"""

from __future__ import annotations

import io
import random
import sys
import traceback
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

OBSERVATION_HEADER = (
    "store_id,date,hour,visitors,assisted,self_service,assisted_minutes,self_service_minutes,staff_on_duty"
)
STORE_HEADER = (
    "store_id,name,region,format,mon,tue,wed,thu,fri,sat,sun,wage_per_hour,min_staff,max_staff,patience_minutes"
)
GOOD_ROW = ["S01", "2026-09-07", "10", "40", "20", "15", "240.0", "10.0", "5"]
WEEK = ["09:00-20:00"] * 6 + ["closed"]
GOOD_STORE = ["S01", "Alpha", "North", "electronics", *WEEK, "18.5", "1", "8", ""]
ODD_NUMBERS = [
    "+46", "+5", "-0", "４６", "٤٦", "۴۶", "1e999", "-1e999", "1e3", "1E2", "nan", "NaN", "inf", "-inf", "Infinity",
    "1_000", "0x1A", "1,5", " 7 ", "３.５", "12.", ".5", "5e-1", "9" * 40, "1e308", "١٠", "𝟏𝟐", "½", "²",
]
OBSERVATION_NUMBER_COLUMNS = [2, 3, 4, 5, 6, 7, 8]
STORE_NUMBER_COLUMNS = [11, 12, 13, 14]


def csv_bytes(header: str, rows: list[list[str]]) -> bytes:
    return (header + "\n" + "".join(",".join(row) + "\n" for row in rows)).encode()


def xlsx_bytes(rows: list[list[object]], *, sheets: int = 1, formula_without_value: bool = False) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if formula_without_value:
        sheet.cell(row=2, column=4, value="=B2*2")  # openpyxl writes no cached value
    for number in range(1, sheets):
        workbook.create_sheet(f"Sheet{number + 1}").append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheets_bytes(*sheets: tuple[str, list[list[object]]]) -> bytes:
    """A workbook of the named sheets, in order, each holding its rows (an empty list: an empty sheet)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bomb() -> bytes:
    """About 5 KB: one cell at XFD1048576, the last cell a sheet can have."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(OBSERVATION_HEADER.split(","))
    sheet.cell(row=1048576, column=16384, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_with_shared_strings(items: bytes, *, times: int = 1) -> bytes:
    """A valid one-row observation workbook whose shared strings part holds `items` (`<si>` elements) `times` over,
    as a workbook "bomb" packs them (e.g. `<si><t>a</t></si>` a million times unpacks 400 times larger)."""
    content = xlsx_bytes([OBSERVATION_HEADER.split(","), GOOD_ROW])
    strings = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns='
               b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + items * times + b"</sst>")
    types = zipfile.ZipFile(io.BytesIO(content)).read("[Content_Types].xml").replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    content = replace_member(content, "[Content_Types].xml", types)
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def replace_member(content: bytes, member: str, data: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, data if item.filename == member else source.read(item.filename))
    return out.getvalue()


def hostile_files(seed: int = 17) -> list[tuple[str, str, bytes]]:
    rng = random.Random(seed)
    files: list[tuple[str, str, bytes]] = []
    for value in ODD_NUMBERS:
        for column in OBSERVATION_NUMBER_COLUMNS:
            row = list(GOOD_ROW)
            row[column] = value
            rows = [row, GOOD_ROW[:2] + ["11"] + GOOD_ROW[3:]]
            files.append((f"observation number {value!r} in column {column}", "odd.csv",
                          csv_bytes(OBSERVATION_HEADER, rows)))
        for column in STORE_NUMBER_COLUMNS:
            row = list(GOOD_STORE)
            row[column] = value
            files.append((f"store number {value!r} in column {column}", "stores.csv", csv_bytes(STORE_HEADER, [row])))
    big = list(GOOD_ROW)
    big[3] = "3000000000"
    files.append(("visitors beyond a 32-bit integer", "big.csv", csv_bytes(OBSERVATION_HEADER, [big])))
    store = list(GOOD_STORE)
    store[0] = "S" * 65
    files.append(("65-character store id", "stores.csv", csv_bytes(STORE_HEADER, [store])))
    store = list(GOOD_STORE)
    store[1] = "N" * 201
    files.append(("201-character name", "stores.csv", csv_bytes(STORE_HEADER, [store])))
    files.append(("256-character file name", "f" * 252 + ".csv", csv_bytes(OBSERVATION_HEADER, [GOOD_ROW])))
    files.append(("header only", "header.csv", csv_bytes(OBSERVATION_HEADER, [])))
    files.append(("store header only", "stores.csv", csv_bytes(STORE_HEADER, [])))
    files.append(("all blank cells", "blank.csv", (OBSERVATION_HEADER + "\n" + ",,,,,,,,\n" * 5).encode()))
    files.append(("commas only", "commas.csv", b",,,,,,,,\n,,,,,,,,\n"))
    files.append(("header only xlsx", "header.xlsx", xlsx_bytes([OBSERVATION_HEADER.split(",")])))
    good_xlsx = xlsx_bytes([OBSERVATION_HEADER.split(","), GOOD_ROW])
    files.append(("truncated xlsx", "cut.xlsx", good_xlsx[: len(good_xlsx) // 2]))
    files.append(("broken styles.xml", "styles.xlsx",
                  replace_member(good_xlsx, "xl/styles.xml", b"<styleSheet><broken")))
    files.append(("broken sheet xml", "sheet.xlsx",
                  replace_member(good_xlsx, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row")))
    files.append(("128 KB header cell", "wide.csv",
                  csv_bytes(OBSERVATION_HEADER + "," + "h" * 131_072, [GOOD_ROW + ["x"]])))
    files.append(("128 KB data cell", "widecell.csv", csv_bytes(OBSERVATION_HEADER, [["S" * 131_072] + GOOD_ROW[1:]])))
    files.append(("xlsx bomb", "bomb.xlsx", xlsx_bomb()))
    files.append(("several sheets", "sheets.xlsx", xlsx_bytes([OBSERVATION_HEADER.split(","), GOOD_ROW], sheets=3)))
    files.append(("formula without a value", "formula.xlsx",
                  xlsx_bytes([OBSERVATION_HEADER.split(","), GOOD_ROW], formula_without_value=True)))
    for separator in ("\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c"):
        store = list(GOOD_STORE)
        store[1] = f"Al{separator}pha"
        files.append((f"separator {separator!r} in a name", "stores.csv", csv_bytes(STORE_HEADER, [store])))
    store = list(GOOD_STORE)
    store[1] = "Al\x07pha\x1b[31m"
    files.append(("control characters in a name", "stores.csv", csv_bytes(STORE_HEADER, [store])))
    for label, prefix in (("=", "="), ("+", "+"), ("-", "-"), ("@", "@")):
        store = list(GOOD_STORE)
        store[0] = f"'{prefix}S1"
        files.append((f"escaped id {label}", "stores.csv", csv_bytes(STORE_HEADER, [store])))
    for number in range(40):  # random rows of random cells from every class above
        rows = [[rng.choice(ODD_NUMBERS + GOOD_ROW + ["", "x", "\x00", "\u2028"]) for _ in range(9)] for _ in range(5)]
        files.append((f"random rows {number}", "random.csv", csv_bytes(OBSERVATION_HEADER, rows)))
    return files


def tracebacks(files: list[tuple[str, str, bytes]], database_url: str | None = None) -> list[tuple[str, str]]:
    """(label, last traceback line) for every file whose check, or import when the check passed, raised instead of
    reporting. Imports go to a fresh database at `database_url` (default: a temporary SQLite file)."""
    import tempfile

    from planner import storage
    from planner.errors import PlannerError
    from planner.intake import check_files, import_files
    from planner.settings import ImportRules, Settings

    seen = []
    with tempfile.TemporaryDirectory() as folder:
        engine = storage.connect(Settings(database_url=database_url or f"sqlite:///{folder}/hostile.db"))
        storage.metadata.drop_all(engine)
        storage.metadata.create_all(engine)
        stores = [("stores.csv", csv_bytes(STORE_HEADER, [GOOD_STORE]))]
        import_files(engine, stores, ImportRules())
        for label, name, content in files:
            try:
                checked = check_files([(name, content)], storage.load_stores(engine), ImportRules())
                if not any(c.errors for c in checked):
                    import_files(engine, [(name, content)], ImportRules())
            except PlannerError:
                pass  # a message for the user, not a traceback
            except Exception:  # noqa: BLE001 - counting them is the point
                seen.append((label, traceback.format_exc().strip().splitlines()[-1][:160]))
        storage.metadata.drop_all(engine)
        engine.dispose()
    return seen


if __name__ == "__main__":
    import os

    files = hostile_files()
    found = tracebacks(files, os.environ.get("PLANNER_TEST_POSTGRES_URL"))
    for label, line in found:
        print(f"TRACEBACK {label}: {line}")
    print(f"files tried: {len(files)}, tracebacks: {len(found)}")
