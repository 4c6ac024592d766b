"""deck-<key>.apkg: every lesson's terms and key sentences as an Anki deck.

One note per term and per key sentence, read back from the episodes' own
scripts (so an edited script is studied as edited), with the very clips the
episodes speak, natural and slow, as MP3. Two cards per note: the Korean
meaning -> say the English (recall), and the English heard -> its meaning
(listening); a key sentence the seed gives no Korean for has only the second.

Anki knows a note by its GUID: here it is made of the seed id, the kind of
item and its English, never of a meaning or a title, so a rebuilt deck
imported again updates the learner's notes and keeps their reviews.

genanki writes an SQLite collection with timestamps, so the same deck never
comes out as the same bytes twice. The deck is therefore named after a key
over everything it holds (`deck_key`), and a build whose key names a deck
already published leaves it alone. Its notes carry the time they were
written, which is what lets Anki's import take an edited note as newer.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import sqlite3
import tempfile
import time
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import genanki

from ..errors import AudiogenError
from ..lesson.writer import review_items
from ..model import Clip, Line, Script

# Bump when the notes, cards or media a deck is written with change for the same input.
DECK_VERSION = "1"
# Anki knows the note type by this id: fixed forever (a new field list would need a new id).
MODEL_ID = 1_734_518_201
MEDIA_BITRATE = "64k"  # one voice, mono: plenty for a clip of speech
PREFIX = "deck-"
SUFFIX = ".apkg"

FIELDS = ["Korean", "English", "Audio", "AudioSlow", "Lesson", "Number", "Article"]

_CSS = """
.card{font-family:system-ui,-apple-system,"Apple SD Gothic Neo","Noto Sans KR",sans-serif;font-size:22px;
text-align:center;color:#1d1d1f;background:#fbfaf7;line-height:1.5}
.nightMode .card,.card.nightMode{color:#ececf0;background:#121214}
.ko{font-size:24px}.en{font-size:24px;font-weight:600}.prompt,.lesson,.slow{font-size:15px;color:#6b6b70}
"""

# The recall card's front holds nothing but the Korean: a note without a Korean meaning gets no recall card.
_RECALL_FRONT = '<div class="ko">{{Korean}}</div><div class="prompt">영어로 말해 보세요 · Say it in English</div>'
_LISTEN_FRONT = '{{Audio}}<div class="prompt">듣고 뜻을 말해 보세요 · What does it mean?</div>'
_LESSON = '<div class="lesson">{{#Number}}{{Number}}강 · {{/Number}}{{Lesson}}<br>{{Article}}</div>'
_RECALL_BACK = ('{{FrontSide}}<hr id="answer"><div class="en">{{English}}</div>{{Audio}}'
                '{{#AudioSlow}}<div class="slow">천천히 · slow {{AudioSlow}}</div>{{/AudioSlow}}' + _LESSON)
_LISTEN_BACK = ('{{FrontSide}}<hr id="answer"><div class="en">{{English}}</div><div class="ko">{{Korean}}</div>'
                '{{#AudioSlow}}<div class="slow">천천히 · slow {{AudioSlow}}</div>{{/AudioSlow}}' + _LESSON)

MODEL = genanki.Model(
    MODEL_ID,
    "audiogen: Korean ↔ English",
    fields=[{"name": name} for name in FIELDS],
    templates=[
        {"name": "Recall: Korean → say the English", "qfmt": _RECALL_FRONT, "afmt": _RECALL_BACK},
        {"name": "Listening: English audio → meaning", "qfmt": _LISTEN_FRONT, "afmt": _LISTEN_BACK},
    ],
    css=_CSS,
    sort_field_index=FIELDS.index("English"),
)


@dataclass(frozen=True)
class StudyItem:
    """One note to be: a term or a key sentence, with the script lines whose clips it plays."""

    guid: str
    kind: Literal["term", "sentence"]
    english: str
    korean: str  # "" when the seed gives no Korean
    lesson: str  # the lesson's title
    number: int | None  # the lesson's number; None for a trailer
    article: str  # the seed's title
    seed_id: str
    slug: str  # the episode that teaches it
    natural: Line
    slow: Line | None  # the slow pass, when the episode has one
    source: str = "author"  # where the Korean came from: a machine's meaning is tagged for review


def guid_for(seed_id: str, kind: str, english: str) -> str:
    """The note's identity: the seed and the English item, never a meaning or a title."""
    return genanki.guid_for("audiogen", seed_id, kind, " ".join(english.split()).casefold())


def study_items(scripts: Sequence[Script], articles: dict[str, str]) -> list[StudyItem]:
    """Every term and key sentence the lessons and trailers teach, in show order, once per seed."""
    items: dict[str, StudyItem] = {}
    for s in scripts:
        if s.episode_type == "bonus":  # a review repeats what the lessons taught
            continue
        terms, quotes = review_items(s)
        for kind, taught in (("term", terms), ("sentence", quotes)):
            for item in taught:
                guid = guid_for(s.seed_id, kind, item.english)
                natural = _line(s, "term" if kind == "term" else "quote", item.english, slow=False)
                if guid in items or natural is None:
                    continue
                items[guid] = StudyItem(
                    guid=guid, kind=kind, english=item.english, korean=item.korean or "", lesson=s.title,  # type: ignore[arg-type]
                    number=s.number, article=articles.get(s.seed_id, ""), seed_id=s.seed_id, slug=s.slug,
                    natural=natural, slow=_line(s, "slow", item.english, slow=True),
                    source=item.source if item.korean else "author")
    return list(items.values())


def _line(s: Script, kind: str, english: str, slow: bool) -> Line | None:
    """The script's spoken line of this kind and text, at natural speed or slower."""
    return next((line for line in s.lines if line.kind == kind and line.text == english and line.spoken
                 and (line.speed < 1.0) == slow), None)


def media_name(clip_key: str) -> str:
    """A clip's file name in the deck (and in the learner's Anki media folder): its cache key."""
    return f"audiogen-{clip_key[:24]}.mp3"


@dataclass(frozen=True)
class Note:
    """A study item as written: its fields' text and the media files it plays."""

    item: StudyItem
    audio: str  # media file name of the natural clip
    slow: str | None


def notes_for(items: Sequence[StudyItem], clip_key) -> list[Note]:
    """`clip_key(line)`: the cache key of a line's clip, as the episodes speak it."""
    return [Note(i, media_name(clip_key(i.natural)), media_name(clip_key(i.slow)) if i.slow else None)
            for i in items]


def deck_key(title: str, notes: Sequence[Note]) -> str:
    """A hash of everything the deck holds; the published file is named after it."""
    data = {
        "version": DECK_VERSION, "model": MODEL_ID, "bitrate": MEDIA_BITRATE, "title": title,
        "notes": [[n.item.guid, _fields(n), _tags(n.item)] for n in notes],
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def file_name(key: str) -> str:
    return f"{PREFIX}{key[:12]}{SUFFIX}"


def deck_id(title: str) -> int:
    """The show's deck, the same across rebuilds (Anki files notes under it by this id)."""
    return int.from_bytes(hashlib.sha256(f"audiogen-deck:{title}".encode()).digest()[:6], "big") | 1 << 40


def _fields(n: Note) -> list[str]:
    """Anki fields are HTML: seed text goes in as text."""
    i = n.item
    text = lambda value: html.escape(value, quote=False)  # noqa: E731
    return [text(i.korean), text(i.english), f"[sound:{n.audio}]", f"[sound:{n.slow}]" if n.slow else "",
            text(i.lesson), str(i.number) if i.number is not None else "", text(i.article)]


def _tags(i: StudyItem) -> list[str]:
    """Per article and per lesson (Anki tags have no spaces; `::` makes them a tree)."""
    lesson = f"lesson-{i.number:02d}" if i.number is not None else "trailer"
    machine = [f"audiogen::machine::{i.source}"] if i.source in ("teacher", "translator") else []
    return [f"audiogen::{i.seed_id}", f"audiogen::{i.seed_id}::{lesson}", f"audiogen::{i.kind}"] + machine


def write_apkg(dest: Path, title: str, notes: Sequence[Note], media: dict[str, bytes]) -> None:
    """The deck as an .apkg at `dest`: a zip of the SQLite collection, the media map, the media."""
    missing = sorted(({n.audio for n in notes} | {n.slow for n in notes if n.slow}) - set(media))
    if missing:
        raise AudiogenError(f"the study deck lacks the audio {missing[0]}")
    deck = genanki.Deck(deck_id(title), title, description=html.escape(
        "Terms and key sentences of every lesson, spoken as in the episodes."))
    for n in notes:
        deck.add_note(genanki.Note(model=MODEL, fields=_fields(n), tags=_tags(n.item), guid=n.item.guid,
                                   sort_field=_fields(n)[1]))
    with tempfile.TemporaryDirectory(prefix="audiogen-deck-") as tmp:
        db = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db)
        try:
            # a scratch file zipped below: no journal, no waiting for the disk on every commit
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            now = time.time()
            genanki.Package(deck).write_to_db(conn.cursor(), now, itertools.count(int(now * 1000)))
            conn.commit()
        finally:
            conn.close()
        names = sorted(media)
        with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.write(db, "collection.anki2")
            z.writestr("media", json.dumps({str(k): name for k, name in enumerate(names)}))
            for k, name in enumerate(names):
                z.writestr(zipfile.ZipInfo(str(k)), media[name], compress_type=zipfile.ZIP_STORED)


def read_media(apkg: Path) -> dict[str, bytes]:
    """The media of a deck published before, by name ({} when unreadable): clips already encoded.

    Only clips whose zip entry is whole (its CRC checked on read) and that look like MP3 come back."""
    try:
        with zipfile.ZipFile(apkg) as z:
            names = json.loads(z.read("media"))
            if not isinstance(names, dict):
                return {}
            media = {}
            for k, name in names.items():
                if isinstance(name, str) and name.startswith("audiogen-") and name.endswith(".mp3"):
                    data = z.read(str(k))
                    if data[:3] == b"ID3" or data[:1] == b"\xff":
                        media[name] = data
            return media
    except (OSError, EOFError, KeyError, ValueError, AttributeError, RuntimeError, NotImplementedError,
            zipfile.BadZipFile, zlib.error):
        return {}


def file_digest(path: Path) -> str:
    """The sha256 of a published deck ("" when it cannot be read): what the manifest records."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return ""
    return h.hexdigest()


def is_whole(path: Path, sha256: str) -> bool:
    """Is the deck at `path` the one published? By its recorded digest; a manifest written
    before decks had one: every zip entry reads back whole and the media map parses."""
    if sha256:
        return file_digest(path) == sha256
    try:
        with zipfile.ZipFile(path) as z:
            return z.testzip() is None and isinstance(json.loads(z.read("media")), dict)
    except (OSError, EOFError, KeyError, ValueError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error):
        return False


def encode_clips(clips: Sequence[Clip]) -> list[bytes]:
    """Each clip as a small MP3, the same bytes for the same clip (bundled ffmpeg, bit-exact).

    One ffmpeg run encodes the whole batch, each input to its own output: starting ffmpeg
    costs more than encoding a few seconds of speech.
    """
    from ..audio import ffmpeg
    from ..audio.encode import mp3_args

    if not clips:
        return []
    with tempfile.TemporaryDirectory(prefix="audiogen-deck-") as tmp:
        args: list[str] = []
        for k, clip in enumerate(clips):
            raw = Path(tmp) / f"{k}.pcm"
            raw.write_bytes(clip.samples)
            args += ["-f", "s16le", "-ar", str(clip.rate), "-ac", "1", "-i", str(raw)]
        for k, clip in enumerate(clips):
            args += ["-map", f"{k}:a", *mp3_args(MEDIA_BITRATE, clip.rate), str(Path(tmp) / f"{k}.mp3")]
        ffmpeg.run(args, what="encoding clips for the study deck")
        return [(Path(tmp) / f"{k}.mp3").read_bytes() for k in range(len(clips))]
