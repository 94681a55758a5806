"""The command line's edges that every command family shares: reading the files a user names, writing a text
whole or to standard output (`--out -`), drawing a progress bar on a terminal (over a count of work, or over a
roster search's budget), printing a file's problems, and listing saved plans or rosters, and those a change put out
of date.
Each imports what it needs when it runs (tqdm, `planner.files`), so that loading this module costs nothing."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from planner.cli_flags import PROG, StandardOutput
from planner.errors import InputProblem, PlannerError, group_problems
from planner.settings import PROJECT_ROOT
from planner.surfaces.fixes import IMPORT, FileCommand, on_command_line
from planner.words import ended, money

DEBUG_ENV = "PLANNER_DEBUG"
"""Set to 1 to see the traceback behind a one-line error."""


def read_files(paths: list[Path]) -> list[tuple[str, bytes]]:
    """Each file's (name, bytes); the first that cannot be read ends the command (`PlannerError`, exit 2), with the
    fix `validate` gives for it (`read_each`)."""
    files = []
    for file in read_each(paths):
        if isinstance(file, InputProblem):
            raise PlannerError(f"{ended(file.message)} {file.fix}")
        files.append(file)
    return files


def read_each(paths: list[Path]) -> list[tuple[str, bytes] | InputProblem]:
    """Each file's (name, bytes), or the problem that it cannot be read (a folder, a missing file, no permission)."""
    from tqdm import tqdm

    files: list[tuple[str, bytes] | InputProblem] = []
    # on a terminal only (None), as `progress_bar` draws: into a log, the bar was "\r"-joined text
    for path in tqdm(paths, desc="reading", unit="file", disable=True if len(paths) < 5 else None, file=sys.stderr):
        shown = path.resolve().relative_to(PROJECT_ROOT) if path.resolve().is_relative_to(PROJECT_ROOT) else path
        try:
            files.append((str(shown), path.read_bytes()))
        except OSError as error:
            files.append(InputProblem(str(shown), None, None, "", f"cannot read {path}: {error.strerror}",
                                      "Name a file (CSV or XLSX) that exists and that you may read, not a folder."))
    return files


def once_each(paths: list[Path | None]) -> list[Path | None]:
    """`paths` with each file kept where it is first named and None where it is named again (None stays None),
    saying on standard error each file named more than once: `validate bom.csv bom.csv` warned, for every row, that
    the row was also in bom.csv, "whose row is imported". The same file is the same resolved path (`bom.csv` and
    `./bom.csv` too)."""
    named: dict[Path, list[Path]] = {}
    kept: list[Path | None] = []
    for path in paths:
        key = None if path is None else path.resolve()
        kept.append(path if key is None or key not in named else None)
        if key is not None:
            named.setdefault(key, []).append(path)
    for names in named.values():
        if len(names) > 1:
            times = "twice" if len(names) == 2 else f"{len(names)} times"
            spellings = list(dict.fromkeys(map(str, names)))
            alike = f" (as {' and '.join(spellings)}: the same file)" if len(spellings) > 1 else ""
            print(f"note: {names[0]} is named {times}{alike}: it is read once", file=sys.stderr)
    return kept


def write_text(path: Path | StandardOutput, text: str) -> None:
    """Write `text` to `path` whole or not at all: a failure midway leaves no half-written file behind. A device or
    a link (`/dev/stdout`) is written to as it is, never replaced; `--out -` writes to standard output."""
    from planner.files import not_written

    if isinstance(path, StandardOutput):  # `--out -`
        path.stream.write(text)
        path.stream.flush()
        return
    if path.is_symlink() or (path.exists() and not path.is_file()):
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise not_written(error, path) from error
        return
    part = path.with_name(f".{path.name}.part")
    try:
        part.write_text(text, encoding="utf-8")
        os.replace(part, path)
    except OSError as error:  # said of the file the user named, not of the hidden one written first
        raise not_written(error, path) from error
    finally:
        with suppress(OSError):  # one that could not be made cannot be removed either
            part.unlink(missing_ok=True)


@contextmanager
def progress_bar(description: str = "stores", unit: str = "store"):
    """A progress callback `(done, total)` drawing a bar on the terminal (nothing when output is not a terminal),
    counting `unit`s; the bar appears at the first call, so work that turns out to be needless draws none."""
    from tqdm import tqdm

    bars = []

    def progress(done: int, total: int) -> None:
        if not bars:
            bars.append(tqdm(total=total, desc=description, unit=unit, file=sys.stderr, disable=None))
        bars[0].total = total
        bars[0].update(done - bars[0].n)

    try:
        yield progress
    finally:
        for bar in bars:
            bar.close()


