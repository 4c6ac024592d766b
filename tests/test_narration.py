"""Narration: sub-headings, whole sentences kept with the sentence they lean on, English said by
the English voice, and glosses of taught terms left out of the Korean sentence."""

from __future__ import annotations

import re

import pytest

from audiogen import seed
from audiogen.config import LessonSettings
from audiogen.lesson import lines
from audiogen.lesson import writer as script
from audiogen.lesson.condense import Told, _needs, is_subheading, keep, sentence_items
from audiogen.text import split_languages, split_sentences, without_glosses

SUBHEADED = """회의 영어 정리

1. 회의를 여는 법

회의의 목적을 처음 1분 안에 밝히세요. 참석자가 준비할 수 있습니다.

안건 먼저 말하기

오늘 꼭 내려야 할 결정 하나부터 시작하세요. 시간이 절약됩니다.

Wrap up with owners

마지막에는 담당자를 정하세요.
"""


def test_unnumbered_sub_headings_are_read_as_headings(tmp_path, monkeypatch):
    monkeypatch.setattr(lines, "ENGLISH_SHARE", 1e-3)  # room for the whole story: how it is told is tested here
    path = tmp_path / "meeting.txt"
    path.write_text(SUBHEADED, encoding="utf-8")
    s = script.write(seed.read(path), LessonSettings())[0]
    told = [(l.kind, l.lang, l.text) for l in s.lines if l.part == "narration"]
    assert ("heading", "ko", "안건 먼저 말하기") in told
    assert ("heading", "en", "Wrap up with owners") in told
    i = told.index(("heading", "ko", "안건 먼저 말하기"))
    assert told[i + 1] == ("narration", "ko", "오늘 꼭 내려야 할 결정 하나부터 시작하세요.")
    assert ("narration", "ko", "회의의 목적을 처음 일분 안에 밝히세요.") in told  # the first sentence too
    assert is_subheading("안건 먼저 말하기") and not is_subheading("시간이 절약됩니다.")


def test_condensing_keeps_leaning_sentences_with_their_partner():
    items = [Told(0, "하지만 그늘에서 조용히 성장하는 경쟁자가 있습니다."), Told(0, "바로 앤트로픽입니다."),
             Told(1, "다른 이야기를 길게 하는 문장이고 여기서는 중요하지 않은 이야기입니다."),
             Told(2, "진짜 시험대는 이것입니다."), Told(2, "수요를 지속 가능한 수익으로 바꿀 수 있는가.")]
    for budget in (3.0, 6.0, 9.0, 12.0):
        kept = keep(items, budget, [])
        assert (1 in kept) == (0 in kept) and (3 in kept) == (4 in kept)
    assert split_sentences("그는 \"Mr. Kim said no. Really.\"라고 말했다. 2026. 1. 13. 에 끝났다.") == [
        "그는 \"Mr. Kim said no. Really.\"라고 말했다.", "2026. 1. 13. 에 끝났다."]


def test_a_sentence_that_names_the_one_before_by_this_is_never_told_without_it():
    """«이 편향», «그 침묵», «이때», «... 믿음 말입니다»: a learner who did not hear the sentence before
    cannot know what is meant; inside a paragraph the two go together (across paragraphs «이 회사» may
    name the title)."""
    items = [Told(0, "손님은 대개 상냥해서 듣고 싶은 답을 해 주곤 하는데, 이를 호의 편향이라고 부릅니다."),
             Told(0, "떠보는 질문은 이 편향을 더 키웁니다."),
             Told(1, "두 번째 교훈은 기능을 묻지 말라는 것이었습니다."), Told(1, "이때 도움이 된 틀이 있습니다."),
             Told(2, "이 회사는 오래 버텼습니다."),
             Told(3, "그들은 반대쪽에 걸었습니다."), Told(3, "느린 쪽이 결국 이긴다는 믿음 말입니다."),
             Told(4, "선배 한 명이 늘 밤에 깼습니다."), Told(4, "그는 반년 만에 지쳤습니다."),
             Told(4, "저희는 이것을 새 규칙으로 삼았습니다."), Told(4, "표를 붙여 두면 이렇게 한결 가벼워집니다.")]
    needs = _needs(items)
    assert needs[1] == {0} and needs[3] == {2} and needs[4] == set() and needs[6] == {5}
    assert needs[8] == {7} and needs[9] == {8} and needs[10] == {9}
    for budget in (3.0, 5.0, 8.0, 12.0):
        kept = keep(items, budget, [])
        assert (1 not in kept or 0 in kept) and (3 not in kept or 2 in kept), (budget, kept)


