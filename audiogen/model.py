"""The domain model: what flows between the steps of a build.

seed file --read--> Lesson --write--> Script --speak--> Clip --mix--> Episode

Everything here is plain data (dataclasses), so each step can be tested on
its own and a Script can be saved, edited by hand and rendered again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Lang = Literal["ko", "en"]
EpisodeType = Literal["full", "trailer", "bonus"]
# What a script line is, as the per-episode script JSON names it (a contract: outside checks count them).
# A drill is cue, pause, answer in that order; framing is sting, announce, lead, outro.
FRAMING: tuple[str, ...] = ("sting", "announce", "lead", "outro")
Kind = Literal["sting", "announce", "heading", "narration", "lead", "term", "meaning", "quote", "gloss",
               "chunk", "slow", "cue", "answer", "recap", "outro", "pause"]
# Where a Korean meaning came from (a contract: `meaning` and `gloss` segments carry it). The author's
# own words first; a teacher's (a language model) or a translator's are machine-made and marked as
# such; "article" is the article's own Korean that stands for the item (a heading, an explanation).
MeaningSource = Literal["author", "teacher", "translator", "article"]
MEANING_SOURCES: tuple[str, ...] = ("author", "teacher", "translator", "article")


# --- what a seed says ------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """An English expression the seed glosses, e.g. ``내재되어야(engineered in)``."""

    english: str
    korean: str  # the Korean words the English term was attached to ("" when none)
    source: MeaningSource = "author"  # where `korean` came from


@dataclass(frozen=True)
class Quote:
    """An English key sentence, with a Korean translation when the seed gives one."""

    english: str
    korean: str | None = None
    source: MeaningSource = "author"  # where `korean` came from
    # a transcript quote as a teacher cleaned it for teaching (stutters, false starts out); the
    # original stays in `english`, the seed and the page's article
    taught: str | None = None
    # where it stands in its section: how many of the section's paragraphs come before it (a quote
    # inside a paragraph counts that paragraph), so the Korean around it can be read (lesson.meanings)
    paragraph: int | None = field(default=None, compare=False, repr=False)


@dataclass
class Section:
    """One part of an article; a numbered section becomes one episode."""

    key: str  # stable within the seed: "1", "2", ... or "intro", "outro"
    kind: Literal["section", "intro", "outro"]
    heading: str
    paragraphs: list[str] = field(default_factory=list)  # narration, mostly Korean
    quotes: list[Quote] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # extra teaching notes (Korean)
    # the narration as a teacher retold it, in whole sentences within the lesson's time
    # (empty: the article's own sentences, condensed)
    retold: list[str] = field(default_factory=list)
    plain: bool = False  # a heading without a number: its key is matched to what was published (seed.identity)


@dataclass
class Lesson:
    """A seed, read: metadata plus sections. Never contains page noise."""

    seed_id: str  # ASCII slug of the seed's file name; part of every GUID
    source: Path
    title: str
    author: str | None = None
    date: dt.date | None = None
    sections: list[Section] = field(default_factory=list)
    # a hash of the seed text, so an edited script can tell its seed moved on
    digest: str = ""
    # sections left out because they could not be read (the build warns, or fails with --strict)
    problems: list[str] = field(default_factory=list)
    # what seed.limits shortened or left out so that no episode runs away (the build warns)
    trimmed: list[str] = field(default_factory=list)


# --- what an episode says ---------------------------------------------------

# The parts of a lesson, in order; each becomes a chapter ("review": recall of earlier lessons).
PARTS = ("opening", "review", "narration", "expressions", "sentences", "recap", "outro")


@dataclass
class Line:
    """One step of a script: something spoken, a pause, or a sting.

    Pauses and stings have ``text == ""`` and ``lang is None``; a pause's
    length is ``pause`` seconds. ``speed`` is 1.0 for natural speech and
    e.g. 0.85 for the slow pass.
    """

    kind: Kind
    lang: Lang | None
    text: str = ""
    speed: float = 1.0
    pause: float = 0.0  # seconds of silence, for kind == "pause"
    part: str = "narration"  # one of PARTS: the chapter this line belongs to
    source: MeaningSource | None = None  # for `meaning` and `gloss` lines: where the Korean came from

    @property
    def spoken(self) -> bool:
        return bool(self.text) and self.lang is not None


@dataclass
class Script:
    """One episode's lesson, before it has audio."""

    slug: str  # ASCII, safe as a file name: [a-z0-9-]
    guid: str  # never changes for this seed section
    title: str
    episode_type: EpisodeType
    seed_id: str
    section_key: str
    description: str  # plain text for the feed, names the key expressions
    lines: list[Line] = field(default_factory=list)
    number: int | None = None  # itunes:episode, for full episodes
    date: dt.date | None = None  # from the seed, when it has one
    order: int = 0  # position within the seed, to spread pubDates in order
    edited: bool = False  # loaded from a user-edited script file


# --- what a build makes -----------------------------------------------------


@dataclass(frozen=True)
class Clip:
    """Synthesized speech: 16-bit signed little-endian mono PCM."""

    samples: bytes
    rate: int

    @property
    def frames(self) -> int:
        return len(self.samples) // 2

    @property
    def seconds(self) -> float:
        return self.frames / self.rate


@dataclass(frozen=True)
class Span:
    """Where a script line sits in the final audio, in seconds."""

    start: float
    end: float


@dataclass(frozen=True)
class Chapter:
    start: float
    title: str


@dataclass
class Episode:
    """A rendered episode as the feed sees it (paths relative to the output folder)."""

    slug: str
    guid: str
    title: str
    episode_type: EpisodeType
    description: str
    pub_date: dt.datetime
    mp3: str
    script: str
    transcript: str
    chapters: str
    duration_s: float
    bytes: int
    number: int | None = None
    season: int | None = None  # the seed's place in the show: each article is a season
    seed_id: str = ""
    render_key: str = ""  # hash of everything the audio depends on
    # shares of the episode's duration, from the real segment times: English speech, pauses left
    # for the learner, framing (sting, announce, lead, outro)
    airtime_english: float = 0.0
    airtime_learner: float = 0.0
    airtime_framing: float = 0.0
    # the section it teaches, as published: a plain-headed section is known by these (seed.identity)
    section_key: str = ""
    section_heading: str = ""
    section_sketch: list[int] = field(default_factory=list)
    # corrections: how many times this episode's own content was edited since it was first
    # published, and a digest of that content (see audiogen.corrections)
    revision: int = 0
    content: str = ""
