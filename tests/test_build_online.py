"""The whole pipeline with the internet faked once per service (tests/fakes.py): auto picks per
language from what answers, clips are cached, one episode mixes engines, a changed voice
re-renders with the other language's clips kept, and a throttled service fails the build with
one line while the published show stays as it was."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from audiogen import cli
from fakes import edge, google, mp3  # noqa: F401
from helpers import MEETING_SEED


def digest(folder: Path) -> str:
    return hashlib.sha256(b"".join(p.relative_to(folder).as_posix().encode() + p.read_bytes()
                                   for p in sorted(folder.rglob("*")) if p.is_file())).hexdigest()


def build(work: Path, *extra: str) -> dict | None:
    code = cli.main(["build", str(work / "seeds"), "--out", str(work / "public"), "--cache", str(work / "cache"),
                     "--report", str(work / "report.json"), "--config", str(work / "podcast.toml"), *extra])
    return json.loads((work / "report.json").read_text(encoding="utf-8")) if code == 0 else None


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "meeting.txt").write_text(MEETING_SEED, encoding="utf-8")
    (tmp_path / "podcast.toml").write_text("[build]\nretries = 1\n", encoding="utf-8")
    return tmp_path


def test_auto_uses_edge_when_microsoft_answers_and_caches_its_clips(work, edge, google, capsys):
    report = build(work)
    assert report["engine"] == "edge"
    assert report["voices"] == {"ko": "edge:ko-KR-SunHiNeural", "en": "edge:en-US-JennyNeural",
                                "en2": "edge:en-US-GuyNeural"}
    assert "engine: edge (auto: edge answered)" in capsys.readouterr().err
    assert len(edge.ssml) == report["segments_synthesized"] > 0 and google.speech == 0
    assert any("ko-KR, SunHiNeural" in s for s in edge.ssml) and any("en-US, GuyNeural" in s for s in edge.ssml)
    (episode,) = report["episodes"]
    assert episode["duration_s"] > 5 and (work / "public" / episode["mp3"]).stat().st_size == episode["bytes"]

    again = build(work)
    assert again["segments_synthesized"] == 0 and len(edge.ssml) == report["segments_synthesized"]


def test_auto_uses_gtts_when_only_google_answers(work, edge, google, monkeypatch, capsys):
    edge.down(monkeypatch)
    report = build(work)
    assert report["engine"] == "gtts" and report["voices"]["en2"] == "gtts:co.uk"
    assert "engine: gtts (auto: gtts answered; edge did not answer)" in capsys.readouterr().err
    assert google.probes == 1 and google.speech == report["segments_synthesized"] > 0


def test_offline_auto_mixes_piper_and_espeak_in_one_episode(work, edge, google, monkeypatch, capsys):
    edge.down(monkeypatch)
    google.down = True
    report = build(work)
    assert report["engine"] == "ko=espeak,en=piper"
    assert report["voices"] == {"ko": "espeak:ko", "en": "piper:en_US-joe-medium"}
    assert "auto: offline; edge and gtts did not answer" in capsys.readouterr().err
    (episode,) = report["episodes"]
    script = json.loads((work / "public" / episode["script"]).read_text(encoding="utf-8"))
    langs = {seg["lang"] for seg in script["segments"] if seg.get("lang")}
    assert langs == {"ko", "en"} and episode["duration_s"] > 5


def test_a_changed_voice_rerenders_and_keeps_the_other_languages_clips(work):
    first = build(work, "--engine", "espeak")
    before = digest(work / "public")
    (work / "podcast.toml").write_text('[build]\nengine = "espeak"\n[voices]\nen = "piper"\n', encoding="utf-8")
    second = build(work)
    assert second["voices"]["en"] == "piper:en_US-joe-medium"
    assert second["episodes"][0]["mp3"] != first["episodes"][0]["mp3"] and digest(work / "public") != before
    english = {s["text"] for s in json.loads((work / "public" / second["episodes"][0]["script"])
                                             .read_text(encoding="utf-8"))["segments"] if s.get("lang") == "en"}
    assert 0 < second["segments_synthesized"] <= len(english) * 2  # English only (natural and slow); Korean cached
    third = build(work)
    assert third["segments_synthesized"] == 0 and third["episodes"] == second["episodes"]


@pytest.mark.parametrize("service", ["gtts", "edge"])
def test_a_throttled_service_fails_in_one_line_and_publishes_nothing(work, edge, google, service, capsys):
    assert build(work, "--engine", "espeak") is not None
    before = digest(work / "public")
    google.status = edge.status = 429
    assert build(work, "--engine", service) is None
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"audiogen: error: {service} failed") and "429" in err[-1]
    assert digest(work / "public") == before