SEARCH_BAR_STEPS = 1000
"""The roster search bar's steps: a search's budget in tenths of a per cent, so that it moves with the seconds."""


@contextmanager
def search_bar(plain: str | None = "searching…"):
    """A progress callback for a roster's search (`roster.search.SearchProgress`): on a terminal, a bar on standard
    error over the search's budget, saying the least cost found and how many fairer rosters at that cost, filled
    when the search ends (it ends early when proven best), cleared when it is stopped or fails. Not on a terminal,
    `plain` once as the search starts (None: nothing), since a log keeps each of a bar's redraws. Standard output
    is never written: it holds the roster, or the CSV of `--out -`."""
    from tqdm import tqdm

    from planner.words import counted

    bars, said = [], []

    def progress(state) -> None:
        if not bars and not said:
            said.append(True)
            if not getattr(sys.stderr, "isatty", lambda: False)():
                if plain:
                    print(plain, file=sys.stderr, flush=True)
                return
            bars.append(tqdm(total=SEARCH_BAR_STEPS, desc="searching", file=sys.stderr,
                             bar_format="{desc} {percentage:3.0f}%|{bar}| {elapsed}{postfix}"))
        if not bars:
            return
        bar = bars[0]
        found = "" if state.best_cost is None else f"best cost {money(state.best_cost)}" + (
            f", {counted(state.fairer, 'fairer roster')} at that cost" if state.fairer else "")
        bar.update(max(0, round(state.share_done * SEARCH_BAR_STEPS) - bar.n))  # drawn a few times a second
        if found != (bar.postfix or ""):
            bar.set_postfix_str(found)  # a better roster is said at once

    try:
        yield progress
    except BaseException:
        for bar in bars:  # an error or "stopped" reads alone, without a bar half drawn above it
            bar.leave = False
            bar.close()
        raise
    for bar in bars:  # the search is over: its budget spent, or proven best early
        bar.update(bar.total - bar.n)
        bar.close()


def print_problems(problems: tuple[InputProblem, ...] | list[InputProblem], reader: FileCommand = IMPORT, *,
                   stream: TextIO | None = None) -> None:
    """Identical problems on many rows as one line ("... : 240 rows, 2-241"); `--format json` keeps every row. Each
    fix in the command line's words, a file read again by `reader` (`as_said_here`). On standard output unless
    `stream` is given (a rejected file's problems go to standard error, with its error: `warnings_after`)."""
    for group in group_problems(as_said_here(problems, reader)):
        print(group, file=stream)


@contextmanager
def warnings_after(problems: tuple[InputProblem, ...] | list[InputProblem], reader: FileCommand = IMPORT):
    """Say a file's warnings (`problems`, from reading it) once the block that checks it further is over: on standard
    output with the command's output when the block accepts the file; on standard error, ahead of the error, when
    it rejects it. Printed before the check, a rejected file's warnings went to standard output and its error to
    standard error, so that a user piping the output read half of what was wrong."""
    try:
        yield
    except Exception:
        print_problems(problems, reader, stream=sys.stderr)
        raise
    print_problems(problems, reader)


class WarningsHeld:
    """An accepted file's warnings (`problems`, their fixes naming `reader`) held while the rest of its command runs,
    then said where the command's outcome puts them, as `warnings_after` says those of a file its check rejects:
    on standard output, after the command's output, when the command succeeds; on standard error, ahead of its
    refusal, when it refuses. A command refuses by raising (said as the error leaves the `with` block, before
    `cli.main` says the error), or by calling `refusing()` before it says its refusal and returns its code. Said
    at once, `plan --calendar`'s and `roster replan --absence`'s warnings went to standard output and a later
    refusal not about the file (a store unknown, a quick re-plan) to standard error: a user piping the output read
    warnings of a command that did nothing, apart from the refusal."""

    def __init__(self, problems: tuple[InputProblem, ...] | list[InputProblem], reader: FileCommand = IMPORT) -> None:
        self.problems, self.reader, self.said = problems, reader, False

    def refusing(self) -> None:
        """The command is about to say its refusal (on standard error) and return its code: the warnings first."""
        self._say(sys.stderr)

    def __enter__(self) -> WarningsHeld:
        return self

    def __exit__(self, kind, error, trace) -> bool:
        self._say(sys.stderr if kind is not None else None)
        return False  # the error, if any, goes on to be said

    def _say(self, stream: TextIO | None) -> None:
        if not self.said:
            self.said = True
            print_problems(self.problems, self.reader, stream=stream)


