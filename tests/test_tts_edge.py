"""The Edge engine against a loopback fake of Microsoft's read-aloud service (tests/fakes.py):
real websocket frames in, real MP3 out, errors mapped, the slow pass asked of the service."""

from __future__ import annotations

import numpy as np
import pytest

from audiogen.errors import AudiogenError
from audiogen.model import Line
from audiogen.tts.base import SynthesisError
from audiogen.tts.cache import ClipCache
from audiogen.tts.cast import Cast
from audiogen.tts.edge import EdgeEngine, rate_for
from audiogen.tts.espeak import EspeakEngine
from audiogen.tts.mp3 import RATE
from audiogen.tts.synth import synthesize
from fakes import SPOKEN, edge, mp3  # noqa: F401

KO = "회의를 시작하겠습니다."


def test_speech_comes_back_as_24k_pcm(edge):
    engine = EdgeEngine(timeout=5)
    clip = engine.synthesize(SPOKEN, "en", engine.voice("en"), 1.0)
    assert clip.rate == RATE
    spoken = EspeakEngine().synthesize(SPOKEN, "en", "en-us", 1.0).seconds
    assert abs(clip.seconds - spoken) < 0.15  # every frame of the stream, joined, no more
    assert np.sqrt(np.mean(np.frombuffer(clip.samples, "<i2").astype(float) ** 2)) > 500
    (ssml,) = edge.ssml
    assert "en-US, JennyNeural" in ssml and "rate='+0%'" in ssml and "Let's get started" in ssml


def test_slow_pass_is_the_services_own_rate_not_a_stretch(edge):
    engine = EdgeEngine(timeout=5)
    natural = engine.synthesize(SPOKEN, "en", "en-US-GuyNeural", 1.0)
    slow = engine.synthesize(SPOKEN, "en", "en-US-GuyNeural", 0.85)
    assert "rate='-15%'" in edge.ssml[-1] and "en-US, GuyNeural" in edge.ssml[-1]
    assert slow.seconds == pytest.approx(natural.seconds, abs=0.01)  # the fake speaks at one pace
    assert [rate_for(s) for s in (1.0, 0.85, 0.7, 1.1)] == ["+0%", "-15%", "-30%", "+10%"]


def test_korean_voice_and_text_reach_the_service(edge):
    engine = EdgeEngine(timeout=5)
    assert engine.voice("ko") == "ko-KR-SunHiNeural" and engine.second_voice("ko") == "ko-KR-InJoonNeural"
    engine.synthesize(KO, "ko", engine.voice("ko"), 1.0)
    assert "ko-KR, SunHiNeural" in edge.ssml[-1] and KO in edge.ssml[-1]


@pytest.mark.parametrize("status, retryable", [(429, True), (503, True), (404, False)])
def test_refused_handshakes_are_mapped(edge, status, retryable):
    edge.status = status
    with pytest.raises(SynthesisError, match=f"HTTP {status}") as e:
        EdgeEngine(timeout=5).synthesize(SPOKEN, "en", "en-US-JennyNeural", 1.0)
    assert e.value.retryable is retryable


def test_offline_is_retryable(edge, monkeypatch):
    edge.down(monkeypatch)
    with pytest.raises(SynthesisError, match="could not reach speech.platform.bing.com") as e:
        EdgeEngine(timeout=5).synthesize(SPOKEN, "en", "en-US-JennyNeural", 1.0)
    assert e.value.retryable


def test_no_audio_names_the_voice_and_is_final(edge):
    edge.silent = True
    with pytest.raises(SynthesisError, match="no audio for voice en-US-NobodyNeural") as e:
        EdgeEngine(timeout=5).synthesize(SPOKEN, "en", "en-US-NobodyNeural", 1.0)
    assert not e.value.retryable


def test_empty_text_needs_no_request(edge):
    assert EdgeEngine().synthesize("   ", "en", "en-US-JennyNeural", 1.0).samples == b""
    assert edge.ssml == []


def test_voices_are_checked_by_shape_and_language():
    engine = EdgeEngine()
    assert engine.voice("en", "en-GB-SoniaNeural") == "en-GB-SoniaNeural"
    with pytest.raises(AudiogenError, match="unknown voice 'ko-KR-SunHiNeural' for edge"):
        engine.voice("en", "ko-KR-SunHiNeural")
    with pytest.raises(AudiogenError, match="unknown voice 'jenny' for edge"):
        engine.voice("en", "jenny")
    assert engine.version().startswith("edge-tts-7.")


def test_available_asks_for_the_voice_list_once(edge, monkeypatch):
    assert EdgeEngine().available(timeout=5) is True
    assert edge.voice_lists == 1
    edge.status = 503
    assert EdgeEngine().available(timeout=5) is False
    edge.down(monkeypatch)
    assert EdgeEngine().available(timeout=5) is False


def test_synthesizer_caches_edge_clips_once(edge, tmp_path):
    lines = [Line("quote", "en", SPOKEN), Line("slow", "en", SPOKEN, speed=0.85), Line("quote", "en", SPOKEN)]
    cache = ClipCache(tmp_path)
    cast = Cast.one(EdgeEngine(timeout=5))
    first = synthesize(lines, cast, cache, concurrency=4, retries=1)
    assert first.synthesized == 2 and len(edge.ssml) == 2
    again = synthesize(lines, cast, cache, concurrency=4, retries=1)
    assert again.synthesized == 0 and again.cached == 3 and len(edge.ssml) == 2


def test_a_throttled_service_fails_naming_the_line(edge, tmp_path):
    edge.status = 429
    with pytest.raises(AudiogenError, match=r'edge failed after 2 tries on line "Let.s get started.*HTTP 429'):
        synthesize([Line("quote", "en", SPOKEN)], Cast.one(EdgeEngine(timeout=5)), ClipCache(tmp_path),
                   concurrency=1, retries=2, sleep=lambda s: None)
