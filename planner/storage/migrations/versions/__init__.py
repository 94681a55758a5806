"""The schema revisions, oldest first: 0001 is the schema as the first release made it, before migrations."""
