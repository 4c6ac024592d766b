"""The story is cut from the end of each paragraph's run, never leaving a sentence whose reference
(이를, 이는, 이러한, 그래서, 둘째 without 첫째, a named case the next sentences tell) points at one
that was cut; a sentence marked as saying what a key sentence means is never cut."""

from __future__ import annotations

import pytest

from audiogen.lesson.condense import Told, _needs, fit, keep


# --- the story: cut from the end of each paragraph, never dangling -----------------------------------

STORY = [Told(0, "토요타 공장에는 안돈 코드가 있습니다."), Told(0, "작업자는 이 줄을 당겨 라인을 멈춥니다."),
         Told(0, "이를 안돈이라고 부릅니다."), Told(1, "첫째, 기계가 멈추면 사람은 원인을 찾습니다."),
         Told(1, "둘째, 같은 문제가 다시 생기지 않도록 표준 작업을 고칩니다."), Told(1, "셋째, 고친 방법을 퍼뜨립니다."),
         Told(2, "이 말은 멈추는 것이 배움이라는 뜻입니다."), Told(2, "그래서 토요타는 멈추는 것을 실패로 보지 않습니다."),
         Told(3, "방문객들은 라인이 자주 멈추는 모습에 놀라곤 합니다."), Told(3, "이러한 모습은 다른 공장에는 없습니다.")]


@pytest.mark.parametrize("budget", [0.0, 3.0, 6.0, 9.0, 12.0, 15.0, 20.0, 30.0, 100.0])
def test_condensing_never_leaves_a_sentence_whose_reference_was_cut(budget):
    protected = {"이 말은 멈추는 것이 배움이라는 뜻입니다."}
    kept = keep(STORY, budget, [], protected=protected.__contains__)
    needs = _needs(STORY)
    for i in kept:
        assert needs[i] <= kept, (budget, STORY[i].text)
    assert 6 in kept  # the Korean that says what a quote means is never cut
    for p in {it.paragraph for it in STORY}:  # each paragraph keeps its opening run: cuts come from its end
        run = sorted(i for i in kept if STORY[i].paragraph == p)
        everything = [i for i, it in enumerate(STORY) if it.paragraph == p]
        assert run == everything[:len(run)], (budget, p, run)


def test_what_a_sentence_points_at():
    needs = _needs(STORY)
    assert needs[2] == {1} and needs[4] == {3} and needs[5] == {4} and needs[7] == {6} and needs[9] == {8}
    assert needs[0] == needs[3] == needs[6] == set()
    # 둘째 without 첫째 leans on the sentence before it
    assert _needs([Told(0, "공격하는 팀이 먼저 찾아야 합니다."), Told(0, "둘째, 약점은 문서로 남깁니다.")])[1] == {0}
    # a sentence that names what the next ones tell about is never told without them
    told = [Told(0, "가장 충격적인 사례는 '블랙메일 실험'입니다."), Told(0, "연구자들은 모델이 꺼질 위기에서 어떻게 하는지 봤습니다.")]
    assert _needs(told)[0] == {1} and keep(told, 4.0, []) in (set(), {0, 1})
    # when only one sentence fits, it is one that needs no other
    one = fit([Told(0, "이를 카이젠이라고 부릅니다."), Told(0, "토요타에는 카이젠이 있습니다.")], 0.0, ["카이젠"], 30.0)
    assert one == {1}


@pytest.mark.parametrize("text", [
    "반대로 어떤 팀은 지키지 못할 목표를 세웠습니다.",  # the contrast is with the sentence before
    "이후 회의 안건은 팀원이 미리 적었습니다.",  # after what the sentence before told
    "그러자 팀장들이 먼저 방식을 바꿨습니다.",
    "결국 목표는 두 개로 줄었습니다.",
    "덕분에 새벽 호출이 줄었습니다.",
    "오히려 성과는 더 좋아졌습니다.",
    "회사가 처음으로 해외 시장에 직접 뛰어든 것이다.",  # -ㄴ 것이다: what the sentence before amounts to
    "여기서 상대가 답하면 후속 질문으로 이어가면 됩니다.",  # here: where the sentence before left off
    "이걸 적극적 경청이라고 부르죠.",
    "특히 마감이 걸린 요청일수록 빨리 답하는 것이 예의입니다.",  # especially: among what was said before
])
def test_a_sentence_that_goes_on_from_the_one_before_is_not_told_alone(text):
    told = [Told(0, "몇몇 팀은 일부러 쉬운 목표를 세웠습니다."), Told(0, text)]
    assert _needs(told)[1] == {0}
    assert fit(told, 0.0, [], 30.0) == {0}


def test_a_sentence_that_promises_a_reason_is_told_with_it():
    told = [Told(0, "회사가 동남아를 첫 무대로 고른 이유는 분명하다."), Told(0, "결제 시장이 두 배로 커졌다.")]
    assert _needs(told) == [{1}, {0}]
    own = [Told(0, "회의는 짧게 합니다."), Told(0, "가장 중요한 것은 매일 조금씩 고치는 것입니다.")]
    assert _needs(own) == [set(), set()]  # 고치는 것: a present rule, not what the sentence before amounts to


def test_a_bloggers_hello_is_not_the_story():
    from audiogen.lesson.condense import sentence_items

    told = [t.text for t in sentence_items(["안녕하세요, 퇴근길 책방입니다. 오늘은 제가 읽은 책을 정리합니다.",
                                            "안녕하세요라는 인사도 영어로는 여러 가지입니다."])]
    assert told == ["오늘은 제가 읽은 책을 정리합니다.", "안녕하세요라는 인사도 영어로는 여러 가지입니다."]


@pytest.mark.parametrize("first, second", [
    ("이 책의 핵심은 아주 간단한 그림 하나입니다.", "가로축은 도전, 세로축은 관심입니다."),  # what the next one describes
    ("그렇다면 어디서부터 시작해야 할까요?", "저자의 답은 의외로 먼저 피드백을 요청하라는 것입니다."),  # a question and its answer
])
def test_a_sentence_that_needs_the_next_is_never_told_without_it(first, second):
    told = [Told(0, first), Told(0, second), Told(1, "저자는 구글에서 관리자로 일했습니다.")]
    assert _needs(told) == [{1}, {0}, set()]
    assert fit(told, 0.0, [], 30.0) == {2}  # told alone, one that needs no other
