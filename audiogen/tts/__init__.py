"""Speech: engines behind one small protocol (base.Engine), a clip cache, a synthesizer.

Adding an engine takes one module with a class that has ``name``,
``parallel``, ``version()``, ``voice()`` and ``synthesize()`` (see base.py),
plus one line in ``ENGINES`` below. Nothing else in the pipeline changes.
An engine that needs settings (a host, a timeout) also has a classmethod
``from_settings(voices: VoiceSettings, timeout: float)``; others are built
with no arguments.
"""

from __future__ import annotations

from collections.abc import Callable

from ..config import VoiceSettings
from ..errors import AudiogenError
from .base import Engine, EngineUnavailable, SynthesisError
from .espeak import EspeakEngine
from .gtts import GttsEngine

ENGINES: dict[str, type] = {
    "espeak": EspeakEngine,
    "gtts": GttsEngine,
}

__all__ = ["ENGINES", "Engine", "EngineUnavailable", "SynthesisError", "all_engines", "choose", "make", "EspeakEngine", "GttsEngine"]


def choose(name: str, voices: VoiceSettings, timeout: float, say: Callable[[str], object] = print) -> Engine:
    """The engine called `name`; "auto" asks Google once and falls back to eSpeak."""
    if name == "auto":
        online = make(GttsEngine, voices, timeout)
        if online.available():
            say("engine: gtts (Google answered)")
            return online
        say("engine: espeak (offline: Google did not answer)")
        return make(EspeakEngine, voices, timeout)
    if name not in ENGINES:
        *most, last = ["auto", *sorted(ENGINES)]
        raise AudiogenError(f"unknown engine '{name}'; choose {', '.join(most)} or {last}")
    return make(ENGINES[name], voices, timeout)


def all_engines(voices: VoiceSettings, timeout: float) -> list[Engine]:
    """One of each registered engine, e.g. to know every cache key still in use."""
    return [make(cls, voices, timeout) for cls in ENGINES.values()]


def make(cls: type, voices: VoiceSettings, timeout: float) -> Engine:
    """An engine that needs settings builds itself with a `from_settings` classmethod."""
    factory = getattr(cls, "from_settings", None)
    return factory(voices, timeout) if factory else cls()
