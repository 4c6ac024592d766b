"""The .txt reader: a blog article as pasted from the web.

The page header (title, byline, date) is read from the top; then each line
is a heading, a quoted key sentence, its translation, or narration, until
the blog's footer ends the article.
"""

from __future__ import annotations

import dataclasses

import re
import unicodedata
from pathlib import Path

from ..model import Lesson, Quote
from ..text import has_hangul, is_english, split_sentences
from . import headings
from .files import seed_id_for, title_from_stem
from .noise import CATEGORY, FOOTER, HEADER_NOISE, MENU_MARKERS, byline, clean_line, date_line, is_noise, reporter, squash
from .quotes import INLINE_QUOTE, extract_inline_quotes, gloss_line, quote_line
from .sections import Builder
from .terms import PAREN

def parse(text: str, path: Path) -> Lesson:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    raw = [clean_line(line) for line in text.split("\n")]
    lines, body_started = [], False
    for line in raw:
        if not line or is_noise(line):
            lines.append("")
            continue
        if len(line) <= 80 and FOOTER.match(line):
            if body_started:
                break  # the blog's share/comment/copyright chrome: the article is over
            lines.append("")
            continue
        lines.append(line)
        if len(line) > 60 or headings.numbered(line) or (headings.marker(line) and not MENU_MARKERS.match(line)):
            body_started = True  # (a bare 프롤로그 may be an item of the blog's menu)

    lesson = Lesson(seed_id=seed_id_for(path.stem), source=path, title="")
    ordinals = headings.ordinal_headings(lines)
    symbols = headings.symbol_headings(lines) | headings.question_headings(lines)
    symbols = _framing_symbols(lines, symbols)
    i = _read_header(lines, lesson, path, ordinals | symbols)
    builder = Builder(title=lesson.title)
    body = lines[i:]
    strict = any(headings.numbered(line) and _blank_around(body, j) for j, line in enumerate(body))
    last_number = 0
    j = 0
    while j < len(body):
        line = body[j]
        j += 1
        if not line:
            continue
        marker = headings.marker(line)
        numbered = None if marker else headings.numbered(line)
        ordinal = ordinals.get(i + j - 1)
        if marker:
            builder.heading(marker)
            continue
        if i + j - 1 in symbols:
            builder.heading(symbols[i + j - 1])
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
        date = date_line(line) or _dated_byline(line)
        if date:  # `Updated: 2025-10-03` under the title: metadata, never spoken
            lesson.date = lesson.date or date
            continue
        if name := reporter(line):  # a news story ends with its reporter's name and address
            lesson.author = lesson.author or name
            continue
        quote = quote_line(line) or _quote_then_translation(line)
        if quote:
            builder.quote(quote)
            continue
        gloss = gloss_line(line)
        if gloss and builder.current and builder.current.quotes and _previous_was_quote(body, j - 1):
            if builder.gloss(gloss):
                continue
        above = (quote_line(body[j - 2]) or _ending_quote(body[j - 2])) if j >= 2 and body[j - 2] else None
        if above and _translation_line(line, above.english):
            if builder.gloss(squash(re.sub(r"^>\s*", "", line))):  # a Korean line right under the quote translates it
                continue
        if line.strip() == lesson.title:
            continue
        if symbols:  # an interview's answer: its `A.` label is not read
            line = headings.ANSWER_LABEL.sub("", line)
        builder.paragraph(line)
    lesson.sections = builder.finish()
    return lesson


_COMMENTARY = re.compile(r"^(?:이|그|위|앞|이런|이러한)\s*(?:문장|표현|말)|^(?:여기서|이렇게|이처럼|즉|예를 들어|참고로)")


def _dated_byline(line: str):
    by = byline(line)
    return by[1] if by else None


MAX_TRANSLATION_SENTENCES = 4


def _translation_line(line: str, english: str) -> bool:
    """Korean text that does not talk *about* the quote, and is no more than a
    translation of it: a short line of one or two sentences, or, under a long
    quote, up to four sentences no longer than the English (Korean says the same
    in fewer characters; narration under a quote runs on)."""
    if not has_hangul(line) or INLINE_QUOTE.search(line) or PAREN.search(line) or _COMMENTARY.match(line):
        return False
    sentences = len(split_sentences(line))
    if len(line) <= 150 and sentences <= 2:
        return True
    return sentences <= MAX_TRANSLATION_SENTENCES and len(line) <= len(english)


