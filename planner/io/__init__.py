"""Input files in, validated frames out, or every problem at once."""

from planner.io.observations import ValidatedObservations, validate_observations
from planner.io.reading import read_table
from planner.io.stores import ValidatedStores, validate_stores

__all__ = [
    "ValidatedObservations",
    "ValidatedStores",
    "read_table",
    "validate_observations",
    "validate_stores",
]
