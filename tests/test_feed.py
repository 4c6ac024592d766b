"""feed.xml: read back by real podcast parsers (podcastparser, feedparser) and lxml."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from email.utils import parsedate_to_datetime

import feedparser
import podcastparser
import pytest
from lxml import etree

from audiogen.errors import AudiogenError
from audiogen.feed import manifest, rss
from feed_site import BASE, BUILD, HOSTILE, NS, make_episode, make_show, site, xml  # noqa: F401 (fixtures)

def test_podcastparser_reads_every_episode(site, xml):
    out, m = site
    parsed = podcastparser.parse(BASE + "feed.xml", io.BytesIO(xml))
    assert parsed["title"] == "영어 한 문장"
    assert parsed["type"] == "serial"
    assert len(parsed["episodes"]) == len(m.episodes)
    by_guid = {e["guid"]: e for e in parsed["episodes"]}
    assert set(by_guid) == {e.guid for e in m.episodes}
    for episode in m.episodes:
        got = by_guid[episode.guid]
        assert got["title"] == episode.title
        assert got["total_time"] == round(episode.duration_s)
        assert got["type"] == episode.episode_type
        (enclosure,) = got["enclosures"]
        assert enclosure["url"] == BASE + episode.mp3
        assert enclosure["file_size"] == (out / episode.mp3).stat().st_size
        assert enclosure["mime_type"] == "audio/mpeg"
        assert got["published"] == int(episode.pub_date.timestamp())


def test_feedparser_sees_a_wellformed_podcast(site, xml):
    out, m = site
    f = feedparser.parse(xml)
    assert not f.bozo, f.get("bozo_exception")
    assert f.version == "rss20"
    assert f.feed.title == m.show.title
    assert f.feed.language == "ko"
    assert f.feed.podcast_guid == rss.podcast_guid(BASE + "feed.xml")
    assert [e.id for e in f.entries] == [e.guid for e in m.episodes]  # manifest order, stable
    for entry, episode in zip(f.entries, m.episodes):
        assert entry.title == episode.title
        assert int(entry.enclosures[0].length) == (out / episode.mp3).stat().st_size
        assert entry.itunes_episodetype == episode.episode_type
        assert entry.guidislink is False


def test_channel_tags(xml):
    root = etree.fromstring(xml)
    ch = root.find("channel")
    feed_url = BASE + "feed.xml"
    self_link = ch.find("atom:link", NS)
    assert self_link.get("rel") == "self" and self_link.get("href") == feed_url
    assert ch.findtext("link") == BASE  # not the self link (feedgen's trap)
    assert ch.findtext("lastBuildDate") == "Sat, 01 Jun 2024 09:30:00 +0000"
    assert ch.findtext("generator")
    assert ch.find("itunes:image", NS).get("href") == BASE + "cover.jpg"
    cat = ch.find("itunes:category", NS)
    assert cat.get("text") == "Education"
    assert cat.find("itunes:category", NS).get("text") == "Language Learning"
    assert ch.findtext("itunes:explicit", namespaces=NS) == "false"
    assert ch.findtext("itunes:author", namespaces=NS) == "Kim & Co"
    assert ch.findtext("itunes:owner/itunes:name", namespaces=NS) == "Kim & Co"
    assert ch.findtext("itunes:owner/itunes:email", namespaces=NS) == "kim@example.org"
    assert ch.findtext("itunes:type", namespaces=NS) == "serial"
    assert ch.findtext("itunes:summary", namespaces=NS) == "Bilingual lessons"
    # computed independently: UUIDv5 of the feed URL without scheme
    expected = uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "lessons.example.org/podcast/feed.xml")
    assert ch.findtext("podcast:guid", namespaces=NS) == str(expected)
    locked = ch.find("podcast:locked", NS)
    assert locked.text == "no" and locked.get("owner") == "kim@example.org"


def test_item_tags(site, xml):
    _, m = site
    items = etree.fromstring(xml).findall("channel/item")
    assert len(items) == len(m.episodes)
    for item, episode in zip(items, m.episodes):
        guid = item.find("guid")
        assert guid.text == episode.guid and guid.get("isPermaLink") == "false"
        assert parsedate_to_datetime(item.findtext("pubDate")) == episode.pub_date
        enc = item.find("enclosure")
        assert enc.get("length") == str(episode.bytes) and enc.get("type") == "audio/mpeg"
        duration = item.findtext("itunes:duration", namespaces=NS)
        h, mi, s = map(int, duration.split(":"))
        assert h * 3600 + mi * 60 + s == round(episode.duration_s)
        assert item.findtext("itunes:episodeType", namespaces=NS) == episode.episode_type
        number = item.findtext("itunes:episode", namespaces=NS)
        assert number == (str(episode.number) if episode.number is not None else None)
        assert item.findtext("itunes:explicit", namespaces=NS) == "false"
        tr = item.find("podcast:transcript", NS)
        assert tr.get("url") == BASE + episode.transcript
        assert tr.get("type") == "text/vtt" and tr.get("language") == "ko"
        ch = item.find("podcast:chapters", NS)
        assert ch.get("url") == BASE + episode.chapters and ch.get("type") == "application/json+chapters"
        for url in [enc.get("url"), tr.get("url"), ch.get("url")]:
            assert url.startswith("https://")


def test_explicit_and_locked_true(site):
    _, m = site
    show = make_show(explicit=True, locked=True, cover="art.jpeg")
    root = etree.fromstring(rss.render(manifest.Manifest(show, m.episodes[:1]), BUILD))
    ch = root.find("channel")
    assert ch.findtext("itunes:explicit", namespaces=NS) == "true"
    assert ch.findtext("item/itunes:explicit", namespaces=NS) == "true"
    assert ch.findtext("podcast:locked", namespaces=NS) == "yes"
    assert ch.find("itunes:image", NS).get("href") == BASE + "art.jpeg"  # feedgen would drop .jpeg


def test_no_cover_means_no_image_tags(site):
    _, m = site
    root = etree.fromstring(rss.render(manifest.Manifest(make_show(cover=""), m.episodes[:1]), BUILD))
    assert root.find("channel/itunes:image", NS) is None and root.find("channel/image") is None


def test_deterministic_and_append_only(site, xml):
    out, m = site
    assert rss.render(m, build_date=BUILD) == xml
    reloaded = manifest.loads(manifest.dumps(m))
    assert rss.render(reloaded, build_date=BUILD) == xml

    more = manifest.Manifest(m.show, m.episodes + [make_episode(out, 5, 1.0)])
    new = rss.render(more, build_date=BUILD)
    old_items = etree.fromstring(xml).findall("channel/item")
    new_items = etree.fromstring(new).findall("channel/item")
    assert len(new_items) == len(old_items) + 1
    for a, b in zip(old_items, new_items):
        assert etree.tostring(a, with_tail=False) == etree.tostring(b, with_tail=False)


def test_build_date_is_the_only_time(site):
    _, m = site
    later = rss.render(m, build_date=BUILD + dt.timedelta(days=3))
    assert b"<lastBuildDate>Tue, 04 Jun 2024 09:30:00 +0000</lastBuildDate>" in later
    assert later.replace(b"Tue, 04 Jun", b"Sat, 01 Jun") == rss.render(m, build_date=BUILD)


def test_hostile_text_stays_text(site, xml):
    _, m = site
    assert b"<script>" not in xml
    titles = [t.text for t in etree.fromstring(xml).iter("title")]
    assert HOSTILE in titles
    show = make_show(title=HOSTILE, description="bad \x00\x0b control", author="<x>")
    root = etree.fromstring(rss.render(manifest.Manifest(show, m.episodes[:1]), BUILD))
    assert root.findtext("channel/title") == HOSTILE
    assert root.findtext("channel/description") == "bad  control"


def test_paths_are_percent_encoded_and_confined():
    show = make_show()
    assert show.url("episodes/a b#?.mp3") == BASE + "episodes/a%20b%23%3F.mp3"
    for bad in ["../secret.mp3", "/etc/passwd", "episodes/../../x", "a\\b.mp3", ""]:
        with pytest.raises(AudiogenError):
            show.url(bad)