def test_a_lesson_told_in_one_sentence_tells_one_that_points_at_nothing():
    """When the budget leaves one sentence, it is one a learner can follow alone: not «그 회의에서 ...» or
    «이른바 ...», whose antecedent is in another paragraph, even when it holds a taught word."""
    from audiogen.lesson.condense import fit
    items = [Told(0, "장애가 끝나면 모두 모여 회고를 합니다."), Told(1, "그 회의에서 동료가 한 말이 팀의 원칙이 되었습니다."),
             Told(2, "이른바 교대 방식으로, 각 지역이 낮에만 호출을 받게 한 것입니다.")]
    assert fit(items, 0.0, ["원칙"], room_s=60.0) == {0}
    assert fit(items[1:], 0.0, ["원칙"], room_s=60.0) == {0}  # the first of a section is told when it is all there is


def test_inline_english_quote_is_not_doubled_in_narration(tmp_path, monkeypatch):
    monkeypatch.setattr(lines, "ENGLISH_SHARE", 1e-3)  # room for the whole story: how it is told is tested here
    path = tmp_path / "inline.txt"
    path.write_text("제목\n\n1. 주제\n\n그는 \"Safety is the product we sell.\"라고 말했습니다. 다음 문장입니다.\n",
                    encoding="utf-8")
    s = script.write(seed.read(path), LessonSettings())[0]
    narration = [l for l in s.lines if l.part in ("opening", "narration")]
    assert sum("Safety is the product we sell." in l.text for l in narration) == 1
    assert any(l.kind == "slow" and l.text == "Safety is the product we sell." for l in s.lines)


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


def test_english_in_korean_text_goes_to_the_english_voice(tmp_path, monkeypatch):
    monkeypatch.setattr(lines, "ENGLISH_SHARE", 1e-3)  # room for the whole story: how it is told is tested here
    path = tmp_path / "glossed.txt"
    path.write_text(GLOSSED, encoding="utf-8")
    scripts = script.write(seed.read(path), LessonSettings())
    assert [s.episode_type for s in scripts] == ["trailer", "full", "full"]
    for s in scripts:
        for line in s.lines:
            if line.lang == "ko":
                assert not re.search(r"[A-Za-z]", line.text), (s.slug, line)
    told = [(l.kind, l.lang, l.text) for l in scripts[1].lines]
    # a heading's gloss is an annotation: the heading is said whole
    assert ("heading", "ko", "시장 진출 전략을 세워라") in told
    # the narration leaves out the gloss of a term the lesson teaches: one Korean clip
    assert ("narration", "ko", "시장 진출 전략은 누구에게, 어떤 채널로, 얼마에 팔지를 정하는 계획입니다.") in told
    assert ("term", "en", "go-to-market") in told and ("term", "en", "B2B/B2C") in told
    # English the episode does not teach is said by the English voice, in order
    second = [(l.lang, l.text) for l in scripts[2].lines if l.part == "narration"][:3]
    assert second == [("ko", "그는"), ("en", "Ship it when it is ready"), ("ko", "라고 말했습니다.")]
    trailer = [(l.lang, l.text) for l in scripts[0].lines]
    assert ("en", "B2B SaaS") in trailer and ("ko", "출시는 마라톤입니다.") in trailer


def test_without_glosses_and_split_languages():
    assert without_glosses("시장 진출 전략(go-to-market)은 계획입니다.", ["Go-to-market"]) == "시장 진출 전략은 계획입니다."
    assert without_glosses("후기(testimonial)는 강력합니다.", ["trust"]) == "후기(testimonial)는 강력합니다."
    assert split_languages("바로 '앤트로픽(Anthropic)'입니다.") == [("ko", "바로 앤트로픽입니다.")]


def test_the_sentence_that_gives_a_term_is_told_even_when_its_neighbour_does_not_fit():
    """A taught term's sentence leans forward onto a long one ("이는 ..."): together they are over
    the budget, so the term's sentence is told alone rather than dropped with its neighbour."""
    from audiogen.lesson.condense import keep, sentence_items

    term = "위장한 공급업체 금융"
    paragraphs = [
        "첫 문장은 짧습니다. 둘째 문장도 짧습니다.",
        f"비평가들은 이 구조를 아주 길게 설명하면서 결국 “{term}”이라고 부르며 여러 가지 이유를 하나하나 덧붙였습니다. "
        "이는 선두 기업의 경쟁력이 거대한 인프라 제공업체와 얼마나 깊이 얽혀 있는지를 길게 보여주는 단적인 예시라고 할 수 있습니다.",
    ]
    items = sentence_items(paragraphs)
    keyed = next(i for i, it in enumerate(items) if term in it.text)
    kept = keep(items, 9.0, [term])
    assert keyed in kept and keyed + 1 not in kept


