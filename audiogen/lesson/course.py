"""The course: the show-wide steps that turn every article's lessons into one show.

Articles are put in show order (oldest first), each gets a season (the one it was first
published under), and their scripts are written one episode after another in the order the
articles were first published in, so one schedule runs over the whole show:

- an item (a term or key sentence, known by its English, case and inflection aside) first taught
  in lesson step n comes back as a drill in steps n+1, n+2, n+4, n+8 and n+16 (`RECALL_STEPS`;
  five recalls, then the item is left to the reviews and the deck). Steps are trailers and
  lessons, in course order; review episodes are extra and not steps.
- each episode recalls at most `OPENING_ITEMS` items (and `OPENING_SECONDS`) before its new
  material and `RECAP_ITEMS` (`RECAP_SECONDS`) more inside its recap, the most overdue first
  (overdue relative to the item's gap, so a late n+1 beats a late n+16); what does not fit waits,
  and its next gap is never shorter than the last one (gaps never shrink).
- an item already taught is never introduced again: the lesson recalls it, with the meaning it
  was first taught with. A key sentence without a Korean meaning is recalled by shadowing (heard,
  said after), never cued, and the show says it at most `SHADOW_HEARD` times in all: a learner
  who was never told what it means should not be made to parrot it.
- review episodes close articles (`reviews.reviews`): every item of the lessons they cover, the
  trailer's too, least recalled first.

Causal: what an episode recalls depends only on the episodes before it, so adding an article
(which comes after every published one) changes no published lesson.

Pure: no files, no audio. The caller gives the dates, the seasons already published and,
optionally, a function that swaps a generated script for the user's edited one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..config import LessonSettings
from ..errors import AudiogenError
from ..model import Lesson, Line, Script
from . import phrases, reviews
from . import writer
from .lines import estimate_seconds, top_up

# (generated script, the lesson it comes from or None for a review) -> the script to use
Edited = Callable[[Script, Lesson | None], Script]


def in_show_order(lessons: list[Lesson], date_of: Callable[[Lesson], dt.date]) -> list[Lesson]:
    """Oldest seed first: the order of a course, and of the feed."""
    return sorted(lessons, key=lambda les: (date_of(les), les.seed_id))


def seasons_for(lessons: list[Lesson], known: Mapping[str, int]) -> dict[str, int]:
    """Each article's season: the one it was published under (`known`, kept even after the
    article was removed); a new article takes the next number, so adding, removing or
    back-dating an article never moves another one's season."""
    seasons = dict(known)
    for lesson in lessons:  # in show order
        if lesson.seed_id not in seasons:
            seasons[lesson.seed_id] = max(seasons.values(), default=0) + 1
    return dict(sorted(seasons.items()))


RECALL_STEPS = (1, 2, 4, 8, 16)  # lesson steps after an item is taught; the ceiling is the last
MIN_RECALLS = 3  # recalls every item gets first, when lessons follow: n+1, n+2, n+4
OPENING_ITEMS, OPENING_SECONDS = 4, 60.0  # recall before a lesson's new material, at most
RECAP_ITEMS, RECAP_SECONDS = 4, 60.0  # and inside its recap
REVIEW_LISTEN_SHARE = 0.33  # a review ends with the sentences heard again until English has this share
SHADOW_HEARD = 8  # a sentence without a Korean meaning is heard at most this often in the whole show


@dataclass
class Memory:
    """One item in the course: where it was taught and the steps it was recalled in."""

    key: str
    item: reviews.Item
    seed_id: str
    taught: int
    recalls: list[int] = field(default_factory=list)
    # every English line the show has said so far, whole (the schedule's own count, shared)
    said: Counter[str] = field(default_factory=Counter)

    @property
    def heard(self) -> int:
        """How often the show has said it, the trailer's list and an outro before it was taught included."""
        return self.said[self.item.answer]

    def spent(self, keep: int = 0) -> bool:
        """A shadowed sentence heard as often as one without a meaning may be, less `keep` hearings
        (a lesson keeps one for the review that closes the article): never asked again."""
        return self.item.shadowed and self.heard >= SHADOW_HEARD - keep

    def due(self) -> tuple[int, int] | None:
        """(the step it is due in, the gap that makes it due), or None past the ceiling."""
        k = len(self.recalls)
        if k >= len(RECALL_STEPS) or self.spent(keep=1):
            return None
        times = [self.taught] + self.recalls
        interval = RECALL_STEPS[k] - (RECALL_STEPS[k - 1] if k else 0)
        gap = max(interval, times[-1] - times[-2] if len(times) > 1 else 0)  # gaps never shrink
        return times[-1] + gap, gap

    def recalled_by(self, step: int) -> int:
        return sum(1 for r in self.recalls if r <= step)


