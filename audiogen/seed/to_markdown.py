"""A Lesson written back as our Markdown seed, for the user to review, edit and commit.

The file holds everything the reader found, and reading it gives the same
Lesson again (so `add` then `build` makes the same episodes as building the
source, and adding the file again writes the same file). Each key sentence
stands in its own block quote with its meaning under it, or a `> 번역: ?` line
where the article gave none; the section's terms close it as a vocabulary list.

The Lesson keeps no positions, only each section's lists in order; the
paragraphs are written in order, and each key sentence and term that no
paragraph holds is written just before the first paragraph whose sentences or
terms come after it in the lesson, so reading the file collects them in the
same order.
"""

from __future__ import annotations

import re

import yaml

from ..model import Lesson, Quote, Section, Term
from . import headings
from .blocks import MISSING_MEANING, machine_label, machine_mark
from .quotes import extract_inline_quotes, quote_line
from .terms import extract_terms

_INTRO_WORD, _OUTRO_WORD = "서론", "결론"


def dump(lesson: Lesson, source_url: str | None = None, machine: set[str] | frozenset[str] = frozenset()) -> str:
    """The Markdown text of `lesson`; `machine`: key sentences whose meaning a translator wrote."""
    meta: dict[str, object] = {"title": lesson.title}
    if lesson.author:
        meta["author"] = lesson.author
    if lesson.date:
        meta["date"] = lesson.date
    meta["id"] = lesson.seed_id
    if source_url:
        meta["source"] = source_url
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    out = [f"---\n{front}---", f"# {escape(lesson.title)}"]
    for section in lesson.sections:
        out.append(f"## {_heading(section)}")
        out += _section_body(section, machine)
    return "\n\n".join(out) + "\n"


def _heading(section: Section) -> str:
    # a heading's trailing ` #` would be read as the closing marks of an ATX heading
    return re.sub(r"(^|\s)(#+)$", r"\1\\\2", _heading_text(section))


def _heading_text(section: Section) -> str:
    if section.kind == "intro":
        return escape(section.heading) if headings.marker(section.heading) else f"{_INTRO_WORD}: {escape(section.heading)}"
    if section.kind == "outro":
        return escape(section.heading) if headings.marker(section.heading) else f"{_OUTRO_WORD}: {escape(section.heading)}"
    if section.key.isdigit():
        return f"{section.key}. {escape(section.heading)}"
    return escape(section.heading)


def _section_body(section: Section, machine) -> list[str]:
    blocks: list[str] = []
    quotes = {q.english.lower(): q for q in section.quotes}
    q_order = [q.english.lower() for q in section.quotes]
    t_order = [t.english.lower() for t in section.terms]
    seen_q: set[str] = set()
    seen_t: set[str] = set()
    listed_terms: set[str] = set()
    from_paragraphs_q = {q.english.lower() for p in section.paragraphs for q in extract_inline_quotes(p)}
    from_paragraphs_t = {t.english.lower() for p in section.paragraphs for t in extract_terms(p)}

    def standalone_before(order: list[str], seen: set[str], produced: set[str], first_new: str | None) -> list[str]:
        """Items no paragraph holds, due before `first_new` (all that are left when None)."""
        stop = order.index(first_new) if first_new in order else len(order)
        return [k for k in order[:stop] if k not in seen and k not in produced]

    for paragraph in section.paragraphs:
        new_q = [q.english.lower() for q in extract_inline_quotes(paragraph) if q.english.lower() not in seen_q]
        new_t = [t.english.lower() for t in extract_terms(paragraph) if t.english.lower() not in seen_t]
        for key in standalone_before(q_order, seen_q, from_paragraphs_q, new_q[0] if new_q else None) if new_q else []:
            blocks.append(_quote_block(quotes[key], machine))
            seen_q.add(key)
        early = standalone_before(t_order, seen_t, from_paragraphs_t, new_t[0] if new_t else None) if new_t else []
        if early:
            blocks.append("\n".join(_term_item(t) for t in section.terms if t.english.lower() in early))
            seen_t.update(early)
            listed_terms.update(early)
        blocks.append(escape(paragraph))
        seen_q.update(new_q)
        seen_t.update(new_t)
        for key in dict.fromkeys(new_q):  # the sentences it quotes, with their meanings under them
            if key in quotes:
                blocks.append(_quote_block(quotes[key], machine))
    for key in q_order:
        if key not in seen_q:
            blocks.append(_quote_block(quotes[key], machine))
            seen_q.add(key)
    vocabulary = [t for t in section.terms if t.english.lower() not in listed_terms]
    if vocabulary:
        blocks.append("\n".join(_term_item(t) for t in vocabulary))
    blocks += [f"Note: {escape(note)}" for note in section.notes]
    return blocks


def _quote_block(quote: Quote, machine) -> str:
    lines = [f'> "{escape(quote.english, start=False, marks=True)}"']
    if quote.korean is None:
        lines.append(f"> {MISSING_MEANING}")
    elif quote.source in ("teacher", "translator") or quote.english in machine:
        source = quote.source if quote.source != "author" else "translator"
        lines.append(f"> {machine_label(source)}: {escape(quote.korean, start=False, marks=True)}")
    else:
        lines.append(f"> {escape(quote.korean, marks=True)}")
    return "\n".join(lines)


def _term_item(term: Term) -> str:
    mark = f" {machine_mark(term.source)}" if term.korean and term.source in ("teacher", "translator") else ""
    return f"- {escape(term.english, start=False)} = {escape(term.korean, start=False) or '?'}{mark}"


_INLINE = re.compile(r"([\\`*_\[\]<])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LIST_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def escape(text: str, start: bool = True, marks: bool = False) -> str:
    """Text that Markdown shows as written: no emphasis, links, HTML or entities, and (at the
    start of a block) no heading, list, quote, rule, note or key-sentence line. `marks`: every
    quotation mark escaped too, for a line in a key sentence's block quote (whose reader takes
    the marks around a sentence off)."""
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    if marks:
        text = text.replace('"', '\\"').replace("“", "&#8220;").replace("”", "&#8221;")
    if not start:
        return text
    if _LIST_START.match(text):
        return _LIST_START.sub(r"\1\\\2", text, count=1)
    if re.match(r"^(?:[#>+\-=]|~~~)", text):
        return "\\" + text
    if not marks and text.startswith(("\"", "“")) and quote_line(text.replace("\\", "")):
        return ("\\\"" + text[1:]) if text[0] == "\"" else "&#8220;" + text[1:]
    note = re.match(r"^(?:note|tip|노트|참고|팁)\s*(?P<c>[:：])", text, re.I)
    if note:
        at = note.start("c")
        return text[:at] + ("\\:" if note.group("c") == ":" else "&#65306;") + text[at + 1:]
    return text
