"""The lesson writer: a Lesson becomes Scripts, one per episode.

Every full episode has the same shape, so the listener always knows where
they are (each part becomes a chapter), modelled on Pimsleur's anticipation and
graduated recall and Glossika's meaning-first sentence pairs:

  opening      sting, the lesson number (the article's title in its first lesson), the heading; how
               the drills work, once per article (its trailer, or else its first lesson)
  review       from the second lesson of a show on: items of earlier lessons (and trailers), as drills
               (`reviews.recall`)
  narration    the section retold in Korean, in whole sentences, condensed so that English keeps a third
               of the airtime (as the slowest voices we ship say it)
  expressions  each term: English, its Korean meaning, English, a pause, English
  sentences    each key sentence: its Korean meaning, natural speed twice, built back from its end in
               chunks of up to six words, slow, a pause, natural again, a pause, natural once more
  recap        every term and sentence as a drill: Korean cue (a term's first meaning), pause, English
               answer, and the answer again (a sentence after a pause to repeat it); then all of them
               heard in a row
  outro        the next lesson's heading and its first English, heard once; a sting

A trailer tells the article's story, lists its lessons each with its first English (heard, a pause to
say it, heard again) and drills what the introduction teaches. Names (Anthropic, OpenAI) are not
taught as vocabulary. A drill is `cue`, `pause`, `answer`. Pure and deterministic: the same Lesson and
settings give the same Scripts.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from dataclasses import dataclass

from ..config import LessonSettings
from ..korean import dictionary_form, particle, transliterates
from ..model import Lesson, Line, MeaningSource, Quote, Script, Section, Term
from ..text import clean_spoken, has_hangul, lang_of, slugify, speakable, split_sentences, without_glosses, word_count
from . import phrases
from .chunks import back_chain, bounded, chunk, without_stutter
from .condense import Told, fit, is_subheading, sentence_items
from .lines import (airtime_estimate, drill, estimate_seconds, meaning, repeat, room_for_korean, say, sting,
                    topic, voiced_seconds)

# Our own namespace: a GUID depends only on (seed id, section key).
GUID_NAMESPACE = uuid.UUID("66e6962a-d93e-5589-8b14-30cb0093899f")

TRAILER_LIST_MAX = 8  # lessons a trailer names one by one; the rest are counted
ENGLISH_FLOOR = 0.31  # a lesson's English share (estimated) that even its one sentence of story may not cross
BACK_CHAIN_WORDS = 6  # a piece to build a sentence back from its end: short, as Pimsleur's are
QUOTE_MAX_CHARS = 200  # a key sentence longer than this is taught in pieces (one breath each)
PRACTICE_WORDS = (4, 15)  # a sentence to repeat aloud: a whole thought, one breath


def guid_for(seed_id: str, section_key: str) -> str:
    """Stable forever: never the heading or the time, so fixing a typo keeps it."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{seed_id}/{section_key}"))


def slug_for(seed_id: str, section_key: str) -> str:
    key = f"{int(section_key):02d}" if section_key.isdigit() else slugify(section_key) or "x"
    return f"{seed_id}-{key}"


# --- public API ------------------------------------------------------------------


def write(lesson: Lesson, settings: LessonSettings) -> list[Script]:
    """One full episode per numbered section, plus a trailer from intro + outro."""
    sections = [s for s in lesson.sections if s.kind == "section"]
    frame = [s for s in lesson.sections if s.kind in ("intro", "outro")]
    scripts: list[Script] = []
    if frame and sections:
        scripts.append(_trailer(lesson, frame, sections, settings))
    for n, section in enumerate(sections, start=1):
        nxt = sections[n] if n < len(sections) else None
        scripts.append(_full(lesson, section, n, nxt, settings, told=bool(frame)))
    if not sections and frame:  # only an intro/outro: still one lesson
        merged = Section(key="1", kind="section", heading=lesson.title)
        for s in frame:
            merged.paragraphs += s.paragraphs
            merged.quotes += s.quotes
            merged.terms += s.terms
            merged.notes += s.notes
        scripts.append(_full(lesson, merged, 1, None, settings))
    return scripts


