"""What the offline English voices are given: short acronyms letter by letter (eSpeak NG and Piper
would read IR as "ir" and MAU as "mau"), measured on the real engines."""

from __future__ import annotations

import numpy as np
import pytest

from audiogen.tts.english import spelled_acronyms
from audiogen.tts.espeak import EspeakEngine


@pytest.mark.parametrize("text, said", [
    ("IR", "I R"),
    ("Our IR team tracks MAU and KPIs.", "Our I R team tracks M A U and K P I's."),
    ("B2B, Q3 and BATNA stay; so do OK-ish and iPhone.", "B2B, Q3 and BATNA stay; so do OK-ish and iPhone."),
    ("Send it to HR by 6 PM.", "Send it to H R by 6 P M."),
])
def test_short_acronyms_are_spelled(text, said):
    assert spelled_acronyms(text) == said


def _voiced_seconds(samples: bytes, rate: int) -> float:
    x = np.frombuffer(samples, dtype=np.int16).astype(np.float32) / 32768
    loud = np.nonzero(np.abs(x) > 0.02)[0]
    return (loud[-1] - loud[0]) / rate if len(loud) else 0.0


def test_the_english_voice_says_the_letters_of_ir():
    engine = EspeakEngine()
    voice = engine.voice("en")
    said = engine.synthesize("IR", "en", voice, 1.0)
    letters = engine.synthesize("eye are", "en", voice, 1.0)
    word = engine.synthesize("ir", "en", voice, 1.0)  # lower case: what the voice made of IR before
    seconds = _voiced_seconds(said.samples, said.rate)
    # two letters take as long as "eye are", well beyond the one syllable "ir" is read as
    assert seconds == pytest.approx(_voiced_seconds(letters.samples, letters.rate), rel=0.3)
    assert seconds > 1.3 * _voiced_seconds(word.samples, word.rate)
