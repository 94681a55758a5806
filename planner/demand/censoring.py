"""The censoring correction: from help-seekers served per hour to help-seekers who wanted help, by inverting Erlang A.

For each cell, find the offered rate λ (arrivals_per_hour) at which Erlang A, with the staff counted in each of the
cell's hours, would serve what was observed:  Σ_h w_h λ (1 - P_ab(f_h λ, staff_h)) = served,  w_h the hour's share of
the cell's staffed hours, f_h its date's demand factor (1 but on a date the calendar makes busier: the staff of a
sale hour faced f_h λ, and the served rate reads its count as f_h usual hours). The served rate rises with λ towards the staff's capacity, so a bracketed root search
(bisection, sped up by secant steps) on [served, ceiling] finds the one root, for every cell at once. Staff are
fractional once the touch load is taken off; Erlang A is then interpolated linearly between the whole staff counts
either side.
See `planner.demand` for the method in plain words and its limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.erlang import erlang_a_outcome
from planner.threads import map_in_threads

MAX_STEPS = 80
"""Most steps of the root search (bisection alone would need about 60 at the tolerance); it usually takes five."""
RELATIVE_TOLERANCE = 1e-7
"""The search stops once the served rate at λ matches the target to this share of the target (or of 1/hour)."""
BLOCK_LEVELS = 20_000
"""Staff levels searched together (whole cells at a time): the search's arrays then take tens of megabytes however
many stores and hours were counted. Each cell's search is its own, so the blocks change nothing but memory."""


@dataclass(frozen=True)
class StaffedHours:
    """The counted hours that gave staff_on_duty, one element per cell and staff level (hours of a cell with the
    same staff are merged)."""

    cell: np.ndarray
    """Index of the cell being corrected."""
    staff: np.ndarray
    """Staff free for help-seekers: staff_on_duty minus the touch load in Erlangs, at least `min_effective_staff`."""
    weight: np.ndarray
    """Share of the cell's staffed hours with this staff level (they sum to 1 per cell)."""
    load: np.ndarray | None = None
    """The demand factor of the hours' dates (`planner.calendar.counted_date_factors`; None: 1 for all): the staff
    of an hour on a sale date of factor 1.5 faced 1.5 λ help-seekers, and served them as Erlang A serves 1.5 λ, which
    the served rate (counts read as that many usual hours) holds divided by 1.5."""


@dataclass(frozen=True)
class Inversion:
    arrivals_per_hour: np.ndarray
    """λ with the same shape as `served`."""
    capped: np.ndarray
    """True where even λ = ceiling would serve fewer than observed: λ is then the ceiling."""


