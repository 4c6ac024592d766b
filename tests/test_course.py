"""The course on its own, without audio: show order, seasons that never move, and the scripts
of every article woven into one show (recall follows the seasons, not the dates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from audiogen.config import LessonSettings
from audiogen.lesson import course
from audiogen.model import Lesson, Quote, Section, Term


def article(seed_id: str, day: dt.date, size: int = 1) -> Lesson:
    sections = [Section(str(k), "section", f"{seed_id} 주제 {k}", paragraphs=[f"{seed_id}의 {k}번째 본문입니다."],
                        quotes=[Quote(f"The {seed_id} sentence number {k} is here.", f"{seed_id} {k}번 문장입니다.")],
                        terms=[Term(f"{seed_id} term {k}", f"{seed_id} 용어 {k}")])
                for k in range(1, size + 1)]
    return Lesson(seed_id=seed_id, source=Path(f"{seed_id}.md"), title=f"{seed_id} 기사", date=day, sections=sections)


def dated(lesson: Lesson) -> dt.date:
    assert lesson.date is not None
    return lesson.date


def test_show_order_is_oldest_first_then_by_id():
    b = article("b", dt.date(2026, 1, 1))
    a = article("a", dt.date(2026, 1, 1))
    old = article("z", dt.date(2025, 1, 1))
    assert [les.seed_id for les in course.in_show_order([b, a, old], dated)] == ["z", "a", "b"]


def test_a_new_article_takes_the_next_season_and_the_old_ones_keep_theirs():
    older = article("older", dt.date(2020, 1, 1))
    march = article("march", dt.date(2026, 3, 1))
    assert course.seasons_for([march], {}) == {"march": 1}
    # added later, though dated earlier: the next season; a removed article keeps its number
    assert course.seasons_for([older, march], {"march": 1, "gone": 2}) == {"gone": 2, "march": 1, "older": 3}


def test_recall_follows_the_seasons_not_the_dates():
    """An article added later but dated earlier is shown first, yet recalls the published one,
    and the published one's scripts are the same as before it came."""
    settings = LessonSettings()
    march = article("march", dt.date(2026, 3, 1), size=2)
    alone = course.write_scripts([march], settings, dated, {})
    older = article("older", dt.date(2020, 1, 1), size=2)
    both = course.write_scripts(course.in_show_order([march, older], dated), settings, dated, {"march": 1})
    assert [s.slug for s in both][:2] == ["older-01", "older-02"]  # the feed's order: by date
    assert {s.slug: s.lines for s in both if s.seed_id == "march"} == {s.slug: s.lines for s in alone}
    first_of_older = next(s for s in both if s.slug == "older-01")
    recalled = {line.text for line in first_of_older.lines if line.part == "review" and line.kind == "answer"}
    assert recalled & {"march term 2", "The march sentence number 2 is here."}


def test_the_edited_script_replaces_the_generated_one_but_keeps_its_date():
    settings = LessonSettings()
    march = article("march", dt.date(2026, 3, 1))
    seen = []

    def edited(generated, lesson):
        seen.append((generated.slug, lesson.seed_id if lesson else None))
        generated.title = "손본 제목"
        return generated

    scripts = course.write_scripts([march], settings, dated, {}, edited)
    assert seen == [("march-01", "march")]
    assert scripts[0].title == "손본 제목" and scripts[0].date == dt.date(2026, 3, 1)
