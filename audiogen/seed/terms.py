"""English terms in parentheses and the Korean words they gloss:
`가치 기반 가격 책정(value-based pricing)`, and the reverse `AI(인공지능)`.

Finding where the glossed Korean phrase starts is the hard part; a little
Korean morphology (particles, verb endings, bound nouns) settles it.
"""

from __future__ import annotations

import re

from ..korean import RIEUL as _RIEUL
from ..korean import final as _final
from ..korean import CLAUSE_ADVERBS, ENGLISH_PARTICLES, analyse, transliterates, trim_meaning
from ..model import Term
from ..text import PAREN_GLOSS, has_hangul, is_english, latin_words
from .noise import date_line, squash

PAREN = PAREN_GLOSS  # the reader finds terms where the writer leaves glosses out
_OPEN_QUOTES = "\"'“‘「『"
_CLOSE_QUOTES = "\"'”’」』"
MAX_TERM_WORDS = 12


def _term_english(text: str) -> bool:
    t = text.strip()
    return (is_english(t) and len(t.split()) <= MAX_TERM_WORDS and not re.search(r"https?:|www\.|@", t)
            and sum(ch.isalpha() for ch in t) >= 2 and not date_line(t))


def extract_terms(text: str) -> list[Term]:
    """English terms in parentheses after the Korean words they gloss."""
    terms: list[Term] = []
    for m in PAREN.finditer(text):
        inside = m.group(1).strip()
        before = text[max(0, m.start() - 400):m.start()]  # a gloss is never far back
        if not before or before[-1].isspace():
            continue
        after = text[m.end():m.end() + 1]
        if _term_english(inside):
            korean = ""
            if after and after in _CLOSE_QUOTES:
                opener = max(before.rfind(q) for q in _OPEN_QUOTES)
                if opener >= 0:
                    korean = before[opener + 1:].strip()
            if not korean:
                korean = trim_meaning(_glossed_words(before, inside), before, inside)
            korean = korean.strip(" ,.:;'\"“”‘’")
            if transliterates(korean, inside):  # 레드팀(red team): the sentence may say what it is
                korean = _apposition(before, korean) or _definition(text[m.end():m.end() + 200]) or korean
            if has_hangul(korean):
                terms.append(Term(english=squash(inside), korean=squash(korean)))
        elif has_hangul(inside) and not latin_words(inside) and len(inside) <= 30:
            # the reverse form: `AI(인공지능)`, `영어로 take it offline(따로 이야기하다)`
            words = _REVERSE.search(before)
            if words and len(words.group(1)) >= 2:
                terms.append(Term(english=words.group(1), korean=squash(inside)))
    return terms


# the English before a reverse gloss: a word, or a phrase of a few lower-case words (take it offline)
_REVERSE = re.compile(r"(?<![A-Za-z0-9'’\-])([A-Za-z][A-Za-z\-]*(?: [a-z](?:[a-z'’\-]*[a-z])?){0,3})$")


# `약점을 찾는 공격 팀, 즉 레드팀(red team)`: the words before 즉 say what the loanword means
_APPOSITION = re.compile(r"([^.!?。\n]+?)\s*,?\s*(?:즉|곧|다시 말해|이른바|일명)\s*$")


def _apposition(before: str, korean: str) -> str:
    """The explanation an author puts before a loanword (`X, 즉 레드팀(red team)`): its last words up
    to MAX_GLOSSED_WORDS, or "" when the sentence does not explain the word that way."""
    at = before.rstrip(" \"'“”‘’「」『』").rfind(korean)
    if at < 0:
        return ""
    m = _APPOSITION.search(before[:at].rstrip(" \"'“”‘’「」『』"))
    if not m:
        return ""
    words = m.group(1).strip(" ,").split()
    return " ".join(words[-MAX_GLOSSED_WORDS:]) if has_hangul(" ".join(words)) else ""


# `레드팀(red team), 즉 약점을 찾는 공격 팀을` / `레드팀(red team)은 약점을 찾는 팀을 말합니다`
_AFTER_NAMELY = re.compile(r"^['\"’”」』]?\s*,?\s*(?:즉|곧|다시 말해)\s+([^,.!?。\n]+)")
_DEFINED_AS = re.compile(r"^['\"’”」』]?(?:은|는|이란|란|이라는 것은|라는 것은)\s+([^,.!?。\n]{2,60}?)\s*(?:을|를)\s*"
                         r"(?:말합니다|뜻합니다|의미합니다|가리킵니다|말해요|뜻해요|말한다|뜻한다|의미한다)")


