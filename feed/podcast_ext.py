"""A feedgen extension for what feedgen's own podcast extension gets wrong or lacks.

- Podcasting 2.0 (``podcast:`` namespace): channel ``podcast:guid`` and
  ``podcast:locked``, item ``podcast:transcript`` and ``podcast:chapters``.
- iTunes tags feedgen 1.0 cannot write correctly: ``itunes:explicit`` as
  ``true``/``false`` (feedgen only knows yes/no/clean), ``itunes:category``
  from Apple's 2019 list (feedgen's table predates it) and the channel
  ``itunes:image`` (feedgen silently drops names ending ``.jpeg``).

Register it with ``fg.register_extension("podcast2", Podcast2Extension,
Podcast2EntryExtension)`` *after* feedgen's ``podcast`` extension, so the
iTunes tags keep a sensible order.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
# The namespace UUID the Podcasting 2.0 spec fixes for podcast:guid.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def podcast_guid(feed_url: str) -> str:
    """podcast:guid: UUIDv5 of the feed URL without its scheme and trailing slashes."""
    bare = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", feed_url).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def _bool(value: bool) -> str:
    return "true" if value else "false"


@dataclass
class Transcript:
    url: str
    type: str = "text/vtt"
    language: str = "ko"
    rel: str | None = "captions"


class Podcast2Extension(BaseExtension):
    """Channel-level tags (see the module docstring)."""

    def __init__(self) -> None:
        self._guid: str | None = None
        self._locked: tuple[bool, str] | None = None
        self._explicit: bool | None = None
        self._category: tuple[str, str | None] | None = None
        self._image: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS, "itunes": ITUNES_NS}

    def podcast_guid(self, guid: str) -> None:
        self._guid = guid

    def podcast_locked(self, locked: bool, owner: str) -> None:
        self._locked = (locked, owner)

    def itunes_explicit(self, explicit: bool) -> None:
        self._explicit = explicit

    def itunes_category(self, category: str, subcategory: str | None = None) -> None:
        self._category = (category, subcategory)

    def itunes_image(self, url: str) -> None:
        self._image = url

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        if self._image:
            xml_elem(f"{{{ITUNES_NS}}}image", channel, href=self._image)
        if self._category:
            cat, sub = self._category
            outer = xml_elem(f"{{{ITUNES_NS}}}category", channel, text=cat)
            if sub:
                xml_elem(f"{{{ITUNES_NS}}}category", outer, text=sub)
        if self._explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = _bool(self._explicit)
        if self._guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self._guid
        if self._locked:
            locked, owner = self._locked
            el = xml_elem(f"{{{PODCAST_NS}}}locked", channel)
            if owner:
                el.attrib["owner"] = owner
            el.text = "yes" if locked else "no"
        return rss_feed


class Podcast2EntryExtension(BaseEntryExtension):
    """Item-level tags (see the module docstring)."""

    def __init__(self) -> None:
        self._explicit: bool | None = None
        self._transcripts: list[Transcript] = []
        self._chapters: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS, "itunes": ITUNES_NS}

    def itunes_explicit(self, explicit: bool) -> None:
        self._explicit = explicit

    def podcast_transcript(self, transcript: Transcript) -> None:
        self._transcripts.append(transcript)

    def podcast_chapters(self, url: str) -> None:
        self._chapters = url

    def extend_rss(self, item):
        if self._explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", item).text = _bool(self._explicit)
        for t in self._transcripts:
            el = xml_elem(f"{{{PODCAST_NS}}}transcript", item, url=t.url, type=t.type, language=t.language)
            if t.rel:
                el.attrib["rel"] = t.rel
        if self._chapters:
            xml_elem(f"{{{PODCAST_NS}}}chapters", item, url=self._chapters, type="application/json+chapters")
        return item
