"""The course: the show-wide steps that turn every article's lessons into one show.

Articles are put in show order (oldest first), each gets a season (the one it was first
published under), and their scripts are woven into one course: each lesson recalls earlier
items (`reviews.recall`) and review episodes close articles (`reviews.reviews`).

Pure: no files, no audio. The caller gives the dates, the seasons already published and,
optionally, a function that swaps a generated script for the user's edited one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from ..config import LessonSettings
from ..errors import AudiogenError
from ..model import Lesson, Script
from . import reviews
from . import writer

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


def write_scripts(lessons: list[Lesson], settings: LessonSettings, date_of: Callable[[Lesson], dt.date],
                  known_seasons: Mapping[str, int], edited: Edited | None = None) -> list[Script]:
    """Lessons (in show order) into scripts, edited scripts overriding, each lesson recalling
    earlier ones, review episodes woven in.

    "Earlier" is the order the articles were first published in (their seasons), not their
    dates: an article added later, even one dated before the others, comes after them, so a
    published lesson never starts recalling something else, and no review moves.
    """
    scripts: list[Script] = []
    for lesson in lessons:
        day = date_of(lesson)
        for s in writer.write(lesson, settings):
            s = edited(s, lesson) if edited else s
            s.date = day
            scripts.append(s)
    course = seasons_for(lessons, known_seasons)
    in_course = sorted(scripts, key=lambda s: course[s.seed_id])  # stable: an article's lessons keep their order
    recalled = reviews.recall(in_course, settings)  # the same scripts, in the same order, with their recall
    by_id = {id(old): new for old, new in zip(in_course, recalled)}
    scripts = [by_id[id(s)] for s in scripts]
    full = [s for s in recalled if s.episode_type == "full"]
    titles = {lesson.seed_id: lesson.title for lesson in lessons}
    for review in reviews.reviews(full, settings, titles):
        # right after the newest lesson it covers, whose seed and place it carries
        after = next(s for s in full if (s.seed_id, s.order) == (review.seed_id, review.order))
        review = edited(review, None) if edited else review
        review.date = after.date
        scripts.insert(scripts.index(after) + 1, review)
    slugs = [s.slug for s in scripts]
    if len(set(slugs)) != len(slugs):
        dup = next(s for s in slugs if slugs.count(s) > 1)
        raise AudiogenError(f"two episodes would share the name '{dup}'; give the seeds different ids")
    return scripts
