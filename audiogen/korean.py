"""Korean, as the seed reader and the lesson writer need it, in one place.

Final consonants (받침) and the particles that depend on them, native ordinals,
numbers as a Korean reader says them, dictionary forms of verbs, and text
made fit for a Korean voice (no Latin letters, no symbols it reads by name,
Hanja read in Hangul). Where rules of thumb would guess, the morphological analyser
kiwipiepy decides; it takes a second or two to load, so it is loaded on first
use only and every analysis is memoized per text.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import sys
import threading
from pathlib import Path
from typing import NamedTuple

import hanja

from .files import read_state, write_atomically
from .text import QUOTE_MARKS, without_edge_brackets
from .worker import Pipe, Worker, WorkerGone

# --- syllables -----------------------------------------------------------------

HANGUL_SYLLABLES = re.compile(r"[\uac00-\ud7a3]")
RIEUL = 8  # jongseong index of ㄹ


def final(syllable: str) -> int:
    """The final consonant (jongseong) index of a Hangul syllable; 0 when it ends in a vowel
    (or is not a Hangul syllable)."""
    code = ord(syllable) - 0xAC00 if syllable else -1
    return code % 28 if 0 <= code < 11172 else 0


# particle pairs: (after a final consonant, after a vowel)
_PAIRS = {"은": ("은", "는"), "는": ("은", "는"), "이": ("이", "가"), "가": ("이", "가"), "을": ("을", "를"),
          "를": ("을", "를"), "과": ("과", "와"), "와": ("과", "와"), "으로": ("으로", "로"), "로": ("으로", "로"),
          "이라고": ("이라고", "라고"), "라고": ("이라고", "라고"), "이라는": ("이라는", "라는"), "라는": ("이라는", "라는"),
          "이란": ("이란", "란"), "란": ("이란", "란"), "이라면": ("이라면", "라면"), "라면": ("이라면", "라면"),
          "이나": ("이나", "나"), "나": ("이나", "나")}
# the particles `refit` changes, longest first; one of a single syllable only when the word ends there
_REFIT = re.compile("(" + "|".join(sorted(_PAIRS, key=len, reverse=True)) + r")(?![\uac00-\ud7a3])"
                    + "|(" + "|".join(p for p in sorted(_PAIRS, key=len, reverse=True) if len(p) > 1) + ")")
_DIGIT_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False, "6": True, "7": True,
                "8": True, "9": False}  # 영, 일, 이, 삼, 사, 오, 육, 칠, 팔, 구


def particle(word: str, which: str) -> str:
    """`word` with the right form of a particle: particle("연봉", "은") -> 연봉은, particle("성과급", "와")
    -> 성과급과. 으로/로: ㄹ takes 로 (서울로)."""
    pair = _PAIRS[which]
    last = word.rstrip()[-1:] if word.strip() else ""
    if HANGUL_SYLLABLES.fullmatch(last):
        f = final(last)
        consonant = f != 0 and not (pair[0] == "으로" and f == RIEUL)
    elif last in _DIGIT_FINAL:
        consonant = _DIGIT_FINAL[last]
    else:
        consonant = False
    return word.rstrip() + (pair[0] if consonant else pair[1])


_ORDINALS = ("첫", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열")


def refit(word: str, after: str) -> str:
    """`word` followed by `after`, whose leading particle was chosen for another word, now in the
    form that fits `word`: refit("따로 이야기하다", "이라고 합니다") -> 따로 이야기하다라고 합니다."""
    m = _REFIT.match(after)
    if not m:
        return word + after
    return particle(word, m.group()) + after[m.end():]


def ordinal(number: int) -> str:
    """A native Korean ordinal as a listener says it (두 번째), up to ten; "" past that
    (a Sino-Korean "레슨 12" reads better than a long ordinal)."""
    return f"{_ORDINALS[number - 1]} 번째" if 1 <= number <= len(_ORDINALS) else ""


# --- numbers -----------------------------------------------------------------------

_SINO_DIGITS = "영일이삼사오육칠팔구"
_NATIVE_UNITS = ("", "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉")
_NATIVE_TENS = ("", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔")
# counters a Korean reader says with native numbers (세 개, 두 명, 다섯 시), up to 99
_NATIVE_COUNTERS = ("개", "명", "시간", "시", "번", "살", "가지", "달", "사람", "마리", "권", "잔", "곳", "군데")
_SINO_COUNTERS = ("개월", "개년", "번지")  # they begin like a native counter but are read in Sino-Korean: 삼 개월


def sino(n: int) -> str:
    """A whole number in Sino-Korean: 2026 -> 이천이십육, 10000 -> 만, 0 -> 영."""
    if n == 0:
        return "영"
    if n < 0:
        return "마이너스 " + sino(-n)
    if n >= 10 ** 16:  # past 9999조 a reader says the digits
        return " ".join(_SINO_DIGITS[int(d)] for d in str(n))
    out = []
    for big, name in ((10 ** 12, "조"), (10 ** 8, "억"), (10 ** 4, "만")):
        if n >= big:
            head, n = divmod(n, big)
            out.append(("" if head == 1 and name == "만" else _sino_small(head)) + name)
    if n:
        out.append(_sino_small(n))
    return " ".join(out)


def _sino_small(n: int) -> str:
    parts = []
    for value, name in ((1000, "천"), (100, "백"), (10, "십")):
        d, n = divmod(n, value)
        if d:
            parts.append(("" if d == 1 else _SINO_DIGITS[d]) + name)
    if n:
        parts.append(_SINO_DIGITS[n])
    return "".join(parts)


def native(n: int) -> str:
    """1-99 in native Korean as said before a counter: 1 -> 한, 20 -> 스무, 35 -> 서른다섯."""
    tens, units = divmod(n, 10)
    if n == 20:
        return "스무"
    return _NATIVE_TENS[tens] + _NATIVE_UNITS[units]


_NUMBER = re.compile(r"(?<![\w.])([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?(?![\w.]*[A-Za-z])(?:\s*(%|퍼센트))?")


def read_numbers(text: str) -> str:
    """Digits as a Korean reader says them: 30% -> 삼십 퍼센트, 3개 -> 세 개, 2026년 -> 이천이십육년,
    1.5배 -> 일 점 오배. Digits glued to Latin letters (B2B, Q3) are left to the English voice."""
    def say(m: re.Match[str]) -> str:
        whole = int(m.group(1).replace(",", ""))
        after = text[m.end():]
        if m.group(3):
            return f"{_decimal(whole, m.group(2))} 퍼센트"
        counter = after.lstrip()
        if not m.group(2) and 0 < whole < 100 and counter.startswith(_NATIVE_COUNTERS) \
                and not counter.startswith(_SINO_COUNTERS):
            return native(whole) + " "
        if not m.group(2) and whole < 10 and counter.startswith("년"):
            return _decimal(whole, None) + " "  # 2년 차: 이 년 차, never written as the slur 이년
        return _decimal(whole, m.group(2))

    return re.sub(r"\s{2,}", " ", _NUMBER.sub(say, text))


def _decimal(whole: int, fraction: str | None) -> str:
    said = sino(whole)
    if fraction:
        said += " 점 " + "".join(_SINO_DIGITS[int(d)] for d in fraction)
    return said


# --- the analyser ---------------------------------------------------------------------


class Morph(NamedTuple):
    form: str
    tag: str
    start: int
    end: int


_lock = threading.Lock()
_memo: dict[str, tuple[Morph, ...]] = {}  # text -> analysis, kept on disk between builds (`load_memo`)
_used: set[str] = set()
_memo_path: Path | None = None
_memo_loaded: set[str] = set()


class _Analyser:
    """kiwipiepy in a child process of its own (`python -m audiogen.korean`, one JSON line each way).

    Its model takes about 350 MB of memory. A build needs it only while it writes scripts
    (and not at all when every text is in the memo), so it lives in a child that `release()`
    ends before any audio is made: the build's memory never holds the model and the audio at
    once. Started on the first text the memo lacks (about 2 s: the model, then a first sentence);
    `audiogen.worker` starts, replaces and ends it.
    """

    ANSWER_SECONDS = 60.0  # one text's morphemes take milliseconds; a hung child is not waited for longer
    START_SECONDS = 120.0  # and the first answer within this more: Python and the model load first

    def __init__(self) -> None:
        self.worker = Worker(lambda: [sys.executable, "-m", "audiogen.korean"], close_seconds=10.0)

    def tokenize(self, text: str) -> list[tuple[str, str, int, int]]:
        def exchange(pipe: Pipe) -> object:
            pipe.send(json.dumps(text).encode("utf-8") + b"\n")
            try:
                return json.loads(pipe.read_line().decode("utf-8"))
            except ValueError:
                return None

        try:
            answer = self.worker.ask(exchange, self.ANSWER_SECONDS, start_seconds=self.START_SECONDS)
        except (WorkerGone, OSError) as e:
            raise RuntimeError(f"the Korean analyser failed: its process {e}") from None
        if not isinstance(answer, list):
            raise RuntimeError(f"the Korean analyser failed{': ' + answer['error'] if isinstance(answer, dict) else ''}")
        return [tuple(m) for m in answer]

    def close(self) -> None:
        self.worker.release()


def _serve() -> None:
    """The child: answer each line (a JSON string) with its morphemes, until stdin ends."""
    from kiwipiepy import Kiwi

    kiwi = Kiwi(load_typo_dict=False, load_multi_dict=False)
    for line in sys.stdin:
        try:
            answer = [(t.form, t.tag, t.start, t.start + t.len) for t in kiwi.tokenize(json.loads(line))]
        except Exception as e:  # noqa: BLE001 - sent back to the build, which says it in one line
            answer = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()


_analyser = _Analyser()  # no process until the first text the memo lacks


def release() -> None:
    """End the analyser's process, giving its memory back (it starts again if asked)."""
    with _lock:
        _analyser.close()


