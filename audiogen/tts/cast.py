"""Who speaks which line: an engine and a voice per language, chosen once per build.

podcast.toml's [voices] names them per language (``ko = "edge:ko-KR-SunHiNeural"``,
``en = "piper"``, or a bare voice of whichever engine is chosen), and ``en2`` the
second English voice, which speaks the model sentences (quote, slow, chunk) so
they stand apart from the English of the drills. ``--engine X`` means X for
every language X speaks, the offline engine for the rest. ``auto`` picks, per
language, the first that answers of Edge, gTTS and the offline engine (Piper
for English, eSpeak NG for Korean), after one quick probe of the online ones.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..config import VoiceSettings
from ..errors import AudiogenError
from ..model import Line
from .base import Engine
from .registry import engine_class, engines, make

LANGS = ("ko", "en")
ROLES = ("ko", "en", "en2")  # en2: the second English voice, for the model sentences
MODEL_KINDS = frozenset({"quote", "slow", "chunk"})
ONLINE_ORDER = ("edge", "gtts")  # auto's preference among online engines
OFFLINE_ORDER = {"en": ("piper", "espeak"), "ko": ("espeak",)}  # and offline, per language
PROBE_TIMEOUT = 2.0


@dataclass(frozen=True)
class Voice:
    engine: Engine
    name: str  # as engine.voice() resolved it

    @property
    def label(self) -> str:
        return f"{self.engine.name}:{self.name}"


@dataclass
class Cast:
    """The voice of each role: "ko", "en", and optionally "en2" for the model sentences."""

    voices: dict[str, Voice]

    @classmethod
    def one(cls, engine: Engine, wanted: dict[str, str] | None = None) -> Cast:
        """One engine for every language it speaks (`wanted` maps lang to a voice; "" = default)."""
        wanted = wanted or {}
        return cls({lang: Voice(engine, engine.voice(lang, wanted.get(lang, "")))
                    for lang in LANGS if engine.speaks(lang)})

    def role(self, line: Line) -> str:
        if line.lang == "en" and line.kind in MODEL_KINDS and "en2" in self.voices:
            return "en2"
        return line.lang or ""

    def voice_for(self, line: Line) -> Voice:
        try:
            return self.voices[self.role(line)]
        except KeyError:
            names = ", ".join(sorted({v.engine.name for v in self.voices.values()}))
            raise AudiogenError(f"no voice speaks {line.lang} here ({names} cannot)") from None

    @property
    def label(self) -> str:
        """The report's "engine": one name when one engine speaks everything, else "ko=espeak,en=piper"."""
        names = {role: v.engine.name for role, v in self.voices.items()}
        if len(set(names.values())) == 1:
            return next(iter(names.values()))
        return ",".join(f"{role}={name}" for role, name in names.items())

    def report(self) -> dict[str, str]:
        """Each role's engine and voice, as "engine:voice"."""
        return {role: v.label for role, v in self.voices.items()}


@dataclass
class _Choosing:
    """State of one choice: engines made once, online probes run once (together) when first needed."""

    settings: VoiceSettings
    timeout: float
    made: dict[str, Engine] = field(default_factory=dict)
    answers: dict[str, bool] | None = None

    def engine(self, name: str) -> Engine:
        if name not in self.made:
            self.made[name] = make(engine_class(name), self.settings, self.timeout)
        return self.made[name]

    def answers_now(self, name: str) -> bool:
        if self.answers is None:
            online = [n for n in ONLINE_ORDER if n in engines()]
            with ThreadPoolExecutor(max_workers=max(1, len(online))) as pool:
                results = pool.map(lambda n: self.engine(n).available(PROBE_TIMEOUT), online)
                self.answers = dict(zip(online, results))
        return self.answers.get(name, False)

    def offline(self, lang: str) -> Engine:
        for name in OFFLINE_ORDER[lang]:
            if name in engines() and self.engine(name).available():
                return self.engine(name)
        raise AudiogenError(f"no offline engine for {lang} is installed")


