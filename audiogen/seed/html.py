"""The web-page reader: a saved .html file or a fetched page, into a Lesson.

trafilatura finds the article in the page (no menus, share buttons, comments
or related posts) and gives it back as a tree that keeps the structure:
headings, paragraphs, block quotes, lists and emphasis. The tree is then read
like a seed: the heading level most headings use makes sections; block quotes
and English lines make key sentences; `한국어(English)` makes terms, as for
.txt; `term = 뜻` list items and two-column tables are vocabulary. A page
without headings takes its sections from short bold lines, or is read line by
line with the .txt reader's rules (numbered lines, 서론/마치며 markers, a
translation under its quote).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from ..errors import AudiogenError
from ..model import Lesson, Quote
from ..text import has_hangul, is_english, short_hash, slugify
from . import headings
from .files import seed_id_for
from .blocks import QuoteBlock, section_heading, vocab_term
from .noise import FOOTER, HEADER_NOISE, byline, clean_line, date_line, is_noise, parse_date, squash
from .plain import _translation_line
from .quotes import gloss_line, quote_line
from .sections import Builder

MIN_TEXT = 80  # characters of article text, below which a page is not an article

# The extractor's own log lines (a date it could not parse, a tree it discarded) are not the
# user's business: errors reach them as one line of ours. A handler keeps Python's last-resort
# printer away.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


@dataclass
class Page:
    """What the page says about itself, beside its text."""

    title: str | None
    author: str | None
    date: dt.date | None
    url: str | None  # the canonical address, when the page names one


def seed_id_for_url(url: str) -> str:
    """A stable id from the article's address (never from its text): the host and path as an
    ASCII slug (`brunch-co-kr-writer-12`); a path that is not ASCII or too long for a file
    name keeps the host and gets a hash (`myblog-tistory-com-3f2a9c1b`)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = unquote(parts.path).strip("/")
    if parts.query:
        path = f"{path} {unquote(parts.query)}"
    slug = slugify(f"{host} {path}", limit=200)
    if path.strip() and path.isascii() and len(slug) <= MAX_ID:
        return slug
    stem = slugify(host, limit=MAX_ID - 9) if not path.isascii() else slug[:MAX_ID - 9].strip("-")
    return f"{stem or 'web'}-{short_hash(f'{host}/{path}')}"


MAX_ID = 80


def parse(html: str, source: Path, url: str | None = None) -> tuple[Lesson, Page]:
    """The Lesson in `html` (from the file `source`, or fetched from `url`)."""
    html = unicodedata.normalize("NFC", html)
    where = url or str(source)
    try:
        page = metadata(html, url)
        main = _extract(html, url, mark_headings=False)
        if main is not None and main.find("head") is None:
            # trafilatura keeps headings only inside a container it knows as the article's; a
            # page without one gets them back as marked paragraphs, turned into headings again
            marked = _extract(html, url, mark_headings=True)
            if marked is not None and _unmark(marked):
                main = marked
    except (ValueError, TypeError, etree.LxmlError) as e:
        raise AudiogenError(f"{where}: cannot read the page ({e})") from None
    if main is None or len(squash(" ".join(main.itertext()))) < MIN_TEXT:
        raise AudiogenError(f"{where}: no article found on the page (too little text; is it an article's own page?)")
    # a fetched page is named after its address, a saved one after its file, as other seeds are
    seed_id = seed_id_for_url(page.url or url) if url else seed_id_for(source.stem)
    lesson = Lesson(seed_id=seed_id, source=source, title=page.title or "",
                    author=page.author, date=page.date)
    _Reader(lesson).read(main)
    if not lesson.title:  # no title anywhere on the page: the address's last part, or the file's name
        last = unquote(urlsplit(url).path).strip("/").rsplit("/", 1)[-1] if url else ""
        lesson.title = squash(last.replace("-", " ")) or (urlsplit(url).hostname if url else source.stem) or "Untitled"
    return lesson, page


def _extract(html: str, url: str | None, mark_headings: bool) -> etree._Element | None:
    """The article as trafilatura's XML tree (its <main>), or None when it finds none."""
    xml = trafilatura.extract(_prepared(html, mark_headings), url=url, output_format="xml",
                              include_formatting=True, include_comments=False, include_tables=True,
                              include_images=False, include_links=False, favor_recall=True, deduplicate=False)
    return etree.fromstring(xml.encode("utf-8")).find("main") if xml else None


