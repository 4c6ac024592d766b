"""Read a seed (a blog article as .txt, or our own Markdown) into a Lesson.

Seeds come from copy-pasted web pages, so the reader's job is mostly to
know what to throw away (skip links, ad markers, category lines, share and
comment footers) and to recognise the few things a lesson is made of:
section headings, English key sentences in quotes, and English terms in
parentheses after the Korean words they gloss. Pure: no audio, no network.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import AudiogenError
from .model import Lesson, Quote, Section, Term
from .text import has_hangul, is_english, latin_words, short_hash, slugify, split_sentences

SEED_SUFFIXES = (".txt", ".md", ".markdown")
# Documentation that may live in a seeds folder without being a seed.
NOT_SEEDS = {"readme.md", "format.md", "readme.txt", "license.txt", "changelog.md"}
# Documents a user may well drop into the seeds folder, which we cannot read.
UNSUPPORTED_SUFFIXES = (".docx", ".doc", ".pdf", ".hwp", ".hwpx", ".rtf", ".odt", ".pages", ".html", ".htm")


# --- finding and loading files ----------------------------------------------


def find(paths: list[Path]) -> list[Path]:
    """Seed files named by `paths`: a file as is, a folder's *.txt/*.md sorted by name."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            _check_suffix(path)
            found.append(path)
        elif path.is_dir():
            seeds = sorted(
                (p for p in path.iterdir()
                 if p.is_file() and p.suffix.lower() in SEED_SUFFIXES
                 and p.name.lower() not in NOT_SEEDS and not p.name.startswith((".", "_"))),
                key=lambda p: p.name,
            )
            if not seeds:
                skipped = unsupported([path])
                hint = f"; {skipped[0].name} is not a supported seed type: save it as .txt or .md" if skipped else ""
                raise AudiogenError(f"{path}: no seeds here (expected *.txt or *.md files){hint}")
            found.extend(seeds)
        else:
            raise AudiogenError(f"{path}: no such seed file or folder")
    return found


def unsupported(paths: list[Path]) -> list[Path]:
    """Documents in the folders among `paths` that `find` skips (.docx, .pdf, .hwp...),
    sorted by name, so the caller can warn that they were not read."""
    skipped: list[Path] = []
    for path in paths:
        if path.is_dir():
            skipped += sorted((p for p in path.iterdir()
                               if p.is_file() and p.suffix.lower() in UNSUPPORTED_SUFFIXES
                               and not p.name.startswith((".", "_", "~$"))), key=lambda p: p.name)
    return skipped


def _check_suffix(path: Path) -> None:
    if path.suffix.lower() in UNSUPPORTED_SUFFIXES:
        raise AudiogenError(f"{path}: not a supported seed type ({path.suffix.lower()}); save it as .txt or .md")


def read(path: Path, max_bytes: int = 2_000_000) -> Lesson:
    """Read one seed file into a Lesson; any problem is an AudiogenError naming the file."""
    _check_suffix(path)
    data = _load_bytes(path, max_bytes)
    text = _decode(data, path)
    if path.suffix.lower() in (".md", ".markdown"):
        lesson = _parse_markdown(text, path)
    else:
        lesson = _parse_text(text, path)
    lesson.digest = hashlib.sha256(data).hexdigest()
    _drop_unreadable(lesson)
    if not any(s.paragraphs or s.quotes or s.terms for s in lesson.sections):
        raise AudiogenError(f"{path}: no lesson text found (only a title or page noise)")
    return lesson


def _drop_unreadable(lesson: Lesson) -> None:
    """Leave out the sections that hold broken bytes, saying which."""
    kept = []
    for section in lesson.sections:
        texts = [section.heading, *section.paragraphs, *section.notes,
                 *(q.english + (q.korean or "") for q in section.quotes),
                 *(t.english + t.korean for t in section.terms)]
        if any(UNREADABLE in t for t in texts):
            name = f"section {section.key}" if section.kind == "section" else f"the {section.kind}"
            lesson.problems.append(f"{name} ({section.heading[:40].replace(UNREADABLE, '?')!r}) "
                                   "holds bytes that are not UTF-8 text; left out")
        else:
            kept.append(section)
    lesson.sections = kept
    if UNREADABLE in lesson.title:
        lesson.title = lesson.title.replace(UNREADABLE, "").strip() or lesson.source.stem


def _load_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        if not path.exists():
            raise AudiogenError(f"{path}: no such seed file")
        if not path.is_file():
            raise AudiogenError(f"{path}: not a file")
        size = path.stat().st_size
        if size > max_bytes:
            raise AudiogenError(f"{path}: too large ({size:,} bytes; the limit is {max_bytes:,} bytes)")
        data = path.read_bytes()
    except OSError as e:
        raise AudiogenError(f"{path}: cannot read the seed: {e.strerror or e}") from None
    if len(data) > max_bytes:
        raise AudiogenError(f"{path}: too large (the limit is {max_bytes:,} bytes)")
    return data


# A UTF-8 file with a few broken bytes (a damaged copy, a bad paste) is read; the sections
# holding them are left out and reported. More than this share of broken characters means
# the file is in another encoding, or not text at all.
DAMAGE_LIMIT = 0.02
UNREADABLE = "\ufffd"