def analyse(text: str) -> tuple[Morph, ...]:
    """The morphemes of `text` with their tags (Sejong tag set: NNG noun, VV verb, EC
    connective ending, JKO object particle...) and character offsets."""
    if not HANGUL_SYLLABLES.search(text):
        return ()
    with _lock:
        _used.add(text)
        if text not in _memo:
            _memo[text] = tuple(Morph(*m) for m in _analyser.tokenize(text))
        return _memo[text]


MEMO_VERSION = 1  # of the memo file: {"version": 1, "analyses": {text: [[form, tag, start, end], ...]}}
MEMO_MAX_BYTES = 256 << 20


def load_memo(path: Path) -> None:
    """Analyses of earlier builds, so a build whose seeds did not change never loads the analyser.

    The memo is only a shortcut, so it is checked, not trusted: a file of another version or
    shape, or an analysis that does not fit its text, is left out and analysed again."""
    global _memo_path
    _memo_path = path
    try:
        data = json.loads(read_state(path, MEMO_MAX_BYTES))
    except (OSError, ValueError):
        return
    loaded = memo_entries(data)
    with _lock:
        for text, morphs in loaded.items():
            _memo.setdefault(text, morphs)
        _memo_loaded.update(loaded)


def memo_entries(data: object) -> dict[str, tuple[Morph, ...]]:
    """The well-formed analyses of a memo file's JSON ({} for a file of another version or shape)."""
    if not isinstance(data, dict) or data.get("version") != MEMO_VERSION or not isinstance(data.get("analyses"), dict):
        return {}
    entries = {}
    for text, morphs in data["analyses"].items():
        if isinstance(morphs, list) and all(_fits(m, text) for m in morphs):
            entries[text] = tuple(Morph(*m) for m in morphs)
    return entries


