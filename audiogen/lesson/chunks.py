"""English key sentences cut into phrases a listener can repeat, and built back
from the end (Pimsleur's back-chaining); over-long text cut into bounded pieces.

A chunk never ends on an article, a preposition, a conjunction or an auxiliary,
never separates a phrasal verb from its particle (look at, deal with) or a
number from what it counts, and a speaker's stutter ("this this") is not taught.
"""

from __future__ import annotations

import re

from ..text import is_abbreviation

CHUNK_MAX_WORDS = 7
MAX_CHUNKS = 6  # pieces per sentence at most: more is not one breath, it is a paragraph


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
    # a quote of two sentences: no piece runs from one into the next ("a little. I'm not sure"), unless one
    # is a lone word ("Over-communicate.")
    ends = [k + 1 for k in range(1, len(words) - 2) if _ends_sentence(words[k])]
    ends = [e for i, e in enumerate(ends) if e - ([0, *ends][i]) >= 2]
    if ends:
        cuts = [0, *ends, len(words)]
        return [piece for a, b in zip(cuts, cuts[1:]) for piece in chunk(_joined(words, glued, a, b), max_words)]
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
    return [_joined(words, glued, a, b) for a, b in zip(cuts, cuts[1:])]


def _joined(words: list[str], glued: list[bool], a: int, b: int) -> str:
    return "".join(w if k == a or glued[k] else " " + w for k, w in enumerate(words[a:b], start=a))


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
    if w[:1].isdigit() and prev[:1].isupper() and i >= 1:
        return -15.0  # a name with its number: "Fortune | 500", "Windows | 11"
    if _ends_badly(p, w, _bare(words[i - 2]) if i >= 2 else "") or _starts_badly(p, w):
        return -15.0
    before = _bare(words[i - 2]) if i >= 2 else ""
    modifier = p in _ADJECTIVES or p.endswith(_ADJECTIVE_ENDINGS) or p.endswith(("ing", "est"))  # the easiest | option
    if before in _ARTICLES and w not in _FUNCTION_WORDS and modifier:
        return -8.0  # "a difficult | stakeholder", "a signing | bonus": the article's noun phrase is still open
    if w in _OBJECT_PRONOUNS and p in _PHRASAL_VERBS and nxt in _PARTICLES:
        return -15.0  # "think | it over": the verb, its object and its particle are one
    if p in _ADJECTIVES and w not in _FUNCTION_WORDS and w not in _AUXILIARIES and not _CONTRACTED.search(w):
        return -6.0  # "bring in new | enterprise clients" (not "goes wrong | isn't")
    if _number(p) and w not in _FUNCTION_WORDS:
        return -15.0  # "the top ten | accounts", "40 | tiny accounts": a number and what it counts
    if w in ("a", "an", "per") and nxt in _PERIODS and p in _UNITS:
        return -15.0  # "two hours | a day": a rate is one phrase
    if p in _OBJECT_PRONOUNS and before in _CAUSATIVES and w not in _FUNCTION_WORDS:
        return -15.0  # "make it | work", "let them | go": the verb, its object and what they do are one
    if w in _PARTICLES and p in _OBJECT_PRONOUNS and before in _PHRASAL_VERBS:
        return -15.0  # "think it | over", "pick them | up": the particle closes the verb
    if (w, nxt.rstrip(".,!?;:")) in _IDIOM_TAILS:
        return -15.0  # "keep me | in mind for future opportunities": the idiom's tail stays with its verb
    if w == "or" and nxt in _OR_IDIOMS:
        return -15.0  # "a day | or two", "an hour | or so"
    if (p, w, nxt.rstrip(".,!?;:")) in _BINOMIALS or (before, p, w.rstrip(".,!?;:")) in _BINOMIALS:
        return -15.0  # "back | and forth", "back and | forth": one idiom
    if w in _WH_WORDS and p in _ASKING_VERBS:
        return -4.0  # "started asking | what made it easy": the question is the verb's object
    if w == "or" and before in ("a", "an", "the") and nxt in ("a", "an", "the") and p not in _FUNCTION_WORDS:
        return -8.0  # "a yes | or a no": two short alternatives are one phrase
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
        return -1.0 if p in _FUNCTION_WORDS else -8.0  # "make | it work": a verb keeps its object
    if w in ("too", "either") and (not nxt or nxt in _CONJUNCTIONS or nxt in _PREPOSITIONS):
        return -15.0  # "I'd be frustrated too | if ...": the adverb closes its phrase
    if w in _SUBJECTS or _CONTRACTED.search(w):
        return 1.5
    if w in _DETERMINERS:
        return 1.0
    if w in _AUXILIARIES:
        opens = i == 2 or i > 2 and words[i - 3].rstrip("\"'”’)]").endswith((".", "!", "?"))
        if before in _DETERMINERS and opens:
            return -6.0  # "The goal | is not to...": a sentence's two-word subject stays with its verb
        return 0.5  # subject | predicate
    return -2.0  # between two content words: likely inside a phrase ("sticky | reliable")