_INLINE = ("span", "a", "button", "time", "label", "em", "i", "b", "strong")
_HEADING_MARK = re.compile(r"^\s*⟦h(?P<n>[1-6])⟧\s*")


def _prepared(html: str, mark_headings: bool = False) -> etree._Element | str:
    """The page with habits of blog templates undone before trafilatura reads it: buttons and
    spans written side by side with nothing between them (`ListenShare`), block quotes wrapped
    in a <figure> (WordPress pull quotes), which would be dropped as images, and (asked) headings
    turned into paragraphs that say their level, which trafilatura keeps wherever they stand."""
    try:
        root = lxml_html.fromstring(html)
    except (ValueError, etree.ParserError):
        return html
    for el in root.iter(*_INLINE):
        if not (el.tail or "").strip() and el.getnext() is not None:
            el.tail = " "
    for figure in root.xpath("//figure[.//blockquote]"):
        figure.drop_tag()
    if mark_headings:
        for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
            el.text = f"⟦{el.tag}⟧ " + (el.text or "")
            el.tag = "p"
    return root


def _unmark(main: etree._Element) -> int:
    """Marked paragraphs back into headings; how many there were."""
    count = 0
    for p in main.iter("p"):
        m = _HEADING_MARK.match(p.text or "")
        if m:
            p.tag, p.text = "head", (p.text or "")[m.end():]
            p.set("rend", f"h{m.group('n')}")
            count += 1
    return count


def metadata(html: str, url: str | None) -> Page:
    """Title, author, date and canonical address: trafilatura's reading, and the page's own
    author tags when trafilatura drops a Korean name."""
    meta = trafilatura.extract_metadata(html, default_url=url)
    title = squash(meta.title) if meta and meta.title else None
    author = squash(meta.author) if meta and meta.author else None
    date = None
    if meta and meta.date:
        date, _ = parse_date(meta.date)
    canonical = meta.url if meta and meta.url and re.match(r"^https?://", meta.url) else None
    if author is None:
        author = _author_tag(html)
    return Page(title=title, author=author, date=date, url=canonical)


def _author_tag(html: str) -> str | None:
    try:
        root = lxml_html.fromstring(html)
    except (ValueError, etree.ParserError):
        return None
    for value in root.xpath('//meta[@name="author" or @property="article:author" or @name="article:author"'
                            ' or @property="og:article:author" or @property="naverblog:nickname"]/@content'):
        if squash(value) and not re.match(r"^https?://", value.strip()):
            return squash(value)
    for script in root.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            author = item.get("author") if isinstance(item, dict) else None
            author = author[0] if isinstance(author, list) and author else author
            name = author.get("name") if isinstance(author, dict) else author
            if isinstance(name, str) and squash(name):
                return squash(name)
    return None


def _text(el: etree._Element) -> str:
    """An element's words, `<lb/>` as a line break, code left out (but not a few words of it
    inside a sentence: 이를 영어로 <code>take it offline</code>이라고 합니다)."""
    out = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            out.append("\n")
        elif child.tag != "code" or _inline_code(child):
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


INLINE_CODE_CHARS = 60


def _inline_code(el: etree._Element) -> bool:
    """A code element that is a word or phrase in running text, not a block of code."""
    words = "".join(el.itertext())
    return "\n" not in words.strip() and len(words) <= INLINE_CODE_CHARS and bool((el.tail or "").strip())


