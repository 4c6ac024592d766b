"""Faults: kill -9 at many moments of a build, two builds at once. Whatever happens, every MP3 a
podcast app can fetch decodes, the feed names only files that exist, and the next build succeeds."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from imageio_ffmpeg import get_ffmpeg_exe

BASE = "https://pod.example.com/"


def article(sections: int, tag: str) -> str:
    parts = ["결함 시험용 기사", "", "by Tester 2026. 4. 1.", ""]
    for i in range(1, sections + 1):
        parts += [f"{i}. {i}번째 주제 {tag}", "",
                  f"이 문단은 {i}번째 섹션입니다. 회사는 고객의 신뢰(trust)를 얻으려고 노력했습니다 {tag}.", "",
                  f'"Trust grows slowly and breaks quickly, lesson {i} {tag}"', ""]
    return "\n".join(parts)


def command(work: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "audiogen", "build", "seeds", "--out", "public", "--engine", "espeak",
            "--cache", "cache", "--base-url", BASE, "--quiet", *extra]


def env() -> dict:
    return {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}


def check_published(out: Path) -> None:
    """What a podcast app could see now is whole."""
    feed = out / "feed.xml"
    assert feed.is_file()
    parsed = feedparser.parse(feed.read_bytes())
    assert not parsed.bozo
    for entry in parsed.entries:
        for enclosure in entry.enclosures:
            rel = urlsplit(enclosure.href).path.lstrip("/")
            path = out / rel
            assert path.is_file(), f"the feed names {rel}, which is not there"
            assert path.stat().st_size == int(enclosure.length)
    for mp3 in out.glob("episodes/*.mp3"):
        proc = subprocess.run([get_ffmpeg_exe(), "-v", "error", "-i", str(mp3), "-f", "null", "-"],
                              capture_output=True, text=True)
        assert proc.returncode == 0 and not proc.stderr.strip(), f"{mp3.name} does not decode: {proc.stderr}"


def held(lock: Path) -> bool:
    """Whether another process holds the build lock right now."""
    if not lock.exists():
        return False
    with lock.open("rb") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    work = tmp_path_factory.mktemp("faults")
    (work / "seeds").mkdir()
    (work / "seeds" / "faults.txt").write_text(article(6, "v1"), encoding="utf-8")
    started = time.monotonic()
    subprocess.run(command(work), cwd=work, env=env(), check=True, capture_output=True)
    return work, time.monotonic() - started


@pytest.mark.parametrize("fraction", [0.05, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1.0])
def test_kill_9_at_any_moment_leaves_a_whole_podcast(published, tmp_path, fraction):
    work, cold = published
    copy = tmp_path / "w"
    shutil.copytree(work, copy)
    # a new version of every section: the killed build has real work to do
    (copy / "seeds" / "faults.txt").write_text(article(6, "v2"), encoding="utf-8")
    shutil.rmtree(copy / "cache")
    proc = subprocess.Popen(command(copy), cwd=copy, env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    time.sleep(cold * fraction)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    check_published(copy / "public")
    again = subprocess.run(command(copy), cwd=copy, env=env(), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    check_published(copy / "public")
    assert "v2" in (copy / "public" / "feed.xml").read_text(encoding="utf-8")
    leftovers = [p.name for p in copy.iterdir() if "staging" in p.name]
    assert leftovers == []


def test_a_second_build_at_once_is_refused_and_the_first_finishes(published, tmp_path):
    work, _ = published
    copy = tmp_path / "w"
    shutil.copytree(work, copy)
    (copy / "seeds" / "faults.txt").write_text(article(6, "v3"), encoding="utf-8")
    first = subprocess.Popen(command(copy), cwd=copy, env=env(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    lock = copy / ".public.audiogen-lock"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and first.poll() is None and not held(lock):
        time.sleep(0.01)
    assert held(lock), "the first build never took the lock"
    second = subprocess.run(command(copy), cwd=copy, env=env(), capture_output=True, text=True)
    assert first.wait() == 0, first.stderr.read()
    assert second.returncode != 0, "the second build should have been refused"
    assert "another audiogen build is writing" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    check_published(copy / "public")
