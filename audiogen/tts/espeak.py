"""eSpeak NG, embedded: the offline engine that always works.

The library and its voice data come from the ``espeakng-loader`` wheel; we
talk to it through ctypes (the ``espeakng`` and ``pyttsx3`` packages want a
system install). eSpeak keeps global state (one current voice, one rate, one
callback), so the library is initialised once per process, lazily, and every
synthesis holds a lock: ``parallel = 1``.

eSpeak's pitch "flutter" runs on across utterances, so the same text can
come out a few samples different later in a process. A fresh process that
speaks the same lines in the same order gives the same bytes, and the clip
cache keeps a clip once made: that is what keeps builds reproducible.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..errors import AudiogenError
from ..model import Clip, Lang
from . import english, korean
from .base import Engine, EngineUnavailable, SynthesisError

# Bump when a change here alters the audio for the same text (part of cache keys).
REVISION = "r2"  # r2: short English acronyms spelled (tts.english)

# Words per minute at speed 1.0. eSpeak's own default (175) is brisk for a
# learner; Korean syllables are dense, so it gets a little less.
BASE_WPM: dict[str, int] = {"ko": 155, "en": 165}
MIN_WPM, MAX_WPM = 80, 450  # eSpeak clamps outside this range anyway
DEFAULT_VOICES: dict[str, str] = {"ko": "ko", "en": "en-us"}

# espeak-ng/speak_lib.h
AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_DONT_EXIT = 0x8000  # report errors instead of calling exit()
ESPEAK_RATE = 1
POS_CHARACTER = 1
CHARS_UTF8 = 1
EE_OK = 0

# int SynthCallback(short *wav, int numsamples, espeak_EVENT *events)
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class _Voice(ctypes.Structure):
    """espeak_VOICE, as espeak_ListVoices returns it."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),  # (priority byte, NUL-terminated name)*, then a 0 byte
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


@dataclass
class _Library:
    """The initialised library plus what it told us at start-up."""

    lib: ctypes.CDLL
    rate: int
    version: str
    voices: dict[str, str]  # language name -> voice identifier for SetVoiceByName
    variants: frozenset[str]  # names usable after "+" (en-us+f3)
    callback: object  # keep the ctypes callback alive: if collected, eSpeak calls freed memory
    samples: list[bytes]


_lock = threading.Lock()
_library: _Library | None = None


def _load() -> _Library:
    """Initialise eSpeak once per process (call with `_lock` held)."""
    global _library
    if _library is not None:
        return _library
    try:
        import espeakng_loader

        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        data = espeakng_loader.get_data_path()
    except (ImportError, OSError, RuntimeError) as e:
        raise EngineUnavailable(f"eSpeak NG could not be loaded: {e}") from None

    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_Info.argtypes = [ctypes.c_void_p]
    lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
        ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
    ]  # fmt: skip
    lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
    lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]

    rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data.encode(), INITIALIZE_DONT_EXIT)
    if rate <= 0:
        raise EngineUnavailable(f"eSpeak NG could not start (data folder {data})")

    samples: list[bytes] = []

    def collect(wav, count, _events):
        if wav and count > 0:
            samples.append(ctypes.string_at(wav, count * 2))
        return 0  # 0 = go on

    callback = _CALLBACK(collect)
    lib.espeak_SetSynthCallback(callback)
    _library = _Library(
        lib=lib,
        rate=rate,
        version=(lib.espeak_Info(None) or b"unknown").decode(),
        voices=_voices_by_language(lib),
        variants=frozenset(p.name for p in (Path(data) / "voices" / "!v").iterdir()),
        callback=callback,
        samples=samples,
    )
    return _library


def _voices_by_language(lib: ctypes.CDLL) -> dict[str, str]:
    """Language name ("en-gb") -> identifier of its preferred voice ("gmw/en").

    SetVoiceByName knows identifiers and some names but not every language
    name, so we look the language up ourselves; eSpeak prefers the voice
    that lists the language with the lowest priority number.
    """
    best: dict[str, tuple[int, str]] = {}
    table = lib.espeak_ListVoices(None)
    i = 0
    while table[i]:
        voice = table[i].contents
        langs, offset = voice.languages, 0
        while (priority := ctypes.string_at(langs + offset, 1)[0]) != 0:  # a 0 byte ends the list
            name = ctypes.string_at(langs + offset + 1).decode()
            offset += len(name) + 2
            if name not in best or priority < best[name][0]:
                best[name] = (priority, voice.identifier.decode())
        i += 1
    return {name: ident for name, (_, ident) in best.items()}


def _library_or_error() -> _Library:
    with _lock:
        return _load()


class EspeakEngine(Engine):
    """Offline speech through the embedded eSpeak NG library."""

    name: ClassVar[str] = "espeak"
    parallel: ClassVar[int] = 1

    def __init__(self, korean_numbers: bool = False, korean_respelling: bool = False):
        # Candidates for Korean before it reaches eSpeak (korean.py): numbers and units written out the
        # Korean way, words respelled as pronounced. `scripts/bench voices` measures them against the
        # plain text each run; both stay off because Vosk's character errors did not fall with them
        # (35 narration sentences: 95.4% plain, 95.3% respelled; 8 sentences with numbers: 86.4% plain,
        # 87.4% with numbers written out) -- eSpeak NG's Korean voice, not its reading, is the limit.
        self.korean_numbers = korean_numbers
        self.korean_respelling = korean_respelling

    def version(self) -> str:
        spelling = ("-kn" if self.korean_numbers else "") + ("-kr" if self.korean_respelling else "")
        return f"espeak-ng-{_library_or_error().version}-{REVISION}{spelling}"

    def voices(self, lang: Lang) -> list[str]:
        """Voice names for `lang` ("en" gives en, en-gb, en-us, ...)."""
        return sorted(v for v in _library_or_error().voices if v == lang or v.startswith(lang + "-"))

    def voice(self, lang: Lang, wanted: str = "") -> str:
        if not wanted:
            return DEFAULT_VOICES[lang]
        base, plus, variant = wanted.partition("+")
        variants = {v.lower(): v for v in _library_or_error().variants}
        if base.lower() in self.voices(lang) and (not plus or variant.lower() in variants):
            return base.lower() + (f"+{variants[variant.lower()]}" if plus else "")
        raise AudiogenError(f"unknown voice '{wanted}' for espeak; try one of {', '.join(self.voices(lang))}")

    def synthesize(self, text: str, lang: Lang, voice: str, speed: float) -> Clip:
        with _lock:
            lib = _load()
            if not text.strip():
                return Clip(b"", lib.rate)
            base, _, variant = voice.partition("+")
            ident = lib.voices.get(base, base) + (f"+{variant}" if variant else "")
            if lib.lib.espeak_SetVoiceByName(ident.encode()) != EE_OK:
                raise SynthesisError(f"espeak has no voice '{voice}'")
            wpm = round(BASE_WPM[lang] * speed)
            lib.lib.espeak_SetParameter(ESPEAK_RATE, max(MIN_WPM, min(MAX_WPM, wpm)), 0)
            if lang == "ko" and self.korean_numbers:
                text = korean.numbers(text)
            if lang == "ko" and self.korean_respelling:
                text = korean.pronounce(text)
            if lang == "en":
                text = english.spelled_acronyms(text)
            data = text.encode("utf-8")
            lib.samples.clear()
            status = lib.lib.espeak_Synth(data, len(data) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
            pcm = b"".join(lib.samples)
            lib.samples.clear()
        if status != EE_OK:
            raise SynthesisError(f"espeak could not speak the text (error {status})")
        return Clip(pcm, lib.rate)
