"""The lesson writer: a Lesson becomes Scripts, one per episode.

Every full episode has the same shape, so the listener always knows where
they are (each part becomes a chapter), modelled on Pimsleur's anticipation and
graduated recall and Glossika's meaning-first sentence pairs:

  opening      sting, the lesson number (the article's title in its first lesson unless its trailer said
               it), the heading; how the drills work, once per article, where its drills begin (trailer or lesson)
  review       earlier items the course's schedule has due, as drills (`course.py`; at most its budget)
  narration    the section retold in Korean, in whole sentences, condensed so that English keeps a third
               of the airtime (as the slowest voices we ship say it)
  expressions  each term: English, its Korean meaning, English, a pause, English
  sentences    each key sentence: its Korean meaning, natural speed twice, built back from its end in
               chunks of up to six words, slow, a pause, natural again, a pause, natural once more
  recap        every new term and sentence as a drill: Korean cue (a term's first meaning), a pause to
               recall, the English answer (a sentence: a second try, the answer again); then more earlier
               items the schedule has due, as drills
  outro        the next lesson's heading and its first English, heard once; a sting

An item the show has already taught is recalled, not introduced again (`Recall.taught`). A trailer
tells the article's story, lists its lessons each by its Korean heading (with the English phrase it is
about, or its first, and its meaning, twice heard and said after, heard again; never English without a
meaning) and teaches only what the introduction teaches; the conclusion's items are taught, and its story
told, in the article's last lesson. Names (Anthropic, OpenAI) and English every Korean says (AI, CEO) are
not taught as vocabulary. A drill is `cue`, `pause`, `answer`. Pure and deterministic: the same Lesson and
settings give the same Scripts.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from ..config import LessonSettings
from ..korean import dictionary_form, particle, spells_answer, transliterates
from ..seed.headings import marker
from ..seed.limits import too_long_to_repeat
from ..model import Lesson, Line, MeaningSource, Quote, Script, Section, Term
from ..text import (clean_spoken, has_hangul, lang_of, latin_words, slugify, speakable, split_sentences, without_glosses,
                    word_count)
from . import phrases
from .chunks import back_chain, bounded, chunk, without_stutter
from .condense import Told, fit, is_subheading, sentence_items
from .lines import (ENGLISH_SHARE, airtime_estimate, drill, drilled, estimate_seconds, learner_seconds_in, meaning, repeat,
                    room_for_korean, say, shadow, shadows_told, sting, top_up, topic, voiced_seconds)
from .meanings import anchors

# Our own namespace: a GUID depends only on (seed id, section key).
GUID_NAMESPACE = uuid.UUID("66e6962a-d93e-5589-8b14-30cb0093899f")

TRAILER_LIST_MAX = 8  # lessons a trailer names one by one; the rest are counted
BACK_CHAIN_WORDS = 6  # a piece to build a sentence back from its end: short, as Pimsleur's are
QUOTE_MAX_CHARS = 200  # a key sentence longer than this is taught in pieces (one breath each)
PRACTICE_WORDS = (4, 15)  # a sentence to repeat aloud: a whole thought, one breath
LEARNER_SHARE = 0.25  # below this share of pauses (estimated), a lesson takes more of the recall due
ENGLISH_FLOOR = 0.31  # ...while its English (estimated, cautiously) stays at least this
RUN_ON_WORDS = 24  # a transcript's sentence this long with no punctuation inside is heard, not taught
HEARD_PIECES = 2  # breaths of such a sentence heard at most (one breath is heard three times, two twice)


def guid_for(seed_id: str, section_key: str) -> str:
    """Stable forever: never the heading or the time, so fixing a typo keeps it."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{seed_id}/{section_key}"))


def slug_for(seed_id: str, section_key: str) -> str:
    key = f"{int(section_key):02d}" if section_key.isdigit() else slugify(section_key) or "x"
    return f"{seed_id}-{key}"


# --- public API ------------------------------------------------------------------