def review_items(script: Script) -> tuple[list[Term], list[Quote]]:
    """The terms (with their meaning) and key sentences (with their gloss) a script teaches, read
    back from its lines, so a hand-edited script is studied as edited. A gloss is the meaning of
    the sentence after it (meaning first), or, in a script of the older shape, of the one before."""
    terms: list[Term] = []
    quotes: list[Quote] = []
    gloss: str | None = None
    gloss_source: MeaningSource = "author"
    previous: Line | None = None
    for line in script.lines:
        if line.part == "expressions" and line.kind == "term":
            if all(t.english != line.text for t in terms):
                terms.append(Term(line.text, ""))
        elif line.part == "expressions" and line.kind == "meaning" and terms and not terms[-1].korean:
            terms[-1] = Term(terms[-1].english, re.sub(r"^뜻은,\s*", "", line.text).rstrip(". "),
                             line.source or "author")
        elif line.part == "sentences" and line.kind == "gloss":
            if previous is not None and previous.kind == "quote" and quotes and quotes[-1].korean is None:
                quotes[-1] = Quote(quotes[-1].english, line.text, line.source or "author")
            else:
                gloss = line.text
                gloss_source = line.source or "author"
        elif line.part == "sentences" and line.kind == "quote":
            if all(q.english != line.text for q in quotes):
                quotes.append(Quote(line.text, gloss, gloss_source))
            gloss = None
        if line.kind != "pause":
            previous = line
    return terms, quotes


def missing_meanings(script: Script) -> list[str]:
    """The key sentences a script teaches without a Korean meaning (the build warns about them)."""
    return [q.english for q in review_items(script)[1] if not q.korean]


# --- what an episode teaches ------------------------------------------------------------


@dataclass
class Material:
    """What one episode teaches, cleaned and de-duplicated: terms with their meaning in
    dictionary form, key sentences without a speaker's stutter and at most one breath long."""

    terms: list[Term]
    quotes: list[Quote]
    notes: list[str]


def practice_sentence(section: Section) -> Quote | None:
    """An English-only section that quotes nothing still gives the listener one sentence
    to say aloud: its first complete sentence of 4-15 words."""
    if section.quotes or not section.paragraphs or any(has_hangul(p) for p in section.paragraphs):
        return None
    for paragraph in section.paragraphs:
        if is_subheading(paragraph):
            continue
        for sentence in split_sentences(paragraph):
            text = clean_spoken(sentence)
            if text.endswith((".", "!", "?")) and PRACTICE_WORDS[0] <= word_count(text) <= PRACTICE_WORDS[1]:
                return Quote(english=text)
    return None


def is_name(term: Term) -> bool:
    """A company or product (Anthropic, OpenAI, Claude) glossed with its Hangul spelling: a name
    to recognise, not vocabulary to drill."""
    words = term.english.split()
    capitalised = bool(words) and all(w[:1].isupper() and not w.isupper() for w in words)
    return capitalised and (not has_hangul(term.korean) or bool(re.search(r"[A-Za-z]", term.korean))
                            or transliterates(term.korean, term.english))


_PLACEHOLDER = re.compile(r"^[~～]\s*(을|를|이|가|은|는|과|와|으로|로|에게|에서|에|의)?(?=[\s\uac00-\ud7a3])")


def _spoken_placeholder(korean: str) -> str:
    """`~을 책임지고 맡다` (own something) said as 무엇을 책임지고 맡다: a voice cannot say the tilde."""
    def said(m: re.Match[str]) -> str:
        which = m.group(1) or ""
        return particle("무엇", which) if which in ("을", "를", "이", "가", "은", "는", "과", "와", "으로", "로") \
            else ("누군가" if which == "에게" else "무엇") + which
    return _PLACEHOLDER.sub(said, korean.strip())


def _dictionary_forms(korean: str) -> str:
    """Each of a term's listed meanings as a learner looks it up: 이탈이 적은, 끈끈한 -> 이탈이 적다, 끈끈하다."""
    if not korean or "(" in korean:
        return dictionary_form(korean) if korean else ""
    return ", ".join(dictionary_form(part) for part in re.split(r"\s*,\s*", korean) if part)


