"""Write a set of output files all together or not at all.

A command that writes several files into a folder (`schedule --out-dir`, `plan --out-dir`, `roster --out-dir`) must
not leave some of them behind when one cannot be written (a directory in the way of one name, a full disk): a reader
would take the old and new files for one set. Every file is first written beside its target under a hidden `.part`
name; only when all are written are they moved into place, each move atomic.

A file or folder the system will not let be written is one sentence naming it and the fix (`not_written`), the same
for every command that writes files: "Permission denied" or, under /proc, "No such file or directory" said neither.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Mapping
from pathlib import Path

WRITE_ELSEWHERE = "choose a folder you can write to"


def write_files(folder: Path, contents: Mapping[str, str | bytes]) -> list[Path]:
    """Write each `name: text or bytes` of `contents` into `folder` (made if missing), all or none: a failure
    raises the `OSError` naming the file it concerns and leaves no new file (and no new folder) behind. A name may
    hold folders of its own (`S01_2026-W50/roster.csv`, for several sets in one run). Text is written as UTF-8.
    Returns the paths in the order of `contents`."""
    targets = [folder / name for name in contents]
    folders = {parent for target in targets for parent in target.parents}
    made = sorted({missing for target in targets for missing in _missing_folders(target.parent)},
                  key=lambda path: len(path.parts))  # the folders this call makes, parents first
    parts: list[Path] = []
    try:
        for path in targets:  # said before anything is written: a directory or device where a file goes
            if path.exists() and not path.is_file():
                raise IsADirectoryError(21, "not a file, so the files were not written", str(path))
            for parent in _existing_parents(path):  # a file where a folder of the set goes
                if not parent.is_dir():
                    raise NotADirectoryError(20, "not a folder, so the files were not written", str(parent))
            if path in folders:
                raise IsADirectoryError(21, "both a file and a folder of the set, so nothing was written", str(path))
        for path in made:
            try:
                path.mkdir()
            except OSError as error:
                raise not_written(error, path) from error
        for path, content in zip(targets, contents.values(), strict=True):
            part = path.with_name(f".{path.name}.part")
            parts.append(part)
            try:
                if isinstance(content, bytes):
                    part.write_bytes(content)
                else:
                    part.write_text(content, encoding="utf-8")
            except OSError as error:  # said of the file named, not of its hidden .part
                raise not_written(error, path) from error
        for part, path in zip(parts, targets, strict=True):
            try:
                os.replace(part, path)
            except OSError as error:
                raise not_written(error, path) from error
    except BaseException:
        for part in parts:
            with contextlib.suppress(OSError):  # one that could not be made cannot be removed either
                part.unlink(missing_ok=True)
        for path in reversed(made):
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        raise
    return targets


def not_written(error: OSError, path: Path | str) -> OSError:
    """`error`, met writing `path`, as the `OSError` a command says in one sentence: `path` as its file name and,
    as its text, why in plain words and what to do. A full disk names no file of its own ("[Errno 28] No space left
    on device" alone); a folder the system makes no file in (/proc) says "No such file or directory" of a folder
    that exists."""
    if error.errno == errno.ENOSPC:
        return OSError(error.errno, "No space left on device; nothing was written: free some space, or write "
                                    "elsewhere", str(path))
    if error.errno == errno.ENOENT and Path(path).parent.is_dir():
        why = "the system makes no files in that folder"
    else:
        why = (error.strerror or type(error).__name__).lower()
    fix = "give a shorter name" if error.errno == errno.ENAMETOOLONG else WRITE_ELSEWHERE
    return OSError(error.errno, f"cannot be written ({why}), so nothing was written: {fix}", str(path))


def _missing_folders(path: Path) -> list[Path]:
    """`path` and its ancestors that do not exist yet."""
    missing = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    return missing


def _existing_parents(path: Path) -> list[Path]:
    """The folders `path` goes in, outermost first, that exist (as anything: a file there is in the way)."""
    return [parent for parent in reversed(path.parents) if parent.exists() or parent.is_symlink()]