@dataclass
class Recall:
    """What the course gives one episode before it is written: drills of earlier items for its
    opening and its recap (`course.py` chooses them), and the items the show has taught so far
    (`item_key`s), which this episode recalls rather than introduces again."""

    opening: list[list[Line]] = dataclasses.field(default_factory=list)  # drills, most overdue first
    recap: list[list[Line]] = dataclasses.field(default_factory=list)
    taught: frozenset[str] = frozenset()
    # items taught earlier with a meaning, sentences first: heard at the end of an episode that is
    # still short of a third English once its own items are heard again (`hear_earlier`)
    earlier: list[str] = dataclasses.field(default_factory=list)

    def within_floor(self, fixed: list[Line], english: list[str]) -> tuple[list[Line], list[Line]]:
        """The drills the episode takes (opening, recap), in the course's order, while `fixed` with the
        drills taken keeps ENGLISH_SHARE (a third) once topped up with `english` heard again (`top_up`): a drill is
        mostly a Korean cue and silence, and a lesson must stay a third English. What is left waits.
        A lesson that leaves the learner too little to do (pauses under LEARNER_SHARE of it: one with
        few items, say) takes them as long as English stays at its floor, ENGLISH_FLOOR; one whose English is
        short of its share whatever it recalls (a section with one loanword) takes each drill that brings it
        nearer: a sentence heard and said after, say."""
        opening: list[Line] = []
        recap: list[Line] = []
        now = 0.0  # the share with the drills taken so far
        for block, drills in ((opening, self.opening), (recap, self.recap)):
            for lines in drills:
                if not opening and not recap:  # every episode recalls something, when anything is due
                    block += lines
                    now = _share(fixed, opening + recap, english)[0]
                    continue
                share, total = _share(fixed, opening + recap + lines, english)
                idle = learner_seconds_in(fixed + opening + recap) < LEARNER_SHARE * total
                if share >= (ENGLISH_FLOOR if idle else ENGLISH_SHARE) or share > now:
                    block += lines  # within the floor, or (a lesson with little English of its own) nearer to it
                    now = share
        return _shadows_first(opening), _shadows_first(recap)


def _shadows_first(block: list[Line]) -> list[Line]:
    """A block of drills with the sentences it shadows (an answer, a pause: no cue) first, so that one
    is never heard straight after another drill's answer, as if it were part of it."""
    starts = [k for k, line in enumerate(block) if line.kind == "cue" and (k == 0 or block[k - 1].kind != "cue")
              or line.kind == "answer" and (k == 0 or block[k - 1].kind != "pause") and k + 1 < len(block)
              and block[k + 1].kind == "pause"]
    units = [block[a:b] for a, b in zip(starts, starts[1:] + [len(block)])]
    if not units or sum(map(len, units)) != len(block) or starts[0] != 0:
        return block
    return [line for unit in sorted(units, key=lambda u: u[0].kind == "cue") for line in unit]


def _share(fixed: list[Line], drills: list[Line], english: list[str]) -> tuple[float, float]:
    """(English share, seconds) of `fixed` with `drills`, once topped up with what the lesson hears again."""
    heard = english + _answers(drills)
    said, total = airtime_estimate(top_up(fixed + drills, heard + heard, ENGLISH_SHARE, "recap", phrases.LISTEN_AGAIN))
    return said / max(total, 1e-9), total


EARLIER_HEARD_MAX = 8  # items of earlier lessons an episode hears again, at most
AGAIN_HEARD_MAX = 2  # ...and sentences it drilled, heard a third time when nothing earlier is left


def hear_earlier(lines: list[Line], earlier: list[str]) -> list[Line]:
    """`lines`, when still short of ENGLISH_SHARE after `top_up`, with items the show taught earlier
    (sentences first) heard once each at the end of the recap, only as many as reach the share: after
    what it heard again of its own (one lead, «다시 들어 보세요.», for both), else after «앞서 배운 문장.» (or 표현). A lesson whose section has one loanword, or a trailer (a story and a list of lessons),
    cannot be a third English from its own items heard a third time ("decoy, decoy, decoy"); whole
    sentences the learner was taught with a meaning are worth hearing again (Glossika), and hearing is
    not a recall: the schedule counts drills only."""
    said, total = airtime_estimate(lines)
    own = {line.text for line in lines if line.lang == "en"}
    fresh = [text for text in earlier if text not in own][:EARLIER_HEARD_MAX]
    # last, a whole sentence it drilled heard once more (never a term: "decoy, decoy, decoy")
    fresh += [text for text in drilled(lines) if len(text.split()) > 4][:AGAIN_HEARD_MAX]
    if said / max(total, 1e-9) >= ENGLISH_SHARE or not fresh:
        return lines
    at = max((i + 1 for i, line in enumerate(lines) if line.part == "recap"), default=None)
    if at is None:
        return lines
    if lines[at - 1].kind == "recap" and lines[at - 1].lang == "en":  # after «다시 들어 보세요.» and its list: one lead
        return top_up(lines, fresh, ENGLISH_SHARE, "recap")
    led = lines[:at] + say("lead", phrases.earlier([]), "recap", lang="ko") + lines[at:]
    topped = top_up(led, fresh, ENGLISH_SHARE, "recap")
    heard = [line.text for line in topped[at + 1:len(topped) - (len(lines) - at)]]
    led = lines[:at] + say("lead", phrases.earlier(heard), "recap", lang="ko") + topped[at + 1:]
    more, longer = airtime_estimate(led)
    return led if heard and more / longer > said / max(total, 1e-9) else lines  # a lead before two terms can cost more