class Schedule:
    """The recall schedule, one step at a time: `plan` what the next episode recalls, then
    `record` the episode as it really is (an edited script is recorded as edited)."""

    def __init__(self, settings: LessonSettings):
        self.settings = settings
        self.memory: dict[str, Memory] = {}
        self.step = 0
        self.said: Counter[str] = Counter()  # every English line the show has said so far, whole

    def taught(self) -> frozenset[str]:
        return frozenset(self.memory)

    def plan(self) -> writer.Recall:
        due = [(m, d) for m in self.memory.values() if (d := m.due()) is not None and d[0] <= self.step]
        # the least recalled first up to MIN_RECALLS (an item's n+1 before another's n+4), then the
        # most overdue relative to its gap (a late n+8 before an on-time n+16)
        due.sort(key=lambda md: (min(len(md[0].recalls), MIN_RECALLS), -(self.step - md[1][0]) / md[1][1],
                                 md[0].taught, md[0].key))
        opening: list[list[Line]] = []
        recap: list[list[Line]] = []
        for m, _ in due:
            lines = m.item.drill("review", self.settings)
            for block, items, seconds in ((opening, OPENING_ITEMS, OPENING_SECONDS),
                                          (recap, RECAP_ITEMS, RECAP_SECONDS)):
                if len(block) < items and estimate_seconds([x for d in block for x in d] + lines) <= seconds:
                    block.append(lines)
                    break
        return writer.Recall(opening=opening, recap=recap, taught=self.taught(), earlier=self.earlier())

    def earlier(self) -> list[str]:
        """Items taught with a meaning, sentences first, each the soonest due first (then the newest):
        what a short episode may hear again (`writer.hear_earlier`; not what it drills). Never a
        shadowed sentence: the show says one of those a bounded number of times."""
        found = [m for m in self.memory.values() if not m.item.shadowed]
        found.sort(key=lambda m: (not m.item.sentence, (d[0] if (d := m.due()) else self.step + RECALL_STEPS[-1]),
                                  -m.taught, m.key))
        return [m.item.answer for m in found]

    def record(self, script: Script) -> int:
        """The episode's new items and its recalls; returns its step (None for a review)."""
        step = self.step
        self.said.update(line.text for line in script.lines if line.spoken and line.lang == "en")
        for item in reviews.items_of(script):
            key = writer.item_key(item.answer)
            if key not in self.memory:
                self.memory[key] = Memory(key, item, script.seed_id, step, said=self.said)
        for answer in reviews.recalled_in(script):
            m = self.memory.get(writer.item_key(answer))
            if m is not None and m.taught < step and step not in m.recalls:
                m.recalls.append(step)
        self.step += 1
        return step

    def review_items(self, covered: list[Script], step: int) -> list[reviews.Item]:
        """Every item the covered episodes taught, the least recalled (up to `step`) first."""
        keys = list(dict.fromkeys(writer.item_key(it.answer) for s in covered for it in reviews.items_of(s)))
        found = [self.memory[k] for k in keys if k in self.memory and not self.memory[k].spent()]
        found.sort(key=lambda m: (m.recalled_by(step), m.taught))
        return [m.item for m in found]


def write_scripts(lessons: list[Lesson], settings: LessonSettings, date_of: Callable[[Lesson], dt.date],
                  known_seasons: Mapping[str, int], edited: Edited | None = None) -> list[Script]:
    """Lessons (in show order) into scripts, edited scripts overriding, each episode recalling
    earlier items on the schedule, review episodes woven in; in show order.

    "Earlier" is the order the articles were first published in (their seasons), not their
    dates: an article added later, even one dated before the others, comes after them, so a
    published lesson never starts recalling something else, and no review moves.
    """
    seasons = seasons_for(lessons, known_seasons)
    schedule = Schedule(settings)
    written: dict[str, list[Script]] = {}
    steps: dict[int, int] = {}  # id(script) -> its step
    for lesson in sorted(lessons, key=lambda les: seasons[les.seed_id]):  # stable
        day = date_of(lesson)
        done: list[Script] = []

        def finish(s: Script, lesson: Lesson = lesson, day: dt.date = day, done: list[Script] = done) -> None:
            s = edited(s, lesson) if edited else s
            s.date = day
            steps[id(s)] = schedule.record(s)
            done.append(s)

        def recall_for(so_far: list[Script], done: list[Script] = done, finish=finish) -> writer.Recall:
            for s in so_far[len(done):]:
                finish(s)
            return schedule.plan()

        for s in writer.write(lesson, settings, recall_for)[len(done):]:
            finish(s)
        written[lesson.seed_id] = done
    in_course = [s for lesson in sorted(lessons, key=lambda les: seasons[les.seed_id]) for s in written[lesson.seed_id]]
    scripts = [s for lesson in lessons for s in written[lesson.seed_id]]
    titles = {lesson.seed_id: lesson.title for lesson in lessons}
    told = {s.seed_id for s in in_course if s.episode_type == "trailer"}
    for last, covered in reviews.reviews(in_course, settings):
        items = schedule.review_items(covered, steps[id(last)])
        review = reviews.review(last, items, settings, titles.get(last.seed_id, last.title), last.seed_id in told)
        review = listening_pass(review, items)
        review = edited(review, None) if edited else review
        review.date = last.date
        scripts.insert(scripts.index(last) + 1, review)
    slugs = [s.slug for s in scripts]
    if len(set(slugs)) != len(slugs):
        dup = next(s for s in slugs if slugs.count(s) > 1)
        raise AudiogenError(f"two episodes would share the name '{dup}'; give the seeds different ids")
    return scripts


def listening_pass(review: Script, items: list[reviews.Item]) -> Script:
    """The review's sentences (then terms) heard once more before its outro, only as many as bring
    English to REVIEW_LISTEN_SHARE of its airtime (drills are mostly Korean cues and silence)."""
    english = [it.answer for it in sorted(items, key=lambda it: not it.sentence) if not it.shadowed]
    rounds = 3 if len(items) < reviews.REVIEW_TWICE_BELOW else 2  # a short review drilled its items twice
    return dataclasses.replace(review, lines=top_up(review.lines, english * rounds, REVIEW_LISTEN_SHARE, "review",
                                                    phrases.LISTEN_AGAIN))
