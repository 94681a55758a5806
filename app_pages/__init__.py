"""The app's pages (one file each, run by `app.py`'s router) and the helpers they share."""