def _decode(data: bytes, path: Path) -> str:
    """UTF-8 (a BOM is fine) or UTF-16 with a BOM; anything else is explained."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise AudiogenError(f"{path}: starts like UTF-16 but does not decode; save it as UTF-8") from None
    else:
        if data.count(b"\x00") > len(data) * DAMAGE_LIMIT:
            raise AudiogenError(f"{path}: looks like a binary file, not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("utf-8-sig", errors="replace")
            if text.count(UNREADABLE) > len(text) * DAMAGE_LIMIT:  # not a damaged spot: another encoding
                try:
                    guess = data.decode("cp949")
                except UnicodeDecodeError:
                    guess = ""
                if has_hangul(guess):
                    raise AudiogenError(f"{path}: not UTF-8; it looks like CP949/EUC-KR: save it as UTF-8") from None
                raise AudiogenError(f"{path}: not UTF-8 text; save it as UTF-8") from None
        text = text.replace("\x00", UNREADABLE)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise AudiogenError(f"{path}: the seed is empty")
    if "\x00" in text:
        raise AudiogenError(f"{path}: looks like a binary file, not text")
    return text


# --- recognising lines --------------------------------------------------------

_AD_SIZES = r"(?:728x90|320x100|300x250|336x280|970x90|970x250|160x600|300x600|468x60|250x250|320x50|728 x 90)"
_AD_TAIL = re.compile(rf"(?:\s*\b{_AD_SIZES}\b|(?<=[.!?])\s*반응형)+\s*$", re.I)
_AD_HEAD = re.compile(rf"^\s*(?:{_AD_SIZES}\b\s*)+", re.I)

_NOISE = re.compile(
    r"^(?:본문\s*(?:으로)?\s*바로\s*가기|메뉴\s*바로\s*가기|skip to (?:main )?content|skip navigation|"
    r"반응형|광고|advertisement|sponsored|카테고리 없음|분류 전체보기|전체\s*보기|목차|table of contents|"
    r"top|맨\s*위로|home|홈|검색|search|menu|메뉴|로그인|log ?in|닫기|더\s*보기|접기|펼치기|"
    r"티스토리\s*툴바|이\s*글\s*공유하기|글씨\s*크기|인쇄하기|print|scrap|스크랩|"
    r"\d+\s*(?:views?|조회(?:수)?)|조회수?\s*\d+|읽는 데 \d+분)$",
    re.I,
)
_FOOTER = re.compile(
    r"^(?:공유(?:하기)?|게시글\s*관리|구독하기.*|저작자\s*표시.*|관련\s*글.*|댓글.{0,20}|태그.{0,60}|"
    r"tags?\s*:.*|copyright\b.*|ⓒ.*|©.*|all rights reserved.*|share(?: this(?: post| article)?)?|"
    r"like this|subscribe.*|comments?\s*\d*|leave a (?:comment|reply).*|related(?: posts| articles| stories)?|"
    r"이전\s*글.*|다음\s*글.*|좋아요\s*\d*|공감\s*\d*|신고(?:하기)?|posted in .*|filed under .*|"
    r"라이킷\s*\d*|작가의\s*(?:이전|다음)\s*글|브런치는 .*최적화.*|이\s*블로그\s*인기\s*글.*|"
    r"'[^']{1,30}'\s*카테고리의\s*다른\s*글)\s*[:：]?$",
    re.I,
)
# Page chrome that only shows up around the title: platform names, menu and
# share buttons. Never a title candidate; never spoken.
_HEADER_NOISE = re.compile(
    r"^(?:brunch(?:story)?|브런치(?:스토리)?|네이버\s*블로그|naver\s*blog|블로그|blog|tistory|티스토리|velog|"
    r"medium|wordpress|본문\s*기타\s*기능|(?:서로\s*)?이웃\s*추가|url\s*복사|공감(?:\s*\d+)?|구독(?:하기)?|"
    r"구독자\s*\d*|댓글(?:\s*\d+)?|신고(?:하기)?|태그|저작자\s*표시|비영리|변경\s*금지|카테고리.{0,20}|"
    r"posted by|공유(?:하기)?|share|facebook|twitter|x|kakao(?:talk)?|카카오(?:톡|스토리)?(?:\s*공유)?|"
    r"페이스북|트위터|밴드|번역(?:하기)?|프로필|팔로우|follow(?:ing)?|글쓰기|관리|통계|방명록|guestbook|"
    r"이전|다음|목록|전체\s*글|posts?|about|rss|좋아요(?:\s*\d+)?|라이킷(?:\s*\d+)?)\s*[:：]?$",
    re.I,
)
_SEPARATOR = re.compile(r"^[\s\-–—_=*~·•.#<>|/\\]{2,}$|^[\-–—_=*~·•]$")
_CATEGORY = re.compile(
    r"^[^\s:：>]{1,12}(?:\s[^\s:：>]{1,12})?\s*[:：>›»]\s*"
    r"[^,:：>›»]{1,24}(?:\s*[,>›»/·]\s*[^,:：>›»]{1,24})+$"
)

_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_DATE_PATTERNS = [
    re.compile(r"(?P<y>\d{4})\s*[.\-/]\s*(?P<m>\d{1,2})\s*[.\-/]\s*(?P<d>\d{1,2})\b\.?"),
    re.compile(r"(?P<y>\d{4})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"),
    re.compile(r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?[.,]?\s+(?P<y>\d{4})"),
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})"),
]
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm|AM|PM)?")
_DATE_LABEL = re.compile(
    r"^(?:작성일(?:자|시)?|게시일|발행일|등록일|수정일|업데이트|날짜|date|published(?: on)?|posted(?: on)?|updated(?: on)?)\s*[:：]?\s*",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:by|written by|posted by|글쓴이|작성자|글|저자|author)\s*[:：]?\s+(?P<rest>.+)$|^(?P<rest2>.+?)\s*(?:씀|지음)$",
    re.I,
)


def parse_date(text: str) -> tuple[dt.date | None, str]:
    """The first valid date in `text` and the text with it removed."""
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            parts = m.groupdict()
            try:
                month = int(parts["m"]) if parts.get("m") else _MONTHS[parts["mon"][:3].lower()]
                date = dt.date(int(parts["y"]), month, int(parts["d"]))
            except (KeyError, ValueError, OverflowError):
                continue
            return date, (text[:m.start()] + " " + text[m.end():]).strip()
    return None, text


_BYLINE_SEPARATORS = r"[\s.,|·・•/\-()]+"


def _date_line(line: str) -> dt.date | None:
    """A line that is only a date (maybe labelled, maybe with a time)."""
    rest = _DATE_LABEL.sub("", line)
    date, rest = parse_date(rest)
    if date and not re.sub(_BYLINE_SEPARATORS, "", _TIME.sub("", rest)):
        return date
    return None


def _byline(line: str) -> tuple[str, dt.date | None] | None:
    """`by Heedong-Kim 2026. 1. 13.` -> ("Heedong-Kim", date); also `Posted by 박지훈
    2025. 11. 3. 14:22`, `by 이도윤 Mar 12. 2025` and Naver's `김서연 ・ 2025. 3. 4. 9:05`."""
    if len(line) > 80:
        return None
    m = _BYLINE.match(line)
    if m:
        date, name = parse_date(m.group("rest") or m.group("rest2") or "")
    else:
        # a bare name, then a separator or a time beside the date: `김서연 ・ 2025. 3. 4. 9:05`
        bare = re.match(r"^(?P<name>[^\d·・•|]{1,20}?)\s*[·・•|]\s*(?P<rest>\S.*)$", line)
        if not bare:
            return None
        date, rest = parse_date(bare.group("rest"))
        if date is None or re.sub(_BYLINE_SEPARATORS, "", _TIME.sub("", rest)):
            return None
        name = bare.group("name")
    name = re.sub(_BYLINE_SEPARATORS + "$", "", _TIME.sub("", name)).strip(" ·・•|,-")
    if not name or len(name) > 40 or len(name.split()) > 4 or not any(ch.isalpha() for ch in name):
        return None
    if not m and (_HEADER_NOISE.match(name) or re.search(r"[.!?:：]", name)):
        return None
    return name, date


