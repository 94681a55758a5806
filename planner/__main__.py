"""`python -m planner`: the command-line interface (see `planner.cli`)."""

import sys

from planner.cli import main

sys.exit(main())