def material(sections: list[Section]) -> Material:
    terms: list[Term] = []
    quotes: list[Quote] = []
    notes: list[str] = []
    for s in sections:
        practice = practice_sentence(s)
        if practice:
            s = dataclasses.replace(s, quotes=[practice])
        for t in s.terms:
            english = clean_spoken(t.english)
            if speakable(english) and all(english.lower() != x.english.lower() for x in terms):
                korean = _spoken_placeholder(clean_spoken(t.korean))
                if not is_name(Term(english, korean)):
                    terms.append(Term(english=english, korean=_dictionary_forms(korean), source=t.source))
        for q in s.quotes:
            english = without_stutter(clean_spoken(q.taught or q.english))  # a teacher's cleaned quote first
            pieces = bounded(english, QUOTE_MAX_CHARS)
            korean = clean_spoken(q.korean) if q.korean and len(pieces) == 1 else None
            for piece in pieces:
                if speakable(piece) and all(piece.lower() != x.english.lower() for x in quotes):
                    quotes.append(Quote(english=piece, korean=korean, source=q.source))
        notes += s.notes
    return Material(terms, quotes, notes)


# --- the parts of a lesson --------------------------------------------------------------


def _expressions(terms: list[Term], settings: LessonSettings) -> list[Line]:
    if not terms:
        return []
    part = "expressions"
    lines = say("lead", phrases.EXPRESSIONS, part, lang="ko")
    for t in terms:
        lines += say("term", t.english, part, lang="en")
        if t.korean:
            lines += meaning("meaning", t.korean, t.source, part)
        lines += repeat("term", t.english, part, settings)
        lines += say("term", t.english, part, lang="en")  # the model again, after the learner's try
    return lines  # each term is drilled in the recap, after the sentences: later in the lesson


def _sentences(quotes: list[Quote], settings: LessonSettings) -> list[Line]:
    if not quotes:
        return []
    part = "sentences"
    lines = say("lead", phrases.SENTENCES, part, lang="ko")
    for q in quotes:
        if q.korean:
            lines += meaning("gloss", q.korean, q.source, part)
        lines += say("quote", q.english, part, lang="en") * 2  # heard twice before it is taken apart
        if settings.chunks and word_count(q.english) > settings.chunk_words:
            pieces = chunk(q.english, min(BACK_CHAIN_WORDS, max(2, settings.chunk_words)))
            for step in back_chain(pieces):
                lines += repeat("chunk", step, part, settings, speed=settings.slow_speed)
        lines += repeat("slow", q.english, part, settings, speed=settings.slow_speed)
        lines += repeat("quote", q.english, part, settings)
        lines += say("quote", q.english, part, lang="en")  # the model again, after the learner's try
    return lines  # each sentence is drilled in the recap, after the other sentences: later, not at once


def sentence_drill(q: Quote, part: str, settings: LessonSettings) -> list[Line]:
    """A key sentence as a drill: its Korean meaning as the cue; without one, the learner
    is asked to complete the sentence from its first words."""
    if q.korean:
        return drill(phrases.cue(q.korean), q.english, part, settings)
    return drill(phrases.COMPLETE, q.english, part, settings, opening=opening_words(q.english))


def opening_words(sentence: str) -> str:
    """The first phrase of a sentence (a chunk of at most 4 words), with an ellipsis."""
    first = chunk(sentence, 4)[0] if len(sentence.split()) > 4 else " ".join(sentence.split()[:2])
    return first.rstrip(",;:—–-.!? ") + "..."  # "Price is a message...", not "message...."


def _recap(m: Material, settings: LessonSettings) -> list[Line]:
    """Every term and sentence once more, as recall: cue, pause, answer; then the lesson's English
    heard once more in a row, at natural speed (a listening pass, as Glossika ends a set)."""
    if not m.terms and not m.quotes:
        return []
    part = "recap"
    lines = say("recap", phrases.RECAP, part, lang="ko")
    for t in m.terms:
        lines += drill(phrases.term_cue(t.korean), t.english, part, settings) if t.korean else []
    for q in m.quotes:
        lines += sentence_drill(q, part, settings)
    for item in [t.english for t in m.terms] + [q.english for q in m.quotes]:
        lines += say("recap", item, part, lang="en")
    return lines


def _outro(text: str, teaser: str = "") -> list[Line]:
    """The next lesson named, and with `teaser` (its first English) heard once: the learner meets the
    sentence before it is taught, as the trailer's list does."""
    heard = say("heading", teaser, "outro", lang="en") if teaser else []
    return say("outro", text, "outro", lang="ko") + heard + [sting("outro")]


