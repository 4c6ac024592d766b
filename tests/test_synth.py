"""The synthesizer: cache hits, dedupe, backoff and resumable failure, with real eSpeak audio.

Fakes appear only where a network failure has to be staged; they wrap the
real eSpeak engine, so every clip that does come out is real speech.
"""

from __future__ import annotations

import threading

import pytest

from audiogen.errors import AudiogenError
from audiogen.model import Line
from audiogen.tts.base import Engine, SynthesisError
from audiogen.tts.cast import Cast
from audiogen.tts.cache import ClipCache
from audiogen.tts.espeak import EspeakEngine
from audiogen.tts.synth import BACKOFF_CAP, backoff_delay, cache_key_for, synthesize

LINES = [
    Line("title", "ko", "오늘의 표현"),
    Line("pause", None, pause=1.0),
    Line("quote", "en", "Safety should be engineered in."),
    Line("slow", "en", "Safety should be engineered in.", speed=0.85),
    Line("sting", None),
    Line("quote", "en", "Safety should be engineered in."),  # a repeat: spoken once
    Line("meaning", "ko", "안전은 처음부터 설계되어야 합니다."),
]
SPOKEN = 5
UNIQUE = 4


class Counting(Engine):
    """The real eSpeak engine, counting what it is asked to say."""

    name = "espeak"
    parallel = 1

    def __init__(self):
        self.real = EspeakEngine()
        self.said: list[str] = []

    def version(self):
        return self.real.version()

    def voice(self, lang, wanted=""):
        return self.real.voice(lang, wanted)

    def synthesize(self, text, lang, voice, speed):
        self.said.append(text)
        return self.real.synthesize(text, lang, voice, speed)


class Throttled(Counting):
    """Answers 429 `failures` times for lines containing `trigger`, then speaks."""

    name = "gtts"

    def __init__(self, trigger: str, failures: int, retryable: bool = True):
        super().__init__()
        self.trigger, self.failures, self.retryable = trigger, failures, retryable

    def synthesize(self, text, lang, voice, speed):
        if self.trigger in text and self.failures > 0:
            self.failures -= 1
            raise SynthesisError("HTTP 429 Too Many Requests" if self.retryable else "HTTP 403 Forbidden", retryable=self.retryable)
        return super().synthesize(text, lang, voice, speed)


class FakeTime:
    """A clock that only moves when someone sleeps; records every sleep."""

    def __init__(self):
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def run(lines, engine, cache, time=None, **kw):
    time = time or FakeTime()
    kw = {"concurrency": 4, "retries": 5, "rng": lambda: 1.0} | kw
    return synthesize(lines, Cast.one(engine, {}), cache, clock=time.clock, sleep=time.sleep, **kw)


def test_first_run_synthesizes_second_run_is_all_cached(tmp_path):
    engine = Counting()
    first = run(LINES, engine, ClipCache(tmp_path))
    assert (first.synthesized, first.cached) == (UNIQUE, SPOKEN - UNIQUE)
    assert [c is None for c in first.clips] == [not line.spoken for line in LINES]
    assert [k is None for k in first.keys] == [not line.spoken for line in LINES]
    assert first.clips[2] == first.clips[5] and first.keys[2] == first.keys[5]
    assert first.clips[3].seconds > first.clips[2].seconds  # the slow pass is its own clip
    assert all(c.rate == 22050 and c.seconds > 0.5 for c in first.clips if c)

    again = Counting()
    second = run(LINES, again, ClipCache(tmp_path))
    assert (second.synthesized, second.cached) == (0, SPOKEN)
    assert again.said == []
    assert second.clips == first.clips and second.keys == first.keys


def test_identical_lines_are_spoken_once(tmp_path):
    engine = Counting()
    run(LINES, engine, ClipCache(tmp_path))
    assert sorted(engine.said) == sorted(["오늘의 표현", "Safety should be engineered in.", "Safety should be engineered in.", "안전은 처음부터 설계되어야 합니다."])
    assert engine.said.count("Safety should be engineered in.") == 2  # natural and slow: different speeds


def test_cache_key_for_matches_what_synthesize_stores(tmp_path):
    engine = EspeakEngine()
    cache = ClipCache(tmp_path)
    result = run(LINES, engine, cache)
    expected = [cache_key_for(line, engine, engine.voice(line.lang)) if line.spoken else None for line in LINES]
    assert result.keys == expected
    assert all(cache.get(k) is not None for k in expected if k)
    assert cache.stats().entries == UNIQUE


def test_voice_settings_reach_the_engine_and_the_key(tmp_path):
    engine = EspeakEngine()
    cache = ClipCache(tmp_path)
    us = synthesize(LINES[2:3], Cast.one(engine, {"en": ""}), cache, concurrency=1, retries=1)
    gb = synthesize(LINES[2:3], Cast.one(engine, {"en": "en-gb"}), cache, concurrency=1, retries=1)
    assert us.keys != gb.keys and us.clips != gb.clips
    with pytest.raises(AudiogenError, match="unknown voice 'xx-yy' for espeak"):
        synthesize(LINES, Cast.one(engine, {"en": "xx-yy"}), cache, concurrency=1, retries=1)


