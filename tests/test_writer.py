"""The lesson writer, table-driven over articles of our own (tests/fixtures/lessons) and the
user-shaped article: every term and key sentence drilled as cue, pause, answer; meaning first;
back-chained chunks; short framing; what each voice is given; bounded episodes."""

from __future__ import annotations

import copy
import datetime as dt
import re
import uuid
from pathlib import Path
from typing import get_args

import pytest

from audiogen import korean, seed
from audiogen.config import LessonSettings
from audiogen.lesson import course as courses
from audiogen.lesson import lines, phrases, reviews
from audiogen.lesson import writer as script
from audiogen.lesson.lines import PAUSE_PER_SECOND, estimate_seconds
from audiogen.model import FRAMING, PARTS, Kind, Lesson, Line, Quote, Section, Term
from audiogen.text import spoken_seconds

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LESSONS = sorted((FIXTURES / "lessons").iterdir())
ARTICLE = FIXTURES / "seeds" / "small-giant-article.txt"
ALL = LESSONS + [ARTICLE]


def course(*paths: Path, settings: LessonSettings | None = None) -> list[script.Script]:
    """Scripts of these seeds in this order, as the build makes them (recall and reviews too)."""
    settings = settings or LessonSettings()
    lessons = [seed.read(p) for p in paths]
    return courses.write_scripts(lessons, settings, lambda les: dt.date(2025, 3, 4), {})


def lesson_of(*sections: Section, seed_id: str = "demo") -> Lesson:
    return Lesson(seed_id=seed_id, source=Path(f"{seed_id}.md"), title="데모 레슨",
                  date=dt.date(2025, 3, 4), sections=list(sections))


def only_full(lesson: Lesson, **kw) -> script.Script:
    scripts = script.write(lesson, LessonSettings(**kw))
    assert len(scripts) == 1
    return scripts[0]


def drills(lines: list[Line]) -> list[tuple[list[Line], Line, Line]]:
    """(cue lines, pause, answer) for every drill, in order."""
    out = []
    i = 0
    while i < len(lines):
        if lines[i].kind != "cue":
            i += 1
            continue
        j = i
        while lines[j].kind == "cue":
            j += 1
        assert lines[j].kind == "pause" and lines[j + 1].kind == "answer", lines[i:j + 2]
        out.append((lines[i:j], lines[j], lines[j + 1]))
        i = j + 2
    return out


@pytest.fixture(scope="module")
def series():
    return course(*ALL)


# --- the contract ---------------------------------------------------------------------------------


def test_every_line_is_a_contract_kind_in_order_of_parts(series):
    kinds = set(get_args(Kind))
    assert set(FRAMING) <= kinds
    for s in series:
        assert s.lines[0].kind == "sting" and s.lines[-1].kind == "sting"
        ranks = [PARTS.index(line.part) for line in s.lines]
        assert ranks == sorted(ranks), s.slug
        for line in s.lines:
            assert line.kind in kinds, (s.slug, line)
            if line.kind in ("pause", "sting"):
                assert line.text == "" and line.lang is None
            else:
                assert line.text.strip() and line.lang in ("ko", "en")


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_item_with_a_meaning_is_drilled_and_every_sentence_without_one_shadowed(path):
    """An item the learner was told the meaning of is drilled (cue, pause, answer) in the recap; a key
    sentence without one is shadowed there (heard, then a pause), never cued; a term whose only
    meaning is its Hangul spelling (레드팀) is taught but never drilled."""
    for s in course(path):
        if s.episode_type == "bonus":
            continue
        terms, quotes = script.review_items(s)
        if s.episode_type == "trailer" and not terms and not quotes:
            continue  # an intro that glosses nothing
        recap = [l for l in s.lines if l.part == "recap"]
        drilled = {answer.text for _, _, answer in drills(recap)}
        shadowed = {l.text for k, l in enumerate(recap) if l.kind == "answer" and recap[k - 1].kind != "pause"
                    and k + 1 < len(recap) and recap[k + 1].kind == "pause"}
        meant = {t.english for t in terms if script.cue_for(t)} | {q.english for q in quotes if q.korean}
        unmeant = {q.english for q in quotes if not q.korean}
        assert meant <= drilled, (s.slug, meant - drilled)
        assert unmeant <= shadowed and not unmeant & drilled, (s.slug, unmeant - shadowed)
        assert not {t.english for t in terms if not script.cue_for(t)} & drilled, s.slug


def test_pauses_are_sized_to_what_the_learner_says(series):
    for s in series:
        for cue, pause, answer in drills(s.lines):
            assert pause.pause >= 1.0 + PAUSE_PER_SECOND * spoken_seconds(answer.text, "en") - 1e-6
            assert cue[0].lang == "ko"
        for i, line in enumerate(s.lines):
            if line.kind == "slow":
                after = s.lines[i + 1]
                assert after.kind == "pause"
                assert after.pause >= 1.0 + PAUSE_PER_SECOND * spoken_seconds(line.text, "en") / line.speed


