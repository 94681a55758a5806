"""Erlang B, C and A queueing measures and the least staff meeting service targets, for many intervals at once.

The planner's queueing entry point: `required_staff` turns demand per interval (arrivals_per_hour, service_minutes,
patience_minutes) and targets (target_service_level within target_wait_seconds, max_abandon_share, max_occupancy)
into whole staff counts; `erlang_c` and `erlang_a` give the service measures of a staffing level (probabilities as
fractions, waits in seconds); `erlang_b` the blocking probability. All take numpy arrays and broadcast.
The formulas live in `planner.queueing`, whose docstring maps the symbols (λ, μ, θ, t, n, a) to these names.
"""

from planner.queueing import (
    ErlangAOutcome,
    ErlangAProbabilities,
    ErlangAResult,
    ErlangCResult,
    erlang_a,
    erlang_a_outcome,
    erlang_a_probabilities,
    erlang_b,
    erlang_c,
    offered_load_erlangs,
    required_staff,
)

__all__ = [
    "ErlangAOutcome",
    "ErlangAProbabilities",
    "ErlangAResult",
    "ErlangCResult",
    "erlang_a",
    "erlang_a_outcome",
    "erlang_a_probabilities",
    "erlang_b",
    "erlang_c",
    "offered_load_erlangs",
    "required_staff",
]