def parse(spec: str) -> tuple[str | None, str]:
    """A [voices] value: "engine:voice", "engine", or a bare voice of whichever engine is chosen."""
    name, colon, voice = spec.partition(":")
    if colon:
        engine_class(name.strip())  # an unknown engine is an error here, naming the choices
        return name.strip(), voice.strip()
    if spec.strip() in engines():
        return spec.strip(), ""
    return None, spec.strip()


def choose(requested: str | None, default: str, settings: VoiceSettings, timeout: float,
           say: Callable[[str], object] = print) -> Cast:
    """The cast for a build: `requested` is --engine (None when not given), `default` the config's engine."""
    for name in (requested, default):
        if name and name != "auto":
            engine_class(name)
    state = _Choosing(settings, timeout)
    voices: dict[str, Voice] = {}
    auto_langs: list[str] = []
    for lang in LANGS:
        spec_engine, wanted = parse(getattr(settings, lang))
        forced = requested if requested and requested != "auto" else None
        if forced:
            engine = state.engine(forced) if state.engine(forced).speaks(lang) else state.offline(lang)
            voices[lang] = Voice(engine, engine.voice(lang, wanted if spec_engine in (None, engine.name) else ""))
        elif spec_engine:
            voices[lang] = Voice(state.engine(spec_engine), state.engine(spec_engine).voice(lang, wanted))
        elif default != "auto":
            engine = state.engine(default) if state.engine(default).speaks(lang) else state.offline(lang)
            voices[lang] = Voice(engine, engine.voice(lang, wanted))
        else:
            voices[lang] = _auto(lang, wanted, state)
            auto_langs.append(lang)

    second = _second_english(settings.en2, voices["en"], requested, state)
    if second is not None and second != voices["en"]:
        voices["en2"] = second
    cast = Cast(voices)
    if auto_langs:
        say(f"engine: {cast.label} ({_why(auto_langs, cast, state)})")
    return cast


def _auto(lang: str, wanted: str, state: _Choosing) -> Voice:
    """The first engine that answers and knows the wanted voice: Edge, gTTS, then offline."""
    for name in ONLINE_ORDER:
        if name in engines() and state.engine(name).speaks(lang) and state.answers_now(name):
            try:
                return Voice(state.engine(name), state.engine(name).voice(lang, wanted))
            except AudiogenError:
                continue  # a bare voice of another engine: try the next
    engine = state.offline(lang)
    return Voice(engine, engine.voice(lang, wanted))


def _second_english(spec: str, en: Voice, requested: str | None, state: _Choosing) -> Voice | None:
    """The voice of the model sentences: as [voices] en2 names it, else the English engine's second voice."""
    spec_engine, wanted = parse(spec)
    forced = requested if requested and requested != "auto" else None
    if spec_engine and not forced:
        engine = state.engine(spec_engine)
        return Voice(engine, engine.voice("en", wanted))
    engine = en.engine
    if wanted and spec_engine in (None, engine.name):
        return Voice(engine, engine.voice("en", wanted))
    other = engine.second_voice("en")
    return Voice(engine, other) if other else None


def _why(langs: list[str], cast: Cast, state: _Choosing) -> str:
    """What auto found, in words: "auto: edge answered" or "auto: offline; edge and gtts did not answer"."""
    answers = state.answers or {}
    silent = [n for n, ok in answers.items() if not ok]
    chosen = sorted({cast.voices[lang].engine.name for lang in langs} & set(answers))
    parts = []
    if chosen:
        parts.append(f"{' and '.join(chosen)} answered")
    if silent:
        parts.append(f"{' and '.join(silent)} did not answer")
    if any(not cast.voices[lang].engine.online for lang in langs):
        parts.insert(0, "offline" if not chosen else "offline for the rest")
    return "auto: " + "; ".join(parts)