def _clean_line(line: str) -> str:
    line = line.replace("\u00a0", " ").replace("\u3000", " ")
    line = re.sub(r"[\u200b\u200c\u200e\u200f\u2060\ufeff]", "", line)
    line = line.strip()
    while True:  # ad markers glued to the end; only the tail is searched, so long lines stay cheap
        tail = _AD_TAIL.sub("", line[-60:])
        if tail == line[-60:]:
            break
        line = (line[:-60] + tail).rstrip()
    line = _AD_HEAD.sub("", line)
    return line.strip()


def _is_noise(line: str) -> bool:
    return bool(_NOISE.match(line)) or bool(_SEPARATOR.match(line)) or not any(ch.isalnum() for ch in line)


# --- headings -------------------------------------------------------------------

_INTRO_WORDS = r"서론|들어가며|들어가는\s*(?:글|말)|머리말|시작하며|프롤로그|introduction|intro|prologue|overview"
_OUTRO_WORDS = (r"결론|마치며|맺음말|맺으며|나가며|나오며|마무리(?:하며)?|에필로그|정리하며|끝으로|"
                r"conclusions?|outro|epilogue|closing thoughts|final thoughts|wrap[- ]up|in closing|summary")
_MARKER = re.compile(
    rf"^(?:\d{{1,2}}\s*[.)]\s*)?(?P<word>{_INTRO_WORDS}|{_OUTRO_WORDS})\s*(?:[:：.\-–—|)]\s*(?P<rest>.*))?$", re.I
)
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ①..⑳
_CIRCLED.update({chr(0x2776 + i): i + 1 for i in range(10)})  # ❶..❿
_CIRCLED.update({chr(0x2780 + i): i + 1 for i in range(10)})  # ➀..➉
_CIRCLED.update({chr(0x278A + i): i + 1 for i in range(10)})  # ➊..➓
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_NUMBERED = [
    re.compile(r"^(?:part|chapter|step|section|lesson|strategy|tip)\s*(?P<n>\d{1,2})\s*(?:[.:)\-–—]\s*|\s+)(?P<h>.*)$", re.I),
    re.compile(r"^제?\s*(?P<n>\d{1,2})\s*(?:장|부|편|단계|강)\s*[.:)\-–—]?\s*(?P<h>.*)$"),
    re.compile(r"^\(?(?P<n>\d{1,2})\s*[.)]\s*(?P<h>\S.*)$"),
    re.compile(r"^\[(?P<n>\d{1,2})\]\s*(?P<h>\S.*)$"),
    re.compile(r"^#\s?(?P<n>\d{1,2})\s*[.:)\-–—]?\s*(?P<h>\S.*)$"),
    re.compile(r"^(?P<c>[\u2460-\u2473\u2776-\u277f\u2780-\u2793])\s*(?P<h>\S.*)$"),
    re.compile(r"^(?P<r>i{1,3}|iv|vi{0,3}|ix|x)\.\s+(?P<h>\S.*)$", re.I),
]
MAX_HEADING = 80


