"""The embedded eSpeak NG engine, for real: audio must come out and sound like speech."""

from __future__ import annotations

import re
import subprocess
import sys
import threading

import numpy as np
import pytest

from audiogen.errors import AudiogenError
from audiogen.tts import espeak
from audiogen.tts.espeak import EspeakEngine

KO = "안녕하세요. 오늘은 안전에 관한 영어 표현을 배워 봅시다."
EN = "Safety should be engineered in, not bolted on."


def rms(samples: bytes) -> float:
    a = np.frombuffer(samples, "<i2").astype(np.float64)
    return float(np.sqrt(np.mean(a**2))) if a.size else 0.0


@pytest.fixture(scope="module")
def engine() -> EspeakEngine:
    return EspeakEngine()


@pytest.mark.parametrize("lang, text", [("ko", KO), ("en", EN)])
def test_speaks_korean_and_english(engine, lang, text):
    clip = engine.synthesize(text, lang, engine.voice(lang), 1.0)
    assert clip.rate == 22050
    assert len(clip.samples) % 2 == 0
    assert 0.5 < clip.seconds < 20
    assert rms(clip.samples) > 500  # speech, not near-silence


SPEAK_TWICE = """
import hashlib
from audiogen.tts.espeak import EspeakEngine
e = EspeakEngine()
clips = [e.synthesize(t, l, e.voice(l), 1.0) for t, l in [(%r, "ko"), (%r, "en")]]
print(hashlib.sha256(b"".join(c.samples for c in clips)).hexdigest())
""" % (KO, EN)


def test_a_fresh_process_gives_the_same_bytes():
    runs = {subprocess.run([sys.executable, "-c", SPEAK_TWICE], capture_output=True, text=True, check=True).stdout for _ in range(2)}
    assert len(runs) == 1 and len(runs.pop().strip()) == 64


def test_slow_pass_is_longer(engine):
    natural = engine.synthesize(EN, "en", "en-us", 1.0)
    slow = engine.synthesize(EN, "en", "en-us", 0.85)
    assert slow.seconds > natural.seconds * 1.08


def test_voices_and_defaults(engine):
    assert engine.voice("ko") == "ko"
    assert engine.voice("en") == "en-us"
    assert engine.voice("en", "en-GB") == "en-gb"
    assert engine.voice("en", "en-us+f3") == "en-us+f3"
    assert engine.voice("en", "en-us+mr SERIOUS") == "en-us+Mr serious"
    assert {"en-gb", "en-us"} <= set(engine.voices("en"))
    gb = engine.synthesize(EN, "en", "en-gb", 1.0)
    us = engine.synthesize(EN, "en", "en-us", 1.0)
    assert gb.samples != us.samples


@pytest.mark.parametrize("lang, wanted", [("en", "klingon"), ("en", "ko"), ("en", "en-us+nosuchvariant"), ("ko", "en-us")])
def test_unknown_voice_is_a_clear_error(engine, lang, wanted):
    with pytest.raises(AudiogenError, match=re.escape(f"unknown voice '{wanted}' for espeak; try one of {lang}")):
        engine.voice(lang, wanted)


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_gives_an_empty_clip(engine, text):
    clip = engine.synthesize(text, "en", "en-us", 1.0)
    assert clip.samples == b"" and clip.rate == 22050


def test_version_names_library_and_revision(engine):
    v = engine.version()
    assert v.startswith("espeak-ng-1.") and v.endswith(f"-{espeak.REVISION}")


def test_threads_do_not_mix_audio(engine):
    """The lock keeps one synthesis at a time: each thread gets its own whole clip."""
    expected = {lang: engine.synthesize(text, lang, engine.voice(lang), 1.0).seconds for lang, text in (("ko", KO), ("en", EN))}
    got: list[tuple[str, object]] = []

    def speak(lang, text):
        got.append((lang, engine.synthesize(text, lang, engine.voice(lang), 1.0)))

    threads = [threading.Thread(target=speak, args=pair) for pair in [("ko", KO), ("en", EN)] * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8
    # eSpeak's pitch flutter moves lengths by a few ms; mixed-up audio would be far off
    assert all(abs(clip.seconds - expected[lang]) < 0.05 * expected[lang] for lang, clip in got)
