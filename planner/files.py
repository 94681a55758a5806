"""Write a set of output files all together or not at all.

A command that writes several files into a folder (`schedule --out-dir`, `plan --out-dir`, `roster --out-dir`) must
not leave some of them behind when one cannot be written (a directory in the way of one name, a full disk): a reader
would take the old and new files for one set. Every file is first written beside its target under a hidden `.part`
name; only when all are written are they moved into place, each move atomic.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def write_files(folder: Path, contents: Mapping[str, str | bytes]) -> list[Path]:
    """Write each `name: text or bytes` of `contents` into `folder` (made if missing), all or none: a failure
    raises the `OSError` naming the file it concerns and leaves no new file (and no new folder) behind. Text is
    written as UTF-8. Returns the paths in the order of `contents`."""
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / name for name in contents]
    parts: list[Path] = []
    try:
        for path in targets:  # said before anything is written: a directory or device where a file goes
            if path.exists() and not path.is_file():
                raise IsADirectoryError(21, "not a file, so the files were not written", str(path))
        for path, content in zip(targets, contents.values(), strict=True):
            part = path.with_name(f".{path.name}.part")
            parts.append(part)
            if isinstance(content, bytes):
                part.write_bytes(content)
            else:
                part.write_text(content, encoding="utf-8")
        for part, path in zip(parts, targets, strict=True):
            os.replace(part, path)
    except BaseException:
        for part in parts:
            part.unlink(missing_ok=True)
        if created and not any(folder.iterdir()):
            folder.rmdir()
        raise
    return targets