@dataclass
class _Heading:
    kind: str  # "section", "intro", "outro"
    number: int | None
    text: str


def _marker(line: str) -> _Heading | None:
    """`서론: ...`, `마치며`, `Conclusion`... (short lines only)."""
    if len(line) > MAX_HEADING:
        return None
    m = _MARKER.match(line.strip("#*[] "))
    if not m:
        return None
    word = m.group("word")
    kind = "intro" if re.fullmatch(_INTRO_WORDS, word, re.I) else "outro"
    rest = (m.group("rest") or "").strip()
    return _Heading(kind, None, rest or word)


def _numbered(line: str) -> _Heading | None:
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
        # a numbered *sentence* is a list item, not a heading
        if heading.endswith((".", "。")) and (len(heading) > 40 or heading.count(". ") >= 1
                                             or re.search(r"[다요죠까][.。]$", heading)):
            continue
        return _Heading("section", number, heading)
    return None


_ORDINALS = {"첫": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "넷": 4, "네": 4, "다섯": 5, "여섯": 6,
             "일곱": 7, "여덟": 8, "아홉": 9, "열": 10}
_ORDINAL = re.compile(
    r"^(?P<o>첫|둘|두|셋|세|넷|네|다섯|여섯|일곱|여덟|아홉|열)\s*(?:째|번\s*째)\s*(?:[,.:：)]\s*|\s+)(?P<h>\S.*)$")
MAX_ORDINAL_HEADING = 60


def _ordinal(line: str) -> _Heading | None:
    """`첫째, 일관성이 신뢰를 만든다` / `두 번째: ...`: a numbered heading in words, when
    the line is short and not a sentence (`둘째, 그들은 ... 가졌습니다.` is narration)."""
    if len(line) > MAX_ORDINAL_HEADING or line.rstrip().endswith((".", "。")):
        return None
    m = _ORDINAL.match(line)
    if not m:
        return None
    heading = m.group("h").strip()
    labelled = re.match(r"^\S{1,6}\s*[:：]\s*(?P<h>\S.*)$", heading)  # `첫 번째 원칙: 일관성`
    return _Heading("section", _ORDINALS[m.group("o")], labelled.group("h") if labelled else heading)


def _ordinal_headings(lines: list[str]) -> dict[int, _Heading]:
    """Where an article uses 첫째/둘째... as its section heads: each such line is followed by
    a paragraph, and they count up from one, at least two of them."""
    found: dict[int, _Heading] = {}
    expect = 1
    for i, line in enumerate(lines):
        h = _ordinal(line) if line else None
        if h is None or h.number != expect:
            continue
        nxt = next((x for x in lines[i + 1:] if x), "")
        if not nxt or _ordinal(nxt) or _numbered(nxt) or _marker(nxt):
            continue
        found[i] = h
        expect += 1
    return found if len(found) >= 2 else {}


# --- terms and quotes -------------------------------------------------------------

_PAREN = re.compile(r"\(([^()\n]{1,160})\)")
_OPEN_QUOTES = "\"'“‘「『"
_CLOSE_QUOTES = "\"'”’」』"
_INLINE_QUOTE = re.compile(r"\"([^\"\n]{3,400})\"|“([^”\n]{3,400})”")
_QUOTE_LINE = re.compile(r"^[\"“](?P<q>[^\"“”]+?)[\"”]\s*(?:(?:[—–\-:=→]+|\()\s*(?P<g>.*?)\)?)?$")
MAX_TERM_WORDS = 12
MAX_PER_SECTION = 200  # terms or quotes: more is not a lesson, and keeps de-duplication cheap


def _term_english(text: str) -> bool:
    t = text.strip()
    return (is_english(t) and len(t.split()) <= MAX_TERM_WORDS and not re.search(r"https?:|www\.|@", t)
            and sum(ch.isalpha() for ch in t) >= 2 and not _date_line(t))


def extract_terms(text: str) -> list[Term]:
    """English terms in parentheses after the Korean words they gloss."""
    terms: list[Term] = []
    for m in _PAREN.finditer(text):
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
                korean = _glossed_words(before, inside)
            korean = korean.strip(" ,.:;'\"“”‘’")
            if has_hangul(korean):
                terms.append(Term(english=_squash(inside), korean=_squash(korean)))
        elif has_hangul(inside) and not latin_words(inside) and len(inside) <= 30:
            # the reverse form: `AI(인공지능)`
            word = re.search(r"[A-Za-z][A-Za-z\-]*$", before)
            if word and len(word.group()) >= 2:
                terms.append(Term(english=word.group(), korean=_squash(inside)))
    return terms


