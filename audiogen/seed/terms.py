"""English terms in parentheses and the Korean words they gloss:
`가치 기반 가격 책정(value-based pricing)`, and the reverse `AI(인공지능)`.

Finding where the glossed Korean phrase starts is the hard part; a little
Korean morphology (particles, verb endings, bound nouns) settles it.
"""

from __future__ import annotations

import re

from ..korean import RIEUL as _RIEUL
from ..korean import final as _final
from ..korean import CLAUSE_ADVERBS, ENGLISH_PARTICLES, analyse, spells_answer, transliterates, trim_meaning
from ..model import MeaningSource, Term
from ..text import PAREN_GLOSS, has_hangul, hangul_count, is_english, latin_words, split_sentences
from .noise import date_line, squash

PAREN = PAREN_GLOSS  # the reader finds terms where the writer leaves glosses out
_OPEN_QUOTES = "\"'“‘「『"
_CLOSE_QUOTES = "\"'”’」』"
MAX_TERM_WORDS = 12


def _term_english(text: str) -> bool:
    t = text.strip()
    return (is_english(t) and len(t.split()) <= MAX_TERM_WORDS and not re.search(r"https?:|www\.|@", t)
            and sum(ch.isalpha() for ch in t) >= 2 and not date_line(t))


# inside the parentheses after a loanword, the English and then its meaning: (guidance·실적 전망), (retention, 잔존율)
_BOTH = re.compile(r"^([A-Za-z][A-Za-z0-9'’\- ]*[A-Za-z0-9])\s*[·・,/;]\s*([\uac00-\ud7a3][\uac00-\ud7a3 ]{0,24})$")


def extract_terms(text: str) -> list[Term]:
    """English terms in parentheses after the Korean words they gloss."""
    terms: list[Term] = []
    for m in PAREN.finditer(text):
        inside = m.group(1).strip()
        before = text[max(0, m.start() - 400):m.start()]  # a gloss is never far back
        if not before or before[-1].isspace():
            continue
        after = text[m.end():m.end() + 1]
        if _in_title(text, m.start(), m.end()):
            continue
        both = _BOTH.match(inside)
        if both and _term_english(both.group(1)):  # 가이던스(guidance·실적 전망): the English and what it means
            terms.append(Term(english=squash(both.group(1)), korean=squash(both.group(2)), source="author"))
            continue
        if _term_english(inside):
            korean = ""
            if after and after in _CLOSE_QUOTES:
                opener = max(before.rfind(q) for q in _OPEN_QUOTES)
                if opener >= 0:
                    korean = before[opener + 1:].strip()
            if not korean:
                korean = trim_meaning(_glossed_words(before, inside), before, inside)
            korean = _with_number(before, _spelled_whole(before, korean.strip(" ,.:;'\"“”‘’"), inside), inside)
            korean = _with_latin_head(before, korean, inside)
            source: MeaningSource = "author"
            sense = _SENSE.match(text[m.end():m.end() + 160])
            if sense and has_hangul(korean):  # 대역폭(bandwidth)은 ... '업무 여력'이라는 의미로 쓰입니다
                korean, source = next(g for g in sense.groups() if g), "article"
            elif spells_answer(korean, inside):  # 레드팀(red team), 노스스타 지표: the article may say what it is
                told = _explanation(text, m.start(), m.end(), before, korean)
                if told:
                    korean, source = told, "article"
            if has_hangul(korean):
                terms.append(Term(english=squash(inside), korean=squash(korean), source=source))
        elif has_hangul(inside) and not latin_words(inside) and len(inside) <= 30:
            # the reverse form: `AI(인공지능)`, `영어로 take it offline(따로 이야기하다)`
            words = _REVERSE.search(before)
            if words and len(words.group(1)) >= 2:
                terms.append(Term(english=words.group(1), korean=squash(inside)))
    return terms


# the sense the article means, said later in the gloss's sentence: `대역폭(bandwidth)은 원래 통신 용어지만,
# 비즈니스에서는 '업무 여력'이라는 의미로 자주 쓰입니다` (the dictionary's word would teach the wrong one)
_QUOTED_SENSE = r"['‘\"“]([\uac00-\ud7a3][\uac00-\ud7a3 ]{1,20})['’\"”]"
_SENSE = re.compile(r"^[^.!?。\n()]{0,100}?" + _QUOTED_SENSE + r"\s*(?:(?:이)?라는\s*(?:의미|뜻)"
                    r"|(?:을|를)\s*(?:뜻합니다|의미합니다|뜻한다|의미한다|뜻해요|가리킵니다))")


