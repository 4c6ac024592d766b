"""Markdown seeds read as Markdown (markdown-it-py): code is never narrated, setext headings are
headings, nested lists and quotes behave as Markdown says; and a Lesson written back as Markdown
reads as the same Lesson."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiogen.model import Lesson, Quote, Section, Term
from audiogen.seed import markdown, to_markdown
from audiogen.seed.headings import Heading
from audiogen.seed.noise import is_noise
from audiogen.seed.sections import Builder

SEED = Path("lesson.md")


def read(text: str) -> Lesson:
    return markdown.parse(text, SEED)


def everything(lesson: Lesson) -> str:
    return "\n".join([s.heading for s in lesson.sections] + [p for s in lesson.sections for p in s.paragraphs]
                     + [q.english + (q.korean or "") for s in lesson.sections for q in s.quotes]
                     + [t.english + t.korean for s in lesson.sections for t in s.terms]
                     + [n for s in lesson.sections for n in s.notes])


def test_code_is_never_narrated_nor_a_term():
    lesson = read("""# 코드 리뷰 영어

## 1. 질문으로 제안하기

리뷰 코멘트는 질문(question)으로 씁니다.

```python
# 함수(function) 이름을 바꾼다
print("Please rename this function.")
```

~~~
설정(setting) = "value"
~~~

    들여쓴 코드(indented code) 블록도 읽지 않습니다.

- refactor = 구조를 고치다
""")
    text = everything(lesson)
    assert "print" not in text and "rename" not in text and "들여쓴" not in text and "value" not in text
    assert {t.english for s in lesson.sections for t in s.terms} == {"question", "refactor"}


def test_setext_headings_are_headings():
    lesson = read("""회의 영어
=========

첫 번째 부분
------------

회의를 시작할 때는 목적을 말합니다. 안건(agenda)을 먼저 보여 줍니다.

두 번째 부분
------------

회의를 마칠 때는 다음 할 일을 정리합니다.
""")
    assert lesson.title == "회의 영어"
    assert [(s.key, s.heading) for s in lesson.sections] == [("1", "첫 번째 부분"), ("2", "두 번째 부분")]
    assert lesson.sections[0].terms == [Term("agenda", "안건")]


def test_nested_lists_and_quotes_behave_as_markdown_says():
    lesson = read("""# 표현 모음

## 1. 부탁하기

- 부탁할 때 쓰는 표현입니다.
  - follow up = 후속 조치하다
  - 안쪽 목록도 읽습니다.
1. 번호 목록의 항목입니다.

> > "Could you take a look at this?"
> > 이것 좀 봐 주시겠어요?

> "Let's circle back tomorrow."
내일 다시 이야기합시다.
""")
    section = lesson.sections[0]
    assert section.paragraphs == ["부탁할 때 쓰는 표현입니다.", "안쪽 목록도 읽습니다.", "번호 목록의 항목입니다."]
    assert section.terms == [Term("follow up", "후속 조치하다")]
    # a nested quote is still a quote; a lazy line continues the quote above it
    assert section.quotes == [Quote("Could you take a look at this?", "이것 좀 봐 주시겠어요?"),
                              Quote("Let's circle back tomorrow.", "내일 다시 이야기합시다.")]


def test_html_comments_images_and_links():
    lesson = read("""# 링크와 주석

<!-- 이 주석은
읽지 않습니다 -->

## 1. 본문

