"""The clip cache: content-addressed WAV files that heal and never appear half-written."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiogen.errors import AudiogenError
from audiogen.model import Clip
from audiogen.tts.cache import CacheStats, ClipCache
from audiogen.tts.espeak import EspeakEngine
from show_facts import feed_facts, snapshot


class Named:
    """An engine as the cache sees it: a name and a version."""

    def __init__(self, name: str, version: str):
        self.name, self._version = name, version

    def version(self) -> str:
        return self._version


@pytest.fixture(scope="module")
def clip() -> Clip:
    return EspeakEngine().synthesize("A short clip for the cache.", "en", "en-us", 1.0)


def test_round_trip(tmp_path, clip):
    cache = ClipCache(tmp_path / "cache")
    key = cache.key(EspeakEngine(), "en-us", "en", 1.0, "A short clip for the cache.")
    assert cache.get(key) is None
    cache.put(key, clip)
    assert cache.get(key) == clip
    path = cache.path(key)
    assert path == tmp_path / "cache" / key[:2] / f"{key}.wav"
    with wave.open(str(path)) as w:  # a plain WAV anyone can play
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()) == (1, 2, clip.rate, clip.frames)


def test_empty_clip_round_trips(tmp_path):
    cache = ClipCache(tmp_path)
    cache.put("ab" * 32, Clip(b"", 22050))
    assert cache.get("ab" * 32) == Clip(b"", 22050)


def test_key_depends_on_every_field():
    base = dict(engine=Named("espeak", "1"), voice="en-us", lang="en", speed=1.0, text="Hello.")
    variants = [
        dict(base, engine=Named("gtts", "1")),
        dict(base, engine=Named("espeak", "2")),
        dict(base, voice="en-gb"),
        dict(base, lang="ko"),
        dict(base, speed=0.85),
        dict(base, text="Hello!"),
    ]
    keys = {ClipCache.key(**kw) for kw in [base, *variants]}
    assert len(keys) == 7
    assert ClipCache.key(**base) == ClipCache.key(**dict(base, engine=Named("espeak", "1")))
    assert ClipCache.key(**base) == ClipCache.key(**dict(base, speed=1.0000000001))
    # fields cannot run into each other
    assert ClipCache.key(**dict(base, voice="a", lang="bc")) != ClipCache.key(**dict(base, voice="ab", lang="c"))
    assert all(len(k) == 64 and all(c in "0123456789abcdef" for c in k) for k in keys)


def plain_wav(path, samples: bytes, rate: int = 22050) -> None:
    """A well-formed WAV, as any tool writes it (no digest chunk)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples)


def noise(frames: int) -> bytes:
    return bytes(random.Random(7).getrandbits(8) for _ in range(frames * 2))


@pytest.mark.parametrize("damage", ["truncate", "empty", "garbage", "noise", "zero frames", "one bit",
                                    "another key's entry", "no digest"])
def test_damaged_entry_is_dropped_said_and_made_again(tmp_path, clip, damage):
    said = []
    cache = ClipCache(tmp_path, say=said.append)
    key, other = "cd" * 32, "ef" * 32
    cache.put(key, clip)
    cache.put(other, Clip(clip.samples[:2000], clip.rate))
    path = cache.path(key)
    data = path.read_bytes()
    if damage in ("noise", "zero frames", "no digest"):  # a whole, valid WAV: only the digest can tell
        plain_wav(path, {"noise": noise(clip.frames), "zero frames": b"", "no digest": clip.samples}[damage], clip.rate)
    elif damage == "one bit":
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 1
        path.write_bytes(bytes(flipped))
    elif damage == "another key's entry":
        path.write_bytes(cache.path(other).read_bytes())
    else:
        path.write_bytes({"truncate": data[: len(data) // 2], "empty": b"", "garbage": b"RIFF nonsense" * 9}[damage])
    assert cache.get(key) is None
    assert not path.exists()
    assert len(said) == 1 and str(path) in said[0] and "dropped" in said[0]
    cache.put(key, clip)
    assert cache.get(key) == clip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0), flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(1, 255)),
                                                      max_size=4), tail=st.binary(max_size=64))
def test_no_shape_of_an_entry_is_an_error_or_a_wrong_clip(tmp_path, clip, cut, flips, tail):
    """Any bytes at an entry's name: either the very clip that was put, or a miss."""
    cache = ClipCache(tmp_path)
    key = "9a" * 32
    cache.put(key, Clip(clip.samples[:4000], clip.rate))
    data = bytearray(cache.path(key).read_bytes())
    data = data[: cut % (len(data) + 1)] + tail
    for at, bits in flips:
        if data:
            data[at % len(data)] ^= bits
    cache.path(key).write_bytes(bytes(data))
    got = cache.get(key)
    assert got is None or got == Clip(clip.samples[:4000], clip.rate)


def test_stats_and_prune(tmp_path, clip):
    cache = ClipCache(tmp_path / "c")
    assert cache.stats() == CacheStats(0, 0)
    assert cache.prune(set()) == 0
    keys = [f"{i:02x}" + "0" * 62 for i in range(3)] + ["00" + "f" * 62]
    for k in keys:
        cache.put(k, clip)
    stats = cache.stats()
    assert stats.entries == 4
    assert stats.bytes == sum(cache.path(k).stat().st_size for k in keys)
    stray = cache.path(keys[0]).parent / f".{keys[0]}abc.tmp"  # left by a killed run
    stray.write_bytes(b"half")
    assert cache.stats().entries == 4
    assert cache.prune({keys[0], keys[3]}) == 2
    assert not stray.exists()
    assert [cache.get(k) is not None for k in keys] == [True, False, False, True]
    assert cache.stats().entries == 2
    assert not cache.path(keys[1]).parent.exists()  # emptied folders go too


