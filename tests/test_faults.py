"""Faults: kill -9 at exact moments of a build (just before and just after the Nth file reaches its
final name, see inject.py), two builds at once. Whatever happens, every MP3 a podcast app can fetch
decodes, the feed names only files that exist, and the next build succeeds."""

from __future__ import annotations

import json
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

from show_facts import feed_facts, feed_mp3s, page_mp3s, snapshot

BASE = "https://pod.example.com/"


def article(sections: int, tag: str) -> str:
    parts = ["결함 시험용 기사", "", "by Tester 2026. 4. 1.", ""]
    for i in range(1, sections + 1):
        parts += [f"{i}. {i}번째 주제 {tag}", "",
                  f"이 문단은 {i}번째 섹션입니다. 회사는 고객의 신뢰(trust)를 얻으려고 노력했습니다 {tag}.", "",
                  f'"Trust grows slowly and breaks quickly, lesson {i} {tag}"', ""]
    return "\n".join(parts)


INJECT = Path(__file__).with_name("inject.py")
BUILD = ["build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache", "--base-url", BASE, "--quiet"]


def command(*fault: str) -> list[str]:
    """audiogen build, with a fault injected (see inject.py), or none."""
    if not fault:
        return [sys.executable, "-m", "audiogen", *BUILD]
    return [sys.executable, str(INJECT), *fault, "--", *BUILD]


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


