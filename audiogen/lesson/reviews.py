"""Items and review episodes: what a lesson taught, as a drill to ask again, and the bonus
episodes that close articles.

`items_of` reads what an episode taught back from its own drills (cue, pause, answer of a term or
sentence it introduces), so a hand-edited script is recalled as edited and with the meaning it was
taught with. `reviews` adds a review episode (type bonus) closing every article of three or more
lessons, and a series of shorter articles every `review_every` lessons: every item of the
lessons it covers (the article's trailer too), least recalled first. When each item comes back in
the lessons is the course's schedule (`course.py`).
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass

from ..config import LessonSettings
from ..model import Line, Script
from . import phrases
from .lines import pause, recall_seconds, say, shadow, shadowing, shadows_told, sting, topic
from .writer import GUID_NAMESPACE

REVIEW_MIN_LESSONS = 3  # an article this long is closed by a review, built alone or not
REVIEW_LESSONS_MAX = 8  # lessons a review covers at most (the newest)
REVIEW_TWICE_BELOW = 6  # a review of fewer items than this drills each twice


@dataclass(frozen=True)
class Item:
    """Something a lesson taught: the cue lines that ask for it and the English answer (no cue: a
    sentence without a Korean meaning, which is shadowed, never drilled)."""

    cue: tuple[Line, ...]
    answer: str

    @property
    def sentence(self) -> bool:
        return len(self.answer.split()) > 4

    @property
    def shadowed(self) -> bool:
        return not self.cue

    def drill(self, part: str, settings: LessonSettings) -> list[Line]:
        """Cue, a pause to recall, the answer; a sentence gets a second try and the answer again.
        A shadowed sentence is heard and said after, once."""
        if self.shadowed:
            return shadow(self.answer, part, settings)
        cue = [dataclasses.replace(line, part=part) for line in self.cue]
        answer = say("answer", self.answer, part, lang="en")
        return cue + [pause(recall_seconds(self.answer, settings), part)] + answer + shadowing(
            self.answer, part, settings)


def items_of(script: Script) -> list[Item]:
    """The items a script introduces, as its drills ask for them (cue lines, a pause, the answer):
    a drill whose answer the script also teaches as a term or key sentence; terms first, each once.
    A key sentence it only shadows (an answer with no cue) is an item without a cue. A drill of
    something taught earlier (a recall) is not the script's item."""
    introduced = {line.text for line in script.lines if line.kind in ("term", "quote")
                  and line.part in ("expressions", "sentences")}
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
        if answer and answer.text in introduced and all(answer.text != it.answer for it in out):
            out.append(Item(tuple(lines[i:j]), answer.text))
        i = j
    for line in lines:  # shadowed: asked for as an answer, never cued
        if line.kind == "answer" and line.text in introduced and all(line.text != it.answer for it in out):
            out.append(Item((), line.text))
    return sorted(out, key=lambda it: it.sentence)


def recalled_in(script: Script) -> list[str]:
    """The English answers a script asks for (drilled or shadowed) that it does not itself
    introduce: what it recalls from earlier lessons (the page lists them)."""
    own = {it.answer for it in items_of(script)}
    return list(dict.fromkeys(line.text for line in script.lines if line.kind == "answer" and line.text not in own))


def reviews(scripts: list[Script], settings: LessonSettings) -> list[tuple[Script, list[Script]]]:
    """Where review episodes go (scripts in show order, trailers among them): for each review, the
    last lesson it follows and the episodes whose items it covers.

    A review closes every article of REVIEW_MIN_LESSONS or more lessons, also one built on its
    own; a run of shorter articles gets one when at least `review_every` lessons have passed
    since the last and another article follows. `review_every = 0` turns reviews off.
    """
    if settings.review_every <= 0:
        return []
    fulls = [s for s in scripts if s.episode_type == "full"]
    trailers = {s.seed_id: s for s in scripts if s.episode_type == "trailer"}
    out: list[tuple[Script, list[Script]]] = []
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
            seeds = list(dict.fromkeys(s.seed_id for s in covered))
            out.append((lesson, [trailers[k] for k in seeds if k in trailers] + covered))
            since = []
    return out


def review(last: Script, items: list[Item], settings: LessonSettings, title: str, told: bool) -> Script:
    """Every item given (the course orders them, least recalled first) as a drill, twice over in a
    review of few items; `told`: the article's trailer already said its title."""
    part = "review"
    lines = [sting("opening")]
    lines += say("announce", phrases.REVIEW, "opening", lang="ko")
    if not told:  # (how the drills work was said where the article's drills began, once)
        lines += say("heading", topic(title), "opening")
    # the sentences it shadows first, said after the lead, each after a pause: never straight after an answer
    for item in sorted(items, key=lambda it: not it.shadowed):
        lines += item.drill(part, settings)
    if len(items) < REVIEW_TWICE_BELOW:  # a short review asks its items again, the other way round
        for item in reversed([it for it in items if not it.shadowed]):  # (a shadowed one's hearings are counted)
            lines += item.drill(part, settings)
    lines = shadows_told(lines, phrases.SAY_AFTER)
    lines += say("outro", phrases.REVIEW_DONE, "outro", lang="ko")
    lines.append(sting("outro"))
    keys = [it.answer for it in items]
    described = [f"“{e}”" if len(e.split()) > 4 else e for e in keys]
    description = f"'{title}'에서 배운 표현과 문장을 복습합니다."
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
