"""A child process we talk to over a pipe: the Korean analyser and the Piper voice each run in one.

Both hold a model the build must not keep in its own memory, so each lives in a child that
can be ended and started again. What they share is here: the child starts on first use; one
request at a time, each answered within a deadline (a first answer gets longer: the child
loads its model first); a child that dies is replaced once and asked again, a second death or
a silence is one error; and the child never outlives the parent. A parent that exits normally
ends it from an exit hook (registered once); a parent that is killed cannot run one, so every
child ends by itself when its stdin closes, which the kernel does for any death of the parent.

Each child keeps its own protocol: the caller's `exchange` writes the request and reads the
answer through `Pipe.send`, `Pipe.read_line` and `Pipe.read_exactly`.
"""

from __future__ import annotations

import atexit
import os
import select
import signal
import subprocess
import threading
import time
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")


class WorkerGone(Exception):
    """The child died; the message says how ("exited with status 3")."""


class WorkerSilent(WorkerGone):
    """The child is alive but gave no answer in time (asking again would wait as long)."""


class Pipe:
    """One running child and the bytes it has sent that no answer has taken yet."""

    def __init__(self, command: Sequence[str], close_seconds: float) -> None:
        # OSError (no such program) is the caller's to say in its own words
        self.proc = subprocess.Popen(list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.close_seconds = close_seconds
        self.pending = bytearray()
        self.answered = False  # a first answer may take longer: the child loads its model first
        self.asked_at = 0.0
        self.deadline = 0.0

    @property
    def pid(self) -> int:
        return self.proc.pid

    def send(self, data: bytes) -> None:
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except OSError:
            raise WorkerGone(self.how_it_ended()) from None

    def read_line(self) -> bytes:
        """The next line the child sends, without its newline."""
        while b"\n" not in self.pending:
            self._fill()
        line, _, rest = bytes(self.pending).partition(b"\n")
        self.pending = bytearray(rest)
        return line

    def read_exactly(self, size: int) -> bytes:
        while len(self.pending) < size:
            self._fill()
        data, self.pending = bytes(self.pending[:size]), self.pending[size:]
        return data

    def _fill(self) -> None:
        fd = self.proc.stdout.fileno()
        left = self.deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise WorkerSilent(f"gave no answer within {self.deadline - self.asked_at:.0f} s")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise WorkerGone(self.how_it_ended())
        self.pending += chunk

    def how_it_ended(self) -> str:
        try:
            code = self.proc.wait(timeout=self.close_seconds)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        if code < 0:
            try:
                return f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"was killed by signal {-code}"
        return f"exited with status {code}"

    def close(self, kill: bool = False) -> None:
        """End the child: closing its stdin ends an idle one; a busy or silent one is killed."""
        try:
            if kill:
                self.proc.kill()
            self.proc.stdin.close()
            self.proc.wait(timeout=self.close_seconds)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            self.proc.stdout.close()


class Worker:
    """A child started on first use, asked one request at a time, replaced once when it dies.

    `command` is called at each start (so a test, or a wrapper, may point it elsewhere).
    """

    def __init__(self, command: Callable[[], Sequence[str]], close_seconds: float = 5.0) -> None:
        self.command = command
        self.close_seconds = close_seconds
        self._lock = threading.Lock()
        self._pipe: Pipe | None = None
        self._ends_at_exit = False

    def ask(self, exchange: Callable[[Pipe], T], timeout: float, start_seconds: float = 0.0) -> T:
        """`exchange(pipe)` against a running child, within `timeout` (plus `start_seconds` for a
        child's first answer). A child that dies is replaced and asked again, once; a second death,
        or a silence, raises WorkerGone (OSError when the child cannot be started at all)."""
        with self._lock:
            for attempt in (1, 2):
                pipe = self._running()
                pipe.asked_at = time.monotonic()
                pipe.deadline = pipe.asked_at + timeout + (0 if pipe.answered else start_seconds)
                try:
                    answer = exchange(pipe)
                except WorkerGone as e:
                    self._drop(kill=True)
                    if attempt == 2 or isinstance(e, WorkerSilent):
                        raise
                    continue
                except BaseException:  # Ctrl-C or a bug mid-answer: the child's state is unknown
                    self._drop(kill=True)
                    raise
                pipe.answered = True
                return answer
        raise AssertionError("unreachable")  # pragma: no cover

    def _running(self) -> Pipe:
        if self._pipe is None:
            self._pipe = Pipe(self.command(), self.close_seconds)
            if not self._ends_at_exit:
                atexit.register(self.release)
                self._ends_at_exit = True
        return self._pipe

    def _drop(self, kill: bool) -> None:
        if self._pipe is not None:
            pipe, self._pipe = self._pipe, None
            pipe.close(kill=kill)

    def release(self) -> None:
        """End the child, giving its memory back (it starts again when asked again)."""
        with self._lock:
            self._drop(kill=False)

    def pid(self) -> int | None:
        """The child's process id while one runs (for tests and diagnostics)."""
        with self._lock:
            return self._pipe.pid if self._pipe is not None else None
