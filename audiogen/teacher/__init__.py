"""The teacher's pen: machine-made meanings for what a seed leaves untranslated.

One step of the build, after the seeds are read and before the lessons are written:
every key sentence without a Korean meaning and every term without one (or with only
its Hangul spelling) is asked of the pens in order (a language model, then Google's
translator), each answer checked (`validate`) and cached (`cache`); a transcript quote
is cleaned for teaching and a section whose narration would be cut is retold, when a
model answers. What is filled carries its source ("teacher" or "translator") on the
Lesson, so the writer, the script JSON, the page and the summary can mark it. Anything
that does not answer in time costs one warning, never the build.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from ..config import LessonSettings, TeacherSettings
from ..errors import AudiogenError
from ..korean import transliterates
from ..model import Lesson, Section, Term
from ..progress import Reporter
from ..text import has_hangul, split_sentences
from . import validate
from .asking import Asker, Tally
from .base import Pen, Task
from .cache import AnswerCache

CONTEXT_CHARS = 1200  # the most of a paragraph sent along with a sentence
_FILLERS = re.compile(r"\b(?:um+|uh+|erm|you know|i mean|sort of|kind of)\b|\b(\w+)\s+\1\b", re.I)
SPOKEN_WORDS = 30  # a quote this long is a transcript's run-on, worth cleaning


def choose(settings: TeacherSettings, engine: str | None = None) -> tuple[list[Pen], frozenset[str]]:
    """The pens to ask, in order, and the sources allowed to be absent without a warning."""
    from .llm import LlmTeacher
    from .translator import Translator

    engine = engine or settings.engine
    if engine == "off":
        return [], frozenset()
    model = [LlmTeacher(settings.url, settings.model)] if settings.url and settings.model else []
    if engine == "llm":
        if not model:
            raise AudiogenError("--teacher llm needs [teacher] url and model in podcast.toml")
        return model, frozenset()
    if engine == "translator":
        return [Translator()], frozenset()
    return model + [Translator()], frozenset({"translator"})


def teach(lessons: list[Lesson], settings: TeacherSettings, lesson_settings: LessonSettings,
          cache_root: Path, ui: Reporter, engine: str | None = None, meanings_only: bool = False) -> Tally | None:
    """Fill the lessons' missing meanings in place (`meanings_only`: no cleaned quotes or
    retellings, as for a seed file); None when no pen is asked (off)."""
    pens, may_be_absent = choose(settings, engine)
    if not pens:
        return None
    asker = Asker(pens, AnswerCache(cache_root), settings.timeout, settings.budget, may_be_absent)
    for lesson in lessons:
        for section in lesson.sections:
            fill_section(section, asker, clean=not meanings_only)
        if not meanings_only and any(p.can("retell") for p in pens):
            retell(lesson, asker, lesson_settings)
    tell(asker.tally, ui)
    return asker.tally


def needs_meaning(term: Term) -> bool:
    from ..lesson.writer import is_name  # a company or product is recognised, not drilled

    return (not term.korean or transliterates(term.korean, term.english)) and not is_name(term)


def looks_spoken(english: str) -> bool:
    """A transcript's sentence (a stutter, a filler, a run-on), worth cleaning before it is taught."""
    return bool(_FILLERS.search(english)) or len(english.split()) > SPOKEN_WORDS


def fill_section(section: Section, asker: Asker, clean: bool = True) -> None:
    for i, q in enumerate(section.quotes):
        if q.korean is None:
            got = asker.answer(Task("sentence", q.english, paragraph_of(q.english, section)),
                               lambda a, e=q.english: validate.meaning(a, e, term=False))
            if got:
                q = section.quotes[i] = dataclasses.replace(q, korean=got[0], source=got[1])
        if clean and looks_spoken(q.english) and q.taught is None:
            got = asker.answer(Task("quote", q.english, limit=len(q.english)),
                               lambda a, e=q.english: validate.cleaned_quote(a, e, len(e)))
            if got:
                section.quotes[i] = dataclasses.replace(q, taught=got[0])
    for i, t in enumerate(section.terms):
        if needs_meaning(t):
            got = asker.answer(Task("term", t.english, sentence_of(t.english, section)),
                               lambda a, e=t.english: validate.meaning(a, e, term=True))
            if got:
                section.terms[i] = Term(t.english, got[0], got[1])


def paragraph_of(english: str, section: Section) -> str:
    """The paragraph a key sentence stands in (its context), else the section's opening."""
    low = english.lower()
    found = next((p for p in section.paragraphs if low in p.lower()), None)
    if found is None:
        head = " ".join(low.split()[:4])
        found = next((p for p in section.paragraphs if head and head in p.lower()), None)
    text = found or " ".join([section.heading] + section.paragraphs[:2])
    return text[:CONTEXT_CHARS]


def sentence_of(english: str, section: Section) -> str:
    """The sentence a term stands in, so its meaning is the one it has there."""
    low = english.lower()
    for text in section.paragraphs + [q.english for q in section.quotes] + section.notes:
        for sentence in split_sentences(text):
            if low in sentence.lower():
                return sentence[:CONTEXT_CHARS]
    return section.heading


def retell(lesson: Lesson, asker: Asker, settings: LessonSettings) -> None:
    """A section whose narration the lesson would cut is retold by the model within the room
    the lesson leaves it (as many characters as it would keep of the article's own)."""
    from ..lesson import writer
    from ..lesson.condense import sentence_items

    full = {s.section_key: s for s in writer.write(lesson, settings) if s.episode_type == "full"}
    for section in lesson.sections:
        script = full.get(section.key)
        article = "\n".join(section.paragraphs + section.notes)
        if section.kind != "section" or script is None or not has_hangul(article) or section.retold:
            continue
        kept = sum(len(line.text) for line in script.lines if line.kind == "narration")
        whole = sum(len(it.text) for it in sentence_items(section.paragraphs + section.notes) if not it.heading)
        if kept == 0 or kept >= 0.9 * whole:
            continue  # all of it fits (or nothing does): the article's own words
        known = "\n".join([section.heading, article] + [q.english for q in section.quotes])
        got = asker.answer(Task("retell", article, section.heading, limit=kept),
                           lambda a: validate.retelling(a, known, int(kept * 1.2)))
        if got:
            section.retold = got[0]


def tell(tally: Tally, ui: Reporter) -> None:
    """One line for what was asked, and at most one warning for everything that went wrong."""
    if tally.answered or tally.cached:
        ui.info(f"machine meanings: {tally.answered} new answer(s), {tally.cached} from the cache")
    if tally.problems:
        said = "; ".join(f"{pen}: " + ", ".join(f"{reason}" + (f" (x{n})" if n > 1 else "")
                                                  for reason, n in reasons.items())
                         for pen, reasons in tally.problems.items())
        ui.warn(f"machine meanings: {tally.missed} item(s) got no usable answer ({said}); "
                "they keep the seed's or the article's own Korean")
    elif tally.silent:
        ui.info(f"machine meanings: {', '.join(sorted(tally.silent))} did not answer; none from it this build")
