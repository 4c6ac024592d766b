"""The lesson writer: structure of every episode, pedagogy (pauses, slow
passes, chunks), odd sections, condensing, determinism and reviews."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiogen import seed
from audiogen.lesson import writer as script
from audiogen.config import LessonSettings
from audiogen.model import PARTS, Lesson, Quote, Section, Term
from audiogen.text import dictionary_form, is_abbreviation, split_languages, spoken_seconds, split_sentences, without_glosses

ARTICLE = Path(__file__).resolve().parent / "fixtures" / "seeds" / "small-giant-article.txt"
SHOW = "출근길 영어"


def lesson_of(*sections: Section, seed_id: str = "demo") -> Lesson:
    return Lesson(seed_id=seed_id, source=Path(f"{seed_id}.md"), title="데모 레슨",
                  date=dt.date(2025, 3, 4), sections=list(sections))


def only_full(lesson: Lesson, **kw) -> script.Script:
    scripts = script.write(lesson, LessonSettings(**kw), SHOW)
    assert len(scripts) == 1
    return scripts[0]


def after(lines, i):
    return lines[i + 1] if i + 1 < len(lines) else None


# --- the user's article -----------------------------------------------------------


@pytest.fixture(scope="module")
def article():
    lesson = seed.read(ARTICLE)
    return lesson, script.write(lesson, LessonSettings(), SHOW)


def test_article_episodes(article):
    lesson, scripts = article
    assert [s.episode_type for s in scripts] == ["trailer", "full", "full", "full", "full"]
    assert [s.slug for s in scripts] == ["small-giant-article-trailer"] + [f"small-giant-article-0{n}" for n in range(1, 5)]
    assert [s.number for s in scripts] == [None, 1, 2, 3, 4]
    assert [s.order for s in scripts] == [0, 1, 2, 3, 4]
    assert all(s.date == dt.date(2025, 10, 7) for s in scripts)
    assert scripts[1].title == "속도가 아니라 안심을 판다"


def test_article_every_quote_natural_and_slow_then_pause(article):
    lesson, scripts = article
    lines = [line for s in scripts for line in s.lines]
    for section in lesson.sections:
        for q in section.quotes:
            natural = [l for l in lines if l.kind == "quote" and l.text == q.english]
            assert natural and all(l.lang == "en" and l.speed == 1.0 for l in natural)
            slow = [i for i, l in enumerate(lines) if l.kind == "slow" and l.text == q.english]
            assert slow
            for i in slow:
                assert lines[i].speed == 0.85 and lines[i].lang == "en"
                assert lines[i + 1].kind == "pause" and lines[i + 1].pause > 1.0


def test_article_every_term_taught_in_english(article):
    lesson, scripts = article
    taught = {l.text for s in scripts for l in s.lines if l.kind == "term" and l.lang == "en"}
    terms = {t.english for s in lesson.sections for t in s.terms}
    assert terms and terms <= taught


def test_article_headings_in_korean_and_no_noise(article):
    lesson, scripts = article
    for s, section in zip(scripts[1:], [x for x in lesson.sections if x.kind == "section"]):
        headings = [l for l in s.lines if l.kind == "heading"]
        assert headings[0].text == section.heading and headings[0].lang == "ko" and headings[0].part == "opening"
    for s in scripts:
        for line in s.lines:
            for noise in ("본문 바로가기", "728x90", "배움:", "by Heedong"):
                assert noise not in line.text
            assert line.text != lesson.title or line.kind == "heading"


def test_script_shape(article):
    _, scripts = article
    for s in scripts:
        assert s.lines[0].kind == "sting" and s.lines[0].part == "opening"
        assert s.lines[-1].kind == "sting" and s.lines[-1].part == "outro"
        ranks = [PARTS.index(l.part) for l in s.lines]
        assert ranks == sorted(ranks), s.slug
        for line in s.lines:
            if line.kind in ("pause", "sting"):
                assert line.text == "" and line.lang is None
            else:
                assert line.text.strip() and line.lang in ("ko", "en")
        assert re.fullmatch(r"[a-z0-9-]+", s.slug)
        assert "Key expressions:" in s.description
    announce = [l for l in scripts[2].lines if l.kind == "announce"]
    assert announce[0].text == f"{SHOW}, 두 번째 레슨."


def test_guids_depend_only_on_seed_and_key(article):
    lesson, scripts = article
    assert scripts[1].guid == str(uuid.uuid5(script.GUID_NAMESPACE, "small-giant-article/1"))
    fixed = copy.deepcopy(lesson)
    fixed.sections[1].heading += " (오타 수정)"
    fixed.sections[1].paragraphs[0] = "완전히 새로 쓴 문단입니다."
    again = script.write(fixed, LessonSettings(max_minutes=3), "다른 쇼")
    assert [s.guid for s in again] == [s.guid for s in scripts]
    assert len({s.guid for s in scripts}) == len(scripts)


def test_deterministic_and_pure(article):
    lesson, scripts = article
    before = copy.deepcopy(lesson)
    assert script.write(lesson, LessonSettings(), SHOW) == scripts
    assert lesson == before


# --- expressions and sentences --------------------------------------------------------


def test_term_teaching_sequence_and_pause():
    section = Section("1", "section", "표현", paragraphs=["설계 단계부터 내재되어야(engineered in) 했습니다."],
                      terms=[Term("engineered in", "내재되어야")])
    s = only_full(lesson_of(section))
    lines = [l for l in s.lines if l.part == "expressions" and l.kind != "lead"]
    assert [(l.kind, l.lang, l.text) for l in lines[:3]] == [
        ("term", "en", "engineered in"), ("meaning", "ko", "뜻은, 내재되다."), ("term", "en", "engineered in")]
    assert lines[3].kind == "pause"
    assert lines[3].pause == pytest.approx(1.0 + spoken_seconds("engineered in", "en"))
    slow = only_full(lesson_of(section), pause_factor=2.0)
    pause = [l for l in slow.lines if l.part == "expressions" and l.kind == "pause"][0]
    assert pause.pause == pytest.approx(2 * (1.0 + 2 / 2.5))


def test_quote_practice_sequence_with_gloss():
    q = Quote("Hype fades, but contracts renew.", "화제는 식지만, 계약은 갱신됩니다.")
    s = only_full(lesson_of(Section("1", "section", "문장", paragraphs=["본문입니다."], quotes=[q])), slow_speed=0.8)
    lines = [l for l in s.lines if l.part == "sentences" and l.kind != "lead"]
    assert [(l.kind, l.speed) for l in lines] == [
        ("quote", 1.0), ("gloss", 1.0), ("slow", 0.8), ("pause", 1.0), ("quote", 1.0)]
    assert lines[1].text == q.korean and lines[1].lang == "ko"
    assert lines[3].pause == pytest.approx(1.0 + 5 / 2.5)


@pytest.mark.parametrize("glossed, meaning", [
    ("내재되어야", "내재되다"), ("덧붙이는", "덧붙이다"), ("중요한", "중요하다"), ("승인된", "승인되다"),
    ("설명해야", "설명하다"), ("신뢰를 쌓는", "신뢰를 쌓다"), ("전략적인", "전략적"),
    # unsure or not a verb: as it is (만드는 comes from 만들다; 권한 is a noun)
    ("만드는", "만드는"), ("권한", "권한"), ("현지 연락처", "현지 연락처"), ("불가분하게", "불가분하게"),
])
def test_meanings_are_spoken_in_dictionary_form(glossed, meaning):
    assert dictionary_form(glossed) == meaning
    s = only_full(lesson_of(Section("1", "section", "표현", paragraphs=["본문."], terms=[Term("word", glossed)])))
    assert [l.text for l in s.lines if l.kind == "meaning"] == [f"뜻은, {meaning}."]
    assert meaning in [l.text for l in s.lines if l.kind == "recap"]


def test_two_quotes_are_set_apart_and_both_recapped():
    first = Quote("Before we talk numbers, could you share the range?", "범위를 먼저 알려 주시겠어요?")
    second = Quote("I'm flexible, but I'd like to see the full package.")
    s = only_full(lesson_of(Section("1", "section", "문장 둘", paragraphs=["본문입니다."], quotes=[first, second])))
    lines = [l for l in s.lines if l.part == "sentences"]
    last_of_first = max(i for i, l in enumerate(lines) if l.text == first.english)
    first_of_second = min(i for i, l in enumerate(lines) if l.text == second.english)
    between = lines[last_of_first + 1:first_of_second]
    assert [(l.kind, l.lang, l.text) for l in between] == [("lead", "ko", "다음 문장입니다.")]
    assert sum(l.text == "다음 문장입니다." for l in lines) == 1  # not before the first one
    recap = [(l.lang, l.text) for l in s.lines if l.part == "recap"]
    i = recap.index(("ko", "그리고 오늘의 문장 두 개."))
    assert recap[i + 1:i + 3] == [("en", first.english), ("en", second.english)]
    one = only_full(lesson_of(Section("1", "section", "문장 하나", paragraphs=["본문입니다."], quotes=[first])))
    recap = [(l.lang, l.text) for l in one.lines if l.part == "recap"]
    assert recap[-2:] == [("ko", "그리고 오늘의 문장."), ("en", first.english)]
    assert not any(l.text == "다음 문장입니다." for l in one.lines)


def test_a_trailer_closes_as_a_preview_and_a_lesson_as_a_lesson(article):
    _, scripts = article
    trailer = [l.text for l in scripts[0].lines if l.part == "outro" and l.spoken]
    assert "오늘 레슨은 여기까지입니다." not in trailer
    assert trailer[0] == "지금까지 이 시리즈의 예고편이었습니다."
    assert trailer[-1] == "그럼 첫 번째 레슨에서 만나요."
    assert f"첫 번째 레슨의 주제는, {scripts[1].title}." in trailer
    lesson = [l.text for l in scripts[1].lines if l.part == "outro" and l.spoken]
    assert lesson[0] == "오늘 레슨은 여기까지입니다." and not any("예고편" in t for t in lesson)
    assert f"다음 레슨의 주제는, {scripts[2].title}." in lesson


LONG = ("When the meeting runs long, summarize the decisions, name an owner for each one, "
        "and send the notes to everyone within an hour.")


def test_long_sentences_are_practised_in_chunks_at_phrase_boundaries():
    s = only_full(lesson_of(Section("1", "section", "청크", paragraphs=["본문."], quotes=[Quote(LONG)])))
    lines = s.lines
    chunks = [i for i, l in enumerate(lines) if l.kind == "chunk"]
    assert len(chunks) >= 3
    assert " ".join(lines[i].text for i in chunks) == LONG
    starters = {"and", "but", "that", "which", "when", "if", "because", "to", "for", "with", "within", "in", "on"}
    for i in chunks:
        assert lines[i + 1].kind == "pause"
        assert lines[i + 1].pause == pytest.approx(1.0 + spoken_seconds(lines[i].text, "en"))
        assert len(lines[i].text.split()) <= 7
    for i in chunks[1:]:
        prev_text, first_word = lines[i - 2].text, lines[i].text.split()[0].lower()
        assert prev_text.endswith(",") or first_word in starters, (prev_text, lines[i].text)
    # chunks come before the whole slow pass
    assert max(chunks) < next(i for i, l in enumerate(lines) if l.kind == "slow")


def test_chunking_off_and_short_sentences():
    off = only_full(lesson_of(Section("1", "section", "청크", paragraphs=["본문."], quotes=[Quote(LONG)])), chunks=False)
    assert not any(l.kind == "chunk" for l in off.lines)
    short = only_full(lesson_of(Section("1", "section", "청크", paragraphs=["본문."], quotes=[Quote("Hype fades.")])))
    assert not any(l.kind == "chunk" for l in short.lines)
    assert script.chunk("if Anthropic is able to make it work all of Gen AI is going to work and if not "
                        "we're going to have some serious problems")[4].startswith("and")


# Transcribed speech, as the user's quotes are: long, and often without a comma.
SPOKEN = [
    "we actually had this this sort of at the time it sounded very novel this belief that those two "
    "things actually were correlated and that they went together",
    "the real money the sticky reliable long-term money wasn't in viral moments it was in Fortune 500 contracts",
    "I think what we really need to do is to take a step back and look at the numbers before we commit to anything",
    "so the way I see it the customers who stay with us for more than a year are the ones who actually "
    "talk to our support team",
    "honestly the biggest lesson for me was that you have to build trust with the client long before you "
    "ask them for anything",
    "we decided to push the launch to next quarter because the vendor could not guarantee the delivery date",
]
# words a listener cannot stop on: the next word is what gives them meaning
NEVER_LAST = {"the", "a", "an", "this", "that", "my", "our", "their", "its", "your", "to", "of", "at", "in",
              "on", "for", "with", "from", "by", "about", "into", "as", "is", "are", "was", "were", "be", "will",
              "would", "can", "could", "should", "we", "i", "they", "he", "she", "and", "but", "or", "if",
              "because", "so", "when", "which", "who", "not", "very", "we're", "it's", "don't", "wasn't"}


@pytest.mark.parametrize("sentence", SPOKEN)
def test_chunks_of_transcribed_speech_end_on_a_whole_phrase(sentence):
    pieces = script.chunk(sentence)
    assert " ".join(pieces) == sentence
    assert len(pieces) >= 3
    for piece in pieces:
        words = piece.split()
        assert 2 <= len(words) <= 7, pieces
        assert words[-1].lower() not in NEVER_LAST or piece.endswith("sort of"), pieces
        assert words[0].lower() not in ("of", "'s"), pieces


def test_chunks_begin_with_the_preposition_or_the_conjunction():
    pieces = script.chunk(SPOKEN[0])
    assert "at the time" in [p[:11] for p in pieces]  # never "sort of at | the time"
    assert any(p.startswith("and that they went together") for p in pieces)
    assert script.chunk(SPOKEN[1])[-1] == "it was in Fortune 500 contracts"
    assert "the customers who stay with us" in script.chunk(SPOKEN[3])
    # "sort of" is a hedge that may close a phrase; "all of" and "going to" stay together
    joined = " | ".join(script.chunk("if Anthropic is able to make it work all of Gen AI is going to work "
                                     "and if not we're going to have some serious problems"))
    assert "all | of" not in joined and "going | to" not in joined and "Gen | AI" not in joined


@pytest.mark.parametrize("sentence, together", [
    ("In Q3, I grew our U.S. accounts by 40%, from $2M to $2.8M in annual revenue.", "our U.S. accounts"),
    ("The U.S. market for AI-powered bookkeeping is worth $1.2B today, and it's growing at 25% a year.",
     "The U.S. market"),
    ("Please call Mr. Kim before the meeting at 3 p.m. tomorrow about the contract.", "Mr. Kim"),
    ("Please call Mr. Kim before the meeting at 3 p.m. tomorrow about the contract.", "3 p.m. tomorrow"),
    ("Our product was ranked No. 1 in the category by analysts in the Q3 report this year.", "No. 1"),
    ("We offer a few perks, e.g. a home office budget and a learning stipend for everyone.", "e.g. a home"),
])
def test_abbreviations_are_not_sentence_ends(sentence, together):
    pieces = script.chunk(sentence)
    assert " ".join(pieces) == sentence
    assert any(together in p for p in pieces), pieces


@pytest.mark.parametrize("sentence, piece", [
    ("Thank you for working with me on this; I'm really excited to join the team.", "with me on this;"),
    ("A complaint is a gift: it's a customer telling you how to keep them.", "A complaint is a gift:"),
    ("I'm sorry this happened — I'd be frustrated too if I were in your shoes.", "I'm sorry this happened —"),
    ("Hype fades quickly in this market. Contracts renew every year for the teams that earn trust.",
     "Hype fades quickly in this market."),
])
def test_chunks_break_at_a_semicolon_a_colon_or_a_dash(sentence, piece):
    pieces = script.chunk(sentence)
    assert piece in pieces and " ".join(pieces) == sentence


def test_chunks_after_a_dash_without_spaces_and_phrases_that_stay_whole():
    pieces = script.chunk("I'm sorry this happened—I'd be frustrated too if I were in your shoes.")
    assert pieces == ["I'm sorry this happened—", "I'd be frustrated too", "if I were in your shoes."]
    assert "telling you how to keep them." in script.chunk(
        "A complaint is a gift: it's a customer telling you how to keep them.")
    assert any("looks like" in p for p in script.chunk(
        "Let's agree on what 'great' looks like for this role before we meet any candidates."))
    assert "the cloud costs were too high," in script.chunk(
        "the models weren't good enough, the cloud costs were too high, and small businesses didn't trust software")


@pytest.mark.parametrize("word, abbreviation", [
    ("U.S.", True), ("e.g.", True), ("Mr.", True), ("p.m.", True), ("No.", True), ("(i.e.", True),
    ("team.", False), ("Q3", False), ("$1.2B", False), ("A.", False), ("U.S", False),
])
def test_is_abbreviation(word, abbreviation):
    assert is_abbreviation(word) == abbreviation


@given(st.lists(st.sampled_from(["the", "a", "to", "of", "we", "and", "money", "trust", "runs", "long,",
                                 "at", "it", "was", "team.", "is", "sort", "this"]), min_size=8, max_size=40))
def test_chunks_always_rejoin_and_never_leave_a_word_alone(words):
    sentence = " ".join(words)
    pieces = script.chunk(sentence)
    assert " ".join(pieces) == sentence
    assert all(len(p.split()) >= 2 for p in pieces)


# --- odd sections ----------------------------------------------------------------------------


def test_korean_only_section():
    s = only_full(lesson_of(Section("1", "section", "한국어만", paragraphs=["영어가 없는 문단입니다. 두 번째 문장입니다."])))
    parts = {l.part for l in s.lines}
    assert "expressions" not in parts and "sentences" not in parts
    assert all(l.lang in ("ko", None) for l in s.lines)
    assert any(l.kind == "narration" for l in s.lines)


def test_english_only_section():
    section = Section("1", "section", "Small talk", paragraphs=[
        "Small talk builds rapport. It also gives people time to join the call."])
    s = only_full(lesson_of(section))
    narration = [l for l in s.lines if l.kind == "narration" and l.lang == "en"]
    assert narration and all(l.lang == "en" for l in s.lines if l.part == "narration")
    assert [l for l in s.lines if l.kind == "heading"][0].lang == "en"
    # nothing was quoted: the section's first short complete sentence is practised aloud
    practised = [l.text for l in s.lines if l.kind == "slow"]
    assert practised == ["Small talk builds rapport."]


@pytest.mark.parametrize("paragraphs, expected", [
    (["Write it down. Decisions that live only in meetings are forgotten by the next week."],
     "Decisions that live only in meetings are forgotten by the next week."),  # "Write it down." is too short
    (["Why it matters", "Every question does not need a meeting, and teams that default to async work "
      "protect the deep work that matters most to them.", "Async protects deep work!"], "Async protects deep work!"),
    (["Short.", "No full stop here"], None),
    (["영어 없는 문단입니다. Korean text here too."], None),  # not an English-only section
])
def test_practice_sentence_of_an_english_only_section(paragraphs, expected):
    found = script.practice_sentence(Section("1", "section", "H", paragraphs=paragraphs))
    assert (found.english if found else None) == expected


def test_practice_sentence_never_replaces_the_author_quote():
    section = Section("1", "section", "H", paragraphs=["Teams write a short decision log."],
                      quotes=[Quote("If it isn't written down, it didn't happen.")])
    assert script.practice_sentence(section) is None
    s = only_full(lesson_of(section))
    assert [l.text for l in s.lines if l.kind == "slow"] == ["If it isn't written down, it didn't happen."]


def test_english_only_article_practises_a_sentence_in_every_episode():
    lesson = seed.read(Path(__file__).parent / "fixtures/seeds/wordpress-english.txt")
    scripts = script.write(lesson, LessonSettings(), SHOW)
    assert [s.episode_type for s in scripts] == ["trailer", "full", "full"]
    slow = {s.slug: [l.text for l in s.lines if l.kind == "slow"] for s in scripts}
    assert slow[scripts[1].slug] == ["Put your request in the first line."]
    assert slow[scripts[2].slug] == ["Mixing topics makes replies slower and messier."]
    assert all(slow.values())


def test_section_without_quote_skips_sentences():
    s = only_full(lesson_of(Section("1", "section", "용어", paragraphs=["신뢰(trust)가 중요합니다."],
                                    terms=[Term("trust", "신뢰")])))
    assert "sentences" not in {l.part for l in s.lines}
    assert "expressions" in {l.part for l in s.lines}


def test_section_with_only_quotes_and_no_paragraphs():
    s = only_full(lesson_of(Section("1", "section", "문장만", quotes=[Quote("Trust takes years to build.")])))
    assert any(l.kind == "slow" for l in s.lines)


EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F\u200d]")


def test_symbols_and_emoji_are_not_spoken():
    section = Section("1", "section", "🚀 성장 전략 ★", paragraphs=[
        "매출이 30% 늘었습니다 📈. 가격은 ₩10,000 → ₩12,000 입니다 👍.", "✅ 🎉 ★"],
        quotes=[Quote("Growth is a team sport 🏀!")], terms=[Term("growth 🌱", "성장")])
    s = only_full(lesson_of(section))
    spoken = [l for l in s.lines if l.spoken]
    assert all(not EMOJI.search(l.text) for l in spoken)
    texts = " ".join(l.text for l in spoken)
    assert "30%" in texts and "₩10,000" in texts and "성장 전략" in texts
    assert "Growth is a team sport!" in texts and "growth" in texts
    assert all(any(c.isalnum() for c in l.text) for l in spoken)


def test_condensing_keeps_whole_sentences():
    sentences = [f"이것은 {n}번째 문장이고, 충분히 길게 써서 말하는 시간이 꽤 걸리도록 만든 문장입니다." for n in range(1, 80)]
    paragraphs = [" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5)]
    section = Section("1", "section", "긴 섹션", paragraphs=paragraphs)
    short = only_full(lesson_of(section), max_minutes=2.0)
    long = only_full(lesson_of(section), max_minutes=60.0)
    told = [l.text for l in short.lines if l.kind == "narration" and l.part == "narration"]
    everything = [l.text for l in long.lines if l.kind == "narration" and l.part == "narration"]
    assert len(told) < len(everything) == len(sentences) - 1  # the first one says why it matters
    assert set(told) <= set(sentences)
    assert told == [s for s in everything if s in told]  # in order
    assert script.estimate_seconds(short.lines) < 2.0 * 60 * 1.2
    assert split_sentences("그는 \"Mr. Kim said no. Really.\"라고 말했다. 2026. 1. 13. 에 끝났다.") == [
        "그는 \"Mr. Kim said no. Really.\"라고 말했다.", "2026. 1. 13. 에 끝났다."]


def test_inline_english_quote_is_not_doubled_in_narration(tmp_path):
    path = tmp_path / "inline.txt"
    path.write_text("제목\n\n1. 주제\n\n그는 \"Safety is the product we sell.\"라고 말했습니다. 다음 문장입니다.\n",
                    encoding="utf-8")
    s = script.write(seed.read(path), LessonSettings(), SHOW)[0]
    narration = [l for l in s.lines if l.part in ("opening", "narration")]
    assert sum("Safety is the product we sell." in l.text for l in narration) == 1
    assert any(l.kind == "slow" and l.text == "Safety is the product we sell." for l in s.lines)


SUBHEADED = """회의 영어 정리