def test_put_leaves_no_temp_file(tmp_path, clip):
    cache = ClipCache(tmp_path)
    cache.put("ee" * 32, clip)
    cache.put("ee" * 32, clip)  # replacing an entry is atomic too
    assert [p.name for p in (tmp_path / "ee").iterdir()] == ["ee" * 32 + ".wav"]


def test_failed_write_leaves_old_entry_and_no_temp(tmp_path, clip, monkeypatch):
    cache = ClipCache(tmp_path)
    key = "aa" * 32
    cache.put(key, clip)

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(AudiogenError, match="disk is full"):
        cache.put(key, Clip(b"\x01\x00" * 100, 22050))
    assert cache.get(key) == clip
    assert [p.name for p in (tmp_path / "aa").iterdir()] == [key + ".wav"]


def test_unwritable_cache_is_a_clear_error(tmp_path, clip):
    blocker = tmp_path / "not-a-folder"  # a file where the cache folder should be; binds even for root
    blocker.write_bytes(b"")
    with pytest.raises(AudiogenError, match=r"the clip cache at .*not-a-folder cannot be written: Not a directory"):
        ClipCache(blocker).put("bb" * 32, clip)


def test_read_only_disk_names_the_fix(tmp_path, clip, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr("tempfile.mkstemp", read_only)
    with pytest.raises(AudiogenError, match="Read-only file system .*--cache DIR"):
        ClipCache(tmp_path).put("bb" * 32, clip)


def test_every_real_engine_and_voice_keys_a_line_apart():
    from audiogen.config import VoiceSettings
    from audiogen.model import Line
    from audiogen.tts import all_engines
    from audiogen.tts.synth import cache_key_for

    line = Line("quote", "en", "Hello.")
    keys = set()
    for engine in all_engines(VoiceSettings(), 5.0):
        voices = {engine.voice("en"), engine.second_voice("en")} - {None}
        keys |= {cache_key_for(line, engine, v) for v in voices}
    assert len(keys) == 6  # edge x2, espeak, gtts x2, piper


# --- a real build over a damaged cache (issue 22, case 3) ------------------------------------------

SEED = """\
캐시 시험

by Tester 2026. 2. 3.

1. 신뢰를 쌓는 법

회사는 고객의 신뢰(trust)를 얻으려고 노력했습니다.

"Trust grows slowly and breaks quickly"
"""
BASE = "https://pod.example.com/"


def build(work: Path, out: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "audiogen", "build", "seeds", "--out", out, "--engine", "espeak",
                           "--cache", "cache", "--base-url", BASE, *extra], cwd=work, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("cached")
    (work / "seeds").mkdir()
    (work / "seeds" / "trust.txt").write_text(SEED, encoding="utf-8")
    proc = build(work, "public")
    assert proc.returncode == 0, proc.stderr
    return work


@pytest.mark.parametrize("damage", ["noise", "zero frames"])
def test_cached_clips_overwritten_are_made_again_never_published(published, tmp_path, damage):
    """Every cached clip overwritten with a valid WAV of noise (or of nothing): once published as is,
    exit 0, under the same GUID. Now each is dropped (said in --verbose) and made again: a new
    output gets the very MP3s, at the very URLs, of the show built from the good cache."""
    work = tmp_path / "w"
    shutil.copytree(published, work)
    entries = sorted((work / "cache").rglob("*.wav"))
    assert entries
    for path in entries:
        frames = 0 if damage == "zero frames" else 8000
        plain_wav(path, noise(frames))
    proc = build(work, "again", "--verbose")
    assert proc.returncode == 0, proc.stderr
    dropped = [line for line in proc.stderr.splitlines() if "is damaged" in line and "dropped" in line]
    assert len(dropped) == len(entries)
    assert feed_facts(work / "again") == feed_facts(work / "public")
    mp3s = lambda out: {p.name: p.read_bytes() for p in (out / "episodes").glob("*.mp3")}  # noqa: E731
    assert mp3s(work / "again") == mp3s(work / "public")


def test_a_korean_memo_of_the_wrong_shape_is_analysed_again(published, tmp_path):
    """Offsets as strings once made every build fail with `internal error: TypeError`."""
    work = tmp_path / "w"
    shutil.copytree(published, work)
    memo = work / "cache" / "korean-analyses.json"
    data = json.loads(memo.read_text(encoding="utf-8"))
    data["analyses"] = {text: [[f, t, str(a), str(b)] for f, t, a, b in morphs] for text, morphs in data["analyses"].items()}
    memo.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    facts, before = feed_facts(work / "public"), snapshot(work / "public")
    proc = build(work, "public")
    assert proc.returncode == 0, proc.stderr
    assert "internal error" not in proc.stderr
    assert feed_facts(work / "public") == facts and snapshot(work / "public") == before
    again = json.loads(memo.read_text(encoding="utf-8"))["analyses"]
    assert again and all(type(m[2]) is int for morphs in again.values() for m in morphs)
