"""Run `audiogen` with a fault injected at an exact point: the Nth file replace.

Every file audiogen makes reaches its final name through os.replace or os.rename
(clip cache entries, staged episodes, the feed, the state file), so counting those
calls names every moment at which a crash could leave something half done.

    python inject.py count FILE -- ARGS...        run whole; write how many replaces it made to FILE
    python inject.py kill-before N -- ARGS...     SIGKILL itself just before the Nth replace
    python inject.py kill-after N -- ARGS...      SIGKILL itself just after the Nth replace
    python inject.py pause-at N READY GO -- ARGS...
                                                  at the Nth replace, create READY and wait until GO exists
    python inject.py kill-after-file NAME -- ARGS...   SIGKILL itself just after the first replace onto NAME
    python inject.py fail-at-file NAME -- ARGS...      the first replace onto NAME fails: permission denied
    python inject.py pause-at-file NAME READY GO -- ARGS...
                                                  at the first replace onto NAME, create READY and wait for GO

NAME is a file name (feed.xml, manifest.json): only the move of a staged file into the output
has one of those as its destination.

ARGS are audiogen's own arguments (e.g. build seeds --out public).
"""

from __future__ import annotations

import atexit
import errno
import os
import signal
import sys
import time
from pathlib import Path


def main() -> int:
    split = sys.argv.index("--")
    mode, params, args = sys.argv[1], sys.argv[2:split], sys.argv[split + 1:]
    calls = 0
    named = 0  # replaces onto the file named NAME

    def pause(ready: str, go: str) -> None:
        Path(ready).touch()
        while not Path(go).exists():
            time.sleep(0.01)

    def hooked(real):
        def call(*a, **k):
            nonlocal calls, named
            calls += 1
            if mode.endswith("-file") and os.path.basename(os.fspath(a[1])) == params[0]:
                named += 1
            first_onto_name = mode.endswith("-file") and named == 1 and os.path.basename(os.fspath(a[1])) == params[0]
            if mode == "kill-before" and calls == int(params[0]):
                os.kill(os.getpid(), signal.SIGKILL)
            if mode == "pause-at" and calls == int(params[0]):
                pause(params[1], params[2])
            if mode == "pause-at-file" and first_onto_name:
                pause(params[1], params[2])
            if mode == "fail-at-file" and first_onto_name:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(a[1]))
            result = real(*a, **k)
            if (mode == "kill-after" and calls == int(params[0])) or (mode == "kill-after-file" and first_onto_name):
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return call

    os.replace, os.rename = hooked(os.replace), hooked(os.rename)
    if mode == "count":
        atexit.register(lambda: Path(params[0]).write_text(str(calls)))
    from audiogen.cli import main as audiogen

    return audiogen(args)


if __name__ == "__main__":
    sys.exit(main())