def edited_copy(work: Path, tmp_path: Path, tag: str) -> Path:
    """A copy of the published work folder whose every section changed, and no clip cached:
    a build of it has real work to do at every step."""
    copy = tmp_path / "w"
    shutil.copytree(work, copy)
    (copy / "seeds" / "faults.txt").write_text(article(3, tag), encoding="utf-8")
    shutil.rmtree(copy / "cache")
    return copy


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A published show, and how many file replaces a build of a changed version of it makes."""
    work = tmp_path_factory.mktemp("faults")
    (work / "seeds").mkdir()
    (work / "seeds" / "faults.txt").write_text(article(3, "v1"), encoding="utf-8")
    subprocess.run(command(), cwd=work, env=env(), check=True, capture_output=True)
    probe = edited_copy(work, tmp_path_factory.mktemp("count"), "v2")
    subprocess.run(command("count", str(probe / "count")), cwd=probe, env=env(), check=True, capture_output=True)
    return work, int((probe / "count").read_text())


# Where to crash, as a share of the build's file replaces: the first clip cached, clips and staged
# episodes along the way, the first and last files published, the feed (last of all).
POINTS = [0.0, 0.25, 0.5, 0.75, 0.9, 1.0]


@pytest.mark.parametrize("when", ["kill-before", "kill-after"])
@pytest.mark.parametrize("point", POINTS)
def test_kill_9_at_any_moment_leaves_a_whole_podcast(published, tmp_path, point, when):
    work, replaces = published
    assert replaces > 10, "a changed build replaces files for every clip, episode and the feed"
    n = max(1, round(point * replaces))
    copy = edited_copy(work, tmp_path, "v2")
    killed = subprocess.run(command(when, str(n)), cwd=copy, env=env(), capture_output=True)
    assert killed.returncode == -9, f"the fault at replace {n} of {replaces} was never reached"
    check_published(copy / "public")
    again = subprocess.run(command(), cwd=copy, env=env(), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    check_published(copy / "public")
    assert "v2" in (copy / "public" / "feed.xml").read_text(encoding="utf-8")
    leftovers = [p.name for p in copy.iterdir() if "staging" in p.name]
    assert leftovers == []


def test_a_second_build_at_once_is_refused_and_the_first_finishes(published, tmp_path):
    work, _ = published
    copy = edited_copy(work, tmp_path, "v3")
    ready, go = copy / "ready", copy / "go"
    # the first build stops inside its lock, at its first replace (a clip entering the cache)
    first = subprocess.Popen(command("pause-at", "1", str(ready), str(go)), cwd=copy, env=env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not ready.exists() and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert ready.exists(), "the first build never reached its first replace"
        second = subprocess.run(command(), cwd=copy, env=env(), capture_output=True, text=True)
    finally:
        go.touch()
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert second.returncode != 0, "the second build should have been refused"
    assert "another audiogen build is writing" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    check_published(copy / "public")
    assert "v3" in (copy / "public" / "feed.xml").read_text(encoding="utf-8")


# --- issue 22, case 2: publishing is one transaction ----------------------------------------------


@pytest.mark.parametrize("name", ["manifest.json", "index.html", "feed.xml"])
def test_a_failure_between_the_moves_puts_every_file_back(published, tmp_path, name):
    """manifest.json (or the page, or the feed) cannot be replaced after the episodes moved in: once the
    page pointed at new MP3s and the feed at old ones; now every file is put back, and the line says so."""
    work, _ = published
    copy = edited_copy(work, tmp_path, "v2")
    out = copy / "public"
    before, facts = snapshot(out), feed_facts(out)
    failed = subprocess.run(command("fail-at-file", name), cwd=copy, env=env(), capture_output=True, text=True)
    assert failed.returncode == 1
    (line,) = failed.stderr.strip().splitlines()
    assert line.startswith(f"audiogen: error: cannot write {out / name}: permission denied")
    assert line.endswith("; the published output is unchanged")
    assert snapshot(out) == before and feed_facts(out) == facts
    assert [p.name for p in copy.iterdir() if "staging" in p.name] == []
    again = subprocess.run(command(), cwd=copy, env=env(), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    check_published(out)
    assert page_mp3s(out) == feed_mp3s(out, BASE) and "v2" in (out / "feed.xml").read_text(encoding="utf-8")


def test_sigterm_during_the_moves_waits_for_them_and_says_the_build_was_published(published, tmp_path):
    """SIGTERM once printed "the published output is unchanged" with new files already in place."""
    work, _ = published
    copy = edited_copy(work, tmp_path, "v2")
    out = copy / "public"
    ready, go = copy / "ready", copy / "go"
    build = subprocess.Popen(command("pause-at-file", "index.html", str(ready), str(go)), cwd=copy, env=env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while not ready.exists() and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert ready.exists(), "the build never reached the page's move"
        os.kill(build.pid, signal.SIGTERM)  # to the process: any of its threads may take it
        time.sleep(0.5)
    finally:
        go.touch()
    assert build.wait(timeout=120) == 128 + signal.SIGTERM
    lines = build.stderr.read().strip().splitlines()
    assert lines[-1] == "audiogen: terminated; the new build was published whole before it stopped"
    check_published(out)
    assert "v2" in (out / "feed.xml").read_text(encoding="utf-8")
    assert page_mp3s(out) == feed_mp3s(out, BASE)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {e["mp3"] for e in manifest["episodes"]} == feed_mp3s(out, BASE)


@pytest.mark.parametrize("dates_file", ["kept", "lost"])
def test_kill_9_right_after_the_feed_moves_and_a_build_two_days_later_moves_no_date(tmp_path, dates_file):
    """An undated seed's first build, killed just after feed.xml was replaced, once left published.json
    unwritten: two days later its episodes were re-dated and got new URLs. The dates are now written
    before the moves, and the manifest proves them even when the dates file is lost."""
    work = tmp_path / "w"
    (work / "seeds").mkdir(parents=True)
    undated = "\n".join(line for line in article(2, "v1").splitlines() if not line.startswith("by "))
    (work / "seeds" / "faults.txt").write_text(undated, encoding="utf-8")
    killed = subprocess.run(command("kill-after-file", "feed.xml"), cwd=work, env=env(), capture_output=True)
    assert killed.returncode == -9
    out = work / "public"
    check_published(out)
    facts = feed_facts(out)
    assert facts and all("01 Jan 2026" in pub for _, _, _, pub in facts)
    if dates_file == "lost":
        (work / "seeds" / "published.json").unlink()
    later = {**env(), "SOURCE_DATE_EPOCH": str(1767225600 + 2 * 86400)}
    again = subprocess.run(command(), cwd=work, env=later, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert feed_facts(out) == facts
    recorded = json.loads((work / "seeds" / "published.json").read_text(encoding="utf-8"))
    assert recorded["dates"] == {"faults": "2026-01-01"}
