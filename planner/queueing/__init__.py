"""Queueing formulas for staffing a shop floor: pure, vectorised over numpy arrays, importing nothing else from
`planner`.

What it is for: turning the demand of each interval (customers seeking help per hour, minutes of help each, how long
they wait before giving up) into service measures for a given number of staff, and into the least staff meeting the
service targets. Every function takes scalars or arrays, broadcasts them against each other and returns float64
arrays (staff counts come back as int64).

    erlang_b_c        Erlang B (M/M/n/n, blocked customers lost) and Erlang C (M/M/n, infinitely patient)
    erlang_a          Erlang A (M/M/n+M, Palm's model: exponential patience), defined at any load; its
                      probabilities alone (erlang_a_probabilities, erlang_a_outcome) for searches
    staffing_search   required_staff: the least staff meeting every target, for many intervals at once
    arrays            argument checks at the boundary; read-only result records

Symbols, used in docstrings only, and the argument names and units they stand for:
    λ    arrivals_per_hour      customers seeking assistance per hour
    1/μ  service_minutes        mean minutes of one customer's service
    1/θ  patience_minutes       mean minutes a customer waits before giving up (exponential; Erlang A)
    t    target_wait_seconds    the service-level threshold
    n    staff                  servers, a whole number >= 0
    a    offered load, Erlangs  a = λ/μ = arrivals_per_hour * service_minutes / 60
    ρ    a/n                    load per member of staff
Probabilities, shares and occupancy are fractions; waits are in seconds. No a**n/n! is ever formed: Poisson terms
live in log space and the incomplete gamma function is used in scaled form, so thousands of Erlangs and of staff
stay finite.
"""

from planner.queueing.erlang_a import (ErlangAOutcome, ErlangAProbabilities, ErlangAResult, erlang_a,
                                       erlang_a_outcome, erlang_a_probabilities)
from planner.queueing.erlang_b_c import ErlangCResult, erlang_b, erlang_c, offered_load_erlangs
from planner.queueing.staffing_search import required_staff

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
