"""What a staffing does to customers, hour by hour, with its spread: a discrete-event simulation of a store-week.

    week       StoreWeek: arrival rates and service minutes per hour of the week (from `planner.demand`), targets
    roster     staff on the floor per minute, from shifts (the export format) or from a staff-per-hour table
    engine     the compiled event loop (numba), many replications in one call
    simulate   simulate_week -> SimulationResult: means, confidence intervals and bands per hour, the frame
    schema     SimulationSchema, the per-hour frame
    checked_staffing   the per-hour recommendation corrected where the simulation shows a miss
    plan       simulate_plan: one store's counts and plan (shifts or staff per hour) -> a simulation; plan_text
    figure     simulation_figure: service and giving up per hour with bands, for the Schedule page

The model: help-seekers arrive as a Poisson process whose rate is constant within each hour (optionally scaled per
simulated day by a factor drawn from the demand intervals); a share `SimulationRules.touch_share` of self-service
customers need a touch. Both join one first-come-first-served queue; help-seekers give up after an exponential
patience (`patience_minutes`), touches never do. Service times are lognormal with `service_cv` (or exponential),
with the hour's mean minutes. Staff follow the roster minute by minute; a member of staff leaving (end of shift,
break) finishes the customer in hand, one arriving takes the next customer at once. Units: minutes inside, waits
reported in seconds, shares as fractions.

Why numba and not numpy vectorisation: a queue is sequential within a replication (each start depends on the
previous ends), so numpy could only vectorise across replications, stepping all of them one event at a time with
masks; replications drift apart in their event counts and most lanes idle, and every step pays numpy's per-call
overhead on small arrays. A compiled event loop per replication does the ~30,000 events of a busy store-week in a
few milliseconds, needs no masks, and keeps the model readable as the event loop it is. numba compiles plain
Python and numpy with no C toolchain; the compiled code is cached on disk (`cache=True`), so only the first run on a
machine pays the ~10 s compilation.
"""

from planner.simulation.roster import read_shifts_csv, roster_from_hourly, roster_from_shifts
from planner.simulation.schema import SimulationSchema
from planner.simulation.simulate import SimulationResult, simulate_week
from planner.simulation.week import StoreWeek, store_targets

__all__ = [
    "SimulationResult", "SimulationSchema", "StoreWeek", "read_shifts_csv", "roster_from_hourly",
    "roster_from_shifts", "simulate_week", "store_targets",
]
