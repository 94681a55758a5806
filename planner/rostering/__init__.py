"""Rosters from the database: with `pipeline` and `cli`, the place that calls every roster stage; it loads, calls and
hands back records, and prints nothing. Its modules, each importing only those above it:

- `documents`: a roster as saved (its JSON document) and read back (`SavedRoster`, `published`).
- `store_week`: the store-week to roster (requirement, people, absences, the week before, shifts elsewhere) and the
  roster made for it (`make_roster`).
- `standing`: whether a saved roster still stands (its plan replaced, its rules or time zone changed).
- `publishing`: saving and publishing, and what refuses either.
- `shift_diffs`: what a roster changes of the one published (whose shifts change, which are withdrawn).
- `replans`: re-plans of published rosters after absences.

Callers import the module they need (`from planner.rostering import documents`); nothing is re-exported here.
"""
