"""What a fix tells the user to do with a file, in the words of the surface that shows it: the app's *Upload* page
takes files ("upload it again", "see the template" it offers), the command line is given their paths (`python -m
planner import FILE`; the README describes the columns). A fix is written once, in the app's words, from the phrases
here; the command line shows it through `on_command_line`, which puts each phrase's command-line words in its place.

Stdlib only: every layer that writes a fix (reading, checking, intake) may use it.
"""

from __future__ import annotations

from dataclasses import dataclass

IMPORT_COMMAND = "python -m planner import FILE"
"""How the command line imports a file, as its fixes name it."""


@dataclass(frozen=True)
class Phrase:
    """One thing to do, as the app says it and as the command line says it."""

    app: str
    command_line: str


UPLOAD_A_CSV_OR_XLSX = Phrase("Upload a CSV or XLSX file", f"Import a CSV or XLSX file ({IMPORT_COMMAND})")
UPLOAD_A_FILE = Phrase("Upload a file", "Import a file")
UPLOAD_IT_AGAIN = Phrase("upload it again", f"import it again ({IMPORT_COMMAND})")
UPLOAD_AGAIN = Phrase("upload again", f"import it again ({IMPORT_COMMAND})")
UPLOAD_THAT = Phrase("upload that", f"import that ({IMPORT_COMMAND})")
UPLOAD_THOSE = Phrase("upload those", f"import those ({IMPORT_COMMAND} FILE ...)")
UPLOAD_EACH_SHEET = Phrase("upload each sheet as its own file", "import each sheet as its own file")
UPLOAD_ONLY = Phrase("Upload only", "Import only")
ADD_THE_FILE_AGAIN = Phrase("add the file again", f"import the file again ({IMPORT_COMMAND})")
SEE_THE_TEMPLATE = Phrase("see the template", "see the README, 'Input files'")
MORE_SOLVER_TIME = Phrase("allow the solver more time", "allow the solver more time: --time-limit SECONDS")
"""A schedule the time limit stopped (`planner.shifts.report.explain`): the app's Settings page sets the limit
(*Schedule time limit*); the command line's `schedule` takes it as a flag; `plan`, which plans with the chain's
settings, says `PLAN_MORE_SOLVER_TIME`'s words."""
PLAN_MORE_SOLVER_TIME = Phrase(MORE_SOLVER_TIME.app, "allow the solver more time: python -m planner settings set "
                                                     "shifts.time_limit_seconds=SECONDS")
"""What `plan` and `plans show` say for it: their limit is the chain's saved setting."""

PHRASES = (UPLOAD_A_CSV_OR_XLSX, UPLOAD_A_FILE, UPLOAD_IT_AGAIN, UPLOAD_AGAIN, UPLOAD_THAT, UPLOAD_THOSE,
           UPLOAD_EACH_SHEET, UPLOAD_ONLY, ADD_THE_FILE_AGAIN, SEE_THE_TEMPLATE, MORE_SOLVER_TIME)
"""Every phrase, the longer of two that begin alike first ("Upload a CSV or XLSX file" before "Upload a file")."""


def on_command_line(text: str) -> str:
    """`text`, a fix written in the app's words, in the command line's."""
    if not any(word in text for word in ("pload", "template", "add the file", "more time")):
        return text  # most fixes name no file to upload: nothing to look for
    for phrase in PHRASES:
        text = text.replace(phrase.app, phrase.command_line)
    return text


def plan_on_command_line(text: str) -> str:
    """A plan's text (`planner.plans.export.plan_text`) as `plan` and `plans show` print it: its time limit is the
    chain's saved setting, changed by `settings set`."""
    return text.replace(PLAN_MORE_SOLVER_TIME.app, PLAN_MORE_SOLVER_TIME.command_line)
