"""Shared fixtures: real offline speech (eSpeak NG through ctypes) and the default audio settings."""

from __future__ import annotations

import ctypes
import threading

import pytest

from audiogen.config import AudioSettings
from audiogen.model import Clip

SENTENCES = {
    "ko": "안녕하세요. 오늘은 인공지능의 안전에 대해 이야기합니다.",
    "en": "Safety has to be engineered in from the start.",
    "ko2": "핵심 표현을 함께 연습해 봅시다.",
    "en2": "Let's practise the key expressions together.",
}

_lock = threading.Lock()


def _espeak_local(text: str, lang: str, speed: float = 1.0) -> Clip:
    """A minimal eSpeak NG call, used until audiogen.tts.espeak exists."""
    import espeakng_loader

    with _lock:
        lib = getattr(_espeak_local, "lib", None)
        if lib is None:
            lib = ctypes.CDLL(espeakng_loader.get_library_path())
            lib.espeak_Initialize.restype = ctypes.c_int
            rate = lib.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0)
            cb_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
            chunks: list[bytes] = []

            def cb(wav, n, events):
                if n > 0:
                    chunks.append(ctypes.string_at(wav, n * 2))
                return 0

            keep = cb_type(cb)
            lib.espeak_SetSynthCallback(keep)
            _espeak_local.lib, _espeak_local.rate, _espeak_local.chunks, _espeak_local.keep = lib, rate, chunks, keep
        chunks = _espeak_local.chunks
        chunks.clear()
        lib.espeak_SetVoiceByName(b"ko" if lang == "ko" else b"en-us")
        lib.espeak_SetParameter(1, int(175 * speed), 0)
        data = text.encode("utf-8")
        lib.espeak_Synth(data, len(data) + 1, 0, 1, 0, 1, None, None)
        return Clip(b"".join(chunks), _espeak_local.rate)


def speak(text: str, lang: str, speed: float = 1.0) -> Clip:
    """Real speech from the project's engine when it is there, else a local ctypes call."""
    try:
        from audiogen.tts.espeak import EspeakEngine
    except ImportError:
        return _espeak_local(text, lang, speed)
    engine = EspeakEngine()
    return engine.synthesize(text, lang, "ko" if lang == "ko" else "en-us", speed)


@pytest.fixture(scope="session")
def speech() -> dict[str, Clip]:
    """A few real eSpeak clips: keys "ko", "en", "ko2", "en2"."""
    return {key: speak(text, key[:2]) for key, text in SENTENCES.items()}


@pytest.fixture
def audio() -> AudioSettings:
    return AudioSettings()