def test_throttled_twice_then_success_backs_off(tmp_path):
    engine = Throttled("engineered", failures=2)
    time = FakeTime()
    result = run(LINES, engine, ClipCache(tmp_path), time=time, rng=lambda: 1.0)
    assert result.synthesized == UNIQUE
    assert time.sleeps == [1.0, 2.0]  # the full jitter bound doubles: 1 s, then 2 s


def test_backoff_is_exponential_full_jitter_and_capped():
    for retry in range(1, 10):
        bound = min(BACKOFF_CAP, 2.0 ** (retry - 1))
        assert backoff_delay(retry, rng=lambda: 1.0) == bound
        assert backoff_delay(retry, rng=lambda: 0.0) == 0.0
        assert backoff_delay(retry, rng=lambda: 0.25) == 0.25 * bound
    assert backoff_delay(9, rng=lambda: 1.0) == BACKOFF_CAP


def test_jittered_sleeps_stay_within_bounds(tmp_path):
    import random

    engine = Throttled("engineered", failures=4)
    time = FakeTime()
    run(LINES, engine, ClipCache(tmp_path), time=time, rng=random.Random(7).random)
    assert len(time.sleeps) == 4
    assert all(0 <= s <= 2.0**i for i, s in enumerate(time.sleeps))
    assert len(set(time.sleeps)) == 4  # jittered, not a fixed schedule


def test_failure_names_the_line_and_keeps_earlier_clips(tmp_path):
    cache = ClipCache(tmp_path)
    engine = Throttled("안전은", failures=99)  # the last line never gets through
    time = FakeTime()
    with pytest.raises(AudiogenError) as e:
        run(LINES, engine, cache, time=time, retries=5, concurrency=1)
    assert str(e.value) == 'gtts failed after 5 tries on line "안전은 처음부터 설계되어야 합니다.": HTTP 429 Too Many Requests'
    assert len(time.sleeps) == 4

    # everything made before the failure is in the cache: the next run resumes
    healthy = Counting()
    healthy.name = "gtts"
    result = run(LINES, healthy, cache)
    assert healthy.said == ["안전은 처음부터 설계되어야 합니다."]
    assert (result.synthesized, result.cached) == (1, SPOKEN - 1)


def test_long_line_is_quoted_short(tmp_path):
    long = Line("narration", "en", "This sentence is long enough that the error message has to cut it short.")
    with pytest.raises(AudiogenError, match='gtts failed after 2 tries on line "This sentence is long enough that the er…": HTTP 429'):
        run([long], Throttled("sentence", failures=9), ClipCache(tmp_path), retries=2)


def test_permanent_error_fails_at_once(tmp_path):
    time = FakeTime()
    with pytest.raises(AudiogenError, match='^gtts failed on line "오늘의 표현": HTTP 403 Forbidden$'):
        run(LINES, Throttled("오늘", failures=1, retryable=False), ClipCache(tmp_path), time=time)
    assert time.sleeps == []


def test_concurrency_is_bounded_by_setting_and_engine(tmp_path):
    class Wide(Counting):
        parallel = 4

        def __init__(self):
            super().__init__()
            self.lock = threading.Lock()
            self.in_flight = self.most = 0
            self.pair = threading.Barrier(2, timeout=10)  # breaks unless two requests overlap

        def synthesize(self, text, lang, voice, speed):
            with self.lock:
                self.in_flight += 1
                self.most = max(self.most, self.in_flight)
            try:
                self.pair.wait()
                return super().synthesize(text, lang, voice, speed)
            finally:
                with self.lock:
                    self.in_flight -= 1

    engine = Wide()
    lines = [Line("quote", "en", f"Sentence number {i}.") for i in range(6)]
    result = synthesize(lines, Cast.one(engine, {}), ClipCache(tmp_path), concurrency=2, retries=1)
    assert result.synthesized == 6 and engine.most == 2
    assert all(c is not None and c.seconds > 0.5 for c in result.clips)


def test_progress_reports_each_clip(tmp_path):
    seen: list[tuple[int, int]] = []
    run(LINES, EspeakEngine(), ClipCache(tmp_path), progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, UNIQUE), (1, UNIQUE), (2, UNIQUE), (3, UNIQUE), (4, UNIQUE)]
    seen.clear()
    run(LINES, EspeakEngine(), ClipCache(tmp_path), progress=lambda d, t: seen.append((d, t)))
    assert seen == [(UNIQUE, UNIQUE)]


def test_nothing_spoken_needs_no_engine(tmp_path):
    result = run([Line("pause", None, pause=2.0)], Throttled("", failures=99), ClipCache(tmp_path))
    assert result.clips == [None] and (result.synthesized, result.cached) == (0, 0)


def test_ctrl_c_stops_at_the_line_being_spoken_not_after_the_queue(tmp_path):
    """Ctrl-C (or SIGTERM, which the command line turns into the same) arrives in the main thread
    while it waits; the lines still queued are dropped, not spoken first."""
    engine = Counting()
    many = [Line("quote", "en", f"Sentence number {n} of a long lesson.") for n in range(30)]

    def interrupt(done, total):
        if done == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(many, engine, ClipCache(tmp_path), progress=interrupt)
    assert 1 <= len(engine.said) <= 3  # the one done, and at most the one running when it came
