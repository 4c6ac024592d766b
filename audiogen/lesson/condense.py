"""Narration told in whole sentences, condensed to fit the episode.

A sentence longer than a clip should be (a paragraph with no full stop) is cut
at clause boundaries first, so no single clip, and no episode, outgrows
[lesson] max_minutes whatever the punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..korean import run_on_sentences
from ..text import clean_spoken, has_hangul, speakable, split_sentences, spoken_seconds
from .chunks import bounded
from .lines import LINE_GAP

MAX_SPOKEN_CHARS = 240  # one narration clip at most (~30 s of Korean)
MAX_UNIT = 3  # sentences kept together at most


@dataclass(frozen=True)
class Told:
    """One sentence of narration, or a sub-heading, in seed order."""

    paragraph: int
    text: str
    heading: bool = False


_END_PUNCT = tuple(".!?…。:;,")


def is_subheading(paragraph: str) -> bool:
    """A short line without final punctuation (`블랙메일 실험`, `Why it matters`) is
    a heading inside a section, not a sentence of the narration."""
    text = clean_spoken(paragraph).rstrip("\"'”’)]")
    return (speakable(text) and len(text) <= 40 and len(text.split()) <= 8
            and not text.endswith(_END_PUNCT) and not paragraph.strip().startswith(("\"", "“")))


def sentence_items(paragraphs: list[str]) -> list[Told]:
    """Every sentence (cut to at most MAX_SPOKEN_CHARS) and sub-heading, in order."""
    items = []
    for p, paragraph in enumerate(paragraphs):
        if is_subheading(paragraph):
            items.append(Told(p, paragraph.strip(), heading=True))
            continue
        for sentence in split_sentences(paragraph):
            for whole in _unrun(sentence):
                for piece in bounded(whole, MAX_SPOKEN_CHARS):
                    if speakable(clean_spoken(piece)):
                        items.append(Told(p, piece))
    return items


RUN_ON_CHARS = 30  # a sentence this long may be two run together: the analyser looks


def _unrun(sentence: str) -> list[str]:
    """A Korean sentence cut where its verbs end (`korean.run_on_sentences`): the splitter only sees
    punctuation, and a blog post often runs two sentences together without it."""
    text = sentence.strip()
    if len(text) < RUN_ON_CHARS or not has_hangul(text):
        return [sentence]
    return run_on_sentences(text)


# A sentence that opens like this leans on the one before it; one that ends
# like this announces the next. Condensing keeps such pairs together.
_LEANS_BACK = re.compile(r"^(?:바로|이는|이 때문에|이처럼|이렇게|그래서|따라서|즉|그러나|하지만|"
                         r"또한|게다가|그러므로|그 결과|다시 말해)[\s,]")
_LEANS_FORWARD = re.compile(r"(?:이것입니다|다음과 같습니다|이렇습니다|때문입니다)[.!]?$|[:：]$")


def keep(items: list[Told], budget_s: float, keywords: list[str],
         seconds: Callable[[str], float] = spoken_seconds) -> set[int]:
    """Which sentences to tell, in order, within `budget_s` seconds of speech.

    When everything does not fit, sentences that use a taught expression (the
    article's key claim) come first, then the first sentence of each
    paragraph; a sentence that leans on its neighbour ("바로 ...", "하지만 ...",
    "...이것입니다.") is kept with it or not at all.
    """
    costs = [seconds(clean_spoken(it.text)) + LINE_GAP for it in items]
    if sum(costs) <= budget_s:
        return set(range(len(items)))
    units: list[list[int]] = []  # runs of sentences that only make sense together
    for i, it in enumerate(items):
        joined = units and i > 0 and (_LEANS_BACK.match(it.text) or _LEANS_FORWARD.search(items[i - 1].text.strip()))
        if joined and len(units[-1]) < MAX_UNIT:
            units[-1].append(i)
        else:
            units.append([i])

    def score(unit: list[int]) -> int:
        keyed = any(k and k in items[i].text for i in unit for k in keywords)
        first = unit[0] == 0 or items[unit[0] - 1].paragraph != items[unit[0]].paragraph
        return 3 * keyed + 2 * first

    kept: set[int] = set()
    used = 0.0
    for unit in sorted(units, key=lambda u: (-score(u), u[0])):
        cost = sum(costs[i] for i in unit)
        if used + cost > budget_s and score(unit) >= 3:
            # too long whole: the sentences that use the taught expression, without their neighbours
            # (a term heard without the sentence that gave it is taught without context)
            unit = [i for i in unit if any(k and k in items[i].text for k in keywords)]
            cost = sum(costs[i] for i in unit)
        if used + cost <= budget_s:
            kept.update(unit)
            used += cost
    return kept


def fit(items: list[Told], budget_s: float, keywords: list[str], room_s: float | None = None,
        seconds: Callable[[str], float] = spoken_seconds) -> set[int]:
    """Which items (sentences; headings follow what is kept under them) to tell in `budget_s` (speech
    timed by `seconds`); when not even one sentence fits that, the first sentence still does if the
    episode has `room_s`."""
    sentences = [i for i, it in enumerate(items) if not it.heading]
    kept = keep([items[i] for i in sentences], budget_s, keywords, seconds)
    if not kept and sentences and room_s is not None:  # one sentence: the one that gives a taught term, or the first
        one = next((k for k, i in enumerate(sentences) if any(w and w in items[i].text for w in keywords)), 0)
        return {sentences[one]} if keep([items[sentences[one]]], room_s, keywords, seconds) else set()
    return {sentences[k] for k in kept}
