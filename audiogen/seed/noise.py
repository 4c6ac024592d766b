"""What a web page adds around an article: ad markers, menus, share and comment
footers, separators, breadcrumbs, bylines and dates.

Seeds are copy-pasted pages, so most of reading one is knowing what to throw
away; the byline and date are kept for the lesson, never narrated.
"""

from __future__ import annotations

import datetime as dt
import re

_AD_SIZES = r"(?:728x90|320x100|300x250|336x280|970x90|970x250|160x600|300x600|468x60|250x250|320x50|728 x 90)"
_AD_TAIL = re.compile(rf"(?:\s*\b{_AD_SIZES}\b|(?<=[.!?])\s*반응형)+\s*$", re.I)
_AD_HEAD = re.compile(rf"^\s*(?:{_AD_SIZES}\b\s*)+", re.I)

_NOISE = re.compile(
    r"^(?:본문\s*(?:으로)?\s*바로\s*가기|메뉴\s*바로\s*가기|skip to (?:main )?content|skip navigation|"
    r"반응형|광고|advertisement|sponsored|카테고리 없음|분류 전체보기|전체\s*보기|목차|table of contents|"
    r"top|맨\s*위로|home|홈|검색|search|menu|메뉴|로그인|log ?in|닫기|더\s*보기|접기|펼치기|"
    r"티스토리\s*툴바|이\s*글\s*공유하기|글씨\s*크기|인쇄하기|print|scrap|스크랩|"
    r"\d+\s*(?:views?|조회(?:수)?)|조회수?\s*\d+|읽는 데 \d+분|"
    # where the text comes from: `원문: 비즈니스 영어 레터 #42`, `출처: ...` (a citation, never narrated)
    r"(?:원문|원글|출처|source|via)\s*[:：].*)$",
    re.I,
)
FOOTER = re.compile(
    r"^(?:공유(?:하기)?|게시글\s*관리|구독하기.*|저작자\s*표시.*|관련\s*글.*|댓글.{0,20}|태그.{0,60}|"
    r"tags?\s*:.*|copyright\b.*|ⓒ.*|©.*|all rights reserved.*|share(?: this(?: post| article)?)?|"
    r"like this|subscribe.*|comments?\s*\d*|leave a (?:comment|reply).*|related(?: posts| articles| stories)?|"
    r"이전\s*글.*|다음\s*글.*|좋아요\s*\d*|공감\s*\d*|신고(?:하기)?|posted in .*|filed under .*|"
    r"라이킷\s*\d*|작가의\s*(?:이전|다음)\s*글|브런치는 .*최적화.*|이\s*블로그\s*인기\s*글.*|"
    r"'[^']{1,30}'\s*카테고리의\s*다른\s*글|"
    # a news site's: `무단 전재 및 재배포 금지`, `많이 본 뉴스`, `관련 기사`
    r"무단\s*(?:전재|복제|배포).*|[<\[]?\s*저작권자.*|많이\s*본\s*(?:뉴스|기사).*|관련\s*기사.*|기자\s*구독.*)\s*[:：]?$",
    re.I,
)
# Page chrome that only shows up around the title: platform names, menu and
# share buttons. Never a title candidate; never spoken.
HEADER_NOISE = re.compile(
    r"^(?:brunch(?:story)?|브런치(?:스토리)?|네이버\s*블로그|naver\s*blog|블로그|blog|tistory|티스토리|velog|"
    r"medium|wordpress|본문\s*기타\s*기능|(?:서로\s*)?이웃\s*추가|url\s*복사|공감(?:\s*\d+)?|구독(?:하기)?|"
    r"구독자\s*\d*|댓글(?:\s*\d+)?|신고(?:하기)?|태그|저작자\s*표시|비영리|변경\s*금지|카테고리.{0,20}|"
    r"posted by|공유(?:하기)?|share|facebook|twitter|x|kakao(?:talk)?|카카오(?:톡|스토리)?(?:\s*공유)?|"
    r"페이스북|트위터|밴드|번역(?:하기)?|프로필|팔로우|follow(?:ing)?|글쓰기|관리|통계|방명록|guestbook|"
    r"이전|다음|목록|전체\s*글|posts?|about|rss|좋아요(?:\s*\d+)?|라이킷(?:\s*\d+)?|"
    # Naver's blog menu
    r"블로그\s*메뉴|메모|안부|지도|서재|이웃|이웃\s*블로그|블로그\s*홈|내\s*블로그|"
    # Tistory, Brunch, Velog
    r"홈|카테고리|방명록|관리자|작가|작가\s*소개|작가의\s*글|매거진|브런치북|트렌딩|최신|시리즈|소개|"
    # Medium and WordPress
    r"open in app|sign (?:in|up)|get started|write|listen|member-only story|\d+\s*min read|"
    r"primary menu|main menu|toggle navigation|contact)\s*[:：]?$",
    re.I,
)
# Words of a blog menu that are also section markers (a Naver menu lists 프롤로그):
# they are menu items when they stand among other menu lines at the top of the page.
MENU_MARKERS = re.compile(r"^(?:프롤로그|에필로그|prologue|epilogue)$", re.I)
_SEPARATOR = re.compile(r"^[\s\-–—_=*~·•.#<>|/\\]{2,}$|^[\-–—_=*~·•]$")
CATEGORY = re.compile(
    r"^[^\s:：>]{1,12}(?:\s[^\s:：>]{1,12})?\s*[:：>›»]\s*"
    r"[^,:：>›»]{1,24}(?:\s*[,>›»/·]\s*[^,:：>›»]{1,24})+$"
)

