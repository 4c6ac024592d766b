"""`audiogen add`: sources read into Markdown seeds, written only when all of them could be.

Every later build reads the Markdown, so the network and the web page's
changes never reach a build again. Meanings a machine translator wrote are
marked in the file (`> 기계 번역: ...`) for the user to check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import AudiogenError
from ..files import write_atomically
from ..model import Lesson, Quote
from . import read_document, to_markdown
from .blocks import MACHINE_LABEL
from .markdown import Document


@dataclass
class Added:
    """One source, read and rendered, before it is written."""

    source: Path | str
    target: Path
    text: str
    doc: Document

    def summary(self) -> str:
        sections = self.doc.lesson.sections
        quotes = [q for s in sections for q in s.quotes]
        missing = sum(q.korean is None for q in quotes)
        terms = sum(len(s.terms) for s in sections)
        said = f"{len(sections)} sections, {len(quotes)} key sentences, {terms} terms"
        if missing:
            said += f"; {missing} without a meaning: write them on the `> {to_markdown.MISSING_MEANING}` lines"
        machine = sum(q.source in ("teacher", "translator") for q in quotes) + sum(
            t.source in ("teacher", "translator") for s in sections for t in s.terms)
        if machine:
            said += (f"; {machine} meanings by a machine translator or teacher: "
                     f"check the `> {MACHINE_LABEL}` lines and the terms marked `(기계)`")
        return said


def prepare(sources: list[Path | str], folder: Path, translate: bool = False, force: bool = False,
            teach: Callable[[Lesson], None] | None = None) -> list[Added]:
    """Read every source and decide where it goes; nothing is written yet. `teach`: fills the
    lesson's missing meanings (marked as machine-made) before it is written."""
    added: list[Added] = []
    for source in sources:
        doc = read_document(source, bounded=False)  # all of it; the build bounds what it narrates
        if translate:
            fill_meanings(doc)
        if teach is not None:
            teach(doc.lesson)
        target = folder / f"{doc.lesson.seed_id}.md"
        text = to_markdown.dump(doc.lesson, doc.source_url, doc.machine)
        if any(a.target == target for a in added):
            raise AudiogenError(f"{source}: its seed id '{doc.lesson.seed_id}' is also the id of "
                                f"{next(a.source for a in added if a.target == target)}; add them one at a time")
        if target.exists() and not force:
            raise AudiogenError(f"{target} already exists; nothing was written (use --force to overwrite it)")
        added.append(Added(source, target, text, doc))
    return added


def write(added: list[Added]) -> None:
    for a in added:
        try:
            a.target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(a.target, a.text)
        except OSError as e:
            raise AudiogenError(f"cannot write {a.target}: {e.strerror or e}") from None


def fill_meanings(doc: Document) -> None:
    """Key sentences without a Korean meaning get one from an online translator."""
    from deep_translator import GoogleTranslator

    missing = [q.english for s in doc.lesson.sections for q in s.quotes if q.korean is None]
    if not missing:
        return
    translator = GoogleTranslator(source="en", target="ko")
    meanings: dict[str, str] = {}
    for english in dict.fromkeys(missing):
        try:
            korean = translator.translate(english)
        except Exception as e:  # deep-translator's errors share no base class (RequestError, TooManyRequests...)
            raise AudiogenError(f"the translator failed ({type(e).__name__}: {str(e)[:100]}); "
                                "nothing was written; run again without --translate") from None
        if isinstance(korean, str) and korean.strip():
            meanings[english] = " ".join(korean.split())
    for section in doc.lesson.sections:
        for i, q in enumerate(section.quotes):
            if q.korean is None and q.english in meanings:
                section.quotes[i] = Quote(english=q.english, korean=meanings[q.english], source="translator")
                doc.machine.add(q.english)
