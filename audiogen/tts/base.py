"""The engine base class: the one small interface every TTS engine implements.

An engine is a subclass of `Engine` with a ``name``, ``version()``,
``voice()`` and ``synthesize()``; everything else has a default. It is found
through the ``audiogen.engines`` entry-point group (see `audiogen.tts.registry`),
so a third-party engine is one installed package away, and ours are declared
the same way in pyproject.toml.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from ..model import Clip, Lang

if TYPE_CHECKING:
    from ..config import VoiceSettings


class EngineUnavailable(Exception):
    """The engine cannot work here at all (no network, library missing)."""


class SynthesisError(Exception):
    """One request failed; `retryable` says whether trying again may help."""

    def __init__(self, message: str, retryable: bool = False):
        super().__init__(message)
        self.retryable = retryable


class Engine:
    """A speech engine. Subclasses set ``name`` and implement the three methods that raise here."""

    name: ClassVar[str] = ""
    # how many synthesize() calls may run at once (1 for engines with global state)
    parallel: ClassVar[int] = 1
    # the languages it speaks: `--engine X` uses X for these and the offline default for the rest
    languages: ClassVar[tuple[str, ...]] = ("ko", "en")
    # needs the network: `auto` probes it once before choosing it
    online: ClassVar[bool] = False

    @classmethod
    def from_settings(cls, voices: VoiceSettings, timeout: float) -> Engine:
        """Build the engine from podcast.toml's [voices] and the per-request timeout; most need neither."""
        return cls()

    def available(self, timeout: float = 2.0) -> bool:
        """Can the engine work here right now? Online engines ask their service once, quickly; never raises."""
        return True

    def version(self) -> str:
        """Part of every cache key: a new engine version re-synthesizes."""
        raise NotImplementedError

    def voice(self, lang: Lang, wanted: str = "") -> str:
        """The voice to use for `lang`; `wanted` ("" = default) is checked and an unknown one
        raises AudiogenError."""
        raise NotImplementedError

    def second_voice(self, lang: Lang) -> str | None:
        """Another voice for `lang` that is easy to tell from the default one, if the engine has one."""
        return None

    def synthesize(self, text: str, lang: Lang, voice: str, speed: float) -> Clip:
        """Speak `text`; raise SynthesisError on failure (EngineUnavailable when it cannot work at all)."""
        raise NotImplementedError

    def speaks(self, lang: str) -> bool:
        return lang in self.languages
