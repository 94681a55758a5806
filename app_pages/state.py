"""Session-state and widget keys, named in one place so pages and tests agree on them."""

UPLOADED_FILES = "upload.files"
"""The file uploader on the Upload page (its value is the list of uploaded files)."""
IMPORT_BUTTON = "upload.import"
SELECTED_STORE = "observations.store"
"""The store picked on the Observations page."""
