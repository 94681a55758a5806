"""Recommended staff per store x weekday x hour: demand (`planner.demand`) + the store file + settings -> the
`StaffingSchema` table, each row with the service expected at the recommendation and a sentence saying why.

Public: `recommend_staff`, `StaffingSchema`. Units: customers per hour, staff minutes per customer, loads in Erlangs
(staff kept busy), waits in seconds, shares as fractions. Symbols as in `planner.queueing`: λ = assisted_per_hour,
S = 1/μ = assisted_minutes_mean, θ = 1/patience_minutes, t = target_wait_seconds, n = staff; a_h = λS/60 the
help-seekers' load, a_t = self_service_per_hour * touch_minutes_mean / 60 the touches' load.

    floor_model    help-seekers and touches on the same staff: measures at n, and the least n meeting the targets
    carried_load   the modified offered load: customers of earlier hours still being served (long services)
    explain        the plain-words sentence of each row
    recommend      `recommend_staff`: per-row targets, the three ends of the demand intervals, the table
    schema         `StaffingSchema`

How the two kinds of customer share the staff
---------------------------------------------
Help-seekers wait for a salesperson and give up after an exponential patience (Erlang A). Self-service customers
need short touches (a size fetched, a fitting room opened) that staff give first - as soon as they come free - but
never by breaking off a customer; touches do not give up. The model follows what a help-seeker experiences:
  * whether they must wait: all n staff busy with the floor's whole workload. That is the Erlang A probability of
    waiting for the pooled load a_h + a_t, touches counted as help-seeker-equivalents (a_t * 60/S extra arrivals):
    how often every salesperson is busy depends on the work offered, hardly on how it is cut into visits. Only
    help-seekers give up, so the pooled line's patience is theirs stretched by (a_h + a_t)/a_h (its abandonment is
    that of the help-seekers in it); without the stretch, longer services could need fewer staff, as the touch-
    equivalents would "give up" more.
  * how a waiting help-seeker fares: touches jump the line, so it moves on the capacity they leave, n - a_t. That
    is Erlang A's outcome given a wait for a queue of the help-seekers alone whose service is stretched to
    S / (1 - a_t/n). For two classes with equal service times (Erlang C) it is exact in the mean: a low-priority
    customer's mean wait is the pooled one divided by 1 - a_t/n.
  So service level = 1 - P_pooled(wait) * P_line(not served within t | waited), abandonment =
  P_pooled(wait) * P_line(gives up | waited), mean wait = abandonment / θ (Erlang A's identity).
Checked against Ciw simulations of the mixed system while it was chosen (28 staffing levels; 0.7-4 Erlangs of
0.3-2 minute touches beside 0.4-4 Erlangs of help-seekers; patience 2-10 minutes; tests/test_staffing.py keeps two
of the cases): wherever the simulated service level was 75% or more, the predicted one was below it by 0.6-3.5
points (5-8 points when touches are many and short beside few help-seekers) and the predicted abandonment never
more than 0.5 points under the simulated. It errs on the safe side. The alternatives did worse: without the
patience stretch, up to 1.8 points over the simulated service level and 1.7 points under its abandonment, and
the monotonicity failure above; stretching the service time alone (n staff, S / (1 - a_t/n)) overstates the
service level by 10-13 points with 4 Erlangs of touches, as it pools n staff for help-seekers who only have
n - a_t; ceil(a_t) staff set apart for touches plus Erlang A for the rest wastes the fraction, yet under-predicts
abandonment when touches bunch (4.9% predicted, 7.4% simulated).

Hours after a peak (long services)
----------------------------------
Where the mean assisted service is at least `StaffingRules.time_varying_min_service_minutes`, the help-seekers'
load of an hour is the larger of its own λS and the modified offered load, the load an infinite-staff floor would
carry at that point of the day (`carried_load`), taken at the `time_varying_load_quantile` of the hour: customers
who arrived in a peak are still being served after it, which a model of each hour on its own cannot see. The
expected_* figures of such an hour are at that load all hour long, so they understate the service the hour gets
as the carried-over customers leave (in the peak test: 88% predicted, 98% simulated).

Each row's targets are the store file's overrides (target_service_level, target_wait_seconds, patience_minutes,
max_abandon_share, min_staff), else the settings'. A recommendation above the store's max_staff is kept, and its
explanation says so. required_staff_low/high repeat the whole calculation at the optimistic and pessimistic ends
of every demand interval (the band always holds the recommendation).
"""

from planner.staffing.recommend import recommend_staff
from planner.staffing.schema import StaffingSchema

__all__ = ["StaffingSchema", "recommend_staff"]
