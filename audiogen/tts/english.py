"""English text made clear for the offline voices: what a listener should hear letter by letter.

eSpeak NG and Piper (whose phonemes come from eSpeak) read a short all-capital word that looks
pronounceable as a word: `IR` as "ir", `MAU` as "mau", `AI` as one syllable. A learner must hear
the letters (eye-ar, em-ay-you). Longer ones are often said as words (BATNA, ZOPA, NASA, ASAP)
and stay as written. Pure text, tested on its own; the engines call it before they speak.
"""

from __future__ import annotations

import re

# two or three capitals standing alone (not inside a word, not next to a digit: B2B, Q3 stay)
_SHORT_ACRONYM = re.compile(r"(?<![A-Za-z0-9'’\-])([A-Z]{2,3})s?(?![A-Za-z0-9'’\-])")


def spelled_acronyms(text: str) -> str:
    """`Our IR team tracks MAU` -> `Our I R team tracks M A U`: each letter said as a letter (a plural
    KPIs as K P I's, never the word "is")."""
    return _SHORT_ACRONYM.sub(lambda m: " ".join(m.group(1)) + ("'s" if m.group().endswith("s") else ""), text)
