"""Read a seed (a blog article as .txt, or our own Markdown) into a Lesson.

Seeds come from copy-pasted web pages, so the reader's job is mostly to
know what to throw away and to recognise the few things a lesson is made of:
section headings, English key sentences in quotes, and English terms in
parentheses after the Korean words they gloss. Pure: no audio, no network.

Where things live: `files` (finding, bytes, encodings, damage), `noise`
(what a web page adds: menus, footers, bylines, dates), `headings`,
`quotes`, `terms`, `sections` (collecting blocks into Sections), and the
readers: `plain` (.txt), `markdown` (.md) and `html` (.html files and web pages,
which `web` fetches); `to_markdown` writes a Lesson back as a .md seed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import AudiogenError
from ..model import Lesson
from . import limits, markdown, plain, to_markdown, web
from .files import (
    DAMAGE_LIMIT, HTML_SUFFIXES, NOT_SEEDS, SEED_SUFFIXES, UNREADABLE, UNSUPPORTED_SUFFIXES,
    check_suffix, decode, drop_unreadable, find, load_bytes, seed_id_for, unsupported,
)
from .noise import parse_date
from .quotes import extract_inline_quotes
from .terms import extract_terms

__all__ = [
    "read", "read_document", "find", "unsupported", "seed_id_for", "parse_date", "extract_terms", "extract_inline_quotes",
    "SEED_SUFFIXES", "NOT_SEEDS", "UNSUPPORTED_SUFFIXES", "DAMAGE_LIMIT", "UNREADABLE",
]


def read(path: Path | str, max_bytes: int = 2_000_000) -> Lesson:
    """Read one seed (a file, or an http(s) address) into a Lesson; any problem is an
    AudiogenError naming the file."""
    return read_document(path, max_bytes).lesson


def read_document(path: Path | str, max_bytes: int = 2_000_000, bounded: bool = True) -> markdown.Document:
    """A seed read, with the source address and machine-translation marks `audiogen add` keeps.
    `bounded=False` (for `add`): everything the reader found, before seed.limits cuts it to what
    one build narrates, so the user can split a long article into several seeds."""
    if isinstance(path, str):
        return read_url(path, bounded)
    check_suffix(path)
    data = load_bytes(path, max_bytes)
    if path.suffix.lower() in HTML_SUFFIXES:
        from . import html  # trafilatura: a fifth of a second to import, for web pages only

        lesson, page = html.parse(web.decode(data), path)
        doc = markdown.Document(lesson, source_url=page.url)
        data = _article_bytes(lesson)
    elif path.suffix.lower() in (".md", ".markdown"):
        doc = markdown.read(decode(data, path), path)
    else:
        doc = markdown.Document(plain.parse(decode(data, path), path))
    _check(doc.lesson, data, path, bounded)
    return doc


def read_url(url: str, bounded: bool = True) -> markdown.Document:
    """The article at an http(s) address. It has no seed folder: an undated one is dated
    in the working folder's record (its `source` is a name there, after its seed id)."""
    from . import html

    fetched = web.fetch(url)
    lesson, page = html.parse(fetched.html, Path("web.html"), url=fetched.final_url)
    lesson.source = Path(f"{lesson.seed_id}.html")
    _check(lesson, _article_bytes(lesson), url, bounded)
    return markdown.Document(lesson, source_url=page.url or fetched.final_url)


def _article_bytes(lesson: Lesson) -> bytes:
    """What a web page's digest is taken of: the article as read, not the page's bytes, which
    change with every rotated ad and comment count (an edited script would say its seed moved on)."""
    return to_markdown.dump(lesson).encode("utf-8")


def _check(lesson: Lesson, data: bytes, path: Path | str, bounded: bool = True) -> None:
    lesson.digest = hashlib.sha256(data).hexdigest()
    drop_unreadable(lesson)
    if not any(s.paragraphs or s.quotes or s.terms for s in lesson.sections):
        raise AudiogenError(f"{path}: no lesson text found (only a title or page noise)")
    if bounded:
        limits.apply(lesson)  # lengths bounded, what was cut said in lesson.trimmed
