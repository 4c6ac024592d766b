"""What the structured readers (Markdown and web pages) share: a document's
blocks (headings, paragraphs, block quotes, list items) already told apart by
the document itself, so reading them is about the lesson, not the layout.

A heading at the section level is a section; a block quote holds key sentences
and their meanings; a list item `term = 뜻` is the author's vocabulary.
"""

from __future__ import annotations

import re

from ..model import Quote, Term
from ..text import has_hangul, is_english
from . import headings
from .noise import squash
from .quotes import quote_line
from .sections import Builder

# The line under a key sentence that says its meaning is still to be written (`> 번역: ?`),
# and the label of a meaning filled in by a machine translator, for the user to check.
MISSING_MEANING = "번역: ?"
# `> 기계 번역: ...` is the translator's; `> 기계 번역 (teacher): ...` a language model's. A term's
# meaning a machine wrote ends in `(기계)` (the translator's) or `(기계, teacher)`.
MACHINE_LABEL = "기계 번역"
MACHINE_MARK = "기계"
_MISSING = re.compile(r"^번역\s*[:：]\s*\?$")
_MACHINE = re.compile(rf"^{MACHINE_LABEL}\s*(?:\((?P<s>teacher|translator)\))?\s*[:：]\s*(?P<g>.+)$")
_MACHINE_TERM = re.compile(rf"\s*\({MACHINE_MARK}(?:\s*,\s*(?P<s>teacher|translator))?\)$")
_VOCAB = re.compile(r"^(?P<a>[^=]+?)\s*=\s*(?P<b>.*)$")


def machine_label(source: str) -> str:
    """The label of a key sentence's meaning a machine wrote, as `audiogen add` writes it."""
    return MACHINE_LABEL if source == "translator" else f"{MACHINE_LABEL} ({source})"


def machine_mark(source: str) -> str:
    """What follows a term's meaning a machine wrote."""
    return f"({MACHINE_MARK})" if source == "translator" else f"({MACHINE_MARK}, {source})"
_NUMBER = re.compile(r"^(?P<n>\d{1,3})\s*[.)]\s+(?P<h>\S.*)$")


def section_heading(text: str) -> headings.Heading:
    """A heading the document marks as one (`## ...`, `<h2>`): always a section, its number
    taken from the text when it has one, intro/outro when it is a marker (서론, 마치며)."""
    text = squash(text)
    found = headings.marker(text)
    if found:
        return found
    m = _NUMBER.match(text)
    if m:
        return headings.Heading("section", int(m.group("n")), m.group("h").strip())
    return headings.numbered(text) or headings.Heading("section", None, text)


def vocab_term(item: str) -> Term | None:
    """`bolt on = 덧붙이다` (either side English); `bolt on = ?` is a term without a meaning yet."""
    m = _VOCAB.match(squash(item))
    if not m:
        return None
    a, b = squash(m.group("a")), squash(m.group("b"))
    if b in ("", "?"):
        b = ""
    machine = _MACHINE_TERM.search(b)
    if machine and is_english(a):  # a machine's meaning, for the user to check: still not the author's
        return Term(english=a, korean=b[:machine.start()].strip(), source=machine.group("s") or "translator")
    if is_english(a) and b and not is_english(b):
        return Term(english=a, korean=b)
    if is_english(b) and a and not is_english(a):
        return Term(english=b, korean=a)
    if is_english(a) and not b:
        return Term(english=a, korean="")
    return None


class QuoteBlock:
    """Reads the lines of a block quote into a Builder: each English line is a key sentence,
    the Korean line under it its meaning. A sentence already in the section (quoted inside a
    paragraph above) takes the meaning written under it here."""

    def __init__(self, builder: Builder, machine: set[str] | None = None, reveal=lambda text: text):
        self.builder = builder
        self.reveal = reveal  # the Markdown reader hides escaped quotation marks until the text is kept
        self.machine = machine  # where to note meanings a machine translator wrote
        self.last: str | None = None  # the English of the sentence a Korean line would translate

    def line(self, text: str) -> None:
        line = squash(text)
        if not line:
            return
        if _MISSING.match(line):
            self.last = None
            return
        machine = _MACHINE.match(line)
        if machine:
            line = squash(machine.group("g"))
        quote = None if machine else quote_line(line)
        if quote is None and not machine and is_english(line, min_words=2):
            quote = Quote(english=squash(line.strip("\"“”")))
        if quote:
            quote = Quote(self.reveal(quote.english), self.reveal(quote.korean) if quote.korean else None)
            self.builder.quote(quote)
            self.last = quote.english
            if quote.korean:
                self._mean(quote.korean, None)
            return
        source = (machine.group("s") or "translator") if machine else None
        if has_hangul(line) and self._mean(self.reveal(squash(line.strip("\"“”"))), source):
            return
        self.last = None
        self.builder.paragraph(self.reveal(line))

    def _mean(self, korean: str, machine: str | None) -> bool:
        """`machine`: the source of a meaning a machine wrote (None: the author's)."""
        section = self.builder.current
        if section is None or self.last is None:
            return False
        for i, q in enumerate(section.quotes):
            if q.english.lower() == self.last.lower():
                if q.korean is not None:
                    return False
                section.quotes[i] = Quote(english=q.english, korean=korean, source=machine or "author")
                if machine and self.machine is not None:
                    self.machine.add(q.english)
                self.last = None
                return True
        return False
