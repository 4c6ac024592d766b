"""Korean text made easier for eSpeak NG: numbers read the Korean way, and words respelled as spoken.

Both are candidates that `scripts/bench voices` measures; neither is on by default, because the
measured Korean error rate did not fall with them (see EspeakEngine).

`numbers()`: eSpeak reads every digit in Sino-Korean (3개 as
"sam gae" instead of 세 개) and reads %, km and ~ in English; we write those
out in Korean first.

`pronounce()`: eSpeak NG reads 국물 as "guk-mul" and 먹었습니다 as "meok-eot-seup-ni-da"; a
Korean speaker says 궁물 and 머거씀니다. Standard pronunciation (표준 발음법)
turns spelling into sound with a handful of rules between syllables of a
word; this module applies them in Hangul, so eSpeak reads what a speaker
would say: liaison (연음), ㅎ aspiration and deletion, palatalisation
(구개음화), final neutralisation (음절의 끝소리), nasalisation (비음화),
ㄹ after a nasal, lateralisation (유음화) and tensification (경음화).

Only the text handed to eSpeak changes; the script and transcript keep the
writer's spelling. Rules work inside a word (between spaces), where they
hold; exceptions by meaning (compound words, 사이시옷) are not attempted.
"""

from __future__ import annotations

import re

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
FINALS = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ",
          "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]
FIRST, LAST = 0xAC00, 0xD7A3
I_VOWEL = 20  # ㅣ, the medial that palatalises ㄷ and ㅌ

# A double final before a vowel: the first stays, the second moves on (앉아 -> 안자).
SPLIT = {"ㄳ": ("ㄱ", "ㅆ"), "ㄵ": ("ㄴ", "ㅈ"), "ㄺ": ("ㄹ", "ㄱ"), "ㄻ": ("ㄹ", "ㅁ"), "ㄼ": ("ㄹ", "ㅂ"),
         "ㄽ": ("ㄹ", "ㅆ"), "ㄾ": ("ㄹ", "ㅌ"), "ㄿ": ("ㄹ", "ㅍ"), "ㅄ": ("ㅂ", "ㅆ")}
# What a final sounds like before a consonant or a pause: seven sounds.
NEUTRAL = {"ㄲ": "ㄱ", "ㅋ": "ㄱ", "ㄳ": "ㄱ", "ㄺ": "ㄱ", "ㅅ": "ㄷ", "ㅆ": "ㄷ", "ㅈ": "ㄷ", "ㅊ": "ㄷ",
           "ㅌ": "ㄷ", "ㅎ": "ㄷ", "ㅍ": "ㅂ", "ㄿ": "ㅂ", "ㅄ": "ㅂ", "ㄵ": "ㄴ", "ㄶ": "ㄴ", "ㄻ": "ㅁ",
           "ㄼ": "ㄹ", "ㄽ": "ㄹ", "ㄾ": "ㄹ", "ㅀ": "ㄹ"}
ASPIRATE = {"ㄱ": "ㅋ", "ㄷ": "ㅌ", "ㅈ": "ㅊ", "ㅂ": "ㅍ"}
TENSE = {"ㄱ": "ㄲ", "ㄷ": "ㄸ", "ㅂ": "ㅃ", "ㅅ": "ㅆ", "ㅈ": "ㅉ"}
NASAL = {"ㄱ": "ㅇ", "ㄷ": "ㄴ", "ㅂ": "ㅁ"}
H_FINALS = {"ㅎ": "", "ㄶ": "ㄴ", "ㅀ": "ㄹ"}  # a final holding ㅎ, and what is left without it
WORD = re.compile(r"[\uac00-\ud7a3]+")


def pronounce(text: str) -> str:
    """`text` with every run of Hangul syllables respelled as pronounced."""
    return WORD.sub(lambda m: _word(m.group()), text)


# --- numbers and units: eSpeak reads digits in Sino-Korean everywhere, and %, km, ~ in English ---

