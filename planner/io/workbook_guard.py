"""Refuse a workbook whose parts unpack to far more than spreadsheet data can, before openpyxl reads any of it.

The 500 MB unpacked cap alone lets through a 1 MB file holding 470 MB of `<si><t>a</t></si>`: openpyxl keeps every
shared string as a Python object (2.9 GB and five minutes for that file), and whitespace inside a sheet's XML costs
memory too. Two bounds, both read from the zip's directory or a chunked scan, so checking costs next to nothing:

- each part may unpack to at most `MAX_INFLATE_RATIO` times its packed size (Apache POI's zip-bomb guard uses the same
  100: sheets written by Excel, LibreOffice and openpyxl pack 5-20 times, a sheet of identical rows about 16);
- the shared strings may hold no more strings than the sheets have cells to show them (a shared-string cell takes at
  least `<c t="s"><v>0</v></c>` in a sheet's XML) nor more than `ImportRules.max_rows` (a sheet holds 1,048,576 rows,
  so that is several distinct texts a row).

Python's zipfile stops reading a part at its stated size (and fails its checksum if the part claims less than it
holds), so the sizes in the directory bound what openpyxl can be made to read.
"""

from __future__ import annotations

import re
import zipfile

from planner.errors import InputProblem, InputRejected
from planner.settings import ImportRules
from planner.surfaces.fixes import UPLOAD_THAT

MAX_INFLATE_RATIO = 100
"""Most a workbook part may unpack to, as a multiple of its packed size."""
RATIO_GRACE_BYTES = 1024 * 1024
"""Parts unpacking to less than this are not held to the ratio: small parts pack unevenly and cost nothing."""
_SMALLEST_STRING_CELL = len(b'<c t="s"><v>0</v></c>')
_SHARED_STRINGS = re.compile(r"(?:^|/)sharedStrings\d*\.xml$", re.IGNORECASE)
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_STRING_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?si[\s>/]")
"""The start of one shared string, `<si>`, with or without a namespace prefix."""
_CHUNK = 1 << 20
_FIX = (f"Open it in Excel and save it again as .xlsx, or save the sheet as CSV UTF-8, and {UPLOAD_THAT.app}; if it "
        "came from another program, export it from there again.")


def check_workbook_parts(archive: zipfile.ZipFile, file_name: str, rules: ImportRules) -> None:
    """Raise `InputRejected` (one problem, naming the part) when a part packs implausibly well or the shared
    strings outnumber what the sheets and the row limit allow."""
    parts = archive.infolist()
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size >= RATIO_GRACE_BYTES and ratio > MAX_INFLATE_RATIO:
            _reject(file_name, f"unpacks to {_mb(part.file_size)} from {_mb(part.compress_size)} in its part "
                    f"{part.filename} ({ratio:,.0f} times; spreadsheet data packs at most about "
                    f"{MAX_INFLATE_RATIO} times), so it is damaged or built to exhaust memory (a 'zip bomb')")
    sheet_bytes = sum(part.file_size for part in parts if _WORKSHEET.search(part.filename))
    most = min(rules.max_rows, sheet_bytes // _SMALLEST_STRING_CELL)
    for part in parts:
        if _SHARED_STRINGS.search(part.filename) and part.file_size > most:  # fewer bytes: fewer strings than that
            found = _count_strings(archive, part, stop_after=most)
            if found > most:
                _reject(file_name, f"holds more than {most:,} shared texts in its part {part.filename}, more than "
                        f"its sheets have cells for (or than the {rules.max_rows:,} rows read), so it is damaged or "
                        f"built to exhaust memory")


def _count_strings(archive: zipfile.ZipFile, part: zipfile.ZipInfo, stop_after: int) -> int:
    """`<si>` elements in the part, counted in chunks; stops once past `stop_after`."""
    found, tail = 0, b""
    with archive.open(part) as source:
        while chunk := source.read(_CHUNK):
            block = tail + chunk
            cut = block.rfind(b"<")  # a tag the chunk's end may cut is counted with the next chunk
            if cut < 0 or len(block) - cut > 64:  # no tag, or the last one is complete (a match holds no '<')
                cut = len(block)
            found += len(_STRING_ITEM.findall(block, 0, cut))
            if found > stop_after:
                return found
            tail = block[cut:]
    return found + len(_STRING_ITEM.findall(tail))


def _reject(file_name: str, message: str) -> None:
    raise InputRejected([InputProblem(file_name, None, None, "", f"the file {message}", _FIX)])


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"
