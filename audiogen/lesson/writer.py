"""The lesson writer: a Lesson becomes Scripts, one per episode.

Every full episode has the same shape, so the listener always knows where
they are (each part becomes a chapter):

  opening      sting, "{show}, 두 번째 레슨.", the heading, why it matters
  narration    the section retold in Korean, condensed to fit the episode
  expressions  each English term: English, its Korean meaning, English, pause
  sentences    each key sentence: natural, (chunks), slow, pause, natural
  recap        the expressions once more, in Korean and English
  outro        a closing sentence and a sting

Pure and deterministic: the same Lesson and settings give the same Scripts.
Pauses follow NOTES.md: a repeat-after pause is 1 s plus the length of what
was just said, scaled by `pause_factor`.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from dataclasses import dataclass

from ..config import LessonSettings
from ..model import Lesson, Line, Quote, Script, Section, Term
from ..text import (clean_spoken, dictionary_form, has_hangul, lang_of, slugify, speakable, split_languages,
                   split_sentences, spoken_seconds, without_glosses, word_count, is_abbreviation)

# Our own namespace: a GUID depends only on (seed id, section key).
GUID_NAMESPACE = uuid.UUID("66e6962a-d93e-5589-8b14-30cb0093899f")

LINE_GAP = 0.35  # seconds between lines, as the mixer adds them (for estimates)
REPEAT_BASE = 1.0  # repeat-after pause: 1 s + the model utterance (Gradint)
RECALL_BASE = 2.0  # "how do you say...": a little longer to compose (Pimsleur 3-4 s)
CHUNK_MAX_WORDS = 7
MIN_NARRATION_S = 30.0
MIN_TRAILER_NARRATION_S = 75.0  # the intro's claim and the outro's test need room to be told
REVIEW_OFFSETS = (1, 2, 5, 10)  # review items from 1, 2, 5 and 10 lessons back (NOTES.md)
REVIEW_TERMS_PER_LESSON = 3
REVIEW_QUOTES_PER_LESSON = 1


def guid_for(seed_id: str, section_key: str) -> str:
    """Stable forever: never the heading or the time, so fixing a typo keeps it."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{seed_id}/{section_key}"))


def slug_for(seed_id: str, section_key: str) -> str:
    key = f"{int(section_key):02d}" if section_key.isdigit() else slugify(section_key) or "x"
    return f"{seed_id}-{key}"


# --- public API ------------------------------------------------------------------


def write(lesson: Lesson, settings: LessonSettings, show_title: str) -> list[Script]:
    """One full episode per numbered section, plus a trailer from intro + outro."""
    sections = [s for s in lesson.sections if s.kind == "section"]
    frame = [s for s in lesson.sections if s.kind in ("intro", "outro")]
    scripts: list[Script] = []
    if frame and sections:
        scripts.append(_trailer(lesson, frame, sections, settings, show_title))
    for n, section in enumerate(sections, start=1):
        nxt = sections[n] if n < len(sections) else None
        scripts.append(_full(lesson, section, n, nxt, settings, show_title))
    if not sections and frame:  # only an intro/outro: still one lesson
        merged = Section(key="1", kind="section", heading=lesson.title)
        for s in frame:
            merged.paragraphs += s.paragraphs
            merged.quotes += s.quotes
            merged.terms += s.terms
            merged.notes += s.notes
        scripts.append(_full(lesson, merged, 1, None, settings, show_title))
    return scripts


def reviews(scripts: list[Script], settings: LessonSettings, show_title: str) -> list[Script]:
    """Bonus review episodes for a series (scripts in show order).

    A review closes a seed once at least `review_every` lessons have passed since the last
    one, and only when another seed follows: an article built on its own stays exactly one
    episode per section plus its trailer. Items come from lessons 1, 2, 5 and 10 back
    (spaced repetition), asked anticipation style: the Korean meaning, a pause to answer,
    the English.
    """
    every = settings.review_every
    fulls = [s for s in scripts if s.episode_type == "full"]
    if every <= 0:
        return []
    out: list[Script] = []
    since = 0
    for end, lesson in enumerate(fulls, start=1):
        since += 1
        closes_seed = end < len(fulls) and fulls[end].seed_id != lesson.seed_id
        if closes_seed and since >= every:
            picked = [fulls[end - off] for off in REVIEW_OFFSETS if end - off >= 0]
            out.append(_review(len(out) + 1, picked, settings, show_title))
            since = 0
    return out