def _fits(m: object, text: str) -> bool:
    """A morpheme as the analyser gives it: form and tag text, offsets within the text."""
    return (isinstance(m, list) and len(m) == 4 and isinstance(m[0], str) and isinstance(m[1], str)
            and all(type(k) is int for k in m[2:]) and 0 <= m[2] <= m[3] <= len(text))


def save_memo() -> None:
    """Keep the analyses this build used (only those: the file never outgrows the seeds)."""
    if _memo_path is None:
        return
    with _lock:
        if _used == _memo_loaded:
            return
        analyses = {text: [list(m) for m in _memo[text]] for text in sorted(_used)}
    try:
        _memo_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(_memo_path, json.dumps({"version": MEMO_VERSION, "analyses": analyses}, ensure_ascii=False))
    except OSError:
        pass  # a memo is only a shortcut


# --- dictionary forms -------------------------------------------------------------------

_PREDICATES = ("VV", "VA", "XSV", "XSA", "VX")
_ENDINGS = ("EC", "EF", "ETM", "EP", "ETN")


def dictionary_form(korean: str) -> str:
    """A glossed Korean verb or adjective as a learner would look it up: 내재되어야 -> 내재되다,
    막힌 -> 막히다, 중요한 -> 중요하다, 만드는 -> 만들다, 전략적인 -> 전략적. Nouns, noun phrases
    and adverbs (불가분하게) stay as they are."""
    head, _, last = korean.strip().rpartition(" ")
    if not re.fullmatch(r"[\uac00-\ud7a3]{2,}", last):
        return korean
    morphs = analyse(last)
    if not morphs or morphs[-1].tag not in _ENDINGS or morphs[-1].form == "게":
        return korean
    if morphs[-1].tag == "ETN" or morphs[-1].form in ("ᆷ", "음"):
        return korean  # a verb made a noun (흐름, 기다림): 현금 흐름 is cash flow, not 현금 흐르다
    if morphs[-1].form.endswith("지") and morphs[-1].tag == "EC":
        return korean  # an indirect question (몇 달을 버틸 수 있는지: how long, for runway) is not a statement
    k = max((i for i, m in enumerate(morphs) if m.tag in _PREDICATES or m.tag == "VCP"), default=-1)
    if k < 0 or any(m.tag not in _ENDINGS for m in morphs[k + 1:]):
        return korean
    if morphs[k].tag == "VCP":  # 전략적인: the noun before 이다 is the word
        base = last[:morphs[k].start]
    else:
        base = last[:morphs[k].start] + morphs[k].form + "다"
    if not HANGUL_SYLLABLES.fullmatch(base[-1:] or "x") or re.search(r"[^\uac00-\ud7a3]", base):
        return korean  # a form the analyser split into jamo: keep the text as written
    return f"{head} {base}".strip()


# --- sentences ----------------------------------------------------------------------------------


