"""`python -m planner`: the command-line interface (see `planner.cli`)."""

import sys

from planner.cli import main

if __name__ == "__main__":  # Dask's worker processes import this module again; only the real run acts
    sys.exit(main())
