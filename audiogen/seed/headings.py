"""Section headings: numbered (`1.` up to `9999.`, `①`, `Part 2`, `제3장`), in words (첫째, 두 번째),
marked as news sites mark them (`■ 왜 지금인가`, `[현지 파트너와 손잡다]`), and the intro/outro
markers (서론, 마치며, Conclusion).

A numbered list item looks like a heading, so most of the work here is
telling the two apart: a heading is short and not a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_INTRO_WORDS = r"서론|들어가며|들어가는\s*(?:글|말)|머리말|시작하며|프롤로그|introduction|intro|prologue|overview"
_OUTRO_WORDS = (r"결론|마치며|맺음말|맺으며|나가며|나오며|마무리(?:하며)?|에필로그|정리하며|끝으로|"
                r"conclusions?|outro|epilogue|closing thoughts|final thoughts|wrap[- ]up|in closing|summary")
_MARKER = re.compile(
    rf"^(?:\d{{1,4}}\s*[.)]\s*)?(?P<word>{_INTRO_WORDS}|{_OUTRO_WORDS})\s*(?:[:：.\-–—|)]\s*(?P<rest>.*))?$", re.I
)
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ①..⑳
_CIRCLED.update({chr(0x2776 + i): i + 1 for i in range(10)})  # ❶..❿
_CIRCLED.update({chr(0x2780 + i): i + 1 for i in range(10)})  # ➀..➉
_CIRCLED.update({chr(0x278A + i): i + 1 for i in range(10)})  # ➊..➓
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_NUMBERED = [
    re.compile(r"^(?:part|chapter|step|section|lesson|strategy|tip)\s*(?P<n>\d{1,4})\s*(?:[.:)\-–—]\s*|\s+)(?P<h>.*)$", re.I),
    re.compile(r"^제?\s*(?P<n>\d{1,4})\s*(?:장|부|편|단계|강)\s*[.:)\-–—]?\s*(?P<h>.*)$"),
    re.compile(r"^\(?(?P<n>\d{1,4})\s*[.)]\s*(?P<h>\S.*)$"),
    re.compile(r"^\[(?P<n>\d{1,4})\]\s*(?P<h>\S.*)$"),
    re.compile(r"^#\s?(?P<n>\d{1,4})\s*[.:)\-–—]?\s*(?P<h>\S.*)$"),
    re.compile(r"^(?P<c>[\u2460-\u2473\u2776-\u277f\u2780-\u2793])\s*(?P<h>\S.*)$"),
    re.compile(r"^(?P<r>i{1,3}|iv|vi{0,3}|ix|x)\.\s+(?P<h>\S.*)$", re.I),
]
MAX_HEADING = 80


@dataclass
class Heading:
    kind: str  # "section", "intro", "outro"
    number: int | None
    text: str


def marker(line: str) -> Heading | None:
    """`서론: ...`, `마치며`, `Conclusion`... (short lines only)."""
    if len(line) > MAX_HEADING:
        return None
    m = _MARKER.match(line.strip("#*[] ■□▶▷►▸●◆◇▣◼◾◈★☆◎【】〈〉<>"))
    if not m:
        return None
    word = m.group("word")
    kind = "intro" if re.fullmatch(_INTRO_WORDS, word, re.I) else "outro"
    rest = (m.group("rest") or "").strip()
    return Heading(kind, None, rest or word)


def numbered(line: str) -> Heading | None:
    """`1. ...`, `1) ...`, `①`, `Part 1.`, `제1장`... with a heading-like text."""
    if len(line) > MAX_HEADING:
        return None
    for pattern in _NUMBERED:
        m = pattern.match(line)
        if not m:
            continue
        parts = m.groupdict()
        if parts.get("c"):
            number = _CIRCLED[parts["c"]]
        elif parts.get("r"):
            number = _ROMAN[parts["r"].lower()]
        else:
            number = int(parts["n"])
        heading = (parts.get("h") or "").strip()
        if not any(ch.isalnum() for ch in heading) and pattern is not _NUMBERED[0]:
            continue
        if re.match(r"^\(?\d{1,4}[.)]\d", line.strip()):
            continue  # 2025.10.14, 3.5배: a date or a decimal, not heading 2025
        if re.match(r"^\d{4}\.\s\d{1,2}\.\s\d{1,2}\.?(?:\s|$)", line.strip()):
            continue  # 2025. 7. 14. 21:05: a blog's date, not heading 2025
        # a numbered *sentence* is a list item, not a heading
        if heading.endswith((".", "。")) and (len(heading) > 40 or heading.count(". ") >= 1
                                             or re.search(r"[다요죠까][.。]$", heading)):
            continue
        return Heading("section", number, heading)
    return None


_ORDINALS = {"첫": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "넷": 4, "네": 4, "다섯": 5, "여섯": 6,
             "일곱": 7, "여덟": 8, "아홉": 9, "열": 10}
_ORDINAL = re.compile(
    r"^(?P<o>첫|둘|두|셋|세|넷|네|다섯|여섯|일곱|여덟|아홉|열)\s*(?:째|번\s*째)\s*(?:[,.:：)]\s*|\s+)(?P<h>\S.*)$")
MAX_ORDINAL_HEADING = 60


def _ordinal(line: str) -> Heading | None:
    """`첫째, 일관성이 신뢰를 만든다` / `두 번째: ...`: a numbered heading in words, when
    the line is short and not a sentence (`둘째, 그들은 ... 가졌습니다.` is narration)."""
    if len(line) > MAX_ORDINAL_HEADING or line.rstrip().endswith((".", "。")):
        return None
    m = _ORDINAL.match(line)
    if not m:
        return None
    heading = m.group("h").strip()
    labelled = re.match(r"^\S{1,6}\s*[:：]\s*(?P<h>\S.*)$", heading)  # `첫 번째 원칙: 일관성`
    return Heading("section", _ORDINALS[m.group("o")], labelled.group("h") if labelled else heading)


def ordinal_headings(lines: list[str]) -> dict[int, Heading]:
    """Where an article uses 첫째/둘째... as its section heads: each such line is followed by
    a paragraph, and they count up from one, at least two of them."""
    found: dict[int, Heading] = {}
    expect = 1
    for i, line in enumerate(lines):
        h = _ordinal(line) if line else None
        if h is None or h.number != expect:
            continue
        nxt = next((x for x in lines[i + 1:] if x), "")
        if not nxt or _ordinal(nxt) or numbered(nxt) or marker(nxt):
            continue
        found[i] = h
        expect += 1
    return found if len(found) >= 2 else {}


# a news site's section head: a symbol before it, or brackets around it (▲ is a photo caption, ※ a note)
_SYMBOL = re.compile(r"^[■□▶▷►▸●◆◇▣◼◾◈★☆◎]\s*(?P<h>\S.*)$")
_BRACKETED = re.compile(r"^(?:\[(?P<h>[^\[\]]+)\]|【(?P<h2>[^【】]+)】|〈(?P<h3>[^〈〉]+)〉|<(?P<h4>[^<>]+)>)$")
MAX_SYMBOL_HEADING = 60


def _symbol(line: str) -> Heading | None:
    """`■ 규제 샌드박스로 먼저 검증`, `[현지 파트너와 손잡다]`: a heading when short and not a sentence."""
    line = line.strip()
    m = _SYMBOL.match(line) or _BRACKETED.match(line)
    if not m or len(line) > MAX_SYMBOL_HEADING:
        return None
    text = next(g for g in m.groupdict().values() if g).strip()
    if not re.search(r"[^\W\d_]", text) or re.search(r"[다요죠까][.。]$", text):
        return None
    return Heading("section", None, text)


def symbol_headings(lines: list[str]) -> dict[int, Heading]:
    """Where an article marks its sections with a symbol or brackets: each such line is followed
    by a paragraph, at least two of them (one `[단독]` or `■ 관련 기사` line is not a plan)."""
    found: dict[int, Heading] = {}
    for i, line in enumerate(lines):
        h = _symbol(line) if line else None
        if h is None:
            continue
        nxt = next((x for x in lines[i + 1:] if x), "")
        if nxt and not _symbol(nxt) and not numbered(nxt) and not marker(nxt):
            found[i] = h
    return found if len(found) >= 2 else {}


# an interview's questions: `Q. 싱가포르로 옮긴 이유가 궁금합니다.` (its answer opens `A. ...`)
_QUESTION = re.compile(r"^Q\d{0,2}\s*[.:：)]\s*(?P<h>\S.{0,118})$")
ANSWER_LABEL = re.compile(r"^A\d{0,2}\s*[.:：)]\s*(?=\S)")


def question_headings(lines: list[str]) -> dict[int, Heading]:
    """Where an article is an interview of `Q.` lines, each answered under it: every question is a
    section (a sentence, and still the heading its answer is about), at least two of them."""
    found: dict[int, Heading] = {}
    for i, line in enumerate(lines):
        m = _QUESTION.match(line.strip()) if line else None
        nxt = next((x for x in lines[i + 1:] if x), "")
        if m and nxt and not _QUESTION.match(nxt.strip()):
            found[i] = Heading("section", None, m.group("h").strip())
    return found if len(found) >= 2 else {}