def _narration(items: list[Told], kept: set[int], m: Material) -> list[Line]:
    """The kept sentences; a sub-heading only when something under it is kept.

    The English gloss of a term this episode teaches is left out of the Korean sentence
    (`목적(purpose)을` is read `목적을`): the sentence stays one clip in one voice, and the
    term is heard in English, twice, in the expressions part right after."""
    taught = [t.english for t in m.terms]
    part = "narration"
    lines: list[Line] = []
    for i, it in enumerate(items):
        if it.heading:
            nxt = next((j for j in range(i + 1, len(items)) if items[j].heading), len(items))
            if any(j in kept for j in range(i + 1, nxt)):
                lines += say("heading", topic(it.text), part)
        elif i in kept:
            lines += say("narration", without_glosses(it.text, taught), part)
    return lines


def _budget(fixed: list[Line], minutes: float) -> tuple[float, float]:
    """Seconds of narration: the room for at least one sentence, and the Korean the episode can take
    while its English stays at `ENGLISH_SHARE` of airtime (timed cautiously, as the slowest Korean
    voice says it: `voiced_seconds`); never beyond what max_minutes leaves."""
    room = max(0.0, minutes * 60 - estimate_seconds(fixed))
    if not any(line.lang == "en" and line.spoken for line in fixed):
        return room, room  # nothing in English to keep a share of: the story is the episode
    english, total = airtime_estimate(fixed)
    aim = min(room, room_for_korean(english, total))
    if english / total < ENGLISH_FLOOR:
        return room, aim  # the floor is out of reach: keep one sentence of story
    # the first sentence, when nothing fits the budget, only while English keeps its floor
    return min(room, room_for_korean(english, total, ENGLISH_FLOOR)), aim


def _told_seconds(text: str) -> float:
    return voiced_seconds(text, lang_of(text))


def _fit_material(m: Material, settings: LessonSettings, minutes: float) -> Material:
    """Terms and sentences while they fit in the episode (at least one of each): a section
    with two hundred terms is not one lesson."""
    limit = minutes * 60 * 0.7  # the rest: opening, outro and at least a little narration
    terms: list[Term] = []
    quotes: list[Quote] = []
    for t in m.terms:
        trial = terms + [t]
        if terms and estimate_seconds(_expressions(trial, settings) + _sentences(quotes, settings)
                                      + _recap(Material(trial, quotes, []), settings)) > limit / 2:
            break
        terms = trial
    for q in m.quotes:
        trial = quotes + [q]
        if quotes and estimate_seconds(_expressions(terms, settings) + _sentences(trial, settings)
                                       + _recap(Material(terms, trial, []), settings)) > limit:
            break
        quotes = trial
    return Material(terms, quotes, m.notes)


def _keywords(m: Material) -> list[str]:
    return [t.korean for t in m.terms if t.korean] + [t.english for t in m.terms]


def _description(korean: str, m: Material) -> str:
    keys = [t.english for t in m.terms] + [f"“{q.english}”" for q in m.quotes]
    text = korean.strip()
    if keys:
        text += " Key expressions: " + ", ".join(keys) + "."
    return text


# --- episodes -----------------------------------------------------------------------


def _full(lesson: Lesson, section: Section, n: int, nxt: Section | None, settings: LessonSettings,
          told: bool = False) -> Script:
    """One lesson; `told`: the article's trailer has already said how the drills work."""
    m = _fit_material(material([section]), settings, settings.max_minutes)
    heading = section.heading.strip() or lesson.title
    opening = [sting("opening")]
    opening += say("announce", phrases.announce(n), "opening", lang="ko")
    if n == 1:  # the article's own title, once, in its first lesson
        opening += say("heading", topic(lesson.title), "opening")
    if topic(heading) != topic(lesson.title) or n != 1:
        opening += say("heading", topic(heading), "opening")
    if n == 1 and not told and (m.terms or m.quotes):  # said once per article: here, or in its trailer
        opening += say("lead", phrases.HOW_DRILLS_WORK, "opening", lang="ko")
    # a teacher's retelling, else the article's own sentences (an author's note is told within the budget too)
    items = sentence_items(section.retold or section.paragraphs + section.notes)
    tail = (_expressions(m.terms, settings) + _sentences(m.quotes, settings) + _recap(m, settings)
            + _outro(phrases.next_lesson(topic(nxt.heading) if nxt and speakable(clean_spoken(nxt.heading)) else None),
                     _sample(nxt) if nxt else ""))
    room, budget = _budget(opening + tail, settings.max_minutes)
    narration = _narration(items, fit(items, budget, _keywords(m), room, _told_seconds), m)
    first = next((it.text for it in items if not it.heading), "")
    summary = f"{heading}."
    if first and len(first) <= 160 and lang_of(first) == "ko":
        summary += " " + without_glosses(first)
    return Script(
        slug=slug_for(lesson.seed_id, section.key),
        guid=guid_for(lesson.seed_id, section.key),
        title=heading,
        episode_type="full",
        seed_id=lesson.seed_id,
        section_key=section.key,
        description=_description(summary, m),
        lines=opening + narration + tail,
        number=n,
        date=lesson.date,
        order=n,
    )