class _Reader:
    """Walks trafilatura's tree in document order, feeding a Builder."""

    def __init__(self, lesson: Lesson):
        self.lesson = lesson
        self.builder = Builder(title=lesson.title)
        self.level = 0  # the heading level that makes sections; 0: the page has no headings
        self.last_number = 0
        self.previous_quote: Quote | None = None  # the key sentence on the line above
        self.korean = False  # the article is written in Korean (English lines are then key sentences)
        self.over = False  # the blog's footer was reached

    def read(self, main: etree._Element) -> None:
        levels = [int(h.get("rend", "h2")[1:] or 2) if re.fullmatch(r"h[1-6]", h.get("rend", "")) else 2
                  for h in main.iter("head") if squash(_text(h)) and squash(_text(h)) != self.lesson.title]
        # the level most headings use (the smaller on a tie): a related-posts heading after
        # the article may sit at another level
        self.level = min(levels, key=lambda n: (-levels.count(n), n), default=0)
        self.korean = has_hangul(" ".join(main.itertext()))
        # a page without headings whose editor makes them bold lines (Naver's): two or more
        # short bold lines that are not sentences are its section headings
        bold = [p for p in main.iter("p") if _bold_heading(p)] if not self.level else []
        bold = set(bold) if len(bold) >= 2 else set()
        for el in main.iter("head", "p", "quote", "item", "list", "table"):
            if self.over:
                break
            if self._inside(el, ("quote", "item", "table")) or el.tag == "list":
                continue
            if el.tag == "table":
                self.table(el)
                continue
            if el.tag == "head":
                self.head(el)
            elif el.tag == "quote":
                block = QuoteBlock(self.builder)
                for line in _lines(el):
                    block.line(line)
                self.previous_quote = None
            elif el.tag == "item":
                for k, line in enumerate(_lines(el)):
                    term = vocab_term(line) if k == 0 else None
                    if term:
                        self.builder.term(term)
                    else:
                        self.line(line)
            elif el in bold and not self._inside(el, ("quote", "item")):
                self.bold_heading(squash(_text(el)))
            else:
                for line in _lines(el):
                    self.line(line)
        self.builder.title = self.lesson.title
        self.lesson.sections = self.builder.finish()

    @staticmethod
    def _inside(el: etree._Element, tags: tuple[str, ...]) -> bool:
        parent = el.getparent()
        while parent is not None:
            if parent.tag in tags:
                return True
            parent = parent.getparent()
        return False

    def _byline(self, line: str) -> bool:
        """`윤서진 · 2025. 5. 14.`, `커리어김 2025. 9. 2. 21:40`, `오지민 기자 jimin@example.co.kr`:
        who wrote it and when, kept for the lesson, never narrated."""
        found = byline(line)
        if found is None and len(line) <= 60:
            date, rest = parse_date(line)
            rest = re.sub(r"[\s.,|·・•/\-()]+", " ", re.sub(r"\d{1,2}:\d{2}(?::\d{2})?", "", rest)).strip()
            if date and len(rest) <= 20 and not re.search(r"[.!?]", rest):
                found = (rest, date)
            elif _SIGNATURE.match(line):
                found = (_SIGNATURE.match(line).group("name"), None)
        if found is None:
            return False
        name, date = found
        self.lesson.author = self.lesson.author or (name or None)
        self.lesson.date = self.lesson.date or date
        return True

    def table(self, el: etree._Element) -> None:
        """A vocabulary table (`slow down | 속도를 늦추다`): each two-cell row of an English and
        a Korean side is a term. Other tables are layout or data, not narration."""
        for row in el.iter("row"):
            cells = [squash(_text(c)) for c in row.findall("cell")]
            term = vocab_term(f"{cells[0]} = {cells[1]}") if len(cells) == 2 and all(cells) else None
            if term and term.korean:
                self.builder.term(term)

    def bold_heading(self, text: str) -> None:
        self.previous_quote = None
        if (len(text) <= 80 and FOOTER.match(text)) or _AFTER_ARTICLE.match(text):
            self.over = True
            return
        heading = section_heading(text)
        if heading.kind == "section" and heading.number is not None:
            self.last_number = max(self.last_number, heading.number)
        self.builder.heading(heading)

    def head(self, el: etree._Element) -> None:
        text = squash(_text(el))
        if not text or text == self.lesson.title:
            return
        rend = el.get("rend", "")
        level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
        self.previous_quote = None
        if (len(text) <= 80 and FOOTER.match(text)) or _AFTER_ARTICLE.match(text):
            self.over = True  # related posts, comments, the author's other writing
            return
        if level == self.level:
            self.builder.heading(section_heading(text))
        else:
            self.builder.paragraph(text)  # a sub-heading is narrated

    def line(self, text: str) -> None:
        """One line of a paragraph, read as the .txt reader reads a line."""
        line = clean_line(text)
        if not line or is_noise(line) or line == self.lesson.title:
            return
        if len(line) <= 80 and FOOTER.match(line):
            self.over = True
            return
        if date_line(line) or self._byline(line) or _chrome(line):
            return
        if not self.level:  # no headings on the page: numbered lines and markers are its sections
            marker = headings.marker(line)
            numbered = None if marker else headings.numbered(line)
            if marker:
                self.builder.heading(marker)
                self.previous_quote = None
                return
            if numbered and self.last_number < numbered.number <= self.last_number + 3:
                self.last_number = numbered.number
                self.builder.heading(numbered)
                self.previous_quote = None
                return
        quote = quote_line(line)
        if quote is None and is_english(line, min_words=3) and self.korean:
            quote = Quote(english=squash(line))  # an English sentence on its own line, in a Korean article
        if quote:
            self.builder.quote(quote)
            self.previous_quote = quote if quote.korean is None else None
            return
        above, self.previous_quote = self.previous_quote, None
        if above is not None:
            gloss = gloss_line(line)
            if gloss is None and _translation_line(line, above.english):
                gloss = squash(line)
            if gloss and self.builder.gloss(gloss):
                return
        self.builder.paragraph(line)


