"""The article's own Korean for key sentences it leaves untranslated (lesson.meanings): taken only
where the article plainly restates the quote, marked "article", kept in the narration; and a
sentence without any meaning is shadowed, heard at most eight times in the show."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from audiogen import seed
from audiogen.config import LessonSettings
from audiogen.lesson import course as courses
from audiogen.lesson import meanings
from audiogen.lesson import writer as script
from audiogen.model import Quote, Section, Term
from test_build import audiogen
from test_writer import course, drills, lesson_of

ARTICLE = Path(__file__).resolve().parent / "fixtures" / "meanings" / "line-stop.txt"
SHADOWED = Path(__file__).resolve().parent / "fixtures" / "lessons"


def read() -> list[Section]:
    lesson = seed.read(ARTICLE)
    meanings.from_article(lesson)
    return [s for s in lesson.sections if s.kind == "section"]


def test_a_quote_takes_the_restatement_right_after_it_and_a_heading_that_is_the_same_command():
    one, two, three = read()
    assert [(q.korean, q.source) for q in one.quotes] == [("문제가 보이면 라인을 멈춰라", "article")]
    assert [(q.korean, q.source) for q in two.quotes] == [("빨리 실패하되 같은 실수는 두 번 하지 말라", "article")]
    # a sentence that introduces the speaker shares a year with the quote but says nothing of what it
    # means; a heading that is no command names no command: no meaning, rather than a wrong one
    assert [q.korean for q in three.quotes] == [None, None]


@pytest.mark.parametrize("after, meaning", [
    ("이 말은 빨리 실패하되 같은 실수는 두 번 하지 말라는 뜻입니다.", "빨리 실패하되 같은 실수는 두 번 하지 말라"),
    ("즉, \"이탈은 첫 90일에 이미 결정된다\"라는 것입니다.", "이탈은 첫 90일에 이미 결정된다"),
    ("이 말은 카이젠이 행사가 아니라 매주 반복되는 일상 업무 그 자체라는 뜻입니다.",
     "카이젠이 행사가 아니라 매주 반복되는 일상 업무 그 자체다"),  # the copula's 라, said as a sentence
    ("다시 말해 고객이 떠나기 전에 먼저 연락하자는 얘기죠.", "고객이 떠나기 전에 먼저 연락하자"),
    ("위 문장은 \"이 건은 회의 끝나고 따로 이야기합시다\"라는 뜻입니다.", "이 건은 회의 끝나고 따로 이야기합시다"),
    ("이는 단순한 사후 정책이 아니었습니다.", None),  # points back, restates nothing
    ("NRR이 120%라는 것은 기존 고객만으로 매출이 20% 늘어난다는 뜻입니다.", None),  # about a term, not the quote
    ("그는 2019년 인터뷰에서 이렇게 말했습니다.", None),
    ("이 말은 OK라는 뜻입니다.", None),  # no Korean to cue with
    # right after the quote, «X라는 뜻입니다» needs no pointer; a copula or its negation is said as 다
    ("네, 아니오로 끝나는 질문은 아직 질문이 아니라는 뜻입니다.", "네, 아니오로 끝나는 질문은 아직 질문이 아니다"),
    ("말보다 지갑을 여는 약속이 중요한 신호라는 말입니다.", "말보다 지갑을 여는 약속이 중요한 신호다"),
    ("각자는 옳게 움직였지만 합치니 틀린 결과가 나왔다는 뜻이죠.", "각자는 옳게 움직였지만 합치니 틀린 결과가 나왔다"),
    ("이탈률이 낮다는 것은 고객이 만족한다는 뜻입니다.", None),  # says what something else means
    ("그래서 그 팀은 회의를 줄였다는 이야기를 들었습니다.", None),  # a story, not a meaning
    ("목표는 인용문을 모으는 것이 아니라 팀을 바꾸는 것입니다.", None),  # a plain sentence: cannot be told from a claim
    # a news story's plain 다, and a past tense
    ("실패를 숨기지 않고 배움으로 삼겠다는 얘기다.", "실패를 숨기지 않고 배움으로 삼겠다"),
    ("즉, 빨리 실패하되 같은 실수는 반복하지 말자는 이야기였습니다.", "빨리 실패하되 같은 실수는 반복하지 말자"),
    # a command restated as «…하라는 것입니다» right after it; «…다는 것입니다» stays a claim
    ("빨리 실패하되, 같은 실수는 되풀이하지 말라는 것입니다.", "빨리 실패하되, 같은 실수는 되풀이하지 말라"),
    ("공장은 실패를 숨기지 않는다는 것입니다.", None),
    ("빨리 실패하되 같은 실수는 두 번 하지 말라는 거죠.", "빨리 실패하되 같은 실수는 두 번 하지 말라"),  # an interview's 거
    ("빨리 실패해도 되지만 같은 실수는 두 번 하지 마세요, 정도의 뜻이에요.", "빨리 실패해도 되지만 같은 실수는 두 번 하지 마세요"),
])
def test_what_counts_as_a_restatement(after, meaning):
    q = Quote("Fail fast, but never fail the same way twice.", paragraph=1)
    section = Section("1", "section", "실패", paragraphs=["공장장은 실수를 숨기지 않았습니다.", after], quotes=[q])
    assert meanings.restated(q, section) == meaning


def test_a_quote_standing_as_its_own_sentence_is_restated_by_what_follows_it():
    text = ('대표는 이렇게 말했습니다. "We need fewer goals. Everyone should understand them." '
            '즉, 목표를 늘리지 말고 모두가 이해하는 소수의 목표에 집중하자는 이야기였습니다.')
    q = Quote("We need fewer goals. Everyone should understand them.", paragraph=1)
    section = Section("1", "section", "목표", paragraphs=[text], quotes=[q])
    assert meanings.restated(q, section) == "목표를 늘리지 말고 모두가 이해하는 소수의 목표에 집중하자"
    said = ('대표는 "We need fewer goals. Everyone should understand them."라고 말했습니다. '
            '이 말은 목표를 줄이고 모두가 그 목표를 이해해야 한다는 뜻입니다.')
    assert meanings.restated(q, Section("1", "section", "목표", paragraphs=[said], quotes=[q])) == \
        "목표를 줄이고 모두가 그 목표를 이해해야 한다"


def test_a_restatement_of_one_of_two_sentences_is_not_the_meaning():
    """A drill asks for the whole quote: a restatement that says one of its sentences would ask for
    words the learner was never told."""
    q = Quote("This meeting belongs to you, not to me. Bring anything that is on your mind.", paragraph=1)
    half = Section("1", "section", "일대일", paragraphs=["팀장은 이렇게 말했습니다.", "이 말은 회의의 주인은 팀원이라는 뜻입니다."],
                   quotes=[q])
    assert meanings.restated(q, half) is None
    whole = Section("1", "section", "일대일", paragraphs=["팀장은 이렇게 말했습니다.",
                    "이 말은 이 회의의 주인은 내가 아니라 당신이니, 마음에 있는 것은 무엇이든 가져오라는 뜻입니다."], quotes=[q])
    assert meanings.restated(q, whole) == "이 회의의 주인은 내가 아니라 당신이니, 마음에 있는 것은 무엇이든 가져오라"


def test_an_inline_quote_is_restated_by_the_next_sentence_of_its_paragraph():
    text = '그는 "Fail fast, but never fail the same way twice."라고 말했습니다. 이 말은 같은 실수를 반복하지 말라는 뜻입니다.'
    q = Quote("Fail fast, but never fail the same way twice.", paragraph=1)
    assert meanings.restated(q, Section("1", "section", "실패", paragraphs=[text], quotes=[q])) == "같은 실수를 반복하지 말라"


@pytest.mark.parametrize("heading, quotes, expected", [
    ("문제가 보이면 라인을 멈춰라", ["Stop the line when you see a problem."], ["문제가 보이면 라인을 멈춰라"]),
    # a statement, not a command: the heading says something else
    ("문제가 보이면 라인을 멈춰라", ["The line stopped twice that week."], [None]),
    # a command that shares no word with the heading
    ("문제가 보이면 라인을 멈춰라", ["Fix it where it happened."], [None]),
    # two commands both sharing a word: which one the heading restates is not known
    ("라인을 멈춰라", ["Stop the line now.", "Stop the line again after the fix."], [None, None]),
    # a heading that names a topic (no command)
    ("라인의 속도", ["Stop the line when you see a problem."], [None]),
    # a word the article glosses elsewhere: 품질(quality)
    ("품질을 먼저 챙겨라", ["Check quality before speed."], ["품질을 먼저 챙겨라"]),
    # a contrast the heading says only half of
    ("피드백은 먼저 요청하라", ["Start by getting feedback, not by giving it."], [None]),
    ("피드백은 주기보다 먼저 요청하라", ["Start by getting feedback, not by giving it."], ["피드백은 주기보다 먼저 요청하라"]),
])
def test_a_heading_stands_for_the_one_command_it_restates(heading, quotes, expected):
    section = Section("1", "section", heading, paragraphs=["본문입니다."], quotes=[Quote(q) for q in quotes])
    lesson = lesson_of(section, Section("2", "section", "용어", paragraphs=["품질(quality)이 먼저입니다."],
                                        terms=[Term("quality", "품질")]))
    meanings.from_article(lesson)
    assert [q.korean for q in section.quotes] == expected


def test_the_restating_sentence_is_said_as_the_gloss_not_before_the_quote_in_the_story():
    """The sentence that says what the key sentence means is heard right before the key sentence (its
    gloss) and is its drill's cue; told in the story first, «이 말은...» would point at nothing yet."""
    two = read()[1]
    full = script.write(lesson_of(dataclasses.replace(two, key="1")), LessonSettings())[0]
    told = [line.text for line in full.lines if line.kind == "narration" and line.lang == "ko"]
    assert told and not any("이 말은" in text for text in told), told
    gloss = next(k for k, line in enumerate(full.lines) if line.kind == "gloss")
    assert (full.lines[gloss].text, full.lines[gloss].source) == ("빨리 실패하되 같은 실수는 두 번 하지 말라", "article")
    assert full.lines[gloss + 1].kind == "quote" and full.lines[gloss + 1].text.startswith("Fail fast")
    cue, _, answer = next(d for d in drills(full.lines) if d[2].text.startswith("Fail fast"))
    assert cue[0].text == "빨리 실패하되 같은 실수는 두 번 하지 말라."
    # a lesson that does not teach the key sentence (taught earlier in the show) tells the sentence
    again = script.write(lesson_of(dataclasses.replace(two, key="1")), LessonSettings(),
                         lambda done: script.Recall(taught=frozenset({script.item_key(two.quotes[0].english)})))[0]
    assert any("이 말은" in line.text for line in again.lines if line.kind == "narration")


