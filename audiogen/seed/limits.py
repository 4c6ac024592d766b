"""Limits on everything a seed can make the voice say.

A build's time and memory follow its longest clip and its longest episode, and
both follow the seed: a title is spoken in every episode, a sentence is one
clip, every quote and term is drilled. So every Lesson that `seed.read` returns
passes through `apply`, which bounds each spoken thing at the input boundary:
over-long sentences are cut at a clause or word boundary into sentences of
their own (nothing is lost, the writer's `max_minutes` budget then chooses
among them), a title or heading too long to announce is shortened, a "quote"
too long to repeat after is heard in the story instead of drilled, and extra
terms and quotes beyond what one lesson can teach are left out. Each cut is
noted once in `Lesson.trimmed`, which the build prints as a warning.

Too many sections is an error, not a cut: dropping lessons silently is what
this module exists to prevent.
"""

from __future__ import annotations

import dataclasses

import re

from ..errors import AudiogenError
from ..model import Lesson, Quote, Term

TITLE_CHARS = 120  # an article's title: spoken in its trailer, written in the feed
HEADING_CHARS = 100  # a section heading: spoken at the start of its episode
SENTENCE_CHARS = 280  # one narration sentence is one clip: about 40 s of Korean speech
QUOTE_WORDS = 35  # a key sentence is repeated after, chunked and recapped
QUOTE_CHARS = 300
HEARD_CHARS = 1200  # a quote heard in the story, at most (the writer hears a breath or two of it)
GLOSS_CHARS = 300  # a key sentence's Korean meaning
TERM_CHARS = 60  # an English expression (a few words), and its Korean words
TERMS_PER_SECTION = 8  # each term is said, explained, paused for and recapped
QUOTES_PER_SECTION = 3
NOTES_PER_SECTION = 6
AUTHOR_CHARS = 200
MAX_SECTIONS = 300  # numbered sections (episodes) from one article; more is an error
SHOW_TITLE_SPOKEN = 40  # the show's title, announced at the start of every episode
SHOW_TITLE_FEED = 255  # what the feed and the cover keep of it

_CLAUSE_BREAK = re.compile(r"[,;:，、·]\s|\s[-–—]\s|\s")


def cut(text: str, limit: int) -> str:
    """`text` shortened to at most `limit` characters at a word boundary when there is one."""
    text = text.strip()
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    if space >= limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:·-–—")


def split_long(sentence: str, limit: int = SENTENCE_CHARS) -> list[str]:
    """A sentence longer than `limit` as pieces of at most `limit` characters, cut at the
    last clause break (a comma, a dash), else the last space, else anywhere."""
    pieces: list[str] = []
    rest = sentence.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut_at = 0
        for m in _CLAUSE_BREAK.finditer(window):
            if m.group().strip() and m.end() >= limit // 3:  # a punctuation break not too early
                cut_at = m.end()
        if not cut_at:
            space = window.rfind(" ")
            cut_at = space + 1 if space >= limit // 3 else limit
        pieces.append(rest[:cut_at].strip())
        rest = rest[cut_at:].strip()
    if rest:
        pieces.append(rest)
    return [p for p in pieces if p]


def bound_paragraph(paragraph: str, limit: int = SENTENCE_CHARS) -> tuple[str, bool]:
    """The paragraph with every sentence at most `limit` characters (each piece of a cut
    sentence ends with a full stop, so the writer reads it as a sentence of its own)."""
    from ..text import split_sentences  # the writer's own idea of a sentence

    if len(paragraph) <= limit:
        return paragraph, False
    out, changed = [], False
    for sentence in split_sentences(paragraph):
        if len(sentence) <= limit:
            out.append(sentence)
            continue
        changed = True
        out += [p if p.endswith((".", "!", "?", "。")) else p.rstrip(",;:，、·-–— ") + "." for p in split_long(sentence, limit)]
    return (" ".join(out), True) if changed else (paragraph, False)


def too_long_to_repeat(english: str) -> bool:
    """A key sentence no learner repeats after in one go: heard in the story instead."""
    return len(english) > QUOTE_CHARS or len(english.split()) > QUOTE_WORDS