def _spelled_whole(before: str, korean: str, english: str) -> str:
    """A loanword of several words spelled whole: `저스트 인 타임(Just-in-Time, JIT)` glosses
    저스트 인 타임, not 타임 (the last word alone would be taught as its meaning)."""
    names = [english] + [part.strip() for part in english.split(",") if part.strip()]
    words = before.split()
    size = max(len(re.split(r"[\s\-]+", name)) for name in names)
    if " " in korean or not words or words[-1].strip(" '\"“‘(") != korean or size < 2:
        return korean
    for n in range(size, 1, -1):
        wider = " ".join(w.strip(" '\"“‘") for w in words[-n:])
        if has_hangul(wider) and not latin_words(wider) and any(
                transliterates(wider, name) and transliterates(wider.split()[0], re.split(r"[\s\-]+", name)[0])
                for name in names):  # from its first word on (not 이를 스탠드업 for stand-up)
            return wider
    return korean


def _with_latin_head(before: str, korean: str, english: str) -> str:
    """`A/B 테스트(A/B test)` glosses A/B 테스트, not 테스트: a Latin word right before the Korean that
    the English says too belongs to it."""
    words = before.split()
    n = len(korean.split())
    if not korean or len(words) <= n or " ".join(words[-n:]) != korean:
        return korean
    head = words[-n - 1]
    said = {w.lower() for w in re.split(r"[\s,]+", english)}
    return f"{head} {korean}" if not has_hangul(head) and head.lower() in said else korean


def _with_number(before: str, korean: str, english: str) -> str:
    """A term whose English holds a number keeps it in its meaning: `대금을 60일 뒤에 지급하는
    조건(Net 60)` glosses 60일 뒤에 지급하는 조건, not 조건, which could be any term."""
    number = re.search(r"\d+", english)
    if not number or number.group() in korean:
        return korean
    words = before.split()
    n = len(korean.split())
    for k in range(n + 1, min(len(words), MAX_GLOSSED_WORDS + 1) + 1):
        if re.search(r"[.!?]$", words[-k]):
            break
        if number.group() in words[-k]:
            return " ".join(words[-k:])
    return korean


_TITLE_OPEN, _TITLE_CLOSE = "『「《〈", "』」》〉"


def _in_title(text: str, start: int, end: int) -> bool:
    """Whether the gloss text[start:end] is a title's, not vocabulary: inside title brackets
    (『상식 밖의 경제학(Predictably Irrational)』), right after them (『상식 밖의 경제학』(Predictably
    Irrational)), or holding them (세상을 바꾼 기계(『The Machine That Changed the World』))."""
    if any(ch in text[start:end] for ch in _TITLE_OPEN + _TITLE_CLOSE) or text[:start].rstrip()[-1:] in _TITLE_CLOSE:
        return True
    line_before = text[:start].rsplit("\n", 1)[-1]
    opened = max(line_before.rfind(ch) for ch in _TITLE_OPEN)
    if opened < 0 or any(ch in line_before[opened:] for ch in _TITLE_CLOSE):
        return False
    line_after = text[end:].split("\n", 1)[0]
    closes = [line_after.find(ch) for ch in _TITLE_CLOSE if ch in line_after]
    opens = [line_after.find(ch) for ch in _TITLE_OPEN if ch in line_after]
    return bool(closes) and min(closes) < min(opens, default=len(line_after))


# the English before a reverse gloss: a word, or a phrase of a few lower-case words (take it offline)
_REVERSE = re.compile(r"(?<![A-Za-z0-9'’\-])([A-Za-z][A-Za-z\-]*(?: [a-z](?:[a-z'’\-]*[a-z])?){0,3})$")


MAX_EXPLANATION_SYLLABLES = 26  # a meaning a learner hears as a cue (about 5 s), not the article's paragraph


