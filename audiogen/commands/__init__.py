"""One module per command, each a thin `run(args)` over the library.

cli.py parses the command line and turns failures into one line; these
modules load the settings and call the pipeline (MkDocs' `commands/` shape).
"""

from __future__ import annotations

from ..progress import Reporter


def reporter(args) -> Reporter:
    """What the user sees, as --quiet/--verbose ask."""
    return Reporter(quiet=getattr(args, "quiet", False), verbose=getattr(args, "verbose", False))
