"""A small published site for the page tests: real MP3s (tones), script JSON, VTT and chapters."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from PIL import Image

from audiogen.feed import manifest, page
from audiogen.model import Episode
from helpers import make_mp3

HOSTILE = '</title><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
LONG_WORD = "x" * 300  # a word no phone is wide enough for
# (kind, lang, text, speed, start, end): lines with gaps between them, as the mixer leaves them
SEGMENTS = [
    ("sting", None, "", 1.0, 0.0, 0.5),
    ("announce", "ko", "영어 한 문장, 첫 번째 레슨.", 1.0, 0.5, 1.5),
    ("term", "en", "engineered in", 1.0, 1.8, 2.6),
    ("meaning", "ko", "뜻은, 내재되다.", 1.0, 2.9, 4.0),
    ("pause", None, "", 1.0, 4.0, 5.5),
    ("quote", "en", "Safety has to be engineered in.", 1.0, 5.6, 7.0),
    ("gloss", "ko", "안전은 처음부터 설계되어야 한다.", 1.0, 7.3, 8.5),
    ("slow", "en", "Safety has to be engineered in.", 0.85, 8.8, 10.4),
    ("outro", "ko", "오늘 레슨은 여기까지입니다.", 1.0, 10.6, 11.4),
]
SPOKEN = [s for s in SEGMENTS if s[2]]
MACHINE_MADE = {"안전은 처음부터 설계되어야 한다.": "teacher"}  # the gloss a teacher wrote; the meaning is the author's
CHAPTERS = [(0.0, "Opening"), (1.8, "Expressions"), (5.6, "Sentences")]
SECONDS = 12.0


def vtt_time(t: float) -> str:
    return f"00:{int(t // 60):02d}:{t % 60:06.3f}"


def write_side_files(out: Path, slug: str, segments=SEGMENTS, title: str = "") -> None:
    (out / "episodes").mkdir(parents=True, exist_ok=True)
    doc = {"slug": slug, "title": title, "segments": [
        {"kind": k, "lang": lang, "text": text, "speed": speed, "start": a, "end": b,
         **({"source": MACHINE_MADE.get(text, "author")} if k in ("meaning", "gloss") else {})}
        for k, lang, text, speed, a, b in segments]}
    (out / f"episodes/{slug}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    cues = "".join(f"\n{vtt_time(a)} --> {vtt_time(b)}\n<lang {lang}>{text}</lang>\n"
                   for _, lang, text, _, a, b in segments if text)
    (out / f"episodes/{slug}.vtt").write_text("WEBVTT\n" + cues, encoding="utf-8")
    chapters = {"version": "1.2.0", "chapters": [{"startTime": t, "title": c} for t, c in CHAPTERS]}
    (out / f"episodes/{slug}.chapters.json").write_text(json.dumps(chapters), encoding="utf-8")


def episode(out: Path, n: int, title: str, kind: str = "full", mp3: str | None = None) -> Episode:
    slug = f"lesson-{n}"
    if mp3 is None:
        mp3 = f"episodes/{slug}.mp3"
        make_mp3(out / mp3, SECONDS, 300 + 50 * n)
    hostile = [("narration", "ko", LONG_WORD, 1.0, 11.45, 11.5), ("narration", "ko", HOSTILE, 1.0, 11.5, 11.9)] \
        if title == HOSTILE else []
    write_side_files(out, slug, SEGMENTS + hostile, title=title)
    return Episode(
        slug=slug, guid=f"g{n}", title=title, episode_type=kind,  # type: ignore[arg-type]
        description=f"Key expressions {n} <b>not bold</b> {LONG_WORD if n == 2 else ''}",
        pub_date=dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=n),
        mp3=mp3, script=f"episodes/{slug}.json", transcript=f"episodes/{slug}.vtt",
        chapters=f"episodes/{slug}.chapters.json", duration_s=SECONDS,
        bytes=(out / mp3).stat().st_size, number=n if kind == "full" else None,
    )


def make_site(out: Path, episodes: int = 3, deck: manifest.Deck | None = None) -> manifest.Manifest:
    """A show of `episodes` lessons (one MP3 shared beyond the first three), index.html written."""
    Image.new("RGB", (64, 64), (40, 90, 160)).save(out / "cover.jpg")
    made = [episode(out, 3, "Bonus review", "bonus"), episode(out, 2, HOSTILE), episode(out, 1, "Lesson 1: engineered in")]
    made += [episode(out, n, f"Lesson {n}", mp3=made[0].mp3) for n in range(4, episodes + 1)]
    show = manifest.Show(title="영어 한 문장 <i>", description="Bilingual & friendly", author="Kim",
                         email="kim@example.org", base_url="http://127.0.0.1:8000/", cover="cover.jpg")
    m = manifest.Manifest(show, made[:episodes] if episodes < 3 else made, deck=deck)
    (out / "index.html").write_text(page.render(m, out), encoding="utf-8")
    return m