def run_on_sentences(text: str) -> list[str]:
    """Sentences a writer ran together without a full stop (`회의가 끝났습니다 다음 주에 만나요`),
    cut after each final ending (EF) that a space and a new word follow; a quoted ending (`좋습니다
    라고`) stays. Punctuation is the splitter's job: this is for the text it cannot split."""
    morphs = analyse(text)
    pieces: list[str] = []
    start = 0
    for k, m in enumerate(morphs):
        if m.tag != "EF" or m.end >= len(text) or not text[m.end].isspace():
            continue
        if m.form == "자":
            continue  # 정리하자 같은 질문이...: "as soon as" (a connective the analyser reads as "let's")
        nxt = next((n for n in morphs[k + 1:] if n.end > n.start), None)  # not the 이 the analyser supplies
        if nxt is None or nxt.tag.startswith(("E", "J", "X", "S")):
            continue
        pieces.append(text[start:m.end].strip())
        start = m.end
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


# --- meanings of glossed terms ------------------------------------------------------------------

_BOUND_HEADS = {"것", "거", "수", "점", "법", "방법", "능력", "방식", "과정", "경우", "때", "자세", "태도", "부분", "문제"}
# a one-word English term whose prefix the first Korean noun says: postmortem = 사후 검토
_ENGLISH_PREFIX = re.compile(r"(?i)^(?:post|pre|co|re|over|under|self|cross|sub|inter|multi|non|anti|counter|out)"
                             r"-?[a-z]{3,}$")


# Nouns that say when, used like adverbs before a verb: never part of what a verb phrase means.
_WHEN_NOUNS = frozenset({"후", "전", "뒤", "때", "동안", "중", "다음", "이후", "이전", "내내", "직후", "직전"})
_JOINED = re.compile(r"\b(?:and|or)\b|[&/]", re.I)


def _joins(english: str, words: list[str]) -> bool:
    """Whether the English joins two things too (enterprise and consumer customers, founder-market
    fit), so a 와/과 join belongs to the meaning."""
    return bool(_JOINED.search(english)) or len(re.split(r"[\s-]+", english.strip())) >= len(words)



def _after_join(words: list[str], english: str) -> list[str]:
    """The words after a 와/과 inside the phrase when the English joins nothing: `고객사인 대형마트와 판매
    시점 데이터(point-of-sale data)` glosses 판매 시점 데이터 (the big-box client is who it is shared with);
    `실제 업무와 비슷한 과제` keeps what 비슷한 compares with."""
    for k in range(len(words) - 2, -1, -1):
        morphs = analyse(" ".join(words[:k + 2]))
        inside = [m for m in morphs if m.end <= len(" ".join(words[:k + 1]))]
        if inside and inside[-1].tag in ("JC", "JKB") and inside[-1].form in ("와", "과") \
                and dictionary_form(words[k + 1]) not in _COMPARED and not _joins(english, words):
            return words[k + 1:]
    return words


