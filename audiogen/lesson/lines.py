"""The building blocks of a script: spoken lines cleaned for their voice, pauses,
stings and drills, and how long a run of lines will take.

Pauses follow the courses we model (Pimsleur, Gradint): to repeat, the learner gets 1 s
plus 1.3 times the length of what they must say (1 x after a model at natural speed),
scaled by `pause_factor`; to recall (a drill's cue -> answer) 2.5 s plus the time to say
the answer, never less than 2.5 s nor than a repeat pause.
"""

from __future__ import annotations

import dataclasses
import math

from ..config import LessonSettings
from ..korean import voice_pieces
from ..model import FRAMING, Clip, Kind, Line, MeaningSource, Span
from ..text import (EN_WORDS_PER_S, clean_spoken, hangul_count, has_hangul, lang_of, latin_words, speakable,
                    split_languages, spoken_seconds, without_glosses)

LINE_GAP = 0.35  # seconds between lines, as the mixer adds them (for estimates)
PAUSE_BASE = 1.0  # a pause for the learner: 1 s...
RECALL_BASE = 2.5  # ...but 2.5 s to recall (cue -> answer): long enough to retrieve, not only to repeat
PAUSE_PER_SECOND = 1.3  # ...plus 1.3 x the length of what they must recall, or repeat after the slow pass
REPEAT_PER_SECOND = 1.0  # ...or 1 x what they repeat right after hearing it at natural speed (Gradint)
# pauses that get the full 1.3 x: after the slow pass, and after the trailer's list of lessons (English the
# learner meets there for the first time)
SAY_AFTER_KINDS = ("slow", "heading")


def say(kind: Kind, text: str, part: str, speed: float = 1.0, lang: str | None = None) -> list[Line]:
    """Spoken lines, cleaned for their voice; nothing when nothing is left to say.

    Korean text goes through `korean.voice_pieces`: an English gloss in parentheses, an acronym or
    any other Latin word is said by the English voice, symbols become words and Hanja is dropped,
    so the Korean voice never spells out letters or reads "equals".
    """
    text = clean_spoken(text)
    if not speakable(text):
        return []
    lang = lang or lang_of(text)
    if lang != "ko" or not has_hangul(text):
        return [Line(kind=kind, lang=lang, text=text, speed=speed, part=part)]
    lines: list[Line] = []
    for piece_lang, piece in split_languages(text, min_words=1):
        pieces = voice_pieces(piece) if piece_lang == "ko" else [("en", piece)]
        for sub_lang, sub in pieces:
            sub = clean_spoken(sub)
            if speakable(sub):
                lines.append(Line(kind=kind, lang=sub_lang, text=sub, speed=speed, part=part))
    return lines


def meaning(kind: Kind, korean: str, source: MeaningSource, part: str) -> list[Line]:
    """A term's meaning or a key sentence's gloss, each spoken piece marked with where the Korean
    came from, so the script JSON, the page and the build's summary can tell machine-made meanings."""
    return [dataclasses.replace(line, source=source) for line in say(kind, korean, part, lang="ko")]


def topic(heading: str) -> str:
    """A heading as said aloud: an English gloss in parentheses is an annotation there
    (`시장 진출 전략(GTM)을 세워라`), so the Korean is read whole without it."""
    return without_glosses(clean_spoken(heading))


def pause(seconds: float, part: str) -> Line:
    return Line(kind="pause", lang=None, text="", pause=round(seconds, 2), part=part)


def sting(part: str) -> Line:
    return Line(kind="sting", lang=None, text="", part=part)


def learner_seconds(text: str, speed: float, settings: LessonSettings, per_second: float = PAUSE_PER_SECOND,
                    base: float = PAUSE_BASE) -> float:
    """The pause a learner gets to say `text` (heard at `speed`): 1 s (`base`) + 1.3 x its length."""
    heard = spoken_seconds(text, "en") / max(speed, 0.1)  # an estimate: `fit_pauses` corrects it from the audio
    return _hundredths((base + per_second * heard) * settings.pause_factor)


def recall_seconds(answer: str, settings: LessonSettings) -> float:
    """The pause between a drill's cue and its answer: 2.5 s to retrieve + the time to say the answer,
    and never less than a repeat pause (1 s + 1.3 x the answer) nor, whatever `pause_factor`, 2.5 s."""
    return max(RECALL_BASE, learner_seconds(answer, 1.0, settings, per_second=1.0, base=RECALL_BASE),
               learner_seconds(answer, 1.0, settings))


