"""The Piper engine on real synthesis: the bundled en_US "joe" voice through onnxruntime (a few
short sentences, so the suite stays quick)."""

from __future__ import annotations

import numpy as np
import pytest

from audiogen.errors import AudiogenError
from audiogen.model import Line
from audiogen.tts import piper
from audiogen.tts.cache import ClipCache
from audiogen.tts.cast import Cast
from audiogen.tts.piper import PiperEngine
from audiogen.tts.synth import synthesize

EN = "Safety should be engineered in."


@pytest.fixture(scope="module")
def natural():
    engine = PiperEngine()
    return engine.synthesize(EN, "en", engine.voice("en"), 1.0)


def rms(samples: bytes) -> float:
    return float(np.sqrt(np.mean(np.frombuffer(samples, "<i2").astype(float) ** 2)))


def test_speaks_english_at_22k(natural):
    assert natural.rate == 22050
    assert 1.0 < natural.seconds < 4.0  # five words
    assert rms(natural.samples) > 1000
    head = np.frombuffer(natural.samples, "<i2")[: natural.rate // 20]
    assert np.abs(head).max() < 16000  # starts quietly, no click or blast (VITS noise reaches 8,000 one time in ten)


def test_slow_pass_is_longer_phonemes(natural):
    slow = PiperEngine().synthesize(EN, "en", "en_US-joe-medium", 0.7)
    assert slow.seconds > natural.seconds * 1.15
    assert rms(slow.samples) > 1000


def test_two_sentences_are_both_spoken(natural):
    both = PiperEngine().synthesize(f"{EN} We chose the slow road.", "en", "en_US-joe-medium", 1.0)
    assert both.seconds > natural.seconds * 1.5


def test_nothing_to_say_is_an_empty_clip():
    engine = PiperEngine()
    assert engine.synthesize("   ", "en", engine.voice("en"), 1.0).samples == b""


def test_voices_and_version():
    engine = PiperEngine()
    assert engine.voice("en") == "en_US-joe-medium" and engine.second_voice("en") is None
    assert engine.languages == ("en",) and engine.available()
    with pytest.raises(AudiogenError, match="piper has no ko voice"):
        engine.voice("ko")
    with pytest.raises(AudiogenError, match="unknown voice 'en_GB-alan' for piper; try one of en_US-joe-medium"):
        engine.voice("en", "en_GB-alan")
    assert engine.version().startswith("piper-tts-1.")


def test_synthesizer_makes_each_piper_clip_once(tmp_path):
    lines = [Line("quote", "en", EN), Line("term", "en", "bolted on"), Line("quote", "en", EN)]
    cache = ClipCache(tmp_path)
    cast = Cast.one(PiperEngine())
    first = synthesize(lines, cast, cache, concurrency=4, retries=1)
    assert first.synthesized == 2 and first.cached == 1
    again = synthesize(lines, cast, cache, concurrency=4, retries=1)
    assert again.synthesized == 0 and again.cached == 3
    assert [c.samples for c in again.clips] == [c.samples for c in first.clips]


def test_a_missing_voice_wheel_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(piper.VOICES, "en_US-ghost-medium", "no_such_voice_wheel")  # the worker imports it
    cast = Cast.one(PiperEngine(), {"en": "en_US-ghost-medium"})
    with pytest.raises(AudiogenError, match="piper cannot work here: the Piper voice en_US-ghost-medium could not be loaded"):
        synthesize([Line("quote", "en", EN)], cast, ClipCache(tmp_path), concurrency=1, retries=3)