def trim_meaning(meaning: str, before: str, english: str) -> str:
    """The glossed Korean phrase, cut to what the parenthesis really glosses.

    `meaning` is a first guess (the words right before the parenthesis); `before` is the text
    that ends with it. Never a leading adverb or conjunction (대부분 행동 면접 -> 행동 면접), never
    the tail of a clause (예를 들어 계약 보너스 -> 계약 보너스, 아니라 판매 포인트 -> 판매 포인트), never
    a when-noun before a verb (후 덧붙이는 -> 덧붙이는), never a 와/과 join the English does not make,
    and never a bare 점/것 without its clause (막힌 점). A one-word English term with a prefix takes
    the noun before it (사후 검토(postmortem))."""
    words = meaning.split()
    if not words:
        return meaning
    # drop leading words that end a clause or are adverbs/conjunctions (analysed in context)
    while len(words) > 1:
        phrase = " ".join(words)
        inside = [m for m in analyse(phrase) if m.end <= len(words[0])]
        tail = inside[-1].tag if inside else ""
        if tail == "EC" and words[0].endswith("야") and words[1] in ("할", "한"):
            break  # 해결해야 할 일: what must be done is one phrase
        if tail == "JKO" and len(words) == 3 and words[-1] in _BOUND_HEADS | {"일"} and len(english.split()) >= 2:
            break  # 신뢰를 쌓는 일(building trust): the object is the English's too
        if tail in ("MAG", "MAJ", "EC", "EF") or tail.startswith("J") and tail not in ("JKG", "JC"):
            words.pop(0)
            continue
        if tail == "JC" and not _joins(english, words):  # 이야기와 후속 조치(follow-up): not a join
            words.pop(0)
            continue
        if words[0] in _WHEN_NOUNS and _predicate(words[-1]):  # (끝난) 후 덧붙이는(bolted on)
            words.pop(0)
            continue
        break
    words = _after_join(words, english)
    rest = before[:len(before) - len(meaning)] if before.endswith(meaning) else ""
    prev = rest.split()[-1] if rest.split() else ""
    if len(words) == 1 and words[0] in _BOUND_HEADS and prev:
        morphs = analyse(prev)
        if morphs and morphs[-1].tag == "ETM":
            words.insert(0, prev)  # 막힌 점, 확인하는 것
    elif len(words) == 1 and _ENGLISH_PREFIX.match(english.strip()) and prev:
        morphs = analyse(prev)
        if len(morphs) == 1 and morphs[0].tag == "NNG":
            words.insert(0, prev)
    elif len(words) == 1 and prev and _predicate(words[0]) and _quoted(prev) and dictionary_form(words[0]) in _REPORTING:
        # 여섯까지 세라고 조언합니다(count to six): the English is what is advised, not the advising
        earlier = rest.split()[:-1]
        clause = [prev]
        if len(english.split()) >= 2 and earlier:
            inside = [m for m in analyse(f"{earlier[-1]} {prev}") if m.end <= len(earlier[-1])]
            if inside and (inside[-1].tag in ("JKO", "JKB", "MAG") or inside[-1].form == "까지"):
                clause.insert(0, earlier[-1])
        return dictionary_form(" ".join(clause))
    elif len(words) == 1 and prev and _predicate(words[0]) and dictionary_form(words[0]) in _WITH_COMPLEMENT:
        inside = [m for m in analyse(f"{prev} {words[0]}") if m.end <= len(prev)]
        if inside and inside[-1].tag in ("JKS", "JKC") and len(inside) >= 2 and inside[-2].tag in ("NNG", "NNP"):
            words.insert(0, prev)  # 도움이 되고(helpful): 도움이 되다, not 되다
    elif len(words) == 1 and prev and _predicate(words[0]):
        earlier = rest.split()[:-1]
        light = _light(words[0])  # 정했습니다(prioritize) says little without 우선순위를
        if _auxiliary(words[0], prev) and _predicate(prev):  # 정해 두세요(assign): the verb is the word before
            words.insert(0, prev)
            prev = earlier.pop() if earlier else ""
            light = False
        if light and len(english.split()) == 1 and prev:
            inside = [m for m in analyse(f"{prev} {' '.join(words)}") if m.end <= len(prev)]
            if inside and inside[-1].tag == "JKO":
                words.insert(0, prev)
        elif len(english.split()) >= 2 and prev and prev not in _WHEN_NOUNS:
            morphs = analyse(f"{prev} {' '.join(words)}")
            inside = [m for m in morphs if m.end <= len(prev)]
            # a phrasal verb (bolt on, roll back) says no object and no adverb: 안전 장치를 덧붙이다 is "bolt on"
            particle_verb = english.split()[-1].lower() in ENGLISH_PARTICLES
            if inside and not particle_verb and (inside[-1].tag == "JKO" or inside[-1].tag == "MAG"
                                                 and prev not in _LOOSE_ADVERBS):
                words.insert(0, prev)  # 따로 이야기하자(take it offline), 신뢰를 쌓는(build trust)
    elif len(words) == 1 and "-" in english and prev and _noun(prev) and _genitive(words[0]):
        words.insert(0, prev)  # 환자 중심의(patient-centered): the English names both halves
    elif len(words) == 1 and len(english.split()) >= 2 and prev and _noun(words[0]):
        adnominal = analyse(prev)
        earlier = rest.split()[:-1]
        tags = [m.tag for m in adnominal]
        if tags in (["VA", "ETM"], ["XR", "XSA", "ETM"], ["NNG", "XSA", "ETM"]):
            words.insert(0, prev)  # 좋은 질문(good question), 솔직한 피드백: the English says the adjective too
            subject = analyse(earlier[-1]) if earlier else ()
            if len(subject) == 1 and subject[0].tag == "NNG":
                words.insert(0, earlier[-1])  # 비난 없는 회고(blameless retro): and its noun
            elif dictionary_form(prev) in _COMPARED and len(subject) == 2 and subject[0].tag == "NNG" \
                    and subject[1].form in ("와", "과"):
                words.insert(0, earlier[-1])  # 실제 업무와 비슷한 과제(work sample): and what it is like
                noun = analyse(earlier[-2]) if len(earlier) > 1 else ()
                if len(noun) == 1 and noun[0].tag == "NNG":
                    words.insert(0, earlier[-2])
    return " ".join(words)


# adjectives that take what they compare with (X와 비슷한): the X belongs to a meaning
_COMPARED = frozenset({"비슷하다", "같다", "다르다", "닮다", "유사하다"})

# the particle of an English phrasal verb (bolt on, roll back): the term is the verb, without object or adverb
ENGLISH_PARTICLES = frozenset({"in", "on", "up", "out", "off", "down", "over", "away", "back", "through", "around",
                               "about"})
# adverbs that belong to the clause, never to a glossed noun phrase (바로 확인하는 것 is 확인하는 것)
CLAUSE_ADVERBS = frozenset({"바로", "먼저", "빨리", "다시", "잘", "더", "미리", "함께", "직접", "꼭", "항상", "자주", "계속"})
# ...nor to what a phrasal verb means: 바로 되돌리다 is "roll back" + "at once"
_LOOSE_ADVERBS = CLAUSE_ADVERBS | {"곧", "이미", "아직", "모두", "다", "또", "좀", "많이"}