def test_expressions_english_meaning_english_then_a_drill_in_the_recap():
    section = Section("1", "section", "표현", paragraphs=["설계 단계부터 내재되어야(engineered in) 했습니다."],
                      terms=[Term("engineered in", "내재되어야")])
    s = only_full(lesson_of(section))
    lines = [(l.kind, l.lang, l.text) for l in s.lines if l.part == "expressions" and l.kind != "lead"]
    # a lesson of one term has little for the learner to do: they say it twice, each time after the model
    # (the model heard after the first try prompts the second: never twice in a row)
    term, gap = ("term", "en", "engineered in"), ("pause", None, "")
    assert [(k, lang if k != "pause" else None, t if k != "pause" else "") for k, lang, t in lines] == [
        term, ("meaning", "ko", "내재되다"), term, gap, term, gap, term]
    recap = [(l.kind, l.lang, l.text) for l in s.lines if l.part == "recap" and l.kind != "pause"]
    # a drill: the answer once after the pause (a term gets no second try), no read-through after it
    assert recap[:3] == [("recap", "ko", "정리."), ("cue", "ko", "내재되다."), ("answer", "en", "engineered in")]
    # heard once more only to keep a third of the lesson English (a lesson of one term is short of it)
    assert all(kind == "recap" and lang == "en" for kind, lang, _ in recap[3:])
    slow = only_full(lesson_of(section), pause_factor=2.0)
    first = [l.pause for l in s.lines if l.kind == "pause"][0]
    assert [l.pause for l in slow.lines if l.kind == "pause"][0] == pytest.approx(2 * first, abs=0.02)


def test_key_sentences_meaning_first_back_chained_slow_then_natural():
    q = Quote("After a lot of thought, I decided that this role is my first choice.",
              "오랜 고민 끝에 이 자리가 제 첫 번째 선택이라고 결정했습니다.")
    s = only_full(lesson_of(Section("1", "section", "문장", paragraphs=["본문입니다."], quotes=[q])), slow_speed=0.8)
    lines = [l for l in s.lines if l.part == "sentences" and l.kind != "lead"]
    kinds = [l.kind for l in lines]
    assert kinds[:3] == ["gloss", "quote", "quote"] and lines[0].text == q.korean
    chunks = [l for l in lines if l.kind == "chunk"]
    assert len(chunks) >= 1 and chunks[0].text.endswith("my first choice.")
    for shorter, longer in zip(chunks, chunks[1:]):
        assert longer.text.endswith(shorter.text) and len(longer.text) > len(shorter.text)
    assert all(c.speed == 0.8 for c in chunks)
    i = kinds.index("slow")
    assert kinds[i:i + 4] == ["slow", "pause", "quote", "pause"] and lines[i].speed == 0.8
    assert max(k for k, l in enumerate(lines) if l.kind == "chunk") < i
    recap = [l for l in s.lines if l.part == "recap"]
    cue, _, answer = drills(recap)[0]
    assert cue[0].text == "오랜 고민 끝에 이 자리가 제 첫 번째 선택이라고 결정했습니다." and answer.text == q.english
    i = recap.index(answer)
    assert [l.kind for l in recap[i:i + 3]] == ["answer", "pause", "answer"]  # once more after a second try
    assert not any(l.kind == "recap" and l.lang == "en" for l in recap)  # drills, not a read-through


def test_a_lesson_rich_in_practice_says_each_term_once():
    section = Section("1", "section", "표현", paragraphs=["설계 단계부터 내재되어야(engineered in) 했습니다."],
                      terms=[Term("engineered in", "내재되어야")],
                      quotes=[Quote("Safety is engineered in, not bolted on later.", "안전은 나중에 덧붙이는 것이 아니다")])
    s = only_full(lesson_of(section))
    assert [l.text for l in s.lines if l.part == "expressions" and l.kind == "term"] == ["engineered in"] * 3


def test_a_lesson_with_one_loanword_takes_the_recalls_that_bring_its_english_nearer():
    """A section whose only English is one term cannot be a third English; recalling earlier sentences
    (heard, said after) brings it nearer, so it takes them, where a full lesson takes only what keeps it
    at a third."""
    settings = LessonSettings()
    thin = Section("1", "section", "세 개의 요금제", paragraphs=[
        "많은 회사의 가격 페이지에는 요금제가 세 개 있습니다. 아무도 사지 않지만 옆 상품을 돋보이게 하는 미끼를 둡니다."],
        terms=[Term("decoy", "옆 상품을 돋보이게 하는 미끼", "article")])
    due = [lines.drill("가격은 고객이 제품에 대해 처음 배우는 것이다.", "Your price is the first thing a customer learns.",
                       "review", settings),
           lines.shadow("We were so scared of churn that we never touched the price.", "review", settings),
           lines.drill("무료 체험.", "free trial", "review", settings),
           lines.shadow("Nobody buys the middle plan by accident.", "review", settings)]

    def taken(recall: script.Recall) -> list[str]:
        s = script.write(lesson_of(thin), settings, lambda done: recall)[0]
        return [l.text for l in s.lines if l.part == "review" and l.kind == "answer"]

    answers = taken(script.Recall(opening=due))
    assert len(set(answers)) >= 3, answers  # before, only the first drill (every lesson takes one)
    assert "We were so scared of churn that we never touched the price." in answers  # shadowed: mostly English


