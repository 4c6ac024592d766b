"""The engine protocol: the one small interface every TTS engine implements.

Adding an engine means one module with a class like this and one line in
`audiogen.tts.ENGINES`. The pipeline never sees anything else of it.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from ..model import Clip, Lang


class EngineUnavailable(Exception):
    """The engine cannot work here at all (no network, library missing)."""


class SynthesisError(Exception):
    """One request failed; `retryable` says whether trying again may help."""

    def __init__(self, message: str, retryable: bool = False):
        super().__init__(message)
        self.retryable = retryable


class Engine(Protocol):
    name: ClassVar[str]
    # how many synthesize() calls may run at once (1 for engines with global state)
    parallel: ClassVar[int]

    def version(self) -> str:
        """Part of every cache key: a new engine version re-synthesizes."""
        ...

    def voice(self, lang: Lang, wanted: str = "") -> str:
        """The voice to use for `lang`; `wanted` ("" = default) is checked and
        an unknown one raises AudiogenError."""
        ...

    def synthesize(self, text: str, lang: Lang, voice: str, speed: float) -> Clip:
        """Speak `text`; raise SynthesisError on failure."""
        ...