_QUOTE_THEN = re.compile(r"^[\"“](?P<q>[^\"“”]+?)[\"”]\s+(?P<g>[\uac00-\ud7a3].*)$")
# Korean that tells of the quote rather than saying it: who said it, where
_TELLS = re.compile(r"말했|말한다|말합니다|밝혔|강조했|덧붙였|적었|썼다|썼습니다|물었|답했|설명했|라고|이라는")


def _framing_symbols(lines: list[str], symbols: dict[int, headings.Heading]) -> dict[int, headings.Heading]:
    """In an article numbered 1., 2., ... a symbol heading before the first number opens it and one
    after the last closes it (`■ 왜 이 책을 읽었나` is the introduction, not a lesson with no English):
    the numbers are its plan."""
    numbers = [k for k, line in enumerate(lines) if line and headings.numbered(line) and _blank_around(lines, k)]
    if len(numbers) < 2:
        return symbols
    framed = dict(symbols)
    for k, h in symbols.items():
        if k < numbers[0] or k > numbers[-1]:
            framed[k] = dataclasses.replace(h, kind="intro" if k < numbers[0] else "outro")
    return framed


def _quote_then_translation(line: str) -> Quote | None:
    """`"Can you walk me through it?" 어떻게 된 건지 차근차근 설명해 주실래요?`: a quote and its translation on
    one line (after a space: a particle would be glued to the quote), never a sentence about the quote
    (`"..." 앤트로픽의 대표는 이렇게 말했다`)."""
    m = _QUOTE_THEN.match(line)
    if not m or not is_english(m.group("q"), min_words=2):
        return None
    korean = m.group("g").strip()
    if re.search(r"[A-Za-z]", korean) or _TELLS.search(korean) or not _translation_line(korean, m.group("q")):
        return None
    return Quote(english=squash(m.group("q")), korean=squash(korean))


def _previous_was_quote(lines: list[str], j: int) -> bool:
    k = j - 1
    while k >= 0 and not lines[k]:
        k -= 1
    return k >= 0 and quote_line(lines[k]) is not None


def _ending_quote(line: str) -> Quote | None:
    """The quote a paragraph ends with (`… 칭찬합니다. "The way you handled it was really clear."`): a
    Korean line right under it translates it, as under a quote on its own line."""
    quotes = extract_inline_quotes(line)
    return quotes[-1] if quotes and re.search(r"[\"”][.。]?\s*$", line) else None


def _blank_around(lines: list[str], j: int) -> bool:
    """A heading stands alone: blank (or noise) lines before and after it."""
    before = j == 0 or not lines[j - 1]
    after = j + 1 >= len(lines) or not lines[j + 1]
    return before and after


MAX_HEADER_LINES = 10  # non-blank lines a page puts above the article, at most
MAX_TITLE = 120
MAX_MENU_LINES = 40  # where a blog's menu may stand: the top of the page


def _read_header(lines: list[str], lesson: Lesson, path: Path, ordinals: dict[int, headings.Heading]) -> int:
    """Title, author and date from the top of the page; returns where the body starts.

    The header is every line above the first heading or paragraph. In it,
    bylines and dates are read, menu and platform words are dropped, and the
    title is the most title-like line left: the longest, and above all the one
    right above the byline; the short lines above it are the blog's category
    or breadcrumbs. Nothing in the header is narrated.
    """
    end = _header_end(lines, ordinals)
    menu = _menu_lines(lines, end)
    anchors: list[int] = []  # bylines and dates
    candidates: list[int] = []
    for i in range(end):
        line = lines[i]
        if not line:
            continue
        by = byline(line)
        date = by[1] if by else date_line(line)
        if by or date:
            if by and lesson.author is None:
                lesson.author = by[0]
            lesson.date = lesson.date or date
            anchors.append(i)
        elif i not in menu and len(line) <= MAX_TITLE and (quote_line(line) is None or _over_byline(lines, i)) \
                and sum(ch.isalnum() for ch in line) >= 2:
            candidates.append(i)
    if candidates:
        best = max(candidates, key=lambda i: _title_score(lines, i, candidates, anchors))
        lesson.title = squash(lines[_above_subtitle(lines, best, candidates)])
        # a blog's category tag before the title ([책리뷰] 킴 스콧 ...): the blog's shelf, not the title
        lesson.title = re.sub(r"^[\[【][^\]】]{1,12}[\]】]\s*(?=\S)", "", lesson.title)
    else:
        lesson.title = title_from_stem(path)
    return end


