"""Pure text helpers shared by the seed reader and the lesson writer.

Nothing here knows about lessons: slugs, scripts of a string (Hangul or
Latin), sentence splitting, speaking-time estimates and cleaning text so a
TTS voice reads it well.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata

# Speaking rates used to estimate how long a line takes before it is synthesized.
KO_SYLLABLES_PER_S = 7.0
EN_WORDS_PER_S = 2.5

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_DIGITS = re.compile(r"\d+")


def slugify(text: str, limit: int = 60) -> str:
    """ASCII [a-z0-9-] slug; "" when nothing ASCII is left."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].strip("-")


def short_hash(text: str, n: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


def has_hangul(text: str) -> bool:
    return bool(_HANGUL.search(text))


def hangul_count(text: str) -> int:
    return len(_HANGUL.findall(text))


def latin_words(text: str) -> list[str]:
    return _LATIN_WORD.findall(text)


def is_english(text: str, min_words: int = 1) -> bool:
    """Latin words and no Hangul: text the English voice should read."""
    return not has_hangul(text) and len(latin_words(text)) >= min_words


def lang_of(text: str) -> str:
    """'en' for English-only text, else 'ko' (the ko voice reads Latin words too)."""
    return "en" if is_english(text) else "ko"


def spoken_seconds(text: str, lang: str | None = None) -> float:
    """Estimated speaking time: Korean ~7 syllables/s, English ~2.5 words/s."""
    lang = lang or lang_of(text)
    words = len(latin_words(text))
    numbers = len(_DIGITS.findall(text))
    if lang == "en":
        return (words + numbers) / EN_WORDS_PER_S
    return hangul_count(text) / KO_SYLLABLES_PER_S + (words + numbers) / EN_WORDS_PER_S


def word_count(text: str) -> int:
    return len(text.split())


# --- cleaning text for a voice ---------------------------------------------

_URL = re.compile(r"https?://\S+|www\.\S+")
_ARROWS = re.compile(r"\s*(?:->|=>|[\u2190-\u21ff\u27f0-\u27ff\u2900-\u297f])\s*")
_BULLETS = "•·◦▪▫■□▶▷►◆◇○●★☆※✓✔✗✘❖➤➔"
_KEEP_SYMBOLS = set("%$€£¥₩+=&#@/")


def clean_spoken(text: str) -> str:
    """Text a voice can read: no emoji, pictographs, control characters or
    URLs, arrows turned into a pause; words, numbers and %, $, ₩... stay."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))
    text = _URL.sub(" ", text)
    text = _ARROWS.sub(", ", text)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in _BULLETS:
            out.append(" ")
        elif ch in _KEEP_SYMBOLS:
            out.append(ch)
        elif cat in ("So", "Sk", "Cs", "Co", "Cn") or ch in "\u200d\ufe0e\ufe0f\u20e3":
            out.append(" ")
        elif cat.startswith("C") and ch not in "\t\n":
            out.append(" ")
        elif cat == "Zs" or ch in "\t\n":
            out.append(" ")
        else:
            out.append(ch)
    text = "".join(out)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.!?])", r"\1", text)
    text = re.sub(r"^[,.;:\s–—]+|\s*[:：;,–—]+$", "", text)  # `– 차근차근 ...` after an English piece, `숫자로 말하기:`
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    return without_edge_brackets(text)


def without_edge_brackets(text: str) -> str:
    """A piece without a bracket at its edge whose pair went to the other voice:
    `OKR(Objectives and Key Results)을` is said `OKR Objectives and Key Results` | `을`, never `)을`."""
    return re.sub(r"^[)\]}）]+\s*|\s*[(\[{（]+$", "", text.strip()).strip()


def speakable(text: str) -> bool:
    """True when a voice would say something: a letter or a digit."""
    return any(ch.isalnum() for ch in text)


# --- sentences ---------------------------------------------------------------

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "e.g", "i.e", "u.s", "u.k",
    "inc", "ltd", "co", "corp", "jr", "sr", "no", "fig", "approx",
}


def is_abbreviation(word: str) -> bool:
    """A word whose full stop ends no sentence: "Mr.", "e.g.", "U.S.", "p.m.", "No."."""
    w = word.lower().strip("\"'“”‘’([)]")
    if not w.endswith(".") or len(w) < 2:
        return False
    w = w[:-1]
    return w in _ABBREVIATIONS or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", w))


_END = re.compile(r"[.!?…。？！]+[\"'”’)\]」』]*(?=\s|$)")
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into whole sentences (Korean or English).

    Never splits inside a quoted span, after an abbreviation like "Mr." or
    inside a number or a date written "2026. 1. 13.".
    """
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return []
    guarded = [(m.start(), m.end()) for m in _QUOTED.finditer(text) if m.end() - m.start() < 400]
    starts = [a for a, _ in guarded]
    sentences, start = [], 0
    for m in _END.finditer(text):
        end = m.end()
        k = bisect.bisect_left(starts, m.start()) - 1  # the quoted span that starts last before here
        if k >= 0 and m.start() < guarded[k][1] - 1:
            continue
        before = text[max(start, m.start() - 40):m.start()]
        last = before.split(" ")[-1].lower() if before else ""
        if m.group().startswith(".") and len(m.group()) == 1:
            if last.rstrip(".") in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", last):
                continue
            nxt = text[end:end + 2].strip()
            if last.isdigit() and (nxt[:1].isdigit() or re.search(r"\d{4}\.\s*\d{1,2}\.\s*\d{1,2}$", before)):
                continue  # a number or a date written "2026. 1. 13."
        sentence = text[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


# --- English inside Korean ------------------------------------------------------------

# a parenthesis after a word, as articles gloss terms: 내재되어야(engineered in)
PAREN_GLOSS = re.compile(r"\(([^()\n]{1,160})\)")
_ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*(?:[ ,]+[A-Za-z0-9][A-Za-z0-9'’\-]*)+(?:[.!?](?=\s|$|[\"'”’]))?")
# quotation marks around English inside Korean ('take it offline'이라고, «kaizen»): never said
QUOTE_MARKS = "\"'“”‘’「」『』«»‹›"
_EDGE_QUOTES = QUOTE_MARKS + " "


def split_languages(text: str, min_words: int = 3) -> list[tuple[str, str]]:
    """(lang, piece) in order: Korean text with its English said apart.

    An English gloss in parentheses (`위장한 공급업체 금융(vendor financing ...)`)
    or a run of `min_words` English words becomes an "en" piece; a
    capitalised name glossed after its Korean spelling (`앤트로픽(Anthropic)`)
    is dropped, since the Korean already says it. Text without Hangul is one piece.
    """
    if not has_hangul(text):
        return [(lang_of(text), text)] if text.strip() else []
    text = _REVERSE_GLOSS.sub(_unbracketed, text)
    spans: list[tuple[int, int, str]] = []  # (start, end, english or "" to drop)
    for m in PAREN_GLOSS.finditer(text):
        inside = m.group(1).strip()
        if not is_english(inside) or not _after_korean(text, m.start()):
            continue
        name = len(inside.split()) == 1 and inside[:1].isupper() and not inside.isupper()
        spans.append((m.start(), m.end(), "" if name else inside))
    for m in _ENGLISH_RUN.finditer(text):
        if _english_words(m.group()) >= min_words and not any(a < m.end() and m.start() < b for a, b, _ in spans):
            spans.append((m.start(), m.end(), m.group().strip(" ," + QUOTE_MARKS)))  # 'take it offline'이라고
    pieces: list[tuple[str, str]] = []
    at = 0
    for start, end, english in sorted(spans):
        _add_korean(pieces, text[at:start], end_of_text=False)
        if english:
            pieces.append(("en", english))
        at = end
    _add_korean(pieces, text[at:], end_of_text=True)
    return pieces


# a reverse gloss, Korean in parentheses after English (take it offline(따로 이야기하다)이라고), and what follows it
_REVERSE_GLOSS = re.compile(r"(?<=[A-Za-z0-9])\s*\(([^()A-Za-z\n]*[\uac00-\ud7a3][^()A-Za-z\n]*)\)([\uac00-\ud7a3]*)")
_LAST_ENGLISH = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*(?: [A-Za-z][A-Za-z0-9'’\-]*){0,3}$")


def _unbracketed(m: re.Match[str]) -> str:
    """A reverse gloss as said: the English, then its Korean meaning with the particle that fits it
    (take it offline(따로 이야기하다)이라고 -> take it offline 따로 이야기하다라고; AI(인공지능)를 -> AI 인공지능을),
    never the brackets; a Hangul spelling of the English (Slack(슬랙)은) is not said twice."""
    from .korean import refit, transliterates  # korean imports this module
    meaning, after = " ".join(m.group(1).split()), m.group(2)
    english = _LAST_ENGLISH.search(m.string[:m.start()])
    if english and transliterates(meaning, english.group()):
        return after
    return " " + refit(meaning, after)


def _after_korean(text: str, at: int) -> bool:
    """Whether a parenthesis at `at` follows Korean, a question or exclamation of it included
    (제가 그걸 어떻게 하면 될까요?(How am I supposed to do that?)): a gloss, not brackets to say."""
    return has_hangul(text[max(0, at - 4):at].rstrip("?!.…")[-1:])


def _english_words(run: str) -> int:
    """Words in an English run, a word with digits counted once: "B2B SaaS" is two."""
    return sum(1 for token in re.split(r"[ ,]+", run) if re.search(r"[A-Za-z]", token))


def without_glosses(text: str, english: list[str] | None = None) -> str:
    """`text` without the English glossed in parentheses after Korean:
    `시장 진출 전략(go-to-market)은` -> `시장 진출 전략은`, so the Korean voice reads it
    whole. With `english`, only the glosses of those terms (taught elsewhere) go. A sentence
    about the English itself keeps it (`이를 영어로 따로 이야기하다(take it offline)라고 합니다`
    is not `...따로 이야기하다라고 합니다`)."""
    wanted = {" ".join(t.lower().split()) for t in english} if english is not None else None

    def drop(m: re.Match[str]) -> str:
        inside = " ".join(m.group(1).split())
        if not is_english(inside) or not _after_korean(text, m.start()):
            return m.group()
        if _about_english(text, m.start(), m.end()):
            return m.group()
        return "" if wanted is None or inside.lower() in wanted else m.group()

    return _SPACED_GLOSS.sub(drop, text)


_SPACED_GLOSS = re.compile(r"\s*" + PAREN_GLOSS.pattern)
# a sentence that names the English as English: 영어로(는), 영어 표현, 영어권에서는, 영문으로
SAYS_ENGLISH = re.compile(r"영어|영문")


def _about_english(text: str, start: int, end: int) -> bool:
    """Whether the sentence around text[start:end] talks about the English word itself."""
    ends = [m.end() for m in re.finditer(r"[.!?。]\s", text[:start])]
    after = re.search(r"[.!?。](?:\s|$)", text[end:])
    sentence = text[ends[-1] if ends else 0:end + (after.end() if after else len(text))]
    return bool(SAYS_ENGLISH.search(sentence))


def _add_korean(pieces: list[tuple[str, str]], chunk: str, end_of_text: bool) -> None:
    chunk = chunk.strip(_EDGE_QUOTES)
    if not any(ch.isalnum() for ch in chunk):
        return
    if pieces and pieces[-1][0] == "ko":  # a dropped name between two Korean pieces: one line again
        pieces[-1] = ("ko", _balanced(pieces[-1][1] + chunk))
        return
    pieces.append(("ko" if has_hangul(chunk) else lang_of(chunk), _balanced(chunk)))


def _balanced(text: str) -> str:
    """Drop quote marks whose partner went to another piece."""
    for marks in ("'", '"', "“”", "‘’"):
        if sum(text.count(q) for q in marks) % 2:
            text = "".join(ch for ch in text if ch not in marks)
    return text