def _ends_badly(p: str, w: str, before: str) -> bool:
    """A piece must not stop on a word that needs the next one: "the", "at", "is", "we"..."""
    if p == "of" and before in ("sort", "kind"):
        return False  # the hedge "sort of" / "kind of" stands on its own
    if p in _PREPOSITIONS and before in _PARTICLES:
        return True  # "push back on | that", "come up with | a plan": the preposition's object follows
    if p in _PARTICLES and (before in _PHRASAL_VERBS or before in _OBJECT_PRONOUNS):
        return False  # "pick up |", "think it over |": the particle closes its verb
    if p in ("this", "that", "these", "those"):
        return w not in _FUNCTION_WORDS  # "this belief" binds; "had this | this sort of" does not
    if p == "too":
        return w not in _FUNCTION_WORDS  # "too high" binds; "frustrated too | if" closes
    if p in ("it", "you") and (w in _AUXILIARIES or w in _HELPER_VERBS):
        return True  # "moments it | was in": a subject is not left behind its verb ("make it | work" is fine)
    if p == "you" and w in _PREPOSITIONS:
        return False  # "telling you | about", "thank you | for": here "you" is an object and closes its phrase
    return p in _BINDING or p in _PREPOSITIONS or p in _CONJUNCTIONS or bool(_CONTRACTED.search(p))


def _starts_badly(p: str, w: str) -> bool:
    """A piece must not start with a word that leans on the one before: "of", "to" after "able",
    the particle of a phrasal verb ("look | at"), what a number counts ("ninety | and a hundred")."""
    if w == "of" or w.startswith(("'", "’")):
        return True
    if w in _PARTICLES and p in _PHRASAL_VERBS or p in _PREPOSITIONAL_VERBS.get(w, ()):
        return True  # "follow up", "wrap up", "look at", "deal with"
    if _number(p) and (w in _NUMBER_GLUE or _number(w) or w in _UNITS):
        return True
    if w == "like" and p in _LIKE_VERBS:
        return True  # "looks like" is one verb
    return w == "to" and p in _TO_VERBS


# abbreviations that lead into the next word ("U.S.", "p.m." close a phrase as any word does)
_TITLES = {"mr", "mrs", "ms", "dr", "prof", "st", "vs", "e.g", "i.e", "fig", "approx"}
_BINOMIALS = {("back", "and", "forth"), ("up", "and", "down"), ("pros", "and", "cons"), ("trial", "and", "error"),
              ("more", "or", "less"), ("sooner", "or", "later"), ("now", "and", "then"), ("step", "by", "step")}
_WH_WORDS = {"who", "what", "why", "how", "where", "when", "whether", "which"}
_ASKING_VERBS = {"ask", "asks", "asked", "asking", "know", "knew", "knowing", "wonder", "wondered", "wondering",
                 "decide", "decided", "deciding", "explain", "explained", "explaining", "understand", "understood",
                 "tell", "told", "telling", "figure", "learn", "learned", "see", "saw", "show", "showed"}
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
# do and have, and the negated auxiliaries: a subject pronoun before them is their subject
_HELPER_VERBS = {"isn't", "wasn't", "won't", "wouldn't", "can't", "couldn't", "shouldn't", "doesn't", "didn't",
                 "don't", "hasn't", "haven't", "hadn't", "has", "had", "have", "does", "did", "do"}
_CONTRACTED = re.compile(r"(?:'|’)(?:s|re|m|ve|ll|d)$|n(?:'|’)t$")  # we're, it's, the company's, don't
_LIKE_VERBS = {"look", "looks", "looked", "sound", "sounds", "sounded", "feel", "feels", "felt",
               "seem", "seems", "seemed"}