def as_said_here(problems: tuple[InputProblem, ...] | list[InputProblem], reader: FileCommand = IMPORT
                 ) -> list[InputProblem]:
    """`problems` with their fixes in the command line's words: written once, in the app's ("upload it again"), they
    say here what to do on the command line, naming `reader`, the command that reads the file again ("import it
    again (python -m planner import FILE)"; `planner.surfaces.fixes`)."""
    return [problem if (fix := on_command_line(problem.fix, reader)) == problem.fix else replace(problem, fix=fix)
            for problem in problems]


def asked_for(store_id: str | None, iso_week: str | None) -> str:
    """What `plans list` or `rosters list` was narrowed to, after "no saved plans": " of S05 in 2026-W49", " of
    S05", " in 2026-W49", or "" (every store and week)."""
    return (f" of {store_id}" if store_id else "") + (f" in {iso_week}" if iso_week else "")


STORE_PLACEHOLDER, WEEK_PLACEHOLDER = "S", "WEEK"
"""What a hint's command says for a store or week the user did not name (`--store S --week WEEK`): no example
store or week, which read as the one to make."""


def print_saved(table, id_column: str, last_header: str, last_texts) -> None:
    """Saved plans or rosters (a `storage.list_plans`/`list_rosters` frame) as `plans list` and `rosters list`
    print them, one line each: id (`id_column`), store, week, status, made (UTC) and by, published (UTC) and by
    ("-" for a draft), and last the record's own column, headed `last_header`, from `last_texts` (one text a row:
    a plan's inputs, a roster's note)."""
    import pandas as pd

    print(f"{'id':>5} {'store':8} {'week':8} {'status':10} {'made (UTC)':16} {'by':12} "
          f"{'published (UTC)':16} {'by':12} {last_header}")
    for row, last in zip(table.itertuples(index=False), last_texts, strict=True):
        published = "-" if pd.isna(row.published_at) else f"{row.published_at:%Y-%m-%d %H:%M}"
        published_by = "-" if pd.isna(row.published_by) else str(row.published_by)
        print(f"{getattr(row, id_column):>5} {row.store_id:8} {row.iso_week:8} {row.status:10} "
              f"{row.created_at:%Y-%m-%d %H:%M} {row.created_by[:12]:12} {published:16} {published_by[:12]:12} {last}")


def say_put_out_of_date(engine, stale, scope) -> None:
    """The saved plans `stale` (`planner.settings_change.OutOfDatePlan`s) that a change (an import, a save of the
    settings) put out of date, in the Upload page's words, and the `plan` command that makes each one named again
    (`planner.saved_plans.remake_command`: with its own what-if values); nothing for none. Where a plan's document
    this release cannot read, so that no command can be said, the plans are still named, with `plans list` to see
    them (the change stands, as said). A role that may not publish is told, as the Upload page tells it, to ask a
    planner to re-plan them: a re-plan of its own would stay a draft nobody works to, so no command is offered."""
    from planner.access.scope import PUBLISH
    from planner.surfaces.plans import PLANS_NAMED, import_put_out_of_date

    if not stale:
        return
    if not scope.may(PUBLISH):
        print(import_put_out_of_date(stale, whole=True, may_publish=False))
        return
    try:
        commands = [f"{PROG} {_remake(engine, plan, scope)}" for plan in stale[:PLANS_NAMED]]
    except (PlannerError, ValueError):  # a document this release cannot read: no command can be said
        commands, how = [], f"(`{PROG} plans list` lists each with its store and week)"
    else:
        how = f"with `{commands[0]}`" if len(commands) == 1 else \
            f"with the commands below (`{PROG} plans list` lists every plan out of date)"
    print(import_put_out_of_date(stale, how, whole=True))
    if len(commands) > 1:
        print("\n".join(f"  {command}" for command in commands))


def _remake(engine, plan, scope) -> str:
    """The `plan` command that makes the saved `plan` (an `OutOfDatePlan`) again from today's inputs."""
    from planner import storage
    from planner.plans import request_from_json
    from planner.saved_plans import remake_command

    return remake_command(request_from_json(storage.load_plan(engine, plan.plan_id, scope).document), plan.store_id)