def _explanation(text: str, start: int, end: int, before: str, korean: str) -> str:
    """What the article says a loanword means, when its Korean only spells the English
    (레드팀(red team)): a noun phrase from the sentence around it or the one next to it,
    or "" when nothing there clearly explains it (a wrong meaning is worse than the spelling)."""
    found = [_apposition(before, korean), _definition(text[end:end + 200])]
    sentences, i = _sentences_around(text, start)
    if i is not None:
        this = sentences[i]
        head_at = this.find(korean)
        own_before = this[:head_at] if head_at >= 0 else ""
        own_after = this[this.find(")", max(head_at, 0)) + 1:] if head_at >= 0 else ""
        prev = sentences[i - 1] if i > 0 else ""
        nxt = sentences[i + 1] if i + 1 < len(sentences) else ""
        found += [_named(own_before, own_after, prev), _next_sentence(own_after, nxt, korean),
                  _so_called(own_before, own_after, prev)]
    for phrase in found:
        phrase = squash(phrase or "")
        if phrase and _fits_explanation(phrase, korean):
            return phrase
    return ""


def _sentences_around(text: str, at: int) -> tuple[list[str], int | None]:
    """The paragraph's sentences, and which of them holds the character at `at`."""
    sentences = split_sentences(text)
    flat = re.sub(r"\s+", " ", text).strip()
    offset = len(re.sub(r"\s+", " ", text[:at]).lstrip())
    pos = 0
    for k, sentence in enumerate(sentences):
        pos = flat.find(sentence, pos)
        if pos <= offset < pos + len(sentence):
            return sentences, k
        pos += len(sentence)
    return sentences, None


def _fits_explanation(phrase: str, korean: str) -> bool:
    """A meaning a Korean voice can say as a cue: Hangul only, short, and not the loanword again."""
    if re.search(r"[A-Za-z]", phrase) or not has_hangul(phrase) or not 2 <= hangul_count(phrase) <= MAX_EXPLANATION_SYLLABLES:
        return False
    # nor the spelling again (레드 팀, 레드팀을); words are not compared by sound: 개선 sounds like kaizen
    return re.sub(r"\s+", "", korean) not in re.sub(r"\s+", "", phrase)


# `이를 카이젠(kaizen)이라고 부릅니다`: the sentence before says what it is
_NAMING = re.compile(r"^['\"’”」』]?\s*(?:이)?라고\s*(?:부릅니다|부른다|불러요|부르죠|합니다|한다|해요|하죠|말합니다|말한다)")
_BACK_REFERENCE = re.compile(r"(?:^|\s)(?:이를|이걸|이것을|그것을|이렇게 하는 것을|(?:이런|이러한) [\uac00-\ud7a3]+[을를])\s*['\"‘“「『]?\s*$")
_CALLED = re.compile(r"^['\"’”」』]?\s*(?:이)?라(?:는|고 하는|고 부르는)\s+(?:말|개념|표현|용어|단어)[이가은는을를도]?\s")
_NAMELY_START = re.compile(r"^(?:즉|곧|다시 말해|이는|이것은|바로)\s*,?\s*")


def _named(own_before: str, own_after: str, prev: str) -> str:
    """`Y를 카이젠(kaizen)이라고 부릅니다` (Y, when a clause describes it) or `... 이를 카이젠(kaizen)이라고
    부릅니다` after a sentence that says what is done (that sentence as `...는 것`)."""
    if not _NAMING.match(own_after):
        return ""
    if _BACK_REFERENCE.search(own_before):
        kind = re.search(r"(?:이런|이러한)\s+([\uac00-\ud7a3]+?)(?:을|를)\s*['\"‘“「『]?\s*$", own_before)
        if kind and prev:  # 이런 지표를 노스스타 지표라고 부릅니다: the 지표 the sentence before described
            return _described(prev, kind.group(1)) or _as_thing(prev)
        return _as_thing(prev) if prev else ""
    obj = own_before.rstrip(" '\"‘“「『")
    morphs = analyse(obj)
    if morphs and morphs[-1].tag == "JKO" and any(m.tag == "ETM" for m in morphs):
        phrase = _last_clause(_after_topic(obj[:morphs[-1].start]))
        return phrase if _noun_phrase(phrase) else ""
    return ""


_JOINING = ("지만", "는데", "은데", "ᆫ데", "으나")  # a contrast; 고, 며 join two clauses that both describe it


_SO_CALLED = re.compile(r"^\s*(?:이른바|소위|흔히 말하는|바로)?\s*$")
_IS_IT = re.compile(r"^['\"’”」』]?\s*(?:이)?(?:입니다|이다|다|이죠|죠|예요|이에요)[.!]?\s*$")


