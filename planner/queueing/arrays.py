"""Arguments checked at the boundary of the queueing package, and result records immutable all the way down.

Every public function turns its arguments into float64 arrays here, so a bad value fails at once with a message
naming the argument, never later as a NaN inside a formula.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np


def finite(name, value, *, low, low_open=False, high=None, high_open=False, allow_inf=False) -> np.ndarray:
    """The value as a float64 array within [low, high] (ends open as asked), or a ValueError naming it."""
    array = np.asarray(value, dtype=float)
    bad = np.isnan(array) | (array < low) | ((array == low) if low_open else False)
    if high is not None:
        bad |= (array >= high) if high_open else (array > high)
    if not allow_inf:
        bad |= np.isinf(array)
    if np.any(bad):
        left, right = "(" if low_open else "[", ")" if high is None or high_open else "]"
        interval = f"{left}{low:g}, {'inf' if high is None else format(high, 'g')}{right}"
        kind = "" if allow_inf else "finite and "
        raise ValueError(f"{name} must be {kind}in {interval}, got {array[bad].flat[0]!r}")
    return array


def whole_numbers(name, value) -> np.ndarray:
    """The value as a float64 array of whole numbers >= 0 (staff counts), or a ValueError naming it."""
    array = np.asarray(value, dtype=float)
    bad = ~np.isfinite(array) | (array < 0) | (array != np.floor(array))
    if np.any(bad):
        raise ValueError(f"{name} must be whole numbers >= 0, got {array[bad].flat[0]!r}")
    return array


def freeze(record) -> None:
    """Replace each array of a frozen dataclass by a read-only copy (never freezing a caller's array)."""
    for field in fields(record):
        value = np.array(getattr(record, field.name))
        value.flags.writeable = False
        object.__setattr__(record, field.name, value)