def _answers(lines: list[Line]) -> list[str]:
    """What `lines` drill, sentences first: the English a lesson may hear again to stay a third English
    while it recalls earlier items (a shadowed sentence is heard a bounded number of times: never)."""
    return sorted(drilled(lines), key=lambda text: len(text.split()) <= 4)


# called before each episode of an article with the scripts written so far for it
RecallFor = Callable[[list[Script]], Recall]


def item_key(english: str) -> str:
    """An item's identity in the show: its English, case and inflection aside (Blockers = blocker,
    "Let's start." = let's start), so an item is taught once."""
    words = re.findall(r"[a-z0-9']+", english.casefold().replace("’", "'"))
    return " ".join(_stem(w) for w in words)


def _stem(word: str) -> str:
    """A plural or third person's -s off (blockers, deadlines, makes; boxes, matches; policies)."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def write(lesson: Lesson, settings: LessonSettings, recall: RecallFor | None = None) -> list[Script]:
    """One full episode per numbered section, plus a trailer from the introduction. The
    conclusion's items are taught in the article's last lesson; `recall` gives each episode its
    drills of earlier items and what it must not introduce again."""
    sections = [s for s in lesson.sections if s.kind == "section"]
    frame = [s for s in lesson.sections if s.kind in ("intro", "outro")]
    outro = [s for s in frame if s.kind == "outro"]
    scripts: list[Script] = []

    def given() -> Recall:
        return recall(scripts) if recall else Recall()

    if frame and sections:
        scripts.append(_trailer(lesson, frame, sections, settings, given()))
    # how the drills work is said where they begin: in the trailer when it drills, else in the first lesson
    how = any(line.text == phrases.HOW_DRILLS_WORK for s in scripts for line in s.lines)
    for n, section in enumerate(sections, start=1):
        nxt = sections[n] if n < len(sections) else None
        extra = outro if nxt is None else []  # the conclusion's items close the course of the article
        scripts.append(_full(lesson, section, n, nxt, settings, given(), told=bool(frame), extra=extra, how=how))
    if not sections and frame:  # only an intro/outro: still one lesson
        merged = Section(key="1", kind="section", heading=lesson.title)
        for s in frame:
            merged.paragraphs += s.paragraphs
            merged.quotes += s.quotes
            merged.terms += s.terms
            merged.notes += s.notes
        scripts.append(_full(lesson, merged, 1, None, settings, given()))
    return scripts


def review_items(script: Script) -> tuple[list[Term], list[Quote]]:
    """The terms (with their meaning) and key sentences (with their gloss) a script teaches, read
    back from its lines, so a hand-edited script is studied as edited. A gloss is the meaning of
    the sentence after it (meaning first), or, in a script of the older shape, of the one before."""
    terms: list[Term] = []
    quotes: list[Quote] = []
    gloss: str | None = None
    gloss_source: MeaningSource = "author"
    previous: Line | None = None
    for line in script.lines:
        if line.part == "expressions" and line.kind == "term":
            if all(t.english != line.text for t in terms):
                terms.append(Term(line.text, ""))
        elif line.part == "expressions" and line.kind == "meaning" and terms and not terms[-1].korean:
            terms[-1] = Term(terms[-1].english, re.sub(r"^뜻은,\s*", "", line.text).rstrip(". "),
                             line.source or "author")
        elif line.part == "sentences" and line.kind == "gloss":
            if previous is not None and previous.kind == "quote" and quotes and quotes[-1].korean is None:
                quotes[-1] = Quote(quotes[-1].english, line.text, line.source or "author")
            else:
                gloss = line.text
                gloss_source = line.source or "author"
        elif line.part == "sentences" and line.kind == "quote":
            if all(q.english != line.text for q in quotes):
                quotes.append(Quote(line.text, gloss, gloss_source))
            gloss = None
        if line.kind != "pause":
            previous = line
    return terms, quotes


def missing_meanings(script: Script) -> list[str]:
    """The key sentences a script teaches without a Korean meaning (the build warns about them)."""
    return [q.english for q in review_items(script)[1] if not q.korean]


# --- what an episode teaches ------------------------------------------------------------


@dataclass
class Material:
    """What one episode teaches, cleaned and de-duplicated: terms with their meaning in
    dictionary form, key sentences without a speaker's stutter and at most one breath long."""

    terms: list[Term]
    quotes: list[Quote]
    notes: list[str]
    # a transcript's run-on (no punctuation, no teacher's cleaned copy): heard in the story as the
    # speaker said it (with its meaning, when it has one), never a model to repeat
    heard: list[Quote] = dataclasses.field(default_factory=list)


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


# English a Korean adult already says every day as Korean (AI(인공지능) is an aside, not vocabulary)
EVERYDAY_ENGLISH = frozenset({"AI", "IT", "CEO", "PC", "TV", "SNS", "OK", "CCTV", "GPS", "USB", "ATM", "DM"})


