"""The model fits a process made lately, kept by the content of what they were made from (`remembered`).

The demand fit (`planner.demand.estimate_demand`) and the patience estimate (`planner.demand.patience`) are the
costliest steps of a plan, and one process makes them again and again from the same inputs: the app's pages
(staff per hour, the plan, the roster's requirement, a saved plan's check against other stores' counts) each ask
for them, each cached apart by Streamlit, and a command that plans and then checks its plans asks twice. Both are
pure functions of their arguments (frames, settings, numbers), so a fit made from equal arguments is the same fit:
it is kept for the last `KEPT` distinct arguments of each function and handed back as a copy, never shared. A
roster's search (`planner.roster.solve_roster`) is kept the same way: under its deterministic budget it repeats
itself exactly, so the same store-week under the same rules is the same roster (but a search the wall clock stopped,
whose roster depends on the machine's load, is never kept).

Equal arguments are told by content, not identity: each frame's values, index, column names and dtypes, in their
order (`pandas.util.hash_pandas_object`, with a categorical's categories and the kind of each object cell: pandas
hashes 1 and "1" alike), about 0.1 s for a chain's 190,000 counted hours against seconds of fit; a frozen
dataclass (the settings) field by field, but for the fields no model reads (the database's URL: a copy of a database
reads the fits made from the same counts), or by the part of it a function reads (`remembered`'s `reads`: the demand
fit reads the demand rules and the default patience, so a shift or roster rule changed keeps it); numbers,
text, dates and None by their repr. An argument of another kind is not
keyed, and the fit is made afresh.

`forget()` empties every kept fit: the tests that replace part of a model call it (through their monkeypatch), so
that no fit made before the replacement is handed back, and none made with it outlives the test.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import TypeVar

import numpy as np
import pandas as pd

KEPT = 4
"""Fits kept per function: a session's pages ask with a few settings and calendars at most; a chain of 1,000 stores'
demand is about 15 MB."""

Result = TypeVar("Result")
_KEEPERS: list[OrderedDict] = []
_LOCK = threading.Lock()  # the app's sessions run in threads of one process
_MISSING = object()


class _Unkeyed(Exception):
    """An argument whose content cannot be told apart by `_part`: the fit is made afresh."""


def remembered(function: Callable[..., Result] | None = None, *, most: int = KEPT, unread: tuple[str, ...] = (),
               reads: Mapping[str, Callable] | None = None, reads_given: Mapping[str, Callable] | None = None,
               keeps: Callable[[Result], bool] | None = None,
               handed: Callable[[Result, Mapping], None] | None = None):
    """`function` (pure: its result depends on its arguments' content only) with its last `most` results kept by
    their arguments' content and handed back as deep copies. Used bare (`@remembered`) or with options:
    `unread` names arguments the result does not depend on (a progress callback), passed on but not keyed; `reads`
    maps an argument's name to the part of it the result depends on (of the settings, the demand rules), which is
    keyed in its place while the function gets the argument whole; `reads_given` the same where that part is told
    by other arguments too (of the store calendar, the rows of the dates counted), its function given every argument
    of the call by name; `keeps`
    tells whether a result may be kept at all (a search a wall clock stopped depends on the machine's load, not on
    the arguments alone); `handed(result, arguments)` is called as a kept result is handed back, with the call's
    arguments by name (to tell a progress callback the search is done)."""
    if function is None:
        return functools.partial(remembered, most=most, unread=unread, reads=reads, reads_given=reads_given,
                                 keeps=keeps, handed=handed)
    kept: OrderedDict[str, Result] = OrderedDict()
    _KEEPERS.append(kept)
    reads, reads_given = dict(reads or {}), dict(reads_given or {})
    signature = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        # keyed by name, so that an argument given by position or by name is one key
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()  # an argument left out is keyed as its default given, and read so by `reads_given`
        named = bound.arguments
        try:
            key = _key(function, {name: reads_given[name](named) if name in reads_given else
                                  reads[name](value) if name in reads else value
                                  for name, value in named.items() if name not in unread})
        except _Unkeyed:
            return function(*bound.args, **bound.kwargs)
        with _LOCK:
            found = copy.deepcopy(kept[key]) if key in kept else _MISSING
            if found is not _MISSING:
                kept.move_to_end(key)
        if found is not _MISSING:
            if handed is not None:
                handed(found, named)
            return found
        result = function(*bound.args, **bound.kwargs)
        if keeps is None or keeps(result):
            with _LOCK:
                kept[key] = copy.deepcopy(result)
                while len(kept) > most:
                    kept.popitem(last=False)
        return result

    return wrapper


def forget() -> None:
    """Empty every kept fit."""
    with _LOCK:
        for kept in _KEEPERS:
            kept.clear()


def _key(function: Callable, named: Mapping) -> str:
    digest = hashlib.sha256(f"{function.__module__}.{function.__qualname__}".encode())
    for name, value in sorted(named.items()):
        digest.update(b"\x00" + name.encode() + b"\x02")
        _part(digest, value)
    return digest.hexdigest()


def _part(digest, value) -> None:
    """Feed `value`'s content to `digest`: a frame or series by its values, index, names and dtypes (a categorical's
    categories in their order, an object column's kind of each cell); an array by its bytes, shape and dtype; a
    tuple, list, set or mapping by its items; a frozen dataclass field by field (but those its class lists in
    `UNREAD_BY_FITS`: the settings' database URL); a number, text, date, time or None by its repr. Anything else
    raises `_Unkeyed`."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        digest.update(repr((type(value).__name__, value.shape, list(frame.columns),
                            [str(t) for t in frame.dtypes])).encode())
        try:
            digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        except TypeError as error:  # a cell of a kind pandas cannot hash (a list, say)
            raise _Unkeyed(str(error)) from None
        for name, dtype in frame.dtypes.items():
            if isinstance(dtype, pd.CategoricalDtype):  # hashed by each cell's category, not the categories' order
                digest.update(repr((name, list(dtype.categories), dtype.ordered)).encode())
            elif dtype == object:  # pandas hashes an object cell by its text: 1 as "1"
                kinds = frame[name].map(lambda cell: type(cell).__name__)
                digest.update(repr((name, sorted(set(kinds)))).encode())
                if kinds.nunique() > 1:  # which cell is of which kind
                    digest.update(pd.util.hash_pandas_object(kinds, index=False).to_numpy().tobytes())
        return
    if isinstance(value, np.ndarray):
        digest.update(repr((value.shape, str(value.dtype))).encode())
        if value.dtype == object:
            raise _Unkeyed("an array of objects")
        digest.update(np.ascontiguousarray(value).tobytes())
        return
    if isinstance(value, (tuple, list)):
        digest.update(f"{type(value).__name__}[{len(value)}]".encode())
        for item in value:
            digest.update(b"\x01")
            _part(digest, item)
        return
    if isinstance(value, (set, frozenset)):
        digest.update(f"set[{len(value)}]".encode())
        for item in sorted(value, key=repr):
            digest.update(b"\x01")
            _part(digest, item)
        return
    if isinstance(value, Mapping):
        digest.update(f"mapping[{len(value)}]".encode())
        for name, item in sorted(value.items(), key=lambda pair: repr(pair[0])):
            digest.update(repr(name).encode() + b"\x02")
            _part(digest, item)
        return
    if _is_frozen_dataclass(value):
        digest.update(type(value).__qualname__.encode())
        unread = getattr(type(value), "UNREAD_BY_FITS", ())  # a deployment's fields no model reads (a database URL)
        for field in dataclasses.fields(value):
            if field.name in unread:
                continue
            digest.update(field.name.encode() + b"\x03")
            _part(digest, getattr(value, field.name))
        return
    if value is None or isinstance(value, (str, bytes, int, float, bool, np.generic, enum.Enum, dt.date, dt.time,
                                           dt.timedelta)):
        digest.update(f"{type(value).__name__}:{value!r}".encode())
        return
    raise _Unkeyed(type(value).__name__)


def _is_frozen_dataclass(value) -> bool:
    params = getattr(type(value), "__dataclass_params__", None)
    return params is not None and params.frozen