1. 회의를 여는 법

회의의 목적을 처음 1분 안에 밝히세요. 참석자가 준비할 수 있습니다.

안건 먼저 말하기

오늘 꼭 내려야 할 결정 하나부터 시작하세요. 시간이 절약됩니다.

Wrap up with owners

마지막에는 담당자를 정하세요.
"""


def test_unnumbered_sub_headings_are_read_as_headings(tmp_path):
    path = tmp_path / "meeting.txt"
    path.write_text(SUBHEADED, encoding="utf-8")
    s = script.write(seed.read(path), LessonSettings(), SHOW)[0]
    told = [(l.kind, l.lang, l.text) for l in s.lines if l.part == "narration"]
    assert ("heading", "ko", "안건 먼저 말하기") in told
    assert ("heading", "en", "Wrap up with owners") in told
    assert all(not l.text.startswith("안건 먼저") for l in s.lines if l.kind == "narration")
    i = told.index(("heading", "ko", "안건 먼저 말하기"))
    assert told[i + 1] == ("narration", "ko", "오늘 꼭 내려야 할 결정 하나부터 시작하세요.")
    assert script.is_subheading("안건 먼저 말하기") and not script.is_subheading("시간이 절약됩니다.")
    assert not script.is_subheading("회의의 목적을 처음 1분 안에 밝히세요 그러면 참석자가 준비할 수 있고 시간이 절약됩니다")


def test_condensing_keeps_leaning_sentences_with_their_partner():
    items = [(0, "하지만 그늘에서 조용히 성장하는 경쟁자가 있습니다."), (0, "바로 앤트로픽입니다."),
             (1, "다른 이야기를 길게 하는 문장이고 여기서는 중요하지 않은 이야기입니다."),
             (2, "진짜 시험대는 이것입니다."), (2, "수요를 지속 가능한 수익으로 바꿀 수 있는가.")]
    for budget in (3.0, 6.0, 9.0, 12.0):
        kept = script.condense(items, budget)
        assert ("바로 앤트로픽입니다." in kept) == ("하지만 그늘에서 조용히 성장하는 경쟁자가 있습니다." in kept)
        assert ("진짜 시험대는 이것입니다." in kept) == ("수요를 지속 가능한 수익으로 바꿀 수 있는가." in kept)


def test_trailer_tells_the_intro_claim_and_teaches_the_outro_quote(article):
    lesson, scripts = article
    trailer = scripts[0]
    told = " ".join(l.text for l in trailer.lines if l.part == "narration")
    assert "가장 오래 남는 자산" in told  # the intro's key claim...
    taught = [l.text for l in trailer.lines if l.part == "expressions" and l.lang == "en"]
    assert "hype" in taught and "trust" in taught  # ...and its terms, in English, right after
    quote = next(q.english for s in lesson.sections if s.kind == "outro" for q in s.quotes)
    assert any(l.kind == "slow" and l.text == quote for l in trailer.lines)
    assert any(l.kind == "chunk" for l in trailer.lines)


def test_english_in_korean_narration_is_said_by_the_english_voice(article):
    _, scripts = article
    lines = scripts[4].lines
    # a taught term's gloss leaves the Korean sentence whole, in one voice...
    told = next(l for l in lines if l.part == "narration" and "적의 땅을 빌려" in l.text)
    assert told.lang == "ko" and "싸우는 전략\"이라고 부릅니다." in told.text.replace("”", "\"")
    # ...and the term is heard in English in the expressions part
    assert any(l.part == "expressions" and l.lang == "en"
               and l.text == "fighting on borrowed ground" for l in lines)
    for s in scripts:
        for l in s.lines:
            if l.lang == "ko":
                assert not re.search(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", l.text), l.text
                assert "(" not in l.text
    assert split_languages("바로 '앤트로픽(Anthropic)'입니다.") == [("ko", "바로 앤트로픽입니다.")]
    assert split_languages("그는 \"Safety is the product we sell.\"라고 말했습니다.") == [
        ("ko", "그는"), ("en", "Safety is the product we sell."), ("ko", "라고 말했습니다.")]
    assert split_languages("OpenAI의 ChatGPT가 Fortune 500 기업에 팔립니다.") == [
        ("ko", "OpenAI의 ChatGPT가 Fortune 500 기업에 팔립니다.")]


GLOSSED = """B2B SaaS 마케터의 출시 노트(launch notes)

