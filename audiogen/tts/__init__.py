"""Speech: engines (subclasses of base.Engine), who speaks what (cast), a clip cache, a synthesizer.

Engines are found through the ``audiogen.engines`` entry-point group
(registry.py), ours included, so adding one takes a module with an `Engine`
subclass and one entry point; nothing else in the pipeline changes. A build
chooses a `Cast` once: an engine and a voice per language (cast.py).
"""

from __future__ import annotations

from .base import Engine, EngineUnavailable, SynthesisError
from .cast import Cast, Voice, choose
from .registry import engine_class, engines, make

__all__ = ["Cast", "Engine", "EngineUnavailable", "SynthesisError", "Voice", "all_engines", "choose",
           "engine_class", "engines", "make"]


def all_engines(voices, timeout: float) -> list[Engine]:
    """One of each installed engine, e.g. to know every cache key still in use (no network)."""
    return [make(cls, voices, timeout) for cls in engines().values()]
