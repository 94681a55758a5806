"""The staffing planner's web app: a router only. Each page is one file in `app_pages/`.

Run with `make run` (or `python -m streamlit run app.py`). To add a page, add its file and one `st.Page` line below.
"""

from pathlib import Path

import streamlit as st

from app_pages import data

# Styles that keep every page usable at 1024 px wide and on a phone (controls wrap, charts keep a readable size).
LAYOUT_CSS = Path(__file__).resolve().parent / "app_pages" / "layout.css"

st.set_page_config(page_title="Staffing planner", layout="wide")
st.html(f"<style>{LAYOUT_CSS.read_text(encoding='utf-8')}</style>")

PAGES = {
    "Store manager": [
        st.Page("app_pages/upload.py", title="Upload", icon=":material/upload_file:", default=True),
        st.Page("app_pages/observations.py", title="Observations", icon=":material/calendar_view_week:"),
        st.Page("app_pages/my_store.py", title="My store", icon=":material/storefront:"),
    ],
    "Regional lead": [
        st.Page("app_pages/compare.py", title="Compare stores", icon=":material/compare_arrows:"),
    ],
    "Planner": [
        st.Page("app_pages/schedule.py", title="Schedule", icon=":material/calendar_month:"),
        st.Page("app_pages/plans.py", title="Plans", icon=":material/event_available:"),
        st.Page("app_pages/settings.py", title="Settings", icon=":material/tune:"),
    ],
}

page = st.navigation(PAGES)
st.sidebar.caption(f"Database: {data.database_label()}")
page.run()