def _sample(section: Section) -> str:
    """The English a lesson teaches first, for the trailer's list: its first key sentence of at most
    one breath, else its first term; "" when it teaches neither."""
    m = material([section])
    short = [q.english for q in m.quotes if word_count(q.english) <= PRACTICE_WORDS[1]]
    return (short or [t.english for t in m.terms] or [""])[0]


def _trailer(lesson: Lesson, frame: list[Section], sections: list[Section], settings: LessonSettings) -> Script:
    """Intro + outro: what the series is about, what it covers, how it ends."""
    minutes = settings.max_minutes / 2  # a trailer is short, but it must still tell the story
    m = material(frame)
    if not m.terms and not m.quotes:  # an intro that glosses nothing previews the first lesson's English
        first = material(sections[:1])
        m = Material(first.terms[:1], first.quotes[:1], m.notes)
    m = _fit_material(m, settings, minutes)
    intro = next((s for s in frame if s.kind == "intro"), None)
    outro = next((s for s in frame if s.kind == "outro"), None)
    opening = [sting("opening")]
    opening += say("announce", phrases.TRAILER, "opening", lang="ko")
    opening += say("heading", topic(lesson.title), "opening")
    if m.terms or m.quotes:
        opening += say("lead", phrases.HOW_DRILLS_WORK, "opening", lang="ko")
    preview: list[Line] = []  # each lesson by its number and heading: the list says how many there are
    for i, s in enumerate(sections[:TRAILER_LIST_MAX], start=1):
        preview += say("heading", phrases.listed(i, topic(s.heading or lesson.title)), "narration")
        sample = _sample(s)  # a taste of the English it teaches, to say after the model
        preview += repeat("heading", sample, "narration", settings) + say("heading", sample, "narration", lang="en") \
            if sample else []
    if len(sections) > TRAILER_LIST_MAX:
        preview += say("lead", phrases.more_lessons(len(sections) - TRAILER_LIST_MAX), "narration", lang="ko")
    first = topic(sections[0].heading) if speakable(clean_spoken(sections[0].heading)) else None
    tail = (_expressions(m.terms, settings) + _sentences(m.quotes, settings) + _recap(m, settings)
            + _outro(phrases.first_lesson(first)))
    intro_items = sentence_items(intro.paragraphs + intro.notes) if intro else []
    outro_items = [Told(it.paragraph + 10_000, it.text, it.heading)
                   for it in sentence_items(outro.paragraphs + outro.notes)] if outro else []
    both = intro_items + outro_items
    room, budget = _budget(opening + preview + tail, settings.max_minutes)
    kept = fit(both, budget, _keywords(m), room, _told_seconds)
    told_intro = _narration(intro_items, {i for i in kept if i < len(intro_items)}, m)
    told_outro = _narration(outro_items, {i - len(intro_items) for i in kept if i >= len(intro_items)}, m)
    # the story runs straight on (its section headings, 들어가며 or 맺음말, are the seed's, not the trailer's)
    narration = told_intro + preview + told_outro
    summary = f"'{lesson.title}' 시리즈의 예고편입니다."
    if intro and intro.heading:
        summary += f" {intro.heading}."
    return Script(
        slug=f"{lesson.seed_id}-trailer",
        guid=guid_for(lesson.seed_id, "trailer"),
        title=f"{lesson.title} (예고편)",
        episode_type="trailer",
        seed_id=lesson.seed_id,
        section_key="trailer",
        description=_description(summary, m),
        lines=opening + narration + tail,
        number=None,
        date=lesson.date,
        order=0,
    )
