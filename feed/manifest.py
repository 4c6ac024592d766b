"""The manifest: the one file through which `feed` learns what audiogen built.

The feed, the page and anything else that publishes read only this (plus the
files it names), never audiogen's internals. It is plain JSON, written
deterministically so an unchanged build writes identical bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from .. import typed
from ..errors import AudiogenError
from ..model import Episode

VERSION = 1
FEED_FILE = "feed.xml"
PAGE_FILE = "index.html"
MANIFEST_FILE = "manifest.json"
MAX_BYTES = 64 << 20  # far beyond a show of thousands of episodes: a larger file is not one we wrote


@dataclass
class Show:
    """The podcast as a whole: what the channel of the feed says."""

    title: str
    description: str
    author: str
    email: str
    base_url: str  # absolute http(s) URL ending with "/": where the output folder is published
    cover: str  # file name relative to the output folder, e.g. "cover.jpg"
    language: str = "ko"
    category: str = "Education"
    subcategory: str = "Language Learning"
    explicit: bool = False
    locked: bool = False
    type: Literal["episodic", "serial"] = "serial"
    link: str = ""  # the show's web page; defaults to base_url

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or not self.base_url.endswith("/"):
            raise AudiogenError(
                f"base_url must be an absolute http(s) URL ending with '/', got {self.base_url!r}"
            )
        if self.type not in ("episodic", "serial"):
            raise AudiogenError(f"show type must be 'episodic' or 'serial', got {self.type!r}")
        if not self.link:
            self.link = self.base_url

    @property
    def feed_url(self) -> str:
        return self.base_url + FEED_FILE

    def url(self, relpath: str) -> str:
        """The absolute URL of a file in the output folder."""
        return self.base_url + quote_path(relpath)


@dataclass
class Deck:
    """The study deck (Anki .apkg) published beside the episodes."""

    file: str  # relative to the output folder, e.g. "deck-3f2a....apkg"
    notes: int
    # sha256 of the file as published: a later build reuses it (or its clips) only while it matches
    sha256: str = ""


@dataclass
class Manifest:
    show: Show
    episodes: list[Episode] = field(default_factory=list)
    # the feed's lastBuildDate: kept from build to build while the feed says the same
    built: dt.datetime | None = None
    # every article's itunes:season, by seed id, as first published: kept even after the
    # article is removed, so no other article's season ever moves
    seasons: dict[str, int] = field(default_factory=dict)
    deck: Deck | None = None


def quote_path(relpath: str) -> str:
    """Percent-encode a relative path, segment by segment.

    Refuses anything that could leave the output folder once resolved
    (absolute paths, '..', backslashes), so a bad manifest cannot make the
    feed point outside the site.
    """
    if not relpath or relpath.startswith("/") or "\\" in relpath:
        raise AudiogenError(f"not a relative path inside the output folder: {relpath!r}")
    segments = relpath.split("/")
    if any(s in ("", ".", "..") for s in segments):
        raise AudiogenError(f"not a relative path inside the output folder: {relpath!r}")
    return "/".join(quote(s, safe="") for s in segments)


# --- JSON ---------------------------------------------------------------------


def dumps(m: Manifest) -> str:
    """Deterministic JSON: sorted keys, UTF-8 text, datetimes as ISO 8601 UTC."""
    data = {
        "version": VERSION,
        "show": dataclasses.asdict(m.show),
        "episodes": [_episode_to_json(e) for e in m.episodes],
    }
    if m.built is not None:
        data["built"] = iso_utc(m.built)
    if m.seasons:
        data["seasons"] = dict(sorted(m.seasons.items()))
    if m.deck is not None:
        data["deck"] = dataclasses.asdict(m.deck)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def loads(text: str) -> Manifest:
    """Read a manifest back; anything malformed is one clear AudiogenError."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, TypeError) as e:
        raise AudiogenError(f"manifest is not valid JSON: {e}") from None
    if not isinstance(data, dict):
        raise AudiogenError("manifest must be a JSON object")
    if data.get("version") != VERSION:
        raise AudiogenError(f"manifest version {data.get('version')!r} is not supported (expected {VERSION})")
    if not isinstance(data.get("show"), dict) or not isinstance(data.get("episodes"), list):
        raise AudiogenError("manifest needs a 'show' object and an 'episodes' list")
    show = Show(**_fields_from_json(Show, data["show"], "show"))
    episodes = []
    for i, raw in enumerate(data["episodes"]):
        if not isinstance(raw, dict):
            raise AudiogenError(f"manifest episodes[{i}] must be an object")
        episodes.append(Episode(**_fields_from_json(Episode, raw, f"episodes[{i}]")))
    if any(e.revision < 0 for e in episodes):
        raise AudiogenError("manifest episodes: a revision is a whole number from 0")
    guids = [e.guid for e in episodes]
    if len(set(guids)) != len(guids):
        raise AudiogenError("manifest has two episodes with the same guid")
    built = typed.coerce(dt.datetime | None, data.get("built"), "manifest built")
    seasons = data.get("seasons", {})
    if not isinstance(seasons, dict) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in seasons.values()):
        raise AudiogenError("manifest seasons must map seed ids to whole numbers from 1")
    deck = None
    if data.get("deck") is not None:
        if not isinstance(data["deck"], dict):
            raise AudiogenError("manifest deck must be an object")
        deck = Deck(**_fields_from_json(Deck, data["deck"], "deck"))
        quote_path(deck.file)  # never a path out of the output folder
    m = Manifest(show=show, episodes=episodes, built=built, seasons=seasons, deck=deck)
    check(m)
    return m


