"""Any text a seed can hold, titles, quotes and terms included, comes out as valid XML, HTML and
WebVTT, and never as markup: a property test over arbitrary Unicode (no audio involved)."""

from __future__ import annotations

import datetime as dt
import html.parser
from pathlib import Path

import webvtt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from audiogen import seed, transcript
from audiogen.lesson import writer as script
from audiogen.config import LessonSettings
from audiogen.errors import AudiogenError
from audiogen.model import Episode, Span
from audiogen.feed import manifest, page, rss

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)


# every element a feed of ours may hold; anything else came from seed text
FEED_TAGS = {"rss", "channel", "title", "link", "description", "language", "lastBuildDate", "generator", "docs",
             "item", "guid", "pubDate", "enclosure", "author", "owner", "name", "email", "image", "category",
             "explicit", "type", "summary", "duration", "episodeType", "episode", "locked", "transcript",
             "chapters", "url", "season", "subtitle", "keywords", "block", "complete", "new-feed-url"}


class _Strict(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=texts, heading=texts, quote=texts, term=texts)
def test_any_seed_text_is_escaped_everywhere(tmp_path: Path, title, heading, quote, term):
    path = tmp_path / "any.txt"
    body = (f"{title}\n\nby Someone 2026. 1. 13.\n\n1. {heading}\n\n"
            f"이 문단은 용어({term})를 씁니다. 그리고 계속됩니다.\n\n\"{quote}\"\n")
    path.write_text(body, encoding="utf-8")
    try:
        lesson = seed.read(path)
    except AudiogenError:
        return  # refusing a seed is fine; crashing is not
    scripts = script.write(lesson, LessonSettings())
    episodes = []
    for i, s in enumerate(scripts):
        spans = [Span(k * 1.0, k * 1.0 + 0.5) for k in range(len(s.lines))]
        cues = transcript.vtt(s.lines, spans)
        (tmp_path / f"{s.slug}.vtt").write_text(cues, encoding="utf-8")
        webvtt.read(str(tmp_path / f"{s.slug}.vtt"))  # raises on malformed WebVTT
        episodes.append(Episode(slug=s.slug, guid=s.guid, title=s.title, episode_type=s.episode_type,
                                description=s.description, pub_date=dt.datetime(2026, 1, 13, 0, i, tzinfo=dt.timezone.utc),
                                mp3=f"episodes/{s.slug}.mp3", script=f"episodes/{s.slug}.json",
                                transcript=f"episodes/{s.slug}.vtt", chapters=f"episodes/{s.slug}.chapters.json",
                                duration_s=60.0, bytes=1000, number=s.number))
    show = manifest.Show(title=lesson.title, description=heading, author=term, email="a@example.com",
                         base_url="https://example.com/pod/", cover="cover.jpg")
    m = manifest.Manifest(show=show, episodes=episodes)
    feed = rss.render(m, build_date=dt.datetime(2026, 1, 14, tzinfo=dt.timezone.utc))
    root = etree.fromstring(feed)
    tags = {etree.QName(el).localname for el in root.iter() if isinstance(el.tag, str)}
    assert tags <= FEED_TAGS, f"seed text became markup: {tags - FEED_TAGS}"
    assert len(root.findall("channel/item")) == len(scripts)
    parser = _Strict()
    parser.feed(page.render(m, tmp_path))
    assert parser.scripts == 1, "only the page's own script element"
    assert manifest.loads(manifest.dumps(m)).episodes == episodes
