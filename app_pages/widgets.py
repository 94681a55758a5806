"""Small pieces of page shared by several pages."""

from __future__ import annotations

import streamlit as st

from app_pages import data
from planner.schemas import StoreSchema as S

UPLOAD_PAGE = "app_pages/upload.py"


def store_names_or_upload_hint() -> dict[str, str] | None:
    """store_id -> name of every stored store; with no stores yet, a pointer to Upload and None."""
    stores = data.stores()
    if stores.empty:
        st.info("No stores yet: upload the store file and some counts first.")
        st.page_link(UPLOAD_PAGE, label="Upload", icon=":material/upload_file:")
        return None
    return dict(zip(stores[S.store_id], stores[S.name], strict=True))
