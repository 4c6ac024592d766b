"""The seed reader: the user's real article, fixture articles of the same
kind, our Markdown format, and every way a seed file can be wrong."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiogen import seed
from audiogen.lesson import course
from audiogen.lesson import writer as script
from audiogen.config import LessonSettings
from audiogen.errors import AudiogenError
from audiogen.model import Quote, Term
from audiogen.seed.noise import byline, date_line
from helpers import seed_file

ARTICLE = Path(__file__).resolve().parent / "fixtures" / "seeds" / "small-giant-article.txt"
FIXTURES = Path(__file__).parent / "fixtures/seeds"
NOISE = ("본문 바로가기", "728x90", "배움:", "by Heedong", "반응형", "공유하기", "구독하기", "댓글", "Copyright")


def all_text(lesson) -> list[str]:
    out = [lesson.title]
    for s in lesson.sections:
        out += [s.heading, *s.paragraphs, *s.notes]
        out += [q.english for q in s.quotes] + [q.korean or "" for q in s.quotes]
        out += [t.english for t in s.terms] + [t.korean for t in s.terms]
    return out


# --- the user's article ---------------------------------------------------------


@pytest.fixture(scope="module")
def article():
    return seed.read(ARTICLE)


def test_article_metadata(article):
    assert article.title == "느림이 무기다: 거대 플랫폼 사이에서 작은 회사가 살아남는 4가지 역설적 전략"
    assert article.author == "Mina-Park"
    assert article.date == dt.date(2025, 10, 7)
    assert article.seed_id == "small-giant-article"
    assert len(article.digest) == 64


def test_article_sections(article):
    assert [(s.kind, s.key) for s in article.sections] == [
        ("intro", "intro"), ("section", "1"), ("section", "2"), ("section", "3"), ("section", "4"), ("outro", "outro")]
    headings = [s.heading for s in article.sections]
    assert headings[1] == "속도가 아니라 안심을 판다"
    assert headings[0] == "거인들 사이의 작은 회사"
    assert headings[5] == "작은 회사의 미래를 가늠하는 시험대"
    # the title is never narrated as a paragraph
    assert all(article.title not in p for s in article.sections for p in s.paragraphs)


def test_article_has_no_page_noise(article):
    for text in all_text(article)[1:]:
        for noise in NOISE[:4]:
            assert noise not in text, (noise, text)
        assert text == text.strip() and "\u00a0" not in text


def test_article_terms(article):
    terms = {t.english: (t.korean, s.key) for s in article.sections for t in s.terms}
    assert terms["built in"] == ("내장되어야", "1")
    assert terms["tacked on"] == ("덧대는", "1")
    assert terms["Lumen"] == ("루멘", "intro")
    assert terms["trust"] == ("신뢰", "intro")
    assert terms["hype"] == ("화제성", "intro")
    assert terms["fighting on borrowed ground"] == ("적의 땅을 빌려 적과 싸우는 전략", "4")
    assert terms["postmortem"] == ("사후 검토", "3")


@pytest.mark.parametrize("text, english, korean", [
    ("해외 출장에서는 현지 연락처(emergency contact)도 미리 적어 두세요.", "emergency contact", "현지 연락처"),
    ("이를 공급업체 금융(vendor financing)이라고 부릅니다.", "vendor financing", "공급업체 금융"),
    ("회사가 분기 매출 목표(quarterly revenue target)를 달성했다.", "quarterly revenue target", "분기 매출 목표"),
    ("고객이 평가 기준(evaluation criteria)을 물었다.", "evaluation criteria", "평가 기준"),  # 평가: not 가
    ("팀 회의 안건(meeting agenda)을 보냈다.", "meeting agenda", "회의 안건"),  # 회의: not 의
    ("승패가 대중적 인기(hype)로 결정될 때", "hype", "대중적 인기"),
    # a clause is never swallowed: the widening stops at a verb ending or a particle
    ("시장을 빠르게 확장하는 전략(expansion strategy)을 세웠다.", "expansion strategy", "전략"),
    ("시장이 성장(growth)하고 있다.", "growth", "성장"),
    ("회의에서 결정한 사항(action item)을 적었다.", "action item", "사항"),
    # ...but an adjective is part of the noun phrase when the English says it too ("key" is 중요한)
    ("중요한 결정(key decision)을 내렸다.", "key decision", "중요한 결정"),
    ("시스템 설계 단계부터 내재되어야(engineered in) 했습니다.", "engineered in", "내재되어야"),
    ("보고서 초안(draft)을 보냈다.", "draft", "초안"),  # one English word: one Korean noun
    # a when-noun before a verb says when, not what (끝난 후 덧붙이는: "bolted on" is 덧붙이는)
    ("개발이 끝난 후 덧붙이는(bolted on) 것이 아니었다.", "bolted on", "덧붙이는"),
    ("회의가 끝난 뒤 정리하는(wrap up) 시간을 가졌다.", "wrap up", "정리하는"),
    # a 와/과 join stays only when the English joins too
    ("구체적인 이야기와 후속 조치(follow-up)가 인상을 남깁니다.", "follow-up", "후속 조치"),
    ("기업 고객과 개인 고객(enterprise and consumer customers)은 다르다.", "enterprise and consumer customers",
     "기업 고객과 개인 고객"),
])
def test_term_meaning_is_the_whole_noun_phrase(text, english, korean):
    assert seed.extract_terms(text) == [Term(english, korean)]


def test_article_quotes(article):
    quotes = {s.key: [q.english for q in s.quotes] for s in article.sections}
    assert quotes["1"][0].startswith("we we kind of realized")
    assert quotes["2"][0].endswith("boring annual contracts")
    assert quotes["3"] == ["Most companies hide their outages. We publish ours."]
    assert quotes["4"] == []
    assert quotes["outro"][0].startswith("if a company this small")
    # quoted Korean phrases stay narration, they are not English key sentences
    assert all(not any("\uac00" <= c <= "\ud7a3" for c in q) for qs in quotes.values() for q in qs)


# --- other articles of the same kind ------------------------------------------------


def test_variant_article_headings_dates_and_footer():
    lesson = seed.read(FIXTURES / "feedback-tips.txt")
    assert lesson.title.startswith("피드백을 잘 주는 법")
    assert lesson.author is None
    assert lesson.date == dt.date(2025, 3, 4)
    assert [(s.kind, s.key) for s in lesson.sections] == [
        ("intro", "intro"), ("section", "1"), ("section", "2"), ("section", "3"), ("outro", "outro")]
    assert lesson.sections[1].heading == "구체적으로 말하기"
    assert lesson.sections[1].quotes == [Quote(
        "I noticed you handled the client call really calmly.", "고객 통화를 아주 침착하게 처리하는 걸 봤어요.")]
    assert Term("check in", "묻는") in lesson.sections[2].terms
    for text in all_text(lesson):
        for noise in NOISE:
            assert noise not in text, (noise, text)
        assert "분류:" not in text


def test_circled_headings_intro_and_conclusion_in_english():
    lesson = seed.read(FIXTURES / "small-talk.txt")
    assert lesson.date == dt.date(2025, 3, 4)
    assert [(s.kind, s.key, s.heading) for s in lesson.sections] == [
        ("intro", "intro", "Why small talk matters"), ("section", "1", "Open with the weather"),
        ("section", "2", "Ask about the weekend"), ("outro", "outro", "Conclusion")]
    assert lesson.sections[2].quotes[0].korean == "주말에 재미있는 일 있었어요?"
    assert all("Related" not in t and "Share" not in t for t in all_text(lesson))


def test_article_without_sections_is_one_section():
    lesson = seed.read(FIXTURES / "business-trip.txt")
    assert lesson.author == "김영어" and lesson.date == dt.date(2024, 11, 2)
    assert [(s.kind, s.key) for s in lesson.sections] == [("section", "1")]
    section = lesson.sections[0]
    assert len(section.paragraphs) == 3 and section.quotes[0].english == "I am here for a business meeting."
    assert {t.english for t in section.terms} == {"emergency contact", "check-in"}


# --- blog pages: the header, footers, glosses and section heads ----------------------

HEADER_NOISE = ("본문 기타 기능", "블로그", "이웃추가", "URL 복사", "brunch", "제품 일기", "영업 공부방", "하루 기록",
                "Posted by", "・", "라이킷", "작가의", "Share this", "Like this", "Related", "공감", "저작자표시",
                "카테고리", "Skip to content")


@pytest.mark.parametrize("name, title, author, date", [
    ("tistory-onboarding.txt", "신규 사용자를 붙잡는 온보딩의 두 가지 비밀 ✨", "정하늘", dt.date(2025, 10, 7)),
    ("naver-interview.txt", "영어 면접 준비 노트: 세 번 떨어지고 배운 것", "박민지", dt.date(2025, 4, 18)),
    ("brunch-reading.txt", "읽는 사람이 이긴다: 하루 20분 독서 습관", "오세린", dt.date(2025, 4, 3)),
    ("ordinal-sections.txt", "고객이 다시 찾는 영업의 세 가지 습관", "한도현", dt.date(2025, 8, 14)),
    ("wordpress-english.txt", "Two Rules for Shorter Emails", "Sam Lee", dt.date(2025, 5, 20)),
    ("plain-diary.txt", "점심시간에 배운 영어 한 마디", None, dt.date(2025, 7, 9)),
    ("naver-menu.txt", "영어 회의록 쓰는 법: 세 줄이면 충분하다", "윤서아", dt.date(2025, 6, 2)),
    ("wordpress-posted-on.txt", "발표 자료 없이 말하는 법", "Chris Ahn", dt.date(2025, 10, 2)),
    ("brunch-subtitle.txt", "첫 직장에서 살아남기, 다섯 가지 메모", "서지후", dt.date(2025, 2, 14)),
    ("news-boxes.txt", "\"작게 시작해 크게 키운다\"… 물류 스타트업 한빛로지스, 일본 진출", "박하린", dt.date(2025, 9, 15)),
    ("blog-site-line.txt", "회의를 줄인 지 6개월, 우리가 얻은 것", None, dt.date(2025, 8, 21)),
    ("magazine-interview.txt", "\"작게 약속하고 크게 지켜라\"", "윤하람", dt.date(2025, 6, 3)),
])
def test_blog_page_header_is_read_and_never_spoken(name, title, author, date):
    lesson = seed.read(FIXTURES / name)
    assert (lesson.title, lesson.author, lesson.date) == (title, author, date)
    texts = all_text(lesson)[1:]
    assert all(title not in p for s in lesson.sections for p in s.paragraphs)  # not narrated again
    for text in texts:
        for noise in HEADER_NOISE:
            assert noise not in text, (noise, text)
        assert not any(d in text for d in ("2025. ", "Apr 3", "2025-05", "2025년"))
    lines = [l.text for s in script.write(lesson, LessonSettings()) for l in s.lines]
    assert all(noise not in line for line in lines for noise in HEADER_NOISE if noise != "공감")


def test_blog_page_sections_survive_the_header():
    naver = seed.read(FIXTURES / "naver-interview.txt")
    assert [(s.kind, s.key, s.heading) for s in naver.sections] == [
        ("intro", "intro", "들어가며"), ("section", "1", "자기소개는 1분으로"),
        ("section", "2", "모르는 질문에는 시간을 벌어라"), ("outro", "outro", "마치며")]
    brunch = seed.read(FIXTURES / "brunch-reading.txt")
    assert [s.heading for s in brunch.sections] == ["들어가며", "시간을 정해 두라", "한 권을 끝까지 읽지 않아도 된다", "마치며"]
    assert brunch.sections[-1].paragraphs == ["오늘 20분, 가장 재미있어 보이는 책을 펼쳐 보세요."]
    english = seed.read(FIXTURES / "wordpress-english.txt")
    assert english.sections[-1].paragraphs == ["Write less, and people will read more."]


# the page around each article: none of it may be spoken
PAGE_CHROME = {
    "naver-menu.txt": ("블로그 메뉴", "프롤로그", "메모", "안부", "본문 기타 기능", "이웃추가", "URL 복사", "윤서아", "07:45"),
    "wordpress-posted-on.txt": ("Skip to content", "Menu", "Search", "Posted on", "Chris Ahn", "Updated", "Published",
                                "Leave a comment", "October", "2025-10-05"),
    "brunch-subtitle.txt": ("brunch", "신입 개발자가 1년 동안", "by 서지후", "Feb 14", "라이킷"),
    "news-boxes.txt": ("오늘경제", "전체메뉴", "구독신청", "오피니언", "박하린", "입력", "10:02", "글자크기", "harin.park",
                       "무단 전재", "많이 본 뉴스", "■"),
    "blog-site-line.txt": ("일하는노트", "블로그", "인사이트", "뉴스레터", "구독하기", "조직문화", "읽는 시간"),
    "magazine-interview.txt": ("월간비즈노트", "커버스토리", "에디터", "윤하람", "2025", "공유하기", "관련 기사", "A. ", "Q. "),
}


@pytest.mark.parametrize("name", sorted(PAGE_CHROME))
def test_menus_bylines_and_subtitles_are_never_spoken(name):
    lesson = seed.read(FIXTURES / name)
    lines = [l.text for s in script.write(lesson, LessonSettings()) for l in s.lines]
    for text in all_text(lesson)[1:] + lines:
        for chrome in PAGE_CHROME[name]:
            assert chrome not in text, (chrome, text)


def test_a_menu_block_leaves_the_sections_as_they_are():
    lesson = seed.read(FIXTURES / "naver-menu.txt")  # the menu lists 프롤로그; the article has no 서론 label
    assert [(s.key, s.heading) for s in lesson.sections] == [
        ("intro", "들어가며"), ("1", "결정부터 적어라"), ("2", "담당자와 기한을 붙여라"), ("outro", "마치며")]
    assert lesson.sections[0].paragraphs[0].startswith("회의가 끝나면")
    brunch = seed.read(FIXTURES / "brunch-subtitle.txt")
    assert [s.heading for s in brunch.sections] == ["들어가며", "모르면 바로 물어라", "기록은 나를 위한 것이다", "맺음말"]


def test_news_sections_marked_with_boxes_or_brackets():
    """A news story marks its sections `■ 왜 오사카인가` (or `[왜 오사카인가]`); its reporter's byline at
    the end is not narration."""
    news = seed.read(FIXTURES / "news-boxes.txt")
    assert [(s.key, s.heading) for s in news.sections] == [
        ("intro", "들어가며"), ("1", "왜 오사카인가"), ("2", "창고 자동화가 관건"), ("3", "남은 과제")]
    assert news.sections[-1].paragraphs == ["현지 인력 확보가 가장 큰 숙제로 꼽힌다. 업계에서는 인건비가 수익성을 좌우할 것으로 본다."]
    blog = seed.read(FIXTURES / "blog-site-line.txt")
    assert [s.heading for s in blog.sections] == ["들어가며", "문서가 회의를 대신한다", "남은 회의는 더 짧게"]


def test_an_interview_is_a_lesson_a_question():
    """A magazine interview: each `Q.` line is a section (its answer's `A.` is not read); the date line
    above it (2025.06.03) is a date, not heading 2025 that would end the article at 공유하기."""
    lesson = seed.read(FIXTURES / "magazine-interview.txt")
    assert [s.heading for s in lesson.sections] == ["들어가며", "베를린으로 옮긴 이유가 궁금합니다.", "팀을 어떻게 이끄나요?"]
    assert lesson.sections[1].paragraphs[0].startswith("고객 대부분이")
    assert [q.english for s in lesson.sections for q in s.quotes] == ["Be where your customers are.",
                                                                       "Promise less, deliver more."]


def test_a_term_the_heading_glosses_is_taught_in_its_lesson(tmp_path):
    lesson = seed_file(tmp_path, "ir.txt", "재무 노트\n\n1. 투자자 관계(IR)에서 가장 중요한 것\n\n나쁜 소식을 먼저 전합니다. "
                       "숨기면 신뢰를 잃습니다.\n\n2. 배트나(BATNA)를 먼저 세워라\n\n결렬됐을 때의 최선의 대안을 "
                       "배트나(BATNA, Best Alternative)라고 부릅니다.\n")
    assert [(t.english, t.korean) for t in lesson.sections[0].terms] == [("IR", "투자자 관계")]
    # the text glosses it already (with more): no second item
    assert [t.english for t in lesson.sections[1].terms] == ["BATNA, Best Alternative"]


def test_a_blog_of_expressions_teaches_the_expression_each_section_is_named_after(tmp_path):
    lesson = seed_file(tmp_path, "expressions.txt", "회의 영어 표현 3가지\n\n"
                       "1. Let's circle back (나중에 다시 이야기하죠)\n\n논의가 길어질 때 씁니다.\n\n"
                       "\"Let's circle back to this after lunch.\"\n점심 먹고 다시 이야기하죠.\n\n"
                       "2. touch base: 짧게 연락하다\n\n가볍게 확인할 때 씁니다.\n\n"
                       "3. \"Can you walk me through it?\" – 차근차근 설명해 줄래요?\n\n숫자를 물을 때 좋습니다.\n")
    first, second, third = lesson.sections
    assert (first.terms[0].english, first.terms[0].korean) == ("Let's circle back", "나중에 다시 이야기하죠")
    assert [q.english for q in first.quotes] == ["Let's circle back to this after lunch."]  # the text's own stays
    assert (second.terms[0].english, second.terms[0].korean) == ("touch base", "짧게 연락하다")
    assert (third.quotes[0].english, third.quotes[0].korean) == ("Can you walk me through it?", "차근차근 설명해 줄래요?")


def test_a_quote_and_its_translation_on_one_line(tmp_path):
    lesson = seed_file(tmp_path, "same-line.txt", "회의 노트\n\n1. 설명을 부탁하기\n\n숫자가 빠르게 넘어갈 때 씁니다.\n\n"
                       "\"Can you walk me through these numbers?\" 이 숫자들을 차근차근 설명해 주실래요?\n\n"
                       "\"We chose a different road.\" 대표는 기자들에게 이렇게 말했다.\n")
    quotes = [(q.english, q.korean) for s in lesson.sections for q in s.quotes]
    assert ("Can you walk me through these numbers?", "이 숫자들을 차근차근 설명해 주실래요?") in quotes
    # a sentence about the quote (who said it) is not its translation
    assert ("We chose a different road.", "대표는 기자들에게 이렇게 말했다.") not in quotes


@pytest.mark.parametrize("sentence, model, weaker", [
    ("\"I'm a PM at a Korean startup\"보다는 \"I help hospitals cut their waiting times\"가 훨씬 기억에 남습니다.",
     "I help hospitals cut their waiting times", "I'm a PM at a Korean startup"),
    ("\"We are sorry for the delay\" 대신 \"Thank you for your patience\"라고 쓰세요.",
     "Thank you for your patience", "We are sorry for the delay"),
    ("\"I will try my best\"가 아니라 \"I can do it by Friday\"라고 답하세요.", "I can do it by Friday", "I will try my best"),
])
def test_the_weaker_example_a_writer_sets_against_a_quote_is_no_model(tmp_path, sentence, model, weaker):
    lesson = seed_file(tmp_path, "against.txt", f"자기소개 노트\n\n1. 하는 일을 말하기\n\n{sentence}\n")
    quotes = [q.english for s in lesson.sections for q in s.quotes]
    assert model in quotes and weaker not in quotes


def test_symbol_headings_around_numbered_sections_open_and_close_the_article(tmp_path):
    """A book review numbered 1., 2., ... with `■ 왜 이 책을 읽었나` before and `■ 마치며` after: the first
    is its introduction (a lesson of it had no English at all), and `2025. 7. 14. 21:05` is its date."""
    text = ("퇴근길 책방\n\n킴 스콧의 솔직한 피드백\n\n2025. 7. 14. 21:05\n\n■ 왜 이 책을 읽었나\n\n"
            "올해 초 팀원 한 명이 퇴사했습니다. 그래서 이 책을 읽었습니다.\n\n"
            "1. 두 개의 축\n\n저자는 관심과 도전(challenge)을 함께 말합니다.\n\n"
            "2. 먼저 묻기\n\n피드백은 먼저 요청(ask)하라고 합니다.\n\n■ 마치며\n\n꼭 읽어 보세요.\n")
    lesson = seed_file(tmp_path, "review.txt", text)
    assert [(s.kind, s.heading) for s in lesson.sections if s.kind == "section"] == [("section", "두 개의 축"),
                                                                                      ("section", "먼저 묻기")]
    intro = next(s for s in lesson.sections if s.kind == "intro")
    assert any("퇴사" in p for p in intro.paragraphs)
    assert lesson.date is not None and (lesson.date.year, lesson.date.month, lesson.date.day) == (2025, 7, 14)


def test_a_blogs_category_tag_is_not_read_as_part_of_the_title(tmp_path):
    lesson = seed_file(tmp_path, "tagged.txt", "퇴근길 책방 | 직장인의 책 읽는 저녁\n\n[책리뷰] 킴 스콧의 솔직한 피드백\n\n"
                       "2025. 7. 14. 21:05\n\n1. 두 개의 축\n\n이 책의 핵심은 그림 하나입니다.\n")
    assert lesson.title == "킴 스콧의 솔직한 피드백"


def test_a_translation_line_under_a_paragraph_ending_with_a_quote_is_its_meaning(tmp_path):
    """`> 한국어` under a paragraph that ends with the quote (the quote not on a line of its own): its
    meaning, without the marker; before, the sentence was shadowed with no meaning."""
    lesson = seed_file(tmp_path, "inline.txt", "노트\n\n1. 칭찬은 구체적으로\n\n레이첼은 늘 구체적으로 칭찬합니다. "
                       "\"The way you handled the question was really clear.\"\n> 질문에 대응한 방식이 정말 명확했어요.\n")
    quotes = {q.english: q.korean for s in lesson.sections for q in s.quotes}
    assert quotes == {"The way you handled the question was really clear.": "질문에 대응한 방식이 정말 명확했어요."}


def test_a_bulleted_quote_with_its_translation_after_a_dash(tmp_path):
    lesson = seed_file(tmp_path, "bullets.txt", "회의 노트\n\n1. 질문을 이어가기\n\n제가 자주 쓰는 표현입니다.\n\n"
                       "· \"How did you get into this field?\" — 이 분야에는 어떻게 들어오셨어요?\n"
                       "- \"That's interesting. Tell me more.\" – 흥미롭네요, 좀 더 얘기해 주세요.\n")
    quotes = {q.english: q.korean for s in lesson.sections for q in s.quotes}
    assert quotes == {"How did you get into this field?": "이 분야에는 어떻게 들어오셨어요?",
                      "That's interesting. Tell me more.": "흥미롭네요, 좀 더 얘기해 주세요."}


@pytest.mark.parametrize("headings", [
    ["Jobs to Be Done: 고객의 일을 물어라", "두 번째 이야기"],  # one heading of the shape: a subtitle, not a translation
    ["QBR: 기능이 아니라 성과를 이야기하라", "NPS: 숫자 하나로 충성도를 본다"],  # a label, then what the section says
])
def test_a_heading_with_english_and_a_subtitle_is_no_expression(tmp_path, headings):
    text = "노트\n\n" + "".join(f"{k}. {h}\n\n{k}번째 본문입니다. 내용이 있습니다.\n\n" for k, h in enumerate(headings, 1))
    lesson = seed_file(tmp_path, "subtitles.txt", text)
    assert not [t for s in lesson.sections for t in s.terms] and not [q for s in lesson.sections for q in s.quotes]


def test_one_boxed_line_is_not_a_plan_of_sections(tmp_path):
    lesson = seed_file(tmp_path, "note.txt", "회의 메모\n\n오늘은 예산을 정했습니다. 다음 주에 다시 봅니다.\n\n■ 참고 자료\n\n"
                       "지난 분기 보고서를 참고하세요. 숫자가 모두 들어 있습니다.\n")
    assert len(lesson.sections) == 1 and lesson.sections[0].heading != "참고 자료"


def test_a_real_prologue_heading_is_still_a_heading(tmp_path):
    path = tmp_path / "prologue.txt"
    path.write_text("주말 독서 기록\n\n프롤로그\n\n책을 다시 읽기 시작한 지 석 달이 되었습니다. 그동안 바뀐 것을 적어 봅니다.\n\n"
                    "1. 아침에 읽기\n\n출근 전 십 분이면 충분합니다.\n", encoding="utf-8")
    lesson = seed.read(path)
    assert lesson.title == "주말 독서 기록"
    assert [(s.key, s.heading) for s in lesson.sections] == [("intro", "프롤로그"), ("1", "아침에 읽기")]


@pytest.mark.parametrize("line, expected", [
    ("Posted on 2025-10-02 by Sam Kim", ("Sam Kim", dt.date(2025, 10, 2))),
    ("Posted on October 2, 2025 by Sam Kim", ("Sam Kim", dt.date(2025, 10, 2))),
    ("Published on Oct 2, 2025 by 김하나", ("김하나", dt.date(2025, 10, 2))),
    ("Posted on October 2, 2025", None),  # a date, not a byline: date_line reads it
    ("Posted by 박지훈 2025. 11. 3. 14:22", ("박지훈", dt.date(2025, 11, 3))),
    ("김서연 ・ 2025. 3. 4. 9:05", ("김서연", dt.date(2025, 3, 4))),
    ("by 이도윤 Mar 12. 2025", ("이도윤", dt.date(2025, 3, 12))),
    ("by 최유진 2025. 9. 21.", ("최유진", dt.date(2025, 9, 21))),
    ("Jane Park | March 3, 2025", ("Jane Park", dt.date(2025, 3, 3))),
    ("작성자: 홍길동", ("홍길동", None)),
    ("회의록 2025. 3. 4.", None),  # a title with a date, no separator: not a byline
    ("Home | About", None),
    ("김서윤 기자", ("김서윤", None)),
    ("김서윤 기자 seoyun.kim@example.com", ("김서윤", None)),
    ("(서울=연합뉴스) 이도윤 특파원 =", ("이도윤", None)),
    ("기자간담회", None),
    ("에디터 정민아", ("정민아", None)),
])
def test_bylines(line, expected):
    assert byline(line) == expected


@pytest.mark.parametrize("line, expected", [
    ("Published October 2, 2025", dt.date(2025, 10, 2)),
    ("Updated: 2025-10-03", dt.date(2025, 10, 3)),
    ("Posted on 2025-10-02", dt.date(2025, 10, 2)),
    ("2025년 10월 출시 계획", None),
    ("입력 2026.11.02 06:00 수정 2026.11.02 09:41", dt.date(2026, 11, 2)),
    ("2024.03.18 · 조직문화 · 읽는 시간 7분", dt.date(2024, 3, 18)),
    ("2024.03.18 이 글은 긴 문장으로 이어집니다.", None),
    ("2025.10.14", dt.date(2025, 10, 14)),
])
def test_date_lines(line, expected):
    assert date_line(line) == expected


def test_korean_line_under_a_quote_is_its_translation():
    tistory = seed.read(FIXTURES / "tistory-onboarding.txt")
    first, second = tistory.sections[1], tistory.sections[2]
    assert first.quotes == [Quote("Show one next step, not ten.", "열 개가 아니라 다음 단계 하나만 보여 주세요.")]
    assert all("열 개가" not in p for p in first.paragraphs)
    # after a blank line, a comment *about* the quote stays narration
    assert second.quotes == [Quote("An empty screen is a dead end.")]
    assert "이 문장은 우리 팀 벽에 붙어 있습니다." in second.paragraphs
    naver = seed.read(FIXTURES / "naver-interview.txt")
    assert [q.korean for q in naver.sections[2].quotes] == ["좋은 질문이네요. 잠깐 생각해 볼게요."]  # in parentheses
    diary = seed.read(FIXTURES / "plain-diary.txt")
    assert diary.sections[0].quotes == [Quote("Let's take this offline.")]


def test_korean_line_under_a_quote_with_a_marker_or_commentary(tmp_path):
    path = tmp_path / "q.txt"
    path.write_text('제목\n\n본문입니다.\n\n"Keep it short."\n→ 짧게 하세요.\n\n"Be kind to people."\n'
                    '이 문장은 제가 가장 좋아하는 말입니다.\n', encoding="utf-8")
    quotes = seed.read(path).sections[0].quotes
    assert quotes == [Quote("Keep it short.", "짧게 하세요."), Quote("Be kind to people.")]


LONG_QUOTE = ("When we started, nobody believed a team of four could ship a bank in a year: the rules were strict, "
              "the money was scarce, and the customers were nervous, but we shipped it anyway.")
LONG_TRANSLATION = ("처음에는 네 명이 1년 만에 은행을 만들 수 있다고 아무도 믿지 않았습니다. 규제는 엄격했고 돈은 부족했으며 "
                    "고객은 불안해했습니다. 그래도 우리는 해냈습니다.")


def test_a_translation_of_several_sentences_under_a_long_quote_is_its_gloss(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(f'제목\n\n본문입니다.\n\n"{LONG_QUOTE}"\n{LONG_TRANSLATION}\n\n다음 문단입니다.\n', encoding="utf-8")
    section = seed.read(path).sections[0]
    assert section.quotes == [Quote(LONG_QUOTE, LONG_TRANSLATION)]
    assert section.paragraphs == ["본문입니다.", "다음 문단입니다."]  # not narrated before the quote


def test_narration_under_a_short_quote_is_not_its_translation(tmp_path):
    narration = ("저는 이 말을 첫 직장에서 처음 들었습니다. 그때는 무슨 뜻인지 몰랐습니다. "
                 "지금은 매일 이 말을 떠올리며 일합니다. 여러분도 한번 써 보세요.")
    path = tmp_path / "short.txt"
    path.write_text(f'제목\n\n본문입니다.\n\n"Done is better than perfect."\n{narration}\n', encoding="utf-8")
    section = seed.read(path).sections[0]
    assert section.quotes == [Quote("Done is better than perfect.")]
    assert narration in section.paragraphs


def test_ordinal_headings_are_sections():
    lesson = seed.read(FIXTURES / "ordinal-sections.txt")
    assert [(s.kind, s.key, s.heading) for s in lesson.sections] == [
        ("intro", "intro", "영업은 관계다"), ("section", "1", "먼저 듣는다"), ("section", "2", "약속한 날에 연락한다"),
        ("section", "3", "숫자로 말한다"), ("outro", "outro", "오늘 한 통의 전화")]
    scripts = script.write(lesson, LessonSettings())
    assert [s.episode_type for s in scripts] == ["trailer", "full", "full", "full"]


@pytest.mark.parametrize("text", [
    # a sentence that starts with 둘째 is narration, and one ordinal alone is no structure
    "제목\n\n서론 문단입니다.\n\n첫째, 그들은 시장을 보았습니다.\n\n둘째, 그들은 고객을 보았습니다.\n",
    "제목\n\n서론 문단입니다.\n\n첫째, 고객을 본다\n\n고객을 보는 것이 중요합니다.\n",
])
def test_ordinal_words_in_sentences_are_not_headings(tmp_path, text):
    path = tmp_path / "o.txt"
    path.write_text(text, encoding="utf-8")
    lesson = seed.read(path)
    assert [s.key for s in lesson.sections] == ["1"] and lesson.sections[0].heading == "제목"


@pytest.mark.parametrize("text, english, korean", [
    ("회의 중에 바로 확인하는 것(clarifying question)이 훨씬 낫습니다.", "clarifying question", "확인하는 것"),
    ("다른 사람의 말을 요약하는 능력(summarizing)이 중요합니다.", "summarizing", "요약하는 능력"),
    ("그래서 이탈률(churn rate)이 오를 때는", "churn rate", "이탈률"),
    ("가치 기반 가격 책정(value-based pricing)을 도입했다.", "value-based pricing", "가치 기반 가격 책정"),
    ("좋은 팀은 첫 성공 경험(aha moment)을 만든다.", "aha moment", "첫 성공 경험"),
    ("좋은 브랜드는 고객과의 약속(brand promise)을 지킵니다.", "brand promise", "고객과의 약속"),
    ("딱 한 가지 행동(call to action)만 보여 준다.", "call to action", "행동"),
    ("그래서 후속 연락(follow-up)이 중요합니다.", "follow-up", "후속 연락"),
    ("제목 줄(subject line)은 짧게 씁니다.", "subject line", "제목 줄"),  # 줄 here is a noun
    # a bound noun without a clause before it stays alone; a sentence is never swallowed
    ("그것은 중요한 점(point)입니다.", "point", "중요한 점"),
    ("우리는 매일 아침 뉴스를 읽고 세 문장으로 요약하는 것(summarizing)을 연습했다.", "summarizing", "요약하는 것"),
])
def test_term_meaning_takes_its_clause_but_no_conjunction(text, english, korean):
    assert seed.extract_terms(text) == [Term(english, korean)]


@pytest.mark.parametrize("text, english, korean", [
    # genitives: X의 Y
    ("그래서 우리는 협상 결렬 시 최선의 대안(BATNA)부터 적어 둡니다.", "BATNA", "협상 결렬 시 최선의 대안"),
    ("결국 창업자와 시장의 궁합(founder-market fit)이 투자를 가릅니다.", "founder-market fit", "창업자와 시장의 궁합"),
    ("이를 기대 이상의 서비스(going the extra mile)라고 부릅니다.", "going the extra mile", "기대 이상의 서비스"),
    ("모두를 위한 글보다 한 사람의 독자(target reader)를 정하세요.", "target reader", "독자"),  # 한 사람의: a bigger phrase
    ("회사의 비전(vision)을 말합니다.", "vision", "비전"),  # one English word: one Korean noun
    ("이 글의 핵심 개념(key concept)은 간단합니다.", "key concept", "핵심 개념"),
    # nouns joined by 과/와 when the English joins two things too
    ("기업 고객과 개인 고객(B2B/B2C)은 사는 방식이 다릅니다.", "B2B/B2C", "기업 고객과 개인 고객"),
    ("팀원과 피드백(feedback)을 나눕니다.", "feedback", "피드백"),
    ("고객과 관계(customer relationship)를 맺는 데 시간이 걸립니다.", "customer relationship", "관계"),
    # an acronym takes as many words as its letters
    ("투자자는 먼저 시장 규모(TAM)를 봅니다.", "TAM", "시장 규모"),
    ("우리 팀의 월간 반복 매출(MRR)이 늘었습니다.", "MRR", "월간 반복 매출"),
    # adverbs and nouns used as adverbs never start a meaning
    ("요즘은 문화 적합성(culture fit) 대신 문화 기여(culture add)를 봅니다.", "culture add", "문화 기여"),
    ("첫 30일 동안 고객 피드백(feedback loop)을 매일 읽으세요.", "feedback loop", "고객 피드백"),
    ("특히 고객 이탈(customer churn)을 줄여야 합니다.", "customer churn", "고객 이탈"),
    ("출시 전 점검 목록(pre-launch checklist)을 만드세요.", "pre-launch checklist", "출시 전 점검 목록"),
    # 할 일 is one noun; 간 (between) sits inside the phrase; 초기 only when the English says "initial"
    ("대부분은 할 일 목록(to-do list)에 가까웠습니다.", "to-do list", "할 일 목록"),
    ("매일 아침 할 일(to-do)을 적습니다.", "to-do", "할 일"),
    ("다음 목표는 국경 간 결제(cross-border payments)다.", "cross-border payments", "국경 간 결제"),
    ("업계는 초기 고객 확보 비용(customer acquisition cost)을 우려한다.", "customer acquisition cost", "고객 확보 비용"),
    ("우리는 초기 고객(early adopters)을 찾았다.", "early adopters", "초기 고객"),
    # an adjective glossed in its adverb form takes the noun it is made of, as the adjective
    ("핵심 결과는 측정 가능하게(measurable) 써야 합니다.", "measurable", "측정 가능한"),
    # an acronym takes a word a letter (two letters too), and stops once its words say them all
    ("이번 분기 투자자 관계(IR) 일정을 정했습니다.", "IR", "투자자 관계"),
    ("국내 중견 게임사 라이트포지의 최고재무책임자(CFO)를 만났습니다.", "CFO", "최고재무책임자"),
    # a loanword whose parentheses give the English and then its meaning
    ("실적 발표 때 가이던스(guidance·실적 전망)를 보수적으로 잡습니다.", "guidance", "실적 전망"),
    ("요즘은 리텐션(retention, 잔존율)을 먼저 봅니다.", "retention", "잔존율"),
])
def test_term_meaning_is_a_noun_phrase_with_genitives_and_joins(text, english, korean):
    assert Term(english, korean) in seed.extract_terms(text)


@pytest.mark.parametrize("style", ["{n}. {h}", "{n}) {h}", "{c} {h}", "Part {n}. {h}", "제{n}장 {h}", "({n}) {h}",
                                   "■ {h}", "[{h}]", "▶ {h}"])
def test_heading_styles(tmp_path, style):
    circled = "①②③"
    body = ["제목입니다", ""]
    for n in (1, 2, 3):
        body += [style.format(n=n, c=circled[n - 1], h=f"소제목 {n}"), "", f"{n}번째 섹션의 본문입니다. 내용이 있습니다.", ""]
    path = tmp_path / "styles.txt"
    path.write_text("\n".join(body), encoding="utf-8")
    lesson = seed.read(path)
    assert [(s.key, s.heading) for s in lesson.sections] == [("1", "소제목 1"), ("2", "소제목 2"), ("3", "소제목 3")]


def test_numbered_list_items_are_not_headings(tmp_path):
    text = ("제목\n\n1. 첫 번째 주제\n\n설명입니다.\n1. 첫째 항목입니다.\n2. 둘째 항목입니다.\n3. 셋째 항목입니다.\n\n"
            "2. 두 번째 주제\n\n또 다른 설명입니다.\n")
    path = tmp_path / "lists.txt"
    path.write_text(text, encoding="utf-8")
    lesson = seed.read(path)
    assert [s.heading for s in lesson.sections] == ["첫 번째 주제", "두 번째 주제"]
    assert "둘째 항목입니다." in " ".join(lesson.sections[0].paragraphs)


def test_bom_and_utf16_are_read(tmp_path):
    text = "제목\n\n본문입니다. 신뢰(trust)가 중요합니다.\n"
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))
    for name in ("bom.txt", "u16.txt"):
        lesson = seed.read(tmp_path / name)
        assert lesson.title == "제목" and lesson.sections[0].terms == [Term("trust", "신뢰")]


def test_non_ascii_stem_gets_a_stable_ascii_id(tmp_path):
    path = tmp_path / "앤트로픽 이야기.txt"
    path.write_text("제목\n\n본문입니다.\n", encoding="utf-8")
    first = seed.read(path).seed_id
    assert first.startswith("seed-") and first.isascii() and first == seed.read(path).seed_id
    assert seed.seed_id_for("My Article_2") == "my-article-2"


# --- Markdown ------------------------------------------------------------------------


def test_markdown_seed():
    lesson = seed.read(FIXTURES / "lesson.md")
    assert (lesson.seed_id, lesson.title, lesson.author, lesson.date) == (
        "email-basics", "이메일 영어 기초", "테스트 작가", dt.date(2025, 5, 6))
    assert [(s.kind, s.key) for s in lesson.sections] == [
        ("intro", "intro"), ("section", "1"), ("section", "2"), ("outro", "outro")]
    intro, first, second, _ = lesson.sections
    assert intro.paragraphs == ["이메일은 기록이 남습니다. 링크는 읽지 않습니다."]
    assert first.quotes == [Quote("Quick question about Friday's deadline", "금요일 마감에 대한 간단한 질문"),
                            Quote("Please confirm by Thursday.", "목요일까지 확인 부탁드립니다.")]
    assert first.terms == [Term("subject line", "제목 줄"), Term("follow up", "후속 연락하다"), Term("cc", "참조")]
    assert first.notes == ["제목 줄에는 마침표를 찍지 않습니다."]
    assert second.heading == "부드럽게 거절하기"
    assert Term("alternative", "대안") in second.terms
    assert all("http" not in t and "<!--" not in t for t in all_text(lesson))


def test_project_seeds_read_and_write():
    root = Path(__file__).parents[1] / "seeds"
    paths = seed.find([root])
    assert [p.name for p in paths] == ["ai-safety-strategies.md", "remote-meetings.md"]  # FORMAT.md is no seed
    lesson = seed.read(paths[0])
    assert [s.kind for s in lesson.sections].count("section") == 4
    assert all(s.quotes and all(q.korean for q in s.quotes) for s in lesson.sections)
    assert len(script.write(lesson, LessonSettings())) == 5


def test_markdown_front_matter_errors(tmp_path):
    bad_key = tmp_path / "a.md"
    bad_key.write_text("---\ntitel: x\n---\n# T\n\n본문.\n", encoding="utf-8")
    with pytest.raises(AudiogenError, match="titel.*did you mean 'title'"):
        seed.read(bad_key)
    unclosed = tmp_path / "b.md"
    unclosed.write_text("---\ntitle: x\n# T\n", encoding="utf-8")
    with pytest.raises(AudiogenError, match="never ends"):
        seed.read(unclosed)
    bad_date = tmp_path / "c.md"
    bad_date.write_text("---\ndate: someday\n---\n# T\n\n본문.\n", encoding="utf-8")
    with pytest.raises(AudiogenError, match="date"):
        seed.read(bad_date)


# --- finding and errors -----------------------------------------------------------------


def test_find(tmp_path):
    (tmp_path / "b.md").write_text("# B\n\n본문.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A\n\n본문.\n", encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    (tmp_path / "README.md").write_text("# readme\n", encoding="utf-8")
    assert [p.name for p in seed.find([tmp_path])] == ["a.txt", "b.md"]
    assert seed.find([tmp_path / "b.md"]) == [tmp_path / "b.md"]
    with pytest.raises(AudiogenError, match="no such"):
        seed.find([tmp_path / "missing"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(AudiogenError, match="no seeds"):
        seed.find([empty])


def test_unsupported_documents_are_named_not_silently_skipped(tmp_path):
    (tmp_path / "a.txt").write_text("A\n\n본문.\n", encoding="utf-8")
    for name in ("report.docx", "slides.pdf", "memo.hwp", ".hidden.pdf", "~$lock.docx"):
        (tmp_path / name).write_bytes(b"PK\x03\x04 not text")
    assert [p.name for p in seed.find([tmp_path])] == ["a.txt"]
    assert [p.name for p in seed.unsupported([tmp_path])] == ["memo.hwp", "report.docx", "slides.pdf"]
    assert seed.unsupported([tmp_path / "a.txt"]) == []  # only folders are listed
    for name in ("report.docx", "slides.pdf"):
        suffix = name[name.index("."):]
        for call in (seed.read, lambda p: seed.find([p])):
            with pytest.raises(AudiogenError, match=rf"not a supported seed type \({suffix}\); save it as .txt or .md"):
                call(tmp_path / name)
    only_docs = tmp_path / "docs"
    only_docs.mkdir()
    (only_docs / "article.docx").write_bytes(b"PK")
    with pytest.raises(AudiogenError, match="no seeds here.*article.docx is not a supported seed type"):
        seed.find([only_docs])


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \n\n\t\n", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("cp949.txt", "제목\n\n본문입니다. 한국어 문장입니다.\n".encode("cp949"), "CP949/EUC-KR"),
    ("latin1.txt", "caf\xe9 \xe0 la cr\xe8me\n".encode("latin-1") + b"\xff\xfe\xfa", "UTF-8"),
    ("noise.txt", "본문 바로가기\n\u00a0\n728x90\n\n반응형\n공유하기\n".encode(), "no lesson text"),
    ("title-only.txt", "제목만 있는 글\n\n728x90\n".encode(), "no lesson text"),
])
def test_bad_seeds(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(AudiogenError, match=message) as e:
        seed.read(path)
    assert str(path) in str(e.value) and "\n" not in str(e.value)


def test_too_large_and_missing(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("제목\n\n" + "가나다라. " * 1000, encoding="utf-8")
    with pytest.raises(AudiogenError, match="limit is 1,000 bytes"):
        seed.read(path, max_bytes=1000)
    with pytest.raises(AudiogenError, match="no such seed"):
        seed.read(tmp_path / "nope.txt")
    with pytest.raises(AudiogenError, match="not a file"):
        seed.read(tmp_path)


# --- never a traceback ------------------------------------------------------------------

_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


def _read_and_write(content: str | bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"seed{suffix}"
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        try:
            lesson = seed.read(path)
        except AudiogenError:
            return
        scripts = script.write(lesson, LessonSettings(max_minutes=1.0))
        assert scripts and all(s.lines for s in scripts)
        copies = [dataclasses.replace(lesson, seed_id=f"{lesson.seed_id}-{k}") for k in range(3)]
        course.write_scripts(copies, LessonSettings(review_every=1), lambda les: dt.date(2025, 3, 4), {})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_text, quote=_text, term=_text, korean=_text, body=_text, suffix=st.sampled_from([".txt", ".md"]))
def test_arbitrary_unicode_never_crashes(title, quote, term, korean, body, suffix):
    content = (f"{title}\n\n서론: {title}\n\n{body} {korean}({term}) 입니다.\n\n1. {title}\n\n"
               f"\"{quote}\"\n\n{body}\n\n## 2. {korean}\n\n> \"{quote}\"\n> {korean}\n\n- {term} = {korean}\n\n결론\n\n{body}\n")
    _read_and_write(content, suffix)


@settings(max_examples=150, deadline=None)
@given(content=st.one_of(st.text(max_size=400), st.binary(max_size=200)), suffix=st.sampled_from([".txt", ".md"]))
def test_arbitrary_files_never_crash(content, suffix):
    _read_and_write(content, suffix)


def test_a_title_that_opens_with_an_english_quote_is_the_title_not_a_key_sentence(tmp_path):
    """`"Let's take this offline": 원격 팀의 원칙` above the byline is the article's title: read as a
    quote with its 'gloss', it was drilled with the rest of the title as the meaning."""
    page = tmp_path / "remote.txt"
    page.write_text("본문 바로가기\n일하는 영어\n\n\"Let's take this offline\": 원격 팀에서 살아남는 다섯 가지 원칙\n\n"
                    "by yuna 2025. 12. 3.\n\n서론: 시작하며\n\n원격 팀은 글로 일합니다. 회의는 짧게 끝냅니다.\n\n"
                    "1. 회의를 살리는 한마디\n\n회의가 길어지면 따로 이야기하자고 말합니다.\n\n"
                    "\"Good point. Let's take this offline.\"\n", encoding="utf-8")
    lesson = seed.read(page)
    assert lesson.title == "\"Let's take this offline\": 원격 팀에서 살아남는 다섯 가지 원칙"
    assert lesson.author == "yuna" and lesson.date == dt.date(2025, 12, 3)
    quotes = [q.english for s in lesson.sections for q in s.quotes]
    assert quotes == ["Good point. Let's take this offline."]
