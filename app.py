"""The staffing planner's web app: a router only. Each page is one file in `app_pages/`.

Run with `make run` (or `python -m streamlit run app.py`). To add a page, add its file and one `st.Page` line below.
Before any page, the sign-in gate (`app_pages/signin.py`) says who is using the app: nobody signed in sees the
sign-in page only; a signed-in person sees the pages their role may use, with their scope in the session
(`state.SCOPE_KEY`), and every change they make is recorded as theirs.
"""

from pathlib import Path

import streamlit as st

from app_pages import data, signin, state, widgets
from planner import clock
from planner.access.actor import acting_as
from planner.access.scope import COMPARE, EDIT_SETTINGS, MANAGE_USERS, PLAN, READ_AUDIT, Scope

# Styles that keep every page usable at 1024 px wide and on a phone (controls wrap, charts keep a readable size).
LAYOUT_CSS = Path(__file__).resolve().parent / "app_pages" / "layout.css"

st.set_page_config(page_title="Staffing planner", layout="wide")
st.html(f"<style>{LAYOUT_CSS.read_text(encoding='utf-8')}</style>")


def pages(scope: Scope) -> dict[str, list[st.Page]]:
    """The pages `scope`'s role may use, by section (a section with none is left out). Settings is a planner's to
    change and everyone's to read (My store, Schedule and Plans point to it for the targets). The role's own page
    (`widgets.LANDING_PAGES`) opens at the app's root. The address of a page the role may not use (/audit for a
    regional lead) opens that page instead, saying why (`signin.page_not_yours`)."""
    landing = widgets.LANDING_PAGES[scope.role]
    editor = scope.may(EDIT_SETTINGS)
    not_yours = []

    def page(path: str, title: str, icon: str) -> list[st.Page]:
        """The page at `path`; the role's landing page at the app's root, with a hidden page at its own address
        (/plans) that leads there: Streamlit serves the default page at the root only."""
        if path != landing:
            return [st.Page(path, title=title, icon=icon)]
        return [st.Page(path, title=title, icon=icon, default=True, url_path=""),
                st.Page(_to_landing, title=title, url_path=Path(path).stem, visibility="hidden")]

    def only_for(action: str, *listed: list[st.Page]) -> list[st.Page]:
        """`listed` where the role may `action`; else a stand-in at each one's address, saying whose it is."""
        if scope.may(action):
            return [each for pages in listed for each in pages]
        not_yours.extend(st.Page(signin.page_not_yours(shown.title, action), title=shown.title,
                                 url_path=shown.url_path, visibility="hidden") for (shown,) in listed)
        return []

    settings = page("app_pages/settings.py", "Settings", ":material/tune:")
    sections = {
        "Store manager": [
            *page("app_pages/upload.py", "Upload", ":material/upload_file:"),
            *page("app_pages/observations.py", "Observations", ":material/calendar_view_week:"),
            *page("app_pages/my_store.py", "My store", ":material/storefront:"),
        ],
        "Regional lead": only_for(COMPARE, page("app_pages/compare.py", "Compare stores", ":material/compare_arrows:")),
        "Planner": [
            *only_for(PLAN, page("app_pages/schedule.py", "Schedule", ":material/calendar_month:"),
                      page("app_pages/plans.py", "Plans", ":material/event_available:"),
                      page("app_pages/roster.py", "Roster", ":material/badge:")),
            *(settings if editor else []),
        ],
        "Chain": [] if editor else settings,  # read-only
        "Admin": [
            *only_for(READ_AUDIT, page("app_pages/audit.py", "Audit", ":material/history:")),
            *only_for(MANAGE_USERS, page("app_pages/admin.py", "Users", ":material/group:")),
        ],
    }
    sections["Store manager"] += not_yours  # hidden: in a section of its own, its heading would show alone
    return {section: listed for section, listed in sections.items() if listed}


def _to_landing() -> None:
    """The landing page's own address (/plans, as every other page has its name for one) opened "Page not found"
    over it: it now switches to the page, at the root."""
    st.switch_page(widgets.LANDING_PAGES[state.current_scope().role])


def page_paths() -> list[str]:
    """The address of every page of the app (`/plans`, ...), whoever may use it."""
    return [page.url_path for listed in pages(Scope.everything("")).values() for page in listed if page.url_path]


with data.errors_shown():
    clock.check()  # a slip in PLANNER_TODAY is said before any page, in its own words, and no page is served
    rules = signin.rules()
    scope = signin.session_scope(rules)
    if scope is None:
        # every page's address shows the sign-in form, and the page asked for once signed in: a reload (F5) or a
        # bookmark of /plans showed "Page not found" over the form and then landed on Upload
        gate = [st.Page(signin.sign_in_page, title="Sign in", icon=":material/login:", default=True)]
        gate += [st.Page(signin.sign_in_page, title="Sign in", url_path=path) for path in page_paths()]
        st.navigation(gate, position="hidden").run()
        st.stop()
    st.session_state[state.SCOPE_KEY] = scope
    page = st.navigation(pages(scope))
    signin.database_note(scope)
    signin.sidebar(scope, rules)
    signin.page_not_yours_note()
    with acting_as(scope.user):
        page.run()
