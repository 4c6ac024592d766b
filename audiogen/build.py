"""The pipeline, top to bottom, like the picture in the README ("How it is built"):

    seed --read--> Lesson --write--> Script --speak--> Clip --mix--> Episode --publish--> feed

`build()` is the only function that knows the order of the steps; each step
lives in its own module. Incremental like `make`: every episode has a render
key (a hash of its script, its clips' cache keys, the audio settings and the
code's output format); an episode whose key matches what is published is
left alone, and only new or changed files are written, through a staging
folder (`staging.Stage`), so a failed build leaves the output as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import stat
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .feed import cover as covers
from .feed import manifest as manifests
from .feed import deck as decks
from .feed import page, rss
from .feed.manifest import FEED_FILE, MANIFEST_FILE, PAGE_FILE

from . import corrections, dates, korean, seed, teacher, transcript, tts
from .seed import identity, limits
from .lesson import meanings, scriptfile
from .lesson import course as courses
from .lesson import writer as script
from .lesson.lines import MAX_FRAMING, MIN_ENGLISH, MIN_LEARNER, airtime, fit_pauses
from .config import CACHE_DIR, Config, check_base_url
from .errors import AudiogenError
from .files import DigestStore, read_state
from .model import MEANING_SOURCES, Clip, Episode, Lesson, Line, Script
from .progress import Reporter
from .staging import Stage, check_output, locked
from .tts.cache import ClipCache
from .tts.cast import Cast
from .tts.synth import cache_key_for, key_in, synthesize

# The version of how an episode is rendered: bump it when mixing, encoding, tagging or transcript
# code changes the bytes an episode renders to for the same inputs, so published episodes re-render.
RENDER_VERSION = "4"  # 3: the MP3s embed a small copy of the cover; 4: pieces start on the MP3 frame grid
# The version of the generated cover's drawing (its file name comes from it): bump it only when the
# picture changes, since a new name is a new cover URL for every subscriber.
COVER_VERSION = "2"
PARTS_DIR = "parts"  # beside the clips: each episode's encoded pieces, so an edit re-encodes only what changed
DERIVED_DIR = "derived"  # beside the clips: the stings and the episodes' cover copy, made once, not per build
KOREAN_MEMO = "korean-analyses.json"  # beside the clips: the analyser's answers, so a no-op build skips it


@dataclass
class BuildRequest:
    """What the user asked for on the command line (config holds the rest)."""

    seeds: list[Path] = field(default_factory=list)
    out: Path = Path("public")
    cache: Path | None = None
    engine: str | None = None
    base_url: str | None = None
    strict: bool = False
    teacher: str | None = None  # --teacher: overrides [teacher] engine for this build ("off")
    # called once everything is staged, just before the output changes (a failure there leaves it as it was)
    before_publish: Callable[[], None] | None = None


@dataclass
class BuildResult:
    engine: str  # one engine's name, or per language: "ko=espeak,en=piper"
    synthesized: int
    cached: int
    elapsed_s: float
    episodes: list[Episode]
    rendered: list[str]  # slugs re-rendered this time
    changed: list[str]  # output files written or removed
    deck: manifests.Deck | None = None  # the study deck, unless [study] deck = false
    voices: dict[str, str] = field(default_factory=dict)  # role ("ko", "en", "en2") -> "engine:voice"
    # where the Korean meaning of each term and key sentence came from: source -> count ("none": no meaning)
    meanings: dict[str, int] = field(default_factory=dict)

    def report(self) -> dict:
        """The --report JSON (a contract: the README's "Commands" section lists its keys)."""
        return {
            "engine": self.engine,
            "voices": self.voices,
            "segments_synthesized": self.synthesized,
            "segments_cached": self.cached,
            "elapsed_s": round(self.elapsed_s, 3),
            "episodes": [
                {"slug": e.slug, "title": e.title, "type": e.episode_type, "guid": e.guid,
                 "mp3": e.mp3, "script": e.script, "transcript": e.transcript, "chapters": e.chapters,
                 "duration_s": round(e.duration_s, 3), "bytes": e.bytes,
                 "airtime": {"english": e.airtime_english, "learner": e.airtime_learner,
                             "framing": e.airtime_framing}}
                for e in self.episodes
            ],
            "deck": self.deck.file if self.deck else None,
            "deck_notes": self.deck.notes if self.deck else 0,
            "meanings": self.meanings,
        }


def build(cfg: Config, req: BuildRequest, ui: Reporter) -> BuildResult:
    started = time.monotonic()
    base_url = check_base_url(req.base_url or cfg.show.base_url)
    # one output, whatever path names it: the lock, the staging folder and the manifest all
    # belong to the real folder (two builds through a symlink and its target are one writer)
    out = real_path(req.out)
    check_output(out, MANIFEST_FILE)
    before = previous_manifest(out)

    course = read_course(cfg, req, ui, base_url, published=before)
    lessons, show, scripts, book = course.lessons, course.show, course.scripts, course.book
    assets = Assets(cfg, show, out, kept=(req.cache or cfg.path(CACHE_DIR)) / DERIVED_DIR)

    cast = tts.choose(req.engine, cfg.build.engine, cfg.voices, cfg.build.timeout, say=ui.info)
    cache = ClipCache(req.cache or cfg.path(CACHE_DIR), say=ui.detail)

    with locked(out), Stage(out) as stage:
        before = previous_manifest(out)  # again, now that no other build can change it
        studio = Studio(cfg, cast, cache, assets, show, stage)
        published = {e.slug: e for e in before.episodes} if before else {}
        scripts, identities = corrections.apply(scripts, course.contents, course.generated, published,
                                                cfg.feed.corrections)
        plans = [plan(s, studio) for s in scripts]
        todo = []
        for p in plans:
            if p.reusable(published, out):
                ui.detail(f"{p.script.slug}: unchanged, kept as published")
            else:
                ui.detail(f"{p.script.slug}: to render")
                todo.append(p)
        ui.info(f"{len(plans)} episodes: {len(plans) - len(todo)} unchanged, {len(todo)} to render")

        counts = Counts()
        rendered = render_all(todo, studio, counts, ui)
        seasons = courses.seasons_for(lessons, published_seasons(before))
        sections = section_records(lessons)
        episodes = [identities[p.script.slug].onto(dataclasses.replace(
                    rendered.get(p.script.slug) or published[p.script.slug], season=seasons.get(p.script.seed_id),
                    **sections.get((p.script.seed_id, p.script.section_key), {})))
                    for p in plans]
        counts.cached += sum(p.spoken for p in plans if p.script.slug not in rendered)

        deck = study_deck(course, studio, before, ui) if cfg.study.deck else None
        m = manifests.Manifest(show=show, episodes=episodes, seasons=seasons, deck=deck)
        feed = feed_bytes(m, before, out)  # sets m.built
        if not (out / show.cover).is_file():
            stage.write_if_changed(show.cover, assets.cover)
        stage.write_if_changed(MANIFEST_FILE, manifests.dumps(m).encode())
        stage.write_if_changed(PAGE_FILE, page.render(m, Overlay(stage.root, out)).encode())
        stage.write_if_changed(FEED_FILE, feed)
        keep = published_files(m) | {MANIFEST_FILE, PAGE_FILE, FEED_FILE}
        if req.before_publish is not None:
            req.before_publish()  # the caller's last chance to fail with the output untouched
        book.save()  # before the output changes: no crash can publish a date it does not record
        changed = stage.commit(keep, previous=published_files(before), warn=ui.warn)
        korean.save_memo()  # inside the lock, after the output: the analyses this build used
    warn_unglossed(scripts, ui)
    warn_shares([rendered[p.script.slug] for p in todo if p.script.slug in rendered], ui)

    return BuildResult(engine=cast.label, voices=cast.report(), synthesized=counts.synthesized, cached=counts.cached,
                       elapsed_s=time.monotonic() - started, episodes=episodes,
                       rendered=sorted(rendered), changed=changed, deck=deck,
                       meanings=meanings_by_source(scripts))


def real_path(path: Path) -> Path:
    """`path` with every symlink resolved (it need not exist yet)."""
    return Path(os.path.realpath(path))


def published_seasons(before: manifests.Manifest | None) -> dict[str, int]:
    """The season every article was published under, as the output remembers it."""
    known: dict[str, int] = dict(before.seasons) if before else {}
    for e in before.episodes if before else []:
        if e.seed_id and e.season and e.seed_id not in known:
            known[e.seed_id] = e.season  # a manifest written before seasons were kept
    return known


def clip_keys_in_use(cfg: Config, req: BuildRequest, ui: Reporter) -> set[str]:
    """Cache keys of every clip the current scripts need, under every engine and each voice
    a build could give a language there (for `cache prune`)."""
    scripts = read_course(cfg, req, ui, cfg.show.base_url, published=previous_manifest(real_path(req.out))).scripts
    spoken = [line for s in scripts for line in s.lines if line.spoken]
    keep: set[str] = set()
    for engine in tts.all_engines(cfg.voices, cfg.build.timeout):
        for lang in engine.languages:
            names = {engine.voice(lang), engine.second_voice(lang)}
            for spec in (getattr(cfg.voices, lang), cfg.voices.en2 if lang == "en" else ""):
                named, wanted = tts.cast.parse(spec)
                try:
                    names.add(engine.voice(lang, wanted) if named in (None, engine.name) else None)
                except AudiogenError:
                    pass  # the config's voice belongs to another engine
            keep |= {cache_key_for(line, engine, name) for name in names - {None}
                     for line in spoken if line.lang == lang}
    return keep


# --- read and write -------------------------------------------------------------


@dataclass
class Course:
    """The seeds read, in show order, with the channel they appear under and every episode's script."""

    lessons: list[Lesson]
    show: manifests.Show
    scripts: list[Script]
    book: dates.DateBook
    # each episode's own-content digest by (seed id, section key), from the seeds as read
    contents: dict[tuple[str, str], str] = field(default_factory=dict)
    # for each hand-edited script (by slug), what the generated script it replaced says of its own
    generated: dict[str, str] = field(default_factory=dict)


def read_course(cfg: Config, req: BuildRequest, ui: Reporter, base_url: str, edits: bool = True,
                published: manifests.Manifest | None = None) -> Course:
    """Seeds -> Lessons -> Scripts, as every command that needs scripts sees them
    (`edits=False`: the generated scripts, ignoring the user's edited ones; `published`:
    the output's manifest, whose show identity stays)."""
    book = dates.DateBook(say=ui.warn, published=manifests.first_days(published))
    korean.load_memo((req.cache or cfg.path(CACHE_DIR)) / KOREAN_MEMO)

    def date_of(lesson: Lesson) -> dt.date:
        return book.date_of(lesson.source, lesson.seed_id, lesson.date)

    lessons = courses.in_show_order(read_lessons(seed_paths(cfg, req, ui), req.strict, ui), date_of)
    for lesson in lessons:  # plain headings keep the keys (so the GUIDs) they were published under
        identity.keep_keys(lesson.sections, published_sections(published, lesson.seed_id))
    # the author's words as read, before anything else fills or rewrites a lesson
    contents = {(les.seed_id, key): digest for les in lessons
                for key, digest in corrections.lesson_contents(les).items()}
    # machine-made meanings for what the seeds leave untranslated (cached beside the clips)
    teacher.teach(lessons, cfg.teacher, cfg.lesson, req.cache or cfg.path(CACHE_DIR), ui, engine=req.teacher)
    for lesson in lessons:  # then the article's own Korean, where it restates what is still untranslated
        meanings.from_article(lesson)
    show = show_for(cfg, lessons, base_url, published)
    show.title, _, cut = limits.show_title(show.title)  # lessons announce their own article, not the show
    if cut:
        ui.warn(cut)

    generated: dict[str, str] = {}  # what each generated script an edited one replaced says of its own

    def edited(made: Script, lesson: Lesson | None) -> Script:
        chosen = edited_or(made, lesson, cfg, ui)
        if chosen.edited:  # corrections tell a hand edit from an unchanged copy by this
            generated[chosen.slug] = corrections.script_content(made.lines)
        return chosen

    scripts = courses.write_scripts(lessons, cfg.lesson, date_of, published_seasons(published),
                                    edited if edits else None)
    korean.release()  # the analyser's memory goes back before any audio is made
    return Course(lessons, show, scripts, book, contents, generated)


def published_sections(published: manifests.Manifest | None, seed_id: str) -> list[identity.Published]:
    """The seed's sections as the manifest recorded them (none from a manifest older than that)."""
    if published is None:
        return []
    return [identity.Published(e.section_key, e.section_heading, tuple(e.section_sketch))
            for e in published.episodes
            if e.seed_id == seed_id and e.episode_type == "full" and e.section_key and e.section_heading]


def section_records(lessons: list[Lesson]) -> dict[tuple[str, str], dict]:
    """(seed id, section key) -> the fields an episode records about the section it teaches."""
    return {(les.seed_id, s.key): {"section_key": s.key, "section_heading": s.heading,
                                   "section_sketch": list(identity.sketch(s))}
            for les in lessons for s in les.sections if s.kind == "section"}


def seed_paths(cfg: Config, req: BuildRequest, ui: Reporter) -> list[Path | str]:
    """SEED arguments, else the seeds the config names (files, folders or article URLs), else ./seeds/."""
    named = [s if seed.web.is_url(s) else cfg.path(s) for s in cfg.show.seeds]
    given = req.seeds or named or [cfg.path("seeds")]
    for path in seed.unsupported(given):
        ui.warn(f"{path}: not a seed type audiogen reads (.txt, .md, .html); skipped")
    return seed.find(given)


def read_lessons(paths: list[Path | str], strict: bool, ui: Reporter) -> list[Lesson]:
    """Every seed read; a bad seed file among good ones is reported and skipped unless --strict.

    An article address that fails stops the build instead: a server's bad moment (a 503) must
    not unpublish the article, and which episodes were its own is known only from the page.
    """
    lessons, seen = [], {}
    for path in paths:
        try:
            lesson = seed.read(path)
        except AudiogenError as e:
            if isinstance(path, str):
                raise AudiogenError(f"{e}; the build stopped, the published output is unchanged "
                                    "(build again when the page answers)") from None
            if strict or len(paths) == 1:
                raise
            ui.warn(f"skipped: {e}")
            continue
        for cut in lesson.trimmed:
            ui.warn(f"{path}: {cut}")
        for problem in lesson.problems:
            if strict:
                raise AudiogenError(f"{path}: {problem} (--strict)")
            ui.warn(f"{path}: {problem}")
        if lesson.seed_id in seen:
            raise AudiogenError(f"{path}: seed id '{lesson.seed_id}' is also used by {seen[lesson.seed_id]}; "
                                "rename one of the files (a .md seed can also set `id:` in its front matter)")
        seen[lesson.seed_id] = path
        lessons.append(lesson)
    if not lessons:
        raise AudiogenError("no seed could be read")
    return lessons


def warn_unglossed(scripts: list[Script], ui: Reporter) -> None:
    """One warning line naming every key sentence taught without a Korean meaning."""
    unglossed: list[str] = []
    for s in scripts:
        if s.episode_type != "bonus" and not s.edited:
            unglossed += [q for q in script.missing_meanings(s) if q not in unglossed]
    if unglossed:
        ui.warn(f"{len(unglossed)} key sentence(s) have no Korean meaning, taught without one: "
                + "; ".join(f"“{q}”" for q in unglossed)
                + " (write it on a `> 한국어` line under the quote in a .md seed, or in the edited script)")


def warn_shares(episodes: list[Episode], ui: Reporter) -> None:
    """One warning line naming the episodes just rendered whose measured airtime misses a lesson's
    shares: the user sees what their seed gave the learner, and what would raise it."""
    missed = []
    for e in episodes:
        short = [f"English {e.airtime_english:.0%}" if e.airtime_english < MIN_ENGLISH else "",
                 f"pauses {e.airtime_learner:.0%}" if e.airtime_learner < MIN_LEARNER else "",
                 f"framing {e.airtime_framing:.0%}" if e.airtime_framing > MAX_FRAMING else ""]
        if any(short):
            missed.append(f"{e.slug} ({', '.join(x for x in short if x)})")
    if missed:
        ui.warn(f"{len(missed)} episode(s) miss a lesson's airtime (English >= {MIN_ENGLISH:.0%}, pauses >= "
                f"{MIN_LEARNER:.0%}, framing <= {MAX_FRAMING:.0%}): " + "; ".join(missed)
                + " (a section with little English makes a thin lesson: a key sentence with a Korean meaning, "
                  "or a teacher's meanings, adds English)")


def meanings_by_source(scripts: list[Script]) -> dict[str, int]:
    """How many of the terms and key sentences the lessons teach have a meaning from each source
    (each item counted once per article; "none": taught without one). Review episodes only repeat."""
    seen: dict[tuple[str, str, str], str] = {}
    for s in scripts:
        if s.episode_type == "bonus":
            continue
        terms, quotes = script.review_items(s)
        for kind, english, korean, source in ([("term", t.english, t.korean, t.source) for t in terms]
                                              + [("quote", q.english, q.korean, q.source) for q in quotes]):
            seen.setdefault((s.seed_id, kind, english.lower()), source if korean else "none")
    counts = {source: 0 for source in (*MEANING_SOURCES, "none")}
    for source in seen.values():
        counts[source] += 1
    return counts


def edited_or(generated: Script, lesson: Lesson | None, cfg: Config, ui: Reporter) -> Script:
    """The user's edited script for this episode, when there is one."""
    path = cfg.path(cfg.lesson.edits) / f"{generated.slug}.yaml"
    if not path.is_file():
        return generated
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise AudiogenError(f"{path}: cannot read the edited script ({e})") from None
    edited, digest = scriptfile.load(text, str(path))
    ui.info(f"using the edited script {path}")
    if lesson is not None and digest and digest != lesson.digest:
        ui.warn(f"{lesson.source} changed since {path.name} was written; the edited script overrides it "
                f"(delete {path} to regenerate)")
    # identity and placement always come from the seed, never from the editable file
    return dataclasses.replace(edited, slug=generated.slug, guid=generated.guid, seed_id=generated.seed_id,
                               section_key=generated.section_key, order=generated.order,
                               episode_type=generated.episode_type, edited=True)


def show_for(cfg: Config, lessons: list[Lesson], base_url: str,
             published: manifests.Manifest | None = None) -> manifests.Show:
    """The channel: podcast.toml's show; without one, the title and author it was first
    published under (the oldest seed's then), so that adding a seed, even one dated
    earlier, never renames the show or redraws its cover."""
    s = cfg.show
    title, author = s.title, s.author
    if cfg.source is None and published is not None:
        title, author = published.show.title, published.show.author
    elif cfg.source is None and lessons:
        title, author = lessons[0].title, lessons[0].author or s.author
    return manifests.Show(title=title, description=s.description, author=author, email=s.email,
                          language=s.language, base_url=base_url, category=s.category,
                          subcategory=s.subcategory, explicit=s.explicit, locked=s.locked, cover="")


# --- assets ----------------------------------------------------------------------


class Assets:
    """Stings, music and cover, as the config names them.

    Only their digest is computed up front (it is part of every render key); the audio is
    decoded and the cover drawn when an episode is actually rendered, so a build with
    nothing to do never pays for them.
    """

    def __init__(self, cfg: Config, show: manifests.Show, out: Path, kept: Path | None = None):
        self.cfg, self.show, self.out = cfg, show, out
        self.kept = kept
        a = cfg.audio
        self.files = {name: cfg.path(value) for name, value in
                      (("intro", a.intro), ("outro", a.outro), ("music", a.music)) if value}
        h = hashlib.sha256(f"stings:{RENDER_VERSION}:{a.sample_rate}".encode())
        for name, path in sorted(self.files.items()):
            h.update(name.encode() + hashlib.sha256(read_asset(path, name)).digest())
        self._original: bytes | None = None  # the user's cover, when it must be re-encoded for the feed
        if cfg.show.cover:
            path = cfg.path(cfg.show.cover)
            own = read_asset(path, "cover")
            covers.check_cover(path)
            art = hashlib.sha256(own).hexdigest()
            if covers.fits_feed(own):  # published as the user made it
                self._cover: bytes | None = own
                suffix = ".png" if path.suffix.lower() == ".png" else ".jpg"
            else:  # too heavy for every app to fetch: the feed's JPEG is made from it when needed
                self._cover, self._original = None, own
                suffix = ".jpg"
        else:
            self._cover = None  # drawn from the show's title when first needed
            art = hashlib.sha256(json.dumps(["cover", COVER_VERSION, show.title, show.description]).encode()).hexdigest()
            suffix = ".jpg"
        h.update(art.encode())
        self.digest = h.hexdigest()
        show.cover = f"cover-{art[:10]}{suffix}"
        self._embedded: bytes | None = None
        self._clips: dict[str, Clip | None] | None = None

    @property
    def cover(self) -> bytes:
        """The feed's cover."""
        if self._cover is None:
            # named after what it is made from: one already published is the same picture
            published = self.out / self.show.cover
            if published.is_file():
                self._cover = published.read_bytes()
            elif self._original is not None:
                self._cover = covers.for_feed(self._original)
            else:
                self._cover = covers.cover_bytes(self.show.title, self.show.description)
        return self._cover

    @property
    def embedded_cover(self) -> bytes:
        """The small JPEG copy of the cover that every episode's tags carry."""
        if self._embedded is None:
            import PIL

            cover = self.cover
            self._embedded = self._made("cover", [PIL.__version__, covers.__file__], cover,
                                        lambda: covers.for_embedding(cover))
        return self._embedded

    def _made(self, name: str, code: list[str], given: bytes, make: Callable[[], bytes]) -> bytes:
        """`make()`, kept in the cache between builds under a hash of what it is made from: `given`,
        and `code` (library versions, and source files whose text is hashed): drawing the stings and
        scaling the cover took half a second of every build that renders."""
        if self.kept is None:
            return make()
        store = DigestStore(self.kept / name, ".bin")
        h = hashlib.sha256(json.dumps([name, RENDER_VERSION]).encode())
        for part in code:
            h.update(Path(part).read_bytes() if part.endswith(".py") else part.encode())
        h.update(given)
        key = h.hexdigest()[:32]
        found = store.get(key)
        if found is not None:
            try:
                return found.read_bytes()
            except OSError:
                pass
        data = make()
        store.put(key, data)
        store.keep({key})
        return data

    def clip(self, name: str) -> Clip | None:
        """The intro, outro or music clip, decoded once."""
        if self._clips is None:
            import numpy

            from .audio import kernels, mix, pcm, stings

            rate = self.cfg.audio.sample_rate
            code = [numpy.__version__, stings.__file__, kernels.__file__, pcm.__file__]
            longest = {"intro": STING_MAX_SECONDS, "outro": STING_MAX_SECONDS, "music": 600.0}
            self._clips = {k: mix.decode_file(self.files[k], rate, longest[k]) for k in self.files}
            for k in ("intro", "outro"):
                if k not in self._clips:
                    self._clips[k] = Clip(self._made(k, code, str(rate).encode(),
                                                     lambda k=k: getattr(stings, k)(rate).samples), rate)
        return self._clips.get(name)


ASSET_MAX_BYTES = {"intro": 16_000_000, "outro": 16_000_000, "music": 16_000_000, "cover": 64_000_000}
STING_MAX_SECONDS = 120.0  # a longer intro or outro is cut there; the music bed loops, so 10 minutes is plenty


def read_asset(path: Path, what: str) -> bytes:
    """A file the config names: a regular file (never a device, FIFO or folder, checked before
    it is opened) within its size cap, read whole."""
    cap = ASSET_MAX_BYTES[what]
    where = f"[show] cover" if what == "cover" else f"[audio] {what}"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise AudiogenError(f"{where}: {path} is not a regular file")
        if info.st_size > cap:
            raise AudiogenError(f"{where}: {path} is too large ({info.st_size:,} bytes; the limit is {cap:,})")
        with path.open("rb") as f:
            data = f.read(cap + 1)
    except OSError as e:
        raise AudiogenError(f"{where}: the file cannot be read: {path} ({e.strerror})") from None
    if len(data) > cap:
        raise AudiogenError(f"{where}: {path} is too large (the limit is {cap:,} bytes)")
    return data


# --- plan and render ------------------------------------------------------------


@dataclass
class Studio:
    """Everything rendering an episode needs, chosen once per build."""

    cfg: Config
    cast: Cast  # an engine and a voice per language
    cache: ClipCache
    assets: Assets
    show: manifests.Show
    stage: Stage


@dataclass
class Plan:
    """An episode to be: its script, its pub date and the key its audio depends on."""

    script: Script
    pub_date: dt.datetime
    key: str
    spoken: int

    def reusable(self, published: dict[str, Episode], out: Path) -> bool:
        old = published.get(self.script.slug)
        return (old is not None and old.render_key == self.key and old.pub_date == self.pub_date
                and all((out / rel).is_file() for rel in (old.mp3, old.script, old.transcript, old.chapters))
                and (out / old.mp3).stat().st_size == old.bytes)


def plan(s: Script, studio: Studio) -> Plan:
    """The episode's render key: a hash of everything its MP3 and side files depend on."""
    pub = dates.pub_datetime(s.date or dates.now().date(), s.order, after=s.episode_type == "bonus")
    clip_keys = [key_in(studio.cast, line) if line.spoken else None for line in s.lines]
    key_data = {
        "format": RENDER_VERSION, "engine": studio.cast.label, "script": [dataclasses.asdict(line) for line in s.lines],
        "title": s.title, "number": s.number, "clips": clip_keys, "audio": dataclasses.asdict(studio.cfg.audio),
        "assets": studio.assets.digest, "album": studio.show.title, "artist": studio.show.author,
        "date": pub.isoformat(),
    }
    key = hashlib.sha256(json.dumps(key_data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return Plan(s, pub, key, sum(1 for k in clip_keys if k))


@dataclass
class Counts:
    synthesized: int = 0
    cached: int = 0


def render_all(todo: list[Plan], studio: Studio, counts: Counts, ui: Reporter) -> dict[str, Episode]:
    """Synthesize episode after episode in script order while earlier ones are mixed and encoded.

    Synthesis stays in one thread and in a fixed order because eSpeak carries a little state from
    one utterance to the next. Up to FINISHERS episodes are mixed and encoded at once: after an
    edit the episodes to re-render have their clips in the cache, so finishing them is all the
    work, and one finisher would leave the second core idle.
    """
    if not todo:
        return {}
    episodes: dict[str, Episode] = {}
    with ui.progress("rendering", len(todo)) as advance, ThreadPoolExecutor(max_workers=FINISHERS) as finisher:
        pending: deque[Future[Episode]] = deque()

        def collect() -> None:
            episode = pending.popleft().result()
            episodes[episode.slug] = episode
            advance(episode.slug)

        for p in todo:
            synth = synthesize(p.script.lines, studio.cast, studio.cache,
                               concurrency=studio.cfg.build.concurrency, retries=studio.cfg.build.retries)
            counts.synthesized += synth.synthesized
            counts.cached += synth.cached
            while len(pending) >= FINISHERS:  # at most FINISHERS episodes' clips wait in memory
                collect()
            pending.append(finisher.submit(finish, p, synth.clips, studio))
        while pending:
            collect()
    return episodes


# Episodes mixed and encoded at the same time. Two would let an edit's re-renders use the second
# core, but a build of long key sentences then peaked at 576 MB (one: under 500 MB, the bound the
# memory tests hold); an episode's own pieces are still mastered and encoded in parallel.
FINISHERS = 1


def finish(p: Plan, clips: list[Clip | None], studio: Studio) -> Episode:
    """Mix, encode and tag one episode into the staging folder, with its transcript files.

    The files are named after the MP3's own bytes, so a podcast app never finds other
    bytes at a URL it has seen.
    """
    from .audio import mix, tags  # numpy and scipy load only when there is audio to make
    from .audio.parts import PartStore

    s, cfg, assets, show, stage = p.script, studio.cfg, studio.assets, studio.show, studio.stage
    if not s.edited:  # a hand-set pause stays as the user wrote it
        s = dataclasses.replace(s, lines=fit_pauses(s.lines, clips, cfg.lesson.pause_factor))
    mixed = mix.assemble(s.lines, clips, cfg.audio, intro=assets.clip("intro"), outro=assets.clip("outro"),
                         music=assets.clip("music"))
    draft = stage.draft(f"{s.slug}.mp3")
    mix.export_mp3(mixed, draft, cfg.audio, store=PartStore(studio.cache.root / PARTS_DIR / s.slug))
    duration = mixed.frames / mixed.rate
    tags.write_tags(draft, title=s.title, artist=show.author, album=show.title,
                    date=p.pub_date.date().isoformat(), track=s.number, cover=assets.embedded_cover,
                    cover_mime="image/jpeg", transcript_text=transcript.transcript_text(s.lines),
                    chapters=mixed.chapters, duration_s=duration)
    data = draft.read_bytes()
    stem = f"episodes/{s.slug}-{hashlib.sha256(data).hexdigest()[:10]}"
    files = {"mp3": f"{stem}.mp3", "script": f"{stem}.json", "transcript": f"{stem}.vtt",
             "chapters": f"{stem}.chapters.json"}
    stage.adopt(draft, files["mp3"])
    stage.write_if_changed(files["script"], transcript.script_json(s, mixed.spans).encode())
    stage.write_if_changed(files["transcript"], transcript.vtt(s.lines, mixed.spans).encode())
    stage.write_if_changed(files["chapters"], transcript.chapters_json(mixed.chapters).encode())
    english, learner, framing = airtime(s.lines, mixed.spans, duration)
    return Episode(slug=s.slug, guid=s.guid, title=s.title, episode_type=s.episode_type,
                   description=s.description, pub_date=p.pub_date, duration_s=duration, bytes=len(data),
                   number=s.number, seed_id=s.seed_id, render_key=p.key, airtime_english=english,
                   airtime_learner=learner, airtime_framing=framing, **files)


# --- study deck -------------------------------------------------------------------


def study_deck(course: Course, studio: Studio, before: manifests.Manifest | None,
               ui: Reporter) -> manifests.Deck | None:
    """The Anki deck of every term and key sentence, with the episodes' own clips.

    Named after a key over its notes and clips: when the published deck has that name,
    nothing is written; otherwise the clips it already holds are reused, the rest
    come from the clip cache (or the engine) and are encoded once.
    """
    items = decks.study_items(course.scripts, {les.seed_id: les.title for les in course.lessons})
    if not items:
        return None
    notes = decks.notes_for(items, lambda line: key_in(studio.cast, line))
    name = decks.file_name(decks.deck_key(studio.show.title, notes))
    out = studio.stage.out
    published = before.deck if before is not None else None
    whole = published is not None and decks.is_whole(out / published.file, published.sha256)
    if published is not None and whole and published.file == name:
        return dataclasses.replace(published, sha256=published.sha256 or decks.file_digest(out / name))
    if published is not None and not whole:
        ui.detail(f"study deck: {published.file} is not the one published (damaged or missing); made again")
    media = decks.read_media(out / published.file) if published is not None and whole else {}
    lines = {decks.media_name(key_in(studio.cast, line)): line
             for i in items for line in (i.natural, i.slow) if line is not None}
    todo = [(n, line) for n, line in lines.items() if n not in media]
    for k in range(0, len(todo), DECK_BATCH):  # a few clips in memory at a time
        batch = todo[k:k + DECK_BATCH]
        media.update(zip((n for n, _ in batch), decks.encode_clips(clips_of([line for _, line in batch], studio))))
    draft = studio.stage.draft(name)
    decks.write_apkg(draft, studio.show.title, notes, {n: media[n] for n in lines})
    digest = decks.file_digest(draft)
    studio.stage.adopt(draft, name)
    ui.info(f"study deck: {len(notes)} notes, {len(todo)} clips encoded -> {name}")
    return manifests.Deck(file=name, notes=len(notes), sha256=digest)


DECK_BATCH = 64  # clips synthesized or read and encoded together


def clips_of(lines: list[Line], studio: Studio) -> list[Clip]:
    """The clips of spoken lines: from the cache, else made by the engine (and cached)."""
    if not lines:
        return []
    made = synthesize(lines, studio.cast, studio.cache,
                      concurrency=studio.cfg.build.concurrency, retries=studio.cfg.build.retries)
    return [clip for clip in made.clips if clip is not None]


# --- publish ----------------------------------------------------------------------


def previous_manifest(out: Path) -> manifests.Manifest | None:
    """What the output folder already holds; None when it is new.

    The manifest is the show's record of what it published (seasons, file names, dates),
    so a damaged one is refused, never replaced by a guess: a guess would renumber the
    seasons and give every episode a new URL."""
    path = out / MANIFEST_FILE
    if not os.path.lexists(path):
        return None
    try:
        return manifests.loads(read_state(path, manifests.MAX_BYTES, follow_links=False).decode("utf-8"))
    except (AudiogenError, OSError, UnicodeDecodeError) as e:
        why = e.strerror if isinstance(e, OSError) else "not UTF-8 text" if isinstance(e, UnicodeDecodeError) else e
        raise AudiogenError(
            f"{path} is damaged ({why}); it records what the show published, so it is not guessed: "
            f"put back the copy on your web host (or a backup), or delete {out} to start the show again "
            "with every episode at a new URL") from None


def published_files(m: manifests.Manifest | None) -> set[str]:
    """Every file a manifest names: the only files a later build may remove."""
    if m is None:
        return set()
    deck = {m.deck.file} if m.deck else set()
    return {m.show.cover} | deck | {rel for e in m.episodes for rel in (e.mp3, e.script, e.transcript, e.chapters)}


def feed_bytes(m: manifests.Manifest, before: manifests.Manifest | None, out: Path) -> bytes:
    """The feed; its lastBuildDate (kept in the manifest) changes only when the rest of it does."""
    if before is not None and before.built is not None and (out / FEED_FILE).is_file():
        again = rss.render(m, build_date=before.built)
        if again == (out / FEED_FILE).read_bytes():
            m.built = before.built
            return again
    m.built = dates.now()
    return rss.render(m, build_date=m.built)


class Overlay:
    """The output folder as it will be after publishing: `overlay / rel` is the staged file
    when this build made one, else the published one (the page reads chapters and VTT so)."""

    def __init__(self, staged: Path, out: Path):
        self.staged, self.out = staged, out

    def __truediv__(self, rel: str) -> Path:
        staged = self.staged / rel
        return staged if staged.is_file() else self.out / rel