def is_name(term: Term) -> bool:
    """A company, product or person (Anthropic, Notion, Roger Fisher) glossed with its Hangul spelling,
    the name alone or after who they are (협상가 크리스 보스): a name to recognise, not vocabulary to drill."""
    words = term.english.split()
    capitalised = bool(words) and all(w[:1].isupper() and not w.isupper() for w in words)
    korean = term.korean.split()  # in either order: 아리스토텔레스 프로젝트 (Project Aristotle)
    return capitalised and (not has_hangul(term.korean) or bool(re.search(r"[A-Za-z]", term.korean))
                            or any(transliterates(" ".join(order[k:]), term.english)
                                   for order in (korean, korean[::-1])
                                   for k in range(max(1, len(order) - len(words) + 1))))  # not 팀 for Red Team


_PLACEHOLDER = re.compile(r"^[~～]\s*(을|를|이|가|은|는|과|와|으로|로|에게|에서|에|의)?(?=[\s\uac00-\ud7a3])")


def _spoken_placeholder(korean: str) -> str:
    """`~을 책임지고 맡다` (own something) said as 무엇을 책임지고 맡다: a voice cannot say the tilde."""
    def said(m: re.Match[str]) -> str:
        which = m.group(1) or ""
        return particle("무엇", which) if which in ("을", "를", "이", "가", "은", "는", "과", "와", "으로", "로") \
            else ("누군가" if which == "에게" else "무엇") + which
    return _PLACEHOLDER.sub(said, korean.strip())


def _dictionary_forms(korean: str) -> str:
    """Each of a term's listed meanings as a learner looks it up: 이탈이 적은, 끈끈한 -> 이탈이 적다, 끈끈하다."""
    if not korean or "(" in korean:
        return dictionary_form(korean) if korean else ""
    return ", ".join(dictionary_form(part) for part in re.split(r"\s*,\s*", korean) if part)


def material(sections: list[Section], taught: frozenset[str] = frozenset()) -> Material:
    """The terms and key sentences of `sections`, less what the show has already taught (`taught`)."""
    m = _material(sections)
    return Material([t for t in m.terms if item_key(t.english) not in taught],
                    [q for q in m.quotes if item_key(q.english) not in taught], m.notes, m.heard)


def heard_only(q: Quote) -> bool:
    """A quote to hear in the story, not to practise: one too long to repeat after in one go
    (`limits.too_long_to_repeat`), or a transcript's run-on with no punctuation inside ("we actually
    had this this sort of at the time it sounded very novel this belief that..."), which as a model
    would teach a stutter. A teacher's cleaned copy (`Quote.taught`) is taught instead."""
    if q.taught is not None:
        return too_long_to_repeat(q.taught)
    inner = q.english.strip().rstrip(".!?\"'”’")
    run_on = word_count(inner) > RUN_ON_WORDS and not re.search(r"[,;:.!?—–]|\s-\s", inner)
    return run_on or too_long_to_repeat(q.english)


def _material(sections: list[Section]) -> Material:
    terms: list[Term] = []
    quotes: list[Quote] = []
    notes: list[str] = []
    heard: list[Quote] = []
    for s in sections:
        practice = practice_sentence(s)
        if practice:
            s = dataclasses.replace(s, quotes=[practice])
        for t in s.terms:
            english = clean_spoken(t.english)
            if speakable(english) and all(english.lower() != x.english.lower() for x in terms):
                korean = _spoken_placeholder(clean_spoken(t.korean))
                if not is_name(Term(english, korean)) and english.upper() not in EVERYDAY_ENGLISH:
                    terms.append(Term(english=english, korean=_dictionary_forms(korean), source=t.source))
        for q in s.quotes:
            if heard_only(q):
                heard.append(q)
                continue
            english = without_stutter(clean_spoken(q.taught or q.english))  # a teacher's cleaned quote first
            pieces = bounded(english, QUOTE_MAX_CHARS)
            korean = clean_spoken(q.korean) if q.korean and len(pieces) == 1 else None
            for piece in pieces:
                if len(pieces) > 1 and word_count(piece) < PRACTICE_WORDS[0]:
                    continue  # the tail of a sentence cut for breath ("today 5") is no sentence to practise
                if speakable(piece) and all(piece.lower() != x.english.lower() for x in quotes):
                    quotes.append(Quote(english=piece, korean=korean, source=q.source))
        notes += s.notes
    return Material(terms, quotes, notes, heard)


# --- the parts of a lesson --------------------------------------------------------------


def _expressions(terms: list[Term], settings: LessonSettings, tries: int = 1) -> list[Line]:
    """Each term: English, its meaning, then `tries` times a pause to say it and the model again."""
    if not terms:
        return []
    part = "expressions"
    lines = say("lead", phrases.EXPRESSIONS, part, lang="ko")
    for t in terms:
        lines += say("term", t.english, part, lang="en")
        if t.korean:
            lines += meaning("meaning", t.korean, t.source, part)
        tried = repeat("term", t.english, part, settings)  # the model, then the learner's pause
        for k in range(tries):  # a second try follows the model just heard: no model twice in a row
            lines += tried if k == 0 else tried[1:]
            lines += say("term", t.english, part, lang="en")  # the model again, after the learner's try
    return lines  # each term is drilled in the recap, after the sentences: later in the lesson