# --- dates and bylines: kept for the lesson, never narrated

_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_DATE_PATTERNS = [
    re.compile(r"(?P<y>\d{4})\s*[.\-/]\s*(?P<m>\d{1,2})\s*[.\-/]\s*(?P<d>\d{1,2})\b\.?"),
    re.compile(r"(?P<y>\d{4})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"),
    re.compile(r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?[.,]?\s+(?P<y>\d{4})"),
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})"),
]
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm|AM|PM)?")
_LABELS = (r"(?:작성일(?:자|시)?|게시일|발행일|등록일|수정일|업데이트|날짜|기사\s*입력|입력|최종\s*수정|수정|송고|승인|"
           r"date|published(?: on)?|posted(?: on)?|updated(?: on)?)")
_DATE_LABEL = re.compile(rf"^{_LABELS}\s*[:：]?\s*", re.I)
# a news page's second date (`입력 2026.11.02 06:00 수정 2026.11.02 09:41`)
_SECOND_DATE = re.compile(rf"^\s*[·・•|,]?\s*{_LABELS}\s*[:：]?\s*", re.I)
# beside a blog's date: its category and reading time (`2024.03.18 · 조직문화 · 읽는 시간 7분`)
_DATE_FIELDS = re.compile(r"^(?:\s*[·・•|]\s*[^·・•|.!?]{1,12}){1,3}\s*$")
# a news byline: `김서윤 기자`, `김서윤 기자 seoyun.kim@example.com`, `(서울=연합뉴스) 김서윤 특파원`
_REPORTER = re.compile(r"^(?:\([^()]{1,20}\)\s*)?(?P<name>[\uac00-\ud7a3]{2,4})\s*"
                       r"(?:기자|특파원|선임기자|객원기자|논설위원|편집위원|칼럼니스트)\s*=?\s*(?:\S+@\S+)?$")
_BYLINE = re.compile(
    r"^(?:by|written by|posted by|글쓴이|작성자|글|저자|author|에디터|editor|기자)\s*[:：]?\s+(?P<rest>.+)$"
    r"|^(?P<rest2>.+?)\s*(?:씀|지음)$",
    re.I,
)


MIN_YEAR, MAX_YEAR = 1900, 2100  # the years a seed's date may name


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
            if not MIN_YEAR <= date.year <= MAX_YEAR:  # 9999-01-01 is a typo, not a publication date
                continue
            return date, (text[:m.start()] + " " + text[m.end():]).strip()
    return None, text


_BYLINE_SEPARATORS = r"[\s.,|·・•/\-()]+"


def date_line(line: str) -> dt.date | None:
    """A line that is only a date (maybe labelled, maybe with a time)."""
    rest = _DATE_LABEL.sub("", line)
    date, rest = parse_date(rest)
    if date is None:
        return None
    rest = _TIME.sub("", rest)
    second = _SECOND_DATE.match(rest)
    if second:
        again, after = parse_date(rest[second.end():])
        rest = _TIME.sub("", after) if again else rest
    if not re.sub(_BYLINE_SEPARATORS, "", rest) or _DATE_FIELDS.match(rest):
        return date
    return None


_DATED_BYLINE = re.compile(r"^(?P<date>.+?)\s+by\s+(?P<name>\S.*)$", re.I)


def reporter(line: str) -> str | None:
    """The reporter's name on a news byline (`김서윤 기자 seoyun.kim@example.com`), which news sites
    also put at the end of the story."""
    m = _REPORTER.match(line) if len(line) <= 80 else None
    return m.group("name") if m else None


def byline(line: str) -> tuple[str, dt.date | None] | None:
    """`by Heedong-Kim 2026. 1. 13.` -> ("Heedong-Kim", date); also `Posted by 박지훈
    2025. 11. 3. 14:22`, `by 이도윤 Mar 12. 2025`, Naver's `김서연 ・ 2025. 3. 4. 9:05`
    and WordPress's `Posted on October 2, 2025 by Sam Kim`."""
    if len(line) > 80:
        return None
    if name := reporter(line):
        return name, None
    dated = _DATED_BYLINE.match(line) if _DATE_LABEL.match(line) else None
    if dated and date_line(dated.group("date")):
        named = byline("by " + dated.group("name"))
        return (named[0], date_line(dated.group("date"))) if named else None
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
    if not m and (HEADER_NOISE.match(name) or re.search(r"[.!?:：]", name)):
        return None
    return name, date


# --- cleaning lines


def clean_line(line: str) -> str:
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


def is_noise(line: str) -> bool:
    return bool(_NOISE.match(line)) or bool(_SEPARATOR.match(line)) or not any(ch.isalnum() for ch in line)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
