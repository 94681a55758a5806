"""The model fits a process made lately, kept by the content of what they were made from (`remembered`).

The demand fit (`planner.demand.estimate_demand`) and the patience estimate (`planner.demand.patience`) are the
costliest steps of a plan, and one process makes them again and again from the same inputs: the app's pages
(staff per hour, the plan, the roster's requirement, a saved plan's check against other stores' counts) each ask
for them, each cached apart by Streamlit, and a command that plans and then checks its plans asks twice. Both are
pure functions of their arguments (frames, settings, numbers), so a fit made from equal arguments is the same fit:
it is kept for the last `KEPT` distinct arguments of each function and handed back as a copy, never shared.

Equal arguments are told by content, not identity: each frame's values, index, column names and dtypes, in their
order (`pandas.util.hash_pandas_object`, with a categorical's categories and the kind of each object cell: pandas
hashes 1 and "1" alike), about 0.1 s for a chain's 190,000 counted hours against seconds of fit; a frozen
dataclass (the settings) field by field, but for the fields no model reads (the database's URL: a copy of a database
reads the fits made from the same counts); numbers, text and None by their repr. An argument of another kind is not
keyed, and the fit is made afresh.

`forget()` empties every kept fit: the tests that replace part of a model call it (through their monkeypatch), so
that no fit made before the replacement is handed back, and none made with it outlives the test.
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import functools
import hashlib
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


class _Unkeyed(Exception):
    """An argument whose content cannot be told apart by `_part`: the fit is made afresh."""


def remembered(function: Callable[..., Result]) -> Callable[..., Result]:
    """`function` (pure: its result depends on its arguments' content only) with its last `KEPT` results kept by
    their arguments' content and handed back as deep copies."""
    kept: OrderedDict[str, Result] = OrderedDict()
    _KEEPERS.append(kept)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            key = _key(function, args, kwargs)
        except _Unkeyed:
            return function(*args, **kwargs)
        with _LOCK:
            if key in kept:
                kept.move_to_end(key)
                return copy.deepcopy(kept[key])
        result = function(*args, **kwargs)
        with _LOCK:
            kept[key] = copy.deepcopy(result)
            while len(kept) > KEPT:
                kept.popitem(last=False)
        return result

    return wrapper


def forget() -> None:
    """Empty every kept fit."""
    with _LOCK:
        for kept in _KEEPERS:
            kept.clear()


def _key(function: Callable, args: tuple, kwargs: Mapping) -> str:
    digest = hashlib.sha256(f"{function.__module__}.{function.__qualname__}".encode())
    for part in (*args, *sorted(kwargs.items())):
        digest.update(b"\x00")
        _part(digest, part)
    return digest.hexdigest()


def _part(digest, value) -> None:
    """Feed `value`'s content to `digest`: a frame or series by its values, index, names and dtypes (a categorical's
    categories in their order, an object column's kind of each cell); an array by its bytes, shape and dtype; a
    tuple, list, set or mapping by its items; a frozen dataclass field by field (but those its class lists in
    `UNREAD_BY_FITS`: the settings' database URL); a number, text or None by its
    repr. Anything else raises `_Unkeyed`."""
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
    if value is None or isinstance(value, (str, bytes, int, float, bool, np.generic, enum.Enum)):
        digest.update(f"{type(value).__name__}:{value!r}".encode())
        return
    raise _Unkeyed(type(value).__name__)


def _is_frozen_dataclass(value) -> bool:
    params = getattr(type(value), "__dataclass_params__", None)
    return params is not None and params.frozen