def top_up(lines: list[Line], english: list[str], floor: float, part: str, lead: str = "") -> list[Line]:
    """`lines` with `english` heard once more (natural speed) at the end of `part`, one after another,
    only while the estimated English share is below `floor`: an episode of drills (a Korean cue, a
    silence, a short answer) must still be a third English. `lead` (다시 들어 보세요) comes before the
    first, so a learner knows the English that follows is to listen to, not to answer."""
    at = max((i + 1 for i, line in enumerate(lines) if line.part == part),
             default=next((i for i, line in enumerate(lines) if line.part == "outro"), len(lines)))
    added: list[Line] = []
    said, total = airtime_estimate(lines)
    for text in english:
        if said / max(total, 1e-9) >= floor:
            break
        if len(text.split()) <= 4 and text == (added[-1].text if added else lines[at - 1].text if at else ""):
            continue  # a term never twice in a row ("cold approach, cold approach" sounds like a stutter)
        heard = say("recap", text, part, lang="en")
        if not added and heard:
            heard = say("lead", lead, part, lang="ko") + heard if lead else heard
        if not added:  # the first may open the part: its gaps are the whole list's to count
            said, total = airtime_estimate(lines[:at] + heard + lines[at:])
        elif heard:  # the next ones join the part: each adds its own words and gap
            more, longer = airtime_estimate(heard)
            said, total = said + more, total + longer
        added += heard
    return lines[:at] + added + lines[at:]


def _hundredths(seconds: float) -> float:
    """Up to the next hundredth: a pause is never a rounding short of what the learner needs."""
    return math.ceil(round(seconds * 100, 6)) / 100


def repeat(kind: Kind, text: str, part: str, settings: LessonSettings, speed: float = 1.0) -> list[Line]:
    """English to repeat: the model, then a pause sized to it (longer after the slow pass)."""
    lines = say(kind, text, part, speed=speed, lang="en")
    per_second = PAUSE_PER_SECOND if kind in SAY_AFTER_KINDS else REPEAT_PER_SECOND
    return lines + [pause(learner_seconds(text, speed, settings, per_second), part)] if lines else []


def drill(cue: str, answer: str, part: str, settings: LessonSettings) -> list[Line]:
    """Anticipation: a Korean cue, a pause to answer in English, then the answer (and, for a
    sentence, `shadowing`)."""
    cued = say("cue", cue, part, lang="ko")
    answered = say("answer", answer, part, lang="en")
    if not cued or not answered:
        return []
    return cued + [pause(recall_seconds(answer, settings), part)] + answered + shadowing(answer, part, settings)


def shadow(sentence: str, part: str, settings: LessonSettings) -> list[Line]:
    """A sentence the learner has no Korean meaning for, practised by shadowing: the model, then a
    pause to say it after it. Never a drill: with nothing to recall it from, a cue would only ask
    the learner to parrot its opening words."""
    heard = say("answer", sentence, part, lang="en")
    return heard + [pause(learner_seconds(sentence, 1.0, settings, REPEAT_PER_SECOND), part)] if heard else []


def shadows_told(lines: list[Line], lead: str) -> list[Line]:
    """`lines` with `lead` (따라 말해 보세요) before a shadowed sentence that would come straight after
    another answer: "deadline" then "Unfortunately, I won't be able to make it this time." sounds like
    one answer to the cue 마감, and nothing tells the learner the second is to be said after."""
    out: list[Line] = []
    for k, line in enumerate(lines):
        shadowed = line.kind == "answer" and k + 1 < len(lines) and lines[k + 1].kind == "pause"
        if shadowed and out and out[-1].kind == "answer" and out[-1].text != line.text:
            out += say("lead", lead, line.part, lang="ko")
        out.append(line)
    return out


def drilled(lines: list[Line]) -> list[str]:
    """The answers `lines` ask for as drills (cue, pause, answer), in order, each once: what a
    learner recalls, as opposed to a sentence they only shadow (`shadow`)."""
    return list(dict.fromkeys(lines[k].text for k in range(2, len(lines)) if lines[k].kind == "answer"
                              and lines[k - 1].kind == "pause" and lines[k - 2].kind == "cue"))


SHADOW_WORDS = 4  # a drilled sentence this long gets a second try after the answer (shadowing)


def shadowing(answer: str, part: str, settings: LessonSettings) -> list[Line]:
    """After the answer of a sentence drill: a pause to say it after the model (a second try), and the
    model again. A term's answer is said once: heard twice back to back it only fills time."""
    if len(answer.split()) < SHADOW_WORDS:
        return []
    return [pause(learner_seconds(answer, 1.0, settings, REPEAT_PER_SECOND), part)] + say("answer", answer, part, lang="en")