_PHRASAL_PARTICLES = {"in", "on", "up", "out", "off", "down", "over", "away", "back", "through", "around", "about"}
MAX_GLOSSED_WORDS = 4
# nouns that need the clause before them to mean anything: 확인하는 것, 요약하는 능력
_BOUND_NOUNS = {"것", "거", "수", "점", "법", "방법", "능력", "방식", "과정", "경우", "일", "때", "힘",
                "자세", "태도", "습관", "기술", "부분"}
# bare-looking words that are never part of the glossed noun phrase
_NOT_IN_PHRASE = {"그래서", "그리고", "하지만", "그러나", "그런데", "또한", "특히", "결국", "따라서", "게다가", "바로",
                  "먼저", "이제", "오늘", "요즘", "매일", "항상", "다시", "가장", "아주", "매우", "정말", "가지", "이것",
                  "그것", "우리", "여기", "거기", "지금", "처음", "이번", "다음", "모두", "여러", "다른"}
_DETERMINERS = {"첫", "새", "큰", "작은", "모든", "옛", "각"}  # 첫 성공 경험(aha moment)
_CLAUSE_ADVERBS = {"바로", "먼저", "빨리", "다시", "잘", "더", "미리", "함께", "직접", "꼭", "항상", "자주", "계속"}


def _glossed_words(before: str, english: str) -> str:
    """The Korean words an English term in parentheses glosses.

    The word right before the parenthesis, widened to the bare nouns before
    it when the English is a noun phrase: `현지 연락처(emergency contact)`,
    `가치 기반 가격 책정(value-based pricing)`, `대중적 인기(hype)`; but a verb
    form stays alone (`설계 단계부터 내재되어야(engineered in)` -> 내재되어야) and
    a clause is never swallowed: the widening stops at a particle, a verb ending
    or a conjunction (`그래서 이탈률` -> 이탈률). A bound noun takes its modifying
    clause with it: `회의 중에 바로 확인하는 것(clarifying question)` -> 바로 확인하는 것.
    """
    m = re.search(r"[^\s\"'“”‘’(\[{<「『]+$", before)
    if not m:
        return ""
    words = [m.group()]
    rest = before[:m.start()]
    clause = _clause_before(rest) if words[0] in _BOUND_NOUNS else []
    if clause:
        return " ".join(clause + words)
    if english.split()[-1].lower() in _PHRASAL_PARTICLES or not _is_bare_noun(words[0]):
        return words[0]
    en_words = english.replace("-", " ").split()
    # a multi-word term may take one Korean word more than it has (가격 책정 = pricing)
    wanted = min(len(en_words) + (len(en_words) > 1), MAX_GLOSSED_WORDS) - 1
    while len(words) < MAX_GLOSSED_WORDS:
        prev = re.search(r"(?:^|\s)([\uac00-\ud7a3]{2,})\s+$", rest)
        if not prev or not _is_bare_noun(prev.group(1)) or prev.group(1) in _NOT_IN_PHRASE:
            break
        # a one-word English term takes only an adjectival noun before it: 대중적 인기(hype)
        if len(words) > wanted and not prev.group(1).endswith("적"):
            break
        words.insert(0, prev.group(1))
        rest = rest[:prev.start(1)]
    modifier = re.search(r"(?:^|\s)([\uac00-\ud7a3]{1,6})\s+$", rest)
    if modifier and len(words) < MAX_GLOSSED_WORDS and (
            modifier.group(1) in _DETERMINERS or re.fullmatch(r"[\uac00-\ud7a3]+[과와]의", modifier.group(1))):
        words.insert(0, modifier.group(1))  # 첫 성공 경험, 고객과의 약속
    return " ".join(words)


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
    return word in _CLAUSE_ADVERBS or bool(re.fullmatch(r"[\uac00-\ud7a3]{1,3}(?:게|히)", word))


def _final(syllable: str) -> int:
    """The final consonant (jongseong) index of a Hangul syllable; 0 when it ends in a vowel."""
    code = ord(syllable) - 0xAC00
    return code % 28 if 0 <= code < 11172 else 0


_RIEUL = 8  # jongseong index of ㄹ
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
    if word.endswith(_VERB_TAILS):
        return False
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


def extract_inline_quotes(text: str) -> list[Quote]:
    """English sentences quoted inside a (Korean) paragraph."""
    quotes = []
    for m in _INLINE_QUOTE.finditer(text):
        q = (m.group(1) or m.group(2) or "").strip()
        if is_english(q, min_words=3) and has_hangul(text):
            quotes.append(Quote(english=_squash(q)))
    return quotes


def _quote_line(line: str) -> Quote | None:
    """A line that is one quoted English sentence, maybe with a Korean gloss."""
    m = _QUOTE_LINE.match(line)
    if not m:
        return None
    english = m.group("q").strip()
    if not is_english(english, min_words=2):
        return None
    gloss = (m.group("g") or "").strip().strip("\"“”")
    return Quote(english=_squash(english), korean=_squash(gloss) if has_hangul(gloss) else None)


_GLOSS_LINE = re.compile(r"^(?:→|=>|->|번역\s*[:：]|해석\s*[:：]|뜻\s*[:：]|\(|\[)\s*(?P<g>.+?)[)\]]?$")