def _taught(m: Material, settings: LessonSettings, around: list[Line]) -> list[Line]:
    """The expressions and sentences parts. A lesson with little to practise (few items, no key
    sentence: pauses under LEARNER_SHARE of it, `around` counted) has its learner say each term twice."""
    taught = _expressions(m.terms, settings) + _sentences(m.quotes, settings)
    english, total = airtime_estimate(around + taught)
    if m.terms and learner_seconds_in(around + taught) < LEARNER_SHARE * total:
        taught = _expressions(m.terms, settings, tries=2) + _sentences(m.quotes, settings)
    return taught


def _sentences(quotes: list[Quote], settings: LessonSettings) -> list[Line]:
    if not quotes:
        return []
    part = "sentences"
    lines = say("lead", phrases.SENTENCES, part, lang="ko")
    for q in quotes:
        if q.korean:
            lines += meaning("gloss", q.korean, q.source, part)
        lines += say("quote", q.english, part, lang="en") * 2  # heard twice before it is taken apart
        if settings.chunks and word_count(q.english) > settings.chunk_words:
            pieces = chunk(q.english, min(BACK_CHAIN_WORDS, max(2, settings.chunk_words)))
            for step in back_chain(pieces):
                lines += repeat("chunk", step, part, settings, speed=settings.slow_speed)
        lines += repeat("slow", q.english, part, settings, speed=settings.slow_speed)
        if q.korean:  # a sentence without a meaning is heard a bounded number of times (course.SHADOW_HEARD):
            # its natural-speed repeat is the recap's shadowing
            lines += repeat("quote", q.english, part, settings)
            lines += say("quote", q.english, part, lang="en")  # the model again, after the learner's try
    return lines  # each sentence is drilled (or shadowed) in the recap, after the other sentences: later, not at once


def sentence_drill(q: Quote, part: str, settings: LessonSettings) -> list[Line]:
    """A key sentence as a drill: its Korean meaning as the cue; without one it is shadowed (heard,
    said after), since there is nothing to recall it from."""
    if q.korean:
        return drill(phrases.cue(q.korean), q.english, part, settings)
    return shadow(q.english, part, settings)


def cue_for(t: Term) -> str:
    """A term's drill cue, or "" when its meaning would give the answer away: the English spelled in
    Hangul (레드팀 for red team, 배트나 for "BATNA, Best Alternative to..."), half of it so (아침 스탠드업,
    노스스타 지표), or English words of the answer inside it (`Yes를 이끌어내는 협상법` for Getting to Yes).
    Such a term is taught, never drilled."""
    if not t.korean:
        return ""
    answer = {w.lower() for w in latin_words(t.english)}
    if any(w.lower() in answer for w in latin_words(t.korean)):
        return ""
    return "" if spells_answer(t.korean, t.english) else phrases.term_cue(t.korean)


def _recap(m: Material, settings: LessonSettings, recalled: list[Line] | None = None) -> list[Line]:
    """Every term and sentence once more, as recall: cue, pause, answer (a sentence with a second
    try); then `recalled`, the course's drills of earlier items. Drills, not a read-through."""
    part = "recap"
    recalled = [dataclasses.replace(line, part=part) for line in recalled or []]
    cued = next((k for k, line in enumerate(recalled) if line.kind == "cue"), len(recalled))  # shadows come first
    lines = [line for q in m.quotes if not q.korean for line in shadow(q.english, part, settings)] + recalled[:cued]
    lines += [line for t in m.terms if (cue := cue_for(t)) for line in drill(cue, t.english, part, settings)]
    lines += [line for q in m.quotes if q.korean for line in sentence_drill(q, part, settings)]
    lines += recalled[cued:]
    return say("recap", phrases.RECAP, part, lang="ko") + lines if lines else []


def _recall(lines: list[Line]) -> list[Line]:
    """The course's drills before the new material, under their lead."""
    return say("lead", phrases.RECALL, "review", lang="ko") + lines if lines else []


def _outro(text: str, heading: str | None = None, teaser: str = "") -> list[Line]:
    """The next lesson named (`text`, then its `heading`: a heading as the opening's is, not framing),
    and with `teaser` (its first English) heard once: the learner meets the sentence before it is
    taught, as the trailer's list does; not when the heading has just said it (Jobs to Be Done)."""
    named = say("heading", phrases.ended(heading), "outro") if heading else []
    said = {item_key(line.text) for line in named if line.lang == "en"}
    heard = say("heading", teaser, "outro", lang="en") if teaser and item_key(teaser) not in said else []
    return say("outro", text, "outro", lang="ko") + named + heard + [sting("outro")]