# The slowest voices we ship, measured on built lessons: eSpeak NG says ~4.5 Korean syllables a
# second (the estimate above assumes 7), Piper ~3.45 English words a second (the estimate: 2.5).
# Budgeting Korean against English with these keeps the English share with any voice.
SLOW_KO_SYLLABLES_PER_S = 4.5
FAST_EN_WORDS_PER_S = 3.45
STING_S = 2.5
PART_GAP = 0.9  # seconds between parts, as the mixer adds them by default
ENGLISH_SHARE = 0.33  # the writer aims here; lessons must reach 0.30 of airtime whatever the voice
# what every episode must measure in its audio: English and the learner's pauses at least, framing at most
MIN_ENGLISH, MIN_LEARNER, MAX_FRAMING = 0.30, 0.20, 0.12


def voiced_seconds(text: str, lang: str | None) -> float:
    """A cautious speaking time for airtime budgets: Korean at the slowest voice, English at the fastest."""
    if lang == "en":
        return len(latin_words(text)) / FAST_EN_WORDS_PER_S
    return hangul_count(text) / SLOW_KO_SYLLABLES_PER_S + len(latin_words(text)) / FAST_EN_WORDS_PER_S


def airtime_estimate(lines: list[Line]) -> tuple[float, float]:
    """(English seconds, total seconds) a run of lines will cautiously take (see `voiced_seconds`)."""
    english = total = 0.0
    for k, line in enumerate(lines):
        if k and line.part != lines[k - 1].part:
            total += PART_GAP - LINE_GAP
        if line.kind == "pause":  # sized now from the estimate's slower English: `fit_pauses` will shorten it
            fixed = RECALL_BASE if k and lines[k - 1].kind == "cue" else PAUSE_BASE  # the part that stays
            base = min(line.pause, fixed)
            total += base + (line.pause - base) * EN_WORDS_PER_S / FAST_EN_WORDS_PER_S
            continue
        if line.kind == "sting":
            total += STING_S
        elif line.spoken:
            said = voiced_seconds(line.text, line.lang) / max(line.speed, 0.1)
            total += said
            english += said if line.lang == "en" else 0.0
        total += LINE_GAP
    return english, total


def learner_seconds_in(lines: list[Line]) -> float:
    """The seconds of `lines` left to the learner (their pauses)."""
    return sum(line.pause for line in lines if line.kind == "pause")


def room_for_korean(english: float, total: float, share: float | None = None) -> float:
    """Seconds of Korean speech (cautiously timed) that can join lines of `english` seconds of English
    in `total` (as `airtime_estimate` gives them) while English keeps `share` (ENGLISH_SHARE unless given)."""
    return max(0.0, english / (share or ENGLISH_SHARE) - total)


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


def airtime(lines: list[Line], spans: list[Span], duration: float) -> tuple[float, float, float]:
    """Shares of `duration` (english, learner, framing) from where each line sits in the audio:
    English speech, pauses for the learner, and sting/announce/lead/outro."""
    english = learner = framing = 0.0
    for line, span in zip(lines, spans):
        length = max(0.0, span.end - span.start)
        if line.kind == "pause":
            learner += length
        elif line.kind in FRAMING:
            framing += length
        elif line.spoken and line.lang == "en":
            english += length
    if duration <= 0:
        return 0.0, 0.0, 0.0
    return round(english / duration, 4), round(learner / duration, 4), round(framing / duration, 4)


def fit_pauses(lines: list[Line], clips: list[Clip | None], pause_factor: float) -> list[Line]:
    """Pauses for the learner sized to the speech the voice really made: 1 s + 1.3 x the English
    answer a drill's pause waits for or the slow pass it follows, 1 s + 1 x the English model any
    other repeat pause follows.

    The writer can only estimate speaking time; once the clips exist their real length decides,
    so a fast voice does not leave the learner waiting and a slow one never cuts them short.
    """
    out = list(lines)
    for i, line in enumerate(lines):
        if line.kind != "pause":
            continue
        prev = next((k for k in range(i - 1, -1, -1) if lines[k].spoken or lines[k].kind == "pause"), None)
        cued = prev is not None and lines[prev].kind == "cue"
        nxt = i + 1 if cued and i + 1 < len(lines) and lines[i + 1].kind == "answer" else None
        k = nxt if nxt is not None else prev
        if k is None or lines[k].lang != "en" or clips[k] is None:
            continue
        per_second = PAUSE_PER_SECOND if k == nxt or lines[k].kind in SAY_AFTER_KINDS else REPEAT_PER_SECOND
        if k == nxt:  # a recall: time to retrieve the answer, then to say it (see `recall_seconds`)
            said = clips[k].seconds
            seconds = max(RECALL_BASE, (RECALL_BASE + said) * pause_factor, (PAUSE_BASE + per_second * said) * pause_factor)
        else:
            seconds = (PAUSE_BASE + per_second * clips[k].seconds) * pause_factor
        out[i] = dataclasses.replace(line, pause=_hundredths(seconds))
    return out
