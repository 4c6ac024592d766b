"""Is an answer fit to teach? Pure checks, one per kind of answer; each returns the
answer cleaned up, or None (the item then falls back to the next source).

A meaning is Korean, short, not a Hangul spelling of the English, and carries no
English the Korean voice would have to say; a cleaned quote keeps the speaker's words;
a retelling adds no name or number the article lacks, is made of whole sentences and
says in English the English it talks about.
"""

from __future__ import annotations

import re

from ..korean import transliterates
from ..text import SAYS_ENGLISH, has_hangul, hangul_count, latin_words, split_sentences

TERM_MAX_SYLLABLES = 20  # a cue, not an explanation
# words a cleaned-up sentence may bring in to join what the speaker said ("this belief" -> "the belief")
JOINING_WORDS = frozenset("the a an that this it is was and but so of to".split())
_DIGITS = re.compile(r"\d+(?:[.,]\d+)?")
_SENTENCE_END = re.compile(r"[.!?…。？！][\"'”’)\]」』]*$")


def _squash(text: object) -> str:
    return " ".join(text.split()) if isinstance(text, str) else ""


def meaning(answer: dict, english: str, term: bool) -> str | None:
    """The Korean meaning of `english` (a term when `term`), if the answer gives a usable one."""
    korean = _squash(answer.get("korean"))
    korean = korean.strip("\"'“”‘’«»「」 ")
    if not korean or not has_hangul(korean) or latin_words(korean):
        return None  # empty, English, or English the Korean voice would say
    if re.search(r"[\u3400-\u4dbf\u4e00-\u9fff]", korean):
        return None  # Hanja or Chinese: not what a Korean voice reads
    syllables = hangul_count(korean)
    if term and (syllables > TERM_MAX_SYLLABLES or transliterates(korean, english)):
        return None
    if not term and syllables > 2.5 * len(english) ** 0.9 + 20:
        return None  # an essay, not a translation
    return korean.rstrip(".") if term else korean


def _words(text: str) -> list[str]:
    return [w.lower().strip("'’-") for w in latin_words(text)]


def cleaned_quote(answer: dict, original: str, limit: int) -> str | None:
    """A transcript quote made fit to repeat: English, shorter, in the speaker's own words."""
    cleaned = _squash(answer.get("english"))
    if not cleaned or has_hangul(cleaned) or len(cleaned) > limit or len(cleaned) > len(original):
        return None
    said, kept = set(_words(original)), _words(cleaned)
    if len(kept) < 4 or len(kept) < 0.4 * len(_words(original)):
        return None  # too little of it left to be what they said
    if any(w not in said and w not in JOINING_WORDS for w in kept):
        return None  # a word the speaker did not say
    if _DIGITS.findall(cleaned) and not set(_DIGITS.findall(cleaned)) <= set(_DIGITS.findall(original)):
        return None
    return cleaned


def retelling(answer: dict, article: str, limit: int) -> list[str] | None:
    """A section retold in Korean: whole sentences, within `limit` characters, naming nothing
    (no Latin-letter name, no number) the article does not."""
    sentences = answer.get("sentences")
    if not isinstance(sentences, list) or not sentences:
        return None
    told = [_squash(s) for s in sentences]
    if any(not s or not has_hangul(s) or not _SENTENCE_END.search(s) for s in told):
        return None
    if any(len(split_sentences(s)) > 1 for s in told):
        told = [part for s in told for part in split_sentences(s)]
    if sum(len(s) for s in told) > limit:
        return None
    text = " ".join(told)
    known_words = {w.lower() for w in latin_words(article)}
    if any(w.lower() not in known_words for w in latin_words(text)):
        return None  # a name (or any English) the article does not give
    if not set(_DIGITS.findall(text)) <= set(_DIGITS.findall(article)):
        return None  # a number the article does not give
    if known_words and any(SAYS_ENGLISH.search(s) and not latin_words(s) for s in told):
        return None  # 이를 영어로 따로 이야기하다라고 합니다: the English it is about, translated away
    return told