def _definition(after: str) -> str:
    """The explanation an author puts after a loanword: `레드팀(red team), 즉 약점을 찾는 공격 팀을 ...`
    (the noun phrase, without its particle) or `레드팀(red team)은 X를 말합니다` (X)."""
    m = _DEFINED_AS.match(after)
    if m:
        return m.group(1).strip() if has_hangul(m.group(1)) and len(m.group(1).split()) <= MAX_GLOSSED_WORDS + 1 else ""
    m = _AFTER_NAMELY.match(after)
    if not m:
        return ""
    given = m.group(1).split()
    words: list[str] = []
    for i, word in enumerate(given):
        stem = _without_particle(word)
        # a particle closes the phrase unless a relative clause goes on (약점을 찾는 공격 팀을)
        if stem and not any(_relative(u) for u in _until_particle(given[i + 1:i + 4])):
            words.append(stem)
            break
        words.append(word)
        if len(words) > MAX_GLOSSED_WORDS:
            return ""
    phrase = " ".join(words)
    return phrase if has_hangul(phrase) else ""


def _without_particle(word: str) -> str:
    """The noun of a noun with a particle (팀을 -> 팀); "" when `word` is not one."""
    morphs = analyse(word)
    if len(morphs) >= 2 and morphs[-1].tag.startswith("J") and morphs[-2].tag.startswith("N"):
        return word[:morphs[-1].start]
    return ""


def _relative(word: str) -> bool:
    """찾는, 써 보는: a verb form that goes on to the noun after it."""
    morphs = analyse(word)
    return bool(morphs) and morphs[-1].tag == "ETM"


def _until_particle(words: list[str]) -> list[str]:
    out = []
    for word in words:
        out.append(word)
        if _without_particle(word):
            break
    return out


MAX_GLOSSED_WORDS = 5
# nouns that need the clause before them to mean anything: 확인하는 것, 요약하는 능력
_BOUND_NOUNS = {"것", "거", "수", "점", "법", "방법", "능력", "방식", "과정", "경우", "일", "때", "힘",
                "자세", "태도", "습관", "기술", "부분"}
# bare-looking words that are never part of the glossed noun phrase: conjunctions,
# adverbs and postpositions that look like nouns (대신, 동안), pronouns, time words
_NOT_IN_PHRASE = {"그래서", "그리고", "하지만", "그러나", "그런데", "또한", "특히", "결국", "따라서", "게다가", "바로",
                  "먼저", "이제", "오늘", "요즘", "매일", "항상", "다시", "가장", "아주", "매우", "정말", "가지", "이것",
                  "그것", "우리", "여기", "거기", "지금", "처음", "이번", "다음", "모두", "여러", "다른",
                  "대신", "동안", "이후", "이전", "사이", "통해", "위해", "대해", "관해", "따라", "함께", "같이",
                  "무엇보다", "오히려", "흔히", "보통", "주로", "이른바", "소위", "일명", "즉", "저희", "당신", "자신",
                  "그들", "이런", "그런", "저런", "어떤", "무슨", "올해", "작년", "내년", "지난해", "오늘", "어제",
                  "내일", "요즘", "최근"}  # when it happened, not what the term names
_DETERMINERS = {"첫", "새", "큰", "작은", "모든", "옛", "각"}  # 첫 성공 경험(aha moment)
# one-syllable nouns that sit inside a noun phrase: 협상 결렬 시 최선의 대안, 출시 전 점검
_SHORT_NOUNS = {"시", "중", "전", "후", "월", "연"}  # 월 반복 매출(MRR), 연 매출
_COMPOUND_ENGLISH = re.compile(r"[/&\-]|\b(?:and|or|vs)\b", re.I)
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{2,5}")


def _english_size(english: str) -> int:
    """How many Korean words the English may take: its words, and an acronym
    its letters (BATNA = best alternative to a negotiated agreement)."""
    size = 0
    for word in re.split(r"[\s/\-]+", english.strip()):
        if _ACRONYM.fullmatch(word):
            size += sum(ch.isupper() for ch in word)
        elif re.search(r"[A-Za-z]", word):  # not a number: `interest 1` is one word
            size += 1
    return max(size, 1)