def _gloss_line(line: str) -> str | None:
    m = _GLOSS_LINE.match(line)
    if m and has_hangul(m.group("g")) and not is_english(m.group("g")):
        return _squash(m.group("g").strip("\"“”"))
    return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- building sections ----------------------------------------------------------


@dataclass
class _Builder:
    """Collects blocks into sections as the parser walks the seed."""

    title: str
    sections: list[Section] = field(default_factory=list)
    current: Section | None = None

    def heading(self, h: _Heading) -> None:
        if h.kind == "section":
            key = str(h.number) if h.number is not None else str(self._count() + 1)
            while any(s.key == key for s in self.sections):
                key = str(int(key) + 1) if key.isdigit() else key + "-2"
        else:
            key = h.kind
            if any(s.key == key for s in self.sections):
                # a second 결론 / 서론: keep reading into the one we have
                self.current = next(s for s in self.sections if s.key == key)
                return
        self.current = Section(key=key, kind=h.kind, heading=h.text)
        self.sections.append(self.current)

    def _count(self) -> int:
        return sum(s.kind == "section" for s in self.sections)

    def _target(self) -> Section:
        if self.current is None:
            self.current = Section(key="intro", kind="intro", heading="들어가며")
            self.sections.append(self.current)
        return self.current

    def paragraph(self, text: str) -> None:
        text = _squash(text)
        if not any(ch.isalnum() for ch in text):
            return
        section = self._target()
        section.paragraphs.append(text)
        for term in extract_terms(text):
            self.term(term)
        for quote in extract_inline_quotes(text):
            self.quote(quote)

    def quote(self, quote: Quote) -> None:
        section = self._target()
        if len(section.quotes) < MAX_PER_SECTION and not any(q.english.lower() == quote.english.lower() for q in section.quotes):
            section.quotes.append(quote)

    def gloss(self, korean: str) -> bool:
        section = self._target()
        if section.quotes and section.quotes[-1].korean is None:
            last = section.quotes[-1]
            section.quotes[-1] = Quote(english=last.english, korean=korean)
            return True
        return False

    def term(self, term: Term) -> None:
        section = self._target()
        if len(section.terms) >= MAX_PER_SECTION:
            return
        for i, t in enumerate(section.terms):
            if t.english.lower() == term.english.lower():
                if not t.korean and term.korean:
                    section.terms[i] = term
                return
        section.terms.append(term)

    def note(self, text: str) -> None:
        self._target().notes.append(_squash(text))

    def finish(self) -> list[Section]:
        sections = [s for s in self.sections if s.paragraphs or s.quotes or s.terms or s.notes]
        if not any(s.kind == "section" for s in sections):
            # no numbered sections: the whole article is one lesson
            merged = Section(key="1", kind="section", heading=self.title)
            for s in sections:
                merged.paragraphs += s.paragraphs
                merged.notes += s.notes
                for q in s.quotes:
                    if q not in merged.quotes:
                        merged.quotes.append(q)
                for t in s.terms:
                    if all(t.english.lower() != x.english.lower() for x in merged.terms):
                        merged.terms.append(t)
            return [merged]
        order = {"intro": 0, "section": 1, "outro": 2}
        return sorted(sections, key=lambda s: order[s.kind])  # stable: sections keep their order


def seed_id_for(stem: str) -> str:
    """ASCII slug of the file stem; a stem with non-ASCII letters gets `seed-<hash>`."""
    stem = unicodedata.normalize("NFC", stem)
    slug = slugify(stem)
    if not slug or not stem.isascii():
        return "seed-" + short_hash(stem)
    return slug


