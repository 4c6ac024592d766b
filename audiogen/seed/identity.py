"""Which published section a section of the seed is: the identity its GUID comes from.

A numbered heading (`## 2. ...`) names its own key. A plain one (`## 회의를 끝내는 법`)
is numbered in order when first published; after that it keeps the key of the
published section it matches, by heading and by content, so inserting, removing or
reordering sections never moves a GUID onto another section, and fixing a typo in a
heading keeps it. What was published is recorded per episode in the manifest: the
section's key, its heading and a small sketch of its words (never the text itself).

Pure: no files, no network.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Section

SKETCH_SIZE = 32  # words kept in a sketch: the estimate of shared words is good to about ±0.1
MATCH_AT = 0.55  # the least score at which a section is taken to be a published one
_WORD = re.compile(r"\w{2,}")


@dataclass(frozen=True)
class Published:
    """A section as the manifest recorded it."""

    key: str
    heading: str
    sketch: tuple[int, ...]


def sketch(section: Section) -> tuple[int, ...]:
    """The SKETCH_SIZE smallest hashes of the section's distinct words (narration, key
    sentences, terms, notes): two sketches estimate how many words two sections share."""
    text = " ".join([*section.paragraphs, *(q.english for q in section.quotes),
                     *(t.english for t in section.terms), *section.notes])
    words = {w.lower() for w in _WORD.findall(text)}
    return tuple(sorted(_hash(w) for w in words)[:SKETCH_SIZE])


def _hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=6).digest(), "big")


def resemblance(a: Iterable[int], b: Iterable[int]) -> float:
    """The share of words two sections have in common (Jaccard), estimated from their sketches."""
    a, b = set(a), set(b)
    if not a or not b:
        return 0.0
    union = sorted(a | b)[:SKETCH_SIZE]
    return sum(1 for h in union if h in a and h in b) / len(union)


def heading_likeness(a: str, b: str) -> float:
    """How alike two headings read (1.0 the same, after case and spacing)."""
    a, b = (" ".join(h.lower().split()) for h in (a, b))
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def score(section: Section, published: Published, own_sketch: tuple[int, ...]) -> float:
    """Mostly the better of the two likenesses, partly the worse: the same heading over new
    text is the same section (0.6), and so is the same text under a reworded heading."""
    h = heading_likeness(section.heading, published.heading)
    c = resemblance(own_sketch, published.sketch)
    return 0.6 * max(h, c) + 0.4 * min(h, c)


def keep_keys(sections: list[Section], published: list[Published]) -> None:
    """Give each plain-headed section the key of the published section it matches (best
    matches first, each published section to one section at most); a section that matches
    none takes a number above every key published or in use, never a published one."""
    plain = [s for s in sections if s.plain]
    if not plain or not published:
        return
    fixed = {s.key for s in sections if not s.plain}  # a numbered heading owns its number
    candidates = [p for p in published if p.key not in fixed]
    sketches = [sketch(s) for s in plain]
    pairs = sorted(((score(s, p, sk), -i, -j) for i, (s, sk) in enumerate(zip(plain, sketches))
                    for j, p in enumerate(candidates)), reverse=True)
    keys: dict[int, str] = {}
    used: set[int] = set()
    for value, i, j in pairs:
        i, j = -i, -j
        if value < MATCH_AT:
            break
        if i in keys or j in used:
            continue
        keys[i] = candidates[j].key
        used.add(j)
    numbers = [int(k) for k in [*fixed, *(p.key for p in published), *keys.values()] if k.isdigit()]
    following = max(numbers, default=0) + 1
    for i, section in enumerate(plain):
        if i in keys:
            section.key = keys[i]
        else:
            section.key = str(following)
            following += 1