들어가며

제품을 만드는 것과 파는 것은 다릅니다. 이번 글에서는 시장 진출 전략(go-to-market)을 다룹니다.

1. 시장 진출 전략(GTM)을 세워라

시장 진출 전략(go-to-market)은 누구에게, 어떤 채널로, 얼마에 팔지를 정하는 계획입니다. 기업 고객과 개인 고객(B2B/B2C)은 다른 전략이 필요합니다.

"Pricing is a product decision, not a finance decision."
가격은 재무의 결정(finance decision)이 아니라 제품의 결정입니다.

2. 첫 문장에 영어 문장이 있을 때

그는 "Ship it when it is ready"라고 말했습니다. 그 말이 팀의 원칙(principle)이 되었습니다.

맺음말

B2B SaaS 출시는 마라톤입니다.
"""

LATIN_IN_PARENS = re.compile(r"\([^)]*[A-Za-z]")


def test_no_korean_line_holds_a_parenthesised_english_term(tmp_path):
    path = tmp_path / "glossed.txt"
    path.write_text(GLOSSED, encoding="utf-8")
    scripts = script.write(seed.read(path), LessonSettings(), SHOW)
    assert [s.episode_type for s in scripts] == ["trailer", "full", "full"]
    for s in scripts:
        for line in s.lines:
            if line.lang == "ko":
                assert not LATIN_IN_PARENS.search(line.text), (s.slug, line)
                assert not re.search(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", line.text), (s.slug, line)
    # the "why" line reads whole in Korean: its term is taught right after, in English
    why = [(l.lang, l.text) for l in scripts[1].lines if l.kind == "narration" and l.part == "opening"]
    assert why == [("ko", "왜 중요할까요? 시장 진출 전략은 누구에게, 어떤 채널로, 얼마에 팔지를 정하는 계획입니다.")]
    assert [l.text for l in scripts[1].lines if l.kind == "term"][:2] == ["go-to-market", "go-to-market"]
    # English the episode does not teach is said by the English voice, in order
    why = [(l.lang, l.text) for l in scripts[2].lines if l.kind == "narration" and l.part == "opening"]
    assert why == [("ko", "왜 중요할까요? 그는"), ("en", "Ship it when it is ready"), ("ko", "라고 말했습니다.")]
    # a heading's gloss is an annotation: the heading is said whole, wherever it is said
    told = [(l.kind, l.lang, l.text) for l in scripts[1].lines]
    assert ("heading", "ko", "시장 진출 전략을 세워라") in told
    assert ("recap", "ko", "지금까지 살펴본 주제는, 시장 진출 전략을 세워라.") in told
    trailer = [(l.kind, l.lang, l.text) for l in scripts[0].lines]
    assert ("narration", "ko", "레슨 1, 시장 진출 전략을 세워라.") in trailer
    assert ("outro", "ko", "첫 번째 레슨의 주제는, 시장 진출 전략을 세워라.") in trailer
    # short English words stay in the Korean line: the Korean voice reads them
    assert ("heading", "ko", "B2B SaaS 마케터의 출시 노트") in trailer
    assert ("narration", "ko", "B2B SaaS 출시는 마라톤입니다.") in trailer
    # the narration leaves out the gloss of a term the lesson teaches: one Korean clip, not three
    assert [(l.lang, l.text) for l in scripts[1].lines if l.kind == "narration" and l.part == "narration"][0] == (
        "ko", "기업 고객과 개인 고객은 다른 전략이 필요합니다.")
    assert ("term", "en", "B2B/B2C") in [(l.kind, l.lang, l.text) for l in scripts[1].lines]


def test_without_glosses_and_short_english_words():
    assert without_glosses("시장 진출 전략(go-to-market)은 계획입니다.", ["Go-to-market"]) == "시장 진출 전략은 계획입니다."
    assert without_glosses("전환율 ( conversion  rate ), 문의", ["conversion rate"]) == "전환율, 문의"
    assert without_glosses("후기(testimonial)는 강력합니다.", ["trust"]) == "후기(testimonial)는 강력합니다."
    assert without_glosses("시장 진출 전략(GTM)을 세워라 (2025)") == "시장 진출 전략을 세워라 (2025)"
    assert without_glosses("Pricing (first)") == "Pricing (first)"
    assert split_languages("B2B SaaS 기업의 CS팀은 바쁩니다.") == [("ko", "B2B SaaS 기업의 CS팀은 바쁩니다.")]
    assert split_languages("우리는 go to market 전략을 세웠습니다.") == [
        ("ko", "우리는"), ("en", "go to market"), ("ko", "전략을 세웠습니다.")]


def test_no_numbered_sections_one_full_episode():
    lesson = seed.read(Path(__file__).parent / "fixtures/seeds/business-trip.txt")
    scripts = script.write(lesson, LessonSettings(), SHOW)
    assert [(s.episode_type, s.slug, s.number) for s in scripts] == [("full", "business-trip-01", 1)]


# --- reviews ---------------------------------------------------------------------------------


def series(n: int, seeds: tuple[int, ...] | None = None) -> list[script.Script]:
    """`n` lessons, from one seed or from seeds of the given sizes."""
    sections = [Section(str(k), "section", f"주제 {k}", paragraphs=[f"{k}번째 본문입니다."],
                        quotes=[Quote(f"Sentence number {k} is here.", f"{k}번 문장입니다.")],
                        terms=[Term(f"term{k}", f"용어{k}")]) for k in range(1, n + 1)]
    out, start = [], 0
    for i, size in enumerate(seeds or (n,)):
        out += script.write(lesson_of(*sections[start:start + size], seed_id=f"seed{i}"), LessonSettings(), SHOW)
        start += size
    return out


def test_reviews_off_or_too_few():
    assert script.reviews(series(6, (3, 3)), LessonSettings(review_every=0), SHOW) == []
    assert script.reviews(series(3, (2, 1)), LessonSettings(review_every=3), SHOW) == []


def test_an_article_on_its_own_gets_no_review():
    assert script.reviews(series(8), LessonSettings(review_every=3), SHOW) == []


def test_reviews_close_seeds_that_others_follow():
    scripts = series(9, (2, 2, 4, 1))
    reviews = script.reviews(scripts, LessonSettings(review_every=3), SHOW)
    # lessons 1-2 | 3-4 | 5-8 | 9: a review after lesson 4 (4 since the start) and 8 (4 since)
    assert [(r.seed_id, r.order) for r in reviews] == [("seed1", 2), ("seed2", 4)]


def test_reviews_spacing_and_anticipation():
    scripts = series(7, (3, 3, 1))
    reviews = script.reviews(scripts, LessonSettings(review_every=3), SHOW)
    assert [r.slug for r in reviews] == ["review-01", "review-02"]
    assert all(r.episode_type == "bonus" for r in reviews)
    second = reviews[1]
    cued = {l.text for l in second.lines if l.kind == "answer"}
    # after lesson 6: items from 1, 2 and 5 lessons back (6, 5 and 2), not 3 or 4
    assert {"term6", "term5", "term2"} <= cued
    assert not {"term4", "term3"} & cued
    body = [l for l in second.lines if l.part == "review"]
    i = next(i for i, l in enumerate(body) if l.kind == "cue")
    assert [(l.kind, l.lang) for l in body[i:i + 5]] == [
        ("cue", "ko"), ("pause", None), ("answer", "en"), ("pause", None), ("answer", "en")]
    assert body[i].text.startswith("용어6")
    assert body[i + 1].pause > body[i + 3].pause  # recalling takes longer than repeating
    cues = [l.text for l in second.lines if l.kind == "cue"]
    assert "6번 문장입니다. 영어로는?" in cues and not any(".." in c for c in cues)


def test_review_guids_are_stable_and_follow_the_lessons():
    scripts = series(7, (3, 3, 1))
    a = script.reviews(scripts, LessonSettings(review_every=3), SHOW)
    b = script.reviews(series(7, (3, 3, 1)), LessonSettings(review_every=3), "다른 쇼")
    assert [r.guid for r in a] == [r.guid for r in b]
    shifted = script.reviews(scripts[1:3] + scripts[:1] + scripts[3:], LessonSettings(review_every=3), SHOW)
    assert shifted[0].guid != a[0].guid
    assert len({r.guid for r in a} | {s.guid for s in scripts}) == 9


def test_renumber():
    first = series(1)[0]
    moved = script.renumber(first, 7, SHOW)
    assert moved.number == 7 and [l.text for l in moved.lines if l.kind == "announce"] == [f"{SHOW}, 일곱 번째 레슨."]
    assert first.number == 1 and dataclasses.replace(moved, number=1, lines=first.lines) == first
    assert [l.text for l in script.renumber(first, 1, SHOW).lines if l.kind == "announce"] == [f"{SHOW}, 첫 번째 레슨."]
    assert [l.text for l in script.renumber(first, 12, SHOW).lines if l.kind == "announce"] == [f"{SHOW}, 레슨 12."]


@pytest.mark.parametrize("n, said", [(1, "첫 번째"), (2, "두 번째"), (3, "세 번째"), (4, "네 번째"), (10, "열 번째"),
                                     (11, ""), (0, "")])
def test_native_korean_ordinals_up_to_ten(n, said):
    assert script.ordinal(n) == said


def test_a_trailer_does_not_call_itself_a_lesson():
    path = ARTICLE
    trailer, *lessons = script.write(seed.read(path), LessonSettings(), SHOW)
    leads = [l.text for l in trailer.lines if l.kind == "lead" and l.part == "expressions"]
    assert leads and all("레슨" not in t for t in leads)
    assert any("이번 레슨" in l.text for l in lessons[0].lines if l.kind == "lead" and l.part == "expressions")
