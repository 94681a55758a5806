"""The typed plan: a request (stores, ISO weeks, settings, what-if values), everything made for it, and the
fingerprint of its inputs. `planner.pipeline.make_plan` builds one; pages, the CLI and storage read it.

The JSON document (`Plan.to_json`, read back by `Plan.from_json`), one per plan:

    {
      "format": "planner.plan/1",
      "request": {"weeks": ["2026-W50"], "store_ids": ["S01"],          # [] = every store
                  "settings": {...every Settings field but database_url, nested as in Settings...},
                  "what_if": {"target_wait_seconds": 30.0}},
      "fingerprint": {"observation_rows": 1686, "last_observed_date": "2026-10-04", "observations": "<sha256>",
                      "stores": "<sha256>", "calendar": "<sha256>", "settings": "<sha256>",
                      "digest": "<16 hex>"},                              # digest: the plan's fingerprint column
      "pooled_inputs": "<sha256>",                                        # the chain's counts the pooled model read
      "pooled_counts": {"S01": "<12 hex>", "S07": "<12 hex>"},            # each store's of them: whose changed
      "created_at": "2026-12-02T07:40:00+00:00",                          # UTC
      "store_ids": ["S01"],                                               # the stores planned (one row each in targets)
      "iso_weeks": ["2026-W50"],
      "frames": {                                                         # each a list of records, one per row
        "targets": [...], "exceptions": [...], "demand": [...], "staffing": [...],
        "shifts": [...], "coverage": [...], "schedules": [...], "explanations": [...],
        "inputs": [{"store_id": "S01", "iso_week": "2026-W50", "digest": "<16 hex>", ...}, ...]
      }
    }

Records hold numbers as JSON numbers, missing values as null and dates as "YYYY-MM-DD". Shift times are numbers:
`start_minute`, `end_minute` and `break_start_minute` are minutes after midnight of the shift's `date`, the date of
the opening it works in (above 1440 is after midnight: a shift of a Saturday 07:00-05:00 opening from 00:00 to 05:00
is Saturday's 1440-1740). Columns per frame: `planner.plans.schema`. A store of plans keeps the document whole
and indexes it by (plan_id, store_id, iso_week, fingerprint, created_at, published_at): one row per store and week,
as `Plan.index_rows()` gives them, `fingerprint` being that store-week's digest in `inputs` (its counts, store file
row, calendar exceptions, the calendar rows its counts were read under, and settings), so new counts for one store
make only that store's plans out of date; `store_week_fingerprints` recomputes them on today's inputs to tell.
"""

from planner.plans.fingerprint import Fingerprint, frame_digest, input_fingerprint, store_week_fingerprints
from planner.plans.plan import FORMAT, FRAMES, Plan, pooled_counts_from_json, request_from_json
from planner.plans.request import PlanRequest

__all__ = ["FORMAT", "FRAMES", "Fingerprint", "Plan", "PlanRequest", "frame_digest", "input_fingerprint",
           "pooled_counts_from_json", "request_from_json", "store_week_fingerprints"]