# Sentences a blog post runs together without a full stop are told one at a time (kiwipiepy decides).
@pytest.mark.parametrize("paragraph, told", [
    ("작은 팀이 새 기능을 내보내는 한 주는 늘 정신이 없습니다 그래도 우리는 매주 출시합니다.",
     ["작은 팀이 새 기능을 내보내는 한 주는 늘 정신이 없습니다", "그래도 우리는 매주 출시합니다."]),
    ("회의는 짧게 끝났습니다 다음 주에는 결과를 함께 보기로 했어요 모두 동의했습니다",
     ["회의는 짧게 끝났습니다", "다음 주에는 결과를 함께 보기로 했어요", "모두 동의했습니다"]),
    # -자 "as soon as" is a connective, not "let's": one sentence
    ("불만을 표로 정리하자 같은 요청이 되풀이된다는 것이 보였습니다.",
     ["불만을 표로 정리하자 같은 요청이 되풀이된다는 것이 보였습니다."]),
    ("그는 좋습니다 라고 말했고 회의실의 모두가 그 말에 웃었습니다.",  # a quoted ending is not a sentence end
     ["그는 좋습니다 라고 말했고 회의실의 모두가 그 말에 웃었습니다."]),
    ("그는 '그렇습니다' 하고 답한 뒤에 다음 안건으로 넘어갔습니다.", ["그는 '그렇습니다' 하고 답한 뒤에 다음 안건으로 넘어갔습니다."]),
    ("첫 문장입니다. 두 번째 문장도 마침표로 끝납니다.", ["첫 문장입니다.", "두 번째 문장도 마침표로 끝납니다."]),
])
def test_run_on_sentences_are_split_where_verbs_end(paragraph, told):
    assert [it.text for it in sentence_items([paragraph])] == told


TINY = """# 작은 팀의 회의 습관

## 1. 안건을 먼저 보내기

회의 시간은 보통 삼십 분입니다. 회의 전에 안건(agenda)을 먼저 보내면 모두가 준비할 수 있습니다. 회의가 끝나면 후속 조치(follow-up)를 바로 정리합니다.

## 2. 결정을 기록하기

결정한 내용은 회의록(minutes)에 남깁니다.

> "Let's write down who owns each action item before we leave the room."
> 방을 나가기 전에 각 실행 항목의 담당자를 적어 둡시다.
"""


def test_a_lesson_too_small_to_reach_the_english_share_still_tells_the_sentence_that_gives_its_term(tmp_path):
    """Two terms and no key sentence cannot make English a third of the airtime whatever is cut;
    giving up the story for that share would leave the terms without their context."""
    path = tmp_path / "tiny.md"
    path.write_text(TINY, encoding="utf-8")
    first = script.write(seed.read(path), LessonSettings())[0]
    told = [l.text for l in first.lines if l.part == "narration" and l.kind == "narration"]
    assert told == ["회의 전에 안건을 먼저 보내면 모두가 준비할 수 있습니다."]


# A sentence about an English expression says the expression, in English (issue 19): the gloss of a
# taught term is left out of an ordinary sentence, but not out of one that names it as English.
ABOUT_ENGLISH = """회의 영어 노트

1. 따로 이야기하기

회의에서 결론이 나지 않는 주제는 뒤로 미루세요. 이를 영어로 따로 이야기하다(take it offline)라고 합니다. 팀장들은 'take it offline'이라는 말을 자주 씁니다. 영어권 회의에서는 «circle back»이라는 말도 씁니다.

"Let's take it offline and move on to the next item."
"""


def _told(path):
    s = next(s for s in script.write(seed.read(path), LessonSettings()) if s.episode_type == "full")
    return [(l.lang, l.text) for l in s.lines if l.part == "narration"]


def test_a_sentence_about_an_english_term_says_it_in_english(tmp_path, monkeypatch):
    monkeypatch.setattr(lines, "ENGLISH_SHARE", 1e-3)  # room for the whole story
    path = tmp_path / "offline.txt"
    path.write_text(ABOUT_ENGLISH, encoding="utf-8")
    told = _told(path)
    assert told[1:4] == [("ko", "이를 영어로 따로 이야기하다"), ("en", "take it offline"), ("ko", "라고 합니다.")]
    # quote marks around English are not said, and do not take the words with them
    assert told[4:7] == [("ko", "팀장들은"), ("en", "take it offline"), ("ko", "이라는 말을 자주 씁니다.")]
    assert told[7:10] == [("ko", "영어권 회의에서는"), ("en", "circle back"), ("ko", "이라는 말도 씁니다.")]
    assert ("ko", "회의에서 결론이 나지 않는 주제는 뒤로 미루세요.") == told[0]


