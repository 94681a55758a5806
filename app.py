"""The staffing planner's web app: a router only. Each page is one file in `app_pages/`.

Run with `make run` (or `python -m streamlit run app.py`). To add a page, add its file and one `st.Page` line below.
"""

import streamlit as st

from app_pages import data

st.set_page_config(page_title="Staffing planner", layout="wide")

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
        st.Page("app_pages/settings.py", title="Settings", icon=":material/tune:"),
    ],
}

page = st.navigation(PAGES)
st.sidebar.caption(f"Database: {data.database_label()}")
page.run()