def _title_from_stem(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip() or "Untitled"


# --- plain-text articles -----------------------------------------------------------


def _parse_text(text: str, path: Path) -> Lesson:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    raw = [_clean_line(line) for line in text.split("\n")]
    lines, body_started = [], False
    for line in raw:
        if not line or _is_noise(line):
            lines.append("")
            continue
        if len(line) <= 80 and _FOOTER.match(line):
            if body_started:
                break  # the blog's share/comment/copyright chrome: the article is over
            lines.append("")
            continue
        lines.append(line)
        if len(line) > 60 or _numbered(line) or _marker(line):
            body_started = True

    lesson = Lesson(seed_id=seed_id_for(path.stem), source=path, title="")
    ordinals = _ordinal_headings(lines)
    i = _read_header(lines, lesson, path, ordinals)
    builder = _Builder(title=lesson.title)
    body = lines[i:]
    strict = any(_numbered(line) and _blank_around(body, j) for j, line in enumerate(body))
    last_number = 0
    j = 0
    while j < len(body):
        line = body[j]
        j += 1
        if not line:
            continue
        marker = _marker(line)
        numbered = None if marker else _numbered(line)
        ordinal = ordinals.get(i + j - 1)
        if marker:
            builder.heading(marker)
            continue
        if ordinal and last_number < ordinal.number <= last_number + 3:
            last_number = ordinal.number
            builder.heading(ordinal)
            continue
        if numbered and numbered.number > last_number and numbered.number <= last_number + 3 \
                and (not strict or _blank_around(body, j - 1)):
            last_number = numbered.number
            builder.heading(numbered)
            continue
        if lesson.date is None and _date_line(line):
            lesson.date = _date_line(line)
            continue
        quote = _quote_line(line)
        if quote:
            builder.quote(quote)
            continue
        gloss = _gloss_line(line)
        if gloss and builder.current and builder.current.quotes and _previous_was_quote(body, j - 1):
            if builder.gloss(gloss):
                continue
        if j >= 2 and body[j - 2] and _quote_line(body[j - 2]) and _translation_line(line):
            if builder.gloss(_squash(line)):  # a Korean line right under the quote is its translation
                continue
        if line.strip() == lesson.title:
            continue
        builder.paragraph(line)
    lesson.sections = builder.finish()
    return lesson


_COMMENTARY = re.compile(r"^(?:이|그|위|앞|이런|이러한)\s*(?:문장|표현|말)|^(?:여기서|이렇게|이처럼|즉|예를 들어|참고로)")


def _translation_line(line: str) -> bool:
    """Short Korean text, at most two sentences, that does not talk *about* the quote."""
    return (has_hangul(line) and len(line) <= 150 and len(split_sentences(line)) <= 2
            and not _INLINE_QUOTE.search(line) and not _PAREN.search(line) and not _COMMENTARY.match(line))


def _previous_was_quote(lines: list[str], j: int) -> bool:
    k = j - 1
    while k >= 0 and not lines[k]:
        k -= 1
    return k >= 0 and _quote_line(lines[k]) is not None


def _blank_around(lines: list[str], j: int) -> bool:
    """A heading stands alone: blank (or noise) lines before and after it."""
    before = j == 0 or not lines[j - 1]
    after = j + 1 >= len(lines) or not lines[j + 1]
    return before and after


MAX_HEADER_LINES = 10  # non-blank lines a page puts above the article, at most
MAX_TITLE = 120


def _read_header(lines: list[str], lesson: Lesson, path: Path, ordinals: dict[int, _Heading]) -> int:
    """Title, author and date from the top of the page; returns where the body starts.

    The header is every line above the first heading or paragraph. In it,
    bylines and dates are read, menu and platform words are dropped, and the
    title is the most title-like line left: the longest, and above all the one
    right above the byline; the short lines above it are the blog's category
    or breadcrumbs. Nothing in the header is narrated.
    """
    end = _header_end(lines, ordinals)
    anchors: list[int] = []  # bylines and dates
    candidates: list[int] = []
    for i in range(end):
        line = lines[i]
        if not line:
            continue
        by = _byline(line)
        date = by[1] if by else _date_line(line)
        if by or date:
            if by and lesson.author is None:
                lesson.author = by[0]
            lesson.date = lesson.date or date
            anchors.append(i)
        elif not _HEADER_NOISE.match(line) and len(line) <= MAX_TITLE and _quote_line(line) is None \
                and sum(ch.isalnum() for ch in line) >= 2:
            candidates.append(i)
    if candidates:
        lesson.title = _squash(lines[max(candidates, key=lambda i: _title_score(lines, i, candidates, anchors))])
    else:
        lesson.title = _title_from_stem(path)
    return end


def _title_score(lines: list[str], i: int, candidates: list[int], anchors: list[int]) -> tuple[float, int]:
    line = lines[i]
    score = float(min(sum(ch.isalnum() for ch in line), 60))
    if any(i == max((c for c in candidates if c < a), default=-1) for a in anchors):
        score += 30  # right above the byline or the date
    elif any(i == min((c for c in candidates if c > a), default=-1) for a in anchors):
        score += 10  # right under it
    if _CATEGORY.match(line):
        score -= 40  # `배움: MBA, English, 운동`
    return score, i  # a tie goes to the line nearer the article


def _header_end(lines: list[str], ordinals: dict[int, _Heading]) -> int:
    """Index of the first heading or paragraph line: the page header is above it."""
    seen = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        if _marker(line) or _numbered(line) or i in ordinals or _body_line(line):
            return i
        seen += 1
        if seen > MAX_HEADER_LINES:
            break
    # no clear start (a page of short lines): the title is the first line, then its byline
    first = next((i for i, line in enumerate(lines) if line), len(lines))
    end = min(first + 1, len(lines))
    while end < len(lines) and (not lines[end] or _byline(lines[end]) or _date_line(lines[end])):
        end += 1
    return end


def _body_line(line: str) -> bool:
    """A line of the article itself: long, a sentence, or a key sentence in quotes."""
    if len(line) > 100 or _quote_line(line) is not None:
        return True
    if _byline(line) or _date_line(line):
        return False
    text = line.rstrip("\"'”’)] ")
    return text.endswith((".", "。", "…")) or (text.endswith(("?", "!")) and len(line) > 60)


# --- Markdown seeds ------------------------------------------------------------------

FRONT_MATTER_KEYS = ("title", "author", "date", "id")
_VOCAB = re.compile(r"^[-*+]\s+(?P<a>[^=]+?)\s*=\s*(?P<b>.+)$")
_NOTE = re.compile(r"^(?:note|tip|노트|참고|팁)\s*[:：]\s*(?P<n>.+)$", re.I)
_MD_LINK = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)")


