"""A small published site for the feed tests: real MP3s, VTTs and chapters, and its manifest."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from audiogen.feed import manifest, rss
from audiogen.model import Episode
from helpers import make_mp3

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}
BASE = "https://lessons.example.org/podcast/"
BUILD = dt.datetime(2024, 6, 1, 9, 30, tzinfo=dt.timezone.utc)
HOSTILE = "</title><script>alert(1)</script> & <b>bold</b>"


def make_episode(out: Path, n: int, seconds: float, kind: str = "full", title: str | None = None) -> Episode:
    slug = f"lesson-{n}-{n:08x}"
    mp3 = f"episodes/{slug}.mp3"
    make_mp3(out / mp3, seconds, 300 + 100 * n)
    (out / f"episodes/{slug}.vtt").write_text(
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n안녕하세요\n\n00:00:01.000 --> 00:00:02.000\nengineered in\n",
        encoding="utf-8",
    )
    (out / f"episodes/{slug}.chapters.json").write_text(
        json.dumps({"version": "1.2.0", "chapters": [{"startTime": 0.0, "title": "Opening"},
                                                     {"startTime": 1.0, "title": "Expressions"}]}),
        encoding="utf-8",
    )
    return Episode(
        slug=slug,
        guid=f"audiogen:seed:{n}",
        title=title or f"Lesson {n}: 내재되어야 (engineered in)",
        episode_type=kind,  # type: ignore[arg-type]
        description=f"Key expressions: engineered in, {n}",
        pub_date=dt.datetime(2024, 1, n, 6, 0, tzinfo=dt.timezone.utc),
        mp3=mp3,
        script=f"episodes/{slug}.json",
        transcript=f"episodes/{slug}.vtt",
        chapters=f"episodes/{slug}.chapters.json",
        duration_s=seconds,
        bytes=(out / mp3).stat().st_size,
        number=n if kind == "full" else None,
    )


def make_show(**kw) -> manifest.Show:
    fields = dict(title="영어 한 문장", description="Bilingual lessons", author="Kim & Co",
                  email="kim@example.org", base_url=BASE, cover="cover.jpg")
    fields.update(kw)
    return manifest.Show(**fields)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, manifest.Manifest]:
    out = tmp_path_factory.mktemp("site")
    episodes = [
        make_episode(out, 1, 2.0),
        make_episode(out, 2, 3.0),
        make_episode(out, 3, 1.5, kind="bonus"),
        make_episode(out, 4, 2.5, kind="trailer", title=HOSTILE),
    ]
    return out, manifest.Manifest(show=make_show(), episodes=episodes)


@pytest.fixture(scope="module")
def xml(site) -> bytes:
    return rss.render(site[1], build_date=BUILD)
