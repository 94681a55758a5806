"""Retail staffing planner: from hourly floor counts to staff per hour and shifts.

Pipeline (one way): observation files -> validated frames -> database -> demand -> queueing -> shifts -> views.
"""

__version__ = "0.1.0"
