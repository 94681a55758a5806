"""CP-SAT solves that Ctrl-C stops at once and says so.

CP-SAT catches Ctrl-C itself by default and ends the search as if its time limit had come, so the caller saw a
result "found when the time limit came first" and went on to save or publish it with exit 0. Here the solver leaves
the signal to Python: on the main thread the solve runs on a worker thread while the main thread waits, so that
Ctrl-C reaches it at once; the search is then stopped and `KeyboardInterrupt` raised, and nothing after it runs.
Off the main thread (the app's pages) Ctrl-C is the server's: the solve runs where it is, unless a caller waits with
a progress bar (`waiting`), which is then drawn from the calling thread while a worker thread solves: a page's bar
is drawn from the page's own thread, the only one that may draw it, and it stayed empty for a search of 40 s.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ortools.sat.python import cp_model

WAIT_SECONDS = 0.05
"""How often the calling thread looks up while the solve runs (a Ctrl-C is seen within this)."""


def solve_stoppable(solver: cp_model.CpSolver, model: cp_model.CpModel,
                    found: cp_model.CpSolverSolutionCallback | None = None,
                    waiting: Callable[[], None] | None = None) -> cp_model.cp_model_pb2.CpSolverStatus:
    """`solver.solve(model, found)`; Ctrl-C during it stops the search and raises `KeyboardInterrupt`. `waiting()`
    is called every `WAIT_SECONDS` on the calling thread while the solve runs (a progress bar's clock); an error it
    raises (a page's run stopped or rerun by its user) stops the search and is raised."""
    solver.parameters.catch_sigint_signal = False
    if threading.current_thread() is not threading.main_thread() and waiting is None:
        return solver.solve(model, found)
    done, outcome = threading.Event(), {}

    def run() -> None:
        try:
            outcome["status"] = solver.solve(model, found)
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=run, name="cp-sat", daemon=True).start()
    try:
        while not done.wait(WAIT_SECONDS):  # an Event, not Thread.join: an interrupted join can lose the thread
            if waiting is not None:
                waiting()
    except BaseException:  # Ctrl-C, or `waiting` failing (a progress bar's stream closed): no search left running
        solver.stop_search()
        while True:  # the search ends within moments; a second Ctrl-C must not leave it running at exit
            try:
                done.wait()
                break
            except KeyboardInterrupt:
                continue
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"]
