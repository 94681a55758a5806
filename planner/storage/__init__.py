"""The database: stores, observations and uploads, saved plans, the chain's settings and calendar exceptions, with
SQLAlchemy 2 Core. Any SQLAlchemy URL works; nothing here is SQLite-only. Alembic owns the schema
(`migrate`, `migrations/`): `connect` upgrades a database to the newest revision on first use.

    engine = storage.connect(settings)        # DatabaseUnavailable: one sentence, no password
    storage.save(engine, ...)                 # one transaction per import; DatabaseBusy after the busy timeout
    storage.load_stores(engine); storage.load_observations(engine, ids); storage.load_counted_days(engine)
    storage.save_plan / publish_plan / list_plans / load_plan / published_plan / published_history (`plans`)
    storage.pooled_checks / save_pooled_checks  # what making a plan again from other stores' counts found (`plans`)
    storage.kept_pooled_digest / keep_pooled_digest  # the chain's pooled digest at a revision of its uploads
    count_hashes.count_states / kept_count_hashes / keep_count_hashes  # each store's counts hashed, kept
    storage.save_settings / load_settings / settings_history / chain_settings(_changes)  (`settings_store`)
    storage.save_calendar / load_calendar                                           (`calendar_store`)
    storage.save_people / load_employees / load_absences / load_taken_employee_ids  (`people_store`)
    storage.load_patience / save_patience     # patience estimates kept per format    (`patience_store`)
    storage.save_roster / publish_roster / list_rosters / load_roster / published_roster  (`rosters`)
    storage.revision(engine)                  # what plans are made from, to tell when one is out of date
    storage.safe_url(url)                     # a URL fit to show or log

Every read and write of store data takes the user's `scope` (`planner.access.Scope`, default every store): reads
filter by it in SQL, writes outside it raise `OutsideScope` and change nothing (`scoped`).

Modules: `tables` (schema and frame types), `engine` (connecting, locks, failures as sentences), `migrate`, `read`,
`write`, `plans`, `count_hashes`, `settings_store`, `calendar_store`, `revision`, `secrets` (password masking), `scoped` (the scope
in SQL), `users_store` (users, password hashes, failed sign-ins) and `audit` (the audit trail every write above
records into, in its transaction).
"""

from planner.storage.calendar_store import load_calendar, save_calendar
from planner.storage.engine import connect, database_errors
from planner.storage.plans import (
    StoredPlan, keep_pooled_digest, kept_pooled_digest, list_plans, load_plan, pooled_checks, publish_plan, published_history, published_plan, save_plan,
    save_plans, save_plans_with_calendar, save_pooled_checks,
)
from planner.storage.patience_store import load_patience, save_patience
from planner.storage.people_store import load_absences, load_employees, load_taken_employee_ids, save_people
from planner.storage.read import (
    count_rows, counted_store_ids, load_counted_days, load_observations, load_stores, load_uploads,
)
from planner.storage.rosters import (
    StoredRoster, list_rosters, load_roster, publish_roster, published_roster, save_roster,
)
from planner.storage.revision import DataRevision, revision
from planner.storage.secrets import mask_secrets, safe_url
from planner.storage.versioned import check_iso_week
from planner.storage.settings_store import (
    chain_settings, chain_settings_changes, chain_settings_of, changes_between, load_settings, save_settings,
    settings_history,
)
from planner.storage.tables import (
    CALENDAR_COLUMNS, OBSERVATION_COLUMNS, STORE_COLUMNS, metadata, observations, stores, uploads,
)
from planner.storage.write import ImportSummary, save

__all__ = [
    "CALENDAR_COLUMNS", "OBSERVATION_COLUMNS", "STORE_COLUMNS", "DataRevision", "ImportSummary", "StoredPlan",
    "chain_settings", "chain_settings_changes", "chain_settings_of", "changes_between", "check_iso_week", "connect",
    "count_rows", "counted_store_ids", "database_errors",
    "keep_pooled_digest", "kept_pooled_digest", "list_plans", "pooled_checks", "save_pooled_checks", "load_calendar", "load_counted_days", "load_observations", "load_patience", "load_plan",
    "load_settings", "load_stores", "load_uploads", "mask_secrets", "metadata", "observations", "publish_plan",
    "published_history", "published_plan", "revision", "safe_url", "save", "save_calendar", "save_patience",
    "save_plan", "save_plans", "save_plans_with_calendar", "save_settings",
    "settings_history",
    "stores", "uploads",
    "StoredRoster", "list_rosters", "load_absences", "load_employees", "load_roster", "load_taken_employee_ids",
    "publish_roster",
    "published_roster", "save_people", "save_roster",
]
