"""feed.xml: RSS 2.0 with iTunes and Podcasting 2.0 tags, written with feedgen.

The feed is what podcast apps trust forever, so it is deterministic: the
same manifest and build date give the same bytes, items keep their order,
and nothing here reads the clock (``lastBuildDate`` is the caller's
``build_date``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from urllib.parse import quote

from feedgen.feed import FeedGenerator

from ..model import Episode

from .manifest import Manifest, Show, as_utc
from .podcast_ext import Podcast2EntryExtension, Podcast2Extension, Transcript, podcast_guid

GENERATOR = "audiogen"

# Length limits the W3C Feed Validator enforces as errors (itunes.py:
# lengthLimitedText(255) for itunes:author/itunes:name, lengthLimitedText(4000)
# for itunes:summary); Apple caps descriptions at 4000 characters too.
NAME_MAX = 255
SUMMARY_MAX = 4000
# The only <image><url> extensions the validator's image.py accepts without an
# ImageUrlFormat warning.
RSS_IMAGE_EXTENSIONS = ("jpg", "jpeg", "gif", "png")

# Characters XML 1.0 cannot carry at all; lxml refuses them, so seed text
# containing one would crash the build instead of being published. C1 controls
# and U+FFFD (the mark of text already lost to a bad decode) are legal XML but
# the W3C validator warns about them (base.py characters(): BadCharacters).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x80-\x9f\ufffd\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def limit(text: str, max_chars: int) -> str:
    """Cleaned, stripped text of at most ``max_chars`` characters (an ellipsis marks a cut)."""
    text = clean(text).strip()
    if len(text) <= max_chars:
        return text
    return text[: max_chars - 1].rstrip() + "…"


def hex_escapes(xml: bytes) -> bytes:
    """Write ``&`` and ``<`` in text as hexadecimal character references.

    The RSS Best Practices Profile asks for ``&#x26;`` and ``&#x3C;``; the W3C
    validator warns ("CharacterData", "ContainsHTML") about ``&lt;``/``&amp;``
    in plain-text elements when the line holds no ``&#x``. Every ``&`` lxml
    writes starts a reference, so swapping these two references is exact.
    """
    return xml.replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;")


def duration(seconds: float) -> str:
    """itunes:duration as HH:MM:SS (whole seconds, at least 1)."""
    total = max(1, round(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


def render(m: Manifest, build_date: dt.datetime) -> bytes:
    """The feed as UTF-8 bytes, ready to write to feed.xml."""
    # every text of the show without what XML cannot carry (a manifest edited by hand may hold a
    # control character in its language or email, as a seed may in its text)
    show = dataclasses.replace(m.show, **{f.name: clean(value) for f in dataclasses.fields(m.show)
                                          if isinstance(value := getattr(m.show, f.name), str)})
    fg = _channel(show, build_date)
    for episode in m.episodes:
        _item(fg, show, episode)
    return hex_escapes(fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True))


def _channel(show: Show, build_date: dt.datetime) -> FeedGenerator:
    # feedgen refuses empty required fields: text that cleans to nothing falls back to a name
    title = clean(show.title).strip() or "audiogen"
    author = limit(show.author, NAME_MAX) or limit(title, NAME_MAX)
    fg = FeedGenerator()
    fg.load_extension("podcast")  # iTunes tags feedgen writes correctly
    fg.register_extension("podcast2", Podcast2Extension, Podcast2EntryExtension)

    fg.title(title)
    # feedgen's RSS <link> is the *last* link added: self first, page second.
    fg.link(href=show.feed_url, rel="self", type="application/rss+xml")
    fg.link(href=show.link, rel="alternate")
    fg.description(limit(show.description, SUMMARY_MAX) or title)
    fg.language(show.language)
    fg.generator(GENERATOR)
    fg.lastBuildDate(as_utc(build_date))
    if show.cover:  # Apple requires one; audiogen always makes one, but a missing cover must not crash
        if show.cover.rsplit(".", 1)[-1].lower() in RSS_IMAGE_EXTENSIONS:
            # title and link must equal the channel's (validator: ImageTitleDoesntMatch, ImageLinkDoesntMatch)
            fg.image(url=show.url(show.cover), title=title, link=show.link)
        fg.podcast2.itunes_image(show.url(show.cover))

    fg.podcast.itunes_author(author)
    email = show.email.strip()
    if author and email:  # feedgen refuses an owner without both (a manifest edited by hand may lack one)
        fg.podcast.itunes_owner(name=author, email=email)
    fg.podcast.itunes_summary(limit(show.description, SUMMARY_MAX))
    fg.podcast.itunes_type(show.type)

    fg.podcast2.itunes_category(show.category, show.subcategory or None)
    fg.podcast2.itunes_explicit(show.explicit)
    fg.podcast2.podcast_guid(podcast_guid(show.feed_url))
    fg.podcast2.podcast_locked(show.locked, email)
    return fg


def _item(fg: FeedGenerator, show: Show, e: Episode) -> None:
    fe = fg.add_entry(order="append")
    title = clean(e.title).strip() or e.slug
    fe.title(title)
    # An item description is HTML to the validator (safeHtml) and to podcast apps:
    # escape the plain text so "R&D" or "a < b" is not broken markup.
    fe.description(html.escape(limit(e.description, SUMMARY_MAX) or title, quote=False))
    fe.guid(e.guid, permalink=False)
    fe.pubDate(as_utc(e.pub_date))
    fe.enclosure(url=show.url(e.mp3), length=str(int(e.bytes)), type="audio/mpeg")
    fe.link(href=show.link + "#" + quote(e.slug, safe=""))

    fe.podcast.itunes_duration(duration(e.duration_s))
    fe.podcast.itunes_episode_type(e.episode_type)
    if e.season is not None and e.season >= 1:  # lesson numbers restart with every article
        fe.podcast.itunes_season(e.season)
    if e.number is not None and e.number >= 1:  # itunes:episode must be a positive integer
        fe.podcast.itunes_episode(e.number)
    fe.podcast.itunes_summary(limit(e.description, SUMMARY_MAX))

    fe.podcast2.itunes_explicit(show.explicit)
    if e.transcript:
        fe.podcast2.podcast_transcript(Transcript(url=show.url(e.transcript), language=show.language))
    if e.chapters:
        fe.podcast2.podcast_chapters(show.url(e.chapters))