def _so_called(own_before: str, own_after: str, prev: str) -> str:
    """`몇몇 팀이 일부러 쉬운 목표를 세운 것입니다. 이른바 샌드배깅(sandbagging)입니다.`: the sentence
    before says what was done (일부러 쉬운 목표를 세운 것), without its doer."""
    if not prev or not _SO_CALLED.match(own_before) or not _IS_IT.match(own_after):
        return ""
    said = _is_what(_after_subject(_after_topic(prev.strip())))
    return said


def _after_subject(text: str) -> str:
    """`text` after its subject (몇몇 팀이 일부러 ... -> 일부러 ...)."""
    morphs = analyse(text)
    subjects = [m for m in morphs if m.tag == "JKS"]
    return text[subjects[-1].end:].strip() if subjects else text


def _last_clause(phrase: str) -> str:
    """The noun phrase after a joined clause: `이처럼 아무도 사지 않지만 다른 선택지를 돋보이게 만드는
    미끼 상품` -> 다른 선택지를 돋보이게 만드는 미끼 상품 (the clause before 지만 says something else)."""
    cut = 0
    for m in analyse(phrase):
        if m.tag == "EC" and m.form in _JOINING and phrase[m.end:m.end + 1] == " ":
            cut = m.end
    return phrase[cut:].strip()


def _described(sentence: str, noun: str) -> str:
    """The noun phrase ending in `noun` that `sentence` describes with a clause: `저희는 회사 전체가 함께
    바라볼 하나의 지표를 정했습니다` + 지표 -> 회사 전체가 함께 바라볼 하나의 지표 (a subject inside the
    clause is the clause's); "" when `noun` is not described there."""
    at = sentence.rfind(noun)
    if at < 0:
        return ""
    phrase = _after_topic(sentence[:at + len(noun)])
    morphs = analyse(phrase)
    if not morphs or morphs[-1].tag not in ("NNG", "NNB") or not any(m.tag == "ETM" for m in morphs):
        return ""
    if any(m.tag in ("EP", "SL", "NP") or m.tag == "MM" and m.form in _POINTERS for m in morphs):
        return ""
    return phrase


def _next_sentence(own_after: str, nxt: str, korean: str) -> str:
    """The sentence after the loanword's, when it goes on about it: `안돈 코드(andon cord)라는 줄이
    있습니다. 작업자는 ... 이 줄을 당겨 라인 전체를 멈출 수 있습니다` (당겨서 라인 전체를 멈추는 줄),
    `카이젠(kaizen)이라는 말이 있습니다. 즉 매일 조금씩 고쳐 나가는 것이죠` (매일 조금씩 고쳐 나가는 것),
    `레드팀(red team)을 둡니다. 레드팀은 약점을 찾는 팀입니다` (약점을 찾는 팀)."""
    if not nxt:
        return ""
    head = re.match(r"^['\"’”」』]?\s*(?:이)?라는\s+([\uac00-\ud7a3]{1,4}?)(?:이|가|은|는|을|를|도)\s", own_after)
    if head and not _CALLED.match(own_after):
        noun = head.group(1)
        ref = re.search(rf"(?:^|\s)(?:이|그|이러한) {noun}(은|는|이|가|을|를)\s+", nxt)
        if ref:
            return _with_clause(nxt[ref.end():], noun)
        return ""
    told = _NAMELY_START.sub("", nxt)
    subject = re.match(rf"^{re.escape(korean)}\s*(?:은|는|이란|란)\s+", told)
    if subject:
        told = told[subject.end():]
    elif told == nxt and not (_NAMING.match(own_after) or _CALLED.match(own_after)):
        return ""  # a next sentence that neither names it nor follows a naming says something else
    return _is_what(told)


_COPULA_END = re.compile(r"(?:입니다|이다|이죠|이지요|이에요|예요|다)[.!]?$")
_THING_END = re.compile(r"\s*(?:을|를)\s*(?:말합니다|뜻합니다|의미합니다|말한다|뜻한다|의미한다)[.!]?$")


def _is_what(told: str) -> str:
    """`Y입니다` or `Y를 말합니다` where Y is a noun a clause describes: Y; else ""."""
    told = told.strip()
    body = _THING_END.sub("", told)
    if body == told:
        morphs = analyse(told)
        copula = [k for k, m in enumerate(morphs) if m.tag == "VCP"]
        if not copula or any(m.tag not in ("EF", "SF") for m in morphs[copula[-1] + 1:]):
            return ""
        body = told[:morphs[copula[-1]].start]
    return body if _noun_phrase(body) else ""


