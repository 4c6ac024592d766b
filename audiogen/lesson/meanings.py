"""The article's own Korean for the key sentences it leaves untranslated (source "article").

Offline, without a teacher, we cannot translate; but an author often says what a quote means
in their own words, and a learner can be cued with that. We take it only where the article
says so plainly, because a wrong meaning is worse than none (a sentence without one is
shadowed, not drilled):

- the sentence right after the quote restates it: «이 말은 문제가 생기면 바로 멈추라는 뜻입니다»,
  «즉, 빨리 실패하라는 얘기입니다», «우리말로 옮기면 ...», or with no pointer «X라는 뜻입니다»;
- the section's heading is the same command in Korean: «문제가 보이면 라인을 멈춰라» over
  "Stop the line the moment something goes wrong": an imperative heading, an imperative
  sentence, and a word they share (a loanword spelled in Hangul, or a term the article glosses).

The restating sentence becomes the gloss said right before the key sentence (and its drill's cue),
so the story leaves it out (`anchors`). Pure: no files, no network.
"""

from __future__ import annotations

import dataclasses
import re

from ..korean import analyse, transliterates
from ..model import Lesson, Quote, Section, Term
from ..text import hangul_count, has_hangul, latin_words, split_sentences

MEANING_CHARS = (4, 120)  # a restated meaning: a phrase at least, a sentence at most
# Korean says an English sentence in 1.45-4.5 Hangul syllables a word (measured on the translations of
# fifteen articles); a restatement of a quote of two sentences under 1.6 covers one of them
# («원온원의 주인은 팀장이 아니라 팀원이다» for "This is your meeting, not mine. Bring whatever is on your mind.")
GIST_SYLLABLES_PER_WORD = 1.6

# «이 말은 X라는 뜻입니다», «즉, "X"라는 것입니다», «다시 말해 X자는 얘기죠»: the restatement is X
_POINTER = r"(?:이\s*말은|그\s*말은|이\s*문장은|위\s*문장은|그의\s*말은|그녀의\s*말은|이는|즉|곧|다시\s*말해|" \
           r"한마디로|풀어\s*(?:말하면|쓰면)|우리말로\s*(?:옮기면|하면|바꾸면)|번역하면|한국어로\s*(?:옮기면|하면))"
# the copula after it, in the present or the past (뜻입니다, 얘기다, 이야기였습니다)
_IS = r"(?:이에요|예요|입니다|이다|다|이죠|죠|일\s*겁니다|이었습니다|였습니다|이었다|였다|이었죠|였죠)"
_ABOUT = r"\s*(?:뜻|의미|말|얘기|이야기|것|거)" + _IS + r"?\s*[.!]?$"  # 거: speech's 것 (…라는 거죠)
_RESTATED = re.compile(r"^" + _POINTER + r"\s*,?\s*(?:[\"“'‘](?P<q>[^\"“”'‘’]+)[\"”'’]\s*(?:이)?(?:라는|라고\s*하는)"
                       r"|(?P<x>[^\"“”]+?(?:다|라|자|냐))는)" + _ABOUT)

# «X라는 뜻입니다» with no pointer: only right after the quote, and only as its meaning or its words
# («뜻», «말», «의미», «얘기»; «X다는 것입니다» says too many other things, but «…하라는 것입니다» and
# «…하자는 것입니다» restate a command)
_RESTATED_BARE = re.compile(r"^(?:(?P<x>[^\"“”]+?(?:다|라|자|냐))는\s*(?:뜻|의미|말|얘기|이야기)"
                            r"|(?P<c>[^\"“”]+?(?:라|자))는\s*(?:것|거)"
                            r"|(?P<g>[^\"“”]+?[다요죠]),?\s*정도의\s*(?:뜻|의미|말))" + _IS + r"?\s*[.!]?$")  # …이야기해요, 정도의 뜻
_SAYS_WHAT = re.compile(r"(?:라는|다는|이란|란)\s*(?:것|말)[은이]|[이가]란\s")

# a heading that commands (멈춰라, 고쳐라, 하지 마라, 시작하자, 물어보세요) or states a rule (…하기)
_IMPERATIVE_HEADING = re.compile(r"(?:[라자]|마라|세요|하기|십시오)\s*[.!]?$")
# the words an English command opens with (a base verb, or a negation of one)
_COMMAND_OPENERS = frozenset("""
ask be build bring buy call charge check choose cut do don't dont fail fix focus forget get give go hire
keep kill know learn leave let let's listen look make measure meet move never always only own pay pick
plan price put raise read remember run say sell send ship show sell speak start stay stop take talk
tell test think treat try use wait walk watch write
""".split())
_NOT_COMMAND_SECOND = frozenset("is are was were has have had will would can could 's 're".split())


def from_article(lesson: Lesson) -> None:
    """Give each key sentence still without a meaning the article's own, when it says one
    (in place, as the teacher does; source "article")."""
    glossary = [t for s in lesson.sections for t in s.terms if t.korean and not transliterates(t.korean, t.english)]
    for section in lesson.sections:
        for i, q in enumerate(section.quotes):
            if q.korean is not None:
                continue
            found = restated(q, section) or _by_heading(q, section, glossary)
            if found:
                section.quotes[i] = dataclasses.replace(q, korean=found, source="article")