def _strip_inline_md(text: str) -> str:
    text = _MD_LINK.sub(lambda m: m.group(1) or "", text)
    text = re.sub(r"<!--.*?-->", "", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", text)
    return text


def _front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """(front matter, the rest, how many lines the front matter took)."""
    if not re.match(r"^---[ \t]*\n", text):
        return {}, text, 0
    m = re.search(r"\n---[ \t]*(?:\n|$)", text[3:])
    if not m:
        raise AudiogenError(f"{path}:1: front matter starts with '---' but never ends with a '---' line")
    block = text[3:3 + m.start() + 1]
    rest = text[3 + m.end():]
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise AudiogenError(f"{path}:{line}: front matter is not valid YAML: {getattr(e, 'problem', e)}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise AudiogenError(f"{path}:2: front matter must be 'key: value' lines (title, author, date, id)")
    for key in data:
        if str(key) not in FRONT_MATTER_KEYS:
            close = difflib.get_close_matches(str(key), FRONT_MATTER_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise AudiogenError(f"{path}: unknown front matter key '{key}'{hint}; known: {', '.join(FRONT_MATTER_KEYS)}")
    return data, rest, block.count("\n") + 2


def _parse_markdown(text: str, path: Path) -> Lesson:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    meta, body, _ = _front_matter(text, path)
    lesson = Lesson(seed_id=seed_id_for(path.stem), source=path, title="")
    if meta.get("id") is not None:
        seed_id = slugify(str(meta["id"]))
        if not seed_id:
            raise AudiogenError(f"{path}: front matter id {meta['id']!r} has no ASCII letters or digits")
        lesson.seed_id = seed_id
    if meta.get("author") is not None:
        lesson.author = _squash(str(meta["author"])) or None
    if meta.get("date") is not None:
        value = meta["date"]
        if isinstance(value, dt.datetime):
            lesson.date = value.date()
        elif isinstance(value, dt.date):
            lesson.date = value
        else:
            lesson.date, _ = parse_date(str(value))
            if lesson.date is None:
                raise AudiogenError(f"{path}: front matter date {value!r} is not a date like 2025-03-04")
    if meta.get("title") is not None:
        lesson.title = _squash(str(meta["title"]))

    builder = _Builder(title="")
    paragraph: list[str] = []
    quote_block: list[str] = []

    def flush() -> None:
        if paragraph:
            builder.paragraph(_strip_inline_md(" ".join(paragraph)))
            paragraph.clear()
        if quote_block:
            _blockquote(builder, quote_block)
            quote_block.clear()

    in_comment = False
    for raw in body.split("\n"):
        line = _clean_line(raw)
        if in_comment:
            in_comment = "-->" not in line
            continue
        if line.startswith("<!--") and "-->" not in line:
            in_comment = True
            continue
        if not line or _is_noise(line) and not line.startswith(">"):
            flush()
            continue
        h = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)
        if h:
            flush()
            level, heading = len(h.group(1)), _strip_inline_md(h.group(2)).strip()
            if level == 1:
                if not lesson.title:
                    lesson.title = heading
                continue
            if level == 2:
                builder.heading(_marker(heading) or _md_heading(heading))
                continue
            builder.paragraph(heading)  # a sub-heading is narrated
            continue
        if line.startswith(">"):
            if paragraph:
                builder.paragraph(_strip_inline_md(" ".join(paragraph)))
                paragraph.clear()
            quote_block.append(line.lstrip(">").strip())
            continue
        if quote_block:
            _blockquote(builder, quote_block)
            quote_block.clear()
        vocab = _VOCAB.match(line)
        if vocab:
            flush()
            term = _vocab_term(_strip_inline_md(vocab.group("a")), _strip_inline_md(vocab.group("b")))
            if term:
                builder.term(term)
                continue
        note = _NOTE.match(line)
        if note:
            flush()
            builder.note(_strip_inline_md(note.group("n")))
            continue
        if re.match(r"^[-*+]\s+|^\d+[.)]\s+", line):
            flush()
            builder.paragraph(_strip_inline_md(re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", line)))
            continue
        paragraph.append(line)
    flush()
    if not lesson.title:
        lesson.title = _title_from_stem(path)
    builder.title = lesson.title
    lesson.sections = builder.finish()
    return lesson


def _md_heading(heading: str) -> _Heading:
    numbered = _numbered(heading)
    if numbered:
        return numbered
    return _Heading("section", None, heading)


def _vocab_term(a: str, b: str) -> Term | None:
    a, b = _squash(a), _squash(b)
    if is_english(a) and not is_english(b):
        return Term(english=a, korean=b)
    if is_english(b) and not is_english(a):
        return Term(english=b, korean=a)
    if is_english(a):
        return Term(english=a, korean="")
    return None


def _blockquote(builder: _Builder, lines: list[str]) -> None:
    """`> "English"` lines, each optionally followed by `> 한국어` gloss lines."""
    for line in lines:
        line = _strip_inline_md(line).strip()
        if not line:
            continue
        quote = _quote_line(line)
        if quote is None and is_english(line, min_words=2):
            quote = Quote(english=_squash(line.strip("\"“”")))
        if quote:
            builder.quote(quote)
            continue
        if has_hangul(line) and builder.gloss(_squash(line.strip("\"“”"))):
            continue
        builder.paragraph(line)
