"""Settings: `podcast.toml` read into typed dataclasses, with defaults.

Each table of the TOML file maps to one dataclass below; an unknown key or
a value of the wrong type is an AudiogenError that names it (and suggests
the closest known key), so a typo never silently does nothing.

What a value may be is declared beside its field (`setting(default, low=, high=)` or
`choices=`): every number finite and within sane bounds, so a hostile or careless
`podcast.toml` (`gap = -5`, `part_gap = 1e5`, `pause_factor = nan`) is one line naming
the key and its range, never a 246 GiB allocation. A new setting plugs in with one line.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from pathlib import Path
from urllib.parse import urlsplit

from . import typed
from .errors import AudiogenError

_RULE = "audiogen.rule"  # the dataclass field metadata key that holds a field's Rule


@dataclass(frozen=True)
class Rule:
    """What one setting may be: a closed range for a number, or a list of choices."""

    low: float | None = None
    high: float | None = None
    choices: Sequence[Any] | None = None

    def problem(self, value: Any) -> str | None:
        """Why `value` is not allowed ('must be ...'), or None when it is."""
        if self.choices is not None:
            if value not in self.choices:
                return "must be one of " + ", ".join(repr(c) for c in self.choices) + f", got {value!r}"
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            span = f"between {self.low!r} and {self.high!r}"
            if not math.isfinite(value) or not self.low <= value <= self.high:
                return f"must be {span}, got {value!r}"
        return None


def setting(default: Any, *, low: float | None = None, high: float | None = None,
            choices: Sequence[Any] | None = None) -> Any:
    """A settings field with its default and what it may be (`low`..`high`, or `choices`)."""
    if (low is None) != (high is None):
        raise ValueError("a range needs both ends")
    return field(default=default, metadata={_RULE: Rule(low, high, tuple(choices) if choices is not None else None)})


def rule_of(f: dataclasses.Field) -> Rule | None:
    return f.metadata.get(_RULE)


@dataclass
class ShowSettings:
    title: str = "audiogen lessons"
    description: str = "Bilingual Korean-English lessons made from articles."
    author: str = "audiogen"
    email: str = "podcast@example.com"
    language: str = setting("ko", choices=("ko", "en"))
    base_url: str = "http://127.0.0.1:8000/"
    category: str = "Education"
    subcategory: str = "Language Learning"
    cover: str = ""  # path to the user's square cover image; generated when empty
    explicit: bool = False
    locked: bool = False
    seeds: list[str] = field(default_factory=list)  # seed paths, relative to the config file


@dataclass
class LessonSettings:
    pause_factor: float = setting(1.0, low=0.0, high=5.0)  # scales every repeat-after pause
    slow_speed: float = setting(0.85, low=0.5, high=1.0)  # the slow pass of a key sentence
    chunks: bool = True  # practise long sentences in phrases first
    chunk_words: int = setting(7, low=2, high=35)  # a key sentence longer than this is built back from its end in chunks
    max_minutes: float = setting(6.0, low=0.5, high=60.0)  # narration is condensed to keep an episode near this
    review_every: int = setting(3, low=0, high=100)  # a review (bonus) episode closes a seed after this many lessons; 0 turns it off
    edits: str = "edits"  # folder of hand-edited scripts, relative to the config file


@dataclass
class VoiceSettings:
    # Per language: "engine:voice" ("edge:ko-KR-SunHiNeural"), "engine" ("piper") or a bare voice of
    # whichever engine is chosen ("en-gb"); "" lets --engine / [build] engine choose, with its default voice.
    ko: str = ""
    en: str = ""
    # The second English voice, for the model sentences (quote, slow, chunk); "" = the English
    # engine's second voice when it has one (edge: en-US-GuyNeural, gtts: co.uk), else the same voice.
    en2: str = ""
    tld: str = "com"  # gTTS: Google host, which sets the English accent (com, co.uk, com.au, ...)


@dataclass
class AudioSettings:
    sample_rate: int = setting(44100, choices=(22050, 24000, 32000, 44100, 48000))
    bitrate: str = "96k"
    loudness: float = setting(-16.0, low=-30.0, high=-10.0)  # LUFS, integrated, per episode
    true_peak: float = setting(-1.5, low=-9.0, high=0.0)  # dBTP ceiling
    gap: float = setting(0.35, low=0.0, high=5.0)  # seconds between spoken lines
    part_gap: float = setting(0.9, low=0.0, high=10.0)  # seconds between parts of a lesson
    intro: str = ""  # the user's own intro sting (audio file); generated when empty
    outro: str = ""
    music: str = ""  # an optional music bed, ducked under speech
    music_db: float = setting(-24.0, low=-60.0, high=0.0)  # music level under speech, relative to the voice


@dataclass
class BuildSettings:
    engine: str = "auto"  # auto, or an engine for every language it speaks (espeak, gtts, piper, edge)
    concurrency: int = setting(4, low=1, high=32)  # online engines: requests in flight
    retries: int = setting(5, low=0, high=20)
    timeout: float = setting(10.0, low=0.5, high=300.0)  # seconds per online request


@dataclass
class StudySettings:
    deck: bool = True  # publish an Anki deck of every term and key sentence beside the episodes


TEACHER_ENGINES = ("auto", "llm", "translator", "off")


@dataclass
class TeacherSettings:
    """Where machine-made meanings come from. `auto`: the model when `url` and `model` are set,
    else the translator when it answers, else none (the seed's and the article's own Korean).
    The model's key is read only from the AUDIOGEN_API_KEY environment variable, never from here."""

    engine: str = setting("auto", choices=TEACHER_ENGINES)
    url: str = ""  # an OpenAI-compatible base URL, e.g. Ollama's http://127.0.0.1:11434/v1
    model: str = ""  # e.g. exaone3.5:7.8b, qwen2.5:7b
    timeout: float = setting(30.0, low=0.5, high=600.0)  # seconds one question may take
    budget: float = setting(600.0, low=1.0, high=86400.0)  # seconds all of a build's questions may take


