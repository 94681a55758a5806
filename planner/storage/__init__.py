"""The database: stores, observations and uploads, with SQLAlchemy 2 Core. Any SQLAlchemy URL works; nothing here is
SQLite-only.

    engine = storage.connect(settings)        # DatabaseUnavailable: one sentence, no password
    storage.save(engine, ...)                 # one transaction per import; DatabaseBusy after the busy timeout
    storage.load_stores(engine); storage.load_observations(engine, ids); storage.load_counted_days(engine)
    storage.safe_url(url)                     # a URL fit to show or log

Modules: `tables` (schema and frame types), `engine` (connecting, locks, failures as sentences), `read`, `write`,
`secrets` (password masking).
"""

from planner.storage.engine import connect, database_errors
from planner.storage.read import count_rows, load_counted_days, load_observations, load_stores, load_uploads
from planner.storage.secrets import mask_secrets, safe_url
from planner.storage.tables import OBSERVATION_COLUMNS, STORE_COLUMNS, metadata, observations, stores, uploads
from planner.storage.write import ImportSummary, save, sha256_of

__all__ = [
    "OBSERVATION_COLUMNS", "STORE_COLUMNS", "ImportSummary", "connect", "count_rows", "database_errors",
    "load_counted_days", "load_observations", "load_stores", "load_uploads", "mask_secrets", "metadata", "observations",
    "safe_url",
    "save", "sha256_of", "stores", "uploads",
]
