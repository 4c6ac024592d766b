"""Captions, chapters and the script JSON, from a real mix's spans, read back by real parsers."""

from __future__ import annotations

import io
import json

import pytest
import webvtt

from audiogen.audio import mix
from audiogen.model import Line, Script, Span
from audiogen.transcript import chapters_json, escape, script_json, timestamp, transcript_text, vtt


def seconds(ts: str) -> float:
    h, m, s = ts.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


@pytest.fixture(scope="module")
def mixed(lesson):
    lines, clips = lesson
    from audiogen.config import AudioSettings

    return lines, mix.assemble(lines, clips, AudioSettings())


def test_vtt_cues_match_spoken_lines(mixed):
    lines, m = mixed
    text = vtt(lines, m.spans)
    cues = webvtt.from_buffer(io.StringIO(text))
    spoken = [(line, span) for line, span in zip(lines, m.spans) if line.spoken]
    assert len(cues) == len(spoken)
    previous = -1.0
    for cue, (line, span) in zip(cues, spoken):
        start, end = seconds(cue.start), seconds(cue.end)
        assert start == pytest.approx(span.start, abs=0.0006) and end == pytest.approx(span.end, abs=0.0006)
        assert previous <= start < end <= m.seconds
        previous = start
        assert f"<lang {line.lang}>" in cue.raw_text
        assert line.text in cue.text


def test_vtt_escapes_markup_and_newlines():
    lines = [Line("quote", "en", "Tom & Jerry <b>bold</b> -->\n\nnext"), Line("pause", None, pause=1.0), Line("title", "ko", "안녕")]
    spans = [Span(0.0, 1.5), Span(1.5, 2.5), Span(2.5, 3.25)]
    text = vtt(lines, spans)
    cues = webvtt.from_buffer(io.StringIO(text))
    assert len(cues) == 2
    assert "<b>" not in text and "&lt;b&gt;" in text and "&amp;" in text
    assert "\n\nnext" not in text  # a blank line would end the cue early
    assert cues[1].raw_text == "<v Narrator><lang ko>안녕</lang></v>"
    assert escape("a  b\nc") == "a b c"


def test_timestamps():
    assert timestamp(0) == "00:00:00.000"
    assert timestamp(61.2345) == "00:01:01.234" or timestamp(61.2345) == "00:01:01.235"
    assert timestamp(3725.5) == "01:02:05.500"


def test_chapters_json_is_podcasting_2(mixed):
    _, m = mixed
    doc = json.loads(chapters_json(list(reversed(m.chapters))))
    assert doc["version"] == "1.2.0"
    starts = [c["startTime"] for c in doc["chapters"]]
    assert starts == sorted(starts) and starts[0] == 0.0
    assert [c["title"] for c in doc["chapters"]] == [c.title for c in m.chapters]
    assert "도입 · Opening" in chapters_json(m.chapters)  # UTF-8 as is, not \\u escapes
    assert list(doc["chapters"][0]) == ["startTime", "title"]


def test_script_json_follows_the_contract(mixed):
    lines, m = mixed
    script = Script(slug="ep-1", guid="g", title="제목", episode_type="full", seed_id="s", section_key="1", description="", lines=lines)
    raw = script_json(script, m.spans)
    doc = json.loads(raw)
    assert list(doc) == ["slug", "title", "segments"]
    assert doc["slug"] == "ep-1" and doc["title"] == "제목"
    assert len(doc["segments"]) == len(lines)
    for seg, line, span in zip(doc["segments"], lines, m.spans):
        meaning = line.kind in ("meaning", "gloss")  # these say where their Korean came from
        assert list(seg) == ["kind", "lang", "text", "speed", "start", "end"] + (["source"] if meaning else [])
        if meaning:
            assert seg["source"] == (line.source or "author")
        assert seg["kind"] == line.kind
        if line.spoken:
            assert seg["lang"] in ("ko", "en") and seg["text"] == line.text
        else:
            assert seg["lang"] is None and seg["text"] == ""
        assert seg["start"] == pytest.approx(span.start, abs=0.0006) and seg["end"] == pytest.approx(span.end, abs=0.0006)
    ends = [s["end"] for s in doc["segments"]]
    assert ends == sorted(ends)
    assert script_json(script, m.spans) == raw  # deterministic
    with pytest.raises(ValueError):
        script_json(script, m.spans[:-1])


def test_transcript_text_is_everything_spoken(mixed):
    lines, _ = mixed
    text = transcript_text(lines)
    assert text.splitlines() == [line.text for line in lines if line.spoken]