_TO_VERBS = {"going", "have", "has", "had", "want", "wants", "wanted", "need", "needs",
             "needed", "used", "ought", "got"}  # "going to", "have to": one unit
_ARTICLES = {"a", "an", "the", "my", "our", "your", "their", "his", "her", "its"}
_OBJECT_PRONOUNS = {"it", "them", "him", "her", "this", "that", "me", "us"}
_CAUSATIVES = {"make", "makes", "made", "making", "let", "lets", "letting", "have", "has", "had", "help", "helps",
               "helped", "see", "saw", "watch", "hear", "heard"}
_OR_IDIOMS = {"two", "three", "so", "more", "less", "later", "else"}
# particles that make a phrasal verb with any of these verbs ("pick up", "take it offline" is an idiom)...
_PARTICLES = {"up", "out", "off", "down", "back", "over", "away", "along", "ahead", "forward", "around", "in", "on",
              "through"}  # walk me through
_PHRASAL_VERBS = {
    form for verb in ("look", "follow", "pick", "wrap", "set", "figure", "point", "reach", "check", "sign", "turn",
                      "find", "carry", "come", "go", "get", "put", "take", "bring", "call", "hand", "push", "back",
                      "step", "fill", "give", "hold", "lay", "sort", "catch", "circle", "loop", "clean", "free",
                      "shut", "cut", "break", "drop", "log", "scale", "roll", "hang", "kick", "think", "talk", "hand", "switch",
                      "sit", "walk", "give")
    for form in (verb, verb + "s", verb + "ed", verb + "ing", verb + "d", verb[:-1] + "ing" if verb.endswith("e") else verb)
} | {"came", "went", "got", "gotten", "took", "taken", "brought", "gave", "given", "held", "laid", "caught", "found",
     "set", "put", "cut", "broke", "picking", "setting", "putting", "getting", "cutting"}
# ...and prepositions that belong to particular verbs ("deal with", "look at")
_PREPOSITIONAL_VERBS = {
    "with": {"deal", "deals", "dealt", "dealing", "cope", "coping", "coped", "pair", "paired", "pairing", "agree",
             "agreed", "comply", "complied", "stick", "sticking", "stuck"},
    "at": {"look", "looks", "looked", "looking", "point", "pointed", "pointing", "aim", "aimed", "arrive", "arrived"},
    "for": {"look", "looks", "looked", "looking", "ask", "asked", "asking", "wait", "waited", "waiting", "account",
            "pay", "paid", "paying", "apply", "applied", "care", "cared"},
    "on": {"rely", "relied", "relying", "depend", "depends", "depended", "focus", "focused", "focusing", "count",
           "follow", "build", "built", "work", "working", "worked"},
    "about": {"talk", "talked", "talking", "think", "thinking", "thought", "worry", "worried", "care", "cared",
              "cares", "caring", "know", "knew", "hear", "heard"},
    "into": {"look", "looked", "looking", "run", "ran", "running", "dig", "digging", "turn", "turned"},
    # ...and words that take "to" ("committed | to the launch" splits what the learner must say together)
    "to": {"committed", "dedicated", "related", "due", "similar", "according", "thanks", "listen", "listened",
           "listening", "respond", "responded", "reply", "replied", "belong", "belongs", "contribute", "contributed",
           "commit", "refer", "referred", "open", "close", "subject", "sorry"},
}
# a preposition and a bare noun that close a verb's idiom: "keep me | in mind", "stay | in touch", "put it | on hold"
_IDIOM_TAILS = {("in", "mind"), ("in", "touch"), ("on", "track"), ("on", "board"), ("in", "charge"), ("on", "hold"),
                ("on", "time"), ("in", "place"), ("at", "stake"), ("in", "sync"), ("in", "line"), ("in", "person")}
_ADJECTIVES = {"angry", "happy", "busy", "early", "easy", "heavy", "ready", "tricky", "base", "new", "old", "big", "small", "good", "great", "bad", "long", "short", "high", "low", "first",
               "last", "next", "full", "whole", "real", "main", "key", "annual", "final", "total", "difficult",
               "hard", "easy", "clear", "simple", "quick", "slow", "strong", "weak", "huge", "tiny", "late", "early",
               "senior", "junior", "top", "best", "better", "worst", "little", "few", "single", "other", "same",
               "right", "wrong", "only", "exact", "entire", "perfect", "correct", "extra", "common", "certain"}
