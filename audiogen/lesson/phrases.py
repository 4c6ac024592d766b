"""Every Korean sentence the lessons say about themselves, in one place.

Framing is kept short (the learner came for English): a lesson opens with its
number and heading, the first lesson of an article says the article's title
once, and how the drills work is told once per article, not in every episode.
"""

from __future__ import annotations

import re

from ..korean import ordinal


def announce(number: int) -> str:
    """"두 번째 레슨." (the article's title, in its first lesson, is said as a heading after it)."""
    said = ordinal(number)
    return f"{said} 레슨." if said else f"레슨 {number}."


# said once per article, where its drills begin (a shadowed sentence follows a lead or a pause: `shadows_told`)
HOW_DRILLS_WORK = "뜻을 들으면 영어로 말해 보세요."
RECALL = "복습."
EXPRESSIONS = "표현."
SENTENCES = "문장."
RECAP = "정리."
TRAILER = "새 시리즈."
REVIEW = "복습 시간."
REVIEW_DONE = "복습을 마칩니다."
LISTEN_AGAIN = "다시 들어 보세요."  # before the English a lesson hears once more at the end of its recap
SAY_AFTER = "따라 말해 보세요."  # before a shadowed sentence that follows another answer


def cue(meaning: str) -> str:
    """The Korean prompt of a drill: the meaning alone (how drills work is told once); a question
    keeps its question mark, so the voice asks it."""
    if meaning.rstrip().endswith(("?", "？")):
        return meaning.rstrip(".!。 ").rstrip("?？ ") + "?"
    return meaning.rstrip(".!?。 ") + "."


def term_cue(meaning: str) -> str:
    """The Korean prompt of a term: its first meaning when the seed lists several (`공개하다, 밝히다`
    -> 공개하다.); the learner heard them all when the term was taught, and one names it."""
    first = meaning if "(" in meaning else re.split(r"\s*[,;]\s*", meaning.strip())[0]
    return cue(first if re.search(r"[\uac00-\ud7a3]", first) else meaning)


COMPLETE = "이어서 말해 보세요."  # the cue of a sentence whose Korean meaning is not known


def more_lessons(n: int) -> str:
    return f"그리고 레슨 {n}개가 더 있습니다."


def listed(number: int, heading: str) -> str:
    said = ordinal(number)
    return f"{said} 레슨, {ended(heading)}" if said else f"레슨 {number}, {ended(heading)}"


def ended(heading: str) -> str:
    """A heading said as a sentence: a stop unless it asks or exclaims (…것은요? never …것은요?.)."""
    heading = heading.rstrip(". ")
    return heading if heading.endswith(("?", "!", "？", "！")) else heading + "."


def next_lesson(heading: str | None) -> str:
    """What the outro says before the next lesson's heading (said as a heading of its own)."""
    return "다음 레슨은," if heading else "이 글의 마지막 레슨이었습니다."


FIRST_LESSON = "첫 번째 레슨에서 만나요."  # a trailer's goodbye: its list has just named the lesson


def earlier(heard: list[str]) -> str:
    """Before what a short episode hears again of earlier lessons: «앞서 배운 문장.», «앞서 배운 표현.» or
    both, by what follows (a sentence is more than four words, as the course counts them)."""
    sentences = [len(text.split()) > 4 for text in heard] or [True]
    kinds = (["문장"] if any(sentences) else []) + (["표현"] if not all(sentences) else [])
    return f"앞서 배운 {'과 '.join(kinds)}."