# Counters that take native numbers (세 개, 두 명, 세 시), read up to 99 the native way.
NATIVE_COUNTERS = ("개", "명", "시간", "시", "살", "마리", "권", "잔", "가지", "사람", "군데", "달", "곳")
NATIVE_ONES = ["", "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉"]
NATIVE_TENS = ["", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔"]
UNITS = {"%": "퍼센트", "km": "킬로미터", "kg": "킬로그램", "cm": "센티미터", "mm": "밀리미터", "m": "미터",
         "g": "그램", "GB": "기가바이트", "MB": "메가바이트", "TB": "테라바이트", "x": "배"}
SINO_DIGITS = "영일이삼사오육칠팔구"
_NATIVE = re.compile(r"(?<![\d.,])([1-9]\d?)\s?(" + "|".join(NATIVE_COUNTERS) + ")")
_DECIMAL = re.compile(r"(\d)\.(\d+)")
_UNIT = re.compile(r"(\d)\s?(" + "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True)) + r")(?![A-Za-z])")
_RANGE = re.compile(r"(\d)\s?[~\-–]\s?(\d)")


def numbers(text: str) -> str:
    """3개 -> 세 개, 3.5 -> 3 점 오, 10% -> 10 퍼센트, 3~5 -> 3에서 5 (Sino-Korean digits stay digits)."""
    text = _RANGE.sub(r"\1에서 \2", text)
    text = _UNIT.sub(lambda m: f"{m.group(1)} {UNITS[m.group(2)]}", text)
    text = _DECIMAL.sub(lambda m: f"{m.group(1)} 점 {' '.join(SINO_DIGITS[int(d)] for d in m.group(2))}", text)
    return _NATIVE.sub(lambda m: f"{_native(int(m.group(1)))} {m.group(2)}", text)


def _native(n: int) -> str:
    """1..99 in native Korean before a counter: 1 -> 한, 20 -> 스무, 23 -> 스물세."""
    tens, ones = divmod(n, 10)
    if n == 20:
        return "스무"
    return NATIVE_TENS[tens] + NATIVE_ONES[ones]


def _word(word: str) -> str:
    syl = [_split(c) for c in word]
    for a, b in zip(syl, syl[1:]):
        _between(a, b)
    syl[-1][2] = NEUTRAL.get(syl[-1][2], syl[-1][2])
    return "".join(_join(s) for s in syl)


def _split(c: str) -> list:
    n = ord(c) - FIRST
    return [INITIALS[n // 588], (n % 588) // 28, FINALS[n % 28]]


def _join(s: list) -> str:
    return chr(FIRST + INITIALS.index(s[0]) * 588 + s[1] * 28 + FINALS.index(s[2]))


def _between(a: list, b: list) -> None:
    """The rules at one syllable boundary; `a` and `b` change in place."""
    final, initial = a[2], b[0]
    if not final:
        return
    # ㅎ: aspirates a following plain stop, falls silent before a vowel, becomes ㄴ before ㄴ
    if final in H_FINALS:
        rest = H_FINALS[final]
        if initial in ASPIRATE:
            a[2], b[0] = rest, ASPIRATE[initial]
        elif initial == "ㅇ":
            a[2] = rest
        elif initial == "ㅅ":
            a[2], b[0] = rest, "ㅆ"
        elif initial == "ㄴ":
            a[2] = rest or "ㄴ"
        else:
            a[2] = rest
        if a[2] and b[0] == "ㅇ":  # 않아 -> 아나
            a[2], b[0] = "", a[2]
        return
    # a stop before ㅎ: the two merge into an aspirate (축하 -> 추카, 맞히다 -> 마치다)
    if initial == "ㅎ":
        keep, moved = SPLIT.get(final, ("", final))
        sound = NEUTRAL.get(moved, moved) if moved != "ㅈ" else "ㅈ"
        if sound in ASPIRATE:
            a[2], b[0] = keep, ASPIRATE[sound]
            return
    # palatalisation: ㄷ, ㅌ before 이 (같이 -> 가치)
    if initial == "ㅇ" and b[1] == I_VOWEL and final in ("ㄷ", "ㅌ", "ㄾ"):
        a[2], b[0] = ("ㄹ" if final == "ㄾ" else ""), ("ㅈ" if final == "ㄷ" else "ㅊ")
        return
    # liaison: a final moves into an empty onset (먹어 -> 머거); ㅇ stays
    if initial == "ㅇ":
        if final == "ㅇ":
            return
        if final in SPLIT:
            a[2], b[0] = SPLIT[final]
        else:
            a[2], b[0] = "", final
        return
    if final == "ㄺ" and initial == "ㄱ":  # 읽기 -> 일끼
        a[2], b[0] = "ㄹ", "ㄲ"
        return
    final = a[2] = NEUTRAL.get(final, final)
    # ㄹ after a nasal or stop is read ㄴ (종로 -> 종노, 독립 -> 동닙)
    if initial == "ㄹ" and final in ("ㅁ", "ㅇ", "ㄱ", "ㅂ"):
        initial = b[0] = "ㄴ"
    # lateralisation: ㄴ and ㄹ together are ㄹㄹ (신라 -> 실라, 칼날 -> 칼랄)
    if final == "ㄴ" and initial == "ㄹ":
        a[2] = "ㄹ"
    elif final == "ㄹ" and initial == "ㄴ":
        b[0] = "ㄹ"
    # nasalisation: a stop before a nasal (국물 -> 궁물, 합니다 -> 함니다)
    elif final in NASAL and initial in ("ㄴ", "ㅁ"):
        a[2] = NASAL[final]
    # tensification: a plain consonant after a stop (학교 -> 학꾜)
    elif final in NASAL and initial in TENSE:
        b[0] = TENSE[initial]
