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
    done, outcome, state = threading.Event(), {}, _State()

    def run() -> None:
        try:
            if state.begin():  # not stopped before the thread ran
                outcome["status"] = solver.solve(model, found)
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error
        finally:
            done.set()

    try:  # the thread is started inside: Ctrl-C while `start` waits for it left a search running to its limit
        threading.Thread(target=run, name="cp-sat", daemon=True).start()
        while not done.wait(WAIT_SECONDS):  # an Event, not Thread.join: an interrupted join can lose the thread
            if waiting is not None:
                waiting()
    except BaseException:  # Ctrl-C, or `waiting` failing (a progress bar's stream closed): no search left running
        while True:  # a second Ctrl-C before `_stop` takes over its own must not leave the search running
            try:
                _stop(solver, state, done)
                break
            except KeyboardInterrupt:
                continue
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"]


class _State:
    """Whether the solve began or was stopped first, decided once under a lock: the thread that runs the solve and
    the caller stopping it agree on which came first, so a thread that never ran is not waited for and one that
    runs after the stop solves nothing."""

    def __init__(self) -> None:
        self.lock, self.began, self.stopped = threading.Lock(), False, False

    def begin(self) -> bool:
        with self.lock:
            self.began = not self.stopped
            return self.began

    def stop(self) -> bool:
        """Stops a solve not yet begun; whether one began (and must be stopped and waited for)."""
        with self.lock:
            self.stopped = True
            return self.began


def _stop(solver: cp_model.CpSolver, state: _State, done: threading.Event) -> None:
    """Stops the search and waits until it has ended: a search left running when the process exits aborts it
    ("terminate called without an active exception", exit -6 instead of 130). CP-SAT forgets a stop asked before
    its solve has begun, so the stop is asked again each time the wait looks up; a second Ctrl-C meanwhile does not
    end the wait."""
    while True:
        try:
            if not state.stop():
                return
            solver.stop_search()
            if done.wait(WAIT_SECONDS):
                return
        except KeyboardInterrupt:
            continue