**안건(agenda)**을 [회의 노트](https://example.com/notes)에 적습니다. <!-- 인라인 주석 --> ![그림](a.png) 끝입니다.

Note: 메모 줄은 노트가 됩니다.

1\\. 번호처럼 보이지만 문단입니다.
""")
    section = lesson.sections[0]
    assert section.paragraphs == ["안건(agenda)을 회의 노트에 적습니다. 끝입니다.", "1. 번호처럼 보이지만 문단입니다."]
    assert section.terms == [Term("agenda", "안건")]
    assert section.notes == ["메모 줄은 노트가 됩니다."]
    assert "주석" not in everything(lesson) and "example.com" not in everything(lesson)


def test_missing_and_machine_meanings():
    doc = markdown.read("""# 문장

## 1. 하나

이 장의 문장들입니다.

> "We ship on Fridays."
> 번역: ?

> "Small steps add up."
> 기계 번역: 작은 걸음이 쌓입니다.
""", SEED)
    quotes = doc.lesson.sections[0].quotes
    # a machine's meaning is read back as machine-made, never as the author's
    assert quotes == [Quote("We ship on Fridays.", None), Quote("Small steps add up.", "작은 걸음이 쌓입니다.", "translator")]
    assert doc.machine == {"Small steps add up."}
    assert "번역" not in everything(doc.lesson)


# --- writing a Lesson back: reading the file gives the same Lesson --------------------------

_chars = st.sampled_from(list("가나다라 마바사 abc XYZ 123 *_`[]<>#&!\\-+=.():;\"“”'|~") + ["&amp;", "1. ", "> ", "# ", "---"])
_text = st.lists(_chars, min_size=1, max_size=25).map("".join).map(lambda s: " ".join(s.split())).filter(
    lambda s: any(ch.isalnum() for ch in s))


_english = st.lists(st.sampled_from(["we", '"quoted"', "“curly”", "—", "(x)", "ship", "on", "Fridays", "it's", "*fast*", "a_b", "[x]", "<tag>", "1.", "&amp;",
                                     "C#", "`code`", "--", "back\\slash"]), min_size=0, max_size=4).map(
    lambda words: " ".join(["Keep", "going", *words]))  # a key sentence has two English words at least
_korean = st.one_of(_text.map(lambda s: "뜻 " + s), _text.map(lambda s: s + " 뜻"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(_text, min_size=1, max_size=3), notes=st.lists(_text, max_size=2),
       quotes=st.lists(st.tuples(_english, st.one_of(st.none(), _korean)), max_size=3),
       terms=st.lists(st.tuples(_english, st.one_of(st.just(""), _korean)), max_size=3), heading=_text)
def test_any_lesson_text_is_written_so_it_reads_back_the_same(paragraphs, notes, quotes, terms, heading):
    """Whatever a reader collected (built here the way the readers build it), the Markdown written
    for it reads back as the same sections."""
    builder = Builder(title="제목")
    builder.heading(Heading("section", 1, heading))
    for p in paragraphs:
        if not is_noise(p):
            builder.paragraph(p)
    for english, korean in quotes:
        builder.quote(Quote(english, None))
        if korean:
            builder.gloss(korean)
    for english, korean in terms:
        builder.term(Term(english, korean))
    for n in notes:
        builder.note(n)
    sections = builder.finish()
    lesson = Lesson(seed_id="prop", source=SEED, title="제목", sections=sections)
    text = to_markdown.dump(lesson)
    again = read(text)
    assert again.sections == sections, text  # where a quote stands (Quote.paragraph) is no part of what it is
    assert to_markdown.dump(again) == text


def test_a_written_lesson_reads_back_identically():
    lesson = Lesson(seed_id="meetings", source=SEED, title="회의 *영어* [기초]", author="김하늘", sections=[
        Section(key="intro", kind="intro", heading="들어가며", paragraphs=["1. 번호로 시작하는 문단입니다.", "- 대시로 시작합니다."]),
        Section(key="1", kind="section", heading="안건 정하기",
                paragraphs=["회의 전에 안건(agenda)을 보냅니다. 팀장은 \"Please send it early.\"라고 말했습니다.",
                            "Note: 이건 노트가 아니라 문단입니다.", "\"Just one quoted line\" — 그리고 설명"],
                quotes=[Quote("Let's get started.", "시작합시다."), Quote("Please send it early.", None),
                        Quote("Just one quoted line", None)],
                terms=[Term("kickoff", "시작 회의"), Term("agenda", "안건"), Term("wrap up", "")],
                notes=["<b>태그</b>처럼 보이는 노트"]),
        Section(key="outro", kind="outro", heading="정리", paragraphs=["끝."]),
    ])
    text = to_markdown.dump(lesson)
    again = read(text)
    assert again.sections == lesson.sections
    assert (again.title, again.author, again.seed_id) == (lesson.title, lesson.author, lesson.seed_id)
    assert to_markdown.dump(again) == text
    assert "> 번역: ?" in text and "- wrap up = ?" in text


def test_a_list_of_quotes_each_with_its_translation_after_a_dash():
    """A writer's list of phrases: each quote is a key sentence with the Korean after its dash as its
    meaning (they were taught with none, and drilled as bare English)."""
    lesson = read("""# 컨퍼런스 영어

## 대화를 이어가는 질문

제가 자주 쓰는 표현은 이렇습니다.

- "How did you get into this field?" — 이 분야에는 어떻게 들어오셨어요?
- “What's been the highlight for you so far?” – 지금까지 가장 인상 깊었던 건 뭐예요?
- "Tell me more about your team."
""")
    quotes = {q.english: q.korean for s in lesson.sections for q in s.quotes}
    assert quotes == {"How did you get into this field?": "이 분야에는 어떻게 들어오셨어요?",
                      "What's been the highlight for you so far?": "지금까지 가장 인상 깊었던 건 뭐예요?",
                      "Tell me more about your team.": None}
    assert not any("highlight" in p for s in lesson.sections for p in s.paragraphs)


def test_where_the_text_comes_from_is_not_narrated():
    lesson = read("""# 컨퍼런스 영어

원문: [비즈니스 영어 레터 #42](https://example.com/newsletter/42)

지난 3월 처음으로 해외 컨퍼런스에 갔습니다. 원문을 찾아 읽어 보셔도 좋습니다.

## 첫마디

출처: 비즈니스 영어 레터

첫마디는 질문이 좋습니다.
""")
    text = everything(lesson)
    assert "레터" not in text and "출처" not in text and "원문:" not in text
    assert "원문을 찾아 읽어 보셔도 좋습니다." in text  # a sentence about the original is the writer's