@dataclass
class PublishSettings:
    # where `audiogen publish` (and `build --publish`) sends the output: "gh-pages",
    # "git+URL#BRANCH" or "s3://BUCKET/PREFIX"; "" = say it with --to
    to: str = ""
    endpoint_url: str = ""  # s3:// targets other than AWS (R2, MinIO, SeaweedFS); never a key: those come from the environment


@dataclass
class FeedSettings:
    # an edited episode: "republish" (a new GUID and a corrected title, so downloads get it) or
    # "update" (the same GUID; only apps that stream hear the new audio)
    corrections: str = setting("republish", choices=("update", "republish"))


@dataclass
class Config:
    show: ShowSettings = field(default_factory=ShowSettings)
    lesson: LessonSettings = field(default_factory=LessonSettings)
    voices: VoiceSettings = field(default_factory=VoiceSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    build: BuildSettings = field(default_factory=BuildSettings)
    study: StudySettings = field(default_factory=StudySettings)
    publish: PublishSettings = field(default_factory=PublishSettings)
    teacher: TeacherSettings = field(default_factory=TeacherSettings)
    feed: FeedSettings = field(default_factory=FeedSettings)
    root: Path = field(default_factory=Path.cwd)  # folder that relative paths start from
    source: Path | None = None  # the podcast.toml read, if any

    def path(self, value: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(value).expanduser()
        return p if p.is_absolute() else self.root / p


CONFIG_NAME = "podcast.toml"
CACHE_DIR = ".audiogen/cache"  # the clip cache, relative to the config (or the working folder)
_TABLES = {f.name: f.type for f in dataclasses.fields(Config) if f.name not in ("root", "source")}


def load(path: Path | None = None) -> Config:
    """Read `path`, or ./podcast.toml when it exists, else the defaults."""
    if path is None:
        candidate = Path.cwd() / CONFIG_NAME
        if not candidate.is_file():
            return Config()
        path = candidate
    if not path.is_file():
        raise AudiogenError(f"config file not found: {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise AudiogenError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise AudiogenError(f"{path}: invalid TOML: {e}") from None
    return from_dict(data, root=path.resolve().parent, source=path)


def from_dict(data: dict, root: Path | None = None, source: Path | None = None) -> Config:
    where = str(source or CONFIG_NAME)
    cfg = Config(root=root or Path.cwd(), source=source)
    for table, value in data.items():
        if table not in _TABLES:
            raise AudiogenError(f"{where}: unknown table [{table}]{_suggest(table, _TABLES)}")
        if not isinstance(value, dict):
            raise AudiogenError(f"{where}: '{table}' must be a table, like [{table}]")
        section = getattr(cfg, table)
        known = typed.hints(type(section))
        for key, v in value.items():
            if key not in known:
                raise AudiogenError(f"{where}: unknown key '{key}' in [{table}]{_suggest(key, known)}")
            setattr(section, key, typed.coerce(known[key], v, f"{where}: [{table}] {key}"))
    validate(cfg, where)
    return cfg


def validate(cfg: Config, where: str = CONFIG_NAME) -> None:
    """Every field's declared rule, then the checks that need more than a rule."""
    for table in _TABLES:
        section = getattr(cfg, table)
        for f in dataclasses.fields(section):
            rule = rule_of(f)
            problem = rule.problem(getattr(section, f.name)) if rule else None
            if problem:
                raise AudiogenError(f"{where}: [{table}] {f.name} {problem}")
    check_base_url(cfg.show.base_url, f"{where}: [show] base_url")
    if not cfg.audio.bitrate.rstrip("k").isdigit() or not 32 <= int(cfg.audio.bitrate.rstrip("k")) <= 320:
        raise AudiogenError(f"{where}: [audio] bitrate must look like '96k' (32k to 320k), got {cfg.audio.bitrate!r}")
    if cfg.publish.to and not (cfg.publish.to == "gh-pages" or cfg.publish.to.startswith(("git+", "s3://"))):
        raise AudiogenError(f"{where}: [publish] to must be gh-pages, git+URL#BRANCH or s3://BUCKET/PREFIX, "
                            f"got {cfg.publish.to!r}")
    validate_teacher(cfg.teacher, where)


def validate_teacher(t: TeacherSettings, where: str) -> None:
    """A model's address that could leak a secret into a file, or half a model, is refused."""
    if t.url:
        parts = urlsplit(t.url)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in t.url):
            raise AudiogenError(f"{where}: [teacher] url must be an http(s) address like "
                                f"http://127.0.0.1:11434/v1, got {t.url!r}")
        if "@" in parts.netloc or parts.query:
            raise AudiogenError(f"{where}: [teacher] url must not carry a user, password or key; "
                                "set the key in the AUDIOGEN_API_KEY environment variable")
    if bool(t.url) != bool(t.model.strip()) or (t.engine == "llm" and not t.url):
        raise AudiogenError(f"{where}: [teacher] needs both url and model for a language model "
                            "(e.g. url = \"http://127.0.0.1:11434/v1\", model = \"qwen2.5:7b\")")


def check_base_url(url: str, what: str = "--base-url") -> str:
    """An absolute http(s) URL, returned with exactly one trailing slash."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise AudiogenError(f"{what}: expected an absolute http(s) URL like https://example.com/podcast/, got {url!r}")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise AudiogenError(f"{what}: the URL contains spaces or control characters")
    if "@" in parts.netloc:
        # it would be written into every episode's URL in the public feed
        raise AudiogenError(f"{what}: the URL must not carry a user name or password (user:password@host); "
                            "a public feed would publish them")
    return url.rstrip("/") + "/"


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
