"""English key sentences in quotes, and the Korean translations written beside
or under them."""

from __future__ import annotations

import re

from ..model import Quote
from ..text import has_hangul, is_english
from .noise import squash

INLINE_QUOTE = re.compile(r"\"([^\"\n]{3,400})\"|“([^”\n]{3,400})”")
# a quote alone on its line (a list's bullet before it), maybe with its translation after a dash or colon
_QUOTE_LINE = re.compile(r"^(?:[-*•·▪◦]\s*)?[\"“](?P<q>[^\"“”]+?)[\"”]\s*(?:(?:[—–\-:=→]+|\()\s*(?P<g>.*?)\)?)?$")


# what the writer sets a quote against: `"I'm a PM at a startup"보다는 "I help hospitals ..."가`, `"X" 대신`,
# `"X"가 아니라`: the weaker example, never a model to practise
_SET_AGAINST = re.compile(r"^\s*(?:(?:이)?라고\s*(?:말하|하|쓰|답하)기\s*)?(?:보다|대신|(?:이|가)?\s*아니라)")


def extract_inline_quotes(text: str) -> list[Quote]:
    """English sentences quoted inside a (Korean) paragraph, except one the writer sets a better one
    against."""
    quotes = []
    for m in INLINE_QUOTE.finditer(text):
        q = (m.group(1) or m.group(2) or "").strip()
        if is_english(q, min_words=3) and has_hangul(text) and not _SET_AGAINST.match(text[m.end():m.end() + 16]):
            quotes.append(Quote(english=squash(q)))
    return quotes


def quote_line(line: str) -> Quote | None:
    """A line that is one quoted English sentence, maybe with a Korean gloss."""
    m = _QUOTE_LINE.match(line)
    if not m:
        return None
    english = m.group("q").strip()
    if not is_english(english, min_words=2):
        return None
    gloss = (m.group("g") or "").strip().strip("\"“”")
    return Quote(english=squash(english), korean=squash(gloss) if has_hangul(gloss) else None)


_GLOSS_LINE = re.compile(r"^(?:→|=>|->|번역\s*[:：]|해석\s*[:：]|뜻\s*[:：]|\(|\[)\s*(?P<g>.+?)[)\]]?$")


def gloss_line(line: str) -> str | None:
    m = _GLOSS_LINE.match(line)
    if m and has_hangul(m.group("g")) and not is_english(m.group("g")):
        return squash(m.group("g").strip("\"“”"))
    return None
