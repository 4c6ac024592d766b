"""The command line beyond build: init, script (edit and regenerate), cache, serve."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from audiogen import config

SEED = """\
회의 영어: 안건과 결정

by Tester 2026. 3. 2.

1. 회의를 시작하는 말

회의를 시작할 때는 목적을 먼저 말합니다. 이것을 안건(agenda)이라고 부릅니다.

"Let's get started with the agenda"

2. 결정을 정리하는 말

회의가 끝나기 전에 결정 사항(action items)을 다시 말합니다.

"Let's recap the action items before we go"
"""


def run(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "audiogen", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture
def work(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "meeting.txt").write_text(SEED, encoding="utf-8")
    return tmp_path


def build(work: Path, report: str = "r.json") -> dict:
    run(["build", "--out", "public", "--engine", "espeak", "--cache", "cache", "--report", report], work)
    return json.loads((work / report).read_text(encoding="utf-8"))


def segments(work: Path, episode: dict) -> list[dict]:
    return json.loads((work / "public" / episode["script"]).read_text(encoding="utf-8"))["segments"]


def test_init_writes_a_config_that_loads(work):
    run(["init"], work)
    cfg = config.load(work / "podcast.toml")
    assert cfg.show == config.ShowSettings()
    again = run(["init"], work, check=False)
    assert again.returncode != 0 and "already exists" in again.stderr


def test_an_edited_script_is_used_and_deleting_it_brings_back_the_generated_one(work):
    first = build(work)
    run(["script", "seeds/meeting.txt"], work)
    path = work / "edits" / "meeting-01.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["slug"] == "meeting-01"
    # the user fixes the English key sentence by hand, wherever the script says it (the cue of its
    # drill opens with its first words)
    text = path.read_text(encoding="utf-8").replace("Let's get started", "Let us begin")
    path.write_text(text, encoding="utf-8")
    proc = run(["build", "--out", "public", "--engine", "espeak", "--cache", "cache", "--report", "e.json"], work)
    assert "edited script" in proc.stderr
    edited = json.loads((work / "e.json").read_text(encoding="utf-8"))
    spoken = " ".join(s["text"] for s in segments(work, edited["episodes"][0]))
    assert "Let us begin with the agenda" in spoken and "Let's get started" not in spoken
    # a hand edit is an edit of the lesson's own content: republished (the default) as a corrected episode
    assert edited["episodes"][0]["guid"] != first["episodes"][0]["guid"]
    assert edited["episodes"][0]["title"] == first["episodes"][0]["title"] + " (수정본)"
    assert edited["episodes"][1]["guid"] == first["episodes"][1]["guid"]
    assert edited["episodes"][1]["mp3"] == first["episodes"][1]["mp3"], "the other episode is untouched"

    # the seed changes afterwards: the build warns that the edit still wins
    seed = work / "seeds" / "meeting.txt"
    seed.write_text(SEED.replace("목적을 먼저", "목적을 가장 먼저"), encoding="utf-8")
    proc = run(["build", "--out", "public", "--engine", "espeak", "--cache", "cache"], work)
    assert "overrides" in proc.stderr

    path.unlink()
    regenerated = build(work, "g.json")
    spoken = " ".join(s["text"] for s in segments(work, regenerated["episodes"][0]))
    assert "Let's get started with the agenda" in spoken


def test_script_keeps_edits_unless_forced(work):
    run(["script", "seeds/meeting.txt"], work)
    path = work / "edits" / "meeting-01.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# my note\n", encoding="utf-8")
    proc = run(["script", "seeds/meeting.txt"], work)
    assert "kept it" in proc.stderr and "# my note" in path.read_text(encoding="utf-8")
    run(["script", "seeds/meeting.txt", "--force"], work)
    assert "# my note" not in path.read_text(encoding="utf-8")


def test_cache_stats_and_prune(work):
    build(work)
    stats = run(["cache", "stats", "--cache", "cache"], work).stdout
    count = int(stats.split()[0])
    assert count > 0
    stray = work / "cache" / "ab" / ("ab" + "0" * 62 + ".wav")
    stray.parent.mkdir(exist_ok=True)
    shutil.copy(next((work / "cache").rglob("*.wav")), stray)
    pruned = run(["cache", "prune", "seeds", "--cache", "cache"], work).stdout
    assert pruned.startswith("removed 1 clips") and f"{count} clips left" in pruned
    assert not stray.exists()
    assert int(run(["cache", "stats", "--cache", "cache"], work).stdout.split()[0]) == count
    # nothing was lost: a rebuild into a new folder synthesizes nothing
    again = json.loads(json.dumps(build(work)))
    assert again["segments_synthesized"] == 0


def test_serve_command_serves_the_feed(work):
    build(work)
    proc = subprocess.Popen([sys.executable, "-m", "audiogen", "serve", "public", "--port", "0"], cwd=work,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and url is None:
            line = proc.stdout.readline()
            if "feed.xml" in line:
                url = line.split()[-1]
        assert url and url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.headers["Content-Type"].startswith("application/rss+xml")
            assert b"<rss" in response.read()
    finally:
        proc.terminate()
        proc.wait(timeout=30)  # a loaded machine is slow to unwind, not hung


def test_serve_refuses_a_missing_folder(work):
    proc = run(["serve", "nowhere"], work, check=False)
    assert proc.returncode != 0 and len(proc.stderr.strip().splitlines()) == 1
