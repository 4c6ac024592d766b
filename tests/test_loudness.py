"""Loudness meters: our numpy gating against pyloudnorm and ffmpeg, and per-clip matching."""

from __future__ import annotations

import math
import wave

import numpy as np
import pyloudnorm
import pytest

from audiogen.audio import ffmpeg, mix
from audiogen.errors import AudiogenError
from audiogen.audio.loudness import SILENCE_LUFS, lufs
from audiogen.audio.pcm import to_float, to_s16
from helpers import measure_file


def write_wav(path, samples: bytes, rate: int) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples)


def test_matches_pyloudnorm_on_real_speech(speech):
    for clip in speech.values():
        x = to_float(clip.samples)
        assert lufs(x, clip.rate) == pytest.approx(pyloudnorm.Meter(clip.rate).integrated_loudness(x), abs=1e-6)


@pytest.mark.parametrize("rate", [22050, 24000, 44100, 48000])
@pytest.mark.parametrize("seconds", [0.41, 0.5, 1.37, 12.3])
def test_matches_pyloudnorm_at_any_rate_and_length(rate, seconds):
    rng = np.random.default_rng(7)
    n = int(seconds * rate)
    x = rng.standard_normal(n) * 0.05 * np.linspace(0.01, 1, n)
    assert lufs(x, rate) == pytest.approx(pyloudnorm.Meter(rate).integrated_loudness(x), abs=1e-6)


def test_short_and_silent_clips_still_measure():
    rate = 44100
    t = np.arange(rate) / rate
    tone = 0.5 * np.sin(2 * np.pi * 1000 * t)
    full = lufs(tone, rate)
    assert full == pytest.approx(-9.0, abs=0.3)  # a -6 dBFS 1 kHz sine is about -9 LUFS
    assert lufs(tone[: rate // 5], rate) == pytest.approx(full, abs=0.2)  # shorter than a gating block
    assert lufs(tone[:1000], rate) == pytest.approx(full, abs=1.0)  # 23 ms: RMS fallback
    assert lufs(np.zeros(rate), rate) == SILENCE_LUFS
    assert lufs(np.zeros(0), rate) == SILENCE_LUFS


def test_ffmpeg_scanner_agrees_with_ours(speech, tmp_path):
    clip = speech["ko"]
    path = tmp_path / "ko.wav"
    write_wav(path, clip.samples, clip.rate)
    measured = measure_file(path)
    assert measured.integrated == pytest.approx(lufs(to_float(clip.samples), clip.rate), abs=0.2)
    peak_dbfs = 20 * math.log10(np.max(np.abs(to_float(clip.samples))))
    assert measured.true_peak >= peak_dbfs - 0.1  # a true peak is never below the sample peak


def test_korean_and_english_come_out_equally_loud(speech, tmp_path):
    """eSpeak at 22.05 kHz and a gTTS-like 24 kHz MP3 at another level: all matched within 1 LU."""
    quiet = to_s16(to_float(speech["en2"].samples) * 0.15)
    wav = tmp_path / "quiet.wav"
    write_wav(wav, quiet, speech["en2"].rate)
    mp3 = tmp_path / "gtts-like.mp3"
    ffmpeg.run(["-i", str(wav), "-ar", "24000", "-c:a", "libmp3lame", "-b:a", "64k", str(mp3)])
    gtts_like = mix.decode_file(mp3, 24000)
    clips = [*speech.values(), gtts_like]
    meter = pyloudnorm.Meter(44100)
    levels = [meter.integrated_loudness(mix.prepare(c, 44100)) for c in clips]
    assert max(levels) - min(levels) <= 1.0, levels
    assert all(abs(level - mix.SPEECH_LUFS) <= 0.5 for level in levels), levels