def _narration(items: list[Told], kept: set[int], m: Material) -> list[Line]:
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
            if any(j in kept for j in range(i + 1, nxt)):
                lines += say("heading", topic(it.text), part)
        elif i in kept:
            lines += say("narration", without_glosses(it.text, taught), part)
    return lines


def _story(paragraphs: list[str], sections: list[Section], m: Material) -> list[Told]:
    """The sentences to tell, less each one that restates a key sentence the episode teaches: that one is
    said as the key sentence's gloss, right before it is heard (`meanings.anchors`)."""
    taught = {item_key(q.english) for q in m.quotes + m.heard}
    glossed = {text for s in sections for english, text in anchors(s).items() if item_key(english) in taught}
    # (a quote that stands as its own sentence is told with its restatement in one unsplit sentence)
    return [it for it in sentence_items(paragraphs) if not any(text in it.text for text in glossed)]


def _heard(m: Material, settings: LessonSettings) -> list[Line]:
    """What the speakers said that is only to be heard (`Material.heard`), in their own words (a clip a
    breath): as a listening passage, at natural speed, slowly, and at natural speed again (a passage of
    two breaths: natural, then slowly); then what it means when the seed says so. After the story."""
    lines: list[Line] = []
    for q in m.heard:
        pieces = bounded(clean_spoken(q.english), QUOTE_MAX_CHARS)[:HEARD_PIECES]
        for speed in (1.0, settings.slow_speed, 1.0)[:4 - len(pieces)]:  # a breath thrice, two breaths twice
            lines += [line for piece in pieces for line in say("narration", piece, "narration", speed=speed, lang="en")]
        lines += meaning("gloss", clean_spoken(q.korean), q.source, "narration") if q.korean else []
    return lines


def _budget(fixed: list[Line], minutes: float) -> tuple[float, float]:
    """Seconds of narration: the room for at least one sentence, and the Korean the episode can take
    while its English stays at `ENGLISH_SHARE` of airtime (timed cautiously, as the slowest Korean
    voice says it: `voiced_seconds`); never beyond what max_minutes leaves.

    Every lesson keeps one sentence of its story, whatever its English: a learner is told what the
    lesson is about before it drills them (the items heard again at the end, `top_up`, then restore
    what English they can)."""
    room = max(0.0, minutes * 60 - estimate_seconds(fixed))
    if not any(line.lang == "en" and line.spoken for line in fixed):
        return room, room  # nothing in English to keep a share of: the story is the episode
    english, total = airtime_estimate(fixed)
    return room, min(room, room_for_korean(english, total))


def _told_seconds(text: str) -> float:
    return voiced_seconds(text, lang_of(text))


def _fit_material(m: Material, settings: LessonSettings, minutes: float) -> Material:
    """Terms and sentences while they fit in the episode (at least one of each): a section
    with two hundred terms is not one lesson."""
    limit = minutes * 60 * 0.7  # the rest: opening, outro and at least a little narration
    terms: list[Term] = []
    quotes: list[Quote] = []
    for t in m.terms:
        trial = terms + [t]
        if terms and estimate_seconds(_expressions(trial, settings) + _sentences(quotes, settings)
                                      + _recap(Material(trial, quotes, []), settings)) > limit / 2:
            break
        terms = trial
    for q in m.quotes:
        trial = quotes + [q]
        if quotes and estimate_seconds(_expressions(terms, settings) + _sentences(trial, settings)
                                       + _recap(Material(terms, trial, []), settings)) > limit:
            break
        quotes = trial
    return Material(terms, quotes, m.notes, m.heard)


def _keywords(m: Material) -> list[str]:
    return [t.korean for t in m.terms if t.korean] + [t.english for t in m.terms]


def _description(korean: str, m: Material) -> str:
    keys = [t.english for t in m.terms] + [f"“{q.english}”" for q in m.quotes]
    text = korean.strip()
    if keys:
        text += " Key expressions: " + ", ".join(keys) + "."
    return text


# --- episodes -----------------------------------------------------------------------


