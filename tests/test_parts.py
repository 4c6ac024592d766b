"""Episodes mastered and encoded piece by piece, and the store that lets an edit re-make only the
pieces it changed: real eSpeak speech, the real mastering and the real ffmpeg."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from audiogen.audio import encode, mix, parts
from audiogen.audio.pcm import to_float
from audiogen.model import Clip, Line
from conftest import speak
from helpers import measure_file

RATE = 44100


def long_lesson(speech) -> tuple[list[Line], list[Clip | None]]:
    """Several parts, each with a few different lines, so that pieces start inside parts too."""
    lines: list[Line] = [Line("sting", None, part="opening")]
    clips: list[Clip | None] = [None]
    sentences = ["Trust is earned slowly.", "We ship on Fridays.", "Ask for the numbers first.",
                 "Keep the meeting short.", "Write the decision down.", "Say no to the rest."]
    for part in ("narration", "expressions", "sentences", "recap"):
        for n, text in enumerate(sentences):
            words = f"{text} Part {part}, line {n}."
            lines += [Line("quote", "en", words, part=part), Line("pause", None, pause=1.2, part=part)]
            clips += [speak(words, "en"), None]
    lines.append(Line("sting", None, part="outro"))
    clips.append(None)
    return lines, clips


@pytest.fixture(scope="module")
def episode(speech):
    return long_lesson(speech)


def pcm_of(m: mix.Mix) -> np.ndarray:
    return np.frombuffer(m.samples, dtype="<i2")


def test_pieces_start_on_the_frame_grid_after_silence(episode, audio):
    lines, clips = episode
    m = mix.assemble(lines, clips, audio)
    pcm = pcm_of(m)
    assert len(m.piece_starts) >= 5  # every part, and some lines chosen by what they say
    assert all(s % encode.FRAME == 0 for s in m.piece_starts)
    pieces = parts.cuts(pcm, list(m.piece_starts))
    assert len(pieces) == len(m.piece_starts) + 1 and pieces[0].start == 0 and pieces[-1].stop == len(pcm)
    for a, b in zip(pieces, pieces[1:]):
        assert a.start + a.frames * encode.FRAME == b.start  # the next piece begins where this one's frames end
        assert not pcm[a.stop : b.start].any()  # what no piece encodes is silence


def test_no_cut_where_nothing_is_silent(episode, audio, speech):
    lines, clips = episode
    hum = Clip((np.sin(np.arange(RATE) * 0.05) * 3000).astype("<i2").tobytes(), RATE)
    m = mix.assemble(lines, clips, audio, music=hum)  # a music bed under everything
    assert len(parts.cuts(pcm_of(m), list(m.piece_starts))) == 1


def test_joined_pieces_decode_in_place_at_the_loudness_target(episode, audio, tmp_path):
    lines, clips = episode
    m = mix.assemble(lines, clips, audio)
    path = tmp_path / "e.mp3"
    mix.export_mp3(m, path, audio, store=parts.PartStore(tmp_path / "store"))
    measured = measure_file(path)
    assert abs(measured.integrated - audio.loudness) <= 1.0 and measured.true_peak <= -1.0
    decoded = to_float(mix.decode_file(path, RATE).samples)
    assert len(decoded) == len(m.samples) // 2  # one header: the first piece's delay, the last one's padding
    for line, span in zip(lines, m.spans):
        a, b = int(span.start * RATE), int(span.end * RATE)
        if line.kind == "quote":
            assert np.abs(decoded[a:b]).max() > 0.05, span  # the sound is where the script says
        elif line.kind == "pause":
            assert np.abs(decoded[a + 2000 : b - 2000]).max() < 0.01, span  # and the pauses are quiet


def test_an_edit_re_makes_only_its_pieces_and_gives_the_same_bytes(episode, audio, tmp_path, monkeypatch):
    lines, clips = episode
    edited_at = next(i for i, line in enumerate(lines) if line.part == "sentences" and line.kind == "quote")
    text = "We changed this one sentence."
    lines2 = list(lines)
    lines2[edited_at] = dataclasses.replace(lines[edited_at], text=text)
    clips2 = list(clips)
    clips2[edited_at] = speak(text, "en")
    store = parts.PartStore(tmp_path / "store")
    mix.export_mp3(mix.assemble(lines, clips, audio), tmp_path / "before.mp3", audio, store=store)

    made: list[int] = []
    real = parts.master
    monkeypatch.setattr(parts, "master", lambda pcm, *a: made.append(len(pcm)) or real(pcm, *a))
    after = mix.assemble(lines2, clips2, audio)
    mix.export_mp3(after, tmp_path / "after.mp3", audio, store=store)
    pieces = parts.cuts(pcm_of(after), list(after.piece_starts))
    assert 1 <= len(made) <= 2 < len(pieces)  # the edited piece (and at most its neighbour), nothing else
    assert sum(made) < len(pcm_of(after)) / 3

    made.clear()
    mix.export_mp3(after, tmp_path / "fresh.mp3", audio, store=parts.PartStore(tmp_path / "empty"))
    assert len(made) == len(pieces)
    assert (tmp_path / "after.mp3").read_bytes() == (tmp_path / "fresh.mp3").read_bytes()
    assert len(list(store.root.iterdir())) == len(pieces)  # the store keeps one render of the episode


def test_a_damaged_piece_is_made_again(episode, audio, tmp_path):
    lines, clips = episode
    m = mix.assemble(lines, clips, audio)
    store = parts.PartStore(tmp_path / "store")
    mix.export_mp3(m, tmp_path / "a.mp3", audio, store=store)
    victim = sorted(store.root.iterdir())[0]
    noise = np.random.default_rng(1).integers(0, 255, victim.stat().st_size, dtype=np.uint8).tobytes()
    victim.write_bytes(noise)  # same size, other bytes: its name's digest no longer matches
    key = victim.name.split("-")[0]
    assert store.get(key) is None and not victim.exists()
    mix.export_mp3(m, tmp_path / "b.mp3", audio, store=store)
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()
    assert store.get(key) is not None


def test_a_rebuild_after_an_edit_equals_one_that_made_every_piece(tmp_path):
    """Through the command line: after an edit, the re-rendered episodes (joined from the pieces they
    kept and the pieces the edit changed) are the same bytes as a build that made every piece anew
    from the same clips."""
    import json
    import os
    import shutil
    import subprocess
    import sys

    seed = tmp_path / "seeds" / "talk.md"
    seed.parent.mkdir()
    # updated in place: a fresh show has no earlier version to mark the edited lesson as corrected against
    (tmp_path / "podcast.toml").write_text('[feed]\ncorrections = "update"\n', encoding="utf-8")
    seed.write_text("---\ntitle: 짧은 대화\ndate: 2026-03-02\n---\n\n"
                    "## 1. 인사\n\n처음 만난 사람에게 인사합니다. 이것을 소개(introduction)라고 합니다.\n\n"
                    '> "It is a pleasure to meet you today."\n> 오늘 만나서 반갑습니다.\n\n'
                    "## 2. 부탁\n\n도움을 부탁할 때 씁니다. 이것을 요청(request)이라고 합니다.\n\n"
                    '> "Could you send me the report by Friday?"\n> 금요일까지 보고서를 보내 주시겠어요?\n',
                    encoding="utf-8")

    def build(out: str) -> dict:
        proc = subprocess.run([sys.executable, "-m", "audiogen", "build", "seeds", "--out", out, "--engine", "espeak",
                               "--cache", "cache", "--report", "r.json", "--quiet"], cwd=tmp_path,
                              capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
                              timeout=600)
        assert proc.returncode == 0, proc.stderr
        return json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))

    build("public")
    seed.write_text(seed.read_text(encoding="utf-8").replace("by Friday", "by Thursday"), encoding="utf-8")
    edited = build("public")
    assert edited["segments_synthesized"] >= 1
    shutil.rmtree(tmp_path / "cache" / "parts")  # the same clips, every piece made again
    fresh = build("fresh")
    assert [e["mp3"] for e in edited["episodes"]] == [e["mp3"] for e in fresh["episodes"]]
    for e in edited["episodes"]:
        assert (tmp_path / "public" / e["mp3"]).read_bytes() == (tmp_path / "fresh" / e["mp3"]).read_bytes()
