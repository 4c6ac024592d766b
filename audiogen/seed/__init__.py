"""Read a seed (a blog article as .txt, or our own Markdown) into a Lesson.

Seeds come from copy-pasted web pages, so the reader's job is mostly to
know what to throw away and to recognise the few things a lesson is made of:
section headings, English key sentences in quotes, and English terms in
parentheses after the Korean words they gloss. Pure: no audio, no network.

Where things live: `files` (finding, bytes, encodings, damage), `noise`
(what a web page adds: menus, footers, bylines, dates), `headings`,
`quotes`, `terms`, `sections` (collecting blocks into Sections), and the two
readers, `plain` (.txt) and `markdown` (.md).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import AudiogenError
from ..model import Lesson
from . import limits, markdown, plain
from .files import (
    DAMAGE_LIMIT, NOT_SEEDS, SEED_SUFFIXES, UNREADABLE, UNSUPPORTED_SUFFIXES,
    check_suffix, decode, drop_unreadable, find, load_bytes, seed_id_for, unsupported,
)
from .noise import parse_date
from .quotes import extract_inline_quotes
from .terms import extract_terms

__all__ = [
    "read", "find", "unsupported", "seed_id_for", "parse_date", "extract_terms", "extract_inline_quotes",
    "SEED_SUFFIXES", "NOT_SEEDS", "UNSUPPORTED_SUFFIXES", "DAMAGE_LIMIT", "UNREADABLE",
]


def read(path: Path, max_bytes: int = 2_000_000) -> Lesson:
    """Read one seed file into a Lesson; any problem is an AudiogenError naming the file."""
    check_suffix(path)
    data = load_bytes(path, max_bytes)
    text = decode(data, path)
    if path.suffix.lower() in (".md", ".markdown"):
        lesson = markdown.parse(text, path)
    else:
        lesson = plain.parse(text, path)
    lesson.digest = hashlib.sha256(data).hexdigest()
    drop_unreadable(lesson)
    if not any(s.paragraphs or s.quotes or s.terms for s in lesson.sections):
        raise AudiogenError(f"{path}: no lesson text found (only a title or page noise)")
    return limits.apply(lesson)