def _full(lesson: Lesson, section: Section, n: int, nxt: Section | None, settings: LessonSettings,
          recall: Recall | None = None, told: bool = False, extra: list[Section] | None = None,
          how: bool | None = None) -> Script:
    """One lesson; `told`: the article's trailer has already said its title; `how`: how the drills work
    (by default, with the title); `extra`: sections whose items it teaches too (the conclusion's, in the
    last lesson)."""
    how = told if how is None else how
    recall = recall or Recall()
    m = _fit_material(material([section], recall.taught), settings, settings.max_minutes)
    if extra:  # the conclusion's items, fitted on their own: the section's own never crowd them out
        own = recall.taught | {item_key(x.english) for x in [*m.terms, *m.quotes]}
        more = _fit_material(material(extra, own), settings, settings.max_minutes)
        m = Material(m.terms + more.terms, m.quotes + more.quotes, m.notes, m.heard + more.heard)
    heading = section.heading.strip() or lesson.title
    opening = [sting("opening")]
    opening += say("announce", phrases.announce(n), "opening", lang="ko")
    if n == 1 and not told:  # the article's own title, once: in its trailer, or else its first lesson
        opening += say("heading", topic(lesson.title), "opening")
    if topic(heading) != topic(lesson.title) or n != 1 or told:
        opening += say("heading", topic(heading), "opening")
    if n == 1 and not how and (m.terms or m.quotes or recall.opening):  # once per article
        opening += say("lead", phrases.HOW_DRILLS_WORK, "opening", lang="ko")
    # a teacher's retelling, else the article's own sentences (an author's note is told within the budget too)
    items = _story(section.retold or section.paragraphs + section.notes, [section], m)
    for k, s in enumerate(extra or [], start=1):  # the conclusion whose items it teaches, told after its own story
        told = _story(s.retold or s.paragraphs + s.notes, [s], m)
        named = [Told(-1, s.heading, heading=True)] if told and speakable(clean_spoken(s.heading)) else []
        items += [Told(it.paragraph + k * 10_000, it.text, it.heading) for it in named + told]
    following = topic(nxt.heading) if nxt and speakable(clean_spoken(nxt.heading)) else None
    # the next lesson's first English, when it has a meaning (a shadowed sentence's hearings are kept for its recalls)
    outro = _outro(phrases.next_lesson(following), following,
                   _sample(nxt, recall.taught)[0] if nxt else "")
    heard = _heard(m, settings)
    taught = _taught(m, settings, opening + heard + _recap(m, settings) + outro)
    english = _heard_again(m)
    # recall never takes the room of the story's first sentence: a lesson is told before it drills
    story = _narration(items, fit(items, 0.0, _keywords(m), float("inf"), _told_seconds), m)
    recalled, recapped = recall.within_floor(opening + story + heard + taught + _recap(m, settings) + outro, english)
    english += _answers(recalled + recapped) * 2
    opening += _recall(recalled)
    tail = taught + _recap(m, settings, recapped) + outro
    room, budget = _budget(opening + heard + tail, settings.max_minutes)
    kept = fit(items, budget, _keywords(m), room, _told_seconds)
    narration = _narration(items, kept, m) + heard
    first = next((it.text for it in items if not it.heading), "")
    summary = phrases.ended(heading)
    if first and len(first) <= 160 and lang_of(first) == "ko":
        summary += " " + without_glosses(first)
    return Script(
        slug=slug_for(lesson.seed_id, section.key),
        guid=guid_for(lesson.seed_id, section.key),
        title=heading,
        episode_type="full",
        seed_id=lesson.seed_id,
        section_key=section.key,
        description=_description(summary, m),
        lines=shadows_told(hear_earlier(top_up(opening + narration + tail, english, ENGLISH_SHARE, "recap",
                                               phrases.LISTEN_AGAIN), recall.earlier), phrases.SAY_AFTER),
        number=n,
        date=lesson.date,
        order=n,
    )


def _heard_again(m: Material) -> list[str]:
    """What a lesson that would fall below a third English hears again at the end of its recap, in
    order: its sentences and terms, twice over; a shadowed sentence (no meaning) once, last, as the
    show says one a bounded number of times and keeps most of them for its recalls."""
    meant = [q.english for q in m.quotes if q.korean] + [t.english for t in m.terms]
    return meant + meant + [q.english for q in m.quotes if not q.korean]


def _sample(section: Section, taught: frozenset[str] = frozenset()) -> tuple[str, str]:
    """The English a lesson teaches first, with its meaning, for the trailer's list and the outro
    before it: its first key sentence of at most one breath that has a Korean meaning, else its
    first term that has a cue; ("", "") when it has neither. Never a sentence without a meaning: the
    learner would hear English they were not told, and the show says such a sentence a bounded number
    of times (`course.SHADOW_HEARD`), kept for its lesson and recalls."""
    m = material([section], taught)
    short = [(q.english, q.korean) for q in m.quotes if q.korean and word_count(q.english) <= PRACTICE_WORDS[1]]
    # the lesson's own topic first (채찍 효과 under «...: 채찍 효과»), then the terms in the article's order
    meant = sorted(((t.english, t.korean) for t in m.terms if cue_for(t)),
                   key=lambda pair: not _names_topic(pair[0], pair[1], section.heading))
    return (short + meant + [("", "")])[0]  # type: ignore[return-value]