def _glossed_words(before: str, english: str) -> str:
    """The Korean words an English term in parentheses glosses.

    The word right before the parenthesis, widened to the noun phrase it
    ends when the English is a noun phrase: bare nouns (`현지 연락처(emergency
    contact)`), genitives (`최선의 대안(BATNA)`), nouns joined by 과/와 when the
    English joins two things too (`기업 고객과 개인 고객(B2B/B2C)`, `창업자와 시장의
    궁합(founder-market fit)`), and a determiner (`첫 성공 경험`). A verb form stays
    alone (`설계 단계부터 내재되어야(engineered in)` -> 내재되어야) and a clause is never
    swallowed: the widening stops at a particle, a verb ending or an adverb
    (`그래서 이탈률` -> 이탈률, `대신 문화 기여` -> 문화 기여). A bound noun takes its
    modifying clause with it: `회의 중에 바로 확인하는 것(clarifying question)` -> 바로 확인하는 것.
    """
    m = re.search(r"[^\s\"'“”‘’(\[{<「『]+$", before)
    if not m:
        return ""
    words = [m.group()]
    rest = before[:m.start()]
    clause = _clause_before(rest) if words[0] in _BOUND_NOUNS else []
    if clause:
        return " ".join(clause + words)
    if english.split()[-1].lower() in ENGLISH_PARTICLES or not _is_bare_noun(words[0]):
        return words[0]
    # a multi-word term may take one Korean word more than it has (가격 책정 = pricing)
    size = _english_size(english)
    budget = min(size + (size > 1), MAX_GLOSSED_WORDS)
    joins = bool(_COMPOUND_ENGLISH.search(english))
    while len(words) < MAX_GLOSSED_WORDS:
        prev = re.search(r"(?:^|\s)([\uac00-\ud7a3]+)\s+$", rest)
        if not prev or prev.group(1) in _NOT_IN_PHRASE:
            break
        word = prev.group(1)
        if len(words) >= budget and not (word.endswith("적") and _is_bare_noun(word)):
            break  # a one-word English term takes only an adjectival noun before it: 대중적 인기(hype)
        if not _phrase_word(word, words, joins):
            break
        if word.endswith("의") and word not in _NOUNS_LIKE_PARTICLES and _modified(rest[:prev.start(1)]):
            break  # 한 사람의 독자: the genitive is part of a bigger phrase; 독자 alone
        words.insert(0, word)
        rest = rest[:prev.start(1)]
    adjective = re.search(r"(?:^|\s)([\uac00-\ud7a3]{1,4}적인)\s+$", rest)
    if adjective and len(words) < min(size, MAX_GLOSSED_WORDS):
        words.insert(0, adjective.group(1))  # 즉각적인 피드백(real-time feedback): the English says it too
        return " ".join(words)
    modifier = re.search(r"(?:^|\s)([\uac00-\ud7a3]{1,6})\s+$", rest)
    if modifier and len(words) < MAX_GLOSSED_WORDS and (
            modifier.group(1) in _DETERMINERS or re.fullmatch(r"[\uac00-\ud7a3]+[과와]의", modifier.group(1))):
        words.insert(0, modifier.group(1))  # 첫 성공 경험, 고객과의 약속
    return " ".join(words)


def _phrase_word(word: str, after: list[str], joins: bool) -> bool:
    """Whether `word` belongs to the noun phrase whose words `after` follow it."""
    if word in _SHORT_NOUNS:
        return True
    if len(word) >= 2 and _is_bare_noun(word):
        return True
    if word.endswith("의") and len(word) >= 2 and len(after) == 1:
        stem = word[:-1]  # 최선의 대안, 시장의 궁합; not 글의 핵심 개념 (a whole phrase already)
        return stem not in _NOT_IN_PHRASE and stem not in _PRONOUNS and (
            _is_bare_noun(stem) or len(stem) == 1 and stem not in _PRONOUNS)
    if word.endswith(("과", "와")) and len(word) >= 2 and joins:
        stem = word[:-1]  # 기업 고객과 개인 고객(B2B/B2C): the English joins two things too
        return _is_bare_noun(stem) and (_final(stem[-1]) == 0) == word.endswith("와")  # 와 after a vowel
    if word == "및" and joins:
        return True
    return False