# Headings a page puts after the article (its own footer words are noise.FOOTER).
_AFTER_ARTICLE = re.compile(
    r"^(?:많이\s*본\s*(?:뉴스|기사|글)|인기\s*(?:글|기사|뉴스)|추천\s*(?:글|기사)|최신\s*(?:글|기사|뉴스)|"
    r"(?:작가의|이\s*작가의|다른)\s*(?:이전|다음)?\s*글.*|함께\s*보면\s*좋은.*|more from .*|recent posts|"
    r"recommended(?: from medium)?|responses?(?: \(\d+\))?|you might also like|read next|popular posts?)$", re.I)
_SIGNATURE = re.compile(r"^(?P<name>[^\s@]{2,12}(?:\s[^\s@]{1,12})?)\s+(?:기자|특파원|reporter)?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+$", re.I)
_BREADCRUMB = re.compile(r"^[^.!?>›»]{1,20}(?:\s*[>›»]\s*[^.!?>›»]{1,20})+$")


def _chrome(line: str) -> bool:
    """The page's buttons and counters (`라이킷 31 댓글 3 공유`, `Listen Share`, `시리즈 3/5`)
    and breadcrumbs (`경제 > 일자리`): short lines made only of such words."""
    if len(line) > 40:
        return False
    if _BREADCRUMB.match(line):
        return True
    words = line.split()
    return all(HEADER_NOISE.match(w) or is_noise(w) or re.fullmatch(r"[\d,./]+[KkMm]?", w)
               or w in _COUNTERS for w in words)


_COUNTERS = {"시리즈", "series", "views", "조회", "claps"}

_BLOCKS = ("p", "item", "list", "quote", "head")


MAX_BOLD_HEADING = 40


def _bold_heading(p: etree._Element) -> bool:
    """A paragraph that is one short bold phrase, not a sentence: `<p><hi rend="#b">회의 전 준비</hi></p>`."""
    if (p.text or "").strip() or len(p) != 1 or p[0].tag != "hi" or "#b" not in p[0].get("rend", ""):
        return False
    if (p[0].tail or "").strip():
        return False
    text = squash(_text(p))
    return (0 < len(text) <= MAX_BOLD_HEADING and not text.endswith((".", "。", "?", "!", ":", "："))
            and not re.search(r"[다요죠까][.!?]?$", text) and quote_line(text) is None and not is_english(text, 3))


def _lines(el: etree._Element) -> list[str]:
    """The lines of a block, in order: its own text, then each block inside it (a quote's
    paragraphs, a list item's nested list) on lines of their own."""
    own = [el.text or ""]
    lines: list[str] = []
    for child in el:
        if child.tag in _BLOCKS:
            lines += _split("".join(own))
            own = []
            lines += _lines(child)
            own.append(child.tail or "")
        elif child.tag == "lb":
            own.append("\n" + (child.tail or ""))
        else:
            if child.tag != "code" or _inline_code(child):
                own.append(_text(child))
            own.append(child.tail or "")
    return lines + _split("".join(own))


def _split(text: str) -> list[str]:
    return [squash(line) for line in text.split("\n") if squash(line)]