_ADJECTIVE_ENDINGS = ("ful", "ous", "ive", "al", "ic", "ble", "ent", "ant", "less", "ary", "ish")
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                 "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
                 "thousand", "million", "billion", "half", "dozen"}
_PERIODS = {"day", "week", "month", "year", "hour", "minute", "quarter", "night", "session"}
_NUMBER_GLUE = {"and", "to", "or", "a", "percent", "per"}
_UNITS = {"dollars", "dollar", "won", "percent", "people", "days", "weeks", "months", "years", "hours", "minutes",
          "times", "users", "customers", "k", "m", "bn"}


def _number(word: str) -> bool:
    return word in _NUMBER_WORDS or bool(re.fullmatch(r"[$€£₩]?\d[\d,.]*[%kmb]?", word))


_FUNCTION_WORDS = _DETERMINERS | _AUXILIARIES | _SUBJECTS | _PREPOSITIONS | _CONJUNCTIONS | {"to", "of", "not"}



_STUTTER = re.compile(r"\b(\w+(?:'\w+)?)(?:\s+\1\b)+", re.I)


def without_stutter(sentence: str) -> str:
    """A transcribed sentence as it was meant: "we we kind of" -> "we kind of", "this this sort" ->
    "this sort" (a learner repeats what they hear; a stutter is not English to learn)."""
    return _STUTTER.sub(lambda m: m.group(1), sentence)


def back_chain(pieces: list[str]) -> list[str]:
    """The sentence built back from its end, one piece at a time, up to (not including) the
    whole: ["...first choice.", "...this role is my first choice."]. At most MAX_CHUNKS steps.

    A quote of two sentences is built back one sentence at a time, each ending whole: a step never
    opens on the tail of one sentence and runs into the next ("for us. It's part of the product.")."""
    sentences: list[list[str]] = [[]]
    for k, piece in enumerate(pieces):
        sentences[-1].append(piece)
        if _ends_sentence(piece) and k + 1 < len(pieces):
            sentences.append([])
    if len(sentences) == 1:
        return [" ".join(pieces[k:]) for k in range(len(pieces) - 1, 0, -1)][:MAX_CHUNKS]
    per = max(1, MAX_CHUNKS // len(sentences))  # each sentence its share of the steps, its whole last
    steps: list[str] = []
    for own in sentences:
        steps += [" ".join(own[k:]) for k in range(len(own) - 1, 0, -1)][:per - 1] + [" ".join(own)]
    return steps[:MAX_CHUNKS]


def _ends_sentence(piece: str) -> bool:
    words = piece.split()
    return bool(words) and bool(re.search(r"[.!?…]['\"”’)]*$", words[-1])) and not is_abbreviation(words[-1])


_CLAUSE_ENDS = (
    re.compile(r"[.!?…。]['\"”’)]*\s"),  # a sentence end the splitter did not see
    re.compile(r"[;:—–]\s"),
    re.compile(r",\s"),
    re.compile(r"(?:고|며|지만|는데|은데|면서|거나|니까|어서|아서|해서)\s"),  # a Korean clause ends
    re.compile(r"\s(?=(?:and|but|or|so|because|which|when|while|that)\s)"),
    re.compile(r"\s"),
)


def bounded(text: str, max_chars: int) -> list[str]:
    """`text` cut into pieces of at most `max_chars` characters, at the strongest boundary
    available in the second half of each piece: a sentence end, a semicolon or dash, a comma,
    a Korean clause ending, an English conjunction, a space, and only as a last resort
    anywhere. A 20,000-character paragraph without a full stop never becomes one clip."""
    text = text.strip()
    pieces: list[str] = []
    while len(text) > max_chars:
        window = text[:max_chars + 1]
        cut = 0
        for boundary in _CLAUSE_ENDS:
            ends = [m.end() for m in boundary.finditer(window) if max_chars // 2 <= m.end() <= max_chars]
            if ends:
                cut = ends[-1]
                break
        cut = cut or max_chars
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        pieces.append(text)
    return [p for p in pieces if p]