def _noun_phrase(phrase: str) -> bool:
    """A noun a clause describes, with no topic or subject of its own: 약점을 찾는 공격 팀, 고쳐 나가는 것
    (a verb's clause: 가장 중요한 원칙 praises the thing, it does not say what it is)."""
    morphs = analyse(phrase)
    if not morphs or morphs[-1].tag not in ("NNG", "NNB"):
        return False
    if any(m.tag in ("EP", "SL", "NP") or m.tag == "MM" and m.form in _POINTERS or m.tag == "JX" and m.form in _TOPIC
           for m in morphs):
        return False
    spans = [k for k, m in enumerate(morphs) if m.tag == "JX" and m.form == "까지"]
    # a subject inside a span (순간부터 물건이 도착하기까지) belongs to the span, not to the phrase
    own = morphs[spans[-1] + 1:] if spans else morphs
    return (not any(m.tag == "JKS" for m in own)
            and any(m.tag == "ETM" and (v.tag.startswith("VV") or v.tag in ("XSV", "VX")) for v, m in zip(morphs, morphs[1:])))


_TOPIC = ("은", "는", "도", "ᆫ")  # a topic of its own; 부터, 까지 only bound a span (넣은 순간부터 ... 도착하기까지)
_POINTERS = {"이", "그", "저", "이런", "그런", "이러한", "그러한"}
_AUXILIARY_AFTER = ("어", "아", "여", "고", "어다", "아다")  # 고쳐 나가다, 하고 있다: not 짧아야 하다


def _with_clause(clause: str, noun: str) -> str:
    """What is done to or by `noun` said as a clause before it: `당겨 라인 전체를 멈출 수 있습니다`
    + 줄 -> 당겨서 라인 전체를 멈추는 줄. "" unless the sentence ends in a present-tense verb."""
    verb = _main_verb(clause)
    return f"{verb} {noun}" if verb else ""


def _as_thing(sentence: str) -> str:
    """A sentence that says what is done, as the thing done: `작업자들은 매일 조금씩 일하는 방식을 고쳐
    나갑니다` -> 매일 조금씩 일하는 방식을 고쳐 나가는 것."""
    verb = _main_verb(_after_topic(sentence.strip()))
    return f"{verb} 것" if verb else ""


def _after_topic(text: str) -> str:
    """`text` after its topic (작업자들은, 공장에서는, 누구나) and a leading conjunction."""
    words = text.split()
    for k in range(len(words) - 1, -1, -1):
        morphs = analyse(words[k])
        if morphs and morphs[-1].tag == "JX" and morphs[-1].form in ("은", "는", "나", "이나"):
            words = words[k + 1:]
            break
    while words and [m.tag for m in analyse(words[0])] == ["MAJ"]:
        words.pop(0)
    return " ".join(words)


