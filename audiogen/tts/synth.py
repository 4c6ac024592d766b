"""Turn a script's spoken lines into clips: from the cache when possible, else from the engine.

Identical lines (same voice, lang, speed and text) are spoken once. Online
engines get a few requests in flight; a throttled or failed request
(SynthesisError with ``retryable``) is tried again after an exponential
backoff with full jitter, and every worker waits out that backoff, since
Google throttles the whole address, not one request. Each clip goes into
the cache the moment it arrives, so a build that fails half-way resumes
where it stopped. Engines take a line's text whole: eSpeak reads any
length, and gTTS splits it at 100 characters and joins the MP3 itself.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass

from ..errors import AudiogenError
from ..model import Clip, Line
from .base import Engine, EngineUnavailable, SynthesisError
from .cache import ClipCache
from .cast import Cast, Voice

BACKOFF_BASE = 1.0  # seconds before the first retry, at most
BACKOFF_CAP = 30.0


@dataclass
class SynthResult:
    clips: list[Clip | None]  # one per line; None for pauses and stings
    keys: list[str | None]  # the cache key of each spoken line
    synthesized: int  # clips the engine made in this call
    cached: int  # spoken lines served without the engine (cache hits, repeats)


def cache_key_for(line: Line, engine: Engine, voice: str) -> str:
    """The cache key of a spoken line: it changes with the engine, its version and the voice
    (`voice` as engine.voice() resolved it)."""
    return ClipCache.key(engine, voice, line.lang or "", line.speed, line.text)


def key_in(cast: Cast, line: Line) -> str:
    """The cache key of a spoken line said in the voice `cast` gives it (render keys, the deck
    and synthesis all name a clip so)."""
    voice = cast.voice_for(line)
    return cache_key_for(line, voice.engine, voice.name)


def backoff_delay(retry: int, rng: Callable[[], float] = random.random) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2**(retry-1))] before retry 1, 2, ..."""
    return rng() * min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (retry - 1))


def synthesize(
    lines: list[Line],
    cast: Cast,
    cache: ClipCache,
    *,
    concurrency: int,
    retries: int,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] = time.sleep,
    rng: Callable[[], float] = random.random,
    progress: Callable[[int, int], object] | None = None,
) -> SynthResult:
    """Clips for every spoken line, each in the voice `cast` gives it.

    `retries` is the number of tries per clip (at least one). Raises
    AudiogenError naming the line when a clip cannot be made. Engines take
    turns (each with its own number of workers), in the order they first speak.
    """
    voices = [cast.voice_for(line) if line.spoken else None for line in lines]
    keys = [key_in(cast, line) if line.spoken else None for line in lines]

    found: dict[str, Clip] = {}
    missing: dict[str, tuple[Line, Voice]] = {}  # first line with each key, in script order
    for line, voice, key in zip(lines, voices, keys):
        if key is None or voice is None or key in found or key in missing:
            continue
        clip = cache.get(key)
        if clip is None:
            missing[key] = (line, voice)
        else:
            found[key] = clip

    total = len(found) + len(missing)
    if progress:
        progress(len(found), total)
    by_engine: dict[str, dict[str, tuple[Line, Voice]]] = {}
    for key, (line, voice) in missing.items():
        by_engine.setdefault(voice.engine.name, {})[key] = (line, voice)
    gate = _Gate(clock, sleep)
    tries = max(1, retries)

    def make(key: str, line: Line, voice: Voice) -> Clip:
        clip = _speak(voice, line, tries, gate, rng)
        cache.put(key, clip)  # now, so a later failure keeps it
        return clip

    for todo in by_engine.values():
        engine = next(iter(todo.values()))[1].engine
        workers = max(1, min(concurrency, engine.parallel))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tts") as pool:
            pending = {pool.submit(make, key, line, voice): key for key, (line, voice) in todo.items()}
            try:
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        key = pending.pop(future)
                        found[key] = future.result()  # a failed line raises here
                        if progress:
                            progress(len(found), total)
            except BaseException:  # a failed line, Ctrl-C or SIGTERM: stop now, not after the queue
                gate.stop()  # workers give up their retries; running requests finish
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    spoken = sum(key is not None for key in keys)
    return SynthResult(
        clips=[found[key] if key is not None else None for key in keys],
        keys=keys,
        synthesized=len(missing),
        cached=spoken - len(missing),
    )


class _Stopped(Exception):
    """Another line failed: this worker stops retrying."""


class _Gate:
    """Shared backoff: after a throttled request no worker sends before `resume_at`."""

    def __init__(self, clock: Callable[[], float], sleep: Callable[[float], object]):
        self.clock, self.sleep = clock, sleep
        self.resume_at = float("-inf")
        self.stopped = False
        self.lock = threading.Lock()

    def hold(self, delay: float) -> None:
        with self.lock:
            self.resume_at = max(self.resume_at, self.clock() + delay)

    def pass_(self) -> None:
        with self.lock:
            wait = self.resume_at - self.clock()
        if wait > 0:
            self.sleep(wait)
        if self.stopped:
            raise _Stopped

    def stop(self) -> None:
        self.stopped = True


def _speak(voice: Voice, line: Line, tries: int, gate: _Gate, rng: Callable[[], float]) -> Clip:
    engine = voice.engine
    for attempt in range(1, tries + 1):
        gate.pass_()
        try:
            return engine.synthesize(line.text, line.lang, voice.name, line.speed)
        except EngineUnavailable as e:
            raise AudiogenError(f"{engine.name} cannot work here: {e}") from None
        except SynthesisError as e:
            if not e.retryable:
                raise AudiogenError(f"{engine.name} failed on line {_quote(line.text)}: {e}") from None
            if attempt == tries:
                plural = "try" if tries == 1 else "tries"
                raise AudiogenError(f"{engine.name} failed after {tries} {plural} on line {_quote(line.text)}: {e}") from None
            gate.hold(backoff_delay(attempt, rng))
    raise AssertionError("unreachable")  # pragma: no cover


def _quote(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return f'"{flat[:width]}…"' if len(flat) > width else f'"{flat}"'