def apply(lesson: Lesson) -> Lesson:
    """Bound every spoken part of `lesson` in place; say what was cut in `lesson.trimmed`."""
    said: list[str] = []
    where = lesson.source

    sections = [s for s in lesson.sections if s.kind == "section"]
    if len(sections) > MAX_SECTIONS:
        raise AudiogenError(f"{where}: {len(sections)} sections; one article makes at most {MAX_SECTIONS} "
                            "episodes: split it into several seeds")

    if len(lesson.title) > TITLE_CHARS:
        lesson.title = cut(lesson.title, TITLE_CHARS)
        said.append(f"its title is longer than {TITLE_CHARS} characters and was shortened")
    if lesson.author and len(lesson.author) > AUTHOR_CHARS:
        lesson.author = cut(lesson.author, AUTHOR_CHARS)

    long_headings = long_sentences = long_quotes = 0
    dropped_terms = dropped_quotes = dropped_notes = 0
    for section in lesson.sections:
        if len(section.heading) > HEADING_CHARS:
            section.heading = cut(section.heading, HEADING_CHARS)
            long_headings += 1
        # a "quote" too long to repeat after is heard, not practised (the lesson writer: `writer.heard_only`)
        long_quotes += sum(1 for q in section.quotes if too_long_to_repeat(q.english))
        section.paragraphs, n = _bounded(section.paragraphs)
        long_sentences += n
        section.notes, n = _bounded(section.notes)
        long_sentences += n
        dropped_notes += max(0, len(section.notes) - NOTES_PER_SECTION)
        section.notes = section.notes[:NOTES_PER_SECTION]
        dropped_quotes += max(0, len(section.quotes) - QUOTES_PER_SECTION)
        section.quotes = [_bounded_quote(q) for q in section.quotes[:QUOTES_PER_SECTION]]
        terms = [t for t in section.terms if len(t.english) <= TERM_CHARS]
        dropped_terms += len(section.terms) - len(terms) + max(0, len(terms) - TERMS_PER_SECTION)
        section.terms = [Term(t.english, cut(t.korean, TERM_CHARS), t.source) for t in terms[:TERMS_PER_SECTION]]

    if long_headings:
        said.append(f"{long_headings} heading(s) longer than {HEADING_CHARS} characters were shortened")
    if long_sentences:
        said.append(f"{long_sentences} sentence(s) longer than {SENTENCE_CHARS} characters were cut into shorter ones")
    if long_quotes:
        said.append(f"{long_quotes} quote(s) longer than {QUOTE_WORDS} words are heard, not practised")
    if dropped_quotes:
        said.append(f"{dropped_quotes} quote(s) beyond {QUOTES_PER_SECTION} per section are not practised")
    if dropped_terms:
        said.append(f"{dropped_terms} term(s) beyond {TERMS_PER_SECTION} per section (or longer than "
                    f"{TERM_CHARS} characters) are not taught")
    if dropped_notes:
        said.append(f"{dropped_notes} note(s) beyond {NOTES_PER_SECTION} per section are left out")
    lesson.trimmed += said
    return lesson


def _bounded(paragraphs: list[str]) -> tuple[list[str], int]:
    out, changed = [], 0
    for p in paragraphs:
        bounded, cut_any = bound_paragraph(p)
        out.append(bounded)
        changed += cut_any
    return out, changed


def _bounded_quote(q: Quote) -> Quote:
    """A quote whose meaning fits one clip, and no longer than a few breaths (a longer one is heard,
    and only so much of it)."""
    if q.korean and len(q.korean) > GLOSS_CHARS:
        q = dataclasses.replace(q, korean=cut(q.korean, GLOSS_CHARS))
    if len(q.english) > HEARD_CHARS:
        q = dataclasses.replace(q, english=cut(q.english, HEARD_CHARS))
    return q


def show_title(title: str) -> tuple[str, str, str | None]:
    """The show's title as (the feed's, the spoken one, a warning when either was cut)."""
    title = " ".join(title.split())
    feed = cut(title, SHOW_TITLE_FEED)
    spoken = cut(title, SHOW_TITLE_SPOKEN)
    warning = None
    if spoken != title:
        warning = (f"the show title is {len(title):,} characters long; episodes announce its first "
                   f"{len(spoken)} ({spoken!r})")
        if feed != title:
            warning += f" and the feed keeps {len(feed)}"
    return feed, spoken, warning