def _above_subtitle(lines: list[str], best: int, candidates: list[int]) -> int:
    """The title when `best` is its subtitle: Brunch and Medium put a subtitle right
    under the title (no blank line between) and the byline under both. A blog's
    category also sits above the title, but it is short and plain (`커리어 노트`)."""
    above = best - 1
    if above not in candidates or CATEGORY.match(lines[above]):
        return best
    line = lines[above]
    title_like = sum(ch.isalnum() for ch in line) >= 10 or re.search(r"[,:：!?]", line)
    return above if title_like else best


def _title_score(lines: list[str], i: int, candidates: list[int], anchors: list[int]) -> tuple[float, int]:
    line = lines[i]
    score = float(min(sum(ch.isalnum() for ch in line), 60))
    if any(i == max((c for c in candidates if c < a), default=-1) for a in anchors):
        # right above the byline or the date; a short plain line there is the blog's category (비즈니스 영어)
        score += 30 if score >= 10 or re.search(r"[,:：!?]", line) else 5
    elif any(i == min((c for c in candidates if c > a), default=-1) for a in anchors):
        score += 10  # right under it
    if CATEGORY.match(line):
        score -= 40  # `배움: MBA, English, 운동`
    if len(line) <= 5 and " " not in line:
        score -= 30  # `인터뷰`, `칼럼` above the byline: the magazine's section, not the story's title
    if re.search(r"\s[|｜]\s", line):
        score -= 40  # `스타트업노트 | 일하는 방식을 고민하는 블로그`: the site's name and tagline, as a tab shows it
    return score, i  # a tie goes to the line nearer the article


def _over_byline(lines: list[str], i: int) -> bool:
    """A line right above the byline or the date is the title, even one that opens with an English
    quote (`"Let's take this offline": 원격 팀의 원칙`), never a key sentence of the body."""
    nxt = next((line for line in lines[i + 1:] if line), "")
    return bool(nxt) and (byline(nxt) is not None or date_line(nxt) is not None)


def _menu_lines(lines: list[str], end: int) -> set[int]:
    """The blog's menu and buttons among the first `end` lines: platform and menu words,
    and a bare 프롤로그 standing next to them (Naver lists it in its menu)."""
    shown = [i for i in range(min(end, len(lines))) if lines[i]]
    menu = {i for i in shown if HEADER_NOISE.match(lines[i]) or _menu_row(lines[i])}
    for k, i in enumerate(shown):
        neighbours = shown[max(k - 1, 0):k] + shown[k + 1:k + 2]
        if MENU_MARKERS.match(lines[i]) and any(n in menu for n in neighbours):
            menu.add(i)
    return menu


def _menu_row(line: str) -> bool:
    """A row of menu words: `공유하기   구독하기`, `홈  인사이트  인터뷰  채용`, `금융 · 증권 · 부동산 · IT/과학`."""
    fields = [f for f in re.split(r"\s{2,}|\s*[|·•]\s*", line) if f]
    return len(fields) >= 2 and (all(HEADER_NOISE.match(f) for f in fields)
                                 or len(fields) >= 3 and all(len(f) <= 6 for f in fields))


def _header_end(lines: list[str], ordinals: dict[int, headings.Heading]) -> int:
    """Index of the first heading or paragraph line: the page header is above it.
    The blog's menu (short lines of menu words) is skipped, however long it is."""
    menu = _menu_lines(lines, MAX_MENU_LINES)
    seen = 0
    for i, line in enumerate(lines):
        if not line or i in menu:
            continue
        if date_line(line) or byline(line):  # `2024.03.18 · 조직문화` is a date, not heading 2024
            seen += 1
            continue
        if headings.marker(line) or headings.numbered(line) or i in ordinals or _body_line(line) \
                and not _over_byline(lines, i):
            return i
        seen += 1
        if seen > MAX_HEADER_LINES:
            break
    # no clear start (a page of short lines): the title is the first line, then its byline
    first = next((i for i, line in enumerate(lines) if line), len(lines))
    end = min(first + 1, len(lines))
    while end < len(lines) and (not lines[end] or byline(lines[end]) or date_line(lines[end])):
        end += 1
    return end


def _body_line(line: str) -> bool:
    """A line of the article itself: long, a sentence, or a key sentence in quotes."""
    if len(line) > 100 or quote_line(line) is not None:
        return True
    if byline(line) or date_line(line):
        return False
    text = line.rstrip("\"'”’)] ")
    return text.endswith((".", "。", "…")) or (text.endswith(("?", "!")) and len(line) > 60)
