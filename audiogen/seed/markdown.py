"""The .md reader: our own Markdown format, read as Markdown (markdown-it-py tokens).

The format: front matter (title, author, date, id, source), `#` the title,
`##` sections, `>` block quotes holding key sentences with their Korean
meanings under them (`> 번역: ?` where a meaning is still to be written,
`> 기계 번역: ...` where a translator wrote it), `- term = 뜻` vocabulary and
`Note:` lines. Markdown decides what is a heading, a quote or a list (setext
headings, nested lists and quotes, lazy lines); code blocks and HTML are
never narrated. Written by hand, so errors name the line to fix.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..errors import AudiogenError
from ..model import Lesson
from ..text import slugify
from .blocks import QuoteBlock, section_heading, vocab_term
from .files import seed_id_for, title_from_stem
from .noise import MAX_YEAR, MIN_YEAR, clean_line, is_noise, parse_date, squash
from .quotes import quote_line
from .sections import Builder

FRONT_MATTER_KEYS = ("title", "author", "date", "id", "source")
_NOTE = re.compile(r"^(?:note|tip|노트|참고|팁)\s*[:：]\s*(?P<n>.+)$", re.I | re.S)
# text_join off: an escaped `\*` stays a token of its own, so it is never mistaken for emphasis
_PARSER = MarkdownIt("commonmark").disable("text_join")
# Emphasis CommonMark leaves as text when a Korean particle follows it (`**안건(agenda)**을`:
# the closing `**` sits between punctuation and a letter); the writer meant it, so it is unwrapped.
_CJK_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_CJK_EM = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*")
# Escaped characters, hidden from the patterns above and from the quote reader (an escaped `\"`
# belongs to the sentence, not to the quotation marks around it) until the text is kept.
_LITERAL = {"*": "\ue02a", "_": "\ue05f", '"': "\ue022", "“": "\ue01c", "”": "\ue01d"}


def reveal(text: str) -> str:
    for char, hidden in _LITERAL.items():
        text = text.replace(hidden, char)
    return text


@dataclass
class Document:
    """A Markdown seed read: the lesson, plus what `audiogen add` keeps when it writes it again."""

    lesson: Lesson
    source_url: str | None = None
    machine: set[str] = field(default_factory=set)  # key sentences whose meaning a translator wrote


class FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without anchors and aliases (`&a`, `*a`): a few hundred bytes of
    nested aliases expand to gigabytes, and five plain keys never need them. Dates stay
    text, so `2025-02-30` is our one-line error rather than YAML's ValueError."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(None, None, "anchors and aliases (& and *) are not allowed",
                                              event.start_mark)
        return super().compose_node(parent, index)


FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)


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
        data = yaml.load(block, Loader=FrontMatterLoader)  # noqa: S506 - a SafeLoader without aliases
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else 1  # the block starts on the opening line
        raise AudiogenError(f"{path}:{line}: front matter is not valid YAML: {getattr(e, 'problem', e)}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise AudiogenError(f"{path}:2: front matter must be 'key: value' lines ({', '.join(FRONT_MATTER_KEYS)})")
    for key in data:
        if str(key) not in FRONT_MATTER_KEYS:
            close = difflib.get_close_matches(str(key), FRONT_MATTER_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise AudiogenError(f"{path}: unknown front matter key '{key}'{hint}; known: {', '.join(FRONT_MATTER_KEYS)}")
    return data, rest, block.count("\n") + 2


def parse(text: str, path: Path) -> Lesson:
    return read(text, path).lesson


def read(text: str, path: Path) -> Document:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    meta, body, _ = _front_matter(text, path)
    lesson = Lesson(seed_id=seed_id_for(path.stem), source=path, title="")
    doc = Document(lesson)
    _apply_meta(meta, doc, path)
    builder = Builder(title="")
    _Walker(body, lesson, builder, doc.machine).walk()
    if not lesson.title:
        lesson.title = title_from_stem(path)
    builder.title = lesson.title
    lesson.sections = builder.finish()
    return doc


def _apply_meta(meta: dict, doc: Document, path: Path) -> None:
    lesson = doc.lesson
    if meta.get("id") is not None:
        seed_id = slugify(str(meta["id"]))
        if not seed_id:
            raise AudiogenError(f"{path}: front matter id {meta['id']!r} has no ASCII letters or digits")
        lesson.seed_id = seed_id
    if meta.get("author") is not None:
        lesson.author = squash(str(meta["author"])) or None
    if meta.get("date") is not None:
        value = meta["date"]
        lesson.date, _ = parse_date(str(value))
        if lesson.date is None:
            raise AudiogenError(f"{path}: front matter date {value!r} is not a date like 2025-03-04 "
                                f"(a day that exists, in the years {MIN_YEAR}-{MAX_YEAR})")
    if meta.get("title") is not None:
        lesson.title = squash(str(meta["title"]))
    if meta.get("source") is not None:
        doc.source_url = str(meta["source"]).strip() or None


def inline_text(token: Token, hidden: bool = False) -> str:
    """The words of an inline token: emphasis and links unwrapped, code spans kept as words,
    images and inline HTML (comments) dropped, line breaks as newlines."""
    out: list[str] = []
    for child in token.children or []:
        if child.type == "text":
            out.append(child.content)
        elif child.type == "text_special":
            out.append(_LITERAL.get(child.content, child.content))
        elif child.type == "code_inline":
            out.append("".join(_LITERAL.get(ch, ch) for ch in child.content))
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    text = _CJK_EM.sub(r"\1", _CJK_STRONG.sub(r"\2", "".join(out)))
    return text if hidden else reveal(text)


class _Walker:
    """Walks the token stream once, feeding the Builder block by block."""

    def __init__(self, body: str, lesson: Lesson, builder: Builder, machine: set[str]):
        self.lines = body.split("\n")
        self.tokens = _PARSER.parse(body)
        self.lesson = lesson
        self.builder = builder
        self.machine = machine
        self.quote_depth = 0
        self.list_depth = 0
        self.quote_block: QuoteBlock | None = None

    def source(self, token: Token) -> str:
        if not token.map:
            return ""
        return "\n".join(self.lines[token.map[0]:token.map[1]]).strip()

    def walk(self) -> None:
        tokens = self.tokens
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if t.type == "heading_open":
                self.heading(int(t.tag[1]), inline_text(tokens[i + 1], hidden=self.quote_block is not None))
                i += 3
                continue
            if t.type == "blockquote_open":
                if self.quote_depth == 0:
                    self.quote_block = QuoteBlock(self.builder, self.machine, reveal)
                self.quote_depth += 1
            elif t.type == "blockquote_close":
                self.quote_depth -= 1
                if self.quote_depth == 0:
                    self.quote_block = None
            elif t.type in ("bullet_list_open", "ordered_list_open"):
                self.list_depth += 1
            elif t.type in ("bullet_list_close", "ordered_list_close"):
                self.list_depth -= 1
            elif t.type == "paragraph_open":
                self.paragraph(t, inline_text(tokens[i + 1], hidden=self.quote_block is not None))
                i += 3
                continue
            # fence, code_block, html_block, hr: nothing to narrate
            i += 1

    def heading(self, level: int, text: str) -> None:
        text = squash(text)
        if not text:
            return
        if self.quote_block is not None:
            self.quote_block.line(text)
        elif level == 1:
            if not self.lesson.title:
                self.lesson.title = text
        elif level == 2:
            self.builder.heading(section_heading(text))
        else:
            self.builder.paragraph(text)  # a sub-heading is narrated

    def paragraph(self, token: Token, text: str) -> None:
        if self.quote_block is not None:
            for line in text.split("\n"):
                self.quote_block.line(line)
            return
        text = squash(" ".join(clean_line(line) for line in text.split("\n")))  # pasted ad markers go
        if not text or is_noise(text):
            return
        raw = self.source(token)
        if self.list_depth:
            term = vocab_term(text)
            if term:
                self.builder.term(term, vocabulary=True)
                return
            quote = quote_line(text) if text.startswith(("\"", "“")) else None
            if quote:  # `- "How did you get into this field?" — 이 분야에는 어떻게 들어오셨어요?`
                self.builder.quote(quote)
                return
        elif _NOTE.match(raw):
            self.builder.note(squash(_NOTE.match(text).group("n")) if _NOTE.match(text) else text)
            return
        elif raw.startswith(("\"", "“")):
            quote = quote_line(text)
            if quote:  # `"Let's begin." — 시작합시다` on its own line
                self.builder.quote(quote)
                return
        self.builder.paragraph(text)
