"""The staffing planner's web app: a router only. Each page is one file in `app_pages/`.

Run with `make run` (or `python -m streamlit run app.py`). To add a page, add its file and one `st.Page` line below.
Before any page, the sign-in gate (`app_pages/signin.py`) says who is using the app: nobody signed in sees the
sign-in page only; a signed-in person sees the pages their role may use, with their scope in the session
(`state.SCOPE_KEY`), and every change they make is recorded as theirs.
"""

from pathlib import Path

import streamlit as st

from app_pages import data, navigation, signin, state, widgets
from planner import clock
from planner.access.actor import acting_as
from planner.access.scope import Scope

# Styles that keep every page usable at 1024 px wide and on a phone (controls wrap, charts keep a readable size).
LAYOUT_CSS = Path(__file__).resolve().parent / "app_pages" / "layout.css"

st.set_page_config(page_title="Staffing planner", layout="wide")
st.html(f"<style>{LAYOUT_CSS.read_text(encoding='utf-8')}</style>")


def pages(scope: Scope) -> dict[str, list[st.Page]]:
    """The pages `scope`'s role may use, by heading (`app_pages.navigation`: grouped by what they are, so every
    role's headings fit it). The role's own page (`widgets.LANDING_PAGES`) opens at the app's root. The address of a
    page the role may not use (/audit for a regional lead) opens that page instead, saying why
    (`signin.page_not_yours`)."""
    landing = widgets.LANDING_PAGES[scope.role]

    def page(entry: navigation.PageEntry) -> list[st.Page]:
        """The page of `entry`; the role's landing page at the app's root, with a hidden page at its own address
        (/plans) that leads there: Streamlit serves the default page at the root only."""
        if entry.path != landing:
            return [st.Page(entry.path, title=entry.title, icon=entry.icon)]
        return [st.Page(entry.path, title=entry.title, icon=entry.icon, default=True, url_path=""),
                st.Page(_to_landing, title=entry.title, url_path=Path(entry.path).stem, visibility="hidden")]

    listed = {heading: [each for entry in entries for each in page(entry)]
              for heading, entries in navigation.sections(scope).items()}
    not_yours = [st.Page(signin.page_not_yours(entry.title, entry.action), title=entry.title,
                         url_path=Path(entry.path).stem, visibility="hidden") for entry in navigation.not_yours(scope)]
    first = next(iter(listed))
    listed[first] += not_yours  # hidden: in a section of its own, its heading would show alone
    return listed


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