def _auxiliary(word: str, before: str = "") -> bool:
    """두세요, 주는, 보았다: an auxiliary verb that needs the verb before it (정해 두다). Read after
    `before`, since alone 주는 is the verb "give" (유지해 주는 is "keep ... for them")."""
    if not before:
        morphs = analyse(word)
        return bool(morphs) and morphs[0].tag == "VX"
    start = len(before) + 1
    return any(m.tag == "VX" and m.start == start for m in analyse(f"{before} {word}"))


# verbs that say little without their object: 우선순위를 정하다(prioritize), not 정하다
_LIGHT_VERBS = frozenset({"정하다", "하다", "세우다", "내리다", "짓다", "만들다", "주다", "받다", "두다", "갖다",
                          "가지다", "잡다", "높이다", "낮추다", "늘리다", "줄이다", "걸다", "맺다"})


# verbs that report what someone said, after a quoted clause (세라고 조언합니다)
_REPORTING = frozenset({"조언하다", "말하다", "권하다", "강조하다", "제안하다", "부탁하다", "요청하다", "당부하다",
                        "주문하다", "설명하다", "하다"})
# verbs whose meaning is in their subject or complement (도움이 되다, 의미가 있다)
_WITH_COMPLEMENT = frozenset({"되다", "있다", "없다"})


def _quoted(word: str) -> bool:
    """세라고, 하자고, 좋다고: a clause quoted before a verb of saying."""
    morphs = analyse(word)
    return len(morphs) >= 2 and morphs[-1].form in ("라고", "다고", "자고", "냐고") and any(
        m.tag in ("VV", "VA", "VX", "XSV", "XSA", "VCP") for m in morphs[:-1])


def _light(word: str) -> bool:
    return dictionary_form(word) in _LIGHT_VERBS


def _genitive(word: str) -> bool:
    """중심의, 고객의: a noun with the genitive 의."""
    morphs = analyse(word)
    return len(morphs) == 2 and morphs[0].tag in ("NNG", "NNP") and morphs[1].tag == "JKG"


def _noun(word: str) -> bool:
    """공격, 공격성 (a noun and its suffix)."""
    morphs = analyse(word)
    return bool(morphs) and morphs[0].tag in ("NNG", "NNP") and all(m.tag == "XSN" for m in morphs[1:]) \
        and len(morphs) <= 2


def _predicate(word: str) -> bool:
    """A verb or adjective form: 이야기하자, 쌓는, 막힌."""
    morphs = analyse(word)
    return len(morphs) >= 2 and morphs[-1].tag in _ENDINGS and any(m.tag in _PREDICATES for m in morphs)


# --- loanwords ---------------------------------------------------------------------------------

# Consonant classes, so a Hangul spelling and the English it spells compare: 레드팀 ~ red team,
# 앤트로픽 ~ Anthropic, 카이젠 ~ kaizen (vowels are left out: the two scripts write them too differently).
_INITIAL_CLASS = "KKNTTRMPPSS SSSKTPH"  # ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ
_FINAL_CLASS = ["", "K", "K", "K", "N", "N", "N", "T", "R", "K", "M", "P", "S", "T", "P", "R", "M",
                "P", "P", "T", "S", "N", "S", "S", "K", "T", "P", ""]
_ENGLISH_CLASSES = (("ph", "P"), ("th", "T"), ("sh", "S"), ("ch", "S"), ("ck", "K"), ("ng", "N"), ("qu", "K"),
                    ("x", "KS"), ("c", "K"), ("g", "K"), ("q", "K"), ("k", "K"), ("b", "P"), ("p", "P"),
                    ("f", "P"), ("v", "P"), ("d", "T"), ("t", "T"), ("s", "S"), ("z", "S"), ("j", "S"),
                    ("l", "R"), ("r", "R"), ("m", "M"), ("n", "N"))


def _squeeze(classes: str) -> str:
    return re.sub(r"(.)\1+", r"\1", classes)