def _modified(rest: str) -> bool:
    """Whether the word ending `rest` modifies the word after it: a numeral or a
    determiner (한, 두, 이, 그) or an adnominal verb form (좋은, 원하는)."""
    last = re.search(r"([\uac00-\ud7a3]+)\s*$", rest)
    if not last or last.group(1) in _SHORT_NOUNS:  # 결렬 시 최선의 대안: 시 is a noun
        return False
    return len(last.group(1)) == 1 or _adnominal(last.group(1))


_PRONOUNS = {"나", "너", "저", "그", "이", "우리", "저희", "당신", "자신", "그들", "그녀", "이것", "그것", "제", "내", "네"}


def _clause_before(rest: str) -> list[str]:
    """The adnominal word (확인하는, 정리한, 할) before a bound noun, with an adverb or
    two before it (바로, 짧게); empty when there is no such word."""
    tokens = rest.split()
    if not tokens or not _adnominal(tokens[-1]):
        return []
    clause = [tokens.pop()]
    while tokens and len(clause) < MAX_GLOSSED_WORDS - 1 and _adverb(tokens[-1]):
        clause.insert(0, tokens.pop())
    return clause


def _adnominal(word: str) -> bool:
    """하는, 했던, 정리한, 할: a verb form that modifies the noun after it."""
    if not re.fullmatch(r"[\uac00-\ud7a3]{2,}", word) or word in _NOUNS_LIKE_PARTICLES:
        return False
    return word.endswith(("는", "던")) or _final(word[-1]) in (4, _RIEUL) and word.endswith(("한", "된", "운", "은", "할", "될", "을"))


def _adverb(word: str) -> bool:
    return word in CLAUSE_ADVERBS or bool(re.fullmatch(r"[\uac00-\ud7a3]{1,3}(?:게|히)", word))


# nouns that end like a particle or a verb form (a closed, common list beats guessing)
_NOUNS_LIKE_PARTICLES = {
    "결과", "효과", "성과", "통과", "초과", "부과", "회의", "논의", "합의", "협의", "정의", "동의", "주의", "강의",
    "문의", "불만", "미만", "권한", "기한", "제한", "시한", "최소한", "최대한", "무한", "가게",
}
_VERB_TAILS = (
    "에서", "으로", "에게", "까지", "부터", "처럼", "보다", "한테", "이나", "라는", "라고", "이라", "이며", "이고", "지만",
    "려는", "려고", "하고", "되고", "있고", "없고", "않고", "하지", "되지", "않지", "이지", "있지", "없지",
    "해서", "어서", "아서", "여서", "라서", "워서", "돼서", "되서", "하면", "되면", "이면", "으면", "라면",
    "스러운", "로운", "러운",
)


def _is_bare_noun(word: str) -> bool:
    """A Hangul word with no particle or verb ending: it can be part of a noun phrase.

    Phonology settles the common ambiguous cases: 이/을/은 follow a final
    consonant as particles (시장이) and 가/를/는/로 follow a vowel (회사가), so
    평가, 차이 and 경로 stay nouns; 대중적 (an adjectival noun) counts too.
    """
    if not re.fullmatch(r"[\uac00-\ud7a3]+", word):
        return False
    if len(word) == 1:  # 줄 in 제목 줄(subject line)
        return word not in "은는이가을를에와과의도로만한된할될큰새"
    if word in _NOUNS_LIKE_PARTICLES:
        return True
    if word.endswith(_VERB_TAILS) or len(word) >= 3 and word.endswith("적인"):
        return False  # 만성적인 describes the phrase (만성적인 인력 부족(staff shortage) is 인력 부족), unless the English says it too
    tail, before = word[-1], word[-2]
    if tail in "은을":
        return _final(before) == 0
    if tail == "이":
        return _final(before) == 0  # 차이, 나이 but not 시장이
    if tail == "가":
        return _final(before) != 0  # 평가, 전문가 but not 회사가
    if tail == "로":
        return _final(before) not in (0, _RIEUL)  # 경로 but not 회사로, 서울로
    return tail not in "는를에와과의만며게야요다니죠까데한된던할될른"
