"""Independent pieces of array work run on every core this process may use, in threads.

numpy's and scipy's array loops (the Erlang A evaluations, which are most of a large chain's staffing and censoring
correction) release the interpreter's lock while they run, so threads of one process share the cores without
copying the arrays to other processes. Results come back in the order of the items, so a caller can report progress
as they arrive and the output is the same as one thread's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Item, Result = TypeVar("Item"), TypeVar("Result")

MAX_THREADS = 8
"""Most threads used, however many cores there are: beyond a few, the pieces' own Python steps (which hold the
lock) limit what more threads give."""


def thread_count() -> int:
    """Cores this process may run on (its CPU affinity, where the system tells it), at most `MAX_THREADS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not every system reports affinity
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_THREADS))


def map_in_threads(work: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[Result]:
    """`work(item)` for every item, in threads, yielded in the items' order (in this thread when there is one core
    or one item)."""
    items = list(items)
    threads = min(thread_count(), len(items))
    if threads <= 1:
        yield from map(work, items)
        return
    with ThreadPoolExecutor(threads, thread_name_prefix="planner") as pool:
        yield from pool.map(work, items)
