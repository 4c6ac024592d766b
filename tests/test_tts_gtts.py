"""gTTS engine without the network: the shared fake Google (tests/fakes.py) answers at requests.Session.send."""

from __future__ import annotations

import numpy as np
import pytest
import requests

from audiogen.config import VoiceSettings
from audiogen.errors import AudiogenError
from audiogen.tts.base import SynthesisError
from audiogen.tts.espeak import EspeakEngine
from audiogen.tts.gtts import RATE, GttsEngine
from fakes import SPOKEN, batchexecute, google, mp3, response  # noqa: F401

EN = "Safety should be engineered in, not bolted on."


def pcm_seconds(samples: bytes) -> float:
    return len(samples) / 2 / RATE


def test_speech_decodes_at_24k(google, mp3):
    engine = GttsEngine()
    clip = engine.synthesize(EN, "en", engine.voice("en"), 1.0)
    assert clip.rate == RATE
    speech = EspeakEngine().synthesize(SPOKEN, "en", "en-us", 1.0).seconds  # what the fake sends
    assert abs(clip.seconds - speech) < 0.15  # MP3 adds encoder padding, no more
    a = np.frombuffer(clip.samples, "<i2").astype(float)
    assert np.sqrt(np.mean(a**2)) > 500
    (req,) = google.sent
    assert req.url.startswith("https://translate.google.com/") and "batchexecute" in req.url


def test_slow_pass_is_stretched(google, mp3):
    engine = GttsEngine()
    natural = engine.synthesize(EN, "en", "com", 1.0)
    slow = engine.synthesize(EN, "en", "com", 0.85)
    assert slow.seconds == pytest.approx(natural.seconds / 0.85, rel=0.03)


def test_long_text_is_sent_in_chunks_and_joined(google, mp3):
    text = " ".join([EN] * 5)  # ~240 characters: gTTS splits at 100
    clip = GttsEngine().synthesize(text, "en", "com", 1.0)
    chunks = len(google.sent)
    assert chunks >= 3
    one = GttsEngine().synthesize(EN, "en", "com", 1.0)
    assert clip.seconds == pytest.approx(one.seconds * chunks, rel=0.05)  # every chunk's audio, back to back


def test_accent_picks_the_google_host(google, mp3):
    engine = GttsEngine(tld="co.uk")
    assert engine.voice("en") == "co.uk"
    assert engine.voice("ko") == "com"
    engine.synthesize(EN, "en", engine.voice("en"), 1.0)
    assert google.sent[-1].url.startswith("https://translate.google.co.uk/")


def test_offline_is_retryable(google):
    def refuse(req):
        raise requests.exceptions.ConnectionError("no route to host")

    google.answer = refuse
    with pytest.raises(SynthesisError, match="could not reach translate.google.com") as e:
        GttsEngine().synthesize(EN, "en", "com", 1.0)
    assert e.value.retryable


@pytest.mark.parametrize("status, reason, retryable", [(429, "Too Many Requests", True), (503, "Service Unavailable", True), (403, "Forbidden", False), (404, "Not Found", False)])
def test_http_errors(google, status, reason, retryable):
    google.answer = lambda req: response(status, b"", reason)
    with pytest.raises(SynthesisError, match=f"HTTP {status} {reason}") as e:
        GttsEngine().synthesize(EN, "en", "com", 1.0)
    assert e.value.retryable is retryable


def test_garbled_audio_is_a_retryable_error(google):
    google.answer = lambda req: response(200, batchexecute(b"this is not an mp3" * 50))
    with pytest.raises(SynthesisError) as e:
        GttsEngine().synthesize(EN, "en", "com", 1.0)
    assert e.value.retryable


def test_empty_text_needs_no_request(google):
    google.answer = None
    assert GttsEngine().synthesize("  ", "ko", "com", 1.0).samples == b""
    assert google.sent == []


def test_voices():
    engine = GttsEngine()
    assert engine.voice("en", "com.au") == "com.au"
    with pytest.raises(AudiogenError, match="unknown voice 'co.uk' for gtts; try one of com"):
        engine.voice("ko", "co.uk")
    with pytest.raises(AudiogenError, match="unknown gTTS accent"):
        GttsEngine(tld="fr")
    assert engine.version().startswith("gtts-2.")


def test_available(google):
    def refuse(req):
        raise requests.exceptions.ConnectTimeout("timed out")

    google.answer = refuse
    assert GttsEngine.available() is False
    assert GttsEngine(tld="co.uk").available(timeout=0.5) is False
    google.answer = lambda req: response(200)
    assert GttsEngine.available() is True
    assert google.sent[-1].method == "HEAD"
    google.answer = lambda req: response(503)
    assert GttsEngine().available() is False


def test_available_with_own_session():
    class Down(requests.Session):
        def send(self, request, **kwargs):
            raise requests.exceptions.ConnectionError("down")

    assert GttsEngine(session=Down()).available() is False