def test_a_sentence_without_a_meaning_is_shadowed_never_cued():
    """Nothing to recall it from: the learner hears it and says it after the model (no «이어서 말해
    보세요» with its first words, which only asks for parroting)."""
    q = Quote("Hype fades quickly, but contracts renew every year.")
    s = only_full(lesson_of(Section("1", "section", "문장", paragraphs=["본문입니다."], quotes=[q])))
    assert script.missing_meanings(s) == [q.english]
    assert not drills(s.lines) and not any(l.kind in ("cue", "gloss") for l in s.lines)
    recap = [l for l in s.lines if l.part == "recap"]
    k = next(k for k, l in enumerate(recap) if l.kind == "answer")
    assert recap[k].text == q.english and recap[k + 1].kind == "pause"
    assert recap[k + 1].pause >= 1.0 + spoken_seconds(q.english, "en") - 1e-6


@pytest.mark.parametrize("english, korean, drilled", [
    ("red team", "레드팀", False),  # the English spelled in Hangul: the cue is the answer
    ("BATNA, Best Alternative to a Negotiated Agreement", "배트나", False),  # spelled from one of its names
    ("Getting to Yes", "Yes를 이끌어내는 협상법", False),  # the cue says the answer's own word
    ("bolted on", "덧붙이다", True),
    ("D2C", "직접 판매", True),
    ("stand-up", "아침 스탠드업", False),  # one word of the meaning spells it
    ("code review", "코드 점검", False),
    ("north star metric", "노스스타 지표", False),  # two of its words spelled as one Hangul word
    ("pitch", "피칭", False),  # spelled as Korean borrows it, in its -ing form
    ("quantitative data", "정량 데이터", False),  # half of it spelled: the same rule
    ("Just-in-Time, JIT", "타임", False),
    ("vendor financing dressed up as strategic partnership", "전략적 파트너십으로 위장한 공급업체 금융", True),
    ("slotting fee", "입점비", True),
    ("trust", "신뢰", True),
    ("count to six", "여섯까지 세다", True),  # a numeral with its particle spells nothing
    ("Obnoxious Aggression", "불쾌한 공격성", True),  # nor a noun with its Korean suffix
])
def test_a_term_is_drilled_only_on_a_meaning_that_does_not_give_it_away(english, korean, drilled):
    assert bool(script.cue_for(Term(english, korean))) == drilled


def test_a_transcripts_run_on_is_heard_in_the_story_never_taught():
    """A quote with no meaning, no punctuation and no teacher's cleaned copy is heard as the speaker
    said it, after the story; it is no model to repeat, chunk or drill."""
    said = ("we actually had this this sort of at the time it sounded very novel this belief that those "
            "two things actually were correlated and that they went together")
    s = only_full(lesson_of(Section("1", "section", "문장", paragraphs=["당시로서는 새로운 발상이었습니다."],
                                    quotes=[Quote(said), Quote("Trust is built in drops and lost in buckets.")])))
    assert [(l.kind, l.lang, l.part, l.speed) for l in s.lines if l.text == said] == [
        ("narration", "en", "narration", 1.0), ("narration", "en", "narration", LessonSettings().slow_speed),
        ("narration", "en", "narration", 1.0)]  # heard, heard slowly, heard again
    assert not any(said in l.text for l in s.lines if l.kind != "narration")
    assert any(l.kind == "quote" and l.text.startswith("Trust is built") for l in s.lines)
    meant = only_full(lesson_of(Section("1", "section", "문장", paragraphs=["본문입니다."],
                                        quotes=[Quote(said, "그 둘이 함께 간다는 믿음이 당시엔 새로웠다")])))
    told = [(l.kind, l.lang, l.text) for l in meant.lines if l.part == "narration"]
    assert ("narration", "en", said) in told and ("gloss", "ko", "그 둘이 함께 간다는 믿음이 당시엔 새로웠다") in told
    assert not any(l.part == "sentences" for l in meant.lines)  # a meaning makes no stutter a model
    cleaned = Quote(said, taught="At the time it sounded very novel.")
    s = only_full(lesson_of(Section("1", "section", "문장", paragraphs=["본문입니다."], quotes=[cleaned])))
    assert any(l.kind == "quote" and l.text == "At the time it sounded very novel." for l in s.lines)


# --- framing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_openings_are_short_and_say_the_article_once(path):
    lesson = seed.read(path)
    written = script.write(lesson, LessonSettings())
    scripts = [s for s in written if s.episode_type == "full"]
    told = [s.slug for s in written if any(l.text == phrases.HOW_DRILLS_WORK for l in s.lines)]
    drills = [s.slug for s in written if any(l.kind == "cue" for l in s.lines)]
    assert told == drills[:1]  # how the drills work: once per article, where its drills begin
    for n, s in enumerate(scripts, start=1):
        opening = [l for l in s.lines if l.part == "opening"]
        said = " ".join(l.text for l in opening)
        # the article's title once: in its trailer, or else in its first lesson
        assert (lesson.title.split(":")[0] in said) == (n == 1 and written[0].episode_type != "trailer"), (s.slug, said)
        assert [l.kind for l in opening][:2] == ["sting", "announce"]
        assert len([l for l in opening if l.spoken]) <= (4 if n == 1 else 2)
        assert not any("왜 중요할까요" in l.text or "자연스러운 속도로" in l.text for l in s.lines)


