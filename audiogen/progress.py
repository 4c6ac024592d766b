"""What the user sees while a build runs: a rich progress bar on a terminal,
plain lines elsewhere (CI logs, pipes), nothing but errors with --quiet."""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager
from typing import Callable, Iterator


class Reporter:
    def __init__(self, quiet: bool = False, verbose: bool = False, stream=None):
        self.quiet, self.verbose = quiet, verbose
        self.stream = stream or sys.stderr
        self.fancy = not quiet and self.stream.isatty()
        self._lock = threading.Lock()

    def _print(self, text: str) -> None:
        with self._lock:
            print(text, file=self.stream, flush=True)

    def info(self, text: str) -> None:
        if not self.quiet:
            self._print(text)

    def detail(self, text: str) -> None:
        if self.verbose:
            self._print(text)

    def warn(self, text: str) -> None:
        self._print(text if text.startswith("warning") else f"warning: {text}")

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