# Text no file can hold as UTF-8 (JSON may spell a lone surrogate as an escape); control
# characters are the feed's and the page's to drop or escape, as they are in seed text
_NOT_UNICODE = re.compile("[\ud800-\udfff]")
# ...but a name the build made (a GUID a podcast app keys its downloads on, a slug, a file) is never
# cleaned, since cleaning would make it another name: one with a control character is a damaged manifest
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NAMES = {"guid", "slug", "seed_id", "section_key", "render_key", "mp3", "script", "transcript", "chapters", "cover",
          "file", "sha256", "base_url", "content"}
EARLIEST, LATEST = 1900, 2100  # years a publication date may have
EPISODE_FOLDER = "episodes/"


def check(m: Manifest) -> None:
    """What the types cannot say: text that is Unicode, finite sizes and shares, dates within reason,
    every file named inside the output folder (episodes inside `episodes/`)."""
    for what, obj in [("show", m.show), *((f"episodes[{i}]", e) for i, e in enumerate(m.episodes)),
                      *([("deck", m.deck)] if m.deck else [])]:
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            where = f"manifest {what}.{f.name}"
            if isinstance(value, str) and _NOT_UNICODE.search(value):
                raise AudiogenError(f"{where}: holds a lone surrogate, not text")
            if f.name in _NAMES and isinstance(value, str) and _CONTROL.search(value):
                raise AudiogenError(f"{where}: holds a control character")
            if isinstance(value, float) and not (math.isfinite(value) and value >= 0):
                raise AudiogenError(f"{where}: expected a finite number from 0, got {value!r}")
            if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value < 2**53:
                raise AudiogenError(f"{where}: expected a whole number from 0, got {value!r}")
            if isinstance(value, dt.datetime) and not _plausible(value):
                raise AudiogenError(f"{where}: {value.isoformat()} is not a publication date")
    for i, e in enumerate(m.episodes):
        for rel in (e.mp3, e.script, e.transcript, e.chapters):
            quote_path(rel)
            if not rel.startswith(EPISODE_FOLDER):
                raise AudiogenError(f"manifest episodes[{i}]: {rel!r} is not in {EPISODE_FOLDER}")
    if m.show.cover:
        quote_path(m.show.cover)
    if m.built is not None and not _plausible(m.built):
        raise AudiogenError(f"manifest built: {m.built.isoformat()} is not a build date")
    if any(_NOT_UNICODE.search(seed_id) or n >= 2**31 for seed_id, n in m.seasons.items()):
        raise AudiogenError("manifest seasons: a seed id that is not text, or a season beyond reason")


def _plausible(when: dt.datetime) -> bool:
    """A date a show could be published on, in its own zone and in UTC (9999-12-31T23:59-23:59 is
    past the last day a datetime holds once in UTC: checked in its own zone first)."""
    return EARLIEST <= when.year <= LATEST and EARLIEST <= as_utc(when).year <= LATEST


def first_days(m: Manifest | None) -> dict[str, dt.date]:
    """Each article's day as published (its earliest episode's, in UTC): what the output proves
    about a seed's first publication when the seed folder's dates file does not say."""
    days: dict[str, dt.date] = {}
    for e in m.episodes if m else []:
        if e.seed_id:
            day = as_utc(e.pub_date).date()
            days[e.seed_id] = min(days.get(e.seed_id, day), day)
    return days


def _episode_to_json(e: Episode) -> dict[str, Any]:
    out = dataclasses.asdict(e)
    out["pub_date"] = iso_utc(e.pub_date)
    return out


def as_utc(t: dt.datetime) -> dt.datetime:
    """The same instant in UTC; a naive datetime is taken to be UTC already."""
    return t.replace(tzinfo=dt.timezone.utc) if t.tzinfo is None else t.astimezone(dt.timezone.utc)


def iso_utc(t: dt.datetime) -> str:
    """ISO 8601 in UTC, with a Z."""
    return as_utc(t).isoformat().replace("+00:00", "Z")


def _fields_from_json(cls: type, raw: dict[str, Any], where: str) -> dict[str, Any]:
    """Check raw JSON against a dataclass's type hints; convert datetimes."""
    hints = typed.hints(cls)
    required = {
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    unknown = sorted(set(raw) - set(hints))
    if unknown:
        raise AudiogenError(f"manifest {where}: unknown field {unknown[0]!r}")
    missing = sorted(required - set(raw))
    if missing:
        raise AudiogenError(f"manifest {where}: missing field {missing[0]!r}")
    return {name: typed.coerce(hints[name], value, f"manifest {where}.{name}") for name, value in raw.items()}
