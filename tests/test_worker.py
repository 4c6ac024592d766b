"""audiogen.worker: real child processes (small Python programs) spoken to over real pipes; the
Korean analyser through it. The Piper voice's own cases are in test_piper_worker.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from audiogen import korean, worker
from audiogen.worker import Pipe, Worker, WorkerGone, WorkerSilent
from helpers import alive

# Answers each line with the line upper-cased, until its stdin ends.
ECHO = [sys.executable, "-c", "import sys\nfor line in sys.stdin: sys.stdout.write(line.upper()); sys.stdout.flush()"]


def echo(pipe: Pipe) -> bytes:
    pipe.send(b"hello\n")
    return pipe.read_line()


def counted(command: list[str], starts: list[int]):
    """`command`, noting each start in `starts`."""

    def start() -> list[str]:
        starts.append(1)
        return command

    return start


def gone_within(pid: int, seconds: float) -> bool:
    for _ in range(int(seconds * 10)):
        if not alive(pid):
            return True
        time.sleep(0.1)
    return not alive(pid)


@pytest.fixture
def workers():
    made: list[Worker] = []
    yield made
    for w in made:
        w.release()


def test_starts_on_first_use_answers_and_ends_when_released(workers):
    w = Worker(lambda: ECHO)
    workers.append(w)
    assert w.pid() is None  # nothing runs before the first request
    assert w.ask(echo, timeout=30) == b"HELLO"
    pid = w.pid()
    assert pid is not None and w.ask(echo, timeout=30) == b"HELLO" and w.pid() == pid  # one child for both
    w.release()
    assert w.pid() is None and gone_within(pid, 10)
    assert w.ask(echo, timeout=30) == b"HELLO" and w.pid() not in (None, pid)  # asked again: a new one


def test_a_child_that_dies_is_replaced_once_and_asked_again(workers, tmp_path):
    marker = tmp_path / "died-once"
    dies_first = [sys.executable, "-c", (
        "import os, sys\n"
        f"marker = {str(marker)!r}\n"
        "if not os.path.exists(marker):\n"
        "    open(marker, 'w').close(); sys.stdin.readline(); sys.exit(3)\n"
        "for line in sys.stdin: sys.stdout.write(line.upper()); sys.stdout.flush()\n")]
    w = Worker(lambda: dies_first)
    workers.append(w)
    assert w.ask(echo, timeout=30) == b"HELLO" and marker.exists()


def test_a_child_that_keeps_dying_is_one_error_saying_how(workers):
    starts: list[int] = []
    w = Worker(counted([sys.executable, "-c", "import sys; sys.stdin.readline(); sys.exit(3)"], starts))
    workers.append(w)
    with pytest.raises(WorkerGone, match="^exited with status 3$"):
        w.ask(echo, timeout=30)
    assert len(starts) == 2 and w.pid() is None


def test_a_silent_child_is_killed_at_its_deadline_not_asked_again(workers):
    starts: list[int] = []
    w = Worker(counted([sys.executable, "-c", "import time; time.sleep(600)"], starts))
    workers.append(w)
    with pytest.raises(WorkerSilent, match="gave no answer within 2 s"):
        w.ask(echo, timeout=1, start_seconds=1)  # a first answer: the timeout plus the start
    assert len(starts) == 1 and w.pid() is None


def test_an_error_mid_answer_ends_the_child(workers):
    w = Worker(lambda: ECHO)
    workers.append(w)
    w.ask(echo, timeout=30)
    pid = w.pid()

    def broken(pipe: Pipe) -> None:
        pipe.send(b"half\n")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        w.ask(broken, timeout=30)
    assert w.pid() is None and gone_within(pid, 10)  # its answer would have confused the next request


def test_the_exit_hook_is_registered_once(workers, monkeypatch):
    hooks = []
    monkeypatch.setattr(worker.atexit, "register", hooks.append)
    w = Worker(lambda: ECHO)
    workers.append(w)
    for _ in range(3):
        w.ask(echo, timeout=30)
        w.release()
    assert hooks == [w.release]


PARENT = """
import sys, time
from audiogen.worker import Worker
def echo(pipe):
    pipe.send(b"x\\n")
    return pipe.read_line()
w = Worker(lambda: {echo!r})
w.ask(echo, timeout=30)
print(w.pid(), flush=True)
if sys.argv[1] == "exit":
    sys.exit(0)
time.sleep(600)
"""


@pytest.mark.parametrize("how", ["exit", "SIGKILL"])
def test_the_child_ends_with_its_parent_however_the_parent_ends(how):
    parent = subprocess.Popen([sys.executable, "-c", PARENT.format(echo=ECHO), how], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert alive(child)
        if how == "SIGKILL":
            os.kill(parent.pid, signal.SIGKILL)  # no exit hook runs: the child sees its stdin close
        parent.wait(timeout=60)
    finally:
        if parent.poll() is None:
            parent.kill()
        parent.stdout.close()
    assert gone_within(child, 30)


def test_the_korean_analyser_is_replaced_when_its_process_dies():
    korean.release()
    first = korean.analyse("분석기가 죽어도 다시 시작합니다")
    pid = korean._analyser.worker.pid()
    assert pid is not None and first
    os.kill(pid, signal.SIGKILL)
    again = korean.analyse("죽은 분석기 대신 새 분석기가 답합니다")
    assert again and korean._analyser.worker.pid() not in (None, pid)
    korean.release()
    assert korean._analyser.worker.pid() is None
