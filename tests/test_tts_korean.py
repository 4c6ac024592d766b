"""Korean made easier for eSpeak NG (audiogen/tts/korean.py): numbers the Korean way, words respelled
as pronounced. Both are measured candidates, off by default (scripts/bench voices)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiogen.tts.espeak import EspeakEngine
from audiogen.tts.korean import pronounce


@pytest.mark.parametrize("written, spoken", [
    ("국물", "궁물"),  # nasalisation
    ("합니다", "함니다"),
    ("먹어요", "머거요"),  # liaison
    ("앉아", "안자"),  # a double final splits
    ("같이", "가치"),  # palatalisation
    ("신라", "실라"),  # lateralisation
    ("종로", "종노"),  # ㄹ after a nasal
    ("독립", "동닙"),
    ("학교", "학꾜"),  # tensification
    ("좋다", "조타"),  # ㅎ aspirates
    ("축하", "추카"),
    ("않아요", "아나요"),  # ㅎ falls silent
    ("놓는", "논는"),
    ("닭", "닥"),  # final neutralisation
    ("끝", "끋"),
])
def test_rules(written, spoken):
    assert pronounce(written) == spoken


def test_only_hangul_words_change_and_spaces_stay_boundaries():
    assert pronounce("AI 시장은 3,000원(won) 입니다.") == "AI 시장은 3,000원(won) 임니다."
    assert pronounce("책 읽기") == "책 일끼"  # no liaison across the space


@given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3) | st.sampled_from(" .,A"),
               max_size=30))
def test_any_text_without_digits_keeps_its_length_and_non_hangul(text):
    out = pronounce(text)
    assert len(out) == len(text)
    assert [c for c in out if not 0xAC00 <= ord(c) <= 0xD7A3] == [c for c in text if not 0xAC00 <= ord(c) <= 0xD7A3]


def test_espeak_reads_korean_numbers_and_can_read_respelled_korean():
    plain, numbers, spelled = (EspeakEngine(), EspeakEngine(korean_numbers=True),
                               EspeakEngine(korean_respelling=True))
    assert len({plain.version(), numbers.version(), spelled.version()}) == 3  # the cache tells them apart

    def frames(engine, text):  # eSpeak's pitch flutter moves samples, not lengths, by more than a few
        return engine.synthesize(text, "ko", "ko", 1.0).frames

    assert frames(numbers, "사과 3개") == pytest.approx(frames(plain, "사과 세 개"), rel=0.01)
    assert frames(plain, "사과 3개") == pytest.approx(frames(plain, "사과 삼 개"), rel=0.01)
    assert frames(plain, "사과 삼 개") > frames(plain, "사과 세 개") * 1.05
    assert frames(spelled, "국물이 맛있습니다.") == pytest.approx(frames(plain, "궁무리 마싣씀니다."), rel=0.01)


@pytest.mark.parametrize("written, read", [
    ("사과 3개와 20명", "사과 세 개와 스무 명"),  # native numbers before counters
    ("오후 2시에 23살", "오후 두 시에 스물세 살"),
    ("2026년 3월 30분", "2026년 3월 30분"),  # Sino-Korean ones stay digits: eSpeak reads those right
    ("3.5배", "3 점 오배"),
    ("10% 늘고 5km", "10 퍼센트 늘고 5 킬로미터"),
    ("3~5일", "3에서 5일"),
    ("GPT-4", "GPT-4"),
])
def test_numbers_and_units_the_korean_way(written, read):
    from audiogen.tts.korean import numbers

    assert numbers(written) == read