def renumber(script: Script, number: int, show_title: str) -> Script:
    """The same script as lesson `number` of the show (the announcement follows)."""
    lines = [
        dataclasses.replace(line, text=_announce(show_title, number)) if line.kind == "announce" else line
        for line in script.lines
    ]
    return dataclasses.replace(script, number=number, lines=lines)


def estimate_seconds(lines: list[Line]) -> float:
    """Rough length of a script: speech at the estimated rates, pauses, gaps."""
    total = 0.0
    for line in lines:
        if line.kind == "pause":
            total += line.pause
        elif line.spoken:
            total += spoken_seconds(line.text, line.lang) / max(line.speed, 0.1)
        total += LINE_GAP
    return total


# --- building blocks -----------------------------------------------------------------


def _say(kind: str, text: str, part: str, speed: float = 1.0, lang: str | None = None) -> list[Line]:
    """Spoken lines, cleaned for the voice; nothing when nothing is left to say.

    A Korean voice mangles an English phrase: in Korean text, an English term
    glossed in parentheses or a run of 3+ English words becomes its own "en"
    line, in order (short words such as B2B or SaaS stay; the Korean voice reads them).
    """
    text = clean_spoken(text)
    if not speakable(text):
        return []
    lang = lang or lang_of(text)
    pieces = split_languages(text) if lang == "ko" and has_hangul(text) and _LATIN.search(text) else []
    if not pieces:
        return [Line(kind=kind, lang=lang, text=text, speed=speed, part=part)]
    lines: list[Line] = []
    for piece_lang, piece in pieces:
        piece = clean_spoken(piece)
        if speakable(piece):
            lines.append(Line(kind=kind, lang=piece_lang, text=piece, speed=speed, part=part))
    return lines


_LATIN = re.compile(r"[A-Za-z]")


def _topic(heading: str) -> str:
    """A heading as said aloud: an English gloss in parentheses is an annotation
    there (`시장 진출 전략(GTM)을 세워라`), so the Korean is read whole without it."""
    return without_glosses(clean_spoken(heading))


def _narrate(kind: str, text: str, part: str) -> list[Line]:
    """Narration in the voice of its language, the English in Korean said apart."""
    return _say(kind, text, part)


def _pause(seconds: float, part: str) -> Line:
    return Line(kind="pause", lang=None, text="", pause=round(seconds, 2), part=part)


def _sting(part: str) -> Line:
    return Line(kind="sting", lang=None, text="", part=part)


def repeat_pause(text: str, settings: LessonSettings, base: float = REPEAT_BASE) -> float:
    """1 s + the spoken length of the model utterance, scaled by pause_factor."""
    return round((base + spoken_seconds(text, "en")) * settings.pause_factor, 2)