def test_lessons_of_a_second_article_announce_their_own_article():
    scripts = course(FIXTURES / "lessons/offer-talk.txt", FIXTURES / "lessons/meeting-notes.txt")
    first_of_second = next(s for s in scripts if s.seed_id == "meeting-notes" and s.number == 1)
    said = " ".join(l.text for l in first_of_second.lines if l.part == "opening")
    assert "회의 영어 노트" in said and "처우 협상" not in said


def test_a_trailer_names_its_lessons_once_and_caps_the_list():
    sections = [Section(str(k), "section", f"주제 {k}", paragraphs=[f"{k}번째 본문입니다."]) for k in range(1, 21)]
    intro = Section("intro", "intro", "들어가며", paragraphs=["이 시리즈를 소개합니다."])
    trailer = script.write(lesson_of(intro, *sections), LessonSettings())[0]
    listed = [l.text for l in trailer.lines if l.kind == "heading" and l.text.endswith(".") and "레슨" in l.text]
    assert len(listed) == script.TRAILER_LIST_MAX
    assert any(l.text == korean.for_voice(phrases.more_lessons(20 - script.TRAILER_LIST_MAX)) for l in trailer.lines)
    assert sum("데모 레슨" in l.text for l in trailer.lines) == 1  # the title, once
    assert "들어가며" not in trailer.description  # the reader's name for an unheaded introduction
    headed = Section("intro", "intro", "작은 팀의 큰 실수", paragraphs=["이 시리즈를 소개합니다."])
    assert "작은 팀의 큰 실수." in script.write(lesson_of(headed, *sections), LessonSettings())[0].description


def test_an_outro_does_not_tease_what_the_next_heading_has_just_said():
    one = Section("1", "section", "질문을 바꿔라", paragraphs=["질문이 답을 정합니다."],
                  terms=[Term("leading question", "유도 질문")])
    two = Section("2", "section", "기능이 아니라 일을 물어라: Jobs to Be Done", paragraphs=["일을 물어야 합니다."],
                  terms=[Term("jobs to be done", "해결해야 할 일")])
    first = script.write(lesson_of(one, two), LessonSettings())[0]
    outro = [(l.lang, l.text) for l in first.lines if l.part == "outro" and l.spoken]
    assert [text for lang, text in outro if lang == "en"] == ["Jobs to Be Done."], outro


def test_a_trailer_previews_the_term_a_lesson_is_named_after():
    """The list's English for a lesson is its topic when the heading names it (채찍 효과 under
    «작은 흔들림이 파도가 되다: 채찍 효과»; 리드타임 names lead time), not the first side word."""
    intro = Section("intro", "intro", "들어가며", paragraphs=["공급망 이야기입니다."])
    one = Section("1", "section", "작은 흔들림이 파도가 되다: 채찍 효과", paragraphs=["주문이 커집니다."],
                  terms=[Term("downstream", "하류"), Term("bullwhip effect", "채찍 효과")])
    two = Section("2", "section", "리드타임이 모든 것을 바꾼다", paragraphs=["배가 늦어졌습니다."],
                  terms=[Term("vicious cycle", "악순환"), Term("lead time", "주문부터 도착까지 걸리는 시간", "article")])
    trailer = script.write(lesson_of(intro, one, two), LessonSettings())[0]
    english = [l.text for l in trailer.lines if l.part == "narration" and l.kind == "heading" and l.lang == "en"]
    assert "bullwhip effect" in english and "lead time" in english
    assert "downstream" not in english and "vicious cycle" not in english


def test_the_last_lesson_tells_the_conclusion_whose_items_it_teaches():
    """The conclusion's terms are taught in the article's last lesson; its story is told there too
    (under its heading), so they are not drilled out of the blue."""
    one = Section("1", "section", "재고를 줄여라", paragraphs=["창고에 물건이 쌓였습니다."],
                  terms=[Term("inventory", "재고")])
    two = Section("2", "section", "데이터를 나눠라", paragraphs=["매장 판매 기록을 공급업체와 나눴습니다."],
                  terms=[Term("sell-through", "매장 판매")],
                  quotes=[Quote("Share the data, not just the orders you place.", "주문만이 아니라 데이터를 나누라"),
                          Quote("We cut our stock by a third in one year.", "일 년 만에 재고를 삼분의 일 줄였다")])
    end = Section("outro", "outro", "효율과 회복력 사이", paragraphs=[
        "결국 필요한 것은 회복력(resilience)입니다. 조금 비싸도 버티는 공급망이 오래 갑니다."],
        terms=[Term("resilience", "회복력")],
        quotes=[Quote("Lean never meant zero stock; it meant knowing where every part comes from.",
                      "린은 재고 제로가 아니라 모든 부품의 출처를 아는 것이다")])
    *_, last = script.write(lesson_of(one, two, end), LessonSettings())
    told = [l.text for l in last.lines if l.part == "narration"]
    assert "효율과 회복력 사이" in " ".join(told), told
    assert any("회복력" in t and l.kind == "narration" for l in last.lines if l.part == "narration" for t in [l.text])
    assert "resilience" in [l.text for l in last.lines if l.kind == "term"]


