"""Section identity for plain headings (seed.identity): a section keeps the key, so the GUID, of
the published section it is, whatever is inserted, removed or reordered around it."""

from __future__ import annotations

from audiogen.model import Quote, Section, Term
from audiogen.seed.identity import Published, keep_keys, resemblance, sketch

TEXTS = {
    "회의를 여는 말": "회의를 시작할 때는 안건(agenda)을 먼저 말합니다. 오늘 정할 한 가지를 분명히 합니다.",
    "메일을 맺는 말": "메일의 끝에는 다음 단계를 적습니다. 답장을 기다린다는 말로 마무리합니다(wrap up).",
    "전화를 거는 말": "전화를 걸면 먼저 이름과 용건을 밝힙니다. 통화가 가능한지 묻는 것이 예의입니다.",
    "발표를 마치는 말": "발표의 끝에서는 핵심을 한 문장으로 다시 말하고 질문을 받습니다.",
}


def section(heading: str, key: str = "0", text: str | None = None, plain: bool = True) -> Section:
    return Section(key=key, kind="section", heading=heading, paragraphs=[text or TEXTS[heading]],
                   quotes=[Quote(english=f"About {len(heading)} things")], terms=[Term("agenda", "안건")], plain=plain)


def published(*headings: str) -> list[Published]:
    return [Published(str(i), h, sketch(section(h))) for i, h in enumerate(headings, 1)]


def keys(sections: list[Section]) -> dict[str, str]:
    return {s.heading: s.key for s in sections}


def test_a_section_inserted_at_the_top_moves_no_key():
    before = published("회의를 여는 말", "메일을 맺는 말")
    now = [section("전화를 거는 말"), section("회의를 여는 말"), section("메일을 맺는 말")]
    keep_keys(now, before)
    assert keys(now) == {"전화를 거는 말": "3", "회의를 여는 말": "1", "메일을 맺는 말": "2"}


def test_removing_and_reordering_keep_keys_and_free_numbers_are_never_reused():
    before = published("회의를 여는 말", "메일을 맺는 말", "전화를 거는 말")
    now = [section("전화를 거는 말"), section("회의를 여는 말"), section("발표를 마치는 말")]
    keep_keys(now, before)
    assert keys(now) == {"전화를 거는 말": "3", "회의를 여는 말": "1", "발표를 마치는 말": "4"}


def test_a_typo_fix_in_a_heading_keeps_its_key():
    before = [Published("1", "회의를 여는 맗", sketch(section("회의를 여는 말"))),
              Published("2", "메일을 맺는 말", sketch(section("메일을 맺는 말")))]
    now = [section("메일을 맺는 말"), section("회의를 여는 말")]
    keep_keys(now, before)
    assert keys(now) == {"메일을 맺는 말": "2", "회의를 여는 말": "1"}


def test_the_same_heading_over_rewritten_text_and_new_heading_over_same_text_keep_their_keys():
    before = published("회의를 여는 말", "메일을 맺는 말")
    now = [section("메일을 맺는 말", text="완전히 새로 쓴 문단입니다. 전혀 다른 내용이 들어 있습니다."),
           section("회의를 시작하는 방법", text=TEXTS["회의를 여는 말"])]
    keep_keys(now, before)
    assert keys(now) == {"메일을 맺는 말": "2", "회의를 시작하는 방법": "1"}


def test_numbered_headings_keep_their_numbers_and_nothing_published_means_order():
    before = published("회의를 여는 말", "메일을 맺는 말")
    now = [section("전화를 거는 말", key="1", plain=False), section("메일을 맺는 말"), section("발표를 마치는 말")]
    keep_keys(now, before)
    assert keys(now) == {"전화를 거는 말": "1", "메일을 맺는 말": "2", "발표를 마치는 말": "3"}
    fresh = [section("회의를 여는 말", key="1"), section("메일을 맺는 말", key="2")]
    keep_keys(fresh, [])
    assert keys(fresh) == {"회의를 여는 말": "1", "메일을 맺는 말": "2"}


def test_sketches_estimate_shared_words():
    a = sketch(section("회의를 여는 말"))
    assert resemblance(a, a) == 1.0
    assert resemblance(a, sketch(section("전화를 거는 말"))) < 0.3
    assert len(a) <= 32 and all(isinstance(h, int) for h in a)