def test_script_and_report_mark_the_articles_meanings(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "line-stop.txt").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "podcast.toml").write_text('[teacher]\nengine = "off"\n', encoding="utf-8")
    audiogen("script", "seeds", "--out", "edits", cwd=tmp_path)
    import yaml

    first = yaml.safe_load((tmp_path / "edits" / "line-stop-01.yaml").read_text(encoding="utf-8"))
    glosses = [line for line in first["lines"] if line["kind"] == "gloss"]
    assert [(g["text"], g["source"]) for g in glosses] == [("문제가 보이면 라인을 멈춰라", "article")]


def test_a_sentence_without_a_meaning_is_heard_at_most_eight_times_in_the_show():
    """Shadowed, never drilled: the lesson, its recap and the recalls of later lessons and reviews
    together say it at most SHADOW_HEARD times (a sentence with a meaning keeps its full schedule)."""
    scripts = course(*sorted(SHADOWED.glob("*.*")))
    heard = Counter(line.text for s in scripts for line in s.lines
                    if line.spoken and line.lang == "en" and line.kind != "chunk")
    taught = {q.english: q.korean for s in scripts for q in script.review_items(s)[1]}
    unmeant = [text for text, korean in taught.items() if not korean]
    assert unmeant, "the course fixture has sentences without a meaning"
    for text in unmeant:
        assert heard[text] <= courses.SHADOW_HEARD, (text, heard[text])
        assert not any(answer.text == text for s in scripts for _, _, answer in drills(s.lines))
    # and a shadowed sentence still comes back: in at least two later episodes
    for text in unmeant:
        episodes = [s.slug for s in scripts if any(line.text == text and line.kind == "answer" for line in s.lines)]
        assert len(episodes) >= 3, (text, episodes)  # its own recap, then recalls


def test_the_page_lists_a_shadowed_recall_among_what_a_lesson_recalls():
    from audiogen.feed.page import recalled_items

    scripts = course(*sorted(SHADOWED.glob("*.*")))
    taught = {q.english: q.korean for s in scripts for q in script.review_items(s)[1]}
    unmeant = {text for text, korean in taught.items() if not korean}
    from audiogen.model import Span
    from audiogen.transcript import script_json  # the JSON the page reads

    recalled = set()
    for s in scripts:
        recalled |= set(recalled_items(script_json(s, [Span(0.0, 0.0)] * len(s.lines))))
    assert unmeant & recalled
