"""Words of the app's sidebar: its headings, which group the pages by what they are, and the pages' titles.

The headings name no role: a store manager's Schedule, Plans and Roster sat under "Planner", which read as if the
manager were a planner or the pages not theirs. Every role sees the headings of the pages it may use.
"""

COUNTS, STORES, SCHEDULES, CHAIN = "Counts", "Stores", "Schedules", "Chain"
"""The files and counts a store brings in; the stores' own pages; the schedules, plans and rosters made from them;
what is the chain's (its settings, its audit trail, its users)."""

UPLOAD, OBSERVATIONS, MY_STORE, COMPARE_STORES = "Upload", "Observations", "My store", "Compare stores"
SCHEDULE, PLANS, ROSTER = "Schedule", "Plans", "Roster"
SETTINGS, AUDIT, USERS = "Settings", "Audit", "Users"