def _names_topic(english: str, korean: str, heading: str) -> bool:
    """Whether a section's heading names the term: its Korean, its English, or its English spelled in
    Hangul (리드타임 for lead time)."""
    if korean in heading or english.lower() in heading.lower():
        return True
    return any(transliterates(word, english) for word in re.findall(r"[\uac00-\ud7a3]{2,}", heading))


def _trailer(lesson: Lesson, frame: list[Section], sections: list[Section], settings: LessonSettings,
             recall: Recall | None = None) -> Script:
    """What the series is about (the introduction and the conclusion told), what it covers, and
    the introduction's items taught; the conclusion's items wait for the article's last lesson."""
    recall = recall or Recall()
    minutes = settings.max_minutes / 2  # a trailer is short, but it must still tell the story
    m = _fit_material(material([s for s in frame if s.kind == "intro"], recall.taught), settings, minutes)
    intro = next((s for s in frame if s.kind == "intro"), None)
    outro = next((s for s in frame if s.kind == "outro"), None)
    opening = [sting("opening")]
    opening += say("announce", phrases.TRAILER, "opening", lang="ko")
    opening += say("heading", topic(lesson.title), "opening")
    # how the drills work (for the whole article's), said where the trailer's own begin: its list plays a
    # meaning straight into its English, a taste, not a drill
    lead = say("lead", phrases.HOW_DRILLS_WORK, "recap", lang="ko")
    preview: list[Line] = []  # each lesson by its number and heading: the list says how many there are
    samples: list[str] = []
    for i, s in enumerate(sections[:TRAILER_LIST_MAX], start=1):
        preview += say("heading", phrases.listed(i, topic(s.heading or lesson.title)), "narration")
        sample, korean = _sample(s, recall.taught)  # a taste of what it teaches: meaning, then English
        if sample:
            samples.append(sample)
            if korean not in s.heading:  # `"Can you walk me through it?" – 차근차근 설명해 줄래요?` just said it
                preview += say("heading", korean, "narration", lang="ko")
            # heard, said after it twice (a trailer has no drills: these are its learner's time), heard again
            preview += repeat("heading", sample, "narration", settings) * 2 + say("heading", sample, "narration", lang="en")
    if len(sections) > TRAILER_LIST_MAX:
        preview += say("lead", phrases.more_lessons(len(sections) - TRAILER_LIST_MAX), "narration", lang="ko")
    outro_lines = _outro(phrases.FIRST_LESSON)  # the first lesson's heading was just listed: not said again
    heard = _heard(m, settings)
    taught = _taught(m, settings, opening + preview + heard + lead + _recap(m, settings) + outro_lines)
    english = samples + _heard_again(m)
    # a new series opens with its own story: what the show has due (both blocks, the one before the new
    # material too) is recalled in its recap, after the list
    due = Recall(opening=[], recap=recall.opening + recall.recap, taught=recall.taught)
    _, recapped = due.within_floor(opening + preview + taught + lead + _recap(m, settings) + outro_lines, english)
    english += _answers(recapped) * 2
    recap = _recap(m, settings, recapped)
    if recap:  # 정리. 뜻을 들으면 영어로 말해 보세요. [the first cue]
        tail = taught + recap[:1] + lead + recap[1:] + outro_lines
    else:  # no drill here: how they work is said where they begin, in the first lesson
        tail = taught + outro_lines
    intro_items = _story(intro.paragraphs + intro.notes, [intro], m) if intro else []
    outro_items = [Told(it.paragraph + 10_000, it.text, it.heading)
                   for it in sentence_items(outro.paragraphs + outro.notes)] if outro else []
    both = intro_items + outro_items
    room, budget = _budget(opening + heard + preview + tail, settings.max_minutes)
    kept = fit(both, budget, _keywords(m), room, _told_seconds)
    told_intro = _narration(intro_items, {i for i in kept if i < len(intro_items)}, m)
    told_outro = _narration(outro_items, {i - len(intro_items) for i in kept if i >= len(intro_items)}, m)
    # the story runs straight on (its section headings, 들어가며 or 맺음말, are the seed's, not the trailer's)
    narration = told_intro + heard + preview + told_outro
    summary = f"'{lesson.title}' 시리즈의 예고편입니다."
    if intro and intro.heading and not marker(intro.heading):  # never a bare 들어가며 (the reader's name for it)
        summary += f" {intro.heading}."
    return Script(
        slug=f"{lesson.seed_id}-trailer",
        guid=guid_for(lesson.seed_id, "trailer"),
        title=f"{lesson.title} (예고편)",
        episode_type="trailer",
        seed_id=lesson.seed_id,
        section_key="trailer",
        description=_description(summary, m),
        lines=shadows_told(hear_earlier(top_up(opening + narration + tail, english + samples, ENGLISH_SHARE,
                                               "recap", phrases.LISTEN_AGAIN), recall.earlier), phrases.SAY_AFTER),
        number=None,
        date=lesson.date,
        order=0,
    )
