"""Collecting an article's blocks into Sections, the same way for both readers."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from ..model import Quote, Section, Term
from .headings import Heading
from .noise import squash
from .quotes import extract_inline_quotes
from .terms import extract_terms, heading_expression

MAX_PER_SECTION = 200  # terms or quotes: more is not a lesson, and keeps de-duplication cheap
HEADLINE_TERM_WORDS = 4  # a heading's English longer than this is a sentence to practise, not a term


@dataclass
class Builder:
    """Collects blocks into sections as the parser walks the seed."""

    title: str
    sections: list[Section] = field(default_factory=list)
    current: Section | None = None
    vocabulary: dict[str, Term] = field(default_factory=dict)  # english (lower case) -> the vocabulary's term

    def heading(self, h: Heading) -> None:
        if h.kind == "section":
            key = str(h.number) if h.number is not None else str(self._count() + 1)
            while any(s.key == key for s in self.sections):
                key = str(int(key) + 1) if key.isdigit() else key + "-2"
        else:
            key = h.kind
            if any(s.key == key for s in self.sections):
                # a second 결론 / 서론: keep reading into the one we have
                self.current = next(s for s in self.sections if s.key == key)
                return
        self.current = Section(key=key, kind=h.kind, heading=h.text, plain=h.kind == "section" and h.number is None)
        self.sections.append(self.current)

    def _headline(self, section: Section, english: str, korean: str) -> None:
        """A sentence (`Can you walk me through it?`) as the first key sentence, a phrase (`touch base`)
        as the first term; the text's own item of the same English keeps its place and meaning."""
        if any(q.english.lower().strip(".!? ") == english.lower().strip(".!? ") for q in section.quotes) \
                or any(english.lower() in t.english.lower() for t in section.terms):
            return
        if re.search(r"[.!?]$", english) or len(english.split()) > HEADLINE_TERM_WORDS:
            section.quotes.insert(0, Quote(english, korean, source="author"))
        else:
            section.terms.insert(0, Term(english, korean, "author"))

    def _count(self) -> int:
        return sum(s.kind == "section" for s in self.sections)

    def _target(self) -> Section:
        if self.current is None:
            self.current = Section(key="intro", kind="intro", heading="들어가며")
            self.sections.append(self.current)
        return self.current

    def paragraph(self, text: str) -> None:
        text = squash(text)
        if not any(ch.isalnum() for ch in text):
            return
        section = self._target()
        section.paragraphs.append(text)
        for term in extract_terms(text):
            self.term(term)
        for quote in extract_inline_quotes(text):
            self.quote(quote)

    def quote(self, quote: Quote) -> None:
        section = self._target()
        if len(section.quotes) < MAX_PER_SECTION and not any(q.english.lower() == quote.english.lower() for q in section.quotes):
            if quote.paragraph is None:
                quote = dataclasses.replace(quote, paragraph=len(section.paragraphs))
            section.quotes.append(quote)

    def gloss(self, korean: str) -> bool:
        section = self._target()
        if section.quotes and section.quotes[-1].korean is None:
            section.quotes[-1] = dataclasses.replace(section.quotes[-1], korean=korean)
            return True
        return False

    def term(self, term: Term, vocabulary: bool = False) -> None:
        """A term found in the text, or (`vocabulary`) from the author's own vocabulary list,
        whose meaning wins for every occurrence of the term in the seed."""
        if vocabulary and term.korean:
            self.vocabulary[term.english.lower()] = term
        section = self._target()
        if len(section.terms) >= MAX_PER_SECTION:
            return
        for i, t in enumerate(section.terms):
            if t.english.lower() == term.english.lower():
                if not t.korean and term.korean:
                    section.terms[i] = term
                return
        section.terms.append(term)

    def note(self, text: str) -> None:
        self._target().notes.append(squash(text))

    def finish(self) -> list[Section]:
        pairs = {id(s): heading_expression(s.heading) for s in self.sections if s.kind == "section"}
        expressions = sum(1 for pair in pairs.values() if pair) >= 2  # a blog of expressions, one a section
        for s in self.sections:
            # a term the heading glosses (`투자자 관계(IR)에서 가장 중요한 것은요?`) that its text does not:
            # the lesson is about it (the text's own gloss, with its explanation, wins when there is one)
            pair = pairs.get(id(s))
            if pair and (pair[2] or expressions):  # the expression a section is named after is its first item
                self._headline(s, pair[0], pair[1])
            known = [t.english.lower() for t in s.terms]
            s.terms += [t for t in extract_terms(s.heading) if s.kind == "section" and len(s.terms) < MAX_PER_SECTION
                        and not any(t.english.lower() in k or k in t.english.lower() for k in known)]  # BATNA, async
            # the vocabulary's meaning (and where it came from: a machine's is marked there) wins
            listed = [self.vocabulary.get(t.english.lower()) for t in s.terms]
            s.terms = [Term(t.english, v.korean, v.source) if v else t for t, v in zip(s.terms, listed)]
        sections = [s for s in self.sections if s.paragraphs or s.quotes or s.terms or s.notes]
        if not any(s.kind == "section" for s in sections):
            # no numbered sections: the whole article is one lesson
            merged = Section(key="1", kind="section", heading=self.title)
            for s in sections:
                before = len(merged.paragraphs)
                merged.paragraphs += s.paragraphs
                merged.notes += s.notes
                for q in s.quotes:
                    if q not in merged.quotes:
                        at = None if q.paragraph is None else q.paragraph + before
                        merged.quotes.append(dataclasses.replace(q, paragraph=at))
                for t in s.terms:
                    if all(t.english.lower() != x.english.lower() for x in merged.terms):
                        merged.terms.append(t)
            return [merged]
        order = {"intro": 0, "section": 1, "outro": 2}
        return sorted(sections, key=lambda s: order[s.kind])  # stable: sections keep their order