_ORDINALS = ("첫", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열")


def ordinal(number: int) -> str:
    """A native Korean ordinal as a listener says it (두 번째), up to ten; past that a
    Sino-Korean "레슨 N" reads better than a long ordinal, and matches the previews."""
    return f"{_ORDINALS[number - 1]} 번째" if 1 <= number <= len(_ORDINALS) else ""


def _announce(show_title: str, number: int) -> str:
    said = ordinal(number)
    return f"{show_title}, {said} 레슨." if said else f"{show_title}, 레슨 {number}."


@dataclass
class _Material:
    """What one episode teaches, cleaned and de-duplicated."""

    terms: list[Term]
    quotes: list[Quote]
    notes: list[str]


PRACTICE_WORDS = (4, 15)  # a sentence to repeat aloud: a whole thought, one breath


def practice_sentence(section: Section) -> Quote | None:
    """An English-only section that quotes nothing still gives the listener one sentence
    to say aloud: its first complete sentence of 4-15 words."""
    if section.quotes or not section.paragraphs or any(has_hangul(p) for p in section.paragraphs):
        return None
    for paragraph in section.paragraphs:
        if is_subheading(paragraph):
            continue
        for sentence in split_sentences(paragraph):
            text = clean_spoken(sentence)
            if text.endswith((".", "!", "?")) and PRACTICE_WORDS[0] <= word_count(text) <= PRACTICE_WORDS[1]:
                return Quote(english=text)
    return None


def _material(sections: list[Section]) -> _Material:
    terms: list[Term] = []
    quotes: list[Quote] = []
    notes: list[str] = []
    for s in sections:
        practice = practice_sentence(s)
        if practice:
            s = dataclasses.replace(s, quotes=[practice])
        for t in s.terms:
            english = clean_spoken(t.english)
            if speakable(english) and all(english.lower() != x.english.lower() for x in terms):
                terms.append(Term(english=english, korean=clean_spoken(t.korean)))
        for q in s.quotes:
            english = clean_spoken(q.english)
            if speakable(english) and all(english.lower() != x.english.lower() for x in quotes):
                quotes.append(Quote(english=english, korean=clean_spoken(q.korean) if q.korean else None))
        notes += s.notes
    return _Material(terms, quotes, notes)


def _expressions(terms: list[Term], settings: LessonSettings, where: str = "이번 레슨") -> list[Line]:
    if not terms:
        return []
    part = "expressions"
    lines = _say("lead", f"{where}의 영어 표현입니다. 듣고, 멈춤에서 따라 말해 보세요.", part)
    for t in terms:
        lines += _say("term", t.english, part, lang="en")
        if t.korean:
            lines += _say("meaning", f"뜻은, {dictionary_form(t.korean).rstrip('.!?')}.", part, lang="ko")
        lines += _say("term", t.english, part, lang="en")
        lines.append(_pause(repeat_pause(t.english, settings), part))
    return lines


def chunk(sentence: str, max_words: int = CHUNK_MAX_WORDS) -> list[str]:
    """Split a long English sentence into phrases a listener can repeat.

    Transcribed speech often has no punctuation at all, so the pieces are
    chosen by the words around each gap: a piece may end after a comma or a
    content word, and begins with a conjunction, a preposition or a new
    subject ("at the time", "and that they went together"); it never ends on
    "the", "at", "is", "we"... A small dynamic programme picks the cuts, so
    pieces come out balanced (about 3-7 words) and never a lone word.
    """
    words, glued = _tokens(sentence)
    if len(words) <= max_words:
        return [sentence.strip()]
    n = len(words)
    longest = max_words + 4  # allowed, at a price, when a sentence leaves no good cut
    best = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(max(0, j - longest), j):
            if best[i] == float("inf"):
                continue
            cost = best[i] + _piece_cost(j - i, max_words) - (_cut_strength(words, i) if i else 0.0)
            if cost < best[j]:
                best[j], back[j] = cost, i
    cuts, j = [], n
    while j > 0:
        cuts.append(j)
        j = back[j]
    cuts.append(0)
    cuts.reverse()
    return ["".join(w if k == a or glued[k] else " " + w for k, w in enumerate(words[a:b], start=a))
            for a, b in zip(cuts, cuts[1:])]


_DASH_JOINED = re.compile(r"(?<=[^\s—–])([—–]|--)(?=[^\s—–])")


def _tokens(sentence: str) -> tuple[list[str], list[bool]]:
    """The words, a dash written without spaces (`happened—I'd`) ending its word, so
    the gap after it can be cut like a comma; glued[k]: no space before words[k]."""
    words: list[str] = []
    glued: list[bool] = []
    for word in sentence.split():
        for k, part in enumerate(_DASH_JOINED.sub("\\1\0", word).split("\0")):
            words.append(part)
            glued.append(k > 0)
    return words, glued


def _piece_cost(length: int, max_words: int) -> float:
    """Every piece costs something (so we do not cut everywhere); odd sizes cost more."""
    if length == 1:
        return 25.0
    if length == 2:
        return 4.0 + PIECE_COST
    if length > max_words:
        return PIECE_COST + 8.0 * (length - max_words)
    return PIECE_COST + 0.4 * abs(length - 5)


PIECE_COST = 1.5  # against cutting at every weak boundary


def _bare(word: str) -> str:
    return word.lower().strip("\"'“”‘’()[]")


def _cut_strength(words: list[str], i: int) -> float:
    """How good a place the gap before words[i] is to cut; negative when it breaks a phrase."""
    prev, word = words[i - 1], words[i]
    if is_abbreviation(prev):
        # "Mr. | Kim", "No. | 1", "e.g. | a refund": the next word completes it
        if _bare(prev).rstrip(".") in _TITLES or (_bare(prev) == "no." and word[:1].isdigit()):
            return -15.0
    elif prev.rstrip("\"'”’)]").endswith((".", "!", "?", "…")):
        return 6.0
    if prev.rstrip("\"'”’)]").endswith((",", ";", ":", "—", "–", "--")):
        return 4.0  # a semicolon, a colon or a dash is a comma's pause
    if prev in ("—", "–", "-", "--"):
        return 4.0
    p, w = _bare(prev), _bare(word)
    nxt = _bare(words[i + 1]) if i + 1 < len(words) else ""
    if _ends_badly(p, w, _bare(words[i - 2]) if i >= 2 else "") or _starts_badly(p, w):
        return -15.0
    if p in _OBJECTS and (w in _DETERMINERS or w in _SUBJECTS):
        return 4.5  # a missing comma: "I see it | the customers who stay"
    if w in _CONJUNCTIONS:
        return 3.0
    if w in _PREPOSITIONS:
        return 2.0
    if w == "to":
        return 1.5
    if w in ("it", "you"):  # a new subject ("it was"), or the object ("make it work", "telling you")
        if nxt in _AUXILIARIES or _CONTRACTED.search(w) or nxt.endswith("ed"):
            return 1.5
        return -1.0 if p in _FUNCTION_WORDS else -4.0
    if w in ("too", "either") and (not nxt or nxt in _CONJUNCTIONS or nxt in _PREPOSITIONS):
        return -15.0  # "I'd be frustrated too | if ...": the adverb closes its phrase
    if w in _SUBJECTS or _CONTRACTED.search(w):
        return 1.5
    if w in _DETERMINERS:
        return 1.0
    if w in _AUXILIARIES:
        return 0.5  # subject | predicate
    return -2.0  # between two content words: likely inside a phrase ("sticky | reliable")


def _ends_badly(p: str, w: str, before: str) -> bool:
    """A piece must not stop on a word that needs the next one: "the", "at", "is", "we"..."""
    if p == "of" and before in ("sort", "kind"):
        return False  # the hedge "sort of" / "kind of" stands on its own
    if p in ("this", "that", "these", "those"):
        return w not in _FUNCTION_WORDS  # "this belief" binds; "had this | this sort of" does not
    if p == "too":
        return w not in _FUNCTION_WORDS  # "too high" binds; "frustrated too | if" closes
    return p in _BINDING or p in _PREPOSITIONS or p in _CONJUNCTIONS or bool(_CONTRACTED.search(p))


def _starts_badly(p: str, w: str) -> bool:
    """A piece must not start with a word that leans on the one before: "of", "to" after "able"..."""
    if w == "of" or w.startswith(("'", "’")):
        return True
    if w == "like" and p in _LIKE_VERBS:
        return True  # "looks like" is one verb
    return w == "to" and p in _TO_VERBS


# abbreviations that lead into the next word ("U.S.", "p.m." close a phrase as any word does)
_TITLES = {"mr", "mrs", "ms", "dr", "prof", "st", "vs", "e.g", "i.e", "fig", "approx"}
_CONJUNCTIONS = {
    "and", "but", "or", "nor", "so", "yet", "that", "which", "who", "whom", "whose", "when", "where", "while",
    "if", "because", "although", "though", "since", "until", "unless", "whether", "once", "whereas",
    "how", "why", "what",
}
_SUBJECTS = {"i", "we", "they", "he", "she", "you", "it", "there"}
_OBJECTS = {"it", "them", "us", "me", "him"}
_DETERMINERS = {
    "the", "a", "an", "this", "that", "these", "those", "some", "any", "each", "every", "my", "our",
    "their", "his", "her", "its", "your", "no", "such", "all", "most", "many", "much", "both",
}
_AUXILIARIES = {
    "is", "are", "was", "were", "be", "been", "being", "am", "will", "would", "can", "could", "should",
    "may", "might", "must", "shall",
}
# words a piece never ends on (prepositions and conjunctions are checked too)
_BINDING = (_DETERMINERS - {"this", "that", "these", "those", "all", "most", "many", "much", "both"}) \
    | _AUXILIARIES | (_SUBJECTS - _OBJECTS) | {"to", "of", "not", "very", "too", "so", "more", "less", "quite", "rather", "than"}
_PREPOSITIONS = {
    # not "of" or "to": they bind to the word before ("all of", "able to")
    "in", "on", "at", "for", "with", "from", "by", "about", "into", "onto", "through", "during",
    "without", "within", "between", "over", "under", "across", "against", "toward", "towards", "like",
    "after", "before", "as", "among", "around", "behind", "beyond", "per", "via", "upon",
}
_CONTRACTED = re.compile(r"(?:'|’)(?:s|re|m|ve|ll|d)$|n(?:'|’)t$")  # we're, it's, the company's, don't
_LIKE_VERBS = {"look", "looks", "looked", "sound", "sounds", "sounded", "feel", "feels", "felt",
               "seem", "seems", "seemed"}
_TO_VERBS = {"going", "have", "has", "had", "want", "wants", "wanted", "need", "needs",
             "needed", "used", "ought", "got"}  # "going to", "have to": one unit
_FUNCTION_WORDS = _DETERMINERS | _AUXILIARIES | _SUBJECTS | _PREPOSITIONS | _CONJUNCTIONS | {"to", "of", "not"}


def _sentences(quotes: list[Quote], settings: LessonSettings) -> list[Line]:
    if not quotes:
        return []
    part = "sentences"
    lines = _say("lead", "이제 핵심 문장입니다. 자연스러운 속도로 한 번, 천천히 한 번 들려드릴게요.", part)
    for k, q in enumerate(quotes):
        if k:  # a boundary the ear can hear: the last "natural" pass is not the next sentence
            lines += _say("lead", "다음 문장입니다.", part, lang="ko")
        lines += _say("quote", q.english, part, lang="en")
        if q.korean:
            lines += _say("gloss", q.korean, part, lang="ko")
        if settings.chunks and word_count(q.english) > settings.chunk_words:
            lines += _say("lead", "끊어서 따라 해 볼게요.", part)
            for piece in chunk(q.english, min(CHUNK_MAX_WORDS, max(2, settings.chunk_words))):
                lines += _say("chunk", piece, part, speed=settings.slow_speed, lang="en")
                lines.append(_pause(repeat_pause(piece, settings), part))
        lines += _say("slow", q.english, part, speed=settings.slow_speed, lang="en")
        lines.append(_pause(repeat_pause(q.english, settings), part))
        lines += _say("quote", q.english, part, lang="en")
    return lines


def _recap(summary: str, m: _Material) -> list[Line]:
    part = "recap"
    lines = _say("recap", summary, part, lang="ko")
    if m.terms:
        lines += _say("recap", "오늘의 표현을 다시 정리합니다.", part, lang="ko")
        for t in m.terms:
            if t.korean:
                lines += _say("recap", dictionary_form(t.korean), part, lang="ko")
            lines += _say("recap", t.english, part, lang="en")
    if len(m.quotes) == 1:
        lines += _say("recap", "그리고 오늘의 문장.", part, lang="ko")
    elif m.quotes:
        lines += _say("recap", f"그리고 오늘의 문장 {_COUNTS[min(len(m.quotes), len(_COUNTS)) - 1]}.", part, lang="ko")
    for q in m.quotes:
        lines += _say("recap", q.english, part, lang="en")
    return lines


_COUNTS = ("하나", "두 개", "세 개", "네 개", "다섯 개", "여러 개")


def _outro(next_heading: str | None) -> list[Line]:
    part = "outro"
    lines = _say("outro", "오늘 레슨은 여기까지입니다.", part, lang="ko")
    if next_heading and speakable(clean_spoken(next_heading)):
        lines += _say("outro", f"다음 레슨의 주제는, {_topic(next_heading)}.", part)
    lines += _say("outro", "출퇴근길에 오늘 배운 문장을 한 번 더 소리 내어 말해 보세요.", part, lang="ko")
    lines.append(_sting(part))
    return lines


def _trailer_outro(first_heading: str | None, practised: bool) -> list[Line]:
    """A trailer previews the series: it closes by pointing at the first lesson, not as a lesson."""
    part = "outro"
    lines = _say("outro", "지금까지 이 시리즈의 예고편이었습니다.", part, lang="ko")
    if practised:
        lines += _say("outro", "방금 들은 문장을 한 번 더 소리 내어 말해 보세요.", part, lang="ko")
    if first_heading and speakable(clean_spoken(first_heading)):
        lines += _say("outro", f"첫 번째 레슨의 주제는, {_topic(first_heading)}.", part)
    lines += _say("outro", "그럼 첫 번째 레슨에서 만나요.", part, lang="ko")
    lines.append(_sting(part))
    return lines


@dataclass(frozen=True)
class _Told:
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


def _sentence_items(paragraphs: list[str]) -> list[_Told]:
    """Every sentence and sub-heading, in order."""
    items = []
    for p, paragraph in enumerate(paragraphs):
        if is_subheading(paragraph):
            items.append(_Told(p, paragraph.strip(), heading=True))
            continue
        for sentence in split_sentences(paragraph):
            if speakable(clean_spoken(sentence)):
                items.append(_Told(p, sentence))
    return items


# A sentence that opens like this leans on the one before it; one that ends
# like this announces the next. Condensing keeps such pairs together.
_LEANS_BACK = re.compile(r"^(?:바로|이는|이 때문에|이처럼|이렇게|그래서|따라서|즉|그러나|하지만|"
                         r"또한|게다가|그러므로|그 결과|다시 말해)[\s,]")
MAX_UNIT = 3  # sentences kept together at most
_LEANS_FORWARD = re.compile(r"(?:이것입니다|다음과 같습니다|이렇습니다|때문입니다)[.!]?$|[:：]$")


def condense(items: list[tuple[int, str]], budget_s: float, m: _Material | None = None) -> list[str]:
    """Keep whole sentences, in order, within `budget_s` seconds of speech.

    When everything does not fit, sentences that use a taught expression (the
    article's key claim) come first, then the first sentence of each
    paragraph; a sentence that leans on its neighbour ("바로 ...", "하지만 ...",
    "...이것입니다.") is kept with it or not at all.
    """
    keep = _keep([_Told(p, s) for p, s in items], budget_s, m)
    return [s for i, (_, s) in enumerate(items) if i in keep]


def _keep(items: list[_Told], budget_s: float, m: _Material | None) -> set[int]:
    costs = [spoken_seconds(clean_spoken(it.text)) + LINE_GAP for it in items]
    if sum(costs) <= budget_s:
        return set(range(len(items)))
    keywords = [t.korean for t in m.terms if t.korean] + [t.english for t in m.terms] if m else []
    units: list[list[int]] = []  # runs of sentences that only make sense together
    for i, it in enumerate(items):
        joined = units and i > 0 and (_LEANS_BACK.match(it.text) or _LEANS_FORWARD.search(items[i - 1].text.strip()))
        if joined and len(units[-1]) < MAX_UNIT:
            units[-1].append(i)
        else:
            units.append([i])

    def score(unit: list[int]) -> int:
        keyed = any(k and k in items[i].text for i in unit for k in keywords)
        first = unit[0] == 0 or items[unit[0] - 1].paragraph != items[unit[0]].paragraph
        return 3 * keyed + 2 * first

    keep: set[int] = set()
    used = 0.0
    for unit in sorted(units, key=lambda u: (-score(u), u[0])):
        cost = sum(costs[i] for i in unit)
        if used + cost <= budget_s or not keep:
            keep.update(unit)
            used += cost
    return keep


def _narration(items: list[_Told], keep: set[int], notes: list[str], m: _Material) -> list[Line]:
    """The kept sentences; a sub-heading only when something under it is kept.

    The English gloss of a term this episode teaches is left out of the Korean sentence
    (`목적(purpose)을` is read `목적을`): the sentence stays one clip in one voice, and the
    term is heard in English, twice, in the expressions part right after."""
    taught = [t.english for t in m.terms]
    part = "narration"
    lines: list[Line] = []
    for i, it in enumerate(items):
        if it.heading:
            nxt = next((j for j in range(i + 1, len(items)) if items[j].heading), len(items))
            if any(j in keep for j in range(i + 1, nxt)):
                lines += _say("heading", _topic(it.text), part)
        elif i in keep:
            lines += _narrate("narration", without_glosses(it.text, taught), part)
    for note in notes:
        lines += _narrate("note", without_glosses(note, taught), part)
    return lines


def _fit(items: list[_Told], fixed: list[Line], minutes: float, m: _Material,
         least: float = MIN_NARRATION_S) -> set[int]:
    """Which items to tell, so the episode stays near `minutes`."""
    budget = max(least, minutes * 60 - estimate_seconds(fixed))
    sentences = [i for i, it in enumerate(items) if not it.heading]
    kept = _keep([items[i] for i in sentences], budget, m)
    return {sentences[k] for k in kept}


def _why(first: str | None, m: _Material, part: str = "opening") -> list[Line]:
    if first:
        if lang_of(clean_spoken(first)) == "ko":
            # the terms glossed here are taught in this episode: the opening reads whole in Korean
            first = without_glosses(first, [t.english for t in m.terms])
            return _say("narration", f"왜 중요할까요? {first}", part, lang="ko")
        return _say("narration", "왜 중요할까요?", part, lang="ko") + _say("narration", first, part, lang="en")
    return _say("narration", f"이번 레슨에서는 영어 표현 {len(m.terms)}개와 핵심 문장 {len(m.quotes)}개를 익힙니다.", part, lang="ko")


def _description(korean: str, m: _Material) -> str:
    keys = [t.english for t in m.terms] + [f"“{q.english}”" for q in m.quotes]
    text = korean.strip()
    if keys:
        text += " Key expressions: " + ", ".join(keys) + "."
    return text


# --- episodes -----------------------------------------------------------------------


def _full(lesson: Lesson, section: Section, n: int, nxt: Section | None,
          settings: LessonSettings, show_title: str) -> Script:
    m = _material([section])
    heading = section.heading.strip() or lesson.title
    items = _sentence_items(section.paragraphs)
    start = next((i for i, it in enumerate(items) if not it.heading), None)
    first = items[start].text if start is not None else None
    opening = [_sting("opening")]
    opening += _say("announce", _announce(show_title, n), "opening", lang="ko")
    opening += _say("heading", _topic(heading), "opening")
    opening += _why(first, m)
    rest = [it for i, it in enumerate(items) if i != start]
    tail = (_expressions(m.terms, settings) + _sentences(m.quotes, settings)
            + _recap(f"지금까지 살펴본 주제는, {_topic(heading)}.", m)
            + _outro(nxt.heading if nxt else None))
    narration = _narration(rest, _fit(rest, opening + tail, settings.max_minutes, m), section.notes, m)
    summary = f"{heading}."
    if first and len(first) <= 160 and lang_of(first) == "ko":
        summary += " " + first
    return Script(
        slug=slug_for(lesson.seed_id, section.key),
        guid=guid_for(lesson.seed_id, section.key),
        title=heading,
        episode_type="full",
        seed_id=lesson.seed_id,
        section_key=section.key,
        description=_description(summary, m),
        lines=opening + narration + tail,
        number=n,
        date=lesson.date,
        order=n,
    )


def _trailer(lesson: Lesson, frame: list[Section], sections: list[Section],
             settings: LessonSettings, show_title: str) -> Script:
    """Intro + outro: what the series is about, what it covers, how it ends."""
    m = _material(frame)
    intro = next((s for s in frame if s.kind == "intro"), None)
    outro = next((s for s in frame if s.kind == "outro"), None)
    opening = [_sting("opening")]
    opening += _say("announce", f"{show_title}. 새 시리즈를 소개합니다.", "opening", lang="ko")
    opening += _say("heading", _topic(lesson.title), "opening")
    preview = _say("lead", f"이 시리즈는 {len(sections)}개의 레슨으로 이어집니다.", "narration", lang="ko")
    for i, s in enumerate(sections, start=1):
        preview += _say("narration", f"레슨 {i}, {_topic(s.heading or lesson.title)}.", "narration")
    tail = (_expressions(m.terms, settings, where="이 시리즈") + _sentences(m.quotes, settings)
            + _recap(f"이 시리즈의 주제는, {_topic(lesson.title)}.", m) + _trailer_outro(sections[0].heading, bool(m.quotes)))
    minutes = settings.max_minutes / 2  # a trailer is short, but it must still tell the story
    intro_items = _sentence_items(intro.paragraphs) if intro else []
    outro_items = [_Told(it.paragraph + 10_000, it.text, it.heading)
                   for it in _sentence_items(outro.paragraphs)] if outro else []
    both = intro_items + outro_items
    kept = _fit(both, opening + preview + tail, minutes, m, least=MIN_TRAILER_NARRATION_S)
    narration: list[Line] = []
    if intro:
        narration += _say("heading", _topic(intro.heading), "narration")
        narration += _narration(intro_items, {i for i in kept if i < len(intro_items)}, intro.notes, m)
    narration += preview
    if outro:
        narration += _say("heading", _topic(outro.heading), "narration")
        narration += _narration(outro_items, {i - len(intro_items) for i in kept if i >= len(intro_items)},
                                outro.notes, m)
    summary = f"'{lesson.title}' 시리즈의 예고편입니다."
    if intro and intro.heading:
        summary += f" {intro.heading}."
    return Script(
        slug=f"{lesson.seed_id}-trailer",
        guid=guid_for(lesson.seed_id, "trailer"),
        title=f"{lesson.title} (예고편)",
        episode_type="trailer",
        seed_id=lesson.seed_id,
        section_key="trailer",
        description=_description(summary, m),
        lines=opening + narration + tail,
        number=None,
        date=lesson.date,
        order=0,
    )


# --- reviews --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    english: str
    korean: str | None


def review_items(script: Script) -> tuple[list[_Item], list[_Item]]:
    """The terms and key sentences a script taught, read back from its lines
    (so a hand-edited script is reviewed as edited)."""
    terms: list[_Item] = []
    quotes: list[_Item] = []
    for line in script.lines:
        if line.part == "expressions" and line.kind == "term" and line.text:
            if not terms or terms[-1].english != line.text:
                terms.append(_Item(line.text, None))
        elif line.part == "expressions" and line.kind == "meaning" and terms:
            meaning = re.sub(r"^뜻은,\s*", "", line.text).rstrip(".")
            terms[-1] = _Item(terms[-1].english, meaning or None)
        elif line.part == "sentences" and line.kind == "quote" and line.text:
            if all(q.english != line.text for q in quotes):
                quotes.append(_Item(line.text, None))
        elif line.part == "sentences" and line.kind == "gloss" and quotes:
            quotes[-1] = _Item(quotes[-1].english, line.text)
    return terms, quotes


def _review(k: int, picked: list[Script], settings: LessonSettings, show_title: str) -> Script:
    part = "review"
    lines = [_sting("opening")]
    lines += _say("announce", f"{show_title}, 복습 시간입니다.", "opening", lang="ko")
    lines += _say("lead", "한국어 뜻을 듣고, 멈춤 동안 영어로 말해 보세요. 그다음 정답을 두 번 들려드립니다.",
                  "opening", lang="ko")
    keys: list[str] = []
    for script in picked:
        terms, quotes = review_items(script)
        for item in terms[:REVIEW_TERMS_PER_LESSON] + quotes[:REVIEW_QUOTES_PER_LESSON]:
            if item.english in keys:
                continue
            keys.append(item.english)
            if item.korean:
                lines += _say("cue", f"{item.korean.rstrip('.!?。 ')}. 영어로는?", part, lang="ko")
                lines.append(_pause(repeat_pause(item.english, settings, RECALL_BASE), part))
            else:
                lines += _say("cue", "이 문장, 기억나세요? 듣고 따라 말해 보세요.", part, lang="ko")
            lines += _say("answer", item.english, part, lang="en")
            lines.append(_pause(repeat_pause(item.english, settings), part))
            lines += _say("answer", item.english, part, lang="en")
    lines += _say("outro", "복습을 마칩니다. 잘하셨어요.", "outro", lang="ko")
    lines.append(_sting("outro"))
    last = picked[0]
    reviewed = ", ".join(s.title for s in picked)
    described = [f"“{e}”" if len(e.split()) > 4 else e for e in keys]
    description = f"지난 레슨({reviewed})의 표현과 문장을 복습합니다."
    if described:
        description += " Key expressions: " + ", ".join(described) + "."
    return Script(
        slug=f"review-{k:02d}",
        guid=str(uuid.uuid5(GUID_NAMESPACE, "review/" + ",".join(s.guid for s in picked))),
        title=f"복습 {k}",
        episode_type="bonus",
        seed_id=last.seed_id,
        section_key=f"review-{k:02d}",
        description=description,
        lines=lines,
        number=None,
        date=last.date,
        order=last.order,
    )
