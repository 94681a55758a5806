"""The app's pages as its sidebar lists them, grouped by what they are (`planner.surfaces.navigation`), for a
user's scope: the pages its role may use under their headings, and those it may not, whose addresses `app.py`
serves with a page saying whose they are. Plain values, no Streamlit call: `app.py` makes the `st.Page`s."""

from __future__ import annotations

from dataclasses import dataclass

from planner.access.scope import COMPARE, MANAGE_USERS, PLAN, READ_AUDIT, Scope
from planner.surfaces import navigation as words


@dataclass(frozen=True)
class PageEntry:
    path: str
    title: str
    icon: str
    action: str | None = None
    """What a role must be allowed (`Scope.may`) to use the page; None: every role."""


_SECTIONS: tuple[tuple[str, tuple[PageEntry, ...]], ...] = (
    (words.COUNTS, (PageEntry("app_pages/upload.py", words.UPLOAD, ":material/upload_file:"),
                    PageEntry("app_pages/observations.py", words.OBSERVATIONS, ":material/calendar_view_week:"))),
    (words.STORES, (PageEntry("app_pages/my_store.py", words.MY_STORE, ":material/storefront:"),
                    PageEntry("app_pages/compare.py", words.COMPARE_STORES, ":material/compare_arrows:", COMPARE))),
    (words.SCHEDULES, (PageEntry("app_pages/schedule.py", words.SCHEDULE, ":material/calendar_month:", PLAN),
                       PageEntry("app_pages/plans.py", words.PLANS, ":material/event_available:", PLAN),
                       PageEntry("app_pages/roster.py", words.ROSTER, ":material/badge:", PLAN))),
    # Settings is a planner's to change and everyone's to read (My store, Schedule and Plans point to it)
    (words.CHAIN, (PageEntry("app_pages/settings.py", words.SETTINGS, ":material/tune:"),
                   PageEntry("app_pages/audit.py", words.AUDIT, ":material/history:", READ_AUDIT),
                   PageEntry("app_pages/admin.py", words.USERS, ":material/group:", MANAGE_USERS))),
)


def sections(scope: Scope) -> dict[str, list[PageEntry]]:
    """The pages `scope`'s role may use, by heading, in the sidebar's order; a heading with none is left out."""
    listed = {heading: [entry for entry in entries if entry.action is None or scope.may(entry.action)]
              for heading, entries in _SECTIONS}
    return {heading: entries for heading, entries in listed.items() if entries}


def not_yours(scope: Scope) -> list[PageEntry]:
    """The pages `scope`'s role may not use: their addresses open a page saying whose they are."""
    return [entry for _, entries in _SECTIONS for entry in entries
            if entry.action is not None and not scope.may(entry.action)]
