"""Graduated recall across lessons and articles.

`recall` opens every lesson after the first of a show with two or three items
from 1 and 3 lessons back (earlier articles and trailers count), asked anticipation style.
`reviews` adds a review episode (type bonus) closing every article of three or
more lessons, and a series of shorter articles every `review_every` lessons,
with items from the article's lessons and from 5 and 10 lessons back.

Items are read back from the scripts' own drills (cue, pause, answer), so a
hand-edited script is recalled as edited.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass

from ..config import LessonSettings
from ..model import Line, Script
from . import phrases
from .lines import learner_seconds, pause, say, shadowing, sting, topic
from .writer import GUID_NAMESPACE

REVIEW_MIN_LESSONS = 3  # an article this long is closed by a review, built alone or not
REVIEW_SPACED = (5, 10)  # a review also brings back lessons 5 and 10 before its own
REVIEW_LESSONS_MAX = 8  # lessons a review covers at most (the newest)
REVIEW_TERMS_PER_LESSON = 3
REVIEW_QUOTES_PER_LESSON = 2  # sentences carry more English than terms: a review is mostly speaking


@dataclass(frozen=True)
class Item:
    """Something a lesson taught: the cue lines that ask for it and the English answer."""

    cue: tuple[Line, ...]
    answer: str

    @property
    def sentence(self) -> bool:
        return len(self.answer.split()) > 4

    def drill(self, part: str, settings: LessonSettings) -> list[Line]:
        cue = [dataclasses.replace(line, part=part) for line in self.cue]
        answer = say("answer", self.answer, part, lang="en")
        return cue + [pause(learner_seconds(self.answer, 1.0, settings), part)] + answer + shadowing(
            self.answer, part, settings)


def items_of(script: Script) -> list[Item]:
    """The drills of a script (cue lines, a pause, the answer), terms first, each answer once."""
    out: list[Item] = []
    lines = script.lines
    i = 0
    while i < len(lines):
        if lines[i].kind != "cue":
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].kind == "cue":
            j += 1
        answer = next((x for x in lines[j:j + 2] if x.kind == "answer"), None)
        if answer and lines[i].part != "review" and all(answer.text != it.answer for it in out):
            out.append(Item(tuple(lines[i:j]), answer.text))
        i = j
    return sorted(out, key=lambda it: it.sentence)


def _picked(script: Script, terms: int, quotes: int) -> list[Item]:
    items = items_of(script)
    return [it for it in items if not it.sentence][:terms] + [it for it in items if it.sentence][:quotes]


def recall(scripts: list[Script], settings: LessonSettings) -> list[Script]:
    """Every full lesson after the first of the show, with a recall of earlier items after its
    opening (scripts in show order; trailers and edited scripts are left as they are). A trailer's
    items count as a lesson's: the first lesson after it recalls what the trailer taught."""
    fulls = [s for s in scripts if s.episode_type in ("full", "trailer")]
    place = {id(s): k for k, s in enumerate(fulls)}
    out: list[Script] = []
    for s in scripts:
        k = place.get(id(s))
        if k is None or k == 0 or s.edited or s.episode_type != "full":
            out.append(s)
            continue
        older = k - 3 if k >= 3 else k - 2  # 3 lessons back, or 2 while there are not three
        sources = [_picked(fulls[k - 1], 1, 1)]
        if older >= 0:
            sources.append(_picked(fulls[older], 0, 1) or _picked(fulls[older], 1, 0))
        chosen: list[Item] = []
        for it in (it for items in sources for it in items):
            if all(it.answer != c.answer for c in chosen):
                chosen.append(it)
        lines: list[Line] = []
        for it in chosen:
            lines += it.drill("review", settings)
        if lines:
            lines = say("lead", phrases.RECALL, "review", lang="ko") + lines
        at = max((i for i, line in enumerate(s.lines) if line.part == "opening"), default=-1) + 1
        out.append(dataclasses.replace(s, lines=s.lines[:at] + lines + s.lines[at:]))
    return out


def reviews(scripts: list[Script], settings: LessonSettings, titles: dict[str, str]) -> list[Script]:
    """Bonus review episodes (scripts in show order; `titles`: each seed's title).

    A review closes every article of REVIEW_MIN_LESSONS or more lessons, also one built on its
    own; a run of shorter articles gets one when at least `review_every` lessons have passed
    since the last and another article follows. `review_every = 0` turns reviews off.
    """
    if settings.review_every <= 0:
        return []
    fulls = [s for s in scripts if s.episode_type == "full"]
    out: list[Script] = []
    since: list[Script] = []
    for end, lesson in enumerate(fulls, start=1):
        since.append(lesson)
        last_of_seed = end == len(fulls) or fulls[end].seed_id != lesson.seed_id
        if not last_of_seed:
            continue
        own = [s for s in fulls[:end] if s.seed_id == lesson.seed_id]
        followed = end < len(fulls)
        if len(own) >= REVIEW_MIN_LESSONS or (followed and len(since) >= settings.review_every):
            covered = since[-REVIEW_LESSONS_MAX:]
            spaced = [fulls[end - 1 - off] for off in REVIEW_SPACED if end - 1 - off >= 0
                      and fulls[end - 1 - off] not in covered]
            out.append(_review(lesson, covered + spaced, settings, titles.get(lesson.seed_id, lesson.title)))
            since = []
    return out


def _review(last: Script, picked: list[Script], settings: LessonSettings, title: str) -> Script:
    """Drills of the terms and up to two sentences of each lesson covered."""
    part = "review"
    lines = [sting("opening")]
    lines += say("announce", phrases.REVIEW, "opening", lang="ko")
    lines += say("heading", topic(title), "opening")
    lines += say("lead", phrases.HOW_DRILLS_WORK, "opening", lang="ko")
    keys: list[str] = []
    for script in picked:
        for item in _picked(script, REVIEW_TERMS_PER_LESSON, REVIEW_QUOTES_PER_LESSON):
            if item.answer in keys:
                continue
            keys.append(item.answer)
            lines += item.drill(part, settings)
    for key in keys:  # and everything once more in a row, to listen
        lines += say("recap", key, "recap", lang="en")
    lines += say("outro", phrases.REVIEW_DONE, "outro", lang="ko")
    lines.append(sting("outro"))
    reviewed = ", ".join(s.title for s in picked)
    described = [f"“{e}”" if len(e.split()) > 4 else e for e in keys]
    description = f"지난 레슨({reviewed})의 표현과 문장을 복습합니다."
    if described:
        description += " Key expressions: " + ", ".join(described) + "."
    return Script(
        slug=f"{last.seed_id}-review",
        # the article it closes, never its place in the show: adding another article keeps it
        guid=str(uuid.uuid5(GUID_NAMESPACE, f"{last.seed_id}/review")),
        title=f"{title} (복습)",
        episode_type="bonus",
        seed_id=last.seed_id,
        section_key="review",
        description=description,
        lines=lines,
        number=None,
        date=last.date,
        order=last.order,
    )
