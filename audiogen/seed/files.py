"""A seed's file: finding it, reading its bytes, decoding them, naming the lesson.

Everything here is about the file, not the article: what counts as a seed in a
folder, which encodings we accept and how we explain the others, and how a
file with a few broken bytes is still read (its damaged sections left out).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import AudiogenError
from ..model import Lesson
from ..text import has_hangul, short_hash, slugify
from .web import check_url

SEED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
# Documentation that may live in a seeds folder without being a seed.
NOT_SEEDS = {"readme.md", "format.md", "readme.txt", "license.txt", "changelog.md"}
# Documents a user may well drop into the seeds folder, which we cannot read.
UNSUPPORTED_SUFFIXES = (".docx", ".doc", ".pdf", ".hwp", ".hwpx", ".rtf", ".odt", ".pages")


def find(paths: list[Path | str]) -> list[Path | str]:
    """Seeds named by `paths`: an http(s) address or a file as is, a folder's
    *.txt/*.md/*.html sorted by name."""
    found: list[Path | str] = []
    for path in paths:
        if isinstance(path, str):
            found.append(check_url(path))
        elif path.is_file():
            check_suffix(path)
            found.append(path)
        elif path.is_dir():
            seeds = sorted(
                (p for p in path.iterdir()
                 if p.is_file() and p.suffix.lower() in SEED_SUFFIXES
                 and p.name.lower() not in NOT_SEEDS and not p.name.startswith((".", "_"))),
                key=lambda p: p.name,
            )
            if not seeds:
                skipped = unsupported([path])
                hint = f"; {skipped[0].name} is not a supported seed type: save it as .txt or .md" if skipped else ""
                raise AudiogenError(f"{path}: no seeds here (expected *.txt, *.md or *.html files){hint}")
            found.extend(seeds)
        else:
            raise AudiogenError(f"{path}: no such seed file or folder")
    return found


def unsupported(paths: list[Path | str]) -> list[Path]:
    """Documents in the folders among `paths` that `find` skips (.docx, .pdf, .hwp...),
    sorted by name, so the caller can warn that they were not read."""
    skipped: list[Path] = []
    for path in paths:
        if isinstance(path, Path) and path.is_dir():
            skipped += sorted((p for p in path.iterdir()
                               if p.is_file() and p.suffix.lower() in UNSUPPORTED_SUFFIXES
                               and not p.name.startswith((".", "_", "~$"))), key=lambda p: p.name)
    return skipped


def check_suffix(path: Path) -> None:
    if path.suffix.lower() in UNSUPPORTED_SUFFIXES:
        raise AudiogenError(f"{path}: not a supported seed type ({path.suffix.lower()}); save it as .txt or .md")


def load_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        if not path.exists():
            raise AudiogenError(f"{path}: no such seed file")
        if not path.is_file():
            raise AudiogenError(f"{path}: not a file")
        size = path.stat().st_size
        if size > max_bytes:
            raise AudiogenError(f"{path}: too large ({size:,} bytes; the limit is {max_bytes:,} bytes)")
        data = path.read_bytes()
    except OSError as e:
        raise AudiogenError(f"{path}: cannot read the seed: {e.strerror or e}") from None
    if len(data) > max_bytes:
        raise AudiogenError(f"{path}: too large (the limit is {max_bytes:,} bytes)")
    return data


# A UTF-8 file with a few broken bytes (a damaged copy, a bad paste) is read; the sections
# holding them are left out and reported. More than this share of broken characters means
# the file is in another encoding, or not text at all.
DAMAGE_LIMIT = 0.02
UNREADABLE = "\ufffd"


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (a BOM is fine) or UTF-16 with a BOM; anything else is explained."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise AudiogenError(f"{path}: starts like UTF-16 but does not decode; save it as UTF-8") from None
    else:
        if data.count(b"\x00") > len(data) * DAMAGE_LIMIT:
            raise AudiogenError(f"{path}: looks like a binary file, not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("utf-8-sig", errors="replace")
            if text.count(UNREADABLE) > len(text) * DAMAGE_LIMIT:  # not a damaged spot: another encoding
                try:
                    guess = data.decode("cp949")
                except UnicodeDecodeError:
                    guess = ""
                if has_hangul(guess):
                    raise AudiogenError(f"{path}: not UTF-8; it looks like CP949/EUC-KR: save it as UTF-8") from None
                raise AudiogenError(f"{path}: not UTF-8 text; save it as UTF-8") from None
        text = text.replace("\x00", UNREADABLE)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise AudiogenError(f"{path}: the seed is empty")
    if "\x00" in text:
        raise AudiogenError(f"{path}: looks like a binary file, not text")
    return text


def drop_unreadable(lesson: Lesson) -> None:
    """Leave out the sections that hold broken bytes, saying which."""
    kept = []
    for section in lesson.sections:
        texts = [section.heading, *section.paragraphs, *section.notes,
                 *(q.english + (q.korean or "") for q in section.quotes),
                 *(t.english + t.korean for t in section.terms)]
        if any(UNREADABLE in t for t in texts):
            name = f"section {section.key}" if section.kind == "section" else f"the {section.kind}"
            lesson.problems.append(f"{name} ({section.heading[:40].replace(UNREADABLE, '?')!r}) "
                                   "holds bytes that are not UTF-8 text; left out")
        else:
            kept.append(section)
    lesson.sections = kept
    if UNREADABLE in lesson.title:
        lesson.title = lesson.title.replace(UNREADABLE, "").strip() or lesson.source.stem


def seed_id_for(stem: str) -> str:
    """ASCII slug of the file stem; a stem with non-ASCII letters gets `seed-<hash>`."""
    stem = unicodedata.normalize("NFC", stem)
    slug = slugify(stem)
    if not slug or not stem.isascii():
        return "seed-" + short_hash(stem)
    return slug


def title_from_stem(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip() or "Untitled"