def test_english_every_korean_says_is_not_taught():
    """AI(인공지능) in passing is an aside: not a term, a preview or a drill (SRE is still taught)."""
    section = Section("1", "section", "회고", paragraphs=["AI(인공지능) 번역 도구와 SRE(사이트 신뢰성 엔지니어)를 씁니다."],
                      terms=[Term("AI", "인공지능"), Term("SRE", "사이트 신뢰성 엔지니어")])
    s = only_full(lesson_of(section))
    taught = [l.text for l in s.lines if l.kind == "term"]
    assert "SRE" in taught and "AI" not in taught


def test_a_trailer_names_a_lesson_with_no_english_meaning_alone():
    """The list gives English only after its Korean meaning: a lesson whose one key sentence has no
    meaning is named by its heading alone, and the sentence is first heard in its own lesson."""
    intro = Section("intro", "intro", "들어가며", paragraphs=["이 시리즈를 소개합니다."])
    meant = Section("1", "section", "천천히 뽑아라", paragraphs=["채용은 천천히 합니다."],
                    quotes=[Quote("Hire slowly and fire fast.", "천천히 뽑고 빨리 정리하라")])
    bare = Section("2", "section", "첫 달", paragraphs=["첫 달이 중요합니다."],
                   quotes=[Quote("The first month decides whether someone stays for years.")])
    trailer, first, second = script.write(lesson_of(intro, meant, bare), LessonSettings())
    english = [l.text for l in trailer.lines if l.lang == "en" and l.spoken]
    assert "Hire slowly and fire fast." in english
    assert "The first month decides whether someone stays for years." not in english
    assert not any(l.lang == "en" for l in first.lines if l.part == "outro")  # nor is it teased before its lesson


# --- what each voice is given ----------------------------------------------------------------------

HANJA = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def test_the_korean_voice_gets_no_latin_letters_symbols_or_hanja(series):
    for s in series:
        for line in s.lines:
            if line.lang == "ko":
                assert not re.search(r"[A-Za-z]", line.text), (s.slug, line.text)
                assert not set(line.text) & set("=~+→%/&#"), (s.slug, line.text)
                assert not HANJA.search(line.text), (s.slug, line.text)


def test_symbols_in_a_lesson_become_words(monkeypatch):
    monkeypatch.setattr(lines, "ENGLISH_SHARE", 1e-3)  # the whole story told: what each voice gets is tested here
    scripts = course(FIXTURES / "lessons/offer-talk.txt")
    said = [l.text for s in scripts for l in s.lines if l.lang == "ko"]
    assert any("연봉은 기본급과 성과급" in t for t in said)
    assert any("삼십 퍼센트" in t for t in said)
    english = [l.text for s in scripts for l in s.lines if l.lang == "en"]
    assert "DNA" in english and "B2B" in english
    told = [(l.lang, l.text) for s in scripts for l in s.lines]
    at = told.index(("en", "DNA"))
    assert told[at:at + 3] == [("en", "DNA"), ("ko", "가"), ("en", "B2B")]  # the particle is heard, in its place


# Meanings the lessons teach, against the span a reader would underline.
MEANINGS = {
    "signing bonus": "계약 보너스", "behavioral interview": "행동 면접", "selling point": "판매 포인트",
    "take it offline": "따로 이야기하다", "blocker": "막힌 점", "postmortem": "사후 검토", "follow-up": "후속 연락",
}


def test_taught_meanings():
    scripts = course(FIXTURES / "lessons/offer-talk.txt", FIXTURES / "lessons/meeting-notes.txt")
    taught = {}
    for s in scripts:
        lines = [l for l in s.lines if l.part == "expressions"]
        for a, b in zip(lines, lines[1:]):
            if a.kind == "term" and b.kind == "meaning":
                taught[a.text] = b.text
    assert taught == MEANINGS
    standup = course(FIXTURES / "lessons/standup.md")
    meanings = {l.text for s in standup for l in s.lines if l.kind == "meaning"}
    assert "진행을 막는 문제" in meanings and "막힌 점" not in meanings  # the author's list wins


NEVER_LAST = {"the", "a", "an", "to", "of", "at", "in", "on", "for", "with", "from", "by", "and", "but", "or", "if",
              "is", "are", "was", "were", "will", "would", "can", "could", "should"}


def test_chunks_in_lessons_end_on_whole_phrases(series):
    chunks = [l.text for s in series for l in s.lines if l.kind == "chunk"]
    assert chunks
    for text in chunks:
        assert text.split()[-1].lower().strip(",.") not in NEVER_LAST, text
    joined = " | ".join(chunks)
    for split in ("look | at", "deal | with", "ninety | and", "this this", "we we"):
        assert split not in joined


