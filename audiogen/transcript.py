"""What an app shows beside the audio: WebVTT captions, chapters JSON, the script JSON.

All of it is derived from the script lines and the spans the mixer
measured, so the captions sit exactly on the speech. Output is
deterministic: stable key order, no timestamps, UTF-8 as is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .model import Chapter, Line, Script, Span

_VOICE = {"ko": "Narrator", "en": "English"}


def timestamp(seconds: float) -> str:
    """WebVTT time, HH:MM:SS.mmm (rounded to the millisecond)."""
    ms = max(0, int(round(seconds * 1000)))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def escape(text: str) -> str:
    """Text safe inside a VTT cue: no markup, no blank line that would end the cue."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.split())  # newlines and runs of spaces: one space; "-->" cannot survive as a timing line


def vtt(lines: Sequence[Line], spans: Sequence[Span]) -> str:
    """WebVTT with one cue per spoken line, language marked on each cue."""
    if len(lines) != len(spans):
        raise ValueError(f"{len(lines)} lines but {len(spans)} spans")
    out = ["WEBVTT", ""]
    number = 0
    for line, span in zip(lines, spans):
        if not line.spoken or span.end <= span.start:
            continue
        number += 1
        start, end = timestamp(span.start), timestamp(span.end)
        if end <= start:  # shorter than a millisecond after rounding: still a valid cue
            continue
        lang = line.lang or "ko"
        out += [str(number), f"{start} --> {end}", f"<v {_VOICE[lang]}><lang {lang}>{escape(line.text)}</lang></v>", ""]
    return "\n".join(out)


def chapters_json(chapters: Sequence[Chapter]) -> str:
    """Podcasting 2.0 chapters (version 1.2.0), ascending by start time."""
    items = [{"startTime": round(c.start, 3), "title": c.title} for c in sorted(chapters, key=lambda c: c.start)]
    return json.dumps({"version": "1.2.0", "chapters": items}, ensure_ascii=False, indent=2) + "\n"


def script_json(script: Script, spans: Sequence[Span]) -> str:
    """The episode's script with each line's place in the final MP3 (a contract: the README describes it)."""
    if len(script.lines) != len(spans):
        raise ValueError(f"{len(script.lines)} lines but {len(spans)} spans")
    segments = []
    for line, span in zip(script.lines, spans):
        segment = {
            "kind": line.kind,
            "lang": line.lang if line.spoken else None,
            "text": line.text if line.spoken else "",
            "speed": line.speed,
            "start": round(span.start, 3),
            "end": round(span.end, 3),
        }
        if line.kind in ("meaning", "gloss"):
            segment["source"] = line.source or "author"
        segments.append(segment)
    doc = {"slug": script.slug, "title": script.title, "segments": segments}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def transcript_text(lines: Sequence[Line]) -> str:
    """Plain text of everything spoken, one line each (for the ID3 USLT frame)."""
    return "\n".join(" ".join(line.text.split()) for line in lines if line.spoken) + "\n"
