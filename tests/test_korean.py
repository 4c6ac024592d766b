"""Korean helpers: particles after a final consonant, ordinals, numbers as a Korean reader says
them, dictionary forms and meanings (from the morphological analyser), and text fit for the
Korean voice."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audiogen import korean, seed
from audiogen.model import Term
from audiogen.seed.terms import extract_terms


@pytest.mark.parametrize("word, which, said", [
    ("연봉", "은", "연봉은"), ("회사", "은", "회사는"), ("성과급", "와", "성과급과"), ("기본급", "과", "기본급과"),
    ("보너스", "과", "보너스와"), ("서울", "으로", "서울로"), ("집", "로", "집으로"), ("3", "이", "3이"), ("2", "이", "2가"),
])
def test_particles_follow_the_final_consonant(word, which, said):
    assert korean.particle(word, which) == said


@pytest.mark.parametrize("n, said", [(1, "첫 번째"), (2, "두 번째"), (3, "세 번째"), (4, "네 번째"), (10, "열 번째"),
                                     (11, ""), (0, "")])
def test_native_korean_ordinals_up_to_ten(n, said):
    assert korean.ordinal(n) == said


@pytest.mark.parametrize("text, said", [
    ("매출이 30% 늘었습니다", "매출이 삼십 퍼센트 늘었습니다"),
    ("직원 3명과 사과 2개", "직원 세 명과 사과 두 개"),
    ("20명이 왔습니다", "스무 명이 왔습니다"),
    ("2026년 1월", "이천이십육년 일월"),
    ("팀장 2년 차", "팀장 이 년 차"),  # never written as a slur
    ("첫 3개월과 6개월 뒤", "첫 삼개월과 육개월 뒤"),  # 개월 begins like 개 but is counted in Sino-Korean
    ("직원 10 명과 10 나누기 2", "직원 열 명과 십 나누기 이"),  # the space after a number stays
    ("10,000원", "만원"),
    ("1.5배", "일 점 오배"),
    ("B2B 시장과 Q3 실적", "B2B 시장과 Q3 실적"),  # digits in a Latin word are the English voice's
])
def test_numbers_are_read_as_a_korean_reader_says_them(text, said):
    assert korean.read_numbers(text) == said


@pytest.mark.parametrize("glossed, form", [
    ("내재되어야", "내재되다"), ("덧붙이는", "덧붙이다"), ("중요한", "중요하다"), ("승인된", "승인되다"),
    ("설명해야", "설명하다"), ("신뢰를 쌓는", "신뢰를 쌓다"), ("전략적인", "전략적"), ("막힌", "막히다"),
    ("만드는", "만들다"), ("따로 이야기하자", "따로 이야기하다"),
    # nouns, noun phrases and adverbs as they are
    ("권한", "권한"), ("현지 연락처", "현지 연락처"), ("불가분하게", "불가분하게"), ("막힌 점", "막힌 점"),
    ("현금 흐름", "현금 흐름"), ("기다림", "기다림"),  # a verb made a noun stays a noun
    ("몇 달을 버틸 수 있는지", "몇 달을 버틸 수 있는지"),  # an indirect question is not a statement
])
def test_dictionary_forms(glossed, form):
    assert korean.dictionary_form(glossed) == form


# The meaning of a glossed term against the span a reader would underline.
@pytest.mark.parametrize("text, english, meaning", [
    ("예를 들어 계약 보너스(signing bonus)는 따로 협상합니다.", "signing bonus", "계약 보너스"),
    ("진행이 막힌 점(blocker)은 바로 공유하세요.", "blocker", "막힌 점"),
    ("회의 뒤에는 사후 검토(postmortem)를 남기세요.", "postmortem", "사후 검토"),
    ("대부분 행동 면접(behavioral interview)은 과거를 묻습니다.", "behavioral interview", "행동 면접"),
    ("회사가 원하는 것은 기능이 아니라 판매 포인트(selling point)입니다.", "selling point", "판매 포인트"),
    ("결론이 안 나면 따로 이야기하자(take it offline)고 하세요.", "take it offline", "따로 이야기하자"),
    ("보고서 초안(draft)을 보냈다.", "draft", "초안"),
    ("그래서 이탈률(churn rate)이 오를 때는", "churn rate", "이탈률"),
    ("좋은 팀은 첫 성공 경험(aha moment)을 만든다.", "aha moment", "첫 성공 경험"),
    # a light verb keeps its object; an auxiliary is read after its verb; a hyphenated English names both halves
    ("팀장들은 같은 자리에서 우선순위를 정했습니다(prioritize).", "prioritize", "우선순위를 정했습니다"),
    ("기존 고객의 가격을 그대로 유지해 주는(grandfather) 방식을 택했습니다.", "grandfather", "유지해 주는"),
    ("결국 환자 중심의(patient-centered) 병원이 되었습니다.", "patient-centered", "환자 중심의"),
    ("진행을 막는 문제를 바로 해결했습니다(fix).", "fix", "해결했습니다"),
    ("월 반복 매출(MRR)은 55% 늘었습니다.", "MRR", "월 반복 매출"),  # 월 is the M of MRR
    ("올해 연 매출(annual revenue)은 늘었습니다.", "annual revenue", "연 매출"),  # 올해 says when, not what
    ("병원은 만성적인 인력 부족(staff shortage)에 시달렸습니다.", "staff shortage", "인력 부족"),
    # ...but when the English has a word for it, the adjective is the meaning's too (real-time = 즉각적인)
    ("이를 즉각적인 피드백(real-time feedback)이라고 부릅니다.", "real-time feedback", "즉각적인 피드백"),
    ("구체적인 이야기와 후속 조치(follow-up)가 인상을 남깁니다.", "follow-up", "후속 조치"),
])
def test_term_meanings_are_the_span_the_parenthesis_glosses(text, english, meaning):
    assert seed.extract_terms(text) == [Term(english, meaning)]


def test_the_authors_vocabulary_wins_for_every_occurrence(tmp_path):
    path = tmp_path / "standup.md"
    path.write_text("# 스탠드업\n\n## 1. 어제\n\n막힌 점(blocker)은 공유하세요.\n\n- blocker = 진행을 막는 문제\n\n"
                    "## 2. 오늘\n\n오늘도 막힌 점(blocker)이 있으면 말하세요.\n", encoding="utf-8")
    lesson = seed.read(path)
    assert [(t.english, t.korean) for s in lesson.sections for t in s.terms] == [
        ("blocker", "진행을 막는 문제"), ("blocker", "진행을 막는 문제")]


# What the Korean voice is given: never Latin letters, symbols read by name, or Hanja.
@pytest.mark.parametrize("text, pieces", [
    ("연봉 = 기본급 + 성과급", [("ko", "연봉은 기본급과 성과급")]),
    ("휴가 일수 ~ 재택 근무", [("ko", "휴가 일수, 재택 근무")]),
    ("10~20명", [("ko", "열 명에서 스무 명")]),
    ("3~5년", [("ko", "삼 년에서 오 년")]),
    ("30초~1분이면 충분합니다", [("ko", "삼십초에서 일분이면 충분합니다")]),  # a range written tight
    ("수천 달러~수만 달러", [("ko", "수천 달러에서 수만 달러")]),
    ("'DNA'가 B2B에 맞는 회사", [("en", "DNA"), ("ko", "가"), ("en", "B2B"), ("ko", "에 맞는 회사")]),
    ("OpenAI의 그늘에서", [("en", "OpenAI"), ("ko", "의 그늘에서")]),  # the particle stays with the Korean
    ("업무 자働화 경험", [("ko", "업무 자동화 경험")]),  # Hanja read in Hangul, never dropped
    ("팀의 신뢰(信賴)를 지킵니다.", [("ko", "팀의 신뢰를 지킵니다.")]),  # a Hanja annotation is not said twice
    ("動 자에 사람 인(人) 변을 붙여", [("ko", "동 자에 사람 인 변을 붙여")]),
    ("매출이 30% 늘고 R&D 비용은 줄었다", [("ko", "매출이 삼십 퍼센트 늘고"), ("en", "R&D"), ("ko", "비용은 줄었다")]),
    ("기획/개발 모두", [("ko", "기획 또는 개발 모두")]),
    ("월 요금은 기본료 + 초과 건수 × 300원", [("ko", "월 요금은 기본료와 초과 건수 곱하기 삼백원")]),
    ("종이 → 전자 차트로 바꿨습니다", [("ko", "종이에서 전자 차트로 바꿨습니다")]),
    ("우리는 go to market 전략을 세웠습니다.", [("ko", "우리는"), ("en", "go to market"), ("ko", "전략을 세웠습니다.")]),
    # one letter inside a Korean word is said in Korean (no clip of "A" and one of "사"); Plan B stays English
    ("그래서 A사와 C사의 임원이 만났다", [("ko", "그래서 에이사와 씨사의 임원이 만났다")]),
    ("Plan B를 세웠다", [("en", "Plan B"), ("ko", "를 세웠다")]),
    # an acronym glossed with its words: the brackets are not read (never `)을`)
    ("우리는 OKR(Objectives and Key Results)을 도입했다", [("ko", "우리는"), ("en", "OKR Objectives and Key Results"),
                                                      ("ko", "을 도입했다")]),
])
def test_text_for_the_korean_voice(text, pieces):
    assert korean.voice_pieces(text) == pieces
    for lang, piece in pieces:
        if lang == "ko":
            assert not any(ch.isascii() and ch.isalpha() for ch in piece)
            assert not set(piece) & set("=~+→%/&#×÷")


def test_analyses_are_kept_between_builds(tmp_path):
    memo = tmp_path / "memo.json"
    korean.load_memo(memo)
    assert korean.dictionary_form("시험되어야") == "시험되다"
    korean.save_memo()
    saved = json.loads(memo.read_text(encoding="utf-8"))
    assert saved["version"] == korean.MEMO_VERSION
    saved = saved["analyses"]
    assert "시험되어야" in saved and ["되", "XSV"] == saved["시험되어야"][1][:2]
    # a later build reads the answer back without the analyser
    korean._memo.clear()
    korean.load_memo(memo)
    assert korean.analyse("시험되어야") == tuple(korean.Morph(*m) for m in saved["시험되어야"])


def test_a_memo_of_the_wrong_shape_is_dropped_and_analysed_again(tmp_path):
    """Offsets as strings (issue 22, case 3) once failed every build with a TypeError."""
    memo = tmp_path / "memo.json"
    text = "시험되어야"
    for state in (korean._memo, korean._used, korean._memo_loaded):
        state.clear()
    korean.load_memo(memo)
    right = korean.analyse(text)
    korean.save_memo()
    data = json.loads(memo.read_text(encoding="utf-8"))
    data["analyses"][text] = [[form, tag, str(start), str(end)] for form, tag, start, end in data["analyses"][text]]
    memo.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    korean._memo.clear()
    korean.load_memo(memo)
    assert text not in korean._memo
    assert korean.analyse(text) == right
    assert korean.dictionary_form(text) == "시험되다"


@settings(max_examples=400, deadline=None)
@given(data=st.recursive(st.none() | st.booleans() | st.integers(-3, 40) | st.text(max_size=6),
                         lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                         max_leaves=30))
def test_no_shape_of_a_memo_is_trusted_unchecked(data):
    for shaped in (data, {"version": korean.MEMO_VERSION, "analyses": data},
                   {"version": korean.MEMO_VERSION, "analyses": {"시험": data}}):
        for text, morphs in korean.memo_entries(shaped).items():
            for m in morphs:
                assert isinstance(m.form, str) and isinstance(m.tag, str)
                assert type(m.start) is int and type(m.end) is int and 0 <= m.start <= m.end <= len(text)


# A meaning that only spells the English in Hangul is no explanation.
@pytest.mark.parametrize("hangul, english, spelled", [
    ("레드팀", "red team", True), ("앤트로픽", "Anthropic", True), ("카이젠", "kaizen", True), ("클로드", "Claude", True),
    ("프로세스", "process", True), ("애자일", "agile", True), ("블로커", "blocker", True), ("도그푸딩", "dogfooding", True),
    ("약점을 찾는 공격 팀", "red team", False), ("신뢰", "trust", False), ("차별화", "differentiation", False),
    ("계약 보너스", "signing bonus", False), ("판매 포인트", "selling point", False), ("목적", "purpose", False),
    ("시장을 공략하다", "go after a market", False), ("마무리하다", "wrap up", False),
])
def test_transliterations(hangul, english, spelled):
    assert korean.transliterates(hangul, english) is spelled


# Names and loanwords as Korean spells them (issue 19): a long word (스노우플레이크), an r after a vowel
# left out (로저 피셔, 파킹 랏, 스코어), -tion as 션, th as ㅅ, ch as ㅋ, a hard g, a final ㅅ said t (깃랩),
# a surname spelled alone (애리얼리); and real Korean words that must never count as a spelling.
@pytest.mark.parametrize("hangul, english, spelled", [
    ("스노우플레이크", "Snowflake", True), ("로저 피셔", "Roger Fisher", True), ("노션", "Notion", True),
    ("애리얼리", "Dan Ariely", True), ("헬스", "health", True), ("헬스 스코어", "health score", True),
    ("앵커링", "anchoring", True), ("크리스 보스", "Chris Voss", True), ("파킹 랏", "parking lot", True),
    ("겐바", "genba", True), ("깃랩", "GitLab", True), ("엘리베이터 피치", "elevator pitch", True),
    ("익스팬드", "land and expand", True), ("세일즈포스", "Salesforce", True), ("윌리엄 유리", "William Ury", True),
    ("신뢰", "trust", False), ("입점비", "slotting fee", False), ("직접 판매", "D2C", False), ("닻", "anchor", False),
    ("덧붙이다", "bolted on", False), ("지불 의향", "willingness to pay", False), ("무료 체험", "free trial", False),
    ("앵커링 효과", "anchoring effect", False), ("월 반복 매출", "MRR", False), ("매출", "MRR", False),
    ("핵심 메시지", "key message", False), ("분기별 비즈니스 리뷰", "Quarterly Business Review", False),
    ("이탈 인터뷰", "exit interview", False), ("상식 밖의 경제학", "Predictably Irrational", False),
    ("고객 성공", "Customer Success", False), ("근본 원인", "root cause", False), ("조건", "Net 60", False),
])
def test_names_and_loanwords_as_korean_spells_them(hangul, english, spelled):
    assert korean.transliterates(hangul, english) is spelled


@pytest.mark.parametrize("text, term", [
    ("약점을 찾는 전담 공격 팀, 즉 레드팀(red team)의 결과도 공개했습니다.", ("red team", "약점을 찾는 전담 공격 팀")),
    ("작은 개선을 매일 쌓는 습관, 즉 '카이젠(kaizen)'이 핵심입니다.", ("kaizen", "작은 개선을 매일 쌓는 습관")),
    ("그들은 내부 '레드팀(red team)'을 통해 찾아냅니다.", ("red team", "레드팀")),  # nothing better in the sentence
    ("레드팀(red team), 즉 약점을 찾는 공격 팀을 따로 두었습니다.", ("red team", "약점을 찾는 공격 팀")),
    # what is advised, not the advising; a verb with its complement; a bound noun's object; an adjective
    ("저자는 속으로 여섯까지 세라고 조언합니다(count to six).", ("count to six", "여섯까지 세다")),
    ("피드백은 겸손하고, 도움이 되고(helpful), 즉각적이어야 합니다.", ("helpful", "도움이 되고")),
    ("저자는 이것을 신뢰를 쌓는 일(building trust)이라고 부릅니다.", ("building trust", "신뢰를 쌓는 일")),
    ("관심이 없는 칸은 불쾌한 공격성(Obnoxious Aggression)입니다.", ("Obnoxious Aggression", "불쾌한 공격성")),
    # the sense the sentence says the article means, not the dictionary's word
    ("여기서 대역폭(bandwidth)은 원래 통신 용어지만, 비즈니스에서는 '업무 여력'이라는 의미로 자주 쓰입니다.",
     ("bandwidth", "업무 여력")),
    ("피벗(pivot)은 회의에서 '방향 전환'을 뜻합니다.", ("pivot", "방향 전환")),
    ("대역폭(bandwidth)이 부족하다는 말을 '바쁘다'고 하지 않습니다.", ("bandwidth", "대역폭")),
    # a long one: its last words, cut where no modifier loses its noun
    ("고객사 안에서 우리 제품을 가장 적극적으로 밀어주고 내부에 전파하는 사람, 이른바 챔피언(champion)이 있습니다.",
     ("champion", "적극적으로 밀어주고 내부에 전파하는 사람")),
    # an explanation of six words is taken whole: its last five would drop the stranger of a cold approach
    ("모르는 사람에게 먼저 말을 거는 일, 이른바 콜드 어프로치(cold approach)가 어렵더군요.",
     ("cold approach", "모르는 사람에게 먼저 말을 거는 일")),
    ("레드팀(red team)은 약점을 찾는 공격 팀을 말합니다.", ("red team", "약점을 찾는 공격 팀")),
    ("카이젠(kaizen)이란 작은 개선을 매일 쌓는 습관을 뜻합니다.", ("kaizen", "작은 개선을 매일 쌓는 습관")),
    ("도그푸딩(dogfooding), 즉 직원이 먼저 써 보는 방식이 규칙입니다.", ("dogfooding", "직원이 먼저 써 보는 방식")),
    ("담당자를 정해 두세요(assign an owner).", ("assign an owner", "담당자를 정해 두세요")),
    ("좋은 팀은 비난 없는 회고(blameless retro)를 합니다.", ("blameless retro", "비난 없는 회고")),
    ("좋은 질문(good question)입니다.", ("good question", "좋은 질문")),
    # an adjective made of a root and 하다 is part of the meaning; so is what a 비슷한 compares with
    ("회의가 끝나면 정직한 평가(honest assessment)를 남깁니다.", ("honest assessment", "정직한 평가")),
    ("지원자에게 실제 업무와 비슷한 과제(work sample)를 냅니다.", ("work sample", "실제 업무와 비슷한 과제")),
    ("우리 고객과 비슷한 회사(lookalike company)를 찾습니다.", ("lookalike company", "고객과 비슷한 회사")),
    ("문제가 보이면 바로 되돌릴(roll back) 준비를 합니다.", ("roll back", "되돌릴")),
    ("안전 장치를 덧붙이는(bolt on) 대신", ("bolt on", "덧붙이는")),
    ("신뢰를 쌓는(build trust) 일", ("build trust", "신뢰를 쌓는")),
    # a loanword of several words is spelled whole; a number in the English stays in the meaning
    ("두 번째 원칙은 저스트 인 타임(Just-in-Time, JIT)입니다.", ("Just-in-Time, JIT", "저스트 인 타임")),
    ("이 방식을 랜드 앤 익스팬드(land and expand)라고 부릅니다.", ("land and expand", "랜드 앤 익스팬드")),
    ("그 도매상은 대금을 45일 뒤에 치르는 조건(Net 45)을 고집했습니다.", ("Net 45", "45일 뒤에 치르는 조건")),
    ("우리는 3년 계약(3-year deal)을 맺었다.", ("3-year deal", "3년 계약")),
    # a 와/과 the English does not make ends the phrase, even inside it; what must be done is one phrase
    ("B사는 거래처인 편의점과 재고 회전 데이터(inventory turnover data)를 나눴습니다.",
     ("inventory turnover data", "재고 회전 데이터")),
    ("팀이 가장 먼저 물은 것은 고객이 해결해야 할 일(jobs to be done)이었습니다.", ("jobs to be done", "해결해야 할 일")),
    # a verb form made so (정해진) is the clause's, not the term's; a Latin head the English says is the term's
    ("팀은 기한이 정해진 후속 과제(follow-up task)를 남깁니다.", ("follow-up task", "후속 과제")),
    ("모든 변경은 A/B 테스트(A/B test)를 거칩니다.", ("A/B test", "A/B 테스트")),
    ("회사는 경영진 회의(leadership meeting)를 열었다.", ("leadership meeting", "경영진 회의")),
    # the reverse form takes the whole English phrase, not its last word
    ("이를 영어로 take it offline(따로 이야기하다)이라고 합니다.", ("take it offline", "따로 이야기하다")),
    ("OpenAI의 GPT(생성형 모델)를 씁니다.", ("GPT", "생성형 모델")),
])
def test_glossed_phrases(text, term):
    assert [(t.english, t.korean) for t in extract_terms(text)] == [term]


# A book's, film's or magazine's title glossed in its brackets is a title, not vocabulary (issue 19); a
# term next to one is still a term.
@pytest.mark.parametrize("text, terms", [
    ("댄 애리얼리는 『상식 밖의 경제학(Predictably Irrational)』에서 이를 소개합니다.", []),
    ("두 사람이 『Yes를 이끌어내는 협상법(Getting to Yes)』에서 소개한 개념입니다.", []),
    ("『우리는 어떻게 마음을 움직이는가(Never Split the Difference)』에서 소개한 '조정된 질문(calibrated question)'입니다.",
     [("calibrated question", "조정된 질문")]),
    ("MIT 연구진이 펴낸 『세상을 바꾼 기계(The Machine That Changed the World)』가 이 방식을 알렸습니다.", []),
    ("《이코노미스트(The Economist)》의 구독 광고, 「모던 타임스(Modern Times)」, 〈기생충(Parasite)〉을 봅니다.", []),
    ("책 『상식 밖의 경제학』(Predictably Irrational)을 읽었습니다.", []),
    ("세상을 바꾼 기계(『The Machine That Changed the World』)를 읽었습니다.", []),
    ("『Getting to Yes(Yes를 이끌어내는 협상법)』를 읽었습니다.", []),
    ("『협상의 기술』을 읽고 최선의 대안(BATNA)을 정했습니다.", [("BATNA", "최선의 대안")]),
])
def test_a_title_is_not_a_term(text, terms):
    assert [(t.english, t.korean) for t in extract_terms(text)] == terms


# A loanword whose Korean only spells the English takes the article's explanation next to it, in the
# same sentence or the next, as a short noun phrase marked "article" (issue 19); when nothing clearly
# explains it the spelling stays (the writer then does not drill it with a Hangul-spelling cue).
@pytest.mark.parametrize("text, english, meaning", [
    ("공장에는 안돈 코드(andon cord)라는 줄이 있습니다. 작업자는 불량을 발견하면 이 줄을 당겨 라인 전체를 멈출 수 있습니다.",
     "andon cord", "당겨서 라인 전체를 멈추는 줄"),
    ("도요타의 작업자들은 매일 조금씩 일하는 방식을 고쳐 나갑니다. 이를 카이젠(kaizen)이라고 부릅니다.",
     "kaizen", "매일 조금씩 일하는 방식을 고쳐 나가는 것"),
    ("이런 방식을 카이젠(kaizen)이라고 부릅니다. 매일 조금씩 일하는 방식을 고쳐 나가는 것이죠.",
     "kaizen", "매일 조금씩 일하는 방식을 고쳐 나가는 것"),
    ("카이젠(kaizen)이라는 말이 있습니다. 즉 매일 조금씩 고쳐 나가는 것입니다.", "kaizen", "매일 조금씩 고쳐 나가는 것"),
    ("매일 아침 서서 짧게 하는 회의를 스탠드업(stand-up)이라고 부릅니다.", "stand-up", "매일 아침 서서 짧게 하는 회의"),
    # a joined clause before the named thing says something else: the thing and its own clause
    ("결국 누구도 고르지 않지만 옆 상품을 싸 보이게 하는 가짜 선택지를 디코이(decoy)라고 부릅니다.",
     "decoy", "옆 상품을 싸 보이게 하는 가짜 선택지"),
    # ...but two clauses joined by 고 both describe it
    ("빠르게 만들고 자주 고치는 방식을 이터레이션(iteration)이라고 부릅니다.", "iteration", "빠르게 만들고 자주 고치는 방식"),
    ("우리는 레드팀(red team)을 둡니다. 레드팀은 약점을 찾는 팀입니다.", "red team", "약점을 찾는 팀"),
    ("이 회사에는 레드팀(red team)이라는 조직이 있습니다. 이 조직은 일부러 제품의 약점을 찾습니다.",
     "red team", "일부러 제품의 약점을 찾는 조직"),
    # the next sentence defines it, a span with its own subject inside (짐이 닿기까지)
    ("문제는 사이클 타임(cycle time)이었습니다. 사이클 타임은 작업을 시작한 때부터 짐이 창고를 떠나기까지 걸리는 시간입니다.",
     "cycle time", "작업을 시작한 때부터 짐이 창고를 떠나기까지 걸리는 시간"),
    ("트리아지(triage)란 급한 일부터 순서를 정하는 것을 말하는데, 이 표시만으로도 충분합니다.",
     "triage", "급한 일부터 순서를 정하는 것"),
    # «이런 X를 ...라고 부릅니다»: the X the sentence before describes; half spelled (노스스타 지표) counts as spelled
    ("우리는 모든 팀이 매일 확인할 단 하나의 숫자를 골랐습니다. 이런 숫자를 노스스타 지표(north star metric)라고 부릅니다.",
     "north star metric", "모든 팀이 매일 확인할 단 하나의 숫자"),
    # «이른바 X입니다» after a sentence that says what was done (its doer left out)
    ("몇몇 팀이 일부러 쉬운 목표를 세운 것입니다. 이른바 샌드배깅(sandbagging)입니다.", "sandbagging", "일부러 쉬운 목표를 세운 것"),
    ("그는 회사를 떠났습니다. 바로 스티브 잡스(Steve Jobs)입니다.", "Steve Jobs", "스티브 잡스"),  # a name, not a deed
    # nothing explains it: the spelling stays
    ("레드팀(red team)을 꾸렸습니다. 결과는 다음 달에 공개됩니다.", "red team", "레드팀"),
    ("스탠드업(stand-up) 회의를 합니다. 팀원 모두가 참석합니다.", "stand-up", "스탠드업"),
    # an explanation of something else is not taken
    ("공장에는 안돈 코드(andon cord)라는 줄이 있습니다. 이 공장은 오래전에 세워졌습니다.", "andon cord", "안돈 코드"),
    ("안돈 코드(andon cord)라는 줄이 있습니다. 이 줄을 만든 사람은 도요타 사키치입니다.", "andon cord", "안돈 코드"),
    ("카이젠(kaizen)이라는 말이 있습니다. 중요한 것은 꾸준히 하는 것입니다.", "kaizen", "카이젠"),
    ("이를 카이젠(kaizen)이라고 부릅니다. 가장 중요한 원칙입니다.", "kaizen", "카이젠"),  # praise, not a meaning
    ("회의는 짧아야 합니다. 이를 스탠드업(stand-up)이라고 부릅니다.", "stand-up", "스탠드업"),
    ("매출이 줄었습니다. 이를 스탠드업(stand-up)에서 공유했습니다.", "stand-up", "스탠드업"),  # not a naming
    ("팀은 작년에 회의를 줄였습니다. 이를 스탠드업(stand-up)이라고 부릅니다.", "stand-up", "스탠드업"),  # an event
    # never an explanation that spells the loanword again or carries English
    ("레드팀(red team)이라는 팀이 있습니다. 이 팀은 레드팀 훈련을 합니다.", "red team", "레드팀"),
    ("안돈 코드(andon cord)라는 줄이 있습니다. 이 줄은 QA 팀이 당깁니다.", "andon cord", "안돈 코드"),
])
def test_a_spelled_loanword_takes_the_articles_explanation(text, english, meaning):
    terms = extract_terms(text)
    assert [(t.english, t.korean) for t in terms] == [(english, meaning)]
    assert terms[0].source == ("author" if korean.transliterates(meaning, english) else "article")


def test_a_lesson_cues_a_spelled_loanword_with_the_articles_explanation(tmp_path):
    from audiogen.config import LessonSettings
    from audiogen.lesson import writer

    path = tmp_path / "toyota.txt"
    path.write_text("도요타 노트\n\n1. 라인을 멈춰라\n\n공장에는 안돈 코드(andon cord)라는 줄이 있습니다. 작업자는 불량을 "
                    "발견하면 이 줄을 당겨 라인 전체를 멈출 수 있습니다.\n\n\"Stop the line when something goes wrong.\"\n",
                    encoding="utf-8")
    lesson = seed.read(path)
    assert [(t.korean, t.source) for s in lesson.sections for t in s.terms] == [("당겨서 라인 전체를 멈추는 줄", "article")]
    full = next(s for s in writer.write(lesson, LessonSettings()) if s.episode_type == "full")
    meant = [(l.text, l.source) for l in full.lines if l.part == "expressions" and l.kind == "meaning"]
    assert meant == [("당겨서 라인 전체를 멈추는 줄", "article")]


@pytest.mark.parametrize("heading, said", [
    ('"Can you walk me through it?" – 차근차근 설명해 줄래요?', [("en", "Can you walk me through it?"), ("ko", "차근차근 설명해 줄래요?")]),
    ("숫자로 말하기: ballpark figure", [("ko", "숫자로 말하기"), ("en", "ballpark figure")]),
])
def test_a_heading_of_english_and_korean_is_said_without_its_dash_or_colon(heading, said):
    from audiogen.lesson.lines import say

    assert [(line.lang, line.text) for line in say("heading", heading, "opening")] == said