def restated(q: Quote, section: Section) -> str | None:
    """The meaning the sentence right after `q` gives it, or None."""
    after = _sentence_after(q, section)
    m = _RESTATED.match(after.strip()) if after else None
    if not m and after:
        m = _RESTATED_BARE.match(after.strip())
        bare = m and (m.group("x") or m.group("c") or m.group("g"))
        if bare and (latin_words(bare) or _SAYS_WHAT.search(bare)):
            return None  # «NRR이 120%라는 것은 ...는 뜻입니다» says what a term means, not the quote
    if not m:
        return None
    x = next(g for g in (m.groupdict().get(k) for k in ("q", "x", "c", "g")) if g).strip(" ,'\"“”‘’")
    if not has_hangul(x) or latin_words(x) and len(" ".join(latin_words(x))) > len(x) / 2:
        return None
    if len(split_sentences(q.english)) > 1 and hangul_count(x) < GIST_SYLLABLES_PER_WORD * len(latin_words(q.english)):
        return None  # the gist of one of its sentences: a drill from it would ask for words never told
    return _declarative(x) if MEANING_CHARS[0] <= len(x) <= MEANING_CHARS[1] else None


def _declarative(x: str) -> str:
    """A restated meaning as a sentence of its own: `X라는 뜻` after a noun is the copula's 라
    (일상 업무 그 자체라 -> 일상 업무 그 자체다); after a verb it is a command (멈추라) and stays."""
    if x.endswith("라") and not x.endswith("하라"):
        morphs = analyse(x)
        if len(morphs) >= 2 and morphs[-2].tag in ("VCP", "VCN") and morphs[-1].form == "라":  # 이라, 아니라
            return x[:-1] + "다"
    return x


def anchors(section: Section) -> dict[str, str]:
    """The article's sentences that gave a key sentence its meaning, by the key sentence's English: a
    lesson that teaches the key sentence says that meaning as its gloss, so its story leaves the
    sentence out (told before the quote is heard, «위 문장은...» would point at nothing)."""
    found: dict[str, str] = {}
    for q in section.quotes:
        if q.source == "article" and q.korean:
            after = _sentence_after(q, section)
            if after and q.korean in after:
                found[q.english] = after.strip()
    return found


def _sentence_after(q: Quote, section: Section) -> str:
    """The first sentence after the quote: in its own paragraph when the quote stands inside one,
    else the opening sentence of the paragraph under it."""
    at = q.paragraph
    if at is None:
        return ""
    if at >= 1 and q.english in section.paragraphs[at - 1]:
        sentences = split_sentences(section.paragraphs[at - 1])
        for k, sentence in enumerate(sentences):
            if q.english in sentence:
                rest = sentence[sentence.index(q.english) + len(q.english):].lstrip(" \"”’'")
                if re.search(r"[.!?]$", q.english) and has_hangul(rest) and not _EMBEDS.match(rest):
                    return rest  # `"... understands." 즉, ...`: a quote of its own, the sentence after it unsplit
                return sentences[k + 1] if k + 1 < len(sentences) else _opening(section, at)
    return _opening(section, at)


# what ties a quote into its sentence (`"..."라고 말했다`, `"..."는 말`): the sentence goes on about it
_EMBEDS = re.compile(r"^(?:이?라(?:고|는|며|면서)?|고|하고|는|은|이|가|을|를|란|이란|와|과)(?:\s|$)|^[\uac00-\ud7a3]{0,2}고\s")


def _opening(section: Section, at: int) -> str:
    if at < len(section.paragraphs):
        sentences = split_sentences(section.paragraphs[at])
        return sentences[0] if sentences else ""
    return ""


def _by_heading(q: Quote, section: Section, glossary: list[Term]) -> str | None:
    """The section's heading, when it is the same command as the one key sentence that matches it."""
    heading = section.heading.strip()
    if section.kind != "section" or not has_hangul(heading) or latin_words(heading) \
            or not _IMPERATIVE_HEADING.search(heading) or not _command(q.english):
        return None
    matching = [x for x in section.quotes if x.korean is None and _command(x.english) and _shared(x.english, heading, glossary)]
    if re.search(r"[,;]\s*(?:not|never|rather than|instead of)\b", q.english, re.I) and not _CONTRAST.search(heading):
        return None  # "Start by getting feedback, not by giving it." under «피드백은 먼저 요청하라»: half of it
    return heading.rstrip(".! ") if matching == [q] else None


# a heading that says the other half of a contrast too (A가 아니라 B, A 말고 B, A 대신 B, A하지 않고 B)
_CONTRAST = re.compile(r"아니라|아닌|말고|대신|않고|보다")


def _command(english: str) -> bool:
    words = [w.lower().replace("’", "'") for w in latin_words(english)]
    return len(words) >= 3 and words[0] in _COMMAND_OPENERS and words[1] not in _NOT_COMMAND_SECOND


def _shared(english: str, korean: str, glossary: list[Term]) -> bool:
    """A word both say: an English word the Korean spells in Hangul (라인 for line), or a term the
    article glosses whose Korean the heading uses and whose English the sentence does."""
    words = [w.lower() for w in latin_words(english) if len(w) >= 3]
    hangul = re.findall(r"[\uac00-\ud7a3]+", korean)
    for token in hangul:
        stem = re.sub(r"(?:을|를|이|가|은|는|의|에|로|으로|와|과|도|만)$", "", token)
        if len(stem) >= 2 and any(transliterates(stem, w) for w in words):
            return True
    low = english.lower()
    return any(t.english.lower() in low and t.korean.split()[0] in korean for t in glossary if t.korean.split())
