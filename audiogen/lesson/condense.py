"""Narration told in whole sentences, condensed to fit the episode.

A sentence longer than a clip should be (a paragraph with no full stop) is cut
at clause boundaries first, so no single clip, and no episode, outgrows
[lesson] max_minutes whatever the punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..korean import run_on_sentences
from ..text import clean_spoken, has_hangul, speakable, split_sentences, spoken_seconds
from .chunks import bounded
from .lines import LINE_GAP

MAX_SPOKEN_CHARS = 240  # one narration clip at most (~30 s of Korean)
MAX_UNIT = 3  # sentences kept together at most


@dataclass(frozen=True)
class Told:
    """One sentence of narration, or a sub-heading, in seed order."""

    paragraph: int
    text: str
    heading: bool = False


_END_PUNCT = tuple(".!?…。:;,")


def is_subheading(paragraph: str) -> bool:
    """A short line without final punctuation (`블랙메일 실험`, `Why it matters`) is
    a heading inside a section, not a sentence of the narration."""
    text = clean_spoken(paragraph).rstrip("\"'”’)]")
    return (speakable(text) and len(text) <= 40 and len(text.split()) <= 8
            and not text.endswith(_END_PUNCT) and not paragraph.strip().startswith(("\"", "“")))


def sentence_items(paragraphs: list[str]) -> list[Told]:
    """Every sentence (cut to at most MAX_SPOKEN_CHARS) and sub-heading, in order."""
    items = []
    for p, paragraph in enumerate(paragraphs):
        if is_subheading(paragraph):
            items.append(Told(p, paragraph.strip(), heading=True))
            continue
        for sentence in split_sentences(paragraph):
            for whole in _unrun(sentence):
                for piece in bounded(whole, MAX_SPOKEN_CHARS):
                    if speakable(clean_spoken(piece)) and not _GREETING.match(piece):
                        items.append(Told(p, piece))
    return items


# a blogger's hello (안녕하세요, 퇴근길 책방입니다.): the blog's name, not the story
_GREETING = re.compile(r"^\s*(?:안녕하세요|안녕하십니까|반갑습니다)(?:[\s,.!~]+|$)(?:[^.!?]{0,30}입니다[.!~]*)?\s*$")


RUN_ON_CHARS = 30  # a sentence this long may be two run together: the analyser looks


def _unrun(sentence: str) -> list[str]:
    """A Korean sentence cut where its verbs end (`korean.run_on_sentences`): the splitter only sees
    punctuation, and a blog post often runs two sentences together without it."""
    text = sentence.strip()
    if len(text) < RUN_ON_CHARS or not has_hangul(text):
        return [sentence]
    return run_on_sentences(text)


# A sentence that opens like this points at the one before it (이를, 이는, 그래서 ...); one that ends
# like this announces the next. Condensing never keeps one without the other.
_LEANS_BACK = re.compile(r"^(?:바로|이는|이를|이것이|이것은|이것을|이게|이러한|이런|이와 같은|이 때문에|이처럼|이렇게|그래서|"
                         r"따라서|즉|그러나|하지만|그런데|또한|게다가|그러므로|그 결과|그렇게|다시 말해|반면|대신|이때|그때|"
                         r"그는|그가|그의|그녀는|그녀가|그녀의|그들은|그들이|이들은|이들이|다음은|"
                         r"반대로|이후|그 후|그 뒤|그러자|결국|덕분에|오히려|마찬가지로|그럼에도|"
                         r"여기서|여기에서|이걸|이건|이것도|특히|그중|그 중|그렇다면|그러면)[\s,]")  # 그는: someone told before
# ...and one that names, inside its paragraph, what the sentence before said by "this": 유도 질문은 이 편향을 더 키웁니다,
# or says it again more closely: «... 가설 말입니다» (I mean the hypothesis that ...)
_POINTS_BACK = re.compile(r"(?:^|\s)(?:이|그|이러한|그러한|이런|그런)\s+[\uac00-\ud7a3]{2,}|\s말(?:입니다|이에요|이죠|이다)[.!]?$"
                          r"|(?:^|\s)(?:이것|그것|이들|그들|이렇게|그렇게|이처럼)(?:은|는|이|가|을|를|의|에|도|과|와)?[\s,]")
# ...or ends by explaining it (-ㄴ 것이다: 해외 시장에 직접 뛰어든 것이다, 일부러 쉬운 목표를 세운 것입니다)
_EXPLAINS = re.compile(r"([\uac00-\ud7a3])\s것(?:이다|입니다|이었다|이었습니다)[.!]?$")
_LEANS_FORWARD = re.compile(r"(?:이것입니다|다음과 같습니다|이렇습니다|때문입니다)[.!]?$|[:：]$"
                            r"|이유는\s*(?:분명|간단|명확|단순)(?:하다|합니다)[.!]?$"  # ...고른 이유는 분명하다
                            # 가장 충격적인 사례는 '블랙메일 실험'입니다: a name the next sentences tell about
                            r"|(?:사례|예|예시|일|장면|이야기|실험|사건)(?:는|은)\s.*['\"‘“「『][^'\"’”」』]+['\"’”」』]"
                            r"(?:입니다|이다|였습니다|이었습니다)[.!]?$"
                            # 이 책의 핵심은 아주 간단한 그림 하나입니다: what the next sentences describe
                            r"|(?:핵심|요점|비결|답)(?:은|는)\s.*(?:하나|한 가지|두 가지|세 가지)(?:입니다|이다)[.!]?$"
                            # 그렇다면 어디서부터 시작해야 할까요?: a question the next sentence answers
                            r"|(?:까요|나요|을까|ㄹ까|는가|습니까)\?$")
_REVEALS = re.compile(r"^바로\s")
_ORDINALS = ("첫째", "둘째", "셋째", "넷째", "다섯째", "여섯째", "일곱째")
_COUNTED = re.compile(r"^(" + "|".join(_ORDINALS) + r")(?:로|는|,|\s)")


def _explains(text: str) -> bool:
    """A sentence that ends «-ㄴ 것이다», saying what the sentence before it amounts to."""
    m = _EXPLAINS.search(text)
    # the adnominal ㄴ of a deed done (뛰어든, 세운, 원했던), not the present 는 (중요한 것은 ... 하는 것입니다)
    return bool(m) and m.group(1) != "는" and (ord(m.group(1)) - 0xAC00) % 28 == 4


def _needs(items: list[Told]) -> list[set[int]]:
    """For each sentence, the sentences it cannot be told without: the one before it when it
    points back (이를 ...), the one after it when it announces it (...다음과 같습니다), and for
    둘째/셋째 the 첫째/둘째 sentence that began the count (the sentence before it when the
    article never said 첫째)."""
    needs: list[set[int]] = [set() for _ in items]
    counted: dict[int, int] = {}  # ordinal -> the sentence that said it
    for i, it in enumerate(items):
        text = it.text.strip()
        m = _COUNTED.match(text)
        if m:
            n = _ORDINALS.index(m.group(1))
            if n:
                needs[i].add(counted.get(n - 1, i - 1) if i else i)
            counted[n] = i
        if i and (_LEANS_BACK.match(text) or _explains(text) and items[i - 1].paragraph == it.paragraph
                  or _POINTS_BACK.search(text) and items[i - 1].paragraph == it.paragraph):
            needs[i].add(i - 1)
            if _REVEALS.match(text) and items[i - 1].paragraph == it.paragraph:
                needs[i - 1].add(i)  # ... 경쟁자가 있습니다. 바로 앤트로픽입니다: the first waits for the name
        if i + 1 < len(items) and _LEANS_FORWARD.search(text):
            needs[i].add(i + 1)
            needs[i + 1].add(i)
    for i, need in enumerate(needs):
        need.discard(i)
        need.discard(-1)
    return needs


def keep(items: list[Told], budget_s: float, keywords: list[str],
         seconds: Callable[[str], float] = spoken_seconds,
         protected: Callable[[str], bool] = lambda text: False) -> set[int]:
    """Which sentences to tell, in order, within `budget_s` seconds of speech.

    When everything does not fit, whole sentences are cut from the end of each paragraph's run,
    the longest run first (every paragraph keeps its opening as long as it can; then whole
    paragraphs go from the last, those using a taught expression last). Cutting a sentence cuts
    every sentence that points at it (`_needs`), so nothing told refers to something untold; a
    sentence that says what a key sentence means (`protected`) is never cut, nor what it needs.
    """
    costs = [seconds(clean_spoken(it.text)) + LINE_GAP for it in items]
    kept = set(range(len(items)))
    if sum(costs) <= budget_s:
        return kept
    needs = _needs(items)
    keyed = [any(k and k in it.text for k in keywords) for it in items]
    fixed = set()
    todo = [i for i, it in enumerate(items) if protected(it.text.strip())]
    while todo:  # the protected sentences and everything they need
        i = todo.pop()
        if i not in fixed:
            fixed.add(i)
            todo += list(needs[i])

    def without(i: int) -> set[int]:
        """`i` and every kept sentence that needs it, directly or not."""
        gone = {i}
        changed = True
        while changed:
            changed = False
            for j in kept:
                if j not in gone and needs[j] & gone:
                    gone.add(j)
                    changed = True
        return gone

    used = sum(costs)
    while used > budget_s:
        runs: dict[int, list[int]] = {}
        for i in sorted(kept):
            runs.setdefault(items[i].paragraph, []).append(i)
        candidates = []
        for paragraph, run in runs.items():
            last = run[-1]
            gone = without(last)
            if gone & fixed:
                continue
            whole = len(run) == 1
            # the longest run first; a paragraph's opening only when every run is down to one;
            # then the last paragraph first, one that uses a taught expression last
            candidates.append((whole, whole and any(keyed[j] for j in run), -len(run) if not whole else 0,
                               -paragraph, gone))
        if not candidates:
            break
        gone = min(candidates, key=lambda c: c[:4])[4]
        kept -= gone
        used -= sum(costs[j] for j in gone)
    return kept


def fit(items: list[Told], budget_s: float, keywords: list[str], room_s: float | None = None,
        seconds: Callable[[str], float] = spoken_seconds,
        protected: Callable[[str], bool] = lambda text: False) -> set[int]:
    """Which items (sentences; headings follow what is kept under them) to tell in `budget_s` (speech
    timed by `seconds`); when not even one sentence fits that, the first sentence still does if the
    episode has `room_s`."""
    sentences = [i for i, it in enumerate(items) if not it.heading]
    told = [items[i] for i in sentences]
    kept = keep(told, budget_s, keywords, seconds, protected)
    if not kept and sentences and room_s is not None:
        # one sentence that needs no other: the one that gives a taught term, or the first
        alone = [k for k, need in enumerate(_needs(told)) if not need and not _LEANS_BACK.match(told[k].text)] or [0]
        # ...told alone, better one that points at nothing, even across paragraphs (그 회의에서, 이른바)
        alone = [k for k in alone if k == 0 or not _POINTS_BACK.search(told[k].text)
                 and not told[k].text.startswith("이른바")] or alone
        one = next((k for k in alone if any(w and w in told[k].text for w in keywords)), alone[0])
        return {sentences[one]} if keep([told[one]], room_s, keywords, seconds) else set()
    return {sentences[k] for k in kept}