def _main_verb(clause: str) -> str:
    """`clause` (a sentence's predicate part) with its final verb made adnominal (멈출 수 있습니다 ->
    멈추는, 고쳐 나갑니다 -> 고쳐 나가는) and a bare 어/아 link made 어서 (당겨 -> 당겨서); "" when
    the sentence does not end in a present-tense verb, or says anything a meaning cannot hold."""
    clause = clause.strip().rstrip(".!")
    morphs = list(analyse(clause))
    if len(morphs) < 2 or morphs[-1].tag != "EF":
        return ""
    if any(m.tag in ("EP", "SL", "NP", "JX", "JKS") or m.tag == "MM" and m.form in _POINTERS for m in morphs):
        return ""  # past tense, English, a pointer at another sentence, a subject of its own
    k = len(morphs) - 2
    if k >= 2 and morphs[k].form == "있" and morphs[k - 1].form == "수" and morphs[k - 2].tag == "ETM":
        k -= 3  # 멈출 수 있다: can stop is what it is for
    verb = morphs[k]
    if not (verb.tag.startswith("VV") or verb.tag in ("XSV", "VX")) or not re.fullmatch(r"[\uac00-\ud7a3]+", verb.form):
        return ""
    if verb.tag == "VX" and (k == 0 or morphs[k - 1].form not in _AUXILIARY_AFTER):
        return ""
    stem = verb.form[:-1] + chr(ord(verb.form[-1]) - _RIEUL) if _final(verb.form[-1]) == _RIEUL else verb.form
    out = clause[:verb.start] + stem + "는"
    for m, following in zip(morphs, morphs[1:]):  # 당겨 라인을 -> 당겨서 라인을 (not 고쳐 나가는)
        if m.tag == "EC" and m.form in ("어", "아", "여") and m.end < verb.start and following.tag != "VX" \
                and out[m.end:m.end + 1] == " ":
            out = out[:m.end] + "서" + out[m.end:]
    return out if has_hangul(out) else ""


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
    # the words after the sentence's last comma and its topic (이 팀은 ..., 즉 도그푸딩: not the team), read in
    # context: word by word, 거는 (걸다) would be taken for a topic
    phrase = m.group(1).strip(" ,")
    if "," in phrase:  # after a clause's comma, not a list's (결정 사항과 담당자, 기한을 ...)
        head, tail = phrase.rsplit(",", 1)
        last = analyse(head.split()[-1]) if head.split() else []
        if not last or last[-1].tag not in ("NNG", "NNP", "NNB", "SL", "SN"):
            phrase = tail.strip()
    topics = [x for x in analyse(phrase) if x.tag == "JX" and x.form in ("은", "는")]
    if topics and phrase[topics[-1].end:topics[-1].end + 1] == " ":
        phrase = phrase[topics[-1].end:].strip()
    if not has_hangul(phrase):
        return ""
    words = phrase.split()
    if len(words) <= MAX_GLOSSED_WORDS or hangul_count(phrase) <= MAX_EXPLANATION_SYLLABLES:
        return phrase
    # too long to be a cue: its last words, never cut between a modifier and what it modifies (the last
    # five of `모르는 사람에게 먼저 말을 거는 일` would drop the stranger that makes an approach cold)
    for k in range(len(words) - MAX_GLOSSED_WORDS, len(words) - 1):
        morphs = analyse(words[k - 1])
        if morphs and morphs[-1].tag not in ("ETM", "MM"):
            return " ".join(words[k:])
    return ""


# `레드팀(red team), 즉 약점을 찾는 공격 팀을` / `레드팀(red team)은 약점을 찾는 팀을 말합니다`
_AFTER_NAMELY = re.compile(r"^['\"’”」』]?\s*,?\s*(?:즉|곧|다시 말해)\s+([^,.!?。\n]+)")
_DEFINED_AS = re.compile(r"^['\"’”」』]?(?:은|는|이란|란|이라는 것은|라는 것은)\s+([^,.!?。\n]{2,60}?)\s*(?:을|를)\s*"
                         r"(?:말합니다|뜻합니다|의미합니다|가리킵니다|말해요|뜻해요|말한다|뜻한다|의미한다|말하는데|뜻하는데|의미하는데)")


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
_SHORT_NOUNS = {"시", "중", "전", "후", "월", "연", "간"}  # 월 반복 매출(MRR), 연 매출, 국경 간 결제
# nouns that say an English adjective (초기 = initial, 신규 = new): part of the meaning only when the English
# has a word for them (초기 고객 확보 비용(customer acquisition cost) is 고객 확보 비용)
_ADJECTIVE_NOUNS = {"초기", "신규", "기존", "주요", "전체", "일부", "향후", "최근", "현지", "국내", "해외", "기본", "추가"}
_COMPOUND_ENGLISH = re.compile(r"[/&\-]|\b(?:and|or|vs)\b", re.I)
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,5}")


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
    clause = _clause_before(rest, english) if words[0] in _BOUND_NOUNS else []
    if clause:
        return " ".join(clause + words)
    if english.split()[-1].lower() in ENGLISH_PARTICLES or not _is_bare_noun(words[0]):
        made = re.fullmatch(r"([\uac00-\ud7a3]+)하게", words[0])
        noun = re.search(r"(?:^|\s)([\uac00-\ud7a3]{2,})\s+$", rest)
        if made and noun and len(english.split()) == 1 and _is_bare_noun(noun.group(1)) \
                and noun.group(1) not in _NOT_IN_PHRASE:
            return f"{noun.group(1)} {made.group(1)}한"  # 측정 가능하게(measurable): 측정 가능한, as the word is
        return words[0]
    # a multi-word term may take one Korean word more than it has (가격 책정 = pricing)
    size = _english_size(english)
    acronym = bool(_ACRONYM.fullmatch(english.strip()))
    budget = min(size + (size > 1 and not acronym), MAX_GLOSSED_WORDS)  # an acronym's letters are its words
    joins = bool(_COMPOUND_ENGLISH.search(english))
    while len(words) < MAX_GLOSSED_WORDS:
        todo = re.search(r"(?:^|\s)(할 일)\s+$", rest)
        if todo and len(words) < budget:  # 할 일 목록(to-do list): 할 일 is one noun, the thing to do
            words.insert(0, todo.group(1))
            rest = rest[:todo.start(1)]
            continue
        prev = re.search(r"(?:^|\s)([\uac00-\ud7a3]+)\s+$", rest)
        if not prev or prev.group(1) in _NOT_IN_PHRASE:
            break
        if acronym and sum(map(hangul_count, words)) >= 2 * size:
            break  # 최고재무책임자(CFO) says all three letters: not 중견 게임사 라이트포지의 최고재무책임자
        word = prev.group(1)
        if len(words) >= budget and not (word.endswith("적") and _is_bare_noun(word)):
            break  # a one-word English term takes only an adjectival noun before it: 대중적 인기(hype)
        if len(words) >= size and word in _ADJECTIVE_NOUNS:
            break
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


