"""Ctrl-C during a CP-SAT solve stops it at once and is raised, never taken for the time limit (CP-SAT's own catch
ended the search as if time ran out, and the roster was saved and published with exit 0)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from ortools.sat.python import cp_model

from planner import storage
from planner.cli_flags import EXIT_STOPPED
from planner.rostering import documents
from planner.settings import Settings
from planner.shifts.stoppable import solve_stoppable


def _golomb(marks: int = 13) -> cp_model.CpModel:
    """A shortest Golomb ruler: hard enough that no solver proves it within the test's seconds."""
    model, top = cp_model.CpModel(), marks * marks
    ticks = [model.new_int_var(0, top, f"m{i}") for i in range(marks)]
    model.add(ticks[0] == 0)
    for i in range(marks - 1):
        model.add(ticks[i] < ticks[i + 1])
    gaps = []
    for i in range(marks):
        for j in range(i + 1, marks):
            gap = model.new_int_var(1, top, f"d{i}_{j}")
            model.add(gap == ticks[j] - ticks[i])
            gaps.append(gap)
    model.add_all_different(gaps)
    model.minimize(ticks[-1])
    return model


def _solver(seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    return solver


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals reach the main thread")
def test_ctrl_c_stops_the_solve_at_once_and_is_raised():
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.daemon = True  # a timer that never fires (a clock that does not advance) must not hold the run at exit
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            solve_stoppable(_solver(60.0), _golomb())
    finally:
        timer.cancel()
    assert time.monotonic() - started < 10.0  # not the 60 s time limit


class _InterruptedStart(threading.Thread):
    """A solve's thread whose `start` is interrupted by Ctrl-C while it waits for the thread to run (`launched`: the
    thread had been launched by then, or not yet)."""

    launched = True
    made: list[threading.Thread] = []

    def start(self) -> None:
        if self.name != "cp-sat":
            return super().start()
        _InterruptedStart.made.append(self)
        if self.launched:
            super().start()
        raise KeyboardInterrupt


@pytest.mark.parametrize("launched", [True, False], ids=["thread-launched", "thread-not-launched"])
def test_ctrl_c_while_the_solves_thread_starts_leaves_no_search_running(monkeypatch, launched):
    """Ctrl-C can land while `Thread.start` waits for the new thread: the search it launched ran on to its time
    limit, and the command's process, ending meanwhile, aborted ("terminate called without an active exception",
    exit -6, not 130). Whether or not the thread was launched, no search is left running once Ctrl-C is raised,
    and a thread that runs only after the stop solves nothing."""
    monkeypatch.setattr(_InterruptedStart, "launched", launched)
    monkeypatch.setattr(_InterruptedStart, "made", [])
    monkeypatch.setattr(threading, "Thread", _InterruptedStart)
    solver = _solver(60.0)
    try:
        with pytest.raises(KeyboardInterrupt):
            solve_stoppable(solver, _golomb())
        (thread,) = _InterruptedStart.made
        if not launched:  # the thread runs only now, after the stop: it must solve nothing
            super(_InterruptedStart, thread).start()
        thread.join(timeout=5.0)
        assert not thread.is_alive()  # a search left running would still be (its limit is 60 s)
    finally:
        solver.stop_search()


def test_off_the_main_thread_the_solve_runs_where_it_is(monkeypatch):
    """The app's pages solve on the server's threads: no thread of its own, and Ctrl-C stays the server's."""
    found = {}
    worker = threading.Thread(target=lambda: found.setdefault("status", solve_stoppable(_solver(0.5), _golomb(6))))
    monkeypatch.setattr(threading, "Thread", None)  # a thread started by the solve would fail it
    worker.start()
    worker.join()
    assert found["status"] in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_off_the_main_thread_a_caller_waiting_with_a_bar_is_told_while_the_solve_runs_and_can_stop_it():
    """A page's progress bar is drawn from the page's own thread, the only one that may draw it: with `waiting`, the
    solve runs beside that thread, which is told a few times a second; what `waiting` raises (the page's run stopped
    by its user) stops the search at once and is raised."""
    told, outcome = [], {}

    def waiting() -> None:
        told.append(threading.current_thread().name)
        if len(told) == 5:
            raise RuntimeError("the page's run was stopped")

    def page() -> None:
        started = time.monotonic()
        try:
            solve_stoppable(_solver(60.0), _golomb(), waiting=waiting)
        except RuntimeError as error:
            outcome["raised"], outcome["seconds"] = str(error), time.monotonic() - started

    worker = threading.Thread(target=page, name="page")
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert told == ["page"] * 5 and outcome["raised"] == "the page's run was stopped"
    assert outcome["seconds"] < 10.0  # not the 60 s time limit


def test_ctrl_c_during_a_roster_publishes_nothing(roster_db_url):
    import dataclasses

    engine = storage.connect(Settings(database_url=roster_db_url))
    roster = dataclasses.replace(Settings().roster, time_limit_seconds=60.0, deterministic_time_limit=1000.0)
    storage.save_settings(engine, dataclasses.replace(Settings(), roster=roster), "test")  # a search to stop
    command = [sys.executable, "-m", "planner", "--database-url", roster_db_url, "roster", "--store", "S08",
               "--week", "2026-W50", "--publish", "--by", "pia"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert "rostering S08" in process.stderr.readline()
    assert process.stderr.readline().startswith("searching")  # the store-week is read: the search starts
    time.sleep(1.0)  # inside the search, which runs to its 60 s limit
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, out + err
    assert "stopped" in err and "saved as roster" not in out and "Traceback" not in err
    assert documents.published(engine, "S08", "2026-W50") is None
    engine.dispose()


def test_a_ctrl_c_wrapped_in_another_error_is_said_as_stopped(monkeypatch, capsys):
    """Ctrl-C while a class is made (an import of a pandera model) comes as a RuntimeError: it was "unexpected"."""
    from planner import cli, cli_files

    def interrupted_import(args, settings):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as stop:
            raise RuntimeError("Error calling __set_name__ on 'Field' instance") from stop

    monkeypatch.setattr(cli_files, "_stores", interrupted_import)
    assert cli.main(["--database-url", "sqlite://", "stores"]) == EXIT_STOPPED
    assert capsys.readouterr().err.strip() == cli.STOPPED and "what had finished before stays" in cli.STOPPED