# --- bounded ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("minutes", [3.0, 6.0])
def test_no_punctuation_never_makes_a_giant_clip_or_episode(minutes, monkeypatch):
    monkeypatch.setattr(lines, "ENGLISH_SHARE", 1e-3)  # only max_minutes bounds the story here
    giant = "쉼표도 마침표도 없이 이어지는 아주 긴 문단이 계속됩니다 " * 800  # ~24,000 characters
    section = Section("1", "section", "긴 문단", paragraphs=[giant], quotes=[Quote("word " * 300)],
                      terms=[Term(f"term{k}", f"용어{k}") for k in range(200)])
    s = only_full(lesson_of(section), max_minutes=minutes)
    assert estimate_seconds(s.lines) <= minutes * 60 * 1.1
    assert all(len(l.text) <= 240 for l in s.lines)
    assert any(l.kind == "narration" for l in s.lines) and any(l.kind == "term" for l in s.lines)


def test_condensing_keeps_whole_sentences_in_order(monkeypatch):
    monkeypatch.setattr(lines, "ENGLISH_SHARE", 1e-3)  # only max_minutes bounds the story here
    sentences = [f"이것은 {n}번째 문장이고, 충분히 길게 써서 말하는 시간이 꽤 걸리도록 만든 문장입니다." for n in range(1, 80)]
    paragraphs = [" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5)]
    section = Section("1", "section", "긴 섹션", paragraphs=paragraphs, terms=[Term("sentence", "문장")])
    short = only_full(lesson_of(section), max_minutes=2.0)
    told = [l.text for l in short.lines if l.kind == "narration"]
    said = [korean.for_voice(s) for s in sentences]
    assert 0 < len(told) < len(sentences) and set(told) <= set(said)
    assert told == sorted(told, key=said.index)  # in order
    assert estimate_seconds(short.lines) < 2.0 * 60 * 1.1


# --- identity ------------------------------------------------------------------------------------------


def test_guids_depend_only_on_seed_and_key():
    lesson = seed.read(ARTICLE)
    scripts = script.write(lesson, LessonSettings())
    assert scripts[1].guid == str(uuid.uuid5(script.GUID_NAMESPACE, "small-giant-article/1"))
    fixed = copy.deepcopy(lesson)
    fixed.sections[1].heading += " (오타 수정)"
    fixed.sections[1].paragraphs[0] = "완전히 새로 쓴 문단입니다."
    again = script.write(fixed, LessonSettings(max_minutes=3))
    assert [s.guid for s in again] == [s.guid for s in scripts]


def test_deterministic_and_pure():
    lesson = seed.read(ARTICLE)
    before = copy.deepcopy(lesson)
    assert script.write(lesson, LessonSettings()) == script.write(lesson, LessonSettings())
    assert lesson == before
    assert course(*ALL) == course(*ALL)


# --- odd sections -----------------------------------------------------------------------------------


def test_korean_only_section():
    s = only_full(lesson_of(Section("1", "section", "한국어만", paragraphs=["영어가 없는 문단입니다. 두 번째 문장입니다."])))
    parts = {l.part for l in s.lines}
    assert "expressions" not in parts and "sentences" not in parts and "recap" not in parts
    assert all(l.lang in ("ko", None) for l in s.lines)
    assert any(l.kind == "narration" for l in s.lines)


@pytest.mark.parametrize("paragraphs, expected", [
    (["Write it down. Decisions that live only in meetings are forgotten by the next week."],
     "Decisions that live only in meetings are forgotten by the next week."),
    (["Short.", "No full stop here"], None),
    (["영어 없는 문단입니다. Korean text here too."], None),
])
def test_practice_sentence_of_an_english_only_section(paragraphs, expected):
    found = script.practice_sentence(Section("1", "section", "H", paragraphs=paragraphs))
    assert (found.english if found else None) == expected


def test_english_only_article_practises_a_sentence_in_every_episode():
    lesson = seed.read(FIXTURES / "seeds/wordpress-english.txt")
    scripts = script.write(lesson, LessonSettings())
    assert [s.episode_type for s in scripts] == ["trailer", "full", "full"]
    slow = {s.slug: [l.text for l in s.lines if l.kind == "slow"] for s in scripts}
    assert slow[scripts[1].slug] == ["Put your request in the first line."]
    assert all(slow.values())


def test_emoji_are_not_spoken():
    section = Section("1", "section", "🚀 성장 전략 ★", paragraphs=["매출이 30% 늘었습니다 📈. ✅ 🎉"],
                      quotes=[Quote("Growth is a team sport 🏀!")], terms=[Term("growth 🌱", "성장")])
    s = only_full(lesson_of(section))
    spoken = " ".join(l.text for l in s.lines if l.spoken)
    assert not re.search("[\U0001F300-\U0001FAFF\u2600-\u27BF]", spoken)
    assert "Growth is a team sport!" in spoken and "성장 전략" in spoken


def test_no_numbered_sections_one_full_episode():
    lesson = seed.read(FIXTURES / "seeds/business-trip.txt")
    assert [(s.episode_type, s.slug, s.number) for s in script.write(lesson, LessonSettings())] == [
        ("full", "business-trip-01", 1)]


def test_what_a_script_teaches_is_read_back_from_its_lines():
    scripts = course(FIXTURES / "lessons/offer-talk.txt")
    first = next(s for s in scripts if s.slug == "offer-talk-01")
    terms, quotes = script.review_items(first)
    assert [(t.english, t.korean) for t in terms] == [("signing bonus", "계약 보너스")]
    assert len(quotes) == 1 and quotes[0].english.startswith("We are looking at")
    assert quotes[0].korean.startswith("이 직무의 기본급은")
    assert script.missing_meanings(first) == []
    meeting = course(FIXTURES / "lessons/meeting-notes.txt")
    assert script.missing_meanings(next(s for s in meeting if s.slug == "meeting-notes-02")) == [
        "we kind of realized that this sort of review saves us a lot of time later"]


LONG_OUTRO = """\
작은 회사의 큰 계약

by Tester 2025. 9. 2.

서론: 왜 이 회사인가

모두가 빠른 성장을 말할 때 이 회사는 오래 가는 신뢰(trust)를 선택했습니다. 그 선택이 어떻게 계약으로 이어졌는지 살펴봅니다. 고객은 화려한 기능보다 약속을 지키는 회사를 원했습니다.

1. 첫 번째 전략

회사는 작은 고객부터 만났습니다. 고객의 이야기를 끝까지 들었습니다.

"We listened before we sold anything"

2. 두 번째 전략

회사는 실수를 먼저 알렸습니다. 고객은 그 솔직함을 기억했습니다.

"Most companies hide their mistakes and we decided to publish every single one of ours"

3. 세 번째 전략

회사는 느리게 성장했습니다. 대신 떠나는 고객이 거의 없었습니다.

"Slow growth was the price we paid for customers who never left"

결론: 앞으로의 시험

이 회사가 커진 뒤에도 같은 원칙을 지킬 수 있을지가 진짜 시험입니다. 그 답이 작은 회사들의 미래를 보여줄 것입니다.

"if a company this small can keep its promises while it grows then every small company can learn to do the same thing and the playbook works for everyone"
"""


def test_a_long_quote_to_practise_never_crowds_the_story_out_of_a_trailer(tmp_path):
    """The trailer tells the introduction's claim; the conclusion's long quote is not taught there but
    in the article's last lesson (chunks, slow, pauses): the conclusion comes at the end of the course."""
    path = tmp_path / "long-outro.txt"
    path.write_text(LONG_OUTRO, encoding="utf-8")
    written = script.write(seed.read(path), LessonSettings())
    trailer, last = written[0], written[-1]
    assert trailer.episode_type == "trailer"
    told = " ".join(l.text for l in trailer.lines if l.kind == "narration" and l.lang == "ko")
    assert "신뢰" in told or "선택" in told, told
    assert not any(l.kind in ("chunk", "quote") and "playbook" in l.text for l in trailer.lines)
    # a run-on without punctuation: heard in the last lesson, as the speaker said it
    assert any(l.kind == "narration" and l.lang == "en" and "playbook" in l.text for l in last.lines)


# --- meanings, names and cues on articles of our own ---------------------------------------------------

OWN_MEANINGS = {
    "kaizen-retro.txt": {"shout-out": "칭찬", "blameless retro": "비난 없는 회고", "root cause": "근본 원인",
                         "kaizen": "큰 계획보다 작은 개선을 매일 쌓는 습관", "assign an owner": "담당자를 정해 두다"},
    "launch-week.txt": {"dogfooding": "고객보다 먼저 자기 제품을 직원이 써 보는 것", "catch early": "일찍 찾다", "cut scope": "범위를 줄이다",
                        "MVP": "첫 버전", "error rate": "오류율", "roll back": "되돌리다"},
}


@pytest.mark.parametrize("name, expected", OWN_MEANINGS.items())
def test_loanwords_are_explained_names_are_not_taught(name, expected):
    """카이젠(kaizen) after `..., 즉` is taught with the sentence's explanation; 토요타(Toyota) and
    피그마(Figma) are names, not vocabulary; a verb keeps its object or auxiliary (담당자를 정해 두다), a
    phrasal verb no adverb of the clause (바로 되돌릴(roll back) -> 되돌리다)."""
    taught = {}
    for s in course(FIXTURES / "lessons" / name):
        lines_ = [l for l in s.lines if l.part == "expressions"]
        taught.update({a.text: b.text for a, b in zip(lines_, lines_[1:]) if a.kind == "term" and b.kind == "meaning"})
    assert taught == expected


@pytest.mark.parametrize("english, korean, name", [
    ("Anthropic", "앤트로픽", True), ("OpenAI", "오픈AI", True), ("Claude", "클로드", True), ("Toyota", "토요타", True),
    ("Red Team", "약점을 찾는 공격 팀", False), ("BATNA", "최선의 대안", False), ("trust", "신뢰", False),
    ("red team", "레드팀", False),  # a loanword, not a name: taught (with an explanation when the text gives one)
    # people and companies as Korean spells them (issue 19): a surname alone, after who they are, in either order
    ("Roger Fisher", "로저 피셔", True), ("Notion", "노션", True), ("Dan Ariely", "애리얼리", True),
    ("Snowflake", "스노우플레이크", True), ("GitLab", "깃랩", True), ("Chris Voss", "협상가 크리스 보스", True),
    ("Project Aristotle", "아리스토텔레스 프로젝트", True), ("Customer Success", "고객 성공", False),
    ("Toyota Production System", "토요타 생산 방식", False),
])
def test_names_are_not_vocabulary(english, korean, name):
    assert script.is_name(Term(english, korean)) is name


@pytest.mark.parametrize("meaning, said, cue", [
    ("공개하다, 밝히다", "공개하다, 밝히다", "공개하다."),  # the cue: the first meaning names the term
    ("이탈이 적은, 끈끈한", "이탈이 적다, 끈끈하다", "이탈이 적다."),  # each meaning in dictionary form
    ("~을 책임지고 맡다", "무엇을 책임지고 맡다", "무엇을 책임지고 맡다."),  # a voice cannot say the tilde
    ("(소리·연결이) 끊기다", "(소리 연결이) 끊기다", "(소리 연결이) 끊기다."),
])
def test_term_meanings_and_cues(meaning, said, cue):
    section = Section("1", "section", "표현", paragraphs=["문장입니다."], terms=[Term("own something", meaning)])
    s = only_full(lesson_of(section))
    assert [l.text for l in s.lines if l.kind == "meaning"] == [said]
    assert [l.text for l in s.lines if l.kind == "cue"] == [cue]


def test_a_question_is_cued_as_a_question():
    section = Section("1", "section", "질문", paragraphs=["문장입니다."],
                      quotes=[Quote("How did you get into this field?", "이 분야에는 어떻게 들어오셨어요?")])
    s = only_full(lesson_of(section))
    assert [l.text for l in s.lines if l.kind == "cue"] == ["이 분야에는 어떻게 들어오셨어요?"]


def test_a_trailer_lists_each_lesson_with_its_first_english_and_an_outro_teases_the_next():
    written = course(FIXTURES / "lessons/launch-week.txt")
    trailer, fulls = written[0], [s for s in written if s.episode_type == "full"]
    firsts = [next(l.text for l in s.lines if l.kind == "quote") for s in fulls]
    heard = [(l.kind, l.lang, l.text) for l in trailer.lines if l.part == "narration" and l.kind != "narration"]
    for n, first in enumerate(firsts):
        at = heard.index(("heading", "en", first))
        assert heard[at - 1][1] == "ko" and heard[at - 1][2] in {l.text for l in fulls[n].lines if l.kind == "gloss"}
        assert heard[at - 2][2].startswith(phrases.listed(n + 1, "").split(",")[0])  # after its number and heading
        assert heard[at + 1][0] == "pause" and heard[at + 2] == ("heading", "en", first)  # say it, hear it
        assert heard[at + 3][0] == "pause" and heard[at + 4] == ("heading", "en", first)  # again, and again
    # the trailer's goodbye does not name the first lesson again: its list has just done so
    outro = [l.text for l in trailer.lines if l.part == "outro" and l.spoken]
    assert outro[-1] == korean.for_voice(phrases.FIRST_LESSON)
    # how the drills work: said where its own drills begin (its list is a taste: meaning, then English at once)
    said = [(l.kind, l.text) for l in trailer.lines if l.spoken]
    cues = [k for k, (kind, _) in enumerate(said) if kind == "cue"]
    how = [k for k, x in enumerate(said) if x == ("lead", korean.for_voice(phrases.HOW_DRILLS_WORK))]
    assert len(how) == bool(cues)  # a trailer with no drill leaves it to the first lesson, where they begin
    if cues:
        assert all(kind != "heading" for kind, _ in said[how[0]:])
        assert how[0] < cues[0] and said[how[0] - 1][0] == "recap"
    for s, nxt in zip(fulls, firsts[1:]):
        outro = [(l.kind, l.lang, l.text) for l in s.lines if l.part == "outro" and l.spoken]
        assert outro[-1] == ("heading", "en", nxt), s.slug
    assert all(l.kind != "heading" or l.lang != "en" for l in fulls[-1].lines if l.part == "outro")




def test_a_trailer_does_not_say_a_meaning_its_heading_has_just_said(tmp_path):
    from helpers import seed_file

    lesson = seed_file(tmp_path, "expressions.txt", "회의 표현\n\n요즘 회의에서 자주 쓰는 표현을 정리했습니다.\n\n"
                       "1. \"Can you walk me through it?\" – 차근차근 설명해 줄래요?\n\n숫자가 빠르게 넘어갈 때 씁니다.\n\n"
                       "2. touch base: 짧게 연락하다\n\n가볍게 확인할 때 씁니다.\n")
    trailer = script.write(lesson, LessonSettings())[0]
    assert trailer.episode_type == "trailer"
    said = [l.text for l in trailer.lines if l.part == "narration" and l.spoken]
    assert said.count("차근차근 설명해 줄래요?") == 1, said  # in its heading, not again before the English
    assert "Can you walk me through it?" in said
