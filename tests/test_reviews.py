"""Review episodes close every article of three or more lessons (and runs of shorter ones), drill
every item of what they cover, the trailer's too, least recalled first, with GUIDs no other article
can move; what a script teaches and recalls is read back from its own drills."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from pathlib import Path

import pytest

from audiogen.config import LessonSettings
from audiogen.lesson import course as courses
from audiogen.lesson import reviews
from audiogen.lesson import writer as script
from audiogen.model import Lesson, Quote, Section, Term

from test_writer import ALL, course, drills


def lessons(*sizes: int) -> list[Lesson]:
    """Articles of the given sizes, each lesson teaching term{k} and a sentence, in show order."""
    out, k = [], 0
    for i, size in enumerate(sizes):
        sections = []
        for _ in range(size):
            k += 1
            sections.append(Section(str(len(sections) + 1), "section", f"주제 {k}", paragraphs=[f"{k}번째 본문입니다."],
                                    quotes=[Quote(f"Sentence number {k} is here for you.", f"{k}번 문장입니다.")],
                                    terms=[Term(f"term{k}", f"용어{k}")]))
        out.append(Lesson(seed_id=f"seed{i}", source=Path(f"seed{i}.md"), title=f"기사 {i}",
                          date=dt.date(2025, 3, 4), sections=sections))
    return out


def seeds(*sizes: int, settings: LessonSettings | None = None, edited=None) -> list[script.Script]:
    return courses.write_scripts(lessons(*sizes), settings or LessonSettings(), lambda les: les.date, {}, edited)


@pytest.mark.parametrize("sizes, closing", [
    ((4,), ["seed0"]),  # an article built on its own, of 3+ lessons
    ((2,), []),  # too short, and nothing follows
    ((3, 2), ["seed0"]),  # the short last article: 2 since the last review, nothing follows
    ((2, 2, 1), ["seed1"]),  # short articles: after 4 lessons, when another article follows
    ((1, 1, 1, 1, 1), ["seed2"]),
])
def test_reviews_close_articles_of_three_lessons_and_series(sizes, closing):
    made = [s for s in seeds(*sizes, settings=LessonSettings(review_every=3)) if s.episode_type == "bonus"]
    assert [r.seed_id for r in made] == closing
    assert all(r.slug == f"{r.seed_id}-review" for r in made)


def test_reviews_off():
    assert not [s for s in seeds(4, 3, settings=LessonSettings(review_every=0)) if s.episode_type == "bonus"]


def test_a_review_drills_every_item_it_covers_least_recalled_first():
    scripts = seeds(4)
    review = next(s for s in scripts if s.episode_type == "bonus")
    body = [l for l in review.lines if l.part == "review"]
    assert [(l.kind, l.lang) for l in body[:3]] == [("cue", "ko"), ("pause", None), ("answer", "en")]
    sentence = next(i for i, l in enumerate(body) if l.kind == "answer" and len(l.text.split()) > 4)
    assert [l.kind for l in body[sentence - 2:sentence + 3]] == ["cue", "pause", "answer", "pause", "answer"]
    answered = [a.text for _, _, a in drills(body)]
    taught = [it.answer for s in scripts if s.episode_type == "full" for it in reviews.items_of(s)]
    assert set(answered) == set(taught)
    recalls = {t: sum(t in reviews.recalled_in(s) for s in scripts if s.episode_type == "full") for t in taught}
    assert [recalls[a] for a in answered] == sorted(recalls[a] for a in answered)


def test_review_guids_are_stable_when_other_articles_come_and_go():
    a = next(s for s in seeds(4) if s.episode_type == "bonus")
    b = next(s for s in seeds(2, 4, 1) if s.episode_type == "bonus" and s.seed_id == "seed1")
    assert a.guid == str(uuid.uuid5(script.GUID_NAMESPACE, "seed0/review"))
    assert b.guid == str(uuid.uuid5(script.GUID_NAMESPACE, "seed1/review"))


def test_an_edited_script_is_recalled_as_edited():
    def edited(generated, lesson):
        if generated.slug != "seed0-01":
            return generated
        lines = [dataclasses.replace(l, text="고친 뜻.") if l.kind == "cue" and l.text == "용어1." else l
                 for l in generated.lines]
        return dataclasses.replace(generated, lines=lines, edited=True)

    scripts = seeds(3, edited=edited)
    later = [l.text for s in scripts[1:] for l in s.lines if l.kind == "cue"]
    assert "고친 뜻." in later and "용어1." not in later


def test_what_a_script_recalls_is_not_its_own():
    scripts = seeds(4)
    for s in scripts:
        assert not set(reviews.recalled_in(s)) & {it.answer for it in reviews.items_of(s)}, s.slug


def test_our_articles_get_their_reviews():
    scripts = course(*ALL)
    bonus = [s.slug for s in scripts if s.episode_type == "bonus"]
    assert "offer-talk-review" in bonus and "meeting-notes-review" in bonus and "standup-review" in bonus
