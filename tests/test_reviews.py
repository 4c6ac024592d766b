"""Graduated recall: each lesson recalls earlier ones (across articles too), and review episodes
close every article of three or more lessons, with GUIDs no other article can move."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest

from audiogen.config import LessonSettings
from audiogen.lesson import reviews
from audiogen.lesson import writer as script
from audiogen.model import Lesson, Quote, Section, Term

from test_writer import ALL, course, drills


def seeds(*sizes: int, settings: LessonSettings | None = None) -> list[script.Script]:
    """Articles of the given sizes, each lesson teaching term{k} and a sentence, in show order."""
    settings = settings or LessonSettings()
    out, k = [], 0
    for i, size in enumerate(sizes):
        sections = []
        for _ in range(size):
            k += 1
            sections.append(Section(str(len(sections) + 1), "section", f"주제 {k}", paragraphs=[f"{k}번째 본문입니다."],
                                    quotes=[Quote(f"Sentence number {k} is here for you.", f"{k}번 문장입니다.")],
                                    terms=[Term(f"term{k}", f"용어{k}")]))
        lesson = Lesson(seed_id=f"seed{i}", source=Path(f"seed{i}.md"), title=f"기사 {i}", date=dt.date(2025, 3, 4),
                        sections=sections)
        out += script.write(lesson, settings)
    return reviews.recall(out, settings)


def titles(scripts):
    return {s.seed_id: s.seed_id for s in scripts}


def test_every_lesson_after_the_first_recalls_earlier_items():
    scripts = seeds(3, 2)
    fulls = [s for s in scripts if s.episode_type == "full"]
    assert not any(l.part == "review" for l in fulls[0].lines)
    for k, s in enumerate(fulls[1:], start=1):
        recalled = [answer.text for _, _, answer in drills([l for l in s.lines if l.part == "review"])]
        assert 2 <= len(recalled) <= 3, (s.slug, recalled)
        earlier = {l.text for f in fulls[:k] for l in f.lines if l.kind in ("term", "quote")}
        assert set(recalled) <= earlier
        assert any(r in {l.text for l in fulls[k - 1].lines} for r in recalled)  # 1 lesson back
    # lesson 5 recalls lessons 4 and 2 (3 back), and the first lesson of seed1 recalls seed0
    fifth = [a.text for _, _, a in drills([l for l in fulls[4].lines if l.part == "review"])]
    assert "term4" in fifth and any("2" in t for t in fifth)
    first_of_second = next(s for s in fulls if s.seed_id == "seed1")
    assert any(a.text in ("term3", "Sentence number 3 is here for you.")
               for _, _, a in drills(first_of_second.lines))


def test_recall_across_our_articles():
    scripts = course(*ALL)
    fulls = [s for s in scripts if s.episode_type == "full"]
    for s in fulls[1:]:
        assert drills([l for l in s.lines if l.part == "review"]), s.slug


@pytest.mark.parametrize("sizes, closing", [
    ((4,), ["seed0"]),  # an article built on its own, of 3+ lessons
    ((2,), []),  # too short, and nothing follows
    ((3, 2), ["seed0"]),  # the short last article: 2 since the last review, nothing follows
    ((2, 2, 1), ["seed1"]),  # short articles: after 4 lessons, when another article follows
    ((1, 1, 1, 1, 1), ["seed2"]),
])
def test_reviews_close_articles_of_three_lessons_and_series(sizes, closing):
    scripts = seeds(*sizes)
    made = reviews.reviews([s for s in scripts if s.episode_type == "full"], LessonSettings(review_every=3),
                           titles(scripts))
    assert [r.seed_id for r in made] == closing
    assert all(r.episode_type == "bonus" and r.slug == f"{r.seed_id}-review" for r in made)


def test_reviews_off():
    scripts = seeds(4, 3)
    assert reviews.reviews(scripts, LessonSettings(review_every=0), titles(scripts)) == []


def test_review_drills_and_repeat():
    scripts = seeds(4)
    review = reviews.reviews([s for s in scripts if s.episode_type == "full"], LessonSettings(), titles(scripts))[0]
    body = [l for l in review.lines if l.part == "review"]
    assert [(l.kind, l.lang) for l in body[:3]] == [("cue", "ko"), ("pause", None), ("answer", "en")]
    sentence = next(i for i, l in enumerate(body) if l.kind == "answer" and len(l.text.split()) > 4)
    assert [l.kind for l in body[sentence - 2:sentence + 3]] == ["cue", "pause", "answer", "pause", "answer"]
    answered = {a.text for _, _, a in drills(body)}
    assert {"term1", "term2", "term3", "term4"} <= answered


def test_review_guids_are_stable_when_other_articles_come_and_go():
    alone = seeds(4)
    with_others = seeds(2, 4, 1)  # seed1 is the same size; rename to compare the same article
    a = reviews.reviews(alone, LessonSettings(), titles(alone))[0]
    b = next(r for r in reviews.reviews(with_others, LessonSettings(), titles(with_others)) if r.seed_id == "seed1")
    assert a.guid == str(uuid.uuid5(script.GUID_NAMESPACE, "seed0/review"))
    assert b.guid == str(uuid.uuid5(script.GUID_NAMESPACE, "seed1/review"))
    # the same article, with or without another before it: the same GUID
    later = seeds(2, 4)
    first = reviews.reviews(seeds(4), LessonSettings(), titles(alone))[0]
    moved = [s for s in later]
    for s in moved:
        s.seed_id = {"seed0": "other", "seed1": "seed0"}[s.seed_id]
    again = next(r for r in reviews.reviews(moved, LessonSettings(), titles(moved)) if r.seed_id == "seed0")
    assert again.guid == first.guid


def test_an_edited_script_is_recalled_as_edited():
    scripts = seeds(2)
    first = scripts[0]
    cue = next(i for i, l in enumerate(first.lines) if l.kind == "cue")
    first.lines[cue] = first.lines[cue].__class__(**{**first.lines[cue].__dict__, "text": "고친 뜻, 영어로?"})
    again = reviews.recall([first, scripts[1]], LessonSettings())
    assert "고친 뜻, 영어로?" in [l.text for l in again[1].lines if l.part == "review"]


def test_our_articles_get_their_reviews():
    scripts = course(*ALL)
    bonus = [s.slug for s in scripts if s.episode_type == "bonus"]
    assert "offer-talk-review" in bonus and "meeting-notes-review" in bonus and "standup-review" in bonus