def _hangul_consonants(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_INITIAL_CLASS[code // 588].strip() + _FINAL_CLASS[code % 28])
    return _squeeze("".join(out))


def _english_consonants(text: str) -> str:
    text = re.sub(r"g(?=[eiy])", "j", re.sub(r"c(?=[eiy])", "s", text.lower()))
    out, i = [], 0
    while i < len(text):
        for letters, cls in _ENGLISH_CLASSES:
            if text.startswith(letters, i):
                out.append(cls)
                i += len(letters)
                break
        else:
            i += 1
    return _squeeze("".join(out))


# How Korean writes English sounds that the classes above miss; each is tried on and off: 헬스 (health:
# th as ㅅ), 앵커링 (anchoring: ch as ㅋ), 노션 (Notion: -tion as 션), 겐바 (genba: a hard g), 로저 피셔 (Roger
# Fisher, 파킹, 스코어: an r after a vowel is not written).
_SPELLING_VARIANTS = ((re.compile(r"th"), "s"), (re.compile(r"ch"), "k"), (re.compile(r"ti(?=on)"), "sh"),
                      (re.compile(r"g(?=[eiy])"), "q"), (re.compile(r"(?<=[aeiouy])r+(?=e\b|[^aeiouy]|$)"), ""))


def _english_spellings(english: str) -> set[str]:
    spellings = {english.lower()}
    for pattern, korean_way in _SPELLING_VARIANTS:
        spellings |= {pattern.sub(korean_way, s) for s in spellings}
    return {_english_consonants(s) for s in spellings}


def _spells(ours: str, theirs: set[str]) -> bool:
    """Whether Hangul consonant classes nearly match one spelling of the English: a class may
    differ in strings of three or more (레드팀 ~ red team), shorter ones match exactly (매출 is not MRR)."""
    for b in theirs:
        if len(ours) < 3 or len(b) < 3 or abs(len(ours) - len(b)) > 1:
            if ours == b and ours:
                return True
        elif difflib.SequenceMatcher(None, ours, b).ratio() >= 0.8:
            return True
    return False


@functools.lru_cache(maxsize=4096)
def spells_answer(korean: str, english: str) -> bool:
    """Whether a meaning gives its English away: it spells the English (or one of its names) in
    Hangul, or half of its words do (아침 스탠드업 for stand-up, 헬스 스코어, 노스스타 지표 for north star
    metric); one loanword in a real translation (전략적 파트너십으로 위장한 공급업체 금융) still says what it
    means."""
    names = [english] + [part for part in re.split(r"\s*[,;/()]\s*", english) if part]
    names += re.findall(r"[A-Za-z]{3,}", english)  # each word, hyphenated ones too (Just-in-Time: 타임)
    words_en = re.findall(r"[A-Za-z]+", english)
    names += [f"{a} {b}" for a, b in zip(words_en, words_en[1:])]  # two spelled as one (노스스타: north star)
    names += [f"{w}ing" for w in words_en if 3 <= len(w) <= 6]  # Korean borrows the -ing form (피칭 for pitch)
    if any(transliterates(korean, name) for name in names):
        return True
    words = re.findall(r"[\uac00-\ud7a3]+", korean)
    # a word spelled from the English is a bare noun: never a numeral with its particle (여섯까지 is not
    # "six") nor a noun with a Korean suffix (공격성)
    spelled = [w for w in words if len(w) >= 2 and _bare_noun(w) and any(transliterates(w, name) for name in names)]
    return 2 * len(spelled) >= len(words)  # no Hangul at all says nothing either


def _bare_noun(word: str) -> bool:
    return all(m.tag in ("NNG", "NNP", "NNB", "SL", "SH") for m in analyse(word))


@functools.lru_cache(maxsize=8192)  # pure, and asked of the same pairs for every cue, preview and lesson
def transliterates(korean: str, english: str) -> bool:
    """Whether `korean` only spells `english` in Hangul (레드팀 for red team, 앤트로픽 for Anthropic,
    카이젠 for kaizen, 스노우플레이크 for Snowflake, 로저 피셔 for Roger Fisher, 노션 for Notion), or the
    last of its words (애리얼리 for Dan Ariely, 익스팬드 for land and expand), rather than saying what it
    means (공격 팀, 신뢰, 입점비)."""
    korean = re.sub(r"[^\uac00-\ud7a3]", "", korean)
    words = re.findall(r"[A-Za-z][A-Za-z'’]*", english)
    if not korean or not words or len(korean) > max(3 * len(english.split()) + 3, sum(map(len, words))):
        return False
    spelled = _hangul_consonants(korean)
    exactly = {spelled, _squeeze(spelled.replace("H", ""))}  # 헬스: health's h is often not heard
    whole = _english_spellings(english)
    if _spells(spelled, whole) or exactly & whole:
        return True
    for k in range(1, len(words)):  # the surname, or a phrase's last words (land and expand: 익스팬드), exactly
        tail = words[k:]
        if (len(spelled) >= 2 or all(w[:1].isupper() for w in tail)) and exactly & _english_spellings(" ".join(tail)):
            return True
    return False


# --- text for the Korean voice -------------------------------------------------------------------

_HANJA = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANJA_CLASS = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
# 신뢰(信賴), 인(人): Hanja in parentheses after a Hangul word only show how it is written
_HANJA_ANNOTATION = re.compile(r"(?<=[\uac00-\ud7a3])\s*\(\s*" + _HANJA_CLASS + r"+\s*\)")


def read_hanja(text: str) -> str:
    """Hanja as a Korean reader says them, in Hangul: 자働화 -> 자동화, 動 자 -> 동 자. A Hanja
    annotation after its Hangul (신뢰(信賴)) is not said twice; a character the table lacks is
    dropped (a voice would name it or skip it)."""
    if not _HANJA.search(text):
        return text
    text = _HANJA_ANNOTATION.sub("", text)
    return _HANJA.sub("", hanja.translate(text, "substitution"))
_LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’&/.\-]*[A-Za-z0-9]?(?:[ ,]+[A-Za-z0-9][A-Za-z0-9'’&/.\-]*)*")


def _operator(text: str, symbol: str, which: str) -> str:
    """`A = B` -> `A은 B`, `B + C` -> `B과 C`: the particle matches the word before."""
    pattern = re.compile(r"([^\s=+~]+)\s*" + re.escape(symbol) + r"\s*")
    return pattern.sub(lambda m: particle(m.group(1), which) + " ", text)


def for_voice(text: str) -> str:
    """Korean text a Korean voice reads as meant: symbols become words (연봉 = 기본급 + 성과급 ->
    연봉은 기본급과 성과급; 10~20 -> 10에서 20; % -> 퍼센트), Hanja are read in Hangul (`read_hanja`), numbers
    are read as a Korean reader says them. Latin letters are left for `voice_pieces`."""
    text = read_hanja(text)
    text = _operator(text, "=", "은")
    text = _operator(text, "+", "과")
    text = re.sub(r"(\d+)\s*[~～]\s*(\d+)(" + "|".join(_NATIVE_COUNTERS) + r"|[년월일원분초개명])",
                  r"\1\3에서 \2\3", text)  # 10~20명 -> 10명에서 20명: each number with its counter
    text = re.sub(r"(\d)\s*[~～]\s*(\d)", r"\1에서 \2", text)
    # a range written tight, between numbers or words (30초~1분, 수천 달러~수만 달러): A에서 B
    text = re.sub(r"(?<=[\d\uac00-\ud7a3])[~～](?=[\d\uac00-\ud7a3])", "에서 ", text)
    text = re.sub(r"\s*[~～]\s*", ", ", text)
    text = re.sub(r"\s*&\s*(?=[\uac00-\ud7a3])", " 그리고 ", text)
    text = re.sub(r"(?<=[\uac00-\ud7a3])\s*/\s*(?=[\uac00-\ud7a3])", " 또는 ", text)
    text = re.sub(r"\s*[×✕]\s*", " 곱하기 ", text)  # 초과 건수 × 300원: said as a formula is said
    text = re.sub(r"\s*÷\s*", " 나누기 ", text)
    text = re.sub(r"(?<=\w)\s*(?:→|->|=>|⇒)\s*", "에서 ", text)  # 종이 → 전자 차트로: 종이에서 전자 차트로
    text = re.sub(r"\s*(?:→|->|=>|⇒)\s*", ", ", text)
    text = read_numbers(text)
    text = re.sub(r"[#*^|\\<>{}\[\]_`@$€£¥₩]", " ", text)
    text = re.sub(r"[/&%=+~]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.!?])", r"\1", text)
    return re.sub(r"^[,.;:\s]+|(?<=[,;:])[,;:\s]*(?=[,;:])", "", text).strip()


# one capital letter that is part of a Korean word (A사, B급, X세대): said in Korean, as Koreans say it,
# not a clip of its own in the English voice
_GLUED_LETTER = re.compile(r"(?<![A-Za-z0-9])([A-Z])(?=[\uac00-\ud7a3])")
_LETTER_NAMES = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (
    "에이 비 씨 디 이 에프 지 에이치 아이 제이 케이 엘 엠 엔 오 피 큐 알 에스 티 유 브이 더블유 엑스 와이 제트".split())))


def voice_pieces(text: str) -> list[tuple[str, str]]:
    """Korean text as (lang, piece) in order: every run of Latin letters (an acronym, an English
    word or phrase, B2B) goes to the English voice, the rest, made fit by `for_voice`, to the
    Korean voice. A particle after English stays at the start of the Korean piece that follows
    (OpenAI의 그늘에서 -> OpenAI | 의 그늘에서): the sentence keeps its grammar as heard."""
    text = _GLUED_LETTER.sub(lambda m: m.group() if re.search(r"[A-Za-z0-9][\s,]*$", m.string[:m.start()])
                             else _LETTER_NAMES[m.group(1)], text)  # not Plan B를
    pieces: list[tuple[str, str]] = []
    at = 0
    for m in _LATIN_RUN.finditer(text):
        if not re.search(r"[A-Za-z]", m.group()):
            continue  # a plain number stays with the Korean
        _add(pieces, "ko", text[at:m.start()])
        _add(pieces, "en", m.group().strip(" ,"))
        at = m.end()
    _add(pieces, "ko", text[at:])
    return pieces


def _add(pieces: list[tuple[str, str]], lang: str, piece: str) -> None:
    piece = without_edge_brackets(piece.strip(" " + QUOTE_MARKS))
    if lang == "ko":
        piece = for_voice(piece)
        piece = piece.strip(" ,")
    if not any(ch.isalnum() for ch in piece):
        return
    if pieces and pieces[-1][0] == lang:
        pieces[-1] = (lang, f"{pieces[-1][1]} {piece}")
    else:
        pieces.append((lang, piece))


if __name__ == "__main__":  # the analyser's own process (see _Analyser)
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    _serve()