def offered_rate_behind_served(
    served: np.ndarray, ceiling: np.ndarray, service_minutes: np.ndarray, patience_minutes: np.ndarray,
    hours: StaffedHours,
) -> Inversion:
    """λ per cell (columns of `served`, one row per quantity inverted, e.g. the low end, mean and high end of the
    served rate), with λ in [served, ceiling]. `service_minutes` and `patience_minutes` are per cell."""
    served = np.atleast_2d(np.asarray(served, dtype=float))
    ceiling = np.maximum(np.broadcast_to(ceiling, served.shape), served)
    service_minutes = np.broadcast_to(np.asarray(service_minutes, dtype=float), served.shape[1:])
    patience_minutes = np.broadcast_to(np.asarray(patience_minutes, dtype=float), served.shape[1:])
    cells = served.shape[1]
    if np.any(np.diff(hours.cell) < 0):  # levels not sorted by cell: one block
        return _invert(served, ceiling, service_minutes, patience_minutes, hours)
    # blocks of whole cells, a new one after about every BLOCK_LEVELS staff levels
    firsts = np.searchsorted(hours.cell, np.arange(cells + 1))  # each cell's first level
    bounds = [0, *(np.flatnonzero(np.diff(firsts[:-1] // BLOCK_LEVELS)) + 1).tolist(), cells]

    def block(cells: tuple[int, int]) -> Inversion:
        low, high = cells
        levels = slice(firsts[low], firsts[high])
        return _invert(served[:, low:high], ceiling[:, low:high], service_minutes[low:high],
                       patience_minutes[low:high],
                       StaffedHours(hours.cell[levels] - low, hours.staff[levels], hours.weight[levels],
                                    None if hours.load is None else hours.load[levels]))

    parts = list(map_in_threads(block, zip(bounds[:-1], bounds[1:], strict=True)))
    return Inversion(np.concatenate([p.arrivals_per_hour for p in parts], axis=1),
                     np.concatenate([p.capped for p in parts], axis=1))


def _invert(served, ceiling, service_minutes, patience_minutes, hours: StaffedHours) -> Inversion:
    """`offered_rate_behind_served` for one block of cells (`hours.cell` counted from the block's first)."""
    rows, cells = served.shape
    problem = (np.arange(rows)[:, None] * cells + hours.cell[None, :]).ravel()  # one problem per row and cell
    staff = np.tile(hours.staff, rows)
    weight = np.tile(hours.weight, rows)
    load = np.tile(np.ones(hours.staff.size) if hours.load is None else np.asarray(hours.load, dtype=float), rows)
    service = np.tile(np.asarray(service_minutes, dtype=float)[hours.cell], rows)
    patience = np.tile(np.asarray(patience_minutes, dtype=float)[hours.cell], rows)

    def served_at(arrivals: np.ndarray, active: np.ndarray) -> np.ndarray:
        """The served rate at λ = `arrivals` for the problems marked `active` (0 for the others)."""
        rows = active[problem]
        return _served_rate(
            arrivals, problem[rows], staff[rows], weight[rows], service[rows], patience[rows], served.size, load[rows]
        )

    arrivals, capped = _root_in_bracket(served_at, served.ravel(), ceiling.ravel())
    return Inversion(arrivals.reshape(served.shape), capped.reshape(served.shape))


def _root_in_bracket(served_at, target: np.ndarray, ceiling: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """λ in [target, ceiling] with served_at(λ) = target, for every problem at once: a safeguarded secant search
    (Dekker's). It keeps a bracket [low, high] around the root, as bisection does, and steps by the secant through
    the last two points when that lands inside the bracket, else by halving it. The first step is the fixed-point
    guess λ = served / (1 - P_ab(served)), never past the root as the served share falls with λ."""
    everyone = np.ones(target.shape, dtype=bool)
    low, high = target.copy(), ceiling.copy()
    short_at_low = served_at(low, everyone) - target  # <= 0: nobody is served more often than they arrive
    capped = served_at(high, everyone) < target
    settled = capped | (short_at_low >= 0) | (high <= low)
    tolerance = RELATIVE_TOLERANCE * np.maximum(target, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        guess = np.where(settled, low, target * target / (short_at_low + target))
    previous, short_previous = low, short_at_low
    for _ in range(MAX_STEPS):
        inside = (guess > low) & (guess < high)
        guess = np.where(settled | inside, guess, (low + high) / 2.0)
        if settled.all():
            break
        short = np.where(settled, 0.0, served_at(guess, ~settled) - target)
        low, high = np.where(short < 0, guess, low), np.where(short >= 0, guess, high)
        settled |= (np.abs(short) <= tolerance) | (high - low <= tolerance)
        with np.errstate(divide="ignore", invalid="ignore"):
            secant = guess - short * (guess - previous) / (short - short_previous)
        previous, short_previous = guess, short
        guess = np.where(settled, guess, secant)
    arrivals = np.where(capped, ceiling, np.where(short_at_low >= 0, target, guess))
    return arrivals, capped


def _served_rate(arrivals, problem, staff, weight, service, patience, problem_count, load) -> np.ndarray:
    """Σ_h w_h λ (1 - P_ab(f_h λ)) per problem (`load`: f_h), Erlang A at fractional staff by linear interpolation in
    the staff."""
    usual = arrivals[problem]
    rate = usual * load
    whole = np.floor(staff)
    part = staff - whole
    above = part > 0
    measures = erlang_a_outcome(
        np.concatenate([rate, rate[above]]),
        np.concatenate([service, service[above]]),
        np.concatenate([whole, whole[above] + 1.0]),
        patience_minutes=np.concatenate([patience, patience[above]]),
    )
    kept = 1.0 - measures.prob_abandon
    kept_share = kept[: rate.size].copy()
    kept_share[above] = (1.0 - part[above]) * kept_share[above] + part[above] * kept[rate.size :]
    return np.bincount(problem, weight * usual * kept_share, problem_count)
