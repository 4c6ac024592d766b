"""The whole pipeline on the online engine, with the internet faked at requests.Session.send:
auto picks gTTS when Google answers, clips are cached, and a throttled Google fails the build
with one line while the published show stays as it was."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from pathlib import Path

import pytest
import requests

from audiogen import cli
from audiogen.audio import ffmpeg
from audiogen.tts.espeak import EspeakEngine
from helpers import MEETING_SEED



@pytest.fixture(scope="module")
def mp3() -> bytes:
    """Real speech as Google sends it: MP3 at 24 kHz."""
    clip = EspeakEngine().synthesize("Let's get started with the agenda", "en", "en-us", 1.0)
    return ffmpeg.run(["-f", "s16le", "-ar", str(clip.rate), "-ac", "1", "-i", "pipe:0", "-ar", "24000",
                       "-b:a", "32k", "-f", "mp3", "pipe:1"], input=clip.samples).stdout


def answer(status: int, body: bytes = b"") -> requests.Response:
    r = requests.Response()
    r.status_code, r.raw, r.reason = status, io.BytesIO(body), "Too Many Requests" if status == 429 else "OK"
    r.url = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"
    return r


@pytest.fixture
def google(monkeypatch, mp3):
    """A fake Google: `google.status` is what synthesis requests get; requests are counted."""

    class Google:
        status = 200
        probes = 0
        speech = 0

    payload = json.dumps([["wrb.fr", "jQ1olc", json.dumps([base64.b64encode(mp3).decode()]), None, None, None,
                           "generic"]], separators=(",", ":"))
    body = f")]}}'\n\n{len(payload)}\n{payload}\n".encode()

    def send(self, request, **kwargs):
        if request.method == "HEAD":
            Google.probes += 1
            rsp = answer(200)
        else:
            Google.speech += 1
            rsp = answer(Google.status, body if Google.status == 200 else b"")
        rsp.request = request
        return rsp

    monkeypatch.setattr(requests.Session, "send", send)
    return Google


def digest(folder: Path) -> str:
    return hashlib.sha256(b"".join(p.relative_to(folder).as_posix().encode() + p.read_bytes()
                                   for p in sorted(folder.rglob("*")) if p.is_file())).hexdigest()


def build(work: Path, *extra: str) -> int:
    return cli.main(["build", str(work / "seeds"), "--out", str(work / "public"), "--cache", str(work / "cache"),
                     "--report", str(work / "report.json"), "--config", str(work / "podcast.toml"), *extra])


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "meeting.txt").write_text(MEETING_SEED, encoding="utf-8")
    (tmp_path / "podcast.toml").write_text("[build]\nretries = 1\n", encoding="utf-8")
    return tmp_path


def test_auto_uses_gtts_when_google_answers_and_caches_its_clips(work, google, capsys):
    assert build(work) == 0
    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    assert report["engine"] == "gtts"
    assert "engine: gtts" in capsys.readouterr().err
    assert google.probes == 1 and google.speech >= report["segments_synthesized"] > 0
    (episode,) = report["episodes"]
    assert episode["duration_s"] > 5 and (work / "public" / episode["mp3"]).stat().st_size == episode["bytes"]

    requests_so_far = google.speech
    assert build(work) == 0
    again = json.loads((work / "report.json").read_text(encoding="utf-8"))
    assert again["segments_synthesized"] == 0 and google.speech == requests_so_far


def test_a_throttled_google_fails_in_one_line_and_publishes_nothing(work, google, capsys):
    assert build(work, "--engine", "espeak") == 0
    before = digest(work / "public")
    google.status = 429
    assert build(work, "--engine", "gtts") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("audiogen: error: gtts failed") and "429" in err[-1]
    assert digest(work / "public") == before
