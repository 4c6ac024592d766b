"""What the user sees while a command runs: messages through the `audiogen` logger, and a
rich progress bar on a terminal (plain `[i/n]` lines elsewhere: CI logs, pipes).

Levels: --quiet shows warnings and errors only, the default adds what a build did (info),
--verbose adds why (debug: which episodes were reused, which clips healed...). Modules
deeper in the library log to `logging.getLogger(__name__)` and are shown the same way.
"""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from typing import Callable, Iterator

LOG = logging.getLogger("audiogen")


class _Plain(logging.Formatter):
    """A message as it is; a warning says so."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.levelno == logging.WARNING and not text.startswith("warning"):
            text = f"warning: {text}"
        return text


class Reporter:
    def __init__(self, quiet: bool = False, verbose: bool = False, stream=None):
        self.quiet, self.verbose = quiet, verbose
        self.stream = stream or sys.stderr
        self.fancy = not quiet and self.stream.isatty()
        # one handler for the command that runs now (a test may run many commands in one process)
        for old in [h for h in LOG.handlers if getattr(h, "audiogen", False)]:
            LOG.removeHandler(old)
        handler = logging.StreamHandler(self.stream)
        handler.audiogen = True  # type: ignore[attr-defined]
        handler.setFormatter(_Plain())
        LOG.addHandler(handler)
        LOG.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO)
        LOG.propagate = False

    def info(self, text: str) -> None:
        LOG.info(text)

    def detail(self, text: str) -> None:
        LOG.debug(text)

    def warn(self, text: str) -> None:
        LOG.warning(text)

    @contextmanager
    def progress(self, what: str, total: int) -> Iterator[Callable[[str], None]]:
        """Yields `advance(name)`, to be called once per finished item."""
        if self.fancy:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), transient=True) as bar:
                task = bar.add_task(what, total=total)
                yield lambda name: bar.update(task, advance=1, description=f"{what} {name}")
            return
        done = 0

        def advance(name: str) -> None:
            nonlocal done
            done += 1
            self.info(f"[{done}/{total}] {what} {name}")

        yield advance
