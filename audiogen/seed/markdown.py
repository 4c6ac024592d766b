"""The .md reader: our own Markdown format (front matter, `##` sections,
`>` quotes with translations, `- term = 뜻` vocabulary, `Note:` lines).

Written by hand rather than pasted, so errors here name the line to fix.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from pathlib import Path

import yaml

from ..errors import AudiogenError
from ..model import Lesson, Quote, Term
from ..text import has_hangul, is_english, slugify
from . import headings
from .files import seed_id_for, title_from_stem
from .noise import clean_line, is_noise, parse_date, squash
from .quotes import quote_line
from .sections import Builder

FRONT_MATTER_KEYS = ("title", "author", "date", "id")
_VOCAB = re.compile(r"^[-*+]\s+(?P<a>[^=]+?)\s*=\s*(?P<b>.+)$")
_NOTE = re.compile(r"^(?:note|tip|노트|참고|팁)\s*[:：]\s*(?P<n>.+)$", re.I)
_MD_LINK = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)")


def _strip_inline_md(text: str) -> str:
    text = _MD_LINK.sub(lambda m: m.group(1) or "", text)
    text = re.sub(r"<!--.*?-->", "", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", text)
    return text


def _front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """(front matter, the rest, how many lines the front matter took)."""
    if not re.match(r"^---[ \t]*\n", text):
        return {}, text, 0
    m = re.search(r"\n---[ \t]*(?:\n|$)", text[3:])
    if not m:
        raise AudiogenError(f"{path}:1: front matter starts with '---' but never ends with a '---' line")
    block = text[3:3 + m.start() + 1]
    rest = text[3 + m.end():]
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise AudiogenError(f"{path}:{line}: front matter is not valid YAML: {getattr(e, 'problem', e)}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise AudiogenError(f"{path}:2: front matter must be 'key: value' lines (title, author, date, id)")
    for key in data:
        if str(key) not in FRONT_MATTER_KEYS:
            close = difflib.get_close_matches(str(key), FRONT_MATTER_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise AudiogenError(f"{path}: unknown front matter key '{key}'{hint}; known: {', '.join(FRONT_MATTER_KEYS)}")
    return data, rest, block.count("\n") + 2


def parse(text: str, path: Path) -> Lesson:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    meta, body, _ = _front_matter(text, path)
    lesson = Lesson(seed_id=seed_id_for(path.stem), source=path, title="")
    if meta.get("id") is not None:
        seed_id = slugify(str(meta["id"]))
        if not seed_id:
            raise AudiogenError(f"{path}: front matter id {meta['id']!r} has no ASCII letters or digits")
        lesson.seed_id = seed_id
    if meta.get("author") is not None:
        lesson.author = squash(str(meta["author"])) or None
    if meta.get("date") is not None:
        value = meta["date"]
        if isinstance(value, dt.datetime):
            lesson.date = value.date()
        elif isinstance(value, dt.date):
            lesson.date = value
        else:
            lesson.date, _ = parse_date(str(value))
            if lesson.date is None:
                raise AudiogenError(f"{path}: front matter date {value!r} is not a date like 2025-03-04")
    if meta.get("title") is not None:
        lesson.title = squash(str(meta["title"]))

    builder = Builder(title="")
    paragraph: list[str] = []
    quote_block: list[str] = []

    def flush() -> None:
        if paragraph:
            builder.paragraph(_strip_inline_md(" ".join(paragraph)))
            paragraph.clear()
        if quote_block:
            _blockquote(builder, quote_block)
            quote_block.clear()

    in_comment = False
    for raw in body.split("\n"):
        line = clean_line(raw)
        if in_comment:
            in_comment = "-->" not in line
            continue
        if line.startswith("<!--") and "-->" not in line:
            in_comment = True
            continue
        if not line or is_noise(line) and not line.startswith(">"):
            flush()
            continue
        h = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)
        if h:
            flush()
            level, heading = len(h.group(1)), _strip_inline_md(h.group(2)).strip()
            if level == 1:
                if not lesson.title:
                    lesson.title = heading
                continue
            if level == 2:
                builder.heading(headings.marker(heading) or _md_heading(heading))
                continue
            builder.paragraph(heading)  # a sub-heading is narrated
            continue
        if line.startswith(">"):
            if paragraph:
                builder.paragraph(_strip_inline_md(" ".join(paragraph)))
                paragraph.clear()
            quote_block.append(line.lstrip(">").strip())
            continue
        if quote_block:
            _blockquote(builder, quote_block)
            quote_block.clear()
        vocab = _VOCAB.match(line)
        if vocab:
            flush()
            term = _vocab_term(_strip_inline_md(vocab.group("a")), _strip_inline_md(vocab.group("b")))
            if term:
                builder.term(term)
                continue
        note = _NOTE.match(line)
        if note:
            flush()
            builder.note(_strip_inline_md(note.group("n")))
            continue
        if re.match(r"^[-*+]\s+|^\d+[.)]\s+", line):
            flush()
            builder.paragraph(_strip_inline_md(re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", line)))
            continue
        paragraph.append(line)
    flush()
    if not lesson.title:
        lesson.title = title_from_stem(path)
    builder.title = lesson.title
    lesson.sections = builder.finish()
    return lesson


def _md_heading(heading: str) -> headings.Heading:
    numbered = headings.numbered(heading)
    if numbered:
        return numbered
    return headings.Heading("section", None, heading)


def _vocab_term(a: str, b: str) -> Term | None:
    a, b = squash(a), squash(b)
    if is_english(a) and not is_english(b):
        return Term(english=a, korean=b)
    if is_english(b) and not is_english(a):
        return Term(english=b, korean=a)
    if is_english(a):
        return Term(english=a, korean="")
    return None


def _blockquote(builder: Builder, lines: list[str]) -> None:
    """`> "English"` lines, each optionally followed by `> 한국어` gloss lines."""
    for line in lines:
        line = _strip_inline_md(line).strip()
        if not line:
            continue
        quote = quote_line(line)
        if quote is None and is_english(line, min_words=2):
            quote = Quote(english=squash(line.strip("\"“”")))
        if quote:
            builder.quote(quote)
            continue
        if has_hangul(line) and builder.gloss(squash(line.strip("\"“”"))):
            continue
        builder.paragraph(line)