def _clause_before(rest: str, english: str = "") -> list[str]:
    """The adnominal word (확인하는, 정리한, 할) before a bound noun, with an adverb or
    two before it (바로, 짧게), or its object when the English says one too (신뢰를 쌓는 일 for
    building trust: 쌓는 일 alone says nothing of the trust); empty when there is no such word."""
    tokens = rest.split()
    if len(tokens) >= 2 and tokens[-1] in ("할", "한") and re.fullmatch(r"[\uac00-\ud7a3]+야", tokens[-2]):
        return tokens[-2:]  # 해결해야 할 일(jobs to be done): what must be done
    if tokens and tokens[-1] == "할":
        return tokens[-1:]  # 할 일(to-do)
    if not tokens or not _adnominal(tokens[-1]):
        return []
    clause = [tokens.pop()]
    while tokens and len(clause) < MAX_GLOSSED_WORDS - 1 and _adverb(tokens[-1]):
        clause.insert(0, tokens.pop())
    if tokens and len(clause) == 1 and len(english.split()) >= 2:
        said = analyse(f"{tokens[-1]} {clause[0]}")
        inside = [m for m in said if m.end <= len(tokens[-1])]
        if inside and inside[-1].tag == "JKO" and len(inside) >= 2 and inside[-2].tag in ("NNG", "NNP"):
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
    "해진", "어진", "아진", "려진", "워진",  # 정해진, 만들어진, 알려진: made so (not 경영진, 연구진)
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


# a section heading that is an English expression with its Korean: `Let's circle back (나중에 다시 이야기하죠)`,
# `"Can you walk me through it?" – 차근차근 설명해 줄래요?`, `touch base: 짧게 연락하다`
_HEADING_PAIR = re.compile(r"^(?P<en>[^\uac00-\ud7a3]+?)\s*(?:\((?P<ko>[^()]+)\)|[–—:：]\s*(?P<ko2>.+)|\s-\s+(?P<ko3>.+))$")


def heading_expression(heading: str) -> tuple[str, str, bool] | None:
    """(English, Korean, in parentheses) when a heading is an English expression and its meaning, as
    a blog of expressions heads each section; None for any other heading (`숫자로 말하기: ballpark
    figure` labels the English, it does not translate it). After a colon or a dash the Korean may be
    a subtitle (`OKR: 목표 관리의 새 방법`): the caller takes those only from a list of them."""
    m = _HEADING_PAIR.match(heading.strip())
    if not m:
        return None
    english = m.group("en").strip(" " + _OPEN_QUOTES + _CLOSE_QUOTES)
    korean = (m.group("ko") or m.group("ko2") or m.group("ko3") or "").strip(" " + _OPEN_QUOTES + _CLOSE_QUOTES)
    if not _term_english(english) or not has_hangul(korean) or latin_words(korean):
        return None
    if not m.group("ko") and len(english.split()) < 2:
        return None  # `QBR: 기능이 아니라 성과를 이야기하라`: a label and what the section says, not a translation
    return english, korean, bool(m.group("ko"))