# A reverse gloss is heard as the English, then its Korean meaning without brackets and with the
# particle that fits the meaning (issue 19): not «(따로 이야기하다)이라고».
REVERSE_GLOSS = ABOUT_ENGLISH.replace("따로 이야기하다(take it offline)라고", "take it offline(따로 이야기하다)이라고")


def test_a_reverse_gloss_is_said_without_brackets_and_with_a_fitting_particle(tmp_path, monkeypatch):
    monkeypatch.setattr(lines, "ENGLISH_SHARE", 1e-3)
    path = tmp_path / "reverse.txt"
    path.write_text(REVERSE_GLOSS, encoding="utf-8")
    told = _told(path)
    assert told[1:4] == [("ko", "이를 영어로"), ("en", "take it offline"), ("ko", "따로 이야기하다라고 합니다.")]
    assert not any("(" in text or ")" in text for _, text in told)


@pytest.mark.parametrize("text, pieces", [
    ("OpenAI의 GPT(생성형 모델)를 씁니다.", [("ko", "OpenAI의 GPT 생성형 모델을 씁니다.")]),
    ("팀은 AI(인공지능)라고 부릅니다.", [("ko", "팀은 AI 인공지능이라고 부릅니다.")]),
    ("우리는 Slack(슬랙)을 씁니다.", [("ko", "우리는 Slack을 씁니다.")]),  # a spelling is not said twice
    ("ROI(투자 수익)가 중요합니다.", [("ko", "ROI 투자 수익이 중요합니다.")]),
    ("분기 OKR(목표와 핵심 결과)마다 씁니다.", [("ko", "분기 OKR 목표와 핵심 결과마다 씁니다.")]),  # no particle to fit
    # an English gloss after a Korean question: the question, then the English, never the brackets
    ("그녀는 \"제가 그걸 어떻게 하면 될까요?(How am I supposed to do that?)\"라고 되물었습니다.",
     [("ko", "그녀는 제가 그걸 어떻게 하면 될까요?"), ("en", "How am I supposed to do that?"), ("ko", "라고 되물었습니다.")]),
])
def test_glosses_in_a_sentence_are_said_without_brackets(text, pieces):
    assert split_languages(text, min_words=3) == pieces


def test_inline_code_in_a_web_page_is_words_of_its_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(lines, "ENGLISH_SHARE", 1e-3)
    path = tmp_path / "offline.html"
    path.write_text("<html><body><article><h1>회의 영어 노트</h1><h2>1. 따로 이야기하기</h2>"
                    "<p>결론이 나지 않는 주제는 뒤로 미루세요. 이를 영어로 <code>take it offline</code>이라고 합니다.</p>"
                    "<blockquote>Let's take it offline and move on to the next item.</blockquote>"
                    "</article></body></html>", encoding="utf-8")
    told = _told(path)
    assert ("en", "take it offline") in told and ("ko", "이를 영어로") in told, told


def test_glosses_of_english_named_as_english_stay():
    taught = ["take it offline"]
    assert without_glosses("이를 영어로 따로 이야기하다(take it offline)라고 합니다.", taught) == \
        "이를 영어로 따로 이야기하다(take it offline)라고 합니다."
    assert without_glosses("주제는 따로 이야기하자(take it offline)고 하세요. 영어로는 흔한 말입니다.", taught) == \
        "주제는 따로 이야기하자고 하세요. 영어로는 흔한 말입니다."  # the next sentence is not this one
    assert split_languages("팀장들은 'take it offline'이라는 말을 씁니다.") == [
        ("ko", "팀장들은"), ("en", "take it offline"), ("ko", "이라는 말을 씁니다.")]
    assert split_languages("이를 ‘take it offline’이라고 합니다.") == [
        ("ko", "이를"), ("en", "take it offline"), ("ko", "이라고 합니다.")]
    assert lines.say("narration", "영어로는 'sync'라고 합니다.", "narration") == [
        lines.say("narration", "영어로는", "narration")[0], *lines.say("narration", "sync", "narration", lang="en"),
        lines.say("narration", "라고 합니다.", "narration")[0]]
