"""Run `audiogen` with a fault injected at an exact point: the Nth file replace.

Every file audiogen makes reaches its final name through os.replace or os.rename
(clip cache entries, staged episodes, the feed, the state file), so counting those
calls names every moment at which a crash could leave something half done.

    python inject.py count FILE -- ARGS...        run whole; write how many replaces it made to FILE
    python inject.py kill-before N -- ARGS...     SIGKILL itself just before the Nth replace
    python inject.py kill-after N -- ARGS...      SIGKILL itself just after the Nth replace
    python inject.py pause-at N READY GO -- ARGS...
                                                  at the Nth replace, create READY and wait until GO exists

ARGS are audiogen's own arguments (e.g. build seeds --out public).
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import time
from pathlib import Path


def main() -> int:
    split = sys.argv.index("--")
    mode, params, args = sys.argv[1], sys.argv[2:split], sys.argv[split + 1:]
    calls = 0

    def hooked(real):
        def call(*a, **k):
            nonlocal calls
            calls += 1
            if mode == "kill-before" and calls == int(params[0]):
                os.kill(os.getpid(), signal.SIGKILL)
            if mode == "pause-at" and calls == int(params[0]):
                Path(params[1]).touch()
                while not Path(params[2]).exists():
                    time.sleep(0.01)
            result = real(*a, **k)
            if mode == "kill-after" and calls == int(params[0]):
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
